//! The posting phase of `bench/finance`: matched supplier invoices posted end to end at CLIENTS
//! concurrent clients, each `POST /api/v1/supplier-invoices` (one line, exactly what was ordered
//! and received) then `POST /api/v1/supplier-invoices/{id}/submit`, which must answer `posted`.
//!
//! A load client in Rust rather than in the Node driver: on a two-core machine the client shares
//! the cores with the server and PostgreSQL, and Node's `fetch` spent about 2.7 ms of CPU per
//! invoice (a third of a core at 130 invoices/s); this one spends a fraction of that.
//!
//! Usage: `post-load BASE COOKIE CLIENTS TAG OFFSET DATE < lines.json`, where lines.json is an
//! array of `{supplier, line, quantity, price}`. Prints one JSON object: the latency of each
//! invoice and of each submission in ms, the errors and the wall time in seconds.
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Deserialize)]
struct OrderLine {
    supplier: String,
    line: String,
    quantity: String,
    price: String,
}

struct Shared {
    base: String,
    tag: String,
    offset: usize,
    date: String,
    lines: Vec<OrderLine>,
    next: AtomicUsize,
    ms: Mutex<Vec<f64>>,
    submit: Mutex<Vec<f64>>,
    errors: AtomicUsize,
}

async fn call(c: &reqwest::Client, url: String, body: &Value) -> Result<Value, String> {
    let res = c
        .post(&url)
        .json(body)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = res.status();
    let text = res.text().await.map_err(|e| format!("{url}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{url}: {status} {}", &text[..text.len().min(500)]));
    }
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{url}: {e}"))?;
    Ok(v["data"].clone())
}

/// One invoice end to end: its whole time and its submission's, in ms.
async fn post_invoice(c: &reqwest::Client, s: &Shared, i: usize) -> Result<(f64, f64), String> {
    let o = &s.lines[i];
    let start = Instant::now();
    let body = json!({
        "supplier_id": o.supplier,
        "number": format!("FB-{}-{}", s.tag, s.offset + i),
        "invoice_date": s.date,
        "lines": [{ "purchase_order_line_id": o.line, "quantity": o.quantity,
                    "unit_price": o.price, "tax_rate": "0" }],
    });
    let inv = call(c, format!("{}/api/v1/supplier-invoices", s.base), &body).await?;
    if inv["match_status"] != "matched" {
        return Err(format!(
            "invoice {} not matched: {}",
            inv["number"], inv["match_status"]
        ));
    }
    let Some(id) = inv["id"].as_str() else {
        return Err(format!("no id in {inv}"));
    };
    let t1 = Instant::now();
    let url = format!("{}/api/v1/supplier-invoices/{id}/submit", s.base);
    let posted = call(c, url, &json!({})).await?;
    if posted["status"] != "posted" {
        return Err(format!(
            "invoice {} not posted: {}",
            inv["number"], posted["status"]
        ));
    }
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    Ok((ms(start), ms(t1)))
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, cookie, clients, tag, offset, date] = args.as_slice() else {
        return Err("usage: post-load BASE COOKIE CLIENTS TAG OFFSET DATE < lines.json".into());
    };
    let clients: usize = clients.parse().map_err(|_| "CLIENTS: a number")?;
    let offset: usize = offset.parse().map_err(|_| "OFFSET: a number")?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| e.to_string())?;
    let lines: Vec<OrderLine> = serde_json::from_str(&input).map_err(|e| e.to_string())?;
    let mut headers = reqwest::header::HeaderMap::new();
    let value = |v: &str| reqwest::header::HeaderValue::from_str(v).map_err(|e| e.to_string());
    headers.insert("origin", value(base)?);
    headers.insert("cookie", value(cookie)?);
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(clients)
        .build()
        .map_err(|e| e.to_string())?;
    let shared = Arc::new(Shared {
        base: base.clone(),
        tag: tag.clone(),
        offset,
        date: date.clone(),
        lines,
        next: AtomicUsize::new(0),
        ms: Mutex::new(Vec::new()),
        submit: Mutex::new(Vec::new()),
        errors: AtomicUsize::new(0),
    });
    // one thread: the client should take as little of the machine as it can
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let t0 = Instant::now();
    rt.block_on(async {
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                let (c, s) = (client.clone(), shared.clone());
                tokio::spawn(async move {
                    loop {
                        let i = s.next.fetch_add(1, Ordering::SeqCst);
                        if i >= s.lines.len() {
                            break;
                        }
                        match post_invoice(&c, &s, i).await {
                            Ok((all, submit)) => {
                                s.ms.lock().map(|mut v| v.push(all)).ok();
                                s.submit.lock().map(|mut v| v.push(submit)).ok();
                            }
                            Err(e) => {
                                if s.errors.fetch_add(1, Ordering::SeqCst) < 3 {
                                    eprintln!("{e}");
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.await;
        }
    });
    let seconds = t0.elapsed().as_secs_f64();
    let take = |m: &Mutex<Vec<f64>>| m.lock().map(|v| v.clone()).unwrap_or_default();
    println!(
        "{}",
        json!({
            "ms": take(&shared.ms),
            "submit": take(&shared.submit),
            "errors": shared.errors.load(Ordering::SeqCst),
            "seconds": seconds,
        })
    );
    Ok(())
}
