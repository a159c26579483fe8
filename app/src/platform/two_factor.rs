//! Two-factor sign-in (TOTP, RFC 6238) as rules: enrolment (set up → confirm with a first code →
//! ten recovery codes shown once), disabling (password and a code), the second factor at sign-in
//! (a code accepted once, within one step of clock skew; a recovery code once in its place), the
//! sign-in form's second step, and the tenant's policy requiring a second factor for chosen roles.
//! REST handlers and server functions call these; the permission checks are inside.
use crate::error::{AppError, AppResult, FieldError};
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, Principal, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::repo;
use crate::platform::totp::{self, RecoveryCodes, TotpSetup, TotpStatus, Typed};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The page a user the policy sends to enrolment is shown.
pub const ENROL_PAGE: &str = "/account/two-factor";

/// The issuer authenticator apps show beside the account.
const ISSUER: &str = "Millwright";

/// What a user who must enrol may still reach: the enrolment page and its calls, who they are,
/// their language, signing out (everything else answers 403 `TOTP_ENROLMENT_REQUIRED`, or sends a
/// browser to [`ENROL_PAGE`]).
pub fn open_before_enrolment(path: &str) -> bool {
    path.starts_with("/api/v1/auth/totp/")
        || matches!(
            path,
            ENROL_PAGE
                | "/login"
                | "/offline"
                | "/auth/login"
                | "/auth/login/totp"
                | "/auth/logout"
                | "/auth/language"
                | "/signup"
                | "/auth/signup"
                | "/verify-email"
                | "/password-reset"
                | "/auth/password-reset"
                | "/auth/password-reset/confirm"
                | "/api/v1/auth/password-reset"
                | "/api/v1/auth/password-reset/confirm"
                | "/sfn/reset_link"
                | "/api/v1/signup"
                | "/api/v1/auth/login"
                | "/api/v1/auth/me"
                | "/api/v1/auth/me/language"
                | "/api/v1/auth/logout"
                | "/api/v1/openapi.json"
                | "/sfn/session_user"
                | "/sfn/totp_status"
                | "/sfn/totp_setup"
                | "/sfn/totp_enable"
        )
}

/// Enrolment and disabling are a person's acts in a signed-in browser, never an API token's: a
/// leaked token must not be able to bind the account to someone else's authenticator.
fn browser_caller(ctx: &RequestCtx) -> AppResult<&Principal> {
    let p = ctx.principal()?;
    if p.via_token {
        return Err(AppError::Forbidden);
    }
    Ok(p)
}

fn unix_secs(now: DateTime<Utc>) -> u64 {
    u64::try_from(now.timestamp()).unwrap_or(0)
}

/// The outcome of the second factor at sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// The user has no second factor.
    NotEnrolled,
    /// TOTP is on and no code was sent.
    Missing,
    /// A code ("totp") or a recovery code ("recovery_code") was accepted (and is used up).
    Passed(&'static str),
    /// A wrong, replayed or used code.
    Wrong,
}

/// Checks `typed` against the user's second factor, in the sign-in transaction (the secret's row
/// locked: of two sign-ins with one code, one passes).
pub async fn check(
    tx: &mut Tx,
    user_id: Uuid,
    typed: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<SecondFactor> {
    let Some(row) = repo::totp::totp_for_update(tx, user_id).await? else {
        return Ok(SecondFactor::NotEnrolled);
    };
    if row.enabled_at.is_none() {
        return Ok(SecondFactor::NotEnrolled);
    }
    let Some(typed) = typed.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(SecondFactor::Missing);
    };
    if typed.len() > 64 {
        return Ok(SecondFactor::Wrong);
    }
    accept(tx, user_id, &row, typed, now).await
}

