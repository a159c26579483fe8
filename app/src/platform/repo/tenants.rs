//! SQL of a tenant's creation (sign-up, `millwright tenant create`, the demo's roles) and of the
//! single-use links sent by e-mail.
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub(crate) struct NewTenant<'a> {
    pub(crate) id: Uuid,
    pub(crate) slug: &'a str,
    pub(crate) name: &'a str,
    pub(crate) language: &'a str,
    pub(crate) currency: &'a str,
    pub(crate) timezone: &'a str,
    pub(crate) number_format: &'a str,
    pub(crate) fiscal_year_start_month: i16,
    pub(crate) signup_email: &'a str,
}

/// The tenant row, in a transaction whose tenant setting is its own id (row-level security).
pub(crate) async fn insert_tenant(conn: &mut PgConnection, t: &NewTenant<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into tenants (id, slug, name, default_language, currency, timezone, number_format,
                              fiscal_year_start_month, signup_email)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        t.id,
        t.slug,
        t.name,
        t.language,
        t.currency,
        t.timezone,
        t.number_format,
        t.fiscal_year_start_month,
        t.signup_email
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert_company(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    name: &str,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into companies (tenant_id, name) values ($1, $2) returning id",
        tenant_id,
        name
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn insert_plant(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    company_id: Uuid,
    code: &str,
    name: &str,
    timezone: &str,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into plants (tenant_id, company_id, code, name, timezone) values ($1, $2, $3, $4, $5) returning id",
        tenant_id,
        company_id,
        code,
        name,
        timezone
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn insert_department(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    code: &str,
    name: &str,
    plant_id: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into departments (tenant_id, code, name, plant_id) values ($1, $2, $3, $4) returning id",
        tenant_id,
        code,
        name,
        plant_id
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn insert_cost_centre(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    code: &str,
    name: &str,
    department_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into cost_centres (tenant_id, code, name, department_id) values ($1, $2, $3, $4)",
        tenant_id,
        code,
        name,
        department_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A system role (made one if a role of that name exists); its id.
pub(crate) async fn upsert_system_role(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    name: &str,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into roles (tenant_id, name, description, is_system) values ($1, $2, '', true)
         on conflict (tenant_id, name) do update set is_system = true returning id",
        tenant_id,
        name
    )
    .fetch_one(conn)
    .await
}

/// Grants the permission at the scope (the scope replaced if it was granted already).
pub(crate) async fn grant(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    role_id: Uuid,
    permission: &str,
    scope: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into role_permissions (tenant_id, role_id, permission, scope) values ($1, $2, $3, $4)
         on conflict (tenant_id, role_id, permission) do update set scope = excluded.scope",
        tenant_id,
        role_id,
        permission,
        scope
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) struct NewUser<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) username: &'a str,
    pub(crate) email: &'a str,
    pub(crate) display_name: &'a str,
    pub(crate) password_hash: &'a str,
    pub(crate) language: &'a str,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) plant_id: Option<Uuid>,
}

pub(crate) async fn insert_user(conn: &mut PgConnection, u: &NewUser<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into users (tenant_id, username, email, display_name, password_hash, language, department_id, plant_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        u.tenant_id,
        u.username,
        u.email,
        u.display_name,
        u.password_hash,
        u.language,
        u.department_id,
        u.plant_id
    )
    .fetch_one(conn)
    .await
}

/// Gives the user the tenant's role of that name.
pub(crate) async fn assign_role(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    role: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into user_roles (tenant_id, user_id, role_id)
         select $1, $2, id from roles where tenant_id = $1 and name = $3",
        tenant_id,
        user_id,
        role
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert_user_token(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    purpose: &str,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into user_tokens (tenant_id, user_id, purpose, token_hash, expires_at) values ($1, $2, $3, $4, $5)",
        tenant_id,
        user_id,
        purpose,
        token_hash,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The tenant a link's token belongs to (before any tenant is set).
pub(crate) async fn user_token_tenant(
    pool: &PgPool,
    token_hash: &[u8],
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select user_token_tenant($1) as tenant_id", token_hash)
        .fetch_one(pool)
        .await
}

/// Uses the token once: its user when it is of that purpose, unused and unexpired.
pub(crate) async fn use_user_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
    purpose: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "update user_tokens set used_at = now()
          where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
          returning user_id",
        token_hash,
        purpose
    )
    .fetch_optional(conn)
    .await
}

/// The current tenant's address is verified (the first time only).
pub(crate) async fn mark_email_verified(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("update tenants set email_verified_at = coalesce(email_verified_at, now())")
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) struct TenantRow {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) currency: String,
    pub(crate) users: i64,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) verified: bool,
}

/// Every tenant with its number of users (on the owner's connection).
pub(crate) async fn list_tenants(owner: &PgPool) -> sqlx::Result<Vec<TenantRow>> {
    sqlx::query_as!(
        TenantRow,
        r#"select t.slug, t.name, t.currency::text as "currency!", t.created_at,
                  (select count(*) from users u where u.tenant_id = t.id) as "users!",
                  t.email_verified_at is not null as "verified!"
             from tenants t order by t.created_at, t.slug"#
    )
    .fetch_all(owner)
    .await
}

/// The current tenant's address verification: when verified (if it is) and when it was created.
pub(crate) async fn verification(
    conn: &mut PgConnection,
) -> sqlx::Result<Option<(Option<DateTime<Utc>>, DateTime<Utc>)>> {
    Ok(
        sqlx::query!("select email_verified_at, created_at from tenants")
            .fetch_optional(conn)
            .await?
            .map(|r| (r.email_verified_at, r.created_at)),
    )
}

/// The tenant's first administrator (who signed it up), to send the link to again.
pub(crate) async fn signup_contact(
    conn: &mut PgConnection,
) -> sqlx::Result<Option<(Uuid, String, String)>> {
    Ok(sqlx::query!(
        r#"select u.id, u.email, u.display_name from tenants t
             join users u on u.tenant_id = t.id and u.email = t.signup_email
            order by u.created_at limit 1"#
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.id, r.email, r.display_name)))
}
