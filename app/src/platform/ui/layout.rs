//! The signed-in shell: header with company, plant, language and account menu; navigation by
//! module, showing only what the user's roles permit (the server still decides every action).
use crate::i18n::*;
use crate::platform::model::{language_autonym, locale_code, SessionUser, LANGUAGES};
use crate::platform::navigation::{self, Module};
use crate::platform::ui::widgets::use_user_resource;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};

/// The two-factor page (the server's [`crate::platform::two_factor::ENROL_PAGE`]).
const ENROL_PAGE: &str = "/account/two-factor";

/// The registered modules the user's roles permit ([`crate::platform::navigation`]).
pub fn visible_modules(user: &SessionUser) -> Vec<&'static Module> {
    navigation::modules()
        .iter()
        .filter(|m| m.any_of.iter().any(|p| user.can(p)))
        .collect()
}

/// A module's name in the current language; the home page's name for an unknown slug.
pub fn module_label(i18n: leptos_i18n::I18nContext<Locale>, slug: &str) -> String {
    match navigation::module(slug) {
        Some(m) => (m.label)(i18n.get_locale()),
        None => t_string!(i18n, nav.home).to_string(),
    }
}

#[component]
pub fn AuthedLayout() -> impl IntoView {
    let user = use_user_resource();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match user.await {
                    // the company requires a second factor this user has not set up: enrolment first
                    Ok(Some(u)) if u.totp_enrolment_required => view! { <EnrolmentShell /> }.into_any(),
                    // the company's address was not verified in time: paused until it is
                    Ok(Some(u)) if u.verification_lapsed() => view! { <PausedShell user=u /> }.into_any(),
                    Ok(Some(u)) => view! { <Shell user=u /> }.into_any(),
                    _ => view! { <Redirect path="/login" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Shell(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let modules = visible_modules(&user);
    let nav_links = move |modules: Vec<&'static Module>| {
        modules
            .into_iter()
            .map(|m| {
                let href = m.href;
                view! {
                    <li>
                        <A href=href attr:class="block whitespace-nowrap rounded-md px-3 py-2 text-slate-800 hover:bg-blue-50 aria-[current=page]:bg-blue-100 aria-[current=page]:font-semibold">
                            {move || module_label(i18n, m.slug)}
                        </A>
                    </li>
                }
            })
            .collect_view()
    };
    let plant = user.plant.clone();
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
            {t!(i18n, skip_to_content)}
        </a>
        <header class="border-b border-slate-200 bg-white print:hidden">
            <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
                <A href="/" attr:class="me-auto text-xl font-bold text-blue-900 md:me-0">{t!(i18n, app_name)}</A>
                <div class="order-last w-full min-w-0 text-sm text-slate-700 md:order-none md:w-auto md:flex-1">
                    <span class="sr-only">{t!(i18n, header.tenant)}": "</span>
                    <span class="font-medium" data-testid="tenant-name">{user.tenant.name.clone()}</span>
                    {plant.map(|p| view! {
                        <span class="ms-2 rounded bg-slate-100 px-2 py-0.5">
                            <span class="sr-only">{t!(i18n, header.plant)}": "</span>{p}
                        </span>
                    })}
                </div>
                {user.can("inventory:search").then(|| view! {
                    <form method="GET" action="/inventory" role="search" class="order-last w-full md:order-none md:w-56">
                        <label for="shell-q" class="sr-only">{t!(i18n, inv.search)}</label>
                        <input id="shell-q" name="q" type="search" autocomplete="off"
                            placeholder=move || t_string!(i18n, inv.search_short).to_string()
                            class="block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm focus:border-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-800" />
                    </form>
                })}
                <crate::platform::ui::notifications::Bell />
                <LanguageSwitch />
                <UserMenu user=user.clone() />
            </div>
        </header>
        <div class="mx-auto flex max-w-7xl flex-col md:flex-row">
            <nav aria-label=move || t_string!(i18n, nav.main).to_string() class="border-b border-slate-200 bg-white print:hidden md:w-56 md:border-b-0 md:border-e md:bg-transparent">
                <ul class="flex gap-1 overflow-x-auto px-2 py-2 md:flex-col md:px-3 md:py-4">
                    <li>
                        <A href="/" exact=true attr:class="block whitespace-nowrap rounded-md px-3 py-2 text-slate-800 hover:bg-blue-50 aria-[current=page]:bg-blue-100 aria-[current=page]:font-semibold">
                            {t!(i18n, nav.home)}
                        </A>
                    </li>
                    {nav_links(modules)}
                </ul>
            </nav>
            <main id="main" class="min-w-0 flex-1 px-4 py-6 md:px-8">
                <VerificationBanner user=user.clone() />
                {(user.can("tenant:manage") && user.tenant.setup_pending).then(|| view! { <SetupBanner /> })}
                <Outlet />
            </main>
        </div>
    }
}

/// For an administrator while the setup wizard is not finished: a way back into it (not on the
/// wizard itself).
#[component]
fn SetupBanner() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    view! {
        <Show when=move || location.pathname.get() != "/setup">
            <div role="status" data-testid="setup-banner"
                class="mb-4 flex flex-wrap items-center gap-3 rounded-md border border-blue-300 bg-blue-50 p-3 text-sm text-blue-900">
                <p class="flex-1">{t!(i18n, setup.banner)}</p>
                <A href="/setup" attr:class="rounded-md bg-blue-800 px-3 py-1.5 font-semibold text-white">{t!(i18n, setup.banner_link)}</A>
            </div>
        </Show>
    }
}

