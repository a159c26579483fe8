//! The user's own account: password change, two-factor sign-in and API tokens.
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::api::{
    list_tokens, totp_status, ChangePassword, CreateToken, RevokeToken, TotpDisable, TotpEnable,
    TotpSetup,
};
use crate::platform::ui::widgets::{
    action_error, FieldMessage, FormError, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let value = action.value();
    let error = action_error(value);
    let done = move || matches!(value.get(), Some(Ok(())));
    view! {
        <h1 class="text-2xl font-semibold">{t!(i18n, password.title)}</h1>
        <div class="mt-4 max-w-md rounded-lg border border-slate-200 bg-white p-6">
            <Show when=done>
                <p role="status" class="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, password.changed)}</p>
            </Show>
            <FormError error=error />
            <ActionForm action=action attr:class="mt-2 space-y-4">
                <div>
                    <label for="current_password" class=LABEL_CLASS>{t!(i18n, password.current)}</label>
                    <input id="current_password" name="current_password" type="password" required autocomplete="current-password" class=INPUT_CLASS />
                    <FieldMessage error=error field="current_password" />
                </div>
                <div>
                    <label for="new_password" class=LABEL_CLASS>{t!(i18n, password.new)}</label>
                    <input id="new_password" name="new_password" type="password" required minlength="12" maxlength="256"
                        autocomplete="new-password" aria-describedby="password-rules" class=INPUT_CLASS />
                    <p id="password-rules" class="mt-1 text-sm text-slate-700">{t!(i18n, password.rules)}</p>
                    <FieldMessage error=error field="new_password" />
                </div>
                <div>
                    <label for="confirm_password" class=LABEL_CLASS>{t!(i18n, password.confirm)}</label>
                    <input id="confirm_password" name="confirm_password" type="password" required minlength="12" maxlength="256"
                        autocomplete="new-password" class=INPUT_CLASS />
                    <FieldMessage error=error field="confirm_password" />
                </div>
                <button type="submit" class=BUTTON_CLASS disabled=move || action.pending().get()>{t!(i18n, password.submit)}</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let created = create.value();
    let error = action_error(created);
    let new_token = move || created.get().and_then(|r| r.ok()).map(|t| t.token);
    view! {
        <h1 class="text-2xl font-semibold">{t!(i18n, tokens.title)}</h1>
        <p class="mt-2 max-w-2xl text-slate-700">{t!(i18n, tokens.intro)}</p>
        <div class="mt-4 max-w-xl rounded-lg border border-slate-200 bg-white p-6">
            <FormError error=error />
            {move || new_token().map(|t| view! {
                <div role="status" class="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm">
                    <p>{t!(i18n, tokens.created)}</p>
                    <code data-testid="new-token" dir="ltr" class="mt-2 block break-all rounded bg-white p-2 font-mono">{t}</code>
                </div>
            })}
            <ActionForm action=create attr:class="space-y-4">
                <div>
                    <label for="token-name" class=LABEL_CLASS>{t!(i18n, tokens.name)}</label>
                    <input id="token-name" name="name" type="text" required maxlength="100" class=INPUT_CLASS />
                    <FieldMessage error=error field="name" />
                </div>
                <div>
                    <label for="token-expires" class=LABEL_CLASS>{t!(i18n, tokens.expires)}</label>
                    <input id="token-expires" name="expires_on" type="date" class=INPUT_CLASS />
                    <FieldMessage error=error field="expires_on" />
                </div>
                <button type="submit" class=BUTTON_CLASS>{t!(i18n, tokens.create)}</button>
            </ActionForm>
        </div>
        <div class="mt-6 overflow-x-auto">
            <Transition>
                {move || Suspend::new(async move {
                    let list = tokens.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="text-slate-700">{t!(i18n, tokens.none)}</p> }.into_any();
                    }
                    view! {
                        <table class="min-w-full border border-slate-200 bg-white text-sm">
                            <thead class="bg-slate-100 text-start">
                                <tr>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, tokens.name)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, tokens.created_at)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, tokens.expires_at)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, tokens.status)}</th>
                                    <th scope="col" class="px-3 py-2"><span class="sr-only">{t!(i18n, tokens.revoke)}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|tok| {
                                    let revoked = tok.revoked_at.is_some();
                                    let created_at = tok.created_at.date_naive();
                                    let expires = tok.expires_at.map(|e| e.date_naive());
                                    view! {
                                        <tr class="border-t border-slate-200">
                                            <td class="px-3 py-2">{tok.name.clone()}</td>
                                            <td class="px-3 py-2">{move || format_date(created_at, i18n.get_locale())}</td>
                                            <td class="px-3 py-2">{move || match expires {
                                                Some(d) => format_date(d, i18n.get_locale()),
                                                None => t_string!(i18n, tokens.never).to_string(),
                                            }}</td>
                                            <td class="px-3 py-2">{move || if revoked {
                                                t_string!(i18n, tokens.revoked).to_string()
                                            } else {
                                                t_string!(i18n, tokens.active).to_string()
                                            }}</td>
                                            <td class="px-3 py-2 text-end">
                                                <Show when=move || !revoked>
                                                    <ActionForm action=revoke>
                                                        <input type="hidden" name="id" value=tok.id.to_string() />
                                                        <button type="submit" class="rounded border border-red-700 px-2 py-1 text-red-800 hover:bg-red-50">
                                                            {t!(i18n, tokens.revoke)}
                                                        </button>
                                                    </ActionForm>
                                                </Show>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                })}
            </Transition>
        </div>
    }
}

