//! Approval types shared by the browser and the server.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
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
