//! `/finance/payment-runs`: payment runs, newest first, and (for `payment:process`) a new run —
//! every due, unheld invoice up to a day, optionally of some suppliers, from a bank account, paid
//! on a day. `/finance/payment-runs/{id}`: the run for review, per supplier its invoices with
//! their due dates and what the run pays of each (changed or dropped while proposed), the totals;
//! Approve pays them all and e-mails the advices; then the bank file and the payments made.
use super::payments::typed_amount;
use super::{parse_date, FinanceTabs, SECONDARY, SECTION, TABLE_BOX, TD, TD_NUM, TH, TH_NUM};
use crate::error::AppError;
use crate::finance::payment::{PaymentRun, PaymentRunInput};
use crate::finance::payment_api::{
    approve_payment_run, get_payment_run, list_payment_runs, payment_form, propose_payment_run,
    set_payment_run_line, RunLineInput,
};
use crate::format::{
    format_count, format_date, format_decimal, format_money, isolate_ltr_runs, minor_units,
    Grouping,
};
use crate::i18n::*;
use crate::platform::ui::widgets::{
    tenant_grouping, use_id_param, use_user_resource, ErrorDetails, FormError, Pager, BUTTON_CLASS,
    INPUT_CLASS, LABEL_CLASS,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

/// A run's status, translated.
fn status_label(i18n: super::I18n, status: &str) -> String {
    match status {
        "approved" => t_string!(i18n, fpay.approved),
        _ => t_string!(i18n, fpay.proposed),
    }
    .to_string()
}

#[component]
pub fn PaymentRunsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let due_by = move || query.read().get("due_by").and_then(|d| parse_date(&d));
    let runs = Resource::new(page, list_payment_runs);
    // the new run's form reads what is open and the bank accounts; made here with the page's other
    // resources and awaited in the same `Suspend`: a resource made inside a suspended view as it
    // resolves is rendered by the server but not found by the browser as it hydrates
    let form = Resource::new(|| (), |_| payment_form());
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, fpay.runs_title)}</h1>
        <p class="mt-1 max-w-prose text-sm text-slate-700">{t!(i18n, fpay.runs_help)}</p>
        <Transition>
            {move || Suspend::new(async move {
                let rows = match runs.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let u = user.await;
                let g = tenant_grouping(&u);
                let (may_pay, today) = match &u {
                    Ok(Some(u)) => (u.can("payment:process"), u.today),
                    _ => (false, NaiveDate::default()),
                };
                let proposal = if may_pay { Some(form.await) } else { None };
                let pages = rows.total.div_ceil(u64::from(rows.per_page)).max(1);
                let current = rows.page;
                let empty = rows.rows.is_empty();
                view! {
                    {proposal.map(|f| match f {
                        Ok((open, banks)) => view! { <ProposeForm today=today due_by=due_by().unwrap_or(today) open=open banks=banks /> }.into_any(),
                        Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
                    })}
                    {empty.then(|| view! { <p class="mt-6 text-slate-700">{t!(i18n, fpay.no_runs)}</p> })}
                    {(!empty).then(|| view! {
                        <div class=TABLE_BOX>
                            <table class="min-w-full divide-y divide-slate-200" data-testid="runs">
                                <thead>
                                    <tr>
                                        <th scope="col" class=TH>{t!(i18n, fpay.number)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fpay.due_by)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fpay.payment_date)}</th>
                                        <th scope="col" class=TH_NUM>{t!(i18n, fpay.invoices)}</th>
                                        <th scope="col" class=TH_NUM>{t!(i18n, fpay.total)}</th>
                                        <th scope="col" class=TH>{t!(i18n, fin.status)}</th>
                                    </tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {rows.rows.into_iter().map(|r| {
                                        let (due, paid, status) = (r.due_by, r.payment_date, r.status.clone());
                                        let counts = format!("{} / {}", format_count(r.invoices.max(0).unsigned_abs(), g), format_count(r.suppliers.max(0).unsigned_abs(), g));
                                        view! {
                                            <tr data-testid="run">
                                                <td class=TD><A href=format!("/finance/payment-runs/{}", r.id) attr:class="font-mono text-blue-900 underline" attr:dir="ltr">{r.number.clone()}</A></td>
                                                <td class=format!("{TD} whitespace-nowrap")>{move || format_date(due, i18n.get_locale())}</td>
                                                <td class=format!("{TD} whitespace-nowrap")>{move || format_date(paid, i18n.get_locale())}</td>
                                                <td class=TD_NUM dir="ltr" title=move || t_string!(i18n, fpay.invoices_suppliers).to_string()>{counts}</td>
                                                <td class=TD_NUM dir="ltr">{format_money(r.total, &r.currency, g)}</td>
                                                <td class=TD>{move || status_label(i18n, &status)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                    <Pager current=current pages=pages
                        prev=(current > 1).then(|| format!("?page={}", current - 1))
                        next=(u64::from(current) < pages).then(|| format!("?page={}", current + 1)) />
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn ProposeForm(
    today: NaiveDate,
    due_by: NaiveDate,
    open: Vec<crate::finance::pay_model::SupplierOpen>,
    banks: Vec<crate::finance::model::Account>,
) -> impl IntoView {
    let i18n = use_i18n();
    let propose = Action::new(|input: &PaymentRunInput| {
        let input = input.clone();
        async move { propose_payment_run(input).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(run)) = propose.value().get() {
            navigate(
                &format!("/finance/payment-runs/{}", run.id),
                Default::default(),
            );
        }
    });
    let error = Signal::derive(move || propose.value().get().and_then(|r| r.err()));
    let due = RwSignal::new(due_by.to_string());
    let date = RwSignal::new(today.to_string());
    let bank = RwSignal::new(banks.first().map(|b| b.id.to_string()).unwrap_or_default());
    let chosen: RwSignal<Vec<Uuid>> = RwSignal::new(Vec::new());
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
        let suppliers = chosen.get_untracked();
        propose.dispatch(PaymentRunInput {
            due_by: parse_date(&due.get_untracked()).unwrap_or(today),
            supplier_ids: (!suppliers.is_empty()).then_some(suppliers),
            bank_account_id: Uuid::parse_str(&bank.get_untracked()).ok(),
            date: parse_date(&date.get_untracked()),
        });
    };
    view! {
        <section class=SECTION data-testid="propose-form">
            <h2 class="text-lg font-semibold">{t!(i18n, fpay.new_run)}</h2>
            {
                    let suppliers: Vec<(Uuid, String)> =
                        open.into_iter().map(|s| (s.supplier_id, s.supplier)).collect();
                    view! {
                        <form on:submit=submit novalidate class="mt-3 space-y-3">
                            <div class="grid gap-3 sm:grid-cols-3">
                                <div>
                                    <label for="run-due" class=LABEL_CLASS>{t!(i18n, fpay.due_by)}</label>
                                    <input id="run-due" type="date" class=INPUT_CLASS prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev)) />
                                    <p class="mt-1 text-sm text-red-700">{field("due_by")}</p>
                                </div>
                                <div>
                                    <label for="run-bank" class=LABEL_CLASS>{t!(i18n, fpay.bank_account)}</label>
                                    <select id="run-bank" class=INPUT_CLASS on:change=move |ev| bank.set(event_target_value(&ev))>
                                        {banks.into_iter().enumerate().map(|(i, b)| view! { <option value=b.id.to_string() selected=i == 0>{format!("{} — {}", b.code, b.name)}</option> }).collect_view()}
                                    </select>
                                    <p class="mt-1 text-sm text-red-700">{field("bank_account_id")}</p>
                                </div>
                                <div>
                                    <label for="run-date" class=LABEL_CLASS>{t!(i18n, fpay.payment_date)}</label>
                                    <input id="run-date" type="date" class=INPUT_CLASS prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                                    <p class="mt-1 text-sm text-red-700">{field("date")}</p>
                                </div>
                            </div>
                            {(!suppliers.is_empty()).then(|| view! {
                                <fieldset>
                                    <legend class=LABEL_CLASS>{t!(i18n, fpay.only_suppliers)}</legend>
                                    <div class="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                                        {suppliers.into_iter().map(|(id, name)| view! {
                                            <label class="inline-flex items-center gap-2 text-sm">
                                                <input type="checkbox" value=id.to_string()
                                                    on:change=move |ev| { let on = event_target_checked(&ev); chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } }); } />
                                                {isolate_ltr_runs(&name)}
                                            </label>
                                        }).collect_view()}
                                    </div>
                                </fieldset>
                            })}
                            <FormError error=error />
                            <button type="submit" class=BUTTON_CLASS data-testid="propose" disabled=move || propose.pending().get()>{t!(i18n, fpay.propose)}</button>
                        </form>
                    }
            }
        </section>
    }
}

type LineAction = Action<(Uuid, Uuid, RunLineInput), Result<PaymentRun, AppError>>;

#[component]
pub fn PaymentRunPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let id = use_id_param();
    let line = Action::new(|(id, invoice, input): &(Uuid, Uuid, RunLineInput)| {
        let (id, invoice, input) = (*id, *invoice, input.clone());
        async move { set_payment_run_line(id, invoice, input).await }
    });
    let approve = Action::new(|id: &Uuid| {
        let id = *id;
        async move { approve_payment_run(id).await }
    });
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = line.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = approve.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let run = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_payment_run(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let line_error = Signal::derive(move || line.value().get().and_then(|r| r.err()));
    let approve_error = Signal::derive(move || approve.value().get().and_then(|r| r.err()));
    view! {
        <FinanceTabs />
        <p class="text-sm"><A href="/finance/payment-runs" attr:class="text-blue-900 underline">{t!(i18n, fpay.all_runs)}</A></p>
        <Transition>
            {move || Suspend::new(async move {
                let run = match run.await {
                    Ok(r) => r,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let u = user.await;
                let g = tenant_grouping(&u);
                let may_pay = matches!(&u, Ok(Some(u)) if u.can("payment:process"));
                let proposed = run.status == "proposed";
                let editable = may_pay && proposed;
                let (rid, due, paid, status) = (run.id, run.due_by, run.payment_date, run.status.clone());
                let c = run.currency.clone();
                let total = format_money(run.total, &c, g);
                let made = run.payments.len();
                let empty = run.suppliers.is_empty();
                view! {
                    <h1 class="text-2xl font-semibold"><span dir="ltr">{run.number.clone()}</span></h1>
                    <dl class="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid="run-header">
                        <div><dt class="text-slate-600">{t!(i18n, fin.status)}</dt><dd class="font-semibold" data-testid="run-status">{move || status_label(i18n, &status)}</dd></div>
                        <div><dt class="text-slate-600">{t!(i18n, fpay.due_by)}</dt><dd>{move || format_date(due, i18n.get_locale())}</dd></div>
                        <div><dt class="text-slate-600">{t!(i18n, fpay.payment_date)}</dt><dd>{move || format_date(paid, i18n.get_locale())}</dd></div>
                        <div><dt class="text-slate-600">{t!(i18n, fpay.total)}</dt><dd class="font-semibold tabular-nums" dir="ltr" data-testid="run-total">{total}</dd></div>
                    </dl>
                    {empty.then(|| view! { <p class="mt-6 text-slate-700">{t!(i18n, fpay.run_empty)}</p> })}
                    <ErrorDetailsOf error=line_error />
                    {run.suppliers.into_iter().map(|s| {
                        let c = c.clone();
                        let supplier_id = s.supplier_id;
                        view! {
                            <section class=SECTION data-testid="run-supplier">
                                <h2 class="flex flex-wrap items-baseline gap-x-3 text-lg font-semibold">
                                    <span>{isolate_ltr_runs(&s.supplier)}</span>
                                    <span class="ms-auto tabular-nums" dir="ltr">{format_money(s.total, &c, g)}</span>
                                </h2>
                                {(!proposed).then(|| view! {
                                    <p class="text-sm"><A href=format!("/finance/payments?supplier_id={supplier_id}") attr:class="text-blue-900 underline" attr:data-testid="payment-link">{t!(i18n, fpay.see_payment)}</A></p>
                                })}
                                <div class=TABLE_BOX>
                                    <table class="min-w-full divide-y divide-slate-200">
                                        <thead>
                                            <tr>
                                                <th scope="col" class=TH>{t!(i18n, fpay.invoice)}</th>
                                                <th scope="col" class=TH>{t!(i18n, fpay.due_date)}</th>
                                                <th scope="col" class=TH_NUM>{t!(i18n, fpay.to_pay)}</th>
                                            </tr>
                                        </thead>
                                        <tbody class="divide-y divide-slate-100">
                                            {s.invoices.into_iter().map(|i| {
                                                let due = i.due_date;
                                                let inv = i.supplier_invoice_id;
                                                let amount = i.amount;
                                                view! {
                                                    <tr data-testid="run-invoice">
                                                        <td class=TD><A href=format!("/finance/invoices/{inv}") attr:class="font-mono text-blue-900 underline" attr:dir="ltr">{i.supplier_number.clone()}</A>
                                                            <span class="block text-xs text-slate-600" dir="ltr">{i.invoice.clone()}</span></td>
                                                        <td class=format!("{TD} whitespace-nowrap")>{move || format_date(due, i18n.get_locale())}</td>
                                                        <td class=TD_NUM>
                                                            {if editable {
                                                                view! { <LineEditor run=rid invoice=inv amount=amount currency=c.clone() line=line /> }.into_any()
                                                            } else {
                                                                view! { <span dir="ltr">{format_money(amount, &c, g)}</span> }.into_any()
                                                            }}
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </section>
                        }
                    }).collect_view()}
                    {(editable && !empty).then(|| view! {
                        <div class="mt-6">
                            <FormError error=approve_error />
                            <button type="button" class=format!("{BUTTON_CLASS} mt-2") data-testid="approve-run" disabled=move || approve.pending().get()
                                on:click=move |_| { approve.dispatch(rid); }>{t!(i18n, fpay.approve)}</button>
                            <p class="mt-1 text-sm text-slate-700">{t!(i18n, fpay.approve_help)}</p>
                        </div>
                    })}
                    {(!proposed).then(|| view! {
                        <div class="mt-6 flex flex-wrap items-center gap-3">
                            {may_pay.then(|| view! {
                                <a href=format!("/api/v1/payment-runs/{rid}/bank-file") download="" class=BUTTON_CLASS data-testid="bank-file">{t!(i18n, fpay.bank_file)}</a>
                            })}
                            <span class="text-sm text-slate-700">{move || t_string!(i18n, fpay.payments_made, n = made).to_string()}</span>
                        </div>
                    })}
                }.into_any()
            })}
        </Transition>
    }
}

/// The last refusal of a line change, if any.
#[component]
fn ErrorDetailsOf(error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <ErrorDetails error=e /> })
}

/// What the run pays of one invoice, changed (Save) or dropped (Remove).
#[component]
fn LineEditor(
    run: Uuid,
    invoice: Uuid,
    amount: rust_decimal::Decimal,
    currency: String,
    line: LineAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(
        format_decimal(amount, minor_units(&currency), Grouping::Western).replace(',', ""),
    );
    let input_id = format!("run-amount-{invoice}");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // what is not a number is sent as a negative amount, for the service's own message
        let amount =
            typed_amount(&typed.get_untracked()).unwrap_or(rust_decimal::Decimal::NEGATIVE_ONE);
        line.dispatch((run, invoice, RunLineInput { amount }));
    };
    view! {
        <form on:submit=save novalidate class="flex items-center justify-end gap-2">
            <label for=input_id.clone() class="sr-only">{t!(i18n, fpay.to_pay)}</label>
            <input id=input_id class="w-32 rounded-md border border-slate-400 px-2 py-1 text-end tabular-nums" dir="ltr" inputmode="decimal"
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) data-testid="run-amount" />
            <button type="submit" class=SECONDARY disabled=move || line.pending().get()>{t!(i18n, fin.save)}</button>
            <button type="button" class=SECONDARY data-testid="drop-invoice" disabled=move || line.pending().get()
                on:click=move |_| { line.dispatch((run, invoice, RunLineInput { amount: rust_decimal::Decimal::ZERO })); }>{t!(i18n, fpay.remove)}</button>
        </form>
    }
}
