//! What a document's page and the inbox read of approvals: the history and route of a document,
//! and the open stages waiting for a user across every registered kind.
use super::*;

/// What a document's page shows of its approval: the history of actions, the route of the
/// latest round, and whether `user` holds an undecided seat (directly or as today's delegate)
/// on the open stage — read in one statement.
pub struct Timeline {
    pub history: Vec<HistoryEntry>,
    pub route: Vec<RouteStep>,
    pub holds_open_seat: bool,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn timeline(
    tx: &mut Tx,
    doc_type: &str,
    doc_id: Uuid,
    user: Uuid,
) -> AppResult<Timeline> {
    let (timeline, _): (Timeline, Option<()>) =
        timeline_with(tx, doc_type, doc_id, user, "'null'::json").await?;
    Ok(timeline)
}

/// History, route, open seat and the document's extra, as read.
pub(super) type TimelineRow<T> = (Json<Vec<HistoryEntry>>, Json<Vec<RouteStep>>, bool, Json<T>);

/// [`timeline`] and the document's own `extra` (an SQL expression giving JSON, which may use the
/// document id as `$2`), in the same statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn timeline_with<T: serde::de::DeserializeOwned + Send + Unpin + 'static>(
    tx: &mut Tx,
    doc_type: &str,
    doc_id: Uuid,
    user: Uuid,
    extra: &str,
) -> AppResult<(Timeline, T)> {
    timeline_after(tx, None, |q| q, doc_type, doc_id, user, extra).await
}

/// [`timeline_with`], read by the statement that makes a change to the document: `change` is a
/// list of common table expressions (`name as (…), …`) whose parameters start at $4 ($1 is the
/// document type, $2 its id, $3 the reader) and are bound by `bind`. The timeline is read from
/// the statement's snapshot, so the change must not be to the approval tables it reads.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn timeline_after<T: serde::de::DeserializeOwned + Send + Unpin + 'static>(
    tx: &mut Tx,
    change: Option<&str>,
    bind: impl for<'q> FnOnce(crate::platform::db::Query<'q>) -> crate::platform::db::Query<'q>,
    doc_type: &str,
    doc_id: Uuid,
    user: Uuid,
    extra: &str,
) -> AppResult<(Timeline, T)> {
    let with = change.map(|c| format!("with {c} ")).unwrap_or_default();
    let sql = format!(
        "{with}select
               coalesce((select json_agg(json_build_object(
                                 'stage', a.stage, 'approver', coalesce(u.display_name, 'Millwright'),
                                 'on_behalf_of', b.display_name, 'action', a.action, 'comment', a.comment, 'at', a.at)
                                 order by a.at, a.id)
                           from approval_actions a
                           left join users u on u.tenant_id = a.tenant_id and u.id = a.actor_id
                           left join users b on b.tenant_id = a.tenant_id and b.id = a.on_behalf_of
                          where a.doc_type = $1 and a.doc_id = $2), '[]'),
               coalesce((select json_agg(json_build_object(
                                 'round', s.round, 'stage', s.stage, 'name', s.name, 'status', s.status,
                                 'approvers', array(select u.display_name from approval_step_approvers a
                                                      join users u on u.tenant_id = a.tenant_id and u.id = a.user_id
                                                     where a.step_id = s.id order by u.display_name),
                                 'due_at', s.due_at, 'escalated', s.escalated_at is not null)
                                 order by s.stage)
                           from approval_steps s
                          where s.doc_type = $1 and s.doc_id = $2
                            and s.round = (select max(round) from approval_steps where doc_type = $1 and doc_id = $2)), '[]'),
               exists(select 1 from approval_steps s
                        join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id and not a.decided
                       where s.doc_type = $1 and s.doc_id = $2 and s.status = 'pending'
                         and (a.user_id = $3 or a.user_id in (select d.from_user_id from delegations d
                                where d.to_user_id = $3 and current_date between d.starts_on and d.ends_on))),
               {extra}"
    );
    let query = sqlx::query(&sql).bind(doc_type).bind(doc_id).bind(user);
    let row = bind(query).fetch_one(&mut **tx).await?;
    let (history, route, holds_open_seat, extra): TimelineRow<T> = sqlx::FromRow::from_row(&row)?;
    Ok((
        Timeline {
            history: history.0,
            route: route.0,
            holds_open_seat,
        },
        extra.0,
    ))
}

#[derive(sqlx::FromRow)]
pub(super) struct PendingRow {
    doc_type: String,
    doc_id: Uuid,
    number: String,
    requester: String,
    stage: i32,
    stage_name: String,
    total: rust_decimal::Decimal,
    currency: String,
    activated_at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    on_behalf_of: Option<String>,
}

/// The caller's inbox: open stages where they hold an undecided seat, directly or as a delegate.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_for(tx: &mut Tx, user_id: Uuid) -> AppResult<Vec<PendingApproval>> {
    // one query per kind of document, each joining its own header on the step's document id
    let mut rows = Vec::new();
    for kind in registry::kinds() {
        let (doc_type, docs) = (kind.doc_type, kind.header_sql);
        let sql = format!(
            "select distinct on (s.id) $2::text as doc_type, r.id as doc_id, r.number, req.display_name as requester, s.stage,
                    s.name as stage_name, r.total, r.currency::text as currency, s.activated_at, s.due_at,
                    case when a.user_id = $1 then null else owner.display_name end as on_behalf_of
               from approval_steps s
               join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id and not a.decided
               join ({docs}) r on r.id = s.doc_id and s.doc_type = $2
               join users req on req.id = r.requester_id
               join users owner on owner.tenant_id = a.tenant_id and owner.id = a.user_id
              where s.status = 'pending' and r.requester_id <> $1
                and (a.user_id = $1 or a.user_id in (select d.from_user_id from delegations d
                       where d.to_user_id = $1 and current_date between d.starts_on and d.ends_on))
              order by s.id, (a.user_id = $1) desc"
        );
        rows.extend(
            sqlx::query_as::<_, PendingRow>(&sql)
                .bind(user_id)
                .bind(doc_type)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| (kind, r)),
        );
    }
    let now = Utc::now();
    let mut out: Vec<PendingApproval> = rows
        .into_iter()
        .map(|(kind, r)| PendingApproval {
            overdue: r.due_at.is_some_and(|d| d < now),
            href: (kind.href)(r.doc_id),
            doc_type: r.doc_type,
            doc_id: r.doc_id,
            number: r.number,
            requester: r.requester,
            stage: r.stage,
            stage_name: r.stage_name,
            total: r.total.round_dp(crate::format::minor_units(&r.currency)),
            currency: r.currency,
            waiting_since: r.activated_at,
            due_at: r.due_at,
            on_behalf_of: r.on_behalf_of,
        })
        .collect();
    out.sort_by_key(|p| p.waiting_since);
    Ok(out)
}
