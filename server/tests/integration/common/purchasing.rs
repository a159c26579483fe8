//! Requisitions and purchase orders through REST, as the tests raise, decide and order them.
use super::{post, TestApp};
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
