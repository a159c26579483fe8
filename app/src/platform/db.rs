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
/// Its signals (change and notification NOTIFYs) are held until [`commit_signalled`], which
/// must end it: NOTIFYing commits take PostgreSQL's one notification lock in turn.
pub async fn tenant_tx_planned(pool: &PgPool, tenant_id: Uuid) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "force_generic_plan").await
}

/// Commits a [`tenant_tx_planned`] transaction, then sends the signals it collected. A signal
/// lost between the two (the process dying there) only delays other instances' cache drops and
/// live pushes until the next change; the data is committed either way.
pub async fn commit_signalled(pool: &PgPool, mut tx: Tx) -> Result<(), sqlx::Error> {
    let signals: Option<String> =
        sqlx::query_scalar("select nullif(current_setting('millwright.signals', true), '')")
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    if let Some(signals) = signals {
        if let Err(e) = sqlx::query(
            "select pg_notify(split_part(s, '|', 1), split_part(s, '|', 2))
               from unnest(string_to_array(rtrim($1, ';'), ';')) s",
        )
        .bind(&signals)
        .execute(pool)
        .await
        {
            tracing::warn!(error = %e, "signals after commit not sent");
        }
    }
    Ok(())
}

/// `BEGIN` and the transaction's settings in one round trip (one simple-protocol message; a
/// `Uuid` prints as hex digits and dashes only, and the plan mode is one of two constants).
async fn begin(
    pool: &PgPool,
    tenant_id: Uuid,
    plan_cache_mode: &'static str,
) -> Result<Tx, sqlx::Error> {
    let defer = if plan_cache_mode == "force_generic_plan" {
        "on"
    } else {
        ""
    };
    pool.begin_with(format!(
        "begin; select set_config('app.tenant_id', '{tenant_id}', true), set_config('plan_cache_mode', '{plan_cache_mode}', true),
                       set_config('millwright.defer_signals', '{defer}', true)"
    ))
    .await
}
