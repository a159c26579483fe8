//! Inventory screens: search with type-ahead, the phone-first receive screen, a goods receipt
//! with the requester's acceptance, and UID traceability (typed or scanned with the camera). The
//! item page (stock and labels) and the item import are submodules.
use crate::error::AppError;
use crate::format::{format_date, isolate_ltr_runs, Grouping};
use crate::i18n::*;
use crate::inventory::api::{
    accept_receipt, get_receipt, receivable_orders, receive_goods, search_page, suggest_items,
    trace_uid,
};
use crate::inventory::model::receipts::{Receipt, ReceiveInput, ReceiveLine};
use crate::platform::export::ui::ExportLinks;
use crate::platform::ui::widgets::{
    tenant_grouping, use_id_param, use_user_resource, ErrorDetails, Pager, BUTTON_CLASS,
    INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

pub mod editor;
pub mod import;
pub mod item;
pub mod units;

/// A UID's state or event, in the reader's language.
pub(crate) fn uid_state(i18n: leptos_i18n::I18nContext<Locale>, s: &str) -> String {
    match s {
        "received" => t_string!(i18n, inv.u_received).to_string(),
        "accepted" => t_string!(i18n, inv.u_accepted).to_string(),
        "in_transit" => t_string!(i18n, inv.u_in_transit).to_string(),
        "transferred" => t_string!(i18n, inv.u_transferred).to_string(),
        "issued" => t_string!(i18n, inv.u_issued).to_string(),
        _ => t_string!(i18n, inv.u_adjusted).to_string(),
    }
}

/// A quantity without trailing zeros ("24", not "24.0000"), grouped as the tenant groups digits.
pub(crate) fn qty(d: Decimal, grouping: Grouping) -> String {
    crate::format::format_quantity(d, grouping)
}

#[component]
pub fn InventoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let q = move || get("q").unwrap_or_default();
    let category = move || get("category_id").and_then(|c| Uuid::parse_str(&c).ok());
    let plant = move || get("plant");
    let in_stock = move || get("in_stock").is_some_and(|v| v == "on" || v == "true");
    let page = move || {
        get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let user = use_user_resource();
    let rows = Resource::new(
        move || (q(), category(), plant(), in_stock(), page()),
        |(q, c, pl, s, p)| search_page(Some(q).filter(|q| !q.trim().is_empty()), c, pl, s, p),
    );
    let typed = RwSignal::new(String::new());
    let suggestions = Resource::new(
        move || typed.get(),
        |t| async move {
            if t.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                suggest_items(t).await
            }
        },
    );
    // a link to these results with one filter changed (None removes it); back to page 1
    let with = move |key: &'static str, value: Option<String>| {
        let mut parts = vec![format!("q={}", crate::format::url_encode(&q()))];
        let current = [
            ("category_id", category().map(|c| c.to_string())),
            ("plant", plant()),
            ("in_stock", in_stock().then(|| "on".to_string())),
        ];
        for (k, v) in current {
            let v = if k == key { value.clone() } else { v };
            if let Some(v) = v {
                parts.push(format!("{k}={}", crate::format::url_encode(&v)));
            }
        }
        format!("?{}", parts.join("&"))
    };
    let export_filters = Signal::derive(move || {
        vec![
            ("q", Some(q())),
            ("category_id", category().map(|c| c.to_string())),
            ("plant", plant()),
            ("in_stock", in_stock().then(|| "true".to_string())),
        ]
    });
    let chip = "inline-flex items-center gap-1 rounded-full border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 aria-[current=true]:border-blue-800 aria-[current=true]:bg-blue-800 aria-[current=true]:text-white";
    view! {
        <InventoryTabs />
        <div class="flex flex-wrap items-center justify-between gap-2">
            <h1 class="text-2xl font-semibold">{t!(i18n, nav.inventory)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let manage = user.await.ok().flatten().is_some_and(|u| u.can("inventory:manage"));
                    manage.then(|| view! { <A href="/inventory/items/new" attr:class=BUTTON_CLASS>{t!(i18n, itemed.new_item)}</A> })
                })}
            </Suspense>
        </div>
        <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" attr:role="search">
            <div class="min-w-[12rem] flex-1">
                <label for="inv-q" class=LABEL_CLASS>{t!(i18n, inv.search)}</label>
                <input id="inv-q" name="q" type="search" class=INPUT_CLASS value=q list="inv-suggest" autocomplete="off"
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
                <datalist id="inv-suggest">
                    <Transition>
                        {move || Suspend::new(async move {
                            suggestions.await.unwrap_or_default().into_iter().map(|s| view! {
                                <option value=s.sku.clone()>{isolate_ltr_runs(&s.name)}</option>
                            }).collect_view()
                        })}
                    </Transition>
                </datalist>
            </div>
            {move || category().map(|c| view! { <input type="hidden" name="category_id" value=c.to_string() /> })}
            {move || plant().map(|p| view! { <input type="hidden" name="plant" value=p /> })}
            <label class="flex items-center gap-2 pb-2 text-sm">
                <input type="checkbox" name="in_stock" checked=in_stock class="h-4 w-4" />
                {t!(i18n, inv.in_stock)}
            </label>
            <button type="submit" class=BUTTON_CLASS>{t!(i18n, inv.find)}</button>
        </Form>
        <div class="mt-3 flex flex-wrap gap-x-6 gap-y-2">
            <ExportLinks path="/api/v1/items" testid="export-items" filters=export_filters
                label=Signal::derive(move || t_string!(i18n, export.download_items).to_string()) />
            <ExportLinks path="/api/v1/inventory" testid="export-stock" filters=export_filters
                label=Signal::derive(move || t_string!(i18n, export.download_stock).to_string()) />
        </div>
        <Transition>
            {move || Suspend::new(async move {
                let result = match rows.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let facets = result.facets.clone();
                let has_facets = !facets.categories.is_empty() || !facets.plants.is_empty() || category().is_some() || plant().is_some();
                let facet_view = has_facets.then(|| view! {
                    <div class="mt-4 space-y-2" data-testid="facets">
                        <div class="flex flex-wrap items-center gap-2">
                            <span class="text-sm font-medium text-slate-700">{t!(i18n, inv.category)}</span>
                            <a href=with("category_id", None) class=chip aria-current=move || category().is_none().to_string()>{t!(i18n, inv.all)}</a>
                            {facets.categories.into_iter().map(|f| { let current = category().map(|c| c.to_string()) == Some(f.value.clone()); view! {
                                <a href=with("category_id", Some(f.value.clone())) class=chip aria-current=current.to_string()>{f.label.clone()}<span class="tabular-nums opacity-80">{format!("({})", f.count)}</span></a>
                            }}).collect_view()}
                        </div>
                        <div class="flex flex-wrap items-center gap-2">
                            <span class="text-sm font-medium text-slate-700">{t!(i18n, inv.plant)}</span>
                            <a href=with("plant", None) class=chip aria-current=move || plant().is_none().to_string()>{t!(i18n, inv.all)}</a>
                            {facets.plants.into_iter().map(|f| { let current = plant() == Some(f.value.clone()); view! {
                                <a href=with("plant", Some(f.value.clone())) class=chip aria-current=current.to_string() title=f.label.clone()><span dir="ltr">{f.value.clone()}</span><span class="tabular-nums opacity-80">{format!("({})", f.count)}</span></a>
                            }}).collect_view()}
                            <a href=with("in_stock", (!in_stock()).then(|| "on".to_string())) class=chip aria-current=in_stock().to_string()>{t!(i18n, inv.in_stock)}<span class="tabular-nums opacity-80">{format!("({})", facets.in_stock)}</span></a>
                        </div>
                    </div>
                });
                if result.rows.is_empty() {
                    return view! { {facet_view}<p class="mt-6 text-slate-700">{t!(i18n, inv.none)}</p> }.into_any();
                }
                let pages = result.total.div_ceil(result.per_page as u64).max(1);
                let current = result.page;
                let total = result.total;
                let more = result.more;
                let link = move |p: u32| format!("{}&page={p}", with("", None));
                view! {
                    {facet_view}
                    <p class="mt-4 text-sm text-slate-700">{move || if more { t_string!(i18n, inv.found_more, count = total).to_string() } else { t_string!(i18n, inv.found, count = total).to_string() }}</p>
                    <ul class="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="results">
                        {result.rows.into_iter().map(|r| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 p-3">
                                <div class="min-w-0">
                                    <A href=format!("/inventory/items/{}", r.id) attr:class="font-medium text-blue-900 underline-offset-2 hover:underline">{isolate_ltr_runs(&r.name)}</A>
                                    <p class="text-sm text-slate-700"><span dir="ltr">{r.sku.clone()}</span>{r.category.clone().map(|c| format!(" · {c}"))}</p>
                                    <p class="text-xs text-slate-700" data-testid="plant-stock">
                                        {r.stock.iter().map(|s| { let (plant, available, on_hand) = (s.plant.clone(), qty(s.available, g), qty(s.on_hand, g)); view! { <span class="me-3 inline-block">{move || t_string!(i18n, inv.plant_stock, plant = plant.clone(), available = available.clone(), on_hand = on_hand.clone()).to_string()}</span> } }).collect_view()}
                                    </p>
                                </div>
                                <dl class="flex gap-4 text-sm">
                                    <div><dt class="text-slate-700">{t!(i18n, inv.on_hand)}</dt><dd class="text-end tabular-nums" dir="ltr">{format!("{} {}", qty(r.on_hand, g), r.unit)}</dd></div>
                                    <div><dt class="text-slate-700">{t!(i18n, inv.available)}</dt><dd class="text-end font-semibold tabular-nums" dir="ltr">{qty(r.available, g)}</dd></div>
                                </dl>
                            </li>
                        }).collect_view()}
                    </ul>
                    <Pager current=current pages=pages
                        prev=(current > 1).then(|| link(current - 1))
                        next=((current as u64) < pages || more).then(|| link(current + 1)) />
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
pub(crate) fn InventoryTabs() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let tab = "rounded-md px-3 py-1.5 text-sm font-medium text-blue-900 hover:bg-blue-50 aria-[current=page]:bg-blue-800 aria-[current=page]:text-white";
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let u = user.await.ok().flatten();
                let receive = u.as_ref().is_some_and(|u| u.can("goods:receive"));
                let import = u.as_ref().is_some_and(|u| u.can("inventory:manage"));
                let storage = u.as_ref().is_some_and(|u| u.can("storage:manage"));
                view! {
                    <nav class="mb-4 flex flex-wrap gap-2 border-b border-slate-200 pb-2" aria-label=move || t_string!(i18n, nav.inventory).to_string()>
                        <A href="/inventory" exact=true attr:class=tab>{t!(i18n, inv.title)}</A>
                        {receive.then(|| view! { <A href="/inventory/receive" exact=true attr:class=tab>{t!(i18n, inv.receive)}</A> })}
                        <A href="/inventory/uids" attr:class=tab>{t!(i18n, inv.trace)}</A>
                        {import.then(|| view! { <A href="/inventory/import" attr:class=tab>{t!(i18n, imp.title)}</A> })}
                        {import.then(|| view! { <A href="/inventory/categories" attr:class=tab>{t!(i18n, places.categories)}</A> })}
                        {storage.then(|| view! { <A href="/inventory/locations" exact=true attr:class=tab>{t!(i18n, places.locations)}</A> })}
                        {import.then(|| view! { <A href="/inventory/units" attr:class=tab>{t!(i18n, units.nav)}</A> })}
                    </nav>
                }
            })}
        </Suspense>
    }
}

