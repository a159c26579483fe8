//! Supplier invoices on PostgreSQL through REST: a matched invoice posts on submission (GRNI
//! cleared, GST by head, TDS), one dearer than the order waits for the procurement manager, one
//! that came before its goods posts when they arrive; bad input changes nothing; the trial
//! balance balances and the GRNI report equals its account after each.
use crate::common::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

/// The books still agree: the trial balance balances, and the GRNI report is its account.
async fn books_agree(c: &reqwest::Client, app: &TestApp) -> Value {
    let tb = data_of(c, app, "/api/v1/reports/trial-balance").await;
    let t = &tb["totals"];
    assert_eq!(dec(&t["closing_debit"]), dec(&t["closing_credit"]), "{tb}");
    assert_eq!(dec(&t["debit"]), dec(&t["credit"]), "{tb}");
    let grni = data_of(c, app, "/api/v1/reports/grni").await;
    let account = tb["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["account"]["code"] == "2212")
        .map(|r| -dec(&r["closing"]))
        .unwrap_or_default();
    assert_eq!(dec(&grni["total"]), account, "{grni}");
    tb
}

fn closing(tb: &Value, code: &str) -> Decimal {
    tb["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["account"]["code"] == code)
        .map(|r| dec(&r["closing"]))
        .unwrap_or_default()
}

/// Posts `action` (submit, approve, hold, release, cancel) on invoice `id`: status and body.
async fn invoice_action(
    c: &reqwest::Client,
    app: &TestApp,
    id: &str,
    action: &str,
) -> (u16, Value) {
    post(
        c,
        app,
        &format!("/api/v1/supplier-invoices/{id}/{action}"),
        json!({}),
    )
    .await
}

async fn today(c: &reqwest::Client, app: &TestApp) -> String {
    data_of(c, app, "/api/v1/reports/trial-balance").await["to"]
        .as_str()
        .expect("today")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_matched_invoice_posts_on_submission_clearing_grni_with_gst_by_head_and_tds() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "VIZAG-ELEC", "10", "100").await;
    received(&app, &po, &line, "10").await;
    let before = books_agree(&accountant, &app).await;
    let date = today(&accountant, &app).await;
    let body = json!({ "supplier_id": sup, "number": "VE/1001", "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "100.00", "tax_rate": "18" }] });
    let (status, inv) = post(&accountant, &app, "/api/v1/supplier-invoices", body.clone()).await;
    assert_eq!(status, 201, "{inv}");
    let d = &inv["data"];
    assert_eq!(d["status"], "draft");
    assert!(
        d["number"].as_str().unwrap_or_default().starts_with("PI-"),
        "{d}"
    );
    // Visakhapatnam's supplier, Kolkata's plant: integrated tax; TDS 194C at 2 %
    assert_eq!(
        (d["tax"]["igst"].as_str(), d["tax"]["cgst"].as_str()),
        (Some("180.00"), Some("0.00")),
        "{d}"
    );
    assert_eq!(
        (
            d["tds"].as_str(),
            d["total"].as_str(),
            d["amount_due"].as_str()
        ),
        (Some("20.00"), Some("1180.00"), Some("1160.00"))
    );
    assert_eq!(d["lines"][0]["match"]["status"], "matched");
    assert_eq!(d["lines"][0]["match"]["received"], "10");
    let id = id_of(d);
    // what creation answers is what reading it answers (creation shapes it from what it holds)
    let read = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}"),
    )
    .await;
    assert_eq!(&read, d);
    assert!(read["lines"][0]["purchase_order"].is_string(), "{read}");
    let (status, inv) = invoice_action(&accountant, &app, &id, "submit").await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("posted")),
        "{inv}"
    );
    // and so for the submission, whose entry is named before it is written
    let read = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}"),
    )
    .await;
    assert_eq!(read, inv["data"]);
    let entry = read["entry_id"].as_str().expect("entry").to_string();
    let je = data_of(
        &accountant,
        &app,
        &format!("/api/v1/journal-entries/{entry}"),
    )
    .await;
    assert!(
        je["number"].as_str().is_some_and(|n| n.starts_with("JE-")),
        "{je}"
    );
    let tb = books_agree(&accountant, &app).await;
    assert_eq!(
        closing(&tb, "2211") - closing(&before, "2211"),
        Decimal::from(-1160),
        "AP for the supplier"
    );
    assert_eq!(
        closing(&tb, "1343") - closing(&before, "1343"),
        Decimal::from(180),
        "IGST input"
    );
    assert_eq!(
        closing(&tb, "2221") - closing(&before, "2221"),
        Decimal::from(-20),
        "TDS payable"
    );
    let grni = data_of(&accountant, &app, "/api/v1/reports/grni").await;
    assert!(
        grni["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["purchase_order_line_id"] != line.as_str()),
        "{grni}"
    );
    // the same supplier's number again, whatever its case: 409, nothing written
    let invoices = count_of(&app, "select count(*) from supplier_invoices").await;
    let mut again = body.clone();
    again["number"] = json!(" ve/1001 ");
    let (status, e) = post(&accountant, &app, "/api/v1/supplier-invoices", again).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("CONFLICT")),
        "{e}"
    );
    assert_eq!(
        count_of(&app, "select count(*) from supplier_invoices").await,
        invoices
    );
    // billing the same goods twice is beyond what was ordered: an exception, not a silent post
    let mut twice = body;
    twice["number"] = json!("VE/1002");
    let (status, inv) = post(&accountant, &app, "/api/v1/supplier-invoices", twice).await;
    assert_eq!(status, 201, "{inv}");
    assert_eq!(
        inv["data"]["lines"][0]["match"]["status"], "quantity_exception",
        "{inv}"
    );
    assert_eq!(inv["data"]["match_status"], "exception");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_dearer_than_the_order_waits_for_the_procurement_manager() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "BENGAL-BRG", "10", "100").await;
    received(&app, &po, &line, "10").await;
    let before = books_agree(&accountant, &app).await;
    let date = today(&accountant, &app).await;
    // bad input first: nothing is written
    let invoices = count_of(&app, "select count(*) from supplier_invoices").await;
    for (lines, field) in [
        (
            json!([{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "108.001" }]),
            "lines[0].unit_price",
        ),
        (
            json!([{ "purchase_order_line_id": line, "quantity": "0", "unit_price": "108" }]),
            "lines[0].quantity",
        ),
        (
            json!([{ "purchase_order_line_id": sup, "quantity": "1", "unit_price": "108" }]),
            "lines[0].purchase_order_line_id",
        ),
        (json!([]), "lines"),
    ] {
        let (status, e) = post(
            &accountant,
            &app,
            "/api/v1/supplier-invoices",
            json!({ "supplier_id": sup, "number": "BB-77", "invoice_date": date, "lines": lines }),
        )
        .await;
        assert_eq!(status, 422, "{field}: {e}");
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    assert_eq!(
        count_of(&app, "select count(*) from supplier_invoices").await,
        invoices
    );
    let engineer = app.logged_in("saif", "engineer").await;
    let body = json!({ "supplier_id": sup, "number": "BB-77", "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "108", "tax_rate": "18" }] });
    let (status, _) = post(&engineer, &app, "/api/v1/supplier-invoices", body.clone()).await;
    assert_eq!(status, 403);
    let (status, _) = get(&engineer, &app, "/api/v1/supplier-invoices").await;
    assert_eq!(status, 403, "nobody else sees supplier invoices");
    // 8 % dearer than ordered, beyond the 2 % tolerance; Kolkata to Kolkata: CGST + SGST
    let (status, inv) = post(&accountant, &app, "/api/v1/supplier-invoices", body).await;
    assert_eq!(status, 201, "{inv}");
    let d = &inv["data"];
    assert_eq!(
        (
            d["tax"]["cgst"].as_str(),
            d["tax"]["sgst"].as_str(),
            d["tax"]["igst"].as_str()
        ),
        (Some("97.20"), Some("97.20"), Some("0.00")),
        "{d}"
    );
    assert_eq!(d["lines"][0]["match"]["status"], "price_exception");
    assert_eq!(d["lines"][0]["match"]["price_variance"], "80.00");
    let id = id_of(d);
    let (status, inv) = invoice_action(&accountant, &app, &id, "submit").await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("pending_approval")),
        "{inv}"
    );
    let (status, e) = invoice_action(&accountant, &app, &id, "approve").await;
    assert_eq!(status, 422, "who entered it does not approve it: {e}");
    assert!(e["error"]["details"]["approval"].is_string(), "{e}");
    let warehouse = app.logged_in("saif", "warehouse").await;
    let (status, _) = invoice_action(&warehouse, &app, &id, "approve").await;
    assert_eq!(status, 403, "nor does anyone not seated at the stage");
    let manager = app.logged_in("saif", "procurement_mgr").await;
    let pending = data_of(
        &manager,
        &app,
        "/api/v1/supplier-invoices?status=pending_approval",
    )
    .await;
    assert_eq!(pending["pagination"]["total"], 1, "{pending}");
    let (status, inv) = post(
        &manager,
        &app,
        &format!("/api/v1/supplier-invoices/{id}/approve"),
        json!({ "comment": "Steel surcharge agreed" }),
    )
    .await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("posted")),
        "{inv}"
    );
    let tb = books_agree(&accountant, &app).await;
    assert_eq!(
        closing(&tb, "5200") - closing(&before, "5200"),
        Decimal::from(80),
        "the price variance"
    );
    assert_eq!(
        closing(&tb, "1341") - closing(&before, "1341"),
        Decimal::new(9720, 2),
        "CGST input"
    );
    // hold and release; a posted invoice is not cancelled
    let (status, inv) = invoice_action(&accountant, &app, &id, "hold").await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("on_hold"))
    );
    let (status, inv) = invoice_action(&accountant, &app, &id, "release").await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("posted"))
    );
    let (status, _) = invoice_action(&accountant, &app, &id, "cancel").await;
    assert_eq!(status, 422);
    // another company's invoice is not there
    let demo = app.logged_in("demo", "accountant").await;
    let (status, _) = get(&demo, &app, &format!("/api/v1/supplier-invoices/{id}")).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_that_comes_before_its_goods_posts_when_they_arrive() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "BENGAL-BRG", "10", "100").await;
    let date = today(&accountant, &app).await;
    // the item's own GST rate and HSN code fill a line that names none
    sqlx::query("update items set gst_rate = 12, hsn_sac = '8482' where sku = 'BRG-6205-2RS'")
        .execute(&app.db.owner)
        .await
        .expect("item tax");
    let (status, inv) = post(
        &accountant,
        &app,
        "/api/v1/supplier-invoices",
        json!({ "supplier_id": sup, "number": "BB-EARLY", "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "100" }] }),
    )
    .await;
    assert_eq!(status, 201, "{inv}");
    assert_eq!(inv["data"]["lines"][0]["match"]["status"], "awaiting_goods");
    assert_eq!(inv["data"]["lines"][0]["tax_rate"], "12", "{inv}");
    assert_eq!(inv["data"]["lines"][0]["hsn_sac"], "8482");
    assert_eq!(inv["data"]["tax"]["total"], "120.00", "{inv}");
    let id = id_of(&inv["data"]);
    let (status, inv) = invoice_action(&accountant, &app, &id, "submit").await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("awaiting_goods")),
        "{inv}"
    );
    received(&app, &po, &line, "6").await;
    let inv = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}"),
    )
    .await;
    assert_eq!(inv["status"], "awaiting_goods", "6 of 10 is not all");
    received(&app, &po, &line, "4").await;
    let inv = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}"),
    )
    .await;
    assert_eq!(inv["status"], "posted", "{inv}");
    assert_eq!(inv["lines"][0]["match"]["received"], "10");
    books_agree(&accountant, &app).await;
    let grni = data_of(&accountant, &app, "/api/v1/reports/grni").await;
    assert!(
        grni["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["purchase_order_line_id"] != line.as_str()),
        "{grni}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_settle_invoices_in_part_or_in_full_and_never_beyond_what_is_due() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "VIZAG-ELEC", "10", "100").await;
    received(&app, &po, &line, "10").await;
    let date = today(&accountant, &app).await;
    let (status, inv) = post(&accountant, &app, "/api/v1/supplier-invoices", json!({ "supplier_id": sup, "number": "VE-PAY-1", "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "100", "tax_rate": "18" }] })).await;
    assert_eq!(status, 201, "{inv}");
    let id = id_of(&inv["data"]);
    let (status, _) = invoice_action(&accountant, &app, &id, "submit").await;
    assert_eq!(status, 200);
    let bank = id_where(&app, "select id from accounts where tenant_id = (select id from tenants where slug = 'saif') and control = 'bank'").await;
    let pay = |amount: &str| {
        json!({ "supplier_id": sup, "date": date, "bank_account_id": bank, "reference": "NEFT 1",
        "allocations": [{ "supplier_invoice_id": id, "amount": amount }] })
    };
    // the ageing first: all of it current
    let ageing = data_of(&accountant, &app, "/api/v1/reports/ap-ageing").await;
    let row = ageing["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["supplier_id"] == sup.as_str())
        .expect("row")
        .clone();
    assert_eq!(
        (row["current"].as_str(), row["total"].as_str()),
        (Some("1160.00"), Some("1160.00")),
        "{ageing}"
    );
    // half now
    let (status, p) = post(&accountant, &app, "/api/v1/payments", pay("580.00")).await;
    assert_eq!(status, 201, "{p}");
    assert!(p["data"]["number"]
        .as_str()
        .unwrap_or_default()
        .starts_with("PAY-"));
    let now = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}"),
    )
    .await;
    assert_eq!(
        (now["status"].as_str(), now["amount_due"].as_str()),
        (Some("partially_paid"), Some("580.00"))
    );
    books_agree(&accountant, &app).await;
    // more than is left: refused, nothing written
    let payments = count_of(&app, "select count(*) from payments").await;
    for (body, field) in [
        (pay("580.01"), "allocations[0].amount"),
        (pay("10.001"), "allocations[0].amount"),
        (
            json!({ "supplier_id": sup, "date": date, "bank_account_id": line, "allocations": [{ "supplier_invoice_id": id, "amount": "1" }] }),
            "bank_account_id",
        ),
    ] {
        let (status, e) = post(&accountant, &app, "/api/v1/payments", body).await;
        assert_eq!(status, 422, "{field}: {e}");
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    assert_eq!(
        count_of(&app, "select count(*) from payments").await,
        payments
    );
    // the rest twice at once: one wins, the other finds nothing left to pay
    let (a, b) = tokio::join!(
        post(&accountant, &app, "/api/v1/payments", pay("580.00")),
        post(&accountant, &app, "/api/v1/payments", pay("580.00"))
    );
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 422], "{} {}", a.1, b.1);
    let now = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}"),
    )
    .await;
    assert_eq!(
        (now["status"].as_str(), now["amount_due"].as_str()),
        (Some("paid"), Some("0.00"))
    );
    let tb = books_agree(&accountant, &app).await;
    assert_eq!(
        closing(&tb, "2221"),
        Decimal::from(-20),
        "the TDS stays payable to the government"
    );
    let ageing = data_of(&accountant, &app, "/api/v1/reports/ap-ageing").await;
    assert!(
        ageing["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["supplier_id"] != sup.as_str()),
        "{ageing}"
    );
    let listed = data_of(
        &accountant,
        &app,
        &format!("/api/v1/payments?supplier_id={sup}"),
    )
    .await;
    assert_eq!(listed["pagination"]["total"], 2, "{listed}");
    assert_eq!(
        listed["payments"][0]["allocations"][0]["invoice"],
        now["number"]
    );
    let warehouse = app.logged_in("saif", "warehouse").await;
    let (status, _) = post(&warehouse, &app, "/api/v1/payments", pay("1")).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_run_pays_every_due_unheld_invoice_in_one_go_with_a_bank_file_and_advices() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let date = today(&accountant, &app).await;
    let mut invoices = Vec::new();
    for (code, number) in [
        ("VIZAG-ELEC", "VE-RUN-1"),
        ("BENGAL-BRG", "BB-RUN-1"),
        ("BENGAL-BRG", "BB-RUN-2"),
    ] {
        let (sup, po, line) = ordered(&app, code, "2", "50").await;
        received(&app, &po, &line, "2").await;
        let (status, inv) = post(&accountant, &app, "/api/v1/supplier-invoices", json!({ "supplier_id": sup, "number": number,
            "invoice_date": date, "due_date": date, "lines": [{ "purchase_order_line_id": line, "quantity": "2", "unit_price": "50", "tax_rate": "0" }] })).await;
        assert_eq!(status, 201, "{inv}");
        let id = id_of(&inv["data"]);
        let (status, _) = invoice_action(&accountant, &app, &id, "submit").await;
        assert_eq!(status, 200);
        invoices.push(id);
    }
    // one is held: the run leaves it out
    let (status, _) = post(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{}/hold", invoices[2]),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, r) = post(
        &accountant,
        &app,
        "/api/v1/payment-runs",
        json!({ "due_by": date }),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let run = &r["data"];
    assert_eq!(run["status"], "proposed");
    assert_eq!(run["suppliers"].as_array().map(Vec::len), Some(2), "{run}");
    // TDS of VIZAG-ELEC (2 % of 100) is kept back: 98 + 100
    assert_eq!(run["total"], "198.00", "{run}");
    let id = id_of(run);
    let (status, _) = get(
        &accountant,
        &app,
        &format!("/api/v1/payment-runs/{id}/bank-file"),
    )
    .await;
    assert_eq!(status, 422, "no bank file before approval");
    let emails = count_of(&app, "select count(*) from outbox_emails").await;
    let (status, r) = post(
        &accountant,
        &app,
        &format!("/api/v1/payment-runs/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, r["data"]["status"].as_str()),
        (200, Some("approved")),
        "{r}"
    );
    assert_eq!(r["data"]["payments"].as_array().map(Vec::len), Some(2));
    let (status, _) = post(
        &accountant,
        &app,
        &format!("/api/v1/payment-runs/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 422);
    for (i, paid) in [(0, "paid"), (1, "paid"), (2, "on_hold")] {
        let inv = data_of(
            &accountant,
            &app,
            &format!("/api/v1/supplier-invoices/{}", invoices[i]),
        )
        .await;
        assert_eq!(inv["status"], paid, "{inv}");
    }
    books_agree(&accountant, &app).await;
    // each supplier with an address was told, in Hindi (saif's language)
    let advised: Vec<String> =
        sqlx::query_scalar("select subject from outbox_emails order by created_at desc limit 2")
            .fetch_all(&app.db.owner)
            .await
            .expect("emails");
    let sent = count_of(&app, "select count(*) from outbox_emails").await - emails;
    assert!(sent >= 1, "{advised:?}");
    assert!(advised.iter().any(|s| s.contains("भुगतान")), "{advised:?}");
    let res = accountant
        .get(app.url(&format!("/api/v1/payment-runs/{id}/bank-file")))
        .send()
        .await
        .expect("file");
    assert_eq!(res.status(), 200);
    assert!(header(res.headers(), "content-type")
        .unwrap_or_default()
        .starts_with("text/csv"));
    let text = res.text().await.expect("text");
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows[0],
        "payment,date,supplier_code,supplier,amount,currency,reference,invoices"
    );
    assert_eq!(rows.len(), 3, "{text}");
    assert!(
        text.contains("VIZAG-ELEC") && text.contains("98.00") && text.contains("BB-RUN-1"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_reverse_charge_the_company_owes_the_gst_itself_and_the_supplier_the_goods() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "HOWRAH-STL", "10", "100").await;
    received(&app, &po, &line, "10").await;
    let before = books_agree(&accountant, &app).await;
    let date = today(&accountant, &app).await;
    let (status, inv) = post(&accountant, &app, "/api/v1/supplier-invoices", json!({ "supplier_id": sup, "number": "HS-RCM-1", "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "100", "tax_rate": "18" }] })).await;
    assert_eq!(status, 201, "{inv}");
    let d = &inv["data"];
    assert_eq!(
        (
            d["tax"]["cgst"].as_str(),
            d["total"].as_str(),
            d["amount_due"].as_str()
        ),
        (Some("90.00"), Some("1000.00"), Some("1000.00")),
        "{d}"
    );
    let id = id_of(d);
    let (status, inv) = invoice_action(&accountant, &app, &id, "submit").await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("posted")),
        "{inv}"
    );
    let tb = books_agree(&accountant, &app).await;
    assert_eq!(
        closing(&tb, "2223") - closing(&before, "2223"),
        Decimal::from(-180),
        "GST payable under reverse charge"
    );
    assert_eq!(
        closing(&tb, "1341") - closing(&before, "1341"),
        Decimal::from(90),
        "CGST input"
    );
    assert_eq!(
        closing(&tb, "2211") - closing(&before, "2211"),
        Decimal::from(-1000),
        "the supplier is owed the goods"
    );
}
