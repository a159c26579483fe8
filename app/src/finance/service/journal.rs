//! The journal: every posting of the product and every manual entry goes through [`post`], which
//! refuses an entry that does not balance, a closed period and a group account before the database
//! refuses them too. Entries are never edited; [`reverse_entry`] posts the mirror image.
use super::{can_read, periods::period_for};
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::model::{
    JournalEntry, JournalFilter, JournalLine, ManualEntryInput, ReverseEntryInput,
};
use crate::finance::repo::{accounts as accounts_repo, journal as repo, periods as periods_repo};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::paging::Page;
use crate::types::Currency;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// An entry as the product or an accountant makes it.
#[derive(Clone, Debug)]
pub struct Posting {
    pub date: NaiveDate,
    pub narration: String,
    /// goods_receipt, stock_issue, supplier_invoice, payment, manual, opening, reversal …
    pub source: &'static str,
    pub source_id: Option<Uuid>,
    pub reverses: Option<Uuid>,
    pub lines: Vec<PostingLine>,
}

#[derive(Clone, Debug, Default)]
pub struct PostingLine {
    pub account_id: Uuid,
    pub debit: Decimal,
    pub credit: Decimal,
    pub plant_id: Option<Uuid>,
    pub cost_centre_id: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    pub bill_ref: Option<Uuid>,
    pub source_line_id: Option<Uuid>,
    pub memo: Option<String>,
}

impl PostingLine {
    pub fn debit(account_id: Uuid, amount: Decimal) -> PostingLine {
        PostingLine {
            account_id,
            debit: amount,
            ..Default::default()
        }
    }

    pub fn credit(account_id: Uuid, amount: Decimal) -> PostingLine {
        PostingLine {
            account_id,
            credit: amount,
            ..Default::default()
        }
    }
}

/// Rounds a computed amount half away from zero to the currency's minor unit.
pub fn round_money(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    )
}

/// Writes an entry in `tx`: lines of zero are left out (an issue of goods that cost nothing),
/// and an entry left with nothing is not written (`None`). Amounts must already be in the
/// currency's minor unit; debits must equal credits (422 on `lines`); the period of `date` must
/// be open (422 `PERIOD_CLOSED`; a date no fiscal year covers gets its year made).
pub async fn post(
    tx: &mut Tx,
    tenant_id: Uuid,
    user_id: Option<Uuid>,
    posting: Posting,
) -> AppResult<Option<Uuid>> {
    let books = periods_repo::tenant_books(tx, tenant_id).await?;
    let currency: Currency = books.currency.parse().map_err(|_| AppError::Internal)?;
    post_in(tx, tenant_id, user_id, new_entry_id(), currency, posting).await
}

/// A new entry's id: time-ordered (UUID v7), so that the journal's indexes on ids grow at their
/// right edge instead of touching a random page of an index of millions per posting.
pub fn new_entry_id() -> Uuid {
    Uuid::now_v7()
}

/// [`post`] for a caller that has read the tenant's books already (`currency` is theirs) and
/// chooses the entry's id, which it may name beforehand (a document that records its entry
/// before the entry is written: the reference is checked at the commit). The entry's number is
/// drawn by the statement that writes the entry and its lines, so the tenant's counter is held
/// for that statement and the commit.
pub(crate) async fn post_in(
    tx: &mut Tx,
    tenant_id: Uuid,
    user_id: Option<Uuid>,
    id: Uuid,
    currency: Currency,
    posting: Posting,
) -> AppResult<Option<Uuid>> {
    let mut lines: Vec<PostingLine> = posting
        .lines
        .into_iter()
        .filter(|l| !(l.debit.is_zero() && l.credit.is_zero()))
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    for l in &lines {
        let one_sided = (l.debit > Decimal::ZERO) != (l.credit > Decimal::ZERO);
        if !one_sided || l.debit < Decimal::ZERO || l.credit < Decimal::ZERO {
            return Err(AppError::field("lines", FieldError::Invalid));
        }
        if round_money(l.debit, currency) != l.debit || round_money(l.credit, currency) != l.credit
        {
            return Err(AppError::field("lines", FieldError::TooManyDecimals));
        }
    }
    let debits: Decimal = lines.iter().map(|l| l.debit).sum();
    let credits: Decimal = lines.iter().map(|l| l.credit).sum();
    if debits != credits || lines.len() < 2 {
        return Err(AppError::field("lines", FieldError::Unbalanced));
    }
    let period = period_for(tx, tenant_id, posting.date).await?;
    // one order for every posting: the balance rows are then locked in one order, never crosswise
    lines.sort_by_key(|l| (l.account_id, l.plant_id, l.cost_centre_id));
    let mut cols = repo::NewLines::default();
    for l in lines {
        cols.account.push(l.account_id);
        cols.debit.push(l.debit);
        cols.credit.push(l.credit);
        cols.plant.push(l.plant_id);
        cols.cost_centre.push(l.cost_centre_id);
        cols.supplier.push(l.supplier_id);
        cols.bill_ref.push(l.bill_ref);
        cols.source_line.push(l.source_line_id);
        cols.memo.push(l.memo);
    }
    // the entry and its lines in one statement, the last of the posting: the tenant's counter
    // is then held for that statement and the commit only
    repo::insert_entry(
        tx,
        &repo::NewEntry {
            tenant_id,
            id,
            date: posting.date,
            period_id: period,
            narration: posting.narration.trim(),
            source: posting.source,
            source_id: posting.source_id,
            reverses: posting.reverses,
            currency: currency.code(),
            created_by: user_id,
        },
        &cols,
    )
    .await?;
    Ok(Some(id))
}

