//! The chart of accounts: read by everyone who keeps or reads the books, changed by an accountant
//! (`accounting:manage`), made from a template for a new tenant, and importable from CSV.
use super::can_read;
use crate::error::{on_constraint, AppError, AppResult, FieldError};
use crate::finance::model::{Account, AccountInput, AccountKind, Control};
use crate::finance::repo::accounts as repo;
use crate::finance::templates;
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

fn to_account(r: repo::AccountRow) -> Account {
    Account {
        id: r.id,
        code: r.code,
        name: r.name,
        kind: AccountKind::parse(&r.kind).unwrap_or(AccountKind::Asset),
        is_group: r.is_group,
        parent_id: r.parent_id,
        control: r.control.as_deref().and_then(Control::parse),
        plant_id: r.plant_id,
        currency: r.currency,
        tally_name: r.tally_name,
        active: r.active,
        depth: r.depth,
    }
}

/// The whole chart in tree order.
pub async fn list(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Account>> {
    can_read(ctx)?;
    Ok(repo::chart(tx).await?.into_iter().map(to_account).collect())
}

pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Account> {
    can_read(ctx)?;
    repo::account(tx, id)
        .await?
        .map(to_account)
        .ok_or(AppError::NotFound)
}

fn code_ok(code: &str) -> bool {
    let b = code.as_bytes();
    !b.is_empty()
        && b.len() <= 20
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// The input's values checked field by field (the tree and uniqueness are checked against the
/// chart by the caller).
struct Checked {
    code: String,
    name: String,
    kind: AccountKind,
    control: Option<Control>,
    currency: Option<String>,
    tally_name: Option<String>,
}

fn check(input: &AccountInput, prefix: &str) -> Result<Checked, BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let f = |n: &str| format!("{prefix}{n}");
    let code = input.code.trim().to_string();
    if code.is_empty() {
        e.insert(f("code"), FieldError::Required);
    } else if !code_ok(&code) {
        e.insert(f("code"), FieldError::Invalid);
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        e.insert(f("name"), FieldError::Required);
    } else if name.chars().count() > 200 {
        e.insert(f("name"), FieldError::TooLong);
    }
    let kind = AccountKind::parse(input.kind.trim());
    if kind.is_none() {
        e.insert(f("kind"), FieldError::Invalid);
    }
    let control = match input
        .control
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => match Control::parse(c) {
            Some(c) if !input.is_group => Some(c),
            _ => {
                e.insert(f("control"), FieldError::Invalid);
                None
            }
        },
    };
    if input.plant_id.is_some() && control != Some(Control::Inventory) {
        e.insert(f("plant_id"), FieldError::Invalid);
    }
    let currency = match input
        .currency
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => match c.parse::<crate::types::Currency>() {
            Ok(c) => Some(c.code().to_string()),
            Err(err) => {
                e.insert(f("currency"), err);
                None
            }
        },
    };
    let tally_name = input
        .tally_name
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    if tally_name.as_ref().is_some_and(|t| t.chars().count() > 200) {
        e.insert(f("tally_name"), FieldError::TooLong);
    }
    match (e.is_empty(), kind) {
        (true, Some(kind)) => Ok(Checked {
            code,
            name,
            kind,
            control,
            currency,
            tally_name,
        }),
        _ => Err(e),
    }
}

/// Creates (`id` none) or changes an account or group. The parent must be a group of the same
/// kind, never the account itself or one of its members; an account that has postings keeps
/// its kind and stays an account; a group with members stays a group; a role is held by one
/// account (per plant for inventory).
pub async fn save(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: AccountInput,
) -> AppResult<Account> {
    let p = ctx.principal()?;
    p.require("accounting:manage")?;
    let c = check(&input, "").map_err(AppError::Validation)?;
    repo::lock_chart(tx, p.tenant_id).await?;
    if let Some(parent) = input.parent_id {
        match repo::account(tx, parent).await? {
            Some(g) if g.is_group && g.kind == c.kind.as_str() && Some(parent) != id => {}
            Some(g) if g.is_group && Some(parent) != id => {
                return Err(AppError::field("kind", FieldError::Mismatch))
            }
            _ => return Err(AppError::field("parent_id", FieldError::Invalid)),
        }
    }
    if let Some(plant) = input.plant_id {
        if repo::known_plants(tx, &[plant]).await?.is_empty() {
            return Err(AppError::field("plant_id", FieldError::UnknownReference));
        }
    }
    if let Some(id) = id {
        let old = repo::account(tx, id).await?.ok_or(AppError::NotFound)?;
        let posted = repo::has_postings(tx, id).await?;
        if posted && (old.kind != c.kind.as_str() || input.is_group) {
            return Err(AppError::field("kind", FieldError::Locked));
        }
        if old.is_group && !input.is_group && repo::has_children(tx, id).await? {
            return Err(AppError::field("is_group", FieldError::Locked));
        }
    }
    let row = repo::NewAccount {
        tenant_id: p.tenant_id,
        code: &c.code,
        name: &c.name,
        kind: c.kind.as_str(),
        is_group: input.is_group,
        parent_id: input.parent_id,
        control: c.control.map(Control::as_str),
        plant_id: input.plant_id,
        currency: c.currency.as_deref(),
        tally_name: c.tally_name.as_deref(),
        active: input.active,
    };
    let fields = [
        ("accounts_tenant_id_code_key", "code"),
        ("accounts_control_once", "control"),
    ];
    let saved = match id {
        None => repo::insert_account(tx, &row)
            .await
            .map_err(|e| tree_error(e, &fields))?,
        Some(id) => {
            repo::update_account(tx, id, &row)
                .await
                .map_err(|e| tree_error(e, &fields))?;
            id
        }
    };
    crate::platform::audit::record(
        tx,
        p.tenant_id,
        ctx,
        crate::platform::audit::Entry {
            user_id: Some(p.user_id),
            action: if id.is_some() {
                "account.update"
            } else {
                "account.create"
            },
            entity: "account",
            entity_id: Some(saved.to_string()),
            old: None,
            new: serde_json::to_value(&input).ok(),
        },
    )
    .await?;
    get(tx, ctx, saved).await
}

