//! Inventory screens beyond search and receiving: the item page (stock by location, movements,
//! UIDs, open POs) with the issue / move / transfer / adjust form and reversals, and printable UID
//! labels with QR codes.
use crate::error::AppError;
use crate::format::{format_date, format_money, isolate_ltr_runs};
use crate::i18n::*;
use crate::inventory::api::{
    load_item_detail, load_stock_options, run_stock_action, save_material_type, uid_labels,
    StockAction,
};
use crate::inventory::model::material::MaterialType;
use crate::inventory::model::stock::{
    AdjustInput, IssueInput, ItemDetail, MoveInput, ReverseInput, StockOptions, TransferInput,
};
use crate::inventory::ui::{qty, uid_state, InventoryTabs};
use crate::platform::ui::widgets::{
    print_page, tenant_grouping, use_id_param, use_user_resource, ErrorDetails, BUTTON_CLASS,
    INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-4";
const TH: &str = "px-3 py-2 text-start font-medium";
const TD: &str = "px-3 py-2";

/// A ledger movement's kind in the reader's language.
fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, k: &str) -> String {
    match k {
        "receipt" => t_string!(i18n, inv.k_receipt).to_string(),
        "acceptance" => t_string!(i18n, inv.k_acceptance).to_string(),
        "issue" => t_string!(i18n, inv.k_issue).to_string(),
        "transfer_out" => t_string!(i18n, inv.k_transfer_out).to_string(),
        "transfer_in" => t_string!(i18n, inv.k_transfer_in).to_string(),
        "move_out" => t_string!(i18n, inv.k_move_out).to_string(),
        "move_in" => t_string!(i18n, inv.k_move_in).to_string(),
        "adjustment" => t_string!(i18n, inv.k_adjustment).to_string(),
        _ => t_string!(i18n, inv.k_reversal).to_string(),
    }
}

