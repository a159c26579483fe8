//! Server-rendered pages: redirects for visitors, permission-aware navigation, translated 404.
use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_is_sent_to_the_login_page() {
    let app = TestApp::spawn().await;
    let res = app
        .bare_client()
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("home");
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(header(res.headers(), "location"), Some("/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn navigation_shows_only_the_modules_the_roles_permit() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let html = page(&engineer, &app, "/").await;
    assert!(html.contains("Hello, Ravi Engineer"));
    assert!(html.contains(r#"href="/procurement/requisitions""#));
    assert!(!html.contains(r#"href="/admin/approval-rules""#));
    // and a module the role may not open is not there for them
    assert_eq!(get(&engineer, &app, "/m/admin").await.0, 404);
    let admin = app.logged_in("demo", "admin").await;
    let html = page(&admin, &app, "/").await;
    assert!(html.contains(r#"href="/admin/approval-rules""#));
    // the approval rules page lists the seeded stages; the engineer may not read them
    let page = admin
        .get(app.url("/admin/approval-rules?doc=purchase_order"))
        .send()
        .await
        .expect("rules")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("Procurement manager") && page.contains("amount &gt; 100000"),
        "{page}"
    );
    let (status, _) = get(&engineer, &app, "/sfn/list_rules?doc_type=requisition").await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_form_works_without_javascript() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let bad = c
        .post(app.url("/auth/login"))
        .form(&[
            ("tenant", "demo"),
            ("username", "engineer"),
            ("password", "nope-nope-nope"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(
        header(bad.headers(), "location"),
        Some("/login?error=INVALID_CREDENTIALS&tenant=demo&username=engineer")
    );
    let ok = c
        .post(app.url("/auth/login"))
        .form(&[
            ("tenant", "demo"),
            ("username", "engineer"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(header(ok.headers(), "location"), Some("/"));
    assert_eq!(get(&c, &app, "/").await.0, 200);
    // the language form stores the choice for the user
    let lang = c
        .post(app.url("/auth/language"))
        .header("referer", app.url("/"))
        .form(&[("language", "te")])
        .send()
        .await
        .expect("post");
    assert_eq!(header(lang.headers(), "location"), Some("/"));
    let html = page(&c, &app, "/").await;
    assert!(html.contains(r#"lang="te""#));
    assert!(html.contains("నమస్కారం, Ravi Engineer"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_is_a_translated_404() {
    let app = TestApp::spawn().await;
    let res = app
        .bare_client()
        .get(app.url("/nowhere"))
        .header("accept-language", "hi")
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 404);
    assert!(res.text().await.expect("html").contains("पृष्ठ नहीं मिला"));
}

/// A page that must answer 200: its HTML, as [`page`] reads it.
async fn html_of(c: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let res = c.get(app.url(path)).send().await.expect("page");
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.expect("html").replace("<!>", "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supplier_project_and_delegation_screens_render_on_the_server() {
    let app = TestApp::spawn().await;
    let procurement = app.logged_in("demo", "procurement").await;
    let list = html_of(&procurement, &app, "/procurement/suppliers?q=acme").await;
    assert!(
        list.contains("ACME") && !list.contains("GLOBEX —"),
        "search narrows the list"
    );
    assert!(list.contains(r#"href="/procurement/suppliers/new""#));
    let id: uuid::Uuid = sqlx::query_scalar("select id from suppliers where code = 'ACME' limit 1")
        .fetch_one(&app.db.owner)
        .await
        .expect("acme");
    let form = html_of(&procurement, &app, &format!("/procurement/suppliers/{id}")).await;
    assert!(
        form.contains(r#"id="code""#) && form.contains("ACME"),
        "the form is filled in"
    );
    let projects = html_of(&procurement, &app, "/procurement/projects").await;
    assert!(projects.contains(r#"data-testid="projects""#));
    let manager = app.logged_in("demo", "manager").await;
    let deleg = html_of(&manager, &app, "/approvals/delegations").await;
    assert!(
        deleg.contains(r#"id="d-to""#) && deleg.contains("Procurement"),
        "{deleg}"
    );
    // the engineer neither edits suppliers nor keeps projects
    let engineer = app.logged_in("demo", "engineer").await;
    let list = html_of(&engineer, &app, "/procurement/suppliers").await;
    assert!(!list.contains(r#"href="/procurement/suppliers/new""#));
    assert!(!list.contains(r#"href="/procurement/projects""#));
}
