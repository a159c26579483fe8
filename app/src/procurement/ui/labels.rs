//! Translated names of statuses and actions.
use crate::i18n::Locale;
use crate::procurement::model::{Purpose, Status};
use leptos_i18n::td_string;

pub fn status(locale: Locale, s: Status) -> String {
    match s {
        Status::Draft => td_string!(locale, req.s_draft).to_string(),
        Status::Submitted => td_string!(locale, req.s_submitted).to_string(),
        Status::UnderReview => td_string!(locale, req.s_under_review).to_string(),
        Status::Approved => td_string!(locale, req.s_approved).to_string(),
        Status::Questioned => td_string!(locale, req.s_questioned).to_string(),
        Status::Rejected => td_string!(locale, req.s_rejected).to_string(),
        Status::Cancelled => td_string!(locale, req.s_cancelled).to_string(),
    }
}

pub fn status_class(s: Status) -> &'static str {
    match s {
        Status::Approved => "bg-green-100 text-green-900",
        Status::Rejected | Status::Cancelled => "bg-red-100 text-red-900",
        Status::Questioned => "bg-amber-100 text-amber-900",
        Status::UnderReview | Status::Submitted => "bg-blue-100 text-blue-900",
        Status::Draft => "bg-slate-200 text-slate-900",
    }
}

pub fn purpose(locale: Locale, p: Purpose) -> String {
    match p {
        Purpose::DailyOperations => td_string!(locale, req.daily_operations).to_string(),
        Purpose::Project => td_string!(locale, req.project).to_string(),
    }
}

pub fn step_status(locale: Locale, s: &str) -> String {
    match s {
        "pending" => td_string!(locale, req.st_pending).to_string(),
        "approved" => td_string!(locale, req.st_approved).to_string(),
        "rejected" => td_string!(locale, req.st_rejected).to_string(),
        "returned" => td_string!(locale, req.st_returned).to_string(),
        "cancelled" => td_string!(locale, req.st_cancelled).to_string(),
        _ => td_string!(locale, req.st_waiting).to_string(),
    }
}

pub fn action(locale: Locale, a: &str) -> String {
    match a {
        "submit" => td_string!(locale, req.a_submit).to_string(),
        "resubmit" => td_string!(locale, req.a_resubmit).to_string(),
        "approve" => td_string!(locale, req.a_approve).to_string(),
        "reject" => td_string!(locale, req.a_reject).to_string(),
        "send_back" => td_string!(locale, req.a_send_back).to_string(),
        "cancel" => td_string!(locale, req.a_cancel).to_string(),
        _ => td_string!(locale, req.a_escalate).to_string(),
    }
}

pub const ALL_STATUSES: [Status; 7] = [
    Status::Draft,
    Status::Submitted,
    Status::UnderReview,
    Status::Approved,
    Status::Questioned,
    Status::Rejected,
    Status::Cancelled,
];

pub fn po_status(locale: Locale, s: crate::procurement::model::orders::PoStatus) -> String {
    use crate::procurement::model::orders::PoStatus as P;
    match s {
        P::Draft => td_string!(locale, po.s_draft).to_string(),
        P::PendingApproval => td_string!(locale, po.s_pending_approval).to_string(),
        P::Approved => td_string!(locale, po.s_approved).to_string(),
        P::Sent => td_string!(locale, po.s_sent).to_string(),
        P::PartiallyReceived => td_string!(locale, po.s_partially_received).to_string(),
        P::Received => td_string!(locale, po.s_received).to_string(),
        P::Closed => td_string!(locale, po.s_closed).to_string(),
        P::Cancelled => td_string!(locale, po.s_cancelled).to_string(),
    }
}

pub fn po_status_class(s: crate::procurement::model::orders::PoStatus) -> &'static str {
    use crate::procurement::model::orders::PoStatus as P;
    match s {
        P::Approved | P::Received => "bg-green-100 text-green-900",
        P::Sent | P::PartiallyReceived => "bg-indigo-100 text-indigo-900",
        P::PendingApproval => "bg-blue-100 text-blue-900",
        P::Cancelled => "bg-red-100 text-red-900",
        P::Draft | P::Closed => "bg-slate-200 text-slate-900",
    }
}
