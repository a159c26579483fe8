//! The Millwright server: configuration, the managed database, the HTTP stack (Leptos pages, server
//! functions, the REST API, operations endpoints) and the command-line entry points.
pub mod config;
pub mod db;
pub mod forms;
pub mod mailer;
pub mod managed_pg;
pub mod middleware;
pub mod ops;
pub mod rest;
pub mod seed;
pub mod sessions;

use app::platform::context::AppState;
use app::{shell, App};
use axum::routing::{get, post};
use axum::Router;
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub fn init_tracing(cfg: &Config) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_new(&cfg.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let result = if cfg.log_json {
        fmt()
            .json()
            .with_env_filter(filter)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        fmt().with_env_filter(filter).try_init()
    };
    let _ = result;
}

pub fn leptos_options(cfg: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "millwright".into()))
        .site_root(cfg.site_root.clone())
        .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
        .site_addr(cfg.addr)
        .env(if cfg.env == config::Env::Production {
            leptos::config::Env::PROD
        } else {
            leptos::config::Env::DEV
        })
        .build()
}

pub fn state(pool: sqlx::PgPool, cfg: &Config) -> AppState {
    app::shell::install();
    AppState {
        announcer: app::platform::db::Announcer::start(pool.clone()),
        search_pool: db::search_pool(&pool, cfg),
        pool,
        login_limiter: AppState::login_limiter(cfg.login_rate_per_minute),
        signup_open: cfg.signup_open,
        secure_cookies: cfg.secure_cookies,
        session_absolute_secs: cfg.session_absolute.as_secs() as i64,
        allowed_origins: Arc::new(cfg.public_url.iter().cloned().collect()),
        notifications: tokio::sync::broadcast::channel(1024).0,
        files: Arc::new(app::platform::files::store::LocalStore::new(
            cfg.files_dir.clone(),
        )),
        caches: Arc::new(caches(cfg)),
    }
}

/// The result caches: the platform's, and each slice's kinds of result.
fn caches(cfg: &Config) -> app::platform::cache::Caches {
    let mut caches = app::platform::cache::Caches::new(cfg.result_cache);
    caches.register::<app::inventory::service::SearchResults>(cfg.search_cache);
    caches.register::<app::procurement::service::RequisitionPages>(true);
    caches
}

/// The pages' routes, worked out once per process. Leptos works them out by rendering the app
/// with resource loading suppressed by a *process-wide* flag: a page rendered meanwhile by
/// another server of the same process (the integration tests run many) would have its resources
/// wait forever (leptos-rs/leptos#4773), so the list is never generated twice.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP application; tests build it on port 0 exactly as the binary does.
pub fn router(state: AppState, cfg: &Config) -> Router {
    let options = leptos_options(cfg);
    let routes = route_list();
    let store = sessions::KeptStore::new(state.pool.clone(), state.caches.clone());
    let idle = tower_sessions::cookie::time::Duration::seconds(cfg.session_idle.as_secs() as i64);
    let sessions = SessionManagerLayer::new(store)
        .with_name("mw_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(cfg.secure_cookies)
        .with_expiry(Expiry::OnInactivity(idle));

    let ctx_state = state.clone();
    let sfn_state = state.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                provide_context(ctx_state.clone());
                middleware::keep_page_nonce();
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .route(
            "/sfn/{*fn_name}",
            post({
                let s = sfn_state.clone();
                move |req| {
                    leptos_axum::handle_server_fns_with_context(
                        move || provide_context(s.clone()),
                        req,
                    )
                }
            })
            .get({
                let s = sfn_state.clone();
                move |req| {
                    leptos_axum::handle_server_fns_with_context(
                        move || provide_context(s.clone()),
                        req,
                    )
                }
            }),
        )
        // Static files (the bundle, icons, the service worker) come straight from the site folder,
        // outside any Leptos owner. (leptos_axum's file_and_error_handler serves them inside a new
        // owner whose parent is whatever owner the worker thread last left current; two full
        // journey runs saw a bundle chunk answered with a previous page's 403 that way.) Whatever
        // is not a file is the not-found page, rendered with the same context as every page.
        .fallback_service(static_files(&options, state.clone()))
        .with_state(options);

    let forms = Router::new()
        .route("/auth/login", post(forms::login))
        .route("/auth/login/totp", post(forms::login_code))
        .route("/auth/logout", post(forms::logout))
        .route("/auth/language", post(forms::language))
        .route("/auth/signup", post(forms::signup))
        .route("/verify-email", get(forms::verify_email))
        .route("/auth/password-reset", post(forms::password_reset))
        .route(
            "/auth/password-reset/confirm",
            post(forms::password_reset_confirm),
        )
        .route(
            "/procurement/requisitions/{id}/attachments",
            post(forms::attach).layer(axum::extract::DefaultBodyLimit::max(
                rest::attachments::UPLOAD_LIMIT,
            )),
        )
        .route(
            "/procurement/requisitions/{id}/attachments/{attachment_id}/delete",
            post(forms::detach),
        )
        .route(
            "/finance/invoices/{id}/attachments",
            post(forms::attach_invoice_file).layer(axum::extract::DefaultBodyLimit::max(
                rest::attachments::UPLOAD_LIMIT,
            )),
        )
        .route(
            "/finance/invoices/{id}/attachments/{attachment_id}/delete",
            post(forms::detach_invoice_file),
        )
        .route(
            "/inventory/import/upload",
            post(forms::import).layer(axum::extract::DefaultBodyLimit::max(
                rest::inventory::IMPORT_LIMIT,
            )),
        )
        .with_state(state.clone());
    let ops = Router::new()
        .route("/health", get(ops::health))
        .route("/ready", get(ops::ready))
        .route("/metrics", get(ops::metrics_text))
        .with_state(state.clone());
    ops::prometheus();

    let trace = TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
        let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
        tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %request_id,
            tenant = tracing::field::Empty, user = tracing::field::Empty)
    });

    Router::new()
        .merge(rest::router(state.clone()))
        .merge(forms)
        .merge(ops)
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::context,
        ))
        .layer(sessions)
        .layer(axum::extract::DefaultBodyLimit::max(middleware::BODY_LIMIT))
        .layer(axum::middleware::from_fn(middleware::body_limit))
        .layer(axum::middleware::from_fn_with_state(
            cfg.secure_cookies,
            middleware::security_headers,
        ))
        // live streams must not wait in a compressor's buffer
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::new("text/event-stream")),
        ))
        .layer(axum::middleware::from_fn(middleware::metrics))
        .layer(trace)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The site folder's files; anything else renders the translated not-found page (404).
