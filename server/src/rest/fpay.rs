//! The payment screens' REST additions: the list of payment runs, changing what a proposed run
//! pays of an invoice, and the accountant's home (`/finance/summary`) — the same services as the
//! screens' server functions. The routes are registered in [`super::invoices`]'s routers.
use super::{ApiJson, ApiResult, Ctx, ListQuery, Pagination};
use app::finance::pay_model::{FinanceSummary, RunLineInput, RunListItem};
use app::finance::payment::PaymentRun;
use app::platform::context::AppState;
use app::platform::tx::run;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct RunList {
    /// Newest first
    pub runs: Vec<RunListItem>,
    pub pagination: Pagination,
}

/// No filter.
#[derive(Deserialize)]
pub struct NoFilter {}

#[utoipa::path(get, path = "/api/v1/payment-runs", tag = "finance", params(super::PageQuery),
    description = "Payment runs, newest first, each with how many invoices of how many suppliers it pays and the total. Readers of the books.",
    responses((status = 200, body = super::Envelope<RunList>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_runs(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery { page, per_page, .. }: ListQuery<NoFilter>,
) -> ApiResult<RunList> {
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::runs::list(tx, ctx, page, per_page))
    })
    .await?;
    Ok(Ctx(ctx).ok(RunList {
        pagination: Pagination::new(r.page, r.per_page, r.total),
        runs: r.rows,
    }))
}

type RunInvoicePath = Result<Path<(Uuid, Uuid)>, axum::extract::rejection::PathRejection>;

#[utoipa::path(put, path = "/api/v1/payment-runs/{id}/invoices/{invoice_id}", tag = "finance",
    params(("id" = Uuid, Path), ("invoice_id" = Uuid, Path)), request_body = RunLineInput,
    description = "Changes what a proposed payment run pays of one of its invoices (`payment:process`): `amount` is a part of what is still due on it (never more), `0` drops the invoice from the run. Only while the run is proposed.",
    responses((status = 200, body = super::Envelope<PaymentRun>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `payment:process`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such run in the company, or the run does not hold the invoice", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: the run is approved; VALIDATION_ERROR: `amount` more than is due, negative, or with more decimals than the currency", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn set_run_line(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ids: RunInvoicePath,
    ApiJson(body): ApiJson<RunLineInput>,
) -> ApiResult<PaymentRun> {
    let Path((id, invoice_id)) =
        ids.map_err(|_| super::ApiError(app::error::AppError::NotFound))?;
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::runs::set_line(
            tx, ctx, id, invoice_id, body,
        ))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}

#[utoipa::path(get, path = "/api/v1/finance/summary", tag = "finance",
    description = "The accountant's home: invoices in draft and waiting for approval, match exceptions not yet posted, what is still owed on invoices due this week (today to `week_end`) and overdue (held ones too, as the AP ageing counts them), this month's payments (count and amount) — `payables`, only for those who enter, pay or keep invoices (`invoice:create`, `payment:process`, `accounting:manage`) — and the GRNI total with its oldest lines. Readers of financial reports, `invoice:create` or `payment:process`.",
    responses((status = 200, body = super::Envelope<FinanceSummary>),
        (status = 403, description = "FORBIDDEN: the caller reads neither financial reports nor payables", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn summary(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<FinanceSummary> {
    let r = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(app::finance::service::home::summary(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}
