//! Tax registration numbers: an Indian GSTIN checked to its check character, or another
//! country's number kept as written.
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const BASE36: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn value(b: u8) -> Option<u32> {
    BASE36.iter().position(|&c| c == b).map(|p| p as u32)
}

/// The GSTIN check character over the first fourteen: base-36 values weighted 1, 2, 1, 2 …, each
/// product's base-36 digits added, and the check the complement of the sum modulo 36.
fn check_char(first14: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (i, &b) in first14.iter().enumerate() {
        let p = value(b)? * if i % 2 == 0 { 1 } else { 2 };
        sum += p / 36 + p % 36;
    }
    Some(BASE36[((36 - sum % 36) % 36) as usize])
}

/// An Indian GST identification number: the state code (01–38, or 97 and 99 for the centre's
/// special registrations), the holder's PAN, an entity number, `Z`, and the check character.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gstin(String);

impl Gstin {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit state code (`27` is Maharashtra): whether a supply is intra-state.
    pub fn state_code(&self) -> &str {
        &self.0[..2]
    }

    /// Whether `s` has a GSTIN's shape, whatever its check character says.
    fn shaped(s: &[u8]) -> bool {
        s.len() == 15
            && s[..2].iter().all(u8::is_ascii_digit)
            && s[2..7].iter().all(u8::is_ascii_uppercase)
            && s[7..11].iter().all(u8::is_ascii_digit)
            && s[11].is_ascii_uppercase()
            && s[12].is_ascii_alphanumeric()
            && s[12] != b'0'
            && s[13] == b'Z'
            && s[14].is_ascii_alphanumeric()
    }
}

impl FromStr for Gstin {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if !Gstin::shaped(b) {
            return Err(FieldError::Invalid);
        }
        let state: u32 = s[..2].parse().map_err(|_| FieldError::Invalid)?;
        if !((1..=38).contains(&state) || state == 97 || state == 99) {
            return Err(FieldError::Invalid);
        }
        if check_char(&b[..14]) != Some(b[14]) {
            return Err(FieldError::Checksum);
        }
        Ok(Gstin(s))
    }
}

impl TryFrom<String> for Gstin {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Gstin> for String {
    fn from(g: Gstin) -> String {
        g.0
    }
}

impl fmt::Display for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gstin({})", self.0)
    }
}

/// A supplier's or a plant's tax registration. Whatever has a GSTIN's shape must be a valid
/// GSTIN (a typo is caught by its check character); anything else is another country's number:
/// 1 to 30 capital letters, digits, `-`, `/` or `.`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TaxId {
    Gstin(Gstin),
    Other(String),
}

impl TaxId {
    pub fn gstin(&self) -> Option<&Gstin> {
        match self {
            TaxId::Gstin(g) => Some(g),
            TaxId::Other(_) => None,
        }
    }
}

impl FromStr for TaxId {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_uppercase();
        if Gstin::shaped(s.as_bytes()) {
            return s.parse().map(TaxId::Gstin);
        }
        let ok = (1..=30).contains(&s.len())
            && s.bytes().all(|b| {
                b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.')
            });
        if ok {
            Ok(TaxId::Other(s))
        } else if s.len() > 30 {
            Err(FieldError::TooLong)
        } else {
            Err(FieldError::Invalid)
        }
    }
}

impl TryFrom<String> for TaxId {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TaxId> for String {
    fn from(t: TaxId) -> String {
        t.to_string()
    }
}

impl fmt::Display for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaxId::Gstin(g) => g.fmt(f),
            TaxId::Other(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gstin_is_checked_to_its_check_character() {
        let g: Gstin = " 27aapfu0939f1zv ".parse().expect("a valid GSTIN");
        assert_eq!(g.as_str(), "27AAPFU0939F1ZV");
        assert_eq!(g.state_code(), "27");
        assert!("29AAGCB7383J1Z4".parse::<Gstin>().is_ok());
        // one character changed, two swapped: the check character catches both
        assert_eq!(
            "27AAPFU0939F1ZW".parse::<Gstin>(),
            Err(FieldError::Checksum)
        );
        assert_eq!(
            "27AAPFU0993F1ZV".parse::<Gstin>(),
            Err(FieldError::Checksum)
        );
        assert_eq!("45AAPFU0939F1ZV".parse::<Gstin>(), Err(FieldError::Invalid));
        assert_eq!("27AAPFU0939F1Z".parse::<Gstin>(), Err(FieldError::Invalid));
    }

    #[test]
    fn other_tax_ids_are_kept_and_gstin_shaped_ones_must_be_valid() {
        assert_eq!("DE 123".parse::<TaxId>(), Err(FieldError::Invalid));
        assert_eq!(
            "de-123456789".parse::<TaxId>(),
            Ok(TaxId::Other("DE-123456789".into()))
        );
        assert!(matches!(
            "27AAPFU0939F1ZV".parse::<TaxId>(),
            Ok(TaxId::Gstin(_))
        ));
        assert_eq!(
            "27AAPFU0939F1ZW".parse::<TaxId>(),
            Err(FieldError::Checksum)
        );
        assert_eq!("X".repeat(31).parse::<TaxId>(), Err(FieldError::TooLong));
        assert_eq!(
            serde_json::to_string(&"27AAPFU0939F1ZV".parse::<TaxId>().ok())
                .ok()
                .as_deref(),
            Some("\"27AAPFU0939F1ZV\"")
        );
    }
}
