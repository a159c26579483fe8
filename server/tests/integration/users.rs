//! Users and roles kept by administrators (issue 25, points 3 and 4), black-box over REST on the
//! real PostgreSQL: the list and its filters, creation with a password or by invitation (the
//! e-mail in the outbox, a single-use 72-hour token), editing, deactivation ending sessions and
//! tokens on every instance, unlock, reset links, CSV import all-or-nothing with errors by line,
//! the permission catalogue, roles (copy, grants, scopes, delete), changes effective at the next
//! request, the lock-out protections, audit, and tenant isolation.
use crate::common::*;
use app::error::{AppError, Refusal};
use app::i18n::Locale;
use reqwest::Client;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The status of `GET path` on `instance`, asked again (up to two seconds) until it is `want`:
/// another instance hears of a change when PostgreSQL's notification reaches it.
async fn eventually(c: &Client, instance: &TestApp, path: &str, want: u16) -> (u16, Value) {
    let mut last = (0, Value::Null);
    for _ in 0..40 {
        last = get(c, instance, path).await;
        if last.0 == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    last
}

async fn spawn() -> TestApp {
    TestApp::spawn_with(|c| c.login_rate_per_minute = 1000).await
}

async fn user_id(app: &TestApp, slug: &str, username: &str) -> String {
    id_where(
        app,
        &format!(
            "select u.id from users u join tenants t on t.id = u.tenant_id \
              where t.slug = '{slug}' and u.username = '{username}'"
        ),
    )
    .await
}

async fn role_id(app: &TestApp, slug: &str, name: &str) -> String {
    id_where(
        app,
        &format!(
            "select r.id from roles r join tenants t on t.id = r.tenant_id \
              where t.slug = '{slug}' and r.name = '{name}'"
        ),
    )
    .await
}

/// purpose, hash, seconds left, used at
type TokenRow = (String, Vec<u8>, f64, Option<chrono::DateTime<chrono::Utc>>);

fn assert_error(status: u16, body: &Value, want_status: u16, code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
}

fn refusal_message(refusal: Refusal, locale: Locale) -> String {
    AppError::Refused(refusal).message(locale)
}

fn new_user(username: &str, roles: &[&str], password: Option<&str>) -> Value {
    let mut body = json!({
        "username": username,
        "display_name": format!("{username} Test"),
        "email": format!("{username}@example.in"),
        "roles": roles,
    });
    if let Some(p) = password {
        body["password"] = json!(p);
    }
    body
}

async fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        count_of(app, "select count(*) from users").await,
        count_of(app, "select count(*) from outbox_emails").await,
        count_of(app, "select count(*) from user_tokens").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_searches_filters_and_pages_and_only_administrators_see_it() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let all = data_of(&admin, &app, "/api/v1/users?per_page=100").await;
    let users = all["users"].as_array().expect("users");
    assert_eq!(
        all["pagination"]["total"].as_u64(),
        Some(users.len() as u64)
    );
    assert!(users.len() >= 8, "{all}");
    let engineer = users
        .iter()
        .find(|u| u["username"] == "engineer")
        .expect("engineer listed");
    for field in [
        "display_name",
        "email",
        "roles",
        "plant",
        "active",
        "locked",
        "totp_enabled",
        "manager",
        "department",
        "last_login_at",
    ] {
        assert!(engineer.get(field).is_some(), "{field} in {engineer}");
    }
    assert_eq!(engineer["roles"], json!(["Engineer"]));
    assert_eq!(engineer["manager"]["name"], "Meera Manager");
    assert!(engineer["plant"]["name"].is_string());
    // no user of another company
    assert!(users.iter().all(|u| !u["email"]
        .as_str()
        .unwrap_or("")
        .ends_with("@saif.example.com")));

    let found = data_of(&admin, &app, "/api/v1/users?q=ENGINEER").await;
    let names: Vec<&str> = found["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(names, vec!["engineer"]);
    // the wildcard is a literal character
    let none = data_of(&admin, &app, "/api/v1/users?q=%25").await;
    assert_eq!(none["pagination"]["total"], 0, "{none}");

    let managers = data_of(&admin, &app, "/api/v1/users?role=Manager").await;
    assert!(managers["users"]
        .as_array()
        .expect("users")
        .iter()
        .all(|u| u["roles"]
            .as_array()
            .expect("roles")
            .contains(&json!("Manager"))));
    let page = data_of(&admin, &app, "/api/v1/users?per_page=3&page=2").await;
    assert_eq!(page["users"].as_array().map(Vec::len), Some(3));
    assert_eq!(page["pagination"]["page"], 2);
    let inactive = data_of(&admin, &app, "/api/v1/users?active=false").await;
    assert_eq!(inactive["pagination"]["total"], 0);

    let engineer = app.logged_in("demo", "engineer").await;
    let (status, body) = get(&engineer, &app, "/api/v1/users").await;
    assert_error(status, &body, 403, "FORBIDDEN");
    let (status, body) = get(&engineer, &app, "/api/v1/roles").await;
    assert_error(status, &body, 403, "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_created_with_a_password_signs_in_with_the_roles_given() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let (status, body) = post(
        &admin,
        &app,
        "/api/v1/users",
        new_user("Asha.K", &["Engineer", "Manager"], Some("Correct-horse-9")),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let user = &body["data"];
    assert_eq!(user["username"], "asha.k");
    assert_eq!(user["roles"], json!(["Engineer", "Manager"]));
    assert_eq!(user["invited"], false);
    assert_eq!(user["language"], "en", "the company's default");
    let c = app.client();
    let res = app
        .login_with(&c, "demo", "asha.k", "Correct-horse-9")
        .await;
    assert_eq!(res.status(), 200);
    let me = data_of(&c, &app, "/api/v1/auth/me").await;
    assert_eq!(me["user"]["roles"], json!(["Engineer", "Manager"]), "{me}");
    let audited = count_of(
        &app,
        &format!(
            "select count(*) from audit_log where entity = 'user' and action = 'create' and entity_id = '{}'",
            user["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(audited, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_field_by_field_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let before = counts(&app).await;
    let (status, body) = post(
        &admin,
        &app,
        "/api/v1/users",
        json!({
            "username": "no spaces please",
            "display_name": " ",
            "email": "nowhere",
            "language": "fr",
            "roles": ["Engineer", "Pilot"],
            "password": "short",
            "manager_id": uuid::Uuid::new_v4(),
            "plant_id": uuid::Uuid::new_v4(),
        }),
    )
    .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    let details = &body["error"]["details"];
    for field in [
        "username",
        "display_name",
        "email",
        "language",
        "roles[1]",
        "manager_id",
        "plant_id",
    ] {
        assert!(details[field].is_string(), "{field}: {body}");
    }
    assert!(details.get("roles[0]").is_none());
    // a weak password, with an otherwise good user
    let (status, body) = post(
        &admin,
        &app,
        "/api/v1/users",
        new_user("weak", &[], Some("short")),
    )
    .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["password"].is_string(), "{body}");
    // a taken user name
    let (status, body) = post(
        &admin,
        &app,
        "/api/v1/users",
        new_user("engineer", &[], None),
    )
    .await;
    assert_error(status, &body, 409, "CONFLICT");
    assert!(body["error"]["details"]["username"].is_string(), "{body}");
    assert_eq!(counts(&app).await, before, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_is_e_mailed_in_the_user_s_language_with_a_single_use_72_hour_token() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let mut body = new_user("ravi", &["Engineer"], None);
    body["language"] = json!("hi");
    body["email"] = json!("ravi@example.in");
    let (status, created) = post(&admin, &app, "/api/v1/users", body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["data"]["invited"], true);
    let id = created["data"]["id"].as_str().expect("id").to_string();

    let mails: Vec<(String, String)> = sqlx::query_as(
        "select subject, body_text from outbox_emails where to_address = 'ravi@example.in'",
    )
    .fetch_all(&app.db.owner)
    .await
    .expect("outbox");
    assert_eq!(mails.len(), 1, "one e-mail");
    let (subject, text) = &mails[0];
    assert!(subject.contains("Millwright"), "{subject}");
    assert!(subject.contains("खाता"), "in Hindi: {subject}");
    assert!(text.starts_with("नमस्ते"), "in Hindi: {text}");
    assert!(text.contains("demo") && text.contains("ravi"), "{text}");
    let token = text
        .split("/password-reset?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the link")
        .to_string();

    let rows: Vec<TokenRow> = sqlx::query_as(
        "select purpose, token_hash, extract(epoch from expires_at - now())::float8, used_at
               from user_tokens where user_id = $1::uuid",
    )
    .bind(&id)
    .fetch_all(&app.db.owner)
    .await
    .expect("tokens");
    assert_eq!(rows.len(), 1, "one token row");
    let (purpose, hash, secs_left, used_at) = &rows[0];
    assert_eq!(purpose, "invite");
    assert_eq!(hash.as_slice(), Sha256::digest(token.as_bytes()).as_slice());
    assert!((secs_left - 72.0 * 3600.0).abs() < 120.0, "{secs_left}");
    assert!(used_at.is_none());
    // single use: it is consumed only through the token's own single-use update
    let used: Option<uuid::Uuid> = sqlx::query_scalar(
        "update user_tokens set used_at = now()
          where token_hash = $1 and purpose = 'invite' and used_at is null and expires_at > now()
          returning user_id",
    )
    .bind(hash)
    .fetch_optional(&app.db.owner)
    .await
    .expect("use");
    assert!(used.is_some());
    let again: Option<uuid::Uuid> = sqlx::query_scalar(
        "update user_tokens set used_at = now()
          where token_hash = $1 and purpose = 'invite' and used_at is null and expires_at > now()
          returning user_id",
    )
    .bind(hash)
    .fetch_optional(&app.db.owner)
    .await
    .expect("use again");
    assert!(again.is_none(), "used once");
    // no password signs the invited user in meanwhile
    let c = app.client();
    let res = app.login_with(&c, "demo", "ravi", "!invited").await;
    assert_eq!(res.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_changes_facts_and_roles_audited_and_effective_at_the_next_request() {
    let app = spawn().await;
    let other = app.another_instance().await;
    let admin = app.logged_in("demo", "admin").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let id = user_id(&app, "demo", "engineer").await;
    let (status, body) = get(&engineer, &other, "/api/v1/users").await;
    assert_error(status, &body, 403, "FORBIDDEN");

    // a custom role that can keep users, given to the engineer
    let (status, role) = post(
        &admin,
        &app,
        "/api/v1/roles",
        json!({ "name": "Helpdesk", "grants": [{ "permission": "user:manage", "scope": "all" }] }),
    )
    .await;
    assert_eq!(status, 201, "{role}");
    let role_id = role["data"]["id"].as_str().expect("id").to_string();
    let before = data_of(&admin, &app, &format!("/api/v1/users/{id}")).await;
    let (status, body) = put(
        &admin,
        &app,
        &format!("/api/v1/users/{id}"),
        json!({
            "display_name": "Eve Engineer-Rao",
            "email": "eve@example.in",
            "language": "te",
            "manager_id": before["manager"]["id"],
            "department_id": before["department"]["id"],
            "plant_id": before["plant"]["id"],
            "roles": ["Engineer", "Helpdesk"],
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["roles"], json!(["Engineer", "Helpdesk"]));
    assert_eq!(body["data"]["display_name"], "Eve Engineer-Rao");
    assert_eq!(body["data"]["language"], "te");
    // at the engineer's next request here, and on the other instance once it hears of it
    let (status, body) = eventually(&engineer, &other, "/api/v1/users", 200).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = get(&engineer, &app, "/api/v1/users").await;
    assert_eq!(status, 200);
    let audit: Value = sqlx::query_scalar(
        "select jsonb_build_object('old', old_values, 'new', new_values) from audit_log
          where entity = 'user' and action = 'update_roles' and entity_id = $1",
    )
    .bind(&id)
    .fetch_one(&app.db.owner)
    .await
    .expect("audited");
    assert_eq!(audit["old"]["roles"], json!(["Engineer"]));
    assert_eq!(audit["new"]["roles"], json!(["Engineer", "Helpdesk"]));

    // the role loses the permission: gone at the next request, on either instance
    let (status, body) = put(
        &admin,
        &app,
        &format!("/api/v1/roles/{role_id}"),
        json!({ "name": "Helpdesk", "grants": [] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&engineer, &app, "/api/v1/users").await;
    assert_error(status, &body, 403, "FORBIDDEN");
    let (status, body) = eventually(&engineer, &other, "/api/v1/users", 403).await;
    assert_error(status, &body, 403, "FORBIDDEN");
    let grant_audits = count_of(
        &app,
        &format!(
            "select count(*) from audit_log where entity = 'role' and entity_id = '{role_id}'"
        ),
    )
    .await;
    assert_eq!(grant_audits, 2, "created and changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_revokes_tokens_at_once_and_ends_sessions_on_every_instance() {
    let app = spawn().await;
    let other = app.another_instance().await;
    let admin = app.logged_in("demo", "admin").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let (token, _) = api_token(&engineer, &app, "integration").await;
    let bearer = app.bare_client();
    let with_token = |instance: &TestApp| {
        bearer
            .get(instance.url("/api/v1/auth/me"))
            .bearer_auth(&token)
            .send()
    };
    // both instances know the engineer (their caches hold them)
    for instance in [&app, &other] {
        assert_eq!(get(&engineer, instance, "/api/v1/auth/me").await.0, 200);
        assert_eq!(with_token(instance).await.expect("me").status(), 200);
    }
    let id = user_id(&app, "demo", "engineer").await;
    let (status, body) = post_empty(&admin, &app, &format!("/api/v1/users/{id}/deactivate")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["active"], false);
    let revoked = count_of(
        &app,
        &format!(
            "select count(*) from api_tokens where user_id = '{id}' and revoked_at is not null"
        ),
    )
    .await;
    assert_eq!(revoked, 1, "revoked in the same transaction");
    // at once here; on the other instance once it hears of it
    let (status, body) = get(&engineer, &app, "/api/v1/auth/me").await;
    assert_error(status, &body, 401, "UNAUTHENTICATED");
    let (status, body) = eventually(&engineer, &other, "/api/v1/auth/me", 401).await;
    assert_error(status, &body, 401, "UNAUTHENTICATED");
    // a revoked token is refused by its look-up, which nothing keeps
    for instance in [&other, &app] {
        assert_eq!(with_token(instance).await.expect("me").status(), 401);
    }
    let res = app.login(&app.client(), "demo", "engineer").await;
    assert_eq!(res.status(), 401, "a deactivated user cannot sign in");

    // reactivated: signs in again; the old session and the token stay ended
    let (status, body) = post_empty(&admin, &app, &format!("/api/v1/users/{id}/activate")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&engineer, &other, "/api/v1/auth/me").await.0, 401);
    assert_eq!(with_token(&app).await.expect("me").status(), 401);
    app.logged_in("demo", "engineer").await;
    for action in ["deactivate", "activate"] {
        let n = count_of(
            &app,
            &format!(
                "select count(*) from audit_log where entity = 'user' and action = '{action}' and entity_id = '{id}'"
            ),
        )
        .await;
        assert_eq!(n, 1, "{action} audited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_deactivates_themselves_and_the_last_administrator_keeps_administration() {
    let app = spawn().await;
    // Saif's administrator reads Hindi: the reason is in Hindi
    let admin = app.logged_in("saif", "admin").await;
    let admin_id = user_id(&app, "saif", "admin").await;
    let (status, body) = post_empty(
        &admin,
        &app,
        &format!("/api/v1/users/{admin_id}/deactivate"),
    )
    .await;
    assert_error(status, &body, 422, "INVALID_STATE");
    assert_eq!(
        body["error"]["message"],
        refusal_message(Refusal::OwnAccount, Locale::hi)
    );
    let me = data_of(&admin, &app, &format!("/api/v1/users/{admin_id}")).await;
    let edit = |roles: Value| {
        json!({
            "display_name": me["display_name"], "email": me["email"],
            "department_id": me["department"]["id"], "plant_id": me["plant"]["id"],
            "roles": roles,
        })
    };
    // removing their own Admin role would leave nobody to administer the company
    let (status, body) = put(
        &admin,
        &app,
        &format!("/api/v1/users/{admin_id}"),
        edit(json!(["Engineer"])),
    )
    .await;
    assert_error(status, &body, 422, "INVALID_STATE");
    assert_eq!(
        body["error"]["message"],
        refusal_message(Refusal::LastAdministrator, Locale::hi)
    );
    assert_eq!(
        data_of(&admin, &app, &format!("/api/v1/users/{admin_id}")).await["roles"],
        json!(["Admin"]),
        "unchanged"
    );
    // a custom administration role is protected the same way
    let (status, role) = post(
        &admin,
        &app,
        "/api/v1/roles",
        json!({ "name": "Chief", "copy_of": role_id(&app, "saif", "Admin").await }),
    )
    .await;
    assert_eq!(status, 201, "{role}");
    assert!(role["data"]["grants"]
        .as_array()
        .expect("grants")
        .contains(&json!({ "permission": "role:manage", "scope": "all" })));
    let chief = role["data"]["id"].as_str().expect("id").to_string();
    let (status, second) = post(
        &admin,
        &app,
        "/api/v1/users",
        new_user("deputy", &["Chief"], Some("Deputy-password-1")),
    )
    .await;
    assert_eq!(status, 201, "{second}");
    let deputy_id = second["data"]["id"].as_str().expect("id").to_string();
    // with a deputy, the first administrator may give up the Admin role
    let (status, body) = put(
        &admin,
        &app,
        &format!("/api/v1/users/{admin_id}"),
        edit(json!(["Engineer"])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let deputy = app.client();
    let res = app
        .login_with(&deputy, "saif", "deputy", "Deputy-password-1")
        .await;
    assert_eq!(res.status(), 200);
    // the deputy is now the last: their role cannot lose role:manage, nor can they be deactivated
    let (status, body) = put(
        &deputy,
        &app,
        &format!("/api/v1/roles/{chief}"),
        json!({ "name": "Chief", "grants": [{ "permission": "user:manage", "scope": "all" }] }),
    )
    .await;
    assert_error(status, &body, 422, "INVALID_STATE");
    let (status, body) = put(
        &deputy,
        &app,
        &format!("/api/v1/users/{deputy_id}"),
        json!({ "display_name": "Deputy", "email": "deputy@example.in", "roles": [] }),
    )
    .await;
    assert_error(status, &body, 422, "INVALID_STATE");
    // the role is in use: it cannot be deleted
    let (status, body) = delete(&deputy, &app, &format!("/api/v1/roles/{chief}")).await;
    assert_error(status, &body, 409, "CONFLICT");
    assert_eq!(
        data_of(&deputy, &app, "/api/v1/users?role=Chief").await["pagination"]["total"],
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_copied_checked_against_the_catalogue_and_deleted_when_unused() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let catalogue = data_of(&admin, &app, "/api/v1/permissions").await;
    let perms = catalogue["permissions"].as_array().expect("permissions");
    let approve = perms
        .iter()
        .find(|p| p["permission"] == "requisition:approve")
        .expect("in the catalogue");
    assert_eq!(approve["scopes"], json!(["department", "plant", "all"]));
    assert!(!approve["description"].as_str().unwrap_or("").is_empty());
    for p in [
        "user:manage",
        "role:manage",
        "tenant:manage",
        "audit:view",
        "goods:accept",
    ] {
        assert!(perms.iter().any(|x| x["permission"] == p), "{p}");
    }
    // in the caller's language
    let saif = app.logged_in("saif", "admin").await;
    let hindi = data_of(&saif, &app, "/api/v1/permissions").await;
    assert_eq!(
        hindi["permissions"][0]["description"],
        app::platform::users::describe(
            Locale::hi,
            hindi["permissions"][0]["permission"]
                .as_str()
                .expect("name")
        )
    );

    let roles = data_of(&admin, &app, "/api/v1/roles").await;
    let engineer = roles["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == "Engineer")
        .expect("Engineer")
        .clone();
    assert_eq!(engineer["system"], true);
    let before = count_of(&app, "select count(*) from roles").await;
    for (grants, field) in [
        (
            json!([{ "permission": "rocket:launch", "scope": "all" }]),
            "grants[0].permission",
        ),
        (
            json!([{ "permission": "tenant:manage", "scope": "own" }]),
            "grants[0].scope",
        ),
        (
            json!([{ "permission": "po:view", "scope": "all" }, { "permission": "po:view", "scope": "all" }]),
            "grants[1].permission",
        ),
        (
            json!([{ "permission": "po:view", "scope": "galaxy" }]),
            "grants[0].scope",
        ),
    ] {
        let (status, body) = post(
            &admin,
            &app,
            "/api/v1/roles",
            json!({ "name": "Bad", "grants": grants }),
        )
        .await;
        assert_error(status, &body, 422, "VALIDATION_ERROR");
        assert!(
            body["error"]["details"][field].is_string(),
            "{field}: {body}"
        );
    }
    let (status, body) = post(&admin, &app, "/api/v1/roles", json!({ "name": "Engineer" })).await;
    assert_error(status, &body, 409, "CONFLICT");
    assert_eq!(count_of(&app, "select count(*) from roles").await, before);

    // a copy of the system Engineer role, then its own grants
    let (status, copy) = post(
        &admin,
        &app,
        "/api/v1/roles",
        json!({ "name": "Site engineer", "description": "Engineers on site", "copy_of": engineer["id"] }),
    )
    .await;
    assert_eq!(status, 201, "{copy}");
    assert_eq!(copy["data"]["grants"], engineer["grants"]);
    assert_eq!(copy["data"]["system"], false);
    let id = copy["data"]["id"].as_str().expect("id").to_string();
    let (status, body) = put(
        &admin,
        &app,
        &format!("/api/v1/roles/{id}"),
        json!({ "name": "Site engineer", "grants": [
            { "permission": "requisition:view", "scope": "plant" },
            { "permission": "requisition:create", "scope": "own" }
        ] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["grants"],
        json!([
            { "permission": "requisition:create", "scope": "own" },
            { "permission": "requisition:view", "scope": "plant" }
        ])
    );
    // system roles are copied, not changed or deleted (a translated reason)
    let system = engineer["id"].as_str().expect("id");
    let (status, body) = put(
        &admin,
        &app,
        &format!("/api/v1/roles/{system}"),
        json!({ "name": "Engineer", "grants": [] }),
    )
    .await;
    assert_error(status, &body, 422, "INVALID_STATE");
    assert_eq!(
        body["error"]["message"],
        refusal_message(Refusal::SystemRole, Locale::en)
    );
    let (status, body) = delete(&admin, &app, &format!("/api/v1/roles/{system}")).await;
    assert_error(status, &body, 422, "INVALID_STATE");
    // unused: deleted, audited
    let (status, body) = delete(&admin, &app, &format!("/api/v1/roles/{id}")).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = get(&admin, &app, &format!("/api/v1/roles/{id}")).await;
    assert_eq!(status, 404);
    let audited = count_of(
        &app,
        &format!("select count(*) from audit_log where entity = 'role' and entity_id = '{id}'"),
    )
    .await;
    assert_eq!(audited, 3, "created, changed, deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_company_s_users_and_roles_are_not_found() {
    let app = spawn().await;
    let saif = app.logged_in("saif", "admin").await;
    let demo_user = user_id(&app, "demo", "engineer").await;
    let demo_role = role_id(&app, "demo", "Engineer").await;
    let before = count_of(&app, "select count(*) from audit_log").await;
    for (status, body) in [
        get(&saif, &app, &format!("/api/v1/users/{demo_user}")).await,
        put(
            &saif,
            &app,
            &format!("/api/v1/users/{demo_user}"),
            json!({ "display_name": "X", "email": "x@example.in", "roles": [] }),
        )
        .await,
        post_empty(
            &saif,
            &app,
            &format!("/api/v1/users/{demo_user}/deactivate"),
        )
        .await,
        post_empty(&saif, &app, &format!("/api/v1/users/{demo_user}/activate")).await,
        post_empty(&saif, &app, &format!("/api/v1/users/{demo_user}/unlock")).await,
        post_empty(
            &saif,
            &app,
            &format!("/api/v1/users/{demo_user}/send-password-reset"),
        )
        .await,
        get(&saif, &app, &format!("/api/v1/roles/{demo_role}")).await,
        put(
            &saif,
            &app,
            &format!("/api/v1/roles/{demo_role}"),
            json!({ "name": "X", "grants": [] }),
        )
        .await,
        delete(&saif, &app, &format!("/api/v1/roles/{demo_role}")).await,
    ] {
        assert_error(status, &body, 404, "NOT_FOUND");
    }
    // nor can another company's user be made one's manager, or copied role
    let (status, body) = post(
        &saif,
        &app,
        "/api/v1/users",
        json!({ "username": "x1", "display_name": "X", "email": "x@example.in", "manager_id": demo_user }),
    )
    .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["manager_id"].is_string());
    let (status, body) = post(
        &saif,
        &app,
        "/api/v1/roles",
        json!({ "name": "Copy", "copy_of": demo_role }),
    )
    .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert_eq!(
        count_of(&app, "select count(*) from audit_log").await,
        before
    );
    let active: bool = sqlx::query_scalar("select active from users where id = $1::uuid")
        .bind(&demo_user)
        .fetch_one(&app.db.owner)
        .await
        .expect("user");
    assert!(active);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_user_is_unlocked_and_a_reset_link_is_sent() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let c = app.client();
    for _ in 0..5 {
        app.login_with(&c, "demo", "warehouse", "wrong-password-1")
            .await;
    }
    assert_eq!(app.login(&c, "demo", "warehouse").await.status(), 401);
    let id = user_id(&app, "demo", "warehouse").await;
    let user = data_of(&admin, &app, &format!("/api/v1/users/{id}")).await;
    assert_eq!(user["locked"], true, "{user}");
    let (status, body) = post_empty(&admin, &app, &format!("/api/v1/users/{id}/unlock")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["locked"], false);
    assert_eq!(app.login(&c, "demo", "warehouse").await.status(), 200);

    let (status, body) = post_empty(
        &admin,
        &app,
        &format!("/api/v1/users/{id}/send-password-reset"),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let (purpose, secs_left): (String, f64) = sqlx::query_as(
        "select purpose, extract(epoch from expires_at - now())::float8 from user_tokens
          where user_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.db.owner)
    .await
    .expect("one token");
    assert_eq!(purpose, "password_reset");
    assert!((secs_left - 3600.0).abs() < 120.0, "{secs_left}");
    let text: String = sqlx::query_scalar(
        "select o.body_text from outbox_emails o join users u on u.email = o.to_address
          where u.id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.db.owner)
    .await
    .expect("e-mail");
    assert!(text.contains("/password-reset?token="), "{text}");
    // a deactivated user is sent nothing
    post_empty(&admin, &app, &format!("/api/v1/users/{id}/deactivate")).await;
    let (status, body) = post_empty(
        &admin,
        &app,
        &format!("/api/v1/users/{id}/send-password-reset"),
    )
    .await;
    assert_error(status, &body, 422, "INVALID_STATE");
}

async fn import(c: &Client, app: &TestApp, csv: &str) -> (u16, Value) {
    let res = c
        .post(app.url("/api/v1/users/import"))
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .expect("import");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_import_writes_every_row_or_none_with_errors_by_line() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let before = counts(&app).await;
    let bad = "username,display_name,email,roles,department,manager\n\
               kiran,Kiran,kiran@example.in,Engineer,,manager\n\
               engineer,Again,again@example.in,,,\n\
               neel,Neel,not-an-address,Pilot,NOPE,ghost\n";
    let (status, body) = import(&admin, &app, bad).await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    let details = body["error"]["details"].as_object().expect("details");
    let mut keys: Vec<&str> = details.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "line[3].username",
            "line[4].department",
            "line[4].email",
            "line[4].manager",
            "line[4].roles",
        ],
        "{body}"
    );
    assert_eq!(counts(&app).await, before, "nothing written");

    let good = "username,display_name,email,language,roles,department,plant,manager\n\
                kiran,Kiran Rao,kiran@example.in,te,Engineer;Manager,,MAI,manager\n\
                neel,Neel Sen,neel@example.in,,Engineer,,,kiran\n";
    let (status, body) = import(&admin, &app, good).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["imported"], 2);
    let neel = data_of(&admin, &app, "/api/v1/users?q=neel@").await;
    let neel = &neel["users"][0];
    assert_eq!(neel["manager"]["name"], "Kiran Rao", "{neel}");
    assert_eq!(neel["invited"], true);
    let kiran = data_of(&admin, &app, "/api/v1/users?q=kiran@").await;
    assert_eq!(kiran["users"][0]["roles"], json!(["Engineer", "Manager"]));
    assert_eq!(kiran["users"][0]["language"], "te");
    let (users, mails, tokens) = counts(&app).await;
    assert_eq!(
        (users, mails, tokens),
        (before.0 + 2, before.1 + 2, before.2 + 2)
    );
    let invites = count_of(
        &app,
        "select count(*) from user_tokens where purpose = 'invite' and expires_at > now() + interval '71 hours'",
    )
    .await;
    assert_eq!(invites, 2);
    // an engineer may not import
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, body) = import(&engineer, &app, good).await;
    assert_error(status, &body, 403, "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screens_render_on_the_server_translated_and_right_to_left() {
    let app = spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    set_language(&admin, &app, "ar").await;
    let html = page(&admin, &app, "/admin/users").await;
    assert!(html.contains(r#"dir="rtl""#), "right to left");
    assert!(html.contains("المستخدمون"), "the title in Arabic");
    assert!(html.contains("Ravi Engineer"), "the list");
    assert!(
        html.contains(r#"href="/admin/roles""#),
        "the administration tabs"
    );
    let engineer = role_id(&app, "demo", "Engineer").await;
    let html = page(&admin, &app, &format!("/admin/roles/{engineer}")).await;
    assert!(html.contains(r#"data-testid="matrix""#), "the matrix");
    assert!(html.contains("requisition:approve"));
    assert!(
        html.contains("لا يمكن تغيير دور النظام"),
        "read-only, said in Arabic"
    );
    let id = user_id(&app, "demo", "engineer").await;
    let html = page(&admin, &app, &format!("/admin/users/{id}")).await;
    assert!(html.contains("eng") && html.contains(r#"id="display_name""#));
    for path in [
        "/admin/users/new",
        "/admin/users/import",
        "/admin/roles",
        "/admin/roles/new",
    ] {
        let (status, _) = get(&admin, &app, path).await;
        assert_eq!(status, 200, "{path}");
    }
    // the approval rules page carries the same tabs
    let html = page(&admin, &app, "/admin/approval-rules").await;
    assert!(html.contains(r#"href="/admin/users""#));
}
