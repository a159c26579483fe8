//! The accountant's reports as export tables ([`crate::platform::export::Table`]): the same
//! service call as the screen and the JSON (so the same permission check), its rows and its
//! totals, headed in the reader's language with the company and the report's dates. Each builder
//! answers the table and the file's name (`trial-balance-2026-04-01-2026-12-06`).
use super::{payments, reports, statements};
use crate::error::AppResult;
use crate::finance::model::{LedgerQuery, TrialBalanceQuery};
use crate::format::format_date;
use crate::i18n::Locale;
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::export::{table_for, Cell, Kind, Table};
use chrono::NaiveDate;
use leptos_i18n::td_string;
use rust_decimal::Decimal;
use uuid::Uuid;

fn span(locale: Locale, from: NaiveDate, to: NaiveDate) -> String {
    td_string!(
        locale,
        frep.span,
        from = format_date(from, locale),
        to = format_date(to, locale)
    )
    .to_string()
}

fn as_of(locale: Locale, day: NaiveDate) -> String {
    td_string!(locale, frep.as_of, date = format_date(day, locale)).to_string()
}

/// A table headed with the company's name and `filters`.
fn report(ctx: &RequestCtx, title: String, filters: Vec<String>) -> AppResult<Table> {
    let company = ctx.principal()?.user.tenant.name.clone();
    let mut t = table_for(ctx, title)?.subtitle(company);
    for f in filters {
        t = t.subtitle(f);
    }
    Ok(t)
}

fn dated(name: &str, from: NaiveDate, to: NaiveDate) -> String {
    format!("{name}-{from}-{to}")
}

/// Debit and credit of a signed balance (debit positive), each positive or blank.
fn sides(balance: Decimal, c: &str) -> (Cell, Cell) {
    if balance > Decimal::ZERO {
        (Cell::money(balance, c), Cell::Empty)
    } else if balance < Decimal::ZERO {
        (Cell::Empty, Cell::money(-balance, c))
    } else {
        (Cell::Empty, Cell::Empty)
    }
}

pub async fn trial_balance(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: TrialBalanceQuery,
) -> AppResult<(Table, String)> {
    let tb = reports::trial_balance(tx, ctx, q).await?;
    let l = ctx.locale;
    let c = tb.currency.as_str();
    let mut t = report(
        ctx,
        td_string!(l, frep.t_tb).to_string(),
        vec![span(l, tb.from, tb.to)],
    )?
    .column(td_string!(l, frep.code), Kind::Text)
    .column(td_string!(l, frep.account), Kind::Text)
    .column(td_string!(l, frep.opening_dr), Kind::Money)
    .column(td_string!(l, frep.opening_cr), Kind::Money)
    .column(td_string!(l, frep.debit), Kind::Money)
    .column(td_string!(l, frep.credit), Kind::Money)
    .column(td_string!(l, frep.closing_dr), Kind::Money)
    .column(td_string!(l, frep.closing_cr), Kind::Money);
    for r in &tb.rows {
        let (od, oc) = sides(r.opening, c);
        let (cd, cc) = sides(r.closing, c);
        t.rows.push(vec![
            Cell::text(&r.account.code),
            Cell::text(&r.account.name),
            od,
            oc,
            Cell::money(r.debit, c),
            Cell::money(r.credit, c),
            cd,
            cc,
        ]);
    }
    let s = &tb.totals;
    t.total_row(vec![
        Cell::text(td_string!(l, frep.total)),
        Cell::Empty,
        Cell::money(s.opening_debit, c),
        Cell::money(s.opening_credit, c),
        Cell::money(s.debit, c),
        Cell::money(s.credit, c),
        Cell::money(s.closing_debit, c),
        Cell::money(s.closing_credit, c),
    ]);
    Ok((t, dated("trial-balance", tb.from, tb.to)))
}

pub async fn ap_ageing(
    tx: &mut Tx,
    ctx: &RequestCtx,
    day: Option<NaiveDate>,
) -> AppResult<(Table, String)> {
    let a = payments::ageing(tx, ctx, day).await?;
    let l = ctx.locale;
    let c = a.currency.as_str();
    let mut t = report(
        ctx,
        td_string!(l, frep.t_ageing).to_string(),
        vec![as_of(l, a.as_of)],
    )?
    .column(td_string!(l, frep.supplier), Kind::Text)
    .column(td_string!(l, frep.current), Kind::Money)
    .column(td_string!(l, frep.d1_30), Kind::Money)
    .column(td_string!(l, frep.d31_60), Kind::Money)
    .column(td_string!(l, frep.d61_90), Kind::Money)
    .column(td_string!(l, frep.over_90), Kind::Money)
    .column(td_string!(l, frep.total), Kind::Money);
    let row = |name: Cell, b: &crate::finance::payment::Buckets| {
        vec![
            name,
            Cell::money(b.current, c),
            Cell::money(b.days_1_30, c),
            Cell::money(b.days_31_60, c),
            Cell::money(b.days_61_90, c),
            Cell::money(b.over_90, c),
            Cell::money(b.total, c),
        ]
    };
    for r in &a.rows {
        t.rows.push(row(Cell::text(&r.supplier), &r.buckets));
    }
    t.total_row(row(Cell::text(td_string!(l, frep.total)), &a.totals));
    Ok((t, format!("ap-ageing-{}", a.as_of)))
}

