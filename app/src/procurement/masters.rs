//! Procurement master data besides suppliers: projects (for project requisitions), with the
//! validation both the forms and the server use.
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub plant_id: Option<Uuid>,
    pub plant: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub plant_id: Option<Uuid>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// A code as suppliers and projects use them: capitals, digits, `-` and `_`, at most 32.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !code.starts_with(['-', '_'])
}

pub fn validate_project(input: &ProjectInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let code = input.code.trim();
    if code.is_empty() {
        e.insert("code".into(), FieldError::Required);
    } else if !valid_code(code) {
        e.insert("code".into(), FieldError::Invalid);
    }
    let name = input.name.trim();
    if name.is_empty() {
        e.insert("name".into(), FieldError::Required);
    } else if name.chars().count() > 200 {
        e.insert("name".into(), FieldError::TooLong);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

pub use crate::platform::model::Choice;

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{on_constraint, AppError, AppResult};
    use crate::platform::audit::{self, Entry};
    use crate::platform::context::RequestCtx;
    use crate::platform::db::Tx;

    #[derive(sqlx::FromRow)]
    struct ProjectRow {
        id: Uuid,
        code: String,
        name: String,
        plant_id: Option<Uuid>,
        plant: Option<String>,
        active: bool,
    }

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
        let rows = sqlx::query_as!(ProjectRow, r#"select p.id, p.code, p.name, p.plant_id, pl.name as "plant?", p.active
          from projects p left join plants pl on pl.id = p.plant_id order by p.active desc, p.code limit 1000"#)
        .fetch_all(&mut **tx)
        .await?;
        Ok(rows.into_iter().map(Project::from).collect())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn get_project(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Project> {
        let p = ctx.principal()?;
        p.require("project:manage")
            .or_else(|_| p.require("requisition:create"))?;
        let row = sqlx::query_as!(
            ProjectRow,
            r#"select p.id, p.code, p.name, p.plant_id, pl.name as "plant?", p.active
          from projects p left join plants pl on pl.id = p.plant_id where p.id = $1"#,
            id
        )
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
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
            let known: bool = sqlx::query_scalar!(
                r#"select exists(select 1 from plants where id = $1) as "found!""#,
                plant
            )
            .fetch_one(&mut **tx)
            .await?;
            if !known {
                return Err(AppError::field("plant_id", FieldError::UnknownReference));
            }
        }
        let old = match id {
            Some(id) => Some(
                sqlx::query_as!(ProjectRow, r#"select p.id, p.code, p.name, p.plant_id, pl.name as "plant?", p.active
          from projects p left join plants pl on pl.id = p.plant_id where p.id = $1 for update of p"#, id)
                .fetch_optional(&mut **tx)
                .await?
                .map(Project::from)
                .ok_or(AppError::NotFound)?,
            ),
            None => None,
        };
        let saved: Result<Uuid, sqlx::Error> = sqlx::query_scalar!(
            "insert into projects (tenant_id, id, code, name, plant_id, active)
             values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6)
             on conflict (tenant_id, id) do update set code = excluded.code, name = excluded.name,
                plant_id = excluded.plant_id, active = excluded.active
             returning id",
            p.tenant_id,
            id,
            input.code.trim(),
            input.name.trim(),
            input.plant_id,
            input.active.unwrap_or(true)
        )
        .fetch_one(&mut **tx)
        .await;
        let new_id =
            saved.map_err(|e| on_constraint(e, &[("projects_tenant_id_code_key", "code")]))?;
        let project: Project = sqlx::query_as!(
            ProjectRow,
            r#"select p.id, p.code, p.name, p.plant_id, pl.name as "plant?", p.active
          from projects p left join plants pl on pl.id = p.plant_id where p.id = $1"#,
            new_id
        )
        .fetch_one(&mut **tx)
        .await?
        .into();
        audit::record(
            tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: if id.is_some() { "update" } else { "create" },
                entity: "project",
                entity_id: Some(project.id.to_string()),
                old: old.and_then(|o| serde_json::to_value(o).ok()),
                new: serde_json::to_value(&project).ok(),
            },
        )
        .await?;
        Ok(project)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_plants(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Choice>> {
        ctx.principal()?;
        let rows: Vec<(Uuid, String, String)> =
            sqlx::query!("select id, code, name from plants where active order by code")
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| (r.id, r.code, r.name))
                .collect();
        Ok(rows
            .into_iter()
            .map(|(id, code, name)| Choice { id, code, name })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_codes_and_names() {
        let ok = ProjectInput {
            code: "EXP-2026".into(),
            name: "Line 4 expansion".into(),
            ..Default::default()
        };
        assert!(validate_project(&ok).is_ok());
        let bad = ProjectInput {
            code: "exp 1".into(),
            name: " ".into(),
            ..Default::default()
        };
        let e = validate_project(&bad).unwrap_err();
        assert_eq!(e.get("code"), Some(&FieldError::Invalid));
        assert_eq!(e.get("name"), Some(&FieldError::Required));
        assert!(!valid_code("-A"));
    }
}
