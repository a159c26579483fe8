//! Transactions scoped to one tenant: row-level security reads `app.tenant_id`, set here with
//! `is_local = true` so it ends with the transaction and never leaks to the next user of the connection.
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub type Tx = Transaction<'static, Postgres>;

pub async fn tenant_tx(pool: &PgPool, tenant_id: Uuid) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "auto").await
}

/// A tenant transaction whose statements are planned once per connection (PostgreSQL's generic
/// plans) instead of at every execution: for the short keyed reads and writes of a document's
/// life (create, submit, decide), where planning a statement cost more than running it. Lists
/// and searches keep per-execution plans, which use the values of their optional filters.
pub async fn tenant_tx_planned(pool: &PgPool, tenant_id: Uuid) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "force_generic_plan").await
}

/// `BEGIN` and the transaction's settings in one round trip (one simple-protocol message; a
/// `Uuid` prints as hex digits and dashes only, and the plan mode is one of two constants).
async fn begin(
    pool: &PgPool,
    tenant_id: Uuid,
    plan_cache_mode: &'static str,
) -> Result<Tx, sqlx::Error> {
    pool.begin_with(format!(
        "begin; select set_config('app.tenant_id', '{tenant_id}', true), set_config('plan_cache_mode', '{plan_cache_mode}', true)"
    ))
    .await
}
