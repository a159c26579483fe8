//! The supplier's document on a supplier invoice, shared by the server and the browser: when an
//! invoice's files may change (the server function listing them is in
//! [`crate::finance::invoice_files_api`]; upload, download and removal go through plain HTTP:
//! REST, and the page's forms, which work without JavaScript).
//!
//! The rule: until the invoice posts (a draft, one waiting for approval or for its goods) whoever
//! enters invoices adds and removes files freely. Once posted (also held, partly or fully paid)
//! the document the books rest on stays: it is not removed, and nothing is added beside it — but
//! a posted invoice that has no file yet may still receive its first one (a matched invoice posts
//! the moment it is saved and submitted, and the paper often comes later). A cancelled invoice's
//! files no longer change.
use crate::platform::files::FileRights;

/// What one who enters invoices (`invoice:create`) may do with the files of an invoice in
/// `status`.
pub fn rights(status: &str) -> FileRights {
    match status {
        "draft" | "pending_approval" | "awaiting_goods" => FileRights::editable(true),
        "posted" | "on_hold" | "partially_paid" | "paid" => FileRights {
            add: true,
            only_first: true,
            remove: false,
        },
        _ => FileRights::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_change_freely_until_the_invoice_posts_then_the_first_stays() {
        for s in ["draft", "pending_approval", "awaiting_goods"] {
            let r = rights(s);
            assert!(r.may_add(0) && r.may_add(3) && r.remove, "{s}");
        }
        for s in ["posted", "on_hold", "partially_paid", "paid"] {
            let r = rights(s);
            assert!(r.may_add(0), "{s}: a first document may still come");
            assert!(!r.may_add(1), "{s}: nothing beside the one it has");
            assert!(!r.remove, "{s}");
        }
        let r = rights("cancelled");
        assert!(!r.may_add(0) && !r.remove);
    }
}
