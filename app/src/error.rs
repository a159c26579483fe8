//! The one error type of the application: carried from services to REST handlers and, through
//! `FromServerFnError`, to the browser, where it is rendered through i18n.
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A translatable message for one invalid field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooShort,
    TooLong,
    SameAsUsername,
    UnknownLanguage,
    WrongPassword,
    Mismatch,
    Invalid,
    InPast,
    NoLines,
    MustBePositive,
    NotNegative,
    TooManyDecimals,
    UnknownReference,
    /// A category moved under itself or one of its own branches.
    Cycle,
    /// A storage location that still holds stock (it cannot be deactivated).
    HasStock,
    CommentRequired,
    InvalidCondition,
    NoApprover,
    OwnDocument,
    Duplicate,
    NotApproved,
    NoSupplier,
    ExceedsQuantity,
    /// More stock than is available at the place.
    ExceedsAvailable,
    /// A receipt beyond what was ordered and the tenant's tolerance.
    ExceedsOrdered,
    FileType,
    Checksum,
    /// A named unit (UID) that is not in stock at the place: another item or place, or gone.
    UnitNotHere,
    /// As many units named as the quantity moved, no more, no fewer.
    UnitCount,
    /// The lots named for a movement hold less than its quantity at the place.
    LotsShort,
    /// A value that can no longer change (documents use it).
    Locked,
    /// A quantity in a unit that does not convert to the item's unit.
    NoConversion,
    /// A unit converted to itself.
    SameUnit,
    /// A journal entry whose debits and credits differ.
    Unbalanced,
    /// An account group where an account is needed (groups are not posted to).
    GroupAccount,
    /// More than is still due on an invoice.
    ExceedsDue,
    /// A state code that is not the one the GSTIN beside it names (its first two digits).
    StateMismatch,
    /// A GST or TDS field for a company outside India.
    IndiaOnly,
    /// A file that is neither a PDF nor an image scan (JPEG, PNG) where only those are kept (a
    /// supplier's invoice document).
    PdfOrImage,
}

/// Why a change that is otherwise well formed is refused: 422 `INVALID_STATE`, the message
/// saying why in the caller's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The tenant would be left without an active user holding the administration permissions.
    LastAdministrator,
    /// An administrator deactivating their own account.
    OwnAccount,
    /// System roles are copied, not changed or deleted.
    SystemRole,
    /// A posted supplier invoice keeps the supplier's document it has: none is removed or added
    /// beside it.
    DocumentKept,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "fields", rename_all = "snake_case")]
