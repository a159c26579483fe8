//! Every integration test of the server in one binary: one link instead of one per file, which
//! saves minutes and gigabytes of disk on a 2-core CI machine. Each module is one area's tests.
mod common;

mod audit;
mod auth;
mod composition;
mod contract;
mod inventory;
mod masters;
mod notifications;
mod ops;
mod orders;
mod pages;
mod places;
mod procurement;
mod reset;
mod settings;
mod signup;
mod stock_admin;
mod tenancy;
mod totp;
mod uids;
mod units;
mod users;
