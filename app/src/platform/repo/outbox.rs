//! The outbox's statements: an e-mail and its delivery job, and a document event told to users
//! (their notifications, live signals and e-mails).
use sqlx::PgConnection;
use uuid::Uuid;

/// An e-mail's row in the outbox.
pub(crate) struct NewEmail<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) to: &'a str,
    pub(crate) to_name: Option<&'a str>,
    pub(crate) subject: &'a str,
    pub(crate) body: &'a str,
    pub(crate) attachment_name: Option<&'a str>,
    pub(crate) attachment_type: Option<&'a str>,
    pub(crate) attachment: Option<&'a [u8]>,
    pub(crate) doc_type: Option<&'a str>,
    pub(crate) doc_id: Option<Uuid>,
}

/// Writes the e-mail and its `send_email` job; returns the e-mail's id.
pub(crate) async fn insert_email(
    conn: &mut PgConnection,
    email: &NewEmail<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"with e as (
           insert into outbox_emails (tenant_id, to_address, to_name, subject, body_text, attachment_name, attachment_type,
                                      attachment, doc_type, doc_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id),
         j as (insert into jobs (tenant_id, kind, payload) select $1, 'send_email', jsonb_build_object('email_id', e.id) from e)
         select id as "id!" from e"#,
        email.tenant_id,
        email.to,
        email.to_name,
        email.subject,
        email.body,
        email.attachment_name,
        email.attachment_type,
        email.attachment,
        email.doc_type,
        email.doc_id
    )
    .fetch_one(conn)
    .await
}

/// A document's event told to users: who, what, and the e-mail's subject and body in every
/// language (`languages[i]` has `subjects[i]` and `bodies[i]`; the first is the default).
pub(crate) struct Telling<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) users: &'a [Uuid],
    pub(crate) languages: &'a [&'a str],
    pub(crate) subjects: &'a [String],
    pub(crate) bodies: &'a [String],
    pub(crate) kind: &'a str,
    pub(crate) doc_type: Option<&'a str>,
    pub(crate) doc_id: Option<Uuid>,
    pub(crate) doc_number: Option<&'a str>,
    pub(crate) comment: Option<&'a str>,
    /// The live signals are sent after the commit, not by this statement.
    pub(crate) signals_deferred: bool,
}

/// The in-app notification rows and their live signal (`millwright_notifications`, unless
/// deferred), and an e-mail with its delivery job to each active user with an address, in the
/// user's language; in one statement.
pub(crate) async fn insert_notifications_and_emails(
    conn: &mut PgConnection,
    t: &Telling<'_>,
) -> sqlx::Result<()> {
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
        t.tenant_id,
        t.users,
        t.languages as &[&str],
        t.subjects,
        t.bodies,
        t.kind,
        t.doc_type,
        t.doc_id,
        t.doc_number,
        t.comment,
        t.signals_deferred
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}
