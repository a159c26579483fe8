//! `/finance/payments`: payments to suppliers, newest first (of one supplier with
//! `?supplier_id=`), each with the bank account it came from and the invoices it paid; and for
//! `payment:process` the new payment: a supplier with open invoices, then what to pay of each (in
//! full with one click, or a part), the bank account, the date and a reference. The service's
//! refusals show at their fields (more than due: at that invoice's amount).
use super::{parse_date, FinanceTabs, SECONDARY, SECTION, TABLE_BOX, TD, TD_NUM, TH, TH_NUM};
use crate::error::AppError;
use crate::finance::api::list_accounts;
use crate::finance::invoice::SupplierInvoice;
use crate::finance::model::Account;
use crate::finance::payment::{AllocationInput, Payment, PaymentInput};
use crate::finance::payment_api::{
    create_payment, list_payments, payment_form, supplier_open_invoices,
};
use crate::format::{
    format_date, format_decimal, format_money, isolate_ltr_runs, minor_units, Grouping,
};
use crate::i18n::*;
use crate::platform::ui::widgets::{
    tenant_grouping, use_user_resource, ErrorDetails, FormError, Pager, BUTTON_CLASS, INPUT_CLASS,
    LABEL_CLASS,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;
use uuid::Uuid;

type PayAction = Action<PaymentInput, Result<Payment, AppError>>;

/// An amount as typed (group separators ignored); blank or not a number is none.
pub(crate) fn typed_amount(s: &str) -> Option<Decimal> {
    let s = s.trim().replace([',', ' '], "");
    if s.is_empty() {
        None
    } else {
        Decimal::from_str(&s).ok()
    }
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let supplier = move || get("supplier_id").and_then(|s| Uuid::parse_str(&s).ok());
    let from = move || get("from").and_then(|d| parse_date(&d));
    let to = move || get("to").and_then(|d| parse_date(&d));
    let page = move || {
        get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let pay = Action::new(|input: &PaymentInput| {
        let input = input.clone();
        async move { create_payment(input).await }
    });
    let changed = RwSignal::new(0u32);
    let payments = Resource::new(
        move || (supplier(), from(), to(), page(), changed.get()),
        |(s, f, t, p, _)| list_payments(s, f, t, p),
    );
    let accounts = Resource::new(|| (), |_| list_accounts());
    let writing = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = pay.value().get() {
            writing.set(false);
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, fpay.payments_title)}</h1>
        {move || pay.value().get().and_then(|r| r.ok()).map(|p| { let n = p.number.clone(); view! {
            <p role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900" data-testid="paid">{move || t_string!(i18n, fpay.paid, number = n.clone()).to_string()}</p>
        }})}
        <Transition>
            {move || Suspend::new(async move {
                let rows = match payments.await {
                    Ok(p) => p,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let u = user.await;
                let g = tenant_grouping(&u);
                let (may_pay, today) = match &u {
                    Ok(Some(u)) => (u.can("payment:process"), u.today),
                    _ => (false, NaiveDate::default()),
                };
                let banks: HashMap<Uuid, String> = accounts.await.unwrap_or_default().into_iter()
                    .map(|a| (a.id, format!("{} — {}", a.code, a.name))).collect();
                let pages = rows.total.div_ceil(u64::from(rows.per_page)).max(1);
                let current = rows.page;
                let link = move |p: u32| {
                    let mut parts = vec![format!("page={p}")];
                    for (k, v) in [("supplier_id", supplier().map(|s| s.to_string())), ("from", from().map(|d| d.to_string())), ("to", to().map(|d| d.to_string()))] {
                        if let Some(v) = v { parts.push(format!("{k}={v}")); }
                    }
                    format!("?{}", parts.join("&"))
                };
                let filtered = supplier().is_some() || from().is_some() || to().is_some();
                let shown: Vec<Payment> = rows.rows;
                let empty = shown.is_empty();
                view! {
                    {may_pay.then(|| view! {
                        <div class="mt-4">
                            <button type="button" class=BUTTON_CLASS data-testid="new-payment" on:click=move |_| writing.update(|w| *w = !*w)>{t!(i18n, fpay.new_payment)}</button>
                        </div>
                    })}
                    {move || (may_pay && writing.get()).then(|| view! { <PaymentForm pay=pay today=today grouping=g /> })}
                    {filtered.then(|| view! {
                        <p class="mt-3 text-sm"><A href="/finance/payments" attr:class="text-blue-900 underline">{t!(i18n, fpay.all_payments)}</A></p>
                    })}
                    {empty.then(|| view! { <p class="mt-6 text-slate-700">{t!(i18n, fpay.no_payments)}</p> })}
                    {(!empty).then(|| view! {
                        <div class=TABLE_BOX>
                            <table class="min-w-full divide-y divide-slate-200" data-testid="payments">
                                <thead>
                                    <tr>
                                        <th scope="col" class=TH>{t!(i18n, fpay.number)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fin.date)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fpay.supplier)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fpay.bank_account)}</th>
                                        <th scope="col" class=TH_NUM>{t!(i18n, fpay.amount)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fpay.invoices_paid)}</th>
                                    </tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {shown.into_iter().map(|p| {
                                        let date = p.date;
                                        let bank = banks.get(&p.bank_account_id).cloned().unwrap_or_default();
                                        let c = p.currency.clone();
                                        view! {
                                            <tr data-testid="payment" id=p.number.clone()>
                                                <td class=TD><span class="font-mono" dir="ltr">{p.number.clone()}</span>
                                                    {p.reference.clone().map(|r| view! { <span class="block text-xs text-slate-600">{isolate_ltr_runs(&r)}</span> })}</td>
                                                <td class=format!("{TD} whitespace-nowrap")>{move || format_date(date, i18n.get_locale())}</td>
                                                <td class=TD><A href=format!("/finance/payments?supplier_id={}", p.supplier_id) attr:class="text-blue-900 underline">{isolate_ltr_runs(&p.supplier)}</A></td>
                                                <td class=TD>{isolate_ltr_runs(&bank)}</td>
                                                <td class=TD_NUM dir="ltr">{format_money(p.amount, &c, g)}</td>
                                                <td class=TD>
                                                    <ul>
                                                        {p.allocations.into_iter().map(|a| view! {
                                                            <li class="whitespace-nowrap"><A href=format!("/finance/invoices/{}", a.supplier_invoice_id) attr:class="font-mono text-blue-900 underline" attr:dir="ltr">{a.supplier_number.clone()}</A>
                                                                " "<span class="tabular-nums" dir="ltr">{format_money(a.amount, &c, g)}</span></li>
                                                        }).collect_view()}
                                                    </ul>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                    <Pager current=current pages=pages
                        prev=(current > 1).then(|| link(current - 1))
                        next=(u64::from(current) < pages).then(|| link(current + 1)) />
                }.into_any()
            })}
        </Transition>
    }
}

/// One open invoice in the form, with what is typed to pay of it.
#[derive(Clone)]
struct Open {
    invoice: SupplierInvoice,
    amount: RwSignal<String>,
}

#[component]
fn PaymentForm(pay: PayAction, today: NaiveDate, grouping: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    let form = Resource::new(|| (), |_| payment_form());
    view! {
        <section class=SECTION data-testid="payment-form">
            <h2 class="text-lg font-semibold">{t!(i18n, fpay.new_payment)}</h2>
            <Transition>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok((open, banks)) => view! { <PaymentFields open=open banks=banks pay=pay today=today grouping=grouping /> }.into_any(),
                        Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PaymentFields(
    open: Vec<crate::finance::pay_model::SupplierOpen>,
    banks: Vec<Account>,
    pay: PayAction,
    today: NaiveDate,
    grouping: Grouping,
) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let currency = open.first().map(|s| s.currency.clone()).unwrap_or_default();
    let scale = minor_units(&currency);
    // the suppliers with something to pay, in name order; a chosen one's invoices are read then
    let suppliers: Vec<(Uuid, String)> = open
        .into_iter()
        .map(|s| (s.supplier_id, s.supplier))
        .collect();
    let supplier = RwSignal::new(String::new());
    let lines: RwSignal<Vec<Open>> = RwSignal::new(Vec::new());
    let load = Action::new(|id: &Uuid| {
        let id = *id;
        async move { (id, supplier_open_invoices(id).await) }
    });
    let load_error: RwSignal<Option<AppError>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some((id, r)) = load.value().get() {
            // an answer for a supplier no longer chosen is dropped
            if Uuid::parse_str(&supplier.get_untracked()).ok() != Some(id) {
                return;
            }
            match r {
                Ok(invoices) => lines.set(
                    invoices
                        .into_iter()
                        .map(|invoice| Open {
                            invoice,
                            amount: RwSignal::new(String::new()),
                        })
                        .collect(),
                ),
                Err(e) => load_error.set(Some(e)),
            }
        }
    });
    let bank = RwSignal::new(banks.first().map(|b| b.id.to_string()).unwrap_or_default());
    let date = RwSignal::new(today.to_string());
    let reference = RwSignal::new(String::new());
    // the invoices of the last submit, in the order sent: the service names `allocations[i]`
    let sent = StoredValue::new(Vec::<Uuid>::new());
    let error = Signal::derive(move || pay.value().get().and_then(|r| r.err()));
    let choose = move |s: String| {
        supplier.set(s.clone());
        lines.set(Vec::new());
        load_error.set(None);
        if let Ok(id) = Uuid::parse_str(&s) {
            load.dispatch(id);
        }
    };
    let total = move || -> Decimal {
        lines
            .get()
            .iter()
            .filter_map(|l| typed_amount(&l.amount.get()))
            .sum()
    };
    let field_error = move |invoice: Uuid, field: &str| -> Option<String> {
        let e = error.get()?;
        let i = sent.get_value().iter().position(|x| *x == invoice)?;
        e.field_error(&format!("allocations[{i}].{field}"))
            .map(|fe| fe.message(i18n.get_locale()))
    };
    let field = move |name: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_error(name))
                .map(|fe| fe.message(i18n.get_locale()))
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen: Vec<(Uuid, Decimal)> = lines
            .get_untracked()
            .iter()
            .filter_map(|l| typed_amount(&l.amount.get_untracked()).map(|a| (l.invoice.id, a)))
            .collect();
        sent.set_value(chosen.iter().map(|(id, _)| *id).collect());
        pay.dispatch(PaymentInput {
            supplier_id: Uuid::parse_str(&supplier.get_untracked()).unwrap_or_default(),
            date: parse_date(&date.get_untracked()).unwrap_or(today),
            bank_account_id: Uuid::parse_str(&bank.get_untracked()).unwrap_or_default(),
            allocations: chosen
                .into_iter()
                .map(|(supplier_invoice_id, amount)| AllocationInput {
                    supplier_invoice_id,
                    amount,
                })
                .collect(),
            reference: Some(reference.get_untracked()).filter(|r| !r.trim().is_empty()),
        });
    };
    let c = currency.clone();
    view! {
        <form on:submit=submit novalidate class="mt-3 space-y-4">
            <div class="grid gap-3 sm:grid-cols-2">
                <div>
                    <label for="pay-supplier" class=LABEL_CLASS>{t!(i18n, fpay.supplier)}</label>
                    <select id="pay-supplier" class=INPUT_CLASS data-testid="pay-supplier" on:change=move |ev| choose(event_target_value(&ev))>
                        <option value="" selected=true>{t!(i18n, fpay.choose_supplier)}</option>
                        {suppliers.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                    <p class="mt-1 text-sm text-red-700">{field("supplier_id")}</p>
                </div>
                <div>
                    <label for="pay-bank" class=LABEL_CLASS>{t!(i18n, fpay.bank_account)}</label>
                    <select id="pay-bank" class=INPUT_CLASS on:change=move |ev| bank.set(event_target_value(&ev))>
                        {banks.into_iter().enumerate().map(|(i, b)| view! { <option value=b.id.to_string() selected=i == 0>{format!("{} — {}", b.code, b.name)}</option> }).collect_view()}
                    </select>
                    <p class="mt-1 text-sm text-red-700">{field("bank_account_id")}</p>
                </div>
                <div>
                    <label for="pay-date" class=LABEL_CLASS>{t!(i18n, fin.date)}</label>
                    <input id="pay-date" type="date" class=INPUT_CLASS prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                    <p class="mt-1 text-sm text-red-700">{field("date")}</p>
                </div>
                <div>
                    <label for="pay-ref" class=LABEL_CLASS>{t!(i18n, fpay.reference)}</label>
                    <input id="pay-ref" class=INPUT_CLASS maxlength="100" prop:value=move || reference.get() on:input=move |ev| reference.set(event_target_value(&ev)) />
                    <p class="mt-1 text-sm text-red-700">{field("reference")}</p>
                </div>
            </div>
            {move || load_error.get().map(|e| view! { <ErrorDetails error=e /> })}
            {move || (!supplier.get().is_empty() && !load.pending().get() && load_error.get().is_none() && lines.get().is_empty()).then(|| view! { <p class="text-slate-700">{t!(i18n, fpay.nothing_open)}</p> })}
            {move || (!lines.get().is_empty()).then(|| { let c = c.clone(); view! {
                <div class=TABLE_BOX>
                    <table class="min-w-full divide-y divide-slate-200" data-testid="open-invoices">
                        <thead>
                            <tr>
                                <th scope="col" class=TH>{t!(i18n, fpay.invoice)}</th>
                                <th scope="col" class=TH>{t!(i18n, fpay.due_date)}</th>
                                <th scope="col" class=TH_NUM>{t!(i18n, fpay.amount_due)}</th>
                                <th scope="col" class=TH>{t!(i18n, fpay.to_pay)}</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {lines.get().into_iter().map(|l| {
                                let inv = l.invoice.clone();
                                let (id, due, due_date) = (inv.id, inv.amount_due, inv.due_date);
                                let due_class = if due_date < today { format!("{TD} whitespace-nowrap font-semibold text-red-800") } else { format!("{TD} whitespace-nowrap") };
                                let input_id = format!("pay-amount-{id}");
                                let full = format_decimal(due, scale, Grouping::Western).replace(',', "");
                                let amount = l.amount;
                                view! {
                                    <tr data-testid="open-invoice">
                                        <td class=TD><span class="font-mono" dir="ltr">{inv.supplier_number.clone()}</span><span class="block text-xs text-slate-600" dir="ltr">{inv.number.clone()}</span></td>
                                        <td class=due_class>{move || format_date(due_date, i18n.get_locale())}</td>
                                        <td class=TD_NUM dir="ltr">{format_money(due, &c, g)}</td>
                                        <td class=TD>
                                            <div class="flex items-center gap-2">
                                                <label for=input_id.clone() class="sr-only">{t!(i18n, fpay.to_pay)}</label>
                                                <input id=input_id class="w-32 rounded-md border border-slate-400 px-2 py-1 text-end tabular-nums" dir="ltr" inputmode="decimal"
                                                    prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
                                                <button type="button" class=SECONDARY data-testid="pay-in-full" on:click=move |_| amount.set(full.clone())>{t!(i18n, fpay.in_full)}</button>
                                            </div>
                                            {move || field_error(id, "amount").or_else(|| field_error(id, "supplier_invoice_id")).map(|m| view! { <p class="mt-1 text-sm text-red-700">{m}</p> })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }})}
            <p class="text-sm text-red-700">{field("allocations")}</p>
            <p class="font-semibold">{t!(i18n, fpay.total)}": "<span class="tabular-nums" dir="ltr" data-testid="pay-total">{move || format_money(total(), &currency, g)}</span></p>
            <FormError error=error />
            <button type="submit" class=BUTTON_CLASS data-testid="pay" disabled=move || pay.pending().get() || lines.get().is_empty()>{t!(i18n, fpay.pay)}</button>
        </form>
    }
}
