//! Row-level security: the application's role sees only the tenant set for its transaction.
use crate::common::*;
use sqlx::{Executor, Row};

async fn app_conn(app: &TestApp) -> sqlx::pool::PoolConnection<sqlx::Postgres> {
    app.pool.acquire().await.expect("connection")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_tenant_setting_a_query_returns_nothing() {
    let app = TestApp::spawn().await;
    let mut conn = app_conn(&app).await;
    let role: String = sqlx::query_scalar("select current_user::text")
        .fetch_one(&mut *conn)
        .await
        .expect("role");
    assert_eq!(role, "millwright_app");
    for table in [
        "tenants",
        "users",
        "roles",
        "user_roles",
        "role_permissions",
        "plants",
        "audit_log",
        "api_tokens",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(&mut *conn)
            .await
            .expect("count");
        assert_eq!(n, 0, "{table} leaked rows without a tenant");
    }
    // the owner does see both tenants' users, so the zero above is RLS at work
    let users = count_of(&app, "select count(*) from users").await;
    assert_eq!(users, 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_tenant_setting_only_that_tenants_rows_are_visible() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    let mut tx = app_db_tx(&app, demo).await;
    let slugs: Vec<String> = sqlx::query_scalar(
        "select distinct t.slug from users u join tenants t on t.id = u.tenant_id",
    )
    .fetch_all(&mut *tx)
    .await
    .expect("slugs");
    assert_eq!(slugs, vec!["demo".to_string()]);
    let n: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(n, 8);
}

async fn app_db_tx(app: &TestApp, tenant: uuid::Uuid) -> app::platform::db::Tx {
    app::platform::db::tenant_tx(&app.pool, tenant)
        .await
        .expect("tenant tx")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_a_cannot_read_update_or_delete_tenant_b_rows_by_id() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    let saif = app.tenant_id("saif").await;
    let saif_engineer: uuid::Uuid =
        sqlx::query_scalar("select id from users where tenant_id = $1 and username = 'engineer'")
            .bind(saif)
            .fetch_one(&app.db.owner)
            .await
            .expect("id");

    let mut tx = app_db_tx(&app, demo).await;
    let read = sqlx::query("select * from users where id = $1")
        .bind(saif_engineer)
        .fetch_optional(&mut *tx)
        .await
        .expect("read");
    assert!(read.is_none());
    let updated = sqlx::query("update users set display_name = 'pwned' where id = $1")
        .bind(saif_engineer)
        .execute(&mut *tx)
        .await
        .expect("update");
    assert_eq!(updated.rows_affected(), 0);
    let deleted = sqlx::query("delete from user_roles where user_id = $1")
        .bind(saif_engineer)
        .execute(&mut *tx)
        .await
        .expect("delete");
    assert_eq!(deleted.rows_affected(), 0);
    // writing a row into the other tenant is refused by the policy's WITH CHECK
    let insert =
        sqlx::query("insert into departments (tenant_id, code, name) values ($1, 'X', 'x')")
            .bind(saif)
            .execute(&mut *tx)
            .await;
    assert!(insert.is_err(), "insert into another tenant must fail");
    drop(tx);

    let name: String = sqlx::query_scalar("select display_name from users where id = $1")
        .bind(saif_engineer)
        .fetch_one(&app.db.owner)
        .await
        .expect("name");
    assert_eq!(name, "Ravi Engineer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_role_owns_nothing_and_cannot_bypass_rls() {
    let app = TestApp::spawn().await;
    let row =
        sqlx::query("select rolbypassrls, rolsuper from pg_roles where rolname = 'millwright_app'")
            .fetch_one(&app.db.owner)
            .await
            .expect("role");
    assert!(!row.get::<bool, _>("rolbypassrls"));
    assert!(!row.get::<bool, _>("rolsuper"));
    let owned: i64 = sqlx::query_scalar(
        "select count(*) from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'millwright_app'",
    )
    .fetch_one(&app.db.owner)
    .await
    .expect("owned");
    assert_eq!(owned, 0);
    let unforced: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r' and c.relname <> '_sqlx_migrations'
            and not (c.relrowsecurity and c.relforcerowsecurity)",
    )
    .fetch_all(&app.db.owner)
    .await
    .expect("tables");
    assert!(
        unforced.is_empty(),
        "tables without forced RLS: {unforced:?}"
    );
    // turning row security off is refused for the application role
    let mut conn = app.pool.acquire().await.expect("conn");
    conn.execute("set row_security = off").await.expect("set");
    let res = sqlx::query("select count(*) from users")
        .fetch_one(&mut *conn)
        .await;
    assert!(
        res.is_err(),
        "row_security=off must raise for a role subject to RLS"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_tenants_token_is_not_found_through_the_api() {
    let app = TestApp::spawn().await;
    let saif = app.logged_in("saif", "engineer").await;
    let (_, token_id) = api_token(&saif, &app, "saif sync").await;

    let demo = app.logged_in("demo", "engineer").await;
    let (status, body) = delete(&demo, &app, &format!("/api/v1/auth/tokens/{token_id}")).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "NOT_FOUND");
    let revoked: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select revoked_at from api_tokens where id = $1::uuid")
            .bind(&token_id)
            .fetch_one(&app.db.owner)
            .await
            .expect("token");
    assert!(revoked.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_gets_the_tenants_default_language() {
    let app = TestApp::spawn().await;
    let saif = app.tenant_id("saif").await;
    let mut tx = app_db_tx(&app, saif).await;
    let lang: String = sqlx::query_scalar(
        "insert into users (tenant_id, username, email, display_name, password_hash)
         values ($1, 'newcomer', 'new@saif.example.com', 'New Comer', 'x') returning language",
    )
    .bind(saif)
    .fetch_one(&mut *tx)
    .await
    .expect("insert");
    assert_eq!(lang, "hi");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_one_round_trip_principal_lookup_respects_tenants_and_leaves_no_setting_behind() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    let saif = app.tenant_id("saif").await;
    let saif_admin: uuid::Uuid =
        sqlx::query_scalar("select id from users where tenant_id = $1 and username = 'admin'")
            .bind(saif)
            .fetch_one(&app.db.owner)
            .await
            .expect("id");
    let mut conn = app.pool.acquire().await.expect("conn");
    let wrong: Option<uuid::Uuid> = sqlx::query_scalar("select id from platform_principal($1, $2)")
        .bind(demo)
        .bind(saif_admin)
        .fetch_optional(&mut *conn)
        .await
        .expect("lookup");
    assert!(
        wrong.is_none(),
        "a user of another tenant must not be found"
    );
    let right: Option<uuid::Uuid> = sqlx::query_scalar("select id from platform_principal($1, $2)")
        .bind(saif)
        .bind(saif_admin)
        .fetch_optional(&mut *conn)
        .await
        .expect("lookup");
    assert_eq!(right, Some(saif_admin));
    let leftover: Option<String> =
        sqlx::query_scalar("select nullif(current_setting('app.tenant_id', true), '')")
            .fetch_one(&mut *conn)
            .await
            .expect("setting");
    assert_eq!(leftover, None);
    let visible: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&mut *conn)
        .await
        .expect("count");
    assert_eq!(visible, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_is_never_deleted_so_its_rows_never_lose_their_tenant() {
    let app = TestApp::spawn().await;
    let demo = app.tenant_id("demo").await;
    // not even by the owner, for whom row-level security and foreign keys are no obstacle here:
    // the busiest tables do not check their tenant row (see the schema), the tenant stays instead
    for sql in [
        "delete from tenants where id = $1",
        "truncate tenants cascade",
    ] {
        let err = sqlx::query(sql)
            .bind(demo)
            .execute(&app.db.owner)
            .await
            .expect_err("a tenant is kept");
        assert!(
            err.to_string().contains("tenants are not deleted"),
            "{sql}: {err}"
        );
    }
    let kept: i64 = sqlx::query_scalar("select count(*) from users where tenant_id = $1")
        .bind(demo)
        .fetch_one(&app.db.owner)
        .await
        .expect("users");
    assert_eq!(kept, 8);
}
