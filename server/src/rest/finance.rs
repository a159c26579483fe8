//! `/api/v1/accounts`, `/fiscal-years`, `/periods` and `/journal-entries`: the ledger through
//! the same services as the finance screens (the reports are in [`super::reports`]). Readers of the books (accountants,
//! those who enter invoices or pay, readers of financial reports) read; `accounting:manage`
//! changes.
use super::{id_of, ApiJson, ApiResult, Ctx, IdPath, ListQuery, Pagination};
use app::finance::model::{
    Account, AccountInput, FiscalYear, FiscalYearInput, JournalEntry, JournalFilter,
    ManualEntryInput, Period, ReverseEntryInput,
};
use app::finance::service::{chart, journal, periods};
use app::platform::context::AppState;
use app::platform::tx::run;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list_accounts).post(create_account))
        .route("/accounts/import", post(import_accounts))
        .route("/accounts/{id}", put(update_account).get(get_account))
        .route("/fiscal-years", get(list_years).post(create_year))
        .route("/periods/{id}/close", post(close_period))
        .route("/periods/{id}/reopen", post(reopen_period))
        .route("/journal-entries", get(list_entries).post(create_entry))
        .route("/journal-entries/{id}", get(get_entry))
        .route("/journal-entries/{id}/reverse", post(reverse_entry))
}

