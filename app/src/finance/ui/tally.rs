//! `/finance/tally`: the TallyPrime export — a span (the service's default: the fiscal year so
//! far) and a download of `GET /api/v1/exports/tally` as a plain form (the browser saves the
//! attachment and stays on the page), with how an accountant imports the file.
use super::{parse_date, FinanceTabs, SECTION};
use crate::error::AppError;
use crate::i18n::*;
use crate::platform::ui::widgets::{ErrorDetails, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The span an export covers (defaults: the fiscal year so far); 403 for who may not export.
#[server(prefix = "/sfn", endpoint = "tally_span", input = server_fn::codec::GetUrl)]
pub async fn tally_span(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::finance::service::tally::span(tx, ctx, from, to))
    })
    .await
}

#[component]
pub fn TallyPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &str| {
        query
            .read()
            .get(k)
            .filter(|v| !v.is_empty())
            .and_then(|d| parse_date(&d))
    };
    let span = Resource::new(move || (get("from"), get("to")), |(f, t)| tally_span(f, t));
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, ftally.title)}</h1>
        <p class="mt-1 max-w-prose text-sm text-slate-700">{t!(i18n, ftally.intro)}</p>
        <Transition>
            {move || Suspend::new(async move {
                let (from, to) = match span.await {
                    Ok(s) => s,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let from_v = RwSignal::new(from.to_string());
                let to_v = RwSignal::new(to.to_string());
                let bad = move || {
                    matches!((parse_date(&from_v.get()), parse_date(&to_v.get())), (Some(f), Some(t)) if t < f)
                };
                view! {
                    // a plain form: the browser asks the REST endpoint and saves its attachment
                    <form method="GET" action="/api/v1/exports/tally" data-testid="tally-form"
                        class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
                        <div>
                            <label for="tally-from" class=LABEL_CLASS>{t!(i18n, ftally.from)}</label>
                            <input id="tally-from" name="from" type="date" class=INPUT_CLASS required=true
                                prop:value=move || from_v.get()
                                on:input=move |ev| from_v.set(event_target_value(&ev)) />
                        </div>
                        <div>
                            <label for="tally-to" class=LABEL_CLASS>{t!(i18n, ftally.to)}</label>
                            <input id="tally-to" name="to" type="date" class=INPUT_CLASS required=true
                                min=move || from_v.get()
                                aria-invalid=move || bad().to_string()
                                aria-describedby="tally-span-help"
                                prop:value=move || to_v.get()
                                on:input=move |ev| to_v.set(event_target_value(&ev)) />
                        </div>
                        <button type="submit" class=BUTTON_CLASS disabled=bad data-testid="tally-download">
                            {t!(i18n, ftally.download)}
                        </button>
                        <p id="tally-span-help" class="w-full text-sm text-slate-700">{t!(i18n, ftally.span_help)}</p>
                        <Show when=bad>
                            <p class="w-full text-sm font-medium text-red-800" role="alert">{t!(i18n, ftally.bad_span)}</p>
                        </Show>
                    </form>
                }.into_any()
            })}
        </Transition>
        <section class=SECTION>
            <h2 class="text-lg font-semibold">{t!(i18n, ftally.how_title)}</h2>
            <ol class="mt-2 list-decimal space-y-1 ps-6 text-sm text-slate-800">
                <li>{t!(i18n, ftally.step1)}</li>
                <li>{t!(i18n, ftally.step2)}</li>
                <li>{t!(i18n, ftally.step3)}</li>
            </ol>
            <p class="mt-3 max-w-prose text-sm text-slate-700">{t!(i18n, ftally.mapping)}</p>
        </section>
    }
}
