//! Purchase orders: the shapes shared by the server and the browser, and the money rules
//! (per line: subtotal = quantity × price and tax = subtotal × rate, each rounded half-up to the
//! currency's minor unit; the order's figures are the sums of the rounded line figures).
use crate::approvals::model::{HistoryEntry, RouteStep};
use crate::error::FieldError;
use crate::types::{Currency, Money, Quantity};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoStatus {
    Draft,
    PendingApproval,
    Approved,
    Sent,
    PartiallyReceived,
    Received,
    Closed,
    Cancelled,
}

impl std::str::FromStr for PoStatus {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<PoStatus, FieldError> {
        PoStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or(FieldError::Invalid)
    }
}

impl PoStatus {
    pub const ALL: [PoStatus; 8] = [
        PoStatus::Draft,
        PoStatus::PendingApproval,
        PoStatus::Approved,
        PoStatus::Sent,
        PoStatus::PartiallyReceived,
        PoStatus::Received,
        PoStatus::Closed,
        PoStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PoStatus::Draft => "draft",
            PoStatus::PendingApproval => "pending_approval",
            PoStatus::Approved => "approved",
            PoStatus::Sent => "sent",
            PoStatus::PartiallyReceived => "partially_received",
            PoStatus::Received => "received",
            PoStatus::Closed => "closed",
            PoStatus::Cancelled => "cancelled",
        }
    }

    /// A list's status filter, as both doors take it (422 on `status` for an unknown one).
    pub fn filter(raw: Option<&str>) -> Result<Option<PoStatus>, crate::error::AppError> {
        crate::procurement::model::status_filter(raw)
    }

    /// Cancelling gives the ordered quantities back to the requisition lines; only before any
    /// goods arrived.
    pub fn cancellable(self) -> bool {
        matches!(
            self,
            PoStatus::Draft | PoStatus::PendingApproval | PoStatus::Approved | PoStatus::Sent
        )
    }

    pub fn closable(self) -> bool {
        matches!(
            self,
            PoStatus::Sent | PoStatus::PartiallyReceived | PoStatus::Received
        )
    }

    /// Goods are received against an order once it is approved, until it is received in full.
    pub fn receivable(self) -> bool {
        matches!(
            self,
            PoStatus::Approved | PoStatus::Sent | PoStatus::PartiallyReceived
        )
    }
}

/// The largest tax rate accepted (100 %) and its precision (0.0001 = a hundredth of a percent).
pub const TAX_RATE_DECIMALS: u32 = 4;

fn round(d: Decimal, minor_units: u32) -> Decimal {
    d.round_dp_with_strategy(minor_units, RoundingStrategy::MidpointAwayFromZero)
}

/// One line's subtotal, tax and total.
pub fn line_figures(
    quantity: Decimal,
    unit_price: Decimal,
    tax_rate: Decimal,
    minor_units: u32,
) -> (Decimal, Decimal, Decimal) {
    let subtotal = round(quantity * unit_price, minor_units);
    let tax = round(subtotal * tax_rate, minor_units);
    (subtotal, tax, subtotal + tax)
}

/// The order's subtotal, tax and total: sums of the rounded line figures.
pub fn order_figures(
    lines: &[(Decimal, Decimal, Decimal)],
    minor_units: u32,
) -> (Decimal, Decimal, Decimal) {
    lines.iter().fold(
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO),
        |(s, t, g), (q, p, r)| {
            let (ls, lt, lg) = line_figures(*q, *p, *r, minor_units);
            (s + ls, t + lt, g + lg)
        },
    )
}

/// A line of an approved requisition that still has quantity to order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderableLine {
    pub requisition_line_id: Uuid,
    pub requisition_id: Uuid,
    pub requisition_number: String,
    pub requester: String,
    pub plant: Option<String>,
    pub needed_by: Option<NaiveDate>,
    pub description: String,
    pub quantity: Decimal,
    pub ordered_quantity: Decimal,
    pub remaining: Decimal,
    pub unit: String,
    pub estimated_unit_price: Decimal,
    pub supplier_id: Option<Uuid>,
    pub supplier: Option<String>,
}

