//! SQL of what is left to bill of order lines: the quantities every invoice not cancelled
//! (drafts included: a draft already claims what it bills) bills of them.
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// What the invoices not cancelled bill of each of these order lines: (line, quantity).
pub(crate) async fn invoiced(
    conn: &mut PgConnection,
    order_lines: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, Decimal)>> {
    let rows = sqlx::query!(
        r#"select l.purchase_order_line_id, sum(l.quantity) as "q!"
             from supplier_invoice_lines l join supplier_invoices i on i.id = l.invoice_id
            where l.purchase_order_line_id = any($1) and i.status <> 'cancelled'
            group by l.purchase_order_line_id"#,
        order_lines
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.purchase_order_line_id, r.q))
        .collect())
}
