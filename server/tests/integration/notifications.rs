//! Notifications: written with the change, listed translated, marked read, and pushed live over
//! server-sent events from PostgreSQL LISTEN/NOTIFY.
use crate::common::*;
use futures::StreamExt;
use serde_json::json;

/// The engineer raises a small requisition and submits it (both must succeed): its number.
async fn submit_small(app: &TestApp) -> String {
    let engineer = app.logged_in("demo", "engineer").await;
    let r = drafted(
        &engineer,
        app,
        one_line_requisition("Gloves", "20", "pairs", "3.10"),
    )
    .await;
    submitted(&engineer, app, &id_of(&r)).await;
    r["number"].as_str().expect("number").to_string()
}

/// Reads the event stream until `want` has come, waiting at most `secs` for each chunk: what was
/// read.
async fn read_until<B: AsRef<[u8]>>(
    stream: &mut (impl futures::Stream<Item = reqwest::Result<B>> + Unpin),
    want: &str,
    secs: u64,
    what: &str,
) -> String {
    let mut seen = String::new();
    while !seen.contains(want) {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(secs), stream.next())
            .await
            .expect(what)
            .expect("chunk")
            .expect("bytes");
        seen.push_str(&String::from_utf8_lossy(chunk.as_ref()));
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_approver_is_notified_in_their_language_and_can_mark_it_read() {
    let app = TestApp::spawn().await;
    let number = submit_small(&app).await;
    let manager = app.logged_in("demo", "manager").await;
    set_language(&manager, &app, "hi").await;
    let list = json_of(&manager, &app, "/api/v1/notifications").await;
    assert_eq!(list["data"]["unread"], 1);
    assert_eq!(list["data"]["notifications"][0]["kind"], "approval_pending");
    assert_eq!(
        list["data"]["notifications"][0]["text"],
        format!("{number} आपके अनुमोदन की प्रतीक्षा में है।")
    );
    let read = "/api/v1/notifications/read";
    let (_, all_read) = post_empty(&manager, &app, read).await;
    assert_eq!(all_read["data"]["unread"], 0);
    let (status, _) = post(
        &manager,
        &app,
        read,
        json!({ "id": "00000000-0000-0000-0000-000000000000" }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_recipient_is_mailed_in_their_own_language_through_the_outbox() {
    let app = TestApp::spawn().await;
    // the manager reads Hindi; the requester, told of the approval, reads English
    let manager = app.logged_in("demo", "manager").await;
    set_language(&manager, &app, "hi").await;
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
    let (status, _) =
        requisition_action(&manager, &app, &id, "approve", json!({ "comment": "ok" })).await;
    assert_eq!(status, 200);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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
        header(res.headers(), "content-type"),
        Some("text/event-stream")
    );
    let mut body = res.bytes_stream();
    // the current count comes first
    read_until(&mut body, "data: 0", 5, "first event").await;
    // a listener connection has to be up before the change; give it a moment on a fresh database
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    submit_small(&app).await;
    let seen = read_until(&mut body, "data: 1", 10, "pushed event").await;
    assert!(seen.contains("event: unread"), "{seen}");
}
