//! The audit page (`/admin/audit`): filters in the URL (they survive a reload and work without
//! JavaScript), entries newest first, each with its old and new values side by side and the
//! changed keys marked, and the CSV export of the same filters.
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::audit_log::api::{get_audit_options, list_audit_entries};
use crate::platform::audit_log::{changes, AuditEntry, AuditFilter, AuditPage, COUNT_CAP};
use crate::platform::ui::widgets::{Pager, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

/// Record types the trail names today, for the suggestions of the filter.
const ENTITIES: &[&str] = &[
    "requisition",
    "purchase_order",
    "goods_receipt",
    "item",
    "supplier",
    "project",
    "user",
    "role",
    "tenant",
    "api_token",
    "delegation",
    "approval_rule",
    "stock",
    "item_category",
    "location",
    "item_import",
];

/// Actions the trail names today, for the suggestions of the filter.
const ACTIONS: &[&str] = &[
    "create",
    "update",
    "delete",
    "submit",
    "approve",
    "reject",
    "cancel",
    "send",
    "receive",
    "accept",
    "login",
    "login_failed",
    "logout",
    "password_change",
];

/// The translated name of a record type; one the page does not know shows as written.
pub fn entity_label(locale: Locale, entity: &str) -> String {
    use leptos_i18n::td_string;
    match entity {
        "requisition" => td_string!(locale, auditlog.ent_requisition).to_string(),
        "purchase_order" => td_string!(locale, auditlog.ent_purchase_order).to_string(),
        "goods_receipt" => td_string!(locale, auditlog.ent_goods_receipt).to_string(),
        "item" => td_string!(locale, auditlog.ent_item).to_string(),
        "supplier" => td_string!(locale, auditlog.ent_supplier).to_string(),
        "project" => td_string!(locale, auditlog.ent_project).to_string(),
        "user" => td_string!(locale, auditlog.ent_user).to_string(),
        "role" => td_string!(locale, auditlog.ent_role).to_string(),
        "tenant" => td_string!(locale, auditlog.ent_tenant).to_string(),
        "api_token" => td_string!(locale, auditlog.ent_api_token).to_string(),
        "delegation" => td_string!(locale, auditlog.ent_delegation).to_string(),
        "approval_rule" => td_string!(locale, auditlog.ent_approval_rule).to_string(),
        "stock" => td_string!(locale, auditlog.ent_stock).to_string(),
        "item_category" => td_string!(locale, places.ent_category).to_string(),
        "location" => td_string!(locale, places.ent_location).to_string(),
        "item_import" => td_string!(locale, auditlog.ent_item_import).to_string(),
        other => other.to_string(),
    }
}

/// The translated name of an action; one the page does not know shows as written.
pub fn action_label(locale: Locale, action: &str) -> String {
    use leptos_i18n::td_string;
    match action {
        "create" => td_string!(locale, auditlog.act_create).to_string(),
        "update" => td_string!(locale, auditlog.act_update).to_string(),
        "delete" => td_string!(locale, auditlog.act_delete).to_string(),
        "submit" => td_string!(locale, auditlog.act_submit).to_string(),
        "approve" => td_string!(locale, auditlog.act_approve).to_string(),
        "reject" => td_string!(locale, auditlog.act_reject).to_string(),
        "cancel" => td_string!(locale, auditlog.act_cancel).to_string(),
        "send" => td_string!(locale, auditlog.act_send).to_string(),
        "receive" => td_string!(locale, auditlog.act_receive).to_string(),
        "accept" => td_string!(locale, auditlog.act_accept).to_string(),
        "login" => td_string!(locale, auditlog.act_login).to_string(),
        "login_failed" => td_string!(locale, auditlog.act_login_failed).to_string(),
        "logout" => td_string!(locale, auditlog.act_logout).to_string(),
        "password_change" => td_string!(locale, auditlog.act_password_change).to_string(),
        other => other.to_string(),
    }
}

/// The filter the URL holds (what does not parse is no filter).
fn filter_of_query(q: &leptos_router::params::ParamsMap) -> AuditFilter {
    let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    AuditFilter {
        user_id: q.get("user_id").and_then(|v| v.parse().ok()),
        entity: text("entity"),
        entity_id: text("entity_id"),
        action: text("action"),
        from: q.get("from").and_then(|v| v.parse().ok()),
        to: q.get("to").and_then(|v| v.parse().ok()),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || filter_of_query(&query.read());
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let options = Resource::new(|| (), |_| get_audit_options());
    let rows = Resource::new(
        move || (filter(), page()),
        |(filter, page)| list_audit_entries(filter, page),
    );
    let text = move |k: &'static str| move || query.read().get(k).unwrap_or_default();
    let export = move || {
        let q = filter().query_string();
        if q.is_empty() {
            "/api/v1/audit?format=csv".to_string()
        } else {
            format!("/api/v1/audit?format=csv&{q}")
        }
    };
    view! {
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, auditlog.title)}</h1>
            <a href=export rel="external" download class=BUTTON_CLASS>{t!(i18n, auditlog.export)}</a>
        </div>
        <p class="mt-1 text-sm text-slate-700">{t!(i18n, auditlog.help)}</p>
        <Form method="GET" action="" attr:class="mt-4 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-3">
            <div>
                <label for="a-user" class=LABEL_CLASS>{t!(i18n, auditlog.user)}</label>
                <select id="a-user" name="user_id" class=INPUT_CLASS>
                    <option value="">{t!(i18n, auditlog.any_user)}</option>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let users = options.await.map(|o| o.users).unwrap_or_default();
                            users.into_iter().map(|u| {
                                let id = u.id.to_string();
                                let selected = { let id = id.clone(); move || text("user_id")() == id };
                                view! { <option value=id selected=selected>{format!("{} ({})", u.display_name, u.username)}</option> }
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
            </div>
            <div>
                <label for="a-entity" class=LABEL_CLASS>{t!(i18n, auditlog.entity)}</label>
                <input id="a-entity" name="entity" list="a-entities" class=INPUT_CLASS value=text("entity") autocomplete="off" dir="ltr" />
                <datalist id="a-entities">
                    {ENTITIES.iter().map(|e| view! { <option value=*e>{move || entity_label(i18n.get_locale(), e)}</option> }).collect_view()}
                </datalist>
            </div>
            <div>
                <label for="a-entity-id" class=LABEL_CLASS>{t!(i18n, auditlog.entity_id)}</label>
                <input id="a-entity-id" name="entity_id" class=INPUT_CLASS value=text("entity_id") autocomplete="off" dir="ltr" />
            </div>
            <div>
                <label for="a-action" class=LABEL_CLASS>{t!(i18n, auditlog.action)}</label>
                <input id="a-action" name="action" list="a-actions" class=INPUT_CLASS value=text("action") autocomplete="off" dir="ltr" />
                <datalist id="a-actions">
                    {ACTIONS.iter().map(|a| view! { <option value=*a>{move || action_label(i18n.get_locale(), a)}</option> }).collect_view()}
                </datalist>
            </div>
            <div class="grid grid-cols-2 gap-3">
                <div>
                    <label for="a-from" class=LABEL_CLASS>{t!(i18n, auditlog.from)}</label>
                    <input id="a-from" name="from" type="date" class=INPUT_CLASS value=text("from") />
                </div>
                <div>
                    <label for="a-to" class=LABEL_CLASS>{t!(i18n, auditlog.to)}</label>
                    <input id="a-to" name="to" type="date" class=INPUT_CLASS value=text("to") />
                </div>
            </div>
            <div class="flex items-end gap-3">
                <button type="submit" class=BUTTON_CLASS>{t!(i18n, auditlog.filter)}</button>
                <A href="/admin/audit" attr:class="py-2 text-sm underline">{t!(i18n, auditlog.clear)}</A>
            </div>
        </Form>
        <Transition>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(e) => view! { <p role="alert" class="mt-6 text-red-800">{move || e.message(i18n.get_locale())}</p> }.into_any(),
                    Ok(p) if p.entries.is_empty() => view! { <p class="mt-6 text-slate-700">{t!(i18n, auditlog.none)}</p> }.into_any(),
                    Ok(p) => entries_view(p, filter()).into_any(),
                }
            })}
        </Transition>
    }
}

