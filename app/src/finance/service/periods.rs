//! Fiscal years and their monthly periods: a year is made by an accountant, or by the first
//! posting on a date no year covers (from the month the tenant's year starts), and a period is
//! closed and reopened by an accountant. Nothing posts into a closed period.
use super::can_read;
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::model::{FiscalYear, FiscalYearInput, Period};
use crate::finance::repo::periods as repo;
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The open period of `date`, its fiscal year made first when none covers it; 422
/// `PERIOD_CLOSED` when it is closed. The period stays share-locked until `tx` ends.
pub async fn period_for(tx: &mut Tx, tenant_id: Uuid, date: NaiveDate) -> AppResult<Uuid> {
    if let Some((id, status)) = repo::period_of(tx, date).await? {
        return open(id, &status);
    }
    let books = repo::tenant_books(tx, tenant_id).await?;
    let (start, end) = year_around(date, u32::try_from(books.start_month).unwrap_or(1));
    repo::lock_years(tx, tenant_id).await?;
    if let Some((id, status)) = repo::period_of(tx, date).await? {
        return open(id, &status);
    }
    // a year someone made by hand may already cover part of the span: the new one then starts
    // after it or ends before it
    if repo::overlaps(tx, start, end).await? {
        tracing::warn!(%date, "no period covers the date, and a made year overlaps its span");
        return Err(AppError::field("date", FieldError::Invalid));
    }
    make_year(tx, tenant_id, &year_name(start, end), start, end).await?;
    match repo::period_of(tx, date).await? {
        Some((id, status)) => open(id, &status),
        None => Err(AppError::Internal),
    }
}

fn open(id: Uuid, status: &str) -> AppResult<Uuid> {
    if status == "open" {
        Ok(id)
    } else {
        Err(AppError::PeriodClosed)
    }
}

/// The fiscal year holding `date` when years start on the first of `start_month`.
pub fn year_around(date: NaiveDate, start_month: u32) -> (NaiveDate, NaiveDate) {
    let month = start_month.clamp(1, 12);
    let year = if date.month() >= month {
        date.year()
    } else {
        date.year() - 1
    };
    let start = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(date);
    let end = start
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date);
    (start, end)
}

/// `2026` for a calendar year, `2026-27` for one across two.
pub fn year_name(start: NaiveDate, end: NaiveDate) -> String {
    if start.year() == end.year() {
        start.year().to_string()
    } else {
        format!("{}-{:02}", start.year(), end.year() % 100)
    }
}

/// The months of a span: the first from `start`, the last to `end`.
pub fn months(start: NaiveDate, end: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut from = start;
    while from <= end {
        let next_month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1)
            .and_then(|d| d.checked_add_months(Months::new(1)));
        let Some(next) = next_month else { break };
        let to = next.pred_opt().unwrap_or(next).min(end);
        out.push((from, to));
        from = next;
    }
    out
}

