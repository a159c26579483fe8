//! The import worker: claims queued jobs, streams the parsed rows into staging tables by COPY,
//! checks what only the database knows and inserts everything in one transaction, or nothing.
use super::parse::{parse, Msg};
use super::*;
use crate::inventory::repo::import as repo;

/// Runs queued imports until none is left; returns how many ran. Called right after an
/// upload and by the periodic worker (which picks up imports whose worker died).
pub async fn run_pending(state: &AppState) -> AppResult<usize> {
    let mut n = 0;
    loop {
        let claimed = repo::claim_job(&state.pool, QUEUE_KIND).await?;
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
    repo::finish_job(&mut tx, job, error).await?;
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
    repo::report_progress(&mut tx, id, processed as i64, phase).await?;
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
    repo::mark_failed(&mut tx, id, processed as i64, issues, count as i64).await?;
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
    repo::set_gathering_memory(&mut words).await?;
    let mut rows = repo::copy_out_words(&mut words).await?;
    while let Some(chunk) = rows.next().await {
        if out.send(chunk?).await.is_err() {
            // the import ended without them
            break;
        }
    }
    Ok(())
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
    let job = repo::start_running(&mut tx, id).await?;
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
    repo::create_stage_table(&mut tx).await?;
    repo::set_checking_memory(&mut tx).await?;
    // a second connection receives the same rows, to gather the vocabulary's words on the
    // other core while this one writes the items (it only reads: all or nothing stays here)
    let mut words = state.pool.begin().await?;
    repo::create_words_table(&mut words).await?;
    let mut copy = repo::copy_into_stage(&mut tx).await?;
    let mut words_copy = repo::copy_into_words(&mut words).await?;
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
    let repeats = repo::repeated_skus(&mut tx).await?;
    issues.extend(repeats.into_iter().map(|(line, first)| {
        Issue::new(
            line as u64,
            Some("sku"),
            "duplicate_in_file",
            Some(first.to_string()),
        )
    }));
    let existing = repo::existing_skus(&mut tx).await?;
    issues.extend(
        existing
            .into_iter()
            .map(|(line, sku)| Issue::new(line as u64, Some("sku"), "exists", Some(sku))),
    );
    let unknown = repo::unknown_categories(&mut tx).await?;
    issues.extend(unknown.into_iter().map(|(line, code)| {
        Issue::new(
            line as u64,
            Some("category"),
            "unknown_category",
            Some(code),
        )
    }));
    let unknown = repo::unknown_units(&mut tx).await?;
    issues.extend(
        unknown
            .into_iter()
            .map(|(line, unit)| Issue::new(line as u64, Some("unit"), "unknown_unit", Some(unit))),
    );
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
    repo::set_writing_mode(&mut tx).await?;
    // in file order, into the company's segments of the full-text index
    let inserted = repo::insert_staged_items(&mut tx, tenant).await;
    let inserted = match inserted {
        Ok(n) => n,
        Err(e) if crate::error::unique_violation(&e) == Some("items_tenant_sku") => {
            // another import or a new item took one of the SKUs meanwhile
            drop(tx);
            let issue = Issue::new(0, Some("sku"), "exists", None);
            return fail(state, tenant, id, records, &[issue], 1).await;
        }
        Err(e) => return Err(e.into()),
    };
    // the words the other connection gathered, merged into the vocabulary as the trigger would
    repo::create_terms_table(&mut tx).await?;
    let mut copy = repo::copy_into_terms(&mut tx).await?;
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
    repo::merge_terms(&mut tx, tenant).await?;
    repo::mark_succeeded(&mut tx, id, records as i64, inserted as i64).await?;
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
