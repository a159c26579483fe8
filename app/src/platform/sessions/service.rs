//! Sessions bound to users: written when a sign-in binds one, seen at most once a minute, ended
//! one by one, all but the current one, or all. Ending a session deletes its record from the
//! session store and announces it on `millwright_changes` at commit, which drops it from every
//! instance's kept sessions: its cookie stops working at its next request, on any instance.
use super::SessionView;
use crate::error::{AppError, AppResult};
use crate::platform::audit::{self, Entry};
use crate::platform::cache::session_payload;
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::{tenant_tx, Tx, CHANGES};
use crate::platform::repo;
use chrono::{DateTime, Utc};
use tower_sessions::session::Id;
use tower_sessions::Session;
use uuid::Uuid;

/// The session's key of its row: when the row was last written (Unix seconds). A session bound
/// to a user without it was bound before sessions were listed, and is not accepted (its owner
/// signs in again once), so that no session escapes being listed and ended.
pub(crate) const LISTED: &str = "mw.listed";
/// `last_seen_at` is written at most this often per session.
pub const SEEN_EVERY_SECS: i64 = 60;

/// What the table keeps of a session id: its SHA-256 (the text of the cookie's value).
pub fn key_hash(id: Id) -> Vec<u8> {
    crate::platform::service::token_hash(&id.to_string())
}

fn session_err(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Unavailable
}

