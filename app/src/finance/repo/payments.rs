//! SQL of payments and what they settle.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct Payable {
    pub id: Uuid,
    pub supplier_id: Uuid,
    pub status: String,
    pub due: Decimal,
}

/// The invoices to be paid, locked in one order (two payments of one invoice queue, and two
/// payments of two invoices never wait on each other crosswise): what is still due on each.
pub(crate) async fn lock_payable(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<Payable>> {
    sqlx::query_as!(
        Payable,
        r#"select id, supplier_id, status, total - tds - amount_paid as "due!"
             from supplier_invoices where id = any($1) order by id for update"#,
        ids
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn add_paid(
    conn: &mut PgConnection,
    id: Uuid,
    amount: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update supplier_invoices
            set amount_paid = amount_paid + $2,
                status = case when total - tds - amount_paid - $2 <= 0 then 'paid' else 'partially_paid' end
          where id = $1",
        id,
        amount
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Whether the account is an active bank account of the chart.
pub(crate) async fn is_bank(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from accounts where id = $1 and control = 'bank' and active and not is_group) as "x!""#,
        id
    )
    .fetch_one(conn)
    .await
}

pub(crate) struct NewPayment<'a> {
    pub tenant_id: Uuid,
    pub number: &'a str,
    pub supplier_id: Uuid,
    pub date: NaiveDate,
    pub bank_account_id: Uuid,
    pub amount: Decimal,
    pub currency: &'a str,
    pub reference: Option<&'a str>,
    pub entry_id: Option<Uuid>,
    pub created_by: Uuid,
    pub run_id: Option<Uuid>,
}

pub(crate) async fn insert_payment(
    conn: &mut PgConnection,
    p: &NewPayment<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into payments (tenant_id, number, supplier_id, payment_date, bank_account_id, amount, currency, reference,
                               entry_id, created_by, run_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
        p.tenant_id,
        p.number,
        p.supplier_id,
        p.date,
        p.bank_account_id,
        p.amount,
        p.currency,
        p.reference,
        p.entry_id,
        p.created_by,
        p.run_id
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn insert_allocations(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    payment: Uuid,
    invoices: &[Uuid],
    amounts: &[Decimal],
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into payment_allocations (tenant_id, payment_id, invoice_id, amount)
         select $1, $2, i, a from unnest($3::uuid[], $4::numeric[]) as x(i, a)",
        tenant_id,
        payment,
        invoices,
        amounts
    )
    .execute(conn)
    .await
    .map(|_| ())
}

pub(crate) struct PaymentRow {
    pub id: Uuid,
    pub number: String,
    pub supplier_id: Uuid,
    pub payment_date: NaiveDate,
    pub bank_account_id: Uuid,
    pub amount: Decimal,
    pub currency: String,
    pub reference: Option<String>,
    pub entry_id: Option<Uuid>,
}

/// Payments newest first (of a supplier, one by id, dated from/to, if given).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn payments(
    conn: &mut PgConnection,
    supplier: Option<Uuid>,
    id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<PaymentRow>> {
    sqlx::query_as!(
        PaymentRow,
        r#"select id, number, supplier_id, payment_date, bank_account_id, amount, currency::text as "currency!",
                  reference, entry_id
             from payments
            where ($1::uuid is null or supplier_id = $1) and ($2::uuid is null or id = $2)
              and ($3::date is null or payment_date >= $3) and ($4::date is null or payment_date <= $4)
            order by number desc limit $5 offset $6"#,
        supplier,
        id,
        from,
        to,
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn count_payments(
    conn: &mut PgConnection,
    supplier: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from payments
            where ($1::uuid is null or supplier_id = $1)
              and ($2::date is null or payment_date >= $2) and ($3::date is null or payment_date <= $3)"#,
        supplier,
        from,
        to
    )
    .fetch_one(conn)
    .await
}

pub(crate) struct AllocationRow {
    pub payment_id: Uuid,
    pub invoice_id: Uuid,
    pub number: String,
    pub supplier_number: String,
    pub amount: Decimal,
}

pub(crate) async fn allocations_of(
    conn: &mut PgConnection,
    payments: &[Uuid],
) -> sqlx::Result<Vec<AllocationRow>> {
    sqlx::query_as!(
        AllocationRow,
        "select a.payment_id, a.invoice_id, i.number, i.supplier_number, a.amount
           from payment_allocations a join supplier_invoices i on i.id = a.invoice_id
          where a.payment_id = any($1) order by a.payment_id, i.number",
        payments
    )
    .fetch_all(conn)
    .await
}

pub(crate) struct OpenInvoice {
    pub supplier_id: Uuid,
    pub due_date: NaiveDate,
    pub due: Decimal,
}

/// What is still to pay on `as_of` of every invoice (held ones too), summed per supplier and due
/// date: one grouped read, however many invoices are open (the ageing puts each sum in its bucket).
pub(crate) async fn open_invoices(
    conn: &mut PgConnection,
    as_of: NaiveDate,
) -> sqlx::Result<Vec<OpenInvoice>> {
    sqlx::query_as!(
        OpenInvoice,
        r#"select supplier_id, due_date, sum(total - tds - amount_paid) as "due!"
             from supplier_invoices
            where status in ('posted', 'partially_paid', 'on_hold') and invoice_date <= $1
              and total - tds - amount_paid > 0
            group by supplier_id, due_date
            order by supplier_id, due_date"#,
        as_of
    )
    .fetch_all(conn)
    .await
}

pub(crate) struct RunRow {
    pub id: Uuid,
    pub number: String,
    pub due_by: NaiveDate,
    pub payment_date: NaiveDate,
    pub bank_account_id: Uuid,
    pub status: String,
}

pub(crate) struct NewRun<'a> {
    pub tenant_id: Uuid,
    pub number: &'a str,
    pub due_by: NaiveDate,
    pub payment_date: NaiveDate,
    pub bank_account_id: Uuid,
    pub supplier_ids: Option<&'a [Uuid]>,
    pub created_by: Uuid,
}

pub(crate) async fn insert_run(conn: &mut PgConnection, r: &NewRun<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into payment_runs (tenant_id, number, due_by, payment_date, bank_account_id, supplier_ids, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        r.tenant_id,
        r.number,
        r.due_by,
        r.payment_date,
        r.bank_account_id,
        r.supplier_ids,
        r.created_by
    )
    .fetch_one(conn)
    .await
}

/// The run's lines: each due, unheld invoice (of the suppliers given, or all) due by the day,
/// for what is still due on it. How many.
pub(crate) async fn propose(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    run: Uuid,
    due_by: NaiveDate,
    suppliers: Option<&[Uuid]>,
) -> sqlx::Result<u64> {
    sqlx::query!(
        "insert into payment_run_lines (tenant_id, run_id, invoice_id, supplier_id, amount)
         select $1, $2, id, supplier_id, total - tds - amount_paid
           from supplier_invoices
          where status in ('posted', 'partially_paid') and due_date <= $3
            and total - tds - amount_paid > 0
            and ($4::uuid[] is null or supplier_id = any($4))",
        tenant_id,
        run,
        due_by,
        suppliers
    )
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

pub(crate) async fn run(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<RunRow>> {
    if lock {
        sqlx::query_as!(
            RunRow,
            "select id, number, due_by, payment_date, bank_account_id, status from payment_runs where id = $1 for update",
            id
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            RunRow,
            "select id, number, due_by, payment_date, bank_account_id, status from payment_runs where id = $1",
            id
        )
        .fetch_optional(conn)
        .await
    }
}

pub(crate) struct RunLineRow {
    pub invoice_id: Uuid,
    pub number: String,
    pub supplier_number: String,
    pub supplier_id: Uuid,
    pub due_date: NaiveDate,
    pub amount: Decimal,
}

pub(crate) async fn run_lines(conn: &mut PgConnection, run: Uuid) -> sqlx::Result<Vec<RunLineRow>> {
    sqlx::query_as!(
        RunLineRow,
        "select l.invoice_id, i.number, i.supplier_number, l.supplier_id, i.due_date, l.amount
           from payment_run_lines l join supplier_invoices i on i.id = l.invoice_id
          where l.run_id = $1 order by l.supplier_id, i.due_date, i.number",
        run
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn approve_run(conn: &mut PgConnection, id: Uuid, by: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update payment_runs set status = 'approved', approved_by = $2, approved_at = now() where id = $1",
        id,
        by
    )
    .execute(conn)
    .await
    .map(|_| ())
}

pub(crate) async fn payments_of_run(conn: &mut PgConnection, run: Uuid) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select id from payments where run_id = $1 order by number",
        run
    )
    .fetch_all(conn)
    .await
}

/// The company's name, language and digit grouping, for the advice.
pub(crate) async fn letterhead(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> sqlx::Result<(String, String, String)> {
    let r = sqlx::query!(
        "select name, default_language, number_format from tenants where id = $1",
        tenant_id
    )
    .fetch_one(conn)
    .await?;
    Ok((r.name, r.default_language, r.number_format))
}

/// The first active bank account of the chart.
pub(crate) async fn first_bank(conn: &mut PgConnection) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select id from accounts where control = 'bank' and active and not is_group order by code limit 1"
    )
    .fetch_optional(conn)
    .await
}
