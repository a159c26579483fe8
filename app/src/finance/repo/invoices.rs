//! SQL of supplier invoices and their lines (each line keeps its last match).
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct NewInvoice<'a> {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub supplier_id: Uuid,
    pub supplier_number: &'a str,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub plant_id: Option<Uuid>,
    pub place_of_supply: Option<&'a str>,
    pub currency: &'a str,
    pub notes: Option<&'a str>,
    pub created_by: Uuid,
    /// subtotal, CGST, SGST, IGST, tax, TDS, total
    pub totals: [Decimal; 7],
    pub match_status: &'a str,
}

/// The invoice and its lines (numbered 1… in the order given, under the ids given) in one
/// statement, its number drawn from the tenant's `PI` counter by the insert itself: the number.
/// The counter stays locked until the commit, so the caller writes this last.
pub(crate) async fn insert_invoice(
    conn: &mut PgConnection,
    i: &NewInvoice<'_>,
    line_ids: &[Uuid],
    lines: &[LineValues],
) -> sqlx::Result<String> {
    let col = |f: fn(&LineValues) -> Decimal| lines.iter().map(f).collect::<Vec<_>>();
    let order_lines: Vec<Uuid> = lines.iter().map(|l| l.purchase_order_line_id).collect();
    let receipt_lines: Vec<Option<Uuid>> = lines.iter().map(|l| l.goods_receipt_line_id).collect();
    let items: Vec<Option<Uuid>> = lines.iter().map(|l| l.item_id).collect();
    let descriptions: Vec<String> = lines.iter().map(|l| l.description.clone()).collect();
    let hsn: Vec<Option<String>> = lines.iter().map(|l| l.hsn_sac.clone()).collect();
    let statuses: Vec<String> = lines.iter().map(|l| l.match_status.clone()).collect();
    sqlx::query_scalar!(
        r#"with invoice as (
             insert into supplier_invoices (tenant_id, id, number, supplier_id, supplier_number, invoice_date, due_date,
                                            plant_id, place_of_supply, currency, notes, created_by,
                                            subtotal, cgst, sgst, igst, tax, tds, total, match_status)
             values ($1, $2, next_document_number($1, 'PI'), $3, $4, $5, $6, $7, $8, $9, $10, $11,
                     $12, $13, $14, $15, $16, $17, $18, $19)
             returning id, number),
           lines as (
             insert into supplier_invoice_lines (tenant_id, id, invoice_id, line_no, purchase_order_line_id,
                 goods_receipt_line_id, item_id, description, hsn_sac, quantity, unit_price, tax_rate, amount, cgst,
                 sgst, igst, tax, ordered, received, invoiced_before, order_price, quantity_variance, price_variance,
                 match_status)
             select $1, l.id, invoice.id, l.n::smallint, l.ol, l.rl, l.item, l.d, l.h, l.q, l.p, l.r, l.a, l.cg, l.sg,
                    l.ig, l.t, l.o, l.rc, l.b, l.op, l.qv, l.pv, l.m
               from invoice,
                    unnest($20::uuid[], $21::uuid[], $22::uuid[], $23::uuid[], $24::text[], $25::text[],
                           $26::numeric[], $27::numeric[], $28::numeric[], $29::numeric[], $30::numeric[],
                           $31::numeric[], $32::numeric[], $33::numeric[], $34::numeric[], $35::numeric[],
                           $36::numeric[], $37::numeric[], $38::numeric[], $39::numeric[], $40::text[])
                      with ordinality as l(id, ol, rl, item, d, h, q, p, r, a, cg, sg, ig, t, o, rc, b, op, qv, pv, m, n))
         select number as "number!" from invoice"#,
        i.tenant_id,
        i.id,
        i.supplier_id,
        i.supplier_number,
        i.invoice_date,
        i.due_date,
        i.plant_id,
        i.place_of_supply,
        i.currency,
        i.notes,
        i.created_by,
        i.totals[0],
        i.totals[1],
        i.totals[2],
        i.totals[3],
        i.totals[4],
        i.totals[5],
        i.totals[6],
        i.match_status,
        line_ids,
        &order_lines,
        &receipt_lines as &[Option<Uuid>],
        &items as &[Option<Uuid>],
        &descriptions,
        &hsn as &[Option<String>],
        &col(|l| l.quantity),
        &col(|l| l.unit_price),
        &col(|l| l.tax_rate),
        &col(|l| l.amount),
        &col(|l| l.cgst),
        &col(|l| l.sgst),
        &col(|l| l.igst),
        &col(|l| l.tax),
        &col(|l| l.ordered),
        &col(|l| l.received),
        &col(|l| l.invoiced_before),
        &col(|l| l.order_price),
        &col(|l| l.quantity_variance),
        &col(|l| l.price_variance),
        &statuses
    )
    .fetch_one(conn)
    .await
}

