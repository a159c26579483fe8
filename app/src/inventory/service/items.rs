//! Item master and locations: permission checks, audited, in the caller's transaction. Server
//! functions and REST handlers both call these.
use crate::error::{on_constraint, AppError, AppResult, FieldError};
use crate::inventory::model::material::MaterialType;
use crate::inventory::model::*;
use crate::inventory::repo::items::{self as repo, ItemRow, ItemValues};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::model::locale_code;
use crate::types::ItemId;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

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
        material_type: MaterialType::from_code(&r.material_type).unwrap_or_default(),
        specs: r.specs.0,
        hsn_sac: r.hsn_sac,
        gst_rate: r.gst_rate.map(|g| g.normalize()),
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
pub async fn get_item(tx: &mut Tx, ctx: &RequestCtx, id: ItemId) -> AppResult<Item> {
    let id = id.uuid();
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("inventory:search"))?;
    let item = load_item(tx, id.into(), locale_code(ctx.locale)).await?;
    Ok(item)
}

/// An item of the transaction's tenant, named in `lang` (404 when there is none).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn load_item(
    tx: &mut crate::platform::db::Tx,
    id: ItemId,
    lang: &str,
) -> AppResult<Item> {
    let id = id.uuid();
    let row = repo::item(tx, id).await?.ok_or(AppError::NotFound)?;
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
        let known = repo::category_exists(tx, c).await?;
        if !known {
            return Err(AppError::field("category_id", FieldError::UnknownReference));
        }
    }
    let old = match id {
        Some(id) => Some(
            repo::lock_item(tx, id)
                .await?
                .map(|r| item_of(r, "en"))
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    // a unit of the tenant (any case given; written as the tenant writes its code), active unless
    // it is the item's own already
    let unit = match crate::inventory::service::units::known_unit(tx, &input.unit).await? {
        Some((code, active)) if active || old.as_ref().is_some_and(|o| o.unit == code) => code,
        _ => return Err(AppError::field("unit", FieldError::UnknownReference)),
    };
    if let (Some(o), Some(id)) = (&old, id) {
        crate::inventory::service::units::check_unit_change(tx, id, &o.unit, &unit).await?;
    }
    let tracking = match (input.serialised, &old) {
        (Some(true), _) => "serial",
        (Some(false), _) => "lot",
        (None, Some(o)) if o.serialised => "serial",
        _ => "lot",
    };
    // the type named, else the item's own, else a consumable (validated above)
    let material_type = input
        .material_type
        .as_deref()
        .and_then(MaterialType::from_code)
        .or(old.as_ref().map(|o| o.material_type))
        .unwrap_or_default();
    let saved = repo::upsert_item(
        tx,
        ItemValues {
            tenant_id: p.tenant_id,
            id,
            sku: input.sku.trim(),
            names: cleaned(&input.names),
            descriptions: cleaned(&input.descriptions),
            category_id: input.category_id,
            unit: &unit,
            reorder_level: input.reorder_level.unwrap_or_default(),
            reorder_quantity: input.reorder_quantity.unwrap_or_default(),
            tracking,
            material_type: material_type.code(),
            specs: cleaned(&input.specs),
            hsn_sac: input
                .hsn_sac
                .as_deref()
                .map(str::trim)
                .filter(|h| !h.is_empty()),
            gst_rate: input.gst_rate,
            active: input.active.unwrap_or(true),
        },
    )
    .await;
    let new_id = saved.map_err(|e| on_constraint(e, &[("items_tenant_sku", "sku")]))?;
    let row = repo::item(tx, new_id).await?.ok_or(AppError::NotFound)?;
    let item = item_of(row, locale_code(ctx.locale));
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "item", item.id, old, &item),
    )
    .await?;
    Ok(item)
}

/// Sets an item's material type (the item page's control for those who keep the master): the
/// item replaced as it is with the type changed, by [`save_item`]'s rules (422 on
/// `material_type` for a type there is none of, audited).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_material_type(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: ItemId,
    material_type: String,
) -> AppResult<Item> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    let id = id.uuid();
    let r = repo::item(tx, id).await?.ok_or(AppError::NotFound)?;
    let input = ItemInput {
        sku: r.sku,
        names: r.names.0,
        description: None,
        descriptions: r.descriptions.0,
        category_id: r.category_id,
        unit: r.unit,
        reorder_level: Some(r.reorder_level),
        reorder_quantity: Some(r.reorder_quantity),
        serialised: Some(r.tracking == "serial"),
        material_type: Some(material_type),
        specs: r.specs.0,
        hsn_sac: r.hsn_sac,
        gst_rate: r.gst_rate,
        active: Some(r.active),
    };
    save_item(tx, ctx, Some(id), input).await
}

/// What the item editor offers: categories by path in the caller's language, units in use, and
/// whether the GST fields apply (inventory:manage).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn editor_options(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<ItemEditorOptions> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    let mut categories: Vec<(Uuid, String)> = crate::inventory::places::list_categories(tx, ctx)
        .await?
        .into_iter()
        .map(|c| (c.id, c.path.join(" › ")))
        .collect();
    categories.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(ItemEditorOptions {
        categories,
        units: crate::inventory::service::units::list_units(tx, ctx)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.code, u.name))
            .collect(),
        gst: p.user.tenant.currency == crate::types::Currency::INR,
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_locations(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Location>> {
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("storage:manage"))?;
    let rows = repo::locations(tx).await?;
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
pub async fn prefill(tx: &mut Tx, ctx: &RequestCtx, id: ItemId) -> AppResult<ItemPrefill> {
    let id = id.uuid();
    let p = ctx.principal()?;
    p.require("requisition:create")?;
    let row = repo::prefill_of_item(tx, id).await?;
    let (names, unit, quantity, cost) = row.ok_or(AppError::NotFound)?;
    let minor = p.user.tenant.currency.minor_units();
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
    let row = repo::reorder_state(tx, item).await?;
    let Some((sku, level, available)) = row else {
        return Ok(());
    };
    if level <= Decimal::ZERO || available >= level || available + taken < level {
        return Ok(());
    }
    let buyers = repo::buyers(tx).await?;
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
