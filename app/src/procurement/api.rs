//! Server functions of procurement: thin wrappers over the service, as the REST handlers are.
use crate::approvals::model::{Action, PendingApproval};
use crate::error::AppError;
use crate::procurement::model::{Page, Requisition, RequisitionInput, RequisitionRow, Supplier};
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/sfn", endpoint = "list_requisitions", input = server_fn::codec::GetUrl)]
pub async fn list_requisitions(
    status: Option<String>,
    mine: bool,
    q: Option<String>,
    page: u32,
) -> Result<Page<RequisitionRow>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    use crate::procurement::model::{RequisitionFilter, Status};
    let status = status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(Status::parse);
    let filter = RequisitionFilter {
        status,
        mine,
        q,
        from: None,
        to: None,
        page,
        per_page: 20,
    };
    crate::platform::context::respond(
        crate::procurement::service::list(&app_state()?, &request_ctx()?, filter).await,
    )
}

#[server(prefix = "/sfn", endpoint = "get_requisition", input = server_fn::codec::GetUrl)]
pub async fn get_requisition(id: Uuid) -> Result<Requisition, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::get(&app_state()?, &request_ctx()?, id).await,
    )
}

#[server(prefix = "/sfn", endpoint = "save_requisition", input = server_fn::codec::Json)]
pub async fn save_requisition(
    id: Option<Uuid>,
    input: RequisitionInput,
) -> Result<Requisition, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    let (state, ctx) = (app_state()?, request_ctx()?);
    crate::platform::context::respond(match id {
        None => crate::procurement::service::create(&state, &ctx, input).await,
        Some(id) => crate::procurement::service::update(&state, &ctx, id, input).await,
    })
}

#[server(prefix = "/sfn", endpoint = "submit_requisition")]
pub async fn submit_requisition(id: Uuid) -> Result<Requisition, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::submit(&app_state()?, &request_ctx()?, id).await,
    )
}

#[server(prefix = "/sfn", endpoint = "cancel_requisition")]
pub async fn cancel_requisition(id: Uuid) -> Result<Requisition, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::cancel(&app_state()?, &request_ctx()?, id, None).await,
    )
}

#[server(prefix = "/sfn", endpoint = "decide_requisition")]
pub async fn decide_requisition(
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> Result<Requisition, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::decide(&app_state()?, &request_ctx()?, id, action, comment)
            .await,
    )
}

#[server(prefix = "/sfn", endpoint = "pending_approvals", input = server_fn::codec::GetUrl)]
pub async fn pending_approvals() -> Result<Vec<PendingApproval>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::pending_approvals(&app_state()?, &request_ctx()?).await,
    )
}

#[server(prefix = "/sfn", endpoint = "supplier_choices", input = server_fn::codec::GetUrl)]
pub async fn supplier_choices() -> Result<Vec<Supplier>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    Ok(crate::procurement::service::list_suppliers(
        &app_state()?,
        &request_ctx()?,
        None,
        Some(true),
        1,
        100,
    )
    .await?
    .rows)
}

#[server(prefix = "/sfn", endpoint = "project_choices", input = server_fn::codec::GetUrl)]
pub async fn project_choices() -> Result<Vec<(Uuid, String)>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    Ok(
        crate::procurement::service::list_projects(&app_state()?, &request_ctx()?)
            .await?
            .into_iter()
            .map(|p| (p.id, format!("{} — {}", p.code, p.name)))
            .collect(),
    )
}
