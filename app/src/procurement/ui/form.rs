//! The requisition form: lines added and removed freely, a live total, the same validation as the
//! server as you type (after the first save attempt), and the server's errors shown per field.
use crate::error::{AppError, FieldError};
use crate::format::format_money;
use crate::i18n::*;
use crate::platform::model::SessionUser;
use crate::platform::ui::widgets::{use_user_resource, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS};
use crate::procurement::api::{
    get_requisition, project_choices, save_requisition, supplier_choices,
};
use crate::procurement::model::{self, LineInput, Purpose, Requisition, RequisitionInput};
use crate::types::Currency;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Copy)]
struct LineDraft {
    key: u32,
    description: RwSignal<String>,
    quantity: RwSignal<String>,
    unit: RwSignal<String>,
    price: RwSignal<String>,
    supplier: RwSignal<String>,
    item: RwSignal<Option<Uuid>>,
}

impl LineDraft {
    fn new(key: u32) -> Self {
        LineDraft {
            key,
            description: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::new()),
            unit: RwSignal::new("pcs".into()),
            price: RwSignal::new(String::new()),
            supplier: RwSignal::new(String::new()),
            item: RwSignal::new(None),
        }
    }
}

/// Turns the drafts into the input the server takes, collecting unreadable numbers as errors.
fn build(
    purpose: Purpose,
    project: &str,
    needed_by: &str,
    notes: &str,
    lines: &[LineDraft],
    currency: Currency,
) -> (RequisitionInput, BTreeMap<String, FieldError>) {
    let mut errors = BTreeMap::new();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let q = l.quantity.get_untracked().trim().parse::<Decimal>().ok();
        let p = l.price.get_untracked().trim().parse::<Decimal>().ok();
        if q.is_none() {
            errors.insert(format!("lines[{i}].quantity"), FieldError::Invalid);
        }
        if p.is_none() {
            errors.insert(
                format!("lines[{i}].estimated_unit_price"),
                FieldError::Invalid,
            );
        }
        out.push(LineInput {
            item_id: l.item.get_untracked(),
            description: l.description.get_untracked(),
            quantity: q.unwrap_or(Decimal::ONE),
            unit: l.unit.get_untracked(),
            estimated_unit_price: p.unwrap_or(Decimal::ZERO),
            supplier_id: Uuid::parse_str(&l.supplier.get_untracked()).ok(),
            note: None,
        });
    }
    let input = RequisitionInput {
        purpose,
        project_id: Uuid::parse_str(project).ok(),
        needed_by: chrono::NaiveDate::parse_from_str(needed_by, "%Y-%m-%d").ok(),
        notes: Some(notes.to_string()).filter(|n| !n.trim().is_empty()),
        lines: out,
    };
    if let Err(more) = model::validate(&input, currency) {
        for (k, v) in more {
            errors.entry(k).or_insert(v);
        }
    }
    (input, errors)
}

type Choices<T> = Resource<Result<Vec<T>, AppError>>;

#[component]
pub fn NewRequisitionPage() -> impl IntoView {
    form_page(None)
}

#[component]
pub fn EditRequisitionPage() -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|s| Uuid::parse_str(&s).ok())
        .unwrap_or(Uuid::nil());
    form_page(Some(id))
}

