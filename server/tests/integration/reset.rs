//! A way back in after a forgotten password (a single-use link by e-mail, the same answer whether
//! or not the account exists) and where one is signed in (listed, ended one by one, all of them on
//! a reset or a password change, or by an administrator).
use crate::common::*;
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "a-brand-new-secret-42";

/// A browser-like client that names itself with `user_agent`.
fn browser(app: &TestApp, user_agent: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", app.base.parse().expect("origin"));
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .cookie_store(true)
        .default_headers(headers)
        .user_agent(user_agent)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME: &str = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

async fn signed_in(
    app: &TestApp,
    user_agent: &str,
    tenant: &str,
    username: &str,
) -> reqwest::Client {
    let c = browser(app, user_agent);
    let res = app.login(&c, tenant, username).await;
    assert_eq!(res.status(), 200, "login of {tenant}/{username}");
    c
}

/// The status of `/api/v1/auth/me` for `c`: 200 signed in, 401 not.
async fn me(c: &reqwest::Client, app: &TestApp) -> u16 {
    get(c, app, "/api/v1/auth/me").await.0
}

/// The reset e-mails sent to `to` so far: (subject, body), oldest first.
async fn reset_mails(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "select subject, body_text from outbox_emails
          where to_address = $1 and body_text like '%/password-reset?token=%' order by created_at",
    )
    .bind(to)
    .fetch_all(&app.db.owner)
    .await
    .expect("outbox")
}

