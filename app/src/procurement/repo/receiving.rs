//! SQL of receiving against orders, as other slices ask for it through
//! `service::orders::receiving`: an order and its lines locked for a receipt, the quantities
//! received and the status they leave, and the orders and lines read by id, by item and for
//! the receiving form.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct OrderRow {
    pub(crate) id: Uuid,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) supplier_id: Uuid,
    pub(crate) supplier: String,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) plant_code: Option<String>,
    pub(crate) expected_delivery_date: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct LineRow {
    pub(crate) id: Uuid,
    pub(crate) purchase_order_id: Uuid,
    pub(crate) line_no: i32,
    pub(crate) item_id: Option<Uuid>,
    pub(crate) description: String,
    pub(crate) quantity: Decimal,
    pub(crate) received_quantity: Decimal,
    pub(crate) unit: String,
    pub(crate) unit_price: Decimal,
    pub(crate) requisition_line_id: Uuid,
    pub(crate) requisition_id: Uuid,
    pub(crate) requisition: String,
    pub(crate) requester_id: Uuid,
}

/// The order with its supplier and plant code, its row locked until the transaction ends.
pub(crate) async fn lock_order(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as!(OrderRow, r#"select o.id, o.number, o.status, o.supplier_id, s.name as supplier, o.plant_id, p.code as "plant_code?",
                o.expected_delivery_date
           from purchase_orders o
           join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
           left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id
          where o.id = $1 for update of o"#, id)
    .fetch_optional(conn)
    .await
}

/// Every line of the order with its requisition and requester, in line order, locked until the
/// transaction ends.
pub(crate) async fn lock_lines_of_order(
    conn: &mut PgConnection,
    order: Uuid,
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(LineRow, r#"select pl.id, pl.purchase_order_id, pl.line_no, coalesce(pl.item_id, rl.item_id) as item_id, pl.description,
                pl.quantity, pl.received_quantity, pl.unit, pl.unit_price, pl.requisition_line_id, r.id as requisition_id,
                r.number as "requisition!", r.requester_id
           from purchase_order_lines pl
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where pl.purchase_order_id = $1
          order by pl.line_no
          for update of pl"#, order)
    .fetch_all(conn)
    .await
}

/// Adds the quantities to the received quantities of those of the lines that belong to the
/// order (a line given twice has its quantities added up first); how many lines it changed.
pub(crate) async fn add_received_quantities(
    conn: &mut PgConnection,
    order: Uuid,
    lines: &[Uuid],
    quantities: &[Decimal],
) -> sqlx::Result<u64> {
    Ok(sqlx::query!("update purchase_order_lines pl set received_quantity = pl.received_quantity + u.quantity
               from (select line_id, sum(quantity) as quantity from unnest($2::uuid[], $3::numeric[]) as t(line_id, quantity)
                      group by line_id) u
              where pl.purchase_order_id = $1 and pl.id = u.line_id", order, lines, quantities)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Whether an order still has lines with less received than ordered.
pub(crate) async fn order_has_open_lines(
    conn: &mut PgConnection,
    order: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from purchase_order_lines where purchase_order_id = $1 and received_quantity < quantity) as "found!""#, order)
    .fetch_one(conn)
    .await
}

/// The status receiving leaves (partially_received or received); nothing else of the order
/// changes.
pub(crate) async fn set_received_status(
    conn: &mut PgConnection,
    order: Uuid,
    status: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update purchase_orders set status = $2 where id = $1",
        order,
        status
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The orders with these ids, by number.
pub(crate) async fn orders_by_ids(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<OrderRow>> {
    sqlx::query_as!(OrderRow, r#"select o.id, o.number, o.status, o.supplier_id, s.name as supplier, o.plant_id, p.code as "plant_code?",
                o.expected_delivery_date
           from purchase_orders o
           join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
           left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id
          where o.id = any($1)
          order by o.number"#, ids)
    .fetch_all(conn)
    .await
}

/// The latest 50 orders (by number) in one of these statuses.
pub(crate) async fn latest_orders_in(
    conn: &mut PgConnection,
    statuses: &[&str],
) -> sqlx::Result<Vec<OrderRow>> {
    sqlx::query_as!(OrderRow, r#"select o.id, o.number, o.status, o.supplier_id, s.name as supplier, o.plant_id, p.code as "plant_code?",
                o.expected_delivery_date
           from purchase_orders o
           join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
           left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id
          where o.status = any($1)
          order by o.number desc limit 50"#, statuses as &[&str])
    .fetch_all(conn)
    .await
}

/// A supplier's orders in one of these statuses, newest (by number) first.
pub(crate) async fn supplier_orders_in(
    conn: &mut PgConnection,
    supplier: Uuid,
    statuses: &[&str],
) -> sqlx::Result<Vec<OrderRow>> {
    sqlx::query_as!(OrderRow, r#"select o.id, o.number, o.status, o.supplier_id, s.name as supplier, o.plant_id, p.code as "plant_code?",
                o.expected_delivery_date
           from purchase_orders o
           join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
           left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id
          where o.supplier_id = $1 and o.status = any($2)
          order by o.number desc"#, supplier, statuses as &[&str])
    .fetch_all(conn)
    .await
}

/// Every line of these orders, by order and line.
pub(crate) async fn all_lines_of_orders(
    conn: &mut PgConnection,
    orders: &[Uuid],
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(LineRow, r#"select pl.id, pl.purchase_order_id, pl.line_no, coalesce(pl.item_id, rl.item_id) as item_id, pl.description,
                pl.quantity, pl.received_quantity, pl.unit, pl.unit_price, pl.requisition_line_id, r.id as requisition_id,
                r.number as "requisition!", r.requester_id
           from purchase_order_lines pl
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where pl.purchase_order_id = any($1)
          order by pl.purchase_order_id, pl.line_no"#, orders)
    .fetch_all(conn)
    .await
}

/// The lines of these orders with less received than ordered, in line order.
pub(crate) async fn open_lines_of_orders(
    conn: &mut PgConnection,
    orders: &[Uuid],
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(LineRow, r#"select pl.id, pl.purchase_order_id, pl.line_no, coalesce(pl.item_id, rl.item_id) as item_id, pl.description,
                pl.quantity, pl.received_quantity, pl.unit, pl.unit_price, pl.requisition_line_id, r.id as requisition_id,
                r.number as "requisition!", r.requester_id
           from purchase_order_lines pl
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where pl.purchase_order_id = any($1) and pl.received_quantity < pl.quantity
          order by pl.line_no"#, orders)
    .fetch_all(conn)
    .await
}

/// A line with its order, as one statement reads them.
#[derive(sqlx::FromRow)]
pub(crate) struct LineWithOrderRow {
    pub(crate) order_id: Uuid,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) supplier_id: Uuid,
    pub(crate) supplier: String,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) plant_code: Option<String>,
    pub(crate) expected_delivery_date: Option<NaiveDate>,
    pub(crate) id: Uuid,
    pub(crate) line_no: i32,
    pub(crate) item_id: Option<Uuid>,
    pub(crate) description: String,
    pub(crate) quantity: Decimal,
    pub(crate) received_quantity: Decimal,
    pub(crate) unit: String,
    pub(crate) unit_price: Decimal,
    pub(crate) requisition_line_id: Uuid,
    pub(crate) requisition_id: Uuid,
    pub(crate) requisition: String,
    pub(crate) requester_id: Uuid,
}

impl LineWithOrderRow {
    pub(crate) fn split(self) -> (OrderRow, LineRow) {
        (
            OrderRow {
                id: self.order_id,
                number: self.number,
                status: self.status,
                supplier_id: self.supplier_id,
                supplier: self.supplier,
                plant_id: self.plant_id,
                plant_code: self.plant_code,
                expected_delivery_date: self.expected_delivery_date,
            },
            LineRow {
                id: self.id,
                purchase_order_id: self.order_id,
                line_no: self.line_no,
                item_id: self.item_id,
                description: self.description,
                quantity: self.quantity,
                received_quantity: self.received_quantity,
                unit: self.unit,
                unit_price: self.unit_price,
                requisition_line_id: self.requisition_line_id,
                requisition_id: self.requisition_id,
                requisition: self.requisition,
                requester_id: self.requester_id,
            },
        )
    }
}

/// The lines with these ids, each with its order, by order number and line.
pub(crate) struct LineNumberRow {
    pub id: Uuid,
    pub number: String,
}

/// Each line's order number, read by key.
pub(crate) async fn order_numbers_of_lines(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<LineNumberRow>> {
    sqlx::query_as!(
        LineNumberRow,
        r#"select pl.id as "id!", o.number as "number!"
             from unnest($1::uuid[]) as wanted(id)
             join purchase_order_lines pl on pl.tenant_id = current_tenant_id() and pl.id = wanted.id
             join purchase_orders o on o.tenant_id = pl.tenant_id and o.id = pl.purchase_order_id"#,
        ids
    )
    .fetch_all(conn)
    .await
}

/// Driven by the ids, each line's order read by key behind a fence (`offset 0`): planned once
/// per connection (a generic plan), the plain join merged every order of the company against
/// the suppliers and filtered by the line afterwards — a scan of all purchase orders on every
/// call (0.9 ms at 462 orders, 0.1 ms read by key; it grows with the company).
pub(crate) async fn lines_by_ids(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<LineWithOrderRow>> {
    sqlx::query_as!(LineWithOrderRow, r#"select o.id as order_id, o.number, o.status, o.supplier_id, s.name as supplier, o.plant_id,
                p.code as "plant_code?", o.expected_delivery_date, pl.id, pl.line_no, coalesce(pl.item_id, rl.item_id) as item_id,
                pl.description, pl.quantity, pl.received_quantity, pl.unit, pl.unit_price, pl.requisition_line_id,
                r.id as requisition_id, r.number as "requisition!", r.requester_id
           from unnest($1::uuid[]) as wanted(id)
           join purchase_order_lines pl on pl.tenant_id = current_tenant_id() and pl.id = wanted.id
           cross join lateral (select * from purchase_orders o
                                where o.tenant_id = pl.tenant_id and o.id = pl.purchase_order_id offset 0) o
           join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
           left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          order by o.number, pl.line_no"#, ids)
    .fetch_all(conn)
    .await
}

/// The lines of an item (as the order line names it) with less received than ordered, on orders
/// not yet received, closed or cancelled; each with its order, the soonest expected first.
pub(crate) async fn open_lines_of_item(
    conn: &mut PgConnection,
    item: Uuid,
) -> sqlx::Result<Vec<LineWithOrderRow>> {
    sqlx::query_as!(LineWithOrderRow, r#"select o.id as order_id, o.number, o.status, o.supplier_id, s.name as supplier, o.plant_id,
                p.code as "plant_code?", o.expected_delivery_date, pl.id, pl.line_no, coalesce(pl.item_id, rl.item_id) as item_id,
                pl.description, pl.quantity, pl.received_quantity, pl.unit, pl.unit_price, pl.requisition_line_id,
                r.id as requisition_id, r.number as "requisition!", r.requester_id
           from purchase_order_lines pl
           join purchase_orders o on o.tenant_id = pl.tenant_id and o.id = pl.purchase_order_id
           join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
           left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where pl.item_id = $1 and pl.received_quantity < pl.quantity
            and o.status in ('draft','pending_approval','approved','sent','partially_received')
          order by o.expected_delivery_date nulls last, o.number"#, item)
    .fetch_all(conn)
    .await
}

/// Whether a requisition or order line is counted in the unit (any case).
pub(crate) async fn lines_name_unit(conn: &mut PgConnection, code: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from requisition_lines where lower(unit) = lower($1))
               or exists(select 1 from purchase_order_lines where lower(unit) = lower($1)) as "used!""#,
        code
    )
    .fetch_one(conn)
    .await
}
