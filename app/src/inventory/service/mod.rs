//! Inventory on the server: the rules (permission checks, validation, state changes, audit), in
//! the caller's transaction; the SQL is in `repo`. Server functions and REST handlers both call
//! these.
pub mod export;
pub mod import;
mod items;
pub mod ledger;
pub mod onboarding;
pub mod receipts;
mod search;
pub mod stock;
pub mod units;
pub mod valuation;

pub use items::{
    editor_options, get_item, list_locations, load_item, low_stock_check, prefill, save_item,
    set_material_type,
};
pub use search::{search, search_all, suggest, SearchResults};
