//! Stock movements through REST, as the inventory tests book them.
use super::{cost_centre, data_of, item_id, post, stock_location, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

/// The body of an issue of `quantity` of `item` from `location` to cost centre `cc`.
pub fn issue_of(item: &str, location: &str, quantity: &str, cc: &str) -> Value {
    json!({ "item_id": item, "location_id": location, "quantity": quantity, "cost_centre_id": cc })
}

/// Books an issue (see [`issue_of`]): the status and the body.
pub async fn issue(c: &Client, app: &TestApp, body: Value) -> (u16, Value) {
    post(c, app, "/api/v1/inventory/issues", body).await
}

/// Books an adjustment: the status and the body.
pub async fn adjust(c: &Client, app: &TestApp, body: Value) -> (u16, Value) {
    post(c, app, "/api/v1/inventory/adjustments", body).await
}

/// Reverses movement `id` for `reason`: the status and the body.
pub async fn reverse(c: &Client, app: &TestApp, id: &str, reason: &str) -> (u16, Value) {
    post(
        c,
        app,
        &format!("/api/v1/inventory/movements/{id}/reverse"),
        json!({ "reason": reason }),
    )
    .await
}

/// A search of the items and their stock (`/api/v1/inventory?{query}`); must answer 200. Its
/// `data`.
pub async fn search(c: &Client, app: &TestApp, query: &str) -> Value {
    data_of(c, app, &format!("/api/v1/inventory?{query}")).await
}

/// The type-ahead's suggestions (`/api/v1/inventory/suggest?{query}`); must answer 200. Its
/// `data`.
pub async fn suggest(c: &Client, app: &TestApp, query: &str) -> Value {
    data_of(c, app, &format!("/api/v1/inventory/suggest?{query}")).await
}

/// What an issue of demo's seeded stock of `sku` names, as `(item, location, cost centre)`: the
/// item, a location holding it, and a cost centre to issue to.
pub async fn stock_to_issue(app: &TestApp, sku: &str) -> (String, String, String) {
    (
        item_id(app, "demo", sku).await,
        stock_location(app, "demo", sku).await,
        cost_centre(app, "demo").await,
    )
}
