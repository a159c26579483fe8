//! Requisitions and purchase orders through REST, as the tests raise, decide and order them.
use super::{id_of, id_where, item_id, post, stock_location, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

/// A daily-operations requisition of one free-text line.
pub fn one_line_requisition(
    description: &str,
    quantity: &str,
    unit: &str,
    unit_price: &str,
) -> Value {
    json!({ "purpose": "daily_operations", "lines": [
        { "description": description, "quantity": quantity, "unit": unit, "estimated_unit_price": unit_price }
    ]})
}

/// Creates a requisition as `c`; must answer 201. Its `data`.
pub async fn drafted(c: &Client, app: &TestApp, body: Value) -> Value {
    let (status, r) = post(c, app, "/api/v1/requisitions", body).await;
    assert_eq!(status, 201, "{r}");
    r["data"].clone()
}

/// A decision or step on requisition `id` (`submit`, `approve`, `reject`, `send-back`) with
/// `body`: the status and the body.
pub async fn requisition_action(
    c: &Client,
    app: &TestApp,
    id: &str,
    action: &str,
    body: Value,
) -> (u16, Value) {
    post(c, app, &format!("/api/v1/requisitions/{id}/{action}"), body).await
}

/// Submits requisition `id`: the status and the body.
pub async fn submit(c: &Client, app: &TestApp, id: &str) -> (u16, Value) {
    requisition_action(c, app, id, "submit", json!({})).await
}

/// Approves requisition `id` without a comment: the status and the body.
pub async fn approve(c: &Client, app: &TestApp, id: &str) -> (u16, Value) {
    requisition_action(c, app, id, "approve", json!({})).await
}

/// Submits requisition `id` as its requester; must answer 200.
pub async fn submitted(c: &Client, app: &TestApp, id: &str) {
    let (status, body) = submit(c, app, id).await;
    assert_eq!(status, 200, "submit: {body}");
}

/// The manager, then the accountant, sign in and approve requisition `id` (both seeded stages, as
/// a requisition over 50,000 needs); each must answer 200.
pub async fn approved_by_manager_and_accountant(app: &TestApp, id: &str) {
    for who in ["manager", "accountant"] {
        let c = app.logged_in("demo", who).await;
        let (status, body) = approve(&c, app, id).await;
        assert_eq!(status, 200, "{who}: {body}");
    }
}

/// Generates purchase orders as `c` from `body`; must answer 201. The orders.
pub async fn generated_orders(c: &Client, app: &TestApp, body: Value) -> Vec<Value> {
    let (status, r) = post(c, app, "/api/v1/purchase-orders", body).await;
    assert_eq!(status, 201, "{r}");
    r["data"]["purchase_orders"]
        .as_array()
        .expect("orders")
        .clone()
}

/// A saif supplier's id by its code.
pub async fn supplier(app: &TestApp, code: &str) -> String {
    id_where(app, &format!("select id from suppliers where tenant_id = (select id from tenants where slug = 'saif') and code = '{code}'")).await
}

/// An approved order in saif of `quantity` BRG-6205-2RS at `price` from the supplier `code`:
/// (supplier id, order id, order line id).
pub async fn ordered(
    app: &TestApp,
    code: &str,
    quantity: &str,
    price: &str,
) -> (String, String, String) {
    let item = item_id(app, "saif", "BRG-6205-2RS").await;
    let sup = supplier(app, code).await;
    let engineer = app.logged_in("saif", "engineer").await;
    let body = json!({ "purpose": "daily_operations", "lines": [
        { "item_id": item, "description": "Bearing 6205", "quantity": quantity, "unit": "pcs", "estimated_unit_price": price, "supplier_id": sup }
    ]});
    let (status, r) = post(&engineer, app, "/api/v1/requisitions", body).await;
    assert_eq!(status, 201, "{r}");
    let id = id_of(&r["data"]);
    let (status, r) = post(
        &engineer,
        app,
        &format!("/api/v1/requisitions/{id}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    let manager = app.logged_in("saif", "manager").await;
    let (status, mut r) = post(
        &manager,
        app,
        &format!("/api/v1/requisitions/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    if r["data"]["status"] != "approved" {
        // over 50,000 the accountant approves too
        let accountant = app.logged_in("saif", "accountant").await;
        let (status, again) = post(
            &accountant,
            app,
            &format!("/api/v1/requisitions/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(
            (status, again["data"]["status"].as_str()),
            (200, Some("approved")),
            "{again}"
        );
        r = again;
    }
    let line = r["data"]["lines"][0]["id"]
        .as_str()
        .expect("line")
        .to_string();
    let procurement = app.logged_in("saif", "procurement").await;
    let orders =
        generated_orders(&procurement, app, json!({ "requisition_line_ids": [line] })).await;
    let po = &orders[0];
    if po["status"] == "pending_approval" {
        // over 1,00,000 the procurement manager approves the order
        let mgr = app.logged_in("saif", "procurement_mgr").await;
        let (status, r) = post(
            &mgr,
            app,
            &format!("/api/v1/purchase-orders/{}/approve", id_of(po)),
            json!({ "comment": "ok" }),
        )
        .await;
        assert_eq!(status, 200, "{r}");
    }
    (
        sup,
        id_of(po),
        po["lines"][0]["id"].as_str().expect("po line").to_string(),
    )
}

pub async fn received(app: &TestApp, po: &str, line: &str, quantity: &str) {
    let warehouse = app.logged_in("saif", "warehouse").await;
    let location = stock_location(app, "saif", "BRG-6205-2RS").await;
    let (status, r) = post(&warehouse, app, "/api/v1/inventory/receive", json!({
        "purchase_order_id": po, "lines": [{ "purchase_order_line_id": line, "accepted_quantity": quantity, "location_id": location }]
    })).await;
    assert_eq!(status, 201, "{r}");
}

/// An approved order in saif of `quantity` BRG-6205-2RS at `price` from the supplier `code`,
/// received in full: (supplier id, order line id).
pub async fn received_order(
    app: &TestApp,
    code: &str,
    quantity: &str,
    price: &str,
) -> (String, String) {
    let (sup, po, line) = ordered(app, code, quantity, price).await;
    received(app, &po, &line, quantity).await;
    (sup, line)
}
