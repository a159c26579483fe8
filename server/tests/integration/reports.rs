//! The accountant's reports over REST on PostgreSQL: each report as JSON and as CSV, XLSX and PDF
//! (`format=`), the files holding the JSON's rows and totals; the supplier statement closing on
//! the supplier's AP balance; the input-tax register's totals equal to the GST input accounts.
use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use reqwest::Client;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::io::Cursor;
use std::str::FromStr;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

fn cell(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|_| panic!("a number: {s:?}"))
}

fn label(lang: &str, key: &str) -> String {
    let path = format!("{}/../locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("locale file");
    let all: Value = serde_json::from_str(&text).expect("locale json");
    let (section, name) = key.split_once('.').expect("section.key");
    all[section][name].as_str().expect(key).to_string()
}

async fn fetch(
    c: &Client,
    app: &TestApp,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = c.get(app.url(path)).send().await.expect("request");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.expect("body").to_vec();
    (status, headers, bytes)
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect()
}

fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
    let names = book.sheet_names();
    let range = book.worksheet_range(&names[0]).expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("report-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, bytes).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `1234567.5` as `12,34,567.50`.
fn lakh(d: Decimal) -> String {
    let text = format!("{:.2}", d.abs());
    let (int, frac) = text.split_once('.').expect("decimals");
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, ch) in digits.iter().enumerate() {
        let left = digits.len() - i;
        if i > 0 && (left == 3 || (left > 3 && (left - 3).is_multiple_of(2))) {
            out.push(',');
        }
        out.push(*ch);
    }
    format!("{}{out}.{frac}", if d < Decimal::ZERO { "-" } else { "" })
}

/// A posted invoice for the whole line at `price` with 18 % GST: its id.
#[allow(clippy::too_many_arguments)]
async fn invoiced(
    c: &Client,
    app: &TestApp,
    sup: &str,
    line: &str,
    number: &str,
    quantity: &str,
    price: &str,
    date: &str,
) -> String {
    let (status, inv) = post(c, app, "/api/v1/supplier-invoices", json!({ "supplier_id": sup, "number": number, "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": quantity, "unit_price": price, "tax_rate": "18" }] })).await;
    assert_eq!(status, 201, "{inv}");
    let id = id_of(&inv["data"]);
    let (status, inv) = post(
        c,
        app,
        &format!("/api/v1/supplier-invoices/{id}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, inv["data"]["status"].as_str()),
        (200, Some("posted")),
        "{inv}"
    );
    id
}