/// The resources of the form are made here, at the top of the page, so they hydrate.
fn form_page(edit: Option<Uuid>) -> impl IntoView {
    let user = use_user_resource();
    let suppliers: Choices<crate::procurement::model::Supplier> =
        Resource::new(|| (), |_| supplier_choices());
    let projects: Choices<(Uuid, String)> = Resource::new(|| (), |_| project_choices());
    // `?item=` (the low-stock alert's link): the first line starts as that item's reorder
    let query = leptos_router::hooks::use_query_map();
    let prefill = Resource::new(
        move || {
            query
                .read()
                .get("item")
                .and_then(|s| Uuid::parse_str(&s).ok())
                .filter(|_| edit.is_none())
        },
        |item| async move {
            match item {
                Some(id) => crate::inventory::api::item_prefill(id).await.ok(),
                None => None,
            }
        },
    );
    let existing = Resource::new(
        move || edit,
        |id| async move {
            match id {
                Some(id) => get_requisition(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let prefill = prefill.await;
                match (user.await, existing.await) {
                    (Ok(Some(user)), Ok(existing)) => view! {
                        <RequisitionForm user=user existing=existing prefill=prefill suppliers=suppliers projects=projects />
                    }.into_any(),
                    _ => view! { <crate::platform::ui::pages::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RequisitionForm(
    user: SessionUser,
    existing: Option<Requisition>,
    prefill: Option<crate::inventory::model::ItemPrefill>,
    suppliers: Choices<crate::procurement::model::Supplier>,
    projects: Choices<(Uuid, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let currency = user.tenant.currency;
    let grouping = user.tenant.number_format;

    let next_key = StoredValue::new(1u32);
    let purpose = RwSignal::new(
        existing
            .as_ref()
            .map(|r| r.purpose)
            .unwrap_or(Purpose::DailyOperations),
    );
    let project = RwSignal::new(
        existing
            .as_ref()
            .and_then(|r| r.project_id)
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let needed_by = RwSignal::new(
        existing
            .as_ref()
            .and_then(|r| r.needed_by)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let notes = RwSignal::new(
        existing
            .as_ref()
            .and_then(|r| r.notes.clone())
            .unwrap_or_default(),
    );
    let initial: Vec<LineDraft> = match &existing {
        Some(r) => r
            .lines
            .iter()
            .map(|l| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                let d = LineDraft::new(key);
                d.description.set(l.description.clone());
                d.quantity.set(l.quantity.to_string());
                d.unit.set(l.unit.clone());
                d.price.set(l.estimated_unit_price.to_string());
                d.supplier
                    .set(l.supplier_id.map(|s| s.to_string()).unwrap_or_default());
                d.item.set(l.item_id);
                d
            })
            .collect(),
        None => {
            next_key.set_value(2);
            let d = LineDraft::new(1);
            if let Some(p) = &prefill {
                d.item.set(Some(p.id));
                d.description.set(p.name.clone());
                d.quantity.set(p.quantity.to_string());
                d.unit.set(p.unit.clone());
                d.price.set(p.price.to_string());
            }
            vec![d]
        }
    };
    let lines = RwSignal::new(initial);
    let existing_id = existing.as_ref().map(|r| r.id);
    let tried = RwSignal::new(false);
    let server_error = RwSignal::new(None::<AppError>);

    let total = move || {
        lines.with(|ls| {
            ls.iter()
                .filter_map(|l| {
                    Some(model::line_total(
                        l.quantity.get().trim().parse::<Decimal>().ok()?,
                        l.price.get().trim().parse::<Decimal>().ok()?,
                        currency,
                    ))
                })
                .sum::<Decimal>()
        })
    };
    // client-side check, shown once the user tried to save; the server's verdict wins when present
    let client_errors = move || {
        if !tried.get() {
            return BTreeMap::new();
        }
        let ls = lines.get();
        build(
            purpose.get(),
            &project.get(),
            &needed_by.get(),
            &notes.get(),
            &ls,
            currency,
        )
        .1
    };
    let error_for = move |field: String| {
        let from_server = server_error.get().and_then(|e| e.field_error(&field));
        from_server
            .or_else(|| client_errors().get(&field).copied())
            .map(|e| e.message(i18n.get_locale()))
    };
    let navigate = use_navigate();
    let save = Action::new(move |input: &RequisitionInput| {
        let input = input.clone();
        async move { save_requisition(existing_id, input).await }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(r) => navigate(
                    &format!("/procurement/requisitions/{}", r.id),
                    Default::default(),
                ),
                Err(e) => server_error.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        server_error.set(None);
        let ls = lines.get_untracked();
        let (input, errors) = build(
            purpose.get_untracked(),
            &project.get_untracked(),
            &needed_by.get_untracked(),
            &notes.get_untracked(),
            &ls,
            currency,
        );
        if errors.is_empty() {
            save.dispatch(input);
        }
    };
    let add_line = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        lines.update(|ls| ls.push(LineDraft::new(key)));
    };
    let currency_for_total = currency;

    view! {
        <h1 class="text-2xl font-semibold">
            {match &existing { Some(r) => r.number.clone(), None => String::new() }}
            " "
            {move || if existing_id.is_some() { String::new() } else { t_string!(i18n, req.new).to_string() }}
        </h1>
        <form on:submit=on_submit class="mt-4 space-y-6" novalidate>
            {move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! {
                <div role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">{e.message(i18n.get_locale())}</div>
            })}
            <fieldset class="grid grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3">
                <legend class="sr-only">{t!(i18n, req.purpose)}</legend>
                <div>
                    <label for="purpose" class=LABEL_CLASS>{t!(i18n, req.purpose)}</label>
                    <select id="purpose" class=INPUT_CLASS on:change=move |ev| purpose.set(event_target_value(&ev).parse::<Purpose>().ok().unwrap_or(Purpose::DailyOperations))>
                        <option value="daily_operations" selected=move || purpose.get() == Purpose::DailyOperations>{t!(i18n, req.daily_operations)}</option>
                        <option value="project" selected=move || purpose.get() == Purpose::Project>{t!(i18n, req.project)}</option>
                    </select>
                </div>
                <Show when=move || purpose.get() == Purpose::Project>
                    <div>
                        <label for="project" class=LABEL_CLASS>{t!(i18n, req.project_pick)}</label>
                        <select id="project" class=INPUT_CLASS on:change=move |ev| project.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, req.choose)}</option>
                            <Suspense>
                                {move || Suspend::new(async move {
                                    projects.await.unwrap_or_default().into_iter().map(|(id, name)| {
                                        let v = id.to_string();
                                        let sel = v.clone();
                                        view! { <option value=v selected=move || project.get() == sel>{name}</option> }
                                    }).collect_view()
                                })}
                            </Suspense>
                        </select>
                        <FieldErr msg=Signal::derive(move || error_for("project_id".into())) id="project-error" />
                    </div>
                </Show>
                <div>
                    <label for="needed_by" class=LABEL_CLASS>{t!(i18n, req.needed_by)}</label>
                    <input id="needed_by" type="date" class=INPUT_CLASS prop:value=move || needed_by.get() on:input=move |ev| needed_by.set(event_target_value(&ev)) />
                </div>
                <div class="sm:col-span-3">
                    <label for="notes" class=LABEL_CLASS>{t!(i18n, req.notes)}</label>
                    <textarea id="notes" rows="2" class=INPUT_CLASS prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                </div>
            </fieldset>

            <fieldset class="rounded-lg border border-slate-200 bg-white p-4">
                <legend class="px-1 text-lg font-semibold">{t!(i18n, req.lines)}</legend>
                <FieldErr msg=Signal::derive(move || error_for("lines".into())) id="lines-error" />
                <ol class="space-y-4">
                    <For each=move || lines.get().into_iter().enumerate() key=|(_, l)| l.key let((i, l))>
                        <li class="grid grid-cols-2 gap-3 border-b border-slate-200 pb-4 sm:grid-cols-12" data-testid="line">
                            <div class="col-span-2 sm:col-span-4">
                                <label for=format!("desc-{}", l.key) class=LABEL_CLASS>{t!(i18n, req.description)}</label>
                                <input id=format!("desc-{}", l.key) class=INPUT_CLASS prop:value=move || l.description.get() on:input=move |ev| l.description.set(event_target_value(&ev)) />
                                <FieldErr msg=Signal::derive(move || error_for(format!("lines[{i}].description"))) id=format!("desc-{}-error", l.key) />
                            </div>
                            <div class="sm:col-span-2">
                                <label for=format!("qty-{}", l.key) class=LABEL_CLASS>{t!(i18n, req.quantity)}</label>
                                <input id=format!("qty-{}", l.key) inputmode="decimal" class=INPUT_CLASS prop:value=move || l.quantity.get() on:input=move |ev| l.quantity.set(event_target_value(&ev)) />
                                <FieldErr msg=Signal::derive(move || error_for(format!("lines[{i}].quantity"))) id=format!("qty-{}-error", l.key) />
                            </div>
                            <div class="sm:col-span-1">
                                <label for=format!("unit-{}", l.key) class=LABEL_CLASS>{t!(i18n, req.unit)}</label>
                                <input id=format!("unit-{}", l.key) class=INPUT_CLASS prop:value=move || l.unit.get() on:input=move |ev| l.unit.set(event_target_value(&ev)) />
                                <FieldErr msg=Signal::derive(move || error_for(format!("lines[{i}].unit"))) id=format!("unit-{}-error", l.key) />
                            </div>
                            <div class="sm:col-span-2">
                                <label for=format!("price-{}", l.key) class=LABEL_CLASS>{t!(i18n, req.price)}</label>
                                <input id=format!("price-{}", l.key) inputmode="decimal" class=INPUT_CLASS prop:value=move || l.price.get() on:input=move |ev| l.price.set(event_target_value(&ev)) />
                                <FieldErr msg=Signal::derive(move || error_for(format!("lines[{i}].estimated_unit_price"))) id=format!("price-{}-error", l.key) />
                            </div>
                            <div class="col-span-2 sm:col-span-2">
                                <label for=format!("sup-{}", l.key) class=LABEL_CLASS>{t!(i18n, req.supplier)}</label>
                                <select id=format!("sup-{}", l.key) class=INPUT_CLASS on:change=move |ev| l.supplier.set(event_target_value(&ev))>
                                    <option value="">{t!(i18n, req.choose)}</option>
                                    <Suspense>
                                        {move || Suspend::new(async move {
                                            suppliers.await.unwrap_or_default().into_iter().map(|s| {
                                                let v = s.id.to_string();
                                                let sel = v.clone();
                                                view! { <option value=v selected=move || l.supplier.get() == sel>{s.name}</option> }
                                            }).collect_view()
                                        })}
                                    </Suspense>
                                </select>
                            </div>
                            <div class="col-span-2 flex items-end justify-end sm:col-span-1">
                                <button type="button" class="rounded border border-slate-400 px-2 py-2 text-sm hover:bg-slate-100"
                                    aria-label=move || t_string!(i18n, req.remove_line, n = i + 1).to_string()
                                    on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != l.key))>"✕"</button>
                            </div>
                        </li>
                    </For>
                </ol>
                <button type="button" on:click=add_line class="mt-3 rounded-md border border-blue-800 px-3 py-1.5 text-sm font-semibold text-blue-900 hover:bg-blue-50">
                    {t!(i18n, req.add_line)}
                </button>
            </fieldset>

            <div class="flex flex-wrap items-center justify-between gap-3">
                <p class="text-lg">
                    {t!(i18n, req.total)}": "
                    <strong data-testid="live-total" dir="ltr">{move || format_money(total(), currency_for_total.code(), grouping)}</strong>
                </p>
                <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, req.save)}</button>
            </div>
        </form>
    }
}

#[component]
fn FieldErr(msg: Signal<Option<String>>, #[prop(into)] id: String) -> impl IntoView {
    move || {
        msg.get()
            .map(|m| view! { <p id=id.clone() class="mt-1 text-sm text-red-700">{m}</p> })
    }
}
