//! Password reset and invitation links: who a link is for, using it, and the new password.
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct Target {
    pub(crate) id: Uuid,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) email: String,
    pub(crate) language: String,
}

/// The active users of the current tenant a reset is asked for: by user name, or by e-mail
/// address (several users may share one).
pub(crate) async fn targets(conn: &mut PgConnection, login: &str) -> sqlx::Result<Vec<Target>> {
    sqlx::query_as!(
        Target,
        "select id, username, display_name, email, language from users
          where active and (username = lower($1) or lower(email) = lower($1))
          order by username limit 10",
        login
    )
    .fetch_all(conn)
    .await
}

/// An active user to send a link to.
pub(crate) async fn target(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<Option<Target>> {
    sqlx::query_as!(
        Target,
        "select id, username, display_name, email, language from users where id = $1 and active",
        user_id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) struct LinkRow {
    pub(crate) user_id: Uuid,
    pub(crate) purpose: String,
    pub(crate) username: String,
    pub(crate) active: bool,
}

/// The link's user when it is a reset or an invitation, unused and unexpired; locked until the
/// transaction ends.
pub(crate) async fn link_for_update(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> sqlx::Result<Option<LinkRow>> {
    sqlx::query_as!(
        LinkRow,
        "select t.user_id, t.purpose, u.username, u.active
           from user_tokens t join users u on u.tenant_id = t.tenant_id and u.id = t.user_id
          where t.token_hash = $1 and t.purpose in ('password_reset', 'invite')
            and t.used_at is null and t.expires_at > now()
            for update of t",
        token_hash
    )
    .fetch_optional(conn)
    .await
}

/// Uses up every open reset and invitation link of the user (the one used, and any older one).
pub(crate) async fn use_links_of(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update user_tokens set used_at = now()
          where user_id = $1 and purpose in ('password_reset', 'invite') and used_at is null",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The chosen password; failed sign-ins and a lock are cleared.
pub(crate) async fn set_password(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set password_hash = $2, password_changed_at = now(), failed_logins = 0,
                locked_until = null
          where id = $1",
        user_id,
        hash
    )
    .execute(conn)
    .await?;
    Ok(())
}
