//! Document numbers `PREFIX-YEAR-NNNNNN` (`PR-2026-000042`), as `platform::numbering` draws them.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A document's number: a prefix of 1 to 8 capital letters, the year, and a sequence from 1,
/// written with at least six digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocNumber {
    /// As written: `PR-2026-000042`; the prefix is what comes before its first hyphen.
    text: String,
    year: i32,
    seq: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a document number (PREFIX-YEAR-NNNNNN)")]
pub struct NotADocNumber;

impl DocNumber {
    pub fn new(prefix: &str, year: i32, seq: u64) -> Result<DocNumber, NotADocNumber> {
        let prefix_ok =
            (1..=8).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase());
        if prefix_ok && (1900..=9999).contains(&year) && seq >= 1 {
            Ok(DocNumber {
                text: format!("{prefix}-{year}-{seq:06}"),
                year,
                seq,
            })
        } else {
            Err(NotADocNumber)
        }
    }

    pub fn prefix(&self) -> &str {
        self.text.split('-').next().unwrap_or_default()
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Read where text is expected (a statement's bind, a message).
impl std::ops::Deref for DocNumber {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl FromStr for DocNumber {
    type Err = NotADocNumber;
    /// Read without regard to case and surrounding blanks: `pr-2026-42` is `PR-2026-000042`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        let mut parts = upper.split('-');
        let (Some(prefix), Some(year), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(NotADocNumber);
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !(year.len() == 4 && digits(year) && digits(seq) && seq.len() <= 18) {
            return Err(NotADocNumber);
        }
        let year = year.parse().map_err(|_| NotADocNumber)?;
        let seq = seq.parse().map_err(|_| NotADocNumber)?;
        DocNumber::new(prefix, year, seq)
    }
}

impl TryFrom<String> for DocNumber {
    type Error = NotADocNumber;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DocNumber> for String {
    fn from(n: DocNumber) -> String {
        n.text
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_and_print_as_drawn() {
        let n: DocNumber = " pr-2026-42 ".parse().expect("a number");
        assert_eq!(n.to_string(), "PR-2026-000042");
        assert_eq!((n.prefix(), n.year(), n.seq()), ("PR", 2026, 42));
        assert_eq!(
            "GRN-2026-1234567"
                .parse::<DocNumber>()
                .map(|n| n.to_string()),
            Ok("GRN-2026-1234567".into())
        );
        for bad in [
            "",
            "PR",
            "PR-2026",
            "PR-26-000001",
            "PR-2026-000000",
            "P1-2026-000001",
            "PR-2026-1-2",
            "PR-2026-x1",
            "TOOLONGPFX-2026-000001",
        ] {
            assert_eq!(bad.parse::<DocNumber>(), Err(NotADocNumber), "{bad}");
        }
    }
}
