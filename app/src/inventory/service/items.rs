//! Item master and locations: permission checks, audited, in the caller's transaction. Server
//! functions and REST handlers both call these.
use crate::error::{on_constraint, AppError, AppResult, FieldError};
use crate::inventory::model::*;
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::model::locale_code;
use rust_decimal::Decimal;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: Uuid,
    sku: String,
    names: Json<BTreeMap<String, String>>,
    descriptions: Json<BTreeMap<String, String>>,
    category_id: Option<Uuid>,
    category_names: Option<Json<BTreeMap<String, String>>>,
    unit: String,
    reorder_level: Decimal,
    reorder_quantity: Decimal,
    tracking: String,
    specs: Json<BTreeMap<String, String>>,
    active: bool,
}

fn item_of(r: ItemRow, lang: &str) -> Item {
    Item {
        id: r.id,
        sku: r.sku,
        name: pick(&r.names.0, lang).unwrap_or_default().to_string(),
        description: pick(&r.descriptions.0, lang).map(str::to_string),
        category: r
            .category_names
            .as_ref()
            .and_then(|n| pick(&n.0, lang))
            .map(str::to_string),
        names: r.names.0,
        descriptions: r.descriptions.0,
        category_id: r.category_id,
        unit: r.unit,
        reorder_level: r.reorder_level.normalize(),
        reorder_quantity: r.reorder_quantity.normalize(),
        serialised: r.tracking == "serial",
        specs: r.specs.0,
        active: r.active,
    }
}

fn cleaned(map: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_item(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Item> {
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("inventory:search"))?;
    let item = load_item(tx, id, locale_code(ctx.locale)).await?;
    Ok(item)
}

/// An item of the transaction's tenant, named in `lang` (404 when there is none).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn load_item(tx: &mut crate::platform::db::Tx, id: Uuid, lang: &str) -> AppResult<Item> {
    let row = sqlx::query_as!(ItemRow, r#"select i.id, i.sku, i.names as "names: Json<BTreeMap<String, String>>",
        i.descriptions as "descriptions: Json<BTreeMap<String, String>>", i.category_id,
        c.names as "category_names?: Json<BTreeMap<String, String>>", i.unit,
        i.reorder_level, i.reorder_quantity, i.tracking, i.specs as "specs: Json<BTreeMap<String, String>>", i.active
   from items i left join item_categories c on c.tenant_id = i.tenant_id and c.id = i.category_id where i.id = $1"#, id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(item_of(row, lang))
}

/// Creates (`id` None) or replaces an item.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_item(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    mut input: ItemInput,
) -> AppResult<Item> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    if let Some(d) = input.description.take() {
        input.descriptions.entry("en".into()).or_insert(d);
    }
    validate_item(&input).map_err(AppError::Validation)?;
    if let Some(c) = input.category_id {
        let known: bool = sqlx::query_scalar!(
            r#"select exists(select 1 from item_categories where id = $1) as "found!""#,
            c
        )
        .fetch_one(&mut **tx)
        .await?;
        if !known {
            return Err(AppError::field("category_id", FieldError::UnknownReference));
        }
    }
    let old = match id {
        Some(id) => Some(
            sqlx::query_as!(ItemRow, r#"select i.id, i.sku, i.names as "names: Json<BTreeMap<String, String>>",
        i.descriptions as "descriptions: Json<BTreeMap<String, String>>", i.category_id,
        c.names as "category_names?: Json<BTreeMap<String, String>>", i.unit,
        i.reorder_level, i.reorder_quantity, i.tracking, i.specs as "specs: Json<BTreeMap<String, String>>", i.active
   from items i left join item_categories c on c.tenant_id = i.tenant_id and c.id = i.category_id where i.id = $1 for update of i"#, id)
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| item_of(r, "en"))
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let tracking = match (input.serialised, &old) {
        (Some(true), _) => "serial",
        (Some(false), _) => "lot",
        (None, Some(o)) if o.serialised => "serial",
        _ => "lot",
    };
    let saved: Result<Uuid, sqlx::Error> = sqlx::query_scalar!("insert into items (tenant_id, id, sku, names, descriptions, category_id, unit, reorder_level, reorder_quantity,
                            tracking, specs, active)
         values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (tenant_id, id) do update set sku = excluded.sku, names = excluded.names,
            descriptions = excluded.descriptions, category_id = excluded.category_id, unit = excluded.unit,
            reorder_level = excluded.reorder_level, reorder_quantity = excluded.reorder_quantity,
            tracking = excluded.tracking, specs = excluded.specs, active = excluded.active
         returning id", p.tenant_id, id, input.sku.trim(), Json(cleaned(&input.names)) as _, Json(cleaned(&input.descriptions)) as _, input.category_id, input.unit.trim(), input.reorder_level.unwrap_or_default(), input.reorder_quantity.unwrap_or_default(), tracking, Json(cleaned(&input.specs)) as _, input.active.unwrap_or(true))
    .fetch_one(&mut **tx)
    .await;
    let new_id = saved.map_err(|e| on_constraint(e, &[("items_tenant_sku", "sku")]))?;
    let row = sqlx::query_as!(ItemRow, r#"select i.id, i.sku, i.names as "names: Json<BTreeMap<String, String>>",
        i.descriptions as "descriptions: Json<BTreeMap<String, String>>", i.category_id,
        c.names as "category_names?: Json<BTreeMap<String, String>>", i.unit,
        i.reorder_level, i.reorder_quantity, i.tracking, i.specs as "specs: Json<BTreeMap<String, String>>", i.active
   from items i left join item_categories c on c.tenant_id = i.tenant_id and c.id = i.category_id where i.id = $1"#, new_id)
        .fetch_one(&mut **tx)
        .await?;
    let item = item_of(row, locale_code(ctx.locale));
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: if id.is_some() { "update" } else { "create" },
            entity: "item",
            entity_id: Some(item.id.to_string()),
            old: old.and_then(|o| serde_json::to_value(o).ok()),
            new: serde_json::to_value(&item).ok(),
        },
    )
    .await?;
    Ok(item)
}

