//! Stock operations after receipt: issue to a cost centre, move within a plant, transfer across
//! plants (in transit until received), the movement ledger, and a UID's traceability.
use crate::error::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IssueInput {
    pub item_id: Uuid,
    pub location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub cost_centre_id: Uuid,
    /// The units moved (UIDs of a serial-numbered item: as many as the quantity) or the lots to
    /// take it from (in this order), optional: without them the oldest units or lots of the place
    /// go. Each is checked (check character, item, in stock at the place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoveInput {
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// The units moved (UIDs of a serial-numbered item: as many as the quantity) or the lots to
    /// take it from (in this order), optional: without them the oldest units or lots of the place
    /// go. Each is checked (check character, item, in stock at the place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransferInput {
    pub item_id: Uuid,
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// The units moved (UIDs of a serial-numbered item: as many as the quantity) or the lots to
    /// take it from (in this order), optional: without them the oldest units or lots of the place
    /// go. Each is checked (check character, item, in stock at the place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
}

/// A typed or scanned UID's fault as a field error: a bad shape, or a check character that does not
/// match (a typo).
impl From<crate::inventory::uid::UidError> for FieldError {
    fn from(e: crate::inventory::uid::UidError) -> Self {
        match e {
            crate::inventory::uid::UidError::Format => FieldError::Invalid,
            crate::inventory::uid::UidError::Checksum => FieldError::Checksum,
        }
    }
}

/// A quantity taken out of stock: positive, at most 4 decimals.
pub fn check_quantity(q: Decimal) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if q <= Decimal::ZERO {
        e.insert("quantity".into(), FieldError::MustBePositive);
    } else if q.normalize().scale() > 4 {
        e.insert("quantity".into(), FieldError::TooManyDecimals);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Movement {
    pub id: Uuid,
    /// receipt, acceptance, issue, transfer_out, transfer_in, move_out, move_in, adjustment, reversal
    pub kind: String,
    pub item_id: Uuid,
    pub sku: String,
    pub location: String,
    /// Signed: positive in, negative out.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// both, on_hand (received, not yet accepted) or available (accepted)
    pub affects: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub unit_cost: Option<Decimal>,
    pub reason: Option<String>,
    pub doc_type: Option<String>,
    pub doc_id: Option<Uuid>,
    pub user: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MovementFilter {
    pub item_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Transfer {
    pub id: Uuid,
    pub item_id: Uuid,
    pub from_location: String,
    pub to_location: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// in_transit or received
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UidEvent {
    pub event: String,
    pub location: Option<String>,
    pub user: Option<String>,
    pub at: DateTime<Utc>,
    /// How much of a lot the event concerned (none for a serial-numbered unit, which is one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub quantity: Option<Decimal>,
}

/// What is left of a lot at one place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LotPlace {
    pub location: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
}

/// A UID from its item back to the purchase order, requisition and supplier, with every event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UidTrace {
    pub uid: String,
    pub kind: String,
    pub status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub item_id: Uuid,
    pub sku: String,
    pub item: String,
    pub location: Option<String>,
    pub receipt_id: Option<Uuid>,
    pub receipt: Option<String>,
    pub purchase_order_id: Option<Uuid>,
    pub purchase_order: Option<String>,
    pub requisition_id: Option<Uuid>,
    pub requisition: Option<String>,
    pub supplier: Option<String>,
    /// For a lot: what is left of it in stock, by place (a lot is split by partial issues, moves
    /// and transfers; `quantity` is what was received). Empty for a serial-numbered unit.
    #[serde(default)]
    pub places: Vec<LotPlace>,
    pub events: Vec<UidEvent>,
}

/// A stock count correction: signed quantity (positive found, negative lost), with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AdjustInput {
    pub item_id: Uuid,
    pub location_id: Uuid,
    /// Signed, not zero, at most 4 decimals.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub reason: String,
    /// For a write-off (a negative quantity): the units written off or the lots it comes from,
    /// optional (without them the oldest of the place go), each checked as for an issue. Not for
    /// a positive quantity: found units are received, not named here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReverseInput {
    pub reason: String,
}

pub fn check_adjustment(input: &AdjustInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if input.quantity == Decimal::ZERO {
        e.insert("quantity".into(), FieldError::MustBePositive);
    } else if input.quantity.normalize().scale() > 4 {
        e.insert("quantity".into(), FieldError::TooManyDecimals);
    }
    if input.quantity > Decimal::ZERO && !input.uids.is_empty() {
        e.insert("uids".into(), FieldError::Invalid);
    }
    check_reason(&input.reason, &mut e);
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

pub fn check_reason(reason: &str, e: &mut BTreeMap<String, FieldError>) {
    let n = reason.trim().chars().count();
    if n == 0 {
        e.insert("reason".into(), FieldError::Required);
    } else if n > 500 {
        e.insert("reason".into(), FieldError::TooLong);
    }
}

/// Stock of an item at one location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockAt {
    pub location_id: Uuid,
    pub location: String,
    pub plant: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub on_hand: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub available: Decimal,
    /// Share of the location's capacity this item fills, in percent, when it has one.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub utilisation: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UidSummary {
    pub uid: String,
    pub status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub location: Option<String>,
}

/// A purchase order line for the item still waiting for goods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenOrderLine {
    pub purchase_order_id: Uuid,
    pub number: String,
    pub supplier: String,
    pub status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub ordered: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub received: Decimal,
    pub expected_delivery: Option<NaiveDate>,
}

