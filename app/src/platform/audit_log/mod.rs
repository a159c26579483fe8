//! The audit log, readable: administrators (and executives) filter the trail by user, record,
//! action and dates, see each entry's old and new values side by side, and export it as CSV.
//! The trail itself is written by [`crate::platform::audit`]; the table is partitioned by month,
//! and the partitions are made ahead at start-up and by a daily platform job.
use crate::error::{AppError, FieldError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub mod api;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;

/// The permission that opens the audit log (Admin and Executive hold it).
pub const PERMISSION: &str = "audit:view";

/// How far the total of a list is counted: past it, the list says "more than" this many.
pub const COUNT_CAP: u64 = 10_000;

/// The longest text a text filter takes (record type, record id, action).
pub const MAX_FILTER_LEN: usize = 200;

/// The audit page's filters; every one optional. `from` and `to` are days in the tenant's time
/// zone, both included.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub user_id: Option<Uuid>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    /// The filter as the services read it: text trimmed, empty text as no filter, too long text
    /// and a range that ends before it starts refused (422 naming the field).
    pub fn checked(mut self) -> Result<AuditFilter, AppError> {
        let mut errors = BTreeMap::new();
        for (name, value) in [
            ("entity", &mut self.entity),
            ("entity_id", &mut self.entity_id),
            ("action", &mut self.action),
        ] {
            *value = value
                .take()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if value
                .as_ref()
                .is_some_and(|v| v.chars().count() > MAX_FILTER_LEN)
            {
                errors.insert(name.to_string(), FieldError::TooLong);
            }
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to < from {
                errors.insert("to".to_string(), FieldError::Invalid);
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(AppError::Validation(errors))
        }
    }

    /// The filter as query parameters (`user_id=…&entity=…`), for links to pages and the export.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: String| {
            parts.push(format!("{k}={}", urlencoding_lite(&v)));
        };
        if let Some(u) = self.user_id {
            push("user_id", u.to_string());
        }
        if let Some(v) = &self.entity {
            push("entity", v.clone());
        }
        if let Some(v) = &self.entity_id {
            push("entity_id", v.clone());
        }
        if let Some(v) = &self.action {
            push("action", v.clone());
        }
        if let Some(d) = self.from {
            push("from", d.to_string());
        }
        if let Some(d) = self.to {
            push("to", d.to_string());
        }
        parts.join("&")
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn urlencoding_lite(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Who made an entry (none for what the system did).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
}

/// One entry of the trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// When (RFC 3339, UTC)
    pub at: DateTime<Utc>,
    pub user: Option<AuditUser>,
    /// `create`, `update`, `submit`, `login`, … as the recording slice names it
    pub action: String,
    /// The kind of record: `requisition`, `purchase_order`, `user`, …
    pub entity: String,
    pub entity_id: Option<String>,
    pub old_values: Option<serde_json::Value>,
    pub new_values: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// A page of entries, newest first. `total` is counted up to [`COUNT_CAP`]; `more` says there are
/// more entries than that (the total is then a lower bound).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Each entry's time in the company's time zone, for the page (the same order).
    #[serde(default)]
    pub local_times: Vec<chrono::NaiveDateTime>,
    pub total: u64,
    pub more: bool,
    pub page: u32,
    pub per_page: u32,
}

impl AuditPage {
    /// Pages the total spans (at least one).
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1) as u64).max(1)
    }

    /// Whether a next page may hold entries.
    pub fn has_next(&self) -> bool {
        (self.page as u64) < self.pages()
            || (self.more && self.entries.len() as u32 == self.per_page)
    }
}

/// What the filter form offers: the tenant's users (for the picker).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditOptions {
    pub users: Vec<AuditUser>,
}

/// One key of an entry's values: before, after, and whether it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub changed: bool,
}

/// The keys of an entry's old and new values side by side, in key order (values that are not
/// objects show as one row with an empty key). A value is shown as compact JSON, a string as
/// itself.
pub fn changes(old: Option<&serde_json::Value>, new: Option<&serde_json::Value>) -> Vec<Change> {
    use serde_json::Value;
    fn text(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    let as_map = |v: Option<&Value>| -> Option<BTreeMap<String, Value>> {
        match v {
            None | Some(Value::Null) => Some(BTreeMap::new()),
            Some(Value::Object(m)) => Some(m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            Some(_) => None,
        }
    };
    match (as_map(old), as_map(new)) {
        (Some(o), Some(n)) => {
            let keys: std::collections::BTreeSet<&String> = o.keys().chain(n.keys()).collect();
            keys.into_iter()
                .map(|k| {
                    let (a, b) = (o.get(k), n.get(k));
                    Change {
                        key: k.clone(),
                        old: a.map(text),
                        new: b.map(text),
                        changed: a != b,
                    }
                })
                .collect()
        }
        _ => {
            let (a, b) = (old.filter(|v| !v.is_null()), new.filter(|v| !v.is_null()));
            vec![Change {
                key: String::new(),
                old: a.map(text),
                new: b.map(text),
                changed: a != b,
            }]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_put_keys_side_by_side_and_mark_only_the_changed_ones() {
        let old = json!({"name": "Bolt", "qty": 5, "gone": true});
        let new = json!({"name": "Bolt", "qty": 7, "added": "x"});
        let c = changes(Some(&old), Some(&new));
        let keys: Vec<&str> = c.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["added", "gone", "name", "qty"]);
        assert_eq!(
            c[0],
            Change {
                key: "added".into(),
                old: None,
                new: Some("x".into()),
                changed: true
            }
        );
        assert!(c[1].changed && c[1].new.is_none());
        assert!(!c[2].changed);
        assert_eq!(
            (c[3].old.as_deref(), c[3].new.as_deref()),
            (Some("5"), Some("7"))
        );
    }

    #[test]
    fn a_created_record_has_every_key_new_and_non_objects_show_as_one_row() {
        let c = changes(None, Some(&json!({"a": [1, 2]})));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].new.as_deref(), Some("[1,2]"));
        assert!(c[0].changed);
        let c = changes(Some(&json!("x")), Some(&json!("y")));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].key, "");
        assert!(changes(None, None).is_empty());
    }

    #[test]
    fn filters_are_trimmed_bounded_and_ordered() {
        let f = AuditFilter {
            entity: Some("  ".into()),
            action: Some(" update ".into()),
            ..Default::default()
        }
        .checked()
        .expect("valid");
        assert_eq!(f.entity, None);
        assert_eq!(f.action.as_deref(), Some("update"));
        let long = AuditFilter {
            entity_id: Some("x".repeat(MAX_FILTER_LEN + 1)),
            from: NaiveDate::from_ymd_opt(2026, 5, 2),
            to: NaiveDate::from_ymd_opt(2026, 5, 1),
            ..Default::default()
        }
        .checked()
        .expect_err("invalid");
        assert_eq!(long.field_error("entity_id"), Some(FieldError::TooLong));
        assert_eq!(long.field_error("to"), Some(FieldError::Invalid));
    }

    #[test]
    fn the_query_string_encodes_values() {
        let f = AuditFilter {
            entity: Some("purchase order".into()),
            from: NaiveDate::from_ymd_opt(2026, 1, 31),
            ..Default::default()
        };
        assert_eq!(f.query_string(), "entity=purchase%20order&from=2026-01-31");
    }
}
