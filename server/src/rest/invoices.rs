//! `/api/v1/supplier-invoices`: supplier invoices through the same services as the finance
//! screens. `invoice:create` enters, submits, holds, releases and cancels; readers of the books
//! read; the approvers of an exception's open stage approve or reject.
use super::procurement::{CommentBody, ReasonBody};
use super::{
    id_of, ApiJson, ApiQuery, ApiResult, Ctx, IdPath, ListQuery, OptionalJson, Pagination,
};
use app::approvals::model::Action;
use app::finance::invoice::{InvoiceFilter, InvoiceInput, SupplierInvoice};
use app::finance::service::invoices as service;
use app::platform::context::AppState;
use app::platform::tx::{run, run_planned};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/supplier-invoices", get(list).post(create))
        .route("/supplier-invoices/billable", get(billable))
        .route("/supplier-invoices/{id}", get(get_one))
        .route("/supplier-invoices/{id}/submit", post(submit))
        .route("/supplier-invoices/{id}/approve", post(approve))
        .route("/supplier-invoices/{id}/reject", post(reject))
        .route("/supplier-invoices/{id}/hold", post(hold))
        .route("/supplier-invoices/{id}/release", post(release))
        .route("/supplier-invoices/{id}/cancel", post(cancel))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceQuery {
    #[param(nullable = false, inline)]
    pub status: Option<InvoiceStatus>,
    /// `exception`: invoices with a line beyond the tolerance (waiting for approval, or approved)
    #[param(nullable = false, inline)]
    pub match_status: Option<MatchStatus>,
    #[param(nullable = false)]
    pub supplier_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    Matched,
    Exception,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    PendingApproval,
    AwaitingGoods,
    Posted,
    OnHold,
    PartiallyPaid,
    Paid,
    Cancelled,
}

