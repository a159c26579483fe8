//! Per-request middleware: who is calling and in which language, the Origin check for cookie
//! sessions, security headers, metrics, and rendering of API errors in the caller's language.
use app::error::AppError;
use app::i18n::Locale;
use app::platform::context::{AppState, RequestCtx};
use app::platform::model::negotiate_language;
use app::platform::service;
use app::platform::two_factor;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::time::Instant;
use tower_sessions::Session;

pub const LOCALE_COOKIE: &str = "i18n_pref_locale";
const SESSION_SEEN: &str = "mw.seen";
/// Sessions are touched at most this often, so an idle timeout needs no write on every request.
const TOUCH_EVERY_SECS: i64 = 300;

/// Marks a handler's error so that [`context`] renders it as the error envelope in the caller's language.
#[derive(Clone, Debug)]
pub struct ApiErrorMarker(pub AppError);

pub fn error_response(err: &AppError, locale: Locale, request_id: &str) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({
        "success": false,
        "error": { "code": err.code(), "message": err.message(locale), "details": err.details(locale) },
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "request_id": request_id,
    });
    let mut res = (status, axum::Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer, Cookie"),
        );
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    res
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// A visitor's language: their cookie, else Accept-Language, else English.
pub fn visitor_locale(headers: &HeaderMap) -> Locale {
    cookie_value(headers, LOCALE_COOKIE)
        .and_then(|c| c.parse::<Locale>().ok())
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(negotiate_language)
        })
        .unwrap_or(Locale::en)
}

fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/sw.js"
                | "/register-sw.js"
                | "/manifest.webmanifest"
                | "/favicon.ico"
                | "/health"
                | "/metrics"
                | "/ready"
        )
}

/// Same-site check for state-changing requests authenticated by cookie: the `Origin` (or, failing
/// that, the `Referer`) must be this site. Bearer-token clients are exempt: browsers never send those.
fn origin_allowed(headers: &HeaderMap, state: &AppState) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let own = [format!("http://{host}"), format!("https://{host}")];
    let ok = |origin: &str| {
        !host.is_empty() && own.iter().any(|o| o == origin)
            || state.allowed_origins.iter().any(|o| o == origin)
    };
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return ok(origin);
    }
    if let Some(referer) = headers.get(header::REFERER).and_then(|v| v.to_str().ok()) {
        if let Ok(url) = referer.parse::<http::Uri>() {
            if let (Some(scheme), Some(auth)) = (url.scheme_str(), url.authority()) {
                return ok(&format!("{scheme}://{auth}"));
            }
        }
    }
    false
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// A browser asking for a page gets a small translated HTML page rather than the JSON envelope.
fn page_error(err: &AppError, locale: Locale, request_id: &str) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let lang = app::platform::model::locale_code(locale);
    let dir = if lang == "ar" { "rtl" } else { "ltr" };
    let message = err.message(locale).replace('<', "&lt;");
    let body = format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Millwright</title></head><body style=\"font-family:sans-serif;\
         max-width:32rem;margin:4rem auto;padding:0 1rem\"><h1>{message}</h1><p><a href=\"/\">Millwright</a></p>\
         <p style=\"color:#475569;font-size:.8rem\">{request_id}</p></body></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn wants_page(req: &Request) -> bool {
    let path = req.uri().path();
    !path.starts_with("/api/")
        && !path.starts_with("/sfn/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let wants_page = wants_page(&req);
    let fail = move |err: &AppError, locale: Locale, request_id: &str| {
        if wants_page {
            page_error(err, locale, request_id)
        } else {
            error_response(err, locale, request_id)
        }
    };
    let headers = req.headers();
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut locale = visitor_locale(headers);
    let path = req.uri().path().to_string();
    if is_static(&path) {
        return next.run(req).await;
    }
    let bearer = bearer(headers);
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && bearer.is_none() && !origin_allowed(headers, &state) {
        tracing::warn!(path = %path, "cross-site request refused");
        return fail(&AppError::OriginRejected, locale, &request_id);
    }
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let session = req.extensions().get::<Session>().cloned();
    let principal =
        match service::resolve_principal(&state, session.as_ref(), bearer.as_deref()).await {
            Ok(p) => p,
            Err(e) => return fail(&e, locale, &request_id),
        };
    if let (Some(p), Some(session)) = (&principal, &session) {
        if !p.via_token {
            touch(session).await;
        }
    }
    if let Some(p) = &principal {
        locale = p.user.language.parse().unwrap_or(locale);
        tracing::Span::current().record("tenant", p.user.tenant.slug.as_str());
        tracing::Span::current().record("user", p.user.username.as_str());
    }
    // the tenant's policy requires a second factor of this user, who has none yet: enrolment first
    if principal
        .as_ref()
        .is_some_and(|p| p.user.totp_enrolment_required)
        && !two_factor::open_before_enrolment(&path)
    {
        if path.starts_with("/api/") || path.starts_with("/sfn/") {
            return error_response(&AppError::TotpEnrolmentRequired, locale, &request_id);
        }
        return axum::response::Redirect::to(two_factor::ENROL_PAGE).into_response();
    }
    // the company's address was not verified in time: paused, but for verifying it
    if principal
        .as_ref()
        .is_some_and(|p| p.user.verification_lapsed())
        && !app::platform::onboarding::open_while_unverified(&path)
        && (path.starts_with("/api/") || path.starts_with("/sfn/"))
    {
        return error_response(&AppError::VerificationRequired, locale, &request_id);
    }
    let writer = principal
        .as_ref()
        .filter(|_| unsafe_method)
        .map(|p| p.tenant_id);
    let ctx = RequestCtx {
        principal,
        locale,
        ip,
        user_agent,
        request_id: request_id.clone(),
    };
    req.extensions_mut().insert(ctx);
    let mut res = next.run(req).await;
    if let Some(tenant) = writer {
        state.caches.written(tenant);
    }
    if let Some(ApiErrorMarker(err)) = res.extensions_mut().remove::<ApiErrorMarker>() {
        return error_response(&err, locale, &request_id);
    }
    res
}

