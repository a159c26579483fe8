//! Approval types shared by the browser and the server, and the validation both run: the
//! engine's history, route and inbox, the rules an administrator edits (with the route preview of
//! a sample document) and delegations.
use crate::approvals::expr::{self, Facts, Value};
use crate::error::FieldError;
use crate::platform::permission::SYSTEM_ROLES;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Approve,
    Reject,
    SendBack,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::SendBack => "send_back",
        }
    }

    /// Rejecting and sending back must say why.
    pub fn needs_comment(self) -> bool {
        !matches!(self, Action::Approve)
    }
}

/// One entry of a document's approval history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub stage: Option<i32>,
    pub approver: String,
    pub on_behalf_of: Option<String>,
    /// submit, approve, reject, send_back, cancel, escalate
    pub action: String,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// One stage of the route fixed at submission, for the timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteStep {
    pub round: i32,
    pub stage: i32,
    pub name: String,
    /// waiting, pending, approved, rejected, returned, cancelled
    pub status: String,
    pub approvers: Vec<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub escalated: bool,
}

/// An item of a user's approval inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingApproval {
    pub doc_type: String,
    /// The document's page (its kind's, from the registry).
    pub href: String,
    pub doc_id: Uuid,
    pub number: String,
    pub requester: String,
    pub stage: i32,
    pub stage_name: String,
    pub total: rust_decimal::Decimal,
    pub currency: String,
    pub waiting_since: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    /// Past its SLA, decided on the server (the browser has no trustworthy clock).
    pub overdue: bool,
    /// Set when the caller acts as someone's delegate.
    pub on_behalf_of: Option<String>,
}

/// A kind of document the engine routes, as the rules page offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocKindInfo {
    pub doc_type: String,
    /// In the reader's language.
    pub label: String,
}

// Approval rules as an administrator edits them: the route preview is pure code, so the page
// previews while typing and the server would fix the same route.

