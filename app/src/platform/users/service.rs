//! The rules of keeping users and roles. Every function checks the caller's permission
//! (`user:manage` for users, `role:manage` for roles) and runs in the caller's transaction; a
//! change to who holds what drops the signed-in users kept by every instance (the tables'
//! triggers announce it; this instance drops its own at once after the commit), so it applies at
//! the holders' next request.
use super::{
    email_ok, username_of, ImportOutcome, Named, NewUser, PermissionInfo, RoleInput, RoleView,
    UserChoices, UserFilter, UserUpdate, UserView, INVITE_HOURS, RESET_HOURS,
};
use crate::error::{AppError, AppResult, FieldError, Refusal};
use crate::i18n::Locale;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::outbox::{self, Email};
use crate::platform::paging::Page;
use crate::platform::permission::{allowed_scopes, Grant, ADMINISTRATION, CATALOGUE};
use crate::platform::repo::admin::{self as repo, INVITED};
use crate::platform::{password, repo as platform_repo};
use chrono::{Duration, Utc};
use leptos_i18n::td_string;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn require_users(ctx: &RequestCtx) -> AppResult<&crate::platform::context::Principal> {
    let p = ctx.principal()?;
    p.require("user:manage")?;
    Ok(p)
}

fn require_roles(ctx: &RequestCtx) -> AppResult<&crate::platform::context::Principal> {
    let p = ctx.principal()?;
    p.require("role:manage")?;
    Ok(p)
}

/// Who holds what changed: this instance forgets its signed-in users of the tenant once the
/// change is committed (the others hear it from the tables' triggers).
fn forget_principals(tx: &mut Tx, state: &AppState, tenant: Uuid) {
    let caches = state.caches.clone();
    tx.after_commit(async move { caches.principals.invalidate(tenant) });
}

fn view_of(r: repo::UserRow) -> UserView {
    let named = |id: Option<Uuid>, name: Option<String>| match (id, name) {
        (Some(id), Some(name)) => Some(Named { id, name }),
        _ => None,
    };
    UserView {
        id: r.id,
        username: r.username,
        display_name: r.display_name,
        email: r.email,
        language: r.language,
        active: r.active,
        locked: r.locked_until.is_some_and(|t| t > Utc::now()),
        locked_until: r.locked_until,
        totp_enabled: r.totp_enabled,
        invited: r.invited,
        roles: r.roles,
        manager: named(r.manager_id, r.manager_name),
        department: named(r.department_id, r.department_name),
        plant: named(r.plant_id, r.plant_name),
        last_login_at: r.last_login_at,
    }
}

/// `%…%` for `ilike`, the pattern characters of the text taken literally.
fn pattern_of(q: &str) -> Option<String> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    let mut p = String::from("%");
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    Some(p)
}

pub async fn list_users(
    tx: &mut Tx,
    ctx: &RequestCtx,
    filter: UserFilter,
    page: u32,
    per_page: u32,
) -> AppResult<Page<UserView>> {
    require_users(ctx)?;
    if filter.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::field("q", FieldError::TooLong));
    }
    let pattern = filter.q.as_deref().and_then(pattern_of);
    let role = filter
        .role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let total = repo::count_users(tx, pattern.as_deref(), filter.active, role).await?;
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let rows = repo::list_users(
        tx,
        pattern.as_deref(),
        filter.active,
        role,
        i64::from(per_page),
        offset,
    )
    .await?;
    Ok(Page {
        rows: rows.into_iter().map(view_of).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    })
}

