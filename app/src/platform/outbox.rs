//! The transactional e-mail outbox: a message is a row written in the same transaction as the
//! change that causes it, plus a `send_email` job. The server's mail worker claims the jobs with
//! SKIP LOCKED and delivers over SMTP with retries; a rolled-back change sends nothing.
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::platform::db::Tx;
use crate::platform::model::{parse_locale, LANGUAGES};
use crate::platform::notifications::Notification;
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
    let id = sqlx::query_scalar!(
        r#"with e as (
           insert into outbox_emails (tenant_id, to_address, to_name, subject, body_text, attachment_name, attachment_type,
                                      attachment, doc_type, doc_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id),
         j as (insert into jobs (tenant_id, kind, payload) select $1, 'send_email', jsonb_build_object('email_id', e.id) from e)
         select id as "id!" from e"#,
        tenant_id,
        email.to,
        email.to_name,
        email.subject,
        email.body,
        name,
        kind,
        bytes,
        email.doc_type,
        email.doc_id
    )
    .fetch_one(&mut **tx)
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
    // `signal` is read by the final select, so it runs (a plain WITH query runs only when read)
    sqlx::query!(
        "with n as (insert into notifications (tenant_id, user_id, kind, doc_type, doc_id, doc_number, comment)
                    select $1, u, $6, $7, $8, $9, $10 from unnest($2::uuid[]) u returning user_id),
              signal as (select pg_notify('millwright_notifications', $1::text || ':' || n.user_id::text) from n where not $11),
              r as (select email, display_name, coalesce(array_position($3::text[], language), 1) as lang
                      from users where id = any($2) and active and email <> ''),
              e as (insert into outbox_emails (tenant_id, to_address, to_name, subject, body_text, doc_type, doc_id)
                    select $1, r.email, r.display_name, ($4::text[])[r.lang], ($5::text[])[r.lang], $7, $8
                      from r returning id),
              j as (insert into jobs (tenant_id, kind, payload)
                    select $1, 'send_email', jsonb_build_object('email_id', e.id) from e)
         select count(*) from signal",
        tenant_id,
        users,
        &languages as &[&str],
        &subjects,
        &bodies,
        &notification.kind,
        notification.doc_type.as_deref(),
        notification.doc_id,
        notification.doc_number.as_deref(),
        notification.comment.as_deref(),
        deferred
    )
    .fetch_one(&mut **tx)
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
        .map(|code| mail_text(notification, parse_locale(code).unwrap_or_default()))
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
