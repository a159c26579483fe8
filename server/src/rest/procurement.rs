//! `/api/v1` procurement: requisitions and their transitions, the approval inbox.
use super::{
    id_of, ApiJson, ApiResult, Ctx, IdPath, ListQuery, OptionalJson, PageQuery, Pagination,
};
use app::approvals::model::{Action, HistoryEntry, PendingApproval, RouteStep};
use app::error::AppError;
use app::platform::context::AppState;
use app::procurement::model::{self as m, RequisitionFilter, RequisitionInput, Status};
use app::procurement::service;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/requisitions",
            get(list_requisitions).post(create_requisition),
        )
        .route(
            "/requisitions/{id}",
            get(get_requisition)
                .put(update_requisition)
                .delete(delete_requisition),
        )
        .route("/requisitions/{id}/submit", post(submit))
        .route("/requisitions/{id}/approve", post(approve))
        .route("/requisitions/{id}/reject", post(reject))
        .route("/requisitions/{id}/send-back", post(send_back))
        .route("/approvals/pending", get(pending))
}

// ---- requisitions ----

#[derive(Deserialize, ToSchema)]
pub struct LineBody {
    /// Catalogue item (arrives with the inventory module); free text otherwise
    pub item_id: Option<Uuid>,
    pub description: String,
    /// Decimal string, > 0, at most 3 decimals
    #[schema(value_type = String, example = "12.5")]
    pub quantity: Decimal,
    pub unit: String,
    /// Decimal string in the company currency, ≥ 0, at most its minor unit
    #[schema(value_type = String, example = "1250.50")]
    pub estimated_unit_price: Decimal,
    pub supplier_id: Option<Uuid>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct RequisitionBody {
    /// daily_operations or project
    pub purpose: String,
    /// Required when the purpose is project
    pub project_id: Option<Uuid>,
    pub needed_by: Option<NaiveDate>,
    pub notes: Option<String>,
    pub lines: Vec<LineBody>,
}

impl TryFrom<RequisitionBody> for RequisitionInput {
    type Error = AppError;
    fn try_from(b: RequisitionBody) -> Result<Self, AppError> {
        let purpose = b
            .purpose
            .parse::<m::Purpose>()
            .map_err(|e| AppError::field("purpose", e))?;
        Ok(RequisitionInput {
            purpose,
            project_id: b.project_id,
            needed_by: b.needed_by,
            notes: b.notes,
            lines: b
                .lines
                .into_iter()
                .map(|l| m::LineInput {
                    item_id: l.item_id,
                    description: l.description,
                    quantity: l.quantity,
                    unit: l.unit,
                    estimated_unit_price: l.estimated_unit_price,
                    supplier_id: l.supplier_id,
                    note: l.note,
                })
                .collect(),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct LineDto {
    pub id: Uuid,
    pub line_no: i32,
    pub item_id: Option<Uuid>,
    pub description: String,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    pub unit: String,
    #[schema(value_type = String)]
    pub estimated_unit_price: Decimal,
    #[schema(value_type = String)]
    pub line_total: Decimal,
    pub supplier_id: Option<Uuid>,
    pub supplier: Option<String>,
    pub note: Option<String>,
    #[schema(value_type = String)]
    pub ordered_quantity: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct ApprovalDto {
    pub stage: Option<i32>,
    pub approver: String,
    pub on_behalf_of: Option<String>,
    /// submit, resubmit, approve, reject, send_back, cancel, escalate
    pub action: String,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<HistoryEntry> for ApprovalDto {
    fn from(h: HistoryEntry) -> Self {
        ApprovalDto {
            stage: h.stage,
            approver: h.approver,
            on_behalf_of: h.on_behalf_of,
            action: h.action,
            comment: h.comment,
            at: h.at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RouteStepDto {
    pub stage: i32,
    pub name: String,
    /// waiting, pending, approved, rejected, returned, cancelled
    pub status: String,
    pub approvers: Vec<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub escalated: bool,
}

impl From<RouteStep> for RouteStepDto {
    fn from(r: RouteStep) -> Self {
        RouteStepDto {
            stage: r.stage,
            name: r.name,
            status: r.status,
            approvers: r.approvers,
            due_at: r.due_at,
            escalated: r.escalated,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RequisitionDto {
    pub id: Uuid,
    /// PR-2026-000123
    pub number: String,
    /// draft, submitted, under_review, approved, questioned, rejected, cancelled
    pub status: String,
    pub purpose: String,
    pub project_id: Option<Uuid>,
    pub requester: String,
    pub department: Option<String>,
    pub plant: Option<String>,
    pub needed_by: Option<NaiveDate>,
    pub notes: Option<String>,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub currency: String,
    pub lines: Vec<LineDto>,
    pub approvals: Vec<ApprovalDto>,
    /// The route fixed at submission (its latest round)
    pub route: Vec<RouteStepDto>,
    pub current_stage: Option<i32>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<m::Requisition> for RequisitionDto {
    fn from(r: m::Requisition) -> Self {
        RequisitionDto {
            id: r.id,
            number: r.number,
            status: r.status.as_str().into(),
            purpose: r.purpose.as_str().into(),
            project_id: r.project_id,
            requester: r.requester,
            department: r.department,
            plant: r.plant,
            needed_by: r.needed_by,
            notes: r.notes,
            total: r.total,
            currency: r.currency,
            lines: r
                .lines
                .into_iter()
                .map(|l| LineDto {
                    id: l.id,
                    line_no: l.line_no,
                    item_id: l.item_id,
                    description: l.description,
                    quantity: l.quantity,
                    unit: l.unit,
                    estimated_unit_price: l.estimated_unit_price,
                    line_total: l.line_total,
                    supplier_id: l.supplier_id,
                    supplier: l.supplier,
                    note: l.note,
                    ordered_quantity: l.ordered_quantity,
                })
                .collect(),
            approvals: r.approvals.into_iter().map(ApprovalDto::from).collect(),
            route: r.route.into_iter().map(RouteStepDto::from).collect(),
            current_stage: r.current_stage,
            version: r.version,
            created_at: r.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RequisitionRowDto {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub purpose: String,
    pub requester: String,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub currency: String,
    pub needed_by: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RequisitionList {
    pub requisitions: Vec<RequisitionRowDto>,
    pub pagination: Pagination,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequisitionQuery {
    #[param(schema_with = super::contract::requisition_status)]
    pub status: Option<String>,
    /// only the caller's own
    #[param(nullable = false)]
    pub mine: Option<bool>,
    /// number, requester, notes or line text
    #[param(nullable = false)]
    pub q: Option<String>,
    /// created on or after (YYYY-MM-DD)
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// created on or before (YYYY-MM-DD)
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/requisitions", tag = "procurement", params(RequisitionQuery, PageQuery),
    description = "Requisitions the caller may see: their own, their department's, plant's or all by the scope of requisition:view, and any they approve.",
    responses((status = 200, body = super::Envelope<RequisitionList>), (status = 401, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_requisitions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<RequisitionQuery>,
) -> ApiResult<RequisitionList> {
    let status = Status::filter(q.status.as_deref())?;
    let filter = RequisitionFilter {
        status,
        mine: q.mine.unwrap_or(false),
        q: q.q,
        from: q.from,
        to: q.to,
        page,
        per_page,
    };
    let result = service::list(&state, &ctx, filter).await?;
    Ok(Ctx(ctx).ok(RequisitionList {
        pagination: Pagination::new(page, per_page, result.total),
        requisitions: result
            .rows
            .into_iter()
            .map(|r| RequisitionRowDto {
                id: r.id,
                number: r.number,
                status: r.status.as_str().into(),
                purpose: r.purpose.as_str().into(),
                requester: r.requester,
                total: r.total,
                currency: r.currency,
                needed_by: r.needed_by,
                created_at: r.created_at,
            })
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/requisitions", tag = "procurement", request_body = RequisitionBody,
    description = "Creates a draft with the next number PR-{year}-{n} (gap-free). Accepts `Idempotency-Key`.",
    responses((status = 201, body = super::Envelope<RequisitionDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR with field paths such as lines[2].quantity", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_requisition(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<RequisitionBody>,
) -> ApiResult<RequisitionDto> {
    let r = service::create(&state, &ctx, body.try_into()?).await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, r.into(), ""))
}

#[utoipa::path(get, path = "/api/v1/requisitions/{id}", tag = "procurement", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<RequisitionDto>), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_requisition(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<RequisitionDto> {
    let id = id_of(id)?;
    let r = app::platform::tx::run_planned(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(r.into()))
}

#[utoipa::path(put, path = "/api/v1/requisitions/{id}", tag = "procurement", params(("id" = Uuid, Path)), request_body = RequisitionBody,
    description = "Only the requester, only in draft or questioned.",
    responses((status = 200, body = super::Envelope<RequisitionDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR or INVALID_STATE", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_requisition(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<RequisitionBody>,
) -> ApiResult<RequisitionDto> {
    let id = id_of(id)?;
    let input = body.try_into()?;
    let r = app::platform::tx::run_planned(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::update(tx, ctx, id.into(), input))
    })
    .await?;
    Ok(Ctx(ctx).ok(r.into()))
}

#[utoipa::path(delete, path = "/api/v1/requisitions/{id}", tag = "procurement", params(("id" = Uuid, Path)),
    description = "Cancels a draft or questioned requisition (its number stays, so numbering has no gaps). Only the requester.",
    responses((status = 200, body = super::Envelope<RequisitionDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn delete_requisition(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<RequisitionDto> {
    let id = id_of(id)?;
    let r = app::platform::tx::run_planned(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::cancel(tx, ctx, id.into(), None))
    })
    .await?;
    Ok(Ctx(ctx).ok(r.into()))
}

#[utoipa::path(post, path = "/api/v1/requisitions/{id}/submit", tag = "procurement", params(("id" = Uuid, Path)),
    description = "Fixes the approval route from the rules in force and opens its first stage → under_review (approved at once when no rule applies).",
    responses((status = 200, body = super::Envelope<RequisitionDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE, or VALIDATION_ERROR when no one can approve a stage", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<RequisitionDto> {
    let id = id_of(id)?;
    let r = app::platform::tx::run_announced(
        &state,
        &ctx,
        app::procurement::service::REQUISITIONS,
        |tx, _, ctx| Box::pin(service::submit(tx, ctx, id.into())),
    )
    .await?;
    Ok(Ctx(ctx).ok(r.into()))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct CommentBody {
    /// Optional when approving
    pub comment: Option<String>,
}

// Read as `CommentBody`, so that a missing comment is the engine's translated `comment_required`.
/// The body of a rejection or a sending back: the comment is required.
#[derive(ToSchema)]
pub struct ReasonBody {
    /// Why; not blank
    #[schema(min_length = 1)]
    pub comment: String,
}

async fn decide(
    state: AppState,
    ctx: app::platform::context::RequestCtx,
    id: IdPath,
    action: Action,
    body: CommentBody,
) -> ApiResult<RequisitionDto> {
    let comment = body.comment;
    let id = id_of(id)?;
    let r = app::platform::tx::run_announced(
        &state,
        &ctx,
        app::procurement::service::REQUISITIONS,
        |tx, _, ctx| Box::pin(service::decide(tx, ctx, id.into(), action, comment)),
    )
    .await?;
    Ok(Ctx(ctx).ok(r.into()))
}

#[utoipa::path(post, path = "/api/v1/requisitions/{id}/approve", tag = "procurement", params(("id" = Uuid, Path)), request_body = Option<CommentBody>,
    description = "Only an approver of the open stage or their delegate; never the requester.",
    responses((status = 200, body = super::Envelope<RequisitionDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 409, description = "Another approver decided first", body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn approve(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    OptionalJson(body): OptionalJson<CommentBody>,
) -> ApiResult<RequisitionDto> {
    decide(state, ctx, id, Action::Approve, body).await
}

#[utoipa::path(post, path = "/api/v1/requisitions/{id}/reject", tag = "procurement", params(("id" = Uuid, Path)), request_body = ReasonBody,
    responses((status = 200, body = super::Envelope<RequisitionDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 409, body = super::ErrorEnvelope), (status = 422, description = "VALIDATION_ERROR: comment required", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    OptionalJson(body): OptionalJson<CommentBody>,
) -> ApiResult<RequisitionDto> {
    decide(state, ctx, id, Action::Reject, body).await
}

#[utoipa::path(post, path = "/api/v1/requisitions/{id}/send-back", tag = "procurement", params(("id" = Uuid, Path)), request_body = ReasonBody,
    description = "Returns the requisition to its requester with a question → questioned.",
    responses((status = 200, body = super::Envelope<RequisitionDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 409, body = super::ErrorEnvelope), (status = 422, description = "VALIDATION_ERROR: comment required", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn send_back(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    OptionalJson(body): OptionalJson<CommentBody>,
) -> ApiResult<RequisitionDto> {
    decide(state, ctx, id, Action::SendBack, body).await
}

#[derive(Serialize, ToSchema)]
pub struct PendingDto {
    pub doc_type: String,
    pub doc_id: Uuid,
    pub number: String,
    pub requester: String,
    pub stage: i32,
    pub stage_name: String,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub currency: String,
    pub waiting_since: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub on_behalf_of: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PendingList {
    pub approvals: Vec<PendingDto>,
}

#[utoipa::path(get, path = "/api/v1/approvals/pending", tag = "procurement",
    description = "The caller's approval inbox across document types, oldest first, including what they hold as a delegate.",
    responses((status = 200, body = super::Envelope<PendingList>), (status = 401, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn pending(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<PendingList> {
    let rows: Vec<PendingApproval> = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(app::approvals::service::pending(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(PendingList {
        approvals: rows
            .into_iter()
            .map(|p| PendingDto {
                overdue: p.overdue,
                doc_type: p.doc_type,
                doc_id: p.doc_id,
                number: p.number,
                requester: p.requester,
                stage: p.stage,
                stage_name: p.stage_name,
                total: p.total,
                currency: p.currency,
                waiting_since: p.waiting_since,
                due_at: p.due_at,
                on_behalf_of: p.on_behalf_of,
            })
            .collect(),
    }))
}
