//! What the stock screens read: movements, an item's stock and orders, the form's options and a
//! UID's traceability.
use super::*;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn movements(
    tx: &mut Tx,
    ctx: &RequestCtx,
    f: MovementFilter,
) -> AppResult<Page<Movement>> {
    let p = ctx.principal()?;
    p.require("inventory:view")?;
    let per_page = f.per_page.clamp(1, crate::platform::paging::MAX_PER_PAGE);
    let page = f.page.max(1);
    let total: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from stock_movements m
          where ($1::uuid is null or m.item_id = $1) and ($2::uuid is null or m.location_id = $2)
            and ($3::date is null or m.at >= $3::date) and ($4::date is null or m.at < $4::date + 1)"#, f.item_id, f.location_id, f.from, f.to)
    .fetch_one(&mut **tx)
    .await?;
    let rows = sqlx::query_as!(
        MovementRow,
        r#"select m.id, m.kind, m.item_id, i.sku, l.code as location, m.quantity, m.affects,
        m.unit_cost, m.reason, m.doc_type, m.doc_id, u.display_name as "user_name?", m.at
   from stock_movements m
   join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
   join locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
   left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
          where ($1::uuid is null or m.item_id = $1) and ($2::uuid is null or m.location_id = $2)
            and ($3::date is null or m.at >= $3::date) and ($4::date is null or m.at < $4::date + 1)
          order by m.at desc, m.id limit $5 offset $6"#,
        f.item_id,
        f.location_id,
        f.from,
        f.to,
        per_page as i64,
        ((page - 1) * per_page) as i64
    )
    .fetch_all(&mut **tx)
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
    let item = crate::inventory::service::load_item(tx, id, locale_code(ctx.locale)).await?;
    let cost: Option<Decimal> =
        sqlx::query_scalar!("select average_cost from item_costs where item_id = $1", id)
            .fetch_optional(&mut **tx)
            .await?;
    #[allow(clippy::type_complexity)]
    let stock: Vec<(Uuid, String, String, Decimal, Decimal, Option<Decimal>)> = sqlx::query!(
        r#"select l.id, l.code, pl.code as plant, b.on_hand, b.available,
                case when l.capacity is null then null else round(b.on_hand * 100 / l.capacity, 1) end as "used?"
           from stock_balances b
           join locations l on l.tenant_id = b.tenant_id and l.id = b.location_id
           join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
          where b.item_id = $1 and b.on_hand > 0
          order by pl.code, l.code"#,
        id
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.code, r.plant, r.on_hand, r.available, r.used))
    .collect();
    let movements = sqlx::query_as!(MovementRow, r#"select m.id, m.kind, m.item_id, i.sku, l.code as location, m.quantity, m.affects,
        m.unit_cost, m.reason, m.doc_type, m.doc_id, u.display_name as "user_name?", m.at
   from stock_movements m
   join items i on i.tenant_id = m.tenant_id and i.id = m.item_id
   join locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
   left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id where m.item_id = $1 order by m.at desc, m.id limit 50"#, id)
    .fetch_all(&mut **tx)
    .await?;
    let uids: Vec<(String, String, Decimal, Option<String>)> = sqlx::query!(
        r#"select u.uid, u.status, u.quantity, l.code as "code?" from uids u
           left join locations l on l.tenant_id = u.tenant_id and l.id = u.location_id
          where u.item_id = $1 order by u.created_at desc, u.uid desc limit 200"#,
        id
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.uid, r.status, r.quantity, r.code))
    .collect();
    #[allow(clippy::type_complexity)]
    let orders: Vec<(Uuid, String, String, String, Decimal, Decimal, Option<NaiveDate>)> = sqlx::query!("select po.id, po.number, s.name, po.status, pl.quantity, pl.received_quantity, po.expected_delivery_date
           from purchase_order_lines pl
           join purchase_orders po on po.tenant_id = pl.tenant_id and po.id = pl.purchase_order_id
           join suppliers s on s.tenant_id = po.tenant_id and s.id = po.supplier_id
          where pl.item_id = $1 and pl.received_quantity < pl.quantity
            and po.status in ('draft','pending_approval','approved','sent','partially_received')
          order by po.expected_delivery_date nulls last, po.number", id).fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.number, r.name, r.status, r.quantity, r.received_quantity, r.expected_delivery_date))
        .collect();
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
            .map(
                |(
                    purchase_order_id,
                    number,
                    supplier,
                    status,
                    ordered,
                    received,
                    expected_delivery,
                )| {
                    OpenOrderLine {
                        purchase_order_id,
                        number,
                        supplier,
                        status,
                        ordered: ordered.normalize(),
                        received: received.normalize(),
                        expected_delivery,
                    }
                },
            )
            .collect(),
        can_update: p.require("inventory:update").is_ok(),
    })
}

