//! Black-box test harness: a fresh database per test in the throwaway cluster started by
//! `scripts/test`, migrated and seeded, and the real application on port 0.
#![allow(dead_code)]
mod http;
mod purchasing;
mod seeded;
mod stock;

// each test binary uses only some of these (as with dead_code above)
#[allow(unused_imports)]
pub use {http::*, purchasing::*, seeded::*, stock::*};

use server::config::Config;
use sqlx::{Connection, Executor, PgPool};
use std::net::SocketAddr;

pub const PASSWORD: &str = "Millwright-demo-1";

/// A request that hangs fails its test instead of holding the whole run until CI's limit.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub fn pg_host() -> String {
    std::env::var("MILLWRIGHT_TEST_PG_HOST")
        .expect("MILLWRIGHT_TEST_PG_HOST must name the test PostgreSQL socket folder: run the tests through scripts/test")
}

pub fn url_for(db: &str) -> String {
    format!("postgres://postgres@localhost/{db}?host={}", pg_host())
}

pub struct TestDb {
    pub name: String,
    pub url: String,
    /// Connected as the owner (superuser): for setting up and inspecting, never for the app.
    pub owner: PgPool,
    /// Drops the database when the last handle to it goes (kept when its test failed).
    _dropper: std::sync::Arc<DropDatabase>,
}

/// The migrated and seeded database every test's database is copied from: made once per run
/// (per test binary), so a test pays for a file copy instead of the whole migration chain.
static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("t_template_{}", std::process::id());
            let mut admin = sqlx::PgConnection::connect(&url_for("postgres"))
                .await
                .expect("connect to the maintenance database");
            admin
                .execute(format!(r#"drop database if exists "{name}" with (force)"#).as_str())
                .await
                .expect("drop an old template");
            admin
                .execute(format!(r#"create database "{name}""#).as_str())
                .await
                .expect("create the template");
            let owner = server::db::owner_pool(&url_for(&name), &config())
                .await
                .expect("template pool");
            server::db::migrate(&owner).await.expect("migrate");
            server::seed::seed_demo(&owner).await.expect("seed");
            // a template must have no connection while it is copied
            owner.close().await;
            name
        })
        .await
}

/// A fresh database: a copy of the template, migrated and seeded with the demo.
pub async fn fresh_db() -> TestDb {
    let template = template().await;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&url_for("postgres"))
        .await
        .expect("connect to the maintenance database");
    admin
        .execute(format!(r#"create database "{name}" template "{template}""#).as_str())
        .await
        .expect("create test database");
    let _ = admin.close().await;
    let url = url_for(&name);
    let owner = server::db::owner_pool(&url, &config())
        .await
        .expect("owner pool");
    TestDb {
        _dropper: std::sync::Arc::new(DropDatabase(name.clone())),
        name,
        url,
        owner,
    }
}

/// An empty database, migrated and not seeded: for the seeds themselves.
pub async fn empty_db() -> TestDb {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&url_for("postgres"))
        .await
        .expect("connect to the maintenance database");
    admin
        .execute(format!(r#"create database "{name}""#).as_str())
        .await
        .expect("create test database");
    let _ = admin.close().await;
    let url = url_for(&name);
    let owner = server::db::owner_pool(&url, &config())
        .await
        .expect("owner pool");
    server::db::migrate(&owner).await.expect("migrate");
    TestDb {
        _dropper: std::sync::Arc::new(DropDatabase(name.clone())),
        name,
        url,
        owner,
    }
}

/// Drops a test's database when the test is over, so a run's disk stays one database per running
/// test rather than one per test; a failed test's database is kept to be looked at.
struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the failed test's database {}", self.0);
            return;
        }
        let name = self.0.clone();
        // Drop runs inside the test's runtime: a thread of its own with its own runtime
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&url_for("postgres")).await {
                    let _ = admin
                        .execute(
                            format!(r#"drop database if exists "{name}" with (force)"#).as_str(),
                        )
                        .await;
                }
            });
        })
        .join();
    }
}

