//! The category tree and storage locations: permission checks, the rules, audited, in the
//! caller's transaction. Server functions and REST handlers both call these.
use super::repo::{self, LocationRow, LocationValues};
use super::{
    category_code, location_code, location_part, tree, validate_category, validate_location,
    within_branch, Category, CategoryInput, LocationInput, LocationLabel,
};
use crate::error::{unique_violation, AppError, AppResult, FieldError};
use crate::inventory::model::Location;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{Principal, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::model::locale_code;
use crate::platform::permission::Scope;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The name of the trigger's constraint that refuses a cycle in the tree (see the migration
/// `places`): the database's own guard, whatever writes the row.
const NO_CYCLE: &str = "item_categories_no_cycle";

fn reader(ctx: &RequestCtx) -> AppResult<&Principal> {
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("inventory:search"))?;
    Ok(p)
}

/// A database error of a category's write: its code taken (409), a cycle the trigger refused
/// (422 on `parent_id`), else as any database error.
fn category_error(err: sqlx::Error) -> AppError {
    if let Some(name) = unique_violation(&err) {
        if name == "item_categories_tenant_id_code_key" {
            return AppError::Taken("code".into());
        }
    }
    if let sqlx::Error::Database(db) = &err {
        if db.constraint() == Some(NO_CYCLE) {
            return AppError::field("parent_id", FieldError::Cycle);
        }
    }
    err.into()
}

/// The whole tree, in the caller's language: parents before their children.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_categories(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Category>> {
    reader(ctx)?;
    let nodes = repo::categories(tx).await?;
    Ok(tree(nodes, locale_code(ctx.locale)))
}

/// One category with its path and item count (404 when the tenant has none of that id).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_category(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Category> {
    list_categories(tx, ctx)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)
}

/// Creates (`id` none) or changes a category; a new `parent_id` moves its branch (under itself
/// or its own branch: 422 on `parent_id`; a code taken: 409).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_category(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: CategoryInput,
) -> AppResult<Category> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    validate_category(&input).map_err(AppError::Validation)?;
    if let Some(id) = id {
        repo::lock_category(tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let all = list_categories(tx, ctx).await?;
    let old = id.and_then(|id| all.iter().find(|c| c.id == id).cloned());
    if let Some(parent) = input.parent_id {
        if !all.iter().any(|c| c.id == parent) {
            return Err(AppError::field("parent_id", FieldError::UnknownReference));
        }
        if id.is_some_and(|id| within_branch(&all, id, parent)) {
            return Err(AppError::field("parent_id", FieldError::Cycle));
        }
    }
    let code = category_code(&input.code);
    let names: BTreeMap<String, String> = input
        .names
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let id = match id {
        Some(id) => {
            repo::update_category(tx, id, &code, &names, input.parent_id)
                .await
                .map_err(category_error)?;
            id
        }
        None => repo::insert_category(tx, p.tenant_id, &code, &names, input.parent_id)
            .await
            .map_err(category_error)?,
    };
    let saved = get_category(tx, ctx, id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "item_category", id, old, &saved),
    )
    .await?;
    Ok(saved)
}

fn location_of(r: LocationRow) -> Location {
    Location {
        id: r.id,
        code: r.code,
        plant: r.plant,
        warehouse: r.warehouse,
        rack: r.rack,
        bin: r.bin,
        capacity: r.capacity.map(|c| c.normalize()),
        on_hand: r.on_hand.normalize(),
        active: r.active,
    }
}

/// One location with what it holds (404 when the tenant has none of that id).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_location(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Location> {
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("storage:manage"))?;
    repo::location(tx, id)
        .await?
        .map(location_of)
        .ok_or(AppError::NotFound)
}

/// Whether the caller's `storage:manage` reaches the plant: all plants, or their own plant only.
fn may_keep(p: &Principal, scope: Scope, plant_id: Uuid) -> AppResult<()> {
    match scope {
        Scope::All => Ok(()),
        _ if p.user.plant_id == Some(plant_id) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Creates (`id` none) or changes a storage location. Its code is made of the plant's code and
/// its parts; a taken code is 409. A plant-scoped keeper keeps their own plant's locations only
/// (403); a location that has had movements stays in its plant, and one holding stock stays
/// active (422).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_location(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: LocationInput,
) -> AppResult<Location> {
    let p = ctx.principal()?;
    let scope = p.require("storage:manage")?;
    let old = match id {
        Some(id) => {
            repo::lock_location(tx, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let old = repo::location(tx, id).await?.ok_or(AppError::NotFound)?;
            may_keep(p, scope, old.plant_id)?;
            Some(old)
        }
        None => None,
    };
    may_keep(p, scope, input.plant_id)?;
    validate_location(&input).map_err(AppError::Validation)?;
    let Some(plant) = repo::plant_code(tx, input.plant_id).await? else {
        return Err(AppError::field("plant_id", FieldError::UnknownReference));
    };
    let active = input.active.unwrap_or(true);
    if let Some(o) = &old {
        if o.plant_id != input.plant_id && repo::has_movements(tx, o.id).await? {
            return Err(AppError::field("plant_id", FieldError::Locked));
        }
        if o.active && !active && o.on_hand > Decimal::ZERO {
            return Err(AppError::field("active", FieldError::HasStock));
        }
    }
    let warehouse = location_part(Some(&input.warehouse)).unwrap_or_default();
    let rack = location_part(input.rack.as_deref());
    let bin = location_part(input.bin.as_deref());
    let code = location_code(&plant, &warehouse, rack.as_deref(), bin.as_deref());
    let values = LocationValues {
        plant_id: input.plant_id,
        warehouse: &warehouse,
        rack: rack.as_deref(),
        bin: bin.as_deref(),
        code: &code,
        capacity: input.capacity,
        active,
    };
    let taken = |e: sqlx::Error| match unique_violation(&e) {
        Some("locations_tenant_id_code_key") => AppError::Taken("code".into()),
        _ => e.into(),
    };
    let id = match &old {
        Some(o) => {
            repo::update_location(tx, o.id, &values)
                .await
                .map_err(taken)?;
            o.id
        }
        None => repo::insert_location(tx, p.tenant_id, &values)
            .await
            .map_err(taken)?,
    };
    let saved = repo::location(tx, id)
        .await?
        .map(location_of)
        .ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "location", id, old.map(location_of), &saved),
    )
    .await?;
    Ok(saved)
}

/// The QR code of `text` as an inline `<svg>` element (no XML declaration).
fn inline_qr(text: &str) -> AppResult<String> {
    let svg = crate::inventory::service::stock::labels::qr_svg(text)?;
    Ok(match svg.find("<svg") {
        Some(at) => svg[at..].to_string(),
        None => svg,
    })
}

/// Labels of the named locations (those of the tenant; at most 500 at once), by code.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn location_labels(
    tx: &mut Tx,
    ctx: &RequestCtx,
    ids: Vec<Uuid>,
) -> AppResult<Vec<LocationLabel>> {
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("storage:manage"))?;
    if ids.len() > 500 {
        return Err(AppError::field("ids", FieldError::TooLong));
    }
    repo::locations_by_id(tx, &ids)
        .await?
        .into_iter()
        .map(|r| {
            Ok(LocationLabel {
                svg: inline_qr(&r.code)?,
                id: r.id,
                code: r.code,
                plant: r.plant,
                warehouse: r.warehouse,
                rack: r.rack,
                bin: r.bin,
            })
        })
        .collect()
}
