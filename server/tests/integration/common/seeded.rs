//! Ids of the seeded data, read as the database owner (across tenants, past row-level security),
//! so that a test's set-up does not depend on the API it is testing.
use super::TestApp;

/// The id a query over the seeded data finds.
pub async fn id_where(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>(sql)
        .fetch_one(&app.db.owner)
        .await
        .expect("id")
        .to_string()
}

/// The id of tenant `slug`'s item `sku`.
pub async fn item_id(app: &TestApp, slug: &str, sku: &str) -> String {
    id_where(
        app,
        &format!("select i.id from items i join tenants t on t.id = i.tenant_id where t.slug = '{slug}' and i.sku = '{sku}'"),
    )
    .await
}

/// The id of tenant `slug`'s storage location `code`.
pub async fn location(app: &TestApp, slug: &str, code: &str) -> String {
    id_where(
        app,
        &format!("select l.id from locations l join tenants t on t.id = l.tenant_id where t.slug = '{slug}' and l.code = '{code}'"),
    )
    .await
}

/// A location where tenant `slug`'s seeded stock of `sku` lies.
pub async fn stock_location(app: &TestApp, slug: &str, sku: &str) -> String {
    id_where(
        app,
        &format!("select location_id from stock_balances b join items i on i.id = b.item_id where i.tenant_id = (select id from tenants where slug = '{slug}') and i.sku = '{sku}'"),
    )
    .await
}

/// One of tenant `slug`'s cost centres, to issue stock to.
pub async fn cost_centre(app: &TestApp, slug: &str) -> String {
    id_where(
        app,
        &format!("select id from cost_centres where tenant_id = (select id from tenants where slug = '{slug}') limit 1"),
    )
    .await
}

/// The number a `select count(*) …` finds.
pub async fn count_of(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.owner)
        .await
        .expect("count")
}
