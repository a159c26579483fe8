//! The kinds of document the approval engine routes. A slice describes each of its documents once
//! — what rule conditions can read of it, where its header is, how a decision is applied to it —
//! and the shell installs them all at start-up: the engine, the inbox and the rules page then work
//! for every kind with no edit here.
use crate::approvals::model::Action;
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use uuid::Uuid;

/// Applies an approver's decision to one document, as the caller in `ctx`, in the caller's
/// transaction: the slice's own service, which runs the engine and moves the document's status
/// by the outcome.
pub type Decide = for<'a> fn(
    &'a mut Tx,
    &'a RequestCtx,
    Uuid,
    Action,
    Option<String>,
) -> Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>>;

pub struct DocKind {
    /// Stored on rules, steps and actions (`requisition`, `purchase_order`).
    pub doc_type: &'static str,
    /// Its name in the reader's language (rules page, inbox).
    pub label: fn(Locale) -> String,
    /// The page of one document.
    pub href: fn(Uuid) -> String,
    /// The facts its rules' conditions can read (the slice fills them when it submits).
    pub facts: &'static [&'static str],
    /// A select of the kind's documents with the columns `id, number, requester_id, total,
    /// currency, plant_id, department_id`, read by the inbox and by escalations.
    pub header_sql: &'static str,
    /// Inserts a new tenant's default rules for this kind (`$1` is the tenant), or empty.
    pub default_rules_sql: &'static str,
    pub decide: Decide,
}

static KINDS: OnceLock<&'static [&'static DocKind]> = OnceLock::new();

/// Installs the kinds (the shell does, once; a second call keeps the first set).
pub fn install(kinds: &'static [&'static DocKind]) {
    let _ = KINDS.set(kinds);
}

/// Every installed kind, in the order installed.
pub fn kinds() -> &'static [&'static DocKind] {
    match KINDS.get() {
        Some(kinds) => kinds,
        None => {
            tracing::error!("no document kinds installed: the shell installs them at start-up");
            &[]
        }
    }
}

pub fn get(doc_type: &str) -> Option<&'static DocKind> {
    kinds().iter().copied().find(|k| k.doc_type == doc_type)
}
