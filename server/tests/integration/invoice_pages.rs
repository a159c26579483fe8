//! The supplier-invoice screens: what is left to bill of a supplier's orders (received less
//! what invoices not cancelled bill; another supplier's orders never listed), the same through
//! the screens' server function and REST; the list, entry and detail pages rendered on the
//! server for saif's accountant, the forbidden page for a warehouse user, and Approve for the
//! procurement manager on an exception.
use crate::common::*;
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

async fn today(c: &reqwest::Client, app: &TestApp) -> String {
    data_of(c, app, "/api/v1/reports/trial-balance").await["to"]
        .as_str()
        .expect("today")
        .to_string()
}

/// An invoice entered (draft) by `c` for `quantity` of `line` at `price`: its id.
async fn entered(
    c: &reqwest::Client,
    app: &TestApp,
    sup: &str,
    number: &str,
    line: &str,
    quantity: &str,
    price: &str,
) -> String {
    let date = today(c, app).await;
    let body = json!({ "supplier_id": sup, "number": number, "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": quantity, "unit_price": price, "tax_rate": "18" }] });
    let (status, inv) = post(c, app, "/api/v1/supplier-invoices", body).await;
    assert_eq!(status, 201, "{inv}");
    id_of(&inv["data"])
}

async fn act(c: &reqwest::Client, app: &TestApp, id: &str, action: &str) -> Value {
    let (status, r) = post(
        c,
        app,
        &format!("/api/v1/supplier-invoices/{id}/{action}"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{action}: {r}");
    r["data"].clone()
}

fn order_in<'a>(b: &'a Value, po: &str) -> Option<&'a Value> {
    b["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .find(|o| o["id"] == po)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_left_to_bill_is_received_less_invoiced_and_a_cancelled_invoice_frees_it() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "VIZAG-ELEC", "12", "100").await;
    // the item's own HSN code and GST rate, which the lines propose
    sqlx::query("update items set hsn_sac = '84821020', gst_rate = 18 where sku = 'BRG-6205-2RS'")
        .execute(&app.db.owner)
        .await
        .expect("item tax");
    let url = format!("/api/v1/supplier-invoices/billable?supplier_id={sup}");
    // ordered, nothing received: no order to bill yet
    let b = data_of(&accountant, &app, &url).await;
    assert!(order_in(&b, &po).is_none(), "{b}");
    received(&app, &po, &line, "10").await;
    let b = data_of(&accountant, &app, &url).await;
    let o = order_in(&b, &po).expect("the order, received");
    assert_eq!(
        (o["open_lines"].as_u64(), dec(&o["open_amount"])),
        (Some(1), Decimal::from(1000)),
        "{o}"
    );
    assert!(
        b["lines"].as_array().expect("lines").is_empty(),
        "lines only for an order"
    );

    // invoiced 4 of the 10 received: 6 open
    let first = entered(&accountant, &app, &sup, "VE/B-1", &line, "4", "100").await;
    act(&accountant, &app, &first, "submit").await;
    let one = format!("{url}&purchase_order_id={po}");
    let b = data_of(&accountant, &app, &one).await;
    let l = &b["lines"][0];
    assert_eq!(l["purchase_order_line_id"], line.as_str(), "{b}");
    assert_eq!(
        (
            dec(&l["ordered"]),
            dec(&l["received"]),
            dec(&l["invoiced"]),
            dec(&l["open"])
        ),
        (
            Decimal::from(12),
            Decimal::from(10),
            Decimal::from(4),
            Decimal::from(6)
        ),
        "{l}"
    );
    assert_eq!(dec(&l["unit_price"]), Decimal::from(100));
    assert_eq!(
        (l["hsn_sac"].as_str(), l["tax_rate"].as_str()),
        (Some("84821020"), Some("18")),
        "the item's GST defaults: {l}"
    );
    assert_eq!(b["currency"], "INR");

    // a draft claims its quantity too; cancelled, it frees it
    let draft = entered(&accountant, &app, &sup, "VE/B-2", &line, "6", "100").await;
    let b = data_of(&accountant, &app, &url).await;
    assert!(
        order_in(&b, &po).is_none(),
        "fully billed: no longer listed: {b}"
    );
    let b = data_of(&accountant, &app, &one).await;
    assert_eq!(
        (dec(&b["lines"][0]["invoiced"]), dec(&b["lines"][0]["open"])),
        (Decimal::from(10), Decimal::ZERO),
        "2 ordered and not received are left to bill ahead: {b}"
    );
    act(&accountant, &app, &draft, "cancel").await;
    let b = data_of(&accountant, &app, &one).await;
    assert_eq!(dec(&b["lines"][0]["open"]), Decimal::from(6), "{b}");

    // another supplier's order is never listed, nor asked for
    let (other, other_po, other_line) = ordered(&app, "BENGAL-BRG", "5", "100").await;
    received(&app, &other_po, &other_line, "5").await;
    let b = data_of(&accountant, &app, &url).await;
    assert!(order_in(&b, &other_po).is_none(), "{b}");
    let theirs = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/billable?supplier_id={other}"),
    )
    .await;
    assert!(
        order_in(&theirs, &other_po).is_some() && order_in(&theirs, &po).is_none(),
        "{theirs}"
    );
    let (status, e) = get(
        &accountant,
        &app,
        &format!("{url}&purchase_order_id={other_po}"),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("VALIDATION_ERROR")),
        "{e}"
    );
    assert!(
        e["error"]["details"]["purchase_order_id"].is_string(),
        "{e}"
    );
    let (status, e) = get(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/billable?supplier_id={po}"),
    )
    .await;
    assert_eq!(status, 422, "an order is no supplier: {e}");
    assert!(e["error"]["details"]["supplier_id"].is_string(), "{e}");
    let (status, _) = get(&accountant, &app, "/api/v1/supplier-invoices/billable").await;
    assert_eq!(status, 422, "the supplier is required");

    // both doors give the same
    let sfn = json_of(
        &accountant,
        &app,
        &format!("/sfn/billable_for_supplier?supplier_id={sup}&purchase_order_id={po}"),
    )
    .await;
    let rest = data_of(&accountant, &app, &one).await;
    assert_eq!(sfn, rest);

    // the warehouse does not enter invoices
    let warehouse = app.logged_in("saif", "warehouse").await;
    let (status, _) = get(&warehouse, &app, &url).await;
    assert_eq!(status, 403);
    let (status, _) = get(
        &warehouse,
        &app,
        &format!("/sfn/billable_for_supplier?supplier_id={sup}"),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invoice_pages_render_for_the_accountant_and_the_manager_approves_an_exception() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "BENGAL-BRG", "10", "100").await;
    received(&app, &po, &line, "10").await;
    let date = today(&accountant, &app).await;

    // the entry form's server function: saved and submitted at once, 8 % dearer than ordered
    let input = json!({ "supplier_id": sup, "number": "BB/P-1", "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "108", "tax_rate": "18" }] });
    let (status, inv) = sfn_json(
        &accountant,
        &app,
        "create_supplier_invoice",
        json!({ "input": input, "submit": true }),
    )
    .await;
    assert_eq!(status, 200, "{inv}");
    assert_eq!(
        (inv["status"].as_str(), inv["match_status"].as_str()),
        (Some("pending_approval"), Some("exception")),
        "{inv}"
    );
    let id = id_of(&inv);
    // the same supplier's number again: 409 at the number, nothing written
    let invoices = count_of(&app, "select count(*) from supplier_invoices").await;
    let (status, e) = sfn_json(
        &accountant,
        &app,
        "create_supplier_invoice",
        json!({ "input": input, "submit": false }),
    )
    .await;
    assert_eq!(status, 409, "{e}");
    assert!(e.to_string().contains("number"), "{e}");
    // a bad line: the error names it, and the draft is not left behind by a failed submit
    let mut bad = input.clone();
    bad["number"] = json!("BB/P-2");
    bad["lines"][0]["quantity"] = json!("0");
    let (status, e) = sfn_json(
        &accountant,
        &app,
        "create_supplier_invoice",
        json!({ "input": bad, "submit": true }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("lines[0].quantity"), "{e}");
    assert_eq!(
        count_of(&app, "select count(*) from supplier_invoices").await,
        invoices
    );
    // what the page's server function gives is what REST gives
    let rest = data_of(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}"),
    )
    .await;
    let detail = json_of(
        &accountant,
        &app,
        &format!("/sfn/supplier_invoice_detail?id={id}"),
    )
    .await;
    assert_eq!(detail["invoice"], rest);
    assert_eq!(
        (
            detail["can_manage"].as_bool(),
            detail["can_decide"].as_bool()
        ),
        (Some(true), Some(false)),
        "who entered it does not decide it: {detail}"
    );

    // the list, in the accountant's Hindi, amounts in lakhs
    let total =
        app::format::format_money(dec(&rest["total"]), "INR", app::format::Grouping::Indian);
    let list = html_200(&accountant, &app, "/finance/invoices").await;
    assert!(
        list.contains("आपूर्तिकर्ता बीजक")
            && list.contains(rest["number"].as_str().expect("number"))
            && list.contains("BB/P-1")
            && list.contains(&format!("/finance/invoices/{id}"))
            && list.contains(&total)
            && list.contains("अनुमोदन की प्रतीक्षा")
            && list.contains(r#"data-testid="new-invoice""#)
            && list.contains(r#"href="/finance/invoices""#),
        "{total}: {list}"
    );
    let filtered = html_200(&accountant, &app, "/finance/invoices?status=paid").await;
    assert!(!filtered.contains("BB/P-1"), "{filtered}");
    // by its match: the exception is among the exceptions waiting (the home's link), not the matched
    let exceptions = html_200(
        &accountant,
        &app,
        "/finance/invoices?status=pending_approval&match_status=exception",
    )
    .await;
    assert!(exceptions.contains("BB/P-1"), "{exceptions}");
    let matched = html_200(&accountant, &app, "/finance/invoices?match_status=matched").await;
    assert!(!matched.contains("BB/P-1"), "{matched}");
    let rest = data_of(
        &accountant,
        &app,
        "/api/v1/supplier-invoices?match_status=exception",
    )
    .await;
    assert_eq!(
        rest["supplier_invoices"][0]["id"].as_str(),
        Some(id.as_str()),
        "{rest}"
    );
    assert_eq!(rest["pagination"]["total"], 1, "{rest}");
    let rest = data_of(
        &accountant,
        &app,
        "/api/v1/supplier-invoices?match_status=matched",
    )
    .await;
    assert_eq!(rest["pagination"]["total"], 0, "{rest}");
    let (status, _) = status_and_html(
        &accountant,
        &app,
        "/sfn/list_supplier_invoices?match_status=sideways&page=1",
    )
    .await;
    assert_eq!(status, 422, "an unknown match is refused");

    // the entry form offers the suppliers
    let new = html_200(&accountant, &app, "/finance/invoices/new").await;
    assert!(
        new.contains("आपूर्तिकर्ता बीजक दर्ज करें")
            && new.contains(&sup)
            && new.contains(r#"data-testid="save-submit""#)
            && new.contains("inv-place"),
        "{new}"
    );

    // the invoice: its line's price exception marked and explained, CGST + SGST, no decision
    let page = html_200(&accountant, &app, &format!("/finance/invoices/{id}")).await;
    assert!(
        page.contains("BB/P-1")
            && page.contains(r#"data-testid="exception-note""#)
            && page.contains(r#"data-match="price_exception""#)
            && page.contains("मूल्य अपवाद")
            && page.contains("सीजीएसटी")
            && page.contains(r#"data-testid="cancel""#)
            && !page.contains(r#"data-testid="approve""#),
        "{page}"
    );

    // the procurement manager, from the inbox, sees Approve and Reject, and approves
    let manager = app.logged_in("saif", "procurement_mgr").await;
    let page = html_200(&manager, &app, &format!("/finance/invoices/{id}")).await;
    assert!(
        page.contains(r#"data-testid="approve""#)
            && page.contains(r#"data-testid="reject""#)
            && page.contains(r#"id="inv-comment""#),
        "{page}"
    );
    let (status, done) = sfn_json(
        &manager,
        &app,
        "supplier_invoice_action",
        json!({ "id": id, "action": "approve", "comment": "Price agreed by phone" }),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["status"], "posted", "{done}");
    let page = html_200(&accountant, &app, &format!("/finance/invoices/{id}")).await;
    assert!(
        page.contains(r#"data-testid="journal-link""#)
            && page.contains(r#"data-testid="hold""#)
            && page.contains("Price agreed by phone"),
        "{page}"
    );
    // hold through the screen's server function; an unknown action changes nothing
    let (status, held) = sfn_json(
        &accountant,
        &app,
        "supplier_invoice_action",
        json!({ "id": id, "action": "hold", "comment": null }),
    )
    .await;
    assert_eq!(
        (status, held["status"].as_str()),
        (200, Some("on_hold")),
        "{held}"
    );
    let (status, _) = sfn_json(
        &accountant,
        &app,
        "supplier_invoice_action",
        json!({ "id": id, "action": "explode", "comment": null }),
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warehouse_user_gets_the_forbidden_invoice_pages() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, po, line) = ordered(&app, "VIZAG-ELEC", "2", "100").await;
    received(&app, &po, &line, "2").await;
    let id = entered(&accountant, &app, &sup, "VE/F-1", &line, "2", "100").await;
    let warehouse = app.logged_in("saif", "warehouse").await;
    for path in [
        "/finance/invoices".to_string(),
        "/finance/invoices/new".to_string(),
        format!("/finance/invoices/{id}"),
    ] {
        let (status, html) = status_and_html(&warehouse, &app, &path).await;
        assert_eq!(status, 403, "{path}: {html}");
        assert!(!html.contains("VE/F-1"), "{path}: {html}");
    }
    for path in [
        "/sfn/list_supplier_invoices?page=1".to_string(),
        "/sfn/invoice_form_facts".to_string(),
        format!("/sfn/supplier_invoice_detail?id={id}"),
    ] {
        let (status, _) = get(&warehouse, &app, &path).await;
        assert_eq!(status, 403, "{path}");
    }
    let (status, _) = sfn_json(
        &warehouse,
        &app,
        "supplier_invoice_action",
        json!({ "id": id, "action": "cancel", "comment": null }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        data_of(
            &accountant,
            &app,
            &format!("/api/v1/supplier-invoices/{id}")
        )
        .await["status"],
        "draft"
    );
}
