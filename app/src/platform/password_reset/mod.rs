//! A way back in after a forgotten password, and an invited user's first password: a single-use
//! link by e-mail to a page where the user chooses a password. Asking for a link answers the same
//! whether or not the account exists.
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;

/// A valid link, as its page shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ResetLink {
    /// An invitation's link (the first password) rather than a reset's.
    pub invite: bool,
    pub username: String,
}

/// A password chosen through a link: where to sign in with it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ResetDone {
    /// The company code.
    pub tenant: String,
    pub username: String,
}
