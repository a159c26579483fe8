//! `/inventory/units`: the units of measure with their names in every language and decimal
//! places, and the conversions between them ("1 BOX = 12 PCS", optionally for one item). Anyone
//! signed in reads them; those who keep the item master (`inventory:manage`) add and edit.
use crate::error::AppError;
use crate::i18n::*;
use crate::inventory::api::suggest_items;
use crate::inventory::model::units::{Conversion, ConversionInput, Unit, UnitInput};
use crate::inventory::model::LANGUAGES;
use crate::inventory::ui::InventoryTabs;
use crate::inventory::units_api::{
    delete_unit_conversion, list_unit_conversions, list_units, save_unit, save_unit_conversion,
};
use crate::platform::ui::widgets::{
    use_user_resource, FieldMessage, FormError, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use uuid::Uuid;

const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-4";
const SECONDARY: &str = "inline-flex items-center justify-center rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-800";

type Loaded = Result<(Vec<Unit>, Vec<Conversion>), AppError>;

async fn load() -> Loaded {
    Ok((list_units().await?, list_unit_conversions().await?))
}

fn name_label(i18n: leptos_i18n::I18nContext<Locale>, lang: &str) -> String {
    match lang {
        "hi" => t_string!(i18n, units.name_hi),
        "bn" => t_string!(i18n, units.name_bn),
        "te" => t_string!(i18n, units.name_te),
        "ar" => t_string!(i18n, units.name_ar),
        _ => t_string!(i18n, units.name_en),
    }
    .to_string()
}

#[component]
pub fn UnitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let saved = RwSignal::new(0u32);
    // fetched by the browser (a local resource): the signed-in layout re-renders during SSR and
    // shifts the serialised resources (see platform::ui::setup)
    let data = LocalResource::new(move || {
        saved.track();
        load()
    });
    let manage = LocalResource::new(move || async move {
        user.await
            .ok()
            .flatten()
            .is_some_and(|u| u.can("inventory:manage"))
    });
    let reload = Callback::new(move |_: ()| saved.update(|n| *n += 1));
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, units.title)}</h1>
        <p class="mt-2 max-w-prose text-sm text-slate-700">{t!(i18n, units.intro)}</p>
        // no fallback: a local resource's fallback rendered on the server does not hydrate
        <Transition>
            {move || Suspend::new(async move {
                let manage = manage.await;
                match data.await {
                    Err(e) => view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                    Ok((units, conversions)) => view! {
                        <UnitsSection units=units.clone() manage=manage reload=reload />
                        <ConversionsSection units=units conversions=conversions manage=manage reload=reload />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn UnitsSection(units: Vec<Unit>, manage: bool, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // the unit being edited (None: a new one)
    let editing = RwSignal::new(None::<Unit>);
    let open = RwSignal::new(false);
    let list = units.clone();
    view! {
        <section class=SECTION aria-labelledby="units-heading">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="units-heading" class="text-lg font-semibold">{t!(i18n, units.title)}</h2>
                {manage.then(|| view! {
                    <button type="button" class=BUTTON_CLASS data-testid="add-unit"
                        on:click=move |_| { editing.set(None); open.set(true); }>
                        {t!(i18n, units.add_unit)}
                    </button>
                })}
            </div>
            {list.is_empty().then(|| view! { <p class="mt-2 text-slate-600">{t!(i18n, units.none)}</p> })}
            <ul class="mt-3 divide-y divide-slate-200" data-testid="units">
                {list.into_iter().map(|u| {
                    let edit = u.clone();
                    view! {
                        <li class="flex flex-wrap items-center gap-x-4 gap-y-1 py-2">
                            <bdi class="min-w-[4rem] font-mono font-semibold" dir="ltr">{u.code.clone()}</bdi>
                            <span class="flex-1">{u.name.clone()}</span>
                            <span class="text-sm text-slate-600">{t!(i18n, units.decimals)}": "{u.decimals}</span>
                            <span class="text-sm" class:text-slate-500=!u.active>
                                {if u.active { t_string!(i18n, units.active).to_string() } else { t_string!(i18n, units.inactive).to_string() }}
                            </span>
                            {manage.then(|| view! {
                                <button type="button" class=SECONDARY
                                    on:click=move |_| { editing.set(Some(edit.clone())); open.set(true); }>
                                    {t!(i18n, units.edit)}
                                    <span class="sr-only">" "{u.code.clone()}</span>
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || open.get().then(|| view! {
                <UnitForm unit=editing.get_untracked() close=Callback::new(move |changed: bool| {
                    open.set(false);
                    if changed { reload.run(()); }
                }) />
            })}
        </section>
    }
}

#[component]
fn UnitForm(unit: Option<Unit>, close: Callback<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let id = unit.as_ref().map(|u| u.id);
    let code = RwSignal::new(unit.as_ref().map(|u| u.code.clone()).unwrap_or_default());
    let decimals = RwSignal::new(unit.as_ref().map(|u| u.decimals).unwrap_or(0).to_string());
    let active = RwSignal::new(unit.as_ref().is_none_or(|u| u.active));
    let names: Vec<(&'static str, RwSignal<String>)> = LANGUAGES
        .iter()
        .map(|l| {
            let v = unit
                .as_ref()
                .and_then(|u| u.names.get(*l).cloned())
                .unwrap_or_default();
            (*l, RwSignal::new(v))
        })
        .collect();
    let names_for_save = names.clone();
    let save = Action::new(move |input: &UnitInput| {
        let input = input.clone();
        async move { save_unit(id, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            close.run(true);
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let names: BTreeMap<String, String> = names_for_save
            .iter()
            .map(|(l, v)| (l.to_string(), v.get_untracked()))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        save.dispatch(UnitInput {
            code: code.get_untracked(),
            names,
            decimals: decimals.get_untracked().trim().parse().unwrap_or(-1),
            active: Some(active.get_untracked()),
        });
    };
    view! {
        <form class="mt-4 grid gap-3 rounded-md border border-slate-300 p-3 sm:grid-cols-2" on:submit=submit data-testid="unit-form">
            <h3 class="font-semibold sm:col-span-2">
                {if id.is_some() { t_string!(i18n, units.edit_unit).to_string() } else { t_string!(i18n, units.add_unit).to_string() }}
            </h3>
            <div>
                <label for="unit-code" class=LABEL_CLASS>{t!(i18n, units.code)}</label>
                <input id="unit-code" type="text" class=INPUT_CLASS dir="ltr" autocapitalize="characters" maxlength="20"
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                <FieldMessage error=error field="code" />
            </div>
            <div>
                <label for="unit-decimals" class=LABEL_CLASS>{t!(i18n, units.decimals)}</label>
                <input id="unit-decimals" type="number" min="0" max="6" step="1" inputmode="numeric" class=INPUT_CLASS
                    prop:value=move || decimals.get() on:input=move |ev| decimals.set(event_target_value(&ev)) />
                <FieldMessage error=error field="decimals" />
            </div>
            {names.into_iter().map(|(lang, value)| {
                let input_id = format!("unit-name-{lang}");
                let field: &'static str = match lang {
                    "hi" => "names.hi",
                    "bn" => "names.bn",
                    "te" => "names.te",
                    "ar" => "names.ar",
                    _ => "names.en",
                };
                view! {
                    <div>
                        <label for=input_id.clone() class=LABEL_CLASS>{move || name_label(i18n, lang)}</label>
                        <input id=input_id type="text" class=INPUT_CLASS lang=lang dir="auto" maxlength="100"
                            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                        <FieldMessage error=error field=field />
                    </div>
                }
            }).collect_view()}
            <label class="flex items-center gap-2 sm:col-span-2">
                <input type="checkbox" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                {t!(i18n, units.active)}
            </label>
            <div class="sm:col-span-2"><FormError error=error /></div>
            <div class="flex flex-wrap gap-2 sm:col-span-2">
                <button type="submit" class=BUTTON_CLASS>{t!(i18n, units.save)}</button>
                <button type="button" class=SECONDARY on:click=move |_| close.run(false)>{t!(i18n, units.cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn ConversionsSection(
    units: Vec<Unit>,
    conversions: Vec<Conversion>,
    manage: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let remove = Action::new(move |id: &Uuid| {
        let id = *id;
        async move { delete_unit_conversion(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            reload.run(());
        }
    });
    let remove_error = Signal::derive(move || remove.value().get().and_then(|r| r.err()));
    view! {
        <section class=SECTION aria-labelledby="conversions-heading">
            <h2 id="conversions-heading" class="text-lg font-semibold">{t!(i18n, units.conversions)}</h2>
            <p class="mt-1 max-w-prose text-sm text-slate-700">{t!(i18n, units.conversions_intro)}</p>
            {conversions.is_empty().then(|| view! { <p class="mt-2 text-slate-600">{t!(i18n, units.no_conversions)}</p> })}
            <ul class="mt-3 divide-y divide-slate-200" data-testid="conversions">
                {conversions.into_iter().map(|c| {
                    let id = c.id;
                    let formula = format!("1 {} = {} {}", c.from_unit, c.factor, c.to_unit);
                    view! {
                        <li class="flex flex-wrap items-center gap-x-4 gap-y-1 py-2">
                            <bdi class="font-mono" dir="ltr">{formula.clone()}</bdi>
                            <span class="flex-1 text-sm text-slate-600">
                                {match c.item_sku.clone() {
                                    Some(sku) => view! { <bdi dir="ltr">{sku}</bdi> }.into_any(),
                                    None => view! { <span>{t!(i18n, units.all_items)}</span> }.into_any(),
                                }}
                            </span>
                            {manage.then(|| view! {
                                <button type="button" class=SECONDARY on:click=move |_| { remove.dispatch(id); }>
                                    {t!(i18n, units.delete)}
                                    <span class="sr-only">" "{formula.clone()}</span>
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <FormError error=remove_error />
            {manage.then(|| view! { <ConversionForm units=units reload=reload /> })}
        </section>
    }
}

#[component]
fn ConversionForm(units: Vec<Unit>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let active: Vec<String> = units
        .iter()
        .filter(|u| u.active)
        .map(|u| u.code.clone())
        .collect();
    let from = RwSignal::new(active.first().cloned().unwrap_or_default());
    let to = RwSignal::new(active.get(1).cloned().unwrap_or_default());
    let factor = RwSignal::new(String::new());
    let sku = RwSignal::new(String::new());
    // the item's SKU becomes its id through the type-ahead's exact match
    let save = Action::new(move |(input, sku): &(ConversionInput, String)| {
        let mut input = input.clone();
        let sku = sku.trim().to_uppercase();
        async move {
            if !sku.is_empty() {
                let found = suggest_items(sku.clone()).await?;
                match found.into_iter().find(|s| s.sku == sku) {
                    Some(s) => input.item_id = Some(s.id),
                    None => {
                        return Err(AppError::field(
                            "item_id",
                            crate::error::FieldError::UnknownReference,
                        ))
                    }
                }
            }
            save_unit_conversion(None, input).await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            reload.run(());
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = factor.get_untracked().trim().replace(',', ".");
        let Ok(f) = Decimal::from_str(&text) else {
            save.value().set(Some(Err(AppError::field(
                "factor",
                crate::error::FieldError::Invalid,
            ))));
            return;
        };
        save.dispatch((
            ConversionInput {
                from_unit: from.get_untracked(),
                to_unit: to.get_untracked(),
                factor: f,
                item_id: None,
            },
            sku.get_untracked(),
        ));
    };
    let options = move |chosen: RwSignal<String>| {
        active
            .iter()
            .map(|c| {
                let (value, shown, v) = (c.clone(), c.clone(), c.clone());
                view! { <option value=value selected=move || chosen.get() == v>{shown}</option> }
            })
            .collect_view()
    };
    let from_options = options.clone()(from);
    let to_options = options(to);
    view! {
        <form class="mt-4 grid gap-3 rounded-md border border-slate-300 p-3 sm:grid-cols-4" on:submit=submit data-testid="conversion-form">
            <h3 class="font-semibold sm:col-span-4">{t!(i18n, units.add_conversion)}</h3>
            <div>
                <label for="conv-from" class=LABEL_CLASS>{t!(i18n, units.from_unit)}</label>
                <select id="conv-from" class=INPUT_CLASS on:change=move |ev| from.set(event_target_value(&ev))>{from_options}</select>
                <FieldMessage error=error field="from_unit" />
            </div>
            <div>
                <label for="conv-factor" class=LABEL_CLASS>{t!(i18n, units.factor)}</label>
                <input id="conv-factor" type="text" inputmode="decimal" dir="ltr" class=INPUT_CLASS placeholder="12"
                    prop:value=move || factor.get() on:input=move |ev| factor.set(event_target_value(&ev)) />
                <FieldMessage error=error field="factor" />
            </div>
            <div>
                <label for="conv-to" class=LABEL_CLASS>{t!(i18n, units.to_unit)}</label>
                <select id="conv-to" class=INPUT_CLASS on:change=move |ev| to.set(event_target_value(&ev))>{to_options}</select>
                <FieldMessage error=error field="to_unit" />
            </div>
            <div>
                <label for="conv-item" class=LABEL_CLASS>{t!(i18n, units.item)}</label>
                <input id="conv-item" type="text" dir="ltr" autocapitalize="characters" class=INPUT_CLASS
                    prop:value=move || sku.get() on:input=move |ev| sku.set(event_target_value(&ev)) />
                <FieldMessage error=error field="item_id" />
            </div>
            <p class="text-sm text-slate-700 sm:col-span-4" aria-live="polite">
                <bdi dir="ltr">{move || format!("1 {} = {} {}", from.get(), factor.get(), to.get())}</bdi>
            </p>
            <div class="sm:col-span-4"><FormError error=error /></div>
            <div class="sm:col-span-4">
                <button type="submit" class=BUTTON_CLASS>{t!(i18n, units.add_conversion)}</button>
            </div>
        </form>
    }
}
