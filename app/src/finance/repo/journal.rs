//! SQL of the journal: entries and their lines are inserted once and never changed (the database
//! refuses it); the balances follow in the lines' statement (a trigger).
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct NewEntry<'a> {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub date: NaiveDate,
    pub period_id: Uuid,
    pub narration: &'a str,
    pub source: &'a str,
    pub source_id: Option<Uuid>,
    pub reverses: Option<Uuid>,
    pub currency: &'a str,
    pub created_by: Option<Uuid>,
}

/// The lines of one entry as parallel columns, in the order given (the caller sorts them by
/// account so that concurrent postings take the balance rows in one order).
#[derive(Default)]
pub(crate) struct NewLines {
    pub account: Vec<Uuid>,
    pub debit: Vec<Decimal>,
    pub credit: Vec<Decimal>,
    pub plant: Vec<Option<Uuid>>,
    pub cost_centre: Vec<Option<Uuid>>,
    pub supplier: Vec<Option<Uuid>>,
    pub bill_ref: Vec<Option<Uuid>>,
    pub source_line: Vec<Option<Uuid>>,
    pub memo: Vec<Option<String>>,
}

/// The entry and its lines (numbered 1… in the order given) in one statement, the entry's number
/// drawn from the tenant's `JE` counter by the insert itself (the counter stays locked until the
/// commit): the number. The lines' trigger moves the balances at the end of the statement.
pub(crate) async fn insert_entry(
    conn: &mut PgConnection,
    e: &NewEntry<'_>,
    l: &NewLines,
) -> sqlx::Result<String> {
    // time-ordered (UUID v7) like the entry's: the primary key grows at its right edge
    let ids: Vec<Uuid> = l.account.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query_scalar!(
        r#"with entry as (
             insert into journal_entries (tenant_id, id, number, entry_date, period_id, narration, source, source_id,
                                          reverses, currency, created_by)
             values ($1, $2, next_document_number($1, 'JE'), $3, $4, $5, $6, $7, $8, $9, $10)
             returning id, number),
           lines as (
             insert into journal_lines (tenant_id, id, entry_id, line_no, account_id, debit, credit, entry_date,
                                        period_id, plant_id, cost_centre_id, supplier_id, bill_ref, source_line_id, memo)
             select $1, l.i, entry.id, l.n::smallint, l.a, l.d, l.c, $3, $4, l.p, l.cc, l.s, l.b, l.sl, l.m
               from entry,
                    unnest($11::uuid[], $12::numeric[], $13::numeric[], $14::uuid[], $15::uuid[], $16::uuid[],
                           $17::uuid[], $18::uuid[], $19::text[], $20::uuid[])
                      with ordinality as l(a, d, c, p, cc, s, b, sl, m, i, n))
         select number as "number!" from entry"#,
        e.tenant_id,
        e.id,
        e.date,
        e.period_id,
        e.narration,
        e.source,
        e.source_id,
        e.reverses,
        e.currency,
        e.created_by,
        &l.account,
        &l.debit,
        &l.credit,
        &l.plant as &[Option<Uuid>],
        &l.cost_centre as &[Option<Uuid>],
        &l.supplier as &[Option<Uuid>],
        &l.bill_ref as &[Option<Uuid>],
        &l.source_line as &[Option<Uuid>],
        &l.memo as &[Option<String>],
        &ids
    )
    .fetch_one(conn)
    .await
}

pub(crate) struct EntryRow {
    pub id: Uuid,
    pub number: String,
    pub entry_date: NaiveDate,
    pub narration: String,
    pub source: String,
    pub source_id: Option<Uuid>,
    pub reverses: Option<Uuid>,
    pub reversed_by: Option<Uuid>,
    pub currency: String,
    pub total: Decimal,
    pub created_at: DateTime<Utc>,
}

