//! Corrections of the ledger: adjustments with a reason, and reversals instead of edits.
use super::*;

/// Corrects a count: posts an adjustment with its reason. Taking away more than is
/// available is a 422 on `quantity`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn adjust(tx: &mut Tx, ctx: &RequestCtx, input: AdjustInput) -> AppResult<Movement> {
    let p = ctx.principal()?;
    p.require("inventory:update")?;
    check_adjustment(&input).map_err(AppError::Validation)?;
    known_item(tx, input.item_id).await?;
    let plant = location_plant(tx, input.location_id, "location_id").await?;
    let named = if input.quantity < Decimal::ZERO {
        enough(tx, input.item_id, input.location_id, -input.quantity).await?;
        named_units(
            tx,
            input.item_id,
            input.location_id,
            -input.quantity,
            &input.uids,
        )
        .await?
    } else {
        Vec::new()
    };
    let cost = repo::average_cost(tx, input.item_id).await?;
    let id = post(
        tx,
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
    repo::shift_cost_quantity(tx, p.tenant_id, input.item_id, input.quantity).await?;
    value_movement(
        tx,
        p.tenant_id,
        p.user_id,
        StockEventKind::Adjustment,
        id,
        input.reason.trim().to_string(),
        StockEventLine {
            movement_id: id,
            item_id: input.item_id,
            plant_id: plant,
            quantity: input.quantity,
            unit_cost: cost.unwrap_or_default(),
            order_line: None,
            cost_centre_id: None,
            reverses: None,
        },
    )
    .await?;
    if input.quantity < Decimal::ZERO {
        // units written off (lost, damaged) leave the available ones: those named, else
        // the oldest
        units_follow(
            tx,
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
        crate::inventory::service::low_stock_check(tx, p.tenant_id, input.item_id, -input.quantity)
            .await?;
    }
    audit_movement(tx, ctx, "adjust", id, &input).await?;
    let m = load_movement(tx, id).await?;
    Ok(m)
}

/// Undoes an issue or an adjustment by posting its opposite (the ledger is never edited). A
/// movement is reversed once; other kinds belong to documents (receipts, transfers) and are
/// corrected there (422).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reverse(
    tx: &mut Tx,
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
    let repo::Reversible {
        kind,
        item_id: item,
        location_id: location,
        quantity,
        affects,
        unit_cost: cost,
        reversed,
    } = repo::reversible(tx, id).await?.ok_or(AppError::NotFound)?;
    if reversed || !matches!(kind.as_str(), "issue" | "adjustment") {
        return Err(AppError::InvalidState);
    }
    if quantity > Decimal::ZERO {
        enough(tx, item, location, quantity).await?;
    }
    let rid = post_reversing(
        tx,
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
    repo::shift_cost_quantity(tx, p.tenant_id, item, -quantity).await?;
    let plant = location_plant(tx, location, "location_id").await?;
    value_movement(
        tx,
        p.tenant_id,
        p.user_id,
        StockEventKind::Reversal,
        rid,
        input.reason.trim().to_string(),
        StockEventLine {
            movement_id: rid,
            item_id: item,
            plant_id: plant,
            quantity: -quantity,
            unit_cost: cost.unwrap_or_default(),
            order_line: None,
            cost_centre_id: None,
            reverses: Some(id),
        },
    )
    .await?;
    // the units and the parts of lots that an issue or a write-off took are back where they
    // were, available again
    repo::units_back(tx, p.tenant_id, id, rid, p.user_id).await?;
    audit_movement(
        tx,
        ctx,
        "reverse",
        rid,
        &serde_json::json!({ "reverses": id, "reason": input.reason.trim() }),
    )
    .await?;
    let m = load_movement(tx, rid).await?;
    Ok(m)
}
