//! `/finance/periods`: the fiscal years, newest first, with their monthly periods open or closed;
//! an accountant (`accounting:manage`) closes and reopens a period and adds a year.
use super::{parse_date, FinanceTabs, SECONDARY, SECTION, TABLE_BOX, TD, TH};
use crate::error::{AppError, FieldError};
use crate::finance::api::{create_fiscal_year, list_fiscal_years, set_period_status};
use crate::finance::model::{FiscalYear, FiscalYearInput};
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::ui::widgets::{
    use_user_resource, ErrorDetails, FieldMessage, FormError, BUTTON_CLASS, INPUT_CLASS,
    LABEL_CLASS,
};
use leptos::prelude::*;
use std::collections::BTreeMap;
use uuid::Uuid;

#[component]
pub fn PeriodsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let toggle = Action::new(|(id, close): &(Uuid, bool)| {
        let (id, close) = (*id, *close);
        async move { set_period_status(id, close).await }
    });
    let create = Action::new(|input: &FiscalYearInput| {
        let input = input.clone();
        async move { create_fiscal_year(input).await }
    });
    // read again after a change only: a refusal keeps the new year's form as typed
    let changed = RwSignal::new(0u32);
    let years = Resource::new(move || changed.get(), |_| list_fiscal_years());
    Effect::new(move |_| {
        if let Some(Ok(_)) = toggle.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, fin.periods_title)}</h1>
        <p class="mt-1 max-w-prose text-sm text-slate-700">{t!(i18n, fin.periods_help)}</p>
        {move || toggle.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorDetails error=e /> })}
        <Transition>
            {move || Suspend::new(async move {
                let years = match years.await {
                    Ok(y) => y,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let manage = user.await.ok().flatten().is_some_and(|u| u.can("accounting:manage"));
                view! {
                    {years.is_empty().then(|| view! { <p class="mt-4 text-slate-700">{t!(i18n, fin.no_years)}</p> })}
                    {years.into_iter().map(|y| view! { <YearView year=y manage=manage toggle=toggle /> }).collect_view()}
                    {manage.then(|| view! { <NewYear create=create /> })}
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn YearView(
    year: FiscalYear,
    manage: bool,
    toggle: Action<(Uuid, bool), Result<crate::finance::model::Period, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (start, end) = (year.start_date, year.end_date);
    let span = move || {
        t_string!(
            i18n,
            fin.span,
            from = format_date(start, i18n.get_locale()),
            to = format_date(end, i18n.get_locale())
        )
        .to_string()
    };
    view! {
        <section class=SECTION data-testid="fiscal-year">
            <h2 class="text-lg font-semibold"><bdi dir="ltr">{year.name.clone()}</bdi></h2>
            <p class="text-sm text-slate-700">{span}</p>
            <div class=TABLE_BOX>
                <table class="min-w-full divide-y divide-slate-200">
                    <thead class="bg-slate-50">
                        <tr>
                            <th scope="col" class=TH>{t!(i18n, fin.period)}</th>
                            <th scope="col" class=TH>{t!(i18n, fin.from)}</th>
                            <th scope="col" class=TH>{t!(i18n, fin.to)}</th>
                            <th scope="col" class=TH>{t!(i18n, fin.status)}</th>
                            {manage.then(|| view! { <th scope="col" class=TH><span class="sr-only">{t!(i18n, fin.actions)}</span></th> })}
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {year.periods.into_iter().map(|p| {
                            let closed = p.status == "closed";
                            let (s, e, id, n) = (p.start_date, p.end_date, p.id, p.number);
                            view! {
                                <tr data-testid="period">
                                    <td class=TD>{n}</td>
                                    <td class=format!("{TD} whitespace-nowrap")>{move || format_date(s, i18n.get_locale())}</td>
                                    <td class=format!("{TD} whitespace-nowrap")>{move || format_date(e, i18n.get_locale())}</td>
                                    <td class=TD>
                                        <span class=if closed { "rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800" } else { "rounded bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-900" }>
                                            {move || if closed { t_string!(i18n, fin.closed).to_string() } else { t_string!(i18n, fin.open).to_string() }}
                                        </span>
                                    </td>
                                    {manage.then(|| view! {
                                        <td class=TD>
                                            <button type="button" class=SECONDARY disabled=move || toggle.pending().get()
                                                on:click=move |_| { toggle.dispatch((id, !closed)); }>
                                                {move || if closed { t_string!(i18n, fin.reopen).to_string() } else { t_string!(i18n, fin.close).to_string() }}
                                            </button>
                                        </td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn NewYear(create: Action<FiscalYearInput, Result<FiscalYear, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let local = RwSignal::new(None::<AppError>);
    let error = Signal::derive(move || {
        local
            .get()
            .or_else(|| create.value().get().and_then(|r| r.err()))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = BTreeMap::new();
        let (s, en) = (parse_date(&start.get()), parse_date(&end.get()));
        if s.is_none() {
            e.insert("start_date".to_string(), FieldError::Required);
        }
        if en.is_none() {
            e.insert("end_date".to_string(), FieldError::Required);
        }
        match (s, en) {
            (Some(start_date), Some(end_date)) => {
                local.set(None);
                create.dispatch(FiscalYearInput {
                    name: name.get(),
                    start_date,
                    end_date,
                });
            }
            _ => local.set(Some(AppError::Validation(e))),
        }
    };
    view! {
        <section class=SECTION aria-labelledby="fy-new">
            <h2 id="fy-new" class="text-lg font-semibold">{t!(i18n, fin.add_year)}</h2>
            {move || matches!(create.value().get(), Some(Ok(_))).then(|| view! {
                <p role="status" class="mt-2 rounded-md border border-green-300 bg-green-50 p-2 text-sm text-green-900">{t!(i18n, fin.saved)}</p>
            })}
            <form on:submit=submit novalidate class="mt-3 grid gap-3 sm:grid-cols-3">
                <div>
                    <label for="fy-name" class=LABEL_CLASS>{t!(i18n, fin.year_name)}</label>
                    <input id="fy-name" class=INPUT_CLASS dir="ltr" placeholder="2027-28" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    <FieldMessage error=error field="name" />
                </div>
                <div>
                    <label for="fy-start" class=LABEL_CLASS>{t!(i18n, fin.from)}</label>
                    <input id="fy-start" type="date" class=INPUT_CLASS prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev)) />
                    <FieldMessage error=error field="start_date" />
                </div>
                <div>
                    <label for="fy-end" class=LABEL_CLASS>{t!(i18n, fin.to)}</label>
                    <input id="fy-end" type="date" class=INPUT_CLASS prop:value=move || end.get() on:input=move |ev| end.set(event_target_value(&ev)) />
                    <FieldMessage error=error field="end_date" />
                </div>
                <div class="sm:col-span-3">
                    <FormError error=error />
                    <button type="submit" class=format!("{BUTTON_CLASS} mt-2") disabled=move || create.pending().get()>{t!(i18n, fin.create_year)}</button>
                </div>
            </form>
        </section>
    }
}
