//! SQL of the approvals: one statement per helper, run on the caller's tenant transaction. The
//! engine's statements by seam (route, escalation, reads), then the rules' and delegations'.
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) mod delegations;
pub(crate) mod escalation;
pub(crate) mod reads;
pub(crate) mod route;
pub(crate) mod rules;

/// Whether `user_id` names an active user of the tenant (a rule's approver, a delegation's people).
pub(crate) async fn is_active_user(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from users where id = $1 and active) as "found!""#,
        user_id
    )
    .fetch_one(conn)
    .await
}
