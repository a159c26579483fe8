//! SQL of the supplier statement, the input-tax register and the exported general ledger.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// What `supplier` was owed on accounts payable before `from` (credits − debits).
pub(crate) async fn owed_before(
    conn: &mut PgConnection,
    supplier: Uuid,
    from: NaiveDate,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        r#"select coalesce(sum(l.credit - l.debit), 0) as "owed!"
             from journal_lines l join accounts a on a.id = l.account_id and a.control = 'ap'
            where l.supplier_id = $1 and l.entry_date < $2"#,
        supplier,
        from
    )
    .fetch_one(conn)
    .await
}

pub(crate) struct StatementRow {
    pub entry_date: NaiveDate,
    pub entry_id: Uuid,
    pub number: String,
    pub source: String,
    pub debit: Decimal,
    pub credit: Decimal,
    pub invoice_id: Option<Uuid>,
    pub invoice_number: Option<String>,
    pub supplier_number: Option<String>,
    pub payment_id: Option<Uuid>,
    pub payment_number: Option<String>,
    pub payment_reference: Option<String>,
}

/// The supplier's lines on accounts payable from `from` to `to` in date order, each with the
/// invoice or payment its entry records.
pub(crate) async fn statement_lines(
    conn: &mut PgConnection,
    supplier: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<StatementRow>> {
    sqlx::query_as!(
        StatementRow,
        r#"select l.entry_date, e.id as entry_id, e.number, e.source, l.debit, l.credit,
                  i.id as "invoice_id?", i.number as "invoice_number?", i.supplier_number as "supplier_number?",
                  p.id as "payment_id?", p.number as "payment_number?", p.reference as "payment_reference?"
             from journal_lines l
             join accounts a on a.id = l.account_id and a.control = 'ap'
             join journal_entries e on e.id = l.entry_id
             left join supplier_invoices i on e.source = 'supplier_invoice' and i.id = e.source_id
             left join payments p on e.source = 'payment' and p.entry_id = e.id
            where l.supplier_id = $1 and l.entry_date >= $2 and l.entry_date <= $3
            order by l.entry_date, e.number, l.line_no
            limit 50001"#,
        supplier,
        from,
        to
    )
    .fetch_all(conn)
    .await
}

pub(crate) struct TaxRow {
    pub supplier_id: Uuid,
    pub rate: Decimal,
    pub taxable: Decimal,
    pub cgst: Decimal,
    pub sgst: Decimal,
    pub igst: Decimal,
}

/// GST input of the supplier invoices posted from `from` to `to`, per supplier and rate: each
/// invoice counted on the day of its posting entry, and against the day its posting was reversed.
pub(crate) async fn input_tax(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<TaxRow>> {
    sqlx::query_as!(
        TaxRow,
        r#"with counted as (
             select i.id, 1 as sign from supplier_invoices i join journal_entries e on e.id = i.entry_id
              where e.entry_date >= $1 and e.entry_date <= $2
             union all
             select i.id, -1 from supplier_invoices i join journal_entries r on r.reverses = i.entry_id
              where r.entry_date >= $1 and r.entry_date <= $2
           )
           select i.supplier_id, l.tax_rate as rate,
                  sum(c.sign * l.amount) as "taxable!", sum(c.sign * l.cgst) as "cgst!",
                  sum(c.sign * l.sgst) as "sgst!", sum(c.sign * l.igst) as "igst!"
             from counted c
             join supplier_invoices i on i.id = c.id
             join supplier_invoice_lines l on l.invoice_id = i.id
            where l.cgst <> 0 or l.sgst <> 0 or l.igst <> 0
            group by i.supplier_id, l.tax_rate
           having sum(c.sign * l.cgst) <> 0 or sum(c.sign * l.sgst) <> 0 or sum(c.sign * l.igst) <> 0
            order by i.supplier_id, l.tax_rate"#,
        from,
        to
    )
    .fetch_all(conn)
    .await
}

pub(crate) struct HeadMovement {
    pub control: String,
    pub movement: Decimal,
}

/// The debits − credits of the GST input accounts from `from` to `to`, per control role.
pub(crate) async fn gst_input_movements(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<HeadMovement>> {
    sqlx::query_as!(
        HeadMovement,
        r#"select a.control as "control!", coalesce(sum(l.debit - l.credit), 0) as "movement!"
             from accounts a join journal_lines l on l.account_id = a.id
            where a.control in ('gst_input_cgst', 'gst_input_sgst', 'gst_input_igst')
              and l.entry_date >= $1 and l.entry_date <= $2
            group by a.control"#,
        from,
        to
    )
    .fetch_all(conn)
    .await
}

/// The suppliers with any line on accounts payable.
pub(crate) async fn ap_suppliers(conn: &mut PgConnection) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        r#"select distinct l.supplier_id as "supplier_id!"
             from journal_lines l join accounts a on a.id = l.account_id and a.control = 'ap'
            where l.supplier_id is not null"#
    )
    .fetch_all(conn)
    .await
}
