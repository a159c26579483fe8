//! Suppliers and the projects a requisition may name.
use super::*;
use crate::procurement::model::supplier_tax::supplier_tax;
use crate::procurement::repo::masters::active_projects;
use crate::procurement::repo::suppliers::{self as repo, SupplierRow, SupplierValues};
use crate::types::SupplierId;

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
            gstin: r.gstin,
            state_code: r.state_code,
            reverse_charge: r.reverse_charge,
            tds_section: r.tds_section,
            // as entered: 2, not the column's 2.0000
            tds_rate: r.tds_rate.map(|d| d.normalize()),
            price_tolerance_pct: r.price_tolerance_pct.map(|d| d.normalize()),
            price_tolerance_abs: r.price_tolerance_abs.map(|d| d.normalize()),
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
    suppliers_up_to(
        tx,
        ctx,
        q,
        active,
        page,
        per_page,
        crate::platform::paging::MAX_PER_PAGE,
    )
    .await
}

/// Every supplier the list shows with these filters (all its pages, in its order), up to
/// `limit`: for an export.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_all_suppliers(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: Option<String>,
    active: Option<bool>,
    limit: u32,
) -> AppResult<Page<Supplier>> {
    suppliers_up_to(tx, ctx, q, active, 1, limit, limit).await
}

/// A page of at most `max_per_page` suppliers.
async fn suppliers_up_to(
    tx: &mut Tx,
    ctx: &RequestCtx,
    q: Option<String>,
    active: Option<bool>,
    page: u32,
    per_page: u32,
    max_per_page: u32,
) -> AppResult<Page<Supplier>> {
    let p = ctx.principal()?;
    can_see_suppliers(p)?;
    let per_page = per_page.clamp(1, max_per_page.max(1));
    let page = page.max(1);
    let q = q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
    let total = repo::count_suppliers(tx, q.as_deref(), active).await?;
    let (limit, offset) = (per_page as i64, (i64::from(page) - 1) * i64::from(per_page));
    let rows = repo::list_suppliers(tx, q.as_deref(), active, limit, offset).await?;
    Ok(Page {
        rows: rows.into_iter().map(Supplier::from).collect(),
        total: total as u64,
        page,
        per_page,
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_supplier(tx: &mut Tx, ctx: &RequestCtx, id: SupplierId) -> AppResult<Supplier> {
    let id = id.uuid();
    let p = ctx.principal()?;
    can_see_suppliers(p)?;
    let row = repo::supplier(tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(row.into())
}

/// A supplier as another slice needs it (finance matching an invoice: its state, GSTIN, reverse
/// charge, TDS, payment terms), without the caller's permission: the caller checks its own.
pub async fn supplier_facts(tx: &mut Tx, id: Uuid) -> AppResult<Option<Supplier>> {
    Ok(repo::supplier(tx, id).await?.map(Into::into))
}

/// [`supplier_facts`] with the invoice price tolerance that applies to the supplier
/// ([`price_tolerance`]), read in one statement.
pub async fn supplier_terms(
    tx: &mut Tx,
    id: Uuid,
) -> AppResult<
    Option<(
        Supplier,
        crate::procurement::model::supplier_tax::PriceTolerance,
    )>,
> {
    Ok(repo::supplier_with_tolerance(tx, id)
        .await?
        .map(|(s, pct, abs)| {
            (
                s.into(),
                crate::procurement::model::supplier_tax::PriceTolerance {
                    pct: pct.normalize(),
                    abs: abs.normalize(),
                },
            )
        }))
}

/// [`supplier_facts`] of several suppliers at once (those that exist), in one statement.
pub async fn suppliers_facts(tx: &mut Tx, ids: &[Uuid]) -> AppResult<Vec<Supplier>> {
    Ok(repo::suppliers_by_ids(tx, ids)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Which of the suppliers given share their name with another supplier (whatever its case): a
/// ledger named after a supplier then needs its code too (finance's TallyPrime export).
pub async fn suppliers_sharing_names(tx: &mut Tx, ids: &[Uuid]) -> AppResult<Vec<Uuid>> {
    Ok(repo::sharing_names(tx, ids).await?)
}

/// The active suppliers by name (at most 1000), for the caller that has checked its own
/// permission (finance's invoice entry).
pub async fn active_suppliers_facts(tx: &mut Tx) -> AppResult<Vec<Supplier>> {
    Ok(repo::list_suppliers(tx, None, Some(true), 1000, 0)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
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
    // the tax facts are checked with the rest, so one answer names every bad field; GST and TDS
    // belong to companies in India (INR) only
    let india = p.user.tenant.currency == crate::types::Currency::INR;
    let tax = match (validate_supplier(&input), supplier_tax(&input, india)) {
        (Ok(()), Ok(tax)) => tax,
        (a, b) => {
            let mut errors = a.err().unwrap_or_default();
            errors.extend(b.err().unwrap_or_default());
            return Err(AppError::Validation(errors));
        }
    };
    let currency = input
        .currency
        .clone()
        .unwrap_or_else(|| p.user.tenant.currency.to_string());
    let old = match id {
        Some(id) => Some(
            repo::lock_supplier(tx, id)
                .await?
                .map(Supplier::from)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    // one statement for both: a new id inserts, a known one (checked and locked above) updates
    let result = repo::save_supplier(
        tx,
        SupplierValues {
            tenant_id: p.tenant_id,
            id,
            code: input.code.trim(),
            name: input.name.trim(),
            email: clean(&input.email),
            phone: clean(&input.phone),
            // as the tax authority writes it (validated above: capitals, no blanks)
            tax_id: clean(&input.tax_id).map(|t| {
                t.parse::<crate::types::TaxId>()
                    .map_or(t, |id| id.to_string())
            }),
            address: clean(&input.address),
            currency: &currency,
            payment_terms_days: input.payment_terms_days.unwrap_or(30),
            active: input.active.unwrap_or(true),
            language: clean(&input.language),
            gstin: tax.gstin.as_ref().map(crate::types::Gstin::as_str),
            state_code: tax.state_code.as_deref(),
            reverse_charge: tax.reverse_charge,
            tds_section: tax.tds.as_ref().map(|(s, _)| s.as_str()),
            tds_rate: tax.tds.as_ref().map(|(_, r)| *r),
            price_tolerance_pct: tax.price_tolerance_pct,
            price_tolerance_abs: tax.price_tolerance_abs,
        },
    )
    .await;
    let supplier: Supplier = result
        .map_err(|e| on_constraint(e, &[("suppliers_tenant_id_code_key", "code")]))?
        .into();
    audit::record(
        tx,
        p.tenant_id,
        ctx,
        Entry::saved(p.user_id, "supplier", supplier.id, old, &supplier),
    )
    .await?;
    Ok(supplier)
}

/// The invoice price tolerance that applies to a supplier's invoices (its own, else the
/// company's), for matching a supplier invoice; no permission of its own: the caller's service
/// checks who may match. 404 for a supplier that is not the tenant's.
pub async fn price_tolerance(
    tx: &mut Tx,
    supplier: SupplierId,
) -> AppResult<crate::procurement::model::supplier_tax::PriceTolerance> {
    let (pct, abs) = repo::price_tolerance(tx, supplier.uuid())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::procurement::model::supplier_tax::PriceTolerance {
        pct: pct.normalize(),
        abs: abs.normalize(),
    })
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
    let rows = active_projects(tx).await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| ProjectRow { id, code, name })
        .collect())
}
