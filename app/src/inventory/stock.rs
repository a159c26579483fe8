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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoveInput {
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransferInput {
    pub item_id: Uuid,
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
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
    pub events: Vec<UidEvent>,
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{AppError, AppResult};
    use crate::inventory::receipts::service::post;
    use crate::inventory::uid::{Uid, UidError};
    use crate::platform::audit::{self, Entry};
    use crate::platform::context::{AppState, RequestCtx};
    use crate::platform::db::{tenant_tx, Tx};
    use crate::platform::model::locale_code;
    use crate::procurement::model::Page;
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
            return Err(AppError::field("quantity", FieldError::ExceedsQuantity));
        }
        Ok(())
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
        post(
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
        post(
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

    type EventRow = (String, Option<String>, Option<String>, DateTime<Utc>);

    /// A typed or scanned UID: a bad shape or check character is 422 (`uid`), an unknown one 404.
    pub async fn trace(state: &AppState, ctx: &RequestCtx, text: &str) -> AppResult<UidTrace> {
        let p = ctx.principal()?;
        p.require("inventory:view")?;
        match Uid::parse(text) {
            Ok(_) => {}
            Err(UidError::Format) => return Err(AppError::field("uid", FieldError::Invalid)),
            Err(UidError::Checksum) => return Err(AppError::field("uid", FieldError::Checksum)),
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
            "select e.event, l.code, u.display_name, e.at from uid_events e
               left join locations l on l.tenant_id = e.tenant_id and l.id = e.location_id
               left join users u on u.tenant_id = e.tenant_id and u.id = e.user_id
              where e.uid_id = $1 order by e.at, e.id",
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
            events: events
                .into_iter()
                .map(|(event, location, user, at)| UidEvent {
                    event,
                    location,
                    user,
                    at,
                })
                .collect(),
        })
    }
}
