//! The requisition list, kept in the result cache per caller and filter.
use super::*;
use crate::platform::paging::MAX_PER_PAGE;
use crate::procurement::repo::requisitions::ListQuery;

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
        .get_or_load::<RequisitionPages, _>(
            p.tenant_id,
            key,
            list_database(state, ctx, f, MAX_PER_PAGE),
        )
        .await?;
    Ok((*page).clone())
}

/// Every requisition the list shows with these filters (all its pages, in its order), up to
/// `limit`: for an export. Not kept in the cache.
pub async fn list_all(
    state: &AppState,
    ctx: &RequestCtx,
    mut f: RequisitionFilter,
    limit: u32,
) -> AppResult<Page<RequisitionRow>> {
    f.page = 1;
    f.per_page = limit;
    list_database(state, ctx, f, limit).await
}

/// A page of at most `max_per_page` rows.
pub(super) async fn list_database(
    state: &AppState,
    ctx: &RequestCtx,
    f: RequisitionFilter,
    max_per_page: u32,
) -> AppResult<Page<RequisitionRow>> {
    let p = ctx.principal()?;
    let per_page = f.per_page.clamp(1, max_per_page.max(1));
    let page = f.page.max(1);
    let mut tx = tenant_tx_planned(&state.pool, p.tenant_id).await?;
    let pattern =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace('%', "\\%").replace('_', "\\_")));
    let query = ListQuery {
        reader: reader(p),
        status: f.status.map(Status::as_str),
        mine: f.mine,
        pattern,
        from: f.from,
        to: f.to,
        limit: per_page as i64,
        offset: (i64::from(page) - 1) * i64::from(per_page),
    };
    let rows = repo::list_requisitions(&mut tx, &query).await?;
    // every row carries the total; a page past the end has none, so it is counted then
    let total = match rows.first() {
        Some(row) => row.found,
        None if query.offset == 0 => 0,
        None if query.counted_by_kept_counts() => {
            repo::count_kept_requisitions(&mut tx, query.status, query.mine, p.user_id).await?
        }
        None => repo::count_requisitions(&mut tx, &query).await?,
    };
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