pub fn config() -> Config {
    let mut cfg = Config::from_env().expect("config");
    cfg.database_url = None;
    cfg.pool_max = 8;
    cfg.acquire_timeout = std::time::Duration::from_secs(2);
    cfg.files_dir = std::env::temp_dir().join("millwright-test-files");
    cfg
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub db: TestDb,
    pub pool: PgPool,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let db = fresh_db().await;
        Self::serve(db, tweak).await
    }

    /// A server on a database made by the test.
    pub async fn spawn_on(db: TestDb) -> TestApp {
        Self::serve(db, |_| {}).await
    }

    /// Another server instance on this one's database, as a second node behind a load balancer:
    /// its own pool, caches and listener.
    pub async fn another_instance(&self) -> TestApp {
        let db = TestDb {
            name: self.db.name.clone(),
            url: self.db.url.clone(),
            owner: self.db.owner.clone(),
            _dropper: self.db._dropper.clone(),
        };
        Self::serve(db, |_| {}).await
    }

    async fn serve(db: TestDb, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let mut cfg = config();
        tweak(&mut cfg);
        let pool = server::db::app_pool(&db.url, &cfg).expect("app pool");
        let state = server::state(pool.clone(), &cfg);
        server::spawn_notification_listener(&state);
        let app = server::router(state, &cfg);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        TestApp {
            addr,
            base: format!("http://{addr}"),
            db,
            pool,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client: keeps cookies and sends this site's Origin.
    pub fn client(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("origin", self.base.parse().expect("origin"));
        reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A client without cookies or Origin, as an integration would be.
    pub fn bare_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Signs in with the seeded users' password; the answer, not checked.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        tenant: &str,
        username: &str,
    ) -> reqwest::Response {
        self.login_with(client, tenant, username, PASSWORD).await
    }

    /// Signs in with `password`; the answer, not checked (for refusals, lockout and limits).
    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        tenant: &str,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "tenant": tenant, "username": username, "password": password }))
            .send()
            .await
            .expect("login request")
    }

    pub async fn logged_in(&self, tenant: &str, username: &str) -> reqwest::Client {
        let client = self.client();
        let res = self.login(&client, tenant, username).await;
        assert_eq!(res.status(), 200, "login of {tenant}/{username}");
        client
    }

    pub async fn tenant_id(&self, slug: &str) -> uuid::Uuid {
        sqlx::query_scalar("select id from tenants where slug = $1")
            .bind(slug)
            .fetch_one(&self.db.owner)
            .await
            .expect("tenant id")
    }
}

/// A real SMTP server for tests: speaks enough ESMTP for lettre (EHLO, MAIL, RCPT, DATA, RSET,
/// NOOP, QUIT) and keeps every message it accepts, raw.
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub messages: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind smtp");
        let addr = listener.local_addr().expect("smtp addr");
        let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut r = BufReader::new(r);
                    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                            break;
                        }
                        let cmd = line.trim_end().to_ascii_uppercase();
                        let reply: &[u8] = if cmd.starts_with("EHLO") {
                            b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                        } else if cmd.starts_with("DATA") {
                            let _ = w.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            loop {
                                let mut l = String::new();
                                if r.read_line(&mut l).await.unwrap_or(0) == 0 {
                                    break;
                                }
                                if l == ".\r\n" || l == ".\n" {
                                    break;
                                }
                                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                            }
                            store.lock().expect("sink lock").push(data);
                            b"250 queued\r\n"
                        } else if cmd.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        } else if cmd.starts_with("HELO")
                            || cmd.starts_with("MAIL")
                            || cmd.starts_with("RCPT")
                            || cmd.starts_with("RSET")
                            || cmd.starts_with("NOOP")
                        {
                            b"250 ok\r\n"
                        } else {
                            b"502 not implemented\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        SmtpSink { addr, messages }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().expect("sink lock").clone()
    }
}
