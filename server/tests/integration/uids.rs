//! UIDs as seed 002 writes them (`UID-{TENANT}-{PLANT}-{TYPE}-{SEQUENCE}-{CHECK}`): issued by
//! receipts with the plant's three-character code and the item's material type, numbered per
//! tenant, plant and type (also under concurrent receipts), the former form still found when typed
//! or scanned, and the item master's material type. Black-box through REST on real PostgreSQL.
use crate::common::*;
use app::inventory::model::material::MaterialType;
use app::inventory::uid::{self, Uid};
use serde_json::{json, Value};

const DEMO: &str = "(select id from tenants where slug = 'demo')";

async fn receive(c: &reqwest::Client, app: &TestApp, body: Value) -> (u16, Value) {
    post(c, app, "/api/v1/inventory/receive", body).await
}

fn receipt(po: &str, line: &str, accepted: &str, location: &str) -> Value {
    json!({ "purchase_order_id": po, "lines": [
        { "purchase_order_line_id": line, "accepted_quantity": accepted, "location_id": location }
    ]})
}

/// The UIDs of the first line of a receipt's answer.
fn uids_of(r: &Value) -> Vec<String> {
    r["data"]["lines"][0]["uids"]
        .as_array()
        .map(|u| {
            u.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// An approved requisition of the lines `lines(ACME's id)` gives, ordered from ACME; the PO.
async fn ordered(app: &TestApp, lines: impl FnOnce(&str) -> Value) -> Value {
    let engineer = app.logged_in("demo", "engineer").await;
    let acme = id_where(
        app,
        &format!("select id from suppliers where tenant_id = {DEMO} and code = 'ACME'"),
    )
    .await;
    let body = json!({ "purpose": "daily_operations", "lines": lines(&acme) });
    let id = id_of(&drafted(&engineer, app, body).await);
    submitted(&engineer, app, &id).await;
    let manager = app.logged_in("demo", "manager").await;
    let (status, body) = approve(&manager, app, &id).await;
    assert_eq!(status, 200, "{body}");
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
    assert_eq!(orders[0]["status"], "approved", "{}", orders[0]);
    orders[0].clone()
}

fn line_of(po: &Value, i: usize) -> String {
    po["lines"][i]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn demo_uid(plant: &str, material: MaterialType, seq: u64) -> String {
    Uid {
        tenant: "DEMO".into(),
        plant: plant.into(),
        material,
        seq,
    }
    .format()
}

/// A second plant of demo's, PUN, with one bin; the bin's id.
async fn pune(app: &TestApp) -> String {
    sqlx::query(&format!(
        "with p as (insert into plants (tenant_id, company_id, code, name)
                    select tenant_id, company_id, 'PUN', 'Pune Plant' from plants where tenant_id = {DEMO} and code = 'MAI'
                    returning tenant_id, id)
         insert into locations (tenant_id, plant_id, warehouse, rack, bin, code)
         select tenant_id, id, 'WH1', 'R01', 'B01', 'PUN-WH1-R01-B01' from p"
    ))
    .execute(&app.db.owner)
    .await
    .expect("plant");
    location(app, "demo", "PUN-WH1-R01-B01").await
}

/// The order now delivers to plant `code` (set up as the owner: an order made for that plant).
async fn deliver_to(app: &TestApp, po: &str, code: &str) {
    sqlx::query(&format!(
        "update purchase_orders set plant_id = (select id from plants where tenant_id = {DEMO} and code = '{code}')
          where id = '{po}'"
    ))
    .execute(&app.db.owner)
    .await
    .expect("plant of the order");
}

/// demo's UIDs: (id, text, former text), by text.
async fn demo_uids(app: &TestApp) -> Vec<(uuid::Uuid, String, Option<String>)> {
    sqlx::query_as(&format!(
        "select id, uid, former_uid from uids where tenant_id = {DEMO} order by uid"
    ))
    .fetch_all(&app.db.owner)
    .await
    .expect("uids")
}

/// demo's UID counters: "PLANT TYPE last", sorted.
async fn counters(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(&format!(
        "select p.code || ' ' || c.material_type || ' ' || c.last_value from uid_counters c
           join plants p on p.tenant_id = c.tenant_id and p.id = c.plant_id
          where c.tenant_id = {DEMO} order by 1"
    ))
    .fetch_all(&app.db.owner)
    .await
    .expect("counters")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipts_issue_uids_by_plant_and_material_type_and_the_former_form_still_finds_them() {
    let app = TestApp::spawn().await;
    let brg = item_id(&app, "demo", "BRG-6310").await;
    let sen = item_id(&app, "demo", "SEN-PRX-M18").await;
    let po = ordered(&app, |acme| {
        json!([
            { "item_id": brg, "description": "Bearing 6310", "quantity": "10", "unit": "pcs", "estimated_unit_price": "25.00", "supplier_id": acme },
            { "item_id": sen, "description": "Proximity sensor M18", "quantity": "3", "unit": "pcs", "estimated_unit_price": "34.00", "supplier_id": acme }
        ])
    })
    .await;
    let po_id = id_of(&po);
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    let bin1 = location(&app, "demo", "MAI-WH1-R01-B01").await;
    let bin3 = location(&app, "demo", "MAI-WH1-R02-B01").await;
    // the items' material types, as the item master shows them
    let item = data_of(&warehouse, &app, &format!("/api/v1/items/{sen}")).await;
    assert_eq!(item["material_type"], "CP", "{item}");
    let item = data_of(&warehouse, &app, &format!("/api/v1/items/{brg}")).await;
    assert_eq!(item["material_type"], "SP", "{item}");

    // one lot of bearings (spares) and two sensors (components) at the main plant: each type
    // numbered from 1 at that plant
    let (status, r) = receive(
        &warehouse,
        &app,
        receipt(&po_id, &line_of(&po, 0), "6", &bin1),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let lot = uids_of(&r);
    assert_eq!(lot, vec![demo_uid("MAI", MaterialType::Spare, 1)]);
    assert!(lot[0].starts_with("UID-DEMO-MAI-SP-000001-"), "{lot:?}");
    let first = id_of(&r["data"]);
    let (status, r) = receive(
        &warehouse,
        &app,
        receipt(&po_id, &line_of(&po, 1), "2", &bin3),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let sensors = uids_of(&r);
    assert_eq!(
        sensors,
        vec![
            demo_uid("MAI", MaterialType::Component, 1),
            demo_uid("MAI", MaterialType::Component, 2)
        ]
    );
    let second = id_of(&r["data"]);
    // the same type at another plant has its own numbers
    let pun_bin = pune(&app).await;
    deliver_to(&app, &po_id, "PUN").await;
    let (status, r) = receive(
        &warehouse,
        &app,
        receipt(&po_id, &line_of(&po, 1), "1", &pun_bin),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(
        uids_of(&r),
        vec![demo_uid("PUN", MaterialType::Component, 1)]
    );
    let third = id_of(&r["data"]);
    for id in [&first, &second, &third] {
        let path = format!("/api/v1/inventory/receipts/{id}/accept");
        let (status, a) = post(&engineer, &app, &path, json!({})).await;
        assert_eq!(status, 200, "{a}");
    }
    assert_eq!(
        counters(&app).await,
        vec!["MAI CP 2", "MAI SP 1", "PUN CP 1"]
    );

    // A database of before: its UIDs in the former form (SER/LOT, one MOD 37-2 character, one
    // number per tenant) and no counters; then the migration's renaming, as it runs on it.
    let issued = demo_uids(&app).await;
    let mut by_age: Vec<(uuid::Uuid, String, String)> = sqlx::query_as(&format!(
        "select id, uid, kind from uids where tenant_id = {DEMO} order by created_at, uid"
    ))
    .fetch_all(&app.db.owner)
    .await
    .expect("uids");
    let mut former = std::collections::BTreeMap::new();
    for (n, (id, text, kind)) in by_age.drain(..).enumerate() {
        let plant = if text.contains("-PUN-") {
            "PUNE"
        } else {
            "MAIN"
        };
        let kind = if kind == "serial" { "SER" } else { "LOT" };
        let body = format!("UID-DEMO-{plant}-{kind}-{:06}", n + 1);
        let old = format!("{body}-{}", uid::legacy::check_char(&body));
        sqlx::query("update uids set uid = $1, former_uid = null where id = $2")
            .bind(&old)
            .bind(id)
            .execute(&app.db.owner)
            .await
            .expect("former form");
        former.insert(text, old);
    }
    sqlx::query(&format!(
        "delete from uid_counters where tenant_id = {DEMO}"
    ))
    .execute(&app.db.owner)
    .await
    .expect("counters");
    let migration = include_str!("../../../migrations/20261207000003_uid_format.sql");
    let renaming = migration
        .split_once("-- Every UID renamed")
        .map(|(_, rest)| format!("-- (the renaming){rest}"))
        .expect("the renaming");
    sqlx::raw_sql(&renaming)
        .execute(&app.db.owner)
        .await
        .expect("the migration's renaming");
    // every unit has the text it was issued with (its plant, its item's type, its number within
    // them, the SQL check equal to the server's), its former text kept, the counters where they were
    let renamed = demo_uids(&app).await;
    assert_eq!(
        renamed
            .iter()
            .map(|(id, t, _)| (*id, t.clone()))
            .collect::<Vec<_>>(),
        issued
            .iter()
            .map(|(id, t, _)| (*id, t.clone()))
            .collect::<Vec<_>>()
    );
    for (_, text, old) in &renamed {
        assert_eq!(old.as_ref(), former.get(text), "{text}");
    }
    assert_eq!(
        counters(&app).await,
        vec!["MAI CP 2", "MAI SP 1", "PUN CP 1"]
    );

    // the former form, typed or scanned, finds the same unit: trace, QR code, labels
    let (old_sensor, old_lot) = (&former[&sensors[0]], &former[&lot[0]]);
    let trace = data_of(&warehouse, &app, &format!("/api/v1/uids/{old_sensor}")).await;
    assert_eq!(trace["uid"], sensors[0], "{trace}");
    assert_eq!(trace["sku"], "SEN-PRX-M18");
    let trace = data_of(
        &warehouse,
        &app,
        &format!("/api/v1/uids/{}", old_lot.to_lowercase()),
    )
    .await;
    assert_eq!(trace["uid"], lot[0], "{trace}");
    let (status, e) = get(
        &warehouse,
        &app,
        &format!("/api/v1/uids/{}", old_sensor.replacen("-000", "-900", 1)),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["uid"].is_string(), "{e}");
    let res = warehouse
        .get(app.url(&format!("/api/v1/uids/{old_sensor}/qr.svg")))
        .send()
        .await
        .expect("qr");
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap_or_default().contains("<svg"));
    let labels = page(
        &warehouse,
        &app,
        &format!("/inventory/labels?uid={old_sensor}"),
    )
    .await;
    assert!(
        labels.contains(&sensors[0]),
        "the label prints the current text"
    );
    // the trace page, as the scan fills its form (`?uid=`) and as a link names it
    for (path, current) in [
        (format!("/inventory/uids?uid={old_lot}"), &lot[0]),
        (format!("/inventory/uids/{old_sensor}"), &sensors[0]),
    ] {
        let html = page(&warehouse, &app, &path).await;
        assert!(
            html.contains(current.as_str()),
            "{path}: the unit, by its current text"
        );
    }
    // another company's UID in the former form is not found
    let body = "UID-SAIF-KOL-SER-000001";
    let theirs = format!("{body}-{}", uid::legacy::check_char(body));
    let (status, e) = get(&warehouse, &app, &format!("/api/v1/uids/{theirs}")).await;
    assert_eq!(status, 404, "{e}");

    // scanned into a movement: the same unit named by both its texts is named twice; by its former
    // text alone, it is issued
    let cc = cost_centre(&app, "demo").await;
    let mut body = issue_of(&sen, &bin3, "2", &cc);
    body["uids"] = json!([old_sensor, sensors[0]]);
    let (status, e) = issue(&warehouse, &app, body).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["details"]["uids[1]"].is_string(), "{e}");
    let mut body = issue_of(&sen, &bin3, "1", &cc);
    body["uids"] = json!([old_sensor.to_lowercase()]);
    let (status, e) = issue(&warehouse, &app, body).await;
    assert_eq!(status, 201, "{e}");
    let trace = data_of(&warehouse, &app, &format!("/api/v1/uids/{}", sensors[0])).await;
    assert_eq!(trace["status"], "issued", "{trace}");
    let trace = data_of(&warehouse, &app, &format!("/api/v1/uids/{}", sensors[1])).await;
    assert_eq!(trace["status"], "accepted", "the other unit stays: {trace}");

    // numbers go on after the migrated ones
    deliver_to(&app, &po_id, "MAI").await;
    let (status, r) = receive(
        &warehouse,
        &app,
        receipt(&po_id, &line_of(&po, 0), "1", &bin1),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(uids_of(&r), vec![demo_uid("MAI", MaterialType::Spare, 2)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_receipts_never_draw_the_same_number() {
    let app = TestApp::spawn().await;
    let sen = item_id(&app, "demo", "SEN-PRX-M18").await;
    let bin = location(&app, "demo", "MAI-WH1-R02-B01").await;
    let mut orders = Vec::new();
    for _ in 0..4 {
        orders.push(
            ordered(&app, |acme| {
                json!([{ "item_id": sen, "description": "Proximity sensor M18", "quantity": "3", "unit": "pcs",
                         "estimated_unit_price": "34.00", "supplier_id": acme }])
            })
            .await,
        );
    }
    let warehouse = app.logged_in("demo", "warehouse").await;
    // four receipts of three units each at once, each on its own connection
    let answers = futures::future::join_all(orders.iter().map(|po| {
        let body = receipt(&id_of(po), &line_of(po, 0), "3", &bin);
        let warehouse = warehouse.clone();
        let app = &app;
        async move { receive(&warehouse, app, body).await }
    }))
    .await;
    let mut seqs = Vec::new();
    for (status, r) in &answers {
        assert_eq!(*status, 201, "{r}");
        let uids = uids_of(r);
        assert_eq!(uids.len(), 3, "{r}");
        for u in uids {
            let parsed: Uid = u.parse().expect("a UID of the current form");
            assert_eq!(
                (parsed.plant.as_str(), parsed.material),
                ("MAI", MaterialType::Component)
            );
            seqs.push(parsed.seq);
        }
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=12).collect::<Vec<u64>>(), "each number once");
    assert_eq!(counters(&app).await, vec!["MAI CP 12"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_item_master_keeps_the_material_type() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let (status, item) = post(&warehouse, &app, "/api/v1/items", json!({
        "sku": "STL-SHT-2MM", "names": { "en": "Steel sheet 2 mm" }, "unit": "kg", "material_type": "rm" })).await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["data"]["material_type"], "RM");
    let id = id_of(&item["data"]);
    let (status, item) = post(
        &warehouse,
        &app,
        "/api/v1/items",
        json!({
        "sku": "GLV-NIT", "names": { "en": "Nitrile gloves" }, "unit": "pair" }),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(
        item["data"]["material_type"], "CN",
        "a consumable unless said"
    );

    // replaced without a type: the item keeps its own; a type there is none of: 422, unchanged
    let path = format!("/api/v1/items/{id}");
    let (status, item) = put(
        &warehouse,
        &app,
        &path,
        json!({
        "sku": "STL-SHT-2MM", "names": { "en": "Steel sheet 2 mm, cold rolled" }, "unit": "kg" }),
    )
    .await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["data"]["material_type"], "RM");
    for bad in ["XX", "SER", ""] {
        let (status, e) = put(&warehouse, &app, &path, json!({
            "sku": "STL-SHT-2MM", "names": { "en": "Changed" }, "unit": "kg", "material_type": bad })).await;
        assert_eq!(status, 422, "{bad}: {e}");
        assert!(e["error"]["details"]["material_type"].is_string(), "{e}");
    }
    let (status, item) = put(&warehouse, &app, &path, json!({
        "sku": "STL-SHT-2MM", "names": { "en": "Steel sheet 2 mm" }, "unit": "kg", "material_type": "SF" })).await;
    assert_eq!(status, 200, "{item}");
    let got = data_of(&warehouse, &app, &path).await;
    assert_eq!(got["material_type"], "SF", "{got}");
    assert_eq!(got["name"], "Steel sheet 2 mm");

    // documented as the server answers: one of the eight codes
    let doc = json_of(&app.bare_client(), &app, "/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["MaterialType"]["enum"],
        json!(["RM", "CP", "SF", "FG", "CN", "SP", "PK", "TL"]),
        "{}",
        schemas["MaterialType"]
    );
    assert!(
        schemas["Item"]["required"]
            .as_array()
            .is_some_and(|r| r.contains(&json!("material_type"))),
        "{}",
        schemas["Item"]
    );
    assert!(
        schemas["ItemInput"]["properties"]["material_type"].is_object(),
        "{}",
        schemas["ItemInput"]
    );

    // the CSV import's column: a bad type is an error of its line and column, nothing imported
    let upload = |csv: &'static str| {
        warehouse
            .post(app.url("/api/v1/items/import"))
            .header("content-type", "text/csv")
            .body(csv)
            .send()
    };
    let wait = |started: Value| {
        let warehouse = warehouse.clone();
        let app = &app;
        async move {
            let id = started["data"]["job_id"].as_str().expect("job").to_string();
            for _ in 0..300 {
                let job = data_of(&warehouse, app, &format!("/api/v1/jobs/{id}")).await;
                if job["status"] == "succeeded" || job["status"] == "failed" {
                    return job;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            panic!("the import did not finish");
        }
    };
    let res = upload(
        "sku,unit,name_en,material_type\nPKG-BOX-1,pcs,Carton,PK\nPKG-BOX-2,pcs,Carton,BOX\n",
    )
    .await
    .expect("upload");
    let job = wait(json(res).await).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["errors"][0]["line"], 3, "{job}");
    assert_eq!(job["errors"][0]["column"], "material_type", "{job}");
    let res = upload("sku,unit,name_en,material_type\nPKG-BOX-1,pcs,Carton,pk\nTL-GAUGE-1,pcs,Feeler gauge,TL\nOIL-1,l,Oil,\n")
        .await
        .expect("upload");
    let job = wait(json(res).await).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let types: Vec<(String, String)> = sqlx::query_as(&format!(
        "select sku, material_type from items where tenant_id = {DEMO} and sku in ('PKG-BOX-1', 'TL-GAUGE-1', 'OIL-1') order by sku"
    ))
    .fetch_all(&app.db.owner)
    .await
    .expect("types");
    assert_eq!(
        types,
        vec![
            ("OIL-1".to_string(), "CN".to_string()),
            ("PKG-BOX-1".into(), "PK".into()),
            ("TL-GAUGE-1".into(), "TL".into())
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plant_codes_are_three_letters_or_digits_and_sql_checks_as_the_server_does() {
    let db = fresh_db().await;
    let codes: Vec<String> = sqlx::query_scalar("select code from plants order by code")
        .fetch_all(&db.owner)
        .await
        .expect("plants");
    assert_eq!(codes, vec!["KOL", "MAI", "VSK"]);
    for bad in ["PUNE", "PU", "P-1", "pun"] {
        let refused = sqlx::query(&format!(
            "insert into plants (tenant_id, company_id, code, name)
             select tenant_id, company_id, '{bad}', 'Elsewhere' from plants where code = 'MAI'"
        ))
        .execute(&db.owner)
        .await;
        assert!(
            refused
                .as_ref()
                .err()
                .and_then(|e| e.as_database_error())
                .and_then(|e| e.constraint())
                == Some("plants_code_check"),
            "{bad}: {refused:?}"
        );
    }
    // the migration's check characters are the server's
    for (i, m) in MaterialType::ALL.into_iter().enumerate() {
        for (tenant, plant, seq) in [
            ("DEMO", "MAI", 1 + i as u64),
            ("SAIF", "KOL", 999_999 - i as u64),
            ("ACME7", "P01", 1_234_567 + i as u64),
        ] {
            let text = Uid {
                tenant: tenant.into(),
                plant: plant.into(),
                material: m,
                seq,
            }
            .format();
            let body = &text[..text.len() - 3];
            let sql: String = sqlx::query_scalar("select uid_check_chars($1)")
                .bind(body)
                .fetch_one(&db.owner)
                .await
                .expect("check");
            assert_eq!(format!("{body}-{sql}"), text);
        }
    }
}
