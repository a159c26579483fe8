//! Attachments of requisitions: the allowed kinds are recognised from the bytes (magic numbers and,
//! for Office files, the container's contents), never from the name or the declared type; at most
//! 50 MB each; stored behind a small storage interface (a local folder by default, replaceable by
//! an S3-compatible store).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most one file may hold.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// What the content turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Doc,
    Xls,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Doc => "application/msword",
            Kind::Xls => "application/vnd.ms-excel",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Doc => "doc",
            Kind::Xls => "xls",
        }
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const CFB: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Markers looked for anywhere in the stream (names of zip entries; UTF-16LE names of CFB streams).
const MARKERS: [&[u8]; 5] = [
    b"[Content_Types].xml",
    b"word/",
    b"xl/",
    b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0",
    b"W\0o\0r\0k\0b\0o\0o\0k\0",
];
const LONGEST: usize = 24;

/// Recognises a file fed in chunks of any size, without keeping it in memory.
#[derive(Clone, Debug, Default)]
pub struct Sniffer {
    head: Vec<u8>,
    tail: Vec<u8>,
    found: [bool; 5],
}

impl Sniffer {
    pub fn push(&mut self, chunk: &[u8]) {
        if self.head.len() < 16 {
            let take = (16 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        // search the end of the previous chunk together with this one so markers split across
        // chunks are found
        let mut window = std::mem::take(&mut self.tail);
        window.extend_from_slice(chunk);
        for (i, m) in MARKERS.iter().enumerate() {
            if !self.found[i] && window.windows(m.len()).any(|w| w == *m) {
                self.found[i] = true;
            }
        }
        let keep = window.len().min(LONGEST);
        self.tail = window[window.len() - keep..].to_vec();
    }

    pub fn kind(&self) -> Option<Kind> {
        let h = &self.head;
        if h.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else if h.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if h.starts_with(b"\xFF\xD8\xFF") {
            Some(Kind::Jpeg)
        } else if h.starts_with(ZIP) && self.found[0] {
            // an Office Open XML package: which application its parts belong to
            if self.found[1] {
                Some(Kind::Docx)
            } else if self.found[2] {
                Some(Kind::Xlsx)
            } else {
                None
            }
        } else if h.starts_with(CFB) {
            if self.found[3] {
                Some(Kind::Doc)
            } else if self.found[4] {
                Some(Kind::Xls)
            } else {
                None
            }
        } else {
            None
        }
    }
}

/// The name as stored and offered for download: the last path segment, without control
/// characters, at most 200 characters, never empty.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".to_string()
    } else {
        cleaned
    }
}

