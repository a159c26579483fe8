//! Server functions of a new tenant's first days: thin wrappers over the service.
use crate::error::AppError;
use leptos::prelude::*;

/// Days left to verify the tenant's address, or `None` once verified.
#[server(prefix = "/sfn", endpoint = "tenant_verification", input = server_fn::codec::GetUrl)]
pub async fn tenant_verification() -> Result<Option<i64>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::platform::onboarding::verification_days_left(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::platform::onboarding::resend_verification(tx, ctx))
    })
    .await
}
