//! The REST API under `/api/v1`: the envelope, extractors that turn bad input into translated
//! errors, and one module per resource. Handlers are thin: they call `app`'s services.
pub mod account;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod contract;
pub mod export;
pub mod finance;
pub mod fpay;
pub mod idempotency;
pub mod inventory;
pub mod invoice_files;
pub mod invoices;
pub mod masters;
pub mod notifications;
pub mod openapi;
pub mod orders;
pub mod places;
pub mod procurement;
pub mod reports;
pub mod settings;
pub mod signup;
pub mod suppliers;
pub mod tally;
pub mod units;
pub mod users;

use crate::middleware::ApiErrorMarker;
use app::error::{AppError, FieldError};
use app::platform::context::{AppState, RequestCtx};
use app::platform::paging::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

/// The page of a list, as every list reads it: `page` from 1, `per_page` 1 to 100 (20 when
/// absent). Out of range is 422 naming the parameter; nothing is clamped.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From 1
    #[param(minimum = 1, maximum = 1_000_000, default = 1, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page: default 20, at most 100 (more is 422, not clamped)
    #[param(minimum = 1, maximum = 100, default = 20, nullable = false)]
    pub per_page: Option<u32>,
}

/// The highest page a list answers: (page − 1) × per_page must stay within the services' `u32`
/// arithmetic, and a million pages of a hundred rows is beyond any list.
pub const MAX_PAGE: u32 = 1_000_000;

impl PageQuery {
    pub fn resolve(&self) -> Result<(u32, u32), AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page == 0 || page > MAX_PAGE {
            return Err(AppError::field("page", FieldError::Invalid));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(AppError::field("per_page", FieldError::Invalid));
        }
        Ok((page, per_page))
    }
}

/// Query parameters whose problems become envelope errors: one that does not parse (or comes
/// twice) is 422 with the parameter named, never axum's plain-text 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        query_of(&parts.uri).map(ApiQuery)
    }
}

fn query_of<T: DeserializeOwned>(uri: &axum::http::Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|axum::extract::Query(q)| q)
        .map_err(|e| ApiError(query_error(&e.body_text())))
}

/// Names the offending parameter from the rejection's text where it says which:
/// "Failed to deserialize query string: per_page: invalid digit found in string", or
/// "…: duplicate field `page`".
fn query_error(text: &str) -> AppError {
    let named = |marker: &str| {
        let start = text.find(marker)? + marker.len();
        let rest = &text[start..];
        Some(rest[..rest.find('`')?].to_string())
    };
    let name = named("duplicate field `")
        .or_else(|| named("missing field `"))
        .or_else(|| {
            text.split(": ")
                .nth(1)
                .filter(|p| !p.is_empty() && !p.contains(' ') && *p != ".")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "query".to_string());
    AppError::field(&name, FieldError::Invalid)
}

/// The query of a list: its own filters `T`, and the page checked as every list checks it
/// ([`PageQuery`]). A parameter that does not parse or is out of range is 422 naming it. Its
/// parameters are documented by `T` and [`PageQuery`].
pub struct ListQuery<T> {
    pub filter: T,
    pub page: u32,
    pub per_page: u32,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ListQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let filter = query_of::<T>(&parts.uri)?;
        let (page, per_page) = query_of::<PageQuery>(&parts.uri)?.resolve()?;
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

/// An optional JSON body: none (or only whitespace) means `T::default()`, anything else must be
/// valid JSON of `T` (400 when it is not JSON, 422 naming the field when a field is wrong), and a
/// body over the limit is 413 — all in the error envelope. The document marks such a body
/// `required: false` (`request_body = Option<T>`).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                ApiError(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::BadRequest
                })
            })?;
        optional_json(&bytes).map(OptionalJson)
    }
}

fn optional_json<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    use axum::extract::rejection::JsonRejection;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    match axum::Json::<T>::from_bytes(bytes) {
        Ok(axum::Json(v)) => Ok(v),
        Err(JsonRejection::JsonDataError(e)) => Err(ApiError(data_error(&e.body_text()))),
        Err(_) => Err(ApiError(AppError::BadRequest)),
    }
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
                .merge(signup::router())
                .merge(settings::router())
                .merge(account::router())
                .merge(audit::router())
                .merge(users::router())
                .merge(places::router())
                .merge(units::router())
                .merge(finance::router())
                .merge(reports::router())
                .merge(invoices::router())
                .merge(invoices::payments_router())
                .merge(invoices::runs_router())
                .merge(invoice_files::router())
                .merge(tally::router())
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
    fn query_messages_name_the_parameter() {
        assert_eq!(
            query_error(
                "Failed to deserialize query string: per_page: invalid digit found in string"
            ),
            AppError::field("per_page", FieldError::Invalid)
        );
        assert_eq!(
            query_error("Failed to deserialize query string: duplicate field `page`"),
            AppError::field("page", FieldError::Invalid)
        );
        assert_eq!(
            query_error("Failed to deserialize query string: something else went wrong"),
            AppError::field("query", FieldError::Invalid)
        );
    }

    #[test]
    fn a_page_is_checked_against_its_limits() {
        let page = |page, per_page| PageQuery { page, per_page }.resolve();
        assert_eq!(page(None, None), Ok((1, 20)));
        assert_eq!(page(Some(MAX_PAGE), Some(100)), Ok((MAX_PAGE, 100)));
        assert_eq!(
            page(Some(MAX_PAGE + 1), None),
            Err(AppError::field("page", FieldError::Invalid))
        );
        assert_eq!(
            page(None, Some(101)),
            Err(AppError::field("per_page", FieldError::Invalid))
        );
        // the services' u32 offset cannot overflow within the limits
        assert!((MAX_PAGE - 1).checked_mul(MAX_PER_PAGE).is_some());
    }

    #[test]
    fn pages_round_up() {
        let p = Pagination::new(1, 20, 41);
        assert_eq!((p.pages, p.total), (3, 41));
        assert_eq!(Pagination::new(1, 20, 0).pages, 0);
    }
}
