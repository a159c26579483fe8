//! `/api/v1/purchase-orders`: generation from approved requisition lines, approval, sending to the
//! supplier, cancelling and closing, the PDF.
use super::procurement::{ApprovalDto, CommentBody, ReasonBody, RouteStepDto};
use super::{
    id_of, ApiError, ApiJson, ApiResult, Ctx, IdPath, ListQuery, OptionalJson, PageQuery,
    Pagination,
};
use app::approvals::model::Action;
use app::error::{AppError, FieldError};
use app::platform::context::AppState;
use app::procurement::model::orders::{self as o, GenerateInput, PoFilter, PoStatus};
use app::procurement::service::orders as service;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/purchase-orders", get(list).post(generate))
        .route("/purchase-orders/orderable-lines", get(orderable))
        .route("/purchase-orders/{id}", get(get_one))
        .route("/purchase-orders/{id}/pdf", get(pdf))
        .route("/purchase-orders/{id}/approve", post(approve))
        .route("/purchase-orders/{id}/reject", post(reject))
        .route("/purchase-orders/{id}/send", post(send))
        .route("/purchase-orders/{id}/status", put(set_status))
        .route("/dashboard", get(dashboard))
}

#[derive(Serialize, ToSchema)]
pub struct PoSupplierDto {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PoLineDto {
    pub id: Uuid,
    pub line_no: i32,
    pub requisition_line_id: Uuid,
    pub requisition_id: Uuid,
    pub requisition_number: String,
    pub item_id: Option<Uuid>,
    pub description: String,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    pub unit: String,
    #[schema(value_type = String)]
    pub unit_price: Decimal,
    /// e.g. "0.05" for 5 %
    #[schema(value_type = String)]
    pub tax_rate: Decimal,
    /// quantity × unit price, rounded half-up to the currency's minor unit
    #[schema(value_type = String)]
    pub line_subtotal: Decimal,
    /// line_subtotal × tax_rate, rounded half-up
    #[schema(value_type = String)]
    pub tax_amount: Decimal,
    #[schema(value_type = String)]
    pub line_total: Decimal,
    #[schema(value_type = String)]
    pub received_quantity: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct PoDto {
    pub id: Uuid,
    /// PO-2026-000045
    pub number: String,
    /// draft, pending_approval, approved, sent, partially_received, received, closed, cancelled
    pub status: String,
    pub supplier: PoSupplierDto,
    pub plant: Option<String>,
    pub delivery_address: Option<String>,
    pub expected_delivery_date: Option<NaiveDate>,
    pub payment_terms_days: i32,
    pub lines: Vec<PoLineDto>,
    /// Sum of the rounded line subtotals
    #[schema(value_type = String)]
    pub subtotal: Decimal,
    /// Sum of the rounded line taxes
    #[schema(value_type = String)]
    pub tax_amount: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub currency: String,
    pub current_stage: Option<i32>,
    pub approvals: Vec<ApprovalDto>,
    pub route: Vec<RouteStepDto>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub status_comment: Option<String>,
}

impl From<o::PurchaseOrder> for PoDto {
    fn from(p: o::PurchaseOrder) -> Self {
        PoDto {
            id: p.id,
            number: p.number,
            status: p.status.as_str().into(),
            supplier: PoSupplierDto {
                id: p.supplier.id,
                code: p.supplier.code,
                name: p.supplier.name,
                email: p.supplier.email,
            },
            plant: p.plant,
            delivery_address: p.delivery_address,
            expected_delivery_date: p.expected_delivery_date,
            payment_terms_days: p.payment_terms_days,
            lines: p
                .lines
                .into_iter()
                .map(|l| PoLineDto {
                    id: l.id,
                    line_no: l.line_no,
                    requisition_line_id: l.requisition_line_id,
                    requisition_id: l.requisition_id,
                    requisition_number: l.requisition_number,
                    item_id: l.item_id,
                    description: l.description,
                    quantity: l.quantity,
                    unit: l.unit,
                    unit_price: l.unit_price,
                    tax_rate: l.tax_rate,
                    line_subtotal: l.line_subtotal,
                    tax_amount: l.tax_amount,
                    line_total: l.line_total,
                    received_quantity: l.received_quantity,
                })
                .collect(),
            subtotal: p.subtotal,
            tax_amount: p.tax_amount,
            total: p.total,
            currency: p.currency,
            current_stage: p.current_stage,
            approvals: p.approvals.into_iter().map(ApprovalDto::from).collect(),
            route: p.route.into_iter().map(RouteStepDto::from).collect(),
            created_by: p.created_by,
            created_at: p.created_at,
            sent_at: p.sent_at,
            status_comment: p.status_comment,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PoRowDto {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub supplier: String,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub currency: String,
    pub expected_delivery_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PoList {
    pub purchase_orders: Vec<PoRowDto>,
    pub pagination: Pagination,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PoQuery {
    #[param(schema_with = super::contract::po_status)]
    pub status: Option<String>,
    #[param(nullable = false)]
    pub supplier_id: Option<Uuid>,
    /// number, supplier code or name
    #[param(nullable = false)]
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/purchase-orders", tag = "purchasing", params(PoQuery, PageQuery, super::export::ExportQuery),
    description = "Procurement, its manager and executives see all orders; a requester sees the orders carrying their requisitions' lines.",
    responses((status = 200, body = super::Envelope<PoList>), (status = 401, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<PoQuery>,
    super::ApiQuery(export): super::ApiQuery<super::export::ExportQuery>,
) -> Result<axum::response::Response, super::ApiError> {
    use axum::response::IntoResponse;
    let file = export.file()?;
    let status = PoStatus::filter(q.status.as_deref())?;
    let filter = PoFilter {
        status,
        supplier_id: q.supplier_id,
        q: q.q,
        page,
        per_page,
    };
    if let Some(format) = file {
        let table = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
            Box::pin(app::procurement::service::export::purchase_orders(
                tx, ctx, filter,
            ))
        })
        .await?;
        return super::export::answer(&ctx, format, "purchase-orders", table).await;
    }
    let result = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list(tx, ctx, filter))
    })
    .await?;
    Ok(Ctx(ctx)
        .ok(PoList {
            pagination: Pagination::new(page, per_page, result.total),
            purchase_orders: result
                .rows
                .into_iter()
                .map(|r| PoRowDto {
                    id: r.id,
                    number: r.number,
                    status: r.status.as_str().into(),
                    supplier: r.supplier,
                    total: r.total,
                    currency: r.currency,
                    expected_delivery_date: r.expected_delivery_date,
                    created_at: r.created_at,
                })
                .collect(),
        })
        .into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct GenerateLineBody {
    pub requisition_line_id: Uuid,
    pub supplier_id: Uuid,
    #[schema(value_type = String, example = "10")]
    pub quantity: Decimal,
    #[schema(value_type = String, example = "1250.00")]
    pub unit_price: Decimal,
    /// Overrides the company's default rate (0.05) for this line
    #[schema(value_type = Option<String>, example = "0.18")]
    pub tax_rate: Option<Decimal>,
}

#[derive(Deserialize, ToSchema)]
pub struct GenerateBody {
    /// Order what remains of these lines from their suggested supplier at the estimated price
    #[serde(default)]
    pub requisition_line_ids: Vec<Uuid>,
    /// Or say exactly what to order; a requisition line may be split across suppliers
    #[serde(default)]
    pub lines: Vec<GenerateLineBody>,
    /// Defaults to the earliest needed-by date of the lines, else two weeks from today
    pub expected_delivery_date: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct PoCreated {
    pub purchase_orders: Vec<PoDto>,
}

#[utoipa::path(post, path = "/api/v1/purchase-orders", tag = "purchasing", request_body = GenerateBody,
    description = "One order per supplier (and delivery plant), each numbered PO-{year}-{n} and sent into approval at once. A line is never ordered beyond its quantity: 422 when a request asks more than the line holds, 409 when others ordered it meanwhile. Accepts `Idempotency-Key`.",
    responses((status = 201, body = super::Envelope<PoCreated>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 409, description = "CONFLICT: the lines were ordered meanwhile", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR with field paths such as lines[1].quantity", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn generate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<GenerateBody>,
) -> ApiResult<PoCreated> {
    let input = GenerateInput {
        requisition_line_ids: body.requisition_line_ids,
        lines: body
            .lines
            .into_iter()
            .map(|l| o::GenerateLine {
                requisition_line_id: l.requisition_line_id,
                supplier_id: l.supplier_id,
                quantity: l.quantity,
                unit_price: l.unit_price,
                tax_rate: l.tax_rate,
            })
            .collect(),
        expected_delivery_date: body.expected_delivery_date,
    };
    let pos = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::generate(tx, ctx, input))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(
        StatusCode::CREATED,
        PoCreated {
            purchase_orders: pos.into_iter().map(PoDto::from).collect(),
        },
        "",
    ))
}

#[derive(Serialize, ToSchema)]
pub struct OrderableDto {
    pub requisition_line_id: Uuid,
    pub requisition_id: Uuid,
    pub requisition_number: String,
    pub requester: String,
    pub plant: Option<String>,
    pub needed_by: Option<NaiveDate>,
    pub description: String,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub ordered_quantity: Decimal,
    #[schema(value_type = String)]
    pub remaining: Decimal,
    pub unit: String,
    #[schema(value_type = String)]
    pub estimated_unit_price: Decimal,
    pub supplier_id: Option<Uuid>,
    pub supplier: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderableList {
    pub lines: Vec<OrderableDto>,
}

#[utoipa::path(get, path = "/api/v1/purchase-orders/orderable-lines", tag = "purchasing",
    description = "Approved requisition lines with quantity still to order (po:create).",
    responses((status = 200, body = super::Envelope<OrderableList>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn orderable(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<OrderableList> {
    let rows = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::orderable_lines(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(OrderableList {
        lines: rows
            .into_iter()
            .map(|l| OrderableDto {
                requisition_line_id: l.requisition_line_id,
                requisition_id: l.requisition_id,
                requisition_number: l.requisition_number,
                requester: l.requester,
                plant: l.plant,
                needed_by: l.needed_by,
                description: l.description,
                quantity: l.quantity,
                ordered_quantity: l.ordered_quantity,
                remaining: l.remaining,
                unit: l.unit,
                estimated_unit_price: l.estimated_unit_price,
                supplier_id: l.supplier_id,
                supplier: l.supplier,
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/purchase-orders/{id}", tag = "purchasing", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<PoDto>), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_one(State(state): State<AppState>, Ctx(ctx): Ctx, id: IdPath) -> ApiResult<PoDto> {
    let id = id_of(id)?;
    let po = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(po.into()))
}

#[utoipa::path(get, path = "/api/v1/purchase-orders/{id}/pdf", tag = "purchasing", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The order as a PDF", content_type = "application/pdf", body = super::contract::Binary), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn pdf(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> Result<Response, ApiError> {
    let id = id_of(id)?;
    let (name, bytes) = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::pdf(tx, ctx, id.into()))
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn decide(
    state: AppState,
    ctx: app::platform::context::RequestCtx,
    id: IdPath,
    action: Action,
    body: CommentBody,
) -> ApiResult<PoDto> {
    let comment = body.comment;
    let id = id_of(id)?;
    let po = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::decide(tx, ctx, id.into(), action, comment))
    })
    .await?;
    Ok(Ctx(ctx).ok(po.into()))
}

#[utoipa::path(post, path = "/api/v1/purchase-orders/{id}/approve", tag = "purchasing", params(("id" = Uuid, Path)), request_body = Option<CommentBody>,
    description = "Only an approver of the open stage (seed rule: ProcurementMgr above the company threshold); never the order's creator.",
    responses((status = 200, body = super::Envelope<PoDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 409, description = "Another approver decided first", body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn approve(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    OptionalJson(body): OptionalJson<CommentBody>,
) -> ApiResult<PoDto> {
    decide(state, ctx, id, Action::Approve, body).await
}

#[utoipa::path(post, path = "/api/v1/purchase-orders/{id}/reject", tag = "purchasing", params(("id" = Uuid, Path)), request_body = ReasonBody,
    description = "Rejecting cancels the order and gives its quantities back to the requisition lines. Comment required.",
    responses((status = 200, body = super::Envelope<PoDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope), (status = 409, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    OptionalJson(body): OptionalJson<CommentBody>,
) -> ApiResult<PoDto> {
    decide(state, ctx, id, Action::Reject, body).await
}

#[utoipa::path(post, path = "/api/v1/purchase-orders/{id}/send", tag = "purchasing", params(("id" = Uuid, Path)),
    description = "E-mails the PDF to the supplier through the outbox (delivered by the mail worker over SMTP) → sent. Allowed when approved or already sent (re-send).",
    responses((status = 200, body = super::Envelope<PoDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE, or VALIDATION_ERROR supplier.email when the supplier has no e-mail", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn send(State(state): State<AppState>, Ctx(ctx): Ctx, id: IdPath) -> ApiResult<PoDto> {
    let id = id_of(id)?;
    let po = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::send(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(po.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusBody {
    #[schema(inline, value_type = TargetStatus)]
    pub status: String,
    /// Why; required, not blank
    #[schema(value_type = String, min_length = 1)]
    pub comment: Option<String>,
}

/// The statuses an order can be put in by hand.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum TargetStatus {
    Cancelled,
    Closed,
}

#[utoipa::path(put, path = "/api/v1/purchase-orders/{id}/status", tag = "purchasing", params(("id" = Uuid, Path)), request_body = StatusBody,
    description = "cancelled: before any goods arrived (quantities go back to the requisitions); closed: once sent. A comment is required.",
    responses((status = 200, body = super::Envelope<PoDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR or INVALID_STATE", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn set_status(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<StatusBody>,
) -> ApiResult<PoDto> {
    let target = match body.status.parse::<PoStatus>().ok() {
        Some(s @ (PoStatus::Cancelled | PoStatus::Closed)) => s,
        _ => return Err(ApiError(AppError::field("status", FieldError::Invalid))),
    };
    let id = id_of(id)?;
    let po = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::set_status(
            tx,
            ctx,
            id.into(),
            target,
            body.comment,
        ))
    })
    .await?;
    Ok(Ctx(ctx).ok(po.into()))
}

#[derive(Serialize, ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PendingItem {
    pub doc_type: String,
    pub doc_id: Uuid,
    pub number: String,
    pub waiting_since: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PurchasingDto {
    pub lines_waiting: i64,
    #[schema(value_type = String)]
    pub po_value_this_month: Decimal,
    pub po_count_this_month: i64,
    pub awaiting_delivery: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardDto {
    pub currency: String,
    /// Present for those who raise requisitions
    pub my_requisitions: Option<Vec<StatusCount>>,
    /// Present for approvers, oldest first
    pub pending_approvals: Option<Vec<PendingItem>>,
    /// Present for procurement
    pub purchasing: Option<PurchasingDto>,
    /// Hours from submission to approval, requisitions approved in the last 30 days
    #[schema(value_type = Option<String>)]
    pub average_approval_hours: Option<Decimal>,
    pub approved_last_30_days: i64,
}

#[utoipa::path(get, path = "/api/v1/dashboard", tag = "purchasing",
    description = "The caller's procurement dashboard; sections appear by permission.",
    responses((status = 200, body = super::Envelope<DashboardDto>), (status = 401, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn dashboard(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<DashboardDto> {
    let d = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(app::procurement::service::dashboard::dashboard(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(DashboardDto {
        currency: d.currency,
        my_requisitions: d.my_requisitions.map(|rows| {
            rows.into_iter()
                .map(|(s, n)| StatusCount {
                    status: s.as_str().into(),
                    count: n,
                })
                .collect()
        }),
        pending_approvals: d.pending.map(|rows| {
            rows.into_iter()
                .map(|p| PendingItem {
                    doc_type: p.doc_type,
                    doc_id: p.doc_id,
                    number: p.number,
                    waiting_since: p.waiting_since,
                    due_at: p.due_at,
                    overdue: p.overdue,
                })
                .collect()
        }),
        purchasing: d.purchasing.map(|s| PurchasingDto {
            lines_waiting: s.lines_waiting,
            po_value_this_month: s.po_value_this_month,
            po_count_this_month: s.po_count_this_month,
            awaiting_delivery: s.awaiting_delivery,
        }),
        average_approval_hours: d.average_approval_hours,
        approved_last_30_days: d.approved_last_30_days,
    }))
}
