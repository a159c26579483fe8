//! The engine's statements that fix a document's route and move it along: the rules read at
//! submission, stages inserted and opened with their approvers seated, seats decided, stages
//! closed or cancelled with their escalation jobs, and the history of actions.
use sqlx::PgConnection;
use uuid::Uuid;

/// An active rule as the engine reads it at submission, with the document's next round.
pub(crate) struct RouteRuleRow {
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
    pub(crate) round: i32,
}

/// A stage of a document's route.
pub(crate) struct StepRow {
    pub(crate) id: Uuid,
    pub(crate) round: i32,
    pub(crate) stage: i32,
    pub(crate) approver_kind: String,
    pub(crate) approver_role: Option<String>,
    pub(crate) approver_user_id: Option<Uuid>,
    pub(crate) role_limit: String,
    pub(crate) require_all: bool,
    pub(crate) escalate_to_role: Option<String>,
    pub(crate) escalate_after_hours: Option<i32>,
}

/// The open stage with the actor's seat on it (its columns flat, as the checked query gives them).
pub(crate) struct OpenStageRow {
    pub(crate) id: Uuid,
    pub(crate) round: i32,
    pub(crate) stage: i32,
    pub(crate) approver_kind: String,
    pub(crate) approver_role: Option<String>,
    pub(crate) approver_user_id: Option<Uuid>,
    pub(crate) role_limit: String,
    pub(crate) require_all: bool,
    pub(crate) escalate_to_role: Option<String>,
    pub(crate) escalate_after_hours: Option<i32>,
    pub(crate) seat_user: Option<Uuid>,
    pub(crate) seat_decided: Option<bool>,
}

impl OpenStageRow {
    pub(crate) fn step(&self) -> StepRow {
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

/// Records the requester's `action` (submit, resubmit) and reads the kind's active rules, each with
/// the document's next round (a resubmission starts a new one), in one statement.
pub(crate) async fn record_submission_and_read_rules(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    doc_type: &str,
    doc_id: Uuid,
    actor: Uuid,
    action: &str,
) -> sqlx::Result<Vec<RouteRuleRow>> {
    sqlx::query_as!(
        RouteRuleRow,
        r#"with recorded as (insert into approval_actions (tenant_id, doc_type, doc_id, actor_id, action)
                             values ($3, $1, $2, $4, $5))
           select stage, name, approver_kind, approver_role, approver_user_id, role_limit, require_all, condition,
                  sla_hours, escalate_to_role, escalate_after_hours,
                  (select coalesce(max(round), 0) + 1 from approval_steps where doc_type = $1 and doc_id = $2) as "round!"
             from approval_rules where doc_type = $1 and active order by stage"#,
        doc_type,
        doc_id,
        tenant_id,
        actor,
        action
    )
    .fetch_all(conn)
    .await
}

/// A stage of the route, waiting, from the rule that applies.
pub(crate) async fn insert_step(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    doc_type: &str,
    doc_id: Uuid,
    rule: &RouteRuleRow,
) -> sqlx::Result<StepRow> {
    sqlx::query_as!(
        StepRow,
        "insert into approval_steps (tenant_id, doc_type, doc_id, round, stage, name, approver_kind, approver_role,
                                     approver_user_id, role_limit, require_all, sla_hours, escalate_to_role, escalate_after_hours)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         returning id, round, stage, approver_kind, approver_role, approver_user_id, role_limit, require_all, escalate_to_role, escalate_after_hours",
        tenant_id,
        doc_type,
        doc_id,
        rule.round,
        rule.stage,
        &rule.name,
        &rule.approver_kind,
        rule.approver_role.as_deref(),
        rule.approver_user_id,
        &rule.role_limit,
        rule.require_all,
        rule.sla_hours,
        rule.escalate_to_role.as_deref(),
        rule.escalate_after_hours
    )
    .fetch_one(conn)
    .await
}

/// The active members of a role, limited to a plant or department when `limit` says so, by
/// username.
pub(crate) async fn role_members(
    conn: &mut PgConnection,
    role: &str,
    limit: &str,
    plant_id: Option<Uuid>,
    department_id: Option<Uuid>,
) -> sqlx::Result<Vec<Uuid>> {
    // the same members as in `open_stage`
    sqlx::query_scalar!(
        "select u.id from users u
           join user_roles ur on ur.tenant_id = u.tenant_id and ur.user_id = u.id
           join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
          where r.name = $1 and u.active
            and ($2 <> 'plant' or u.plant_id is not distinct from $3)
            and ($2 <> 'department' or u.department_id is not distinct from $4)
          order by u.username",
        role,
        limit,
        plant_id,
        department_id
    )
    .fetch_all(conn)
    .await
}

