//! The translated 404 and offline pages.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <main id="main" class="mx-auto max-w-lg px-4 py-16 text-center">
            <h1 class="text-2xl font-semibold">{t!(i18n, not_found.title)}</h1>
            <p class="mt-2 text-slate-700">{t!(i18n, not_found.body)}</p>
            <A href="/" attr:class="mt-6 inline-block font-semibold text-blue-800 underline">{t!(i18n, not_found.home)}</A>
        </main>
    }
}

/// Cached by the service worker at install and served when the network is gone.
#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main id="main" class="mx-auto max-w-lg px-4 py-16 text-center">
            <p class="text-xl font-bold text-blue-900">{t!(i18n, app_name)}</p>
            <h1 class="mt-4 text-2xl font-semibold">{t!(i18n, offline.title)}</h1>
            <p class="mt-2 text-slate-700">{t!(i18n, offline.body)}</p>
            <a href="/" class="mt-6 inline-block rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">{t!(i18n, offline.retry)}</a>
        </main>
    }
}
