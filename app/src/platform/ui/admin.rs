//! The administrators' screens of users and roles: the user list (search, status and role
//! filters), the user form (create with a password or invite; edit; deactivate, reactivate,
//! unlock, send a reset link), the CSV import, the roles and the permission matrix of a role
//! (permissions × scope). Laid out for a phone first; directions are logical, so Arabic reads
//! from the right.
use crate::error::AppError;
use crate::i18n::*;
use crate::platform::model::{language_autonym, LANGUAGES};
use crate::platform::permission::{Grant, Scope};
use crate::platform::ui::widgets::{
    role_label, use_id_param, use_user_resource, ErrorDetails, Pager, BUTTON_CLASS, INPUT_CLASS,
    LABEL_CLASS,
};
use crate::platform::users::api::{
    create_user, delete_role, get_role, get_user, get_user_choices, import_users, list_permissions,
    list_roles, list_users, save_role, update_user, user_action,
};
use crate::platform::users::{scope_label, NewUser, RoleInput, UserUpdate, UserView};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeMap;
use uuid::Uuid;

const SECONDARY: &str =
    "rounded-md border border-slate-400 px-3 py-1.5 text-sm font-medium hover:bg-slate-100";
const BADGE: &str = "rounded bg-slate-200 px-2 text-xs";
const STATUS_OK: &str =
    "mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900";

fn field_view(
    i18n: leptos_i18n::I18nContext<Locale>,
    err: Option<AppError>,
    field: &'static str,
) -> impl IntoView {
    err.and_then(|e| e.field_error(field)).map(|fe| {
        view! { <p id=format!("{field}-error") class="mt-1 text-sm text-red-700">{move || fe.message(i18n.get_locale())}</p> }
    })
}

/// The administration section's tabs, each shown to those who may use it.
#[component]
pub fn AdminTabs() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let tab = "rounded-md px-3 py-1.5 text-sm font-medium text-blue-900 hover:bg-blue-50 aria-[current=page]:bg-blue-800 aria-[current=page]:text-white";
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let u = user.await.ok().flatten();
                let can = |p: &str| u.as_ref().is_some_and(|u| u.can(p));
                view! {
                    <nav class="mb-4 flex flex-wrap gap-2 border-b border-slate-200 pb-2 print:hidden" aria-label=move || t_string!(i18n, nav.admin).to_string()>
                        {can("user:manage").then(|| view! { <A href="/admin/users" attr:class=tab>{t!(i18n, users.tab_users)}</A> })}
                        {(can("role:manage") || can("user:manage")).then(|| view! { <A href="/admin/roles" attr:class=tab>{t!(i18n, users.tab_roles)}</A> })}
                        {can("approval_rule:manage").then(|| view! { <A href="/admin/approval-rules" exact=true attr:class=tab>{t!(i18n, users.tab_rules)}</A> })}
                    </nav>
                }
            })}
        </Suspense>
    }
}

