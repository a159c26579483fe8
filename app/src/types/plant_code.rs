//! A plant's code: exactly three letters or digits (`KOL`, `VSK`, `MAI`), the PLANT of every UID
//! received there (`UID-SAIF-KOL-RM-000001-…`). The database holds plants to the same rule
//! (`plants_code_check`); whatever writes a plant parses its code into this first, so a bad one
//! is a 422 on `code`, not a refused statement.
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlantCode(String);

impl PlantCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PlantCode {
    type Err = FieldError;
    /// Read without regard to case and surrounding blanks: ` kol ` is `KOL`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_uppercase();
        if s.is_empty() {
            Err(FieldError::Required)
        } else if s.len() == 3
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            Ok(PlantCode(s))
        } else {
            Err(FieldError::Invalid)
        }
    }
}

impl TryFrom<String> for PlantCode {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<PlantCode> for String {
    fn from(c: PlantCode) -> String {
        c.0
    }
}

impl fmt::Display for PlantCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PlantCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PlantCode({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_letters_or_digits() {
        for (input, want) in [
            ("KOL", "KOL"),
            (" vsk ", "VSK"),
            ("P01", "P01"),
            ("007", "007"),
        ] {
            assert_eq!(
                input.parse::<PlantCode>().map(String::from),
                Ok(want.into())
            );
        }
        for bad in ["MAIN", "HQ", "K-L", "KÖL", "K L", "ABCD1"] {
            assert_eq!(bad.parse::<PlantCode>(), Err(FieldError::Invalid), "{bad}");
        }
        assert_eq!("  ".parse::<PlantCode>(), Err(FieldError::Required));
        assert!(serde_json::from_str::<PlantCode>("\"MAIN\"").is_err());
        assert_eq!(
            serde_json::from_str::<PlantCode>("\"kol\"")
                .map(|c| c.to_string())
                .ok(),
            Some("KOL".into())
        );
    }
}
