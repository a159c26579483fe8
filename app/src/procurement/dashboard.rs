//! The procurement dashboard: each reader sees the cards their permissions allow — their own
//! requisitions by status, approvals waiting for them with age and SLA breaches, procurement's
//! approved lines without an order, this month's order value and orders awaiting delivery, and for
//! everyone the average approval time over the last 30 days.
use crate::approvals::model::PendingApproval;
use crate::procurement::model::Status;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchasingSummary {
    pub lines_waiting: i64,
    pub po_value_this_month: Decimal,
    pub po_count_this_month: i64,
    pub awaiting_delivery: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The server's clock when the dashboard was read (ages are measured against it; the browser
    /// has no clock in `std` on wasm).
    pub now: chrono::DateTime<chrono::Utc>,
    pub currency: String,
    /// Only for those who raise requisitions.
    pub my_requisitions: Option<Vec<(Status, i64)>>,
    /// Only for approvers: the oldest first.
    pub pending: Option<Vec<PendingApproval>>,
    pub purchasing: Option<PurchasingSummary>,
    /// Hours from submission to final approval, requisitions approved in the last 30 days.
    pub average_approval_hours: Option<Decimal>,
    pub approved_last_30_days: i64,
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::approvals::engine;
    use crate::error::AppResult;
    use crate::platform::context::RequestCtx;
    use crate::platform::db::Tx;

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn dashboard(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Dashboard> {
        let p = ctx.principal()?;
        let can = |perm: &str| p.require(perm).is_ok();
        let my_requisitions = if can("requisition:create") {
            let rows = sqlx::query!(
                r#"select status, count(*) as "n!" from requisitions where requester_id = $1 group by status"#,
                p.user_id
            )
            .fetch_all(&mut **tx)
            .await?;
            let mut out: Vec<(Status, i64)> = rows
                .into_iter()
                .filter_map(|r| Some((r.status.parse::<Status>().ok()?, r.n)))
                .collect();
            out.sort_by_key(|(s, _)| {
                crate::procurement::ui::labels::ALL_STATUSES
                    .iter()
                    .position(|x| x == s)
            });
            Some(out)
        } else {
            None
        };
        let pending = if can("requisition:approve") || can("po:approve") {
            Some(engine::pending_for(tx, p.user_id).await?)
        } else {
            None
        };
        let purchasing = if can("po:create") || can("po:view") {
            let r = sqlx::query!(
                r#"select (select count(*) from requisition_lines l join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
                          where r.status = 'approved' and l.ordered_quantity < l.quantity) as "lines_waiting!",
                        (select sum(total) from purchase_orders where status not in ('cancelled', 'draft')
                          and created_at >= date_trunc('month', now())) as "value?",
                        (select count(*) from purchase_orders where status not in ('cancelled', 'draft')
                          and created_at >= date_trunc('month', now())) as "count!",
                        (select count(*) from purchase_orders where status in ('approved', 'sent', 'partially_received')) as "awaiting!""#,
            )
            .fetch_one(&mut **tx)
            .await?;
            Some(PurchasingSummary {
                lines_waiting: r.lines_waiting,
                po_value_this_month: r
                    .value
                    .unwrap_or_default()
                    .round_dp(crate::format::minor_units(&p.user.tenant.currency)),
                po_count_this_month: r.count,
                awaiting_delivery: r.awaiting,
            })
        } else {
            None
        };
        let r = sqlx::query!(
            r#"select avg(extract(epoch from decided_at - submitted_at)) as "avg_seconds?", count(*) as "approved!"
               from requisitions where status = 'approved' and decided_at >= now() - interval '30 days'
                and submitted_at is not null"#,
        )
        .fetch_one(&mut **tx)
        .await?;
        let (avg_seconds, approved) = (r.avg_seconds, r.approved);
        Ok(Dashboard {
            now: chrono::Utc::now(),
            currency: p.user.tenant.currency.clone(),
            my_requisitions,
            pending,
            purchasing,
            average_approval_hours: avg_seconds.map(|s| (s / Decimal::from(3600)).round_dp(1)),
            approved_last_30_days: approved,
        })
    }
}