pub async fn get_user(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<UserView> {
    require_users(ctx)?;
    repo::user_by_id(tx, id)
        .await?
        .map(view_of)
        .ok_or(AppError::NotFound)
}

/// What the user form chooses from.
pub async fn choices(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<UserChoices> {
    require_users(ctx)?;
    let named = |(id, code, name): (Uuid, String, String)| Named {
        id,
        name: format!("{name} ({code})"),
    };
    Ok(UserChoices {
        departments: repo::departments(tx)
            .await?
            .into_iter()
            .map(named)
            .collect(),
        plants: repo::plants(tx).await?.into_iter().map(named).collect(),
        managers: repo::user_names(tx)
            .await?
            .into_iter()
            .filter(|u| u.3)
            .map(|(id, username, name, _)| Named {
                id,
                name: format!("{name} ({username})"),
            })
            .collect(),
        roles: repo::list_roles(tx)
            .await?
            .into_iter()
            .map(|r| r.name)
            .collect(),
    })
}

/// The facts of a user checked alike for creation, editing and import; field errors by name.
struct Checked {
    display_name: String,
    email: String,
    language: Option<&'static str>,
}

fn check_facts(
    display_name: &str,
    email: &str,
    language: Option<&str>,
    errors: &mut BTreeMap<String, FieldError>,
    key: &dyn Fn(&str) -> String,
) -> Checked {
    let display_name = display_name.trim().to_string();
    if display_name.is_empty() {
        errors.insert(key("display_name"), FieldError::Required);
    } else if display_name.chars().count() > 200 {
        errors.insert(key("display_name"), FieldError::TooLong);
    }
    let email = email.trim().to_string();
    if email.is_empty() {
        errors.insert(key("email"), FieldError::Required);
    } else if !email_ok(&email) {
        errors.insert(key("email"), FieldError::Invalid);
    }
    let language = match language.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => match crate::platform::service::validate_language(l) {
            Ok(l) => Some(l),
            Err(_) => {
                errors.insert(key("language"), FieldError::UnknownLanguage);
                None
            }
        },
    };
    Checked {
        display_name,
        email,
        language,
    }
}

/// The roles named, as ids; an unknown name is `roles[i]`.
async fn role_ids(
    tx: &mut Tx,
    names: &[String],
    errors: &mut BTreeMap<String, FieldError>,
) -> AppResult<(Vec<Uuid>, Vec<String>)> {
    let wanted: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
    let found = repo::roles_named(tx, &wanted).await?;
    let mut ids = Vec::new();
    let mut kept = BTreeSet::new();
    for (i, name) in wanted.iter().enumerate() {
        match found.iter().find(|(_, n)| n == name) {
            Some((id, n)) => {
                if kept.insert(n.clone()) {
                    ids.push(*id);
                }
            }
            None => {
                errors.insert(format!("roles[{i}]"), FieldError::UnknownReference);
            }
        }
    }
    Ok((ids, kept.into_iter().collect()))
}

/// The references of a user (manager, department, plant) exist in the company; the manager is
/// an active user other than the user.
async fn check_references(
    tx: &mut Tx,
    user: Option<Uuid>,
    manager: Option<Uuid>,
    department: Option<Uuid>,
    plant: Option<Uuid>,
    errors: &mut BTreeMap<String, FieldError>,
) -> AppResult<()> {
    if let Some(m) = manager {
        if Some(m) == user {
            errors.insert("manager_id".into(), FieldError::Invalid);
        } else if !repo::user_names(tx).await?.iter().any(|u| u.0 == m && u.3) {
            errors.insert("manager_id".into(), FieldError::UnknownReference);
        }
    }
    if let Some(d) = department {
        if !repo::departments(tx).await?.iter().any(|r| r.0 == d) {
            errors.insert("department_id".into(), FieldError::UnknownReference);
        }
    }
    if let Some(pl) = plant {
        if !repo::plants(tx).await?.iter().any(|r| r.0 == pl) {
            errors.insert("plant_id".into(), FieldError::UnknownReference);
        }
    }
    Ok(())
}

fn taken_username(e: sqlx::Error) -> AppError {
    match crate::error::unique_violation(&e) {
        Some("users_tenant_id_username_key") => AppError::Taken("username".into()),
        _ => e.into(),
    }
}

/// Creates a user with a password, or invites them: a single-use link to choose one (72 h),
/// e-mailed in their language.
pub async fn create_user(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    input: NewUser,
) -> AppResult<UserView> {
    let p = require_users(ctx)?;
    let mut errors = BTreeMap::new();
    let username = username_of(&input.username)
        .map_err(|e| errors.insert("username".into(), e))
        .ok();
    let facts = check_facts(
        &input.display_name,
        &input.email,
        input.language.as_deref(),
        &mut errors,
        &|f| f.to_string(),
    );
    let password = input.password.as_deref().filter(|p| !p.is_empty());
    if let (Some(pw), Some(u)) = (password, &username) {
        if let Err(e) = password::check_policy(pw, u) {
            errors.insert("password".into(), e);
        }
    }
    let (role_ids, role_names) = role_ids(tx, &input.roles, &mut errors).await?;
    check_references(
        tx,
        None,
        input.manager_id,
        input.department_id,
        input.plant_id,
        &mut errors,
    )
    .await?;
    let Some(username) = username.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let language = facts
        .language
        .map(str::to_string)
        .unwrap_or_else(|| p.user.tenant.default_language.clone());
    let hash = match password {
        Some(pw) => password::hash(pw.to_string()).await?,
        None => INVITED.to_string(),
    };
    let id = repo::insert_user(
        tx,
        &repo::NewUserRow {
            tenant_id: p.tenant_id,
            username: &username,
            email: &facts.email,
            display_name: &facts.display_name,
            password_hash: &hash,
            language: &language,
            manager_id: input.manager_id,
            department_id: input.department_id,
            plant_id: input.plant_id,
        },
    )
    .await
    .map_err(taken_username)?;
    repo::add_roles(tx, p.tenant_id, id, &role_ids).await?;
    if password.is_none() {
        send_link(tx, ctx, id, Link::Invite).await?;
    }
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "create",
            entity: "user",
            entity_id: Some(id.to_string()),
            old: None,
            new: Some(serde_json::json!({
                "username": username, "display_name": facts.display_name, "email": facts.email,
                "language": language, "roles": role_names, "manager_id": input.manager_id,
                "department_id": input.department_id, "plant_id": input.plant_id,
                "invited": password.is_none(),
            })),
        },
    )
    .await?;
    forget_principals(tx, state, p.tenant_id);
    get_user(tx, ctx, id).await
}

