//! Purchase orders on the server: generation from approved requisition lines (one order per
//! supplier and delivery plant; no line ordered beyond its quantity, even by two people at once,
//! because the lines are locked in id order), approval through the engine, sending as a PDF through
//! the e-mail outbox, cancelling and closing. Server functions and REST handlers both call these.
//! The order's header, visibility and reading are here; generation and the lifecycle after it
//! are submodules.
use crate::approvals::engine::{self, Doc, Outcome};
use crate::approvals::expr::{Facts, Value};
use crate::approvals::model::Action;
use crate::approvals::registry::DocKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::format::minor_units;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{Principal, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::model::parse_locale;
use crate::platform::numbering::next_number;
use crate::platform::outbox::{self, Email};
use crate::procurement::model::{Page, QUANTITY_DECIMALS};
use crate::procurement::orders::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

mod generation;
mod lifecycle;

pub use generation::{generate, orderable_lines};
pub use lifecycle::{decide, pdf, send, set_status, PURCHASE_ORDER_KIND};

const DOC: &str = "purchase_order";

/// Procurement, its manager and executives see every order; others see the orders that carry
/// their requisitions' lines or that they hold an approval seat on.
fn sees_all(p: &Principal) -> bool {
    ["po:view", "po:manage", "po:create", "po:approve"]
        .iter()
        .any(|perm| p.require(perm).is_ok())
}

/// `$1` user, `$2` sees all.
const VISIBLE: &str = "($2 or o.created_by = $1
   or exists (select 1 from purchase_order_lines pl
                join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
                join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
               where pl.purchase_order_id = o.id and r.requester_id = $1)
   or exists (select 1 from approval_steps s join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id
               where s.doc_type = 'purchase_order' and s.doc_id = o.id and a.user_id = $1))";

#[derive(sqlx::FromRow)]
struct Header {
    id: Uuid,
    number: String,
    status: String,
    supplier_id: Uuid,
    supplier_code: String,
    supplier_name: String,
    supplier_email: Option<String>,
    supplier_language: Option<String>,
    supplier_address: Option<String>,
    supplier_tax_id: Option<String>,
    plant_id: Option<Uuid>,
    plant: Option<String>,
    plant_code: Option<String>,
    delivery_address: Option<String>,
    expected_delivery_date: Option<NaiveDate>,
    payment_terms_days: i32,
    currency: String,
    subtotal: Decimal,
    tax_amount: Decimal,
    total: Decimal,
    current_stage: Option<i32>,
    created_by_id: Uuid,
    created_by: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    status_comment: Option<String>,
}

const HEADER_SQL: &str = "select o.id, o.number, o.status, o.supplier_id, s.code as supplier_code, s.name as supplier_name,
        s.email as supplier_email, s.language as supplier_language, s.address as supplier_address, s.tax_id as supplier_tax_id, o.plant_id,
        p.name as plant, p.code as plant_code, o.delivery_address, o.expected_delivery_date, o.payment_terms_days,
        o.currency::text as currency, o.subtotal, o.tax_amount, o.total, o.current_stage, o.created_by as created_by_id,
        u.display_name as created_by, o.created_at, o.sent_at, o.status_comment
   from purchase_orders o
   join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
   join users u on u.tenant_id = o.tenant_id and u.id = o.created_by
   left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id";

async fn header(tx: &mut Tx, p: &Principal, id: Uuid, lock: bool) -> AppResult<Header> {
    let sql = format!(
        "{HEADER_SQL} where o.id = $3 and {VISIBLE}{}",
        if lock { " for update of o" } else { "" }
    );
    sqlx::query_as::<_, Header>(&sql)
        .bind(p.user_id)
        .bind(sees_all(p))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: Uuid,
    line_no: i32,
    requisition_line_id: Uuid,
    requisition_id: Uuid,
    requisition_number: String,
    item_id: Option<Uuid>,
    description: String,
    quantity: Decimal,
    unit: String,
    unit_price: Decimal,
    tax_rate: Decimal,
    line_subtotal: Decimal,
    tax_amount: Decimal,
    line_total: Decimal,
    received_quantity: Decimal,
}