/// A code or recovery code for an enabled secret, used up when accepted.
async fn accept(
    tx: &mut Tx,
    user_id: Uuid,
    row: &repo::totp::TotpRow,
    typed: &str,
    now: DateTime<Utc>,
) -> AppResult<SecondFactor> {
    match totp::parse_typed(typed) {
        Typed::Code(code) => {
            let last = row.last_step.and_then(|s| u64::try_from(s).ok());
            match totp::verify(&row.secret, &code, unix_secs(now), last) {
                Some(step) => {
                    let step = i64::try_from(step).map_err(|_| AppError::Internal)?;
                    repo::totp::use_step(tx, user_id, step).await?;
                    Ok(SecondFactor::Passed("totp"))
                }
                None => Ok(SecondFactor::Wrong),
            }
        }
        Typed::Recovery(code) => {
            let hash = totp::recovery_hash(&code);
            match repo::totp::use_recovery_code(tx, user_id, &hash).await? {
                Some(_) => Ok(SecondFactor::Passed("recovery_code")),
                None => Ok(SecondFactor::Wrong),
            }
        }
        Typed::Invalid => Ok(SecondFactor::Wrong),
    }
}

/// Starts enrolment: a new secret, pending until [`enable`] confirms a first code (a pending one
/// is replaced). 422 `INVALID_STATE` when two-factor sign-in is already on.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn setup(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<TotpSetup> {
    let p = browser_caller(ctx)?;
    let secret = totp::new_secret();
    repo::totp::set_pending(tx, p.tenant_id, p.user_id, &secret)
        .await?
        .ok_or(AppError::InvalidState)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "totp_setup",
            entity: "user",
            entity_id: Some(p.user_id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    let account = format!("{}@{}", p.user.username, p.user.tenant.slug);
    let otpauth_uri = totp::otpauth_uri(&secret, ISSUER, &account);
    let qr_svg = totp::qr_svg(&otpauth_uri).ok_or(AppError::Internal)?;
    Ok(TotpSetup {
        secret: totp::base32(&secret),
        otpauth_uri,
        qr_svg,
    })
}

