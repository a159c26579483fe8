//! `/finance/trial-balance`: each account's opening, debits, credits and closing from a date to a
//! date (the service's defaults: the fiscal year so far), optionally of one plant, with totals;
//! an account leads to its journal entries.
use super::{amount_or_blank, dr_cr, parse_date, FinanceTabs, TABLE_BOX, TD, TD_NUM, TH, TH_NUM};
use crate::finance::api::get_trial_balance;
use crate::finance::model::TrialBalance;
use crate::format::{format_date, format_money, isolate_ltr_runs, Grouping};
use crate::i18n::*;
use crate::platform::ui::widgets::{
    tenant_grouping, use_user_resource, ErrorDetails, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use crate::procurement::api::list_plants;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn TrialBalancePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let from = move || get("from").and_then(|d| parse_date(&d));
    let to = move || get("to").and_then(|d| parse_date(&d));
    let plant = move || get("plant_id").and_then(|p| Uuid::parse_str(&p).ok());
    let tb = Resource::new(
        move || (from(), to(), plant()),
        |(f, t, p)| get_trial_balance(f, t, p),
    );
    let plants = Resource::new(|| (), |_| list_plants());
    // the downloads carry the page's filters as the address has them
    let filters = Signal::derive(move || {
        vec![
            ("from", get("from")),
            ("to", get("to")),
            ("plant_id", get("plant_id")),
        ]
    });
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, fin.tb_title)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let tb = match tb.await {
                    Ok(tb) => tb,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let plants = plants.await.unwrap_or_default();
                let g = tenant_grouping(&user.await);
                let chosen = plant();
                view! {
                    <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
                        <div>
                            <label for="tb-from" class=LABEL_CLASS>{t!(i18n, fin.from)}</label>
                            <input id="tb-from" name="from" type="date" class=INPUT_CLASS value=tb.from.to_string() />
                        </div>
                        <div>
                            <label for="tb-to" class=LABEL_CLASS>{t!(i18n, fin.to)}</label>
                            <input id="tb-to" name="to" type="date" class=INPUT_CLASS value=tb.to.to_string() />
                        </div>
                        <div>
                            <label for="tb-plant" class=LABEL_CLASS>{t!(i18n, fin.plant)}</label>
                            <select id="tb-plant" name="plant_id" class=INPUT_CLASS>
                                <option value="" selected=chosen.is_none()>{t!(i18n, fin.all_plants)}</option>
                                {plants.into_iter().map(|p| view! {
                                    <option value=p.id.to_string() selected=chosen == Some(p.id)>{format!("{} — {}", p.code, p.name)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class=BUTTON_CLASS>{t!(i18n, fin.show)}</button>
                    </Form>
                    <super::reports::ReportDownloads path="/api/v1/reports/trial-balance" filters=filters />
                    <TrialBalanceTable tb=tb grouping=g />
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn TrialBalanceTable(tb: TrialBalance, grouping: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let (from, to) = (tb.from, tb.to);
    let span = move || {
        t_string!(
            i18n,
            fin.span,
            from = format_date(from, i18n.get_locale()),
            to = format_date(to, i18n.get_locale())
        )
        .to_string()
    };
    let c = tb.currency.clone();
    let t = tb.totals.clone();
    let empty = tb.rows.is_empty();
    let money = move |d| format_money(d, &c, g);
    let (od, oc, cd, cc) = (
        money(t.opening_debit),
        money(t.opening_credit),
        money(t.closing_debit),
        money(t.closing_credit),
    );
    let (td, tc) = (money(t.debit), money(t.credit));
    let rows = tb.rows.clone();
    let currency = tb.currency.clone();
    view! {
        <p class="mt-4 text-sm text-slate-700">{span}</p>
        {empty.then(|| view! { <p class="mt-2 text-slate-700">{t!(i18n, fin.tb_none)}</p> })}
        <div class=TABLE_BOX>
            <table class="min-w-full divide-y divide-slate-200" data-testid="trial-balance">
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t!(i18n, fin.code)}</th>
                        <th scope="col" class=TH>{t!(i18n, fin.name)}</th>
                        <th scope="col" class=TH_NUM>{t!(i18n, fin.opening)}</th>
                        <th scope="col" class=TH_NUM>{t!(i18n, fin.debit)}</th>
                        <th scope="col" class=TH_NUM>{t!(i18n, fin.credit)}</th>
                        <th scope="col" class=TH_NUM>{t!(i18n, fin.closing)}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|r| {
                        let cur = currency.clone();
                        let (cur2, cur3, cur4) = (cur.clone(), cur.clone(), cur.clone());
                        view! {
                            <tr>
                                <td class=TD><A href=format!("/finance/journal?account_id={}", r.account.id) attr:class="font-mono text-blue-900 underline" attr:dir="ltr">{r.account.code.clone()}</A></td>
                                <td class=TD>{isolate_ltr_runs(&r.account.name)}</td>
                                <td class=TD_NUM dir="ltr">{move || dr_cr(i18n, r.opening, &cur, g)}</td>
                                <td class=TD_NUM dir="ltr">{amount_or_blank(r.debit, &cur2, g)}</td>
                                <td class=TD_NUM dir="ltr">{amount_or_blank(r.credit, &cur3, g)}</td>
                                <td class=TD_NUM dir="ltr">{move || dr_cr(i18n, r.closing, &cur4, g)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot class="border-t-2 border-slate-300 bg-slate-50 font-semibold" data-testid="tb-totals">
                    <tr>
                        <th scope="row" colspan="2" class=TH>{t!(i18n, fin.totals)}</th>
                        <td class=TD_NUM dir="ltr"><span class="block">{move || format!("{od} {}", t_string!(i18n, fin.dr))}</span><span class="block">{move || format!("{oc} {}", t_string!(i18n, fin.cr))}</span></td>
                        <td class=TD_NUM dir="ltr">{td}</td>
                        <td class=TD_NUM dir="ltr">{tc}</td>
                        <td class=TD_NUM dir="ltr"><span class="block">{move || format!("{cd} {}", t_string!(i18n, fin.dr))}</span><span class="block">{move || format!("{cc} {}", t_string!(i18n, fin.cr))}</span></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
