//! SQL of purchase orders: the header with the visibility rule, lines and list; generation from
//! approved requisition lines; the status changes after it; the statements registered with the
//! approval engine.
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

/// The visibility rule as SQL: everything for those who see all, otherwise the orders the reader
/// created, that carry their requisitions' lines or that they hold an approval seat on.
fn push_visible(qb: &mut QueryBuilder<'_, Postgres>, user_id: Uuid, sees_all: bool) {
    qb.push("(")
        .push_bind(sees_all)
        .push(" or o.created_by = ")
        .push_bind(user_id)
        .push(
            "
   or exists (select 1 from purchase_order_lines pl
                join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
                join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
               where pl.purchase_order_id = o.id and r.requester_id = ",
        )
        .push_bind(user_id)
        .push(
            ")
   or exists (select 1 from approval_steps s join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id
               where s.doc_type = 'purchase_order' and s.doc_id = o.id and a.user_id = ",
        )
        .push_bind(user_id)
        .push("))");
}

#[derive(sqlx::FromRow)]
pub(crate) struct Header {
    pub(crate) id: Uuid,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) supplier_id: Uuid,
    pub(crate) supplier_code: String,
    pub(crate) supplier_name: String,
    pub(crate) supplier_email: Option<String>,
    pub(crate) supplier_language: Option<String>,
    pub(crate) supplier_address: Option<String>,
    pub(crate) supplier_tax_id: Option<String>,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) plant: Option<String>,
    pub(crate) plant_code: Option<String>,
    pub(crate) delivery_address: Option<String>,
    pub(crate) expected_delivery_date: Option<NaiveDate>,
    pub(crate) payment_terms_days: i32,
    pub(crate) currency: String,
    pub(crate) subtotal: Decimal,
    pub(crate) tax_amount: Decimal,
    pub(crate) total: Decimal,
    pub(crate) current_stage: Option<i32>,
    pub(crate) created_by_id: Uuid,
    pub(crate) created_by: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) sent_at: Option<DateTime<Utc>>,
    pub(crate) status_comment: Option<String>,
}

const HEADER_SQL: &str = "select o.id, o.number, o.status, o.supplier_id, s.code as supplier_code, s.name as supplier_name,
        s.email as supplier_email, s.language as supplier_language, s.address as supplier_address, s.tax_id as supplier_tax_id, o.plant_id,
        p.name as plant, p.code as plant_code, o.delivery_address, o.expected_delivery_date, o.payment_terms_days,
        o.currency::text as currency, o.subtotal, o.tax_amount, o.total, o.current_stage, o.created_by as created_by_id,
        u.display_name as created_by, o.created_at, o.sent_at, o.status_comment
   from purchase_orders o
   join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
   join users u on u.tenant_id = o.tenant_id and u.id = o.created_by
   left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id";

