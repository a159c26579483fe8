//! Purchase orders on the server: generation from approved requisition lines (one order per
//! supplier and delivery plant; no line ordered beyond its quantity, even by two people at once,
//! because the lines are locked in id order), approval through the engine, sending as a PDF through
//! the e-mail outbox, cancelling and closing. Server functions and REST handlers both call these.
//! The order's header, visibility and reading are here; generation, the lifecycle after it and
//! what receiving slices ask of orders (`receiving`) are submodules.
use crate::approvals::engine::{self, Doc, Outcome};
use crate::approvals::expr::{Facts, Value};
use crate::approvals::model::Action;
use crate::approvals::registry::DocKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::format::minor_units;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{Principal, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::numbering::next_number;
use crate::platform::outbox::{self, Email};
use crate::procurement::model::orders::*;
use crate::procurement::model::{Page, QUANTITY_DECIMALS};
use crate::procurement::repo::orders::{self as repo, Header, ListQuery};
use crate::types::PurchaseOrderId;
use chrono::Duration;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

mod generation;
mod lifecycle;
mod receiving;

pub use generation::{generate, orderable_lines};
pub use lifecycle::{decide, pdf, send, set_status, PURCHASE_ORDER_KIND};
pub use receiving::{
    billable_orders_of_supplier, lines_name_unit, open_lines_of_item, order_for_receipt,
    order_lines_by_ids, order_numbers_of_lines, orders_by_ids, receivable_orders, record_received,
};

const DOC: &str = "purchase_order";

/// Procurement, its manager and executives see every order; others see the orders that carry
/// their requisitions' lines or that they hold an approval seat on.
fn sees_all(p: &Principal) -> bool {
    ["po:view", "po:manage", "po:create", "po:approve"]
        .iter()
        .any(|perm| p.require(perm).is_ok())
}

async fn header(tx: &mut Tx, p: &Principal, id: Uuid, lock: bool) -> AppResult<Header> {
    repo::header(tx, p.user_id, sees_all(p), id, lock)
        .await?
        .ok_or(AppError::NotFound)
}

async fn load(tx: &mut Tx, p: &Principal, h: Header) -> AppResult<PurchaseOrder> {
    let minor = minor_units(&h.currency);
    let lines = repo::order_lines(tx, h.id).await?;
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
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: PurchaseOrderId) -> AppResult<PurchaseOrder> {
    let id = id.uuid();
    let p = ctx.principal()?;
    let h = header(tx, p, id, false).await?;
    let po = load(tx, p, h).await?;
    Ok(po)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(tx: &mut Tx, ctx: &RequestCtx, f: PoFilter) -> AppResult<Page<PoRow>> {
    list_up_to(tx, ctx, f, crate::platform::paging::MAX_PER_PAGE).await
}

/// Every order the list shows with these filters (all its pages, in its order), up to `limit`:
/// for an export.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_all(
    tx: &mut Tx,
    ctx: &RequestCtx,
    mut f: PoFilter,
    limit: u32,
) -> AppResult<Page<PoRow>> {
    f.page = 1;
    f.per_page = limit;
    list_up_to(tx, ctx, f, limit).await
}

/// A page of at most `max_per_page` orders.
async fn list_up_to(
    tx: &mut Tx,
    ctx: &RequestCtx,
    f: PoFilter,
    max_per_page: u32,
) -> AppResult<Page<PoRow>> {
    let p = ctx.principal()?;
    let per_page = f.per_page.clamp(1, max_per_page.max(1));
    let page = f.page.max(1);
    let pattern =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace('%', "\\%").replace('_', "\\_")));
    let query = ListQuery {
        user_id: p.user_id,
        sees_all: sees_all(p),
        status: f.status.map(PoStatus::as_str),
        supplier_id: f.supplier_id,
        pattern,
        limit: per_page as i64,
        offset: (i64::from(page) - 1) * i64::from(per_page),
    };
    let rows = repo::list_orders(tx, &query).await?;
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
