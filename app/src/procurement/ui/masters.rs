//! Master data screens of procurement: suppliers (searchable list and form) and projects. Forms
//! validate as the server does and show the server's errors per field.
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::platform::model::{language_autonym, LANGUAGES};
use crate::platform::ui::widgets::{
    use_id_param, use_user_resource, ErrorDetails, Pager, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use crate::procurement::api::{
    get_supplier, list_all_projects, list_plants, list_suppliers, save_project, save_supplier,
};
use crate::procurement::model::masters::{validate_project, ProjectInput};
use crate::procurement::model::supplier_tax::{supplier_tax, TDS_SECTIONS};
use crate::procurement::model::{validate_supplier, Supplier, SupplierInput};
use crate::types::{Currency, Gstin};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_navigate, use_query_map};
use rust_decimal::Decimal;
use uuid::Uuid;

const SECONDARY: &str =
    "rounded-md border border-slate-400 px-3 py-1.5 text-sm font-medium hover:bg-slate-100";

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

#[component]
pub fn SuppliersPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let active = move || query.read().get("active").unwrap_or_else(|| "true".into());
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let rows = Resource::new(
        move || (q(), active(), page()),
        |(q, active, page)| {
            let active = match active.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            };
            list_suppliers(Some(q), active, page)
        },
    );
    view! {
        <super::nav::ProcurementTabs />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, sup.title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let can = matches!(user.await, Ok(Some(u)) if u.can("supplier:manage"));
                    can.then(|| view! { <A href="/procurement/suppliers/new" attr:class=BUTTON_CLASS>{t!(i18n, sup.new)}</A> })
                })}
            </Suspense>
        </div>
        <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
            <div class="min-w-[12rem] flex-1">
                <label for="s-q" class=LABEL_CLASS>{t!(i18n, sup.search)}</label>
                <input id="s-q" name="q" type="search" class=INPUT_CLASS value=q />
            </div>
            <div>
                <label for="s-active" class=LABEL_CLASS>{t!(i18n, sup.status)}</label>
                <select id="s-active" name="active" class=INPUT_CLASS>
                    <option value="true" selected=move || active() == "true">{t!(i18n, sup.active)}</option>
                    <option value="false" selected=move || active() == "false">{t!(i18n, sup.inactive)}</option>
                    <option value="all" selected=move || active() == "all">{t!(i18n, sup.all)}</option>
                </select>
            </div>
            <button type="submit" class=BUTTON_CLASS>{t!(i18n, req.filter)}</button>
        </Form>
        <div class="mt-3">
            <crate::platform::export::ui::ExportLinks path="/api/v1/suppliers" testid="export-suppliers"
                filters=Signal::derive(move || vec![("q", Some(q())), ("active", Some(active()).filter(|a| a != "all"))]) />
        </div>
        <Transition>
            {move || Suspend::new(async move {
                let page_rows = match rows.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                if page_rows.rows.is_empty() {
                    return view! { <p class="mt-6 text-slate-700">{t!(i18n, sup.none)}</p> }.into_any();
                }
                let pages = page_rows.total.div_ceil(page_rows.per_page as u64).max(1);
                let current = page_rows.page;
                let link = move |p: u32| format!("?q={}&active={}&page={p}", crate::format::url_encode(&q()), active());
                view! {
                    <ul class="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="suppliers">
                        {page_rows.rows.into_iter().map(|s: Supplier| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 p-3">
                                <div class="min-w-0">
                                    <A href=format!("/procurement/suppliers/{}", s.id) attr:class="font-medium text-blue-900 underline">{format!("{} — {}", s.code, s.name)}</A>
                                    <p class="truncate text-sm text-slate-700">{s.email.clone().unwrap_or_default()}{s.phone.clone().map(|p| format!(" · {p}"))}</p>
                                    {s.gstin.clone().map(|g| view! { <p class="font-mono text-xs text-slate-700" dir="ltr">{t!(i18n, suppliertax.gstin)}" "{g}</p> })}
                                </div>
                                <div class="flex items-center gap-2 text-sm">
                                    <span dir="ltr">{s.currency.clone()}</span>
                                    <span>{move || t_string!(i18n, sup.terms_days, days = s.payment_terms_days).to_string()}</span>
                                    {(!s.active).then(|| view! { <span class="rounded bg-slate-200 px-2 text-xs">{t!(i18n, sup.inactive)}</span> })}
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                    <Pager current=current pages=pages
                        prev=(current > 1).then(|| link(current - 1))
                        next=((current as u64) < pages).then(|| link(current + 1)) />
                }.into_any()
            })}
        </Transition>
    }
}

