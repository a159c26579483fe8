//! Server functions of the report screens: the same services as REST's `/api/v1/reports/…`.
use crate::error::AppError;
use crate::finance::model::{GeneralLedger, GrniReport};
use crate::finance::payment::ApAgeing;
use crate::finance::statement::{InputTaxRegister, SupplierStatement};
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

/// What each supplier is owed on `as_of`, by days past due.
#[server(prefix = "/sfn", endpoint = "report_ap_ageing", input = server_fn::codec::GetUrl)]
pub async fn get_ap_ageing(as_of: Option<NaiveDate>) -> Result<ApAgeing, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::payments::ageing(tx, ctx, as_of))
    })
    .await
}

/// Goods received not invoiced on `as_of`, oldest first.
#[server(prefix = "/sfn", endpoint = "report_grni", input = server_fn::codec::GetUrl)]
pub async fn get_grni(as_of: Option<NaiveDate>) -> Result<GrniReport, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(async move {
            let mut r = crate::finance::service::reports::grni(tx, ctx, as_of).await?;
            crate::finance::service::report_files::oldest_first(&mut r.rows);
            Ok(r)
        })
    })
    .await
}

/// A page of an account's ledger.
#[server(prefix = "/sfn", endpoint = "report_general_ledger", input = server_fn::codec::GetUrl)]
pub async fn get_general_ledger(
    account_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: u32,
) -> Result<GeneralLedger, AppError> {
    let q = crate::finance::model::LedgerQuery {
        account_id,
        from,
        to,
        page,
        per_page: 100,
    };
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::reports::general_ledger(tx, ctx, q))
    })
    .await
}

/// A supplier's statement.
#[server(prefix = "/sfn", endpoint = "report_supplier_statement", input = server_fn::codec::GetUrl)]
pub async fn get_supplier_statement(
    supplier_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<SupplierStatement, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::statements::supplier_statement(
            tx,
            ctx,
            supplier_id,
            from,
            to,
        ))
    })
    .await
}

/// The suppliers a statement can be asked for: (id, code, name).
#[server(prefix = "/sfn", endpoint = "report_statement_suppliers", input = server_fn::codec::GetUrl)]
pub async fn statement_suppliers() -> Result<Vec<(Uuid, String, String)>, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::statements::statement_suppliers(
            tx, ctx,
        ))
    })
    .await
}

/// The input-tax register.
#[server(prefix = "/sfn", endpoint = "report_input_tax", input = server_fn::codec::GetUrl)]
pub async fn get_input_tax(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<InputTaxRegister, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::statements::input_tax(
            tx, ctx, from, to,
        ))
    })
    .await
}
