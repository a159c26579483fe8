//! The ledger: the books a tenant opens on its stock, every stock event posted in its own
//! transaction with the trial balance balanced after each, manual entries and their reversal,
//! the period lock from both doors, and a journal the application cannot change.
use crate::common::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

/// The trial balance as `c` sees it; asserts its debit and credit totals agree in every column.
async fn balanced_trial_balance(c: &reqwest::Client, app: &TestApp) -> Value {
    let tb = data_of(c, app, "/api/v1/reports/trial-balance").await;
    let t = &tb["totals"];
    assert_eq!(dec(&t["debit"]), dec(&t["credit"]), "{tb}");
    assert_eq!(dec(&t["opening_debit"]), dec(&t["opening_credit"]), "{tb}");
    assert_eq!(dec(&t["closing_debit"]), dec(&t["closing_credit"]), "{tb}");
    tb
}

/// An account's closing balance (debit positive) in a trial balance, by its control role.
async fn closing_of(app: &TestApp, tb: &Value, slug: &str, control: &str) -> Decimal {
    let id = id_where(
        app,
        &format!("select id from accounts where tenant_id = (select id from tenants where slug = '{slug}') and control = '{control}' and plant_id is null"),
    )
    .await;
    tb["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["account"]["id"] == id.as_str())
        .map(|r| dec(&r["closing"]))
        .unwrap_or_default()
}

/// What tenant `slug`'s stock on hand is worth at moving average cost, rounded per plant as the
/// opening entry rounds it.
async fn stock_value(app: &TestApp, slug: &str) -> Decimal {
    let t = format!("(select id from tenants where slug = '{slug}')");
    let on_hand: Decimal = sqlx::query_scalar(&format!(
        "select coalesce(sum(v), 0) from (select round(sum(b.on_hand * c.average_cost), 2) as v from stock_balances b join item_costs c on c.tenant_id = b.tenant_id and c.item_id = b.item_id join locations l on l.tenant_id = b.tenant_id and l.id = b.location_id where b.tenant_id = {t} group by l.plant_id) p"
    ))
    .fetch_one(&app.db.owner)
    .await
    .expect("value");
    on_hand
}

/// The inventory account against the stock ledger after movements: equal but for the rounding of
/// each posting to the cent and of the moving average to six places.
fn close_to(books: Decimal, stock: Decimal) {
    assert!(
        (books - stock).abs() <= Decimal::new(5, 2),
        "books {books}, stock {stock}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_opens_its_books_on_the_stock_it_already_holds() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    // a generic chart for a dollar company, an Indian manufacturer's for a rupee one
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let controls: Vec<&str> = chart["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["control"].as_str())
        .collect();
    for c in [
        "ap",
        "grni",
        "inventory",
        "bank",
        "tax_input",
        "opening_balance",
    ] {
        assert!(controls.contains(&c), "{c}: {chart}");
    }
    assert!(!controls.contains(&"gst_input_cgst"));
    let saif = app.logged_in("saif", "accountant").await;
    let theirs = data_of(&saif, &app, "/api/v1/accounts").await;
    let names: Vec<&str> = theirs["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["control"].as_str())
        .collect();
    for c in [
        "gst_input_cgst",
        "gst_input_sgst",
        "gst_input_igst",
        "tds_payable",
    ] {
        assert!(names.contains(&c), "{c}");
    }
    // the opening entry holds the demo stock at its cost: inventory equals the stock ledger
    let tb = balanced_trial_balance(&accountant, &app).await;
    let inventory = closing_of(&app, &tb, "demo", "inventory").await;
    assert!(inventory > Decimal::ZERO, "{tb}");
    assert_eq!(inventory, stock_value(&app, "demo").await, "{tb}");
    let opening = data_of(&accountant, &app, "/api/v1/journal-entries?source=opening").await;
    assert_eq!(opening["pagination"]["total"], 1, "{opening}");
    assert!(opening["journal_entries"][0]["number"]
        .as_str()
        .unwrap_or_default()
        .starts_with("JE-"));
    let tb = balanced_trial_balance(&saif, &app).await;
    assert_eq!(
        closing_of(&app, &tb, "saif", "inventory").await,
        stock_value(&app, "saif").await
    );
    // an Indian year runs April to March, in twelve periods
    let years = data_of(&saif, &app, "/api/v1/fiscal-years").await;
    let year = &years["fiscal_years"][0];
    assert!(
        year["start_date"]
            .as_str()
            .unwrap_or_default()
            .ends_with("-04-01"),
        "{years}"
    );
    assert_eq!(year["periods"].as_array().map(Vec::len), Some(12));
    // nobody else reads the books
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = get(&engineer, &app, "/api/v1/reports/trial-balance").await;
    assert_eq!(status, 403);
    let (status, _) = get(&engineer, &app, "/api/v1/accounts").await;
    assert_eq!(status, 403);
}

/// An approved requisition of `quantity` BRG-6310 at `price` from ACME, ordered: (PO id, line id).
async fn ordered(app: &TestApp, quantity: &str, price: &str) -> (String, String) {
    let brg = item_id(app, "demo", "BRG-6310").await;
    let acme = id_where(
        app,
        "select id from suppliers where tenant_id = (select id from tenants where slug = 'demo') and code = 'ACME'",
    )
    .await;
    let engineer = app.logged_in("demo", "engineer").await;
    let body = json!({ "purpose": "daily_operations", "lines": [
        { "item_id": brg, "description": "Bearing 6310", "quantity": quantity, "unit": "pcs", "estimated_unit_price": price, "supplier_id": acme }
    ]});
    let id = id_of(&drafted(&engineer, app, body).await);
    submitted(&engineer, app, &id).await;
    let manager = app.logged_in("demo", "manager").await;
    let (status, body) = approve(&manager, app, &id).await;
    assert_eq!(status, 200, "{body}");
    let line = body["data"]["lines"][0]["id"]
        .as_str()
        .expect("line")
        .to_string();
    let procurement = app.logged_in("demo", "procurement").await;
    let orders =
        generated_orders(&procurement, app, json!({ "requisition_line_ids": [line] })).await;
    let po = orders[0].clone();
    (
        id_of(&po),
        po["lines"][0]["id"].as_str().expect("po line").to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_stock_event_posts_in_its_own_transaction_and_the_books_stay_balanced() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let before = balanced_trial_balance(&accountant, &app).await;
    let grni_before = closing_of(&app, &before, "demo", "grni").await;

    // a receipt: inventory at the order's price against goods received not invoiced
    let (po, line) = ordered(&app, "10", "25.50").await;
    let location = stock_location(&app, "demo", "BRG-6310").await;
    let (status, r) = post(&warehouse, &app, "/api/v1/inventory/receive", json!({
        "purchase_order_id": po, "lines": [{ "purchase_order_line_id": line, "accepted_quantity": "4", "location_id": location }]
    })).await;
    assert_eq!(status, 201, "{r}");
    let tb = balanced_trial_balance(&accountant, &app).await;
    assert_eq!(
        closing_of(&app, &tb, "demo", "grni").await,
        grni_before - Decimal::from(102)
    );
    close_to(
        closing_of(&app, &tb, "demo", "inventory").await,
        stock_value(&app, "demo").await,
    );
    // the GRNI report: the order line at 4 × 25.50, its total the account's balance
    let report = data_of(&accountant, &app, "/api/v1/reports/grni").await;
    assert_eq!(report["total"], report["account_balance"], "{report}");
    assert_eq!(
        -dec(&report["total"]),
        closing_of(&app, &tb, "demo", "grni").await,
        "{report}"
    );
    let row = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["purchase_order_line_id"] == line.as_str())
        .expect("the line")
        .clone();
    assert_eq!(row["value"], "102.00", "{row}");
    assert_eq!(row["purchase_order_id"].as_str(), Some(po.as_str()));
    assert_eq!(dec(&row["received_quantity"]), Decimal::from(4));
    let receipts = data_of(
        &accountant,
        &app,
        "/api/v1/journal-entries?source=goods_receipt",
    )
    .await;
    assert_eq!(receipts["pagination"]["total"], 1, "{receipts}");
    let entry = &receipts["journal_entries"][0];
    assert_eq!(entry["total"], "102.00", "{entry}");
    assert_eq!(
        entry["source_id"], r["data"]["id"],
        "the entry names the receipt"
    );

    // an issue to a cost centre: its moving average cost to consumption
    let item = item_id(&app, "demo", "BRG-6310").await;
    let cc = cost_centre(&app, "demo").await;
    let (status, issued) = post(
        &warehouse,
        &app,
        "/api/v1/inventory/issues",
        json!({
            "item_id": item, "location_id": location, "quantity": "3", "cost_centre_id": cc
        }),
    )
    .await;
    assert_eq!(status, 201, "{issued}");
    let tb = balanced_trial_balance(&accountant, &app).await;
    let consumed = closing_of(&app, &tb, "demo", "consumption").await;
    assert!(consumed > Decimal::ZERO, "{tb}");
    let cc_lines: i64 = count_of(
        &app,
        &format!("select count(*) from journal_lines where cost_centre_id = '{cc}'"),
    )
    .await;
    assert_eq!(cc_lines, 1, "the consumption line carries the cost centre");

    // an adjustment down: to stock adjustments
    let (status, adj) = post(&warehouse, &app, "/api/v1/inventory/adjustments", json!({
        "item_id": item, "location_id": location, "quantity": "-1", "reason": "Damaged in handling"
    })).await;
    assert_eq!(status, 201, "{adj}");
    let tb = balanced_trial_balance(&accountant, &app).await;
    assert!(closing_of(&app, &tb, "demo", "stock_adjustment").await > Decimal::ZERO);

    // the issue reversed: its entry mirrored exactly, consumption back to nothing
    let mid = id_of(&issued["data"]);
    let (status, rev) = post(
        &warehouse,
        &app,
        &format!("/api/v1/inventory/movements/{mid}/reverse"),
        json!({ "reason": "Issued to the wrong job" }),
    )
    .await;
    assert_eq!(status, 201, "{rev}");
    let tb = balanced_trial_balance(&accountant, &app).await;
    assert_eq!(
        closing_of(&app, &tb, "demo", "consumption").await,
        Decimal::ZERO,
        "{tb}"
    );
    close_to(
        closing_of(&app, &tb, "demo", "inventory").await,
        stock_value(&app, "demo").await,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_is_in_transit_between_the_plants_at_the_value_that_left() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let warehouse = app.logged_in("saif", "warehouse").await;
    let item = item_id(&app, "saif", "BRG-6205-2RS").await;
    let from = stock_location(&app, "saif", "BRG-6205-2RS").await;
    let to = location(&app, "saif", "VSK-WH1-R01-B01").await;
    let (status, t) = post(
        &warehouse,
        &app,
        "/api/v1/inventory/transfers",
        json!({
        "item_id": item, "from_location_id": from, "to_location_id": to, "quantity": "15" }),
    )
    .await;
    assert_eq!(status, 201, "{t}");
    let tb = balanced_trial_balance(&accountant, &app).await;
    let transit = closing_of(&app, &tb, "saif", "in_transit").await;
    assert!(transit > Decimal::ZERO, "{tb}");
    let tid = id_of(&t["data"]);
    let (status, _) = post(
        &warehouse,
        &app,
        &format!("/api/v1/inventory/transfers/{tid}/receive"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let tb = balanced_trial_balance(&accountant, &app).await;
    assert_eq!(
        closing_of(&app, &tb, "saif", "in_transit").await,
        Decimal::ZERO,
        "{tb}"
    );
    // per plant: what left Kolkata arrived in Visakhapatnam
    let vsk = id_where(&app, "select id from plants where code = 'VSK'").await;
    let tb = data_of(
        &accountant,
        &app,
        &format!("/api/v1/reports/trial-balance?plant_id={vsk}"),
    )
    .await;
    let arrived: Decimal = tb["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["account"]["code"] == "1311")
        .map(|r| dec(&r["debit"]))
        .sum();
    assert_eq!(arrived, transit, "{tb}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manual_entry_balances_or_changes_nothing_and_is_reversed_once() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let by_code = |code: &str| {
        chart["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .find(|a| a["code"] == code)
            .map(|a| a["id"].as_str().unwrap_or_default().to_string())
            .expect(code)
    };
    let (bank, capital, group) = (by_code("1120"), by_code("3100"), by_code("1100"));
    let today = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await["to"].clone();
    let entries = count_of(&app, "select count(*) from journal_entries").await;
    let body = |debit: &str, credit: &str, account: &str| {
        json!({
            "date": today, "narration": "Capital introduced",
            "lines": [ { "account_id": account, "debit": debit }, { "account_id": capital, "credit": credit } ]
        })
    };
    for (b, field) in [
        (body("100.00", "90.00", &bank), "lines"),
        (body("100.005", "100.005", &bank), "lines[0].debit"),
        (body("100", "100", &group), "lines[0].account_id"),
    ] {
        let (status, e) = post(&accountant, &app, "/api/v1/journal-entries", b).await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (422, Some("VALIDATION_ERROR")),
            "{e}"
        );
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    assert_eq!(
        count_of(&app, "select count(*) from journal_entries").await,
        entries
    );
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = post(
        &engineer,
        &app,
        "/api/v1/journal-entries",
        body("100", "100", &bank),
    )
    .await;
    assert_eq!(status, 403);
    let (status, je) = post(
        &accountant,
        &app,
        "/api/v1/journal-entries",
        body("5000.00", "5000.00", &bank),
    )
    .await;
    assert_eq!(status, 201, "{je}");
    assert_eq!(je["data"]["source"], "manual");
    balanced_trial_balance(&accountant, &app).await;
    let id = id_of(&je["data"]);
    let (status, rev) = post(
        &accountant,
        &app,
        &format!("/api/v1/journal-entries/{id}/reverse"),
        json!({ "date": today, "reason": "Entered twice" }),
    )
    .await;
    assert_eq!(status, 201, "{rev}");
    assert_eq!(rev["data"]["reverses"].as_str(), Some(id.as_str()));
    assert_eq!(
        rev["data"]["lines"][0]["credit"].as_str().map(|_| ()),
        Some(())
    );
    let tb = balanced_trial_balance(&accountant, &app).await;
    assert!(
        tb["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["account"]["code"] != "1120" || dec(&r["closing"]).is_zero()),
        "{tb}"
    );
    let (status, e) = post(
        &accountant,
        &app,
        &format!("/api/v1/journal-entries/{id}/reverse"),
        json!({ "date": today, "reason": "Again" }),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("INVALID_STATE"))
    );
    // the bank's ledger: in, then out again, the balance after each line
    let gl = data_of(
        &accountant,
        &app,
        &format!("/api/v1/reports/general-ledger?account_id={bank}"),
    )
    .await;
    let lines = gl["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 2, "{gl}");
    assert_eq!(lines[0]["debit"], "5000.00");
    assert_eq!(
        dec(&lines[0]["balance"]),
        dec(&gl["opening"]) + Decimal::from(5000)
    );
    assert_eq!(dec(&lines[1]["balance"]), dec(&gl["opening"]));
    assert_eq!(gl["closing"], gl["opening"]);
    let (status, e) = get(
        &accountant,
        &app,
        &format!("/api/v1/reports/general-ledger?account_id={group}"),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    let (status, _) = get(&accountant, &app, "/api/v1/reports/general-ledger").await;
    assert_eq!(status, 422);
    let got = data_of(&accountant, &app, &format!("/api/v1/journal-entries/{id}")).await;
    assert_eq!(got["reversed_by"], rev["data"]["id"]);
    // another tenant's entry is not there
    let saif = app.logged_in("saif", "accountant").await;
    let (status, _) = get(&saif, &app, &format!("/api/v1/journal-entries/{id}")).await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &saif,
        &app,
        &format!("/api/v1/journal-entries/{id}/reverse"),
        json!({ "date": today, "reason": "x" }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_period_refuses_every_posting_until_it_is_reopened() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let today = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await["to"]
        .as_str()
        .expect("today")
        .to_string();
    let years = data_of(&accountant, &app, "/api/v1/fiscal-years").await;
    let period = years["fiscal_years"][0]["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .find(|p| {
            p["start_date"].as_str() <= Some(today.as_str())
                && p["end_date"].as_str() >= Some(today.as_str())
        })
        .expect("today's period")
        .clone();
    let pid = id_of(&period);
    let (status, closed) = post(
        &accountant,
        &app,
        &format!("/api/v1/periods/{pid}/close"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, closed["data"]["status"].as_str()),
        (200, Some("closed")),
        "{closed}"
    );
    let (status, _) = post(
        &accountant,
        &app,
        &format!("/api/v1/periods/{pid}/close"),
        json!({}),
    )
    .await;
    assert_eq!(status, 422);
    // stock cannot move in a closed month: the issue is refused and changes nothing
    let item = item_id(&app, "demo", "BRG-6310").await;
    let location = stock_location(&app, "demo", "BRG-6310").await;
    let cc = cost_centre(&app, "demo").await;
    let movements = count_of(&app, "select count(*) from stock_movements").await;
    let issue =
        json!({ "item_id": item, "location_id": location, "quantity": "1", "cost_centre_id": cc });
    let (status, e) = post(&warehouse, &app, "/api/v1/inventory/issues", issue.clone()).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("PERIOD_CLOSED")),
        "{e}"
    );
    assert_eq!(
        count_of(&app, "select count(*) from stock_movements").await,
        movements
    );
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let ids: Vec<String> = chart["accounts"]
        .as_array()
        .expect("a")
        .iter()
        .filter(|a| a["code"] == "1120" || a["code"] == "3100")
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect();
    let (status, e) = post(&accountant, &app, "/api/v1/journal-entries", json!({
        "date": today, "narration": "Late",
        "lines": [ { "account_id": ids[0], "debit": "1" }, { "account_id": ids[1], "credit": "1" } ]
    })).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("PERIOD_CLOSED")),
        "{e}"
    );
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = post(
        &engineer,
        &app,
        &format!("/api/v1/periods/{pid}/reopen"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &accountant,
        &app,
        &format!("/api/v1/periods/{pid}/reopen"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, m) = post(&warehouse, &app, "/api/v1/inventory/issues", issue).await;
    assert_eq!(status, 201, "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_cannot_edit_delete_or_unbalance_the_journal() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    for sql in [
        "update journal_lines set debit = debit + 1",
        "delete from journal_lines",
        "update journal_entries set narration = 'changed'",
        "delete from journal_entries",
    ] {
        let mut tx = app::platform::db::tenant_tx(&app.pool, demo)
            .await
            .expect("tx");
        let r = sqlx::query(sql).execute(&mut *tx).await;
        assert!(r.is_err(), "{sql} must be refused");
    }
    // an entry whose lines do not balance cannot commit, even written by hand
    let mut tx = app::platform::db::tenant_tx(&app.pool, demo)
        .await
        .expect("tx");
    let period: uuid::Uuid = sqlx::query_scalar("select id from fiscal_periods where start_date <= current_date and end_date >= current_date")
        .fetch_one(&mut *tx).await.expect("period");
    let account: uuid::Uuid = sqlx::query_scalar("select id from accounts where code = '1120'")
        .fetch_one(&mut *tx)
        .await
        .expect("account");
    let entry: uuid::Uuid = sqlx::query_scalar("insert into journal_entries (tenant_id, number, entry_date, period_id, narration, source, currency) values ($1, 'JE-X-1', current_date, $2, 'by hand', 'manual', 'USD') returning id")
        .bind(demo).bind(period).fetch_one(&mut *tx).await.expect("entry");
    sqlx::query("insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, entry_date, period_id) values ($1, $2, 1, $3, 10, current_date, $4)")
        .bind(demo).bind(entry).bind(account).bind(period).execute(&mut *tx).await.expect("line");
    assert!(
        tx.commit().await.is_err(),
        "an unbalanced entry must not commit"
    );
    assert_eq!(
        count_of(
            &app,
            "select count(*) from journal_entries where number = 'JE-X-1'"
        )
        .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chart_is_edited_and_imported_by_the_accountant_within_its_rules() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let id_of_code = |code: &str| {
        chart["accounts"]
            .as_array()
            .expect("a")
            .iter()
            .find(|a| a["code"] == code)
            .map(|a| a["id"].as_str().unwrap_or_default().to_string())
            .expect(code)
    };
    let expenses = id_of_code("6000");
    let (status, a) = post(
        &accountant,
        &app,
        "/api/v1/accounts",
        json!({
        "code": "6500", "name": "Freight inward", "kind": "expense", "parent_id": expenses }),
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["data"]["depth"], 0, "a single account read has no depth");
    for (body, field) in [
        (
            json!({ "code": "6500", "name": "Again", "kind": "expense", "parent_id": expenses }),
            "code",
        ),
        (
            json!({ "code": "6600", "name": "Wrong kind", "kind": "asset", "parent_id": expenses }),
            "kind",
        ),
        (
            json!({ "code": "6700", "name": "Second GRNI", "kind": "liability", "control": "grni" }),
            "control",
        ),
        (
            json!({ "code": "bad code", "name": "x", "kind": "expense" }),
            "code",
        ),
    ] {
        let (status, e) = post(&accountant, &app, "/api/v1/accounts", body).await;
        assert_eq!(status, 422, "{field}: {e}");
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    // a group never hangs under its own member
    let assets = id_of_code("1000");
    let current = id_of_code("1100");
    let (status, e) = put(&accountant, &app, &format!("/api/v1/accounts/{assets}"), json!({
        "code": "1000", "name": "Assets", "kind": "asset", "is_group": true, "parent_id": current })).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["parent_id"].is_string(), "{e}");
    // an account with postings keeps its kind
    let inventory = id_of_code("1140");
    let (status, e) = put(
        &accountant,
        &app,
        &format!("/api/v1/accounts/{inventory}"),
        json!({
        "code": "1140", "name": "Inventory", "kind": "expense", "control": "inventory" }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    // CSV: all or nothing
    let before = count_of(&app, "select count(*) from accounts").await;
    let (status, e) = post(&accountant, &app, "/api/v1/accounts/import", json!({ "csv":
        "code,name,kind,parent_code,is_group\n7000,Projects,expense,,yes\n7100,Tooling,expense,7000,\n7200,Bad,nonsense,7000,\n" })).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["rows[2].kind"].is_string(), "{e}");
    assert_eq!(
        count_of(&app, "select count(*) from accounts").await,
        before
    );
    let (status, r) = post(&accountant, &app, "/api/v1/accounts/import", json!({ "csv":
        "code,name,kind,parent_code,is_group\n7000,Projects,expense,,yes\n7100,Tooling,expense,7000,\n6500,Freight inward and octroi,expense,6000,\n" })).await;
    assert_eq!((status, r["data"]["saved"].as_u64()), (200, Some(3)), "{r}");
    assert_eq!(
        count_of(&app, "select count(*) from accounts").await,
        before + 2
    );
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = post(
        &engineer,
        &app,
        "/api/v1/accounts",
        json!({ "code": "9", "name": "x", "kind": "asset" }),
    )
    .await;
    assert_eq!(status, 403);
}
