//! The stock ledger: immutable movement rows, each applied to its balance in the same transaction
//! (never negative). Receipts and every stock movement write through these two.
use crate::error::{AppError, AppResult};
use crate::inventory::repo::ledger as repo;
use crate::platform::db::Tx;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Writes one ledger row and applies it to the balance of (item, location) in the same
/// transaction. `affects` is `both` (goods in or out), `on_hand` (received, not yet accepted)
/// or `available` (accepted). A change that would make a balance negative is refused (409:
/// someone else took the stock in the meantime, or there never was enough).
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn post(
    tx: &mut Tx,
    tenant_id: Uuid,
    kind: &str,
    item_id: Uuid,
    location_id: Uuid,
    quantity: Decimal,
    affects: &str,
    unit_cost: Option<Decimal>,
    doc: Option<(&str, Uuid)>,
    reason: Option<&str>,
    user_id: Option<Uuid>,
) -> AppResult<Uuid> {
    post_reversing(
        tx,
        tenant_id,
        kind,
        item_id,
        location_id,
        quantity,
        affects,
        unit_cost,
        doc,
        reason,
        user_id,
        None,
    )
    .await
}

/// [`post`], naming the movement this one reverses.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn post_reversing(
    tx: &mut Tx,
    tenant_id: Uuid,
    kind: &str,
    item_id: Uuid,
    location_id: Uuid,
    quantity: Decimal,
    affects: &str,
    unit_cost: Option<Decimal>,
    doc: Option<(&str, Uuid)>,
    reason: Option<&str>,
    user_id: Option<Uuid>,
    reverses: Option<Uuid>,
) -> AppResult<Uuid> {
    let (d_on_hand, d_available) = match affects {
        "on_hand" => (quantity, Decimal::ZERO),
        "available" => (Decimal::ZERO, quantity),
        _ => (quantity, quantity),
    };
    // taking out, or releasing what is on hand: only an existing balance that stays whole;
    // putting in: create or add
    let updated = if d_on_hand <= Decimal::ZERO || d_available < Decimal::ZERO {
        repo::take_from_balance(tx, tenant_id, item_id, location_id, d_on_hand, d_available).await?
    } else {
        repo::add_to_balance(tx, tenant_id, item_id, location_id, d_on_hand, d_available).await?
    };
    if updated.is_none() {
        return Err(AppError::Conflict);
    }
    let id = repo::insert_movement(
        tx,
        repo::NewMovement {
            tenant_id,
            kind,
            item_id,
            location_id,
            quantity,
            affects,
            unit_cost,
            reason,
            doc,
            user_id,
            reverses,
        },
    )
    .await?;
    Ok(id)
}
