//! The item import's SQL: the job's row and its queue entry, the staging tables the worker fills
//! by COPY, the checks only the database can make, and the items and vocabulary written at once.
//! The staging tables are temporary (dropped at commit): statements that read them are built
//! at run time, since they do not exist when the macros check the SQL.
use crate::inventory::model::import::Issue;
use chrono::{DateTime, Utc};
use futures::stream::{BoxStream, StreamExt};
use sqlx::postgres::PgCopyIn;
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct JobRow {
    pub id: Uuid,
    pub status: String,
    pub phase: Option<String>,
    pub file_name: String,
    pub total: i64,
    pub processed: i64,
    pub imported: i64,
    pub errors: Json<Vec<Issue>>,
    pub error_count: i64,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A new import of the stored file `file_key`, queued, with the rows its line count promises.
pub(crate) async fn insert_import(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    file_key: &str,
    file_name: &str,
    total: i64,
    created_by: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into import_jobs (tenant_id, id, file_key, file_name, total, created_by)
         values ($1, $2, $3, $4, $5, $6)",
        tenant_id,
        id,
        file_key,
        file_name,
        total,
        created_by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A job for the background workers.
pub(crate) async fn queue_job(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    kind: &str,
    payload: serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into jobs (tenant_id, kind, payload) values ($1, $2, $3)",
        tenant_id,
        kind,
        payload
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn import_job(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<JobRow>> {
    sqlx::query_as!(JobRow, r#"select id, status, phase, file_name, total, processed, imported, errors as "errors: Json<Vec<Issue>>", error_count,
            created_at, finished_at from import_jobs where id = $1"#, id)
        .fetch_optional(conn)
        .await
}

/// The company's 10 latest imports, newest first.
pub(crate) async fn recent_imports(conn: &mut PgConnection) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as!(JobRow, r#"select id, status, phase, file_name, total, processed, imported, errors as "errors: Json<Vec<Issue>>", error_count,
            created_at, finished_at from import_jobs order by created_at desc limit 10"#)
        .fetch_all(conn)
        .await
}

/// Claims one queued job of `kind` of any tenant for an hour (`claim_jobs`): (tenant, job,
/// payload). On the pool, outside any tenant's transaction.
pub(crate) async fn claim_job(
    pool: &PgPool,
    kind: &str,
) -> sqlx::Result<Option<(Uuid, Uuid, serde_json::Value)>> {
    Ok(sqlx::query!(
        r#"select tenant_id as "tenant_id!", id as "id!", payload as "payload!" from claim_jobs($1, 1, 3600)"#,
        kind
    )
    .fetch_optional(pool)
    .await?
    .map(|r| (r.tenant_id, r.id, r.payload)))
}

pub(crate) async fn finish_job(
    conn: &mut PgConnection,
    job: Uuid,
    error: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update jobs set done_at = now(), last_error = $2 where id = $1",
        job,
        error
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// How far the import got, and in which phase (reading, checking, writing).
pub(crate) async fn report_progress(
    conn: &mut PgConnection,
    id: Uuid,
    processed: i64,
    phase: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update import_jobs set processed = $2, phase = $3,
                total = greatest(total, $2) where id = $1",
        id,
        processed,
        phase
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The import failed, with the errors kept and how many there were.
pub(crate) async fn mark_failed(
    conn: &mut PgConnection,
    id: Uuid,
    processed: i64,
    issues: &[Issue],
    count: i64,
) -> sqlx::Result<()> {
    sqlx::query!("update import_jobs set status = 'failed', phase = null, processed = greatest(processed, $2),
                errors = $3, error_count = $4, finished_at = now() where id = $1", id, processed, Json(issues) as _, count)
    .execute(conn)
    .await?;
    Ok(())
}

/// Starts a queued (or restarts an abandoned) import: its file's key and name and who started
/// it; None when it is neither queued nor running.
pub(crate) async fn start_running(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(String, String, Uuid)>> {
    Ok(sqlx::query!(
        "update import_jobs set status = 'running', phase = 'reading', started_at = now(), processed = 0
          where id = $1 and status in ('queued', 'running') returning file_key, file_name, created_by",
        id
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.file_key, r.file_name, r.created_by)))
}

/// `import_stage`: the file's rows as parsed, for the rest of the transaction.
pub(crate) async fn create_stage_table(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("create temp table import_stage (line bigint, sku text, names jsonb, descriptions jsonb, category text,
            unit text, reorder_level numeric, reorder_quantity numeric, tracking text, material_type text, specs jsonb, active boolean,
            id uuid)
         on commit drop")
    .execute(conn)
    .await?;
    Ok(())
}

/// Memory for the checks' sorts, for the rest of the transaction.
pub(crate) async fn set_checking_memory(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("set local work_mem = '64MB'")
        .execute(conn)
        .await?;
    Ok(())
}

/// `import_words`: the names of the staged items, on the connection that gathers their words.
pub(crate) async fn create_words_table(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!(
        "create temp table import_words (id uuid, names jsonb, active boolean) on commit drop"
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// COPY into `import_stage`, as text.
pub(crate) async fn copy_into_stage(
    conn: &mut PgConnection,
) -> sqlx::Result<PgCopyIn<&mut PgConnection>> {
    conn.copy_in_raw("copy import_stage from stdin").await
}

/// COPY into `import_words`, as text.
pub(crate) async fn copy_into_words(
    conn: &mut PgConnection,
) -> sqlx::Result<PgCopyIn<&mut PgConnection>> {
    conn.copy_in_raw("copy import_words from stdin").await
}

/// Lines whose SKU an earlier line has: (line, first line), at most 1,000.
pub(crate) async fn repeated_skus(conn: &mut PgConnection) -> sqlx::Result<Vec<(i64, i64)>> {
    // Dynamic: reads the temporary table import_stage, unknown when the macros check the SQL
    let mut q = QueryBuilder::<Postgres>::new(
        "select line, first from (select line, min(line) over (partition by sku) first from import_stage) s
          where line <> first order by line limit 1000",
    );
    q.build_query_as().fetch_all(conn).await
}

/// Lines whose SKU is already an item's: (line, SKU), at most 1,000.
pub(crate) async fn existing_skus(conn: &mut PgConnection) -> sqlx::Result<Vec<(i64, String)>> {
    // Dynamic: reads the temporary table import_stage, unknown when the macros check the SQL
    let mut q = QueryBuilder::<Postgres>::new(
        "select s.line, s.sku from import_stage s join items i on i.sku = s.sku order by s.line limit 1000",
    );
    q.build_query_as().fetch_all(conn).await
}

/// Lines naming a category code there is none of: (line, code), at most 1,000.
pub(crate) async fn unknown_categories(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(i64, String)>> {
    // Dynamic: reads the temporary table import_stage, unknown when the macros check the SQL
    let mut q = QueryBuilder::<Postgres>::new(
        "select s.line, s.category from import_stage s left join item_categories c on c.code = s.category
          where s.category is not null and c.id is null order by s.line limit 1000",
    );
    q.build_query_as().fetch_all(conn).await
}

/// Lines naming a unit the tenant has none of, in any case, or an inactive one: (line, unit), at
/// most 1,000.
pub(crate) async fn unknown_units(conn: &mut PgConnection) -> sqlx::Result<Vec<(i64, String)>> {
    // Dynamic: reads the temporary table import_stage, unknown when the macros check the SQL
    let mut q = QueryBuilder::<Postgres>::new(
        "select s.line, s.unit from import_stage s left join units u on lower(u.code) = lower(s.unit) and u.active
          where u.id is null order by s.line limit 1000",
    );
    q.build_query_as().fetch_all(conn).await
}

/// For the writing, for the rest of the transaction: the full-text index's pending entries are
/// merged in sorted batches with this much memory, and the vocabulary is kept by the import
/// (`app.items_terms`), not by the items' trigger.
pub(crate) async fn set_writing_mode(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select from (select set_config('work_mem', '256MB', true), set_config('app.items_terms', 'by_import', true)) s")
        .execute(conn)
        .await?;
    Ok(())
}

/// Every staged row becomes an item of `tenant_id`; how many. A company past 65,536 items gets
/// segments of the full-text index of its own (`item_segments`): the rows fill its open segment,
/// then fresh ones (its first one small), in file order.
pub(crate) async fn insert_staged_items(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> sqlx::Result<u64> {
    // Dynamic: reads the temporary table import_stage, unknown when the macros check the SQL
    let mut q = QueryBuilder::<Postgres>::new(
        "with p as (select * from place_imported_items((select count(*) from import_stage)))
         insert into items (id, tenant_id, sku, names, descriptions, category_id, unit, reorder_level,
                            reorder_quantity, tracking, material_type, specs, active, segment)
         select s.id, ",
    );
    q.push_bind(tenant_id);
    q.push(
        ", s.sku, s.names, s.descriptions, c.id, coalesce(u.code, s.unit), s.reorder_level, s.reorder_quantity,
                s.tracking, s.material_type, s.specs, s.active,
                case when s.n <= p.open_room then p.open_segment
                     when s.n <= p.open_room + p.first_fresh then coalesce(p.fresh[1], 0)
                     else coalesce(p.fresh[(s.n - p.open_room - p.first_fresh - 1) / 65536 + 2], 0) end
           from (select st.*, row_number() over () n from import_stage st) s
           cross join p
           left join item_categories c on c.code = s.category
           left join units u on lower(u.code) = lower(s.unit)",
    );
    Ok(q.build().execute(conn).await?.rows_affected())
}

/// `import_terms`: the words gathered from the staged names, with their items.
pub(crate) async fn create_terms_table(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("create temp table import_terms (term text, items uuid[]) on commit drop")
        .execute(conn)
        .await?;
    Ok(())
}

/// COPY into `import_terms`, as text.
pub(crate) async fn copy_into_terms(
    conn: &mut PgConnection,
) -> sqlx::Result<PgCopyIn<&mut PgConnection>> {
    conn.copy_in_raw("copy import_terms from stdin").await
}

/// The gathered words merged into the vocabulary of `tenant_id` as the items' trigger would
/// (up to 300 items a word).
pub(crate) async fn merge_terms(conn: &mut PgConnection, tenant_id: Uuid) -> sqlx::Result<()> {
    // Dynamic: reads the temporary table import_terms, unknown when the macros check the SQL
    let mut q = QueryBuilder::<Postgres>::new(
        "insert into search_terms (tenant_id, term, items)
         select ",
    );
    q.push_bind(tenant_id);
    q.push(
        ", term, items from import_terms
         on conflict (tenant_id, term) do update
           set items = search_terms_merge(search_terms.items, excluded.items)
           where cardinality(search_terms.items) < 300",
    );
    q.build().execute(conn).await?;
    Ok(())
}

pub(crate) async fn mark_succeeded(
    conn: &mut PgConnection,
    id: Uuid,
    records: i64,
    imported: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update import_jobs set status = 'succeeded', phase = null, processed = $2, total = $2,
                imported = $3, finished_at = now() where id = $1",
        id,
        records,
        imported
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Memory for gathering the words, for the rest of the (words') transaction.
pub(crate) async fn set_gathering_memory(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("set local work_mem = '256MB'")
        .execute(conn)
        .await?;
    Ok(())
}

/// Each word of the staged items' names (`item_words`, the trigger's rule) with up to 300 of its
/// items, as COPY text. Its rows wait in PostgreSQL until the stream is read.
pub(crate) async fn copy_out_words(
    conn: &mut PgConnection,
) -> sqlx::Result<BoxStream<'_, sqlx::Result<Vec<u8>>>> {
    let rows = conn
        .copy_out_raw(
            "copy (select w, (array_agg(s.id))[1:300] from import_words s
                    cross join lateral item_words(s.names) w where s.active group by w) to stdout",
        )
        .await?;
    Ok(rows.map(|chunk| chunk.map(|c| c.to_vec())).boxed())
}
