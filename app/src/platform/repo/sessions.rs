//! Where each user is signed in (`user_sessions`, keyed by the hash of the session id) and the
//! statements that end sessions in the session store itself.
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub(crate) struct SessionRow {
    pub(crate) id: Uuid,
    pub(crate) session_hash: Vec<u8>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) last_seen_at: DateTime<Utc>,
    pub(crate) ip: Option<String>,
    pub(crate) user_agent: Option<String>,
}

pub(crate) async fn insert(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    session_hash: &[u8],
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into user_sessions (tenant_id, user_id, session_hash, ip, user_agent)
         values ($1, $2, $3, left($4, 64), left($5, 512))
         on conflict (tenant_id, session_hash) do nothing",
        tenant_id,
        user_id,
        session_hash,
        ip,
        user_agent
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The session was seen now; false when it has no row any more (it was ended).
pub(crate) async fn touch(conn: &mut PgConnection, session_hash: &[u8]) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "update user_sessions set last_seen_at = now() where session_hash = $1",
        session_hash
    )
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}

/// The same session under its new id (the id is cycled when the password changes).
pub(crate) async fn rehash(conn: &mut PgConnection, old: &[u8], new: &[u8]) -> sqlx::Result<()> {
    sqlx::query!(
        "update user_sessions set session_hash = $2, last_seen_at = now() where session_hash = $1",
        old,
        new
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_by_hash(
    conn: &mut PgConnection,
    session_hash: &[u8],
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from user_sessions where session_hash = $1",
        session_hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The user's live sessions (their record in the store unexpired, signed in less than
/// `max_age_secs` ago), the most recently seen first.
pub(crate) async fn live_of(
    conn: &mut PgConnection,
    user_id: Uuid,
    max_age_secs: i64,
) -> sqlx::Result<Vec<SessionRow>> {
    sqlx::query_as!(
        SessionRow,
        "select us.id, us.session_hash, us.created_at, us.last_seen_at, us.ip, us.user_agent
           from user_sessions us
          where us.user_id = $1
            and us.created_at > now() - make_interval(secs => $2)
            and exists (select 1 from tower_sessions.session s
                         where session_key_hash(s.id) = us.session_hash and s.expiry_date > now())
          order by us.last_seen_at desc, us.created_at desc
          limit 100",
        user_id,
        max_age_secs as f64
    )
    .fetch_all(conn)
    .await
}

/// Removes the user's sessions (all but `except`); the hashes of those removed.
pub(crate) async fn delete_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    except: Option<&[u8]>,
) -> sqlx::Result<Vec<Vec<u8>>> {
    sqlx::query_scalar!(
        "delete from user_sessions
          where user_id = $1 and ($2::bytea is null or session_hash <> $2)
          returning session_hash",
        user_id,
        except
    )
    .fetch_all(conn)
    .await
}

/// Removes one of the user's sessions; its hash, or None when it is not theirs.
pub(crate) async fn delete_one(
    conn: &mut PgConnection,
    user_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar!(
        "delete from user_sessions where user_id = $1 and id = $2 returning session_hash",
        user_id,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Deletes the sessions' records from the store (found by the hash of their id); their ids.
pub(crate) async fn end_records(
    conn: &mut PgConnection,
    hashes: &[Vec<u8>],
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "delete from tower_sessions.session where session_key_hash(id) = any($1) returning id",
        hashes
    )
    .fetch_all(conn)
    .await
}

/// Sends each payload on `channel` when the transaction commits.
pub(crate) async fn notify_at_commit(
    conn: &mut PgConnection,
    channel: &str,
    payloads: &[String],
) -> sqlx::Result<()> {
    sqlx::query!(
        "select pg_notify($1, p) from unnest($2::text[]) as x(p)",
        channel,
        payloads
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the user exists in the current tenant.
pub(crate) async fn user_exists(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from users where id = $1) as "found!""#,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Removes rows whose session expired or is gone, in every tenant; how many.
pub(crate) async fn sweep(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select sweep_user_sessions() as "n!""#)
        .fetch_one(pool)
        .await
}
