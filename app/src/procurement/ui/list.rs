//! The requisition list: filters in the URL (so they survive reload and work without JavaScript),
//! newest first, paginated.
use super::labels;
use crate::format::{format_date, format_money};
use crate::i18n::*;
use crate::platform::export::ui::ExportLinks;
use crate::platform::ui::widgets::{
    tenant_grouping, use_user_resource, Pager, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use crate::procurement::api::list_requisitions;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

/// Resources are created here, at the top of the page, and awaited inside one `Suspend`: created
/// inside a suspended child they would not hydrate.
#[component]
pub fn RequisitionsPage() -> impl IntoView {
    let user = use_user_resource();
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let mine = move || {
        query
            .read()
            .get("mine")
            .is_some_and(|v| v == "on" || v == "true")
    };
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let rows = Resource::new(
        move || (status(), mine(), q(), page()),
        |(status, mine, q, page)| list_requisitions(Some(status), mine, Some(q), page),
    );
    view! {
        <super::nav::ProcurementTabs />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, req.title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let can_create = matches!(user.await, Ok(Some(u)) if u.can("requisition:create"));
                    can_create.then(|| view! { <A href="/procurement/requisitions/new" attr:class=BUTTON_CLASS>{t!(i18n, req.new)}</A> })
                })}
            </Suspense>
        </div>
        <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
            <div class="min-w-[12rem] flex-1">
                <label for="f-q" class=LABEL_CLASS>{t!(i18n, req.search)}</label>
                <input id="f-q" name="q" type="search" class=INPUT_CLASS value=q />
            </div>
            <div>
                <label for="f-status" class=LABEL_CLASS>{t!(i18n, req.status)}</label>
                <select id="f-status" name="status" class=INPUT_CLASS>
                    <option value="">{t!(i18n, req.any_status)}</option>
                    {labels::ALL_STATUSES.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str() selected=move || status() == s.as_str()>{move || labels::status(i18n.get_locale(), s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <label class="flex items-center gap-2 pb-2 text-sm">
                <input type="checkbox" name="mine" checked=mine class="h-4 w-4" />
                {t!(i18n, req.mine)}
            </label>
            <button type="submit" class=BUTTON_CLASS>{t!(i18n, req.filter)}</button>
        </Form>
        <div class="mt-3">
            <ExportLinks path="/api/v1/requisitions" testid="export-requisitions"
                filters=Signal::derive(move || vec![("status", Some(status())), ("mine", mine().then(|| "true".to_string())), ("q", Some(q()))]) />
        </div>
        <Transition>
            {move || Suspend::new(async move {
                let grouping = tenant_grouping(&user.await);
                let Ok(page_rows) = rows.await else { return view! { <p role="alert">{t!(i18n, errors.internal)}</p> }.into_any() };
                if page_rows.rows.is_empty() {
                    return view! { <p class="mt-6 text-slate-700">{t!(i18n, req.none)}</p> }.into_any();
                }
                let pages = page_rows.total.div_ceil(page_rows.per_page as u64).max(1);
                let current = page_rows.page;
                let link = move |p: u32| {
                    let mut parts = vec![format!("page={p}")];
                    if !q().is_empty() { parts.push(format!("q={}", q())); }
                    if !status().is_empty() { parts.push(format!("status={}", status())); }
                    if mine() { parts.push("mine=on".into()); }
                    format!("?{}", parts.join("&"))
                };
                view! {
                    <div class="mt-4 overflow-x-auto">
                        <table class="min-w-full border border-slate-200 bg-white text-sm">
                            <thead class="bg-slate-100">
                                <tr>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, req.number)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, req.status)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, req.requester)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, req.total)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, req.needed_by)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, req.created)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page_rows.rows.into_iter().map(|r| {
                                    let created = r.created_at.date_naive();
                                    let needed = r.needed_by;
                                    view! {
                                        <tr class="border-t border-slate-200">
                                            <td class="px-3 py-2 font-medium">
                                                <A href=format!("/procurement/requisitions/{}", r.id) attr:class="text-blue-800 underline">{r.number.clone()}</A>
                                            </td>
                                            <td class="px-3 py-2">
                                                <span class=format!("rounded px-2 py-0.5 text-xs {}", labels::status_class(r.status))>
                                                    {move || labels::status(i18n.get_locale(), r.status)}
                                                </span>
                                            </td>
                                            <td class="px-3 py-2">{r.requester.clone()}</td>
                                            <td class="px-3 py-2 text-end tabular-nums" dir="ltr">{format_money(r.total, &r.currency, grouping)}</td>
                                            <td class="px-3 py-2">{move || needed.map(|d| format_date(d, i18n.get_locale())).unwrap_or_else(|| "—".to_string())}</td>
                                            <td class="px-3 py-2">{move || format_date(created, i18n.get_locale())}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager current=current pages=pages
                        prev=(current > 1).then(|| link(current - 1))
                        next=((current as u64) < pages).then(|| link(current + 1)) />
                }.into_any()
            })}
        </Transition>
    }
}
