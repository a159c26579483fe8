//! Bulk import of items from CSV as a background job: the upload is stored, a queued job reads
//! it in a worker (parsing on a blocking thread while PostgreSQL receives the rows by COPY into a
//! staging table), checks duplicates, existing SKUs and categories in SQL, and inserts every row
//! in one transaction — or none, with every error reported by line and column.
//!
//! The file: UTF-8 (a byte-order mark is allowed), comma-separated, a header row naming the
//! columns in any order: `sku`, `unit`, `name_en` (required); `name_hi`, `name_bn`, `name_te`,
//! `name_ar`, `description_en` … `description_ar`, `category` (a category code),
//! `reorder_level`, `reorder_quantity`, `serialised` and `active` (true/false, yes/no, 1/0),
//! `specs` (`key=value; key=value`).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An import as the progress bar and `GET /api/v1/jobs/{id}` show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportJob {
    pub id: Uuid,
    /// queued, running, succeeded or failed
    pub status: String,
    /// While running: reading, checking or writing.
    pub phase: Option<String>,
    pub file_name: String,
    /// Data rows read so far.
    pub processed: u64,
    /// Data rows in the file (an estimate from its line count until it has been read).
    pub total: u64,
    /// Items created (all of them, or none).
    pub imported: u64,
    pub error_count: u64,
    /// The first 1,000 errors, by line.
    pub errors: Vec<ImportIssue>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One error: its line in the file (1 is the header), the column, and a translated message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportIssue {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// The columns a file may have.
pub const COLUMNS: [&str; 16] = [
    "sku",
    "unit",
    "name_en",
    "name_hi",
    "name_bn",
    "name_te",
    "name_ar",
    "description_en",
    "description_hi",
    "description_bn",
    "description_te",
    "description_ar",
    "category",
    "reorder_level",
    "reorder_quantity",
    "serialised",
];
/// Besides [`COLUMNS`].
pub const MORE_COLUMNS: [&str; 2] = ["active", "specs"];

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{AppError, AppResult, FieldError};
    use crate::i18n::Locale;
    use crate::inventory::model::{validate_item, ItemInput};
    use crate::platform::audit::{self, Entry};
    use crate::platform::context::{AppState, RequestCtx};
    use crate::platform::db::tenant_tx;
    use rust_decimal::Decimal;
    use sqlx::types::Json;
    use std::io::Read;
    use std::path::PathBuf;
    use std::str::FromStr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The largest file accepted (a million rows with five languages fit well within it).
    pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;
    /// Errors kept per import (the count goes on).
    const KEEP_ERRORS: usize = 1000;
    const QUEUE_KIND: &str = "import_items";

    fn io_err(what: &str, e: std::io::Error) -> AppError {
        tracing::error!(error = %e, "import {what} failed");
        AppError::Internal
    }

    /// An error as stored: a code translated when read.
    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub struct Issue {
        pub line: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub column: Option<String>,
        /// encoding, empty, missing_column, unknown_column, repeated_column, column_count,
        /// duplicate_in_file, exists, unknown_category, failed, or a field error's code
        pub code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub detail: Option<String>,
    }

    impl Issue {
        fn new(line: u64, column: Option<&str>, code: &str, detail: Option<String>) -> Issue {
            Issue {
                line,
                column: column.map(str::to_string),
                code: code.to_string(),
                detail,
            }
        }

        fn field(line: u64, column: &str, e: FieldError) -> Issue {
            Issue::new(line, Some(column), &e.code(), None)
        }

        /// The message in `locale`.
        pub fn message(&self, locale: Locale) -> String {
            use leptos_i18n::td_string;
            let detail = self.detail.clone().unwrap_or_default();
            match self.code.as_str() {
                "encoding" => td_string!(locale, imp.e_encoding).to_string(),
                "empty" => td_string!(locale, imp.e_empty).to_string(),
                "missing_column" => {
                    td_string!(locale, imp.e_missing_column, column = detail).to_string()
                }
                "unknown_column" => {
                    td_string!(locale, imp.e_unknown_column, column = detail).to_string()
                }
                "repeated_column" => {
                    td_string!(locale, imp.e_repeated_column, column = detail).to_string()
                }
                "column_count" => {
                    td_string!(locale, imp.e_column_count, count = detail).to_string()
                }
                "duplicate_in_file" => {
                    td_string!(locale, imp.e_duplicate_in_file, line = detail).to_string()
                }
                "exists" => td_string!(locale, imp.e_exists, sku = detail).to_string(),
                "unknown_category" => {
                    td_string!(locale, imp.e_unknown_category, code = detail).to_string()
                }
                "not_boolean" => td_string!(locale, imp.e_not_boolean).to_string(),
                "not_number" => td_string!(locale, imp.e_not_number).to_string(),
                "bad_specs" => td_string!(locale, imp.e_bad_specs).to_string(),
                "failed" => td_string!(locale, imp.e_failed).to_string(),
                code => FieldError::from_code(code)
                    .map(|e| e.message(locale))
                    .unwrap_or_else(|| td_string!(locale, errors.field.invalid).to_string()),
            }
        }
    }

    /// An upload being received into a staging file, its newlines counted for the progress bar.
    pub struct Upload {
        path: PathBuf,
        file: Option<tokio::fs::File>,
        size: u64,
        newlines: u64,
        last: u8,
    }

    impl Upload {
        pub async fn new(state: &AppState) -> AppResult<Upload> {
            let (path, file) =
                crate::platform::files::staging::staging_file(state.files.as_ref()).await?;
            Ok(Upload {
                path,
                file: Some(file),
                size: 0,
                newlines: 0,
                last: b'\n',
            })
        }

        /// Appends a chunk; past [`MAX_IMPORT_BYTES`] the upload is refused (413).
        pub async fn push(&mut self, chunk: &[u8]) -> AppResult<()> {
            self.size += chunk.len() as u64;
            if self.size > MAX_IMPORT_BYTES {
                return Err(AppError::PayloadTooLarge);
            }
            self.newlines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
            if let Some(b) = chunk.last() {
                self.last = *b;
            }
            if let Some(f) = self.file.as_mut() {
                f.write_all(chunk).await.map_err(|e| io_err("staging", e))?;
            }
            Ok(())
        }

        /// Data rows, assuming one line each and a header.
        fn rows(&self) -> u64 {
            let lines = self.newlines + u64::from(self.last != b'\n');
            lines.saturating_sub(1)
        }
    }

    impl Drop for Upload {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    #[derive(sqlx::FromRow)]
    struct JobRow {
        id: Uuid,
        status: String,
        phase: Option<String>,
        file_name: String,
        total: i64,
        processed: i64,
        imported: i64,
        errors: Json<Vec<Issue>>,
        error_count: i64,
        created_at: DateTime<Utc>,
        finished_at: Option<DateTime<Utc>>,
    }

    fn job_of(r: JobRow, locale: Locale) -> ImportJob {
        ImportJob {
            id: r.id,
            status: r.status,
            phase: r.phase,
            file_name: r.file_name,
            processed: r.processed.max(0) as u64,
            total: r.total.max(0) as u64,
            imported: r.imported.max(0) as u64,
            error_count: r.error_count.max(0) as u64,
            errors: r
                .errors
                .0
                .iter()
                .map(|i| ImportIssue {
                    line: i.line,
                    column: i.column.clone(),
                    message: i.message(locale),
                })
                .collect(),
            created_at: r.created_at,
            finished_at: r.finished_at,
        }
    }

    const JOB_SELECT: &str =
        "select id, status, phase, file_name, total, processed, imported, errors, error_count,
                created_at, finished_at from import_jobs";

    /// Stores the upload and queues its import; the worker starts at once.
    pub async fn start(
        state: &AppState,
        ctx: &RequestCtx,
        file_name: &str,
        mut upload: Upload,
    ) -> AppResult<ImportJob> {
        let p = ctx.principal()?;
        p.require("inventory:manage")?;
        if let Some(mut f) = upload.file.take() {
            f.flush().await.map_err(|e| io_err("staging", e))?;
        }
        if upload.size == 0 {
            return Err(AppError::field("file", FieldError::Required));
        }
        let id = Uuid::new_v4();
        let key = format!("imports/{}/{id}.csv", p.tenant_id);
        state
            .files
            .put(&key, &upload.path)
            .await
            .map_err(|e| io_err("store", e))?;
        let name = crate::platform::files::clean_file_name(file_name);
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        sqlx::query(
            "insert into import_jobs (tenant_id, id, file_key, file_name, total, created_by)
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(p.tenant_id)
        .bind(id)
        .bind(&key)
        .bind(&name)
        .bind(upload.rows() as i64)
        .bind(p.user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("insert into jobs (tenant_id, kind, payload) values ($1, $2, $3)")
            .bind(p.tenant_id)
            .bind(QUEUE_KIND)
            .bind(serde_json::json!({ "import_id": id }))
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "import_started",
                entity: "item_import",
                entity_id: Some(id.to_string()),
                old: None,
                new: Some(serde_json::json!({ "file_name": name, "bytes": upload.size })),
            },
        )
        .await?;
        let row = sqlx::query_as::<_, JobRow>(&format!("{JOB_SELECT} where id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let worker = state.clone();
        tokio::spawn(async move {
            if let Err(e) = run_pending(&worker).await {
                tracing::warn!(error = %e, "item import worker failed");
            }
        });
        Ok(job_of(row, ctx.locale))
    }

    /// An import of the caller's company.
    pub async fn get(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<ImportJob> {
        let p = ctx.principal()?;
        p.require("inventory:manage")?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        let row = sqlx::query_as::<_, JobRow>(&format!("{JOB_SELECT} where id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(job_of(row, ctx.locale))
    }

    /// The company's recent imports, newest first.
    pub async fn recent(state: &AppState, ctx: &RequestCtx) -> AppResult<Vec<ImportJob>> {
        let p = ctx.principal()?;
        p.require("inventory:manage")?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        let rows =
            sqlx::query_as::<_, JobRow>(&format!("{JOB_SELECT} order by created_at desc limit 10"))
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|r| job_of(r, ctx.locale)).collect())
    }

    /// Runs queued imports until none is left; returns how many ran. Called right after an
    /// upload and by the periodic worker (which picks up imports whose worker died).
    pub async fn run_pending(state: &AppState) -> AppResult<usize> {
        let mut n = 0;
        loop {
            let claimed: Option<(Uuid, Uuid, serde_json::Value)> =
                sqlx::query_as("select tenant_id, id, payload from claim_jobs($1, 1, 3600)")
                    .bind(QUEUE_KIND)
                    .fetch_optional(&state.pool)
                    .await?;
            let Some((tenant, job, payload)) = claimed else {
                return Ok(n);
            };
            n += 1;
            let Some(import) = payload
                .get("import_id")
                .and_then(|v| v.as_str())
                .and_then(|s| Uuid::parse_str(s).ok())
            else {
                finish_job(state, tenant, job, Some("bad payload")).await?;
                continue;
            };
            let outcome = run_one(state, tenant, import).await;
            if let Err(e) = &outcome {
                tracing::error!(error = %e, %import, "item import failed");
                fail(
                    state,
                    tenant,
                    import,
                    0,
                    &[Issue::new(0, None, "failed", None)],
                    1,
                )
                .await?;
            }
            finish_job(state, tenant, job, outcome.err().map(|_| "failed")).await?;
        }
    }

    async fn finish_job(
        state: &AppState,
        tenant: Uuid,
        job: Uuid,
        error: Option<&str>,
    ) -> AppResult<()> {
        let mut tx = tenant_tx(&state.pool, tenant).await?;
        sqlx::query("update jobs set done_at = now(), last_error = $2 where id = $1")
            .bind(job)
            .bind(error)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn progress(
        state: &AppState,
        tenant: Uuid,
        id: Uuid,
        processed: u64,
        phase: &str,
    ) -> AppResult<()> {
        let mut tx = tenant_tx(&state.pool, tenant).await?;
        sqlx::query(
            "update import_jobs set processed = $2, phase = $3,
                    total = greatest(total, $2) where id = $1",
        )
        .bind(id)
        .bind(processed as i64)
        .bind(phase)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn fail(
        state: &AppState,
        tenant: Uuid,
        id: Uuid,
        processed: u64,
        issues: &[Issue],
        count: u64,
    ) -> AppResult<()> {
        let mut tx = tenant_tx(&state.pool, tenant).await?;
        sqlx::query(
            "update import_jobs set status = 'failed', phase = null, processed = greatest(processed, $2),
                    errors = $3, error_count = $4, finished_at = now() where id = $1",
        )
        .bind(id)
        .bind(processed as i64)
        .bind(Json(issues))
        .bind(count as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Each word of the staged items' names (`item_words`, the trigger's rule) with up to 300 of
    /// its items, sent as COPY text. The aggregation runs while the importing connection writes
    /// the items; its rows wait in PostgreSQL until that connection reads them.
    async fn gather_words(
        mut words: sqlx::Transaction<'static, sqlx::Postgres>,
        out: tokio::sync::mpsc::Sender<Vec<u8>>,
    ) -> Result<(), sqlx::Error> {
        use futures::StreamExt;
        sqlx::query("set local work_mem = '256MB'")
            .execute(&mut *words)
            .await?;
        let mut rows = words
            .copy_out_raw(
                "copy (select w, (array_agg(s.id))[1:300] from import_words s
                        cross join lateral item_words(s.names) w where s.active group by w) to stdout",
            )
            .await?;
        while let Some(chunk) = rows.next().await {
            if out.send(chunk?.to_vec()).await.is_err() {
                // the import ended without them
                break;
            }
        }
        Ok(())
    }

    /// What the parsing thread sends: COPY text for the staging table, or the end.
    enum Msg {
        /// The rows for `import_stage` and for `import_words`, and how many records were read.
        Rows {
            items: Vec<u8>,
            words: Vec<u8>,
            records: u64,
        },
        Done {
            records: u64,
            issues: Vec<Issue>,
            count: u64,
        },
    }

    /// A `Read` over chunks sent from the async side (the store's reader).
    struct ChunkReader {
        rx: tokio::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
        buf: Vec<u8>,
        pos: usize,
    }

    impl Read for ChunkReader {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            while self.pos >= self.buf.len() {
                match self.rx.blocking_recv() {
                    Some(Ok(chunk)) => {
                        self.buf = chunk;
                        self.pos = 0;
                    }
                    Some(Err(e)) => return Err(e),
                    None => return Ok(0),
                }
            }
            let n = out.len().min(self.buf.len() - self.pos);
            out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    async fn run_one(state: &AppState, tenant: Uuid, id: Uuid) -> AppResult<()> {
        let mut tx = tenant_tx(&state.pool, tenant).await?;
        let job: Option<(String, String, Uuid)> = sqlx::query_as(
            "update import_jobs set status = 'running', phase = 'reading', started_at = now(), processed = 0
              where id = $1 and status in ('queued', 'running') returning file_key, file_name, created_by",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let Some((key, file_name, created_by)) = job else {
            return Ok(());
        };

        // the store's bytes → the parsing thread → COPY into a staging table, in one transaction
        let mut reader = state
            .files
            .open(&key)
            .await
            .map_err(|e| io_err("open", e))?;
        let (chunk_tx, chunk_rx) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(4);
        tokio::spawn(async move {
            loop {
                let mut buf = vec![0u8; 256 * 1024];
                match reader.read(&mut buf).await {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        if chunk_tx.send(Ok(buf)).await.is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = chunk_tx.send(Err(e)).await;
                        break;
                    }
                }
            }
        });
        let (msg_tx, mut msg_rx) = tokio::sync::mpsc::channel::<Msg>(4);
        let parser = tokio::task::spawn_blocking(move || {
            let reader = ChunkReader {
                rx: chunk_rx,
                buf: Vec::new(),
                pos: 0,
            };
            parse(reader, |m| msg_tx.blocking_send(m).is_ok());
        });

        let mut tx = tenant_tx(&state.pool, tenant).await?;
        sqlx::query(
            "create temp table import_stage (line bigint, sku text, names jsonb, descriptions jsonb, category text,
                unit text, reorder_level numeric, reorder_quantity numeric, tracking text, specs jsonb, active boolean,
                id uuid)
             on commit drop",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query("set local work_mem = '64MB'")
            .execute(&mut *tx)
            .await?;
        // a second connection receives the same rows, to gather the vocabulary's words on the
        // other core while this one writes the items (it only reads: all or nothing stays here)
        let mut words = state.pool.begin().await?;
        sqlx::query(
            "create temp table import_words (id uuid, names jsonb, active boolean) on commit drop",
        )
        .execute(&mut *words)
        .await?;
        let mut copy = tx.copy_in_raw("copy import_stage from stdin").await?;
        let mut words_copy = words.copy_in_raw("copy import_words from stdin").await?;
        let mut last_report = std::time::Instant::now();
        let mut end = None;
        while let Some(msg) = msg_rx.recv().await {
            match msg {
                Msg::Rows {
                    items,
                    words,
                    records,
                } => {
                    if !items.is_empty() {
                        // both connections read their rows at once
                        let (words_sent, items_sent) =
                            tokio::join!(words_copy.send(words), copy.send(items));
                        words_sent?;
                        items_sent?;
                    }
                    if last_report.elapsed() > std::time::Duration::from_millis(300) {
                        progress(state, tenant, id, records, "reading").await?;
                        last_report = std::time::Instant::now();
                    }
                }
                Msg::Done {
                    records,
                    issues,
                    count,
                } => end = Some((records, issues, count)),
            }
        }
        let _ = parser.await;
        let Some((records, issues, count)) = end else {
            words_copy.abort("the file could not be read").await?;
            copy.abort("the file could not be read").await?;
            return Err(AppError::Internal);
        };
        if count > 0 || records == 0 {
            words_copy.abort("invalid rows").await?;
            copy.abort("invalid rows").await?;
            drop(tx);
            let (issues, count) = if records == 0 && count == 0 {
                (vec![Issue::new(1, None, "empty", None)], 1)
            } else {
                (issues, count)
            };
            return fail(state, tenant, id, records, &issues, count).await;
        }
        words_copy.finish().await?;
        copy.finish().await?;
        progress(state, tenant, id, records, "checking").await?;

        // what only the database can tell: repeats within the file, SKUs already there, categories
        let mut issues: Vec<Issue> = Vec::new();
        let repeats: Vec<(i64, i64)> = sqlx::query_as(
            "select line, first from (select line, min(line) over (partition by sku) first from import_stage) s
              where line <> first order by line limit 1000",
        )
        .fetch_all(&mut *tx)
        .await?;
        issues.extend(repeats.into_iter().map(|(line, first)| {
            Issue::new(
                line as u64,
                Some("sku"),
                "duplicate_in_file",
                Some(first.to_string()),
            )
        }));
        let existing: Vec<(i64, String)> = sqlx::query_as(
            "select s.line, s.sku from import_stage s join items i on i.sku = s.sku order by s.line limit 1000",
        )
        .fetch_all(&mut *tx)
        .await?;
        issues.extend(
            existing
                .into_iter()
                .map(|(line, sku)| Issue::new(line as u64, Some("sku"), "exists", Some(sku))),
        );
        let unknown: Vec<(i64, String)> = sqlx::query_as(
            "select s.line, s.category from import_stage s left join item_categories c on c.code = s.category
              where s.category is not null and c.id is null order by s.line limit 1000",
        )
        .fetch_all(&mut *tx)
        .await?;
        issues.extend(unknown.into_iter().map(|(line, code)| {
            Issue::new(
                line as u64,
                Some("category"),
                "unknown_category",
                Some(code),
            )
        }));
        if !issues.is_empty() {
            drop(tx);
            issues.sort_by_key(|i| i.line);
            let count = issues.len() as u64;
            issues.truncate(KEEP_ERRORS);
            return fail(state, tenant, id, records, &issues, count).await;
        }

        progress(state, tenant, id, records, "writing").await?;
        let (terms_tx, mut terms_rx) = tokio::sync::mpsc::channel(8);
        let gatherer = tokio::spawn(gather_words(words, terms_tx));
        // the full-text index's pending entries are merged in sorted batches with this much
        // memory; the vocabulary is kept below, not by the items' trigger
        sqlx::query(
            "select set_config('work_mem', '256MB', true), set_config('app.items_terms', 'by_import', true)",
        )
        .execute(&mut *tx)
        .await?;
        // a company past 65,536 items gets segments of the full-text index of its own
        // (`item_segments`): the rows fill its open segment, then fresh ones (its first
        // one small), in file order
        let inserted = sqlx::query(
            "with p as (select * from place_imported_items((select count(*) from import_stage)))
             insert into items (id, tenant_id, sku, names, descriptions, category_id, unit, reorder_level,
                                reorder_quantity, tracking, specs, active, segment)
             select s.id, $1, s.sku, s.names, s.descriptions, c.id, s.unit, s.reorder_level, s.reorder_quantity,
                    s.tracking, s.specs, s.active,
                    case when s.n <= p.open_room then p.open_segment
                         when s.n <= p.open_room + p.first_fresh then coalesce(p.fresh[1], 0)
                         else coalesce(p.fresh[(s.n - p.open_room - p.first_fresh - 1) / 65536 + 2], 0) end
               from (select st.*, row_number() over () n from import_stage st) s
               cross join p
               left join item_categories c on c.code = s.category",
        )
        .bind(tenant)
        .execute(&mut *tx)
        .await;
        let inserted = match inserted {
            Ok(r) => r.rows_affected(),
            Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("23505") => {
                // another import or a new item took one of the SKUs meanwhile
                drop(tx);
                let issue = Issue::new(0, Some("sku"), "exists", None);
                return fail(state, tenant, id, records, &[issue], 1).await;
            }
            Err(e) => return Err(e.into()),
        };
        // the words the other connection gathered, merged into the vocabulary as the trigger would
        sqlx::query("create temp table import_terms (term text, items uuid[]) on commit drop")
            .execute(&mut *tx)
            .await?;
        let mut copy = tx.copy_in_raw("copy import_terms from stdin").await?;
        while let Some(chunk) = terms_rx.recv().await {
            copy.send(chunk).await?;
        }
        // the channel ends with the gathering: its result says whether every word came
        let gathered = match gatherer.await {
            Ok(result) => result.map_err(AppError::from),
            Err(_) => Err(AppError::Internal),
        };
        if let Err(e) = gathered {
            copy.abort("the words were not gathered").await?;
            return Err(e);
        }
        copy.finish().await?;
        sqlx::query(
            "insert into search_terms (tenant_id, term, items)
             select $1, term, items from import_terms
             on conflict (tenant_id, term) do update
               set items = search_terms_merge(search_terms.items, excluded.items)
               where cardinality(search_terms.items) < 300",
        )
        .bind(tenant)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "update import_jobs set status = 'succeeded', phase = null, processed = $2, total = $2,
                    imported = $3, finished_at = now() where id = $1",
        )
        .bind(id)
        .bind(records as i64)
        .bind(inserted as i64)
        .execute(&mut *tx)
        .await?;
        let ctx = RequestCtx {
            principal: None,
            locale: Locale::en,
            ip: None,
            user_agent: None,
            request_id: format!("import-{id}"),
        };
        audit::record(
            &mut tx,
            tenant,
            &ctx,
            Entry {
                user_id: Some(created_by),
                action: "import_finished",
                entity: "item_import",
                entity_id: Some(id.to_string()),
                old: None,
                new: Some(serde_json::json!({ "file_name": file_name, "items": inserted })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Col {
        Sku,
        Unit,
        Name(usize),
        Description(usize),
        Category,
        ReorderLevel,
        ReorderQuantity,
        Serialised,
        Active,
        Specs,
    }

    fn column(name: &str) -> Option<Col> {
        use crate::inventory::model::LANGUAGES;
        Some(match name {
            "sku" => Col::Sku,
            "unit" => Col::Unit,
            "category" => Col::Category,
            "reorder_level" => Col::ReorderLevel,
            "reorder_quantity" => Col::ReorderQuantity,
            "serialised" | "serialized" => Col::Serialised,
            "active" => Col::Active,
            "specs" => Col::Specs,
            other => {
                if let Some(l) = other.strip_prefix("name_") {
                    Col::Name(LANGUAGES.iter().position(|x| *x == l)?)
                } else if let Some(l) = other.strip_prefix("description_") {
                    Col::Description(LANGUAGES.iter().position(|x| *x == l)?)
                } else {
                    return None;
                }
            }
        })
    }

    fn boolean(s: &str) -> Option<bool> {
        match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => None,
        }
    }

    /// Appends `s` escaped for COPY's text format.
    fn copy_text(out: &mut Vec<u8>, s: &str) {
        for b in s.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
        }
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Lex {
        RowStart,
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// A reader that follows CSV quoting just enough to note the real line on which every
    /// non-blank row starts (csv skips blank rows and its positions leave them out).
    struct LineCounter<R> {
        inner: R,
        line: u64,
        state: Lex,
        starts: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
    }

    impl<R: Read> Read for LineCounter<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            let mut starts = self.starts.borrow_mut();
            for b in &buf[..n] {
                self.state = match (self.state, *b) {
                    (Lex::RowStart, b'\r') => Lex::RowStart,
                    (Lex::RowStart, b'\n') => {
                        self.line += 1;
                        Lex::RowStart
                    }
                    (Lex::RowStart, c) => {
                        starts.push_back(self.line);
                        match c {
                            b'"' => Lex::Quoted,
                            b',' => Lex::FieldStart,
                            _ => Lex::Unquoted,
                        }
                    }
                    (Lex::Quoted, b'"') => Lex::QuoteInQuoted,
                    (Lex::Quoted, c) => {
                        if c == b'\n' {
                            self.line += 1;
                        }
                        Lex::Quoted
                    }
                    (Lex::QuoteInQuoted, b'"') => Lex::Quoted,
                    (Lex::FieldStart, b'"') => Lex::Quoted,
                    (_, b',') => Lex::FieldStart,
                    (_, b'\n') => {
                        self.line += 1;
                        Lex::RowStart
                    }
                    _ => Lex::Unquoted,
                };
            }
            Ok(n)
        }
    }

    /// The CSV column a validation field stands for.
    fn column_of_field(field: &str) -> String {
        if let Some(l) = field.strip_prefix("names.") {
            format!("name_{l}")
        } else if let Some(l) = field.strip_prefix("descriptions.") {
            format!("description_{l}")
        } else {
            field.to_string()
        }
    }

    /// Reads the whole file, validating every row with the item form's rules; while no error
    /// has been seen, valid rows go out as COPY text in batches. `send` returns false when the
    /// receiver is gone.
    fn parse(reader: impl Read, mut send: impl FnMut(Msg) -> bool) {
        use crate::inventory::model::LANGUAGES;
        let mut issues: Vec<Issue> = Vec::new();
        let mut count = 0u64;
        let note = |issues: &mut Vec<Issue>, count: &mut u64, i: Issue| {
            *count += 1;
            if issues.len() < KEEP_ERRORS {
                issues.push(i);
            }
        };
        // csv's positions leave out the blank lines it skips; the counter tracks real lines
        let starts = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::new()));
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineCounter {
                inner: reader,
                line: 1,
                state: Lex::RowStart,
                starts: starts.clone(),
            });
        let next_line = || starts.borrow_mut().pop_front().unwrap_or(0);
        let mut rec = csv::ByteRecord::new();
        let done = |send: &mut dyn FnMut(Msg) -> bool, records, issues, count| {
            send(Msg::Done {
                records,
                issues,
                count,
            });
        };
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                next_line();
            }
            Ok(false) => {
                note(&mut issues, &mut count, Issue::new(1, None, "empty", None));
                return done(&mut send, 0, issues, count);
            }
            Err(_) => {
                note(
                    &mut issues,
                    &mut count,
                    Issue::new(1, None, "encoding", None),
                );
                return done(&mut send, 0, issues, count);
            }
        }
        let mut cols: Vec<Col> = Vec::new();
        for (i, raw) in rec.iter().enumerate() {
            let raw = if i == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            let Ok(name) = std::str::from_utf8(raw) else {
                note(
                    &mut issues,
                    &mut count,
                    Issue::new(1, None, "encoding", None),
                );
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            match column(&name) {
                Some(c) if cols.contains(&c) => note(
                    &mut issues,
                    &mut count,
                    Issue::new(1, Some(&name), "repeated_column", Some(name.clone())),
                ),
                Some(c) => cols.push(c),
                None => note(
                    &mut issues,
                    &mut count,
                    Issue::new(1, Some(&name), "unknown_column", Some(name.clone())),
                ),
            }
        }
        for (c, name) in [
            (Col::Sku, "sku"),
            (Col::Unit, "unit"),
            (Col::Name(0), "name_en"),
        ] {
            if !cols.contains(&c) {
                note(
                    &mut issues,
                    &mut count,
                    Issue::new(1, Some(name), "missing_column", Some(name.into())),
                );
            }
        }
        if count > 0 {
            return done(&mut send, 0, issues, count);
        }
        let mut batch: Vec<u8> = Vec::with_capacity(512 * 1024);
        // id, names and active of the same rows, for the connection gathering their words
        let mut words: Vec<u8> = Vec::with_capacity(128 * 1024);
        let mut records = 0u64;
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(_) => {
                    let line = next_line();
                    note(
                        &mut issues,
                        &mut count,
                        Issue::new(line, None, "encoding", None),
                    );
                    break;
                }
            }
            let line = next_line();
            if rec.len() == 1
                && rec
                    .get(0)
                    .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                continue; // a blank line
            }
            records += 1;
            if rec.len() != cols.len() {
                note(
                    &mut issues,
                    &mut count,
                    Issue::new(
                        line,
                        None,
                        "column_count",
                        Some(format!("{}/{}", rec.len(), cols.len())),
                    ),
                );
                continue;
            }
            let mut fields: Vec<&str> = Vec::with_capacity(cols.len());
            let mut bad = false;
            for (i, raw) in rec.iter().enumerate() {
                match std::str::from_utf8(raw) {
                    Ok(s) => fields.push(s.trim()),
                    Err(_) => {
                        bad = true;
                        fields.push("");
                        note(
                            &mut issues,
                            &mut count,
                            Issue::new(line, name_of(cols[i]).as_deref(), "encoding", None),
                        );
                    }
                }
            }
            if bad {
                continue;
            }
            let mut input = ItemInput::default();
            let mut category = None;
            let mut active = true;
            let mut row_ok = true;
            for (c, v) in cols.iter().zip(fields.iter()) {
                let v = *v;
                match c {
                    Col::Sku => input.sku = v.to_string(),
                    Col::Unit => input.unit = v.to_string(),
                    Col::Name(l) if !v.is_empty() => {
                        input.names.insert(LANGUAGES[*l].into(), v.to_string());
                    }
                    Col::Description(l) if !v.is_empty() => {
                        input
                            .descriptions
                            .insert(LANGUAGES[*l].into(), v.to_string());
                    }
                    Col::Name(_) | Col::Description(_) => {}
                    Col::Category if !v.is_empty() => category = Some(v.to_ascii_uppercase()),
                    Col::Category => {}
                    Col::ReorderLevel | Col::ReorderQuantity if !v.is_empty() => {
                        match Decimal::from_str(v) {
                            Ok(d) if *c == Col::ReorderLevel => input.reorder_level = Some(d),
                            Ok(d) => input.reorder_quantity = Some(d),
                            Err(_) => {
                                row_ok = false;
                                let name = name_of(*c).unwrap_or_default();
                                note(
                                    &mut issues,
                                    &mut count,
                                    Issue::new(line, Some(&name), "not_number", None),
                                );
                            }
                        }
                    }
                    Col::ReorderLevel | Col::ReorderQuantity => {}
                    Col::Serialised | Col::Active if !v.is_empty() => match boolean(v) {
                        Some(b) if *c == Col::Serialised => input.serialised = Some(b),
                        Some(b) => active = b,
                        None => {
                            row_ok = false;
                            let name = name_of(*c).unwrap_or_default();
                            note(
                                &mut issues,
                                &mut count,
                                Issue::new(line, Some(&name), "not_boolean", None),
                            );
                        }
                    },
                    Col::Serialised | Col::Active => {}
                    Col::Specs => {
                        for part in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                            match part.split_once('=') {
                                Some((k, val)) if !k.trim().is_empty() => {
                                    input.specs.insert(k.trim().into(), val.trim().into());
                                }
                                _ => {
                                    row_ok = false;
                                    note(
                                        &mut issues,
                                        &mut count,
                                        Issue::new(line, Some("specs"), "bad_specs", None),
                                    );
                                    break;
                                }
                            }
                        }
                    }
                }
            }
            if let Err(errs) = validate_item(&input) {
                row_ok = false;
                for (field, e) in errs {
                    note(
                        &mut issues,
                        &mut count,
                        Issue::field(line, &column_of_field(&field), e),
                    );
                }
            }
            if !row_ok || count > 0 {
                continue;
            }
            // line, sku, names, descriptions, category, unit, reorder_level, reorder_quantity,
            // tracking, specs, active, id
            batch.extend_from_slice(line.to_string().as_bytes());
            batch.push(b'\t');
            copy_text(&mut batch, &input.sku);
            batch.push(b'\t');
            let names_at = batch.len();
            copy_text(
                &mut batch,
                &serde_json::to_string(&input.names).unwrap_or_default(),
            );
            let names = names_at..batch.len();
            batch.push(b'\t');
            copy_text(
                &mut batch,
                &serde_json::to_string(&input.descriptions).unwrap_or_default(),
            );
            batch.push(b'\t');
            match &category {
                Some(c) => copy_text(&mut batch, c),
                None => batch.extend_from_slice(b"\\N"),
            }
            batch.push(b'\t');
            copy_text(&mut batch, &input.unit);
            batch.push(b'\t');
            batch.extend_from_slice(
                input
                    .reorder_level
                    .unwrap_or_default()
                    .to_string()
                    .as_bytes(),
            );
            batch.push(b'\t');
            batch.extend_from_slice(
                input
                    .reorder_quantity
                    .unwrap_or_default()
                    .to_string()
                    .as_bytes(),
            );
            batch.push(b'\t');
            batch.extend_from_slice(if input.serialised == Some(true) {
                b"serial"
            } else {
                b"lot"
            });
            batch.push(b'\t');
            copy_text(
                &mut batch,
                &serde_json::to_string(&input.specs).unwrap_or_default(),
            );
            batch.push(b'\t');
            batch.push(if active { b't' } else { b'f' });
            batch.push(b'\t');
            // the item's id, time-ordered: a million new keys append to the primary key's
            // B-tree instead of landing on random pages of it
            let mut id = Uuid::encode_buffer();
            let id = Uuid::now_v7().hyphenated().encode_lower(&mut id).as_bytes();
            batch.extend_from_slice(id);
            batch.push(b'\n');
            words.extend_from_slice(id);
            words.push(b'\t');
            words.extend_from_slice(&batch[names]);
            words.push(b'\t');
            words.push(if active { b't' } else { b'f' });
            words.push(b'\n');
            if batch.len() >= 512 * 1024
                && !send(Msg::Rows {
                    items: std::mem::replace(&mut batch, Vec::with_capacity(512 * 1024)),
                    words: std::mem::replace(&mut words, Vec::with_capacity(128 * 1024)),
                    records,
                })
            {
                return;
            }
        }
        if count > 0 {
            batch.clear();
            words.clear();
        }
        if send(Msg::Rows {
            items: batch,
            words,
            records,
        }) {
            done(&mut send, records, issues, count);
        }
    }

    fn name_of(c: Col) -> Option<String> {
        use crate::inventory::model::LANGUAGES;
        Some(match c {
            Col::Sku => "sku".into(),
            Col::Unit => "unit".into(),
            Col::Name(l) => format!("name_{}", LANGUAGES[l]),
            Col::Description(l) => format!("description_{}", LANGUAGES[l]),
            Col::Category => "category".into(),
            Col::ReorderLevel => "reorder_level".into(),
            Col::ReorderQuantity => "reorder_quantity".into(),
            Col::Serialised => "serialised".into(),
            Col::Active => "active".into(),
            Col::Specs => "specs".into(),
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn run(csv: &str) -> (Vec<String>, u64, Vec<Issue>) {
            let mut rows = Vec::new();
            let mut end = None;
            parse(csv.as_bytes(), |m| {
                match m {
                    Msg::Rows { items, .. } => {
                        let text = String::from_utf8(items).unwrap_or_default();
                        rows.extend(text.lines().map(str::to_string));
                    }
                    Msg::Done {
                        records, issues, ..
                    } => end = Some((records, issues)),
                }
                true
            });
            let (records, issues) = end.unwrap_or((0, Vec::new()));
            (rows, records, issues)
        }

        #[test]
        fn valid_rows_become_copy_text_with_line_numbers() {
            let (rows, records, issues) = run(
                "\u{feff}SKU,unit,name_en,name_hi,category,reorder_level,serialised,specs\n\
                 BRG-1,pcs,\"Bearing, deep groove\",बेयरिंग,BRG,5,no,bore=25 mm; seal=2RS\n\
                 \n\
                 GBX-1,pcs,Gearbox,,,,yes,\n\
                 MTR-1,pcs,\"Motor\nthree phase\",,,,yes,\n",
            );
            assert!(issues.is_empty(), "{issues:?}");
            assert_eq!(records, 3);
            assert_eq!(rows.len(), 3);
            let first: Vec<&str> = rows[0].split('\t').collect();
            assert_eq!(first[0], "2");
            assert_eq!(first[1], "BRG-1");
            assert_eq!(first[2], r#"{"en":"Bearing, deep groove","hi":"बेयरिंग"}"#);
            assert_eq!(first[4], "BRG");
            assert_eq!(first[6], "5");
            assert_eq!(first[8], "lot");
            assert_eq!(first[9], r#"{"bore":"25 mm","seal":"2RS"}"#);
            let second: Vec<&str> = rows[1].split('\t').collect();
            assert_eq!(second[0], "4", "the blank line still counts");
            assert_eq!(second[4], "\\N");
            assert_eq!(second[8], "serial");
            assert!(rows[2].starts_with("5\tMTR-1\t"), "{}", rows[2]);
            // each row carries its item's id, time-ordered
            let ids: Vec<Uuid> = rows
                .iter()
                .filter_map(|r| r.rsplit('\t').next().and_then(|id| id.parse().ok()))
                .collect();
            assert_eq!(ids.len(), 3);
            assert!(ids.iter().all(|id| id.get_version_num() == 7));
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        }

        #[test]
        fn errors_name_their_line_and_column_and_stop_the_rows() {
            let (rows, records, issues) = run("sku,unit,name_en,reorder_level\n\
                 ok-1,pcs,Lower case SKU,1\n\
                 OK-2,pcs,,1\n\
                 OK-3,pcs,Fine,-1\n\
                 OK-4,pcs,Fine,abc\n\
                 OK-5,pcs\n\
                 OK-6,pcs,Fine,1\n");
            assert!(rows.is_empty(), "nothing is copied once a row is bad");
            assert_eq!(records, 6);
            let got: Vec<(u64, Option<&str>, &str)> = issues
                .iter()
                .map(|i| (i.line, i.column.as_deref(), i.code.as_str()))
                .collect();
            assert_eq!(
                got,
                vec![
                    (2, Some("sku"), "invalid"),
                    (3, Some("name_en"), "required"),
                    (4, Some("reorder_level"), "not_negative"),
                    (5, Some("reorder_level"), "not_number"),
                    (6, None, "column_count"),
                ]
            );
        }

        #[test]
        fn a_bad_header_or_encoding_is_reported() {
            let (_, _, issues) = run("sku,name,colour\nA,b,c\n");
            let codes: Vec<&str> = issues.iter().map(|i| i.code.as_str()).collect();
            assert_eq!(
                codes,
                vec![
                    "unknown_column",
                    "unknown_column",
                    "missing_column",
                    "missing_column"
                ]
            );
            let mut latin1 = b"sku,unit,name_en\nA-1,pcs,Caf".to_vec();
            latin1.extend_from_slice(&[0xE9, b'\n']);
            let mut end = None;
            parse(&latin1[..], |m| {
                if let Msg::Done { issues, .. } = m {
                    end = Some(issues);
                }
                true
            });
            let issues = end.unwrap_or_default();
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].line, 2);
            assert_eq!(issues[0].column.as_deref(), Some("name_en"));
            assert_eq!(issues[0].code, "encoding");
            let (_, records, issues) = run("");
            assert_eq!(records, 0);
            assert_eq!(issues[0].code, "empty");
        }

        #[test]
        fn copy_text_escapes_what_copy_would_read_as_separators() {
            let mut out = Vec::new();
            copy_text(&mut out, "a\tb\\c\nd");
            assert_eq!(out, b"a\\tb\\\\c\\nd");
        }
    }
}
