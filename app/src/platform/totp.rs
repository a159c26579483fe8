//! Two-factor sign-in with TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, computed by the
//! `totp-rs` crate) and single-use recovery codes: the pure part, and the types the account page
//! shares with the server. The rules around them (enrolment, sign-in, policy) are in
//! [`crate::platform::two_factor`].
use serde::{Deserialize, Serialize};

/// What enrolment shows once: the secret as text (for typing into an app) and as a QR code.
/// (`Debug` shows none of it: it must never reach a log.)
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// Base32, as authenticator apps take it.
    pub secret: String,
    /// `otpauth://totp/…`, what the QR code holds.
    pub otpauth_uri: String,
    /// The QR code of `otpauth_uri`, an SVG document.
    pub qr_svg: String,
}

impl TotpSetup {
    /// The secret in groups of four characters, easier to read and type.
    pub fn secret_grouped(&self) -> String {
        group(&self.secret, 4, " ")
    }
}

/// Ten codes, each usable once in place of a code from the app; shown once (`Debug` hides them).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

impl std::fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSetup(***)")
    }
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodes({} × ***)", self.codes.len())
    }
}

/// The caller's two-factor state, for the account page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotpStatus {
    pub enabled: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// The tenant's policy requires it of one of the caller's roles.
    pub required: bool,
}

/// How many recovery codes enabling gives.
pub const RECOVERY_CODES: usize = 10;
/// Seconds per step.
pub const STEP_SECS: u64 = 30;
/// Digits of a code.
pub const DIGITS: usize = 6;
/// Steps accepted either side of the current one (clock skew).
pub const SKEW_STEPS: u64 = 1;
/// Characters of a recovery code (without its dashes).
const RECOVERY_LEN: usize = 16;
/// The characters of recovery codes: no 0/o, 1/l/i to be confused.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// `text` in groups of `size` characters joined by `sep`.
pub fn group(text: &str, size: usize, sep: &str) -> String {
    text.chars()
        .collect::<Vec<_>>()
        .chunks(size.max(1))
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(sep)
}

/// What a user typed in the code field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Typed {
    /// Six digits (spaces and dashes left out).
    Code(String),
    /// A recovery code, normalised (lower case, no dashes or spaces).
    Recovery(String),
    /// Neither.
    Invalid,
}

/// Reads a code field: a 6-digit code or a recovery code, whatever the case, spaces or dashes.
pub fn parse_typed(input: &str) -> Typed {
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if cleaned.len() == DIGITS && cleaned.bytes().all(|b| b.is_ascii_digit()) {
        Typed::Code(cleaned)
    } else if cleaned.len() == RECOVERY_LEN
        && cleaned.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
    {
        Typed::Recovery(cleaned)
    } else {
        Typed::Invalid
    }
}

#[cfg(feature = "ssr")]
pub use crypto::*;

#[cfg(feature = "ssr")]
mod crypto {
    use super::*;
    use rand::Rng;
    use sha2::{Digest, Sha256};
    use totp_rs::{Algorithm, Secret, TOTP};

    /// A new secret: 160 random bits, the length RFC 4226 recommends for HMAC-SHA-1.
    pub fn new_secret() -> Vec<u8> {
        let mut secret = vec![0u8; 20];
        rand::rngs::OsRng.fill(&mut secret[..]);
        secret
    }

    pub fn base32(secret: &[u8]) -> String {
        Secret::Raw(secret.to_vec()).to_encoded().to_string()
    }

    /// The secret of its base32 text (as an authenticator app reads it).
    pub fn secret_from_base32(text: &str) -> Option<Vec<u8>> {
        Secret::Encoded(text.to_string()).to_bytes().ok()
    }

    fn totp(secret: &[u8], digits: usize) -> TOTP {
        // the skew is applied by `verify`, which needs to know which step matched
        TOTP::new_unchecked(Algorithm::SHA1, digits, 0, STEP_SECS, secret.to_vec())
    }

    /// The code of `secret` for time step `step` (`digits` long: 6 here, 8 in RFC 6238's vectors).
    pub fn code_at(secret: &[u8], step: u64, digits: usize) -> String {
        totp(secret, digits).generate(step * STEP_SECS)
    }

    /// The time step of a Unix time.
    pub fn step_of(unix_secs: u64) -> u64 {
        unix_secs / STEP_SECS
    }