/// Runs `change` and refuses it (rolled back with the caller's transaction) when it leaves the
/// company without an active user holding the administration permissions while it had one.
async fn keeping_an_administrator<T>(
    tx: &mut Tx,
    tenant: Uuid,
    change: impl for<'t> FnOnce(&'t mut Tx) -> crate::platform::tx::Work<'t, T>,
) -> AppResult<T> {
    let perms: Vec<String> = ADMINISTRATION.iter().map(|s| s.to_string()).collect();
    repo::lock_administration(tx, tenant).await?;
    let before = repo::administrators(tx, &perms).await?;
    let value = change(tx).await?;
    let after = repo::administrators(tx, &perms).await?;
    if before > 0 && after == 0 {
        return Err(AppError::Refused(Refusal::LastAdministrator));
    }
    Ok(value)
}

pub async fn update_user(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    input: UserUpdate,
) -> AppResult<UserView> {
    let p = require_users(ctx)?;
    let old = repo::user_by_id(tx, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = BTreeMap::new();
    let facts = check_facts(
        &input.display_name,
        &input.email,
        input.language.as_deref(),
        &mut errors,
        &|f| f.to_string(),
    );
    let (role_ids, role_names) = role_ids(tx, &input.roles, &mut errors).await?;
    check_references(
        tx,
        Some(id),
        input.manager_id,
        input.department_id,
        input.plant_id,
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let language = facts
        .language
        .map(str::to_string)
        .unwrap_or_else(|| old.language.clone());
    let tenant = p.tenant_id;
    let (display_name, email) = (facts.display_name.clone(), facts.email.clone());
    let (manager, department, plant) = (input.manager_id, input.department_id, input.plant_id);
    let lang = language.clone();
    let ids = role_ids.clone();
    keeping_an_administrator(tx, tenant, move |tx| {
        Box::pin(async move {
            repo::update_user(
                tx,
                id,
                &repo::UserFacts {
                    display_name: &display_name,
                    email: &email,
                    language: &lang,
                    manager_id: manager,
                    department_id: department,
                    plant_id: plant,
                },
            )
            .await?
            .ok_or(AppError::NotFound)?;
            repo::remove_roles_except(tx, id, &ids).await?;
            repo::add_roles(tx, tenant, id, &ids).await?;
            Ok(())
        })
    })
    .await?;
    audit::record(
        tx,
        tenant,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: if old.roles != role_names {
                "update_roles"
            } else {
                "update"
            },
            entity: "user",
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({
                "display_name": old.display_name, "email": old.email, "language": old.language,
                "roles": old.roles, "manager_id": old.manager_id,
                "department_id": old.department_id, "plant_id": old.plant_id,
            })),
            new: Some(serde_json::json!({
                "display_name": facts.display_name, "email": facts.email, "language": language,
                "roles": role_names, "manager_id": input.manager_id,
                "department_id": input.department_id, "plant_id": input.plant_id,
            })),
        },
    )
    .await?;
    forget_principals(tx, state, tenant);
    get_user(tx, ctx, id).await
}

