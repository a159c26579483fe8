//! Inventory: the item master in every language, search, storage locations, and UIDs.
pub mod api;
pub mod import;
pub mod model;
pub mod receipts;
pub mod stock;
pub mod ui;
pub mod ui_import;
pub mod ui_item;
pub mod uid;

#[cfg(feature = "ssr")]
pub mod ledger;
#[cfg(feature = "ssr")]
pub mod service;
