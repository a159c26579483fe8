//! Item imports, as a request sees them: the upload staged, the job queued, its progress read.
//! The worker that runs a job and the CSV parser are submodules.
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Locale;
use crate::inventory::model::import::*;
use crate::inventory::model::{validate_item, ItemInput};
use crate::inventory::repo::import::{self as repo, JobRow};
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::{tenant_tx, Tx};
use rust_decimal::Decimal;
use std::io::Read;
use std::path::PathBuf;
use std::str::FromStr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

mod parse;
mod worker;

pub use worker::run_pending;

/// The largest file accepted (a million rows with five languages fit well within it).
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;
/// Errors kept per import (the count goes on).
const KEEP_ERRORS: usize = 1000;
const QUEUE_KIND: &str = "import_items";

fn io_err(what: &str, e: std::io::Error) -> AppError {
    tracing::error!(error = %e, "import {what} failed");
    AppError::Internal
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

/// Stores the upload and queues its import; the worker starts at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn start(
    tx: &mut Tx,
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
    repo::insert_import(
        tx,
        p.tenant_id,
        id,
        &key,
        &name,
        upload.rows() as i64,
        p.user_id,
    )
    .await?;
    repo::queue_job(
        tx,
        p.tenant_id,
        QUEUE_KIND,
        serde_json::json!({ "import_id": id }),
    )
    .await?;
    audit::record(
        tx,
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
    let row = repo::import_job(tx, id).await?.ok_or(AppError::NotFound)?;
    // the worker starts once the job is committed (before, it would find nothing to claim)
    let worker = state.clone();
    tx.after_commit(async move {
        tokio::spawn(async move {
            if let Err(e) = run_pending(&worker).await {
                tracing::warn!(error = %e, "item import worker failed");
            }
        });
    });
    Ok(job_of(row, ctx.locale))
}

/// An import of the caller's company.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<ImportJob> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    let row = repo::import_job(tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(job_of(row, ctx.locale))
}

/// The company's recent imports, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recent(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<ImportJob>> {
    let p = ctx.principal()?;
    p.require("inventory:manage")?;
    let rows = repo::recent_imports(tx).await?;
    Ok(rows.into_iter().map(|r| job_of(r, ctx.locale)).collect())
}
