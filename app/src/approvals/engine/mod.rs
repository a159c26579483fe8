//! The approval engine on the server: fixing a document's route at submission, resolving who may
//! act on each stage (the requester's manager, a role's members optionally limited to the
//! document's plant or department, a named user; never the requester; delegates while away),
//! recording actions with exactly one winner when two act at once, notifying, and escalating after
//! the SLA from a PostgreSQL job queue.
use crate::approvals::expr::{self, Facts};
use crate::approvals::model::{Action, HistoryEntry, PendingApproval, RouteStep};
use crate::approvals::registry;
use crate::error::{AppError, AppResult, FieldError};
use crate::platform::db::{tenant_tx, Tx};
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

mod escalation;
mod reads;

pub use escalation::run_due_escalations;
pub use reads::{pending_for, timeline, timeline_after, timeline_with, Timeline};

/// What the engine needs to know of a document.
pub struct Doc {
    pub doc_type: &'static str,
    pub id: Uuid,
    pub number: String,
    pub requester_id: Uuid,
    pub plant_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub facts: Facts,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting for the stage.
    Pending(i32),
    Approved,
    Rejected,
    Returned,
}

#[derive(sqlx::FromRow)]
struct RuleRow {
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
    round: i32,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    id: Uuid,
    round: i32,
    stage: i32,
    approver_kind: String,
    approver_role: Option<String>,
    approver_user_id: Option<Uuid>,
    role_limit: String,
    require_all: bool,
    escalate_to_role: Option<String>,
    escalate_after_hours: Option<i32>,
}

/// The open stage with the actor's seat on it (its columns flat, as the checked query gives them).
struct OpenStage {
    id: Uuid,
    round: i32,
    stage: i32,
    approver_kind: String,
    approver_role: Option<String>,
    approver_user_id: Option<Uuid>,
    role_limit: String,
    require_all: bool,
    escalate_to_role: Option<String>,
    escalate_after_hours: Option<i32>,
    seat_user: Option<Uuid>,
    seat_decided: Option<bool>,
}

impl OpenStage {
    fn step(&self) -> StepRow {
        StepRow {
            id: self.id,
            round: self.round,
            stage: self.stage,
            approver_kind: self.approver_kind.clone(),
            approver_role: self.approver_role.clone(),
            approver_user_id: self.approver_user_id,
            role_limit: self.role_limit.clone(),
            require_all: self.require_all,
            escalate_to_role: self.escalate_to_role.clone(),
            escalate_after_hours: self.escalate_after_hours,
        }
    }
}

const STEP_COLUMNS: &str =
    "id, round, stage, approver_kind, approver_role, approver_user_id, role_limit, require_all, escalate_to_role, escalate_after_hours";

