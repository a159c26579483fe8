//! Item master, search and locations, black-box through REST on real PostgreSQL.
use crate::common::*;
use serde_json::{json, Value};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_item_master_is_kept_by_the_warehouse_in_every_language() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let create_item = |c, body| post(c, &app, "/api/v1/items", body);
    let (status, item) = create_item(&warehouse, json!({
        "sku": "PMP-CEN-50", "names": { "en": "Centrifugal pump 50 mm", "hi": "सेंट्रीफ्यूगल पंप 50 मिमी", "te": "సెంట్రిఫ్యూగల్ పంప్" },
        "description": "Cast iron, 2 kW", "unit": "pcs", "reorder_level": "2", "reorder_quantity": "4", "serialised": true,
        "specs": { "flow": "12 m3/h", "head": "20 m" }
    })).await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["data"]["name"], "Centrifugal pump 50 mm");
    assert_eq!(item["data"]["serialised"], true);
    assert_eq!(item["data"]["descriptions"]["en"], "Cast iron, 2 kW");
    assert_eq!(item["data"]["reorder_level"], "2");
    let id = id_of(&item["data"]);

    let (status, e) = create_item(
        &warehouse,
        json!({ "sku": "PMP-CEN-50", "names": { "en": "Again" }, "unit": "pcs" }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(e["error"]["details"]["sku"].is_string(), "{e}");
    let (status, e) = create_item(&warehouse, json!({
        "sku": "bad sku", "names": { "hi": "केवल हिंदी", "xx": "?" }, "unit": "", "reorder_level": "-1" })).await;
    assert_eq!(status, 422);
    for field in ["sku", "names.en", "names.xx", "unit", "reorder_level"] {
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    let (status, _) = create_item(&warehouse, json!({
        "sku": "X-1", "names": { "en": "X" }, "unit": "pcs", "category_id": "00000000-0000-0000-0000-000000000001" })).await;
    assert_eq!(status, 422);

    // an engineer reads but does not keep the master
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = create_item(
        &engineer,
        json!({ "sku": "MINE", "names": { "en": "Mine" }, "unit": "pcs" }),
    )
    .await;
    assert_eq!(status, 403);
    let got = data_of(&engineer, &app, &format!("/api/v1/items/{id}")).await;
    assert_eq!(got["sku"], "PMP-CEN-50");

    // a word of its specifications only, as spelled (see below)
    let found = search(&engineer, &app, "q=flow").await;
    assert!(skus(&found).contains(&"PMP-CEN-50".to_string()), "{found}");
    // found (and the result kept by the server) before the rename …
    let found = search(&engineer, &app, "q=PMP-CEN-50").await;
    assert_eq!(
        found["items"][0]["name"], "Centrifugal pump 50 mm",
        "{found}"
    );

    // renamed: the search finds the new name
    let (status, item) = put(&warehouse, &app, &format!("/api/v1/items/{id}"), json!({
        "sku": "PMP-CEN-50", "names": { "en": "Centrifugal water pump 50 mm", "hi": "सेंट्रीफ्यूगल पंप 50 मिमी" }, "unit": "pcs" })).await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(
        item["data"]["serialised"], true,
        "tracking is kept when not given"
    );
    let found = search(&engineer, &app, "q=water%20pump").await;
    assert_eq!(skus(&found).first().map(String::as_str), Some("PMP-CEN-50"));
    // … and the same search is not answered with the result kept before the change
    let found = search(&engineer, &app, "q=PMP-CEN-50").await;
    assert_eq!(
        found["items"][0]["name"], "Centrifugal water pump 50 mm",
        "{found}"
    );

    // words of its specifications and description, not of any item's name, are found as they are
    // spelled (a search skips reading the items for words no item has: the item's words are kept
    // when it is created and when it is changed)
    let (status, item) = put(
        &warehouse,
        &app,
        &format!("/api/v1/items/{id}"),
        json!({
        "sku": "PMP-CEN-50", "names": { "en": "Centrifugal water pump 50 mm" }, "unit": "pcs",
        "description": "Volute of nodular iron", "specs": { "seal": "quenched carbide" } }),
    )
    .await;
    assert_eq!(status, 200, "{item}");
    for q in ["nodular", "quenched", "nodular%20volute"] {
        let found = search(&engineer, &app, &format!("q={q}")).await;
        assert_eq!(
            skus(&found).first().map(String::as_str),
            Some("PMP-CEN-50"),
            "{q}: {found}"
        );
    }

    // another company neither sees nor finds it
    let saif = app.logged_in("saif", "engineer").await;
    let found = search(&saif, &app, "q=nodular").await;
    assert_eq!(found["pagination"]["total"], 0, "{found}");
    let (status, _) = get(&saif, &app, &format!("/api/v1/items/{id}")).await;
    assert_eq!(status, 404);
    let found = search(&saif, &app, "q=PMP").await;
    assert!(!skus(&found).contains(&"PMP-CEN-50".to_string()), "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_sku_prefixes_words_typos_and_hindi() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    // SKU prefix first
    let r = search(&engineer, &app, "q=BRG-63").await;
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("BRG-6310"),
        "{r}"
    );
    // words, stemmed in English
    let r = search(&engineer, &app, "q=bearings").await;
    let found = skus(&r);
    assert!(
        found.contains(&"BRG-6205-2RS".to_string()) && found.contains(&"BRG-6310".to_string()),
        "{r}"
    );
    // a typo
    let r = search(&engineer, &app, "q=bering").await;
    assert!(skus(&r).iter().any(|s| s.starts_with("BRG-")), "typo: {r}");
    // two letters swapped
    let r = search(&engineer, &app, "q=bearnig").await;
    assert!(skus(&r).iter().any(|s| s.starts_with("BRG-")), "swap: {r}");
    let r = search(&engineer, &app, "q=proximty%20sensr").await;
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("SEN-PRX-M18"),
        "{r}"
    );
    // Hindi, and a misspelled Hindi word
    let r = search(
        &engineer,
        &app,
        "q=%E0%A4%97%E0%A4%BF%E0%A4%AF%E0%A4%B0%E0%A4%AC%E0%A5%89%E0%A4%95%E0%A5%8D%E0%A4%B8",
    )
    .await; // गियरबॉक्स
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("GBX-15-1"),
        "{r}"
    );
    let r = search(&engineer, &app, &format!("q={}", urlencode("वेल्डिग"))).await; // वेल्डिंग without the anusvara
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("CON-WLD-E7018"),
        "{r}"
    );
    // stock and names in the caller's language
    set_language(&engineer, &app, "hi").await;
    let r = search(&engineer, &app, "q=BRG-6205").await;
    assert_eq!(r["items"][0]["name"], "डीप ग्रूव बॉल बेयरिंग 6205-2RS");
    assert_eq!(r["items"][0]["on_hand"], "140");
    assert_eq!(r["items"][0]["category"], "बेयरिंग");
    // filters: category subtree, in stock, plant
    let cats: Vec<(uuid::Uuid,)> = sqlx::query_as(
        "select c.id from item_categories c join tenants t on t.id = c.tenant_id where t.slug = 'demo' and c.code = 'ELEC'")
        .fetch_all(&app.db.owner).await.expect("cat");
    let r = search(&engineer, &app, &format!("category_id={}", cats[0].0)).await;
    let mut found = skus(&r);
    found.sort();
    assert_eq!(found, vec!["SEN-PRX-M18", "SEN-TMP-PT100"]);
    let r = search(
        &engineer,
        &app,
        &format!("category_id={}&in_stock=true", cats[0].0),
    )
    .await;
    assert_eq!(skus(&r), vec!["SEN-PRX-M18"]);
    // words with filters: stock available (read stock first), a category
    let r = search(&engineer, &app, "q=bearings&in_stock=true").await;
    assert!(skus(&r).contains(&"BRG-6205-2RS".to_string()), "{r}");
    assert!(
        r["items"]
            .as_array()
            .is_some_and(|rows| rows.iter().all(|i| i["available"] != "0")),
        "{r}"
    );
    let r = search(
        &engineer,
        &app,
        &format!("q=sensor&category_id={}", cats[0].0),
    )
    .await;
    let mut found = skus(&r);
    found.sort();
    assert_eq!(found, vec!["SEN-PRX-M18", "SEN-TMP-PT100"], "{r}");
    let r = search(&engineer, &app, "q=BRG-6205&plant=NOPE").await;
    assert_eq!(r["items"][0]["on_hand"], "0");
    // pagination
    let r = search(&engineer, &app, "per_page=3&page=2").await;
    assert_eq!(r["pagination"]["total"], 8);
    assert_eq!(r["items"].as_array().map(Vec::len), Some(3));
    // type-ahead
    let r = suggest(&engineer, &app, "q=SEN").await;
    let s = r["suggestions"].as_array().cloned().unwrap_or_default();
    assert_eq!(s.len(), 2, "{r}");
    let r = suggest(&engineer, &app, "q=gerbox").await;
    assert_eq!(r["suggestions"][0]["sku"], "GBX-15-1", "{r}");
}

