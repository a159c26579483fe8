//! The payment screens on PostgreSQL: a proposed payment run's line changed (part of what is due,
//! dropped at 0, never beyond what is due, not once approved, not another company's), the list of
//! runs, the accountant's home whose figures are what the lists say — each by both doors (the
//! screens' server functions and REST give the same) — and the pages rendered on the server for
//! saif's accountant with its figures in lakhs, forbidden to a warehouse user.
use crate::common::*;
use app::format::{format_money, Grouping};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

/// A supplier invoice for a received order line, dated `date`, due `due`; submitted (posted,
/// being matched) unless `draft`. Its id.
#[allow(clippy::too_many_arguments)]
async fn invoice(
    c: &reqwest::Client,
    app: &TestApp,
    code: &str,
    number: &str,
    date: NaiveDate,
    due: NaiveDate,
    draft: bool,
) -> String {
    let (sup, line) = received_order(app, code, "2", "50").await;
    let (status, inv) = post(c, app, "/api/v1/supplier-invoices", json!({ "supplier_id": sup, "number": number,
        "invoice_date": date, "due_date": due, "lines": [{ "purchase_order_line_id": line, "quantity": "2", "unit_price": "50", "tax_rate": "0" }] })).await;
    assert_eq!(status, 201, "{inv}");
    let id = id_of(&inv["data"]);
    if !draft {
        let (status, r) = post(
            c,
            app,
            &format!("/api/v1/supplier-invoices/{id}/submit"),
            json!({}),
        )
        .await;
        assert_eq!(
            (status, r["data"]["status"].as_str()),
            (200, Some("posted")),
            "{r}"
        );
    }
    id
}

async fn today(c: &reqwest::Client, app: &TestApp) -> NaiveDate {
    let v = data_of(c, app, "/api/v1/reports/trial-balance").await;
    NaiveDate::from_str(v["to"].as_str().expect("today")).expect("a date")
}

