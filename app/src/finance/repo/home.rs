//! SQL of the accountant's home: the payables' figures in one statement, this month's payments
//! in another.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;

pub(crate) struct PayableFigures {
    pub drafts: i64,
    pub drafts_amount: Decimal,
    pub pending: i64,
    pub pending_amount: Decimal,
    pub exceptions: i64,
    pub exceptions_amount: Decimal,
    pub due_week: i64,
    pub due_week_amount: Decimal,
    pub overdue: i64,
    pub overdue_amount: Decimal,
}

/// Drafts and invoices waiting for approval (their totals), exceptions waiting for approval, and what
/// is still owed on invoices due from `today` to `week_end` and on those past due (held ones
/// too, as the AP ageing counts them).
pub(crate) async fn payable_figures(
    conn: &mut PgConnection,
    today: NaiveDate,
    week_end: NaiveDate,
) -> sqlx::Result<PayableFigures> {
    sqlx::query_as!(
        PayableFigures,
        r#"select count(*) filter (where status = 'draft') as "drafts!",
                  coalesce(sum(total) filter (where status = 'draft'), 0) as "drafts_amount!",
                  count(*) filter (where status = 'pending_approval') as "pending!",
                  coalesce(sum(total) filter (where status = 'pending_approval'), 0) as "pending_amount!",
                  count(*) filter (where match_status = 'exception' and status = 'pending_approval') as "exceptions!",
                  coalesce(sum(total) filter (where match_status = 'exception' and status = 'pending_approval'), 0) as "exceptions_amount!",
                  count(*) filter (where open and due_date between $1 and $2) as "due_week!",
                  coalesce(sum(due) filter (where open and due_date between $1 and $2), 0) as "due_week_amount!",
                  count(*) filter (where open and due_date < $1) as "overdue!",
                  coalesce(sum(due) filter (where open and due_date < $1), 0) as "overdue_amount!"
             from (select status, match_status, total, due_date, total - tds - amount_paid as due,
                          status in ('posted', 'partially_paid', 'on_hold') and total - tds - amount_paid > 0
                          and invoice_date <= $1 as open
                     from supplier_invoices where status <> 'cancelled') i"#,
        today,
        week_end
    )
    .fetch_one(conn)
    .await
}

/// How many payments were made from `from` to `to`, and their sum.
pub(crate) async fn payments_between(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<(i64, Decimal)> {
    let r = sqlx::query!(
        r#"select count(*) as "n!", coalesce(sum(amount), 0) as "amount!"
             from payments where payment_date between $1 and $2"#,
        from,
        to
    )
    .fetch_one(conn)
    .await?;
    Ok((r.n, r.amount))
}
