//! Stock on the server: the movements (issue, move, transfer and its arrival), the corrections
//! (adjustments and reversals) and the read models (movements, an item's stock, UID traces). The
//! helpers here are what they share: places and items checked, units and lots that follow the stock.
use crate::error::FieldError;
use crate::error::{AppError, AppResult};
use crate::inventory::model::stock::*;
use crate::inventory::model::uid::Uid;
use crate::inventory::service::ledger::{post, post_reversing};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::model::locale_code;
use crate::platform::paging::Page;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

mod commands;
mod corrections;
pub mod labels;
mod reads;

pub use commands::{issue, move_stock, receive_transfer, transfer};
pub use corrections::{adjust, reverse};
pub use reads::{item_detail, movements, options, trace};

async fn location_plant(tx: &mut Tx, id: Uuid, field: &str) -> AppResult<Uuid> {
    let plant: Option<Uuid> = sqlx::query_scalar!(
        "select plant_id from locations where id = $1 and active",
        id
    )
    .fetch_optional(&mut **tx)
    .await?;
    plant.ok_or_else(|| AppError::field(field, FieldError::UnknownReference))
}

async fn known_item(tx: &mut Tx, id: Uuid) -> AppResult<()> {
    let ok: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from items where id = $1) as "found!""#,
        id
    )
    .fetch_one(&mut **tx)
    .await?;
    if ok {
        Ok(())
    } else {
        Err(AppError::field("item_id", FieldError::UnknownReference))
    }
}

/// More than is available now is a 422 on `quantity`; losing a race for the last units to
/// someone else (the balance changed between this check and the write) is a 409.
async fn enough(tx: &mut Tx, item: Uuid, location: Uuid, q: Decimal) -> AppResult<()> {
    let available: Option<Decimal> = sqlx::query_scalar!(
        "select available from stock_balances where item_id = $1 and location_id = $2",
        item,
        location
    )
    .fetch_optional(&mut **tx)
    .await?;
    if available.unwrap_or_default() < q {
        return Err(AppError::field("quantity", FieldError::ExceedsAvailable));
    }
    Ok(())
}

/// Which units of `uids` are in stock at their place (as the database's `uids_available`).
const AVAILABLE_UNIT: &str = "kind = 'serial' and status in ('accepted', 'transferred')";

/// What a movement takes from a place, for the units and lots that go with it.
struct Taken<'a> {
    item: Uuid,
    from: Uuid,
    quantity: Decimal,
    /// The place it goes to, for a move; none when it leaves the stock or goes on the road.
    to: Option<Uuid>,
    /// The units' and lots' new state, and the name of the event written for each.
    status: &'static str,
    movement: Uuid,
    /// Serial-numbered units the request named; empty: the oldest go.
    named: &'a [Uuid],
}

