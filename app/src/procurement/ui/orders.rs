//! Purchase orders: generating them from approved requisition lines (grouped by supplier, with
//! splits and adjustments), the list, and one order with its approval, sending and printing.
use super::labels;
use super::nav::ProcurementTabs;
use crate::error::AppError;
use crate::format::{format_date, format_decimal, format_money, format_quantity, isolate_ltr_runs};
use crate::i18n::*;
use crate::platform::ui::widgets::{
    print_page, tenant_grouping, use_id_param, use_user_resource, ErrorDetails, Pager,
    BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS,
};
use crate::procurement::api::{
    act_on_order, generate_orders, get_order, list_orders, orderable_lines, supplier_choices,
    OrderOp,
};
use crate::procurement::model::orders::{GenerateInput, GenerateLine, OrderableLine, PoStatus};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

// ---- the list ----

#[component]
pub fn OrdersPage() -> impl IntoView {
    let user = use_user_resource();
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let rows = Resource::new(
        move || (status(), q(), page()),
        |(status, q, page)| list_orders(Some(status), Some(q), page),
    );
    view! {
        <ProcurementTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, po.title)}</h1>
        <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
            <div class="min-w-[12rem] flex-1">
                <label for="f-q" class=LABEL_CLASS>{t!(i18n, po.search)}</label>
                <input id="f-q" name="q" type="search" class=INPUT_CLASS value=q />
            </div>
            <div>
                <label for="f-status" class=LABEL_CLASS>{t!(i18n, po.status)}</label>
                <select id="f-status" name="status" class=INPUT_CLASS>
                    <option value="">{t!(i18n, po.any_status)}</option>
                    {PoStatus::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str() selected=move || status() == s.as_str()>{move || labels::po_status(i18n.get_locale(), s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class=BUTTON_CLASS>{t!(i18n, req.filter)}</button>
        </Form>
        <div class="mt-3">
            <crate::platform::export::ui::ExportLinks path="/api/v1/purchase-orders" testid="export-orders"
                filters=Signal::derive(move || vec![("status", Some(status())), ("q", Some(q()))]) />
        </div>
        <Transition>
            {move || Suspend::new(async move {
                let grouping = tenant_grouping(&user.await);
                let Ok(page_rows) = rows.await else { return view! { <p role="alert">{t!(i18n, errors.internal)}</p> }.into_any() };
                if page_rows.rows.is_empty() {
                    return view! { <p class="mt-6 text-slate-700">{t!(i18n, po.none)}</p> }.into_any();
                }
                let pages = page_rows.total.div_ceil(page_rows.per_page as u64).max(1);
                let current = page_rows.page;
                let link = move |p: u32| format!("?page={p}&q={}&status={}", q(), status());
                view! {
                    <ul class="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="po-list">
                        {page_rows.rows.into_iter().map(|r| {
                            let created = r.created_at.date_naive();
                            let expected = r.expected_delivery_date;
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 p-3">
                                    <div>
                                        <A href=format!("/procurement/orders/{}", r.id) attr:class="font-medium text-blue-800 underline">{r.number.clone()}</A>
                                        <p class="text-sm text-slate-700">{r.supplier.clone()}</p>
                                    </div>
                                    <div class="text-end">
                                        <span class=format!("rounded px-2 py-0.5 text-xs {}", labels::po_status_class(r.status))>{move || labels::po_status(i18n.get_locale(), r.status)}</span>
                                        <p class="tabular-nums font-semibold" dir="ltr">{format_money(r.total, &r.currency, grouping)}</p>
                                        <p class="text-xs text-slate-700">
                                            {move || format_date(created, i18n.get_locale())}
                                            {move || expected.map(|d| format!(" → {}", format_date(d, i18n.get_locale())))}
                                        </p>
                                    </div>
                                </li>
                            }
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

// ---- one order ----

#[component]
pub fn OrderPage() -> impl IntoView {
    let user = use_user_resource();
    let i18n = use_i18n();
    let id = use_id_param();
    let op = Action::new(move |(id, op): &(Uuid, OrderOp)| {
        let (id, op) = (*id, op.clone());
        async move { act_on_order(id, op).await }
    });
    let po = Resource::new(
        move || (id(), op.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_order(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let comment = RwSignal::new(String::new());
    let sent_ok = move || {
        op.input().get().is_none()
            && matches!(op.value().get(), Some(Ok(ref p)) if p.status == PoStatus::Sent)
    };
    view! {
        <ProcurementTabs />
        <Transition>
            {move || Suspend::new(async move {
                let grouping = tenant_grouping(&user.await);
                let o = match po.await {
                    Ok(o) => o,
                    Err(_) => return view! { <crate::platform::ui::pages::NotFound /> }.into_any(),
                };
                let id = o.id;
                let currency = o.currency.clone();
                let status = o.status;
                let created = o.created_at.date_naive();
                let expected = o.expected_delivery_date;
                let minor = crate::format::minor_units(&currency);
                let any_action = o.can_approve || o.can_cancel || o.can_close;
                view! {
                    <div class="flex flex-wrap items-center gap-3">
                        <h1 class="text-2xl font-semibold">{t!(i18n, po.detail, number = o.number.clone())}</h1>
                        <span data-testid="po-status" class=format!("rounded px-2 py-0.5 text-sm {}", labels::po_status_class(status))>
                            {move || labels::po_status(i18n.get_locale(), status)}
                        </span>
                        <div class="ms-auto flex gap-2 print:hidden">
                            <button type="button" class="rounded-md border border-slate-400 px-3 py-1.5 text-sm font-semibold hover:bg-slate-100"
                                on:click=move |_| print_page()>{t!(i18n, po.print)}</button>
                            <a href=format!("/api/v1/purchase-orders/{id}/pdf") target="_blank" rel="noopener"
                                class="rounded-md border border-slate-400 px-3 py-1.5 text-sm font-semibold hover:bg-slate-100">{t!(i18n, po.pdf)}</a>
                        </div>
                    </div>
                    {move || op.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorDetails error=e /> })}
                    <Show when=sent_ok>
                        <p role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{t!(i18n, po.sent_ok)}</p>
                    </Show>
                    <dl class="mt-4 grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4">
                        <div class="col-span-2"><dt class="text-sm text-slate-700">{t!(i18n, po.supplier)}</dt>
                            <dd data-testid="po-supplier">{format!("{} ({})", o.supplier.name, o.supplier.code)}</dd>
                            <dd class="text-sm text-slate-700">{o.supplier.email.clone().unwrap_or_default()}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, po.deliver_to)}</dt><dd>{o.plant.clone().unwrap_or_default()}</dd>
                            <dd class="text-sm text-slate-700">{o.delivery_address.clone().unwrap_or_default()}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, po.expected)}</dt><dd>{move || expected.map(|d| format_date(d, i18n.get_locale())).unwrap_or_default()}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, po.created)}</dt><dd>{move || format_date(created, i18n.get_locale())}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, po.created_by)}</dt><dd>{o.created_by.clone()}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, po.payment_terms)}</dt><dd>{t!(i18n, po.days, n = o.payment_terms_days)}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, po.total)}</dt><dd data-testid="po-total" class="font-semibold"><span dir="ltr">{format_money(o.total, &currency, grouping)}</span></dd></div>
                    </dl>
                    <div class="mt-4 overflow-x-auto">
                        <table data-testid="po-lines" class="stacked min-w-full border border-slate-200 bg-white text-sm">
                            <caption class="sr-only">{t!(i18n, po.lines)}</caption>
                            <thead class="bg-slate-100">
                                <tr>
                                    <th scope="col" class="px-3 py-2 text-start">"#"</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, po.description)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, po.quantity)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, po.unit_price)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, po.tax_rate)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, po.amount)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, po.received)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {o.lines.iter().map(|l| { let req_number = l.requisition_number.clone(); view! {
                                    <tr class="border-t border-slate-200">
                                        <td class="px-3 py-2" data-label="#">{l.line_no}</td>
                                        <td class="px-3 py-2" data-label=move || t_string!(i18n, po.description).to_string()><div>{isolate_ltr_runs(&l.description)}
                                            <A href=format!("/procurement/requisitions/{}", l.requisition_id) attr:class="block text-xs text-blue-800 underline print:no-underline">{req_number}</A></div></td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, po.quantity).to_string()><span class="tabular-nums" dir="ltr">{format!("{} {}", format_quantity(l.quantity, grouping), l.unit)}</span></td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, po.unit_price).to_string()><span class="tabular-nums" dir="ltr">{format_decimal(l.unit_price, minor, grouping)}</span></td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, po.tax_rate).to_string()><span class="tabular-nums" dir="ltr">{format!("{}%", (l.tax_rate * Decimal::ONE_HUNDRED).normalize())}</span></td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, po.amount).to_string()><span class="tabular-nums" dir="ltr">{format_decimal(l.line_subtotal, minor, grouping)}</span></td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, po.received).to_string()><span class="tabular-nums" dir="ltr">{format_quantity(l.received_quantity, grouping)}</span></td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                            <tfoot class="border-t-2 border-slate-300">
                                <tr><th scope="row" colspan="5" class="px-3 py-1 text-end font-normal">{t!(i18n, po.subtotal)}</th>
                                    <td class="px-3 py-1 text-end tabular-nums" dir="ltr">{format_money(o.subtotal, &currency, grouping)}</td><td></td></tr>
                                <tr><th scope="row" colspan="5" class="px-3 py-1 text-end font-normal">{t!(i18n, po.tax)}</th>
                                    <td class="px-3 py-1 text-end tabular-nums" dir="ltr">{format_money(o.tax_amount, &currency, grouping)}</td><td></td></tr>
                                <tr><th scope="row" colspan="5" class="px-3 py-1 text-end">{t!(i18n, po.total)}</th>
                                    <td class="px-3 py-1 text-end font-semibold tabular-nums" dir="ltr">{format_money(o.total, &currency, grouping)}</td><td></td></tr>
                            </tfoot>
                        </table>
                    </div>
                    <Show when=move || o.can_send>
                        <div class="mt-4 print:hidden">
                            <button type="button" class=BUTTON_CLASS data-testid="po-send"
                                on:click=move |_| { op.dispatch((id, OrderOp::Send)); }>
                                {move || if status == PoStatus::Sent { t_string!(i18n, po.resend).to_string() } else { t_string!(i18n, po.send).to_string() }}
                            </button>
                        </div>
                    </Show>
                    <Show when=move || any_action>
                        <section class="mt-4 rounded-lg border border-blue-200 bg-blue-50 p-4 print:hidden">
                            <label for="po-comment" class=LABEL_CLASS>{t!(i18n, po.comment)}</label>
                            <textarea id="po-comment" rows="2" class=INPUT_CLASS prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                            <div class="mt-3 flex flex-wrap gap-3">
                                <Show when=move || o.can_approve>
                                    <button type="button" class="rounded-md bg-green-800 px-4 py-2 font-semibold text-white hover:bg-green-900"
                                        on:click=move |_| { op.dispatch((id, OrderOp::Approve(Some(comment.get_untracked())))); }>{t!(i18n, po.approve)}</button>
                                    <button type="button" class="rounded-md border border-red-700 bg-white px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
                                        on:click=move |_| { op.dispatch((id, OrderOp::Reject(Some(comment.get_untracked())))); }>{t!(i18n, po.reject)}</button>
                                </Show>
                                <Show when=move || o.can_close>
                                    <button type="button" class="rounded-md border border-slate-500 bg-white px-4 py-2 font-semibold hover:bg-slate-50"
                                        on:click=move |_| { op.dispatch((id, OrderOp::Close(Some(comment.get_untracked())))); }>{t!(i18n, po.close)}</button>
                                </Show>
                                <Show when=move || o.can_cancel>
                                    <button type="button" class="rounded-md border border-red-700 bg-white px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
                                        on:click=move |_| { op.dispatch((id, OrderOp::Cancel(Some(comment.get_untracked())))); }>{t!(i18n, po.cancel)}</button>
                                </Show>
                            </div>
                        </section>
                    </Show>
                    <div class="print:hidden">
                        <super::timeline::ApprovalTimeline route=o.route.clone() history=o.approvals.clone() submitted=true />
                    </div>
                }.into_any()
            })}
        </Transition>
    }
}