fn static_files(
    options: &LeptosOptions,
    state: AppState,
) -> tower_http::services::ServeDir<
    impl tower::Service<
            axum::extract::Request,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
            Future = impl Send,
        > + Clone
        + Send,
> {
    let not_found = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(state.clone());
            // its scripts carry the page's nonce like every other page's
            middleware::keep_page_nonce();
        },
        {
            let options = options.clone();
            move || shell(options.clone())
        },
    );
    let not_found = tower::service_fn(move |req: axum::extract::Request| {
        let render = not_found.clone();
        async move {
            let mut res = render(req).await;
            // the page sets 404 itself; a render that failed before it keeps its own status
            if res.status() == axum::http::StatusCode::OK {
                *res.status_mut() = axum::http::StatusCode::NOT_FOUND;
            }
            Ok::<_, std::convert::Infallible>(res)
        }
    });
    tower_http::services::ServeDir::new(&*options.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found)
}

/// Resolves after Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

/// The background workers: approval escalations every 30 seconds, requisition count compaction
/// every 10, and item imports left over by a stopped instance (jobs are claimed with SKIP LOCKED, so every instance may run this; a new
/// import starts its worker at once).
pub fn spawn_workers(state: &AppState) {
    // requisition counts are appended as deltas; their rows are folded every 10 seconds
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
        loop {
            tick.tick().await;
            if let Err(e) = sqlx::query!("select from compact_requisition_counts()")
                .execute(&pool)
                .await
            {
                tracing::warn!(error = %e, "requisition count compaction failed");
            }
        }
    });
    let imports = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            if let Err(e) = app::inventory::service::import::run_pending(&imports).await {
                tracing::warn!(error = %e, "import worker failed");
            }
        }
    });
    // the audit log's monthly partitions, kept ahead by a daily platform job on the queue
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            match app::platform::audit_log::run_partition_job(&pool).await {
                Ok(None) => {}
                Ok(Some(made)) => tracing::info!(made, "audit log partitions kept ahead"),
                Err(e) => tracing::warn!(error = %e, "audit partition job failed"),
            }
        }
    });
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            match app::approvals::engine::run_due_escalations(&pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(escalated = n, "approval stages escalated"),
                Err(e) => tracing::warn!(error = %e, "escalation worker failed"),
            }
        }
    });
}

/// Listens on PostgreSQL for new notifications (from any instance) and fans them out to this
/// instance's live connections, and for data changes that drop this instance's cached results.
/// Reconnects after the database comes back; while disconnected nothing is cached (a change
/// could go unheard).
pub fn spawn_notification_listener(state: &AppState) {
    let pool = state.pool.clone();
    let tx = state.notifications.clone();
    let caches = state.caches.clone();
    tokio::spawn(async move {
        loop {
            match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(mut listener) => {
                    if let Err(e) = listener
                        .listen_all([app::platform::db::NOTIFICATIONS, app::platform::db::CHANGES])
                        .await
                    {
                        tracing::warn!(error = %e, "LISTEN failed");
                    } else {
                        caches.set_listening(true);
                        loop {
                            match listener.try_recv().await {
                                Ok(Some(n)) if n.channel() == app::platform::db::CHANGES => {
                                    caches.apply(n.payload());
                                }
                                Ok(Some(n)) => {
                                    let mut parts = n.payload().split(':');
                                    let ids = (
                                        parts.next().and_then(|t| t.parse().ok()),
                                        parts.next().and_then(|u| u.parse().ok()),
                                    );
                                    if let (Some(tenant), Some(user)) = ids {
                                        // nobody listening is fine
                                        let _ = tx.send((tenant, user));
                                    }
                                }
                                Ok(None) => {
                                    // sqlx reconnects and listens again; what was sent meanwhile is lost
                                    caches.clear();
                                    tracing::warn!(
                                        "notification listener lost its connection; reconnecting"
                                    );
                                }
                                // the server is stopping: nothing to hear any more
                                Err(sqlx::Error::PoolClosed) => return,
                                Err(e) => {
                                    tracing::warn!(error = %e, "notification listener failed");
                                    break;
                                }
                            }
                        }
                    }
                    caches.set_listening(false);
                }
                Err(sqlx::Error::PoolClosed) => return,
                Err(e) => tracing::debug!(error = %e, "notification listener cannot connect yet"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
    });
}

/// Deletes expired sessions once an hour.
pub fn spawn_session_sweeper(pool: sqlx::PgPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) =
                sqlx::query!("delete from tower_sessions.session where expiry_date < now()")
                    .execute(&pool)
                    .await
            {
                tracing::warn!(error = %e, "expired session sweep failed");
            }
            if let Err(e) = app::platform::sessions::sweep(&pool).await {
                tracing::warn!(error = %e, "sweep of ended sessions' rows failed");
            }
        }
    });
}
