//! Stock events that have a value: inventory raises them where goods enter, leave or cross plants,
//! in the transaction that moves them, and the ledger (installed by the shell) records each in that
//! same transaction — so stock and money never disagree, and inventory need not know finance.
use crate::error::{AppError, AppResult};
use crate::platform::db::Tx;
use rust_decimal::Decimal;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockEventKind {
    /// Goods received against a purchase order (doc: the goods receipt).
    Receipt,
    /// Goods issued to a cost centre (doc: the movement).
    Issue,
    /// Goods sent to another plant (doc: the transfer).
    TransferOut,
    /// A transfer arrived (doc: the transfer).
    TransferIn,
    /// A count corrected, up or down (doc: the movement).
    Adjustment,
    /// A movement undone (doc: the reversing movement; each line names the one it reverses).
    Reversal,
}

/// One movement's worth.
#[derive(Clone, Debug)]
pub struct StockEventLine {
    pub movement_id: Uuid,
    pub item_id: Uuid,
    pub plant_id: Uuid,
    /// In the item's unit, positive in, negative out.
    pub quantity: Decimal,
    /// Per unit of the item's (the order price for a receipt, the moving average otherwise).
    pub unit_cost: Decimal,
    /// A receipt line's order line, its quantity in the order's unit and the order's price: the
    /// value received, exactly as a supplier invoice will clear it.
    pub order_line: Option<OrderLineValue>,
    pub cost_centre_id: Option<Uuid>,
    /// The movement a reversal undoes.
    pub reverses: Option<Uuid>,
}

#[derive(Clone, Copy, Debug)]
pub struct OrderLineValue {
    pub line_id: Uuid,
    pub supplier_id: Option<Uuid>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
}

#[derive(Clone, Debug)]
pub struct StockEvent {
    pub kind: StockEventKind,
    pub tenant_id: Uuid,
    pub doc_id: Uuid,
    /// The document's number or a short description, for the entry's narration.
    pub reference: String,
    pub user_id: Option<Uuid>,
    pub lines: Vec<StockEventLine>,
}

pub type Recorder = for<'a> fn(
    &'a mut Tx,
    &'a StockEvent,
) -> Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>>;

static RECORDER: OnceLock<Recorder> = OnceLock::new();

/// Installed once by the shell; a second call changes nothing.
pub fn install(recorder: Recorder) {
    let _ = RECORDER.set(recorder);
}

/// Has the ledger record `event` in `tx`. Without a recorder installed (a misconfigured start)
/// the movement is refused rather than left unvalued.
pub async fn record(tx: &mut Tx, event: &StockEvent) -> AppResult<()> {
    match RECORDER.get() {
        Some(recorder) => recorder(tx, event).await,
        None => {
            tracing::error!("no stock event recorder installed: the shell installs it at start-up");
            Err(AppError::Internal)
        }
    }
}
