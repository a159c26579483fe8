//! Units of measure and conversions: read by anyone signed in to the tenant, kept by those who
//! keep the item master (`inventory:manage`), audited. Requisitions, receipts and issues convert
//! through [`in_item_units`]; the arithmetic is [`crate::inventory::model::units::convert`].
use crate::error::{AppError, AppResult, FieldError};
use crate::inventory::model::pick;
use crate::inventory::model::units::*;
use crate::inventory::repo::units::{self as repo, ConversionRow, UnitRow};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::model::locale_code;
use crate::platform::onboarding::{ProvisionFuture, Provisioned, Provisioner};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

fn unit_of(r: UnitRow, lang: &str) -> Unit {
    Unit {
        id: r.id,
        name: pick(&r.names.0, lang).unwrap_or_default().to_string(),
        code: r.code,
        names: r.names.0,
        decimals: r.decimals,
        active: r.active,
    }
}

fn conversion_of(r: ConversionRow) -> Conversion {
    Conversion {
        id: r.id,
        from_unit: r.from_unit,
        to_unit: r.to_unit,
        factor: r.factor.normalize(),
        item_id: r.item_id,
        item_sku: r.item_sku,
    }
}

fn rule_of(r: &ConversionRow) -> Rule {
    Rule {
        from: r.from_unit.clone(),
        to: r.to_unit.clone(),
        factor: r.factor,
        item: r.item_id,
    }
}

/// The tenant's units, by code (anyone signed in).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_units(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Unit>> {
    ctx.principal()?;
    let lang = locale_code(ctx.locale);
    Ok(repo::units(tx)
        .await?
        .into_iter()
        .map(|r| unit_of(r, lang))
        .collect())
}

/// One unit of the tenant (404 for another tenant's).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_unit(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Unit> {
    ctx.principal()?;
    let r = repo::unit(tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(unit_of(r, locale_code(ctx.locale)))
}

/// The constraint a check violation names, when `err` is one.
fn check_violation(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23514") => db.constraint(),
        _ => None,
    }
}

fn cleaned(map: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// Creates (`id` None) or replaces a unit. A code taken in any case: 409 on `code`. A unit that
/// items, conversions or document lines name keeps its code (422 `locked` on `code`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_unit(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: UnitInput,
) -> AppResult<Unit> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    validate_unit(&input).map_err(AppError::Validation)?;
    let code = input.code.trim();
    let names = cleaned(&input.names);
    let active = input.active.unwrap_or(true);
    let old = match id {
        Some(id) => Some(
            repo::lock_unit(tx, id)
                .await?
                .map(|r| unit_of(r, "en"))
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let taken = |e: sqlx::Error| match crate::error::unique_violation(&e) {
        Some("units_tenant_code_ci") | Some("units_tenant_id_code_key") => {
            AppError::Taken("code".into())
        }
        // a character PostgreSQL counts as white space where Rust does not
        _ if check_violation(&e) == Some("units_code_check") => {
            AppError::field("code", FieldError::Invalid)
        }
        _ => e.into(),
    };
    let id = match &old {
        Some(o) => {
            if o.code != code
                && (repo::unit_in_use(tx, &o.code).await?
                    || crate::procurement::service::orders::lines_name_unit(tx, &o.code).await?)
            {
                return Err(AppError::field("code", FieldError::Locked));
            }
            repo::update_unit(tx, o.id, code, &names, input.decimals, active)
                .await
                .map_err(taken)?;
            o.id
        }
        None => repo::insert_unit(tx, p.tenant_id, code, &names, input.decimals, active)
            .await
            .map_err(taken)?,
    };
    let r = repo::unit(tx, id).await?.ok_or(AppError::NotFound)?;
    let unit = unit_of(r, locale_code(ctx.locale));
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "unit", unit.id, old, &unit),
    )
    .await?;
    Ok(unit)
}

/// Every conversion of the tenant (anyone signed in).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_conversions(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Conversion>> {
    ctx.principal()?;
    Ok(repo::conversions(tx)
        .await?
        .into_iter()
        .map(conversion_of)
        .collect())
}

