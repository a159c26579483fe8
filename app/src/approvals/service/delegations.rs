//! Delegation on the server: who may hand over whose approvals, and the checks only the database
//! can answer (the people exist and are active, one hand-over at a time).
use crate::approvals::model::{validate_delegation, Delegation, DelegationInput};
use crate::approvals::repo;
use crate::error::{AppError, AppResult, FieldError};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::model::Choice;
use uuid::Uuid;

/// People who may receive a delegation: active users of the tenant who approve something.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delegate_candidates(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Choice>> {
    ctx.principal()?;
    Ok(repo::delegations::delegate_candidates(tx)
        .await?
        .into_iter()
        .map(|r| Choice {
            id: r.id,
            code: r.username,
            name: r.display_name,
        })
        .collect())
}

/// Delegations that have not ended: the caller's own (given and received); an admin sees all.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_delegations(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Delegation>> {
    let p = ctx.principal()?;
    let all = p.require("user:manage").is_ok();
    Ok(repo::delegations::current_delegations(tx, all, p.user_id).await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_delegation(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: DelegationInput,
) -> AppResult<Delegation> {
    let p = ctx.principal()?;
    let from = input.from_user_id.unwrap_or(p.user_id);
    if from != p.user_id {
        p.require("user:manage")?;
    }
    let today = repo::delegations::today(tx).await?;
    validate_delegation(&input, p.user_id, today).map_err(AppError::Validation)?;
    let (Some(to), Some(starts), Some(ends)) = (input.to_user_id, input.starts_on, input.ends_on)
    else {
        return Err(AppError::field("to_user_id", FieldError::Required));
    };
    for (field, user) in [("from_user_id", from), ("to_user_id", to)] {
        if !repo::is_active_user(tx, user).await? {
            return Err(AppError::field(field, FieldError::UnknownReference));
        }
    }
    // one hand-over at a time: overlapping ranges of the same person would make the
    // delegate ambiguous
    if repo::delegations::overlapping_delegation_exists(tx, from, starts, ends).await? {
        return Err(AppError::field("starts_on", FieldError::Duplicate));
    }
    let id = repo::delegations::insert_delegation(tx, p.tenant_id, from, to, starts, ends).await?;
    let d = repo::delegations::delegation(tx, id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "create",
            entity: "delegation",
            entity_id: Some(id.to_string()),
            old: None,
            new: serde_json::to_value(&d).ok(),
        },
    )
    .await?;
    Ok(d)
}

/// Ends a delegation: the person who gave it (or an admin) may revoke it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke_delegation(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
    let p = ctx.principal()?;
    let all = p.require("user:manage").is_ok();
    let old = repo::delegations::lock_delegation(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !all && old.from_user_id != p.user_id {
        return Err(if old.to_user_id == p.user_id {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    }
    repo::delegations::delete_delegation(tx, id).await?;
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "delete",
            entity: "delegation",
            entity_id: Some(id.to_string()),
            old: serde_json::to_value(&old).ok(),
            new: None,
        },
    )
    .await?;
    Ok(())
}
