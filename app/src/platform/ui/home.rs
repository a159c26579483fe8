//! The platform's parts of the home page: a greeting by name, the user's roles and modules, and the
//! company's settings formatted in the user's language. The shell composes the page from these and
//! each slice's cards.
use crate::format::{format_date, format_money};
use crate::i18n::*;
use crate::platform::model::{language_autonym, SessionUser};
use crate::platform::ui::layout::{module_label, visible_modules};
use crate::platform::ui::widgets::{role_label, use_user_resource};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;

/// Renders `f` with the signed-in user once known (the layout has already sent visitors to /login).
pub fn with_user(f: fn(SessionUser) -> AnyView) -> impl IntoView {
    let user = use_user_resource();
    view! {
        <Suspense>
            {move || Suspend::new(async move { user.await.ok().flatten().map(f) })}
        </Suspense>
    }
}

#[component]
pub fn Greeting(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let name = user.display_name;
    view! { <h1 class="text-2xl font-semibold">{t!(i18n, home.greeting, name = move || name.clone())}</h1> }
}

#[component]
pub fn Home(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let roles = user.roles.clone();
    let modules = visible_modules(&user);
    let tenant = user.tenant.clone();
    let today = user.today;
    let sample = Decimal::new(12345650, 2);
    view! {
        <section class="mt-6" aria-labelledby="roles-heading">
            <h2 id="roles-heading" class="text-lg font-semibold">{t!(i18n, home.roles)}</h2>
            <ul class="mt-2 flex flex-wrap gap-2" data-testid="roles">
                {roles.into_iter().map(|r| view! {
                    <li class="rounded-full bg-blue-100 px-3 py-1 text-sm text-blue-900">{move || role_label(i18n.get_locale(), &r)}</li>
                }).collect_view()}
            </ul>
        </section>
        <section class="mt-6" aria-labelledby="modules-heading">
            <h2 id="modules-heading" class="text-lg font-semibold">{t!(i18n, home.modules)}</h2>
            <ul class="mt-2 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
                {modules.into_iter().map(|m| view! {
                    <li>
                        <A href=m.href attr:class="block rounded-lg border border-slate-200 bg-white p-4 font-medium hover:border-blue-800">
                            {move || module_label(i18n, m.slug)}
                        </A>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="mt-6 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="settings-heading">
            <h2 id="settings-heading" class="text-lg font-semibold">{t!(i18n, home.settings)}</h2>
            <dl class="mt-2 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2">
                <div><dt class="text-sm text-slate-700">{t!(i18n, header.tenant)}</dt><dd>{tenant.name.clone()}</dd></div>
                <div><dt class="text-sm text-slate-700">{t!(i18n, home.currency)}</dt><dd>{tenant.currency.to_string()}</dd></div>
                <div><dt class="text-sm text-slate-700">{t!(i18n, home.timezone)}</dt><dd>{tenant.timezone.clone()}</dd></div>
                <div><dt class="text-sm text-slate-700">{t!(i18n, home.default_language)}</dt><dd>{language_autonym(&tenant.default_language)}</dd></div>
                <div><dt class="text-sm text-slate-700">{t!(i18n, home.today)}</dt><dd data-testid="today">{move || format_date(today, i18n.get_locale())}</dd></div>
                <div><dt class="text-sm text-slate-700">{t!(i18n, home.sample_amount)}</dt>
                    <dd data-testid="sample-amount"><span dir="ltr">{format_money(sample, tenant.currency.code(), tenant.number_format)}</span></dd></div>
            </dl>
        </section>
    }
}

/// A module the user may open whose screens arrive with its own release.
#[component]
pub fn ModulePage() -> impl IntoView {
    with_user(|user| view! { <Module user=user /> }.into_any())
}

#[component]
fn Module(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("module").unwrap_or_default();
    let allowed = move || visible_modules(&user).iter().any(|m| m.slug == slug());
    view! {
        <Show when=allowed fallback=|| view! { <crate::platform::ui::pages::NotFound /> }>
            <h1 class="text-2xl font-semibold">{move || module_label(i18n, &slug())}</h1>
            <p class="mt-4 text-slate-700">{t!(i18n, home.coming)}</p>
        </Show>
    }
}