/// The page of entries, its count and its pager.
fn entries_view(p: AuditPage, filter: AuditFilter) -> impl IntoView {
    let i18n = use_i18n();
    let pages = p.pages();
    let current = p.page;
    let next = p.has_next();
    let link = move |page: u32| {
        let q = filter.query_string();
        if q.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{q}&page={page}")
        }
    };
    let (total, more) = (p.total, p.more);
    let times = p.local_times.clone();
    view! {
        <p class="mt-4 text-sm text-slate-700" aria-live="polite">
            {move || if more {
                t_string!(i18n, auditlog.more_than, count = COUNT_CAP).to_string()
            } else {
                t_string!(i18n, auditlog.total, count = total).to_string()
            }}
        </p>
        <ol class="mt-2 space-y-3">
            {p.entries.into_iter().enumerate().map(|(i, e)| {
                let local = times.get(i).copied().unwrap_or_else(|| e.at.naive_utc());
                view! { <EntryView entry=e local=local /> }
            }).collect_view()}
        </ol>
        <Pager current=current pages=pages.max(current as u64)
            prev=(current > 1).then(|| link(current - 1))
            next=next.then(|| link(current + 1)) />
    }
}

/// One entry: when, who, what to which record; the values before and after, side by side, the
/// changed keys marked; where it came from, folded.
#[component]
fn EntryView(entry: AuditEntry, local: chrono::NaiveDateTime) -> impl IntoView {
    let i18n = use_i18n();
    let rows = changes(entry.old_values.as_ref(), entry.new_values.as_ref());
    let user = entry.user.clone();
    let (action, entity) = (entry.action.clone(), entry.entity.clone());
    let record_link = entry.entity_id.clone().map(|id| {
        AuditFilter {
            entity: Some(entry.entity.clone()),
            entity_id: Some(id),
            ..Default::default()
        }
        .query_string()
    });
    let entity_id = entry.entity_id.clone();
    let at = entry.at.to_rfc3339();
    let time = local.format("%H:%M").to_string();
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-3">
            <div class="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
                <time datetime=at class="tabular-nums text-slate-700">
                    {move || format_date(local.date(), i18n.get_locale())}" "<span dir="ltr">{time.clone()}</span>
                </time>
                {match user {
                    Some(u) => {
                        let href = format!("?{}", AuditFilter { user_id: Some(u.id), ..Default::default() }.query_string());
                        view! { <A href=href attr:class="font-medium text-blue-800 underline"><bdi>{u.display_name}</bdi></A> }.into_any()
                    }
                    None => view! { <span class="font-medium">{t!(i18n, auditlog.system)}</span> }.into_any(),
                }}
                <span class="rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold">{move || action_label(i18n.get_locale(), &action)}</span>
                <span>
                    {move || entity_label(i18n.get_locale(), &entity)}
                    {entity_id.map(|id| view! {
                        " "
                        <A href=format!("?{}", record_link.clone().unwrap_or_default()) attr:class="text-blue-800 underline">
                            <bdi dir="ltr" class="break-all">{id}</bdi>
                        </A>
                    })}
                </span>
            </div>
            {(!rows.is_empty()).then(|| view! {
                <table class="mt-2 w-full table-fixed border-collapse text-sm">
                    <thead>
                        <tr class="text-slate-600">
                            <th scope="col" class="w-1/4 px-2 py-1 text-start font-medium">{t!(i18n, auditlog.field)}</th>
                            <th scope="col" class="px-2 py-1 text-start font-medium">{t!(i18n, auditlog.before)}</th>
                            <th scope="col" class="px-2 py-1 text-start font-medium">{t!(i18n, auditlog.after)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|c| {
                            let class = if c.changed { "border-t border-slate-100 bg-amber-50" } else { "border-t border-slate-100 text-slate-500" };
                            let value = move |v: Option<String>, changed: bool| match (v, changed) {
                                (Some(v), true) => view! { <mark class="bg-amber-200/60 text-slate-900"><bdi>{v}</bdi></mark> }.into_any(),
                                (Some(v), false) => view! { <bdi>{v}</bdi> }.into_any(),
                                (None, _) => view! { <span aria-hidden="true">"—"</span> }.into_any(),
                            };
                            view! {
                                <tr class=class data-changed=c.changed.to_string()>
                                    <th scope="row" class="break-words px-2 py-1 text-start font-mono text-xs font-normal" dir="ltr">{c.key}</th>
                                    <td class="break-words px-2 py-1 align-top" dir="auto">{value(c.old, c.changed)}</td>
                                    <td class="break-words px-2 py-1 align-top" dir="auto">{value(c.new, c.changed)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <details class="mt-2 text-xs text-slate-600">
                <summary class="cursor-pointer">{t!(i18n, auditlog.details)}</summary>
                <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                    <dt>{t!(i18n, auditlog.ip)}</dt><dd dir="ltr" class="break-all text-start">{entry.ip.unwrap_or_default()}</dd>
                    <dt>{t!(i18n, auditlog.user_agent)}</dt><dd dir="ltr" class="break-all text-start">{entry.user_agent.unwrap_or_default()}</dd>
                    <dt>{t!(i18n, auditlog.request_id)}</dt><dd dir="ltr" class="break-all text-start font-mono">{entry.request_id.unwrap_or_default()}</dd>
                </dl>
            </details>
        </li>
    }
}
