//! Finance's types shared by the browser and the server: the chart of accounts, fiscal years and
//! periods, journal entries, and the trial balance.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The five kinds of account of a balance sheet and a profit-and-loss statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Asset,
    Liability,
    Equity,
    Income,
    Expense,
}

impl AccountKind {
    pub const ALL: [AccountKind; 5] = [
        AccountKind::Asset,
        AccountKind::Liability,
        AccountKind::Equity,
        AccountKind::Income,
        AccountKind::Expense,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Asset => "asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Income => "income",
            AccountKind::Expense => "expense",
        }
    }

    pub fn parse(s: &str) -> Option<AccountKind> {
        AccountKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether its balance is normally a debit (assets and expenses).
    pub fn debit_normal(self) -> bool {
        matches!(self, AccountKind::Asset | AccountKind::Expense)
    }
}

/// The role an account plays in the postings the product makes by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// Accounts payable: what is owed to suppliers.
    Ap,
    /// Goods received, not yet invoiced.
    Grni,
    Inventory,
    GstInputCgst,
    GstInputSgst,
    GstInputIgst,
    /// Input tax of a tenant outside India (one head).
    TaxInput,
    TdsPayable,
    Bank,
    PriceVariance,
    StockAdjustment,
    /// Goods issued to cost centres.
    Consumption,
    /// Goods between two plants.
    InTransit,
    /// The other side of the opening entry.
    OpeningBalance,
    /// GST the company owes itself on a reverse-charge supplier's invoice.
    GstRcmPayable,
}

impl Control {
    pub const ALL: [Control; 15] = [
        Control::Ap,
        Control::Grni,
        Control::Inventory,
        Control::GstInputCgst,
        Control::GstInputSgst,
        Control::GstInputIgst,
        Control::TaxInput,
        Control::TdsPayable,
        Control::Bank,
        Control::PriceVariance,
        Control::StockAdjustment,
        Control::Consumption,
        Control::InTransit,
        Control::OpeningBalance,
        Control::GstRcmPayable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Control::Ap => "ap",
            Control::Grni => "grni",
            Control::Inventory => "inventory",
            Control::GstInputCgst => "gst_input_cgst",
            Control::GstInputSgst => "gst_input_sgst",
            Control::GstInputIgst => "gst_input_igst",
            Control::TaxInput => "tax_input",
            Control::TdsPayable => "tds_payable",
            Control::Bank => "bank",
            Control::PriceVariance => "price_variance",
            Control::StockAdjustment => "stock_adjustment",
            Control::Consumption => "consumption",
            Control::InTransit => "in_transit",
            Control::OpeningBalance => "opening_balance",
            Control::GstRcmPayable => "gst_rcm_payable",
        }
    }

    pub fn parse(s: &str) -> Option<Control> {
        Control::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An account or a group of the chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub is_group: bool,
    pub parent_id: Option<Uuid>,
    pub control: Option<Control>,
    /// An inventory account's plant (the one without serves the other plants).
    pub plant_id: Option<Uuid>,
    pub currency: Option<String>,
    /// Its ledger name in TallyPrime, when not its own name.
    pub tally_name: Option<String>,
    pub active: bool,
    /// Depth in the tree (0 for a top group), for indenting.
    pub depth: i32,
}

