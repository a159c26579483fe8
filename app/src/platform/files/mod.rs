//! Files attached to documents, for every slice: what a file is, recognised from its bytes (magic
//! numbers and, for Office files, the container's parts; never the name or the declared type), its
//! stored name, and on the server where the bytes live, how an upload is staged, and the rows that
//! tie a file to any document (`doc_type`, `doc_id`).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod sniff;
pub use sniff::{Kind, Sniffer};

#[cfg(feature = "ssr")]
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod staging;
#[cfg(feature = "ssr")]
pub mod store;

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

/// Who may do what with a document's files, as its slice decides (the server decides again).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileRights {
    /// May add files.
    pub add: bool,
    /// …but only while the document has none (a first file may still come, nothing replaces it).
    pub only_first: bool,
    /// May remove files.
    pub remove: bool,
}

impl FileRights {
    /// Add and remove freely, or neither.
    pub fn editable(yes: bool) -> Self {
        FileRights {
            add: yes,
            only_first: false,
            remove: yes,
        }
    }

    /// Whether a file may be added to a document that has `count` of them.
    pub fn may_add(self, count: usize) -> bool {
        self.add && (!self.only_first || count == 0)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\quote.pdf"), "quote.pdf");
        assert_eq!(clean_file_name("..."), "file");
        assert_eq!(clean_file_name("a\"b\n.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("कोटेशन.pdf"), "कोटेशन.pdf");
    }
}
