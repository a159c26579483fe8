//! Goods receipts on the server: received against an order, accepted by the requester, read.
use crate::approvals::engine::{self, Doc};
use crate::approvals::expr::Facts;
use crate::error::FieldError;
use crate::error::{AppError, AppResult};
use crate::inventory::model::material::MaterialType;
use crate::inventory::model::receipts::*;
use crate::inventory::model::uid::Uid;
use crate::inventory::repo::receipts::{self as repo, NewReceiptLine, ReceivedUids};
use crate::inventory::service::ledger::post;
use crate::inventory::service::units::{in_item_units, Entered};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::stock_events::{
    self, OrderLineValue, StockEvent, StockEventKind, StockEventLine,
};
use crate::procurement::model::orders::OrderLineRef;
use crate::procurement::service::orders as procurement;
use crate::types::GoodsReceiptId;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Reserves `count` consecutive UID numbers of the tenant's plant and material type in one
/// statement and formats them: `UID-{TENANT}-{PLANT}-{TYPE}-{SEQ}-{CHECK}`.
async fn next_uids(
    tx: &mut Tx,
    tenant_id: Uuid,
    tenant: &str,
    (plant_id, plant): (Uuid, &str),
    material: MaterialType,
    count: usize,
) -> AppResult<Vec<String>> {
    let last =
        repo::reserve_uid_numbers(tx, tenant_id, plant_id, material.code(), count as i64).await?;
    let first = last - count as i64 + 1;
    Ok((first..=last)
        .map(|seq| {
            Uid {
                tenant: tenant.to_string(),
                plant: plant.to_string(),
                material,
                seq: seq as u64,
            }
            .format()
        })
        .collect())
}

