//! The platform's business rules: login with lockout and rate limit, sessions, who is calling,
//! language, password change and API tokens. Server functions and REST handlers both call these.
use crate::error::{AppError, AppResult, FieldError};
use crate::format::Grouping;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, Principal, RequestCtx};
use crate::platform::db::{tenant_tx, Tx};
use crate::platform::model::{ApiTokenView, NewApiToken, SessionUser, TenantInfo};
use crate::platform::permission::{merge_grants, Grant};
use crate::platform::repo::totp as two_factor_repo;
use crate::platform::two_factor::{self, SecondFactor};
use crate::platform::{password, repo};
use crate::types::Currency;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_sessions::Session;
use uuid::Uuid;

pub const MAX_FAILED_LOGINS: i32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

const SESSION_USER: &str = "mw.uid";
const SESSION_TENANT: &str = "mw.tid";
const SESSION_AUTH_AT: &str = "mw.at";
/// The sign-in form's pending second step: who gave the right password, and when.
const SESSION_PENDING_USER: &str = "mw.totp_uid";
const SESSION_PENDING_TENANT: &str = "mw.totp_tid";
const SESSION_PENDING_AT: &str = "mw.totp_at";
/// How long the form's second step waits for the code.
pub const PENDING_SECS: i64 = 300;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginInput {
    pub tenant: String,
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub totp: Option<String>,
}

/// Checks credentials and, on success, cycles the session id and binds the session to the user.
/// A user with two-factor sign-in on must send `totp` (a code or a recovery code): without it
/// 401 `TOTP_REQUIRED`, a wrong one 401 `INVALID_TOTP` (counted toward the lockout).
pub async fn login(
    state: &AppState,
    ctx: &RequestCtx,
    session: &Session,
    input: LoginInput,
) -> AppResult<SessionUser> {
    login_with(state, ctx, session, input, false).await
}

/// The sign-in form's first step: as [`login`], and when the code is wanted (`TOTP_REQUIRED`)
/// the right password is remembered in the session for [`login_second_step`] (five minutes).
pub async fn login_first_step(
    state: &AppState,
    ctx: &RequestCtx,
    session: &Session,
    input: LoginInput,
) -> AppResult<SessionUser> {
    login_with(state, ctx, session, input, true).await
}

