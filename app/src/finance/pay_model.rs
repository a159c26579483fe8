//! What the payment screens add to finance's shapes, as the browser and the server share them: a
//! payment run in the list, a change of a proposed run's line, and the accountant's home.
use crate::finance::model::GrniRow;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A payment run in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunListItem {
    pub id: Uuid,
    /// RUN-2026-000001
    pub number: String,
    pub due_by: NaiveDate,
    pub payment_date: NaiveDate,
    /// proposed or approved
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// How many invoices it pays, of how many suppliers
    pub invoices: i64,
    pub suppliers: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    pub currency: String,
}

/// A supplier with invoices still to pay (posted or partly paid): the payment forms' choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierOpen {
    pub supplier_id: Uuid,
    pub supplier: String,
    pub invoices: i64,
    pub due: Decimal,
    pub currency: String,
}

/// What a proposed run pays of one invoice: part of what is still due, or 0 to drop it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunLineInput {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
}

/// How many documents, for how much.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figure {
    pub count: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
}

/// The payables' figures of the accountant's home.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Payables {
    /// Invoices entered, not yet submitted (their totals)
    pub drafts: Figure,
    /// Invoices waiting for approval (their totals)
    pub pending_approval: Figure,
    /// Exceptions of the three-way match not yet posted (draft or waiting for approval)
    pub exceptions: Figure,
    /// Still owed on invoices due from today to `week_end` (held ones too)
    pub due_this_week: Figure,
    /// Still owed on invoices past their due date (held ones too): the AP ageing's overdue buckets
    pub overdue: Figure,
    /// Payments dated from `month_from` to today
    pub paid_this_month: Figure,
}

/// The accountant's home in one answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FinanceSummary {
    /// Today in the company's time zone
    pub today: NaiveDate,
    /// Six days after today: "due this week" ends here
    pub week_end: NaiveDate,
    /// The first day of this month
    pub month_from: NaiveDate,
    pub currency: String,
    /// Only for those who enter or pay supplier invoices (absent for readers of reports)
    pub payables: Option<Payables>,
    /// Goods received not invoiced: the GRNI report's total (the account's balance)
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub grni_total: Decimal,
    /// The GRNI report's oldest lines (at most five), oldest first
    pub grni_oldest: Vec<GrniRow>,
}
