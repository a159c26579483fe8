//! Two-factor sign-in: a user's TOTP secret, their recovery codes, and the tenant's policy.
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct TotpRow {
    pub(crate) secret: Vec<u8>,
    pub(crate) enabled_at: Option<DateTime<Utc>>,
    pub(crate) last_step: Option<i64>,
}

/// The user's secret, locked: two sign-ins with the same code never both pass.
pub(crate) async fn totp_for_update(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<TotpRow>, sqlx::Error> {
    sqlx::query_as!(
        TotpRow,
        "select secret, enabled_at, last_step from user_totp where user_id = $1 for update",
        user_id
    )
    .fetch_optional(conn)
    .await
}

/// A new pending secret, replacing a pending one; `None` when TOTP is already on.
pub(crate) async fn set_pending(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    secret: &[u8],
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into user_totp (tenant_id, user_id, secret) values ($1, $2, $3)
         on conflict (tenant_id, user_id) do update
            set secret = excluded.secret, enabled_at = null, last_step = null, created_at = now()
          where user_totp.enabled_at is null
         returning user_id",
        tenant_id,
        user_id,
        secret
    )
    .fetch_optional(conn)
    .await
}

/// Turns the pending secret on, `step` being the step of the code that confirmed it.
pub(crate) async fn enable(
    conn: &mut PgConnection,
    user_id: Uuid,
    step: i64,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "update user_totp set enabled_at = now(), last_step = $2
          where user_id = $1 and enabled_at is null returning user_id",
        user_id,
        step
    )
    .fetch_optional(conn)
    .await
}

/// Remembers the step of an accepted code, so that it is not accepted again.
pub(crate) async fn use_step(
    conn: &mut PgConnection,
    user_id: Uuid,
    step: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update user_totp set last_step = $2 where user_id = $1",
        user_id,
        step
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_totp(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from user_totp where user_id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn delete_recovery_codes(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from user_recovery_codes where user_id = $1",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert_recovery_codes(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    hashes: &[Vec<u8>],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into user_recovery_codes (tenant_id, user_id, code_hash)
         select $1, $2, h from unnest($3::bytea[]) as h",
        tenant_id,
        user_id,
        hashes
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an unused recovery code used; `None` when there is no such unused code.
pub(crate) async fn use_recovery_code(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &[u8],
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "update user_recovery_codes set used_at = now()
          where user_id = $1 and code_hash = $2 and used_at is null returning user_id",
        user_id,
        hash
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn recovery_codes_left(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from user_recovery_codes where user_id = $1 and used_at is null"#,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// The sign-in row of a user by id (the form's second step), locked like the first step's.
pub(crate) async fn login_row_by_id_for_update(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<super::users::LoginRow>, sqlx::Error> {
    sqlx::query_as!(
        super::users::LoginRow,
        "select id, password_hash, active, failed_logins, locked_until
           from users where id = $1 for update",
        user_id
    )
    .fetch_optional(conn)
    .await
}

/// The roles whose holders must use two-factor sign-in.
pub(crate) async fn required_roles(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select require_totp_roles from tenants")
        .fetch_one(conn)
        .await
}

/// Sets the policy; returns the previous roles.
pub(crate) async fn set_required_roles(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    roles: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"update tenants t set require_totp_roles = $2 from tenants old
          where t.id = old.id and t.id = $1
          returning old.require_totp_roles as "roles!""#,
        tenant_id,
        roles
    )
    .fetch_one(conn)
    .await
}

/// Which of `names` are roles of the tenant.
pub(crate) async fn existing_roles(
    conn: &mut PgConnection,
    names: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select name from roles where name = any($1)", names)
        .fetch_all(conn)
        .await
}
