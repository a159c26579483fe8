//! The audit trail: who did what to which record, with old and new values, from where.
use crate::platform::context::RequestCtx;
use crate::platform::db::{Query, Tx};
use crate::platform::repo;
use uuid::Uuid;

pub struct Entry<'a> {
    pub user_id: Option<Uuid>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

impl<'a> Entry<'a> {
    /// A record someone created (`old` none) or changed, with its values before and after.
    pub fn saved<T: serde::Serialize>(
        user_id: Uuid,
        entity: &'a str,
        entity_id: impl ToString,
        old: Option<T>,
        new: &T,
    ) -> Entry<'a> {
        Entry {
            user_id: Some(user_id),
            action: if old.is_some() { "update" } else { "create" },
            entity,
            entity_id: Some(entity_id.to_string()),
            old: old.and_then(|o| serde_json::to_value(o).ok()),
            new: serde_json::to_value(new).ok(),
        }
    }
}

/// Writes one audit row in the caller's transaction, so it commits or rolls back with the change.
pub async fn record(
    tx: &mut Tx,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    repo::documents::insert_audit_row(
        tx,
        repo::documents::AuditRow {
            tenant_id,
            user_id: entry.user_id,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            old: entry.old,
            new: entry.new,
            ip: ctx.ip.clone(),
            user_agent: user_agent(ctx),
            request_id: ctx.request_id.clone(),
        },
    )
    .await
}

/// The audit row's insert, for statements that compose it after their change (the same as
/// [`record`]'s).
const INSERT: &str = "insert into audit_log (tenant_id, user_id, action, entity, entity_id, old_values, new_values, ip, user_agent, request_id)";

/// The audit insert, after the change it records when one is given: `change` is a data-modifying
/// statement with `params` parameters ($1…), run in the same statement (one round trip); the
/// audit row's values follow as $params+1…$params+10, bound by [`bind`] after the change's own.
pub fn with_change(change: Option<&str>, params: usize) -> String {
    match change {
        Some(change) => with_ctes(&format!("change as ({change})"), params),
        None => format!("{INSERT} values ({})", values(params)),
    }
}

/// The audit insert after the named common table expressions `ctes` (`a as (…), b as (…)`) that
/// make the change; the row's values are $params+1…$params+10 ([`bind`]).
pub fn with_ctes(ctes: &str, params: usize) -> String {
    format!("with {ctes} {INSERT} values ({})", values(params))
}

fn values(params: usize) -> String {
    (1..=10)
        .map(|i| format!("${}", params + i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The audit insert as a common table expression named `audit`, for a statement that makes its
/// change and reads its result at once; the row's values are $params+1…$params+10 ([`bind`]).
pub fn cte(params: usize) -> String {
    format!("audit as ({INSERT} values ({}))", values(params))
}

/// Binds the audit row's ten values (see [`with_change`]).
pub fn bind<'q>(
    query: Query<'q>,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    entry: Entry<'q>,
) -> Query<'q> {
    let query = query
        .bind(tenant_id)
        .bind(entry.user_id)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(entry.entity_id)
        .bind(entry.old)
        .bind(entry.new);
    bind_origin(query, ctx)
}

/// Binds where a change came from, the last three values of an audit row: the client's address,
/// its user agent (500 characters at most) and the request's id.
pub fn bind_origin<'q>(query: Query<'q>, ctx: &RequestCtx) -> Query<'q> {
    query
        .bind(ctx.ip.clone())
        .bind(user_agent(ctx))
        .bind(ctx.request_id.clone())
}

/// The client's user agent as kept: 500 characters at most.
fn user_agent(ctx: &RequestCtx) -> Option<String> {
    ctx.user_agent
        .as_deref()
        .map(|ua| ua.chars().take(500).collect::<String>())
}
