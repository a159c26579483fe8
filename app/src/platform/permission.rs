//! Permissions are `resource:action` strings granted to roles with a data scope. This module holds
//! the one rule that every server function and REST handler uses to decide, and the UI reuses to
//! hide what a role cannot do.
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// How much data a grant reaches, from narrowest to widest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Own,
    Department,
    Plant,
    All,
}

impl std::str::FromStr for Scope {
    type Err = crate::error::FieldError;
    fn from_str(s: &str) -> Result<Scope, Self::Err> {
        match s {
            "own" => Ok(Scope::Own),
            "department" => Ok(Scope::Department),
            "plant" => Ok(Scope::Plant),
            "all" => Ok(Scope::All),
            _ => Err(crate::error::FieldError::Invalid),
        }
    }
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Own, Scope::Department, Scope::Plant, Scope::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Department => "department",
            Scope::Plant => "plant",
            Scope::All => "all",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Grant {
    pub permission: String,
    pub scope: Scope,
}

/// The widest scope at which `grants` allow `permission`, or `Forbidden`.
pub fn authorize(grants: &[Grant], permission: &str) -> Result<Scope, AppError> {
    grants
        .iter()
        .filter(|g| g.permission == permission)
        .map(|g| g.scope)
        .max()
        .ok_or(AppError::Forbidden)
}

/// Merges grants of several roles: one entry per permission with its widest scope.
pub fn merge_grants(grants: impl IntoIterator<Item = Grant>) -> Vec<Grant> {
    let mut merged: Vec<Grant> = Vec::new();
    for g in grants {
        match merged.iter_mut().find(|m| m.permission == g.permission) {
            Some(m) if m.scope < g.scope => m.scope = g.scope,
            Some(_) => {}
            None => merged.push(g),
        }
    }
    merged.sort_by(|a, b| a.permission.cmp(&b.permission));
    merged
}

const ONLY_ALL: &[Scope] = &[Scope::All];
const PLANT_UP: &[Scope] = &[Scope::Plant, Scope::All];
const EVERY_SCOPE: &[Scope] = &[Scope::Own, Scope::Department, Scope::Plant, Scope::All];

/// Every permission the code checks (`Principal::require`, `SessionUser::can`) and the scopes a
/// role may grant it at: what the role editor offers and what a role's grants are checked
/// against. A test fails when the code checks a permission that is missing here.
pub const CATALOGUE: &[(&str, &[Scope])] = &[
    ("tenant:manage", ONLY_ALL),
    ("user:manage", ONLY_ALL),
    ("role:manage", ONLY_ALL),
    ("plant:manage", ONLY_ALL),
    ("audit:view", ONLY_ALL),
    ("approval_rule:manage", ONLY_ALL),
    ("project:manage", ONLY_ALL),
    ("requisition:create", &[Scope::Own]),
    ("requisition:view", EVERY_SCOPE),
    (
        "requisition:approve",
        &[Scope::Department, Scope::Plant, Scope::All],
    ),
    ("po:create", ONLY_ALL),
    ("po:manage", ONLY_ALL),
    ("po:view", ONLY_ALL),
    ("po:approve", ONLY_ALL),
    ("supplier:manage", ONLY_ALL),
    ("inventory:search", ONLY_ALL),
    ("inventory:view", ONLY_ALL),
    ("inventory:manage", PLANT_UP),
    ("inventory:update", PLANT_UP),
    ("goods:receive", PLANT_UP),
    ("goods:accept", &[Scope::Own, Scope::All]),
    ("storage:manage", PLANT_UP),
    (
        "reports:view",
        &[Scope::Department, Scope::Plant, Scope::All],
    ),
    ("reports:financial", ONLY_ALL),
    ("invoice:create", ONLY_ALL),
    ("payment:process", ONLY_ALL),
    ("accounting:manage", ONLY_ALL),
];

/// The scopes a role may grant `permission` at; `None` for a permission the catalogue lacks.
pub fn allowed_scopes(permission: &str) -> Option<&'static [Scope]> {
    CATALOGUE
        .iter()
        .find(|(p, _)| *p == permission)
        .map(|(_, s)| *s)
}

/// The administration permissions: the tenant always keeps an active user holding both.
pub const ADMINISTRATION: [&str; 2] = ["user:manage", "role:manage"];

