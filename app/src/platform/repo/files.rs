//! The statements of files attached to documents (`attachments`, by document type and id).
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// An attachment with its uploader's name and where its bytes are stored.
pub(crate) struct AttachmentRow {
    pub(crate) id: Uuid,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) size_bytes: i64,
    pub(crate) uploaded_by: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) storage_key: String,
}

/// A document's attachments, oldest first.
pub(crate) async fn attachments_of(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
) -> sqlx::Result<Vec<AttachmentRow>> {
    sqlx::query_as!(
        AttachmentRow,
        "select a.id, a.file_name, a.content_type, a.size_bytes, u.display_name as uploaded_by, a.created_at,
                a.storage_key
           from attachments a join users u on u.id = a.uploaded_by
          where a.doc_type = $1 and a.doc_id = $2 order by a.created_at, a.id",
        doc_type,
        doc_id
    )
    .fetch_all(conn)
    .await
}

/// A new attachment's row.
pub(crate) struct NewAttachment<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) id: Uuid,
    pub(crate) doc_type: &'a str,
    pub(crate) doc_id: Uuid,
    pub(crate) file_name: &'a str,
    pub(crate) content_type: &'a str,
    pub(crate) size_bytes: i64,
    pub(crate) sha256: &'a str,
    pub(crate) storage_key: &'a str,
    pub(crate) uploaded_by: Uuid,
}

pub(crate) async fn insert_attachment(
    conn: &mut PgConnection,
    a: &NewAttachment<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into attachments (tenant_id, id, doc_type, doc_id, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        a.tenant_id,
        a.id,
        a.doc_type,
        a.doc_id,
        a.file_name,
        a.content_type,
        a.size_bytes,
        a.sha256,
        a.storage_key,
        a.uploaded_by
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn attachment(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<AttachmentRow> {
    sqlx::query_as!(
        AttachmentRow,
        "select a.id, a.file_name, a.content_type, a.size_bytes, u.display_name as uploaded_by, a.created_at,
                a.storage_key
           from attachments a join users u on u.id = a.uploaded_by
          where a.id = $1",
        id
    )
    .fetch_one(conn)
    .await
}

/// Attachment `id` when it belongs to the given document.
pub(crate) async fn attachment_of(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<AttachmentRow>> {
    sqlx::query_as!(
        AttachmentRow,
        "select a.id, a.file_name, a.content_type, a.size_bytes, u.display_name as uploaded_by, a.created_at,
                a.storage_key
           from attachments a join users u on u.id = a.uploaded_by
          where a.id = $1 and a.doc_type = $2 and a.doc_id = $3",
        id,
        doc_type,
        doc_id
    )
    .fetch_optional(conn)
    .await
}

/// Deletes attachment `id` of the given document; returns where its bytes are stored.
pub(crate) async fn delete_attachment(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "delete from attachments where id = $1 and doc_type = $2 and doc_id = $3 returning storage_key",
        id,
        doc_type,
        doc_id
    )
    .fetch_optional(conn)
    .await
}