/// Units and lots follow the stock, in one statement. Serial-numbered units: the `quantity`
/// oldest available units of the item at `from` (accepted, or moved or transferred in; or those
/// named) take `status`, and `to` as their place when it is given. Lots (`lot_balances`): the
/// quantity is taken from the item's lots at `from` (those named, in the order named; else
/// all, oldest first), splitting the last one touched; what is taken arrives at `to` for a
/// move. A lot takes `status` when it is moved, or when nothing of it is left in stock anywhere
/// (nor, unless it is going on the road itself, in transit). Each unit and each lot touched gets an event
/// tied to `movement` (a lot's with the quantity it concerned). Stock without UIDs (counted in
/// before receipts made them, or adjusted in) has no units or lots to follow, and none are
/// invented.
async fn units_follow(tx: &mut Tx, tenant_id: Uuid, user: Uuid, t: Taken<'_>) -> AppResult<()> {
    sqlx::query(&format!(
        "with picked as (
           select id from uids
            where item_id = $2 and location_id = $3 and {AVAILABLE_UNIT}
              and (cardinality($9::uuid[]) = 0 or id = any($9))
            order by created_at, uid limit $4 for update),
         moved as (
           update uids u set status = $5, location_id = coalesce($6, u.location_id)
             from picked where u.id = picked.id returning u.id, u.location_id),
         lot_here as (
           select b.uid_id, b.quantity, u.created_at, u.uid
             from lot_balances b join uids u on u.tenant_id = b.tenant_id and u.id = b.uid_id
            where b.location_id = $3 and u.item_id = $2 and b.quantity > 0
              and (cardinality($9::uuid[]) = 0 or b.uid_id = any($9))
            for update of b),
         lot_take as (
           select uid_id, least(quantity, $10 - coalesce(sum(quantity) over
                    (order by array_position($9::uuid[], uid_id), created_at, uid
                     rows between unbounded preceding and 1 preceding), 0)) as q
             from lot_here),
         lot_taken as (
           update lot_balances b set quantity = b.quantity - t.q
             from lot_take t
            where t.q > 0 and b.tenant_id = $1 and b.uid_id = t.uid_id and b.location_id = $3
           returning b.uid_id, t.q, b.quantity as left_here),
         lot_arrived as (
           insert into lot_balances (tenant_id, uid_id, location_id, quantity)
           select $1, uid_id, $6, q from lot_taken where $6::uuid is not null
           on conflict (tenant_id, uid_id, location_id)
           do update set quantity = lot_balances.quantity + excluded.quantity),
         lot_moved as (
           update uids u set
             status = case
               when $6::uuid is not null then $5
               when t.left_here = 0 and not exists (
                 select 1 from lot_balances o
                  where o.tenant_id = u.tenant_id and o.uid_id = u.id and o.location_id <> $3 and o.quantity > 0)
                -- a lot with a part on the road is not gone yet
                and ($5 = 'in_transit' or not exists (
                 select 1 from uid_events e
                   join stock_movements m on m.tenant_id = e.tenant_id and m.id = e.movement_id
                   join stock_transfers x on x.tenant_id = m.tenant_id and x.id = m.doc_id
                  where e.tenant_id = u.tenant_id and e.uid_id = u.id and m.kind = 'transfer_out'
                    and m.doc_type = 'transfer' and x.status = 'in_transit'))
               then $5
               else u.status end,
             location_id = case when $6::uuid is not null and t.left_here = 0 then $6 else u.location_id end
             from lot_taken t where u.tenant_id = $1 and u.id = t.uid_id)
         insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
         select $1, id, $5, location_id, $7, $8, null::numeric from moved
         union all
         select $1, uid_id, $5, coalesce($6, $3), $7, $8, q from lot_taken"
    ))
    .bind(tenant_id)
    .bind(t.item)
    .bind(t.from)
    .bind(t.quantity.trunc().to_i64().unwrap_or(0).max(0))
    .bind(t.status)
    .bind(t.to)
    .bind(t.movement)
    .bind(user)
    .bind(t.named)
    .bind(t.quantity)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The units or lots a movement names (`uids`), checked before anything moves: each well
/// formed with its check character (`uids[i]`: invalid, checksum), named once, of this item and
/// in stock at `from` (`uids[i]`: not here). Serial-numbered units: as many as the quantity
/// (`uids`). Lots: holding at least the quantity there between them (`uids`), taken in the
/// order named. None named: empty, the oldest go ([`units_follow`]).
async fn named_units(
    tx: &mut Tx,
    item: Uuid,
    from: Uuid,
    quantity: Decimal,
    uids: &[String],
) -> AppResult<Vec<Uuid>> {
    if uids.is_empty() {
        return Ok(Vec::new());
    }
    let mut e = BTreeMap::new();
    let mut codes: Vec<String> = Vec::with_capacity(uids.len());
    for (i, text) in uids.iter().enumerate() {
        let code = text.trim().to_ascii_uppercase();
        match Uid::parse(&code) {
            Err(bad) => {
                e.insert(format!("uids[{i}]"), bad.into());
            }
            Ok(_) if codes.contains(&code) => {
                e.insert(format!("uids[{i}]"), FieldError::Duplicate);
            }
            Ok(_) => {}
        }
        codes.push(code);
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    // (uid, id, how much of it is here: one serial unit, or what is left of a lot)
    let here: Vec<(String, Uuid, Option<Decimal>)> = sqlx::query_as(&format!(
        "select u.uid, u.id, b.quantity from uids u
           left join lot_balances b on b.tenant_id = u.tenant_id and b.uid_id = u.id and b.location_id = $3
          where u.uid = any($1) and u.item_id = $2
            and ((u.location_id = $3 and {AVAILABLE_UNIT}) or (u.kind = 'lot' and b.quantity > 0))"
    ))
    .bind(&codes)
    .bind(item)
    .bind(from)
    .fetch_all(&mut **tx)
    .await?;
    let mut ids = Vec::with_capacity(codes.len());
    let (mut serials, mut in_lots) = (0usize, Decimal::ZERO);
    for (i, code) in codes.iter().enumerate() {
        match here.iter().find(|(c, _, _)| c == code) {
            Some((_, id, lot)) => {
                ids.push(*id);
                match lot {
                    Some(q) => in_lots += *q,
                    None => serials += 1,
                }
            }
            None => {
                e.insert(format!("uids[{i}]"), FieldError::UnitNotHere);
            }
        }
    }
    if e.is_empty() && serials > 0 && Decimal::from(serials) != quantity {
        e.insert("uids".into(), FieldError::UnitCount);
    }
    if e.is_empty() && serials == 0 && in_lots < quantity {
        e.insert("uids".into(), FieldError::LotsShort);
    }
    if e.is_empty() {
        Ok(ids)
    } else {
        Err(AppError::Validation(e))
    }
}

async fn audit_movement<T: Serialize>(
    tx: &mut Tx,
    ctx: &RequestCtx,
    action: &'static str,
    id: Uuid,
    input: &T,
) -> AppResult<()> {
    let p = ctx.principal()?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action,
            entity: "stock",
            entity_id: Some(id.to_string()),
            old: None,
            new: serde_json::to_value(input).ok(),
        },
    )
    .await?;
    Ok(())
}

