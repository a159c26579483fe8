//! What the stock screens read: movements, an item's stock and units, the forms' options, a
//! UID's trace and the labels of UIDs. What is on order, and where a UID's order line comes
//! from, are procurement's (`procurement::service::orders`).
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct MovementRow {
    pub id: Uuid,
    pub kind: String,
    pub item_id: Uuid,
    pub sku: String,
    pub location: String,
    pub quantity: Decimal,
    pub affects: String,
    pub unit_cost: Option<Decimal>,
    pub reason: Option<String>,
    pub doc_type: Option<String>,
    pub doc_id: Option<Uuid>,
    pub user_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// One ledger row with its item's SKU, its location's code and who made it.
pub(crate) async fn movement(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<MovementRow> {
    sqlx::query_as!(
        MovementRow,
        r#"select m.id, m.kind, m.item_id, i.sku, l.code as location, m.quantity, m.affects,
        m.unit_cost, m.reason, m.doc_type, m.doc_id, u.display_name as "user_name?", m.at
   from stock_movements m
   join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
   join locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
   left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id where m.id = $1"#,
        id
    )
    .fetch_one(conn)
    .await
}

/// How many ledger rows match the filter: item, location, from and to (dates, inclusive).
pub(crate) async fn count_movements(
    conn: &mut PgConnection,
    item: Option<Uuid>,
    location: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from stock_movements m
          where ($1::uuid is null or m.item_id = $1) and ($2::uuid is null or m.location_id = $2)
            and ($3::date is null or m.at >= $3::date) and ($4::date is null or m.at < $4::date + 1)"#,
        item,
        location,
        from,
        to
    )
    .fetch_one(conn)
    .await
}

/// A page of the ledger rows [`count_movements`] counts, newest first.
pub(crate) async fn movements_page(
    conn: &mut PgConnection,
    item: Option<Uuid>,
    location: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<MovementRow>> {
    sqlx::query_as!(
        MovementRow,
        r#"select m.id, m.kind, m.item_id, i.sku, l.code as location, m.quantity, m.affects,
        m.unit_cost, m.reason, m.doc_type, m.doc_id, u.display_name as "user_name?", m.at
   from stock_movements m
   join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
   join locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
   left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
          where ($1::uuid is null or m.item_id = $1) and ($2::uuid is null or m.location_id = $2)
            and ($3::date is null or m.at >= $3::date) and ($4::date is null or m.at < $4::date + 1)
          order by m.at desc, m.id limit $5 offset $6"#,
        item,
        location,
        from,
        to,
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

/// An item's latest 50 ledger rows.
pub(crate) async fn recent_movements_of_item(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Vec<MovementRow>> {
    sqlx::query_as!(MovementRow, r#"select m.id, m.kind, m.item_id, i.sku, l.code as location, m.quantity, m.affects,
        m.unit_cost, m.reason, m.doc_type, m.doc_id, u.display_name as "user_name?", m.at
   from stock_movements m
   join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
   join locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
   left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id where m.item_id = $1 order by m.at desc, m.id limit 50"#, id)
    .fetch_all(conn)
    .await
}

/// Where an item is on hand: (location id, code, plant code, on hand, available, % of the
/// location's capacity used).
#[allow(clippy::type_complexity)]
pub(crate) async fn stock_of_item(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Vec<(Uuid, String, String, Decimal, Decimal, Option<Decimal>)>> {
    Ok(sqlx::query!(
        r#"select l.id, l.code, pl.code as plant, b.on_hand, b.available,
                case when l.capacity is null then null else round(b.on_hand * 100 / l.capacity, 1) end as "used?"
           from stock_balances b
           join locations l on l.tenant_id = b.tenant_id and l.id = b.location_id
           join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
          where b.item_id = $1 and b.on_hand > 0
          order by pl.code, l.code"#,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.code, r.plant, r.on_hand, r.available, r.used))
    .collect())
}

/// An item's latest 200 UIDs: (uid, status, quantity, location code).
pub(crate) async fn uids_of_item(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Vec<(String, String, Decimal, Option<String>)>> {
    Ok(sqlx::query!(
        r#"select u.uid, u.status, u.quantity, l.code as "code?" from uids u
           left join locations l on l.tenant_id = u.tenant_id and l.id = u.location_id
          where u.item_id = $1 order by u.created_at desc, u.uid desc limit 200"#,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.uid, r.status, r.quantity, r.code))
    .collect())
}

/// Active locations with their plant: (id, code, plant code), by plant and code.
pub(crate) async fn active_locations(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    Ok(sqlx::query!(
        "select l.id, l.code, pl.code as plant from locations l
           join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
          where l.active order by pl.code, l.code",
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.code, r.plant))
    .collect())
}

/// Active cost centres: (id, code, name), by code.
pub(crate) async fn active_cost_centres(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    Ok(
        sqlx::query!("select id, code, name from cost_centres where active order by code")
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.code, r.name))
            .collect(),
    )
}

#[derive(sqlx::FromRow)]
pub(crate) struct TraceRow {
    pub id: Uuid,
    pub uid: String,
    pub kind: String,
    pub status: String,
    pub quantity: Decimal,
    pub item_id: Uuid,
    pub sku: String,
    pub names: Json<BTreeMap<String, String>>,
    pub location: Option<String>,
    pub receipt_id: Option<Uuid>,
    pub receipt: Option<String>,
    pub purchase_order_line_id: Option<Uuid>,
}

/// A UID (canonical: trimmed, upper case; its text or its former text) with its item, place,
/// and the receipt and order line it came with.
pub(crate) async fn uid_trace(
    conn: &mut PgConnection,
    canonical: &str,
) -> sqlx::Result<Option<TraceRow>> {
    sqlx::query_as!(TraceRow, r#"select u.id, u.uid, u.kind, u.status, u.quantity, u.item_id, i.sku, i.names as "names: Json<BTreeMap<String, String>>", l.code as "location?",
                g.id as "receipt_id?", g.number as "receipt?", gl.purchase_order_line_id as "purchase_order_line_id?"
           from uids u
           join items i on i.tenant_id = u.tenant_id and i.id = u.item_id
           left join locations l on l.tenant_id = u.tenant_id and l.id = u.location_id
           left join goods_receipt_lines gl on gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id
           left join goods_receipts g on g.tenant_id = gl.tenant_id and g.id = gl.receipt_id
          where u.uid = $1 or u.former_uid = $1"#, canonical)
    .fetch_optional(conn)
    .await
}

/// A UID's events, oldest first: (event, location code, user, at, quantity).
pub(crate) type EventRow = (
    String,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
    Option<Decimal>,
);

pub(crate) async fn events_of_uid(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Vec<EventRow>> {
    Ok(sqlx::query!(
        r#"select e.event, l.code as "code?", u.display_name as "user_name?", e.at, e.quantity from uid_events e
           left join locations l on l.tenant_id = e.tenant_id and l.id = e.location_id
           left join users u on u.tenant_id = e.tenant_id and u.id = e.user_id
          where e.uid_id = $1 order by e.at, e.id"#,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|e| (e.event, e.code, e.user_name, e.at, e.quantity))
    .collect())
}

/// Where a lot has something left: (location code, quantity), by code.
pub(crate) async fn lot_places(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Vec<(String, Decimal)>> {
    Ok(sqlx::query!(
        "select l.code, b.quantity from lot_balances b
           join locations l on l.tenant_id = b.tenant_id and l.id = b.location_id
          where b.uid_id = $1 and b.quantity > 0 order by l.code",
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.code, r.quantity))
    .collect())
}

/// Up to 500 UIDs of a goods receipt, of an item, or one UID (each filter optional): (uid, SKU,
/// item names).
#[allow(clippy::type_complexity)]
pub(crate) async fn uids_for_labels(
    conn: &mut PgConnection,
    receipt: Option<Uuid>,
    item: Option<Uuid>,
    uid: Option<&str>,
) -> sqlx::Result<Vec<(String, String, Json<BTreeMap<String, String>>)>> {
    Ok(sqlx::query!(r#"select u.uid, i.sku, i.names as "names: Json<BTreeMap<String, String>>" from uids u
           join items i on i.tenant_id = u.tenant_id and i.id = u.item_id
           left join goods_receipt_lines gl on gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id
          where ($1::uuid is null or gl.receipt_id = $1) and ($2::uuid is null or u.item_id = $2)
            and ($3::text is null or u.uid = upper($3) or u.former_uid = upper($3))
          order by u.uid limit 500"#, receipt, item, uid)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| (r.uid, r.sku, r.names))
        .collect())
}
