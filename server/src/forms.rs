//! HTML form endpoints of the UI (sign in, sign out, language), so those work with JavaScript off.
//! They call the same services as the REST API and answer with redirects.
use crate::middleware::LOCALE_COOKIE;
use app::error::AppError;
use app::platform::context::{AppState, RequestCtx};
use app::platform::service;
use app::platform::two_factor;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    session: Session,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return Redirect::to("/login?error=BAD_REQUEST").into_response();
    };
    let back = |e: AppError, f: &LoginForm| {
        let code = match e {
            AppError::Validation(_) => "INVALID_CREDENTIALS",
            other => other.code(),
        };
        Redirect::to(&format!(
            "/login?error={code}&tenant={}&username={}",
            app::format::url_encode(&f.tenant),
            app::format::url_encode(&f.username)
        ))
        .into_response()
    };
    let input = service::LoginInput {
        tenant: form.tenant.clone(),
        username: form.username.clone(),
        password: form.password.clone(),
        totp: None,
    };
    match service::login_first_step(&state, &ctx, &session, input).await {
        Ok(user) => Redirect::to(after_login(&user)).into_response(),
        // the password was right: the code is asked next, the password not again
        Err(AppError::TotpRequired) => Redirect::to("/login?step=totp").into_response(),
        Err(e) => back(e, &form),
    }
}

/// Where a sign-in lands: enrolment first when the company requires a second factor the user has
/// not set up.
fn after_login(user: &app::platform::model::SessionUser) -> &'static str {
    if user.totp_enrolment_required {
        two_factor::ENROL_PAGE
    } else {
        "/"
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    /// `recovery` when the form asked for a recovery code
    #[serde(default)]
    mode: String,
}

