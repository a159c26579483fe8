//! `/api/v1` inventory: the item master, search and type-ahead, storage locations.
use super::export::ExportQuery;
use super::{
    id_of, ApiError, ApiJson, ApiQuery, ApiResult, Ctx, IdPath, ListQuery, PageQuery, Pagination,
};
use app::error::{AppError, FieldError};
use app::inventory::model::import::ImportJob;
use app::inventory::model::receipts::{Receipt, ReceiveInput};
use app::inventory::model::stock::{
    AdjustInput, IssueInput, ItemDetail, MoveInput, Movement, MovementFilter, ReverseInput,
    Transfer, TransferInput, UidTrace,
};
use app::inventory::model::{
    Facets, Item, ItemInput, Location, SearchFilter, SearchRow, Suggestion,
};
use app::inventory::service::import::{self as import, Upload};
use app::inventory::service::{self, receipts, stock};
use app::platform::context::AppState;
use app::platform::tx::run;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
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
        .route("/inventory/receive", axum::routing::post(receive))
        .route("/inventory/receipts/{id}", get(get_receipt))
        .route(
            "/inventory/receipts/{id}/accept",
            axum::routing::post(accept),
        )
        .route("/inventory/{id}/location", axum::routing::put(move_stock))
        .route("/inventory/issues", axum::routing::post(issue))
        .route("/inventory/transfers", axum::routing::post(transfer))
        .route(
            "/inventory/transfers/{id}/receive",
            axum::routing::post(receive_transfer),
        )
        .route("/inventory/movements", get(movements))
        .route("/uids/{uid}", get(uid))
        .route("/uids/{uid}/qr.svg", get(uid_qr))
        .route("/items/{id}/stock", get(item_stock))
        .route("/inventory/adjustments", axum::routing::post(adjust))
        .route(
            "/inventory/movements/{id}/reverse",
            axum::routing::post(reverse),
        )
        .route(
            "/items/import",
            axum::routing::post(import_items)
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route("/jobs/{id}", get(job))
}

pub use crate::middleware::IMPORT_LIMIT;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// words, SKU prefixes or misspellings, in any language
    #[param(nullable = false)]
    pub q: Option<String>,
    #[param(nullable = false)]
    pub category_id: Option<Uuid>,
    /// plant code: stock counted there only
    #[param(nullable = false)]
    pub plant: Option<String>,
    /// only items with stock available
    #[param(nullable = false)]
    pub in_stock: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchList {
    pub items: Vec<SearchRow>,
    pub pagination: Pagination,
    /// With words: counts per category and per plant (items with stock available) over the
    /// whole result.
    pub facets: Facets,
    /// With words, at most 300 word matches (and 100 SKU prefix matches) are ranked: `true` when there were more
    /// (`pagination.total` is then a lower bound; refine the query).
    pub more: bool,
}

async fn run_search(
    state: &AppState,
    ctx: &app::platform::context::RequestCtx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<SearchQuery>,
) -> Result<SearchList, ApiError> {
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
        facets: result.facets,
        more: result.more,
    })
}

