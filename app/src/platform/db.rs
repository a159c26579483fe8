//! Transactions scoped to one tenant: row-level security reads `app.tenant_id`, set here with
//! `is_local = true` so it ends with the transaction and never leaks to the next user of the connection.
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

/// Work kept for after a commit.
type Deferred = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A tenant's transaction. The entry point (a server function, a REST handler, a job) opens and
/// commits it ([`crate::platform::tx`]); services take `&mut Tx`, so several of them — a receipt
/// and the ledger entry it causes — commit or roll back together. Statements run on the
/// connection it derefs to (`&mut **tx`).
pub struct Tx {
    inner: Transaction<'static, Postgres>,
    tenant_id: Uuid,
    after_commit: Vec<Deferred>,
    if_commit_fails: Vec<Deferred>,
}

impl std::ops::Deref for Tx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.inner
    }
}

impl Tx {
    /// An already open transaction (the owner's, in seeds and jobs) whose tenant is set.
    pub fn wrap(inner: Transaction<'static, Postgres>, tenant_id: Uuid) -> Tx {
        Tx {
            inner,
            tenant_id,
            after_commit: Vec::new(),
            if_commit_fails: Vec::new(),
        }
    }

    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// Runs `work` once the transaction has committed, never if it rolls back: what must wait
    /// until the change is durable (removing a file's bytes, announcing the change).
    pub fn after_commit(&mut self, work: impl Future<Output = ()> + Send + 'static) {
        self.after_commit.push(Box::pin(work));
    }

    /// Runs `work` if the commit itself fails: undoing what was done outside the database in
    /// the expectation of the commit (a file's bytes stored before its row commits).
    pub fn if_commit_fails(&mut self, work: impl Future<Output = ()> + Send + 'static) {
        self.if_commit_fails.push(Box::pin(work));
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.inner.commit().await {
            Ok(()) => {
                for work in self.after_commit {
                    work.await;
                }
                Ok(())
            }
            Err(e) => {
                for work in self.if_commit_fails {
                    work.await;
                }
                Err(e)
            }
        }
    }
}

/// A statement's query with its bound parameters, for helpers that bind part of them.
pub type Query<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

pub async fn tenant_tx(pool: &PgPool, tenant_id: Uuid) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "auto", None).await
}

/// A tenant transaction whose statements are planned once per connection (PostgreSQL's generic
/// plans) instead of at every execution: for the short keyed reads and writes of a document's
/// life (create, submit, decide), where planning a statement cost more than running it. Lists
/// and searches keep per-execution plans, which use the values of their optional filters.
pub async fn tenant_tx_planned(pool: &PgPool, tenant_id: Uuid) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "force_generic_plan", None).await
}

/// The channel of change announcements (every instance's result caches listen to it).
pub const CHANGES: &str = "millwright_changes";
/// The channel of live notification signals (server-sent events).
pub const NOTIFICATIONS: &str = "millwright_notifications";

/// The announcement that a tenant's data of `kind` changed, as the `notify_change` trigger would
/// make it at commit: for the changes that leave it to [`Announcer`].
pub fn changed(kind: &str, tenant_id: Uuid) -> String {
    format!("{kind}:{tenant_id}")
}

