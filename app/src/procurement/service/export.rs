//! The procurement lists as export tables ([`crate::platform::export`]): requisitions, purchase
//! orders and suppliers — the rows of every page the list has with the same filters (up to
//! [`MAX_ROWS`]), the columns its screen shows, headers in the caller's language. The rows come
//! from the same service functions as the lists, with their permission checks.
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::Tx;
use crate::platform::export::{local_date, table_for, Cell, Kind, Table, MAX_ROWS};
use crate::procurement::model::orders::PoFilter;
use crate::procurement::model::RequisitionFilter;
use crate::procurement::ui::labels;
use leptos_i18n::td_string;

fn tz(ctx: &RequestCtx) -> AppResult<String> {
    Ok(ctx.principal()?.user.tenant.timezone.clone())
}

/// `GET /requisitions?format=…`: what the requisition list shows with these filters.
pub async fn requisitions(
    state: &AppState,
    ctx: &RequestCtx,
    f: RequisitionFilter,
) -> AppResult<Table> {
    let page = super::list_all(state, ctx, f, MAX_ROWS as u32).await?;
    let l = ctx.locale;
    let tz = tz(ctx)?;
    let mut t = table_for(ctx, td_string!(l, req.title))?
        .column(td_string!(l, req.number), Kind::Text)
        .column(td_string!(l, req.status), Kind::Text)
        .column(td_string!(l, req.purpose), Kind::Text)
        .column(td_string!(l, req.requester), Kind::Text)
        .column(td_string!(l, req.total), Kind::Money)
        .column(td_string!(l, export.currency), Kind::Text)
        .column(td_string!(l, req.needed_by), Kind::Date)
        .column(td_string!(l, req.created), Kind::Date);
    t.rows = page
        .rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.number),
                Cell::Text(labels::status(l, r.status)),
                Cell::Text(labels::purpose(l, r.purpose)),
                Cell::Text(r.requester),
                Cell::money(r.total, &r.currency),
                Cell::Text(r.currency),
                Cell::opt_date(r.needed_by),
                Cell::Date(local_date(r.created_at, &tz)),
            ]
        })
        .collect();
    Ok(t.cut(page.total, false))
}

/// `GET /purchase-orders?format=…`: what the order list shows with these filters.
pub async fn purchase_orders(tx: &mut Tx, ctx: &RequestCtx, f: PoFilter) -> AppResult<Table> {
    let page = super::orders::list_all(tx, ctx, f, MAX_ROWS as u32).await?;
    let l = ctx.locale;
    let tz = tz(ctx)?;
    let mut t = table_for(ctx, td_string!(l, po.title))?
        .column(td_string!(l, po.number), Kind::Text)
        .column(td_string!(l, po.supplier), Kind::Text)
        .column(td_string!(l, po.status), Kind::Text)
        .column(td_string!(l, po.total), Kind::Money)
        .column(td_string!(l, export.currency), Kind::Text)
        .column(td_string!(l, po.expected), Kind::Date)
        .column(td_string!(l, po.created), Kind::Date);
    t.rows = page
        .rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.number),
                Cell::Text(r.supplier),
                Cell::Text(labels::po_status(l, r.status)),
                Cell::money(r.total, &r.currency),
                Cell::Text(r.currency),
                Cell::opt_date(r.expected_delivery_date),
                Cell::Date(local_date(r.created_at, &tz)),
            ]
        })
        .collect();
    Ok(t.cut(page.total, false))
}

fn yes_no(l: Locale, b: bool) -> String {
    if b {
        td_string!(l, export.yes).to_string()
    } else {
        td_string!(l, export.no).to_string()
    }
}

/// `GET /suppliers?format=…`: what the supplier list shows with these filters.
pub async fn suppliers(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: Option<String>,
    active: Option<bool>,
) -> AppResult<Table> {
    let page = super::list_all_suppliers(tx, ctx, q, active, MAX_ROWS as u32).await?;
    let l = ctx.locale;
    // GST is India's: a company in INR sees the GSTIN, as its list does
    let india = ctx.principal()?.user.tenant.currency == crate::types::Currency::INR;
    let mut t = table_for(ctx, td_string!(l, sup.title))?
        .column(td_string!(l, sup.code), Kind::Text)
        .column(td_string!(l, sup.name), Kind::Text)
        .column(td_string!(l, sup.email), Kind::Text)
        .column(td_string!(l, sup.phone), Kind::Text)
        .column(td_string!(l, sup.tax_id), Kind::Text);
    if india {
        t = t.column(td_string!(l, suppliertax.gstin), Kind::Text);
    }
    t = t
        .column(td_string!(l, export.currency), Kind::Text)
        .column(td_string!(l, export.terms), Kind::Integer)
        .column(td_string!(l, export.active), Kind::Text);
    t.rows = page
        .rows
        .into_iter()
        .map(|s| {
            let mut row = vec![
                Cell::Text(s.code),
                Cell::Text(s.name),
                Cell::opt_text(s.email),
                Cell::opt_text(s.phone),
                Cell::opt_text(s.tax_id),
            ];
            if india {
                row.push(Cell::opt_text(s.gstin));
            }
            row.extend([
                Cell::Text(s.currency),
                Cell::Integer(i64::from(s.payment_terms_days)),
                Cell::Text(yes_no(l, s.active)),
            ]);
            row
        })
        .collect();
    Ok(t.cut(page.total, false))
}
