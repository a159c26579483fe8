//! Server functions of the approval rules admin page: thin wrappers over the rules service.
use crate::approvals::rules::Rule;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/sfn", endpoint = "list_rules", input = server_fn::codec::GetUrl)]
pub async fn list_rules(doc_type: String) -> Result<Vec<Rule>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::approvals::rules::service::list(&app_state()?, &request_ctx()?, &doc_type).await,
    )
}

#[server(prefix = "/sfn", endpoint = "save_rule", input = server_fn::codec::Json)]
pub async fn save_rule(rule: Rule) -> Result<Rule, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::approvals::rules::service::save(&app_state()?, &request_ctx()?, rule).await,
    )
}

#[server(prefix = "/sfn", endpoint = "doc_kinds", input = server_fn::codec::GetUrl)]
pub async fn doc_kinds() -> Result<Vec<crate::approvals::model::DocKindInfo>, AppError> {
    use crate::platform::context::request_ctx;
    crate::platform::context::respond(crate::approvals::service::kinds(&request_ctx()?))
}

#[server(prefix = "/sfn", endpoint = "pending_approvals", input = server_fn::codec::GetUrl)]
pub async fn pending_approvals() -> Result<Vec<crate::approvals::model::PendingApproval>, AppError>
{
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::approvals::service::pending(&app_state()?, &request_ctx()?).await,
    )
}

#[server(prefix = "/sfn", endpoint = "decide_document")]
pub async fn decide_document(
    doc_type: String,
    id: uuid::Uuid,
    action: crate::approvals::model::Action,
    comment: Option<String>,
) -> Result<(), AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::approvals::service::decide(
            &app_state()?,
            &request_ctx()?,
            &doc_type,
            id,
            action,
            comment,
        )
        .await,
    )
}
