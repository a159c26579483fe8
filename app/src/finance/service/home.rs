//! The accountant's home (`/finance`): the payables waiting on someone, what falls due, what was
//! paid this month, and the goods received not invoiced — in one call. Readers of financial
//! reports (an Executive) see the GRNI only; the payables' figures are for those who enter
//! invoices or pay them.
use super::journal::at_scale;
use crate::error::{AppError, AppResult};
use crate::finance::pay_model::{Figure, FinanceSummary, Payables};
use crate::finance::repo::{home as repo, periods as periods_repo};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use chrono::Datelike;

/// How many of the oldest GRNI lines the home shows.
const OLDEST: usize = 5;

/// Whether the caller sees supplier invoices and payments: those who enter, pay or keep them.
pub fn sees_payables(ctx: &RequestCtx) -> AppResult<bool> {
    let p = ctx.principal()?;
    Ok(["invoice:create", "payment:process", "accounting:manage"]
        .iter()
        .any(|perm| p.require(perm).is_ok()))
}

/// Refuses those who do not see supplier invoices and payments: nobody but who enters, pays or
/// keeps them (an Executive or a procurement manager reads the reports, not the payables).
pub(crate) fn can_read_payables(ctx: &RequestCtx) -> AppResult<()> {
    if sees_payables(ctx)? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn summary(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<FinanceSummary> {
    let p = ctx.principal()?;
    if !["reports:financial", "invoice:create", "payment:process"]
        .iter()
        .any(|perm| p.require(perm).is_ok())
    {
        return Err(AppError::Forbidden);
    }
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let today = books.today;
    let week_end = today + chrono::Days::new(6);
    let month_from = today.with_day(1).unwrap_or(today);
    let c = books.currency.clone();
    let fig = |count: i64, amount| Figure {
        count,
        amount: at_scale(amount, &c),
    };
    let payables = if sees_payables(ctx)? {
        let f = repo::payable_figures(tx, today, week_end).await?;
        let (paid, paid_amount) = repo::payments_between(tx, month_from, today).await?;
        Some(Payables {
            drafts: fig(f.drafts, f.drafts_amount),
            pending_approval: fig(f.pending, f.pending_amount),
            exceptions: fig(f.exceptions, f.exceptions_amount),
            due_this_week: fig(f.due_week, f.due_week_amount),
            overdue: fig(f.overdue, f.overdue_amount),
            paid_this_month: fig(paid, paid_amount),
        })
    } else {
        None
    };
    let grni = super::reports::grni(tx, ctx, Some(today)).await?;
    let mut oldest = grni.rows;
    oldest.sort_by(|a, b| {
        a.oldest
            .cmp(&b.oldest)
            .then(a.purchase_order.cmp(&b.purchase_order))
    });
    oldest.truncate(OLDEST);
    Ok(FinanceSummary {
        today,
        week_end,
        month_from,
        currency: books.currency,
        payables,
        grni_total: grni.total,
        grni_oldest: oldest,
    })
}
