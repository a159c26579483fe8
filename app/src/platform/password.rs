//! Password hashing with argon2id (memory 19 MiB, 2 iterations, 1 lane: the OWASP baseline),
//! always off the async threads, and the password policy.
use crate::error::{AppError, AppResult, FieldError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

fn argon2() -> AppResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|_| AppError::Internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_blocking(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

pub async fn hash(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| AppError::Internal)?
}

/// Verifies against `hash`, or against a fixed dummy hash when there is no user, so that an unknown
/// tenant or user costs the same time as a wrong password.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = hash.unwrap_or_else(|| DUMMY_HASH.to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        match argon2() {
            Ok(a) => a.verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

/// argon2id hash of a random string with the same parameters as real hashes.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$bWlsbHdyaWdodGR1bW15$0bmvjO7hyDa3w8m7V/7y1a9ZbXj4qFZ3rX4Ikq3Q7fE";

/// At least 12 characters, at most 256, and not the user name (in any case, trimmed).
pub fn check_policy(password: &str, username: &str) -> Result<(), FieldError> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(FieldError::TooShort);
    }
    if len > MAX_LEN {
        return Err(FieldError::TooLong);
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(FieldError::SameAsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_requires_twelve_characters_and_not_the_user_name() {
        assert_eq!(check_policy("short", "bob"), Err(FieldError::TooShort));
        assert_eq!(
            check_policy("elevenchars", "bob"),
            Err(FieldError::TooShort)
        );
        assert_eq!(
            check_policy("procurement_mgr", "procurement_mgr"),
            Err(FieldError::SameAsUsername)
        );
        assert_eq!(
            check_policy("PROCUREMENT_MGR", "procurement_mgr"),
            Err(FieldError::SameAsUsername)
        );
        assert_eq!(check_policy("Millwright-demo-1", "engineer"), Ok(()));
        // counted in characters, not bytes
        assert_eq!(check_policy("पासवर्ड१२३", "x"), Err(FieldError::TooShort));
        assert_eq!(
            check_policy(&"x".repeat(257), "bob"),
            Err(FieldError::TooLong)
        );
    }

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let h = hash_blocking("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let parsed = PasswordHash::new(&h).expect("parse");
        let a = argon2().expect("params");
        assert!(a.verify_password(b"correct horse battery", &parsed).is_ok());
        assert!(a.verify_password(b"wrong horse battery", &parsed).is_err());
    }

    #[test]
    fn the_dummy_hash_parses_so_unknown_users_pay_the_full_cost() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
