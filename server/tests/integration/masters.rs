//! Projects, delegations, approval rules over REST, and requisition attachments (content sniffing,
//! the 50 MB limit, who may add, see and remove), black-box on real PostgreSQL.
use crate::common::*;
use serde_json::{json, Value};

/// A draft requisition of `c`'s (creating it must answer 201): its id.
async fn draft(app: &TestApp, c: &reqwest::Client) -> String {
    let body = one_line_requisition("Hydraulic hose", "4", "m", "12.50");
    id_of(&drafted(c, app, body).await)
}

/// Downloads attachment `path` as `c`: the answer, unchecked.
async fn download(c: &reqwest::Client, app: &TestApp, path: &str) -> reqwest::Response {
    c.get(app.url(path)).send().await.expect("download")
}

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    req: &str,
    name: &str,
    bytes: Vec<u8>,
    declared: &str,
) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(declared)
        .expect("mime");
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = c
        .post(app.url(&format!("/api/v1/requisitions/{req}/attachments")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Uploads a file through the requisition page's HTML form, without JavaScript: the answer,
/// unchecked (a redirect back to the page).
async fn upload_on_the_page(
    app: &TestApp,
    c: &reqwest::Client,
    req: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    c.post(app.url(&format!("/procurement/requisitions/{req}/attachments")))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("form")
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_are_recognised_by_content_and_kept_with_the_draft() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let req = draft(&app, &engineer).await;

    // a PDF: stored, listed, downloaded byte for byte with its recognised type
    let (status, a) = upload(
        &app,
        &engineer,
        &req,
        "quote.pdf",
        pdf(),
        "application/octet-stream",
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["data"]["content_type"], "application/pdf");
    assert_eq!(a["data"]["size_bytes"], pdf().len());
    let att = id_of(&a["data"]);
    let attachments = format!("/api/v1/requisitions/{req}/attachments");
    let file = format!("{attachments}/{att}");
    let res = download(&engineer, &app, &file).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains("quote.pdf"));
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), pdf());

    // a PNG named .pdf is stored as what it is
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let (status, b) = upload(&app, &engineer, &req, "drawing.pdf", png, "application/pdf").await;
    assert_eq!(status, 201, "{b}");
    assert_eq!(b["data"]["content_type"], "image/png");

    // an executable named .pdf and declared as PDF is refused, with a translated field message
    let (status, e) = upload(
        &app,
        &engineer,
        &req,
        "invoice.pdf",
        b"MZ\x90\0\x03\0\0\0".to_vec(),
        "application/pdf",
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["code"], "VALIDATION_ERROR");
    assert!(e["error"]["details"]["file"]
        .as_str()
        .unwrap_or_default()
        .contains("PDF"));
    // a zip that is no Office document neither
    let (status, _) = upload(
        &app,
        &engineer,
        &req,
        "a.docx",
        b"PK\x03\x04payload.sh".to_vec(),
        "application/zip",
    )
    .await;
    assert_eq!(status, 422);

    let list = data_of(&engineer, &app, &attachments).await;
    assert_eq!(list["attachments"].as_array().map(Vec::len), Some(2));
    let audited = count_of(
        &app,
        "select count(*) from audit_log where action = 'attach'",
    )
    .await;
    assert_eq!(audited, 2);

    // the manager sees and downloads; only the requester adds or removes
    let manager = app.logged_in("demo", "manager").await;
    let list = data_of(&manager, &app, &attachments).await;
    assert_eq!(list["attachments"].as_array().map(Vec::len), Some(2));
    let (status, _) = upload(&app, &manager, &req, "x.pdf", pdf(), "application/pdf").await;
    assert_eq!(status, 403);
    let (status, _) = delete(&manager, &app, &file).await;
    assert_eq!(status, 403);

    // another company sees nothing, not even that it exists
    let other = app.logged_in("saif", "engineer").await;
    assert_eq!(download(&other, &app, &file).await.status(), 404);

    // removed: gone from the list and from storage
    let (status, _) = delete(&engineer, &app, &file).await;
    assert_eq!(status, 204);
    assert_eq!(download(&engineer, &app, &file).await.status(), 404);

    // once submitted, the files are fixed
    let (status, _) = submit(&engineer, &app, &req).await;
    assert_eq!(status, 200);
    let (status, e) = upload(&app, &engineer, &req, "late.pdf", pdf(), "application/pdf").await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["code"], "INVALID_STATE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_over_50_mb_are_refused_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let req = draft(&app, &engineer).await;
    let mut big = pdf();
    big.resize(50 * 1024 * 1024 + 1, b' ');
    let (status, e) = upload(&app, &engineer, &req, "scan.pdf", big, "application/pdf").await;
    assert_eq!(status, 413, "{e}");
    assert_eq!(e["error"]["code"], "PAYLOAD_TOO_LARGE");
    // exactly 50 MB is fine
    let mut max = pdf();
    max.resize(50 * 1024 * 1024, b' ');
    let (status, a) = upload(&app, &engineer, &req, "scan.pdf", max, "application/pdf").await;
    assert_eq!(status, 201, "{a}");
    let rows = count_of(&app, "select count(*) from attachments").await;
    assert_eq!(rows, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_html_form_uploads_and_reports_back_on_the_page() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let req = draft(&app, &engineer).await;
    let res = upload_on_the_page(&app, &engineer, &req, "cat.gif", b"GIF89a".to_vec()).await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        to.contains("upload_error=VALIDATION_ERROR&field=file&reason=file_type"),
        "{to}"
    );
    let res = upload_on_the_page(&app, &engineer, &req, "quote.pdf", pdf()).await;
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .contains("attached=1"));
    let page = engineer
        .get(app.url(&format!("/procurement/requisitions/{req}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("quote.pdf"), "the page lists the file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_are_kept_by_procurement_and_chosen_by_requesters() {
    let app = TestApp::spawn().await;
    let procurement = app.logged_in("demo", "procurement").await;
    let projects = "/api/v1/projects";
    let create_project = |c, body| post(c, &app, projects, body);
    let plants = data_of(&procurement, &app, "/api/v1/plants").await;
    let plant = plants["plants"][0]["id"]
        .as_str()
        .expect("plant")
        .to_string();
    let (status, p) = create_project(
        &procurement,
        json!({ "code": "LINE4", "name": "Line 4 expansion", "plant_id": plant }),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let id = id_of(&p["data"]);
    assert!(p["data"]["plant"].is_string());
    // duplicate code, bad code, unknown plant
    let (status, e) =
        create_project(&procurement, json!({ "code": "LINE4", "name": "Again" })).await;
    assert_eq!(
        (status, e["error"]["details"]["code"].is_string()),
        (422, true),
        "{e}"
    );
    let (status, e) = create_project(&procurement, json!({ "code": "line 4", "name": "" })).await;
    assert_eq!(status, 422);
    assert!(e["error"]["details"]["name"].is_string());
    let (status, _) = create_project(
        &procurement,
        json!({ "code": "X1", "name": "X", "plant_id": "00000000-0000-0000-0000-000000000001" }),
    )
    .await;
    assert_eq!(status, 422);
    // an engineer may read and use projects but not keep them
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = create_project(&engineer, json!({ "code": "MINE", "name": "Mine" })).await;
    assert_eq!(status, 403);
    let for_the_project = || {
        json!({ "purpose": "project", "project_id": id, "lines": [
            { "description": "Conveyor belt", "quantity": "1", "unit": "pcs", "estimated_unit_price": "900" }
        ]})
    };
    drafted(&engineer, &app, for_the_project()).await;
    // deactivated: still listed for procurement, gone from the requisition form's choices
    let (status, p) = put(
        &procurement,
        &app,
        &format!("{projects}/{id}"),
        json!({ "code": "LINE4", "name": "Line 4 expansion", "plant_id": plant, "active": false }),
    )
    .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["data"]["active"], false);
    let all = data_of(&procurement, &app, projects).await;
    let listed = all["projects"].as_array().cloned().unwrap_or_default();
    assert!(listed
        .iter()
        .any(|p| p["id"] == id.as_str() && p["active"] == false));
    let (status, e) = post(&engineer, &app, "/api/v1/requisitions", for_the_project()).await;
    assert_eq!(status, 422, "an inactive project cannot be chosen: {e}");
    // another company's project is 404
    let saif = app.logged_in("saif", "procurement").await;
    let (status, _) = get(&saif, &app, &format!("{projects}/{id}")).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegations_are_validated_and_revoked_by_their_giver() {
    let app = TestApp::spawn().await;
    let manager = app.logged_in("demo", "manager").await;
    let to: String = sqlx::query_scalar::<_, uuid::Uuid>(
        "select u.id from users u join tenants t on t.id = u.tenant_id where t.slug = 'demo' and u.username = 'procurement_mgr'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("user")
    .to_string();
    let today: chrono::NaiveDate = sqlx::query_scalar("select current_date")
        .fetch_one(&app.db.owner)
        .await
        .expect("today");
    let later = today + chrono::Duration::days(7);
    let delegations = "/api/v1/delegations";
    // to the procurement manager
    let from_to = |starts_on, ends_on| json!({ "to_user_id": to, "starts_on": starts_on, "ends_on": ends_on });
    let (status, d) = post(&manager, &app, delegations, from_to(today, later)).await;
    assert_eq!(status, 201, "{d}");
    let id = id_of(&d["data"]);
    // overlapping, backwards, to oneself, missing
    let (status, e) = post(&manager, &app, delegations, from_to(later, later)).await;
    assert_eq!(status, 422);
    assert!(e["error"]["details"]["starts_on"].is_string(), "{e}");
    let (status, e) = post(&manager, &app, delegations, from_to(later, today)).await;
    assert_eq!(status, 422);
    assert!(e["error"]["details"]["ends_on"].is_string(), "{e}");
    let me = data_of(&manager, &app, "/api/v1/auth/me").await;
    let to_myself = json!({ "to_user_id": me["user"]["id"], "starts_on": today, "ends_on": later });
    let (status, e) = post(&manager, &app, delegations, to_myself).await;
    assert_eq!(status, 422, "{e}");
    let (status, _) = post(&manager, &app, delegations, json!({})).await;
    assert_eq!(status, 422);
    // an engineer cannot hand over someone else's approvals
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = post(&engineer, &app, delegations, json!({ "from_user_id": me["user"]["id"], "to_user_id": to, "starts_on": today, "ends_on": later })).await;
    assert_eq!(status, 403);
    // the delegate sees it but cannot revoke it; the giver can
    let delegate = app.logged_in("demo", "procurement_mgr").await;
    let list = data_of(&delegate, &app, delegations).await;
    assert_eq!(list["delegations"].as_array().map(Vec::len), Some(1));
    let this = format!("{delegations}/{id}");
    assert_eq!(delete(&delegate, &app, &this).await.0, 403);
    assert_eq!(delete(&engineer, &app, &this).await.0, 404);
    assert_eq!(delete(&manager, &app, &this).await.0, 204);
    let list = data_of(&manager, &app, delegations).await;
    assert_eq!(list["delegations"].as_array().map(Vec::len), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approval_rules_over_rest() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let rules = data_of(&admin, &app, "/api/v1/approval-rules").await;
    let list = rules["rules"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 2, "seeded: manager, then accounts over 50,000");
    let po = data_of(
        &admin,
        &app,
        "/api/v1/approval-rules?doc_type=purchase_order",
    )
    .await;
    assert_eq!(po["rules"].as_array().map(Vec::len), Some(1));
    let (status, _) = get(&admin, &app, "/api/v1/approval-rules?doc_type=invoice_x").await;
    assert_eq!(status, 422);

    let mut third = json!({
        "doc_type": "requisition", "stage": 3, "name": "Plant head", "approver_kind": "role",
        "approver_role": "ProcurementMgr", "approver_user_id": null, "role_limit": "none", "require_all": false,
        "condition": "amount > ", "sla_hours": 24, "escalate_to_role": null, "escalate_after_hours": null, "active": true, "id": null
    });
    let (status, e) = post(&admin, &app, "/api/v1/approval-rules", third.clone()).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["condition"].is_string(), "{e}");
    third["condition"] = json!("amount > 200000");
    let (status, r) = post(&admin, &app, "/api/v1/approval-rules", third.clone()).await;
    assert_eq!(status, 201, "{r}");
    let id = id_of(&r["data"]);
    third["sla_hours"] = json!(12);
    let (status, r) = put(
        &admin,
        &app,
        &format!("/api/v1/approval-rules/{id}"),
        third.clone(),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["data"]["sla_hours"], 12);
    let (status, _) = put(
        &admin,
        &app,
        "/api/v1/approval-rules/00000000-0000-0000-0000-000000000001",
        third,
    )
    .await;
    assert_eq!(status, 404);
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = get(&engineer, &app, "/api/v1/approval-rules").await;
    assert_eq!(status, 403);
}
