//! `/finance`: the accountant's home. What waits on someone (drafts, invoices waiting for
//! approval, match exceptions), what falls due this week and what is overdue, this month's
//! payments, and the goods received not invoiced with its oldest receipts — each a link to the
//! list that shows it — from one call (`home::summary`); then the inventory balance and the
//! ledger's pages. A reader of reports (an Executive) sees the GRNI and the ledger's pages only.
use super::{dr_cr, FinanceTabs, TABLE_BOX, TD, TD_NUM, TH, TH_NUM};
use crate::finance::api::{get_trial_balance, list_accounts};
use crate::finance::model::Control;
use crate::finance::payment_api::{get_finance_summary, Figure};
use crate::format::{format_count, format_date, format_money, isolate_ltr_runs, Grouping};
use crate::i18n::*;
use crate::platform::ui::widgets::{tenant_grouping, use_user_resource, ErrorDetails};
use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;

const CARD: &str =
    "block rounded-lg border border-slate-200 bg-white p-4 hover:border-blue-800 hover:bg-blue-50";

/// Whether the signed-in user sees supplier invoices and payments (as the services decide).
pub(crate) fn sees_payables(u: &crate::platform::model::SessionUser) -> bool {
    ["invoice:create", "payment:process", "accounting:manage"]
        .iter()
        .any(|p| u.can(p))
}

/// The supplier invoices' and payment screens' tabs, for those who see payables.
#[component]
pub fn PayTabs(class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let show = user.await.ok().flatten().is_some_and(|u| sees_payables(&u));
                show.then(|| view! {
                    <A href="/finance/invoices" attr:class=class>{t!(i18n, finv.tab)}</A>
                    <A href="/finance/payments" attr:class=class>{t!(i18n, fpay.tab_payments)}</A>
                    <A href="/finance/payment-runs" attr:class=class>{t!(i18n, fpay.tab_runs)}</A>
                })
            })}
        </Transition>
    }
}

/// One figure: a label, how many, for how much; a link to its list.
#[component]
fn FigureCard(
    href: String,
    label: Signal<String>,
    figure: Figure,
    currency: String,
    grouping: Grouping,
    testid: &'static str,
    #[prop(optional)] alarm: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = figure.count.max(0).unsigned_abs();
    let amount = format_money(figure.amount, &currency, grouping);
    let tone = if alarm && count > 0 {
        "mt-1 block text-2xl font-semibold tabular-nums text-red-800"
    } else {
        "mt-1 block text-2xl font-semibold tabular-nums"
    };
    let n = format_count(count, grouping);
    view! {
        <A href=href attr:class=CARD attr:data-testid=testid>
            <span class="block text-sm text-slate-700">{label}</span>
            <span class=tone dir="ltr">{amount}</span>
            <span class="mt-1 block text-sm text-slate-700" data-testid="count">{move || t_string!(i18n, fpay.invoices_n, n = n.clone()).to_string()}</span>
        </A>
    }
}

