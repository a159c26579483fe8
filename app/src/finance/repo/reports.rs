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
                         else 'after' end as place
               from fiscal_periods
           ),
           plants_asked as (
             select id from plants where ($3::uuid is null or id = $3) and ($4::uuid is null or company_id = $4)
           ),
           whole as (
             select b.account_id,
                    sum(case when p.place = 'before' then b.debit - b.credit else 0 end) as opening,
                    sum(case when p.place = 'inside' then b.debit else 0 end) as debit,
                    sum(case when p.place = 'inside' then b.credit else 0 end) as credit
               from account_balances b join p on p.id = b.period_id and p.place in ('before', 'inside')
              where ($3::uuid is null and $4::uuid is null) or b.plant_key in (select id from plants_asked)
              group by b.account_id
           ),
           cut as (
             select l.account_id,
                    sum(case when l.entry_date < $1 then l.debit - l.credit else 0 end) as opening,
                    sum(case when l.entry_date >= $1 and l.entry_date <= $2 then l.debit else 0 end) as debit,
                    sum(case when l.entry_date >= $1 and l.entry_date <= $2 then l.credit else 0 end) as credit
               from journal_lines l join p on p.id = l.period_id and p.place = 'cut'
              where ($3::uuid is null and $4::uuid is null) or l.plant_id in (select id from plants_asked)
              group by l.account_id
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
/// balances, the days of a period cut by `from` from the journal.
pub(crate) async fn balance_before(
    conn: &mut PgConnection,
    account: Uuid,
    from: NaiveDate,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        r#"select coalesce((select sum(b.debit - b.credit) from account_balances b
                              join fiscal_periods p on p.id = b.period_id
                             where b.account_id = $1 and p.end_date < $2), 0)
                + coalesce((select sum(l.debit - l.credit) from journal_lines l
                              join fiscal_periods p on p.id = l.period_id
                             where l.account_id = $1 and p.start_date < $2 and p.end_date >= $2
                               and l.entry_date < $2), 0) as "b!""#,
        account,
        from
    )
    .fetch_one(conn)
    .await
}

/// The debits and credits of an account from `from` to `to`, and how many lines.
pub(crate) async fn movement_between(
    conn: &mut PgConnection,
    account: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<(Decimal, Decimal, i64)> {
    let r = sqlx::query!(
        r#"select coalesce(sum(debit), 0) as "d!", coalesce(sum(credit), 0) as "c!", count(*) as "n!"
             from journal_lines where account_id = $1 and entry_date >= $2 and entry_date <= $3"#,
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
