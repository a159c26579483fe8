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
    let status = crate::platform::context::respond(Status::filter(status.as_deref()))?;
    let filter = RequisitionFilter {
        status,
        mine,
        q,
        from: None,
        to: None,
        page,
        per_page: crate::platform::paging::DEFAULT_PER_PAGE,
    };
    crate::platform::context::respond(
        crate::procurement::service::list(&app_state()?, &request_ctx()?, filter).await,
    )
}

#[server(prefix = "/sfn", endpoint = "get_requisition", input = server_fn::codec::GetUrl)]
pub async fn get_requisition(id: Uuid) -> Result<Requisition, AppError> {
    crate::platform::tx::serve_planned(|tx, _, ctx| {
        Box::pin(crate::procurement::service::get(tx, ctx, id.into()))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_requisition", input = server_fn::codec::Json)]
pub async fn save_requisition(
    id: Option<Uuid>,
    input: RequisitionInput,
) -> Result<Requisition, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    match id {
        // one statement of its own (see `service::create`)
        None => crate::platform::context::respond(
            crate::procurement::service::create(&app_state()?, &request_ctx()?, input).await,
        ),
        Some(id) => {
            crate::platform::tx::serve_planned(|tx, _, ctx| {
                Box::pin(crate::procurement::service::update(
                    tx,
                    ctx,
                    id.into(),
                    input,
                ))
            })
            .await
        }
    }
}

#[server(prefix = "/sfn", endpoint = "submit_requisition")]
pub async fn submit_requisition(id: Uuid) -> Result<Requisition, AppError> {
    crate::platform::tx::serve_announced(crate::procurement::service::REQUISITIONS, |tx, _, ctx| {
        Box::pin(crate::procurement::service::submit(tx, ctx, id.into()))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "cancel_requisition")]
pub async fn cancel_requisition(id: Uuid) -> Result<Requisition, AppError> {
    crate::platform::tx::serve_planned(|tx, _, ctx| {
        Box::pin(crate::procurement::service::cancel(
            tx,
            ctx,
            id.into(),
            None,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "decide_requisition")]
pub async fn decide_requisition(
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> Result<Requisition, AppError> {
    crate::platform::tx::serve_announced(crate::procurement::service::REQUISITIONS, |tx, _, ctx| {
        Box::pin(crate::procurement::service::decide(
            tx,
            ctx,
            id.into(),
            action,
            comment,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "supplier_choices", input = server_fn::codec::GetUrl)]
pub async fn supplier_choices() -> Result<Vec<Supplier>, AppError> {
    let page = crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::list_suppliers(
            tx,
            ctx,
            None,
            Some(true),
            1,
            100,
        ))
    })
    .await?;
    Ok(page.rows)
}

#[server(prefix = "/sfn", endpoint = "project_choices", input = server_fn::codec::GetUrl)]
pub async fn project_choices() -> Result<Vec<(Uuid, String)>, AppError> {
    Ok(crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::list_projects(tx, ctx))
    })
    .await?
    .into_iter()
    .map(|p| (p.id, format!("{} — {}", p.code, p.name)))
    .collect())
}

// ---- purchase orders ----

use crate::procurement::model::orders::{GenerateInput, OrderableLine, PoRow, PurchaseOrder};

#[server(prefix = "/sfn", endpoint = "list_orders", input = server_fn::codec::GetUrl)]
pub async fn list_orders(
    status: Option<String>,
    q: Option<String>,
    page: u32,
) -> Result<Page<PoRow>, AppError> {
    use crate::procurement::model::orders::{PoFilter, PoStatus};
    let status = crate::platform::context::respond(PoStatus::filter(status.as_deref()))?;
    let filter = PoFilter {
        status,
        supplier_id: None,
        q,
        page,
        per_page: crate::platform::paging::DEFAULT_PER_PAGE,
    };
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::orders::list(tx, ctx, filter))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "get_order", input = server_fn::codec::GetUrl)]
pub async fn get_order(id: Uuid) -> Result<PurchaseOrder, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::orders::get(tx, ctx, id.into()))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "orderable_lines", input = server_fn::codec::GetUrl)]
pub async fn orderable_lines() -> Result<Vec<OrderableLine>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::orders::orderable_lines(
            tx, ctx,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "generate_orders", input = server_fn::codec::Json)]
pub async fn generate_orders(input: GenerateInput) -> Result<Vec<PurchaseOrder>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::orders::generate(
            tx, ctx, input,
        ))
    })
    .await
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
    use crate::procurement::model::orders::PoStatus;
    use crate::procurement::service::orders as s;
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            match op {
                OrderOp::Approve(c) => s::decide(tx, ctx, id.into(), Action::Approve, c).await,
                OrderOp::Reject(c) => s::decide(tx, ctx, id.into(), Action::Reject, c).await,
                OrderOp::Send => s::send(tx, ctx, id.into()).await,
                OrderOp::Cancel(c) => {
                    s::set_status(tx, ctx, id.into(), PoStatus::Cancelled, c).await
                }
                OrderOp::Close(c) => s::set_status(tx, ctx, id.into(), PoStatus::Closed, c).await,
            }
        })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "dashboard", input = server_fn::codec::GetUrl)]
pub async fn get_dashboard() -> Result<crate::procurement::model::dashboard::Dashboard, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::dashboard::dashboard(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "list_attachments", input = server_fn::codec::GetUrl)]
pub async fn list_attachments(
    id: Uuid,
) -> Result<Vec<crate::platform::files::Attachment>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::attachments::list(tx, ctx, id))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "list_suppliers", input = server_fn::codec::GetUrl)]
pub async fn list_suppliers(
    q: Option<String>,
    active: Option<bool>,
    page: u32,
) -> Result<Page<Supplier>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::list_suppliers(
            tx, ctx, q, active, page, 20,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "get_supplier", input = server_fn::codec::GetUrl)]
pub async fn get_supplier(id: Uuid) -> Result<Supplier, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::get_supplier(
            tx,
            ctx,
            id.into(),
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_supplier", input = server_fn::codec::Json)]
pub async fn save_supplier(
    id: Option<Uuid>,
    input: crate::procurement::model::SupplierInput,
) -> Result<Supplier, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::save_supplier(
            tx, ctx, id, input,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "list_all_projects", input = server_fn::codec::GetUrl)]
pub async fn list_all_projects(
) -> Result<Vec<crate::procurement::model::masters::Project>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::masters::list_projects(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_project", input = server_fn::codec::Json)]
pub async fn save_project(
    id: Option<Uuid>,
    input: crate::procurement::model::masters::ProjectInput,
) -> Result<crate::procurement::model::masters::Project, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::masters::save_project(
            tx, ctx, id, input,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "list_plants", input = server_fn::codec::GetUrl)]
pub async fn list_plants() -> Result<Vec<crate::procurement::model::masters::Choice>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::procurement::service::masters::list_plants(tx, ctx))
    })
    .await
}
