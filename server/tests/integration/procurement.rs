//! Requisitions and the approval engine, black-box through the REST API on real PostgreSQL.
use crate::common::*;
use serde_json::{json, Value};

fn big_requisition() -> Value {
    // 3 × 19,999.99 + 2 × 0.13 → 60,000.23 in USD: above the 50,000 accounts threshold
    json!({
        "purpose": "daily_operations",
        "needed_by": "2026-12-15",
        "notes": "Line 3 overhaul",
        "lines": [
            { "description": "Servo motor 2 kW", "quantity": "3", "unit": "pcs", "estimated_unit_price": "19999.99" },
            { "description": "Grease cartridge", "quantity": "2", "unit": "pcs", "estimated_unit_price": "0.13" }
        ]
    })
}

fn small_requisition() -> Value {
    one_line_requisition("Bearing 6204-2RS", "10", "pcs", "4.50")
}

/// The actions of a requisition's approval history, in order.
fn actions(r: &Value) -> Vec<&str> {
    r["data"]["approvals"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requisition_is_created_with_a_number_and_decimal_totals() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let r = drafted(&engineer, &app, big_requisition()).await;
    assert!(
        r["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("PR-2026-") && n.len() == "PR-2026-000001".len()),
        "{r}"
    );
    assert_eq!(r["status"], "draft");
    assert_eq!(r["total"], "60000.23");
    assert_eq!(r["currency"], "USD");
    assert_eq!(r["lines"][1]["line_total"], "0.26");
    assert_eq!(r["lines"][0]["quantity"], "3");
    assert_eq!(r["requester"], "Ravi Engineer");
    assert_eq!(r["department"], "Engineering");
}

/// The answer to a create is made from the input and what the creating statement returns, not
/// read back: it must be what reading the requisition gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_requisition_is_answered_as_it_reads_back() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let demo = "(select id from tenants where slug = 'demo')";
    let supplier = id_where(
        &app,
        &format!(
            "select id from suppliers where tenant_id = {demo} and active order by code limit 1"
        ),
    )
    .await;
    let item = id_where(
        &app,
        &format!("select id from items where tenant_id = {demo} and active order by sku limit 1"),
    )
    .await;
    let project = id_where(
        &app,
        &format!(
            "select id from projects where tenant_id = {demo} and active order by code limit 1"
        ),
    )
    .await;
    let r = drafted(&engineer, &app, json!({
        "purpose": "project", "project_id": project, "needed_by": "2026-12-20", "notes": "  Press line  ",
        "lines": [
            { "description": " Hydraulic hose ", "quantity": "2.500", "unit": " m ", "estimated_unit_price": "12.5",
              "supplier_id": supplier, "note": "  DN12  " },
            { "item_id": item, "description": "Catalogue part", "quantity": "1", "unit": "pcs", "estimated_unit_price": "0" },
            { "description": "Spare", "quantity": "3", "unit": "pcs", "estimated_unit_price": "1.05", "note": "   " }
        ]
    })).await;
    let id = id_of(&r);
    let read = data_of(&engineer, &app, &format!("/api/v1/requisitions/{id}")).await;
    assert_eq!(r, read);
    assert!(
        r["plant"].is_string() && r["lines"][0]["supplier"].is_string(),
        "{r}"
    );
    assert_eq!(r["lines"][0]["description"], "Hydraulic hose");
    assert_eq!(r["lines"][2]["note"], Value::Null);
    // an edit of the draft is held to the same reference rule, by line, and changes nothing
    let foreign = id_where(&app, "select i.id from items i join tenants t on t.id = i.tenant_id where t.slug <> 'demo' limit 1").await;
    let edit = json!({ "purpose": "daily_operations", "lines": [
        { "description": "ok", "quantity": "1", "unit": "pcs", "estimated_unit_price": "1", "supplier_id": supplier },
        { "description": "z", "quantity": "1", "unit": "pcs", "estimated_unit_price": "1", "item_id": foreign }]});
    let (status, body) = put(&engineer, &app, &format!("/api/v1/requisitions/{id}"), edit).await;
    assert_eq!(status, 422);
    let details = body["error"]["details"].as_object().expect("details");
    assert_eq!(details.len(), 1, "{body}");
    assert_eq!(details["lines[1].item_id"], "This record does not exist.");
    assert_eq!(
        data_of(&engineer, &app, &format!("/api/v1/requisitions/{id}")).await,
        read
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requisitions_are_refused_with_field_paths_and_change_nothing() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let bad = json!({ "purpose": "project", "lines": [
        { "description": "x", "quantity": "0", "unit": "pcs", "estimated_unit_price": "1" },
        { "description": "y", "quantity": "-2", "unit": "pcs", "estimated_unit_price": "1.001" },
        { "description": "z", "quantity": "1", "unit": "pcs", "estimated_unit_price": "1", "supplier_id": "00000000-0000-0000-0000-000000000001" }
    ]});
    let (status, body) = post(&engineer, &app, "/api/v1/requisitions", bad).await;
    assert_eq!(status, 422);
    let d = &body["error"]["details"];
    assert_eq!(d["project_id"], "This field is required.");
    assert_eq!(d["lines[0].quantity"], "Must be greater than zero.");
    assert_eq!(d["lines[1].quantity"], "Must be greater than zero.");
    assert_eq!(
        d["lines[1].estimated_unit_price"],
        "Too many decimal places."
    );
    let (status, body) = post(
        &engineer,
        &app,
        "/api/v1/requisitions",
        json!({ "purpose": "daily_operations", "lines": [] }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["details"]["lines"], "Add at least one line.");
    let (status, body) = post(&engineer, &app, "/api/v1/requisitions", json!({ "purpose": "daily_operations", "lines": [
        { "description": "z", "quantity": "1", "unit": "pcs", "estimated_unit_price": "1", "supplier_id": "00000000-0000-0000-0000-000000000001" }]})).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["details"]["lines[0].supplier_id"],
        "This record does not exist."
    );
    // references are checked line by line as the lines are written: only the bad one is named,
    // and the requisition already written in that transaction is not kept
    let supplier = id_where(&app, "select s.id from suppliers s join tenants t on t.id = s.tenant_id where t.slug = 'demo' and s.active limit 1").await;
    let other_tenants_item = id_where(&app, "select i.id from items i join tenants t on t.id = i.tenant_id where t.slug <> 'demo' limit 1").await;
    let (status, body) = post(&engineer, &app, "/api/v1/requisitions", json!({ "purpose": "daily_operations", "lines": [
        { "description": "ok", "quantity": "1", "unit": "pcs", "estimated_unit_price": "1", "supplier_id": supplier },
        { "description": "z", "quantity": "1", "unit": "pcs", "estimated_unit_price": "1", "item_id": other_tenants_item }]})).await;
    assert_eq!(status, 422, "{body}");
    let details = body["error"]["details"].as_object().expect("details");
    assert_eq!(details.len(), 1, "{body}");
    assert_eq!(details["lines[1].item_id"], "This record does not exist.");
    let (status, body) = post(
        &engineer,
        &app,
        "/api/v1/requisitions",
        json!({ "purpose": "daily_operations", "lines": [
        { "description": "z", "quantity": 1.5, "unit": "pcs", "estimated_unit_price": "1" }]}),
    )
    .await;
    assert_eq!(
        status, 422,
        "JSON numbers are refused for quantities: {body}"
    );
    let requisitions = count_of(&app, "select count(*) from requisitions").await;
    assert_eq!(requisitions, 0);
    let counters = count_of(
        &app,
        "select count(*) from doc_counters where doc_type = 'PR'",
    )
    .await;
    assert_eq!(counters, 0, "a refused requisition takes no number");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_route_manager_then_accounts_above_fifty_thousand() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let manager = app.logged_in("demo", "manager").await;
    let accountant = app.logged_in("demo", "accountant").await;
    let r = drafted(&engineer, &app, big_requisition()).await;
    let id = id_of(&r);

    // nobody approves before submission, and the requester never approves
    let (status, _) = approve(&manager, &app, &id).await;
    assert_eq!(status, 422);
    let (status, r) = submit(&engineer, &app, &id).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["data"]["status"], "under_review");
    assert_eq!(r["data"]["current_stage"], 1);
    let route = r["data"]["route"].as_array().expect("route");
    assert_eq!(route.len(), 2, "both stages apply above 50,000: {route:?}");
    assert_eq!(route[0]["approvers"], json!(["Meera Manager"]));
    assert_eq!(route[0]["status"], "pending");
    assert_eq!(route[1]["status"], "waiting");
    let (status, body) = approve(&engineer, &app, &id).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["error"]["details"]["approval"],
        "You cannot approve your own document."
    );
    // editing after submission is refused
    let (status, body) = put(
        &engineer,
        &app,
        &format!("/api/v1/requisitions/{id}"),
        small_requisition(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "INVALID_STATE");
    // the accountant is not the approver of stage 1
    let (status, _) = approve(&accountant, &app, &id).await;
    assert_eq!(status, 403);

    let inbox = json_of(&manager, &app, "/api/v1/approvals/pending").await;
    assert_eq!(inbox["data"]["approvals"][0]["number"], r["data"]["number"]);
    let (status, r) =
        requisition_action(&manager, &app, &id, "approve", json!({ "comment": "ok" })).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["data"]["status"], "under_review");
    assert_eq!(r["data"]["current_stage"], 2);
    // approving twice is a conflict
    let (status, _) = approve(&manager, &app, &id).await;
    assert_eq!(status, 409);
    let (status, body) =
        requisition_action(&accountant, &app, &id, "reject", json!({ "comment": " " })).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["details"]["comment"], "Please give a reason.");
    let (status, r) = approve(&accountant, &app, &id).await;
    assert_eq!(status, 200);
    assert_eq!(r["data"]["status"], "approved");
    assert_eq!(actions(&r), vec!["submit", "approve", "approve"]);
    // the requester heard of it
    let kinds: Vec<String> = sqlx::query_scalar(
        "select n.kind from notifications n join users u on u.id = n.user_id where u.username = 'engineer' order by n.created_at",
    )
    .fetch_all(&app.db.owner)
    .await
    .expect("notifications");
    assert_eq!(kinds, vec!["document_approved"]);
    counts_match_the_requisitions(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_requisition_needs_only_the_manager() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let manager = app.logged_in("demo", "manager").await;
    let id = id_of(&drafted(&engineer, &app, small_requisition()).await);
    let (_, r) = submit(&engineer, &app, &id).await;
    assert_eq!(r["data"]["route"].as_array().map(Vec::len), Some(1));
    let (_, r) = approve(&manager, &app, &id).await;
    assert_eq!(r["data"]["status"], "approved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_back_edit_and_resubmit_fixes_a_new_route() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let manager = app.logged_in("demo", "manager").await;
    let id = id_of(&drafted(&engineer, &app, big_requisition()).await);
    submit(&engineer, &app, &id).await;
    let (status, _) = requisition_action(&manager, &app, &id, "send-back", json!({})).await;
    assert_eq!(status, 422, "send back needs a comment");
    let (status, r) = requisition_action(
        &manager,
        &app,
        &id,
        "send-back",
        json!({ "comment": "Why three motors?" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(r["data"]["status"], "questioned");
    let (status, _) = put(
        &engineer,
        &app,
        &format!("/api/v1/requisitions/{id}"),
        small_requisition(),
    )
    .await;
    assert_eq!(status, 200);
    let (_, r) = submit(&engineer, &app, &id).await;
    assert_eq!(r["data"]["status"], "under_review");
    assert_eq!(
        r["data"]["route"].as_array().map(Vec::len),
        Some(1),
        "the new total needs the manager only"
    );
    let (_, r) = requisition_action(
        &manager,
        &app,
        &id,
        "reject",
        json!({ "comment": "Use stock" }),
    )
    .await;
    assert_eq!(r["data"]["status"], "rejected");
    assert_eq!(
        actions(&r),
        vec!["submit", "send_back", "resubmit", "reject"]
    );
    counts_match_the_requisitions(&app).await;
}

/// The kept counts (appended by the statements that create requisitions and change their status)
/// sum to what the requisitions table holds, per tenant, status and requester.
async fn counts_match_the_requisitions(app: &TestApp) {
    let differing: Vec<(String, i64, i64)> = sqlx::query_as(
        "with kept as (select tenant_id, status, requester_id, sum(n)::bigint n from requisition_counts group by 1, 2, 3),
              real as (select tenant_id, status, requester_id, count(*)::bigint n from requisitions group by 1, 2, 3)
         select coalesce(k.status, r.status), coalesce(k.n, 0), coalesce(r.n, 0)
           from kept k full join real r using (tenant_id, status, requester_id)
          where coalesce(k.n, 0) <> coalesce(r.n, 0)",
    )
    .fetch_all(&app.db.owner)
    .await
    .expect("counts");
    assert!(differing.is_empty(), "kept vs real counts: {differing:?}");
    let statuses: i64 = sqlx::query_scalar("select count(distinct status) from requisitions")
        .fetch_one(&app.db.owner)
        .await
        .expect("statuses");
    assert!(statuses > 0, "the comparison saw requisitions");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_approvers_acting_at_once_one_wins_and_the_other_gets_409() {
    let app = TestApp::spawn().await;
    // a second accountant, so stage 2 has two approvers who both see it
    sqlx::query(
        "insert into users (tenant_id, username, email, display_name, password_hash, language, department_id)
         select tenant_id, 'accountant2', 'a2@demo.example.com', 'Second Accountant', password_hash, 'en', department_id
           from users where username = 'accountant' and tenant_id = (select id from tenants where slug = 'demo')",
    )
    .execute(&app.db.owner)
    .await
    .expect("user");
    sqlx::query(
        "insert into user_roles (tenant_id, user_id, role_id)
         select u.tenant_id, u.id, r.id from users u join roles r on r.tenant_id = u.tenant_id and r.name = 'Accountant'
          where u.username = 'accountant2'",
    )
    .execute(&app.db.owner)
    .await
    .expect("role");
    let engineer = app.logged_in("demo", "engineer").await;
    let manager = app.logged_in("demo", "manager").await;
    let a1 = app.logged_in("demo", "accountant").await;
    let a2 = app.logged_in("demo", "accountant2").await;
    let id = id_of(&drafted(&engineer, &app, big_requisition()).await);
    submit(&engineer, &app, &id).await;
    approve(&manager, &app, &id).await;
    let (r1, r2) = tokio::join!(approve(&a1, &app, &id), approve(&a2, &app, &id));
    let mut codes = vec![r1.0, r2.0];
    codes.sort();
    assert_eq!(codes, vec![200, 409]);
    let approvals = count_of(
        &app,
        "select count(*) from approval_actions where action = 'approve'",
    )
    .await;
    assert_eq!(approvals, 2, "manager + exactly one accountant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_creators_get_unique_gap_free_numbers() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let c = engineer.clone();
        let url = app.url("/api/v1/requisitions");
        tasks.push(tokio::spawn(async move {
            let res = c
                .post(url)
                .json(&small_requisition())
                .send()
                .await
                .expect("post");
            assert_eq!(res.status(), 201);
            let body: Value = res.json().await.expect("json");
            body["data"]["number"].as_str().expect("number").to_string()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.expect("task"));
    }
    numbers.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("PR-2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_tenants_requisition_is_not_found() {
    let app = TestApp::spawn().await;
    let demo = app.logged_in("demo", "engineer").await;
    let id = id_of(&drafted(&demo, &app, small_requisition()).await);
    let path = format!("/api/v1/requisitions/{id}");
    let saif = app.logged_in("saif", "procurement").await;
    assert_eq!(get(&saif, &app, &path).await.0, 404);
    let (status, _) = approve(&saif, &app, &id).await;
    assert_eq!(status, 404);
    // and an engineer does not see a colleague's requisition
    let other = app.logged_in("demo", "warehouse").await;
    assert_eq!(get(&other, &app, &path).await.0, 404);
    let list = json_of(&saif, &app, "/api/v1/requisitions").await;
    assert_eq!(list["data"]["pagination"]["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_approves_on_behalf_while_the_manager_is_away() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "insert into delegations (tenant_id, from_user_id, to_user_id, starts_on, ends_on)
         select m.tenant_id, m.id, d.id, current_date - 1, current_date + 7 from users m join users d on d.tenant_id = m.tenant_id
          where m.username = 'manager' and d.username = 'procurement_mgr' and m.tenant_id = (select id from tenants where slug = 'demo')",
    )
    .execute(&app.db.owner)
    .await
    .expect("delegation");
    let engineer = app.logged_in("demo", "engineer").await;
    let delegate = app.logged_in("demo", "procurement_mgr").await;
    let id = id_of(&drafted(&engineer, &app, small_requisition()).await);
    submit(&engineer, &app, &id).await;
    let inbox = json_of(&delegate, &app, "/api/v1/approvals/pending").await;
    assert_eq!(
        inbox["data"]["approvals"][0]["on_behalf_of"],
        "Meera Manager"
    );
    let (status, r) = approve(&delegate, &app, &id).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["data"]["status"], "approved");
    let last = &r["data"]["approvals"][1];
    assert_eq!(last["approver"], "Priya Procurement Manager");
    assert_eq!(last["on_behalf_of"], "Meera Manager");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_stage_escalates_to_the_procurement_manager() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let id = id_of(&drafted(&engineer, &app, small_requisition()).await);
    submit(&engineer, &app, &id).await;
    // nothing is due yet
    assert_eq!(
        app::approvals::engine::run_due_escalations(&app.pool)
            .await
            .expect("run"),
        0
    );
    sqlx::query("update jobs set run_at = now() - interval '1 minute' where kind = 'escalate'")
        .execute(&app.db.owner)
        .await
        .expect("age");
    assert_eq!(
        app::approvals::engine::run_due_escalations(&app.pool)
            .await
            .expect("run"),
        1
    );
    assert_eq!(
        app::approvals::engine::run_due_escalations(&app.pool)
            .await
            .expect("run"),
        0,
        "done once"
    );
    let pm = app.logged_in("demo", "procurement_mgr").await;
    let inbox = json_of(&pm, &app, "/api/v1/approvals/pending").await;
    assert_eq!(inbox["data"]["approvals"].as_array().map(Vec::len), Some(1));
    let kinds: Vec<String> = sqlx::query_scalar(
        "select n.kind from notifications n join users u on u.id = n.user_id where u.username = 'procurement_mgr'",
    )
    .fetch_all(&app.db.owner)
    .await
    .expect("notifications");
    assert_eq!(kinds, vec!["approval_escalated"]);
    let (status, r) = approve(&pm, &app, &id).await;
    assert_eq!(status, 200);
    assert_eq!(r["data"]["status"], "approved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suppliers_are_listed_searched_created_and_codes_are_unique() {
    let app = TestApp::spawn().await;
    let proc = app.logged_in("demo", "procurement").await;
    let list = json_of(&proc, &app, "/api/v1/suppliers?q=glbex").await;
    assert_eq!(
        list["data"]["suppliers"][0]["code"], "GLOBEX",
        "typo-tolerant: {list}"
    );
    let (status, s) = post(
        &proc,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "NEWCO", "name": "New Co", "email": "a@newco.example.com" }),
    )
    .await;
    assert_eq!(status, 201, "{s}");
    assert_eq!(s["data"]["currency"], "USD");
    let (status, body) = post(
        &proc,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "NEWCO", "name": "Again" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["details"]["code"],
        "This value is already used."
    );
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = post(
        &engineer,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "X", "name": "x" }),
    )
    .await;
    assert_eq!(status, 403);
}

/// The list's total for someone who sees everything comes from counts kept by a trigger: they
/// must agree with the rows through creation, submission and cancellation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_totals_follow_every_change() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let line = one_line_requisition(&format!("Item {i}"), "1", "pcs", "10");
        ids.push(id_of(&drafted(&engineer, &app, line).await));
    }
    let (s1, _) = submit(&engineer, &app, &ids[0]).await;
    let (s2, _) = delete(&engineer, &app, &format!("/api/v1/requisitions/{}", ids[1])).await;
    assert_eq!((s1, s2 / 100), (200, 2));
    let procurement = app.logged_in("demo", "procurement").await;
    let total = |v: serde_json::Value| v["pagination"]["total"].as_u64().unwrap_or(u64::MAX);
    // DELETE cancels (the record stays, audited)
    assert_eq!(
        total(data_of(&procurement, &app, "/api/v1/requisitions").await),
        4
    );
    assert_eq!(
        total(data_of(&procurement, &app, "/api/v1/requisitions?q=Item").await),
        4,
        "counted rows agree"
    );
    assert_eq!(
        total(data_of(&procurement, &app, "/api/v1/requisitions?status=cancelled").await),
        1
    );
    assert_eq!(
        total(data_of(&procurement, &app, "/api/v1/requisitions?status=draft").await),
        2
    );
    assert_eq!(
        total(
            data_of(
                &procurement,
                &app,
                "/api/v1/requisitions?status=under_review"
            )
            .await
        ),
        1
    );
    assert_eq!(
        total(data_of(&procurement, &app, "/api/v1/requisitions?mine=true").await),
        0
    );
    assert_eq!(
        total(data_of(&engineer, &app, "/api/v1/requisitions?mine=true").await),
        4
    );
    assert_eq!(
        total(data_of(&procurement, &app, "/api/v1/requisitions?q=Item%202").await),
        1
    );
    let other = app.logged_in("saif", "procurement").await;
    assert_eq!(
        total(data_of(&other, &app, "/api/v1/requisitions").await),
        0
    );

    // the lists just read are kept by the server: a change is seen at the next read
    let (status, _) = submit(&engineer, &app, &ids[2]).await;
    assert_eq!(status, 200);
    let by_status = |s: &'static str| {
        let (procurement, app) = (&procurement, &app);
        async move {
            total(
                data_of(
                    procurement,
                    app,
                    &format!("/api/v1/requisitions?status={s}"),
                )
                .await,
            )
        }
    };
    assert_eq!(
        (by_status("draft").await, by_status("under_review").await),
        (1, 2)
    );
    // counts are appended deltas; folding them changes no total
    // (the server also folds them every 10 seconds)
    sqlx::query("select compact_requisition_counts()")
        .execute(&app.db.owner)
        .await
        .expect("compaction");
    let rows: i64 = sqlx::query_scalar(
        "select count(*) from requisition_counts c join tenants t on t.id = c.tenant_id where t.slug = 'demo'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("count rows");
    assert!(rows <= 3, "one row per status and requester: {rows}");
    assert_eq!(
        (by_status("draft").await, by_status("under_review").await),
        (1, 2)
    );
    assert_eq!(by_status("cancelled").await, 1);
    counts_match_the_requisitions(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_that_needs_every_approver_of_its_role_closes_with_the_last() {
    let app = TestApp::spawn().await;
    // stage 1 of requisitions: every Accountant must approve; the manager is made one too
    sqlx::query(
        "update approval_rules r set approver_kind = 'role', approver_role = 'Accountant', require_all = true
           from tenants t where t.id = r.tenant_id and t.slug = 'demo' and r.doc_type = 'requisition' and r.stage = 1",
    )
    .execute(&app.db.owner)
    .await
    .expect("rule");
    sqlx::query(
        "insert into user_roles (tenant_id, user_id, role_id)
         select u.tenant_id, u.id, r.id from users u join tenants t on t.id = u.tenant_id
           join roles r on r.tenant_id = u.tenant_id and r.name = 'Accountant'
          where t.slug = 'demo' and u.username = 'manager'",
    )
    .execute(&app.db.owner)
    .await
    .expect("role");
    let engineer = app.logged_in("demo", "engineer").await;
    let manager = app.logged_in("demo", "manager").await;
    let accountant = app.logged_in("demo", "accountant").await;
    let id = id_of(&drafted(&engineer, &app, small_requisition()).await);
    let (status, body) = submit(&engineer, &app, &id).await;
    assert_eq!(status, 200, "{body}");
    let seats = body["data"]["route"][0]["approvers"]
        .as_array()
        .map(Vec::len);
    assert_eq!(seats, Some(2), "{body}");
    let ok = || json!({ "comment": "ok" });
    // the first approval leaves the stage open for the other accountant
    let (status, body) = requisition_action(&manager, &app, &id, "approve", ok()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "under_review", "{body}");
    assert_eq!(body["data"]["route"][0]["status"], "pending", "{body}");
    let (status, _) = requisition_action(&manager, &app, &id, "approve", ok()).await;
    assert_eq!(status, 409, "a seat decides once");
    // the last one closes the stage and, with no further stage, approves the requisition
    let (status, body) = requisition_action(&accountant, &app, &id, "approve", ok()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "approved", "{body}");
    assert_eq!(body["data"]["route"][0]["status"], "approved", "{body}");
    let open_jobs = count_of(
        &app,
        "select count(*) from jobs where kind = 'escalate' and done_at is null",
    )
    .await;
    assert_eq!(open_jobs, 0, "the stage's escalation is closed with it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_requisition_reaches_the_lists_kept_by_another_instance() {
    let a = TestApp::spawn().await;
    let b = a.another_instance().await;
    let engineer_a = a.logged_in("demo", "engineer").await;
    let engineer_b = b.logged_in("demo", "engineer").await;
    let total = |body: &Value| body["pagination"]["total"].as_u64();
    // the list is read (and kept) by instance b …
    let before = data_of(&engineer_b, &b, "/api/v1/requisitions?mine=true").await;
    assert_eq!(total(&before), Some(0));
    let again = data_of(&engineer_b, &b, "/api/v1/requisitions?mine=true").await;
    assert_eq!(total(&again), Some(0));
    // … a requisition is created on instance a, which announces it once committed (db::Announcer):
    // b's kept page is dropped once the announcement arrives
    drafted(&engineer_a, &a, small_requisition()).await;
    let mut seen = None;
    for _ in 0..40 {
        seen = total(&data_of(&engineer_b, &b, "/api/v1/requisitions?mine=true").await);
        if seen == Some(1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen, Some(1), "instance b still lists the page it kept");
}

/// Cancelling and a list's status filter follow one rule each, in the service: REST and the
/// server functions give the same answer (a submitted requisition is not the requester's to
/// cancel; an unknown status is a 422 on `status`, never silently dropped).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_doors_apply_one_rule_to_cancel_and_to_a_bad_status_filter() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let submitted = id_of(&drafted(&engineer, &app, small_requisition()).await);
    let (status, _) = submit(&engineer, &app, &submitted).await;
    assert_eq!(status, 200);
    let (status, body) = delete(
        &engineer,
        &app,
        &format!("/api/v1/requisitions/{submitted}"),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (422, &json!("INVALID_STATE")),
        "{body}"
    );
    let sfn = server_fn(&engineer, &app, "cancel_requisition", &[("id", &submitted)]).await;
    assert_eq!(sfn.status(), 422, "the server function refuses alike");
    let draft = id_of(&drafted(&engineer, &app, small_requisition()).await);
    let sfn = server_fn(&engineer, &app, "cancel_requisition", &[("id", &draft)]).await;
    assert_eq!(
        sfn.status(),
        200,
        "a draft is cancelled through either door"
    );

    let procurement = app.logged_in("demo", "procurement").await;
    for (rest, sfn) in [
        (
            "/api/v1/requisitions?status=bogus",
            "/sfn/list_requisitions?status=bogus&mine=false&page=1",
        ),
        (
            "/api/v1/purchase-orders?status=bogus",
            "/sfn/list_orders?status=bogus&page=1",
        ),
    ] {
        let (status, body) = get(&procurement, &app, rest).await;
        assert_eq!(status, 422, "{rest}: {body}");
        assert!(body["error"]["details"]["status"].is_string(), "{body}");
        let res = procurement.get(app.url(sfn)).send().await.expect("sfn");
        assert_eq!(res.status(), 422, "{sfn}");
        // an empty filter is no filter, through both doors
        let rest_all = rest.replace("bogus", "");
        let sfn_all = sfn.replace("bogus", "");
        assert_eq!(get(&procurement, &app, &rest_all).await.0, 200);
        assert_eq!(
            procurement
                .get(app.url(&sfn_all))
                .send()
                .await
                .expect("sfn")
                .status(),
            200
        );
    }
}

/// The list read from the database (the result cache off): every filter and scope pages through
/// the same rows as one big page, in the same order, with the same total on every page, and a
/// page past the end is empty with the total still right.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uncached_list_pages_agree_with_one_big_page_for_every_filter() {
    let app = TestApp::spawn_with(|c| c.result_cache = false).await;
    let engineer = app.logged_in("demo", "engineer").await;
    let manager = app.logged_in("demo", "manager").await;
    let procurement = app.logged_in("demo", "procurement").await;
    for i in 0..7 {
        let r = drafted(
            &engineer,
            &app,
            one_line_requisition(&format!("Pump {i}"), "1", "pcs", "10"),
        )
        .await;
        if i < 3 {
            submitted(&engineer, &app, &id_of(&r)).await;
        }
    }
    for i in 0..2 {
        drafted(
            &manager,
            &app,
            one_line_requisition(&format!("Valve {i}"), "1", "pcs", "10"),
        )
        .await;
    }
    let ids = |v: &Value| -> Vec<String> {
        v["requisitions"]
            .as_array()
            .map(|rows| rows.iter().map(id_of).collect())
            .unwrap_or_default()
    };
    // procurement sees all, the manager their department (the engineer's too), the engineer their own
    let cases: [(&reqwest::Client, &str, u64); 13] = [
        (&procurement, "", 9),
        (&procurement, "q=Pump", 7),
        (&procurement, "q=valve", 2),
        (&procurement, "status=draft", 6),
        (&procurement, "status=under_review", 3),
        (&procurement, "mine=true", 0),
        (&engineer, "mine=true", 7),
        (&engineer, "q=Pump&status=draft", 4),
        (&procurement, "from=2000-01-01&to=2999-12-31", 9),
        (&engineer, "", 7),
        (&engineer, "q=valve", 0),
        (&manager, "", 9),
        (&manager, "status=under_review&q=pump", 3),
    ];
    for (client, filter, expected) in cases {
        let all = data_of(
            client,
            &app,
            &format!("/api/v1/requisitions?{filter}&per_page=100"),
        )
        .await;
        assert_eq!(all["pagination"]["total"], expected, "{filter}");
        let all = ids(&all);
        assert_eq!(all.len() as u64, expected, "{filter}");
        let mut paged = Vec::new();
        for page in 1..=4 {
            let body = data_of(
                client,
                &app,
                &format!("/api/v1/requisitions?{filter}&per_page=3&page={page}"),
            )
            .await;
            assert_eq!(
                body["pagination"]["total"], expected,
                "{filter} page {page}"
            );
            paged.extend(ids(&body));
        }
        assert_eq!(paged, all, "{filter}: pages in the list's order");
        let past = data_of(
            client,
            &app,
            &format!("/api/v1/requisitions?{filter}&per_page=3&page=50"),
        )
        .await;
        assert!(ids(&past).is_empty(), "{filter}");
        assert_eq!(
            past["pagination"]["total"], expected,
            "{filter} past the end"
        );
    }
}
