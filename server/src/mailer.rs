//! The mail worker: claims `send_email` jobs from the PostgreSQL queue (SKIP LOCKED, so several
//! servers can run it), delivers each outbox message over SMTP with lettre, and retries failures
//! with exponential backoff (30 s, 1, 2, 4 … minutes, capped at an hour) up to `MAX_ATTEMPTS`,
//! after which the message is marked failed.
use app::platform::db::tenant_tx;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

pub const MAX_ATTEMPTS: i32 = 8;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url`: `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host` (TLS), as lettre reads them.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("MILLWRIGHT_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("MILLWRIGHT_MAIL_FROM: {e}"))?;
        Ok(Mailer { transport, from })
    }
}

struct Row {
    to_address: String,
    to_name: Option<String>,
    subject: String,
    body_text: String,
    attachment_name: Option<String>,
    attachment_type: Option<String>,
    attachment: Option<Vec<u8>>,
    status: String,
}

fn build(mailer: &Mailer, row: Row) -> Result<Message, String> {
    let to = Mailbox::new(
        row.to_name,
        row.to_address
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?,
    );
    let builder = Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(row.subject);
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(row.body_text);
    let message = match (row.attachment, row.attachment_name, row.attachment_type) {
        (Some(bytes), Some(name), Some(kind)) => {
            let kind = ContentType::parse(&kind).map_err(|e| format!("bad content type: {e}"))?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(text)
                    .singlepart(Attachment::new(name).body(bytes, kind)),
            )
        }
        _ => builder.singlepart(text),
    };
    message.map_err(|e| e.to_string())
}

/// Delivers what is due; returns how many were sent.
pub async fn run_once(pool: &PgPool, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let claimed: Vec<(Uuid, Uuid, serde_json::Value)> =
        sqlx::query!(r#"select tenant_id as "tenant_id!", id as "id!", payload as "payload!" from claim_jobs('send_email', 20, 120)"#).fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| (r.tenant_id, r.id, r.payload))
        .collect();
    let mut sent = 0;
    for (tenant_id, job_id, payload) in claimed {
        let Some(email_id) = payload
            .get("email_id")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<Uuid>().ok())
        else {
            let mut tx = tenant_tx(pool, tenant_id).await?;
            sqlx::query!(
                "update jobs set done_at = now(), last_error = 'no email_id' where id = $1",
                job_id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            continue;
        };
        let mut tx = tenant_tx(pool, tenant_id).await?;
        let row = sqlx::query_as!(
            Row,
            "select to_address, to_name, subject, body_text, attachment_name, attachment_type, attachment, status
               from outbox_emails where id = $1",
            email_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let attempts: i32 = sqlx::query_scalar!("select attempts from jobs where id = $1", job_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let result = match row {
            None => Ok(()),
            Some(r) if r.status != "pending" => Ok(()),
            Some(r) => match build(mailer, r) {
                Ok(message) => mailer
                    .transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            },
        };
        let mut tx = tenant_tx(pool, tenant_id).await?;
        match result {
            Ok(()) => {
                sqlx::query!("update outbox_emails set status = 'sent', sent_at = now(), attempts = $2, last_error = null where id = $1 and status = 'pending'", email_id, attempts)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query!(
                    "update jobs set done_at = now(), last_error = null where id = $1",
                    job_id
                )
                .execute(&mut *tx)
                .await?;
                sent += 1;
            }
            Err(e) if attempts >= MAX_ATTEMPTS => {
                tracing::error!(email = %email_id, error = %e, "e-mail undeliverable; giving up");
                sqlx::query!("update outbox_emails set status = 'failed', attempts = $2, last_error = $3 where id = $1", email_id, attempts, &e)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query!(
                    "update jobs set done_at = now(), last_error = $2 where id = $1",
                    job_id,
                    &e
                )
                .execute(&mut *tx)
                .await?;
            }
            Err(e) => {
                tracing::warn!(email = %email_id, attempts, error = %e, "e-mail not delivered; retrying");
                sqlx::query!(
                    "update outbox_emails set attempts = $2, last_error = $3 where id = $1",
                    email_id,
                    attempts,
                    &e
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!("update jobs set last_error = $2, locked_until = null,
                            run_at = now() + least(interval '1 hour', interval '30 seconds' * (2 ^ (attempts - 1)))
                      where id = $1", job_id, &e)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Runs the worker: woken every `every`, and at once when a job is queued (LISTEN on `jobs`
/// would be finer; two seconds keeps delivery prompt without it).
pub fn spawn(pool: PgPool, mailer: Mailer, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            loop {
                match run_once(&pool, &mailer).await {
                    Ok(n) if n >= 20 => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "mail worker failed");
                        break;
                    }
                }
            }
        }
    });
}
