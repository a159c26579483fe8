//! The rules of the tenant's set-up: who may change what (`tenant:manage`; plants also
//! `plant:manage`), what each value may be, and the audit trail of every change. Changes reach
//! every instance's kept principals through the tables' change triggers.
use super::*;
use crate::error::{on_constraint, AppResult};
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::repo::settings as repo;
use crate::types::Gstin;

fn manager(ctx: &RequestCtx) -> AppResult<&crate::platform::context::Principal> {
    let p = ctx.principal()?;
    p.require("tenant:manage")?;
    Ok(p)
}

/// The tenant's settings (`tenant:manage`).
pub async fn get_settings(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<TenantSettings> {
    manager(ctx)?;
    let row = repo::settings(tx).await?.ok_or(AppError::NotFound)?;
    let chosen = repo::prefixes(tx).await?;
    let prefixes = DOC_TYPES
        .iter()
        .map(|kind| DocPrefix {
            doc_type: kind.to_string(),
            prefix: chosen
                .iter()
                .find(|(k, _)| k == kind)
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| kind.to_string()),
        })
        .collect();
    Ok(TenantSettings {
        slug: row.slug,
        name: row.name,
        currency: row.currency,
        time_zone: row.timezone,
        default_language: row.default_language,
        number_format: row.number_format,
        fiscal_year_start_month: row.fiscal_year_start_month,
        require_totp_roles: crate::platform::two_factor::policy(tx, ctx).await?,
        email_verified: row.email_verified,
        signup_email: row.signup_email,
        setup_completed: row.setup_completed,
        prefixes,
        invoice_price_tolerance_pct: row.invoice_price_tolerance_pct.normalize(),
        invoice_price_tolerance_abs: row.invoice_price_tolerance_abs.normalize(),
    })
}

/// Changes what the input gives. The currency can change only while the setup wizard is open
/// (documents are priced in it afterwards: 422 `locked` on `currency`).
pub async fn update_settings(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    input: SettingsInput,
) -> AppResult<TenantSettings> {
    let p = manager(ctx)?;
    let before = get_settings(tx, ctx).await?;
    let mut errors = BTreeMap::new();
    let name = input.name.as_deref().map(str::trim);
    if let Some(Err(e)) = name.map(check_name) {
        errors.insert("name".into(), e);
    }
    let currency = input
        .currency
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase());
    if let Some(c) = &currency {
        if !crate::platform::onboarding::CURRENCIES.contains(&c.as_str()) {
            errors.insert("currency".into(), FieldError::Invalid);
        } else if *c != before.currency && before.setup_completed {
            errors.insert("currency".into(), FieldError::Locked);
        }
    }
    let time_zone = input.time_zone.as_deref().map(str::trim);
    if time_zone.is_some_and(|z| z.parse::<chrono_tz::Tz>().is_err()) {
        errors.insert("time_zone".into(), FieldError::Invalid);
    }
    let language = input.default_language.as_deref().map(str::trim);
    if language.is_some_and(|l| !crate::platform::model::LANGUAGES.contains(&l)) {
        errors.insert("default_language".into(), FieldError::UnknownLanguage);
    }
    let number_format = input.number_format.as_deref().map(str::trim);
    if number_format.is_some_and(|f| f != "western" && f != "indian") {
        errors.insert("number_format".into(), FieldError::Invalid);
    }
    if input
        .fiscal_year_start_month
        .is_some_and(|m| !(1..=12).contains(&m))
    {
        errors.insert("fiscal_year_start_month".into(), FieldError::Invalid);
    }
    if let Some(Err(e)) = input.invoice_price_tolerance_pct.map(check_percent) {
        errors.insert("invoice_price_tolerance_pct".into(), e);
    }
    if let Some(Err(e)) = input.invoice_price_tolerance_abs.map(check_amount) {
        errors.insert("invoice_price_tolerance_abs".into(), e);
    }
    let mut prefixes: Vec<(String, String)> = Vec::new();
    for (i, d) in input.prefixes.iter().flatten().enumerate() {
        let prefix = d.prefix.trim().to_ascii_uppercase();
        if !DOC_TYPES.contains(&d.doc_type.as_str()) {
            errors.insert(format!("prefixes[{i}].doc_type"), FieldError::Invalid);
        } else if let Err(e) = check_prefix(&prefix) {
            errors.insert(format!("prefixes[{i}].prefix"), e);
        } else {
            prefixes.push((d.doc_type.clone(), prefix));
        }
    }
    // two kinds of document under one prefix would read as one series
    let mut shown: Vec<String> = before
        .prefixes
        .iter()
        .map(|d| {
            prefixes
                .iter()
                .find(|(k, _)| *k == d.doc_type)
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| d.prefix.clone())
        })
        .collect();
    shown.sort();
    if shown.windows(2).any(|w| w[0] == w[1]) {
        errors.insert("prefixes".into(), FieldError::Duplicate);
    }
    validation(errors)?;
    repo::update_settings(
        tx,
        &repo::SettingsChange {
            name,
            currency: currency.as_deref(),
            timezone: time_zone,
            default_language: language,
            number_format,
            fiscal_year_start_month: input.fiscal_year_start_month,
            invoice_price_tolerance_pct: input.invoice_price_tolerance_pct.map(|d| d.normalize()),
            invoice_price_tolerance_abs: input.invoice_price_tolerance_abs.map(|d| d.normalize()),
        },
    )
    .await?;
    for (kind, prefix) in &prefixes {
        repo::set_prefix(tx, p.tenant_id, kind, prefix).await?;
    }
    if let Some(roles) = input.require_totp_roles {
        crate::platform::two_factor::set_policy(tx, state, ctx, roles).await?;
    }
    if input.setup_completed == Some(true) {
        repo::complete_setup(tx).await?;
    }
    let after = get_settings(tx, ctx).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "tenant", p.tenant_id, Some(before), &after),
    )
    .await?;
    Ok(after)
}

