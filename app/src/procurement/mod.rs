//! Procurement: suppliers, projects and purchase requisitions and purchase orders.
pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub(crate) mod repo;
#[cfg(feature = "ssr")]
pub mod service;
