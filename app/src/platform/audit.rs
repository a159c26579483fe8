//! The audit trail: who did what to which record, with old and new values, from where.
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use uuid::Uuid;

pub struct Entry<'a> {
    pub user_id: Option<Uuid>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// Writes one audit row in the caller's transaction, so it commits or rolls back with the change.
pub async fn record(
    tx: &mut Tx,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_log (tenant_id, user_id, action, entity, entity_id, old_values, new_values, ip, user_agent, request_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(tenant_id)
    .bind(entry.user_id)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.old)
    .bind(entry.new)
    .bind(ctx.ip.as_deref())
    .bind(ctx.user_agent.as_deref().map(|ua| ua.chars().take(500).collect::<String>()))
    .bind(&ctx.request_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
