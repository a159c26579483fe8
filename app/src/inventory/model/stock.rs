//! Stock operations after receipt: issue to a cost centre, move within a plant, transfer across
//! plants (in transit until received), the movement ledger, and a UID's traceability.
use crate::error::FieldError;
use crate::types::zero_or_more;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IssueInput {
    pub item_id: Uuid,
    pub location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub cost_centre_id: Uuid,
    /// The units moved (UIDs of a serial-numbered item: as many as the quantity) or the lots to
    /// take it from (in this order), optional: without them the oldest units or lots of the place
    /// go. Each is checked (check character, item, in stock at the place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
    /// The unit the quantity is in: any unit of the company that converts to the item's (the
    /// ledger records it in the item's unit), with no more decimal places than it allows. The
    /// item's own unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoveInput {
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// The units moved (UIDs of a serial-numbered item: as many as the quantity) or the lots to
    /// take it from (in this order), optional: without them the oldest units or lots of the place
    /// go. Each is checked (check character, item, in stock at the place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransferInput {
    pub item_id: Uuid,
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// The units moved (UIDs of a serial-numbered item: as many as the quantity) or the lots to
    /// take it from (in this order), optional: without them the oldest units or lots of the place
    /// go. Each is checked (check character, item, in stock at the place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
}

/// A typed or scanned UID's fault as a field error: a bad shape, or a check character that does not
/// match (a typo).
impl From<crate::inventory::model::uid::UidError> for FieldError {
    fn from(e: crate::inventory::model::uid::UidError) -> Self {
        match e {
            crate::inventory::model::uid::UidError::Format => FieldError::Invalid,
            crate::inventory::model::uid::UidError::Checksum => FieldError::Checksum,
        }
    }
}

/// A quantity taken out of stock: positive, at most 4 decimals.
pub fn check_quantity(q: Decimal) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if q <= Decimal::ZERO {
        e.insert("quantity".into(), FieldError::MustBePositive);
    } else if let Err(err) = zero_or_more(q) {
        e.insert("quantity".into(), err);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Movement {
    pub id: Uuid,
    /// receipt, acceptance, issue, transfer_out, transfer_in, move_out, move_in, adjustment, reversal
    pub kind: String,
    pub item_id: Uuid,
    pub sku: String,
    pub location: String,
    /// Signed: positive in, negative out.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// both, on_hand (received, not yet accepted) or available (accepted)
    pub affects: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub unit_cost: Option<Decimal>,
    pub reason: Option<String>,
    pub doc_type: Option<String>,
    pub doc_id: Option<Uuid>,
    pub user: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MovementFilter {
    pub item_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Transfer {
    pub id: Uuid,
    pub item_id: Uuid,
    pub from_location: String,
    pub to_location: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    /// in_transit or received
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UidEvent {
    pub event: String,
    pub location: Option<String>,
    pub user: Option<String>,
    pub at: DateTime<Utc>,
    /// How much of a lot the event concerned (none for a serial-numbered unit, which is one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub quantity: Option<Decimal>,
}

/// What is left of a lot at one place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LotPlace {
    pub location: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
}

/// A UID from its item back to the purchase order, requisition and supplier, with every event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UidTrace {
    pub uid: String,
    pub kind: String,
    pub status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub item_id: Uuid,
    pub sku: String,
    pub item: String,
    pub location: Option<String>,
    pub receipt_id: Option<Uuid>,
    pub receipt: Option<String>,
    pub purchase_order_id: Option<Uuid>,
    pub purchase_order: Option<String>,
    pub requisition_id: Option<Uuid>,
    pub requisition: Option<String>,
    pub supplier: Option<String>,
    /// For a lot: what is left of it in stock, by place (a lot is split by partial issues, moves
    /// and transfers; `quantity` is what was received). Empty for a serial-numbered unit.
    #[serde(default)]
    pub places: Vec<LotPlace>,
    pub events: Vec<UidEvent>,
}

/// A stock count correction: signed quantity (positive found, negative lost), with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AdjustInput {
    pub item_id: Uuid,
    pub location_id: Uuid,
    /// Signed, not zero, at most 4 decimals.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub reason: String,
    /// For a write-off (a negative quantity): the units written off or the lots it comes from,
    /// optional (without them the oldest of the place go), each checked as for an issue. Not for
    /// a positive quantity: found units are received, not named here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReverseInput {
    pub reason: String,
}

pub fn check_adjustment(input: &AdjustInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if input.quantity == Decimal::ZERO {
        e.insert("quantity".into(), FieldError::MustBePositive);
    } else if let Err(err) = zero_or_more(input.quantity.abs()) {
        e.insert("quantity".into(), err);
    }
    if input.quantity > Decimal::ZERO && !input.uids.is_empty() {
        e.insert("uids".into(), FieldError::Invalid);
    }
    check_reason(&input.reason, &mut e);
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

pub fn check_reason(reason: &str, e: &mut BTreeMap<String, FieldError>) {
    let n = reason.trim().chars().count();
    if n == 0 {
        e.insert("reason".into(), FieldError::Required);
    } else if n > 500 {
        e.insert("reason".into(), FieldError::TooLong);
    }
}

/// Stock of an item at one location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockAt {
    pub location_id: Uuid,
    pub location: String,
    pub plant: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub on_hand: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub available: Decimal,
    /// Share of the location's capacity this item fills, in percent, when it has one.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub utilisation: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UidSummary {
    pub uid: String,
    pub status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    pub location: Option<String>,
}

/// A purchase order line for the item still waiting for goods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenOrderLine {
    pub purchase_order_id: Uuid,
    pub number: String,
    pub supplier: String,
    pub status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub ordered: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub received: Decimal,
    pub expected_delivery: Option<NaiveDate>,
}

/// The item page: the item, where it is, what happened to it, its UIDs and what is on order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemDetail {
    pub item: crate::inventory::model::Item,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub average_cost: Decimal,
    pub stock: Vec<StockAt>,
    pub movements: Vec<Movement>,
    pub uids: Vec<UidSummary>,
    pub open_orders: Vec<OpenOrderLine>,
    /// Whether the reader may issue, move, transfer and adjust.
    pub can_update: bool,
}

/// What the stock forms offer: active locations (with their plant) and cost centres.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StockOptions {
    /// (id, code, plant code)
    pub locations: Vec<(Uuid, String, String)>,
    /// (id, code, name)
    pub cost_centres: Vec<(Uuid, String, String)>,
}

/// A printable UID label: the UID as text and as a QR code (SVG).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UidLabel {
    pub uid: String,
    pub sku: String,
    pub name: String,
    /// An `<svg>` element, generated on the server from the UID alone.
    pub svg: String,
}
