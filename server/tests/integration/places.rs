//! The category tree and storage locations a company keeps itself (issue 25, point 9): through
//! REST and the screens' server functions (one service), the tree's no-cycle rule in the
//! database too, the plant scope of `storage:manage`, the printable labels and the translated
//! screens.
use crate::common::*;
use serde_json::{json, Value};

async fn categories_count(app: &TestApp) -> i64 {
    count_of(app, "select count(*) from item_categories").await
}

fn category(code: &str, en: &str, hi: Option<&str>, parent: Option<&str>) -> Value {
    let mut names = json!({"en": en});
    if let Some(h) = hi {
        names["hi"] = json!(h);
    }
    json!({"code": code, "names": names, "parent_id": parent})
}

async fn created(c: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> Value {
    let (status, res) = post(c, app, path, body).await;
    assert_eq!(status, 201, "POST {path}: {res}");
    res["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn categories_are_created_renamed_and_moved_but_never_under_their_own_branch() {
    let app = TestApp::spawn().await;
    // saif works in Hindi: names come in the caller's language
    let admin = app.logged_in("saif", "admin").await;
    let mech = created(
        &admin,
        &app,
        "/api/v1/categories",
        category("t-mech", "Mechanical", Some("यांत्रिक"), None),
    )
    .await;
    assert_eq!(mech["code"], "T-MECH");
    assert_eq!(mech["name"], "यांत्रिक");
    let mech_id = id_of(&mech);
    let brg = created(
        &admin,
        &app,
        "/api/v1/categories",
        category("T-BRG", "Bearings", Some("बेयरिंग"), Some(&mech_id)),
    )
    .await;
    let brg_id = id_of(&brg);
    let ball = created(
        &admin,
        &app,
        "/api/v1/categories",
        category("T-BALL", "Ball bearings", None, Some(&brg_id)),
    )
    .await;
    let ball_id = id_of(&ball);
    assert_eq!(ball["path"], json!(["यांत्रिक", "बेयरिंग", "Ball bearings"]));
    assert_eq!(ball["parent_id"], brg_id.as_str());

    // two items filed in the leaf count for the whole branch
    sqlx::query("update items set category_id = $1::uuid where tenant_id = (select id from tenants where slug = 'saif') and id in (select id from items where tenant_id = (select id from tenants where slug = 'saif') order by sku limit 2)")
        .bind(&ball_id)
        .execute(&app.db.owner)
        .await
        .expect("file items");
    let list = data_of(&admin, &app, "/api/v1/categories").await;
    let rows = list["categories"].as_array().expect("categories");
    let count = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["item_count"].as_i64())
    };
    assert_eq!(count(&ball_id), Some(Some(2)));
    assert_eq!(count(&mech_id), count(&brg_id));
    assert!(count(&mech_id).flatten() >= Some(2));
    // parents come before their children
    let at = |id: &str| rows.iter().position(|r| r["id"] == id);
    assert!(at(&mech_id) < at(&brg_id) && at(&brg_id) < at(&ball_id));

    // rename per language
    let (status, res) = put(&admin, &app, &format!("/api/v1/categories/{brg_id}"), json!({"code": "T-BRG", "names": {"en": "Bearings", "hi": "बियरिंग", "ar": "محامل"}, "parent_id": mech_id})).await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["data"]["name"], "बियरिंग");
    assert_eq!(res["data"]["names"]["ar"], "محامل");

    // a move under itself or its own branch is refused, with the reason, and changes nothing
    let before = categories_count(&app).await;
    for parent in [&mech_id, &brg_id, &ball_id] {
        let (status, res) = put(
            &admin,
            &app,
            &format!("/api/v1/categories/{mech_id}"),
            category("T-MECH", "Mechanical", None, Some(parent)),
        )
        .await;
        assert_eq!(status, 422, "{res}");
        assert_eq!(res["error"]["code"], "VALIDATION_ERROR");
        assert!(
            res["error"]["details"]["parent_id"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{res}"
        );
    }
    let mech_now = data_of(&admin, &app, &format!("/api/v1/categories/{mech_id}")).await;
    assert_eq!(mech_now["parent_id"], Value::Null);
    assert_eq!(mech_now["names"].get("hi"), Some(&json!("यांत्रिक")));

    // moving a branch: the leaf to the root, then the bearings under the leaf
    let (status, res) = put(
        &admin,
        &app,
        &format!("/api/v1/categories/{ball_id}"),
        category("T-BALL", "Ball bearings", None, None),
    )
    .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["data"]["path"], json!(["Ball bearings"]));
    let (status, res) = put(
        &admin,
        &app,
        &format!("/api/v1/categories/{brg_id}"),
        category("T-BRG", "Bearings", None, Some(&ball_id)),
    )
    .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["data"]["path"], json!(["Ball bearings", "Bearings"]));

    // a taken code is 409 naming the field; an unknown parent 422; nothing is written
    let (status, res) = post(
        &admin,
        &app,
        "/api/v1/categories",
        category("t-mech", "Again", None, None),
    )
    .await;
    assert_eq!(
        (status, res["error"]["code"].as_str()),
        (409, Some("CONFLICT")),
        "{res}"
    );
    assert!(res["error"]["details"]["code"].is_string(), "{res}");
    let (status, res) = put(
        &admin,
        &app,
        &format!("/api/v1/categories/{ball_id}"),
        category("T-MECH", "Ball", None, None),
    )
    .await;
    assert_eq!(status, 409, "{res}");
    let (status, res) = post(
        &admin,
        &app,
        "/api/v1/categories",
        category(
            "NEW",
            "New",
            None,
            Some("00000000-0000-0000-0000-000000000001"),
        ),
    )
    .await;
    assert_eq!(status, 422, "{res}");
    assert!(res["error"]["details"]["parent_id"].is_string());
    let (status, res) = post(
        &admin,
        &app,
        "/api/v1/categories",
        json!({"code": "bad code", "names": {"hi": "केवल हिंदी"}}),
    )
    .await;
    assert_eq!(status, 422, "{res}");
    assert!(
        res["error"]["details"]["code"].is_string()
            && res["error"]["details"]["names.en"].is_string(),
        "{res}"
    );
    assert_eq!(categories_count(&app).await, before);

    // another tenant's category is not there; those without inventory:manage may only read
    let demo = app.logged_in("demo", "admin").await;
    let (status, _) = get(&demo, &app, &format!("/api/v1/categories/{mech_id}")).await;
    assert_eq!(status, 404);
    let (status, _) = put(
        &demo,
        &app,
        &format!("/api/v1/categories/{mech_id}"),
        category("T-MECH", "Stolen", None, None),
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        data_of(&demo, &app, "/api/v1/categories").await["categories"]
            .as_array()
            .expect("list")
            .iter()
            .all(|c| c["code"] != "T-MECH")
    );
    let engineer = app.logged_in("saif", "engineer").await;
    assert!(data_of(&engineer, &app, "/api/v1/categories").await["categories"].is_array());
    let (status, res) = post(
        &engineer,
        &app,
        "/api/v1/categories",
        category("ENG", "Mine", None, None),
    )
    .await;
    assert_eq!(
        (status, res["error"]["code"].as_str()),
        (403, Some("FORBIDDEN"))
    );
    assert_eq!(categories_count(&app).await, before);
    // every change is in the audit trail, moves with their old and new parent
    let moves = count_of(&app, &format!("select count(*) from audit_log where entity = 'item_category' and entity_id = '{brg_id}' and action = 'update' and old_values->>'parent_id' is distinct from new_values->>'parent_id'")).await;
    assert_eq!(moves, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_itself_refuses_a_cycle_in_the_tree() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let a = id_of(
        &created(
            &admin,
            &app,
            "/api/v1/categories",
            category("TREE-A", "A", None, None),
        )
        .await,
    );
    let b = id_of(
        &created(
            &admin,
            &app,
            "/api/v1/categories",
            category("TREE-B", "B", None, Some(&a)),
        )
        .await,
    );
    let c = id_of(
        &created(
            &admin,
            &app,
            "/api/v1/categories",
            category("TREE-C", "C", None, Some(&b)),
        )
        .await,
    );
    // as the owner, past the service: under a grandchild, under itself
    for (id, parent) in [(&a, &c), (&b, &b)] {
        let err =
            sqlx::query("update item_categories set parent_id = $2::uuid where id = $1::uuid")
                .bind(id)
                .bind(parent)
                .execute(&app.db.owner)
                .await
                .expect_err("a cycle is refused");
        let db = err.as_database_error().expect("a database error");
        assert_eq!(db.code().as_deref(), Some("23514"), "{db}");
        assert_eq!(db.constraint(), Some("item_categories_no_cycle"));
    }
    // a legitimate move still works there
    sqlx::query("update item_categories set parent_id = null where id = $1::uuid")
        .bind(&c)
        .execute(&app.db.owner)
        .await
        .expect("a move to the root");
    let parent: Option<uuid::Uuid> =
        sqlx::query_scalar("select parent_id from item_categories where id = $1::uuid")
            .bind(&a)
            .fetch_one(&app.db.owner)
            .await
            .expect("a");
    assert_eq!(parent, None);
}

