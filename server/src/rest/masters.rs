//! `/api/v1` master data beside suppliers: projects, delegations, plants and the approval rules.
use super::{id_of, ApiError, ApiJson, ApiQuery, ApiResult, Ctx, IdPath};
use app::approvals::delegations::{self, Delegation, DelegationInput};
use app::approvals::rules::{self, Rule};
use app::platform::context::AppState;
use app::procurement::model::masters::{Project, ProjectInput};
use app::procurement::service::masters as service;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list_projects).post(create_project))
        .route("/projects/{id}", get(get_project).put(update_project))
        .route(
            "/delegations",
            get(list_delegations).post(create_delegation),
        )
        .route("/delegations/{id}", delete(revoke_delegation))
        .route("/approval-rules", get(list_rules).post(create_rule))
        .route("/approval-rules/{id}", put(update_rule))
}

#[derive(Serialize, ToSchema)]
pub struct ProjectList {
    pub projects: Vec<Project>,
}

#[utoipa::path(get, path = "/api/v1/projects", tag = "procurement",
    description = "Every project of the company, active first.",
    responses((status = 200, body = super::Envelope<ProjectList>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_projects(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<ProjectList> {
    let projects = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_projects(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(ProjectList { projects }))
}

#[utoipa::path(post, path = "/api/v1/projects", tag = "procurement", request_body = ProjectInput,
    responses((status = 201, body = super::Envelope<Project>), (status = 409, description = "CONFLICT: another request saved the same code at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR, e.g. a code already used", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_project(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ProjectInput>,
) -> ApiResult<Project> {
    let p = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_project(tx, ctx, None, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, p, ""))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "procurement", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<Project>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_project(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Project> {
    let id = id_of(id)?;
    let p = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::get_project(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(p))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "procurement", params(("id" = Uuid, Path)), request_body = ProjectInput,
    responses((status = 200, body = super::Envelope<Project>), (status = 409, description = "CONFLICT: another request saved the same code at the same moment", body = super::ErrorEnvelope), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_project(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<ProjectInput>,
) -> ApiResult<Project> {
    let id = id_of(id)?;
    let p = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::save_project(tx, ctx, Some(id), body))
    })
    .await?;
    Ok(Ctx(ctx).ok(p))
}

#[derive(Serialize, ToSchema)]
pub struct DelegationList {
    pub delegations: Vec<Delegation>,
}

#[utoipa::path(get, path = "/api/v1/delegations", tag = "procurement",
    description = "Delegations that have not ended, given or received by the caller (all of them for an admin).",
    responses((status = 200, body = super::Envelope<DelegationList>), (status = 401, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_delegations(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> ApiResult<DelegationList> {
    let delegations = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(delegations::service::list_delegations(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(DelegationList { delegations }))
}

#[utoipa::path(post, path = "/api/v1/delegations", tag = "procurement", request_body = DelegationInput,
    description = "Hands the caller's approvals (an admin: anyone's, with `from_user_id`) to another user for the inclusive date range. Overlapping ranges of the same person are refused.",
    responses((status = 201, body = super::Envelope<Delegation>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_delegation(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<DelegationInput>,
) -> ApiResult<Delegation> {
    let d = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(delegations::service::create_delegation(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, d, ""))
}

#[utoipa::path(delete, path = "/api/v1/delegations/{id}", tag = "procurement", params(("id" = Uuid, Path)),
    responses((status = 204, description = "revoked"), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn revoke_delegation(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> Result<Response, ApiError> {
    let id = id_of(id)?;
    app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(delegations::service::revoke_delegation(tx, ctx, id))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct RuleList {
    pub rules: Vec<Rule>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RuleQuery {
    /// requisition (default) or purchase_order
    #[param(schema_with = super::contract::rule_doc_type)]
    pub doc_type: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/approval-rules", tag = "procurement", params(RuleQuery),
    description = "The approval stages of a document type. Edits apply to documents submitted afterwards; routes in flight keep theirs.",
    responses((status = 200, body = super::Envelope<RuleList>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_rules(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<RuleQuery>,
) -> ApiResult<RuleList> {
    let doc = q.doc_type.unwrap_or_else(|| "requisition".into());
    let rules = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(async move { rules::service::list(tx, ctx, &doc).await })
    })
    .await?;
    Ok(Ctx(ctx).ok(RuleList { rules }))
}

#[utoipa::path(post, path = "/api/v1/approval-rules", tag = "procurement", request_body = Rule,
    description = "Adds a stage. The condition is parsed by the rule language's parser; errors name the character position.",
    responses((status = 201, body = super::Envelope<Rule>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_rule(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(mut body): ApiJson<Rule>,
) -> ApiResult<Rule> {
    body.id = None;
    let r = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(rules::service::save(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, r, ""))
}

#[utoipa::path(put, path = "/api/v1/approval-rules/{id}", tag = "procurement", params(("id" = Uuid, Path)), request_body = Rule,
    responses((status = 200, body = super::Envelope<Rule>), (status = 403, description = "FORBIDDEN: the caller is not permitted to do this", body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_rule(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(mut body): ApiJson<Rule>,
) -> ApiResult<Rule> {
    body.id = Some(id_of(id)?);
    let r = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(rules::service::save(tx, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok(r))
}