impl InvoiceStatus {
    fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::PendingApproval => "pending_approval",
            InvoiceStatus::AwaitingGoods => "awaiting_goods",
            InvoiceStatus::Posted => "posted",
            InvoiceStatus::OnHold => "on_hold",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceList {
    /// Newest first
    pub supplier_invoices: Vec<SupplierInvoice>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/api/v1/supplier-invoices", tag = "finance", params(InvoiceQuery, super::PageQuery),
    description = "Supplier invoices, newest first, each with its lines and their match. Readers of the books (accountants, procurement managers, executives).",
    responses((status = 200, body = super::Envelope<InvoiceList>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<InvoiceQuery>,
) -> ApiResult<InvoiceList> {
    let f = InvoiceFilter {
        status: q.status.map(|s| s.as_str().to_string()),
        match_status: q.match_status.map(|m| {
            match m {
                MatchStatus::Matched => "matched",
                MatchStatus::Exception => "exception",
            }
            .to_string()
        }),
        supplier_id: q.supplier_id,
        page,
        per_page,
    };
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::list(tx, ctx, f))
    })
    .await?;
    Ok(Ctx(ctx).ok(InvoiceList {
        pagination: Pagination::new(r.page, r.per_page, r.total),
        supplier_invoices: r.rows,
    }))
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices", tag = "finance", request_body = InvoiceInput,
    description = "Enters a supplier invoice as a draft (`invoice:create`) against lines of the supplier's purchase orders: each line matched now (ordered, received, invoiced before, the order's price within the tolerance), GST by head (CGST + SGST within the supplier's state, IGST across; one `tax` head outside India), TDS at the supplier's rate; the due date from the supplier's payment terms unless given. Prices may not have more decimals than the currency.",
    responses((status = 201, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `invoice:create`", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the supplier's invoice number is entered already", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `supplier_id`, `number`, `lines`, `lines[N].purchase_order_line_id` (not the supplier's), `lines[N].quantity`, `lines[N].unit_price` (negative, too many decimals), `lines[N].tax_rate`, `place_of_supply`, `due_date`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<InvoiceInput>,
) -> ApiResult<SupplierInvoice> {
    // keyed reads and writes: planned once per connection (procurement's order-line read cost
    // more to plan, 2 ms, than to run, and PostgreSQL planned it at every call)
    let i = run_planned(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::create(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, i, ""))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BillableQuery {
    /// The supplier whose orders are billed
    pub supplier_id: Uuid,
    /// One of its orders, whose lines are wanted
    #[param(nullable = false)]
    pub purchase_order_id: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/supplier-invoices/billable", tag = "finance", params(BillableQuery),
    description = "What is left to bill of a supplier's purchase orders (`invoice:create`): the orders (approved to closed) with a line received and not fully invoiced, newest first; with `purchase_order_id`, that order's lines with something left to bill — ordered, received, invoiced so far by invoices not cancelled (drafts included), open to invoice (received less invoiced; a line not yet received shows 0 and may be billed ahead of the goods), the order's price, and in India the item's GST rate and HSN/SAC.",
    responses((status = 200, body = super::Envelope<app::finance::billable::Billable>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `invoice:create`", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `supplier_id` missing or not a supplier of the company; `purchase_order_id` not one of the supplier's billable orders", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn billable(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<BillableQuery>,
) -> ApiResult<app::finance::billable::Billable> {
    let (supplier, order) = (q.supplier_id, q.purchase_order_id);
    let b = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::billable::billable(
            tx, ctx, supplier, order,
        ))
    })
    .await?;
    Ok(Ctx(ctx).ok(b))
}

#[utoipa::path(get, path = "/api/v1/supplier-invoices/{id}", tag = "finance", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such invoice in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<SupplierInvoice> {
    let id = id_of(id)?;
    let i = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::get(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(i))
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices/{id}/submit", tag = "finance", params(("id" = Uuid, Path)),
    description = "Submits a draft (`invoice:create`), matching each line again: matched, it posts (`posted`: GRNI cleared at the order's price, the difference to price variance, GST input by head, TDS payable, accounts payable); a price or quantity exception goes to its approvers (`pending_approval`); a line billed before its goods came makes it wait (`awaiting_goods`) until they are received, then it posts.",
    responses((status = 200, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `invoice:create`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such invoice in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: not a draft; PERIOD_CLOSED: today's period is closed; VALIDATION_ERROR `approval`: nobody may approve the exception", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<SupplierInvoice> {
    let id = id_of(id)?;
    let i = run_planned(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::submit(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(i))
}

async fn decide(
    state: AppState,
    ctx: app::platform::context::RequestCtx,
    id: IdPath,
    action: Action,
    comment: Option<String>,
) -> ApiResult<SupplierInvoice> {
    let id = id_of(id)?;
    let i = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::decide(tx, ctx, id, action, comment))
    })
    .await?;
    Ok(Ctx(ctx).ok(i))
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices/{id}/approve", tag = "finance", params(("id" = Uuid, Path)), request_body = Option<CommentBody>,
    description = "Approves an exception's open stage (its approver or their delegate; never who entered it). At the last stage the invoice posts, or waits for goods.",
    responses((status = 200, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller is not an approver of the open stage", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such invoice in the company", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: another approver decided first", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: not pending approval; PERIOD_CLOSED", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn approve(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    OptionalJson(body): OptionalJson<CommentBody>,
) -> ApiResult<SupplierInvoice> {
    decide(state, ctx, id, Action::Approve, body.comment).await
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices/{id}/reject", tag = "finance", params(("id" = Uuid, Path)), request_body = ReasonBody,
    description = "Rejects an exception (an approver of the open stage, with a reason): the invoice goes back to draft, to be corrected or cancelled.",
    responses((status = 200, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller is not an approver of the open stage", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such invoice in the company", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: another approver decided first", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: comment required; INVALID_STATE: not pending approval", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    OptionalJson(body): OptionalJson<CommentBody>,
) -> ApiResult<SupplierInvoice> {
    decide(state, ctx, id, Action::Reject, body.comment).await
}

async fn set_state(
    state: AppState,
    ctx: app::platform::context::RequestCtx,
    id: IdPath,
    to: &'static str,
) -> ApiResult<SupplierInvoice> {
    let id = id_of(id)?;
    let i = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::set_state(tx, ctx, id, to))
    })
    .await?;
    Ok(Ctx(ctx).ok(i))
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices/{id}/hold", tag = "finance", params(("id" = Uuid, Path)),
    description = "Holds a posted invoice from payment (`invoice:create`).",
    responses((status = 200, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `invoice:create`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such invoice in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: not posted or partially paid", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn hold(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<SupplierInvoice> {
    set_state(state, ctx, id, "on_hold").await
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices/{id}/release", tag = "finance", params(("id" = Uuid, Path)),
    description = "Releases a held invoice (`invoice:create`): posted again, or partially paid.",
    responses((status = 200, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `invoice:create`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such invoice in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: not on hold", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn release(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<SupplierInvoice> {
    set_state(state, ctx, id, "released").await
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices/{id}/cancel", tag = "finance", params(("id" = Uuid, Path)),
    description = "Cancels an invoice not yet posted (`invoice:create`): a draft, one waiting for goods or for approval. Its supplier number is free again.",
    responses((status = 200, body = super::Envelope<SupplierInvoice>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `invoice:create`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such invoice in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: posted already (reverse it instead) or cancelled", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<SupplierInvoice> {
    set_state(state, ctx, id, "cancelled").await
}

pub fn payments_router() -> Router<AppState> {
    Router::new()
        .route("/payments", get(list_payments).post(create_payment))
        .route("/payments/{id}", get(get_payment))
        .route("/finance/summary", get(super::fpay::summary))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentQuery {
    #[param(nullable = false)]
    pub supplier_id: Option<Uuid>,
    /// Dated on or after this day (YYYY-MM-DD)
    #[param(nullable = false)]
    pub from: Option<chrono::NaiveDate>,
    /// Dated on or before this day (YYYY-MM-DD)
    #[param(nullable = false)]
    pub to: Option<chrono::NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentList {
    /// Newest first, each with what it settled
    pub payments: Vec<app::finance::payment::Payment>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/api/v1/payments", tag = "finance", params(PaymentQuery, super::PageQuery),
    description = "Payments to suppliers, newest first, each with the invoices it settled; of one supplier, dated from/to. Those who enter, pay or keep invoices (`invoice:create`, `payment:process`, `accounting:manage`).",
    responses((status = 200, body = super::Envelope<PaymentList>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_payments(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<PaymentQuery>,
) -> ApiResult<PaymentList> {
    let (supplier, dates) = (q.supplier_id, (q.from, q.to));
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::payments::list(
            tx, ctx, supplier, dates, page, per_page,
        ))
    })
    .await?;
    Ok(Ctx(ctx).ok(PaymentList {
        pagination: Pagination::new(r.page, r.per_page, r.total),
        payments: r.rows,
    }))
}

#[utoipa::path(post, path = "/api/v1/payments", tag = "finance", request_body = app::finance::payment::PaymentInput,
    description = "Pays a supplier (`payment:process`) from a bank account of the chart (`control` bank): one or several of its posted or partially paid invoices, each in part or in full but never beyond what is still due (TDS deducted). Posts accounts payable against the bank; the invoices become partially paid or paid. Of two payments of one invoice at once, the second sees what the first left.",
    responses((status = 201, body = super::Envelope<app::finance::payment::Payment>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `payment:process`", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `supplier_id`, `bank_account_id` (not a bank account), `allocations` (none, an invoice twice), `allocations[N].supplier_invoice_id` (not the supplier's, or held, draft, paid), `allocations[N].amount` (more than due, not positive, too many decimals); PERIOD_CLOSED", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_payment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<app::finance::payment::PaymentInput>,
) -> ApiResult<app::finance::payment::Payment> {
    let r = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(app::finance::service::payments::create(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, r, ""))
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "finance", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<app::finance::payment::Payment>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such payment in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_payment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<app::finance::payment::Payment> {
    let id = id_of(id)?;
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::payments::get(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}

pub fn runs_router() -> Router<AppState> {
    Router::new()
        .route(
            "/payment-runs",
            get(super::fpay::list_runs).post(propose_run),
        )
        .route(
            "/payment-runs/{id}/invoices/{invoice_id}",
            axum::routing::put(super::fpay::set_run_line),
        )
        .route("/payment-runs/{id}", get(get_run))
        .route("/payment-runs/{id}/approve", post(approve_run))
        .route("/payment-runs/{id}/bank-file", get(bank_file))
}

#[utoipa::path(post, path = "/api/v1/payment-runs", tag = "finance", request_body = app::finance::payment::PaymentRunInput,
    description = "Proposes a payment run (`payment:process`): every posted or partially paid invoice not on hold whose due date is on or before `due_by` (of `supplier_ids` only, if given), for what is still due, grouped by supplier. Nothing is paid until it is approved.",
    responses((status = 201, body = super::Envelope<app::finance::payment::PaymentRun>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `payment:process`", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `bank_account_id` not a bank account of the chart, or none kept", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn propose_run(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<app::finance::payment::PaymentRunInput>,
) -> ApiResult<app::finance::payment::PaymentRun> {
    let r = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(app::finance::service::runs::propose(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, r, ""))
}

#[utoipa::path(get, path = "/api/v1/payment-runs/{id}", tag = "finance", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<app::finance::payment::PaymentRun>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such run in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_run(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<app::finance::payment::PaymentRun> {
    let id = id_of(id)?;
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::runs::get(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}

#[utoipa::path(post, path = "/api/v1/payment-runs/{id}/approve", tag = "finance", params(("id" = Uuid, Path)),
    description = "Approves a proposed run (`payment:process`): one payment per supplier for what the run proposed, all in one transaction (an invoice paid or held since refuses the whole run), and a payment advice e-mailed to each supplier with an address, in its language.",
    responses((status = 200, body = super::Envelope<app::finance::payment::PaymentRun>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `payment:process`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such run in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: approved already; VALIDATION_ERROR: nothing to pay (`due_by`), or an invoice no longer payable (`allocations[N]…`); PERIOD_CLOSED", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn approve_run(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<app::finance::payment::PaymentRun> {
    let id = id_of(id)?;
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::runs::approve(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}

#[utoipa::path(get, path = "/api/v1/payment-runs/{id}/bank-file", tag = "finance", params(("id" = Uuid, Path)),
    description = "The bank upload file of an approved run (`payment:process`): CSV with a header row `payment,date,supplier_code,supplier,amount,currency,reference,invoices`, one row per payment.",
    responses((status = 200, description = "The file", content_type = "text/csv", body = String),
        (status = 403, description = "FORBIDDEN: the caller does not hold `payment:process`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such run in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: the run is not approved", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn bank_file(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> Result<axum::response::Response, super::ApiError> {
    use axum::response::IntoResponse;
    let id = id_of(id)?;
    let (name, text) = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(app::finance::service::runs::bank_file(tx, ctx, id))
    })
    .await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        text,
    )
        .into_response())
}
