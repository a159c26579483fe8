//! The in-app notifications' statements (the inbox, its unread count, marking read) and the
//! announcements of changes and notification signals (`pg_notify`).
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub(crate) struct NotificationRow {
    pub(crate) id: Uuid,
    pub(crate) kind: String,
    pub(crate) doc_type: Option<String>,
    pub(crate) doc_id: Option<Uuid>,
    pub(crate) doc_number: Option<String>,
    pub(crate) comment: Option<String>,
    pub(crate) read_at: Option<DateTime<Utc>>,
    pub(crate) created_at: DateTime<Utc>,
}

/// The user's newest 50 notifications.
pub(crate) async fn latest_notifications(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as!(
        NotificationRow,
        "select id, kind, doc_type, doc_id, doc_number, comment, read_at, created_at
           from notifications where user_id = $1 order by created_at desc limit 50",
        user_id
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn count_unread(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from notifications where user_id = $1 and read_at is null"#,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Marks notification `id` of the user read, or all of theirs when `id` is `None`; returns how
/// many rows it touched.
pub(crate) async fn mark_read(
    conn: &mut PgConnection,
    user_id: Uuid,
    id: Option<Uuid>,
) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update notifications set read_at = coalesce(read_at, now())
          where user_id = $1 and ($2::uuid is null or id = $2)",
        user_id,
        id
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Sends each payload on its channel (`pg_notify`) in one statement, on the pool: what committed
/// transactions announce.
pub(crate) async fn pg_notify_all(
    pool: &PgPool,
    channels: &[&str],
    payloads: &[String],
) -> sqlx::Result<()> {
    sqlx::query!(
        "select pg_notify(c, p) from unnest($1::text[], $2::text[]) as x(c, p)",
        channels as &[&str],
        payloads
    )
    .execute(pool)
    .await?;
    Ok(())
}
