//! Payments (`payment:process`): one from a bank account settles one or several posted invoices
//! of a supplier, in part or in full, never beyond what is due (the invoices are locked, so of
//! two payments of one invoice the second sees what the first left). It posts accounts payable
//! against the bank in the same transaction. And what is still owed, aged.
use super::can_read;
use super::journal::{at_scale, post, round_money, Posting, PostingLine};
use super::stock::Roles;
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::model::Control;
use crate::finance::payment::*;
use crate::finance::repo::{payments as repo, periods as periods_repo};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::paging::Page;
use crate::procurement::service as procurement;
use crate::types::Currency;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub async fn create(tx: &mut Tx, ctx: &RequestCtx, input: PaymentInput) -> AppResult<Payment> {
    create_in(tx, ctx, input, None).await
}

/// [`create`], as part of payment run `run`.
pub(crate) async fn create_in(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: PaymentInput,
    run: Option<Uuid>,
) -> AppResult<Payment> {
    let p = ctx.principal()?;
    p.require("payment:process")?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let currency: Currency = books.currency.parse().map_err(|_| AppError::Internal)?;
    let mut e = BTreeMap::new();
    if procurement::supplier_facts(tx, input.supplier_id)
        .await?
        .is_none()
    {
        e.insert("supplier_id".to_string(), FieldError::UnknownReference);
    }
    if !repo::is_bank(tx, input.bank_account_id).await? {
        e.insert("bank_account_id".to_string(), FieldError::UnknownReference);
    }
    let reference = input
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reference.is_some_and(|r| r.chars().count() > 100) {
        e.insert("reference".to_string(), FieldError::TooLong);
    }
    if input.allocations.is_empty() {
        e.insert("allocations".to_string(), FieldError::NoLines);
    }
    let ids: Vec<Uuid> = input
        .allocations
        .iter()
        .map(|a| a.supplier_invoice_id)
        .collect();
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != ids.len() {
        e.insert("allocations".to_string(), FieldError::Duplicate);
    }
    let payable: HashMap<Uuid, repo::Payable> = repo::lock_payable(tx, &ids)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    for (i, a) in input.allocations.iter().enumerate() {
        let f = |n: &str| format!("allocations[{i}].{n}");
        match payable.get(&a.supplier_invoice_id) {
            Some(inv) if inv.supplier_id == input.supplier_id => {
                if !matches!(inv.status.as_str(), "posted" | "partially_paid") {
                    e.insert(f("supplier_invoice_id"), FieldError::Locked);
                } else if a.amount > inv.due {
                    e.insert(f("amount"), FieldError::ExceedsDue);
                }
            }
            _ => {
                e.insert(f("supplier_invoice_id"), FieldError::UnknownReference);
            }
        }
        if a.amount <= Decimal::ZERO {
            e.insert(f("amount"), FieldError::MustBePositive);
        } else if round_money(a.amount, currency) != a.amount {
            e.insert(f("amount"), FieldError::TooManyDecimals);
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let total: Decimal = input.allocations.iter().map(|a| a.amount).sum();
    let roles = Roles::load(tx).await?;
    let ap = roles.get(Control::Ap, None)?;
    let number = crate::platform::numbering::next_number(tx, p.tenant_id, "PAY").await?;
    let mut lines: Vec<PostingLine> = input
        .allocations
        .iter()
        .map(|a| {
            let mut l = PostingLine::debit(ap, a.amount);
            l.supplier_id = Some(input.supplier_id);
            l.bill_ref = Some(a.supplier_invoice_id);
            l
        })
        .collect();
    let mut bank = PostingLine::credit(input.bank_account_id, total);
    bank.supplier_id = Some(input.supplier_id);
    lines.push(bank);
    let entry = post(
        tx,
        p.tenant_id,
        Some(p.user_id),
        Posting {
            date: input.date,
            narration: format!("{} {}", number.as_str(), reference.unwrap_or("")),
            source: "payment",
            source_id: None,
            reverses: None,
            lines,
        },
    )
    .await?;
    let id = repo::insert_payment(
        tx,
        &repo::NewPayment {
            tenant_id: p.tenant_id,
            number: number.as_str(),
            supplier_id: input.supplier_id,
            date: input.date,
            bank_account_id: input.bank_account_id,
            amount: total,
            currency: currency.code(),
            reference,
            entry_id: entry,
            created_by: p.user_id,
            run_id: run,
        },
    )
    .await?;
    let amounts: Vec<Decimal> = input.allocations.iter().map(|a| a.amount).collect();
    repo::insert_allocations(tx, p.tenant_id, id, &ids, &amounts).await?;
    for a in &input.allocations {
        repo::add_paid(tx, a.supplier_invoice_id, a.amount).await?;
    }
    crate::platform::audit::record(
        tx,
        p.tenant_id,
        ctx,
        crate::platform::audit::Entry {
            user_id: Some(p.user_id),
            action: "create",
            entity: "payment",
            entity_id: Some(id.to_string()),
            old: None,
            new: serde_json::to_value(&input).ok(),
        },
    )
    .await?;
    get(tx, ctx, id).await
}

pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Payment> {
    super::home::can_read_payables(ctx)?;
    let rows = repo::payments(tx, None, Some(id), None, None, 1, 0).await?;
    assemble(tx, rows).await?.pop().ok_or(AppError::NotFound)
}

/// Payments newest first: of a supplier, dated from `from` to `to` (each if given).
pub async fn list(
    tx: &mut Tx,
    ctx: &RequestCtx,
    supplier: Option<Uuid>,
    (from, to): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    page: u32,
    per_page: u32,
) -> AppResult<Page<Payment>> {
    super::home::can_read_payables(ctx)?;
    let per_page = per_page.clamp(1, 100);
    let page = page.max(1);
    let total = repo::count_payments(tx, supplier, from, to).await?;
    let rows = repo::payments(
        tx,
        supplier,
        None,
        from,
        to,
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    )
    .await?;
    Ok(Page {
        rows: assemble(tx, rows).await?,
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    })
}

/// The names of these suppliers, in one statement.
async fn supplier_names(tx: &mut Tx, ids: Vec<Uuid>) -> AppResult<HashMap<Uuid, String>> {
    Ok(procurement::suppliers_facts(tx, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

async fn assemble(tx: &mut Tx, rows: Vec<repo::PaymentRow>) -> AppResult<Vec<Payment>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let suppliers: Vec<Uuid> = rows.iter().map(|r| r.supplier_id).collect();
    let names = supplier_names(tx, suppliers).await?;
    let mut by_payment: HashMap<Uuid, Vec<Allocation>> = HashMap::new();
    for a in repo::allocations_of(tx, &ids).await? {
        by_payment
            .entry(a.payment_id)
            .or_default()
            .push(Allocation {
                supplier_invoice_id: a.invoice_id,
                invoice: a.number,
                supplier_number: a.supplier_number,
                amount: a.amount,
            });
    }
    Ok(rows
        .into_iter()
        .map(|r| Payment {
            allocations: by_payment
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|mut a| {
                    a.amount = at_scale(a.amount, &r.currency);
                    a
                })
                .collect(),
            id: r.id,
            number: r.number,
            supplier_id: r.supplier_id,
            supplier: names.get(&r.supplier_id).cloned().unwrap_or_default(),
            date: r.payment_date,
            bank_account_id: r.bank_account_id,
            amount: at_scale(r.amount, &r.currency),
            reference: r.reference,
            entry_id: r.entry_id,
            currency: r.currency,
        })
        .collect())
}

/// What is owed to each supplier on `as_of` (default today), by days past due: current, 1–30,
/// 31–60, 61–90, over 90.
pub async fn ageing(
    tx: &mut Tx,
    ctx: &RequestCtx,
    as_of: Option<chrono::NaiveDate>,
) -> AppResult<ApAgeing> {
    can_read(ctx)?;
    let p = ctx.principal()?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let as_of = as_of.unwrap_or(books.today);
    let open = repo::open_invoices(tx, as_of).await?;
    let mut suppliers: Vec<Uuid> = open.iter().map(|o| o.supplier_id).collect();
    suppliers.dedup();
    let names = supplier_names(tx, suppliers).await?;
    let mut per: BTreeMap<(String, Uuid), Buckets> = BTreeMap::new();
    for o in &open {
        let name = names.get(&o.supplier_id).cloned().unwrap_or_default();
        per.entry((name, o.supplier_id))
            .or_default()
            .add(as_of, o.due_date, o.due);
    }
    let c = books.currency.clone();
    let scale = |b: &Buckets| Buckets {
        current: at_scale(b.current, &c),
        days_1_30: at_scale(b.days_1_30, &c),
        days_31_60: at_scale(b.days_31_60, &c),
        days_61_90: at_scale(b.days_61_90, &c),
        over_90: at_scale(b.over_90, &c),
        total: at_scale(b.total, &c),
    };
    let mut totals = Buckets::default();
    let rows = per
        .into_iter()
        .map(|((supplier, supplier_id), b)| {
            totals.merge(&b);
            AgeingRow {
                supplier_id,
                supplier,
                buckets: scale(&b),
            }
        })
        .collect();
    Ok(ApAgeing {
        as_of,
        rows,
        totals: scale(&totals),
        currency: books.currency,
    })
}

/// The suppliers with something still to pay, by name (`payment:process`): what the payment and
/// payment-run forms offer, however many invoices are open.
pub async fn open_suppliers(
    tx: &mut Tx,
    ctx: &RequestCtx,
) -> AppResult<Vec<crate::finance::pay_model::SupplierOpen>> {
    ctx.principal()?.require("payment:process")?;
    let open = crate::finance::repo::invoices::open_by_supplier(tx).await?;
    let ids: Vec<Uuid> = open.iter().map(|(s, _, _, _)| *s).collect();
    let names: HashMap<Uuid, String> = procurement::suppliers_facts(tx, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut rows: Vec<crate::finance::pay_model::SupplierOpen> = open
        .into_iter()
        .map(
            |(supplier_id, invoices, due, currency)| crate::finance::pay_model::SupplierOpen {
                supplier: names.get(&supplier_id).cloned().unwrap_or_default(),
                supplier_id,
                invoices,
                due,
                currency,
            },
        )
        .collect();
    rows.sort_by(|a, b| (&a.supplier, a.supplier_id).cmp(&(&b.supplier, b.supplier_id)));
    Ok(rows)
}

/// Every invoice of `supplier` with something still to pay (posted or partly paid), by due date
/// then number (`payment:process`).
pub async fn open_invoices_of(
    tx: &mut Tx,
    ctx: &RequestCtx,
    supplier: Uuid,
) -> AppResult<Vec<crate::finance::invoice::SupplierInvoice>> {
    ctx.principal()?.require("payment:process")?;
    let mut open = Vec::new();
    for status in ["posted", "partially_paid"] {
        let mut page = 1;
        loop {
            let rows = super::invoices::list(
                tx,
                ctx,
                crate::finance::invoice::InvoiceFilter {
                    status: Some(status.to_string()),
                    match_status: None,
                    supplier_id: Some(supplier),
                    page,
                    per_page: 100,
                },
            )
            .await?;
            let last = u64::from(rows.page) * u64::from(rows.per_page) >= rows.total;
            open.extend(
                rows.rows
                    .into_iter()
                    .filter(|i| i.amount_due > Decimal::ZERO),
            );
            if last {
                break;
            }
            page += 1;
        }
    }
    open.sort_by(|a, b| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    Ok(open)
}
