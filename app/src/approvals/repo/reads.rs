//! The engine's reads: a document's approval timeline (history, route, the reader's open seat)
//! and the open stages waiting for a user, per kind of document.
use crate::approvals::model::{HistoryEntry, RouteStep};
use crate::platform::db::Query;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

/// History, route, open seat and the document's extra, as read.
pub(crate) type TimelineRow<T> = (Json<Vec<HistoryEntry>>, Json<Vec<RouteStep>>, bool, Json<T>);

/// A document's history of actions, the route of its latest round, whether `user` holds an
/// undecided seat (directly or as today's delegate) on the open stage and the caller's `extra`
/// (an SQL expression giving JSON), after the optional `change` (common table expressions
/// `name as (…), …`) whose parameters start at $4 and are bound by `bind`; in one statement.
pub(crate) async fn timeline<T: serde::de::DeserializeOwned + Send + Unpin + 'static>(
    conn: &mut PgConnection,
    change: Option<&str>,
    bind: impl for<'q> FnOnce(Query<'q>) -> Query<'q>,
    doc_type: &str,
    doc_id: Uuid,
    user: Uuid,
    extra: &str,
) -> sqlx::Result<TimelineRow<T>> {
    // Dynamic: the caller's change and extra are SQL text that name parameters by number ($1
    // document type, $2 id, $3 reader, then the change's own), so values are bound by number
    let mut q = QueryBuilder::<Postgres>::new("");
    if let Some(change) = change {
        q.push("with ").push(change).push(" ");
    }
    q.push(
        "select
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
           ",
    )
    .push(extra);
    let query = q.build().bind(doc_type).bind(doc_id).bind(user);
    let row = bind(query).fetch_one(conn).await?;
    sqlx::FromRow::from_row(&row)
}

#[derive(sqlx::FromRow)]
pub(crate) struct PendingRow {
    pub(crate) doc_type: String,
    pub(crate) doc_id: Uuid,
    pub(crate) number: String,
    pub(crate) requester: String,
    pub(crate) stage: i32,
    pub(crate) stage_name: String,
    pub(crate) total: rust_decimal::Decimal,
    pub(crate) currency: String,
    pub(crate) activated_at: DateTime<Utc>,
    pub(crate) due_at: Option<DateTime<Utc>>,
    pub(crate) on_behalf_of: Option<String>,
}

/// The open stages of one kind of document (`doc_type`, whose documents `header_sql` selects)
/// where `user_id` holds an undecided seat, directly or as today's delegate: one row per stage,
/// the user's own seat before a delegated one.
pub(crate) async fn pending_of_kind(
    conn: &mut PgConnection,
    header_sql: &str,
    doc_type: &str,
    user_id: Uuid,
) -> sqlx::Result<Vec<PendingRow>> {
    // Dynamic: the documents are joined through the select their kind registered
    // (`DocKind::header_sql`); each value is bound where it is used (the user five times)
    let mut q = QueryBuilder::<Postgres>::new("select distinct on (s.id) ");
    q.push_bind(doc_type)
        .push(
            "::text as doc_type, r.id as doc_id, r.number, req.display_name as requester, s.stage,
                    s.name as stage_name, r.total, r.currency::text as currency, s.activated_at, s.due_at,
                    case when a.user_id = ",
        )
        .push_bind(user_id)
        .push(
            " then null else owner.display_name end as on_behalf_of
               from approval_steps s
               join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id and not a.decided
               join (",
        )
        .push(header_sql)
        .push(") r on r.id = s.doc_id and s.doc_type = ")
        .push_bind(doc_type)
        .push(
            "
               join users req on req.id = r.requester_id
               join users owner on owner.tenant_id = a.tenant_id and owner.id = a.user_id
              where s.status = 'pending' and r.requester_id <> ",
        )
        .push_bind(user_id)
        .push("\n                and (a.user_id = ")
        .push_bind(user_id)
        .push(
            " or a.user_id in (select d.from_user_id from delegations d
                       where d.to_user_id = ",
        )
        .push_bind(user_id)
        .push(
            " and current_date between d.starts_on and d.ends_on))
              order by s.id, (a.user_id = ",
        )
        .push_bind(user_id)
        .push(") desc");
    q.build_query_as::<PendingRow>().fetch_all(conn).await
}
