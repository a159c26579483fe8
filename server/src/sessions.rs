//! The session store: PostgreSQL (`tower_sessions.session`: the record as MessagePack, keyed by its
//! random id, with its expiry), with the records this instance read or wrote kept in memory
//! ([`app::platform::cache::SessionCache`]) so a signed-in request does not read the session table.
//! Ending a session (logout, a new id at login or password change, or any of a user's sessions
//! ended through `app::platform::sessions`) is announced on `millwright_changes`, which drops it
//! on every instance. Saving a session only updates a record that still exists: a request still
//! under way when its session was ended elsewhere does not bring the session back. Its own few statements rather than
//! tower-sessions' SQL store: that store turns on sqlx's `time` types, which the compile-checked
//! queries would then use instead of chrono's everywhere.
use app::platform::cache::{session_payload, Caches};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Clone)]
pub struct KeptStore {
    store: PostgresStore,
    pool: sqlx::PgPool,
    caches: Arc<Caches>,
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    let at = record.expiry_date;
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or(DateTime::UNIX_EPOCH)
}

/// The session table.
#[derive(Clone)]
struct PostgresStore {
    pool: sqlx::PgPool,
}

impl PostgresStore {
    async fn save_with(
        conn: &mut sqlx::PgConnection,
        record: &Record,
    ) -> session_store::Result<()> {
        let data =
            rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        sqlx::query!(
            "insert into tower_sessions.session (id, data, expiry_date) values ($1, $2, $3)
             on conflict (id) do update set data = excluded.data, expiry_date = excluded.expiry_date",
            record.id.to_string(),
            data,
            expiry(record)
        )
        .execute(conn)
        .await
        .map_err(backend)?;
        Ok(())
    }

    /// A new record, its id drawn again in the unlikely case it is taken.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        loop {
            let taken = sqlx::query_scalar!(
                r#"select exists(select 1 from tower_sessions.session where id = $1) as "taken!""#,
                record.id.to_string()
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
            if !taken {
                break;
            }
            record.id = Id::default();
        }
        Self::save_with(&mut tx, record).await?;
        tx.commit().await.map_err(backend)
    }

    /// Updates the record; false when it no longer exists (the session was ended meanwhile).
    async fn save(&self, record: &Record) -> session_store::Result<bool> {
        let data =
            rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let updated = sqlx::query!(
            "update tower_sessions.session set data = $2, expiry_date = $3 where id = $1",
            record.id.to_string(),
            data,
            expiry(record)
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?
        .rows_affected();
        Ok(updated > 0)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data = sqlx::query_scalar!(
            "select data from tower_sessions.session where id = $1 and expiry_date > now()",
            id.to_string()
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        data.map(|d| {
            rmp_serde::from_slice(&d).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query!(
            "delete from tower_sessions.session where id = $1",
            id.to_string()
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

impl std::fmt::Debug for KeptStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptStore").finish_non_exhaustive()
    }
}

impl KeptStore {
    pub fn new(pool: sqlx::PgPool, caches: Arc<Caches>) -> Self {
        KeptStore {
            store: PostgresStore { pool: pool.clone() },
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
        if !self.store.save(record).await? {
            // ended meanwhile: not kept, and nothing to save
            self.caches.sessions.remove(record.id.0);
            return Ok(());
        }
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
        sqlx::query!(
            "select pg_notify($1, $2)",
            app::platform::db::CHANGES,
            session_payload(*id)
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }
}
