//! What a document's page and the inbox read of approvals: the history and route of a document,
//! and the open stages waiting for a user across every registered kind.
use super::*;
use crate::approvals::model::{HistoryEntry, PendingApproval, RouteStep};

/// What a document's page shows of its approval: the history of actions, the route of the
/// latest round, and whether `user` holds an undecided seat (directly or as today's delegate)
/// on the open stage — read in one statement.
pub struct Timeline {
    pub history: Vec<HistoryEntry>,
    pub route: Vec<RouteStep>,
    pub holds_open_seat: bool,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn timeline(
    tx: &mut Tx,
    doc_type: &str,
    doc_id: Uuid,
    user: Uuid,
) -> AppResult<Timeline> {
    let (timeline, _): (Timeline, Option<()>) =
        timeline_with(tx, doc_type, doc_id, user, "'null'::json").await?;
    Ok(timeline)
}

/// [`timeline`] and the document's own `extra` (an SQL expression giving JSON, which may use the
/// document id as `$2`), in the same statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn timeline_with<T: serde::de::DeserializeOwned + Send + Unpin + 'static>(
    tx: &mut Tx,
    doc_type: &str,
    doc_id: Uuid,
    user: Uuid,
    extra: &str,
) -> AppResult<(Timeline, T)> {
    timeline_after(tx, None, |q| q, doc_type, doc_id, user, extra).await
}

/// [`timeline_with`], read by the statement that makes a change to the document: `change` is a
/// list of common table expressions (`name as (…), …`) whose parameters start at $4 ($1 is the
/// document type, $2 its id, $3 the reader) and are bound by `bind`. The timeline is read from
/// the statement's snapshot, so the change must not be to the approval tables it reads.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn timeline_after<T: serde::de::DeserializeOwned + Send + Unpin + 'static>(
    tx: &mut Tx,
    change: Option<&str>,
    bind: impl for<'q> FnOnce(crate::platform::db::Query<'q>) -> crate::platform::db::Query<'q>,
    doc_type: &str,
    doc_id: Uuid,
    user: Uuid,
    extra: &str,
) -> AppResult<(Timeline, T)> {
    let (history, route, holds_open_seat, extra) =
        repo::reads::timeline::<T>(tx, change, bind, doc_type, doc_id, user, extra).await?;
    Ok((
        Timeline {
            history: history.0,
            route: route.0,
            holds_open_seat,
        },
        extra.0,
    ))
}

/// The caller's inbox: open stages where they hold an undecided seat, directly or as a delegate.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_for(tx: &mut Tx, user_id: Uuid) -> AppResult<Vec<PendingApproval>> {
    // one query per kind of document, each joining its own header on the step's document id
    let mut rows = Vec::new();
    for kind in registry::kinds() {
        rows.extend(
            repo::reads::pending_of_kind(tx, kind.header_sql, kind.doc_type, user_id)
                .await?
                .into_iter()
                .map(|r| (kind, r)),
        );
    }
    let now = Utc::now();
    let mut out: Vec<PendingApproval> = rows
        .into_iter()
        .map(|(kind, r)| PendingApproval {
            overdue: r.due_at.is_some_and(|d| d < now),
            href: (kind.href)(r.doc_id),
            doc_type: r.doc_type,
            doc_id: r.doc_id,
            number: r.number,
            requester: r.requester,
            stage: r.stage,
            stage_name: r.stage_name,
            total: r.total.round_dp(crate::format::minor_units(&r.currency)),
            currency: r.currency,
            waiting_since: r.activated_at,
            due_at: r.due_at,
            on_behalf_of: r.on_behalf_of,
        })
        .collect();
    out.sort_by_key(|p| p.waiting_since);
    Ok(out)
}