/// A server function called with a JSON body: status and body.
async fn sfn_json(c: &reqwest::Client, app: &TestApp, name: &str, body: Value) -> (u16, Value) {
    let res = c
        .post(app.url(&format!("/sfn/{name}")))
        .json(&body)
        .send()
        .await
        .expect("server function");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The line of `invoice` in a run, if the run holds it.
fn run_line<'a>(run: &'a Value, invoice: &str) -> Option<&'a Value> {
    run["suppliers"]
        .as_array()?
        .iter()
        .flat_map(|s| s["invoices"].as_array().into_iter().flatten())
        .find(|i| i["supplier_invoice_id"] == invoice)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposed_runs_invoice_is_paid_in_part_or_dropped_never_beyond_what_is_due() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let date = today(&accountant, &app).await;
    let bengal = invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "BB-REV-1",
        date,
        date,
        false,
    )
    .await;
    let vizag = invoice(
        &accountant,
        &app,
        "VIZAG-ELEC",
        "VE-REV-1",
        date,
        date,
        false,
    )
    .await;
    let (status, r) = post(
        &accountant,
        &app,
        "/api/v1/payment-runs",
        json!({ "due_by": date }),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let id = id_of(&r["data"]);
    let due = dec(&run_line(&r["data"], &bengal).expect("proposed")["amount"]);
    assert_eq!(due, Decimal::from(100));
    let line = |inv: &str| format!("/api/v1/payment-runs/{id}/invoices/{inv}");

    // part of it
    let (status, r) = put(
        &accountant,
        &app,
        &line(&bengal),
        json!({ "amount": "40.00" }),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        dec(&run_line(&r["data"], &bengal).expect("kept")["amount"]),
        Decimal::from(40)
    );
    let vizag_due = dec(&run_line(&r["data"], &vizag).expect("vizag")["amount"]);
    assert_eq!(
        dec(&r["data"]["total"]),
        Decimal::from(40) + vizag_due,
        "{r}"
    );

    // refusals change nothing
    let before = data_of(&accountant, &app, &format!("/api/v1/payment-runs/{id}")).await;
    for (body, code, field) in [
        (
            json!({ "amount": "100.01" }),
            "VALIDATION_ERROR",
            Some("amount"),
        ),
        (
            json!({ "amount": "10.001" }),
            "VALIDATION_ERROR",
            Some("amount"),
        ),
        (
            json!({ "amount": "-1" }),
            "VALIDATION_ERROR",
            Some("amount"),
        ),
    ] {
        let (status, r) = put(&accountant, &app, &line(&bengal), body).await;
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (422, Some(code)),
            "{r}"
        );
        if let Some(f) = field {
            assert!(r["error"]["details"][f].is_string(), "{r}");
        }
    }
    let (status, r) = put(
        &accountant,
        &app,
        &line(&bengal),
        json!({ "amount": "100.01" }),
    )
    .await;
    assert!(
        status == 422
            && r["error"]["details"]["amount"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
    );
    // an invoice the run does not hold, another company's caller, a warehouse user
    let (status, _) = put(&accountant, &app, &line(&id), json!({ "amount": "1" })).await;
    assert_eq!(status, 404);
    let demo = app.logged_in("demo", "accountant").await;
    let (status, _) = put(&demo, &app, &line(&bengal), json!({ "amount": "1" })).await;
    assert_eq!(status, 404);
    let warehouse = app.logged_in("saif", "warehouse").await;
    let (status, _) = put(&warehouse, &app, &line(&bengal), json!({ "amount": "1" })).await;
    assert_eq!(status, 403);
    assert_eq!(
        data_of(&accountant, &app, &format!("/api/v1/payment-runs/{id}")).await,
        before
    );

    // the screen's door: 0 drops the invoice, and REST then reads what the server function said
    let (status, sfn) = sfn_json(
        &accountant,
        &app,
        "set_payment_run_line",
        json!({ "id": id, "invoice_id": vizag, "input": { "amount": "0" } }),
    )
    .await;
    assert_eq!(status, 200, "{sfn}");
    assert!(run_line(&sfn, &vizag).is_none(), "{sfn}");
    let rest = data_of(&accountant, &app, &format!("/api/v1/payment-runs/{id}")).await;
    assert_eq!(rest, sfn);
    assert_eq!(rest["total"], "40.00");
    let (status, sfn) = sfn_json(
        &accountant,
        &app,
        "set_payment_run_line",
        json!({ "id": id, "invoice_id": bengal, "input": { "amount": "100.01" } }),
    )
    .await;
    assert_eq!(status, 422, "{sfn}");
    assert!(sfn.to_string().contains("amount"), "{sfn}");

    // the list, newest first, by both doors
    let (status, r) = post(
        &accountant,
        &app,
        "/api/v1/payment-runs",
        json!({ "due_by": date }),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let newer = id_of(&r["data"]);
    let list = data_of(&accountant, &app, "/api/v1/payment-runs").await;
    let runs = list["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2, "{list}");
    assert_eq!(
        (runs[0]["id"].as_str(), runs[1]["id"].as_str()),
        (Some(newer.as_str()), Some(id.as_str()))
    );
    assert_eq!(
        (runs[1]["invoices"].as_i64(), runs[1]["suppliers"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(runs[1]["total"], "40.00");
    assert_eq!(list["pagination"]["total"], 2);
    let sfn = json_of(&accountant, &app, "/sfn/list_payment_runs?page=1").await;
    assert_eq!(&sfn["rows"], &list["runs"]);

    // approved: the part is paid, the dropped invoice is not, and the run no longer changes
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
    let inv = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{bengal}"),
    )
    .await;
    assert_eq!(
        (inv["status"].as_str(), dec(&inv["amount_due"])),
        (Some("partially_paid"), Decimal::from(60)),
        "{inv}"
    );
    let inv = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{vizag}"),
    )
    .await;
    assert_eq!(inv["status"], "posted", "{inv}");
    let (status, r) = put(&accountant, &app, &line(&bengal), json!({ "amount": "10" })).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (422, Some("INVALID_STATE")),
        "{r}"
    );
    let (status, _) = put(
        &accountant,
        &app,
        &format!(
            "/api/v1/payment-runs/{}/invoices/{bengal}",
            uuid::Uuid::new_v4()
        ),
        json!({ "amount": "10" }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accountants_home_counts_what_the_lists_show() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let date = today(&accountant, &app).await;
    let ago = |days: u64| date - chrono::Days::new(days);
    invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "BB-HOME-1",
        date,
        date,
        true,
    )
    .await;
    let overdue = invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "BB-HOME-2",
        ago(10),
        ago(3),
        false,
    )
    .await;
    invoice(
        &accountant,
        &app,
        "VIZAG-ELEC",
        "VE-HOME-1",
        date,
        date + chrono::Days::new(3),
        false,
    )
    .await;
    let (status, r) = post(&accountant, &app, "/api/v1/payments", json!({
        "supplier_id": supplier(&app, "BENGAL-BRG").await, "date": date,
        "bank_account_id": id_where(&app, "select id from accounts where tenant_id = (select id from tenants where slug = 'saif') and control = 'bank' order by code limit 1").await,
        "allocations": [{ "supplier_invoice_id": overdue, "amount": "30" }] })).await;
    assert_eq!(status, 201, "{r}");

    let home = data_of(&accountant, &app, "/api/v1/finance/summary").await;
    let sfn = json_of(&accountant, &app, "/sfn/get_finance_summary").await;
    assert_eq!(sfn, home, "both doors give the same");
    let p = &home["payables"];
    let listed = |status: &'static str| {
        let (c, app) = (&accountant, &app);
        async move {
            data_of(
                c,
                app,
                &format!("/api/v1/supplier-invoices?status={status}&per_page=100"),
            )
            .await
        }
    };
    let drafts = listed("draft").await;
    assert_eq!(
        p["drafts"]["count"], drafts["pagination"]["total"],
        "{home}"
    );
    assert_eq!(p["drafts"]["count"], 1);
    let pending = listed("pending_approval").await;
    assert_eq!(
        p["pending_approval"]["count"],
        pending["pagination"]["total"]
    );
    // overdue: the AP ageing's buckets past due; due this week: the VIZAG invoice, less its TDS
    let ageing = data_of(&accountant, &app, "/api/v1/reports/ap-ageing").await;
    let t = &ageing["totals"];
    assert_eq!(
        dec(&p["overdue"]["amount"]),
        dec(&t["total"]) - dec(&t["current"]),
        "{ageing}"
    );
    assert_eq!(
        (p["overdue"]["count"].as_i64(), dec(&p["overdue"]["amount"])),
        (Some(1), Decimal::from(70))
    );
    assert_eq!(
        (
            p["due_this_week"]["count"].as_i64(),
            dec(&p["due_this_week"]["amount"])
        ),
        (Some(1), Decimal::from(98))
    );
    // this month's payments: what the list filtered by the home's link shows
    let (month, day) = (
        home["month_from"].as_str().expect("month"),
        home["today"].as_str().expect("today"),
    );
    let filtered = data_of(
        &accountant,
        &app,
        &format!("/api/v1/payments?from={month}&to={day}"),
    )
    .await;
    assert_eq!(
        p["paid_this_month"]["count"], filtered["pagination"]["total"],
        "{filtered}"
    );
    let sfn = json_of(
        &accountant,
        &app,
        &format!("/sfn/list_payments?from={month}&to={day}&page=1"),
    )
    .await;
    assert_eq!(sfn["rows"], filtered["payments"]);
    let payments = data_of(&accountant, &app, "/api/v1/payments?per_page=100").await;
    let month = home["month_from"].as_str().expect("month").to_string();
    let this_month: Vec<&Value> = payments["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .filter(|p| p["date"].as_str().is_some_and(|d| d >= month.as_str()))
        .collect();
    assert_eq!(
        p["paid_this_month"]["count"].as_u64(),
        Some(this_month.len() as u64)
    );
    assert_eq!(
        dec(&p["paid_this_month"]["amount"]),
        this_month
            .iter()
            .map(|p| dec(&p["amount"]))
            .sum::<Decimal>()
    );
    // the GRNI: the report's total, its oldest lines first
    let grni = data_of(&accountant, &app, "/api/v1/reports/grni").await;
    assert_eq!(home["grni_total"], grni["total"]);
    let oldest: Vec<&str> = home["grni_oldest"]
        .as_array()
        .expect("oldest")
        .iter()
        .filter_map(|r| r["oldest"].as_str())
        .collect();
    assert!(
        oldest.windows(2).all(|w| w[0] <= w[1]) && oldest.len() <= 5,
        "{home}"
    );

    // an executive reads the reports, not the payables; a warehouse user nothing
    let executive = app.logged_in("saif", "executive").await;
    let seen = data_of(&executive, &app, "/api/v1/finance/summary").await;
    assert!(
        seen["payables"].is_null() && seen["grni_total"] == grni["total"],
        "{seen}"
    );
    let warehouse = app.logged_in("saif", "warehouse").await;
    let (status, r) = get(&warehouse, &app, "/api/v1/finance/summary").await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (403, Some("FORBIDDEN"))
    );
}

/// A page's status and HTML (without hydration markers).
async fn status_and_html(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.expect("page");
    let status = res.status().as_u16();
    (status, res.text().await.expect("html").replace("<!>", ""))
}

async fn html_200(c: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let (status, html) = status_and_html(c, app, path).await;
    assert_eq!(status, 200, "{path}: {html}");
    html
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_payment_pages_render_for_saifs_accountant_in_hindi_with_lakhs() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let date = today(&accountant, &app).await;
    let paid = invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "BB-PG-1",
        date,
        date,
        false,
    )
    .await;
    let proposed = invoice(
        &accountant,
        &app,
        "VIZAG-ELEC",
        "VE-PG-1",
        date,
        date,
        false,
    )
    .await;
    invoice(&accountant, &app, "BENGAL-BRG", "BB-PG-2", date, date, true).await;
    let bank = id_where(&app, "select id from accounts where tenant_id = (select id from tenants where slug = 'saif') and control = 'bank' order by code limit 1").await;
    let (status, r) = post(
        &accountant,
        &app,
        "/api/v1/payments",
        json!({
        "supplier_id": supplier(&app, "BENGAL-BRG").await, "date": date, "bank_account_id": bank,
        "reference": "NEFT-77", "allocations": [{ "supplier_invoice_id": paid, "amount": "30" }] }),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let payment = r["data"]["number"].as_str().expect("number").to_string();
    let inr = |v: &Value| format_money(dec(v), "INR", Grouping::Indian);

    received_order(&app, "BENGAL-BRG", "3", "40000").await;
    // the home: each figure a link to its list, in the company's lakhs, in Hindi
    let summary = data_of(&accountant, &app, "/api/v1/finance/summary").await;
    let home = html_200(&accountant, &app, "/finance").await;
    assert!(
        home.contains("स्वीकृति की प्रतीक्षा में")
            && home.contains(r#"href="/finance/invoices?status=draft""#)
            && home.contains(r#"data-testid="paid-this-month""#)
            && home.contains(&inr(&summary["payables"]["paid_this_month"]["amount"]))
            && home.contains(&inr(&summary["grni_total"]))
            && home.contains(r#"data-testid="inventory-balance""#)
            && home.contains(r#"href="/finance/trial-balance""#)
            && home.contains(r#"href="/finance/payment-runs""#),
        "{home}"
    );
    // received, not invoiced, in lakhs (1,20,100.00)
    let grni = inr(&summary["grni_total"]);
    assert!(grni.matches(',').count() >= 2, "lakh grouping: {grni}");

    // the payments: the supplier, the bank account, the amount and the invoice it paid
    let page = html_200(&accountant, &app, "/finance/payments").await;
    assert!(
        page.contains("आपूर्तिकर्ताओं को भुगतान")
            && page.contains(&payment)
            && page.contains("NEFT-77")
            && page.contains("BB-PG-1")
            && page.contains(&format_money(Decimal::from(30), "INR", Grouping::Indian))
            && page.contains(r#"data-testid="new-payment""#),
        "{page}"
    );

    // a run: proposed with its invoices, then approved with the bank file and the payments
    let (status, r) = post(
        &accountant,
        &app,
        "/api/v1/payment-runs",
        json!({ "due_by": date }),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let run = r["data"].clone();
    let id = id_of(&run);
    let number = run["number"].as_str().expect("number").to_string();
    let runs = html_200(&accountant, &app, "/finance/payment-runs").await;
    assert!(
        runs.contains(&number)
            && runs.contains(r#"data-testid="propose""#)
            && runs.contains("प्रस्तावित"),
        "{runs}"
    );
    let page = html_200(&accountant, &app, &format!("/finance/payment-runs/{id}")).await;
    assert!(
        page.contains(&number)
            && page.contains("VE-PG-1")
            && page.contains(r#"data-testid="run-amount""#)
            && page.contains(r#"data-testid="approve-run""#)
            && page.contains(&inr(&run["total"])),
        "{page}"
    );
    assert!(run_line(&run, &proposed).is_some());
    let (status, r) = post(
        &accountant,
        &app,
        &format!("/api/v1/payment-runs/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    let page = html_200(&accountant, &app, &format!("/finance/payment-runs/{id}")).await;
    assert!(
        page.contains(&format!(r#"href="/api/v1/payment-runs/{id}/bank-file""#))
            && page.contains(r#"data-testid="payment-link""#)
            && !page.contains(r#"data-testid="approve-run""#)
            && !page.contains(r#"data-testid="run-amount""#),
        "{page}"
    );
    // the bank file link works with the session cookie
    let res = accountant
        .get(app.url(&format!("/api/v1/payment-runs/{id}/bank-file")))
        .send()
        .await
        .expect("file");
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_sees_only_what_its_permissions_allow() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let date = today(&accountant, &app).await;
    invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "BB-ROLE-1",
        date,
        date,
        false,
    )
    .await;
    let (status, r) = post(
        &accountant,
        &app,
        "/api/v1/payment-runs",
        json!({ "due_by": date }),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let id = id_of(&r["data"]);
    // a warehouse user: no finance link, every page forbidden
    let warehouse = app.logged_in("saif", "warehouse").await;
    let home = html_200(&warehouse, &app, "/").await;
    assert!(!home.contains(r#"href="/finance""#));
    for path in [
        "/finance".to_string(),
        "/finance/payments".into(),
        "/finance/payment-runs".into(),
        format!("/finance/payment-runs/{id}"),
    ] {
        let (status, html) = status_and_html(&warehouse, &app, &path).await;
        assert_eq!(status, 403, "{path}");
        assert!(!html.contains("BB-ROLE-1"), "{path}");
    }
    for sfn in [
        "/sfn/get_finance_summary",
        "/sfn/list_payment_runs?page=1",
        "/sfn/list_payments?page=1",
    ] {
        let (status, _) = get(&warehouse, &app, sfn).await;
        assert_eq!(status, 403, "{sfn}");
    }
    // an executive: the finance link and the reports (GRNI, the ledger's pages), no payables
    let executive = app.logged_in("saif", "executive").await;
    let home = html_200(&executive, &app, "/").await;
    assert!(home.contains(r#"href="/finance""#), "{home}");
    let finance = html_200(&executive, &app, "/finance").await;
    assert!(
        finance.contains(r#"data-testid="grni-balance""#)
            && finance.contains(r#"href="/finance/trial-balance""#)
            && !finance.contains(r#"data-testid="fin-payables""#)
            && !finance.contains(r#"href="/finance/payments""#),
        "{finance}"
    );
    for path in [
        "/finance/payments".to_string(),
        format!("/finance/payment-runs/{id}"),
    ] {
        let (status, html) = status_and_html(&executive, &app, &path).await;
        assert_eq!(status, 403, "{path}");
        assert!(!html.contains("BB-ROLE-1"), "{path}");
    }
    let (status, _) = get(&executive, &app, "/api/v1/payments").await;
    assert_eq!(status, 403);
    // the procurement manager reads reports too, and approves exceptions elsewhere: no payables
    let manager = app.logged_in("saif", "procurement_mgr").await;
    let seen = data_of(&manager, &app, "/api/v1/finance/summary").await;
    assert!(seen["payables"].is_null(), "{seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_payment_forms_offer_every_supplier_owed_and_read_a_chosen_ones_open_invoices() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let d = today(&accountant, &app).await;
    let paid = invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "F-1",
        d,
        d + chrono::Duration::days(10),
        false,
    )
    .await;
    let open = invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "F-2",
        d,
        d + chrono::Duration::days(5),
        false,
    )
    .await;
    let later = invoice(
        &accountant,
        &app,
        "BENGAL-BRG",
        "F-3",
        d,
        d + chrono::Duration::days(20),
        false,
    )
    .await;
    let vizag = invoice(&accountant, &app, "VIZAG-ELEC", "V-1", d, d, false).await;
    let form = json_of(&accountant, &app, "/sfn/payment_form").await;
    let bank = form[1][0]["id"]
        .as_str()
        .expect("a bank account")
        .to_string();
    let bengal = supplier(&app, "BENGAL-BRG").await;
    let (status, r) = post(&accountant, &app, "/api/v1/payments", json!({ "supplier_id": bengal, "date": d,
        "bank_account_id": bank, "allocations": [{ "supplier_invoice_id": paid, "amount": "100" }] })).await;
    assert_eq!(status, 201, "{r}");

    // the suppliers owed, by name, with how many invoices and how much (F-1 is paid; each order
    // here costs four sign-ins, and a test server allows 20 a minute)
    let form = json_of(&accountant, &app, "/sfn/payment_form").await;
    let owed: Vec<(String, i64, Decimal)> = form[0]
        .as_array()
        .expect("suppliers")
        .iter()
        .map(|s| {
            (
                s["supplier"].as_str().unwrap_or("").to_string(),
                s["invoices"].as_i64().unwrap_or(0),
                dec(&s["due"]),
            )
        })
        .collect();
    assert_eq!(
        owed,
        vec![
            ("Bengal Bearings Pvt Ltd".to_string(), 2, Decimal::from(200)),
            ("Vizag Electricals".to_string(), 1, Decimal::from(98)), // 2 % TDS deducted
        ],
        "{form}"
    );
    // a chosen supplier's open invoices, by due date: only its own, only what still owes
    let chosen = json_of(
        &accountant,
        &app,
        &format!("/sfn/supplier_open_invoices?supplier_id={bengal}"),
    )
    .await;
    let ids: Vec<&str> = chosen
        .as_array()
        .expect("invoices")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, vec![open.as_str(), later.as_str()], "{chosen}");
    assert!(!chosen.to_string().contains(&vizag));

    // who does not pay suppliers is refused both (those who read the books but do not pay)
    for who in ["procurement_mgr", "executive"] {
        let c = app.logged_in("saif", who).await;
        for path in [
            "/sfn/payment_form".to_string(),
            format!("/sfn/supplier_open_invoices?supplier_id={bengal}"),
        ] {
            let (status, _) = status_and_html(&c, &app, &path).await;
            assert_eq!(status, 403, "{who} {path}");
        }
    }
}
