//! Document numbers for every slice: `PREFIX-YEAR-000123`, gap-free per tenant, prefix and year.
//! One rule for the year: the year of the transaction's start in the tenant's time zone, so a
//! document made at 00:30 on 1 January in Kolkata carries the new year whatever the server's clock.
use crate::error::{AppError, AppResult};
use crate::platform::db::Tx;
use crate::platform::repo;
use crate::types::DocNumber;
use uuid::Uuid;

/// The next number of a document type (`prefix`), drawn by `draw_document_number`: the tenant's
/// counter row stays locked until `tx` ends, and a rollback gives the number back.
pub async fn next_number(tx: &mut Tx, tenant_id: Uuid, prefix: &str) -> AppResult<DocNumber> {
    let drawn = repo::documents::draw_document_number(tx, tenant_id, prefix).await?;
    drawn.parse().map_err(|_| {
        tracing::error!(%drawn, "the database drew a malformed document number");
        AppError::Internal
    })
}
