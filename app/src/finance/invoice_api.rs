//! Server functions of the supplier-invoice screens, thin over finance's services as REST is
//! (the shapes they answer with are in [`crate::finance::billable`]).
use crate::error::AppError;
use crate::finance::billable::{Billable, InvoiceDetail, InvoiceFormFacts};
use crate::finance::invoice::{InvoiceInput, SupplierInvoice};
use crate::platform::paging::Page;
use leptos::prelude::*;
use uuid::Uuid;

/// A page of supplier invoices, newest first.
#[server(prefix = "/sfn", endpoint = "list_supplier_invoices", input = server_fn::codec::GetUrl)]
pub async fn list_supplier_invoices(
    status: Option<String>,
    match_status: Option<String>,
    supplier_id: Option<Uuid>,
    page: u32,
) -> Result<Page<SupplierInvoice>, AppError> {
    let f = crate::finance::invoice::InvoiceFilter {
        status,
        match_status,
        supplier_id,
        page,
        per_page: crate::platform::paging::DEFAULT_PER_PAGE,
    };
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::invoices::list(tx, ctx, f))
    })
    .await
}

/// The entry form's facts: the currency, India or not, today, the active suppliers.
#[server(prefix = "/sfn", endpoint = "invoice_form_facts", input = server_fn::codec::GetUrl)]
pub async fn get_invoice_form_facts() -> Result<InvoiceFormFacts, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::finance::service::billable::form_facts(tx, ctx))
    })
    .await
}

/// What of a supplier's orders is left to bill (and one order's lines).
#[server(prefix = "/sfn", endpoint = "billable_for_supplier", input = server_fn::codec::GetUrl)]
pub async fn billable_for_supplier(
    supplier_id: Uuid,
    purchase_order_id: Option<Uuid>,
) -> Result<Billable, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::billable::billable(
            tx,
            ctx,
            supplier_id,
            purchase_order_id,
        ))
    })
    .await
}

/// Enters an invoice as a draft and, with `submit`, submits it in the same transaction (both
/// or neither).
#[server(prefix = "/sfn", endpoint = "create_supplier_invoice", input = server_fn::codec::Json)]
pub async fn create_supplier_invoice(
    input: InvoiceInput,
    submit: bool,
) -> Result<SupplierInvoice, AppError> {
    crate::platform::tx::serve_planned(move |tx, _, ctx| {
        Box::pin(async move {
            use crate::finance::service::invoices as service;
            let inv = service::create(tx, ctx, input).await?;
            if submit {
                service::submit(tx, ctx, inv.id).await
            } else {
                Ok(inv)
            }
        })
    })
    .await
}

/// An invoice with what its page shows around it.
#[server(prefix = "/sfn", endpoint = "supplier_invoice_detail", input = server_fn::codec::GetUrl)]
pub async fn supplier_invoice_detail(id: Uuid) -> Result<InvoiceDetail, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::billable::detail(tx, ctx, id))
    })
    .await
}

/// An action on an invoice: submit, hold, release, cancel, approve or reject (with a comment).
#[server(prefix = "/sfn", endpoint = "supplier_invoice_action", input = server_fn::codec::Json)]
pub async fn supplier_invoice_action(
    id: Uuid,
    action: String,
    comment: Option<String>,
) -> Result<SupplierInvoice, AppError> {
    // keyed reads and writes: planned once per connection, as REST does
    crate::platform::tx::serve_planned(move |tx, _, ctx| {
        Box::pin(async move {
            use crate::approvals::model::Action;
            use crate::finance::service::invoices as service;
            match action.as_str() {
                "submit" => service::submit(tx, ctx, id).await,
                "hold" => service::set_state(tx, ctx, id, "on_hold").await,
                "release" => service::set_state(tx, ctx, id, "released").await,
                "cancel" => service::set_state(tx, ctx, id, "cancelled").await,
                "approve" => service::decide(tx, ctx, id, Action::Approve, comment).await,
                "reject" => service::decide(tx, ctx, id, Action::Reject, comment).await,
                _ => Err(AppError::InvalidState),
            }
        })
    })
    .await
}
