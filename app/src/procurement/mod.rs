//! Procurement: suppliers, projects and purchase requisitions (purchase orders follow).
pub mod model;

#[cfg(feature = "ssr")]
pub mod service;