/// Receives goods against an approved or sent PO: partial receipts, accepted and rejected
/// quantities, put-away per line, over-receipt beyond the tenant's tolerance refused. Catalogue
/// items enter stock as *pending acceptance* (on hand, not available) with their UIDs; the
/// requesters are notified to accept. The order and its lines are procurement's: locked, then
/// told what was received, in this transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn receive(tx: &mut Tx, ctx: &RequestCtx, input: ReceiveInput) -> AppResult<Receipt> {
    let p = ctx.principal()?;
    p.require("goods:receive")?;
    validate_receive(&input).map_err(AppError::Validation)?;
    // the order's row and its lines locked before any quantity is checked
    let order = procurement::order_for_receipt(tx, input.purchase_order_id.into())
        .await?
        .ok_or_else(|| AppError::field("purchase_order_id", FieldError::UnknownReference))?;
    let head = &order.order;
    if !head.status.receivable() {
        return Err(AppError::InvalidState);
    }
    let order_lines: HashMap<Uuid, &OrderLineRef> = order.lines.iter().map(|l| (l.id, l)).collect();
    let tolerance = repo::receipt_tolerance(tx, p.tenant_id).await?;
    let tenant_code = p.user.tenant.slug.to_uppercase();
    let number = crate::platform::numbering::next_number(tx, p.tenant_id, "GRN").await?;
    let receipt_id = repo::insert_receipt(
        tx,
        p.tenant_id,
        &number,
        input.purchase_order_id,
        head.plant_id,
        p.user_id,
    )
    .await?;
    // how the received items are tracked (serial or lot), for the lines received: one statement
    let mut items: Vec<Uuid> = input
        .lines
        .iter()
        .filter_map(|l| order_lines.get(&l.purchase_order_line_id)?.item_id)
        .collect();
    items.sort_unstable();
    items.dedup();
    // (tracking, material type) by item
    let tracking: HashMap<Uuid, (String, MaterialType)> = if items.is_empty() {
        HashMap::new()
    } else {
        repo::sku_and_tracking(tx, &items)
            .await?
            .into_iter()
            .map(|(id, _, tracking, material)| {
                let material = MaterialType::from_code(&material).unwrap_or_default();
                (id, (tracking, material))
            })
            .collect()
    };
    // what each line's accepted quantity, in its order line's unit, comes to in its item's unit
    let entered: Vec<(usize, Entered)> = input
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let line = order_lines.get(&l.purchase_order_line_id)?;
            let item = line.item_id?;
            (l.accepted_quantity > Decimal::ZERO).then_some((
                i,
                Entered {
                    item,
                    quantity: l.accepted_quantity,
                    unit: &line.unit,
                },
            ))
        })
        .collect();
    let (at, entries): (Vec<usize>, Vec<Entered>) = entered.into_iter().unzip();
    let mut in_stock_units: HashMap<usize, _> = at
        .into_iter()
        .zip(in_item_units(tx, &entries, false).await?)
        .collect();
    let mut errors = BTreeMap::new();
    let mut requesters = Vec::new();
    let mut received = Vec::new();
    let mut valued = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let f = |n: &str| format!("lines[{i}].{n}");
        let Some(&line) = order_lines.get(&l.purchase_order_line_id) else {
            errors.insert(f("purchase_order_line_id"), FieldError::UnknownReference);
            continue;
        };
        let rejected = l.rejected_quantity.unwrap_or_default();
        let limit = line.quantity * (Decimal::ONE + tolerance);
        if line.received_quantity + l.accepted_quantity > limit {
            errors.insert(f("accepted_quantity"), FieldError::ExceedsOrdered);
            continue;
        }
        // the quantity entering stock, in the item's unit
        let stock_quantity = match in_stock_units.remove(&i) {
            Some(Ok(c)) => c.quantity,
            Some(Err((_, e))) => {
                errors.insert(f("accepted_quantity"), e);
                continue;
            }
            None => l.accepted_quantity,
        };
        let serial = line
            .item_id
            .and_then(|item| tracking.get(&item))
            .is_some_and(|(t, _)| t == "serial");
        let material = line
            .item_id
            .and_then(|item| tracking.get(&item))
            .map(|(_, m)| *m)
            .unwrap_or_default();
        // serialised goods come in whole units, each with its own UID (at most 10,000 a line)
        if serial
            && (stock_quantity.fract() != Decimal::ZERO || stock_quantity > Decimal::from(10_000))
        {
            errors.insert(f("accepted_quantity"), FieldError::Invalid);
            continue;
        }
        // put-away: a known, active location in the delivery plant
        // (the place, and its plant: the PLANT of the UIDs received there)
        let (location, plant) = match l.location_id {
            Some(loc) => {
                let Some(plant) = repo::put_away_location(tx, loc, head.plant_id).await? else {
                    errors.insert(f("location_id"), FieldError::UnknownReference);
                    continue;
                };
                (Some(loc), Some(plant))
            }
            None if line.item_id.is_some() && l.accepted_quantity > Decimal::ZERO => {
                errors.insert(f("location_id"), FieldError::Required);
                continue;
            }
            None => (None, None),
        };
        let line_id = repo::insert_receipt_line(
            tx,
            NewReceiptLine {
                tenant_id: p.tenant_id,
                receipt_id,
                purchase_order_line_id: line.id,
                item_id: line.item_id,
                accepted_quantity: l.accepted_quantity,
                rejected_quantity: rejected,
                rejection_reason: l
                    .rejection_reason
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty()),
                location_id: location,
                unit_cost: line.unit_price,
                stock_quantity: (stock_quantity != l.accepted_quantity).then_some(stock_quantity),
            },
        )
        .await?;
        received.push((line.id, l.accepted_quantity));
        if !requesters.contains(&line.requester_id) {
            requesters.push(line.requester_id);
        }
        let (Some(item), Some(loc), Some((plant_id, plant_code))) = (line.item_id, location, plant)
        else {
            continue;
        };
        if l.accepted_quantity <= Decimal::ZERO {
            continue;
        }
        // the price per unit of the item's: the order line's price spread over what it came to
        let unit_cost = if stock_quantity == l.accepted_quantity {
            line.unit_price
        } else {
            (line.unit_price * l.accepted_quantity / stock_quantity).round_dp(6)
        };
        let movement = post(
            tx,
            p.tenant_id,
            "receipt",
            item,
            loc,
            stock_quantity,
            "on_hand",
            Some(unit_cost),
            Some(("goods_receipt", receipt_id)),
            None,
            Some(p.user_id),
        )
        .await?;
        valued.push(StockEventLine {
            movement_id: movement,
            item_id: item,
            plant_id,
            quantity: stock_quantity,
            unit_cost,
            order_line: Some(OrderLineValue {
                line_id: line.id,
                supplier_id: Some(head.supplier_id),
                quantity: l.accepted_quantity,
                unit_price: line.unit_price,
            }),
            cost_centre_id: None,
            reverses: None,
        });
        // valuation: moving average over what the company holds
        let cost = repo::lock_item_cost(tx, item).await?;
        let (old_q, old_avg) = cost.unwrap_or_default();
        let avg = moving_average(old_q, old_avg, stock_quantity, unit_cost);
        repo::set_item_cost(tx, p.tenant_id, item, old_q + stock_quantity, avg).await?;
        // UIDs: one per unit of a serialised item, one for the lot otherwise
        let units: Vec<Decimal> = if serial {
            use rust_decimal::prelude::ToPrimitive;
            vec![Decimal::ONE; stock_quantity.to_usize().unwrap_or(0)]
        } else {
            vec![stock_quantity]
        };
        // every UID of the line and its first event in one statement each, however many units
        let uids = next_uids(
            tx,
            p.tenant_id,
            &tenant_code,
            (plant_id, &plant_code),
            material,
            units.len(),
        )
        .await?;
        repo::insert_received_uids(
            tx,
            ReceivedUids {
                tenant_id: p.tenant_id,
                uids: &uids,
                item,
                kind: if serial { "serial" } else { "lot" },
                receipt_line: line_id,
                location: loc,
                units: &units,
                movement,
                user: p.user_id,
            },
        )
        .await?;
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // the received quantities, and the order received when every line has what was ordered
    procurement::record_received(tx, input.purchase_order_id.into(), &received).await?;
    // the goods' value in the ledger, in this transaction (an invoice waiting for them posts)
    stock_events::record(
        tx,
        &StockEvent {
            kind: StockEventKind::Receipt,
            tenant_id: p.tenant_id,
            doc_id: receipt_id,
            reference: number.to_string(),
            user_id: Some(p.user_id),
            lines: valued,
        },
    )
    .await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "receive",
            entity: "goods_receipt",
            entity_id: Some(receipt_id.to_string()),
            old: None,
            new: serde_json::to_value(&input).ok(),
        },
    )
    .await?;
    let doc = Doc {
        doc_type: "goods_receipt",
        id: receipt_id,
        number: number.to_string(),
        requester_id: p.user_id,
        plant_id: head.plant_id,
        department_id: None,
        facts: Facts::default(),
    };
    engine::notify(tx, p.tenant_id, &requesters, "goods_received", &doc, None).await?;
    let receipt = load(tx, receipt_id).await?;
    Ok(receipt)
}