/// Deactivates a user: their sessions stop working at their next request (a deactivated user
/// is no one), their API tokens are revoked at once. Nobody deactivates themselves, and the
/// last active administrator stays.
pub async fn deactivate(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<UserView> {
    let p = require_users(ctx)?;
    if id == p.user_id {
        // another tenant's id is not found, one's own refused
        return Err(AppError::Refused(Refusal::OwnAccount));
    }
    let tenant = p.tenant_id;
    let (was, revoked) = keeping_an_administrator(tx, tenant, move |tx| {
        Box::pin(async move {
            let was = repo::set_active(tx, id, false)
                .await?
                .ok_or(AppError::NotFound)?;
            let revoked = repo::revoke_tokens_of(tx, id).await?;
            Ok((was, revoked))
        })
    })
    .await?;
    audit::record(
        tx,
        tenant,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "deactivate",
            entity: "user",
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({ "active": was })),
            new: Some(serde_json::json!({ "active": false, "tokens_revoked": revoked })),
        },
    )
    .await?;
    // every session of theirs ends now (not only at its next request), so a reactivation does
    // not bring an old one back
    crate::platform::sessions::end_all(tx, state, id, None).await?;
    forget_principals(tx, state, tenant);
    get_user(tx, ctx, id).await
}

pub async fn activate(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<UserView> {
    let p = require_users(ctx)?;
    let was = repo::set_active(tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "activate",
            entity: "user",
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({ "active": was })),
            new: Some(serde_json::json!({ "active": true })),
        },
    )
    .await?;
    forget_principals(tx, state, p.tenant_id);
    get_user(tx, ctx, id).await
}

/// Lifts a lock after failed sign-ins (and forgets the failures).
pub async fn unlock(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<UserView> {
    let p = require_users(ctx)?;
    let was = repo::unlock(tx, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "unlock",
            entity: "user",
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({ "locked_until": was })),
            new: Some(serde_json::json!({ "locked_until": null })),
        },
    )
    .await?;
    get_user(tx, ctx, id).await
}

