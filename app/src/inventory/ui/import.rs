//! The CSV import of items: the upload form (which works without JavaScript) and a job's page
//! with its progress bar and its errors by line and column.
use crate::error::AppError;
use crate::format::{format_count, format_date};
use crate::i18n::*;
use crate::inventory::api::{load_import_job, recent_imports};
use crate::inventory::model::import::ImportJob;
use crate::inventory::ui::InventoryTabs;
use crate::platform::ui::widgets::{
    tenant_grouping, use_id_param, use_user_resource, ErrorDetails, BUTTON_CLASS, INPUT_CLASS,
    LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-4";
const TH: &str = "px-3 py-2 text-start font-medium";
const TD: &str = "px-3 py-2";

/// `/inventory/import`: upload a CSV (a plain multipart form, so it works without JavaScript) and
/// see recent imports.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = move || {
        query
            .read()
            .get("error")
            .and_then(|c| AppError::from_code(&c))
    };
    let recent = Resource::new(|| (), |_| recent_imports());
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, imp.title)}</h1>
        <p class="mt-2 max-w-prose text-sm text-slate-700">{t!(i18n, imp.intro)}</p>
        <p class="mt-1 max-w-prose text-sm text-slate-700">{t!(i18n, material.import_hint)}</p>
        <pre class="mt-2 overflow-x-auto rounded bg-slate-100 p-2 text-xs" dir="ltr">"sku,unit,name_en,name_hi,category,reorder_level,reorder_quantity,serialised,material_type,specs\nBRG-6205,pcs,Deep groove ball bearing 6205,डीप ग्रूव बॉल बेयरिंग,BRG,20,100,no,SP,bore=25 mm; seal=2RS"</pre>
        {move || error().map(|e| view! { <ErrorDetails error=e /> })}
        <Transition>
            {move || Suspend::new(async move {
                // one who may not import is told so (the page answers 403), not shown the form
                let list = match recent.await {
                    Ok(list) => list,
                    Err(e) => return view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                };
                view! {
                    <form method="post" action="/inventory/import/upload" enctype="multipart/form-data" class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" data-testid="import-form">
                        <div class="min-w-[14rem] flex-1">
                            <label for="csv" class=LABEL_CLASS>{t!(i18n, imp.file)}</label>
                            <input id="csv" name="file" type="file" accept=".csv,text/csv" required class=INPUT_CLASS />
                        </div>
                        <button type="submit" class=BUTTON_CLASS>{t!(i18n, imp.upload)}</button>
                    </form>
                    <h2 class="mt-6 font-semibold">{t!(i18n, imp.recent)}</h2>
                    <ul class="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm">
                        {list.into_iter().map(|j| { let st = j.status.clone(); let day = j.created_at.date_naive(); view! {
                            <li class="flex flex-wrap justify-between gap-2 p-3">
                                <A href=format!("/inventory/import/{}", j.id) attr:class="text-blue-900 underline">{j.file_name.clone()}</A>
                                <span>{move || format_date(day, i18n.get_locale())}</span>
                                <span>{move || status_label(i18n, &st)}</span>
                            </li>
                        }}).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}

fn status_label(i18n: leptos_i18n::I18nContext<Locale>, s: &str) -> String {
    match s {
        "queued" => t_string!(i18n, imp.status_queued).to_string(),
        "running" => t_string!(i18n, imp.status_running).to_string(),
        "succeeded" => t_string!(i18n, imp.status_succeeded).to_string(),
        _ => t_string!(i18n, imp.status_failed).to_string(),
    }
}

fn phase_label(i18n: leptos_i18n::I18nContext<Locale>, s: &str) -> String {
    match s {
        "checking" => t_string!(i18n, imp.phase_checking).to_string(),
        "writing" => t_string!(i18n, imp.phase_writing).to_string(),
        _ => t_string!(i18n, imp.phase_reading).to_string(),
    }
}

/// `/inventory/import/{id}`: the progress bar (read again every 700 ms until the import ends),
/// then the outcome and every error by line.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let tick = RwSignal::new(0u32);
    let finished = RwSignal::new(false);
    // polling starts once the server-rendered result has hydrated: a newer result arriving first
    // would not match the HTML it hydrates
    let ready = RwSignal::new(false);
    let user = use_user_resource();
    let job = Resource::new(
        move || (id(), tick.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_import_job(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    Effect::new(move |_| {
        if let Ok(h) = set_interval_with_handle(
            move || {
                // (after leaving the page the signals are gone: try_, never panic)
                if finished.try_get_untracked() == Some(false)
                    && ready.try_get_untracked() == Some(true)
                {
                    tick.try_update(|t| *t += 1);
                }
            },
            std::time::Duration::from_millis(700),
        ) {
            on_cleanup(move || h.clear());
        }
    });
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, imp.title)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let j: ImportJob = match job.await {
                    Ok(j) => j,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let grouping = tenant_grouping(&user.await);
                let ended = matches!(j.status.as_str(), "succeeded" | "failed");
                Effect::new(move |_| {
                    ready.try_set(true);
                });
                if ended {
                    finished.try_set(true);
                }
                let st = j.status.clone();
                let phase = j.phase.clone();
                let (processed, total, imported, errors) = (j.processed, j.total.max(j.processed), j.imported, j.error_count);
                let shown = j.errors.len() as u64;
                let count = move |n: u64| format_count(n, grouping);
                view! {
                    <section class=SECTION data-testid="import-job" data-status=j.status.clone()>
                        <p class="font-medium">{j.file_name.clone()}</p>
                        <p class="mt-1 text-sm" role="status">{move || match &phase {
                            // one text node: a status and an optional phase side by side do not hydrate reliably
                            Some(p) => format!("{} · {}", status_label(i18n, &st), phase_label(i18n, p)),
                            None => status_label(i18n, &st),
                        }}</p>
                        <progress class="mt-3 h-3 w-full" max=total.max(1).to_string() value=processed.to_string() aria-label=move || t_string!(i18n, imp.progress, processed = count(processed), total = count(total)).to_string()></progress>
                        <p class="mt-1 text-sm tabular-nums">{move || t_string!(i18n, imp.progress, processed = count(processed), total = count(total)).to_string()}</p>
                        {(j.status == "succeeded").then(|| view! {
                            <p class="mt-3 rounded bg-green-50 p-2 text-green-900" data-testid="import-done">{move || t_string!(i18n, imp.done, count = count(imported)).to_string()}</p>
                            <A href="/inventory" attr:class="mt-2 inline-block text-blue-900 underline">{t!(i18n, inv.title)}</A>
                        })}
                        {(j.status == "failed").then(|| view! {
                            <p class="mt-3 rounded bg-red-50 p-2 text-red-900">{t!(i18n, imp.failed)}</p>
                            <h2 class="mt-4 font-semibold">{move || t_string!(i18n, imp.errors, count = count(errors)).to_string()}</h2>
                            {(errors > shown).then(|| view! { <p class="text-sm text-slate-700">{t!(i18n, imp.more_errors)}</p> })}
                            <div class="mt-2 overflow-x-auto">
                                <table class="min-w-full text-sm" data-testid="import-errors">
                                    <thead class="bg-slate-50"><tr><th class=TH>{t!(i18n, imp.line)}</th><th class=TH>{t!(i18n, imp.column)}</th><th class=TH>{t!(i18n, imp.problem)}</th></tr></thead>
                                    <tbody class="divide-y divide-slate-200">
                                        {j.errors.iter().map(|e| view! {
                                            <tr><td class=format!("{TD} tabular-nums")>{(e.line > 0).then(|| e.line.to_string())}</td><td class=TD><code dir="ltr">{e.column.clone()}</code></td><td class=TD>{e.message.clone()}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <A href="/inventory/import" attr:class="mt-3 inline-block text-blue-900 underline">{t!(i18n, imp.again)}</A>
                        })}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
