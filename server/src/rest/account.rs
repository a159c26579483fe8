//! `/api/v1/auth/password-reset`, `/auth/sessions` and an administrator's
//! `/users/{id}/end-sessions`: a way back in after a forgotten password, and where one is signed in.
use super::{id_of, ApiJson, ApiQuery, ApiResult, Ctx, IdPath, PageQuery, Pagination};
use app::platform::context::AppState;
use app::platform::tx::run;
use app::platform::{password_reset, sessions};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/password-reset", post(request_reset))
        .route("/auth/password-reset/confirm", post(confirm_reset))
        .route("/auth/sessions", get(list_sessions))
        .route("/auth/sessions/{id}", delete(end_session))
        .route("/users/{id}/end-sessions", post(end_user_sessions))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequestBody {
    /// The company code
    pub tenant: String,
    /// The user name, or the e-mail address (every active user with that address gets a link)
    pub login: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequestBody,
    description = "Asks for a password reset link. The answer is 202 and takes the same time whether or not the company and \
        the account exist (the link is made afterwards). When they do, the user gets an e-mail in their language with a link \
        `…/password-reset?token=…`, valid one hour and usable once. Rate-limited per IP.",
    responses(
        (status = 202, description = "Accepted: a link is sent if the account exists", body = super::Envelope<Option<String>>),
        (status = 422, description = "VALIDATION_ERROR: `tenant` or `login` is blank", body = super::ErrorEnvelope),
        (status = 429, description = "RATE_LIMITED", body = super::ErrorEnvelope),
    ))]
pub async fn request_reset(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ResetRequestBody>,
) -> ApiResult<Option<String>> {
    let input = password_reset::ResetRequest {
        tenant: body.tenant,
        login: body.login,
    };
    password_reset::request(&state, &ctx, input).await?;
    Ok(Ctx(ctx).ok_with(StatusCode::ACCEPTED, None, ""))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetConfirmBody {
    /// The `token` of the e-mailed link (a password reset's or an invitation's)
    pub token: String,
    /// At least 12 characters, not the user name
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct ResetDoneDto {
    /// The company code to sign in with
    pub tenant: String,
    pub username: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirmBody,
    description = "Chooses the password with a reset link's token, or an invitation's (the invited user's first password). \
        The link is used up, failed sign-ins and a lock are cleared, and every session of the user ends. Nobody is signed in: \
        sign in with the new password.",
    responses(
        (status = 200, body = super::Envelope<ResetDoneDto>),
        (status = 422, description = "INVALID_STATE: the token is unknown, used or expired; VALIDATION_ERROR: a weak `new_password` (the link stays usable)", body = super::ErrorEnvelope),
    ))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ResetConfirmBody>,
) -> ApiResult<ResetDoneDto> {
    let done = password_reset::confirm(&state, &ctx, &body.token, body.new_password).await?;
    Ok(Ctx(ctx).ok(ResetDoneDto {
        tenant: done.tenant,
        username: done.username,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SessionDto {
    pub id: Uuid,
    /// When it signed in
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Within a minute
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session this request came with
    pub current: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionDto>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", params(PageQuery),
    description = "The caller's signed-in browser sessions, the most recently seen first (API tokens are listed under \
        /api/v1/auth/tokens).",
    responses((status = 200, body = super::Envelope<SessionList>), (status = 401, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_sessions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    session: Session,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<SessionList> {
    let (page, per_page) = query.resolve()?;
    let current = session.id();
    let all = run(&state, &ctx, |tx, state, ctx| {
        Box::pin(sessions::list(tx, state, ctx, current))
    })
    .await?;
    let total = all.len() as u64;
    let rows = all
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(|s| SessionDto {
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            ip: s.ip,
            user_agent: s.user_agent,
            current: s.current,
        })
        .collect();
    Ok(Ctx(ctx).ok(SessionList {
        sessions: rows,
        pagination: Pagination::new(page, per_page, total),
    }))
}

#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth",
    params(("id" = Uuid, Path, description = "session id, as listed")),
    description = "Ends one of the caller's other sessions: its cookie stops working at once, on every server.",
    responses(
        (status = 200, body = super::Envelope<Option<String>>),
        (status = 401, body = super::ErrorEnvelope),
        (status = 404, description = "Not one of the caller's sessions", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: the session of this request (sign out to end it)", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn end_session(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    session: Session,
    id: IdPath,
) -> ApiResult<Option<String>> {
    let id = id_of(id)?;
    let current = session.id();
    run(&state, &ctx, |tx, state, ctx| {
        Box::pin(sessions::end_one(tx, state, ctx, id, current))
    })
    .await?;
    Ok(Ctx(ctx).ok(None))
}

#[derive(Serialize, ToSchema)]
pub struct EndedDto {
    /// How many sessions were ended
    pub ended: u64,
}

#[utoipa::path(post, path = "/api/v1/users/{id}/end-sessions", tag = "administration",
    params(("id" = Uuid, Path, description = "user id")),
    description = "An administrator ends every signed-in session of a user of the company (permission `user:manage`): \
        their cookies stop working at once, on every server. Their API tokens are not revoked.",
    responses(
        (status = 200, body = super::Envelope<EndedDto>),
        (status = 401, body = super::ErrorEnvelope),
        (status = 403, description = "FORBIDDEN: without `user:manage`", body = super::ErrorEnvelope),
        (status = 404, description = "No such user in the company", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn end_user_sessions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: IdPath,
) -> ApiResult<EndedDto> {
    let id = id_of(id)?;
    let ended = run(&state, &ctx, |tx, state, ctx| {
        Box::pin(sessions::end_all_of_user(tx, state, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(EndedDto {
        ended: ended as u64,
    }))
}
