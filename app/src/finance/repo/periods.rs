//! SQL of fiscal years and their periods.
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct YearRow {
    pub id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

pub(crate) struct PeriodRow {
    pub id: Uuid,
    pub fiscal_year_id: Uuid,
    pub number: i16,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: String,
    pub closed_at: Option<DateTime<Utc>>,
}

pub(crate) async fn years(conn: &mut PgConnection) -> sqlx::Result<Vec<YearRow>> {
    sqlx::query_as!(
        YearRow,
        "select id, name, start_date, end_date from fiscal_years order by start_date desc"
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn periods(conn: &mut PgConnection) -> sqlx::Result<Vec<PeriodRow>> {
    sqlx::query_as!(
        PeriodRow,
        "select id, fiscal_year_id, number, start_date, end_date, status, closed_at
           from fiscal_periods order by start_date"
    )
    .fetch_all(conn)
    .await
}

/// Whether a year would overlap one already kept.
pub(crate) async fn overlaps(
    conn: &mut PgConnection,
    start: NaiveDate,
    end: NaiveDate,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from fiscal_years where start_date <= $2 and end_date >= $1) as "x!""#,
        start,
        end
    )
    .fetch_one(conn)
    .await
}

/// A new year, or nothing when one starting that day appeared meanwhile.
pub(crate) async fn insert_year(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    name: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "insert into fiscal_years (tenant_id, name, start_date, end_date) values ($1, $2, $3, $4)
         on conflict do nothing returning id",
        tenant_id,
        name,
        start,
        end
    )
    .fetch_optional(conn)
    .await
}

/// A year's periods, from parallel arrays of start and end dates (numbered 1, 2, …).
pub(crate) async fn insert_periods(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    year: Uuid,
    starts: &[NaiveDate],
    ends: &[NaiveDate],
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into fiscal_periods (tenant_id, fiscal_year_id, number, start_date, end_date)
         select $1, $2, n::smallint, s, e from unnest($3::date[], $4::date[]) with ordinality as p(s, e, n)",
        tenant_id,
        year,
        starts,
        ends
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The period holding `date`: (id, status). Not locked here: the entry's own insert reads it
/// again under a share lock (`journal_entries_open_period`), so a close waits for the posting or
/// the posting sees the period closed (422 `PERIOD_CLOSED`).
pub(crate) async fn period_of(
    conn: &mut PgConnection,
    date: NaiveDate,
) -> sqlx::Result<Option<(Uuid, String)>> {
    let row = sqlx::query!(
        "select id, status from fiscal_periods where start_date <= $1 and end_date >= $1",
        date
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.status)))
}

pub(crate) async fn lock_period(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<PeriodRow>> {
    sqlx::query_as!(
        PeriodRow,
        "select id, fiscal_year_id, number, start_date, end_date, status, closed_at
           from fiscal_periods where id = $1 for update",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    closed_by: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update fiscal_periods
            set status = case when $2::uuid is null then 'open' else 'closed' end,
                closed_by = $2, closed_at = case when $2::uuid is null then null else now() end
          where id = $1",
        id,
        closed_by
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The tenant's currency, its business day, and the month its fiscal year starts.
///
/// The business day is today in the tenant's time zone, unless the connection carries the
/// setting `millwright.business_date`: only the demo's history (`millwright seed-demo`, refused in
/// production) sets it, on its own pool, to write three months of dated postings through the
/// same services. Nothing a request sends can set it.
pub(crate) struct TenantBooks {
    pub currency: String,
    pub today: NaiveDate,
    pub start_month: i16,
}

pub(crate) async fn tenant_books(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> sqlx::Result<TenantBooks> {
    sqlx::query_as!(
        TenantBooks,
        r#"select currency::text as "currency!",
                  coalesce(nullif(current_setting('millwright.business_date', true), '')::date,
                           (now() at time zone timezone)::date) as "today!",
                  fiscal_year_start_month as "start_month!"
             from tenants where id = $1"#,
        tenant_id
    )
    .fetch_one(conn)
    .await
}

/// Serialises the creation of fiscal years of one tenant.
pub(crate) async fn lock_years(conn: &mut PgConnection, tenant_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('fiscal_years' || $1::text, 0))",
        tenant_id.to_string()
    )
    .execute(conn)
    .await
    .map(|_| ())
}
