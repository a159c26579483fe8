//! Transactions scoped to one tenant: row-level security reads `app.tenant_id`, set here with
//! `is_local = true` so it ends with the transaction and never leaks to the next user of the connection.
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub type Tx = Transaction<'static, Postgres>;

/// A statement's query with its bound parameters, for helpers that bind part of them.
pub type Query<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

pub async fn tenant_tx(pool: &PgPool, tenant_id: Uuid) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "auto", false).await
}

/// A tenant transaction whose statements are planned once per connection (PostgreSQL's generic
/// plans) instead of at every execution: for the short keyed reads and writes of a document's
/// life (create, submit, decide), where planning a statement cost more than running it. Lists
/// and searches keep per-execution plans, which use the values of their optional filters.
pub async fn tenant_tx_planned(pool: &PgPool, tenant_id: Uuid) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "force_generic_plan", false).await
}

/// The announcement that a tenant's requisitions changed (`$1` the tenant), as the
/// `notify_change` trigger would make it at commit: for the statements that make it after.
pub const ANNOUNCE_REQUISITIONS: &str =
    "pg_notify('millwright_changes', 'requisitions:' || $1::text)";

tokio::task_local! {
    /// The live signals (`millwright_notifications` payloads) of a change whose announcements
    /// wait for its commit ([`announced_after_commit`]).
    static SIGNALS: std::cell::RefCell<Vec<String>>;
}

/// Keeps `payloads` for [`announced_after_commit`] to send after the commit; false (send them
/// with the change) outside it.
pub fn defer_signals(payloads: Vec<String>) -> bool {
    SIGNALS
        .try_with(|s| s.borrow_mut().extend(payloads))
        .is_ok()
}

/// Runs `change`, a requisition transaction begun with [`tenant_tx_requisitions_announced_after`],
/// and once it has committed announces what it did in one statement: the tenant's requisitions
/// changed (every instance's result caches) and the live signals of its notifications.
///
/// A commit that announces must first take PostgreSQL's single notification lock, which every
/// announcing commit holds through its WAL flush: requisition changes at a few hundred a second
/// queued there (the most frequent wait of the create → submit → approve benchmark), and a create
/// waited while holding its tenant's gap-free number counter, so every other creator waited too.
/// Announced after the commit, by a statement that writes nothing, the lock is held for a moment.
/// (A server that dies between the two leaves the notifications unsignalled — they are stored and
/// shown at the next page — and other instances' kept pages stale until the tenant's next change.)
pub async fn announced_after_commit<T>(
    pool: &PgPool,
    tenant_id: Uuid,
    change: impl std::future::Future<Output = crate::error::AppResult<T>>,
) -> crate::error::AppResult<T> {
    let (result, signals) = SIGNALS
        .scope(std::cell::RefCell::new(Vec::new()), async {
            let result = change.await;
            (result, SIGNALS.with(|s| s.take()))
        })
        .await;
    let value = result?;
    sqlx::query(&format!(
        "select {ANNOUNCE_REQUISITIONS}
         union all
         select pg_notify('millwright_notifications', s) from unnest($2::text[]) s"
    ))
    .bind(tenant_id)
    .bind(&signals)
    .execute(pool)
    .await?;
    Ok(value)
}

/// [`tenant_tx_planned`] whose changes of the kind `requisitions` are not announced by its commit:
/// [`announced_after_commit`] (or the caller, with [`ANNOUNCE_REQUISITIONS`]) announces them once
/// it has committed.
pub async fn tenant_tx_requisitions_announced_after(
    pool: &PgPool,
    tenant_id: Uuid,
) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "force_generic_plan", true).await
}

/// `BEGIN` and the transaction's settings in one round trip (one simple-protocol message; a
/// `Uuid` prints as hex digits and dashes only, and the plan mode is one of two constants). With
/// `requisitions_announced`, `notify_change` (migrations 0011, 0013), which announces a kind once
/// per transaction, finds the requisitions already announced and leaves them to the caller.
async fn begin(
    pool: &PgPool,
    tenant_id: Uuid,
    plan_cache_mode: &'static str,
    requisitions_announced: bool,
) -> Result<Tx, sqlx::Error> {
    let announced = if requisitions_announced {
        format!(", set_config('millwright.changed_requisitions', '{tenant_id}', true)")
    } else {
        String::new()
    };
    pool.begin_with(format!(
        "begin; select set_config('app.tenant_id', '{tenant_id}', true), set_config('plan_cache_mode', '{plan_cache_mode}', true){announced}"
    ))
    .await
}
