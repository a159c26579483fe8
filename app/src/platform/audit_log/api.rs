//! Server functions of the audit page: thin wrappers over the service, as the REST handler is.
use super::{AuditFilter, AuditOptions, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/sfn", endpoint = "list_audit_entries", input = server_fn::codec::GetUrl)]
pub async fn list_audit_entries(filter: AuditFilter, page: u32) -> Result<AuditPage, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(super::list(
            tx,
            ctx,
            filter,
            page,
            crate::platform::paging::DEFAULT_PER_PAGE,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "get_audit_options", input = server_fn::codec::GetUrl)]
pub async fn get_audit_options() -> Result<AuditOptions, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::options(tx, ctx))).await
}