/// A page of entries, newest first, by the filters given (each may be null), and how many match.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn entries(
    conn: &mut PgConnection,
    account: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    source: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<EntryRow>> {
    sqlx::query_as!(
        EntryRow,
        r#"select e.id, e.number, e.entry_date, e.narration, e.source, e.source_id, e.reverses,
                  (select r.id from journal_entries r where r.reverses = e.id) as reversed_by,
                  e.currency::text as "currency!",
                  (select coalesce(sum(l.debit), 0) from journal_lines l where l.entry_id = e.id) as "total!",
                  e.created_at
             from journal_entries e
            where ($1::uuid is null or exists (select 1 from journal_lines l where l.entry_id = e.id and l.account_id = $1))
              and ($2::date is null or e.entry_date >= $2)
              and ($3::date is null or e.entry_date <= $3)
              and ($4::text is null or e.source = $4)
            order by e.entry_date desc, e.number desc
            limit $5 offset $6"#,
        account,
        from,
        to,
        source,
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn count_entries(
    conn: &mut PgConnection,
    account: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    source: Option<&str>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from journal_entries e
            where ($1::uuid is null or exists (select 1 from journal_lines l where l.entry_id = e.id and l.account_id = $1))
              and ($2::date is null or e.entry_date >= $2)
              and ($3::date is null or e.entry_date <= $3)
              and ($4::text is null or e.source = $4)"#,
        account,
        from,
        to,
        source
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn entry(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<EntryRow>> {
    sqlx::query_as!(
        EntryRow,
        r#"select e.id, e.number, e.entry_date, e.narration, e.source, e.source_id, e.reverses,
                  (select r.id from journal_entries r where r.reverses = e.id) as reversed_by,
                  e.currency::text as "currency!",
                  (select coalesce(sum(l.debit), 0) from journal_lines l where l.entry_id = e.id) as "total!",
                  e.created_at
             from journal_entries e where e.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) struct LineRow {
    pub entry_id: Uuid,
    pub account_id: Uuid,
    pub account_code: String,
    pub account_name: String,
    pub debit: Decimal,
    pub credit: Decimal,
    pub plant_id: Option<Uuid>,
    pub cost_centre_id: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    pub bill_ref: Option<Uuid>,
    pub source_line_id: Option<Uuid>,
    pub memo: Option<String>,
}

/// The lines of the entries given, by entry and line number.
pub(crate) async fn lines_of(
    conn: &mut PgConnection,
    entries: &[Uuid],
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(
        LineRow,
        "select l.entry_id, l.account_id, a.code as account_code, a.name as account_name, l.debit, l.credit,
                l.plant_id, l.cost_centre_id, l.supplier_id, l.bill_ref, l.source_line_id, l.memo
           from journal_lines l join accounts a on a.id = l.account_id
          where l.entry_id = any($1)
          order by l.entry_id, l.line_no",
        entries
    )
    .fetch_all(conn)
    .await
}

/// The lines that recorded the given stock movements (to reverse them exactly).
pub(crate) async fn lines_for_movements(
    conn: &mut PgConnection,
    movements: &[Uuid],
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(
        LineRow,
        "select l.entry_id, l.account_id, a.code as account_code, a.name as account_name, l.debit, l.credit,
                l.plant_id, l.cost_centre_id, l.supplier_id, l.bill_ref, l.source_line_id, l.memo
           from journal_lines l join accounts a on a.id = l.account_id
          where l.source_line_id = any($1)
          order by l.entry_id, l.line_no",
        movements
    )
    .fetch_all(conn)
    .await
}

/// What a document's entries left on an account (debits − credits): a transfer's value in transit.
pub(crate) async fn document_balance(
    conn: &mut PgConnection,
    source: &str,
    source_id: Uuid,
    account: Uuid,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        r#"select coalesce(sum(l.debit - l.credit), 0) as "b!"
             from journal_entries e join journal_lines l on l.entry_id = e.id
            where e.source = $1 and e.source_id = $2 and l.account_id = $3"#,
        source,
        source_id,
        account
    )
    .fetch_one(conn)
    .await
}
