//! Server functions of the inventory screens: thin wrappers over the services, as REST is.
use crate::error::AppError;
use crate::inventory::model::import::ImportJob;
use crate::inventory::model::receipts::{Receipt, Receivable, ReceiveInput};
use crate::inventory::model::stock::{
    AdjustInput, IssueInput, ItemDetail, MoveInput, ReverseInput, StockOptions, TransferInput,
    UidLabel, UidTrace,
};
use crate::inventory::model::SearchResult;
use crate::inventory::model::Suggestion;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/sfn", endpoint = "suggest_items", input = server_fn::codec::GetUrl)]
pub async fn suggest_items(q: String) -> Result<Vec<Suggestion>, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    crate::platform::context::respond(
        crate::inventory::service::suggest(&app_state()?, &request_ctx()?, &q).await,
    )
}

#[server(prefix = "/sfn", endpoint = "receivable_orders", input = server_fn::codec::GetUrl)]
pub async fn receivable_orders() -> Result<Vec<Receivable>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::receipts::receivable(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "receive_goods", input = server_fn::codec::Json)]
pub async fn receive_goods(input: ReceiveInput) -> Result<Receipt, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::receipts::receive(tx, ctx, input))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "get_receipt", input = server_fn::codec::GetUrl)]
pub async fn get_receipt(id: Uuid) -> Result<Receipt, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::receipts::get(tx, ctx, id.into()))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "accept_receipt")]
pub async fn accept_receipt(id: Uuid) -> Result<Receipt, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::receipts::accept(
            tx,
            ctx,
            id.into(),
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "trace_uid", input = server_fn::codec::GetUrl)]
pub async fn trace_uid(uid: String) -> Result<UidTrace, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move { crate::inventory::service::stock::trace(tx, ctx, &uid).await })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "item_prefill", input = server_fn::codec::GetUrl)]
pub async fn item_prefill(id: Uuid) -> Result<crate::inventory::model::ItemPrefill, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::prefill(tx, ctx, id.into()))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "search_page", input = server_fn::codec::GetUrl)]
pub async fn search_page(
    q: Option<String>,
    category_id: Option<Uuid>,
    plant: Option<String>,
    in_stock: bool,
    page: u32,
) -> Result<SearchResult, AppError> {
    use crate::platform::context::{app_state, request_ctx};
    let filter = crate::inventory::model::SearchFilter {
        q,
        category_id,
        plant,
        in_stock,
        page,
        per_page: crate::platform::paging::DEFAULT_PER_PAGE,
    };
    crate::platform::context::respond(
        crate::inventory::service::search(&app_state()?, &request_ctx()?, filter).await,
    )
}

#[server(prefix = "/sfn", endpoint = "item_detail", input = server_fn::codec::GetUrl)]
pub async fn load_item_detail(id: Uuid) -> Result<ItemDetail, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::stock::item_detail(tx, ctx, id))
    })
    .await
}

/// The item page's material type control (inventory:manage).
#[server(prefix = "/sfn", endpoint = "item_material_type")]
pub async fn save_material_type(
    id: Uuid,
    material_type: String,
) -> Result<crate::inventory::model::Item, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::set_material_type(
            tx,
            ctx,
            id.into(),
            material_type,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "stock_options", input = server_fn::codec::GetUrl)]
pub async fn load_stock_options() -> Result<StockOptions, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::stock::options(tx, ctx))
    })
    .await
}

/// What the item page's stock form does.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum StockAction {
    Issue(IssueInput),
    Move(Uuid, MoveInput),
    Transfer(TransferInput),
    Adjust(AdjustInput),
    Reverse(Uuid, ReverseInput),
}

#[server(prefix = "/sfn", endpoint = "stock_action", input = server_fn::codec::Json)]
pub async fn run_stock_action(action: StockAction) -> Result<(), AppError> {
    use crate::inventory::service::stock as s;
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            match action {
                StockAction::Issue(i) => s::issue(tx, ctx, i).await.map(|_| ()),
                StockAction::Move(item, i) => s::move_stock(tx, ctx, item, i).await.map(|_| ()),
                StockAction::Transfer(i) => s::transfer(tx, ctx, i).await.map(|_| ()),
                StockAction::Adjust(i) => s::adjust(tx, ctx, i).await.map(|_| ()),
                StockAction::Reverse(id, i) => s::reverse(tx, ctx, id, i).await.map(|_| ()),
            }
        })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "uid_labels", input = server_fn::codec::GetUrl)]
pub async fn uid_labels(
    receipt: Option<Uuid>,
    item: Option<Uuid>,
    uid: Option<String>,
) -> Result<Vec<UidLabel>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::stock::labels::labels(
            tx, ctx, receipt, item, uid,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "import_job", input = server_fn::codec::GetUrl)]
pub async fn load_import_job(id: Uuid) -> Result<ImportJob, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::import::get(tx, ctx, id))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "recent_imports", input = server_fn::codec::GetUrl)]
pub async fn recent_imports() -> Result<Vec<ImportJob>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::import::recent(tx, ctx))
    })
    .await
}

/// The item editor's choices: categories, units in use, whether GST applies (inventory:manage).
#[server(prefix = "/sfn", endpoint = "item_editor_options", input = server_fn::codec::GetUrl)]
pub async fn item_editor_options() -> Result<crate::inventory::model::ItemEditorOptions, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::editor_options(tx, ctx))
    })
    .await
}

/// An item as the editor loads it: every translation, in the caller's language otherwise.
#[server(prefix = "/sfn", endpoint = "item_for_edit", input = server_fn::codec::GetUrl)]
pub async fn item_for_edit(id: Uuid) -> Result<crate::inventory::model::Item, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::get_item(tx, ctx, id.into()))
    })
    .await
}

/// Creates (`id` None) or replaces an item: the same service as `POST`/`PUT /api/v1/items`.
#[server(prefix = "/sfn", endpoint = "save_item", input = server_fn::codec::Json)]
pub async fn save_item_form(
    id: Option<Uuid>,
    input: crate::inventory::model::ItemInput,
) -> Result<crate::inventory::model::Item, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::save_item(tx, ctx, id, input))
    })
    .await
}