/// The first administrator finished (or skipped the rest of) the setup wizard.
pub async fn complete_setup(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<()> {
    let p = manager(ctx)?;
    repo::complete_setup(tx).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "complete_setup",
            entity: "tenant",
            entity_id: Some(p.tenant_id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    Ok(())
}

fn company_of(r: repo::CompanyRow) -> Company {
    Company {
        id: r.id,
        name: r.name,
        legal_name: r.legal_name,
        tax_id: r.tax_id,
        address: r.address,
    }
}

pub async fn list_companies(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Company>> {
    ctx.principal()?;
    Ok(repo::companies(tx)
        .await?
        .into_iter()
        .map(company_of)
        .collect())
}

pub async fn get_company(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Company> {
    ctx.principal()?;
    repo::company(tx, id)
        .await?
        .map(company_of)
        .ok_or(AppError::NotFound)
}

/// A GSTIN when it has a GSTIN's shape (its check character verified), otherwise free text: the
/// tax id of a company outside India.
fn clean_tax_id(v: Option<String>) -> Result<Option<String>, FieldError> {
    match blank_to_none(v) {
        None => Ok(None),
        Some(t) => {
            let upper = t.to_ascii_uppercase();
            if upper.len() == 15 && upper.chars().all(|c| c.is_ascii_alphanumeric()) {
                upper
                    .parse::<Gstin>()
                    .map(|g| Some(g.as_str().to_string()))
                    .map_err(|_| FieldError::Checksum)
            } else if t.chars().count() > 50 {
                Err(FieldError::TooLong)
            } else {
                Ok(Some(t))
            }
        }
    }
}

/// Creates (`id` none) or changes a company.
pub async fn save_company(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: CompanyInput,
) -> AppResult<Company> {
    let p = manager(ctx)?;
    let mut errors = BTreeMap::new();
    if let Err(e) = check_name(&input.name) {
        errors.insert("name".into(), e);
    }
    let tax_id = clean_tax_id(input.tax_id).unwrap_or_else(|e| {
        errors.insert("tax_id".into(), e);
        None
    });
    validation(errors)?;
    let legal_name = blank_to_none(input.legal_name);
    let address = blank_to_none(input.address);
    let values = repo::CompanyValues {
        name: input.name.trim(),
        legal_name: legal_name.as_deref(),
        tax_id: tax_id.as_deref(),
        address: address.as_deref(),
    };
    let (id, old) = match id {
        Some(id) => {
            let old = repo::company(tx, id).await?.ok_or(AppError::NotFound)?;
            repo::update_company(tx, id, &values).await?;
            (id, Some(company_of(old)))
        }
        None => (repo::insert_company(tx, p.tenant_id, &values).await?, None),
    };
    let saved = get_company(tx, ctx, id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "company", id, old, &saved),
    )
    .await?;
    Ok(saved)
}

fn plant_of(r: repo::PlantRow) -> Plant {
    Plant {
        id: r.id,
        code: r.code,
        name: r.name,
        company_id: r.company_id,
        state_code: r.state_code,
        gstin: r.gstin,
        address: r.address,
        active: r.active,
    }
}

/// Every plant of the tenant (any signed-in user: pickers show them).
pub async fn list_plants(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Plant>> {
    ctx.principal()?;
    Ok(repo::plants(tx).await?.into_iter().map(plant_of).collect())
}

pub async fn get_plant(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Plant> {
    ctx.principal()?;
    repo::plant(tx, id)
        .await?
        .map(plant_of)
        .ok_or(AppError::NotFound)
}

/// Creates (`id` none) or changes a plant (`plant:manage`). Its code is the PLANT part of a UID
/// (3 letters or digits); a GSTIN gives the state when none is given, and must agree with one.
pub async fn save_plant(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: PlantInput,
) -> AppResult<Plant> {
    let p = ctx.principal()?;
    p.require("plant:manage")?;
    let mut errors = BTreeMap::new();
    let code = input.code.trim().to_ascii_uppercase();
    if let Err(e) = code.parse::<crate::types::PlantCode>() {
        errors.insert("code".into(), e);
    }
    if let Err(e) = check_name(&input.name) {
        errors.insert("name".into(), e);
    }
    // a mistyped GSTIN is caught by its check character; a state beside it must be its own
    let gstin = match blank_to_none(input.gstin) {
        None => None,
        Some(g) => match g.to_ascii_uppercase().parse::<Gstin>() {
            Ok(g) => Some(g),
            Err(e) => {
                errors.insert("gstin".into(), e);
                None
            }
        },
    };
    let state_code = match state_of(gstin.as_ref(), blank_to_none(input.state_code).as_deref()) {
        Ok(s) => s,
        Err(e) => {
            errors.insert("state_code".into(), e);
            None
        }
    };
    let company_id = match input.company_id {
        Some(c) => Some(c),
        None => repo::companies(tx).await?.first().map(|c| c.id),
    };
    if company_id.is_none() {
        errors.insert("company_id".into(), FieldError::UnknownReference);
    }
    let old = match id {
        Some(id) => Some(repo::plant(tx, id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    if let (Some(c), None) = (company_id, errors.get("company_id")) {
        if repo::company(tx, c).await?.is_none() {
            errors.insert("company_id".into(), FieldError::UnknownReference);
        }
    }
    validation(errors)?;
    let address = blank_to_none(input.address);
    let values = repo::PlantValues {
        code: &code,
        name: input.name.trim(),
        company_id: company_id.ok_or(AppError::Internal)?,
        state_code: state_code.as_deref(),
        gstin: gstin.as_ref().map(Gstin::as_str),
        address: address.as_deref(),
        active: input.active.unwrap_or(true),
        timezone: &p.user.tenant.timezone,
    };
    let unique = [("plants_tenant_id_code_key", "code")];
    let id = match id {
        Some(id) => {
            repo::update_plant(tx, id, &values)
                .await
                .map_err(|e| on_constraint(e, &unique))?;
            id
        }
        None => repo::insert_plant(tx, p.tenant_id, &values)
            .await
            .map_err(|e| on_constraint(e, &unique))?,
    };
    let saved = get_plant(tx, ctx, id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "plant", id, old.map(plant_of), &saved),
    )
    .await?;
    Ok(saved)
}

fn department_of(r: repo::DepartmentRow) -> Department {
    Department {
        id: r.id,
        code: r.code,
        name: r.name,
        plant_id: r.plant_id,
    }
}

pub async fn list_departments(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Department>> {
    ctx.principal()?;
    Ok(repo::departments(tx)
        .await?
        .into_iter()
        .map(department_of)
        .collect())
}

pub async fn get_department(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Department> {
    ctx.principal()?;
    repo::department(tx, id)
        .await?
        .map(department_of)
        .ok_or(AppError::NotFound)
}

/// Creates (`id` none) or changes a department.
pub async fn save_department(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: DepartmentInput,
) -> AppResult<Department> {
    let p = manager(ctx)?;
    let code = input.code.trim().to_ascii_uppercase();
    let mut errors = BTreeMap::new();
    if let Err(e) = check_code(&code) {
        errors.insert("code".into(), e);
    }
    if let Err(e) = check_name(&input.name) {
        errors.insert("name".into(), e);
    }
    if let Some(plant) = input.plant_id {
        if repo::plant(tx, plant).await?.is_none() {
            errors.insert("plant_id".into(), FieldError::UnknownReference);
        }
    }
    let old = match id {
        Some(id) => Some(repo::department(tx, id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    validation(errors)?;
    let unique = [("departments_tenant_id_code_key", "code")];
    let name = input.name.trim();
    let id = match id {
        Some(id) => {
            repo::update_department(tx, id, &code, name, input.plant_id)
                .await
                .map_err(|e| on_constraint(e, &unique))?;
            id
        }
        None => repo::insert_department(tx, p.tenant_id, &code, name, input.plant_id)
            .await
            .map_err(|e| on_constraint(e, &unique))?,
    };
    let saved = get_department(tx, ctx, id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "department", id, old.map(department_of), &saved),
    )
    .await?;
    Ok(saved)
}

fn cost_centre_of(r: repo::CostCentreRow) -> CostCentre {
    CostCentre {
        id: r.id,
        code: r.code,
        name: r.name,
        department_id: r.department_id,
        active: r.active,
    }
}

pub async fn list_cost_centres(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<CostCentre>> {
    ctx.principal()?;
    Ok(repo::cost_centres(tx)
        .await?
        .into_iter()
        .map(cost_centre_of)
        .collect())
}

pub async fn get_cost_centre(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<CostCentre> {
    ctx.principal()?;
    repo::cost_centre(tx, id)
        .await?
        .map(cost_centre_of)
        .ok_or(AppError::NotFound)
}

/// Creates (`id` none) or changes a cost centre.
pub async fn save_cost_centre(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: CostCentreInput,
) -> AppResult<CostCentre> {
    let p = manager(ctx)?;
    let code = input.code.trim().to_ascii_uppercase();
    let mut errors = BTreeMap::new();
    if let Err(e) = check_code(&code) {
        errors.insert("code".into(), e);
    }
    if let Err(e) = check_name(&input.name) {
        errors.insert("name".into(), e);
    }
    if let Some(d) = input.department_id {
        if repo::department(tx, d).await?.is_none() {
            errors.insert("department_id".into(), FieldError::UnknownReference);
        }
    }
    let old = match id {
        Some(id) => Some(repo::cost_centre(tx, id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    validation(errors)?;
    let unique = [("cost_centres_tenant_id_code_key", "code")];
    let name = input.name.trim();
    let active = input.active.unwrap_or(true);
    let id = match id {
        Some(id) => {
            repo::update_cost_centre(tx, id, &code, name, input.department_id, active)
                .await
                .map_err(|e| on_constraint(e, &unique))?;
            id
        }
        None => repo::insert_cost_centre(tx, p.tenant_id, &code, name, input.department_id, active)
            .await
            .map_err(|e| on_constraint(e, &unique))?,
    };
    let saved = get_cost_centre(tx, ctx, id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(
            p.user_id,
            "cost_centre",
            id,
            old.map(cost_centre_of),
            &saved,
        ),
    )
    .await?;
    Ok(saved)
}
