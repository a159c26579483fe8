//! SQL of what the company's stock is worth: on hand at the moving average cost by plant, on the
//! road between plants, and received by order line at the order's price.
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// (plant, value) of what is on hand, at each item's moving average cost.
pub(crate) async fn on_hand_by_plant(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, Decimal)>> {
    let rows = sqlx::query!(
        r#"select l.plant_id, coalesce(sum(b.on_hand * coalesce(c.average_cost, 0)), 0) as "value!"
             from stock_balances b
             join locations l on l.id = b.location_id
             left join item_costs c on c.item_id = b.item_id
            where b.on_hand > 0
            group by l.plant_id"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.plant_id, r.value)).collect())
}

/// (sending plant, value) of what is in transit, at each item's moving average cost.
pub(crate) async fn in_transit_by_plant(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, Decimal)>> {
    let rows = sqlx::query!(
        r#"select l.plant_id, coalesce(sum(t.quantity * coalesce(c.average_cost, 0)), 0) as "value!"
             from stock_transfers t
             join locations l on l.id = t.from_location_id
             left join item_costs c on c.item_id = t.item_id
            where t.status = 'in_transit'
            group by l.plant_id"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.plant_id, r.value)).collect())
}

pub(crate) struct ReceivedRow {
    pub order_line_id: Uuid,
    pub plant_id: Option<Uuid>,
    pub quantity: Decimal,
    pub value: Decimal,
}

/// What was accepted into stock per order line (item lines), in the order's unit and price.
pub(crate) async fn received_by_order_line(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<ReceivedRow>> {
    sqlx::query_as!(
        ReceivedRow,
        r#"select rl.purchase_order_line_id as order_line_id, min(l.plant_id::text)::uuid as plant_id,
                  sum(rl.accepted_quantity) as "quantity!", sum(rl.accepted_quantity * rl.unit_cost) as "value!"
             from goods_receipt_lines rl
             left join locations l on l.id = rl.location_id
            where rl.item_id is not null and rl.accepted_quantity > 0
            group by rl.purchase_order_line_id"#
    )
    .fetch_all(conn)
    .await
}

/// Each item's HSN/SAC code and GST rate (percent), for a supplier invoice's lines.
pub(crate) async fn tax_facts(
    conn: &mut PgConnection,
    items: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, Option<String>, Option<Decimal>)>> {
    let rows = sqlx::query!(
        "select id, hsn_sac, gst_rate from items where id = any($1)",
        items
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.hsn_sac, r.gst_rate))
        .collect())
}
