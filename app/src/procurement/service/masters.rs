//! Projects (for project requisitions) and the plants they belong to: who may list and change
//! them, audited.
use crate::error::{on_constraint, AppError, AppResult, FieldError};
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::procurement::model::masters::{validate_project, Choice, Project, ProjectInput};
use crate::procurement::repo::masters::{self as repo, ProjectRow};
use uuid::Uuid;

impl From<ProjectRow> for Project {
    fn from(r: ProjectRow) -> Self {
        Project {
            id: r.id,
            code: r.code,
            name: r.name,
            plant_id: r.plant_id,
            plant: r.plant,
            active: r.active,
        }
    }
}

/// Every project (inactive ones too) for the admin list; requisition forms use
/// `procurement::service::list_projects`, which shows active ones only.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_projects(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Project>> {
    let p = ctx.principal()?;
    p.require("project:manage")
        .or_else(|_| p.require("requisition:create"))?;
    let rows = repo::all_projects(tx).await?;
    Ok(rows.into_iter().map(Project::from).collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_project(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Project> {
    let p = ctx.principal()?;
    p.require("project:manage")
        .or_else(|_| p.require("requisition:create"))?;
    let row = repo::project(tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(row.into())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_project(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: ProjectInput,
) -> AppResult<Project> {
    let p = ctx.principal()?;
    p.require("project:manage")?;
    validate_project(&input).map_err(AppError::Validation)?;
    if let Some(plant) = input.plant_id {
        let known = repo::plant_exists(tx, plant).await?;
        if !known {
            return Err(AppError::field("plant_id", FieldError::UnknownReference));
        }
    }
    let old = match id {
        Some(id) => Some(
            repo::lock_project(tx, id)
                .await?
                .map(Project::from)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let saved = repo::save_project(
        tx,
        p.tenant_id,
        id,
        input.code.trim(),
        input.name.trim(),
        input.plant_id,
        input.active.unwrap_or(true),
    )
    .await;
    let new_id = saved.map_err(|e| on_constraint(e, &[("projects_tenant_id_code_key", "code")]))?;
    let project: Project = repo::project(tx, new_id)
        .await?
        .ok_or(AppError::NotFound)?
        .into();
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "project", project.id, old, &project),
    )
    .await?;
    Ok(project)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_plants(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Choice>> {
    ctx.principal()?;
    let rows = repo::active_plants(tx).await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| Choice { id, code, name })
        .collect())
}
