//! `/api/v1/supplier-invoices/{id}/attachments`: the supplier's own document on an invoice —
//! upload (multipart, field `file`), list, download, delete — in the shapes of the requisition
//! attachments ([`super::attachments`]), whose upload staging and download answer it shares. The
//! finance service decides who may do what and when.
use super::attachments::{file_response, ids, receive, AttachmentList, Ids, UploadForm};
use super::{id_of, ApiError, ApiResult, Ctx, IdPath};
use app::error::{AppError, FieldError};
use app::finance::service::invoice_files as service;
use app::platform::context::{AppState, RequestCtx};
use app::platform::files::Attachment;
use app::platform::tx::run;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use uuid::Uuid;

pub use crate::middleware::UPLOAD_LIMIT;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/supplier-invoices/{id}/attachments",
            get(list)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/supplier-invoices/{id}/attachments/{attachment_id}",
            get(download).delete(remove),
        )
}

#[utoipa::path(get, path = "/api/v1/supplier-invoices/{id}/attachments", tag = "finance", params(("id" = Uuid, Path)),
    description = "The supplier's documents attached to the invoice, oldest first. Readers of supplier invoices.",
    responses((status = 200, body = super::Envelope<AttachmentList>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<AttachmentList> {
    let doc = id_of(id)?;
    let attachments = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list(tx, ctx, doc))
    })
    .await?;
    Ok(Ctx(ctx).ok(AttachmentList { attachments }))
}

/// Receives the multipart upload and attaches it to invoice `doc` (shared with the page's form).
pub async fn attach(
    state: &AppState,
    ctx: &RequestCtx,
    doc: Uuid,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Attachment, AppError> {
    // the permission first, so a reader's 50 MB is not read at all (the service checks again)
    ctx.principal()?.require("invoice:create")?;
    let multipart = multipart.map_err(|_| AppError::field("file", FieldError::Required))?;
    let (name, staged) = receive(state, multipart).await?;
    run(state, ctx, |tx, state, ctx| {
        Box::pin(async move { service::attach(tx, state, ctx, doc, &name, staged).await })
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/supplier-invoices/{id}/attachments", tag = "finance", params(("id" = Uuid, Path)),
    description = "multipart/form-data with the file in the field `file`: the supplier's invoice as a PDF, or a scan as JPEG or PNG, recognised from the content (the name and declared type are not trusted); at most 50 MB. `invoice:create`, while the invoice is a draft, waiting for approval or waiting for its goods; once posted (or cancelled) its documents stay as they are (422 INVALID_STATE).",
    request_body(content_type = "multipart/form-data", content = UploadForm),
    responses((status = 201, body = super::Envelope<Attachment>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 413, description = "PAYLOAD_TOO_LARGE", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR (`file`: not a PDF, JPEG or PNG, or missing) or INVALID_STATE (the invoice is posted or cancelled)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Attachment> {
    let doc = id_of(id)?;
    let a = attach(&state, &ctx, doc, multipart).await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, a, ""))
}

#[utoipa::path(get, path = "/api/v1/supplier-invoices/{id}/attachments/{attachment_id}", tag = "finance",
    params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    description = "The file's bytes with its recognised content type and `Content-Disposition: attachment` naming it. Readers of supplier invoices.",
    responses((status = 200, description = "The file, with its recognised content type",
               content((super::contract::Binary = "application/pdf"), (super::contract::Binary = "image/png"), (super::contract::Binary = "image/jpeg"))),
              (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
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

#[utoipa::path(delete, path = "/api/v1/supplier-invoices/{id}/attachments/{attachment_id}", tag = "finance",
    params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    description = "`invoice:create`, while the invoice is a draft, waiting for approval or waiting for its goods.",
    responses((status = 204, description = "removed"), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE (the invoice is posted or cancelled)", body = super::ErrorEnvelope)),
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
