//! Every integration test of the server in one binary: one link instead of one per file, which
//! saves minutes and gigabytes of disk on a 2-core CI machine. Each module is one area's tests.
//! Every test runs on a two-worker runtime, as the server does in production: on a current-thread
//! runtime, where the server under test and its client share one thread, a page request now and
//! then hung until the client's 60 s timeout (seen about once in six full runs).
mod common;

mod audit;
mod auth;
mod composition;
mod contract;
mod demo_history;
mod export;
mod finance_pages;
mod inventory;
mod invoice_files;
mod invoice_pages;
mod invoices;
mod ledger;
mod masters;
mod notifications;
mod ops;
mod orders;
mod pages;
mod payment_pages;
mod places;
mod procurement;
mod report_ranges;
mod reports;
mod reset;
mod settings;
mod signup;
mod stock_admin;
mod supplier_tax;
mod tally;
mod tenancy;
mod totp;
mod uids;
mod units;
mod users;
