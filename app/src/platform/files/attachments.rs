//! Files attached to documents of any slice, by document type and id. The slice decides who may
//! see or change its document's files; these functions run inside the transaction it opened.
use super::staging::{io_err, Staged};
use super::store::{FileStore, Reader};
use super::{clean_file_name, Attachment};
use crate::error::{AppError, AppResult, FieldError};
use crate::platform::audit::{self, Entry};
use crate::platform::context::{Principal, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::repo;
use crate::platform::repo::files::{AttachmentRow, NewAttachment};
use std::sync::Arc;
use uuid::Uuid;

impl From<AttachmentRow> for Attachment {
    fn from(r: AttachmentRow) -> Self {
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
    let rows = repo::files::attachments_of(tx, doc_type, doc_id).await?;
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
    repo::files::insert_attachment(
        tx,
        &NewAttachment {
            tenant_id: p.tenant_id,
            id,
            doc_type,
            doc_id,
            file_name: &name,
            content_type: kind.content_type(),
            size_bytes: staged.size() as i64,
            sha256: &sha,
            storage_key: &key,
            uploaded_by: p.user_id,
        },
    )
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
    let row = repo::files::attachment(tx, id).await?;
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
    let row = repo::files::attachment_of(tx, doc_type, doc_id, id)
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
    let key = repo::files::delete_attachment(tx, doc_type, doc_id, id).await?;
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
