//! `/api/v1/auth`: login, logout, the caller, their language and password, and API tokens.
use super::{ApiError, ApiJson, ApiQuery, ApiResult, Ctx, PageQuery, Pagination};
use app::error::AppError;
use app::platform::context::AppState;
use app::platform::model::SessionUser;
use app::platform::service;
use app::platform::tx::run;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::Router;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/auth/me/language", put(set_language))
        .route("/auth/me/password", put(change_password))
        .route("/auth/tokens", post(create_token).get(list_tokens))
        .route("/auth/tokens/{id}", delete(revoke_token))
        .route("/auth/totp/setup", post(totp_setup))
        .route("/auth/totp/enable", post(totp_enable))
        .route("/auth/totp/disable", post(totp_disable))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    /// The company code (tenant slug), e.g. `demo`
    pub tenant: String,
    pub username: String,
    pub password: String,
    /// For a user with two-factor sign-in on: the 6-digit code from the authenticator app, or
    /// one of the recovery codes (each works once)
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GrantDto {
    /// `resource:action`
    pub permission: String,
    /// own, department, plant or all
    pub scope: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// en, hi, bn, te or ar
    pub language: String,
    pub roles: Vec<String>,
    pub permissions: Vec<GrantDto>,
    pub plant: Option<String>,
    /// Signs in with a second factor (TOTP)
    pub totp_enabled: bool,
    /// The company requires a second factor for one of the user's roles and the user has none
    /// yet: until they enrol (`/api/v1/auth/totp/setup`, `/enable`), everything else answers 403
    /// `TOTP_ENROLMENT_REQUIRED`
    pub totp_enrolment_required: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TenantDto {
    pub slug: String,
    pub name: String,
    /// ISO 4217
    pub currency: String,
    pub default_language: String,
    pub timezone: String,
    /// western (1,234,567.00) or indian (12,34,567.00)
    pub number_format: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    pub user: UserDto,
    pub tenant: TenantDto,
}

impl From<SessionUser> for MeDto {
    fn from(u: SessionUser) -> Self {
        MeDto {
            tenant: TenantDto {
                slug: u.tenant.slug,
                name: u.tenant.name,
                currency: u.tenant.currency.to_string(),
                default_language: u.tenant.default_language,
                timezone: u.tenant.timezone,
                number_format: match u.tenant.number_format {
                    app::format::Grouping::Indian => "indian".into(),
                    app::format::Grouping::Western => "western".into(),
                },
            },
            user: UserDto {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                email: u.email,
                language: u.language,
                roles: u.roles,
                permissions: u
                    .grants
                    .into_iter()
                    .map(|g| GrantDto {
                        permission: g.permission,
                        scope: g.scope.as_str().to_string(),
                    })
                    .collect(),
                plant: u.plant,
                totp_enabled: u.totp_enabled,
                totp_enrolment_required: u.totp_enrolment_required,
            },
        }
    }
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    description = "Signs in with company code, user name and password and sets the session cookie (HttpOnly, SameSite=Lax). \
        A user with two-factor sign-in on also sends `totp`: a current code from the authenticator app (each code is accepted once; \
        one 30-second step of clock skew either way is accepted) or one of the recovery codes (each works once). \
        Five wrong passwords or codes in a row lock the account for 15 minutes. Rate-limited per IP.",
    responses(
        (status = 200, body = super::Envelope<MeDto>),
        (status = 401, description = "INVALID_CREDENTIALS; ACCOUNT_LOCKED; TOTP_REQUIRED: the password is right and the user signs in with a second factor, but no `totp` was sent; INVALID_TOTP: a wrong, replayed or used code (counts toward the lockout)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: the company code, user name or password is empty", body = super::ErrorEnvelope),
        (status = 429, description = "RATE_LIMITED", body = super::ErrorEnvelope),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    session: Session,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<MeDto> {
    let input = service::LoginInput {
        tenant: body.tenant,
        username: body.username,
        password: body.password,
        totp: body.totp,
    };
    let user = service::login(&state, &ctx, &session, input).await?;
    Ok(Ctx(ctx).ok(user.into()))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 200, body = super::Envelope<Option<String>>)))]