/// The order's header if the reader may see it, its row locked when asked.
pub(crate) async fn header(
    conn: &mut PgConnection,
    user_id: Uuid,
    sees_all: bool,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<Header>> {
    // Dynamic: the visibility rule is shared with the list, and the row is locked only when asked
    let mut qb = QueryBuilder::<Postgres>::new(HEADER_SQL);
    qb.push(" where o.id = ").push_bind(id).push(" and ");
    push_visible(&mut qb, user_id, sees_all);
    if lock {
        qb.push(" for update of o");
    }
    qb.build_query_as::<Header>().fetch_optional(conn).await
}

#[derive(sqlx::FromRow)]
pub(crate) struct LineRow {
    pub(crate) id: Uuid,
    pub(crate) line_no: i32,
    pub(crate) requisition_line_id: Uuid,
    pub(crate) requisition_id: Uuid,
    pub(crate) requisition_number: String,
    pub(crate) item_id: Option<Uuid>,
    pub(crate) description: String,
    pub(crate) quantity: Decimal,
    pub(crate) unit: String,
    pub(crate) unit_price: Decimal,
    pub(crate) tax_rate: Decimal,
    pub(crate) line_subtotal: Decimal,
    pub(crate) tax_amount: Decimal,
    pub(crate) line_total: Decimal,
    pub(crate) received_quantity: Decimal,
}

/// The order's lines with the requisitions they come from, in line order.
pub(crate) async fn order_lines(
    conn: &mut PgConnection,
    po_id: Uuid,
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(LineRow, r#"select pl.id, pl.line_no, pl.requisition_line_id, r.id as requisition_id, r.number as "requisition_number!",
                pl.item_id, pl.description, pl.quantity, pl.unit, pl.unit_price, pl.tax_rate, pl.line_subtotal,
                pl.tax_amount, pl.line_total, pl.received_quantity
           from purchase_order_lines pl
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where pl.purchase_order_id = $1 order by pl.line_no"#, po_id)
    .fetch_all(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub(crate) struct ListRow {
    pub(crate) id: Uuid,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) supplier: String,
    pub(crate) total: Decimal,
    pub(crate) currency: String,
    pub(crate) expected_delivery_date: Option<NaiveDate>,
    pub(crate) created_at: DateTime<Utc>,
    /// How many orders the filters find, on every row.
    pub(crate) full_count: i64,
}

/// A page of the order list: its reader and filters.
pub(crate) struct ListQuery {
    pub(crate) user_id: Uuid,
    pub(crate) sees_all: bool,
    pub(crate) status: Option<&'static str>,
    pub(crate) supplier_id: Option<Uuid>,
    /// The search words as an `ilike` pattern (`%…%`, with `%` and `_` escaped).
    pub(crate) pattern: Option<String>,
    pub(crate) limit: i64,
    pub(crate) offset: i64,
}

/// A page of the orders the reader may see and the filters find, the newest first.
pub(crate) async fn list_orders(
    conn: &mut PgConnection,
    f: &ListQuery,
) -> sqlx::Result<Vec<ListRow>> {
    // Dynamic: the visibility rule is shared with the header
    let mut qb = QueryBuilder::<Postgres>::new(
        "select o.id, o.number, o.status, s.name as supplier, o.total, o.currency::text as currency,
                o.expected_delivery_date, o.created_at, count(*) over () as full_count
           from purchase_orders o join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
          where ",
    );
    push_visible(&mut qb, f.user_id, f.sees_all);
    let pattern = f.pattern.as_deref();
    qb.push("\n            and (")
        .push_bind(f.status)
        .push("::text is null or o.status = ")
        .push_bind(f.status)
        .push(")\n            and (")
        .push_bind(f.supplier_id)
        .push("::uuid is null or o.supplier_id = ")
        .push_bind(f.supplier_id)
        .push(")\n            and (")
        .push_bind(pattern)
        .push("::text is null or o.number ilike ")
        .push_bind(pattern)
        .push(" or s.name ilike ")
        .push_bind(pattern)
        .push(" or s.code ilike ")
        .push_bind(pattern)
        .push(")\n          order by o.created_at desc, o.number desc\n          limit ")
        .push_bind(f.limit)
        .push(" offset ")
        .push_bind(f.offset);
    qb.build_query_as::<ListRow>().fetch_all(conn).await
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrderableRow {
    pub(crate) requisition_line_id: Uuid,
    pub(crate) requisition_id: Uuid,
    pub(crate) requisition_number: String,
    pub(crate) requester: String,
    pub(crate) plant: Option<String>,
    pub(crate) needed_by: Option<NaiveDate>,
    pub(crate) description: String,
    pub(crate) quantity: Decimal,
    pub(crate) ordered_quantity: Decimal,
    pub(crate) unit: String,
    pub(crate) estimated_unit_price: Decimal,
    pub(crate) supplier_id: Option<Uuid>,
    pub(crate) supplier: Option<String>,
    pub(crate) currency: String,
}

/// Approved requisition lines with quantity still to order, oldest decision first (500 at most).
pub(crate) async fn orderable_lines(conn: &mut PgConnection) -> sqlx::Result<Vec<OrderableRow>> {
    sqlx::query_as!(OrderableRow, r#"select l.id as requisition_line_id, r.id as requisition_id, r.number as "requisition_number!",
                u.display_name as requester, pl.name as "plant?", r.needed_by, l.description, l.quantity,
                l.ordered_quantity, l.unit, l.estimated_unit_price, l.supplier_id, s.name as "supplier?",
                r.currency::text as "currency!"
           from requisition_lines l
           join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
           join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
           left join plants pl on pl.tenant_id = r.tenant_id and pl.id = r.plant_id
           left join suppliers s on s.tenant_id = l.tenant_id and s.id = l.supplier_id
          where r.status = 'approved' and l.ordered_quantity < l.quantity
          order by r.decided_at nulls last, r.number, l.line_no
          limit 500"#)
    .fetch_all(conn)
    .await
}

pub(crate) async fn default_tax_rate(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        "select default_tax_rate from tenants where id = $1",
        tenant_id
    )
    .fetch_one(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub(crate) struct LockedLine {
    pub(crate) id: Uuid,
    pub(crate) item_id: Option<Uuid>,
    pub(crate) description: String,
    pub(crate) quantity: Decimal,
    pub(crate) ordered_quantity: Decimal,
    pub(crate) unit: String,
    pub(crate) estimated_unit_price: Decimal,
    pub(crate) supplier_id: Option<Uuid>,
    pub(crate) status: String,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) needed_by: Option<NaiveDate>,
    pub(crate) requester_id: Uuid,
}

/// The requisition lines with their requisition's status, plant and requester, locked in id
/// order (so that two generators never deadlock).
pub(crate) async fn lock_requisition_lines(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<LockedLine>> {
    sqlx::query_as!(LockedLine, "select l.id, l.item_id, l.description, l.quantity, l.ordered_quantity, l.unit, l.estimated_unit_price,
                l.supplier_id, r.status, r.plant_id, r.needed_by, r.requester_id
           from requisition_lines l join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
          where l.id = any($1) order by l.id for update of l", ids)
    .fetch_all(conn)
    .await
}

/// The payment terms (days) of those of the suppliers that are active ones of this tenant.
pub(crate) async fn active_suppliers_terms(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, i32)>> {
    Ok(sqlx::query!(
        "select id, payment_terms_days from suppliers where id = any($1) and active",
        ids
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.payment_terms_days))
    .collect())
}

pub(crate) async fn plant_address(
    conn: &mut PgConnection,
    plant: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select address from plants where id = $1", plant)
        .fetch_one(conn)
        .await
}

/// A new order's header as it is written.
pub(crate) struct NewOrder<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) number: &'a str,
    pub(crate) supplier_id: Uuid,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) delivery_address: Option<String>,
    pub(crate) expected_delivery_date: NaiveDate,
    pub(crate) payment_terms_days: i32,
    pub(crate) currency: &'a str,
    pub(crate) created_by: Uuid,
}

/// Inserts the order (without figures, see [`set_order_figures`]); its id.
pub(crate) async fn insert_order(conn: &mut PgConnection, o: NewOrder<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!("insert into purchase_orders (tenant_id, number, supplier_id, plant_id, delivery_address, expected_delivery_date,
                                          payment_terms_days, currency, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id", o.tenant_id, o.number, o.supplier_id, o.plant_id, o.delivery_address, o.expected_delivery_date, o.payment_terms_days, o.currency, o.created_by)
    .fetch_one(conn)
    .await
}

/// An order's lines as the columns they are written with (one array per column, bound to
/// `unnest`), numbered in this order.
#[derive(Default)]
pub(crate) struct OrderLineColumns {
    pub(crate) line_ids: Vec<Uuid>,
    pub(crate) item_ids: Vec<Option<Uuid>>,
    pub(crate) descriptions: Vec<String>,
    pub(crate) quantities: Vec<Decimal>,
    pub(crate) units: Vec<String>,
    pub(crate) prices: Vec<Decimal>,
    pub(crate) rates: Vec<Decimal>,
    pub(crate) subtotals: Vec<Decimal>,
    pub(crate) taxes: Vec<Decimal>,
    pub(crate) totals: Vec<Decimal>,
}

/// All the order's lines in one statement (not a round trip per line).
pub(crate) async fn insert_order_lines(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    po_id: Uuid,
    c: &OrderLineColumns,
) -> sqlx::Result<()> {
    sqlx::query!("insert into purchase_order_lines (tenant_id, purchase_order_id, line_no, requisition_line_id, item_id, description,
                                               quantity, unit, unit_price, tax_rate, line_subtotal, tax_amount, line_total)
             select $1, $2, u.n, u.line_id, u.item_id, u.description, u.quantity, u.unit, u.price, u.rate, u.sub, u.tax, u.tot
               from unnest($3::uuid[], $4::uuid[], $5::text[], $6::numeric[], $7::text[], $8::numeric[], $9::numeric[],
                           $10::numeric[], $11::numeric[], $12::numeric[])
                    with ordinality as u(line_id, item_id, description, quantity, unit, price, rate, sub, tax, tot, n)", tenant_id, po_id, &c.line_ids, &c.item_ids as &[Option<Uuid>], &c.descriptions, &c.quantities, &c.units, &c.prices, &c.rates, &c.subtotals, &c.taxes, &c.totals)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds the quantities to the requisition lines' ordered quantities; a line that appears twice
/// (split twice to the same supplier) has its quantities added up first.
pub(crate) async fn add_ordered_quantities(
    conn: &mut PgConnection,
    line_ids: &[Uuid],
    quantities: &[Decimal],
) -> sqlx::Result<()> {
    sqlx::query!("update requisition_lines rl set ordered_quantity = rl.ordered_quantity + u.quantity
               from (select line_id, sum(quantity) as quantity from unnest($1::uuid[], $2::numeric[]) as t(line_id, quantity)
                      group by line_id) u
              where rl.id = u.line_id", line_ids, quantities)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn set_order_figures(
    conn: &mut PgConnection,
    po_id: Uuid,
    subtotal: Decimal,
    tax: Decimal,
    total: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update purchase_orders set subtotal = $2, tax_amount = $3, total = $4 where id = $1",
        po_id,
        subtotal,
        tax,
        total
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The status and stage an approval outcome leaves; the approval time when approved.
pub(crate) async fn set_order_outcome(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    stage: Option<i32>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update purchase_orders set status = $2, current_stage = $3,
                approved_at = case when $2 = 'approved' then now() else approved_at end
          where id = $1",
        id,
        status,
        stage
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives the order's quantities back to its requisition lines.
pub(crate) async fn release_ordered_quantities(
    conn: &mut PgConnection,
    po_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!("update requisition_lines rl set ordered_quantity = rl.ordered_quantity - pl.quantity
           from purchase_order_lines pl
          where pl.tenant_id = rl.tenant_id and pl.requisition_line_id = rl.id and pl.purchase_order_id = $1", po_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn mark_order_sent(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update purchase_orders set status = 'sent', sent_at = now() where id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A status set by hand (cancelled, closed) with its reason; no stage is open after it.
pub(crate) async fn set_order_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    comment: &str,
) -> sqlx::Result<()> {
    sqlx::query!("update purchase_orders set status = $2, status_comment = $3, current_stage = null where id = $1", id, status, comment)
        .execute(conn)
        .await?;
    Ok(())
}

/// How the approval engine reads an order's header (its registration).
pub(crate) const KIND_HEADER_SQL: &str = "select id, number, created_by as requester_id, total, currency, plant_id, null::uuid as department_id
                   from purchase_orders";

/// The default approval rule of orders, seeded per tenant (`$1`): the procurement manager
/// approves orders above the tenant's threshold.
pub(crate) const KIND_DEFAULT_RULES_SQL: &str = "insert into approval_rules (tenant_id, doc_type, stage, name, approver_kind, approver_role, condition,
                                     sla_hours, escalate_to_role, escalate_after_hours)
         select id, 'purchase_order', 1, 'Procurement manager', 'role', 'ProcurementMgr',
                'amount > ' || trim_scale(po_approval_threshold)::text, 24, null, null
           from tenants where id = $1
         on conflict (tenant_id, doc_type, stage) do nothing";