#[derive(Serialize, ToSchema)]
pub struct AccountList {
    /// In tree order: each group followed by its members
    pub accounts: Vec<Account>,
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "finance",
    description = "The chart of accounts in tree order. Readers of the books: `accounting:manage`, `reports:financial`, `invoice:create` or `payment:process`.",
    responses((status = 200, body = super::Envelope<AccountList>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_accounts(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<AccountList> {
    let accounts = run(&state, &ctx, |tx, _, ctx| Box::pin(chart::list(tx, ctx))).await?;
    Ok(Ctx(ctx).ok(AccountList { accounts }))
}

#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "finance", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<Account>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such account in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_account(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Account> {
    let id = id_of(id)?;
    let a = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(chart::get(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(a))
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "finance", request_body = AccountInput,
    description = "An account or group (`accounting:manage`): a code of 1–20 letters, digits, `.`, `_` or `-`, unique; `kind` asset, liability, equity, income or expense; `parent_id` a group of the same kind; `control` one of ap, grni, inventory, gst_input_cgst, gst_input_sgst, gst_input_igst, tax_input, tds_payable, bank, price_variance, stock_adjustment, consumption, in_transit, opening_balance (held by one account, per plant for inventory; several banks may be kept); `plant_id` only with `control` inventory.",
    responses((status = 201, body = super::Envelope<Account>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: details name each bad field (`code` duplicate or malformed, `kind`, `parent_id`, `control` taken, `plant_id`, `currency`)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_account(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<AccountInput>,
) -> ApiResult<Account> {
    let a = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(chart::save(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, a, ""))
}

#[utoipa::path(put, path = "/api/v1/accounts/{id}", tag = "finance", params(("id" = Uuid, Path)), request_body = AccountInput,
    description = "Changes an account or group (`accounting:manage`), all fields replaced. An account with postings keeps its kind and stays an account; a group with members stays a group; a group never hangs under itself or its members.",
    responses((status = 200, body = super::Envelope<Account>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such account in the company", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: details name each bad field (`kind` locked, `is_group` locked, `parent_id` a cycle, …)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_account(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<AccountInput>,
) -> ApiResult<Account> {
    let id = id_of(id)?;
    let a = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(chart::save(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(a))
}

#[derive(Deserialize, ToSchema)]
pub struct AccountImport {
    /// CSV text: a header row naming `code`, `name`, `kind` and optionally `parent_code`,
    /// `is_group`, `control`; then one account per row (at most 5,000)
    pub csv: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountImported {
    /// Accounts added or changed
    pub saved: usize,
}

#[utoipa::path(post, path = "/api/v1/accounts/import", tag = "finance", request_body = AccountImport,
    description = "Accounts from CSV (`accounting:manage`): a code already in the chart is changed, a new one added; a parent may be earlier in the file or in the chart. All rows or none: every bad row is reported as `rows[N].field`.",
    responses((status = 200, body = super::Envelope<AccountImported>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `file` (no header, no rows, too many) or `rows[N].field`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn import_accounts(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<AccountImport>,
) -> ApiResult<AccountImported> {
    let saved = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(async move { chart::import_csv(tx, ctx, &body.csv).await })
    })
    .await?;
    Ok(Ctx(ctx).ok(AccountImported { saved }))
}

#[derive(Serialize, ToSchema)]
pub struct FiscalYearList {
    /// Newest first, each with its periods
    pub fiscal_years: Vec<FiscalYear>,
}

#[utoipa::path(get, path = "/api/v1/fiscal-years", tag = "finance",
    description = "The fiscal years, newest first, with their monthly periods (open or closed). A posting on a date no year covers makes that year from the month the company's year starts.",
    responses((status = 200, body = super::Envelope<FiscalYearList>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_years(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<FiscalYearList> {
    let fiscal_years = run(&state, &ctx, |tx, _, ctx| Box::pin(periods::years(tx, ctx))).await?;
    Ok(Ctx(ctx).ok(FiscalYearList { fiscal_years }))
}

#[utoipa::path(post, path = "/api/v1/fiscal-years", tag = "finance", request_body = FiscalYearInput,
    description = "A fiscal year with monthly periods (`accounting:manage`): at most 24 months, overlapping no other year, its name unique.",
    responses((status = 201, body = super::Envelope<FiscalYear>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the name is taken", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `name`, `end_date` (not after the start, or beyond 24 months), `start_date` (overlaps a year)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_year(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<FiscalYearInput>,
) -> ApiResult<FiscalYear> {
    let y = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(periods::create_year(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, y, ""))
}

#[utoipa::path(post, path = "/api/v1/periods/{id}/close", tag = "finance", params(("id" = Uuid, Path)),
    description = "Closes a period (`accounting:manage`): nothing posts into it afterwards (422 `PERIOD_CLOSED`) until it is reopened.",
    responses((status = 200, body = super::Envelope<Period>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such period in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: the period is closed already", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn close_period(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Period> {
    let id = id_of(id)?;
    let p = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(periods::set_period(tx, ctx, id, true))
    })
    .await?;
    Ok(Ctx(ctx).ok(p))
}

#[utoipa::path(post, path = "/api/v1/periods/{id}/reopen", tag = "finance", params(("id" = Uuid, Path)),
    description = "Reopens a closed period (`accounting:manage`).",
    responses((status = 200, body = super::Envelope<Period>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such period in the company", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: the period is open", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn reopen_period(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Period> {
    let id = id_of(id)?;
    let p = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(periods::set_period(tx, ctx, id, false))
    })
    .await?;
    Ok(Ctx(ctx).ok(p))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryQuery {
    /// Entries with a line on this account
    #[param(nullable = false)]
    pub account_id: Option<Uuid>,
    /// Dated on or after (YYYY-MM-DD)
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// Dated on or before (YYYY-MM-DD)
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
    /// What made them: `manual`, `opening`, `goods_receipt`, `stock_issue`, `stock_transfer`,
    /// `stock_adjustment`, `stock_reversal`, `supplier_invoice`, `payment`, `reversal`
    #[param(nullable = false, inline)]
    pub source: Option<EntrySource>,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum EntrySource {
    Manual,
    Opening,
    GoodsReceipt,
    StockIssue,
    StockTransfer,
    StockAdjustment,
    StockReversal,
    SupplierInvoice,
    Payment,
    Reversal,
}

impl EntrySource {
    fn as_str(self) -> &'static str {
        match self {
            EntrySource::Manual => "manual",
            EntrySource::Opening => "opening",
            EntrySource::GoodsReceipt => "goods_receipt",
            EntrySource::StockIssue => "stock_issue",
            EntrySource::StockTransfer => "stock_transfer",
            EntrySource::StockAdjustment => "stock_adjustment",
            EntrySource::StockReversal => "stock_reversal",
            EntrySource::SupplierInvoice => "supplier_invoice",
            EntrySource::Payment => "payment",
            EntrySource::Reversal => "reversal",
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EntryList {
    /// Newest first, each with its lines
    pub journal_entries: Vec<JournalEntry>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/api/v1/journal-entries", tag = "finance", params(EntryQuery, super::PageQuery),
    description = "Journal entries, newest first, with their lines. Readers of the books.",
    responses((status = 200, body = super::Envelope<EntryList>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_entries(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<EntryQuery>,
) -> ApiResult<EntryList> {
    let filter = JournalFilter {
        account_id: q.account_id,
        from: q.from,
        to: q.to,
        source: q.source.map(|s| s.as_str().to_string()),
        page,
        per_page,
    };
    let result = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(journal::list(tx, ctx, filter))
    })
    .await?;
    Ok(Ctx(ctx).ok(EntryList {
        pagination: Pagination::new(result.page, result.per_page, result.total),
        journal_entries: result.rows,
    }))
}

#[utoipa::path(get, path = "/api/v1/journal-entries/{id}", tag = "finance", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<JournalEntry>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such entry in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_entry(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<JournalEntry> {
    let id = id_of(id)?;
    let e = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(journal::get(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(e))
}

#[utoipa::path(post, path = "/api/v1/journal-entries", tag = "finance", request_body = ManualEntryInput,
    description = "A manual journal entry (`accounting:manage`): at least two lines, each with a debit or a credit above zero (not both) in the currency's minor unit, on an active account that is not a group; debits equal credits. Its date's period must be open; a date no fiscal year covers gets its year made.",
    responses((status = 201, body = super::Envelope<JournalEntry>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `lines` unbalanced or fewer than two, `lines[N].account_id`, `lines[N].debit`/`credit` (both, neither, negative, too many decimals), `narration`; or PERIOD_CLOSED: the date's period is closed", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_entry(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ManualEntryInput>,
) -> ApiResult<JournalEntry> {
    let e = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(journal::manual_entry(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, e, ""))
}

#[utoipa::path(post, path = "/api/v1/journal-entries/{id}/reverse", tag = "finance", params(("id" = Uuid, Path)), request_body = ReverseEntryInput,
    description = "Reverses an entry (`accounting:manage`): a new entry on `date` with every debit and credit swapped. Entries are never edited or deleted; each is reversed at most once.",
    responses((status = 201, body = super::Envelope<JournalEntry>),
        (status = 403, description = "FORBIDDEN: the caller does not hold `accounting:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "NOT_FOUND: no such entry in the company", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `reason` missing or too long; INVALID_STATE: reversed already; PERIOD_CLOSED: the date's period is closed", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn reverse_entry(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<ReverseEntryInput>,
) -> ApiResult<JournalEntry> {
    let id = id_of(id)?;
    let e = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(journal::reverse_entry(tx, ctx, id, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, e, ""))
}