#[component]
pub fn FinanceHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    // one server function per resource (see the journal page): the summary, and the chart with
    // the trial balance for the inventory's balance
    let summary = Resource::new(|| (), |_| get_finance_summary());
    let chart = Resource::new(|| (), |_| list_accounts());
    let tb = Resource::new(|| (), |_| get_trial_balance(None, None, None));
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, fin.title)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let s = match summary.await {
                    Ok(s) => s,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let c = s.currency.clone();
                let today = s.today;
                let payables = s.payables.clone().map(|p| {
                    let card = |href: String, label: Signal<String>, f: Figure, id: &'static str, alarm: bool| view! {
                        <FigureCard href=href label=label figure=f currency=c.clone() grouping=g testid=id alarm=alarm />
                    };
                    let paid = p.paid_this_month.clone();
                    let paid_n = format_count(paid.count.max(0).unsigned_abs(), g);
                    let paid_amount = format_money(paid.amount, &c, g);
                    view! {
                        <h2 class="mt-6 text-lg font-semibold">{t!(i18n, fpay.waiting)}</h2>
                        <div class="mt-2 grid gap-4 sm:grid-cols-3" data-testid="fin-payables">
                            {card("/finance/invoices?status=draft".into(), Signal::derive(move || t_string!(i18n, fpay.drafts).to_string()), p.drafts, "drafts", false)}
                            {card("/finance/invoices?status=pending_approval".into(), Signal::derive(move || t_string!(i18n, fpay.pending_approval).to_string()), p.pending_approval, "pending-approval", false)}
                            {card("/finance/invoices?status=pending_approval&match_status=exception".into(), Signal::derive(move || t_string!(i18n, fpay.exceptions).to_string()), p.exceptions, "exceptions", true)}
                        </div>
                        <h2 class="mt-6 text-lg font-semibold">{t!(i18n, fpay.due)}</h2>
                        <div class="mt-2 grid gap-4 sm:grid-cols-3">
                            {card(format!("/finance/reports/ap-ageing?as_of={today}"), Signal::derive(move || t_string!(i18n, fpay.due_this_week).to_string()), p.due_this_week, "due-this-week", false)}
                            {card(format!("/finance/reports/ap-ageing?as_of={today}"), Signal::derive(move || t_string!(i18n, fpay.overdue).to_string()), p.overdue, "overdue", true)}
                            <A href=format!("/finance/payments?from={}&to={today}", s.month_from) attr:class=CARD attr:data-testid="paid-this-month">
                                <span class="block text-sm text-slate-700">{t!(i18n, fpay.paid_this_month)}</span>
                                <span class="mt-1 block text-2xl font-semibold tabular-nums" dir="ltr">{paid_amount}</span>
                                <span class="mt-1 block text-sm text-slate-700" data-testid="count">{move || t_string!(i18n, fpay.payments_n, n = paid_n.clone()).to_string()}</span>
                            </A>
                        </div>
                    }
                });
                let grni_total = format_money(s.grni_total, &c, g);
                let oldest = s.grni_oldest.clone();
                let c2 = c.clone();
                view! {
                    {payables}
                    <h2 class="mt-6 text-lg font-semibold">{t!(i18n, fin.c_grni)}</h2>
                    <div class="mt-2 grid gap-4 sm:grid-cols-2" data-testid="fin-balances">
                        <A href=format!("/finance/reports/grni?as_of={today}") attr:class=CARD attr:data-testid="grni-balance">
                            <span class="block text-sm text-slate-700">{t!(i18n, fin.c_grni)}</span>
                            <span class="mt-1 block text-2xl font-semibold tabular-nums" dir="ltr">{grni_total}</span>
                        </A>
                        <InventoryCard chart=chart tb=tb grouping=g />
                    </div>
                    {(!oldest.is_empty()).then(|| view! {
                        <div class=TABLE_BOX>
                            <table class="min-w-full divide-y divide-slate-200" data-testid="grni-oldest">
                                <caption class="px-3 py-2 text-start text-sm font-semibold">{t!(i18n, fpay.oldest_receipts)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col" class=TH>{t!(i18n, fpay.received_on)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fpay.order)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fpay.supplier)}</th>
                                        <th scope="col" class=TH_NUM>{t!(i18n, fpay.value)}</th>
                                    </tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {oldest.into_iter().map(|r| {
                                        let when = r.oldest;
                                        let order = r.purchase_order.clone().unwrap_or_default();
                                        let href = r.purchase_order_id.map(|id| format!("/procurement/orders/{id}")).unwrap_or_else(|| "/finance/reports/grni".to_string());
                                        view! {
                                            <tr>
                                                <td class=TD>{move || format_date(when, i18n.get_locale())}</td>
                                                <td class=TD><A href=href attr:class="font-mono text-blue-900 underline" attr:dir="ltr">{order}</A></td>
                                                <td class=TD>{isolate_ltr_runs(&r.supplier.clone().unwrap_or_default())}</td>
                                                <td class=TD_NUM dir="ltr">{format_money(r.value, &c2, g)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                    <ul class="mt-6 grid gap-4 sm:grid-cols-2">
                        <li><A href="/finance/accounts" attr:class=CARD><span class="block font-semibold text-blue-900">{t!(i18n, fin.tab_accounts)}</span><span class="mt-1 block text-sm text-slate-700">{t!(i18n, fin.accounts_help)}</span></A></li>
                        <li><A href="/finance/journal" attr:class=CARD><span class="block font-semibold text-blue-900">{t!(i18n, fin.tab_journal)}</span><span class="mt-1 block text-sm text-slate-700">{t!(i18n, fin.journal_help)}</span></A></li>
                        <li><A href="/finance/periods" attr:class=CARD><span class="block font-semibold text-blue-900">{t!(i18n, fin.tab_periods)}</span><span class="mt-1 block text-sm text-slate-700">{t!(i18n, fin.periods_help)}</span></A></li>
                        <li><A href="/finance/trial-balance" attr:class=CARD><span class="block font-semibold text-blue-900">{t!(i18n, fin.tab_tb)}</span><span class="mt-1 block text-sm text-slate-700">{t!(i18n, fin.tb_help)}</span></A></li>
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}

type ChartResource = Resource<Result<Vec<crate::finance::model::Account>, crate::error::AppError>>;
type TbResource = Resource<Result<crate::finance::model::TrialBalance, crate::error::AppError>>;

/// The inventory accounts' closing balance (one per plant), from the trial balance.
#[component]
fn InventoryCard(chart: ChartResource, tb: TbResource, grouping: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let (Ok(chart), Ok(tb)) = (chart.await, tb.await) else {
                    return ().into_any();
                };
                let ids: Vec<uuid::Uuid> = chart.iter().filter(|a| a.control == Some(Control::Inventory)).map(|a| a.id).collect();
                let stock: Decimal = tb.rows.iter().filter(|r| ids.contains(&r.account.id)).map(|r| r.closing).sum();
                let currency = tb.currency.clone();
                view! {
                    <A href="/finance/trial-balance" attr:class=CARD attr:data-testid="inventory-balance">
                        <span class="block text-sm text-slate-700">{t!(i18n, fin.c_inventory)}</span>
                        <span class="mt-1 block text-2xl font-semibold tabular-nums" dir="ltr">{move || dr_cr(i18n, stock, &currency, grouping)}</span>
                    </A>
                }.into_any()
            })}
        </Transition>
    }
}
