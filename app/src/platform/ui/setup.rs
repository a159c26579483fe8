//! The setup wizard (`/setup`: six steps, each saved on its own and skippable) and the settings
//! page (`/admin/settings`: the same forms at once, plus the sign-in policy). Both edit through
//! the settings service's server functions.
use crate::error::AppError;
use crate::i18n::*;
use crate::platform::model::{language_autonym, LANGUAGES};
use crate::platform::onboarding::{CURRENCIES, TIME_ZONES};
use crate::platform::permission::SYSTEM_ROLES;
use crate::platform::settings::api::{
    get_tenant_settings, save_company, save_cost_centre, save_department, save_plant,
    save_tenant_settings, tenant_structure, Structure,
};
use crate::platform::settings::{
    CompanyInput, CostCentreInput, DepartmentInput, DocPrefix, PlantInput, SettingsInput,
    TenantSettings,
};
use crate::platform::ui::widgets::{
    role_label, FieldMessage, FormError, TextField, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

const STEPS: u8 = 6;
/// The prefix fields' paths, as the service names them (one per kind of document).
const PREFIX_FIELDS: [&str; 3] = [
    "prefixes[0].prefix",
    "prefixes[1].prefix",
    "prefixes[2].prefix",
];
const SECONDARY: &str = "inline-flex items-center justify-center rounded-md border border-slate-400 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-800";
const CARD: &str = "mt-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6";

fn step_title(i18n: leptos_i18n::I18nContext<Locale>, step: u8) -> String {
    match step {
        1 => t_string!(i18n, setup.s_company).to_string(),
        2 => t_string!(i18n, setup.s_plants).to_string(),
        3 => t_string!(i18n, setup.s_departments).to_string(),
        4 => t_string!(i18n, setup.s_cost_centres).to_string(),
        5 => t_string!(i18n, setup.s_language).to_string(),
        _ => t_string!(i18n, setup.s_prefixes).to_string(),
    }
}

/// Everything the forms show: the settings and the structure, fetched together.
type Loaded = Result<(TenantSettings, Structure), AppError>;

async fn load() -> Loaded {
    Ok((get_tenant_settings().await?, tenant_structure().await?))
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let step = move || {
        query
            .read()
            .get("step")
            .and_then(|s| s.parse::<u8>().ok())
            .filter(|s| (1..=STEPS).contains(s))
            .unwrap_or(1)
    };
    let saved = RwSignal::new(0u32);
    // fetched by the browser (a local resource): the signed-in layout re-renders during SSR and
    // shifts the serialised resources, so this page read another resource's value when hydrating
    let data = LocalResource::new(move || {
        saved.track();
        load()
    });
    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |to: u8| navigate(&format!("/setup?step={to}"), Default::default())
    };
    let finish = Action::new(move |_: &()| async move {
        save_tenant_settings(SettingsInput {
            setup_completed: Some(true),
            ..Default::default()
        })
        .await
    });
    // who is signed in is read again: its `setup_pending` goes, and with it the banner
    let user = crate::platform::ui::widgets::use_user_resource();
    Effect::new(move |_| {
        if let Some(Ok(_)) = finish.value().get() {
            user.refetch();
            navigate("/", Default::default());
        }
    });
    let next = move || {
        let s = step();
        if s < STEPS {
            go(s + 1)
        } else {
            finish.dispatch(());
        }
    };
    let next = StoredValue::new(next);
    view! {
        <h1 class="text-2xl font-semibold">{t!(i18n, setup.title)}</h1>
        <p class="mt-1 max-w-3xl text-slate-700">{t!(i18n, setup.intro)}</p>
        <ol class="mt-4 flex flex-wrap gap-2 text-sm" aria-label=move || t_string!(i18n, setup.steps).to_string()>
            {(1..=STEPS).map(|s| view! {
                <li>
                    <a href=format!("/setup?step={s}")
                        aria-current=move || (step() == s).then_some("step")
                        class="block rounded-full border border-slate-300 px-3 py-1 aria-[current=step]:border-blue-800 aria-[current=step]:bg-blue-800 aria-[current=step]:text-white">
                        {s}". "{move || step_title(i18n, s)}
                    </a>
                </li>
            }).collect_view()}
        </ol>
        <FormError error=Signal::derive(move || finish.value().get().and_then(|r| r.err())) />
        <Transition>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                    Ok((settings, structure)) => {
                        let done = Callback::new(move |_: ()| {
                            saved.update(|n| *n += 1);
                            next.with_value(|f| f());
                        });
                        let skip = move || next.with_value(|f| f());
                        let body = match step() {
                            1 => view! { <CompanyStep settings=settings structure=structure done=done /> }.into_any(),
                            2 => view! { <PlantsStep structure=structure done=done /> }.into_any(),
                            3 => view! { <DepartmentsStep structure=structure done=done /> }.into_any(),
                            4 => view! { <CostCentresStep structure=structure done=done /> }.into_any(),
                            5 => view! { <LanguageStep settings=settings done=done /> }.into_any(),
                            _ => view! { <PrefixesStep settings=settings done=done /> }.into_any(),
                        };
                        view! {
                            <section class=CARD aria-labelledby="step-title">
                                <h2 id="step-title" class="text-lg font-semibold">{move || step_title(i18n, step())}</h2>
                                {body}
                                <div class="mt-4 border-t border-slate-200 pt-4">
                                    <button type="button" class=SECONDARY on:click=move |_| skip()>
                                        {move || if step() < STEPS { t_string!(i18n, setup.skip).to_string() } else { t_string!(i18n, setup.finish).to_string() }}
                                    </button>
                                </div>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

fn select_options(options: &'static [&'static str], chosen: RwSignal<String>) -> impl IntoView {
    options
        .iter()
        .map(|o| view! { <option value=*o selected=move || chosen.get() == *o>{*o}</option> })
        .collect_view()
}

#[component]
fn CompanyStep(
    settings: TenantSettings,
    structure: Structure,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let company = structure.companies.first().cloned();
    let company_id = company.as_ref().map(|c| c.id);
    let name = RwSignal::new(settings.name.clone());
    let legal_name = RwSignal::new(
        company
            .as_ref()
            .and_then(|c| c.legal_name.clone())
            .unwrap_or_default(),
    );
    let tax_id = RwSignal::new(
        company
            .as_ref()
            .and_then(|c| c.tax_id.clone())
            .unwrap_or_default(),
    );
    let address = RwSignal::new(
        company
            .as_ref()
            .and_then(|c| c.address.clone())
            .unwrap_or_default(),
    );
    let currency = RwSignal::new(settings.currency.clone());
    let time_zone = RwSignal::new(settings.time_zone.clone());
    let fy = RwSignal::new(settings.fiscal_year_start_month.to_string());
    let locked = settings.setup_completed;
    let save = Action::new(move |_: &()| async move {
        save_tenant_settings(SettingsInput {
            name: Some(name.get_untracked()),
            currency: Some(currency.get_untracked()),
            time_zone: Some(time_zone.get_untracked()),
            fiscal_year_start_month: fy.get_untracked().parse().ok(),
            ..Default::default()
        })
        .await?;
        let input = CompanyInput {
            name: name.get_untracked(),
            legal_name: Some(legal_name.get_untracked()),
            tax_id: Some(tax_id.get_untracked()),
            address: Some(address.get_untracked()),
        };
        save_company(company_id, input).await.map(|_| ())
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            done.run(());
        }
    });
    view! {
        <form class="mt-4 grid gap-4 sm:grid-cols-2" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="sm:col-span-2"><FormError error=error /></div>
            <TextField id="name" field="name" label=Signal::derive(move || t_string!(i18n, setup.company_name).to_string()) value=name error=error />
            <TextField id="legal_name" field="legal_name" label=Signal::derive(move || t_string!(i18n, setup.legal_name).to_string()) value=legal_name error=error />
            <TextField id="tax_id" field="tax_id" label=Signal::derive(move || t_string!(i18n, setup.tax_id).to_string()) value=tax_id error=error upper=true />
            <TextField id="address" field="address" label=Signal::derive(move || t_string!(i18n, setup.address).to_string()) value=address error=error />
            <div>
                <label for="currency" class=LABEL_CLASS>{t!(i18n, signup.currency)}</label>
                <select id="currency" class=INPUT_CLASS disabled=locked on:change=move |ev| currency.set(event_target_value(&ev))>
                    {select_options(CURRENCIES, currency)}
                </select>
                {locked.then(|| view! { <p class="mt-1 text-xs text-slate-600">{t!(i18n, setup.currency_locked)}</p> })}
                <FieldMessage error=error field="currency" />
            </div>
            <div>
                <label for="time_zone" class=LABEL_CLASS>{t!(i18n, signup.time_zone)}</label>
                <select id="time_zone" class=INPUT_CLASS on:change=move |ev| time_zone.set(event_target_value(&ev))>
                    {move || (!TIME_ZONES.contains(&time_zone.get().as_str())).then(|| {
                        let z = time_zone.get();
                        view! { <option value=z.clone() selected=true>{z.clone()}</option> }
                    })}
                    {select_options(TIME_ZONES, time_zone)}
                </select>
            </div>
            <div>
                <label for="fy" class=LABEL_CLASS>{t!(i18n, setup.fiscal_year)}</label>
                <select id="fy" class=INPUT_CLASS on:change=move |ev| fy.set(event_target_value(&ev))>
                    {(1..=12u32).map(|m| view! {
                        <option value=m.to_string() selected=move || fy.get() == m.to_string()>{move || crate::format::month_name(m, i18n.get_locale())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="sm:col-span-2">
                <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, setup.save_next)}</button>
            </div>
        </form>
    }
}

#[component]
fn PlantsStep(structure: Structure, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let plants = structure.plants.clone();
    view! {
        <p class="mt-2 text-sm text-slate-700">{t!(i18n, setup.plants_help)}</p>
        <ul class="mt-3 space-y-3">
            {plants.into_iter().map(|p| view! { <li><PlantRow plant=Some(p) done=done /></li> }).collect_view()}
            <li><PlantRow plant=None done=done /></li>
        </ul>
    }
}

/// One plant's form: an existing one to change, or `None` to add one.
#[component]
fn PlantRow(plant: Option<crate::platform::settings::Plant>, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = plant.as_ref().map(|p| p.id);
    let key = id
        .map(|i| i.simple().to_string())
        .unwrap_or_else(|| "new".into());
    let code = RwSignal::new(plant.as_ref().map(|p| p.code.clone()).unwrap_or_default());
    let name = RwSignal::new(plant.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let state = RwSignal::new(
        plant
            .as_ref()
            .and_then(|p| p.state_code.clone())
            .unwrap_or_default(),
    );
    let gstin = RwSignal::new(
        plant
            .as_ref()
            .and_then(|p| p.gstin.clone())
            .unwrap_or_default(),
    );
    let save = Action::new(move |_: &()| async move {
        let input = PlantInput {
            code: code.get_untracked(),
            name: name.get_untracked(),
            company_id: None,
            state_code: Some(state.get_untracked()),
            gstin: Some(gstin.get_untracked()),
            address: None,
            active: Some(true),
        };
        save_plant(id, input).await.map(|_| ())
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            done.run(());
        }
    });
    let f = |s: &str| format!("{s}-{key}");
    let (code_id, name_id, state_id, gstin_id) = (f("code"), f("pname"), f("state"), f("gstin"));
    view! {
        <form class="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-5" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="sm:col-span-5"><FormError error=error /></div>
            <TextField id=code_id field="code" label=Signal::derive(move || t_string!(i18n, setup.plant_code).to_string()) value=code error=error upper=true />
            <TextField id=name_id field="name" label=Signal::derive(move || t_string!(i18n, setup.plant_name).to_string()) value=name error=error />
            <TextField id=state_id field="state_code" label=Signal::derive(move || t_string!(i18n, setup.state_code).to_string()) value=state error=error />
            <TextField id=gstin_id field="gstin" label=Signal::derive(move || t_string!(i18n, setup.gstin).to_string()) value=gstin error=error upper=true />
            <div class="flex items-end">
                <button type="submit" class=format!("{BUTTON_CLASS} w-full") disabled=move || save.pending().get()>
                    {if id.is_some() { t_string!(i18n, setup.save).to_string() } else { t_string!(i18n, setup.add).to_string() }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn DepartmentsStep(structure: Structure, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let plants = StoredValue::new(structure.plants.clone());
    let rows = structure.departments.clone();
    let row = move |d: Option<crate::platform::settings::Department>| {
        let id = d.as_ref().map(|d| d.id);
        let code = RwSignal::new(d.as_ref().map(|d| d.code.clone()).unwrap_or_default());
        let name = RwSignal::new(d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
        let plant = RwSignal::new(
            d.as_ref()
                .and_then(|d| d.plant_id)
                .map(|p| p.to_string())
                .unwrap_or_default(),
        );
        let save = Action::new(move |_: &()| async move {
            let input = DepartmentInput {
                code: code.get_untracked(),
                name: name.get_untracked(),
                plant_id: plant.get_untracked().parse::<Uuid>().ok(),
            };
            save_department(id, input).await.map(|_| ())
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
        let f = |s: &str| format!("{s}-{key}");
        let (code_id, name_id, plant_id) = (f("dcode"), f("dname"), f("dplant"));
        view! {
            <li>
                <form class="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-4" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                    <div class="sm:col-span-4"><FormError error=error /></div>
                    <TextField id=code_id field="code" label=Signal::derive(move || t_string!(i18n, setup.code).to_string()) value=code error=error upper=true />
                    <TextField id=name_id field="name" label=Signal::derive(move || t_string!(i18n, setup.name).to_string()) value=name error=error />
                    <div>
                        <label for=plant_id.clone() class=LABEL_CLASS>{t!(i18n, setup.plant)}</label>
                        <select id=plant_id class=INPUT_CLASS on:change=move |ev| plant.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {plants.get_value().into_iter().map(|p| {
                                let v = p.id.to_string();
                                let chosen = v.clone();
                                view! { <option value=v selected=move || plant.get() == chosen>{format!("{} · {}", p.code, p.name)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="flex items-end">
                        <button type="submit" class=format!("{BUTTON_CLASS} w-full") disabled=move || save.pending().get()>
                            {if id.is_some() { t_string!(i18n, setup.save).to_string() } else { t_string!(i18n, setup.add).to_string() }}
                        </button>
                    </div>
                </form>
            </li>
        }
    };
    view! {
        <p class="mt-2 text-sm text-slate-700">{t!(i18n, setup.departments_help)}</p>
        <ul class="mt-3 space-y-3">
            {rows.into_iter().map(|d| row(Some(d))).collect_view()}
            {row(None)}
        </ul>
    }
}

#[component]
fn CostCentresStep(structure: Structure, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let departments = StoredValue::new(structure.departments.clone());
    let rows = structure.cost_centres.clone();
    let row = move |c: Option<crate::platform::settings::CostCentre>| {
        let id = c.as_ref().map(|c| c.id);
        let code = RwSignal::new(c.as_ref().map(|c| c.code.clone()).unwrap_or_default());
        let name = RwSignal::new(c.as_ref().map(|c| c.name.clone()).unwrap_or_default());
        let department = RwSignal::new(
            c.as_ref()
                .and_then(|c| c.department_id)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        let save = Action::new(move |_: &()| async move {
            let input = CostCentreInput {
                code: code.get_untracked(),
                name: name.get_untracked(),
                department_id: department.get_untracked().parse::<Uuid>().ok(),
                active: Some(true),
            };
            save_cost_centre(id, input).await.map(|_| ())
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
        let f = |s: &str| format!("{s}-{key}");
        let (code_id, name_id, dept_id) = (f("ccode"), f("cname"), f("cdept"));
        view! {
            <li>
                <form class="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-4" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                    <div class="sm:col-span-4"><FormError error=error /></div>
                    <TextField id=code_id field="code" label=Signal::derive(move || t_string!(i18n, setup.code).to_string()) value=code error=error upper=true />
                    <TextField id=name_id field="name" label=Signal::derive(move || t_string!(i18n, setup.name).to_string()) value=name error=error />
                    <div>
                        <label for=dept_id.clone() class=LABEL_CLASS>{t!(i18n, setup.department)}</label>
                        <select id=dept_id class=INPUT_CLASS on:change=move |ev| department.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {departments.get_value().into_iter().map(|d| {
                                let v = d.id.to_string();
                                let chosen = v.clone();
                                view! { <option value=v selected=move || department.get() == chosen>{format!("{} · {}", d.code, d.name)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="flex items-end">
                        <button type="submit" class=format!("{BUTTON_CLASS} w-full") disabled=move || save.pending().get()>
                            {if id.is_some() { t_string!(i18n, setup.save).to_string() } else { t_string!(i18n, setup.add).to_string() }}
                        </button>
                    </div>
                </form>
            </li>
        }
    };
    view! {
        <p class="mt-2 text-sm text-slate-700">{t!(i18n, setup.cost_centres_help)}</p>
        <ul class="mt-3 space-y-3">
            {rows.into_iter().map(|c| row(Some(c))).collect_view()}
            {row(None)}
        </ul>
    }
}

#[component]
fn LanguageStep(settings: TenantSettings, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let language = RwSignal::new(settings.default_language.clone());
    let format = RwSignal::new(settings.number_format.clone());
    let save = Action::new(move |_: &()| async move {
        save_tenant_settings(SettingsInput {
            default_language: Some(language.get_untracked()),
            number_format: Some(format.get_untracked()),
            ..Default::default()
        })
        .await
        .map(|_| ())
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            done.run(());
        }
    });
    view! {
        <form class="mt-4 grid gap-4 sm:grid-cols-2" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="sm:col-span-2"><FormError error=error /></div>
            <div>
                <label for="default_language" class=LABEL_CLASS>{t!(i18n, signup.language)}</label>
                <select id="default_language" class=INPUT_CLASS on:change=move |ev| language.set(event_target_value(&ev))>
                    {LANGUAGES.iter().map(|l| view! { <option value=*l selected=move || language.get() == *l>{language_autonym(l)}</option> }).collect_view()}
                </select>
            </div>
            <fieldset>
                <legend class=LABEL_CLASS>{t!(i18n, setup.number_format)}</legend>
                <label class="mt-2 flex items-center gap-2">
                    <input type="radio" name="number_format" value="indian" prop:checked=move || format.get() == "indian" on:change=move |_| format.set("indian".into()) />
                    <span dir="ltr">"12,34,567.00"</span>
                </label>
                <label class="mt-1 flex items-center gap-2">
                    <input type="radio" name="number_format" value="western" prop:checked=move || format.get() == "western" on:change=move |_| format.set("western".into()) />
                    <span dir="ltr">"1,234,567.00"</span>
                </label>
            </fieldset>
            <div class="sm:col-span-2">
                <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, setup.save_next)}</button>
            </div>
        </form>
    }
}

#[component]
fn PrefixesStep(settings: TenantSettings, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let fields: Vec<(String, RwSignal<String>)> = settings
        .prefixes
        .iter()
        .map(|d| (d.doc_type.clone(), RwSignal::new(d.prefix.clone())))
        .collect();
    let all = StoredValue::new(fields.clone());
    let save = Action::new(move |_: &()| {
        let prefixes = all
            .get_value()
            .iter()
            .map(|(k, v)| DocPrefix {
                doc_type: k.clone(),
                prefix: v.get_untracked(),
            })
            .collect();
        async move {
            save_tenant_settings(SettingsInput {
                prefixes: Some(prefixes),
                ..Default::default()
            })
            .await
            .map(|_| ())
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            done.run(());
        }
    });
    let kind = move |k: &str| match k {
        "PR" => t_string!(i18n, setup.kind_pr).to_string(),
        "PO" => t_string!(i18n, setup.kind_po).to_string(),
        _ => t_string!(i18n, setup.kind_grn).to_string(),
    };
    view! {
        <p class="mt-2 text-sm text-slate-700">{t!(i18n, setup.prefixes_help)}</p>
        <form class="mt-4 grid gap-4 sm:grid-cols-3" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="sm:col-span-3"><FormError error=error /></div>
            {fields.into_iter().enumerate().map(|(i, (k, v))| {
                let id = format!("prefix-{k}");
                let field = PREFIX_FIELDS.get(i).copied().unwrap_or("prefixes");
                let label = kind(&k);
                view! { <TextField id=id field=field label=Signal::derive(move || label.clone()) value=v error=error upper=true /> }
            }).collect_view()}
            <div class="sm:col-span-3">
                <FieldMessage error=error field="prefixes" />
                <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, setup.save_next)}</button>
            </div>
        </form>
    }
}

/// The tenant settings page: the same forms as the wizard's steps, the sign-in policy, and the
/// sign-up's verification status.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let saved = RwSignal::new(0u32);
    // fetched by the browser (a local resource): the signed-in layout re-renders during SSR and
    // shifts the serialised resources, so this page read another resource's value when hydrating
    let data = LocalResource::new(move || {
        saved.track();
        load()
    });
    let done = Callback::new(move |_: ()| saved.update(|n| *n += 1));
    view! {
        <h1 class="text-2xl font-semibold">{t!(i18n, setup.settings_title)}</h1>
        <p class="mt-1 text-slate-700"><a href="/setup" class="font-semibold text-blue-800 underline">{t!(i18n, setup.open_wizard)}</a></p>
        // where the reader is, on a phone too: the form they saved may be far down the page
        {move || (saved.get() > 0).then(|| view! {
            <p role="status" data-testid="settings-saved" class="fixed inset-x-4 bottom-4 z-20 mx-auto max-w-md rounded-md border border-green-300 bg-green-50 p-3 text-center text-sm font-medium text-green-900 shadow">
                {t!(i18n, setup.saved)}
            </p>
        })}
        <Transition>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                    Ok((settings, structure)) => view! {
                        <section class=CARD>
                            <h2 class="text-lg font-semibold">{t!(i18n, setup.s_company)}</h2>
                            <dl class="mt-2 grid gap-1 text-sm sm:grid-cols-2">
                                <dt class="text-slate-600">{t!(i18n, signup.slug)}</dt><dd dir="ltr" class="font-mono">{settings.slug.clone()}</dd>
                                <dt class="text-slate-600">{t!(i18n, setup.verification)}</dt>
                                <dd data-testid="verification">{if settings.email_verified { t_string!(i18n, setup.verified).to_string() } else { t_string!(i18n, setup.unverified).to_string() }}</dd>
                            </dl>
                            <CompanyStep settings=settings.clone() structure=structure.clone() done=done />
                        </section>
                        <section class=CARD><h2 class="text-lg font-semibold">{t!(i18n, setup.s_language)}</h2><LanguageStep settings=settings.clone() done=done /></section>
                        <section class=CARD><h2 class="text-lg font-semibold">{t!(i18n, setup.s_prefixes)}</h2><PrefixesStep settings=settings.clone() done=done /></section>
                        <section class=CARD><h2 class="text-lg font-semibold">{t!(i18n, setup.policy)}</h2><PolicyForm settings=settings.clone() done=done /></section>
                        <section class=CARD><h2 class="text-lg font-semibold">{t!(i18n, suppliertax.settings_heading)}</h2><ToleranceForm settings=settings done=done /></section>
                        <section class=CARD><h2 class="text-lg font-semibold">{t!(i18n, setup.s_plants)}</h2><PlantsStep structure=structure.clone() done=done /></section>
                        <section class=CARD><h2 class="text-lg font-semibold">{t!(i18n, setup.s_departments)}</h2><DepartmentsStep structure=structure.clone() done=done /></section>
                        <section class=CARD><h2 class="text-lg font-semibold">{t!(i18n, setup.s_cost_centres)}</h2><CostCentresStep structure=structure done=done /></section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The roles whose holders must sign in with a second factor.
#[component]
fn PolicyForm(settings: TenantSettings, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(settings.require_totp_roles.clone());
    let save = Action::new(move |_: &()| async move {
        save_tenant_settings(SettingsInput {
            require_totp_roles: Some(chosen.get_untracked()),
            ..Default::default()
        })
        .await
        .map(|_| ())
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            done.run(());
        }
    });
    view! {
        <p class="mt-2 text-sm text-slate-700">{t!(i18n, setup.policy_help)}</p>
        <form class="mt-3" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <FormError error=error />
            <div class="grid gap-2 sm:grid-cols-2">
                {SYSTEM_ROLES.iter().map(|(role, _)| {
                    let role = role.to_string();
                    let r1 = role.clone();
                    let r2 = role.clone();
                    let id = format!("totp-{role}");
                    let label_for = id.clone();
                    view! {
                        <label for=label_for class="flex items-center gap-2">
                            <input id=id type="checkbox" prop:checked=move || chosen.get().contains(&r1)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { c.retain(|x| *x != r2); if on { c.push(r2.clone()); } });
                                } />
                            <span>{move || role_label(i18n.get_locale(), &role)}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
            <button type="submit" class=format!("{BUTTON_CLASS} mt-3") disabled=move || save.pending().get()>{t!(i18n, setup.save)}</button>
        </form>
    }
}

/// The company's invoice price tolerance: how far a supplier invoice's unit price may exceed the
/// order's before the line needs approval (suppliers may have their own).
#[component]
fn ToleranceForm(settings: TenantSettings, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let pct = RwSignal::new(settings.invoice_price_tolerance_pct.normalize().to_string());
    let abs = RwSignal::new(settings.invoice_price_tolerance_abs.normalize().to_string());
    let save = Action::new(move |_: &()| async move {
        // an unreadable number is the field's message, not a silent zero
        let mut errors = std::collections::BTreeMap::new();
        let mut read =
            |field: &str, text: String| match text.trim().parse::<rust_decimal::Decimal>() {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.insert(field.to_string(), crate::error::FieldError::Invalid);
                    None
                }
            };
        let p = read("invoice_price_tolerance_pct", pct.get_untracked());
        let a = read("invoice_price_tolerance_abs", abs.get_untracked());
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        save_tenant_settings(SettingsInput {
            invoice_price_tolerance_pct: p,
            invoice_price_tolerance_abs: a,
            ..Default::default()
        })
        .await
        .map(|_| ())
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            done.run(());
        }
    });
    view! {
        <p class="mt-2 text-sm text-slate-700">{t!(i18n, suppliertax.settings_help)}</p>
        <form class="mt-3 grid gap-4 sm:grid-cols-2" data-testid="tolerance-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="sm:col-span-2"><FormError error=error /></div>
            <TextField id="invoice_price_tolerance_pct" field="invoice_price_tolerance_pct" label=Signal::derive(move || t_string!(i18n, suppliertax.settings_pct).to_string()) value=pct error=error ltr=true />
            <TextField id="invoice_price_tolerance_abs" field="invoice_price_tolerance_abs" label=Signal::derive(move || t_string!(i18n, suppliertax.settings_abs).to_string()) value=abs error=error ltr=true />
            <div class="sm:col-span-2">
                <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, setup.save)}</button>
            </div>
        </form>
    }
}