/// Turns two-factor sign-in on with a first code from the app; answers the ten recovery codes,
/// shown this once (only their hashes are kept). 422 `VALIDATION_ERROR` on `code` for a wrong
/// code, `INVALID_STATE` without a pending set-up.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enable(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    code: &str,
) -> AppResult<RecoveryCodes> {
    let p = browser_caller(ctx)?;
    if code.trim().is_empty() {
        return Err(AppError::field("code", FieldError::Required));
    }
    let row = repo::totp::totp_for_update(tx, p.user_id)
        .await?
        .filter(|r| r.enabled_at.is_none())
        .ok_or(AppError::InvalidState)?;
    let Typed::Code(code) = totp::parse_typed(code) else {
        return Err(AppError::field("code", FieldError::Invalid));
    };
    let step = totp::verify(&row.secret, &code, unix_secs(Utc::now()), None)
        .ok_or(AppError::field("code", FieldError::Invalid))?;
    let step = i64::try_from(step).map_err(|_| AppError::Internal)?;
    repo::totp::enable(tx, p.user_id, step)
        .await?
        .ok_or(AppError::InvalidState)?;
    let codes: Vec<String> = (0..totp::RECOVERY_CODES)
        .map(|_| totp::new_recovery_code())
        .collect();
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .filter_map(|c| match totp::parse_typed(c) {
            Typed::Recovery(n) => Some(totp::recovery_hash(&n)),
            _ => None,
        })
        .collect();
    if hashes.len() != codes.len() {
        return Err(AppError::Internal);
    }
    repo::totp::delete_recovery_codes(tx, p.user_id).await?;
    repo::totp::insert_recovery_codes(tx, p.tenant_id, p.user_id, &hashes).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "totp_enable",
            entity: "user",
            entity_id: Some(p.user_id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    principal_changed(tx, state, p.tenant_id);
    Ok(RecoveryCodes { codes })
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DisableInput {
    pub password: String,
    /// A current code from the app, or an unused recovery code.
    pub code: String,
}

/// Turns two-factor sign-in off, with the password and a code (or a recovery code); the secret
/// and recovery codes are deleted. 422 `VALIDATION_ERROR` on `password` or `code`, or
/// `INVALID_STATE` when it is not on.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn disable(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    input: DisableInput,
) -> AppResult<()> {
    let p = browser_caller(ctx)?;
    let mut missing = std::collections::BTreeMap::new();
    if input.password.is_empty() {
        missing.insert("password".to_string(), FieldError::Required);
    }
    if input.code.trim().is_empty() {
        missing.insert("code".to_string(), FieldError::Required);
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    let row = repo::totp::totp_for_update(tx, p.user_id)
        .await?
        .filter(|r| r.enabled_at.is_some())
        .ok_or(AppError::InvalidState)?;
    let hash = repo::users::password_hash_of(tx, p.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if input.password.len() > 1024
        || !crate::platform::password::verify(input.password, Some(hash)).await
    {
        return Err(AppError::field("password", FieldError::WrongPassword));
    }
    if input.code.len() > 64
        || accept(tx, p.user_id, &row, &input.code, Utc::now()).await? == SecondFactor::Wrong
    {
        return Err(AppError::field("code", FieldError::Invalid));
    }
    repo::totp::delete_recovery_codes(tx, p.user_id).await?;
    repo::totp::delete_totp(tx, p.user_id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "totp_disable",
            entity: "user",
            entity_id: Some(p.user_id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    principal_changed(tx, state, p.tenant_id);
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn status(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<TotpStatus> {
    let p = ctx.principal()?;
    let enabled = repo::totp::totp_for_update(tx, p.user_id)
        .await?
        .is_some_and(|r| r.enabled_at.is_some());
    let left = if enabled {
        repo::totp::recovery_codes_left(tx, p.user_id).await?
    } else {
        0
    };
    let roles = repo::totp::required_roles(tx).await?;
    Ok(TotpStatus {
        enabled,
        recovery_codes_left: left,
        required: p.user.roles.iter().any(|r| roles.contains(r)),
    })
}

/// The roles whose holders must sign in with a second factor (`tenant:manage`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn policy(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<String>> {
    let p = ctx.principal()?;
    p.require("tenant:manage")?;
    Ok(repo::totp::required_roles(tx).await?)
}

/// Sets the roles whose holders must sign in with a second factor (`tenant:manage`; every name a
/// role of the tenant, else 422 on `require_totp_roles[i]`). Holders without one are sent to
/// enrolment from their next request — administrators too: no account is exempt.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_policy(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    roles: Vec<String>,
) -> AppResult<Vec<String>> {
    let p = ctx.principal()?;
    p.require("tenant:manage")?;
    let names: Vec<String> = roles.iter().map(|r| r.trim().to_string()).collect();
    let known = repo::totp::existing_roles(tx, &names).await?;
    let unknown: std::collections::BTreeMap<String, FieldError> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !known.contains(n))
        .map(|(i, _)| {
            (
                format!("require_totp_roles[{i}]"),
                FieldError::UnknownReference,
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::Validation(unknown));
    }
    let mut roles = names;
    roles.sort();
    roles.dedup();
    let old = repo::totp::set_required_roles(tx, p.tenant_id, &roles).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "update",
            entity: "tenant",
            entity_id: Some(p.tenant_id.to_string()),
            old: Some(serde_json::json!({ "require_totp_roles": old })),
            new: Some(serde_json::json!({ "require_totp_roles": roles })),
        },
    )
    .await?;
    principal_changed(tx, state, p.tenant_id);
    Ok(roles)
}

/// The next request must see the change, before its announcement reaches this instance.
fn principal_changed(tx: &mut Tx, state: &AppState, tenant: Uuid) {
    let caches = state.caches.clone();
    tx.after_commit(async move { caches.principals.invalidate(tenant) });
}
