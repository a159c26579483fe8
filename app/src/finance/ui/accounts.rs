//! `/finance/accounts`: the chart of accounts as an indented tree. An accountant
//! (`accounting:manage`) adds and edits an account or group, and imports accounts from CSV.
use super::{control_label, kind_label, FinanceTabs, I18n, SECONDARY, SECTION, TABLE_BOX, TD, TH};
use crate::error::AppError;
use crate::finance::api::{import_accounts, list_accounts, save_account};
use crate::finance::model::{Account, AccountInput, AccountKind, Control};
use crate::format::isolate_ltr_runs;
use crate::i18n::*;
use crate::platform::ui::widgets::{
    use_user_resource, ErrorDetails, FieldMessage, FormError, BUTTON_CLASS, INPUT_CLASS,
    LABEL_CLASS,
};
use crate::procurement::api::list_plants;
use crate::procurement::model::masters::Choice;
use leptos::prelude::*;
use uuid::Uuid;

/// Indentation of a tree level (inline start, so it mirrors in Arabic).
const INDENT: [&str; 6] = ["ps-3", "ps-7", "ps-11", "ps-15", "ps-19", "ps-23"];

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let save = Action::new(|(id, input): &(Option<Uuid>, AccountInput)| {
        let (id, input) = (*id, input.clone());
        async move { save_account(id, input).await }
    });
    let import = Action::new(|csv: &String| {
        let csv = csv.clone();
        async move { import_accounts(csv).await }
    });
    // the chart is read again after a change only: a refusal keeps the forms as typed (reading
    // again re-renders them)
    let changed = RwSignal::new(0u32);
    let chart = Resource::new(move || changed.get(), |_| list_accounts());
    let plants = Resource::new(|| (), |_| list_plants());
    // the account being edited: Some(None) a new one, Some(Some(a)) that one
    let editing = RwSignal::new(None::<Option<Account>>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = import.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, fin.tab_accounts)}</h1>
        <p class="mt-1 max-w-prose text-sm text-slate-700">{t!(i18n, fin.accounts_help)}</p>
        <Transition>
            {move || Suspend::new(async move {
                let accounts = match chart.await {
                    Ok(a) => a,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let plants = plants.await.unwrap_or_default();
                let manage = user.await.ok().flatten().is_some_and(|u| u.can("accounting:manage"));
                let all = StoredValue::new(accounts.clone());
                let plants = StoredValue::new(plants);
                view! {
                    {manage.then(|| view! {
                        <div class="mt-4 flex flex-wrap gap-2">
                            <button type="button" class=BUTTON_CLASS data-testid="add-account" on:click=move |_| editing.set(Some(None))>{t!(i18n, fin.add_account)}</button>
                        </div>
                    })}
                    {move || editing.get().map(|a| view! { <AccountForm account=a accounts=all.get_value() plants=plants.get_value() save=save on_cancel=Callback::new(move |_: ()| editing.set(None)) /> })}
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="chart">
                            <thead class="bg-slate-50">
                                <tr>
                                    <th scope="col" class=TH>{t!(i18n, fin.code)}</th>
                                    <th scope="col" class=TH>{t!(i18n, fin.name)}</th>
                                    <th scope="col" class=TH>{t!(i18n, fin.kind)}</th>
                                    <th scope="col" class=TH>{t!(i18n, fin.control)}</th>
                                    <th scope="col" class=TH>{t!(i18n, fin.status)}</th>
                                    {manage.then(|| view! { <th scope="col" class=TH><span class="sr-only">{t!(i18n, fin.actions)}</span></th> })}
                                </tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {accounts.into_iter().map(|a| {
                                    let indent = INDENT[usize::try_from(a.depth).unwrap_or(0).min(INDENT.len() - 1)];
                                    let (kind, control, active, group) = (a.kind, a.control, a.active, a.is_group);
                                    let edit = a.clone();
                                    view! {
                                        <tr class:bg-slate-50=group class:text-slate-500=!active>
                                            <td class=format!("{indent} whitespace-nowrap py-2 pe-3 text-sm")><bdi class="font-mono" class:font-semibold=group dir="ltr">{a.code.clone()}</bdi></td>
                                            <td class=TD class:font-semibold=group>{isolate_ltr_runs(&a.name)}</td>
                                            <td class=TD>{move || kind_label(i18n, kind)}</td>
                                            <td class=TD>{move || control.map(|c| control_label(i18n, c)).unwrap_or_default()}</td>
                                            <td class=TD>{move || if active { t_string!(i18n, fin.active).to_string() } else { t_string!(i18n, fin.inactive).to_string() }}</td>
                                            {manage.then(|| view! {
                                                <td class=TD>
                                                    <button type="button" class=SECONDARY on:click=move |_| editing.set(Some(Some(edit.clone())))>
                                                        {t!(i18n, fin.edit)}<span class="sr-only">" "{a.code.clone()}</span>
                                                    </button>
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {manage.then(|| view! { <ImportForm import=import /> })}
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn AccountForm(
    account: Option<Account>,
    accounts: Vec<Account>,
    plants: Vec<Choice>,
    save: Action<(Option<Uuid>, AccountInput), Result<Account, AppError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.as_ref().map(|a| a.id);
    let a = account.clone();
    let text = |f: fn(&Account) -> String| RwSignal::new(a.as_ref().map(f).unwrap_or_default());
    let code = text(|a| a.code.clone());
    let name = text(|a| a.name.clone());
    let kind = RwSignal::new(
        a.as_ref()
            .map(|a| a.kind)
            .unwrap_or(AccountKind::Asset)
            .as_str()
            .to_string(),
    );
    let parent = text(|a| a.parent_id.map(|p| p.to_string()).unwrap_or_default());
    let control = text(|a| {
        a.control
            .map(|c| c.as_str().to_string())
            .unwrap_or_default()
    });
    let plant = text(|a| a.plant_id.map(|p| p.to_string()).unwrap_or_default());
    let tally = text(|a| a.tally_name.clone().unwrap_or_default());
    let group = RwSignal::new(a.as_ref().is_some_and(|a| a.is_group));
    let active = RwSignal::new(a.as_ref().is_none_or(|a| a.active));
    let currency = a.as_ref().and_then(|a| a.currency.clone());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let groups = StoredValue::new(
        accounts
            .into_iter()
            .filter(|g| g.is_group && Some(g.id) != id)
            .collect::<Vec<_>>(),
    );
    let plants = StoredValue::new(plants);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let opt = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let input = AccountInput {
            code: code.get(),
            name: name.get(),
            kind: kind.get(),
            is_group: group.get(),
            parent_id: Uuid::parse_str(&parent.get()).ok(),
            // a group plays no role (its select is disabled, but may still hold the old one)
            control: opt(control.get()).filter(|_| !group.get()),
            plant_id: Uuid::parse_str(&plant.get())
                .ok()
                .filter(|_| control.get() == "inventory"),
            currency: currency.clone(),
            tally_name: opt(tally.get()),
            active: active.get(),
        };
        save.dispatch((id, input));
    };
    let input = move |id: &'static str, sig: RwSignal<String>, ltr: bool| {
        view! { <input id=id class=INPUT_CLASS dir=if ltr { "ltr" } else { "auto" } prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev)) /> }
    };
    view! {
        <section class=SECTION aria-labelledby="acc-form-title" data-testid="account-form">
            <h2 id="acc-form-title" class="text-lg font-semibold">
                {move || if id.is_some() { t_string!(i18n, fin.edit_account).to_string() } else { t_string!(i18n, fin.add_account).to_string() }}
            </h2>
            <form on:submit=submit novalidate class="mt-3 grid gap-3 sm:grid-cols-2">
                <div><label for="acc-code" class=LABEL_CLASS>{t!(i18n, fin.code)}</label>{input("acc-code", code, true)}<FieldMessage error=error field="code" /></div>
                <div><label for="acc-name" class=LABEL_CLASS>{t!(i18n, fin.name)}</label>{input("acc-name", name, false)}<FieldMessage error=error field="name" /></div>
                <div>
                    <label for="acc-kind" class=LABEL_CLASS>{t!(i18n, fin.kind)}</label>
                    <select id="acc-kind" class=INPUT_CLASS on:change=move |ev| { kind.set(event_target_value(&ev)); parent.set(String::new()); }>
                        {AccountKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=move || kind.get() == k.as_str()>{move || kind_label(i18n, k)}</option> }).collect_view()}
                    </select>
                    <FieldMessage error=error field="kind" />
                </div>
                <div>
                    <label for="acc-parent" class=LABEL_CLASS>{t!(i18n, fin.parent)}</label>
                    <select id="acc-parent" class=INPUT_CLASS on:change=move |ev| parent.set(event_target_value(&ev))>
                        <option value="" selected=move || parent.get().is_empty()>{t!(i18n, fin.no_parent)}</option>
                        {move || groups.get_value().into_iter().filter(|g| g.kind.as_str() == kind.get()).map(|g| {
                            let v = g.id.to_string();
                            let sel = v == parent.get_untracked();
                            view! { <option value=v selected=sel>{format!("{} — {}", g.code, g.name)}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage error=error field="parent_id" />
                </div>
                <div class="flex items-center gap-2 sm:col-span-2">
                    <input id="acc-group" type="checkbox" class="h-4 w-4" prop:checked=move || group.get() on:change=move |ev| group.set(event_target_checked(&ev)) />
                    <label for="acc-group" class="text-sm">{t!(i18n, fin.is_group)}</label>
                    <FieldMessage error=error field="is_group" />
                </div>
                <div>
                    <label for="acc-control" class=LABEL_CLASS>{t!(i18n, fin.control)}</label>
                    <select id="acc-control" class=INPUT_CLASS disabled=move || group.get() on:change=move |ev| control.set(event_target_value(&ev))>
                        <option value="" selected=move || control.get().is_empty()>{t!(i18n, fin.no_control)}</option>
                        {Control::ALL.into_iter().map(|c| view! { <option value=c.as_str() selected=move || control.get() == c.as_str()>{move || control_label(i18n, c)}</option> }).collect_view()}
                    </select>
                    <FieldMessage error=error field="control" />
                </div>
                {move || (control.get() == "inventory").then(|| view! {
                    <div>
                        <label for="acc-plant" class=LABEL_CLASS>{t!(i18n, fin.plant)}</label>
                        <select id="acc-plant" class=INPUT_CLASS on:change=move |ev| plant.set(event_target_value(&ev))>
                            <option value="" selected=move || plant.get().is_empty()>{t!(i18n, fin.other_plants)}</option>
                            {plants.get_value().into_iter().map(|p| { let v = p.id.to_string(); let sel = v == plant.get_untracked(); view! { <option value=v selected=sel>{format!("{} — {}", p.code, p.name)}</option> } }).collect_view()}
                        </select>
                        <FieldMessage error=error field="plant_id" />
                    </div>
                })}
                <div><label for="acc-tally" class=LABEL_CLASS>{t!(i18n, fin.tally_name)}</label>{input("acc-tally", tally, false)}<FieldMessage error=error field="tally_name" /></div>
                <div class="flex items-center gap-2">
                    <input id="acc-active" type="checkbox" class="h-4 w-4" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                    <label for="acc-active" class="text-sm">{t!(i18n, fin.active)}</label>
                </div>
                <div class="flex flex-wrap items-center gap-2 sm:col-span-2">
                    <FormError error=error />
                    <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, fin.save)}</button>
                    <button type="button" class=SECONDARY on:click=move |_| on_cancel.run(())>{t!(i18n, fin.cancel)}</button>
                </div>
            </form>
        </section>
    }
}

/// A field of an imported row, by its column's name.
fn column_label(i18n: I18n, field: &str) -> String {
    match field {
        "code" => t_string!(i18n, fin.code).to_string(),
        "name" => t_string!(i18n, fin.name).to_string(),
        "kind" => t_string!(i18n, fin.kind).to_string(),
        "parent_code" | "parent_id" => t_string!(i18n, fin.parent).to_string(),
        "control" => t_string!(i18n, fin.control).to_string(),
        "is_group" => t_string!(i18n, fin.is_group).to_string(),
        other => other.to_string(),
    }
}

/// `rows[3].kind` as (line of the file, counting the header as line 1; the column).
fn row_of(key: &str) -> Option<(usize, String)> {
    let rest = key.strip_prefix("rows[")?;
    let (n, tail) = rest.split_once(']')?;
    let n: usize = n.parse().ok()?;
    Some((n + 2, tail.trim_start_matches('.').to_string()))
}

#[component]
fn ImportForm(import: Action<String, Result<usize, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        import.dispatch(text.get());
    };
    let error = Signal::derive(move || import.value().get().and_then(|r| r.err()));
    view! {
        <section class=SECTION aria-labelledby="acc-import">
            <h2 id="acc-import" class="text-lg font-semibold">{t!(i18n, fin.import_title)}</h2>
            <p class="mt-1 text-sm text-slate-700">{t!(i18n, fin.import_help)}</p>
            <form on:submit=submit novalidate class="mt-3 space-y-2">
                <label for="acc-csv" class=LABEL_CLASS>{t!(i18n, fin.csv)}</label>
                <textarea id="acc-csv" rows="6" dir="ltr" class=format!("{INPUT_CLASS} font-mono text-sm") placeholder="code,name,kind,parent_code,is_group,control"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                {move || match import.value().get() {
                    Some(Ok(n)) => Some(view! { <p role="status" class="rounded-md border border-green-300 bg-green-50 p-2 text-sm text-green-900">{t_string!(i18n, fin.imported, count = n).to_string()}</p> }.into_any()),
                    Some(Err(e)) => {
                        let locale = i18n.get_locale();
                        let rows = match &e {
                            AppError::Validation(fields) => fields.iter().map(|(k, fe)| match row_of(k) {
                                Some((line, col)) => t_string!(i18n, fin.row_error, line = line, field = column_label(i18n, &col), message = fe.message(locale)).to_string(),
                                None => fe.message(locale),
                            }).collect::<Vec<_>>(),
                            _ => Vec::new(),
                        };
                        Some(view! {
                            <FormError error=error />
                            <ul class="list-disc ps-6 text-sm text-red-800" data-testid="import-errors">
                                {rows.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                            </ul>
                        }.into_any())
                    }
                    None => None,
                }}
                <button type="submit" class=BUTTON_CLASS disabled=move || import.pending().get()>{t!(i18n, fin.import)}</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::row_of;

    #[test]
    fn an_import_error_names_the_line_of_the_file() {
        assert_eq!(row_of("rows[0].kind"), Some((2, "kind".to_string())));
        assert_eq!(row_of("rows[12]"), Some((14, String::new())));
        assert_eq!(row_of("file"), None);
    }
}
