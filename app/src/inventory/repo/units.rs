//! SQL of units of measure and their conversions. Codes are compared without regard to case
//! (`lower(code)`, the unique index `units_tenant_code_ci`).
use rust_decimal::Decimal;
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

pub(crate) struct UnitRow {
    pub id: Uuid,
    pub code: String,
    pub names: Json<BTreeMap<String, String>>,
    pub decimals: i16,
    pub active: bool,
}

/// Every unit of the tenant, by code.
pub(crate) async fn units(conn: &mut PgConnection) -> sqlx::Result<Vec<UnitRow>> {
    sqlx::query_as!(
        UnitRow,
        r#"select id, code, names as "names: Json<BTreeMap<String, String>>", decimals, active
             from units order by lower(code)"#
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn unit(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<UnitRow>> {
    sqlx::query_as!(
        UnitRow,
        r#"select id, code, names as "names: Json<BTreeMap<String, String>>", decimals, active
             from units where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// [`unit`], its row locked until the transaction ends (it is about to change).
pub(crate) async fn lock_unit(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<UnitRow>> {
    sqlx::query_as!(
        UnitRow,
        r#"select id, code, names as "names: Json<BTreeMap<String, String>>", decimals, active
             from units where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The unit a code names, whatever its case.
pub(crate) async fn unit_by_code(
    conn: &mut PgConnection,
    code: &str,
) -> sqlx::Result<Option<UnitRow>> {
    sqlx::query_as!(
        UnitRow,
        r#"select id, code, names as "names: Json<BTreeMap<String, String>>", decimals, active
             from units where lower(code) = lower($1)"#,
        code
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn insert_unit(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    code: &str,
    names: &BTreeMap<String, String>,
    decimals: i16,
    active: bool,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into units (tenant_id, code, names, decimals, active) values ($1, $2, $3, $4, $5) returning id",
        tenant_id,
        code,
        Json(names) as _,
        decimals,
        active
    )
    .fetch_one(conn)
    .await
}

/// A tenant's starter units, those whose code it has (in any case) left as they are.
pub(crate) async fn insert_units_if_absent(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    codes: &[String],
    names: &[serde_json::Value],
    decimals: &[i16],
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into units (tenant_id, code, names, decimals)
         select $1, x.code, x.names, x.decimals from unnest($2::text[], $3::jsonb[], $4::int2[]) as x(code, names, decimals)
          where not exists (select 1 from units u where u.tenant_id = $1 and lower(u.code) = lower(x.code))",
        tenant_id,
        codes,
        names,
        decimals
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn update_unit(
    conn: &mut PgConnection,
    id: Uuid,
    code: &str,
    names: &BTreeMap<String, String>,
    decimals: i16,
    active: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update units set code = $2, names = $3, decimals = $4, active = $5 where id = $1",
        id,
        code,
        Json(names) as _,
        decimals,
        active
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether items or conversions name the unit (its code then stays; procurement's lines are
/// asked of procurement).
pub(crate) async fn unit_in_use(conn: &mut PgConnection, code: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from items where unit = $1)
               or exists(select 1 from unit_conversions where from_unit = $1 or to_unit = $1) as "used!""#,
        code
    )
    .fetch_one(conn)
    .await
}

pub(crate) struct ConversionRow {
    pub id: Uuid,
    pub from_unit: String,
    pub to_unit: String,
    pub factor: Decimal,
    pub item_id: Option<Uuid>,
    pub item_sku: Option<String>,
}

/// Every conversion of the tenant: the general ones first, then by item SKU and units.
pub(crate) async fn conversions(conn: &mut PgConnection) -> sqlx::Result<Vec<ConversionRow>> {
    sqlx::query_as!(
        ConversionRow,
        r#"select c.id, c.from_unit, c.to_unit, c.factor, c.item_id, i.sku as "item_sku?"
             from unit_conversions c left join items i on i.tenant_id = c.tenant_id and i.id = c.item_id
            order by c.item_id is not null, i.sku, lower(c.from_unit), lower(c.to_unit)"#
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn conversion(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<ConversionRow>> {
    sqlx::query_as!(
        ConversionRow,
        r#"select c.id, c.from_unit, c.to_unit, c.factor, c.item_id, i.sku as "item_sku?"
             from unit_conversions c left join items i on i.tenant_id = c.tenant_id and i.id = c.item_id
            where c.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The conversions that apply to these items: the general ones and their own.
pub(crate) async fn conversions_for_items(
    conn: &mut PgConnection,
    items: &[Uuid],
) -> sqlx::Result<Vec<ConversionRow>> {
    sqlx::query_as!(
        ConversionRow,
        r#"select c.id, c.from_unit, c.to_unit, c.factor, c.item_id, null::text as "item_sku?"
             from unit_conversions c where c.item_id is null or c.item_id = any($1)"#,
        items
    )
    .fetch_all(conn)
    .await
}

/// Whether an item of the tenant has this id.
pub(crate) async fn item_exists(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from items where id = $1) as "found!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// Whether stock of the item ever moved (its quantities are then kept in its unit).
pub(crate) async fn item_has_movements(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from stock_movements where item_id = $1) as "moved!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// The units of these items with their decimal places: (item, unit code, decimals).
pub(crate) async fn item_units(
    conn: &mut PgConnection,
    items: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, String, i16)>> {
    Ok(sqlx::query!(
        "select i.id, i.unit, u.decimals from items i join units u on u.tenant_id = i.tenant_id and u.code = i.unit
          where i.id = any($1)",
        items
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.unit, r.decimals))
    .collect())
}

pub(crate) async fn insert_conversion(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    from: &str,
    to: &str,
    factor: Decimal,
    item_id: Option<Uuid>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into unit_conversions (tenant_id, from_unit, to_unit, factor, item_id) values ($1, $2, $3, $4, $5)
         returning id",
        tenant_id,
        from,
        to,
        factor,
        item_id
    )
    .fetch_one(conn)
    .await
}

/// Replaces a conversion; whether there was one.
pub(crate) async fn update_conversion(
    conn: &mut PgConnection,
    id: Uuid,
    from: &str,
    to: &str,
    factor: Decimal,
    item_id: Option<Uuid>,
) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "update unit_conversions set from_unit = $2, to_unit = $3, factor = $4, item_id = $5 where id = $1",
        id,
        from,
        to,
        factor,
        item_id
    )
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}

/// Deletes a conversion; whether there was one.
pub(crate) async fn delete_conversion(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    Ok(
        sqlx::query!("delete from unit_conversions where id = $1", id)
            .execute(conn)
            .await?
            .rows_affected()
            > 0,
    )
}