/// The sign-in form's second step: the code for the password accepted just before in this
/// session. A wrong code comes back to the same step; a lockout or an expired step to the start.
pub async fn login_code(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    session: Session,
    form: Result<Form<CodeForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return Redirect::to("/login?step=totp&error=INVALID_TOTP").into_response();
    };
    match service::login_second_step(&state, &ctx, &session, &form.code).await {
        Ok(user) => Redirect::to(after_login(&user)).into_response(),
        Err(e @ AppError::InvalidTotp) => {
            let recovery = if form.mode == "recovery" {
                "&mode=recovery"
            } else {
                ""
            };
            Redirect::to(&format!("/login?step=totp&error={}{recovery}", e.code())).into_response()
        }
        Err(e) => Redirect::to(&format!("/login?error={}", e.code())).into_response(),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    session: Session,
) -> Response {
    match service::logout(&state, &ctx, &session).await {
        Ok(()) => Redirect::to("/login").into_response(),
        Err(e) => Redirect::to(&format!("/?error={}", e.code())).into_response(),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// Where to go back to: the path of the referring page of this site, never another site.
fn back_to(headers: &HeaderMap) -> String {
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into())
}

pub async fn language(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    headers: HeaderMap,
    form: Result<Form<LanguageForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let target = back_to(&headers);
    let code = match form
        .ok()
        .map(|Form(f)| f.language)
        .as_deref()
        .map(service::validate_language)
    {
        Some(Ok(code)) => code,
        _ => return Redirect::to(&target).into_response(),
    };
    if ctx.principal.is_some() {
        let change = app::platform::tx::run(&state, &ctx, |tx, state, ctx| {
            Box::pin(async move { service::set_language(tx, state, ctx, code).await })
        });
        if let Err(e) = change.await {
            tracing::warn!(error = %e, "language change failed");
        }
    }
    let mut res = Redirect::to(&target).into_response();
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LOCALE_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax{secure}"
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The attachment form of the requisition page (works without JavaScript): back to the page,
/// with `attached=1` or `upload_error=CODE[&field=…]` for the page to show a translated message.
pub async fn attach(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    path: Result<axum::extract::Path<uuid::Uuid>, axum::extract::rejection::PathRejection>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(axum::extract::Path(doc)) = path else {
        return Redirect::to("/procurement/requisitions").into_response();
    };
    let page = format!("/procurement/requisitions/{doc}");
    if ctx.principal().is_err() {
        return Redirect::to(&format!("/login?next={}", app::format::url_encode(&page)))
            .into_response();
    }
    match crate::rest::attachments::attach(&state, &ctx, doc, multipart).await {
        Ok(_) => Redirect::to(&format!("{page}?attached=1#attachments")).into_response(),
        Err(e) => Redirect::to(&format!("{page}?{}#attachments", upload_error(&e))).into_response(),
    }
}

fn upload_error(e: &AppError) -> String {
    match e {
        AppError::Validation(fields) => match fields.iter().next() {
            Some((field, err)) => format!(
                "upload_error=VALIDATION_ERROR&field={}&reason={}",
                app::format::url_encode(field),
                app::format::url_encode(&err.code())
            ),
            None => "upload_error=VALIDATION_ERROR".into(),
        },
        other => format!("upload_error={}", other.code()),
    }
}

pub async fn detach(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    path: Result<
        axum::extract::Path<(uuid::Uuid, uuid::Uuid)>,
        axum::extract::rejection::PathRejection,
    >,
) -> Response {
    let Ok(axum::extract::Path((doc, id))) = path else {
        return Redirect::to("/procurement/requisitions").into_response();
    };
    let page = format!("/procurement/requisitions/{doc}");
    let removed = app::platform::tx::run(&state, &ctx, |tx, state, ctx| {
        Box::pin(app::procurement::service::attachments::remove(
            tx, state, ctx, doc, id,
        ))
    });
    match removed.await {
        Ok(()) => Redirect::to(&format!("{page}#attachments")).into_response(),
        Err(e) => Redirect::to(&format!("{page}?{}#attachments", upload_error(&e))).into_response(),
    }
}

/// The supplier's-document form of the supplier invoice page (works without JavaScript), as the
/// requisition page's: back to the page with `attached=1` or `upload_error=CODE[&field=…]`.
pub async fn attach_invoice_file(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    path: Result<axum::extract::Path<uuid::Uuid>, axum::extract::rejection::PathRejection>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(axum::extract::Path(doc)) = path else {
        return Redirect::to("/finance/invoices").into_response();
    };
    let page = format!("/finance/invoices/{doc}");
    if ctx.principal().is_err() {
        return Redirect::to(&format!("/login?next={}", app::format::url_encode(&page)))
            .into_response();
    }
    match crate::rest::invoice_files::attach(&state, &ctx, doc, multipart).await {
        Ok(_) => Redirect::to(&format!("{page}?attached=1#attachments")).into_response(),
        Err(e) => Redirect::to(&format!("{page}?{}#attachments", upload_error(&e))).into_response(),
    }
}

pub async fn detach_invoice_file(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    path: Result<
        axum::extract::Path<(uuid::Uuid, uuid::Uuid)>,
        axum::extract::rejection::PathRejection,
    >,
) -> Response {
    let Ok(axum::extract::Path((doc, id))) = path else {
        return Redirect::to("/finance/invoices").into_response();
    };
    let page = format!("/finance/invoices/{doc}");
    let removed = app::platform::tx::run(&state, &ctx, |tx, state, ctx| {
        Box::pin(app::finance::service::invoice_files::remove(
            tx, state, ctx, doc, id,
        ))
    });
    match removed.await {
        Ok(()) => Redirect::to(&format!("{page}#attachments")).into_response(),
        Err(e) => Redirect::to(&format!("{page}?{}#attachments", upload_error(&e))).into_response(),
    }
}

/// The import form (works without JavaScript): to the job's progress page, or back to the form
/// with `error=CODE`.
pub async fn import(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    req: axum::extract::Request,
) -> Response {
    if ctx.principal().is_err() {
        return Redirect::to("/login?next=%2Finventory%2Fimport").into_response();
    }
    match crate::rest::inventory::receive_import(&state, &ctx, req).await {
        Ok(job) => {
            // a small file is done in milliseconds: show its outcome rather than a moment of "running"
            for _ in 0..20 {
                let job_id = job.id;
                let read = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
                    Box::pin(app::inventory::service::import::get(tx, ctx, job_id))
                });
                match read.await {
                    Ok(j) if j.status == "succeeded" || j.status == "failed" => break,
                    _ => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
                }
            }
            Redirect::to(&format!("/inventory/import/{}", job.id)).into_response()
        }
        Err(e) => Redirect::to(&format!("/inventory/import?error={}", e.code())).into_response(),
    }
}

