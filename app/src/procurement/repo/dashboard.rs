//! SQL of the procurement dashboard's cards.
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct StatusCount {
    pub(crate) status: String,
    pub(crate) n: i64,
}

/// The requester's requisitions counted by status.
pub(crate) async fn my_requisitions_by_status(
    conn: &mut PgConnection,
    requester_id: Uuid,
) -> sqlx::Result<Vec<StatusCount>> {
    sqlx::query_as!(
        StatusCount,
        r#"select status, count(*) as "n!" from requisitions where requester_id = $1 group by status"#,
        requester_id
    )
    .fetch_all(conn)
    .await
}

pub(crate) struct PurchasingRow {
    /// Approved requisition lines with quantity still to order.
    pub(crate) lines_waiting: i64,
    /// The value of this month's orders (none without any).
    pub(crate) value: Option<Decimal>,
    pub(crate) count: i64,
    /// Orders approved, sent or partly received.
    pub(crate) awaiting: i64,
}

/// Purchasing's figures, in one statement.
pub(crate) async fn purchasing(conn: &mut PgConnection) -> sqlx::Result<PurchasingRow> {
    sqlx::query_as!(
        PurchasingRow,
        r#"select (select count(*) from requisition_lines l join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
                          where r.status = 'approved' and l.ordered_quantity < l.quantity) as "lines_waiting!",
                        (select sum(total) from purchase_orders where status not in ('cancelled', 'draft')
                          and created_at >= date_trunc('month', now())) as "value?",
                        (select count(*) from purchase_orders where status not in ('cancelled', 'draft')
                          and created_at >= date_trunc('month', now())) as "count!",
                        (select count(*) from purchase_orders where status in ('approved', 'sent', 'partially_received')) as "awaiting!""#,
    )
    .fetch_one(conn)
    .await
}

pub(crate) struct ApprovalTime {
    /// Seconds from submission to final approval, on average (none without any).
    pub(crate) avg_seconds: Option<Decimal>,
    pub(crate) approved: i64,
}

/// The requisitions approved in the last 30 days and their average approval time.
pub(crate) async fn approval_time(conn: &mut PgConnection) -> sqlx::Result<ApprovalTime> {
    sqlx::query_as!(
        ApprovalTime,
        r#"select avg(extract(epoch from decided_at - submitted_at)) as "avg_seconds?", count(*) as "approved!"
               from requisitions where status = 'approved' and decided_at >= now() - interval '30 days'
                and submitted_at is not null"#,
    )
    .fetch_one(conn)
    .await
}