// ---- generation ----

/// One editable row of the generation screen: a requisition line (or a split of it).
#[derive(Clone)]
struct Row {
    key: usize,
    line: OrderableLine,
    picked: RwSignal<bool>,
    supplier: RwSignal<String>,
    quantity: RwSignal<String>,
    price: RwSignal<String>,
    /// percent; empty means the company default
    tax: RwSignal<String>,
}

impl Row {
    fn new(key: usize, line: OrderableLine, split: bool) -> Row {
        Row {
            key,
            supplier: RwSignal::new(if split {
                String::new()
            } else {
                line.supplier_id.map(|s| s.to_string()).unwrap_or_default()
            }),
            quantity: RwSignal::new(if split {
                String::new()
            } else {
                line.remaining.to_string()
            }),
            price: RwSignal::new(line.estimated_unit_price.to_string()),
            tax: RwSignal::new(String::new()),
            picked: RwSignal::new(split),
            line,
        }
    }
}

#[component]
pub fn GenerateOrdersPage() -> impl IntoView {
    let user = use_user_resource();
    let i18n = use_i18n();
    let generate = Action::new(move |input: &GenerateInput| {
        let input = input.clone();
        async move { generate_orders(input).await }
    });
    // reloaded after each generation: what was ordered disappears
    let lines = Resource::new(move || generate.version().get(), |_| orderable_lines());
    let suppliers = Resource::new(|| (), |_| supplier_choices());
    let rows: RwSignal<Vec<Row>> = RwSignal::new(Vec::new());
    let next_key = StoredValue::new(0usize);
    // the rows that go into the request, in order: their index names `lines[i]` in errors
    let picked_rows = move || {
        rows.get()
            .into_iter()
            .filter(|r| r.picked.get())
            .collect::<Vec<_>>()
    };
    let row_error = move |key: usize| {
        let err = generate.value().get().and_then(|r| r.err())?;
        let index = picked_rows().iter().position(|r| r.key == key)?;
        let locale = i18n.get_locale();
        let msgs: Vec<String> = err
            .details(locale)
            .into_iter()
            .filter(|(f, _)| f.starts_with(&format!("lines[{index}]")))
            .map(|(_, m)| m)
            .collect();
        (!msgs.is_empty()).then(|| msgs.join(" "))
    };
    let submit = move |_| {
        let mut out = GenerateInput::default();
        for r in picked_rows() {
            let parse = |s: String| Decimal::from_str(s.trim()).unwrap_or(Decimal::NEGATIVE_ONE);
            let tax = r.tax.get_untracked();
            out.lines.push(GenerateLine {
                requisition_line_id: r.line.requisition_line_id,
                supplier_id: Uuid::parse_str(&r.supplier.get_untracked()).unwrap_or(Uuid::nil()),
                quantity: parse(r.quantity.get_untracked()),
                unit_price: parse(r.price.get_untracked()),
                tax_rate: if tax.trim().is_empty() {
                    None
                } else {
                    Some(parse(tax) / Decimal::ONE_HUNDRED)
                },
            });
        }
        generate.dispatch(out);
    };
    view! {
        <ProcurementTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, po.generate)}</h1>
        <p class="mt-1 max-w-3xl text-slate-700">{t!(i18n, po.generate_help)}</p>
        {move || generate.value().get().and_then(|r| r.ok()).map(|created| view! {
            <div role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900" data-testid="po-created">
                {t!(i18n, po.created_ok)}" "
                {created.into_iter().map(|p| view! {
                    <A href=format!("/procurement/orders/{}", p.id) attr:class="me-3 font-semibold underline">{format!("{} · {}", p.number, p.supplier.name)}</A>
                }).collect_view()}
            </div>
        })}
        {move || generate.value().get().and_then(|r| r.err()).map(|e| view! {
            <div role="alert" class="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">{e.message(i18n.get_locale())}</div>
        })}
        <Transition>
            {move || Suspend::new(async move {
                let u = user.await;
                let grouping = tenant_grouping(&u);
                let currency = match &u {
                    Ok(Some(u)) => u.tenant.currency,
                    _ => crate::types::Currency::INR,
                };
                let minor = currency.minor_units();
                let supplier_list = suppliers.await.unwrap_or_default();
                let loaded = match lines.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                // fresh rows each time the lines load (after a generation they reload)
                let fresh: Vec<Row> = loaded.into_iter().map(|l| {
                    let key = next_key.get_value();
                    next_key.set_value(key + 1);
                    Row::new(key, l, false)
                }).collect();
                rows.set(fresh);
                if rows.with_untracked(Vec::is_empty) {
                    return view! { <p class="mt-6 text-slate-700">{t!(i18n, po.nothing)}</p> }.into_any();
                }
                let supplier_list = StoredValue::new(supplier_list);
                view! {
                    <ul class="mt-4 space-y-3" data-testid="orderable">
                        <For each=move || rows.get() key=|r| r.key let:row>
                            {
                                let key = row.key;
                                let l = row.line.clone();
                                let split_source = l.clone();
                                let n = l.requisition_number.clone();
                                let label_pick = format!("{} · {}", n, l.description);
                                view! {
                                    <li class="rounded-lg border border-slate-200 bg-white p-3" data-testid="orderable-line">
                                        <div class="flex flex-wrap items-start gap-3">
                                            <input type="checkbox" id=format!("pick-{key}") class="mt-1 h-5 w-5"
                                                prop:checked=move || row.picked.get()
                                                on:change=move |ev| row.picked.set(event_target_checked(&ev))
                                                aria-label=label_pick.clone() />
                                            <label for=format!("pick-{key}") class="flex-1">
                                                <span class="font-medium">{isolate_ltr_runs(&l.description)}</span>
                                                <span class="block text-sm text-slate-700">
                                                    {format!("{} · {} · ", n, l.requester)}
                                                    {t!(i18n, po.remaining)}": "<span dir="ltr">{format!("{} {}", format_quantity(l.remaining, grouping), l.unit)}</span>
                                                </span>
                                            </label>
                                            <button type="button" class="rounded-md border border-slate-400 px-2 py-1 text-sm hover:bg-slate-100"
                                                aria-label=move || t_string!(i18n, po.split_line, n = n.clone()).to_string()
                                                on:click=move |_| {
                                                    let k = next_key.get_value();
                                                    next_key.set_value(k + 1);
                                                    let new_row = Row::new(k, split_source.clone(), true);
                                                    rows.update(|rs| {
                                                        let at = rs.iter().position(|r| r.key == key).map(|i| i + 1).unwrap_or(rs.len());
                                                        rs.insert(at, new_row);
                                                    });
                                                }>{t!(i18n, po.split)}</button>
                                        </div>
                                        <div class="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
                                            <div class="col-span-2 sm:col-span-1">
                                                <label for=format!("sup-{key}") class=LABEL_CLASS>{t!(i18n, po.supplier)}</label>
                                                <select id=format!("sup-{key}") class=INPUT_CLASS data-testid="line-supplier"
                                                    on:change=move |ev| { row.supplier.set(event_target_value(&ev)); row.picked.set(true); }>
                                                    <option value="" selected=move || row.supplier.get().is_empty()>{t!(i18n, po.choose_supplier)}</option>
                                                    {supplier_list.get_value().into_iter().map(|s| {
                                                        let sid = s.id.to_string();
                                                        let sid2 = sid.clone();
                                                        view! { <option value=sid selected=move || row.supplier.get() == sid2>{format!("{} · {}", s.code, s.name)}</option> }
                                                    }).collect_view()}
                                                </select>
                                            </div>
                                            <div>
                                                <label for=format!("qty-{key}") class=LABEL_CLASS>{t!(i18n, po.quantity)}</label>
                                                <input id=format!("qty-{key}") inputmode="decimal" class=INPUT_CLASS data-testid="line-quantity" dir="ltr"
                                                    prop:value=move || row.quantity.get() on:input=move |ev| row.quantity.set(event_target_value(&ev)) />
                                            </div>
                                            <div>
                                                <label for=format!("price-{key}") class=LABEL_CLASS>{t!(i18n, po.unit_price)}</label>
                                                <input id=format!("price-{key}") inputmode="decimal" class=INPUT_CLASS dir="ltr"
                                                    prop:value=move || row.price.get() on:input=move |ev| row.price.set(event_target_value(&ev)) />
                                            </div>
                                            <div>
                                                <label for=format!("tax-{key}") class=LABEL_CLASS>{t!(i18n, po.tax_rate)}</label>
                                                <input id=format!("tax-{key}") inputmode="decimal" class=INPUT_CLASS dir="ltr" placeholder="5"
                                                    prop:value=move || row.tax.get() on:input=move |ev| row.tax.set(event_target_value(&ev)) />
                                            </div>
                                        </div>
                                        {move || row_error(key).map(|m| view! { <p class="mt-1 text-sm text-red-700">{m}</p> })}
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                    <section class="mt-4 rounded-lg border border-slate-200 bg-slate-50 p-3" aria-labelledby="preview-heading">
                        <h2 id="preview-heading" class="font-semibold">{t!(i18n, po.preview)}</h2>
                        <ul class="mt-2 space-y-1 text-sm" data-testid="po-preview">
                            {move || {
                                let mut groups: Vec<(String, usize, Decimal)> = Vec::new();
                                for r in picked_rows() {
                                    let sup = r.supplier.get();
                                    let name = supplier_list.get_value().into_iter().find(|s| s.id.to_string() == sup)
                                        .map(|s| s.name).unwrap_or_else(|| t_string!(i18n, po.choose_supplier).to_string());
                                    let q = Decimal::from_str(r.quantity.get().trim()).unwrap_or_default();
                                    let p = Decimal::from_str(r.price.get().trim()).unwrap_or_default();
                                    let amount = crate::procurement::model::line_total(q, p, currency);
                                    match groups.iter_mut().find(|g| g.0 == name) {
                                        Some(g) => { g.1 += 1; g.2 += amount; }
                                        None => groups.push((name, 1, amount)),
                                    }
                                }
                                groups.into_iter().map(|(name, count, amount)| view! {
                                    <li class="flex justify-between gap-3"><span>{format!("{name} · {count}")}</span>
                                        <span dir="ltr" class="tabular-nums">{format_decimal(amount, minor, grouping)}</span></li>
                                }).collect_view()
                            }}
                        </ul>
                        <button type="button" class=format!("{BUTTON_CLASS} mt-3") data-testid="po-confirm"
                            disabled=move || generate.pending().get() || picked_rows().is_empty()
                            on:click=submit>{t!(i18n, po.confirm)}</button>
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
