//! Procurement master data besides suppliers: projects (for project requisitions), with the
//! validation both the forms and the server use.
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub plant_id: Option<Uuid>,
    pub plant: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub plant_id: Option<Uuid>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// A code as suppliers and projects use them: capitals, digits, `-` and `_`, at most 32.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !code.starts_with(['-', '_'])
}

pub fn validate_project(input: &ProjectInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let code = input.code.trim();
    if code.is_empty() {
        e.insert("code".into(), FieldError::Required);
    } else if !valid_code(code) {
        e.insert("code".into(), FieldError::Invalid);
    }
    let name = input.name.trim();
    if name.is_empty() {
        e.insert("name".into(), FieldError::Required);
    } else if name.chars().count() > 200 {
        e.insert("name".into(), FieldError::TooLong);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

pub use crate::platform::model::Choice;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_codes_and_names() {
        let ok = ProjectInput {
            code: "EXP-2026".into(),
            name: "Line 4 expansion".into(),
            ..Default::default()
        };
        assert!(validate_project(&ok).is_ok());
        let bad = ProjectInput {
            code: "exp 1".into(),
            name: " ".into(),
            ..Default::default()
        };
        let e = validate_project(&bad).unwrap_err();
        assert_eq!(e.get("code"), Some(&FieldError::Invalid));
        assert_eq!(e.get("name"), Some(&FieldError::Required));
        assert!(!valid_code("-A"));
    }
}