/// Whom a stage seats and where: the document's requester, plant and department.
pub(crate) struct Seating {
    pub(crate) requester_id: Uuid,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) department_id: Option<Uuid>,
}

/// Opens a stage: its approvers found (the requester's manager, a named user or the members of a
/// role, as in [`role_members`] — never the requester), seated, the stage's SLA clock started and
/// its escalation scheduled `escalate_after` hours on, in one statement. Returns the approvers
/// seated; none leaves the stage as it was.
pub(crate) async fn open_stage(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    step: &StepRow,
    escalate_after: Option<i32>,
    doc: &Seating,
) -> sqlx::Result<Vec<Uuid>> {
    let approvers = sqlx::query_scalar!(
        "with approvers as (
           select m.id from users u join users m on m.tenant_id = u.tenant_id and m.id = u.manager_id
            where $5 = 'manager' and u.id = $6 and m.active
           union
           select id from users where $5 = 'user' and id = $7 and active
           union
           select id from (select u.id from users u
           join user_roles ur on ur.tenant_id = u.tenant_id and ur.user_id = u.id
           join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
          where r.name = $4 and u.active
            and ($8 <> 'plant' or u.plant_id is not distinct from $9)
            and ($8 <> 'department' or u.department_id is not distinct from $10)) members where $5 not in ('manager', 'user')),
              seated as (select id from approvers where id <> $6),
              s as (update approval_steps set status = 'pending', activated_at = now(),
                           due_at = now() + make_interval(hours => sla_hours)
                     where id = $2 and exists(select 1 from seated)),
              a as (insert into approval_step_approvers (tenant_id, step_id, user_id)
                    select $1, $2, id from seated on conflict do nothing),
              j as (insert into jobs (tenant_id, kind, payload, run_at)
                    select $1, 'escalate', jsonb_build_object('step_id', $2::text), now() + make_interval(hours => $3)
                     where $3 is not null and exists(select 1 from seated))
         select coalesce(array_agg(id order by id), '{}') from seated",
        tenant_id,
        step.id,
        escalate_after,
        step.approver_role.as_deref().unwrap_or_default(),
        &step.approver_kind,
        doc.requester_id,
        step.approver_user_id,
        &step.role_limit,
        doc.plant_id,
        doc.department_id
    )
    .fetch_one(conn)
    .await?;
    // an aggregate is nullable to the compiler; `coalesce` makes it never so
    Ok(approvers.unwrap_or_default())
}

/// The document's open stage (of the latest round) with `actor`'s seat on it: their own, else
/// the seat of someone who delegated to them for today.
pub(crate) async fn open_stage_with_seat(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
    actor: Uuid,
) -> sqlx::Result<Option<OpenStageRow>> {
    sqlx::query_as!(
        OpenStageRow,
        r#"select s.id, s.round, s.stage, s.approver_kind, s.approver_role, s.approver_user_id, s.role_limit,
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
            order by s.round desc, s.stage limit 1"#,
        doc_type,
        doc_id,
        actor
    )
    .fetch_optional(conn)
    .await
}

/// Whether `user_id` held a seat on any stage of the document.
pub(crate) async fn was_seated(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from approval_step_approvers a join approval_steps s on s.tenant_id = a.tenant_id and s.id = a.step_id
                          where s.doc_type = $1 and s.doc_id = $2 and a.user_id = $3) as "found!""#,
        doc_type,
        doc_id,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Whether `user_id` decided a seat on any stage of the document.
pub(crate) async fn has_decided(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from approval_step_approvers a join approval_steps s on s.tenant_id = a.tenant_id and s.id = a.step_id
                          where s.doc_type = $1 and s.doc_id = $2 and a.user_id = $3 and a.decided) as "found!""#,
        doc_type,
        doc_id,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// An approver's decision on an open stage, as recorded.
pub(crate) struct Decision<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) doc_type: &'a str,
    pub(crate) doc_id: Uuid,
    pub(crate) actor: Uuid,
    /// The seat's holder when the actor decides as their delegate.
    pub(crate) on_behalf_of: Option<Uuid>,
    pub(crate) action: &'a str,
    pub(crate) comment: Option<&'a str>,
}