/// An account or group as created or changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountInput {
    pub code: String,
    pub name: String,
    /// asset, liability, equity, income or expense (a child has its group's)
    pub kind: String,
    #[serde(default)]
    pub is_group: bool,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub control: Option<String>,
    #[serde(default)]
    pub plant_id: Option<Uuid>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub tally_name: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A fiscal year and its periods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FiscalYear {
    pub id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub periods: Vec<Period>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Period {
    pub id: Uuid,
    pub number: i16,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// open or closed
    pub status: String,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FiscalYearInput {
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// A journal entry with its lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JournalEntry {
    pub id: Uuid,
    pub number: String,
    pub date: NaiveDate,
    pub narration: String,
    /// manual, opening, goods_receipt, stock_issue, stock_transfer, stock_adjustment,
    /// stock_reversal, supplier_invoice, payment, reversal
    pub source: String,
    /// The document it records (a goods receipt, an invoice…), if any.
    pub source_id: Option<Uuid>,
    pub reverses: Option<Uuid>,
    /// The entry that reverses this one, if any.
    pub reversed_by: Option<Uuid>,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub lines: Vec<JournalLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JournalLine {
    pub account_id: Uuid,
    pub account_code: String,
    pub account_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub credit: Decimal,
    pub plant_id: Option<Uuid>,
    pub cost_centre_id: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    pub memo: Option<String>,
}

/// A manual journal entry as entered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ManualEntryInput {
    pub date: NaiveDate,
    pub narration: String,
    pub lines: Vec<ManualLineInput>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ManualLineInput {
    pub account_id: Uuid,
    /// a decimal string; one of debit and credit is above zero, the other zero or absent
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub debit: Option<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub credit: Option<Decimal>,
    #[serde(default)]
    pub cost_centre_id: Option<Uuid>,
    #[serde(default)]
    pub plant_id: Option<Uuid>,
    #[serde(default)]
    pub memo: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReverseEntryInput {
    pub date: NaiveDate,
    pub reason: String,
}

/// Which journal entries a list shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JournalFilter {
    pub account_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub source: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// One account's line of the trial balance: signed amounts, debit positive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrialBalanceRow {
    pub account: AccountRef,
    /// Balance before `from` (debit positive, credit negative).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub opening: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub credit: Decimal,
    /// opening + debit − credit
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub closing: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrialBalance {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    pub rows: Vec<TrialBalanceRow>,
    pub totals: TrialBalanceTotals,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrialBalanceTotals {
    /// Sum of the debit openings and of the credit openings (each as a positive amount).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub opening_debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub opening_credit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub credit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub closing_debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub closing_credit: Decimal,
}

/// Which part of the company a trial balance covers, and when.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrialBalanceQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub plant_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
}

/// Splits a signed balance into (debit, credit) columns.
pub fn sides(balance: Decimal) -> (Decimal, Decimal) {
    if balance >= Decimal::ZERO {
        (balance, Decimal::ZERO)
    } else {
        (Decimal::ZERO, -balance)
    }
}

/// An account's ledger over a span: its opening balance, a page of its lines with the running
/// balance after each, and its closing balance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GeneralLedger {
    pub account: AccountRef,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    /// Before `from` (debit positive).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub opening: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub credit: Decimal,
    /// At the end of `to`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub closing: Decimal,
    pub lines: Vec<LedgerLine>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LedgerLine {
    pub entry_id: Uuid,
    pub number: String,
    pub date: NaiveDate,
    pub narration: String,
    pub source: String,
    pub source_id: Option<Uuid>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub credit: Decimal,
    /// The balance after this line (debit positive).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub balance: Decimal,
    pub memo: Option<String>,
}

/// Which account's ledger, when, and which page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerQuery {
    pub account_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub per_page: u32,
}

/// Goods received and not yet invoiced, by order line, on a day: its total is the GRNI account's
/// balance (a manual entry on the account shows as `unallocated`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GrniReport {
    pub as_of: NaiveDate,
    pub currency: String,
    pub rows: Vec<GrniRow>,
    /// On the account without an order line (manual entries).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub unallocated: Decimal,
    /// The rows and the unallocated amount together.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    /// The GRNI account's credit balance on `as_of`: always equal to `total`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub account_balance: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GrniRow {
    pub purchase_order_line_id: Uuid,
    pub purchase_order_id: Option<Uuid>,
    pub purchase_order: Option<String>,
    pub supplier: Option<String>,
    pub description: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub received_quantity: Option<Decimal>,
    pub unit: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub unit_price: Option<Decimal>,
    /// Received, not yet invoiced, at the order's price.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub value: Decimal,
    /// The first receipt of it still open.
    pub oldest: NaiveDate,
}