#[utoipa::path(get, path = "/api/v1/inventory", tag = "inventory", params(SearchQuery, PageQuery, ExportQuery),
    description = "Search over SKU, names and descriptions in every language and specifications: SKU prefixes first, then ranked words, then similar spellings. Names come in the caller's language. Stock is summed over locations (of `plant` when given).",
    responses((status = 200, body = super::Envelope<SearchList>), (status = 401, body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    query: ListQuery<SearchQuery>,
    ApiQuery(export): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    if let Some(format) = export.file()? {
        let table = service::export::stock(&state, &ctx, search_filter(query.filter)).await?;
        return super::export::answer(&ctx, format, "stock", table).await;
    }
    let list = run_search(&state, &ctx, query).await?;
    Ok(Ctx(ctx).ok(list).into_response())
}

/// The filters of a search, for every page (an export).
fn search_filter(q: SearchQuery) -> SearchFilter {
    SearchFilter {
        q: q.q,
        category_id: q.category_id,
        plant: q.plant,
        in_stock: q.in_stock.unwrap_or(false),
        page: 1,
        per_page: app::platform::paging::MAX_PER_PAGE,
    }
}

#[utoipa::path(get, path = "/api/v1/items", tag = "inventory", params(SearchQuery, PageQuery, ExportQuery),
    description = "The item master, searchable like `/inventory`.",
    responses((status = 200, body = super::Envelope<SearchList>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_items(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    query: ListQuery<SearchQuery>,
    ApiQuery(export): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    if let Some(format) = export.file()? {
        let table = service::export::items(&state, &ctx, search_filter(query.filter)).await?;
        return super::export::answer(&ctx, format, "items", table).await;
    }
    let list = run_search(&state, &ctx, query).await?;
    Ok(Ctx(ctx).ok(list).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The start of a SKU or a name
    #[param(nullable = false)]
    pub q: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

#[utoipa::path(get, path = "/api/v1/inventory/suggest", tag = "inventory", params(SuggestQuery),
    description = "Type-ahead: up to 10 items by SKU prefix or similar name.",
    responses((status = 200, body = super::Envelope<Suggestions>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn suggest(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<SuggestQuery>,
) -> ApiResult<Suggestions> {
    let suggestions = service::suggest(&state, &ctx, q.q.as_deref().unwrap_or_default()).await?;
    Ok(Ctx(ctx).ok(Suggestions { suggestions }))
}

#[utoipa::path(post, path = "/api/v1/items", tag = "inventory", request_body = ItemInput,
    responses((status = 201, body = super::Envelope<Item>), (status = 409, description = "CONFLICT: another request saved the same SKU at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR, e.g. a SKU already used (`sku`) or no English name (`names.en`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_item(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ItemInput>,
) -> ApiResult<Item> {
    let item = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_item(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, item, ""))
}

#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "inventory", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<Item>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_item(State(state): State<AppState>, Ctx(ctx): Ctx, id: IdPath) -> ApiResult<Item> {
    let id = id_of(id)?;
    let item = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_item(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(item))
}

#[utoipa::path(put, path = "/api/v1/items/{id}", tag = "inventory", params(("id" = Uuid, Path)), request_body = ItemInput,
    responses((status = 200, body = super::Envelope<Item>), (status = 409, description = "CONFLICT: another request saved the same SKU at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_item(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<ItemInput>,
) -> ApiResult<Item> {
    let id = id_of(id)?;
    let item = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_item(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(item))
}

#[derive(Serialize, ToSchema)]
pub struct LocationList {
    pub locations: Vec<Location>,
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "inventory",
    description = "Storage locations (plant → warehouse → rack → bin) with what they hold.",
    responses((status = 200, body = super::Envelope<LocationList>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn locations(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<LocationList> {
    let locations = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_locations(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(LocationList { locations }))
}

#[utoipa::path(post, path = "/api/v1/inventory/receive", tag = "inventory", request_body = ReceiveInput,
    description = "Goods receipt (GRN) against an approved or sent PO: accepted and rejected quantities (a reason for rejections), put-away location per line in the delivery plant; more than ordered beyond the company's tolerance (default 5 %) is refused. Catalogue items enter stock pending acceptance with their UIDs; the requesters are notified.",
    responses((status = 201, body = super::Envelope<Receipt>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 409, description = "CONFLICT", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR per line, or INVALID_STATE for a PO not approved", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn receive(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ReceiveInput>,
) -> ApiResult<Receipt> {
    let r = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(receipts::receive(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, r, ""))
}

#[utoipa::path(get, path = "/api/v1/inventory/receipts/{id}", tag = "inventory", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<Receipt>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_receipt(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Receipt> {
    let id = id_of(id)?;
    let r = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(receipts::get(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}

#[utoipa::path(post, path = "/api/v1/inventory/receipts/{id}/accept", tag = "inventory", params(("id" = Uuid, Path)),
    description = "The requester accepts received goods: they become available and their UIDs accepted.",
    responses((status = 200, body = super::Envelope<Receipt>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE: accepted already", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Receipt> {
    let id = id_of(id)?;
    let r = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(receipts::accept(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}

#[utoipa::path(put, path = "/api/v1/inventory/{id}/location", tag = "inventory", params(("id" = Uuid, Path, description = "the item")), request_body = MoveInput,
    description = "Moves available stock of an item between two locations of one plant.",
    responses((status = 200, body = super::Envelope<Vec<Movement>>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 409, description = "CONFLICT: the stock changed meanwhile", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR, e.g. more than available (`quantity`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn move_stock(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<MoveInput>,
) -> ApiResult<Vec<Movement>> {
    let id = id_of(id)?;
    let m = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::move_stock(tx, ctx, id, body))
    })
    .await?;
    Ok(Ctx(ctx).ok(m))
}

#[utoipa::path(post, path = "/api/v1/inventory/issues", tag = "inventory", request_body = IssueInput,
    description = "Issues available stock to a cost centre at the moving average cost.",
    responses((status = 201, body = super::Envelope<Movement>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 409, description = "CONFLICT: someone took the stock meanwhile", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR, e.g. more than available (`quantity`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn issue(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<IssueInput>,
) -> ApiResult<Movement> {
    let m = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::issue(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, m, ""))
}

#[utoipa::path(post, path = "/api/v1/inventory/transfers", tag = "inventory", request_body = TransferInput,
    description = "Sends stock to a location of another plant; it is in transit until received there.",
    responses((status = 201, body = super::Envelope<Transfer>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 409, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn transfer(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<TransferInput>,
) -> ApiResult<Transfer> {
    let t = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::transfer(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, t, ""))
}

#[utoipa::path(post, path = "/api/v1/inventory/transfers/{id}/receive", tag = "inventory", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<Transfer>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope), (status = 422, description = "INVALID_STATE: received already", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn receive_transfer(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Transfer> {
    let id = id_of(id)?;
    let t = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::receive_transfer(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(t))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    #[param(nullable = false)]
    pub item_id: Option<Uuid>,
    #[param(nullable = false)]
    pub location_id: Option<Uuid>,
    /// on or after (YYYY-MM-DD)
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// on or before (YYYY-MM-DD)
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct MovementList {
    pub movements: Vec<Movement>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/api/v1/inventory/movements", tag = "inventory", params(MovementQuery, PageQuery, ExportQuery),
    description = "The stock ledger, newest first. Rows are never edited; corrections are reversals.",
    responses((status = 200, body = super::Envelope<MovementList>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn movements(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<MovementQuery>,
    ApiQuery(export): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let file = export.file()?;
    let filter = MovementFilter {
        item_id: q.item_id,
        location_id: q.location_id,
        from: q.from,
        to: q.to,
        page,
        per_page,
    };
    if let Some(format) = file {
        let table = run(&state, &ctx, |tx, _, ctx| {
            Box::pin(service::export::movements(tx, ctx, filter))
        })
        .await?;
        return super::export::answer(&ctx, format, "movements", table).await;
    }
    let result = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::movements(tx, ctx, filter))
    })
    .await?;
    Ok(Ctx(ctx)
        .ok(MovementList {
            pagination: Pagination::new(page, per_page, result.total),
            movements: result.rows,
        })
        .into_response())
}

/// A `{uid}` path segment: one that is not even text (bytes that are not UTF-8) is a malformed
/// UID, 422 on `uid` like any other, instead of axum's plain-text 400.
type UidPath = Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>;

fn uid_of(p: UidPath) -> Result<String, ApiError> {
    p.map(|axum::extract::Path(uid)| uid)
        .map_err(|_| ApiError(AppError::field("uid", FieldError::Invalid)))
}

#[utoipa::path(get, path = "/api/v1/uids/{uid}", tag = "inventory", params(("uid" = String, Path, description = "UID-{TENANT}-{PLANT}-{TYPE}-{SEQUENCE}-{CHECK}, e.g. UID-SAIF-KOL-RM-000001-6I (the former form, e.g. UID-DEMO-MAIN-SER-000001-5, is still recognised)")),
    description = "A UID's lifecycle and its links to item, receipt, PO, requisition and supplier, named by its current text (`uid`) whichever form was asked. A malformed UID or one with a wrong check character is 422 (`uid`).",
    responses((status = 200, body = super::Envelope<UidTrace>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR (`uid`): malformed, or a wrong check character", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn uid(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    uid: UidPath,
) -> ApiResult<UidTrace> {
    let uid = uid_of(uid)?;
    let t = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(async move { stock::trace(tx, ctx, &uid).await })
    })
    .await?;
    Ok(Ctx(ctx).ok(t))
}

#[utoipa::path(get, path = "/api/v1/uids/{uid}/qr.svg", tag = "inventory", params(("uid" = String, Path)),
    description = "The UID's QR code as an SVG image, for label printers. A malformed UID or a wrong check character is 422.",
    responses((status = 200, description = "The QR code", content_type = "image/svg+xml", body = String), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR (`uid`): malformed, or a wrong check character", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn uid_qr(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    uid: UidPath,
) -> Result<axum::response::Response, ApiError> {
    let uid = uid_of(uid)?;
    use axum::response::IntoResponse;
    // the UID must exist in the caller's company (and be well-formed)
    let t = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(async move { stock::trace(tx, ctx, &uid).await })
    })
    .await?;
    let svg = stock::labels::qr_svg(&t.uid)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/items/{id}/stock", tag = "inventory", params(("id" = Uuid, Path)),
    description = "The item page: the item, stock per location (with capacity utilisation), the latest 50 movements, its UIDs and the purchase order lines still waiting for goods.",
    responses((status = 200, body = super::Envelope<ItemDetail>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn item_stock(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<ItemDetail> {
    let id = id_of(id)?;
    let d = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::item_detail(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(d))
}

#[utoipa::path(post, path = "/api/v1/inventory/adjustments", tag = "inventory", request_body = AdjustInput,
    description = "Corrects a count at a location: a signed quantity (found +, lost −) with a reason, posted as an adjustment at the moving average cost.",
    responses((status = 201, body = super::Envelope<Movement>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 409, description = "CONFLICT: the stock changed meanwhile", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR: zero quantity, no reason, unknown location, or taking more than available (`quantity`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn adjust(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<AdjustInput>,
) -> ApiResult<Movement> {
    let m = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::adjust(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, m, ""))
}

#[utoipa::path(post, path = "/api/v1/inventory/movements/{id}/reverse", tag = "inventory", params(("id" = Uuid, Path)), request_body = ReverseInput,
    description = "Reverses an issue or an adjustment by posting its opposite with a reason; the ledger is never edited. Once per movement.",
    responses((status = 201, body = super::Envelope<Movement>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 409, description = "CONFLICT: the stock changed meanwhile", body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE (reversed already, or a kind corrected on its document) or VALIDATION_ERROR (`reason`, `quantity`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn reverse(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<ReverseInput>,
) -> ApiResult<Movement> {
    let id = id_of(id)?;
    let m = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(stock::reverse(tx, ctx, id, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, m, ""))
}

#[derive(Serialize, ToSchema)]
pub struct JobCreated {
    pub job_id: Uuid,
    pub job: ImportJob,
}

/// Reads the upload: multipart with the file in the field `file`, or the CSV as the raw body.
pub async fn receive_import(
    state: &AppState,
    ctx: &app::platform::context::RequestCtx,
    req: axum::extract::Request,
) -> Result<ImportJob, AppError> {
    use futures::StreamExt;
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut upload = Upload::new(state).await?;
    let too_large = |e: &dyn std::fmt::Display| {
        tracing::debug!(error = %e, "import upload stopped");
        AppError::PayloadTooLarge
    };
    if multipart {
        use axum::extract::FromRequest;
        let mut form = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::field("file", FieldError::Required))?;
        loop {
            let field = match form.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => return Err(AppError::field("file", FieldError::Required)),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(&e)),
                Err(_) => return Err(AppError::BadRequest),
            };
            if field.name() != Some("file") {
                continue;
            }
            let name = field.file_name().unwrap_or("items.csv").to_string();
            let mut field = field;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => upload.push(&chunk).await?,
                    Ok(None) => break,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(too_large(&e))
                    }
                    Err(_) => return Err(AppError::BadRequest),
                }
            }
            return run(state, ctx, |tx, state, ctx| {
                Box::pin(async move { import::start(tx, state, ctx, &name, upload).await })
            })
            .await;
        }
    }
    let mut body = req.into_body().into_data_stream();
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(c) => upload.push(&c).await?,
            Err(e) => return Err(too_large(&e)),
        }
    }
    run(state, ctx, |tx, state, ctx| {
        Box::pin(import::start(tx, state, ctx, "items.csv", upload))
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/items/import", tag = "inventory",
    description = "Imports items from a CSV file as a background job: multipart/form-data with the file in the field `file`, or the CSV itself as the body (`text/csv`). UTF-8 with a header row; required columns `sku`, `unit`, `name_en`; optional `name_hi`, `name_bn`, `name_te`, `name_ar`, `description_en` … `description_ar`, `category` (a category code), `reorder_level`, `reorder_quantity`, `serialised`, `active` (true/false, yes/no, 1/0) and `specs` (`key=value; key=value`). All rows are imported or none; follow the job at `GET /api/v1/jobs/{id}`. At most 512 MB.",
    request_body(content((super::contract::AnyFile = "text/csv"), (super::attachments::UploadForm = "multipart/form-data"))),
    responses((status = 202, body = super::Envelope<JobCreated>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 413, description = "PAYLOAD_TOO_LARGE", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR: no file (`file`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn import_items(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    req: axum::extract::Request,
) -> ApiResult<JobCreated> {
    let job = receive_import(&state, &ctx, req).await?;
    Ok(Ctx(ctx).ok_with(
        StatusCode::ACCEPTED,
        JobCreated {
            job_id: job.id,
            job,
        },
        "",
    ))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "inventory", params(("id" = Uuid, Path)),
    description = "A background import: `status` queued, running, succeeded or failed; `processed` of `total` rows; `errors` by line with translated messages (the first 1,000; `error_count` counts all).",
    responses((status = 200, body = super::Envelope<ImportJob>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn job(State(state): State<AppState>, Ctx(ctx): Ctx, id: IdPath) -> ApiResult<ImportJob> {
    let id = id_of(id)?;
    let j = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(import::get(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(j))
}
