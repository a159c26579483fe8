//! `/api/v1/signup`: a company signs itself up (public while sign-up is open).
use super::auth::MeDto;
use super::{ApiJson, ApiResult, Ctx};
use app::platform::context::AppState;
use app::platform::onboarding::{self, FirstAdmin, SignUp};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use tower_sessions::Session;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new().route("/signup", post(signup))
}

#[derive(Deserialize, ToSchema)]
pub struct SignUpBody {
    pub company_name: String,
    /// The company code users type at sign-in: `^[a-z][a-z0-9-]{1,30}$`, unique
    #[schema(pattern = "^[a-z][a-z0-9-]{1,30}$")]
    pub slug: String,
    /// ISO 4217: INR, USD, EUR, GBP, AED, SAR, BDT, SGD, JPY, AUD, CAD, CHF, CNY, LKR, NPR or ZAR
    pub currency: String,
    /// An IANA time zone, e.g. `Asia/Kolkata`
    pub time_zone: String,
    /// en, hi, bn, te or ar
    pub default_language: String,
    pub admin: AdminBody,
}

#[derive(Deserialize, ToSchema)]
pub struct AdminBody {
    /// 2–64 of a-z, 0-9, `.`, `_`, `-`
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// At least 12 characters, not the user name
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/signup", tag = "administration", request_body = SignUpBody,
    description = "Creates a tenant with its first administrator, who is signed in at once (the session cookie is set): \
        the system roles, the default approval rules, a first plant, department, cost centre and warehouse. \
        An e-mail with a link verifies the administrator's address; an unverified tenant works for 7 days. \
        Public while sign-up is open (`MILLWRIGHT_SIGNUP`); rate-limited per IP like sign-in.",
    responses(
        (status = 201, body = super::Envelope<MeDto>),
        (status = 403, description = "FORBIDDEN: sign-up is closed on this server", body = super::ErrorEnvelope),
        (status = 409, description = "CONFLICT: the company code is taken (details name `slug`)", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: details map each bad field (`admin.password`, `slug`, …)", body = super::ErrorEnvelope),
        (status = 429, description = "RATE_LIMITED", body = super::ErrorEnvelope),
    ))]
pub async fn signup(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    session: Session,
    ApiJson(body): ApiJson<SignUpBody>,
) -> ApiResult<MeDto> {
    let input = SignUp {
        company_name: body.company_name,
        slug: body.slug,
        currency: body.currency,
        time_zone: body.time_zone,
        default_language: body.default_language,
        admin: FirstAdmin {
            username: body.admin.username,
            display_name: body.admin.display_name,
            email: body.admin.email,
            password: body.admin.password,
        },
    };
    let user = onboarding::sign_up(&state, &ctx, &session, input).await?;
    Ok(Ctx(ctx).ok_with(StatusCode::CREATED, user.into(), ""))
}
