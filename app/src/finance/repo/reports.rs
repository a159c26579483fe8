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
