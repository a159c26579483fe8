//! Where a user is signed in: one row per browser session bound to them, listed on the account
//! page and ended from there, by an administrator, or by a password reset or change.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod api;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;

/// One signed-in session of the caller.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionView {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session this request came with.
    pub current: bool,
    /// `created_at` and `last_seen_at` on the company's clock, for the page.
    pub signed_in_local: chrono::NaiveDateTime,
    pub seen_local: chrono::NaiveDateTime,
}

/// What a user agent says about the device: the browser and the system, when recognised
/// (product names, shown as they are in every language).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    pub browser: Option<&'static str>,
    pub system: Option<&'static str>,
}

/// Reads the browser and the system from a `User-Agent` header. Order matters: Edge and Opera
/// also say Chrome, Chrome also says Safari, Android also says Linux, iOS also says Mac OS X.
pub fn device(user_agent: &str) -> Device {
    let ua = user_agent;
    let has = |s: &str| ua.contains(s);
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if has("Firefox/") || has("FxiOS/") {
        Some("Firefox")
    } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
        Some("Chrome")
    } else if has("Safari/") && has("Version/") {
        Some("Safari")
    } else if has("curl/") {
        Some("curl")
    } else {
        None
    };
    let system = if has("iPhone") {
        Some("iPhone")
    } else if has("iPad") {
        Some("iPad")
    } else if has("Android") {
        Some("Android")
    } else if has("Windows") {
        Some("Windows")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Mac OS X") || has("Macintosh") {
        Some("macOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    Device { browser, system }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_and_system_are_read_from_common_user_agents() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", Some("Chrome"), Some("Windows")),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", Some("Edge"), Some("Windows")),
            ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", Some("Samsung Internet"), Some("Android")),
            ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", Some("Chrome"), Some("Android")),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", Some("Safari"), Some("iPhone")),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0", Some("Firefox"), Some("macOS")),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", Some("Firefox"), Some("Linux")),
            ("curl/8.5.0", Some("curl"), None),
            ("", None, None),
        ];
        for (ua, browser, system) in cases {
            assert_eq!(device(ua), Device { browser, system }, "{ua}");
        }
    }
}