/// Two-factor sign-in: set up (QR code and the key as text, then a first code), the recovery
/// codes shown once, and turning it off (password and a code). A user the company's policy sends
/// here sees why.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let setup = ServerAction::<TotpSetup>::new();
    let enable = ServerAction::<TotpEnable>::new();
    let disable = ServerAction::<TotpDisable>::new();
    let status = Resource::new(
        move || (enable.version().get(), disable.version().get()),
        |_| totp_status(),
    );
    let setup_value = setup.value();
    let enable_value = enable.value();
    let disable_value = disable.value();
    let setup_error = action_error(setup_value);
    let enable_error = action_error(enable_value);
    let disable_error = action_error(disable_value);
    let pending = move || setup_value.get().and_then(|r| r.ok());
    let codes = move || enable_value.get().and_then(|r| r.ok()).map(|c| c.codes);
    let disabled = move || matches!(disable_value.get(), Some(Ok(())));
    view! {
        <h1 class="text-2xl font-semibold">{t!(i18n, totp.title)}</h1>
        <p class="mt-2 max-w-2xl text-slate-700">{t!(i18n, totp.intro)}</p>
        <div class="mt-4 max-w-xl rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
            <Show when=disabled>
                <p role="status" class="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, totp.disabled)}</p>
            </Show>
            {move || match codes() {
                // just turned on: the recovery codes, this once
                Some(list) => view! {
                    <section aria-labelledby="codes-title" data-testid="recovery-codes">
                        <p role="status" class="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, totp.status_on)}</p>
                        <h2 id="codes-title" class="mt-4 text-lg font-semibold">{t!(i18n, totp.codes_title)}</h2>
                        <p class="mt-1 text-sm text-slate-700">{t!(i18n, totp.codes_intro)}</p>
                        <ol dir="ltr" class="mt-3 grid grid-cols-1 gap-2 font-mono text-base sm:grid-cols-2">
                            {list.into_iter().map(|c| view! {
                                <li class="rounded border border-slate-200 bg-slate-50 px-3 py-2 text-center tracking-wider">{c}</li>
                            }).collect_view()}
                        </ol>
                        // a full load: the shell learns that enrolment is done
                        <a href="/" rel="external" class=format!("{BUTTON_CLASS} mt-4 inline-block")>{t!(i18n, totp.codes_done)}</a>
                    </section>
                }.into_any(),
                None => view! {
                    <Transition>
                        {move || Suspend::new(async move {
                            match status.await {
                                Ok(st) if st.enabled => view! {
                                    <p role="status" class="font-medium text-green-900">{t!(i18n, totp.status_on)}</p>
                                    <p class="mt-1 text-sm text-slate-700">
                                        {t!(i18n, totp.codes_left)}": "<span data-testid="codes-left">{st.recovery_codes_left}</span>
                                    </p>
                                    <h2 class="mt-6 text-lg font-semibold">{t!(i18n, totp.disable_title)}</h2>
                                    <p class="mt-1 text-sm text-slate-700">{t!(i18n, totp.disable_intro)}</p>
                                    <FormError error=disable_error />
                                    <ActionForm action=disable attr:class="mt-3 space-y-4">
                                        <div>
                                            <label for="totp-password" class=LABEL_CLASS>{t!(i18n, totp.password)}</label>
                                            <input id="totp-password" name="password" type="password" required autocomplete="current-password" class=INPUT_CLASS />
                                            <FieldMessage error=disable_error field="password" />
                                        </div>
                                        <div>
                                            <label for="totp-disable-code" class=LABEL_CLASS>{t!(i18n, totp.code_or_recovery)}</label>
                                            <input id="totp-disable-code" name="code" type="text" required autocomplete="one-time-code"
                                                maxlength="24" autocapitalize="none" spellcheck="false" dir="ltr" class=format!("{INPUT_CLASS} text-start font-mono") />
                                            <FieldMessage error=disable_error field="code" />
                                        </div>
                                        <button type="submit" class="rounded-md border border-red-700 px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
                                            disabled=move || disable.pending().get()>{t!(i18n, totp.disable)}</button>
                                    </ActionForm>
                                }.into_any(),
                                Ok(st) => view! {
                                    {st.required.then(|| view! {
                                        <p role="alert" class="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{t!(i18n, totp.required)}</p>
                                    })}
                                    <p class="text-slate-800">{t!(i18n, totp.status_off)}</p>
                                    <Enrol setup=setup enable=enable pending=Signal::derive(pending) setup_error=setup_error enable_error=enable_error />
                                }.into_any(),
                                Err(e) => view! { <FormError error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                            }
                        })}
                    </Transition>
                }.into_any(),
            }}
        </div>
    }
}

