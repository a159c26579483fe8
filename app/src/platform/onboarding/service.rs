//! Creating a tenant in one transaction: the platform's records (tenant, company, first plant,
//! department and cost centre, system roles, the first administrator), then each installed
//! slice's first data (its [`Provisioner`]), then the e-mail that verifies the address. Nothing of
//! it stays if any part fails.
use super::SignUp;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Locale;
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::{tenant_tx, Tx};
use crate::platform::outbox::{self, Email};
use crate::platform::permission::SYSTEM_ROLES;
use crate::platform::{password, repo};
use chrono::{Duration, Utc};
use leptos_i18n::td_string;
use sqlx::PgPool;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use uuid::Uuid;

/// How long a new tenant works without its address verified (a banner says so meanwhile), and
/// how long the verification link stays valid.
pub const VERIFY_WITHIN_DAYS: i64 = 7;

/// What a new tenant is made of so far, handed to each slice's provisioner.
pub struct Provisioned {
    pub tenant_id: Uuid,
    pub company_id: Uuid,
    pub plant_id: Uuid,
    pub plant_code: String,
    pub admin_id: Uuid,
    /// The tenant's language, for names a slice writes (a first warehouse's).
    pub locale: Locale,
}

pub type ProvisionFuture<'a> = Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>>;

/// A slice's first data in a new tenant (the approval engine's default rules, inventory's first
/// warehouse, later finance's chart of accounts), run in the tenant's creating transaction.
pub struct Provisioner {
    pub name: &'static str,
    pub run: for<'a> fn(&'a mut Tx, &'a Provisioned) -> ProvisionFuture<'a>,
}

static PROVISIONERS: OnceLock<&'static [&'static Provisioner]> = OnceLock::new();

/// Installed once by the shell (the slices' registrations); a second call changes nothing.
pub fn install(provisioners: &'static [&'static Provisioner]) {
    let _ = PROVISIONERS.set(provisioners);
}

fn provisioners() -> &'static [&'static Provisioner] {
    PROVISIONERS.get().copied().unwrap_or(&[])
}

/// How the tenant came to be (kept in the audit trail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    SignUp,
    CommandLine,
}

/// The tenant made, and the link that verifies its address (also sent by e-mail).
pub struct Created {
    pub tenant_id: Uuid,
    pub admin_id: Uuid,
    pub slug: String,
    pub verify_url: String,
}

