//! The audit log's rules: who may read it, its filters in the tenant's days, pages counted up to
//! a cap, the CSV export in chunks, and the partitions kept ahead.
use super::{AuditEntry, AuditFilter, AuditOptions, AuditPage, AuditUser, COUNT_CAP, PERMISSION};
use crate::error::AppResult;
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::paging::MAX_PER_PAGE;
use crate::platform::repo::audit as repo;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sqlx::PgPool;

/// How many months ahead of this one the partitions are kept.
pub const MONTHS_AHEAD: i32 = 3;

/// Rows per chunk of the CSV export (each chunk its own short transaction).
pub const EXPORT_CHUNK: u32 = 1_000;

/// The start of a day in a time zone, as an instant (a day starting in a DST gap starts at the
/// gap's end; an unknown zone is UTC).
fn start_of(day: NaiveDate, tz: &str) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.parse::<chrono_tz::Tz>() {
        Ok(tz) => tz
            .from_local_datetime(&midnight)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight)),
        Err(_) => Utc.from_utc_datetime(&midnight),
    }
}

/// An instant as the company's clocks show it (UTC for an unknown zone).
fn local_time(at: DateTime<Utc>, tz: &str) -> chrono::NaiveDateTime {
    match tz.parse::<chrono_tz::Tz>() {
        Ok(tz) => at.with_timezone(&tz).naive_local(),
        Err(_) => at.naive_utc(),
    }
}

/// The repository's filter: the tenant's days as instants (`to` is the start of the day after).
fn filter_of<'a>(
    tenant_id: uuid::Uuid,
    tz: &str,
    f: &'a AuditFilter,
    before: Option<(DateTime<Utc>, i64)>,
) -> repo::Filter<'a> {
    repo::Filter {
        tenant_id,
        user_id: f.user_id,
        entity: f.entity.as_deref(),
        entity_id: f.entity_id.as_deref(),
        action: f.action.as_deref(),
        from: f.from.map(|d| start_of(d, tz)),
        to: f.to.and_then(|d| d.succ_opt()).map(|d| start_of(d, tz)),
        before,
    }
}

fn entry_of(r: repo::Row) -> AuditEntry {
    let user = match (r.user_id, r.username, r.display_name) {
        (Some(id), Some(username), Some(display_name)) => Some(AuditUser {
            id,
            username,
            display_name,
        }),
        _ => None,
    };
    AuditEntry {
        id: r.id,
        at: r.created_at,
        user,
        action: r.action,
        entity: r.entity,
        entity_id: r.entity_id,
        old_values: r.old_values,
        new_values: r.new_values,
        ip: r.ip,
        user_agent: r.user_agent,
        request_id: r.request_id,
    }
}

/// A page of the audit log, newest first: the total counted up to [`COUNT_CAP`] (`more` past it).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    tx: &mut Tx,
    ctx: &RequestCtx,
    filter: AuditFilter,
    page: u32,
    per_page: u32,
) -> AppResult<AuditPage> {
    let p = ctx.principal()?;
    p.require(PERMISSION)?;
    let filter = filter.checked()?;
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let page = page.max(1);
    let f = filter_of(p.tenant_id, &p.user.tenant.timezone, &filter, None);
    let counted = repo::count(tx, &f, COUNT_CAP as i64 + 1).await?.max(0) as u64;
    let offset = (i64::from(page) - 1) * i64::from(per_page);
    let rows = repo::page(tx, &f, i64::from(per_page), offset).await?;
    let more = counted > COUNT_CAP;
    // past the counted entries the page itself says how many there are at least
    let total = if more {
        (offset as u64 + rows.len() as u64).max(COUNT_CAP)
    } else {
        counted
    };
    let entries: Vec<AuditEntry> = rows.into_iter().map(entry_of).collect();
    let local_times = entries
        .iter()
        .map(|e| local_time(e.at, &p.user.tenant.timezone))
        .collect();
    Ok(AuditPage {
        entries,
        local_times,
        total,
        more,
        page,
        per_page,
    })
}

/// What the page's filter form offers: the tenant's users.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn options(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<AuditOptions> {
    ctx.principal()?.require(PERMISSION)?;
    let users = repo::users(tx).await?;
    Ok(AuditOptions {
        users: users
            .into_iter()
            .map(|(id, username, display_name)| AuditUser {
                id,
                username,
                display_name,
            })
            .collect(),
    })
}

/// The checked filter of an export (422 before anything is sent) and the caller's right to it.
pub fn export_filter(ctx: &RequestCtx, filter: AuditFilter) -> AppResult<AuditFilter> {
    ctx.principal()?.require(PERMISSION)?;
    filter.checked()
}