/// Enrolment: a button that makes the secret, then its QR code, the key as text and the code field.
#[component]
fn Enrol(
    setup: ServerAction<TotpSetup>,
    enable: ServerAction<TotpEnable>,
    pending: Signal<Option<crate::platform::totp::TotpSetup>>,
    setup_error: Signal<Option<crate::error::AppError>>,
    enable_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormError error=setup_error />
        {move || match pending.get() {
            None => view! {
                <ActionForm action=setup attr:class="mt-4">
                    <button type="submit" class=BUTTON_CLASS disabled=move || setup.pending().get()>{t!(i18n, totp.start)}</button>
                </ActionForm>
            }.into_any(),
            Some(s) => {
                let grouped = s.secret_grouped();
                view! {
                    <p class="mt-4 text-sm text-slate-700">{t!(i18n, totp.scan)}</p>
                    <div role="img" aria-label=move || t_string!(i18n, totp.qr_alt).to_string()
                        class="mx-auto mt-3 w-52 max-w-full [&>svg]:h-auto [&>svg]:w-full" data-testid="totp-qr" inner_html=s.qr_svg.clone()></div>
                    <p class="mt-3 text-sm">
                        <span class="font-medium">{t!(i18n, totp.secret_label)}": "</span>
                        <code dir="ltr" data-testid="totp-secret" class="select-all break-all rounded bg-slate-100 px-2 py-1 font-mono">{grouped}</code>
                    </p>
                    <FormError error=enable_error />
                    <ActionForm action=enable attr:class="mt-4 space-y-4">
                        <div>
                            <label for="totp-code" class=LABEL_CLASS>{t!(i18n, totp.code_label)}</label>
                            <input id="totp-code" name="code" type="text" required inputmode="numeric" autocomplete="one-time-code"
                                maxlength="8" pattern="[0-9 ]*" dir="ltr" aria-describedby="totp-code-hint" class=format!("{INPUT_CLASS} text-start font-mono tracking-widest") />
                            <p id="totp-code-hint" class="mt-1 text-sm text-slate-700">{t!(i18n, totp.code_hint)}</p>
                            <FieldMessage error=enable_error field="code" />
                        </div>
                        <button type="submit" class=BUTTON_CLASS disabled=move || enable.pending().get()>{t!(i18n, totp.enable)}</button>
                    </ActionForm>
                }.into_any()
            }
        }}
    }
}
