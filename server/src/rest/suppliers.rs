//! `/api/v1/suppliers`: the supplier master.
use super::{id_of, ApiJson, ApiResult, Ctx, IdPath, ListQuery, PageQuery, Pagination};
use app::platform::context::AppState;
use app::procurement::model::{self as m, SupplierInput};
use app::procurement::service;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/suppliers", get(list_suppliers).post(create_supplier))
        .route("/suppliers/{id}", get(get_supplier).put(update_supplier))
}

#[derive(Serialize, ToSchema)]
pub struct SupplierDto {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    pub currency: String,
    pub payment_terms_days: i32,
    pub active: bool,
    /// The language of the purchase orders and e-mails sent to the supplier (`en`, `hi`, `bn`,
    /// `te`, `ar`); null: the company's default language
    pub language: Option<String>,
}

impl From<m::Supplier> for SupplierDto {
    fn from(s: m::Supplier) -> Self {
        SupplierDto {
            id: s.id,
            code: s.code,
            name: s.name,
            email: s.email,
            phone: s.phone,
            tax_id: s.tax_id,
            address: s.address,
            currency: s.currency,
            payment_terms_days: s.payment_terms_days,
            active: s.active,
            language: s.language,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct SupplierBody {
    /// Upper-case letters, digits, `-` and `_`; unique in the company
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    /// ISO 4217; the company currency when left out
    pub currency: Option<String>,
    pub payment_terms_days: Option<i32>,
    pub active: Option<bool>,
    /// The language of the documents sent to the supplier (`en`, `hi`, `bn`, `te`, `ar`); the
    /// company's default language when left out
    pub language: Option<String>,
}

impl From<SupplierBody> for SupplierInput {
    fn from(b: SupplierBody) -> Self {
        SupplierInput {
            code: b.code,
            name: b.name,
            email: b.email,
            phone: b.phone,
            tax_id: b.tax_id,
            address: b.address,
            currency: b.currency,
            payment_terms_days: b.payment_terms_days,
            active: b.active,
            language: b.language,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SupplierList {
    pub suppliers: Vec<SupplierDto>,
    pub pagination: Pagination,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupplierQuery {
    /// code or name, typo-tolerant
    #[param(nullable = false)]
    pub q: Option<String>,
    #[param(nullable = false)]
    pub active: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/suppliers", tag = "procurement", params(SupplierQuery, PageQuery),
    responses((status = 200, body = super::Envelope<SupplierList>), (status = 401, body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_suppliers(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<SupplierQuery>,
) -> ApiResult<SupplierList> {
    let result = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_suppliers(
            tx, ctx, q.q, q.active, page, per_page,
        ))
    })
    .await?;
    Ok(Ctx(ctx).ok(SupplierList {
        pagination: Pagination::new(page, per_page, result.total),
        suppliers: result.rows.into_iter().map(SupplierDto::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/suppliers", tag = "procurement", request_body = SupplierBody,
    responses((status = 201, body = super::Envelope<SupplierDto>), (status = 409, description = "CONFLICT: another request saved the same code at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR, e.g. a code already used", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_supplier(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<SupplierBody>,
) -> ApiResult<SupplierDto> {
    let s = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_supplier(tx, ctx, None, body.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, s.into(), ""))
}

#[utoipa::path(get, path = "/api/v1/suppliers/{id}", tag = "procurement", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<SupplierDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_supplier(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<SupplierDto> {
    let id = id_of(id)?;
    let s = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_supplier(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(s.into()))
}

#[utoipa::path(put, path = "/api/v1/suppliers/{id}", tag = "procurement", params(("id" = Uuid, Path)), request_body = SupplierBody,
    responses((status = 200, body = super::Envelope<SupplierDto>), (status = 409, description = "CONFLICT: another request saved the same code at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_supplier(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<SupplierBody>,
) -> ApiResult<SupplierDto> {
    let id = id_of(id)?;
    let s = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_supplier(tx, ctx, Some(id), body.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(s.into()))
}
