//! Server functions of the supplier-invoice screens, thin over finance's services as REST is,
//! and the shapes only these screens (and `GET /api/v1/supplier-invoices/billable`) use: what
//! is left to bill of a supplier's orders, the entry form's facts and the detail page.
use crate::approvals::model::{HistoryEntry, RouteStep};
use crate::error::AppError;
use crate::finance::invoice::{InvoiceFilter, InvoiceInput, SupplierInvoice};
use crate::platform::paging::Page;
use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What of a supplier's orders is left to bill: the orders with something received and not
/// invoiced, and the lines of the order asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Billable {
    pub supplier_id: Uuid,
    /// The company's currency, which prices are in.
    pub currency: String,
    /// Orders (approved to closed) with at least one line received and not fully invoiced,
    /// newest first.
    pub orders: Vec<BillableOrder>,
    /// With `purchase_order_id`: that order's lines with something left to bill (received and
    /// not invoiced, or ordered and neither received nor invoiced yet, billed ahead of the
    /// goods), in line order; empty otherwise.
    pub lines: Vec<BillableLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BillableOrder {
    pub id: Uuid,
    pub number: String,
    /// approved, sent, partially_received, received or closed
    pub status: String,
    pub plant_code: Option<String>,
    /// How many of its lines have something received and not invoiced.
    pub open_lines: u32,
    /// Received and not invoiced, at the order's prices (before tax).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub open_amount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BillableLine {
    pub purchase_order_line_id: Uuid,
    pub purchase_order_id: Uuid,
    pub purchase_order: String,
    pub line_no: i32,
    pub item_id: Option<Uuid>,
    pub description: String,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub ordered: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub received: Decimal,
    /// Billed so far by invoices that are not cancelled (drafts included).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub invoiced: Decimal,
    /// Received less invoiced (never below zero): what the entry form proposes to bill.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub open: Decimal,
    /// The order's price per unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub unit_price: Decimal,
    /// The item's GST rate (percent), India only.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub tax_rate: Option<Decimal>,
    /// The item's HSN/SAC code, India only.
    pub hsn_sac: Option<String>,
}

/// A supplier the entry form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierOption {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub gstin: Option<String>,
}

/// What the entry form needs before anything is chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceFormFacts {
    pub currency: String,
    /// A company in India: GST by head and a place of supply.
    pub india: bool,
    /// The company's today: the invoice date's default.
    pub today: NaiveDate,
    pub suppliers: Vec<SupplierOption>,
}

/// A payment's share of one invoice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoicePayment {
    pub id: Uuid,
    pub number: String,
    pub date: NaiveDate,
    pub amount: Decimal,
}

/// An invoice as its page shows it: with the supplier's GSTIN, its approval and payments, and
/// what the reader may do with it now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub invoice: SupplierInvoice,
    pub supplier_gstin: Option<String>,
    /// The reader enters invoices (`invoice:create`): submit, hold, release, cancel.
    pub can_manage: bool,
    /// The reader holds an undecided seat of the exception's open stage: approve or reject.
    pub can_decide: bool,
    pub route: Vec<RouteStep>,
    pub history: Vec<HistoryEntry>,
    pub payments: Vec<InvoicePayment>,
}

/// A page of supplier invoices, newest first.
#[server(prefix = "/sfn", endpoint = "list_supplier_invoices", input = server_fn::codec::GetUrl)]
pub async fn list_supplier_invoices(
    status: Option<String>,
    supplier_id: Option<Uuid>,
    page: u32,
) -> Result<Page<SupplierInvoice>, AppError> {
    let f = InvoiceFilter {
        status,
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
    crate::platform::tx::serve(move |tx, _, ctx| {
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
    crate::platform::tx::serve(move |tx, _, ctx| {
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