/// E-mails the user a link to choose a new password (valid one hour, once); a user invited who
/// has not chosen one yet gets a new invitation (72 hours). 422 for a deactivated user.
pub async fn send_password_reset(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let p = require_users(ctx)?;
    let user = repo::user_by_id(tx, id).await?.ok_or(AppError::NotFound)?;
    if !user.active {
        return Err(AppError::InvalidState);
    }
    let link = if user.invited {
        Link::Invite
    } else {
        Link::Reset
    };
    send_link(tx, ctx, id, link).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: match link {
                Link::Invite => "invite",
                Link::Reset => "send_password_reset",
            },
            entity: "user",
            entity_id: Some(id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Invite,
    Reset,
}

/// Writes the link's token and its e-mail, in the user's language, through the outbox.
async fn send_link(tx: &mut Tx, ctx: &RequestCtx, user_id: Uuid, link: Link) -> AppResult<()> {
    let p = ctx.principal()?;
    let user = repo::user_by_id(tx, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = crate::platform::onboarding::new_token();
    let (purpose, valid) = match link {
        Link::Invite => ("invite", Duration::hours(INVITE_HOURS)),
        Link::Reset => ("password_reset", Duration::hours(RESET_HOURS)),
    };
    platform_repo::tenants::insert_user_token(
        tx,
        p.tenant_id,
        user_id,
        purpose,
        &crate::platform::service::token_hash(&token),
        Utc::now() + valid,
    )
    .await?;
    let l: Locale = user.language.parse().unwrap_or_default();
    let url = format!("{}/password-reset?token={token}", outbox::public_url());
    let (subject, body) = match link {
        Link::Invite => (
            td_string!(l, users.invite_subject),
            td_string!(l, users.invite_body),
        ),
        Link::Reset => (
            td_string!(l, users.reset_subject),
            td_string!(l, users.reset_body),
        ),
    };
    let text = format!(
        "{} {},\n\n{}\n\n{url}\n\n{}: {}\n{}: {}\n\n{}",
        td_string!(l, users.mail_hello),
        user.display_name,
        body,
        td_string!(l, users.mail_company_code),
        p.user.tenant.slug,
        td_string!(l, users.mail_username),
        user.username,
        match link {
            Link::Invite => td_string!(l, users.invite_expiry),
            Link::Reset => td_string!(l, users.reset_expiry),
        },
    );
    outbox::enqueue(
        tx,
        p.tenant_id,
        Email {
            to: &user.email,
            to_name: Some(&user.display_name),
            subject: &format!("{subject} — {}", p.user.tenant.name),
            body: &text,
            attachment: None,
            doc_type: None,
            doc_id: None,
        },
    )
    .await?;
    Ok(())
}

/// Imports users from CSV: every row, each invited by e-mail, or none, with every error by line
/// and column (`line[3].email`; line 1 is the header).
pub async fn import_users(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    csv_text: &str,
) -> AppResult<ImportOutcome> {
    let p = require_users(ctx)?;
    let known_roles: Vec<String> = repo::list_roles(tx)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    let departments = repo::departments(tx).await?;
    let plants = repo::plants(tx).await?;
    let users = repo::user_names(tx).await?;
    let rows = super::import::parse(
        csv_text,
        &super::import::Known {
            roles: &known_roles,
            departments: &departments
                .iter()
                .map(|d| (d.1.clone(), d.0))
                .collect::<Vec<_>>(),
            plants: &plants
                .iter()
                .map(|d| (d.1.clone(), d.0))
                .collect::<Vec<_>>(),
            users: &users.iter().map(|u| (u.1.clone(), u.0)).collect::<Vec<_>>(),
        },
    )
    .map_err(AppError::Validation)?;
    let mut ids: BTreeMap<String, Uuid> = users.iter().map(|u| (u.1.clone(), u.0)).collect();
    let mut imported = 0u64;
    for row in &rows {
        let manager_id = row.manager.as_ref().and_then(|m| ids.get(m).copied());
        let language = row
            .language
            .map(str::to_string)
            .unwrap_or_else(|| p.user.tenant.default_language.clone());
        let id = repo::insert_user(
            tx,
            &repo::NewUserRow {
                tenant_id: p.tenant_id,
                username: &row.username,
                email: &row.email,
                display_name: &row.display_name,
                password_hash: INVITED,
                language: &language,
                manager_id,
                department_id: row.department_id,
                plant_id: row.plant_id,
            },
        )
        .await
        .map_err(|e| match crate::error::unique_violation(&e) {
            // taken meanwhile by another request
            Some(_) => AppError::field(
                &super::line_key(row.line, "username"),
                FieldError::Duplicate,
            ),
            None => e.into(),
        })?;
        ids.insert(row.username.clone(), id);
        let (role_ids, _) = role_ids(tx, &row.roles, &mut BTreeMap::new()).await?;
        repo::add_roles(tx, p.tenant_id, id, &role_ids).await?;
        send_link(tx, ctx, id, Link::Invite).await?;
        audit::record(
            tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "import",
                entity: "user",
                entity_id: Some(id.to_string()),
                old: None,
                new: Some(serde_json::json!({
                    "username": row.username, "display_name": row.display_name,
                    "email": row.email, "language": language, "roles": row.roles,
                    "manager_id": manager_id, "department_id": row.department_id,
                    "plant_id": row.plant_id, "invited": true, "line": row.line,
                })),
            },
        )
        .await?;
        imported += 1;
    }
    forget_principals(tx, state, p.tenant_id);
    Ok(ImportOutcome { imported })
}

/// The catalogue of permissions with the scopes each allows, described in the caller's language.
pub fn permissions(ctx: &RequestCtx) -> AppResult<Vec<PermissionInfo>> {
    let p = ctx.principal()?;
    if p.require("role:manage").is_err() {
        p.require("user:manage")?;
    }
    Ok(CATALOGUE
        .iter()
        .map(|(perm, scopes)| PermissionInfo {
            permission: perm.to_string(),
            description: super::describe(ctx.locale, perm),
            scopes: scopes.to_vec(),
        })
        .collect())
}

fn role_view(r: repo::RoleRow) -> RoleView {
    RoleView {
        id: r.id,
        name: r.name,
        description: r.description,
        system: r.is_system,
        users: r.users,
        grants: r
            .grants
            .iter()
            .filter_map(|g| {
                let (perm, scope) = g.rsplit_once(':')?;
                Some(Grant {
                    permission: perm.to_string(),
                    scope: scope.parse().ok()?,
                })
            })
            .collect(),
    }
}

/// Every role with its grants (for those who keep roles, or assign them to users).
pub async fn list_roles(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<RoleView>> {
    let p = ctx.principal()?;
    if p.require("role:manage").is_err() {
        p.require("user:manage")?;
    }
    Ok(repo::list_roles(tx)
        .await?
        .into_iter()
        .map(role_view)
        .collect())
}

pub async fn get_role(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<RoleView> {
    let p = ctx.principal()?;
    if p.require("role:manage").is_err() {
        p.require("user:manage")?;
    }
    repo::role_by_id(tx, id)
        .await?
        .map(role_view)
        .ok_or(AppError::NotFound)
}

/// The name, description and grants of a role, checked: each permission of the catalogue once,
/// at a scope it allows.
/// A role's checked name, description and grants (permissions and their scopes, in order).
#[derive(Debug)]
struct CheckedRole {
    name: String,
    description: String,
    perms: Vec<String>,
    scopes: Vec<String>,
}

fn check_role(input: &RoleInput) -> Result<CheckedRole, BTreeMap<String, FieldError>> {
    let mut errors = BTreeMap::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.insert("name".into(), FieldError::Required);
    } else if name.chars().count() > 60 {
        errors.insert("name".into(), FieldError::TooLong);
    }
    let description = input
        .description
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_string();
    if description.chars().count() > 500 {
        errors.insert("description".into(), FieldError::TooLong);
    }
    let (mut perms, mut scopes) = (Vec::new(), Vec::new());
    for (i, g) in input.grants.iter().enumerate() {
        match allowed_scopes(&g.permission) {
            None => {
                errors.insert(
                    format!("grants[{i}].permission"),
                    FieldError::UnknownReference,
                );
            }
            Some(_) if perms.contains(&g.permission) => {
                errors.insert(format!("grants[{i}].permission"), FieldError::Duplicate);
            }
            Some(allowed) if !allowed.contains(&g.scope) => {
                errors.insert(format!("grants[{i}].scope"), FieldError::Invalid);
            }
            Some(_) => {
                perms.push(g.permission.clone());
                scopes.push(g.scope.as_str().to_string());
            }
        }
    }
    if errors.is_empty() {
        Ok(CheckedRole {
            name,
            description,
            perms,
            scopes,
        })
    } else {
        Err(errors)
    }
}

fn taken_name(e: sqlx::Error) -> AppError {
    match crate::error::unique_violation(&e) {
        Some("roles_tenant_id_name_key") => AppError::Taken("name".into()),
        _ => e.into(),
    }
}

fn grants_json(perms: &[String], scopes: &[String]) -> serde_json::Value {
    serde_json::Value::Object(
        perms
            .iter()
            .zip(scopes)
            .map(|(p, s)| (p.clone(), serde_json::Value::String(s.clone())))
            .collect(),
    )
}

fn grants_of(view: &RoleView) -> (Vec<String>, Vec<String>) {
    view.grants
        .iter()
        .map(|g| (g.permission.clone(), g.scope.as_str().to_string()))
        .unzip()
}

/// A custom role; with `copy_of` and no grants, it starts from that role's grants.
pub async fn create_role(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    mut input: RoleInput,
) -> AppResult<RoleView> {
    let p = require_roles(ctx)?;
    if let Some(source) = input.copy_of {
        let Some(from) = repo::role_by_id(tx, source).await? else {
            return Err(AppError::field("copy_of", FieldError::UnknownReference));
        };
        if input.grants.is_empty() {
            input.grants = role_view(from).grants;
        }
    }
    let CheckedRole {
        name,
        description,
        perms,
        scopes,
    } = check_role(&input).map_err(AppError::Validation)?;
    let id = repo::insert_role(tx, p.tenant_id, &name, &description)
        .await
        .map_err(taken_name)?;
    repo::insert_grants(tx, p.tenant_id, id, &perms, &scopes).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "create",
            entity: "role",
            entity_id: Some(id.to_string()),
            old: None,
            new: Some(serde_json::json!({
                "name": name, "description": description, "copy_of": input.copy_of,
                "grants": grants_json(&perms, &scopes),
            })),
        },
    )
    .await?;
    forget_principals(tx, state, p.tenant_id);
    get_role(tx, ctx, id).await
}

