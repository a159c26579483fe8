//! `/api/v1/suppliers`: the supplier master.
use super::export::ExportQuery;
use super::{
    id_of, ApiError, ApiJson, ApiQuery, ApiResult, Ctx, IdPath, ListQuery, PageQuery, Pagination,
};
use app::platform::context::AppState;
use app::procurement::model::{self as m, SupplierInput};
use app::procurement::service;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/suppliers", get(list_suppliers).post(create_supplier))
        .route("/suppliers/{id}", get(get_supplier).put(update_supplier))
}

#[derive(Serialize, ToSchema)]
pub struct SupplierDto {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    pub currency: String,
    pub payment_terms_days: i32,
    pub active: bool,
    /// The language of the purchase orders and e-mails sent to the supplier (`en`, `hi`, `bn`,
    /// `te`, `ar`); null: the company's default language
    pub language: Option<String>,
    /// India (INR companies) only: the supplier's GSTIN, its check character verified
    #[schema(example = "19AAACS1234F1ZP")]
    pub gstin: Option<String>,
    /// India only: the two-digit GST state code of the supplier's registration (the GSTIN's
    /// first two digits when it has one)
    #[schema(example = "19")]
    pub state_code: Option<String>,
    /// India only: the buyer pays the GST on this supplier's invoices (reverse charge)
    pub reverse_charge: bool,
    /// India only: the income-tax section deducted at source on its invoices
    pub tds_section: Option<TdsSection>,
    /// India only: the percent deducted under `tds_section` (0–100)
    #[schema(value_type = Option<String>, example = "2")]
    pub tds_rate: Option<Decimal>,
    /// How far an invoice's unit price may exceed the order's, in percent, before the line is an
    /// exception; null: the company's `invoice_price_tolerance_pct`
    #[schema(value_type = Option<String>, example = "2.5")]
    pub price_tolerance_pct: Option<Decimal>,
    /// … and at most this amount per unit (0: no amount limit); null: the company's
    #[schema(value_type = Option<String>, example = "50")]
    pub price_tolerance_abs: Option<Decimal>,
}

/// An income-tax section deducted at source on purchases: contractors (194C), professional or
/// technical fees (194J), purchase of goods (194Q).
#[derive(Clone, Copy, Serialize, ToSchema)]
pub enum TdsSection {
    #[serde(rename = "194C")]
    S194C,
    #[serde(rename = "194J")]
    S194J,
    #[serde(rename = "194Q")]
    S194Q,
}

impl TdsSection {
    fn of(s: &str) -> Option<TdsSection> {
        match s {
            "194C" => Some(TdsSection::S194C),
            "194J" => Some(TdsSection::S194J),
            "194Q" => Some(TdsSection::S194Q),
            _ => None,
        }
    }
}