/// Creates (`id` None) or replaces a conversion. Unknown or inactive units and items: 422 on the
/// field; the same pair of units (either way round) for the same item or in general: 409.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_conversion(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: ConversionInput,
) -> AppResult<Conversion> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    validate_conversion(&input).map_err(AppError::Validation)?;
    let old = match id {
        Some(id) => Some(
            repo::conversion(tx, id)
                .await?
                .map(conversion_of)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let mut errors = BTreeMap::new();
    let mut codes = Vec::new();
    for (field, text) in [("from_unit", &input.from_unit), ("to_unit", &input.to_unit)] {
        match repo::unit_by_code(tx, text.trim()).await? {
            Some(u) if u.active => codes.push(u.code),
            _ => {
                errors.insert(field.to_string(), FieldError::UnknownReference);
            }
        }
    }
    if let Some(item) = input.item_id {
        if !repo::item_exists(tx, item).await? {
            errors.insert("item_id".into(), FieldError::UnknownReference);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (from, to) = (&codes[0], &codes[1]);
    let factor = input.factor.normalize();
    let duplicate = |e: sqlx::Error| match crate::error::unique_violation(&e) {
        Some("unit_conversions_pair") => AppError::Conflict,
        _ => e.into(),
    };
    let id = match &old {
        Some(o) => {
            repo::update_conversion(tx, o.id, from, to, factor, input.item_id)
                .await
                .map_err(duplicate)?;
            o.id
        }
        None => repo::insert_conversion(tx, p.tenant_id, from, to, factor, input.item_id)
            .await
            .map_err(duplicate)?,
    };
    let saved = repo::conversion(tx, id)
        .await?
        .map(conversion_of)
        .ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "unit_conversion", saved.id, old, &saved),
    )
    .await?;
    Ok(saved)
}

/// Deletes a conversion (404 when the tenant has none of this id).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete_conversion(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    let old = repo::conversion(tx, id)
        .await?
        .map(conversion_of)
        .ok_or(AppError::NotFound)?;
    if !repo::delete_conversion(tx, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "delete",
            entity: "unit_conversion",
            entity_id: Some(id.to_string()),
            old: serde_json::to_value(&old).ok(),
            new: None,
        },
    )
    .await?;
    Ok(())
}

/// The unit an item names, as the tenant writes its code (any case given), and whether it is
/// active; None when the tenant has no such unit.
pub async fn known_unit(tx: &mut Tx, text: &str) -> AppResult<Option<(String, bool)>> {
    Ok(repo::unit_by_code(tx, text.trim())
        .await?
        .map(|u| (u.code, u.active)))
}

/// Whether an item may change its unit to `code`: not once its stock has moved, the ledger being
/// kept in its unit (422 `locked` on `unit`).
pub async fn check_unit_change(tx: &mut Tx, item: Uuid, old: &str, code: &str) -> AppResult<()> {
    if old != code && repo::item_has_movements(tx, item).await? {
        return Err(AppError::field("unit", FieldError::Locked));
    }
    Ok(())
}

/// A quantity of an item as entered, in some unit.
pub struct Entered<'a> {
    pub item: Uuid,
    pub quantity: Decimal,
    pub unit: &'a str,
}

/// What an entered quantity comes to: the unit's code as the tenant writes it, the quantity in
/// the item's unit, and the item's unit.
#[derive(Clone, Debug, PartialEq)]
pub struct InItemUnit {
    pub unit: String,
    pub quantity: Decimal,
    pub item_unit: String,
}

