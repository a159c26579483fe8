//! `/api/v1` procurement: requisitions and their transitions, the approval inbox.
use super::{
    id_of, ApiJson, ApiResult, Ctx, IdPath, ListQuery, OptionalJson, PageQuery, Pagination,
};
use app::approvals::model::{Action, PendingApproval};
use app::platform::context::AppState;
use app::procurement::model::{RequisitionFilter, Status};
use app::procurement::service;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

mod dto;
pub use dto::*;

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

#[utoipa::path(get, path = "/api/v1/requisitions", tag = "procurement", params(RequisitionQuery, PageQuery, super::export::ExportQuery),
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
    super::ApiQuery(export): super::ApiQuery<super::export::ExportQuery>,
) -> Result<axum::response::Response, super::ApiError> {
    use axum::response::IntoResponse;
    let file = export.file()?;
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
    if let Some(format) = file {
        let table = service::export::requisitions(&state, &ctx, filter).await?;
        return super::export::answer(&ctx, format, "requisitions", table).await;
    }
    let result = service::list(&state, &ctx, filter).await?;
    Ok(Ctx(ctx)
        .ok(RequisitionList {
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
        })
        .into_response())
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
