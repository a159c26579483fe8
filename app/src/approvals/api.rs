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
