//! The accountant's ledger screens: a finance home (`/finance`), the chart of accounts, the
//! journal, the fiscal years and periods, and the trial balance. Each reads and changes the books
//! through the server functions of [`crate::finance::api`], which call the same services as REST;
//! a reader without the permission gets the service's 403 and its message.
use crate::finance::model::{AccountKind, Control};
use crate::format::{format_money, Grouping};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;

pub mod accounts;
pub mod home;
pub mod invoice_files;
pub mod invoice_form;
pub mod invoices;
pub mod payments;
pub mod runs;
pub use home::FinanceHomePage;
pub mod journal;
pub mod periods;
pub mod reports;
pub mod tally;
pub mod trial_balance;

pub(crate) type I18n = leptos_i18n::I18nContext<Locale>;

pub(crate) const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-4";
pub(crate) const SECONDARY: &str = "inline-flex items-center justify-center rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-800";
/// A table's box: it scrolls sideways inside itself on a phone, never the page (`relative`: the
/// screen-reader-only texts of its cells, positioned absolutely, are then clipped by the box
/// instead of widening the page).
pub(crate) const TABLE_BOX: &str =
    "relative mt-4 max-w-full overflow-x-auto rounded-lg border border-slate-200 bg-white";
pub(crate) const TH: &str = "px-3 py-2 text-start text-sm font-semibold text-slate-700";
pub(crate) const TH_NUM: &str = "px-3 py-2 text-end text-sm font-semibold text-slate-700";
pub(crate) const TD: &str = "px-3 py-2 text-sm";
pub(crate) const TD_NUM: &str = "whitespace-nowrap px-3 py-2 text-end text-sm tabular-nums";

/// The translated name of an account kind.
pub(crate) fn kind_label(i18n: I18n, kind: AccountKind) -> String {
    match kind {
        AccountKind::Asset => t_string!(i18n, fin.kind_asset),
        AccountKind::Liability => t_string!(i18n, fin.kind_liability),
        AccountKind::Equity => t_string!(i18n, fin.kind_equity),
        AccountKind::Income => t_string!(i18n, fin.kind_income),
        AccountKind::Expense => t_string!(i18n, fin.kind_expense),
    }
    .to_string()
}

/// The translated name of an account's control role.
pub(crate) fn control_label(i18n: I18n, control: Control) -> String {
    match control {
        Control::Ap => t_string!(i18n, fin.c_ap),
        Control::Grni => t_string!(i18n, fin.c_grni),
        Control::Inventory => t_string!(i18n, fin.c_inventory),
        Control::GstInputCgst => t_string!(i18n, fin.c_gst_input_cgst),
        Control::GstInputSgst => t_string!(i18n, fin.c_gst_input_sgst),
        Control::GstInputIgst => t_string!(i18n, fin.c_gst_input_igst),
        Control::TaxInput => t_string!(i18n, fin.c_tax_input),
        Control::TdsPayable => t_string!(i18n, fin.c_tds_payable),
        Control::Bank => t_string!(i18n, fin.c_bank),
        Control::PriceVariance => t_string!(i18n, fin.c_price_variance),
        Control::StockAdjustment => t_string!(i18n, fin.c_stock_adjustment),
        Control::Consumption => t_string!(i18n, fin.c_consumption),
        Control::InTransit => t_string!(i18n, fin.c_in_transit),
        Control::OpeningBalance => t_string!(i18n, fin.c_opening_balance),
        Control::GstRcmPayable => t_string!(i18n, fin.c_gst_rcm_payable),
    }
    .to_string()
}

/// The journal's sources, in the order the filter lists them.
pub(crate) const SOURCES: [&str; 10] = [
    "manual",
    "opening",
    "goods_receipt",
    "stock_issue",
    "stock_transfer",
    "stock_adjustment",
    "stock_reversal",
    "supplier_invoice",
    "payment",
    "reversal",
];

/// The translated name of what made a journal entry.
pub(crate) fn source_label(i18n: I18n, source: &str) -> String {
    match source {
        "manual" => t_string!(i18n, fin.s_manual),
        "opening" => t_string!(i18n, fin.s_opening),
        "goods_receipt" => t_string!(i18n, fin.s_goods_receipt),
        "stock_issue" => t_string!(i18n, fin.s_stock_issue),
        "stock_transfer" => t_string!(i18n, fin.s_stock_transfer),
        "stock_adjustment" => t_string!(i18n, fin.s_stock_adjustment),
        "stock_reversal" => t_string!(i18n, fin.s_stock_reversal),
        "supplier_invoice" => t_string!(i18n, fin.s_supplier_invoice),
        "payment" => t_string!(i18n, fin.s_payment),
        _ => t_string!(i18n, fin.s_reversal),
    }
    .to_string()
}

/// A signed balance (debit positive) as money with its side: `$1,200.00 Dr`, `₹12,34,567.00 Cr`;
/// zero has no side.
pub(crate) fn dr_cr(i18n: I18n, balance: Decimal, currency: &str, g: Grouping) -> String {
    let amount = format_money(balance.abs(), currency, g);
    if balance.is_zero() {
        amount
    } else if balance > Decimal::ZERO {
        format!("{amount} {}", t_string!(i18n, fin.dr))
    } else {
        format!("{amount} {}", t_string!(i18n, fin.cr))
    }
}

/// An amount of a debit or credit column; blank for zero, so the other side reads at a glance.
pub(crate) fn amount_or_blank(amount: Decimal, currency: &str, g: Grouping) -> String {
    if amount.is_zero() {
        String::new()
    } else {
        format_money(amount, currency, g)
    }
}

/// A date from a query or an input (`YYYY-MM-DD`), if it is one.
pub(crate) fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// The finance pages' tabs.
#[component]
pub fn FinanceTabs() -> impl IntoView {
    let i18n = use_i18n();
    let tab = "rounded-md px-3 py-1.5 text-sm font-medium text-blue-900 hover:bg-blue-50 aria-[current=page]:bg-blue-800 aria-[current=page]:text-white";
    view! {
        <nav class="mb-4 flex flex-wrap gap-2 border-b border-slate-200 pb-2" aria-label=move || t_string!(i18n, nav.finance).to_string()>
            <A href="/finance" exact=true attr:class=tab>{t!(i18n, fin.tab_home)}</A>
            <A href="/finance/accounts" attr:class=tab>{t!(i18n, fin.tab_accounts)}</A>
            <A href="/finance/journal" attr:class=tab>{t!(i18n, fin.tab_journal)}</A>
            <A href="/finance/periods" attr:class=tab>{t!(i18n, fin.tab_periods)}</A>
            <A href="/finance/trial-balance" attr:class=tab>{t!(i18n, fin.tab_tb)}</A>
            <home::PayTabs class=tab />
            <A href="/finance/reports" attr:class=tab>{t!(i18n, frep.tab)}</A>
            <A href="/finance/tally" attr:class=tab>{t!(i18n, ftally.tab)}</A>
        </nav>
    }
}
