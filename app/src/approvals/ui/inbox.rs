//! "My approvals": what waits for the caller (also as a delegate), oldest first, overdue marked,
//! with approve-in-bulk.
use crate::approvals::api::{decide_document, pending_approvals};
use crate::approvals::model::Action as Decision;
use crate::format::{format_date, format_money};
use crate::i18n::*;
use crate::platform::ui::widgets::{stage_label, tenant_grouping, use_user_resource, BUTTON_CLASS};
use leptos::prelude::*;
use leptos_router::components::A;
use std::collections::BTreeSet;
use uuid::Uuid;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let user = use_user_resource();
    let i18n = use_i18n();
    let selected = RwSignal::new(BTreeSet::<(String, Uuid)>::new());
    // each document is decided by its own kind's service, through the registry
    let bulk = Action::new(move |docs: &Vec<(String, Uuid)>| {
        let docs = docs.clone();
        async move {
            for (doc_type, id) in docs {
                decide_document(doc_type, id, Decision::Approve, None).await?;
            }
            Ok::<(), crate::error::AppError>(())
        }
    });
    let items = Resource::new(move || bulk.version().get(), |_| pending_approvals());
    let bulk_error = move || bulk.value().get().and_then(|r| r.err());
    view! {
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, inbox.title)}</h1>
            <A href="/approvals/delegations" attr:class="rounded-md border border-slate-400 px-3 py-1.5 text-sm font-medium hover:bg-slate-100">{t!(i18n, nav.delegations)}</A>
        </div>
        {move || bulk_error().map(|e| view! { <div role="alert" class="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">{e.message(i18n.get_locale())}</div> })}
        <Transition>
            {move || Suspend::new(async move {
                let grouping = tenant_grouping(&user.await);
                let list = items.await.unwrap_or_default();
                if list.is_empty() {
                    return view! { <p class="mt-4 text-slate-700">{t!(i18n, inbox.none)}</p> }.into_any();
                }
                view! {
                    <ul class="mt-4 space-y-3" data-testid="inbox">
                        {list.into_iter().map(|p| {
                            let key = (p.doc_type.clone(), p.doc_id);
                            let href = p.href.clone();
                            let overdue = p.overdue;
                            let since = p.waiting_since.date_naive();
                            let number = p.number.clone();
                            view! {
                                <li class="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3">
                                    // the box shows the selection, so an approved row's box does not
                                    // stay ticked on the row that takes its place
                                    <input type="checkbox" class="h-5 w-5"
                                        prop:checked={let key = key.clone(); move || selected.with(|s| s.contains(&key))}
                                        aria-label=move || t_string!(i18n, inbox.select, number = number.clone()).to_string()
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|s| { if on { s.insert(key.clone()); } else { s.remove(&key); } });
                                        } />
                                    <div class="min-w-0 flex-1">
                                        <div class="flex flex-wrap items-baseline gap-x-2">
                                            <A href=href attr:class="font-semibold text-blue-800 underline">{p.number.clone()}</A>
                                            <span class="text-slate-700">{p.requester.clone()}</span>
                                        </div>
                                        <p class="text-sm text-slate-700">
                                            {let stage = p.stage_name.clone(); move || stage_label(i18n.get_locale(), &stage)}" · "{t!(i18n, inbox.waiting)}" "{move || format_date(since, i18n.get_locale())}
                                            {p.on_behalf_of.clone().map(|b| view! { " · "{move || t_string!(i18n, req.on_behalf, name = b.clone()).to_string()} })}
                                        </p>
                                    </div>
                                    {overdue.then(|| view! { <span class="rounded bg-red-100 px-2 py-0.5 text-sm text-red-900">{t!(i18n, inbox.overdue)}</span> })}
                                    <span class="font-semibold tabular-nums" dir="ltr">{format_money(p.total, &p.currency, grouping)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button type="button" class=format!("{BUTTON_CLASS} mt-4") disabled=move || selected.with(|s| s.is_empty()) || bulk.pending().get()
                        on:click=move |_| { bulk.dispatch(selected.get_untracked().into_iter().collect()); selected.set(BTreeSet::new()); }>
                        {t!(i18n, inbox.approve_selected)}
                    </button>
                }.into_any()
            })}
        </Transition>
    }
}
