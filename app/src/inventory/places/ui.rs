//! The category tree (`/inventory/categories`) and storage locations (`/inventory/locations`,
//! with their printable labels at `/inventory/locations/labels?ids=…`). Both screens load their
//! data in the browser (a local resource), as the settings pages do: the signed-in layout
//! re-renders during SSR and would shift serialised resources. The labels page is read on the
//! server, so it prints as it arrives.
use super::api::{list_categories, list_places, location_labels, save_category, save_location};
use super::{Category, CategoryInput, LocationInput};
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::inventory::model::Location;
use crate::inventory::ui::InventoryTabs;
use crate::platform::model::{language_autonym, LANGUAGES};
use crate::platform::settings::Plant;
use crate::platform::ui::widgets::{
    print_page, use_user_resource, FieldMessage, FormError, TextField, UserResource, BUTTON_CLASS,
    INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use uuid::Uuid;

const CARD: &str = "mt-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6";
const SECONDARY: &str = "inline-flex items-center justify-center rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-800";
/// A tree row's indent by depth, as classes (the page's CSP refuses inline styles).
const INDENT: [&str; 6] = ["ps-3", "ps-8", "ps-12", "ps-16", "ps-20", "ps-24"];
/// The per-language name fields, as the service names them.
const NAME_FIELDS: [&str; 5] = ["names.en", "names.hi", "names.bn", "names.te", "names.ar"];

/// Whether the signed-in user holds `permission`: awaited inside the pages' transitions (the
/// user is known there on the server and when hydrating alike).
async fn user_can(user: UserResource, permission: &'static str) -> bool {
    user.await.ok().flatten().is_some_and(|u| u.can(permission))
}

/// What the category form edits: a category (`id`) or a new one under `parent`.
#[derive(Clone, Debug, PartialEq)]
struct Editing {
    category: Option<Category>,
    parent: Option<Uuid>,
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let saved = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        saved.track();
        list_categories()
    });
    let editing = RwSignal::new(None::<Editing>);
    let user = use_user_resource();
    let done = Callback::new(move |_: ()| {
        editing.set(None);
        saved.update(|n| *n += 1);
    });
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, places.categories)}</h1>
        <p class="mt-1 text-sm text-slate-700">{t!(i18n, places.categories_help)}</p>
        <Transition>
            {move || Suspend::new(async move {
                let loaded = data.await;
                let manage = user_can(user, "inventory:manage").await;
                match loaded {
                    Err(e) => view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                    Ok(all) => {
                        let all = StoredValue::new(all);
                        view! {
                            {manage.then(|| view! {
                                <button type="button" class=format!("{BUTTON_CLASS} mt-3") data-testid="add-category"
                                    on:click=move |_| editing.set(Some(Editing { category: None, parent: None }))>
                                    {t!(i18n, places.add_category)}
                                </button>
                            })}
                            {move || editing.get().map(|e| view! {
                                <section class=CARD><CategoryForm editing=e all=all.get_value() done=done close=Callback::new(move |_: ()| editing.set(None)) /></section>
                            })}
                            <CategoryTree all=all.get_value() editing=editing manage=manage />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn CategoryTree(
    all: Vec<Category>,
    editing: RwSignal<Option<Editing>>,
    manage: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if all.is_empty() {
        return view! { <p class="mt-4 text-slate-700">{t!(i18n, places.no_categories)}</p> }
            .into_any();
    }
    view! {
        <ul class="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="category-tree">
            {all.into_iter().map(|c| {
                let depth = c.path.len().saturating_sub(1);
                let (id, edit_c) = (c.id, c.clone());
                view! {
                    <li class=format!("flex flex-wrap items-center justify-between gap-2 p-3 {}", INDENT[depth.min(INDENT.len() - 1)])>
                        <div class="min-w-0">
                            <p class="font-medium">{depth.gt(&0).then_some("└ ")}{c.name.clone()}</p>
                            <p class="text-xs text-slate-700"><span dir="ltr" class="font-mono">{c.code.clone()}</span>
                                {" · "}{t!(i18n, places.items)}{": "}<span class="tabular-nums" data-testid="item-count">{c.item_count}</span></p>
                        </div>
                        {manage.then(|| view! {
                            <div class="flex gap-2">
                                <button type="button" class=SECONDARY on:click={
                                    let edit_c = edit_c.clone();
                                    move |_| editing.set(Some(Editing { category: Some(edit_c.clone()), parent: edit_c.parent_id }))
                                }>{t!(i18n, places.edit)}</button>
                                <button type="button" class=SECONDARY on:click=move |_| editing.set(Some(Editing { category: None, parent: Some(id) }))>
                                    {t!(i18n, places.add_child)}
                                </button>
                            </div>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The form of one category: its code, its names in every language side by side, its parent.
#[component]
fn CategoryForm(
    editing: Editing,
    all: Vec<Category>,
    done: Callback<()>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = editing.category.as_ref().map(|c| c.id);
    let code = RwSignal::new(
        editing
            .category
            .as_ref()
            .map(|c| c.code.clone())
            .unwrap_or_default(),
    );
    let names: Vec<(&'static str, RwSignal<String>)> = LANGUAGES
        .iter()
        .map(|l| {
            let v = editing
                .category
                .as_ref()
                .and_then(|c| c.names.get(*l).cloned())
                .unwrap_or_default();
            (*l, RwSignal::new(v))
        })
        .collect();
    let parent = RwSignal::new(editing.parent.map(|p| p.to_string()).unwrap_or_default());
    // a category cannot go under itself or its own branch: those are not offered
    let choices: Vec<(Uuid, String)> = all
        .iter()
        .filter(|c| !id.is_some_and(|me| super::within_branch(&all, me, c.id)))
        .map(|c| (c.id, c.path.join(" › ")))
        .collect();
    let names_sv = StoredValue::new(names.clone());
    let save = Action::new(move |_: &()| async move {
        let names: BTreeMap<String, String> = names_sv
            .get_value()
            .iter()
            .map(|(l, v)| (l.to_string(), v.get_untracked()))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        let input = CategoryInput {
            code: code.get_untracked(),
            names,
            parent_id: parent.get_untracked().parse::<Uuid>().ok(),
        };
        save_category(id, input).await.map(|_| ())
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            done.run(());
        }
    });
    let key = id
        .map(|i| i.simple().to_string())
        .unwrap_or_else(|| "new".into());
    view! {
        <form class="grid gap-3" data-testid="category-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <FormError error=error />
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField id=format!("cat-code-{key}") field="code" label=Signal::derive(move || t_string!(i18n, places.code).to_string()) value=code error=error upper=true ltr=true />
                <div>
                    <label for=format!("cat-parent-{key}") class=LABEL_CLASS>{t!(i18n, places.parent)}</label>
                    <select id=format!("cat-parent-{key}") class=INPUT_CLASS on:change=move |ev| parent.set(event_target_value(&ev))>
                        <option value="" selected=move || parent.get().is_empty()>{t!(i18n, places.top_level)}</option>
                        {choices.into_iter().map(|(cid, path)| {
                            let v = cid.to_string();
                            let v2 = v.clone();
                            view! { <option value=v selected=move || parent.get() == v2>{path}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage error=error field="parent_id" />
                </div>
            </div>
            <fieldset>
                <legend class=LABEL_CLASS>{t!(i18n, places.names)}</legend>
                <div class="mt-1 grid gap-3 sm:grid-cols-5">
                    {names.into_iter().zip(NAME_FIELDS).map(|((lang, value), field)| view! {
                        <div>
                            <label for=format!("cat-name-{lang}-{key}") class="block text-xs font-medium text-slate-700" lang=lang>{language_autonym(lang)}</label>
                            <input id=format!("cat-name-{lang}-{key}") type="text" class=INPUT_CLASS lang=lang dir=if lang == "ar" { "rtl" } else { "auto" }
                                value=value.get_untracked() prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                            <FieldMessage error=error field=field />
                        </div>
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="flex flex-wrap gap-2">
                <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>
                    {if id.is_some() { t_string!(i18n, places.save).to_string() } else { t_string!(i18n, places.add).to_string() }}
                </button>
                <button type="button" class=SECONDARY on:click=move |_| close.run(())>{t!(i18n, places.close)}</button>
            </div>
        </form>
    }
}

#[component]
pub fn LocationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let saved = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        saved.track();
        list_places()
    });
    let plant = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let user = use_user_resource();
    let done = Callback::new(move |_: ()| saved.update(|n| *n += 1));
    let labels_href = move || {
        let ids: Vec<String> = chosen.get().iter().map(Uuid::to_string).collect();
        format!("/inventory/locations/labels?ids={}", ids.join(","))
    };
    view! {
        <InventoryTabs />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, places.locations)}</h1>
            <a href=labels_href class=BUTTON_CLASS data-testid="print-location-labels"
                aria-disabled=move || chosen.get().is_empty().to_string()
                class:pointer-events-none=move || chosen.get().is_empty()
                class:opacity-60=move || chosen.get().is_empty()>
                {t!(i18n, places.print_labels)}
            </a>
        </div>
        <p class="mt-1 text-sm text-slate-700">{t!(i18n, places.locations_help)}</p>
        <Transition>
            {move || Suspend::new(async move {
                let loaded = data.await;
                let manage = user_can(user, "storage:manage").await;
                match loaded {
                    Err(e) => view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                    Ok(places) => {
                        let plants = StoredValue::new(places.plants.clone());
                        let locations = StoredValue::new(places.locations.clone());
                        view! {
                            <div class="mt-3 max-w-xs">
                                <label for="plant-filter" class=LABEL_CLASS>{t!(i18n, places.plant)}</label>
                                <select id="plant-filter" class=INPUT_CLASS on:change=move |ev| plant.set(event_target_value(&ev))>
                                    <option value="" selected=move || plant.get().is_empty()>{t!(i18n, places.all_plants)}</option>
                                    {plants.get_value().into_iter().map(|p| {
                                        let code = p.code.clone();
                                        let c2 = code.clone();
                                        view! { <option value=code selected=move || plant.get() == c2>{format!("{} · {}", p.code, p.name)}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            {manage.then(|| view! {
                                <section class=CARD>
                                    <h2 class="text-lg font-semibold">{t!(i18n, places.add_location)}</h2>
                                    <LocationForm location=None plants=plants.get_value() default_plant=plant.get_untracked() done=done />
                                </section>
                            })}
                            {move || {
                                let filter = plant.get();
                                let rows: Vec<Location> = locations.get_value().into_iter().filter(|l| filter.is_empty() || l.plant == filter).collect();
                                if rows.is_empty() {
                                    view! { <p class="mt-4 text-slate-700">{t!(i18n, places.no_locations)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="locations">
                                            {rows.into_iter().map(|l| view! { <LocationRow location=l plants=plants.get_value() chosen=chosen manage=manage done=done /> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn LocationRow(
    location: Location,
    plants: Vec<Plant>,
    chosen: RwSignal<BTreeSet<Uuid>>,
    manage: bool,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = location.id;
    let open = RwSignal::new(false);
    let plant_id = plants
        .iter()
        .find(|p| p.code == location.plant)
        .map(|p| p.id)
        .unwrap_or_default();
    let l = location.clone();
    let toggle = Action::new(move |_: &()| {
        let l = l.clone();
        async move {
            save_location(
                Some(l.id),
                LocationInput {
                    plant_id,
                    warehouse: l.warehouse,
                    rack: l.rack,
                    bin: l.bin,
                    capacity: l.capacity,
                    active: Some(!l.active),
                },
            )
            .await
            .map(|_| ())
        }
    });
    let toggle_error = Signal::derive(move || toggle.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = toggle.value().get() {
            done.run(());
        }
    });
    let check_id = format!("choose-{}", id.simple());
    let parts: Vec<String> = [
        Some(location.warehouse.clone()),
        location.rack.clone(),
        location.bin.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let active = location.active;
    let edit_location = location.clone();
    view! {
        <li class="p-3" data-testid="location-row">
            <div class="flex flex-wrap items-start justify-between gap-2">
                <div class="flex min-w-0 items-start gap-3">
                    <input id=check_id.clone() type="checkbox" class="mt-1 h-5 w-5"
                        prop:checked=move || chosen.get().contains(&id)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                        } />
                    <label for=check_id class="min-w-0">
                        <span class="sr-only">{t!(i18n, places.choose)}{" "}</span>
                        <span class="block break-all font-mono font-semibold" dir="ltr">{location.code.clone()}</span>
                        <span class="block text-xs text-slate-700" dir="ltr">{format!("{} › {}", location.plant, parts.join(" › "))}</span>
                    </label>
                </div>
                <dl class="flex gap-4 text-sm">
                    <div><dt class="text-slate-700">{t!(i18n, places.capacity)}</dt><dd class="text-end tabular-nums" dir="ltr">{location.capacity.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt class="text-slate-700">{t!(i18n, places.on_hand)}</dt><dd class="text-end tabular-nums" dir="ltr">{location.on_hand.to_string()}</dd></div>
                    <div><dt class="sr-only">{t!(i18n, places.active)}</dt>
                        <dd class=if active { "rounded bg-green-100 px-2 text-green-900" } else { "rounded bg-slate-200 px-2 text-slate-800" }>
                            {if active { t_string!(i18n, places.active).to_string() } else { t_string!(i18n, places.inactive).to_string() }}
                        </dd>
                    </div>
                </dl>
            </div>
            {manage.then(|| view! {
                <div class="mt-2 flex flex-wrap gap-2">
                    <button type="button" class=SECONDARY on:click=move |_| open.update(|o| *o = !*o)>{t!(i18n, places.edit)}</button>
                    <button type="button" class=SECONDARY disabled=move || toggle.pending().get() on:click=move |_| { toggle.dispatch(()); }>
                        {if active { t_string!(i18n, places.deactivate).to_string() } else { t_string!(i18n, places.activate).to_string() }}
                    </button>
                </div>
            })}
            <div class="mt-2"><FormError error=toggle_error /></div>
            {
                let plants = plants.clone();
                let edit_location = edit_location.clone();
                move || open.get().then(|| view! {
                    <div class="mt-3 rounded-md border border-slate-200 p-3">
                        <LocationForm location=Some(edit_location.clone()) plants=plants.clone() default_plant=String::new() done=done />
                    </div>
                })
            }
        </li>
    }
}

/// A location's form: plant, warehouse, rack, bin and capacity (an existing one, or `None` to add
/// one).
#[component]
fn LocationForm(
    location: Option<Location>,
    plants: Vec<Plant>,
    default_plant: String,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = location.as_ref().map(|l| l.id);
    let key = id
        .map(|i| i.simple().to_string())
        .unwrap_or_else(|| "new".into());
    let plant_code = location
        .as_ref()
        .map(|l| l.plant.clone())
        .unwrap_or(default_plant);
    let first = plants
        .iter()
        .find(|p| p.code == plant_code)
        .or(plants.first())
        .map(|p| p.id.to_string())
        .unwrap_or_default();
    let plant = RwSignal::new(first);
    let text = |v: Option<&String>| RwSignal::new(v.cloned().unwrap_or_default());
    let warehouse = text(location.as_ref().map(|l| &l.warehouse));
    let rack = text(location.as_ref().and_then(|l| l.rack.as_ref()));
    let bin = text(location.as_ref().and_then(|l| l.bin.as_ref()));
    let capacity = RwSignal::new(
        location
            .as_ref()
            .and_then(|l| l.capacity)
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let active = location.as_ref().map(|l| l.active);
    let local = RwSignal::new(None::<AppError>);
    let save = Action::new(move |input: &LocationInput| {
        let input = input.clone();
        async move { save_location(id, input).await.map(|_| ()) }
    });
    let error = Signal::derive(move || {
        local
            .get()
            .or_else(|| save.value().get().and_then(|r| r.err()))
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            if id.is_none() {
                warehouse.set(String::new());
                rack.set(String::new());
                bin.set(String::new());
                capacity.set(String::new());
            }
            done.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let cap = capacity.get_untracked();
        let cap = cap.trim();
        let capacity = if cap.is_empty() {
            None
        } else {
            match Decimal::from_str(cap) {
                Ok(c) => Some(c),
                Err(_) => {
                    local.set(Some(AppError::field("capacity", FieldError::Invalid)));
                    return;
                }
            }
        };
        local.set(None);
        let opt = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        save.dispatch(LocationInput {
            plant_id: plant.get_untracked().parse().unwrap_or_default(),
            warehouse: warehouse.get_untracked(),
            rack: opt(rack.get_untracked()),
            bin: opt(bin.get_untracked()),
            capacity,
            active,
        });
    };
    let f = |s: &str| format!("loc-{s}-{key}");
    view! {
        <form class="grid gap-3 sm:grid-cols-6" data-testid="location-form" on:submit=submit>
            <div class="sm:col-span-6"><FormError error=error /></div>
            <div>
                <label for=f("plant") class=LABEL_CLASS>{t!(i18n, places.plant)}</label>
                <select id=f("plant") class=INPUT_CLASS on:change=move |ev| plant.set(event_target_value(&ev))>
                    {plants.into_iter().map(|p| {
                        let v = p.id.to_string();
                        let v2 = v.clone();
                        view! { <option value=v selected=move || plant.get() == v2>{p.code.clone()}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage error=error field="plant_id" />
            </div>
            <TextField id=f("warehouse") field="warehouse" label=Signal::derive(move || t_string!(i18n, places.warehouse).to_string()) value=warehouse error=error upper=true ltr=true />
            <TextField id=f("rack") field="rack" label=Signal::derive(move || format!("{} ({})", t_string!(i18n, places.rack), t_string!(i18n, places.optional))) value=rack error=error upper=true ltr=true />
            <TextField id=f("bin") field="bin" label=Signal::derive(move || format!("{} ({})", t_string!(i18n, places.bin), t_string!(i18n, places.optional))) value=bin error=error upper=true ltr=true />
            <div>
                <label for=f("capacity") class=LABEL_CLASS>{move || format!("{} ({})", t_string!(i18n, places.capacity), t_string!(i18n, places.optional))}</label>
                <input id=f("capacity") type="text" inputmode="decimal" dir="ltr" class=INPUT_CLASS
                    value=capacity.get_untracked() prop:value=move || capacity.get() on:input=move |ev| capacity.set(event_target_value(&ev)) />
                <FieldMessage error=error field="capacity" />
            </div>
            <div class="flex items-end">
                <button type="submit" class=format!("{BUTTON_CLASS} w-full") disabled=move || save.pending().get()>
                    {if id.is_some() { t_string!(i18n, places.save).to_string() } else { t_string!(i18n, places.add).to_string() }}
                </button>
            </div>
            <div class="sm:col-span-6"><FieldMessage error=error field="active" /><FieldMessage error=error field="code" /></div>
        </form>
    }
}

/// `/inventory/locations/labels?ids=…`: one label per location, the code large with its QR code,
/// ready to print.
#[component]
pub fn LocationLabelsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let labels = Resource::new(
        move || query.read().get("ids").unwrap_or_default(),
        location_labels,
    );
    view! {
        <div class="flex flex-wrap items-center justify-between gap-3 print:hidden">
            <h1 class="text-2xl font-semibold">{t!(i18n, places.labels_title)}</h1>
            <button type="button" class=BUTTON_CLASS on:click=move |_| print_page()>{t!(i18n, places.print)}</button>
        </div>
        <Transition>
            {move || Suspend::new(async move {
                match labels.await {
                    Err(e) => view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="mt-4 text-slate-700">{t!(i18n, places.none_chosen)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 print:grid-cols-2" data-testid="location-labels">
                            {list.into_iter().map(|l| {
                                let parts: Vec<(String, String)> = [
                                    (t_string!(i18n, places.plant).to_string(), Some(l.plant.clone())),
                                    (t_string!(i18n, places.warehouse).to_string(), Some(l.warehouse.clone())),
                                    (t_string!(i18n, places.rack).to_string(), l.rack.clone()),
                                    (t_string!(i18n, places.bin).to_string(), l.bin.clone()),
                                ].into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
                                view! {
                                    <li class="flex break-inside-avoid items-center gap-3 rounded border-2 border-slate-800 bg-white p-3" data-testid="location-label">
                                        <div class="w-28 shrink-0 [&>svg]:h-auto [&>svg]:w-full" inner_html=l.svg.clone()></div>
                                        <div class="min-w-0">
                                            <p class="break-all font-mono text-2xl font-bold leading-tight" dir="ltr">{l.code.clone()}</p>
                                            <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-sm">
                                                {parts.into_iter().map(|(k, v)| view! { <dt class="text-slate-700">{k}</dt><dd class="font-mono font-semibold" dir="ltr">{v}</dd> }).collect_view()}
                                            </dl>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
