//! Supplier invoices: entered against order lines (`invoice:create`), matched line by line on
//! submission — ordered, received, invoiced before, the order's price within the supplier's
//! tolerance — and posted when matched; an exception goes through the approval engine and posts
//! when approved; a line billed before its goods came waits and posts when they arrive.
use super::can_read;
use super::journal::{at_scale, new_entry_id, post_in, Posting, PostingLine};
use super::stock::Roles;
use crate::approvals::engine::{self, Doc, Outcome};
use crate::approvals::expr::{Facts, Value};
use crate::approvals::model::Action;
use crate::approvals::registry::DocKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::invoice::*;
use crate::finance::model::Control;
use crate::finance::repo::{invoices as repo, periods as periods_repo};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::paging::Page;
use crate::procurement::service as procurement;
use crate::types::{Currency, SupplierId};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

const DOC: &str = "invoice";

/// Finance's registration with the approval engine: invoice exceptions.
pub static INVOICE_KIND: DocKind = DocKind {
    doc_type: DOC,
    label: |l| leptos_i18n::td_string!(l, ledger.invoice).to_string(),
    href: |id| format!("/finance/invoices/{id}"),
    facts: &["amount", "variance", "plant"],
    header_sql: repo::KIND_HEADER_SQL,
    default_rules_sql: repo::KIND_DEFAULT_RULES_SQL,
    decide: |tx, ctx, id, action, comment| {
        Box::pin(async move { decide(tx, ctx, id, action, comment).await.map(|_| ()) })
    },
};

fn decimals(v: Decimal) -> u32 {
    v.normalize().scale()
}

