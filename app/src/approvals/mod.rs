//! The approval engine: per tenant and document type, ordered stages with an approver rule, a
//! condition, an SLA and an escalation target. Requisitions use it now; purchase orders and
//! invoices reuse it. The route of a document is fixed when it is submitted.
pub mod api;
pub mod expr;
pub mod model;
pub mod rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod engine;