async fn login_with(
    state: &AppState,
    ctx: &RequestCtx,
    session: &Session,
    input: LoginInput,
    remember_pending: bool,
) -> AppResult<SessionUser> {
    let tenant = input.tenant.trim().to_ascii_lowercase();
    let username = input.username.trim().to_ascii_lowercase();
    let mut missing = std::collections::BTreeMap::new();
    for (field, value) in [
        ("tenant", &tenant),
        ("username", &username),
        ("password", &input.password),
    ] {
        if value.is_empty() {
            missing.insert(field.to_string(), FieldError::Required);
        }
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    let has_nul = [&tenant, &username, &input.password]
        .iter()
        .any(|s| s.contains('\0'));
    if has_nul || input.password.len() > 1024 || tenant.len() > 64 || username.len() > 64 {
        return Err(AppError::InvalidCredentials);
    }
    let ip_key = ctx.ip.clone().unwrap_or_else(|| "unknown".into());
    if state.login_limiter.check_key(&ip_key).is_err() {
        tracing::warn!(ip = %ip_key, "login rate limited");
        return Err(AppError::RateLimited);
    }

    let Some(tenant_id) = repo::users::tenant_id_by_slug(&state.pool, &tenant).await? else {
        password::verify(input.password, None).await;
        tracing::info!(tenant = %tenant, "login failed: unknown tenant");
        return Err(AppError::InvalidCredentials);
    };

    let mut tx = tenant_tx(&state.pool, tenant_id).await?;
    let row = repo::users::login_row_for_update(&mut tx, &username).await?;
    let now = Utc::now();
    let fail = |reason: &'static str| serde_json::json!({ "username": username, "reason": reason });
    let Some(row) = row else {
        password::verify(input.password, None).await;
        failed_login(tx, tenant_id, ctx, None, fail("unknown_user")).await?;
        return Err(AppError::InvalidCredentials);
    };
    if row.locked_until.is_some_and(|t| t > now) {
        password::verify(input.password, None).await;
        failed_login(tx, tenant_id, ctx, Some(row.id), fail("locked")).await?;
        return Err(AppError::AccountLocked);
    }
    let ok = password::verify(input.password, Some(row.password_hash.clone())).await;
    if !ok || !row.active {
        let reason = if !row.active {
            "inactive"
        } else {
            "wrong_password"
        };
        count_failure(tx, tenant_id, ctx, &row, now, &username, reason).await?;
        return Err(AppError::InvalidCredentials);
    }
    let second = two_factor::check(&mut tx, row.id, input.totp.as_deref(), now).await?;
    let method = match second {
        SecondFactor::NotEnrolled => None,
        SecondFactor::Passed(method) => Some(method),
        SecondFactor::Missing => {
            drop(tx);
            if remember_pending {
                // a new session id, as for a sign-in: the half-signed-in state is not fixable
                session.cycle_id().await.map_err(session_err)?;
                session
                    .insert(SESSION_PENDING_USER, row.id)
                    .await
                    .map_err(session_err)?;
                session
                    .insert(SESSION_PENDING_TENANT, tenant_id)
                    .await
                    .map_err(session_err)?;
                session
                    .insert(SESSION_PENDING_AT, now.timestamp())
                    .await
                    .map_err(session_err)?;
            }
            return Err(AppError::TotpRequired);
        }
        SecondFactor::Wrong => {
            count_failure(tx, tenant_id, ctx, &row, now, &username, "wrong_totp").await?;
            return Err(AppError::InvalidTotp);
        }
    };
    complete_login(state, tx, tenant_id, ctx, session, row.id, method, now).await
}

/// The sign-in form's second step: the code (or a recovery code) for the user whose password
/// [`login_first_step`] accepted in this session. 401 `UNAUTHENTICATED` when there is no such
/// step under way (or it is older than five minutes), `INVALID_TOTP` for a wrong code (counted
/// toward the lockout), `ACCOUNT_LOCKED` once locked (the step is then over).
pub async fn login_second_step(
    state: &AppState,
    ctx: &RequestCtx,
    session: &Session,
    code: &str,
) -> AppResult<SessionUser> {
    let user_id: Option<Uuid> = session
        .get(SESSION_PENDING_USER)
        .await
        .map_err(session_err)?;
    let tenant_id: Option<Uuid> = session
        .get(SESSION_PENDING_TENANT)
        .await
        .map_err(session_err)?;
    let at: Option<i64> = session.get(SESSION_PENDING_AT).await.map_err(session_err)?;
    let now = Utc::now();
    let (Some(user_id), Some(tenant_id), Some(at)) = (user_id, tenant_id, at) else {
        return Err(AppError::Unauthenticated);
    };
    if now.timestamp() - at > PENDING_SECS {
        clear_pending(session).await?;
        return Err(AppError::Unauthenticated);
    }
    let ip_key = ctx.ip.clone().unwrap_or_else(|| "unknown".into());
    if state.login_limiter.check_key(&ip_key).is_err() {
        tracing::warn!(ip = %ip_key, "login rate limited");
        return Err(AppError::RateLimited);
    }
    let mut tx = tenant_tx(&state.pool, tenant_id).await?;
    let Some(row) = two_factor_repo::login_row_by_id_for_update(&mut tx, user_id).await? else {
        clear_pending(session).await?;
        return Err(AppError::Unauthenticated);
    };
    if row.locked_until.is_some_and(|t| t > now) || !row.active {
        drop(tx);
        clear_pending(session).await?;
        return Err(if row.active {
            AppError::AccountLocked
        } else {
            AppError::Unauthenticated
        });
    }
    let username = String::new();
    match two_factor::check(&mut tx, row.id, Some(code), now).await? {
        SecondFactor::Passed(method) => {
            complete_login(
                state,
                tx,
                tenant_id,
                ctx,
                session,
                row.id,
                Some(method),
                now,
            )
            .await
        }
        SecondFactor::NotEnrolled => {
            // turned off meanwhile: the password was right
            complete_login(state, tx, tenant_id, ctx, session, row.id, None, now).await
        }
        SecondFactor::Missing | SecondFactor::Wrong => {
            let locked =
                count_failure(tx, tenant_id, ctx, &row, now, &username, "wrong_totp").await?;
            if locked {
                clear_pending(session).await?;
                return Err(AppError::AccountLocked);
            }
            Err(AppError::InvalidTotp)
        }
    }
}

async fn clear_pending(session: &Session) -> AppResult<()> {
    for key in [
        SESSION_PENDING_USER,
        SESSION_PENDING_TENANT,
        SESSION_PENDING_AT,
    ] {
        session.remove_value(key).await.map_err(session_err)?;
    }
    Ok(())
}

/// A failed sign-in of a known user: counted toward the lockout (five in a row lock the account
/// for 15 minutes), audited and committed. Returns whether this failure locked the account.
async fn count_failure(
    mut tx: Tx,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    row: &repo::users::LoginRow,
    now: DateTime<Utc>,
    username: &str,
    reason: &'static str,
) -> AppResult<bool> {
    let failed = row.failed_logins + 1;
    let (failed, locked_until) = if failed >= MAX_FAILED_LOGINS {
        (0, Some(now + Duration::minutes(LOCKOUT_MINUTES)))
    } else {
        (failed, None)
    };
    repo::users::record_failed_login(&mut tx, row.id, failed, locked_until).await?;
    let reason = if locked_until.is_some() && row.active {
        "locked_now"
    } else {
        reason
    };
    let mut detail = serde_json::json!({ "reason": reason });
    if !username.is_empty() {
        detail["username"] = serde_json::json!(username);
    }
    failed_login(tx, tenant_id, ctx, Some(row.id), detail).await?;
    Ok(locked_until.is_some())
}

/// A sign-in that passed: recorded, audited, and the session (with a new id) bound to the user.
#[allow(clippy::too_many_arguments)]
async fn complete_login(
    state: &AppState,
    mut tx: Tx,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    session: &Session,
    user_id: Uuid,
    second_factor: Option<&'static str>,
    now: DateTime<Utc>,
) -> AppResult<SessionUser> {
    repo::users::record_successful_login(&mut tx, user_id).await?;
    audit::record(
        &mut tx,
        tenant_id,
        ctx,
        Entry {
            user_id: Some(user_id),
            action: "login",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            old: None,
            new: second_factor.map(|m| serde_json::json!({ "second_factor": m })),
        },
    )
    .await?;
    let user = load_user(&mut tx, user_id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;

    // A new session id at login defeats session fixation.
    clear_pending(session).await?;
    start_session(state, ctx, session, tenant_id, user_id, now).await?;
    Ok(user)
}

/// Audits a failed sign-in and commits it (the failure counter lives in the same transaction).
async fn failed_login(
    mut tx: crate::platform::db::Tx,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    user_id: Option<Uuid>,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        &mut tx,
        tenant_id,
        ctx,
        Entry {
            user_id,
            action: "login_failed",
            entity: "user",
            entity_id: user_id.map(|u| u.to_string()),
            old: None,
            new: Some(detail),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn session_err(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Unavailable
}

pub async fn logout(state: &AppState, ctx: &RequestCtx, session: &Session) -> AppResult<()> {
    if let Some(p) = &ctx.principal {
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        audit::record(
            &mut tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "logout",
                entity: "user",
                entity_id: Some(p.user_id.to_string()),
                old: None,
                new: None,
            },
        )
        .await?;
        crate::platform::sessions::forget(&mut tx, session).await?;
        tx.commit().await?;
    }
    session.flush().await.map_err(session_err)?;
    Ok(())
}

/// Who is calling: from a bearer token when one is sent, otherwise from the session cookie.
pub async fn resolve_principal(
    state: &AppState,
    session: Option<&Session>,
    bearer: Option<&str>,
) -> AppResult<Option<Principal>> {
    if let Some(token) = bearer {
        let hash = token_hash(token);
        let Some((tenant_id, user_id)) = repo::users::token_lookup(&state.pool, &hash).await?
        else {
            return Err(AppError::Unauthenticated);
        };
        let user = principal_user(state, tenant_id, user_id).await?;
        return match user {
            Some(user) => Ok(Some(Principal {
                user_id,
                tenant_id,
                user,
                via_token: true,
            })),
            None => Err(AppError::Unauthenticated),
        };
    }
    let Some(session) = session else {
        return Ok(None);
    };
    let user_id: Option<Uuid> = session.get(SESSION_USER).await.map_err(session_err)?;
    let tenant_id: Option<Uuid> = session.get(SESSION_TENANT).await.map_err(session_err)?;
    let auth_at: Option<i64> = session.get(SESSION_AUTH_AT).await.map_err(session_err)?;
    let (Some(user_id), Some(tenant_id), Some(auth_at)) = (user_id, tenant_id, auth_at) else {
        return Ok(None);
    };
    let now = Utc::now();
    if now.timestamp() - auth_at > state.session_absolute_secs {
        session.flush().await.map_err(session_err)?;
        return Ok(None);
    }
    // ended elsewhere (another instance's request raced with the end), or bound before sessions
    // were listed: signed out
    if !crate::platform::sessions::seen(state, tenant_id, session, now).await? {
        session.flush().await.map_err(session_err)?;
        return Ok(None);
    }
    let user = principal_user(state, tenant_id, user_id).await?;
    match user {
        Some(user) => Ok(Some(Principal {
            user_id,
            tenant_id,
            user,
            via_token: false,
        })),
        None => {
            session.flush().await.map_err(session_err)?;
            Ok(None)
        }
    }
}

/// A request context acting as an active user of a tenant, for work the server does on a user's
/// behalf without a request (the demo's history is written through the services as its users).
pub async fn acting_as(state: &AppState, tenant_id: Uuid, user_id: Uuid) -> AppResult<RequestCtx> {
    let user = principal_user(state, tenant_id, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let locale = user.language.parse().unwrap_or(crate::i18n::Locale::en);
    Ok(RequestCtx {
        principal: Some(Principal {
            user_id,
            tenant_id,
            user,
            via_token: false,
        }),
        locale,
        ip: None,
        user_agent: None,
        request_id: format!("acting-{user_id}"),
    })
}

/// The caller's user and grants (None: no such active user), kept until the tenant's users,
/// roles or plants change ([`crate::platform::cache`]).
async fn principal_user(
    state: &AppState,
    tenant_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<SessionUser>> {
    let user = state
        .caches
        .principals
        .get_or_load(tenant_id, user_id, async {
            Ok::<_, AppError>(
                repo::users::principal(&state.pool, tenant_id, user_id)
                    .await?
                    .and_then(session_user),
            )
        })
        .await?;
    Ok(user.as_ref().clone().map(|mut user| {
        user.today = today_in(&user.tenant.timezone);
        user
    }))
}

/// Today's date in the tenant's time zone.
fn today_in(timezone: &str) -> chrono::NaiveDate {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::UTC);
    Utc::now().with_timezone(&tz).date_naive()
}

/// The active user with tenant, roles and grants; `None` when missing or deactivated.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn load_user(
    tx: &mut crate::platform::db::Tx,
    user_id: Uuid,
) -> AppResult<Option<SessionUser>> {
    Ok(repo::users::user_with_grants(tx, user_id)
        .await?
        .and_then(session_user))
}

fn session_user(row: repo::users::UserRow) -> Option<SessionUser> {
    if !row.active {
        return None;
    }
    let grants = merge_grants(row.grants.iter().filter_map(|g| {
        let (perm, scope) = g.rsplit_once(':')?;
        Some(Grant {
            permission: perm.to_string(),
            scope: scope.parse().ok()?,
        })
    }));
    Some(SessionUser {
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        email: row.email,
        language: row.language,
        roles: row.roles,
        grants,
        plant: row.plant_name,
        department_id: row.department_id,
        plant_id: row.plant_id,
        today: today_in(&row.timezone),
        totp_enabled: row.totp_enabled,
        totp_enrolment_required: row.totp_enrolment_required,
        tenant: TenantInfo {
            slug: row.slug,
            name: row.tenant_name,
            // a three-letter code by the schema's check
            currency: row.currency.parse().unwrap_or(Currency::INR),
            default_language: row.default_language,
            timezone: row.timezone,
            number_format: row.number_format.parse().unwrap_or(Grouping::Western),
            verify_by: row.verify_by,
            setup_pending: row.setup_pending,
        },
    })
}

pub fn validate_language(code: &str) -> AppResult<&'static str> {
    code.parse::<crate::i18n::Locale>()
        .ok()
        .map(crate::platform::model::locale_code)
        .ok_or_else(|| AppError::field("language", FieldError::UnknownLanguage))
}

/// Stores the caller's language; it applies to every later response, including server-rendered pages.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_language(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    code: &str,
) -> AppResult<SessionUser> {
    let code = validate_language(code)?;
    let p = ctx.principal()?;
    let old = repo::users::set_language(tx, p.user_id, code)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "update",
            entity: "user",
            entity_id: Some(p.user_id.to_string()),
            old: Some(serde_json::json!({ "language": old })),
            new: Some(serde_json::json!({ "language": code })),
        },
    )
    .await?;
    let user = load_user(tx, p.user_id).await?.ok_or(AppError::NotFound)?;
    // the next request must speak the new language, before the change's notification arrives
    let (caches, tenant) = (state.caches.clone(), p.tenant_id);
    tx.after_commit(async move { caches.principals.invalidate(tenant) });
    Ok(user)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

