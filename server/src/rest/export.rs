//! `format=csv|xlsx` on the lists: the same filters, every page (up to
//! [`app::platform::export::MAX_ROWS`] rows), as a file to download. The handlers build the
//! table through their slice's export service (the list's own service function, with its
//! permission check) and answer it here. The document gets the two content types and the
//! file's headers from [`super::contract`] for every operation that takes [`ExportQuery`].
use super::ApiError;
use app::error::{AppError, FieldError};
use app::platform::context::RequestCtx;
use app::platform::export::{render, Format, Table};
use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::IntoParams;

/// The values of `format` on a list (and the marker [`super::contract`] recognises).
pub const FORMATS: [&str; 4] = ["json", "csv", "xlsx", ""];

/// The header that says the file holds fewer rows than the list.
pub const TRUNCATED: &str = "X-Export-Truncated";

fn format_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(FORMATS))
        .description(Some(
            "`json` (the default; empty is the same), or a file of every row the filters find (all pages, up to 50,000 rows; `page` and `per_page` are not used): `csv` (UTF-8 with a byte-order mark, RFC 4180) or `xlsx` (an Excel workbook)",
        ))
        .build()
}

/// `format` of a list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    #[param(schema_with = format_schema, nullable = false)]
    pub format: Option<String>,
}

impl ExportQuery {
    /// The file asked for; `None` for the JSON page. An unknown value is 422 on `format`.
    pub fn file(&self) -> Result<Option<Format>, ApiError> {
        match self.format.as_deref().map(str::trim).unwrap_or("") {
            "" | "json" => Ok(None),
            "csv" => Ok(Some(Format::Csv)),
            "xlsx" => Ok(Some(Format::Xlsx)),
            _ => Err(ApiError(AppError::field("format", FieldError::Invalid))),
        }
    }
}

/// The file of `table`, named `{name}-{the company's today}.{csv|xlsx}`, as an attachment.
pub async fn answer(
    ctx: &RequestCtx,
    format: Format,
    name: &str,
    table: Table,
) -> Result<Response, ApiError> {
    let tz = &ctx.principal()?.user.tenant.timezone;
    let day = app::platform::export::local_date(chrono::Utc::now(), tz);
    let truncated = table.truncated;
    let bytes = render(format, table).await?;
    let mut res = (StatusCode::OK, Body::from(bytes)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format.content_disposition(name, day)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        TRUNCATED,
        HeaderValue::from_static(if truncated { "true" } else { "false" }),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
