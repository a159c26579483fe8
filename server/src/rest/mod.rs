//! The REST API under `/api/v1`: the envelope, extractors that turn bad input into translated
//! errors, and one module per resource. Handlers are thin: they call `app`'s services.
pub mod attachments;
pub mod auth;
pub mod idempotency;
pub mod inventory;
pub mod masters;
pub mod notifications;
pub mod openapi;
pub mod orders;
pub mod procurement;
pub mod suppliers;

use crate::middleware::ApiErrorMarker;
use app::error::{AppError, FieldError};
use app::platform::context::{AppState, RequestCtx};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::{de::DeserializeOwned, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Envelope<T> {
    pub success: bool,
    pub data: T,
    pub message: String,
    /// RFC 3339, UTC
    pub timestamp: String,
    pub request_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code: VALIDATION_ERROR, INVALID_CREDENTIALS, ACCOUNT_LOCKED, UNAUTHENTICATED, FORBIDDEN,
    /// NOT_FOUND, CONFLICT, RATE_LIMITED, PAYLOAD_TOO_LARGE, INVALID_STATE, BAD_REQUEST, SERVICE_UNAVAILABLE, INTERNAL_ERROR
    pub code: String,
    /// In the caller's language.
    pub message: String,
    /// Field path → message, for VALIDATION_ERROR.
    pub details: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// always false
    pub success: bool,
    pub error: ErrorBody,
    pub timestamp: String,
    pub request_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Pagination {
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    pub pages: u64,
}

impl Pagination {
    pub fn new(page: u32, per_page: u32, total: u64) -> Pagination {
        let pages = if per_page == 0 {
            0
        } else {
            total.div_ceil(per_page as u64)
        };
        Pagination {
            page,
            per_page,
            total,
            pages,
        }
    }
}

/// A successful answer in the envelope.
pub struct ApiOk<T> {
    status: StatusCode,
    envelope: Envelope<T>,
}

impl<T: Serialize> IntoResponse for ApiOk<T> {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.envelope)).into_response()
    }
}

/// A handler's error; the context middleware renders it in the caller's language.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = status.into_response();
        res.extensions_mut().insert(ApiErrorMarker(self.0));
        res
    }
}

pub type ApiResult<T> = Result<ApiOk<T>, ApiError>;

/// A `{id}` path segment: one that is not a UUID names nothing, so it is 404 like an unknown id.
pub type IdPath = Result<axum::extract::Path<uuid::Uuid>, axum::extract::rejection::PathRejection>;

pub fn id_of(p: IdPath) -> Result<uuid::Uuid, ApiError> {
    p.map(|axum::extract::Path(id)| id)
        .map_err(|_| ApiError(AppError::NotFound))
}

/// The request context (caller, language, request id) placed by the middleware.
pub struct Ctx(pub RequestCtx);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .map(Ctx)
            .ok_or(ApiError(AppError::Internal))
    }
}

impl Ctx {
    pub fn ok<T>(&self, data: T) -> ApiOk<T> {
        self.ok_with(StatusCode::OK, data, "")
    }

    pub fn ok_with<T>(&self, status: StatusCode, data: T, message: &str) -> ApiOk<T> {
        ApiOk {
            status,
            envelope: Envelope {
                success: true,
                data,
                message: message.to_string(),
                timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                request_id: self.0.request_id.clone(),
            },
        }
    }
}

/// The query of a list: its own filters `T`, and the page checked as every list checks it (from 1;
/// `per_page` 1 to 100, 20 when absent). A query that does not parse is 422 on `query`, a page
/// out of range 422 on `page` or `per_page`. Its parameters are documented by `T` and
/// [`auth::PageQuery`].
pub struct ListQuery<T> {
    pub filter: T,
    pub page: u32,
    pub per_page: u32,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ListQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::Query;
        let invalid = |_| ApiError(AppError::field("query", FieldError::Invalid));
        let Query(filter) = Query::<T>::try_from_uri(&parts.uri).map_err(invalid)?;
        let Query(paging) = Query::<auth::PageQuery>::try_from_uri(&parts.uri).map_err(invalid)?;
        let (page, per_page) = paging.resolve()?;
        Ok(ListQuery {
            filter,
            page,
            per_page,
        })
    }
}

/// JSON body whose problems become envelope errors: unreadable JSON is 400, a missing or mistyped
/// field is 422 with the field named, an oversized body 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError(data_error(&e.body_text()))),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError(AppError::PayloadTooLarge))
            }
            Err(_) => Err(ApiError(AppError::BadRequest)),
        }
    }
}

/// An optional JSON body: empty means the default, anything else must be valid.
pub fn optional_json<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError(if e.is_data() {
            data_error(&format!("body: {e}"))
        } else {
            AppError::BadRequest
        })
    })
}

/// Names the offending field from serde's message where it says which.
fn data_error(text: &str) -> AppError {
    let field_between = |marker: &str| {
        let start = text.find(marker)? + marker.len();
        let rest = &text[start..];
        let end = rest.find('`')?;
        Some(rest[..end].to_string())
    };
    if let Some(f) = field_between("missing field `") {
        return AppError::field(&f, FieldError::Required);
    }
    // "Failed to deserialize the JSON body into the target type: name: invalid type: ..."
    let path = text
        .split(": ")
        .nth(1)
        .filter(|p| !p.contains(' ') && !p.is_empty())
        .unwrap_or("body");
    AppError::field(path, FieldError::Invalid)
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .nest(
            "/api/v1",
            auth::router()
                .merge(suppliers::router())
                .merge(procurement::router())
                .merge(orders::router())
                .merge(masters::router())
                .merge(attachments::router())
                .merge(inventory::router())
                .merge(notifications::router())
                .route("/openapi.json", axum::routing::get(openapi::document))
                .fallback(|| async { ApiError(AppError::NotFound) })
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    idempotency::layer,
                )),
        )
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_the_field_in_error() {
        assert_eq!(
            data_error("Failed to deserialize the JSON body into the target type: missing field `password` at line 1 column 40"),
            AppError::field("password", FieldError::Required)
        );
        assert_eq!(
            data_error("Failed to deserialize the JSON body into the target type: language: invalid type: integer `5`, expected a string at line 1 column 14"),
            AppError::field("language", FieldError::Invalid)
        );
    }

    #[test]
    fn pages_round_up() {
        let p = Pagination::new(1, 20, 41);
        assert_eq!((p.pages, p.total), (3, 41));
        assert_eq!(Pagination::new(1, 20, 0).pages, 0);
    }
}
