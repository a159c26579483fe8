//! The approval engine on the server: fixing a document's route at submission, resolving who may
//! act on each stage (the requester's manager, a role's members optionally limited to the
//! document's plant or department, a named user; never the requester; delegates while away),
//! recording actions with exactly one winner when two act at once, notifying, and escalating after
//! the SLA from a PostgreSQL job queue.
use crate::approvals::expr::{self, Facts};
use crate::approvals::model::Action;
use crate::approvals::registry;
use crate::approvals::repo;
use crate::approvals::repo::route::{Decision, Seating, StepRow};
use crate::error::{AppError, AppResult, FieldError};
use crate::platform::db::Tx;
use chrono::Utc;
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

/// A new tenant's default rules for every installed kind of document (each kind's own SQL).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn seed_default_rules(tx: &mut Tx, tenant_id: Uuid) -> Result<(), sqlx::Error> {
    for kind in registry::kinds() {
        if !kind.default_rules_sql.is_empty() {
            repo::rules::insert_default_rules(tx, kind.default_rules_sql, tenant_id).await?;
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
    let rules = repo::route::record_submission_and_read_rules(
        tx,
        tenant_id,
        doc.doc_type,
        doc.id,
        actor,
        action,
    )
    .await?;
    let mut first = None;
    for rule in rules {
        // a rule saved through the service always parses; an unreadable one is skipped loudly
        let applies = match rule.condition.parse::<expr::Expr>() {
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
        let step = repo::route::insert_step(tx, tenant_id, doc.doc_type, doc.id, &rule).await?;
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

/// Opens a stage: its approvers found (the requester's manager, a named user or the members of a
/// role — never the requester), seated, the stage's SLA clock started and its escalation
/// scheduled, in one statement; then the approvers are told. A stage nobody may decide is refused.
async fn activate(tx: &mut Tx, tenant_id: Uuid, doc: &Doc, step: &StepRow) -> AppResult<()> {
    let escalate_after = step
        .escalate_to_role
        .as_ref()
        .and(step.escalate_after_hours);
    let seating = Seating {
        requester_id: doc.requester_id,
        plant_id: doc.plant_id,
        department_id: doc.department_id,
    };
    let approvers = repo::route::open_stage(tx, tenant_id, step, escalate_after, &seating).await?;
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
    let pending = repo::route::open_stage_with_seat(tx, doc.doc_type, doc.id, actor).await?;
    let Some(open) = pending else {
        // someone already decided the last stage this actor could have acted on
        let was_approver = repo::route::was_seated(tx, doc.doc_type, doc.id, actor).await?;
        return Err(if was_approver {
            AppError::Conflict
        } else {
            AppError::InvalidState
        });
    };
    let step = open.step();
    let (Some(seat_user), Some(decided)) = (open.seat_user, open.seat_decided) else {
        let decided_before = repo::route::has_decided(tx, doc.doc_type, doc.id, actor).await?;
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
    let decision = Decision {
        tenant_id,
        doc_type: doc.doc_type,
        doc_id: doc.id,
        actor,
        on_behalf_of,
        action: action.as_str(),
        comment,
    };
    let decided_next = repo::route::decide_seat(tx, &step, &decision, closes).await?;

    match action {
        Action::Approve => {
            let next = if closes {
                decided_next
            } else {
                // every approver of the role must approve: the stage closes with the last one
                let open = repo::route::count_undecided_seats(tx, step.id).await?;
                if open > 0 {
                    return Ok(Outcome::Pending(step.stage));
                }
                repo::route::close_approved_step_and_read_next(
                    tx,
                    doc.doc_type,
                    doc.id,
                    step.round,
                    step.id,
                )
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
            repo::route::close_step(tx, step.id, status).await?;
            cancel_open_steps(tx, doc).await?;
            notify(tx, tenant_id, &[doc.requester_id], kind, doc, comment).await?;
            Ok(outcome)
        }
    }
}

/// Closes every open stage of a document (rejected, sent back or cancelled).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cancel_open_steps(tx: &mut Tx, doc: &Doc) -> AppResult<()> {
    let open = repo::route::cancel_open_steps(tx, doc.doc_type, doc.id).await?;
    for id in open {
        repo::route::close_escalation_job(tx, id).await?;
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
    repo::route::insert_action(tx, tenant_id, doc.doc_type, doc.id, actor, action, comment).await?;
    Ok(())
}

/// The approval engine's first data in a new tenant: every installed document kind's default
/// rules.
pub static DEFAULT_RULES: crate::platform::onboarding::Provisioner =
    crate::platform::onboarding::Provisioner {
        name: "approvals: default rules",
        run: default_rules,
    };

fn default_rules<'a>(
    tx: &'a mut Tx,
    made: &'a crate::platform::onboarding::Provisioned,
) -> crate::platform::onboarding::ProvisionFuture<'a> {
    Box::pin(async move {
        seed_default_rules(tx, made.tenant_id).await?;
        Ok(())
    })
}
