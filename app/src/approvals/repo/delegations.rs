//! The delegations' statements.
use crate::approvals::model::Delegation;
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) struct CandidateRow {
    pub(crate) id: Uuid,
    pub(crate) username: String,
    pub(crate) display_name: String,
}

/// Active users holding a role that approves a kind of document.
pub(crate) async fn delegate_candidates(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<CandidateRow>> {
    sqlx::query_as!(
        CandidateRow,
        "select distinct u.id, u.username, u.display_name from users u
           join user_roles ur on ur.user_id = u.id
           join role_permissions rp on rp.role_id = ur.role_id
          where u.active and rp.permission in ('requisition:approve', 'po:approve', 'invoice:approve')
          order by u.display_name"
    )
    .fetch_all(conn)
    .await
}

/// Delegations that have not ended: every one with `all`, else those given or received by `user_id`.
pub(crate) async fn current_delegations(
    conn: &mut PgConnection,
    all: bool,
    user_id: Uuid,
) -> sqlx::Result<Vec<Delegation>> {
    sqlx::query_as!(
        Delegation,
        "select d.id, d.from_user_id, f.display_name as from_user, d.to_user_id,
                t.display_name as to_user, d.starts_on, d.ends_on
           from delegations d join users f on f.id = d.from_user_id join users t on t.id = d.to_user_id where d.ends_on >= current_date
                and ($1 or d.from_user_id = $2 or d.to_user_id = $2)
          order by d.starts_on, d.id",
        all,
        user_id
    )
    .fetch_all(conn)
    .await
}

/// The database's date (a delegation may not end before it).
pub(crate) async fn today(conn: &mut PgConnection) -> sqlx::Result<NaiveDate> {
    sqlx::query_scalar!(r#"select current_date as "today!""#)
        .fetch_one(conn)
        .await
}

/// Whether `from_user_id` already hands over approvals on a day of `starts_on..=ends_on`.
pub(crate) async fn overlapping_delegation_exists(
    conn: &mut PgConnection,
    from_user_id: Uuid,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from delegations where from_user_id = $1
            and daterange(starts_on, ends_on, '[]') && daterange($2, $3, '[]')) as "found!""#,
        from_user_id,
        starts_on,
        ends_on
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn insert_delegation(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    from_user_id: Uuid,
    to_user_id: Uuid,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into delegations (tenant_id, from_user_id, to_user_id, starts_on, ends_on)
         values ($1, $2, $3, $4, $5) returning id",
        tenant_id,
        from_user_id,
        to_user_id,
        starts_on,
        ends_on
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn delegation(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Delegation> {
    sqlx::query_as!(
        Delegation,
        "select d.id, d.from_user_id, f.display_name as from_user, d.to_user_id,
                t.display_name as to_user, d.starts_on, d.ends_on
           from delegations d join users f on f.id = d.from_user_id join users t on t.id = d.to_user_id where d.id = $1",
        id
    )
    .fetch_one(conn)
    .await
}

/// The delegation, its row locked until the transaction ends.
pub(crate) async fn lock_delegation(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<Delegation>> {
    sqlx::query_as!(
        Delegation,
        "select d.id, d.from_user_id, f.display_name as from_user, d.to_user_id,
                t.display_name as to_user, d.starts_on, d.ends_on
           from delegations d join users f on f.id = d.from_user_id join users t on t.id = d.to_user_id where d.id = $1 for update of d",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn delete_delegation(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from delegations where id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}
