//! `/api/v1/notifications`: the caller's notifications, marking them read, and a live stream of
//! the unread count (server-sent events fed by PostgreSQL LISTEN/NOTIFY).
use super::{ApiResult, Ctx, OptionalJson};
use app::platform::context::AppState;
use app::platform::notifications::{service, Notification};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use futures::Stream;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use utoipa::ToSchema;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read", post(mark_read))
        .route("/notifications/stream", get(stream))
}

#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: Uuid,
    /// approval_pending, approval_escalated, document_approved, document_rejected, document_sent_back,
    /// po_created, goods_received, low_stock
    pub kind: String,
    /// In the caller's language
    pub text: String,
    /// The page of the UI it leads to (a path on this site), if any
    pub link: Option<String>,
    pub doc_type: Option<String>,
    pub doc_id: Option<Uuid>,
    pub doc_number: Option<String>,
    pub comment: Option<String>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub notifications: Vec<NotificationDto>,
    pub unread: i64,
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    description = "The caller's newest 50 notifications and the unread count.",
    responses((status = 200, body = super::Envelope<NotificationList>), (status = 401, body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(State(state): State<AppState>, Ctx(ctx): Ctx) -> ApiResult<NotificationList> {
    let inbox =
        app::platform::tx::run(&state, &ctx, |tx, _, ctx| Box::pin(service::inbox(tx, ctx)))
            .await?;
    let locale = ctx.locale;
    Ok(Ctx(ctx).ok(NotificationList {
        unread: inbox.unread,
        notifications: inbox
            .items
            .into_iter()
            .map(|n: Notification| NotificationDto {
                text: n.text(locale),
                link: n.link(),
                id: n.id,
                kind: n.kind,
                doc_type: n.doc_type,
                doc_id: n.doc_id,
                doc_number: n.doc_number,
                comment: n.comment,
                read: n.read,
                created_at: n.created_at,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ReadBody {
    /// One notification; all of the caller's when left out
    pub id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct UnreadDto {
    pub unread: i64,
}

#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body(content = Option<ReadBody>, description = "Optional: without a body (or with no `id`) every notification of the caller is marked read"),
    description = "Marks one notification (`id`) or all of the caller's read; answers the unread count.",
    responses((status = 200, body = super::Envelope<UnreadDto>),
              (status = 404, description = "NOT_FOUND: no notification of the caller by that `id`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn mark_read(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    OptionalJson(body): OptionalJson<ReadBody>,
) -> ApiResult<UnreadDto> {
    let id = body.id;
    let unread = app::platform::tx::run(&state, &ctx, |tx, _, ctx| {
        Box::pin(service::mark_read(tx, ctx, id))
    })
    .await?;
    Ok(Ctx(ctx).ok(UnreadDto { unread }))
}

#[utoipa::path(get, path = "/api/v1/notifications/stream", tag = "notifications",
    description = "Server-sent events: an `unread` event with the unread count now and whenever a notification arrives for the caller, from any server instance.",
    responses((status = 200, description = "An endless stream of server-sent events, each an `unread` event (`data`: the unread count); a comment line every 15 seconds keeps it open", content_type = "text/event-stream", body = super::contract::UnreadEvent)),
    security(("session" = []), ("bearer" = [])))]
pub async fn stream(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, super::ApiError> {
    let p = ctx.principal()?.clone();
    let first = service::unread(&state, p.tenant_id, p.user_id).await?;
    let rx = state.notifications.subscribe();
    let events = futures::stream::unfold(
        (Some(first), rx, state, p),
        |(first, mut rx, state, p)| async move {
            if let Some(n) = first {
                return Some((
                    Ok(Event::default().event("unread").data(n.to_string())),
                    (None, rx, state, p),
                ));
            }
            loop {
                match rx.recv().await {
                    Ok((tenant, user)) if tenant == p.tenant_id && user == p.user_id => break,
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
            let n = service::unread(&state, p.tenant_id, p.user_id)
                .await
                .unwrap_or(0);
            Some((
                Ok(Event::default().event("unread").data(n.to_string())),
                (None, rx, state, p),
            ))
        },
    );
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
