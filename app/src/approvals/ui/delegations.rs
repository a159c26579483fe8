//! `/approvals/delegations`: the delegation of one's approvals while away, for every kind of
//! document. The form validates as the server does and shows the server's errors per field.
use crate::approvals::api::{create_delegation, delegations_page, revoke_delegation};
use crate::approvals::model::DelegationInput;
use crate::error::AppError;
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::ui::widgets::{
    use_user_resource, ErrorDetails, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use uuid::Uuid;

/// The message of one field: the client's own check first, then the server's answer.
fn field_view(
    i18n: leptos_i18n::I18nContext<Locale>,
    err: Option<AppError>,
    field: &'static str,
) -> impl IntoView {
    err.and_then(|e| e.field_error(field)).map(|fe| {
        view! { <p id=format!("{field}-error") class="mt-1 text-sm text-red-700">{move || fe.message(i18n.get_locale())}</p> }
    })
}

/// `/approvals/delegations`: hand one's approvals to a colleague for a date range, see and revoke
/// the ones in force.
#[component]
pub fn DelegationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let create = Action::new(|input: &DelegationInput| {
        let input = input.clone();
        async move { create_delegation(input).await }
    });
    let revoke = Action::new(|id: &Uuid| {
        let id = *id;
        async move { revoke_delegation(id).await }
    });
    let data = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| delegations_page(),
    );
    let err = move || {
        create
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| revoke.value().get().and_then(|r| r.err()))
    };
    let to_user = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    view! {
        <h1 class="text-2xl font-semibold">{t!(i18n, deleg.title)}</h1>
        <p class="mt-1 max-w-3xl text-slate-700">{t!(i18n, deleg.help)}</p>
        {move || err().map(|e| view! { <ErrorDetails error=e /> })}
        {move || matches!(create.value().get(), Some(Ok(_))).then(|| view! {
            <p role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, deleg.saved)}</p>
        })}
        <Transition>
            {move || Suspend::new(async move {
                let me = user.await.ok().flatten().map(|u| u.id);
                let (rows, people) = match data.await {
                    Ok(d) => d,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let people: Vec<_> = people.into_iter().filter(|c| Some(c.id) != me).collect();
                view! {
                    <h2 class="mt-6 text-lg font-semibold">{t!(i18n, deleg.current)}</h2>
                    {rows.is_empty().then(|| view! { <p class="mt-2 text-slate-700">{t!(i18n, deleg.none)}</p> })}
                    <ul class="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white empty:hidden" data-testid="delegations">
                        {rows.into_iter().map(|d| {
                            let mine = Some(d.from_user_id) == me;
                            let (from, to) = (d.from_user.clone(), d.to_user.clone());
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 p-3">
                                    <div>
                                        <p class="font-medium">{move || t_string!(i18n, deleg.row, from = from.clone(), to = to.clone()).to_string()}</p>
                                        <p class="text-sm text-slate-700">{move || format!("{} – {}", format_date(d.starts_on, i18n.get_locale()), format_date(d.ends_on, i18n.get_locale()))}</p>
                                    </div>
                                    {mine.then(|| view! {
                                        <button type="button" class="rounded-md border border-red-700 px-3 py-1 text-sm font-semibold text-red-800 hover:bg-red-50"
                                            on:click=move |_| { revoke.dispatch(d.id); }>{t!(i18n, deleg.revoke)}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h2 class="mt-6 text-lg font-semibold">{t!(i18n, deleg.add)}</h2>
                    <form class="mt-2 grid max-w-3xl grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3" novalidate
                        on:submit=move |ev| {
                            ev.prevent_default();
                            create.dispatch(DelegationInput {
                                from_user_id: None,
                                to_user_id: Uuid::parse_str(&to_user.get_untracked()).ok(),
                                starts_on: chrono::NaiveDate::parse_from_str(&starts.get_untracked(), "%Y-%m-%d").ok(),
                                ends_on: chrono::NaiveDate::parse_from_str(&ends.get_untracked(), "%Y-%m-%d").ok(),
                            });
                        }>
                        <div><label for="d-to" class=LABEL_CLASS>{t!(i18n, deleg.to)}</label>
                            <select id="d-to" class=INPUT_CLASS on:change=move |ev| to_user.set(event_target_value(&ev))>
                                <option value="">{t!(i18n, req.choose)}</option>
                                {people.into_iter().map(|c| view! { <option value=c.id.to_string() selected=move || to_user.get() == c.id.to_string()>{c.name.clone()}</option> }).collect_view()}
                            </select>
                            {move || field_view(i18n, err(), "to_user_id")}</div>
                        <div><label for="d-from" class=LABEL_CLASS>{t!(i18n, deleg.starts)}</label>
                            <input id="d-from" type="date" class=INPUT_CLASS prop:value=move || starts.get() on:input=move |ev| starts.set(event_target_value(&ev)) />
                            {move || field_view(i18n, err(), "starts_on")}</div>
                        <div><label for="d-until" class=LABEL_CLASS>{t!(i18n, deleg.ends)}</label>
                            <input id="d-until" type="date" class=INPUT_CLASS prop:value=move || ends.get() on:input=move |ev| ends.set(event_target_value(&ev)) />
                            {move || field_view(i18n, err(), "ends_on")}</div>
                        <div class="sm:col-span-3"><button type="submit" class=BUTTON_CLASS disabled=move || create.pending().get()>{t!(i18n, deleg.save)}</button></div>
                    </form>
                }.into_any()
            })}
        </Transition>
    }
}
