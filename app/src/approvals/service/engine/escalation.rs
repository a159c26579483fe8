//! Escalation after a stage's SLA: a job claimed from the PostgreSQL queue adds the escalation
//! role's members to the open stage and tells them.
use super::*;
use crate::platform::db::tenant_tx;

/// Runs due escalations: adds the escalation role's members to the open stage and tells them.
/// Called by the background worker; claims jobs with SKIP LOCKED, so several servers can run it.
pub async fn run_due_escalations(pool: &sqlx::PgPool) -> AppResult<usize> {
    let claimed = repo::escalation::claim_escalation_jobs(pool).await?;
    let mut done = 0;
    for job in claimed {
        let result = escalate_one(pool, job.tenant_id, job.id, &job.payload).await;
        let mut tx = tenant_tx(pool, job.tenant_id).await?;
        match result {
            Ok(()) => {
                repo::escalation::job_done(&mut tx, job.id).await?;
                done += 1;
            }
            Err(e) => {
                tracing::warn!(job = %job.id, error = %e, "escalation failed; retrying later");
                repo::escalation::job_failed(&mut tx, job.id, &e.to_string()).await?;
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
    let row = repo::escalation::lock_step(&mut tx, step_id).await?;
    let Some(step) = row else {
        return Ok(());
    };
    let Some(role) = step.escalate_to_role else {
        return Ok(());
    };
    if step.status != "pending" || step.escalated {
        return Ok(());
    }
    let Some(kind) = registry::get(&step.doc_type) else {
        return Ok(());
    };
    let header = repo::escalation::document_header(&mut tx, kind.header_sql, step.doc_id).await?;
    let doc = Doc {
        doc_type: kind.doc_type,
        id: step.doc_id,
        number: header.number,
        requester_id: header.requester_id,
        plant_id: header.plant_id,
        department_id: header.department_id,
        facts: Facts::new(),
    };
    let targets: Vec<Uuid> =
        repo::route::role_members(&mut tx, &role, "none", doc.plant_id, doc.department_id)
            .await?
            .into_iter()
            .filter(|u| *u != doc.requester_id)
            .collect();
    for user in &targets {
        repo::escalation::seat_approver(&mut tx, tenant_id, step_id, *user).await?;
    }
    repo::escalation::mark_escalated(&mut tx, step_id).await?;
    repo::escalation::insert_escalation_action(&mut tx, step_id).await?;
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
