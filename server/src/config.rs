//! Configuration from the environment, with the documented defaults.
use app::platform::secret::Secret;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Env {
    Development,
    Production,
    Test,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `None`: manage a local PostgreSQL cluster in `data_dir`.
    pub database_url: Option<Secret<String>>,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// Attachments (local storage): `MILLWRIGHT_FILES_DIR`, default `.data/files`.
    pub files_dir: PathBuf,
    pub env: Env,
    pub log_filter: String,
    pub log_json: bool,
    pub pool_max: u32,
    /// Connections of the pool that inventory searches and type-ahead use.
    pub search_pool_max: u32,
    pub pool_min: u32,
    pub connect_timeout: Duration,
    pub acquire_timeout: Duration,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub public_url: Option<String>,
    pub secure_cookies: bool,
    pub login_rate_per_minute: u32,
    /// `MILLWRIGHT_SIGNUP=open|closed`: whether companies may sign themselves up (open by default
    /// outside production).
    pub signup_open: bool,
    /// Keep expensive results until their data changes (`MILLWRIGHT_RESULT_CACHE`, default true).
    pub result_cache: bool,
    /// Keep inventory search results (`MILLWRIGHT_SEARCH_CACHE`, default true; off with the above).
    pub search_cache: bool,
    /// The OS user that runs the managed PostgreSQL when the server is started as root.
    pub pg_os_user: String,
    pub site_root: String,
    /// Outgoing mail: `smtp://host:port`, `smtps://user:pass@host`; unset keeps e-mails queued.
    pub smtp_url: Option<Secret<String>>,
    pub mail_from: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("{name}: cannot parse {v:?}")),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let env = match var("MILLWRIGHT_ENV").as_deref() {
            None | Some("development") | Some("dev") => Env::Development,
            Some("production") | Some("prod") => Env::Production,
            Some("test") => Env::Test,
            Some(other) => return Err(format!("MILLWRIGHT_ENV: unknown environment {other:?}")),
        };
        let addr = var("MILLWRIGHT_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr
            .parse()
            .map_err(|_| format!("MILLWRIGHT_ADDR: not an address: {addr:?}"))?;
        let public_url = var("MILLWRIGHT_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string());
        let secure_default = public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        Ok(Config {
            database_url: var("DATABASE_URL").map(Secret::new),
            addr,
            files_dir: PathBuf::from(
                var("MILLWRIGHT_FILES_DIR").unwrap_or_else(|| ".data/files".into()),
            ),
            data_dir: PathBuf::from(
                var("MILLWRIGHT_DATA_DIR").unwrap_or_else(|| ".data/postgres".into()),
            ),
            log_filter: var("MILLWRIGHT_LOG")
                .or_else(|| var("RUST_LOG"))
                .unwrap_or_else(|| "info,sqlx=warn".into()),
            log_json: var("MILLWRIGHT_LOG_FORMAT").as_deref() != Some("pretty"),
            pool_max: parse("MILLWRIGHT_DB_POOL_MAX", default_pool_max())?,
            search_pool_max: parse("MILLWRIGHT_SEARCH_POOL_MAX", default_search_pool_max())?,
            pool_min: parse("MILLWRIGHT_DB_POOL_MIN", 0)?,
            connect_timeout: Duration::from_secs(parse("MILLWRIGHT_DB_CONNECT_TIMEOUT_SECS", 5)?),
            acquire_timeout: Duration::from_secs(parse("MILLWRIGHT_DB_ACQUIRE_TIMEOUT_SECS", 3)?),
            session_idle: Duration::from_secs(
                60 * parse("MILLWRIGHT_SESSION_IDLE_MINUTES", 120u64)?,
            ),
            session_absolute: Duration::from_secs(
                3600 * parse("MILLWRIGHT_SESSION_ABSOLUTE_HOURS", 12u64)?,
            ),
            secure_cookies: parse("MILLWRIGHT_SECURE_COOKIES", secure_default)?,
            public_url,
            login_rate_per_minute: parse("MILLWRIGHT_LOGIN_RATE_PER_MINUTE", 20)?,
            signup_open: match var("MILLWRIGHT_SIGNUP").as_deref() {
                None => env != Env::Production,
                Some("open") => true,
                Some("closed") => false,
                Some(other) => {
                    return Err(format!("MILLWRIGHT_SIGNUP: open or closed, not {other:?}"))
                }
            },
            result_cache: parse("MILLWRIGHT_RESULT_CACHE", true)?,
            search_cache: parse("MILLWRIGHT_SEARCH_CACHE", true)?,
            pg_os_user: var("MILLWRIGHT_PG_USER").unwrap_or_else(|| "postgres".into()),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            smtp_url: var("MILLWRIGHT_SMTP_URL").map(Secret::new),
            mail_from: var("MILLWRIGHT_MAIL_FROM")
                .unwrap_or_else(|| "Millwright <no-reply@millwright.localhost>".into()),
            env,
        })
    }
}

/// Four PostgreSQL connections per core (8 on two cores, at least 4, at most 32). More only
/// queue inside PostgreSQL: on two cores, 32 benchmark clients through 16 connections spent
/// more PostgreSQL CPU per create → submit → approve cycle than through 8 (lock and
/// context-switch churn), and made about 6 % fewer cycles per second; the extra requests wait
/// for a connection in the pool instead, which costs nothing.
fn default_pool_max() -> u32 {
    per_core(4, 4, 32)
}

/// Two PostgreSQL connections per core (at least 2, at most 16) for inventory search. A search
/// is all CPU and no waiting, and a connection used again soon finds its caches warm: at one
/// client a search cost 1.0 ms of PostgreSQL CPU through 2 connections and 1.3 ms through 8 that
/// take turns; 16 benchmark clients got about 4 % more searches per second with p95 13 % lower
/// through 4 connections than through 8. The request pool keeps its 8 (procurement's cycles wait
/// on commits: 270 against 335 cycles/s through 4).
fn default_search_pool_max() -> u32 {
    per_core(2, 2, 16)
}

/// `each` per core of this machine, within `min..=max`.
fn per_core(each: usize, min: u32, max: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    u32::try_from(cores.saturating_mul(each)).map_or(max, |n| n.clamp(min, max))
}
