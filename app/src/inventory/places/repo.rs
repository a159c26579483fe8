//! SQL of the category tree and of storage locations: one statement per function, on the caller's
//! tenant transaction (row-level security keeps each tenant to its own rows).
use super::CategoryNode;
use rust_decimal::Decimal;
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Every category of the tenant with the items filed directly under it.
pub(crate) async fn categories(conn: &mut PgConnection) -> sqlx::Result<Vec<CategoryNode>> {
    Ok(sqlx::query!(
        r#"select c.id, c.code, c.names as "names: Json<BTreeMap<String, String>>", c.parent_id,
                  coalesce(n.items, 0) as "items!"
             from item_categories c
             left join (select category_id, count(*) as items from items
                         where category_id is not null group by category_id) n
               on n.category_id = c.id
            order by c.code"#
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.code, r.names.0, r.parent_id, r.items))
    .collect())
}

/// A category's row locked for a change (None: not the tenant's).
pub(crate) async fn lock_category(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select id from item_categories where id = $1 for update",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn insert_category(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    code: &str,
    names: &BTreeMap<String, String>,
    parent_id: Option<Uuid>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into item_categories (tenant_id, code, names, parent_id) values ($1, $2, $3, $4) returning id",
        tenant_id,
        code,
        Json(names) as _,
        parent_id
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_category(
    conn: &mut PgConnection,
    id: Uuid,
    code: &str,
    names: &BTreeMap<String, String>,
    parent_id: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update item_categories set code = $2, names = $3, parent_id = $4 where id = $1",
        id,
        code,
        Json(names) as _,
        parent_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A location as read: its plant's id and code, parts, capacity, what it holds, active.
pub(crate) struct LocationRow {
    pub id: Uuid,
    pub code: String,
    pub plant_id: Uuid,
    pub plant: String,
    pub warehouse: String,
    pub rack: Option<String>,
    pub bin: Option<String>,
    pub capacity: Option<Decimal>,
    pub on_hand: Decimal,
    pub active: bool,
}

/// One location of the tenant with what it holds (None: not the tenant's).
pub(crate) async fn location(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<LocationRow>> {
    sqlx::query_as!(
        LocationRow,
        r#"select l.id, l.code, l.plant_id, pl.code as plant, l.warehouse, l.rack, l.bin, l.capacity,
                  coalesce((select sum(on_hand) from stock_balances sb where sb.location_id = l.id), 0) as "on_hand!",
                  l.active
             from locations l join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
            where l.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks a location for a change (None: not the tenant's).
pub(crate) async fn lock_location(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from locations where id = $1 for update", id)
        .fetch_optional(conn)
        .await
}

/// The code of an active plant of the tenant (None: no such plant).
pub(crate) async fn plant_code(
    conn: &mut PgConnection,
    plant_id: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select code from plants where id = $1 and active", plant_id)
        .fetch_optional(conn)
        .await
}

/// Whether any stock movement was ever posted at the location.
pub(crate) async fn has_movements(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from stock_movements where location_id = $1) as "found!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// A location's values as written.
pub(crate) struct LocationValues<'a> {
    pub plant_id: Uuid,
    pub warehouse: &'a str,
    pub rack: Option<&'a str>,
    pub bin: Option<&'a str>,
    pub code: &'a str,
    pub capacity: Option<Decimal>,
    pub active: bool,
}

pub(crate) async fn insert_location(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    v: &LocationValues<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into locations (tenant_id, plant_id, warehouse, rack, bin, code, capacity, active)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        tenant_id,
        v.plant_id,
        v.warehouse,
        v.rack,
        v.bin,
        v.code,
        v.capacity,
        v.active
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_location(
    conn: &mut PgConnection,
    id: Uuid,
    v: &LocationValues<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update locations set plant_id = $2, warehouse = $3, rack = $4, bin = $5, code = $6, capacity = $7, active = $8
          where id = $1",
        id,
        v.plant_id,
        v.warehouse,
        v.rack,
        v.bin,
        v.code,
        v.capacity,
        v.active
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The named locations of the tenant, by code (unknown ids are left out).
pub(crate) async fn locations_by_id(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<LocationRow>> {
    sqlx::query_as!(
        LocationRow,
        r#"select l.id, l.code, l.plant_id, pl.code as plant, l.warehouse, l.rack, l.bin, l.capacity,
                  0::numeric as "on_hand!", l.active
             from locations l join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
            where l.id = any($1)
            order by l.code"#,
        ids
    )
    .fetch_all(conn)
    .await
}
