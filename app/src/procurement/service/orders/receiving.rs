//! Orders as the slices that receive goods against them (and later match invoices to them) use
//! them: the order and its lines locked for a receipt, the received quantities recorded with the
//! status they leave, and the orders and lines read by id, by item and for the receiving form.
//!
//! These check none of procurement's permissions and apply no visibility rule: the caller has
//! checked its own (receiving goods, viewing stock) before asking. The tenant is the
//! transaction's. Statuses are procurement's rule ([`PoStatus::receivable`]); quantities and
//! prices are exact as stored, for the caller to compute with and format.
use crate::error::{AppError, AppResult, FieldError};
use crate::platform::db::Tx;
use crate::procurement::model::orders::{OrderLineRef, OrderRef, OrderWithLines, PoStatus};
use crate::procurement::repo::receiving::{self as repo, LineRow, OrderRow};
use crate::types::PurchaseOrderId;
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

fn order_of(r: OrderRow) -> AppResult<OrderRef> {
    Ok(OrderRef {
        id: r.id,
        number: r.number,
        status: r.status.parse().map_err(|_| AppError::Internal)?,
        supplier_id: r.supplier_id,
        supplier: r.supplier,
        plant_id: r.plant_id,
        plant_code: r.plant_code,
        expected_delivery_date: r.expected_delivery_date,
    })
}

fn line_of(r: LineRow) -> OrderLineRef {
    OrderLineRef {
        id: r.id,
        purchase_order_id: r.purchase_order_id,
        line_no: r.line_no,
        item_id: r.item_id,
        description: r.description,
        quantity: r.quantity,
        received_quantity: r.received_quantity,
        unit: r.unit,
        unit_price: r.unit_price,
        requisition_line_id: r.requisition_line_id,
        requisition_id: r.requisition_id,
        requisition: r.requisition,
        requester_id: r.requester_id,
    }
}

/// The order goods are received against, with every one of its lines in line order: the order's
/// row and then its lines locked until the transaction ends, so that two receipts against one
/// order queue and each checks quantities that cannot change under it. None: no such order.
/// The caller decides from `order.status` whether it may receive ([`PoStatus::receivable`]),
/// then records what it received with [`record_received`] in the same transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn order_for_receipt(
    tx: &mut Tx,
    id: PurchaseOrderId,
) -> AppResult<Option<OrderWithLines>> {
    let id = id.uuid();
    let Some(order) = repo::lock_order(tx, id).await? else {
        return Ok(None);
    };
    let order = order_of(order)?;
    let lines = repo::lock_lines_of_order(tx, id).await?;
    Ok(Some(OrderWithLines {
        order,
        lines: lines.into_iter().map(line_of).collect(),
    }))
}

/// Adds what was received to the order's lines — (line, quantity) — and moves the order to
/// received when every line has what was ordered, to partially_received otherwise; the new
/// status. The order must have been locked by [`order_for_receipt`] in this transaction, and
/// the quantities checked against it. A line not of the order is a 422 on
/// `purchase_order_line_id` (nothing is recorded once the transaction rolls back).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_received(
    tx: &mut Tx,
    order_id: PurchaseOrderId,
    received: &[(Uuid, Decimal)],
) -> AppResult<PoStatus> {
    let order_id = order_id.uuid();
    let (lines, quantities): (Vec<Uuid>, Vec<Decimal>) = received.iter().copied().unzip();
    let mut distinct = lines.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let changed = repo::add_received_quantities(tx, order_id, &lines, &quantities).await?;
    if changed != distinct.len() as u64 {
        return Err(AppError::field(
            "purchase_order_line_id",
            FieldError::UnknownReference,
        ));
    }
    let status = if repo::order_has_open_lines(tx, order_id).await? {
        PoStatus::PartiallyReceived
    } else {
        PoStatus::Received
    };
    repo::set_received_status(tx, order_id, status.as_str()).await?;
    Ok(status)
}

/// The orders with these ids (those that exist), by number: one statement however many.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn orders_by_ids(tx: &mut Tx, ids: &[Uuid]) -> AppResult<Vec<OrderRef>> {
    repo::orders_by_ids(tx, ids)
        .await?
        .into_iter()
        .map(order_of)
        .collect()
}

