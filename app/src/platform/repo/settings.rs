//! SQL of the tenant's settings, its company, plants, departments and cost centres, and its
//! document number prefixes (all on the tenant's transaction: row-level security keeps them its own).
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct SettingsRow {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) currency: String,
    pub(crate) timezone: String,
    pub(crate) default_language: String,
    pub(crate) number_format: String,
    pub(crate) fiscal_year_start_month: i16,
    pub(crate) email_verified: bool,
    pub(crate) signup_email: Option<String>,
    pub(crate) setup_completed: bool,
    pub(crate) invoice_price_tolerance_pct: rust_decimal::Decimal,
    pub(crate) invoice_price_tolerance_abs: rust_decimal::Decimal,
}

pub(crate) async fn settings(conn: &mut PgConnection) -> sqlx::Result<Option<SettingsRow>> {
    sqlx::query_as!(
        SettingsRow,
        r#"select slug, name, currency::text as "currency!", timezone, default_language, number_format,
                  fiscal_year_start_month, email_verified_at is not null as "email_verified!", signup_email,
                  setup_completed_at is not null as "setup_completed!",
                  invoice_price_tolerance_pct, invoice_price_tolerance_abs
             from tenants"#
    )
    .fetch_optional(conn)
    .await
}

pub(crate) struct SettingsChange<'a> {
    pub(crate) name: Option<&'a str>,
    pub(crate) currency: Option<&'a str>,
    pub(crate) timezone: Option<&'a str>,
    pub(crate) default_language: Option<&'a str>,
    pub(crate) number_format: Option<&'a str>,
    pub(crate) fiscal_year_start_month: Option<i16>,
    pub(crate) invoice_price_tolerance_pct: Option<rust_decimal::Decimal>,
    pub(crate) invoice_price_tolerance_abs: Option<rust_decimal::Decimal>,
}

/// Changes what is given; the rest stays.
pub(crate) async fn update_settings(
    conn: &mut PgConnection,
    c: &SettingsChange<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update tenants set name = coalesce($1, name), currency = coalesce($2, currency),
                timezone = coalesce($3, timezone), default_language = coalesce($4, default_language),
                number_format = coalesce($5, number_format),
                fiscal_year_start_month = coalesce($6, fiscal_year_start_month),
                invoice_price_tolerance_pct = coalesce($7, invoice_price_tolerance_pct),
                invoice_price_tolerance_abs = coalesce($8, invoice_price_tolerance_abs)",
        c.name,
        c.currency,
        c.timezone,
        c.default_language,
        c.number_format,
        c.fiscal_year_start_month,
        c.invoice_price_tolerance_pct,
        c.invoice_price_tolerance_abs
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn complete_setup(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("update tenants set setup_completed_at = coalesce(setup_completed_at, now())")
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn prefixes(conn: &mut PgConnection) -> sqlx::Result<Vec<(String, String)>> {
    Ok(
        sqlx::query!("select doc_type, prefix from doc_prefixes order by doc_type")
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.doc_type, r.prefix))
            .collect(),
    )
}

pub(crate) async fn set_prefix(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    doc_type: &str,
    prefix: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into doc_prefixes (tenant_id, doc_type, prefix) values ($1, $2, $3)
         on conflict (tenant_id, doc_type) do update set prefix = excluded.prefix",
        tenant_id,
        doc_type,
        prefix
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) struct CompanyRow {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) legal_name: Option<String>,
    pub(crate) tax_id: Option<String>,
    pub(crate) address: Option<String>,
}

