//! Requisition and supplier types shared by the browser and the server, and the validation rule
//! both run (the form checks as you type; the server decides). Orders, projects and the dashboard
//! have their own files.
use crate::approvals::model::{HistoryEntry, RouteStep};
use crate::error::FieldError;
use crate::types::{Currency, Money, Quantity, TaxId};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub mod dashboard;
pub mod masters;
pub mod orders;
pub mod supplier_tax;

pub const MAX_LINES: usize = 200;
pub const QUANTITY_DECIMALS: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    DailyOperations,
    Project,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::DailyOperations => "daily_operations",
            Purpose::Project => "project",
        }
    }
}

impl std::str::FromStr for Purpose {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Purpose, FieldError> {
        match s {
            "daily_operations" => Ok(Purpose::DailyOperations),
            "project" => Ok(Purpose::Project),
            _ => Err(FieldError::Invalid),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    UnderReview,
    Approved,
    Questioned,
    Rejected,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::Approved => "approved",
            Status::Questioned => "questioned",
            Status::Rejected => "rejected",
            Status::Cancelled => "cancelled",
        }
    }
    /// Only a draft or a requisition sent back for questions can be edited (by its requester).
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Questioned)
    }
    /// The requester cancels a requisition while it is theirs to edit (draft or questioned, as
    /// the REST contract says); once submitted, its approvers decide it.
    pub fn cancellable(self) -> bool {
        self.editable()
    }
    /// A list's status filter, as both doors take it: empty or absent is no filter, anything
    /// else must be a status (422 on `status`).
    pub fn filter(raw: Option<&str>) -> Result<Option<Status>, crate::error::AppError> {
        status_filter(raw)
    }
}

impl std::str::FromStr for Status {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Status, FieldError> {
        Ok(match s {
            "draft" => Status::Draft,
            "submitted" => Status::Submitted,
            "under_review" => Status::UnderReview,
            "approved" => Status::Approved,
            "questioned" => Status::Questioned,
            "rejected" => Status::Rejected,
            "cancelled" => Status::Cancelled,
            _ => return Err(FieldError::Invalid),
        })
    }
}

