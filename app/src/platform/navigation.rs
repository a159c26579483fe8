//! What the slices register with the platform so that it names none of them: their modules in the
//! navigation and the page that shows each kind of document (a notification's link, an e-mail's).
//! The shell installs them ([`crate::shell`]) on the server at start-up and in the browser when the
//! app starts; both sides therefore render the same navigation.
use crate::i18n::Locale;
use std::sync::OnceLock;
use uuid::Uuid;

/// A module in the navigation and the permissions that make it visible.
pub struct Module {
    pub slug: &'static str,
    /// Where the module opens; modules still to come open a page that says so.
    pub href: &'static str,
    pub any_of: &'static [&'static str],
    /// Its name in a language.
    pub label: fn(Locale) -> String,
}

/// The page of a kind of document (`doc_type` as notifications and the approval engine name it).
pub struct DocPage {
    pub doc_type: &'static str,
    pub href: fn(Uuid) -> String,
}

/// Everything registered, in the navigation's order.
pub struct Navigation {
    pub modules: &'static [Module],
    pub pages: &'static [DocPage],
}

static NAVIGATION: OnceLock<&'static Navigation> = OnceLock::new();

/// Installs the registrations; a second call changes nothing.
pub fn install(navigation: &'static Navigation) {
    let _ = NAVIGATION.set(navigation);
}

fn installed() -> Option<&'static Navigation> {
    NAVIGATION.get().copied()
}

/// The registered modules (none before the shell installs them).
pub fn modules() -> &'static [Module] {
    installed().map(|n| n.modules).unwrap_or(&[])
}

/// The module of a slug.
pub fn module(slug: &str) -> Option<&'static Module> {
    modules().iter().find(|m| m.slug == slug)
}

/// Where a document is shown, if its kind registered a page.
pub fn page_of(doc_type: &str, id: Uuid) -> Option<String> {
    installed()?
        .pages
        .iter()
        .find(|p| p.doc_type == doc_type)
        .map(|p| (p.href)(id))
}
