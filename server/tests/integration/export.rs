//! The lists' exports over REST (`format=csv|xlsx`): every page of the list with the same
//! filters, as a file in the caller's language, and the same permission as the JSON list.
use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use reqwest::Client;
use serde_json::{json, Value};
use std::io::Cursor;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A string of a locale file: `section.key` in `lang`.
fn label(lang: &str, key: &str) -> String {
    let path = format!("{}/../locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("locale file");
    let all: Value = serde_json::from_str(&text).expect("locale json");
    let (section, name) = key.split_once('.').expect("section.key");
    all[section][name].as_str().expect(key).to_string()
}

/// An export's answer: status, headers and bytes.
async fn fetch(
    c: &Client,
    app: &TestApp,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = c.get(app.url(path)).send().await.expect("export request");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.expect("body").to_vec();
    (status, headers, bytes)
}

/// The records of a CSV export (its BOM checked and dropped), the header row first.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// The cells of an XLSX export's only sheet, the header row first.
fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
    let names = book.sheet_names();
    assert_eq!(names.len(), 1, "{names:?}");
    let range = book.worksheet_range(&names[0]).expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The list's total as its JSON says with the same filters.
async fn json_total(c: &Client, app: &TestApp, path: &str) -> u64 {
    let sep = if path.contains('?') { '&' } else { '?' };
    let data = data_of(c, app, &format!("{path}{sep}per_page=1")).await;
    data["pagination"]["total"].as_u64().expect("total")
}

/// Checks both files of `path` against its JSON list: the answer's headers, the header row's
/// first cell (`first_header`), one row per record of the list. The CSV's records.
async fn exports_match(
    c: &Client,
    app: &TestApp,
    path: &str,
    name: &str,
    first_header: &str,
) -> Vec<Vec<String>> {
    let total = json_total(c, app, path).await;
    let sep = if path.contains('?') { '&' } else { '?' };
    // CSV
    let (status, headers, bytes) = fetch(c, app, &format!("{path}{sep}format=csv")).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&bytes));
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/csv; charset=utf-8"),
        "{path}"
    );
    let disposition = header(&headers, "content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{name}-2"))
            && disposition.ends_with(".csv\""),
        "{path}: {disposition}"
    );
    assert_eq!(header(&headers, "x-export-truncated"), Some("false"));
    let rows = csv_rows(&bytes);
    assert_eq!(rows[0][0], first_header, "{path}: {:?}", rows[0]);
    assert_eq!(rows.len() as u64 - 1, total, "{path}: CSV rows");
    // XLSX
    let (status, headers, bytes) = fetch(c, app, &format!("{path}{sep}format=xlsx")).await;
    assert_eq!(status, 200, "{path}");
    assert_eq!(header(&headers, "content-type"), Some(XLSX), "{path}");
    let disposition = header(&headers, "content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{name}-2"))
            && disposition.ends_with(".xlsx\""),
        "{path}: {disposition}"
    );
    let sheet = xlsx_rows(&bytes);
    assert_eq!(
        sheet[0][0],
        Data::String(first_header.to_string()),
        "{path}"
    );
    assert_eq!(sheet.len() as u64 - 1, total, "{path}: XLSX rows");
    assert_eq!(sheet[0].len(), rows[0].len(), "{path}: the same columns");
    rows
}

