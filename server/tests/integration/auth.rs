//! Login, sessions, lockout, password, tokens, the Origin check and the error envelope.
use crate::common::*;
use serde_json::json;

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("mw_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
}

/// `GET /api/v1/auth/me` sending only the session cookie `cookie`, as another browser holding
/// it would: the answer, unchecked.
async fn me_with_cookie(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.bare_client()
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("me")
}

/// `GET /api/v1/auth/me` as an integration holding `token`: the answer, unchecked.
async fn me_with_token(app: &TestApp, token: &str) -> reqwest::Response {
    app.bare_client()
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
}

/// The password form's server function as `c` submits it: the status, unchecked.
async fn change_password_form(
    c: &reqwest::Client,
    app: &TestApp,
    current: &str,
    new: &str,
    confirm: &str,
) -> u16 {
    let fields = [
        ("current_password", current),
        ("new_password", new),
        ("confirm_password", confirm),
    ];
    server_fn(c, app, "change_password", &fields)
        .await
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_hardened_session_cookie_and_me_describes_the_user() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let res = app.login(&client, "demo", "engineer").await;
    assert_eq!(res.status(), 200);
    let raw = header(res.headers(), "set-cookie")
        .unwrap_or_default()
        .to_string();
    assert!(raw.contains("HttpOnly"), "{raw}");
    assert!(raw.contains("SameSite=Lax"), "{raw}");
    let body = json(res).await;
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["user"]["username"], "engineer");

    let me = json_of(&client, &app, "/api/v1/auth/me").await;
    assert_eq!(me["success"], true);
    assert_eq!(me["data"]["user"]["display_name"], "Ravi Engineer");
    assert_eq!(me["data"]["user"]["roles"], json!(["Engineer"]));
    assert_eq!(
        me["data"]["tenant"],
        json!({
            "slug": "demo", "name": "Demo Manufacturing", "currency": "USD", "default_language": "en",
            "timezone": "America/Chicago", "number_format": "western"
        })
    );
    let perms = me["data"]["user"]["permissions"]
        .as_array()
        .expect("permissions");
    assert!(perms.contains(&json!({ "permission": "requisition:create", "scope": "own" })));
    assert!(me["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert!(me["request_id"].as_str().is_some_and(|r| !r.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_is_cycled_at_login_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let first =
        session_cookie(&app.login(&client, "demo", "engineer").await).expect("first cookie");
    let second =
        session_cookie(&app.login(&client, "demo", "engineer").await).expect("second cookie");
    assert_ne!(first, second);
    assert_eq!(me_with_cookie(&app, &first).await.status(), 401);
    assert_eq!(me_with_cookie(&app, &second).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_tenant_unknown_user_and_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let mut bodies = Vec::new();
    let mut times = Vec::new();
    for (tenant, user, pass) in [
        ("demo", "engineer", "wrong-password-1"),
        ("demo", "nobody", PASSWORD),
        ("nope", "engineer", PASSWORD),
    ] {
        let started = std::time::Instant::now();
        let res = app.login_with(&app.client(), tenant, user, pass).await;
        times.push(started.elapsed());
        assert_eq!(res.status(), 401);
        let body = json(res).await;
        bodies.push((
            body["error"]["code"].clone(),
            body["error"]["message"].clone(),
        ));
    }
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    assert_eq!(bodies[0].0, "INVALID_CREDENTIALS");
    // every path pays for one argon2 verification (tens of milliseconds), not just the wrong password
    let slowest = times.iter().max().copied().unwrap_or_default();
    for t in &times {
        assert!(t.as_secs_f64() > slowest.as_secs_f64() / 4.0, "{times:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_lock_the_account_for_fifteen_minutes_per_tenant_and_user() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for _ in 0..5 {
        let res = app
            .login_with(&client, "demo", "manager", "wrong-password-x")
            .await;
        assert_eq!(json(res).await["error"]["code"], "INVALID_CREDENTIALS");
    }
    let locked = app.login(&client, "demo", "manager").await;
    assert_eq!(locked.status(), 401);
    assert_eq!(json(locked).await["error"]["code"], "ACCOUNT_LOCKED");
    // the same user name in another tenant, and another user here, are unaffected
    assert_eq!(
        app.login(&app.client(), "saif", "manager").await.status(),
        200
    );
    assert_eq!(
        app.login(&app.client(), "demo", "engineer").await.status(),
        200
    );
    let until: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
        "select u.locked_until from users u join tenants t on t.id = u.tenant_id where t.slug = 'demo' and u.username = 'manager'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("locked_until");
    let minutes = (until.expect("locked") - chrono::Utc::now()).num_minutes();
    assert!((14..=15).contains(&minutes), "{minutes}");
    let failures = count_of(
        &app,
        "select count(*) from audit_log where action = 'login_failed'",
    )
    .await;
    assert_eq!(failures, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_are_rate_limited_per_ip() {
    let app = TestApp::spawn_with(|c| c.login_rate_per_minute = 3).await;
    let mut codes = Vec::new();
    for _ in 0..4 {
        let res = app.login_with(&app.client(), "demo", "x", "y").await;
        codes.push(res.status().as_u16());
    }
    assert_eq!(codes, vec![401, 401, 401, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_and_is_audited() {
    let app = TestApp::spawn().await;
    let client = app.logged_in("demo", "warehouse").await;
    let (status, _) = post_empty(&client, &app, "/api/v1/auth/logout").await;
    assert_eq!(status, 200);
    assert_eq!(get(&client, &app, "/api/v1/auth/me").await.0, 401);
    let rows: Vec<String> = sqlx::query_scalar("select action from audit_log order by id")
        .fetch_all(&app.db.owner)
        .await
        .expect("audit");
    assert_eq!(rows, vec!["login", "logout"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ended_on_one_instance_ends_on_every_instance() {
    let a = TestApp::spawn().await;
    let b = a.another_instance().await;
    let res = a.login(&a.client(), "demo", "engineer").await;
    assert_eq!(res.status(), 200);
    let cookie = session_cookie(&res).expect("session cookie");
    // both instances know the session (and keep it between requests) …
    for _ in 0..3 {
        assert_eq!(me_with_cookie(&a, &cookie).await.status(), 200);
        assert_eq!(me_with_cookie(&b, &cookie).await.status(), 200);
    }
    // … until it ends on one of them: then it is over on the other too, once announced
    let res = a
        .bare_client()
        .post(a.url("/api/v1/auth/logout"))
        .header("cookie", cookie.clone())
        .header("origin", a.base.clone())
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 200);
    assert_eq!(me_with_cookie(&a, &cookie).await.status(), 401);
    let mut status = 0;
    for _ in 0..40 {
        status = me_with_cookie(&b, &cookie).await.status().as_u16();
        if status == 401 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        status, 401,
        "the other instance still accepted the ended session"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changing_requests_with_a_cookie_need_this_sites_origin() {
    let app = TestApp::spawn().await;
    let client = app.logged_in("demo", "engineer").await;
    let cookie = session_cookie(&app.login(&client, "demo", "engineer").await).expect("cookie");
    let bare = app.bare_client();
    let no_origin = bare
        .put(app.url("/api/v1/auth/me/language"))
        .header("cookie", &cookie)
        .json(&json!({ "language": "ar" }))
        .send()
        .await
        .expect("put");
    assert_eq!(no_origin.status(), 403);
    let evil = bare
        .put(app.url("/api/v1/auth/me/language"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .json(&json!({ "language": "ar" }))
        .send()
        .await
        .expect("put");
    assert_eq!(evil.status(), 403);
    assert_eq!(json(evil).await["error"]["code"], "FORBIDDEN");
    // server functions are guarded the same way
    let sfn = bare
        .post(app.url("/sfn/change_password"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[
            ("current_password", PASSWORD),
            ("new_password", "another-password-1"),
            ("confirm_password", "another-password-1"),
        ])
        .send()
        .await
        .expect("sfn");
    assert_eq!(sfn.status(), 403);
    let lang: String = sqlx::query_scalar("select language from users u join tenants t on t.id = u.tenant_id where t.slug = 'demo' and username = 'engineer'")
        .fetch_one(&app.db.owner)
        .await
        .expect("lang");
    assert_eq!(lang, "en");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_authenticate_integrations_until_revoked() {
    let app = TestApp::spawn().await;
    let client = app.logged_in("demo", "procurement").await;
    let (token, id) = api_token(&client, &app, "ERP sync").await;
    assert!(token.starts_with("mwt_"));
    let stored: Vec<u8> =
        sqlx::query_scalar("select token_hash from api_tokens where id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.db.owner)
            .await
            .expect("hash");
    assert_ne!(stored, token.as_bytes(), "only the hash is stored");

    let me = me_with_token(&app, &token).await;
    assert_eq!(me.status(), 200);
    assert_eq!(json(me).await["data"]["user"]["username"], "procurement");
    // no Origin needed with a bearer token
    let lang = app
        .bare_client()
        .put(app.url("/api/v1/auth/me/language"))
        .bearer_auth(&token)
        .json(&json!({ "language": "te" }))
        .send()
        .await
        .expect("put");
    assert_eq!(lang.status(), 200);

    let list = json_of(&client, &app, "/api/v1/auth/tokens").await;
    assert_eq!(list["data"]["tokens"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["data"]["pagination"]["total"], 1);
    assert!(list["data"]["tokens"][0].get("token").is_none());

    let (status, _) = delete(&client, &app, &format!("/api/v1/auth/tokens/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(me_with_token(&app, &token).await.status(), 401);
    assert_eq!(me_with_token(&app, "mwt_not-a-token").await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_is_stored_on_the_user_and_applied_to_messages_and_pages() {
    let app = TestApp::spawn().await;
    let client = app.logged_in("demo", "engineer").await;
    let language = "/api/v1/auth/me/language";
    let (status, body) = put(&client, &app, language, json!({ "language": "xx" })).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
    assert_eq!(
        body["error"]["details"]["language"],
        "This language is not supported."
    );

    let (_, ok) = put(&client, &app, language, json!({ "language": "ar" })).await;
    assert_eq!(ok["data"]["user"]["language"], "ar");
    let html = page_in(&client, &app, "/", "en").await;
    assert!(
        html.contains(r#"lang="ar""#) && html.contains(r#"dir="rtl""#),
        "{}",
        &html[..html.len().min(600)]
    );
    assert!(html.contains("مرحبًا، Ravi Engineer"));
    let (_, msg) = put(&client, &app, language, json!({ "language": 5 })).await;
    assert_eq!(msg["error"]["message"], "بعض الحقول تحتاج إلى مراجعة.");
    assert_eq!(msg["error"]["details"]["language"], "هذه القيمة غير صالحة.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_get_pages_in_their_accept_language() {
    let app = TestApp::spawn().await;
    let html = page_in(
        &app.bare_client(),
        &app,
        "/login",
        "bn-IN,bn;q=0.9,en;q=0.5",
    )
    .await;
    assert!(html.contains(r#"lang="bn""#));
    assert!(html.contains("মিলরাইটে সাইন ইন করুন"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_policy_and_password_change() {
    let app = TestApp::spawn().await;
    let client = app.logged_in("demo", "accountant").await;
    let change = |body| put(&client, &app, "/api/v1/auth/me/password", body);
    let (_, short) = change(json!({ "current_password": PASSWORD, "new_password": "short" })).await;
    assert_eq!(
        short["error"]["details"]["new_password"],
        "Must be at least 12 characters."
    );
    let (_, same) =
        change(json!({ "current_password": PASSWORD, "new_password": "Accountant" })).await;
    assert_eq!(same["error"]["code"], "VALIDATION_ERROR");
    let (_, same) =
        change(json!({ "current_password": PASSWORD, "new_password": "accountant  " })).await;
    assert_eq!(same["error"]["code"], "VALIDATION_ERROR");
    let (status, wrong) = change(
        json!({ "current_password": "not-my-password", "new_password": "a-much-better-password" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        wrong["error"]["details"]["current_password"],
        "The current password is wrong."
    );
    let (status, _) =
        change(json!({ "current_password": PASSWORD, "new_password": "a-much-better-password" }))
            .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.login(&app.client(), "demo", "accountant")
            .await
            .status(),
        401
    );
    let res = app
        .login_with(
            &app.client(),
            "demo",
            "accountant",
            "a-much-better-password",
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_the_right_status_and_a_clear_error() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let malformed = c
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"tenant\": ")
        .send()
        .await
        .expect("post");
    assert_eq!(malformed.status(), 400);
    assert_eq!(json(malformed).await["error"]["code"], "BAD_REQUEST");

    let (status, missing) = post(
        &c,
        &app,
        "/api/v1/auth/login",
        json!({ "tenant": "demo", "username": "engineer" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        missing["error"]["details"]["password"],
        "This field is required."
    );

    let empty = app.login_with(&c, "", "", "").await;
    assert_eq!(empty.status(), 422);

    let huge = "x".repeat(1024 * 1024 + 10);
    // a client of its own: the server answers before reading the body and closes the connection,
    // which a pooled connection would otherwise be reused after (hyper's IncompleteMessage)
    let too_big = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("post");
    assert_eq!(too_big.status(), 413);
    assert_eq!(json(too_big).await["error"]["code"], "PAYLOAD_TOO_LARGE");

    for nasty in [
        "' or 1=1 --",
        "engineer'; drop table users; --",
        "<script>alert(1)</script>",
        "\u{0}",
    ] {
        let res = app.login_with(&c, nasty, nasty, nasty).await;
        assert_eq!(res.status(), 401, "{nasty}");
        let res = app.login_with(&c, "demo", nasty, nasty).await;
        assert_eq!(res.status(), 401, "{nasty}");
    }
    let users = count_of(&app, "select count(*) from users").await;
    assert_eq!(users, 16);

    let (status, unknown) = get(&c, &app, "/api/v1/no-such-thing").await;
    assert_eq!(status, 404);
    assert_eq!(unknown["error"]["code"], "NOT_FOUND");
    let anon = c
        .get(app.url("/api/v1/auth/me"))
        .header("accept-language", "te")
        .send()
        .await
        .expect("get");
    assert_eq!(anon.status(), 401);
    assert_eq!(
        json(anon).await["error"]["message"],
        "దయచేసి ముందుగా సైన్ ఇన్ చేయండి."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_ids_are_honoured_and_always_returned() {
    let app = TestApp::spawn().await;
    let res = app
        .bare_client()
        .get(app.url("/api/v1/auth/me"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .expect("get");
    assert_eq!(header(res.headers(), "x-request-id"), Some("abc-123"));
    assert_eq!(json(res).await["request_id"], "abc-123");
    let res = app
        .bare_client()
        .get(app.url("/health"))
        .send()
        .await
        .expect("get");
    assert!(res.headers().get("x-request-id").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_function_errors_carry_their_http_status() {
    let app = TestApp::spawn().await;
    let client = app.logged_in("demo", "engineer").await;
    let status = change_password_form(
        &client,
        &app,
        "not-my-password",
        "another-password-1",
        "another-password-1",
    )
    .await;
    assert_eq!(status, 422);
    let status = change_password_form(
        &client,
        &app,
        PASSWORD,
        "another-password-1",
        "different-password-2",
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_role_or_a_deactivated_user_takes_effect_once_announced() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    // the user and grants are kept by the server between requests …
    for _ in 0..2 {
        let (status, _) = get(&engineer, &app, "/api/v1/inventory?q=pump").await;
        assert_eq!(status, 200);
    }
    // … until the tenant's roles change (as an administrator would, straight in the database)
    sqlx::query(
        "delete from user_roles ur using users u, tenants t
          where ur.user_id = u.id and u.tenant_id = t.id and t.slug = 'demo' and u.username = 'engineer'",
    )
    .execute(&app.db.owner)
    .await
    .expect("revoke");
    // (the change reaches the server by NOTIFY at commit: allow for its delivery, nothing more)
    let status = status_within(&engineer, &app, "/api/v1/inventory?q=pump", 403).await;
    assert_eq!(status, 403);
    sqlx::query("update users set active = false where username = 'engineer'")
        .execute(&app.db.owner)
        .await
        .expect("deactivate");
    let status = status_within(&engineer, &app, "/api/v1/auth/me", 401).await;
    assert_eq!(status, 401);
}

/// The status of GET `path`, asked again for up to two seconds until it is `want`.
async fn status_within(c: &reqwest::Client, app: &TestApp, path: &str, want: u16) -> u16 {
    let mut status = 0;
    for _ in 0..40 {
        status = get(c, app, path).await.0;
        if status == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    status
}