fn blank_supplier() -> SupplierInput {
    SupplierInput {
        code: String::new(),
        name: String::new(),
        email: None,
        phone: None,
        tax_id: None,
        address: None,
        currency: None,
        payment_terms_days: Some(30),
        active: Some(true),
        language: None,
        ..Default::default()
    }
}

fn input_of(s: Supplier) -> SupplierInput {
    SupplierInput {
        code: s.code,
        name: s.name,
        email: s.email,
        phone: s.phone,
        tax_id: s.tax_id,
        address: s.address,
        currency: Some(s.currency),
        payment_terms_days: Some(s.payment_terms_days),
        active: Some(s.active),
        language: s.language,
        gstin: s.gstin,
        state_code: s.state_code,
        reverse_charge: Some(s.reverse_charge),
        tds_section: s.tds_section,
        tds_rate: s.tds_rate,
        price_tolerance_pct: s.price_tolerance_pct,
        price_tolerance_abs: s.price_tolerance_abs,
    }
}

/// A decimal as typed: `None` when empty, `Err` when it does not read as a number.
fn typed_decimal(s: &str) -> Result<Option<Decimal>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<Decimal>().map(Some).map_err(|_| ())
}

fn decimal_text(d: Option<Decimal>) -> RwSignal<String> {
    RwSignal::new(d.map(|d| d.normalize().to_string()).unwrap_or_default())
}

/// A TDS section with what it is for, in the reader's language.
fn tds_label(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "194C" => t_string!(i18n, suppliertax.s_194c).to_string(),
        "194J" => t_string!(i18n, suppliertax.s_194j).to_string(),
        _ => t_string!(i18n, suppliertax.s_194q).to_string(),
    }
}

