//! Reset links: asked for by company code and user name or e-mail (202 whatever the answer, the
//! work done after answering so the answer takes the same time either way), sent by an
//! administrator, and used once within an hour to choose a password — which also ends every
//! session of the user and clears a lockout. Invitation links (72 h) are used the same way.
use super::{ResetDone, ResetLink};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Locale;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::{tenant_tx, Tx};
use crate::platform::outbox::{self, Email};
use crate::platform::{password, repo, service::token_hash, sessions};
use chrono::{Duration, Utc};
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

/// How long a reset link works.
pub const RESET_VALID_MINUTES: i64 = 60;

/// Requests whose work is under way at once; more are dropped (and logged) rather than queued,
/// so a flood of requests cannot hold the database's connections.
static IN_FLIGHT: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);

/// Who asks for a link: the company code and a user name or e-mail address.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ResetRequest {
    pub tenant: String,
    pub login: String,
}

/// Asks for a reset link. Answers at once, the same whether or not the company and the account
/// exist; the link is made and e-mailed afterwards to each active user the login names (by user
/// name, or every user with that e-mail address). Blank fields are 422; too many requests from
/// one IP, 429.
pub async fn request(state: &AppState, ctx: &RequestCtx, input: ResetRequest) -> AppResult<()> {
    let tenant = input.tenant.trim().to_ascii_lowercase();
    let login = input.login.trim().to_string();
    let mut missing = std::collections::BTreeMap::new();
    for (field, value) in [("tenant", &tenant), ("login", &login)] {
        if value.is_empty() {
            missing.insert(field.to_string(), FieldError::Required);
        }
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    let ip_key = format!("reset:{}", ctx.ip.as_deref().unwrap_or("unknown"));
    if state.login_limiter.check_key(&ip_key).is_err() {
        tracing::warn!(ip = %ip_key, "password reset rate limited");
        return Err(AppError::RateLimited);
    }
    // nothing can match these: the same answer, no work
    if tenant.len() > 64 || login.len() > 254 || tenant.contains('\0') || login.contains('\0') {
        return Ok(());
    }
    let Ok(permit) = IN_FLIGHT.try_acquire() else {
        tracing::warn!("password reset requests saturated: one dropped");
        return Ok(());
    };
    let pool = state.pool.clone();
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let _permit = permit;
        if let Err(e) = send_for(&pool, &ctx, &tenant, &login).await {
            tracing::warn!(error = %e, "password reset link not sent");
        }
    });
    Ok(())
}

