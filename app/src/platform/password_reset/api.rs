//! Server functions of the password reset page (public: the visitor is not signed in).
use super::ResetLink;
use crate::error::AppError;
use leptos::prelude::*;

/// What the link's token opens: `None` when it is unknown, used or expired.
#[server(prefix = "/sfn", endpoint = "reset_link", input = server_fn::codec::GetUrl)]
pub async fn reset_link_status(token: String) -> Result<Option<ResetLink>, AppError> {
    let state = crate::platform::context::app_state()?;
    crate::platform::context::respond(super::link(&state.pool, &token).await)
}
