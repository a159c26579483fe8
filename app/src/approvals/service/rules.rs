//! Approval rules on the server: who may read and save them, which kinds of document they may be
//! written for (the slices' registrations), and the checks only the database can answer.
use crate::approvals::model::{validate_rule, Rule};
use crate::approvals::registry;
use crate::approvals::repo;
use crate::error::{on_constraint, AppError, AppResult, FieldError};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(tx: &mut Tx, ctx: &RequestCtx, doc_type: &str) -> AppResult<Vec<Rule>> {
    let p = ctx.principal()?;
    p.require("approval_rule:manage")?;
    if registry::get(doc_type).is_none() {
        return Err(AppError::field("doc_type", FieldError::Invalid));
    }
    let rows = repo::rules::rules_of(tx, doc_type).await?;
    Ok(rows
        .into_iter()
        .map(|r| Rule {
            id: Some(r.id),
            doc_type: r.doc_type,
            stage: r.stage,
            name: r.name,
            approver_kind: r.approver_kind,
            approver_role: r.approver_role,
            approver_user_id: r.approver_user_id,
            role_limit: r.role_limit,
            require_all: r.require_all,
            condition: r.condition,
            sla_hours: r.sla_hours,
            escalate_to_role: r.escalate_to_role,
            escalate_after_hours: r.escalate_after_hours,
            active: r.active,
        })
        .collect())
}

/// Creates or updates a rule. Documents already in approval keep the route fixed at their
/// submission; the change applies to the next submissions.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save(tx: &mut Tx, ctx: &RequestCtx, rule: Rule) -> AppResult<Rule> {
    let p = ctx.principal()?;
    p.require("approval_rule:manage")?;
    let mut refused = validate_rule(&rule).err().unwrap_or_default();
    // the kinds of document are the slices' registrations, known on the server only
    if registry::get(&rule.doc_type).is_none() {
        refused.insert("doc_type".into(), FieldError::Invalid);
    }
    if !refused.is_empty() {
        return Err(AppError::Validation(refused));
    }
    let role = rule
        .approver_role
        .clone()
        .filter(|_| rule.approver_kind == "role");
    let user = rule
        .approver_user_id
        .filter(|_| rule.approver_kind == "user");
    let escalate = rule.escalate_to_role.clone().filter(|r| !r.is_empty());
    let after = escalate.as_ref().and(rule.escalate_after_hours);
    if let Some(id) = rule.id {
        // an id names an existing rule; the upsert below would otherwise create one
        if !repo::rules::rule_exists(tx, id).await? {
            return Err(AppError::NotFound);
        }
    }
    if let Some(u) = user {
        if !repo::is_active_user(tx, u).await? {
            return Err(AppError::field(
                "approver_user_id",
                FieldError::UnknownReference,
            ));
        }
    }
    // the rule as stored: only the approver its kind names, trimmed texts, an escalation only
    // with its role
    let stored = Rule {
        name: rule.name.trim().to_string(),
        approver_role: role,
        approver_user_id: user,
        condition: rule.condition.trim().to_string(),
        escalate_to_role: escalate,
        escalate_after_hours: after,
        ..rule.clone()
    };
    // no row: the id names a rule of another document type (404)
    let id = repo::rules::upsert_rule(tx, p.tenant_id, &stored)
        .await
        .map_err(|e| {
            on_constraint(
                e,
                &[("approval_rules_tenant_id_doc_type_stage_key", "stage")],
            )
        })?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: if rule.id.is_some() {
                "update"
            } else {
                "create"
            },
            entity: "approval_rule",
            entity_id: Some(id.to_string()),
            old: None,
            new: serde_json::to_value(&rule).ok(),
        },
    )
    .await?;
    Ok(Rule {
        id: Some(id),
        ..rule
    })
}
