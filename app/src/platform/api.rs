//! Server functions of the platform slice: thin wrappers that authenticate and call the service.
use crate::error::AppError;
use crate::platform::model::{ApiTokenView, NewApiToken, SessionUser};
use leptos::prelude::*;
use uuid::Uuid;

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/sfn", endpoint = "session_user", input = server_fn::codec::GetUrl)]
pub async fn get_session_user() -> Result<Option<SessionUser>, AppError> {
    let ctx = crate::platform::context::request_ctx()?;
    Ok(ctx.principal.map(|p| p.user))
}

#[server(prefix = "/sfn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::platform::{context, service};
    if new_password != confirm_password {
        return crate::platform::context::respond(Err(AppError::field(
            "confirm_password",
            crate::error::FieldError::Mismatch,
        )));
    }
    let state = context::app_state()?;
    let ctx = context::request_ctx()?;
    let session = context::request_session().ok();
    context::respond(
        service::change_password(
            &state,
            &ctx,
            session.as_ref(),
            service::PasswordChange {
                current_password,
                new_password,
            },
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "list_tokens", input = server_fn::codec::GetUrl)]
pub async fn list_tokens() -> Result<Vec<ApiTokenView>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::platform::service::list_tokens(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "create_token")]
pub async fn create_token(
    name: String,
    expires_on: Option<String>,
) -> Result<NewApiToken, AppError> {
    use crate::error::FieldError;
    use crate::platform::{context, service};
    let expires_at = match expires_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => {
            let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::field("expires_on", FieldError::Invalid))?;
            let end = date
                .and_hms_opt(23, 59, 59)
                .ok_or(AppError::field("expires_on", FieldError::Invalid))?;
            Some(end.and_utc())
        }
    };
    let input = service::TokenInput { name, expires_at };
    context::respond(
        crate::platform::tx::serve(|tx, _, ctx| Box::pin(service::create_token(tx, ctx, input)))
            .await
            .map_err(|e| match e {
                AppError::Validation(mut f) => {
                    if let Some(v) = f.remove("expires_at") {
                        f.insert("expires_on".into(), v);
                    }
                    AppError::Validation(f)
                }
                other => other,
            }),
    )
}

#[server(prefix = "/sfn", endpoint = "revoke_token")]
pub async fn revoke_token(id: Uuid) -> Result<(), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::platform::service::revoke_token(tx, ctx, id))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "notifications", input = server_fn::codec::GetUrl)]
pub async fn get_notifications() -> Result<crate::platform::notifications::Inbox, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::platform::notifications::service::inbox(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(id: Option<Uuid>) -> Result<i64, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::platform::notifications::service::mark_read(
            tx, ctx, id,
        ))
    })
    .await
}

/// The caller's two-factor sign-in state.
#[server(prefix = "/sfn", endpoint = "totp_status", input = server_fn::codec::GetUrl)]
pub async fn totp_status() -> Result<crate::platform::totp::TotpStatus, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(crate::platform::two_factor::status(tx, ctx)))
        .await
}

/// Starts enrolment: the secret and its QR code (not active until confirmed).
#[server(prefix = "/sfn", endpoint = "totp_setup")]
pub async fn totp_setup() -> Result<crate::platform::totp::TotpSetup, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(crate::platform::two_factor::setup(tx, ctx)))
        .await
}

/// Confirms enrolment with a first code; the recovery codes, shown once.
#[server(prefix = "/sfn", endpoint = "totp_enable")]
pub async fn totp_enable(code: String) -> Result<crate::platform::totp::RecoveryCodes, AppError> {
    crate::platform::tx::serve(|tx, state, ctx| {
        Box::pin(async move { crate::platform::two_factor::enable(tx, state, ctx, &code).await })
    })
    .await
}

/// Turns two-factor sign-in off with the password and a code.
#[server(prefix = "/sfn", endpoint = "totp_disable")]
pub async fn totp_disable(password: String, code: String) -> Result<(), AppError> {
    let input = crate::platform::two_factor::DisableInput { password, code };
    crate::platform::tx::serve(|tx, state, ctx| {
        Box::pin(crate::platform::two_factor::disable(tx, state, ctx, input))
    })
    .await
}
