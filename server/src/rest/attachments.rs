//! `/api/v1/requisitions/{id}/attachments`: upload (multipart, field `file`), list, download,
//! delete. The bytes stream into a staging file while they are measured and recognised; the
//! service decides everything else.
use super::contract::Binary;
use super::{ApiError, ApiResult, Ctx};
use app::error::{AppError, FieldError};
use app::platform::context::{AppState, RequestCtx};
use app::platform::files::staging::Staged;
use app::platform::files::Attachment;
use app::platform::tx::run;
use app::procurement::service::attachments as service;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::middleware::UPLOAD_LIMIT;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/requisitions/{id}/attachments",
            get(list)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/requisitions/{id}/attachments/{attachment_id}",
            get(download).delete(remove),
        )
}

pub type Ids = Result<Path<(Uuid, Uuid)>, axum::extract::rejection::PathRejection>;

/// The document's and the file's ids from the path (either malformed: 404).
pub fn ids(p: Ids) -> Result<(Uuid, Uuid), ApiError> {
    p.map(|Path(ids)| ids)
        .map_err(|_| ApiError(AppError::NotFound))
}

/// The upload form: the file in the field `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    #[schema(value_type = super::contract::AnyFile)]
    file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentList {
    pub attachments: Vec<Attachment>,
}

#[utoipa::path(get, path = "/api/v1/requisitions/{id}/attachments", tag = "procurement", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<AttachmentList>), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: super::IdPath,
) -> ApiResult<AttachmentList> {
    let doc = super::id_of(id)?;
    let attachments = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list(tx, ctx, doc))
    })
    .await?;
    Ok(Ctx(ctx).ok(AttachmentList { attachments }))
}

/// Reads the multipart field `file` into a staged upload; its file name comes with it.
pub async fn receive(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<(String, Staged), AppError> {
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Err(AppError::field("file", FieldError::Required)),
            Err(e) => return Err(multipart_error(e)),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("file").to_string();
        let mut staged = Staged::new(state.files.as_ref()).await?;
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => staged.push(&chunk).await?,
                Ok(None) => break,
                Err(e) => return Err(multipart_error(e)),
            }
        }
        return Ok((name, staged));
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest
    }
}

pub async fn attach(
    state: &AppState,
    ctx: &RequestCtx,
    doc: Uuid,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Attachment, AppError> {
    // permission first, so a stranger's 50 MB is not read at all
    ctx.principal()?;
    let multipart = multipart.map_err(|_| AppError::field("file", FieldError::Required))?;
    let (name, staged) = receive(state, multipart).await?;
    run(state, ctx, |tx, state, ctx| {
        Box::pin(async move { service::attach(tx, state, ctx, doc, &name, staged).await })
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/requisitions/{id}/attachments", tag = "procurement", params(("id" = Uuid, Path)),
    description = "multipart/form-data with the file in the field `file`. PDF, Word (doc, docx), Excel (xls, xlsx), JPEG or PNG, recognised from the content (the name and declared type are not trusted); at most 50 MB. Only the requester, while the requisition is draft or questioned.",
    request_body(content_type = "multipart/form-data", content = UploadForm),
    responses((status = 201, body = super::Envelope<Attachment>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 413, description = "PAYLOAD_TOO_LARGE", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR (`file`: type not allowed or missing) or INVALID_STATE", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: super::IdPath,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Attachment> {
    let doc = super::id_of(id)?;
    let a = attach(&state, &ctx, doc, multipart).await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, a, ""))
}

/// `attachment; filename="…"; filename*=UTF-8''…` with a safe ASCII fallback.
fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[utoipa::path(get, path = "/api/v1/requisitions/{id}/attachments/{attachment_id}", tag = "procurement",
    params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    responses((status = 200, description = "The file, with its recognised content type",
               content((Binary = "application/pdf"), (Binary = "image/png"), (Binary = "image/jpeg"), (Binary = "application/msword"),
                       (Binary = "application/vnd.ms-excel"), (Binary = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                       (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn download(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    p: Ids,
) -> Result<Response, ApiError> {
    let (doc, id) = ids(p)?;
    let (a, reader) = run(&state, &ctx, |tx, state, ctx| {
        Box::pin(service::open(tx, state, ctx, doc, id))
    })
    .await?;
    Ok(file_response(&a, reader))
}

/// A document's file as the answer: its bytes streamed, its recognised type, its length, and its
/// name to save it under; never cached by a shared cache.
pub fn file_response(a: &Attachment, reader: app::platform::files::store::Reader) -> Response {
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(reader));
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&a.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(a.size_bytes));
    h.insert(header::CONTENT_DISPOSITION, disposition(&a.file_name));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

#[utoipa::path(delete, path = "/api/v1/requisitions/{id}/attachments/{attachment_id}", tag = "procurement",
    params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    responses((status = 204, description = "removed"), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    p: Ids,
) -> Result<Response, ApiError> {
    let (doc, id) = ids(p)?;
    run(&state, &ctx, |tx, state, ctx| {
        Box::pin(service::remove(tx, state, ctx, doc, id))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_survive_any_script() {
        let v = disposition("कोटेशन \"1\".pdf");
        let s = v.to_str().unwrap_or_default();
        assert!(s.starts_with("attachment; filename=\""));
        assert!(s.contains("filename*=UTF-8''%E0%A4%95"));
        assert!(!s.contains("\"1\""));
    }
}