/// Announces committed changes (`pg_notify`) for the requests that made them, several at once:
/// requests hand their announcements over and answer without waiting, and one task sends what has
/// gathered in one statement (one round trip for a batch instead of one per request). Under load
/// a batch holds the announcements of the requests answered while the previous one was sent.
///
/// Announcing in the committing transaction made every announcing commit queue for PostgreSQL's
/// single notification lock, held through its WAL flush, and a create wait there while holding its
/// tenant's number counter. This instance drops its own kept results at once when it answers a write
/// (`Caches::written`); other instances hear of it a moment later. An announcement lost with a
/// server that dies before sending it leaves other instances' kept pages stale until the tenant's
/// next change, and notifications unsignalled until the page is next shown (they are stored).
#[derive(Clone)]
pub struct Announcer {
    queue: tokio::sync::mpsc::UnboundedSender<(&'static str, String)>,
}

impl Announcer {
    /// Starts the sending task (within a Tokio runtime); it ends when every `Announcer` is gone.
    pub fn start(pool: PgPool) -> Self {
        let (queue, mut rx) = tokio::sync::mpsc::unbounded_channel::<(&'static str, String)>();
        tokio::spawn(async move {
            let mut batch: Vec<(&'static str, String)> = Vec::new();
            while let Some(first) = rx.recv().await {
                batch.push(first);
                while let Ok(next) = rx.try_recv() {
                    batch.push(next);
                }
                batch.sort_unstable();
                batch.dedup();
                let (channels, payloads): (Vec<&str>, Vec<String>) = batch.drain(..).unzip();
                if let Err(e) =
                    crate::platform::repo::notifications::pg_notify_all(&pool, &channels, &payloads)
                        .await
                {
                    tracing::warn!(error = %e, n = payloads.len(), "announcing changes failed");
                }
            }
        });
        Announcer { queue }
    }

    pub fn announce(&self, channel: &'static str, payload: String) {
        // the task ends only with the runtime: nothing is left to hear the announcement then
        let _ = self.queue.send((channel, payload));
    }
}

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

/// Runs `change`, a transaction begun with [`tenant_tx_announced_after`] for `kind`, and once it
/// has committed hands what it did to the [`Announcer`]: the tenant's data of `kind` changed
/// (every instance's result caches) and the live signals of its notifications.
pub async fn announced_after_commit<T>(
    announcer: &Announcer,
    tenant_id: Uuid,
    kind: &'static str,
    change: impl std::future::Future<Output = crate::error::AppResult<T>>,
) -> crate::error::AppResult<T> {
    let (result, signals) = SIGNALS
        .scope(std::cell::RefCell::new(Vec::new()), async {
            let result = change.await;
            (result, SIGNALS.with(|s| s.take()))
        })
        .await;
    let value = result?;
    announcer.announce(CHANGES, changed(kind, tenant_id));
    for s in signals {
        announcer.announce(NOTIFICATIONS, s);
    }
    Ok(value)
}

/// [`tenant_tx_planned`] whose changes of `kind` are not announced by its commit:
/// [`announced_after_commit`] (or the caller, through the [`Announcer`]) announces them once
/// it has committed. Under load, announcing in the commit made every such commit queue for
/// PostgreSQL's notification lock.
pub async fn tenant_tx_announced_after(
    pool: &PgPool,
    tenant_id: Uuid,
    kind: &'static str,
) -> Result<Tx, sqlx::Error> {
    begin(pool, tenant_id, "force_generic_plan", Some(kind)).await
}

/// `BEGIN` and the transaction's settings in one round trip (one simple-protocol message; a
/// `Uuid` prints as hex digits and dashes only, the plan mode is one of two constants, and a kind
/// is checked to be lower-case letters and underscores). With `announced_after`, `notify_change`,
/// which announces a kind once per transaction, finds that kind already announced and leaves it
/// to the caller.
///
/// The platform's one statement outside its repository ([`crate::platform::repo`]): it is the
/// transaction machinery itself, the text `sqlx` sends to open a transaction, not a statement run
/// in one.
async fn begin(
    pool: &PgPool,
    tenant_id: Uuid,
    plan_cache_mode: &'static str,
    announced_after: Option<&'static str>,
) -> Result<Tx, sqlx::Error> {
    let announced = match announced_after {
        Some(kind) if kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
            format!(", set_config('millwright.changed_{kind}', '{tenant_id}', true)")
        }
        Some(kind) => {
            return Err(sqlx::Error::Protocol(format!(
                "a change kind is lower-case letters and underscores: {kind:?}"
            )))
        }
        None => String::new(),
    };
    let inner = pool.begin_with(format!(
        "begin; select set_config('app.tenant_id', '{tenant_id}', true), set_config('plan_cache_mode', '{plan_cache_mode}', true){announced}"
    ))
    .await?;
    Ok(Tx::wrap(inner, tenant_id))
}