/// Human size: "12 KB", "3.4 MB" (digits per locale are formatted by the caller's number format).
pub fn size_label(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1024.0 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

#[cfg(feature = "ssr")]
pub mod storage {
    //! Where the bytes live. The database keeps only the key.
    use std::future::Future;
    use std::io;
    use std::path::{Path, PathBuf};
    use std::pin::Pin;

    pub type Reader = Pin<Box<dyn tokio::io::AsyncRead + Send>>;
    type Fut<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

    /// A store of immutable blobs by key. `put` takes a finished local file (the upload is
    /// staged there while it is checked) so an S3-compatible store can stream it up.
    pub trait FileStore: Send + Sync {
        fn put<'a>(&'a self, key: &'a str, staged: &'a Path) -> Fut<'a, ()>;
        fn open<'a>(&'a self, key: &'a str) -> Fut<'a, Reader>;
        fn delete<'a>(&'a self, key: &'a str) -> Fut<'a, ()>;
        /// A local folder for staging uploads.
        fn staging_dir(&self) -> PathBuf;
    }

    /// Files in a local folder: `{root}/{key}`.
    pub struct LocalStore {
        root: PathBuf,
    }

    impl LocalStore {
        pub fn new(root: impl Into<PathBuf>) -> Self {
            LocalStore { root: root.into() }
        }

        fn path(&self, key: &str) -> io::Result<PathBuf> {
            // keys are generated by us, but refuse anything that would leave the root anyway
            if key
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
            {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad key"));
            }
            Ok(self.root.join(key))
        }
    }

    impl FileStore for LocalStore {
        fn put<'a>(&'a self, key: &'a str, staged: &'a Path) -> Fut<'a, ()> {
            Box::pin(async move {
                let dest = self.path(key)?;
                if let Some(dir) = dest.parent() {
                    tokio::fs::create_dir_all(dir).await?;
                }
                // staging lives under the same root, so this is a rename on one file system
                match tokio::fs::rename(staged, &dest).await {
                    Ok(()) => Ok(()),
                    Err(_) => {
                        tokio::fs::copy(staged, &dest).await?;
                        tokio::fs::remove_file(staged).await
                    }
                }
            })
        }

        fn open<'a>(&'a self, key: &'a str) -> Fut<'a, Reader> {
            Box::pin(async move {
                let f = tokio::fs::File::open(self.path(key)?).await?;
                Ok(Box::pin(f) as Reader)
            })
        }

        fn delete<'a>(&'a self, key: &'a str) -> Fut<'a, ()> {
            Box::pin(async move {
                match tokio::fs::remove_file(self.path(key)?).await {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            })
        }

        fn staging_dir(&self) -> PathBuf {
            self.root.join("staging")
        }
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{AppError, AppResult, FieldError};
    use crate::platform::audit::{self, Entry};
    use crate::platform::context::Principal;
    use crate::platform::context::{AppState, RequestCtx};
    use crate::platform::db::{tenant_tx, Tx};
    use crate::procurement::service::visible;
    use sha2::{Digest, Sha256};
    use std::path::PathBuf;
    use tokio::io::AsyncWriteExt;

    fn io_err(what: &str, e: std::io::Error) -> AppError {
        tracing::error!(error = %e, "attachment {what} failed");
        AppError::Internal
    }

    /// An upload being received: written to a staging file while it is measured, hashed and
    /// recognised. Dropped without `attach`, the staging file is removed.
    pub struct Staged {
        path: PathBuf,
        file: Option<tokio::fs::File>,
        size: u64,
        hash: Sha256,
        sniffer: Sniffer,
    }

    /// A new file in the store's staging folder, for an upload being received.
    pub async fn staging_file(state: &AppState) -> AppResult<(PathBuf, tokio::fs::File)> {
        let dir = state.files.staging_dir();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| io_err("staging", e))?;
        let path = dir.join(Uuid::new_v4().to_string());
        let file = tokio::fs::File::create(&path)
            .await
            .map_err(|e| io_err("staging", e))?;
        Ok((path, file))
    }

    impl Staged {
        pub async fn new(state: &AppState) -> AppResult<Staged> {
            let (path, file) = staging_file(state).await?;
            Ok(Staged {
                path,
                file: Some(file),
                size: 0,
                hash: Sha256::new(),
                sniffer: Sniffer::default(),
            })
        }

        /// Appends a chunk; past `MAX_BYTES` the upload is refused (413).
        pub async fn push(&mut self, chunk: &[u8]) -> AppResult<()> {
            self.size += chunk.len() as u64;
            if self.size > MAX_BYTES {
                return Err(AppError::PayloadTooLarge);
            }
            self.hash.update(chunk);
            self.sniffer.push(chunk);
            if let Some(f) = self.file.as_mut() {
                f.write_all(chunk).await.map_err(|e| io_err("staging", e))?;
            }
            Ok(())
        }

        async fn finish(&mut self) -> AppResult<()> {
            if let Some(mut f) = self.file.take() {
                f.flush().await.map_err(|e| io_err("staging", e))?;
            }
            Ok(())
        }
    }

    impl Drop for Staged {
        fn drop(&mut self) {
            // after a successful put the file has moved and this is a no-op
            let _ = std::fs::remove_file(&self.path);
        }
    }

    #[derive(sqlx::FromRow)]
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

    const SELECT: &str = "select a.id, a.file_name, a.content_type, a.size_bytes, u.display_name as uploaded_by, a.created_at,
               a.storage_key
          from attachments a join users u on u.id = a.uploaded_by";

    /// Checks that the caller may see the requisition (404 otherwise, as for another tenant's).
    pub async fn list(
        state: &AppState,
        ctx: &RequestCtx,
        doc_id: Uuid,
    ) -> AppResult<Vec<Attachment>> {
        let p = ctx.principal()?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        // visibility and scope are the requisition's
        visible(&mut tx, p, doc_id, false).await?;
        let rows = sqlx::query_as::<_, Row>(&format!(
            "{SELECT} where a.doc_type = 'requisition' and a.doc_id = $1 order by a.created_at, a.id"
        ))
        .bind(doc_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(Attachment::from).collect())
    }

    /// Only the requester, and only while they may edit (draft or questioned), adds or removes
    /// files. The requisition stays locked to the end of `tx`, so a concurrent submit waits.
    async fn editable(tx: &mut Tx, p: &Principal, doc_id: Uuid) -> AppResult<()> {
        let (requester, status) = visible(tx, p, doc_id, true).await?;
        if requester != p.user_id {
            return Err(AppError::Forbidden);
        }
        if !status.editable() {
            return Err(AppError::InvalidState);
        }
        Ok(())
    }

    pub async fn attach(
        state: &AppState,
        ctx: &RequestCtx,
        doc_id: Uuid,
        file_name: &str,
        mut staged: Staged,
    ) -> AppResult<Attachment> {
        let p = ctx.principal()?;
        staged.finish().await?;
        if staged.size == 0 {
            return Err(AppError::field("file", FieldError::Required));
        }
        let Some(kind) = staged.sniffer.kind() else {
            return Err(AppError::field("file", FieldError::FileType));
        };
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        editable(&mut tx, p, doc_id).await?;
        let id = Uuid::new_v4();
        let key = format!("{}/requisition/{doc_id}/{id}", p.tenant_id);
        let sha = hex::encode(std::mem::take(&mut staged.hash).finalize());
        let name = clean_file_name(file_name);
        sqlx::query(
            "insert into attachments (tenant_id, id, doc_type, doc_id, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
             values ($1, $2, 'requisition', $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(p.tenant_id)
        .bind(id)
        .bind(doc_id)
        .bind(&name)
        .bind(kind.content_type())
        .bind(staged.size as i64)
        .bind(&sha)
        .bind(&key)
        .bind(p.user_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "attach",
                entity: "requisition",
                entity_id: Some(doc_id.to_string()),
                old: None,
                new: Some(serde_json::json!({"attachment": id, "file_name": name, "content_type": kind.content_type(), "size": staged.size, "sha256": sha})),
            },
        )
        .await?;
        let row = sqlx::query_as::<_, Row>(&format!("{SELECT} where a.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        // the blob first, then the row: a failed commit leaves an orphan blob, never a row
        // without its bytes
        state
            .files
            .put(&key, &staged.path)
            .await
            .map_err(|e| io_err("store", e))?;
        if let Err(e) = tx.commit().await {
            let _ = state.files.delete(&key).await;
            return Err(e.into());
        }
        Ok(row.into())
    }

    /// The attachment and its bytes, for whoever may see the requisition.
    pub async fn open(
        state: &AppState,
        ctx: &RequestCtx,
        doc_id: Uuid,
        id: Uuid,
    ) -> AppResult<(Attachment, super::storage::Reader)> {
        let p = ctx.principal()?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        visible(&mut tx, p, doc_id, false).await?;
        let row = sqlx::query_as::<_, Row>(&format!(
            "{SELECT} where a.id = $1 and a.doc_type = 'requisition' and a.doc_id = $2"
        ))
        .bind(id)
        .bind(doc_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        let reader = state
            .files
            .open(&row.storage_key)
            .await
            .map_err(|e| io_err("store", e))?;
        Ok((row.into(), reader))
    }

    pub async fn remove(
        state: &AppState,
        ctx: &RequestCtx,
        doc_id: Uuid,
        id: Uuid,
    ) -> AppResult<()> {
        let p = ctx.principal()?;
        let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
        editable(&mut tx, p, doc_id).await?;
        let key: Option<String> = sqlx::query_scalar(
            "delete from attachments where id = $1 and doc_type = 'requisition' and doc_id = $2 returning storage_key",
        )
        .bind(id)
        .bind(doc_id)
        .fetch_optional(&mut *tx)
        .await?;
        let key = key.ok_or(AppError::NotFound)?;
        audit::record(
            &mut tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "detach",
                entity: "requisition",
                entity_id: Some(doc_id.to_string()),
                old: Some(serde_json::json!({"attachment": id})),
                new: None,
            },
        )
        .await?;
        tx.commit().await?;
        // the row is gone; a failure here leaves an unreferenced blob, not a broken link
        let _ = state.files.delete(&key).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_in_chunks(bytes: &[u8], size: usize) -> Option<Kind> {
        let mut s = Sniffer::default();
        for c in bytes.chunks(size) {
            s.push(c);
        }
        s.kind()
    }

    #[test]
    fn recognises_by_content_not_name() {
        assert_eq!(sniff_in_chunks(b"%PDF-1.7\n...", 3), Some(Kind::Pdf));
        assert_eq!(
            sniff_in_chunks(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 1),
            Some(Kind::Png)
        );
        assert_eq!(
            sniff_in_chunks(b"\xFF\xD8\xFF\xE0JFIF", 2),
            Some(Kind::Jpeg)
        );
        assert_eq!(sniff_in_chunks(b"MZ\x90\0 an exe", 4), None);
        assert_eq!(sniff_in_chunks(b"<html>pdf</html>", 4), None);
        assert_eq!(sniff_in_chunks(b"", 4), None);
    }

    #[test]
    fn tells_office_packages_apart_even_across_chunks() {
        let mut docx = b"PK\x03\x04....[Content_Types].xml....".to_vec();
        docx.extend_from_slice(b"PK\x03\x04word/document.xml");
        let mut xlsx = b"PK\x03\x04....[Content_Types].xml....".to_vec();
        xlsx.extend_from_slice(b"PK\x03\x04xl/workbook.xml");
        for size in [1, 5, 7, 64] {
            assert_eq!(sniff_in_chunks(&docx, size), Some(Kind::Docx));
            assert_eq!(sniff_in_chunks(&xlsx, size), Some(Kind::Xlsx));
        }
        // a zip that is not an Office document is refused
        assert_eq!(sniff_in_chunks(b"PK\x03\x04evil/payload.sh", 3), None);
        let mut doc = CFB.to_vec();
        doc.extend_from_slice(&[0; 40]);
        doc.extend_from_slice(b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0");
        let mut xls = CFB.to_vec();
        xls.extend_from_slice(b"W\0o\0r\0k\0b\0o\0o\0k\0");
        assert_eq!(sniff_in_chunks(&doc, 3), Some(Kind::Doc));
        assert_eq!(sniff_in_chunks(&xls, 5), Some(Kind::Xls));
        assert_eq!(sniff_in_chunks(CFB, 3), None);
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\quote.pdf"), "quote.pdf");
        assert_eq!(clean_file_name("..."), "file");
        assert_eq!(clean_file_name("a\"b\n.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("कोटेशन.pdf"), "कोटेशन.pdf");
    }
}
