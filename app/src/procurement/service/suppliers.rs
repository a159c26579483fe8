//! Suppliers and the projects a requisition may name.
use super::*;

#[derive(sqlx::FromRow)]
pub(super) struct SupplierRow {
    id: Uuid,
    code: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    tax_id: Option<String>,
    address: Option<String>,
    currency: String,
    payment_terms_days: i32,
    active: bool,
    language: Option<String>,
}

impl From<SupplierRow> for Supplier {
    fn from(r: SupplierRow) -> Self {
        Supplier {
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
        }
    }
}

pub(super) fn can_see_suppliers(p: &Principal) -> AppResult<()> {
    p.require("supplier:manage")
        .or_else(|_| p.require("requisition:create"))
        .map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_suppliers(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: Option<String>,
    active: Option<bool>,
    page: u32,
    per_page: u32,
) -> AppResult<Page<Supplier>> {
    let p = ctx.principal()?;
    can_see_suppliers(p)?;
    let per_page = per_page.clamp(1, crate::platform::paging::MAX_PER_PAGE);
    let page = page.max(1);
    let q = q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
    let total: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from suppliers where ($1::text is null or code ilike '%' || $1 || '%' or word_similarity($1, name) >= 0.3 or name ilike '%' || $1 || '%')
           and ($2::bool is null or active = $2)"#, q.as_deref(), active)
    .fetch_one(&mut **tx)
    .await?;
    let rows = sqlx::query_as!(SupplierRow, r#"select id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language from suppliers
          where ($1::text is null or code ilike '%' || $1 || '%' or word_similarity($1, name) >= 0.3 or name ilike '%' || $1 || '%')
            and ($2::bool is null or active = $2)
          order by case when $1::text is null then 0 else 1 - word_similarity($1, name) end, code
          limit $3 offset $4"#, q.as_deref(), active, per_page as i64, ((page - 1) * per_page) as i64)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Page {
        rows: rows.into_iter().map(Supplier::from).collect(),
        total: total as u64,
        page,
        per_page,
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_supplier(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Supplier> {
    let p = ctx.principal()?;
    can_see_suppliers(p)?;
    let row = sqlx::query_as!(SupplierRow, r#"select id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language from suppliers where id = $1"#, id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(row.into())
}

pub(super) fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_supplier(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: SupplierInput,
) -> AppResult<Supplier> {
    let p = ctx.principal()?;
    p.require("supplier:manage")?;
    validate_supplier(&input).map_err(AppError::Validation)?;
    let currency = input
        .currency
        .clone()
        .unwrap_or_else(|| p.user.tenant.currency.clone());
    let old = match id {
        Some(id) => Some(
            sqlx::query_as!(SupplierRow, r#"select id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language from suppliers where id = $1 for update"#, id)
            .fetch_optional(&mut **tx)
            .await?
            .map(Supplier::from)
            .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    // one statement for both: a new id inserts, a known one (checked and locked above) updates
    let result = sqlx::query_as!(SupplierRow, r#"insert into suppliers (tenant_id, id, code, name, email, phone, tax_id, address, currency, payment_terms_days, active, language)
         values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (tenant_id, id) do update set code = excluded.code, name = excluded.name, email = excluded.email,
            phone = excluded.phone, tax_id = excluded.tax_id, address = excluded.address, currency = excluded.currency,
            payment_terms_days = excluded.payment_terms_days, active = excluded.active, language = excluded.language
         returning id, code, name, email, phone, tax_id, address, currency::text as "currency!", payment_terms_days, active, language"#, p.tenant_id, id, input.code.trim(), input.name.trim(), clean(&input.email), clean(&input.phone), clean(&input.tax_id), clean(&input.address), &currency, input.payment_terms_days.unwrap_or(30), input.active.unwrap_or(true), clean(&input.language))
    .fetch_one(&mut **tx)
    .await;
    let supplier: Supplier = result
        .map_err(|e| on_constraint(e, &[("suppliers_tenant_id_code_key", "code")]))?
        .into();
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: if id.is_some() { "update" } else { "create" },
            entity: "supplier",
            entity_id: Some(supplier.id.to_string()),
            old: old.and_then(|o| serde_json::to_value(o).ok()),
            new: serde_json::to_value(&supplier).ok(),
        },
    )
    .await?;
    Ok(supplier)
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProjectRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_projects(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<ProjectRow>> {
    let p = ctx.principal()?;
    p.require("requisition:create")
        .or_else(|_| p.require("requisition:view"))?;
    let rows: Vec<(Uuid, String, String)> =
        sqlx::query!("select id, code, name from projects where active order by code limit 500")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|r| (r.id, r.code, r.name))
            .collect();
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| ProjectRow { id, code, name })
        .collect())
}
