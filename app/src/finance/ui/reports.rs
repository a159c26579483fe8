//! The accountant's reports on screen: `/finance/reports` (the list), AP ageing, GRNI, the general
//! ledger of an account, a supplier's statement and the input-tax register. Each page has a small
//! filter form (GET, so the address carries the filters), the report's table with its totals and
//! links to the documents, and CSV, Excel and PDF downloads of the same report — plain links to
//! its REST address with the page's filters (the session cookie signs them in).
use super::{amount_or_blank, dr_cr, parse_date, FinanceTabs, TABLE_BOX, TD, TD_NUM, TH, TH_NUM};
use crate::finance::api::list_accounts;
use crate::finance::report_api::{
    get_ap_ageing, get_general_ledger, get_grni, get_input_tax, get_supplier_statement,
    statement_suppliers,
};
use crate::format::{format_date, format_money, format_quantity, isolate_ltr_runs};
use crate::i18n::*;
use crate::platform::export::ui::export_href;
use crate::platform::ui::widgets::{
    tenant_grouping, use_user_resource, ErrorDetails, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use uuid::Uuid;

const LINK: &str = "inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-blue-900 hover:bg-slate-100";
const FORM: &str =
    "mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3";
const DOC_LINK: &str = "text-blue-900 underline";

/// CSV, Excel and PDF links of the report at `path` with the page's `filters`.
#[component]
pub fn ReportDownloads(
    path: &'static str,
    #[prop(into)] filters: Signal<Vec<(&'static str, Option<String>)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = move |format: &'static str| export_href(path, &filters.get(), format);
    view! {
        <div class="mt-3 flex flex-wrap items-center gap-2" role="group"
            aria-label=move || t_string!(i18n, frep.download).to_string() data-testid="report-downloads">
            <span class="text-sm text-slate-700">{t!(i18n, frep.download)}</span>
            <a href=move || href("csv") rel="external" download class=LINK data-testid="download-csv"
                title=move || t_string!(i18n, frep.download_csv).to_string()>{t!(i18n, export.csv)}</a>
            <a href=move || href("xlsx") rel="external" download class=LINK data-testid="download-xlsx"
                title=move || t_string!(i18n, frep.download_excel).to_string()>{t!(i18n, export.excel)}</a>
            <a href=move || href("pdf") rel="external" download class=LINK data-testid="download-pdf"
                title=move || t_string!(i18n, frep.download_pdf).to_string()>{t!(i18n, frep.pdf)}</a>
        </div>
    }
}

/// The reports' own link row under the finance tabs.
#[component]
fn ReportTabs() -> impl IntoView {
    let i18n = use_i18n();
    let tab = "rounded-md px-3 py-1.5 text-sm font-medium text-blue-900 hover:bg-blue-50 aria-[current=page]:bg-blue-100";
    view! {
        <nav class="mb-3 flex flex-wrap gap-2" aria-label=move || t_string!(i18n, frep.tab).to_string()>
            <A href="/finance/reports" exact=true attr:class=tab>{t!(i18n, frep.tab)}</A>
            <A href="/finance/trial-balance" attr:class=tab>{t!(i18n, frep.t_tb)}</A>
            <A href="/finance/reports/general-ledger" attr:class=tab>{t!(i18n, frep.t_gl)}</A>
            <A href="/finance/reports/ap-ageing" attr:class=tab>{t!(i18n, frep.t_ageing)}</A>
            <A href="/finance/reports/grni" attr:class=tab>{t!(i18n, frep.t_grni)}</A>
            <A href="/finance/reports/supplier-statement" attr:class=tab>{t!(i18n, frep.t_statement)}</A>
            <A href="/finance/reports/input-tax" attr:class=tab>{t!(i18n, frep.t_input_tax)}</A>
        </nav>
    }
}

/// A query value, if it has one.
fn query_value(k: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(k).filter(|v| !v.trim().is_empty())
}

/// `/finance/reports`: each report with what it shows.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let card = "block rounded-lg border border-slate-200 bg-white p-4 hover:border-blue-800 hover:bg-blue-50";
    let item = move |href: &'static str, title: String, help: String| {
        view! {
            <li><A href=href attr:class=card>
                <span class="block font-semibold text-blue-900">{title}</span>
                <span class="mt-1 block text-sm text-slate-700">{help}</span>
            </A></li>
        }
    };
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, frep.title)}</h1>
        <p class="mt-1 text-sm text-slate-700">{t!(i18n, frep.intro)}</p>
        <ul class="mt-4 grid gap-4 sm:grid-cols-2" data-testid="report-list">
            {move || vec![
                item("/finance/trial-balance", t_string!(i18n, frep.t_tb).to_string(), t_string!(i18n, frep.h_tb).to_string()),
                item("/finance/reports/general-ledger", t_string!(i18n, frep.t_gl).to_string(), t_string!(i18n, frep.h_gl).to_string()),
                item("/finance/reports/ap-ageing", t_string!(i18n, frep.t_ageing).to_string(), t_string!(i18n, frep.h_ageing).to_string()),
                item("/finance/reports/grni", t_string!(i18n, frep.t_grni).to_string(), t_string!(i18n, frep.h_grni).to_string()),
                item("/finance/reports/supplier-statement", t_string!(i18n, frep.t_statement).to_string(), t_string!(i18n, frep.h_statement).to_string()),
                item("/finance/reports/input-tax", t_string!(i18n, frep.t_input_tax).to_string(), t_string!(i18n, frep.h_input_tax).to_string()),
            ]}
        </ul>
    }
}

