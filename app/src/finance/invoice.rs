//! Supplier invoices as the browser and the server share them, and their pure rules: GST split
//! into CGST + SGST within a state or IGST across states (each rounded half-up per line, then
//! summed), TDS, and the line-level three-way match against the order and the receipts.
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceInput {
    pub supplier_id: Uuid,
    /// The supplier's own invoice number (unique per supplier: 409 twice).
    pub number: String,
    pub invoice_date: NaiveDate,
    /// Default: the invoice date plus the supplier's payment terms.
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// The state (two digits) the goods were supplied to; default: the receiving plant's.
    #[serde(default)]
    pub place_of_supply: Option<String>,
    pub lines: Vec<InvoiceLineInput>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceLineInput {
    pub purchase_order_line_id: Uuid,
    #[serde(default)]
    pub goods_receipt_line_id: Option<Uuid>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub unit_price: Decimal,
    /// A percent (`"18"` for 18 % GST); default: the item's GST rate (India), else 0.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub tax_rate: Option<Decimal>,
    #[serde(default)]
    pub hsn_sac: Option<String>,
}

/// The taxes of an invoice, by head.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaxTotals {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub cgst: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub sgst: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub igst: Decimal,
    /// A company outside India's one head.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub tax: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SupplierInvoice {
    pub id: Uuid,
    /// Ours: PI-2026-000001.
    pub number: String,
    pub supplier_number: String,
    pub supplier_id: Uuid,
    pub supplier: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub plant_id: Option<Uuid>,
    pub place_of_supply: Option<String>,
    pub currency: String,
    /// draft, pending_approval, awaiting_goods, posted, on_hold, partially_paid, paid, cancelled
    pub status: String,
    /// matched or exception
    pub match_status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub subtotal: Decimal,
    pub tax: TaxTotals,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub tds: Decimal,
    /// Subtotal and taxes.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    /// What is still to be paid: the total less TDS and payments.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount_due: Decimal,
    pub notes: Option<String>,
    /// The ledger entry it posted.
    pub entry_id: Option<Uuid>,
    pub lines: Vec<InvoiceLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    pub id: Uuid,
    pub purchase_order_line_id: Uuid,
    pub purchase_order: Option<String>,
    pub goods_receipt_line_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub description: String,
    pub hsn_sac: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub unit_price: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub tax_rate: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
    pub tax: TaxTotals,
    #[serde(rename = "match")]
    pub matched: LineMatch,
}

/// A line's three-way match: what was ordered, received and invoiced before this invoice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineMatch {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub ordered: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub received: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub invoiced_before: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub order_price: Decimal,
    /// How much more than received (before this invoice's goods arrive) it bills.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity_variance: Decimal,
    /// The amount above the order's price (negative below).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub price_variance: Decimal,
    /// matched, price_exception, quantity_exception, awaiting_goods
    pub status: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InvoiceFilter {
    pub status: Option<String>,
    /// `matched` or `exception`: the invoice's match (an exception has a line beyond the tolerance).
    pub match_status: Option<String>,
    pub supplier_id: Option<Uuid>,
    pub page: u32,
    pub per_page: u32,
}

/// Half away from zero to `places` decimals.
pub fn half_up(v: Decimal, places: u32) -> Decimal {
    v.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// How GST falls on a supply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxRegime {
    /// Supplier and place of supply in one state: half central, half state.
    IntraState,
    /// Across states: integrated.
    InterState,
    /// A company outside India: one head.
    Single,
}

impl TaxRegime {
    /// CGST + SGST when both states are known and the same, IGST otherwise (an unregistered
    /// supplier with no state is taxed as inter-state only when the place is known and differs).
    pub fn of(
        india: bool,
        supplier_state: Option<&str>,
        place_of_supply: Option<&str>,
    ) -> TaxRegime {
        match (india, supplier_state, place_of_supply) {
            (false, _, _) => TaxRegime::Single,
            (true, Some(a), Some(b)) if a != b => TaxRegime::InterState,
            _ => TaxRegime::IntraState,
        }
    }
}

