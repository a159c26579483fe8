//! The session store: PostgreSQL (`tower_sessions.session`), with the records this instance read
//! or wrote kept in memory ([`app::platform::cache::SessionCache`]) so a signed-in request does
//! not read the session table. Ending a session (logout, a new id at login or password change) is
//! announced on `millwright_changes`, which drops it on every instance.
use app::platform::cache::{session_payload, Caches};
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions_sqlx_store::PostgresStore;

#[derive(Clone)]
pub struct KeptStore {
    store: PostgresStore,
    pool: sqlx::PgPool,
    caches: Arc<Caches>,
}

impl std::fmt::Debug for KeptStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptStore").finish_non_exhaustive()
    }
}

impl KeptStore {
    pub fn new(pool: sqlx::PgPool, caches: Arc<Caches>) -> Self {
        KeptStore {
            store: PostgresStore::new(pool.clone()),
            pool,
            caches,
        }
    }
}

#[async_trait::async_trait]
impl SessionStore for KeptStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let stamp = self.caches.sessions.stamp();
        self.store.create(record).await?;
        if let Some(stamp) = stamp {
            self.caches.sessions.put(stamp, record);
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let stamp = self.caches.sessions.stamp();
        self.store.save(record).await?;
        if let Some(stamp) = stamp {
            self.caches.sessions.put(stamp, record);
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(record) = self.caches.sessions.get(*id) {
            return Ok(Some(record));
        }
        let stamp = self.caches.sessions.stamp();
        let record = self.store.load(id).await?;
        if let (Some(stamp), Some(record)) = (stamp, &record) {
            self.caches.sessions.put(stamp, record);
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.caches.sessions.remove(id.0);
        self.store.delete(id).await?;
        // every instance (this one included) drops it when the announcement arrives
        sqlx::query("select pg_notify($1, $2)")
            .bind(app::platform::db::CHANGES)
            .bind(session_payload(*id))
            .execute(&self.pool)
            .await
            .map_err(|e| session_store::Error::Backend(e.to_string()))?;
        Ok(())
    }
}
