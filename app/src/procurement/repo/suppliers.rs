//! SQL of suppliers: the searchable list, one supplier, and its insert or update.
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct SupplierRow {
    pub(crate) id: Uuid,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) tax_id: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) currency: String,
    pub(crate) payment_terms_days: i32,
    pub(crate) active: bool,
    pub(crate) language: Option<String>,
    pub(crate) gstin: Option<String>,
    pub(crate) state_code: Option<String>,
    pub(crate) reverse_charge: bool,
    pub(crate) tds_section: Option<String>,
    pub(crate) tds_rate: Option<Decimal>,
    pub(crate) price_tolerance_pct: Option<Decimal>,
    pub(crate) price_tolerance_abs: Option<Decimal>,
}

/// How many suppliers match the words (code, or name by similarity) and the active filter.
pub(crate) async fn count_suppliers(
    conn: &mut PgConnection,
    q: Option<&str>,
    active: Option<bool>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from suppliers where ($1::text is null or code ilike '%' || $1 || '%' or word_similarity($1, name) >= 0.3 or name ilike '%' || $1 || '%')
           and ($2::bool is null or active = $2)"#, q, active)
    .fetch_one(conn)
    .await
}

/// A page of the suppliers matching the words, the most similar first (by code without words).
pub(crate) async fn list_suppliers(
    conn: &mut PgConnection,
    q: Option<&str>,
    active: Option<bool>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<SupplierRow>> {
    sqlx::query_as!(SupplierRow, r#"select id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language, gstin, state_code, reverse_charge, tds_section, tds_rate, price_tolerance_pct, price_tolerance_abs from suppliers
          where ($1::text is null or code ilike '%' || $1 || '%' or word_similarity($1, name) >= 0.3 or name ilike '%' || $1 || '%')
            and ($2::bool is null or active = $2)
          order by case when $1::text is null then 0 else 1 - word_similarity($1, name) end, code
          limit $3 offset $4"#, q, active, limit, offset)
    .fetch_all(conn)
    .await
}

pub(crate) async fn supplier(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<SupplierRow>> {
    sqlx::query_as!(SupplierRow, r#"select id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language, gstin, state_code, reverse_charge, tds_section, tds_rate, price_tolerance_pct, price_tolerance_abs from suppliers where id = $1"#, id)
    .fetch_optional(conn)
    .await
}

/// A supplier with the invoice price tolerance that applies to it (its own, else the company's):
/// (supplier, percent, absolute), in one statement.
pub(crate) async fn supplier_with_tolerance(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(SupplierRow, Decimal, Decimal)>> {
    let row = sqlx::query!(
        r#"select s.id, s.code, s.name, s.email, s.phone, s.tax_id, s.address, s.currency::text as "currency!",
                  s.payment_terms_days, s.active, s.language, s.gstin, s.state_code, s.reverse_charge, s.tds_section,
                  s.tds_rate, s.price_tolerance_pct, s.price_tolerance_abs,
                  coalesce(s.price_tolerance_pct, t.invoice_price_tolerance_pct) as "pct!",
                  coalesce(s.price_tolerance_abs, t.invoice_price_tolerance_abs) as "abs!"
             from suppliers s join tenants t on t.id = s.tenant_id
            where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        (
            SupplierRow {
                id: r.id,
                code: r.code,
                name: r.name,
                email: r.email,
                phone: r.phone,
                tax_id: r.tax_id,
                address: r.address,
                currency: r.currency,
                payment_terms_days: r.payment_terms_days,
                active: r.active,
                language: r.language,
                gstin: r.gstin,
                state_code: r.state_code,
                reverse_charge: r.reverse_charge,
                tds_section: r.tds_section,
                tds_rate: r.tds_rate,
                price_tolerance_pct: r.price_tolerance_pct,
                price_tolerance_abs: r.price_tolerance_abs,
            },
            r.pct,
            r.abs,
        )
    }))
}

/// The suppliers with these ids (those that exist): one statement however many.
pub(crate) async fn suppliers_by_ids(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<SupplierRow>> {
    sqlx::query_as!(SupplierRow, r#"select id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language, gstin, state_code, reverse_charge, tds_section, tds_rate, price_tolerance_pct, price_tolerance_abs from suppliers where id = any($1)"#, ids)
    .fetch_all(conn)
    .await
}

/// Which of the suppliers given share their name (whatever its case and surrounding spaces)
/// with another supplier of the company.
pub(crate) async fn sharing_names(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select s.id from suppliers s where s.id = any($1)
            and exists (select 1 from suppliers o where lower(btrim(o.name)) = lower(btrim(s.name)) and o.id <> s.id)",
        ids
    )
    .fetch_all(conn)
    .await
}

/// The supplier, locked for an update.
pub(crate) async fn lock_supplier(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<SupplierRow>> {
    sqlx::query_as!(SupplierRow, r#"select id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language, gstin, state_code, reverse_charge, tds_section, tds_rate, price_tolerance_pct, price_tolerance_abs from suppliers where id = $1 for update"#, id)
    .fetch_optional(conn)
    .await
}

/// A supplier's values as they are written.
pub(crate) struct SupplierValues<'a> {
    pub(crate) tenant_id: Uuid,
    /// None for a new supplier.
    pub(crate) id: Option<Uuid>,
    pub(crate) code: &'a str,
    pub(crate) name: &'a str,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) tax_id: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) currency: &'a str,
    pub(crate) payment_terms_days: i32,
    pub(crate) active: bool,
    pub(crate) language: Option<String>,
    pub(crate) gstin: Option<&'a str>,
    pub(crate) state_code: Option<&'a str>,
    pub(crate) reverse_charge: bool,
    pub(crate) tds_section: Option<&'a str>,
    pub(crate) tds_rate: Option<Decimal>,
    pub(crate) price_tolerance_pct: Option<Decimal>,
    pub(crate) price_tolerance_abs: Option<Decimal>,
}

/// One statement for both: a new id inserts, a known one updates.
pub(crate) async fn save_supplier(
    conn: &mut PgConnection,
    v: SupplierValues<'_>,
) -> sqlx::Result<SupplierRow> {
    sqlx::query_as!(SupplierRow, r#"insert into suppliers (tenant_id, id, code, name, email, phone, tax_id, address, currency, payment_terms_days, active, language,
            gstin, state_code, reverse_charge, tds_section, tds_rate, price_tolerance_pct, price_tolerance_abs)
         values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         on conflict (tenant_id, id) do update set code = excluded.code, name = excluded.name, email = excluded.email,
            phone = excluded.phone, tax_id = excluded.tax_id, address = excluded.address, currency = excluded.currency,
            payment_terms_days = excluded.payment_terms_days, active = excluded.active, language = excluded.language,
            gstin = excluded.gstin, state_code = excluded.state_code, reverse_charge = excluded.reverse_charge,
            tds_section = excluded.tds_section, tds_rate = excluded.tds_rate,
            price_tolerance_pct = excluded.price_tolerance_pct, price_tolerance_abs = excluded.price_tolerance_abs
         returning id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language,
            gstin, state_code, reverse_charge, tds_section, tds_rate, price_tolerance_pct, price_tolerance_abs"#,
        v.tenant_id, v.id, v.code, v.name, v.email, v.phone, v.tax_id, v.address, v.currency, v.payment_terms_days, v.active, v.language,
        v.gstin, v.state_code, v.reverse_charge, v.tds_section, v.tds_rate, v.price_tolerance_pct, v.price_tolerance_abs)
    .fetch_one(conn)
    .await
}

/// A supplier's invoice price tolerance: its own percent and amount where it has them, else the
/// company's (`None`: no such supplier in the tenant).
pub(crate) async fn price_tolerance(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(Decimal, Decimal)>> {
    Ok(sqlx::query!(
        r#"select coalesce(s.price_tolerance_pct, t.invoice_price_tolerance_pct) as "pct!",
                  coalesce(s.price_tolerance_abs, t.invoice_price_tolerance_abs) as "abs!"
             from suppliers s join tenants t on t.id = s.tenant_id
            where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.pct, r.abs)))
}
