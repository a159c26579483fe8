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
