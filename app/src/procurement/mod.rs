//! Procurement: suppliers, projects and purchase requisitions and purchase orders.
pub mod api;
pub mod attachments;
pub mod dashboard;
pub mod masters;
pub mod model;
pub mod orders;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod orders_service;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod pdf_text;
#[cfg(feature = "ssr")]
pub mod service;
