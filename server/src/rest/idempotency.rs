//! `Idempotency-Key` on the POSTs that create documents: the first request with a key claims it
//! (a committed row), runs, and stores its successful answer; a retry with the same key and the
//! same body gets that answer again instead of a second document. A retry while the first is
//! still running is 409; the same key with a different body is 422. Failed requests release the
//! key so they can be retried.
use crate::middleware::ApiErrorMarker;
use app::error::{AppError, FieldError};
use app::platform::context::{AppState, RequestCtx};
use app::platform::db::tenant_tx;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The creating endpoints that honour the header (paths inside /api/v1, which nesting strips).
pub const CREATING: &[&str] = &[
    "/requisitions",
    "/purchase-orders",
    "/suppliers",
    "/journal-entries",
    "/supplier-invoices",
    "/payments",
];

const MAX_BODY: usize = 1024 * 1024;

fn refuse(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let mut res = status.into_response();
    res.extensions_mut().insert(ApiErrorMarker(err));
    res
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !CREATING.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let Some(key) = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
    else {
        return next.run(req).await;
    };
    if key.len() > 200 {
        return refuse(AppError::field("Idempotency-Key", FieldError::TooLong));
    }
    let Some(principal) = req
        .extensions()
        .get::<RequestCtx>()
        .and_then(|c| c.principal.clone())
    else {
        // unauthenticated: the handler answers 401 as usual
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return refuse(AppError::PayloadTooLarge);
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.uri.path().as_bytes());
    hasher.update([0]);
    hasher.update(&bytes);
    let hash = hex::encode(hasher.finalize());

    // claim the key in its own committed transaction
    let claimed = async {
        let mut tx = tenant_tx(&state.pool, principal.tenant_id).await?;
        let inserted = sqlx::query!("insert into idempotency_keys (tenant_id, user_id, key, request_hash) values ($1, $2, $3, $4)
             on conflict do nothing", principal.tenant_id, principal.user_id, &key, &hash)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let existing: Option<(String, Option<i32>, Option<serde_json::Value>)> = if inserted {
            None
        } else {
            sqlx::query!(
                "select request_hash, status_code, response from idempotency_keys where user_id = $1 and key = $2",
                principal.user_id,
                key
            )
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| (r.request_hash, r.status_code, r.response))
        };
        tx.commit().await?;
        Ok::<_, sqlx::Error>((inserted, existing))
    }
    .await;
    let (inserted, existing) = match claimed {
        Ok(v) => v,
        Err(e) => return refuse(AppError::from(e)),
    };
    if !inserted {
        return match existing {
            Some((h, _, _)) if h != hash => {
                refuse(AppError::field("Idempotency-Key", FieldError::Duplicate))
            }
            Some((_, Some(status), Some(body))) => {
                let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
                let mut res = (status, axum::Json(body)).into_response();
                res.headers_mut().insert(
                    "idempotent-replayed",
                    http::HeaderValue::from_static("true"),
                );
                res
            }
            // still running (or vanished between the two statements): try again shortly
            _ => refuse(AppError::Conflict),
        };
    }

    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = res.status();
    let store = async {
        let mut tx = tenant_tx(&state.pool, principal.tenant_id).await?;
        if status.is_success() {
            let (res_parts, body) = res.into_parts();
            let bytes = to_bytes(body, 16 * MAX_BODY).await.unwrap_or_default();
            let json: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
            sqlx::query!("update idempotency_keys set status_code = $3, response = $4 where user_id = $1 and key = $2", principal.user_id, &key, status.as_u16() as i32, json)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Response::from_parts(res_parts, Body::from(bytes)))
        } else {
            sqlx::query!("delete from idempotency_keys where user_id = $1 and key = $2", principal.user_id, &key)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(res)
        }
    }
    .await;
    match store {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "idempotency key bookkeeping failed");
            refuse(AppError::Unavailable)
        }
    }
}
