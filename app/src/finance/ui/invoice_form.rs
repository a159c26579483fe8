//! `/finance/invoices/new`: the entry of a supplier invoice. The supplier chosen, its orders with
//! goods received and not invoiced are offered; each order ticked fills in its lines (quantity:
//! what is open to invoice, price: the order's, tax rate: the item's), each editable or
//! removable; the supplier's number, the invoice date (today, the company's, by default), the due
//! date (blank: from the supplier's terms), in India the place of supply, notes; running totals
//! while typing; "Save draft" or "Save and submit". The service's field errors show at their
//! fields (`lines[i].quantity` at that line), a number entered before at the number.
use super::{parse_date, SECONDARY, SECTION};
use crate::error::AppError;
use crate::finance::billable::{BillableLine, BillableOrder, InvoiceFormFacts};
use crate::finance::invoice::{
    half_up, line_tax, InvoiceInput, InvoiceLineInput, SupplierInvoice, TaxRegime,
};
use crate::finance::invoice_api::{
    billable_for_supplier, create_supplier_invoice, get_invoice_form_facts,
};
use crate::format::{format_decimal, format_money, format_quantity, isolate_ltr_runs, Grouping};
use crate::i18n::*;
use crate::platform::ui::widgets::{
    tenant_grouping, use_user_resource, ErrorDetails, FieldMessage, FormError, BUTTON_CLASS,
    INPUT_CLASS, LABEL_CLASS,
};
use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

/// A number as typed: blank or not a number is none (grouping commas allowed).
pub(crate) fn typed(s: &str) -> Option<Decimal> {
    let s = s.trim().replace(',', "");
    if s.is_empty() {
        None
    } else {
        Decimal::from_str(&s).ok()
    }
}

/// The running totals of the lines as typed: (subtotal, tax), each line's amount and taxes
/// rounded to the currency as the server rounds them.
pub(crate) fn running_totals(
    lines: &[(Decimal, Decimal, Decimal)],
    regime: TaxRegime,
    places: u32,
) -> (Decimal, Decimal) {
    let mut sub = Decimal::ZERO;
    let mut tax = Decimal::ZERO;
    for (q, p, r) in lines {
        let amount = half_up(q * p, places);
        sub += amount;
        tax += line_tax(amount, *r, regime, places).total;
    }
    (sub, tax)
}

#[component]
pub fn NewInvoicePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let facts = Resource::new(|| (), |_| get_invoice_form_facts());
    view! {
        <super::FinanceTabs />
        <p class="text-sm"><A href="/finance/invoices" attr:class="underline">{t!(i18n, finv.back)}</A></p>
        <h1 class="mt-2 text-2xl font-semibold">{t!(i18n, finv.new_title)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let facts = match facts.await {
                    Ok(f) => f,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                view! { <InvoiceForm facts=facts grouping=g /> }.into_any()
            })}
        </Transition>
    }
}

/// One line of the invoice being entered.
#[derive(Clone, Copy)]
struct LineDraft {
    key: u32,
    line: StoredValue<BillableLine>,
    quantity: RwSignal<String>,
    price: RwSignal<String>,
    rate: RwSignal<String>,
}

type SaveAction = Action<(InvoiceInput, bool), Result<SupplierInvoice, AppError>>;

