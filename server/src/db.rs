//! Connection pools. Migrations and seeding run as the schema owner; every request runs on a pool
//! whose connections `SET ROLE millwright_app`, a role that owns nothing and cannot bypass RLS.
use crate::config::Config;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, Executor, PgPool};
use std::str::FromStr;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(PgConnectOptions::from_str(url)?
        .application_name("millwright")
        .log_statements(tracing::log::LevelFilter::Trace))
}

/// The request pool. Connections are (re)made lazily, so the server starts and keeps running while
/// PostgreSQL is down: requests then fail with 503 and recover when it is back.
pub fn app_pool(url: &str, cfg: &Config) -> Result<PgPool, sqlx::Error> {
    Ok(pool_of(options(url)?, cfg.pool_max, cfg))
}

/// The pool of inventory searches: the request pool's database, its own few connections.
pub fn search_pool(pool: &PgPool, cfg: &Config) -> PgPool {
    pool_of((*pool.connect_options()).clone(), cfg.search_pool_max, cfg)
}

fn pool_of(options: PgConnectOptions, max: u32, cfg: &Config) -> PgPool {
    PgPoolOptions::new()
        .max_connections(max)
        .min_connections(cfg.pool_min.min(max))
        .acquire_timeout(cfg.acquire_timeout)
        .idle_timeout(std::time::Duration::from_secs(600))
        // a connection idle for a while is pinged before use (PostgreSQL may have restarted);
        // one just returned by another request is not, which saves a round trip per request
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                // a failed ping closes the connection and the pool takes or makes another
                Ok(meta.idle_for < std::time::Duration::from_secs(1) || conn.ping().await.is_ok())
            })
        })
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("set role millwright_app").await?;
                Ok(())
            })
        })
        .connect_lazy_with(options)
}

/// A short-lived pool as the owner, for migrations and seeding.
pub async fn owner_pool(url: &str, cfg: &Config) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(cfg.connect_timeout.max(std::time::Duration::from_secs(10)))
        .connect_with(options(url)?)
        .await
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Opens the books of every tenant that kept none yet (a database from before finance): its
/// chart, fiscal year and opening entry, each tenant in its own transaction. How many it opened.
pub async fn open_books(pool: &PgPool) -> Result<usize, String> {
    let tenants: Vec<uuid::Uuid> =
        sqlx::query_scalar!("select id from tenants order by created_at")
            .fetch_all(pool)
            .await
            .map_err(|e| format!("reading tenants: {e}"))?;
    let mut opened = 0;
    for tenant in tenants {
        let mut tx = app::platform::db::tenant_tx(pool, tenant)
            .await
            .map_err(|e| format!("opening the books: {e}"))?;
        let made = app::finance::service::setup::ensure_books_as_owner(&mut tx, tenant)
            .await
            .map_err(|e| format!("opening the books of {tenant}: {e:?}"))?;
        tx.commit()
            .await
            .map_err(|e| format!("opening the books: {e}"))?;
        opened += usize::from(made);
    }
    Ok(opened)
}

/// Creates the database named in `url` through the maintenance database, if it does not exist.
pub async fn ensure_database(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    let mut conn = options(admin_url)?.connect().await?;
    let exists: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from pg_database where datname = $1) as "found!""#,
        name
    )
    .fetch_one(&mut conn)
    .await?;
    if !exists {
        let ident = name.replace('"', "\"\"");
        conn.execute(format!(r#"create database "{ident}""#).as_str())
            .await?;
    }
    Ok(())
}