/// Enters an invoice as a draft: its lines against order lines of the supplier's, each matched
/// now (and again on submission), its taxes by head and its TDS computed.
pub async fn create(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: InvoiceInput,
) -> AppResult<SupplierInvoice> {
    let p = ctx.principal()?;
    p.require("invoice:create")?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let currency: Currency = books.currency.parse().map_err(|_| AppError::Internal)?;
    let places = currency.minor_units();
    let mut e = BTreeMap::new();
    let supplier = procurement::supplier_terms(tx, input.supplier_id).await?;
    let Some((supplier, tolerance)) = supplier else {
        return Err(AppError::field("supplier_id", FieldError::UnknownReference));
    };
    let number = input.number.trim();
    if number.is_empty() {
        e.insert("number".to_string(), FieldError::Required);
    } else if number.chars().count() > 50 {
        e.insert("number".to_string(), FieldError::TooLong);
    }
    let notes = input
        .notes
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if notes.is_some_and(|n| n.chars().count() > 2000) {
        e.insert("notes".to_string(), FieldError::TooLong);
    }
    let place_input = input
        .place_of_supply
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if place_input.is_some_and(|s| s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit())) {
        e.insert("place_of_supply".to_string(), FieldError::Invalid);
    }
    if input.lines.is_empty() {
        e.insert("lines".to_string(), FieldError::NoLines);
    } else if input.lines.len() > 200 {
        e.insert("lines".to_string(), FieldError::TooLong);
    }
    let ids: Vec<Uuid> = input
        .lines
        .iter()
        .map(|l| l.purchase_order_line_id)
        .collect();
    let order_lines: HashMap<Uuid, _> = procurement::orders::order_lines_by_ids(tx, &ids)
        .await?
        .into_iter()
        .map(|(o, l)| (l.id, (o, l)))
        .collect();
    let mut plant = None;
    for (i, l) in input.lines.iter().enumerate() {
        let f = |n: &str| format!("lines[{i}].{n}");
        match order_lines.get(&l.purchase_order_line_id) {
            Some((o, _)) if o.supplier_id == supplier.id => {
                plant = plant.or(o.plant_id);
            }
            _ => {
                e.insert(f("purchase_order_line_id"), FieldError::UnknownReference);
            }
        }
        if l.quantity <= Decimal::ZERO {
            e.insert(f("quantity"), FieldError::MustBePositive);
        } else if decimals(l.quantity) > 4 {
            e.insert(f("quantity"), FieldError::TooManyDecimals);
        }
        if l.unit_price < Decimal::ZERO {
            e.insert(f("unit_price"), FieldError::NotNegative);
        } else if decimals(l.unit_price) > places.max(2) {
            e.insert(f("unit_price"), FieldError::TooManyDecimals);
        }
        if let Some(r) = l.tax_rate {
            if r < Decimal::ZERO || r > Decimal::ONE_HUNDRED || decimals(r) > 4 {
                e.insert(f("tax_rate"), FieldError::Invalid);
            }
        }
        if l.hsn_sac
            .as_deref()
            .is_some_and(|h| h.trim().chars().count() > 8)
        {
            e.insert(f("hsn_sac"), FieldError::TooLong);
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    // the place of supply decides the GST heads: India only
    let place = match (place_input, plant) {
        (Some(s), _) => Some(s.to_string()),
        (None, Some(plant)) if currency == Currency::INR => repo::plant_state(tx, plant).await?,
        (None, _) => None,
    };
    let regime = TaxRegime::of(
        currency == Currency::INR,
        supplier.state_code.as_deref(),
        place.as_deref(),
    );
    let before: HashMap<Uuid, Decimal> = repo::invoiced_before(tx, &ids, Uuid::nil())
        .await?
        .into_iter()
        .collect();
    // an item's own HSN/SAC and GST rate, where the line does not give them (India only)
    let items: Vec<Uuid> = order_lines
        .values()
        .filter_map(|(_, l)| l.item_id)
        .collect();
    let item_tax: HashMap<Uuid, (Option<String>, Option<Decimal>)> = if currency == Currency::INR {
        crate::inventory::service::valuation::tax_facts(tx, &items)
            .await?
            .into_iter()
            .map(|(id, hsn, rate)| (id, (hsn, rate)))
            .collect()
    } else {
        HashMap::new()
    };
    let mut lines = Vec::new();
    for l in &input.lines {
        let Some((_, ol)) = order_lines.get(&l.purchase_order_line_id) else {
            continue;
        };
        let of_item = ol.item_id.and_then(|i| item_tax.get(&i));
        let rate = l
            .tax_rate
            .or_else(|| of_item.and_then(|(_, r)| *r))
            .unwrap_or_default();
        let hsn = l
            .hsn_sac
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_string)
            .or_else(|| of_item.and_then(|(h, _)| h.clone()));
        let amount = half_up(l.quantity * l.unit_price, places);
        let tax = line_tax(amount, rate, regime, places);
        let invoiced_before = before.get(&ol.id).copied().unwrap_or_default();
        let status = match_status(
            ol.quantity,
            ol.received_quantity,
            invoiced_before,
            l.quantity,
            tolerance.allows(ol.unit_price, l.unit_price),
        );
        lines.push(repo::LineValues {
            purchase_order_line_id: ol.id,
            goods_receipt_line_id: l.goods_receipt_line_id,
            item_id: ol.item_id,
            description: ol.description.clone(),
            hsn_sac: hsn,
            quantity: l.quantity,
            unit_price: l.unit_price,
            tax_rate: rate,
            amount,
            cgst: tax.cgst,
            sgst: tax.sgst,
            igst: tax.igst,
            tax: tax.tax,
            ordered: ol.quantity,
            received: ol.received_quantity,
            invoiced_before,
            order_price: ol.unit_price,
            quantity_variance: (invoiced_before + l.quantity - ol.received_quantity)
                .max(Decimal::ZERO),
            price_variance: amount - half_up(l.quantity * ol.unit_price, places),
            match_status: status.to_string(),
        });
    }
    let subtotal: Decimal = lines.iter().map(|l| l.amount).sum();
    let taxes = TaxTotals {
        cgst: lines.iter().map(|l| l.cgst).sum(),
        sgst: lines.iter().map(|l| l.sgst).sum(),
        igst: lines.iter().map(|l| l.igst).sum(),
        tax: lines.iter().map(|l| l.tax).sum(),
        total: Decimal::ZERO,
    };
    let tax_total = taxes.cgst + taxes.sgst + taxes.igst + taxes.tax;
    let tds = match (
        currency == Currency::INR,
        &supplier.tds_section,
        supplier.tds_rate,
    ) {
        (true, Some(_), Some(rate)) => half_up(subtotal * rate / Decimal::ONE_HUNDRED, places),
        _ => Decimal::ZERO,
    };
    let due = input.due_date.unwrap_or_else(|| {
        input.invoice_date
            + chrono::Days::new(u64::try_from(supplier.payment_terms_days).unwrap_or(30))
    });
    if due < input.invoice_date {
        return Err(AppError::field("due_date", FieldError::Invalid));
    }
    let exception = lines.iter().any(|l| {
        matches!(
            l.match_status.as_str(),
            "price_exception" | "quantity_exception"
        )
    });
    // time-ordered ids, so that the indexes on ids grow at their right edge
    let id = Uuid::now_v7();
    let new = repo::NewInvoice {
        tenant_id: p.tenant_id,
        id,
        supplier_id: supplier.id,
        supplier_number: number,
        invoice_date: input.invoice_date,
        due_date: due,
        plant_id: plant,
        place_of_supply: place.as_deref(),
        currency: currency.code(),
        notes,
        created_by: p.user_id,
        totals: [
            subtotal,
            taxes.cgst,
            taxes.sgst,
            taxes.igst,
            taxes.tax,
            tds,
            // under reverse charge the supplier is owed the goods' value; the GST the company pays
            if supplier.reverse_charge && currency == Currency::INR {
                subtotal
            } else {
                subtotal + tax_total
            },
        ],
        match_status: if exception { "exception" } else { "matched" },
    };
    record(tx, ctx, "create", id, None, "draft").await?;
    // the invoice and its lines last, in one statement that draws our gap-free number: the
    // tenant's counter stays locked until the commit, so every other invoice entered meanwhile
    // waits for this statement and the commit only
    let line_ids: Vec<Uuid> = lines.iter().map(|_| Uuid::now_v7()).collect();
    let number = repo::insert_invoice(tx, &new, &line_ids, &lines)
        .await
        .map_err(|err| match &err {
            sqlx::Error::Database(db)
                if db.constraint() == Some("supplier_invoices_supplier_number") =>
            {
                AppError::Taken("number".into())
            }
            _ => err.into(),
        })?;
    // answered as `get` would, from what was just written
    let row = written(id, number, &new);
    let rows = lines
        .into_iter()
        .zip(line_ids)
        .map(|(l, line)| l.written(line, id))
        .collect();
    let names = HashMap::from([(supplier.id, supplier.name.clone())]);
    let orders = order_lines
        .values()
        .map(|(o, l)| (l.id, o.number.clone()))
        .collect();
    shape(vec![row], rows, &names, &orders)
        .pop()
        .ok_or(AppError::Internal)
}

