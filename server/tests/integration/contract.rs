//! The REST contract, exactly: what the OpenAPI document says about the answers the server gives,
//! checked against the real server for the behaviours the schemathesis fuzz found wrong (list
//! limits, optional bodies, unreadable input, the event stream) and for the answers every
//! operation shares (a bad token, a write without Origin).
use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// The document as the server serves it.
async fn document(app: &TestApp) -> Value {
    json_of(&app.bare_client(), app, "/api/v1/openapi.json").await
}

/// Every operation of the document: path, method and the operation.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

/// A path of the document with every `{parameter}` filled in.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                "00000000-0000-4000-8000-000000000000"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The error envelope with `code`: a failing answer's JSON, as API.md defines it.
fn assert_envelope(body: &Value, code: &str, what: &str) {
    assert_eq!(body["success"], false, "{what}: {body}");
    assert_eq!(body["error"]["code"], code, "{what}: {body}");
    assert!(body["error"]["message"].is_string(), "{what}: {body}");
    assert!(body["error"]["details"].is_object(), "{what}: {body}");
    assert!(body["request_id"].is_string(), "{what}: {body}");
    assert!(body["timestamp"].is_string(), "{what}: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_beyond_the_documented_limits_is_refused_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "procurement").await;
    for list in [
        "/api/v1/requisitions",
        "/api/v1/purchase-orders",
        "/api/v1/suppliers",
        "/api/v1/items",
        "/api/v1/inventory/movements",
        "/api/v1/auth/tokens",
    ] {
        let (status, body) = get(&c, &app, &format!("{list}?per_page=101")).await;
        assert_eq!(status, 422, "{list}: {body}");
        assert_envelope(&body, "VALIDATION_ERROR", list);
        assert!(body["error"]["details"]["per_page"].is_string(), "{body}");

        for (query, field) in [
            ("per_page=0", "per_page"),
            ("per_page=ten", "per_page"),
            ("page=0", "page"),
            ("page=1000001", "page"),
            ("page=1&page=2", "page"),
        ] {
            let (status, body) = get(&c, &app, &format!("{list}?{query}")).await;
            assert_eq!(status, 422, "{list}?{query}: {body}");
            assert!(
                body["error"]["details"][field].is_string(),
                "{list}?{query}: {body}"
            );
        }

        let (status, body) = get(&c, &app, &format!("{list}?per_page=100&page=1000000")).await;
        assert_eq!(status, 200, "{list}: {body}");
        assert_eq!(body["data"]["pagination"]["per_page"], 100, "{body}");
        assert_eq!(body["data"]["pagination"]["page"], 1_000_000, "{body}");
    }

    // and the document says so, in the query
    let doc = document(&app).await;
    let params = doc["paths"]["/api/v1/requisitions"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .clone();
    let per_page = params
        .iter()
        .find(|p| p["name"] == "per_page")
        .expect("per_page");
    assert_eq!(per_page["in"], "query");
    assert_eq!(per_page["required"], false);
    assert_eq!(per_page["schema"]["minimum"], 1);
    assert_eq!(per_page["schema"]["maximum"], 100);
    assert_eq!(per_page["schema"]["default"], 20);
    assert!(params.iter().all(|p| p["in"] == "query"), "{params:?}");
    assert!(doc["paths"]["/api/v1/requisitions"]["get"]["responses"]["422"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_that_does_not_parse_is_a_422_envelope_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "warehouse").await;
    // a duplicated parameter used to be axum's plain-text 400
    let res = c
        .get(app.url("/api/v1/inventory/suggest?q=a&q=b"))
        .send()
        .await
        .expect("suggest");
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_envelope(&body, "VALIDATION_ERROR", "suggest");
    assert!(body["error"]["details"]["q"].is_string(), "{body}");

    let (status, body) = get(&c, &app, "/api/v1/inventory?in_stock=maybe").await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"]["in_stock"].is_string(), "{body}");

    // a UID that is not even UTF-8 is malformed like any other
    for path in ["/api/v1/uids/%FF", "/api/v1/uids/%FF/qr.svg"] {
        let (status, body) = get(&c, &app, path).await;
        assert_eq!(status, 422, "{path}: {body}");
        assert!(body["error"]["details"]["uid"].is_string(), "{body}");
    }

    let admin = app.logged_in("demo", "admin").await;
    let (status, body) = get(&admin, &app, "/api/v1/approval-rules?doc_type=voucher").await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"]["doc_type"].is_string(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_notifications_read_needs_no_body_and_says_so() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "engineer").await;
    let (status, body) = post_empty(&c, &app, "/api/v1/notifications/read").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["unread"], 0);
    let (status, body) = post(&c, &app, "/api/v1/notifications/read", json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/notifications/read",
        json!({ "id": "00000000-0000-4000-8000-000000000000" }),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_envelope(&body, "NOT_FOUND", "unknown notification");
    let (status, body) = post(&c, &app, "/api/v1/notifications/read", json!({ "id": 5 })).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"]["id"].is_string(), "{body}");
    let res = c
        .post(app.url("/api/v1/notifications/read"))
        .header("content-type", "application/json")
        .body("{\"id\":")
        .send()
        .await
        .expect("read");
    assert_eq!(res.status(), 400);
    assert_envelope(&json(res).await, "BAD_REQUEST", "malformed body");

    let doc = document(&app).await;
    let body = &doc["paths"]["/api/v1/notifications/read"]["post"]["requestBody"];
    assert_ne!(body["required"], true, "{body}");
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ReadBody",
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_a_documented_400_in_the_envelope() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "engineer").await;
    let doc = document(&app).await;
    for (path, payload, content_type) in [
        ("/api/v1/auth/tokens", "{\"name\": ", "application/json"),
        (
            "/api/v1/requisitions",
            "{\"purpose\": daily",
            "application/json",
        ),
        ("/api/v1/auth/tokens", "{\"name\": \"x\"}", "text/plain"),
        (
            "/api/v1/requisitions/00000000-0000-4000-8000-000000000000/reject",
            "{\"comment\"",
            "application/json",
        ),
        (
            "/api/v1/requisitions/00000000-0000-4000-8000-000000000000/approve",
            "not json",
            "application/json",
        ),
    ] {
        let res = c
            .post(app.url(path))
            .header("content-type", content_type)
            .body(payload)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 400, "{path} {payload}");
        assert_eq!(
            header(res.headers(), "content-type"),
            Some("application/json")
        );
        assert_envelope(&json(res).await, "BAD_REQUEST", path);
        let documented = doc["paths"]
            .as_object()
            .and_then(|paths| {
                paths.iter().find(|(p, _)| {
                    let a: Vec<&str> = p.split('/').collect();
                    let b: Vec<&str> = path.split('/').collect();
                    a.len() == b.len()
                        && a.iter().zip(&b).all(|(x, y)| x == y || x.starts_with('{'))
                })
            })
            .map(|(_, item)| item["post"]["responses"]["400"]["content"].clone())
            .unwrap_or_default();
        assert_eq!(
            documented["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorEnvelope",
            "{path}"
        );
    }
    // an approval needs no body at all: past the body, the unknown requisition is what fails
    let (status, body) = post_empty(
        &c,
        &app,
        "/api/v1/requisitions/00000000-0000-4000-8000-000000000000/approve",
    )
    .await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_refuses_an_unknown_token_as_its_document_says() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let bare = app.bare_client();
    for (path, method, op) in operations(&doc) {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let res = bare
            .request(method.clone(), app.url(&concrete(&path)))
            .bearer_auth("mwt_not-a-token")
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 401, "{method} {path}");
        assert_envelope(&json(res).await, "UNAUTHENTICATED", &path);
        assert!(
            op["responses"]["401"]["content"]["application/json"].is_object(),
            "{method} {path} does not document its 401"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_refuses_a_session_without_origin_as_its_document_says() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    // signed in, but the requests carry no Origin (nor Referer): a cross-site form would look so
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let res = c
        .post(app.url("/api/v1/auth/login"))
        .header("origin", &app.base)
        .json(&json!({ "tenant": "demo", "username": "admin", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    for (path, method, op) in operations(&doc) {
        if !path.starts_with("/api/v1/") || method == "get" {
            continue;
        }
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let res = c
            .request(m, app.url(&concrete(&path)))
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 403, "{method} {path}");
        assert_envelope(&json(res).await, "FORBIDDEN", &path);
        assert!(
            op["responses"]["403"]["content"]["application/json"].is_object(),
            "{method} {path} does not document its 403"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_is_documented_as_the_events_it_sends() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let ok = &doc["paths"]["/api/v1/notifications/stream"]["get"]["responses"]["200"];
    let schema = &ok["content"]["text/event-stream"]["schema"];
    assert_eq!(schema["$ref"], "#/components/schemas/UnreadEvent", "{ok}");
    let event = &doc["components"]["schemas"]["UnreadEvent"];
    assert_eq!(event["properties"]["event"]["enum"], json!(["unread"]));
    assert_eq!(event["required"], json!(["event", "data"]));
    let pattern = event["properties"]["data"]["pattern"]
        .as_str()
        .expect("pattern");
    assert_eq!(pattern, "^[0-9]+$");

    // and the first event is one of them
    let c = app.logged_in("demo", "engineer").await;
    let mut res = c
        .get(app.url("/api/v1/notifications/stream"))
        .send()
        .await
        .expect("stream");
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(res.headers(), "content-type"),
        Some("text/event-stream")
    );
    let mut text = String::new();
    while !text.contains("\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), res.chunk())
            .await
            .expect("an event within 10 s")
            .expect("chunk")
            .expect("stream open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with(':')).collect();
    assert_eq!(lines.first(), Some(&"event: unread"), "{text}");
    let data = lines
        .get(1)
        .and_then(|l| l.strip_prefix("data: "))
        .expect("data line");
    assert!(
        !data.is_empty() && data.chars().all(|c| c.is_ascii_digit()),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_posts_document_their_idempotency_key() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    for path in [
        "/api/v1/requisitions",
        "/api/v1/purchase-orders",
        "/api/v1/suppliers",
    ] {
        let op = &doc["paths"][path]["post"];
        let key = op["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "Idempotency-Key"))
            .unwrap_or_else(|| panic!("{path}: no Idempotency-Key"));
        assert_eq!(key["in"], "header");
        assert_eq!(key["schema"]["maxLength"], 200);
        assert!(op["responses"]["409"].is_object(), "{path}");
    }
    // a key over 200 characters is the documented 422
    let c = app.logged_in("demo", "procurement").await;
    let res = c
        .post(app.url("/api/v1/suppliers"))
        .header("idempotency-key", "k".repeat(201))
        .json(&json!({ "code": "IDEM-1", "name": "Idem" }))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert!(
        body["error"]["details"]["Idempotency-Key"].is_string(),
        "{body}"
    );
}
