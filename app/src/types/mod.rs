//! Domain types: values that cannot be invalid once built. Inputs are parsed into them at the
//! door (`FromStr` / `TryFrom`, with the field error a form shows), and the services, the
//! repositories and the documents pass them on without checking again.
//!
//! The bottom layer with `error.rs` and `format.rs`: it names no slice.
mod doc_number;
mod ids;
mod money;
mod plant_code;
mod quantity;
mod tax_id;

pub use doc_number::DocNumber;
pub use ids::{GoodsReceiptId, ItemId, PurchaseOrderId, RequisitionId, SupplierId};
pub use money::{Currency, Money};
pub use plant_code::PlantCode;
pub use quantity::{zero_or_more, Quantity};
pub use tax_id::{Gstin, TaxId};

use rust_decimal::Decimal;

/// Digits after the decimal point that `d` really needs (`1.50` needs one).
pub fn decimals(d: Decimal) -> u32 {
    d.normalize().scale()
}
