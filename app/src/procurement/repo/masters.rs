//! SQL of procurement's master data besides suppliers: projects and the plants they belong to.
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct ProjectRow {
    pub(crate) id: Uuid,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) plant: Option<String>,
    pub(crate) active: bool,
}

/// Every project, inactive ones too (after the active), by code.
pub(crate) async fn all_projects(conn: &mut PgConnection) -> sqlx::Result<Vec<ProjectRow>> {
    sqlx::query_as!(ProjectRow, r#"select p.id, p.code, p.name, p.plant_id, pl.name as "plant?", p.active
          from projects p left join plants pl on pl.id = p.plant_id order by p.active desc, p.code limit 1000"#)
    .fetch_all(conn)
    .await
}

pub(crate) async fn project(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<ProjectRow>> {
    sqlx::query_as!(
        ProjectRow,
        r#"select p.id, p.code, p.name, p.plant_id, pl.name as "plant?", p.active
          from projects p left join plants pl on pl.id = p.plant_id where p.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The project, locked for an update.
pub(crate) async fn lock_project(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<ProjectRow>> {
    sqlx::query_as!(ProjectRow, r#"select p.id, p.code, p.name, p.plant_id, pl.name as "plant?", p.active
          from projects p left join plants pl on pl.id = p.plant_id where p.id = $1 for update of p"#, id)
    .fetch_optional(conn)
    .await
}

/// Whether the plant is one of this tenant's.
pub(crate) async fn plant_exists(conn: &mut PgConnection, plant: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from plants where id = $1) as "found!""#,
        plant
    )
    .fetch_one(conn)
    .await
}

/// One statement for both: a new id (none) inserts, a known one updates; the project's id.
pub(crate) async fn save_project(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Option<Uuid>,
    code: &str,
    name: &str,
    plant_id: Option<Uuid>,
    active: bool,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into projects (tenant_id, id, code, name, plant_id, active)
             values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6)
             on conflict (tenant_id, id) do update set code = excluded.code, name = excluded.name,
                plant_id = excluded.plant_id, active = excluded.active
             returning id",
        tenant_id,
        id,
        code,
        name,
        plant_id,
        active
    )
    .fetch_one(conn)
    .await
}

/// The active projects a requisition may name: (id, code, name), by code.
pub(crate) async fn active_projects(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    Ok(
        sqlx::query!("select id, code, name from projects where active order by code limit 500")
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.code, r.name))
            .collect(),
    )
}

/// The active plants: (id, code, name), by code.
pub(crate) async fn active_plants(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    Ok(
        sqlx::query!("select id, code, name from plants where active order by code")
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.code, r.name))
            .collect(),
    )
}