async fn send_for(pool: &PgPool, ctx: &RequestCtx, tenant: &str, login: &str) -> AppResult<()> {
    let Some(tenant_id) = repo::users::tenant_id_by_slug(pool, tenant).await? else {
        tracing::info!(tenant = %tenant, "password reset for an unknown company");
        return Ok(());
    };
    let mut tx = tenant_tx(pool, tenant_id).await?;
    let targets = repo::resets::targets(&mut tx, login).await?;
    if targets.is_empty() {
        tracing::info!(tenant = %tenant, "password reset for an unknown account");
    }
    for target in &targets {
        send(&mut tx, tenant_id, ctx, target, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An administrator sends a user of the tenant a reset link (another tenant's user, or none, is
/// 404; an inactive user 422 `INVALID_STATE`). The caller checks the permission.
pub async fn send_link(tx: &mut Tx, ctx: &RequestCtx, user_id: Uuid) -> AppResult<()> {
    let p = ctx.principal()?;
    let Some(target) = repo::resets::target(tx, user_id).await? else {
        return Err(if repo::sessions::user_exists(tx, user_id).await? {
            AppError::InvalidState
        } else {
            AppError::NotFound
        });
    };
    send(tx, p.tenant_id, ctx, &target, Some(p.user_id)).await
}

/// Writes a reset link's token (valid an hour) and its e-mail in the user's language; audited
/// as asked by `by` (an administrator) or by the user.
async fn send(
    tx: &mut Tx,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    to: &repo::resets::Target,
    by: Option<Uuid>,
) -> AppResult<()> {
    let token = crate::platform::onboarding::new_token();
    repo::tenants::insert_user_token(
        tx,
        tenant_id,
        to.id,
        "password_reset",
        &token_hash(&token),
        Utc::now() + Duration::minutes(RESET_VALID_MINUTES),
    )
    .await?;
    let l: Locale = to.language.parse().unwrap_or_default();
    let url = format!("{}/password-reset?token={token}", outbox::public_url());
    let body = format!(
        "{}\n\n{}\n\n{url}\n\n{}",
        td_string!(l, reset.mail_greeting, name = to.display_name.as_str()),
        td_string!(l, reset.mail_body, username = to.username.as_str()),
        td_string!(l, reset.mail_footer),
    );
    outbox::enqueue(
        tx,
        tenant_id,
        Email {
            to: &to.email,
            to_name: Some(&to.display_name),
            subject: td_string!(l, reset.mail_subject),
            body: &body,
            attachment: None,
            doc_type: None,
            doc_id: None,
        },
    )
    .await?;
    audit::record(
        tx,
        tenant_id,
        ctx,
        Entry {
            user_id: by.or(Some(to.id)),
            action: "password_reset_link",
            entity: "user",
            entity_id: Some(to.id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    Ok(())
}

/// What a link opens, for its page: `None` when unknown, used, expired or its user inactive.
pub async fn link(pool: &PgPool, token: &str) -> AppResult<Option<ResetLink>> {
    let token = token.trim();
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let Some(tenant_id) = repo::tenants::user_token_tenant(pool, &hash).await? else {
        return Ok(None);
    };
    let mut tx = tenant_tx(pool, tenant_id).await?;
    let row = repo::resets::link_for_update(&mut tx, &hash).await?;
    drop(tx);
    Ok(row.filter(|r| r.active).map(|r| ResetLink {
        invite: r.purpose == "invite",
        username: r.username,
    }))
}

/// Chooses a password with a reset or invitation link: the link is used up (with any other open
/// one of the user), failed sign-ins and a lock are cleared, and every session of the user ends.
/// An unknown, used or expired link is 422 `INVALID_STATE`; a weak password 422 on
/// `new_password`, which leaves the link usable.
pub async fn confirm(
    state: &AppState,
    ctx: &RequestCtx,
    token: &str,
    new_password: String,
) -> AppResult<ResetDone> {
    let token = token.trim();
    if token.is_empty() || token.len() > 200 || new_password.len() > 1024 {
        return Err(if token.is_empty() || token.len() > 200 {
            AppError::InvalidState
        } else {
            AppError::field("new_password", FieldError::TooLong)
        });
    }
    let hash = token_hash(token);
    let Some(tenant_id) = repo::tenants::user_token_tenant(&state.pool, &hash).await? else {
        return Err(AppError::InvalidState);
    };
    let mut tx = tenant_tx(&state.pool, tenant_id).await?;
    let Some(link) = repo::resets::link_for_update(&mut tx, &hash).await? else {
        return Err(AppError::InvalidState);
    };
    if !link.active {
        return Err(AppError::InvalidState);
    }
    if let Err(e) = password::check_policy(&new_password, &link.username) {
        return Err(AppError::field("new_password", e));
    }
    let password_hash = password::hash(new_password).await?;
    repo::resets::set_password(&mut tx, link.user_id, &password_hash).await?;
    repo::resets::use_links_of(&mut tx, link.user_id).await?;
    let ended = sessions::end_all(&mut tx, state, link.user_id, None).await?;
    let invite = link.purpose == "invite";
    audit::record(
        &mut tx,
        tenant_id,
        ctx,
        Entry {
            user_id: Some(link.user_id),
            action: if invite {
                "invitation_accepted"
            } else {
                "password_reset"
            },
            entity: "user",
            entity_id: Some(link.user_id.to_string()),
            old: None,
            new: Some(serde_json::json!({ "sessions_ended": ended })),
        },
    )
    .await?;
    let user = crate::platform::service::load_user(&mut tx, link.user_id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(ResetDone {
        tenant: user.tenant.slug,
        username: user.username,
    })
}
