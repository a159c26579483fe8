//! Server functions of "Where you're signed in": thin wrappers over the service.
use super::SessionView;
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

/// The caller's signed-in sessions.
#[server(prefix = "/sfn", endpoint = "list_sessions", input = server_fn::codec::GetUrl)]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    let current = crate::platform::context::request_session()
        .ok()
        .and_then(|s| s.id());
    crate::platform::tx::serve(move |tx, state, ctx| Box::pin(super::list(tx, state, ctx, current)))
        .await
}

/// Ends one of the caller's other sessions.
#[server(prefix = "/sfn", endpoint = "end_session")]
pub async fn end_session(id: Uuid) -> Result<(), AppError> {
    let current = crate::platform::context::request_session()
        .ok()
        .and_then(|s| s.id());
    crate::platform::tx::serve(move |tx, state, ctx| {
        Box::pin(super::end_one(tx, state, ctx, id, current))
    })
    .await
}
