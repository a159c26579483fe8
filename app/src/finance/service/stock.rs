//! What the stock events inventory raises post: a receipt puts the goods in the plant's inventory
//! at the order's price against goods-received-not-invoiced (per order line, as invoices will
//! clear it); an issue moves their moving-average cost to consumption of the cost centre; a
//! transfer puts them in transit and then in the receiving plant at the value that left; an
//! adjustment goes against stock adjustments; a reversal posts the mirror of what it undoes.
use super::journal::{mirrored, post, round_money, Posting, PostingLine};
use crate::error::{AppError, AppResult};
use crate::finance::model::Control;
use crate::finance::repo::{
    accounts as accounts_repo, journal as journal_repo, periods as periods_repo,
};
use crate::platform::db::Tx;
use crate::platform::stock_events::{StockEvent, StockEventKind};
use crate::types::Currency;
use rust_decimal::Decimal;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

/// The tenant's accounts by role (inventory by plant, the plant-less one for the others).
pub(crate) struct Roles(Vec<accounts_repo::ControlRow>);

impl Roles {
    pub(crate) async fn load(tx: &mut Tx) -> AppResult<Roles> {
        Ok(Roles(accounts_repo::controls(tx).await?))
    }

    /// The account holding `role`; an inventory account of `plant` first. A tenant without one
    /// cannot post (its chart was edited away from the role): logged, 500.
    pub(crate) fn get(&self, role: Control, plant: Option<Uuid>) -> AppResult<Uuid> {
        let of_role = || self.0.iter().filter(|r| r.control == role.as_str());
        of_role()
            .find(|r| plant.is_some() && r.plant_id == plant)
            .or_else(|| of_role().find(|r| r.plant_id.is_none()))
            .map(|r| r.id)
            .ok_or_else(|| {
                tracing::error!(role = role.as_str(), "no account holds the role");
                AppError::Internal
            })
    }
}

/// The recorder the shell installs in the platform.
pub fn recorder<'a>(
    tx: &'a mut Tx,
    event: &'a StockEvent,
) -> Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>> {
    Box::pin(record(tx, event))
}

async fn record(tx: &mut Tx, ev: &StockEvent) -> AppResult<()> {
    let books = periods_repo::tenant_books(tx, ev.tenant_id).await?;
    let currency: Currency = books.currency.parse().map_err(|_| AppError::Internal)?;
    let roles = Roles::load(tx).await?;
    let money = |v: Decimal| round_money(v.abs(), currency);
    let mut lines = Vec::new();
    let (source, what) = match ev.kind {
        StockEventKind::Receipt => ("goods_receipt", "receipt"),
        StockEventKind::Issue => ("stock_issue", "issue"),
        StockEventKind::TransferOut | StockEventKind::TransferIn => ("stock_transfer", "transfer"),
        StockEventKind::Adjustment => ("stock_adjustment", "adjustment"),
        StockEventKind::Reversal => ("stock_reversal", "reversal"),
    };
    for l in &ev.lines {
        let plant = Some(l.plant_id);
        let inventory = roles.get(Control::Inventory, plant)?;
        let at = |mut line: PostingLine| {
            line.plant_id = plant;
            line.source_line_id = Some(l.movement_id);
            line
        };
        match ev.kind {
            StockEventKind::Receipt => {
                let (value, order_line, supplier) = match l.order_line {
                    Some(o) => (
                        money(o.quantity * o.unit_price),
                        Some(o.line_id),
                        o.supplier_id,
                    ),
                    None => (money(l.quantity * l.unit_cost), None, None),
                };
                lines.push(at(PostingLine::debit(inventory, value)));
                let mut grni = at(PostingLine::credit(roles.get(Control::Grni, None)?, value));
                grni.bill_ref = order_line;
                grni.supplier_id = supplier;
                lines.push(grni);
            }
            StockEventKind::Issue => {
                let value = money(l.quantity * l.unit_cost);
                let mut used = at(PostingLine::debit(
                    roles.get(Control::Consumption, None)?,
                    value,
                ));
                used.cost_centre_id = l.cost_centre_id;
                lines.push(used);
                lines.push(at(PostingLine::credit(inventory, value)));
            }
            StockEventKind::TransferOut => {
                let value = money(l.quantity * l.unit_cost);
                lines.push(at(PostingLine::debit(
                    roles.get(Control::InTransit, None)?,
                    value,
                )));
                lines.push(at(PostingLine::credit(inventory, value)));
            }
            StockEventKind::TransferIn => {
                // exactly what left the sending plant and is still on the road
                let transit = roles.get(Control::InTransit, None)?;
                let value =
                    journal_repo::document_balance(tx, "stock_transfer", ev.doc_id, transit)
                        .await?;
                if value > Decimal::ZERO {
                    lines.push(at(PostingLine::debit(inventory, value)));
                    lines.push(at(PostingLine::credit(transit, value)));
                }
            }
            StockEventKind::Adjustment => {
                let value = money(l.quantity * l.unit_cost);
                let adjust = roles.get(Control::StockAdjustment, None)?;
                if l.quantity > Decimal::ZERO {
                    lines.push(at(PostingLine::debit(inventory, value)));
                    lines.push(at(PostingLine::credit(adjust, value)));
                } else {
                    lines.push(at(PostingLine::debit(adjust, value)));
                    lines.push(at(PostingLine::credit(inventory, value)));
                }
            }
            StockEventKind::Reversal => {
                let Some(undone) = l.reverses else { continue };
                let original = journal_repo::lines_for_movements(tx, &[undone]).await?;
                lines.extend(mirrored(&original).into_iter().map(|mut m| {
                    m.source_line_id = Some(l.movement_id);
                    m
                }));
            }
        }
    }
    post(
        tx,
        ev.tenant_id,
        ev.user_id,
        Posting {
            date: books.today,
            narration: format!("{what} {}", ev.reference),
            source,
            source_id: Some(ev.doc_id),
            reverses: None,
            lines,
        },
    )
    .await?;
    if ev.kind == StockEventKind::Receipt {
        // late linking: invoices that came before these goods match now
        let order_lines: Vec<Uuid> = ev
            .lines
            .iter()
            .filter_map(|l| l.order_line.map(|o| o.line_id))
            .collect();
        super::invoices::goods_arrived(tx, ev.tenant_id, ev.user_id, &order_lines).await?;
    }
    Ok(())
}
