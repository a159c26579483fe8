//! A tenant's books begin: the chart from its template and the fiscal year of today, for a new
//! tenant in its creating transaction; and for a tenant that kept stock before it kept books, an
//! opening entry that puts its stock and its goods received (nothing was invoiced yet) in the
//! ledger, so that inventory and GRNI agree with the stock ledger from the first day.
use super::chart::apply_template;
use super::journal::{post, round_money, Posting, PostingLine};
use super::periods::period_for;
use super::stock::Roles;
use crate::error::{AppError, AppResult};
use crate::finance::model::Control;
use crate::finance::repo::{accounts as repo, periods as periods_repo};
use crate::platform::db::Tx;
use crate::platform::onboarding::{ProvisionFuture, Provisioned, Provisioner};
use crate::types::Currency;
use rust_decimal::Decimal;
use uuid::Uuid;

/// A new tenant's chart and current fiscal year.
pub static BOOKS: Provisioner = Provisioner {
    name: "finance: chart of accounts",
    run: provision,
};

fn provision<'a>(tx: &'a mut Tx, made: &'a Provisioned) -> ProvisionFuture<'a> {
    Box::pin(async move { ensure_books(tx, made.tenant_id).await.map(|_| ()) })
}

/// [`ensure_books`] from a connection of the database's owner (the demo seed, the start-up of a
/// database from before finance): as the application's role for the while, so that every read
/// is the tenant's only.
pub async fn ensure_books_as_owner(tx: &mut Tx, tenant_id: Uuid) -> AppResult<bool> {
    repo::act_as_app(tx, true).await?;
    let made = ensure_books(tx, tenant_id).await?;
    repo::act_as_app(tx, false).await?;
    Ok(made)
}

/// Opens the books of a tenant that has none (in `tx`, the tenant's): its chart, the fiscal year
/// of today and, when it holds stock or received goods, the opening entry. True when it did;
/// false (nothing changed) when the tenant had a chart already.
pub async fn ensure_books(tx: &mut Tx, tenant_id: Uuid) -> AppResult<bool> {
    repo::lock_chart(tx, tenant_id).await?;
    if repo::any_account(tx).await? {
        return Ok(false);
    }
    let books = periods_repo::tenant_books(tx, tenant_id).await?;
    apply_template(tx, tenant_id, &books.currency).await?;
    period_for(tx, tenant_id, books.today).await?;
    opening_entry(tx, tenant_id, &books.currency, books.today).await?;
    Ok(true)
}

async fn opening_entry(
    tx: &mut Tx,
    tenant_id: Uuid,
    currency: &str,
    today: chrono::NaiveDate,
) -> AppResult<()> {
    let currency: Currency = currency.parse().map_err(|_| AppError::Internal)?;
    let position = crate::inventory::service::valuation::position(tx).await?;
    let roles = Roles::load(tx).await?;
    let mut lines = Vec::new();
    for (plant, value) in &position.on_hand {
        let mut l = PostingLine::debit(
            roles.get(Control::Inventory, Some(*plant))?,
            round_money(*value, currency),
        );
        l.plant_id = Some(*plant);
        lines.push(l);
    }
    for (plant, value) in &position.in_transit {
        let mut l = PostingLine::debit(
            roles.get(Control::InTransit, None)?,
            round_money(*value, currency),
        );
        l.plant_id = Some(*plant);
        lines.push(l);
    }
    let grni = roles.get(Control::Grni, None)?;
    for r in &position.received {
        let mut l = PostingLine::credit(grni, round_money(r.value, currency));
        l.plant_id = r.plant_id;
        l.bill_ref = Some(r.order_line_id);
        lines.push(l);
    }
    let debits: Decimal = lines.iter().map(|l| l.debit).sum();
    let credits: Decimal = lines.iter().map(|l| l.credit).sum();
    let difference = debits - credits;
    let opening = roles.get(Control::OpeningBalance, None)?;
    if difference > Decimal::ZERO {
        lines.push(PostingLine::credit(opening, difference));
    } else if difference < Decimal::ZERO {
        lines.push(PostingLine::debit(opening, -difference));
    }
    post(
        tx,
        tenant_id,
        None,
        Posting {
            date: today,
            narration: "Opening balances: stock on hand and goods received before the ledger"
                .to_string(),
            source: "opening",
            source_id: None,
            reverses: None,
            lines,
        },
    )
    .await?;
    Ok(())
}
