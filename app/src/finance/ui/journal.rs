//! `/finance/journal`: journal entries, newest first, paged, filtered by account, dates and
//! source, each with its lines; an accountant (`accounting:manage`) posts a manual entry with
//! running totals and reverses an entry.
use super::{
    amount_or_blank, parse_date, source_label, FinanceTabs, SECONDARY, SECTION, SOURCES, TD,
    TD_NUM, TH, TH_NUM,
};
use crate::error::AppError;
use crate::finance::api::{list_accounts, list_journal, post_journal_entry, reverse_journal_entry};
use crate::finance::model::{
    Account, JournalEntry, ManualEntryInput, ManualLineInput, ReverseEntryInput,
};
use crate::format::{format_date, format_money, isolate_ltr_runs, url_encode, Grouping};
use crate::i18n::*;
use crate::platform::ui::widgets::{
    tenant_grouping, use_user_resource, ErrorDetails, FieldMessage, FormError, Pager, BUTTON_CLASS,
    INPUT_CLASS, LABEL_CLASS,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

type PostAction = Action<ManualEntryInput, Result<JournalEntry, AppError>>;
type ReverseAction = Action<(Uuid, ReverseEntryInput), Result<JournalEntry, AppError>>;

#[component]
pub fn JournalPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let account = move || get("account_id").and_then(|a| Uuid::parse_str(&a).ok());
    let from = move || get("from").and_then(|d| parse_date(&d));
    let to = move || get("to").and_then(|d| parse_date(&d));
    let source = move || get("source").filter(|s| SOURCES.contains(&s.as_str()));
    let page = move || {
        get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let post = Action::new(|input: &ManualEntryInput| {
        let input = input.clone();
        async move { post_journal_entry(input).await }
    });
    let reverse = Action::new(|(id, input): &(Uuid, ReverseEntryInput)| {
        let (id, input) = (*id, input.clone());
        async move { reverse_journal_entry(id, input).await }
    });
    // read again after a change only: a refusal keeps the forms as typed
    let changed = RwSignal::new(0u32);
    let entries = Resource::new(
        move || (account(), from(), to(), source(), page(), changed.get()),
        |(a, f, t, s, p, _)| list_journal(a, f, t, s, p),
    );
    let accounts = Resource::new(|| (), |_| list_accounts());
    let writing = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = post.value().get() {
            writing.set(false);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = reverse.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <FinanceTabs />
        <h1 class="text-2xl font-semibold">{t!(i18n, fin.journal_title)}</h1>
        {move || post.value().get().and_then(|r| r.ok()).map(|e| { let n = e.number.clone(); view! {
            <p role="status" class="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">{move || t_string!(i18n, fin.posted, number = n.clone()).to_string()}</p>
        }})}
        <Transition>
            {move || Suspend::new(async move {
                let page_rows = match entries.await {
                    Ok(p) => p,
                    Err(e) => return view! { <ErrorDetails error=e /> }.into_any(),
                };
                let u = user.await;
                let g = tenant_grouping(&u);
                let (manage, today, currency) = match &u {
                    Ok(Some(u)) => (u.can("accounting:manage"), u.today, u.tenant.currency.code().to_string()),
                    _ => (false, NaiveDate::default(), String::new()),
                };
                // the filter lists every account that can hold entries; a new entry, the active ones
                let ledgers: Vec<Account> = accounts.await.unwrap_or_default().into_iter().filter(|a| !a.is_group).collect();
                let postable: Vec<Account> = ledgers.iter().filter(|a| a.active).cloned().collect();
                let chosen = account();
                let pages = page_rows.total.div_ceil(u64::from(page_rows.per_page)).max(1);
                let current = page_rows.page;
                let link = move |p: u32| {
                    let mut parts = vec![format!("page={p}")];
                    for (k, v) in [("account_id", account().map(|a| a.to_string())), ("from", from().map(|d| d.to_string())), ("to", to().map(|d| d.to_string())), ("source", source())] {
                        if let Some(v) = v { parts.push(format!("{k}={}", url_encode(&v))); }
                    }
                    format!("?{}", parts.join("&"))
                };
                let empty = page_rows.rows.is_empty();
                let options = postable;
                view! {
                    {manage.then(|| view! {
                        <div class="mt-4">
                            <button type="button" class=BUTTON_CLASS data-testid="new-entry" on:click=move |_| writing.update(|w| *w = !*w)>{t!(i18n, fin.new_entry)}</button>
                        </div>
                    })}
                    {move || (manage && writing.get()).then(|| view! { <EntryForm accounts=options.clone() today=today post=post grouping=g currency=currency.clone() /> })}
                    <Form method="GET" action="" attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
                        <div class="min-w-[12rem] flex-1">
                            <label for="j-account" class=LABEL_CLASS>{t!(i18n, fin.account)}</label>
                            <select id="j-account" name="account_id" class=INPUT_CLASS>
                                <option value="" selected=chosen.is_none()>{t!(i18n, fin.all_accounts)}</option>
                                {ledgers.into_iter().map(|a| view! { <option value=a.id.to_string() selected=chosen == Some(a.id)>{format!("{} — {}", a.code, a.name)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="j-from" class=LABEL_CLASS>{t!(i18n, fin.from)}</label>
                            <input id="j-from" name="from" type="date" class=INPUT_CLASS value=from().map(|d| d.to_string()).unwrap_or_default() />
                        </div>
                        <div>
                            <label for="j-to" class=LABEL_CLASS>{t!(i18n, fin.to)}</label>
                            <input id="j-to" name="to" type="date" class=INPUT_CLASS value=to().map(|d| d.to_string()).unwrap_or_default() />
                        </div>
                        <div>
                            <label for="j-source" class=LABEL_CLASS>{t!(i18n, fin.source)}</label>
                            <select id="j-source" name="source" class=INPUT_CLASS>
                                <option value="" selected=source().is_none()>{t!(i18n, fin.all_sources)}</option>
                                {SOURCES.into_iter().map(|s| view! { <option value=s selected=source().as_deref() == Some(s)>{move || source_label(i18n, s)}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class=BUTTON_CLASS>{t!(i18n, fin.filter)}</button>
                    </Form>
                    {empty.then(|| view! { <p class="mt-6 text-slate-700">{t!(i18n, fin.no_entries)}</p> })}
                    <div class="mt-4 space-y-4" data-testid="journal">
                        {page_rows.rows.into_iter().map(|e| view! { <EntryView entry=e manage=manage today=today reverse=reverse grouping=g /> }).collect_view()}
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
fn EntryView(
    entry: JournalEntry,
    manage: bool,
    today: NaiveDate,
    reverse: ReverseAction,
    grouping: Grouping,
) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let (id, date, src) = (entry.id, entry.date, entry.source.clone());
    let reversible = manage && entry.reversed_by.is_none() && entry.reverses.is_none();
    let reversed = entry.reversed_by.is_some();
    let open = RwSignal::new(false);
    let c = entry.currency.clone();
    view! {
        <article class="rounded-lg border border-slate-200 bg-white p-3" data-testid="entry">
            <header class="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span class="font-mono font-semibold" dir="ltr">{entry.number.clone()}</span>
                <span class="text-sm text-slate-700">{move || format_date(date, i18n.get_locale())}</span>
                <span class="rounded bg-slate-100 px-2 text-xs">{move || source_label(i18n, &src)}</span>
                {reversed.then(|| view! { <span class="rounded bg-amber-100 px-2 text-xs text-amber-900">{t!(i18n, fin.reversed)}</span> })}
                <span class="ms-auto text-sm font-semibold tabular-nums" dir="ltr">{format_money(entry.total, &c, g)}</span>
            </header>
            <p class="mt-1 text-sm">{isolate_ltr_runs(&entry.narration)}</p>
            <div class="relative mt-2 max-w-full overflow-x-auto">
                <table class="min-w-full divide-y divide-slate-200">
                    <thead>
                        <tr>
                            <th scope="col" class=TH>{t!(i18n, fin.account)}</th>
                            <th scope="col" class=TH_NUM>{t!(i18n, fin.debit)}</th>
                            <th scope="col" class=TH_NUM>{t!(i18n, fin.credit)}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {entry.lines.into_iter().map(|l| view! {
                            <tr>
                                <td class=TD><bdi class="font-mono" dir="ltr">{l.account_code.clone()}</bdi>" "{isolate_ltr_runs(&l.account_name)}
                                    {l.memo.clone().map(|m| view! { <span class="block text-xs text-slate-600">{isolate_ltr_runs(&m)}</span> })}</td>
                                <td class=TD_NUM dir="ltr">{amount_or_blank(l.debit, &c, g)}</td>
                                <td class=TD_NUM dir="ltr">{amount_or_blank(l.credit, &c, g)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {reversible.then(|| view! {
                <button type="button" class=format!("{SECONDARY} mt-2") data-testid="reverse" on:click=move |_| open.update(|o| *o = !*o)>{t!(i18n, fin.reverse)}</button>
                {move || open.get().then(|| view! { <ReverseForm id=id today=today reverse=reverse /> })}
            })}
        </article>
    }
}

#[component]
fn ReverseForm(id: Uuid, today: NaiveDate, reverse: ReverseAction) -> impl IntoView {
    let i18n = use_i18n();
    let date = RwSignal::new(today.to_string());
    let reason = RwSignal::new(String::new());
    let error = Signal::derive(move || reverse.value().get().and_then(|r| r.err()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let date = parse_date(&date.get()).unwrap_or(today);
        reverse.dispatch((
            id,
            ReverseEntryInput {
                date,
                reason: reason.get(),
            },
        ));
    };
    let (d_id, r_id) = (format!("rev-date-{id}"), format!("rev-reason-{id}"));
    view! {
        <form on:submit=submit novalidate class="mt-2 grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-3">
            <div>
                <label for=d_id.clone() class=LABEL_CLASS>{t!(i18n, fin.reverse_date)}</label>
                <input id=d_id type="date" class=INPUT_CLASS prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
            </div>
            <div class="sm:col-span-2">
                <label for=r_id.clone() class=LABEL_CLASS>{t!(i18n, fin.reason)}</label>
                <input id=r_id class=INPUT_CLASS prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                <FieldMessage error=error field="reason" />
            </div>
            <div class="sm:col-span-3">
                <FormError error=error />
                <button type="submit" class=format!("{BUTTON_CLASS} mt-2") disabled=move || reverse.pending().get()>{t!(i18n, fin.reverse)}</button>
            </div>
        </form>
    }
}

/// One line of the form being written.
#[derive(Clone, Copy)]
struct LineDraft {
    key: u32,
    account: RwSignal<String>,
    debit: RwSignal<String>,
    credit: RwSignal<String>,
    memo: RwSignal<String>,
}

impl LineDraft {
    fn new(key: u32) -> LineDraft {
        LineDraft {
            key,
            account: RwSignal::new(String::new()),
            debit: RwSignal::new(String::new()),
            credit: RwSignal::new(String::new()),
            memo: RwSignal::new(String::new()),
        }
    }
}

/// An amount as typed: blank is none; what is not a number counts as zero in the totals.
fn amount(s: &str) -> Option<Decimal> {
    let s = s.trim().replace(',', "");
    if s.is_empty() {
        None
    } else {
        Decimal::from_str(&s).ok()
    }
}

#[component]
fn EntryForm(
    accounts: Vec<Account>,
    today: NaiveDate,
    post: PostAction,
    grouping: Grouping,
    currency: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let g = grouping;
    let scale = crate::format::minor_units(&currency);
    let date = RwSignal::new(today.to_string());
    let narration = RwSignal::new(String::new());
    let next = StoredValue::new(2u32);
    let lines = RwSignal::new(vec![LineDraft::new(0), LineDraft::new(1)]);
    let accounts = StoredValue::new(accounts);
    let error = Signal::derive(move || post.value().get().and_then(|r| r.err()));
    let total = move |side: fn(&LineDraft) -> RwSignal<String>| -> Decimal {
        lines
            .get()
            .iter()
            .filter_map(|l| amount(&side(l).get()))
            .sum()
    };
    let debits = move || total(|l| l.debit);
    let credits = move || total(|l| l.credit);
    let shown = move |d: Decimal| crate::format::format_decimal(d, scale, g);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ManualEntryInput {
            date: parse_date(&date.get()).unwrap_or(today),
            narration: narration.get(),
            lines: lines
                .get()
                .iter()
                .map(|l| ManualLineInput {
                    account_id: Uuid::parse_str(&l.account.get()).unwrap_or_default(),
                    debit: amount(&l.debit.get()),
                    credit: amount(&l.credit.get()),
                    memo: Some(l.memo.get()).filter(|m| !m.trim().is_empty()),
                    ..Default::default()
                })
                .collect(),
        };
        post.dispatch(input);
    };
    let field = move |i: usize, name: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_error(&format!("lines[{i}].{name}")))
                .map(|fe| view! { <p class="mt-1 text-sm text-red-700">{fe.message(i18n.get_locale())}</p> })
        }
    };
    view! {
        <section class=SECTION aria-labelledby="je-new" data-testid="entry-form">
            <h2 id="je-new" class="text-lg font-semibold">{t!(i18n, fin.new_entry)}</h2>
            <form on:submit=submit novalidate class="mt-3 space-y-3">
                <div class="grid gap-3 sm:grid-cols-3">
                    <div>
                        <label for="je-date" class=LABEL_CLASS>{t!(i18n, fin.date)}</label>
                        <input id="je-date" type="date" class=INPUT_CLASS prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                        <FieldMessage error=error field="date" />
                    </div>
                    <div class="sm:col-span-2">
                        <label for="je-narration" class=LABEL_CLASS>{t!(i18n, fin.narration)}</label>
                        <input id="je-narration" class=INPUT_CLASS prop:value=move || narration.get() on:input=move |ev| narration.set(event_target_value(&ev)) />
                        <FieldMessage error=error field="narration" />
                    </div>
                </div>
                {move || lines.get().into_iter().enumerate().map(|(i, l)| {
                    let k = l.key;
                    view! {
                        <fieldset class="grid gap-2 rounded-md border border-slate-200 p-2 sm:grid-cols-12" data-testid="entry-line">
                            <legend class="sr-only">{t!(i18n, fin.line)}" "{i + 1}</legend>
                            <div class="sm:col-span-5">
                                <label for=format!("je-acc-{k}") class=LABEL_CLASS>{t!(i18n, fin.account)}</label>
                                <select id=format!("je-acc-{k}") class=INPUT_CLASS on:change=move |ev| l.account.set(event_target_value(&ev))>
                                    <option value="" selected=l.account.get_untracked().is_empty()>{t!(i18n, fin.choose_account)}</option>
                                    {accounts.get_value().into_iter().map(|a| { let v = a.id.to_string(); let sel = v == l.account.get_untracked(); view! { <option value=v selected=sel>{format!("{} — {}", a.code, a.name)}</option> } }).collect_view()}
                                </select>
                                {field(i, "account_id")}
                            </div>
                            <div class="sm:col-span-2">
                                <label for=format!("je-dr-{k}") class=LABEL_CLASS>{t!(i18n, fin.debit)}</label>
                                <input id=format!("je-dr-{k}") inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || l.debit.get() on:input=move |ev| l.debit.set(event_target_value(&ev)) />
                                {field(i, "debit")}
                            </div>
                            <div class="sm:col-span-2">
                                <label for=format!("je-cr-{k}") class=LABEL_CLASS>{t!(i18n, fin.credit)}</label>
                                <input id=format!("je-cr-{k}") inputmode="decimal" dir="ltr" class=INPUT_CLASS prop:value=move || l.credit.get() on:input=move |ev| l.credit.set(event_target_value(&ev)) />
                                {field(i, "credit")}
                            </div>
                            <div class="sm:col-span-2">
                                <label for=format!("je-memo-{k}") class=LABEL_CLASS>{t!(i18n, fin.memo)}</label>
                                <input id=format!("je-memo-{k}") class=INPUT_CLASS prop:value=move || l.memo.get() on:input=move |ev| l.memo.set(event_target_value(&ev)) />
                                {field(i, "memo")}
                            </div>
                            <div class="flex items-end sm:col-span-1">
                                <button type="button" class=SECONDARY disabled=move || lines.with(|ls| ls.len() <= 2)
                                    on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != k))>
                                    <span aria-hidden="true">"×"</span><span class="sr-only">{t!(i18n, fin.remove_line)}</span>
                                </button>
                            </div>
                        </fieldset>
                    }
                }).collect_view()}
                <button type="button" class=SECONDARY data-testid="add-line" on:click=move |_| {
                    let k = next.get_value();
                    next.set_value(k + 1);
                    lines.update(|ls| ls.push(LineDraft::new(k)));
                }>{t!(i18n, fin.add_line)}</button>
                <dl class="flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="entry-totals">
                    <div><dt class="inline text-slate-700">{t!(i18n, fin.total_debit)}": "</dt><dd class="inline font-semibold tabular-nums" dir="ltr">{move || shown(debits())}</dd></div>
                    <div><dt class="inline text-slate-700">{t!(i18n, fin.total_credit)}": "</dt><dd class="inline font-semibold tabular-nums" dir="ltr">{move || shown(credits())}</dd></div>
                    <div class="rounded px-1" class:bg-red-100=move || debits() != credits() class:text-red-800=move || debits() != credits()>
                        <dt class="inline">{t!(i18n, fin.difference)}": "</dt><dd class="inline font-semibold tabular-nums" dir="ltr">{move || shown((debits() - credits()).abs())}</dd>
                    </div>
                </dl>
                <FieldMessage error=error field="lines" />
                <FormError error=error />
                <button type="submit" class=BUTTON_CLASS disabled=move || post.pending().get()>{t!(i18n, fin.post)}</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::amount;
    use rust_decimal::Decimal;

    #[test]
    fn typed_amounts_read_with_or_without_grouping() {
        assert_eq!(amount(" 1,23,456.50 "), Some(Decimal::new(12345650, 2)));
        assert_eq!(amount(""), None);
        assert_eq!(amount("abc"), None);
    }
}
