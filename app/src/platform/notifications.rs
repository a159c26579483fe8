//! In-app notifications: what happened to the user's documents and approvals. Rows are written by
//! the slices in the same transaction as the change (with a NOTIFY); this module lists them, counts
//! the unread, marks them read, and renders them in the user's language.
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: Uuid,
    /// approval_pending, approval_escalated, document_approved, document_rejected, document_sent_back,
    /// po_created
    pub kind: String,
    pub doc_type: Option<String>,
    pub doc_id: Option<Uuid>,
    pub doc_number: Option<String>,
    pub comment: Option<String>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub unread: i64,
    pub items: Vec<Notification>,
}

impl Notification {
    /// The sentence shown for it, in the reader's language.
    pub fn text(&self, locale: Locale) -> String {
        use leptos_i18n::td_string;
        let number = self.doc_number.clone().unwrap_or_default();
        match self.kind.as_str() {
            "approval_pending" => {
                td_string!(locale, notify.approval_pending, number = number).to_string()
            }
            "approval_escalated" => {
                td_string!(locale, notify.approval_escalated, number = number).to_string()
            }
            "document_approved" => {
                td_string!(locale, notify.document_approved, number = number).to_string()
            }
            "document_rejected" => {
                td_string!(locale, notify.document_rejected, number = number).to_string()
            }
            "document_sent_back" => {
                td_string!(locale, notify.document_sent_back, number = number).to_string()
            }
            "po_created" => td_string!(locale, notify.po_created, number = number).to_string(),
            "low_stock" => td_string!(locale, notify.low_stock, number = number).to_string(),
            "goods_received" => {
                td_string!(locale, notify.goods_received, number = number).to_string()
            }
            _ => td_string!(locale, notify.other, number = number).to_string(),
        }
    }

    /// The page of the document it is about, as its slice registered it.
    pub fn link(&self) -> Option<String> {
        crate::platform::navigation::page_of(self.doc_type.as_deref()?, self.doc_id?)
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{AppError, AppResult};
    use crate::platform::context::{AppState, RequestCtx};
    use crate::platform::db::{tenant_tx, Tx};
    use crate::platform::repo;

    pub async fn unread(state: &AppState, tenant_id: Uuid, user_id: Uuid) -> AppResult<i64> {
        let mut tx = tenant_tx(&state.pool, tenant_id).await?;
        let n = repo::notifications::count_unread(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The newest 50 notifications of the caller and how many are unread.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn inbox(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Inbox> {
        let p = ctx.principal()?;
        let rows = repo::notifications::latest_notifications(tx, p.user_id).await?;
        let unread = unread_in(tx, p.user_id).await?;
        Ok(Inbox {
            unread,
            items: rows
                .into_iter()
                .map(|r| Notification {
                    id: r.id,
                    kind: r.kind,
                    doc_type: r.doc_type,
                    doc_id: r.doc_id,
                    doc_number: r.doc_number,
                    comment: r.comment,
                    read: r.read_at.is_some(),
                    created_at: r.created_at,
                })
                .collect(),
        })
    }

    /// Marks one of the caller's notifications read, or all of them when `id` is `None`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn mark_read(tx: &mut Tx, ctx: &RequestCtx, id: Option<Uuid>) -> AppResult<i64> {
        let p = ctx.principal()?;
        let changed = repo::notifications::mark_read(tx, p.user_id, id).await?;
        if id.is_some() && changed == 0 {
            return Err(AppError::NotFound);
        }
        unread_in(tx, p.user_id).await
    }

    async fn unread_in(tx: &mut Tx, user_id: Uuid) -> AppResult<i64> {
        Ok(repo::notifications::count_unread(tx, user_id).await?)
    }
}
