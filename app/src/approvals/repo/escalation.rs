//! The escalation jobs' statements: claiming due jobs, settling them, and adding the escalation
//! role's members to a stage.
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

pub(crate) struct ClaimedJob {
    pub(crate) tenant_id: Uuid,
    pub(crate) id: Uuid,
    pub(crate) payload: serde_json::Value,
}

/// Claims up to 50 due escalation jobs of every tenant for two minutes (`claim_jobs`, SKIP LOCKED),
/// outside any tenant's transaction.
pub(crate) async fn claim_escalation_jobs(pool: &PgPool) -> sqlx::Result<Vec<ClaimedJob>> {
    sqlx::query_as!(
        ClaimedJob,
        r#"select tenant_id as "tenant_id!", id as "id!", payload as "payload!" from claim_jobs('escalate', 50, 120)"#
    )
    .fetch_all(pool)
    .await
}

pub(crate) async fn job_done(conn: &mut PgConnection, job_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update jobs set done_at = now(), last_error = null where id = $1",
        job_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Keeps the error and runs the job again later, backing off up to an hour.
pub(crate) async fn job_failed(
    conn: &mut PgConnection,
    job_id: Uuid,
    error: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update jobs set last_error = $2, run_at = now() + make_interval(mins => least(60, 2 ^ attempts)::int), locked_until = null
          where id = $1",
        job_id,
        error
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) struct EscalatingStep {
    pub(crate) doc_type: String,
    pub(crate) doc_id: Uuid,
    pub(crate) escalate_to_role: Option<String>,
    pub(crate) status: String,
    pub(crate) escalated: bool,
}

/// The stage a job escalates, its row locked until the transaction ends.
pub(crate) async fn lock_step(
    conn: &mut PgConnection,
    step_id: Uuid,
) -> sqlx::Result<Option<EscalatingStep>> {
    sqlx::query_as!(
        EscalatingStep,
        r#"select s.doc_type, s.doc_id, s.escalate_to_role, s.status, s.escalated_at is not null as "escalated!"
             from approval_steps s where s.id = $1 for update"#,
        step_id
    )
    .fetch_optional(conn)
    .await
}

/// A document's number, requester, plant and department, read from its kind's header.
pub(crate) struct HeaderRow {
    pub(crate) number: String,
    pub(crate) requester_id: Uuid,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) department_id: Option<Uuid>,
}

/// The header of document `doc_id` of the kind whose registered `header_sql` is given.
pub(crate) async fn document_header(
    conn: &mut PgConnection,
    header_sql: &str,
    doc_id: Uuid,
) -> sqlx::Result<HeaderRow> {
    // Dynamic: the document's header is the select its kind registered (`DocKind::header_sql`)
    let mut q = QueryBuilder::<Postgres>::new(
        "select number, requester_id, plant_id, department_id from (",
    );
    q.push(header_sql).push(") h where id = ").push_bind(doc_id);
    let (number, requester_id, plant_id, department_id) = q
        .build_query_as::<(String, Uuid, Option<Uuid>, Option<Uuid>)>()
        .fetch_one(conn)
        .await?;
    Ok(HeaderRow {
        number,
        requester_id,
        plant_id,
        department_id,
    })
}

pub(crate) async fn seat_approver(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    step_id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into approval_step_approvers (tenant_id, step_id, user_id) values ($1, $2, $3) on conflict do nothing",
        tenant_id,
        step_id,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn mark_escalated(conn: &mut PgConnection, step_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update approval_steps set escalated_at = now() where id = $1",
        step_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The escalation in the document's history, by no one (the system).
pub(crate) async fn insert_escalation_action(
    conn: &mut PgConnection,
    step_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into approval_actions (tenant_id, doc_type, doc_id, step_id, stage, actor_id, action)
         select tenant_id, doc_type, doc_id, id, stage, null, 'escalate' from approval_steps where id = $1",
        step_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
