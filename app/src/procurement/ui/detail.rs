//! A requisition: its lines, the approval route fixed at submission as a timeline with due times,
//! its history, and the actions the caller may take now.
use super::labels;
use crate::approvals::model::Action as Decision;
use crate::error::AppError;
use crate::format::{format_date, format_money, format_quantity, isolate_ltr_runs};
use crate::i18n::*;
use crate::platform::files::FileRights;
use crate::platform::ui::attachments::AttachmentsPanel;
use crate::platform::ui::widgets::{
    tenant_grouping, use_id_param, use_user_resource, ErrorDetails, BUTTON_CLASS, INPUT_CLASS,
    LABEL_CLASS,
};
use crate::procurement::api::{
    cancel_requisition, decide_requisition, get_requisition, list_attachments, submit_requisition,
};
use crate::procurement::model::Requisition;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

#[derive(Clone)]
enum Op {
    Submit,
    Cancel,
    Decide(Decision, Option<String>),
}

#[component]
pub fn RequisitionPage() -> impl IntoView {
    let user = use_user_resource();
    let i18n = use_i18n();
    let id = use_id_param();
    let op = Action::new(move |(id, op): &(Uuid, Op)| {
        let (id, op) = (*id, op.clone());
        async move {
            match op {
                Op::Submit => submit_requisition(id).await,
                Op::Cancel => cancel_requisition(id).await,
                Op::Decide(a, c) => decide_requisition(id, a, c).await,
            }
        }
    });
    let req = Resource::new(
        move || (id(), op.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_requisition(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let files = Resource::new(id, |id| async move {
        match id {
            Some(id) => list_attachments(id).await,
            None => Ok(Vec::new()),
        }
    });
    let op_error = move || op.value().get().and_then(|r| r.err());
    let comment = RwSignal::new(String::new());
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let grouping = tenant_grouping(&user.await);
                let r: Requisition = match req.await {
                    Ok(r) => r,
                    Err(_) => return view! { <crate::platform::ui::pages::NotFound /> }.into_any(),
                };
                let id = r.id;
                let currency = r.currency.clone();
                let status = r.status;
                let created = r.created_at.date_naive();
                view! {
                    <div class="flex flex-wrap items-center gap-3">
                        <h1 class="text-2xl font-semibold">{t!(i18n, req.detail, number = r.number.clone())}</h1>
                        <span data-testid="status" class=format!("rounded px-2 py-0.5 text-sm {}", labels::status_class(status))>
                            {move || labels::status(i18n.get_locale(), status)}
                        </span>
                    </div>
                    {move || op_error().map(|e| view! { <ErrorDetails error=e /> })}
                    <dl class="mt-4 grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4">
                        <div><dt class="text-sm text-slate-700">{t!(i18n, req.requester)}</dt><dd>{r.requester.clone()}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, req.department)}</dt><dd>{r.department.clone().unwrap_or_default()}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, req.purpose)}</dt><dd>{move || labels::purpose(i18n.get_locale(), r.purpose)}{r.project.clone().map(|p| format!(" · {p}"))}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, req.needed_by)}</dt><dd>{move || r.needed_by.map(|d| format_date(d, i18n.get_locale())).unwrap_or_else(|| "—".to_string())}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, req.created)}</dt><dd>{move || format_date(created, i18n.get_locale())}</dd></div>
                        <div><dt class="text-sm text-slate-700">{t!(i18n, req.total)}</dt><dd data-testid="total" class="font-semibold"><span dir="ltr">{format_money(r.total, &currency, grouping)}</span></dd></div>
                    </dl>
                    <div class="mt-4 overflow-x-auto">
                        <table data-testid="lines" class="stacked min-w-full border border-slate-200 bg-white text-sm">
                            <caption class="sr-only">{t!(i18n, req.lines)}</caption>
                            <thead class="bg-slate-100">
                                <tr>
                                    <th scope="col" class="px-3 py-2 text-start">"#"</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, req.description)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, req.quantity)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, req.price)}</th>
                                    <th scope="col" class="px-3 py-2 text-end">{t!(i18n, req.line_total)}</th>
                                    <th scope="col" class="px-3 py-2 text-start">{t!(i18n, req.supplier)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {r.lines.iter().map(|l| view! {
                                    <tr class="border-t border-slate-200">
                                        <td class="px-3 py-2" data-label="#">{l.line_no}</td>
                                        <td class="px-3 py-2" data-label=move || t_string!(i18n, req.description).to_string()>{isolate_ltr_runs(&l.description)}</td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, req.quantity).to_string()><span class="tabular-nums" dir="ltr">{format!("{} {}", format_quantity(l.quantity, grouping), l.unit)}</span></td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, req.price).to_string()><span class="tabular-nums" dir="ltr">{format_money(l.estimated_unit_price, &currency, grouping)}</span></td>
                                        <td class="px-3 py-2 text-end" data-label=move || t_string!(i18n, req.line_total).to_string()><span class="tabular-nums" dir="ltr">{format_money(l.line_total, &currency, grouping)}</span></td>
                                        <td class=if l.supplier.is_some() { "px-3 py-2" } else { "px-3 py-2 blank" } data-label=move || t_string!(i18n, req.supplier).to_string()>{l.supplier.clone().unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="mt-4 flex flex-wrap gap-3">
                        <Show when=move || r.can_edit>
                            <A href=format!("/procurement/requisitions/{id}/edit") attr:class="rounded-md border border-slate-400 px-4 py-2 font-semibold hover:bg-slate-100">{t!(i18n, req.edit)}</A>
                            <button type="button" class=BUTTON_CLASS on:click=move |_| { op.dispatch((id, Op::Submit)); }>{t!(i18n, req.submit)}</button>
                        </Show>
                        <Show when=move || r.can_cancel>
                            <button type="button" class="rounded-md border border-red-700 px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
                                on:click=move |_| { op.dispatch((id, Op::Cancel)); }>{t!(i18n, req.cancel)}</button>
                        </Show>
                    </div>
                    <Show when=move || r.can_decide>
                        <section class="mt-4 rounded-lg border border-blue-200 bg-blue-50 p-4" aria-labelledby="decide-heading">
                            <h2 id="decide-heading" class="sr-only">{t!(i18n, req.approve)}</h2>
                            <label for="comment" class=LABEL_CLASS>{t!(i18n, req.comment)}</label>
                            <textarea id="comment" rows="2" class=INPUT_CLASS prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                            <div class="mt-3 flex flex-wrap gap-3">
                                <button type="button" class="rounded-md bg-green-800 px-4 py-2 font-semibold text-white hover:bg-green-900"
                                    on:click=move |_| { op.dispatch((id, Op::Decide(Decision::Approve, Some(comment.get_untracked())))); }>{t!(i18n, req.approve)}</button>
                                <button type="button" class="rounded-md border border-amber-700 bg-white px-4 py-2 font-semibold text-amber-900 hover:bg-amber-50"
                                    on:click=move |_| { op.dispatch((id, Op::Decide(Decision::SendBack, Some(comment.get_untracked())))); }>{t!(i18n, req.send_back)}</button>
                                <button type="button" class="rounded-md border border-red-700 bg-white px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
                                    on:click=move |_| { op.dispatch((id, Op::Decide(Decision::Reject, Some(comment.get_untracked())))); }>{t!(i18n, req.reject)}</button>
                            </div>
                        </section>
                    </Show>
                    <AttachmentsPanel
                        download=format!("/api/v1/requisitions/{id}/attachments")
                        form=format!("/procurement/requisitions/{id}/attachments")
                        rights=FileRights::editable(r.can_edit) files=files
                        title=move || t_string!(i18n, att.title).to_string()
                        none=move || t_string!(i18n, att.none).to_string()
                        hint=move || t_string!(i18n, att.hint).to_string()
                        accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png" />
                    <super::timeline::ApprovalTimeline route=r.route.clone() history=r.approvals.clone() submitted=!matches!(status, crate::procurement::model::Status::Draft) />
                }.into_any()
            })}
        </Transition>
    }
}