/// An "as of" form.
#[component]
fn AsOfForm(day: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Form method="GET" action="" attr:class=FORM>
            <div>
                <label for="rep-as-of" class=LABEL_CLASS>{t!(i18n, frep.as_of_label)}</label>
                <input id="rep-as-of" name="as_of" type="date" class=INPUT_CLASS value=day.to_string() />
            </div>
            <button type="submit" class=BUTTON_CLASS>{t!(i18n, frep.show)}</button>
        </Form>
    }
}

/// From and to inputs.
#[component]
fn SpanInputs(from: chrono::NaiveDate, to: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div>
            <label for="rep-from" class=LABEL_CLASS>{t!(i18n, frep.from)}</label>
            <input id="rep-from" name="from" type="date" class=INPUT_CLASS value=from.to_string() />
        </div>
        <div>
            <label for="rep-to" class=LABEL_CLASS>{t!(i18n, frep.to)}</label>
            <input id="rep-to" name="to" type="date" class=INPUT_CLASS value=to.to_string() />
        </div>
    }
}

/// `/finance/reports/ap-ageing`: per supplier the five buckets and the total, each supplier
/// leading to its statement.
#[component]
pub fn ApAgeingPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let as_of = query_value("as_of");
    let report = Resource::new(move || as_of().and_then(|d| parse_date(&d)), get_ap_ageing);
    let filters = Signal::derive(move || vec![("as_of", as_of())]);
    view! {
        <FinanceTabs />
        <ReportTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, frep.t_ageing)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let a = match report.await {
                    Ok(a) => a,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let c = a.currency.clone();
                let money = move |d: Decimal| format_money(d, &c, g);
                let day = a.as_of;
                let empty = a.rows.is_empty();
                let t = a.totals.clone();
                let cells = move |b: &crate::finance::payment::Buckets| {
                    [b.current, b.days_1_30, b.days_31_60, b.days_61_90, b.over_90, b.total]
                        .into_iter()
                        .map(|v| {
                            let shown = money(v);
                            view! { <td class=TD_NUM dir="ltr">{shown}</td> }
                        })
                        .collect_view()
                };
                view! {
                    <AsOfForm day=day />
                    <ReportDownloads path="/api/v1/reports/ap-ageing" filters=filters />
                    {empty.then(|| view! { <p class="mt-3 text-slate-700">{t!(i18n, frep.none)}</p> })}
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="ap-ageing">
                            <thead class="bg-slate-50"><tr>
                                <th scope="col" class=TH>{t!(i18n, frep.supplier)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.current)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.d1_30)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.d31_60)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.d61_90)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.over_90)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.total)}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100">
                                {a.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td class=TD><A href=format!("/finance/reports/supplier-statement?supplier_id={}&to={}", r.supplier_id, day) attr:class=DOC_LINK>{isolate_ltr_runs(&r.supplier)}</A></td>
                                        {cells(&r.buckets)}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot class="border-t-2 border-slate-300 bg-slate-50 font-semibold" data-testid="ageing-totals">
                                <tr><th scope="row" class=TH>{t!(i18n, frep.total)}</th>{cells(&t)}</tr>
                            </tfoot>
                        </table>
                    </div>
                }.into_any()
            })}
        </Transition>
    }
}