pub enum AppError {
    #[error("validation failed")]
    Validation(BTreeMap<String, FieldError>),
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("account locked")]
    AccountLocked,
    /// The password was right; the account signs in with a second factor and none was sent.
    #[error("two-factor code required")]
    TotpRequired,
    /// A wrong, replayed or used two-factor or recovery code (counts toward the lockout).
    #[error("invalid two-factor code")]
    InvalidTotp,
    /// The tenant's policy requires a second factor of this user, who has not set one up yet.
    #[error("two-factor enrolment required")]
    TotpEnrolmentRequired,
    /// The tenant's sign-up address was not verified within its 7 days: paused until it is.
    #[error("e-mail verification required")]
    VerificationRequired,
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("cross-site request refused")]
    OriginRejected,
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict,
    /// A value that must be unique and is already used (the field path), e.g. a company code: 409.
    #[error("already taken")]
    Taken(String),
    #[error("rate limited")]
    RateLimited,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("invalid state")]
    InvalidState,
    /// Posting into a closed accounting period: 422 `PERIOD_CLOSED`.
    #[error("period closed")]
    PeriodClosed,
    /// `INVALID_STATE` with its reason.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("bad request")]
    BadRequest,
    #[error("service unavailable")]
    Unavailable,
    /// The cause is logged on the server with the request id and never sent to the client.
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn field(name: &str, err: FieldError) -> Self {
        let mut map = BTreeMap::new();
        map.insert(name.to_string(), err);
        AppError::Validation(map)
    }

    /// The stable code of the REST error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "VALIDATION_ERROR",
            AppError::InvalidCredentials => "INVALID_CREDENTIALS",
            AppError::AccountLocked => "ACCOUNT_LOCKED",
            AppError::TotpRequired => "TOTP_REQUIRED",
            AppError::InvalidTotp => "INVALID_TOTP",
            AppError::TotpEnrolmentRequired => "TOTP_ENROLMENT_REQUIRED",
            AppError::VerificationRequired => "EMAIL_VERIFICATION_REQUIRED",
            AppError::Unauthenticated => "UNAUTHENTICATED",
            AppError::Forbidden | AppError::OriginRejected => "FORBIDDEN",
            AppError::NotFound => "NOT_FOUND",
            AppError::Conflict | AppError::Taken(_) => "CONFLICT",
            AppError::RateLimited => "RATE_LIMITED",
            AppError::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            AppError::InvalidState | AppError::Refused(_) => "INVALID_STATE",
            AppError::PeriodClosed => "PERIOD_CLOSED",
            AppError::BadRequest => "BAD_REQUEST",
            AppError::Unavailable => "SERVICE_UNAVAILABLE",
            AppError::Internal => "INTERNAL_ERROR",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_)
            | AppError::InvalidState
            | AppError::Refused(_)
            | AppError::PeriodClosed => 422,
            AppError::InvalidCredentials
            | AppError::AccountLocked
            | AppError::Unauthenticated
            | AppError::TotpRequired
            | AppError::InvalidTotp => 401,
            AppError::Forbidden
            | AppError::OriginRejected
            | AppError::TotpEnrolmentRequired
            | AppError::VerificationRequired => 403,
            AppError::NotFound => 404,
            AppError::Conflict | AppError::Taken(_) => 409,
            AppError::RateLimited => 429,
            AppError::PayloadTooLarge => 413,
            AppError::BadRequest => 400,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }

    /// The message in the caller's language.
    pub fn message(&self, locale: Locale) -> String {
        use leptos_i18n::td_string;
        match self {
            AppError::Validation(_) => td_string!(locale, errors.validation).to_string(),
            AppError::InvalidCredentials => {
                td_string!(locale, errors.invalid_credentials).to_string()
            }
            AppError::AccountLocked => td_string!(locale, errors.account_locked).to_string(),
            AppError::TotpRequired => td_string!(locale, totp.error_required).to_string(),
            AppError::InvalidTotp => td_string!(locale, totp.error_invalid).to_string(),
            AppError::TotpEnrolmentRequired => {
                td_string!(locale, totp.error_enrolment_required).to_string()
            }
            AppError::VerificationRequired => {
                td_string!(locale, signup.error_verification_required).to_string()
            }
            AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).to_string(),
            AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
            AppError::OriginRejected => td_string!(locale, errors.origin).to_string(),
            AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
            AppError::Conflict => td_string!(locale, errors.conflict).to_string(),
            AppError::Taken(_) => td_string!(locale, errors.taken).to_string(),
            AppError::RateLimited => td_string!(locale, errors.rate_limited).to_string(),
            AppError::PayloadTooLarge => td_string!(locale, errors.payload_too_large).to_string(),
            AppError::InvalidState => td_string!(locale, errors.invalid_state).to_string(),
            AppError::PeriodClosed => td_string!(locale, ledger.period_closed).to_string(),
            AppError::Refused(Refusal::LastAdministrator) => {
                td_string!(locale, users.refused_last_admin).to_string()
            }
            AppError::Refused(Refusal::OwnAccount) => {
                td_string!(locale, users.refused_own_account).to_string()
            }
            AppError::Refused(Refusal::SystemRole) => {
                td_string!(locale, users.refused_system_role).to_string()
            }
            AppError::Refused(Refusal::DocumentKept) => {
                td_string!(locale, invoice_files.e_kept).to_string()
            }
            AppError::BadRequest => td_string!(locale, errors.bad_request).to_string(),
            AppError::Unavailable => td_string!(locale, errors.unavailable).to_string(),
            AppError::Internal => td_string!(locale, errors.internal).to_string(),
        }
    }

    /// Field path → message in the caller's language (validation details).
    pub fn details(&self, locale: Locale) -> BTreeMap<String, String> {
        match self {
            AppError::Validation(fields) => fields
                .iter()
                .map(|(k, v)| (k.clone(), v.message(locale)))
                .collect(),
            AppError::Taken(field) => {
                BTreeMap::from([(field.clone(), FieldError::Duplicate.message(locale))])
            }
            _ => BTreeMap::new(),
        }
    }

    pub fn field_error(&self, name: &str) -> Option<FieldError> {
        match self {
            AppError::Validation(fields) => fields.get(name).copied(),
            AppError::Taken(field) if field == name => Some(FieldError::Duplicate),
            _ => None,
        }
    }
}

