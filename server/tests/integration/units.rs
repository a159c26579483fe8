//! Units of measure and conversions: their REST and its refusals, another tenant's (404), the
//! starter units of a new tenant, and a requisition in boxes of an item kept in pieces raised,
//! ordered, received and issued, the stock ledger in pieces; the screen on the server.
use crate::common::*;
use serde_json::{json, Value};

const DEMO: &str = "(select id from tenants where slug = 'demo')";

async fn units_count(app: &TestApp) -> i64 {
    count_of(app, "select count(*) from units").await
}

async fn conversions_count(app: &TestApp) -> i64 {
    count_of(app, "select count(*) from unit_conversions").await
}

fn unit_named<'a>(list: &'a Value, code: &str) -> Option<&'a Value> {
    list["data"]["units"]
        .as_array()?
        .iter()
        .find(|u| u["code"] == code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn units_are_kept_by_those_who_keep_the_item_master_and_read_by_everyone() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let warehouse = app.logged_in("demo", "warehouse").await;

    // the starter units, named in the reader's language
    let list = json_of(&engineer, &app, "/api/v1/units").await;
    for code in ["PCS", "BOX", "KG", "G", "M", "L", "PAIR"] {
        assert!(unit_named(&list, code).is_some(), "{code}: {list}");
    }
    let pcs = unit_named(&list, "PCS").expect("PCS").clone();
    assert_eq!(pcs["name"], "Pieces");
    assert_eq!(pcs["names"]["hi"], "नग");
    assert_eq!(pcs["decimals"], 0);
    assert_eq!(unit_named(&list, "KG").expect("KG")["decimals"], 3);
    let saif = app.logged_in("saif", "engineer").await;
    let theirs = json_of(&saif, &app, "/api/v1/units").await;
    assert_eq!(unit_named(&theirs, "PCS").expect("saif's")["name"], "नग");

    // only inventory:manage changes them
    let before = units_count(&app).await;
    let carton =
        json!({ "code": "CTN", "names": { "en": "Carton", "hi": "कार्टन" }, "decimals": 0 });
    let (status, e) = post(&engineer, &app, "/api/v1/units", carton.clone()).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (403, Some("FORBIDDEN")),
        "{e}"
    );
    let (status, ctn) = post(&warehouse, &app, "/api/v1/units", carton).await;
    assert_eq!(status, 201, "{ctn}");
    assert_eq!(ctn["data"]["code"], "CTN");
    assert_eq!(ctn["data"]["active"], true);
    let ctn_id = id_of(&ctn["data"]);
    assert_eq!(units_count(&app).await, before + 1);

    // a code taken in any case: 409; bad fields: 422 naming each; nothing written
    let (status, e) = post(
        &warehouse,
        &app,
        "/api/v1/units",
        json!({ "code": "ctn", "names": { "en": "Carton again" }, "decimals": 0 }),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("CONFLICT")),
        "{e}"
    );
    assert!(e["error"]["details"]["code"].is_string(), "{e}");
    let (status, e) = post(
        &warehouse,
        &app,
        "/api/v1/units",
        json!({ "code": "SQ M", "names": { "hi": "वर्ग मीटर", "xx": "?" }, "decimals": 7 }),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("VALIDATION_ERROR")),
        "{e}"
    );
    for field in ["code", "names.en", "names.xx", "decimals"] {
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    assert_eq!(units_count(&app).await, before + 1);

    // read, replaced; an unused unit's code may change, a used one's may not
    let path = format!("/api/v1/units/{ctn_id}");
    let got = data_of(&engineer, &app, &path).await;
    assert_eq!(got["names"]["hi"], "कार्टन");
    let (status, u) = put(
        &warehouse,
        &app,
        &path,
        json!({ "code": "CRT", "names": { "en": "Crate" }, "decimals": 1, "active": false }),
    )
    .await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(
        (
            u["data"]["code"].as_str(),
            u["data"]["decimals"].as_i64(),
            u["data"]["active"].as_bool()
        ),
        (Some("CRT"), Some(1), Some(false))
    );
    let pcs_path = format!("/api/v1/units/{}", pcs["id"].as_str().unwrap_or_default());
    let (status, e) = put(
        &warehouse,
        &app,
        &pcs_path,
        json!({ "code": "NOS", "names": { "en": "Numbers" }, "decimals": 0 }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["code"].is_string(), "{e}");
    let (status, u) = put(
        &warehouse,
        &app,
        &pcs_path,
        json!({ "code": "PCS", "names": { "en": "Pieces", "bn": "পিস" }, "decimals": 0 }),
    )
    .await;
    assert_eq!(status, 200, "names change: {u}");

    // another tenant's unit is not found, to read or to change
    let saif_wh = app.logged_in("saif", "warehouse").await;
    let (status, _) = get(&saif_wh, &app, &path).await;
    assert_eq!(status, 404);
    let (status, _) = put(
        &saif_wh,
        &app,
        &path,
        json!({ "code": "X", "names": { "en": "X" }, "decimals": 0 }),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(
        &warehouse,
        &app,
        "/api/v1/units/00000000-0000-0000-0000-000000000001",
    )
    .await;
    assert_eq!(status, 404);

    // items name a unit of the tenant, in any case; an unknown or inactive one is refused
    let (status, e) = post(
        &warehouse,
        &app,
        "/api/v1/items",
        json!({
        "sku": "CRT-1", "names": { "en": "Crated thing" }, "unit": "crt" }),
    )
    .await;
    assert_eq!(status, 422, "inactive: {e}");
    assert!(e["error"]["details"]["unit"].is_string(), "{e}");
    let (status, e) = post(
        &warehouse,
        &app,
        "/api/v1/items",
        json!({
        "sku": "XYZ-1", "names": { "en": "Thing" }, "unit": "furlong" }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["unit"].is_string(), "{e}");
    let (status, item) = post(
        &warehouse,
        &app,
        "/api/v1/items",
        json!({
        "sku": "SCR-M4", "names": { "en": "Screw M4" }, "unit": "box" }),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(
        item["data"]["unit"], "BOX",
        "written as the company writes the code"
    );
    // an item whose stock never moved may change its unit; one whose stock moved may not
    let screw = format!("/api/v1/items/{}", id_of(&item["data"]));
    let (status, item) = put(
        &warehouse,
        &app,
        &screw,
        json!({
        "sku": "SCR-M4", "names": { "en": "Screw M4" }, "unit": "PCS" }),
    )
    .await;
    assert_eq!(
        (status, item["data"]["unit"].as_str()),
        (200, Some("PCS")),
        "{item}"
    );
    let bearing = format!("/api/v1/items/{}", item_id(&app, "demo", "BRG-6310").await);
    let (status, e) = put(
        &warehouse,
        &app,
        &bearing,
        json!({
        "sku": "BRG-6310", "names": { "en": "Deep groove ball bearing 6310" }, "unit": "BOX" }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["unit"].is_string(), "{e}");
    assert_eq!(data_of(&warehouse, &app, &bearing).await["unit"], "PCS");
    // the database holds the rule too
    let fk = sqlx::query(&format!(
        "update items set unit = 'furlong' where tenant_id = {DEMO} and sku = 'SCR-M4'"
    ))
    .execute(&app.db.owner)
    .await;
    assert!(fk.is_err(), "items.unit is a unit of the tenant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversions_and_their_refusals() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let conv = "/api/v1/units/conversions";
    let before = conversions_count(&app).await;
    let list = data_of(&engineer, &app, conv).await;
    let general: Vec<String> = list["conversions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| {
            format!(
                "1 {} = {} {}",
                c["from_unit"].as_str().unwrap_or(""),
                c["factor"].as_str().unwrap_or(""),
                c["to_unit"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        general.contains(&"1 KG = 1000 G".to_string()),
        "{general:?}"
    );

    let (status, e) = post(
        &engineer,
        &app,
        conv,
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "12" }),
    )
    .await;
    assert_eq!(status, 403, "{e}");
    let (status, boxed) = post(
        &warehouse,
        &app,
        conv,
        json!({ "from_unit": "box", "to_unit": "PCS", "factor": "12" }),
    )
    .await;
    assert_eq!(status, 201, "{boxed}");
    assert_eq!(
        (
            boxed["data"]["from_unit"].as_str(),
            boxed["data"]["factor"].as_str()
        ),
        (Some("BOX"), Some("12"))
    );
    let box_id = id_of(&boxed["data"]);

    // the same pair either way round: 409; to itself, a factor not above zero, unknown units: 422
    let (status, e) = post(
        &warehouse,
        &app,
        conv,
        json!({ "from_unit": "PCS", "to_unit": "BOX", "factor": "0.5" }),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("CONFLICT")),
        "{e}"
    );
    for (body, field) in [
        (
            json!({ "from_unit": "BOX", "to_unit": "box", "factor": "1" }),
            "to_unit",
        ),
        (
            json!({ "from_unit": "BOX", "to_unit": "KG", "factor": "0" }),
            "factor",
        ),
        (
            json!({ "from_unit": "BOX", "to_unit": "KG", "factor": "-3" }),
            "factor",
        ),
        (
            json!({ "from_unit": "HOGSHEAD", "to_unit": "L", "factor": "238" }),
            "from_unit",
        ),
        (
            json!({ "from_unit": "L", "to_unit": "HOGSHEAD", "factor": "0.004" }),
            "to_unit",
        ),
        (
            json!({ "from_unit": "BOX", "to_unit": "KG", "factor": "2", "item_id": "00000000-0000-0000-0000-000000000001" }),
            "item_id",
        ),
    ] {
        let (status, e) = post(&warehouse, &app, conv, body.clone()).await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (422, Some("VALIDATION_ERROR")),
            "{body}: {e}"
        );
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    // another tenant's item is unknown
    let saif_item = item_id(&app, "saif", "BRG-6310").await;
    let (status, e) = post(
        &warehouse,
        &app,
        conv,
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "10", "item_id": saif_item }),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["item_id"].is_string(), "{e}");
    assert_eq!(conversions_count(&app).await, before + 1);

    // an item's own conversion beside the general one; replaced; deleted
    let bearing = item_id(&app, "demo", "BRG-6310").await;
    let (status, own) = post(
        &warehouse,
        &app,
        conv,
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "100", "item_id": bearing }),
    )
    .await;
    assert_eq!(status, 201, "{own}");
    assert_eq!(own["data"]["item_sku"], "BRG-6310");
    let own_path = format!("{conv}/{}", id_of(&own["data"]));
    let (status, own) = put(
        &warehouse,
        &app,
        &own_path,
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "50", "item_id": bearing }),
    )
    .await;
    assert_eq!(
        (status, own["data"]["factor"].as_str()),
        (200, Some("50")),
        "{own}"
    );
    let (status, e) = put(
        &warehouse,
        &app,
        &own_path,
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "12" }),
    )
    .await;
    assert_eq!(status, 409, "now the general one's twin: {e}");

    // another tenant cannot see, change or delete them
    let saif_wh = app.logged_in("saif", "warehouse").await;
    let theirs = data_of(&saif_wh, &app, conv).await;
    assert!(!theirs.to_string().contains(&box_id), "{theirs}");
    let (status, _) = delete(&saif_wh, &app, &own_path).await;
    assert_eq!(status, 404);
    let (status, _) = put(
        &saif_wh,
        &app,
        &own_path,
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "1" }),
    )
    .await;
    assert_eq!(status, 404);

    let (status, d) = delete(&warehouse, &app, &own_path).await;
    assert_eq!(
        (status, d["data"]["deleted"].as_bool()),
        (200, Some(true)),
        "{d}"
    );
    let (status, _) = delete(&warehouse, &app, &own_path).await;
    assert_eq!(status, 404);
    assert_eq!(conversions_count(&app).await, before + 1);
}

