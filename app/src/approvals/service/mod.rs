//! The approvals on the server: the engine ([`engine`]), the rules' and delegations' services,
//! and here what every kind of document shares: the caller's inbox across kinds, a decision taken
//! from the inbox (handed to the kind's own service), and the kinds the rules page offers.
use crate::approvals::model::{Action, DocKindInfo, PendingApproval};
use crate::approvals::registry;
use crate::error::{AppError, AppResult};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use uuid::Uuid;

pub mod delegations;
pub mod engine;
pub mod rules;

/// The caller's inbox: open stages where they hold an undecided seat, directly or as a delegate,
/// of every kind of document, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<PendingApproval>> {
    let p = ctx.principal()?;
    let rows = engine::pending_for(tx, p.user_id).await?;
    Ok(rows)
}

/// Approve, reject or send back a document of any kind: its kind's service decides (404 for a
/// kind nobody registered, as for a document one cannot see).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide(
    tx: &mut Tx,
    ctx: &RequestCtx,
    doc_type: &str,
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> AppResult<()> {
    ctx.principal()?;
    let kind = registry::get(doc_type).ok_or(AppError::NotFound)?;
    (kind.decide)(tx, ctx, id, action, comment).await
}

/// The kinds of document rules can be written for, named in the caller's language.
pub fn kinds(ctx: &RequestCtx) -> AppResult<Vec<DocKindInfo>> {
    ctx.principal()?.require("approval_rule:manage")?;
    Ok(registry::kinds()
        .iter()
        .map(|k| DocKindInfo {
            doc_type: k.doc_type.to_string(),
            label: (k.label)(ctx.locale),
        })
        .collect())
}