pub const APPROVER_KINDS: [&str; 3] = ["manager", "role", "user"];
pub const ROLE_LIMITS: [&str; 3] = ["none", "plant", "department"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rule {
    pub id: Option<Uuid>,
    pub doc_type: String,
    pub stage: i32,
    pub name: String,
    pub approver_kind: String,
    pub approver_role: Option<String>,
    pub approver_user_id: Option<Uuid>,
    pub role_limit: String,
    pub require_all: bool,
    pub condition: String,
    pub sla_hours: i32,
    pub escalate_to_role: Option<String>,
    pub escalate_after_hours: Option<i32>,
    pub active: bool,
}

impl Rule {
    pub fn new(doc_type: &str, stage: i32) -> Rule {
        Rule {
            id: None,
            doc_type: doc_type.into(),
            stage,
            name: String::new(),
            approver_kind: "role".into(),
            approver_role: Some("Manager".into()),
            approver_user_id: None,
            role_limit: "none".into(),
            require_all: false,
            condition: String::new(),
            sla_hours: 24,
            escalate_to_role: Some("ProcurementMgr".into()),
            escalate_after_hours: Some(72),
            active: true,
        }
    }
}

fn is_role(r: &str) -> bool {
    SYSTEM_ROLES.iter().any(|(name, _)| *name == r)
}

pub fn validate_rule(rule: &Rule) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if rule.doc_type.trim().is_empty() {
        e.insert("doc_type".into(), FieldError::Required);
    }
    if !(1..=20).contains(&rule.stage) {
        e.insert("stage".into(), FieldError::Invalid);
    }
    let name = rule.name.trim();
    if name.is_empty() {
        e.insert("name".into(), FieldError::Required);
    } else if name.chars().count() > 100 {
        e.insert("name".into(), FieldError::TooLong);
    }
    match rule.approver_kind.as_str() {
        "manager" => {}
        "role" => match rule.approver_role.as_deref() {
            None | Some("") => {
                e.insert("approver_role".into(), FieldError::Required);
            }
            Some(r) if !is_role(r) => {
                e.insert("approver_role".into(), FieldError::UnknownReference);
            }
            _ => {}
        },
        "user" => {
            if rule.approver_user_id.is_none() {
                e.insert("approver_user_id".into(), FieldError::Required);
            }
        }
        _ => {
            e.insert("approver_kind".into(), FieldError::Invalid);
        }
    }
    if !ROLE_LIMITS.contains(&rule.role_limit.as_str()) {
        e.insert("role_limit".into(), FieldError::Invalid);
    }
    if !(1..=2160).contains(&rule.sla_hours) {
        e.insert("sla_hours".into(), FieldError::Invalid);
    }
    if let Some(r) = rule.escalate_to_role.as_deref().filter(|r| !r.is_empty()) {
        if !is_role(r) {
            e.insert("escalate_to_role".into(), FieldError::UnknownReference);
        }
        if !rule
            .escalate_after_hours
            .is_some_and(|h| (1..=2160).contains(&h))
        {
            e.insert("escalate_after_hours".into(), FieldError::Invalid);
        }
    }
    if rule.condition.parse::<expr::Expr>().is_err() {
        e.insert("condition".into(), FieldError::InvalidCondition);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// A sample document for the preview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub amount: Decimal,
    pub plant: String,
    pub department: String,
    pub purpose: String,
    pub category: String,
}

impl Sample {
    pub fn facts(&self) -> Facts {
        let mut f = Facts::new();
        f.insert("amount".into(), Value::Number(self.amount));
        for (k, v) in [
            ("plant", &self.plant),
            ("department", &self.department),
            ("purpose", &self.purpose),
            ("category", &self.category),
        ] {
            if !v.trim().is_empty() {
                f.insert(k.into(), Value::Text(v.trim().to_string()));
            }
        }
        f
    }
}

/// Whether each active rule's stage would apply to the sample: `Err` with the parse error's
/// character position for an unreadable condition.
pub fn preview(rules: &[Rule], sample: &Sample) -> Vec<(i32, String, Result<bool, usize>)> {
    let facts = sample.facts();
    let mut rows: Vec<&Rule> = rules.iter().filter(|r| r.active).collect();
    rows.sort_by_key(|r| r.stage);
    rows.into_iter()
        .map(|r| {
            let applies = r
                .condition
                .parse::<expr::Expr>()
                .map(|e| expr::eval(&e, &facts))
                .map_err(|e| e.at);
            (r.stage, r.name.clone(), applies)
        })
        .collect()
}

// Delegation: an approver hands their approvals to someone else for a date range.

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Delegation {
    pub id: Uuid,
    pub from_user_id: Uuid,
    pub from_user: String,
    pub to_user_id: Uuid,
    pub to_user: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DelegationInput {
    /// Whose approvals are handed over; the caller's own when absent (an admin may set another).
    #[serde(default)]
    pub from_user_id: Option<Uuid>,
    pub to_user_id: Option<Uuid>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// `today` is the server's date: a delegation may not end in the past.
pub fn validate_delegation(
    input: &DelegationInput,
    caller: Uuid,
    today: NaiveDate,
) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let from = input.from_user_id.unwrap_or(caller);
    match input.to_user_id {
        None => {
            e.insert("to_user_id".into(), FieldError::Required);
        }
        Some(to) if to == from => {
            e.insert("to_user_id".into(), FieldError::OwnDocument);
        }
        Some(_) => {}
    }
    match (input.starts_on, input.ends_on) {
        (None, _) => {
            e.insert("starts_on".into(), FieldError::Required);
        }
        (_, None) => {
            e.insert("ends_on".into(), FieldError::Required);
        }
        (Some(s), Some(t)) => {
            if t < s {
                e.insert("ends_on".into(), FieldError::Invalid);
            } else if t < today {
                e.insert("ends_on".into(), FieldError::InPast);
            } else if (t - s).num_days() > 366 {
                e.insert("ends_on".into(), FieldError::TooLong);
            }
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_each_problem() {
        let mut r = Rule::new("requisition", 0);
        r.approver_role = Some("Wizard".into());
        r.condition = "amount >> 5".into();
        r.sla_hours = 0;
        let e = validate_rule(&r).unwrap_err();
        assert_eq!(e["stage"], FieldError::Invalid);
        assert_eq!(e["name"], FieldError::Required);
        assert_eq!(e["approver_role"], FieldError::UnknownReference);
        assert_eq!(e["condition"], FieldError::InvalidCondition);
        assert_eq!(e["sla_hours"], FieldError::Invalid);
        let mut ok = Rule::new("purchase_order", 1);
        ok.name = "Procurement manager".into();
        ok.condition = "amount > 100000".into();
        assert_eq!(validate_rule(&ok), Ok(()));
    }

    #[test]
    fn preview_shows_which_stages_a_sample_takes() {
        let mut a = Rule::new("requisition", 1);
        a.name = "Manager".into();
        let mut b = Rule::new("requisition", 2);
        b.name = "Accounts".into();
        b.condition = "amount > 50000".into();
        let mut c = Rule::new("requisition", 3);
        c.name = "Broken".into();
        c.condition = "plant in [".into();
        let small = Sample {
            amount: Decimal::from(100),
            ..Default::default()
        };
        let big = Sample {
            amount: Decimal::from(60000),
            ..Default::default()
        };
        let rules = [a, b, c];
        let p = preview(&rules, &small);
        assert_eq!(p[0].2, Ok(true));
        assert_eq!(p[1].2, Ok(false));
        assert!(p[2].2.is_err());
        assert_eq!(preview(&rules, &big)[1].2, Ok(true));
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn delegations_need_another_person_and_a_future_range() {
        let me = Uuid::new_v4();
        let other = Uuid::new_v4();
        let today = d("2026-11-21");
        let good = DelegationInput {
            from_user_id: None,
            to_user_id: Some(other),
            starts_on: Some(d("2026-11-20")),
            ends_on: Some(d("2026-11-30")),
        };
        assert!(validate_delegation(&good, me, today).is_ok());
        let to_self = DelegationInput {
            to_user_id: Some(me),
            ..good.clone()
        };
        assert_eq!(
            validate_delegation(&to_self, me, today)
                .unwrap_err()
                .get("to_user_id"),
            Some(&FieldError::OwnDocument)
        );
        let backwards = DelegationInput {
            ends_on: Some(d("2026-11-19")),
            ..good.clone()
        };
        assert_eq!(
            validate_delegation(&backwards, me, today)
                .unwrap_err()
                .get("ends_on"),
            Some(&FieldError::Invalid)
        );
        let past = DelegationInput {
            starts_on: Some(d("2026-11-01")),
            ends_on: Some(d("2026-11-10")),
            ..good
        };
        assert_eq!(
            validate_delegation(&past, me, today)
                .unwrap_err()
                .get("ends_on"),
            Some(&FieldError::InPast)
        );
    }
}