/// Three requisitions of the engineer's (two drafts, one approved by the manager and ordered by
/// procurement): the order's number.
async fn some_procurement(app: &TestApp, procurement: &Client) -> String {
    let engineer = app.logged_in("demo", "engineer").await;
    for d in ["Grease, 1 kg", "Gloves"] {
        drafted(&engineer, app, one_line_requisition(d, "2", "pcs", "12.50")).await;
    }
    let acme =
        data_of(&engineer, app, "/api/v1/suppliers?q=ACME").await["suppliers"][0]["id"].clone();
    let r = drafted(&engineer, app, json!({
        "purpose": "daily_operations",
        "lines": [{ "description": "V-belt", "quantity": "4", "unit": "pcs", "estimated_unit_price": "310.75", "supplier_id": acme }]
    }))
    .await;
    let id = id_of(&r);
    submitted(&engineer, app, &id).await;
    let manager = app.logged_in("demo", "manager").await;
    let (status, body) = approve(&manager, app, &id).await;
    assert_eq!(status, 200, "{body}");
    let orders = generated_orders(
        procurement,
        app,
        json!({ "requisition_line_ids": [r["lines"][0]["id"]] }),
    )
    .await;
    orders[0]["number"].as_str().expect("number").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_list_exports_every_row_as_csv_and_xlsx_in_the_callers_language() {
    let app = TestApp::spawn().await;
    let procurement = app.logged_in("demo", "procurement").await;
    let po = some_procurement(&app, &procurement).await;
    set_language(&procurement, &app, "hi").await;
    let c = &procurement;

    // requisitions: all, and a status filter
    let all = exports_match(
        c,
        &app,
        "/api/v1/requisitions",
        "requisitions",
        &label("hi", "req.number"),
    )
    .await;
    assert_eq!(all.len(), 4, "three requisitions: {all:?}");
    let drafts = exports_match(
        c,
        &app,
        "/api/v1/requisitions?status=draft",
        "requisitions",
        &label("hi", "req.number"),
    )
    .await;
    assert_eq!(drafts.len(), 3, "{drafts:?}");
    assert!(
        drafts[1..]
            .iter()
            .all(|r| r[1] == label("hi", "req.s_draft")),
        "{drafts:?}"
    );
    // money as plain decimals with the currency's two places, its currency beside it
    assert!(
        drafts[1..].iter().all(|r| r[4] == "25.00" && r[5] == "USD"),
        "{drafts:?}"
    );

    // purchase orders: all, and the order searched by its number
    let orders = exports_match(
        c,
        &app,
        "/api/v1/purchase-orders",
        "purchase-orders",
        &label("hi", "po.number"),
    )
    .await;
    assert!(orders.len() >= 2);
    let one = exports_match(
        c,
        &app,
        &format!("/api/v1/purchase-orders?q={po}"),
        "purchase-orders",
        &label("hi", "po.number"),
    )
    .await;
    assert_eq!(one.len(), 2, "{one:?}");
    assert_eq!(one[1][0], po);
    // 4 × 310.75 and the default 5 % tax: 1,305.15
    assert_eq!(one[1][3], "1305.15", "{one:?}");

    // suppliers: every page (more than a page of 100), and a search
    let tenant = app.tenant_id("demo").await;
    sqlx::query(
        "insert into suppliers (tenant_id, code, name, currency)
         select $1, 'BULK-' || n, 'Bulk supplier ' || n, 'USD' from generate_series(1, 130) n",
    )
    .bind(tenant)
    .execute(&app.db.owner)
    .await
    .expect("bulk suppliers");
    let suppliers = exports_match(
        c,
        &app,
        "/api/v1/suppliers",
        "suppliers",
        &label("hi", "sup.code"),
    )
    .await;
    assert_eq!(suppliers.len(), 1 + 133, "all 133 suppliers in one file");
    let acme = exports_match(
        c,
        &app,
        "/api/v1/suppliers?q=ACME",
        "suppliers",
        &label("hi", "sup.code"),
    )
    .await;
    assert!(acme.len() >= 2 && acme.len() < suppliers.len(), "{acme:?}");
    assert!(acme[1..].iter().any(|r| r[0] == "ACME"), "{acme:?}");

    // items and stock: all, a text search, a plant
    let items = exports_match(
        c,
        &app,
        "/api/v1/items",
        "items",
        &label("hi", "export.sku"),
    )
    .await;
    assert_eq!(items.len(), 1 + 8, "{items:?}");
    exports_match(
        c,
        &app,
        "/api/v1/items?in_stock=true",
        "items",
        &label("hi", "export.sku"),
    )
    .await;
    let stock = exports_match(
        c,
        &app,
        "/api/v1/inventory",
        "stock",
        &label("hi", "export.sku"),
    )
    .await;
    assert!(
        stock[0].iter().any(|h| h.contains("(MAI)")),
        "a column per plant: {:?}",
        stock[0]
    );
    exports_match(
        c,
        &app,
        "/api/v1/inventory?plant=MAI&in_stock=true",
        "stock",
        &label("hi", "export.sku"),
    )
    .await;
    let sku = &items[1][0];
    exports_match(
        c,
        &app,
        &format!("/api/v1/inventory?q={sku}"),
        "stock",
        &label("hi", "export.sku"),
    )
    .await;

    // movements: all, and one item's
    let moves = exports_match(
        c,
        &app,
        "/api/v1/inventory/movements",
        "movements",
        &label("hi", "inv.date"),
    )
    .await;
    assert!(moves.len() > 1, "{moves:?}");
    let item = id_where(
        &app,
        "select m.item_id from stock_movements m join tenants t on t.id = m.tenant_id where t.slug = 'demo' limit 1",
    ).await;
    let some = exports_match(
        c,
        &app,
        &format!("/api/v1/inventory/movements?item_id={item}"),
        "movements",
        &label("hi", "inv.date"),
    )
    .await;
    assert!(some.len() < moves.len() || moves.len() == 2, "{some:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_indian_company_exports_its_suppliers_gstins() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("saif", "procurement").await;
    set_language(&c, &app, "en").await;
    let rows = exports_match(&c, &app, "/api/v1/suppliers", "suppliers", "Code").await;
    let gstin = rows[0]
        .iter()
        .position(|h| h == &label("en", "suppliertax.gstin"));
    let gstin = gstin.expect("a GSTIN column");
    assert!(rows[1..].iter().any(|r| r[gstin].len() == 15), "{rows:?}");
    // a company elsewhere has no such column
    let d = app.logged_in("demo", "procurement").await;
    set_language(&d, &app, "en").await;
    let rows = exports_match(&d, &app, "/api/v1/suppliers", "suppliers", "Code").await;
    assert!(
        !rows[0].contains(&label("en", "suppliertax.gstin")),
        "{:?}",
        rows[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_arabic_caller_gets_arabic_headers_and_a_right_to_left_sheet() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "procurement").await;
    set_language(&c, &app, "ar").await;
    let (status, _, bytes) = fetch(&c, &app, "/api/v1/suppliers?format=xlsx").await;
    assert_eq!(status, 200);
    let sheet = xlsx_rows(&bytes);
    assert_eq!(sheet[0][0], Data::String(label("ar", "sup.code")));
    let mut zip = zip_of(&bytes);
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
        &mut xml,
    )
    .expect("xml");
    assert!(xml.contains("rightToLeft=\"1\""));
}

fn zip_of(bytes: &[u8]) -> zip::ZipArchive<Cursor<Vec<u8>>> {
    zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_that_looks_like_a_formula_stays_text() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "procurement").await;
    let (status, body) = post(
        &c,
        &app,
        "/api/v1/suppliers",
        json!({ "code": "EVIL", "name": "=HYPERLINK(\"http://x\",\"y\")", "phone": "+91 98300 00000" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (_, _, bytes) = fetch(&c, &app, "/api/v1/suppliers?q=EVIL&format=csv").await;
    let rows = csv_rows(&bytes);
    let evil = rows.iter().find(|r| r[0] == "EVIL").expect("the supplier");
    assert_eq!(evil[1], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(evil[3], "'+91 98300 00000");
    // in the workbook it is a text cell, not a formula
    let (_, _, bytes) = fetch(&c, &app, "/api/v1/suppliers?q=EVIL&format=xlsx").await;
    let sheet = xlsx_rows(&bytes);
    let evil = sheet
        .iter()
        .find(|r| r[0] == Data::String("EVIL".into()))
        .expect("the supplier");
    assert_eq!(
        evil[1],
        Data::String("=HYPERLINK(\"http://x\",\"y\")".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_lists_permission_the_export_is_refused_as_the_list_is() {
    let app = TestApp::spawn().await;
    // the accountant sees no stock and no suppliers; the warehouse no suppliers
    for (user, path) in [
        ("accountant", "/api/v1/items"),
        ("accountant", "/api/v1/inventory"),
        ("accountant", "/api/v1/inventory/movements"),
        ("accountant", "/api/v1/suppliers"),
        ("warehouse", "/api/v1/suppliers"),
    ] {
        let c = app.logged_in("demo", user).await;
        let (status, body) = get(&c, &app, path).await;
        assert_eq!(status, 403, "{user} {path}: {body}");
        for format in ["csv", "xlsx"] {
            let (status, body) = get(&c, &app, &format!("{path}?format={format}")).await;
            assert_eq!(status, 403, "{user} {path} {format}: {body}");
            assert_eq!(body["error"]["code"], "FORBIDDEN", "{body}");
        }
    }
    // signed out: 401 as for the list
    let bare = app.bare_client();
    let (status, _) = get(&bare, &app, "/api/v1/requisitions?format=csv").await;
    assert_eq!(status, 401);
    // an engineer exports only what their list shows: their own requisitions
    let engineer = app.logged_in("demo", "engineer").await;
    drafted(
        &engineer,
        &app,
        one_line_requisition("Mine", "1", "pcs", "5.00"),
    )
    .await;
    let other = app.logged_in("demo", "procurement").await;
    drafted(
        &other,
        &app,
        one_line_requisition("Theirs", "1", "pcs", "5.00"),
    )
    .await;
    let (_, _, bytes) = fetch(&engineer, &app, "/api/v1/requisitions?format=csv").await;
    assert_eq!(csv_rows(&bytes).len(), 2, "the engineer's one requisition");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_stays_the_default_and_an_unknown_format_is_422() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "procurement").await;
    for path in [
        "/api/v1/suppliers?format=json",
        "/api/v1/suppliers?format=",
        "/api/v1/suppliers",
    ] {
        let res = c.get(app.url(path)).send().await.expect("request");
        assert_eq!(res.status(), 200);
        assert_eq!(
            header(res.headers(), "content-type"),
            Some("application/json")
        );
    }
    for format in ["pdf", "xls", "CSV%00"] {
        let (status, body) = get(&c, &app, &format!("/api/v1/items?format={format}")).await;
        assert!(status == 422 || status == 400, "{format}: {status} {body}");
        if status == 422 {
            assert!(body["error"]["details"]["format"].is_string(), "{body}");
        }
    }
    // a filter that does not parse is refused before any file is made
    let (status, body) = get(
        &c,
        &app,
        "/api/v1/inventory/movements?format=csv&from=someday",
    )
    .await;
    assert_eq!(status, 422, "{body}");
}

/// The `href`s of `html` that start with `prefix`, with `&amp;` read as `&`.
fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .filter(|h| h.starts_with(prefix))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_link_their_files_with_the_filters_shown() {
    let app = TestApp::spawn().await;
    let c = app.logged_in("demo", "procurement").await;
    let html = page(
        &c,
        &app,
        "/procurement/requisitions?status=draft&mine=on&q=v-belt",
    )
    .await;
    assert_eq!(
        links(&html, "/api/v1/requisitions?"),
        vec![
            "/api/v1/requisitions?status=draft&mine=true&q=v-belt&format=csv".to_string(),
            "/api/v1/requisitions?status=draft&mine=true&q=v-belt&format=xlsx".to_string(),
        ]
    );
    let html = page(&c, &app, "/procurement/orders?status=sent").await;
    assert_eq!(
        links(&html, "/api/v1/purchase-orders?")[0],
        "/api/v1/purchase-orders?status=sent&format=csv"
    );
    // "all" suppliers is no `active` filter at all
    let html = page(&c, &app, "/procurement/suppliers?active=all&q=ac").await;
    assert_eq!(
        links(&html, "/api/v1/suppliers?")[1],
        "/api/v1/suppliers?q=ac&format=xlsx"
    );
    let html = page(&c, &app, "/inventory?plant=MAI&in_stock=on").await;
    assert_eq!(
        links(&html, "/api/v1/items?")[0],
        "/api/v1/items?plant=MAI&in_stock=true&format=csv"
    );
    assert_eq!(
        links(&html, "/api/v1/inventory?")[1],
        "/api/v1/inventory?plant=MAI&in_stock=true&format=xlsx"
    );
    let item = id_where(
        &app,
        "select m.item_id from stock_movements m join tenants t on t.id = m.tenant_id where t.slug = 'demo' limit 1",
    )
    .await;
    let html = page(&c, &app, &format!("/inventory/items/{item}")).await;
    let files = links(&html, "/api/v1/inventory/movements?");
    assert_eq!(
        files[0],
        format!("/api/v1/inventory/movements?item_id={item}&format=csv")
    );
    // each link downloads what it names, with the page's session
    for href in files {
        let res = c.get(app.url(&href)).send().await.expect("download");
        assert_eq!(res.status(), 200, "{href}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_50000_rows_the_file_says_it_holds_the_first_50000() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant_id("demo").await;
    sqlx::query(
        "insert into suppliers (tenant_id, code, name, currency)
         select $1, 'BULK-' || n, 'Bulk supplier ' || n, 'USD' from generate_series(1, 50000) n",
    )
    .bind(tenant)
    .execute(&app.db.owner)
    .await
    .expect("bulk suppliers");
    let c = app.logged_in("demo", "procurement").await;
    let total = json_total(&c, &app, "/api/v1/suppliers").await;
    assert_eq!(total, 50_003);
    let (status, headers, bytes) = fetch(&c, &app, "/api/v1/suppliers?format=csv").await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "x-export-truncated"), Some("true"));
    let rows = csv_rows(&bytes);
    // the header, 50,000 suppliers and the note
    assert_eq!(rows.len(), 1 + 50_000 + 1);
    assert_eq!(
        rows.last().map(|r| r[0].as_str()),
        Some(
            "This file holds the first 50,000 of 50,003 rows; narrow the filters to export the rest."
        )
    );
    // a filter that finds fewer is whole again
    let (_, headers, bytes) = fetch(&c, &app, "/api/v1/suppliers?q=ACME&format=csv").await;
    assert_eq!(header(&headers, "x-export-truncated"), Some("false"));
    assert!(csv_rows(&bytes).len() < 10);
}
