//! The server function of the invoice page's "Supplier's document" panel, thin over finance's
//! service as REST is.
use crate::error::AppError;
use crate::platform::files::Attachment;
use leptos::prelude::*;
use uuid::Uuid;

/// The files of a supplier invoice, oldest first.
#[server(prefix = "/sfn", endpoint = "list_invoice_files", input = server_fn::codec::GetUrl)]
pub async fn list_invoice_files(id: Uuid) -> Result<Vec<Attachment>, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::invoice_files::list(tx, ctx, id))
    })
    .await
}
