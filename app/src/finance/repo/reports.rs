//! SQL of the accountant's reports: read from the running balances wherever a whole period is
//! asked for, and from the journal only for the days of a period cut by the dates asked.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct TrialRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub opening: Decimal,
    pub debit: Decimal,
    pub credit: Decimal,
}

/// Each account with an opening balance or movements: the opening before `from` (debit
/// positive), and the debits and credits from `from` to `to`, for one plant, one company's
/// plants, or everything.
///
/// Whole periods are read from the running balances. A period cut by the dates is read from its
/// lines (found through their entries' dates), whichever way reads fewer entries: the lines of
/// the days asked, or the period's balance minus the lines of its days after `to` (the current
/// period up to today: its balance minus the few lines dated later). The days of such a period
/// before `from` are read from the lines either way (they make part of the opening).
pub(crate) async fn trial_balance(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
    plant: Option<Uuid>,
    company: Option<Uuid>,
) -> sqlx::Result<Vec<TrialRow>> {
    sqlx::query_as!(
        TrialRow,
        r#"with p as (
             select id, start_date, end_date,
                    case when end_date < $1 then 'before'
                         when start_date >= $1 and end_date <= $2 then 'inside'
                         when start_date <= $2 then 'cut'
                         else 'after' end as place,
                    case when end_date >= $1 and start_date <= $2 and (start_date < $1 or end_date > $2) then
                           (select count(*) from journal_entries e where e.entry_date > $2 and e.entry_date <= end_date)
                         < (select count(*) from journal_entries e
                             where e.entry_date >= greatest(start_date, $1) and e.entry_date <= least(end_date, $2))
                         else false end as by_balance
               from fiscal_periods
           ),
           plants_asked as (
             select id from plants where ($3::uuid is null or id = $3) and ($4::uuid is null or company_id = $4)
           ),
           whole as (
             select b.account_id,
                    sum(case when p.place = 'before' then b.debit - b.credit else 0 end) as opening,
                    sum(case when p.place = 'before' then 0 else b.debit end) as debit,
                    sum(case when p.place = 'before' then 0 else b.credit end) as credit
               from account_balances b
               join p on p.id = b.period_id and (p.place in ('before', 'inside') or (p.place = 'cut' and p.by_balance))
              where ($3::uuid is null and $4::uuid is null) or b.plant_key in (select id from plants_asked)
              group by b.account_id
           ),
           days as (
             select id, start_date as lo, $1 - 1 as hi, 'opening' as part, by_balance
               from p where place = 'cut' and start_date < $1
             union all
             select id, greatest(start_date, $1), least(end_date, $2), 'inside', by_balance
               from p where place = 'cut' and not by_balance
             union all
             select id, $2 + 1, end_date, 'after', by_balance
               from p where place = 'cut' and by_balance and end_date > $2
           ),
           cut as (
             select x.account_id,
                    sum(case when d.part = 'opening' then x.debit - x.credit else 0 end) as opening,
                    sum(case when d.part = 'inside' then x.debit
                             when d.by_balance then -x.debit else 0 end) as debit,
                    sum(case when d.part = 'inside' then x.credit
                             when d.by_balance then -x.credit else 0 end) as credit
               from days d
               cross join lateral (
                 select l.account_id, sum(l.debit) as debit, sum(l.credit) as credit
                   from journal_entries e
                   join journal_lines l on l.tenant_id = e.tenant_id and l.entry_id = e.id
                  where e.entry_date >= d.lo and e.entry_date <= d.hi and e.period_id = d.id
                    and (($3::uuid is null and $4::uuid is null) or l.plant_id in (select id from plants_asked))
                  group by l.account_id
               ) x
              group by x.account_id
           ),
           together as (
             select account_id, sum(opening) as opening, sum(debit) as debit, sum(credit) as credit
               from (select * from whole union all select * from cut) x
              group by account_id
           )
           select a.id, a.code, a.name, a.kind, t.opening as "opening!", t.debit as "debit!", t.credit as "credit!"
             from together t join accounts a on a.id = t.account_id
            where t.opening <> 0 or t.debit <> 0 or t.credit <> 0
            order by a.code"#,
        from,
        to,
        plant,
        company
    )
    .fetch_all(conn)
    .await
}

/// An account's balance (debits − credits) before `from`: whole periods from the running
/// balances, the days of the period cut by `from` (those before it) from the journal.
pub(crate) async fn balance_before(
    conn: &mut PgConnection,
    account: Uuid,
    from: NaiveDate,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        r#"select coalesce((select sum(b.debit - b.credit) from account_balances b
                              join fiscal_periods p on p.id = b.period_id
                             where b.account_id = $1 and p.end_date < $2), 0)
                + coalesce((select sum(x.b) from fiscal_periods p
                              cross join lateral (select sum(l.debit - l.credit) as b from journal_lines l
                                                   where l.account_id = $1
                                                     and l.entry_date >= p.start_date and l.entry_date < $2) x
                             where p.start_date < $2 and p.end_date >= $2), 0) as "b!""#,
        account,
        from
    )
    .fetch_one(conn)
    .await
}

