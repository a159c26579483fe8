//! The user's own account: password change and API tokens.
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::api::{list_tokens, ChangePassword, CreateToken, RevokeToken};
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