/// Phone-first goods receipt: pick the PO, confirm each line's accepted and rejected quantities
/// and where it goes.
#[component]
pub fn ReceivePage() -> impl IntoView {
    let i18n = use_i18n();
    let save = Action::new(|input: &ReceiveInput| {
        let input = input.clone();
        async move { receive_goods(input).await }
    });
    // after a receipt (not after a refused attempt, which keeps what was typed) the open
    // quantities have changed: read them again and start over
    let received = RwSignal::new(0u32);
    let orders = Resource::new(move || received.get(), |_| receivable_orders());
    let chosen = RwSignal::new(None::<Uuid>);
    let user = use_user_resource();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            chosen.set(None);
            received.update(|n| *n += 1);
        }
    });
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, inv.receive)}</h1>
        {move || save.value().get().map(|r| match r {
            // after an action, in the browser: the signed-in user is known by then
            Ok(receipt) => view! { <ReceiptView receipt=receipt grouping=user.get().map(|u| tenant_grouping(&u)).unwrap_or(Grouping::Western) /> }.into_any(),
            Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
        })}
        <Transition>
            {move || Suspend::new(async move {
                let list = match orders.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                if list.is_empty() {
                    return view! { <p class="mt-4 text-slate-700">{t!(i18n, inv.nothing_to_receive)}</p> }.into_any();
                }
                let all = StoredValue::new(list.clone());
                view! {
                    <div class="mt-4">
                        <label for="rcv-po" class=LABEL_CLASS>{t!(i18n, inv.order)}</label>
                        <select id="rcv-po" class=INPUT_CLASS on:change=move |ev| chosen.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                            <option value="">{t!(i18n, req.choose)}</option>
                            {list.into_iter().map(|o| view! { <option value=o.id.to_string()>{format!("{} — {}", o.number, o.supplier)}</option> }).collect_view()}
                        </select>
                    </div>
                    {move || chosen.get().and_then(|id| all.get_value().into_iter().find(|o| o.id == id)).map(|o| {
                        let default_loc = o.locations.first().map(|l| l.0.to_string()).unwrap_or_default();
                        let rows: Vec<_> = o.lines.iter().map(|l| {
                            let remaining = (l.quantity - l.received_quantity).max(Decimal::ZERO);
                            (l.clone(), RwSignal::new(remaining.normalize().to_string()), RwSignal::new(String::from("0")), RwSignal::new(String::new()), RwSignal::new(default_loc.clone()))
                        }).collect();
                        let rows = StoredValue::new(rows);
                        let locations = StoredValue::new(o.locations.clone());
                        let po = o.id;
                        let submit = move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let lines = rows.get_value().iter().map(|(l, acc, rej, reason, loc)| ReceiveLine {
                                purchase_order_line_id: l.id,
                                accepted_quantity: Decimal::from_str(acc.get_untracked().trim()).unwrap_or(Decimal::NEGATIVE_ONE),
                                rejected_quantity: Decimal::from_str(rej.get_untracked().trim()).ok(),
                                rejection_reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
                                location_id: Uuid::parse_str(&loc.get_untracked()).ok(),
                            }).filter(|l| l.accepted_quantity != Decimal::ZERO || l.rejected_quantity.unwrap_or_default() != Decimal::ZERO).collect();
                            save.dispatch(ReceiveInput { purchase_order_id: po, lines });
                        };
                        view! {
                            <form on:submit=submit novalidate class="mt-4 space-y-3" data-testid="receive-form">
                                {rows.get_value().into_iter().enumerate().map(|(i, (l, acc, rej, reason, loc))| {
                                    let err = move |f: &'static str| move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field_error(&format!("lines[{i}].{f}"))).map(|fe| view! { <p class="mt-1 text-sm text-red-700">{fe.message(i18n.get_locale())}</p> });
                                    let ordered = format!("{} {}", qty(l.quantity, g), l.unit);
                                    let received = qty(l.received_quantity, g);
                                    view! {
                                        <fieldset class="rounded-lg border border-slate-200 bg-white p-3" data-testid="receive-line">
                                            <legend class="px-1 font-medium">{isolate_ltr_runs(&l.description)}{l.sku.clone().map(|s| format!(" · {s}"))}</legend>
                                            <p class="text-sm text-slate-700">{move || t_string!(i18n, inv.ordered_received, ordered = ordered.clone(), received = received.clone()).to_string()}</p>
                                            <div class="mt-2 grid grid-cols-2 gap-3">
                                                <div><label for=format!("acc-{i}") class=LABEL_CLASS>{t!(i18n, inv.accepted)}</label>
                                                    <input id=format!("acc-{i}") inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || acc.get() on:input=move |ev| acc.set(event_target_value(&ev)) />{err("accepted_quantity")}</div>
                                                <div><label for=format!("rej-{i}") class=LABEL_CLASS>{t!(i18n, inv.rejected)}</label>
                                                    <input id=format!("rej-{i}") inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || rej.get() on:input=move |ev| rej.set(event_target_value(&ev)) />{err("rejected_quantity")}</div>
                                                <div class="col-span-2"><label for=format!("reason-{i}") class=LABEL_CLASS>{t!(i18n, inv.reason)}</label>
                                                    <input id=format!("reason-{i}") class=INPUT_CLASS prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />{err("rejection_reason")}</div>
                                                {l.sku.is_some().then(|| view! {
                                                    <div class="col-span-2"><label for=format!("loc-{i}") class=LABEL_CLASS>{t!(i18n, inv.location)}</label>
                                                        <select id=format!("loc-{i}") class=INPUT_CLASS on:change=move |ev| loc.set(event_target_value(&ev))>
                                                            {locations.get_value().into_iter().map(|(id, code)| { let v = id.to_string(); let sel = v == loc.get_untracked(); view! { <option value=v selected=sel>{code}</option> } }).collect_view()}
                                                        </select>{err("location_id")}</div>
                                                })}
                                            </div>
                                        </fieldset>
                                    }
                                }).collect_view()}
                                <button type="submit" class=format!("{BUTTON_CLASS} w-full sm:w-auto") disabled=move || save.pending().get()>{t!(i18n, inv.confirm_receipt)}</button>
                            </form>
                        }
                    })}
                }.into_any()
            })}
        </Transition>
    }
}

