//! SQL of the chart of accounts.
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct AccountRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub is_group: bool,
    pub parent_id: Option<Uuid>,
    pub control: Option<String>,
    pub plant_id: Option<Uuid>,
    pub currency: Option<String>,
    pub tally_name: Option<String>,
    pub active: bool,
    pub depth: i32,
}

/// The whole chart in tree order: each group followed by its members, siblings by code.
pub(crate) async fn chart(conn: &mut PgConnection) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as!(
        AccountRow,
        r#"with recursive tree as (
             select a.*, 0 as depth, array[a.code] as path from accounts a where a.parent_id is null
             union all
             select c.*, t.depth + 1, t.path || c.code
               from accounts c join tree t on c.parent_id = t.id
           )
           select id as "id!", code as "code!", name as "name!", kind as "kind!", is_group as "is_group!",
                  parent_id, control, plant_id, currency::text as currency, tally_name, active as "active!",
                  depth as "depth!"
             from tree order by path"#
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn account(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as!(
        AccountRow,
        r#"select id, code, name, kind, is_group, parent_id, control, plant_id, currency::text as currency,
                  tally_name, active, 0 as "depth!"
             from accounts where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn account_by_code(
    conn: &mut PgConnection,
    code: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from accounts where code = $1", code)
        .fetch_optional(conn)
        .await
}

pub(crate) struct NewAccount<'a> {
    pub tenant_id: Uuid,
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub is_group: bool,
    pub parent_id: Option<Uuid>,
    pub control: Option<&'a str>,
    pub plant_id: Option<Uuid>,
    pub currency: Option<&'a str>,
    pub tally_name: Option<&'a str>,
    pub active: bool,
}

pub(crate) async fn insert_account(
    conn: &mut PgConnection,
    a: &NewAccount<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into accounts (tenant_id, code, name, kind, is_group, parent_id, control, plant_id, currency, tally_name, active)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
        a.tenant_id,
        a.code,
        a.name,
        a.kind,
        a.is_group,
        a.parent_id,
        a.control,
        a.plant_id,
        a.currency,
        a.tally_name,
        a.active
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_account(
    conn: &mut PgConnection,
    id: Uuid,
    a: &NewAccount<'_>,
) -> sqlx::Result<u64> {
    sqlx::query!(
        "update accounts set code = $2, name = $3, kind = $4, is_group = $5, parent_id = $6, control = $7,
                plant_id = $8, currency = $9, tally_name = $10, active = $11
          where id = $1",
        id,
        a.code,
        a.name,
        a.kind,
        a.is_group,
        a.parent_id,
        a.control,
        a.plant_id,
        a.currency,
        a.tally_name,
        a.active
    )
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// Whether anything was ever posted to the account (its kind and grouping are then fixed).
pub(crate) async fn has_postings(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from account_balances where account_id = $1) as "x!""#,
        id
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn has_children(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from accounts where parent_id = $1) as "x!""#,
        id
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn any_account(conn: &mut PgConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists (select 1 from accounts) as "x!""#)
        .fetch_one(conn)
        .await
}

/// The accounts holding the given roles: (role, plant, id, active).
pub(crate) struct ControlRow {
    pub control: String,
    pub plant_id: Option<Uuid>,
    pub id: Uuid,
}

pub(crate) async fn controls(conn: &mut PgConnection) -> sqlx::Result<Vec<ControlRow>> {
    sqlx::query_as!(
        ControlRow,
        r#"select control as "control!", plant_id, id from accounts
            where control is not null and not is_group and active
            order by control, plant_id nulls last, code"#
    )
    .fetch_all(conn)
    .await
}

/// Postable accounts among `ids`: (id, is_group, active).
pub(crate) async fn postable(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, bool, bool)>> {
    let rows = sqlx::query!(
        "select id, is_group, active from accounts where id = any($1)",
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.is_group, r.active))
        .collect())
}

pub(crate) async fn known_plants(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!("select id from plants where id = any($1)", ids)
        .fetch_all(conn)
        .await
}

pub(crate) async fn known_cost_centres(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!("select id from cost_centres where id = any($1)", ids)
        .fetch_all(conn)
        .await
}

/// Runs the rest of the transaction as the application's role (`None`: back to the connection's
/// own), so that row-level security scopes a setup run by the database owner to its tenant.
pub(crate) async fn act_as_app(conn: &mut PgConnection, app: bool) -> sqlx::Result<()> {
    sqlx::query_scalar!(
        r#"select set_config('role', case when $1 then 'millwright_app' else 'none' end, true) as "role!""#,
        app
    )
    .fetch_one(conn)
    .await
    .map(|_| ())
}

/// Serialises chart changes of one tenant (codes, the tree) until the transaction ends.
pub(crate) async fn lock_chart(conn: &mut PgConnection, tenant_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('accounts' || $1::text, 0))",
        tenant_id.to_string()
    )
    .execute(conn)
    .await
    .map(|_| ())
}
