//! The approval engine: per tenant and document type, ordered stages with an approver rule, a
//! condition, an SLA and an escalation target. Each slice registers its kinds of document
//! ([`registry`]); the route of a document is fixed when it is submitted.
pub mod api;
pub mod expr;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// The engine by the path the slices call it (`approvals::engine::start`, …).
#[cfg(feature = "ssr")]
pub use crate::approvals::service::engine;

/// Approval rules by the paths the REST handlers use (`approvals::rules::service::save`, …): the
/// shape and validation live in `model`, the service in `service/rules.rs`.
pub mod rules {
    pub use crate::approvals::model::{
        preview, validate_rule as validate, Rule, Sample, APPROVER_KINDS as KINDS,
        ROLE_LIMITS as LIMITS,
    };
    #[cfg(feature = "ssr")]
    pub use crate::approvals::service::rules as service;
}

/// Delegations by the paths the REST handlers use (`approvals::delegations::service::…`): the shape
/// and validation live in `model`, the service in `service/delegations.rs`.
pub mod delegations {
    pub use crate::approvals::model::{validate_delegation, Delegation, DelegationInput};
    #[cfg(feature = "ssr")]
    pub use crate::approvals::service::delegations as service;
}