pub async fn grni(
    tx: &mut Tx,
    ctx: &RequestCtx,
    day: Option<NaiveDate>,
) -> AppResult<(Table, String)> {
    let mut g = reports::grni(tx, ctx, day).await?;
    oldest_first(&mut g.rows);
    let l = ctx.locale;
    let c = g.currency.as_str();
    let mut t = report(
        ctx,
        td_string!(l, frep.t_grni).to_string(),
        vec![as_of(l, g.as_of)],
    )?
    .column(td_string!(l, frep.oldest), Kind::Date)
    .column(td_string!(l, frep.po), Kind::Text)
    .column(td_string!(l, frep.supplier), Kind::Text)
    .column(td_string!(l, frep.description), Kind::Text)
    .column(td_string!(l, frep.received), Kind::Quantity)
    .column(td_string!(l, frep.unit), Kind::Text)
    .column(td_string!(l, frep.unit_price), Kind::Decimal(4))
    .column(td_string!(l, frep.value), Kind::Money);
    for r in &g.rows {
        t.rows.push(vec![
            Cell::Date(r.oldest),
            Cell::opt_text(r.purchase_order.clone()),
            Cell::opt_text(r.supplier.clone()),
            Cell::opt_text(r.description.clone()),
            r.received_quantity.map(Cell::Number).unwrap_or(Cell::Empty),
            Cell::opt_text(r.unit.clone()),
            r.unit_price.map(Cell::Number).unwrap_or(Cell::Empty),
            Cell::money(r.value, c),
        ]);
    }
    if !g.unallocated.is_zero() {
        t.rows.push(vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text(td_string!(l, frep.unallocated)),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::money(g.unallocated, c),
        ]);
    }
    let blank = || vec![Cell::Empty; 6];
    let mut total = vec![Cell::text(td_string!(l, frep.total))];
    total.extend(blank());
    total.push(Cell::money(g.total, c));
    t.total_row(total);
    Ok((t, format!("grni-{}", g.as_of)))
}

/// GRNI rows oldest first (then by order number), as the screen and the files show them.
pub fn oldest_first(rows: &mut [crate::finance::model::GrniRow]) {
    rows.sort_by(|a, b| {
        (a.oldest, a.purchase_order.as_deref()).cmp(&(b.oldest, b.purchase_order.as_deref()))
    });
}

pub async fn general_ledger(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: LedgerQuery,
) -> AppResult<(Table, String)> {
    let gl = statements::general_ledger_all(tx, ctx, q).await?;
    let l = ctx.locale;
    let c = gl.currency.as_str();
    let account = td_string!(
        l,
        frep.account_is,
        code = gl.account.code.clone(),
        name = gl.account.name.clone()
    )
    .to_string();
    let mut t = report(
        ctx,
        td_string!(l, frep.t_gl).to_string(),
        vec![account, span(l, gl.from, gl.to)],
    )?
    .column(td_string!(l, frep.date), Kind::Date)
    .column(td_string!(l, frep.entry), Kind::Text)
    .column(td_string!(l, frep.narration), Kind::Text)
    .column(td_string!(l, frep.debit), Kind::Money)
    .column(td_string!(l, frep.credit), Kind::Money)
    .column(td_string!(l, frep.balance), Kind::Money);
    t.rows.push(vec![
        Cell::Date(gl.from),
        Cell::Empty,
        Cell::text(td_string!(l, frep.opening_balance)),
        Cell::Empty,
        Cell::Empty,
        Cell::money(gl.opening, c),
    ]);
    for r in &gl.lines {
        let narration = match &r.memo {
            Some(m) if !m.is_empty() => format!("{} — {m}", r.narration),
            _ => r.narration.clone(),
        };
        t.rows.push(vec![
            Cell::Date(r.date),
            Cell::text(&r.number),
            Cell::text(narration),
            Cell::money(r.debit, c),
            Cell::money(r.credit, c),
            Cell::money(r.balance, c),
        ]);
    }
    t.total_row(vec![
        Cell::Date(gl.to),
        Cell::Empty,
        Cell::text(td_string!(l, frep.closing_balance)),
        Cell::money(gl.debit, c),
        Cell::money(gl.credit, c),
        Cell::money(gl.closing, c),
    ]);
    let t = t.cut(gl.total + 2, false);
    let name = format!("general-ledger-{}", gl.account.code);
    Ok((t, dated(&name, gl.from, gl.to)))
}