/// Changes a custom role's name, description and grants; its holders have the new grants at
/// their next request. System roles are copied, not changed (422).
pub async fn update_role(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    input: RoleInput,
) -> AppResult<RoleView> {
    let p = require_roles(ctx)?;
    let old = repo::role_by_id(tx, id)
        .await?
        .map(role_view)
        .ok_or(AppError::NotFound)?;
    if old.system {
        return Err(AppError::Refused(Refusal::SystemRole));
    }
    let CheckedRole {
        name,
        description,
        perms,
        scopes,
    } = check_role(&input).map_err(AppError::Validation)?;
    let tenant = p.tenant_id;
    let (n, d, ps, ss) = (
        name.clone(),
        description.clone(),
        perms.clone(),
        scopes.clone(),
    );
    keeping_an_administrator(tx, tenant, move |tx| {
        Box::pin(async move {
            repo::update_role(tx, id, &n, &d)
                .await
                .map_err(taken_name)?;
            repo::clear_grants(tx, id).await?;
            repo::insert_grants(tx, tenant, id, &ps, &ss).await?;
            Ok(())
        })
    })
    .await?;
    let (old_perms, old_scopes) = grants_of(&old);
    audit::record(
        tx,
        tenant,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "update",
            entity: "role",
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({
                "name": old.name, "description": old.description,
                "grants": grants_json(&old_perms, &old_scopes),
            })),
            new: Some(serde_json::json!({
                "name": name, "description": description,
                "grants": grants_json(&perms, &scopes),
            })),
        },
    )
    .await?;
    forget_principals(tx, state, tenant);
    get_role(tx, ctx, id).await
}