async fn touch(session: &Session) {
    let now = chrono::Utc::now().timestamp();
    let seen: Option<i64> = session.get(SESSION_SEEN).await.ok().flatten();
    if seen.is_none_or(|s| now - s > TOUCH_EVERY_SECS) {
        let _ = session.insert(SESSION_SEEN, now).await;
    }
}

/// Where a page render leaves the nonce its inline scripts carry ([`keep_page_nonce`]), for
/// [`security_headers`] to name it in the page's CSP.
#[derive(Clone, Default)]
pub struct PageNonce(std::sync::Arc<std::sync::OnceLock<String>>);

/// Called in every page render's context: hands the render's nonce to [`security_headers`]
/// through the request. (The page's CSP used to travel in the render's `ResponseOptions`; now and
/// then a page arrived without it, under the fallback policy that blocks its own scripts.)
pub fn keep_page_nonce() {
    use leptos::prelude::use_context;
    if let (Some(parts), Some(nonce)) = (
        use_context::<axum::http::request::Parts>(),
        leptos::nonce::use_nonce(),
    ) {
        if let Some(slot) = parts.extensions.get::<PageNonce>() {
            let _ = slot.0.set(nonce.to_string());
        }
    }
}

/// Security headers on every response. A page gets a CSP that admits its own scripts by their
/// nonce; everything else a strict one.
pub async fn security_headers(
    State(secure): State<bool>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = PageNonce::default();
    req.extensions_mut().insert(nonce.clone());
    let bundle = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // the browser bundle is split into a main module and chunks loaded later (app::shell's lazy
    // pages) under fixed names: always revalidated (a 304 when unchanged), so a browser never
    // joins the main module of one build with a chunk of another
    if bundle && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    // pages and API answers show one user's data (and a page its own CSP nonce): never kept by a
    // shared cache, and revalidated by the browser before it shows one again
    let personal = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    if personal && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    if let Some(csp) = nonce.0.get().and_then(|n| {
        HeaderValue::from_str(&format!(
            "default-src 'self'; script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        ))
        .ok()
    }) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), geolocation=(), microphone=()"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
            ),
        );
    }
    if secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Bodies over 1 MiB are refused before they are read; attachment uploads may carry 50 MB.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Multipart framing around a 50 MB file.
pub const UPLOAD_LIMIT: usize = app::platform::files::MAX_BYTES as usize + 64 * 1024;

/// Multipart framing around the largest CSV accepted.
pub const IMPORT_LIMIT: usize =
    app::inventory::service::import::MAX_IMPORT_BYTES as usize + 64 * 1024;

/// The limit of a request: uploads (`POST …/attachments`) have their own.
pub fn limit_for(method: &axum::http::Method, path: &str) -> usize {
    if method == axum::http::Method::POST && path.ends_with("/attachments") {
        UPLOAD_LIMIT
    } else if method == axum::http::Method::POST
        && (path == "/api/v1/items/import" || path == "/inventory/import/upload")
    {
        IMPORT_LIMIT
    } else {
        BODY_LIMIT
    }
}

pub async fn body_limit(req: Request, next: Next) -> Response {
    let limit = limit_for(req.method(), req.uri().path());
    let too_big = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|len| len > limit as u64);
    if too_big {
        let request_id = req
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        return error_response(
            &AppError::PayloadTooLarge,
            visitor_locale(req.headers()),
            &request_id,
        );
    }
    next.run(req).await
}

/// Request count and latency by route and status, for `/metrics`.
pub async fn metrics(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/pkg/") {
                "/pkg/*".into()
            } else {
                "unmatched".into()
            }
        });
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    res
}