    /// Compares in time independent of where the two differ.
    fn same(a: &str, b: &str) -> bool {
        a.len() == b.len()
            && a.bytes()
                .zip(b.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y))
                == 0
    }

    /// The step `code` is valid for at `unix_secs`, within one step of clock skew either way and
    /// later than `last_step` (a code is accepted once); `None` if it is not valid.
    pub fn verify(
        secret: &[u8],
        code: &str,
        unix_secs: u64,
        last_step: Option<u64>,
    ) -> Option<u64> {
        let now = step_of(unix_secs);
        let mut found = None;
        // every candidate is computed and compared, so timing says nothing of which matched
        for step in now.saturating_sub(SKEW_STEPS)..=now + SKEW_STEPS {
            let fresh = last_step.is_none_or(|last| step > last);
            if same(&code_at(secret, step, DIGITS), code) && fresh && found.is_none() {
                found = Some(step);
            }
        }
        found
    }

    /// The `otpauth://` URI authenticator apps read from the QR code.
    pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> String {
        let enc = crate::format::url_encode;
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
            enc(issuer),
            enc(account),
            base32(secret),
            enc(issuer)
        )
    }

    /// The QR code of `text` as an SVG element (error correction M, dark on white, quiet zone
    /// included), for embedding in a page.
    pub fn qr_svg(text: &str) -> Option<String> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
        let svg = code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build();
        // the XML declaration has no place inside HTML
        Some(match svg.find("<svg") {
            Some(at) => svg[at..].to_string(),
            None => svg,
        })
    }

    /// A new recovery code, shown as `xxxx-xxxx-xxxx-xxxx` (16 characters of 31: about 79 bits).
    pub fn new_recovery_code() -> String {
        let mut rng = rand::rngs::OsRng;
        let raw: String = (0..RECOVERY_LEN)
            .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
            .collect();
        group(&raw, 4, "-")
    }

    /// What is stored of a recovery code: SHA-256 of its normalised form ([`parse_typed`]).
    pub fn recovery_hash(normalised: &str) -> Vec<u8> {
        Sha256::digest(normalised.as_bytes()).to_vec()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1: the 20-byte ASCII key and 8-digit codes.
    const RFC_KEY: &[u8] = b"12345678901234567890";
    const RFC_VECTORS: [(u64, &str); 6] = [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ];

    #[test]
    fn codes_match_the_rfc_6238_sha1_test_vectors() {
        for (time, expected) in RFC_VECTORS {
            assert_eq!(code_at(RFC_KEY, step_of(time), 8), expected, "T = {time}");
            // six digits are the same number modulo 10^6
            assert_eq!(
                code_at(RFC_KEY, step_of(time), 6),
                expected[2..],
                "T = {time}"
            );
            assert_eq!(
                verify(RFC_KEY, &expected[2..], time, None),
                Some(step_of(time)),
                "T = {time}"
            );
        }
    }

    #[test]
    fn one_step_of_clock_skew_is_accepted_two_are_not() {
        let time = 1_234_567_890;
        let step = step_of(time);
        let code = code_at(RFC_KEY, step, DIGITS);
        // the verifier's clock one step ahead or behind the app's
        assert_eq!(verify(RFC_KEY, &code, time + STEP_SECS, None), Some(step));
        assert_eq!(verify(RFC_KEY, &code, time - STEP_SECS, None), Some(step));
        // two steps either way
        assert_eq!(verify(RFC_KEY, &code, time + 2 * STEP_SECS, None), None);
        assert_eq!(verify(RFC_KEY, &code, time - 2 * STEP_SECS, None), None);
        assert_eq!(
            verify(RFC_KEY, "000000", time, None).is_some(),
            code == "000000"
        );
    }

    #[test]
    fn a_code_is_accepted_once_and_never_an_older_one() {
        let time = 2_000_000_000;
        let step = step_of(time);
        let code = code_at(RFC_KEY, step, DIGITS);
        assert_eq!(verify(RFC_KEY, &code, time, None), Some(step));
        // replayed within its window: the step was used
        assert_eq!(verify(RFC_KEY, &code, time, Some(step)), None);
        assert_eq!(verify(RFC_KEY, &code, time + STEP_SECS, Some(step)), None);
        // the previous step's code after this one was used
        let previous = code_at(RFC_KEY, step - 1, DIGITS);
        assert_eq!(verify(RFC_KEY, &previous, time, Some(step)), None);
        // the next step's code still works
        let next = code_at(RFC_KEY, step + 1, DIGITS);
        assert_eq!(
            verify(RFC_KEY, &next, time + STEP_SECS, Some(step)),
            Some(step + 1)
        );
    }

    #[test]
    fn secrets_uris_and_qr_codes_are_what_apps_read() {
        let secret = new_secret();
        assert_eq!(secret.len(), 20);
        assert_ne!(secret, new_secret());
        let b32 = base32(&secret);
        assert_eq!(b32.len(), 32);
        assert_eq!(secret_from_base32(&b32), Some(secret.clone()));
        assert_eq!(
            base32(RFC_KEY),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "RFC 4648 base32 of the RFC key"
        );
        let uri = otpauth_uri(RFC_KEY, "Millwright", "admin@demo");
        assert_eq!(
            uri,
            "otpauth://totp/Millwright:admin%40demo?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Millwright&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).expect("qr");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        let setup = TotpSetup {
            secret: "GEZDGNBVGY3TQOJQ".into(),
            otpauth_uri: uri,
            qr_svg: svg,
        };
        assert_eq!(setup.secret_grouped(), "GEZD GNBV GY3T QOJQ");
        assert_eq!(format!("{setup:?}"), "TotpSetup(***)");
        let codes = RecoveryCodes {
            codes: vec![new_recovery_code()],
        };
        assert_eq!(format!("{codes:?}"), "RecoveryCodes(1 × ***)");
    }

    #[test]
    fn recovery_codes_are_random_readable_and_typed_in_any_form() {
        let a = new_recovery_code();
        let b = new_recovery_code();
        assert_ne!(a, b);
        assert_eq!(a.len(), 19);
        assert_eq!(a.matches('-').count(), 3);
        let Typed::Recovery(norm) = parse_typed(&a) else {
            panic!("{a} not read as a recovery code");
        };
        assert_eq!(
            parse_typed(&a.to_uppercase().replace('-', " ")),
            Typed::Recovery(norm.clone())
        );
        assert_eq!(recovery_hash(&norm).len(), 32);
        assert_ne!(recovery_hash(&norm), recovery_hash("abcdabcdabcdabcd"));
        assert_eq!(parse_typed(" 123 456 "), Typed::Code("123456".into()));
        assert_eq!(parse_typed("12345"), Typed::Invalid);
        assert_eq!(parse_typed("1234567"), Typed::Invalid);
        assert_eq!(
            parse_typed("abcd-efgh-ijkl-mnop"),
            Typed::Invalid,
            "i and l are not in the alphabet"
        );
        assert_eq!(parse_typed(""), Typed::Invalid);
    }
}