/// Waits (the link is made after the answer) for the `n`th reset e-mail to `to`.
async fn nth_reset_mail(app: &TestApp, to: &str, n: usize) -> (String, String) {
    for _ in 0..100 {
        let mails = reset_mails(app, to).await;
        if mails.len() >= n {
            return mails[n - 1].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no reset e-mail #{n} to {to}");
}

fn token_in(body: &str) -> String {
    let url = body
        .split_whitespace()
        .find(|w| w.contains("/password-reset?token="))
        .expect("the link");
    url.split("token=").nth(1).expect("token").to_string()
}

async fn ask(app: &TestApp, tenant: &str, login: &str) -> (u16, Value) {
    post(
        &app.client(),
        app,
        "/api/v1/auth/password-reset",
        json!({ "tenant": tenant, "login": login }),
    )
    .await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> (u16, Value) {
    post(
        &app.client(),
        app,
        "/api/v1/auth/password-reset/confirm",
        json!({ "token": token, "new_password": password }),
    )
    .await
}

async fn user_id(app: &TestApp, tenant: &str, username: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar(
        "select u.id from users u join tenants t on t.id = u.tenant_id where t.slug = $1 and u.username = $2",
    )
    .bind(tenant)
    .bind(username)
    .fetch_one(&app.db.owner)
    .await
    .expect("user");
    id.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_once_through_the_e_mailed_link_and_every_session_ends() {
    let app = TestApp::spawn().await;
    let elsewhere = signed_in(&app, FIREFOX, "demo", "engineer").await;
    let (status, body) = ask(&app, "Demo", " engineer ").await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["success"], true);
    let (subject, text) = nth_reset_mail(&app, "engineer@demo.example.com", 1).await;
    assert!(subject.contains("Millwright"), "{subject}");
    assert!(text.contains("engineer"), "{text}");
    let token = token_in(&text);
    // the link's page names the user and asks for the password
    let html = page(
        &app.client(),
        &app,
        &format!("/password-reset?token={token}"),
    )
    .await;
    assert!(
        html.contains("reset-username") && html.contains(">engineer<"),
        "{html}"
    );
    assert!(html.contains("/auth/password-reset/confirm"), "{html}");
    // a weak password is refused and leaves the link usable
    let (status, body) = confirm(&app, &token, "short").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
    assert!(
        body["error"]["details"]["new_password"].is_string(),
        "{body}"
    );
    assert_eq!(me(&elsewhere, &app).await, 200, "nothing changed yet");
    let (status, body) = confirm(&app, &token, NEW_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({ "tenant": "demo", "username": "engineer" })
    );
    // every session of the user ended; the old password is gone, the new one works
    assert_eq!(me(&elsewhere, &app).await, 401);
    let c = app.client();
    assert_eq!(app.login(&c, "demo", "engineer").await.status(), 401);
    let res = app.login_with(&c, "demo", "engineer", NEW_PASSWORD).await;
    assert_eq!(res.status(), 200);
    // the link works once
    let (status, body) = confirm(&app, &token, "another-long-secret-7").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "INVALID_STATE");
    let html = page(
        &app.client(),
        &app,
        &format!("/password-reset?token={token}"),
    )
    .await;
    assert!(!html.contains("/auth/password-reset/confirm"), "{html}");
    assert!(
        html.contains("/password-reset\""),
        "a way to ask again: {html}"
    );
    let res = app
        .login_with(&app.client(), "demo", "engineer", NEW_PASSWORD)
        .await;
    assert_eq!(res.status(), 200, "the refused reuse changed nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_asked_for_by_e_mail_address_arrives_in_the_users_language() {
    let app = TestApp::spawn().await;
    let (status, _) = ask(&app, "saif", "ENGINEER@saif.example.com").await;
    assert_eq!(status, 202);
    let (subject, text) = nth_reset_mail(&app, "engineer@saif.example.com", 1).await;
    // saif's users speak Hindi
    assert!(subject.contains("पासवर्ड"), "{subject}");
    assert!(text.contains("नमस्ते"), "{text}");
    let valid: bool = sqlx::query_scalar(
        "select expires_at between now() + interval '59 minutes' and now() + interval '61 minutes'
           from user_tokens where purpose = 'password_reset' order by created_at desc limit 1",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("token row");
    assert!(valid, "valid one hour");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_company_or_account_gets_the_same_answer_and_no_e_mail() {
    let app = TestApp::spawn().await;
    for (tenant, login) in [
        ("no-such-company", "engineer"),
        ("demo", "nobody"),
        ("demo", "nobody@demo.example.com"),
        // another tenant's user is unknown here
        ("saif", "engineer@demo.example.com"),
    ] {
        let (status, body) = ask(&app, tenant, login).await;
        assert_eq!(status, 202, "{tenant}/{login}: {body}");
        assert_eq!(body["data"], Value::Null);
    }
    // a known one afterwards, which is sent: the unknown ones sent nothing meanwhile
    let (status, _) = ask(&app, "demo", "manager").await;
    assert_eq!(status, 202);
    nth_reset_mail(&app, "manager@demo.example.com", 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sent: i64 = sqlx::query_scalar(
        "select count(*) from outbox_emails where body_text like '%/password-reset?token=%'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("outbox");
    assert_eq!(sent, 1);
    let tokens: i64 =
        sqlx::query_scalar("select count(*) from user_tokens where purpose = 'password_reset'")
            .fetch_one(&app.db.owner)
            .await
            .expect("tokens");
    assert_eq!(tokens, 1);
    // blank fields are said to be blank (that tells nothing about any account)
    let (status, body) = ask(&app, "demo", " ").await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"]["login"].is_string(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_for_links_is_rate_limited_per_ip() {
    let app = TestApp::spawn_with(|c| c.login_rate_per_minute = 2).await;
    for _ in 0..2 {
        assert_eq!(ask(&app, "demo", "nobody").await.0, 202);
    }
    let (status, body) = ask(&app, "demo", "nobody").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_or_made_up_link_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    assert_eq!(ask(&app, "demo", "engineer").await.0, 202);
    let (_, text) = nth_reset_mail(&app, "engineer@demo.example.com", 1).await;
    let token = token_in(&text);
    sqlx::query("update user_tokens set expires_at = now() - interval '1 second' where purpose = 'password_reset'")
        .execute(&app.db.owner)
        .await
        .expect("expire");
    for t in [token.as_str(), "not-a-token", ""] {
        let (status, body) = confirm(&app, t, NEW_PASSWORD).await;
        assert_eq!(status, 422, "{t}: {body}");
        assert_eq!(body["error"]["code"], "INVALID_STATE");
    }
    let html = page(
        &app.client(),
        &app,
        &format!("/password-reset?token={token}"),
    )
    .await;
    assert!(!html.contains("/auth/password-reset/confirm"), "{html}");
    let c = app.client();
    assert_eq!(app.login(&c, "demo", "engineer").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_clears_a_lockout_and_a_second_link_uses_up_the_first() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for _ in 0..5 {
        app.login_with(&c, "demo", "engineer", "wrong-password-x")
            .await;
    }
    let res = app.login(&c, "demo", "engineer").await;
    assert_eq!(json(res).await["error"]["code"], "ACCOUNT_LOCKED");
    assert_eq!(ask(&app, "demo", "engineer").await.0, 202);
    let first = token_in(&nth_reset_mail(&app, "engineer@demo.example.com", 1).await.1);
    assert_eq!(ask(&app, "demo", "engineer").await.0, 202);
    let second = token_in(&nth_reset_mail(&app, "engineer@demo.example.com", 2).await.1);
    assert_eq!(confirm(&app, &second, NEW_PASSWORD).await.0, 200);
    let res = app
        .login_with(&app.client(), "demo", "engineer", NEW_PASSWORD)
        .await;
    assert_eq!(res.status(), 200, "unlocked");
    assert_eq!(confirm(&app, &first, "yet-another-secret-9").await.0, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_link_sets_the_invited_users_first_password() {
    let app = TestApp::spawn().await;
    // what the users' invitation writes: an `invite` token valid 72 hours
    sqlx::query(
        "insert into user_tokens (tenant_id, user_id, purpose, token_hash, expires_at)
         select tenant_id, id, 'invite', sha256('invited-token-1'::bytea), now() + interval '72 hours'
           from users where username = 'warehouse' and tenant_id = (select id from tenants where slug = 'saif')",
    )
    .execute(&app.db.owner)
    .await
    .expect("invitation");
    let html = page(&app.client(), &app, "/password-reset?token=invited-token-1").await;
    assert!(html.contains(">warehouse<"), "{html}");
    let (status, body) = confirm(&app, "invited-token-1", NEW_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["tenant"], "saif");
    let res = app
        .login_with(&app.client(), "saif", "warehouse", NEW_PASSWORD)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(confirm(&app, "invited-token-1", NEW_PASSWORD).await.0, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reset_forms_work_without_javascript() {
    let app = TestApp::spawn().await;
    let visitor = app.client();
    let login_page = page(&visitor, &app, "/login?tenant=demo").await;
    assert!(
        login_page.contains("/password-reset?tenant=demo"),
        "{login_page}"
    );
    let res = visitor
        .post(app.url("/auth/password-reset"))
        .form(&[("tenant", "demo"), ("login", "engineer")])
        .send()
        .await
        .expect("form");
    assert_eq!(
        header(res.headers(), "location"),
        Some("/password-reset?sent=1")
    );
    let token = token_in(&nth_reset_mail(&app, "engineer@demo.example.com", 1).await.1);
    let post_new = |new: &'static str, again: &'static str| {
        let (visitor, token, url) = (
            visitor.clone(),
            token.clone(),
            app.url("/auth/password-reset/confirm"),
        );
        async move {
            visitor
                .post(url)
                .form(&[
                    ("token", token.as_str()),
                    ("new_password", new),
                    ("confirm_password", again),
                ])
                .send()
                .await
                .expect("form")
        }
    };
    let res = post_new(NEW_PASSWORD, "something-else-entirely").await;
    let to = header(res.headers(), "location")
        .unwrap_or_default()
        .to_string();
    assert!(to.contains("bad_confirm_password=mismatch"), "{to}");
    let res = post_new("short", "short").await;
    let to = header(res.headers(), "location")
        .unwrap_or_default()
        .to_string();
    assert!(
        to.contains("bad_new_password=too_short") && to.contains(&token),
        "{to}"
    );
    let shown = page(&visitor, &app, &to).await;
    assert!(shown.contains("new_password-error"), "{shown}");
    let res = post_new(NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(
        header(res.headers(), "location"),
        Some("/login?notice=password_set&tenant=demo&username=engineer")
    );
    let res = app
        .login_with(&app.client(), "demo", "engineer", NEW_PASSWORD)
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_listed_and_one_ended_stops_its_cookie_on_every_instance() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let phone = signed_in(&app, CHROME, "demo", "engineer").await;
    let laptop = signed_in(&app, FIREFOX, "demo", "engineer").await;
    // the phone's session is used (and kept) on the other instance too
    assert_eq!(me(&phone, &other).await, 200);
    let list = data_of(&laptop, &app, "/api/v1/auth/sessions").await;
    let rows = list["sessions"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 2, "{list}");
    assert_eq!(list["pagination"]["total"], 2);
    let current: Vec<&Value> = rows.iter().filter(|r| r["current"] == true).collect();
    assert_eq!(current.len(), 1, "{list}");
    assert_eq!(current[0]["user_agent"], FIREFOX);
    assert_eq!(current[0]["ip"], "127.0.0.1");
    let phone_row = rows
        .iter()
        .find(|r| r["current"] == false)
        .expect("the phone");
    assert_eq!(phone_row["user_agent"], CHROME);
    // the current one is ended by signing out, not here
    let (status, body) = delete(
        &laptop,
        &app,
        &format!("/api/v1/auth/sessions/{}", id_of(current[0])),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "INVALID_STATE");
    let (status, _) = delete(
        &laptop,
        &app,
        &format!("/api/v1/auth/sessions/{}", uuid::Uuid::new_v4()),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = delete(
        &laptop,
        &app,
        &format!("/api/v1/auth/sessions/{}", id_of(phone_row)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(me(&phone, &app).await, 401);
    // the other instance hears of it
    let mut status = 200;
    for _ in 0..50 {
        status = me(&phone, &other).await;
        if status == 401 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
    }
    assert_eq!(
        status, 401,
        "the ended session still works on the other instance"
    );
    assert_eq!(me(&laptop, &app).await, 200);
    let list = data_of(&laptop, &app, "/api/v1/auth/sessions").await;
    assert_eq!(list["sessions"].as_array().map(Vec::len), Some(1), "{list}");
    // the account page shows it, with the device read from the user agent
    let html = page(&laptop, &app, "/account/sessions").await;
    assert!(html.contains("Firefox · Linux"), "{html}");
    // signing out removes its row
    let (status, _) = post_empty(&laptop, &app, "/api/v1/auth/logout").await;
    assert_eq!(status, 200);
    let rows: i64 = sqlx::query_scalar("select count(*) from user_sessions")
        .fetch_one(&app.db.owner)
        .await
        .expect("rows");
    assert_eq!(rows, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_functions_list_and_end_sessions_as_rest_does() {
    let app = TestApp::spawn().await;
    let phone = signed_in(&app, CHROME, "demo", "manager").await;
    let laptop = signed_in(&app, FIREFOX, "demo", "manager").await;
    let res = laptop
        .get(app.url("/sfn/list_sessions"))
        .send()
        .await
        .expect("list");
    assert_eq!(res.status(), 200);
    let rows: Value = res.json().await.expect("json");
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let mine = rows.iter().find(|r| r["current"] == true).expect("current");
    let res = server_fn(&laptop, &app, "end_session", &[("id", &id_of(mine))]).await;
    assert_eq!(res.status(), 422);
    let theirs = rows.iter().find(|r| r["current"] == false).expect("other");
    let res = server_fn(&laptop, &app, "end_session", &[("id", &id_of(theirs))]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(me(&phone, &app).await, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_ends_the_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn().await;
    let phone = signed_in(&app, CHROME, "demo", "engineer").await;
    let laptop = signed_in(&app, FIREFOX, "demo", "engineer").await;
    let (status, body) = put(
        &laptop,
        &app,
        "/api/v1/auth/me/password",
        json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(me(&phone, &app).await, 401);
    assert_eq!(me(&laptop, &app).await, 200);
    let list = data_of(&laptop, &app, "/api/v1/auth/sessions").await;
    let rows = list["sessions"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 1, "{list}");
    assert_eq!(
        rows[0]["current"], true,
        "the kept session is listed under its new id"
    );
    // a wrong current password changes nothing, and ends nothing
    let again = browser(&app, CHROME);
    let res = app
        .login_with(&again, "demo", "engineer", NEW_PASSWORD)
        .await;
    assert_eq!(res.status(), 200);
    let (status, _) = put(
        &laptop,
        &app,
        "/api/v1/auth/me/password",
        json!({ "current_password": "not-the-password", "new_password": "yet-another-secret-9" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(me(&again, &app).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_ends_every_session_of_a_user_of_their_company_only() {
    let app = TestApp::spawn().await;
    let engineer = signed_in(&app, CHROME, "demo", "engineer").await;
    let engineer_too = signed_in(&app, FIREFOX, "demo", "engineer").await;
    let saif_engineer = signed_in(&app, CHROME, "saif", "engineer").await;
    let admin = app.logged_in("demo", "admin").await;
    let id = user_id(&app, "demo", "engineer").await;
    let saif_id = user_id(&app, "saif", "engineer").await;
    // not an administrator: 403; another company's user: 404
    let (status, _) =
        post_empty(&engineer, &app, &format!("/api/v1/users/{id}/end-sessions")).await;
    assert_eq!(status, 403);
    let (status, _) = post_empty(
        &admin,
        &app,
        &format!("/api/v1/users/{saif_id}/end-sessions"),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(me(&saif_engineer, &app).await, 200);
    let (status, body) =
        post_empty(&admin, &app, &format!("/api/v1/users/{id}/end-sessions")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["ended"], 2);
    assert_eq!(me(&engineer, &app).await, 401);
    assert_eq!(me(&engineer_too, &app).await, 401);
    assert_eq!(me(&admin, &app).await, 200);
    assert_eq!(
        me(&saif_engineer, &app).await,
        200,
        "the other company's user keeps theirs"
    );
    // each tenant sees only its own sessions; another tenant's session id is 404
    let saif_list = data_of(&saif_engineer, &app, "/api/v1/auth/sessions").await;
    assert_eq!(
        saif_list["sessions"].as_array().map(Vec::len),
        Some(1),
        "{saif_list}"
    );
    let admin_list = data_of(&admin, &app, "/api/v1/auth/sessions").await;
    let admin_session = id_of(&admin_list["sessions"][0]);
    let (status, _) = delete(
        &saif_engineer,
        &app,
        &format!("/api/v1/auth/sessions/{admin_session}"),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(me(&admin, &app).await, 200);
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'end_sessions'")
            .fetch_one(&app.db.owner)
            .await
            .expect("audit");
    assert_eq!(audited, 1);
}