/// Each entered quantity in its item's unit (three statements however many), or the field that
/// is wrong with it: `unit` (not a unit of the tenant, inactive, or no conversion to the item's
/// unit: `no_conversion`), `quantity` (more decimal places than the entered unit or, converted,
/// the item's unit allows), `item_id` (no such item). `strict`: the entered unit's decimals are
/// checked even when it is the item's own (requisition lines, an issue naming its unit).
pub async fn in_item_units(
    tx: &mut Tx,
    entries: &[Entered<'_>],
    strict: bool,
) -> AppResult<Vec<Result<InItemUnit, (&'static str, FieldError)>>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut items: Vec<Uuid> = entries.iter().map(|e| e.item).collect();
    items.sort_unstable();
    items.dedup();
    let units: HashMap<String, UnitRow> = repo::units(tx)
        .await?
        .into_iter()
        .map(|u| (u.code.to_lowercase(), u))
        .collect();
    let item_units: HashMap<Uuid, (String, i16)> = repo::item_units(tx, &items)
        .await?
        .into_iter()
        .map(|(id, unit, decimals)| (id, (unit, decimals)))
        .collect();
    let rules: Vec<Rule> = repo::conversions_for_items(tx, &items)
        .await?
        .iter()
        .map(rule_of)
        .collect();
    Ok(entries
        .iter()
        .map(|e| {
            let (item_unit, item_decimals) = item_units
                .get(&e.item)
                .ok_or(("item_id", FieldError::UnknownReference))?;
            let own = e.unit.trim().to_lowercase() == item_unit.to_lowercase();
            let unit = match units.get(&e.unit.trim().to_lowercase()) {
                Some(u) if u.active || own => u,
                _ => return Err(("unit", FieldError::NoConversion)),
            };
            if own && !strict {
                return Ok(InItemUnit {
                    unit: unit.code.clone(),
                    quantity: e.quantity,
                    item_unit: item_unit.clone(),
                });
            }
            if !fits(e.quantity, unit.decimals) {
                return Err(("quantity", FieldError::TooManyDecimals));
            }
            let quantity = convert(
                e.quantity,
                &unit.code,
                item_unit,
                Some(e.item),
                &rules,
                *item_decimals,
            )
            .map_err(|err| match err {
                ConvertError::NoConversion => ("unit", FieldError::NoConversion),
                ConvertError::TooManyDecimals => ("quantity", FieldError::TooManyDecimals),
            })?;
            Ok(InItemUnit {
                unit: unit.code.clone(),
                quantity,
                item_unit: item_unit.clone(),
            })
        })
        .collect())
}

/// The units a new tenant starts with: (code, decimals, name per language from the locales).
const STARTER: [(&str, i16); 9] = [
    ("PCS", 0),
    ("BOX", 0),
    ("PAIR", 0),
    ("SET", 0),
    ("KG", 3),
    ("G", 2),
    ("M", 3),
    ("L", 3),
    ("ML", 0),
];

fn starter_name(code: &str, locale: crate::i18n::Locale) -> String {
    use leptos_i18n::td_string;
    match code {
        "PCS" => td_string!(locale, units.s_pcs),
        "BOX" => td_string!(locale, units.s_box),
        "PAIR" => td_string!(locale, units.s_pair),
        "SET" => td_string!(locale, units.s_set),
        "KG" => td_string!(locale, units.s_kg),
        "G" => td_string!(locale, units.s_g),
        "M" => td_string!(locale, units.s_m),
        "L" => td_string!(locale, units.s_l),
        _ => td_string!(locale, units.s_ml),
    }
    .to_string()
}

/// The starter units in a tenant, named in all five languages; a code it has (in any case) is
/// left as it is. With the general conversions between them (1 KG = 1000 G, 1 L = 1000 ML,
/// 1 PAIR = 2 PCS) where it has none.
pub async fn starter_units(tx: &mut Tx, tenant_id: Uuid) -> AppResult<()> {
    use crate::i18n::Locale;
    let locales = [Locale::en, Locale::hi, Locale::bn, Locale::te, Locale::ar];
    let codes: Vec<String> = STARTER.iter().map(|(c, _)| c.to_string()).collect();
    let decimals: Vec<i16> = STARTER.iter().map(|(_, d)| *d).collect();
    let names: Vec<serde_json::Value> = STARTER
        .iter()
        .map(|(c, _)| {
            let map: BTreeMap<&str, String> = locales
                .iter()
                .map(|l| (locale_code(*l), starter_name(c, *l)))
                .collect();
            serde_json::to_value(map).unwrap_or_default()
        })
        .collect();
    repo::insert_units_if_absent(tx, tenant_id, &codes, &names, &decimals).await?;
    let existing = repo::conversions(tx).await?;
    for (from, to, factor) in [("KG", "G", 1000), ("L", "ML", 1000), ("PAIR", "PCS", 2)] {
        let (Some(f), Some(t)) = (
            repo::unit_by_code(tx, from).await?,
            repo::unit_by_code(tx, to).await?,
        ) else {
            continue;
        };
        let rules: Vec<Rule> = existing.iter().map(rule_of).collect();
        if convertible(&rules, &f.code, &t.code, None) {
            continue;
        }
        repo::insert_conversion(tx, tenant_id, &f.code, &t.code, Decimal::from(factor), None)
            .await?;
    }
    Ok(())
}

/// A new tenant's starter units (see [`starter_units`]).
pub static STARTER_UNITS: Provisioner = Provisioner {
    name: "inventory: starter units",
    run: provision_units,
};

fn provision_units<'a>(tx: &'a mut Tx, made: &'a Provisioned) -> ProvisionFuture<'a> {
    Box::pin(async move { starter_units(tx, made.tenant_id).await })
}
