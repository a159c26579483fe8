//! `/api/v1/audit`: the audit log, filtered and paged, or streamed as CSV (`format=csv`).
use super::{ApiError, ApiResult, Ctx, ListQuery, PageQuery, Pagination};
use app::error::{AppError, FieldError};
use app::platform::audit_log::{self, AuditEntry, AuditFilter, EXPORT_CHUNK};
use app::platform::context::{AppState, RequestCtx};
use app::platform::tx::run;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

/// `format`: the page as JSON (the default) or every matching entry as CSV.
fn format_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["json", "csv", ""]))
        .description(Some(
            "`json` (the default; empty is the same) or `csv`: every entry the filters find, streamed, newest first",
        ))
        .build()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries made by this user
    #[param(nullable = false)]
    pub user_id: Option<Uuid>,
    /// The kind of record: `requisition`, `purchase_order`, `item`, `user`, … (at most 200 characters)
    #[param(nullable = false)]
    pub entity: Option<String>,
    /// The record's id (at most 200 characters)
    #[param(nullable = false)]
    pub entity_id: Option<String>,
    /// `create`, `update`, `submit`, `approve`, `login`, … (at most 200 characters)
    #[param(nullable = false)]
    pub action: Option<String>,
    /// On or after this day (YYYY-MM-DD) in the company's time zone
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// On or before this day (YYYY-MM-DD) in the company's time zone; not before `from`
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
    #[param(schema_with = format_schema, nullable = false)]
    pub format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first
    pub entries: Vec<AuditEntry>,
    /// `total` is counted up to 10,000 entries
    pub pagination: Pagination,
    /// `true` when the filters find more than 10,000 entries: `pagination.total` is then a lower
    /// bound (narrow the filters, or export them all as CSV)
    pub more: bool,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "administration", params(AuditQuery, PageQuery),
    description = "The audit log: who did what to which record, with the values before and after, from where; newest first. Filters combine. With `format=csv`, every entry the filters find is streamed as CSV (RFC 4180, a header row; `page` and `per_page` are ignored). Needs `audit:view` (Admin, Executive).",
    responses((status = 200, description = "A page of entries, or with `format=csv` every entry as CSV",
               content((super::Envelope<AuditList> = "application/json"), (String = "text/csv"))),
              (status = 403, description = "FORBIDDEN: the caller may not view the audit log", body = super::ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR: `to` before `from`, a text filter over 200 characters, or an unknown `format`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ListQuery {
        filter: q,
        page,
        per_page,
    }: ListQuery<AuditQuery>,
) -> Result<Response, ApiError> {
    let csv = match q.format.as_deref().unwrap_or("") {
        "" | "json" => false,
        "csv" => true,
        _ => return Err(ApiError(AppError::field("format", FieldError::Invalid))),
    };
    let filter = AuditFilter {
        user_id: q.user_id,
        entity: q.entity,
        entity_id: q.entity_id,
        action: q.action,
        from: q.from,
        to: q.to,
    };
    if csv {
        return export(state, ctx, filter);
    }
    let result = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(audit_log::list(tx, ctx, filter, page, per_page))
    })
    .await?;
    let list = AuditList {
        pagination: Pagination::new(result.page, result.per_page, result.total),
        more: result.more,
        entries: result.entries,
    };
    let ok: ApiResult<AuditList> = Ok(Ctx(ctx).ok(list));
    Ok(ok.into_response())
}

/// What the export stream keeps between chunks.
struct Export {
    state: AppState,
    ctx: RequestCtx,
    filter: AuditFilter,
    /// The last entry sent (the next chunk is older); `None` before the first.
    last: Option<(DateTime<Utc>, i64)>,
    started: bool,
    done: bool,
}

/// Streams every entry the filters find as CSV: the header, then chunks of [`EXPORT_CHUNK`]
/// entries, each read in its own short transaction after the one before (keyed by time and id,
/// so no connection is held while the client reads). Refusals (403, 422) come before the first
/// byte; a failure later cuts the stream short (the client sees an incomplete body).
fn export(state: AppState, ctx: RequestCtx, filter: AuditFilter) -> Result<Response, ApiError> {
    let filter = audit_log::export_filter(&ctx, filter)?;
    let start = Export {
        state,
        ctx,
        filter,
        last: None,
        started: false,
        done: false,
    };
    let stream = futures::stream::unfold(start, |mut ex| async move {
        if ex.done {
            return None;
        }
        let (filter, last) = (ex.filter.clone(), ex.last);
        let chunk = run(&ex.state, &ex.ctx, move |tx, _, ctx| {
            Box::pin(
                async move { audit_log::export_chunk(tx, ctx, &filter, last, EXPORT_CHUNK).await },
            )
        })
        .await;
        match chunk {
            Ok(entries) => {
                ex.done = entries.len() < EXPORT_CHUNK as usize;
                ex.last = entries.last().map(|e| (e.at, e.id)).or(ex.last);
                let bytes = audit_log::csv_of(&entries, !ex.started);
                ex.started = true;
                Some((Ok::<_, std::io::Error>(Bytes::from(bytes)), ex))
            }
            Err(e) => {
                tracing::warn!(error = %e, "audit export failed midway");
                ex.done = true;
                Some((Err(std::io::Error::other("audit export failed")), ex))
            }
        }
    });
    // fused: the compression layer may poll the body once more after its end, which `unfold`
    // answers with a panic (schemathesis found it: the connection was cut mid-answer)
    let stream = futures::StreamExt::fuse(stream);
    let mut res = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let day = Utc::now().date_naive();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"audit-log-{day}.csv\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
