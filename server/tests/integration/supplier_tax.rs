//! GST and TDS on suppliers and plants, and the invoice price tolerance (the tenant's and a
//! supplier's own), black-box over REST and the server functions on real PostgreSQL.
use crate::common::*;
use serde_json::{json, Value};

/// How many suppliers of any tenant have this code (read as the owner).
async fn suppliers_coded(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("select count(*) from suppliers where code = $1")
        .bind(code)
        .fetch_one(&app.db.owner)
        .await
        .expect("count")
}

fn detail<'a>(body: &'a Value, field: &str) -> &'a str {
    body["error"]["details"][field].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_indian_supplier_s_gstin_gives_its_state_and_bad_tax_facts_change_nothing() {
    let app = TestApp::spawn().await;
    // saif is in India (INR) and its people read Hindi
    let proc = app.logged_in("saif", "procurement").await;
    let (status, s) = post(
        &proc,
        &app,
        "/api/v1/suppliers",
        json!({
            "code": "BLR-GEARS", "name": "Bangalore Gears", "gstin": " 29aagcb7383j1z4 ",
            "reverse_charge": true, "tds_section": "194q", "tds_rate": "0.10",
            "price_tolerance_pct": "1.50"
        }),
    )
    .await;
    assert_eq!(status, 201, "{s}");
    let s = &s["data"];
    assert_eq!(s["gstin"], "29AAGCB7383J1Z4");
    assert_eq!(s["state_code"], "29", "the state follows from the GSTIN");
    assert_eq!(s["reverse_charge"], true);
    assert_eq!(s["tds_section"], "194Q");
    assert_eq!(s["tds_rate"], "0.1");
    assert_eq!(s["price_tolerance_pct"], "1.5");
    assert!(s["price_tolerance_abs"].is_null(), "the company's: {s}");
    let path = format!("/api/v1/suppliers/{}", id_of(s));
    let got = data_of(&proc, &app, &path).await;
    for f in [
        "gstin",
        "state_code",
        "reverse_charge",
        "tds_section",
        "tds_rate",
        "price_tolerance_pct",
        "price_tolerance_abs",
    ] {
        assert_eq!(got[f], s[f], "{f}");
    }

    // a wrong check character: 422 on gstin, in the user's language, and nothing saved
    let (status, body) = post(
        &proc,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "TYPO-CO", "name": "Typo Co", "gstin": "29AAGCB7383J1Z5" }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
    assert_eq!(
        detail(&body, "gstin"),
        "जाँच अक्षर मेल नहीं खाता: कोड गलत टाइप हुआ या गलत पढ़ा गया।"
    );
    assert_eq!(suppliers_coded(&app, "TYPO-CO").await, 0);

    // a state beside the GSTIN must be its own
    let (status, body) = post(
        &proc,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "TWO-STATES", "name": "Two States", "gstin": "29AAGCB7383J1Z4", "state_code": "19" }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        detail(&body, "state_code"),
        "यह राज्य कोड जीएसटीआईएन का नहीं है (उसके पहले दो अंक)।"
    );
    // a section without its rate, a rate without its section, an unknown section, a rate over 100
    for (tds, field) in [
        (json!({ "tds_section": "194C" }), "tds_rate"),
        (json!({ "tds_rate": "2" }), "tds_section"),
        (
            json!({ "tds_section": "194A", "tds_rate": "10" }),
            "tds_section",
        ),
        (
            json!({ "tds_section": "194J", "tds_rate": "100.5" }),
            "tds_rate",
        ),
        (
            json!({ "tds_section": "194J", "tds_rate": "2.12345" }),
            "tds_rate",
        ),
        (
            json!({ "price_tolerance_abs": "-1" }),
            "price_tolerance_abs",
        ),
    ] {
        let mut body = json!({ "code": "TDS-CO", "name": "TDS Co" });
        for (k, v) in tds.as_object().expect("object") {
            body[k] = v.clone();
        }
        let (status, res) = post(&proc, &app, "/api/v1/suppliers", body).await;
        assert_eq!(status, 422, "{tds}: {res}");
        assert!(!detail(&res, field).is_empty(), "{tds}: {res}");
    }
    assert_eq!(suppliers_coded(&app, "TDS-CO").await, 0);

    // PUT: another registration (the state follows), no TDS any more; a bad one keeps the old
    let mut change = got.clone();
    change["gstin"] = json!("19AABCB4521K1ZQ");
    change["state_code"] = Value::Null;
    change["tds_section"] = Value::Null;
    change["tds_rate"] = Value::Null;
    let (status, body) = put(&proc, &app, &path, change.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["state_code"], "19");
    assert!(body["data"]["tds_section"].is_null());
    let mut typo = change.clone();
    typo["gstin"] = json!("19AABCB4521K1ZR");
    typo["reverse_charge"] = json!(false);
    let (status, body) = put(&proc, &app, &path, typo).await;
    assert_eq!(status, 422, "{body}");
    assert!(!detail(&body, "gstin").is_empty());
    let kept = data_of(&proc, &app, &path).await;
    assert_eq!(kept["gstin"], "19AABCB4521K1ZQ");
    assert_eq!(
        kept["reverse_charge"], true,
        "nothing of the refused change"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_outside_india_is_refused_gst_and_tds_but_keeps_tolerances() {
    let app = TestApp::spawn().await;
    // demo is in USD
    let proc = app.logged_in("demo", "procurement").await;
    for (field, value) in [
        ("gstin", json!("29AAGCB7383J1Z4")),
        ("state_code", json!("29")),
        ("reverse_charge", json!(true)),
        ("tds_rate", json!("2")),
    ] {
        let mut body = json!({ "code": "US-GST", "name": "US Supplier" });
        body[field] = value;
        let (status, res) = post(&proc, &app, "/api/v1/suppliers", body).await;
        assert_eq!(status, 422, "{field}: {res}");
        assert_eq!(
            detail(&res, field),
            "GST and TDS apply only to companies in India (currency INR).",
            "{res}"
        );
    }
    assert_eq!(suppliers_coded(&app, "US-GST").await, 0);
    let (status, s) = post(
        &proc,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "US-TOL", "name": "Tolerant Inc", "reverse_charge": false,
                "price_tolerance_pct": "5", "price_tolerance_abs": "25.50", "tax_id": "EIN-12-3456789" }),
    )
    .await;
    assert_eq!(status, 201, "{s}");
    assert_eq!(s["data"]["price_tolerance_abs"], "25.5");
    assert_eq!(s["data"]["tax_id"], "EIN-12-3456789");
    assert!(s["data"]["gstin"].is_null() && s["data"]["state_code"].is_null());
    assert_eq!(s["data"]["reverse_charge"], false);
    // what GET answers goes back through PUT unchanged
    let path = format!("/api/v1/suppliers/{}", id_of(&s["data"]));
    let got = data_of(&proc, &app, &path).await;
    let (status, again) = put(&proc, &app, &path, got.clone()).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["data"], got);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_doors_refuse_a_wrong_check_character_alike() {
    let app = TestApp::spawn().await;
    let proc = app.logged_in("saif", "procurement").await;
    let bad = json!({ "code": "DOORS", "name": "Two Doors Ltd", "gstin": "37AACCV3366P1ZP", "tds_section": "194C" });
    let (status, rest) = post(&proc, &app, "/api/v1/suppliers", bad.clone()).await;
    assert_eq!(status, 422, "{rest}");
    let res = proc
        .post(app.url("/sfn/save_supplier"))
        .json(&json!({ "id": null, "input": bad }))
        .send()
        .await
        .expect("server function");
    assert_eq!(res.status(), 422);
    let sfn: Value = res.json().await.expect("json");
    let fields = |v: &Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    // the server function carries the field errors themselves; REST their messages
    assert_eq!(sfn["kind"], "validation", "{sfn}");
    let sfn_fields = fields(&sfn["fields"]);
    assert_eq!(
        sfn_fields,
        fields(&rest["error"]["details"]),
        "{sfn} / {rest}"
    );
    assert_eq!(
        sfn_fields,
        vec!["gstin".to_string(), "tds_rate".to_string()]
    );
    assert_eq!(sfn["fields"]["gstin"], "checksum", "{sfn}");
    assert_eq!(suppliers_coded(&app, "DOORS").await, 0);

    // and the same good supplier saves through the server function as through REST
    let good = json!({ "code": "DOORS", "name": "Two Doors Ltd", "gstin": "37AACCV3366P1ZO", "tds_section": "194C", "tds_rate": "1" });
    let res = proc
        .post(app.url("/sfn/save_supplier"))
        .json(&json!({ "id": null, "input": good }))
        .send()
        .await
        .expect("server function");
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.expect("json");
    assert_eq!(saved["state_code"], "37");
    assert_eq!(saved["tds_rate"], "1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_company_s_invoice_price_tolerance_is_a_setting() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("saif", "admin").await;
    let settings = data_of(&admin, &app, "/api/v1/tenant").await;
    assert_eq!(settings["invoice_price_tolerance_pct"], "2", "{settings}");
    assert_eq!(settings["invoice_price_tolerance_abs"], "0");
    let (status, body) = put(
        &admin,
        &app,
        "/api/v1/tenant",
        json!({ "invoice_price_tolerance_pct": "2.5", "invoice_price_tolerance_abs": "100.00" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["invoice_price_tolerance_pct"], "2.5");
    assert_eq!(body["data"]["invoice_price_tolerance_abs"], "100");
    for (field, value) in [
        ("invoice_price_tolerance_pct", "-1"),
        ("invoice_price_tolerance_pct", "100.01"),
        ("invoice_price_tolerance_abs", "0.00001"),
    ] {
        let (status, res) = put(
            &admin,
            &app,
            "/api/v1/tenant",
            json!({ field: value, "name": "Renamed on the way" }),
        )
        .await;
        assert_eq!(status, 422, "{field}={value}: {res}");
        assert!(!detail(&res, field).is_empty(), "{res}");
    }
    let kept = data_of(&admin, &app, "/api/v1/tenant").await;
    assert_eq!(kept["invoice_price_tolerance_pct"], "2.5");
    assert_eq!(kept["invoice_price_tolerance_abs"], "100");
    assert_ne!(
        kept["name"], "Renamed on the way",
        "nothing of a refused change"
    );
    // an accountant may not change it
    let accountant = app.logged_in("saif", "accountant").await;
    let (status, _) = put(
        &accountant,
        &app,
        "/api/v1/tenant",
        json!({ "invoice_price_tolerance_pct": "50" }),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saif_s_plants_and_suppliers_carry_their_gst_facts() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("saif", "admin").await;
    let plants = data_of(&admin, &app, "/api/v1/plants").await;
    let plant = |code: &str| {
        plants["plants"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["code"] == code))
            .cloned()
            .unwrap_or_else(|| panic!("plant {code}: {plants}"))
    };
    let kol = plant("KOL");
    assert_eq!(
        (kol["state_code"].as_str(), kol["gstin"].as_str()),
        (Some("19"), Some("19AAACS1234F1ZP"))
    );
    let vsk = plant("VSK");
    assert_eq!(
        (vsk["state_code"].as_str(), vsk["gstin"].as_str()),
        (Some("37"), Some("37AAACS1234F1ZR"))
    );

    let proc = app.logged_in("saif", "procurement").await;
    let list = data_of(&proc, &app, "/api/v1/suppliers?per_page=100").await;
    let supplier = |code: &str| {
        list["suppliers"]
            .as_array()
            .and_then(|ss| ss.iter().find(|s| s["code"] == code))
            .cloned()
            .unwrap_or_else(|| panic!("supplier {code}: {list}"))
    };
    let states: Vec<(String, Value)> = ["BENGAL-BRG", "HOWRAH-STL", "VIZAG-ELEC", "PUNE-HYD"]
        .iter()
        .map(|c| (c.to_string(), supplier(c)["state_code"].clone()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("BENGAL-BRG".into(), json!("19")),
            ("HOWRAH-STL".into(), json!("19")),
            ("VIZAG-ELEC".into(), json!("37")),
            ("PUNE-HYD".into(), json!("27")),
        ]
    );
    assert_eq!(supplier("HOWRAH-STL")["reverse_charge"], true);
    let vizag = supplier("VIZAG-ELEC");
    assert_eq!(
        (&vizag["tds_section"], &vizag["tds_rate"]),
        (&json!("194C"), &json!("2"))
    );
    // every seeded GSTIN is valid and agrees with its state, as the services would save it
    for s in list["suppliers"].as_array().into_iter().flatten() {
        if let Some(g) = s["gstin"].as_str() {
            let gstin: app::types::Gstin = g.parse().expect("a valid GSTIN");
            assert_eq!(Some(gstin.state_code()), s["state_code"].as_str());
        }
    }
    // demo (USD) has none
    let demo = app.logged_in("demo", "procurement").await;
    let list = data_of(&demo, &app, "/api/v1/suppliers").await;
    assert!(list["suppliers"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|s| s["gstin"].is_null() && s["tds_section"].is_null()));

    // a plant's GSTIN: a wrong check character, or a state that is not its own, is refused
    let path = format!("/api/v1/plants/{}", id_of(&vsk));
    let mut bad = vsk.clone();
    bad["gstin"] = json!("37AAACS1234F1ZS");
    let (status, body) = put(&admin, &app, &path, bad).await;
    assert_eq!(status, 422, "{body}");
    assert!(!detail(&body, "gstin").is_empty());
    let mut elsewhere = vsk.clone();
    elsewhere["state_code"] = json!("19");
    let (status, body) = put(&admin, &app, &path, elsewhere).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        detail(&body, "state_code"),
        "यह राज्य कोड जीएसटीआईएन का नहीं है (उसके पहले दो अंक)।"
    );
    assert_eq!(data_of(&admin, &app, &path).await, vsk, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_describes_the_tax_fields() {
    let app = TestApp::spawn().await;
    let doc = json_of(&app.bare_client(), &app, "/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    for (schema, fields) in [
        (
            "SupplierDto",
            &[
                "gstin",
                "state_code",
                "reverse_charge",
                "tds_section",
                "tds_rate",
                "price_tolerance_pct",
                "price_tolerance_abs",
            ][..],
        ),
        (
            "SupplierBody",
            &[
                "gstin",
                "state_code",
                "reverse_charge",
                "tds_section",
                "tds_rate",
                "price_tolerance_pct",
                "price_tolerance_abs",
            ][..],
        ),
        ("Plant", &["state_code", "gstin"][..]),
        ("PlantInput", &["state_code", "gstin"][..]),
        (
            "TenantSettings",
            &["invoice_price_tolerance_pct", "invoice_price_tolerance_abs"][..],
        ),
        (
            "SettingsInput",
            &["invoice_price_tolerance_pct", "invoice_price_tolerance_abs"][..],
        ),
    ] {
        for f in fields {
            assert!(
                schemas[schema]["properties"][f].is_object(),
                "{schema}.{f}: {}",
                schemas[schema]
            );
        }
    }
    assert_eq!(
        schemas["TdsSection"]["enum"],
        json!(["194C", "194J", "194Q"]),
        "{}",
        schemas["TdsSection"]
    );
    let required = schemas["SupplierDto"]["required"].to_string();
    assert!(required.contains("reverse_charge"), "{required}");
}

/// A page that must answer 200: its HTML.
async fn html_of(c: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let res = c.get(app.url(path)).send().await.expect("page");
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.expect("html").replace("<!>", "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_companies_in_india_see_gst_fields_on_the_supplier_form() {
    let app = TestApp::spawn().await;
    let saif = app.logged_in("saif", "procurement").await;
    let id: uuid::Uuid =
        sqlx::query_scalar("select id from suppliers where code = 'VIZAG-ELEC' limit 1")
            .fetch_one(&app.db.owner)
            .await
            .expect("vizag");
    let form = html_of(&saif, &app, &format!("/procurement/suppliers/{id}")).await;
    for marker in [
        r#"data-testid="supplier-gst""#,
        r#"id="gstin""#,
        "37AACCV3366P1ZO",
        r#"id="tds_section""#,
        r#"id="reverse_charge""#,
        r#"id="price_tolerance_pct""#,
        "194C — ठेकेदार",
    ] {
        assert!(form.contains(marker), "{marker}");
    }
    // the free tax id gives way to the GSTIN (this supplier has none)
    assert!(!form.contains(r#"id="tax_id""#));
    let list = html_of(&saif, &app, "/procurement/suppliers?q=VIZAG").await;
    assert!(list.contains("37AACCV3366P1ZO"), "the list shows the GSTIN");

    let demo = app.logged_in("demo", "procurement").await;
    let form = html_of(&demo, &app, "/procurement/suppliers/new").await;
    assert!(form.contains(r#"id="tax_id""#));
    assert!(
        form.contains(r#"id="price_tolerance_abs""#),
        "tolerances everywhere"
    );
    for marker in [
        r#"id="gstin""#,
        r#"id="tds_section""#,
        r#"id="reverse_charge""#,
    ] {
        assert!(!form.contains(marker), "{marker} outside India");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supplier_s_own_tolerance_wins_over_the_company_s_field_by_field() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("saif", "admin").await;
    let (status, body) = put(
        &admin,
        &app,
        "/api/v1/tenant",
        json!({ "invoice_price_tolerance_pct": "3", "invoice_price_tolerance_abs": "500" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let proc = app.logged_in("saif", "procurement").await;
    let (status, own) = post(
        &proc,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "STRICT", "name": "Strict Supplies", "price_tolerance_pct": "0.5" }),
    )
    .await;
    assert_eq!(status, 201, "{own}");
    let strict: uuid::Uuid = own["data"]["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let plain: uuid::Uuid =
        sqlx::query_scalar("select id from suppliers where code = 'BENGAL-BRG' limit 1")
            .fetch_one(&app.db.owner)
            .await
            .expect("bengal");
    let saif = app.tenant_id("saif").await;
    let mut tx = app::platform::db::tenant_tx(&app.pool, saif)
        .await
        .expect("tx");
    let tol = |pct: &str, abs: &str| app::procurement::model::supplier_tax::PriceTolerance {
        pct: pct.parse().expect("pct"),
        abs: abs.parse().expect("abs"),
    };
    let got = app::procurement::service::price_tolerance(&mut tx, strict.into())
        .await
        .expect("strict");
    assert_eq!(got, tol("0.5", "500"));
    let got = app::procurement::service::price_tolerance(&mut tx, plain.into())
        .await
        .expect("plain");
    assert_eq!(got, tol("3", "500"));
    // another tenant's supplier is not found
    let acme: uuid::Uuid =
        sqlx::query_scalar("select id from suppliers where code = 'ACME' limit 1")
            .fetch_one(&app.db.owner)
            .await
            .expect("acme");
    let other = app::procurement::service::price_tolerance(&mut tx, acme.into()).await;
    assert!(
        matches!(other, Err(app::error::AppError::NotFound)),
        "{other:?}"
    );
}