/// The tree's own refusals (a cycle, a parent of another kind) as field errors.
fn tree_error(err: sqlx::Error, fields: &[(&str, &str)]) -> AppError {
    if let sqlx::Error::Database(db) = &err {
        match db.constraint() {
            Some("accounts_cycle") => return AppError::field("parent_id", FieldError::Cycle),
            Some("accounts_parent_group") => {
                return AppError::field("parent_id", FieldError::Invalid)
            }
            Some("accounts_parent_kind") => return AppError::field("kind", FieldError::Mismatch),
            _ => {}
        }
    }
    on_constraint(err, fields)
}

/// Accounts from CSV (`code,name,kind,parent_code,is_group,control`, a header row first): a
/// code already in the chart is changed, a new one added; parents may come earlier in the file or
/// be in the chart. All rows or none: every bad row is reported (`rows[3].kind`).
pub async fn import_csv(tx: &mut Tx, ctx: &RequestCtx, text: &str) -> AppResult<usize> {
    let p = ctx.principal()?;
    p.require("accounting:manage")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| AppError::field("file", FieldError::Invalid))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(code_c), Some(name_c), Some(kind_c)) = (col("code"), col("name"), col("kind")) else {
        return Err(AppError::field("file", FieldError::Invalid));
    };
    let (parent_c, group_c, control_c) = (col("parent_code"), col("is_group"), col("control"));
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|_| AppError::field(&format!("rows[{i}]"), FieldError::Invalid))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_string();
        rows.push((
            AccountInput {
                code: get(Some(code_c)),
                name: get(Some(name_c)),
                kind: get(Some(kind_c)).to_ascii_lowercase(),
                is_group: matches!(
                    get(group_c).to_ascii_lowercase().as_str(),
                    "true" | "yes" | "1" | "y"
                ),
                control: Some(get(control_c)).filter(|c| !c.is_empty()),
                active: true,
                ..Default::default()
            },
            get(parent_c),
        ));
    }
    if rows.is_empty() {
        return Err(AppError::field("file", FieldError::NoLines));
    }
    if rows.len() > 5000 {
        return Err(AppError::field("file", FieldError::TooLong));
    }
    let mut e = BTreeMap::new();
    for (i, (input, _)) in rows.iter().enumerate() {
        if let Err(errs) = check(input, &format!("rows[{i}].")) {
            e.extend(errs);
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let mut made: HashMap<String, Uuid> = HashMap::new();
    for (i, (mut input, parent_code)) in rows.into_iter().enumerate() {
        if !parent_code.is_empty() {
            let parent = match made.get(&parent_code) {
                Some(id) => Some(*id),
                None => repo::account_by_code(tx, &parent_code).await?,
            };
            match parent {
                Some(id) => input.parent_id = Some(id),
                None => {
                    return Err(AppError::field(
                        &format!("rows[{i}].parent_code"),
                        FieldError::UnknownReference,
                    ))
                }
            }
        }
        let existing = repo::account_by_code(tx, input.code.trim()).await?;
        let code = input.code.trim().to_string();
        let saved = save(tx, ctx, existing, input)
            .await
            .map_err(|err| match err {
                AppError::Validation(fields) => AppError::Validation(
                    fields
                        .into_iter()
                        .map(|(k, v)| (format!("rows[{i}].{k}"), v))
                        .collect(),
                ),
                other => other,
            })?;
        made.insert(code, saved.id);
    }
    Ok(made.len())
}

/// Writes the template for `currency` into a tenant with no chart yet, in `tx`.
pub(crate) async fn apply_template(tx: &mut Tx, tenant_id: Uuid, currency: &str) -> AppResult<()> {
    let mut ids: HashMap<&str, Uuid> = HashMap::new();
    for t in templates::for_currency(currency) {
        let id = repo::insert_account(
            tx,
            &repo::NewAccount {
                tenant_id,
                code: t.code,
                name: t.name,
                kind: t.kind,
                is_group: t.group,
                parent_id: t.parent.and_then(|p| ids.get(p).copied()),
                control: t.control,
                plant_id: None,
                currency: None,
                tally_name: None,
                active: true,
            },
        )
        .await?;
        ids.insert(t.code, id);
    }
    Ok(())
}
