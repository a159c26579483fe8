//! The approval route of a document as a timeline (stages with approvers and due dates), and its
//! history of actions: shared by requisitions and purchase orders.
use super::labels;
use crate::approvals::model::{HistoryEntry, RouteStep};
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::ui::widgets::stage_label;
use leptos::prelude::*;

#[component]
pub fn ApprovalTimeline(
    route: Vec<RouteStep>,
    history: Vec<HistoryEntry>,
    /// whether the document went into approval (an empty route then means no stage applied)
    submitted: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
                    <section class="mt-6" aria-labelledby="timeline-heading">
                        <h2 id="timeline-heading" class="text-lg font-semibold">{t!(i18n, req.timeline)}</h2>
                        {if route.is_empty() {
                            if submitted {
                                view! { <p class="mt-2 text-slate-700">{t!(i18n, req.no_stages)}</p> }.into_any()
                            } else {
                                view! { <p class="mt-2 text-slate-700">{t!(i18n, req.no_route)}</p> }.into_any()
                            }
                        } else {
                            view! {
                                <ol class="mt-2 space-y-2 border-s-2 border-blue-200 ps-4" data-testid="timeline">
                                    {route.iter().map(|s| {
                                        let st = s.status.clone();
                                        let name = s.name.clone();
                                        let n = s.stage;
                                        let due = s.due_at.map(|d| d.date_naive());
                                        view! {
                                            <li class="rounded-md bg-white p-3 shadow-sm">
                                                <p class="font-medium">{move || { let locale = i18n.get_locale(); t_string!(i18n, req.stage, n = n, name = stage_label(locale, &name)).to_string() }}
                                                    " — "{move || labels::step_status(i18n.get_locale(), &st)}
                                                    {s.escalated.then(|| view! { <span class="ms-2 rounded bg-amber-100 px-2 text-xs text-amber-900">{t!(i18n, req.escalated)}</span> })}
                                                </p>
                                                <p class="text-sm text-slate-700">{s.approvers.join(", ")}</p>
                                                {due.map(|d| view! { <p class="text-sm text-slate-700">{t!(i18n, req.due)}": "{move || format_date(d, i18n.get_locale())}</p> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </section>
                    <section class="mt-6" aria-labelledby="history-heading">
                        <h2 id="history-heading" class="text-lg font-semibold">{t!(i18n, req.history)}</h2>
                        <ul class="mt-2 space-y-1 text-sm">
                            {history.iter().map(|a| {
                                let action = a.action.clone();
                                let at = a.at.date_naive();
                                let behalf = a.on_behalf_of.clone();
                                view! {
                                    <li>
                                        <span class="font-medium">{a.approver.clone()}</span>" · "
                                        {move || labels::action(i18n.get_locale(), &action)}
                                        {behalf.map(|b| view! { " ("{move || t_string!(i18n, req.on_behalf, name = b.clone()).to_string()}")" })}
                                        " · "{move || format_date(at, i18n.get_locale())}
                                        {a.comment.clone().map(|c| view! { <q class="ms-2 text-slate-700">{c}</q> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
    }
}