/// A line with its amounts and match, as computed by the service.
pub(crate) struct LineValues {
    pub purchase_order_line_id: Uuid,
    pub goods_receipt_line_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub description: String,
    pub hsn_sac: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub tax_rate: Decimal,
    pub amount: Decimal,
    pub cgst: Decimal,
    pub sgst: Decimal,
    pub igst: Decimal,
    pub tax: Decimal,
    pub ordered: Decimal,
    pub received: Decimal,
    pub invoiced_before: Decimal,
    pub order_price: Decimal,
    pub quantity_variance: Decimal,
    pub price_variance: Decimal,
    pub match_status: String,
}

impl LineValues {
    /// The line's row as inserted under `id`.
    pub(crate) fn written(self, id: Uuid, invoice_id: Uuid) -> LineRow {
        LineRow {
            id,
            invoice_id,
            purchase_order_line_id: self.purchase_order_line_id,
            goods_receipt_line_id: self.goods_receipt_line_id,
            item_id: self.item_id,
            description: self.description,
            hsn_sac: self.hsn_sac,
            quantity: self.quantity,
            unit_price: self.unit_price,
            tax_rate: self.tax_rate,
            amount: self.amount,
            cgst: self.cgst,
            sgst: self.sgst,
            igst: self.igst,
            tax: self.tax,
            ordered: self.ordered,
            received: self.received,
            invoiced_before: self.invoiced_before,
            order_price: self.order_price,
            quantity_variance: self.quantity_variance,
            price_variance: self.price_variance,
            match_status: self.match_status,
        }
    }
}

/// The invoice's new status, match and entry (`entry` None keeps the one it names), with the
/// lines' matches as found again (at submission, on a decision, when goods arrive: `lines`, none
/// when they were not matched again), in one statement; `to` None changes the lines only.
pub(crate) async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    to: Option<(&str, &str)>,
    entry: Option<Uuid>,
    lines: &[LineRow],
) -> sqlx::Result<()> {
    let ids: Vec<Uuid> = lines.iter().map(|l| l.id).collect();
    let received: Vec<Decimal> = lines.iter().map(|l| l.received).collect();
    let before: Vec<Decimal> = lines.iter().map(|l| l.invoiced_before).collect();
    let variance: Vec<Decimal> = lines.iter().map(|l| l.quantity_variance).collect();
    let matched: Vec<String> = lines.iter().map(|l| l.match_status.clone()).collect();
    let (status, match_status) = to.unzip();
    sqlx::query!(
        "with matched as (
           update supplier_invoice_lines l
              set received = u.r, invoiced_before = u.b, quantity_variance = u.v, match_status = u.m
             from unnest($5::uuid[], $6::numeric[], $7::numeric[], $8::numeric[], $9::text[]) as u(id, r, b, v, m)
            where l.id = u.id and l.invoice_id = $1)
         update supplier_invoices set status = $2, match_status = $3, entry_id = coalesce($4, entry_id)
          where id = $1 and $2::text is not null",
        id,
        status,
        match_status,
        entry,
        &ids,
        &received,
        &before,
        &variance,
        &matched
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The invoice names no entry (its posting had nothing to post).
pub(crate) async fn clear_entry(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update supplier_invoices set entry_id = null where id = $1",
        id
    )
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(Clone)]
pub(crate) struct InvoiceRow {
    pub id: Uuid,
    pub number: String,
    pub supplier_id: Uuid,
    pub supplier_number: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub plant_id: Option<Uuid>,
    pub place_of_supply: Option<String>,
    pub currency: String,
    pub status: String,
    pub match_status: String,
    pub subtotal: Decimal,
    pub cgst: Decimal,
    pub sgst: Decimal,
    pub igst: Decimal,
    pub tax: Decimal,
    pub tds: Decimal,
    pub total: Decimal,
    pub amount_paid: Decimal,
    pub notes: Option<String>,
    pub entry_id: Option<Uuid>,
    pub created_by: Uuid,
}

