//! Purchase orders, the e-mail outbox and Idempotency-Key, black-box through the REST API on real
//! PostgreSQL, with a real SMTP exchange.
use crate::common::*;
use serde_json::{json, Value};

/// The text of a PDF as a reader extracts it (poppler's pdftotext, installed by scripts/test).
fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("po-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, bytes).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn supplier_id(app: &TestApp, c: &reqwest::Client, code: &str) -> String {
    let list = data_of(c, app, &format!("/api/v1/suppliers?q={code}")).await;
    list["suppliers"]
        .as_array()
        .and_then(|rows| rows.iter().find(|s| s["code"] == code))
        .map(|s| s["id"].as_str().unwrap_or_default().to_string())
        .expect("supplier")
}

/// An approved requisition of three lines (60,150.00 USD: manager, then accounts), two lines
/// suggesting ACME and one GLOBEX. Returns the requisition.
async fn approved_requisition(app: &TestApp) -> Value {
    let engineer = app.logged_in("demo", "engineer").await;
    let acme = supplier_id(app, &engineer, "ACME").await;
    let globex = supplier_id(app, &engineer, "GLOBEX").await;
    let id = id_of(&drafted(&engineer, app, json!({
        "purpose": "daily_operations", "needed_by": "2026-12-20",
        "lines": [
            { "description": "Gearbox 15:1", "quantity": "2", "unit": "pcs", "estimated_unit_price": "25000.00", "supplier_id": acme },
            { "description": "Coupling", "quantity": "10", "unit": "pcs", "estimated_unit_price": "15.00", "supplier_id": acme },
            { "description": "Bearing 6310", "quantity": "40", "unit": "pcs", "estimated_unit_price": "250.00", "supplier_id": globex }
        ]
    })).await);
    submitted(&engineer, app, &id).await;
    approved_by_manager_and_accountant(app, &id).await;
    let r = data_of(&engineer, app, &format!("/api/v1/requisitions/{id}")).await;
    assert_eq!(r["status"], "approved", "{r}");
    r
}

/// A requisition for one CNC spindle from ACME (120,000.00), submitted and approved by the
/// manager and the accountant (their approvals must succeed), then ordered by `procurement`
/// (must answer 201): the order, 126,000.00 with tax, above the procurement manager's threshold.
async fn large_order(app: &TestApp, procurement: &reqwest::Client) -> Value {
    let engineer = app.logged_in("demo", "engineer").await;
    let acme = supplier_id(app, &engineer, "ACME").await;
    let r = drafted(&engineer, app, json!({
        "purpose": "daily_operations",
        "lines": [{ "description": "CNC spindle", "quantity": "1", "unit": "pcs", "estimated_unit_price": "120000.00", "supplier_id": acme }]
    })).await;
    let id = id_of(&r);
    submit(&engineer, app, &id).await;
    approved_by_manager_and_accountant(app, &id).await;
    let line = r["lines"][0]["id"].clone();
    let orders =
        generated_orders(procurement, app, json!({ "requisition_line_ids": [line] })).await;
    orders[0].clone()
}

/// The order of supplier `code` among `orders`.
fn by_supplier(orders: &[Value], code: &str) -> Value {
    orders
        .iter()
        .find(|p| p["supplier"]["code"] == code)
        .expect(code)
        .clone()
}

/// A step on purchase order `id` (`approve`, `reject`, `send`): the status and the body.
async fn order_action(
    c: &reqwest::Client,
    app: &TestApp,
    id: &str,
    action: &str,
    body: Value,
) -> (u16, Value) {
    post(
        c,
        app,
        &format!("/api/v1/purchase-orders/{id}/{action}"),
        body,
    )
    .await
}

