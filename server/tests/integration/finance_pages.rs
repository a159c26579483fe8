//! The ledger screens: each page rendered on the server for the accountant with the books' own
//! figures (money in the company's currency and digit grouping), the forbidden answer for a
//! reader who does not keep the books, and the screens' server functions giving what REST gives
//! (a manual entry, its reversal, a period closed and reopened, the trial balance).
use crate::common::*;
use app::format::{format_money, Grouping};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a decimal: {v}"))
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

/// A server function called with a JSON body, as the screens call those that change things.
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

fn account_id(chart: &Value, code: &str) -> String {
    chart["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["code"] == code)
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("account {code}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_pages_render_on_the_server_for_the_accountant() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let home = html_200(&accountant, &app, "/").await;
    assert!(
        home.contains(r#"href="/finance""#),
        "the navigation opens the finance home"
    );

    let tb = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await;
    let money = |v: &Value| format_money(dec(v), "USD", Grouping::Western);
    let finance = html_200(&accountant, &app, "/finance").await;
    assert!(
        finance.contains("Goods received, not invoiced")
            && finance.contains(r#"data-testid="inventory-balance""#)
            && finance.contains(r#"href="/finance/trial-balance""#),
        "{finance}"
    );
    // the inventory balance is the inventory accounts' closing balance (the opening stock)
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let inventory: Vec<&str> = chart["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter(|a| a["control"] == "inventory")
        .filter_map(|a| a["id"].as_str())
        .collect();
    let stock: Decimal = tb["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| inventory.contains(&r["account"]["id"].as_str().unwrap_or_default()))
        .map(|r| dec(&r["closing"]))
        .sum();
    assert!(
        stock > Decimal::ZERO,
        "the demo opens its books on its stock"
    );
    assert!(
        finance.contains(&format!(
            "{} Dr",
            format_money(stock, "USD", Grouping::Western)
        )),
        "{finance}"
    );

    let accounts = html_200(&accountant, &app, "/finance/accounts").await;
    assert!(
        accounts.contains("Chart of accounts")
            && accounts.contains("1120")
            && accounts.contains(r#"data-testid="add-account""#)
            && accounts.contains("Goods received, not invoiced"),
        "the tree with codes, translated roles and the accountant's form button"
    );

    let journal = html_200(&accountant, &app, "/finance/journal").await;
    assert!(
        journal.contains(r#"data-testid="entry""#)
            && journal.contains("Opening")
            && journal.contains(r#"data-testid="new-entry""#),
        "{journal}"
    );
    // filtered by an account: the opening entry is on the inventory account, not on the bank
    let bank = account_id(&chart, "1120");
    let filtered = html_200(
        &accountant,
        &app,
        &format!("/finance/journal?account_id={bank}"),
    )
    .await;
    assert!(filtered.contains("No journal entries."), "{filtered}");

    let periods = html_200(&accountant, &app, "/finance/periods").await;
    assert!(
        periods.contains(r#"data-testid="fiscal-year""#)
            && periods.contains("Close")
            && periods.contains("Add a fiscal year"),
        "{periods}"
    );

    let page = html_200(&accountant, &app, "/finance/trial-balance").await;
    let totals = &tb["totals"];
    assert!(
        page.contains(r#"data-testid="tb-totals""#)
            && page.contains(&money(&totals["debit"]))
            && page.contains(&format!("{} Dr", money(&totals["closing_debit"])))
            && page.contains("/finance/journal?account_id="),
        "{page}"
    );
    // the screen's own server function gives what REST gives
    let sfn = json_of(&accountant, &app, "/sfn/get_trial_balance").await;
    assert_eq!(sfn["totals"], tb["totals"]);
    assert_eq!(sfn["rows"], tb["rows"]);

    // an Indian company's trial balance in lakhs, in the reader's Hindi
    let saif = app.logged_in("saif", "accountant").await;
    let tb = data_of(&saif, &app, "/api/v1/reports/trial-balance").await;
    let page = html_200(&saif, &app, "/finance/trial-balance").await;
    let closing = format_money(dec(&tb["totals"]["closing_debit"]), "INR", Grouping::Indian);
    assert!(
        page.contains("तलपट") && page.contains(&closing),
        "{closing}: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_without_the_books_gets_the_forbidden_page() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    for path in [
        "/finance",
        "/finance/accounts",
        "/finance/journal",
        "/finance/periods",
        "/finance/trial-balance",
    ] {
        let (status, html) = status_and_html(&warehouse, &app, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(
            html.contains("You do not have permission to do that.") && !html.contains("1120"),
            "{path}: {html}"
        );
    }
    let (status, _) = get(&warehouse, &app, "/sfn/list_accounts").await;
    assert_eq!(status, 403);
    // an executive reads the books but does not keep them: no form, no close button
    let executive = app.logged_in("demo", "executive").await;
    let accounts = html_200(&executive, &app, "/finance/accounts").await;
    assert!(accounts.contains("1120") && !accounts.contains(r#"data-testid="add-account""#));
    let periods = html_200(&executive, &app, "/finance/periods").await;
    assert!(!periods.contains("Add a fiscal year"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_and_periods_change_alike_through_the_screens_and_rest() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let (bank, capital, group) = (
        account_id(&chart, "1120"),
        account_id(&chart, "3100"),
        account_id(&chart, "1100"),
    );
    let today = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await["to"].clone();
    let entry = |debit: &str, credit: &str, account: &str| {
        json!({
            "date": today, "narration": "Capital introduced",
            "lines": [ { "account_id": account, "debit": debit }, { "account_id": capital, "credit": credit } ]
        })
    };
    // the same refusals by both doors, and nothing written
    let entries = count_of(&app, "select count(*) from journal_entries").await;
    for (body, field) in [
        (entry("100.00", "90.00", &bank), "lines"),
        (entry("100", "100", &group), "lines[0].account_id"),
    ] {
        let (status, rest) = post(&accountant, &app, "/api/v1/journal-entries", body.clone()).await;
        assert_eq!(status, 422, "{rest}");
        assert!(rest["error"]["details"][field].is_string(), "{rest}");
        let (status, sfn) = sfn_json(
            &accountant,
            &app,
            "post_journal_entry",
            json!({ "input": body }),
        )
        .await;
        assert_eq!(status, 422, "{sfn}");
        assert!(sfn.to_string().contains(field), "{field}: {sfn}");
    }
    assert_eq!(
        count_of(&app, "select count(*) from journal_entries").await,
        entries
    );
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = sfn_json(
        &engineer,
        &app,
        "post_journal_entry",
        json!({ "input": entry("1", "1", &bank) }),
    )
    .await;
    assert_eq!(status, 403);

    // a manual entry through the screen is the entry REST reads back, and REST's is alike
    let (status, by_screen) = sfn_json(
        &accountant,
        &app,
        "post_journal_entry",
        json!({ "input": entry("2500.00", "2500.00", &bank) }),
    )
    .await;
    assert_eq!(status, 200, "{by_screen}");
    let id = id_of(&by_screen);
    let read = data_of(&accountant, &app, &format!("/api/v1/journal-entries/{id}")).await;
    assert_eq!(read, by_screen);
    let (status, by_rest) = post(
        &accountant,
        &app,
        "/api/v1/journal-entries",
        entry("2500.00", "2500.00", &bank),
    )
    .await;
    assert_eq!(status, 201);
    for field in ["source", "narration", "currency", "total", "date"] {
        assert_eq!(by_rest["data"][field], by_screen[field], "{field}");
    }
    let lines = |e: &Value| -> Vec<(Value, Value, Value)> {
        e["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["account_code"].clone(),
                    l["debit"].clone(),
                    l["credit"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(lines(&by_rest["data"]), lines(&by_screen));
    // it shows in the journal, on the bank's page of it
    let page = html_200(
        &accountant,
        &app,
        &format!("/finance/journal?account_id={bank}"),
    )
    .await;
    let number = by_screen["number"].as_str().expect("number");
    assert!(
        page.contains(number) && page.contains("$2,500.00"),
        "{page}"
    );

    // reversed through the screen: once, as REST
    let (status, rev) = sfn_json(
        &accountant,
        &app,
        "reverse_journal_entry",
        json!({ "id": id, "input": { "date": today, "reason": "Entered twice" } }),
    )
    .await;
    assert_eq!(status, 200, "{rev}");
    assert_eq!(rev["reverses"].as_str(), Some(id.as_str()));
    let read = data_of(&accountant, &app, &format!("/api/v1/journal-entries/{id}")).await;
    assert_eq!(read["reversed_by"], rev["id"]);
    let (status, again) = sfn_json(
        &accountant,
        &app,
        "reverse_journal_entry",
        json!({ "id": id, "input": { "date": today, "reason": "Again" } }),
    )
    .await;
    assert_eq!(status, 422, "{again}");
    assert!(again.to_string().contains("invalid_state"), "{again}");

    // today's period closed through the screen: REST sees it closed and refuses postings
    let years = data_of(&accountant, &app, "/api/v1/fiscal-years").await;
    let today_s = today.as_str().expect("today");
    let period = years["fiscal_years"]
        .as_array()
        .expect("years")
        .iter()
        .flat_map(|y| y["periods"].as_array().cloned().unwrap_or_default())
        .find(|p| {
            p["start_date"].as_str() <= Some(today_s) && p["end_date"].as_str() >= Some(today_s)
        })
        .expect("today's period");
    let pid = id_of(&period);
    let (status, closed) = sfn_json(
        &accountant,
        &app,
        "set_period_status",
        json!({ "id": pid, "close": true }),
    )
    .await;
    assert_eq!(
        (status, closed["status"].as_str()),
        (200, Some("closed")),
        "{closed}"
    );
    let (status, rest) = post(
        &accountant,
        &app,
        &format!("/api/v1/periods/{pid}/close"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, rest["error"]["code"].as_str()),
        (422, Some("INVALID_STATE"))
    );
    let (status, sfn) = sfn_json(
        &accountant,
        &app,
        "set_period_status",
        json!({ "id": pid, "close": true }),
    )
    .await;
    assert_eq!(
        status, 422,
        "closing twice is refused by the screen too: {sfn}"
    );
    let (status, e) = post(
        &accountant,
        &app,
        "/api/v1/journal-entries",
        entry("1.00", "1.00", &bank),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("PERIOD_CLOSED"))
    );
    let (status, sfn) = sfn_json(
        &accountant,
        &app,
        "post_journal_entry",
        json!({ "input": entry("1.00", "1.00", &bank) }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(sfn.to_string().contains("period_closed"), "{sfn}");
    let periods = html_200(&accountant, &app, "/finance/periods").await;
    assert!(periods.contains("Reopen"), "{periods}");
    let (status, _) = sfn_json(
        &engineer,
        &app,
        "set_period_status",
        json!({ "id": pid, "close": false }),
    )
    .await;
    assert_eq!(status, 403);
    let (status, open) = sfn_json(
        &accountant,
        &app,
        "set_period_status",
        json!({ "id": pid, "close": false }),
    )
    .await;
    assert_eq!((status, open["status"].as_str()), (200, Some("open")));
    let years = data_of(&accountant, &app, "/api/v1/fiscal-years").await;
    assert!(years.to_string().contains(&format!(r#""id":"{pid}""#)));
    let (status, _) = post(
        &accountant,
        &app,
        "/api/v1/journal-entries",
        entry("1.00", "1.00", &bank),
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_and_years_are_made_through_the_screens_with_the_services_errors() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let group = account_id(&chart, "1100");
    let (status, made) = sfn_json(
        &accountant,
        &app,
        "save_account",
        json!({ "id": null, "input": { "code": "1125", "name": "Petty cash", "kind": "asset", "parent_id": group, "active": true } }),
    )
    .await;
    assert_eq!(status, 200, "{made}");
    let read = data_of(
        &accountant,
        &app,
        &format!("/api/v1/accounts/{}", id_of(&made)),
    )
    .await;
    assert_eq!(read["name"], "Petty cash");
    // a taken code and a parent of another kind: field errors, nothing written
    let count = count_of(&app, "select count(*) from accounts").await;
    let (status, e) = sfn_json(
        &accountant,
        &app,
        "save_account",
        json!({ "id": null, "input": { "code": "1125", "name": "Again", "kind": "asset", "active": true } }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("duplicate"), "{e}");
    let (status, e) = sfn_json(
        &accountant,
        &app,
        "save_account",
        json!({ "id": null, "input": { "code": "4999", "name": "Odd", "kind": "income", "parent_id": group, "active": true } }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("kind"), "{e}");
    assert_eq!(count_of(&app, "select count(*) from accounts").await, count);
    // an import with a bad row names the row and writes none
    let (status, e) = sfn_json(
        &accountant,
        &app,
        "import_accounts",
        json!({ "csv": "code,name,kind\n1126,Float,asset\n1127,Bad,wrong\n" }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(e.to_string().contains("rows[1].kind"), "{e}");
    assert_eq!(count_of(&app, "select count(*) from accounts").await, count);
    let (status, n) = sfn_json(
        &accountant,
        &app,
        "import_accounts",
        json!({ "csv": "code,name,kind,parent_code\n1126,Float,asset,1100\n" }),
    )
    .await;
    assert_eq!((status, n), (200, json!(1)));
    let page = html_200(&accountant, &app, "/finance/accounts").await;
    assert!(page.contains("1126") && page.contains("Petty cash"));
    // a fiscal year far ahead through the screen, as REST lists it
    let (status, year) = sfn_json(
        &accountant,
        &app,
        "create_fiscal_year",
        json!({ "input": { "name": "2040", "start_date": "2040-01-01", "end_date": "2040-12-31" } }),
    )
    .await;
    assert_eq!(status, 200, "{year}");
    assert_eq!(year["periods"].as_array().map(Vec::len), Some(12));
    let years = data_of(&accountant, &app, "/api/v1/fiscal-years").await;
    assert!(years.to_string().contains(r#""name":"2040""#));
    let (status, _) = sfn_json(
        &accountant,
        &app,
        "create_fiscal_year",
        json!({ "input": { "name": "2040b", "start_date": "2040-06-01", "end_date": "2041-05-31" } }),
    )
    .await;
    assert_eq!(status, 422, "an overlapping year is refused");
}
