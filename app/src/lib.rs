//! Millwright's shared crate: domain types, pages and server functions, compiled for the browser
//! (feature `hydrate`) and the server (feature `ssr`, which adds services and SQL).
#![recursion_limit = "512"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod approvals;
pub mod error;
pub mod finance;
pub mod format;
pub mod inventory;
pub mod platform;
pub mod procurement;
pub mod shell;
pub mod types;

pub use shell::{shell, App};