/// The debits and credits of an account from `from` to `to`, and how many lines: whole periods
/// from the running balances (which count their lines), a period cut by the dates from the
/// account's lines, whichever way reads fewer of them (as [`trial_balance`]).
pub(crate) async fn movement_between(
    conn: &mut PgConnection,
    account: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<(Decimal, Decimal, i64)> {
    let r = sqlx::query!(
        r#"with p as (
             select id, start_date, end_date, start_date >= $2 and end_date <= $3 as whole,
                    case when start_date < $2 or end_date > $3 then
                           (select count(*) from journal_lines l
                             where l.account_id = $1 and l.entry_date > $3 and l.entry_date <= end_date)
                         < (select count(*) from journal_lines l
                             where l.account_id = $1
                               and l.entry_date >= greatest(start_date, $2) and l.entry_date <= least(end_date, $3))
                         else false end as by_balance
               from fiscal_periods
              where start_date <= $3 and end_date >= $2
           ),
           days as (
             select start_date as lo, $2 - 1 as hi, -1 as sign
               from p where not whole and by_balance and start_date < $2
             union all
             select greatest(start_date, $2), least(end_date, $3), 1
               from p where not whole and not by_balance
             union all
             select $3 + 1, end_date, -1
               from p where not whole and by_balance and end_date > $3
           ),
           m as (
             select b.debit, b.credit, b.lines
               from account_balances b join p on p.id = b.period_id and (p.whole or p.by_balance)
              where b.account_id = $1
             union all
             select d.sign * x.debit, d.sign * x.credit, d.sign * x.lines
               from days d
               cross join lateral (select coalesce(sum(l.debit), 0) as debit, coalesce(sum(l.credit), 0) as credit,
                                          count(*) as lines
                                     from journal_lines l
                                    where l.account_id = $1 and l.entry_date >= d.lo and l.entry_date <= d.hi) x
           )
           select coalesce(sum(debit), 0) as "d!", coalesce(sum(credit), 0) as "c!",
                  coalesce(sum(lines), 0)::bigint as "n!"
             from m"#,
        account,
        from,
        to
    )
    .fetch_one(conn)
    .await?;
    Ok((r.d, r.c, r.n))
}

pub(crate) struct LedgerRow {
    pub entry_id: Uuid,
    pub number: String,
    pub entry_date: NaiveDate,
    pub narration: String,
    pub source: String,
    pub source_id: Option<Uuid>,
    pub debit: Decimal,
    pub credit: Decimal,
    /// Debits − credits of the range up to and including this line.
    pub running: Decimal,
    pub memo: Option<String>,
}

/// A page of an account's lines from `from` to `to` in date order, each with the range's running
/// balance so far.
pub(crate) async fn ledger_lines(
    conn: &mut PgConnection,
    account: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<LedgerRow>> {
    sqlx::query_as!(
        LedgerRow,
        r#"select l.entry_id, e.number, l.entry_date, e.narration, e.source, e.source_id, l.debit, l.credit,
                  sum(l.debit - l.credit) over (order by l.entry_date, e.number, l.line_no) as "running!",
                  l.memo
             from journal_lines l
             join journal_entries e on e.id = l.entry_id
            where l.account_id = $1 and l.entry_date >= $2 and l.entry_date <= $3
            order by l.entry_date, e.number, l.line_no
            limit $4 offset $5"#,
        account,
        from,
        to,
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

pub(crate) struct GrniRow {
    pub order_line_id: Option<Uuid>,
    /// Credits − debits: what is still owed for goods received, not invoiced.
    pub balance: Decimal,
    pub oldest: NaiveDate,
}

/// What the GRNI account holds per order line up to `as_of` (lines without an order line — a
/// manual entry — together under none), only what is not cleared.
pub(crate) async fn grni_by_order_line(
    conn: &mut PgConnection,
    account: Uuid,
    as_of: NaiveDate,
) -> sqlx::Result<Vec<GrniRow>> {
    sqlx::query_as!(
        GrniRow,
        r#"select bill_ref as order_line_id, sum(credit - debit) as "balance!", min(entry_date) as "oldest!"
             from journal_lines
            where account_id = $1 and entry_date <= $2
            group by bill_ref
           having sum(credit - debit) <> 0
            order by min(entry_date), bill_ref"#,
        account,
        as_of
    )
    .fetch_all(conn)
    .await
}
