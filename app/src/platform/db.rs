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

/// [`tenant_tx_planned`] whose changes of the kind `requisitions` are not announced by its commit:
/// the caller announces them itself right after the commit ([`announce_requisitions`]). For the
/// requisition create, which holds its tenant's gap-free number counter through its commit: a
/// commit that announces must first take PostgreSQL's one notification lock, which every other
/// announcing commit holds through its WAL flush, and the counter (and every other creator) would
/// wait for that queue too.
pub async fn tenant_tx_requisitions_announced_after(
    pool: &PgPool,
    tenant_id: Uuid,
) -> Result<Tx, sqlx::Error> {
    // `notify_change` (migrations 0011, 0013) announces a kind once per transaction: the flag
    // says it already has
    pool.begin_with(format!(
        "begin; select set_config('app.tenant_id', '{tenant_id}', true), set_config('plan_cache_mode', 'force_generic_plan', true),
                set_config('millwright.changed_requisitions', '{tenant_id}', true)"
    ))
    .await
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