/// The text-search query of a search asks the index for each word once: English stems and the
/// words as typed are joined only when they differ.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_asks_for_each_word_once() {
    let app = TestApp::spawn().await;
    for (words, query) in [
        ("rubber motor", "'rubber' & 'motor'"),
        ("bearings", "'bear' | 'bearings'"),
        ("बेयरिंग", "'बेयरिंग'"),
        ("पीतल पंप", "'पीतल' & 'पंप'"),
        ("seal -brass", "'seal' & !'brass'"),
    ] {
        let got: String = sqlx::query_scalar("select search_query($1)::text")
            .bind(words)
            .fetch_one(&app.pool)
            .await
            .expect("query");
        assert_eq!(got, query, "{words}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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
    let (status, _) = get(&engineer, &app, "/api/v1/locations").await;
    assert_eq!(status, 200, "engineers may see where stock is");
}

/// `uid` with one digit of its sequence mistyped: its check character no longer matches.
fn mistyped(uid: &str) -> String {
    let mut typo: Vec<char> = uid.chars().collect();
    // the sequence's last digit (before `-CC`)
    let at = typo.len() - 4;
    typo[at] = if typo[at] == '9' { '8' } else { '9' };
    typo.into_iter().collect()
}

/// A receipt of `accepted` of line `line` of order `po` into `location`.
fn receipt(po: &str, line: &str, accepted: &str, location: &str) -> Value {
    json!({ "purchase_order_id": po, "lines": [
        { "purchase_order_line_id": line, "accepted_quantity": accepted, "location_id": location }
    ]})
}

/// Books a goods receipt: the status and the body.
async fn receive(c: &reqwest::Client, app: &TestApp, body: Value) -> (u16, Value) {
    post(c, app, "/api/v1/inventory/receive", body).await
}

/// Accepts receipt `id`, as only its requester may: the status and the body.
async fn accept(c: &reqwest::Client, app: &TestApp, id: &str) -> (u16, Value) {
    let path = format!("/api/v1/inventory/receipts/{id}/accept");
    post(c, app, &path, json!({})).await
}

/// Books transfer `id` in at the receiving plant: the status and the body.
async fn receive_transfer(c: &reqwest::Client, app: &TestApp, id: &str) -> (u16, Value) {
    let path = format!("/api/v1/inventory/transfers/{id}/receive");
    post(c, app, &path, json!({})).await
}

/// An approved requisition of BRG-6310 ×10 (lots), SEN-PRX-M18 ×3 (serialised) and a free-text
/// line, ordered from ACME; returns the PO.
async fn ordered(app: &TestApp) -> serde_json::Value {
    let brg = item_id(app, "demo", "BRG-6310").await;
    let sen = item_id(app, "demo", "SEN-PRX-M18").await;
    ordered_lines(app, |acme| {
        json!([
            { "item_id": brg, "description": "Bearing 6310", "quantity": "10", "unit": "pcs", "estimated_unit_price": "25.00", "supplier_id": acme },
            { "item_id": sen, "description": "Proximity sensor M18", "quantity": "3", "unit": "pcs", "estimated_unit_price": "34.00", "supplier_id": acme },
            { "description": "Calibration service", "quantity": "1", "unit": "job", "estimated_unit_price": "90.00", "supplier_id": acme }
        ])
    })
    .await
}

/// An approved requisition of the lines `lines(ACME's id)` gives, ordered from ACME; the PO.
async fn ordered_lines(
    app: &TestApp,
    lines: impl FnOnce(&str) -> serde_json::Value,
) -> serde_json::Value {
    let engineer = app.logged_in("demo", "engineer").await;
    let demo = "(select id from tenants where slug = 'demo')";
    let acme = id_where(
        app,
        &format!("select id from suppliers where tenant_id = {demo} and code = 'ACME'"),
    )
    .await;
    let body = json!({ "purpose": "daily_operations", "lines": lines(&acme) });
    let id = id_of(&drafted(&engineer, app, body).await);
    submitted(&engineer, app, &id).await;
    let manager = app.logged_in("demo", "manager").await;
    let (status, body) = approve(&manager, app, &id).await;
    assert_eq!(
        (status, body["data"]["status"].as_str()),
        (200, Some("approved")),
        "{body}"
    );
    let lines: Vec<String> = body["data"]["lines"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|l| l["id"].as_str().unwrap_or_default().to_string())
        .collect();
    let procurement = app.logged_in("demo", "procurement").await;
    let orders =
        generated_orders(&procurement, app, json!({ "requisition_line_ids": lines })).await;
    let po = orders[0].clone();
    assert_eq!(po["status"], "approved", "{po}");
    po
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receiving_accepting_and_tracing_goods() {
    let app = TestApp::spawn().await;
    let po = ordered(&app).await;
    let po_id = po["id"].as_str().expect("po").to_string();
    let line = |i: usize| {
        po["lines"][i]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let demo = "(select id from tenants where slug = 'demo')";
    let bin1 = location(&app, "demo", "MAI-WH1-R01-B01").await;
    let bin3 = location(&app, "demo", "MAI-WH1-R02-B01").await;
    let warehouse = app.logged_in("demo", "warehouse").await;

    // bad receipts change nothing
    let (status, e) = receive(&warehouse, &app, receipt(&po_id, &line(0), "11", &bin1)).await;
    assert_eq!(status, 422, "over 5 % tolerance: {e}");
    assert!(
        e["error"]["details"]["lines[0].accepted_quantity"].is_string(),
        "{e}"
    );
    let (status, e) = receive(
        &warehouse,
        &app,
        receipt(
            &po_id,
            &line(0),
            "2",
            "00000000-0000-0000-0000-000000000001",
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        e["error"]["details"]["lines[0].location_id"].is_string(),
        "{e}"
    );
    let (status, e) = receive(&warehouse, &app, json!({
        "purchase_order_id": po_id, "lines": [{ "purchase_order_line_id": line(0), "accepted_quantity": "-2", "location_id": bin1 },
                                              { "purchase_order_line_id": line(1), "accepted_quantity": "1.5", "location_id": bin3 }] })).await;
    assert_eq!(status, 422);
    assert!(
        e["error"]["details"]["lines[0].accepted_quantity"].is_string(),
        "{e}"
    );
    let (status, _) = receive(&warehouse, &app, receipt(&po_id, &line(1), "1.5", &bin3)).await;
    assert_eq!(status, 422, "serialised goods come in whole units");
    let receipts = count_of(&app, "select count(*) from goods_receipts").await;
    assert_eq!(receipts, 0);
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = receive(&engineer, &app, receipt(&po_id, &line(0), "1", &bin1)).await;
    assert_eq!(status, 403);

    let before = search(&engineer, &app, "q=BRG-6310").await;
    assert_eq!(before["items"][0]["on_hand"], "8");
    // a partial receipt with a rejection
    let (status, r) = receive(&warehouse, &app, json!({
        "purchase_order_id": po_id, "lines": [
            { "purchase_order_line_id": line(0), "accepted_quantity": "6", "rejected_quantity": "1", "rejection_reason": "dented outer ring", "location_id": bin1 },
            { "purchase_order_line_id": line(1), "accepted_quantity": "3", "location_id": bin3 },
            { "purchase_order_line_id": line(2), "accepted_quantity": "1" }
        ] })).await;
    assert_eq!(status, 201, "{r}");
    let receipt = r["data"].clone();
    assert!(
        receipt["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("GRN-")),
        "{receipt}"
    );
    assert_eq!(receipt["status"], "pending_acceptance");
    assert_eq!(
        receipt["lines"][0]["uids"].as_array().map(Vec::len),
        Some(1),
        "one lot"
    );
    assert_eq!(
        receipt["lines"][1]["uids"].as_array().map(Vec::len),
        Some(3),
        "one per unit"
    );
    assert_eq!(
        receipt["lines"][2]["uids"].as_array().map(Vec::len),
        Some(0),
        "free text is not stocked"
    );
    let po_now = data_of(&engineer, &app, &format!("/api/v1/purchase-orders/{po_id}")).await;
    assert_eq!(po_now["status"], "partially_received");
    // pending acceptance: on hand, not yet available
    let after = search(&engineer, &app, "q=BRG-6310").await;
    assert_eq!(
        (
            after["items"][0]["on_hand"].as_str(),
            after["items"][0]["available"].as_str()
        ),
        (Some("14"), Some("8")),
        "{after}"
    );

    // the UID leads back to PO, requisition and supplier; typos are caught
    let uid = receipt["lines"][1]["uids"][0]
        .as_str()
        .expect("uid")
        .to_string();
    // UID-{TENANT}-{PLANT}-{TYPE}-{SEQUENCE}-{CHECK}: the plant's three characters, the item's
    // material type (proximity sensors are components), six digits, two check characters
    assert!(uid.starts_with("UID-DEMO-MAI-CP-000"), "{uid}");
    assert_eq!(uid.len(), "UID-DEMO-MAI-CP-000001-XX".len(), "{uid}");
    let trace = data_of(&warehouse, &app, &format!("/api/v1/uids/{uid}")).await;
    assert_eq!(trace["purchase_order"], po["number"]);
    assert!(trace["requisition"]
        .as_str()
        .is_some_and(|n| n.starts_with("PR-")));
    assert_eq!(trace["supplier"], "Acme Industrial Supply");
    assert_eq!(trace["status"], "received");
    let typo = mistyped(&uid);
    let (status, e) = get(&warehouse, &app, &format!("/api/v1/uids/{typo}")).await;
    assert_eq!(status, 422, "{e}");
    assert!(
        e["error"]["details"]["uid"]
            .as_str()
            .is_some_and(|m| m.contains("check")),
        "{e}"
    );
    let (status, _) = get(&warehouse, &app, "/api/v1/uids/not-a-uid").await;
    assert_eq!(status, 422);

    // only the requester accepts, once; then the goods are available
    let rid = receipt["id"].as_str().expect("receipt").to_string();
    let (status, _) = accept(&warehouse, &app, &rid).await;
    assert_eq!(status, 403);
    let manager = app.logged_in("demo", "manager").await;
    let (status, _) = accept(&manager, &app, &rid).await;
    assert_eq!(status, 403, "accepting is the requester's");
    let (status, a) = accept(&engineer, &app, &rid).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["data"]["status"], "accepted");
    let (status, _) = accept(&engineer, &app, &rid).await;
    assert_eq!(status, 422);
    let after = search(&engineer, &app, "q=BRG-6310").await;
    assert_eq!(after["items"][0]["available"], "14");
    let trace = data_of(&warehouse, &app, &format!("/api/v1/uids/{uid}")).await;
    assert_eq!(trace["status"], "accepted");
    let events: Vec<&str> = trace["events"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["event"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(events, vec!["received", "accepted"]);
    // valuation: 8 at 25.00 (opening) and 6 at 25.00 → 25
    let avg: rust_decimal::Decimal = sqlx::query_scalar(&format!(
        "select average_cost from item_costs c join items i on i.id = c.item_id where i.tenant_id = {demo} and i.sku = 'BRG-6310'"))
        .fetch_one(&app.db.owner).await.expect("avg");
    assert_eq!(avg.normalize().to_string(), "25");
    // the ledger has the receipt and the acceptance
    let brg = item_id(&app, "demo", "BRG-6310").await;
    let ledger = data_of(
        &warehouse,
        &app,
        &format!("/api/v1/inventory/movements?item_id={brg}"),
    )
    .await;
    let kinds: Vec<&str> = ledger["movements"]
        .as_array()
        .map(|m| m.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, vec!["acceptance", "receipt", "adjustment"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuing_the_last_units_at_once_one_wins_one_gets_409() {
    let app = TestApp::spawn().await;
    let (item, loc, cc) = stock_to_issue(&app, "BRG-6310").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    // more than there is: a clear 422 on the quantity
    let (status, e) = issue(&warehouse, &app, issue_of(&item, &loc, "9", &cc)).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["quantity"].is_string());
    let (status, _) = issue(&warehouse, &app, issue_of(&item, &loc, "0", &cc)).await;
    assert_eq!(status, 422);
    let (status, m) = issue(&warehouse, &app, issue_of(&item, &loc, "7", &cc)).await;
    assert_eq!(status, 201, "{m}");
    assert_eq!(m["data"]["quantity"], "-7");
    assert_eq!(m["data"]["unit_cost"], "25");

    // the last unit: hold the balance row so both requests pass their check and queue on it
    let mut holder = app.db.owner.begin().await.expect("tx");
    sqlx::query("select 1 from stock_balances where item_id = $1::uuid for update")
        .bind(&item)
        .execute(&mut *holder)
        .await
        .expect("lock");
    let body = issue_of(&item, &loc, "1", &cc);
    let a = issue(&warehouse, &app, body.clone());
    let other = app.logged_in("demo", "warehouse").await;
    let b = issue(&other, &app, body);
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        holder.commit().await.expect("release");
    };
    let ((sa, _), (sb, _), ()) = tokio::join!(a, b, release);
    let mut statuses = vec![sa, sb];
    statuses.sort();
    assert_eq!(statuses, vec![201, 409]);
    let (on_hand, available): (rust_decimal::Decimal, rust_decimal::Decimal) =
        sqlx::query_as("select on_hand, available from stock_balances where item_id = $1::uuid")
            .bind(&item)
            .fetch_one(&app.db.owner)
            .await
            .expect("balance");
    assert_eq!(
        (
            on_hand.normalize().to_string(),
            available.normalize().to_string()
        ),
        ("0".into(), "0".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_are_in_transit_until_the_other_plant_receives_them() {
    let app = TestApp::spawn().await;
    let item = item_id(&app, "saif", "BRG-6205-2RS").await;
    let from = stock_location(&app, "saif", "BRG-6205-2RS").await;
    let same_plant = location(&app, "saif", "KOL-WH1-R02-B02").await;
    let other_plant = location(&app, "saif", "VSK-WH1-R01-B01").await;
    let warehouse = app.logged_in("saif", "warehouse").await;
    // within a plant: a move, at once
    let (status, m) = move_stock(&warehouse, &app, &item, (&from, &same_plant), "40").await;
    assert_eq!(status, 200, "{m}");
    let (status, _) = move_stock(&warehouse, &app, &item, (&from, &other_plant), "1").await;
    assert_eq!(status, 422, "another plant needs a transfer");
    // across plants: out now, in transit, in when received
    let (status, t) = post(&warehouse, &app, "/api/v1/inventory/transfers", json!({
        "item_id": item, "from_location_id": same_plant, "to_location_id": other_plant, "quantity": "15" })).await;
    assert_eq!(status, 201, "{t}");
    assert_eq!(t["data"]["status"], "in_transit");
    let engineer = app.logged_in("saif", "engineer").await;
    let total = |r: &serde_json::Value| {
        r["items"][0]["on_hand"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let r = search(&engineer, &app, "q=BRG-6205&plant=VSK").await;
    assert_eq!(total(&r), "0");
    let r = search(&engineer, &app, "q=BRG-6205").await;
    assert_eq!(total(&r), "125", "15 of 140 are on the road");
    let tid = id_of(&t["data"]);
    let (status, t) = receive_transfer(&warehouse, &app, &tid).await;
    assert_eq!(
        (status, t["data"]["status"].as_str()),
        (200, Some("received")),
        "{t}"
    );
    let (status, _) = receive_transfer(&warehouse, &app, &tid).await;
    assert_eq!(status, 422);
    let r = search(&engineer, &app, "q=BRG-6205&plant=VSK").await;
    assert_eq!(total(&r), "15");
    let r = search(&engineer, &app, "q=BRG-6205").await;
    assert_eq!(total(&r), "140");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn falling_below_the_reorder_level_tells_procurement_with_a_prefilled_requisition() {
    let app = TestApp::spawn().await;
    let (item, loc, cc) = stock_to_issue(&app, "SEN-PRX-M18").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from notifications n join users u on u.id = n.user_id where n.kind = 'low_stock' and u.username = 'procurement'")
            .fetch_one(&app.db.owner).await.expect("count")
    };
    // 12 → 6: still at or above the level of 5
    let (status, _) = issue(&warehouse, &app, issue_of(&item, &loc, "6", &cc)).await;
    assert_eq!(status, 201);
    assert_eq!(count().await, 0);
    // 6 → 4: below; procurement hears once, not again on the next issue
    for _ in 0..2 {
        let (status, _) = issue(&warehouse, &app, issue_of(&item, &loc, "1", &cc)).await;
        assert_eq!(status, 201);
    }
    assert_eq!(count().await, 1);
    let procurement = app.logged_in("demo", "procurement").await;
    let list = data_of(&procurement, &app, "/api/v1/notifications").await;
    let note = list["notifications"]
        .as_array()
        .and_then(|n| n.iter().find(|x| x["kind"] == "low_stock").cloned())
        .expect("note");
    assert!(
        note["text"]
            .as_str()
            .is_some_and(|t| t.contains("SEN-PRX-M18")),
        "{note}"
    );
    assert_eq!(
        note["link"],
        format!("/procurement/requisitions/new?item={item}")
    );
    // the link's form starts with the reorder quantity at the average cost
    let res = procurement
        .get(app.url(&format!("/sfn/item_prefill?id={item}")))
        .send()
        .await
        .expect("sfn");
    let prefill: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        (
            prefill["quantity"].as_str(),
            prefill["price"].as_str(),
            prefill["unit"].as_str()
        ),
        // the item's unit as the company writes its code (units of measure: PCS)
        (Some("20"), Some("34"), Some("PCS")),
        "{prefill}"
    );
}

/// Where the unit and lot tests move stock, as `(bin1, bin3, pune, cc)`: two bins of demo's main
/// plant, the bin of a second plant (PUN, made here) for transfers, and a cost centre to issue to.
async fn places(app: &TestApp) -> (String, String, String, String) {
    let demo = "(select id from tenants where slug = 'demo')";
    sqlx::query(&format!(
        "with p as (insert into plants (tenant_id, company_id, code, name)
                    select tenant_id, company_id, 'PUN', 'Pune Plant' from plants where tenant_id = {demo} and code = 'MAI'
                    returning tenant_id, id)
         insert into locations (tenant_id, plant_id, warehouse, rack, bin, code)
         select tenant_id, id, 'WH1', 'R01', 'B01', 'PUN-WH1-R01-B01' from p"
    ))
    .execute(&app.db.owner)
    .await
    .expect("plant");
    (
        location(app, "demo", "MAI-WH1-R01-B01").await,
        location(app, "demo", "MAI-WH1-R02-B01").await,
        location(app, "demo", "PUN-WH1-R01-B01").await,
        cost_centre(app, "demo").await,
    )
}

/// The warehouse receives `quantity` of a PO line into `bin` and the requester accepts it (both
/// must succeed); the UIDs the receipt made.
async fn delivered(
    app: &TestApp,
    (warehouse, requester): (&reqwest::Client, &reqwest::Client),
    po: &serde_json::Value,
    line: &str,
    quantity: &str,
    bin: &str,
) -> Vec<String> {
    let (status, r) = receive(warehouse, app, receipt(&id_of(po), line, quantity, bin)).await;
    assert_eq!(status, 201, "{r}");
    let rid = r["data"]["id"].as_str().expect("receipt").to_string();
    let (status, a) = accept(requester, app, &rid).await;
    assert_eq!(status, 200, "{a}");
    r["data"]["lines"][0]["uids"]
        .as_array()
        .map(|u| {
            u.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Moves `quantity` of `item` between two places: the status and the body.
async fn move_stock(
    c: &reqwest::Client,
    app: &TestApp,
    item: &str,
    (from, to): (&str, &str),
    quantity: &str,
) -> (u16, Value) {
    let body = json!({ "from_location_id": from, "to_location_id": to, "quantity": quantity });
    put(c, app, &format!("/api/v1/inventory/{item}/location"), body).await
}

/// The warehouse sends `quantity` of `item` from one plant's place to another's (must answer
/// 201); the transfer.
async fn sent(
    app: &TestApp,
    warehouse: &reqwest::Client,
    item: &str,
    (from, to): (&str, &str),
    quantity: &str,
) -> String {
    let (status, t) = post(
        warehouse,
        app,
        "/api/v1/inventory/transfers",
        json!({
        "item_id": item, "from_location_id": from, "to_location_id": to, "quantity": quantity }),
    )
    .await;
    assert_eq!(status, 201, "{t}");
    t["data"]["id"].as_str().expect("transfer").to_string()
}

/// The receiving plant books transfer `id` in; must answer 200.
async fn arrived(app: &TestApp, warehouse: &reqwest::Client, id: &str) {
    let (status, r) = receive_transfer(warehouse, app, id).await;
    assert_eq!(status, 200, "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serial_numbered_units_follow_issues_moves_transfers_and_reversals() {
    let app = TestApp::spawn().await;
    let po = ordered(&app).await;
    let (bin1, bin3, pune, cc) = places(&app).await;
    let sensor = item_id(&app, "demo", "SEN-PRX-M18").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let sensor_line = po["lines"][1]["id"].as_str().expect("line").to_string();
    let mut units = delivered(&app, (&warehouse, &engineer), &po, &sensor_line, "3", &bin3).await;
    units.sort();
    assert_eq!(units.len(), 3);
    let trace = |uid: String| {
        let (warehouse, app) = (&warehouse, &app);
        async move {
            let t = data_of(warehouse, app, &format!("/api/v1/uids/{uid}")).await;
            let events: Vec<String> = t["events"]
                .as_array()
                .map(|e| {
                    e.iter()
                        .filter_map(|x| x["event"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (t["status"].as_str().unwrap_or_default().to_string(), events)
        }
    };
    let place = |uid: String| {
        let app = &app;
        async move {
            id_where(
                app,
                &format!("select location_id from uids where uid = '{uid}'"),
            )
            .await
        }
    };

    // units named by the request: as many as the quantity, or nothing moves
    let (status, e) = issue(&warehouse, &app, json!({
        "item_id": sensor, "location_id": bin3, "quantity": "2", "cost_centre_id": cc, "uids": [units[2]] })).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["uids"].is_string(), "{e}");
    assert_eq!(trace(units[2].clone()).await.0, "accepted");

    // a write-off naming the newest unit takes that one, not the oldest; reversed, it is back
    let (status, adj) = adjust(&warehouse, &app, json!({
        "item_id": sensor, "location_id": bin3, "quantity": "-1", "reason": "cracked housing", "uids": [units[2]] })).await;
    assert_eq!(status, 201, "{adj}");
    assert_eq!(trace(units[2].clone()).await.0, "adjusted");
    assert_eq!(trace(units[0].clone()).await.0, "accepted");
    let adj_id = id_of(&adj["data"]);
    let (status, rev) = reverse(&warehouse, &app, &adj_id, "found intact").await;
    assert_eq!(status, 201, "{rev}");
    assert_eq!(trace(units[2].clone()).await.0, "accepted");

    // an issue takes the oldest unit with it
    let (status, issued) = issue(&warehouse, &app, issue_of(&sensor, &bin3, "1", &cc)).await;
    assert_eq!(status, 201, "{issued}");
    let (status, events) = trace(units[0].clone()).await;
    assert_eq!(status, "issued");
    assert_eq!(events, vec!["received", "accepted", "issued"]);
    assert_eq!(trace(units[1].clone()).await.0, "accepted");

    // a move within the plant: the next unit is in the new bin
    let (status, m) = move_stock(&warehouse, &app, &sensor, (&bin3, &bin1), "1").await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(trace(units[1].clone()).await.0, "transferred");
    assert_eq!(place(units[1].clone()).await, bin1);

    // a transfer to the other plant: in transit with it, then there
    let tid = sent(&app, &warehouse, &sensor, (&bin3, &pune), "1").await;
    assert_eq!(trace(units[2].clone()).await.0, "in_transit");
    assert_eq!(place(units[2].clone()).await, bin3);
    arrived(&app, &warehouse, &tid).await;
    let (status, events) = trace(units[2].clone()).await;
    assert_eq!(status, "transferred");
    assert_eq!(
        events,
        vec![
            "received",
            "accepted",
            "adjusted",
            "accepted",
            "in_transit",
            "transferred"
        ]
    );
    assert_eq!(place(units[2].clone()).await, pune);

    // the issue was a mistake: its unit is back, available where it was
    let issue_id = id_of(&issued["data"]);
    let (status, rev) = reverse(&warehouse, &app, &issue_id, "issued to the wrong order").await;
    assert_eq!(status, 201, "{rev}");
    let (status, events) = trace(units[0].clone()).await;
    assert_eq!(status, "accepted");
    assert_eq!(events, vec!["received", "accepted", "issued", "accepted"]);
    assert_eq!(place(units[0].clone()).await, bin3);

    // one unit written off: it leaves the available ones
    let (status, adj) = adjust(&warehouse, &app, json!({
        "item_id": sensor, "location_id": bin3, "quantity": "-1", "reason": "dropped during installation" })).await;
    assert_eq!(status, 201, "{adj}");
    assert_eq!(trace(units[0].clone()).await.0, "adjusted");

    // a unit named by the request is checked: check character, place, once; then it goes
    let typo = mistyped(&units[1]);
    let lowercase = units[1].to_lowercase();
    for (named, field, why) in [
        (vec![typo.clone()], "uids[0]", "check"),
        (vec![units[2].clone()], "uids[0]", "not in stock here"),
        (
            vec![units[1].clone(), lowercase.clone()],
            "uids[1]",
            "already used",
        ),
    ] {
        let (status, e) = issue(&warehouse, &app, json!({
            "item_id": sensor, "location_id": bin1, "quantity": "1", "cost_centre_id": cc, "uids": named })).await;
        assert_eq!(status, 422, "{e}");
        assert!(
            e["error"]["details"][field]
                .as_str()
                .is_some_and(|m| m.contains(why)),
            "{field}: {e}"
        );
    }
    assert_eq!(trace(units[1].clone()).await.0, "transferred");
    let (status, m) = issue(&warehouse, &app, json!({
        "item_id": sensor, "location_id": bin1, "quantity": "1", "cost_centre_id": cc, "uids": [lowercase] })).await;
    assert_eq!(status, 201, "{m}");
    assert_eq!(trace(units[1].clone()).await.0, "issued");

    // a write-off's named units are checked the same way; a count found names none
    for (quantity, named, field) in [
        ("1", vec![units[2].clone()], "uids"),
        ("-1", vec![units[1].clone()], "uids[0]"),
    ] {
        let (status, e) = adjust(&warehouse, &app, json!({
            "item_id": sensor, "location_id": pune, "quantity": quantity, "reason": "count", "uids": named })).await;
        assert_eq!(status, 422, "{e}");
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    assert_eq!(trace(units[2].clone()).await.0, "transferred");
    let (status, adj) = adjust(&warehouse, &app, json!({
        "item_id": sensor, "location_id": pune, "quantity": "-1", "reason": "lost in transit", "uids": [units[2]] })).await;
    assert_eq!(status, 201, "{adj}");
    assert_eq!(trace(units[2].clone()).await.0, "adjusted");
}

/// A lot is split by partial movements (`lot_balances`): what is taken of it, and where the rest
/// is, shows on its trace; lots at a place go oldest first; the lots' quantities at a place always
/// add up to the stock booked there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lots_are_split_by_partial_issues_moves_transfers_and_reversals() {
    let app = TestApp::spawn().await;
    let po = ordered(&app).await;
    let (bin1, bin3, pune, cc) = places(&app).await;
    // where the demo's opening balance of bearings lies, without UIDs
    let opening = location(&app, "demo", "MAI-WH1-R01-B02").await;
    let bearing = item_id(&app, "demo", "BRG-6310").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let line = po["lines"][0]["id"].as_str().expect("line").to_string();
    // two deliveries of the order's ten bearings: a lot of 6, then a lot of 4
    let mut lots = Vec::new();
    for q in ["6", "4"] {
        lots.extend(delivered(&app, (&warehouse, &engineer), &po, &line, q, &bin3).await);
    }
    let (older, newer) = (lots[0].clone(), lots[1].clone());
    // (status, events as "event quantity", places as "location quantity")
    let trace = |uid: String| {
        let (warehouse, app) = (&warehouse, &app);
        async move {
            let t = data_of(warehouse, app, &format!("/api/v1/uids/{uid}")).await;
            let list = |key: &str, name: &str| -> Vec<String> {
                t[key]
                    .as_array()
                    .map(|rows| {
                        rows.iter()
                            .map(|r| {
                                format!(
                                    "{} {}",
                                    r[name].as_str().unwrap_or_default(),
                                    r["quantity"].as_str().unwrap_or("-")
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            (
                t["status"].as_str().unwrap_or_default().to_string(),
                list("events", "event"),
                list("places", "location"),
            )
        }
    };
    // every place's lots add up to the bearings' stock there, after every step (the places of
    // this test: the demo's opening balance elsewhere came without UIDs)
    let consistent = || {
        let app = &app;
        async move {
            let off: i64 = sqlx::query_scalar(
                "select count(*) from stock_balances s
                  full join (select b.tenant_id, u.item_id, b.location_id, sum(b.quantity) as lots
                               from lot_balances b join uids u on u.tenant_id = b.tenant_id and u.id = b.uid_id
                              group by 1, 2, 3) l
                    on l.tenant_id = s.tenant_id and l.item_id = s.item_id and l.location_id = s.location_id
                  where coalesce(s.on_hand, 0) <> coalesce(l.lots, 0)
                    and coalesce(s.location_id, l.location_id) in (select id from locations
                          where code in ('MAI-WH1-R01-B01', 'MAI-WH1-R02-B01', 'PUN-WH1-R01-B01'))
                    and coalesce(s.item_id, l.item_id) in (select id from items where sku = 'BRG-6310')",
            )
            .fetch_one(&app.db.owner)
            .await
            .expect("balances");
            assert_eq!(off, 0, "lots and stock disagree");
        }
    };
    consistent().await;
    let (status, events, places) = trace(older.clone()).await;
    assert_eq!(status, "accepted");
    assert_eq!(events, vec!["received 6", "accepted 6"]);
    assert_eq!(places, vec!["MAI-WH1-R02-B01 6"]);

    // issuing 4 takes them from the older lot, which keeps the rest where it is
    let (status, issued) = issue(&warehouse, &app, issue_of(&bearing, &bin3, "4", &cc)).await;
    assert_eq!(status, 201, "{issued}");
    let (status, events, places) = trace(older.clone()).await;
    assert_eq!(status, "accepted");
    assert_eq!(events, vec!["received 6", "accepted 6", "issued 4"]);
    assert_eq!(places, vec!["MAI-WH1-R02-B01 2"]);
    assert_eq!(trace(newer.clone()).await.2, vec!["MAI-WH1-R02-B01 4"]);
    consistent().await;

    // a lot named by the request goes first, though it is the newer; its reversal puts it back
    let (status, named) = issue(&warehouse, &app, json!({
        "item_id": bearing, "location_id": bin3, "quantity": "1", "cost_centre_id": cc, "uids": [newer.to_lowercase()] })).await;
    assert_eq!(status, 201, "{named}");
    assert_eq!(trace(newer.clone()).await.2, vec!["MAI-WH1-R02-B01 3"]);
    assert_eq!(trace(older.clone()).await.2, vec!["MAI-WH1-R02-B01 2"]);
    let named_id = id_of(&named["data"]);
    let (status, rev) = reverse(&warehouse, &app, &named_id, "wrong lot").await;
    assert_eq!(status, 201, "{rev}");
    assert_eq!(trace(newer.clone()).await.2, vec!["MAI-WH1-R02-B01 4"]);
    consistent().await;
    // named lots are checked and must hold the quantity between them; nothing moves otherwise
    for (place, quantity, named, field, why) in [
        (&bin3, "1", vec![mistyped(&older)], "uids[0]", "check"),
        (&bin3, "3", vec![older.clone()], "uids", "hold less"),
        (
            &opening,
            "1",
            vec![older.clone()],
            "uids[0]",
            "not in stock here",
        ),
    ] {
        let (status, e) = issue(&warehouse, &app, json!({
            "item_id": bearing, "location_id": place, "quantity": quantity, "cost_centre_id": cc, "uids": named })).await;
        assert_eq!(status, 422, "{e}");
        assert!(
            e["error"]["details"][field]
                .as_str()
                .is_some_and(|m| m.contains(why)),
            "{field}: {e}"
        );
    }
    assert_eq!(trace(older.clone()).await.2, vec!["MAI-WH1-R02-B01 2"]);
    consistent().await;

    // moving 3 to another bin: the older lot's last 2, then 1 of the newer, which is now split
    let (status, m) = move_stock(&warehouse, &app, &bearing, (&bin3, &bin1), "3").await;
    assert_eq!(status, 200, "{m}");
    let (status, _, places) = trace(older.clone()).await;
    assert_eq!(
        (status.as_str(), places),
        ("transferred", vec!["MAI-WH1-R01-B01 2".to_string()])
    );
    let (status, events, places) = trace(newer.clone()).await;
    assert_eq!(status, "transferred");
    assert_eq!(
        events,
        vec![
            "received 4",
            "accepted 4",
            "issued 1",
            "accepted 1",
            "transferred 1"
        ]
    );
    assert_eq!(places, vec!["MAI-WH1-R01-B01 1", "MAI-WH1-R02-B01 3"]);
    consistent().await;

    // 2 of the newer lot to the other plant: on the road, then there
    let tid = sent(&app, &warehouse, &bearing, (&bin3, &pune), "2").await;
    let (_, events, places) = trace(newer.clone()).await;
    assert_eq!(events.last().map(String::as_str), Some("in_transit 2"));
    assert_eq!(places, vec!["MAI-WH1-R01-B01 1", "MAI-WH1-R02-B01 1"]);
    arrived(&app, &warehouse, &tid).await;
    let (_, events, places) = trace(newer.clone()).await;
    assert_eq!(events.last().map(String::as_str), Some("transferred 2"));
    assert_eq!(
        places,
        vec![
            "MAI-WH1-R01-B01 1",
            "MAI-WH1-R02-B01 1",
            "PUN-WH1-R01-B01 2"
        ]
    );
    consistent().await;

    // the first issue reversed: its 4 are back in the older lot, where they were taken
    let issue_id = id_of(&issued["data"]);
    let (status, rev) = reverse(&warehouse, &app, &issue_id, "issued to the wrong order").await;
    assert_eq!(status, 201, "{rev}");
    let (_, events, places) = trace(older.clone()).await;
    assert_eq!(events.last().map(String::as_str), Some("accepted 4"));
    assert_eq!(places, vec!["MAI-WH1-R01-B01 2", "MAI-WH1-R02-B01 4"]);
    consistent().await;

    // all of the older lot's stock in the first bin written off, then issued at the other: the
    // older lot (taken first at both) is gone, its status the last movement's
    let (status, adj) = adjust(
        &warehouse,
        &app,
        json!({
        "item_id": bearing, "location_id": bin1, "quantity": "-2", "reason": "rusted" }),
    )
    .await;
    assert_eq!(status, 201, "{adj}");
    assert_eq!(trace(older.clone()).await.0, "transferred");
    let (status, m) = issue(&warehouse, &app, issue_of(&bearing, &bin3, "4.5", &cc)).await;
    assert_eq!(status, 201, "{m}");
    let (status, events, places) = trace(older.clone()).await;
    assert_eq!(status, "issued");
    assert!(places.is_empty(), "{places:?}");
    assert_eq!(events.last().map(String::as_str), Some("issued 4"));
    // and half a bearing of the newer lot went with it
    assert_eq!(
        trace(newer.clone()).await.2,
        vec![
            "MAI-WH1-R01-B01 1",
            "MAI-WH1-R02-B01 0.5",
            "PUN-WH1-R01-B01 2"
        ]
    );
    consistent().await;

    // the rest of the newer lot in the other plant goes back on the road; what is left at home is
    // issued: with a part in transit the lot is not gone, and it arrives
    let tid = sent(&app, &warehouse, &bearing, (&pune, &bin3), "2").await;
    for (place, quantity) in [(&bin1, "1"), (&bin3, "0.5")] {
        let (status, m) = issue(&warehouse, &app, issue_of(&bearing, place, quantity, &cc)).await;
        assert_eq!(status, 201, "{m}");
    }
    let (status, _, places) = trace(newer.clone()).await;
    assert_eq!((status.as_str(), places.len()), ("transferred", 0));
    arrived(&app, &warehouse, &tid).await;
    assert_eq!(trace(newer.clone()).await.2, vec!["MAI-WH1-R02-B01 2"]);
    consistent().await;
}

/// Two lines of one item received in one receipt, into two places, make two lots; the requester
/// accepts them line by line, each lot at its own place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_lines_of_one_item_are_two_lots_accepted_each_at_its_place() {
    let app = TestApp::spawn().await;
    let bearing = item_id(&app, "demo", "BRG-6310").await;
    let po = ordered_lines(&app, |acme| {
        json!([
            { "item_id": bearing, "description": "Bearing 6310 for line 1", "quantity": "2", "unit": "pcs", "estimated_unit_price": "25.00", "supplier_id": acme },
            { "item_id": bearing, "description": "Bearing 6310 for line 2", "quantity": "3", "unit": "pcs", "estimated_unit_price": "25.00", "supplier_id": acme }
        ])
    })
    .await;
    let bin1 = location(&app, "demo", "MAI-WH1-R01-B01").await;
    let bin3 = location(&app, "demo", "MAI-WH1-R02-B01").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, r) = receive(&warehouse, &app, json!({
        "purchase_order_id": po["id"], "lines": [
            { "purchase_order_line_id": po["lines"][0]["id"], "accepted_quantity": "2", "location_id": bin1 },
            { "purchase_order_line_id": po["lines"][1]["id"], "accepted_quantity": "3", "location_id": bin3 }] })).await;
    assert_eq!(status, 201, "{r}");
    let rid = r["data"]["id"].as_str().expect("receipt").to_string();
    let (status, a) = accept(&engineer, &app, &rid).await;
    assert_eq!(status, 200, "{a}");
    for (i, want) in [(0, "MAI-WH1-R01-B01"), (1, "MAI-WH1-R02-B01")] {
        let uid = r["data"]["lines"][i]["uids"][0].as_str().expect("lot");
        let t = data_of(&warehouse, &app, &format!("/api/v1/uids/{uid}")).await;
        let accepted = t["events"]
            .as_array()
            .map(|e| e.iter().filter(|e| e["event"] == "accepted").count())
            .unwrap_or_default();
        assert_eq!(accepted, 1, "{t}");
        assert_eq!(t["places"][0]["location"], want, "{t}");
        assert_eq!(t["places"].as_array().map(Vec::len), Some(1), "{t}");
    }
}

/// What receiving shows of procurement's order, read through procurement's services: the
/// receiving form's open lines (SKU, serialised, quantities), the receipt's order number and
/// its lines in the order's line order with their descriptions, the item page's open order lines,
/// and the order's status and received quantities as the receipts leave them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipts_show_the_order_as_procurement_keeps_it() {
    let app = TestApp::spawn().await;
    let po = ordered(&app).await;
    let po_id = po["id"].as_str().expect("po").to_string();
    let line = |i: usize| po["lines"][i]["id"].clone();
    let bin1 = location(&app, "demo", "MAI-WH1-R01-B01").await;
    let bin3 = location(&app, "demo", "MAI-WH1-R02-B01").await;
    let brg = item_id(&app, "demo", "BRG-6310").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;

    // the receiving form: the order with its open lines and its plant's places
    let form = json_of(&warehouse, &app, "/sfn/receivable_orders").await;
    let mine = |form: &Value| {
        form.as_array()
            .and_then(|orders| orders.iter().find(|o| o["id"] == po_id.as_str()))
            .cloned()
    };
    let order = mine(&form).expect("the order can receive goods");
    assert_eq!(order["number"], po["number"]);
    assert_eq!(order["supplier"], "Acme Industrial Supply");
    let shown: Vec<(Value, Value, Value, Value, Value)> = order["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| {
                    (
                        l["description"].clone(),
                        l["sku"].clone(),
                        l["serialised"].clone(),
                        l["quantity"].clone(),
                        l["received_quantity"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        shown,
        vec![
            (
                json!("Bearing 6310"),
                json!("BRG-6310"),
                json!(false),
                json!("10"),
                json!("0")
            ),
            (
                json!("Proximity sensor M18"),
                json!("SEN-PRX-M18"),
                json!(true),
                json!("3"),
                json!("0")
            ),
            (
                json!("Calibration service"),
                Value::Null,
                json!(false),
                json!("1"),
                json!("0")
            ),
        ],
        "{order}"
    );
    assert!(
        order["locations"].as_array().is_some_and(|l| !l.is_empty()),
        "{order}"
    );
    // the item page: the bearing is on order
    let open_of = |detail: &Value| -> Vec<Value> {
        detail["open_orders"]
            .as_array()
            .map(|o| {
                o.iter()
                    .filter(|o| o["purchase_order_id"] == po_id.as_str())
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let detail = data_of(&warehouse, &app, &format!("/api/v1/items/{brg}/stock")).await;
    let open = open_of(&detail);
    assert_eq!(open.len(), 1, "{detail}");
    assert_eq!(
        (
            &open[0]["number"],
            &open[0]["supplier"],
            &open[0]["status"],
            &open[0]["ordered"],
            &open[0]["received"]
        ),
        (
            &po["number"],
            &json!("Acme Industrial Supply"),
            &json!("approved"),
            &json!("10"),
            &json!("0")
        ),
        "{detail}"
    );

    // a receipt given out of line order comes back in line order, with the order's number
    let (status, r) = receive(&warehouse, &app, json!({
        "purchase_order_id": po_id, "lines": [
            { "purchase_order_line_id": line(2), "accepted_quantity": "1" },
            { "purchase_order_line_id": line(0), "accepted_quantity": "6", "location_id": bin1 }] })).await;
    assert_eq!(status, 201, "{r}");
    let receipt = r["data"].clone();
    assert_eq!(receipt["purchase_order"], po["number"]);
    let descriptions: Vec<&str> = receipt["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .filter_map(|l| l["description"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(descriptions, vec!["Bearing 6310", "Calibration service"]);
    let rid = receipt["id"].as_str().expect("receipt").to_string();
    let again = data_of(
        &warehouse,
        &app,
        &format!("/api/v1/inventory/receipts/{rid}"),
    )
    .await;
    assert_eq!(again, receipt);

    // what is left: the order partially received, its open lines and the item page say so
    let po_now = data_of(&engineer, &app, &format!("/api/v1/purchase-orders/{po_id}")).await;
    assert_eq!(po_now["status"], "partially_received");
    let received: Vec<&str> = po_now["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .filter_map(|l| l["received_quantity"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(received, vec!["6", "0", "1"]);
    let order = mine(&json_of(&warehouse, &app, "/sfn/receivable_orders").await).expect("open");
    let left: Vec<(&str, &str)> = order["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .filter_map(|l| {
                    Some((l["description"].as_str()?, l["received_quantity"].as_str()?))
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        left,
        vec![("Bearing 6310", "6"), ("Proximity sensor M18", "0")]
    );
    let detail = data_of(&warehouse, &app, &format!("/api/v1/items/{brg}/stock")).await;
    let open = open_of(&detail);
    assert_eq!(
        (open.len(), &open[0]["status"], &open[0]["received"]),
        (1, &json!("partially_received"), &json!("6")),
        "{detail}"
    );

    // the rest arrives: the order is received, no longer on the form nor on the item page
    let (status, r) = receive(&warehouse, &app, json!({
        "purchase_order_id": po_id, "lines": [
            { "purchase_order_line_id": line(1), "accepted_quantity": "3", "location_id": bin3 },
            { "purchase_order_line_id": line(0), "accepted_quantity": "4", "location_id": bin1 }] })).await;
    assert_eq!(status, 201, "{r}");
    let po_now = data_of(&engineer, &app, &format!("/api/v1/purchase-orders/{po_id}")).await;
    assert_eq!(po_now["status"], "received");
    assert!(mine(&json_of(&warehouse, &app, "/sfn/receivable_orders").await).is_none());
    let detail = data_of(&warehouse, &app, &format!("/api/v1/items/{brg}/stock")).await;
    assert!(open_of(&detail).is_empty(), "{detail}");
    // a received order takes no more
    let (status, _) = receive(&warehouse, &app, receipt_of(&po_id, &line(0), &bin1)).await;
    assert_eq!(status, 422);
    // a line of another order is not this order's
    let other = ordered(&app).await;
    let (status, e) = receive(&warehouse, &app, json!({
        "purchase_order_id": other["id"], "lines": [
            { "purchase_order_line_id": line(0), "accepted_quantity": "1", "location_id": bin1 }] })).await;
    assert_eq!(status, 422);
    assert!(
        e["error"]["details"]["lines[0].purchase_order_line_id"].is_string(),
        "{e}"
    );
}

fn receipt_of(po: &str, line: &Value, location: &str) -> Value {
    json!({ "purchase_order_id": po, "lines": [
        { "purchase_order_line_id": line, "accepted_quantity": "1", "location_id": location }
    ]})
}

/// The item editor's server functions and REST are one service: the same item, the same refusals;
/// the editor offers the categories by path and the GST fields to a tenant in INR; HSN/SAC and GST
/// rate are kept; the page is the administrator's, translated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_item_editor_and_rest_save_the_same_item_with_its_tax_facts() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("saif", "admin").await;
    let body = json!({
        "id": null,
        "input": {
            "sku": "VLV-GATE-25", "names": { "en": "Gate valve 25 mm", "bn": "গেট ভালভ ২৫ মিমি", "ar": "صمام بوابة 25 مم" },
            "descriptions": { "en": "Bronze, PN16" }, "unit": "PCS", "material_type": "SP",
            "reorder_level": "3", "reorder_quantity": "6", "serialised": false,
            "hsn_sac": "848180", "gst_rate": "18", "specs": { "size": "25 mm" }, "active": true
        }
    });
    let res = admin
        .post(app.url("/sfn/save_item"))
        .json(&body)
        .send()
        .await
        .expect("save");
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.expect("json");
    assert_eq!(saved["hsn_sac"], "848180");
    assert_eq!(saved["gst_rate"], "18");
    let id = id_of(&saved);
    let got = data_of(&admin, &app, &format!("/api/v1/items/{id}")).await;
    for field in [
        "sku",
        "names",
        "descriptions",
        "unit",
        "material_type",
        "hsn_sac",
        "gst_rate",
        "specs",
    ] {
        assert_eq!(got[field], saved[field], "{field}");
    }

    // the same refusals by both doors
    let bad = json!({ "sku": "VLV-2", "names": { "en": "Valve" }, "unit": "PCS", "hsn_sac": "84A1", "gst_rate": "18.125" });
    let (status, rest) = post(&admin, &app, "/api/v1/items", bad.clone()).await;
    assert_eq!(status, 422);
    let res = admin
        .post(app.url("/sfn/save_item"))
        .json(&json!({ "id": null, "input": bad }))
        .send()
        .await
        .expect("save");
    assert_eq!(res.status(), 422);
    let sfn: Value = res.json().await.expect("json");
    for field in ["hsn_sac", "gst_rate"] {
        assert!(
            rest["error"]["details"][field].is_string(),
            "{field}: {rest}"
        );
        assert!(sfn.to_string().contains(field), "{field}: {sfn}");
    }
    let kept: i64 = sqlx::query_scalar("select count(*) from items where sku = 'VLV-2'")
        .fetch_one(&app.db.owner)
        .await
        .expect("count");
    assert_eq!(kept, 0, "nothing kept");

    // what the editor offers: categories by path, units in use, GST for an INR tenant
    let options = json_of(&admin, &app, "/sfn/item_editor_options").await;
    assert_eq!(options["gst"], true, "{options}");
    assert!(
        options["units"].as_array().is_some_and(|u| !u.is_empty()),
        "{options}"
    );
    let paths: Vec<&str> = options["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|c| c[1].as_str())
        .collect();
    assert!(!paths.is_empty(), "{options}");
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "by path");
    // the engineer does not keep the master
    let demo_admin = app.logged_in("demo", "admin").await;
    let usd = json_of(&demo_admin, &app, "/sfn/item_editor_options").await;
    assert_eq!(usd["gst"], false, "no GST fields for a USD tenant: {usd}");
    let engineer = app.logged_in("saif", "engineer").await;
    let res = engineer
        .get(app.url("/sfn/item_editor_options"))
        .send()
        .await
        .expect("options");
    assert_eq!(res.status(), 403);

    // the pages: the new-item link for the administrator, the editor translated
    set_language(&admin, &app, "hi").await;
    set_language(&engineer, &app, "hi").await;
    let list = page(&admin, &app, "/inventory").await;
    assert!(list.contains("href=\"/inventory/items/new\""), "{list}");
    assert!(list.contains("नई वस्तु"), "translated link");
    let editor = page(&admin, &app, &format!("/inventory/items/{id}/edit")).await;
    assert!(editor.contains("वस्तु संपादित करें"), "{editor}");
    let item_page = page(&admin, &app, &format!("/inventory/items/{id}")).await;
    assert!(
        item_page.contains(&format!("/inventory/items/{id}/edit")),
        "edit link"
    );
    assert!(item_page.contains("848180"), "HSN shown");
    let engineer_page = page(&engineer, &app, "/inventory").await;
    assert!(
        !engineer_page.contains("/inventory/items/new"),
        "no link for readers"
    );
}
