//! The approval rules' statements: the rules page's reads and upsert, and a new tenant's defaults.
use crate::approvals::model::Rule;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

pub(crate) struct RuleRow {
    pub(crate) id: Uuid,
    pub(crate) doc_type: String,
    pub(crate) stage: i32,
    pub(crate) name: String,
    pub(crate) approver_kind: String,
    pub(crate) approver_role: Option<String>,
    pub(crate) approver_user_id: Option<Uuid>,
    pub(crate) role_limit: String,
    pub(crate) require_all: bool,
    pub(crate) condition: String,
    pub(crate) sla_hours: i32,
    pub(crate) escalate_to_role: Option<String>,
    pub(crate) escalate_after_hours: Option<i32>,
    pub(crate) active: bool,
}

/// Every rule of a kind of document, active or not, by stage.
pub(crate) async fn rules_of(
    conn: &mut PgConnection,
    doc_type: &str,
) -> sqlx::Result<Vec<RuleRow>> {
    sqlx::query_as!(
        RuleRow,
        "select id, doc_type, stage, name, approver_kind, approver_role, approver_user_id, role_limit, require_all,
                condition, sla_hours, escalate_to_role, escalate_after_hours, active
           from approval_rules where doc_type = $1 order by stage",
        doc_type
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn rule_exists(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from approval_rules where id = $1) as "found!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// Inserts `rule`, or updates the rule its id names when that is of the same document type (no
/// row otherwise: `RowNotFound`). Returns the rule's id.
pub(crate) async fn upsert_rule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    rule: &Rule,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into approval_rules (tenant_id, id, doc_type, stage, name, approver_kind, approver_role, approver_user_id,
                                     role_limit, require_all, condition, sla_hours, escalate_to_role, escalate_after_hours, active)
         values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         on conflict (tenant_id, id) do update set stage = excluded.stage, name = excluded.name,
            approver_kind = excluded.approver_kind, approver_role = excluded.approver_role,
            approver_user_id = excluded.approver_user_id, role_limit = excluded.role_limit,
            require_all = excluded.require_all, condition = excluded.condition, sla_hours = excluded.sla_hours,
            escalate_to_role = excluded.escalate_to_role, escalate_after_hours = excluded.escalate_after_hours,
            active = excluded.active
         where approval_rules.doc_type = excluded.doc_type
         returning id",
        tenant_id,
        rule.id,
        &rule.doc_type,
        rule.stage,
        &rule.name,
        &rule.approver_kind,
        rule.approver_role.as_deref(),
        rule.approver_user_id,
        &rule.role_limit,
        rule.require_all,
        &rule.condition,
        rule.sla_hours,
        rule.escalate_to_role.as_deref(),
        rule.escalate_after_hours,
        rule.active
    )
    .fetch_one(conn)
    .await
}

/// Runs a kind's registered `default_rules_sql` for a new tenant.
pub(crate) async fn insert_default_rules(
    conn: &mut PgConnection,
    default_rules_sql: &str,
    tenant_id: Uuid,
) -> sqlx::Result<()> {
    // Dynamic: each kind registers its defaults as SQL text whose `$1` is the tenant, bound by number
    let mut q = QueryBuilder::<Postgres>::new(default_rules_sql);
    q.build().bind(tenant_id).execute(conn).await?;
    Ok(())
}
