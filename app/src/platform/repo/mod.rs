//! SQL of the platform: one statement per helper, run on the caller's tenant transaction (a few
//! on the pool, outside any tenant's), by seam. The `BEGIN` of a tenant transaction stays in
//! [`crate::platform::db`], which is that machinery.
pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod documents;
pub(crate) mod files;
pub(crate) mod notifications;
pub(crate) mod outbox;
pub(crate) mod resets;
pub(crate) mod sessions;
pub(crate) mod settings;
pub(crate) mod tenants;
pub(crate) mod totp;
pub(crate) mod users;
