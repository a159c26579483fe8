//! Goods receipts' SQL: the receipt and its lines, the UIDs made for them, the moving average
//! cost, acceptance, and the receipts read back. The orders received against are procurement's,
//! asked of `procurement::service::orders` (none of their tables is named here).
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// Reserves `count` consecutive UID numbers of the tenant's plant and material type in one
/// statement (the counter's row stays locked until the transaction ends, so two receipts never
/// draw the same number); the last one.
pub(crate) async fn reserve_uid_numbers(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plant_id: Uuid,
    material_type: &str,
    count: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"insert into uid_counters (tenant_id, plant_id, material_type, last_value) values ($1, $2, $3, $4)
         on conflict (tenant_id, plant_id, material_type) do update set last_value = uid_counters.last_value + $4
         returning last_value"#, tenant_id, plant_id, material_type, count)
    .fetch_one(conn)
    .await
}

/// How much more than ordered the tenant accepts (a fraction: 0.05 is 5%).
pub(crate) async fn receipt_tolerance(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        "select receipt_tolerance from tenants where id = $1",
        tenant_id
    )
    .fetch_one(conn)
    .await
}

/// A new goods receipt, pending acceptance; its id.
pub(crate) async fn insert_receipt(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    number: &str,
    purchase_order_id: Uuid,
    plant_id: Option<Uuid>,
    received_by: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into goods_receipts (tenant_id, number, purchase_order_id, plant_id, received_by)
         values ($1, $2, $3, $4, $5) returning id",
        tenant_id,
        number,
        purchase_order_id,
        plant_id,
        received_by
    )
    .fetch_one(conn)
    .await
}

/// The SKU, tracking (serial or lot) and material type of those of these items that exist:
/// (item, SKU, tracking, material type).
pub(crate) async fn sku_and_tracking(
    conn: &mut PgConnection,
    items: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, String, String, String)>> {
    Ok(sqlx::query!(
        "select id, sku, tracking, material_type from items where id = any($1)",
        items
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.sku, r.tracking, r.material_type))
    .collect())
}

/// The plant (id, code) of an active location, in `plant` when one is given (None: not a
/// put-away place). The plant's code is the PLANT of the UIDs received there.
pub(crate) async fn put_away_location(
    conn: &mut PgConnection,
    location: Uuid,
    plant: Option<Uuid>,
) -> sqlx::Result<Option<(Uuid, String)>> {
    Ok(sqlx::query!("select l.plant_id, p.code from locations l join plants p on p.tenant_id = l.tenant_id and p.id = l.plant_id
          where l.id = $1 and l.active and ($2::uuid is null or l.plant_id = $2)", location, plant)
    .fetch_optional(conn)
    .await?
    .map(|r| (r.plant_id, r.code)))
}

/// A receipt line as written.
pub(crate) struct NewReceiptLine<'a> {
    pub tenant_id: Uuid,
    pub receipt_id: Uuid,
    pub purchase_order_line_id: Uuid,
    pub item_id: Option<Uuid>,
    pub accepted_quantity: Decimal,
    pub rejected_quantity: Decimal,
    pub rejection_reason: Option<&'a str>,
    pub location_id: Option<Uuid>,
    pub unit_cost: Decimal,
    /// What the accepted quantity came to in the item's unit, when that is another unit.
    pub stock_quantity: Option<Decimal>,
}

pub(crate) async fn insert_receipt_line(
    conn: &mut PgConnection,
    l: NewReceiptLine<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!("insert into goods_receipt_lines (tenant_id, receipt_id, purchase_order_line_id, item_id, accepted_quantity,
                                              rejected_quantity, rejection_reason, location_id, unit_cost, stock_quantity)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id", l.tenant_id, l.receipt_id, l.purchase_order_line_id, l.item_id, l.accepted_quantity, l.rejected_quantity, l.rejection_reason, l.location_id, l.unit_cost, l.stock_quantity)
    .fetch_one(conn)
    .await
}

/// The quantity and moving average cost of an item, locked until the transaction ends.
pub(crate) async fn lock_item_cost(
    conn: &mut PgConnection,
    item: Uuid,
) -> sqlx::Result<Option<(Decimal, Decimal)>> {
    Ok(sqlx::query!(
        "select quantity, average_cost from item_costs where item_id = $1 for update",
        item
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.quantity, r.average_cost)))
}

pub(crate) async fn set_item_cost(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    item: Uuid,
    quantity: Decimal,
    average_cost: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!("insert into item_costs (tenant_id, item_id, quantity, average_cost) values ($1, $2, $3, $4)
             on conflict (tenant_id, item_id) do update set quantity = excluded.quantity, average_cost = excluded.average_cost", tenant_id, item, quantity, average_cost)
    .execute(conn)
    .await?;
    Ok(())
}

/// The UIDs of a receipt line as received, one per `uids` with the quantity of `units` at the
/// same place, each with its first event tied to the receipt's `movement`.
pub(crate) struct ReceivedUids<'a> {
    pub tenant_id: Uuid,
    pub uids: &'a [String],
    pub item: Uuid,
    /// serial or lot
    pub kind: &'a str,
    pub receipt_line: Uuid,
    pub location: Uuid,
    pub units: &'a [Decimal],
    pub movement: Uuid,
    pub user: Uuid,
}

