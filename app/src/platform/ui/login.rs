//! The sign-in page. A plain HTML form posted to `/auth/login`, so it works with JavaScript off;
//! failures come back as an error code in the query string and are shown translated. A user with
//! two-factor sign-in on is then asked for the code (`?step=totp`, posted to `/auth/login/totp`;
//! the server keeps the accepted password's state in the session, so it is not asked again).
use crate::error::AppError;
use crate::i18n::*;
use crate::platform::ui::layout::LanguageSwitch;
use crate::platform::ui::widgets::{use_user_resource, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let error = move || {
        query
            .read()
            .get("error")
            .and_then(|c| AppError::from_code(&c))
    };
    let notice = move || query.read().get("notice");
    let tenant = move || query.read().get("tenant").unwrap_or_default();
    let username = move || query.read().get("username").unwrap_or_default();
    let code_step = move || query.read().get("step").as_deref() == Some("totp");
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                matches!(user.await, Ok(Some(_))).then(|| view! { <Redirect path="/" /> })
            })}
        </Suspense>
        <main id="main" class="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-8">
            <div class="mb-6 flex items-center justify-between gap-4">
                <p class="text-2xl font-bold text-blue-900">{t!(i18n, app_name)}</p>
                <LanguageSwitch />
            </div>
            <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                <Show when=code_step fallback=move || view! {
                <h1 class="text-xl font-semibold">{t!(i18n, login.title)}</h1>
                <p class="mt-1 text-sm text-slate-700">{t!(i18n, login.intro)}</p>
                {move || notice().map(|n| {
                    let (class, text) = if n == "email_verified" {
                        ("border-green-300 bg-green-50 text-green-900", td_string!(i18n.get_locale(), signup.verified))
                    } else if n == "password_set" {
                        ("border-green-300 bg-green-50 text-green-900", td_string!(i18n.get_locale(), reset.done))
                    } else {
                        ("border-amber-300 bg-amber-50 text-amber-900", td_string!(i18n.get_locale(), signup.verify_failed))
                    };
                    view! { <div role="status" class=format!("mt-4 rounded-md border p-3 text-sm {class}")>{text}</div> }
                })}
                {move || error().map(|e| view! {
                    <div role="alert" class="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
                        {e.message(i18n.get_locale())}
                    </div>
                })}
                <form method="post" action="/auth/login" class="mt-4 space-y-4">
                    <div>
                        <label for="tenant" class=LABEL_CLASS>{t!(i18n, login.tenant)}</label>
                        <input id="tenant" name="tenant" type="text" required autocomplete="organization"
                            autocapitalize="none" spellcheck="false" class=INPUT_CLASS value=tenant />
                    </div>
                    <div>
                        <label for="username" class=LABEL_CLASS>{t!(i18n, login.username)}</label>
                        <input id="username" name="username" type="text" required autocomplete="username"
                            autocapitalize="none" spellcheck="false" class=INPUT_CLASS value=username />
                    </div>
                    <div>
                        <label for="password" class=LABEL_CLASS>{t!(i18n, login.password)}</label>
                        <input id="password" name="password" type="password" required autocomplete="current-password"
                            class=INPUT_CLASS />
                    </div>
                    <button type="submit" class=format!("{BUTTON_CLASS} w-full")>{t!(i18n, login.submit)}</button>
                </form>
                <p class="mt-4 text-center text-sm">
                    <a href=move || format!("/password-reset?tenant={}", crate::format::url_encode(&tenant()))
                        class="text-blue-800 underline">{t!(i18n, reset.forgot)}</a>
                </p>
                <p class="mt-4 text-center text-sm">
                    <a href="/signup" class="font-semibold text-blue-800 underline">{t!(i18n, signup.new_company)}</a>
                </p>
                }>
                    <CodeStep error=Signal::derive(error) />
                </Show>
            </div>
        </main>
    }
}

/// The second step: the code from the authenticator app, or a recovery code (`?mode=recovery`).
#[component]
fn CodeStep(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let recovery = move || query.read().get("mode").as_deref() == Some("recovery");
    view! {
        <h1 class="text-xl font-semibold">{t!(i18n, totp.login_title)}</h1>
        <p id="code-intro" class="mt-1 text-sm text-slate-700">
            {move || if recovery() {
                t_string!(i18n, totp.login_recovery_intro).to_string()
            } else {
                t_string!(i18n, totp.login_intro).to_string()
            }}
        </p>
        {move || error.get().map(|e| view! {
            <div role="alert" class="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
                {e.message(i18n.get_locale())}
            </div>
        })}
        <form method="post" action="/auth/login/totp" class="mt-4 space-y-4">
            <input type="hidden" name="mode" value=move || if recovery() { "recovery" } else { "app" } />
            <div>
                <label for="code" class=LABEL_CLASS>
                    {move || if recovery() {
                        t_string!(i18n, totp.code_or_recovery).to_string()
                    } else {
                        t_string!(i18n, totp.code_label).to_string()
                    }}
                </label>
                // codes are Latin digits and letters whatever the page's direction
                <input id="code" name="code" type="text" required autofocus autocomplete="one-time-code"
                    inputmode=move || if recovery() { "text" } else { "numeric" }
                    maxlength="24" autocapitalize="none" spellcheck="false" dir="ltr"
                    aria-describedby="code-intro" class=format!("{INPUT_CLASS} text-start font-mono tracking-widest") />
            </div>
            <button type="submit" class=format!("{BUTTON_CLASS} w-full")>{t!(i18n, totp.login_submit)}</button>
        </form>
        <div class="mt-4 flex flex-wrap justify-between gap-2 text-sm">
            {move || if recovery() {
                view! { <a href="/login?step=totp" class="font-semibold text-blue-800 underline">{t!(i18n, totp.use_app)}</a> }.into_any()
            } else {
                view! { <a href="/login?step=totp&mode=recovery" class="font-semibold text-blue-800 underline">{t!(i18n, totp.use_recovery)}</a> }.into_any()
            }}
            <a href="/login" class="text-slate-700 underline">{t!(i18n, totp.start_over)}</a>
        </div>
    }
}