/// A new invoice's row as it was inserted: a draft, nothing paid, no entry.
fn written(id: Uuid, number: String, n: &repo::NewInvoice<'_>) -> repo::InvoiceRow {
    let [subtotal, cgst, sgst, igst, tax, tds, total] = n.totals;
    repo::InvoiceRow {
        id,
        number,
        supplier_id: n.supplier_id,
        supplier_number: n.supplier_number.to_string(),
        invoice_date: n.invoice_date,
        due_date: n.due_date,
        plant_id: n.plant_id,
        place_of_supply: n.place_of_supply.map(str::to_string),
        currency: n.currency.to_string(),
        status: "draft".into(),
        match_status: n.match_status.to_string(),
        subtotal,
        cgst,
        sgst,
        igst,
        tax,
        tds,
        total,
        amount_paid: Decimal::ZERO,
        notes: n.notes.map(str::to_string),
        entry_id: None,
        created_by: n.created_by,
    }
}

async fn record(
    tx: &mut Tx,
    ctx: &RequestCtx,
    action: &str,
    id: Uuid,
    old: Option<&str>,
    new: &str,
) -> AppResult<()> {
    let p = ctx.principal()?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action,
            entity: "supplier_invoice",
            entity_id: Some(id.to_string()),
            old: old.map(|s| serde_json::json!({ "status": s })),
            new: Some(serde_json::json!({ "status": new })),
        },
    )
    .await?;
    Ok(())
}

/// What matching learnt: the invoice's lines as matched now, its supplier's name and each line's
/// order number.
#[derive(Default)]
struct Known {
    lines: Vec<repo::LineRow>,
    names: HashMap<Uuid, String>,
    orders: HashMap<Uuid, String>,
}