/// Creates the tenant with everything a working tenant needs from its first minute.
pub async fn create_tenant(
    pool: &PgPool,
    ctx: &RequestCtx,
    input: SignUp,
    origin: Origin,
) -> AppResult<Created> {
    let input = input.normalised();
    let mut errors = input.field_errors();
    if input.time_zone.parse::<chrono_tz::Tz>().is_err() {
        errors.insert("time_zone".into(), FieldError::Invalid);
    }
    if let Err(e) = password::check_policy(&input.admin.password, &input.admin.username) {
        errors.insert("admin.password".into(), e);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let locale: Locale = input.default_language.parse().unwrap_or_default();
    let hash = password::hash(input.admin.password.clone()).await?;
    let indian = input.currency == "INR";

    // the transaction's tenant is the new tenant's own id: row-level security admits its rows only
    let tenant_id = Uuid::new_v4();
    let mut tx = tenant_tx(pool, tenant_id).await?;
    repo::tenants::insert_tenant(
        &mut tx,
        &repo::tenants::NewTenant {
            id: tenant_id,
            slug: &input.slug,
            name: &input.company_name,
            language: &input.default_language,
            currency: &input.currency,
            timezone: &input.time_zone,
            number_format: if indian { "indian" } else { "western" },
            // India's financial year starts in April
            fiscal_year_start_month: if indian { 4 } else { 1 },
            signup_email: &input.admin.email,
        },
    )
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => AppError::Taken("slug".into()),
        None => e.into(),
    })?;
    let company_id = repo::tenants::insert_company(&mut tx, tenant_id, &input.company_name).await?;
    // a first plant, department and cost centre, which the setup wizard renames or replaces
    let plant_code = "P01";
    let plant_id = repo::tenants::insert_plant(
        &mut tx,
        tenant_id,
        company_id,
        plant_code,
        td_string!(locale, signup.first_plant),
        &input.time_zone,
    )
    .await?;
    let administration = td_string!(locale, signup.first_department);
    let department_id =
        repo::tenants::insert_department(&mut tx, tenant_id, "ADM", administration, plant_id)
            .await?;
    repo::tenants::insert_cost_centre(&mut tx, tenant_id, "CC-ADM", administration, department_id)
        .await?;
    system_roles(&mut tx, tenant_id).await?;
    let admin_id = repo::tenants::insert_user(
        &mut tx,
        &repo::tenants::NewUser {
            tenant_id,
            username: &input.admin.username,
            email: &input.admin.email,
            display_name: &input.admin.display_name,
            password_hash: &hash,
            language: &input.default_language,
            department_id: Some(department_id),
            plant_id: Some(plant_id),
        },
    )
    .await?;
    repo::tenants::assign_role(&mut tx, tenant_id, admin_id, "Admin").await?;
    let made = Provisioned {
        tenant_id,
        company_id,
        plant_id,
        plant_code: plant_code.into(),
        admin_id,
        locale,
    };
    for p in provisioners() {
        tracing::debug!(provisioner = p.name, "provisioning a new tenant");
        (p.run)(&mut tx, &made).await?;
    }
    let verify_url = send_verification(
        &mut tx,
        tenant_id,
        admin_id,
        locale,
        (&input.admin.email, &input.admin.display_name),
    )
    .await?;
    audit::record(
        &mut tx,
        tenant_id,
        ctx,
        Entry {
            user_id: Some(admin_id),
            action: "create",
            entity: "tenant",
            entity_id: Some(tenant_id.to_string()),
            old: None,
            new: Some(serde_json::json!({
                "slug": input.slug, "name": input.company_name, "currency": input.currency,
                "time_zone": input.time_zone, "default_language": input.default_language,
                "origin": match origin { Origin::SignUp => "signup", Origin::CommandLine => "cli" },
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Created {
        tenant_id,
        admin_id,
        slug: input.slug,
        verify_url,
    })
}

/// The system roles with their grants (new tenants and the demo).
pub async fn system_roles(tx: &mut Tx, tenant_id: Uuid) -> Result<(), sqlx::Error> {
    for (role, grants) in SYSTEM_ROLES {
        let role_id = repo::tenants::upsert_system_role(tx, tenant_id, role).await?;
        for (permission, scope) in *grants {
            repo::tenants::grant(tx, tenant_id, role_id, permission, scope.as_str()).await?;
        }
    }
    Ok(())
}

/// A fresh single-use token for an e-mailed link (verification, invitation, reset): 32 random
/// bytes, URL-safe; only its hash is kept.
pub(crate) fn new_token() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Writes the verification link's token and its e-mail to `to` (address, name); the outbox sends
/// it after the commit.
async fn send_verification(
    tx: &mut Tx,
    tenant_id: Uuid,
    user_id: Uuid,
    l: Locale,
    to: (&str, &str),
) -> AppResult<String> {
    let token = new_token();
    repo::tenants::insert_user_token(
        tx,
        tenant_id,
        user_id,
        "verify_email",
        &crate::platform::service::token_hash(&token),
        Utc::now() + Duration::days(VERIFY_WITHIN_DAYS),
    )
    .await?;
    let url = format!("{}/verify-email?token={token}", outbox::public_url());
    let body = format!(
        "{}\n\n{}\n\n{url}\n\n{}",
        td_string!(l, signup.mail_greeting),
        td_string!(l, signup.mail_body),
        td_string!(l, signup.mail_footer),
    );
    outbox::enqueue(
        tx,
        tenant_id,
        Email {
            to: to.0,
            to_name: Some(to.1),
            subject: td_string!(l, signup.mail_subject),
            body: &body,
            attachment: None,
            doc_type: None,
            doc_id: None,
        },
    )
    .await?;
    Ok(url)
}

/// Days left for an unverified tenant to verify its address (0 when the time is up); `None` once
/// it is verified. Every signed-in user of the tenant sees the banner.
pub async fn verification_days_left(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Option<i64>> {
    ctx.principal()?;
    let Some((verified, created)) = repo::tenants::verification(tx).await? else {
        return Err(AppError::NotFound);
    };
    Ok(verified.is_none().then(|| {
        let left = created + Duration::days(VERIFY_WITHIN_DAYS) - Utc::now();
        // a part of a day counts as a day
        ((left.num_hours() + 23) / 24).max(0)
    }))
}

/// Sends the verification link again (a new one; earlier ones keep working until they expire),
/// to the address that signed up. For administrators; 422 once the address is verified.
pub async fn resend_verification(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<()> {
    let p = ctx.principal()?;
    p.require("tenant:manage")?;
    if verification_days_left(tx, ctx).await?.is_none() {
        return Err(AppError::InvalidState);
    }
    let (user_id, email, name) = repo::tenants::signup_contact(tx)
        .await?
        .ok_or(AppError::InvalidState)?;
    let locale: Locale = p.user.tenant.default_language.parse().unwrap_or_default();
    send_verification(tx, p.tenant_id, user_id, locale, (&email, &name)).await?;
    Ok(())
}

/// Marks the tenant's address verified from the e-mailed link; the link works once. An unknown,
/// used or expired token is 422 (`INVALID_STATE`), and says nothing about any tenant.
pub async fn verify_email(pool: &PgPool, token: &str) -> AppResult<Uuid> {
    let hash = crate::platform::service::token_hash(token.trim());
    let Some(tenant_id) = repo::tenants::user_token_tenant(pool, &hash).await? else {
        return Err(AppError::InvalidState);
    };
    let mut tx = tenant_tx(pool, tenant_id).await?;
    let Some(user_id) = repo::tenants::use_user_token(&mut tx, &hash, "verify_email").await? else {
        return Err(AppError::InvalidState);
    };
    repo::tenants::mark_email_verified(&mut tx).await?;
    audit::record(
        &mut tx,
        tenant_id,
        &RequestCtx {
            principal: None,
            locale: Locale::default(),
            ip: None,
            user_agent: None,
            request_id: String::new(),
        },
        Entry {
            user_id: Some(user_id),
            action: "verify_email",
            entity: "tenant",
            entity_id: Some(tenant_id.to_string()),
            old: None,
            new: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(tenant_id)
}

/// A tenant as the operator's `millwright tenant list` shows it.
pub struct TenantSummary {
    pub slug: String,
    pub name: String,
    pub currency: String,
    pub users: i64,
    pub created_at: chrono::DateTime<Utc>,
    pub verified: bool,
}

/// Every tenant (the operator's view: the owner's connection, which row-level security does not
/// restrict).
pub async fn list_tenants(owner: &PgPool) -> AppResult<Vec<TenantSummary>> {
    Ok(repo::tenants::list_tenants(owner)
        .await?
        .into_iter()
        .map(|r| TenantSummary {
            slug: r.slug,
            name: r.name,
            currency: r.currency,
            users: r.users,
            created_at: r.created_at,
            verified: r.verified,
        })
        .collect())
}

/// The public sign-up: refused while sign-up is closed (403), limited per IP like sign-in; the
/// new administrator is signed in at once.
pub async fn sign_up(
    state: &crate::platform::context::AppState,
    ctx: &RequestCtx,
    session: &tower_sessions::Session,
    input: SignUp,
) -> AppResult<crate::platform::model::SessionUser> {
    if !state.signup_open {
        return Err(AppError::Forbidden);
    }
    let ip_key = format!("signup:{}", ctx.ip.as_deref().unwrap_or("unknown"));
    if state.login_limiter.check_key(&ip_key).is_err() {
        tracing::warn!(ip = %ip_key, "sign-up rate limited");
        return Err(AppError::RateLimited);
    }
    let created = create_tenant(&state.pool, ctx, input, Origin::SignUp).await?;
    crate::platform::service::start_session(
        state,
        ctx,
        session,
        created.tenant_id,
        created.admin_id,
        Utc::now(),
    )
    .await?;
    let mut tx = tenant_tx(&state.pool, created.tenant_id).await?;
    let user = crate::platform::service::load_user(&mut tx, created.admin_id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(user)
}
