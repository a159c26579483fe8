//! `/api/v1/users`, `/api/v1/permissions`, `/api/v1/roles`: the company's users and roles as its
//! administrators keep them (`user:manage`, `role:manage`).
use super::{id_of, ApiError, ApiJson, ApiResult, Ctx, IdPath, ListQuery, Pagination};
use app::error::AppError;
use app::platform::context::AppState;
use app::platform::tx::run;
use app::platform::users::{
    service, ImportOutcome, NewUser, PermissionInfo, RoleInput, RoleView, UserFilter, UserUpdate,
    UserView,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/import", post(import_users))
        .route("/users/{id}", get(get_user).put(update_user))
        .route("/users/{id}/deactivate", post(deactivate))
        .route("/users/{id}/activate", post(activate))
        .route("/users/{id}/unlock", post(unlock))
        .route("/users/{id}/send-password-reset", post(send_password_reset))
        .route("/permissions", get(permissions))
        .route("/roles", get(list_roles).post(create_role))
        .route(
            "/roles/{id}",
            get(get_role).put(update_role).delete(delete_role),
        )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Text in the name, user name or e-mail (at most 200 characters)
    #[param(nullable = false)]
    pub q: Option<String>,
    /// Only active (true) or deactivated (false) users
    #[param(nullable = false)]
    pub active: Option<bool>,
    /// Only holders of this role (its name)
    #[param(nullable = false)]
    pub role: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "administration",
    description = "The company's users by name, filtered; each with roles, plant, whether active, locked or invited, and whether two-factor sign-in is on. Needs `user:manage`.",
    params(UserQuery, super::PageQuery),
    responses((status = 200, body = super::Envelope<UserList>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR: `q` longer than 200 characters", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    q: ListQuery<UserQuery>,
) -> ApiResult<UserList> {
    let filter = UserFilter {
        q: q.filter.q,
        active: q.filter.active,
        role: q.filter.role,
    };
    let (page, per_page) = (q.page, q.per_page);
    let found = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::list_users(tx, ctx, filter, page, per_page))
    })
    .await?;
    let pagination = Pagination::new(found.page, found.per_page, found.total);
    Ok(Ctx(ctx).ok(UserList {
        users: found.rows,
        pagination,
    }))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "administration", request_body = NewUser,
    description = "Creates a user. With `password` the user can sign in at once; without it the user is invited: an e-mail in their language with a single-use link to choose a password, valid 72 hours (`{public_url}/password-reset?token=…`). Needs `user:manage`.",
    responses((status = 201, body = super::Envelope<UserView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 409, description = "CONFLICT: the user name is taken (`username`)", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR by field: `username`, `display_name`, `email`, `language`, `password` (the policy), `roles[i]` (an unknown role), `manager_id`, `department_id`, `plant_id` (not of the company)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<UserView> {
    let user = run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(service::create_user(tx, state, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, user, ""))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "administration", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<UserView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such user in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<UserView> {
    let id = id_of(id)?;
    let user = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::get_user(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(user))
}

#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "administration", params(("id" = Uuid, Path)), request_body = UserUpdate,
    description = "Changes a user's name, e-mail, language, manager, department, plant and roles (the user name stays). A change of roles applies at the user's next request. The last active user holding `user:manage` and `role:manage` cannot lose them (422 `INVALID_STATE`).",
    responses((status = 200, body = super::Envelope<UserView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such user in the company", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR by field; INVALID_STATE: the company would be left without an active user holding `user:manage` and `role:manage`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<UserUpdate>,
) -> ApiResult<UserView> {
    let id = id_of(id)?;
    let user = run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(service::update_user(tx, state, ctx, id, body))
    })
    .await?;
    Ok(Ctx(ctx).ok(user))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", tag = "administration", params(("id" = Uuid, Path)),
    description = "Deactivates a user: their API tokens are revoked at once and their sessions stop working at their next request, on every server instance. Users are never deleted.",
    responses((status = 200, body = super::Envelope<UserView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such user in the company", body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE: one's own account, or the last active user holding `user:manage` and `role:manage`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn deactivate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<UserView> {
    let id = id_of(id)?;
    let user = run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(service::deactivate(tx, state, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(user))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/activate", tag = "administration", params(("id" = Uuid, Path)),
    description = "Reactivates a deactivated user (their revoked tokens stay revoked).",
    responses((status = 200, body = super::Envelope<UserView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such user in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn activate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<UserView> {
    let id = id_of(id)?;
    let user = run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(service::activate(tx, state, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(user))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/unlock", tag = "administration", params(("id" = Uuid, Path)),
    description = "Lifts the lock that failed sign-ins set, and forgets the failures.",
    responses((status = 200, body = super::Envelope<UserView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such user in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn unlock(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<UserView> {
    let id = id_of(id)?;
    let user = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::unlock(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(user))
}

#[derive(Serialize, ToSchema)]
pub struct Sent {
    /// always true
    pub sent: bool,
}

#[utoipa::path(post, path = "/api/v1/users/{id}/send-password-reset", tag = "administration", params(("id" = Uuid, Path)),
    description = "E-mails the user, in their language, a single-use link to choose a new password (`{public_url}/password-reset?token=…`), valid one hour; a user still invited gets a new invitation (72 hours) instead.",
    responses((status = 202, body = super::Envelope<Sent>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such user in the company", body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE: the user is deactivated", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn send_password_reset(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Sent> {
    let id = id_of(id)?;
    run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::send_password_reset(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::ACCEPTED, Sent { sent: true }, ""))
}

#[utoipa::path(post, path = "/api/v1/users/import", tag = "administration",
    description = "Imports users from CSV (the body, `text/csv`, UTF-8, at most 1,000 rows): a header row naming the columns in any order — `username`, `display_name`, `email` required; `language`, `roles` (role names separated by `;`), `department` and `plant` (codes), `manager` (a user name of the company or of an earlier row). Every row is imported, each user invited by e-mail, or none is: the 422 names every error by line and column (`line[3].email`; line 1 is the header; `file` for an empty file).",
    request_body(content((String = "text/csv"))),
    responses((status = 201, body = super::Envelope<ImportOutcome>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `user:manage`", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR: every error by line and column, nothing imported", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn import_users(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    body: axum::body::Bytes,
) -> ApiResult<ImportOutcome> {
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError(AppError::field("file", app::error::FieldError::Invalid)))?;
    let outcome = run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(async move { service::import_users(tx, state, ctx, &text).await })
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, outcome, ""))
}

#[derive(Serialize, ToSchema)]
pub struct PermissionList {
    pub permissions: Vec<PermissionInfo>,
}

#[utoipa::path(get, path = "/api/v1/permissions", tag = "administration",
    description = "The catalogue: every `resource:action` the product checks, described in the caller's language, with the scopes a role may grant it at. Needs `role:manage` or `user:manage`.",
    responses((status = 200, body = super::Envelope<PermissionList>),
              (status = 403, description = "FORBIDDEN: the caller holds neither `role:manage` nor `user:manage`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn permissions(Ctx(ctx): Ctx) -> ApiResult<PermissionList> {
    let permissions = service::permissions(&ctx)?;
    Ok(Ctx(ctx).ok(PermissionList { permissions }))
}

#[derive(Serialize, ToSchema)]
pub struct RoleList {
    pub roles: Vec<RoleView>,
}

#[utoipa::path(get, path = "/api/v1/roles", tag = "administration",
    description = "Every role of the company with its grants and how many users hold it, system roles first. Needs `role:manage` or `user:manage`.",
    responses((status = 200, body = super::Envelope<RoleList>),
              (status = 403, description = "FORBIDDEN: the caller holds neither `role:manage` nor `user:manage`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_roles(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<RoleList> {
    let roles = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_roles(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(RoleList { roles }))
}

#[utoipa::path(post, path = "/api/v1/roles", tag = "administration", request_body = RoleInput,
    description = "Creates a custom role; `copy_of` (a system role, say) gives it that role's grants when `grants` is empty. Needs `role:manage`.",
    responses((status = 201, body = super::Envelope<RoleView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `role:manage`", body = super::ErrorEnvelope),
              (status = 409, description = "CONFLICT: the name is taken (`name`)", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR: `name`, `description`, `copy_of` (no such role), `grants[i].permission` (not in the catalogue, or twice), `grants[i].scope` (a scope the permission does not allow)", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_role(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<RoleInput>,
) -> ApiResult<RoleView> {
    let role = run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(service::create_role(tx, state, ctx, body))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, role, ""))
}

#[utoipa::path(get, path = "/api/v1/roles/{id}", tag = "administration", params(("id" = Uuid, Path)),
    responses((status = 200, body = super::Envelope<RoleView>),
              (status = 403, description = "FORBIDDEN: the caller holds neither `role:manage` nor `user:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such role in the company", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn get_role(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<RoleView> {
    let id = id_of(id)?;
    let role = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(service::get_role(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(role))
}

#[utoipa::path(put, path = "/api/v1/roles/{id}", tag = "administration", params(("id" = Uuid, Path)), request_body = RoleInput,
    description = "Changes a custom role's name, description and grants (the whole list); holders have the new grants at their next request. System roles are copied, not changed.",
    responses((status = 200, body = super::Envelope<RoleView>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `role:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such role in the company", body = super::ErrorEnvelope),
              (status = 409, description = "CONFLICT: the name is taken (`name`)", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR as on creation; INVALID_STATE: a system role, or the company would be left without an active user holding `user:manage` and `role:manage`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_role(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
    ApiJson(body): ApiJson<RoleInput>,
) -> ApiResult<RoleView> {
    let id = id_of(id)?;
    let role = run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(service::update_role(tx, state, ctx, id, body))
    })
    .await?;
    Ok(Ctx(ctx).ok(role))
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    /// always true
    pub deleted: bool,
}

#[utoipa::path(delete, path = "/api/v1/roles/{id}", tag = "administration", params(("id" = Uuid, Path)),
    description = "Deletes a custom role that nobody holds.",
    responses((status = 200, body = super::Envelope<Deleted>),
              (status = 403, description = "FORBIDDEN: the caller does not hold `role:manage`", body = super::ErrorEnvelope),
              (status = 404, description = "NOT_FOUND: no such role in the company", body = super::ErrorEnvelope),
              (status = 409, description = "CONFLICT: users hold the role", body = super::ErrorEnvelope),
              (status = 422, description = "INVALID_STATE: a system role", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn delete_role(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<Deleted> {
    let id = id_of(id)?;
    run(&state, &ctx, move |tx, state, ctx| {
        Box::pin(service::delete_role(tx, state, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(Deleted { deleted: true }))
}
