//! Delegation: an approver hands their approvals to someone else for a date range, and the engine
//! seats the delegate for every kind of document meanwhile. The validation both the form and the
//! server use, and the service.
use crate::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Delegation {
    pub id: Uuid,
    pub from_user_id: Uuid,
    pub from_user: String,
    pub to_user_id: Uuid,
    pub to_user: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DelegationInput {
    /// Whose approvals are handed over; the caller's own when absent (an admin may set another).
    #[serde(default)]
    pub from_user_id: Option<Uuid>,
    pub to_user_id: Option<Uuid>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// `today` is the server's date: a delegation may not end in the past.
pub fn validate_delegation(
    input: &DelegationInput,
    caller: Uuid,
    today: NaiveDate,
) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let from = input.from_user_id.unwrap_or(caller);
    match input.to_user_id {
        None => {
            e.insert("to_user_id".into(), FieldError::Required);
        }
        Some(to) if to == from => {
            e.insert("to_user_id".into(), FieldError::OwnDocument);
        }
        Some(_) => {}
    }
    match (input.starts_on, input.ends_on) {
        (None, _) => {
            e.insert("starts_on".into(), FieldError::Required);
        }
        (_, None) => {
            e.insert("ends_on".into(), FieldError::Required);
        }
        (Some(s), Some(t)) => {
            if t < s {
                e.insert("ends_on".into(), FieldError::Invalid);
            } else if t < today {
                e.insert("ends_on".into(), FieldError::InPast);
            } else if (t - s).num_days() > 366 {
                e.insert("ends_on".into(), FieldError::TooLong);
            }
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::error::{AppError, AppResult};
    use crate::platform::audit::{self, Entry};
    use crate::platform::context::RequestCtx;
    use crate::platform::db::Tx;
    use crate::platform::model::Choice;

    /// People who may receive a delegation: active users of the tenant who approve something.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delegate_candidates(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Choice>> {
        ctx.principal()?;
        let rows: Vec<(Uuid, String, String)> = sqlx::query!("select distinct u.id, u.username, u.display_name from users u
               join user_roles ur on ur.user_id = u.id
               join role_permissions rp on rp.role_id = ur.role_id
              where u.active and rp.permission in ('requisition:approve', 'po:approve', 'invoice:approve')
              order by u.display_name").fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.username, r.display_name))
        .collect();
        Ok(rows
            .into_iter()
            .map(|(id, code, name)| Choice { id, code, name })
            .collect())
    }

    #[derive(sqlx::FromRow)]
    struct DelegationRow {
        id: Uuid,
        from_user_id: Uuid,
        from_user: String,
        to_user_id: Uuid,
        to_user: String,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    }

    impl From<DelegationRow> for Delegation {
        fn from(r: DelegationRow) -> Self {
            Delegation {
                id: r.id,
                from_user_id: r.from_user_id,
                from_user: r.from_user,
                to_user_id: r.to_user_id,
                to_user: r.to_user,
                starts_on: r.starts_on,
                ends_on: r.ends_on,
            }
        }
    }

    /// Delegations that have not ended: the caller's own (given and received); an admin sees all.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_delegations(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<Delegation>> {
        let p = ctx.principal()?;
        let all = p.require("user:manage").is_ok();
        let rows = sqlx::query_as!(DelegationRow, "select d.id, d.from_user_id, f.display_name as from_user, d.to_user_id,
            t.display_name as to_user, d.starts_on, d.ends_on
          from delegations d join users f on f.id = d.from_user_id join users t on t.id = d.to_user_id where d.ends_on >= current_date
               and ($1 or d.from_user_id = $2 or d.to_user_id = $2)
             order by d.starts_on, d.id", all, p.user_id)
        .fetch_all(&mut **tx)
        .await?;
        Ok(rows.into_iter().map(Delegation::from).collect())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_delegation(
        tx: &mut Tx,
        ctx: &RequestCtx,
        input: DelegationInput,
    ) -> AppResult<Delegation> {
        let p = ctx.principal()?;
        let from = input.from_user_id.unwrap_or(p.user_id);
        if from != p.user_id {
            p.require("user:manage")?;
        }
        let today: NaiveDate = sqlx::query_scalar!(r#"select current_date as "today!""#)
            .fetch_one(&mut **tx)
            .await?;
        validate_delegation(&input, p.user_id, today).map_err(AppError::Validation)?;
        let (Some(to), Some(starts), Some(ends)) =
            (input.to_user_id, input.starts_on, input.ends_on)
        else {
            return Err(AppError::field("to_user_id", FieldError::Required));
        };
        for (field, user) in [("from_user_id", from), ("to_user_id", to)] {
            let ok: bool = sqlx::query_scalar!(
                r#"select exists(select 1 from users where id = $1 and active) as "found!""#,
                user
            )
            .fetch_one(&mut **tx)
            .await?;
            if !ok {
                return Err(AppError::field(field, FieldError::UnknownReference));
            }
        }
        // one hand-over at a time: overlapping ranges of the same person would make the
        // delegate ambiguous
        let overlap: bool = sqlx::query_scalar!(
            r#"select exists(select 1 from delegations where from_user_id = $1
                and daterange(starts_on, ends_on, '[]') && daterange($2, $3, '[]')) as "found!""#,
            from,
            starts,
            ends
        )
        .fetch_one(&mut **tx)
        .await?;
        if overlap {
            return Err(AppError::field("starts_on", FieldError::Duplicate));
        }
        let id: Uuid = sqlx::query_scalar!(
            "insert into delegations (tenant_id, from_user_id, to_user_id, starts_on, ends_on)
             values ($1, $2, $3, $4, $5) returning id",
            p.tenant_id,
            from,
            to,
            starts,
            ends
        )
        .fetch_one(&mut **tx)
        .await?;
        let d: Delegation =
            sqlx::query_as!(DelegationRow, "select d.id, d.from_user_id, f.display_name as from_user, d.to_user_id,
            t.display_name as to_user, d.starts_on, d.ends_on
          from delegations d join users f on f.id = d.from_user_id join users t on t.id = d.to_user_id where d.id = $1", id)
                .fetch_one(&mut **tx)
                .await?
                .into();
        audit::record(
            tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "create",
                entity: "delegation",
                entity_id: Some(id.to_string()),
                old: None,
                new: serde_json::to_value(&d).ok(),
            },
        )
        .await?;
        Ok(d)
    }

    /// Ends a delegation: the person who gave it (or an admin) may revoke it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_delegation(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<()> {
        let p = ctx.principal()?;
        let all = p.require("user:manage").is_ok();
        let old = sqlx::query_as!(DelegationRow, "select d.id, d.from_user_id, f.display_name as from_user, d.to_user_id,
            t.display_name as to_user, d.starts_on, d.ends_on
          from delegations d join users f on f.id = d.from_user_id join users t on t.id = d.to_user_id where d.id = $1 for update of d", id)
        .fetch_optional(&mut **tx)
        .await?
        .map(Delegation::from)
        .ok_or(AppError::NotFound)?;
        if !all && old.from_user_id != p.user_id {
            return Err(if old.to_user_id == p.user_id {
                AppError::Forbidden
            } else {
                AppError::NotFound
            });
        }
        sqlx::query!("delete from delegations where id = $1", id)
            .execute(&mut **tx)
            .await?;
        audit::record(
            tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "delete",
                entity: "delegation",
                entity_id: Some(id.to_string()),
                old: serde_json::to_value(&old).ok(),
                new: None,
            },
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn delegations_need_another_person_and_a_future_range() {
        let me = Uuid::new_v4();
        let other = Uuid::new_v4();
        let today = d("2026-11-21");
        let good = DelegationInput {
            from_user_id: None,
            to_user_id: Some(other),
            starts_on: Some(d("2026-11-20")),
            ends_on: Some(d("2026-11-30")),
        };
        assert!(validate_delegation(&good, me, today).is_ok());
        let to_self = DelegationInput {
            to_user_id: Some(me),
            ..good.clone()
        };
        assert_eq!(
            validate_delegation(&to_self, me, today)
                .unwrap_err()
                .get("to_user_id"),
            Some(&FieldError::OwnDocument)
        );
        let backwards = DelegationInput {
            ends_on: Some(d("2026-11-19")),
            ..good.clone()
        };
        assert_eq!(
            validate_delegation(&backwards, me, today)
                .unwrap_err()
                .get("ends_on"),
            Some(&FieldError::Invalid)
        );
        let past = DelegationInput {
            starts_on: Some(d("2026-11-01")),
            ends_on: Some(d("2026-11-10")),
            ..good
        };
        assert_eq!(
            validate_delegation(&past, me, today)
                .unwrap_err()
                .get("ends_on"),
            Some(&FieldError::InPast)
        );
    }
}
