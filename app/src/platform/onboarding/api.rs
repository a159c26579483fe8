//! Server functions of a new tenant's first days: thin wrappers over the service.
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/sfn", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::platform::onboarding::resend_verification(tx, ctx))
    })
    .await
}
