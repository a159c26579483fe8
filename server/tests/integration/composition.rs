//! Services compose: the entry point owns the transaction, so two services — here the item
//! master and the stock ledger — commit together or not at all (as a receipt and the ledger
//! entry it causes will).
use crate::common::*;
use app::i18n::Locale;
use app::platform::context::RequestCtx;
use rust_decimal::Decimal;
use serde_json::json;

async fn warehouse_ctx(app: &TestApp, state: &app::platform::context::AppState) -> RequestCtx {
    let client = app.logged_in("demo", "warehouse").await;
    let (token, _) = api_token(&client, app, "composition test").await;
    let principal = app::platform::service::resolve_principal(state, None, Some(&token))
        .await
        .expect("principal");
    RequestCtx {
        principal,
        locale: Locale::en,
        ip: None,
        user_agent: None,
        request_id: "composition".into(),
    }
}

fn item(sku: &str) -> app::inventory::model::ItemInput {
    serde_json::from_value(json!({
        "sku": sku, "names": { "en": "Gear pump" }, "unit": "pcs"
    }))
    .expect("item input")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_services_in_one_transaction_commit_together_or_not_at_all() {
    let app = TestApp::spawn().await;
    let state = server::state(app.pool.clone(), &config());
    let ctx = warehouse_ctx(&app, &state).await;
    let tenant = ctx.principal.as_ref().expect("signed in").tenant_id;
    let location: uuid::Uuid = sqlx::query_scalar(
        "select l.id from locations l join tenants t on t.id = l.tenant_id
           join users u on u.tenant_id = t.id and u.username = 'warehouse'
          where t.slug = 'demo' and l.active and l.plant_id is not distinct from coalesce(u.plant_id, l.plant_id)
          order by l.code limit 1",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("a location");
    let count = |sku: &'static str| {
        let owner = app.db.owner.clone();
        async move {
            let items: i64 = sqlx::query_scalar("select count(*) from items where sku = $1")
                .bind(sku)
                .fetch_one(&owner)
                .await
                .expect("items");
            let moves: i64 = sqlx::query_scalar(
                "select count(*) from stock_movements m join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
                  where i.sku = $1",
            )
            .bind(sku)
            .fetch_one(&owner)
            .await
            .expect("movements");
            (items, moves)
        }
    };

    // the second service fails (a reason is required): the first one's item goes with it
    let result = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(async move {
            let created = app::inventory::service::save_item(tx, ctx, None, item("GP-001")).await?;
            app::inventory::service::stock::adjust(
                tx,
                ctx,
                app::inventory::model::stock::AdjustInput {
                    item_id: created.id,
                    location_id: location,
                    quantity: Decimal::from(5),
                    reason: String::new(),
                    uids: Vec::new(),
                },
            )
            .await
        })
    })
    .await;
    assert!(
        result.is_err(),
        "the adjustment without a reason is refused"
    );
    assert_eq!(
        count("GP-001").await,
        (0, 0),
        "nothing of the failed unit is kept"
    );

    // both succeed: both are there, in the same commit
    let mut tx = app::platform::db::tenant_tx(&state.pool, tenant)
        .await
        .expect("tx");
    let created = app::inventory::service::save_item(&mut tx, &ctx, None, item("GP-002"))
        .await
        .expect("item");
    app::inventory::service::stock::adjust(
        &mut tx,
        &ctx,
        app::inventory::model::stock::AdjustInput {
            item_id: created.id,
            location_id: location,
            quantity: Decimal::from(5),
            reason: "opening count".into(),
            uids: Vec::new(),
        },
    )
    .await
    .expect("adjustment");
    assert_eq!(
        count("GP-002").await,
        (0, 0),
        "not visible before the commit"
    );
    tx.commit().await.expect("commit");
    assert_eq!(count("GP-002").await, (1, 1));
}