/// A new tenant's default rules for every installed kind of document (each kind's own SQL).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn seed_default_rules(tx: &mut Tx, tenant_id: Uuid) -> Result<(), sqlx::Error> {
    for kind in registry::kinds() {
        if !kind.default_rules_sql.is_empty() {
            sqlx::query(kind.default_rules_sql)
                .bind(tenant_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Records the requester's `action` (submit, resubmit) in the history, fixes the route of `doc`
/// from the active rules whose condition holds and opens its first stage.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn start(
    tx: &mut Tx,
    tenant_id: Uuid,
    doc: &Doc,
    actor: Uuid,
    action: &str,
) -> AppResult<Outcome> {
    // the action recorded and the rules read, each with the document's next round (a
    // resubmission starts a new one), in one statement
    let rules = sqlx::query_as!(RuleRow, r#"with recorded as (insert into approval_actions (tenant_id, doc_type, doc_id, actor_id, action)
                           values ($3, $1, $2, $4, $5))
         select stage, name, approver_kind, approver_role, approver_user_id, role_limit, require_all, condition,
                sla_hours, escalate_to_role, escalate_after_hours,
                (select coalesce(max(round), 0) + 1 from approval_steps where doc_type = $1 and doc_id = $2) as "round!"
           from approval_rules where doc_type = $1 and active order by stage"#, doc.doc_type, doc.id, tenant_id, actor, action)
    .fetch_all(&mut **tx)
    .await?;
    let mut first = None;
    for rule in rules {
        // a rule saved through the service always parses; an unreadable one is skipped loudly
        let applies = match expr::parse(&rule.condition) {
            Ok(e) => expr::eval(&e, &doc.facts),
            Err(err) => {
                tracing::error!(
                    stage = rule.stage,
                    ?err,
                    "approval rule condition does not parse; stage skipped"
                );
                false
            }
        };
        if !applies {
            continue;
        }
        let step = sqlx::query_as::<_, StepRow>(&format!(
            "insert into approval_steps (tenant_id, doc_type, doc_id, round, stage, name, approver_kind, approver_role,
                                         approver_user_id, role_limit, require_all, sla_hours, escalate_to_role, escalate_after_hours)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning {STEP_COLUMNS}"
        ))
        .bind(tenant_id)
        .bind(doc.doc_type)
        .bind(doc.id)
        .bind(rule.round)
        .bind(rule.stage)
        .bind(&rule.name)
        .bind(&rule.approver_kind)
        .bind(&rule.approver_role)
        .bind(rule.approver_user_id)
        .bind(&rule.role_limit)
        .bind(rule.require_all)
        .bind(rule.sla_hours)
        .bind(&rule.escalate_to_role)
        .bind(rule.escalate_after_hours)
        .fetch_one(&mut **tx)
        .await?;
        first.get_or_insert(step);
    }
    match first {
        None => Ok(Outcome::Approved),
        Some(step) => {
            activate(tx, tenant_id, doc, &step).await?;
            Ok(Outcome::Pending(step.stage))
        }
    }
}

/// The active members of a role, limited to the document's plant or department when the stage
/// says so: a query over the given parameter references (role, limit, plant, department).
fn role_members_sql(role: &str, limit: &str, plant: &str, department: &str) -> String {
    format!(
        "select u.id from users u
           join user_roles ur on ur.tenant_id = u.tenant_id and ur.user_id = u.id
           join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
          where r.name = {role} and u.active
            and ({limit} <> 'plant' or u.plant_id is not distinct from {plant})
            and ({limit} <> 'department' or u.department_id is not distinct from {department})"
    )
}

async fn role_members(tx: &mut Tx, role: &str, limit: &str, doc: &Doc) -> AppResult<Vec<Uuid>> {
    let sql = format!(
        "{} order by u.username",
        role_members_sql("$1", "$2", "$3", "$4")
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(role)
        .bind(limit)
        .bind(doc.plant_id)
        .bind(doc.department_id)
        .fetch_all(&mut **tx)
        .await?)
}

/// Opens a stage: its approvers found (the requester's manager, a named user or the members of a
/// role — never the requester), seated, the stage's SLA clock started and its escalation
/// scheduled, in one statement; then the approvers are told. A stage nobody may decide is refused.
async fn activate(tx: &mut Tx, tenant_id: Uuid, doc: &Doc, step: &StepRow) -> AppResult<()> {
    let escalate_after = step
        .escalate_to_role
        .as_ref()
        .and(step.escalate_after_hours);
    let sql = format!(
        "with approvers as (
           select m.id from users u join users m on m.tenant_id = u.tenant_id and m.id = u.manager_id
            where $5 = 'manager' and u.id = $6 and m.active
           union
           select id from users where $5 = 'user' and id = $7 and active
           union
           select id from ({}) members where $5 not in ('manager', 'user')),
              seated as (select id from approvers where id <> $6),
              s as (update approval_steps set status = 'pending', activated_at = now(),
                           due_at = now() + make_interval(hours => sla_hours)
                     where id = $2 and exists(select 1 from seated)),
              a as (insert into approval_step_approvers (tenant_id, step_id, user_id)
                    select $1, $2, id from seated on conflict do nothing),
              j as (insert into jobs (tenant_id, kind, payload, run_at)
                    select $1, 'escalate', jsonb_build_object('step_id', $2::text), now() + make_interval(hours => $3)
                     where $3 is not null and exists(select 1 from seated))
         select coalesce(array_agg(id order by id), '{{}}') from seated",
        role_members_sql("$4", "$8", "$9", "$10")
    );
    let approvers: Vec<Uuid> = sqlx::query_scalar(&sql)
        .bind(tenant_id)
        .bind(step.id)
        .bind(escalate_after)
        .bind(step.approver_role.as_deref().unwrap_or_default())
        .bind(&step.approver_kind)
        .bind(doc.requester_id)
        .bind(step.approver_user_id)
        .bind(&step.role_limit)
        .bind(doc.plant_id)
        .bind(doc.department_id)
        .fetch_one(&mut **tx)
        .await?;
    if approvers.is_empty() {
        return Err(AppError::field("approval", FieldError::NoApprover));
    }
    notify(tx, tenant_id, &approvers, "approval_pending", doc, None).await?;
    Ok(())
}