/// Matches every line again against what is received and invoiced now; true when any line is a
/// price or quantity exception, and whether any waits for goods; the lines as matched, with the
/// names of their suppliers and orders. The caller writes the lines' matches with the invoice's
/// status ([`repo::set_status`]).
async fn rematch(tx: &mut Tx, inv: &repo::InvoiceRow) -> AppResult<(bool, bool, Known)> {
    let mut lines = repo::lines_of(tx, &[inv.id]).await?;
    let ids: Vec<Uuid> = lines.iter().map(|l| l.purchase_order_line_id).collect();
    let mut known = Known::default();
    let mut now: HashMap<Uuid, Decimal> = HashMap::new();
    for (o, l) in procurement::orders::order_lines_by_ids(tx, &ids).await? {
        known.names.insert(o.supplier_id, o.supplier);
        known.orders.insert(l.id, o.number);
        now.insert(l.id, l.received_quantity);
    }
    let before: HashMap<Uuid, Decimal> = repo::invoiced_before(tx, &ids, inv.id)
        .await?
        .into_iter()
        .collect();
    let tolerance = procurement::price_tolerance(tx, SupplierId::from(inv.supplier_id)).await?;
    let (mut exception, mut waiting) = (false, false);
    for l in &mut lines {
        let received = now
            .get(&l.purchase_order_line_id)
            .copied()
            .unwrap_or(l.received);
        let invoiced_before = before
            .get(&l.purchase_order_line_id)
            .copied()
            .unwrap_or_default();
        let status = match_status(
            l.ordered,
            received,
            invoiced_before,
            l.quantity,
            tolerance.allows(l.order_price, l.unit_price),
        );
        exception |= matches!(status, "price_exception" | "quantity_exception");
        waiting |= status == "awaiting_goods";
        let variance = (invoiced_before + l.quantity - received).max(Decimal::ZERO);
        (l.received, l.invoiced_before, l.quantity_variance) =
            (received, invoiced_before, variance);
        l.match_status = status.to_string();
    }
    known.lines = lines;
    Ok((exception, waiting, known))
}

fn doc_of(inv: &repo::InvoiceRow, variance: Decimal) -> Doc {
    let mut facts = Facts::new();
    facts.insert("amount".into(), Value::Number(inv.total));
    facts.insert("variance".into(), Value::Number(variance));
    Doc {
        doc_type: DOC,
        id: inv.id,
        number: inv.number.clone(),
        requester_id: inv.created_by,
        plant_id: inv.plant_id,
        department_id: None,
        facts,
    }
}

