//! Item master, search and locations, black-box through REST on real PostgreSQL.
mod common;
use common::*;
use reqwest::Method;
use serde_json::json;

fn skus(list: &serde_json::Value) -> Vec<String> {
    list["items"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| r["sku"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_item_master_is_kept_by_the_warehouse_in_every_language() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let (status, item) = call(&warehouse, &app, Method::POST, "/api/v1/items", Some(json!({
        "sku": "PMP-CEN-50", "names": { "en": "Centrifugal pump 50 mm", "hi": "सेंट्रीफ्यूगल पंप 50 मिमी", "te": "సెంట్రిఫ్యూగల్ పంప్" },
        "description": "Cast iron, 2 kW", "unit": "pcs", "reorder_level": "2", "reorder_quantity": "4", "serialised": true,
        "specs": { "flow": "12 m3/h", "head": "20 m" }
    }))).await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["data"]["name"], "Centrifugal pump 50 mm");
    assert_eq!(item["data"]["serialised"], true);
    assert_eq!(item["data"]["descriptions"]["en"], "Cast iron, 2 kW");
    assert_eq!(item["data"]["reorder_level"], "2");
    let id = item["data"]["id"].as_str().expect("id").to_string();

    let (status, e) = call(
        &warehouse,
        &app,
        Method::POST,
        "/api/v1/items",
        Some(json!({
        "sku": "PMP-CEN-50", "names": { "en": "Again" }, "unit": "pcs" })),
    )
    .await;
    assert_eq!(status, 422);
    assert!(e["error"]["details"]["sku"].is_string(), "{e}");
    let (status, e) = call(&warehouse, &app, Method::POST, "/api/v1/items", Some(json!({
        "sku": "bad sku", "names": { "hi": "केवल हिंदी", "xx": "?" }, "unit": "", "reorder_level": "-1" }))).await;
    assert_eq!(status, 422);
    for field in ["sku", "names.en", "names.xx", "unit", "reorder_level"] {
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    let (status, _) = call(&warehouse, &app, Method::POST, "/api/v1/items", Some(json!({
        "sku": "X-1", "names": { "en": "X" }, "unit": "pcs", "category_id": "00000000-0000-0000-0000-000000000001" }))).await;
    assert_eq!(status, 422);

    // an engineer reads but does not keep the master
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = call(
        &engineer,
        &app,
        Method::POST,
        "/api/v1/items",
        Some(json!({
        "sku": "MINE", "names": { "en": "Mine" }, "unit": "pcs" })),
    )
    .await;
    assert_eq!(status, 403);
    let got = data_of(&engineer, &app, &format!("/api/v1/items/{id}")).await;
    assert_eq!(got["sku"], "PMP-CEN-50");

    // renamed: the search finds the new name
    let (status, item) = call(&warehouse, &app, Method::PUT, &format!("/api/v1/items/{id}"), Some(json!({
        "sku": "PMP-CEN-50", "names": { "en": "Centrifugal water pump 50 mm", "hi": "सेंट्रीफ्यूगल पंप 50 मिमी" }, "unit": "pcs" }))).await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(
        item["data"]["serialised"], true,
        "tracking is kept when not given"
    );
    let found = data_of(&engineer, &app, "/api/v1/inventory?q=water%20pump").await;
    assert_eq!(skus(&found).first().map(String::as_str), Some("PMP-CEN-50"));

    // another company neither sees nor finds it
    let saif = app.logged_in("saif", "engineer").await;
    let (status, _) = call(
        &saif,
        &app,
        Method::GET,
        &format!("/api/v1/items/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let found = data_of(&saif, &app, "/api/v1/inventory?q=PMP").await;
    assert!(!skus(&found).contains(&"PMP-CEN-50".to_string()), "{found}");
}

#[tokio::test]
async fn search_finds_sku_prefixes_words_typos_and_hindi() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    // SKU prefix first
    let r = data_of(&engineer, &app, "/api/v1/inventory?q=BRG-63").await;
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("BRG-6310"),
        "{r}"
    );
    // words, stemmed in English
    let r = data_of(&engineer, &app, "/api/v1/inventory?q=bearings").await;
    let found = skus(&r);
    assert!(
        found.contains(&"BRG-6205-2RS".to_string()) && found.contains(&"BRG-6310".to_string()),
        "{r}"
    );
    // a typo
    let r = data_of(&engineer, &app, "/api/v1/inventory?q=bering").await;
    assert!(skus(&r).iter().any(|s| s.starts_with("BRG-")), "typo: {r}");
    let r = data_of(&engineer, &app, "/api/v1/inventory?q=proximty%20sensr").await;
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("SEN-PRX-M18"),
        "{r}"
    );
    // Hindi, and a misspelled Hindi word
    let r = data_of(&engineer, &app, "/api/v1/inventory?q=%E0%A4%97%E0%A4%BF%E0%A4%AF%E0%A4%B0%E0%A4%AC%E0%A5%89%E0%A4%95%E0%A5%8D%E0%A4%B8").await; // गियरबॉक्स
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("GBX-15-1"),
        "{r}"
    );
    let r = data_of(
        &engineer,
        &app,
        &format!("/api/v1/inventory?q={}", urlencode("वेल्डिग")),
    )
    .await; // वेल्डिंग without the anusvara
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("CON-WLD-E7018"),
        "{r}"
    );
    // stock and names in the caller's language
    let (status, _) = call(
        &engineer,
        &app,
        Method::PUT,
        "/api/v1/auth/me/language",
        Some(json!({ "language": "hi" })),
    )
    .await;
    assert_eq!(status, 200);
    let r = data_of(&engineer, &app, "/api/v1/inventory?q=BRG-6205").await;
    assert_eq!(r["items"][0]["name"], "डीप ग्रूव बॉल बेयरिंग 6205-2RS");
    assert_eq!(r["items"][0]["on_hand"], "140");
    assert_eq!(r["items"][0]["category"], "बेयरिंग");
    // filters: category subtree, in stock, plant
    let cats: Vec<(uuid::Uuid,)> = sqlx::query_as(
        "select c.id from item_categories c join tenants t on t.id = c.tenant_id where t.slug = 'demo' and c.code = 'ELEC'")
        .fetch_all(&app.db.owner).await.expect("cat");
    let r = data_of(
        &engineer,
        &app,
        &format!("/api/v1/inventory?category_id={}", cats[0].0),
    )
    .await;
    let mut found = skus(&r);
    found.sort();
    assert_eq!(found, vec!["SEN-PRX-M18", "SEN-TMP-PT100"]);
    let r = data_of(
        &engineer,
        &app,
        &format!("/api/v1/inventory?category_id={}&in_stock=true", cats[0].0),
    )
    .await;
    assert_eq!(skus(&r), vec!["SEN-PRX-M18"]);
    let r = data_of(&engineer, &app, "/api/v1/inventory?q=BRG-6205&plant=NOPE").await;
    assert_eq!(r["items"][0]["on_hand"], "0");
    // pagination
    let r = data_of(&engineer, &app, "/api/v1/inventory?per_page=3&page=2").await;
    assert_eq!(r["pagination"]["total"], 8);
    assert_eq!(r["items"].as_array().map(Vec::len), Some(3));
    // type-ahead
    let r = data_of(&engineer, &app, "/api/v1/inventory/suggest?q=SEN").await;
    let s = r["suggestions"].as_array().cloned().unwrap_or_default();
    assert_eq!(s.len(), 2, "{r}");
    let r = data_of(&engineer, &app, "/api/v1/inventory/suggest?q=gerbox").await;
    assert_eq!(r["suggestions"][0]["sku"], "GBX-15-1", "{r}");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn locations_and_an_append_only_ledger() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("saif", "warehouse").await;
    let r = data_of(&warehouse, &app, "/api/v1/locations").await;
    let codes: Vec<String> = r["locations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|l| l["code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(codes.len(), 8, "four bins in each of two plants: {r}");
    assert!(
        codes.contains(&"KOL-WH1-R01-B01".to_string())
            && codes.contains(&"VSK-WH1-R02-B02".to_string())
    );
    assert!(r["locations"]
        .as_array()
        .is_some_and(|ls| ls.iter().any(|l| l["on_hand"] != "0")));
    // the application role can neither edit nor delete movements
    let tenant = app.tenant_id("saif").await;
    let mut tx = app.pool.begin().await.expect("tx");
    sqlx::query("select set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await
        .expect("tenant");
    let edited = sqlx::query("update stock_movements set quantity = 1")
        .execute(&mut *tx)
        .await;
    assert!(edited.is_err(), "movements are immutable");
    drop(tx);
    let engineer = app.logged_in("saif", "engineer").await;
    let (status, _) = call(&engineer, &app, Method::GET, "/api/v1/locations", None).await;
    assert_eq!(status, 200, "engineers may see where stock is");
}
