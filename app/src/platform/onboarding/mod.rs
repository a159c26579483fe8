//! A new tenant: the public sign-up, and `millwright tenant create` for operators who keep sign-up
//! closed, make the same tenant — the platform's records plus each slice's first data.
use crate::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod api;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;

/// What a company gives to sign itself up (the REST body and the sign-up form).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SignUp {
    pub company_name: String,
    /// The company code users type at sign-in.
    pub slug: String,
    pub currency: String,
    pub time_zone: String,
    pub default_language: String,
    pub admin: FirstAdmin,
}

/// The tenant's first administrator.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FirstAdmin {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub password: String,
}

/// The currencies a tenant can keep its books in (those whose minor units the formatter knows).
pub const CURRENCIES: &[&str] = &[
    "INR", "USD", "EUR", "GBP", "AED", "SAR", "BDT", "SGD", "JPY", "AUD", "CAD", "CHF", "CNY",
    "LKR", "NPR", "ZAR",
];

/// Time zones offered by the sign-up form (REST takes any IANA name).
pub const TIME_ZONES: &[&str] = &[
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "UTC",
];

/// Company codes that would read as a part of the product.
const RESERVED: &[&str] = &[
    "admin",
    "api",
    "app",
    "auth",
    "help",
    "login",
    "millwright",
    "pkg",
    "root",
    "signup",
    "support",
    "system",
    "www",
];

/// The slug's rule: a lower-case letter, then 1–30 lower-case letters, digits or hyphens.
pub fn check_slug(slug: &str) -> Result<(), FieldError> {
    let mut chars = slug.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let len = slug.chars().count();
    if len < 2 {
        return Err(FieldError::TooShort);
    }
    if len > 31 {
        return Err(FieldError::TooLong);
    }
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !first_ok || !rest_ok || RESERVED.contains(&slug) {
        return Err(FieldError::Invalid);
    }
    Ok(())
}

/// A user name: 2–64 of lower-case letters, digits, `.`, `_` and `-` (as the database checks).
pub fn check_username(username: &str) -> Result<(), FieldError> {
    let len = username.chars().count();
    if len < 2 {
        return Err(FieldError::TooShort);
    }
    if len > 64 {
        return Err(FieldError::TooLong);
    }
    let ok = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(FieldError::Invalid)
    }
}

/// An e-mail address in its plain shape: one `@`, something before it, a dot in the domain, no
/// blanks (delivery is the real test; the verification link proves it).
pub fn check_email(email: &str) -> Result<(), FieldError> {
    if email.chars().count() > 254 {
        return Err(FieldError::TooLong);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(FieldError::Invalid);
    };
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(FieldError::Invalid)
    }
}

/// A name shown to people: 1–200 characters once trimmed.
fn check_name(name: &str) -> Result<(), FieldError> {
    match name.trim().chars().count() {
        0 => Err(FieldError::Required),
        n if n > 200 => Err(FieldError::TooLong),
        _ => Ok(()),
    }
}

impl SignUp {
    /// Trimmed and lower-cased where the rules say so.
    pub fn normalised(mut self) -> SignUp {
        self.company_name = self.company_name.trim().to_string();
        self.slug = self.slug.trim().to_ascii_lowercase();
        self.currency = self.currency.trim().to_ascii_uppercase();
        self.time_zone = self.time_zone.trim().to_string();
        self.default_language = self.default_language.trim().to_ascii_lowercase();
        self.admin.username = self.admin.username.trim().to_ascii_lowercase();
        self.admin.display_name = self.admin.display_name.trim().to_string();
        self.admin.email = self.admin.email.trim().to_ascii_lowercase();
        self
    }

    /// Every field's rule that needs no database and no time-zone table; field path → error.
    pub fn field_errors(&self) -> BTreeMap<String, FieldError> {
        let mut errors = BTreeMap::new();
        let mut put = |field: &str, r: Result<(), FieldError>| {
            if let Err(e) = r {
                errors.insert(field.to_string(), e);
            }
        };
        put("company_name", check_name(&self.company_name));
        put("slug", check_slug(&self.slug));
        put(
            "currency",
            if CURRENCIES.contains(&self.currency.as_str()) {
                Ok(())
            } else {
                Err(FieldError::Invalid)
            },
        );
        put(
            "default_language",
            if crate::platform::model::LANGUAGES.contains(&self.default_language.as_str()) {
                Ok(())
            } else {
                Err(FieldError::UnknownLanguage)
            },
        );
        put("admin.username", check_username(&self.admin.username));
        put("admin.display_name", check_name(&self.admin.display_name));
        put("admin.email", check_email(&self.admin.email));
        errors
    }

    pub fn validate(&self) -> Result<(), AppError> {
        let errors = self.field_errors();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// What a user of a paused company (its address not verified in time) may still reach: what a
/// user before two-factor enrolment may, and sending the verification link again. Everything else
/// answers 403 `EMAIL_VERIFICATION_REQUIRED`; pages show the pause instead of their content.
#[cfg(feature = "ssr")]
pub fn open_while_unverified(path: &str) -> bool {
    crate::platform::two_factor::open_before_enrolment(path) || path == "/sfn/resend_verification"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_company_code_is_a_letter_then_letters_digits_or_hyphens() {
        assert_eq!(check_slug("acme-2"), Ok(()));
        assert_eq!(check_slug("a"), Err(FieldError::TooShort));
        assert_eq!(check_slug("2acme"), Err(FieldError::Invalid));
        assert_eq!(check_slug("Acme"), Err(FieldError::Invalid));
        assert_eq!(check_slug("ac me"), Err(FieldError::Invalid));
        assert_eq!(check_slug("admin"), Err(FieldError::Invalid));
        assert_eq!(check_slug(&"a".repeat(32)), Err(FieldError::TooLong));
        assert_eq!(check_slug(&"a".repeat(31)), Ok(()));
    }

    #[test]
    fn e_mail_addresses_in_their_plain_shape() {
        assert_eq!(check_email("asha@example.in"), Ok(()));
        for bad in [
            "asha",
            "@example.in",
            "asha@example",
            "asha@.in",
            "a b@example.in",
            "a@b@c.in",
        ] {
            assert_eq!(check_email(bad), Err(FieldError::Invalid), "{bad}");
        }
    }

    #[test]
    fn a_sign_up_reports_every_bad_field_at_once() {
        let s = SignUp {
            company_name: " ".into(),
            slug: "X".into(),
            currency: "XYZ".into(),
            time_zone: "Asia/Kolkata".into(),
            default_language: "fr".into(),
            admin: FirstAdmin {
                username: "Asha Admin".into(),
                display_name: "Asha".into(),
                email: "asha".into(),
                password: "x".into(),
            },
        }
        .normalised();
        let e = s.field_errors();
        let fields: Vec<&str> = e.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "admin.email",
                "admin.username",
                "company_name",
                "currency",
                "default_language",
                "slug"
            ]
        );
    }
}
