//! Operations endpoints: liveness, readiness (the database answers) and Prometheus metrics.
use app::platform::context::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

static PROMETHEUS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide metrics recorder once (tests build many apps in one process).
pub fn prometheus() -> Option<&'static PrometheusHandle> {
    PROMETHEUS
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ])
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

#[utoipa::path(get, path = "/health", tag = "ops", responses((status = 200, description = "The process is alive", body = String)))]
pub async fn health() -> &'static str {
    "ok"
}

#[utoipa::path(get, path = "/ready", tag = "ops",
    responses((status = 200, description = "The database answers", body = String), (status = 503, description = "The database does not answer", body = String)))]
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let probe = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        sqlx::query!("select from (select 1) one").execute(&state.pool),
    )
    .await;
    match probe {
        Ok(Ok(_)) => (StatusCode::OK, "ready"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "Prometheus text: http_requests_total and http_request_duration_seconds by method, route and status; db_pool_connections and db_pool_idle", body = String)))]
pub async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    metrics::gauge!("db_pool_connections").set(state.pool.size() as f64);
    metrics::gauge!("db_pool_idle").set(state.pool.num_idle() as f64);
    let body = prometheus().map(|h| h.render()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
