//! The audit log, readable (issue 25, point 8): `GET /api/v1/audit` and its filters, tenant
//! isolation, the permission, the CSV export, and the monthly partitions kept ahead by the job.
use crate::common::*;
use serde_json::Value;
use uuid::Uuid;

/// Writes `n` entries for `tenant` as the recording code would (owner connection), at
/// `at_sql` (an SQL expression of `i`, 1..n) with the given user, action, record type and id.
#[allow(clippy::too_many_arguments)]
async fn seed(
    app: &TestApp,
    tenant: Uuid,
    n: i64,
    user: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: &str,
    at_sql: &str,
) {
    sqlx::query(&format!(
        "insert into audit_log (tenant_id, user_id, action, entity, entity_id, old_values, new_values, ip, user_agent, request_id, created_at)
         select $1, $2, $3, $4, $5, jsonb_build_object('n', i, 'same', 1), jsonb_build_object('n', i + 1, 'same', 1),
                '10.0.0.1', 'tests', 'req-' || i, {at_sql}
           from generate_series(1, $6) i"
    ))
    .bind(tenant)
    .bind(user)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(n)
    .execute(&app.db.owner)
    .await
    .expect("seed audit rows");
}

async fn user_id(app: &TestApp, slug: &str, username: &str) -> Uuid {
    sqlx::query_scalar(
        "select u.id from users u join tenants t on t.id = u.tenant_id where t.slug = $1 and u.username = $2",
    )
    .bind(slug)
    .bind(username)
    .fetch_one(&app.db.owner)
    .await
    .expect("user")
}