pub async fn logout(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    session: Session,
) -> ApiResult<Option<String>> {
    service::logout(&state, &ctx, &session).await?;
    Ok(Ctx(ctx).ok(None))
}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses(
        (status = 200, body = super::Envelope<MeDto>),
        (status = 401, description = "UNAUTHENTICATED", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn me(Ctx(ctx): Ctx) -> ApiResult<MeDto> {
    let user = ctx.principal()?.user.clone();
    Ok(Ctx(ctx).ok(user.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct LanguageBody {
    #[schema(inline, value_type = Language)]
    pub language: String,
}

/// The languages of the interface, messages and documents.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum Language {
    En,
    Hi,
    Bn,
    Te,
    Ar,
}

#[utoipa::path(put, path = "/api/v1/auth/me/language", tag = "auth", request_body = LanguageBody,
    responses(
        (status = 200, description = "The user, now in that language", body = super::Envelope<MeDto>),
        (status = 401, body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: unknown language", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn set_language(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<LanguageBody>,
) -> ApiResult<MeDto> {
    ctx.principal()?;
    let user = run(&state, &ctx, |tx, state, ctx| {
        Box::pin(async move { service::set_language(tx, state, ctx, &body.language).await })
    })
    .await?;
    let mut ctx = ctx;
    ctx.locale = user.language.parse().unwrap_or(ctx.locale);
    Ok(Ctx(ctx).ok(user.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordBody {
    pub current_password: String,
    /// At least 12 characters, not the user name
    pub new_password: String,
}

#[utoipa::path(put, path = "/api/v1/auth/me/password", tag = "auth", request_body = PasswordBody,
    responses(
        (status = 200, body = super::Envelope<Option<String>>),
        (status = 401, body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: wrong current password or a weak new one", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    session: Session,
    ApiJson(body): ApiJson<PasswordBody>,
) -> ApiResult<Option<String>> {
    let input = service::PasswordChange {
        current_password: body.current_password,
        new_password: body.new_password,
    };
    service::change_password(&state, &ctx, Some(&session), input).await?;
    Ok(Ctx(ctx).ok(None))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenBody {
    /// Not blank; at most 100 characters
    #[schema(min_length = 1)]
    pub name: String,
    /// RFC 3339; the token stops working then
    #[serde(default)]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenDto {
    pub id: Uuid,
    /// Shown once: send it as `Authorization: Bearer <token>`
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", request_body = TokenBody,
    responses(
        (status = 201, body = super::Envelope<NewTokenDto>),
        (status = 401, body = super::ErrorEnvelope),
        (status = 422, body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<NewTokenDto> {
    let input = service::TokenInput {
        name: body.name,
        expires_at: body.expires_at,
    };
    let t = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::create_token(tx, ctx, input))
    })
    .await?;
    Ok(Ctx(ctx).ok_with(
        StatusCode::CREATED,
        NewTokenDto {
            id: t.id,
            token: t.token,
        },
        "",
    ))
}

#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: Uuid,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenDto>,
    pub pagination: Pagination,
}

#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth", params(PageQuery),
    description = "The caller's own tokens, newest first (the secret is never shown again).",
    responses((status = 200, body = super::Envelope<TokenList>), (status = 401, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<TokenList> {
    let (page, per_page) = query.resolve()?;
    let all = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::list_tokens(tx, ctx))
    })
    .await?;
    let total = all.len() as u64;
    let tokens = all
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(|t| TokenDto {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            last_used_at: t.last_used_at,
        })
        .collect();
    Ok(Ctx(ctx).ok(TokenList {
        tokens,
        pagination: Pagination::new(page, per_page, total),
    }))
}

#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "auth",
    params(("id" = Uuid, Path, description = "token id")),
    responses(
        (status = 200, body = super::Envelope<Option<String>>),
        (status = 401, body = super::ErrorEnvelope),
        (status = 404, description = "Not one of the caller's tokens", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    id: Result<Path<Uuid>, axum::extract::rejection::PathRejection>,
) -> ApiResult<Option<String>> {
    let Path(id) = id.map_err(|_| ApiError(AppError::NotFound))?;
    run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::revoke_token(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(None))
}

#[derive(Serialize, ToSchema)]
pub struct TotpSetupDto {
    /// The key in base32, to type into an authenticator app
    pub secret: String,
    /// `otpauth://totp/Millwright:<user>@<company>?secret=…&issuer=Millwright&algorithm=SHA1&digits=6&period=30`
    pub otpauth_uri: String,
    /// The QR code of `otpauth_uri`, an SVG document
    pub qr_svg: String,
}

#[utoipa::path(post, path = "/api/v1/auth/totp/setup", tag = "auth",
    description = "Starts enrolment in two-factor sign-in: a new secret (HMAC-SHA-1, 6 digits, 30 seconds), not active until \
        `/api/v1/auth/totp/enable` confirms a first code; a set-up not yet confirmed is replaced. Signed-in browser sessions only.",
    responses(
        (status = 200, body = super::Envelope<TotpSetupDto>),
        (status = 403, description = "FORBIDDEN: called with an API token (enrolment is done signed in, in a browser)", body = super::ErrorEnvelope),
        (status = 422, description = "INVALID_STATE: two-factor sign-in is already on", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn totp_setup(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<TotpSetupDto> {
    let setup = run(&state, &ctx, |tx, _, ctx| {
        Box::pin(app::platform::two_factor::setup(tx, ctx))
    })
    .await?;
    Ok(Ctx(ctx).ok(TotpSetupDto {
        secret: setup.secret,
        otpauth_uri: setup.otpauth_uri,
        qr_svg: setup.qr_svg,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct TotpEnableBody {
    /// The current 6-digit code from the authenticator app
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryCodesDto {
    /// Ten codes (`xxxx-xxxx-xxxx-xxxx`), each usable once in place of a code; shown this once
    #[schema(min_items = 10, max_items = 10)]
    pub recovery_codes: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/auth/totp/enable", tag = "auth", request_body = TotpEnableBody,
    description = "Turns two-factor sign-in on with a first code from the app and answers ten recovery codes, shown this once \
        (only their hashes are kept).",
    responses(
        (status = 200, body = super::Envelope<RecoveryCodesDto>),
        (status = 403, description = "FORBIDDEN: called with an API token", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `code` is missing or not the app's current code; INVALID_STATE: no set-up under way (POST /api/v1/auth/totp/setup first), or already on", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn totp_enable(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<TotpEnableBody>,
) -> ApiResult<RecoveryCodesDto> {
    let codes = run(&state, &ctx, |tx, state, ctx| {
        Box::pin(async move { app::platform::two_factor::enable(tx, state, ctx, &body.code).await })
    })
    .await?;
    Ok(Ctx(ctx).ok(RecoveryCodesDto {
        recovery_codes: codes.codes,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct TotpDisableBody {
    pub password: String,
    /// A current code from the app, or an unused recovery code
    pub code: String,
}

#[utoipa::path(post, path = "/api/v1/auth/totp/disable", tag = "auth", request_body = TotpDisableBody,
    description = "Turns two-factor sign-in off; the secret and the recovery codes are deleted. If the company requires a second \
        factor for one of the caller's roles, they are sent to enrolment again.",
    responses(
        (status = 200, body = super::Envelope<Option<String>>),
        (status = 403, description = "FORBIDDEN: called with an API token", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `password` wrong or missing, `code` not valid or missing; INVALID_STATE: two-factor sign-in is not on", body = super::ErrorEnvelope),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn totp_disable(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<TotpDisableBody>,
) -> ApiResult<Option<String>> {
    let input = app::platform::two_factor::DisableInput {
        password: body.password,
        code: body.code,
    };
    run(&state, &ctx, |tx, state, ctx| {
        Box::pin(app::platform::two_factor::disable(tx, state, ctx, input))
    })
    .await?;
    Ok(Ctx(ctx).ok(None))
}
