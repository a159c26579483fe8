//! The supplier statement and the input-tax register, and the whole general ledger of an account
//! for its export.
use super::can_read;
use super::journal::at_scale;
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::model::{GeneralLedger, LedgerLine, LedgerQuery};
use crate::finance::repo::{periods as periods_repo, reports as reports_repo, statements as repo};
use crate::finance::statement::{
    InputTaxHead, InputTaxRegister, InputTaxRow, StatementLine, SupplierStatement, TaxHeads,
};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::procurement::service as procurement;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// `from` and `to` with the reports' defaults (the fiscal year so far), `to` not before `from`.
async fn span(
    tx: &mut Tx,
    ctx: &RequestCtx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<(NaiveDate, NaiveDate, String)> {
    let p = ctx.principal()?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let (year_start, _) =
        super::periods::year_around(books.today, u32::try_from(books.start_month).unwrap_or(1));
    let from = from.unwrap_or(year_start);
    let to = to.unwrap_or(books.today);
    if to < from {
        return Err(AppError::field("to", FieldError::Invalid));
    }
    Ok((from, to, books.currency))
}

/// What `supplier_id` was owed from `from` to `to` (default: the fiscal year so far): the
/// balance before, each invoice, payment and reversal on accounts payable in date order with the
/// running balance, and the closing balance (the supplier's balance on the AP account).
pub async fn supplier_statement(
    tx: &mut Tx,
    ctx: &RequestCtx,
    supplier_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<SupplierStatement> {
    can_read(ctx)?;
    let supplier_id =
        supplier_id.ok_or_else(|| AppError::field("supplier_id", FieldError::Required))?;
    let supplier = procurement::suppliers_facts(tx, &[supplier_id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::field("supplier_id", FieldError::UnknownReference))?;
    let (from, to, currency) = span(tx, ctx, from, to).await?;
    let opening = repo::owed_before(tx, supplier_id, from).await?;
    let rows = repo::statement_lines(tx, supplier_id, from, to).await?;
    let mut balance = opening;
    let (mut invoiced, mut paid) = (Decimal::ZERO, Decimal::ZERO);
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        balance += r.credit - r.debit;
        invoiced += r.credit;
        paid += r.debit;
        let (kind, document_id, document, reference) = match r.source.as_str() {
            "supplier_invoice" => (
                "invoice",
                r.invoice_id,
                r.invoice_number.unwrap_or_else(|| r.number.clone()),
                r.supplier_number,
            ),
            "payment" => (
                "payment",
                r.payment_id,
                r.payment_number.unwrap_or_else(|| r.number.clone()),
                r.payment_reference,
            ),
            "reversal" => ("reversal", None, r.number.clone(), None),
            _ => ("other", None, r.number.clone(), None),
        };
        lines.push(StatementLine {
            date: r.entry_date,
            kind: kind.to_string(),
            document_id,
            document,
            reference,
            entry_id: r.entry_id,
            entry_number: r.number,
            debit: at_scale(r.debit, &currency),
            credit: at_scale(r.credit, &currency),
            balance: at_scale(balance, &currency),
        });
    }
    Ok(SupplierStatement {
        supplier_id,
        supplier: supplier.name,
        supplier_code: supplier.code,
        gstin: supplier.gstin,
        from,
        to,
        opening: at_scale(opening, &currency),
        invoiced: at_scale(invoiced, &currency),
        paid: at_scale(paid, &currency),
        closing: at_scale(balance, &currency),
        lines,
        currency,
    })
}

/// GST input from `from` to `to` (default: the fiscal year so far), from the posted supplier
/// invoices: per supplier GSTIN and rate, per head and rate, totals by head, and the GST input
/// accounts' movements over the same days (equal to the totals when nothing else posts there).
pub async fn input_tax(
    tx: &mut Tx,
    ctx: &RequestCtx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<InputTaxRegister> {
    can_read(ctx)?;
    let (from, to, currency) = span(tx, ctx, from, to).await?;
    let found = repo::input_tax(tx, from, to).await?;
    let ids: Vec<Uuid> = found.iter().map(|r| r.supplier_id).collect();
    let suppliers: HashMap<Uuid, (String, Option<String>)> = procurement::suppliers_facts(tx, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, (s.name, s.gstin)))
        .collect();
    let scale = |d| at_scale(d, &currency);
    let mut totals = TaxHeads::default();
    let mut heads: BTreeMap<(&'static str, Decimal), (Decimal, Decimal)> = BTreeMap::new();
    let mut rows: Vec<InputTaxRow> = found
        .into_iter()
        .map(|r| {
            let tax = TaxHeads::new(scale(r.cgst), scale(r.sgst), scale(r.igst));
            totals.add(&tax);
            let rate = r.rate.normalize();
            for (head, amount) in [("cgst", tax.cgst), ("sgst", tax.sgst), ("igst", tax.igst)] {
                if !amount.is_zero() {
                    let e = heads.entry((head, rate)).or_default();
                    e.0 += scale(r.taxable);
                    e.1 += amount;
                }
            }
            let (supplier, gstin) = suppliers.get(&r.supplier_id).cloned().unwrap_or_default();
            InputTaxRow {
                supplier_id: r.supplier_id,
                supplier,
                gstin,
                rate,
                taxable: scale(r.taxable),
                tax,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.supplier.as_str(), a.gstin.as_deref(), a.rate).cmp(&(
            b.supplier.as_str(),
            b.gstin.as_deref(),
            b.rate,
        ))
    });
    let mut accounts = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for m in repo::gst_input_movements(tx, from, to).await? {
        match m.control.as_str() {
            "gst_input_cgst" => accounts.0 += m.movement,
            "gst_input_sgst" => accounts.1 += m.movement,
            _ => accounts.2 += m.movement,
        }
    }
    Ok(InputTaxRegister {
        from,
        to,
        rows,
        by_head: heads
            .into_iter()
            .map(|((head, rate), (taxable, tax))| InputTaxHead {
                head: head.to_string(),
                rate,
                taxable,
                tax,
            })
            .collect(),
        totals,
        accounts: TaxHeads::new(scale(accounts.0), scale(accounts.1), scale(accounts.2)),
        currency: currency.clone(),
    })
}

/// The general ledger of an account with all its lines of the span (up to
/// [`crate::platform::export::MAX_ROWS`]), for a file; `total` says how many there are.
pub async fn general_ledger_all(
    tx: &mut Tx,
    ctx: &RequestCtx,
    mut q: LedgerQuery,
) -> AppResult<GeneralLedger> {
    q.page = 1;
    q.per_page = 1;
    // the service checks the reader, the account and the dates, and reads the opening and totals
    let mut gl = super::reports::general_ledger(tx, ctx, q).await?;
    let limit = crate::platform::export::MAX_ROWS as i64;
    let rows = reports_repo::ledger_lines(tx, gl.account.id, gl.from, gl.to, limit, 0).await?;
    let c = gl.currency.clone();
    let opening = gl.opening;
    gl.lines = rows
        .into_iter()
        .map(|r| LedgerLine {
            entry_id: r.entry_id,
            number: r.number,
            date: r.entry_date,
            narration: r.narration,
            source: r.source,
            source_id: r.source_id,
            debit: at_scale(r.debit, &c),
            credit: at_scale(r.credit, &c),
            balance: at_scale(opening + r.running, &c),
            memo: r.memo,
        })
        .collect();
    gl.per_page = u32::try_from(gl.lines.len()).unwrap_or(u32::MAX);
    Ok(gl)
}

/// The suppliers with postings on accounts payable, by name: (id, code, name).
pub async fn statement_suppliers(
    tx: &mut Tx,
    ctx: &RequestCtx,
) -> AppResult<Vec<(Uuid, String, String)>> {
    can_read(ctx)?;
    let ids = repo::ap_suppliers(tx).await?;
    let mut out: Vec<(Uuid, String, String)> = procurement::suppliers_facts(tx, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.code, s.name))
        .collect();
    out.sort_by(|a, b| a.2.cmp(&b.2));
    Ok(out)
}