/// An approved requisition of `lines` (given ACME's id), ordered from ACME: the PO.
async fn ordered(app: &TestApp, lines: impl FnOnce(&str) -> Value) -> Value {
    let engineer = app.logged_in("demo", "engineer").await;
    let acme = id_where(
        app,
        &format!("select id from suppliers where tenant_id = {DEMO} and code = 'ACME'"),
    )
    .await;
    let body = json!({ "purpose": "daily_operations", "lines": lines(&acme) });
    let req = drafted(&engineer, app, body).await;
    let id = id_of(&req);
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
    orders[0].clone()
}

async fn on_hand(app: &TestApp, sku: &str) -> String {
    sqlx::query_scalar::<_, rust_decimal::Decimal>(&format!(
        "select coalesce(sum(b.on_hand), 0) from stock_balances b join items i on i.tenant_id = b.tenant_id and i.id = b.item_id
          where i.tenant_id = {DEMO} and i.sku = '{sku}'"
    ))
    .fetch_one(&app.db.owner)
    .await
    .expect("on hand")
    .normalize()
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requisition_in_boxes_is_ordered_received_and_issued_in_pieces() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let bearing = item_id(&app, "demo", "BRG-6310").await;
    let (status, c) = post(
        &warehouse,
        &app,
        "/api/v1/units/conversions",
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "12" }),
    )
    .await;
    assert_eq!(status, 201, "{c}");

    // a unit that does not convert to the item's, or more places than the unit allows: 422 on
    // the line, translated, nothing written
    let requisitions = count_of(&app, "select count(*) from requisitions").await;
    let line = |quantity: &str, unit: &str| {
        json!({ "purpose": "daily_operations", "lines": [
        { "description": "Bearing 6310", "quantity": "1", "unit": "pcs", "estimated_unit_price": "20" },
        { "item_id": bearing, "description": "Bearing 6310", "quantity": quantity, "unit": unit, "estimated_unit_price": "300" }] })
    };
    let (status, e) = post(&engineer, &app, "/api/v1/requisitions", line("2", "KG")).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("VALIDATION_ERROR")),
        "{e}"
    );
    let message = e["error"]["details"]["lines[1].unit"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("does not convert"), "{e}");
    // in the requester's language (saif's engineer reads Hindi)
    let saif = app.logged_in("saif", "engineer").await;
    let saif_bearing = item_id(&app, "saif", "BRG-6310").await;
    let (status, e) = post(&saif, &app, "/api/v1/requisitions", json!({ "purpose": "daily_operations", "lines": [
        { "item_id": saif_bearing, "description": "Bearing 6310", "quantity": "2", "unit": "KG", "estimated_unit_price": "300" }] })).await;
    assert_eq!(status, 422, "{e}");
    assert!(
        e["error"]["details"]["lines[0].unit"]
            .as_str()
            .unwrap_or_default()
            .contains("इकाई"),
        "in Hindi: {e}"
    );
    let (status, e) = post(&engineer, &app, "/api/v1/requisitions", line("2.5", "BOX")).await;
    assert_eq!(status, 422, "{e}");
    assert!(
        e["error"]["details"]["lines[1].quantity"].is_string(),
        "{e}"
    );
    assert_eq!(
        count_of(&app, "select count(*) from requisitions").await,
        requisitions
    );

    // raised in boxes: the line keeps 2 BOX (the code as the company writes it), the PO carries it
    let stock_before = on_hand(&app, "BRG-6310").await;
    let po = ordered(&app, |acme| json!([
        { "item_id": bearing, "description": "Bearing 6310", "quantity": "2", "unit": "box", "estimated_unit_price": "300.00", "supplier_id": acme }
    ])).await;
    assert_eq!(
        (
            po["lines"][0]["quantity"].as_str(),
            po["lines"][0]["unit"].as_str()
        ),
        (Some("2"), Some("BOX")),
        "{po}"
    );
    let po_id = po["id"].as_str().expect("po").to_string();
    let po_line = po["lines"][0]["id"].as_str().expect("line").to_string();

    // received: 2 BOX enter stock as 24 PCS, at 25.00 a piece
    let bin = location(&app, "demo", "MAI-WH1-R01-B01").await;
    let (status, r) = post(&warehouse, &app, "/api/v1/inventory/receive", json!({
        "purchase_order_id": po_id, "lines": [{ "purchase_order_line_id": po_line, "accepted_quantity": "2", "location_id": bin }] })).await;
    assert_eq!(status, 201, "{r}");
    let rl = &r["data"]["lines"][0];
    assert_eq!(
        (
            rl["accepted_quantity"].as_str(),
            rl["unit"].as_str(),
            rl["stock_quantity"].as_str(),
            rl["stock_unit"].as_str()
        ),
        (Some("2"), Some("BOX"), Some("24"), Some("PCS")),
        "{r}"
    );
    let before: rust_decimal::Decimal = stock_before.parse().expect("decimal");
    assert_eq!(
        on_hand(&app, "BRG-6310").await,
        (before + rust_decimal::Decimal::from(24)).to_string()
    );
    let (quantity, cost): (rust_decimal::Decimal, Option<rust_decimal::Decimal>) = sqlx::query_as(&format!(
        "select m.quantity, m.unit_cost from stock_movements m join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
          where m.tenant_id = {DEMO} and i.sku = 'BRG-6310' and m.kind = 'receipt'"
    ))
    .fetch_one(&app.db.owner)
    .await
    .expect("the receipt's movement");
    assert_eq!(
        (
            quantity.normalize().to_string(),
            cost.map(|c| c.normalize().to_string())
        ),
        ("24".into(), Some("25".into()))
    );
    let received: rust_decimal::Decimal = sqlx::query_scalar(&format!(
        "select received_quantity from purchase_order_lines where tenant_id = {DEMO} and id = '{po_line}'"
    ))
    .fetch_one(&app.db.owner)
    .await
    .expect("received");
    assert_eq!(
        received.normalize().to_string(),
        "2",
        "the order counts boxes"
    );
    // the receipt shows both: what was ordered and what it came to in stock
    let receipt = id_of(&r["data"]);
    let html = page(&warehouse, &app, &format!("/inventory/receipts/{receipt}")).await;
    let shown = html.find("BOX").map(|i| {
        html[i.saturating_sub(60)..]
            .chars()
            .take(120)
            .collect::<String>()
    });
    assert!(
        html.contains("✓ 2 BOX (24 PCS)"),
        "2 BOX (24 PCS) on the receipt: {shown:?}"
    );
    // the requester accepts: the 24 pieces become available
    let (status, a) = post(
        &engineer,
        &app,
        &format!("/api/v1/inventory/receipts/{receipt}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let available: rust_decimal::Decimal = sqlx::query_scalar(&format!(
        "select available from stock_balances b join items i on i.tenant_id = b.tenant_id and i.id = b.item_id
          where i.tenant_id = {DEMO} and i.sku = 'BRG-6310' and b.location_id = '{bin}'"
    ))
    .fetch_one(&app.db.owner)
    .await
    .expect("available");
    assert!(available >= rust_decimal::Decimal::from(24), "{available}");

    // issued in boxes: the ledger says pieces
    let cc = cost_centre(&app, "demo").await;
    let movements = count_of(&app, "select count(*) from stock_movements").await;
    let mut boxed = issue_of(&bearing, &bin, "1", &cc);
    boxed["unit"] = json!("BOX");
    let (status, m) = issue(&warehouse, &app, boxed.clone()).await;
    assert_eq!(status, 201, "{m}");
    assert_eq!(m["data"]["quantity"].as_str(), Some("-12"), "{m}");
    assert_eq!(
        on_hand(&app, "BRG-6310").await,
        (before + rust_decimal::Decimal::from(12)).to_string()
    );
    // half a box is more places than a box allows; kilograms do not convert: nothing written
    let movements_after = count_of(&app, "select count(*) from stock_movements").await;
    assert_eq!(movements_after, movements + 1);
    boxed["quantity"] = json!("0.5");
    let (status, e) = issue(&warehouse, &app, boxed.clone()).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["quantity"].is_string(), "{e}");
    boxed["quantity"] = json!("1");
    boxed["unit"] = json!("KG");
    let (status, e) = issue(&warehouse, &app, boxed).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["unit"].is_string(), "{e}");
    assert_eq!(
        count_of(&app, "select count(*) from stock_movements").await,
        movements_after
    );
    assert_eq!(
        on_hand(&app, "BRG-6310").await,
        (before + rust_decimal::Decimal::from(12)).to_string()
    );

    // the item page's issue form names the unit too (the item's, PCS, when left empty), and its
    // server function issues a box as the REST door does
    let html = page(&warehouse, &app, &format!("/inventory/items/{bearing}")).await;
    assert!(html.contains("id=\"issue-unit\""), "the issue form's unit");
    assert!(
        html.contains("placeholder=\"PCS\""),
        "the item's unit as the default"
    );
    let res = warehouse
        .post(app.url("/sfn/stock_action"))
        .json(&json!({ "action": { "Issue": {
            "item_id": bearing, "location_id": bin, "quantity": "1", "cost_centre_id": cc, "unit": "BOX"
        } } }))
        .send()
        .await
        .expect("stock action");
    assert_eq!(res.status(), 200);
    assert_eq!(
        on_hand(&app, "BRG-6310").await,
        before.to_string(),
        "a second box of 12 issued from the page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_s_own_conversion_wins_when_receiving() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let bearing = item_id(&app, "demo", "BRG-6310").await;
    for body in [
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "12" }),
        json!({ "from_unit": "PCS", "to_unit": "BOX", "factor": "0.1", "item_id": bearing }),
    ] {
        let (status, c) = post(&warehouse, &app, "/api/v1/units/conversions", body).await;
        assert_eq!(status, 201, "{c}");
    }
    let po = ordered(&app, |acme| json!([
        { "item_id": bearing, "description": "Bearing 6310", "quantity": "3", "unit": "BOX", "estimated_unit_price": "100", "supplier_id": acme }
    ])).await;
    let bin = location(&app, "demo", "MAI-WH1-R01-B01").await;
    let (status, r) = post(&warehouse, &app, "/api/v1/inventory/receive", json!({
        "purchase_order_id": po["id"], "lines": [{ "purchase_order_line_id": po["lines"][0]["id"], "accepted_quantity": "3", "location_id": bin }] })).await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(
        r["data"]["lines"][0]["stock_quantity"], "30",
        "a box of ten for this item: {r}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_company_starts_with_translated_units() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (status, res) = post(&c, &app, "/api/v1/signup", json!({
        "company_name": "Vizag Fasteners", "slug": "vizag-fasteners", "currency": "INR",
        "time_zone": "Asia/Kolkata", "default_language": "te",
        "admin": { "username": "anil", "display_name": "Anil", "email": "anil@vizag.example.in", "password": "a-long-enough-secret" }
    })).await;
    assert_eq!(status, 201, "{res}");
    let list = data_of(&c, &app, "/api/v1/units").await;
    let units = list["units"].as_array().expect("units");
    assert_eq!(units.len(), 9, "{list}");
    let kg = units.iter().find(|u| u["code"] == "KG").expect("KG");
    assert_eq!(kg["name"], "కిలోగ్రాము", "in the administrator's language");
    for lang in ["en", "hi", "bn", "te", "ar"] {
        assert!(kg["names"][lang].is_string(), "{lang}: {kg}");
    }
    // its first item, in one of them
    let (status, item) = post(
        &c,
        &app,
        "/api/v1/items",
        json!({
        "sku": "BLT-M8", "names": { "en": "Bolt M8" }, "unit": "pcs" }),
    )
    .await;
    assert_eq!(status, 201, "{item}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_doors_give_the_same_answer() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let rest = data_of(&warehouse, &app, "/api/v1/units").await;
    let sfn: Value = warehouse
        .get(app.url("/sfn/list_units"))
        .send()
        .await
        .expect("sfn")
        .json()
        .await
        .expect("json");
    assert_eq!(rest["units"], sfn, "the same list");
    // the same refusal: a duplicate, then bad fields
    let bad = json!({ "code": "A B", "names": {}, "decimals": 9 });
    let (status, e) = post(&warehouse, &app, "/api/v1/units", bad.clone()).await;
    assert_eq!(status, 422);
    let res = warehouse
        .post(app.url("/sfn/save_unit"))
        .json(&json!({ "id": null, "input": bad }))
        .send()
        .await
        .expect("sfn");
    assert_eq!(res.status().as_u16(), 422);
    let sfn_err: Value = res.json().await.expect("json");
    let rest_fields: Vec<String> = e["error"]["details"]
        .as_object()
        .expect("details")
        .keys()
        .cloned()
        .collect();
    let sfn_fields: Vec<String> = sfn_err["fields"]
        .as_object()
        .expect("fields")
        .keys()
        .cloned()
        .collect();
    assert_eq!(rest_fields, sfn_fields, "{e} / {sfn_err}");
    let dup = json!({ "code": "pcs", "names": { "en": "Pieces" }, "decimals": 0 });
    let (status, _) = post(&warehouse, &app, "/api/v1/units", dup.clone()).await;
    assert_eq!(status, 409);
    let res = warehouse
        .post(app.url("/sfn/save_unit"))
        .json(&json!({ "id": null, "input": dup }))
        .send()
        .await
        .expect("sfn");
    assert_eq!(res.status().as_u16(), 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_units_screen_renders_translated_on_the_server() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    set_language(&warehouse, &app, "hi").await;
    let html = page(&warehouse, &app, "/inventory/units").await;
    assert!(html.contains("माप की इकाइयाँ"), "the title in Hindi");
    assert!(
        html.contains(r#"href="/inventory/units""#),
        "the inventory tab"
    );
    set_language(&warehouse, &app, "ar").await;
    let html = page(&warehouse, &app, "/inventory/units").await;
    assert!(html.contains(r#"dir="rtl""#), "right to left");
    assert!(html.contains("وحدات القياس"), "the title in Arabic");
    // an engineer reads the page but has no tab to it
    let engineer = app.logged_in("demo", "engineer").await;
    let html = page(&engineer, &app, "/inventory/units").await;
    assert!(html.contains("Units of measure"), "{html}");
    assert!(
        !html.contains(r#"href="/inventory/units""#),
        "no tab without inventory:manage"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unconvertible_unit_is_refused_when_editing_receiving_and_importing() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let bearing = item_id(&app, "demo", "BRG-6310").await;
    let (status, c) = post(
        &warehouse,
        &app,
        "/api/v1/units/conversions",
        json!({ "from_unit": "BOX", "to_unit": "PCS", "factor": "12" }),
    )
    .await;
    assert_eq!(status, 201, "{c}");
    let conversion = format!("/api/v1/units/conversions/{}", id_of(&c["data"]));

    // a draft edited into a unit with no conversion: 422 on the line, the draft as it was
    let draft = drafted(&engineer, &app, json!({ "purpose": "daily_operations", "lines": [
        { "item_id": bearing, "description": "Bearing 6310", "quantity": "1", "unit": "BOX", "estimated_unit_price": "300" }] })).await;
    let path = format!("/api/v1/requisitions/{}", id_of(&draft));
    let (status, e) = put(&engineer, &app, &path, json!({ "purpose": "daily_operations", "lines": [
        { "item_id": bearing, "description": "Bearing 6310", "quantity": "1", "unit": "L", "estimated_unit_price": "300" }] })).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["lines[0].unit"].is_string(), "{e}");
    let kept = data_of(&engineer, &app, &path).await;
    assert_eq!(kept["lines"][0]["unit"], "BOX", "{kept}");

    // ordered in boxes; the conversion deleted meanwhile: the receipt is refused, nothing written
    let po = ordered(&app, |acme| json!([
        { "item_id": bearing, "description": "Bearing 6310", "quantity": "1", "unit": "BOX", "estimated_unit_price": "300", "supplier_id": acme }
    ])).await;
    let (status, _) = delete(&warehouse, &app, &conversion).await;
    assert_eq!(status, 200);
    let bin = location(&app, "demo", "MAI-WH1-R01-B01").await;
    let receipts = count_of(&app, "select count(*) from goods_receipts").await;
    let movements = count_of(&app, "select count(*) from stock_movements").await;
    let body = json!({ "purchase_order_id": po["id"], "lines": [
        { "purchase_order_line_id": po["lines"][0]["id"], "accepted_quantity": "1", "location_id": bin }] });
    let (status, e) = post(&warehouse, &app, "/api/v1/inventory/receive", body.clone()).await;
    assert_eq!(status, 422, "{e}");
    assert!(
        e["error"]["details"]["lines[0].accepted_quantity"].is_string(),
        "{e}"
    );
    assert_eq!(
        count_of(&app, "select count(*) from goods_receipts").await,
        receipts
    );
    assert_eq!(
        count_of(&app, "select count(*) from stock_movements").await,
        movements
    );
    // the conversion back: received
    let (status, _) = post(
        &warehouse,
        &app,
        "/api/v1/units/conversions",
        json!({ "from_unit": "PCS", "to_unit": "BOX", "factor": "0.0625" }),
    )
    .await;
    assert_eq!(status, 201);
    let (status, r) = post(&warehouse, &app, "/api/v1/inventory/receive", body).await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(
        r["data"]["lines"][0]["stock_quantity"], "16",
        "the inverse of 1 PCS = 0.0625 BOX: {r}"
    );

    // the CSV import: a unit the company does not have is an error of its line and column
    let res = warehouse
        .post(app.url("/api/v1/items/import"))
        .header("content-type", "text/csv")
        .body("sku,unit,name_en\nRNG-1,box,Ring\nRNG-2,furlong,Ring\n")
        .send()
        .await
        .expect("upload");
    let started = json(res).await;
    let id = started["data"]["job_id"].as_str().expect("job").to_string();
    let mut job = Value::Null;
    for _ in 0..300 {
        job = data_of(&warehouse, &app, &format!("/api/v1/jobs/{id}")).await;
        if job["status"] == "succeeded" || job["status"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(
        (
            job["errors"][0]["line"].as_i64(),
            job["errors"][0]["column"].as_str()
        ),
        (Some(3), Some("unit")),
        "{job}"
    );
    assert!(
        job["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("furlong"),
        "{job}"
    );
    let items = count_of(
        &app,
        &format!("select count(*) from items where tenant_id = {DEMO} and sku like 'RNG-%'"),
    )
    .await;
    assert_eq!(items, 0);
}