pub async fn change_password(
    state: &AppState,
    ctx: &RequestCtx,
    session: Option<&Session>,
    input: PasswordChange,
) -> AppResult<()> {
    let p = ctx.principal()?;
    if let Err(e) = password::check_policy(&input.new_password, &p.user.username) {
        return Err(AppError::field("new_password", e));
    }
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let current = repo::users::password_hash_of(&mut tx, p.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if input.current_password.len() > 1024
        || !password::verify(input.current_password, Some(current)).await
    {
        return Err(AppError::field(
            "current_password",
            FieldError::WrongPassword,
        ));
    }
    let hash = password::hash(input.new_password).await?;
    repo::users::set_password_hash(&mut tx, p.user_id, &hash).await?;
    // every other session ends; the one the password was changed in is kept (with a new id)
    let current = session.filter(|_| !p.via_token).and_then(Session::id);
    let ended = crate::platform::sessions::end_all(&mut tx, state, p.user_id, current).await?;
    audit::record(
        &mut tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "password_change",
            entity: "user",
            entity_id: Some(p.user_id.to_string()),
            old: None,
            new: Some(serde_json::json!({ "sessions_ended": ended })),
        },
    )
    .await?;
    tx.commit().await?;
    if let (Some(session), Some(old)) = (session, current) {
        session.cycle_id().await.map_err(session_err)?;
        crate::platform::sessions::rehash(state, p.tenant_id, old, session).await?;
    }
    Ok(())
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TokenInput {
    pub name: String,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_token(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: TokenInput,
) -> AppResult<NewApiToken> {
    let p = ctx.principal()?;
    let name = input.name.trim();
    if name.is_empty() {
        return Err(AppError::field("name", FieldError::Required));
    }
    if name.chars().count() > 100 {
        return Err(AppError::field("name", FieldError::TooLong));
    }
    if input.expires_at.is_some_and(|t| t <= Utc::now()) {
        return Err(AppError::field("expires_at", FieldError::InPast));
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token = format!(
        "mwt_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    let id = repo::users::insert_token(
        tx,
        p.tenant_id,
        p.user_id,
        name,
        &token_hash(&token),
        input.expires_at,
    )
    .await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "create",
            entity: "api_token",
            entity_id: Some(id.to_string()),
            old: None,
            new: Some(serde_json::json!({ "name": name, "expires_at": input.expires_at })),
        },
    )
    .await?;
    Ok(NewApiToken { id, token })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_tokens(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<ApiTokenView>> {
    let p = ctx.principal()?;
    let rows = repo::users::tokens_of(tx, p.user_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiTokenView {
            id: r.id,
            name: r.name,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            last_used_at: r.last_used_at,
        })
        .collect())
}

/// Revokes one of the caller's own tokens; anyone else's is "not found".
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke_token(tx: &mut Tx, ctx: &RequestCtx, token_id: Uuid) -> AppResult<()> {
    let p = ctx.principal()?;
    repo::users::revoke_token(tx, p.user_id, token_id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "revoke",
            entity: "api_token",
            entity_id: Some(token_id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    Ok(())
}

/// Binds the session to a user who has proven who they are (a sign-in that passed, a new
/// tenant's first administrator at sign-up): a new session id first, which defeats fixation;
/// then the session is listed among the user's ([`crate::platform::sessions`]).
pub async fn start_session(
    state: &AppState,
    ctx: &RequestCtx,
    session: &Session,
    tenant_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    session.cycle_id().await.map_err(session_err)?;
    session
        .insert(SESSION_USER, user_id)
        .await
        .map_err(session_err)?;
    session
        .insert(SESSION_TENANT, tenant_id)
        .await
        .map_err(session_err)?;
    session
        .insert(SESSION_AUTH_AT, now.timestamp())
        .await
        .map_err(session_err)?;
    crate::platform::sessions::list_new(state, ctx, session, tenant_id, user_id, now).await
}
