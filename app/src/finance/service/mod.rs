//! Finance's services: the chart, the periods, the journal and what posts to it, the reports.
//! Each takes the caller's transaction, so a posting commits with the event that causes it.
use crate::error::{AppError, AppResult};
use crate::platform::context::RequestCtx;

pub mod billable;
pub mod chart;
pub mod home;
pub mod invoice_files;
pub mod invoices;
pub mod journal;
pub mod payments;
pub mod periods;
pub mod report_files;
pub mod reports;
pub mod runs;
pub mod setup;
pub mod statements;
pub mod stock;
pub mod tally;

/// Who reads the books: accountants, those who enter invoices or pay, and readers of financial
/// reports.
pub(crate) fn can_read(ctx: &RequestCtx) -> AppResult<()> {
    let p = ctx.principal()?;
    for perm in [
        "accounting:manage",
        "reports:financial",
        "invoice:create",
        "payment:process",
    ] {
        if p.require(perm).is_ok() {
            return Ok(());
        }
    }
    Err(AppError::Forbidden)
}