/// Every UID of a line and its first event in one statement, however many units.
pub(crate) async fn insert_received_uids(
    conn: &mut PgConnection,
    u: ReceivedUids<'_>,
) -> sqlx::Result<()> {
    sqlx::query!("with made as (
               insert into uids (tenant_id, uid, item_id, kind, quantity, receipt_line_id, location_id, status)
               select $1, u, $3, $4, q, $5, $6, 'received' from unnest($2::text[], $7::numeric[]) as x(u, q)
               returning id, kind, quantity)
             insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
             select $1, id, 'received', $6, $8, $9, case when kind = 'lot' then quantity end from made", u.tenant_id, u.uids, u.item, u.kind, u.receipt_line, u.location, u.units, u.movement, u.user)
    .execute(conn)
    .await?;
    Ok(())
}

/// A receipt's status, locked until the transaction ends, and the order lines it received
/// against (each once).
pub(crate) async fn lock_receipt(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(String, Vec<Uuid>)>> {
    Ok(sqlx::query!(
        r#"select g.status, array(select distinct gl.purchase_order_line_id from goods_receipt_lines gl
                                   where gl.receipt_id = g.id) as "order_lines!"
             from goods_receipts g where g.id = $1 for update of g"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.status, r.order_lines)))
}

/// The lines of a receipt that put catalogue items into stock: (line, item, location, accepted).
pub(crate) async fn lines_to_accept(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Vec<(Uuid, Uuid, Uuid, Decimal)>> {
    Ok(sqlx::query!(r#"select id, item_id as "item_id!", location_id as "location_id!",
                 coalesce(stock_quantity, accepted_quantity) as "accepted_quantity!" from goods_receipt_lines
          where receipt_id = $1 and item_id is not null and location_id is not null and accepted_quantity > 0"#, id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.item_id, r.location_id, r.accepted_quantity))
        .collect())
}

/// A line's units and lot, accepted with it (by line: two lines of one item are two places and
/// two lots); a lot is available at its place from now on (`lot_balances`). Each gets its event
/// tied to the acceptance `movement`.
pub(crate) async fn accept_units_of_line(
    conn: &mut PgConnection,
    line: Uuid,
    movement: Uuid,
    user: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!("with units as (
               select u.tenant_id, u.id, u.kind, u.quantity, u.location_id from uids u
                where u.receipt_line_id = $1),
             lots as (
               insert into lot_balances (tenant_id, uid_id, location_id, quantity)
               select tenant_id, id, location_id, quantity from units where kind = 'lot')
             insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
             select tenant_id, id, 'accepted', location_id, $2, $3, case when kind = 'lot' then quantity end from units", line, movement, user)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every UID of a receipt takes the status accepted.
pub(crate) async fn accept_uids_of_receipt(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update uids u set status = 'accepted' from goods_receipt_lines gl
          where gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id and gl.receipt_id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn mark_receipt_accepted(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!("update goods_receipts set status = 'accepted', accepted_by = $2, accepted_at = now() where id = $1", id, user)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(crate) struct HeadRow {
    pub id: Uuid,
    pub number: String,
    pub purchase_order_id: Uuid,
    pub status: String,
    pub received_by: String,
    pub received_at: DateTime<Utc>,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// A receipt with who received and accepted it.
pub(crate) async fn receipt_head(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<HeadRow>> {
    sqlx::query_as!(HeadRow, r#"select g.id, g.number, g.purchase_order_id, g.status,
                ru.display_name as received_by, g.received_at, au.display_name as "accepted_by?", g.accepted_at
           from goods_receipts g
           join users ru on ru.tenant_id = g.tenant_id and ru.id = g.received_by
           left join users au on au.tenant_id = g.tenant_id and au.id = g.accepted_by
          where g.id = $1"#, id)
    .fetch_optional(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub(crate) struct LineRow {
    pub id: Uuid,
    pub purchase_order_line_id: Uuid,
    pub item_id: Option<Uuid>,
    pub accepted_quantity: Decimal,
    pub rejected_quantity: Decimal,
    pub rejection_reason: Option<String>,
    pub location: Option<String>,
    pub uids: Vec<String>,
    pub stock_quantity: Option<Decimal>,
    pub item_unit: Option<String>,
}

/// A receipt's lines by id, each with its location's code and its UIDs (the order line they
/// received against puts them in line order, see the service).
pub(crate) async fn receipt_lines(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(LineRow, r#"select gl.id, gl.purchase_order_line_id, gl.item_id, gl.accepted_quantity, gl.rejected_quantity,
                gl.rejection_reason, l.code as "location?",
                coalesce((select array_agg(u.uid order by u.uid) from uids u where u.receipt_line_id = gl.id), '{}') as "uids!",
                gl.stock_quantity, i.unit as "item_unit?"
           from goods_receipt_lines gl
           left join locations l on l.tenant_id = gl.tenant_id and l.id = gl.location_id
           left join items i on i.tenant_id = gl.tenant_id and i.id = gl.item_id
          where gl.receipt_id = $1 order by gl.id"#, id)
    .fetch_all(conn)
    .await
}

/// Active locations: (id, code, plant), by code.
pub(crate) async fn active_locations(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, Uuid)>> {
    Ok(
        sqlx::query!("select id, code, plant_id from locations where active order by code")
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.code, r.plant_id))
            .collect(),
    )
}
