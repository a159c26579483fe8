//! The stock ledger: immutable movement rows, each applied to its balance in the same transaction
//! (never negative). Receipts and every stock movement write through these two.
use crate::error::{AppError, AppResult};
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
    // taking out, or releasing what is on hand: only an existing balance that stays whole
    // (an insert would be checked against the table's constraints before any conflict);
    // putting in: create or add
    let sql = if d_on_hand <= Decimal::ZERO || d_available < Decimal::ZERO {
        "update stock_balances set on_hand = on_hand + $4, available = available + $5, updated_at = now()
          where tenant_id = $1 and item_id = $2 and location_id = $3
            and on_hand + $4 >= 0 and available + $5 >= 0 and available + $5 <= on_hand + $4
         returning on_hand, available"
    } else {
        "insert into stock_balances (tenant_id, item_id, location_id, on_hand, available)
         values ($1, $2, $3, $4, $5)
         on conflict (tenant_id, item_id, location_id) do update
           set on_hand = stock_balances.on_hand + $4, available = stock_balances.available + $5, updated_at = now()
           where stock_balances.available + $5 <= stock_balances.on_hand + $4
         returning on_hand, available"
    };
    let updated: Option<(Decimal, Decimal)> = sqlx::query_as(sql)
        .bind(tenant_id)
        .bind(item_id)
        .bind(location_id)
        .bind(d_on_hand)
        .bind(d_available)
        .fetch_optional(&mut **tx)
        .await?;
    if updated.is_none() {
        return Err(AppError::Conflict);
    }
    let id: Uuid = sqlx::query_scalar!("insert into stock_movements (tenant_id, kind, item_id, location_id, quantity, affects, unit_cost, reason, doc_type, doc_id, user_id, reverses)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id", tenant_id, kind, item_id, location_id, quantity, affects, unit_cost, reason, doc.map(|d| d.0), doc.map(|d| d.1), user_id, reverses)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}
