//! Attachments of requisitions: the platform keeps the files ([`crate::platform::files`]); this
//! slice decides who may see them (whoever may see the requisition) and who may change them (only
//! the requester, while the requisition is draft or questioned).
use super::visible;
use crate::error::{AppError, AppResult};
use crate::platform::context::Principal;
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::files::attachments;
use crate::platform::files::staging::Staged;
use crate::platform::files::store::Reader;
use crate::platform::files::Attachment;
use uuid::Uuid;

/// The document type requisitions' files are kept under.
pub const DOC_TYPE: &str = "requisition";

/// Checks that the caller may see the requisition (404 otherwise, as for another tenant's).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(tx: &mut Tx, ctx: &RequestCtx, doc_id: Uuid) -> AppResult<Vec<Attachment>> {
    let p = ctx.principal()?;
    // visibility and scope are the requisition's
    visible(tx, p, doc_id.into(), false).await?;
    attachments::list(tx, DOC_TYPE, doc_id).await
}

/// Only the requester, and only while they may edit (draft or questioned), adds or removes
/// files. The requisition stays locked to the end of `tx`, so a concurrent submit waits.
async fn editable(tx: &mut Tx, p: &Principal, doc_id: Uuid) -> AppResult<()> {
    let (requester, status) = visible(tx, p, doc_id.into(), true).await?;
    if requester != p.user_id {
        return Err(AppError::Forbidden);
    }
    if !status.editable() {
        return Err(AppError::InvalidState);
    }
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn attach(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    doc_id: Uuid,
    file_name: &str,
    staged: Staged,
) -> AppResult<Attachment> {
    let p = ctx.principal()?;
    editable(tx, p, doc_id).await?;
    let files = state.files.clone();
    attachments::add(tx, files, ctx, p, DOC_TYPE, doc_id, file_name, staged).await
}

/// The attachment and its bytes, for whoever may see the requisition.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    doc_id: Uuid,
    id: Uuid,
) -> AppResult<(Attachment, Reader)> {
    let p = ctx.principal()?;
    visible(tx, p, doc_id.into(), false).await?;
    attachments::open(tx, state.files.as_ref(), DOC_TYPE, doc_id, id).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    doc_id: Uuid,
    id: Uuid,
) -> AppResult<()> {
    let p = ctx.principal()?;
    editable(tx, p, doc_id).await?;
    let files = state.files.clone();
    attachments::remove(tx, files, ctx, p, DOC_TYPE, doc_id, id).await
}