/// The system roles and their grants, after seed 000 §6.3.2 and the hierarchy of §7.2
/// (an Executive sees everything read-only; Admin administers the tenant).
pub const SYSTEM_ROLES: &[(&str, &[(&str, Scope)])] = &[
    (
        "Admin",
        &[
            ("tenant:manage", Scope::All),
            ("user:manage", Scope::All),
            ("role:manage", Scope::All),
            ("plant:manage", Scope::All),
            ("audit:view", Scope::All),
            ("approval_rule:manage", Scope::All),
            ("project:manage", Scope::All),
            // a new company's first user keeps its master data: items, categories, locations
            ("inventory:view", Scope::All),
            ("inventory:search", Scope::All),
            ("inventory:manage", Scope::All),
            ("storage:manage", Scope::All),
        ],
    ),
    (
        "Engineer",
        &[
            ("requisition:create", Scope::Own),
            ("requisition:view", Scope::Own),
            ("inventory:search", Scope::All),
            ("inventory:view", Scope::All),
            ("goods:accept", Scope::Own),
        ],
    ),
    (
        "Manager",
        &[
            ("requisition:create", Scope::Own),
            ("requisition:view", Scope::Department),
            ("requisition:approve", Scope::Department),
            ("inventory:search", Scope::All),
            ("inventory:view", Scope::All),
            ("reports:view", Scope::Department),
        ],
    ),
    (
        "Procurement",
        &[
            // replenishment: the low-stock alert's requisition is raised by procurement
            ("requisition:create", Scope::Own),
            ("requisition:view", Scope::All),
            ("requisition:approve", Scope::All),
            ("po:create", Scope::All),
            ("po:manage", Scope::All),
            ("supplier:manage", Scope::All),
            ("project:manage", Scope::All),
            ("inventory:search", Scope::All),
            ("inventory:view", Scope::All),
        ],
    ),
    (
        "ProcurementMgr",
        &[
            ("requisition:view", Scope::All),
            ("requisition:approve", Scope::All),
            ("po:view", Scope::All),
            ("po:approve", Scope::All),
            ("supplier:manage", Scope::All),
            ("project:manage", Scope::All),
            ("reports:financial", Scope::All),
            ("inventory:search", Scope::All),
            ("inventory:view", Scope::All),
        ],
    ),
    (
        "Warehouse",
        &[
            ("inventory:search", Scope::All),
            ("inventory:view", Scope::All),
            ("inventory:manage", Scope::Plant),
            ("inventory:update", Scope::Plant),
            ("goods:receive", Scope::Plant),
            ("storage:manage", Scope::Plant),
        ],
    ),
    (
        "Accountant",
        &[
            ("requisition:view", Scope::All),
            ("requisition:approve", Scope::All),
            ("invoice:create", Scope::All),
            ("payment:process", Scope::All),
            ("reports:financial", Scope::All),
            ("accounting:manage", Scope::All),
        ],
    ),
    (
        "Executive",
        &[
            ("requisition:view", Scope::All),
            ("po:view", Scope::All),
            ("inventory:search", Scope::All),
            ("inventory:view", Scope::All),
            ("reports:view", Scope::All),
            ("reports:financial", Scope::All),
            ("audit:view", Scope::All),
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn g(p: &str, s: Scope) -> Grant {
        Grant {
            permission: p.into(),
            scope: s,
        }
    }

    #[test]
    fn authorize_returns_the_widest_scope_granted() {
        let grants = [
            g("requisition:view", Scope::Own),
            g("requisition:view", Scope::Department),
        ];
        assert_eq!(
            authorize(&grants, "requisition:view"),
            Ok(Scope::Department)
        );
    }

    #[test]
    fn authorize_refuses_a_permission_that_no_role_grants() {
        let grants = [g("requisition:view", Scope::All)];
        assert_eq!(authorize(&grants, "po:approve"), Err(AppError::Forbidden));
        assert_eq!(authorize(&[], "requisition:view"), Err(AppError::Forbidden));
    }

    #[test]
    fn merging_keeps_one_grant_per_permission_at_its_widest_scope() {
        let merged = merge_grants([
            g("a:b", Scope::Own),
            g("a:b", Scope::Plant),
            g("a:b", Scope::Department),
            g("c:d", Scope::All),
        ]);
        assert_eq!(merged, vec![g("a:b", Scope::Plant), g("c:d", Scope::All)]);
    }

    #[test]
    fn every_system_role_permission_is_well_formed() {
        for (role, grants) in SYSTEM_ROLES {
            for (perm, _) in *grants {
                let (res, act) = perm.split_once(':').unwrap_or(("", ""));
                assert!(!res.is_empty() && !act.is_empty(), "{role}: {perm}");
                assert!(
                    perm.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':'),
                    "{perm}"
                );
            }
        }
        assert_eq!(SYSTEM_ROLES.len(), 8);
    }

    #[test]
    fn every_system_grant_is_in_the_catalogue_at_an_allowed_scope() {
        for (role, grants) in SYSTEM_ROLES {
            for (perm, scope) in *grants {
                let allowed = allowed_scopes(perm).unwrap_or_else(|| panic!("{role}: {perm}"));
                assert!(allowed.contains(scope), "{role}: {perm} at {scope:?}");
            }
        }
        let mut names: Vec<&str> = CATALOGUE.iter().map(|(p, _)| *p).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len(), "a permission listed twice");
        assert!(CATALOGUE.iter().all(|(_, s)| !s.is_empty()));
    }
}
