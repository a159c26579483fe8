//! The sign-up page: a plain HTML form posted to `/auth/signup` (it works with JavaScript off);
//! a refusal comes back in the query string with what was typed and each bad field's code.
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::platform::model::{language_autonym, locale_code, LANGUAGES};
use crate::platform::onboarding::{CURRENCIES, TIME_ZONES};
use crate::platform::ui::layout::LanguageSwitch;
use crate::platform::ui::widgets::{use_user_resource, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS};
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let value = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    let error = move || {
        query
            .read()
            .get("error")
            .and_then(|c| AppError::from_code(&c))
            .map(|e| match e {
                AppError::Forbidden => td_string!(i18n.get_locale(), signup.closed).to_string(),
                other => other.message(i18n.get_locale()),
            })
    };
    // the field's error, translated, for the input's description
    let bad = move |name: &'static str| {
        move || {
            query
                .read()
                .get(&format!("bad_{name}"))
                .and_then(|c| FieldError::from_code(&c))
                .map(|e| match e {
                    FieldError::Duplicate => {
                        td_string!(i18n.get_locale(), errors.taken).to_string()
                    }
                    other => other.message(i18n.get_locale()),
                })
        }
    };
    let chosen = move |name: &'static str, default: &'static str| {
        move || {
            query
                .read()
                .get(name)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_string())
        }
    };
    let language = move || {
        query
            .read()
            .get("default_language")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| locale_code(i18n.get_locale()).to_string())
    };
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                matches!(user.await, Ok(Some(_))).then(|| view! { <Redirect path="/" /> })
            })}
        </Suspense>
        <main id="main" class="mx-auto flex min-h-screen max-w-xl flex-col justify-center px-4 py-8">
            <div class="mb-6 flex items-center justify-between gap-4">
                <p class="text-2xl font-bold text-blue-900">{t!(i18n, app_name)}</p>
                <LanguageSwitch />
            </div>
            <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                <h1 class="text-xl font-semibold">{t!(i18n, signup.title)}</h1>
                <p class="mt-1 text-sm text-slate-700">{t!(i18n, signup.intro)}</p>
                {move || error().map(|message| view! {
                    <div role="alert" class="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
                        {message}
                    </div>
                })}
                <form method="post" action="/auth/signup" class="mt-4 space-y-4">
                    <fieldset class="space-y-4">
                        <legend class="text-base font-semibold">{t!(i18n, signup.company_heading)}</legend>
                        <Field name="company_name" label=move || t_string!(i18n, signup.company_name).to_string()
                            value=value("company_name") error=bad("company_name") kind="text" autocomplete="organization" />
                        <Field name="slug" label=move || t_string!(i18n, signup.slug).to_string()
                            value=value("slug") error=bad("slug") kind="text" autocomplete="off"
                            hint=move || t_string!(i18n, signup.slug_hint).to_string() />
                        <div class="grid gap-4 sm:grid-cols-3">
                            <div>
                                <label for="currency" class=LABEL_CLASS>{t!(i18n, signup.currency)}</label>
                                <select id="currency" name="currency" class=INPUT_CLASS>
                                    {CURRENCIES.iter().map(|c| {
                                        let selected = { let chosen = chosen("currency", "INR"); move || chosen() == *c };
                                        view! { <option value=*c selected=selected>{*c}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="time_zone" class=LABEL_CLASS>{t!(i18n, signup.time_zone)}</label>
                                <select id="time_zone" name="time_zone" class=INPUT_CLASS>
                                    {TIME_ZONES.iter().map(|z| {
                                        let selected = { let chosen = chosen("time_zone", "Asia/Kolkata"); move || chosen() == *z };
                                        view! { <option value=*z selected=selected>{*z}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="default_language" class=LABEL_CLASS>{t!(i18n, signup.language)}</label>
                                <select id="default_language" name="default_language" class=INPUT_CLASS>
                                    {LANGUAGES.iter().map(|l| {
                                        let selected = move || language() == *l;
                                        view! { <option value=*l selected=selected>{language_autonym(l)}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                    </fieldset>
                    <fieldset class="space-y-4">
                        <legend class="text-base font-semibold">{t!(i18n, signup.admin_heading)}</legend>
                        <Field name="display_name" label=move || t_string!(i18n, signup.display_name).to_string()
                            value=value("display_name") error=bad("display_name") kind="text" autocomplete="name" />
                        <Field name="username" label=move || t_string!(i18n, signup.username).to_string()
                            value=value("username") error=bad("username") kind="text" autocomplete="username" />
                        <Field name="email" label=move || t_string!(i18n, signup.email).to_string()
                            value=value("email") error=bad("email") kind="email" autocomplete="email" />
                        <Field name="password" label=move || t_string!(i18n, signup.password).to_string()
                            value=|| String::new() error=bad("password") kind="password" autocomplete="new-password"
                            hint=move || t_string!(i18n, signup.password_hint).to_string() />
                    </fieldset>
                    <button type="submit" class=format!("{BUTTON_CLASS} w-full")>{t!(i18n, signup.submit)}</button>
                </form>
                <p class="mt-4 text-center text-sm">
                    <A href="/login" attr:class="font-semibold text-blue-800 underline">{t!(i18n, signup.have_account)}</A>
                </p>
            </div>
        </main>
    }
}

/// A labelled input with its hint and its error (read by screen readers as its description).
#[component]
fn Field(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    kind: &'static str,
    autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let described = format!("{name}-hint {name}-error");
    view! {
        <div>
            <label for=name class=LABEL_CLASS>{label}</label>
            <input id=name name=name type=kind required autocomplete=autocomplete autocapitalize="none"
                spellcheck="false" class=INPUT_CLASS value=value aria-describedby=described
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" } />
            {hint.map(|h| view! { <p id=format!("{name}-hint") class="mt-1 text-xs text-slate-600">{h}</p> })}
            {move || error.get().map(|e| view! {
                <p id=format!("{name}-error") class="mt-1 text-sm text-red-800">{e}</p>
            })}
        </div>
    }
}