pub(crate) async fn invoice(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<InvoiceRow>> {
    if lock {
        sqlx::query_as!(
            InvoiceRow,
            r#"select id, number, supplier_id, supplier_number, invoice_date, due_date, plant_id, place_of_supply,
                      currency::text as "currency!", status, match_status, subtotal, cgst, sgst, igst, tax, tds, total,
                      amount_paid, notes, entry_id, created_by
                 from supplier_invoices where id = $1 for update"#,
            id
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            InvoiceRow,
            r#"select id, number, supplier_id, supplier_number, invoice_date, due_date, plant_id, place_of_supply,
                      currency::text as "currency!", status, match_status, subtotal, cgst, sgst, igst, tax, tds, total,
                      amount_paid, notes, entry_id, created_by
                 from supplier_invoices where id = $1"#,
            id
        )
        .fetch_optional(conn)
        .await
    }
}

pub(crate) async fn invoices(
    conn: &mut PgConnection,
    status: Option<&str>,
    match_status: Option<&str>,
    supplier: Option<Uuid>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<InvoiceRow>> {
    sqlx::query_as!(
        InvoiceRow,
        r#"select id, number, supplier_id, supplier_number, invoice_date, due_date, plant_id, place_of_supply,
                  currency::text as "currency!", status, match_status, subtotal, cgst, sgst, igst, tax, tds, total,
                  amount_paid, notes, entry_id, created_by
             from supplier_invoices
            where ($1::text is null or status = $1) and ($2::uuid is null or supplier_id = $2)
              and ($5::text is null or match_status = $5)
            order by number desc limit $3 offset $4"#,
        status,
        supplier,
        limit,
        offset,
        match_status
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn count_invoices(
    conn: &mut PgConnection,
    status: Option<&str>,
    match_status: Option<&str>,
    supplier: Option<Uuid>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from supplier_invoices
            where ($1::text is null or status = $1) and ($2::uuid is null or supplier_id = $2)
              and ($3::text is null or match_status = $3)"#,
        status,
        supplier,
        match_status
    )
    .fetch_one(conn)
    .await
}

pub(crate) struct LineRow {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub purchase_order_line_id: Uuid,
    pub goods_receipt_line_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub description: String,
    pub hsn_sac: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub tax_rate: Decimal,
    pub amount: Decimal,
    pub cgst: Decimal,
    pub sgst: Decimal,
    pub igst: Decimal,
    pub tax: Decimal,
    pub ordered: Decimal,
    pub received: Decimal,
    pub invoiced_before: Decimal,
    pub order_price: Decimal,
    pub quantity_variance: Decimal,
    pub price_variance: Decimal,
    pub match_status: String,
}

pub(crate) async fn lines_of(
    conn: &mut PgConnection,
    invoices: &[Uuid],
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(
        LineRow,
        "select id, invoice_id, purchase_order_line_id, goods_receipt_line_id, item_id, description, hsn_sac, quantity,
                unit_price, tax_rate, amount, cgst, sgst, igst, tax, ordered, received, invoiced_before, order_price,
                quantity_variance, price_variance, match_status
           from supplier_invoice_lines where invoice_id = any($1) order by invoice_id, line_no",
        invoices
    )
    .fetch_all(conn)
    .await
}

/// What other invoices, submitted and not cancelled, bill of each order line: (line, quantity).
pub(crate) async fn invoiced_before(
    conn: &mut PgConnection,
    order_lines: &[Uuid],
    except: Uuid,
) -> sqlx::Result<Vec<(Uuid, Decimal)>> {
    let rows = sqlx::query!(
        r#"select l.purchase_order_line_id, sum(l.quantity) as "q!"
             from supplier_invoice_lines l join supplier_invoices i on i.id = l.invoice_id
            where l.purchase_order_line_id = any($1) and i.id <> $2 and i.status not in ('draft', 'cancelled')
            group by l.purchase_order_line_id"#,
        order_lines,
        except
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.purchase_order_line_id, r.q))
        .collect())
}

/// Invoices waiting for goods that bill one of these order lines.
pub(crate) async fn awaiting_goods(
    conn: &mut PgConnection,
    order_lines: &[Uuid],
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        r#"select distinct i.id as "id!" from supplier_invoices i join supplier_invoice_lines l on l.invoice_id = i.id
            where i.status = 'awaiting_goods' and l.purchase_order_line_id = any($1)
            order by 1"#,
        order_lines
    )
    .fetch_all(conn)
    .await
}

/// The state a plant is in (GST's place of supply), if recorded.
pub(crate) async fn plant_state(
    conn: &mut PgConnection,
    plant: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select state_code from plants where id = $1", plant)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// What the GRNI account still holds for an order line (credits − debits).
pub(crate) async fn grni_left(
    conn: &mut PgConnection,
    account: Uuid,
    order_line: Uuid,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        r#"select coalesce(sum(credit - debit), 0) as "b!" from journal_lines where account_id = $1 and bill_ref = $2"#,
        account,
        order_line
    )
    .fetch_one(conn)
    .await
}

/// The invoice's header as the approval engine reads it.
pub(crate) const KIND_HEADER_SQL: &str = "select id, number, created_by as requester_id, total, currency, plant_id, null::uuid as department_id
                   from supplier_invoices";

/// A new tenant's rule for invoice exceptions (`$1`): the procurement manager decides. (An
/// accountant stage would have to be another accountant than the one who entered the invoice —
/// the engine never seats the requester — which a company with one accountant does not have;
/// a company adds it on the rules page.)
pub(crate) const KIND_DEFAULT_RULES_SQL: &str = "insert into approval_rules (tenant_id, doc_type, stage, name, approver_kind, approver_role, condition,
                                     sla_hours, escalate_to_role, escalate_after_hours)
         values ($1, 'invoice', 1, 'Procurement manager', 'role', 'ProcurementMgr', '', 48, null, null)
         on conflict (tenant_id, doc_type, stage) do nothing";

/// Per supplier, how many posted or partly paid invoices still owe something, how much, and in
/// which currency (the books').
pub(crate) async fn open_by_supplier(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, i64, Decimal, String)>> {
    let rows = sqlx::query!(
        r#"select supplier_id, count(*) as "invoices!", sum(total - tds - amount_paid) as "due!",
                  max(currency::text) as "currency!"
             from supplier_invoices
            where status in ('posted', 'partially_paid') and total - tds - amount_paid > 0
            group by supplier_id"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.supplier_id, r.invoices, r.due, r.currency))
        .collect())
}
