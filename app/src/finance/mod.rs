//! Finance: the chart of accounts, fiscal years and periods, the double-entry journal fed by the
//! stock events of inventory, and the accountant's reports. `api` has the server functions of the
//! ledger screens and `ui` the screens.
pub mod api;
pub mod billable;
pub mod invoice;
pub mod invoice_api;
pub mod invoice_files;
pub mod invoice_files_api;
pub mod model;
pub mod pay_model;
pub mod payment;
pub mod payment_api;
pub mod report_api;
pub mod statement;
pub mod tally;
pub mod templates;
pub mod ui;

#[cfg(feature = "ssr")]
pub(crate) mod repo;
#[cfg(feature = "ssr")]
pub mod service;
