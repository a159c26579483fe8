//! Bulk import, adjustments and reversals, the item page, search facets and UID QR codes,
//! black-box through REST on real PostgreSQL.
use crate::common::*;
use serde_json::json;

/// Uploads `csv` to the item import: the status and the body.
async fn post_csv(
    c: &reqwest::Client,
    app: &TestApp,
    csv: impl Into<reqwest::Body>,
) -> (u16, serde_json::Value) {
    let res = c
        .post(app.url("/api/v1/items/import"))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    (status, json(res).await)
}

/// Polls the job an import's answer `started` until it ends (30 s at most).
async fn finished(
    c: &reqwest::Client,
    app: &TestApp,
    started: &serde_json::Value,
) -> serde_json::Value {
    let id = started["data"]["job_id"].as_str().expect("job id");
    for _ in 0..300 {
        let job = data_of(c, app, &format!("/api/v1/jobs/{id}")).await;
        if job["status"] == "succeeded" || job["status"] == "failed" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not finish");
}

async fn item_count(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "select count(*) from items where tenant_id = (select id from tenants where slug = 'demo')",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("count")
}

fn errors(job: &serde_json::Value) -> Vec<(u64, String)> {
    job["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or_default(),
                e["column"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_items_from_csv_is_all_or_nothing_with_errors_by_line() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let before = item_count(&app).await;

    // values a form would refuse: every bad row reported, nothing imported
    let (status, started) = post_csv(
        &warehouse,
        &app,
        "sku,unit,name_en,reorder_level,serialised\n\
         VLV-1,pcs,Ball valve,2,no\n\
         vlv 2,pcs,Lower case,1,no\n\
         VLV-3,pcs,,1,no\n\
         VLV-4,pcs,Gate valve,lots,no\n\
         VLV-5,pcs,Check valve,1,maybe\n\
         VLV-6,pcs,Short row\n",
    )
    .await;
    assert_eq!(status, 202, "{started}");
    let job = finished(&warehouse, &app, &started).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["imported"], 0);
    assert_eq!(
        errors(&job),
        vec![
            (3, "sku".into()),
            (4, "name_en".into()),
            (5, "reorder_level".into()),
            (6, "serialised".into()),
            (7, String::new()),
        ],
        "{job}"
    );
    assert!(job["errors"][0]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(item_count(&app).await, before);

    // what only the database knows: a SKU twice in the file, one that exists, an unknown category
    let (_, started) = post_csv(
        &warehouse,
        &app,
        "sku,unit,name_en,category\n\
         VLV-1,pcs,Ball valve,MECH\n\
         VLV-1,pcs,Ball valve again,MECH\n\
         BRG-6310,pcs,Existing,BRG\n\
         VLV-9,pcs,Needle valve,NOPE\n",
    )
    .await;
    let job = finished(&warehouse, &app, &started).await;
    assert_eq!(job["status"], "failed");
    assert_eq!(
        errors(&job),
        vec![(3, "sku".into()), (4, "sku".into()), (5, "category".into())],
        "{job}"
    );
    assert!(
        job["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains('2')),
        "names the first line: {job}"
    );
    assert_eq!(item_count(&app).await, before);

    // a header without the required columns, and a Latin-1 file
    let (_, started) = post_csv(&warehouse, &app, "code,name\nA,B\n").await;
    let job = finished(&warehouse, &app, &started).await;
    assert_eq!(job["status"], "failed");
    assert!(errors(&job).iter().all(|(line, _)| *line == 1), "{job}");
    let latin1 = b"sku,unit,name_en\nCAF-1,pcs,Caf\xe9 filter\n".to_vec();
    let (_, started) = post_csv(&warehouse, &app, latin1).await;
    let job = finished(&warehouse, &app, &started).await;
    assert_eq!(errors(&job), vec![(2, "name_en".into())], "{job}");

    // a good file, as a multipart upload with a byte-order mark: every row, in every language
    let csv = "\u{feff}sku,unit,name_en,name_hi,category,reorder_level,reorder_quantity,serialised,specs\n\
               VLV-1,pcs,\"Ball valve, 1 inch\",बॉल वाल्व,MECH,2,10,no,size=1 in; body=brass\n\
               VLV-2,pcs,Gate valve,गेट वाल्व,,0,0,yes,\n\
               VLV-3,pcs,Check valve,,MECH,,,,\n\
               VLV-4,pcs,Drain valve for helical gearbox,,,,,,\n";
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("valves.csv"),
    );
    let res = warehouse
        .post(app.url("/api/v1/items/import"))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status().as_u16(), 202);
    let started = json(res).await;
    let job = finished(&warehouse, &app, &started).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["imported"], 4);
    assert_eq!(job["processed"], 4);
    assert_eq!(job["file_name"], "valves.csv");
    assert_eq!(item_count(&app).await, before + 4);
    // their words join the company's vocabulary (gathered beside the import, merged in its
    // transaction): a word being typed, and a misspelling of a word the seeded gearbox has too
    let r = skus(&suggest(&warehouse, &app, "q=valv").await);
    assert_eq!(r.len(), 4, "{r:?}");
    assert!(r.iter().all(|s| s.starts_with("VLV-")), "{r:?}");
    let r = skus(&suggest(&warehouse, &app, "q=helicla").await);
    assert!(
        r.contains(&"VLV-4".to_string()) && r.contains(&"GBX-15-1".to_string()),
        "{r:?}"
    );
    let found = search(
        &warehouse,
        &app,
        "q=%E0%A4%B5%E0%A4%BE%E0%A4%B2%E0%A5%8D%E0%A4%B5",
    )
    .await; // वाल्व
    let skus: Vec<&str> = found["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["sku"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        skus.contains(&"VLV-1") && skus.contains(&"VLV-2"),
        "{found}"
    );
    let vlv2 = found["items"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["sku"] == "VLV-2"))
        .cloned()
        .unwrap_or_default();
    let item = data_of(
        &warehouse,
        &app,
        &format!("/api/v1/items/{}", vlv2["id"].as_str().unwrap_or_default()),
    )
    .await;
    assert_eq!(item["serialised"], true);
    assert_eq!(item["names"]["hi"], "गेट वाल्व");

    // importing is for those who keep the item master; jobs are per company
    let engineer = app.logged_in("demo", "engineer").await;
    let (status, _) = post_csv(&engineer, &app, "sku,unit,name_en\nX-1,pcs,X\n").await;
    assert_eq!(status, 403);
    let other = app.logged_in("saif", "warehouse").await;
    let (status, _) = get(
        &other,
        &app,
        &format!("/api/v1/jobs/{}", job["id"].as_str().unwrap_or_default()),
    )
    .await;
    assert_eq!(status, 404);
    let (status, e) = post_csv(&warehouse, &app, "").await;
    assert_eq!(status, 422, "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adjustments_and_reversals_correct_stock_without_editing_the_ledger() {
    let app = TestApp::spawn().await;
    let (item, loc, cc) = stock_to_issue(&app, "BRG-6205-2RS").await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let available = |d: &serde_json::Value| {
        d["stock"]
            .as_array()
            .and_then(|s| s.iter().find(|r| r["location_id"] == loc.as_str()))
            .map(|r| r["available"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let page = data_of(&warehouse, &app, &format!("/api/v1/items/{item}/stock")).await;
    assert_eq!(available(&page), "140", "{page}");
    assert_eq!(page["can_update"], true);

    // refused: no reason, zero, taking more than there is, an unknown location
    for (body, field) in [
        (
            json!({ "item_id": item, "location_id": loc, "quantity": "-2", "reason": " " }),
            "reason",
        ),
        (
            json!({ "item_id": item, "location_id": loc, "quantity": "0", "reason": "count" }),
            "quantity",
        ),
        (
            json!({ "item_id": item, "location_id": loc, "quantity": "-141", "reason": "count" }),
            "quantity",
        ),
        (
            json!({ "item_id": item, "location_id": cc, "quantity": "1", "reason": "count" }),
            "location_id",
        ),
    ] {
        let (status, e) = adjust(&warehouse, &app, body).await;
        assert_eq!(status, 422, "{e}");
        assert!(e["error"]["details"][field].is_string(), "{field}: {e}");
    }
    let (status, adj) = adjust(&warehouse, &app, json!({ "item_id": item, "location_id": loc, "quantity": "-2", "reason": "damaged in handling" })).await;
    assert_eq!(status, 201, "{adj}");
    assert_eq!(adj["data"]["kind"], "adjustment");
    assert_eq!(adj["data"]["reason"], "damaged in handling");
    let (status, issued) = issue(&warehouse, &app, issue_of(&item, &loc, "5", &cc)).await;
    assert_eq!(status, 201, "{issued}");
    let page = data_of(&warehouse, &app, &format!("/api/v1/items/{item}/stock")).await;
    assert_eq!(available(&page), "133");

    // the issue was a mistake: reversed, once, with a reason
    let issue_id = id_of(&issued["data"]);
    let (status, e) = reverse(&warehouse, &app, &issue_id, "").await;
    assert_eq!(status, 422, "{e}");
    let (status, rev) = reverse(
        &warehouse,
        &app,
        &issue_id,
        "issued to the wrong cost centre",
    )
    .await;
    assert_eq!(status, 201, "{rev}");
    assert_eq!(rev["data"]["kind"], "reversal");
    assert_eq!(rev["data"]["quantity"], "5");
    let (status, e) = reverse(&warehouse, &app, &issue_id, "again").await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["code"], "INVALID_STATE");
    let reversal = id_of(&rev["data"]);
    let (status, _) = reverse(&warehouse, &app, &reversal, "no").await;
    assert_eq!(status, 422, "a reversal is not reversed");

    let page = data_of(&warehouse, &app, &format!("/api/v1/items/{item}/stock")).await;
    assert_eq!(available(&page), "138");
    let kinds: Vec<&str> = page["movements"]
        .as_array()
        .map(|m| m.iter().filter_map(|r| r["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(&kinds[..3], &["reversal", "issue", "adjustment"], "{page}");

    // engineers read the item page but may not adjust
    let engineer = app.logged_in("demo", "engineer").await;
    let page = data_of(&engineer, &app, &format!("/api/v1/items/{item}/stock")).await;
    assert_eq!(page["can_update"], false);
    let (status, _) = adjust(
        &engineer,
        &app,
        json!({ "item_id": item, "location_id": loc, "quantity": "1", "reason": "found" }),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_counts_categories_and_plants_and_shows_stock_by_plant() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("saif", "engineer").await;
    let r = search(&engineer, &app, "q=bearing").await;
    let cats = r["facets"]["categories"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        cats.iter()
            .any(|c| c["count"].as_u64().unwrap_or_default() >= 2),
        "bearings counted in their category: {r}"
    );
    let plants = r["facets"]["plants"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!plants.is_empty(), "{r}");
    let first = &r["items"][0];
    assert!(
        first["stock"]
            .as_array()
            .is_some_and(|s| !s.is_empty() && s[0]["plant"].is_string()),
        "{r}"
    );
    assert_eq!(r["more"], false);
    // filtering by one category keeps only its items
    let cat = cats[0]["value"].as_str().unwrap_or_default().to_string();
    let n = cats[0]["count"].as_u64().unwrap_or_default();
    let r2 = search(&engineer, &app, &format!("q=bearing&category_id={cat}")).await;
    assert_eq!(r2["pagination"]["total"].as_u64(), Some(n), "{r2}");
    // a plant with no stock of it: stock shown there only, and nothing in stock there
    let other = if plants.iter().any(|p| p["value"] == "VSK") {
        "KOL"
    } else {
        "VSK"
    };
    let r3 = search(
        &engineer,
        &app,
        &format!("q=bearing&plant={other}&in_stock=true"),
    )
    .await;
    assert!(
        r3["items"]
            .as_array()
            .is_some_and(|a| a.iter().all(|i| i["stock"]
                .as_array()
                .is_some_and(|s| s.iter().all(|p| p["plant"] == other)))),
        "{r3}"
    );

    // QR codes: only for UIDs that exist in the caller's company; a bad check character is 422
    let (status, _) = get(
        &engineer,
        &app,
        "/api/v1/uids/UID-SAIF-KOL-S-000001-0/qr.svg",
    )
    .await;
    assert!(status == 422 || status == 404, "{status}");
    let valid = app::inventory::uid::Uid {
        tenant: "SAIF".into(),
        plant: "KOL".into(),
        material: app::inventory::model::material::MaterialType::Spare,
        seq: 999_999,
    }
    .format();
    let (status, _) = get(&engineer, &app, &format!("/api/v1/uids/{valid}/qr.svg")).await;
    assert_eq!(status, 404);
    let mut bad = valid.clone();
    let last = bad.pop().unwrap_or('0');
    bad.push(if last == '0' { '1' } else { '0' });
    let (status, _) = get(&engineer, &app, &format!("/api/v1/uids/{bad}/qr.svg")).await;
    assert_eq!(status, 422);
}

/// The SKUs of a list of items or suggestions, in its order.
fn skus_of(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["sku"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The SKUs of a type-ahead answer, in its order.
fn skus(r: &serde_json::Value) -> Vec<String> {
    skus_of(&r["suggestions"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn type_ahead_completes_skus_words_new_items_and_typos() {
    let app = TestApp::spawn().await;
    let engineer = app.logged_in("demo", "engineer").await;
    let r = suggest(&engineer, &app, "q=BRG-63").await;
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("BRG-6310"),
        "{r}"
    );
    let r = suggest(&engineer, &app, "q=bear").await;
    assert!(
        skus(&r).iter().any(|s| s.starts_with("BRG-")),
        "a word being typed: {r}"
    );
    let r = suggest(&engineer, &app, "q=gerbox").await;
    assert!(
        skus(&r).iter().any(|s| s.starts_with("GBX-")),
        "a typo: {r}"
    );
    let r = suggest(&engineer, &app, "q=%E0%A4%97%E0%A4%BF%E0%A4%AF%E0%A4%B0").await; // गियर
    assert!(
        skus(&r)
            .iter()
            .any(|s| s.starts_with("GBX-") || s.starts_with("CON-OIL")),
        "Hindi: {r}"
    );
    // part of a SKU, in search
    let r = search(&engineer, &app, "q=E7018").await;
    assert!(
        r["items"]
            .as_array()
            .is_some_and(|a| a.iter().any(|i| i["sku"] == "CON-WLD-E7018")),
        "{r}"
    );
    let r = search(&engineer, &app, "q=PRX-M1").await;
    assert_eq!(r["items"][0]["sku"], "SEN-PRX-M18", "{r}");
    let r = suggest(&engineer, &app, "q=zzzz").await;
    assert!(skus(&r).is_empty(), "{r}");

    // a new item's words are offered at once
    let warehouse = app.logged_in("demo", "warehouse").await;
    let (status, _) = post(&warehouse, &app, "/api/v1/items", json!({
        "sku": "TRB-1", "names": { "en": "Turbocharger cartridge", "hi": "टर्बोचार्जर कार्ट्रिज" }, "unit": "pcs" })).await;
    assert_eq!(status, 201);
    let r = suggest(&engineer, &app, "q=turbo").await;
    assert_eq!(skus(&r), vec!["TRB-1".to_string()], "{r}");
    // and not in another company
    let other = app.logged_in("saif", "engineer").await;
    let r = suggest(&other, &app, "q=turbo").await;
    assert!(skus(&r).is_empty(), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_common_word_is_ranked_in_blocks_and_a_later_page_reads_more() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let mut csv = String::from("sku,unit,name_en,category\n");
    for i in 1..=320 {
        let cat = if i % 2 == 0 { "MECH" } else { "ELEC" };
        csv.push_str(&format!("WDG-{i},pcs,Widget type {i},{cat}\n"));
    }
    imported(&warehouse, &app, &csv).await;
    // the first page reads the first block of 100 matches and says there are more
    let r = search(&warehouse, &app, "q=widget&per_page=100").await;
    assert_eq!(r["more"], true, "{r}");
    assert_eq!(r["pagination"]["total"].as_u64(), Some(100), "{r}");
    let first = listed(&r);
    assert_eq!(first.len(), 100);
    // the next page reads another block and ranks the first as before: no item twice
    let r = search(&warehouse, &app, "q=widget&per_page=100&page=2").await;
    assert_eq!(r["pagination"]["total"].as_u64(), Some(200), "{r}");
    let second = listed(&r);
    assert_eq!(second.len(), 100);
    assert!(second.iter().all(|s| !first.contains(s)), "{second:?}");
    // pages of 20 across the end of the first block: 120 different items, page 1 as above
    let mut seen = Vec::new();
    for page in 1..=6 {
        let r = search(&warehouse, &app, &format!("q=widget&page={page}")).await;
        assert_eq!(r["more"], true, "{r}");
        seen.extend(listed(&r));
    }
    assert_eq!(seen[..20], first[..20]);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 120);
    // the last page: every match read, no more
    let r = search(&warehouse, &app, "q=widget&per_page=100&page=4").await;
    assert_eq!(r["pagination"]["total"].as_u64(), Some(320), "{r}");
    assert_eq!(r["more"], false);
    assert_eq!(listed(&r).len(), 20);
    // with a filter the full-text index answers (and still bounds what it ranks)
    let mech = id_where(&app, "select id from item_categories where tenant_id = (select id from tenants where slug = 'demo') and code = 'MECH'").await;
    let r = search(&warehouse, &app, &format!("q=widget&category_id={mech}")).await;
    assert_eq!(r["pagination"]["total"].as_u64(), Some(100), "{r}");
    assert_eq!(r["more"], true);
    let r = search(
        &warehouse,
        &app,
        &format!("q=widget&category_id={mech}&per_page=100&page=2"),
    )
    .await;
    assert_eq!(r["pagination"]["total"].as_u64(), Some(160), "{r}");
    assert_eq!(r["more"], false);
}

/// The SKUs of a search answer, in its order.
fn listed(r: &serde_json::Value) -> Vec<String> {
    skus_of(&r["items"])
}

/// Imports `csv` as `c` and waits for the job to succeed.
async fn imported(c: &reqwest::Client, app: &TestApp, csv: &str) {
    let (status, started) = post_csv(c, app, csv.to_string()).await;
    assert_eq!(status, 202, "{started}");
    let job = finished(c, app, &started).await;
    assert_eq!(job["status"], "succeeded", "{job}");
}

/// A company's items per full-text segment, and the segments it owns with their items and capacity.
type Placed = (Vec<(i16, i64)>, Vec<(i16, i32, i32)>);

/// Where a company's items are: [`Placed`].
async fn placed(app: &TestApp, slug: &str) -> Placed {
    let rows: Vec<(i16, i64)> = sqlx::query_as(
        "select segment, count(*) from items
          where tenant_id = (select id from tenants where slug = $1) group by 1 order by 1",
    )
    .bind(slug)
    .fetch_all(&app.db.owner)
    .await
    .expect("segments");
    let owned: Vec<(i16, i32, i32)> = sqlx::query_as(
        "select segment, items, capacity from item_segments
          where tenant_id = (select id from tenants where slug = $1) order by 1",
    )
    .bind(slug)
    .fetch_all(&app.db.owner)
    .await
    .expect("owned");
    (rows, owned)
}

/// The segment of each of these SKUs, by segment and SKU.
async fn segments_of(app: &TestApp, skus: &[&str]) -> Vec<(String, i16)> {
    sqlx::query_as("select sku, segment from items where sku = any($1) order by segment, sku")
        .bind(skus)
        .fetch_all(&app.db.owner)
        .await
        .expect("segments of SKUs")
}

/// A CSV of `n` items `PREFIX-1` … `PREFIX-n`, all named `name`.
fn items_csv(prefix: &str, n: u32, name: &str) -> String {
    let mut csv = String::from("sku,unit,name_en\n");
    for i in 1..=n {
        csv.push_str(&format!("{prefix}-{i},pcs,{name}\n"));
    }
    csv
}

/// A company that passes 65,536 items with a small import gets a first segment with room left
/// (`item_segments.capacity`); its next import fills that room, then a full-sized segment, in file order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_first_segment_is_filled_before_a_full_sized_one() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    // each import, and where the company's items are after it
    let steps: [(&str, u32, &str, Placed); 3] = [
        // 8 seeded + 60,000: still the shared segment
        ("SHR", 60_000, "Shared washer", (vec![(0, 60_008)], vec![])),
        // past 65,536: the import's rows go to a first segment of 16,384, 6,384 left
        (
            "FST",
            10_000,
            "First gasket",
            (vec![(0, 60_008), (1, 10_000)], vec![(1, 10_000, 16_384)]),
        ),
        // the next: 6,384 to the first segment, the rest to a full-sized one
        (
            "NXT",
            10_000,
            "Next grommet",
            (
                vec![(0, 60_008), (1, 16_384), (2, 3_616)],
                vec![(1, 16_384, 16_384), (2, 3_616, 65_536)],
            ),
        ),
    ];
    for (prefix, n, name, after) in steps {
        imported(&warehouse, &app, &items_csv(prefix, n, name)).await;
        assert_eq!(placed(&app, "demo").await, after, "after {prefix}");
    }
    assert_eq!(
        segments_of(&app, &["NXT-6384", "NXT-6385"]).await,
        vec![("NXT-6384".to_string(), 1), ("NXT-6385".to_string(), 2)]
    );
    // every segment is searched: a word of each
    for (q, total) in [("washer", 100), ("gasket", 100), ("grommet", 100)] {
        let r = search(&engineer, &app, &format!("q={q}")).await;
        assert_eq!(r["pagination"]["total"], total, "{q}: {}", r["pagination"]);
    }
    let r = search(&engineer, &app, "q=NXT-10000").await;
    assert_eq!(
        listed(&r).first().map(String::as_str),
        Some("NXT-10000"),
        "{r}"
    );
}

/// A company past 65,536 items gets segments of the full-text index of its own (`item_segments`): its import fills them in file order, the first one small (16,384 items, read first),
/// a later import the one with room; searches and type-ahead read every segment of the company
/// and none of another's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_company_is_searched_in_segments_of_its_own() {
    let app = TestApp::spawn().await;
    let warehouse = app.logged_in("demo", "warehouse").await;
    let engineer = app.logged_in("demo", "engineer").await;
    // one word only in the last rows
    let csv = items_csv("SEG", 70_000, "Filler bolt").replace(
        "SEG-69990,pcs,Filler bolt\n",
        "SEG-69990,pcs,Zanzibar coupling\n",
    );
    imported(&warehouse, &app, &csv).await;
    // the 8 demo items stay in the shared segment; the import's rows fill two of their own, a
    // small first one and a full-sized one, in file order
    let (rows, owned) = placed(&app, "demo").await;
    assert_eq!(rows, vec![(0, 8), (1, 16_384), (2, 53_616)]);
    assert_eq!(owned, vec![(1, 16_384, 16_384), (2, 53_616, 65_536)]);
    let edge = segments_of(&app, &["SEG-1", "SEG-16384", "SEG-16385", "SEG-70000"]).await;
    let edge: Vec<(&str, i16)> = edge.iter().map(|(s, k)| (s.as_str(), *k)).collect();
    assert_eq!(
        edge,
        vec![
            ("SEG-1", 1),
            ("SEG-16384", 1),
            ("SEG-16385", 2),
            ("SEG-70000", 2)
        ]
    );

    // a word of the last segment, a word of every item (the first page reads 100 of them), and
    // the demo's own items of the shared segment
    let r = search(&engineer, &app, "q=zanzibar").await;
    assert_eq!(listed(&r), vec!["SEG-69990"], "{r}");
    let r = search(&engineer, &app, "q=filler%20bolts").await;
    assert_eq!(r["pagination"]["total"], 100, "{}", r["pagination"]);
    assert_eq!(r["more"], true);
    let r = search(&engineer, &app, "q=bearings").await;
    assert!(listed(&r).contains(&"BRG-6310".to_string()), "{r}");
    let r = suggest(&engineer, &app, "q=zanzibar%20cou").await;
    assert_eq!(
        skus(&r).first().map(String::as_str),
        Some("SEG-69990"),
        "{r}"
    );

    // another company's word is its own: neither sees the other's items
    let saif = app.logged_in("saif", "warehouse").await;
    imported(&saif, &app, "sku,unit,name_en\nZNZ-1,pcs,Zanzibar valve\n").await;
    let r = search(&saif, &app, "q=zanzibar").await;
    assert_eq!(listed(&r), vec!["ZNZ-1"], "{r}");
    let r = search(&engineer, &app, "q=zanzibar").await;
    assert_eq!(listed(&r), vec!["SEG-69990"], "{r}");
    assert_eq!(
        placed(&app, "saif").await,
        (vec![(0, 9)], vec![]),
        "8 seeded and 1 imported"
    );

    // the next import of the large company goes to its segment with room
    imported(
        &warehouse,
        &app,
        "sku,unit,name_en\nQKA-1,pcs,Quokka pump\nQKA-2,pcs,Quokka valve\n",
    )
    .await;
    let (rows, owned) = placed(&app, "demo").await;
    assert_eq!(rows, vec![(0, 8), (1, 16_384), (2, 53_618)]);
    assert_eq!(owned, vec![(1, 16_384, 16_384), (2, 53_618, 65_536)]);
    let mut found = listed(&search(&engineer, &app, "q=quokka").await);
    found.sort();
    assert_eq!(found, vec!["QKA-1", "QKA-2"]);
}