/// Submits a draft: matched, it posts at once; with an exception it goes to its approvers; a
/// line billed before its goods came makes it wait for them.
pub async fn submit(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<SupplierInvoice> {
    let p = ctx.principal()?;
    p.require("invoice:create")?;
    let inv = repo::invoice(tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if inv.status != "draft" {
        return Err(AppError::InvalidState);
    }
    let (exception, waiting, known) = rematch(tx, &inv).await?;
    if exception {
        // the lines as just matched (their variances as matching found them)
        let variance: Decimal = known
            .lines
            .iter()
            .map(|l| l.price_variance.max(Decimal::ZERO) + l.quantity_variance * l.order_price)
            .sum();
        let outcome = engine::start(
            tx,
            p.tenant_id,
            &doc_of(&inv, variance),
            p.user_id,
            "submit",
        )
        .await?;
        if outcome != Outcome::Approved {
            let to = Some(("pending_approval", "exception"));
            repo::set_status(tx, id, to, None, &known.lines).await?;
            record(tx, ctx, "submit", id, Some("draft"), "pending_approval").await?;
            return get(tx, ctx, id).await;
        }
    }
    if waiting {
        let status = finish(
            tx,
            p.tenant_id,
            Some(p.user_id),
            &inv,
            &known.lines,
            exception,
            waiting,
        )
        .await?;
        record(tx, ctx, "submit", id, Some("draft"), status).await?;
        return get(tx, ctx, id).await;
    }
    // posted: the invoice names its entry now and the entry is written last, its number drawn
    // from the tenant's gap-free counter (locked until the commit) by its own insert, so
    // concurrent postings wait only for the entry's statement and the commit
    let m = if exception { "exception" } else { "matched" };
    let named = new_entry_id();
    repo::set_status(tx, id, Some(("posted", m)), Some(named), &known.lines).await?;
    record(tx, ctx, "submit", id, Some("draft"), "posted").await?;
    let entry = post_invoice(tx, p.tenant_id, Some(p.user_id), &inv, &known.lines, named).await?;
    if entry.is_none() {
        // nothing to post (every amount zero): no entry to name
        repo::clear_entry(tx, id).await?;
    }
    // answered from what is in hand: the row as just changed and the lines as just matched
    let mut row = inv;
    (row.status, row.match_status, row.entry_id) = ("posted".into(), m.into(), entry);
    shape(vec![row], known.lines, &known.names, &known.orders)
        .pop()
        .ok_or(AppError::Internal)
}

/// Posts the invoice, or leaves it waiting for goods: its new status.
async fn finish(
    tx: &mut Tx,
    tenant_id: Uuid,
    user: Option<Uuid>,
    inv: &repo::InvoiceRow,
    lines: &[repo::LineRow],
    exception: bool,
    waiting: bool,
) -> AppResult<&'static str> {
    let m = if exception { "exception" } else { "matched" };
    if waiting {
        repo::set_status(tx, inv.id, Some(("awaiting_goods", m)), None, lines).await?;
        return Ok("awaiting_goods");
    }
    let entry = post_invoice(tx, tenant_id, user, inv, lines, new_entry_id()).await?;
    repo::set_status(tx, inv.id, Some(("posted", m)), entry, lines).await?;
    Ok("posted")
}

/// The invoice's entry: GRNI cleared at the order's price (exactly what is left of it once the
/// line is fully billed), the difference to price variance, GST input by head, TDS payable,
/// and accounts payable for the supplier; a line without stock (a service) to consumption.
async fn post_invoice(
    tx: &mut Tx,
    tenant_id: Uuid,
    user: Option<Uuid>,
    inv: &repo::InvoiceRow,
    lines: &[repo::LineRow],
    entry: Uuid,
) -> AppResult<Option<Uuid>> {
    let roles = Roles::load(tx).await?;
    let places = inv
        .currency
        .parse::<Currency>()
        .map(Currency::minor_units)
        .unwrap_or(2);
    let grni = roles.get(Control::Grni, None)?;
    let at = |mut l: PostingLine| {
        l.plant_id = inv.plant_id;
        l.supplier_id = Some(inv.supplier_id);
        l
    };
    let mut out = Vec::new();
    for l in lines {
        let charged = if l.item_id.is_some() {
            let left = repo::grni_left(tx, grni, l.purchase_order_line_id).await?;
            let fully_billed = l.invoiced_before + l.quantity >= l.received;
            let clearing = if fully_billed {
                left
            } else {
                half_up(l.quantity * l.order_price, places).min(left)
            };
            let mut g = at(PostingLine::debit(grni, clearing.max(Decimal::ZERO)));
            g.bill_ref = Some(l.purchase_order_line_id);
            out.push(g);
            clearing.max(Decimal::ZERO)
        } else {
            out.push(at(PostingLine::debit(
                roles.get(Control::Consumption, None)?,
                l.amount,
            )));
            l.amount
        };
        let difference = l.amount - charged;
        let variance = roles.get(Control::PriceVariance, None)?;
        if difference > Decimal::ZERO {
            out.push(at(PostingLine::debit(variance, difference)));
        } else if difference < Decimal::ZERO {
            out.push(at(PostingLine::credit(variance, -difference)));
        }
    }
    for (control, amount) in [
        (Control::GstInputCgst, inv.cgst),
        (Control::GstInputSgst, inv.sgst),
        (Control::GstInputIgst, inv.igst),
        (Control::TaxInput, inv.tax),
    ] {
        if amount > Decimal::ZERO {
            out.push(at(PostingLine::debit(roles.get(control, None)?, amount)));
        }
    }
    if inv.tds > Decimal::ZERO {
        out.push(at(PostingLine::credit(
            roles.get(Control::TdsPayable, None)?,
            inv.tds,
        )));
    }
    // reverse charge: the invoice's total leaves the GST out, which the company owes itself
    let unbilled_tax = inv.cgst + inv.sgst + inv.igst + inv.tax + inv.subtotal - inv.total;
    if unbilled_tax > Decimal::ZERO {
        out.push(at(PostingLine::credit(
            roles.get(Control::GstRcmPayable, None)?,
            unbilled_tax,
        )));
    }

    let mut ap = at(PostingLine::credit(
        roles.get(Control::Ap, None)?,
        inv.total - inv.tds,
    ));
    ap.bill_ref = Some(inv.id);
    out.push(ap);
    let books = periods_repo::tenant_books(tx, tenant_id).await?;
    let currency: Currency = books.currency.parse().map_err(|_| AppError::Internal)?;
    post_in(
        tx,
        tenant_id,
        user,
        entry,
        currency,
        Posting {
            // the books of the day it is posted: a period closed since the invoice's date stays closed
            date: books.today,
            narration: format!("{} {}", inv.number, inv.supplier_number),
            source: "supplier_invoice",
            source_id: Some(inv.id),
            reverses: None,
            lines: out,
        },
    )
    .await
}

/// An approver's decision on an exception (the open stage's approver): approved at the last
/// stage, it posts (or waits for goods); rejected, it goes back to draft.
pub async fn decide(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> AppResult<SupplierInvoice> {
    let p = ctx.principal()?;
    if action == Action::SendBack {
        return Err(AppError::InvalidState);
    }
    let inv = repo::invoice(tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if inv.status != "pending_approval" {
        return Err(AppError::InvalidState);
    }
    let outcome = engine::act(
        tx,
        p.tenant_id,
        &doc_of(&inv, Decimal::ZERO),
        p.user_id,
        action,
        comment.as_deref(),
    )
    .await?;
    let status = match outcome {
        Outcome::Approved => {
            let (_, waiting, known) = rematch(tx, &inv).await?;
            finish(
                tx,
                p.tenant_id,
                Some(p.user_id),
                &inv,
                &known.lines,
                true,
                waiting,
            )
            .await?
        }
        Outcome::Rejected | Outcome::Returned => {
            repo::set_status(tx, id, Some(("draft", "exception")), None, &[]).await?;
            "draft"
        }
        Outcome::Pending(_) => "pending_approval",
    };
    record(
        tx,
        ctx,
        action.as_str(),
        id,
        Some("pending_approval"),
        status,
    )
    .await?;
    get(tx, ctx, id).await
}

/// Holds a posted invoice from payment, or releases it; cancels a draft or one waiting.
pub async fn set_state(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Uuid,
    to: &str,
) -> AppResult<SupplierInvoice> {
    let p = ctx.principal()?;
    p.require("invoice:create")?;
    let inv = repo::invoice(tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let next = match (inv.status.as_str(), to) {
        ("posted" | "partially_paid", "on_hold") => "on_hold",
        ("on_hold", "released") if inv.amount_paid > Decimal::ZERO => "partially_paid",
        ("on_hold", "released") => "posted",
        ("draft" | "awaiting_goods" | "pending_approval", "cancelled") => "cancelled",
        _ => return Err(AppError::InvalidState),
    };
    repo::set_status(tx, id, Some((next, &inv.match_status)), None, &[]).await?;
    record(tx, ctx, to, id, Some(&inv.status), next).await?;
    get(tx, ctx, id).await
}

/// Goods arrived on these order lines: each invoice waiting for them that now matches posts, in
/// the receipt's transaction (called by the stock recorder).
pub(crate) async fn goods_arrived(
    tx: &mut Tx,
    tenant_id: Uuid,
    user: Option<Uuid>,
    order_lines: &[Uuid],
) -> AppResult<()> {
    for id in repo::awaiting_goods(tx, order_lines).await? {
        let Some(inv) = repo::invoice(tx, id, true).await? else {
            continue;
        };
        let (exception, waiting, known) = rematch(tx, &inv).await?;
        if waiting || exception {
            // still waiting: the lines as matched now
            repo::set_status(tx, inv.id, None, None, &known.lines).await?;
        } else {
            finish(
                tx,
                tenant_id,
                user,
                &inv,
                &known.lines,
                inv.match_status == "exception",
                false,
            )
            .await?;
        }
    }
    Ok(())
}

pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<SupplierInvoice> {
    can_read(ctx)?;
    let inv = repo::invoice(tx, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = repo::lines_of(tx, &[id]).await?;
    let mut out = assemble(tx, vec![inv], lines).await?;
    out.pop().ok_or(AppError::Internal)
}

pub async fn list(
    tx: &mut Tx,
    ctx: &RequestCtx,
    f: InvoiceFilter,
) -> AppResult<Page<SupplierInvoice>> {
    can_read(ctx)?;
    let per_page = f.per_page.clamp(1, 100);
    let page = f.page.max(1);
    let status = f.status.as_deref().filter(|s| !s.is_empty());
    let matched = f.match_status.as_deref().filter(|s| !s.is_empty());
    if matched.is_some_and(|m| !matches!(m, "matched" | "exception")) {
        return Err(AppError::field("match_status", FieldError::Invalid));
    }
    let total = repo::count_invoices(tx, status, matched, f.supplier_id).await?;
    let rows = repo::invoices(
        tx,
        status,
        matched,
        f.supplier_id,
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    )
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let lines = repo::lines_of(tx, &ids).await?;
    Ok(Page {
        rows: assemble(tx, rows, lines).await?,
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    })
}

async fn assemble(
    tx: &mut Tx,
    rows: Vec<repo::InvoiceRow>,
    lines: Vec<repo::LineRow>,
) -> AppResult<Vec<SupplierInvoice>> {
    let suppliers: Vec<Uuid> = rows.iter().map(|r| r.supplier_id).collect();
    let names: HashMap<Uuid, String> = procurement::suppliers_facts(tx, &suppliers)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let order_ids: Vec<Uuid> = lines.iter().map(|l| l.purchase_order_line_id).collect();
    let orders = procurement::orders::order_numbers_of_lines(tx, &order_ids).await?;
    Ok(shape(rows, lines, &names, &orders))
}

/// Invoices as answered, from their rows and lines, the suppliers' names and the order numbers
/// of the lines.
fn shape(
    rows: Vec<repo::InvoiceRow>,
    lines: Vec<repo::LineRow>,
    names: &HashMap<Uuid, String>,
    orders: &HashMap<Uuid, String>,
) -> Vec<SupplierInvoice> {
    let mut by_invoice: HashMap<Uuid, Vec<repo::LineRow>> = HashMap::new();
    for l in lines {
        by_invoice.entry(l.invoice_id).or_default().push(l);
    }
    rows.into_iter()
        .map(|r| {
            let c = r.currency.clone();
            let m = |d: Decimal| at_scale(d, &c);
            let tax_total = r.cgst + r.sgst + r.igst + r.tax;
            SupplierInvoice {
                id: r.id,
                number: r.number,
                supplier_number: r.supplier_number,
                supplier_id: r.supplier_id,
                supplier: names.get(&r.supplier_id).cloned().unwrap_or_default(),
                invoice_date: r.invoice_date,
                due_date: r.due_date,
                plant_id: r.plant_id,
                place_of_supply: r.place_of_supply,
                status: r.status,
                match_status: r.match_status,
                subtotal: m(r.subtotal),
                tax: TaxTotals {
                    cgst: m(r.cgst),
                    sgst: m(r.sgst),
                    igst: m(r.igst),
                    tax: m(r.tax),
                    total: m(tax_total),
                },
                tds: m(r.tds),
                total: m(r.total),
                amount_due: m(r.total - r.tds - r.amount_paid),
                notes: r.notes,
                entry_id: r.entry_id,
                lines: by_invoice
                    .remove(&r.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| InvoiceLine {
                        id: l.id,
                        purchase_order_line_id: l.purchase_order_line_id,
                        purchase_order: orders.get(&l.purchase_order_line_id).cloned(),
                        goods_receipt_line_id: l.goods_receipt_line_id,
                        item_id: l.item_id,
                        description: l.description,
                        hsn_sac: l.hsn_sac,
                        quantity: l.quantity.normalize(),
                        unit_price: l.unit_price.normalize(),
                        tax_rate: l.tax_rate.normalize(),
                        amount: m(l.amount),
                        tax: TaxTotals {
                            cgst: m(l.cgst),
                            sgst: m(l.sgst),
                            igst: m(l.igst),
                            tax: m(l.tax),
                            total: m(l.cgst + l.sgst + l.igst + l.tax),
                        },
                        matched: LineMatch {
                            ordered: l.ordered.normalize(),
                            received: l.received.normalize(),
                            invoiced_before: l.invoiced_before.normalize(),
                            order_price: l.order_price.normalize(),
                            quantity_variance: l.quantity_variance.normalize(),
                            price_variance: m(l.price_variance),
                            status: l.match_status,
                        },
                    })
                    .collect(),
                currency: r.currency,
            }
        })
        .collect()
}
