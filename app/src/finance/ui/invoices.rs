//! `/finance/invoices`: supplier invoices, newest first, paged, filtered by status (and by
//! supplier from a row's link); and `/finance/invoices/{id}`: one invoice with its lines' match
//! against the order and the receipts, its taxes by head, TDS, journal entry and payments, and
//! the actions its status and the reader allow — Submit, Hold/Release, Cancel, and Approve or
//! Reject for the approver the engine waits on (who comes from the inbox, often on a phone).
use super::{FinanceTabs, SECONDARY, SECTION, TABLE_BOX, TD, TD_NUM, TH, TH_NUM};
use crate::error::AppError;
use crate::finance::billable::InvoiceDetail;
use crate::finance::invoice::{InvoiceLine, SupplierInvoice, TaxTotals};
use crate::finance::invoice_api::{
    list_supplier_invoices, supplier_invoice_action, supplier_invoice_detail,
};
use crate::format::{format_date, format_money, format_quantity, isolate_ltr_runs, Grouping};
use crate::i18n::*;
use crate::platform::ui::widgets::{
    tenant_grouping, use_id_param, use_user_resource, ErrorDetails, FormError, Pager, BUTTON_CLASS,
    INPUT_CLASS, LABEL_CLASS,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use uuid::Uuid;

pub(crate) type I18n = super::I18n;

/// The statuses the list filters by, in the order of an invoice's life.
pub(crate) const STATUSES: [&str; 8] = [
    "draft",
    "pending_approval",
    "awaiting_goods",
    "posted",
    "on_hold",
    "partially_paid",
    "paid",
    "cancelled",
];

/// The translated name of an invoice's status.
pub(crate) fn status_label(i18n: I18n, s: &str) -> String {
    match s {
        "draft" => t_string!(i18n, finv.st_draft),
        "pending_approval" => t_string!(i18n, finv.st_pending_approval),
        "awaiting_goods" => t_string!(i18n, finv.st_awaiting_goods),
        "posted" => t_string!(i18n, finv.st_posted),
        "on_hold" => t_string!(i18n, finv.st_on_hold),
        "partially_paid" => t_string!(i18n, finv.st_partially_paid),
        "paid" => t_string!(i18n, finv.st_paid),
        _ => t_string!(i18n, finv.st_cancelled),
    }
    .to_string()
}

/// The translated name of a match status (the invoice's or a line's).
pub(crate) fn match_label(i18n: I18n, s: &str) -> String {
    match s {
        "matched" => t_string!(i18n, finv.m_matched),
        "exception" => t_string!(i18n, finv.m_exception),
        "price_exception" => t_string!(i18n, finv.m_price_exception),
        "quantity_exception" => t_string!(i18n, finv.m_quantity_exception),
        _ => t_string!(i18n, finv.m_awaiting_goods),
    }
    .to_string()
}

/// Still owed and past its due date on `today`.
pub(crate) fn overdue(inv: &SupplierInvoice, today: NaiveDate) -> bool {
    inv.due_date < today
        && inv.amount_due > Decimal::ZERO
        && !matches!(inv.status.as_str(), "draft" | "cancelled" | "paid")
}

fn badge(status: &str) -> &'static str {
    match status {
        "posted" | "paid" | "matched" => "rounded bg-green-100 px-2 text-xs text-green-900",
        "draft" => "rounded bg-slate-100 px-2 text-xs text-slate-800",
        "cancelled" => "rounded bg-slate-200 px-2 text-xs text-slate-700 line-through",
        "exception" | "price_exception" | "quantity_exception" | "on_hold" => {
            "rounded bg-red-100 px-2 text-xs text-red-900"
        }
        _ => "rounded bg-amber-100 px-2 text-xs text-amber-900",
    }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let status = move || get("status").filter(|s| STATUSES.contains(&s.as_str()));
    let matched = move || get("match_status").filter(|m| m == "matched" || m == "exception");
    let supplier = move || get("supplier_id").and_then(|s| Uuid::parse_str(&s).ok());
    let page = move || {
        get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let invoices = Resource::new(
        move || (status(), matched(), supplier(), page()),
        |(s, m, sup, p)| list_supplier_invoices(s, m, sup, p),
    );
    view! {
        <FinanceTabs />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold">{t!(i18n, finv.title)}</h1>
        </div>
        <Transition>
            {move || Suspend::new(async move {
                let rows = match invoices.await {
                    Ok(p) => p,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let u = user.await;
                let g = tenant_grouping(&u);
                let (create, today) = match &u {
                    Ok(Some(u)) => (u.can("invoice:create"), u.today),
                    _ => (false, NaiveDate::default()),
                };
                let pages = rows.total.div_ceil(u64::from(rows.per_page)).max(1);
                let current = rows.page;
                let link = move |p: u32| {
                    let mut parts = vec![format!("page={p}")];
                    if let Some(s) = status() { parts.push(format!("status={s}")); }
                    if let Some(m) = matched() { parts.push(format!("match_status={m}")); }
                    if let Some(s) = supplier() { parts.push(format!("supplier_id={s}")); }
                    format!("?{}", parts.join("&"))
                };
                let chosen = status();
                let chosen_match = matched();
                let empty = rows.rows.is_empty();
                view! {
                    {create.then(|| view! {
                        <div class="mt-3">
                            <A href="/finance/invoices/new" attr:class=BUTTON_CLASS attr:data-testid="new-invoice">{t!(i18n, finv.new)}</A>
                        </div>
                    })}
                    <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
                        <div>
                            <label for="inv-status" class=LABEL_CLASS>{t!(i18n, finv.status)}</label>
                            <select id="inv-status" name="status" class=INPUT_CLASS>
                                <option value="" selected=chosen.is_none()>{t!(i18n, finv.all_statuses)}</option>
                                {STATUSES.into_iter().map(|s| view! { <option value=s selected=chosen.as_deref() == Some(s)>{move || status_label(i18n, s)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="inv-match" class=LABEL_CLASS>{t!(i18n, finv.match_filter)}</label>
                            <select id="inv-match" name="match_status" class=INPUT_CLASS>
                                <option value="" selected=chosen_match.is_none()>{t!(i18n, finv.all_matches)}</option>
                                {["matched", "exception"].into_iter().map(|m| view! { <option value=m selected=chosen_match.as_deref() == Some(m)>{move || match_label(i18n, m)}</option> }).collect_view()}
                            </select>
                        </div>
                        {supplier().map(|s| view! { <input type="hidden" name="supplier_id" value=s.to_string() /> })}
                        <button type="submit" class=BUTTON_CLASS>{t!(i18n, finv.filter)}</button>
                        {supplier().is_some().then(|| view! { <A href="/finance/invoices" attr:class="text-sm underline">{t!(i18n, finv.all_suppliers)}</A> })}
                    </Form>
                    {empty.then(|| view! { <p class="mt-6 text-slate-700">{t!(i18n, finv.none)}</p> })}
                    <div class=TABLE_BOX>
                        <table class="min-w-full divide-y divide-slate-200" data-testid="invoices">
                            <thead class="bg-slate-50">
                                <tr>
                                    <th scope="col" class=TH>{t!(i18n, finv.number)}</th>
                                    <th scope="col" class=TH>{t!(i18n, finv.supplier)}</th>
                                    <th scope="col" class=TH>{t!(i18n, finv.invoice_date)}</th>
                                    <th scope="col" class=TH>{t!(i18n, finv.due_date)}</th>
                                    <th scope="col" class=TH>{t!(i18n, finv.status)}</th>
                                    <th scope="col" class=TH_NUM>{t!(i18n, finv.total)}</th>
                                    <th scope="col" class=TH_NUM>{t!(i18n, finv.amount_due)}</th>
                                </tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {rows.rows.into_iter().map(|inv| view! { <Row inv=inv today=today grouping=g /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager current=current pages=pages
                        prev=(current > 1).then(|| link(current - 1))
                        next=(u64::from(current) < pages).then(|| link(current + 1)) />
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn Row(inv: SupplierInvoice, today: NaiveDate, grouping: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let late = overdue(&inv, today);
    let (date, due) = (inv.invoice_date, inv.due_date);
    let (st, m) = (inv.status.clone(), inv.match_status.clone());
    let (st_class, m_class) = (badge(&inv.status), badge(&inv.match_status));
    let exception = inv.match_status == "exception";
    let c = inv.currency.clone();
    view! {
        <tr data-testid="invoice-row">
            <td class=TD>
                <A href=format!("/finance/invoices/{}", inv.id) attr:class="font-mono font-semibold text-blue-900 underline" attr:dir="ltr">{inv.number.clone()}</A>
                <span class="block text-xs text-slate-700"><bdi dir="ltr">{inv.supplier_number.clone()}</bdi></span>
            </td>
            <td class=TD><A href=format!("/finance/invoices?supplier_id={}", inv.supplier_id) attr:class="hover:underline">{isolate_ltr_runs(&inv.supplier)}</A></td>
            <td class=format!("{TD} whitespace-nowrap")>{move || format_date(date, i18n.get_locale())}</td>
            <td class=format!("{TD} whitespace-nowrap") class:text-red-800=late class:font-semibold=late data-overdue=late.to_string()>
                {move || format_date(due, i18n.get_locale())}
                {late.then(|| view! { <span class="ms-1 rounded bg-red-100 px-1 text-xs text-red-900">{t!(i18n, finv.overdue)}</span> })}
            </td>
            <td class=TD>
                <span class=st_class>{move || status_label(i18n, &st)}</span>
                {exception.then(|| view! { " "<span class=m_class>{move || match_label(i18n, &m)}</span> })}
            </td>
            <td class=TD_NUM dir="ltr">{format_money(inv.total, &c, g)}</td>
            <td class=TD_NUM dir="ltr">{format_money(inv.amount_due, &c, g)}</td>
        </tr>
    }
}

/// `/finance/invoices/{id}`.
#[component]
pub fn InvoicePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let id = use_id_param();
    let changed = RwSignal::new(0u32);
    let detail = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => supplier_invoice_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let act = Action::new(
        |(id, action, comment): &(Uuid, &'static str, Option<String>)| {
            let (id, action, comment) = (*id, action.to_string(), comment.clone());
            async move { supplier_invoice_action(id, action, comment).await }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(_)) = act.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <FinanceTabs />
        <p class="text-sm"><A href="/finance/invoices" attr:class="underline">{t!(i18n, finv.back)}</A></p>
        <Transition>
            {move || Suspend::new(async move {
                let d = match detail.await {
                    Ok(d) => d,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let g = tenant_grouping(&user.await);
                view! { <Detail d=d grouping=g act=act /> }.into_any()
            })}
        </Transition>
    }
}

type ActAction = Action<(Uuid, &'static str, Option<String>), Result<SupplierInvoice, AppError>>;

#[component]
fn Detail(d: InvoiceDetail, grouping: Grouping, act: ActAction) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let inv = d.invoice.clone();
    let id = inv.id;
    let c = inv.currency.clone();
    let (date, due) = (inv.invoice_date, inv.due_date);
    let (st, m) = (inv.status.clone(), inv.match_status.clone());
    let (st_class, m_class) = (badge(&inv.status), badge(&inv.match_status));
    let status = inv.status.clone();
    let manage = d.can_manage;
    let may_submit = manage && status == "draft";
    let may_hold = manage && matches!(status.as_str(), "posted" | "partially_paid");
    let may_release = manage && status == "on_hold";
    let may_cancel = manage
        && matches!(
            status.as_str(),
            "draft" | "awaiting_goods" | "pending_approval"
        );
    let error = Signal::derive(move || act.value().get().and_then(|r| r.err()));
    let comment = RwSignal::new(String::new());
    let money = {
        let c = c.clone();
        move |v: Decimal| format_money(v, &c, g)
    };
    let submitted = status != "draft";
    let exception = inv.match_status == "exception";
    // "posts only once approved" is said while it waits; once decided, the route and history say it
    let undecided = exception && matches!(status.as_str(), "draft" | "pending_approval");
    view! {
        <header class="mt-2 flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <h1 class="text-2xl font-semibold"><bdi dir="ltr">{inv.number.clone()}</bdi></h1>
            <span class=st_class data-testid="invoice-status">{move || status_label(i18n, &st)}</span>
            <span class=m_class data-testid="match-status">{move || match_label(i18n, &m)}</span>
        </header>
        {move || act.value().get().and_then(|r| r.ok()).map(|inv| { let s = inv.status.clone(); view! {
            <p role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{move || t_string!(i18n, finv.now_status, status = status_label(i18n, &s)).to_string()}</p>
        }})}
        <dl class="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
            <div><dt class="text-slate-700">{t!(i18n, finv.supplier)}</dt><dd class="font-medium">{isolate_ltr_runs(&inv.supplier)}</dd></div>
            <div><dt class="text-slate-700">{t!(i18n, finv.supplier_number)}</dt><dd class="font-medium"><bdi dir="ltr">{inv.supplier_number.clone()}</bdi></dd></div>
            {d.supplier_gstin.clone().map(|gst| view! { <div><dt class="text-slate-700">{t!(i18n, finv.gstin)}</dt><dd class="font-mono"><bdi dir="ltr">{gst}</bdi></dd></div> })}
            <div><dt class="text-slate-700">{t!(i18n, finv.invoice_date)}</dt><dd>{move || format_date(date, i18n.get_locale())}</dd></div>
            <div><dt class="text-slate-700">{t!(i18n, finv.due_date)}</dt><dd>{move || format_date(due, i18n.get_locale())}</dd></div>
            {inv.place_of_supply.clone().map(|p| view! { <div><dt class="text-slate-700">{t!(i18n, finv.place_of_supply)}</dt><dd><bdi dir="ltr">{p}</bdi></dd></div> })}
            {inv.notes.clone().map(|n| view! { <div class="sm:col-span-2"><dt class="text-slate-700">{t!(i18n, finv.notes)}</dt><dd>{isolate_ltr_runs(&n)}</dd></div> })}
        </dl>
        {undecided.then(|| view! {
            <p class="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="exception-note">{t!(i18n, finv.exception_help)}</p>
        })}
        {d.can_decide.then(|| view! {
            <section class="mt-4 rounded-lg border border-blue-200 bg-blue-50 p-4" aria-labelledby="decide-heading" data-testid="decide">
                <h2 id="decide-heading" class="text-lg font-semibold">{t!(i18n, finv.decide)}</h2>
                <label for="inv-comment" class=LABEL_CLASS>{t!(i18n, finv.comment)}</label>
                <textarea id="inv-comment" rows="2" class=INPUT_CLASS prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                <div class="mt-3 flex flex-wrap gap-3">
                    <button type="button" data-testid="approve" class="min-h-11 flex-1 rounded-md bg-green-800 px-4 py-2 font-semibold text-white hover:bg-green-900 sm:flex-none" disabled=move || act.pending().get()
                        on:click=move |_| { act.dispatch((id, "approve", Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()))); }>{t!(i18n, finv.approve)}</button>
                    <button type="button" data-testid="reject" class="min-h-11 flex-1 rounded-md border border-red-700 bg-white px-4 py-2 font-semibold text-red-800 hover:bg-red-50 sm:flex-none" disabled=move || act.pending().get()
                        on:click=move |_| { act.dispatch((id, "reject", Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()))); }>{t!(i18n, finv.reject)}</button>
                </div>
            </section>
        })}
        <div class="mt-4 flex flex-wrap gap-3" data-testid="actions">
            {may_submit.then(|| view! { <button type="button" class=BUTTON_CLASS data-testid="submit" disabled=move || act.pending().get() on:click=move |_| { act.dispatch((id, "submit", None)); }>{t!(i18n, finv.submit)}</button> })}
            {may_hold.then(|| view! { <button type="button" class=SECONDARY data-testid="hold" disabled=move || act.pending().get() on:click=move |_| { act.dispatch((id, "hold", None)); }>{t!(i18n, finv.hold)}</button> })}
            {may_release.then(|| view! { <button type="button" class=SECONDARY data-testid="release" disabled=move || act.pending().get() on:click=move |_| { act.dispatch((id, "release", None)); }>{t!(i18n, finv.release)}</button> })}
            {may_cancel.then(|| view! { <button type="button" class="rounded-md border border-red-700 bg-white px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50" data-testid="cancel" disabled=move || act.pending().get() on:click=move |_| { act.dispatch((id, "cancel", None)); }>{t!(i18n, finv.cancel)}</button> })}
        </div>
        <div class="mt-2"><FormError error=error /></div>
        <section class=SECTION aria-labelledby="inv-lines">
            <h2 id="inv-lines" class="text-lg font-semibold">{t!(i18n, finv.lines)}</h2>
            <div class="space-y-3 mt-2">
                {inv.lines.iter().cloned().map(|l| view! { <LineView l=l currency=c.clone() grouping=g /> }).collect_view()}
            </div>
        </section>
        <section class=SECTION aria-labelledby="inv-totals">
            <h2 id="inv-totals" class="text-lg font-semibold">{t!(i18n, finv.totals)}</h2>
            <dl class="mt-2 max-w-md space-y-1 text-sm" data-testid="invoice-totals">
                <Amount label=move || t_string!(i18n, finv.subtotal).to_string() value=money(inv.subtotal) />
                {tax_rows(i18n, &inv.tax, &money)}
                <Amount label=move || t_string!(i18n, finv.total).to_string() value=money(inv.total) strong=true />
                {(inv.tds > Decimal::ZERO).then(|| view! { <Amount label=move || t_string!(i18n, finv.tds).to_string() value=format!("− {}", money(inv.tds)) /> })}
                <Amount label=move || t_string!(i18n, finv.amount_due).to_string() value=money(inv.amount_due) strong=true />
            </dl>
            {inv.entry_id.map(|_| view! {
                <p class="mt-3 text-sm"><A href="/finance/journal?source=supplier_invoice" attr:class="underline" attr:data-testid="journal-link">{t!(i18n, finv.journal)}</A></p>
            })}
        </section>
        <super::invoice_files::SupplierDocument id=id status=inv.status.clone() manage=manage />
        {(!d.payments.is_empty()).then(|| {
            let c = c.clone();
            view! {
                <section class=SECTION aria-labelledby="inv-payments">
                    <h2 id="inv-payments" class="text-lg font-semibold">{t!(i18n, finv.payments)}</h2>
                    <ul class="mt-2 space-y-1 text-sm">
                        {d.payments.iter().map(|p| { let date = p.date; view! {
                            <li><bdi class="font-mono" dir="ltr">{p.number.clone()}</bdi>" · "{move || format_date(date, i18n.get_locale())}" · "<span dir="ltr" class="tabular-nums">{format_money(p.amount, &c, g)}</span></li>
                        }}).collect_view()}
                    </ul>
                </section>
            }
        })}
        {submitted.then(|| view! { <crate::procurement::ui::timeline::ApprovalTimeline route=d.route.clone() history=d.history.clone() submitted=exception /> })}
    }
}

fn tax_rows(i18n: I18n, t: &TaxTotals, money: &impl Fn(Decimal) -> String) -> impl IntoView {
    let mut rows = Vec::new();
    for (label, v) in [
        ("cgst", t.cgst),
        ("sgst", t.sgst),
        ("igst", t.igst),
        ("tax", t.tax),
    ] {
        if v > Decimal::ZERO {
            let value = money(v);
            rows.push(view! { <Amount label=move || head_label(i18n, label) value=value /> });
        }
    }
    rows.collect_view()
}

fn head_label(i18n: I18n, head: &str) -> String {
    match head {
        "cgst" => t_string!(i18n, finv.cgst),
        "sgst" => t_string!(i18n, finv.sgst),
        "igst" => t_string!(i18n, finv.igst),
        _ => t_string!(i18n, finv.tax),
    }
    .to_string()
}

#[component]
fn Amount(
    #[prop(into)] label: Signal<String>,
    value: String,
    #[prop(optional)] strong: bool,
) -> impl IntoView {
    view! {
        <div class="flex justify-between gap-4" class:font-semibold=strong>
            <dt>{move || label.get()}</dt>
            <dd class="tabular-nums" dir="ltr">{value}</dd>
        </div>
    }
}

/// One line with its match: what was ordered, received and invoiced before, this invoice's
/// quantity and price, the variances and the verdict; an exception marked and explained.
#[component]
fn LineView(l: InvoiceLine, currency: String, grouping: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let m = l.matched.clone();
    let status = m.status.clone();
    let exception = matches!(status.as_str(), "price_exception" | "quantity_exception");
    let why = status.clone();
    let s2 = status.clone();
    let q = |v: Decimal| format_quantity(v, g);
    let money = |v: Decimal| format_money(v, &currency, g);
    let cell = |label: String, value: String, testid: &'static str| {
        view! {
            <div class="flex justify-between gap-2 sm:block">
                <dt class="text-slate-700">{label}</dt>
                <dd class="tabular-nums" dir="ltr" data-testid=testid>{value}</dd>
            </div>
        }
    };
    view! {
        <article class="rounded-md border p-3" class:border-red-400=exception class:bg-red-50=exception class:border-slate-200=!exception data-testid="invoice-line" data-match=status.clone()>
            <header class="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                {l.purchase_order.clone().map(|po| view! { <bdi class="font-mono text-sm" dir="ltr">{po}</bdi> })}
                <span class="font-medium">{isolate_ltr_runs(&l.description)}</span>
                {l.hsn_sac.clone().map(|h| view! { <span class="text-xs text-slate-700">"HSN "<bdi dir="ltr">{h}</bdi></span> })}
                <span class=badge(&status)>{move || match_label(i18n, &s2)}</span>
            </header>
            {exception.then(|| view! {
                <p class="mt-1 text-sm font-medium text-red-900" role="note">
                    <span aria-hidden="true">"⚠ "</span>
                    {move || if why == "price_exception" { t_string!(i18n, finv.x_price).to_string() } else { t_string!(i18n, finv.x_quantity).to_string() }}
                </p>
            })}
            {(status == "awaiting_goods").then(|| view! { <p class="mt-1 text-sm text-amber-900">{t!(i18n, finv.x_goods)}</p> })}
            <dl class="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-4 lg:grid-cols-8">
                {cell(t_string!(i18n, finv.ordered).to_string(), q(m.ordered), "ordered")}
                {cell(t_string!(i18n, finv.received).to_string(), q(m.received), "received")}
                {cell(t_string!(i18n, finv.invoiced_before).to_string(), q(m.invoiced_before), "invoiced-before")}
                {cell(t_string!(i18n, finv.this_invoice).to_string(), q(l.quantity), "quantity")}
                {cell(t_string!(i18n, finv.order_price).to_string(), money(m.order_price), "order-price")}
                {cell(t_string!(i18n, finv.unit_price).to_string(), money(l.unit_price), "unit-price")}
                {cell(t_string!(i18n, finv.qty_variance).to_string(), q(m.quantity_variance), "quantity-variance")}
                {cell(t_string!(i18n, finv.price_variance).to_string(), money(m.price_variance), "price-variance")}
            </dl>
            <p class="mt-2 text-sm text-end">
                <span class="text-slate-700">{t!(i18n, finv.amount)}": "</span>
                <span class="font-semibold tabular-nums" dir="ltr">{money(l.amount)}</span>
                <span class="text-slate-700">" + "{t!(i18n, finv.tax)}" "{format!("{}%", l.tax_rate)}": "</span>
                <span class="tabular-nums" dir="ltr">{money(l.tax.total)}</span>
            </p>
        </article>
    }
}