async fn load_transfer(tx: &mut Tx, id: Uuid) -> AppResult<Transfer> {
    let t = sqlx::query!(
        "select t.id, t.item_id, f.code as from_location, o.code as to_location, t.quantity, t.status
           from stock_transfers t
           join locations f on f.tenant_id = t.tenant_id and f.id = t.from_location_id
           join locations o on o.tenant_id = t.tenant_id and o.id = t.to_location_id
          where t.id = $1",
        id
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(Transfer {
        id: t.id,
        item_id: t.item_id,
        from_location: t.from_location,
        to_location: t.to_location,
        quantity: t.quantity.normalize(),
        status: t.status,
    })
}

#[derive(sqlx::FromRow)]
struct MovementRow {
    id: Uuid,
    kind: String,
    item_id: Uuid,
    sku: String,
    location: String,
    quantity: Decimal,
    affects: String,
    unit_cost: Option<Decimal>,
    reason: Option<String>,
    doc_type: Option<String>,
    doc_id: Option<Uuid>,
    user_name: Option<String>,
    at: DateTime<Utc>,
}

fn movement_of(r: MovementRow) -> Movement {
    Movement {
        id: r.id,
        kind: r.kind,
        item_id: r.item_id,
        sku: r.sku,
        location: r.location,
        quantity: r.quantity.normalize(),
        affects: r.affects,
        unit_cost: r.unit_cost.map(|c| c.normalize()),
        reason: r.reason,
        doc_type: r.doc_type,
        doc_id: r.doc_id,
        user: r.user_name,
        at: r.at,
    }
}

async fn load_movement(tx: &mut Tx, id: Uuid) -> AppResult<Movement> {
    let r = sqlx::query_as!(
        MovementRow,
        r#"select m.id, m.kind, m.item_id, i.sku, l.code as location, m.quantity, m.affects,
        m.unit_cost, m.reason, m.doc_type, m.doc_id, u.display_name as "user_name?", m.at
   from stock_movements m
   join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
   join locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
   left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id where m.id = $1"#,
        id
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(movement_of(r))
}

/// Keeps the quantity behind the moving average in step with stock that enters or leaves
/// without a price of its own (adjustments and their reversals), at the current average.
async fn shift_cost_quantity(
    tx: &mut Tx,
    tenant_id: Uuid,
    item: Uuid,
    delta: Decimal,
) -> AppResult<()> {
    sqlx::query!("insert into item_costs (tenant_id, item_id, quantity, average_cost) values ($1, $2, greatest($3::numeric, 0), 0)
         on conflict (tenant_id, item_id) do update set quantity = greatest(item_costs.quantity + $3, 0)", tenant_id, item, delta)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
