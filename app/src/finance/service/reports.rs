//! The accountant's reports, read from the running balances.
use super::can_read;
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::model::{
    sides, AccountKind, AccountRef, Control, GeneralLedger, GrniReport, GrniRow, LedgerLine,
    LedgerQuery, TrialBalance, TrialBalanceQuery, TrialBalanceRow, TrialBalanceTotals,
};
use crate::finance::repo::{accounts as accounts_repo, periods as periods_repo, reports as repo};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;

/// The trial balance from `from` to `to` (default: the fiscal year so far): each account's
/// opening, debits, credits and closing, with totals whose debit and credit sides are equal.
pub async fn trial_balance(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: TrialBalanceQuery,
) -> AppResult<TrialBalance> {
    can_read(ctx)?;
    let p = ctx.principal()?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let (year_start, _) =
        super::periods::year_around(books.today, u32::try_from(books.start_month).unwrap_or(1));
    let from = q.from.unwrap_or(year_start);
    let to = q.to.unwrap_or(books.today);
    if to < from {
        return Err(AppError::field("to", FieldError::Invalid));
    }
    let rows = repo::trial_balance(tx, from, to, q.plant_id, q.company_id).await?;
    let c = books.currency.clone();
    let scale = |d| super::journal::at_scale(d, &c);
    let mut totals = TrialBalanceTotals::default();
    let rows: Vec<TrialBalanceRow> = rows
        .into_iter()
        .map(|r| {
            let closing = r.opening + r.debit - r.credit;
            let (od, oc) = sides(r.opening);
            let (cd, cc) = sides(closing);
            totals.opening_debit += od;
            totals.opening_credit += oc;
            totals.debit += r.debit;
            totals.credit += r.credit;
            totals.closing_debit += cd;
            totals.closing_credit += cc;
            TrialBalanceRow {
                account: AccountRef {
                    id: r.id,
                    code: r.code,
                    name: r.name,
                    kind: AccountKind::parse(&r.kind).unwrap_or(AccountKind::Asset),
                },
                opening: scale(r.opening),
                debit: scale(r.debit),
                credit: scale(r.credit),
                closing: scale(closing),
            }
        })
        .collect();
    let totals = TrialBalanceTotals {
        opening_debit: scale(totals.opening_debit),
        opening_credit: scale(totals.opening_credit),
        debit: scale(totals.debit),
        credit: scale(totals.credit),
        closing_debit: scale(totals.closing_debit),
        closing_credit: scale(totals.closing_credit),
    };
    Ok(TrialBalance {
        from,
        to,
        currency: books.currency,
        rows,
        totals,
    })
}

/// The ledger of one account (not a group) from `from` to `to` (default: the fiscal year so far):
/// its opening balance, a page of its lines in date order with the balance after each, its
/// closing balance. Read from the running balances up to `from`.
pub async fn general_ledger(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: LedgerQuery,
) -> AppResult<GeneralLedger> {
    can_read(ctx)?;
    let p = ctx.principal()?;
    let account_id = q
        .account_id
        .ok_or_else(|| AppError::field("account_id", FieldError::Required))?;
    let account = accounts_repo::account(tx, account_id)
        .await?
        .ok_or_else(|| AppError::field("account_id", FieldError::UnknownReference))?;
    if account.is_group {
        return Err(AppError::field("account_id", FieldError::GroupAccount));
    }
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let (year_start, _) =
        super::periods::year_around(books.today, u32::try_from(books.start_month).unwrap_or(1));
    let from = q.from.unwrap_or(year_start);
    let to = q.to.unwrap_or(books.today);
    if to < from {
        return Err(AppError::field("to", FieldError::Invalid));
    }
    let per_page = q.per_page.clamp(1, 100);
    let page = q.page.max(1);
    let opening = repo::balance_before(tx, account_id, from).await?;
    let (debit, credit, total) = repo::movement_between(tx, account_id, from, to).await?;
    let rows = repo::ledger_lines(
        tx,
        account_id,
        from,
        to,
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    )
    .await?;
    let c = books.currency.clone();
    let scale = |d| super::journal::at_scale(d, &c);
    Ok(GeneralLedger {
        account: AccountRef {
            id: account.id,
            code: account.code,
            name: account.name,
            kind: AccountKind::parse(&account.kind).unwrap_or(AccountKind::Asset),
        },
        from,
        to,
        opening: scale(opening),
        debit: scale(debit),
        credit: scale(credit),
        closing: scale(opening + debit - credit),
        lines: rows
            .into_iter()
            .map(|r| LedgerLine {
                entry_id: r.entry_id,
                number: r.number,
                date: r.entry_date,
                narration: r.narration,
                source: r.source,
                source_id: r.source_id,
                debit: scale(r.debit),
                credit: scale(r.credit),
                balance: scale(opening + r.running),
                memo: r.memo,
            })
            .collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
        currency: books.currency,
    })
}

/// Goods received not invoiced on `as_of` (default today), by order line, with each order's
/// number, supplier and line; the total equals the GRNI account's balance by construction (both
/// are read from the account's own lines).
pub async fn grni(
    tx: &mut Tx,
    ctx: &RequestCtx,
    as_of: Option<chrono::NaiveDate>,
) -> AppResult<GrniReport> {
    can_read(ctx)?;
    let p = ctx.principal()?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let as_of = as_of.unwrap_or(books.today);
    let account = super::stock::Roles::load(tx)
        .await?
        .get(Control::Grni, None)?;
    let found = repo::grni_by_order_line(tx, account, as_of).await?;
    let ids: Vec<uuid::Uuid> = found.iter().filter_map(|r| r.order_line_id).collect();
    let lines: std::collections::HashMap<uuid::Uuid, _> =
        crate::procurement::service::orders::order_lines_by_ids(tx, &ids)
            .await?
            .into_iter()
            .map(|(o, l)| (l.id, (o, l)))
            .collect();
    let c = books.currency.clone();
    let scale = |d| super::journal::at_scale(d, &c);
    let mut unallocated = rust_decimal::Decimal::ZERO;
    let mut total = rust_decimal::Decimal::ZERO;
    let mut rows = Vec::new();
    for r in found {
        total += r.balance;
        let Some(line_id) = r.order_line_id else {
            unallocated += r.balance;
            continue;
        };
        let known = lines.get(&line_id);
        rows.push(GrniRow {
            purchase_order_line_id: line_id,
            purchase_order_id: known.map(|(o, _)| o.id),
            purchase_order: known.map(|(o, _)| o.number.clone()),
            supplier: known.map(|(o, _)| o.supplier.clone()),
            description: known.map(|(_, l)| l.description.clone()),
            received_quantity: known.map(|(_, l)| l.received_quantity),
            unit: known.map(|(_, l)| l.unit.clone()),
            unit_price: known.map(|(_, l)| l.unit_price),
            value: scale(r.balance),
            oldest: r.oldest,
        });
    }
    Ok(GrniReport {
        as_of,
        rows,
        unallocated: scale(unallocated),
        total: scale(total),
        account_balance: scale(total),
        currency: books.currency,
    })
}
