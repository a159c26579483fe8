//! SQL of reviewing payment runs: the list, and changing or dropping a proposed run's line.
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct RunListRow {
    pub id: Uuid,
    pub number: String,
    pub due_by: NaiveDate,
    pub payment_date: NaiveDate,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub invoices: i64,
    pub suppliers: i64,
    pub total: Decimal,
}

/// A page of runs, newest first, each with how many invoices of how many suppliers it pays and
/// for how much.
pub(crate) async fn list(
    conn: &mut PgConnection,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<RunListRow>> {
    sqlx::query_as!(
        RunListRow,
        r#"select r.id, r.number, r.due_by, r.payment_date, r.status, r.created_at,
                  count(l.invoice_id) as "invoices!", count(distinct l.supplier_id) as "suppliers!",
                  coalesce(sum(l.amount), 0) as "total!"
             from payment_runs r left join payment_run_lines l on l.run_id = r.id
            group by r.id, r.number, r.due_by, r.payment_date, r.status, r.created_at
            order by r.created_at desc, r.number desc limit $1 offset $2"#,
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn count(conn: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from payment_runs"#)
        .fetch_one(conn)
        .await
}

/// What is still due on an invoice of a run's line (the invoice locked), if the run has it.
pub(crate) async fn line_due(
    conn: &mut PgConnection,
    run: Uuid,
    invoice: Uuid,
) -> sqlx::Result<Option<Decimal>> {
    sqlx::query_scalar!(
        r#"select i.total - i.tds - i.amount_paid as "due!"
             from payment_run_lines l join supplier_invoices i on i.id = l.invoice_id
            where l.run_id = $1 and l.invoice_id = $2
              for update of i"#,
        run,
        invoice
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn set_line(
    conn: &mut PgConnection,
    run: Uuid,
    invoice: Uuid,
    amount: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update payment_run_lines set amount = $3 where run_id = $1 and invoice_id = $2",
        run,
        invoice,
        amount
    )
    .execute(conn)
    .await
    .map(|_| ())
}

pub(crate) async fn drop_line(
    conn: &mut PgConnection,
    run: Uuid,
    invoice: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from payment_run_lines where run_id = $1 and invoice_id = $2",
        run,
        invoice
    )
    .execute(conn)
    .await
    .map(|_| ())
}