/// Lists a session just bound to the user (by [`crate::platform::service::start_session`]): the
/// record is saved now so that its id is known, and the row written with the request's IP and
/// user agent.
pub(crate) async fn list_new(
    state: &AppState,
    ctx: &RequestCtx,
    session: &Session,
    tenant_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    session
        .insert(LISTED, now.timestamp())
        .await
        .map_err(session_err)?;
    session.save().await.map_err(session_err)?;
    let id = session.id().ok_or(AppError::Internal)?;
    let mut tx = tenant_tx(&state.pool, tenant_id).await?;
    repo::sessions::insert(
        &mut tx,
        tenant_id,
        user_id,
        &key_hash(id),
        ctx.ip.as_deref(),
        ctx.user_agent.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A request of a session bound to a user: false when the session is not (or no longer) listed —
/// ended elsewhere, or bound before sessions were listed — and must be treated as signed out.
/// Its `last_seen_at` is written at most once a minute.
pub(crate) async fn seen(
    state: &AppState,
    tenant_id: Uuid,
    session: &Session,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let listed: Option<i64> = session.get(LISTED).await.map_err(session_err)?;
    let Some(listed) = listed else {
        return Ok(false);
    };
    if now.timestamp() - listed < SEEN_EVERY_SECS {
        return Ok(true);
    }
    let Some(id) = session.id() else {
        return Ok(false);
    };
    let mut tx = tenant_tx(&state.pool, tenant_id).await?;
    let alive = repo::sessions::touch(&mut tx, &key_hash(id)).await?;
    tx.commit().await?;
    if alive {
        session
            .insert(LISTED, now.timestamp())
            .await
            .map_err(session_err)?;
    }
    Ok(alive)
}

/// The row of a session whose id was cycled (a password change keeps the session it was made in).
pub(crate) async fn rehash(
    state: &AppState,
    tenant_id: Uuid,
    old: Id,
    session: &Session,
) -> AppResult<()> {
    session.save().await.map_err(session_err)?;
    let Some(new) = session.id() else {
        return Ok(());
    };
    let mut tx = tenant_tx(&state.pool, tenant_id).await?;
    repo::sessions::rehash(&mut tx, &key_hash(old), &key_hash(new)).await?;
    tx.commit().await?;
    Ok(())
}

/// The row of a session that signs out.
pub(crate) async fn forget(tx: &mut Tx, session: &Session) -> AppResult<()> {
    if let Some(id) = session.id() {
        repo::sessions::delete_by_hash(tx, &key_hash(id)).await?;
    }
    Ok(())
}

/// Ends every session of `user_id` in the transaction's tenant but `except` (the caller's own,
/// when a password change keeps it): their rows and their records go with the transaction, and
/// every instance drops them when it commits. For password reset and change, deactivation, an
/// administrator's "end all sessions". Returns how many were ended.
pub async fn end_all(
    tx: &mut Tx,
    state: &AppState,
    user_id: Uuid,
    except: Option<Id>,
) -> AppResult<usize> {
    let except = except.map(key_hash);
    let hashes = repo::sessions::delete_of_user(tx, user_id, except.as_deref()).await?;
    end_records(tx, state, &hashes).await?;
    Ok(hashes.len())
}

/// Deletes the sessions' records and announces their end at commit; this instance drops them
/// from its kept sessions at once after the commit (before its own announcement comes back).
async fn end_records(tx: &mut Tx, state: &AppState, hashes: &[Vec<u8>]) -> AppResult<()> {
    if hashes.is_empty() {
        return Ok(());
    }
    let ids: Vec<Id> = repo::sessions::end_records(tx, hashes)
        .await?
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let payloads: Vec<String> = ids.iter().map(|id| session_payload(*id)).collect();
    repo::sessions::notify_at_commit(tx, CHANGES, &payloads).await?;
    let caches = state.caches.clone();
    tx.after_commit(async move {
        for id in ids {
            caches.sessions.remove(id.0);
        }
    });
    Ok(())
}

/// The caller's live sessions, the most recently seen first; `current` marks the one this
/// request came with.
pub async fn list(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    current: Option<Id>,
) -> AppResult<Vec<SessionView>> {
    let p = ctx.principal()?;
    let current = current.filter(|_| !p.via_token).map(key_hash);
    let rows = repo::sessions::live_of(tx, p.user_id, state.session_absolute_secs).await?;
    let tz: chrono_tz::Tz = p.user.tenant.timezone.parse().unwrap_or(chrono_tz::UTC);
    let local = |at: DateTime<Utc>| at.with_timezone(&tz).naive_local();
    Ok(rows
        .into_iter()
        .map(|r| SessionView {
            current: current.as_ref() == Some(&r.session_hash),
            signed_in_local: local(r.created_at),
            seen_local: local(r.last_seen_at),
            id: r.id,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            ip: r.ip,
            user_agent: r.user_agent,
        })
        .collect())
}

/// Ends one of the caller's other sessions. Another user's session, or none, is 404; the current
/// one is 422 `INVALID_STATE` (signing out ends it).
pub async fn end_one(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    current: Option<Id>,
) -> AppResult<()> {
    let p = ctx.principal()?;
    let hash = repo::sessions::delete_one(tx, p.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !p.via_token && current.map(key_hash).as_ref() == Some(&hash) {
        return Err(AppError::InvalidState);
    }
    end_records(tx, state, std::slice::from_ref(&hash)).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "end_session",
            entity: "user",
            entity_id: Some(p.user_id.to_string()),
            old: Some(serde_json::json!({ "session": id })),
            new: None,
        },
    )
    .await?;
    Ok(())
}

/// An administrator ends every session of a user of the tenant (`user:manage`); another
/// tenant's user, or none, is 404. Their API tokens are not touched. Returns how many ended.
pub async fn end_all_of_user(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    user_id: Uuid,
) -> AppResult<usize> {
    let p = ctx.principal()?;
    p.require("user:manage")?;
    if !repo::sessions::user_exists(tx, user_id).await? {
        return Err(AppError::NotFound);
    }
    let ended = end_all(tx, state, user_id, None).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "end_sessions",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            old: None,
            new: Some(serde_json::json!({ "ended": ended })),
        },
    )
    .await?;
    Ok(ended)
}

/// Removes the rows of sessions that expired or are gone, in every tenant (the hourly sweep).
pub async fn sweep(pool: &sqlx::PgPool) -> AppResult<i64> {
    Ok(repo::sessions::sweep(pool).await?)
}
