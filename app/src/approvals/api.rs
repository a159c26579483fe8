//! Server functions of the approval rules admin page: thin wrappers over the rules service.
use crate::approvals::model::Rule;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/sfn", endpoint = "list_rules", input = server_fn::codec::GetUrl)]
pub async fn list_rules(doc_type: String) -> Result<Vec<Rule>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move { crate::approvals::service::rules::list(tx, ctx, &doc_type).await })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_rule", input = server_fn::codec::Json)]
pub async fn save_rule(rule: Rule) -> Result<Rule, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::approvals::service::rules::save(tx, ctx, rule))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "doc_kinds", input = server_fn::codec::GetUrl)]
pub async fn doc_kinds() -> Result<Vec<crate::approvals::model::DocKindInfo>, AppError> {
    use crate::platform::context::request_ctx;
    crate::platform::context::respond(crate::approvals::service::kinds(&request_ctx()?))
}

#[server(prefix = "/sfn", endpoint = "pending_approvals", input = server_fn::codec::GetUrl)]
pub async fn pending_approvals() -> Result<Vec<crate::approvals::model::PendingApproval>, AppError>
{
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(crate::approvals::service::pending(tx, ctx)))
        .await
}

#[server(prefix = "/sfn", endpoint = "decide_document")]
pub async fn decide_document(
    doc_type: String,
    id: uuid::Uuid,
    action: crate::approvals::model::Action,
    comment: Option<String>,
) -> Result<(), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            crate::approvals::service::decide(tx, ctx, &doc_type, id, action, comment).await
        })
    })
    .await
}

/// The delegations page in one call: current delegations and whom one may delegate to.
#[server(prefix = "/sfn", endpoint = "delegations_page", input = server_fn::codec::GetUrl)]
pub async fn delegations_page() -> Result<
    (
        Vec<crate::approvals::model::Delegation>,
        Vec<crate::platform::model::Choice>,
    ),
    AppError,
> {
    use crate::approvals::service::delegations as service;
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            Ok((
                service::list_delegations(tx, ctx).await?,
                service::delegate_candidates(tx, ctx).await?,
            ))
        })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "create_delegation", input = server_fn::codec::Json)]
pub async fn create_delegation(
    input: crate::approvals::model::DelegationInput,
) -> Result<crate::approvals::model::Delegation, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::approvals::service::delegations::create_delegation(
            tx, ctx, input,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "revoke_delegation")]
pub async fn revoke_delegation(id: uuid::Uuid) -> Result<(), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::approvals::service::delegations::revoke_delegation(
            tx, ctx, id,
        ))
    })
    .await
}
