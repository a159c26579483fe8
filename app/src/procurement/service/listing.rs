//! The requisition list, kept in the result cache per caller and filter.
use super::*;

#[derive(sqlx::FromRow)]
pub(super) struct ListRow {
    id: Uuid,
    number: String,
    status: String,
    purpose: String,
    requester: String,
    total: Decimal,
    currency: String,
    needed_by: Option<NaiveDate>,
    created_at: DateTime<Utc>,
}

/// The kind of change of requisitions and what their lists show (the `notify_change` trigger's
/// argument on those tables).
pub const REQUISITIONS: &str = "requisitions";

/// Requisition list pages, kept by caller, visibility scope and filter.
pub struct RequisitionPages;

impl crate::platform::cache::Slot for RequisitionPages {
    type Key = String;
    type Value = Page<RequisitionRow>;
    const KIND: &'static str = REQUISITIONS;
    /// about 5 KB each
    const CAPACITY: usize = 2_000;
}

/// Pages are kept per tenant until its requisitions change ([`crate::platform::cache`]), by
/// caller, visibility scope and filter.
pub async fn list(
    state: &AppState,
    ctx: &RequestCtx,
    f: RequisitionFilter,
) -> AppResult<Page<RequisitionRow>> {
    let p = ctx.principal()?;
    let key = format!(
        "{}\u{1f}{:?}\u{1f}{f:?}",
        p.user_id,
        view_scope(p).map(Scope::as_str)
    );
    let page = state
        .caches
        .get_or_load::<RequisitionPages, _>(p.tenant_id, key, list_database(state, ctx, f))
        .await?;
    Ok((*page).clone())
}

pub(super) async fn list_database(
    state: &AppState,
    ctx: &RequestCtx,
    f: RequisitionFilter,
) -> AppResult<Page<RequisitionRow>> {
    let p = ctx.principal()?;
    let per_page = f.per_page.clamp(1, crate::platform::paging::MAX_PER_PAGE);
    let page = f.page.max(1);
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let scope = view_scope(p).map(Scope::as_str).unwrap_or("none");
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace('%', "\\%").replace('_', "\\_")));
    // Built per scope so that "sees everything" costs no visibility test, and the text search
    // reaches each column through its own trigram index; the count is a separate index scan.
    let visible = if scope == "all" { "true" } else { VISIBLE };
    let filters = format!(
        "{visible}
            and ($5::text is null or r.status = $5)
            and (not $6 or r.requester_id = $1)
            and ($7::text is null or r.id in (
                 select x.id from requisitions x where x.number ilike $7
                 union select x.id from requisitions x where x.notes ilike $7
                 union select l.requisition_id from requisition_lines l where l.description ilike $7
                 union select x.id from requisitions x join users w on w.tenant_id = x.tenant_id and w.id = x.requester_id
                        where w.display_name ilike $7))
            and ($8::date is null or r.created_at >= $8::date)
            and ($9::date is null or r.created_at < $9::date + 1)"
    );
    // someone who sees everything, filtering by status or their own at most: the kept counts
    let counted = scope == "all" && q.is_none() && f.from.is_none() && f.to.is_none();
    let count_sql = if counted {
        "select coalesce(sum(n), 0)::bigint from requisition_counts r
          where ($5::text is null or r.status = $5) and (not $6 or r.requester_id = $1)
            and $2::text is not null and ($3::uuid is null or $3::uuid is not null) and ($4::uuid is null or $4::uuid is not null)
            and $7::text is null and $8::date is null and $9::date is null
            and $10::bigint is not null and $11::bigint is not null"
            .to_string()
    } else {
        format!(
            "select count(*) from requisitions r where {filters} and $10::bigint is not null and $11::bigint is not null"
        )
    };
    let total: i64 = sqlx::query_scalar(&count_sql)
        .bind(p.user_id)
        .bind(scope)
        .bind(p.user.department_id)
        .bind(p.user.plant_id)
        .bind(f.status.map(Status::as_str))
        .bind(f.mine)
        .bind(&q)
        .bind(f.from)
        .bind(f.to)
        .bind(per_page as i64)
        .bind(((page - 1) * per_page) as i64)
        .fetch_one(&mut *tx)
        .await?;
    let sql = format!(
        "select r.id, r.number, r.status, r.purpose, u.display_name as requester, r.total, r.currency::text as currency,
                r.needed_by, r.created_at
           from requisitions r join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
          where {filters}
          order by r.created_at desc, r.number desc
          limit $10 offset $11"
    );
    let rows = sqlx::query_as::<_, ListRow>(&sql)
        .bind(p.user_id)
        .bind(scope)
        .bind(p.user.department_id)
        .bind(p.user.plant_id)
        .bind(f.status.map(Status::as_str))
        .bind(f.mine)
        .bind(q)
        .bind(f.from)
        .bind(f.to)
        .bind(per_page as i64)
        .bind(((page - 1) * per_page) as i64)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let total = total as u64;
    let rows = rows
        .into_iter()
        .filter_map(|r| {
            Some(RequisitionRow {
                id: r.id,
                number: r.number,
                status: r.status.parse::<Status>().ok()?,
                purpose: r.purpose.parse::<Purpose>().ok()?,
                requester: r.requester,
                total: r.total.round_dp(minor_units(&r.currency)),
                currency: r.currency,
                needed_by: r.needed_by,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page,
    })
}
