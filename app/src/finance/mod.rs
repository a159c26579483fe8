//! Finance: the chart of accounts, fiscal years and periods, the double-entry journal fed by the
//! stock events of inventory, and the accountant's reports.
pub mod invoice;
pub mod model;
pub mod payment;
pub mod templates;

#[cfg(feature = "ssr")]
pub(crate) mod repo;
#[cfg(feature = "ssr")]
pub mod service;