async fn make_year(
    tx: &mut Tx,
    tenant_id: Uuid,
    name: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<Option<Uuid>> {
    let Some(year) = repo::insert_year(tx, tenant_id, name, start, end).await? else {
        return Ok(None);
    };
    let (starts, ends): (Vec<NaiveDate>, Vec<NaiveDate>) = months(start, end).into_iter().unzip();
    repo::insert_periods(tx, tenant_id, year, &starts, &ends).await?;
    Ok(Some(year))
}

/// A fiscal year with monthly periods (`accounting:manage`): at most 24 months, not overlapping
/// another year; its name unique.
pub async fn create_year(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: FiscalYearInput,
) -> AppResult<FiscalYear> {
    let p = ctx.principal()?;
    p.require("accounting:manage")?;
    let mut e = BTreeMap::new();
    let name = input.name.trim();
    if name.is_empty() {
        e.insert("name".to_string(), FieldError::Required);
    } else if name.chars().count() > 40 {
        e.insert("name".to_string(), FieldError::TooLong);
    }
    if input.end_date <= input.start_date {
        e.insert("end_date".to_string(), FieldError::Invalid);
    } else if months(input.start_date, input.end_date).len() > 24 {
        e.insert("end_date".to_string(), FieldError::TooLong);
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    repo::lock_years(tx, p.tenant_id).await?;
    if repo::overlaps(tx, input.start_date, input.end_date).await? {
        return Err(AppError::field("start_date", FieldError::Duplicate));
    }
    if repo::years(tx).await?.iter().any(|y| y.name == name) {
        return Err(AppError::Taken("name".into()));
    }
    let id = make_year(tx, p.tenant_id, name, input.start_date, input.end_date)
        .await?
        .ok_or(AppError::Conflict)?;
    years(tx, ctx)
        .await?
        .into_iter()
        .find(|y| y.id == id)
        .ok_or(AppError::Internal)
}

/// Every fiscal year, newest first, with its periods.
pub async fn years(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<FiscalYear>> {
    can_read(ctx)?;
    let mut periods: BTreeMap<Uuid, Vec<Period>> = BTreeMap::new();
    for p in repo::periods(tx).await? {
        periods.entry(p.fiscal_year_id).or_default().push(Period {
            id: p.id,
            number: p.number,
            start_date: p.start_date,
            end_date: p.end_date,
            status: p.status,
            closed_at: p.closed_at,
        });
    }
    Ok(repo::years(tx)
        .await?
        .into_iter()
        .map(|y| FiscalYear {
            periods: periods.remove(&y.id).unwrap_or_default(),
            id: y.id,
            name: y.name,
            start_date: y.start_date,
            end_date: y.end_date,
        })
        .collect())
}

/// Closes (`close`) or reopens a period (`accounting:manage`); closing a closed one or reopening
/// an open one is 422 `INVALID_STATE`. Postings in flight finish first (they hold the period's
/// share lock).
pub async fn set_period(tx: &mut Tx, ctx: &RequestCtx, id: Uuid, close: bool) -> AppResult<Period> {
    let p = ctx.principal()?;
    p.require("accounting:manage")?;
    let period = repo::lock_period(tx, id).await?.ok_or(AppError::NotFound)?;
    if (period.status == "closed") == close {
        return Err(AppError::InvalidState);
    }
    repo::set_status(tx, id, close.then_some(p.user_id)).await?;
    crate::platform::audit::record(
        tx,
        p.tenant_id,
        ctx,
        crate::platform::audit::Entry {
            user_id: Some(p.user_id),
            action: if close {
                "period.close"
            } else {
                "period.reopen"
            },
            entity: "fiscal_period",
            entity_id: Some(id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    let now = repo::lock_period(tx, id).await?.ok_or(AppError::Internal)?;
    Ok(Period {
        id: now.id,
        number: now.number,
        start_date: now.start_date,
        end_date: now.end_date,
        status: now.status,
        closed_at: now.closed_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn an_indian_year_runs_from_april_to_march() {
        assert_eq!(
            year_around(d(2026, 12, 6), 4),
            (d(2026, 4, 1), d(2027, 3, 31))
        );
        assert_eq!(
            year_around(d(2027, 2, 28), 4),
            (d(2026, 4, 1), d(2027, 3, 31))
        );
        assert_eq!(year_name(d(2026, 4, 1), d(2027, 3, 31)), "2026-27");
    }

    #[test]
    fn a_calendar_year_is_named_by_its_year() {
        assert_eq!(
            year_around(d(2026, 1, 1), 1),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(year_name(d(2026, 1, 1), d(2026, 12, 31)), "2026");
    }

    #[test]
    fn a_year_has_twelve_monthly_periods_ending_on_the_last_day() {
        let m = months(d(2026, 4, 1), d(2027, 3, 31));
        assert_eq!(m.len(), 12);
        assert_eq!(m[10], (d(2027, 2, 1), d(2027, 2, 28)));
        assert_eq!(m[11], (d(2027, 3, 1), d(2027, 3, 31)));
    }

    #[test]
    fn a_short_first_year_starts_mid_month() {
        let m = months(d(2026, 12, 15), d(2027, 3, 31));
        assert_eq!(m[0], (d(2026, 12, 15), d(2026, 12, 31)));
        assert_eq!(m.len(), 4);
    }
}