/// Until the tenant's address is verified: how many days it keeps working, and (for
/// administrators) a button that sends the link again. After the e-mailed link, a line that says
/// it worked (or did not). All from who is calling: no request of its own.
#[component]
fn VerificationBanner(user: SessionUser) -> impl IntoView {
    use crate::platform::onboarding::api::ResendVerification;
    let i18n = use_i18n();
    let resend = ServerAction::<ResendVerification>::new();
    let query = leptos_router::hooks::use_query_map();
    let notice = move || query.read().get("notice");
    let can_resend = user.can("tenant:manage");
    let left = user
        .tenant
        .verify_by
        .map(|by| (by - user.today).num_days().max(0));
    view! {
        {move || notice().map(|n| {
            let (class, text) = if n == "email_verified" {
                ("border-green-300 bg-green-50 text-green-900", td_string!(i18n.get_locale(), signup.verified))
            } else {
                ("border-amber-300 bg-amber-50 text-amber-900", td_string!(i18n.get_locale(), signup.verify_failed))
            };
            view! { <div role="status" class=format!("mb-4 rounded-md border p-3 text-sm {class}")>{text}</div> }
        })}
        {left.map(|left| view! {
            <div role="status" data-testid="verify-banner"
                class="mb-4 flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
                <p class="flex-1">{t!(i18n, signup.verify_banner, days = left)}</p>
                {can_resend.then(|| view! {
                    <ActionForm action=resend>
                        <button type="submit" class="rounded-md border border-amber-400 bg-white px-3 py-1.5 font-semibold">
                            {move || if resend.value().get().is_some_and(|r| r.is_ok()) {
                                t_string!(i18n, signup.resent).to_string()
                            } else {
                                t_string!(i18n, signup.resend).to_string()
                            }}
                        </button>
                    </ActionForm>
                })}
            </div>
        })}
    }
}

/// The shell of a paused company (its sign-up address not verified within 7 days): why, and for
/// its administrators the button that sends the link again; no page's content (the server refuses
/// their calls with `EMAIL_VERIFICATION_REQUIRED`).
#[component]
fn PausedShell(user: SessionUser) -> impl IntoView {
    use crate::platform::onboarding::api::ResendVerification;
    let i18n = use_i18n();
    let resend = ServerAction::<ResendVerification>::new();
    let can_resend = user.can("tenant:manage");
    view! {
        <header class="border-b border-slate-200 bg-white print:hidden">
            <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
                <span class="me-auto text-xl font-bold text-blue-900">{t!(i18n, app_name)}</span>
                <LanguageSwitch />
                <form method="post" action="/auth/logout">
                    <button type="submit" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">{t!(i18n, header.logout)}</button>
                </form>
            </div>
        </header>
        <main id="main" class="mx-auto min-w-0 max-w-2xl px-4 py-10">
            <section role="alert" data-testid="paused" class="rounded-lg border border-amber-300 bg-amber-50 p-6 text-amber-950">
                <h1 class="text-xl font-semibold">{t!(i18n, signup.lapsed_title)}</h1>
                <p class="mt-3">{t!(i18n, signup.lapsed_body)}</p>
                {if can_resend {
                    view! {
                        <ActionForm action=resend attr:class="mt-4">
                            <button type="submit" class="rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">
                                {move || if resend.value().get().is_some_and(|r| r.is_ok()) {
                                    t_string!(i18n, signup.resent).to_string()
                                } else {
                                    t_string!(i18n, signup.resend).to_string()
                                }}
                            </button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p class="mt-3 font-medium">{t!(i18n, signup.lapsed_ask_admin)}</p> }.into_any()
                }}
            </section>
        </main>
    }
}

