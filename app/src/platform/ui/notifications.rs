//! The notification bell (its count kept live by server-sent events) and the notification list.
use crate::format::{format_date, isolate_ltr_runs};
use crate::i18n::*;
use crate::platform::api::{get_notifications, MarkNotificationsRead};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

/// A bell with the unread count; the browser keeps an EventSource open to
/// `/api/v1/notifications/stream`, so the count changes without reloading.
#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let count = RwSignal::new(0i64);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        let Ok(es) = leptos::web_sys::EventSource::new("/api/v1/notifications/stream") else {
            return;
        };
        let on_unread = Closure::<dyn FnMut(leptos::web_sys::MessageEvent)>::new(
            move |ev: leptos::web_sys::MessageEvent| {
                if let Some(n) = ev
                    .data()
                    .as_string()
                    .and_then(|d| d.trim().parse::<i64>().ok())
                {
                    count.set(n);
                }
            },
        );
        let _ = es.add_event_listener_with_callback("unread", on_unread.as_ref().unchecked_ref());
        on_unread.forget();
        // The stream ends with the bell, and as soon as the page starts to leave: a sign-out's
        // navigation ends the session before the page is gone, and a stream that reconnected in
        // between would only be refused.
        let leaving = {
            let es = es.clone();
            Closure::<dyn FnMut()>::new(move || es.close())
        };
        if let Some(w) = leptos::web_sys::window() {
            for event in ["beforeunload", "pagehide"] {
                let _ = w.add_event_listener_with_callback(event, leaving.as_ref().unchecked_ref());
            }
        }
        leaving.forget();
        let stream = StoredValue::new_local(es);
        on_cleanup(move || {
            stream.try_with_value(|es| es.close());
        });
    });
    view! {
        <A href="/notifications" attr:class="relative rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-100"
            attr:aria-label=move || t_string!(i18n, notify.bell, count = count.get()).to_string()>
            <span aria-hidden="true">"🔔"</span>
            <Show when=move || { count.get() > 0 }>
                <span data-testid="unread-count" class="absolute -end-2 -top-2 min-w-5 rounded-full bg-red-700 px-1.5 text-center text-xs font-bold text-white">
                    {move || count.get()}
                </span>
            </Show>
        </A>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let items = Resource::new(move || mark.version().get(), |_| get_notifications());
    view! {
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, notify.title)}</h1>
            <ActionForm action=mark>
                <button type="submit" class="rounded-md border border-slate-400 px-3 py-1.5 text-sm hover:bg-slate-100">{t!(i18n, notify.mark_all)}</button>
            </ActionForm>
        </div>
        <Transition>
            {move || Suspend::new(async move {
                let inbox = match items.await {
                    Ok(i) => i,
                    Err(e) => return view! { <p role="alert">{e.message(i18n.get_locale())}</p> }.into_any(),
                };
                if inbox.items.is_empty() {
                    return view! { <p class="mt-4 text-slate-700">{t!(i18n, notify.none)}</p> }.into_any();
                }
                view! {
                    <ul class="mt-4 space-y-2" data-testid="notifications">
                        {inbox.items.into_iter().map(|n| {
                            let day = n.created_at.date_naive();
                            let link = n.link();
                            let unread = !n.read;
                            let note = n.clone();
                            view! {
                                <li class=if unread { "rounded-md border border-blue-300 bg-blue-50 p-3" } else { "rounded-md border border-slate-200 bg-white p-3" }>
                                    <p class=if unread { "font-semibold" } else { "" }>
                                        {match link {
                                            Some(href) => view! { <A href=href attr:class="underline">{move || isolate_ltr_runs(&note.text(i18n.get_locale()))}</A> }.into_any(),
                                            None => view! { <span>{move || isolate_ltr_runs(&note.text(i18n.get_locale()))}</span> }.into_any(),
                                        }}
                                    </p>
                                    {n.comment.clone().map(|c| view! { <q class="text-sm text-slate-700">{isolate_ltr_runs(&c)}</q> })}
                                    <p class="text-xs text-slate-700">{move || format_date(day, i18n.get_locale())}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}
