//! Notifications: written with the change, listed translated, marked read, and pushed live over
//! server-sent events from PostgreSQL LISTEN/NOTIFY.
mod common;
use common::*;
use futures::StreamExt;
use serde_json::json;

async fn submit_small(app: &TestApp) -> String {
    let engineer = app.logged_in("demo", "engineer").await;
    let body = json!({ "purpose": "daily_operations", "lines": [
        { "description": "Gloves", "quantity": "20", "unit": "pairs", "estimated_unit_price": "3.10" }]});
    let r: serde_json::Value = engineer
        .post(app.url("/api/v1/requisitions"))
        .json(&body)
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let id = r["data"]["id"].as_str().expect("id").to_string();
    let res = engineer
        .post(app.url(&format!("/api/v1/requisitions/{id}/submit")))
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 200);
    r["data"]["number"].as_str().expect("number").to_string()
}

async fn in_hindi(app: &TestApp, client: &reqwest::Client) {
    let res = client
        .put(app.url("/api/v1/auth/me/language"))
        .json(&json!({ "language": "hi" }))
        .send()
        .await
        .expect("lang");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_approver_is_notified_in_their_language_and_can_mark_it_read() {
    let app = TestApp::spawn().await;
    let number = submit_small(&app).await;
    let manager = app.logged_in("demo", "manager").await;
    in_hindi(&app, &manager).await;
    let list = json(
        manager
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .expect("list"),
    )
    .await;
    assert_eq!(list["data"]["unread"], 1);
    assert_eq!(list["data"]["notifications"][0]["kind"], "approval_pending");
    assert_eq!(
        list["data"]["notifications"][0]["text"],
        format!("{number} आपके अनुमोदन की प्रतीक्षा में है।")
    );
    let read = json(
        manager
            .post(app.url("/api/v1/notifications/read"))
            .send()
            .await
            .expect("read"),
    )
    .await;
    assert_eq!(read["data"]["unread"], 0);
    let other = manager
        .post(app.url("/api/v1/notifications/read"))
        .json(&json!({ "id": "00000000-0000-0000-0000-000000000000" }))
        .send()
        .await
        .expect("read");
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn each_recipient_is_mailed_in_their_own_language_through_the_outbox() {
    let app = TestApp::spawn().await;
    // the manager reads Hindi; the requester, told of the approval, reads English
    let manager = app.logged_in("demo", "manager").await;
    in_hindi(&app, &manager).await;
    let number = submit_small(&app).await;
    let mails: Vec<(String, String, String, bool)> = sqlx::query_as(
        "select u.username, e.subject, e.body_text,
                exists(select 1 from jobs j where j.kind = 'send_email' and j.payload->>'email_id' = e.id::text)
           from outbox_emails e join users u on u.tenant_id = e.tenant_id and u.email = e.to_address
          where e.subject like '%' || $1 || '%' order by u.username",
    )
    .bind(&number)
    .fetch_all(&app.db.owner)
    .await
    .expect("outbox");
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "manager");
    assert_eq!(mails[0].1, format!("{number} आपके अनुमोदन की प्रतीक्षा में है।"));
    assert!(mails[0].2.starts_with(&mails[0].1) && mails[0].2.contains("/requisitions/"));
    assert!(mails[0].3, "every e-mail has its delivery job");

    let id = id_where(
        &app,
        &format!("select id from requisitions where number = '{number}'"),
    )
    .await;
    let res = manager
        .post(app.url(&format!("/api/v1/requisitions/{id}/approve")))
        .json(&json!({ "comment": "ok" }))
        .send()
        .await
        .expect("approve");
    assert_eq!(res.status(), 200);
    let subjects: Vec<String> = sqlx::query_scalar(
        "select e.subject from outbox_emails e join users u on u.tenant_id = e.tenant_id and u.email = e.to_address
          where u.username = 'engineer' and e.subject like '%' || $1 || '%'",
    )
    .bind(&number)
    .fetch_all(&app.db.owner)
    .await
    .expect("outbox");
    assert_eq!(subjects.len(), 1, "{subjects:?}");
    assert!(subjects[0].contains("approved"), "{subjects:?}");
}

#[tokio::test]
async fn a_live_stream_pushes_the_unread_count_when_a_notification_arrives() {
    let app = TestApp::spawn().await;
    let manager = app.logged_in("demo", "manager").await;
    let res = manager
        .get(app.url("/api/v1/notifications/stream"))
        .send()
        .await
        .expect("stream");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut body = res.bytes_stream();
    let mut seen = String::new();
    // the current count comes first
    while !seen.contains("data: 0") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), body.next())
            .await
            .expect("first event")
            .expect("chunk")
            .expect("bytes");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    // a listener connection has to be up before the change; give it a moment on a fresh database
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    submit_small(&app).await;
    let mut seen = String::new();
    while !seen.contains("data: 1") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), body.next())
            .await
            .expect("pushed event")
            .expect("chunk")
            .expect("bytes");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: unread"), "{seen}");
}
