//! The trial balance and the general ledger over any dates read whole periods from the running
//! balances and a cut period from its lines (the days asked, or the period's balance less the
//! days after `to`, whichever reads fewer): for ranges cut at either end, inside one period,
//! across periods and up to today, both agree with the sum of the journal's lines.
use crate::common::*;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

fn day(v: &Value) -> NaiveDate {
    NaiveDate::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a date: {v}"))
}

/// (opening, debits, credits, lines) of demo's journal per account code, the truth: every line
/// summed, optionally of one plant's lines.
async fn from_the_lines(
    app: &TestApp,
    from: NaiveDate,
    to: NaiveDate,
    plant: Option<&str>,
) -> BTreeMap<String, (Decimal, Decimal, Decimal, i64)> {
    let plant = plant.map_or(String::new(), |p| format!("and l.plant_id = '{p}'"));
    let rows: Vec<(String, Decimal, Decimal, Decimal, i64)> = sqlx::query_as(&format!(
        "select a.code,
                coalesce(sum(l.debit - l.credit) filter (where l.entry_date < $1), 0),
                coalesce(sum(l.debit) filter (where l.entry_date between $1 and $2), 0),
                coalesce(sum(l.credit) filter (where l.entry_date between $1 and $2), 0),
                count(*) filter (where l.entry_date between $1 and $2)
           from journal_lines l join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id
          where l.tenant_id = (select id from tenants where slug = 'demo') and l.entry_date <= $2 {plant}
          group by a.code"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&app.db.owner)
    .await
    .expect("the lines");
    rows.into_iter()
        .filter(|r| !(r.1.is_zero() && r.2.is_zero() && r.3.is_zero()))
        .map(|(code, o, d, c, n)| (code, (o, d, c, n)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_over_cut_periods_equal_the_sum_of_the_lines() {
    let app = TestApp::spawn().await;
    let accountant = app.logged_in("demo", "accountant").await;
    let chart = data_of(&accountant, &app, "/api/v1/accounts").await;
    let by_code = |code: &str| {
        chart["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .find(|a| a["code"] == code)
            .map(|a| a["id"].as_str().unwrap_or_default().to_string())
            .expect(code)
    };
    let (bank, capital) = (by_code("1120"), by_code("3100"));
    let plant = id_where(
        &app,
        "select id from plants where tenant_id = (select id from tenants where slug = 'demo') order by code limit 1",
    )
    .await;
    let tb = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await;
    let (start, today) = (day(&tb["from"]), day(&tb["to"]));
    let year_end = start
        .checked_add_months(chrono::Months::new(12))
        .and_then(|d| d.pred_opt())
        .expect("the year's end");
    let at = |n: u64| (start + Days::new(n)).min(year_end);
    // entries over the year: several in its first two months, today, and a few days after today
    // (within the year) — a current period's balance then holds lines after the dates asked
    let mut dates = vec![
        at(0),
        at(3),
        at(12),
        at(20),
        at(33),
        at(40),
        at(47),
        at(58),
        today,
    ];
    for n in [1, 2, 9] {
        if let Some(d) = today
            .checked_add_days(Days::new(n))
            .filter(|d| *d <= year_end)
        {
            dates.push(d);
        }
    }
    for (i, d) in dates.iter().enumerate() {
        let amount = format!("{}.{:02}", 100 + i * 37, i * 7 % 100);
        let (status, je) = post(
            &accountant,
            &app,
            "/api/v1/journal-entries",
            json!({
                "date": d, "narration": format!("Capital {i}"),
                "lines": [
                    { "account_id": bank, "debit": amount, "plant_id": if i % 2 == 0 { Some(&plant) } else { None } },
                    { "account_id": capital, "credit": amount }
                ]
            }),
        )
        .await;
        assert_eq!(status, 201, "{d}: {je}");
    }
    // and one out of the bank, so both sides move
    let (status, je) = post(
        &accountant,
        &app,
        "/api/v1/journal-entries",
        json!({
            "date": at(21), "narration": "Drawings",
            "lines": [ { "account_id": capital, "debit": "55.50" }, { "account_id": bank, "credit": "55.50" } ]
        }),
    )
    .await;
    assert_eq!(status, 201, "{je}");

    let mut ranges = vec![
        (start, today),
        (start, year_end),
        (start, at(25)),
        (at(2), at(25)),
        (at(10), at(45)),
        (at(21), at(21)),
        (at(34), at(50)),
        (at(13), today),
        (today, today),
    ];
    if let Some(d) = today
        .checked_add_days(Days::new(1))
        .filter(|d| *d <= year_end)
    {
        ranges.push((d, year_end));
    }
    for (from, to) in ranges {
        // the trial balance, all plants and one plant
        for plant in [None, Some(plant.as_str())] {
            let q = plant.map_or(String::new(), |p| format!("&plant_id={p}"));
            let tb = data_of(
                &accountant,
                &app,
                &format!("/api/v1/reports/trial-balance?from={from}&to={to}{q}"),
            )
            .await;
            let got: BTreeMap<String, (Decimal, Decimal, Decimal)> = tb["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|r| {
                    (
                        r["account"]["code"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        (dec(&r["opening"]), dec(&r["debit"]), dec(&r["credit"])),
                    )
                })
                .collect();
            let want: BTreeMap<String, (Decimal, Decimal, Decimal)> =
                from_the_lines(&app, from, to, plant)
                    .await
                    .into_iter()
                    .map(|(k, (o, d, c, _))| (k, (o, d, c)))
                    .collect();
            assert_eq!(got, want, "trial balance {from} – {to}, plant {plant:?}");
            if plant.is_none() {
                let t = &tb["totals"];
                assert_eq!(dec(&t["debit"]), dec(&t["credit"]), "{tb}");
            }
        }
        // the bank's general ledger: opening, movements, how many lines, the page's balances
        let gl = data_of(
            &accountant,
            &app,
            &format!(
                "/api/v1/reports/general-ledger?account_id={bank}&from={from}&to={to}&per_page=100"
            ),
        )
        .await;
        let truth = from_the_lines(&app, from, to, None).await;
        let (o, d, c, n) = truth.get("1120").copied().unwrap_or_default();
        assert_eq!(
            (
                dec(&gl["opening"]),
                dec(&gl["debit"]),
                dec(&gl["credit"]),
                dec(&gl["closing"]),
                gl["total"].as_i64()
            ),
            (o, d, c, o + d - c, Some(n)),
            "general ledger {from} – {to}: {gl}"
        );
        let lines = gl["lines"].as_array().expect("lines");
        assert_eq!(lines.len() as i64, n, "{gl}");
        if let Some(last) = lines.last() {
            assert_eq!(dec(&last["balance"]), o + d - c, "{gl}");
        }
    }
}
