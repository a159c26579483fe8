//! Stock on the server: the movements (issue, move, transfer and its arrival), the corrections
//! (adjustments and reversals) and the read models (movements, an item's stock, UID traces), with
//! UID labels. The helpers here are what they share: places, items and named units checked,
//! movements and transfers read back. The SQL is in `repo::stock` and `repo::stock_reads`.
use crate::error::{AppError, AppResult, FieldError};
use crate::inventory::model::stock::*;
use crate::inventory::model::uid;
use crate::inventory::repo::stock::{self as repo, units_follow, Taken};
use crate::inventory::repo::stock_reads::{self as reads_repo, MovementRow};
use crate::inventory::service::ledger::{post, post_reversing};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::model::locale_code;
use crate::platform::paging::Page;
use crate::platform::stock_events::{StockEventKind, StockEventLine};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

mod commands;
mod corrections;
pub mod labels;
mod reads;

pub use commands::{issue, move_stock, receive_transfer, transfer};
pub use corrections::{adjust, reverse};
pub use reads::{all_movements, item_detail, movements, options, trace};

/// Has the ledger value one movement (issue, transfer, adjustment, reversal) in `tx`.
#[allow(clippy::too_many_arguments)]
async fn value_movement(
    tx: &mut Tx,
    tenant_id: Uuid,
    user_id: Uuid,
    kind: crate::platform::stock_events::StockEventKind,
    doc_id: Uuid,
    reference: String,
    line: crate::platform::stock_events::StockEventLine,
) -> AppResult<()> {
    crate::platform::stock_events::record(
        tx,
        &crate::platform::stock_events::StockEvent {
            kind,
            tenant_id,
            doc_id,
            reference,
            user_id: Some(user_id),
            lines: vec![line],
        },
    )
    .await
}

async fn location_plant(tx: &mut Tx, id: Uuid, field: &str) -> AppResult<Uuid> {
    let plant = repo::location_plant(tx, id).await?;
    plant.ok_or_else(|| AppError::field(field, FieldError::UnknownReference))
}

async fn known_item(tx: &mut Tx, id: Uuid) -> AppResult<()> {
    let ok = repo::item_exists(tx, id).await?;
    if ok {
        Ok(())
    } else {
        Err(AppError::field("item_id", FieldError::UnknownReference))
    }
}

/// More than is available now is a 422 on `quantity`; losing a race for the last units to
/// someone else (the balance changed between this check and the write) is a 409.
async fn enough(tx: &mut Tx, item: Uuid, location: Uuid, q: Decimal) -> AppResult<()> {
    let available = repo::available_at(tx, item, location).await?;
    if available.unwrap_or_default() < q {
        return Err(AppError::field("quantity", FieldError::ExceedsAvailable));
    }
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
        // the current form, or the former one a label printed before still carries
        let code = text.trim().to_ascii_uppercase();
        match uid::read(&code) {
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
    let here = repo::units_here(tx, &codes, item, from).await?;
    let mut ids = Vec::with_capacity(codes.len());
    let (mut serials, mut in_lots) = (0usize, Decimal::ZERO);
    for (i, code) in codes.iter().enumerate() {
        match here
            .iter()
            .find(|(c, former, _, _)| c == code || former.as_ref() == Some(code))
        {
            // one unit named twice, by its text and by its former text
            Some((_, _, id, _)) if ids.contains(id) => {
                e.insert(format!("uids[{i}]"), FieldError::Duplicate);
            }
            Some((_, _, id, lot)) => {
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
    let t = repo::transfer(tx, id).await?;
    Ok(Transfer {
        id: t.id,
        item_id: t.item_id,
        from_location: t.from_location,
        to_location: t.to_location,
        quantity: t.quantity.normalize(),
        status: t.status,
    })
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
    let r = reads_repo::movement(tx, id).await?;
    Ok(movement_of(r))
}