/// `/procurement/suppliers/new` and `/procurement/suppliers/{id}`.
#[component]
pub fn SupplierPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let user = use_user_resource();
    let existing = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_supplier(id).await.map(Some),
            None => Ok(None),
        }
    });
    let save = Action::new(|(id, input): &(Option<Uuid>, SupplierInput)| {
        let (id, input) = (*id, input.clone());
        async move { save_supplier(id, input).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate("/procurement/suppliers?saved=1", Default::default());
        }
    });
    view! {
        <super::nav::ProcurementTabs />
        <Transition>
            {move || Suspend::new(async move {
                let start = match existing.await {
                    Ok(Some(s)) => input_of(s),
                    Ok(None) => blank_supplier(),
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                // GST and TDS are India's: a company in INR sees them (and a GSTIN instead of the
                // free tax id, which stays for a supplier that already has one)
                let india = matches!(user.await, Ok(Some(u)) if u.tenant.currency == Currency::INR);
                let show_tax_id = !india || start.tax_id.is_some();
                let is_new = id().is_none();
                let tds_rate = decimal_text(start.tds_rate);
                let tol_pct = decimal_text(start.price_tolerance_pct);
                let tol_abs = decimal_text(start.price_tolerance_abs);
                let form = RwSignal::new(start);
                let local: RwSignal<Option<AppError>> = RwSignal::new(None);
                let err = move || local.get().or_else(|| save.value().get().and_then(|r| r.err()));
                let text = move |f: fn(&SupplierInput) -> Option<String>| move || form.with(|s| f(s).unwrap_or_default());
                let opt = |v: String| { let v = v.trim().to_string(); (!v.is_empty()).then_some(v) };
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let mut input = form.get_untracked();
                    let mut errors = validate_supplier(&input).err().unwrap_or_default();
                    for (field, text, slot) in [
                        ("tds_rate", tds_rate, &mut input.tds_rate),
                        ("price_tolerance_pct", tol_pct, &mut input.price_tolerance_pct),
                        ("price_tolerance_abs", tol_abs, &mut input.price_tolerance_abs),
                    ] {
                        match typed_decimal(&text.get_untracked()) {
                            Ok(d) => *slot = d,
                            Err(()) => {
                                errors.insert(field.into(), FieldError::Invalid);
                            }
                        }
                    }
                    if let Err(e) = supplier_tax(&input, india) {
                        for (k, v) in e {
                            errors.entry(k).or_insert(v);
                        }
                    }
                    if errors.is_empty() {
                        local.set(None);
                        save.dispatch((id(), input));
                    } else {
                        local.set(Some(AppError::Validation(errors)));
                    }
                };
                let decimal_field = move |field: &'static str, label: String, text: RwSignal<String>| view! {
                    <div><label for=field class=LABEL_CLASS>{label}</label>
                        <input id=field inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev)) />
                        {move || field_view(i18n, err(), field)}</div>
                };
                view! {
                    <h1 class="text-2xl font-semibold">{move || if is_new { t_string!(i18n, sup.new).to_string() } else { t_string!(i18n, sup.edit).to_string() }}</h1>
                    {move || err().map(|e| view! { <ErrorDetails error=e /> })}
                    <form on:submit=submit class="mt-4 grid max-w-3xl grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2" novalidate>
                        <div><label for="code" class=LABEL_CLASS>{t!(i18n, sup.code)}</label>
                            <input id="code" class=INPUT_CLASS dir="ltr" autocapitalize="characters" required prop:value=move || form.with(|s| s.code.clone())
                                on:input=move |ev| form.update(|s| s.code = event_target_value(&ev).to_uppercase()) />
                            {move || field_view(i18n, err(), "code")}</div>
                        <div><label for="name" class=LABEL_CLASS>{t!(i18n, sup.name)}</label>
                            <input id="name" class=INPUT_CLASS required prop:value=move || form.with(|s| s.name.clone())
                                on:input=move |ev| form.update(|s| s.name = event_target_value(&ev)) />
                            {move || field_view(i18n, err(), "name")}</div>
                        <div><label for="email" class=LABEL_CLASS>{t!(i18n, sup.email)}</label>
                            <input id="email" type="email" dir="ltr" class=INPUT_CLASS prop:value=text(|s| s.email.clone())
                                on:input=move |ev| form.update(|s| s.email = opt(event_target_value(&ev))) />
                            {move || field_view(i18n, err(), "email")}</div>
                        <div><label for="phone" class=LABEL_CLASS>{t!(i18n, sup.phone)}</label>
                            <input id="phone" type="tel" dir="ltr" class=INPUT_CLASS prop:value=text(|s| s.phone.clone())
                                on:input=move |ev| form.update(|s| s.phone = opt(event_target_value(&ev))) />
                            {move || field_view(i18n, err(), "phone")}</div>
                        {show_tax_id.then(|| view! {
                        <div><label for="tax_id" class=LABEL_CLASS>{move || if india { t_string!(i18n, suppliertax.other_tax_id).to_string() } else { t_string!(i18n, sup.tax_id).to_string() }}</label>
                            <input id="tax_id" dir="ltr" class=INPUT_CLASS prop:value=text(|s| s.tax_id.clone())
                                on:input=move |ev| form.update(|s| s.tax_id = opt(event_target_value(&ev))) />
                            {move || field_view(i18n, err(), "tax_id")}</div>
                        })}
                        <div><label for="currency" class=LABEL_CLASS>{t!(i18n, sup.currency)}</label>
                            <input id="currency" dir="ltr" maxlength="3" class=INPUT_CLASS prop:value=text(|s| s.currency.clone())
                                on:input=move |ev| form.update(|s| s.currency = opt(event_target_value(&ev).to_uppercase())) />
                            {move || field_view(i18n, err(), "currency")}</div>
                        <div class="sm:col-span-2"><label for="address" class=LABEL_CLASS>{t!(i18n, sup.address)}</label>
                            <textarea id="address" rows="3" class=INPUT_CLASS prop:value=text(|s| s.address.clone())
                                on:input=move |ev| form.update(|s| s.address = opt(event_target_value(&ev)))></textarea>
                            {move || field_view(i18n, err(), "address")}</div>
                        <div><label for="terms" class=LABEL_CLASS>{t!(i18n, sup.terms)}</label>
                            <input id="terms" type="number" min="0" max="365" inputmode="numeric" class=INPUT_CLASS
                                prop:value=move || form.with(|s| s.payment_terms_days.map(|d| d.to_string()).unwrap_or_default())
                                on:input=move |ev| form.update(|s| s.payment_terms_days = event_target_value(&ev).trim().parse().ok().or(Some(-1))) />
                            {move || field_view(i18n, err(), "payment_terms_days")}</div>
                        <div><label for="supplier-language" class=LABEL_CLASS>{t!(i18n, sup.language)}</label>
                            <select id="supplier-language" class=INPUT_CLASS
                                on:change=move |ev| form.update(|s| s.language = opt(event_target_value(&ev)))>
                                <option value="" selected=move || form.with(|s| s.language.is_none())>{t!(i18n, sup.language_default)}</option>
                                {LANGUAGES.iter().map(|code| view! {
                                    <option value=*code selected=move || form.with(|s| s.language.as_deref() == Some(*code))>{language_autonym(code)}</option>
                                }).collect_view()}
                            </select>
                            {move || field_view(i18n, err(), "language")}</div>
                        <label class="flex items-center gap-2 self-end pb-2">
                            <input type="checkbox" class="h-4 w-4" prop:checked=move || form.with(|s| s.active.unwrap_or(true))
                                on:change=move |ev| form.update(|s| s.active = Some(event_target_checked(&ev))) />
                            {t!(i18n, sup.active)}
                        </label>
                        {india.then(|| view! {
                            <fieldset class="grid grid-cols-1 gap-4 border-t border-slate-200 pt-4 sm:col-span-2 sm:grid-cols-2" data-testid="supplier-gst">
                                <legend class="text-base font-semibold">{t!(i18n, suppliertax.gst_heading)}</legend>
                                <div><label for="gstin" class=LABEL_CLASS>{t!(i18n, suppliertax.gstin)}</label>
                                    <input id="gstin" dir="ltr" maxlength="15" autocapitalize="characters" class=INPUT_CLASS aria-describedby="gstin-help"
                                        prop:value=text(|s| s.gstin.clone())
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev).trim().to_uppercase();
                                            // the state follows from a valid GSTIN
                                            let state = v.parse::<Gstin>().ok().map(|g| g.state_code().to_string());
                                            form.update(|s| {
                                                s.gstin = opt(v);
                                                if state.is_some() { s.state_code = state; }
                                            });
                                        } />
                                    <p id="gstin-help" class="mt-1 text-xs text-slate-600">{t!(i18n, suppliertax.gstin_help)}</p>
                                    {move || field_view(i18n, err(), "gstin")}</div>
                                <div><label for="state_code" class=LABEL_CLASS>{t!(i18n, suppliertax.state_code)}</label>
                                    <input id="state_code" dir="ltr" maxlength="2" inputmode="numeric" class=INPUT_CLASS prop:value=text(|s| s.state_code.clone())
                                        on:input=move |ev| form.update(|s| s.state_code = opt(event_target_value(&ev))) />
                                    {move || field_view(i18n, err(), "state_code")}</div>
                                <label class="flex items-center gap-2 sm:col-span-2">
                                    <input id="reverse_charge" type="checkbox" class="h-4 w-4" prop:checked=move || form.with(|s| s.reverse_charge.unwrap_or(false))
                                        on:change=move |ev| form.update(|s| s.reverse_charge = Some(event_target_checked(&ev))) />
                                    {t!(i18n, suppliertax.reverse_charge)}
                                </label>
                                <div><label for="tds_section" class=LABEL_CLASS>{t!(i18n, suppliertax.tds_section)}</label>
                                    <select id="tds_section" class=INPUT_CLASS on:change=move |ev| form.update(|s| s.tds_section = opt(event_target_value(&ev)))>
                                        <option value="" selected=move || form.with(|s| s.tds_section.is_none())>{t!(i18n, suppliertax.tds_none)}</option>
                                        {TDS_SECTIONS.iter().map(|code| view! {
                                            <option value=*code selected=move || form.with(|s| s.tds_section.as_deref() == Some(*code))>{move || tds_label(i18n, code)}</option>
                                        }).collect_view()}
                                    </select>
                                    {move || field_view(i18n, err(), "tds_section")}</div>
                                {decimal_field("tds_rate", t_string!(i18n, suppliertax.tds_rate).to_string(), tds_rate)}
                            </fieldset>
                        })}
                        <fieldset class="grid grid-cols-1 gap-4 border-t border-slate-200 pt-4 sm:col-span-2 sm:grid-cols-2">
                            <legend class="text-base font-semibold">{t!(i18n, suppliertax.tolerance_heading)}</legend>
                            <p class="text-sm text-slate-700 sm:col-span-2">{t!(i18n, suppliertax.tolerance_help)}</p>
                            {decimal_field("price_tolerance_pct", t_string!(i18n, suppliertax.tolerance_pct).to_string(), tol_pct)}
                            {decimal_field("price_tolerance_abs", t_string!(i18n, suppliertax.tolerance_abs).to_string(), tol_abs)}
                        </fieldset>
                        <div class="flex gap-3 sm:col-span-2">
                            <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, sup.save)}</button>
                            <A href="/procurement/suppliers" attr:class=SECONDARY>{t!(i18n, sup.back)}</A>
                        </div>
                    </form>
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let save = Action::new(|(id, input): &(Option<Uuid>, ProjectInput)| {
        let (id, input) = (*id, input.clone());
        async move { save_project(id, input).await }
    });
    let rows = Resource::new(move || save.version().get(), |_| list_all_projects());
    let plants = Resource::new(|| (), |_| list_plants());
    let editing: RwSignal<Option<(Option<Uuid>, ProjectInput)>> = RwSignal::new(None);
    let local: RwSignal<Option<AppError>> = RwSignal::new(None);
    let err = move || {
        local
            .get()
            .or_else(|| save.value().get().and_then(|r| r.err()))
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
        }
    });
    view! {
        <super::nav::ProcurementTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, proj.title)}</h1>
        <p class="mt-1 max-w-3xl text-slate-700">{t!(i18n, proj.help)}</p>
        {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
            <p role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, proj.saved)}</p>
        })}
        <Transition>
            {move || Suspend::new(async move {
                let can = matches!(user.await, Ok(Some(u)) if u.can("project:manage"));
                let plants = plants.await.unwrap_or_default();
                let rows = match rows.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let plants = StoredValue::new(plants);
                view! {
                    {rows.is_empty().then(|| view! { <p class="mt-4 text-slate-700">{t!(i18n, proj.none)}</p> })}
                    <ul class="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white empty:hidden" data-testid="projects">
                        {rows.into_iter().map(|p| {
                            let edit = (Some(p.id), ProjectInput { code: p.code.clone(), name: p.name.clone(), plant_id: p.plant_id, active: Some(p.active) });
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 p-3">
                                    <div>
                                        <p class="font-medium">{format!("{} — {}", p.code, p.name)}
                                            {(!p.active).then(|| view! { <span class="ms-2 rounded bg-slate-200 px-2 text-xs">{t!(i18n, sup.inactive)}</span> })}</p>
                                        <p class="text-sm text-slate-700">{p.plant.clone().unwrap_or_default()}</p>
                                    </div>
                                    {can.then(|| view! { <button type="button" class=SECONDARY on:click=move |_| { local.set(None); editing.set(Some(edit.clone())) }>{t!(i18n, rules.edit)}</button> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {can.then(|| view! {
                        <button type="button" class="mt-3 rounded-md border border-blue-800 px-3 py-1.5 text-sm font-semibold text-blue-900 hover:bg-blue-50"
                            on:click=move |_| { local.set(None); editing.set(Some((None, ProjectInput { active: Some(true), ..Default::default() }))) }>{t!(i18n, proj.new)}</button>
                    })}
                    {move || editing.get().map(|(id, start)| {
                        let form = RwSignal::new(start);
                        let submit = move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let input = form.get_untracked();
                            match validate_project(&input) {
                                Err(e) => local.set(Some(AppError::Validation(e))),
                                Ok(()) => { local.set(None); save.dispatch((id, input)); }
                            }
                        };
                        view! {
                            <form on:submit=submit novalidate data-testid="project-form" class="mt-4 grid grid-cols-1 gap-3 rounded-lg border border-blue-200 bg-blue-50 p-4 sm:grid-cols-2">
                                {move || err().map(|e| view! { <div class="sm:col-span-2"><ErrorDetails error=e /></div> })}
                                <div><label for="p-code" class=LABEL_CLASS>{t!(i18n, sup.code)}</label>
                                    <input id="p-code" dir="ltr" class=INPUT_CLASS prop:value=move || form.with(|p| p.code.clone())
                                        on:input=move |ev| form.update(|p| p.code = event_target_value(&ev).to_uppercase()) />
                                    {move || field_view(i18n, err(), "code")}</div>
                                <div><label for="p-name" class=LABEL_CLASS>{t!(i18n, sup.name)}</label>
                                    <input id="p-name" class=INPUT_CLASS prop:value=move || form.with(|p| p.name.clone())
                                        on:input=move |ev| form.update(|p| p.name = event_target_value(&ev)) />
                                    {move || field_view(i18n, err(), "name")}</div>
                                <div><label for="p-plant" class=LABEL_CLASS>{t!(i18n, req.plant)}</label>
                                    <select id="p-plant" class=INPUT_CLASS on:change=move |ev| form.update(|p| p.plant_id = Uuid::parse_str(&event_target_value(&ev)).ok())>
                                        <option value="">"—"</option>
                                        {plants.get_value().into_iter().map(|pl| {
                                            let selected = move || form.with(|p| p.plant_id == Some(pl.id));
                                            view! { <option value=pl.id.to_string() selected=selected>{format!("{} — {}", pl.code, pl.name)}</option> }
                                        }).collect_view()}
                                    </select>
                                    {move || field_view(i18n, err(), "plant_id")}</div>
                                <label class="flex items-center gap-2 self-end pb-2">
                                    <input type="checkbox" class="h-4 w-4" prop:checked=move || form.with(|p| p.active.unwrap_or(true))
                                        on:change=move |ev| form.update(|p| p.active = Some(event_target_checked(&ev))) />
                                    {t!(i18n, sup.active)}
                                </label>
                                <div class="flex gap-3 sm:col-span-2">
                                    <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, sup.save)}</button>
                                    <button type="button" class=SECONDARY on:click=move |_| editing.set(None)>{t!(i18n, proj.close)}</button>
                                </div>
                            </form>
                        }
                    })}
                }.into_any()
            })}
        </Transition>
    }
}
