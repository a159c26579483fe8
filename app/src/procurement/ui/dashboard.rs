//! The dashboard cards on the home page, in the user's language and the tenant's currency.
use super::labels;
use crate::error::AppError;
use crate::format::{format_decimal, format_money};
use crate::i18n::*;
use crate::platform::ui::widgets::{tenant_grouping, use_user_resource};
use crate::procurement::model::dashboard::Dashboard;
use leptos::prelude::*;
use leptos_router::components::A;

pub type DashboardResource = Resource<Result<Dashboard, AppError>>;

fn age(i18n: leptos_i18n::I18nContext<Locale>, hours: i64) -> String {
    if hours < 48 {
        t_string!(i18n, dash.hours, n = hours.max(0)).to_string()
    } else {
        t_string!(i18n, dash.days, n = hours / 24).to_string()
    }
}

const CARD: &str = "rounded-lg border border-slate-200 bg-white p-4";

#[component]
pub fn DashboardCards(dash: DashboardResource) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let grouping = tenant_grouping(&user.await);
                let Ok(d) = dash.await else { return ().into_any() };
                let currency = d.currency.clone();
                let now = d.now;
                view! {
                    <section class="mt-6" aria-labelledby="dash-heading" data-testid="dashboard">
                        <h2 id="dash-heading" class="sr-only">{t!(i18n, dash.title)}</h2>
                        <div class="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
                            {d.my_requisitions.map(|rows| view! {
                                <div class=CARD data-testid="dash-mine">
                                    <h3 class="font-semibold"><A href="/procurement/requisitions?mine=on" attr:class="hover:underline">{t!(i18n, dash.mine)}</A></h3>
                                    {if rows.is_empty() {
                                        view! { <p class="mt-2 text-slate-700">{t!(i18n, dash.none)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="mt-2 flex flex-wrap gap-2">
                                                {rows.into_iter().map(|(s, n)| view! {
                                                    <li>
                                                        <A href=format!("/procurement/requisitions?mine=on&status={}", s.as_str())
                                                            attr:class=format!("inline-block rounded px-2 py-1 text-sm {}", labels::status_class(s))>
                                                            {move || labels::status(i18n.get_locale(), s)}" "<b class="tabular-nums">{n}</b>
                                                        </A>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </div>
                            })}
                            {d.pending.map(|rows| {
                                let overdue = rows.iter().filter(|p| p.overdue).count();
                                let total = rows.len();
                                let currency = currency.clone();
                                view! {
                                    <div class=CARD data-testid="dash-pending">
                                        <h3 class="font-semibold">{t!(i18n, dash.pending)}" "<span class="tabular-nums">{total}</span></h3>
                                        {(overdue > 0).then(|| view! { <p class="text-sm font-medium text-red-800">{t!(i18n, dash.overdue, n = overdue)}</p> })}
                                        <ul class="mt-2 space-y-1 text-sm">
                                            {rows.into_iter().take(5).map(|p| {
                                                let hours = (now - p.waiting_since).num_hours();
                                                let href = if p.doc_type == "purchase_order" { format!("/procurement/orders/{}", p.doc_id) } else { format!("/procurement/requisitions/{}", p.doc_id) };
                                                view! {
                                                    <li class="flex flex-wrap justify-between gap-2">
                                                        <A href=href attr:class="text-blue-800 underline">{p.number.clone()}</A>
                                                        <span dir="ltr" class="tabular-nums">{format_money(p.total, &currency, grouping)}</span>
                                                        <span class=if p.overdue { "text-red-800" } else { "text-slate-700" }>
                                                            {move || t_string!(i18n, dash.waiting_for, age = age(i18n, hours)).to_string()}
                                                            {p.overdue.then(|| view! { " · "{t!(i18n, dash.late)} })}
                                                        </span>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                        <A href="/approvals" attr:class="mt-2 inline-block text-sm font-medium text-blue-800 underline">{t!(i18n, dash.open_inbox)}</A>
                                    </div>
                                }
                            })}
                            {d.purchasing.map(|s| view! {
                                <div class=CARD data-testid="dash-purchasing">
                                    <h3 class="font-semibold">{t!(i18n, dash.purchasing)}</h3>
                                    <dl class="mt-2 space-y-2 text-sm">
                                        <div class="flex justify-between gap-2"><dt><A href="/procurement/orders/generate" attr:class="underline">{t!(i18n, dash.lines_waiting)}</A></dt>
                                            <dd class="font-semibold tabular-nums">{s.lines_waiting}</dd></div>
                                        <div class="flex justify-between gap-2"><dt>{t!(i18n, dash.po_month)}</dt>
                                            <dd class="text-end"><span dir="ltr" class="font-semibold tabular-nums">{format_money(s.po_value_this_month, &currency, grouping)}</span>
                                                <span class="block text-slate-700">{t!(i18n, dash.po_count, n = s.po_count_this_month)}</span></dd></div>
                                        <div class="flex justify-between gap-2"><dt><A href="/procurement/orders?status=sent" attr:class="underline">{t!(i18n, dash.awaiting)}</A></dt>
                                            <dd class="font-semibold tabular-nums">{s.awaiting_delivery}</dd></div>
                                    </dl>
                                </div>
                            })}
                            <div class=CARD data-testid="dash-avg">
                                <h3 class="font-semibold">{t!(i18n, dash.avg)}</h3>
                                {match d.average_approval_hours {
                                    Some(h) => {
                                        let n = d.approved_last_30_days;
                                        let hours = format_decimal(h, 1, grouping);
                                        view! { <p class="mt-2 text-lg tabular-nums">{move || t_string!(i18n, dash.avg_value, hours = hours.clone(), n = n).to_string()}</p> }.into_any()
                                    }
                                    None => view! { <p class="mt-2 text-slate-700">{t!(i18n, dash.no_data)}</p> }.into_any(),
                                }}
                            </div>
                        </div>
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
