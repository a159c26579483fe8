//! The password reset page (public, works with JavaScript off): without a token, the form that
//! asks for a link (posted to `/auth/password-reset`); with the e-mailed link's token, the form
//! that chooses the password (posted to `/auth/password-reset/confirm`, which also takes an
//! invitation's token). Refusals come back in the query string and are shown translated.
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::platform::password_reset::api::reset_link_status;
use crate::platform::ui::layout::LanguageSwitch;
use crate::platform::ui::widgets::{BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.read().get("token").filter(|t| !t.is_empty());
    let sent = move || query.read().get("sent").is_some();
    view! {
        <main id="main" class="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-8">
            <div class="mb-6 flex items-center justify-between gap-4">
                <p class="text-2xl font-bold text-blue-900">{t!(i18n, app_name)}</p>
                <LanguageSwitch />
            </div>
            <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                {move || match token() {
                    Some(t) => view! { <ChoosePassword token=t /> }.into_any(),
                    None if sent() => view! {
                        <h1 class="text-xl font-semibold">{t!(i18n, reset.request_title)}</h1>
                        <p role="status" class="mt-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
                            {t!(i18n, reset.sent)}
                        </p>
                    }.into_any(),
                    None => view! { <AskForLink /> }.into_any(),
                }}
                <p class="mt-4 text-center text-sm">
                    <a href="/login" class="font-semibold text-blue-800 underline">{t!(i18n, reset.back_to_login)}</a>
                </p>
            </div>
        </main>
    }
}

/// The error of the last post, from the query string.
fn posted_error() -> impl Fn() -> Option<AppError> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("error")
            .and_then(|c| AppError::from_code(&c))
    }
}

#[component]
fn AskForLink() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let value = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    let error = posted_error();
    view! {
        <h1 class="text-xl font-semibold">{t!(i18n, reset.request_title)}</h1>
        <p class="mt-1 text-sm text-slate-700">{t!(i18n, reset.request_intro)}</p>
        {move || error().map(|e| view! {
            <div role="alert" class="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
                {e.message(i18n.get_locale())}
            </div>
        })}
        <form method="post" action="/auth/password-reset" class="mt-4 space-y-4">
            <div>
                <label for="tenant" class=LABEL_CLASS>{t!(i18n, login.tenant)}</label>
                <input id="tenant" name="tenant" type="text" required autocomplete="organization"
                    autocapitalize="none" spellcheck="false" class=INPUT_CLASS value=value("tenant") />
            </div>
            <div>
                <label for="login" class=LABEL_CLASS>{t!(i18n, reset.login_field)}</label>
                <input id="login" name="login" type="text" required autocomplete="username"
                    autocapitalize="none" spellcheck="false" class=INPUT_CLASS value=value("login") />
            </div>
            <button type="submit" class=format!("{BUTTON_CLASS} w-full")>{t!(i18n, reset.request_submit)}</button>
        </form>
    }
}

#[component]
fn ChoosePassword(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = posted_error();
    let link = Resource::new(move || token.clone(), reset_link_status);
    // the field's error, translated
    let bad = move |name: &'static str| {
        move || {
            query
                .read()
                .get(&format!("bad_{name}"))
                .and_then(|c| FieldError::from_code(&c))
                .map(|e| e.message(i18n.get_locale()))
        }
    };
    let token_value = move || query.read().get("token").unwrap_or_default();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(Some(found)) => view! {
                        <h1 class="text-xl font-semibold">
                            {move || if found.invite {
                                t_string!(i18n, reset.invite_title).to_string()
                            } else {
                                t_string!(i18n, reset.choose_title).to_string()
                            }}
                        </h1>
                        <p class="mt-1 text-sm text-slate-700">
                            {t!(i18n, reset.for_user)}": "<span class="font-mono font-semibold" dir="ltr" data-testid="reset-username">{found.username.clone()}</span>
                        </p>
                        {move || error().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! {
                            <div role="alert" class="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
                                {e.message(i18n.get_locale())}
                            </div>
                        })}
                        <form method="post" action="/auth/password-reset/confirm" class="mt-4 space-y-4">
                            <input type="hidden" name="token" value=token_value />
                            <div>
                                <label for="new_password" class=LABEL_CLASS>{t!(i18n, password.new)}</label>
                                <input id="new_password" name="new_password" type="password" required minlength="12" maxlength="256"
                                    autocomplete="new-password" aria-describedby="password-rules new_password-error" class=INPUT_CLASS
                                    aria-invalid=move || if bad("new_password")().is_some() { "true" } else { "false" } />
                                <p id="password-rules" class="mt-1 text-sm text-slate-700">{t!(i18n, password.rules)}</p>
                                {move || bad("new_password")().map(|m| view! { <p id="new_password-error" class="mt-1 text-sm text-red-800">{m}</p> })}
                            </div>
                            <div>
                                <label for="confirm_password" class=LABEL_CLASS>{t!(i18n, password.confirm)}</label>
                                <input id="confirm_password" name="confirm_password" type="password" required minlength="12" maxlength="256"
                                    autocomplete="new-password" aria-describedby="confirm_password-error" class=INPUT_CLASS
                                    aria-invalid=move || if bad("confirm_password")().is_some() { "true" } else { "false" } />
                                {move || bad("confirm_password")().map(|m| view! { <p id="confirm_password-error" class="mt-1 text-sm text-red-800">{m}</p> })}
                            </div>
                            <button type="submit" class=format!("{BUTTON_CLASS} w-full")>{t!(i18n, reset.choose_submit)}</button>
                        </form>
                    }.into_any(),
                    // unknown, used or expired (or the check failed): ask again
                    _ => view! {
                        <h1 class="text-xl font-semibold">{t!(i18n, reset.choose_title)}</h1>
                        <p role="alert" class="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
                            {t!(i18n, reset.invalid)}
                        </p>
                        <p class="mt-4">
                            <a href="/password-reset" class=BUTTON_CLASS>{t!(i18n, reset.request_new)}</a>
                        </p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
