//! Stock movements: issue to a cost centre, move within a plant, transfer across plants and its
//! arrival. Each writes ledger rows and balances in the caller's transaction.
use super::*;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue(tx: &mut Tx, ctx: &RequestCtx, input: IssueInput) -> AppResult<Movement> {
    let p = ctx.principal()?;
    p.require("inventory:update")?;
    check_quantity(input.quantity).map_err(AppError::Validation)?;
    known_item(tx, input.item_id).await?;
    // in the item's unit (the ledger's), from the unit named
    let quantity = match input
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        None => input.quantity,
        Some(unit) => {
            use crate::inventory::service::units::{in_item_units, Entered};
            let entered = Entered {
                item: input.item_id,
                quantity: input.quantity,
                unit,
            };
            match in_item_units(tx, &[entered], true).await?.pop() {
                Some(Ok(c)) => c.quantity,
                Some(Err((field, e))) => return Err(AppError::field(field, e)),
                None => return Err(AppError::Internal),
            }
        }
    };
    let plant = location_plant(tx, input.location_id, "location_id").await?;
    let cc = repo::cost_centre_active(tx, input.cost_centre_id).await?;
    if !cc {
        return Err(AppError::field(
            "cost_centre_id",
            FieldError::UnknownReference,
        ));
    }
    enough(tx, input.item_id, input.location_id, quantity).await?;
    let named = named_units(tx, input.item_id, input.location_id, quantity, &input.uids).await?;
    let cost = repo::average_cost(tx, input.item_id).await?;
    let id = post(
        tx,
        p.tenant_id,
        "issue",
        input.item_id,
        input.location_id,
        -quantity,
        "both",
        cost,
        Some(("cost_centre", input.cost_centre_id)),
        None,
        Some(p.user_id),
    )
    .await?;
    units_follow(
        tx,
        p.tenant_id,
        p.user_id,
        Taken {
            item: input.item_id,
            from: input.location_id,
            quantity,
            to: None,
            status: "issued",
            movement: id,
            named: &named,
        },
    )
    .await?;
    repo::reduce_cost_quantity(tx, input.item_id, quantity).await?;
    value_movement(
        tx,
        p.tenant_id,
        p.user_id,
        StockEventKind::Issue,
        id,
        String::new(),
        StockEventLine {
            movement_id: id,
            item_id: input.item_id,
            plant_id: plant,
            quantity: -quantity,
            unit_cost: cost.unwrap_or_default(),
            order_line: None,
            cost_centre_id: Some(input.cost_centre_id),
            reverses: None,
        },
    )
    .await?;
    crate::inventory::service::low_stock_check(tx, p.tenant_id, input.item_id, quantity).await?;
    audit_movement(tx, ctx, "issue", id, &input).await?;
    let m = load_movement(tx, id).await?;
    Ok(m)
}

/// Moves stock between two locations of the same plant at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn move_stock(
    tx: &mut Tx,
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
    known_item(tx, item_id).await?;
    let a = location_plant(tx, input.from_location_id, "from_location_id").await?;
    let b = location_plant(tx, input.to_location_id, "to_location_id").await?;
    if a != b {
        // another plant: that is a transfer, with its time in transit
        return Err(AppError::field("to_location_id", FieldError::Invalid));
    }
    enough(tx, item_id, input.from_location_id, input.quantity).await?;
    let named = named_units(
        tx,
        item_id,
        input.from_location_id,
        input.quantity,
        &input.uids,
    )
    .await?;
    let out = post(
        tx,
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
        tx,
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
        tx,
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
    audit_movement(tx, ctx, "move", out, &input).await?;
    let moved = vec![load_movement(tx, out).await?, load_movement(tx, inn).await?];
    Ok(moved)
}

/// Sends stock to a location of another plant: out of the sender now, in transit until the
/// receiving plant books it in.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn transfer(tx: &mut Tx, ctx: &RequestCtx, input: TransferInput) -> AppResult<Transfer> {
    let p = ctx.principal()?;
    p.require("inventory:update")?;
    check_quantity(input.quantity).map_err(AppError::Validation)?;
    known_item(tx, input.item_id).await?;
    let a = location_plant(tx, input.from_location_id, "from_location_id").await?;
    let b = location_plant(tx, input.to_location_id, "to_location_id").await?;
    if a == b {
        return Err(AppError::field("to_location_id", FieldError::Invalid));
    }
    enough(tx, input.item_id, input.from_location_id, input.quantity).await?;
    let named = named_units(
        tx,
        input.item_id,
        input.from_location_id,
        input.quantity,
        &input.uids,
    )
    .await?;
    let id = repo::insert_transfer(
        tx,
        p.tenant_id,
        input.item_id,
        input.from_location_id,
        input.to_location_id,
        input.quantity,
        p.user_id,
    )
    .await?;
    let out = post(
        tx,
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
    let cost = repo::average_cost(tx, input.item_id).await?;
    value_movement(
        tx,
        p.tenant_id,
        p.user_id,
        StockEventKind::TransferOut,
        id,
        String::new(),
        StockEventLine {
            movement_id: out,
            item_id: input.item_id,
            plant_id: a,
            quantity: -input.quantity,
            unit_cost: cost.unwrap_or_default(),
            order_line: None,
            cost_centre_id: None,
            reverses: None,
        },
    )
    .await?;
    // on the road with it, until the other plant books the transfer in
    units_follow(
        tx,
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
    crate::inventory::service::low_stock_check(tx, p.tenant_id, input.item_id, input.quantity)
        .await?;
    audit_movement(tx, ctx, "transfer", id, &input).await?;
    let t = load_transfer(tx, id).await?;
    Ok(t)
}

/// The receiving plant books a transfer in.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn receive_transfer(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Transfer> {
    let p = ctx.principal()?;
    p.require("inventory:update")?;
    let row = repo::lock_transfer(tx, id).await?;
    let (item, to, q, status) = row.ok_or(AppError::NotFound)?;
    if status != "in_transit" {
        return Err(AppError::InvalidState);
    }
    let inn = post(
        tx,
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
    let plant = location_plant(tx, to, "to_location_id").await?;
    value_movement(
        tx,
        p.tenant_id,
        p.user_id,
        StockEventKind::TransferIn,
        id,
        String::new(),
        StockEventLine {
            movement_id: inn,
            item_id: item,
            plant_id: plant,
            quantity: q,
            unit_cost: Decimal::ZERO,
            order_line: None,
            cost_centre_id: None,
            reverses: None,
        },
    )
    .await?;
    // the units that left with this transfer arrive with it, and what it carried of lots
    repo::units_arrive(tx, p.tenant_id, id, to, inn, p.user_id).await?;
    repo::mark_transfer_received(tx, id, p.user_id).await?;
    audit_movement(tx, ctx, "transfer_receive", id, &id).await?;
    let t = load_transfer(tx, id).await?;
    Ok(t)
}
