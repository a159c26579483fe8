//! Types of the platform slice shared by the browser and the server.
use crate::format::Grouping;
use crate::i18n::Locale;
use crate::platform::permission::Grant;
use crate::types::Currency;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const LANGUAGES: [&str; 5] = ["en", "hi", "bn", "te", "ar"];

/// The language's own name, shown in the language switch whatever the current language.
pub fn language_autonym(code: &str) -> &'static str {
    match code {
        "hi" => "हिन्दी",
        "bn" => "বাংলা",
        "te" => "తెలుగు",
        "ar" => "العربية",
        _ => "English",
    }
}

pub fn locale_code(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::hi => "hi",
        Locale::bn => "bn",
        Locale::te => "te",
        Locale::ar => "ar",
    }
}

/// Picks the best supported language from an `Accept-Language` header value.
pub fn negotiate_language(header: &str) -> Option<Locale> {
    let mut prefs: Vec<(f32, &str)> = header
        .split(',')
        .filter_map(|part| {
            let mut it = part.trim().split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((q, tag))
        })
        .collect();
    prefs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    prefs.into_iter().find_map(|(_, tag)| {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        primary.parse::<Locale>().ok()
    })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantInfo {
    pub slug: String,
    pub name: String,
    pub currency: Currency,
    pub default_language: String,
    pub timezone: String,
    pub number_format: Grouping,
    /// The last day a tenant whose sign-up address is not verified yet works (none once verified).
    pub verify_by: Option<chrono::NaiveDate>,
    /// The setup wizard is not finished.
    pub setup_pending: bool,
}

/// Who is signed in, as the UI needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub language: String,
    pub roles: Vec<String>,
    pub grants: Vec<Grant>,
    pub plant: Option<String>,
    /// Where the user sits, for data scopes (department, plant).
    #[serde(default)]
    pub department_id: Option<Uuid>,
    #[serde(default)]
    pub plant_id: Option<Uuid>,
    pub tenant: TenantInfo,
    /// Today in the tenant's time zone, decided on the server.
    pub today: NaiveDate,
    /// Signs in with a second factor (TOTP).
    #[serde(default)]
    pub totp_enabled: bool,
    /// Holds a role the tenant's policy requires a second factor for, and has none yet: sent to
    /// enrolment, refused everything else.
    #[serde(default)]
    pub totp_enrolment_required: bool,
}

impl SessionUser {
    pub fn can(&self, permission: &str) -> bool {
        self.grants.iter().any(|g| g.permission == permission)
    }

    /// The company's sign-up address was not verified within its days: the company is paused
    /// (sign-in, the verification link and sending it again still work) until it is.
    pub fn verification_lapsed(&self) -> bool {
        self.tenant.verify_by.is_some_and(|by| self.today > by)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub id: Uuid,
    /// Shown once; only its SHA-256 is stored.
    pub token: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_first_supported_language_by_weight() {
        assert_eq!(
            negotiate_language("fr-FR,fr;q=0.9,hi;q=0.8,en;q=0.7"),
            Some(Locale::hi)
        );
        assert_eq!(negotiate_language("ar-SA"), Some(Locale::ar));
        assert_eq!(negotiate_language("en;q=0.2, te;q=0.9"), Some(Locale::te));
        assert_eq!(negotiate_language("de, fr"), None);
        assert_eq!(negotiate_language(""), None);
    }
}

/// A choice in a select (a user, a plant): its id, code and name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Choice {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}
