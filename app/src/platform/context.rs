//! What a request carries into the service layer: the shared state, who is calling, and how to
//! answer them (language, request id). Built once per request by the server's middleware.
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::platform::model::SessionUser;
use crate::platform::permission::{authorize, Scope};
use std::sync::Arc;
use uuid::Uuid;

pub type LoginLimiter = governor::DefaultKeyedRateLimiter<String>;

#[derive(Clone)]
pub struct AppState {
    pub pool: sqlx::PgPool,
    /// Inventory search and type-ahead: a few connections of the same database, kept busy (a
    /// connection used again soon finds its caches warm), apart from the transactions' pool.
    pub search_pool: sqlx::PgPool,
    pub login_limiter: Arc<LoginLimiter>,
    /// Whether a company may sign itself up (`MILLWRIGHT_SIGNUP`; closed in production unless opened).
    pub signup_open: bool,
    /// Set the `Secure` attribute on cookies (served over https).
    pub secure_cookies: bool,
    /// A session ends this long after login, however active it is.
    pub session_absolute_secs: i64,
    /// `scheme://host:port` values accepted in `Origin` for cookie-authenticated writes, besides the Host itself.
    pub allowed_origins: Arc<Vec<String>>,
    /// (tenant, user) of every new notification, from PostgreSQL LISTEN/NOTIFY, so each server
    /// instance can push to the browsers connected to it.
    pub notifications: tokio::sync::broadcast::Sender<(Uuid, Uuid)>,
    /// Where attachment bytes are kept (a local folder unless replaced).
    pub files: Arc<dyn crate::platform::files::store::FileStore>,
    /// Results kept until their data changes (see [`crate::platform::cache`]).
    pub caches: Arc<crate::platform::cache::Caches>,
    /// Sends committed changes' announcements in batches ([`crate::platform::db::Announcer`]).
    pub announcer: crate::platform::db::Announcer,
}

impl AppState {
    pub fn login_limiter(per_minute: u32) -> Arc<LoginLimiter> {
        let per_minute =
            std::num::NonZeroU32::new(per_minute.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
        Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(
            per_minute,
        )))
    }
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub user: SessionUser,
    /// Authenticated by a bearer API token rather than a browser session.
    pub via_token: bool,
}

impl Principal {
    /// The permission check every server function and REST handler makes.
    pub fn require(&self, permission: &str) -> AppResult<Scope> {
        authorize(&self.user.grants, permission)
    }
}

#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub principal: Option<Principal>,
    pub locale: Locale,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
}

impl RequestCtx {
    pub fn principal(&self) -> AppResult<&Principal> {
        self.principal.as_ref().ok_or(AppError::Unauthenticated)
    }
}

/// Inside a server function: the request context placed by the middleware.
pub fn request_ctx() -> AppResult<RequestCtx> {
    let parts = leptos::prelude::use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    parts
        .extensions
        .get::<RequestCtx>()
        .cloned()
        .ok_or(AppError::Internal)
}

/// Inside a server function: the session of the request.
pub fn request_session() -> AppResult<tower_sessions::Session> {
    let parts = leptos::prelude::use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    parts
        .extensions
        .get::<tower_sessions::Session>()
        .cloned()
        .ok_or(AppError::Internal)
}

pub fn app_state() -> AppResult<AppState> {
    leptos::prelude::use_context::<AppState>().ok_or(AppError::Internal)
}

/// A server function's result, with the HTTP status of its error (422, 403, 409, …) rather than
/// the generic 500 server functions answer with.
pub fn respond<T>(result: AppResult<T>) -> AppResult<T> {
    if let Err(e) = &result {
        if let (Some(res), Ok(status)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(e.status()),
        ) {
            res.set_status(status);
        }
    }
    result
}