fn entries(data: &Value) -> &Vec<Value> {
    data["entries"].as_array().expect("entries")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_filters_find_what_they_name_newest_first() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    let manager = user_id(&app, "demo", "manager").await;
    let warehouse = user_id(&app, "demo", "warehouse").await;
    // 30 updates of one supplier by the manager over the last 30 days, 5 issues by the warehouse
    // last year in March, and the rows sign-in writes
    seed(
        &app,
        demo,
        30,
        Some(manager),
        "update",
        "supplier",
        "S-1",
        "now() - i * interval '1 day'",
    )
    .await;
    seed(
        &app,
        demo,
        5,
        Some(warehouse),
        "issue",
        "stock",
        "X-9",
        "timestamptz '2025-03-10 12:00+00' + i * interval '1 hour'",
    )
    .await;
    // 03:00 UTC on the 10th is still the 9th in Chicago (the demo company's time zone)
    seed(
        &app,
        demo,
        1,
        None,
        "late",
        "stock",
        "X-9",
        "timestamptz '2025-03-10 03:00+00'",
    )
    .await;
    let c = app.logged_in("demo", "admin").await;

    let all = data_of(&c, &app, "/api/v1/audit?per_page=100").await;
    let rows = entries(&all);
    assert!(rows.len() >= 37, "{all}");
    assert_eq!(all["more"], false);
    // newest first: the admin's sign-in just now, then the manager's updates
    assert_eq!(rows[0]["action"], "login", "{}", rows[0]);
    assert_eq!(rows[0]["user"]["username"], "admin");
    let ats: Vec<&str> = rows.iter().map(|r| r["at"].as_str().expect("at")).collect();
    let mut sorted = ats.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ats, sorted);

    let by_user = data_of(&c, &app, &format!("/api/v1/audit?user_id={manager}")).await;
    assert_eq!(by_user["pagination"]["total"], 30, "{by_user}");
    assert_eq!(by_user["pagination"]["pages"], 2);
    assert_eq!(entries(&by_user).len(), 20);
    let first = &entries(&by_user)[0];
    assert_eq!(
        first["user"]["display_name"]
            .as_str()
            .map(|s| !s.is_empty()),
        Some(true)
    );
    assert_eq!(first["entity"], "supplier");
    assert_eq!(first["entity_id"], "S-1");
    assert_eq!(first["old_values"]["n"], 1);
    assert_eq!(first["new_values"]["n"], 2);
    assert_eq!(first["ip"], "10.0.0.1");
    assert_eq!(first["user_agent"], "tests");
    assert_eq!(first["request_id"], "req-1");
    assert!(first["id"].is_i64());
    let page2 = data_of(&c, &app, &format!("/api/v1/audit?user_id={manager}&page=2")).await;
    assert_eq!(entries(&page2).len(), 10);
    assert_eq!(entries(&page2)[9]["request_id"], "req-30");

    for (query, n) in [
        ("entity=stock".to_string(), 6),
        ("entity=stock&entity_id=X-9".to_string(), 6),
        ("action=late&from=2025-03-10".to_string(), 0),
        ("action=late&from=2025-03-09&to=2025-03-09".to_string(), 1),
        ("entity=stock&entity_id=nothing".to_string(), 0),
        ("action=issue".to_string(), 5),
        ("action=issue&from=2025-03-01&to=2025-03-31".to_string(), 5),
        // the days are the company's; `to` includes its whole day
        ("action=issue&from=2025-03-10&to=2025-03-10".to_string(), 5),
        ("action=issue&from=2025-03-11".to_string(), 0),
        ("action=issue&to=2025-03-09".to_string(), 0),
        (format!("user_id={warehouse}&action=update"), 0),
        (
            format!("user_id={manager}&entity=supplier&entity_id=S-1&action=update"),
            30,
        ),
        // empty text filters are no filter
        ("entity=&action=issue".to_string(), 5),
    ] {
        let d = data_of(&c, &app, &format!("/api/v1/audit?{query}")).await;
        assert_eq!(d["pagination"]["total"], n, "{query}: {d}");
        assert_eq!(entries(&d).len(), n.min(20) as usize, "{query}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_filters_are_refused_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "admin").await;
    let long = "x".repeat(201);
    for (query, field) in [
        ("from=2026-05-02&to=2026-05-01".to_string(), "to"),
        ("from=yesterday".to_string(), "from"),
        ("user_id=42".to_string(), "user_id"),
        (format!("entity={long}"), "entity"),
        ("format=xml".to_string(), "format"),
        ("format=xml".to_string(), "format"),
        ("per_page=101".to_string(), "per_page"),
    ] {
        let (status, body) = get(&c, &app, &format!("/api/v1/audit?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
        assert!(
            body["error"]["details"][field].is_string(),
            "{query}: {body}"
        );
    }
    // the CSV export refuses the same before sending anything
    let res = c
        .get(app.url("/api/v1/audit?format=csv&from=2026-05-02&to=2026-05-01"))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_tenant_reads_only_its_own_trail() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    let saif = app.tenant_id("saif").await;
    seed(&app, demo, 3, None, "update", "item", "DEMO-ONLY", "now()").await;
    seed(&app, saif, 4, None, "update", "item", "SAIF-ONLY", "now()").await;
    let d = app.logged_in("demo", "admin").await;
    let s = app.logged_in("saif", "admin").await;
    let mine = data_of(&d, &app, "/api/v1/audit?entity=item&entity_id=DEMO-ONLY").await;
    assert_eq!(mine["pagination"]["total"], 3);
    let theirs = data_of(&d, &app, "/api/v1/audit?entity=item&entity_id=SAIF-ONLY").await;
    assert_eq!(theirs["pagination"]["total"], 0, "{theirs}");
    let all = data_of(&d, &app, "/api/v1/audit?per_page=100").await;
    assert!(entries(&all).iter().all(|e| e["entity_id"] != "SAIF-ONLY"));
    let saifs = data_of(&s, &app, "/api/v1/audit?entity=item").await;
    assert_eq!(saifs["pagination"]["total"], 4, "{saifs}");
    // another tenant's user as a filter finds nothing, like an unknown one
    let saif_admin = user_id(&app, "saif", "admin").await;
    let other = data_of(&d, &app, &format!("/api/v1/audit?user_id={saif_admin}")).await;
    assert_eq!(other["pagination"]["total"], 0);
    // and the export the same
    let csv = d
        .get(app.url("/api/v1/audit?format=csv&entity=item"))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(
        csv.contains("DEMO-ONLY") && !csv.contains("SAIF-ONLY"),
        "{csv}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_holders_of_audit_view_read_it_admin_and_executive() {
    let app = TestApp::spawn().await;
    for user in [
        "engineer",
        "manager",
        "procurement",
        "warehouse",
        "accountant",
    ] {
        let c = app.logged_in("demo", user).await;
        let (status, body) = get(&c, &app, "/api/v1/audit").await;
        assert_eq!(status, 403, "{user}: {body}");
        assert_eq!(body["error"]["code"], "FORBIDDEN");
        let res = c
            .get(app.url("/api/v1/audit?format=csv"))
            .send()
            .await
            .expect("csv");
        assert_eq!(res.status(), 403, "{user} csv");
        // the page's server functions too
        let res = c
            .get(app.url("/sfn/get_audit_options"))
            .send()
            .await
            .expect("sfn");
        assert_eq!(res.status(), 403, "{user} server function");
    }
    for user in ["admin", "executive"] {
        let c = app.logged_in("demo", user).await;
        let (status, body) = get(&c, &app, "/api/v1/audit").await;
        assert_eq!(status, 200, "{user}: {body}");
        let res = c
            .get(app.url("/sfn/get_audit_options"))
            .send()
            .await
            .expect("sfn");
        assert_eq!(res.status(), 200, "{user} server function");
    }
    // a bearer token of an administrator reads it as well; no session, 401
    let admin = app.logged_in("demo", "admin").await;
    let (token, _) = api_token(&admin, &app, "audit export").await;
    let res = app
        .bare_client()
        .get(app.url("/api/v1/audit?format=csv"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("bearer");
    assert_eq!(res.status(), 200);
    let (status, _) = get(&app.bare_client(), &app, "/api/v1/audit").await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_csv_export_streams_every_entry_with_its_header_and_defused_cells() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    // more than two chunks of the export (1,000 each)
    seed(
        &app,
        demo,
        2_345,
        None,
        "update",
        "item",
        "BULK",
        "now() - i * interval '1 minute'",
    )
    .await;
    seed(
        &app,
        demo,
        1,
        None,
        "=cmd|' /C calc'!A0",
        "item",
        "EVIL",
        "now() - interval '1 year'",
    )
    .await;
    let c = app.logged_in("demo", "admin").await;
    let res = c
        .get(app.url("/api/v1/audit?format=csv&entity=item"))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(header(&h, "content-type"), Some("text/csv; charset=utf-8"));
    let disposition = header(&h, "content-disposition").expect("disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"audit-log-"),
        "{disposition}"
    );
    assert_eq!(header(&h, "cache-control"), Some("private, no-store"));
    let text = res.text().await.expect("text");
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,at,user_id,username,user,action,entity,entity_id,old_values,new_values,ip,user_agent,request_id"
    );
    assert_eq!(lines.len(), 1 + 2_345 + 1, "every entry once");
    // newest first: the first of the bulk rows, its values as JSON
    assert!(
        lines[1].contains(",update,item,BULK,\"{\"\"n\"\":1,\"\"same\"\":1}\""),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",10.0.0.1,tests,req-1"), "{}", lines[1]);
    assert!(lines[2_345].ends_with(",req-2345"), "{}", lines[2_345]);
    // a cell a spreadsheet would run is defused
    assert!(
        lines[2_346].contains(",'=cmd|' /C calc'!A0,item,EVIL,"),
        "{}",
        lines[2_346]
    );
    let ids: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().expect("id"))
        .collect();
    assert_eq!(ids.len(), 2_346, "no entry twice across chunks");

    // the filters apply to the export; nothing found is the header alone
    let empty = c
        .get(app.url("/api/v1/audit?format=csv&entity=nothing"))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert_eq!(empty.split("\r\n").filter(|l| !l.is_empty()).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_trail_is_counted_to_ten_thousand_and_paged_beyond() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    seed(
        &app,
        demo,
        10_050,
        None,
        "ping",
        "probe",
        "P",
        "now() - i * interval '1 second'",
    )
    .await;
    let c = app.logged_in("demo", "admin").await;
    let d = data_of(&c, &app, "/api/v1/audit?action=ping&per_page=100").await;
    assert_eq!(d["more"], true, "{}", d["pagination"]);
    assert_eq!(d["pagination"]["total"], 10_000);
    assert_eq!(d["pagination"]["pages"], 100);
    // a page past the counted ones still answers its entries
    let last = data_of(&c, &app, "/api/v1/audit?action=ping&per_page=100&page=101").await;
    assert_eq!(entries(&last).len(), 50);
    assert_eq!(entries(&last)[49]["request_id"], "req-10050");
    assert_eq!(last["pagination"]["total"], 10_050);
    let small = data_of(
        &c,
        &app,
        "/api/v1/audit?action=ping&from=2000-01-01&to=2000-01-02",
    )
    .await;
    assert_eq!(small["more"], false);
}

async fn partition_of(app: &TestApp, request_id: &str) -> String {
    sqlx::query_scalar("select tableoid::regclass::text from audit_log where request_id = $1")
        .bind(request_id)
        .fetch_one(&app.db.owner)
        .await
        .expect("partition")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_land_in_their_months_partition_and_the_job_makes_partitions_ahead() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    // an entry written by the application goes to this month's partition
    let c = app.logged_in("demo", "admin").await;
    let (status, _) = get(&c, &app, "/api/v1/audit").await;
    assert_eq!(status, 200);
    let login_partition: String = sqlx::query_scalar(
        "select tableoid::regclass::text from audit_log where action = 'login' order by created_at desc limit 1",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("login row");
    let this_month: String = sqlx::query_scalar(
        "select 'audit_log_y' || to_char(now() at time zone 'UTC', 'YYYY') || 'm' || to_char(now() at time zone 'UTC', 'MM')",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("name");
    assert_eq!(login_partition, this_month);

    // the partitions made ahead: this month and three more, each under row-level security
    let ahead: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'audit_log'::regclass and c.relname <> 'audit_log_default'
            and c.relname >= 'audit_log_y' || to_char(now() at time zone 'UTC', 'YYYY\"m\"MM')
            and c.relrowsecurity and c.relforcerowsecurity order by 1",
    )
    .fetch_all(&app.db.owner)
    .await
    .expect("partitions");
    assert_eq!(ahead.len(), 4, "{ahead:?}");

    // the job: the furthest month lost (as if time had moved on) is made again when it runs
    let furthest = ahead[3].clone();
    sqlx::query(&format!("drop table {furthest}"))
        .execute(&app.db.owner)
        .await
        .expect("drop");
    // nothing due yet (start-up scheduled it for tomorrow), so nothing runs
    app::platform::audit_log::prepare(&app.pool)
        .await
        .expect("prepare");
    let pending: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "select tenant_id, run_at from jobs where kind = 'audit_partitions' and done_at is null",
    )
    .fetch_all(&app.db.owner)
    .await
    .expect("jobs");
    assert_eq!(pending.len(), 1, "one pending partition job: {pending:?}");
    assert_eq!(pending[0].0, Uuid::nil(), "a platform job");
    assert!(pending[0].1 > chrono::Utc::now());
    // (prepare itself made the missing month again: start-up also keeps them ahead)
    let exists = |name: String| {
        let owner = app.db.owner.clone();
        async move {
            sqlx::query_scalar::<_, bool>("select to_regclass($1) is not null")
                .bind(name)
                .fetch_one(&owner)
                .await
                .expect("exists")
        }
    };
    assert!(exists(furthest.clone()).await);
    sqlx::query(&format!("drop table {furthest}"))
        .execute(&app.db.owner)
        .await
        .expect("drop again");
    assert_eq!(
        app::platform::audit_log::run_partition_job(&app.pool)
            .await
            .expect("job"),
        None,
        "not due yet"
    );
    assert!(!exists(furthest.clone()).await);
    sqlx::query("update jobs set run_at = now() - interval '1 second' where kind = 'audit_partitions' and done_at is null")
        .execute(&app.db.owner)
        .await
        .expect("due");
    assert_eq!(
        app::platform::audit_log::run_partition_job(&app.pool)
            .await
            .expect("job"),
        Some(1)
    );
    assert!(
        exists(furthest.clone()).await,
        "{furthest} made ahead by the job"
    );
    let (done, next): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where done_at is not null), count(*) filter (where done_at is null and run_at > now())
           from jobs where kind = 'audit_partitions'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("jobs");
    assert_eq!((done, next), (1, 1), "done, and the next one scheduled");

    // months by UTC: the last instant of a month and the first of the next
    sqlx::query("select audit_log_partitions(timestamptz '2030-01-15 00:00+00', timestamptz '2030-02-15 00:00+00')")
        .execute(&app.db.owner)
        .await
        .expect("make 2030's first months");
    sqlx::query(
        "insert into audit_log (tenant_id, action, entity, request_id, created_at) values
           ($1, 'x', 'y', 'end-of-jan', timestamptz '2030-01-31 23:59:59.999+00'),
           ($1, 'x', 'y', 'start-of-feb', timestamptz '2030-02-01 00:00:00+00'),
           ($1, 'x', 'y', 'kolkata-feb', timestamptz '2030-02-01 05:00:00+05:30')",
    )
    .bind(demo)
    .execute(&app.db.owner)
    .await
    .expect("insert");
    assert_eq!(partition_of(&app, "end-of-jan").await, "audit_log_y2030m01");
    assert_eq!(
        partition_of(&app, "start-of-feb").await,
        "audit_log_y2030m02"
    );
    assert_eq!(
        partition_of(&app, "kolkata-feb").await,
        "audit_log_y2030m01"
    );

    // the last resort: a month without a partition waits in the default one, and moves to its
    // own partition when that is made
    sqlx::query("insert into audit_log (tenant_id, action, entity, request_id, created_at) values ($1, 'x', 'y', 'far', timestamptz '2031-07-04 10:00+00')")
        .bind(demo)
        .execute(&app.db.owner)
        .await
        .expect("far");
    assert_eq!(partition_of(&app, "far").await, "audit_log_default");
    sqlx::query("select audit_log_partitions(timestamptz '2031-07-01 00:00+00', timestamptz '2031-07-01 00:00+00')")
        .execute(&app.db.owner)
        .await
        .expect("make July 2031");
    assert_eq!(partition_of(&app, "far").await, "audit_log_y2031m07");

    // the application only reads and appends: no change, no partition of its own
    let mut conn = app.pool.acquire().await.expect("conn");
    for sql in [
        "update audit_log set action = 'y'",
        "delete from audit_log",
        "select count(*) from audit_log_default",
        "select audit_log_partitions(now(), now())",
    ] {
        let res = sqlx::query(sql).execute(&mut *conn).await;
        assert!(res.is_err(), "{sql} should be refused");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_old_and_new_side_by_side_in_the_readers_language() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    seed(&app, demo, 1, None, "update", "supplier", "S-PAGE", "now()").await;
    let admin = app.logged_in("demo", "admin").await;
    let html = page(
        &admin,
        &app,
        "/admin/audit?entity=supplier&entity_id=S-PAGE",
    )
    .await;
    assert!(html.contains("Audit log"), "{html}");
    // the changed key marked, the unchanged one not
    assert!(html.contains(r#"data-changed="true""#) && html.contains(r#"data-changed="false""#));
    assert!(html.contains("S-PAGE"));
    assert!(
        html.contains("/api/v1/audit?format=csv&amp;entity=supplier&amp;entity_id=S-PAGE"),
        "export link"
    );
    assert!(html.contains(r#"href="/admin/audit""#), "in the navigation");
    set_language(&admin, &app, "ar").await;
    let html = page(&admin, &app, "/admin/audit?entity=supplier").await;
    assert!(html.contains(r#"dir="rtl""#) && html.contains("سجل التدقيق") && html.contains("قبل"));

    // the executive has it in the navigation; the engineer neither sees it nor reads entries
    let exec = app.logged_in("demo", "executive").await;
    assert!(page(&exec, &app, "/")
        .await
        .contains(r#"href="/admin/audit""#));
    let eng = app.logged_in("demo", "engineer").await;
    assert!(!page(&eng, &app, "/")
        .await
        .contains(r#"href="/admin/audit""#));
    let html = page(&eng, &app, "/admin/audit?entity=supplier").await;
    assert!(!html.contains("S-PAGE") && !html.contains("data-changed"));
}

/// A compressed CSV export ends cleanly, however few entries it has (the compressing layer polls
/// the body once more after its end; an unfused stream panicked there and cut the connection).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compressed_export_arrives_whole() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "admin").await;
    for query in ["format=csv", "format=csv&from=2000-01-01&to=2000-01-01"] {
        for encoding in ["br", "gzip", "identity"] {
            let res = c
                .get(app.url(&format!("/api/v1/audit?{query}")))
                .header("accept-encoding", encoding)
                .send()
                .await
                .expect("export");
            assert_eq!(res.status(), 200, "{query} {encoding}");
            let body = res.bytes().await;
            assert!(
                body.is_ok_and(|b| !b.is_empty()),
                "{query} {encoding}: the answer was cut"
            );
        }
    }
}