/// Locations and cost centres for the stock forms.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn options(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<StockOptions> {
    let p = ctx.principal()?;
    p.require("inventory:update")?;
    let locations: Vec<(Uuid, String, String)> = sqlx::query!(
        "select l.id, l.code, pl.code as plant from locations l
           join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
          where l.active order by pl.code, l.code",
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.code, r.plant))
    .collect();
    let cost_centres: Vec<(Uuid, String, String)> =
        sqlx::query!("select id, code, name from cost_centres where active order by code")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|r| (r.id, r.code, r.name))
            .collect();
    Ok(StockOptions {
        locations,
        cost_centres,
    })
}

#[derive(sqlx::FromRow)]
struct TraceRow {
    id: Uuid,
    uid: String,
    kind: String,
    status: String,
    quantity: Decimal,
    item_id: Uuid,
    sku: String,
    names: Json<BTreeMap<String, String>>,
    location: Option<String>,
    receipt_id: Option<Uuid>,
    receipt: Option<String>,
    purchase_order_id: Option<Uuid>,
    purchase_order: Option<String>,
    requisition_id: Option<Uuid>,
    requisition: Option<String>,
    supplier: Option<String>,
}

type EventRow = (
    String,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
    Option<Decimal>,
);

/// A typed or scanned UID: a bad shape or check character is 422 (`uid`), an unknown one 404.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn trace(tx: &mut Tx, ctx: &RequestCtx, text: &str) -> AppResult<UidTrace> {
    let p = ctx.principal()?;
    p.require("inventory:view")?;
    if let Err(bad) = Uid::parse(text) {
        return Err(AppError::field("uid", bad.into()));
    }
    let canonical = text.trim().to_ascii_uppercase();
    let r = sqlx::query_as!(TraceRow, r#"select u.id, u.uid, u.kind, u.status, u.quantity, u.item_id, i.sku, i.names as "names: Json<BTreeMap<String, String>>", l.code as "location?",
                g.id as "receipt_id?", g.number as "receipt?", po.id as "purchase_order_id?", po.number as "purchase_order?",
                r.id as "requisition_id?", r.number as "requisition?", s.name as "supplier?"
           from uids u
           join items i on i.tenant_id = u.tenant_id and i.id = u.item_id
           left join locations l on l.tenant_id = u.tenant_id and l.id = u.location_id
           left join goods_receipt_lines gl on gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id
           left join goods_receipts g on g.tenant_id = gl.tenant_id and g.id = gl.receipt_id
           left join purchase_order_lines pl on pl.tenant_id = gl.tenant_id and pl.id = gl.purchase_order_line_id
           left join purchase_orders po on po.tenant_id = pl.tenant_id and po.id = pl.purchase_order_id
           left join suppliers s on s.tenant_id = po.tenant_id and s.id = po.supplier_id
           left join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           left join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where u.uid = $1"#, &canonical)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let events: Vec<EventRow> = sqlx::query!(
        r#"select e.event, l.code as "code?", u.display_name as "user_name?", e.at, e.quantity from uid_events e
           left join locations l on l.tenant_id = e.tenant_id and l.id = e.location_id
           left join users u on u.tenant_id = e.tenant_id and u.id = e.user_id
          where e.uid_id = $1 order by e.at, e.id"#,
        r.id
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|e| (e.event, e.code, e.user_name, e.at, e.quantity))
    .collect();
    let places: Vec<(String, Decimal)> = sqlx::query!(
        "select l.code, b.quantity from lot_balances b
           join locations l on l.tenant_id = b.tenant_id and l.id = b.location_id
          where b.uid_id = $1 and b.quantity > 0 order by l.code",
        r.id
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.code, r.quantity))
    .collect();
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
        purchase_order_id: r.purchase_order_id,
        purchase_order: r.purchase_order,
        requisition_id: r.requisition_id,
        requisition: r.requisition,
        supplier: r.supplier,
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