/// The seat decided and the action recorded; when `closes` (an approval that decides the stage)
/// the stage and its escalation job are closed too and the next stage waiting in the round is
/// read, in the same statement.
pub(crate) async fn decide_seat(
    conn: &mut PgConnection,
    step: &StepRow,
    decision: &Decision<'_>,
    closes: bool,
) -> sqlx::Result<Option<StepRow>> {
    // `$7::uuid`: the compile-time check has no bound value to type `coalesce` by (the one
    // change to the statement's text; its value was always a uuid)
    sqlx::query_as!(
        StepRow,
        "with d as (update approval_step_approvers set decided = true where step_id = $4 and user_id = coalesce($7::uuid, $6)),
              act as (insert into approval_actions (tenant_id, doc_type, doc_id, step_id, stage, actor_id, on_behalf_of, action, comment)
                      values ($1, $2, $3, $4, $5, $6, $7, $8, $9)),
              c as (update approval_steps set status = 'approved', decided_at = now() where id = $4 and $10),
              j as (update jobs set done_at = now() where kind = 'escalate' and done_at is null and step_id = $4 and $10)
         select id, round, stage, approver_kind, approver_role, approver_user_id, role_limit, require_all, escalate_to_role, escalate_after_hours
           from approval_steps
          where doc_type = $2 and doc_id = $3 and round = $11 and status = 'waiting' and $10
          order by stage limit 1",
        decision.tenant_id,
        decision.doc_type,
        decision.doc_id,
        step.id,
        step.stage,
        decision.actor,
        decision.on_behalf_of,
        decision.action,
        decision.comment,
        closes,
        step.round
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn count_undecided_seats(
    conn: &mut PgConnection,
    step_id: Uuid,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from approval_step_approvers where step_id = $1 and not decided"#,
        step_id
    )
    .fetch_one(conn)
    .await
}

/// Closes an approved stage and its escalation job, and reads the next stage waiting in the round.
pub(crate) async fn close_approved_step_and_read_next(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
    round: i32,
    step_id: Uuid,
) -> sqlx::Result<Option<StepRow>> {
    // the same closing as in `decide_seat`, always
    sqlx::query_as!(
        StepRow,
        "with c as (update approval_steps set status = 'approved', decided_at = now() where id = $4 and true),
              j as (update jobs set done_at = now() where kind = 'escalate' and done_at is null and step_id = $4 and true)
         select id, round, stage, approver_kind, approver_role, approver_user_id, role_limit, require_all, escalate_to_role, escalate_after_hours
           from approval_steps
          where doc_type = $1 and doc_id = $2 and round = $3 and status = 'waiting' and true
          order by stage limit 1",
        doc_type,
        doc_id,
        round,
        step_id
    )
    .fetch_optional(conn)
    .await
}

/// Closes a stage with `status` (rejected, returned) and its escalation job.
pub(crate) async fn close_step(
    conn: &mut PgConnection,
    step_id: Uuid,
    status: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "with s as (update approval_steps set status = $2, decided_at = now() where id = $1)
         update jobs set done_at = now() where kind = 'escalate' and done_at is null and step_id = $1",
        step_id,
        status
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Cancels every waiting or pending stage of a document; returns their ids.
pub(crate) async fn cancel_open_steps(
    conn: &mut PgConnection,
    doc_type: &str,
    doc_id: Uuid,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "update approval_steps set status = 'cancelled', decided_at = now()
          where doc_type = $1 and doc_id = $2 and status in ('waiting', 'pending') returning id",
        doc_type,
        doc_id
    )
    .fetch_all(conn)
    .await
}

/// Ends a stage's escalation job, if it has not run.
pub(crate) async fn close_escalation_job(
    conn: &mut PgConnection,
    step_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update jobs set done_at = now() where kind = 'escalate' and done_at is null and step_id = $1",
        step_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A requester's own action (submit, resubmit, cancel) in the document's history.
pub(crate) async fn insert_action(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    doc_type: &str,
    doc_id: Uuid,
    actor: Uuid,
    action: &str,
    comment: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into approval_actions (tenant_id, doc_type, doc_id, actor_id, action, comment) values ($1, $2, $3, $4, $5, $6)",
        tenant_id,
        doc_type,
        doc_id,
        actor,
        action,
        comment
    )
    .execute(conn)
    .await?;
    Ok(())
}
