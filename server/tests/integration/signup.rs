//! A company signs itself up: the tenant it gets, the refusals, the verification link, the form,
//! and `millwright tenant create`'s service.
use crate::common::*;
use serde_json::{json, Value};

fn body(slug: &str) -> Value {
    json!({
        "company_name": "Kolkata Castings Pvt Ltd",
        "slug": slug,
        "currency": "INR",
        "time_zone": "Asia/Kolkata",
        "default_language": "bn",
        "admin": {
            "username": "rina",
            "display_name": "Rina Sen",
            "email": "Rina@Castings.example.in",
            "password": "a-long-enough-secret"
        }
    })
}

async fn tenants(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(&app.db.owner)
        .await
        .expect("count tenants")
}

/// The verification link's token, from the e-mail in the outbox.
async fn mailed_token(app: &TestApp, to: &str) -> String {
    let (subject, text): (String, String) = sqlx::query_as(
        "select subject, body_text from outbox_emails where to_address = $1 order by created_at desc limit 1",
    )
    .bind(to)
    .fetch_one(&app.db.owner)
    .await
    .expect("the verification e-mail");
    assert!(subject.contains("Millwright"), "{subject}");
    let url = text
        .split_whitespace()
        .find(|w| w.contains("/verify-email?token="))
        .expect("the link");
    url.split("token=").nth(1).expect("token").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_signs_up_and_works_at_once_seeing_nothing_of_another_tenant() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (status, res) = post(&c, &app, "/api/v1/signup", body("kolkata-castings")).await;
    assert_eq!(status, 201, "{res}");
    let me = &res["data"];
    assert_eq!(me["tenant"]["slug"], "kolkata-castings");
    assert_eq!(me["tenant"]["currency"], "INR");
    assert_eq!(me["tenant"]["number_format"], "indian");
    assert_eq!(me["user"]["roles"], json!(["Admin"]));
    assert_eq!(me["user"]["email"], "rina@castings.example.in");
    assert_eq!(me["user"]["language"], "bn");
    // signed in at once, with the administrator's permissions
    let me = data_of(&c, &app, "/api/v1/auth/me").await;
    assert_eq!(me["user"]["username"], "rina");
    // a working tenant: its first plant, the default approval rules, a warehouse; no one else's data
    let plants = data_of(&c, &app, "/api/v1/plants").await;
    let plants = plants
        .as_array()
        .cloned()
        .or_else(|| plants["plants"].as_array().cloned())
        .unwrap_or_default();
    assert_eq!(plants.len(), 1, "{plants:?}");
    assert_eq!(plants[0]["code"], "P01");
    let rules = data_of(&c, &app, "/api/v1/approval-rules?doc_type=requisition").await;
    assert!(rules.to_string().contains("Manager"), "{rules}");
    let locations = data_of(&c, &app, "/api/v1/locations").await;
    assert!(locations.to_string().contains("P01-WH1"), "{locations}");
    let list = data_of(&c, &app, "/api/v1/requisitions").await;
    assert_eq!(list["pagination"]["total"], 0);
    let items = data_of(&c, &app, "/api/v1/items").await;
    assert_eq!(items["pagination"]["total"], 0, "{items}");
    // the financial year starts in April for an INR tenant
    let (fy, verified): (i16, bool) = sqlx::query_as(
        "select fiscal_year_start_month, email_verified_at is not null from tenants where slug = 'kolkata-castings'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("tenant");
    assert_eq!((fy, verified), (4, false));
    // and its administrator signs in with the company code like anyone else
    let again = app.client();
    let res = app
        .login_with(&again, "kolkata-castings", "rina", "a-long-enough-secret")
        .await;
    assert_eq!(res.status(), 200);
    // the demo's users cannot see it
    let demo = app.logged_in("demo", "admin").await;
    let (status, _) = get(&demo, &app, "/api/v1/plants").await;
    assert_eq!(status, 200);
    let theirs = data_of(&demo, &app, "/api/v1/plants").await.to_string();
    assert!(!theirs.contains("P01"), "{theirs}");
}

/// Seven days without verifying: the company is paused — its calls refused with a translated 403,
/// its pages showing why — except verifying and sending the link again; the link brings it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_not_verified_in_seven_days_pauses_the_company_until_the_link_is_opened() {
    // read afresh on every request: the test moves the company's sign-up date under the server
    let app = TestApp::spawn_with(|c| c.result_cache = false).await;
    let admin = app.client();
    let (status, res) = post(&admin, &app, "/api/v1/signup", body("lapse-co")).await;
    assert_eq!(status, 201, "{res}");
    let (status, _) = get(&admin, &app, "/api/v1/requisitions").await;
    assert_eq!(status, 200, "works during its 7 days");
    let home = page(&admin, &app, "/").await;
    assert!(home.contains("data-testid=\"verify-banner\""), "banner");

    sqlx::query(
        "update tenants set created_at = now() - interval '8 days' where slug = 'lapse-co'",
    )
    .execute(&app.db.owner)
    .await
    .expect("eight days on");
    let (status, e) = get(&admin, &app, "/api/v1/requisitions").await;
    assert_eq!(status, 403, "{e}");
    assert_eq!(e["error"]["code"], "EMAIL_VERIFICATION_REQUIRED");
    let res = admin
        .post(app.url("/api/v1/items"))
        .header("accept-language", "bn")
        .json(&json!({ "sku": "X-1", "names": { "en": "X" }, "unit": "PCS" }))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    let e: Value = res.json().await.expect("json");
    // the administrator's language (Bengali, chosen at sign-up) wins
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("যাচাই")),
        "{e}"
    );
    let kept: i64 = sqlx::query_scalar("select count(*) from items where sku = 'X-1'")
        .fetch_one(&app.db.owner)
        .await
        .expect("count");
    assert_eq!(kept, 0);
    // who they are, and sending the link again, still work; the page says why, not the content
    let (status, _) = get(&admin, &app, "/api/v1/auth/me").await;
    assert_eq!(status, 200);
    let resend = admin
        .post(app.url("/sfn/resend_verification"))
        .header("accept", "application/json")
        .send()
        .await
        .expect("resend");
    assert_eq!(resend.status(), 200);
    let home = page(&admin, &app, "/").await;
    assert!(home.contains("data-testid=\"paused\""), "{home}");
    assert!(home.contains("চালিয়ে যেতে"), "in Bengali: {home}");

    // the link (the last one sent) brings the company back at the next request
    let token = mailed_token(&app, "rina@castings.example.in").await;
    let res = admin
        .get(app.url(&format!("/verify-email?token={token}")))
        .send()
        .await
        .expect("link");
    assert_eq!(
        header(res.headers(), "location"),
        Some("/?notice=email_verified")
    );
    let (status, _) = get(&admin, &app, "/api/v1/requisitions").await;
    assert_eq!(status, 200);
    let home = page(&admin, &app, "/").await;
    assert!(!home.contains("data-testid=\"paused\""));
    assert!(!home.contains("data-testid=\"verify-banner\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_e_mailed_link_verifies_the_address_once() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (status, res) = post(&c, &app, "/api/v1/signup", body("verify-me")).await;
    assert_eq!(status, 201, "{res}");
    let token = mailed_token(&app, "rina@castings.example.in").await;
    let visitor = app.bare_client();
    let first = visitor
        .get(app.url(&format!("/verify-email?token={token}")))
        .send()
        .await
        .expect("link");
    assert!(first.status().is_redirection());
    assert_eq!(
        header(first.headers(), "location"),
        Some("/login?notice=email_verified")
    );
    let verified: bool = sqlx::query_scalar(
        "select email_verified_at is not null from tenants where slug = 'verify-me'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("tenant");
    assert!(verified);
    // a second use, or a made-up token, is refused and changes nothing
    for t in [token.as_str(), "not-a-token"] {
        let again = visitor
            .get(app.url(&format!("/verify-email?token={t}")))
            .send()
            .await
            .expect("link");
        assert_eq!(
            header(again.headers(), "location"),
            Some("/login?notice=email_verify_failed")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sign_ups_are_refused_field_by_field_and_create_nothing() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let before = tenants(&app).await;
    // the demo's code is taken: 409 naming the field
    let (status, res) = post(&c, &app, "/api/v1/signup", body("demo")).await;
    assert_eq!(status, 409, "{res}");
    assert_eq!(res["error"]["code"], "CONFLICT");
    assert!(res["error"]["details"]["slug"].is_string(), "{res}");
    // every bad field at once
    let mut bad = body("9-lives");
    bad["currency"] = json!("XYZ");
    bad["time_zone"] = json!("Mars/Olympus");
    bad["default_language"] = json!("fr");
    bad["admin"]["email"] = json!("rina");
    bad["admin"]["password"] = json!("short");
    bad["admin"]["username"] = json!("Rina Sen");
    let (status, res) = post(&c, &app, "/api/v1/signup", bad).await;
    assert_eq!(status, 422, "{res}");
    let details = &res["error"]["details"];
    for field in [
        "slug",
        "currency",
        "time_zone",
        "default_language",
        "admin.email",
        "admin.password",
        "admin.username",
    ] {
        assert!(details[field].is_string(), "{field}: {res}");
    }
    // a reserved code, a password equal to the user name
    let mut reserved = body("admin");
    reserved["admin"]["password"] = json!("rina");
    let (status, res) = post(&c, &app, "/api/v1/signup", reserved).await;
    assert_eq!(status, 422, "{res}");
    assert!(res["error"]["details"]["slug"].is_string());
    // the message is in the caller's language
    let (status, res) = call_with_language(&c, &app, "/api/v1/signup", body("demo"), "hi").await;
    assert_eq!(status, 409);
    assert!(
        res["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("पहले"),
        "{res}"
    );
    assert_eq!(tenants(&app).await, before);
    // and no one was signed in by a refusal
    let (status, _) = get(&c, &app, "/api/v1/auth/me").await;
    assert_eq!(status, 401);
}

async fn call_with_language(
    c: &reqwest::Client,
    app: &TestApp,
    path: &str,
    body: Value,
    language: &str,
) -> (u16, Value) {
    let res = c
        .post(app.url(path))
        .header("accept-language", language)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_can_be_closed_and_is_rate_limited_per_address() {
    let closed = TestApp::spawn_with(|c| c.signup_open = false).await;
    let (status, res) = post(&closed.client(), &closed, "/api/v1/signup", body("shut")).await;
    assert_eq!(status, 403, "{res}");
    assert_eq!(res["error"]["code"], "FORBIDDEN");

    let app = TestApp::spawn_with(|c| c.login_rate_per_minute = 2).await;
    let c = app.client();
    let mut statuses = Vec::new();
    for i in 0..3 {
        let mut b = body(&format!("limited-{i}"));
        b["admin"]["password"] = json!("short");
        statuses.push(post(&c, &app, "/api/v1/signup", b).await.0);
    }
    assert_eq!(statuses, [422, 422, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_up_form_works_without_javascript() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let page = c.get(app.url("/signup")).send().await.expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains(r#"action="/auth/signup""#), "{html}");
    let form = [
        ("company_name", "Vizag Forge"),
        ("slug", "demo"),
        ("currency", "INR"),
        ("time_zone", "Asia/Kolkata"),
        ("default_language", "te"),
        ("display_name", "Ravi Teja"),
        ("username", "ravi"),
        ("email", "ravi@forge.example.in"),
        ("password", "a-long-enough-secret"),
    ];
    // a taken code goes back to the form with what was typed and the field's error
    let res = c
        .post(app.url("/auth/signup"))
        .form(&form)
        .send()
        .await
        .expect("post");
    let to = header(res.headers(), "location")
        .unwrap_or_default()
        .to_string();
    assert!(to.starts_with("/signup?error=CONFLICT"), "{to}");
    assert!(
        to.contains("bad_slug=duplicate") && to.contains("company_name=Vizag%20Forge"),
        "{to}"
    );
    assert!(!to.contains("a-long-enough-secret"), "{to}");
    let back = c
        .get(app.url(&to))
        .send()
        .await
        .expect("back")
        .text()
        .await
        .expect("html");
    assert!(back.contains("Vizag Forge"), "the typed name is kept");
    // then with a free code: signed in, on the home page
    let mut form = form.to_vec();
    form[1] = ("slug", "vizag-forge");
    let res = c
        .post(app.url("/auth/signup"))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(header(res.headers(), "location"), Some("/setup"));
    let me = data_of(&c, &app, "/api/v1/auth/me").await;
    assert_eq!(me["tenant"]["slug"], "vizag-forge");
    assert_eq!(me["user"]["language"], "te");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operators_command_creates_the_same_tenant_through_the_application_role() {
    let app = TestApp::spawn().await;
    let ctx = app::platform::context::RequestCtx {
        principal: None,
        locale: Default::default(),
        ip: None,
        user_agent: None,
        request_id: "test".into(),
    };
    let input = app::platform::onboarding::SignUp {
        company_name: "Howrah Tools".into(),
        slug: "howrah-tools".into(),
        currency: "USD".into(),
        time_zone: "America/Chicago".into(),
        default_language: "en".into(),
        admin: app::platform::onboarding::FirstAdmin {
            username: "owner".into(),
            display_name: "Owner".into(),
            email: "owner@howrah.example.com".into(),
            password: "a-long-enough-secret".into(),
        },
    };
    let created = app::platform::onboarding::create_tenant(
        &app.pool,
        &ctx,
        input.clone(),
        app::platform::onboarding::Origin::CommandLine,
    )
    .await
    .expect("created");
    assert!(created.verify_url.contains("/verify-email?token="));
    let again = app::platform::onboarding::create_tenant(
        &app.pool,
        &ctx,
        input,
        app::platform::onboarding::Origin::CommandLine,
    )
    .await;
    assert_eq!(
        again.err(),
        Some(app::error::AppError::Taken("slug".into()))
    );
    let listed = app::platform::onboarding::list_tenants(&app.db.owner)
        .await
        .expect("list");
    let row = listed
        .iter()
        .find(|t| t.slug == "howrah-tools")
        .expect("listed");
    assert_eq!(
        (row.users, row.verified, row.currency.as_str()),
        (1, false, "USD")
    );
    assert!(listed.iter().any(|t| t.slug == "demo" && t.verified));
    let c = app.client();
    let res = app
        .login_with(&c, "howrah-tools", "owner", "a-long-enough-secret")
        .await;
    assert_eq!(res.status(), 200);
}