/// A receipt: lines, UIDs (linked to their traceability), and who accepted.
#[component]
fn ReceiptView(receipt: Receipt, grouping: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    let status = receipt.status.clone();
    view! {
        <section class="mt-4 rounded-lg border border-green-300 bg-green-50 p-4" data-testid="receipt">
            <h2 class="text-lg font-semibold">{format!("{} · {}", receipt.number, receipt.purchase_order)}</h2>
            <p class="text-sm">{move || if status == "accepted" { t_string!(i18n, inv.s_accepted).to_string() } else { t_string!(i18n, inv.s_pending).to_string() }}</p>
            <A href=format!("/inventory/labels?receipt={}", receipt.id) attr:class="text-sm text-blue-900 underline">{t!(i18n, inv.print_labels)}</A>
            <ul class="mt-2 space-y-2">
                {receipt.lines.into_iter().map(|l| view! {
                    <li class="rounded border border-slate-200 bg-white p-2 text-sm">
                        <p class="font-medium">{isolate_ltr_runs(&l.description)}</p>
                        <p dir="ltr" class="text-start">{format!("✓ {} {}", qty(l.accepted_quantity, grouping), l.unit)}{l.stock_quantity.zip(l.stock_unit.clone()).map(|(q, u)| format!(" ({} {u})", qty(q, grouping)))}{format!("  ✗ {}", qty(l.rejected_quantity, grouping))}{l.location.clone().map(|c| format!(" → {c}"))}</p>
                        <ul class="mt-1 flex flex-wrap gap-2">
                            {l.uids.into_iter().map(|u| view! { <li><A href=format!("/inventory/uids/{u}") attr:class="font-mono text-xs text-blue-900 underline" attr:dir="ltr">{u.clone()}</A></li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// `/inventory/receipts/{id}`: where the requester's notification leads; they accept here.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let accept = Action::new(|id: &Uuid| {
        let id = *id;
        async move { accept_receipt(id).await }
    });
    let user = use_user_resource();
    let receipt = Resource::new(
        move || (id(), accept.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_receipt(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, inv.receipt)}</h1>
        {move || accept.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorDetails error=e /> })}
        <Transition>
            {move || Suspend::new(async move {
                let r = match receipt.await {
                    Ok(r) => r,
                    Err(_) => return view! { <crate::platform::ui::pages::NotFound /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                let pending = r.status == "pending_acceptance";
                let rid = r.id;
                let when = r.received_at.date_naive();
                let by = r.received_by.clone();
                view! {
                    <p class="mt-1 text-sm text-slate-700">{move || t_string!(i18n, inv.received_by, name = by.clone(), date = format_date(when, i18n.get_locale())).to_string()}</p>
                    <ReceiptView receipt=r grouping=g />
                    {pending.then(|| view! {
                        <button type="button" class=format!("{BUTTON_CLASS} mt-4") on:click=move |_| { accept.dispatch(rid); }>{t!(i18n, inv.accept)}</button>
                    })}
                }.into_any()
            })}
        </Transition>
    }
}

/// `/inventory/uids` and `/inventory/uids/{uid}`: type or scan a UID, see where it came from and
/// everything that happened to it.
#[component]
pub fn UidPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let uid = move || {
        params
            .read()
            .get("uid")
            .or_else(|| query.read().get("uid"))
            .map(|u| u.trim().to_string())
            .unwrap_or_default()
    };
    let user = use_user_resource();
    let trace = Resource::new(uid, |u| async move {
        if u.is_empty() {
            Ok(None)
        } else {
            trace_uid(u).await.map(Some)
        }
    });
    view! {
        <InventoryTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, inv.trace)}</h1>
        <form method="GET" action="/inventory/uids" class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" id="uid-form">
            <div class="min-w-[14rem] flex-1">
                <label for="uid" class=LABEL_CLASS>{t!(i18n, inv.uid)}</label>
                <input id="uid" name="uid" dir="ltr" autocapitalize="characters" autocomplete="off" class=format!("{INPUT_CLASS} font-mono") value=uid placeholder="UID-…" />
            </div>
            <button type="button" data-scan="uid" class="hidden rounded-md border border-slate-400 px-4 py-2 font-semibold hover:bg-slate-100">{t!(i18n, inv.scan)}</button>
            <button type="submit" class=BUTTON_CLASS>{t!(i18n, inv.find)}</button>
        </form>
        <video id="scan-video" class="mt-3 hidden w-full max-w-sm rounded" playsinline muted></video>
        <Transition>
            {move || Suspend::new(async move {
                match trace.await {
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
                    Ok(Some(t)) => {
                        let g = tenant_grouping(&user.await);
                        let events = t.events.clone();
                        view! {
                            <dl class="mt-4 grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3" data-testid="trace">
                                <div class="col-span-2 sm:col-span-3"><dt class="text-sm text-slate-700">{t!(i18n, inv.uid)}</dt><dd class="font-mono text-sm"><span class="whitespace-nowrap" dir="ltr" data-testid="trace-uid">{t.uid.clone()}</span></dd></div>
                                <div><dt class="text-sm text-slate-700">{t!(i18n, inv.item)}</dt><dd><A href=format!("/inventory/items/{}", t.item_id) attr:class="underline">{isolate_ltr_runs(&t.item)}</A><div class="text-xs"><span class="whitespace-nowrap font-mono" dir="ltr" data-testid="trace-sku">{t.sku.clone()}</span></div></dd></div>
                                <div><dt class="text-sm text-slate-700">{t!(i18n, inv.status)}</dt><dd data-testid="uid-status">{let st = t.status.clone(); move || uid_state(i18n, &st)}</dd></div>
                                <div><dt class="text-sm text-slate-700">{t!(i18n, inv.location)}</dt><dd><span class="whitespace-nowrap text-sm" dir="ltr" data-testid="trace-location">{t.location.clone().unwrap_or_default()}</span></dd></div>
                                <div><dt class="text-sm text-slate-700">{t!(i18n, po.supplier)}</dt><dd>{t.supplier.as_deref().map(isolate_ltr_runs)}</dd></div>
                                <div><dt class="text-sm text-slate-700">{t!(i18n, inv.receipt)}</dt><dd>{t.receipt_id.map(|id| view! { <A href=format!("/inventory/receipts/{id}") attr:class="underline">{t.receipt.clone().unwrap_or_default()}</A> })}</dd></div>
                                <div><dt class="text-sm text-slate-700">{t!(i18n, inv.order)}</dt><dd>{t.purchase_order_id.map(|id| view! { <A href=format!("/procurement/orders/{id}") attr:class="underline">{t.purchase_order.clone().unwrap_or_default()}</A> })}</dd></div>
                                <div><dt class="text-sm text-slate-700">{t!(i18n, nav.requisitions)}</dt><dd>{t.requisition_id.map(|id| view! { <A href=format!("/procurement/requisitions/{id}") attr:class="underline">{t.requisition.clone().unwrap_or_default()}</A> })}</dd></div>
                            </dl>
                            <A href=format!("/inventory/labels?uid={}", t.uid) attr:class="mt-2 inline-block text-sm text-blue-900 underline">{t!(i18n, inv.print_label)}</A>
                            {(t.kind == "lot").then(|| { let places = t.places.clone(); view! {
                                <h2 class="mt-4 font-semibold">{t!(i18n, inv.lot_left)}</h2>
                                {if places.is_empty() {
                                    view! { <p class="mt-1 text-sm text-slate-700" data-testid="lot-gone">{t!(i18n, inv.lot_gone)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="mt-1 text-sm" data-testid="lot-places">
                                            {places.into_iter().map(|p| view! {
                                                <li><span dir="ltr">{p.location}</span>" · "<span class="tabular-nums" dir="ltr">{qty(p.quantity, g)}</span></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }})}
                            <h2 class="mt-4 font-semibold">{t!(i18n, req.history)}</h2>
                            <ol class="mt-2 space-y-1 text-sm">
                                {events.into_iter().map(|e| { let day = e.at.date_naive(); view! {
                                    <li>{let (ev, loc, user) = (e.event.clone(), e.location.clone(), e.user.clone()); let amount = e.quantity.map(|q| qty(q, g)); move || {
                                        // one text node (several dynamic texts side by side hydrate badly)
                                        let mut line = format!("{} · {}", format_date(day, i18n.get_locale()), uid_state(i18n, &ev));
                                        for part in [&amount, &loc, &user].into_iter().flatten() { line.push_str(" · "); line.push_str(part); }
                                        isolate_ltr_runs(&line)
                                    }}</li>
                                }}).collect_view()}
                            </ol>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
