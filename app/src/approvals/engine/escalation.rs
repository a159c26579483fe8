//! Escalation after a stage's SLA: a job claimed from the PostgreSQL queue adds the escalation
//! role's members to the open stage and tells them.
use super::*;

/// Runs due escalations: adds the escalation role's members to the open stage and tells them.
/// Called by the background worker; claims jobs with SKIP LOCKED, so several servers can run it.
pub async fn run_due_escalations(pool: &sqlx::PgPool) -> AppResult<usize> {
    let claimed: Vec<(Uuid, Uuid, serde_json::Value)> =
        sqlx::query!(r#"select tenant_id as "tenant_id!", id as "id!", payload as "payload!" from claim_jobs('escalate', 50, 120)"#).fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| (r.tenant_id, r.id, r.payload))
        .collect();
    let mut done = 0;
    for (tenant_id, job_id, payload) in claimed {
        let result = escalate_one(pool, tenant_id, job_id, &payload).await;
        let mut tx = tenant_tx(pool, tenant_id).await?;
        match result {
            Ok(()) => {
                sqlx::query!(
                    "update jobs set done_at = now(), last_error = null where id = $1",
                    job_id
                )
                .execute(&mut *tx)
                .await?;
                done += 1;
            }
            Err(e) => {
                tracing::warn!(job = %job_id, error = %e, "escalation failed; retrying later");
                sqlx::query!("update jobs set last_error = $2, run_at = now() + make_interval(mins => least(60, 2 ^ attempts)::int), locked_until = null
                      where id = $1", job_id, e.to_string())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(done)
}

pub(super) async fn escalate_one(
    pool: &sqlx::PgPool,
    tenant_id: Uuid,
    _job_id: Uuid,
    payload: &serde_json::Value,
) -> AppResult<()> {
    let step_id: Uuid = payload
        .get("step_id")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::Internal)?;
    let mut tx = tenant_tx(pool, tenant_id).await?;
    let row = sqlx::query!(
        r#"select s.doc_type, s.doc_id, s.escalate_to_role, s.status, s.escalated_at is not null as "escalated!"
           from approval_steps s where s.id = $1 for update"#,
        step_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.doc_type, r.doc_id, r.escalate_to_role, r.status, r.escalated));
    let Some((doc_type, doc_id, Some(role), status, escalated)) = row else {
        return Ok(());
    };
    if status != "pending" || escalated {
        return Ok(());
    }
    let Some(kind) = registry::get(&doc_type) else {
        return Ok(());
    };
    let (doc_type, sql) = (
        kind.doc_type,
        format!(
            "select number, requester_id, plant_id, department_id from ({}) h where id = $1",
            kind.header_sql
        ),
    );
    let (number, requester_id, plant_id, department_id): (
        String,
        Uuid,
        Option<Uuid>,
        Option<Uuid>,
    ) = sqlx::query_as(&sql)
        .bind(doc_id)
        .fetch_one(&mut *tx)
        .await?;
    let doc = Doc {
        doc_type,
        id: doc_id,
        number,
        requester_id,
        plant_id,
        department_id,
        facts: Facts::new(),
    };
    let targets: Vec<Uuid> = role_members(&mut tx, &role, "none", &doc)
        .await?
        .into_iter()
        .filter(|u| *u != requester_id)
        .collect();
    for user in &targets {
        sqlx::query!("insert into approval_step_approvers (tenant_id, step_id, user_id) values ($1, $2, $3) on conflict do nothing", tenant_id, step_id, user)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query!(
        "update approval_steps set escalated_at = now() where id = $1",
        step_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("insert into approval_actions (tenant_id, doc_type, doc_id, step_id, stage, actor_id, action)
         select tenant_id, doc_type, doc_id, id, stage, null, 'escalate' from approval_steps where id = $1", step_id)
    .execute(&mut *tx)
    .await?;
    notify(
        &mut tx,
        tenant_id,
        &targets,
        "approval_escalated",
        &doc,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
