//! `/api/v1/tenant`, `/companies`, `/plants`, `/departments`, `/cost-centres`: the tenant's own
//! set-up, as the setup wizard and the settings page edit it (the same services).
use super::{id_of, ApiJson, ApiResult, Ctx, IdPath};
use app::platform::context::AppState;
use app::platform::settings::{
    self as service, Company, CompanyInput, CostCentre, CostCentreInput, Department,
    DepartmentInput, Plant, PlantInput, SettingsInput, TenantSettings,
};
use app::platform::tx::run;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tenant", get(get_tenant).put(put_tenant))
        .route("/companies", get(list_companies).post(create_company))
        .route("/companies/{id}", get(get_company).put(update_company))
        .route("/plants", get(list_plants).post(create_plant))
        .route("/plants/{id}", get(get_plant).put(update_plant))
        .route(
            "/departments",
            get(list_departments).post(create_department),
        )
        .route(
            "/departments/{id}",
            get(get_department).put(update_department),
        )
        .route(
            "/cost-centres",
            get(list_cost_centres).post(create_cost_centre),
        )
        .route(
            "/cost-centres/{id}",
            get(get_cost_centre).put(update_cost_centre),
        )
}

#[utoipa::path(get, path = "/api/v1/tenant", tag = "administration",
    description = "The tenant's settings (`tenant:manage`), with the document number prefixes, the sign-in policy and where the sign-up's e-mail verification and the setup wizard stand.",
    responses((status = 200, body = super::Envelope<TenantSettings>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_tenant(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<TenantSettings> {
    let s = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_settings(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(s))
}

#[utoipa::path(put, path = "/api/v1/tenant", tag = "administration", request_body = SettingsInput,
    description = "Changes the settings given (absent fields stay). The currency can change only until the setup wizard is completed (422 on `currency`). `require_totp_roles` names roles whose holders must sign in with a second factor. `setup_completed: true` closes the wizard. `invoice_price_tolerance_pct` (0–100) and `invoice_price_tolerance_abs` (≥ 0, 0 = no amount limit), at most 4 decimals: how far a supplier invoice's unit price may exceed the order's before the line is an exception (a supplier may have its own).",
    responses((status = 200, body = super::Envelope<TenantSettings>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: details name each bad field (`currency`, `prefixes[0].prefix`, `require_totp_roles[1]`, `invoice_price_tolerance_pct`, …)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn put_tenant(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<SettingsInput>,
) -> ApiResult<TenantSettings> {
    let s = run(&state, &ctx, |tx, state, ctx| {
        Box::pin(service::update_settings(tx, state, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok(s))
}

#[derive(Serialize, ToSchema)]
pub struct CompanyList {
    pub companies: Vec<Company>,
}

#[utoipa::path(get, path = "/api/v1/companies", tag = "administration",
    responses((status = 200, body = super::Envelope<CompanyList>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_companies(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> ApiResult<CompanyList> {
    let companies = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_companies(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(CompanyList { companies }))
}

#[utoipa::path(post, path = "/api/v1/companies", tag = "administration", request_body = CompanyInput,
    description = "A company (legal entity); `tax_id` of a GSTIN's shape must be a valid GSTIN (its check character).",
    responses((status = 201, body = super::Envelope<Company>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_company(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<CompanyInput>,
) -> ApiResult<Company> {
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_company(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, c, ""))
}

#[utoipa::path(get, path = "/api/v1/companies/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = super::Envelope<Company>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_company(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Company> {
    let id = id_of(id)?;
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_company(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(c))
}

#[utoipa::path(put, path = "/api/v1/companies/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)), request_body = CompanyInput,
    responses((status = 200, body = super::Envelope<Company>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_company(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<CompanyInput>,
) -> ApiResult<Company> {
    let id = id_of(id)?;
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_company(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(c))
}

#[derive(Serialize, ToSchema)]
pub struct PlantList {
    pub plants: Vec<Plant>,
}

#[utoipa::path(get, path = "/api/v1/plants", tag = "administration",
    description = "Every plant of the tenant (any signed-in user).",
    responses((status = 200, body = super::Envelope<PlantList>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_plants(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<PlantList> {
    let plants = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_plants(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(PlantList { plants }))
}

#[utoipa::path(post, path = "/api/v1/plants", tag = "administration", request_body = PlantInput,
    description = "A plant (`plant:manage`). `code`: 3 letters or digits, unique (the PLANT part of a UID). A GSTIN gives the state code when none is given and must agree with one.",
    responses((status = 201, body = super::Envelope<Plant>),
        (status = 403, description = "FORBIDDEN: the caller may not manage plants", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: e.g. `code` taken or not 3 characters, `gstin` with a wrong check character", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_plant(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<PlantInput>,
) -> ApiResult<Plant> {
    let p = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_plant(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, p, ""))
}

#[utoipa::path(get, path = "/api/v1/plants/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = super::Envelope<Plant>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_plant(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Plant> {
    let id = id_of(id)?;
    let p = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_plant(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(p))
}

#[utoipa::path(put, path = "/api/v1/plants/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)), request_body = PlantInput,
    responses((status = 200, body = super::Envelope<Plant>),
        (status = 403, description = "FORBIDDEN: the caller may not manage plants", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_plant(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<PlantInput>,
) -> ApiResult<Plant> {
    let id = id_of(id)?;
    let p = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_plant(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(p))
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentList {
    pub departments: Vec<Department>,
}

#[utoipa::path(get, path = "/api/v1/departments", tag = "administration",
    responses((status = 200, body = super::Envelope<DepartmentList>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_departments(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> ApiResult<DepartmentList> {
    let departments = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_departments(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(DepartmentList { departments }))
}

#[utoipa::path(post, path = "/api/v1/departments", tag = "administration", request_body = DepartmentInput,
    responses((status = 201, body = super::Envelope<Department>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: e.g. `code` taken, `plant_id` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_department(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<DepartmentInput>,
) -> ApiResult<Department> {
    let d = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_department(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, d, ""))
}

#[utoipa::path(get, path = "/api/v1/departments/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = super::Envelope<Department>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_department(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Department> {
    let id = id_of(id)?;
    let d = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_department(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(d))
}

#[utoipa::path(put, path = "/api/v1/departments/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)), request_body = DepartmentInput,
    responses((status = 200, body = super::Envelope<Department>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_department(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<DepartmentInput>,
) -> ApiResult<Department> {
    let id = id_of(id)?;
    let d = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_department(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(d))
}

#[derive(Serialize, ToSchema)]
pub struct CostCentreList {
    pub cost_centres: Vec<CostCentre>,
}

#[utoipa::path(get, path = "/api/v1/cost-centres", tag = "administration",
    responses((status = 200, body = super::Envelope<CostCentreList>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_cost_centres(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> ApiResult<CostCentreList> {
    let cost_centres = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_cost_centres(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(CostCentreList { cost_centres }))
}

#[utoipa::path(post, path = "/api/v1/cost-centres", tag = "administration", request_body = CostCentreInput,
    responses((status = 201, body = super::Envelope<CostCentre>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: e.g. `code` taken, `department_id` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_cost_centre(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<CostCentreInput>,
) -> ApiResult<CostCentre> {
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_cost_centre(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, c, ""))
}

#[utoipa::path(get, path = "/api/v1/cost-centres/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = super::Envelope<CostCentre>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_cost_centre(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<CostCentre> {
    let id = id_of(id)?;
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_cost_centre(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(c))
}

#[utoipa::path(put, path = "/api/v1/cost-centres/{id}", tag = "administration", params(("id" = uuid::Uuid, Path)), request_body = CostCentreInput,
    responses((status = 200, body = super::Envelope<CostCentre>),
        (status = 403, description = "FORBIDDEN: the caller may not manage the tenant", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_cost_centre(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<CostCentreInput>,
) -> ApiResult<CostCentre> {
    let id = id_of(id)?;
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_cost_centre(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(c))
}
