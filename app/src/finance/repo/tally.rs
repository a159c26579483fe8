//! SQL of the TallyPrime export: the period's journal entries with what names their vouchers,
//! their lines with the bill each refers to (the suppliers' names come from procurement's
//! services).
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct EntryRow {
    pub id: Uuid,
    pub number: String,
    pub entry_date: NaiveDate,
    pub narration: String,
    pub source: String,
    /// The supplier invoice's own number and ours (PI-…), for an invoice's entry.
    pub invoice_number: Option<String>,
    pub supplier_number: Option<String>,
    /// The payment's number (PAY-…), for a payment's entry.
    pub payment_number: Option<String>,
}

/// The entries dated from `from` to `to`, by date and number.
pub(crate) async fn entries(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<EntryRow>> {
    sqlx::query_as!(
        EntryRow,
        r#"select e.id, e.number, e.entry_date, e.narration, e.source,
                  i.number as "invoice_number?", i.supplier_number as "supplier_number?",
                  p.number as "payment_number?"
             from journal_entries e
             left join supplier_invoices i on e.source = 'supplier_invoice' and i.id = e.source_id
             left join payments p on e.source = 'payment' and p.entry_id = e.id
            where e.entry_date between $1 and $2
            order by e.entry_date, e.number"#,
        from,
        to
    )
    .fetch_all(conn)
    .await
}

pub(crate) struct LineRow {
    pub entry_id: Uuid,
    pub account_id: Uuid,
    pub debit: Decimal,
    pub credit: Decimal,
    pub supplier_id: Option<Uuid>,
    /// The supplier's own number of the invoice the line refers to (accounts payable lines).
    pub bill: Option<String>,
}

/// The lines of the entries dated from `from` to `to`, by entry and line number (through the
/// entries' date index, then each entry's lines).
pub(crate) async fn lines(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<LineRow>> {
    sqlx::query_as!(
        LineRow,
        r#"select l.entry_id, l.account_id, l.debit, l.credit, l.supplier_id,
                  i.supplier_number as "bill?"
             from journal_entries e
             join journal_lines l on l.tenant_id = e.tenant_id and l.entry_id = e.id
             left join supplier_invoices i on i.id = l.bill_ref
            where e.entry_date between $1 and $2
            order by l.entry_id, l.line_no"#,
        from,
        to
    )
    .fetch_all(conn)
    .await
}
