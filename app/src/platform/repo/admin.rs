//! Users and roles as administrators keep them: the user list and form, role assignments, the
//! roles and their grants, and the count that keeps the tenant from locking itself out. Every
//! statement runs on the caller's tenant transaction (row-level security names the tenant).
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// The password hash of a user invited who has not chosen a password yet: no password verifies
/// against it (it is not a hash).
pub(crate) const INVITED: &str = "!invited";

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: Uuid,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) email: String,
    pub(crate) language: String,
    pub(crate) active: bool,
    pub(crate) locked_until: Option<DateTime<Utc>>,
    pub(crate) last_login_at: Option<DateTime<Utc>>,
    pub(crate) invited: bool,
    pub(crate) totp_enabled: bool,
    pub(crate) roles: Vec<String>,
    pub(crate) manager_id: Option<Uuid>,
    pub(crate) manager_name: Option<String>,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) department_name: Option<String>,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) plant_name: Option<String>,
}

/// A page of users matching the filters (`pattern` an `ilike` pattern over name, user name and
/// e-mail), by name.
pub(crate) async fn list_users(
    conn: &mut PgConnection,
    pattern: Option<&str>,
    active: Option<bool>,
    role: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"select u.id, u.username, u.display_name, u.email, u.language, u.active, u.locked_until,
                u.last_login_at, u.password_hash = '!invited' as "invited!",
                tf.enabled_at is not null as "totp_enabled!",
                array(select r.name from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                       where ur.tenant_id = u.tenant_id and ur.user_id = u.id order by r.name) as "roles!",
                m.id as "manager_id?", m.display_name as "manager_name?",
                d.id as "department_id?", d.name as "department_name?",
                p.id as "plant_id?", p.name as "plant_name?"
           from users u
           left join user_totp tf on tf.tenant_id = u.tenant_id and tf.user_id = u.id
           left join users m on m.tenant_id = u.tenant_id and m.id = u.manager_id
           left join departments d on d.tenant_id = u.tenant_id and d.id = u.department_id
           left join plants p on p.tenant_id = u.tenant_id and p.id = u.plant_id
          where ($1::text is null or u.display_name ilike $1 or u.username ilike $1 or u.email ilike $1)
            and ($2::bool is null or u.active = $2)
            and ($3::text is null or exists (
                  select 1 from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                   where ur.tenant_id = u.tenant_id and ur.user_id = u.id and r.name = $3))
          order by u.display_name, u.username, u.id
          limit $4 offset $5"#,
        pattern,
        active,
        role,
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

/// How many users the filters of [`list_users`] match.
pub(crate) async fn count_users(
    conn: &mut PgConnection,
    pattern: Option<&str>,
    active: Option<bool>,
    role: Option<&str>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from users u
          where ($1::text is null or u.display_name ilike $1 or u.username ilike $1 or u.email ilike $1)
            and ($2::bool is null or u.active = $2)
            and ($3::text is null or exists (
                  select 1 from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                   where ur.tenant_id = u.tenant_id and ur.user_id = u.id and r.name = $3))"#,
        pattern,
        active,
        role
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn user_by_id(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"select u.id, u.username, u.display_name, u.email, u.language, u.active, u.locked_until,
                u.last_login_at, u.password_hash = '!invited' as "invited!",
                tf.enabled_at is not null as "totp_enabled!",
                array(select r.name from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                       where ur.tenant_id = u.tenant_id and ur.user_id = u.id order by r.name) as "roles!",
                m.id as "manager_id?", m.display_name as "manager_name?",
                d.id as "department_id?", d.name as "department_name?",
                p.id as "plant_id?", p.name as "plant_name?"
           from users u
           left join user_totp tf on tf.tenant_id = u.tenant_id and tf.user_id = u.id
           left join users m on m.tenant_id = u.tenant_id and m.id = u.manager_id
           left join departments d on d.tenant_id = u.tenant_id and d.id = u.department_id
           left join plants p on p.tenant_id = u.tenant_id and p.id = u.plant_id
          where u.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) struct NewUserRow<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) username: &'a str,
    pub(crate) email: &'a str,
    pub(crate) display_name: &'a str,
    pub(crate) password_hash: &'a str,
    pub(crate) language: &'a str,
    pub(crate) manager_id: Option<Uuid>,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) plant_id: Option<Uuid>,
}

pub(crate) async fn insert_user(conn: &mut PgConnection, u: &NewUserRow<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into users (tenant_id, username, email, display_name, password_hash, language,
                            manager_id, department_id, plant_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        u.tenant_id,
        u.username,
        u.email,
        u.display_name,
        u.password_hash,
        u.language,
        u.manager_id,
        u.department_id,
        u.plant_id
    )
    .fetch_one(conn)
    .await
}

/// What an administrator edits of a user.
pub(crate) struct UserFacts<'a> {
    pub(crate) display_name: &'a str,
    pub(crate) email: &'a str,
    pub(crate) language: &'a str,
    pub(crate) manager_id: Option<Uuid>,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) plant_id: Option<Uuid>,
}

pub(crate) async fn update_user(
    conn: &mut PgConnection,
    id: Uuid,
    f: &UserFacts<'_>,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "update users set display_name = $2, email = $3, language = $4, manager_id = $5,
                          department_id = $6, plant_id = $7
          where id = $1 returning id",
        id,
        f.display_name,
        f.email,
        f.language,
        f.manager_id,
        f.department_id,
        f.plant_id
    )
    .fetch_optional(conn)
    .await
}