/// In-app notifications with their live signal, and their e-mails ([`crate::platform::outbox::notify_users`]).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn notify(
    tx: &mut Tx,
    tenant_id: Uuid,
    users: &[Uuid],
    kind: &str,
    doc: &Doc,
    comment: Option<&str>,
) -> AppResult<()> {
    let notification = crate::platform::notifications::Notification {
        id: Uuid::nil(),
        kind: kind.to_string(),
        doc_type: Some(doc.doc_type.to_string()),
        doc_id: Some(doc.id),
        doc_number: Some(doc.number.clone()),
        comment: comment.map(str::to_string),
        read: false,
        created_at: Utc::now(),
    };
    crate::platform::outbox::notify_users(tx, tenant_id, users, &notification).await
}

/// Records an approver's decision on the open stage. The caller holds the document row locked
/// (`select … for update`), so of two approvers acting at once the second sees the stage already
/// decided and gets 409.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn act(
    tx: &mut Tx,
    tenant_id: Uuid,
    doc: &Doc,
    actor: Uuid,
    action: Action,
    comment: Option<&str>,
) -> AppResult<Outcome> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if action.needs_comment() && comment.is_none() {
        return Err(AppError::field("comment", FieldError::CommentRequired));
    }
    if comment.is_some_and(|c| c.chars().count() > 2000) {
        return Err(AppError::field("comment", FieldError::TooLong));
    }
    if actor == doc.requester_id {
        return Err(AppError::field("approval", FieldError::OwnDocument));
    }
    // the open stage with the actor's seat on it: their own, else the seat of someone who
    // delegated to them for today
    let pending = sqlx::query_as!(OpenStage, r#"select s.id, s.round, s.stage, s.approver_kind, s.approver_role, s.approver_user_id, s.role_limit,
                s.require_all, s.escalate_to_role, s.escalate_after_hours,
                seat.user_id as "seat_user?", seat.decided as "seat_decided?"
           from approval_steps s
           left join lateral (
                select a.user_id, a.decided from approval_step_approvers a
                 where a.step_id = s.id
                   and (a.user_id = $3 or a.user_id in (
                         select d.from_user_id from delegations d
                          where d.to_user_id = $3 and current_date between d.starts_on and d.ends_on))
                 order by (a.user_id = $3) desc, a.decided limit 1) seat on true
          where s.doc_type = $1 and s.doc_id = $2 and s.status = 'pending'
          order by s.round desc, s.stage limit 1"#, doc.doc_type, doc.id, actor)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(open) = pending else {
        // someone already decided the last stage this actor could have acted on
        let was_approver: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from approval_step_approvers a join approval_steps s on s.tenant_id = a.tenant_id and s.id = a.step_id
                            where s.doc_type = $1 and s.doc_id = $2 and a.user_id = $3) as "found!""#, doc.doc_type, doc.id, actor)
        .fetch_one(&mut **tx)
        .await?;
        return Err(if was_approver {
            AppError::Conflict
        } else {
            AppError::InvalidState
        });
    };
    let step = open.step();
    let (Some(seat_user), Some(decided)) = (open.seat_user, open.seat_decided) else {
        let decided_before: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from approval_step_approvers a join approval_steps s on s.tenant_id = a.tenant_id and s.id = a.step_id
                            where s.doc_type = $1 and s.doc_id = $2 and a.user_id = $3 and a.decided) as "found!""#, doc.doc_type, doc.id, actor)
        .fetch_one(&mut **tx)
        .await?;
        return Err(if decided_before {
            AppError::Conflict
        } else {
            AppError::Forbidden
        });
    };
    if decided {
        return Err(AppError::Conflict);
    }
    let on_behalf_of = (seat_user != actor).then_some(seat_user);
    // the seat decided and the action recorded; an approval that decides the stage (one approval
    // needed) also closes it and reads the next stage waiting, in the same statement
    let closes = action == Action::Approve && !step.require_all;
    let decided_next = sqlx::query_as::<_, StepRow>(&format!(
        "with d as (update approval_step_approvers set decided = true where step_id = $4 and user_id = coalesce($7, $6)),
              act as (insert into approval_actions (tenant_id, doc_type, doc_id, step_id, stage, actor_id, on_behalf_of, action, comment)
                      values ($1, $2, $3, $4, $5, $6, $7, $8, $9)),
              {}",
        close_and_next("$2", "$3", "$11", "$4", "$10")
    ))
    .bind(tenant_id)
    .bind(doc.doc_type)
    .bind(doc.id)
    .bind(step.id)
    .bind(step.stage)
    .bind(actor)
    .bind(on_behalf_of)
    .bind(action.as_str())
    .bind(comment)
    .bind(closes)
    .bind(step.round)
    .fetch_optional(&mut **tx)
    .await?;

    match action {
        Action::Approve => {
            let next = if closes {
                decided_next
            } else {
                // every approver of the role must approve: the stage closes with the last one
                let open: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from approval_step_approvers where step_id = $1 and not decided"#, step.id)
                    .fetch_one(&mut **tx)
                    .await?;
                if open > 0 {
                    return Ok(Outcome::Pending(step.stage));
                }
                sqlx::query_as::<_, StepRow>(&format!(
                    "with {}",
                    close_and_next("$1", "$2", "$3", "$4", "true")
                ))
                .bind(doc.doc_type)
                .bind(doc.id)
                .bind(step.round)
                .bind(step.id)
                .fetch_optional(&mut **tx)
                .await?
            };
            match next {
                Some(next) => {
                    activate(tx, tenant_id, doc, &next).await?;
                    Ok(Outcome::Pending(next.stage))
                }
                None => {
                    notify(
                        tx,
                        tenant_id,
                        &[doc.requester_id],
                        "document_approved",
                        doc,
                        comment,
                    )
                    .await?;
                    Ok(Outcome::Approved)
                }
            }
        }
        Action::Reject | Action::SendBack => {
            let (status, kind, outcome) = if action == Action::Reject {
                ("rejected", "document_rejected", Outcome::Rejected)
            } else {
                ("returned", "document_sent_back", Outcome::Returned)
            };
            close_step(tx, step.id, status).await?;
            cancel_open_steps(tx, doc).await?;
            notify(tx, tenant_id, &[doc.requester_id], kind, doc, comment).await?;
            Ok(outcome)
        }
    }
}

