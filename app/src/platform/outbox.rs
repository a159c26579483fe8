//! The transactional e-mail outbox: a message is a row written in the same transaction as the
//! change that causes it, plus a `send_email` job. The server's mail worker claims the jobs with
//! SKIP LOCKED and delivers over SMTP with retries; a rolled-back change sends nothing.
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::platform::db::Tx;
use crate::platform::model::LANGUAGES;
use crate::platform::notifications::Notification;
use crate::platform::repo;
use std::sync::OnceLock;
use uuid::Uuid;

/// An e-mail to write to the outbox.
pub struct Email<'a> {
    pub to: &'a str,
    pub to_name: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
    /// file name, content type, bytes
    pub attachment: Option<(&'a str, &'a str, &'a [u8])>,
    pub doc_type: Option<&'a str>,
    pub doc_id: Option<Uuid>,
}

static PUBLIC_URL: OnceLock<String> = OnceLock::new();

/// The address links in e-mails point at (set once at start-up).
pub fn set_public_url(url: String) {
    let _ = PUBLIC_URL.set(url);
}

pub fn public_url() -> &'static str {
    PUBLIC_URL
        .get()
        .map(String::as_str)
        .unwrap_or("http://localhost:3000")
}

/// Writes the message and its delivery job; the caller's transaction commits both or neither.
pub async fn enqueue(tx: &mut Tx, tenant_id: Uuid, email: Email<'_>) -> AppResult<Uuid> {
    let (name, kind, bytes) = match email.attachment {
        Some((n, k, b)) => (Some(n), Some(k), Some(b)),
        None => (None, None, None),
    };
    let id = repo::outbox::insert_email(
        tx,
        &repo::outbox::NewEmail {
            tenant_id,
            to: email.to,
            to_name: email.to_name,
            subject: email.subject,
            body: email.body,
            attachment_name: name,
            attachment_type: kind,
            attachment: bytes,
            doc_type: email.doc_type,
            doc_id: email.doc_id,
        },
    )
    .await?;
    Ok(id)
}

/// Tells `users` of a document's event, in one statement: the in-app notification rows and their
/// live signal (`millwright_notifications`, heard by every server instance), and an e-mail of the
/// same sentence to each active user with an address, in the user's own language with a link to
/// the document (an outbox row and its delivery job each).
pub async fn notify_users(
    tx: &mut Tx,
    tenant_id: Uuid,
    users: &[Uuid],
    notification: &Notification,
) -> AppResult<()> {
    if users.is_empty() {
        return Ok(());
    }
    let (languages, subjects, bodies) = texts(notification);
    // inside `crate::platform::db::announced_after_commit` the live signals wait for the commit
    let deferred = crate::platform::db::defer_signals(
        users.iter().map(|u| format!("{tenant_id}:{u}")).collect(),
    );
    repo::outbox::insert_notifications_and_emails(
        tx,
        &repo::outbox::Telling {
            tenant_id,
            users,
            languages: &languages,
            subjects: &subjects,
            bodies: &bodies,
            kind: &notification.kind,
            doc_type: notification.doc_type.as_deref(),
            doc_id: notification.doc_id,
            doc_number: notification.doc_number.as_deref(),
            comment: notification.comment.as_deref(),
            signals_deferred: deferred,
        },
    )
    .await?;
    Ok(())
}

/// The e-mail of a notification in every language: language codes, subjects and bodies in the
/// same order (the first is the default language), for the statement that picks by recipient.
fn texts(notification: &Notification) -> (Vec<&'static str>, Vec<String>, Vec<String>) {
    let default = crate::platform::model::locale_code(Locale::default());
    let mut codes = vec![default];
    codes.extend(LANGUAGES.iter().filter(|c| **c != default));
    let (subjects, bodies) = codes
        .iter()
        .map(|code| mail_text(notification, code.parse::<Locale>().unwrap_or_default()))
        .unzip();
    (codes, subjects, bodies)
}

fn mail_text(notification: &Notification, locale: Locale) -> (String, String) {
    let subject = notification.text(locale);
    let body = match notification.link() {
        Some(link) => format!("{subject}\n\n{}{link}\n", public_url()),
        None => format!("{subject}\n"),
    };
    (subject, body)
}
