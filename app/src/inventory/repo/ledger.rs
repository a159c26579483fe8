//! The ledger's SQL: balances per (item, location), never negative, and the movement rows.
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// Takes from (or releases what is on hand of) an existing balance, only while it stays whole:
/// nothing on hand or available below zero, no more available than on hand. No row: refused.
/// (An insert would be checked against the table's constraints before any conflict.)
pub(crate) async fn take_from_balance(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    item_id: Uuid,
    location_id: Uuid,
    d_on_hand: Decimal,
    d_available: Decimal,
) -> sqlx::Result<Option<(Decimal, Decimal)>> {
    Ok(sqlx::query!(
        "update stock_balances set on_hand = on_hand + $4, available = available + $5, updated_at = now()
          where tenant_id = $1 and item_id = $2 and location_id = $3
            and on_hand + $4 >= 0 and available + $5 >= 0 and available + $5 <= on_hand + $4
         returning on_hand, available",
        tenant_id,
        item_id,
        location_id,
        d_on_hand,
        d_available
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.on_hand, r.available)))
}

/// Puts into a balance, creating it, as long as no more is available than on hand. No row:
/// refused.
pub(crate) async fn add_to_balance(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    item_id: Uuid,
    location_id: Uuid,
    d_on_hand: Decimal,
    d_available: Decimal,
) -> sqlx::Result<Option<(Decimal, Decimal)>> {
    Ok(sqlx::query!(
        "insert into stock_balances (tenant_id, item_id, location_id, on_hand, available)
         values ($1, $2, $3, $4, $5)
         on conflict (tenant_id, item_id, location_id) do update
           set on_hand = stock_balances.on_hand + $4, available = stock_balances.available + $5, updated_at = now()
           where stock_balances.available + $5 <= stock_balances.on_hand + $4
         returning on_hand, available",
        tenant_id,
        item_id,
        location_id,
        d_on_hand,
        d_available
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.on_hand, r.available)))
}

/// A ledger row as written: what moved, where, why, and the document and movement it follows.
pub(crate) struct NewMovement<'a> {
    pub tenant_id: Uuid,
    pub kind: &'a str,
    pub item_id: Uuid,
    pub location_id: Uuid,
    pub quantity: Decimal,
    pub affects: &'a str,
    pub unit_cost: Option<Decimal>,
    pub reason: Option<&'a str>,
    pub doc: Option<(&'a str, Uuid)>,
    pub user_id: Option<Uuid>,
    pub reverses: Option<Uuid>,
}

pub(crate) async fn insert_movement(
    conn: &mut PgConnection,
    m: NewMovement<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into stock_movements (tenant_id, kind, item_id, location_id, quantity, affects, unit_cost, reason, doc_type, doc_id, user_id, reverses)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
        m.tenant_id,
        m.kind,
        m.item_id,
        m.location_id,
        m.quantity,
        m.affects,
        m.unit_cost,
        m.reason,
        m.doc.map(|d| d.0),
        m.doc.map(|d| d.1),
        m.user_id,
        m.reverses
    )
    .fetch_one(conn)
    .await
}
