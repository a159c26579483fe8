//! The TallyPrime export through REST on PostgreSQL: in saif a receipt, an invoice with GST and
//! TDS, a payment and a manual entry are exported, and the XML is parsed back — every ledger a
//! voucher uses is a master, each voucher sums to zero with Tally's signs, the purchase carries
//! its New Ref bill and the payment its Agst Ref, the same period gives the same bytes, another
//! period leaves them out; who may not export gets 403, a reversed span 422.
use crate::common::*;
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::HashSet;
use std::str::FromStr;

#[derive(Debug, Default, Clone)]
struct ParsedEntry {
    ledger: String,
    deemed_positive: String,
    amount: Decimal,
    bills: Vec<(String, String, Decimal)>,
}

#[derive(Debug, Default, Clone)]
struct ParsedVoucher {
    kind: String,
    remote_id: String,
    guid: String,
    number: String,
    party: String,
    entries: Vec<ParsedEntry>,
}

#[derive(Debug, Default)]
struct Parsed {
    company: String,
    ledgers: Vec<(String, String, String)>,
    vouchers: Vec<ParsedVoucher>,
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|_| panic!("a decimal: {s}"))
}

/// The file read back with an XML parser (a malformed file fails here).
fn parse(xml: &str) -> Parsed {
    let mut r = Reader::from_str(xml);
    // no trimming: a text split by entities keeps its spaces (container elements' whitespace
    // is never read)
    let mut out = Parsed::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut bill = (String::new(), String::new(), Decimal::ZERO);
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "LEDGER" => {
                        let n = e
                            .attributes()
                            .map(|a| a.expect("attribute"))
                            .find(|a| a.key.as_ref() == "NAME")
                            .map(|a| {
                                a.normalized_value(XmlVersion::Implicit1_0)
                                    .expect("value")
                                    .into_owned()
                            })
                            .expect("NAME");
                        out.ledgers.push((n, String::new(), String::new()));
                    }
                    "VOUCHER" => {
                        let mut v = ParsedVoucher::default();
                        for a in e.attributes() {
                            let a = a.expect("attribute");
                            let value = a
                                .normalized_value(XmlVersion::Implicit1_0)
                                .expect("value")
                                .into_owned();
                            match a.key.as_ref() {
                                "VCHTYPE" => v.kind = value,
                                "REMOTEID" => v.remote_id = value,
                                _ => {}
                            }
                        }
                        out.vouchers.push(v);
                    }
                    "ALLLEDGERENTRIES.LIST" => {
                        if let Some(v) = out.vouchers.last_mut() {
                            v.entries.push(ParsedEntry::default());
                        }
                    }
                    "BILLALLOCATIONS.LIST" => bill = (String::new(), String::new(), Decimal::ZERO),
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t),
            Event::GeneralRef(g) => {
                let name: &str = &g;
                match g.resolve_char_ref().expect("char ref") {
                    Some(c) => text.push(c),
                    None => text.push_str(
                        quick_xml::escape::resolve_predefined_entity(name)
                            .expect("a predefined entity"),
                    ),
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().cloned().unwrap_or_default();
                let value = std::mem::take(&mut text);
                match (parent.as_str(), name.as_str()) {
                    ("STATICVARIABLES", "SVCURRENTCOMPANY") => out.company = value,
                    ("NAME.LIST", "NAME") => {}
                    ("LEDGER", "PARENT") => {
                        if let Some(l) = out.ledgers.last_mut() {
                            l.1 = value;
                        }
                    }
                    ("LEDGER", "ISBILLWISEON") => {
                        if let Some(l) = out.ledgers.last_mut() {
                            l.2 = value;
                        }
                    }
                    ("VOUCHER", field) => {
                        if let Some(v) = out.vouchers.last_mut() {
                            match field {
                                "GUID" => v.guid = value,
                                "VOUCHERNUMBER" => v.number = value,
                                "PARTYLEDGERNAME" => v.party = value,
                                _ => {}
                            }
                        }
                    }
                    ("ALLLEDGERENTRIES.LIST", field) => {
                        if let Some(e) = out.vouchers.last_mut().and_then(|v| v.entries.last_mut())
                        {
                            match field {
                                "LEDGERNAME" => e.ledger = value,
                                "ISDEEMEDPOSITIVE" => e.deemed_positive = value,
                                "AMOUNT" => e.amount = dec(&value),
                                "BILLALLOCATIONS.LIST" => e.bills.push(bill.clone()),
                                _ => {}
                            }
                        }
                    }
                    ("BILLALLOCATIONS.LIST", "NAME") => bill.0 = value,
                    ("BILLALLOCATIONS.LIST", "BILLTYPE") => bill.1 = value,
                    ("BILLALLOCATIONS.LIST", "AMOUNT") => bill.2 = dec(&value),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

async fn export(c: &reqwest::Client, app: &TestApp, query: &str) -> (u16, String, String) {
    let res = c
        .get(app.url(&format!("/api/v1/exports/tally{query}")))
        .send()
        .await
        .expect("get");
    let status = res.status().as_u16();
    let kind = header(res.headers(), "content-type")
        .unwrap_or_default()
        .to_string();
    (status, kind, res.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tally_file_parses_back_balanced_with_bills_the_same_twice_and_only_its_period() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let (sup, line) = received_order(&app, "VIZAG-ELEC", "10", "100").await;
    let date = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await["to"]
        .as_str()
        .expect("today")
        .to_string();
    // an invoice with IGST and TDS, its supplier's number needing escapes
    let (status, inv) = post(&accountant, &app, "/api/v1/supplier-invoices", json!({
        "supplier_id": sup, "number": "VE/T&1 <a>", "invoice_date": date,
        "lines": [{ "purchase_order_line_id": line, "quantity": "10", "unit_price": "100.00", "tax_rate": "18" }] })).await;
    assert_eq!(status, 201, "{inv}");
    let id = id_of(&inv["data"]);
    let pi = inv["data"]["number"].as_str().expect("number").to_string();
    let (status, r) = post(
        &accountant,
        &app,
        &format!("/api/v1/supplier-invoices/{id}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, r["data"]["status"].as_str()),
        (200, Some("posted")),
        "{r}"
    );
    let bank = id_where(&app, "select id from accounts where tenant_id = (select id from tenants where slug = 'saif') and control = 'bank'").await;
    let (status, p) = post(
        &accountant,
        &app,
        "/api/v1/payments",
        json!({
        "supplier_id": sup, "date": date, "bank_account_id": bank, "reference": "NEFT 7",
        "allocations": [{ "supplier_invoice_id": id, "amount": "580.00" }] }),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let pay = p["data"]["number"].as_str().expect("number").to_string();
    let equity = id_where(&app, "select id from accounts where tenant_id = (select id from tenants where slug = 'saif') and kind = 'equity' and not is_group order by code limit 1").await;
    let (status, je) = post(&accountant, &app, "/api/v1/journal-entries", json!({
        "date": date, "narration": "Capital & more",
        "lines": [ { "account_id": bank, "debit": "5000.00" }, { "account_id": equity, "credit": "5000.00" } ] })).await;
    assert_eq!(status, 201, "{je}");
    let manual = je["data"]["number"].as_str().expect("number").to_string();

    let query = format!("?from={date}&to={date}");
    let (status, kind, xml) = export(&accountant, &app, &query).await;
    assert_eq!(status, 200, "{xml}");
    assert!(kind.starts_with("application/xml"), "{kind}");
    let f = parse(&xml);
    assert!(!f.company.is_empty());
    let masters: HashSet<&str> = f.ledgers.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(masters.len(), f.ledgers.len(), "one master per name");
    for v in &f.vouchers {
        let sum: Decimal = v.entries.iter().map(|e| e.amount).sum();
        assert!(sum.is_zero(), "{} sums to {sum}", v.number);
        assert!(v.guid == v.remote_id && !v.guid.is_empty(), "{v:?}");
        for e in &v.entries {
            assert!(
                masters.contains(e.ledger.as_str()),
                "{} is not a master",
                e.ledger
            );
            // a debit is deemed positive and written negative, a credit the reverse
            let expected = if e.amount < Decimal::ZERO {
                "Yes"
            } else {
                "No"
            };
            assert_eq!(e.deemed_positive, expected, "{e:?}");
            if !e.bills.is_empty() {
                let bills: Decimal = e.bills.iter().map(|b| b.2).sum();
                assert_eq!(bills, e.amount, "{e:?}");
            }
        }
    }
    let supplier_name: String =
        sqlx::query_scalar(&format!("select name from suppliers where id = '{sup}'"))
            .fetch_one(&app.db.owner)
            .await
            .expect("name");
    let party = f
        .ledgers
        .iter()
        .find(|l| l.0.starts_with(supplier_name.as_str()))
        .expect("party ledger");
    assert_eq!(
        (party.1.as_str(), party.2.as_str()),
        ("Sundry Creditors", "Yes")
    );
    // the purchase: the supplier's invoice number as a New Ref bill for what is owed (1180 − 20 TDS)
    let purchase = f
        .vouchers
        .iter()
        .find(|v| v.number == pi)
        .expect("the purchase voucher");
    assert_eq!(purchase.kind, "Purchase");
    assert_eq!(purchase.party, party.0);
    let owed = purchase
        .entries
        .iter()
        .find(|e| e.ledger == party.0)
        .expect("party entry");
    assert_eq!(owed.amount, dec("1160.00"));
    assert_eq!(
        owed.bills,
        [(
            "VE/T&1 <a>".to_string(),
            "New Ref".to_string(),
            dec("1160.00")
        )]
    );
    assert!(xml.contains("VE/T&amp;1 &lt;a&gt;"), "escaped");
    assert_eq!(
        purchase.entries.len(),
        4,
        "GRNI, IGST, TDS and the party: {purchase:?}"
    );
    // the payment: against the invoice
    let payment = f
        .vouchers
        .iter()
        .find(|v| v.number == pay)
        .expect("the payment voucher");
    assert_eq!(payment.kind, "Payment");
    let paid = payment
        .entries
        .iter()
        .find(|e| e.ledger == party.0)
        .expect("party entry");
    assert_eq!(paid.amount, dec("-580.00"));
    assert_eq!(
        paid.bills,
        [(
            "VE/T&1 <a>".to_string(),
            "Agst Ref".to_string(),
            dec("-580.00")
        )]
    );
    // the manual entry and the receipt: journals
    let journal = f
        .vouchers
        .iter()
        .find(|v| v.number == manual)
        .expect("the manual entry");
    assert_eq!(journal.kind, "Journal");
    assert!(
        f.vouchers.iter().filter(|v| v.kind == "Journal").count() >= 2,
        "the receipt too"
    );
    // the same period again: the same bytes, so the same identities
    let (_, _, again) = export(&accountant, &app, &query).await;
    assert_eq!(xml, again);
    // another period leaves them out
    let (status, _, other) = export(&accountant, &app, "?from=2020-04-01&to=2020-04-30").await;
    assert_eq!(status, 200);
    let other = parse(&other);
    for n in [&pi, &pay, &manual] {
        assert!(
            other.vouchers.iter().all(|v| &v.number != n),
            "{n} in another period"
        );
    }
    // who may not export, and a span backwards
    let warehouse = app.logged_in("saif", "warehouse").await;
    let (status, e) = get(&warehouse, &app, &format!("/api/v1/exports/tally{query}")).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (403, Some("FORBIDDEN")),
        "{e}"
    );
    let (status, e) = get(
        &accountant,
        &app,
        "/api/v1/exports/tally?from=2026-05-02&to=2026-05-01",
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("VALIDATION_ERROR")),
        "{e}"
    );
    assert!(e["error"]["details"]["to"].is_string(), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_screen_offers_the_span_and_the_download() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("saif", "accountant").await;
    let html = page(&accountant, &app, "/finance/tally").await;
    assert!(html.contains("data-testid=\"tally-form\""), "{html}");
    assert!(html.contains("action=\"/api/v1/exports/tally\""), "{html}");
    assert!(html.contains("href=\"/finance/tally\""), "the tab");
    let warehouse = app.logged_in("saif", "warehouse").await;
    let html = page(&warehouse, &app, "/finance/tally").await;
    assert!(!html.contains("data-testid=\"tally-form\""), "{html}");
}
