//! Platform: tenants, users, roles and permissions, sessions, API tokens, languages and the audit trail.
//! Every other slice authenticates and authorises through this one.
pub mod api;
pub mod files;
pub mod model;
pub mod navigation;
pub mod notifications;
pub mod onboarding;
pub mod paging;
pub mod permission;
pub mod secret;
pub mod totp;
pub mod ui;
pub mod users;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod numbering;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod two_factor;
#[cfg(feature = "ssr")]
pub mod tx;
