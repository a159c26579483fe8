//! What the company's stock is worth, for the ledger's opening entry (a company that kept stock
//! before it kept books): on hand by plant, in transit, and received by order line.
use crate::error::AppResult;
use crate::inventory::repo::valuation as repo;
use crate::platform::db::Tx;
use rust_decimal::Decimal;
use uuid::Uuid;

pub struct StockPosition {
    /// (plant, value) on hand at moving average cost.
    pub on_hand: Vec<(Uuid, Decimal)>,
    /// (sending plant, value) between plants.
    pub in_transit: Vec<(Uuid, Decimal)>,
    /// What was received per order line.
    pub received: Vec<Received>,
}

pub struct Received {
    pub order_line_id: Uuid,
    pub plant_id: Option<Uuid>,
    /// In the order's unit.
    pub quantity: Decimal,
    /// At the order's price, unrounded.
    pub value: Decimal,
}

/// The position now, read in `tx` (no permission: the ledger's setup reads it for the tenant).
pub async fn position(tx: &mut Tx) -> AppResult<StockPosition> {
    Ok(StockPosition {
        on_hand: repo::on_hand_by_plant(tx).await?,
        in_transit: repo::in_transit_by_plant(tx).await?,
        received: repo::received_by_order_line(tx)
            .await?
            .into_iter()
            .map(|r| Received {
                order_line_id: r.order_line_id,
                plant_id: r.plant_id,
                quantity: r.quantity,
                value: r.value,
            })
            .collect(),
    })
}

/// Each item's HSN/SAC code and GST rate (a percent), for finance's invoice lines.
pub async fn tax_facts(
    tx: &mut Tx,
    items: &[Uuid],
) -> AppResult<Vec<(Uuid, Option<String>, Option<Decimal>)>> {
    Ok(repo::tax_facts(tx, items).await?)
}
