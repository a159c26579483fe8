//! `/api/v1/units`: units of measure and the conversions between them (the same services as the
//! units screen). Anyone signed in reads them; `inventory:manage` changes them.
use super::{id_of, ApiJson, ApiResult, Ctx, IdPath};
use app::inventory::model::units::{Conversion, ConversionInput, Unit, UnitInput};
use app::inventory::service::units as service;
use app::platform::context::AppState;
use app::platform::tx::run;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::Router;
use serde::Serialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list_units).post(create_unit))
        .route(
            "/units/conversions",
            get(list_conversions).post(create_conversion),
        )
        .route(
            "/units/conversions/{id}",
            put(update_conversion).delete(delete_conversion),
        )
        .route("/units/{id}", get(get_unit).put(update_unit))
}

#[derive(Serialize, ToSchema)]
pub struct UnitList {
    pub units: Vec<Unit>,
}

#[derive(Serialize, ToSchema)]
pub struct ConversionList {
    pub conversions: Vec<Conversion>,
}

#[derive(Serialize, ToSchema)]
pub struct ConversionDeleted {
    pub deleted: bool,
}

#[utoipa::path(get, path = "/api/v1/units", tag = "inventory",
    description = "The company's units of measure by code, each with its names, decimal places and whether active. Anyone signed in.",
    responses((status = 200, body = super::Envelope<UnitList>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_units(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<UnitList> {
    let units = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_units(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(UnitList { units }))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "inventory", request_body = UnitInput,
    description = "A unit of measure (`inventory:manage`): a code of 1–20 characters without spaces, unique whatever its case; names per language (`en` required); 0–6 decimal places.",
    responses((status = 201, body = super::Envelope<Unit>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `inventory:manage`", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the code is taken (in any case)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: details name each bad field (`code`, `names.en`, `decimals`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_unit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<UnitInput>,
) -> ApiResult<Unit> {
    let u = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_unit(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, u, ""))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = super::Envelope<Unit>),
        (status = 404, description = "NOT_FOUND: no such unit in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_unit(State(state): State<AppState>, Ctx(ctx): Ctx, id: IdPath) -> ApiResult<Unit> {
    let id = id_of(id)?;
    let u = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_unit(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(u))
}

#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)), request_body = UnitInput,
    description = "Replaces a unit (`inventory:manage`). A unit that items, conversions or document lines use keeps its code (422 `locked` on `code`); its names, decimal places and whether active may change.",
    responses((status = 200, body = super::Envelope<Unit>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `inventory:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such unit in the company", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the code is taken (in any case)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_unit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<UnitInput>,
) -> ApiResult<Unit> {
    let id = id_of(id)?;
    let u = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_unit(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(u))
}

#[utoipa::path(get, path = "/api/v1/units/conversions", tag = "inventory",
    description = "The company's conversions: 1 `from_unit` = `factor` `to_unit`, and the reverse; general ones first, then those of one item (which win over a general one). Anyone signed in.",
    responses((status = 200, body = super::Envelope<ConversionList>)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_conversions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> ApiResult<ConversionList> {
    let conversions = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_conversions(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(ConversionList { conversions }))
}

#[utoipa::path(post, path = "/api/v1/units/conversions", tag = "inventory", request_body = ConversionInput,
    description = "A conversion (`inventory:manage`): 1 `from_unit` = `factor` `to_unit`, for one item when `item_id` is given. Units are named by code in any case and must be active units of the company.",
    responses((status = 201, body = super::Envelope<Conversion>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `inventory:manage`", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the two units (either way round) already convert, for the same item or in general", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: a unit converted to itself (`to_unit`), a factor not above zero (`factor`), an unknown unit or item (`from_unit`, `to_unit`, `item_id`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_conversion(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ConversionInput>,
) -> ApiResult<Conversion> {
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_conversion(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, c, ""))
}

#[utoipa::path(put, path = "/api/v1/units/conversions/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)), request_body = ConversionInput,
    description = "Replaces a conversion (`inventory:manage`), by the rules of its creation.",
    responses((status = 200, body = super::Envelope<Conversion>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `inventory:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such conversion in the company", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the two units already convert, for the same item or in general", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_conversion(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<ConversionInput>,
) -> ApiResult<Conversion> {
    let id = id_of(id)?;
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_conversion(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(c))
}

#[utoipa::path(delete, path = "/api/v1/units/conversions/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)),
    description = "Deletes a conversion (`inventory:manage`). Quantities already converted stay as they were.",
    responses((status = 200, body = super::Envelope<ConversionDeleted>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `inventory:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such conversion in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn delete_conversion(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<ConversionDeleted> {
    let id = id_of(id)?;
    run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::delete_conversion(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(ConversionDeleted { deleted: true }))
}
