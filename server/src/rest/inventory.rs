//! `/api/v1` inventory: the item master, search and type-ahead, storage locations.
use super::auth::PageQuery;
use super::{id_of, ApiError, ApiJson, ApiResult, Ctx, IdPath, Pagination};
use app::error::{AppError, FieldError};
use app::inventory::model::{Item, ItemInput, Location, SearchFilter, SearchRow, Suggestion};
use app::inventory::service;
use app::platform::context::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inventory", get(search))
        .route("/inventory/suggest", get(suggest))
        .route("/items", get(list_items).post(create_item))
        .route("/items/{id}", get(get_item).put(update_item))
        .route("/locations", get(locations))
}

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// words, SKU prefixes or misspellings, in any language
    pub q: Option<String>,
    pub category_id: Option<Uuid>,
    /// plant code: stock counted there only
    pub plant: Option<String>,
    /// only items with stock available
    pub in_stock: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchList {
    pub items: Vec<SearchRow>,
    pub pagination: Pagination,
}

async fn run_search(
    state: &AppState,
    ctx: &app::platform::context::RequestCtx,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<SearchList, ApiError> {
    let Query(q) = query.map_err(|_| ApiError(AppError::field("query", FieldError::Invalid)))?;
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    let result = service::search(
        state,
        ctx,
        SearchFilter {
            q: q.q,
            category_id: q.category_id,
            plant: q.plant,
            in_stock: q.in_stock.unwrap_or(false),
            page,
            per_page,
        },
    )
    .await?;
    Ok(SearchList {
        pagination: Pagination::new(page, per_page, result.total),
        items: result.rows,
    })
}

#[utoipa::path(get, path = "/api/v1/inventory", tag = "inventory", params(SearchQuery),
    description = "Search over SKU, names and descriptions in every language and specifications: SKU prefixes first, then ranked words, then similar spellings. Names come in the caller's language. Stock is summed over locations (of `plant` when given).",
    responses((status = 200, body = super::Envelope<SearchList>), (status = 401, body = super::ErrorEnvelope), (status = 403, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<SearchList> {
    let list = run_search(&state, &ctx, query).await?;
    Ok(Ctx(ctx).ok(list))
}

#[utoipa::path(get, path = "/api/v1/items", tag = "inventory", params(SearchQuery),
    description = "The item master, searchable like `/inventory`.",
    responses((status = 200, body = super::Envelope<SearchList>), (status = 403, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_items(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<SearchList> {
    let list = run_search(&state, &ctx, query).await?;
    Ok(Ctx(ctx).ok(list))
}

#[derive(Deserialize, IntoParams)]
pub struct SuggestQuery {
    pub q: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

#[utoipa::path(get, path = "/api/v1/inventory/suggest", tag = "inventory", params(SuggestQuery),
    description = "Type-ahead: up to 10 items by SKU prefix or similar name.",
    responses((status = 200, body = super::Envelope<Suggestions>), (status = 403, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn suggest(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<SuggestQuery>,
) -> ApiResult<Suggestions> {
    let suggestions = service::suggest(&state, &ctx, q.q.as_deref().unwrap_or_default()).await?;
    Ok(Ctx(ctx).ok(Suggestions { suggestions }))
}

#[utoipa::path(post, path = "/api/v1/items", tag = "inventory", request_body = ItemInput,
    responses((status = 201, body = super::Envelope<Item>), (status = 403, body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR, e.g. a SKU already used (`sku`) or no English name (`names.en`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_item(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ItemInput>,
) -> ApiResult<Item> {
    let item = service::save_item(&state, &ctx, None, body).await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, item, ""))
}

#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "inventory", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<Item>), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_item(State(state): State<AppState>, Ctx(ctx): Ctx, id: IdPath) -> ApiResult<Item> {
    let item = service::get_item(&state, &ctx, id_of(id)?).await?;
    Ok(Ctx(ctx).ok(item))
}

#[utoipa::path(put, path = "/api/v1/items/{id}", tag = "inventory", params(("id" = Uuid, Path)), request_body = ItemInput,
    responses((status = 200, body = super::Envelope<Item>), (status = 404, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_item(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<ItemInput>,
) -> ApiResult<Item> {
    let item = service::save_item(&state, &ctx, Some(id_of(id)?), body).await?;
    Ok(Ctx(ctx).ok(item))
}

#[derive(Serialize, ToSchema)]
pub struct LocationList {
    pub locations: Vec<Location>,
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "inventory",
    description = "Storage locations (plant → warehouse → rack → bin) with what they hold.",
    responses((status = 200, body = super::Envelope<LocationList>), (status = 403, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn locations(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<LocationList> {
    let locations = service::list_locations(&state, &ctx).await?;
    Ok(Ctx(ctx).ok(LocationList { locations }))
}