fn place(
    plant: &str,
    warehouse: &str,
    rack: Option<&str>,
    bin: Option<&str>,
    capacity: Option<&str>,
) -> Value {
    json!({"plant_id": plant, "warehouse": warehouse, "rack": rack, "bin": bin, "capacity": capacity})
}

async fn plant_id(app: &TestApp, slug: &str, code: &str) -> String {
    id_where(app, &format!("select p.id from plants p join tenants t on t.id = p.tenant_id where t.slug = '{slug}' and p.code = '{code}'")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locations_are_made_of_their_parts_with_capacity_and_checked() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let mai = plant_id(&app, "demo", "MAI").await;
    let wh = created(
        &admin,
        &app,
        "/api/v1/locations",
        place(&mai, "wh7", None, None, None),
    )
    .await;
    assert_eq!(
        (wh["code"].as_str(), wh["plant"].as_str()),
        (Some("MAI-WH7"), Some("MAI"))
    );
    assert_eq!(wh["capacity"], Value::Null);
    let rack = created(
        &admin,
        &app,
        "/api/v1/locations",
        place(&mai, "WH7", Some("r01"), None, Some("1200")),
    )
    .await;
    assert_eq!(rack["code"], "MAI-WH7-R01");
    let bin = created(
        &admin,
        &app,
        "/api/v1/locations",
        place(&mai, "WH7", Some("R01"), Some("b02"), Some("250.5")),
    )
    .await;
    assert_eq!(
        (
            bin["code"].as_str(),
            bin["capacity"].as_str(),
            bin["active"].as_bool()
        ),
        (Some("MAI-WH7-R01-B02"), Some("250.5"), Some(true))
    );
    let bin_id = id_of(&bin);

    // bad input: 422 naming the field, 409 for a code taken; nothing is written
    let before = count_of(&app, "select count(*) from locations").await;
    let (status, res) = post(
        &admin,
        &app,
        "/api/v1/locations",
        place(&mai, "WH7", None, Some("B09"), None),
    )
    .await;
    assert_eq!(status, 422, "{res}");
    assert!(res["error"]["details"]["rack"].is_string(), "{res}");
    for (body, field) in [
        (
            place(&mai, "WH7", Some("R01"), Some("B03"), Some("0")),
            "capacity",
        ),
        (
            place(&mai, "WH7", Some("R01"), Some("B03"), Some("-2")),
            "capacity",
        ),
        (place(&mai, "", None, None, None), "warehouse"),
        (place(&mai, "W-7", None, None, None), "warehouse"),
        (
            place(
                "00000000-0000-0000-0000-000000000001",
                "WH7",
                None,
                None,
                None,
            ),
            "plant_id",
        ),
    ] {
        let (status, res) = post(&admin, &app, "/api/v1/locations", body).await;
        assert_eq!(status, 422, "{res}");
        assert!(res["error"]["details"][field].is_string(), "{field}: {res}");
    }
    let (status, res) = post(
        &admin,
        &app,
        "/api/v1/locations",
        place(&mai, "wh7", Some("R01"), Some("B02"), None),
    )
    .await;
    assert_eq!(
        (status, res["error"]["code"].as_str()),
        (409, Some("CONFLICT")),
        "{res}"
    );
    assert_eq!(
        count_of(&app, "select count(*) from locations").await,
        before
    );

    // read and change: the code follows its parts; the list shows it
    let got = data_of(&admin, &app, &format!("/api/v1/locations/{bin_id}")).await;
    assert_eq!(got, bin);
    let (status, res) = put(
        &admin,
        &app,
        &format!("/api/v1/locations/{bin_id}"),
        place(&mai, "WH7", Some("R01"), Some("B03"), Some("300")),
    )
    .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(
        (
            res["data"]["code"].as_str(),
            res["data"]["capacity"].as_str()
        ),
        (Some("MAI-WH7-R01-B03"), Some("300"))
    );
    let list = data_of(&admin, &app, "/api/v1/locations").await;
    assert!(list["locations"]
        .as_array()
        .expect("list")
        .iter()
        .any(|l| l["code"] == "MAI-WH7-R01-B03" && l["id"] == bin_id.as_str()));
    // an empty location can be deactivated and reactivated
    let mut off = place(&mai, "WH7", Some("R01"), Some("B03"), Some("300"));
    off["active"] = json!(false);
    let (status, res) = put(&admin, &app, &format!("/api/v1/locations/{bin_id}"), off).await;
    assert_eq!(
        (status, res["data"]["active"].as_bool()),
        (200, Some(false)),
        "{res}"
    );
    assert_eq!(count_of(&app, &format!("select count(*) from audit_log where entity = 'location' and entity_id = '{bin_id}'")).await, 3);

    // another tenant's location is not there
    let saif = app.logged_in("saif", "admin").await;
    let (status, _) = get(&saif, &app, &format!("/api/v1/locations/{bin_id}")).await;
    assert_eq!(status, 404);
    let kol = plant_id(&app, "saif", "KOL").await;
    let (status, _) = put(
        &saif,
        &app,
        &format!("/api/v1/locations/{bin_id}"),
        place(&kol, "WH7", None, None, None),
    )
    .await;
    assert_eq!(status, 404);
    // nor may one file a location in another tenant's plant
    let (status, res) = post(
        &saif,
        &app,
        "/api/v1/locations",
        place(&mai, "WH9", None, None, None),
    )
    .await;
    assert_eq!(status, 422, "{res}");
    // an engineer keeps no locations
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = post(
        &engineer,
        &app,
        "/api/v1/locations",
        place(&mai, "WH8", None, None, None),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_location_holding_stock_stays_active() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let loc = stock_location(&app, "demo", "BRG-6310").await;
    let current = data_of(&admin, &app, &format!("/api/v1/locations/{loc}")).await;
    let mai = plant_id(&app, "demo", "MAI").await;
    let body = json!({"plant_id": mai, "warehouse": current["warehouse"], "rack": current["rack"], "bin": current["bin"],
                      "capacity": current["capacity"], "active": false});
    let (status, res) = put(&admin, &app, &format!("/api/v1/locations/{loc}"), body).await;
    assert_eq!(status, 422, "{res}");
    assert!(
        res["error"]["details"]["active"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{res}"
    );
    assert_eq!(
        data_of(&admin, &app, &format!("/api/v1/locations/{loc}")).await,
        current
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plant_scoped_keeper_keeps_only_their_plants_locations() {
    let app = TestApp::spawn().await;
    // saif's warehouse user sits in KOL and holds storage:manage at plant scope
    let warehouse = app.logged_in("saif", "warehouse").await;
    let (kol, vsk) = (
        plant_id(&app, "saif", "KOL").await,
        plant_id(&app, "saif", "VSK").await,
    );
    let mine = created(
        &warehouse,
        &app,
        "/api/v1/locations",
        place(&kol, "WH5", Some("R1"), None, None),
    )
    .await;
    assert_eq!(mine["code"], "KOL-WH5-R1");
    let before = count_of(&app, "select count(*) from locations").await;
    let (status, res) = post(
        &warehouse,
        &app,
        "/api/v1/locations",
        place(&vsk, "WH5", None, None, None),
    )
    .await;
    assert_eq!(
        (status, res["error"]["code"].as_str()),
        (403, Some("FORBIDDEN")),
        "{res}"
    );
    // nor move one of theirs there, nor change one of VSK
    let (status, _) = put(
        &warehouse,
        &app,
        &format!("/api/v1/locations/{}", id_of(&mine)),
        place(&vsk, "WH5", Some("R1"), None, None),
    )
    .await;
    assert_eq!(status, 403);
    let admin = app.logged_in("saif", "admin").await;
    let theirs = created(
        &admin,
        &app,
        "/api/v1/locations",
        place(&vsk, "WH5", None, None, None),
    )
    .await;
    let (status, _) = put(
        &warehouse,
        &app,
        &format!("/api/v1/locations/{}", id_of(&theirs)),
        place(&vsk, "WH6", None, None, None),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        count_of(&app, "select count(*) from locations").await,
        before + 1
    );
    assert_eq!(
        data_of(
            &admin,
            &app,
            &format!("/api/v1/locations/{}", id_of(&theirs))
        )
        .await["code"],
        "VSK-WH5"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_companys_administrator_adds_locations_and_categories() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (status, res) = post(&c, &app, "/api/v1/signup", json!({
        "company_name": "Konark Castings", "slug": "konark-castings", "currency": "INR", "time_zone": "Asia/Kolkata",
        "default_language": "en",
        "admin": {"username": "owner", "display_name": "Owner", "email": "owner@konark.example.in", "password": "a-long-enough-secret"}
    })).await;
    assert_eq!(status, 201, "{res}");
    let plants = data_of(&c, &app, "/api/v1/plants").await;
    let plant = plants["plants"][0].clone();
    let first = data_of(&c, &app, "/api/v1/locations").await;
    assert_eq!(
        first["locations"][0]["code"],
        format!("{}-WH1", plant["code"].as_str().expect("code"))
    );
    let bin = created(
        &c,
        &app,
        "/api/v1/locations",
        place(
            plant["id"].as_str().expect("id"),
            "WH1",
            Some("R01"),
            Some("B01"),
            Some("40"),
        ),
    )
    .await;
    assert_eq!(
        bin["code"],
        format!("{}-WH1-R01-B01", plant["code"].as_str().expect("code"))
    );
    let raw = created(
        &c,
        &app,
        "/api/v1/categories",
        category("RAW", "Raw material", None, None),
    )
    .await;
    // … and its first item, in one of the starter units, under that category
    let (status, item) = post(
        &c,
        &app,
        "/api/v1/items",
        json!({ "sku": "MS-ROD-12", "names": { "en": "MS rod 12 mm" }, "unit": "KG",
                "category_id": raw["id"], "material_type": "RM" }),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["data"]["unit"], "KG");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_doors_give_the_same_answer() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let mai = plant_id(&app, "demo", "MAI").await;
    let res = admin
        .post(app.url("/sfn/save_location"))
        .json(&json!({"id": null, "input": place(&mai, "WH4", Some("R2"), None, Some("12.25"))}))
        .send()
        .await
        .expect("sfn");
    assert_eq!(res.status(), 200);
    let by_fn: Value = res.json().await.expect("json");
    let id = id_of(&by_fn);
    assert_eq!(
        data_of(&admin, &app, &format!("/api/v1/locations/{id}")).await,
        by_fn
    );
    // the same refusal through both
    let res = admin
        .post(app.url("/sfn/save_location"))
        .json(&json!({"id": null, "input": place(&mai, "WH4", None, Some("B1"), None)}))
        .send()
        .await
        .expect("sfn");
    assert_eq!(res.status(), 422);
    let refused: Value = res.json().await.expect("json");
    assert_eq!(refused["fields"]["rack"], "required", "{refused}");
    let res = admin
        .post(app.url("/sfn/save_category"))
        .json(&json!({"id": null, "input": category("SFN", "By function", Some("फ़ंक्शन से"), None)}))
        .send()
        .await
        .expect("sfn");
    assert_eq!(res.status(), 200);
    let by_fn: Value = res.json().await.expect("json");
    assert_eq!(
        data_of(
            &admin,
            &app,
            &format!("/api/v1/categories/{}", id_of(&by_fn))
        )
        .await,
        by_fn
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_label_page_prints_a_qr_code_per_location() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let mai = plant_id(&app, "demo", "MAI").await;
    let a = created(
        &admin,
        &app,
        "/api/v1/locations",
        place(&mai, "WH3", Some("R1"), Some("B1"), None),
    )
    .await;
    let b = created(
        &admin,
        &app,
        "/api/v1/locations",
        place(&mai, "WH3", Some("R1"), Some("B2"), None),
    )
    .await;
    let html = page(
        &admin,
        &app,
        &format!(
            "/inventory/locations/labels?ids={},{}",
            id_of(&a),
            id_of(&b)
        ),
    )
    .await;
    let labels = html.split("data-testid=\"location-label\"").count() - 1;
    assert_eq!(labels, 2, "{html}");
    assert!(html.contains("MAI-WH3-R1-B1") && html.contains("MAI-WH3-R1-B2"));
    let svgs = html.matches("<svg").count();
    assert!(svgs >= 2, "{svgs} svg in {html}");
    assert!(!html.contains("<?xml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screens_render_translated_on_the_server() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    for (lang, categories, locations, print) in [
        ("hi", "श्रेणियाँ", "स्थान", "लेबल छापें"),
        ("ar", "الفئات", "المواقع", "طباعة الملصقات"),
    ] {
        set_language(&admin, &app, lang).await;
        let html = page(&admin, &app, "/inventory/categories").await;
        assert!(html.contains(categories), "{lang}: {html}");
        let html = page(&admin, &app, "/inventory/locations").await;
        assert!(
            html.contains(locations) && html.contains(print),
            "{lang}: {html}"
        );
        if lang == "ar" {
            assert!(html.contains("dir=\"rtl\""));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_gives_existing_administrators_storage_manage() {
    let app = TestApp::spawn().await;
    let held = "select count(*) from role_permissions rp join roles r on r.tenant_id = rp.tenant_id and r.id = rp.role_id
                 where r.name = 'Admin' and r.is_system and rp.permission = 'storage:manage' and rp.scope = 'all'";
    let tenants = count_of(&app, "select count(*) from tenants").await;
    assert_eq!(count_of(&app, held).await, tenants);
    // a tenant made before the grant existed: the migration's statement gives it back, once
    sqlx::query("delete from role_permissions where permission = 'storage:manage' and role_id in (select id from roles where name = 'Admin')")
        .execute(&app.db.owner)
        .await
        .expect("remove");
    assert_eq!(count_of(&app, held).await, 0);
    let migration = include_str!("../../../migrations/20261207000009_places.sql");
    let grant = &migration[migration
        .find("insert into role_permissions")
        .expect("the grant")..];
    for _ in 0..2 {
        sqlx::raw_sql(grant)
            .execute(&app.db.owner)
            .await
            .expect("grant");
    }
    assert_eq!(count_of(&app, held).await, tenants);
}
