//! What the invoice entry form and the invoice page need beyond the invoice services: what is
//! left to bill of a supplier's orders (received less what invoices not cancelled bill), the
//! form's facts, and an invoice with its approval, payments and the reader's actions. Orders,
//! suppliers and items are read through procurement's and inventory's public services.
use super::can_read;
use crate::approvals::engine;
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::billable::{
    Billable, BillableLine, BillableOrder, InvoiceDetail, InvoiceFormFacts, InvoicePayment,
    SupplierOption,
};
use crate::finance::repo::{billable as repo, periods as periods_repo};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::procurement::service as procurement;
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

/// What is left to bill of a supplier's orders (`invoice:create`): the orders with a line
/// received and not fully invoiced, and with `order`, that order's lines with something left
/// (a line not yet received shows 0 received: it may be billed ahead of the goods). A supplier
/// or order not the company's (or the order not the supplier's) is a 422 on its field.
pub async fn billable(
    tx: &mut Tx,
    ctx: &RequestCtx,
    supplier_id: Uuid,
    order: Option<Uuid>,
) -> AppResult<Billable> {
    let p = ctx.principal()?;
    p.require("invoice:create")?;
    if procurement::supplier_facts(tx, supplier_id)
        .await?
        .is_none()
    {
        return Err(AppError::field("supplier_id", FieldError::UnknownReference));
    }
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let india = books.currency == "INR";
    let orders = procurement::orders::billable_orders_of_supplier(tx, supplier_id).await?;
    if let Some(o) = order {
        if !orders.iter().any(|x| x.order.id == o) {
            return Err(AppError::field(
                "purchase_order_id",
                FieldError::UnknownReference,
            ));
        }
    }
    let line_ids: Vec<Uuid> = orders
        .iter()
        .flat_map(|o| o.lines.iter().map(|l| l.id))
        .collect();
    let invoiced: HashMap<Uuid, Decimal> =
        repo::invoiced(tx, &line_ids).await?.into_iter().collect();
    let mut out = Billable {
        supplier_id,
        currency: books.currency.clone(),
        orders: Vec::new(),
        lines: Vec::new(),
    };
    for o in orders {
        let (mut open_lines, mut open_amount) = (0u32, Decimal::ZERO);
        for l in &o.lines {
            let done = invoiced.get(&l.id).copied().unwrap_or_default();
            let open = (l.received_quantity - done).max(Decimal::ZERO);
            if open > Decimal::ZERO {
                open_lines += 1;
                open_amount += open * l.unit_price;
            }
        }
        if open_lines > 0 {
            out.orders.push(BillableOrder {
                id: o.order.id,
                number: o.order.number.clone(),
                status: o.order.status.as_str().to_string(),
                plant_code: o.order.plant_code.clone(),
                open_lines,
                open_amount: crate::finance::invoice::half_up(
                    open_amount,
                    crate::format::minor_units(&books.currency),
                ),
            });
        }
        if Some(o.order.id) == order {
            let number = o.order.number.clone();
            for l in &o.lines {
                let done = invoiced.get(&l.id).copied().unwrap_or_default();
                let open = (l.received_quantity - done).max(Decimal::ZERO);
                if open.is_zero() && done >= l.quantity {
                    continue;
                }
                out.lines.push(BillableLine {
                    purchase_order_line_id: l.id,
                    purchase_order_id: o.order.id,
                    purchase_order: number.clone(),
                    line_no: l.line_no,
                    item_id: l.item_id,
                    description: l.description.clone(),
                    unit: l.unit.clone(),
                    ordered: l.quantity.normalize(),
                    received: l.received_quantity.normalize(),
                    invoiced: done.normalize(),
                    open: open.normalize(),
                    unit_price: l.unit_price.normalize(),
                    tax_rate: None,
                    hsn_sac: None,
                });
            }
        }
    }
    if india {
        let items: Vec<Uuid> = out.lines.iter().filter_map(|l| l.item_id).collect();
        let facts: HashMap<Uuid, (Option<String>, Option<Decimal>)> =
            crate::inventory::service::valuation::tax_facts(tx, &items)
                .await?
                .into_iter()
                .map(|(id, hsn, rate)| (id, (hsn, rate)))
                .collect();
        for l in &mut out.lines {
            if let Some((hsn, rate)) = l.item_id.and_then(|i| facts.get(&i)) {
                l.hsn_sac = hsn.clone();
                l.tax_rate = rate.map(|r| r.normalize());
            }
        }
    }
    Ok(out)
}

/// The entry form's facts (`invoice:create`): the currency, India or not, the company's today,
/// the active suppliers by name.
pub async fn form_facts(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<InvoiceFormFacts> {
    let p = ctx.principal()?;
    p.require("invoice:create")?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let suppliers = procurement::active_suppliers_facts(tx)
        .await?
        .into_iter()
        .map(|s| SupplierOption {
            id: s.id,
            code: s.code,
            name: s.name,
            gstin: s.gstin,
        })
        .collect();
    Ok(InvoiceFormFacts {
        india: books.currency == "INR",
        currency: books.currency,
        today: books.today,
        suppliers,
    })
}

/// An invoice as its page shows it (readers of the books): the supplier's GSTIN, the
/// exception's approval route and history, the payments that paid it, and whether the reader
/// enters invoices and may decide the open stage now.
pub async fn detail(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<InvoiceDetail> {
    can_read(ctx)?;
    let p = ctx.principal()?;
    let invoice = super::invoices::get(tx, ctx, id).await?;
    let gstin = procurement::supplier_facts(tx, invoice.supplier_id)
        .await?
        .and_then(|s| s.gstin);
    let timeline = engine::timeline(tx, "invoice", id, p.user_id).await?;
    let mut payments = Vec::new();
    // the payments that paid it, to those who see payables (an approver from procurement does not)
    if super::home::can_read_payables(ctx).is_ok()
        && matches!(
            invoice.status.as_str(),
            "partially_paid" | "paid" | "on_hold"
        )
    {
        let page =
            super::payments::list(tx, ctx, Some(invoice.supplier_id), (None, None), 1, 100).await?;
        for pay in page.rows {
            for a in pay
                .allocations
                .iter()
                .filter(|a| a.supplier_invoice_id == id)
            {
                payments.push(InvoicePayment {
                    id: pay.id,
                    number: pay.number.clone(),
                    date: pay.date,
                    amount: a.amount,
                });
            }
        }
    }
    let can_decide = invoice.status == "pending_approval" && timeline.holds_open_seat;
    Ok(InvoiceDetail {
        can_manage: p.require("invoice:create").is_ok(),
        can_decide,
        supplier_gstin: gstin,
        route: timeline.route,
        history: timeline.history,
        payments,
        invoice,
    })
}