/// `/finance/reports/grni`: by order line, oldest first; the total beside the GRNI account's
/// balance.
#[component]
pub fn GrniPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let as_of = query_value("as_of");
    let report = Resource::new(move || as_of().and_then(|d| parse_date(&d)), get_grni);
    let filters = Signal::derive(move || vec![("as_of", as_of())]);
    view! {
        <FinanceTabs />
        <ReportTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, frep.t_grni)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let r = match report.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let c = r.currency.clone();
                let money = move |d: Decimal| format_money(d, &c, g);
                let equal = r.total == r.account_balance;
                let (total, balance, unallocated) = (money(r.total), money(r.account_balance), r.unallocated);
                let empty = r.rows.is_empty();
                let locale = i18n.get_locale_untracked();
                let (as_of, grand) = (r.as_of, money(r.total));
                view! {
                    <AsOfForm day=as_of />
                    <ReportDownloads path="/api/v1/reports/grni" filters=filters />
                    <dl class="mt-4 grid gap-3 sm:grid-cols-3" data-testid="grni-check">
                        <div class="rounded-lg border border-slate-200 bg-white p-3">
                            <dt class="text-sm text-slate-700">{t!(i18n, frep.grni_total)}</dt>
                            <dd class="text-xl font-semibold tabular-nums" dir="ltr" data-testid="grni-total">{total}</dd>
                        </div>
                        <div class="rounded-lg border border-slate-200 bg-white p-3">
                            <dt class="text-sm text-slate-700">{t!(i18n, frep.grni_account)}</dt>
                            <dd class="text-xl font-semibold tabular-nums" dir="ltr" data-testid="grni-account">{balance}</dd>
                        </div>
                        <div class="rounded-lg border border-slate-200 bg-white p-3">
                            <dt class="sr-only">{t!(i18n, frep.grni_account)}</dt>
                            <dd class=if equal { "text-lg font-semibold text-green-800" } else { "text-lg font-semibold text-red-800" }>
                                {move || if equal { t_string!(i18n, frep.equal).to_string() } else { t_string!(i18n, frep.differs).to_string() }}
                            </dd>
                        </div>
                    </dl>
                    {empty.then(|| view! { <p class="mt-3 text-slate-700">{t!(i18n, frep.none)}</p> })}
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="grni">
                            <thead class="bg-slate-50"><tr>
                                <th scope="col" class=TH>{t!(i18n, frep.oldest)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.po)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.supplier)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.description)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.received)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.value)}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100">
                                {r.rows.into_iter().map(|row| {
                                    let po = row.purchase_order.clone().unwrap_or_default();
                                    let href = row.purchase_order_id.map(|id| format!("/procurement/orders/{id}")).unwrap_or_default();
                                    let received = row.received_quantity.map(|q| format!("{} {}", format_quantity(q, g), row.unit.clone().unwrap_or_default())).unwrap_or_default();
                                    view! {
                                        <tr>
                                            <td class=TD>{format_date(row.oldest, locale)}</td>
                                            <td class=TD><A href=href attr:class=DOC_LINK attr:dir="ltr">{po}</A></td>
                                            <td class=TD>{isolate_ltr_runs(&row.supplier.clone().unwrap_or_default())}</td>
                                            <td class=TD>{isolate_ltr_runs(&row.description.clone().unwrap_or_default())}</td>
                                            <td class=TD_NUM dir="ltr">{received}</td>
                                            <td class=TD_NUM dir="ltr">{money(row.value)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                                {(!unallocated.is_zero()).then(|| view! {
                                    <tr><td class=TD colspan="5">{t!(i18n, frep.unallocated)}</td><td class=TD_NUM dir="ltr">{money(unallocated)}</td></tr>
                                })}
                            </tbody>
                            <tfoot class="border-t-2 border-slate-300 bg-slate-50 font-semibold">
                                <tr><th scope="row" colspan="5" class=TH>{t!(i18n, frep.total)}</th><td class=TD_NUM dir="ltr">{grand}</td></tr>
                            </tfoot>
                        </table>
                    </div>
                }.into_any()
            })}
        </Transition>
    }
}