/// The sign-up form's fields (named as the page's inputs).
#[derive(Deserialize, Default)]
pub struct SignUpForm {
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    default_language: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// A company signs itself up from the page; the new administrator lands on the home page signed
/// in. A refusal goes back to the form with what was typed (never the password), the error's code
/// and each bad field's code.
pub async fn signup(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    session: Session,
    form: Result<Form<SignUpForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return Redirect::to("/signup?error=BAD_REQUEST").into_response();
    };
    let input = app::platform::onboarding::SignUp {
        company_name: f.company_name.clone(),
        slug: f.slug.clone(),
        currency: f.currency.clone(),
        time_zone: f.time_zone.clone(),
        default_language: f.default_language.clone(),
        admin: app::platform::onboarding::FirstAdmin {
            username: f.username.clone(),
            display_name: f.display_name.clone(),
            email: f.email.clone(),
            password: f.password.clone(),
        },
    };
    match app::platform::onboarding::sign_up(&state, &ctx, &session, input).await {
        // the new administrator goes on to the setup wizard
        Ok(_) => Redirect::to("/setup").into_response(),
        Err(e) => {
            use app::format::url_encode as enc;
            let mut to = format!(
                "/signup?error={}&company_name={}&slug={}&currency={}&time_zone={}&default_language={}&username={}&display_name={}&email={}",
                e.code(),
                enc(&f.company_name),
                enc(&f.slug),
                enc(&f.currency),
                enc(&f.time_zone),
                enc(&f.default_language),
                enc(&f.username),
                enc(&f.display_name),
                enc(&f.email)
            );
            let fields: Vec<(String, String)> = match &e {
                AppError::Validation(map) => map
                    .iter()
                    .map(|(k, v)| (k.replace("admin.", ""), v.code()))
                    .collect(),
                AppError::Taken(field) => vec![(field.clone(), "duplicate".into())],
                _ => Vec::new(),
            };
            for (field, code) in fields {
                to.push_str(&format!("&bad_{}={}", enc(&field), enc(&code)));
            }
            Redirect::to(&to).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    token: String,
}

/// The link in the sign-up e-mail: verifies the tenant's address once, then shows the home page
/// (or the sign-in page) with the outcome.
pub async fn verify_email(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    query: Result<axum::extract::Query<VerifyQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let token = query.map(|q| q.0.token).unwrap_or_default();
    let outcome = app::platform::onboarding::verify_email(&state.pool, &token).await;
    let place = if ctx.principal.is_some() {
        "/"
    } else {
        "/login"
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("{place}?notice=email_verified")).into_response(),
        Err(e) => {
            tracing::info!(error = %e, "e-mail verification refused");
            Redirect::to(&format!("{place}?notice=email_verify_failed")).into_response()
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ResetRequestForm {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    login: String,
}

/// The "forgot password" form: back to the page saying a link is on its way (the same whether
/// or not the account exists), or with the error (a blank field, too many requests).
pub async fn password_reset(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    form: Result<Form<ResetRequestForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return Redirect::to("/password-reset?error=BAD_REQUEST").into_response();
    };
    let input = app::platform::password_reset::ResetRequest {
        tenant: f.tenant.clone(),
        login: f.login.clone(),
    };
    match app::platform::password_reset::request(&state, &ctx, input).await {
        Ok(()) => Redirect::to("/password-reset?sent=1").into_response(),
        Err(e) => Redirect::to(&format!(
            "/password-reset?error={}&tenant={}&login={}",
            e.code(),
            app::format::url_encode(&f.tenant),
            app::format::url_encode(&f.login)
        ))
        .into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct ResetConfirmForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// The link's page chooses the password: to the sign-in page with the company code and user
/// name filled in, or back to the page with the error and the bad field's code.
pub async fn password_reset_confirm(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    form: Result<Form<ResetConfirmForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    use app::format::url_encode as enc;
    let Ok(Form(f)) = form else {
        return Redirect::to("/password-reset?error=BAD_REQUEST").into_response();
    };
    let back = |e: &AppError| {
        let mut to = format!("/password-reset?token={}&error={}", enc(&f.token), e.code());
        if let AppError::Validation(map) = e {
            for (field, err) in map {
                to.push_str(&format!("&bad_{}={}", enc(field), enc(&err.code())));
            }
        }
        Redirect::to(&to).into_response()
    };
    if f.new_password != f.confirm_password {
        return back(&AppError::field(
            "confirm_password",
            app::error::FieldError::Mismatch,
        ));
    }
    match app::platform::password_reset::confirm(&state, &ctx, &f.token, f.new_password.clone())
        .await
    {
        Ok(done) => Redirect::to(&format!(
            "/login?notice=password_set&tenant={}&username={}",
            enc(&done.tenant),
            enc(&done.username)
        ))
        .into_response(),
        Err(e) => back(&e),
    }
}