/// A status filter of a list: empty or absent is none; anything else must parse (422 on `status`).
pub fn status_filter<S: std::str::FromStr<Err = FieldError>>(
    raw: Option<&str>,
) -> Result<Option<S>, crate::error::AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| crate::error::AppError::field("status", e)),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineInput {
    #[serde(default)]
    pub item_id: Option<Uuid>,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub estimated_unit_price: Decimal,
    #[serde(default)]
    pub supplier_id: Option<Uuid>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequisitionInput {
    pub purpose: Purpose,
    #[serde(default)]
    pub project_id: Option<Uuid>,
    #[serde(default)]
    pub needed_by: Option<NaiveDate>,
    #[serde(default)]
    pub notes: Option<String>,
    pub lines: Vec<LineInput>,
}

/// Line total: quantity × price, rounded half away from zero to the currency's minor unit.
pub fn line_total(quantity: Decimal, price: Decimal, currency: Currency) -> Decimal {
    Money::rounded(quantity * price, currency).amount()
}

/// The requisition total: the sum of rounded line totals.
pub fn total(lines: &[LineInput], currency: Currency) -> Decimal {
    lines
        .iter()
        .map(|l| line_total(l.quantity, l.estimated_unit_price, currency))
        .sum()
}

/// Checks a requisition; field paths like `lines[2].quantity` name what is wrong.
pub fn validate(
    input: &RequisitionInput,
    currency: Currency,
) -> Result<(), BTreeMap<String, FieldError>> {
    let mut errors = BTreeMap::new();
    if input.purpose == Purpose::Project && input.project_id.is_none() {
        errors.insert("project_id".into(), FieldError::Required);
    }
    if input.lines.is_empty() {
        errors.insert("lines".into(), FieldError::NoLines);
    }
    if input.lines.len() > MAX_LINES {
        errors.insert("lines".into(), FieldError::TooLong);
    }
    if input
        .notes
        .as_ref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        errors.insert("notes".into(), FieldError::TooLong);
    }
    for (i, l) in input.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        let desc = l.description.trim();
        if desc.is_empty() {
            errors.insert(field("description"), FieldError::Required);
        } else if desc.chars().count() > 500 {
            errors.insert(field("description"), FieldError::TooLong);
        }
        if let Err(e) = Quantity::with_decimals(l.quantity, QUANTITY_DECIMALS) {
            errors.insert(field("quantity"), e);
        }
        let unit = l.unit.trim();
        if unit.is_empty() {
            errors.insert(field("unit"), FieldError::Required);
        } else if unit.chars().count() > 20 {
            errors.insert(field("unit"), FieldError::TooLong);
        }
        if let Err(e) = Money::entered(l.estimated_unit_price, currency) {
            errors.insert(field("estimated_unit_price"), e);
        }
        if l.note.as_ref().is_some_and(|n| n.chars().count() > 500) {
            errors.insert(field("note"), FieldError::TooLong);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub id: Uuid,
    pub line_no: i32,
    pub item_id: Option<Uuid>,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub estimated_unit_price: Decimal,
    pub line_total: Decimal,
    pub supplier_id: Option<Uuid>,
    pub supplier: Option<String>,
    pub note: Option<String>,
    pub ordered_quantity: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Requisition {
    pub id: Uuid,
    pub number: String,
    pub status: Status,
    pub purpose: Purpose,
    pub project_id: Option<Uuid>,
    pub project: Option<String>,
    pub requester_id: Uuid,
    pub requester: String,
    pub department: Option<String>,
    pub plant: Option<String>,
    pub needed_by: Option<NaiveDate>,
    pub notes: Option<String>,
    pub total: Decimal,
    pub currency: String,
    pub current_stage: Option<i32>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<Line>,
    pub approvals: Vec<HistoryEntry>,
    pub route: Vec<RouteStep>,
    /// What the caller may do now (the server checks again when they do it).
    pub can_edit: bool,
    pub can_cancel: bool,
    pub can_decide: bool,
}

/// A row of the requisition list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequisitionRow {
    pub id: Uuid,
    pub number: String,
    pub status: Status,
    pub purpose: Purpose,
    pub requester: String,
    pub total: Decimal,
    pub currency: String,
    pub needed_by: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequisitionFilter {
    pub status: Option<Status>,
    pub mine: bool,
    pub q: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub per_page: u32,
}

pub use crate::platform::paging::Page;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Supplier {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    pub currency: String,
    pub payment_terms_days: i32,
    pub active: bool,
    /// The language of the documents sent to the supplier; `None`: the company's default.
    pub language: Option<String>,
    /// India only: the supplier's GSTIN (check character verified) and the two-digit state of
    /// its registration (the GSTIN's first two digits when it has one).
    #[serde(default)]
    pub gstin: Option<String>,
    #[serde(default)]
    pub state_code: Option<String>,
    /// India only: GST on this supplier's invoices is paid by the buyer (reverse charge).
    #[serde(default)]
    pub reverse_charge: bool,
    /// India only: the income-tax section deducted at source (`194C`, `194J`, `194Q`) and its
    /// percent; both or neither.
    #[serde(default)]
    pub tds_section: Option<String>,
    #[serde(default)]
    pub tds_rate: Option<Decimal>,
    /// How far an invoice's unit price may exceed the order's (percent, and an amount); `None`:
    /// the company's tolerance.
    #[serde(default)]
    pub price_tolerance_pct: Option<Decimal>,
    #[serde(default)]
    pub price_tolerance_abs: Option<Decimal>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SupplierInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub payment_terms_days: Option<i32>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub gstin: Option<String>,
    #[serde(default)]
    pub state_code: Option<String>,
    #[serde(default)]
    pub reverse_charge: Option<bool>,
    #[serde(default)]
    pub tds_section: Option<String>,
    #[serde(default)]
    pub tds_rate: Option<Decimal>,
    #[serde(default)]
    pub price_tolerance_pct: Option<Decimal>,
    #[serde(default)]
    pub price_tolerance_abs: Option<Decimal>,
}

pub fn validate_supplier(input: &SupplierInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let code = input.code.trim();
    if code.is_empty() {
        e.insert("code".into(), FieldError::Required);
    } else if code.len() > 32
        || !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        e.insert("code".into(), FieldError::Invalid);
    }
    let name = input.name.trim();
    if name.is_empty() {
        e.insert("name".into(), FieldError::Required);
    } else if name.chars().count() > 200 {
        e.insert("name".into(), FieldError::TooLong);
    }
    if let Some(email) = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let ok = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'));
        if !ok {
            e.insert("email".into(), FieldError::Invalid);
        }
    }
    if let Some(c) = &input.currency {
        if c.trim() != c.to_ascii_uppercase() || c.parse::<Currency>().is_err() {
            e.insert("currency".into(), FieldError::Invalid);
        }
    }
    if let Some(t) = input
        .tax_id
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if let Err(err) = t.parse::<TaxId>() {
            e.insert("tax_id".into(), err);
        }
    }
    if input
        .payment_terms_days
        .is_some_and(|d| !(0..=365).contains(&d))
    {
        e.insert("payment_terms_days".into(), FieldError::Invalid);
    }
    if input
        .language
        .as_deref()
        .map(str::trim)
        .is_some_and(|l| !l.is_empty() && !crate::platform::model::LANGUAGES.contains(&l))
    {
        e.insert("language".into(), FieldError::Invalid);
    }
    for (field, value, max) in [
        ("phone", &input.phone, 40),
        ("address", &input.address, 500),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            e.insert(field.into(), FieldError::TooLong);
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
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn line(q: &str, p: &str) -> LineInput {
        LineInput {
            item_id: None,
            description: "Bearing 6204".into(),
            quantity: d(q),
            unit: "pcs".into(),
            estimated_unit_price: d(p),
            supplier_id: None,
            note: None,
        }
    }

    fn req(lines: Vec<LineInput>) -> RequisitionInput {
        RequisitionInput {
            purpose: Purpose::DailyOperations,
            project_id: None,
            needed_by: None,
            notes: None,
            lines,
        }
    }

    #[test]
    fn totals_round_each_line_half_up_then_sum() {
        let cases = [
            (vec![("3", "19999.99"), ("2", "0.125")], "INR", "60000.22"),
            (vec![("1.5", "0.01")], "INR", "0.02"),
            (vec![("0.333", "3")], "INR", "1.00"),
            (vec![("7", "100.5")], "JPY", "704"),
            (vec![("1", "0.0005")], "KWD", "0.001"),
        ];
        for (lines, currency, want) in cases {
            let input: Vec<LineInput> = lines.iter().map(|(q, p)| line(q, p)).collect();
            let currency: Currency = currency.parse().expect("a currency");
            assert_eq!(total(&input, currency), d(want), "{lines:?}");
        }
    }

    #[test]
    fn bad_requisitions_name_every_wrong_field() {
        let mut input = req(vec![
            line("0", "10"),
            line("-1", "-5"),
            line("1.2345", "1.005"),
            line("2", "1.50"),
        ]);
        input.lines[3].unit = " ".into();
        input.lines[3].description = "".into();
        let errors = validate(&input, Currency::INR).expect_err("invalid");
        assert_eq!(
            errors.get("lines[0].quantity"),
            Some(&FieldError::MustBePositive)
        );
        assert_eq!(
            errors.get("lines[1].quantity"),
            Some(&FieldError::MustBePositive)
        );
        assert_eq!(
            errors.get("lines[1].estimated_unit_price"),
            Some(&FieldError::NotNegative)
        );
        assert_eq!(
            errors.get("lines[2].quantity"),
            Some(&FieldError::TooManyDecimals)
        );
        assert_eq!(
            errors.get("lines[2].estimated_unit_price"),
            Some(&FieldError::TooManyDecimals)
        );
        assert_eq!(errors.get("lines[3].unit"), Some(&FieldError::Required));
        assert_eq!(
            errors.get("lines[3].description"),
            Some(&FieldError::Required)
        );
        assert!(
            !errors.contains_key("lines[3].estimated_unit_price"),
            "1.50 has two decimals, trailing zero allowed"
        );
    }

    #[test]
    fn a_requisition_needs_lines_and_a_project_when_for_a_project() {
        let errors = validate(
            &RequisitionInput {
                purpose: Purpose::Project,
                ..req(vec![])
            },
            Currency::INR,
        )
        .expect_err("invalid");
        assert_eq!(errors.get("lines"), Some(&FieldError::NoLines));
        assert_eq!(errors.get("project_id"), Some(&FieldError::Required));
        assert!(validate(&req(vec![line("1", "10")]), Currency::INR).is_ok());
    }

    #[test]
    fn status_rules() {
        assert!(Status::Draft.editable() && Status::Questioned.editable());
        assert!(!Status::UnderReview.editable() && !Status::Approved.editable());
        // one rule for both doors, the REST contract's: the requester cancels while it is theirs
        // to edit; once submitted, its approvers decide it
        assert!(
            Status::Questioned.cancellable()
                && !Status::UnderReview.cancellable()
                && !Status::Approved.cancellable()
                && !Status::Rejected.cancellable()
        );
        for s in [
            "draft",
            "submitted",
            "under_review",
            "approved",
            "questioned",
            "rejected",
            "cancelled",
        ] {
            assert_eq!(s.parse::<Status>().ok().map(Status::as_str), Some(s));
        }
    }

    #[test]
    fn supplier_validation() {
        let ok = SupplierInput {
            code: "SUP-001".into(),
            name: "Kolkata Bearings".into(),
            email: Some("sales@kb.example.in".into()),
            phone: None,
            tax_id: None,
            address: None,
            currency: Some("INR".into()),
            payment_terms_days: Some(30),
            active: None,
            language: Some("bn".into()),
            ..Default::default()
        };
        assert!(validate_supplier(&ok).is_ok());
        let bad = SupplierInput {
            code: "sup 1".into(),
            email: Some("nope".into()),
            payment_terms_days: Some(-1),
            language: Some("fr".into()),
            ..ok
        };
        let e = validate_supplier(&bad).expect_err("invalid");
        assert_eq!(e.len(), 4);
        assert_eq!(e.get("language"), Some(&FieldError::Invalid));
    }

    #[test]
    fn a_supplier_s_tax_id_is_a_valid_gstin_when_it_looks_like_one() {
        let with = |tax_id: &str| SupplierInput {
            code: "ACME".into(),
            name: "Acme Bearings".into(),
            tax_id: Some(tax_id.into()),
            ..Default::default()
        };
        assert!(validate_supplier(&with("27AAPFU0939F1ZV")).is_ok());
        assert!(validate_supplier(&with("DE-123456789")).is_ok());
        let typo = validate_supplier(&with("27AAPFU0939F1ZW")).expect_err("a typo");
        assert_eq!(typo.get("tax_id"), Some(&FieldError::Checksum));
        let spaces = validate_supplier(&with("27 AAP FU")).expect_err("not a tax id");
        assert_eq!(spaces.get("tax_id"), Some(&FieldError::Invalid));
        let lower = SupplierInput {
            currency: Some("inr".into()),
            ..with("")
        };
        assert_eq!(
            validate_supplier(&lower)
                .expect_err("lower case")
                .get("currency"),
            Some(&FieldError::Invalid)
        );
    }
}
