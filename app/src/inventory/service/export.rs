//! The inventory lists as export tables ([`crate::platform::export`]): the items, their stock
//! per plant and the stock movements — the rows of every page the list has with the same
//! filters (up to [`MAX_ROWS`]; a text search up to the matches it reads), the columns its
//! screen shows, headers in the caller's language. The rows come from the same service
//! functions as the lists, with their permission checks.
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::inventory::model::stock::MovementFilter;
use crate::inventory::model::{SearchFilter, SearchResult};
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::export::{local_date, table_for, Cell, Kind, Table, MAX_ROWS};
use leptos_i18n::td_string;
use std::collections::BTreeSet;

async fn found(state: &AppState, ctx: &RequestCtx, f: SearchFilter) -> AppResult<SearchResult> {
    super::search_all(state, ctx, f, MAX_ROWS as u32).await
}

/// `GET /items?format=…`: the item master as the search lists it with these filters.
pub async fn items(state: &AppState, ctx: &RequestCtx, f: SearchFilter) -> AppResult<Table> {
    let result = found(state, ctx, f).await?;
    let l = ctx.locale;
    let mut t = table_for(ctx, td_string!(l, export.t_items))?
        .column(td_string!(l, export.sku), Kind::Text)
        .column(td_string!(l, export.name), Kind::Text)
        .column(td_string!(l, export.description), Kind::Text)
        .column(td_string!(l, inv.category), Kind::Text)
        .column(td_string!(l, inv.unit), Kind::Text)
        .column(td_string!(l, inv.on_hand), Kind::Quantity)
        .column(td_string!(l, inv.available), Kind::Quantity);
    t.rows = result
        .rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.sku),
                Cell::Text(r.name),
                Cell::opt_text(r.description),
                Cell::opt_text(r.category),
                Cell::Text(r.unit),
                Cell::Number(r.on_hand),
                Cell::Number(r.available),
            ]
        })
        .collect();
    Ok(t.cut(result.total, result.more))
}

/// `GET /inventory?format=…`: the stock list — one row per item as the screen shows it, its
/// totals and, for each plant, what is on hand and available there.
pub async fn stock(state: &AppState, ctx: &RequestCtx, f: SearchFilter) -> AppResult<Table> {
    let result = found(state, ctx, f).await?;
    let l = ctx.locale;
    let plants: BTreeSet<String> = result
        .rows
        .iter()
        .flat_map(|r| r.stock.iter().map(|s| s.plant.clone()))
        .collect();
    let on_hand = td_string!(l, inv.on_hand).to_string();
    let available = td_string!(l, inv.available).to_string();
    let mut t = table_for(ctx, td_string!(l, export.t_stock))?
        .column(td_string!(l, export.sku), Kind::Text)
        .column(td_string!(l, export.name), Kind::Text)
        .column(td_string!(l, inv.category), Kind::Text)
        .column(td_string!(l, inv.unit), Kind::Text)
        .column(on_hand.clone(), Kind::Quantity)
        .column(available.clone(), Kind::Quantity);
    for plant in &plants {
        t = t
            .column(format!("{on_hand} ({plant})"), Kind::Quantity)
            .column(format!("{available} ({plant})"), Kind::Quantity);
    }
    t.rows = result
        .rows
        .into_iter()
        .map(|r| {
            let mut row = vec![
                Cell::Text(r.sku),
                Cell::Text(r.name),
                Cell::opt_text(r.category),
                Cell::Text(r.unit),
                Cell::Number(r.on_hand),
                Cell::Number(r.available),
            ];
            for plant in &plants {
                match r.stock.iter().find(|s| &s.plant == plant) {
                    Some(s) => {
                        row.push(Cell::Number(s.on_hand));
                        row.push(Cell::Number(s.available));
                    }
                    None => row.extend([Cell::Empty, Cell::Empty]),
                }
            }
            row
        })
        .collect();
    Ok(t.cut(result.total, result.more))
}

/// A movement's kind, in the reader's language (as the item page shows it).
fn kind(l: Locale, k: &str) -> String {
    match k {
        "receipt" => td_string!(l, inv.k_receipt),
        "acceptance" => td_string!(l, inv.k_acceptance),
        "issue" => td_string!(l, inv.k_issue),
        "transfer_out" => td_string!(l, inv.k_transfer_out),
        "transfer_in" => td_string!(l, inv.k_transfer_in),
        "move_out" => td_string!(l, inv.k_move_out),
        "move_in" => td_string!(l, inv.k_move_in),
        "adjustment" => td_string!(l, inv.k_adjustment),
        _ => td_string!(l, inv.k_reversal),
    }
    .to_string()
}

/// `GET /inventory/movements?format=…`: the stock ledger with these filters, newest first.
pub async fn movements(tx: &mut Tx, ctx: &RequestCtx, f: MovementFilter) -> AppResult<Table> {
    let page = super::stock::all_movements(tx, ctx, f, MAX_ROWS as u32).await?;
    let l = ctx.locale;
    let tenant = &ctx.principal()?.user.tenant;
    let tz = tenant.timezone.clone();
    let units = tenant.currency.minor_units();
    let mut t = table_for(ctx, td_string!(l, export.t_movements))?
        .column(td_string!(l, inv.date), Kind::Date)
        .column(td_string!(l, export.sku), Kind::Text)
        .column(td_string!(l, inv.kind), Kind::Text)
        .column(td_string!(l, inv.location), Kind::Text)
        .column(td_string!(l, inv.quantity), Kind::Quantity)
        .column(td_string!(l, export.unit_cost), Kind::Money)
        .column(td_string!(l, export.reason), Kind::Text)
        .column(td_string!(l, export.user), Kind::Text);
    t.rows = page
        .rows
        .into_iter()
        .map(|m| {
            vec![
                Cell::Date(local_date(m.at, &tz)),
                Cell::Text(m.sku),
                Cell::Text(kind(l, &m.kind)),
                Cell::Text(m.location),
                Cell::Number(m.quantity),
                // a cost keeps its own decimals beyond the currency's (a moving average)
                m.unit_cost
                    .map(|c| Cell::Money(c, units.max(c.normalize().scale())))
                    .unwrap_or(Cell::Empty),
                Cell::opt_text(m.reason),
                Cell::opt_text(m.user),
            ]
        })
        .collect();
    Ok(t.cut(page.total, false))
}