/// The number of the order of each of these order lines (those that exist): what a document
/// billed or received against them shows, without the lines' requisitions. One statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn order_numbers_of_lines(tx: &mut Tx, ids: &[Uuid]) -> AppResult<HashMap<Uuid, String>> {
    Ok(repo::order_numbers_of_lines(tx, ids)
        .await?
        .into_iter()
        .map(|r| (r.id, r.number))
        .collect())
}

/// The order lines with these ids (those that exist), each with its order, by order number and
/// line: one statement however many.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn order_lines_by_ids(
    tx: &mut Tx,
    ids: &[Uuid],
) -> AppResult<Vec<(OrderRef, OrderLineRef)>> {
    repo::lines_by_ids(tx, ids)
        .await?
        .into_iter()
        .map(|r| {
            let (order, line) = r.split();
            Ok((order_of(order)?, line_of(line)))
        })
        .collect()
}

/// The latest 50 orders (by number, newest first) that can receive goods, each with its lines
/// that have less received than ordered, in line order (an order's list may be empty: over-
/// receipt within tolerance leaves nothing open). Two statements.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn receivable_orders(tx: &mut Tx) -> AppResult<Vec<OrderWithLines>> {
    let statuses: Vec<&str> = PoStatus::ALL
        .into_iter()
        .filter(|s| s.receivable())
        .map(PoStatus::as_str)
        .collect();
    let orders = repo::latest_orders_in(tx, &statuses).await?;
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let mut lines: HashMap<Uuid, Vec<OrderLineRef>> = HashMap::new();
    for l in repo::open_lines_of_orders(tx, &ids).await? {
        lines
            .entry(l.purchase_order_id)
            .or_default()
            .push(line_of(l));
    }
    orders
        .into_iter()
        .map(|o| {
            let lines = lines.remove(&o.id).unwrap_or_default();
            Ok(OrderWithLines {
                order: order_of(o)?,
                lines,
            })
        })
        .collect()
}

/// A supplier's orders that goods have been or may be received and billed against (approved,
/// sent, partially received, received or closed), newest first, each with every one of its
/// lines in line order: what finance bills against. Two statements.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn billable_orders_of_supplier(
    tx: &mut Tx,
    supplier_id: Uuid,
) -> AppResult<Vec<OrderWithLines>> {
    let statuses: Vec<&str> = PoStatus::ALL
        .into_iter()
        .filter(|s| s.receivable() || matches!(s, PoStatus::Received | PoStatus::Closed))
        .map(PoStatus::as_str)
        .collect();
    let orders = repo::supplier_orders_in(tx, supplier_id, &statuses).await?;
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let mut lines: HashMap<Uuid, Vec<OrderLineRef>> = HashMap::new();
    for l in repo::all_lines_of_orders(tx, &ids).await? {
        lines
            .entry(l.purchase_order_id)
            .or_default()
            .push(line_of(l));
    }
    orders
        .into_iter()
        .map(|o| {
            let lines = lines.remove(&o.id).unwrap_or_default();
            Ok(OrderWithLines {
                order: order_of(o)?,
                lines,
            })
        })
        .collect()
}

/// What of an item is still on order: the lines naming it with less received than ordered, on
/// orders that are not received, closed or cancelled, each with its order; the soonest expected
/// delivery first (undated last), then by order number. One statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open_lines_of_item(
    tx: &mut Tx,
    item_id: Uuid,
) -> AppResult<Vec<(OrderRef, OrderLineRef)>> {
    repo::open_lines_of_item(tx, item_id)
        .await?
        .into_iter()
        .map(|r| {
            let (order, line) = r.split();
            Ok((order_of(order)?, line_of(line)))
        })
        .collect()
}

/// Whether any requisition or order line is counted in the unit (inventory keeps a unit's code
/// while lines name it).
pub async fn lines_name_unit(tx: &mut Tx, code: &str) -> AppResult<bool> {
    Ok(repo::lines_name_unit(tx, code).await?)
}
