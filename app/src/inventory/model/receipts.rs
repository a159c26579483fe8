//! Goods receipts against purchase orders, acceptance by the requester, UIDs, and the stock
//! ledger postings they make. Every movement row and the balances it changes are written in the
//! same transaction; balances can never go negative (checked, and enforced by the table).
use crate::error::FieldError;
use crate::types::zero_or_more;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceiveLine {
    pub purchase_order_line_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub accepted_quantity: Decimal,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub rejected_quantity: Option<Decimal>,
    #[serde(default)]
    pub rejection_reason: Option<String>,
    /// Put-away location (in the PO's delivery plant); required for catalogue items.
    #[serde(default)]
    pub location_id: Option<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceiveInput {
    pub purchase_order_id: Uuid,
    pub lines: Vec<ReceiveLine>,
}

/// Shape checks of a receipt, before anything is read: quantities, reasons, a line at most once.
pub fn validate_receive(input: &ReceiveInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if input.lines.is_empty() {
        e.insert("lines".into(), FieldError::NoLines);
    }
    let mut seen = std::collections::HashSet::new();
    for (i, l) in input.lines.iter().enumerate() {
        let f = |n: &str| format!("lines[{i}].{n}");
        let rejected = l.rejected_quantity.unwrap_or_default();
        if let Err(err) = zero_or_more(l.accepted_quantity) {
            e.insert(f("accepted_quantity"), err);
        }
        if let Err(err) = zero_or_more(rejected) {
            e.insert(f("rejected_quantity"), err);
        }
        if l.accepted_quantity + rejected <= Decimal::ZERO
            && l.accepted_quantity >= Decimal::ZERO
            && rejected >= Decimal::ZERO
        {
            e.insert(f("accepted_quantity"), FieldError::MustBePositive);
        }
        if rejected > Decimal::ZERO
            && l.rejection_reason
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .is_empty()
        {
            e.insert(f("rejection_reason"), FieldError::Required);
        }
        if !seen.insert(l.purchase_order_line_id) {
            e.insert(f("purchase_order_line_id"), FieldError::Duplicate);
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// Moving average cost after receiving `qty` at `price` onto `old_qty` at `old_avg`, to 6 places.
pub fn moving_average(old_qty: Decimal, old_avg: Decimal, qty: Decimal, price: Decimal) -> Decimal {
    let total = old_qty + qty;
    if total <= Decimal::ZERO {
        return price;
    }
    ((old_qty * old_avg + qty * price) / total)
        .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceiptLine {
    pub id: Uuid,
    pub purchase_order_line_id: Uuid,
    pub item_id: Option<Uuid>,
    pub description: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub accepted_quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub rejected_quantity: Decimal,
    pub rejection_reason: Option<String>,
    pub location: Option<String>,
    pub uids: Vec<String>,
    /// The order line's unit, which the quantities are in.
    pub unit: String,
    /// What the accepted quantity came to in the item's unit (`stock_unit`), when the order line
    /// is in another unit: "2 BOX (24 PCS)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub stock_quantity: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub id: Uuid,
    /// GRN-2026-000001
    pub number: String,
    pub purchase_order_id: Uuid,
    pub purchase_order: String,
    /// pending_acceptance or accepted
    pub status: String,
    pub received_by: String,
    pub received_at: DateTime<Utc>,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub lines: Vec<ReceiptLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn moving_average_cost() {
        assert_eq!(
            moving_average(d("0"), d("0"), d("10"), d("4.80")),
            d("4.80")
        );
        // 10 at 4.80 and 5 at 5.40 → 75 / 15 = 5.00
        assert_eq!(
            moving_average(d("10"), d("4.80"), d("5"), d("5.40")),
            d("5")
        );
        // 3 at 1 and 1 at 2 → 5/4 = 1.25; 1 at 1 and 2 at 1 + 1/3 rounding half-up at 6 places
        assert_eq!(moving_average(d("3"), d("1"), d("1"), d("2")), d("1.25"));
        assert_eq!(
            moving_average(d("2"), d("1"), d("1"), d("2")),
            d("1.333333")
        );
        assert_eq!(
            moving_average(d("1"), d("0"), d("2"), d("1")),
            d("0.666667")
        );
    }

    #[test]
    fn receipts_are_checked_before_anything_is_read() {
        let line = |a: &str, r: Option<&str>, reason: Option<&str>| ReceiveLine {
            purchase_order_line_id: Uuid::nil(),
            accepted_quantity: d(a),
            rejected_quantity: r.map(d),
            rejection_reason: reason.map(str::to_string),
            location_id: None,
        };
        let ok = ReceiveInput {
            purchase_order_id: Uuid::nil(),
            lines: vec![line("5", Some("1"), Some("dented"))],
        };
        assert!(validate_receive(&ok).is_ok());
        let bad = ReceiveInput {
            purchase_order_id: Uuid::nil(),
            lines: vec![line("-1", None, None), line("0", Some("2"), None)],
        };
        let e = validate_receive(&bad).unwrap_err();
        assert_eq!(
            e.get("lines[0].accepted_quantity"),
            Some(&FieldError::NotNegative)
        );
        assert_eq!(
            e.get("lines[1].rejection_reason"),
            Some(&FieldError::Required)
        );
        assert_eq!(
            e.get("lines[1].purchase_order_line_id"),
            Some(&FieldError::Duplicate)
        );
        let empty = ReceiveInput {
            purchase_order_id: Uuid::nil(),
            lines: vec![],
        };
        assert_eq!(
            validate_receive(&empty).unwrap_err().get("lines"),
            Some(&FieldError::NoLines)
        );
        let zero = ReceiveInput {
            purchase_order_id: Uuid::nil(),
            lines: vec![line("0", None, None)],
        };
        assert_eq!(
            validate_receive(&zero)
                .unwrap_err()
                .get("lines[0].accepted_quantity"),
            Some(&FieldError::MustBePositive)
        );
    }
}

/// A PO that can still receive goods, with its open lines and the put-away locations of its plant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receivable {
    pub id: Uuid,
    pub number: String,
    pub supplier: String,
    pub plant: Option<String>,
    pub lines: Vec<ReceivableLine>,
    pub locations: Vec<(Uuid, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceivableLine {
    pub id: Uuid,
    pub description: String,
    pub sku: Option<String>,
    pub serialised: bool,
    pub quantity: Decimal,
    pub received_quantity: Decimal,
    pub unit: String,
}
