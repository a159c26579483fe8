//! What the supplier-invoice screens show beyond the invoice itself, as the browser and the
//! server share it: what is left to bill of a supplier's orders (also
//! `GET /api/v1/supplier-invoices/billable`), the entry form's facts and the invoice page.
use crate::approvals::model::{HistoryEntry, RouteStep};
use crate::finance::invoice::SupplierInvoice;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What of a supplier's orders is left to bill: the orders with something received and not
/// invoiced, and the lines of the order asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Billable {
    pub supplier_id: Uuid,
    /// The company's currency, which prices are in.
    pub currency: String,
    /// Orders (approved to closed) with at least one line received and not fully invoiced,
    /// newest first.
    pub orders: Vec<BillableOrder>,
    /// With `purchase_order_id`: that order's lines with something left to bill (received and
    /// not invoiced, or ordered and neither received nor invoiced yet, billed ahead of the
    /// goods), in line order; empty otherwise.
    pub lines: Vec<BillableLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BillableOrder {
    pub id: Uuid,
    pub number: String,
    /// approved, sent, partially_received, received or closed
    pub status: String,
    pub plant_code: Option<String>,
    /// How many of its lines have something received and not invoiced.
    pub open_lines: u32,
    /// Received and not invoiced, at the order's prices (before tax).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub open_amount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BillableLine {
    pub purchase_order_line_id: Uuid,
    pub purchase_order_id: Uuid,
    pub purchase_order: String,
    pub line_no: i32,
    pub item_id: Option<Uuid>,
    pub description: String,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub ordered: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub received: Decimal,
    /// Billed so far by invoices that are not cancelled (drafts included).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub invoiced: Decimal,
    /// Received less invoiced (never below zero): what the entry form proposes to bill.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub open: Decimal,
    /// The order's price per unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub unit_price: Decimal,
    /// The item's GST rate (percent), India only.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub tax_rate: Option<Decimal>,
    /// The item's HSN/SAC code, India only.
    pub hsn_sac: Option<String>,
}

/// A supplier the entry form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierOption {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub gstin: Option<String>,
}

/// What the entry form needs before anything is chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceFormFacts {
    pub currency: String,
    /// A company in India: GST by head and a place of supply.
    pub india: bool,
    /// The company's today: the invoice date's default.
    pub today: NaiveDate,
    pub suppliers: Vec<SupplierOption>,
}

/// A payment's share of one invoice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoicePayment {
    pub id: Uuid,
    pub number: String,
    pub date: NaiveDate,
    pub amount: Decimal,
}

/// An invoice as its page shows it: with the supplier's GSTIN, its approval and payments, and
/// what the reader may do with it now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub invoice: SupplierInvoice,
    pub supplier_gstin: Option<String>,
    /// The reader enters invoices (`invoice:create`): submit, hold, release, cancel.
    pub can_manage: bool,
    /// The reader holds an undecided seat of the exception's open stage: approve or reject.
    pub can_decide: bool,
    pub route: Vec<RouteStep>,
    pub history: Vec<HistoryEntry>,
    pub payments: Vec<InvoicePayment>,
}
