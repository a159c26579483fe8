//! Two-factor sign-in (TOTP): enrolment, sign-in with a code accepted once, recovery codes,
//! lockout, disabling, the tenant's policy sending users to enrolment, and the sign-in form's
//! second step. Codes are computed as an authenticator app would, from the secret set-up gives.
use crate::common::*;
use app::i18n::Locale;
use app::platform::context::RequestCtx;
use app::platform::totp::{code_at, step_of};
use reqwest::Client;
use serde_json::{json, Value};

/// An app on its own database, with room for the many sign-ins of one test.
async fn spawn() -> TestApp {
    TestApp::spawn_with(|c| c.login_rate_per_minute = 1000).await
}

fn now_secs() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970")
}

/// The current 30-second time step.
fn now_step() -> u64 {
    step_of(now_secs())
}

/// The clock moves on a few steps, without the test waiting for it: the steps used so far lie
/// behind (a code is accepted once, and only for a step later than the last one used).
async fn time_passes(app: &TestApp) {
    sqlx::query("update user_totp set last_step = last_step - 3")
        .execute(&app.db.owner)
        .await
        .expect("time passes");
}

fn secret_of(setup: &Value) -> Vec<u8> {
    let b32 = setup["secret"].as_str().expect("secret");
    app::platform::totp::secret_from_base32(b32).expect("base32 secret")
}

fn code(secret: &[u8], step: u64) -> String {
    code_at(secret, step, 6)
}

/// The authenticator app's code now.
fn app_code(secret: &[u8]) -> String {
    code(secret, now_step())
}

/// A six-digit code that is the code of no step near now.
fn wrong_code(secret: &[u8]) -> String {
    let now = now_step();
    let taken: Vec<String> = (now - 3..=now + 3).map(|s| code(secret, s)).collect();
    (0..)
        .map(|n| format!("{:06}", 123_456 + n))
        .find(|c| !taken.contains(c))
        .expect("a wrong code")
}

async fn login_totp(
    app: &TestApp,
    c: &Client,
    username: &str,
    password: &str,
    totp: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({ "tenant": "demo", "username": username, "password": password });
    if let Some(t) = totp {
        body["totp"] = json!(t);
    }
    post(c, app, "/api/v1/auth/login", body).await
}

