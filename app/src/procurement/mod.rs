//! Procurement: suppliers, projects and purchase requisitions (purchase orders follow).
pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