impl From<m::Supplier> for SupplierDto {
    fn from(s: m::Supplier) -> Self {
        SupplierDto {
            id: s.id,
            code: s.code,
            name: s.name,
            email: s.email,
            phone: s.phone,
            tax_id: s.tax_id,
            address: s.address,
            currency: s.currency,
            payment_terms_days: s.payment_terms_days,
            active: s.active,
            language: s.language,
            gstin: s.gstin,
            state_code: s.state_code,
            reverse_charge: s.reverse_charge,
            tds_section: s.tds_section.as_deref().and_then(TdsSection::of),
            tds_rate: s.tds_rate,
            price_tolerance_pct: s.price_tolerance_pct,
            price_tolerance_abs: s.price_tolerance_abs,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct SupplierBody {
    /// Upper-case letters, digits, `-` and `_`; unique in the company
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    /// ISO 4217; the company currency when left out
    pub currency: Option<String>,
    pub payment_terms_days: Option<i32>,
    pub active: Option<bool>,
    /// The language of the documents sent to the supplier (`en`, `hi`, `bn`, `te`, `ar`); the
    /// company's default language when left out
    pub language: Option<String>,
    /// India (INR companies) only: 15 characters, its check character verified (422 on `gstin`
    /// otherwise); a company outside India sending GST or TDS fields gets 422 on each
    #[schema(example = "19AAACS1234F1ZP")]
    pub gstin: Option<String>,
    /// India only: two digits (`19` West Bengal); taken from the GSTIN when left out, and 422 when
    /// it differs from the GSTIN's
    #[schema(example = "19")]
    pub state_code: Option<String>,
    /// India only: the buyer pays the GST (reverse charge); false when left out
    pub reverse_charge: Option<bool>,
    /// India only: `194C`, `194J` or `194Q`; needs `tds_rate`
    #[schema(example = "194C")]
    pub tds_section: Option<String>,
    /// India only: percent 0–100, at most 4 decimals; needs `tds_section`
    #[schema(value_type = Option<String>, example = "2")]
    pub tds_rate: Option<Decimal>,
    /// Percent ≥ 0 (at most 100, 4 decimals); null or left out: the company's tolerance
    #[schema(value_type = Option<String>, example = "2.5")]
    pub price_tolerance_pct: Option<Decimal>,
    /// Amount ≥ 0 (4 decimals); null or left out: the company's tolerance
    #[schema(value_type = Option<String>, example = "50")]
    pub price_tolerance_abs: Option<Decimal>,
}

impl From<SupplierBody> for SupplierInput {
    fn from(b: SupplierBody) -> Self {
        SupplierInput {
            code: b.code,
            name: b.name,
            email: b.email,
            phone: b.phone,
            tax_id: b.tax_id,
            address: b.address,
            currency: b.currency,
            payment_terms_days: b.payment_terms_days,
            active: b.active,
            language: b.language,
            gstin: b.gstin,
            state_code: b.state_code,
            reverse_charge: b.reverse_charge,
            tds_section: b.tds_section,
            tds_rate: b.tds_rate,
            price_tolerance_pct: b.price_tolerance_pct,
            price_tolerance_abs: b.price_tolerance_abs,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SupplierList {
    pub suppliers: Vec<SupplierDto>,
    pub pagination: Pagination,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupplierQuery {
    /// code or name, typo-tolerant
    #[param(nullable = false)]
    pub q: Option<String>,
    #[param(nullable = false)]
    pub active: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/suppliers", tag = "procurement", params(SupplierQuery, PageQuery, ExportQuery),
    responses((status = 200, body = super::Envelope<SupplierList>), (status = 401, body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_suppliers(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<SupplierQuery>,
    ApiQuery(export): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    if let Some(format) = export.file()? {
        let table = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
            Box::pin(service::export::suppliers(tx, ctx, q.q, q.active))
        })
        .await?;
        return super::export::answer(&ctx, format, "suppliers", table).await;
    }
    let result = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_suppliers(
            tx, ctx, q.q, q.active, page, per_page,
        ))
    })
    .await?;
    Ok(Ctx(ctx)
        .ok(SupplierList {
            pagination: Pagination::new(page, per_page, result.total),
            suppliers: result.rows.into_iter().map(SupplierDto::from).collect(),
        })
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/suppliers", tag = "procurement", request_body = SupplierBody,
    responses((status = 201, body = super::Envelope<SupplierDto>), (status = 409, description = "CONFLICT: another request saved the same code at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR, e.g. a code already used", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_supplier(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<SupplierBody>,
) -> ApiResult<SupplierDto> {
    let s = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_supplier(tx, ctx, None, body.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, s.into(), ""))
}

#[utoipa::path(get, path = "/api/v1/suppliers/{id}", tag = "procurement", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<SupplierDto>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_supplier(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<SupplierDto> {
    let id = id_of(id)?;
    let s = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_supplier(tx, ctx, id.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(s.into()))
}

#[utoipa::path(put, path = "/api/v1/suppliers/{id}", tag = "procurement", params(("id" = Uuid, Path)), request_body = SupplierBody,
    responses((status = 200, body = super::Envelope<SupplierDto>), (status = 409, description = "CONFLICT: another request saved the same code at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_supplier(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<SupplierBody>,
) -> ApiResult<SupplierDto> {
    let id = id_of(id)?;
    let s = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_supplier(tx, ctx, Some(id), body.into()))
    })
    .await?;
    Ok(Ctx(ctx).ok(s.into()))
}