/// `/admin/users`: search, filters, the users as cards that wrap on a phone.
#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let active = move || query.read().get("active").unwrap_or_else(|| "all".into());
    let role = move || query.read().get("role").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let rows = Resource::new(
        move || (q(), active(), role(), page()),
        |(q, active, role, page)| {
            let active = match active.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            };
            let role = (!role.is_empty()).then_some(role);
            list_users(Some(q), active, role, Some(page))
        },
    );
    let roles = Resource::new(|| (), |_| list_roles());
    view! {
        <AdminTabs />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, users.title)}</h1>
            <div class="flex flex-wrap gap-2">
                <A href="/admin/users/import" attr:class=SECONDARY>{t!(i18n, users.import)}</A>
                <A href="/admin/users/new" attr:class=BUTTON_CLASS>{t!(i18n, users.new_user)}</A>
            </div>
        </div>
        <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
            <div class="min-w-[12rem] flex-1">
                <label for="u-q" class=LABEL_CLASS>{t!(i18n, users.search)}</label>
                <input id="u-q" name="q" type="search" class=INPUT_CLASS value=q />
            </div>
            <div>
                <label for="u-active" class=LABEL_CLASS>{t!(i18n, users.status)}</label>
                <select id="u-active" name="active" class=INPUT_CLASS>
                    <option value="all" selected=move || active() == "all">{t!(i18n, users.any)}</option>
                    <option value="true" selected=move || active() == "true">{t!(i18n, users.active)}</option>
                    <option value="false" selected=move || active() == "false">{t!(i18n, users.inactive)}</option>
                </select>
            </div>
            <div>
                <label for="u-role" class=LABEL_CLASS>{t!(i18n, users.role)}</label>
                <select id="u-role" name="role" class=INPUT_CLASS>
                    <option value="" selected=move || role().is_empty()>{t!(i18n, users.any_role)}</option>
                    <Suspense>
                        {move || Suspend::new(async move {
                            roles.await.unwrap_or_default().into_iter().map(|r| {
                                let name = r.name.clone();
                                let label = r.name.clone();
                                view! { <option value=name.clone() selected=move || role() == name>{move || role_label(i18n.get_locale(), &label)}</option> }
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
            </div>
            <button type="submit" class=BUTTON_CLASS>{t!(i18n, users.search_button)}</button>
        </Form>
        <Transition>
            {move || Suspend::new(async move {
                let found = match rows.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                if found.rows.is_empty() {
                    return view! { <p class="mt-6 text-slate-700">{t!(i18n, users.none_found)}</p> }.into_any();
                }
                let pages = found.total.div_ceil(found.per_page as u64).max(1);
                let current = found.page;
                let total = found.total;
                let link = move |p: u32| format!(
                    "?q={}&active={}&role={}&page={p}",
                    crate::format::url_encode(&q()), active(), crate::format::url_encode(&role()),
                );
                view! {
                    <p class="mt-4 text-sm text-slate-700">{t!(i18n, users.total)}" "<bdi>{total}</bdi></p>
                    <ul class="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="users">
                        {found.rows.into_iter().map(|u| view! { <UserRow user=u /> }).collect_view()}
                    </ul>
                    <Pager current=current pages=pages
                        prev=(current > 1).then(|| link(current - 1))
                        next=((current as u64) < pages).then(|| link(current + 1)) />
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn UserRow(user: UserView) -> impl IntoView {
    let i18n = use_i18n();
    let yes_no = move |b: bool| {
        if b {
            t_string!(i18n, users.yes).to_string()
        } else {
            t_string!(i18n, users.no).to_string()
        }
    };
    let roles = user.roles.clone();
    let (active, locked, totp) = (user.active, user.locked, user.totp_enabled);
    view! {
        <li class="flex flex-wrap items-start justify-between gap-2 p-3">
            <div class="min-w-0">
                <A href=format!("/admin/users/{}", user.id) attr:class="font-medium text-blue-900 underline">{user.display_name.clone()}</A>
                <p class="truncate text-sm text-slate-700"><bdi dir="ltr">{user.username.clone()}</bdi>" · "<bdi dir="ltr">{user.email.clone()}</bdi></p>
                <p class="text-sm text-slate-700">
                    <span class="sr-only">{t!(i18n, users.col_roles)}": "</span>
                    {move || roles.iter().map(|r| role_label(i18n.get_locale(), r)).collect::<Vec<_>>().join(", ")}
                    {user.plant.clone().map(|p| view! { " · "<span class="sr-only">{t!(i18n, users.col_plant)}": "</span>{p.name} })}
                </p>
            </div>
            <dl class="flex flex-wrap gap-x-3 gap-y-1 text-xs">
                <div class="flex gap-1"><dt>{t!(i18n, users.col_active)}":"</dt><dd>{move || yes_no(active)}</dd></div>
                <div class="flex gap-1"><dt>{t!(i18n, users.col_locked)}":"</dt><dd>{move || yes_no(locked)}</dd></div>
                <div class="flex gap-1"><dt>{t!(i18n, users.col_totp)}":"</dt><dd>{move || yes_no(totp)}</dd></div>
                {user.invited.then(|| view! { <dd class=BADGE>{t!(i18n, users.invited)}</dd> })}
            </dl>
        </li>
    }
}

fn blank_user() -> NewUser {
    NewUser::default()
}

fn input_of(u: &UserView) -> NewUser {
    NewUser {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        email: u.email.clone(),
        language: Some(u.language.clone()),
        manager_id: u.manager.as_ref().map(|m| m.id),
        department_id: u.department.as_ref().map(|d| d.id),
        plant_id: u.plant.as_ref().map(|p| p.id),
        roles: u.roles.clone(),
        password: None,
    }
}

/// `/admin/users/new` and `/admin/users/{id}`.
#[component]
pub fn UserPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let save = Action::new(|(id, input): &(Option<Uuid>, NewUser)| {
        let (id, input) = (*id, input.clone());
        async move {
            match id {
                None => create_user(input).await,
                Some(id) => {
                    let update = UserUpdate {
                        display_name: input.display_name,
                        email: input.email,
                        language: input.language,
                        manager_id: input.manager_id,
                        department_id: input.department_id,
                        plant_id: input.plant_id,
                        roles: input.roles,
                    };
                    update_user(id, update).await
                }
            }
        }
    });
    let act = Action::new(|(id, action): &(Uuid, &'static str)| {
        let (id, action) = (*id, action.to_string());
        async move { user_action(id, action).await }
    });
    let existing = Resource::new(
        move || (id(), act.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_user(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let choices = Resource::new(|| (), |_| get_user_choices());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(u)) = save.value().get() {
            if id().is_none() {
                navigate(&format!("/admin/users/{}", u.id), Default::default());
            }
        }
    });
    view! {
        <AdminTabs />
        <Transition>
            {move || Suspend::new(async move {
                let current = match existing.await {
                    Ok(u) => u,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let choices = match choices.await {
                    Ok(c) => c,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let is_new = current.is_none();
                let form = RwSignal::new(current.as_ref().map(input_of).unwrap_or_else(blank_user));
                let err = move || save.value().get().and_then(|r| r.err());
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch((id(), form.get_untracked()));
                };
                let opt_id = |v: String| Uuid::parse_str(v.trim()).ok();
                let choices = StoredValue::new(choices);
                view! {
                    <h1 class="text-2xl font-semibold">{move || if is_new { t_string!(i18n, users.new_user).to_string() } else { t_string!(i18n, users.edit_user).to_string() }}</h1>
                    {move || err().map(|e| view! { <ErrorDetails error=e /> })}
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p role="status" class=STATUS_OK>{t!(i18n, users.saved)}</p> })}
                    <form on:submit=submit class="mt-4 grid max-w-3xl grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2" novalidate>
                        <div><label for="username" class=LABEL_CLASS>{t!(i18n, users.username)}</label>
                            <input id="username" class=INPUT_CLASS dir="ltr" autocapitalize="none" autocomplete="off" required disabled=!is_new
                                prop:value=move || form.with(|u| u.username.clone())
                                on:input=move |ev| form.update(|u| u.username = event_target_value(&ev)) />
                            {move || field_view(i18n, err(), "username")}</div>
                        <div><label for="display_name" class=LABEL_CLASS>{t!(i18n, users.display_name)}</label>
                            <input id="display_name" class=INPUT_CLASS required prop:value=move || form.with(|u| u.display_name.clone())
                                on:input=move |ev| form.update(|u| u.display_name = event_target_value(&ev)) />
                            {move || field_view(i18n, err(), "display_name")}</div>
                        <div><label for="email" class=LABEL_CLASS>{t!(i18n, users.email)}</label>
                            <input id="email" type="email" dir="ltr" class=INPUT_CLASS required prop:value=move || form.with(|u| u.email.clone())
                                on:input=move |ev| form.update(|u| u.email = event_target_value(&ev)) />
                            {move || field_view(i18n, err(), "email")}</div>
                        <div><label for="language" class=LABEL_CLASS>{t!(i18n, users.language)}</label>
                            <select id="language" class=INPUT_CLASS on:change=move |ev| form.update(|u| { let v = event_target_value(&ev); u.language = (!v.is_empty()).then_some(v) })>
                                <option value="" selected=move || form.with(|u| u.language.is_none())>{t!(i18n, users.company_default)}</option>
                                {LANGUAGES.iter().map(|code| view! {
                                    <option value=*code selected=move || form.with(|u| u.language.as_deref() == Some(*code))>{language_autonym(code)}</option>
                                }).collect_view()}
                            </select>
                            {move || field_view(i18n, err(), "language")}</div>
                        <div><label for="manager" class=LABEL_CLASS>{t!(i18n, users.manager)}</label>
                            <select id="manager" class=INPUT_CLASS on:change=move |ev| form.update(|u| u.manager_id = opt_id(event_target_value(&ev)))>
                                <option value="" selected=move || form.with(|u| u.manager_id.is_none())>{t!(i18n, users.none)}</option>
                                {choices.get_value().managers.into_iter().filter(|m| Some(m.id) != id()).map(|m| view! {
                                    <option value=m.id.to_string() selected=move || form.with(|u| u.manager_id == Some(m.id))>{m.name.clone()}</option>
                                }).collect_view()}
                            </select>
                            {move || field_view(i18n, err(), "manager_id")}</div>
                        <div><label for="department" class=LABEL_CLASS>{t!(i18n, users.department)}</label>
                            <select id="department" class=INPUT_CLASS on:change=move |ev| form.update(|u| u.department_id = opt_id(event_target_value(&ev)))>
                                <option value="" selected=move || form.with(|u| u.department_id.is_none())>{t!(i18n, users.none)}</option>
                                {choices.get_value().departments.into_iter().map(|d| view! {
                                    <option value=d.id.to_string() selected=move || form.with(|u| u.department_id == Some(d.id))>{d.name.clone()}</option>
                                }).collect_view()}
                            </select>
                            {move || field_view(i18n, err(), "department_id")}</div>
                        <div><label for="plant" class=LABEL_CLASS>{t!(i18n, users.plant)}</label>
                            <select id="plant" class=INPUT_CLASS on:change=move |ev| form.update(|u| u.plant_id = opt_id(event_target_value(&ev)))>
                                <option value="" selected=move || form.with(|u| u.plant_id.is_none())>{t!(i18n, users.none)}</option>
                                {choices.get_value().plants.into_iter().map(|p| view! {
                                    <option value=p.id.to_string() selected=move || form.with(|u| u.plant_id == Some(p.id))>{p.name.clone()}</option>
                                }).collect_view()}
                            </select>
                            {move || field_view(i18n, err(), "plant_id")}</div>
                        <fieldset class="sm:col-span-2">
                            <legend class=LABEL_CLASS>{t!(i18n, users.col_roles)}</legend>
                            <div class="mt-1 flex flex-wrap gap-x-4 gap-y-2">
                                {choices.get_value().roles.into_iter().map(|r| {
                                    let (name, label) = (r.clone(), r.clone());
                                    view! {
                                        <label class="flex items-center gap-2">
                                            <input type="checkbox" class="h-4 w-4" prop:checked={let n = name.clone(); move || form.with(|u| u.roles.contains(&n))}
                                                on:change=move |ev| { let on = event_target_checked(&ev); let n = name.clone(); form.update(|u| { u.roles.retain(|x| *x != n); if on { u.roles.push(n) } }) } />
                                            {move || role_label(i18n.get_locale(), &label)}
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                            {move || field_view(i18n, err(), "roles")}
                        </fieldset>
                        {is_new.then(|| view! {
                            <div class="sm:col-span-2"><label for="password" class=LABEL_CLASS>{t!(i18n, users.password)}</label>
                                <input id="password" type="password" autocomplete="new-password" dir="ltr" class=INPUT_CLASS
                                    prop:value=move || form.with(|u| u.password.clone().unwrap_or_default())
                                    on:input=move |ev| form.update(|u| { let v = event_target_value(&ev); u.password = (!v.is_empty()).then_some(v) }) />
                                <p class="mt-1 text-sm text-slate-700">{t!(i18n, users.password_help)}</p>
                                {move || field_view(i18n, err(), "password")}</div>
                        })}
                        <div class="flex flex-wrap gap-3 sm:col-span-2">
                            <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, users.save)}</button>
                            <A href="/admin/users" attr:class=SECONDARY>{t!(i18n, users.title)}</A>
                        </div>
                    </form>
                    {current.map(|u| view! { <UserActions user=u act=act /> })}
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn UserActions(
    user: UserView,
    act: Action<(Uuid, &'static str), Result<(), AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id;
    let button = move |action: &'static str, label: String| {
        view! { <button type="button" class=SECONDARY disabled=move || act.pending().get()
        on:click=move |_| { act.dispatch((id, action)); }>{label}</button> }
    };
    view! {
        <section class="mt-6 max-w-3xl rounded-lg border border-slate-200 bg-white p-4">
            {move || act.value().get().map(|r| match r {
                Ok(()) => view! { <p role="status" class=STATUS_OK>{t!(i18n, users.done)}</p> }.into_any(),
                Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
            })}
            <p class="text-sm text-slate-700">{t!(i18n, users.deactivate_help)}</p>
            <div class="mt-3 flex flex-wrap gap-3">
                {move || if user.active {
                    button("deactivate", t_string!(i18n, users.deactivate).to_string()).into_any()
                } else {
                    button("activate", t_string!(i18n, users.activate).to_string()).into_any()
                }}
                {move || user.locked.then(|| button("unlock", t_string!(i18n, users.unlock).to_string()))}
                {move || user.active.then(|| button("send_password_reset", t_string!(i18n, users.send_reset).to_string()))}
            </div>
        </section>
    }
}

/// `/admin/users/import`: the CSV pasted, every error by line when nothing was imported.
#[component]
pub fn ImportUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let csv = RwSignal::new(String::from(
        "username,display_name,email,language,roles,department,plant,manager\n",
    ));
    let run = Action::new(|text: &String| {
        let text = text.clone();
        async move { import_users(text).await }
    });
    view! {
        <AdminTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, users.import)}</h1>
        <p class="mt-1 max-w-3xl text-slate-700">{t!(i18n, users.import_help)}</p>
        {move || run.value().get().map(|r| match r {
            Ok(o) => view! { <p role="status" class=STATUS_OK>{t!(i18n, users.imported)}" "<bdi>{o.imported}</bdi></p> }.into_any(),
            Err(AppError::Validation(fields)) => {
                let lines: BTreeMap<String, String> = fields.iter().map(|(k, v)| (k.clone(), v.message(i18n.get_locale()))).collect();
                view! {
                    <div role="alert" class="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
                        <p>{t!(i18n, users.import_failed)}</p>
                        <ul class="mt-2 list-disc ps-5">
                            {lines.into_iter().map(|(k, m)| view! { <li><bdi dir="ltr">{k}</bdi>": "{m}</li> }).collect_view()}
                        </ul>
                    </div>
                }.into_any()
            }
            Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
        })}
        <form class="mt-4 max-w-3xl rounded-lg border border-slate-200 bg-white p-4"
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); run.dispatch(csv.get_untracked()); }>
            <label for="csv" class=LABEL_CLASS>{t!(i18n, users.csv)}</label>
            <textarea id="csv" rows="10" dir="ltr" class=format!("{INPUT_CLASS} font-mono text-sm") prop:value=move || csv.get()
                on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
            <button type="submit" class=format!("{BUTTON_CLASS} mt-3") disabled=move || run.pending().get()>{t!(i18n, users.import_button)}</button>
        </form>
    }
}

/// `/admin/roles`: system roles first, each with its holders; copy or open one.
#[component]
pub fn RolesPage() -> impl IntoView {
    let i18n = use_i18n();
    let roles = Resource::new(|| (), |_| list_roles());
    let query = use_query_map();
    let deleted = move || query.read().get("deleted").is_some();
    view! {
        <AdminTabs />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, users.roles_title)}</h1>
            <A href="/admin/roles/new" attr:class=BUTTON_CLASS>{t!(i18n, users.new_role)}</A>
        </div>
        {move || deleted().then(|| view! { <p role="status" class=STATUS_OK>{t!(i18n, users.deleted)}</p> })}
        <Transition>
            {move || Suspend::new(async move {
                let roles = match roles.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                view! {
                    <ul class="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="roles">
                        {roles.into_iter().map(|r| {
                            let label = r.name.clone();
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 p-3">
                                    <div class="min-w-0">
                                        <A href=format!("/admin/roles/{}", r.id) attr:class="font-medium text-blue-900 underline">{move || role_label(i18n.get_locale(), &label)}</A>
                                        <p class="text-sm text-slate-700">
                                            {if r.system { view! { <span class=BADGE>{t!(i18n, users.system)}</span> }.into_any() } else { view! { <span class=BADGE>{t!(i18n, users.custom)}</span> }.into_any() }}
                                            " "{t!(i18n, users.holders)}": "<bdi>{r.users}</bdi>
                                        </p>
                                    </div>
                                    <A href=format!("/admin/roles/new?copy={}", r.id) attr:class=SECONDARY>{t!(i18n, users.copy)}</A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}

/// `/admin/roles/new[?copy=ID]` and `/admin/roles/{id}`: the matrix of permissions × scope.
#[component]
pub fn RolePage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let query = use_query_map();
    let copy = move || {
        query
            .read()
            .get("copy")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let data = Resource::new(
        move || (id(), copy()),
        |(id, copy)| async move {
            let catalogue = list_permissions().await?;
            let role = match id.or(copy) {
                Some(r) => Some(get_role(r).await?),
                None => None,
            };
            Ok::<_, AppError>((catalogue, role))
        },
    );
    let save = Action::new(|(id, input): &(Option<Uuid>, RoleInput)| {
        let (id, input) = (*id, input.clone());
        async move { save_role(id, input).await }
    });
    let remove = Action::new(|id: &Uuid| {
        let id = *id;
        async move { delete_role(id).await }
    });
    let navigate = use_navigate();
    let nav2 = navigate.clone();
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get() {
            if id().is_none() {
                navigate(&format!("/admin/roles/{}", r.id), Default::default());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            nav2("/admin/roles?deleted=1", Default::default());
        }
    });
    view! {
        <AdminTabs />
        <Transition>
            {move || Suspend::new(async move {
                let (catalogue, role) = match data.await {
                    Ok(d) => d,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let editing = id().is_some();
                let readonly = editing && role.as_ref().is_some_and(|r| r.system);
                let (name, description, grants) = match (&role, editing) {
                    (Some(r), true) => (r.name.clone(), r.description.clone(), r.grants.clone()),
                    (Some(r), false) => (
                        format!("{} {}", t_string!(i18n, users.copy_of), role_label(i18n.get_locale(), &r.name)),
                        r.description.clone(),
                        r.grants.clone(),
                    ),
                    (None, _) => (String::new(), String::new(), Vec::new()),
                };
                let in_use = role.as_ref().map(|r| r.users).unwrap_or(0);
                let title = role.as_ref().filter(|_| editing).map(|r| r.name.clone());
                let name = RwSignal::new(name);
                let description = RwSignal::new(description);
                let matrix: RwSignal<BTreeMap<String, Scope>> = RwSignal::new(
                    grants.into_iter().map(|g| (g.permission, g.scope)).collect(),
                );
                let err = move || save.value().get().and_then(|r| r.err())
                    .or_else(|| remove.value().get().and_then(|r| r.err()));
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let grants = matrix.get_untracked().into_iter()
                        .map(|(permission, scope)| Grant { permission, scope }).collect();
                    save.dispatch((id(), RoleInput {
                        name: name.get_untracked(),
                        description: Some(description.get_untracked()),
                        grants,
                        copy_of: None,
                    }));
                };
                let headers = [None, Some(Scope::Own), Some(Scope::Department), Some(Scope::Plant), Some(Scope::All)];
                let head_label = move |s: Option<Scope>| match s {
                    None => t_string!(i18n, users.scope_none).to_string(),
                    Some(s) => scope_label(i18n.get_locale(), s),
                };
                view! {
                    <h1 class="text-2xl font-semibold">{move || title.clone().map(|t| role_label(i18n.get_locale(), &t)).unwrap_or_else(|| t_string!(i18n, users.new_role).to_string())}</h1>
                    <p class="mt-1 max-w-3xl text-slate-700">{t!(i18n, users.matrix_help)}</p>
                    {readonly.then(|| view! { <p role="note" class="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{t!(i18n, users.system_readonly)}</p> })}
                    {move || err().map(|e| view! { <ErrorDetails error=e /> })}
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p role="status" class=STATUS_OK>{t!(i18n, users.saved)}</p> })}
                    <form on:submit=submit class="mt-4 rounded-lg border border-slate-200 bg-white p-4" novalidate>
                        <fieldset disabled=readonly class="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2">
                            <div><label for="role-name" class=LABEL_CLASS>{t!(i18n, users.role_name)}</label>
                                <input id="role-name" class=INPUT_CLASS required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                                {move || field_view(i18n, err(), "name")}</div>
                            <div><label for="role-description" class=LABEL_CLASS>{t!(i18n, users.role_description)}</label>
                                <input id="role-description" class=INPUT_CLASS prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev)) />
                                {move || field_view(i18n, err(), "description")}</div>
                        </fieldset>
                        <div class="mt-4 overflow-x-auto">
                            <table class="min-w-full text-sm" data-testid="matrix">
                                <thead>
                                    <tr class="border-b border-slate-200">
                                        <th scope="col" class="p-2 text-start">{t!(i18n, users.permission)}</th>
                                        {headers.into_iter().map(|s| view! { <th scope="col" class="p-2 text-center">{move || head_label(s)}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {catalogue.into_iter().map(|p| {
                                        let perm = StoredValue::new(p.permission.clone());
                                        let allowed = p.scopes.clone();
                                        view! {
                                            <tr class="border-b border-slate-100">
                                                <th scope="row" class="p-2 text-start font-normal">
                                                    <span class="block">{p.description.clone()}</span>
                                                    <bdi dir="ltr" class="text-xs text-slate-600">{p.permission.clone()}</bdi>
                                                </th>
                                                {headers.into_iter().map(|s| {
                                                    let ok = s.is_none_or(|s| allowed.contains(&s));
                                                    let label = move || format!("{} — {}", perm.get_value(), head_label(s));
                                                    if !ok {
                                                        return view! { <td class="p-2 text-center text-slate-400" aria-hidden="true">"—"</td> }.into_any();
                                                    }
                                                    view! {
                                                        <td class="p-2 text-center">
                                                            <input type="radio" class="h-5 w-5" name=perm.get_value() disabled=readonly aria-label=label
                                                                prop:checked=move || matrix.with(|m| m.get(&perm.get_value()).copied() == s)
                                                                on:change=move |_| matrix.update(|m| { match s { Some(s) => { m.insert(perm.get_value(), s); } None => { m.remove(&perm.get_value()); } } }) />
                                                        </td>
                                                    }.into_any()
                                                }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="mt-4 flex flex-wrap gap-3">
                            {(!readonly).then(|| view! { <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, users.save)}</button> })}
                            {readonly.then(|| id().map(|rid| view! { <A href=format!("/admin/roles/new?copy={rid}") attr:class=BUTTON_CLASS>{t!(i18n, users.copy)}</A> }))}
                            {(editing && !readonly).then(|| id().map(|rid| view! {
                                <button type="button" class=SECONDARY disabled=move || in_use > 0 || remove.pending().get()
                                    title=move || (in_use > 0).then(|| t_string!(i18n, users.in_use).to_string())
                                    on:click=move |_| { remove.dispatch(rid); }>{t!(i18n, users.delete_role)}</button>
                            }))}
                            <A href="/admin/roles" attr:class=SECONDARY>{t!(i18n, users.roles_title)}</A>
                        </div>
                    </form>
                }.into_any()
            })}
        </Transition>
    }
}
