//! Payment runs (`payment:process`): every due, unheld invoice up to a day proposed for review;
//! approved, one payment per supplier is made in one transaction, each supplier is sent a payment
//! advice in its language through the outbox, and the bank gets an upload file.
use super::journal::at_scale;
use super::payments::create_in;
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::pay_model::{RunLineInput, RunListItem};
use crate::finance::payment::*;
use crate::finance::repo::{payments as repo, periods as periods_repo, runs as runs_repo};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::procurement::service as procurement;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Proposes a run: nothing is paid until it is approved.
pub async fn propose(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: PaymentRunInput,
) -> AppResult<PaymentRun> {
    let p = ctx.principal()?;
    p.require("payment:process")?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let bank = match input.bank_account_id {
        Some(b) if repo::is_bank(tx, b).await? => b,
        Some(_) => {
            return Err(AppError::field(
                "bank_account_id",
                FieldError::UnknownReference,
            ))
        }
        None => repo::first_bank(tx)
            .await?
            .ok_or_else(|| AppError::field("bank_account_id", FieldError::Required))?,
    };
    let number = crate::platform::numbering::next_number(tx, p.tenant_id, "RUN").await?;
    let suppliers = input.supplier_ids.as_deref().filter(|s| !s.is_empty());
    let id = repo::insert_run(
        tx,
        &repo::NewRun {
            tenant_id: p.tenant_id,
            number: number.as_str(),
            due_by: input.due_by,
            payment_date: input.date.unwrap_or(books.today),
            bank_account_id: bank,
            supplier_ids: suppliers,
            created_by: p.user_id,
        },
    )
    .await?;
    repo::propose(tx, p.tenant_id, id, input.due_by, suppliers).await?;
    get(tx, ctx, id).await
}

pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<PaymentRun> {
    super::home::can_read_payables(ctx)?;
    let p = ctx.principal()?;
    let run = repo::run(tx, id, false).await?.ok_or(AppError::NotFound)?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let c = books.currency.clone();
    let mut by_supplier: BTreeMap<Uuid, Vec<repo::RunLineRow>> = BTreeMap::new();
    for l in repo::run_lines(tx, id).await? {
        by_supplier.entry(l.supplier_id).or_default().push(l);
    }
    let ids: Vec<Uuid> = by_supplier.keys().copied().collect();
    let names: std::collections::HashMap<Uuid, String> = procurement::suppliers_facts(tx, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut suppliers = Vec::new();
    let mut total = Decimal::ZERO;
    for (supplier_id, lines) in by_supplier {
        let name = names.get(&supplier_id).cloned().unwrap_or_default();
        let sum: Decimal = lines.iter().map(|l| l.amount).sum();
        total += sum;
        suppliers.push(RunSupplier {
            supplier_id,
            supplier: name,
            total: at_scale(sum, &c),
            invoices: lines
                .into_iter()
                .map(|l| RunInvoice {
                    supplier_invoice_id: l.invoice_id,
                    invoice: l.number,
                    supplier_number: l.supplier_number,
                    due_date: l.due_date,
                    amount: at_scale(l.amount, &c),
                })
                .collect(),
        });
    }
    suppliers.sort_by(|a, b| a.supplier.cmp(&b.supplier));
    Ok(PaymentRun {
        payments: repo::payments_of_run(tx, id).await?,
        id: run.id,
        number: run.number,
        due_by: run.due_by,
        payment_date: run.payment_date,
        bank_account_id: run.bank_account_id,
        status: run.status,
        total: at_scale(total, &c),
        suppliers,
        currency: books.currency,
    })
}

/// Approves a proposed run: one payment per supplier for what the run proposed, all or none (an
/// invoice paid or held since the proposal refuses the run, 422 naming it), and an advice to each
/// supplier that has an address.
pub async fn approve(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<PaymentRun> {
    let p = ctx.principal()?;
    p.require("payment:process")?;
    let run = repo::run(tx, id, true).await?.ok_or(AppError::NotFound)?;
    if run.status != "proposed" {
        return Err(AppError::InvalidState);
    }
    let proposal = get(tx, ctx, id).await?;
    if proposal.suppliers.is_empty() {
        return Err(AppError::field("due_by", FieldError::NoLines));
    }
    let (company, language, grouping) = repo::letterhead(tx, p.tenant_id).await?;
    let grouping: crate::format::Grouping =
        grouping.parse().unwrap_or(crate::format::Grouping::Western);
    for s in &proposal.suppliers {
        let payment = create_in(
            tx,
            ctx,
            PaymentInput {
                supplier_id: s.supplier_id,
                date: run.payment_date,
                bank_account_id: run.bank_account_id,
                allocations: s
                    .invoices
                    .iter()
                    .map(|i| AllocationInput {
                        supplier_invoice_id: i.supplier_invoice_id,
                        amount: i.amount,
                    })
                    .collect(),
                reference: Some(run.number.clone()),
            },
            Some(id),
        )
        .await?;
        let Some(supplier) = procurement::supplier_facts(tx, s.supplier_id).await? else {
            continue;
        };
        let Some(to) = supplier.email.as_deref().filter(|e| !e.is_empty()) else {
            continue;
        };
        let locale = supplier
            .language
            .as_deref()
            .and_then(|l| l.parse::<crate::i18n::Locale>().ok())
            .or_else(|| language.parse::<crate::i18n::Locale>().ok())
            .unwrap_or_default();
        let (subject, body) = advice(&payment, &supplier.name, &company, locale, grouping);
        crate::platform::outbox::enqueue(
            tx,
            p.tenant_id,
            crate::platform::outbox::Email {
                to,
                to_name: Some(&supplier.name),
                subject: &subject,
                body: &body,
                attachment: None,
                doc_type: Some("payment"),
                doc_id: Some(payment.id),
            },
        )
        .await?;
    }
    repo::approve_run(tx, id, p.user_id).await?;
    get(tx, ctx, id).await
}

/// A payment advice in the supplier's language: what was paid, and which invoices it settles.
fn advice(
    payment: &Payment,
    supplier: &str,
    company: &str,
    locale: crate::i18n::Locale,
    grouping: crate::format::Grouping,
) -> (String, String) {
    use leptos_i18n::td_string;
    let total = crate::format::format_money(payment.amount, &payment.currency, grouping);
    let invoices = payment
        .allocations
        .iter()
        .map(|a| {
            format!(
                "  {} — {}",
                a.supplier_number,
                crate::format::format_money(a.amount, &payment.currency, grouping)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let subject = td_string!(
        locale,
        ledger.advice_subject,
        number = payment.number.clone(),
        buyer = company.to_string()
    )
    .to_string();
    let body = td_string!(
        locale,
        ledger.advice_body,
        supplier = supplier.to_string(),
        total = total,
        date = crate::format::format_date(payment.date, locale),
        invoices = invoices,
        buyer = company.to_string()
    )
    .to_string();
    (subject, body)
}

/// The bank's upload file of an approved run: one row per payment (CSV, a header row).
pub async fn bank_file(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<(String, String)> {
    let p = ctx.principal()?;
    p.require("payment:process")?;
    let run = get(tx, ctx, id).await?;
    if run.status != "approved" {
        return Err(AppError::InvalidState);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "payment",
        "date",
        "supplier_code",
        "supplier",
        "amount",
        "currency",
        "reference",
        "invoices",
    ];
    w.write_record(header).map_err(|_| AppError::Internal)?;
    for pid in &run.payments {
        let pay = super::payments::get(tx, ctx, *pid).await?;
        let code = procurement::supplier_facts(tx, pay.supplier_id)
            .await?
            .map(|s| s.code)
            .unwrap_or_default();
        let invoices = pay
            .allocations
            .iter()
            .map(|a| a.supplier_number.clone())
            .collect::<Vec<_>>()
            .join(";");
        w.write_record([
            pay.number.as_str(),
            &pay.date.to_string(),
            &code,
            &pay.supplier,
            &pay.amount.to_string(),
            &pay.currency,
            &run.number,
            &invoices,
        ])
        .map_err(|_| AppError::Internal)?;
    }
    let bytes = w.into_inner().map_err(|_| AppError::Internal)?;
    let text = String::from_utf8(bytes).map_err(|_| AppError::Internal)?;
    Ok((format!("{}.csv", run.number), text))
}

/// Payment runs, newest first, each with how many invoices of how many suppliers it pays and for
/// how much. Readers of the books.
pub async fn list(
    tx: &mut Tx,
    ctx: &RequestCtx,
    page: u32,
    per_page: u32,
) -> AppResult<crate::platform::paging::Page<RunListItem>> {
    super::home::can_read_payables(ctx)?;
    let p = ctx.principal()?;
    let per_page = per_page.clamp(1, 100);
    let page = page.max(1);
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let total = runs_repo::count(tx).await?;
    let rows = runs_repo::list(
        tx,
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    )
    .await?;
    Ok(crate::platform::paging::Page {
        rows: rows
            .into_iter()
            .map(|r| RunListItem {
                id: r.id,
                number: r.number,
                due_by: r.due_by,
                payment_date: r.payment_date,
                status: r.status,
                created_at: r.created_at,
                invoices: r.invoices,
                suppliers: r.suppliers,
                total: at_scale(r.total, &books.currency),
                currency: books.currency.clone(),
            })
            .collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    })
}

/// Changes what a proposed run pays of one of its invoices (`payment:process`): a part of what is
/// still due, never more (422 `amount` EXCEEDS_DUE); 0 drops the invoice from the run. Only while
/// the run is proposed (422 INVALID_STATE once approved); an invoice the run does not hold is 404.
pub async fn set_line(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Uuid,
    invoice_id: Uuid,
    input: RunLineInput,
) -> AppResult<PaymentRun> {
    let p = ctx.principal()?;
    p.require("payment:process")?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let currency: crate::types::Currency =
        books.currency.parse().map_err(|_| AppError::Internal)?;
    let run = repo::run(tx, id, true).await?.ok_or(AppError::NotFound)?;
    if run.status != "proposed" {
        return Err(AppError::InvalidState);
    }
    let due = runs_repo::line_due(tx, id, invoice_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let amount = input.amount;
    if amount < Decimal::ZERO {
        return Err(AppError::field("amount", FieldError::MustBePositive));
    }
    if super::journal::round_money(amount, currency) != amount {
        return Err(AppError::field("amount", FieldError::TooManyDecimals));
    }
    if amount > due {
        return Err(AppError::field("amount", FieldError::ExceedsDue));
    }
    if amount.is_zero() {
        runs_repo::drop_line(tx, id, invoice_id).await?;
    } else {
        runs_repo::set_line(tx, id, invoice_id, amount).await?;
    }
    crate::platform::audit::record(
        tx,
        p.tenant_id,
        ctx,
        crate::platform::audit::Entry {
            user_id: Some(p.user_id),
            action: "update",
            entity: "payment_run",
            entity_id: Some(id.to_string()),
            old: None,
            new: Some(serde_json::json!({ "invoice_id": invoice_id, "amount": amount })),
        },
    )
    .await?;
    get(tx, ctx, id).await
}
