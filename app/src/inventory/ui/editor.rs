//! The item master editor: `/inventory/items/new` and `/inventory/items/{id}/edit`. Names and
//! descriptions in every language side by side, category, unit, tracking, material type,
//! reordering, HSN/SAC and GST rate (tenants keeping Indian GST), specifications and whether the
//! item is active. Saved through the same service as `POST`/`PUT /api/v1/items`.
use crate::error::AppError;
use crate::i18n::*;
use crate::inventory::api::{item_editor_options, item_for_edit, save_item_form};
use crate::inventory::model::material::MaterialType;
use crate::inventory::model::{Item, ItemEditorOptions, ItemInput};
use crate::inventory::ui::item::material_label;
use crate::inventory::ui::InventoryTabs;
use crate::platform::model::{language_autonym, LANGUAGES};
use crate::platform::ui::widgets::{
    use_id_param, ErrorDetails, FieldMessage, FormError, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use uuid::Uuid;

const SECTION: &str = "mt-4 rounded-lg border border-slate-200 bg-white p-4";

/// `/inventory/items/{id}`: the item's page, or the editor of a new item when the id is `new`.
#[component]
pub fn ItemOrNewPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let new = move || params.read().get("id").as_deref() == Some("new");
    move || {
        if new() {
            view! { <ItemEditorPage /> }.into_any()
        } else {
            view! { <crate::inventory::ui::item::ItemPage /> }.into_any()
        }
    }
}

/// `/inventory/items/new` and `/inventory/items/{id}/edit`. Loaded in the browser (a local
/// resource), as the other editors inside the signed-in layout are.
#[component]
pub fn ItemEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let editing = id().is_some();
    let data = LocalResource::new(move || {
        let id = id();
        async move {
            let options = item_editor_options().await?;
            let item = match id {
                Some(id) => Some(item_for_edit(id).await?),
                None => None,
            };
            Ok::<_, AppError>((options, item))
        }
    });
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">
            {if editing { t!(i18n, itemed.title_edit).into_any() } else { t!(i18n, itemed.title_new).into_any() }}
        </h1>
        <Transition>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((options, item)) => view! { <ItemForm options=options item=item /> }.into_any(),
                    Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A specification row being edited: (key for the list, property, value).
type SpecRow = (u32, RwSignal<String>, RwSignal<String>);

fn text(v: &str) -> RwSignal<String> {
    RwSignal::new(v.to_string())
}

fn decimal_text(d: Option<Decimal>) -> RwSignal<String> {
    RwSignal::new(d.map(|d| d.normalize().to_string()).unwrap_or_default())
}

/// A typed decimal: None when empty; an unreadable one is sent as a value the service refuses
/// with the field's message rather than silently dropped.
fn decimal_of(s: &str) -> Option<Decimal> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else {
        Some(Decimal::from_str(&s.replace(',', "")).unwrap_or(Decimal::NEGATIVE_ONE))
    }
}