/// One line of what procurement asks to order: which requisition line, from whom, how much, at
/// what price (and a tax rate other than the tenant's default when given).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerateLine {
    pub requisition_line_id: Uuid,
    pub supplier_id: Uuid,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    #[serde(default)]
    pub tax_rate: Option<Decimal>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GenerateInput {
    /// Order what remains of these lines from their suggested supplier at the estimated price.
    #[serde(default)]
    pub requisition_line_ids: Vec<Uuid>,
    /// Or say exactly what to order; a requisition line may appear under several suppliers.
    #[serde(default)]
    pub lines: Vec<GenerateLine>,
    #[serde(default)]
    pub expected_delivery_date: Option<NaiveDate>,
}

/// Checks the explicit lines of a generation request (what can be known without the database).
pub fn validate_generate(
    input: &GenerateInput,
    currency: Currency,
    quantity_decimals: u32,
) -> Result<(), BTreeMap<String, FieldError>> {
    let mut errors = BTreeMap::new();
    if input.lines.is_empty() && input.requisition_line_ids.is_empty() {
        errors.insert("lines".into(), FieldError::NoLines);
    }
    if input.lines.len() + input.requisition_line_ids.len() > 1000 {
        errors.insert("lines".into(), FieldError::TooLong);
    }
    for (i, l) in input.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        if let Err(e) = Quantity::with_decimals(l.quantity, quantity_decimals) {
            errors.insert(field("quantity"), e);
        }
        if let Err(e) = Money::entered(l.unit_price, currency) {
            errors.insert(field("unit_price"), e);
        }
        if let Some(rate) = l.tax_rate {
            if rate < Decimal::ZERO || rate > Decimal::ONE {
                errors.insert(field("tax_rate"), FieldError::Invalid);
            } else if crate::types::decimals(rate) > TAX_RATE_DECIMALS {
                errors.insert(field("tax_rate"), FieldError::TooManyDecimals);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoLine {
    pub id: Uuid,
    pub line_no: i32,
    pub requisition_line_id: Uuid,
    pub requisition_id: Uuid,
    pub requisition_number: String,
    pub item_id: Option<Uuid>,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub tax_rate: Decimal,
    pub line_subtotal: Decimal,
    pub tax_amount: Decimal,
    pub line_total: Decimal,
    pub received_quantity: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoSupplier {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub tax_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    pub id: Uuid,
    pub number: String,
    pub status: PoStatus,
    pub supplier: PoSupplier,
    pub plant: Option<String>,
    pub delivery_address: Option<String>,
    pub expected_delivery_date: Option<NaiveDate>,
    pub payment_terms_days: i32,
    pub currency: String,
    pub subtotal: Decimal,
    pub tax_amount: Decimal,
    pub total: Decimal,
    pub current_stage: Option<i32>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub status_comment: Option<String>,
    pub lines: Vec<PoLine>,
    pub approvals: Vec<HistoryEntry>,
    pub route: Vec<RouteStep>,
    pub can_approve: bool,
    pub can_send: bool,
    pub can_cancel: bool,
    pub can_close: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoRow {
    pub id: Uuid,
    pub number: String,
    pub status: PoStatus,
    pub supplier: String,
    pub total: Decimal,
    pub currency: String,
    pub expected_delivery_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// An order as the other slices know it (receiving goods, and matching invoices later): its
/// number, where it stands, who supplies it and where it is delivered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRef {
    pub id: Uuid,
    pub number: String,
    pub status: PoStatus,
    pub supplier_id: Uuid,
    /// The supplier's name.
    pub supplier: String,
    /// The delivery plant (None: the head office).
    pub plant_id: Option<Uuid>,
    pub plant_code: Option<String>,
    pub expected_delivery_date: Option<NaiveDate>,
}

/// A line of an order as the other slices know it: what was ordered, how much of it has been
/// received, at what price, and the requisition line (and so the requester) it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLineRef {
    pub id: Uuid,
    pub purchase_order_id: Uuid,
    pub line_no: i32,
    /// The catalogue item: the order line's, else its requisition line's (None: free text).
    pub item_id: Option<Uuid>,
    pub description: String,
    /// Ordered, exactly as stored.
    pub quantity: Decimal,
    /// Received so far, exactly as stored.
    pub received_quantity: Decimal,
    pub unit: String,
    /// The agreed price per unit, exactly as stored (not rounded to the currency).
    pub unit_price: Decimal,
    pub requisition_line_id: Uuid,
    pub requisition_id: Uuid,
    /// The requisition's number.
    pub requisition: String,
    /// Who asked for it: the requisition's requester.
    pub requester_id: Uuid,
}

/// An order with some of its lines: which lines, the function that returns it says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderWithLines {
    pub order: OrderRef,
    pub lines: Vec<OrderLineRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoFilter {
    pub status: Option<PoStatus>,
    pub supplier_id: Option<Uuid>,
    pub q: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn line_figures_round_half_up_per_line() {
        // (quantity, price, rate, minor units) → (subtotal, tax, total)
        let cases = [
            ("3", "33.335", "0.05", 2, ("100.01", "5.00", "105.01")),
            ("1", "10.005", "0", 2, ("10.01", "0.00", "10.01")),
            ("2", "0.125", "0.05", 2, ("0.25", "0.01", "0.26")),
            ("1", "0.10", "0.05", 2, ("0.10", "0.01", "0.11")),
            ("7", "1500", "0.18", 0, ("10500", "1890", "12390")),
            ("1.5", "99.99", "0.05", 2, ("149.99", "7.50", "157.49")),
            ("1", "1.005", "0.125", 3, ("1.005", "0.126", "1.131")),
        ];
        for (q, p, r, mu, (s, t, g)) in cases {
            assert_eq!(
                line_figures(d(q), d(p), d(r), mu),
                (d(s), d(t), d(g)),
                "{q} × {p} at {r}"
            );
        }
    }

    #[test]
    fn order_figures_sum_rounded_lines() {
        // each line: 0.335 → 0.34, tax 0.017 → 0.02; summing unrounded figures would give 1.01 + 0.05
        let lines = [
            (d("1"), d("0.335"), d("0.05")),
            (d("1"), d("0.335"), d("0.05")),
            (d("1"), d("0.335"), d("0.05")),
        ];
        assert_eq!(order_figures(&lines, 2), (d("1.02"), d("0.06"), d("1.08")));
    }

    #[test]
    fn generate_validation_names_fields() {
        let input = GenerateInput {
            lines: vec![GenerateLine {
                requisition_line_id: Uuid::nil(),
                supplier_id: Uuid::nil(),
                quantity: d("0"),
                unit_price: d("1.001"),
                tax_rate: Some(d("1.5")),
            }],
            ..Default::default()
        };
        let errors = validate_generate(&input, Currency::INR, 3).unwrap_err();
        assert_eq!(errors["lines[0].quantity"], FieldError::MustBePositive);
        assert_eq!(errors["lines[0].unit_price"], FieldError::TooManyDecimals);
        assert_eq!(errors["lines[0].tax_rate"], FieldError::Invalid);
        let empty = validate_generate(&GenerateInput::default(), Currency::INR, 3).unwrap_err();
        assert_eq!(empty["lines"], FieldError::NoLines);
    }

    #[test]
    fn status_round_trips_and_rules() {
        for s in PoStatus::ALL {
            assert_eq!(s.as_str().parse::<PoStatus>().ok(), Some(s));
        }
        assert!(PoStatus::Sent.cancellable());
        assert!(!PoStatus::PartiallyReceived.cancellable());
        assert!(PoStatus::Received.closable());
        assert!(!PoStatus::Approved.closable());
        let receivable: Vec<&str> = PoStatus::ALL
            .into_iter()
            .filter(|s| s.receivable())
            .map(PoStatus::as_str)
            .collect();
        assert_eq!(receivable, ["approved", "sent", "partially_received"]);
    }
}