/// Creates a requisition as `c` under an Idempotency-Key: the answer, unchecked.
async fn create_with_key(
    c: &reqwest::Client,
    app: &TestApp,
    key: &str,
    body: &Value,
) -> reqwest::Response {
    c.post(app.url("/api/v1/requisitions"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("post")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approved_lines_become_one_order_per_supplier_with_taxes_and_approval() {
    let app = TestApp::spawn().await;
    let req = approved_requisition(&app).await;
    let procurement = app.logged_in("demo", "procurement").await;
    let orderable = data_of(
        &procurement,
        &app,
        "/api/v1/purchase-orders/orderable-lines",
    )
    .await;
    assert_eq!(
        orderable["lines"].as_array().map(Vec::len),
        Some(3),
        "{orderable}"
    );

    let lines = req["lines"].as_array().expect("lines").clone();
    let acme = supplier_id(&app, &procurement, "ACME").await;
    let initech = supplier_id(&app, &procurement, "INITECH").await;
    // the gearboxes from ACME; the couplings split 6 ACME / 4 INITECH at 18 % tax; bearings from
    // their suggested supplier (GLOBEX) at the estimated price
    let pos = generated_orders(&procurement, &app, json!({
        "requisition_line_ids": [lines[2]["id"]],
        "lines": [
            { "requisition_line_id": lines[0]["id"], "supplier_id": acme, "quantity": "2", "unit_price": "24999.99" },
            { "requisition_line_id": lines[1]["id"], "supplier_id": acme, "quantity": "6", "unit_price": "14.99" },
            { "requisition_line_id": lines[1]["id"], "supplier_id": initech, "quantity": "4", "unit_price": "16.25", "tax_rate": "0.18" }
        ]
    })).await;
    assert_eq!(pos.len(), 3, "GLOBEX, ACME, INITECH");
    let by = |code: &str| by_supplier(&pos, code);
    let (globex_po, acme_po, initech_po) = (by("GLOBEX"), by("ACME"), by("INITECH"));
    let mut numbers: Vec<&str> = pos.iter().filter_map(|p| p["number"].as_str()).collect();
    numbers.sort();
    assert_eq!(
        numbers,
        ["PO-2026-000001", "PO-2026-000002", "PO-2026-000003"]
    );
    // ACME: 49,999.98 + 89.94 = 50,089.92; tax 5 % per line 2,500.00 + 4.50 (4.497 half-up)
    assert_eq!(acme_po["subtotal"], "50089.92");
    assert_eq!(acme_po["tax_amount"], "2504.50");
    assert_eq!(acme_po["total"], "52594.42");
    assert_eq!(acme_po["lines"][1]["tax_amount"], "4.50");
    assert_eq!(acme_po["lines"][0]["tax_rate"], "0.05");
    assert_eq!(initech_po["lines"][0]["tax_rate"], "0.18");
    assert_eq!(initech_po["total"], "76.70"); // 65.00 + 11.70
    assert_eq!(globex_po["subtotal"], "10000.00");
    assert_eq!(globex_po["expected_delivery_date"], "2026-12-20");
    assert_eq!(globex_po["payment_terms_days"], 30);
    // below the 100,000 threshold nobody needs to approve: approved at once
    assert_eq!(acme_po["status"], "approved", "{acme_po}");
    // lines trace back to the requisition
    assert_eq!(acme_po["lines"][0]["requisition_line_id"], lines[0]["id"]);
    assert_eq!(acme_po["lines"][0]["requisition_number"], req["number"]);

    let after = data_of(
        &procurement,
        &app,
        &format!(
            "/api/v1/requisitions/{}",
            req["id"].as_str().unwrap_or_default()
        ),
    )
    .await;
    for l in after["lines"].as_array().expect("lines") {
        assert_eq!(l["ordered_quantity"], l["quantity"], "{l}");
    }
    let orderable = data_of(
        &procurement,
        &app,
        "/api/v1/purchase-orders/orderable-lines",
    )
    .await;
    assert_eq!(orderable["lines"].as_array().map(Vec::len), Some(0));

    // the requester hears of it and sees the orders carrying their lines, not others
    let engineer = app.logged_in("demo", "engineer").await;
    let inbox = data_of(&engineer, &app, "/api/v1/notifications").await;
    let texts: Vec<String> = inbox["notifications"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|n| n["text"].as_str().map(str::to_string))
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("PO-2026-000001") && t.contains("placed")),
        "{texts:?}"
    );
    let list = data_of(&engineer, &app, "/api/v1/purchase-orders").await;
    assert_eq!(list["pagination"]["total"], 3);
    let warehouse = app.logged_in("demo", "warehouse").await;
    let list = data_of(&warehouse, &app, "/api/v1/purchase-orders").await;
    assert_eq!(list["pagination"]["total"], 0);

    // dashboards: each sees their own cards
    let d = data_of(&procurement, &app, "/api/v1/dashboard").await;
    assert_eq!(d["purchasing"]["lines_waiting"], 0, "{d}");
    assert_eq!(d["purchasing"]["po_count_this_month"], 3);
    assert_eq!(d["purchasing"]["po_value_this_month"], "63171.12"); // 52,594.42 + 76.70 + 10,500.00
    assert_eq!(d["purchasing"]["awaiting_delivery"], 3);
    // procurement raises replenishment requisitions too: none yet
    assert!(
        d["my_requisitions"]
            .as_array()
            .is_some_and(|a| a.is_empty()),
        "{d}"
    );
    let d = data_of(&engineer, &app, "/api/v1/dashboard").await;
    assert_eq!(
        d["my_requisitions"],
        json!([{ "status": "approved", "count": 1 }])
    );
    assert!(d["purchasing"].is_null() && d["pending_approvals"].is_null());
    assert_eq!(d["approved_last_30_days"], 1);
    assert!(d["average_approval_hours"].is_string(), "{d}");

    // filters
    let list = data_of(&procurement, &app, "/api/v1/purchase-orders?q=globex").await;
    assert_eq!(list["pagination"]["total"], 1);
    let list = data_of(
        &procurement,
        &app,
        "/api/v1/purchase-orders?status=approved",
    )
    .await;
    assert_eq!(list["pagination"]["total"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_order_waits_for_the_procurement_manager() {
    let app = TestApp::spawn().await;
    let procurement = app.logged_in("demo", "procurement").await;
    let po = large_order(&app, &procurement).await;
    let po_id = id_of(&po);
    assert_eq!(po["status"], "pending_approval");
    assert_eq!(po["total"], "126000.00");
    assert_eq!(po["route"][0]["name"], "Procurement manager");

    // the creator may not approve, nor send before approval
    let (status, body) = order_action(&procurement, &app, &po_id, "approve", json!({})).await;
    assert!(status == 422 || status == 403, "{status} {body}");
    let (status, body) = order_action(&procurement, &app, &po_id, "send", json!({})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "INVALID_STATE");

    let mgr = app.logged_in("demo", "procurement_mgr").await;
    let pending = data_of(&mgr, &app, "/api/v1/approvals/pending").await;
    assert!(
        pending["approvals"]
            .as_array()
            .expect("rows")
            .iter()
            .any(|p| p["doc_type"] == "purchase_order" && p["doc_id"] == po["id"]),
        "{pending}"
    );
    let (status, body) =
        order_action(&mgr, &app, &po_id, "approve", json!({ "comment": "ok" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "approved");
    let (status, body) = order_action(&mgr, &app, &po_id, "approve", json!({})).await;
    assert_eq!(status, 409, "approving twice: {body}");
}

/// The inbox holds every registered kind of document: an order waiting for the procurement
/// manager links to the order's page, and approving it from the inbox (as the bulk approve does)
/// goes to the order's own service — not the requisitions'.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_links_and_decides_each_kind_through_its_registration() {
    let app = TestApp::spawn().await;
    let procurement = app.logged_in("demo", "procurement").await;
    let po_id = id_of(&large_order(&app, &procurement).await);

    let mgr = app.logged_in("demo", "procurement_mgr").await;
    let inbox = json_of(&mgr, &app, "/sfn/pending_approvals").await;
    let row = inbox
        .as_array()
        .and_then(|rows| rows.iter().find(|p| p["doc_id"] == po_id.as_str()))
        .cloned()
        .unwrap_or_else(|| panic!("the order is in the inbox: {inbox}"));
    assert_eq!(row["doc_type"], "purchase_order");
    assert_eq!(row["href"], format!("/procurement/orders/{po_id}"));

    let approving = |doc_type| {
        [
            ("doc_type", doc_type),
            ("id", po_id.as_str()),
            ("action", "approve"),
        ]
    };
    let decided = server_fn(&mgr, &app, "decide_document", &approving("purchase_order")).await;
    assert_eq!(decided.status(), 200, "{:?}", decided.text().await);
    let po = data_of(&mgr, &app, &format!("/api/v1/purchase-orders/{po_id}")).await;
    assert_eq!(po["status"], "approved", "{po}");
    // a kind nobody registered is not found, as a document one cannot see
    let unknown = server_fn(&mgr, &app, "decide_document", &approving("invoice_x")).await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_is_never_ordered_twice_even_by_two_people_at_once() {
    let app = TestApp::spawn().await;
    let req = approved_requisition(&app).await;
    let ids: Vec<Value> = req["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["id"].clone())
        .collect();
    let a = app.logged_in("demo", "procurement").await;
    let b = app.logged_in("demo", "procurement").await;
    let body = json!({ "requisition_line_ids": ids });
    let (ra, rb) = tokio::join!(
        post(&a, &app, "/api/v1/purchase-orders", body.clone()),
        post(&b, &app, "/api/v1/purchase-orders", body.clone())
    );
    let mut statuses = [ra.0, rb.0];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{} / {}", ra.1, rb.1);
    let orders = count_of(&app, "select count(*) from purchase_orders").await;
    assert_eq!(orders, 2, "one generation: ACME and GLOBEX");
    let over = count_of(
        &app,
        "select count(*) from requisition_lines where ordered_quantity <> quantity",
    )
    .await;
    assert_eq!(over, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_generation_requests_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let req = approved_requisition(&app).await;
    let procurement = app.logged_in("demo", "procurement").await;
    let acme = supplier_id(&app, &procurement, "ACME").await;
    let line = req["lines"][1]["id"].clone(); // 10 couplings
    let cases = [
        (json!({}), "lines"),
        (
            json!({ "lines": [{ "requisition_line_id": line, "supplier_id": acme, "quantity": "0", "unit_price": "1" }] }),
            "lines[0].quantity",
        ),
        (
            json!({ "lines": [{ "requisition_line_id": line, "supplier_id": acme, "quantity": "11", "unit_price": "1" }] }),
            "lines[0].quantity",
        ),
        (
            json!({ "lines": [{ "requisition_line_id": line, "supplier_id": acme, "quantity": "6", "unit_price": "1" },
                           { "requisition_line_id": line, "supplier_id": acme, "quantity": "5", "unit_price": "1" }] }),
            "lines[1].quantity",
        ),
        (
            json!({ "lines": [{ "requisition_line_id": line, "supplier_id": acme, "quantity": "1", "unit_price": "1.005" }] }),
            "lines[0].unit_price",
        ),
        (
            json!({ "lines": [{ "requisition_line_id": line, "supplier_id": acme, "quantity": "1", "unit_price": "1", "tax_rate": "1.5" }] }),
            "lines[0].tax_rate",
        ),
        (
            json!({ "lines": [{ "requisition_line_id": line, "supplier_id": "00000000-0000-0000-0000-000000000009", "quantity": "1", "unit_price": "1" }] }),
            "lines[0].supplier_id",
        ),
        (
            json!({ "requisition_line_ids": ["00000000-0000-0000-0000-000000000009"] }),
            "requisition_line_ids[0]",
        ),
    ];
    for (body, field) in cases {
        let (status, res) = post(&procurement, &app, "/api/v1/purchase-orders", body.clone()).await;
        assert_eq!(status, 422, "{body} → {res}");
        assert!(
            res["error"]["details"][field].is_string(),
            "{field} in {res}"
        );
    }
    // a draft requisition's lines cannot be ordered
    let engineer = app.logged_in("demo", "engineer").await;
    let (_, draft) = post(&engineer, &app, "/api/v1/requisitions", json!({ "purpose": "daily_operations", "lines": [
        { "description": "Draft item", "quantity": "1", "unit": "pcs", "estimated_unit_price": "1", "supplier_id": acme }]})).await;
    let (status, res) = post(
        &procurement,
        &app,
        "/api/v1/purchase-orders",
        json!({ "requisition_line_ids": [draft["data"]["lines"][0]["id"]] }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        res["error"]["details"]["requisition_line_ids[0]"],
        "The requisition is not approved."
    );
    // the engineer may not generate orders at all
    let (status, _) = post(
        &engineer,
        &app,
        "/api/v1/purchase-orders",
        json!({ "requisition_line_ids": [line] }),
    )
    .await;
    assert_eq!(status, 403);
    // another tenant's line is unknown
    let saif = app.logged_in("saif", "procurement").await;
    let (status, res) = post(
        &saif,
        &app,
        "/api/v1/purchase-orders",
        json!({ "requisition_line_ids": [line] }),
    )
    .await;
    assert_eq!(status, 422, "{res}");
    let orders = count_of(&app, "select count(*) from purchase_orders").await;
    assert_eq!(orders, 0);
    let ordered: rust_decimal::Decimal =
        sqlx::query_scalar("select sum(ordered_quantity) from requisition_lines")
            .fetch_one(&app.db.owner)
            .await
            .expect("sum");
    assert!(ordered.is_zero());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_emails_the_pdf_to_the_supplier_over_smtp_and_cancel_gives_quantities_back() {
    let app = TestApp::spawn().await;
    let req = approved_requisition(&app).await;
    let procurement = app.logged_in("demo", "procurement").await;
    let pos = generated_orders(
        &procurement,
        &app,
        json!({
        "requisition_line_ids": [req["lines"][0]["id"], req["lines"][2]["id"]] }),
    )
    .await;
    let acme = by_supplier(&pos, "ACME");
    let globex = by_supplier(&pos, "GLOBEX");
    let acme_id = acme["id"].as_str().unwrap_or_default();

    let pdf = procurement
        .get(app.url(&format!("/api/v1/purchase-orders/{acme_id}/pdf")))
        .send()
        .await
        .expect("pdf");
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    assert!(text.contains("Purchase order"), "{text}");
    assert!(
        text.contains(acme["number"].as_str().unwrap_or("?")),
        "{text}"
    );

    // in the reader's language, with a supplier named in Devanagari: every script is printed
    // from its embedded font and reads back as the text it is (pdftotext)
    sqlx::query("update suppliers set name = 'शर्मा हाइड्रोलिक्स' where code = 'ACME'")
        .execute(&app.db.owner)
        .await
        .expect("rename");
    set_language(&procurement, &app, "hi").await;
    let hindi = procurement
        .get(app.url(&format!("/api/v1/purchase-orders/{acme_id}/pdf")))
        .send()
        .await
        .expect("pdf")
        .bytes()
        .await
        .expect("bytes");
    let text = pdf_text(&hindi);
    for expected in ["क्रय आदेश", "आपूर्तिकर्ता: शर्मा हाइड्रोलिक्स (ACME)", "कुल"]
    {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    assert!(!text.contains("Purchase order"), "{text}");
    set_language(&procurement, &app, "en").await;

    let (status, body) = order_action(&procurement, &app, acme_id, "send", json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "sent");

    let sink = SmtpSink::start().await;
    let mailer = server::mailer::Mailer::new(&sink.url(), "Millwright <no-reply@millwright.test>")
        .expect("mailer");
    let sent = server::mailer::run_once(&app.pool, &mailer)
        .await
        .expect("run");
    assert!(sent >= 1);
    let messages = sink.messages();
    let po_mail = messages
        .iter()
        .find(|m| {
            m.contains("orders@acme.example.com")
                && m.contains(acme["number"].as_str().unwrap_or("?"))
        })
        .unwrap_or_else(|| panic!("no PO e-mail among {} messages", messages.len()));
    assert!(po_mail.contains("application/pdf"), "{po_mail}");
    assert!(po_mail.contains(&format!(
        "{}.pdf",
        acme["number"].as_str().unwrap_or_default()
    )));
    // approvers and requesters were mailed too (in their language)
    assert!(
        messages.iter().any(|m| m.contains("engineer@")
            || m.contains("To: \"Ravi Engineer\"")
            || m.contains("Ravi")),
        "requester mail"
    );
    let status: String = sqlx::query_scalar(
        "select status from outbox_emails where doc_id = $1 and attachment is not null",
    )
    .bind(uuid::Uuid::parse_str(acme_id).expect("uuid"))
    .fetch_one(&app.db.owner)
    .await
    .expect("outbox");
    assert_eq!(status, "sent");

    // cancelling the unsent GLOBEX order needs a reason and gives the bearings back
    let globex_status = format!("/api/v1/purchase-orders/{}/status", id_of(&globex));
    let (status, body) = put(
        &procurement,
        &app,
        &globex_status,
        json!({ "status": "cancelled" }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = put(
        &procurement,
        &app,
        &globex_status,
        json!({ "status": "cancelled", "comment": "Supplier cannot deliver" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "cancelled");
    let orderable = data_of(
        &procurement,
        &app,
        "/api/v1/purchase-orders/orderable-lines",
    )
    .await;
    let rows = orderable["lines"].as_array().expect("rows");
    assert!(
        rows.iter()
            .any(|l| l["requisition_line_id"] == req["lines"][2]["id"] && l["remaining"] == "40"),
        "{orderable}"
    );
    // closing needs a sent order; a cancelled one stays cancelled
    let (status, _) = put(
        &procurement,
        &app,
        &globex_status,
        json!({ "status": "closed", "comment": "x" }),
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supplier_with_its_own_language_gets_its_orders_in_it() {
    let app = TestApp::spawn().await;
    let req = approved_requisition(&app).await;
    let procurement = app.logged_in("demo", "procurement").await;
    let orders = generated_orders(
        &procurement,
        &app,
        json!({ "requisition_line_ids": [req["lines"][0]["id"]] }),
    )
    .await;
    let po = orders[0].clone();
    let po_id = id_of(&po);
    let supplier_id = po["supplier"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = format!("/api/v1/suppliers/{supplier_id}");
    let mut supplier = data_of(&procurement, &app, &path).await;
    assert!(supplier["language"].is_null(), "{supplier}");

    // a language the product does not speak is refused by field, and nothing changes
    supplier["language"] = json!("fr");
    let (status, body) = put(&procurement, &app, &path, supplier.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"]["language"].is_string(), "{body}");
    assert!(data_of(&procurement, &app, &path).await["language"].is_null());

    supplier["language"] = json!("ar");
    let (status, body) = put(&procurement, &app, &path, supplier).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["language"], "ar");

    // the order goes out in Arabic although the company's language is English
    let (status, body) = order_action(&procurement, &app, &po_id, "send", json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (subject, pdf): (String, Vec<u8>) = sqlx::query_as(
        "select subject, attachment from outbox_emails where doc_id = $1 and attachment is not null",
    )
    .bind(uuid::Uuid::parse_str(&po_id).expect("uuid"))
    .fetch_one(&app.db.owner)
    .await
    .expect("outbox");
    assert!(subject.starts_with("أمر الشراء"), "{subject}");
    // (poppler writes a right-to-left run's letters in the order they stand on the page, from
    // the left: the title reads back reversed, inside bidi embedding marks)
    let text = pdf_text(&pdf);
    let title = "أمر شراء";
    let from_the_left: String = title.chars().rev().collect();
    assert!(
        text.contains(title) || text.contains(&from_the_left),
        "{text}"
    );
    assert!(!text.contains("Purchase order"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undeliverable_mail_is_retried_with_backoff() {
    let app = TestApp::spawn().await;
    approved_requisition(&app).await; // queues notification e-mails
                                      // a port nobody listens on
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let mailer =
        server::mailer::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "m@millwright.test")
            .expect("mailer");
    let sent = server::mailer::run_once(&app.pool, &mailer)
        .await
        .expect("run");
    assert_eq!(sent, 0);
    let (pending, attempted): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where status = 'pending'), count(*) filter (where attempts = 1 and last_error is not null) from outbox_emails")
        .fetch_one(&app.db.owner).await.expect("counts");
    assert!(pending > 0);
    assert_eq!(pending, attempted);
    let not_due: i64 = sqlx::query_scalar("select count(*) from jobs where kind = 'send_email' and done_at is null and run_at > now() + interval '20 seconds'")
        .fetch_one(&app.db.owner).await.expect("jobs");
    assert_eq!(not_due, pending, "retried later, not at once");
    // nothing due now: a second run does not hammer the server
    assert_eq!(
        server::mailer::run_once(&app.pool, &mailer)
            .await
            .expect("run"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_replays_the_first_result() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let body = one_line_requisition("Hydraulic hose", "3", "m", "12.00");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let res = create_with_key(&engineer, &app, "retry-1", &body).await;
        assert_eq!(res.status(), 201);
        let v = json(res).await;
        ids.push(v["data"]["id"].clone());
    }
    assert_eq!(ids[0], ids[1]);
    let requisitions = count_of(&app, "select count(*) from requisitions").await;
    assert_eq!(requisitions, 1);
    // the same key with another body is refused
    let other = one_line_requisition("Other", "1", "m", "1.00");
    let res = create_with_key(&engineer, &app, "retry-1", &other).await;
    assert_eq!(res.status(), 422);
    // a failed request does not burn its key
    let bad = json!({ "purpose": "daily_operations", "lines": [] });
    let res = create_with_key(&engineer, &app, "retry-2", &bad).await;
    assert_eq!(res.status(), 422);
    let res = create_with_key(&engineer, &app, "retry-2", &body).await;
    assert_eq!(res.status(), 201);
    // keys belong to the user: another user's same key is a new request
    let manager = app.logged_in("demo", "manager").await;
    let res = create_with_key(&manager, &app, "retry-1", &body).await;
    assert_eq!(res.status(), 201);
    let requisitions = count_of(&app, "select count(*) from requisitions").await;
    assert_eq!(requisitions, 3);
}
