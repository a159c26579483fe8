//! The approval engine: per tenant and document type, ordered stages with an approver rule, a
//! condition, an SLA and an escalation target. Each slice registers its kinds of document
//! ([`registry`]); the route of a document is fixed when it is submitted.
pub mod api;
pub mod delegations;
pub mod expr;
pub mod model;
pub mod rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod service;