/// The requester (or someone who accepts for everyone) accepts received goods: they become
/// available, and their UIDs accepted.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn accept(tx: &mut Tx, ctx: &RequestCtx, id: GoodsReceiptId) -> AppResult<Receipt> {
    let id = id.uuid();
    let p = ctx.principal()?;
    let scope = p.require("goods:accept")?;
    let (status, order_lines) = repo::lock_receipt(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // whose goods: the requesters of the requisitions behind the receipt's lines
    let mut requesters: Vec<Uuid> = procurement::order_lines_by_ids(tx, &order_lines)
        .await?
        .into_iter()
        .map(|(_, line)| line.requester_id)
        .collect();
    requesters.sort_unstable();
    requesters.dedup();
    if scope == crate::platform::permission::Scope::Own && !requesters.contains(&p.user_id) {
        return Err(AppError::Forbidden);
    }
    if status != "pending_acceptance" {
        return Err(AppError::InvalidState);
    }
    let lines = repo::lines_to_accept(tx, id).await?;
    for (line, item, loc, qty) in lines {
        let movement = post(
            tx,
            p.tenant_id,
            "acceptance",
            item,
            loc,
            qty,
            "available",
            None,
            Some(("goods_receipt", id)),
            None,
            Some(p.user_id),
        )
        .await?;
        // the line's units and lot, accepted with it
        repo::accept_units_of_line(tx, line, movement, p.user_id).await?;
    }
    repo::accept_uids_of_receipt(tx, id).await?;
    repo::mark_receipt_accepted(tx, id, p.user_id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "accept",
            entity: "goods_receipt",
            entity_id: Some(id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    let receipt = load(tx, id).await?;
    Ok(receipt)
}

/// The orders that can still receive goods, for the receiving form.
pub async fn receivable(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Receivable>> {
    let p = ctx.principal()?;
    p.require("goods:receive")?;
    let orders = procurement::receivable_orders(tx).await?;
    // the SKUs and tracking of the items on their open lines: one statement
    let mut items: Vec<Uuid> = orders
        .iter()
        .flat_map(|o| o.lines.iter().filter_map(|l| l.item_id))
        .collect();
    items.sort_unstable();
    items.dedup();
    let items: HashMap<Uuid, (String, String)> = if items.is_empty() {
        HashMap::new()
    } else {
        repo::sku_and_tracking(tx, &items)
            .await?
            .into_iter()
            .map(|(id, sku, tracking, _)| (id, (sku, tracking)))
            .collect()
    };
    let locations = repo::active_locations(tx).await?;
    Ok(orders
        .into_iter()
        .map(|o| {
            let plant_id = o.order.plant_id;
            Receivable {
                id: o.order.id,
                number: o.order.number,
                supplier: o.order.supplier,
                plant: o.order.plant_code,
                lines: o
                    .lines
                    .into_iter()
                    .map(|l| {
                        let item = l.item_id.and_then(|i| items.get(&i));
                        ReceivableLine {
                            id: l.id,
                            description: l.description,
                            sku: item.map(|(sku, _)| sku.clone()),
                            serialised: item.is_some_and(|(_, t)| t == "serial"),
                            quantity: l.quantity.normalize(),
                            received_quantity: l.received_quantity.normalize(),
                            unit: l.unit,
                        }
                    })
                    .collect(),
                locations: locations
                    .iter()
                    .filter(|l| plant_id.is_none_or(|p| p == l.2))
                    .map(|l| (l.0, l.1.clone()))
                    .collect(),
            }
        })
        .filter(|r| !r.lines.is_empty())
        .collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: GoodsReceiptId) -> AppResult<Receipt> {
    let id = id.uuid();
    let p = ctx.principal()?;
    p.require("goods:receive")
        .or_else(|_| p.require("goods:accept"))
        .or_else(|_| p.require("po:view"))
        .or_else(|_| p.require("po:create"))?;
    let r = load(tx, id).await?;
    Ok(r)
}

/// A receipt with its lines in the order's line order; the order's number and the lines'
/// descriptions are procurement's (two statements, however many lines).
async fn load(tx: &mut Tx, id: Uuid) -> AppResult<Receipt> {
    let h = repo::receipt_head(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let purchase_order = procurement::orders_by_ids(tx, &[h.purchase_order_id])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?
        .number;
    let lines = repo::receipt_lines(tx, id).await?;
    let mut order_line_ids: Vec<Uuid> = lines.iter().map(|l| l.purchase_order_line_id).collect();
    order_line_ids.sort_unstable();
    order_line_ids.dedup();
    let order_lines: HashMap<Uuid, OrderLineRef> =
        procurement::order_lines_by_ids(tx, &order_line_ids)
            .await?
            .into_iter()
            .map(|(_, l)| (l.id, l))
            .collect();
    // in the order's line order, then by id
    let mut lines: Vec<(&OrderLineRef, repo::LineRow)> = lines
        .into_iter()
        .filter_map(|l| Some((order_lines.get(&l.purchase_order_line_id)?, l)))
        .collect();
    lines.sort_by_key(|(ol, l)| (ol.line_no, l.id));
    Ok(Receipt {
        id: h.id,
        number: h.number,
        purchase_order_id: h.purchase_order_id,
        purchase_order,
        status: h.status,
        received_by: h.received_by,
        received_at: h.received_at,
        accepted_by: h.accepted_by,
        accepted_at: h.accepted_at,
        lines: lines
            .into_iter()
            .map(|(ol, l)| ReceiptLine {
                id: l.id,
                purchase_order_line_id: l.purchase_order_line_id,
                item_id: l.item_id,
                description: ol.description.clone(),
                accepted_quantity: l.accepted_quantity.normalize(),
                rejected_quantity: l.rejected_quantity.normalize(),
                rejection_reason: l.rejection_reason,
                location: l.location,
                uids: l.uids,
                unit: ol.unit.clone(),
                stock_quantity: l.stock_quantity.map(|q| q.normalize()),
                stock_unit: l.stock_quantity.and(l.item_unit),
            })
            .collect(),
    })
}
