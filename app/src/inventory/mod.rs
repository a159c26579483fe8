//! Inventory: the item master in every language, search, storage locations, UIDs, goods
//! receipts and the stock ledger. `model` is shared with the browser; `service` holds the rules
//! and `repo` the SQL (server only); `api` has the server functions and `ui` the pages.
pub mod api;
pub mod model;
pub mod places;
pub mod ui;
pub mod units_api;

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// UIDs are a model type; their path of old stays.
pub use model::uid;