pub(crate) async fn companies(conn: &mut PgConnection) -> sqlx::Result<Vec<CompanyRow>> {
    sqlx::query_as!(
        CompanyRow,
        "select id, name, legal_name, tax_id, address from companies order by created_at, name"
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn company(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<CompanyRow>> {
    sqlx::query_as!(
        CompanyRow,
        "select id, name, legal_name, tax_id, address from companies where id = $1 for update",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) struct CompanyValues<'a> {
    pub(crate) name: &'a str,
    pub(crate) legal_name: Option<&'a str>,
    pub(crate) tax_id: Option<&'a str>,
    pub(crate) address: Option<&'a str>,
}

pub(crate) async fn insert_company(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    v: &CompanyValues<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into companies (tenant_id, name, legal_name, tax_id, address) values ($1, $2, $3, $4, $5) returning id",
        tenant_id,
        v.name,
        v.legal_name,
        v.tax_id,
        v.address
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_company(
    conn: &mut PgConnection,
    id: Uuid,
    v: &CompanyValues<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update companies set name = $2, legal_name = $3, tax_id = $4, address = $5 where id = $1",
        id,
        v.name,
        v.legal_name,
        v.tax_id,
        v.address
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) struct PlantRow {
    pub(crate) id: Uuid,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) company_id: Uuid,
    pub(crate) state_code: Option<String>,
    pub(crate) gstin: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) active: bool,
}

pub(crate) async fn plants(conn: &mut PgConnection) -> sqlx::Result<Vec<PlantRow>> {
    sqlx::query_as!(
        PlantRow,
        "select id, code, name, company_id, state_code, gstin, address, active from plants order by code"
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn plant(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<PlantRow>> {
    sqlx::query_as!(
        PlantRow,
        "select id, code, name, company_id, state_code, gstin, address, active from plants where id = $1 for update",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) struct PlantValues<'a> {
    pub(crate) code: &'a str,
    pub(crate) name: &'a str,
    pub(crate) company_id: Uuid,
    pub(crate) state_code: Option<&'a str>,
    pub(crate) gstin: Option<&'a str>,
    pub(crate) address: Option<&'a str>,
    pub(crate) active: bool,
    pub(crate) timezone: &'a str,
}

pub(crate) async fn insert_plant(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    v: &PlantValues<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into plants (tenant_id, code, name, company_id, state_code, gstin, address, active, timezone)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        tenant_id,
        v.code,
        v.name,
        v.company_id,
        v.state_code,
        v.gstin,
        v.address,
        v.active,
        v.timezone
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_plant(
    conn: &mut PgConnection,
    id: Uuid,
    v: &PlantValues<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update plants set code = $2, name = $3, company_id = $4, state_code = $5, gstin = $6, address = $7,
                active = $8 where id = $1",
        id,
        v.code,
        v.name,
        v.company_id,
        v.state_code,
        v.gstin,
        v.address,
        v.active
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) struct DepartmentRow {
    pub(crate) id: Uuid,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) plant_id: Option<Uuid>,
}

pub(crate) async fn departments(conn: &mut PgConnection) -> sqlx::Result<Vec<DepartmentRow>> {
    sqlx::query_as!(
        DepartmentRow,
        "select id, code, name, plant_id from departments order by code"
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn department(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<DepartmentRow>> {
    sqlx::query_as!(
        DepartmentRow,
        "select id, code, name, plant_id from departments where id = $1 for update",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn insert_department(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    code: &str,
    name: &str,
    plant_id: Option<Uuid>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into departments (tenant_id, code, name, plant_id) values ($1, $2, $3, $4) returning id",
        tenant_id,
        code,
        name,
        plant_id
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_department(
    conn: &mut PgConnection,
    id: Uuid,
    code: &str,
    name: &str,
    plant_id: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update departments set code = $2, name = $3, plant_id = $4 where id = $1",
        id,
        code,
        name,
        plant_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) struct CostCentreRow {
    pub(crate) id: Uuid,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) active: bool,
}

pub(crate) async fn cost_centres(conn: &mut PgConnection) -> sqlx::Result<Vec<CostCentreRow>> {
    sqlx::query_as!(
        CostCentreRow,
        "select id, code, name, department_id, active from cost_centres order by code"
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn cost_centre(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<CostCentreRow>> {
    sqlx::query_as!(
        CostCentreRow,
        "select id, code, name, department_id, active from cost_centres where id = $1 for update",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn insert_cost_centre(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    code: &str,
    name: &str,
    department_id: Option<Uuid>,
    active: bool,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into cost_centres (tenant_id, code, name, department_id, active) values ($1, $2, $3, $4, $5) returning id",
        tenant_id,
        code,
        name,
        department_id,
        active
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_cost_centre(
    conn: &mut PgConnection,
    id: Uuid,
    code: &str,
    name: &str,
    department_id: Option<Uuid>,
    active: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update cost_centres set code = $2, name = $3, department_id = $4, active = $5 where id = $1",
        id,
        code,
        name,
        department_id,
        active
    )
    .execute(conn)
    .await?;
    Ok(())
}
