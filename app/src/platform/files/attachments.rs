//! Files attached to documents of any slice, by document type and id. The slice decides who may
//! see or change its document's files; these functions run inside the transaction it opened.
use super::staging::{io_err, Staged};
use super::store::{FileStore, Reader};
use super::{clean_file_name, Attachment};
use crate::error::{AppError, AppResult, FieldError};
use crate::platform::audit::{self, Entry};
use crate::platform::context::{Principal, RequestCtx};
use crate::platform::db::Tx;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

struct Row {
    id: Uuid,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    uploaded_by: String,
    created_at: DateTime<Utc>,
    storage_key: String,
}

impl From<Row> for Attachment {
    fn from(r: Row) -> Self {
        Attachment {
            id: r.id,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            uploaded_by: r.uploaded_by,
            uploaded_at: r.created_at,
        }
    }
}

/// A document's files, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(tx: &mut Tx, doc_type: &str, doc_id: Uuid) -> AppResult<Vec<Attachment>> {
    let rows = sqlx::query_as!(
        Row,
        "select a.id, a.file_name, a.content_type, a.size_bytes, u.display_name as uploaded_by, a.created_at,
                a.storage_key
           from attachments a join users u on u.id = a.uploaded_by
          where a.doc_type = $1 and a.doc_id = $2 order by a.created_at, a.id",
        doc_type,
        doc_id
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Attachment::from).collect())
}

/// Adds a staged upload to a document: refused when empty or not an allowed kind (422 on `file`).
/// Its row and audit entry are written in `tx` and its bytes stored before the commit; should the
/// commit fail, the bytes are removed again (an orphan blob at worst, never a row without bytes).
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add(
    tx: &mut Tx,
    files: Arc<dyn FileStore>,
    ctx: &RequestCtx,
    p: &Principal,
    doc_type: &'static str,
    doc_id: Uuid,
    file_name: &str,
    mut staged: Staged,
) -> AppResult<Attachment> {
    staged.finish().await?;
    if staged.size() == 0 {
        return Err(AppError::field("file", FieldError::Required));
    }
    let Some(kind) = staged.kind() else {
        return Err(AppError::field("file", FieldError::FileType));
    };
    let id = Uuid::new_v4();
    let key = format!("{}/{doc_type}/{doc_id}/{id}", p.tenant_id);
    let sha = staged.sha256();
    let name = clean_file_name(file_name);
    sqlx::query!(
        "insert into attachments (tenant_id, id, doc_type, doc_id, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        p.tenant_id,
        id,
        doc_type,
        doc_id,
        &name,
        kind.content_type(),
        staged.size() as i64,
        &sha,
        &key,
        p.user_id
    )
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "attach",
            entity: doc_type,
            entity_id: Some(doc_id.to_string()),
            old: None,
            new: Some(serde_json::json!({"attachment": id, "file_name": name, "content_type": kind.content_type(), "size": staged.size(), "sha256": sha})),
        },
    )
    .await?;
    let row = sqlx::query_as!(
        Row,
        "select a.id, a.file_name, a.content_type, a.size_bytes, u.display_name as uploaded_by, a.created_at,
                a.storage_key
           from attachments a join users u on u.id = a.uploaded_by
          where a.id = $1",
        id
    )
    .fetch_one(&mut **tx)
        .await?;
    // the blob before the commit: a failed commit leaves an orphan blob, never a row without
    // its bytes
    files
        .put(&key, staged.path())
        .await
        .map_err(|e| io_err("store", e))?;
    tx.if_commit_fails(async move {
        let _ = files.delete(&key).await;
    });
    Ok(row.into())
}

/// One file of a document with its bytes (404 when the document has no such file).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open(
    tx: &mut Tx,
    files: &dyn FileStore,
    doc_type: &str,
    doc_id: Uuid,
    id: Uuid,
) -> AppResult<(Attachment, Reader)> {
    let row = sqlx::query_as!(
        Row,
        "select a.id, a.file_name, a.content_type, a.size_bytes, u.display_name as uploaded_by, a.created_at,
                a.storage_key
           from attachments a join users u on u.id = a.uploaded_by
          where a.id = $1 and a.doc_type = $2 and a.doc_id = $3",
        id,
        doc_type,
        doc_id
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let reader = files
        .open(&row.storage_key)
        .await
        .map_err(|e| io_err("store", e))?;
    Ok((row.into(), reader))
}

/// A file taken off a document. Its row and the audit entry are written in `tx`; the bytes go
/// once it has committed, so a failure leaves an unreferenced blob, not a broken link.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(
    tx: &mut Tx,
    files: Arc<dyn FileStore>,
    ctx: &RequestCtx,
    p: &Principal,
    doc_type: &'static str,
    doc_id: Uuid,
    id: Uuid,
) -> AppResult<()> {
    let key = sqlx::query_scalar!(
        "delete from attachments where id = $1 and doc_type = $2 and doc_id = $3 returning storage_key",
        id,
        doc_type,
        doc_id
    )
    .fetch_optional(&mut **tx)
    .await?;
    let key = key.ok_or(AppError::NotFound)?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "detach",
            entity: doc_type,
            entity_id: Some(doc_id.to_string()),
            old: Some(serde_json::json!({"attachment": id})),
            new: None,
        },
    )
    .await?;
    tx.after_commit(async move {
        let _ = files.delete(&key).await;
    });
    Ok(())
}
