//! The approval rules admin page: the stages of a document type, a form that validates as the
//! server does, and a live preview of the route a sample document would take.
use crate::approvals::api::{doc_kinds, list_rules, save_rule};
use crate::approvals::model::{self, DocKindInfo, Rule, Sample};
use crate::error::AppError;
use crate::i18n::*;
use crate::platform::permission::SYSTEM_ROLES;
use crate::platform::ui::widgets::{
    role_label, stage_label, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use rust_decimal::Decimal;
use std::str::FromStr;

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, k: &str) -> String {
    match k {
        "manager" => t_string!(i18n, rules.k_manager).to_string(),
        "user" => t_string!(i18n, rules.k_user).to_string(),
        _ => t_string!(i18n, rules.k_role).to_string(),
    }
}

#[component]
pub fn ApprovalRulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // choosing a kind of document reloads its rules (an event listener: the pages' CSP refuses
    // inline handlers; without scripts the form's button submits it)
    let navigate = use_navigate();
    // the kinds of document are the slices' registrations: the one asked for, else the first
    let asked = move || query.read().get("doc").unwrap_or_default();
    let save = Action::new(|rule: &Rule| {
        let rule = rule.clone();
        async move { save_rule(rule).await }
    });
    let list = Resource::new(
        move || (asked(), save.version().get()),
        |(asked, _)| async move {
            let kinds = doc_kinds().await?;
            let doc = kinds
                .iter()
                .find(|k| k.doc_type == asked)
                .or(kinds.first())
                .map(|k| k.doc_type.clone())
                .unwrap_or_default();
            let rules = list_rules(doc.clone()).await?;
            Ok::<(String, Vec<DocKindInfo>, Vec<Rule>), AppError>((doc, kinds, rules))
        },
    );
    let editing: RwSignal<Option<Rule>> = RwSignal::new(None);
    let sample_amount = RwSignal::new("60000".to_string());
    let sample_plant = RwSignal::new(String::new());
    let sample_dept = RwSignal::new(String::new());
    let sample_purpose = RwSignal::new("daily_operations".to_string());
    let err = move || save.value().get().and_then(|r| r.err());
    let field_msg = move |f: &'static str| {
        move || {
            err().and_then(|e| e.field_error(f)).map(|fe| view! { <p class="mt-1 text-sm text-red-700">{fe.message(i18n.get_locale())}</p> })
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
        }
    });
    view! {
        <crate::platform::ui::admin::AdminTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, rules.title)}</h1>
        <p class="mt-1 max-w-3xl text-slate-700">{t!(i18n, rules.help)}</p>
        {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
            <p role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, rules.saved)}</p>
        })}
        {move || err().map(|e| view! { <div role="alert" class="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">{e.message(i18n.get_locale())}</div> })}
        <Transition>
            {move || { let navigate = navigate.clone(); Suspend::new(async move {
                let (doc, kinds, rows) = match list.await {
                    Ok(r) => r,
                    Err(e) => return view! { <p role="alert" class="mt-4">{e.message(i18n.get_locale())}</p> }.into_any(),
                };
                let chosen = doc.clone();
                let next_stage = rows.iter().map(|r| r.stage).max().unwrap_or(0) + 1;
                let all = StoredValue::new(rows.clone());
                view! {
                    <form method="GET" action="" class="mt-3 flex flex-wrap items-end gap-3">
                        <div>
                            <label for="doc" class=LABEL_CLASS>{t!(i18n, rules.doc_type)}</label>
                            <select id="doc" name="doc" class=INPUT_CLASS
                                on:change=move |ev| navigate(&format!("?doc={}", event_target_value(&ev)), Default::default())>
                                {kinds.into_iter().map(|k| {
                                    let selected = k.doc_type == chosen;
                                    view! { <option value=k.doc_type selected=selected>{k.label}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <noscript><button type="submit" class=BUTTON_CLASS>{t!(i18n, req.filter)}</button></noscript>
                    </form>
                    <ol class="mt-4 space-y-2" data-testid="rules">
                        {rows.into_iter().map(|r| {
                            let edit = r.clone();
                            let approver = match r.approver_kind.as_str() {
                                "role" => r.approver_role.clone().unwrap_or_default(),
                                k => k.to_string(),
                            };
                            let kind = r.approver_kind.clone();
                            let cond = r.condition.clone();
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white p-3">
                                    <div>
                                        <p class="font-medium">{let (stage, name) = (r.stage, r.name.clone()); move || format!("{stage} · {}", stage_label(i18n.get_locale(), &name))}
                                            {(!r.active).then(|| view! { <span class="ms-2 rounded bg-slate-200 px-2 text-xs">{t!(i18n, rules.inactive)}</span> })}</p>
                                        <p class="text-sm text-slate-700">
                                            {move || if kind == "role" { role_label(i18n.get_locale(), &approver) } else { kind_label(i18n, &kind) }}
                                            " · "{t!(i18n, rules.sla)}": "{r.sla_hours}
                                        </p>
                                        <p class="text-sm"><code dir="ltr">{move || if cond.is_empty() { t_string!(i18n, rules.always).to_string() } else { cond.clone() }}</code></p>
                                    </div>
                                    <button type="button" class="rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100"
                                        on:click=move |_| editing.set(Some(edit.clone()))>{t!(i18n, rules.edit)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <button type="button" class="mt-3 rounded-md border border-blue-800 px-3 py-1.5 text-sm font-semibold text-blue-900 hover:bg-blue-50"
                        on:click=move |_| editing.set(Some(Rule::new(&doc, next_stage)))>{t!(i18n, rules.add)}</button>
                    {move || editing.get().map(|r| {
                        let rule = RwSignal::new(r);
                        let text = move |f: fn(&Rule) -> String| move || rule.with(f);
                        view! {
                            <section class="mt-4 rounded-lg border border-blue-200 bg-blue-50 p-4" data-testid="rule-form">
                                <div class="grid grid-cols-1 gap-3 sm:grid-cols-3">
                                    <div><label for="r-stage" class=LABEL_CLASS>{t!(i18n, rules.stage)}</label>
                                        <input id="r-stage" type="number" min="1" max="20" class=INPUT_CLASS prop:value=text(|r| r.stage.to_string())
                                            on:input=move |ev| rule.update(|r| r.stage = event_target_value(&ev).parse().unwrap_or(0)) />{field_msg("stage")}</div>
                                    <div class="sm:col-span-2"><label for="r-name" class=LABEL_CLASS>{t!(i18n, rules.name)}</label>
                                        <input id="r-name" class=INPUT_CLASS prop:value=text(|r| r.name.clone())
                                            on:input=move |ev| rule.update(|r| r.name = event_target_value(&ev)) />{field_msg("name")}</div>
                                    <div><label for="r-kind" class=LABEL_CLASS>{t!(i18n, rules.approver)}</label>
                                        <select id="r-kind" class=INPUT_CLASS on:change=move |ev| rule.update(|r| r.approver_kind = event_target_value(&ev))>
                                            {["manager", "role", "user"].into_iter().map(|k| view! {
                                                <option value=k selected=move || rule.with(|r| r.approver_kind == k)>{move || kind_label(i18n, k)}</option>
                                            }).collect_view()}
                                        </select></div>
                                    <Show when=move || rule.with(|r| r.approver_kind == "role")>
                                        <div><label for="r-role" class=LABEL_CLASS>{t!(i18n, rules.role)}</label>
                                            <select id="r-role" class=INPUT_CLASS on:change=move |ev| rule.update(|r| r.approver_role = Some(event_target_value(&ev)))>
                                                {SYSTEM_ROLES.iter().map(|(name, _)| { let name = *name; view! {
                                                    <option value=name selected=move || rule.with(|r| r.approver_role.as_deref() == Some(name))>{move || role_label(i18n.get_locale(), name)}</option>
                                                }}).collect_view()}
                                            </select>{field_msg("approver_role")}</div>
                                        <div><label for="r-limit" class=LABEL_CLASS>{t!(i18n, rules.limit)}</label>
                                            <select id="r-limit" class=INPUT_CLASS on:change=move |ev| rule.update(|r| r.role_limit = event_target_value(&ev))>
                                                <option value="none" selected=move || rule.with(|r| r.role_limit == "none")>{t!(i18n, rules.l_none)}</option>
                                                <option value="plant" selected=move || rule.with(|r| r.role_limit == "plant")>{t!(i18n, rules.l_plant)}</option>
                                                <option value="department" selected=move || rule.with(|r| r.role_limit == "department")>{t!(i18n, rules.l_department)}</option>
                                            </select></div>
                                        <label class="flex items-center gap-2 text-sm sm:col-span-3"><input type="checkbox" class="h-4 w-4" prop:checked=move || rule.with(|r| r.require_all)
                                            on:change=move |ev| rule.update(|r| r.require_all = event_target_checked(&ev)) />{t!(i18n, rules.require_all)}</label>
                                    </Show>
                                    <Show when=move || rule.with(|r| r.approver_kind == "user")>
                                        <div class="sm:col-span-2"><label for="r-user" class=LABEL_CLASS>{t!(i18n, rules.user_id)}</label>
                                            <input id="r-user" class=INPUT_CLASS dir="ltr" prop:value=text(|r| r.approver_user_id.map(|u| u.to_string()).unwrap_or_default())
                                                on:input=move |ev| rule.update(|r| r.approver_user_id = uuid::Uuid::parse_str(event_target_value(&ev).trim()).ok()) />{field_msg("approver_user_id")}</div>
                                    </Show>
                                    <div class="sm:col-span-3"><label for="r-cond" class=LABEL_CLASS>{t!(i18n, rules.condition)}</label>
                                        <input id="r-cond" class=INPUT_CLASS dir="ltr" aria-describedby="r-cond-help" prop:value=text(|r| r.condition.clone())
                                            on:input=move |ev| rule.update(|r| r.condition = event_target_value(&ev)) />
                                        <p id="r-cond-help" class="mt-1 text-xs text-slate-700">{t!(i18n, rules.condition_help)}</p>
                                        {move || rule.with(|r| r.condition.parse::<crate::approvals::expr::Expr>().err()).map(|e| view! {
                                            <p class="mt-1 text-sm text-red-700" data-testid="condition-error">{move || t_string!(i18n, rules.unreadable, at = e.at + 1).to_string()}</p>
                                        })}</div>
                                    <div><label for="r-sla" class=LABEL_CLASS>{t!(i18n, rules.sla)}</label>
                                        <input id="r-sla" type="number" min="1" class=INPUT_CLASS prop:value=text(|r| r.sla_hours.to_string())
                                            on:input=move |ev| rule.update(|r| r.sla_hours = event_target_value(&ev).parse().unwrap_or(0)) />{field_msg("sla_hours")}</div>
                                    <div><label for="r-esc" class=LABEL_CLASS>{t!(i18n, rules.escalate_to)}</label>
                                        <select id="r-esc" class=INPUT_CLASS on:change=move |ev| rule.update(|r| { let v = event_target_value(&ev); r.escalate_to_role = (!v.is_empty()).then_some(v); })>
                                            <option value="" selected=move || rule.with(|r| r.escalate_to_role.is_none())>{t!(i18n, rules.no_escalation)}</option>
                                            {SYSTEM_ROLES.iter().map(|(name, _)| { let name = *name; view! {
                                                <option value=name selected=move || rule.with(|r| r.escalate_to_role.as_deref() == Some(name))>{move || role_label(i18n.get_locale(), name)}</option>
                                            }}).collect_view()}
                                        </select></div>
                                    <div><label for="r-after" class=LABEL_CLASS>{t!(i18n, rules.escalate_after)}</label>
                                        <input id="r-after" type="number" min="1" class=INPUT_CLASS prop:value=text(|r| r.escalate_after_hours.map(|h| h.to_string()).unwrap_or_default())
                                            on:input=move |ev| rule.update(|r| r.escalate_after_hours = event_target_value(&ev).parse().ok()) />{field_msg("escalate_after_hours")}</div>
                                    <label class="flex items-center gap-2 text-sm"><input type="checkbox" class="h-4 w-4" prop:checked=move || rule.with(|r| r.active)
                                        on:change=move |ev| rule.update(|r| r.active = event_target_checked(&ev)) />{t!(i18n, rules.active)}</label>
                                </div>
                                <button type="button" class=format!("{BUTTON_CLASS} mt-3") disabled=move || save.pending().get()
                                    on:click=move |_| { save.dispatch(rule.get_untracked()); }>{t!(i18n, rules.save)}</button>
                                <section class="mt-4 rounded-md border border-slate-200 bg-white p-3" aria-labelledby="preview-h">
                                    <h2 id="preview-h" class="font-semibold">{t!(i18n, rules.preview)}</h2>
                                    <div class="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
                                        <div><label for="s-amount" class=LABEL_CLASS>{t!(i18n, rules.amount)}</label>
                                            <input id="s-amount" inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || sample_amount.get() on:input=move |ev| sample_amount.set(event_target_value(&ev)) /></div>
                                        <div><label for="s-plant" class=LABEL_CLASS>{t!(i18n, rules.plant)}</label>
                                            <input id="s-plant" dir="ltr" class=INPUT_CLASS prop:value=move || sample_plant.get() on:input=move |ev| sample_plant.set(event_target_value(&ev)) /></div>
                                        <div><label for="s-dept" class=LABEL_CLASS>{t!(i18n, rules.department)}</label>
                                            <input id="s-dept" dir="ltr" class=INPUT_CLASS prop:value=move || sample_dept.get() on:input=move |ev| sample_dept.set(event_target_value(&ev)) /></div>
                                        <div><label for="s-purpose" class=LABEL_CLASS>{t!(i18n, rules.purpose)}</label>
                                            <select id="s-purpose" class=INPUT_CLASS on:change=move |ev| sample_purpose.set(event_target_value(&ev))>
                                                <option value="daily_operations">{t!(i18n, req.daily_operations)}</option>
                                                <option value="project">{t!(i18n, req.project)}</option>
                                            </select></div>
                                    </div>
                                    <ol class="mt-3 space-y-1 text-sm" data-testid="route-preview">
                                        {move || {
                                            let edited = rule.get();
                                            let mut set: Vec<Rule> = all.get_value().into_iter().filter(|r| r.id.is_none() || r.id != edited.id).collect();
                                            set.push(edited);
                                            let sample = Sample {
                                                amount: Decimal::from_str(sample_amount.get().trim()).unwrap_or_default(),
                                                plant: sample_plant.get(),
                                                department: sample_dept.get(),
                                                purpose: sample_purpose.get(),
                                                category: String::new(),
                                            };
                                            let rows = model::preview(&set, &sample);
                                            if !rows.iter().any(|r| r.2 == Ok(true)) {
                                                return view! { <li>{t!(i18n, rules.no_route)}</li> }.into_any();
                                            }
                                            rows.into_iter().map(|(stage, name, applies)| view! {
                                                <li class=if applies == Ok(true) { "font-medium text-green-900" } else { "text-slate-600" }>
                                                    {let name = name.clone(); move || format!("{stage} · {} — ", stage_label(i18n.get_locale(), &name))}
                                                    {move || match applies {
                                                        Ok(true) => t_string!(i18n, rules.applies).to_string(),
                                                        Ok(false) => t_string!(i18n, rules.skipped).to_string(),
                                                        Err(at) => t_string!(i18n, rules.unreadable, at = at + 1).to_string(),
                                                    }}
                                                </li>
                                            }).collect_view().into_any()
                                        }}
                                    </ol>
                                </section>
                            </section>
                        }
                    })}
                }.into_any()
            })}}
        </Transition>
    }
}
