//! What the procurement dashboard shows, by card; each is present only for those whose
//! permissions allow it (the rules are in `service::dashboard`).
use super::Status;
use crate::approvals::model::PendingApproval;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchasingSummary {
    pub lines_waiting: i64,
    pub po_value_this_month: Decimal,
    pub po_count_this_month: i64,
    pub awaiting_delivery: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The server's clock when the dashboard was read (ages are measured against it; the browser
    /// has no clock in `std` on wasm).
    pub now: chrono::DateTime<chrono::Utc>,
    pub currency: String,
    /// Only for those who raise requisitions.
    pub my_requisitions: Option<Vec<(Status, i64)>>,
    /// Only for approvers: the oldest first.
    pub pending: Option<Vec<PendingApproval>>,
    pub purchasing: Option<PurchasingSummary>,
    /// Hours from submission to final approval, requisitions approved in the last 30 days.
    pub average_approval_hours: Option<Decimal>,
    pub approved_last_30_days: i64,
}