#[component]
fn InvoiceForm(facts: InvoiceFormFacts, grouping: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let currency = facts.currency.clone();
    let places = crate::format::minor_units(&currency);
    let india = facts.india;
    let today = facts.today;
    let suppliers = StoredValue::new(facts.suppliers.clone());
    let supplier = RwSignal::new(None::<Uuid>);
    let orders = RwSignal::new(None::<Result<Vec<BillableOrder>, AppError>>);
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let lines = RwSignal::new(Vec::<LineDraft>::new());
    let next = StoredValue::new(0u32);
    let number = RwSignal::new(String::new());
    let date = RwSignal::new(today.to_string());
    let due = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let load_error = RwSignal::new(None::<AppError>);
    // the keys of the lines as last sent, so `lines[i]` in an answer finds its line
    let sent = StoredValue::new(Vec::<u32>::new());
    let save: SaveAction = Action::new(|(input, submit): &(InvoiceInput, bool)| {
        let (input, submit) = (input.clone(), *submit);
        async move { create_supplier_invoice(input, submit).await }
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(inv)) = save.value().get() {
            navigate(&format!("/finance/invoices/{}", inv.id), Default::default());
        }
    });
    let pick_supplier = move |v: String| {
        let id = Uuid::parse_str(&v).ok();
        supplier.set(id);
        chosen.set(Vec::new());
        lines.set(Vec::new());
        orders.set(None);
        if let Some(id) = id {
            leptos::task::spawn_local(async move {
                let r = billable_for_supplier(id, None).await.map(|b| b.orders);
                if supplier.get_untracked() == Some(id) {
                    orders.set(Some(r));
                }
            });
        }
    };
    let toggle_order = move |order: Uuid, on: bool| {
        let Some(sup) = supplier.get_untracked() else {
            return;
        };
        if !on {
            chosen.update(|c| c.retain(|o| *o != order));
            lines.update(|ls| ls.retain(|l| l.line.with_value(|b| b.purchase_order_id != order)));
            return;
        }
        chosen.update(|c| c.push(order));
        leptos::task::spawn_local(async move {
            match billable_for_supplier(sup, Some(order)).await {
                Ok(b) => {
                    if !chosen.with_untracked(|c| c.contains(&order)) {
                        return;
                    }
                    load_error.set(None);
                    lines.update(|ls| {
                        for l in b.lines {
                            if ls.iter().any(|d| {
                                d.line.with_value(|x| {
                                    x.purchase_order_line_id == l.purchase_order_line_id
                                })
                            }) {
                                continue;
                            }
                            let k = next.get_value();
                            next.set_value(k + 1);
                            let quantity = if l.open > Decimal::ZERO {
                                l.open.normalize().to_string()
                            } else {
                                String::new()
                            };
                            ls.push(LineDraft {
                                key: k,
                                quantity: RwSignal::new(quantity),
                                price: RwSignal::new(l.unit_price.normalize().to_string()),
                                rate: RwSignal::new(
                                    l.tax_rate
                                        .map(|r| r.normalize().to_string())
                                        .unwrap_or_default(),
                                ),
                                line: StoredValue::new(l),
                            });
                        }
                    });
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    let regime = move || {
        let state = supplier.get().and_then(|s| {
            suppliers.with_value(|all| {
                all.iter().find(|x| x.id == s).and_then(|x| {
                    x.gstin
                        .as_ref()
                        .map(|g| g.chars().take(2).collect::<String>())
                })
            })
        });
        let p = place.get();
        let p = Some(p.trim().to_string()).filter(|p| !p.is_empty());
        TaxRegime::of(india, state.as_deref(), p.as_deref())
    };
    let totals = move || {
        let typed_lines: Vec<(Decimal, Decimal, Decimal)> = lines
            .get()
            .iter()
            .map(|l| {
                (
                    typed(&l.quantity.get()).unwrap_or_default(),
                    typed(&l.price.get()).unwrap_or_default(),
                    typed(&l.rate.get()).unwrap_or_default(),
                )
            })
            .collect();
        running_totals(&typed_lines, regime(), places)
    };
    let shown = move |d: Decimal| format_decimal(d, places, g);
    let send = move |submit: bool| {
        let Some(sup) = supplier.get_untracked() else {
            return;
        };
        let ls = lines.get_untracked();
        sent.set_value(ls.iter().map(|l| l.key).collect());
        let input = InvoiceInput {
            supplier_id: sup,
            number: number.get_untracked(),
            invoice_date: parse_date(&date.get_untracked()).unwrap_or(today),
            due_date: parse_date(&due.get_untracked()),
            place_of_supply: Some(place.get_untracked().trim().to_string())
                .filter(|p| india && !p.is_empty()),
            lines: ls
                .iter()
                .map(|l| InvoiceLineInput {
                    purchase_order_line_id: l.line.with_value(|b| b.purchase_order_line_id),
                    goods_receipt_line_id: None,
                    quantity: typed(&l.quantity.get_untracked()).unwrap_or_default(),
                    unit_price: typed(&l.price.get_untracked()).unwrap_or_default(),
                    tax_rate: typed(&l.rate.get_untracked()),
                    hsn_sac: l.line.with_value(|b| b.hsn_sac.clone()),
                })
                .collect(),
            notes: Some(notes.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        save.dispatch((input, submit));
    };
    let field = move |key: u32, name: &'static str| {
        move || {
            let i = sent.with_value(|s| s.iter().position(|k| *k == key))?;
            error
                .get()
                .and_then(|e| e.field_error(&format!("lines[{i}].{name}")))
                .map(|fe| view! { <p class="mt-1 text-sm text-red-700" role="alert">{fe.message(i18n.get_locale())}</p> })
        }
    };
    let c2 = currency.clone();
    view! {
        <form class="mt-4 space-y-4" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send(false); } data-testid="invoice-form">
            <section class=SECTION aria-labelledby="inv-supplier">
                <h2 id="inv-supplier" class="text-lg font-semibold">{t!(i18n, finv.step_supplier)}</h2>
                <label for="inv-supplier-id" class=LABEL_CLASS>{t!(i18n, finv.supplier)}</label>
                <select id="inv-supplier-id" class=INPUT_CLASS on:change=move |ev| pick_supplier(event_target_value(&ev))>
                    <option value="">{t!(i18n, finv.choose_supplier)}</option>
                    {facts.suppliers.iter().map(|s| view! { <option value=s.id.to_string()>{format!("{} — {}", s.code, s.name)}</option> }).collect_view()}
                </select>
                <FieldMessage error=error field="supplier_id" />
                {move || orders.get().map(|r| match r {
                    Err(e) => view! { <div class="mt-3"><ErrorDetails error=e /></div> }.into_any(),
                    Ok(os) if os.is_empty() => view! { <p class="mt-3 text-slate-700" data-testid="no-orders">{t!(i18n, finv.no_orders)}</p> }.into_any(),
                    Ok(os) => {
                        let c = c2.clone();
                        view! {
                            <fieldset class="mt-3" data-testid="orders">
                                <legend class="font-medium">{t!(i18n, finv.orders)}</legend>
                                <ul class="mt-2 space-y-2">
                                    {os.into_iter().map(|o| {
                                        let oid = o.id;
                                        let n = o.open_lines;
                                        view! {
                                            <li>
                                                <label class="flex min-h-11 items-center gap-3 rounded-md border border-slate-200 p-2">
                                                    <input type="checkbox" class="h-5 w-5" prop:checked=move || chosen.with(|c| c.contains(&oid))
                                                        on:change=move |ev| toggle_order(oid, event_target_checked(&ev)) />
                                                    <span class="font-mono" dir="ltr">{o.number.clone()}</span>
                                                    <span class="text-sm text-slate-700">{move || t_string!(i18n, finv.open_lines, n = n).to_string()}</span>
                                                    <span class="ms-auto text-sm tabular-nums" dir="ltr">{format_money(o.open_amount, &c, g)}</span>
                                                </label>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </fieldset>
                        }.into_any()
                    }
                })}
                {move || load_error.get().map(|e| view! { <div class="mt-3"><ErrorDetails error=e /></div> })}
            </section>
            <section class=SECTION aria-labelledby="inv-lines-h">
                <h2 id="inv-lines-h" class="text-lg font-semibold">{t!(i18n, finv.lines)}</h2>
                {move || lines.with(|l| l.is_empty()).then(|| view! { <p class="mt-2 text-sm text-slate-700">{t!(i18n, finv.no_lines)}</p> })}
                <FieldMessage error=error field="lines" />
                <div class="mt-2 space-y-3">
                    {move || lines.get().into_iter().map(|l| {
                        let k = l.key;
                        let b = l.line.get_value();
                        view! {
                            <fieldset class="grid gap-2 rounded-md border border-slate-200 p-3 sm:grid-cols-12" data-testid="form-line">
                                <legend class="px-1 text-sm font-medium"><bdi dir="ltr" class="font-mono">{b.purchase_order.clone()}</bdi>" · "{isolate_ltr_runs(&b.description)}</legend>
                                <p class="text-xs text-slate-700 sm:col-span-12">{move || t_string!(i18n, finv.line_facts,
                                    ordered = format_quantity(b.ordered, g), received = format_quantity(b.received, g),
                                    invoiced = format_quantity(b.invoiced, g), open = format_quantity(b.open, g), unit = b.unit.clone()).to_string()}</p>
                                <div class="sm:col-span-3">
                                    <label for=format!("inv-q-{k}") class=LABEL_CLASS>{t!(i18n, finv.quantity)}</label>
                                    <input id=format!("inv-q-{k}") inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || l.quantity.get() on:input=move |ev| l.quantity.set(event_target_value(&ev)) />
                                    {field(k, "quantity")}
                                </div>
                                <div class="sm:col-span-4">
                                    <label for=format!("inv-p-{k}") class=LABEL_CLASS>{t!(i18n, finv.unit_price)}</label>
                                    <input id=format!("inv-p-{k}") inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || l.price.get() on:input=move |ev| l.price.set(event_target_value(&ev)) />
                                    {field(k, "unit_price")}
                                </div>
                                <div class="sm:col-span-3">
                                    <label for=format!("inv-r-{k}") class=LABEL_CLASS>{t!(i18n, finv.tax_rate)}</label>
                                    <input id=format!("inv-r-{k}") inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || l.rate.get() on:input=move |ev| l.rate.set(event_target_value(&ev)) />
                                    {field(k, "tax_rate")}
                                    {field(k, "purchase_order_line_id")}
                                </div>
                                <div class="flex items-end sm:col-span-2">
                                    <button type="button" class=SECONDARY on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != k))>{t!(i18n, finv.remove_line)}</button>
                                </div>
                            </fieldset>
                        }
                    }).collect_view()}
                </div>
            </section>
            <section class=SECTION aria-labelledby="inv-head">
                <h2 id="inv-head" class="text-lg font-semibold">{t!(i18n, finv.step_details)}</h2>
                <div class="mt-2 grid gap-3 sm:grid-cols-2">
                    <div>
                        <label for="inv-number" class=LABEL_CLASS>{t!(i18n, finv.supplier_number)}</label>
                        <input id="inv-number" dir="ltr" class=INPUT_CLASS autocomplete="off" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
                        <FieldMessage error=error field="number" />
                    </div>
                    <div>
                        <label for="inv-date" class=LABEL_CLASS>{t!(i18n, finv.invoice_date)}</label>
                        <input id="inv-date" type="date" class=INPUT_CLASS prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                        <FieldMessage error=error field="invoice_date" />
                    </div>
                    <div>
                        <label for="inv-due" class=LABEL_CLASS>{t!(i18n, finv.due_date)}</label>
                        <input id="inv-due" type="date" class=INPUT_CLASS aria-describedby="inv-due-help" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev)) />
                        <p id="inv-due-help" class="mt-1 text-xs text-slate-700">{t!(i18n, finv.due_help)}</p>
                        <FieldMessage error=error field="due_date" />
                    </div>
                    {india.then(|| view! {
                        <div>
                            <label for="inv-place" class=LABEL_CLASS>{t!(i18n, finv.place_of_supply)}</label>
                            <input id="inv-place" dir="ltr" inputmode="numeric" maxlength="2" class=INPUT_CLASS aria-describedby="inv-place-help" prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev)) />
                            <p id="inv-place-help" class="mt-1 text-xs text-slate-700">{t!(i18n, finv.place_help)}</p>
                            <FieldMessage error=error field="place_of_supply" />
                        </div>
                    })}
                    <div class="sm:col-span-2">
                        <label for="inv-notes" class=LABEL_CLASS>{t!(i18n, finv.notes)}</label>
                        <textarea id="inv-notes" rows="2" class=INPUT_CLASS prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                        <FieldMessage error=error field="notes" />
                    </div>
                </div>
            </section>
            <dl class="flex flex-wrap gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="running-totals" aria-live="polite">
                <div><dt class="inline text-slate-700">{t!(i18n, finv.subtotal)}": "</dt><dd class="inline font-semibold tabular-nums" dir="ltr" data-testid="subtotal">{move || shown(totals().0)}</dd></div>
                <div><dt class="inline text-slate-700">{t!(i18n, finv.tax)}": "</dt><dd class="inline font-semibold tabular-nums" dir="ltr" data-testid="tax">{move || shown(totals().1)}</dd></div>
                <div><dt class="inline text-slate-700">{t!(i18n, finv.total)}": "</dt><dd class="inline font-semibold tabular-nums" dir="ltr" data-testid="total">{move || { let (s, t) = totals(); shown(s + t) }}</dd></div>
                <div class="w-full text-xs text-slate-700">{move || t_string!(i18n, finv.totals_help, currency = currency.clone()).to_string()}</div>
            </dl>
            <FormError error=error />
            <div class="flex flex-wrap gap-3">
                <button type="submit" class=SECONDARY data-testid="save-draft" disabled=move || save.pending().get() || supplier.get().is_none()>{t!(i18n, finv.save_draft)}</button>
                <button type="button" class=BUTTON_CLASS data-testid="save-submit" disabled=move || save.pending().get() || supplier.get().is_none()
                    on:click=move |_| send(true)>{t!(i18n, finv.save_submit)}</button>
            </div>
            <p class="text-sm text-slate-700">{t!(i18n, invoice_files.after_saving)}</p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn typed_numbers_read_with_grouping_and_blank_is_none() {
        assert_eq!(typed(" 1,23,456.5 "), Some(d("123456.5")));
        assert_eq!(typed(""), None);
        assert_eq!(typed("x"), None);
    }

    #[test]
    fn running_totals_round_each_line_as_the_server_does() {
        // 10 × 100 at 18 % within a state, and 3 × 0.333 at 18 %: 0.999 → 1.00, tax 0.18
        let (sub, tax) = running_totals(
            &[(d("10"), d("100"), d("18")), (d("3"), d("0.333"), d("18"))],
            TaxRegime::IntraState,
            2,
        );
        assert_eq!((sub, tax), (d("1001.00"), d("180.18")));
    }
}
