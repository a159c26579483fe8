//! The tenant's own set-up through REST, as the setup wizard and the settings page make it: each
//! step saved on its own, the rules of each value, who may change what, and tenant isolation.
use crate::common::*;
use serde_json::{json, Value};

/// A freshly signed-up tenant's administrator (INR, the wizard not yet finished).
async fn new_company(app: &TestApp, slug: &str) -> reqwest::Client {
    let c = app.client();
    let (status, res) = post(
        &c,
        app,
        "/api/v1/signup",
        json!({
            "company_name": "Deccan Gears", "slug": slug, "currency": "USD", "time_zone": "Asia/Kolkata",
            "default_language": "en",
            "admin": {"username": "owner", "display_name": "Owner", "email": format!("owner@{slug}.example.in"),
                      "password": "a-long-enough-secret"}
        }),
    )
    .await;
    assert_eq!(status, 201, "{res}");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_steps_save_one_by_one_and_shape_the_tenant() {
    let app = TestApp::spawn().await;
    let c = new_company(&app, "deccan-gears").await;
    let settings = data_of(&c, &app, "/api/v1/tenant").await;
    assert_eq!(settings["setup_completed"], false);
    assert_eq!(settings["email_verified"], false);
    assert_eq!(
        settings["prefixes"],
        json!([{"doc_type": "PR", "prefix": "PR"}, {"doc_type": "PO", "prefix": "PO"}, {"doc_type": "GRN", "prefix": "GRN"}])
    );

    // step 1: company — the currency may still change; a bad GSTIN is refused and the rest kept
    let (status, res) = put(
        &c,
        &app,
        "/api/v1/tenant",
        json!({"name": "Deccan Gears Pvt Ltd", "currency": "INR", "fiscal_year_start_month": 4}),
    )
    .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["data"]["currency"], "INR");
    let companies = data_of(&c, &app, "/api/v1/companies").await;
    let company = companies["companies"][0]["id"]
        .as_str()
        .expect("company")
        .to_string();
    let (status, res) = put(
        &c,
        &app,
        &format!("/api/v1/companies/{company}"),
        json!({"name": "Deccan Gears Pvt Ltd", "tax_id": "27AAPFU0939F1ZW"}),
    )
    .await;
    assert_eq!(
        (status, res["error"]["details"]["tax_id"].is_string()),
        (422, true),
        "{res}"
    );
    let (status, res) = put(&c, &app, &format!("/api/v1/companies/{company}"), json!({"name": "Deccan Gears Pvt Ltd", "legal_name": "Deccan Gears Private Limited", "tax_id": "27aapfu0939f1zv", "address": "Pune"})).await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["data"]["tax_id"], "27AAPFU0939F1ZV");
    assert_eq!(
        data_of(&c, &app, "/api/v1/tenant").await["name"],
        "Deccan Gears Pvt Ltd"
    );

    // step 2: plants — code of 3, unique; the GSTIN gives the state
    let (status, res) = post(
        &c,
        &app,
        "/api/v1/plants",
        json!({"code": "PUNE", "name": "Pune"}),
    )
    .await;
    assert_eq!(
        (status, res["error"]["details"]["code"].is_string()),
        (422, true),
        "{res}"
    );
    let (status, res) = post(
        &c,
        &app,
        "/api/v1/plants",
        json!({"code": "pun", "name": "Pune works", "gstin": "27AAPFU0939F1ZV"}),
    )
    .await;
    assert_eq!(status, 201, "{res}");
    assert_eq!(
        (
            res["data"]["code"].as_str(),
            res["data"]["state_code"].as_str()
        ),
        (Some("PUN"), Some("27"))
    );
    let pune = res["data"]["id"].as_str().expect("plant").to_string();
    let (status, res) = post(
        &c,
        &app,
        "/api/v1/plants",
        json!({"code": "PUN", "name": "Again"}),
    )
    .await;
    assert_eq!(status, 422, "{res}");
    assert_eq!(
        res["error"]["details"]["code"]
            .as_str()
            .map(|s| !s.is_empty()),
        Some(true)
    );
    let (status, res) = post(
        &c,
        &app,
        "/api/v1/plants",
        json!({"code": "BLR", "name": "Bengaluru", "gstin": "29AAGCB7383J1Z4", "state_code": "27"}),
    )
    .await;
    assert_eq!(
        (status, res["error"]["details"]["state_code"].is_string()),
        (422, true),
        "{res}"
    );

    // steps 3 and 4: a department in the plant, a cost centre in the department
    let (status, res) = post(
        &c,
        &app,
        "/api/v1/departments",
        json!({"code": "mnt", "name": "Maintenance", "plant_id": pune}),
    )
    .await;
    assert_eq!(status, 201, "{res}");
    let dept = res["data"]["id"].as_str().expect("department").to_string();
    let (status, res) = post(
        &c,
        &app,
        "/api/v1/cost-centres",
        json!({"code": "CC-MNT", "name": "Maintenance", "department_id": dept}),
    )
    .await;
    assert_eq!(status, 201, "{res}");
    let (status, _) = post(
        &c,
        &app,
        "/api/v1/cost-centres",
        json!({"code": "CC-X", "name": "X", "department_id": uuid::Uuid::new_v4()}),
    )
    .await;
    assert_eq!(status, 422);
    let departments = data_of(&c, &app, "/api/v1/departments").await;
    assert_eq!(
        departments["departments"].as_array().map(Vec::len),
        Some(2),
        "ADM and MNT"
    );

    // step 5 and 6: numbers the Indian way, own prefixes (two kinds may not share one)
    let (status, res) = put(
        &c,
        &app,
        "/api/v1/tenant",
        json!({"number_format": "indian", "prefixes": [{"doc_type": "PR", "prefix": "PO"}]}),
    )
    .await;
    assert_eq!(
        (status, res["error"]["details"]["prefixes"].is_string()),
        (422, true),
        "{res}"
    );
    let (status, res) = put(
        &c,
        &app,
        "/api/v1/tenant",
        json!({"number_format": "indian", "prefixes": [{"doc_type": "PR", "prefix": "ind"}]}),
    )
    .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(
        res["data"]["prefixes"][0],
        json!({"doc_type": "PR", "prefix": "IND"})
    );
    assert_eq!(res["data"]["number_format"], "indian");

    // finished: the currency is fixed from now on, the rest still changes
    let (status, res) = put(&c, &app, "/api/v1/tenant", json!({"setup_completed": true})).await;
    assert_eq!(
        (status, res["data"]["setup_completed"].as_bool()),
        (200, Some(true))
    );
    let (status, res) = put(&c, &app, "/api/v1/tenant", json!({"currency": "USD"})).await;
    assert_eq!(
        (status, res["error"]["details"]["currency"].is_string()),
        (422, true),
        "{res}"
    );
    let (status, _) = put(
        &c,
        &app,
        "/api/v1/tenant",
        json!({"currency": "INR", "time_zone": "Asia/Dhaka"}),
    )
    .await;
    assert_eq!(status, 200, "the same currency again is no change");

    // every change is in the audit trail
    let entries: i64 = sqlx::query_scalar(
        "select count(*) from audit_log a join tenants t on t.id = a.tenant_id
          where t.slug = 'deccan-gears' and a.entity in ('tenant', 'company', 'plant', 'department', 'cost_centre')",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("audit");
    assert!(entries >= 8, "{entries}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_own_prefix_numbers_its_documents() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let (status, res) = put(
        &admin,
        &app,
        "/api/v1/tenant",
        json!({"prefixes": [{"doc_type": "PR", "prefix": "INDENT"}]}),
    )
    .await;
    assert_eq!(status, 200, "{res}");
    let engineer = app.logged_in("demo", "engineer").await;
    let r = drafted(
        &engineer,
        &app,
        one_line_requisition("Gasket", "2", "pcs", "10"),
    )
    .await;
    assert!(
        r["number"].as_str().unwrap_or("").starts_with("INDENT-"),
        "{r}"
    );
    // the counter is the kind's: back to PR, the sequence goes on
    let (status, _) = put(
        &admin,
        &app,
        "/api/v1/tenant",
        json!({"prefixes": [{"doc_type": "PR", "prefix": "PR"}]}),
    )
    .await;
    assert_eq!(status, 200);
    let next = drafted(
        &engineer,
        &app,
        one_line_requisition("Gasket", "2", "pcs", "10"),
    )
    .await;
    let seq = |v: &Value| {
        v["number"]
            .as_str()
            .and_then(|n| n.rsplit('-').next())
            .and_then(|s| s.parse::<u32>().ok())
    };
    assert_eq!(seq(&next), seq(&r).map(|n| n + 1), "{next}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_change_the_set_up_and_another_tenants_records_are_not_found() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    assert_eq!(get(&engineer, &app, "/api/v1/tenant").await.0, 403);
    let (status, _) = put(&engineer, &app, "/api/v1/tenant", json!({"name": "Mine"})).await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &engineer,
        &app,
        "/api/v1/plants",
        json!({"code": "ENG", "name": "Mine"}),
    )
    .await;
    assert_eq!(status, 403);
    // everyone signed in reads the plants (pickers show them)
    let plants = data_of(&engineer, &app, "/api/v1/plants").await;
    let demo_plant = plants["plants"][0]["id"]
        .as_str()
        .expect("plant")
        .to_string();
    // another tenant's administrator finds nothing of demo's
    let other = app.logged_in("saif", "admin").await;
    assert_eq!(
        get(&other, &app, &format!("/api/v1/plants/{demo_plant}"))
            .await
            .0,
        404
    );
    let (status, _) = put(
        &other,
        &app,
        &format!("/api/v1/plants/{demo_plant}"),
        json!({"code": "HAK", "name": "Hacked"}),
    )
    .await;
    assert_eq!(status, 404);
    let name: String = sqlx::query_scalar("select name from plants where id = $1::uuid")
        .bind(&demo_plant)
        .fetch_one(&app.db.owner)
        .await
        .expect("plant");
    assert_ne!(name, "Hacked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_policy_is_set_on_the_settings() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("demo", "admin").await;
    let (status, res) = put(
        &admin,
        &app,
        "/api/v1/tenant",
        json!({"require_totp_roles": ["Engineer", "Nobody"]}),
    )
    .await;
    assert_eq!(status, 422, "{res}");
    assert!(
        res["error"]["details"]["require_totp_roles[1]"].is_string(),
        "{res}"
    );
    let (status, res) = put(
        &admin,
        &app,
        "/api/v1/tenant",
        json!({"require_totp_roles": ["Engineer"]}),
    )
    .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["data"]["require_totp_roles"], json!(["Engineer"]));
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, res) = get(&engineer, &app, "/api/v1/requisitions").await;
    assert_eq!(
        (status, res["error"]["code"].as_str()),
        (403, Some("TOTP_ENROLMENT_REQUIRED")),
        "{res}"
    );
}
