//! The supplier's document on a supplier invoice, black-box through REST and the page's form on
//! real PostgreSQL: a PDF or a scan recognised from its bytes (anything else refused with nothing
//! kept), listed and downloaded byte for byte by the readers of invoices, changed only by those
//! who enter them, another company's invoice unseen; until the invoice posts files come and go,
//! after that the document stays (a posted invoice without one may still receive its first).
use crate::common::*;
use serde_json::{json, Value};

/// A minimal valid PDF (one empty page).
fn pdf() -> Vec<u8> {
    let body = "%PDF-1.4\n\
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
        trailer << /Root 1 0 R /Size 4 >>\n%%EOF\n";
    body.as_bytes().to_vec()
}

fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec()
}

/// An Office document: fine on a requisition, not the supplier's invoice.
fn docx() -> Vec<u8> {
    b"PK\x03\x04....[Content_Types].xml....PK\x03\x04word/document.xml".to_vec()
}

fn files_of(id: &str) -> String {
    format!("/api/v1/supplier-invoices/{id}/attachments")
}

async fn upload(
    c: &reqwest::Client,
    app: &TestApp,
    id: &str,
    name: &str,
    bytes: Vec<u8>,
    declared: &str,
) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(declared)
        .expect("mime");
    let res = c
        .post(app.url(&files_of(id)))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn listed(c: &reqwest::Client, app: &TestApp, id: &str) -> (u16, Vec<Value>) {
    let (status, body) = get(c, app, &files_of(id)).await;
    let rows = body["data"]["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (status, rows)
}

async fn download(c: &reqwest::Client, app: &TestApp, path: &str) -> reqwest::Response {
    c.get(app.url(path)).send().await.expect("download")
}

/// The files kept in storage for invoice `id` of saif.
async fn stored(app: &TestApp, id: &str) -> usize {
    let tenant = app.tenant_id("saif").await;
    let dir = config()
        .files_dir
        .join(tenant.to_string())
        .join("supplier_invoice")
        .join(id);
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

async fn today(c: &reqwest::Client, app: &TestApp) -> String {
    data_of(c, app, "/api/v1/reports/trial-balance").await["to"]
        .as_str()
        .expect("today")
        .to_string()
}

/// A draft invoice of saif's accountant for 10 bearings ordered and received at 100 (matched,
/// so it posts on submission): its id.
async fn draft_invoice(app: &TestApp, accountant: &reqwest::Client, number: &str) -> String {
    let (sup, po, line) = ordered(app, "VIZAG-ELEC", "10", "100").await;
    received(app, &po, &line, "10").await;
    let date = today(accountant, app).await;
    let body = json!({ "supplier_id": sup, "number": number, "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "100.00", "tax_rate": "18" }] });
    let (status, inv) = post(accountant, app, "/api/v1/supplier-invoices", body).await;
    assert_eq!(status, 201, "{inv}");
    id_of(&inv["data"])
}

async fn act(c: &reqwest::Client, app: &TestApp, id: &str, action: &str) -> Value {
    let (status, inv) = post(
        c,
        app,
        &format!("/api/v1/supplier-invoices/{id}/{action}"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{action}: {inv}");
    inv["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_supplier_s_pdf_is_attached_listed_downloaded_and_kept_once_posted() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let inv = draft_invoice(&app, &accountant, "VE/7001").await;

    // the supplier's PDF, declared as anything: stored as what its bytes are
    let (status, a) = upload(
        &accountant,
        &app,
        &inv,
        "VE-7001.pdf",
        pdf(),
        "application/octet-stream",
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["data"]["content_type"], "application/pdf");
    assert_eq!(a["data"]["file_name"], "VE-7001.pdf");
    assert_eq!(a["data"]["size_bytes"], pdf().len());
    let att = id_of(&a["data"]);
    let file = format!("{}/{att}", files_of(&inv));

    let (status, rows) = listed(&accountant, &app, &inv).await;
    assert_eq!((status, rows.len()), (200, 1));
    assert_eq!(rows[0]["id"], att.as_str());
    let res = download(&accountant, &app, &file).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with("attachment") && disposition.contains("VE-7001.pdf"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), pdf());
    assert_eq!(stored(&app, &inv).await, 1);

    // a text file named .pdf, and a Word file (fine on a requisition): refused, translated,
    // nothing kept
    for (name, bytes, declared) in [
        (
            "invoice.pdf",
            b"Invoice VE/7001: 1180.00".to_vec(),
            "application/pdf",
        ),
        ("invoice.docx", docx(), "application/octet-stream"),
    ] {
        let (status, e) = upload(&accountant, &app, &inv, name, bytes, declared).await;
        assert_eq!(status, 422, "{name}: {e}");
        assert_eq!(e["error"]["code"], "VALIDATION_ERROR");
        let msg = e["error"]["details"]["file"].as_str().unwrap_or_default();
        assert!(msg.contains("PDF") && msg.contains("JPEG"), "{msg}");
    }
    // …in the caller's language
    set_language(&accountant, &app, "hi").await;
    let (status, e) = upload(
        &accountant,
        &app,
        &inv,
        "a.txt",
        b"hello".to_vec(),
        "text/plain",
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(
        e["error"]["details"]["file"]
            .as_str()
            .unwrap_or_default()
            .contains("बीजक"),
        "{e}"
    );
    set_language(&accountant, &app, "en").await;
    let (_, rows) = listed(&accountant, &app, &inv).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(stored(&app, &inv).await, 1);
    assert_eq!(
        count_of(
            &app,
            "select count(*) from attachments where doc_type = 'supplier_invoice'"
        )
        .await,
        1
    );

    // a scan as PNG comes and goes while the invoice is a draft; both recorded in the audit log
    let (status, b) = upload(&accountant, &app, &inv, "scan.png", png(), "image/png").await;
    assert_eq!(status, 201, "{b}");
    assert_eq!(b["data"]["content_type"], "image/png");
    let scan = format!("{}/{}", files_of(&inv), id_of(&b["data"]));
    let (status, _) = delete(&accountant, &app, &scan).await;
    assert_eq!(status, 204);
    assert_eq!(download(&accountant, &app, &scan).await.status(), 404);
    assert_eq!(stored(&app, &inv).await, 1);
    let audited = count_of(
        &app,
        &format!("select count(*) from audit_log where entity = 'supplier_invoice' and entity_id = '{inv}' and action in ('attach', 'detach')"),
    )
    .await;
    assert_eq!(audited, 3, "two attached, one detached");

    // posted: the document stays — not removed, nothing beside it
    let posted = act(&accountant, &app, &inv, "submit").await;
    assert_eq!(posted["status"], "posted", "{posted}");
    let (status, e) = delete(&accountant, &app, &file).await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["code"], "INVALID_STATE");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("posted"),
        "{e}"
    );
    let (status, e) = upload(&accountant, &app, &inv, "v2.pdf", pdf(), "application/pdf").await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["code"], "INVALID_STATE");
    let (_, rows) = listed(&accountant, &app, &inv).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(download(&accountant, &app, &file).await.status(), 200);
    assert_eq!(stored(&app, &inv).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_see_the_document_only_those_who_enter_invoices_change_it_other_companies_nothing()
{
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let inv = draft_invoice(&app, &accountant, "VE/7002").await;
    let (status, a) = upload(
        &accountant,
        &app,
        &inv,
        "VE-7002.pdf",
        pdf(),
        "application/pdf",
    )
    .await;
    assert_eq!(status, 201, "{a}");
    let file = format!("{}/{}", files_of(&inv), id_of(&a["data"]));

    // the procurement manager reads invoices (financial reports, exception approvals): sees and
    // downloads, but neither adds nor removes
    let manager = app.logged_in("saif", "procurement_mgr").await;
    let (status, rows) = listed(&manager, &app, &inv).await;
    assert_eq!((status, rows.len()), (200, 1));
    let res = download(&manager, &app, &file).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), pdf());
    let (status, e) = upload(&manager, &app, &inv, "x.pdf", pdf(), "application/pdf").await;
    assert_eq!(status, 403, "{e}");
    assert_eq!(e["error"]["code"], "FORBIDDEN");
    let (status, _) = delete(&manager, &app, &file).await;
    assert_eq!(status, 403);

    // the engineer does not read supplier invoices at all: 403 as the invoice itself is
    let engineer = app.logged_in("saif", "engineer").await;
    let (status, _) = get(&engineer, &app, &format!("/api/v1/supplier-invoices/{inv}")).await;
    assert_eq!(status, 403);
    let (status, _) = listed(&engineer, &app, &inv).await;
    assert_eq!(status, 403);
    assert_eq!(download(&engineer, &app, &file).await.status(), 403);
    let (status, _) = upload(&engineer, &app, &inv, "x.pdf", pdf(), "application/pdf").await;
    assert_eq!(status, 403);

    // another company's accountant: not even that it exists
    let other = app.logged_in("demo", "accountant").await;
    let (status, e) = listed(&other, &app, &inv).await;
    assert_eq!(status, 404, "{e:?}");
    assert_eq!(download(&other, &app, &file).await.status(), 404);
    let (status, _) = upload(&other, &app, &inv, "x.pdf", pdf(), "application/pdf").await;
    assert_eq!(status, 404);
    let (status, _) = delete(&other, &app, &file).await;
    assert_eq!(status, 404);
    // an unknown file of a real invoice, and a malformed id
    let (status, _) = delete(
        &accountant,
        &app,
        &format!("{}/{}", files_of(&inv), uuid::Uuid::new_v4()),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(&accountant, &app, &files_of("not-an-id")).await;
    assert_eq!(status, 404);

    // nothing changed by any of them
    let (_, rows) = listed(&accountant, &app, &inv).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(stored(&app, &inv).await, 1);
    assert_eq!(
        count_of(
            &app,
            "select count(*) from audit_log where action = 'detach'"
        )
        .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_posted_invoice_without_a_document_takes_its_first_a_cancelled_one_none() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    // saved and submitted at once: posted before anyone could attach anything
    let inv = draft_invoice(&app, &accountant, "VE/7003").await;
    assert_eq!(
        act(&accountant, &app, &inv, "submit").await["status"],
        "posted"
    );
    let (status, a) = upload(
        &accountant,
        &app,
        &inv,
        "late.jpg",
        b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec(),
        "image/jpeg",
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["data"]["content_type"], "image/jpeg");
    let (status, e) = upload(
        &accountant,
        &app,
        &inv,
        "again.pdf",
        pdf(),
        "application/pdf",
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("INVALID_STATE")),
        "{e}"
    );
    // held, it still keeps it
    assert_eq!(
        act(&accountant, &app, &inv, "hold").await["status"],
        "on_hold"
    );
    let file = format!("{}/{}", files_of(&inv), id_of(&a["data"]));
    let (status, _) = delete(&accountant, &app, &file).await;
    assert_eq!(status, 422);
    assert_eq!(stored(&app, &inv).await, 1);

    // a cancelled invoice's files no longer change
    let other = draft_invoice(&app, &accountant, "VE/7004").await;
    let (status, a) = upload(
        &accountant,
        &app,
        &other,
        "VE-7004.pdf",
        pdf(),
        "application/pdf",
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(
        act(&accountant, &app, &other, "cancel").await["status"],
        "cancelled"
    );
    let (status, e) = upload(
        &accountant,
        &app,
        &other,
        "more.pdf",
        pdf(),
        "application/pdf",
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("INVALID_STATE")),
        "{e}"
    );
    let file = format!("{}/{}", files_of(&other), id_of(&a["data"]));
    let (status, _) = delete(&accountant, &app, &file).await;
    assert_eq!(status, 422);
    let (_, rows) = listed(&accountant, &app, &other).await;
    assert_eq!(rows.len(), 1);
}

/// Uploads through the invoice page's HTML form, without JavaScript: the answer, unchecked.
async fn upload_on_the_page(
    app: &TestApp,
    c: &reqwest::Client,
    inv: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    c.post(app.url(&format!("/finance/invoices/{inv}/attachments")))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("form")
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invoice_page_shows_the_document_and_its_form_uploads_and_removes() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let inv = draft_invoice(&app, &accountant, "VE/7005").await;
    // saif speaks Hindi by default; this accountant reads English
    set_language(&accountant, &app, "en").await;
    let url = format!("/finance/invoices/{inv}");
    let html = page(&accountant, &app, &url).await;
    assert!(
        html.contains("Supplier&#x27;s document") || html.contains("Supplier's document"),
        "the panel"
    );
    assert!(html.contains("No document attached yet."));
    assert!(html.contains(&format!("action=\"/finance/invoices/{inv}/attachments\"")));

    // a GIF is refused with the reason the page translates
    let res = upload_on_the_page(&app, &accountant, &inv, "cat.gif", b"GIF89a".to_vec()).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(
        to.starts_with(&url)
            && to.contains("upload_error=VALIDATION_ERROR&field=file&reason=pdf_or_image"),
        "{to}"
    );
    let html = page(&accountant, &app, &to).await;
    assert!(
        html.contains("Only a PDF or a scanned image"),
        "the message on the page"
    );

    // the PDF is attached and listed with its download link and a remove button
    let res = upload_on_the_page(&app, &accountant, &inv, "VE-7005.pdf", pdf()).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).contains("attached=1"));
    let (_, rows) = listed(&accountant, &app, &inv).await;
    assert_eq!(rows.len(), 1);
    let att = id_of(&rows[0]);
    let html = page(&accountant, &app, &url).await;
    assert!(html.contains("VE-7005.pdf"));
    assert!(html.contains(&format!(
        "/api/v1/supplier-invoices/{inv}/attachments/{att}"
    )));
    assert!(html.contains(&format!("/finance/invoices/{inv}/attachments/{att}/delete")));

    // a reader sees the link but no controls; in Hindi the panel is translated
    let manager = app.logged_in("saif", "procurement_mgr").await;
    set_language(&manager, &app, "hi").await;
    let html = page(&manager, &app, &url).await;
    assert!(html.contains("आपूर्तिकर्ता का दस्तावेज़"));
    assert!(html.contains("VE-7005.pdf"));
    assert!(!html.contains(&format!("/finance/invoices/{inv}/attachments/{att}/delete")));
    assert!(!html.contains(&format!("action=\"/finance/invoices/{inv}/attachments\"")));
    // …and the form refuses them too
    let res = upload_on_the_page(&app, &manager, &inv, "x.pdf", pdf()).await;
    assert!(
        location(&res).contains("upload_error=FORBIDDEN"),
        "{}",
        location(&res)
    );

    // removed through the page's form
    let res = accountant
        .post(app.url(&format!("/finance/invoices/{inv}/attachments/{att}/delete")))
        .send()
        .await
        .expect("remove");
    assert_eq!(res.status(), 303);
    let (_, rows) = listed(&accountant, &app, &inv).await;
    assert!(rows.is_empty());

    // posted with a document: the page says it stays and offers no control
    let (status, _) = upload(
        &accountant,
        &app,
        &inv,
        "VE-7005.pdf",
        pdf(),
        "application/pdf",
    )
    .await;
    assert_eq!(status, 201);
    act(&accountant, &app, &inv, "submit").await;
    let html = page(&accountant, &app, &url).await;
    assert!(
        html.contains("data-testid=\"attachments-kept\""),
        "the note"
    );
    assert!(!html.contains(&format!("action=\"/finance/invoices/{inv}/attachments\"")));
    assert!(!html.contains("/delete\""));
}