type LocationRow = (
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

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_locations(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Location>> {
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("storage:manage"))?;
    let rows: Vec<LocationRow> = sqlx::query!(
        r#"select l.id, l.code, pl.code as plant, l.warehouse, l.rack, l.bin, l.capacity,
                    coalesce((select sum(on_hand) from stock_balances sb where sb.location_id = l.id), 0) as "on_hand!",
                    l.active
               from locations l join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
              order by l.code"#,
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| {
        (r.id, r.code, r.plant, r.warehouse, r.rack, r.bin, r.capacity, r.on_hand, r.active)
    })
    .collect();
    Ok(rows
        .into_iter()
        .map(
            |(id, code, plant, warehouse, rack, bin, capacity, on_hand, active)| Location {
                id,
                code,
                plant,
                warehouse,
                rack,
                bin,
                capacity: capacity.map(|c| c.normalize()),
                on_hand: on_hand.normalize(),
                active,
            },
        )
        .collect())
}

/// A requisition line for an item, prefilled with its reorder quantity and average cost.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn prefill(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<ItemPrefill> {
    let p = ctx.principal()?;
    p.require("requisition:create")?;
    #[allow(clippy::type_complexity)]
    let row: Option<(
        Json<BTreeMap<String, String>>,
        String,
        Decimal,
        Option<Decimal>,
    )> = sqlx::query!(r#"select i.names as "names: Json<BTreeMap<String, String>>", i.unit, i.reorder_quantity, c.average_cost as "average_cost?" from items i
           left join item_costs c on c.tenant_id = i.tenant_id and c.item_id = i.id
          where i.id = $1 and i.active"#, id).fetch_optional(&mut **tx)
        .await?
        .map(|r| (r.names, r.unit, r.reorder_quantity, r.average_cost));
    let (names, unit, quantity, cost) = row.ok_or(AppError::NotFound)?;
    let minor = crate::format::minor_units(&p.user.tenant.currency);
    Ok(ItemPrefill {
        id,
        name: pick(&names.0, locale_code(ctx.locale))
            .unwrap_or_default()
            .to_string(),
        unit,
        quantity: if quantity > Decimal::ZERO {
            quantity.normalize()
        } else {
            Decimal::ONE
        },
        price: cost
            .unwrap_or_default()
            .round_dp_with_strategy(minor, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize(),
    })
}

/// After stock left `item`: when what is available company-wide has just fallen below the reorder
/// level, the people who order (po:create) are told, with a link to a prefilled requisition.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn low_stock_check(
    tx: &mut crate::platform::db::Tx,
    tenant_id: Uuid,
    item: Uuid,
    taken: Decimal,
) -> AppResult<()> {
    let row = sqlx::query!(
        r#"select i.sku, i.reorder_level,
                  coalesce((select sum(available) from stock_balances b where b.item_id = i.id), 0) as "available!"
           from items i where i.id = $1"#,
        item
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| (r.sku, r.reorder_level, r.available));
    let Some((sku, level, available)) = row else {
        return Ok(());
    };
    if level <= Decimal::ZERO || available >= level || available + taken < level {
        return Ok(());
    }
    let buyers: Vec<Uuid> = sqlx::query_scalar!(
        "select distinct u.id from users u join user_roles ur on ur.user_id = u.id
           join role_permissions rp on rp.role_id = ur.role_id
          where u.active and rp.permission = 'po:create'"
    )
    .fetch_all(&mut **tx)
    .await?;
    let doc = crate::approvals::engine::Doc {
        doc_type: "item",
        id: item,
        number: sku,
        requester_id: Uuid::nil(),
        plant_id: None,
        department_id: None,
        facts: Default::default(),
    };
    crate::approvals::engine::notify(tx, tenant_id, &buyers, "low_stock", &doc, None).await
}
