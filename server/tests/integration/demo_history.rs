//! The demo with its history (`millwright seed-demo`, and a first run in development): three
//! months written through the services in both demo tenants. Every state a dashboard shows has
//! something in it, the books agree with themselves (the trial balance balances, the GRNI report
//! equals its account), the old months are closed, and seeding again changes nothing.
use crate::common::*;
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("x")).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut all = Vec::new();
    for table in [
        "requisitions",
        "purchase_orders",
        "goods_receipts",
        "supplier_invoices",
        "payments",
        "journal_entries",
        "stock_movements",
    ] {
        all.push(count_of(app, &format!("select count(*) from {table}")).await);
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_history_fills_every_state_through_the_services_and_the_books_agree() {
    let db = empty_db().await;
    let (created, history) =
        server::seed::seed_demo_with_history(&db.owner, |pool| server::state(pool, &config()))
            .await
            .expect("seed with history");
    assert_eq!(created, ["demo", "saif"]);
    assert_eq!(history, ["demo", "saif"]);
    let owner = db.owner.clone();
    let app = TestApp::spawn_on(db).await;
    let before = counts(&app).await;

    for slug in ["demo", "saif"] {
        let t = format!("(select id from tenants where slug = '{slug}')");
        let of = |sql: &str| sql.replace("$t", &t);
        // requisitions in every state, spread over about three months
        let states = count_of(
            &app,
            &of("select count(distinct status) from requisitions where tenant_id = $t"),
        )
        .await;
        assert!(states >= 5, "{slug}: {states} requisition states");
        let old = count_of(&app, &of("select count(*) from requisitions where tenant_id = $t and created_at < now() - interval '80 days'")).await;
        assert!(old >= 1, "{slug}: the history reaches back");
        let waiting = count_of(&app, &of("select count(*) from approval_steps where tenant_id = $t and status = 'pending' and due_at < now()")).await;
        assert!(waiting >= 1, "{slug}: an approval waits past its due time");
        for (sql, what) in [
            ("select count(*) from purchase_orders where tenant_id = $t and status = 'sent'", "an order awaiting its goods"),
            ("select count(*) from purchase_orders where tenant_id = $t and status = 'partially_received'", "a partial delivery"),
            ("select count(*) from purchase_orders where tenant_id = $t and status = 'received'", "a full delivery"),
            ("select count(*) from goods_receipts where tenant_id = $t and accepted_at is null", "a receipt awaiting its requester"),
            ("select count(*) from stock_movements where tenant_id = $t and kind = 'issue'", "issues to a cost centre"),
            ("select count(*) from supplier_invoices where tenant_id = $t and match_status = 'exception' and status = 'pending_approval'", "an exception waiting"),
            ("select count(*) from supplier_invoices where tenant_id = $t and match_status = 'exception' and status <> 'pending_approval'", "an exception approved"),
            ("select count(*) from supplier_invoices where tenant_id = $t and status = 'paid'", "paid invoices"),
            ("select count(*) from supplier_invoices where tenant_id = $t and status = 'partially_paid'", "a part payment"),
            ("select count(*) from fiscal_periods where tenant_id = $t and status = 'closed'", "a closed month"),
            ("select count(*) from outbox_emails where tenant_id = $t and status = 'pending'", "NONE"),
        ] {
            let n = count_of(&app, &of(sql)).await;
            if what == "NONE" {
                assert_eq!(n, 0, "{slug}: the history's e-mails went out then");
            } else {
                assert!(n >= 1, "{slug}: {what}");
            }
        }
        // the ledger's entries lie in their months; none in a closed month after it closed
        let late = count_of(&app, &of("select count(*) from journal_entries e join fiscal_periods p on p.tenant_id = e.tenant_id and e.entry_date between p.start_date and p.end_date where e.tenant_id = $t and p.status = 'closed' and e.created_at > p.closed_at")).await;
        assert_eq!(late, 0, "{slug}");

        // the accountant's books agree
        let accountant = app.logged_in(slug, "accountant").await;
        let tb = data_of(&accountant, &app, "/api/v1/reports/trial-balance").await;
        let totals = &tb["totals"];
        assert_eq!(
            dec(&totals["closing_debit"]),
            dec(&totals["closing_credit"]),
            "{tb}"
        );
        assert!(dec(&totals["debit"]) > Decimal::ZERO, "{tb}");
        let grni_account = tb["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["account"]["code"] == if slug == "saif" { "2212" } else { "2120" })
            .map(|r| -dec(&r["closing"]))
            .unwrap_or_default();
        let grni = data_of(&accountant, &app, "/api/v1/reports/grni").await;
        assert_eq!(dec(&grni["total"]), grni_account, "{grni}");
        assert!(
            grni_account > Decimal::ZERO,
            "the partial deliveries and the uninvoiced receipt"
        );
        let ageing = data_of(&accountant, &app, "/api/v1/reports/ap-ageing").await;
        assert!(
            ageing["rows"].as_array().is_some_and(|s| !s.is_empty()),
            "{ageing}"
        );
        let t = &ageing["totals"];
        assert!(
            dec(&t["total"]) > dec(&t["current"]),
            "something is overdue: {ageing}"
        );
    }
    // saif: a transfer on its way to the other plant
    let transit = count_of(&app, "select count(*) from stock_transfers where status = 'in_transit' and tenant_id = (select id from tenants where slug = 'saif')").await;
    assert_eq!(transit, 1);

    // seeding again writes nothing
    let (created, history) =
        server::seed::seed_demo_with_history(&owner, |pool| server::state(pool, &config()))
            .await
            .expect("seed again");
    assert!(created.is_empty() && history.is_empty());
    assert_eq!(counts(&app).await, before);
}