/// A manual entry by an accountant (`accounting:manage`): each line one-sided, in the currency's
/// minor unit, on an active account (not a group), its plant and cost centre the tenant's.
pub async fn manual_entry(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: ManualEntryInput,
) -> AppResult<JournalEntry> {
    let p = ctx.principal()?;
    p.require("accounting:manage")?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let currency: Currency = books.currency.parse().map_err(|_| AppError::Internal)?;
    let mut e = BTreeMap::new();
    let narration = input.narration.trim();
    if narration.is_empty() {
        e.insert("narration".to_string(), FieldError::Required);
    } else if narration.chars().count() > 500 {
        e.insert("narration".to_string(), FieldError::TooLong);
    }
    if input.lines.len() < 2 {
        e.insert("lines".to_string(), FieldError::NoLines);
    }
    let accounts: HashMap<Uuid, (bool, bool)> = accounts_repo::postable(
        tx,
        &input.lines.iter().map(|l| l.account_id).collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|(id, group, active)| (id, (group, active)))
    .collect();
    let plants: HashSet<Uuid> = accounts_repo::known_plants(
        tx,
        &input
            .lines
            .iter()
            .filter_map(|l| l.plant_id)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .collect();
    let centres: HashSet<Uuid> = accounts_repo::known_cost_centres(
        tx,
        &input
            .lines
            .iter()
            .filter_map(|l| l.cost_centre_id)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .collect();
    let mut lines = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        match accounts.get(&l.account_id) {
            None | Some((_, false)) => {
                e.insert(f("account_id"), FieldError::UnknownReference);
            }
            Some((true, _)) => {
                e.insert(f("account_id"), FieldError::GroupAccount);
            }
            Some((false, true)) => {}
        }
        if l.plant_id.is_some_and(|x| !plants.contains(&x)) {
            e.insert(f("plant_id"), FieldError::UnknownReference);
        }
        if l.cost_centre_id.is_some_and(|x| !centres.contains(&x)) {
            e.insert(f("cost_centre_id"), FieldError::UnknownReference);
        }
        let debit = l.debit.unwrap_or_default();
        let credit = l.credit.unwrap_or_default();
        for (name, v) in [("debit", debit), ("credit", credit)] {
            if v < Decimal::ZERO {
                e.insert(f(name), FieldError::NotNegative);
            } else if round_money(v, currency) != v {
                e.insert(f(name), FieldError::TooManyDecimals);
            } else if v > Decimal::from(1_000_000_000_000i64) {
                e.insert(f(name), FieldError::TooLong);
            }
        }
        if (debit > Decimal::ZERO) == (credit > Decimal::ZERO) {
            e.entry(f("debit")).or_insert(FieldError::Invalid);
        }
        let memo = l
            .memo
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        if memo.as_ref().is_some_and(|m| m.chars().count() > 300) {
            e.insert(f("memo"), FieldError::TooLong);
        }
        lines.push(PostingLine {
            account_id: l.account_id,
            debit,
            credit,
            plant_id: l.plant_id,
            cost_centre_id: l.cost_centre_id,
            memo,
            ..Default::default()
        });
    }
    if e.is_empty() {
        let d: Decimal = lines.iter().map(|l| l.debit).sum();
        let c: Decimal = lines.iter().map(|l| l.credit).sum();
        if d != c {
            e.insert("lines".to_string(), FieldError::Unbalanced);
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let id = post(
        tx,
        p.tenant_id,
        Some(p.user_id),
        Posting {
            date: input.date,
            narration: narration.to_string(),
            source: "manual",
            source_id: None,
            reverses: None,
            lines,
        },
    )
    .await?
    .ok_or(AppError::field("lines", FieldError::NoLines))?;
    audit(tx, ctx, "journal.post", id).await?;
    get(tx, ctx, id).await
}

/// The mirror image of an entry on `date`, with the reason as its narration; an entry is reversed
/// once (a second time: 422 `INVALID_STATE`), a reversal itself too.
pub async fn reverse_entry(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Uuid,
    input: ReverseEntryInput,
) -> AppResult<JournalEntry> {
    let p = ctx.principal()?;
    p.require("accounting:manage")?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", FieldError::Required));
    }
    if reason.chars().count() > 400 {
        return Err(AppError::field("reason", FieldError::TooLong));
    }
    // a second reversal racing this one fails on journal_entries_reversed_once (409)
    let original = repo::entry(tx, id).await?.ok_or(AppError::NotFound)?;
    if original.reversed_by.is_some() {
        return Err(AppError::InvalidState);
    }
    let lines = repo::lines_of(tx, &[id]).await?;
    let rid = post(
        tx,
        p.tenant_id,
        Some(p.user_id),
        Posting {
            date: input.date,
            narration: format!("{} {}: {}", original.number, "↩", reason),
            source: "reversal",
            source_id: original.source_id,
            reverses: Some(id),
            lines: mirrored(&lines),
        },
    )
    .await?
    .ok_or(AppError::Internal)?;
    audit(tx, ctx, "journal.reverse", rid).await?;
    get(tx, ctx, rid).await
}

/// The lines with debits and credits swapped, everything else kept.
pub(crate) fn mirrored(lines: &[repo::LineRow]) -> Vec<PostingLine> {
    lines
        .iter()
        .map(|l| PostingLine {
            account_id: l.account_id,
            debit: l.credit,
            credit: l.debit,
            plant_id: l.plant_id,
            cost_centre_id: l.cost_centre_id,
            supplier_id: l.supplier_id,
            bill_ref: l.bill_ref,
            source_line_id: l.source_line_id,
            memo: l.memo.clone(),
        })
        .collect()
}

async fn audit(tx: &mut Tx, ctx: &RequestCtx, action: &'static str, id: Uuid) -> AppResult<()> {
    let p = ctx.principal()?;
    crate::platform::audit::record(
        tx,
        p.tenant_id,
        ctx,
        crate::platform::audit::Entry {
            user_id: Some(p.user_id),
            action,
            entity: "journal_entry",
            entity_id: Some(id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    Ok(())
}

/// One entry with its lines (anyone who reads the books).
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<JournalEntry> {
    can_read(ctx)?;
    let row = repo::entry(tx, id).await?.ok_or(AppError::NotFound)?;
    let lines = repo::lines_of(tx, &[id]).await?;
    Ok(assemble(row, lines))
}

/// A page of entries, newest first.
pub async fn list(
    tx: &mut Tx,
    ctx: &RequestCtx,
    filter: JournalFilter,
) -> AppResult<Page<JournalEntry>> {
    can_read(ctx)?;
    let per_page = filter.per_page.clamp(1, 100);
    let page = filter.page.max(1);
    let source = filter.source.as_deref().filter(|s| !s.is_empty());
    let total = repo::count_entries(tx, filter.account_id, filter.from, filter.to, source).await?;
    let rows = repo::entries(
        tx,
        filter.account_id,
        filter.from,
        filter.to,
        source,
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    )
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut by_entry: HashMap<Uuid, Vec<repo::LineRow>> = HashMap::new();
    for l in repo::lines_of(tx, &ids).await? {
        by_entry.entry(l.entry_id).or_default().push(l);
    }
    Ok(Page {
        rows: rows
            .into_iter()
            .map(|r| {
                let lines = by_entry.remove(&r.id).unwrap_or_default();
                assemble(r, lines)
            })
            .collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    })
}

/// An amount at its currency's scale (`102.00`, not the column's `102.0000`).
pub(crate) fn at_scale(amount: Decimal, currency: &str) -> Decimal {
    let minor = currency
        .parse::<Currency>()
        .map(Currency::minor_units)
        .unwrap_or(2);
    let mut a = amount.round_dp(minor);
    a.rescale(minor);
    a
}

fn assemble(r: repo::EntryRow, lines: Vec<repo::LineRow>) -> JournalEntry {
    let c = r.currency.clone();
    JournalEntry {
        id: r.id,
        number: r.number,
        date: r.entry_date,
        narration: r.narration,
        source: r.source,
        source_id: r.source_id,
        reverses: r.reverses,
        reversed_by: r.reversed_by,
        currency: r.currency,
        total: at_scale(r.total, &c),
        created_at: r.created_at,
        lines: lines
            .into_iter()
            .map(|l| JournalLine {
                account_id: l.account_id,
                account_code: l.account_code,
                account_name: l.account_name,
                debit: at_scale(l.debit, &c),
                credit: at_scale(l.credit, &c),
                plant_id: l.plant_id,
                cost_centre_id: l.cost_centre_id,
                supplier_id: l.supplier_id,
                memo: l.memo,
            })
            .collect(),
    }
}