/// The item page: the item, where it is, what happened to it, its UIDs and what is on order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemDetail {
    pub item: crate::inventory::model::Item,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub average_cost: Decimal,
    pub stock: Vec<StockAt>,
    pub movements: Vec<Movement>,
    pub uids: Vec<UidSummary>,
    pub open_orders: Vec<OpenOrderLine>,
    /// Whether the reader may issue, move, transfer and adjust.
    pub can_update: bool,
}

/// What the stock forms offer: active locations (with their plant) and cost centres.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StockOptions {
    /// (id, code, plant code)
    pub locations: Vec<(Uuid, String, String)>,
    /// (id, code, name)
    pub cost_centres: Vec<(Uuid, String, String)>,
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{AppError, AppResult};
    use crate::inventory::receipts::service::{post, post_reversing};
    use crate::inventory::uid::Uid;
    use crate::platform::audit::{self, Entry};
    use crate::platform::context::{AppState, RequestCtx};
    use crate::platform::db::{tenant_tx, Tx};
    use crate::platform::model::locale_code;
    use crate::platform::paging::Page;
    use rust_decimal::prelude::ToPrimitive;
    use sqlx::types::Json;

    async fn location_plant(tx: &mut Tx, id: Uuid, field: &str) -> AppResult<Uuid> {
        let plant: Option<Uuid> =
            sqlx::query_scalar("select plant_id from locations where id = $1 and active")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        plant.ok_or_else(|| AppError::field(field, FieldError::UnknownReference))
    }

    async fn known_item(tx: &mut Tx, id: Uuid) -> AppResult<()> {
        let ok: bool = sqlx::query_scalar("select exists(select 1 from items where id = $1)")
            .bind(id)
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
        let available: Option<Decimal> = sqlx::query_scalar(
            "select available from stock_balances where item_id = $1 and location_id = $2",
        )
        .bind(item)
        .bind(location)
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

    pub async fn issue(
        state: &AppState,
        ctx: &RequestCtx,
        input: IssueInput,
    ) -> AppResult<Movement> {
        let p = ctx.principal()?;
        p.require("inventory:update")?;
        check_quantity(input.quantity).map_err(AppError::Validation)?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        known_item(&mut tx, input.item_id).await?;
        location_plant(&mut tx, input.location_id, "location_id").await?;
        let cc: bool = sqlx::query_scalar(
            "select exists(select 1 from cost_centres where id = $1 and active)",
        )
        .bind(input.cost_centre_id)
        .fetch_one(&mut *tx)
        .await?;
        if !cc {
            return Err(AppError::field(
                "cost_centre_id",
                FieldError::UnknownReference,
            ));
        }
        enough(&mut tx, input.item_id, input.location_id, input.quantity).await?;
        let named = named_units(
            &mut tx,
            input.item_id,
            input.location_id,
            input.quantity,
            &input.uids,
        )
        .await?;
        let cost: Option<Decimal> =
            sqlx::query_scalar("select average_cost from item_costs where item_id = $1")
                .bind(input.item_id)
                .fetch_optional(&mut *tx)
                .await?;
        let id = post(
            &mut tx,
            p.tenant_id,
            "issue",
            input.item_id,
            input.location_id,
            -input.quantity,
            "both",
            cost,
            Some(("cost_centre", input.cost_centre_id)),
            None,
            Some(p.user_id),
        )
        .await?;
        units_follow(
            &mut tx,
            p.tenant_id,
            p.user_id,
            Taken {
                item: input.item_id,
                from: input.location_id,
                quantity: input.quantity,
                to: None,
                status: "issued",
                movement: id,
                named: &named,
            },
        )
        .await?;
        sqlx::query(
            "update item_costs set quantity = greatest(quantity - $2, 0) where item_id = $1",
        )
        .bind(input.item_id)
        .bind(input.quantity)
        .execute(&mut *tx)
        .await?;
        crate::inventory::service::low_stock_check(
            &mut tx,
            p.tenant_id,
            input.item_id,
            input.quantity,
        )
        .await?;
        audit_movement(&mut tx, ctx, "issue", id, &input).await?;
        let m = load_movement(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
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

    /// Moves stock between two locations of the same plant at once.
    pub async fn move_stock(
        state: &AppState,
        ctx: &RequestCtx,
        item_id: Uuid,
        input: MoveInput,
    ) -> AppResult<Vec<Movement>> {
        let p = ctx.principal()?;
        p.require("inventory:update")?;
        check_quantity(input.quantity).map_err(AppError::Validation)?;
        if input.from_location_id == input.to_location_id {
            return Err(AppError::field("to_location_id", FieldError::Invalid));
        }
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        known_item(&mut tx, item_id).await?;
        let a = location_plant(&mut tx, input.from_location_id, "from_location_id").await?;
        let b = location_plant(&mut tx, input.to_location_id, "to_location_id").await?;
        if a != b {
            // another plant: that is a transfer, with its time in transit
            return Err(AppError::field("to_location_id", FieldError::Invalid));
        }
        enough(&mut tx, item_id, input.from_location_id, input.quantity).await?;
        let named = named_units(
            &mut tx,
            item_id,
            input.from_location_id,
            input.quantity,
            &input.uids,
        )
        .await?;
        let out = post(
            &mut tx,
            p.tenant_id,
            "move_out",
            item_id,
            input.from_location_id,
            -input.quantity,
            "both",
            None,
            None,
            None,
            Some(p.user_id),
        )
        .await?;
        let inn = post(
            &mut tx,
            p.tenant_id,
            "move_in",
            item_id,
            input.to_location_id,
            input.quantity,
            "both",
            None,
            None,
            None,
            Some(p.user_id),
        )
        .await?;
        units_follow(
            &mut tx,
            p.tenant_id,
            p.user_id,
            Taken {
                item: item_id,
                from: input.from_location_id,
                quantity: input.quantity,
                to: Some(input.to_location_id),
                status: "transferred",
                movement: inn,
                named: &named,
            },
        )
        .await?;
        audit_movement(&mut tx, ctx, "move", out, &input).await?;
        let moved = vec![
            load_movement(&mut tx, out).await?,
            load_movement(&mut tx, inn).await?,
        ];
        tx.commit().await?;
        Ok(moved)
    }

    /// Sends stock to a location of another plant: out of the sender now, in transit until the
    /// receiving plant books it in.
    pub async fn transfer(
        state: &AppState,
        ctx: &RequestCtx,
        input: TransferInput,
    ) -> AppResult<Transfer> {
        let p = ctx.principal()?;
        p.require("inventory:update")?;
        check_quantity(input.quantity).map_err(AppError::Validation)?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        known_item(&mut tx, input.item_id).await?;
        let a = location_plant(&mut tx, input.from_location_id, "from_location_id").await?;
        let b = location_plant(&mut tx, input.to_location_id, "to_location_id").await?;
        if a == b {
            return Err(AppError::field("to_location_id", FieldError::Invalid));
        }
        enough(
            &mut tx,
            input.item_id,
            input.from_location_id,
            input.quantity,
        )
        .await?;
        let named = named_units(
            &mut tx,
            input.item_id,
            input.from_location_id,
            input.quantity,
            &input.uids,
        )
        .await?;
        let id: Uuid = sqlx::query_scalar(
            "insert into stock_transfers (tenant_id, item_id, from_location_id, to_location_id, quantity, sent_by)
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(p.tenant_id)
        .bind(input.item_id)
        .bind(input.from_location_id)
        .bind(input.to_location_id)
        .bind(input.quantity)
        .bind(p.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let out = post(
            &mut tx,
            p.tenant_id,
            "transfer_out",
            input.item_id,
            input.from_location_id,
            -input.quantity,
            "both",
            None,
            Some(("transfer", id)),
            None,
            Some(p.user_id),
        )
        .await?;
        // on the road with it, until the other plant books the transfer in
        units_follow(
            &mut tx,
            p.tenant_id,
            p.user_id,
            Taken {
                item: input.item_id,
                from: input.from_location_id,
                quantity: input.quantity,
                to: None,
                status: "in_transit",
                movement: out,
                named: &named,
            },
        )
        .await?;
        crate::inventory::service::low_stock_check(
            &mut tx,
            p.tenant_id,
            input.item_id,
            input.quantity,
        )
        .await?;
        audit_movement(&mut tx, ctx, "transfer", id, &input).await?;
        let t = load_transfer(&mut tx, id).await?;
        tx.commit().await?;
        Ok(t)
    }

    /// The receiving plant books a transfer in.
    pub async fn receive_transfer(
        state: &AppState,
        ctx: &RequestCtx,
        id: Uuid,
    ) -> AppResult<Transfer> {
        let p = ctx.principal()?;
        p.require("inventory:update")?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        let row: Option<(Uuid, Uuid, Decimal, String)> = sqlx::query_as(
            "select item_id, to_location_id, quantity, status from stock_transfers where id = $1 for update",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let (item, to, q, status) = row.ok_or(AppError::NotFound)?;
        if status != "in_transit" {
            return Err(AppError::InvalidState);
        }
        let inn = post(
            &mut tx,
            p.tenant_id,
            "transfer_in",
            item,
            to,
            q,
            "both",
            None,
            Some(("transfer", id)),
            None,
            Some(p.user_id),
        )
        .await?;
        // the units that left with this transfer arrive with it, and what it carried of lots
        sqlx::query(
            "with sent as (
               select e.uid_id, e.quantity from uid_events e
                 join stock_movements m on m.tenant_id = e.tenant_id and m.id = e.movement_id
                where m.doc_type = 'transfer' and m.doc_id = $2 and m.kind = 'transfer_out'),
             lots as (
               insert into lot_balances (tenant_id, uid_id, location_id, quantity)
               select $1, uid_id, $3, quantity from sent where quantity is not null
               on conflict (tenant_id, uid_id, location_id)
               do update set quantity = lot_balances.quantity + excluded.quantity),
             moved as (
               update uids u set status = 'transferred',
                      location_id = case when u.status = 'in_transit' then $3 else u.location_id end
                 from sent
                where u.id = sent.uid_id and (u.status = 'in_transit' or sent.quantity is not null)
               returning u.id, sent.quantity)
             insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
             select $1, id, 'transferred', $3, $4, $5, quantity from moved",
        )
        .bind(p.tenant_id)
        .bind(id)
        .bind(to)
        .bind(inn)
        .bind(p.user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("update stock_transfers set status = 'received', received_by = $2, received_at = now() where id = $1")
            .bind(id)
            .bind(p.user_id)
            .execute(&mut *tx)
            .await?;
        audit_movement(&mut tx, ctx, "transfer_receive", id, &id).await?;
        let t = load_transfer(&mut tx, id).await?;
        tx.commit().await?;
        Ok(t)
    }

    async fn load_transfer(tx: &mut Tx, id: Uuid) -> AppResult<Transfer> {
        let (id, item_id, from_location, to_location, quantity, status): (
            Uuid,
            Uuid,
            String,
            String,
            Decimal,
            String,
        ) = sqlx::query_as(
            "select t.id, t.item_id, f.code, o.code, t.quantity, t.status from stock_transfers t
                   join locations f on f.tenant_id = t.tenant_id and f.id = t.from_location_id
                   join locations o on o.tenant_id = t.tenant_id and o.id = t.to_location_id
                  where t.id = $1",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        Ok(Transfer {
            id,
            item_id,
            from_location,
            to_location,
            quantity: quantity.normalize(),
            status,
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

    const MOVEMENT_SELECT: &str =
        "select m.id, m.kind, m.item_id, i.sku, l.code as location, m.quantity, m.affects,
            m.unit_cost, m.reason, m.doc_type, m.doc_id, u.display_name as user_name, m.at
       from stock_movements m
       join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
       join locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
       left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id";

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
        let r = sqlx::query_as::<_, MovementRow>(&format!("{MOVEMENT_SELECT} where m.id = $1"))
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        Ok(movement_of(r))
    }

    pub async fn movements(
        state: &AppState,
        ctx: &RequestCtx,
        f: MovementFilter,
    ) -> AppResult<Page<Movement>> {
        let p = ctx.principal()?;
        p.require("inventory:view")?;
        let per_page = f.per_page.clamp(1, 100);
        let page = f.page.max(1);
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        let total: i64 = sqlx::query_scalar(
            "select count(*) from stock_movements m
              where ($1::uuid is null or m.item_id = $1) and ($2::uuid is null or m.location_id = $2)
                and ($3::date is null or m.at >= $3::date) and ($4::date is null or m.at < $4::date + 1)",
        )
        .bind(f.item_id)
        .bind(f.location_id)
        .bind(f.from)
        .bind(f.to)
        .fetch_one(&mut *tx)
        .await?;
        let rows = sqlx::query_as::<_, MovementRow>(&format!(
            "{MOVEMENT_SELECT}
              where ($1::uuid is null or m.item_id = $1) and ($2::uuid is null or m.location_id = $2)
                and ($3::date is null or m.at >= $3::date) and ($4::date is null or m.at < $4::date + 1)
              order by m.at desc, m.id limit $5 offset $6"
        ))
        .bind(f.item_id)
        .bind(f.location_id)
        .bind(f.from)
        .bind(f.to)
        .bind(per_page as i64)
        .bind(((page - 1) * per_page) as i64)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Page {
            rows: rows.into_iter().map(movement_of).collect(),
            total: total as u64,
            page,
            per_page,
        })
    }

    /// Corrects a count: posts an adjustment with its reason. Taking away more than is
    /// available is a 422 on `quantity`.
    pub async fn adjust(
        state: &AppState,
        ctx: &RequestCtx,
        input: AdjustInput,
    ) -> AppResult<Movement> {
        let p = ctx.principal()?;
        p.require("inventory:update")?;
        check_adjustment(&input).map_err(AppError::Validation)?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        known_item(&mut tx, input.item_id).await?;
        location_plant(&mut tx, input.location_id, "location_id").await?;
        let named = if input.quantity < Decimal::ZERO {
            enough(&mut tx, input.item_id, input.location_id, -input.quantity).await?;
            named_units(
                &mut tx,
                input.item_id,
                input.location_id,
                -input.quantity,
                &input.uids,
            )
            .await?
        } else {
            Vec::new()
        };
        let cost: Option<Decimal> =
            sqlx::query_scalar("select average_cost from item_costs where item_id = $1")
                .bind(input.item_id)
                .fetch_optional(&mut *tx)
                .await?;
        let id = post(
            &mut tx,
            p.tenant_id,
            "adjustment",
            input.item_id,
            input.location_id,
            input.quantity,
            "both",
            cost,
            None,
            Some(input.reason.trim()),
            Some(p.user_id),
        )
        .await?;
        shift_cost_quantity(&mut tx, p.tenant_id, input.item_id, input.quantity).await?;
        if input.quantity < Decimal::ZERO {
            // units written off (lost, damaged) leave the available ones: those named, else
            // the oldest
            units_follow(
                &mut tx,
                p.tenant_id,
                p.user_id,
                Taken {
                    item: input.item_id,
                    from: input.location_id,
                    quantity: -input.quantity,
                    to: None,
                    status: "adjusted",
                    movement: id,
                    named: &named,
                },
            )
            .await?;
            crate::inventory::service::low_stock_check(
                &mut tx,
                p.tenant_id,
                input.item_id,
                -input.quantity,
            )
            .await?;
        }
        audit_movement(&mut tx, ctx, "adjust", id, &input).await?;
        let m = load_movement(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Keeps the quantity behind the moving average in step with stock that enters or leaves
    /// without a price of its own (adjustments and their reversals), at the current average.
    async fn shift_cost_quantity(
        tx: &mut Tx,
        tenant_id: Uuid,
        item: Uuid,
        delta: Decimal,
    ) -> AppResult<()> {
        sqlx::query(
            "insert into item_costs (tenant_id, item_id, quantity, average_cost) values ($1, $2, greatest($3, 0), 0)
             on conflict (tenant_id, item_id) do update set quantity = greatest(item_costs.quantity + $3, 0)",
        )
        .bind(tenant_id)
        .bind(item)
        .bind(delta)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Undoes an issue or an adjustment by posting its opposite (the ledger is never edited). A
    /// movement is reversed once; other kinds belong to documents (receipts, transfers) and are
    /// corrected there (422).
    pub async fn reverse(
        state: &AppState,
        ctx: &RequestCtx,
        id: Uuid,
        input: ReverseInput,
    ) -> AppResult<Movement> {
        let p = ctx.principal()?;
        p.require("inventory:update")?;
        let mut e = BTreeMap::new();
        check_reason(&input.reason, &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        #[allow(clippy::type_complexity)]
        let row: Option<(String, Uuid, Uuid, Decimal, String, Option<Decimal>, bool)> =
            sqlx::query_as(
                "select m.kind, m.item_id, m.location_id, m.quantity, m.affects, m.unit_cost,
                    exists(select 1 from stock_movements r where r.reverses = m.id)
               from stock_movements m where m.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let (kind, item, location, quantity, affects, cost, reversed) =
            row.ok_or(AppError::NotFound)?;
        if reversed || !matches!(kind.as_str(), "issue" | "adjustment") {
            return Err(AppError::InvalidState);
        }
        if quantity > Decimal::ZERO {
            enough(&mut tx, item, location, quantity).await?;
        }
        let rid = post_reversing(
            &mut tx,
            p.tenant_id,
            "reversal",
            item,
            location,
            -quantity,
            &affects,
            cost,
            None,
            Some(input.reason.trim()),
            Some(p.user_id),
            Some(id),
        )
        .await?;
        shift_cost_quantity(&mut tx, p.tenant_id, item, -quantity).await?;
        // the units and the parts of lots that an issue or a write-off took are back where they
        // were, available again
        sqlx::query(
            "with taken as (
               select e.uid_id, e.event, e.location_id, e.quantity from uid_events e
                where e.movement_id = $2 and e.event in ('issued', 'adjusted')),
             lots as (
               insert into lot_balances (tenant_id, uid_id, location_id, quantity)
               select $1, uid_id, location_id, quantity from taken where quantity is not null
               on conflict (tenant_id, uid_id, location_id)
               do update set quantity = lot_balances.quantity + excluded.quantity),
             back as (
               update uids u set status = case when u.status = t.event then 'accepted' else u.status end
                 from taken t
                where u.id = t.uid_id and (u.status = t.event or t.quantity is not null)
               returning u.id, t.location_id, t.quantity)
             insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
             select $1, id, 'accepted', location_id, $3, $4, quantity from back",
        )
        .bind(p.tenant_id)
        .bind(id)
        .bind(rid)
        .bind(p.user_id)
        .execute(&mut *tx)
        .await?;
        audit_movement(
            &mut tx,
            ctx,
            "reverse",
            rid,
            &serde_json::json!({ "reverses": id, "reason": input.reason.trim() }),
        )
        .await?;
        let m = load_movement(&mut tx, rid).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The item page.
    pub async fn item_detail(
        state: &AppState,
        ctx: &RequestCtx,
        id: Uuid,
    ) -> AppResult<ItemDetail> {
        let p = ctx.principal()?;
        p.require("inventory:view")?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        let item =
            crate::inventory::service::load_item(&mut tx, id, locale_code(ctx.locale)).await?;
        let cost: Option<Decimal> =
            sqlx::query_scalar("select average_cost from item_costs where item_id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        #[allow(clippy::type_complexity)]
        let stock: Vec<(Uuid, String, String, Decimal, Decimal, Option<Decimal>)> = sqlx::query_as(
            "select l.id, l.code, pl.code, b.on_hand, b.available,
                    case when l.capacity is null then null else round(b.on_hand * 100 / l.capacity, 1) end
               from stock_balances b
               join locations l on l.tenant_id = b.tenant_id and l.id = b.location_id
               join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
              where b.item_id = $1 and b.on_hand > 0
              order by pl.code, l.code",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let movements = sqlx::query_as::<_, MovementRow>(&format!(
            "{MOVEMENT_SELECT} where m.item_id = $1 order by m.at desc, m.id limit 50"
        ))
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let uids: Vec<(String, String, Decimal, Option<String>)> = sqlx::query_as(
            "select u.uid, u.status, u.quantity, l.code from uids u
               left join locations l on l.tenant_id = u.tenant_id and l.id = u.location_id
              where u.item_id = $1 order by u.created_at desc, u.uid desc limit 200",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        #[allow(clippy::type_complexity)]
        let orders: Vec<(Uuid, String, String, String, Decimal, Decimal, Option<NaiveDate>)> = sqlx::query_as(
            "select po.id, po.number, s.name, po.status, pl.quantity, pl.received_quantity, po.expected_delivery_date
               from purchase_order_lines pl
               join purchase_orders po on po.tenant_id = pl.tenant_id and po.id = pl.purchase_order_id
               join suppliers s on s.tenant_id = po.tenant_id and s.id = po.supplier_id
              where pl.item_id = $1 and pl.received_quantity < pl.quantity
                and po.status in ('draft','pending_approval','approved','sent','partially_received')
              order by po.expected_delivery_date nulls last, po.number",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ItemDetail {
            item,
            average_cost: cost.unwrap_or_default().normalize(),
            stock: stock
                .into_iter()
                .map(
                    |(location_id, location, plant, on_hand, available, u)| StockAt {
                        location_id,
                        location,
                        plant,
                        on_hand: on_hand.normalize(),
                        available: available.normalize(),
                        utilisation: u.map(|u| u.normalize()),
                    },
                )
                .collect(),
            movements: movements.into_iter().map(movement_of).collect(),
            uids: uids
                .into_iter()
                .map(|(uid, status, quantity, location)| UidSummary {
                    uid,
                    status,
                    quantity: quantity.normalize(),
                    location,
                })
                .collect(),
            open_orders: orders
                .into_iter()
                .map(
                    |(
                        purchase_order_id,
                        number,
                        supplier,
                        status,
                        ordered,
                        received,
                        expected_delivery,
                    )| {
                        OpenOrderLine {
                            purchase_order_id,
                            number,
                            supplier,
                            status,
                            ordered: ordered.normalize(),
                            received: received.normalize(),
                            expected_delivery,
                        }
                    },
                )
                .collect(),
            can_update: p.require("inventory:update").is_ok(),
        })
    }

    /// Locations and cost centres for the stock forms.
    pub async fn options(state: &AppState, ctx: &RequestCtx) -> AppResult<StockOptions> {
        let p = ctx.principal()?;
        p.require("inventory:update")?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        let locations: Vec<(Uuid, String, String)> = sqlx::query_as(
            "select l.id, l.code, pl.code from locations l
               join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
              where l.active order by pl.code, l.code",
        )
        .fetch_all(&mut *tx)
        .await?;
        let cost_centres: Vec<(Uuid, String, String)> =
            sqlx::query_as("select id, code, name from cost_centres where active order by code")
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(StockOptions {
            locations,
            cost_centres,
        })
    }

    #[derive(sqlx::FromRow)]
    struct TraceRow {
        id: Uuid,
        uid: String,
        kind: String,
        status: String,
        quantity: Decimal,
        item_id: Uuid,
        sku: String,
        names: Json<BTreeMap<String, String>>,
        location: Option<String>,
        receipt_id: Option<Uuid>,
        receipt: Option<String>,
        purchase_order_id: Option<Uuid>,
        purchase_order: Option<String>,
        requisition_id: Option<Uuid>,
        requisition: Option<String>,
        supplier: Option<String>,
    }

    type EventRow = (
        String,
        Option<String>,
        Option<String>,
        DateTime<Utc>,
        Option<Decimal>,
    );

    /// A typed or scanned UID: a bad shape or check character is 422 (`uid`), an unknown one 404.
    pub async fn trace(state: &AppState, ctx: &RequestCtx, text: &str) -> AppResult<UidTrace> {
        let p = ctx.principal()?;
        p.require("inventory:view")?;
        if let Err(bad) = Uid::parse(text) {
            return Err(AppError::field("uid", bad.into()));
        }
        let canonical = text.trim().to_ascii_uppercase();
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        let r = sqlx::query_as::<_, TraceRow>(
            "select u.id, u.uid, u.kind, u.status, u.quantity, u.item_id, i.sku, i.names, l.code as location,
                    g.id as receipt_id, g.number as receipt, po.id as purchase_order_id, po.number as purchase_order,
                    r.id as requisition_id, r.number as requisition, s.name as supplier
               from uids u
               join items i on i.tenant_id = u.tenant_id and i.id = u.item_id
               left join locations l on l.tenant_id = u.tenant_id and l.id = u.location_id
               left join goods_receipt_lines gl on gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id
               left join goods_receipts g on g.tenant_id = gl.tenant_id and g.id = gl.receipt_id
               left join purchase_order_lines pl on pl.tenant_id = gl.tenant_id and pl.id = gl.purchase_order_line_id
               left join purchase_orders po on po.tenant_id = pl.tenant_id and po.id = pl.purchase_order_id
               left join suppliers s on s.tenant_id = po.tenant_id and s.id = po.supplier_id
               left join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
               left join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
              where u.uid = $1",
        )
        .bind(&canonical)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let events: Vec<EventRow> = sqlx::query_as(
            "select e.event, l.code, u.display_name, e.at, e.quantity from uid_events e
               left join locations l on l.tenant_id = e.tenant_id and l.id = e.location_id
               left join users u on u.tenant_id = e.tenant_id and u.id = e.user_id
              where e.uid_id = $1 order by e.at, e.id",
        )
        .bind(r.id)
        .fetch_all(&mut *tx)
        .await?;
        let places: Vec<(String, Decimal)> = sqlx::query_as(
            "select l.code, b.quantity from lot_balances b
               join locations l on l.tenant_id = b.tenant_id and l.id = b.location_id
              where b.uid_id = $1 and b.quantity > 0 order by l.code",
        )
        .bind(r.id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let lang = locale_code(ctx.locale);
        Ok(UidTrace {
            uid: r.uid,
            kind: r.kind,
            status: r.status,
            quantity: r.quantity.normalize(),
            item_id: r.item_id,
            sku: r.sku,
            item: crate::inventory::model::pick(&r.names.0, lang)
                .unwrap_or_default()
                .to_string(),
            location: r.location,
            receipt_id: r.receipt_id,
            receipt: r.receipt,
            purchase_order_id: r.purchase_order_id,
            purchase_order: r.purchase_order,
            requisition_id: r.requisition_id,
            requisition: r.requisition,
            supplier: r.supplier,
            places: places
                .into_iter()
                .map(|(location, quantity)| LotPlace {
                    location,
                    quantity: quantity.normalize(),
                })
                .collect(),
            events: events
                .into_iter()
                .map(|(event, location, user, at, quantity)| UidEvent {
                    event,
                    location,
                    user,
                    at,
                    quantity: quantity.map(|q| q.normalize()),
                })
                .collect(),
        })
    }
}

/// A printable UID label: the UID as text and as a QR code (SVG).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UidLabel {
    pub uid: String,
    pub sku: String,
    pub name: String,
    /// An `<svg>` element, generated on the server from the UID alone.
    pub svg: String,
}

#[cfg(feature = "ssr")]
pub mod labels {
    use super::*;
    use crate::error::{AppError, AppResult};
    use crate::platform::context::{AppState, RequestCtx};
    use crate::platform::db::tenant_tx;
    use crate::platform::model::locale_code;
    use sqlx::types::Json;

    /// The QR code of a UID as SVG (error correction M, dark on white, quiet zone included).
    pub fn qr_svg(text: &str) -> AppResult<String> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
            .map_err(|_| AppError::Internal)?;
        Ok(code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(160, 160)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build())
    }

    /// Labels for the UIDs of a goods receipt, of an item, or one UID.
    pub async fn labels(
        state: &AppState,
        ctx: &RequestCtx,
        receipt: Option<Uuid>,
        item: Option<Uuid>,
        uid: Option<String>,
    ) -> AppResult<Vec<UidLabel>> {
        let p = ctx.principal()?;
        p.require("inventory:view")?;
        if receipt.is_none() && item.is_none() && uid.is_none() {
            return Err(AppError::NotFound);
        }
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        #[allow(clippy::type_complexity)]
        let rows: Vec<(String, String, Json<BTreeMap<String, String>>)> = sqlx::query_as(
            "select u.uid, i.sku, i.names from uids u
               join items i on i.tenant_id = u.tenant_id and i.id = u.item_id
               left join goods_receipt_lines gl on gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id
              where ($1::uuid is null or gl.receipt_id = $1) and ($2::uuid is null or u.item_id = $2)
                and ($3::text is null or u.uid = upper($3))
              order by u.uid limit 500",
        )
        .bind(receipt)
        .bind(item)
        .bind(uid.as_deref().map(str::trim))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let lang = locale_code(ctx.locale);
        rows.into_iter()
            .map(|(uid, sku, names)| {
                Ok(UidLabel {
                    svg: qr_svg(&uid)?,
                    uid,
                    sku,
                    name: crate::inventory::model::pick(&names.0, lang)
                        .unwrap_or_default()
                        .to_string(),
                })
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn a_uid_becomes_an_svg_qr_code() {
            let svg = super::qr_svg("UID-DEMO-MAIN-S-000001-K").unwrap_or_default();
            assert!(svg.contains("<svg"), "{svg}");
            assert!(svg.contains("#000000"));
        }
    }
}