#[component]
fn ItemForm(options: ItemEditorOptions, item: Option<Item>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = item.as_ref().map(|i| i.id);
    let it = item.clone().unwrap_or(Item {
        id: Uuid::nil(),
        sku: String::new(),
        name: String::new(),
        description: None,
        names: BTreeMap::new(),
        descriptions: BTreeMap::new(),
        category_id: None,
        category: None,
        unit: options
            .units
            .iter()
            .map(|(c, _)| c.clone())
            .find(|c| c == "PCS")
            .or_else(|| options.units.first().map(|(c, _)| c.clone()))
            .unwrap_or_default(),
        reorder_level: Decimal::ZERO,
        reorder_quantity: Decimal::ZERO,
        serialised: false,
        material_type: MaterialType::default(),
        specs: BTreeMap::new(),
        hsn_sac: None,
        gst_rate: None,
        active: true,
    });
    let sku = text(&it.sku);
    let names: Vec<(&'static str, RwSignal<String>, RwSignal<String>)> = LANGUAGES
        .iter()
        .map(|l| {
            (
                *l,
                text(it.names.get(*l).map(String::as_str).unwrap_or_default()),
                text(
                    it.descriptions
                        .get(*l)
                        .map(String::as_str)
                        .unwrap_or_default(),
                ),
            )
        })
        .collect();
    let category = text(&it.category_id.map(|c| c.to_string()).unwrap_or_default());
    let unit = text(&it.unit);
    let serialised = RwSignal::new(it.serialised);
    let material = text(it.material_type.code());
    let reorder_level = decimal_text(item.as_ref().map(|i| i.reorder_level));
    let reorder_quantity = decimal_text(item.as_ref().map(|i| i.reorder_quantity));
    let hsn_sac = text(it.hsn_sac.as_deref().unwrap_or_default());
    let gst_rate = decimal_text(it.gst_rate);
    let active = RwSignal::new(it.active);
    let specs: RwSignal<Vec<SpecRow>> = RwSignal::new(
        it.specs
            .iter()
            .enumerate()
            .map(|(n, (k, v))| (n as u32, text(k), text(v)))
            .collect(),
    );
    let next_spec = StoredValue::new(it.specs.len() as u32);
    let gst = options.gst;
    let names_for_save = names.clone();
    let save = Action::new(move |_: &()| {
        let input = ItemInput {
            sku: sku.get_untracked().trim().to_uppercase(),
            names: names_for_save
                .iter()
                .map(|(l, n, _)| (l.to_string(), n.get_untracked()))
                .collect(),
            description: None,
            descriptions: names_for_save
                .iter()
                .map(|(l, _, d)| (l.to_string(), d.get_untracked()))
                .collect(),
            category_id: Uuid::parse_str(&category.get_untracked()).ok(),
            unit: unit.get_untracked(),
            reorder_level: decimal_of(&reorder_level.get_untracked()),
            reorder_quantity: decimal_of(&reorder_quantity.get_untracked()),
            serialised: Some(serialised.get_untracked()),
            material_type: Some(material.get_untracked()),
            specs: specs
                .get_untracked()
                .iter()
                .map(|(_, k, v)| (k.get_untracked(), v.get_untracked()))
                .filter(|(k, v)| !(k.trim().is_empty() && v.trim().is_empty()))
                .collect(),
            hsn_sac: gst.then(|| hsn_sac.get_untracked()),
            gst_rate: if gst {
                decimal_of(&gst_rate.get_untracked())
            } else {
                None
            },
            active: Some(active.get_untracked()),
        };
        async move { save_item_form(id, input).await }
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            navigate(
                &format!("/inventory/items/{}", saved.id),
                Default::default(),
            );
        }
    });
    let back = id
        .map(|i| format!("/inventory/items/{i}"))
        .unwrap_or_else(|| "/inventory".into());
    view! {
        <form class="mt-2 max-w-4xl" data-testid="item-editor" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <FormError error=error />
            <section class=SECTION aria-labelledby="ie-basics">
                <h2 id="ie-basics" class="font-semibold">{t!(i18n, itemed.basics)}</h2>
                <div class="mt-2 grid gap-4 sm:grid-cols-2">
                    <div>
                        <label for="ie-sku" class=LABEL_CLASS>{t!(i18n, itemed.sku)}</label>
                        <input id="ie-sku" class=INPUT_CLASS dir="ltr" autocapitalize="characters" autocomplete="off" required
                            prop:value=move || sku.get() on:input=move |ev| sku.set(event_target_value(&ev)) />
                        <p class="mt-1 text-xs text-slate-600">{t!(i18n, itemed.sku_hint)}</p>
                        <FieldMessage error=error field="sku" />
                    </div>
                    <div>
                        <label for="ie-category" class=LABEL_CLASS>{t!(i18n, inv.category)}</label>
                        <select id="ie-category" class=INPUT_CLASS on:change=move |ev| category.set(event_target_value(&ev))>
                            <option value="" selected=move || category.get().is_empty()>{t!(i18n, itemed.no_category)}</option>
                            {options.categories.clone().into_iter().map(|(cid, path)| {
                                let v = cid.to_string();
                                let v2 = v.clone();
                                view! { <option value=v selected=move || category.get() == v2>{path}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMessage error=error field="category_id" />
                    </div>
                    <div>
                        <label for="ie-unit" class=LABEL_CLASS>{t!(i18n, inv.unit)}</label>
                        <select id="ie-unit" class=INPUT_CLASS on:change=move |ev| unit.set(event_target_value(&ev))>
                            // the item's own unit, even when it is no longer offered for new items
                            {(!options.units.iter().any(|(c, _)| c.eq_ignore_ascii_case(&unit.get_untracked()))).then(|| {
                                let u = unit.get_untracked();
                                view! { <option value=u.clone() selected=true>{u.clone()}</option> }
                            })}
                            {options.units.clone().into_iter().map(|(code, name)| {
                                let c = code.clone();
                                view! { <option value=code.clone() selected=move || unit.get().eq_ignore_ascii_case(&c)>{format!("{code} — {name}")}</option> }
                            }).collect_view()}
                        </select>
                        <p class="mt-1 text-xs text-slate-600">{t!(i18n, itemed.unit_hint)}</p>
                        <FieldMessage error=error field="unit" />
                    </div>
                    <div>
                        <label for="ie-material" class=LABEL_CLASS>{t!(i18n, material.material_type)}</label>
                        <select id="ie-material" class=INPUT_CLASS on:change=move |ev| material.set(event_target_value(&ev))>
                            {MaterialType::ALL.into_iter().map(|m| view! {
                                <option value=m.code() selected=move || material.get() == m.code()>{move || format!("{} ({})", material_label(i18n, m), m.code())}</option>
                            }).collect_view()}
                        </select>
                        <FieldMessage error=error field="material_type" />
                    </div>
                    <fieldset class="sm:col-span-2">
                        <legend class=LABEL_CLASS>{t!(i18n, inv.tracking)}</legend>
                        <div class="mt-1 flex flex-wrap gap-4">
                            <label class="flex items-center gap-2"><input type="radio" name="ie-tracking" class="h-4 w-4"
                                prop:checked=move || serialised.get() on:change=move |_| serialised.set(true) />{t!(i18n, inv.serialised)}</label>
                            <label class="flex items-center gap-2"><input type="radio" name="ie-tracking" class="h-4 w-4"
                                prop:checked=move || !serialised.get() on:change=move |_| serialised.set(false) />{t!(i18n, inv.lot)}</label>
                        </div>
                    </fieldset>
                </div>
            </section>

            <section class=SECTION aria-labelledby="ie-names">
                <h2 id="ie-names" class="font-semibold">{t!(i18n, itemed.names)}</h2>
                <p class="mt-1 text-sm text-slate-700">{t!(i18n, itemed.names_hint)}</p>
                <div class="mt-2 divide-y divide-slate-200" data-testid="item-names">
                    {names.into_iter().map(|(lang, name, desc)| {
                        let dir = if lang == "ar" { "rtl" } else { "ltr" };
                        let name_field: &'static str = match lang { "en" => "names.en", "hi" => "names.hi", "bn" => "names.bn", "te" => "names.te", _ => "names.ar" };
                        let desc_field: &'static str = match lang { "en" => "descriptions.en", "hi" => "descriptions.hi", "bn" => "descriptions.bn", "te" => "descriptions.te", _ => "descriptions.ar" };
                        view! {
                            <div class="grid gap-2 py-3 sm:grid-cols-[8rem_1fr_1fr] sm:items-start">
                                <p class="font-medium" lang=lang>{language_autonym(lang)}{(lang == "en").then_some(" *")}</p>
                                <div>
                                    <label for=format!("ie-name-{lang}") class="text-sm text-slate-700">{t!(i18n, itemed.name)}</label>
                                    <input id=format!("ie-name-{lang}") class=INPUT_CLASS lang=lang dir=dir required=lang == "en"
                                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                                    <FieldMessage error=error field=name_field />
                                </div>
                                <div>
                                    <label for=format!("ie-desc-{lang}") class="text-sm text-slate-700">{t!(i18n, itemed.description)}</label>
                                    <textarea id=format!("ie-desc-{lang}") class=INPUT_CLASS lang=lang dir=dir rows="2"
                                        prop:value=move || desc.get() on:input=move |ev| desc.set(event_target_value(&ev))></textarea>
                                    <FieldMessage error=error field=desc_field />
                                </div>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </section>

            <section class=SECTION aria-labelledby="ie-stock">
                <h2 id="ie-stock" class="font-semibold">{t!(i18n, itemed.reordering)}</h2>
                <div class="mt-2 grid gap-4 sm:grid-cols-2">
                    <div>
                        <label for="ie-level" class=LABEL_CLASS>{t!(i18n, inv.reorder_level)}</label>
                        <input id="ie-level" class=INPUT_CLASS dir="ltr" inputmode="decimal" prop:value=move || reorder_level.get() on:input=move |ev| reorder_level.set(event_target_value(&ev)) />
                        <FieldMessage error=error field="reorder_level" />
                    </div>
                    <div>
                        <label for="ie-qty" class=LABEL_CLASS>{t!(i18n, inv.reorder_quantity)}</label>
                        <input id="ie-qty" class=INPUT_CLASS dir="ltr" inputmode="decimal" prop:value=move || reorder_quantity.get() on:input=move |ev| reorder_quantity.set(event_target_value(&ev)) />
                        <FieldMessage error=error field="reorder_quantity" />
                    </div>
                </div>
            </section>

            {gst.then(|| view! {
                <section class=SECTION aria-labelledby="ie-tax">
                    <h2 id="ie-tax" class="font-semibold">{t!(i18n, itemed.tax)}</h2>
                    <div class="mt-2 grid gap-4 sm:grid-cols-2">
                        <div>
                            <label for="ie-hsn" class=LABEL_CLASS>{t!(i18n, itemed.hsn_sac)}</label>
                            <input id="ie-hsn" class=INPUT_CLASS dir="ltr" inputmode="numeric" prop:value=move || hsn_sac.get() on:input=move |ev| hsn_sac.set(event_target_value(&ev)) />
                            <p class="mt-1 text-xs text-slate-600">{t!(i18n, itemed.hsn_hint)}</p>
                            <FieldMessage error=error field="hsn_sac" />
                        </div>
                        <div>
                            <label for="ie-gst" class=LABEL_CLASS>{t!(i18n, itemed.gst_rate)}</label>
                            <input id="ie-gst" class=INPUT_CLASS dir="ltr" inputmode="decimal" prop:value=move || gst_rate.get() on:input=move |ev| gst_rate.set(event_target_value(&ev)) />
                            <FieldMessage error=error field="gst_rate" />
                        </div>
                    </div>
                </section>
            })}

            <section class=SECTION aria-labelledby="ie-specs">
                <h2 id="ie-specs" class="font-semibold">{t!(i18n, itemed.specs)}</h2>
                <ul class="mt-2 space-y-2" data-testid="item-specs">
                    <For each=move || specs.get() key=|(n, _, _)| *n let:row>
                        {
                            let (n, k, v) = row;
                            view! {
                                <li class="grid grid-cols-[1fr_1fr_auto] items-end gap-2">
                                    <div>
                                        <label for=format!("ie-spec-k-{n}") class="text-sm text-slate-700">{t!(i18n, itemed.spec_name)}</label>
                                        <input id=format!("ie-spec-k-{n}") class=INPUT_CLASS prop:value=move || k.get() on:input=move |ev| k.set(event_target_value(&ev)) />
                                    </div>
                                    <div>
                                        <label for=format!("ie-spec-v-{n}") class="text-sm text-slate-700">{t!(i18n, itemed.spec_value)}</label>
                                        <input id=format!("ie-spec-v-{n}") class=INPUT_CLASS prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev)) />
                                    </div>
                                    <button type="button" class="mb-2 text-sm text-red-800 underline"
                                        on:click=move |_| specs.update(|s| s.retain(|(m, _, _)| *m != n))>{t!(i18n, itemed.remove)}</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <button type="button" class="mt-2 text-sm text-blue-900 underline" on:click=move |_| {
                    let n = next_spec.get_value();
                    next_spec.set_value(n + 1);
                    specs.update(|s| s.push((n, RwSignal::new(String::new()), RwSignal::new(String::new()))));
                }>{t!(i18n, itemed.add_spec)}</button>
                <FieldMessage error=error field="specs" />
            </section>

            <section class=SECTION>
                <label class="flex items-center gap-2">
                    <input type="checkbox" class="h-4 w-4" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                    {t!(i18n, itemed.active)}
                </label>
            </section>

            <div class="mt-4 flex flex-wrap items-center gap-4">
                <button type="submit" class=format!("{BUTTON_CLASS} w-full sm:w-auto") disabled=move || save.pending().get()>{t!(i18n, itemed.save)}</button>
                <A href=back attr:class="text-blue-900 underline">{t!(i18n, itemed.cancel)}</A>
            </div>
        </form>
    }
}
