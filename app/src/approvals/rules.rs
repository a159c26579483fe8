//! Approval rules as an administrator edits them: validation shared by the browser and the server,
//! and the route preview of a sample document (pure code, so the page previews while typing and
//! the server would fix the same route).
use crate::approvals::expr::{self, Facts, Value};
use crate::error::FieldError;
use crate::platform::permission::SYSTEM_ROLES;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub const KINDS: [&str; 3] = ["manager", "role", "user"];
pub const LIMITS: [&str; 3] = ["none", "plant", "department"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rule {
    pub id: Option<Uuid>,
    pub doc_type: String,
    pub stage: i32,
    pub name: String,
    pub approver_kind: String,
    pub approver_role: Option<String>,
    pub approver_user_id: Option<Uuid>,
    pub role_limit: String,
    pub require_all: bool,
    pub condition: String,
    pub sla_hours: i32,
    pub escalate_to_role: Option<String>,
    pub escalate_after_hours: Option<i32>,
    pub active: bool,
}

impl Rule {
    pub fn new(doc_type: &str, stage: i32) -> Rule {
        Rule {
            id: None,
            doc_type: doc_type.into(),
            stage,
            name: String::new(),
            approver_kind: "role".into(),
            approver_role: Some("Manager".into()),
            approver_user_id: None,
            role_limit: "none".into(),
            require_all: false,
            condition: String::new(),
            sla_hours: 24,
            escalate_to_role: Some("ProcurementMgr".into()),
            escalate_after_hours: Some(72),
            active: true,
        }
    }
}

fn is_role(r: &str) -> bool {
    SYSTEM_ROLES.iter().any(|(name, _)| *name == r)
}

pub fn validate(rule: &Rule) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if rule.doc_type.trim().is_empty() {
        e.insert("doc_type".into(), FieldError::Required);
    }
    if !(1..=20).contains(&rule.stage) {
        e.insert("stage".into(), FieldError::Invalid);
    }
    let name = rule.name.trim();
    if name.is_empty() {
        e.insert("name".into(), FieldError::Required);
    } else if name.chars().count() > 100 {
        e.insert("name".into(), FieldError::TooLong);
    }
    match rule.approver_kind.as_str() {
        "manager" => {}
        "role" => match rule.approver_role.as_deref() {
            None | Some("") => {
                e.insert("approver_role".into(), FieldError::Required);
            }
            Some(r) if !is_role(r) => {
                e.insert("approver_role".into(), FieldError::UnknownReference);
            }
            _ => {}
        },
        "user" => {
            if rule.approver_user_id.is_none() {
                e.insert("approver_user_id".into(), FieldError::Required);
            }
        }
        _ => {
            e.insert("approver_kind".into(), FieldError::Invalid);
        }
    }
    if !LIMITS.contains(&rule.role_limit.as_str()) {
        e.insert("role_limit".into(), FieldError::Invalid);
    }
    if !(1..=2160).contains(&rule.sla_hours) {
        e.insert("sla_hours".into(), FieldError::Invalid);
    }
    if let Some(r) = rule.escalate_to_role.as_deref().filter(|r| !r.is_empty()) {
        if !is_role(r) {
            e.insert("escalate_to_role".into(), FieldError::UnknownReference);
        }
        if !rule
            .escalate_after_hours
            .is_some_and(|h| (1..=2160).contains(&h))
        {
            e.insert("escalate_after_hours".into(), FieldError::Invalid);
        }
    }
    if expr::parse(&rule.condition).is_err() {
        e.insert("condition".into(), FieldError::InvalidCondition);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// A sample document for the preview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub amount: Decimal,
    pub plant: String,
    pub department: String,
    pub purpose: String,
    pub category: String,
}

impl Sample {
    pub fn facts(&self) -> Facts {
        let mut f = Facts::new();
        f.insert("amount".into(), Value::Number(self.amount));
        for (k, v) in [
            ("plant", &self.plant),
            ("department", &self.department),
            ("purpose", &self.purpose),
            ("category", &self.category),
        ] {
            if !v.trim().is_empty() {
                f.insert(k.into(), Value::Text(v.trim().to_string()));
            }
        }
        f
    }
}

/// Whether each active rule's stage would apply to the sample: `Err` with the parse error's
/// character position for an unreadable condition.
pub fn preview(rules: &[Rule], sample: &Sample) -> Vec<(i32, String, Result<bool, usize>)> {
    let facts = sample.facts();
    let mut rows: Vec<&Rule> = rules.iter().filter(|r| r.active).collect();
    rows.sort_by_key(|r| r.stage);
    rows.into_iter()
        .map(|r| {
            let applies = expr::parse(&r.condition)
                .map(|e| expr::eval(&e, &facts))
                .map_err(|e| e.at);
            (r.stage, r.name.clone(), applies)
        })
        .collect()
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{on_constraint, AppError, AppResult};
    use crate::platform::audit::{self, Entry};
    use crate::platform::context::RequestCtx;
    use crate::platform::db::Tx;

    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        doc_type: String,
        stage: i32,
        name: String,
        approver_kind: String,
        approver_role: Option<String>,
        approver_user_id: Option<Uuid>,
        role_limit: String,
        require_all: bool,
        condition: String,
        sla_hours: i32,
        escalate_to_role: Option<String>,
        escalate_after_hours: Option<i32>,
        active: bool,
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list(tx: &mut Tx, ctx: &RequestCtx, doc_type: &str) -> AppResult<Vec<Rule>> {
        let p = ctx.principal()?;
        p.require("approval_rule:manage")?;
        if crate::approvals::registry::get(doc_type).is_none() {
            return Err(AppError::field("doc_type", FieldError::Invalid));
        }
        let rows = sqlx::query_as!(Row, "select id, doc_type, stage, name, approver_kind, approver_role, approver_user_id, role_limit, require_all,
                    condition, sla_hours, escalate_to_role, escalate_after_hours, active
               from approval_rules where doc_type = $1 order by stage", doc_type)
        .fetch_all(&mut **tx)
        .await?;
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
        let mut refused = validate(&rule).err().unwrap_or_default();
        // the kinds of document are the slices' registrations, known on the server only
        if crate::approvals::registry::get(&rule.doc_type).is_none() {
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
            let known: bool = sqlx::query_scalar!(
                r#"select exists(select 1 from approval_rules where id = $1) as "found!""#,
                id
            )
            .fetch_one(&mut **tx)
            .await?;
            if !known {
                return Err(AppError::NotFound);
            }
        }
        if let Some(u) = user {
            let ok: bool = sqlx::query_scalar!(
                r#"select exists(select 1 from users where id = $1 and active) as "found!""#,
                u
            )
            .fetch_one(&mut **tx)
            .await?;
            if !ok {
                return Err(AppError::field(
                    "approver_user_id",
                    FieldError::UnknownReference,
                ));
            }
        }
        let result: Result<Uuid, sqlx::Error> = sqlx::query_scalar!("insert into approval_rules (tenant_id, id, doc_type, stage, name, approver_kind, approver_role, approver_user_id,
                                         role_limit, require_all, condition, sla_hours, escalate_to_role, escalate_after_hours, active)
             values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             on conflict (tenant_id, id) do update set stage = excluded.stage, name = excluded.name,
                approver_kind = excluded.approver_kind, approver_role = excluded.approver_role,
                approver_user_id = excluded.approver_user_id, role_limit = excluded.role_limit,
                require_all = excluded.require_all, condition = excluded.condition, sla_hours = excluded.sla_hours,
                escalate_to_role = excluded.escalate_to_role, escalate_after_hours = excluded.escalate_after_hours,
                active = excluded.active
             where approval_rules.doc_type = excluded.doc_type
             returning id", p.tenant_id, rule.id, &rule.doc_type, rule.stage, rule.name.trim(), &rule.approver_kind, role, user, &rule.role_limit, rule.require_all, rule.condition.trim(), rule.sla_hours, escalate, after, rule.active)
        .fetch_one(&mut **tx)
        .await;
        // no row: the id names a rule of another document type (404)
        let id = result.map_err(|e| {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_each_problem() {
        let mut r = Rule::new("requisition", 0);
        r.approver_role = Some("Wizard".into());
        r.condition = "amount >> 5".into();
        r.sla_hours = 0;
        let e = validate(&r).unwrap_err();
        assert_eq!(e["stage"], FieldError::Invalid);
        assert_eq!(e["name"], FieldError::Required);
        assert_eq!(e["approver_role"], FieldError::UnknownReference);
        assert_eq!(e["condition"], FieldError::InvalidCondition);
        assert_eq!(e["sla_hours"], FieldError::Invalid);
        let mut ok = Rule::new("purchase_order", 1);
        ok.name = "Procurement manager".into();
        ok.condition = "amount > 100000".into();
        assert_eq!(validate(&ok), Ok(()));
    }

    #[test]
    fn preview_shows_which_stages_a_sample_takes() {
        let mut a = Rule::new("requisition", 1);
        a.name = "Manager".into();
        let mut b = Rule::new("requisition", 2);
        b.name = "Accounts".into();
        b.condition = "amount > 50000".into();
        let mut c = Rule::new("requisition", 3);
        c.name = "Broken".into();
        c.condition = "plant in [".into();
        let small = Sample {
            amount: Decimal::from(100),
            ..Default::default()
        };
        let big = Sample {
            amount: Decimal::from(60000),
            ..Default::default()
        };
        let rules = [a, b, c];
        let p = preview(&rules, &small);
        assert_eq!(p[0].2, Ok(true));
        assert_eq!(p[1].2, Ok(false));
        assert!(p[2].2.is_err());
        assert_eq!(preview(&rules, &big)[1].2, Ok(true));
    }
}
