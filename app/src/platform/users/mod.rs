//! The tenant's users and roles as its administrators keep them: the user list, creating a user
//! with a password or by invitation, editing, deactivating (never deleting: history stays
//! attributable), unlocking, password-reset links, CSV import; the catalogue of permissions and
//! the roles that grant them. The tenant can never lock itself out: the last active holder of the
//! administration permissions keeps them, and nobody deactivates themselves.
//!
//! Types shared by the browser and the server; the rules in `service`, the SQL in
//! `platform::repo::admin`.
pub mod api;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::FieldError;
use crate::platform::permission::{Grant, Scope};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long an invitation's link stays valid, and a password-reset link.
pub const INVITE_HOURS: i64 = 72;
pub const RESET_HOURS: i64 = 1;
/// The most rows one CSV import takes.
pub const MAX_IMPORT_ROWS: usize = 1000;

/// A record named by id and name (a user's manager, department or plant).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

/// A user as the administrators' list and form show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub language: String,
    pub active: bool,
    /// Locked after failed sign-ins until then (null: not locked).
    pub locked_until: Option<DateTime<Utc>>,
    /// Whether the lock is in force now.
    pub locked: bool,
    /// Two-factor sign-in is on.
    pub totp_enabled: bool,
    /// Invited and no password chosen yet.
    pub invited: bool,
    /// Role names (system roles by their system name).
    pub roles: Vec<String>,
    pub manager: Option<Named>,
    pub department: Option<Named>,
    pub plant: Option<Named>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// A new user. Without `password` the user is invited: an e-mail with a single-use link to
/// choose one, valid 72 hours.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewUser {
    /// 2 to 64 of `a-z 0-9 . _ -` (upper case is lowered); unique in the company (409)
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// `en`, `hi`, `bn`, `te`, `ar`; the company's default language when left out
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    #[serde(default)]
    pub department_id: Option<Uuid>,
    #[serde(default)]
    pub plant_id: Option<Uuid>,
    /// Role names, e.g. `["Engineer"]`
    #[serde(default)]
    pub roles: Vec<String>,
    /// At least 12 characters, not the user name; left out: the user is invited by e-mail
    #[serde(default)]
    pub password: Option<String>,
}

/// A user's editable facts (the user name stays; the password is the user's own).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserUpdate {
    pub display_name: String,
    pub email: String,
    /// `en`, `hi`, `bn`, `te`, `ar`; left out: unchanged
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    #[serde(default)]
    pub department_id: Option<Uuid>,
    #[serde(default)]
    pub plant_id: Option<Uuid>,
    /// Role names: the user's roles after the change
    #[serde(default)]
    pub roles: Vec<String>,
}

/// The user list's filters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserFilter {
    /// Words of the name, user name or e-mail
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    /// A role's name
    #[serde(default)]
    pub role: Option<String>,
}

/// What the user form chooses from: departments, plants, possible managers, roles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserChoices {
    pub departments: Vec<Named>,
    pub plants: Vec<Named>,
    pub managers: Vec<Named>,
    pub roles: Vec<String>,
}

/// One permission of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PermissionInfo {
    /// `resource:action`
    pub permission: String,
    /// What it allows, in the caller's language
    pub description: String,
    /// The scopes a role may grant it at, narrowest first
    pub scopes: Vec<Scope>,
}

/// A role with its grants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoleView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// A system role: copied, never changed or deleted
    pub system: bool,
    /// Users holding it (active or not)
    pub users: i64,
    pub grants: Vec<Grant>,
}

/// A role as created or changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoleInput {
    /// 1 to 60 characters, unique in the company (409)
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Each permission of the catalogue at most once, at a scope it allows
    #[serde(default)]
    pub grants: Vec<Grant>,
    /// On creation: a role (a system role, say) whose grants the new role starts from when
    /// `grants` is empty
    #[serde(default)]
    pub copy_of: Option<Uuid>,
}

