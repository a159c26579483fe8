//! Server functions of the inventory screens: thin wrappers over the services, as REST is.
use crate::error::AppError;
use crate::inventory::model::{SearchRow, Suggestion};
use crate::inventory::receipts::{Receipt, Receivable, ReceiveInput};
use crate::inventory::stock::UidTrace;
use crate::procurement::model::Page;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/sfn", endpoint = "search_items", input = server_fn::codec::GetUrl)]
pub async fn search_items(
    q: Option<String>,
    in_stock: bool,
    page: u32,
) -> Result<Page<SearchRow>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    let filter = crate::inventory::model::SearchFilter {
        q,
        in_stock,
        page,
        per_page: 20,
        ..Default::default()
    };
    crate::platform::context::respond(
        crate::inventory::service::search(&app_state()?, &request_ctx()?, filter).await,
    )
}

#[server(prefix = "/sfn", endpoint = "suggest_items", input = server_fn::codec::GetUrl)]
pub async fn suggest_items(q: String) -> Result<Vec<Suggestion>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::service::suggest(&app_state()?, &request_ctx()?, &q).await,
    )
}

#[server(prefix = "/sfn", endpoint = "receivable_orders", input = server_fn::codec::GetUrl)]
pub async fn receivable_orders() -> Result<Vec<Receivable>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::receipts::receivable(&app_state()?, &request_ctx()?).await,
    )
}

#[server(prefix = "/sfn", endpoint = "receive_goods", input = server_fn::codec::Json)]
pub async fn receive_goods(input: ReceiveInput) -> Result<Receipt, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::receipts::service::receive(&app_state()?, &request_ctx()?, input).await,
    )
}

#[server(prefix = "/sfn", endpoint = "get_receipt", input = server_fn::codec::GetUrl)]
pub async fn get_receipt(id: Uuid) -> Result<Receipt, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::receipts::service::get(&app_state()?, &request_ctx()?, id).await,
    )
}

#[server(prefix = "/sfn", endpoint = "accept_receipt")]
pub async fn accept_receipt(id: Uuid) -> Result<Receipt, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::receipts::service::accept(&app_state()?, &request_ctx()?, id).await,
    )
}

#[server(prefix = "/sfn", endpoint = "trace_uid", input = server_fn::codec::GetUrl)]
pub async fn trace_uid(uid: String) -> Result<UidTrace, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::stock::service::trace(&app_state()?, &request_ctx()?, &uid).await,
    )
}

#[server(prefix = "/sfn", endpoint = "item_prefill", input = server_fn::codec::GetUrl)]
pub async fn item_prefill(id: Uuid) -> Result<crate::inventory::model::ItemPrefill, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::service::prefill(&app_state()?, &request_ctx()?, id).await,
    )
}
