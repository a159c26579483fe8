//! `/api/v1/reports/…`: the accountant's reports — trial balance, general ledger, GRNI, AP
//! ageing, supplier statement, input-tax register — as JSON, or with `format=csv|xlsx|pdf` as a
//! file of the whole report (its rows and totals; the PDF headed with the company and the
//! report's dates, in the caller's language). JSON and files call the same service functions as
//! the screens; readers of the books read them.
use super::{ApiError, ApiQuery, Ctx, ListQuery};
use app::error::AppError;
use app::finance::model::{
    GeneralLedger, GrniReport, LedgerQuery, TrialBalance, TrialBalanceQuery,
};
use app::finance::payment::ApAgeing;
use app::finance::service::{payments, report_files as files, reports, statements};
use app::finance::statement::{InputTaxRegister, SupplierStatement};
use app::platform::context::{AppState, RequestCtx};
use app::platform::export::{render, Format, Table};
use app::platform::tx::{run, Work};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::IntoParams;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/trial-balance", get(trial_balance))
        .route("/reports/general-ledger", get(general_ledger))
        .route("/reports/grni", get(grni))
        .route("/reports/ap-ageing", get(ap_ageing))
        .route("/reports/supplier-statement", get(supplier_statement))
        .route("/reports/input-tax", get(input_tax))
}

/// The values of `format` on a report (the contract recognises `xlsx` and `pdf` among them).
pub const FORMATS: [&str; 5] = ["json", "csv", "xlsx", "pdf", ""];

fn format_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(FORMATS))
        .description(Some(
            "`json` (the default; empty is the same), or the whole report as a file: `csv` (UTF-8 with a byte-order mark, RFC 4180; numbers plain), `xlsx` (an Excel workbook) or `pdf` (A4, in the caller's language, numbers grouped as the company groups them); each ends with the report's totals row",
        ))
        .build()
}

/// `format` of a report.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFormat {
    #[param(schema_with = format_schema, nullable = false)]
    pub format: Option<String>,
}

impl ReportFormat {
    /// The file asked for; `None` for JSON. An unknown value is 422 on `format`.
    fn file(&self) -> Result<Option<Format>, ApiError> {
        match self.format.as_deref().map(str::trim).unwrap_or("") {
            "" | "json" => Ok(None),
            other => other
                .parse::<Format>()
                .map(Some)
                .map_err(|e| ApiError(AppError::field("format", e))),
        }
    }
}