/// Where a ledger or statement line leads: the supplier invoice's page for an invoice, the journal
/// of that day and source otherwise (the entry among the few the day's source made).
fn document_href(source: &str, source_id: Option<Uuid>, date: chrono::NaiveDate) -> String {
    match (source, source_id) {
        ("supplier_invoice", Some(id)) => format!("/finance/invoices/{id}"),
        _ => format!("/finance/journal?from={date}&to={date}&source={source}"),
    }
}

/// `/finance/reports/general-ledger`: an account's opening, each line with the running balance
/// and a link to its document, the closing.
#[component]
pub fn GeneralLedgerPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let account = query_value("account_id");
    let from = query_value("from");
    let to = query_value("to");
    let page = query_value("page");
    let accounts = Resource::new(|| (), |_| list_accounts());
    let report = Resource::new(
        move || {
            (
                account().and_then(|a| Uuid::parse_str(&a).ok()),
                from().and_then(|d| parse_date(&d)),
                to().and_then(|d| parse_date(&d)),
                page().and_then(|p| p.parse::<u32>().ok()).unwrap_or(1),
            )
        },
        |(a, f, t, p)| async move {
            match a {
                Some(_) => get_general_ledger(a, f, t, p).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let filters =
        Signal::derive(move || vec![("account_id", account()), ("from", from()), ("to", to())]);
    view! {
        <FinanceTabs />
        <ReportTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, frep.t_gl)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let chart = accounts.await.unwrap_or_default();
                let gl = match report.await {
                    Ok(gl) => gl,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let chosen = gl.as_ref().map(|gl| gl.account.id);
                let has = gl.is_some();
                let (f, t) = gl.as_ref().map(|gl| (gl.from, gl.to)).unwrap_or_default();
                let form = view! {
                    <Form method="GET" action="" attr:class=FORM>
                        <div>
                            <label for="rep-account" class=LABEL_CLASS>{t!(i18n, frep.account)}</label>
                            <select id="rep-account" name="account_id" class=INPUT_CLASS required>
                                <option value="" selected=chosen.is_none()>{t!(i18n, frep.choose)}</option>
                                {chart.into_iter().filter(|a| !a.is_group).map(|a| view! {
                                    <option value=a.id.to_string() selected=chosen == Some(a.id)>{format!("{} — {}", a.code, a.name)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        {has.then(|| view! { <SpanInputs from=f to=t /> })}
                        <button type="submit" class=BUTTON_CLASS>{t!(i18n, frep.show)}</button>
                    </Form>
                };
                let Some(gl) = gl else {
                    return view! { {form} <p class="mt-3 text-slate-700">{t!(i18n, frep.pick_account)}</p> }.into_any();
                };
                let c = gl.currency.clone();
                let (c1, c2, c3) = (c.clone(), c.clone(), c.clone());
                let locale = i18n.get_locale_untracked();
                let (opening, closing) = (gl.opening, gl.closing);
                let (debit, credit) = (format_money(gl.debit, &c, g), format_money(gl.credit, &c, g));
                let shown = gl.lines.len() as u64;
                let more = gl.total > shown && gl.page == 1;
                let (total, first) = (gl.total, shown);
                let (gl_from, gl_to) = (gl.from, gl.to);
                view! {
                    {form}
                    <ReportDownloads path="/api/v1/reports/general-ledger" filters=filters />
                    {more.then(|| view! { <p class="mt-2 text-sm text-slate-700">{move || t_string!(i18n, frep.more_lines, shown = first, total = total).to_string()}</p> })}
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="general-ledger">
                            <thead class="bg-slate-50"><tr>
                                <th scope="col" class=TH>{t!(i18n, frep.date)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.entry)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.narration)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.debit)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.credit)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.balance)}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100">
                                <tr class="bg-slate-50">
                                    <td class=TD>{format_date(gl_from, locale)}</td>
                                    <td class=TD></td>
                                    <th scope="row" class=TH>{t!(i18n, frep.opening_balance)}</th>
                                    <td class=TD_NUM></td><td class=TD_NUM></td>
                                    <td class=TD_NUM dir="ltr" data-testid="gl-opening">{move || dr_cr(i18n, opening, &c1, g)}</td>
                                </tr>
                                {gl.lines.into_iter().map(|l| {
                                    let cur = c2.clone();
                                    let balance = l.balance;
                                    view! {
                                        <tr>
                                            <td class=TD>{format_date(l.date, locale)}</td>
                                            <td class=TD><A href=document_href(&l.source, l.source_id, l.date) attr:class=DOC_LINK attr:dir="ltr">{l.number.clone()}</A></td>
                                            <td class=TD>{isolate_ltr_runs(&l.narration)}</td>
                                            <td class=TD_NUM dir="ltr">{amount_or_blank(l.debit, &cur, g)}</td>
                                            <td class=TD_NUM dir="ltr">{amount_or_blank(l.credit, &cur, g)}</td>
                                            <td class=TD_NUM dir="ltr">{move || dr_cr(i18n, balance, &cur, g)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                            <tfoot class="border-t-2 border-slate-300 bg-slate-50 font-semibold">
                                <tr>
                                    <td class=TD>{format_date(gl_to, locale)}</td>
                                    <td class=TD></td>
                                    <th scope="row" class=TH>{t!(i18n, frep.closing_balance)}</th>
                                    <td class=TD_NUM dir="ltr">{debit}</td>
                                    <td class=TD_NUM dir="ltr">{credit}</td>
                                    <td class=TD_NUM dir="ltr" data-testid="gl-closing">{move || dr_cr(i18n, closing, &c3, g)}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                }.into_any()
            })}
        </Transition>
    }
}

/// `/finance/reports/supplier-statement`: a supplier's opening, invoices, payments and
/// reversals with the running balance, and the closing.
#[component]
pub fn SupplierStatementPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let supplier = query_value("supplier_id");
    let from = query_value("from");
    let to = query_value("to");
    let suppliers = Resource::new(|| (), |_| statement_suppliers());
    let report = Resource::new(
        move || {
            (
                supplier().and_then(|a| Uuid::parse_str(&a).ok()),
                from().and_then(|d| parse_date(&d)),
                to().and_then(|d| parse_date(&d)),
            )
        },
        |(s, f, t)| async move {
            match s {
                Some(_) => get_supplier_statement(s, f, t).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let filters =
        Signal::derive(move || vec![("supplier_id", supplier()), ("from", from()), ("to", to())]);
    view! {
        <FinanceTabs />
        <ReportTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, frep.t_statement)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let list = suppliers.await.unwrap_or_default();
                let st = match report.await {
                    Ok(st) => st,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let chosen = st.as_ref().map(|s| s.supplier_id);
                let has = st.is_some();
                let (f, t) = st.as_ref().map(|s| (s.from, s.to)).unwrap_or_default();
                let form = view! {
                    <Form method="GET" action="" attr:class=FORM>
                        <div>
                            <label for="rep-supplier" class=LABEL_CLASS>{t!(i18n, frep.supplier)}</label>
                            <select id="rep-supplier" name="supplier_id" class=INPUT_CLASS required>
                                <option value="" selected=chosen.is_none()>{t!(i18n, frep.choose)}</option>
                                {list.into_iter().map(|(id, code, name)| view! {
                                    <option value=id.to_string() selected=chosen == Some(id)>{format!("{code} — {name}")}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        {has.then(|| view! { <SpanInputs from=f to=t /> })}
                        <button type="submit" class=BUTTON_CLASS>{t!(i18n, frep.show)}</button>
                    </Form>
                };
                let Some(st) = st else {
                    return view! { {form} <p class="mt-3 text-slate-700">{t!(i18n, frep.pick_supplier)}</p> }.into_any();
                };
                let c = st.currency.clone();
                let money = move |d: Decimal| format_money(d, &c, g);
                let locale = i18n.get_locale_untracked();
                let (st_from, st_to) = (st.from, st.to);
                let (opening, paid, invoiced, closing) = (money(st.opening), money(st.paid), money(st.invoiced), money(st.closing));
                let who = match &st.gstin {
                    Some(gstin) => format!("{} ({}) · GSTIN {gstin}", st.supplier, st.supplier_code),
                    None => format!("{} ({})", st.supplier, st.supplier_code),
                };
                view! {
                    {form}
                    <ReportDownloads path="/api/v1/reports/supplier-statement" filters=filters />
                    <p class="mt-3 font-semibold">{isolate_ltr_runs(&who)}</p>
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="supplier-statement">
                            <thead class="bg-slate-50"><tr>
                                <th scope="col" class=TH>{t!(i18n, frep.date)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.kind)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.document)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.reference)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.debit)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.credit)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.balance)}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100">
                                <tr class="bg-slate-50">
                                    <td class=TD>{format_date(st_from, locale)}</td>
                                    <th scope="row" colspan="5" class=TH>{t!(i18n, frep.opening_balance)}</th>
                                    <td class=TD_NUM dir="ltr">{opening}</td>
                                </tr>
                                {st.lines.into_iter().map(|l| {
                                    let source = match l.kind.as_str() {
                                        "invoice" => "supplier_invoice",
                                        "payment" => "payment",
                                        "reversal" => "reversal",
                                        _ => "manual",
                                    };
                                    let href = document_href(source, l.document_id, l.date);
                                    let kind = l.kind.clone();
                                    view! {
                                        <tr>
                                            <td class=TD>{format_date(l.date, locale)}</td>
                                            <td class=TD>{move || kind_label(i18n, &kind)}</td>
                                            <td class=TD><A href=href attr:class=DOC_LINK attr:dir="ltr">{l.document.clone()}</A></td>
                                            <td class=TD>{isolate_ltr_runs(&l.reference.clone().unwrap_or_default())}</td>
                                            <td class=TD_NUM dir="ltr">{if l.debit.is_zero() { String::new() } else { money(l.debit) }}</td>
                                            <td class=TD_NUM dir="ltr">{if l.credit.is_zero() { String::new() } else { money(l.credit) }}</td>
                                            <td class=TD_NUM dir="ltr">{money(l.balance)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                            <tfoot class="border-t-2 border-slate-300 bg-slate-50 font-semibold">
                                <tr>
                                    <td class=TD>{format_date(st_to, locale)}</td>
                                    <th scope="row" colspan="3" class=TH>{t!(i18n, frep.closing_balance)}</th>
                                    <td class=TD_NUM dir="ltr">{paid}</td>
                                    <td class=TD_NUM dir="ltr">{invoiced}</td>
                                    <td class=TD_NUM dir="ltr" data-testid="statement-closing">{closing}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                }.into_any()
            })}
        </Transition>
    }
}

fn kind_label(i18n: super::I18n, kind: &str) -> String {
    match kind {
        "invoice" => t_string!(i18n, frep.k_invoice),
        "payment" => t_string!(i18n, frep.k_payment),
        "reversal" => t_string!(i18n, frep.k_reversal),
        _ => t_string!(i18n, frep.k_other),
    }
    .to_string()
}

/// `/finance/reports/input-tax`: GST input by supplier GSTIN and rate, by head and rate, the
/// totals beside the GST input accounts' movements.
#[component]
pub fn InputTaxPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let from = query_value("from");
    let to = query_value("to");
    let report = Resource::new(
        move || {
            (
                from().and_then(|d| parse_date(&d)),
                to().and_then(|d| parse_date(&d)),
            )
        },
        |(f, t)| get_input_tax(f, t),
    );
    let filters = Signal::derive(move || vec![("from", from()), ("to", to())]);
    view! {
        <FinanceTabs />
        <ReportTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, frep.t_input_tax)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let r = match report.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let c = r.currency.clone();
                let c2 = r.currency.clone();
                let money = move |d: Decimal| format_money(d, &c, g);
                let heads = move |h: &crate::finance::statement::TaxHeads| {
                    [h.cgst, h.sgst, h.igst, h.total]
                        .into_iter()
                        .map(|v| {
                            let shown = format_money(v, &c2, g);
                            view! { <td class=TD_NUM dir="ltr">{shown}</td> }
                        })
                        .collect_view()
                };
                let taxable: Decimal = r.rows.iter().map(|x| x.taxable).sum();
                let empty = r.rows.is_empty();
                let head_name = |h: &str| h.to_ascii_uppercase();
                let (r_from, r_to, totals, accounts) = (r.from, r.to, r.totals.clone(), r.accounts.clone());
                let by_head = r.by_head.clone();
                view! {
                    <Form method="GET" action="" attr:class=FORM>
                        <SpanInputs from=r_from to=r_to />
                        <button type="submit" class=BUTTON_CLASS>{t!(i18n, frep.show)}</button>
                    </Form>
                    <ReportDownloads path="/api/v1/reports/input-tax" filters=filters />
                    {empty.then(|| view! { <p class="mt-3 text-slate-700">{t!(i18n, frep.none)}</p> })}
                    <h2 class="mt-6 text-lg font-semibold">{t!(i18n, frep.by_supplier)}</h2>
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="input-tax">
                            <thead class="bg-slate-50"><tr>
                                <th scope="col" class=TH>{t!(i18n, frep.supplier)}</th>
                                <th scope="col" class=TH>{t!(i18n, frep.gstin)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.rate)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.taxable)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.cgst)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.sgst)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.igst)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.total)}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100">
                                {r.rows.into_iter().map(|x| view! {
                                    <tr>
                                        <td class=TD>{isolate_ltr_runs(&x.supplier)}</td>
                                        <td class=TD><span class="font-mono" dir="ltr">{x.gstin.clone().unwrap_or_default()}</span></td>
                                        <td class=TD_NUM dir="ltr">{format!("{}%", x.rate.normalize())}</td>
                                        <td class=TD_NUM dir="ltr">{money(x.taxable)}</td>
                                        {heads(&x.tax)}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot class="border-t-2 border-slate-300 bg-slate-50 font-semibold">
                                <tr data-testid="input-tax-totals"><th scope="row" colspan="3" class=TH>{t!(i18n, frep.total)}</th><td class=TD_NUM dir="ltr">{money(taxable)}</td>{heads(&totals)}</tr>
                                <tr data-testid="input-tax-accounts"><th scope="row" colspan="4" class=TH>{t!(i18n, frep.accounts_movement)}</th>{heads(&accounts)}</tr>
                            </tfoot>
                        </table>
                    </div>
                    <h2 class="mt-6 text-lg font-semibold">{t!(i18n, frep.by_head)}</h2>
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="input-tax-heads">
                            <thead class="bg-slate-50"><tr>
                                <th scope="col" class=TH>{t!(i18n, frep.head)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.rate)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.taxable)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, frep.total)}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-100">
                                {by_head.into_iter().map(|h| view! {
                                    <tr>
                                        <td class=TD dir="ltr">{head_name(&h.head)}</td>
                                        <td class=TD_NUM dir="ltr">{format!("{}%", h.rate.normalize())}</td>
                                        <td class=TD_NUM dir="ltr">{money(h.taxable)}</td>
                                        <td class=TD_NUM dir="ltr">{money(h.tax)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </Transition>
    }
}
