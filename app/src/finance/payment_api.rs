//! Server functions of the payment screens (payments, payment runs, the accountant's home): thin
//! wrappers over finance's services, as REST is; and the shapes the run review and the home add.
use crate::error::AppError;
use crate::finance::invoice::SupplierInvoice;
use crate::finance::model::Account;
use crate::finance::model::GrniRow;
use crate::finance::payment::{Payment, PaymentInput, PaymentRun, PaymentRunInput};
use crate::platform::paging::Page;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A payment run in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunListItem {
    pub id: Uuid,
    /// RUN-2026-000001
    pub number: String,
    pub due_by: NaiveDate,
    pub payment_date: NaiveDate,
    /// proposed or approved
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// How many invoices it pays, of how many suppliers
    pub invoices: i64,
    pub suppliers: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    pub currency: String,
}

/// What a proposed run pays of one invoice: part of what is still due, or 0 to drop it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunLineInput {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
}

/// How many documents, for how much.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figure {
    pub count: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
}

/// The payables' figures of the accountant's home.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Payables {
    /// Invoices entered, not yet submitted (their totals)
    pub drafts: Figure,
    /// Invoices waiting for approval (their totals)
    pub pending_approval: Figure,
    /// Exceptions of the three-way match not yet posted (draft or waiting for approval)
    pub exceptions: Figure,
    /// Still owed on invoices due from today to `week_end` (held ones too)
    pub due_this_week: Figure,
    /// Still owed on invoices past their due date (held ones too): the AP ageing's overdue buckets
    pub overdue: Figure,
    /// Payments dated from `month_from` to today
    pub paid_this_month: Figure,
}

/// The accountant's home in one answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FinanceSummary {
    /// Today in the company's time zone
    pub today: NaiveDate,
    /// Six days after today: "due this week" ends here
    pub week_end: NaiveDate,
    /// The first day of this month
    pub month_from: NaiveDate,
    pub currency: String,
    /// Only for those who enter or pay supplier invoices (absent for readers of reports)
    pub payables: Option<Payables>,
    /// Goods received not invoiced: the GRNI report's total (the account's balance)
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub grni_total: Decimal,
    /// The GRNI report's oldest lines (at most five), oldest first
    pub grni_oldest: Vec<GrniRow>,
}

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

/// What the payment form offers: the invoices with something still to pay (posted or partly
/// paid; at most 100 of each), by supplier and due date, and the chart's bank accounts.
#[server(prefix = "/sfn", endpoint = "payment_form", input = server_fn::codec::GetUrl)]
pub async fn payment_form() -> Result<(Vec<SupplierInvoice>, Vec<Account>), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            let mut open = Vec::new();
            for status in ["posted", "partially_paid"] {
                let page = crate::finance::service::invoices::list(
                    tx,
                    ctx,
                    crate::finance::invoice::InvoiceFilter {
                        status: Some(status.to_string()),
                        supplier_id: None,
                        page: 1,
                        per_page: 100,
                    },
                )
                .await?;
                open.extend(page.rows);
            }
            open.sort_by(|a, b| {
                (a.supplier.as_str(), a.due_date, a.number.as_str()).cmp(&(
                    b.supplier.as_str(),
                    b.due_date,
                    b.number.as_str(),
                ))
            });
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