/// One line's amount and taxes, each rounded half-up to the currency's `places`.
pub fn line_tax(
    amount: Decimal,
    rate_percent: Decimal,
    regime: TaxRegime,
    places: u32,
) -> TaxTotals {
    let share = |r: Decimal| half_up(amount * r / Decimal::from(100), places);
    let mut t = TaxTotals::default();
    match regime {
        TaxRegime::IntraState => {
            let half = rate_percent / Decimal::from(2);
            t.cgst = share(half);
            t.sgst = share(half);
        }
        TaxRegime::InterState => t.igst = share(rate_percent),
        TaxRegime::Single => t.tax = share(rate_percent),
    }
    t.total = t.cgst + t.sgst + t.igst + t.tax;
    t
}

/// The invoice's taxes: the lines' rounded taxes summed.
pub fn sum_taxes<'a>(lines: impl IntoIterator<Item = &'a TaxTotals>) -> TaxTotals {
    let mut t = TaxTotals::default();
    for l in lines {
        t.cgst += l.cgst;
        t.sgst += l.sgst;
        t.igst += l.igst;
        t.tax += l.tax;
        t.total += l.total;
    }
    t
}

/// What a line's match says, given the order, what was received and invoiced before, and
/// whether its price is within tolerance.
pub fn match_status(
    ordered: Decimal,
    received: Decimal,
    invoiced_before: Decimal,
    quantity: Decimal,
    price_within_tolerance: bool,
) -> &'static str {
    if invoiced_before + quantity > ordered {
        "quantity_exception"
    } else if !price_within_tolerance {
        "price_exception"
    } else if invoiced_before + quantity > received {
        "awaiting_goods"
    } else {
        "matched"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn within_a_state_gst_is_half_central_half_state_each_rounded_half_up() {
        // 18 % of 100.05 = 18.009: 9.0045 each, half-up to 9.00 each
        let t = line_tax(d("100.05"), d("18"), TaxRegime::IntraState, 2);
        assert_eq!((t.cgst, t.sgst, t.igst), (d("9.00"), d("9.00"), d("0")));
        // 5 % of 10.10 = 0.505: 0.2525 each → 0.25
        let t = line_tax(d("10.10"), d("5"), TaxRegime::IntraState, 2);
        assert_eq!(t.total, d("0.50"));
        // 12 % of 0.125 halves to 0.0075 → 0.01 each (away from zero at the midpoint)
        let t = line_tax(d("0.125"), d("12"), TaxRegime::IntraState, 2);
        assert_eq!(t.cgst, d("0.01"));
    }

    #[test]
    fn across_states_gst_is_integrated_and_outside_india_one_head() {
        let t = line_tax(d("1000"), d("18"), TaxRegime::InterState, 2);
        assert_eq!((t.igst, t.total), (d("180.00"), d("180.00")));
        let t = line_tax(d("1000"), d("7.5"), TaxRegime::Single, 2);
        assert_eq!((t.tax, t.cgst), (d("75.00"), d("0")));
        assert_eq!(
            TaxRegime::of(true, Some("19"), Some("37")),
            TaxRegime::InterState
        );
        assert_eq!(
            TaxRegime::of(true, Some("19"), Some("19")),
            TaxRegime::IntraState
        );
        assert_eq!(
            TaxRegime::of(false, Some("19"), Some("37")),
            TaxRegime::Single
        );
    }

    #[test]
    fn taxes_are_rounded_per_line_then_summed() {
        // three lines of 0.333 × 18 % intra-state: 0.02997 each half, 0.03 each → 0.18 in all
        let lines: Vec<TaxTotals> = (0..3)
            .map(|_| line_tax(d("0.333"), d("18"), TaxRegime::IntraState, 2))
            .collect();
        assert_eq!(sum_taxes(&lines).total, d("0.18"));
    }

    #[test]
    fn a_line_matches_only_within_what_was_ordered_received_and_priced() {
        assert_eq!(
            match_status(d("10"), d("10"), d("0"), d("10"), true),
            "matched"
        );
        assert_eq!(
            match_status(d("10"), d("4"), d("0"), d("6"), true),
            "awaiting_goods"
        );
        assert_eq!(
            match_status(d("10"), d("10"), d("6"), d("5"), true),
            "quantity_exception"
        );
        assert_eq!(
            match_status(d("10"), d("10"), d("0"), d("10"), false),
            "price_exception"
        );
    }
}