/// Checks the three files of a report against its JSON: the CSV's and the XLSX's rows (after the
/// header) are `rows` many, the last one's figures in `last` columns equal `totals`; the PDF
/// is a PDF. Answers the PDF's bytes.
async fn files_agree(
    c: &Client,
    app: &TestApp,
    path: &str,
    name: &str,
    rows: usize,
    last: &[(usize, Decimal)],
) -> Vec<u8> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (status, h, bytes) = fetch(c, app, &format!("{path}{sep}format=csv")).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&bytes));
    assert!(
        header(&h, "content-type")
            .unwrap_or_default()
            .starts_with("text/csv"),
        "{h:?}"
    );
    let disposition = header(&h, "content-disposition")
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{name}"))
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    assert_eq!(header(&h, "x-export-truncated"), Some("false"));
    let csv = csv_rows(&bytes);
    assert_eq!(csv.len(), rows + 1, "{path}: {csv:?}");
    let end = csv.last().expect("a totals row");
    for (col, want) in last {
        assert_eq!(cell(&end[*col]), *want, "{path} column {col}: {end:?}");
    }
    let (status, h, bytes) = fetch(c, app, &format!("{path}{sep}format=xlsx")).await;
    assert_eq!(status, 200, "{path}");
    assert_eq!(header(&h, "content-type"), Some(XLSX));
    let sheet = xlsx_rows(&bytes);
    assert_eq!(sheet.len(), rows + 1, "{path}: {sheet:?}");
    let end = sheet.last().expect("a totals row");
    for (col, want) in last {
        let got = match &end[*col] {
            Data::Float(f) => Decimal::from_str(&f.to_string()).expect("float"),
            Data::Int(i) => Decimal::from(*i),
            other => panic!("{path} column {col}: {other:?}"),
        };
        assert_eq!(got.normalize(), want.normalize(), "{path} column {col}");
    }
    let (status, h, bytes) = fetch(c, app, &format!("{path}{sep}format=pdf")).await;
    assert_eq!(status, 200, "{path}");
    assert_eq!(header(&h, "content-type"), Some("application/pdf"));
    let disposition = header(&h, "content-disposition").unwrap_or_default();
    assert!(
        disposition.contains(name) && disposition.ends_with(".pdf\""),
        "{disposition}"
    );
    assert!(bytes.starts_with(b"%PDF"), "{path}");
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_answers_json_csv_xlsx_and_pdf_with_the_same_rows_and_totals() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    set_language(&accountant, &app, "hi").await;
    let tb = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await;
    let date = tb["to"].as_str().expect("today").to_string();
    // West Bengal's supplier to Kolkata: central and state tax; Visakhapatnam's: integrated
    let (bengal, line) = received_order(&app, "BENGAL-BRG", "30", "1000").await;
    invoiced(
        &accountant,
        &app,
        &bengal,
        &line,
        "BB/1",
        "30",
        "1000",
        &date,
    )
    .await;
    let (vizag, line) = received_order(&app, "VIZAG-ELEC", "10", "100").await;
    let inv = invoiced(&accountant, &app, &vizag, &line, "VE/1", "10", "100", &date).await;
    let bank = id_where(&app, "select id from accounts where tenant_id = (select id from tenants where slug = 'saif') and control = 'bank'").await;
    let (status, p) = post(&accountant, &app, "/api/v1/payments", json!({ "supplier_id": vizag, "date": date, "bank_account_id": bank,
        "reference": "NEFT 7", "allocations": [{ "supplier_invoice_id": inv, "amount": "500.00" }] })).await;
    assert_eq!(status, 201, "{p}");

    // the trial balance: a row per account and the totals row
    let tb = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await;
    let from = tb["from"].as_str().expect("from").to_string();
    let t = &tb["totals"];
    let n = tb["rows"].as_array().expect("rows").len();
    let pdf = files_agree(
        &accountant,
        &app,
        "/api/v1/reports/trial-balance",
        &format!("trial-balance-{from}-{date}"),
        n + 1,
        &[
            (2, dec(&t["opening_debit"])),
            (3, dec(&t["opening_credit"])),
            (4, dec(&t["debit"])),
            (5, dec(&t["credit"])),
            (6, dec(&t["closing_debit"])),
            (7, dec(&t["closing_credit"])),
        ],
    )
    .await;
    let text = pdf_text(&pdf);
    assert!(text.contains(&label("hi", "frep.t_tb")), "{text}");
    assert!(text.contains("Saif Automations"), "{text}");
    let total = lakh(dec(&t["closing_debit"]));
    assert!(
        dec(&t["closing_debit"]) >= Decimal::from(100_000),
        "a total of lakhs: {total}"
    );
    assert!(text.contains(&total), "{total} in {text}");
    assert!(text.contains(&label("hi", "frep.total")), "{text}");

    // AP ageing: a row per supplier owed, then the totals
    let ageing = data_of(&accountant, &app, "/api/v1/reports/ap-ageing").await;
    let n = ageing["rows"].as_array().expect("rows").len();
    let t = &ageing["totals"];
    files_agree(
        &accountant,
        &app,
        "/api/v1/reports/ap-ageing",
        &format!("ap-ageing-{date}"),
        n + 1,
        &[(1, dec(&t["current"])), (6, dec(&t["total"]))],
    )
    .await;

    // GRNI: its lines (and any unallocated amount), then the total, equal to the account
    let grni = data_of(&accountant, &app, "/api/v1/reports/grni").await;
    let n = grni["rows"].as_array().expect("rows").len()
        + usize::from(dec(&grni["unallocated"]) != Decimal::ZERO);
    assert_eq!(grni["total"], grni["account_balance"]);
    let oldest: Vec<&str> = grni["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["oldest"].as_str().unwrap_or_default())
        .collect();
    files_agree(
        &accountant,
        &app,
        "/api/v1/reports/grni",
        &format!("grni-{date}"),
        n + 1,
        &[(7, dec(&grni["total"]))],
    )
    .await;
    let (_, _, bytes) = fetch(&accountant, &app, "/api/v1/reports/grni?format=csv").await;
    let csv = csv_rows(&bytes);
    let mut sorted: Vec<String> = csv[1..csv.len() - 1]
        .iter()
        .map(|r| r[0].clone())
        .filter(|d| !d.is_empty())
        .collect();
    assert_eq!(sorted.len(), oldest.len());
    let before = sorted.clone();
    sorted.sort();
    assert_eq!(before, sorted, "oldest first");

    // the general ledger of accounts payable: opening, every line, closing
    let ap = id_where(&app, "select id from accounts where tenant_id = (select id from tenants where slug = 'saif') and control = 'ap'").await;
    let gl = data_of(
        &accountant,
        &app,
        &format!("/api/v1/reports/general-ledger?account_id={ap}"),
    )
    .await;
    let n = gl["total"].as_u64().expect("total") as usize;
    assert!(n >= 3, "{gl}");
    files_agree(
        &accountant,
        &app,
        &format!("/api/v1/reports/general-ledger?account_id={ap}"),
        "general-ledger-",
        n + 2,
        &[
            (3, dec(&gl["debit"])),
            (4, dec(&gl["credit"])),
            (5, dec(&gl["closing"])),
        ],
    )
    .await;

    // the supplier statement closes on the supplier's balance on accounts payable
    let st = data_of(
        &accountant,
        &app,
        &format!("/api/v1/reports/supplier-statement?supplier_id={vizag}"),
    )
    .await;
    let lines = st["lines"].as_array().expect("lines");
    assert_eq!(
        lines
            .iter()
            .map(|l| l["kind"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["invoice", "payment"],
        "{st}"
    );
    assert_eq!(lines[0]["document_id"], inv.as_str());
    // the payment line names the payment (its number), found through the payment's entry
    assert!(
        lines[1]["document"]
            .as_str()
            .is_some_and(|d| d.starts_with("PAY-")),
        "{st}"
    );
    assert!(lines[1]["document_id"].is_string(), "{st}");
    let owed: String = sqlx::query_scalar(
        "select coalesce(sum(l.credit - l.debit), 0)::text from journal_lines l join accounts a on a.id = l.account_id and a.control = 'ap' where l.supplier_id = $1::uuid",
    )
    .bind(&vizag)
    .fetch_one(&app.db.owner)
    .await
    .expect("AP balance");
    assert_eq!(dec(&st["closing"]), cell(&owed), "{st}");
    assert_eq!(
        dec(&st["closing"]),
        Decimal::from(660),
        "1160 owed after TDS, 500 paid"
    );
    assert_eq!(lines[1]["balance"], st["closing"]);
    let row = ageing["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["supplier_id"] == vizag.as_str())
        .expect("owed")
        .clone();
    assert_eq!(dec(&row["total"]), dec(&st["closing"]), "the ageing agrees");
    files_agree(
        &accountant,
        &app,
        &format!("/api/v1/reports/supplier-statement?supplier_id={vizag}"),
        "supplier-statement-VIZAG-ELEC-",
        lines.len() + 2,
        &[
            (4, dec(&st["paid"])),
            (5, dec(&st["invoiced"])),
            (6, dec(&st["closing"])),
        ],
    )
    .await;

    // the input-tax register: by supplier GSTIN and rate; its totals are the accounts' movements
    let it = data_of(&accountant, &app, "/api/v1/reports/input-tax").await;
    let (totals, accounts) = (&it["totals"], &it["accounts"]);
    for head in ["cgst", "sgst", "igst", "total"] {
        assert_eq!(dec(&totals[head]), dec(&accounts[head]), "{head}: {it}");
    }
    assert_eq!(
        (
            dec(&totals["cgst"]),
            dec(&totals["sgst"]),
            dec(&totals["igst"])
        ),
        (Decimal::from(2700), Decimal::from(2700), Decimal::from(180)),
        "{it}"
    );
    let rows = it["rows"].as_array().expect("rows");
    let bengal_row = rows
        .iter()
        .find(|r| r["supplier_id"] == bengal.as_str())
        .expect("bengal");
    assert_eq!(
        (
            bengal_row["gstin"].as_str(),
            dec(&bengal_row["rate"]),
            dec(&bengal_row["taxable"])
        ),
        (
            Some("19AABCB4521K1ZQ"),
            Decimal::from(18),
            Decimal::from(30_000)
        )
    );
    let heads: Vec<(&str, Decimal)> = it["by_head"]
        .as_array()
        .expect("heads")
        .iter()
        .map(|h| (h["head"].as_str().unwrap_or_default(), dec(&h["tax"])))
        .collect();
    assert_eq!(
        heads,
        [
            ("cgst", Decimal::from(2700)),
            ("igst", Decimal::from(180)),
            ("sgst", Decimal::from(2700))
        ]
    );
    files_agree(
        &accountant,
        &app,
        "/api/v1/reports/input-tax",
        &format!("input-tax-{from}-{date}"),
        rows.len() + 1,
        &[
            (4, dec(&totals["cgst"])),
            (5, dec(&totals["sgst"])),
            (6, dec(&totals["igst"])),
            (7, dec(&totals["total"])),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_report_requests_are_refused_and_files_keep_the_readers_permission() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    for (path, field) in [
        ("/api/v1/reports/trial-balance?format=doc", "format"),
        ("/api/v1/reports/ap-ageing?format=xls", "format"),
        ("/api/v1/reports/supplier-statement", "supplier_id"),
        (
            "/api/v1/reports/supplier-statement?format=pdf",
            "supplier_id",
        ),
        (
            &*format!(
                "/api/v1/reports/supplier-statement?supplier_id={}",
                uuid::Uuid::new_v4()
            ),
            "supplier_id",
        ),
        (
            "/api/v1/reports/input-tax?from=2026-05-01&to=2026-04-01&format=csv",
            "to",
        ),
        ("/api/v1/reports/general-ledger?format=xlsx", "account_id"),
    ] {
        let (status, e) = get(&accountant, &app, path).await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (422, Some("VALIDATION_ERROR")),
            "{path}: {e}"
        );
        assert!(e["error"]["details"][field].is_string(), "{path}: {e}");
    }
    // one who does not read the books gets no file either
    let engineer = app.logged_in("saif", "engineer").await;
    for path in [
        "/api/v1/reports/trial-balance?format=pdf",
        "/api/v1/reports/input-tax?format=csv",
        "/api/v1/reports/ap-ageing?format=xlsx",
    ] {
        let (status, _, _) = fetch(&engineer, &app, path).await;
        assert_eq!(status, 403, "{path}");
    }
    // another tenant's supplier is unknown here
    let other = id_where(&app, "select id from suppliers where tenant_id = (select id from tenants where slug = 'demo') limit 1").await;
    let (status, e) = get(
        &accountant,
        &app,
        &format!("/api/v1/reports/supplier-statement?supplier_id={other}"),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    // an Arabic reader's PDF is laid out right to left and still a PDF
    set_language(&accountant, &app, "ar").await;
    let (status, h, bytes) = fetch(
        &accountant,
        &app,
        "/api/v1/reports/trial-balance?format=pdf",
    )
    .await;
    assert_eq!(
        (status, header(&h, "content-type")),
        (200, Some("application/pdf"))
    );
    // pdftotext gives Arabic in the glyphs' visual order: the title's letters reversed
    let text = pdf_text(&bytes);
    let title = label("ar", "frep.t_tb");
    let reversed: String = title.chars().rev().collect();
    assert!(text.contains(&title) || text.contains(&reversed), "{text}");
}
