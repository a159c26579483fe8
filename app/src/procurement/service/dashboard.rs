//! The procurement dashboard: each reader sees the cards their permissions allow — their own
//! requisitions by status, approvals waiting for them with age and SLA breaches, procurement's
//! approved lines without an order, this month's order value and orders awaiting delivery, and for
//! everyone the average approval time over the last 30 days.
use crate::approvals::engine;
use crate::error::AppResult;
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::procurement::model::dashboard::{Dashboard, PurchasingSummary};
use crate::procurement::model::Status;
use crate::procurement::repo::dashboard as repo;
use rust_decimal::Decimal;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn dashboard(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Dashboard> {
    let p = ctx.principal()?;
    let can = |perm: &str| p.require(perm).is_ok();
    let my_requisitions = if can("requisition:create") {
        let rows = repo::my_requisitions_by_status(tx, p.user_id).await?;
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
        let r = repo::purchasing(tx).await?;
        Some(PurchasingSummary {
            lines_waiting: r.lines_waiting,
            po_value_this_month: r
                .value
                .unwrap_or_default()
                .round_dp(p.user.tenant.currency.minor_units()),
            po_count_this_month: r.count,
            awaiting_delivery: r.awaiting,
        })
    } else {
        None
    };
    let r = repo::approval_time(tx).await?;
    let (avg_seconds, approved) = (r.avg_seconds, r.approved);
    Ok(Dashboard {
        now: chrono::Utc::now(),
        currency: p.user.tenant.currency.to_string(),
        my_requisitions,
        pending,
        purchasing,
        average_approval_hours: avg_seconds.map(|s| (s / Decimal::from(3600)).round_dp(1)),
        approved_last_30_days: approved,
    })
}