/// Its wire name (what a domain type's refusal says when it fails to deserialise).
impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

impl FieldError {
    /// Its wire name (`required`, `too_long`, …), as in the error envelope's details.
    pub fn code(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The field error of a wire name.
    pub fn from_code(code: &str) -> Option<FieldError> {
        serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
    }

    pub fn message(&self, locale: Locale) -> String {
        use leptos_i18n::td_string;
        match self {
            FieldError::Required => td_string!(locale, errors.field.required).to_string(),
            FieldError::TooShort => td_string!(locale, errors.field.too_short).to_string(),
            FieldError::TooLong => td_string!(locale, errors.field.too_long).to_string(),
            FieldError::SameAsUsername => {
                td_string!(locale, errors.field.same_as_username).to_string()
            }
            FieldError::UnknownLanguage => {
                td_string!(locale, errors.field.unknown_language).to_string()
            }
            FieldError::WrongPassword => {
                td_string!(locale, errors.field.wrong_password).to_string()
            }
            FieldError::Mismatch => td_string!(locale, errors.field.mismatch).to_string(),
            FieldError::Invalid => td_string!(locale, errors.field.invalid).to_string(),
            FieldError::InPast => td_string!(locale, errors.field.in_past).to_string(),
            FieldError::NoLines => td_string!(locale, errors.field.no_lines).to_string(),
            FieldError::MustBePositive => {
                td_string!(locale, errors.field.must_be_positive).to_string()
            }
            FieldError::NotNegative => td_string!(locale, errors.field.not_negative).to_string(),
            FieldError::TooManyDecimals => {
                td_string!(locale, errors.field.too_many_decimals).to_string()
            }
            FieldError::UnknownReference => {
                td_string!(locale, errors.field.unknown_reference).to_string()
            }
            FieldError::Cycle => td_string!(locale, places.cycle).to_string(),
            FieldError::HasStock => td_string!(locale, places.has_stock).to_string(),
            FieldError::CommentRequired => {
                td_string!(locale, errors.field.comment_required).to_string()
            }
            FieldError::InvalidCondition => {
                td_string!(locale, errors.field.invalid_condition).to_string()
            }
            FieldError::NoApprover => td_string!(locale, errors.field.no_approver).to_string(),
            FieldError::OwnDocument => td_string!(locale, errors.field.own_document).to_string(),
            FieldError::Duplicate => td_string!(locale, errors.field.duplicate).to_string(),
            FieldError::NotApproved => td_string!(locale, errors.field.not_approved).to_string(),
            FieldError::NoSupplier => td_string!(locale, errors.field.no_supplier).to_string(),
            FieldError::ExceedsQuantity => {
                td_string!(locale, errors.field.exceeds_quantity).to_string()
            }
            FieldError::ExceedsAvailable => {
                td_string!(locale, errors.field.exceeds_available).to_string()
            }
            FieldError::ExceedsOrdered => {
                td_string!(locale, errors.field.exceeds_ordered).to_string()
            }
            FieldError::FileType => td_string!(locale, errors.field.file_type).to_string(),
            FieldError::Checksum => td_string!(locale, errors.field.checksum).to_string(),
            FieldError::Locked => td_string!(locale, errors.field.locked).to_string(),
            FieldError::UnitNotHere => td_string!(locale, errors.field.unit_not_here).to_string(),
            FieldError::UnitCount => td_string!(locale, errors.field.unit_count).to_string(),
            FieldError::LotsShort => td_string!(locale, errors.field.lots_short).to_string(),
            FieldError::NoConversion => td_string!(locale, units.no_conversion).to_string(),
            FieldError::SameUnit => td_string!(locale, units.same_unit).to_string(),
            FieldError::Unbalanced => td_string!(locale, ledger.unbalanced).to_string(),
            FieldError::GroupAccount => td_string!(locale, ledger.group_account).to_string(),
            FieldError::ExceedsDue => td_string!(locale, ledger.exceeds_due).to_string(),
            FieldError::StateMismatch => {
                td_string!(locale, suppliertax.e_state_mismatch).to_string()
            }
            FieldError::IndiaOnly => td_string!(locale, suppliertax.e_india_only).to_string(),
            FieldError::PdfOrImage => td_string!(locale, invoice_files.e_file_type).to_string(),
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(_) | E::Deserialization(_) | E::Serialization(_) => AppError::BadRequest,
            E::Request(_) | E::Response(_) => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }
}

/// The constraint a unique violation names, when `err` is one.
#[cfg(feature = "ssr")]
pub fn unique_violation(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23505") => db.constraint(),
        _ => None,
    }
}

/// A database error, with a unique violation of one of `fields`' constraints (constraint name,
/// field) answered as that field's `Duplicate` (422); anything else maps as `From<sqlx::Error>`.
#[cfg(feature = "ssr")]
pub fn on_constraint(err: sqlx::Error, fields: &[(&str, &str)]) -> AppError {
    if let Some(name) = unique_violation(&err) {
        if let Some((_, field)) = fields.iter().find(|(c, _)| *c == name) {
            return AppError::field(field, FieldError::Duplicate);
        }
    }
    err.into()
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            sqlx::Error::RowNotFound => AppError::NotFound,
            sqlx::Error::Database(db) if db.code().as_deref() == Some("23505") => {
                AppError::Conflict
            }
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("40001") | Some("40P01")) =>
            {
                AppError::Conflict
            }
            // the ledger's own guards (migrations/…_ledger.sql), should the code's checks miss
            sqlx::Error::Database(db) if db.constraint() == Some("journal_entry_period_closed") => {
                AppError::PeriodClosed
            }
            sqlx::Error::Database(db) if db.constraint() == Some("journal_entry_balanced") => {
                AppError::field("lines", FieldError::Unbalanced)
            }
            // text PostgreSQL cannot store (a NUL byte, invalid encoding) is bad input, not a fault
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("22021") | Some("22P05")) =>
            {
                AppError::BadRequest
            }
            sqlx::Error::Database(db)
                if db
                    .code()
                    .as_deref()
                    .is_some_and(|c| c.starts_with("57P") || c.starts_with("08")) =>
            {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            _ => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// The error for a stable code, as carried in a redirect's query string.
    pub fn from_code(code: &str) -> Option<AppError> {
        Some(match code {
            "VALIDATION_ERROR" => AppError::Validation(Default::default()),
            "INVALID_CREDENTIALS" => AppError::InvalidCredentials,
            "ACCOUNT_LOCKED" => AppError::AccountLocked,
            "TOTP_REQUIRED" => AppError::TotpRequired,
            "INVALID_TOTP" => AppError::InvalidTotp,
            "TOTP_ENROLMENT_REQUIRED" => AppError::TotpEnrolmentRequired,
            "EMAIL_VERIFICATION_REQUIRED" => AppError::VerificationRequired,
            "UNAUTHENTICATED" => AppError::Unauthenticated,
            "FORBIDDEN" => AppError::Forbidden,
            "NOT_FOUND" => AppError::NotFound,
            "CONFLICT" => AppError::Conflict,
            "RATE_LIMITED" => AppError::RateLimited,
            "PAYLOAD_TOO_LARGE" => AppError::PayloadTooLarge,
            "INVALID_STATE" => AppError::InvalidState,
            "PERIOD_CLOSED" => AppError::PeriodClosed,
            "BAD_REQUEST" => AppError::BadRequest,
            "SERVICE_UNAVAILABLE" => AppError::Unavailable,
            "INTERNAL_ERROR" => AppError::Internal,
            _ => return None,
        })
    }
}