/// Enrols the user signed in on `c`: set-up, then the app's code; the secret and the recovery
/// codes.
async fn enrol(app: &TestApp, c: &Client) -> (Vec<u8>, Vec<String>) {
    let (status, setup) = post_empty(c, app, "/api/v1/auth/totp/setup").await;
    assert_eq!(status, 200, "{setup}");
    let secret = secret_of(&setup["data"]);
    let (status, body) = post(
        c,
        app,
        "/api/v1/auth/totp/enable",
        json!({ "code": app_code(&secret) }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let codes = body["data"]["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_string())
        .collect();
    (secret, codes)
}

async fn failed_logins(app: &TestApp, username: &str) -> i32 {
    sqlx::query_scalar(
        "select u.failed_logins from users u join tenants t on t.id = u.tenant_id
          where t.slug = 'demo' and u.username = $1",
    )
    .bind(username)
    .fetch_one(&app.db.owner)
    .await
    .expect("failed_logins")
}

fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrol_then_sign_in_with_a_code_once_a_recovery_code_once_then_disable() {
    let app = spawn().await;
    let c = app.logged_in("demo", "engineer").await;
    let me = data_of(&c, &app, "/api/v1/auth/me").await;
    assert_eq!(me["user"]["totp_enabled"], false);

    // set-up: the secret as text and in a QR code, not active yet
    let (status, setup) = post_empty(&c, &app, "/api/v1/auth/totp/setup").await;
    assert_eq!(status, 200, "{setup}");
    let setup = &setup["data"];
    let secret = secret_of(setup);
    assert_eq!(secret.len(), 20);
    let uri = setup["otpauth_uri"].as_str().expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/Millwright:engineer%40demo?secret=")
            && uri.ends_with("&issuer=Millwright&algorithm=SHA1&digits=6&period=30"),
        "{uri}"
    );
    let svg = setup["qr_svg"].as_str().expect("svg");
    assert!(
        svg.starts_with("<svg") && svg.contains("</svg>"),
        "{svg:.60}"
    );
    let (status, _) = login_totp(&app, &app.client(), "engineer", PASSWORD, None).await;
    assert_eq!(status, 200, "a pending set-up asks for nothing at sign-in");

    // a wrong first code turns nothing on
    let wrong = wrong_code(&secret);
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/auth/totp/enable",
        json!({ "code": wrong }),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (422, "VALIDATION_ERROR"),
        "{body}"
    );
    assert!(body["error"]["details"]["code"].is_string(), "{body}");
    let (status, body) = post(&c, &app, "/api/v1/auth/totp/enable", json!({})).await;
    assert_eq!(status, 422, "{body}");

    // the app's code turns it on: ten recovery codes, once
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/auth/totp/enable",
        json!({ "code": app_code(&secret) }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let codes: Vec<String> = body["data"]["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(distinct.len(), 10);
    // stored as hashes only
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select code_hash from user_recovery_codes")
        .fetch_all(&app.db.owner)
        .await
        .expect("hashes");
    assert_eq!(stored.len(), 10);
    assert!(stored
        .iter()
        .all(|h| h.len() == 32 && !codes.iter().any(|c| c.as_bytes() == h.as_slice())));
    // no second set-up or enabling while on
    let (status, body) = post_empty(&c, &app, "/api/v1/auth/totp/setup").await;
    assert_eq!((status, code_of(&body)), (422, "INVALID_STATE"));
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/auth/totp/enable",
        json!({ "code": app_code(&secret) }),
    )
    .await;
    assert_eq!((status, code_of(&body)), (422, "INVALID_STATE"));
    let me = data_of(&c, &app, "/api/v1/auth/me").await;
    assert_eq!(me["user"]["totp_enabled"], true);
    // the account page says so, counts the recovery codes left and offers to turn it off
    let html = page(&c, &app, "/account/two-factor").await;
    assert!(
        html.contains("Two-factor sign-in is on.")
            && html.contains("Unused recovery codes")
            && html.contains(r#"data-testid="codes-left">10<"#)
            && html.contains("Turn off two-factor sign-in"),
        "{html}"
    );
    assert!(
        html.contains(r#"href="/account/two-factor""#),
        "the account menu leads there"
    );

    // sign-in: without a code, TOTP_REQUIRED and no session
    let other = app.client();
    let (status, body) = login_totp(&app, &other, "engineer", PASSWORD, None).await;
    assert_eq!((status, code_of(&body)), (401, "TOTP_REQUIRED"), "{body}");
    assert_eq!(get(&other, &app, "/api/v1/auth/me").await.0, 401);
    // a wrong code: INVALID_TOTP, counted toward the lockout
    let (status, body) = login_totp(&app, &other, "engineer", PASSWORD, Some(&wrong)).await;
    assert_eq!((status, code_of(&body)), (401, "INVALID_TOTP"), "{body}");
    assert_eq!(failed_logins(&app, "engineer").await, 1);
    let reason: String = sqlx::query_scalar(
        "select new_values->>'reason' from audit_log where action = 'login_failed' order by id desc limit 1",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("audit");
    assert_eq!(reason, "wrong_totp");
    // a right code with a wrong password tells nothing about the code
    time_passes(&app).await;
    let (status, body) = login_totp(
        &app,
        &other,
        "engineer",
        "wrong-password-1",
        Some(&app_code(&secret)),
    )
    .await;
    assert_eq!((status, code_of(&body)), (401, "INVALID_CREDENTIALS"));
    // the right code: signed in, the count reset
    let used = app_code(&secret);
    let (status, body) = login_totp(&app, &other, "engineer", PASSWORD, Some(&used)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&other, &app, "/api/v1/auth/me").await.0, 200);
    assert_eq!(failed_logins(&app, "engineer").await, 0);
    // the same code again, from anywhere: refused (no replay within its window)
    let (status, body) = login_totp(&app, &app.client(), "engineer", PASSWORD, Some(&used)).await;
    assert_eq!((status, code_of(&body)), (401, "INVALID_TOTP"));
    // the next step's code (the phone's clock a step ahead) is new: accepted, once
    let ahead = code(&secret, now_step() + 1);
    let (status, body) = login_totp(&app, &app.client(), "engineer", PASSWORD, Some(&ahead)).await;
    assert_eq!(status, 200, "{body}");
    // and then neither it nor the code of the step before it
    let (status, _) = login_totp(&app, &app.client(), "engineer", PASSWORD, Some(&ahead)).await;
    assert_eq!(status, 401);
    let (status, _) = login_totp(
        &app,
        &app.client(),
        "engineer",
        PASSWORD,
        Some(&app_code(&secret)),
    )
    .await;
    assert_eq!(status, 401);

    // a recovery code works once in place of a code, however it is typed
    let typed = codes[0].to_uppercase().replace('-', " ");
    let (status, body) = login_totp(&app, &app.client(), "engineer", PASSWORD, Some(&typed)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) =
        login_totp(&app, &app.client(), "engineer", PASSWORD, Some(&codes[0])).await;
    assert_eq!((status, code_of(&body)), (401, "INVALID_TOTP"));
    let login_audit: Value = sqlx::query_scalar(
        "select new_values from audit_log where action = 'login' and new_values is not null order by id desc limit 1",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("audit");
    assert_eq!(login_audit["second_factor"], "recovery_code");

    // disabling takes the password and a code; bad input changes nothing
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/auth/totp/disable",
        json!({ "password": "wrong-password-1", "code": codes[1] }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["details"]["password"].is_string(), "{body}");
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/auth/totp/disable",
        json!({ "password": PASSWORD, "code": wrong }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["details"]["code"].is_string(), "{body}");
    let (status, _) = login_totp(&app, &app.client(), "engineer", PASSWORD, None).await;
    assert_eq!(status, 401, "still on");
    // an API token may not turn it off (nor set it up)
    let (token, _) = api_token(&c, &app, "totp test").await;
    let res = app
        .bare_client()
        .post(app.url("/api/v1/auth/totp/disable"))
        .bearer_auth(&token)
        .json(&json!({ "password": PASSWORD, "code": codes[1] }))
        .send()
        .await
        .expect("disable by token");
    assert_eq!(res.status(), 403);
    // with a recovery code
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/auth/totp/disable",
        json!({ "password": PASSWORD, "code": codes[1] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let left: i64 = sqlx::query_scalar(
        "select (select count(*) from user_totp) + (select count(*) from user_recovery_codes)",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("count");
    assert_eq!(left, 0);
    let me = data_of(&c, &app, "/api/v1/auth/me").await;
    assert_eq!(me["user"]["totp_enabled"], false);
    let (status, _) = login_totp(&app, &app.client(), "engineer", PASSWORD, None).await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/auth/totp/disable",
        json!({ "password": PASSWORD, "code": app_code(&secret) }),
    )
    .await;
    assert_eq!((status, code_of(&body)), (422, "INVALID_STATE"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_codes_lock_the_account() {
    let app = spawn().await;
    let c = app.logged_in("demo", "manager").await;
    let (secret, _) = enrol(&app, &c).await;
    time_passes(&app).await;
    let wrong = wrong_code(&secret);
    for i in 1..=5 {
        let (status, body) =
            login_totp(&app, &app.client(), "manager", PASSWORD, Some(&wrong)).await;
        assert_eq!(
            (status, code_of(&body)),
            (401, "INVALID_TOTP"),
            "attempt {i}"
        );
    }
    let before: Option<i64> = sqlx::query_scalar("select last_step from user_totp")
        .fetch_one(&app.db.owner)
        .await
        .expect("last step");
    let (status, body) = login_totp(
        &app,
        &app.client(),
        "manager",
        PASSWORD,
        Some(&app_code(&secret)),
    )
    .await;
    assert_eq!((status, code_of(&body)), (401, "ACCOUNT_LOCKED"));
    // the right code was not used up by the locked attempt
    let after: Option<i64> = sqlx::query_scalar("select last_step from user_totp")
        .fetch_one(&app.db.owner)
        .await
        .expect("last step");
    assert_eq!(before, after);
}

/// The status of GET `path`, asked again for up to two seconds until it is `want` (a change
/// made in the database reaches the server's cache by NOTIFY).
async fn status_within(c: &Client, app: &TestApp, path: &str, want: u16) -> (u16, Value) {
    let mut last = (0, Value::Null);
    for _ in 0..40 {
        last = get(c, app, path).await;
        if last.0 == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_sends_holders_of_a_role_to_enrolment_administrators_included() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let engineer = app.logged_in("demo", "engineer").await;

    // the policy is set through the platform service, with the permission checked inside
    let state = server::state(app.pool.clone(), &config());
    let ctx_of = |principal| RequestCtx {
        principal,
        locale: Locale::en,
        ip: None,
        user_agent: None,
        request_id: "totp-policy".into(),
    };
    let (admin_token, _) = api_token(&admin, &app, "policy").await;
    let (engineer_token, _) = api_token(&engineer, &app, "policy").await;
    let admin_ctx = ctx_of(
        app::platform::service::resolve_principal(&state, None, Some(&admin_token))
            .await
            .expect("admin"),
    );
    let engineer_ctx = ctx_of(
        app::platform::service::resolve_principal(&state, None, Some(&engineer_token))
            .await
            .expect("engineer"),
    );
    let set = |ctx: RequestCtx, roles: Vec<&str>| {
        let state = state.clone();
        let roles: Vec<String> = roles.into_iter().map(str::to_string).collect();
        async move {
            app::platform::tx::run(&state, &ctx, |tx, state, ctx| {
                Box::pin(app::platform::two_factor::set_policy(tx, state, ctx, roles))
            })
            .await
        }
    };
    // not for someone without tenant:manage; not an unknown role; nothing changes
    let refused = set(engineer_ctx.clone(), vec!["Engineer"]).await;
    assert_eq!(refused, Err(app::error::AppError::Forbidden));
    let refused = set(admin_ctx.clone(), vec!["Admin", "Wizard"]).await;
    let Err(app::error::AppError::Validation(fields)) = refused else {
        panic!("{refused:?}");
    };
    assert!(fields.contains_key("require_totp_roles[1]"), "{fields:?}");
    let roles: Vec<String> =
        sqlx::query_scalar("select require_totp_roles from tenants where slug = 'demo'")
            .fetch_one(&app.db.owner)
            .await
            .expect("policy");
    assert!(roles.is_empty());
    let set_to = set(admin_ctx.clone(), vec!["Engineer", " Admin", "Admin"]).await;
    assert_eq!(
        set_to,
        Ok(vec!["Admin".to_string(), "Engineer".to_string()])
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where entity = 'tenant' and new_values ? 'require_totp_roles'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("audit");
    assert_eq!(audited, 1);

    // the administrator (no exemption) is refused everything but enrolment and who they are
    let (status, body) = status_within(&admin, &app, "/api/v1/auth/tokens", 403).await;
    assert_eq!(
        (status, code_of(&body)),
        (403, "TOTP_ENROLMENT_REQUIRED"),
        "{body}"
    );
    let (status, me) = get(&admin, &app, "/api/v1/auth/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["data"]["user"]["totp_enrolment_required"], true);
    // API tokens too
    let res = app
        .bare_client()
        .get(app.url("/api/v1/auth/tokens"))
        .bearer_auth(&admin_token)
        .send()
        .await
        .expect("token call");
    assert_eq!(res.status(), 403);
    // pages lead to the enrolment page, which opens
    let res = admin
        .get(app.url("/procurement/requisitions"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(
        header(res.headers(), "location"),
        Some("/account/two-factor")
    );
    let (status, _) = get(&admin, &app, "/account/two-factor").await;
    assert_eq!(status, 200);
    // it says why, offers set-up, and leads nowhere else (no navigation)
    let html = page(&admin, &app, "/account/two-factor").await;
    assert!(
        html.contains("Your company requires two-factor sign-in for your role")
            && html.contains("Set up two-factor sign-in"),
        "{html}"
    );
    assert!(!html.contains(r#"href="/procurement/requisitions""#));
    // in Arabic, right to left
    sqlx::query("update users set language = 'ar' where username = 'admin'")
        .execute(&app.db.owner)
        .await
        .expect("arabic");
    let (_, me) = status_within(&admin, &app, "/api/v1/auth/me", 200).await;
    assert_eq!(me["data"]["user"]["totp_enrolment_required"], true);
    let mut html = String::new();
    for _ in 0..40 {
        html = page(&admin, &app, "/account/two-factor").await;
        if html.contains(r#"dir="rtl""#) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        html.contains(r#"dir="rtl""#) && html.contains("تشترط شركتك تسجيل الدخول بخطوتين لدورك"),
        "{html}"
    );
    // server functions other than enrolment's are refused
    let (status, _) = get(&admin, &app, "/sfn/list_tokens").await;
    assert_eq!(status, 403);
    let (status, _) = get(&admin, &app, "/sfn/totp_status").await;
    assert_eq!(status, 200);
    // a holder of no such role is not affected
    let warehouse = app.logged_in("demo", "warehouse").await;
    assert_eq!(get(&warehouse, &app, "/api/v1/auth/tokens").await.0, 200);
    // another tenant's administrator neither
    let saif = app.logged_in("saif", "admin").await;
    assert_eq!(get(&saif, &app, "/api/v1/auth/tokens").await.0, 200);

    // a new sign-in through the form lands on enrolment
    let form = app.client();
    let res = form
        .post(app.url("/auth/login"))
        .form(&[
            ("tenant", "demo"),
            ("username", "engineer"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("form");
    assert_eq!(
        header(res.headers(), "location"),
        Some("/account/two-factor")
    );

    // enrolling lifts it at once
    enrol(&app, &admin).await;
    let (status, body) = get(&admin, &app, "/api/v1/auth/tokens").await;
    assert_eq!(status, 200, "{body}");
    let me = data_of(&admin, &app, "/api/v1/auth/me").await;
    assert_eq!(me["user"]["totp_enrolment_required"], false);
    // the engineer still has to
    assert_eq!(get(&engineer, &app, "/api/v1/auth/tokens").await.0, 403);
    // and an emptied policy lets them be
    assert_eq!(set(admin_ctx, vec![]).await, Ok(vec![]));
    let (status, _) = status_within(&engineer, &app, "/api/v1/auth/tokens", 200).await;
    assert_eq!(status, 200);
}

/// A form POST of the sign-in pages (as a browser without JavaScript sends it): where it leads.
async fn form_post(c: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
    let res = c
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .expect("form post");
    assert!(res.status().is_redirection(), "{path}: {}", res.status());
    header(res.headers(), "location")
        .expect("location")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_form_asks_for_the_code_in_a_second_step() {
    let app = spawn().await;
    let c = app.logged_in("demo", "procurement").await;
    let (secret, codes) = enrol(&app, &c).await;
    time_passes(&app).await;
    let wrong = wrong_code(&secret);

    let browser = app.client();
    // the second step's page without a first step: back to the start
    let to = form_post(&browser, &app, "/auth/login/totp", &[("code", "123456")]).await;
    assert_eq!(to, "/login?error=UNAUTHENTICATED");
    let password = [
        ("tenant", "demo"),
        ("username", "procurement"),
        ("password", PASSWORD),
    ];
    let to = form_post(&browser, &app, "/auth/login", &password).await;
    assert_eq!(to, "/login?step=totp");
    // not signed in yet
    assert_eq!(get(&browser, &app, "/api/v1/auth/me").await.0, 401);
    // the page asks for the code alone, translated
    let html = page(&browser, &app, "/login?step=totp").await;
    assert!(html.contains(r#"action="/auth/login/totp""#), "{html}");
    assert!(html.contains("Enter your code") && html.contains(r#"autocomplete="one-time-code""#));
    assert!(!html.contains(r#"name="password""#));
    let html = page_in(&browser, &app, "/login?step=totp&error=INVALID_TOTP", "hi").await;
    assert!(
        html.contains("अपना कोड दर्ज करें") && html.contains("यह कोड मान्य नहीं है"),
        "{html}"
    );
    // a wrong code: the same step again, counted toward the lockout
    let to = form_post(&browser, &app, "/auth/login/totp", &[("code", &wrong)]).await;
    assert_eq!(to, "/login?step=totp&error=INVALID_TOTP");
    assert_eq!(failed_logins(&app, "procurement").await, 1);
    let to = form_post(
        &browser,
        &app,
        "/auth/login/totp",
        &[("code", &wrong), ("mode", "recovery")],
    )
    .await;
    assert_eq!(to, "/login?step=totp&error=INVALID_TOTP&mode=recovery");
    // the right code: signed in, without the password asked again
    let used = app_code(&secret);
    let to = form_post(&browser, &app, "/auth/login/totp", &[("code", &used)]).await;
    assert_eq!(to, "/");
    assert_eq!(get(&browser, &app, "/api/v1/auth/me").await.0, 200);
    assert_eq!(failed_logins(&app, "procurement").await, 0);
    // the step is over once used
    let again = app.client();
    let to = form_post(&again, &app, "/auth/login/totp", &[("code", &codes[0])]).await;
    assert_eq!(to, "/login?error=UNAUTHENTICATED");
    // a recovery code in the second step, then the same code replayed in another browser
    let to = form_post(&again, &app, "/auth/login", &password).await;
    assert_eq!(to, "/login?step=totp");
    let to = form_post(
        &again,
        &app,
        "/auth/login/totp",
        &[("code", &codes[0]), ("mode", "recovery")],
    )
    .await;
    assert_eq!(to, "/");
    let third = app.client();
    form_post(&third, &app, "/auth/login", &password).await;
    let to = form_post(&third, &app, "/auth/login/totp", &[("code", &used)]).await;
    assert_eq!(to, "/login?step=totp&error=INVALID_TOTP");
    // five wrong codes in a row: locked, and the step is over
    for _ in 0..4 {
        form_post(&third, &app, "/auth/login/totp", &[("code", &wrong)]).await;
    }
    assert_eq!(
        failed_logins(&app, "procurement").await,
        0,
        "reset by the lock"
    );
    let to = form_post(&third, &app, "/auth/login/totp", &[("code", &wrong)]).await;
    assert_eq!(to, "/login?error=UNAUTHENTICATED");
    let to = form_post(&app.client(), &app, "/auth/login", &password).await;
    assert!(to.starts_with("/login?error=ACCOUNT_LOCKED"), "{to}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_pages_server_functions_follow_the_same_rules() {
    let app = spawn().await;
    let c = app.logged_in("demo", "accountant").await;
    let sfn =
        |path: &str, form: Vec<(&'static str, String)>| c.post(app.url(path)).form(&form).send();
    let res = sfn("/sfn/totp_setup", vec![]).await.expect("setup");
    assert_eq!(res.status(), 200);
    let setup: Value = res.json().await.expect("json");
    let secret = secret_of(&setup);
    let res = sfn("/sfn/totp_enable", vec![("code", wrong_code(&secret))])
        .await
        .expect("enable");
    assert_eq!(res.status(), 422);
    let res = sfn("/sfn/totp_enable", vec![("code", app_code(&secret))])
        .await
        .expect("enable");
    assert_eq!(res.status(), 200);
    let codes: Value = res.json().await.expect("json");
    let codes = codes["codes"].as_array().expect("codes").clone();
    assert_eq!(codes.len(), 10);
    let status = data_sfn(&c, &app, "/sfn/totp_status").await;
    assert_eq!(status["enabled"], true);
    assert_eq!(status["recovery_codes_left"], 10);
    let first = codes[0].as_str().expect("code").to_string();
    let res = sfn(
        "/sfn/totp_disable",
        vec![
            ("password", "wrong-password-1".into()),
            ("code", first.clone()),
        ],
    )
    .await
    .expect("disable");
    assert_eq!(res.status(), 422);
    let res = sfn(
        "/sfn/totp_disable",
        vec![("password", PASSWORD.into()), ("code", first)],
    )
    .await
    .expect("disable");
    assert_eq!(res.status(), 200);
    let status = data_sfn(&c, &app, "/sfn/totp_status").await;
    assert_eq!(status["enabled"], false);
}

/// A server function read that must succeed: its JSON.
async fn data_sfn(c: &Client, app: &TestApp, path: &str) -> Value {
    let (status, body) = get(c, app, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}
