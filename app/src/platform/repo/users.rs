//! Tenants, users, sign-in and API tokens: the statements of authentication and the account page.
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct LoginRow {
    pub(crate) id: Uuid,
    pub(crate) password_hash: String,
    pub(crate) active: bool,
    pub(crate) failed_logins: i32,
    pub(crate) locked_until: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: Uuid,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) email: String,
    pub(crate) language: String,
    pub(crate) active: bool,
    pub(crate) slug: String,
    pub(crate) tenant_name: String,
    pub(crate) currency: String,
    pub(crate) default_language: String,
    pub(crate) timezone: String,
    pub(crate) number_format: String,
    pub(crate) plant_name: Option<String>,
    pub(crate) roles: Vec<String>,
    pub(crate) grants: Vec<String>,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) totp_enabled: bool,
    pub(crate) totp_enrolment_required: bool,
    /// The last day an unverified tenant works (none once its address is verified).
    pub(crate) verify_by: Option<chrono::NaiveDate>,
    pub(crate) setup_pending: bool,
}

pub(crate) async fn tenant_id_by_slug(
    pool: &sqlx::PgPool,
    slug: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(r#"select tenant_id_by_slug($1) as "id""#, slug)
        .fetch_one(pool)
        .await
}

pub(crate) async fn login_row_for_update(
    conn: &mut PgConnection,
    username: &str,
) -> Result<Option<LoginRow>, sqlx::Error> {
    sqlx::query_as!(
        LoginRow,
        "select id, password_hash, active, failed_logins, locked_until
           from users where username = $1 for update",
        username
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn record_failed_login(
    conn: &mut PgConnection,
    user_id: Uuid,
    failed_logins: i32,
    locked_until: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set failed_logins = $2, locked_until = $3 where id = $1",
        user_id,
        failed_logins,
        locked_until
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn record_successful_login(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set failed_logins = 0, locked_until = null, last_login_at = now() where id = $1",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The signed-in user with tenant, plant, roles and grants (`permission:scope`) in one round trip.
pub(crate) async fn user_with_grants(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        r#"select u.id, u.username, u.display_name, u.email, u.language, u.active,
                t.slug, t.name as tenant_name, t.currency::text as "currency!", t.default_language,
                t.timezone, t.number_format, p.name as "plant_name?",
                array(select r.name from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                       where ur.user_id = u.id order by r.name) as "roles!",
                array(select distinct rp.permission || ':' || rp.scope
                        from user_roles ur join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                       where ur.user_id = u.id) as "grants!",
                u.department_id, u.plant_id,
                tf.enabled_at is not null as "totp_enabled!",
                (tf.enabled_at is null and exists (
                   select 1 from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                    where ur.user_id = u.id and r.name = any (t.require_totp_roles))) as "totp_enrolment_required!",
                case when t.email_verified_at is null
                     then (t.created_at at time zone t.timezone)::date + 7 end as "verify_by?",
                t.setup_completed_at is null as "setup_pending!"
           from users u
           join tenants t on t.id = u.tenant_id
           left join plants p on p.tenant_id = u.tenant_id and p.id = u.plant_id
           left join user_totp tf on tf.tenant_id = u.tenant_id and tf.user_id = u.id
          where u.id = $1"#,
        user_id
    )
    .fetch_optional(conn)
    .await
}

/// The same as [`user_with_grants`] outside a transaction, in one round trip (per-request authentication).
pub(crate) async fn principal(
    pool: &sqlx::PgPool,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Option<UserRow>, sqlx::Error> {
    // a function's columns are all nullable to the compiler; these never are
    sqlx::query_as!(
        UserRow,
        r#"select id as "id!", username as "username!", display_name as "display_name!", email as "email!",
                language as "language!", active as "active!", slug as "slug!", tenant_name as "tenant_name!",
                currency as "currency!", default_language as "default_language!", timezone as "timezone!",
                number_format as "number_format!", plant_name, roles as "roles!", grants as "grants!",
                department_id, plant_id, totp_enabled as "totp_enabled!",
                totp_enrolment_required as "totp_enrolment_required!", verify_by,
                setup_pending as "setup_pending!"
           from platform_principal($1, $2)"#,
        tenant_id,
        user_id
    )
    .fetch_optional(pool)
    .await
}

pub(crate) async fn password_hash_of(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select password_hash from users where id = $1 for update",
        user_id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn set_password_hash(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set password_hash = $2, password_changed_at = now() where id = $1",
        user_id,
        hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Returns the previous language.
pub(crate) async fn set_language(
    conn: &mut PgConnection,
    user_id: Uuid,
    language: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"update users u set language = $2 from users old
          where u.tenant_id = old.tenant_id and u.id = old.id and u.id = $1
          returning old.language as "language!""#,
        user_id,
        language
    )
    .fetch_optional(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub(crate) struct TokenRow {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) expires_at: Option<DateTime<Utc>>,
    pub(crate) revoked_at: Option<DateTime<Utc>>,
    pub(crate) last_used_at: Option<DateTime<Utc>>,
}

pub(crate) async fn insert_token(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    name: &str,
    hash: &[u8],
    expires_at: Option<DateTime<Utc>>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into api_tokens (tenant_id, user_id, name, token_hash, expires_at)
         values ($1, $2, $3, $4, $5) returning id",
        tenant_id,
        user_id,
        name,
        hash,
        expires_at
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn tokens_of(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as!(
        TokenRow,
        "select id, name, created_at, expires_at, revoked_at, last_used_at
           from api_tokens where user_id = $1 order by created_at desc limit 100",
        user_id
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn revoke_token(
    conn: &mut PgConnection,
    user_id: Uuid,
    token_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "update api_tokens set revoked_at = coalesce(revoked_at, now())
          where id = $1 and user_id = $2 returning id",
        token_id,
        user_id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn token_lookup(
    pool: &sqlx::PgPool,
    hash: &[u8],
) -> Result<Option<(Uuid, Uuid)>, sqlx::Error> {
    let found = sqlx::query!(
        r#"select tenant_id as "tenant_id!", user_id as "user_id!" from api_token_lookup($1)"#,
        hash
    )
    .fetch_optional(pool)
    .await?;
    Ok(found.map(|r| (r.tenant_id, r.user_id)))
}