/// Deletes a custom role nobody holds: 409 while someone does, 422 for a system role.
pub async fn delete_role(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<()> {
    let p = require_roles(ctx)?;
    let old = repo::role_by_id(tx, id)
        .await?
        .map(role_view)
        .ok_or(AppError::NotFound)?;
    if old.system {
        return Err(AppError::Refused(Refusal::SystemRole));
    }
    if old.users > 0 {
        return Err(AppError::Conflict);
    }
    repo::delete_role(tx, id).await?;
    let (perms, scopes) = grants_of(&old);
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "delete",
            entity: "role",
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({
                "name": old.name, "description": old.description,
                "grants": grants_json(&perms, &scopes),
            })),
            new: None,
        },
    )
    .await?;
    forget_principals(tx, state, p.tenant_id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_lowered_and_checked() {
        assert_eq!(username_of(" Asha.K "), Ok("asha.k".into()));
        assert_eq!(username_of(""), Err(FieldError::Required));
        assert_eq!(username_of("a"), Err(FieldError::TooShort));
        assert_eq!(username_of("asha k"), Err(FieldError::Invalid));
        assert_eq!(username_of(&"a".repeat(65)), Err(FieldError::TooLong));
    }

    #[test]
    fn addresses_need_a_local_part_and_a_domain_with_a_dot() {
        assert!(email_ok("asha@example.in"));
        assert!(!email_ok("asha@example"));
        assert!(!email_ok("@example.in"));
        assert!(!email_ok("asha example@x.in"));
        assert!(!email_ok("a@b@c.in"));
    }

    #[test]
    fn patterns_take_wildcards_literally() {
        assert_eq!(pattern_of(" a_b% "), Some("%a\\_b\\%%".into()));
        assert_eq!(pattern_of("  "), None);
    }

    #[test]
    fn role_grants_must_be_in_the_catalogue_at_an_allowed_scope() {
        use crate::platform::permission::Scope;
        let g = |p: &str, s| Grant {
            permission: p.into(),
            scope: s,
        };
        let input = RoleInput {
            name: "Stores".into(),
            grants: vec![
                g("inventory:view", Scope::All),
                g("nothing:here", Scope::All),
                g("tenant:manage", Scope::Own),
                g("inventory:view", Scope::All),
            ],
            ..Default::default()
        };
        let errors = check_role(&input).expect_err("refused");
        assert_eq!(
            errors.get("grants[1].permission"),
            Some(&FieldError::UnknownReference)
        );
        assert_eq!(errors.get("grants[2].scope"), Some(&FieldError::Invalid));
        assert_eq!(
            errors.get("grants[3].permission"),
            Some(&FieldError::Duplicate)
        );
        assert!(!errors.contains_key("grants[0].permission"));
    }
}