/// The shell of a user who must set up two-factor sign-in: the enrolment page and nothing else
/// (every other page leads there; the server refuses the rest).
#[component]
fn EnrolmentShell() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let elsewhere = move || location.pathname.get() != ENROL_PAGE;
    view! {
        <Show when=elsewhere>
            <Redirect path=ENROL_PAGE />
        </Show>
        <header class="border-b border-slate-200 bg-white print:hidden">
            <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
                <span class="me-auto text-xl font-bold text-blue-900">{t!(i18n, app_name)}</span>
                <LanguageSwitch />
                <form method="post" action="/auth/logout">
                    <button type="submit" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">{t!(i18n, header.logout)}</button>
                </form>
            </div>
        </header>
        <main id="main" class="mx-auto min-w-0 max-w-7xl px-4 py-6 md:px-8">
            <Outlet />
        </main>
    }
}

#[component]
fn UserMenu(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="relative">
            <summary class="cursor-pointer list-none rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-800"
                aria-label=move || t_string!(i18n, header.user_menu).to_string()>
                <span data-testid="user-name" dir="auto" class="inline-block max-w-[8rem] truncate align-bottom sm:max-w-none">{user.display_name.clone()}</span>" ▾"
            </summary>
            <div class="absolute end-0 z-20 mt-2 w-56 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
                <A href="/account/password" attr:class="block rounded px-3 py-2 text-sm hover:bg-slate-100">{t!(i18n, header.change_password)}</A>
                <A href=ENROL_PAGE attr:class="block rounded px-3 py-2 text-sm hover:bg-slate-100">{t!(i18n, totp.title)}</A>
                <A href="/account/tokens" attr:class="block rounded px-3 py-2 text-sm hover:bg-slate-100">{t!(i18n, nav.tokens)}</A>
                <A href="/account/sessions" attr:class="block rounded px-3 py-2 text-sm hover:bg-slate-100">{t!(i18n, reset.sessions_title)}</A>
                <form method="post" action="/auth/logout">
                    <button type="submit" class="block w-full rounded px-3 py-2 text-start text-sm hover:bg-slate-100">
                        {t!(i18n, header.logout)}
                    </button>
                </form>
            </div>
        </details>
    }
}

/// A select labelled "Language" in every locale. The form posts to `/auth/language`, which stores the
/// choice on the user (or in a cookie for a visitor) and reloads the page already in that language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let current = move || locale_code(i18n.get_locale());
    let on_change = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(select) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlSelectElement>().ok())
        {
            if let Some(form) = select.form() {
                let _ = form.request_submit();
            }
        }
    };
    view! {
        <form method="post" action="/auth/language" class="flex items-center gap-2">
            <label for="language" class="sr-only text-sm text-slate-700 sm:not-sr-only">{t!(i18n, header.language)}</label>
            <select id="language" name="language" on:change=on_change
                class="rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-blue-800">
                {LANGUAGES.iter().map(|code| {
                    let code = *code;
                    view! { <option value=code selected=move || current() == code>{language_autonym(code)}</option> }
                }).collect_view()}
            </select>
            <noscript>
                <button type="submit" class="rounded-md border border-slate-400 px-2 py-1 text-sm" aria-label=move || t_string!(i18n, header.language).to_string()>"✓"</button>
            </noscript>
        </form>
    }
}
