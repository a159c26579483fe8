//! The item master's SQL: items with their category's names, locations, what a requisition line
//! is prefilled with, and what the low-stock notice reads.
use rust_decimal::Decimal;
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    pub id: Uuid,
    pub sku: String,
    pub names: Json<BTreeMap<String, String>>,
    pub descriptions: Json<BTreeMap<String, String>>,
    pub category_id: Option<Uuid>,
    pub category_names: Option<Json<BTreeMap<String, String>>>,
    pub unit: String,
    pub reorder_level: Decimal,
    pub reorder_quantity: Decimal,
    pub tracking: String,
    pub material_type: String,
    pub specs: Json<BTreeMap<String, String>>,
    pub hsn_sac: Option<String>,
    pub gst_rate: Option<Decimal>,
    pub active: bool,
}

/// An item of the transaction's tenant with its category's names.
pub(crate) async fn item(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<ItemRow>> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, i.sku, i.names as "names: Json<BTreeMap<String, String>>",
        i.descriptions as "descriptions: Json<BTreeMap<String, String>>", i.category_id,
        c.names as "category_names?: Json<BTreeMap<String, String>>", i.unit,
        i.reorder_level, i.reorder_quantity, i.tracking, i.material_type, i.specs as "specs: Json<BTreeMap<String, String>>", i.hsn_sac, i.gst_rate, i.active
   from items i left join item_categories c on c.tenant_id = i.tenant_id and c.id = i.category_id where i.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// [`item`], its row locked until the transaction ends (it is about to be replaced).
pub(crate) async fn lock_item(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<ItemRow>> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, i.sku, i.names as "names: Json<BTreeMap<String, String>>",
        i.descriptions as "descriptions: Json<BTreeMap<String, String>>", i.category_id,
        c.names as "category_names?: Json<BTreeMap<String, String>>", i.unit,
        i.reorder_level, i.reorder_quantity, i.tracking, i.material_type, i.specs as "specs: Json<BTreeMap<String, String>>", i.hsn_sac, i.gst_rate, i.active
   from items i left join item_categories c on c.tenant_id = i.tenant_id and c.id = i.category_id where i.id = $1 for update of i"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn category_exists(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from item_categories where id = $1) as "found!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// An item's columns as saved (`id` None: a new item).
pub(crate) struct ItemValues<'a> {
    pub tenant_id: Uuid,
    pub id: Option<Uuid>,
    pub sku: &'a str,
    pub names: BTreeMap<String, String>,
    pub descriptions: BTreeMap<String, String>,
    pub category_id: Option<Uuid>,
    pub unit: &'a str,
    pub reorder_level: Decimal,
    pub reorder_quantity: Decimal,
    pub tracking: &'a str,
    pub material_type: &'a str,
    pub specs: BTreeMap<String, String>,
    pub hsn_sac: Option<&'a str>,
    pub gst_rate: Option<Decimal>,
    pub active: bool,
}

/// Inserts an item or replaces the one with its id; its id.
pub(crate) async fn upsert_item(conn: &mut PgConnection, v: ItemValues<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into items (tenant_id, id, sku, names, descriptions, category_id, unit, reorder_level, reorder_quantity,
                            tracking, specs, active, material_type, hsn_sac, gst_rate)
         values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         on conflict (tenant_id, id) do update set sku = excluded.sku, names = excluded.names,
            descriptions = excluded.descriptions, category_id = excluded.category_id, unit = excluded.unit,
            reorder_level = excluded.reorder_level, reorder_quantity = excluded.reorder_quantity,
            tracking = excluded.tracking, specs = excluded.specs, active = excluded.active,
            material_type = excluded.material_type, hsn_sac = excluded.hsn_sac, gst_rate = excluded.gst_rate
         returning id",
        v.tenant_id,
        v.id,
        v.sku,
        Json(v.names) as _,
        Json(v.descriptions) as _,
        v.category_id,
        v.unit,
        v.reorder_level,
        v.reorder_quantity,
        v.tracking,
        Json(v.specs) as _,
        v.active,
        v.material_type,
        v.hsn_sac,
        v.gst_rate
    )
    .fetch_one(conn)
    .await
}

/// (id, code, plant code, warehouse, rack, bin, capacity, on hand, active)
pub(crate) type LocationRow = (
    Uuid,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<Decimal>,
    Decimal,
    bool,
);

/// Every location with its plant and what it holds, by code.
pub(crate) async fn locations(conn: &mut PgConnection) -> sqlx::Result<Vec<LocationRow>> {
    Ok(sqlx::query!(
        r#"select l.id, l.code, pl.code as plant, l.warehouse, l.rack, l.bin, l.capacity,
                    coalesce((select sum(on_hand) from stock_balances sb where sb.location_id = l.id), 0) as "on_hand!",
                    l.active
               from locations l join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
              order by l.code"#,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        (r.id, r.code, r.plant, r.warehouse, r.rack, r.bin, r.capacity, r.on_hand, r.active)
    })
    .collect())
}

/// An active item's names, unit, reorder quantity and average cost (None: no such item).
#[allow(clippy::type_complexity)]
pub(crate) async fn prefill_of_item(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<
    Option<(
        Json<BTreeMap<String, String>>,
        String,
        Decimal,
        Option<Decimal>,
    )>,
> {
    Ok(sqlx::query!(
        r#"select i.names as "names: Json<BTreeMap<String, String>>", i.unit, i.reorder_quantity, c.average_cost as "average_cost?" from items i
           left join item_costs c on c.tenant_id = i.tenant_id and c.item_id = i.id
          where i.id = $1 and i.active"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.names, r.unit, r.reorder_quantity, r.average_cost)))
}

/// An item's SKU, reorder level and what is available of it company-wide.
pub(crate) async fn reorder_state(
    conn: &mut PgConnection,
    item: Uuid,
) -> sqlx::Result<Option<(String, Decimal, Decimal)>> {
    Ok(sqlx::query!(
        r#"select i.sku, i.reorder_level,
                  coalesce((select sum(available) from stock_balances b where b.item_id = i.id), 0) as "available!"
           from items i where i.id = $1"#,
        item
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.sku, r.reorder_level, r.available)))
}

/// The active users who may raise purchase orders (po:create), told of low stock.
pub(crate) async fn buyers(conn: &mut PgConnection) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select distinct u.id from users u join user_roles ur on ur.user_id = u.id
           join role_permissions rp on rp.role_id = ur.role_id
          where u.active and rp.permission = 'po:create'"
    )
    .fetch_all(conn)
    .await
}
