//! "Where you're signed in": the caller's sessions (device, IP, when signed in and last seen,
//! which one is this), each other one with a button that ends it.
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::sessions::api::{list_sessions, EndSession};
use crate::platform::sessions::{device, SessionView};
use crate::platform::ui::widgets::{action_error, FormError};
use leptos::form::ActionForm;
use leptos::prelude::*;

fn when(at: chrono::NaiveDateTime, locale: Locale) -> String {
    format!("{} {}", format_date(at.date(), locale), at.format("%H:%M"))
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(move || end.version().get(), |_| list_sessions());
    let ended = end.value();
    let error = action_error(ended);
    let done = move || matches!(ended.get(), Some(Ok(())));
    view! {
        <h1 class="text-2xl font-semibold">{t!(i18n, reset.sessions_title)}</h1>
        <p class="mt-2 max-w-2xl text-slate-700">{t!(i18n, reset.sessions_intro)}</p>
        <Show when=done>
            <p role="status" class="mt-4 max-w-xl rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, reset.ended)}</p>
        </Show>
        <div class="mt-4 max-w-xl"><FormError error=error /></div>
        <Transition>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(list) => view! {
                        <ul class="mt-4 max-w-2xl space-y-3" data-testid="sessions">
                            {list.into_iter().map(|s| view! { <SessionItem s=s end=end /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <FormError error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SessionItem(s: SessionView, end: ServerAction<EndSession>) -> impl IntoView {
    let i18n = use_i18n();
    let d = device(s.user_agent.as_deref().unwrap_or_default());
    let named: Vec<&str> = [d.browser, d.system].into_iter().flatten().collect();
    let name = (!named.is_empty()).then(|| named.join(" · "));
    let (signed_in, seen) = (s.signed_in_local, s.seen_local);
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-4">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div class="min-w-0">
                    <p class="font-semibold" dir="auto">
                        {move || name.clone().unwrap_or_else(|| t_string!(i18n, reset.unknown_device).to_string())}
                        {s.current.then(|| view! {
                            <span class="ms-2 rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-900">{t!(i18n, reset.this_one)}</span>
                        })}
                    </p>
                    <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700">
                        <dt>{t!(i18n, reset.ip)}</dt>
                        <dd dir="ltr" class="text-start font-mono">{s.ip.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>{t!(i18n, reset.last_seen)}</dt>
                        <dd>{move || when(seen, i18n.get_locale())}</dd>
                        <dt>{t!(i18n, reset.signed_in)}</dt>
                        <dd>{move || when(signed_in, i18n.get_locale())}</dd>
                    </dl>
                </div>
                {(!s.current).then(|| view! {
                    <ActionForm action=end>
                        <input type="hidden" name="id" value=s.id.to_string() />
                        <button type="submit" class="rounded border border-red-700 px-3 py-1 text-sm text-red-800 hover:bg-red-50">
                            {t!(i18n, reset.end)}
                        </button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}
