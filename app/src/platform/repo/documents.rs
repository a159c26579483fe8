//! The document layer's statements every slice uses: document numbers and the audit trail.
use sqlx::PgConnection;
use uuid::Uuid;

/// The next number of a document type (`prefix`), drawn by `draw_document_number` for the year
/// of the transaction's start in the tenant's time zone.
pub(crate) async fn draw_document_number(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    prefix: &str,
) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        r#"select next_document_number($1, $2) as "number!""#,
        tenant_id,
        prefix
    )
    .fetch_one(conn)
    .await
}

/// One audit row (what [`crate::platform::audit::with_change`] composes after a change, alone).
pub(crate) struct AuditRow<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) user_id: Option<Uuid>,
    pub(crate) action: &'a str,
    pub(crate) entity: &'a str,
    pub(crate) entity_id: Option<String>,
    pub(crate) old: Option<serde_json::Value>,
    pub(crate) new: Option<serde_json::Value>,
    pub(crate) ip: Option<String>,
    pub(crate) user_agent: Option<String>,
    pub(crate) request_id: String,
}

pub(crate) async fn insert_audit_row(
    conn: &mut PgConnection,
    row: AuditRow<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (tenant_id, user_id, action, entity, entity_id, old_values, new_values, ip, user_agent, request_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        row.tenant_id,
        row.user_id,
        row.action,
        row.entity,
        row.entity_id,
        row.old,
        row.new,
        row.ip,
        row.user_agent,
        row.request_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
