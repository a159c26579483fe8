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

/// An error as stored: a code translated when read.
#[cfg(feature = "ssr")]
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

#[cfg(feature = "ssr")]
impl Issue {
    pub(crate) fn new(
        line: u64,
        column: Option<&str>,
        code: &str,
        detail: Option<String>,
    ) -> Issue {
        Issue {
            line,
            column: column.map(str::to_string),
            code: code.to_string(),
            detail,
        }
    }

    pub(crate) fn field(line: u64, column: &str, e: crate::error::FieldError) -> Issue {
        Issue::new(line, Some(column), &e.code(), None)
    }

    /// The message in `locale`.
    pub fn message(&self, locale: crate::i18n::Locale) -> String {
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
            "column_count" => td_string!(locale, imp.e_column_count, count = detail).to_string(),
            "duplicate_in_file" => {
                td_string!(locale, imp.e_duplicate_in_file, line = detail).to_string()
            }
            "exists" => td_string!(locale, imp.e_exists, sku = detail).to_string(),
            "unknown_category" => {
                td_string!(locale, imp.e_unknown_category, code = detail).to_string()
            }
            "unknown_unit" => td_string!(locale, units.e_unknown_unit, code = detail).to_string(),
            "not_boolean" => td_string!(locale, imp.e_not_boolean).to_string(),
            "not_number" => td_string!(locale, imp.e_not_number).to_string(),
            "bad_specs" => td_string!(locale, imp.e_bad_specs).to_string(),
            "failed" => td_string!(locale, imp.e_failed).to_string(),
            code => crate::error::FieldError::from_code(code)
                .map(|e| e.message(locale))
                .unwrap_or_else(|| td_string!(locale, errors.field.invalid).to_string()),
        }
    }
}
