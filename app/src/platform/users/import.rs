//! Reading a user import: the CSV checked whole against what the company has, every error kept
//! by line and column (`line[3].email`), so the service writes every row or none.
use super::{email_ok, username_of};
use super::{line_key, IMPORT_COLUMNS, MAX_IMPORT_ROWS};
use crate::error::FieldError;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// What the company has, for the rows' references.
pub struct Known<'a> {
    pub roles: &'a [String],
    /// code → id
    pub departments: &'a [(String, Uuid)],
    pub plants: &'a [(String, Uuid)],
    /// user name → id
    pub users: &'a [(String, Uuid)],
}

/// A row that passed every check.
#[derive(Debug, PartialEq)]
pub struct Row {
    pub line: u64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub language: Option<&'static str>,
    pub roles: Vec<String>,
    pub department_id: Option<Uuid>,
    pub plant_id: Option<Uuid>,
    /// A user name: of the company, or of an earlier row
    pub manager: Option<String>,
}

pub type Errors = BTreeMap<String, FieldError>;

/// The rows of `text`, or every error found.
pub fn parse(text: &str, known: &Known<'_>) -> Result<Vec<Row>, Errors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Errors::new();
    if text.trim().is_empty() {
        errors.insert("file".into(), FieldError::Required);
        return Err(errors);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
        Err(_) => {
            errors.insert(line_key(1, "header"), FieldError::Invalid);
            return Err(errors);
        }
    };
    let mut seen = BTreeSet::new();
    for h in &headers {
        if !IMPORT_COLUMNS.contains(&h.as_str()) {
            errors.insert(line_key(1, h), FieldError::Invalid);
        } else if !seen.insert(h.clone()) {
            errors.insert(line_key(1, h), FieldError::Duplicate);
        }
    }
    for required in ["username", "display_name", "email"] {
        if !headers.iter().any(|h| h == required) {
            errors.insert(line_key(1, required), FieldError::Required);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut in_file: BTreeSet<String> = BTreeSet::new();
    for (n, record) in reader.records().enumerate() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map(|p| p.line())
            .unwrap_or(n as u64 + 2);
        if n >= MAX_IMPORT_ROWS {
            errors.insert(line_key(line, "username"), FieldError::TooLong);
            break;
        }
        let Ok(record) = record else {
            errors.insert(line_key(line, "username"), FieldError::Invalid);
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            errors.insert(line_key(line, "columns"), FieldError::Invalid);
            continue;
        }
        let get = |name: &str| col(name).and_then(|i| record.get(i)).unwrap_or("");
        let mut err = |column: &str, e: FieldError| {
            errors.insert(line_key(line, column), e);
        };
        let username = match username_of(get("username")) {
            Ok(u) if known.users.iter().any(|k| k.0 == u) || in_file.contains(&u) => {
                err("username", FieldError::Duplicate);
                None
            }
            Ok(u) => Some(u),
            Err(e) => {
                err("username", e);
                None
            }
        };
        let display_name = get("display_name").to_string();
        if display_name.is_empty() {
            err("display_name", FieldError::Required);
        } else if display_name.chars().count() > 200 {
            err("display_name", FieldError::TooLong);
        }
        let email = get("email").to_string();
        if email.is_empty() {
            err("email", FieldError::Required);
        } else if !email_ok(&email) {
            err("email", FieldError::Invalid);
        }
        let language = match get("language") {
            "" => None,
            l => match crate::platform::service::validate_language(l) {
                Ok(l) => Some(l),
                Err(_) => {
                    err("language", FieldError::UnknownLanguage);
                    None
                }
            },
        };
        let mut roles = Vec::new();
        for name in get("roles")
            .split(';')
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            if known.roles.iter().any(|r| r == name) {
                if !roles.iter().any(|r: &String| r == name) {
                    roles.push(name.to_string());
                }
            } else {
                err("roles", FieldError::UnknownReference);
            }
        }
        let by_code = |list: &[(String, Uuid)], code: &str| {
            list.iter()
                .find(|(c, _)| c.eq_ignore_ascii_case(code))
                .map(|(_, id)| *id)
        };
        let department_id = match get("department") {
            "" => None,
            code => {
                let found = by_code(known.departments, code);
                if found.is_none() {
                    err("department", FieldError::UnknownReference);
                }
                found
            }
        };
        let plant_id = match get("plant") {
            "" => None,
            code => {
                let found = by_code(known.plants, code);
                if found.is_none() {
                    err("plant", FieldError::UnknownReference);
                }
                found
            }
        };
        let manager = match get("manager").to_ascii_lowercase() {
            m if m.is_empty() => None,
            m if known.users.iter().any(|k| k.0 == m) || in_file.contains(&m) => Some(m),
            _ => {
                err("manager", FieldError::UnknownReference);
                None
            }
        };
        if let Some(u) = username {
            in_file.insert(u.clone());
            rows.push(Row {
                line,
                username: u,
                display_name,
                email,
                language,
                roles,
                department_id,
                plant_id,
                manager,
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.insert("file".into(), FieldError::NoLines);
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Codes = Vec<(String, Uuid)>;

    fn known() -> (Vec<String>, Codes, Codes) {
        (
            vec!["Engineer".into(), "Manager".into()],
            vec![("ENG".into(), Uuid::nil())],
            vec![("admin".into(), Uuid::nil())],
        )
    }

    #[test]
    fn good_rows_are_read_with_their_references() {
        let (roles, deps, users) = known();
        let k = Known {
            roles: &roles,
            departments: &deps,
            plants: &[],
            users: &users,
        };
        let rows = parse(
            "\u{feff}username,display_name,email,roles,department,manager\n\
             Asha,Asha K,asha@example.in,Engineer;Manager,eng,admin\n\
             ravi,Ravi,ravi@example.in,,,asha\n",
            &k,
        )
        .expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].username, "asha");
        assert_eq!(rows[0].roles, vec!["Engineer", "Manager"]);
        assert_eq!(rows[0].department_id, Some(Uuid::nil()));
        assert_eq!(rows[1].manager.as_deref(), Some("asha"));
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn every_bad_line_is_named_with_its_column() {
        let (roles, deps, users) = known();
        let k = Known {
            roles: &roles,
            departments: &deps,
            plants: &[],
            users: &users,
        };
        let errors = parse(
            "username,display_name,email,language,roles,plant,manager\n\
             admin,Admin again,a@example.in,,,,\n\
             bo b,,not-an-address,xx,Pilot,ZZZ,nobody\n\
             ok,Fine,ok@example.in,hi,Engineer,,\n\
             ok,Twice,ok2@example.in,,,,\n",
            &k,
        )
        .expect_err("refused");
        let expected = [
            ("line[2].username", FieldError::Duplicate),
            ("line[3].username", FieldError::Invalid),
            ("line[3].display_name", FieldError::Required),
            ("line[3].email", FieldError::Invalid),
            ("line[3].language", FieldError::UnknownLanguage),
            ("line[3].roles", FieldError::UnknownReference),
            ("line[3].plant", FieldError::UnknownReference),
            ("line[3].manager", FieldError::UnknownReference),
            ("line[5].username", FieldError::Duplicate),
        ];
        for (key, e) in expected {
            assert_eq!(errors.get(key), Some(&e), "{key}: {errors:?}");
        }
        assert_eq!(errors.len(), expected.len(), "{errors:?}");
    }

    #[test]
    fn the_header_is_checked_first() {
        let k = Known {
            roles: &[],
            departments: &[],
            plants: &[],
            users: &[],
        };
        let errors = parse("username,email,colour,email\n", &k).expect_err("refused");
        assert_eq!(errors.get("line[1].colour"), Some(&FieldError::Invalid));
        assert_eq!(errors.get("line[1].email"), Some(&FieldError::Duplicate));
        assert_eq!(
            errors.get("line[1].display_name"),
            Some(&FieldError::Required)
        );
        assert_eq!(
            parse("", &k).expect_err("empty").get("file"),
            Some(&FieldError::Required)
        );
        assert_eq!(
            parse("username,display_name,email\n", &k)
                .expect_err("no rows")
                .get("file"),
            Some(&FieldError::NoLines)
        );
    }
}