/// The role ids of the names given that exist (system roles by their system name).
pub(crate) async fn roles_named(
    conn: &mut PgConnection,
    names: &[String],
) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!("select id, name from roles where name = any($1)", names)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// Removes the user's roles that are not among `keep`.
pub(crate) async fn remove_roles_except(
    conn: &mut PgConnection,
    user_id: Uuid,
    keep: &[Uuid],
) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "delete from user_roles where user_id = $1 and role_id <> all($2)",
        user_id,
        keep
    )
    .execute(conn)
    .await?
    .rows_affected())
}

pub(crate) async fn add_roles(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    roles: &[Uuid],
) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "insert into user_roles (tenant_id, user_id, role_id)
         select $1, $2, r from unnest($3::uuid[]) as r
         on conflict do nothing",
        tenant_id,
        user_id,
        roles
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Sets whether the user is active; the previous value (`None`: no such user).
pub(crate) async fn set_active(
    conn: &mut PgConnection,
    id: Uuid,
    active: bool,
) -> sqlx::Result<Option<bool>> {
    sqlx::query_scalar!(
        r#"update users u set active = $2 from users old
          where u.tenant_id = old.tenant_id and u.id = old.id and u.id = $1
          returning old.active as "active!""#,
        id,
        active
    )
    .fetch_optional(conn)
    .await
}

/// Revokes every token of the user not revoked yet; how many.
pub(crate) async fn revoke_tokens_of(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update api_tokens set revoked_at = now() where user_id = $1 and revoked_at is null",
        user_id
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Clears the lock and the failed sign-ins; the lock's end before (`None`: no such user).
pub(crate) async fn unlock(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<Option<DateTime<Utc>>>> {
    let row = sqlx::query!(
        r#"update users u set failed_logins = 0, locked_until = null from users old
          where u.tenant_id = old.tenant_id and u.id = old.id and u.id = $1
          returning old.locked_until"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.locked_until))
}

/// Changes of administration wait for each other within the tenant (two administrators
/// removing each other at once cannot both pass the check of [`administrators`]).
pub(crate) async fn lock_administration(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('administration:' || $1::uuid::text, 0))",
        tenant_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Active users holding every permission of `permissions` (through any of their roles).
pub(crate) async fn administrators(
    conn: &mut PgConnection,
    permissions: &[String],
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from users u
          where u.active
            and (select count(distinct rp.permission)
                   from user_roles ur
                   join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                  where ur.tenant_id = u.tenant_id and ur.user_id = u.id
                    and rp.permission = any($1)) = cardinality($1)"#,
        permissions
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn departments(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    let rows = sqlx::query!("select id, code, name from departments order by name, code")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.code, r.name)).collect())
}

pub(crate) async fn plants(conn: &mut PgConnection) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    let rows = sqlx::query!("select id, code, name from plants order by name, code")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.code, r.name)).collect())
}

/// Every user's id, user name, name and whether active (managers to choose, import look-ups).
pub(crate) async fn user_names(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, String, bool)>> {
    let rows = sqlx::query!(
        "select id, username, display_name, active from users order by display_name, username"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.username, r.display_name, r.active))
        .collect())
}

#[derive(sqlx::FromRow)]
pub(crate) struct RoleRow {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) is_system: bool,
    pub(crate) users: i64,
    /// `permission:scope`
    pub(crate) grants: Vec<String>,
}

pub(crate) async fn list_roles(conn: &mut PgConnection) -> sqlx::Result<Vec<RoleRow>> {
    sqlx::query_as!(
        RoleRow,
        r#"select r.id, r.name, r.description, r.is_system,
                (select count(*) from user_roles ur where ur.tenant_id = r.tenant_id and ur.role_id = r.id) as "users!",
                array(select rp.permission || ':' || rp.scope from role_permissions rp
                       where rp.tenant_id = r.tenant_id and rp.role_id = r.id order by rp.permission) as "grants!"
           from roles r
          order by not r.is_system, r.name"#
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn role_by_id(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<RoleRow>> {
    sqlx::query_as!(
        RoleRow,
        r#"select r.id, r.name, r.description, r.is_system,
                (select count(*) from user_roles ur where ur.tenant_id = r.tenant_id and ur.role_id = r.id) as "users!",
                array(select rp.permission || ':' || rp.scope from role_permissions rp
                       where rp.tenant_id = r.tenant_id and rp.role_id = r.id order by rp.permission) as "grants!"
           from roles r
          where r.id = $1
            for update"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn insert_role(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    name: &str,
    description: &str,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into roles (tenant_id, name, description) values ($1, $2, $3) returning id",
        tenant_id,
        name,
        description
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_role(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
    description: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update roles set name = $2, description = $3 where id = $1",
        id,
        name,
        description
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the role's grants with `permissions` at `scopes` (the same length).
pub(crate) async fn clear_grants(conn: &mut PgConnection, role_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from role_permissions where role_id = $1", role_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn insert_grants(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    role_id: Uuid,
    permissions: &[String],
    scopes: &[String],
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into role_permissions (tenant_id, role_id, permission, scope)
         select $1, $2, p, s from unnest($3::text[], $4::text[]) as g(p, s)",
        tenant_id,
        role_id,
        permissions,
        scopes
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_role(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<u64> {
    Ok(sqlx::query!("delete from roles where id = $1", id)
        .execute(conn)
        .await?
        .rows_affected())
}
