//! Server functions of the ledger screens: thin wrappers over finance's services, as REST is.
use crate::error::AppError;
use crate::finance::model::{
    Account, AccountInput, FiscalYear, FiscalYearInput, JournalEntry, ManualEntryInput, Period,
    ReverseEntryInput, TrialBalance,
};
use crate::platform::paging::Page;
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

/// The chart of accounts in tree order.
#[server(prefix = "/sfn", endpoint = "list_accounts", input = server_fn::codec::GetUrl)]
pub async fn list_accounts() -> Result<Vec<Account>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(crate::finance::service::chart::list(tx, ctx)))
        .await
}

/// Creates (`id` none) or changes an account or group.
#[server(prefix = "/sfn", endpoint = "save_account", input = server_fn::codec::Json)]
pub async fn save_account(id: Option<Uuid>, input: AccountInput) -> Result<Account, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::chart::save(tx, ctx, id, input))
    })
    .await
}

/// Accounts from CSV text: how many rows were added or changed.
#[server(prefix = "/sfn", endpoint = "import_accounts", input = server_fn::codec::Json)]
pub async fn import_accounts(csv: String) -> Result<usize, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(async move { crate::finance::service::chart::import_csv(tx, ctx, &csv).await })
    })
    .await
}

/// A page of journal entries, newest first.
#[server(prefix = "/sfn", endpoint = "list_journal", input = server_fn::codec::GetUrl)]
pub async fn list_journal(
    account_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    source: Option<String>,
    page: u32,
) -> Result<Page<JournalEntry>, AppError> {
    let filter = crate::finance::model::JournalFilter {
        account_id,
        from,
        to,
        source,
        page,
        per_page: crate::platform::paging::DEFAULT_PER_PAGE,
    };
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::journal::list(tx, ctx, filter))
    })
    .await
}

/// A manual journal entry.
#[server(prefix = "/sfn", endpoint = "post_journal_entry", input = server_fn::codec::Json)]
pub async fn post_journal_entry(input: ManualEntryInput) -> Result<JournalEntry, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::journal::manual_entry(
            tx, ctx, input,
        ))
    })
    .await
}

/// The mirror image of an entry.
#[server(prefix = "/sfn", endpoint = "reverse_journal_entry", input = server_fn::codec::Json)]
pub async fn reverse_journal_entry(
    id: Uuid,
    input: ReverseEntryInput,
) -> Result<JournalEntry, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::journal::reverse_entry(
            tx, ctx, id, input,
        ))
    })
    .await
}

/// Every fiscal year, newest first, with its periods.
#[server(prefix = "/sfn", endpoint = "list_fiscal_years", input = server_fn::codec::GetUrl)]
pub async fn list_fiscal_years() -> Result<Vec<FiscalYear>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::finance::service::periods::years(tx, ctx))
    })
    .await
}

/// A fiscal year with monthly periods.
#[server(prefix = "/sfn", endpoint = "create_fiscal_year", input = server_fn::codec::Json)]
pub async fn create_fiscal_year(input: FiscalYearInput) -> Result<FiscalYear, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::periods::create_year(
            tx, ctx, input,
        ))
    })
    .await
}

/// Closes (`close`) or reopens a period.
#[server(prefix = "/sfn", endpoint = "set_period_status", input = server_fn::codec::Json)]
pub async fn set_period_status(id: Uuid, close: bool) -> Result<Period, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::periods::set_period(
            tx, ctx, id, close,
        ))
    })
    .await
}

/// The trial balance (defaults: the fiscal year so far), optionally of one plant.
#[server(prefix = "/sfn", endpoint = "get_trial_balance", input = server_fn::codec::GetUrl)]
pub async fn get_trial_balance(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    plant_id: Option<Uuid>,
) -> Result<TrialBalance, AppError> {
    let query = crate::finance::model::TrialBalanceQuery {
        from,
        to,
        plant_id,
        company_id: None,
    };
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::reports::trial_balance(
            tx, ctx, query,
        ))
    })
    .await
}
