//! SQL of storage locations (plant → warehouse → rack → bin) written outside receipts and moves.
use sqlx::PgConnection;
use uuid::Uuid;

/// A warehouse of the plant (no rack or bin), with its code.
pub(crate) async fn insert_warehouse(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plant_id: Uuid,
    warehouse: &str,
    code: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into locations (tenant_id, plant_id, warehouse, code) values ($1, $2, $3, $4)",
        tenant_id,
        plant_id,
        warehouse,
        code
    )
    .execute(conn)
    .await?;
    Ok(())
}
