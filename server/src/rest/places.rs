//! `/api/v1/categories` and the writes of `/api/v1/locations`: the category tree and storage
//! locations the company keeps itself (the same services as the screens).
use super::{id_of, ApiJson, ApiResult, Ctx, IdPath};
use app::inventory::model::Location;
use app::inventory::places::{self as service, Category, CategoryInput, LocationInput};
use app::platform::context::AppState;
use app::platform::tx::run;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(list_categories).post(create_category))
        .route("/categories/{id}", get(get_category).put(update_category))
        // GET /locations (the list) is inventory's
        .route("/locations", post(create_location))
        .route("/locations/{id}", get(get_location).put(update_location))
}

#[derive(Serialize, ToSchema)]
pub struct CategoryList {
    pub categories: Vec<Category>,
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "inventory",
    description = "The whole category tree, parents before their children: each with `name` in the caller's language, `path` (the names from the root down to it) and `item_count` (items of its whole branch).",
    responses((status = 200, body = super::Envelope<CategoryList>),
        (status = 403, description = "FORBIDDEN: the caller may not view inventory", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_categories(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> ApiResult<CategoryList> {
    let categories = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_categories(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(CategoryList { categories }))
}

#[utoipa::path(post, path = "/api/v1/categories", tag = "inventory", request_body = CategoryInput,
    description = "A category (`inventory:manage`), at the root or under `parent_id`.",
    responses((status = 201, body = super::Envelope<Category>),
        (status = 403, description = "FORBIDDEN: the caller may not manage inventory", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the code is taken (`code`)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `code`, `names.en`, `names.{lang}`, `parent_id` (unknown)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_category(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<CategoryInput>,
) -> ApiResult<Category> {
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_category(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, c, ""))
}

#[utoipa::path(get, path = "/api/v1/categories/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = super::Envelope<Category>),
        (status = 403, description = "FORBIDDEN: the caller may not view inventory", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_category(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Category> {
    let id = id_of(id)?;
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_category(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(c))
}

#[utoipa::path(put, path = "/api/v1/categories/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)), request_body = CategoryInput,
    description = "Renames a category or moves its branch under `parent_id` (none: to the root). A move under itself or one of its own branches is refused (422 on `parent_id`), in the database too.",
    responses((status = 200, body = super::Envelope<Category>),
        (status = 403, description = "FORBIDDEN: the caller may not manage inventory", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the code is taken (`code`)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `code`, `names.en`, `names.{lang}`, `parent_id` (unknown, or itself or its own branch)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_category(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<CategoryInput>,
) -> ApiResult<Category> {
    let id = id_of(id)?;
    let c = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_category(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(c))
}

#[utoipa::path(post, path = "/api/v1/locations", tag = "inventory", request_body = LocationInput,
    description = "A storage location (`storage:manage`; a plant-scoped holder only in their own plant): a warehouse, a rack in it, or a bin in a rack. Its code is the plant's code and the parts, e.g. `MAI-WH1-R02-B07`.",
    responses((status = 201, body = super::Envelope<Location>),
        (status = 403, description = "FORBIDDEN: the caller may not keep locations (of that plant)", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: a location of that code exists (`code`)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `plant_id` (unknown), `warehouse`, `rack` (required for a bin), `bin`, `capacity` (above zero)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_location(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<LocationInput>,
) -> ApiResult<Location> {
    let l = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_location(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, l, ""))
}

#[utoipa::path(get, path = "/api/v1/locations/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = super::Envelope<Location>),
        (status = 403, description = "FORBIDDEN: the caller may not view inventory", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_location(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Location> {
    let id = id_of(id)?;
    let l = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_location(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(l))
}

#[utoipa::path(put, path = "/api/v1/locations/{id}", tag = "inventory", params(("id" = uuid::Uuid, Path)), request_body = LocationInput,
    description = "Changes a location (its code follows its parts) or deactivates it (`active: false`): a location holding stock stays active (422 on `active`), one that has had movements stays in its plant (422 on `plant_id`).",
    responses((status = 200, body = super::Envelope<Location>),
        (status = 403, description = "FORBIDDEN: the caller may not keep locations (of that plant)", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: a location of that code exists (`code`)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `plant_id`, `warehouse`, `rack`, `bin`, `capacity`, `active` (holds stock)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_location(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<LocationInput>,
) -> ApiResult<Location> {
    let id = id_of(id)?;
    let l = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_location(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(l))
}