/// A CSV import's outcome: every row imported, each user invited by e-mail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportOutcome {
    pub imported: u64,
}

/// The columns of a user import, in any order: `username`, `display_name`, `email` required;
/// `language`, `roles` (role names separated by `;`), `department` and `plant` (codes), `manager`
/// (a user name, of the company or of an earlier row).
pub const IMPORT_COLUMNS: [&str; 8] = [
    "username",
    "display_name",
    "email",
    "language",
    "roles",
    "department",
    "plant",
    "manager",
];

/// The error key of a field of an import's line: `line[3].email` (line 1 is the header).
pub fn line_key(line: u64, column: &str) -> String {
    format!("line[{line}].{column}")
}

/// What a permission allows, in a language (the catalogue's descriptions; a permission the
/// catalogue lacks is shown as its name).
pub fn describe(locale: crate::i18n::Locale, permission: &str) -> String {
    use leptos_i18n::td_string;
    let l = locale;
    match permission {
        "tenant:manage" => td_string!(l, users.perm.tenant_manage),
        "user:manage" => td_string!(l, users.perm.user_manage),
        "role:manage" => td_string!(l, users.perm.role_manage),
        "plant:manage" => td_string!(l, users.perm.plant_manage),
        "audit:view" => td_string!(l, users.perm.audit_view),
        "approval_rule:manage" => td_string!(l, users.perm.approval_rule_manage),
        "project:manage" => td_string!(l, users.perm.project_manage),
        "requisition:create" => td_string!(l, users.perm.requisition_create),
        "requisition:view" => td_string!(l, users.perm.requisition_view),
        "requisition:approve" => td_string!(l, users.perm.requisition_approve),
        "po:create" => td_string!(l, users.perm.po_create),
        "po:manage" => td_string!(l, users.perm.po_manage),
        "po:view" => td_string!(l, users.perm.po_view),
        "po:approve" => td_string!(l, users.perm.po_approve),
        "supplier:manage" => td_string!(l, users.perm.supplier_manage),
        "inventory:search" => td_string!(l, users.perm.inventory_search),
        "inventory:view" => td_string!(l, users.perm.inventory_view),
        "inventory:manage" => td_string!(l, users.perm.inventory_manage),
        "inventory:update" => td_string!(l, users.perm.inventory_update),
        "goods:receive" => td_string!(l, users.perm.goods_receive),
        "goods:accept" => td_string!(l, users.perm.goods_accept),
        "storage:manage" => td_string!(l, users.perm.storage_manage),
        "reports:view" => td_string!(l, users.perm.reports_view),
        "reports:financial" => td_string!(l, users.perm.reports_financial),
        "invoice:create" => td_string!(l, users.perm.invoice_create),
        "payment:process" => td_string!(l, users.perm.payment_process),
        "accounting:manage" => td_string!(l, users.perm.accounting_manage),
        other => return other.to_string(),
    }
    .to_string()
}

/// A scope's name in a language.
pub fn scope_label(locale: crate::i18n::Locale, scope: Scope) -> String {
    use leptos_i18n::td_string;
    match scope {
        Scope::Own => td_string!(locale, users.scope_own),
        Scope::Department => td_string!(locale, users.scope_department),
        Scope::Plant => td_string!(locale, users.scope_plant),
        Scope::All => td_string!(locale, users.scope_all),
    }
    .to_string()
}

/// One `@` between a local part and a domain with a dot; no spaces; at most 254 characters.
pub fn email_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A user name as stored (lower case), or why not.
pub fn username_of(raw: &str) -> Result<String, FieldError> {
    let u = raw.trim().to_ascii_lowercase();
    if u.is_empty() {
        return Err(FieldError::Required);
    }
    if u.len() < 2 {
        return Err(FieldError::TooShort);
    }
    if u.len() > 64 {
        return Err(FieldError::TooLong);
    }
    if !u
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        return Err(FieldError::Invalid);
    }
    Ok(u)
}
