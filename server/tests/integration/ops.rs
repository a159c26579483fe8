//! Operations endpoints, security headers, the OpenAPI document and surviving a database restart.
use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_ready_and_metrics_answer() {
    let app = TestApp::spawn().await;
    let c = app.bare_client();
    assert_eq!(
        c.get(app.url("/health"))
            .send()
            .await
            .expect("health")
            .text()
            .await
            .expect("body"),
        "ok"
    );
    assert_eq!(get(&c, &app, "/ready").await.0, 200);
    let _ = get(&c, &app, "/api/v1/auth/me").await;
    let text = c
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains(r#"route="/api/v1/auth/me""#), "{text}");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("db_pool_connections"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_csp_with_a_nonce_and_the_other_security_headers() {
    let app = TestApp::spawn().await;
    let res = app
        .bare_client()
        .get(app.url("/login"))
        .send()
        .await
        .expect("page");
    let h = res.headers().clone();
    let csp = header(&h, "content-security-policy")
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP")
        .to_string();
    let html = res.text().await.expect("html");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the CSP nonce"
    );
    assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
    assert!(h.get("referrer-policy").is_some());
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS over plain http"
    );
    // a second page gets a different nonce
    let again = app
        .bare_client()
        .get(app.url("/login"))
        .send()
        .await
        .expect("page");
    let csp2 = header(again.headers(), "content-security-policy")
        .unwrap_or_default()
        .to_string();
    assert_ne!(csp, csp2);
    // the split browser bundle is always revalidated, so no browser joins two builds' modules
    let bundle = app
        .bare_client()
        .get(app.url("/pkg/millwright.js"))
        .send()
        .await
        .expect("bundle");
    assert_eq!(header(bundle.headers(), "cache-control"), Some("no-cache"));
    // a page and an API answer are one user's: no shared cache keeps them
    for path in ["/login", "/api/v1/me"] {
        let res = app
            .bare_client()
            .get(app.url(path))
            .send()
            .await
            .expect("answer");
        assert_eq!(
            header(res.headers(), "cache-control"),
            Some("private, no-cache"),
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_and_secure_cookies_when_served_over_https() {
    let app = TestApp::spawn_with(|c| {
        c.secure_cookies = true;
        c.public_url = Some("https://erp.example.com".into());
    })
    .await;
    let c = app.bare_client();
    let res = c
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "https://erp.example.com")
        .json(
            &serde_json::json!({ "tenant": "demo", "username": "engineer", "password": PASSWORD }),
        )
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("strict-transport-security").is_some());
    let cookie = header(res.headers(), "set-cookie").unwrap_or_default();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_endpoint() {
    let app = TestApp::spawn().await;
    let doc = json_of(&app.bare_client(), &app, "/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let expected = [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/me", "get"),
        ("/api/v1/auth/me/language", "put"),
        ("/api/v1/auth/me/password", "put"),
        ("/api/v1/auth/tokens", "post"),
        ("/api/v1/auth/tokens", "get"),
        ("/api/v1/auth/tokens/{id}", "delete"),
        ("/api/v1/suppliers", "get"),
        ("/api/v1/suppliers", "post"),
        ("/api/v1/suppliers/{id}", "get"),
        ("/api/v1/suppliers/{id}", "put"),
        ("/api/v1/requisitions", "get"),
        ("/api/v1/requisitions", "post"),
        ("/api/v1/requisitions/{id}", "get"),
        ("/api/v1/requisitions/{id}", "put"),
        ("/api/v1/requisitions/{id}", "delete"),
        ("/api/v1/requisitions/{id}/submit", "post"),
        ("/api/v1/requisitions/{id}/approve", "post"),
        ("/api/v1/requisitions/{id}/reject", "post"),
        ("/api/v1/requisitions/{id}/send-back", "post"),
        ("/api/v1/approvals/pending", "get"),
        ("/api/v1/purchase-orders", "get"),
        ("/api/v1/purchase-orders", "post"),
        ("/api/v1/purchase-orders/orderable-lines", "get"),
        ("/api/v1/purchase-orders/{id}", "get"),
        ("/api/v1/purchase-orders/{id}/pdf", "get"),
        ("/api/v1/purchase-orders/{id}/approve", "post"),
        ("/api/v1/purchase-orders/{id}/reject", "post"),
        ("/api/v1/purchase-orders/{id}/send", "post"),
        ("/api/v1/purchase-orders/{id}/status", "put"),
        ("/api/v1/dashboard", "get"),
        ("/api/v1/inventory", "get"),
        ("/api/v1/inventory/suggest", "get"),
        ("/api/v1/items", "get"),
        ("/api/v1/items", "post"),
        ("/api/v1/items/{id}", "get"),
        ("/api/v1/items/{id}", "put"),
        ("/api/v1/locations", "get"),
        ("/api/v1/inventory/receive", "post"),
        ("/api/v1/inventory/receipts/{id}", "get"),
        ("/api/v1/inventory/receipts/{id}/accept", "post"),
        ("/api/v1/inventory/{id}/location", "put"),
        ("/api/v1/inventory/issues", "post"),
        ("/api/v1/inventory/transfers", "post"),
        ("/api/v1/inventory/transfers/{id}/receive", "post"),
        ("/api/v1/inventory/movements", "get"),
        ("/api/v1/uids/{uid}", "get"),
        ("/api/v1/uids/{uid}/qr.svg", "get"),
        ("/api/v1/items/{id}/stock", "get"),
        ("/api/v1/inventory/adjustments", "post"),
        ("/api/v1/inventory/movements/{id}/reverse", "post"),
        ("/api/v1/items/import", "post"),
        ("/api/v1/jobs/{id}", "get"),
        ("/api/v1/projects", "get"),
        ("/api/v1/projects", "post"),
        ("/api/v1/projects/{id}", "get"),
        ("/api/v1/projects/{id}", "put"),
        ("/api/v1/plants", "get"),
        ("/api/v1/delegations", "get"),
        ("/api/v1/delegations", "post"),
        ("/api/v1/delegations/{id}", "delete"),
        ("/api/v1/approval-rules", "get"),
        ("/api/v1/approval-rules", "post"),
        ("/api/v1/approval-rules/{id}", "put"),
        ("/api/v1/requisitions/{id}/attachments", "get"),
        ("/api/v1/requisitions/{id}/attachments", "post"),
        (
            "/api/v1/requisitions/{id}/attachments/{attachment_id}",
            "get",
        ),
        (
            "/api/v1/requisitions/{id}/attachments/{attachment_id}",
            "delete",
        ),
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/read", "post"),
        ("/api/v1/notifications/stream", "get"),
        ("/api/v1/signup", "post"),
        ("/api/v1/tenant", "get"),
        ("/api/v1/tenant", "put"),
        ("/api/v1/companies", "get"),
        ("/api/v1/companies", "post"),
        ("/api/v1/companies/{id}", "get"),
        ("/api/v1/companies/{id}", "put"),
        ("/api/v1/plants", "post"),
        ("/api/v1/plants/{id}", "get"),
        ("/api/v1/plants/{id}", "put"),
        ("/api/v1/departments", "get"),
        ("/api/v1/departments", "post"),
        ("/api/v1/departments/{id}", "get"),
        ("/api/v1/departments/{id}", "put"),
        ("/api/v1/cost-centres", "get"),
        ("/api/v1/cost-centres", "post"),
        ("/api/v1/cost-centres/{id}", "get"),
        ("/api/v1/cost-centres/{id}", "put"),
        ("/api/v1/auth/totp/setup", "post"),
        ("/api/v1/auth/totp/enable", "post"),
        ("/api/v1/auth/totp/disable", "post"),
        ("/api/v1/audit", "get"),
        ("/api/v1/auth/password-reset", "post"),
        ("/api/v1/auth/password-reset/confirm", "post"),
        ("/api/v1/auth/sessions", "get"),
        ("/api/v1/auth/sessions/{id}", "delete"),
        ("/api/v1/users/{id}/end-sessions", "post"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/import", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "put"),
        ("/api/v1/users/{id}/deactivate", "post"),
        ("/api/v1/users/{id}/activate", "post"),
        ("/api/v1/users/{id}/unlock", "post"),
        ("/api/v1/users/{id}/send-password-reset", "post"),
        ("/api/v1/permissions", "get"),
        ("/api/v1/roles", "get"),
        ("/api/v1/roles", "post"),
        ("/api/v1/roles/{id}", "get"),
        ("/api/v1/roles/{id}", "put"),
        ("/api/v1/roles/{id}", "delete"),
        ("/api/v1/categories", "get"),
        ("/api/v1/categories", "post"),
        ("/api/v1/categories/{id}", "get"),
        ("/api/v1/categories/{id}", "put"),
        ("/api/v1/locations", "post"),
        ("/api/v1/locations/{id}", "get"),
        ("/api/v1/locations/{id}", "put"),
        ("/api/v1/units", "get"),
        ("/api/v1/units", "post"),
        ("/api/v1/units/{id}", "get"),
        ("/api/v1/units/{id}", "put"),
        ("/api/v1/units/conversions", "get"),
        ("/api/v1/units/conversions", "post"),
        ("/api/v1/units/conversions/{id}", "put"),
        ("/api/v1/units/conversions/{id}", "delete"),
        ("/api/v1/accounts", "get"),
        ("/api/v1/accounts", "post"),
        ("/api/v1/accounts/import", "post"),
        ("/api/v1/accounts/{id}", "get"),
        ("/api/v1/accounts/{id}", "put"),
        ("/api/v1/fiscal-years", "get"),
        ("/api/v1/fiscal-years", "post"),
        ("/api/v1/periods/{id}/close", "post"),
        ("/api/v1/periods/{id}/reopen", "post"),
        ("/api/v1/journal-entries", "get"),
        ("/api/v1/journal-entries", "post"),
        ("/api/v1/journal-entries/{id}", "get"),
        ("/api/v1/journal-entries/{id}/reverse", "post"),
        ("/api/v1/reports/trial-balance", "get"),
        ("/api/v1/reports/general-ledger", "get"),
        ("/api/v1/reports/grni", "get"),
        ("/api/v1/supplier-invoices", "get"),
        ("/api/v1/supplier-invoices", "post"),
        ("/api/v1/supplier-invoices/billable", "get"),
        ("/api/v1/supplier-invoices/{id}", "get"),
        ("/api/v1/supplier-invoices/{id}/submit", "post"),
        ("/api/v1/supplier-invoices/{id}/approve", "post"),
        ("/api/v1/supplier-invoices/{id}/reject", "post"),
        ("/api/v1/supplier-invoices/{id}/hold", "post"),
        ("/api/v1/supplier-invoices/{id}/release", "post"),
        ("/api/v1/supplier-invoices/{id}/cancel", "post"),
        ("/api/v1/supplier-invoices/{id}/attachments", "get"),
        ("/api/v1/supplier-invoices/{id}/attachments", "post"),
        (
            "/api/v1/supplier-invoices/{id}/attachments/{attachment_id}",
            "get",
        ),
        (
            "/api/v1/supplier-invoices/{id}/attachments/{attachment_id}",
            "delete",
        ),
        ("/api/v1/payments", "get"),
        ("/api/v1/payments", "post"),
        ("/api/v1/payments/{id}", "get"),
        ("/api/v1/reports/ap-ageing", "get"),
        ("/api/v1/reports/supplier-statement", "get"),
        ("/api/v1/reports/input-tax", "get"),
        ("/api/v1/payment-runs", "post"),
        ("/api/v1/payment-runs/{id}", "get"),
        ("/api/v1/payment-runs/{id}/approve", "post"),
        ("/api/v1/payment-runs/{id}/bank-file", "get"),
        ("/api/v1/exports/tally", "get"),
        ("/api/v1/payment-runs", "get"),
        ("/api/v1/payment-runs/{id}/invoices/{invoice_id}", "put"),
        ("/api/v1/finance/summary", "get"),
        ("/health", "get"),
        ("/ready", "get"),
        ("/metrics", "get"),
    ];
    for (path, method) in expected {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    let paths = doc["paths"].as_object().expect("paths");
    let documented: usize = paths
        .values()
        .map(|p| p.as_object().map(|o| o.len()).unwrap_or(0))
        .sum();
    assert_eq!(
        documented,
        expected.len(),
        "the document lists an endpoint the server does not have"
    );
    // the server does what the document says for /me: its required fields are all present
    let client = app.logged_in("demo", "engineer").await;
    let me = json_of(&client, &app, "/api/v1/auth/me").await;
    let schemas = &doc["components"]["schemas"];
    for (schema, value) in [
        ("MeDto", &me["data"]),
        ("UserDto", &me["data"]["user"]),
        ("TenantDto", &me["data"]["tenant"]),
    ] {
        for field in schemas[schema]["required"].as_array().expect("required") {
            let f = field.as_str().expect("name");
            assert!(
                value.get(f).is_some(),
                "{schema}.{f} is documented but not returned"
            );
        }
        let props = schemas[schema]["properties"]
            .as_object()
            .expect("properties");
        for key in value.as_object().expect("object").keys() {
            assert!(
                props.contains_key(key),
                "{schema}.{key} is returned but not documented"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_survives_a_postgresql_restart() {
    let dir = std::env::temp_dir().join(format!("mw-restart-{}", uuid::Uuid::new_v4().simple()));
    let (mut pg, url) = server::managed_pg::ManagedPostgres::start(&dir, "postgres")
        .expect("start managed postgres");
    server::db::ensure_database(&pg.admin_url(), "millwright")
        .await
        .expect("db");
    let cfg = config();
    let owner = server::db::owner_pool(&url, &cfg).await.expect("owner");
    server::db::migrate(&owner).await.expect("migrate");
    server::seed::seed_demo(&owner).await.expect("seed");
    owner.close().await;
    let pool = server::db::app_pool(&url, &cfg).expect("pool");
    let app = server::router(server::state(pool, &cfg), &cfg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    let c = reqwest::Client::new();
    let login = || {
        c.post(format!("{base}/api/v1/auth/login"))
            .header("origin", &base)
            .json(&serde_json::json!({ "tenant": "demo", "username": "engineer", "password": PASSWORD }))
            .send()
    };
    assert_eq!(
        c.get(format!("{base}/ready"))
            .send()
            .await
            .expect("ready")
            .status(),
        200
    );

    pg.stop();
    let down = c.get(format!("{base}/ready")).send().await.expect("ready");
    assert_eq!(down.status(), 503);
    let refused = login().await.expect("login");
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused.json::<serde_json::Value>().await.expect("json")["error"]["code"],
        "SERVICE_UNAVAILABLE"
    );

    let (mut pg, _) =
        server::managed_pg::ManagedPostgres::start(&dir, "postgres").expect("restart");
    let mut ok = false;
    for _ in 0..40 {
        if c.get(format!("{base}/ready"))
            .send()
            .await
            .map(|r| r.status() == 200)
            .unwrap_or(false)
        {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(ok, "the server did not recover after PostgreSQL came back");
    assert_eq!(login().await.expect("login").status(), 200);
    pg.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_folder_is_served_revalidated_and_never_mixed_with_a_page() {
    let site = std::env::temp_dir().join(format!("mw-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).expect("site folder");
    std::fs::write(site.join("pkg/chunk.js"), "export const x = 1;").expect("bundle file");
    let root = site.to_string_lossy().to_string();
    let app = TestApp::spawn_with(|c| c.site_root = root).await;
    let c = app.logged_in("demo", "engineer").await;
    // a page the role may not use answers 403; the bundle files asked for next are still files
    // (leptos' file handler once answered a chunk with the previous page's status)
    for _ in 0..20 {
        let page = c
            .get(app.url("/admin/approval-rules"))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 403);
        let chunk = c.get(app.url("/pkg/chunk.js")).send().await.expect("chunk");
        assert_eq!(chunk.status(), 200);
        assert_eq!(chunk.text().await.expect("body"), "export const x = 1;");
    }
    let first = c.get(app.url("/pkg/chunk.js")).send().await.expect("chunk");
    assert_eq!(header(first.headers(), "cache-control"), Some("no-cache"));
    let modified = header(first.headers(), "last-modified")
        .expect("last-modified")
        .to_string();
    // revalidation answers 304 while the file is unchanged
    let again = c
        .get(app.url("/pkg/chunk.js"))
        .header("if-modified-since", modified)
        .send()
        .await
        .expect("chunk again");
    assert_eq!(again.status(), 304);
    // what is no file is the translated not-found page, whatever the method
    for res in [
        c.get(app.url("/pkg/missing.js")).send().await.expect("get"),
        c.post(app.url("/pkg/missing.js"))
            .send()
            .await
            .expect("post"),
        c.get(app.url("/pkg")).send().await.expect("folder"),
    ] {
        assert_eq!(res.status(), 404);
        assert!(res.text().await.expect("body").contains("<main"));
    }
    let _ = std::fs::remove_dir_all(site);
}