/// Closes an approved stage and its escalation job when `when` holds, and reads the next stage
/// waiting in the round (common table expressions then the select, over parameter references).
fn close_and_next(doc_type: &str, doc_id: &str, round: &str, step: &str, when: &str) -> String {
    format!(
        "c as (update approval_steps set status = 'approved', decided_at = now() where id = {step} and {when}),
         j as (update jobs set done_at = now() where kind = 'escalate' and done_at is null and step_id = {step} and {when})
         select {STEP_COLUMNS} from approval_steps
          where doc_type = {doc_type} and doc_id = {doc_id} and round = {round} and status = 'waiting' and {when}
          order by stage limit 1"
    )
}

async fn close_step(tx: &mut Tx, step_id: Uuid, status: &str) -> AppResult<()> {
    sqlx::query!("with s as (update approval_steps set status = $2, decided_at = now() where id = $1)
         update jobs set done_at = now() where kind = 'escalate' and done_at is null and step_id = $1", step_id, status)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Closes every open stage of a document (rejected, sent back or cancelled).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cancel_open_steps(tx: &mut Tx, doc: &Doc) -> AppResult<()> {
    let open: Vec<Uuid> = sqlx::query_scalar!(
        "update approval_steps set status = 'cancelled', decided_at = now()
          where doc_type = $1 and doc_id = $2 and status in ('waiting', 'pending') returning id",
        doc.doc_type,
        doc.id
    )
    .fetch_all(&mut **tx)
    .await?;
    for id in open {
        sqlx::query!("update jobs set done_at = now() where kind = 'escalate' and done_at is null and step_id = $1", id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records a requester's own action (submit, resubmit, cancel) in the history.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record(
    tx: &mut Tx,
    tenant_id: Uuid,
    doc: &Doc,
    actor: Uuid,
    action: &str,
    comment: Option<&str>,
) -> AppResult<()> {
    sqlx::query!("insert into approval_actions (tenant_id, doc_type, doc_id, actor_id, action, comment) values ($1, $2, $3, $4, $5, $6)", tenant_id, doc.doc_type, doc.id, actor, action, comment)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
