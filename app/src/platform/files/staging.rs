//! An upload on its way in: written to a staging file in the store's staging folder while it is
//! measured, hashed and recognised, before anything is written to the database.
use super::store::FileStore;
use super::{Kind, Sniffer, MAX_BYTES};
use crate::error::{AppError, AppResult};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

pub(crate) fn io_err(what: &str, e: std::io::Error) -> AppError {
    tracing::error!(error = %e, "file {what} failed");
    AppError::Internal
}

/// A new file in the store's staging folder, for an upload being received.
pub async fn staging_file(files: &dyn FileStore) -> AppResult<(PathBuf, tokio::fs::File)> {
    let dir = files.staging_dir();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| io_err("staging", e))?;
    let path = dir.join(Uuid::new_v4().to_string());
    let file = tokio::fs::File::create(&path)
        .await
        .map_err(|e| io_err("staging", e))?;
    Ok((path, file))
}

/// An upload being received. Dropped before its bytes were stored, the staging file is removed.
pub struct Staged {
    path: PathBuf,
    file: Option<tokio::fs::File>,
    size: u64,
    hash: Sha256,
    sniffer: Sniffer,
}

impl Staged {
    pub async fn new(files: &dyn FileStore) -> AppResult<Staged> {
        let (path, file) = staging_file(files).await?;
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

    /// Flushes the staging file: after this the upload is complete on disk.
    pub async fn finish(&mut self) -> AppResult<()> {
        if let Some(mut f) = self.file.take() {
            f.flush().await.map_err(|e| io_err("staging", e))?;
        }
        Ok(())
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// What the bytes are, if an allowed kind.
    pub fn kind(&self) -> Option<Kind> {
        self.sniffer.kind()
    }

    /// The SHA-256 of the bytes, in hex.
    pub fn sha256(&self) -> String {
        hex::encode(self.hash.clone().finalize())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // after a successful put the file has moved and this is a no-op
        let _ = std::fs::remove_file(&self.path);
    }
}
