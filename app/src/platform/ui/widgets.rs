//! Small building blocks shared by platform pages.
use crate::error::AppError;
use crate::i18n::*;
use crate::platform::model::SessionUser;
use leptos::prelude::*;

pub type UserResource = Resource<Result<Option<SessionUser>, AppError>>;

pub fn use_user_resource() -> UserResource {
    expect_context::<UserResource>()
}

/// The translated name of a system role; custom roles show their own name.
pub fn role_label(locale: Locale, role: &str) -> String {
    use leptos_i18n::td_string;
    match role {
        "Admin" => td_string!(locale, roles.Admin).to_string(),
        "Engineer" => td_string!(locale, roles.Engineer).to_string(),
        "Manager" => td_string!(locale, roles.Manager).to_string(),
        "Procurement" => td_string!(locale, roles.Procurement).to_string(),
        "ProcurementMgr" => td_string!(locale, roles.ProcurementMgr).to_string(),
        "Warehouse" => td_string!(locale, roles.Warehouse).to_string(),
        "Accountant" => td_string!(locale, roles.Accountant).to_string(),
        "Executive" => td_string!(locale, roles.Executive).to_string(),
        other => other.to_string(),
    }
}

/// The translated name of an approval stage named by the default rules ("Manager", "Accounts",
/// "Procurement manager"); a stage an administrator named shows that name.
pub fn stage_label(locale: Locale, name: &str) -> String {
    use leptos_i18n::td_string;
    match name {
        "Manager" => td_string!(locale, stages.manager).to_string(),
        "Accounts" => td_string!(locale, stages.accounts).to_string(),
        "Procurement manager" => td_string!(locale, stages.procurement_manager).to_string(),
        other => other.to_string(),
    }
}

/// The error of the last submit of a form, if any.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// The message under one field, in the user's language.
#[component]
pub fn FieldMessage(error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{field}-error");
    move || {
        error
            .get()
            .and_then(|e| e.field_error(field))
            .map(|fe| view! { <p id=id.clone() class="mt-1 text-sm text-red-700">{fe.message(i18n.get_locale())}</p> })
    }
}

/// The summary of a failed submit: the general message of the error.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            view! {
                <div role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
                    {e.message(i18n.get_locale())}
                </div>
            }
        })
    }
}

/// A labelled text input bound to a signal, with its field's message (`upper`: capitals on phone
/// keyboards; `ltr`: codes and numbers that read left to right in Arabic too).
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    error: Signal<Option<AppError>>,
    field: &'static str,
    #[prop(optional)] upper: bool,
    #[prop(optional)] ltr: bool,
) -> impl IntoView {
    view! {
        <div>
            <label for=id.clone() class=LABEL_CLASS>{label}</label>
            <input id=id type="text" class=INPUT_CLASS value=value.get_untracked() prop:value=move || value.get()
                dir=if ltr { "ltr" } else { "auto" }
                autocapitalize=if upper { "characters" } else { "sentences" }
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <FieldMessage error=error field=field />
        </div>
    }
}

pub const INPUT_CLASS: &str =
    "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base \
    focus:border-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-800";
pub const BUTTON_CLASS: &str = "inline-flex items-center justify-center rounded-md bg-blue-800 px-4 py-2 font-semibold \
    text-white hover:bg-blue-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-2 focus-visible:ring-blue-800 disabled:opacity-60";
pub const LABEL_CLASS: &str = "block text-sm font-medium text-slate-800";

/// Opens the browser's print dialog (an event listener's work: the pages' CSP refuses inline
/// handlers such as `onclick="window.print()"`).
pub fn print_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}

/// The tenant's digit grouping once the user is known (western until then).
pub fn tenant_grouping(user: &Result<Option<SessionUser>, AppError>) -> crate::format::Grouping {
    match user {
        Ok(Some(u)) => u.tenant.number_format,
        _ => crate::format::Grouping::Western,
    }
}

/// A failed action: the general message and each field's message, in the user's language.
#[component]
pub fn ErrorDetails(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" class="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
            {let e = error.clone(); move || e.message(i18n.get_locale())}
            {move || error.details(i18n.get_locale()).into_values().map(|m| view! { <p>{m}</p> }).collect_view()}
        </div>
    }
}

/// "Previous · Page n of m · Next" under a paginated list; `prev`/`next` are the links, if any.
#[component]
pub fn Pager(
    current: u32,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
) -> impl IntoView {
    use leptos_router::components::A;
    let i18n = use_i18n();
    view! {
        <nav class="mt-3 flex items-center gap-3 text-sm" aria-label=move || t_string!(i18n, req.page, page = current, pages = pages).to_string()>
            {prev.map(|href| view! { <A href=href attr:class="underline">{t!(i18n, req.previous)}</A> })}
            <span>{t!(i18n, req.page, page = current, pages = pages)}</span>
            {next.map(|href| view! { <A href=href attr:class="underline">{t!(i18n, req.next)}</A> })}
        </nav>
    }
}

/// The `:id` route parameter as a UUID (None when it is missing or malformed).
pub fn use_id_param() -> impl Fn() -> Option<uuid::Uuid> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| uuid::Uuid::parse_str(&s).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_stage_names_are_translated_and_custom_ones_kept() {
        assert_eq!(stage_label(Locale::ar, "Manager"), "المدير");
        assert_eq!(stage_label(Locale::hi, "Accounts"), "लेखा विभाग");
        assert_eq!(
            stage_label(Locale::en, "Procurement manager"),
            "Procurement manager"
        );
        assert_eq!(stage_label(Locale::te, "Plant head"), "Plant head");
        for locale in Locale::get_all() {
            assert_ne!(stage_label(*locale, "Accounts"), "", "{locale:?}");
        }
    }
}
