//! `GET /api/v1/exports/tally`: the books of a period as one TallyPrime import file (the
//! ledgers, then the purchase, payment and journal vouchers), through the same service as the
//! export screen. Readers of financial reports and accountants.
use super::{ApiQuery, Ctx};
use app::finance::service::tally;
use app::platform::context::AppState;
use app::platform::tx::run;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

pub fn router() -> Router<AppState> {
    Router::new().route("/exports/tally", get(export))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TallyParams {
    /// From this day (YYYY-MM-DD); default: the start of the current fiscal year
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// To this day (YYYY-MM-DD); default: today in the company's time zone
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/exports/tally", tag = "finance", params(TallyParams),
    description = "The journal entries dated from `from` to `to` as one TallyPrime import file (UTF-8 XML, `ENVELOPE` › `IMPORTDATA`, report `Vouchers`): first a `LEDGER` master per ledger (each account under Tally's predefined group for its role and kind, by its `tally_name` or its name; each supplier a bill-wise party ledger under Sundry Creditors), then a `VOUCHER` per entry by date and number — `Purchase` for a supplier invoice (a `New Ref` bill named by the supplier's invoice number), `Payment` for a payment (`Agst Ref` each invoice paid), `Journal` for everything else. A debit is `ISDEEMEDPOSITIVE` Yes with a negative `AMOUNT`, a credit No with a positive one; each voucher's amounts sum to zero. `GUID` and `REMOTEID` come from the company and the entry, so a second import alters instead of duplicating; the same period and data give the same bytes. `reports:financial` or `accounting:manage`.",
    responses((status = 200, description = "The file, as an attachment `tally-{from}-{to}.xml`", content_type = "application/xml", body = String),
        (status = 403, description = "FORBIDDEN: the caller holds neither `reports:financial` nor `accounting:manage`", body = super::ErrorEnvelope),
        (status = 422, description = "VALIDATION_ERROR: `from` or `to` not a date (YYYY-MM-DD), or `to` before `from`", body = super::ErrorEnvelope)),
    security(("session" = []), ("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiQuery(q): ApiQuery<TallyParams>,
) -> Result<Response, super::ApiError> {
    let (from, to) = (q.from, q.to);
    let (name, text) = run(&state, &ctx, move |tx, _, ctx| {
        Box::pin(tally::export(tx, ctx, from, to))
    })
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/xml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        text,
    )
        .into_response())
}