/// The file of `table` named `{name}.{csv|xlsx|pdf}` (the report and its dates), as an
/// attachment, with the headers of the lists' exports.
async fn answer(format: Format, name: &str, table: Table) -> Result<Response, ApiError> {
    let truncated = table.truncated;
    let bytes = render(format, table).await?;
    let mut res = (StatusCode::OK, Body::from(bytes)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    let disposition = format!("attachment; filename=\"{name}.{}\"", format.as_str());
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        super::export::TRUNCATED,
        HeaderValue::from_static(if truncated { "true" } else { "false" }),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Builds the report's table through `build` and answers it as `format`.
async fn file<F>(
    state: &AppState,
    ctx: &RequestCtx,
    format: Format,
    build: F,
) -> Result<Response, ApiError>
where
    F: for<'t> FnOnce(&'t mut app::platform::db::Tx, &'t RequestCtx) -> Work<'t, (Table, String)>,
{
    let (table, name) = run(state, ctx, move |tx, _, ctx| build(tx, ctx)).await?;
    answer(format, &name, table).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrialBalanceParams {
    /// From this day (YYYY-MM-DD); default: the start of the current fiscal year
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// To this day (YYYY-MM-DD); default: today in the company's time zone
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
    /// One plant's lines only
    #[param(nullable = false)]
    pub plant_id: Option<Uuid>,
    /// One company's plants only
    #[param(nullable = false)]
    pub company_id: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/reports/trial-balance", tag = "finance", params(TrialBalanceParams, ReportFormat),
    description = "The trial balance: per account with an opening balance or movements, the opening (debit positive), debits, credits and closing, with totals; the debit and credit totals are equal in every column. Read from running balances. Readers of the books. As a file: per account its code, name, opening debit and credit, debits, credits, closing debit and credit, then the totals row; named `trial-balance-{from}-{to}`.",
    responses((status = 200, body = super::Envelope<TrialBalance>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `to` before `from`; `format` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn trial_balance(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<TrialBalanceParams>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let query = TrialBalanceQuery {
        from: q.from,
        to: q.to,
        plant_id: q.plant_id,
        company_id: q.company_id,
    };
    if let Some(format) = f.file()? {
        return file(&state, &ctx, format, move |tx, ctx| {
            Box::pin(files::trial_balance(tx, ctx, query))
        })
        .await;
    }
    let tb = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(reports::trial_balance(tx, ctx, query))
    })
    .await?;
    Ok(Ctx(ctx).ok(tb).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerParams {
    /// The account (required; not a group)
    #[param(nullable = false)]
    pub account_id: Option<Uuid>,
    /// From this day (YYYY-MM-DD); default: the start of the current fiscal year
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// To this day (YYYY-MM-DD); default: today in the company's time zone
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/reports/general-ledger", tag = "finance", params(LedgerParams, super::PageQuery, ReportFormat),
    description = "The general ledger of one account: its opening balance before `from` (debit positive), a page of its lines from `from` to `to` in date order with the balance after each, the span's debits and credits and the closing balance; `total` counts the span's lines. Readers of the books. As a file: every line of the span (up to 50,000; `page` and `per_page` are not used) between an opening-balance row and the closing row (the span's debits, credits and closing balance); named `general-ledger-{code}-{from}-{to}`.",
    responses((status = 200, body = super::Envelope<GeneralLedger>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `account_id` missing, unknown or a group; `to` before `from`; `format` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn general_ledger(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<LedgerParams>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let query = LedgerQuery {
        account_id: q.account_id,
        from: q.from,
        to: q.to,
        page,
        per_page,
    };
    if let Some(format) = f.file()? {
        return file(&state, &ctx, format, move |tx, ctx| {
            Box::pin(files::general_ledger(tx, ctx, query))
        })
        .await;
    }
    let gl = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(reports::general_ledger(tx, ctx, query))
    })
    .await?;
    Ok(Ctx(ctx).ok(gl).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// On this day (YYYY-MM-DD); default: today in the company's time zone
    #[param(nullable = false)]
    pub as_of: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/reports/grni", tag = "finance", params(AsOfParams, ReportFormat),
    description = "Goods received not invoiced on `as_of`, by purchase-order line (the order, its supplier, the line, what was received and at what price, the value not yet invoiced, the oldest open receipt). Its `total` equals the GRNI account's balance (`account_balance`); an amount posted to the account by hand shows as `unallocated`. Readers of the books. As a file: the lines oldest first, the unallocated amount (if any), then the total; named `grni-{as_of}`.",
    responses((status = 200, body = super::Envelope<GrniReport>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `format` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn grni(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<AsOfParams>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let as_of = q.as_of;
    if let Some(format) = f.file()? {
        return file(&state, &ctx, format, move |tx, ctx| {
            Box::pin(files::grni(tx, ctx, as_of))
        })
        .await;
    }
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(reports::grni(tx, ctx, as_of))
    })
    .await?;
    Ok(Ctx(ctx).ok(r).into_response())
}

#[utoipa::path(get, path = "/api/v1/reports/ap-ageing", tag = "finance", params(AsOfParams, ReportFormat),
    description = "What is owed to each supplier on `as_of` (posted, partially paid and held invoices, less TDS and payments), by days past the due date: `current` (not yet due), `1_30`, `31_60`, `61_90`, `over_90`, with totals. Readers of the books. As a file: per supplier the five buckets and the total, then the totals row; named `ap-ageing-{as_of}`.",
    responses((status = 200, body = super::Envelope<ApAgeing>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `format` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn ap_ageing(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<AsOfParams>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let as_of = q.as_of;
    if let Some(format) = f.file()? {
        return file(&state, &ctx, format, move |tx, ctx| {
            Box::pin(files::ap_ageing(tx, ctx, as_of))
        })
        .await;
    }
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(payments::ageing(tx, ctx, as_of))
    })
    .await?;
    Ok(Ctx(ctx).ok(r).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementParams {
    /// The supplier (required)
    #[param(nullable = false)]
    pub supplier_id: Option<Uuid>,
    /// From this day (YYYY-MM-DD); default: the start of the current fiscal year
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// To this day (YYYY-MM-DD); default: today in the company's time zone
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/reports/supplier-statement", tag = "finance", params(StatementParams, ReportFormat),
    description = "A supplier's statement from `from` to `to`: what was owed before (`opening`, owed positive), each invoice, payment and reversal on accounts payable in date order with the balance after it, the span's invoiced and paid amounts, and `closing` — the supplier's balance on the AP account at the end of `to`. Readers of the books. As a file: an opening row, the lines, then the closing row; named `supplier-statement-{code}-{from}-{to}`.",
    responses((status = 200, body = super::Envelope<SupplierStatement>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `supplier_id` missing or unknown; `to` before `from`; `format` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn supplier_statement(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<StatementParams>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let (supplier, from, to) = (q.supplier_id, q.from, q.to);
    if let Some(format) = f.file()? {
        return file(&state, &ctx, format, move |tx, ctx| {
            Box::pin(files::supplier_statement(tx, ctx, supplier, from, to))
        })
        .await;
    }
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(statements::supplier_statement(tx, ctx, supplier, from, to))
    })
    .await?;
    Ok(Ctx(ctx).ok(r).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpanParams {
    /// From this day (YYYY-MM-DD); default: the start of the current fiscal year
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// To this day (YYYY-MM-DD); default: today in the company's time zone
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/reports/input-tax", tag = "finance", params(SpanParams, ReportFormat),
    description = "The input-tax register from `from` to `to`: GST input of the posted supplier invoices (each on the day it was posted; a reversed posting counts against the day of its reversal), per supplier GSTIN and rate (`rows`: taxable value, `cgst`, `sgst`, `igst`, `total`), per head and rate (`by_head`), the `totals` by head, and `accounts` — the GST input accounts' movements over the same days, equal to the totals when only invoices post to them. Readers of the books. As a file: the rows, then the totals; named `input-tax-{from}-{to}`.",
    responses((status = 200, body = super::Envelope<InputTaxRegister>),
        (status = 403, description = "FORBIDDEN: the caller does not read the books", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `to` before `from`; `format` unknown", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn input_tax(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<SpanParams>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let (from, to) = (q.from, q.to);
    if let Some(format) = f.file()? {
        return file(&state, &ctx, format, move |tx, ctx| {
            Box::pin(files::input_tax(tx, ctx, from, to))
        })
        .await;
    }
    let r = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(statements::input_tax(tx, ctx, from, to))
    })
    .await?;
    Ok(Ctx(ctx).ok(r).into_response())
}
