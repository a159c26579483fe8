//! Unit identifiers `UID-{TENANT}-{PLANT}-{TYPE}-{SEQ}-{CHECK}` (seed 002), e.g.
//! `UID-DEMO-MAIN-SER-000042-K`.
//!
//! The check character is ISO/IEC 7064 MOD 37-2 over the letters and digits of everything before
//! it (hyphens are structure, checked by the parser): `0-9` are 0–9, `A-Z` 10–35, and the check
//! may also be `*` (36). Because 37 is prime and 2 a primitive root modulo 37, every position has a
//! distinct non-zero weight, so every single-character substitution and every swap of two adjacent
//! characters (the check included) changes the weighted sum and is caught. Input is read without
//! regard to case and surrounding blanks.
use serde::{Deserialize, Serialize};

/// What a UID stands for: one serialised unit or one lot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UidType {
    Serial,
    Lot,
}

impl UidType {
    pub fn code(self) -> &'static str {
        match self {
            UidType::Serial => "SER",
            UidType::Lot => "LOT",
        }
    }
}

impl std::str::FromStr for UidType {
    type Err = UidError;
    fn from_str(s: &str) -> Result<UidType, UidError> {
        match s {
            "SER" => Ok(UidType::Serial),
            "LOT" => Ok(UidType::Lot),
            _ => Err(UidError::Format),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uid {
    pub tenant: String,
    pub plant: String,
    pub kind: UidType,
    pub seq: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UidError {
    /// Not of the shape `UID-T-P-TYPE-SEQ-C`.
    Format,
    /// Well formed, but the check character does not match: a typo.
    Checksum,
}

fn value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        '*' => Some(36),
        _ => None,
    }
}

const ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

/// The MOD 37-2 check character of the letters and digits of `body` (hyphens skipped).
pub fn check_char(body: &str) -> char {
    let mut p: u32 = 0;
    for c in body.chars().filter(|c| *c != '-') {
        let v = value(c).unwrap_or(0).min(35);
        p = ((p + v) * 2) % 37;
    }
    ALPHABET[((38 - p) % 37) as usize] as char
}

fn segment_ok(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

impl Uid {
    /// The printed form. Tenant and plant codes are upper-cased and kept to letters and digits.
    pub fn format(&self) -> String {
        let clean = |s: &str| -> String {
            s.to_ascii_uppercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect()
        };
        let body = format!(
            "UID-{}-{}-{}-{:06}",
            clean(&self.tenant),
            clean(&self.plant),
            self.kind.code(),
            self.seq
        );
        let c = check_char(&body);
        format!("{body}-{c}")
    }
}

impl std::str::FromStr for Uid {
    type Err = UidError;

    /// Reads a typed or scanned UID: the shape first, then the check character.
    fn from_str(input: &str) -> Result<Uid, UidError> {
        let s = input.trim().to_ascii_uppercase();
        let parts: Vec<&str> = s.split('-').collect();
        let [prefix, tenant, plant, kind, seq, check] = parts.as_slice() else {
            return Err(UidError::Format);
        };
        let kind: UidType = kind.parse()?;
        if *prefix != "UID"
            || !segment_ok(tenant, 16)
            || !segment_ok(plant, 10)
            || seq.len() < 6
            || seq.len() > 12
            || !seq.chars().all(|c| c.is_ascii_digit())
            || check.chars().count() != 1
        {
            return Err(UidError::Format);
        }
        let given = check.chars().next().ok_or(UidError::Format)?;
        if value(given).is_none() {
            return Err(UidError::Format);
        }
        let body = &s[..s.len() - 2];
        if check_char(body) != given {
            return Err(UidError::Checksum);
        }
        Ok(Uid {
            tenant: tenant.to_string(),
            plant: plant.to_string(),
            kind,
            seq: seq.parse().map_err(|_| UidError::Format)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Uid {
        Uid {
            tenant: "saif".into(),
            plant: "KOL".into(),
            kind: UidType::Serial,
            seq: 1234,
        }
    }

    #[test]
    fn formats_and_reads_back() {
        let s = sample().format();
        assert!(s.starts_with("UID-SAIF-KOL-SER-001234-"), "{s}");
        assert_eq!(
            s.parse::<Uid>(),
            Ok(Uid {
                tenant: "SAIF".into(),
                ..sample()
            })
        );
        assert_eq!(
            format!("  {}  ", s.to_lowercase())
                .parse::<Uid>()
                .map(|u| u.seq),
            Ok(1234)
        );
        let lot = Uid {
            kind: UidType::Lot,
            seq: 7,
            ..sample()
        }
        .format();
        assert_eq!(lot.parse::<Uid>().map(|u| u.kind), Ok(UidType::Lot));
    }

    #[test]
    fn refuses_other_shapes() {
        for bad in [
            "",
            "UID",
            "UID-SAIF-KOL-SER-001234",
            "XID-SAIF-KOL-SER-001234-A",
            "UID-SAIF-KOL-ABC-001234-A",
            "UID-SAIF-KOL-SER-12-A",
            "UID-SAIF-KOL-SER-001234-AB",
            "UID-SA IF-KOL-SER-001234-A",
            "UID--KOL-SER-001234-A",
        ] {
            assert_eq!(bad.parse::<Uid>(), Err(UidError::Format), "{bad}");
        }
    }

    /// Every single-character substitution and every adjacent swap of several samples is refused.
    #[test]
    fn catches_every_single_typo_and_adjacent_swap() {
        let symbols: Vec<char> = ALPHABET.iter().map(|b| *b as char).collect();
        let samples = [
            sample().format(),
            Uid {
                tenant: "DEMO".into(),
                plant: "MAIN".into(),
                kind: UidType::Lot,
                seq: 987_654,
            }
            .format(),
            Uid {
                tenant: "T1".into(),
                plant: "P9".into(),
                kind: UidType::Serial,
                seq: 1,
            }
            .format(),
        ];
        let mut tried = 0;
        for good in samples {
            assert!(good.parse::<Uid>().is_ok(), "{good}");
            let chars: Vec<char> = good.chars().collect();
            for i in 0..chars.len() {
                if chars[i] == '-' {
                    continue;
                }
                for &s in &symbols {
                    if s == chars[i] {
                        continue;
                    }
                    let mut t = chars.clone();
                    t[i] = s;
                    let typo: String = t.into_iter().collect();
                    assert!(
                        typo.parse::<Uid>().is_err(),
                        "substitution not caught: {typo} for {good}"
                    );
                    tried += 1;
                }
                if i + 1 < chars.len() && chars[i + 1] != '-' && chars[i] != chars[i + 1] {
                    let mut t = chars.clone();
                    t.swap(i, i + 1);
                    let swapped: String = t.into_iter().collect();
                    assert!(
                        swapped.parse::<Uid>().is_err(),
                        "swap not caught: {swapped} for {good}"
                    );
                    tried += 1;
                }
            }
        }
        assert!(tried > 1000);
    }
}