pub async fn supplier_statement(
    tx: &mut Tx,
    ctx: &RequestCtx,
    supplier_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<(Table, String)> {
    let s = statements::supplier_statement(tx, ctx, supplier_id, from, to).await?;
    let l = ctx.locale;
    let c = s.currency.as_str();
    let mut who = td_string!(l, frep.supplier_is, name = s.supplier.clone()).to_string();
    if let Some(g) = &s.gstin {
        who = format!("{who} · GSTIN {g}");
    }
    let mut t = report(
        ctx,
        td_string!(l, frep.t_statement).to_string(),
        vec![who, span(l, s.from, s.to)],
    )?
    .column(td_string!(l, frep.date), Kind::Date)
    .column(td_string!(l, frep.kind), Kind::Text)
    .column(td_string!(l, frep.document), Kind::Text)
    .column(td_string!(l, frep.reference), Kind::Text)
    .column(td_string!(l, frep.debit), Kind::Money)
    .column(td_string!(l, frep.credit), Kind::Money)
    .column(td_string!(l, frep.balance), Kind::Money);
    t.rows.push(vec![
        Cell::Date(s.from),
        Cell::text(td_string!(l, frep.opening_balance)),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::money(s.opening, c),
    ]);
    for r in &s.lines {
        t.rows.push(vec![
            Cell::Date(r.date),
            Cell::text(kind_label(l, &r.kind)),
            Cell::text(&r.document),
            Cell::opt_text(r.reference.clone()),
            Cell::money(r.debit, c),
            Cell::money(r.credit, c),
            Cell::money(r.balance, c),
        ]);
    }
    t.total_row(vec![
        Cell::Date(s.to),
        Cell::text(td_string!(l, frep.closing_balance)),
        Cell::Empty,
        Cell::Empty,
        Cell::money(s.paid, c),
        Cell::money(s.invoiced, c),
        Cell::money(s.closing, c),
    ]);
    let name = format!("supplier-statement-{}", ascii(&s.supplier_code));
    Ok((t, dated(&name, s.from, s.to)))
}

/// The translated name of a statement line's kind.
pub fn kind_label(l: Locale, kind: &str) -> String {
    match kind {
        "invoice" => td_string!(l, frep.k_invoice),
        "payment" => td_string!(l, frep.k_payment),
        "reversal" => td_string!(l, frep.k_reversal),
        _ => td_string!(l, frep.k_other),
    }
    .to_string()
}

/// A name's letters and digits for a file name (others become `-`).
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

pub async fn input_tax(
    tx: &mut Tx,
    ctx: &RequestCtx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<(Table, String)> {
    let r = statements::input_tax(tx, ctx, from, to).await?;
    let l = ctx.locale;
    let c = r.currency.as_str();
    let mut t = report(
        ctx,
        td_string!(l, frep.t_input_tax).to_string(),
        vec![span(l, r.from, r.to)],
    )?
    .column(td_string!(l, frep.supplier), Kind::Text)
    .column(td_string!(l, frep.gstin), Kind::Text)
    .column(td_string!(l, frep.rate), Kind::Quantity)
    .column(td_string!(l, frep.taxable), Kind::Money)
    .column(td_string!(l, frep.cgst), Kind::Money)
    .column(td_string!(l, frep.sgst), Kind::Money)
    .column(td_string!(l, frep.igst), Kind::Money)
    .column(td_string!(l, frep.total), Kind::Money);
    let mut taxable = Decimal::ZERO;
    for row in &r.rows {
        taxable += row.taxable;
        t.rows.push(vec![
            Cell::text(&row.supplier),
            Cell::opt_text(row.gstin.clone()),
            Cell::Number(row.rate),
            Cell::money(row.taxable, c),
            Cell::money(row.tax.cgst, c),
            Cell::money(row.tax.sgst, c),
            Cell::money(row.tax.igst, c),
            Cell::money(row.tax.total, c),
        ]);
    }
    t.total_row(vec![
        Cell::text(td_string!(l, frep.total)),
        Cell::Empty,
        Cell::Empty,
        Cell::money(taxable, c),
        Cell::money(r.totals.cgst, c),
        Cell::money(r.totals.sgst, c),
        Cell::money(r.totals.igst, c),
        Cell::money(r.totals.total, c),
    ]);
    Ok((t, dated("input-tax", r.from, r.to)))
}