/// `/inventory/items/{id}`.
#[component]
pub fn ItemPage() -> impl IntoView {
    let id = use_id_param();
    let act = Action::new(|a: &StockAction| {
        let a = a.clone();
        async move { run_stock_action(a).await }
    });
    // read again after a posting that went through (a refused one keeps the form as typed)
    let posted = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            posted.update(|n| *n += 1);
        }
    });
    let detail = Resource::new(
        move || (id(), posted.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_item_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let options = Resource::new(|| (), |_| load_stock_options());
    let user = use_user_resource();
    view! {
        <InventoryTabs />
        <Transition>
            {move || Suspend::new(async move {
                let d = match detail.await {
                    Ok(d) => d,
                    Err(_) => return view! { <crate::platform::ui::pages::NotFound /> }.into_any(),
                };
                let u = user.await;
                let manage = u.as_ref().ok().and_then(|u| u.as_ref()).is_some_and(|u| u.can("inventory:manage"));
                let grouping = tenant_grouping(&u);
                let currency = u.ok().flatten().map(|u| u.tenant.currency.to_string()).unwrap_or_default();
                let opts = options.await.unwrap_or_default();
                view! { <ItemView detail=d act=act options=opts currency=currency grouping=grouping manage=manage /> }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn ItemView(
    detail: ItemDetail,
    act: Action<StockAction, Result<(), AppError>>,
    options: StockOptions,
    currency: String,
    grouping: crate::format::Grouping,
    /// Whether the reader keeps the item master (inventory:manage): the material type is editable.
    manage: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let item = detail.item.clone();
    let item_id = item.id;
    let unit = item.unit.clone();
    let cost = format_money(detail.average_cost, &currency, grouping);
    let reversing = RwSignal::new(None::<Uuid>);
    let reason = RwSignal::new(String::new());
    let has_uids = !detail.uids.is_empty();
    view! {
        <div class="flex flex-wrap items-center justify-between gap-2">
            <h1 class="text-2xl font-semibold">{isolate_ltr_runs(&item.name)}</h1>
            {manage.then(|| view! { <A href=format!("/inventory/items/{item_id}/edit") attr:class="text-blue-900 underline" attr:data-testid="edit-item">{t!(i18n, itemed.edit)}</A> })}
        </div>
        <p class="mt-1 text-slate-700"><span dir="ltr">{item.sku.clone()}</span>{item.category.clone().map(|c| format!(" · {c}"))}</p>
        {item.description.as_deref().map(|d| view! { <p class="mt-2 max-w-prose text-sm">{isolate_ltr_runs(d)}</p> })}
        <dl class="mt-4 grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4" data-testid="item-facts">
            <div><dt class="text-sm text-slate-700">{t!(i18n, inv.unit)}</dt><dd>{unit.clone()}</dd></div>
            <div><dt class="text-sm text-slate-700">{t!(i18n, inv.reorder_level)}</dt><dd><span dir="ltr" class="tabular-nums">{qty(item.reorder_level, grouping)}</span></dd></div>
            <div><dt class="text-sm text-slate-700">{t!(i18n, inv.reorder_quantity)}</dt><dd><span dir="ltr" class="tabular-nums">{qty(item.reorder_quantity, grouping)}</span></dd></div>
            <div><dt class="text-sm text-slate-700">{t!(i18n, inv.average_cost)}</dt><dd><span dir="ltr" class="tabular-nums">{cost}</span></dd></div>
            <div><dt class="text-sm text-slate-700">{t!(i18n, inv.tracking)}</dt><dd>{move || if item.serialised { t_string!(i18n, inv.serialised).to_string() } else { t_string!(i18n, inv.lot).to_string() }}</dd></div>
            {item.hsn_sac.clone().map(|h| view! { <div><dt class="text-sm text-slate-700">{t!(i18n, itemed.hsn)}</dt><dd dir="ltr">{h}</dd></div> })}
            {item.gst_rate.map(|g| view! { <div><dt class="text-sm text-slate-700">{t!(i18n, itemed.gst)}</dt><dd><span dir="ltr" class="tabular-nums">{format!("{g} %")}</span></dd></div> })}
            <MaterialTypeFact item_id=item_id material=item.material_type manage=manage />
            {item.specs.clone().into_iter().map(|(k, v)| view! { <div><dt class="text-sm text-slate-700">{isolate_ltr_runs(&k)}</dt><dd>{isolate_ltr_runs(&v)}</dd></div> }).collect_view()}
        </dl>

        <section class=SECTION aria-labelledby="stock-h">
            <h2 id="stock-h" class="font-semibold">{t!(i18n, inv.stock_by_location)}</h2>
            {if detail.stock.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-700">{t!(i18n, inv.no_stock)}</p> }.into_any()
            } else {
                view! {
                    <div class="mt-2 overflow-x-auto">
                        <table class="min-w-full text-sm" data-testid="stock-table">
                            <thead class="bg-slate-50"><tr>
                                <th class=TH>{t!(i18n, inv.plant)}</th><th class=TH>{t!(i18n, inv.location)}</th>
                                <th class=TH>{t!(i18n, inv.on_hand)}</th><th class=TH>{t!(i18n, inv.available)}</th><th class=TH>{t!(i18n, inv.utilisation)}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-200">
                                {detail.stock.clone().into_iter().map(|s| view! {
                                    <tr>
                                        <td class=TD><span dir="ltr">{s.plant.clone()}</span></td>
                                        <td class=TD><span dir="ltr" class="whitespace-nowrap font-mono">{s.location.clone()}</span></td>
                                        <td class=format!("{TD} tabular-nums")><span dir="ltr">{qty(s.on_hand, grouping)}</span></td>
                                        <td class=format!("{TD} font-semibold tabular-nums")><span dir="ltr">{qty(s.available, grouping)}</span></td>
                                        <td class=format!("{TD} tabular-nums")><span dir="ltr">{s.utilisation.map(|u| format!("{u} %")).unwrap_or_else(|| "—".into())}</span></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>

        {detail.can_update.then(|| view! { <StockForm item=item_id item_unit=unit.clone() stock=detail.stock.clone() options=options.clone() act=act grouping=grouping /> })}

        <section class=SECTION aria-labelledby="orders-h">
            <h2 id="orders-h" class="font-semibold">{t!(i18n, inv.open_orders)}</h2>
            {if detail.open_orders.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-700">{t!(i18n, inv.no_open_orders)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-slate-200 text-sm" data-testid="open-orders">
                        {detail.open_orders.clone().into_iter().map(|o| { let when = o.expected_delivery; view! {
                            <li class="flex flex-wrap justify-between gap-2 py-2">
                                <A href=format!("/procurement/orders/{}", o.purchase_order_id) attr:class="text-blue-900 underline">{o.number.clone()}</A>
                                <span>{isolate_ltr_runs(&o.supplier)}</span>
                                <span dir="ltr" class="tabular-nums">{format!("{} / {} {}", qty(o.received, grouping), qty(o.ordered, grouping), unit)}</span>
                                <span>{move || when.map(|d| format_date(d, i18n.get_locale())).unwrap_or_default()}</span>
                            </li>
                        }}).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section class=SECTION aria-labelledby="uids-h">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="uids-h" class="font-semibold">{t!(i18n, inv.uids)}</h2>
                {has_uids.then(|| view! { <A href=format!("/inventory/labels?item={item_id}") attr:class="text-sm text-blue-900 underline">{t!(i18n, inv.print_labels)}</A> })}
            </div>
            {if detail.uids.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-700">{t!(i18n, inv.no_uids)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 grid gap-1 text-sm sm:grid-cols-2" data-testid="item-uids">
                        {detail.uids.clone().into_iter().map(|u| { let st = u.status.clone(); view! {
                            <li><A href=format!("/inventory/uids/{}", u.uid) attr:class="font-mono text-xs text-blue-900 underline" attr:dir="ltr">{u.uid.clone()}</A>
                                {let loc = u.location.clone(); move || isolate_ltr_runs(&format!(" · {}{}", uid_state(i18n, &st), loc.as_ref().map(|l| format!(" · {l}")).unwrap_or_default()))}</li>
                        }}).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section class=SECTION aria-labelledby="moves-h">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="moves-h" class="font-semibold">{t!(i18n, inv.movements)}</h2>
                {(!detail.movements.is_empty()).then(|| view! {
                    <crate::platform::export::ui::ExportLinks path="/api/v1/inventory/movements" testid="export-movements"
                        filters=Signal::derive(move || vec![("item_id", Some(item_id.to_string()))])
                        label=Signal::derive(move || t_string!(i18n, export.download_movements).to_string()) />
                })}
            </div>
            {if detail.movements.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-700">{t!(i18n, inv.no_movements)}</p> }.into_any()
            } else {
                let can = detail.can_update;
                view! {
                    <div class="mt-2 overflow-x-auto">
                        <table class="min-w-full text-sm" data-testid="movements">
                            <thead class="bg-slate-50"><tr>
                                <th class=TH>{t!(i18n, inv.date)}</th><th class=TH>{t!(i18n, inv.kind)}</th><th class=TH>{t!(i18n, inv.location)}</th>
                                <th class=TH>{t!(i18n, inv.quantity)}</th><th class=TH>{t!(i18n, inv.reason_or_by)}</th><th class=TH></th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-200">
                                {detail.movements.clone().into_iter().map(|m| {
                                    let day = m.at.date_naive();
                                    let k = m.kind.clone();
                                    let mid = m.id;
                                    let reversible = can && matches!(m.kind.as_str(), "issue" | "adjustment");
                                    view! {
                                        <tr>
                                            <td class=TD>{move || format_date(day, i18n.get_locale())}</td>
                                            <td class=TD>{move || kind_label(i18n, &k)}</td>
                                            <td class=TD><span dir="ltr" class="whitespace-nowrap font-mono">{m.location.clone()}</span></td>
                                            <td class=format!("{TD} tabular-nums")><span dir="ltr">{if m.quantity > Decimal::ZERO { format!("+{}", qty(m.quantity, grouping)) } else { qty(m.quantity, grouping) }}</span></td>
                                            <td class=TD>{isolate_ltr_runs(m.reason.as_deref().or(m.user.as_deref()).unwrap_or_default())}</td>
                                            <td class=TD>{reversible.then(|| view! {
                                                <button type="button" class="text-blue-900 underline" on:click=move |_| reversing.set(Some(mid))>{t!(i18n, inv.reverse)}</button>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {move || reversing.get().map(|mid| view! {
                        <form class="mt-3 flex flex-wrap items-end gap-3" data-testid="reverse-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            act.dispatch(StockAction::Reverse(mid, ReverseInput { reason: reason.get_untracked() }));
                            reversing.set(None);
                            reason.set(String::new());
                        }>
                            <div class="min-w-[14rem] flex-1">
                                <label for="rev-reason" class=LABEL_CLASS>{t!(i18n, inv.reverse_reason)}</label>
                                <input id="rev-reason" class=INPUT_CLASS prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                            </div>
                            <button type="submit" class=BUTTON_CLASS>{t!(i18n, inv.reverse)}</button>
                        </form>
                    })}
                }.into_any()
            }}
        </section>
    }
}

/// Issue to a cost centre, move within the plant, transfer to another plant, or adjust a count.
#[component]
fn StockForm(
    item: Uuid,
    /// The unit the item is kept in: an issue's quantity is in it unless another is named.
    item_unit: String,
    stock: Vec<crate::inventory::model::stock::StockAt>,
    options: StockOptions,
    act: Action<StockAction, Result<(), AppError>>,
    grouping: crate::format::Grouping,
) -> impl IntoView {
    let i18n = use_i18n();
    let op = RwSignal::new(String::from("issue"));
    // the first location holding the item (or, with none, the first location at all)
    let first_stock = stock.first().map(|s| s.location_id.to_string());
    let first_any = options.locations.first().map(|l| l.0.to_string());
    let from = RwSignal::new(
        first_stock
            .clone()
            .or(first_any.clone())
            .unwrap_or_default(),
    );
    let to = RwSignal::new(String::new());
    let cc = RwSignal::new(
        options
            .cost_centres
            .first()
            .map(|c| c.0.to_string())
            .unwrap_or_default(),
    );
    let quantity = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let units = RwSignal::new(String::new());
    // the unit an issue is counted in (a box of 12 issued as 1 BOX): the item's when empty
    let issue_unit = RwSignal::new(String::new());
    let stock = StoredValue::new(stock);
    let options = StoredValue::new(options);
    let amount = move || Decimal::from_str(quantity.get().trim()).unwrap_or(Decimal::ZERO);
    // every movement may name its units but an adjustment that adds stock (found units come in
    // through a receipt): the one rule for the units field and the request
    let names_units = Memo::new(move |_| op.get() != "adjust" || amount() < Decimal::ZERO);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = |s: RwSignal<String>| Uuid::parse_str(&s.get_untracked()).unwrap_or(Uuid::nil());
        let q = untrack(amount);
        let uids: Vec<String> = if names_units.get_untracked() {
            units
                .get_untracked()
                .split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .collect()
        } else {
            Vec::new()
        };
        let action = match op.get_untracked().as_str() {
            "move" => StockAction::Move(
                item,
                MoveInput {
                    from_location_id: id(from),
                    to_location_id: id(to),
                    quantity: q,
                    uids,
                },
            ),
            "transfer" => StockAction::Transfer(TransferInput {
                item_id: item,
                from_location_id: id(from),
                to_location_id: id(to),
                quantity: q,
                uids,
            }),
            "adjust" => StockAction::Adjust(AdjustInput {
                item_id: item,
                location_id: id(from),
                quantity: q,
                reason: reason.get_untracked(),
                uids,
            }),
            _ => StockAction::Issue(IssueInput {
                item_id: item,
                location_id: id(from),
                quantity: q,
                cost_centre_id: id(cc),
                uids,
                unit: Some(issue_unit.get_untracked().trim().to_string()).filter(|u| !u.is_empty()),
            }),
        };
        act.dispatch(action);
    };
    let field_err = move |f: &'static str| {
        move || {
            act.value()
                .get()
                .and_then(|r| r.err())
                .and_then(|e| e.field_error(f))
                .map(|fe| view! { <p class="mt-1 text-sm text-red-700">{fe.message(i18n.get_locale())}</p> })
        }
    };
    view! {
        <section class=SECTION aria-labelledby="move-h">
            <h2 id="move-h" class="font-semibold">{t!(i18n, inv.stock_action)}</h2>
            {move || (!act.pending().get()).then(|| act.value().get().map(|r| match r {
                Ok(()) => view! { <p class="mt-2 rounded bg-green-50 p-2 text-sm text-green-900" role="status">{t!(i18n, inv.stock_done)}</p> }.into_any(),
                Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
            }))}
            <form class="mt-3 grid gap-3 sm:grid-cols-2" on:submit=submit novalidate data-testid="stock-form">
                <div class="sm:col-span-2">
                    <label for="op" class=LABEL_CLASS>{t!(i18n, inv.operation)}</label>
                    <select id="op" class=INPUT_CLASS on:change=move |ev| {
                        let v = event_target_value(&ev);
                        // the "from" list changes with the operation: keep a choice that is in it
                        let listed = if v == "adjust" {
                            options.get_value().locations.iter().any(|l| l.0.to_string() == from.get_untracked())
                        } else {
                            stock.get_value().iter().any(|s| s.location_id.to_string() == from.get_untracked())
                        };
                        if !listed {
                            let first = if v == "adjust" { first_any.clone() } else { first_stock.clone() };
                            from.set(first.unwrap_or_default());
                        }
                        op.set(v);
                    }>
                        <option value="issue">{t!(i18n, inv.op_issue)}</option>
                        <option value="move">{t!(i18n, inv.op_move)}</option>
                        <option value="transfer">{t!(i18n, inv.op_transfer)}</option>
                        <option value="adjust">{t!(i18n, inv.op_adjust)}</option>
                    </select>
                </div>
                <div>
                    <label for="from" class=LABEL_CLASS>{move || if op.get() == "adjust" { t_string!(i18n, inv.location).to_string() } else { t_string!(i18n, inv.from).to_string() }}</label>
                    <select id="from" class=INPUT_CLASS on:change=move |ev| from.set(event_target_value(&ev))>
                        {move || if op.get() == "adjust" {
                            options.get_value().locations.into_iter().map(|(id, code, _)| { let v = id.to_string(); let sel = v == from.get_untracked(); view! { <option value=v selected=sel>{code}</option> } }).collect_view().into_any()
                        } else {
                            stock.get_value().into_iter().map(|s| { let v = s.location_id.to_string(); let sel = v == from.get_untracked(); view! { <option value=v selected=sel>{format!("{} ({})", s.location, qty(s.available, grouping))}</option> } }).collect_view().into_any()
                        }}
                    </select>
                    {field_err("location_id")}{field_err("from_location_id")}
                </div>
                {move || matches!(op.get().as_str(), "move" | "transfer").then(|| view! {
                    <div>
                        <label for="to" class=LABEL_CLASS>{t!(i18n, inv.to)}</label>
                        <select id="to" class=INPUT_CLASS on:change=move |ev| to.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, req.choose)}</option>
                            {options.get_value().locations.into_iter().map(|(id, code, plant)| view! { <option value=id.to_string()>{format!("{code} · {plant}")}</option> }).collect_view()}
                        </select>
                        {field_err("to_location_id")}
                    </div>
                })}
                {move || (op.get() == "issue").then(|| view! {
                    <div>
                        <label for="cc" class=LABEL_CLASS>{t!(i18n, inv.cost_centre)}</label>
                        <select id="cc" class=INPUT_CLASS on:change=move |ev| cc.set(event_target_value(&ev))>
                            {options.get_value().cost_centres.into_iter().map(|(id, code, name)| view! { <option value=id.to_string()>{format!("{code} — {name}")}</option> }).collect_view()}
                        </select>
                        {field_err("cost_centre_id")}
                    </div>
                })}
                <div>
                    <label for="qty" class=LABEL_CLASS>{move || if op.get() == "adjust" { t_string!(i18n, inv.adjust_quantity).to_string() } else { t_string!(i18n, inv.quantity).to_string() }}</label>
                    <input id="qty" inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || quantity.get() on:input=move |ev| quantity.set(event_target_value(&ev)) />
                    {field_err("quantity")}
                </div>
                {move || (op.get() == "issue").then(|| { let placeholder = item_unit.clone(); view! {
                    <div>
                        <label for="issue-unit" class=LABEL_CLASS>{t!(i18n, inv.issue_unit)}</label>
                        <input id="issue-unit" dir="ltr" autocapitalize="characters" class=INPUT_CLASS placeholder=placeholder.clone()
                            aria-describedby="issue-unit-hint" prop:value=move || issue_unit.get() on:input=move |ev| issue_unit.set(event_target_value(&ev)) />
                        <p id="issue-unit-hint" class="mt-1 text-sm text-slate-700">{t!(i18n, inv.issue_unit_hint, unit = placeholder.clone())}</p>
                        {field_err("unit")}
                    </div>
                }})}
                {move || names_units.get().then(|| view! {
                    <div class="sm:col-span-2">
                        <label for="units" class=LABEL_CLASS>{t!(i18n, inv.units)}</label>
                        <textarea id="units" rows="2" dir="ltr" autocapitalize="characters" spellcheck="false" aria-describedby="units-hint"
                            class=INPUT_CLASS prop:value=move || units.get() on:input=move |ev| units.set(event_target_value(&ev))></textarea>
                        <p id="units-hint" class="mt-1 text-sm text-slate-700">{t!(i18n, inv.units_hint)}</p>
                        {field_err("uids")}
                        {move || act.value().get().and_then(|r| r.err()).map(|e| unit_errors(&e, i18n.get_locale()))}
                    </div>
                })}
                {move || (op.get() == "adjust").then(|| view! {
                    <div class="sm:col-span-2">
                        <label for="adj-reason" class=LABEL_CLASS>{t!(i18n, inv.adjust_reason)}</label>
                        <input id="adj-reason" class=INPUT_CLASS prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                        {field_err("reason")}
                    </div>
                })}
                <div class="sm:col-span-2">
                    <button type="submit" class=format!("{BUTTON_CLASS} w-full sm:w-auto") disabled=move || act.pending().get()>{t!(i18n, inv.post_movement)}</button>
                </div>
            </form>
        </section>
    }
}

/// A material type in the reader's language.
pub fn material_label(i18n: leptos_i18n::I18nContext<Locale>, m: MaterialType) -> String {
    match m {
        MaterialType::RawMaterial => t_string!(i18n, material.rm).to_string(),
        MaterialType::Component => t_string!(i18n, material.cp).to_string(),
        MaterialType::SemiFinished => t_string!(i18n, material.sf).to_string(),
        MaterialType::FinishedGood => t_string!(i18n, material.fg).to_string(),
        MaterialType::Consumable => t_string!(i18n, material.cn).to_string(),
        MaterialType::Spare => t_string!(i18n, material.sp).to_string(),
        MaterialType::Packaging => t_string!(i18n, material.pk).to_string(),
        MaterialType::Tool => t_string!(i18n, material.tl).to_string(),
    }
}

/// The item's material type among its facts ("Spare part (SP)": the TYPE of its UIDs), with a
/// choice of type and a save button for those who keep the master.
#[component]
fn MaterialTypeFact(item_id: Uuid, material: MaterialType, manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(material);
    let chosen = RwSignal::new(material.code().to_string());
    let save = Action::new(move |code: &String| {
        let code = code.clone();
        async move { save_material_type(item_id, code).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(item)) = save.value().get() {
            current.set(item.material_type);
        }
    });
    view! {
        <div class="col-span-2" data-testid="item-material-type">
            <dt class="text-sm text-slate-700">{t!(i18n, material.material_type)}</dt>
            <dd>
                <span>{move || material_label(i18n, current.get())}</span>" "
                <span dir="ltr" class="font-mono text-sm">{move || format!("({})", current.get().code())}</span>
                {manage.then(|| view! {
                    <form class="mt-1 flex flex-wrap items-end gap-2" on:submit=move |ev| { ev.prevent_default(); save.dispatch(chosen.get_untracked()); }>
                        <label for="item-material-type" class="sr-only">{t!(i18n, material.material_type)}</label>
                        <select id="item-material-type" class=INPUT_CLASS prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                            {MaterialType::ALL.into_iter().map(|m| view! {
                                <option value=m.code() selected=m == material>{move || format!("{} ({})", material_label(i18n, m), m.code())}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class=BUTTON_CLASS disabled=move || save.pending().get()>{t!(i18n, material.save)}</button>
                    </form>
                    {move || match save.value().get() {
                        Some(Ok(_)) => view! { <p role="status" class="mt-1 text-sm text-green-800">{t!(i18n, material.saved)}</p> }.into_any(),
                        Some(Err(e)) => view! { <ErrorDetails error=e /> }.into_any(),
                        None => ().into_any(),
                    }}
                })}
            </dd>
        </div>
    }
}

/// `/inventory/labels?receipt=…|item=…|uid=…`: UID labels with QR codes, ready to print.
#[component]
pub fn LabelsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let labels = Resource::new(
        move || (get("receipt"), get("item"), get("uid")),
        |(r, i, u)| {
            uid_labels(
                r.and_then(|r| Uuid::parse_str(&r).ok()),
                i.and_then(|i| Uuid::parse_str(&i).ok()),
                u,
            )
        },
    );
    view! {
        <div class="flex flex-wrap items-center justify-between gap-3 print:hidden">
            <h1 class="text-2xl font-semibold">{t!(i18n, inv.labels)}</h1>
            <button type="button" class=BUTTON_CLASS on:click=move |_| print_page()>{t!(i18n, inv.print)}</button>
        </div>
        <Transition>
            {move || Suspend::new(async move {
                match labels.await {
                    Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4 print:grid-cols-3" data-testid="labels">
                            {list.into_iter().map(|l| view! {
                                <li class="break-inside-avoid rounded border border-slate-300 bg-white p-2 text-center">
                                    <div class="mx-auto w-32 [&>svg]:h-auto [&>svg]:w-full" inner_html=l.svg.clone()></div>
                                    <p class="mt-1 break-all font-mono text-xs" dir="ltr">{l.uid.clone()}</p>
                                    <p class="text-xs">{format!("{} · {}", l.sku, l.name)}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The errors of the named units (`uids[i]`), each with the UID's place in the list.
fn unit_errors(error: &AppError, locale: Locale) -> impl IntoView {
    let items: Vec<(String, String)> = match error {
        AppError::Validation(fields) => fields
            .iter()
            .filter_map(|(k, v)| {
                let n = k
                    .strip_prefix("uids[")?
                    .strip_suffix(']')?
                    .parse::<usize>()
                    .ok()?;
                Some((format!("{}", n + 1), v.message(locale)))
            })
            .collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|(n, m)| view! { <p class="mt-1 text-sm text-red-700">{format!("{n}: {m}")}</p> })
        .collect_view()
}
