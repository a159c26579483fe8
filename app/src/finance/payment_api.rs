//! Server functions of the payment screens (payments, payment runs, the accountant's home): thin
//! wrappers over finance's services, as REST is (the shapes they add are in `pay_model`).
use crate::error::AppError;
use crate::finance::invoice::SupplierInvoice;
use crate::finance::model::Account;
use crate::finance::pay_model::SupplierOpen;
use crate::finance::payment::{Payment, PaymentInput, PaymentRun, PaymentRunInput};
use crate::platform::paging::Page;
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

pub use crate::finance::pay_model::{Figure, FinanceSummary, Payables, RunLineInput, RunListItem};

/// The accountant's home.
#[server(prefix = "/sfn", endpoint = "get_finance_summary", input = server_fn::codec::GetUrl)]
pub async fn get_finance_summary() -> Result<FinanceSummary, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::finance::service::home::summary(tx, ctx))
    })
    .await
}

/// A page of payments, newest first (of one supplier, dated from/to, each if given).
#[server(prefix = "/sfn", endpoint = "list_payments", input = server_fn::codec::GetUrl)]
pub async fn list_payments(
    supplier_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: u32,
) -> Result<Page<Payment>, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::payments::list(
            tx,
            ctx,
            supplier_id,
            (from, to),
            page,
            crate::platform::paging::DEFAULT_PER_PAGE,
        ))
    })
    .await
}

/// A payment.
#[server(prefix = "/sfn", endpoint = "create_payment", input = server_fn::codec::Json)]
pub async fn create_payment(input: PaymentInput) -> Result<Payment, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::payments::create(tx, ctx, input))
    })
    .await
}

/// What the payment forms offer: the suppliers with something still to pay (by name, however
/// many invoices are open) and the chart's bank accounts.
#[server(prefix = "/sfn", endpoint = "payment_form", input = server_fn::codec::GetUrl)]
pub async fn payment_form() -> Result<(Vec<SupplierOpen>, Vec<Account>), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            let open = crate::finance::service::payments::open_suppliers(tx, ctx).await?;
            let banks = crate::finance::service::chart::list(tx, ctx)
                .await?
                .into_iter()
                .filter(|a| {
                    a.control == Some(crate::finance::model::Control::Bank)
                        && a.active
                        && !a.is_group
                })
                .collect();
            Ok((open, banks))
        })
    })
    .await
}

/// Every invoice of one supplier with something still to pay, by due date: the payment form's
/// lines once a supplier is chosen.
#[server(prefix = "/sfn", endpoint = "supplier_open_invoices", input = server_fn::codec::GetUrl)]
pub async fn supplier_open_invoices(supplier_id: Uuid) -> Result<Vec<SupplierInvoice>, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::payments::open_invoices_of(
            tx,
            ctx,
            supplier_id,
        ))
    })
    .await
}

/// A page of payment runs, newest first.
#[server(prefix = "/sfn", endpoint = "list_payment_runs", input = server_fn::codec::GetUrl)]
pub async fn list_payment_runs(page: u32) -> Result<Page<RunListItem>, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::runs::list(
            tx,
            ctx,
            page,
            crate::platform::paging::DEFAULT_PER_PAGE,
        ))
    })
    .await
}

/// Proposes a payment run.
#[server(prefix = "/sfn", endpoint = "propose_payment_run", input = server_fn::codec::Json)]
pub async fn propose_payment_run(input: PaymentRunInput) -> Result<PaymentRun, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::runs::propose(tx, ctx, input))
    })
    .await
}

/// A payment run with its invoices by supplier.
#[server(prefix = "/sfn", endpoint = "get_payment_run", input = server_fn::codec::GetUrl)]
pub async fn get_payment_run(id: Uuid) -> Result<PaymentRun, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::runs::get(tx, ctx, id))
    })
    .await
}

/// Changes what a proposed run pays of an invoice (0 drops it).
#[server(prefix = "/sfn", endpoint = "set_payment_run_line", input = server_fn::codec::Json)]
pub async fn set_payment_run_line(
    id: Uuid,
    invoice_id: Uuid,
    input: RunLineInput,
) -> Result<PaymentRun, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::runs::set_line(
            tx, ctx, id, invoice_id, input,
        ))
    })
    .await
}

/// Approves a proposed run: the payments are made and the advices sent.
#[server(prefix = "/sfn", endpoint = "approve_payment_run", input = server_fn::codec::Json)]
pub async fn approve_payment_run(id: Uuid) -> Result<PaymentRun, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::runs::approve(tx, ctx, id))
    })
    .await
}
