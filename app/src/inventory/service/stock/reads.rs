//! What the stock screens read: movements, an item's stock and orders, the form's options and a
//! UID's traceability.
use super::*;
use crate::procurement::service::orders as procurement;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn movements(
    tx: &mut Tx,
    ctx: &RequestCtx,
    f: MovementFilter,
) -> AppResult<Page<Movement>> {
    movements_up_to(tx, ctx, f, crate::platform::paging::MAX_PER_PAGE).await
}

/// Every movement the list shows with these filters (all its pages, newest first), up to
/// `limit`: for an export.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn all_movements(
    tx: &mut Tx,
    ctx: &RequestCtx,
    mut f: MovementFilter,
    limit: u32,
) -> AppResult<Page<Movement>> {
    f.page = 1;
    f.per_page = limit;
    movements_up_to(tx, ctx, f, limit).await
}

/// A page of at most `max_per_page` movements.
async fn movements_up_to(
    tx: &mut Tx,
    ctx: &RequestCtx,
    f: MovementFilter,
    max_per_page: u32,
) -> AppResult<Page<Movement>> {
    let p = ctx.principal()?;
    p.require("inventory:view")?;
    let per_page = f.per_page.clamp(1, max_per_page.max(1));
    let page = f.page.max(1);
    let total = reads_repo::count_movements(tx, f.item_id, f.location_id, f.from, f.to).await?;
    let rows = reads_repo::movements_page(
        tx,
        f.item_id,
        f.location_id,
        f.from,
        f.to,
        per_page as i64,
        (i64::from(page) - 1) * i64::from(per_page),
    )
    .await?;
    Ok(Page {
        rows: rows.into_iter().map(movement_of).collect(),
        total: total as u64,
        page,
        per_page,
    })
}

/// The item page.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn item_detail(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<ItemDetail> {
    let p = ctx.principal()?;
    p.require("inventory:view")?;
    let item = crate::inventory::service::load_item(tx, id.into(), locale_code(ctx.locale)).await?;
    let cost = repo::average_cost(tx, id).await?;
    let stock = reads_repo::stock_of_item(tx, id).await?;
    let movements = reads_repo::recent_movements_of_item(tx, id).await?;
    let uids = reads_repo::uids_of_item(tx, id).await?;
    let orders = procurement::open_lines_of_item(tx, id).await?;
    Ok(ItemDetail {
        item,
        average_cost: cost.unwrap_or_default().normalize(),
        stock: stock
            .into_iter()
            .map(
                |(location_id, location, plant, on_hand, available, u)| StockAt {
                    location_id,
                    location,
                    plant,
                    on_hand: on_hand.normalize(),
                    available: available.normalize(),
                    utilisation: u.map(|u| u.normalize()),
                },
            )
            .collect(),
        movements: movements.into_iter().map(movement_of).collect(),
        uids: uids
            .into_iter()
            .map(|(uid, status, quantity, location)| UidSummary {
                uid,
                status,
                quantity: quantity.normalize(),
                location,
            })
            .collect(),
        open_orders: orders
            .into_iter()
            .map(|(order, line)| OpenOrderLine {
                purchase_order_id: order.id,
                number: order.number,
                supplier: order.supplier,
                status: order.status.as_str().to_string(),
                ordered: line.quantity.normalize(),
                received: line.received_quantity.normalize(),
                expected_delivery: order.expected_delivery_date,
            })
            .collect(),
        can_update: p.require("inventory:update").is_ok(),
    })
}

/// Locations and cost centres for the stock forms.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn options(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<StockOptions> {
    // what the item page's stock form offers: readable by whoever reads the item page (the form
    // itself is shown to, and its postings checked for, inventory:update)
    let p = ctx.principal()?;
    p.require("inventory:view")
        .or_else(|_| p.require("inventory:update"))?;
    let locations = reads_repo::active_locations(tx).await?;
    let cost_centres = reads_repo::active_cost_centres(tx).await?;
    Ok(StockOptions {
        locations,
        cost_centres,
    })
}

/// A typed or scanned UID, of the current form or the former one: a bad shape or check
/// character is 422 (`uid`), an unknown one 404. The trace names the unit by its current text.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn trace(tx: &mut Tx, ctx: &RequestCtx, text: &str) -> AppResult<UidTrace> {
    let p = ctx.principal()?;
    p.require("inventory:view")?;
    // the current form, or the former one (found by the unit's former text)
    let canonical = uid::read(text).map_err(|bad| AppError::field("uid", bad.into()))?;
    let r = reads_repo::uid_trace(tx, &canonical)
        .await?
        .ok_or(AppError::NotFound)?;
    // where it came from: the order line it was received against, with its order
    let origin = match r.purchase_order_line_id {
        Some(line) => procurement::order_lines_by_ids(tx, &[line])
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    let events = reads_repo::events_of_uid(tx, r.id).await?;
    let places = reads_repo::lot_places(tx, r.id).await?;
    let lang = locale_code(ctx.locale);
    Ok(UidTrace {
        uid: r.uid,
        kind: r.kind,
        status: r.status,
        quantity: r.quantity.normalize(),
        item_id: r.item_id,
        sku: r.sku,
        item: crate::inventory::model::pick(&r.names.0, lang)
            .unwrap_or_default()
            .to_string(),
        location: r.location,
        receipt_id: r.receipt_id,
        receipt: r.receipt,
        purchase_order_id: origin.as_ref().map(|(order, _)| order.id),
        purchase_order: origin.as_ref().map(|(order, _)| order.number.clone()),
        requisition_id: origin.as_ref().map(|(_, line)| line.requisition_id),
        requisition: origin.as_ref().map(|(_, line)| line.requisition.clone()),
        supplier: origin.map(|(order, _)| order.supplier),
        places: places
            .into_iter()
            .map(|(location, quantity)| LotPlace {
                location,
                quantity: quantity.normalize(),
            })
            .collect(),
        events: events
            .into_iter()
            .map(|(event, location, user, at, quantity)| UidEvent {
                event,
                location,
                user,
                at,
                quantity: quantity.map(|q| q.normalize()),
            })
            .collect(),
    })
}
