//! Inventory: the item master in every language, search, storage locations, and UIDs.
pub mod model;
pub mod receipts;
pub mod stock;
pub mod uid;

#[cfg(feature = "ssr")]
pub mod service;