/// A chunk of the CSV export: up to `limit` entries older than `before` (all when none), newest
/// first. The export reads chunk after chunk, each in its own transaction, until one comes short.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn export_chunk(
    tx: &mut Tx,
    ctx: &RequestCtx,
    filter: &AuditFilter,
    before: Option<(DateTime<Utc>, i64)>,
    limit: u32,
) -> AppResult<Vec<AuditEntry>> {
    let p = ctx.principal()?;
    p.require(PERMISSION)?;
    let f = filter_of(p.tenant_id, &p.user.tenant.timezone, filter, before);
    let rows = repo::page(tx, &f, i64::from(limit.clamp(1, 10_000)), 0).await?;
    Ok(rows.into_iter().map(entry_of).collect())
}

/// The CSV export's columns.
pub const CSV_COLUMNS: [&str; 13] = [
    "id",
    "at",
    "user_id",
    "username",
    "user",
    "action",
    "entity",
    "entity_id",
    "old_values",
    "new_values",
    "ip",
    "user_agent",
    "request_id",
];

/// A cell as a spreadsheet may safely open it: text that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return — a user agent is anyone's to
/// choose) is prefixed with an apostrophe (OWASP's advice on CSV injection).
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// CSV text (RFC 4180, CRLF line ends) of the header, when asked, and the entries.
pub fn csv_of(entries: &[AuditEntry], header: bool) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    if header {
        let _ = w.write_record(CSV_COLUMNS);
    }
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    for e in entries {
        let (user_id, username, name) = match &e.user {
            Some(u) => (u.id.to_string(), u.username.clone(), u.display_name.clone()),
            None => Default::default(),
        };
        let cells = [
            e.id.to_string(),
            e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            user_id,
            username,
            name,
            e.action.clone(),
            e.entity.clone(),
            e.entity_id.clone().unwrap_or_default(),
            json(&e.old_values),
            json(&e.new_values),
            e.ip.clone().unwrap_or_default(),
            e.user_agent.clone().unwrap_or_default(),
            e.request_id.clone().unwrap_or_default(),
        ];
        let _ = w.write_record(cells.iter().map(|c| csv_cell(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// At start-up: this month's partitions and the [`MONTHS_AHEAD`] after it exist, and the daily
/// job that keeps them ahead is scheduled (unless it is already). Before the server answers, so
/// no insert lacks its partition.
pub async fn prepare(pool: &PgPool) -> Result<i32, sqlx::Error> {
    let made = repo::partitions_ahead(pool, MONTHS_AHEAD).await?;
    let mut tx = crate::platform::db::tenant_tx(pool, repo::PLATFORM).await?;
    repo::schedule_partition_job(&mut tx, next_run()).await?;
    tx.commit().await?;
    Ok(made)
}

/// When the partition job runs next: the next midnight (UTC).
fn next_run() -> DateTime<Utc> {
    let tomorrow = Utc::now().date_naive().succ_opt().unwrap_or_default();
    Utc.from_utc_datetime(&tomorrow.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The partition job, when it is due: makes the missing partitions of this month and the
/// [`MONTHS_AHEAD`] after it, marks the job done and schedules the next for tomorrow. `None` when
/// no job was due; a failure leaves the job to be claimed again when its lease ends.
pub async fn run_partition_job(pool: &PgPool) -> Result<Option<i32>, sqlx::Error> {
    let Some(job) = repo::claim_partition_job(pool).await? else {
        return Ok(None);
    };
    let made = repo::partitions_ahead(pool, MONTHS_AHEAD).await?;
    let mut tx = crate::platform::db::tenant_tx(pool, repo::PLATFORM).await?;
    repo::finish_partition_job(&mut tx, job).await?;
    repo::schedule_partition_job(&mut tx, next_run()).await?;
    tx.commit().await?;
    Ok(Some(made))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_midnight_in_the_tenants_zone() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        assert_eq!(
            start_of(d, "Asia/Kolkata").to_rfc3339(),
            "2026-02-28T18:30:00+00:00"
        );
        assert_eq!(
            start_of(d, "nowhere").to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
        // a midnight that does not exist (Santiago springs forward at 00:00)
        let gap = NaiveDate::from_ymd_opt(2026, 9, 6).expect("date");
        assert!(start_of(gap, "America/Santiago") > start_of(gap, "UTC"));
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("Mozilla/5.0"), "Mozilla/5.0");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn csv_has_the_header_once_and_quotes_json() {
        let e = AuditEntry {
            id: 7,
            at: Utc
                .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
                .single()
                .expect("at"),
            user: None,
            action: "update".into(),
            entity: "item".into(),
            entity_id: Some("x".into()),
            old_values: Some(serde_json::json!({"a": 1})),
            new_values: Some(serde_json::json!({"a": "b,c"})),
            ip: None,
            user_agent: Some("=cmd".into()),
            request_id: Some("r1".into()),
        };
        let text = String::from_utf8(csv_of(&[e], true)).expect("utf-8");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], CSV_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            r#"7,2026-12-01T10:00:00.000000Z,,,,update,item,x,"{""a"":1}","{""a"":""b,c""}",,'=cmd,r1"#
        );
    }
}
