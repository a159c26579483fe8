//! Server functions of procurement: thin wrappers over the service, as the REST handlers are.
use crate::approvals::model::Action;
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

// ---- purchase orders ----

use crate::procurement::orders::{GenerateInput, OrderableLine, PoRow, PurchaseOrder};

#[server(prefix = "/sfn", endpoint = "list_orders", input = server_fn::codec::GetUrl)]
pub async fn list_orders(
    status: Option<String>,
    q: Option<String>,
    page: u32,
) -> Result<Page<PoRow>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    use crate::procurement::orders::{PoFilter, PoStatus};
    let filter = PoFilter {
        status: status.as_deref().and_then(PoStatus::parse),
        supplier_id: None,
        q,
        page,
        per_page: 20,
    };
    crate::platform::context::respond(
        crate::procurement::orders_service::list(&app_state()?, &request_ctx()?, filter).await,
    )
}

#[server(prefix = "/sfn", endpoint = "get_order", input = server_fn::codec::GetUrl)]
pub async fn get_order(id: Uuid) -> Result<PurchaseOrder, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::orders_service::get(&app_state()?, &request_ctx()?, id).await,
    )
}

#[server(prefix = "/sfn", endpoint = "orderable_lines", input = server_fn::codec::GetUrl)]
pub async fn orderable_lines() -> Result<Vec<OrderableLine>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::orders_service::orderable_lines(&app_state()?, &request_ctx()?).await,
    )
}

#[server(prefix = "/sfn", endpoint = "generate_orders", input = server_fn::codec::Json)]
pub async fn generate_orders(input: GenerateInput) -> Result<Vec<PurchaseOrder>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::orders_service::generate(&app_state()?, &request_ctx()?, input).await,
    )
}

/// What a user does to an order from its page.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum OrderOp {
    Approve(Option<String>),
    Reject(Option<String>),
    Send,
    Cancel(Option<String>),
    Close(Option<String>),
}

#[server(prefix = "/sfn", endpoint = "act_on_order", input = server_fn::codec::Json)]
pub async fn act_on_order(id: Uuid, op: OrderOp) -> Result<PurchaseOrder, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    use crate::procurement::orders::PoStatus;
    use crate::procurement::orders_service as s;
    let (state, ctx) = (app_state()?, request_ctx()?);
    crate::platform::context::respond(match op {
        OrderOp::Approve(c) => s::decide(&state, &ctx, id, Action::Approve, c).await,
        OrderOp::Reject(c) => s::decide(&state, &ctx, id, Action::Reject, c).await,
        OrderOp::Send => s::send(&state, &ctx, id).await,
        OrderOp::Cancel(c) => s::set_status(&state, &ctx, id, PoStatus::Cancelled, c).await,
        OrderOp::Close(c) => s::set_status(&state, &ctx, id, PoStatus::Closed, c).await,
    })
}

#[server(prefix = "/sfn", endpoint = "dashboard", input = server_fn::codec::GetUrl)]
pub async fn get_dashboard() -> Result<crate::procurement::dashboard::Dashboard, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::dashboard::service::dashboard(&app_state()?, &request_ctx()?).await,
    )
}

#[server(prefix = "/sfn", endpoint = "list_attachments", input = server_fn::codec::GetUrl)]
pub async fn list_attachments(
    id: Uuid,
) -> Result<Vec<crate::platform::files::Attachment>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::attachments::service::list(&app_state()?, &request_ctx()?, id).await,
    )
}

#[server(prefix = "/sfn", endpoint = "list_suppliers", input = server_fn::codec::GetUrl)]
pub async fn list_suppliers(
    q: Option<String>,
    active: Option<bool>,
    page: u32,
) -> Result<Page<Supplier>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::list_suppliers(
            &app_state()?,
            &request_ctx()?,
            q,
            active,
            page,
            20,
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "get_supplier", input = server_fn::codec::GetUrl)]
pub async fn get_supplier(id: Uuid) -> Result<Supplier, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::get_supplier(&app_state()?, &request_ctx()?, id).await,
    )
}

#[server(prefix = "/sfn", endpoint = "save_supplier", input = server_fn::codec::Json)]
pub async fn save_supplier(
    id: Option<Uuid>,
    input: crate::procurement::model::SupplierInput,
) -> Result<Supplier, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::service::save_supplier(&app_state()?, &request_ctx()?, id, input).await,
    )
}

#[server(prefix = "/sfn", endpoint = "list_all_projects", input = server_fn::codec::GetUrl)]
pub async fn list_all_projects() -> Result<Vec<crate::procurement::masters::Project>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::masters::service::list_projects(&app_state()?, &request_ctx()?).await,
    )
}

#[server(prefix = "/sfn", endpoint = "save_project", input = server_fn::codec::Json)]
pub async fn save_project(
    id: Option<Uuid>,
    input: crate::procurement::masters::ProjectInput,
) -> Result<crate::procurement::masters::Project, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::masters::service::save_project(
            &app_state()?,
            &request_ctx()?,
            id,
            input,
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "list_plants", input = server_fn::codec::GetUrl)]
pub async fn list_plants() -> Result<Vec<crate::procurement::masters::Choice>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::masters::service::list_plants(&app_state()?, &request_ctx()?).await,
    )
}

/// The delegations page in one call: current delegations and whom one may delegate to.
#[server(prefix = "/sfn", endpoint = "delegations_page", input = server_fn::codec::GetUrl)]
pub async fn delegations_page() -> Result<
    (
        Vec<crate::procurement::masters::Delegation>,
        Vec<crate::procurement::masters::Choice>,
    ),
    AppError,
> {
    use crate::platform::context::{app_state, request_ctx};
    use crate::procurement::masters::service;
    let (state, ctx) = (app_state()?, request_ctx()?);
    let result = async {
        Ok((
            service::list_delegations(&state, &ctx).await?,
            service::delegate_candidates(&state, &ctx).await?,
        ))
    }
    .await;
    crate::platform::context::respond(result)
}

#[server(prefix = "/sfn", endpoint = "create_delegation", input = server_fn::codec::Json)]
pub async fn create_delegation(
    input: crate::procurement::masters::DelegationInput,
) -> Result<crate::procurement::masters::Delegation, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::masters::service::create_delegation(
            &app_state()?,
            &request_ctx()?,
            input,
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "revoke_delegation")]
pub async fn revoke_delegation(id: Uuid) -> Result<(), AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::procurement::masters::service::revoke_delegation(&app_state()?, &request_ctx()?, id)
            .await,
    )
}
