//! Finance's SQL: one statement per function, each taking the caller's connection (a tenant
//! transaction, so row-level security scopes every statement to the tenant).
pub(crate) mod accounts;
pub(crate) mod billable;
pub(crate) mod home;
pub(crate) mod invoices;
pub(crate) mod journal;
pub(crate) mod payments;
pub(crate) mod periods;
pub(crate) mod reports;
pub(crate) mod runs;
pub(crate) mod statements;
pub(crate) mod tally;
