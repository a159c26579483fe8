//! Goods receipts on the server: received against an order, accepted by the requester, read.
use crate::approvals::engine::{self, Doc};
use crate::approvals::expr::Facts;
use crate::error::FieldError;
use crate::error::{AppError, AppResult};
use crate::inventory::model::receipts::*;
use crate::inventory::model::uid::{Uid, UidType};
use crate::inventory::service::ledger::post;
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Reserves `count` consecutive UID numbers of the tenant in one statement and formats them.
async fn next_uids(
    tx: &mut Tx,
    tenant_id: Uuid,
    tenant: &str,
    plant: &str,
    kind: UidType,
    count: usize,
) -> AppResult<Vec<String>> {
    let last: i64 = sqlx::query_scalar!(r#"insert into doc_counters (tenant_id, doc_type, year, last_value) values ($1, 'UID', 0, $2)
         on conflict (tenant_id, doc_type, year) do update set last_value = doc_counters.last_value + $2
         returning last_value::bigint as "last!""#, tenant_id, count as i32)
    .fetch_one(&mut **tx)
    .await?;
    let first = last - count as i64 + 1;
    Ok((first..=last)
        .map(|seq| {
            Uid {
                tenant: tenant.to_string(),
                plant: plant.to_string(),
                kind,
                seq: seq as u64,
            }
            .format()
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PoHead {
    status: String,
    plant_id: Option<Uuid>,
    plant_code: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PoLineRow {
    id: Uuid,
    item_id: Option<Uuid>,
    quantity: Decimal,
    received_quantity: Decimal,
    unit_price: Decimal,
    tracking: Option<String>,
    requester_id: Uuid,
}

/// Receives goods against an approved or sent PO: partial receipts, accepted and rejected
/// quantities, put-away per line, over-receipt beyond the tenant's tolerance refused. Catalogue
/// items enter stock as *pending acceptance* (on hand, not available) with their UIDs; the
/// requesters are notified to accept.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn receive(tx: &mut Tx, ctx: &RequestCtx, input: ReceiveInput) -> AppResult<Receipt> {
    let p = ctx.principal()?;
    p.require("goods:receive")?;
    validate_receive(&input).map_err(AppError::Validation)?;
    let head = sqlx::query_as!(PoHead, r#"select po.status, po.plant_id, pl.code as "plant_code?"
           from purchase_orders po left join plants pl on pl.tenant_id = po.tenant_id and pl.id = po.plant_id
          where po.id = $1 for update of po"#, input.purchase_order_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::field("purchase_order_id", FieldError::UnknownReference))?;
    if !matches!(
        head.status.as_str(),
        "approved" | "sent" | "partially_received"
    ) {
        return Err(AppError::InvalidState);
    }
    let tolerance: Decimal = sqlx::query_scalar!(
        "select receipt_tolerance from tenants where id = $1",
        p.tenant_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let tenant_code = p.user.tenant.slug.to_uppercase();
    let plant_code = head.plant_code.clone().unwrap_or_else(|| "HQ".into());
    let number = crate::platform::numbering::next_number(tx, p.tenant_id, "GRN").await?;
    let receipt_id: Uuid = sqlx::query_scalar!(
        "insert into goods_receipts (tenant_id, number, purchase_order_id, plant_id, received_by)
         values ($1, $2, $3, $4, $5) returning id",
        p.tenant_id,
        &number,
        input.purchase_order_id,
        head.plant_id,
        p.user_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let mut errors = BTreeMap::new();
    let mut requesters = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let f = |n: &str| format!("lines[{i}].{n}");
        let line = sqlx::query_as!(PoLineRow, r#"select pl.id, coalesce(pl.item_id, rl.item_id) as item_id, pl.quantity, pl.received_quantity, pl.unit_price,
                    it.tracking as "tracking?", r.requester_id
               from purchase_order_lines pl
               join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
               join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
               left join items it on it.tenant_id = pl.tenant_id and it.id = coalesce(pl.item_id, rl.item_id)
              where pl.id = $1 and pl.purchase_order_id = $2
              for update of pl"#, l.purchase_order_line_id, input.purchase_order_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(line) = line else {
            errors.insert(f("purchase_order_line_id"), FieldError::UnknownReference);
            continue;
        };
        let rejected = l.rejected_quantity.unwrap_or_default();
        let limit = line.quantity * (Decimal::ONE + tolerance);
        if line.received_quantity + l.accepted_quantity > limit {
            errors.insert(f("accepted_quantity"), FieldError::ExceedsOrdered);
            continue;
        }
        let serial = line.tracking.as_deref() == Some("serial");
        // serialised goods come in whole units, each with its own UID (at most 10,000 a line)
        if serial
            && (l.accepted_quantity.fract() != Decimal::ZERO
                || l.accepted_quantity > Decimal::from(10_000))
        {
            errors.insert(f("accepted_quantity"), FieldError::Invalid);
            continue;
        }
        // put-away: a known, active location in the delivery plant
        let location = match l.location_id {
            Some(loc) => {
                let ok: Option<String> = sqlx::query_scalar!("select code from locations where id = $1 and active and ($2::uuid is null or plant_id = $2)", loc, head.plant_id)
                .fetch_optional(&mut **tx)
                .await?;
                if ok.is_none() {
                    errors.insert(f("location_id"), FieldError::UnknownReference);
                    continue;
                }
                Some(loc)
            }
            None if line.item_id.is_some() && l.accepted_quantity > Decimal::ZERO => {
                errors.insert(f("location_id"), FieldError::Required);
                continue;
            }
            None => None,
        };
        let line_id: Uuid = sqlx::query_scalar!("insert into goods_receipt_lines (tenant_id, receipt_id, purchase_order_line_id, item_id, accepted_quantity,
                                              rejected_quantity, rejection_reason, location_id, unit_cost)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id", p.tenant_id, receipt_id, line.id, line.item_id, l.accepted_quantity, rejected, l.rejection_reason.as_deref().map(str::trim).filter(|s| !s.is_empty()), location, line.unit_price)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query!("update purchase_order_lines set received_quantity = received_quantity + $2 where id = $1", line.id, l.accepted_quantity)
            .execute(&mut **tx)
            .await?;
        if !requesters.contains(&line.requester_id) {
            requesters.push(line.requester_id);
        }
        let (Some(item), Some(loc)) = (line.item_id, location) else {
            continue;
        };
        if l.accepted_quantity <= Decimal::ZERO {
            continue;
        }
        let movement = post(
            tx,
            p.tenant_id,
            "receipt",
            item,
            loc,
            l.accepted_quantity,
            "on_hand",
            Some(line.unit_price),
            Some(("goods_receipt", receipt_id)),
            None,
            Some(p.user_id),
        )
        .await?;
        // valuation: moving average over what the company holds
        let cost: Option<(Decimal, Decimal)> = sqlx::query!(
            "select quantity, average_cost from item_costs where item_id = $1 for update",
            item
        )
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| (r.quantity, r.average_cost));
        let (old_q, old_avg) = cost.unwrap_or_default();
        let avg = moving_average(old_q, old_avg, l.accepted_quantity, line.unit_price);
        sqlx::query!("insert into item_costs (tenant_id, item_id, quantity, average_cost) values ($1, $2, $3, $4)
             on conflict (tenant_id, item_id) do update set quantity = excluded.quantity, average_cost = excluded.average_cost", p.tenant_id, item, old_q + l.accepted_quantity, avg)
        .execute(&mut **tx)
        .await?;
        // UIDs: one per unit of a serialised item, one for the lot otherwise
        let units: Vec<Decimal> = if serial {
            use rust_decimal::prelude::ToPrimitive;
            vec![Decimal::ONE; l.accepted_quantity.to_usize().unwrap_or(0)]
        } else {
            vec![l.accepted_quantity]
        };
        let kind = if serial {
            UidType::Serial
        } else {
            UidType::Lot
        };
        // every UID of the line and its first event in one statement each, however many units
        let uids = next_uids(
            tx,
            p.tenant_id,
            &tenant_code,
            &plant_code,
            kind,
            units.len(),
        )
        .await?;
        sqlx::query!("with made as (
               insert into uids (tenant_id, uid, item_id, kind, quantity, receipt_line_id, location_id, status)
               select $1, u, $3, $4, q, $5, $6, 'received' from unnest($2::text[], $7::numeric[]) as x(u, q)
               returning id, kind, quantity)
             insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
             select $1, id, 'received', $6, $8, $9, case when kind = 'lot' then quantity end from made", p.tenant_id, &uids, item, if serial { "serial" } else { "lot" }, line_id, loc, &units, movement, p.user_id)
        .execute(&mut **tx)
        .await?;
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // the order is received when every line has what was ordered
    let open: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from purchase_order_lines where purchase_order_id = $1 and received_quantity < quantity) as "found!""#, input.purchase_order_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query!(
        "update purchase_orders set status = $2 where id = $1",
        input.purchase_order_id,
        if open {
            "partially_received"
        } else {
            "received"
        }
    )
    .execute(&mut **tx)
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
        number: number.clone(),
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
pub async fn accept(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Receipt> {
    let p = ctx.principal()?;
    let scope = p.require("goods:accept")?;
    let status: Option<String> = sqlx::query_scalar!(
        "select status from goods_receipts where id = $1 for update",
        id
    )
    .fetch_optional(&mut **tx)
    .await?;
    let status = status.ok_or(AppError::NotFound)?;
    // whose goods: the requesters of the requisitions behind the receipt's lines
    let requesters: Vec<Uuid> = sqlx::query_scalar!("select distinct r.requester_id from goods_receipt_lines gl
           join purchase_order_lines pl on pl.tenant_id = gl.tenant_id and pl.id = gl.purchase_order_line_id
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where gl.receipt_id = $1", id)
    .fetch_all(&mut **tx)
    .await?;
    if scope == crate::platform::permission::Scope::Own && !requesters.contains(&p.user_id) {
        return Err(AppError::Forbidden);
    }
    if status != "pending_acceptance" {
        return Err(AppError::InvalidState);
    }
    let lines: Vec<(Uuid, Uuid, Uuid, Decimal)> = sqlx::query!(r#"select id, item_id as "item_id!", location_id as "location_id!", accepted_quantity from goods_receipt_lines
          where receipt_id = $1 and item_id is not null and location_id is not null and accepted_quantity > 0"#, id).fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.item_id, r.location_id, r.accepted_quantity))
        .collect();
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
        // the line's units and lot, accepted with it (by line: two lines of one item are two
        // places and two lots); a lot is available at its place from now on (`lot_balances`)
        sqlx::query!("with units as (
               select u.tenant_id, u.id, u.kind, u.quantity, u.location_id from uids u
                where u.receipt_line_id = $1),
             lots as (
               insert into lot_balances (tenant_id, uid_id, location_id, quantity)
               select tenant_id, id, location_id, quantity from units where kind = 'lot')
             insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
             select tenant_id, id, 'accepted', location_id, $2, $3, case when kind = 'lot' then quantity end from units", line, movement, p.user_id)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query!(
        "update uids u set status = 'accepted' from goods_receipt_lines gl
          where gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id and gl.receipt_id = $1",
        id
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!("update goods_receipts set status = 'accepted', accepted_by = $2, accepted_at = now() where id = $1", id, p.user_id)
    .execute(&mut **tx)
    .await?;
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn receivable(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Receivable>> {
    let p = ctx.principal()?;
    p.require("goods:receive")?;
    #[allow(clippy::type_complexity)]
    let heads: Vec<(Uuid, String, String, Option<String>, Option<Uuid>)> = sqlx::query!(
        r#"select po.id, po.number, s.name, pl.code as "code?", po.plant_id from purchase_orders po
           join suppliers s on s.tenant_id = po.tenant_id and s.id = po.supplier_id
           left join plants pl on pl.tenant_id = po.tenant_id and pl.id = po.plant_id
          where po.status in ('approved','sent','partially_received')
          order by po.number desc limit 50"#
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.number, r.name, r.code, r.plant_id))
    .collect();
    let ids: Vec<Uuid> = heads.iter().map(|h| h.0).collect();
    #[allow(clippy::type_complexity)]
    let lines: Vec<(Uuid, Uuid, String, Option<String>, Option<String>, Decimal, Decimal, String)> = sqlx::query!(r#"select pol.purchase_order_id, pol.id, pol.description, i.sku as "sku?", i.tracking as "tracking?", pol.quantity, pol.received_quantity, pol.unit
           from purchase_order_lines pol
           join requisition_lines rl on rl.tenant_id = pol.tenant_id and rl.id = pol.requisition_line_id
           left join items i on i.tenant_id = pol.tenant_id and i.id = coalesce(pol.item_id, rl.item_id)
          where pol.purchase_order_id = any($1) and pol.received_quantity < pol.quantity
          order by pol.line_no"#, &ids).fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|r| (r.purchase_order_id, r.id, r.description, r.sku, r.tracking, r.quantity, r.received_quantity, r.unit))
        .collect();
    let locations: Vec<(Uuid, String, Uuid)> =
        sqlx::query!("select id, code, plant_id from locations where active order by code")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|r| (r.id, r.code, r.plant_id))
            .collect();
    Ok(heads
        .into_iter()
        .map(|(id, number, supplier, plant, plant_id)| Receivable {
            id,
            number,
            supplier,
            plant,
            lines: lines
                .iter()
                .filter(|l| l.0 == id)
                .map(|l| ReceivableLine {
                    id: l.1,
                    description: l.2.clone(),
                    sku: l.3.clone(),
                    serialised: l.4.as_deref() == Some("serial"),
                    quantity: l.5.normalize(),
                    received_quantity: l.6.normalize(),
                    unit: l.7.clone(),
                })
                .collect(),
            locations: locations
                .iter()
                .filter(|l| plant_id.is_none_or(|p| p == l.2))
                .map(|l| (l.0, l.1.clone()))
                .collect(),
        })
        .filter(|r| !r.lines.is_empty())
        .collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Receipt> {
    let p = ctx.principal()?;
    p.require("goods:receive")
        .or_else(|_| p.require("goods:accept"))
        .or_else(|_| p.require("po:view"))
        .or_else(|_| p.require("po:create"))?;
    let r = load(tx, id).await?;
    Ok(r)
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    id: Uuid,
    number: String,
    purchase_order_id: Uuid,
    purchase_order: String,
    status: String,
    received_by: String,
    received_at: DateTime<Utc>,
    accepted_by: Option<String>,
    accepted_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: Uuid,
    purchase_order_line_id: Uuid,
    item_id: Option<Uuid>,
    description: String,
    accepted_quantity: Decimal,
    rejected_quantity: Decimal,
    rejection_reason: Option<String>,
    location: Option<String>,
    uids: Vec<String>,
}

async fn load(tx: &mut Tx, id: Uuid) -> AppResult<Receipt> {
    let h = sqlx::query_as!(HeadRow, r#"select g.id, g.number, g.purchase_order_id, po.number as purchase_order, g.status,
                ru.display_name as received_by, g.received_at, au.display_name as "accepted_by?", g.accepted_at
           from goods_receipts g
           join purchase_orders po on po.tenant_id = g.tenant_id and po.id = g.purchase_order_id
           join users ru on ru.tenant_id = g.tenant_id and ru.id = g.received_by
           left join users au on au.tenant_id = g.tenant_id and au.id = g.accepted_by
          where g.id = $1"#, id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let lines = sqlx::query_as!(LineRow, r#"select gl.id, gl.purchase_order_line_id, gl.item_id, pl.description, gl.accepted_quantity, gl.rejected_quantity,
                gl.rejection_reason, l.code as "location?",
                coalesce((select array_agg(u.uid order by u.uid) from uids u where u.receipt_line_id = gl.id), '{}') as "uids!"
           from goods_receipt_lines gl
           join purchase_order_lines pl on pl.tenant_id = gl.tenant_id and pl.id = gl.purchase_order_line_id
           left join locations l on l.tenant_id = gl.tenant_id and l.id = gl.location_id
          where gl.receipt_id = $1 order by pl.line_no, gl.id"#, id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Receipt {
        id: h.id,
        number: h.number,
        purchase_order_id: h.purchase_order_id,
        purchase_order: h.purchase_order,
        status: h.status,
        received_by: h.received_by,
        received_at: h.received_at,
        accepted_by: h.accepted_by,
        accepted_at: h.accepted_at,
        lines: lines
            .into_iter()
            .map(|l| ReceiptLine {
                id: l.id,
                purchase_order_line_id: l.purchase_order_line_id,
                item_id: l.item_id,
                description: l.description,
                accepted_quantity: l.accepted_quantity.normalize(),
                rejected_quantity: l.rejected_quantity.normalize(),
                rejection_reason: l.rejection_reason,
                location: l.location,
                uids: l.uids,
            })
            .collect(),
    })
}
