//! Reading the audit trail (the audit page, its CSV export) and keeping its monthly partitions
//! ahead (a platform job).
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// The filters of a read, in instants: `from` included, `to` excluded.
pub(crate) struct Filter<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) user_id: Option<Uuid>,
    pub(crate) entity: Option<&'a str>,
    pub(crate) entity_id: Option<&'a str>,
    pub(crate) action: Option<&'a str>,
    pub(crate) from: Option<DateTime<Utc>>,
    pub(crate) to: Option<DateTime<Utc>>,
    /// Only entries older than this one (at, id): the export's next chunk.
    pub(crate) before: Option<(DateTime<Utc>, i64)>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    pub(crate) id: i64,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) user_id: Option<Uuid>,
    pub(crate) username: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) action: String,
    pub(crate) entity: String,
    pub(crate) entity_id: Option<String>,
    pub(crate) old_values: Option<serde_json::Value>,
    pub(crate) new_values: Option<serde_json::Value>,
    pub(crate) ip: Option<String>,
    pub(crate) user_agent: Option<String>,
    pub(crate) request_id: Option<String>,
}

/// The conditions on `audit_log a` that apply, only those: each combination of filters is its own
/// statement, planned for what it asks, so the index of the filter given is the one read (by
/// user, by record, by record type, by action, else by time), newest first. The tenant is named
/// as well as set (row-level security), so every index is entered at the tenant's rows.
fn push_filters<'a>(qb: &mut QueryBuilder<'a, Postgres>, f: &'a Filter<'a>) {
    qb.push(" a.tenant_id = ").push_bind(f.tenant_id);
    if let Some(user) = f.user_id {
        qb.push(" and a.user_id = ").push_bind(user);
    }
    if let Some(entity) = f.entity {
        qb.push(" and a.entity = ").push_bind(entity);
    }
    if let Some(id) = f.entity_id {
        qb.push(" and a.entity_id = ").push_bind(id);
    }
    if let Some(action) = f.action {
        qb.push(" and a.action = ").push_bind(action);
    }
    if let Some(from) = f.from {
        qb.push(" and a.created_at >= ").push_bind(from);
    }
    if let Some(to) = f.to {
        qb.push(" and a.created_at < ").push_bind(to);
    }
    if let Some((at, id)) = f.before {
        // the first condition lets the partitions after `at` be left out at planning
        qb.push(" and a.created_at <= ")
            .push_bind(at)
            .push(" and (a.created_at, a.id) < (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
}

/// How many entries the filters find, counted up to `cap` (an index-only scan that stops there).
pub(crate) async fn count(conn: &mut PgConnection, f: &Filter<'_>, cap: i64) -> sqlx::Result<i64> {
    // Dynamic: only the filters that apply are written (see `push_filters`)
    let mut qb =
        QueryBuilder::<Postgres>::new("select count(*) from (select 1 from audit_log a where ");
    push_filters(&mut qb, f);
    qb.push(" limit ").push_bind(cap).push(") c");
    // planned for its values at every call: which index is best depends on them
    qb.build_query_scalar::<i64>()
        .persistent(false)
        .fetch_one(conn)
        .await
}

/// A page of the entries the filters find, newest first, with who made each. The page's keys
/// are found in order by an index-only scan (every index ends with the time and id), so a deep
/// page skips index entries rather than rows; only the page's own rows are then read, by key.
pub(crate) async fn page(
    conn: &mut PgConnection,
    f: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Row>> {
    // Dynamic: only the filters that apply are written (see `push_filters`)
    let mut qb = QueryBuilder::<Postgres>::new(
        "select a.id, a.created_at, a.user_id, u.username, u.display_name, a.action, a.entity, a.entity_id,
                a.old_values, a.new_values, a.ip, a.user_agent, a.request_id
           from (select a.created_at, a.id from audit_log a where ",
    );
    push_filters(&mut qb, f);
    qb.push(" order by a.created_at desc, a.id desc limit ")
        .push_bind(limit)
        .push(" offset ")
        .push_bind(offset)
        .push(
            ") p
           join audit_log a on a.tenant_id = ",
        )
        .push_bind(f.tenant_id)
        .push(
            " and a.created_at = p.created_at and a.id = p.id
           left join users u on u.tenant_id = a.tenant_id and u.id = a.user_id
          order by a.created_at desc, a.id desc",
        );
    qb.build_query_as::<Row>()
        .persistent(false)
        .fetch_all(conn)
        .await
}

/// The tenant's users, for the page's picker: by name.
pub(crate) async fn users(conn: &mut PgConnection) -> sqlx::Result<Vec<(Uuid, String, String)>> {
    let rows = sqlx::query!(
        "select id, username, display_name from users order by display_name, username limit 1000"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.username, r.display_name))
        .collect())
}

/// The platform's jobs live under this tenant id (no tenant has it).
pub(crate) const PLATFORM: Uuid = Uuid::nil();

/// Makes the audit log's partitions of this month and the `months` after it that are missing;
/// how many it made.
pub(crate) async fn partitions_ahead(pool: &PgPool, months: i32) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        r#"select audit_log_partitions_ahead($1) as "made!""#,
        months
    )
    .fetch_one(pool)
    .await
}

/// Claims the due partition job, if any, for ten minutes (`claim_jobs`, SKIP LOCKED).
pub(crate) async fn claim_partition_job(pool: &PgPool) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(r#"select id as "id!" from claim_jobs('audit_partitions', 1, 600)"#)
        .fetch_optional(pool)
        .await
}

/// Marks a partition job done (on the platform's transaction).
pub(crate) async fn finish_partition_job(conn: &mut PgConnection, job: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update jobs set done_at = now(), locked_until = null where tenant_id = $1 and id = $2",
        PLATFORM,
        job
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Schedules the partition job at `run_at` unless one is pending already (one at a time: a
/// partial unique index); whether it was scheduled.
pub(crate) async fn schedule_partition_job(
    conn: &mut PgConnection,
    run_at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into jobs (tenant_id, kind, run_at) values ($1, 'audit_partitions', $2)
         on conflict (kind) where kind = 'audit_partitions' and done_at is null do nothing",
        PLATFORM,
        run_at
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
