//! The supplier's own document on a supplier invoice (its PDF, or a scan as JPEG or PNG): the
//! platform keeps the files ([`crate::platform::files`]); finance decides who may see them (the
//! readers of supplier invoices) and who may change them and when (`invoice:create`, by the rule
//! of [`crate::finance::invoice_files::rights`]: freely until the invoice posts; after that the
//! document stays, though a posted invoice without one may still receive its first).
use super::can_read;
use crate::error::{AppError, AppResult, FieldError, Refusal};
use crate::finance::invoice_files::rights;
use crate::finance::repo::invoices as repo;
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::files::attachments;
use crate::platform::files::staging::Staged;
use crate::platform::files::store::Reader;
use crate::platform::files::{Attachment, Kind};
use uuid::Uuid;

/// The document type supplier invoices' files are kept under (the audit log's entity of the
/// invoice's other entries too).
pub const DOC_TYPE: &str = "supplier_invoice";

/// The kinds an invoice document may be: the supplier's PDF or a scan of the paper.
pub const KINDS: [Kind; 3] = [Kind::Pdf, Kind::Jpeg, Kind::Png];

/// The invoice's files, oldest first, for whoever reads supplier invoices (another company's
/// invoice is 404).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Vec<Attachment>> {
    can_read(ctx)?;
    repo::invoice(tx, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    attachments::list(tx, DOC_TYPE, id).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Add,
    Remove,
}

/// `invoice:create`, an invoice of this company, and its status allowing the change (422
/// `INVALID_STATE` otherwise; the message says why when the invoice is posted and keeps its
/// document). The invoice stays locked to the end of `tx`, so a submission that would post it,
/// or a second upload racing this one, waits for the change.
async fn may_change(tx: &mut Tx, ctx: &RequestCtx, id: Uuid, change: Change) -> AppResult<()> {
    let p = ctx.principal()?;
    p.require("invoice:create")?;
    let inv = repo::invoice(tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = rights(&inv.status);
    let allowed = match change {
        Change::Add if r.add && r.only_first => {
            let count = attachments::list(tx, DOC_TYPE, id).await?.len();
            if !r.may_add(count) {
                return Err(AppError::Refused(Refusal::DocumentKept));
            }
            true
        }
        Change::Add => r.add,
        Change::Remove if r.add && !r.remove => {
            return Err(AppError::Refused(Refusal::DocumentKept))
        }
        Change::Remove => r.remove,
    };
    if !allowed {
        return Err(AppError::InvalidState);
    }
    Ok(())
}

/// Attaches a staged upload: a PDF, JPEG or PNG by its bytes (anything else is 422 on `file`,
/// nothing kept); recorded in the audit log as `attach`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn attach(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    file_name: &str,
    mut staged: Staged,
) -> AppResult<Attachment> {
    may_change(tx, ctx, id, Change::Add).await?;
    staged.finish().await?;
    // an empty upload is the platform's "required"; any other kind than these is refused here
    if staged.size() > 0 && !staged.kind().is_some_and(|k| KINDS.contains(&k)) {
        return Err(AppError::field("file", FieldError::PdfOrImage));
    }
    let p = ctx.principal()?;
    let files = state.files.clone();
    attachments::add(tx, files, ctx, p, DOC_TYPE, id, file_name, staged).await
}

/// One of the invoice's files with its bytes, for whoever reads supplier invoices.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    attachment: Uuid,
) -> AppResult<(Attachment, Reader)> {
    can_read(ctx)?;
    repo::invoice(tx, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    attachments::open(tx, state.files.as_ref(), DOC_TYPE, id, attachment).await
}

/// Takes a file off an invoice not yet posted (404 when the invoice has no such file); recorded in the audit log as `detach`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(
    tx: &mut Tx,
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    attachment: Uuid,
) -> AppResult<()> {
    may_change(tx, ctx, id, Change::Remove).await?;
    let p = ctx.principal()?;
    let files = state.files.clone();
    attachments::remove(tx, files, ctx, p, DOC_TYPE, id, attachment).await
}