async fn load(tx: &mut Tx, p: &Principal, h: Header) -> AppResult<PurchaseOrder> {
    let minor = minor_units(&h.currency);
    let lines = sqlx::query_as!(LineRow, r#"select pl.id, pl.line_no, pl.requisition_line_id, r.id as requisition_id, r.number as "requisition_number!",
                pl.item_id, pl.description, pl.quantity, pl.unit, pl.unit_price, pl.tax_rate, pl.line_subtotal,
                pl.tax_amount, pl.line_total, pl.received_quantity
           from purchase_order_lines pl
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where pl.purchase_order_id = $1 order by pl.line_no"#, h.id)
    .fetch_all(&mut **tx)
    .await?;
    let engine::Timeline {
        history: approvals,
        route,
        holds_open_seat,
    } = engine::timeline(tx, DOC, h.id, p.user_id).await?;
    let status = h
        .status
        .parse::<PoStatus>()
        .map_err(|_| AppError::Internal)?;
    let can_approve =
        status == PoStatus::PendingApproval && h.created_by_id != p.user_id && holds_open_seat;
    let manages = p.require("po:manage").is_ok();
    Ok(PurchaseOrder {
        id: h.id,
        number: h.number,
        status,
        supplier: PoSupplier {
            id: h.supplier_id,
            code: h.supplier_code,
            name: h.supplier_name,
            email: h.supplier_email,
            address: h.supplier_address,
            tax_id: h.supplier_tax_id,
        },
        plant: h.plant,
        delivery_address: h.delivery_address,
        expected_delivery_date: h.expected_delivery_date,
        payment_terms_days: h.payment_terms_days,
        subtotal: h.subtotal.round_dp(minor),
        tax_amount: h.tax_amount.round_dp(minor),
        total: h.total.round_dp(minor),
        currency: h.currency,
        current_stage: h.current_stage,
        created_by: h.created_by,
        created_at: h.created_at,
        sent_at: h.sent_at,
        status_comment: h.status_comment,
        lines: lines
            .into_iter()
            .map(|l| PoLine {
                id: l.id,
                line_no: l.line_no,
                requisition_line_id: l.requisition_line_id,
                requisition_id: l.requisition_id,
                requisition_number: l.requisition_number,
                item_id: l.item_id,
                description: l.description,
                quantity: l.quantity.normalize(),
                unit: l.unit,
                unit_price: l.unit_price.round_dp(minor),
                tax_rate: l.tax_rate.normalize(),
                line_subtotal: l.line_subtotal.round_dp(minor),
                tax_amount: l.tax_amount.round_dp(minor),
                line_total: l.line_total.round_dp(minor),
                received_quantity: l.received_quantity.normalize(),
            })
            .collect(),
        approvals,
        route,
        can_approve,
        can_send: manages && matches!(status, PoStatus::Approved | PoStatus::Sent),
        can_cancel: manages && status.cancellable(),
        can_close: manages && status.closable(),
    })
}

fn doc_of(h: &Header) -> Doc {
    let mut facts = Facts::new();
    facts.insert("amount".into(), Value::Number(h.total));
    if let Some(plant) = &h.plant_code {
        facts.insert("plant".into(), Value::Text(plant.clone()));
    }
    Doc {
        doc_type: DOC,
        id: h.id,
        number: h.number.clone(),
        requester_id: h.created_by_id,
        plant_id: h.plant_id,
        department_id: None,
        facts,
    }
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<PurchaseOrder> {
    let p = ctx.principal()?;
    let h = header(tx, p, id, false).await?;
    let po = load(tx, p, h).await?;
    Ok(po)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    number: String,
    status: String,
    supplier: String,
    total: Decimal,
    currency: String,
    expected_delivery_date: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    full_count: i64,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(tx: &mut Tx, ctx: &RequestCtx, f: PoFilter) -> AppResult<Page<PoRow>> {
    let p = ctx.principal()?;
    let per_page = f.per_page.clamp(1, crate::platform::paging::MAX_PER_PAGE);
    let page = f.page.max(1);
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace('%', "\\%").replace('_', "\\_")));
    let sql = format!(
        "select o.id, o.number, o.status, s.name as supplier, o.total, o.currency::text as currency,
                o.expected_delivery_date, o.created_at, count(*) over () as full_count
           from purchase_orders o join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
          where {VISIBLE}
            and ($3::text is null or o.status = $3)
            and ($4::uuid is null or o.supplier_id = $4)
            and ($5::text is null or o.number ilike $5 or s.name ilike $5 or s.code ilike $5)
          order by o.created_at desc, o.number desc
          limit $6 offset $7"
    );
    let rows = sqlx::query_as::<_, ListRow>(&sql)
        .bind(p.user_id)
        .bind(sees_all(p))
        .bind(f.status.map(PoStatus::as_str))
        .bind(f.supplier_id)
        .bind(q)
        .bind(per_page as i64)
        .bind(((page - 1) * per_page) as i64)
        .fetch_all(&mut **tx)
        .await?;
    let total = rows.first().map(|r| r.full_count as u64).unwrap_or(0);
    Ok(Page {
        rows: rows
            .into_iter()
            .filter_map(|r| {
                Some(PoRow {
                    id: r.id,
                    number: r.number,
                    status: r.status.parse::<PoStatus>().ok()?,
                    supplier: r.supplier,
                    total: r.total.round_dp(minor_units(&r.currency)),
                    currency: r.currency,
                    expected_delivery_date: r.expected_delivery_date,
                    created_at: r.created_at,
                })
            })
            .collect(),
        total,
        page,
        per_page,
    })
}
