//! Unit identifiers exactly as seed 002 writes them: `UID-{TENANT}-{PLANT}-{TYPE}-{SEQUENCE}-{CHECK}`,
//! e.g. `UID-SAIF-KOL-RM-000001-6I`.
//!
//! - TENANT: the company code (letters and digits, 1–16);
//! - PLANT: the plant's code, exactly three letters or digits;
//! - TYPE: the item's two-letter material type ([`MaterialType`]: RM, CP, SF, FG, CN, SP, PK, TL);
//! - SEQUENCE: six digits (more once a plant and type pass 999,999), per tenant, plant and type;
//! - CHECK: two characters of ISO/IEC 7064 MOD 1271-36 over the letters and digits of everything
//!   before it (hyphens are structure, checked by the parser).
//!
//! MOD 1271-36 is a pure system: the characters `0-9A-Z` are the values 0–35, and the weighted sum
//! Σ aᵢ·36^(i−1) (i = 1 for the last check character) must be 1 modulo 1271 = 31·41. A single
//! substitution changes the sum by d·36^k with 0 < |d| ≤ 35, and an adjacent swap by
//! d·36^k·35; 36 and 35 are prime to 1271 and no |d| ≤ 35 is a multiple of it, so every
//! single-character error and every swap of two neighbours is caught (the unit tests try them all
//! on a sample). Input is read without regard to case and surrounding blanks.
//!
//! UIDs of the former form, `UID-DEMO-MAIN-SER-000001-5` (SER or LOT, one ISO/IEC 7064 MOD 37-2
//! character), were renamed by the migration `uid_format`, which kept each unit's former text:
//! [`read`] still recognises them (with their own check) so that a label printed before still
//! scans, and the lookups find the unit by its former text too.
use super::material::MaterialType;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uid {
    pub tenant: String,
    pub plant: String,
    pub material: MaterialType,
    pub seq: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UidError {
    /// Not of the shape `UID-T-PPP-TT-SEQ-CC` (nor of the former one).
    Format,
    /// Well formed, but the check characters do not match: a typo.
    Checksum,
}

const ALNUM: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MODULUS: u32 = 1271;
const RADIX: u32 = 36;

fn value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        _ => None,
    }
}

/// Σ aᵢ·36^(n−i) mod 1271 of the letters and digits of `s` (anything else skipped).
fn horner(s: &str) -> u32 {
    s.chars()
        .filter_map(value)
        .fold(0, |p, v| (p * RADIX + v) % MODULUS)
}

/// The two MOD 1271-36 check characters of the letters and digits of `body` (hyphens skipped).
pub fn check_chars(body: &str) -> [char; 2] {
    // the body's characters weigh 36² and more once the two check characters follow
    let p = horner(body) * (RADIX * RADIX % MODULUS) % MODULUS;
    let c = (MODULUS + 1 - p) % MODULUS;
    [
        ALNUM[(c / RADIX) as usize] as char,
        ALNUM[(c % RADIX) as usize] as char,
    ]
}

/// Whether `s` (body and check characters) satisfies MOD 1271-36.
fn check_holds(s: &str) -> bool {
    horner(s) == 1
}

fn segment_ok(s: &str, min: usize, max: usize) -> bool {
    s.len() >= min
        && s.len() <= max
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A company code as it is printed in a UID: upper-case, letters and digits only.
pub fn tenant_segment(slug: &str) -> String {
    slug.to_ascii_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

impl Uid {
    /// The printed form. The tenant code is upper-cased and kept to letters and digits.
    pub fn format(&self) -> String {
        let body = format!(
            "UID-{}-{}-{}-{:06}",
            tenant_segment(&self.tenant),
            self.plant.to_ascii_uppercase(),
            self.material.code(),
            self.seq
        );
        let [a, b] = check_chars(&body);
        format!("{body}-{a}{b}")
    }
}

impl std::str::FromStr for Uid {
    type Err = UidError;

    /// Reads a typed or scanned UID of the current form: the shape first, then the check.
    fn from_str(input: &str) -> Result<Uid, UidError> {
        let s = input.trim().to_ascii_uppercase();
        let parts: Vec<&str> = s.split('-').collect();
        let [prefix, tenant, plant, kind, seq, check] = parts.as_slice() else {
            return Err(UidError::Format);
        };
        let material = MaterialType::from_code(kind).ok_or(UidError::Format)?;
        if *prefix != "UID"
            || !segment_ok(tenant, 1, 16)
            || !segment_ok(plant, 3, 3)
            || seq.len() < 6
            || seq.len() > 12
            || !seq.chars().all(|c| c.is_ascii_digit())
            || !segment_ok(check, 2, 2)
        {
            return Err(UidError::Format);
        }
        if !check_holds(&s) {
            return Err(UidError::Checksum);
        }
        Ok(Uid {
            tenant: tenant.to_string(),
            plant: plant.to_string(),
            material,
            seq: seq.parse().map_err(|_| UidError::Format)?,
        })
    }
}

/// The former form, `UID-{TENANT}-{PLANT}-{SER|LOT}-{SEQ}-{C}` with one ISO/IEC 7064 MOD 37-2
/// check character (`0-9A-Z*`), read only: UIDs are no longer issued in it.
pub mod legacy {
    use super::{segment_ok, UidError};

    const ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

    fn value(c: char) -> Option<u32> {
        match c {
            '*' => Some(36),
            c => super::value(c),
        }
    }

    /// The MOD 37-2 check character of the letters and digits of `body` (hyphens skipped).
    pub fn check_char(body: &str) -> char {
        let mut p: u32 = 0;
        for c in body.chars().filter(|c| *c != '-') {
            let v = value(c).unwrap_or(0).min(35);
            p = ((p + v) * 2) % 37;
        }
        ALPHABET[((38 - p) % 37) as usize] as char
    }

    /// Reads `s` (trimmed, upper case) as a UID of the former form.
    pub fn parse(s: &str) -> Result<(), UidError> {
        let parts: Vec<&str> = s.split('-').collect();
        let [prefix, tenant, plant, kind, seq, check] = parts.as_slice() else {
            return Err(UidError::Format);
        };
        if *prefix != "UID"
            || !matches!(*kind, "SER" | "LOT")
            || !segment_ok(tenant, 1, 16)
            || !segment_ok(plant, 1, 10)
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
        if check_char(&s[..s.len() - 2]) != given {
            return Err(UidError::Checksum);
        }
        Ok(())
    }
}

/// A typed or scanned UID, of the current form or the former one, as the text to look it up by
/// (trimmed, upper case). A bad check character of either form is [`UidError::Checksum`];
/// anything of neither shape is [`UidError::Format`].
pub fn read(input: &str) -> Result<String, UidError> {
    let s = input.trim().to_ascii_uppercase();
    match s.parse::<Uid>() {
        Ok(_) => Ok(s),
        Err(UidError::Checksum) => Err(UidError::Checksum),
        Err(UidError::Format) => legacy::parse(&s).map(|_| s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Uid {
        Uid {
            tenant: "saif".into(),
            plant: "KOL".into(),
            material: MaterialType::RawMaterial,
            seq: 1234,
        }
    }

    #[test]
    fn formats_and_reads_back() {
        let s = sample().format();
        assert!(s.starts_with("UID-SAIF-KOL-RM-001234-"), "{s}");
        assert_eq!(s.len(), "UID-SAIF-KOL-RM-001234-XX".len());
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
        // every material type, and a sequence past six digits, round trip
        for (i, m) in MaterialType::ALL.into_iter().enumerate() {
            let u = Uid {
                material: m,
                seq: 999_999 + i as u64,
                ..sample()
            };
            let text = u.format();
            assert_eq!(
                text.parse::<Uid>().map(|r| (r.material, r.seq)),
                Ok((m, u.seq)),
                "{text}"
            );
            assert_eq!(read(&text), Ok(text.clone()));
        }
    }

    #[test]
    fn the_check_is_iso_7064_mod_1271_36() {
        // the example of the documentation
        assert_eq!(check_chars("UID-SAIF-KOL-RM-000001"), ['6', 'I']);
        // the weighted sum of body and check is 1 modulo 1271, computed independently
        for u in [sample().format(), "UID-DEMO-HQ1-CN-000001".to_string()] {
            let body = u.get(..22).unwrap_or(&u);
            let [a, b] = check_chars(body);
            let all: Vec<u32> = format!("{body}{a}{b}").chars().filter_map(value).collect();
            let n = all.len();
            let sum: u64 = all
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    u64::from(*v) * (0..(n - 1 - i)).fold(1u64, |p, _| p * 36 % 1271) % 1271
                })
                .sum();
            assert_eq!(sum % 1271, 1, "{body}{a}{b}");
        }
    }

    #[test]
    fn refuses_other_shapes() {
        let good = sample().format();
        let check = &good[good.len() - 2..];
        for bad in [
            String::new(),
            "UID".into(),
            "UID-SAIF-KOL-RM-001234".into(),
            format!("XID-SAIF-KOL-RM-001234-{check}"),
            format!("UID-SAIF-KOL-XX-001234-{check}"),
            format!("UID-SAIF-KOLK-RM-001234-{check}"),
            format!("UID-SAIF-KO-RM-001234-{check}"),
            format!("UID-SAIF-KOL-RM-12-{check}"),
            "UID-SAIF-KOL-RM-001234-A".into(),
            "UID-SAIF-KOL-RM-001234-ABC".into(),
            format!("UID-SA IF-KOL-RM-001234-{check}"),
            format!("UID--KOL-RM-001234-{check}"),
            format!("UID-SAIF-KOL-RM-001234-{check}-"),
        ] {
            assert_eq!(bad.parse::<Uid>(), Err(UidError::Format), "{bad}");
            assert_eq!(read(&bad), Err(UidError::Format), "{bad}");
        }
    }

    /// The former form is still read (its own MOD 37-2 check), and a typo in it is a checksum
    /// error; it is never produced any more.
    #[test]
    fn the_former_form_is_recognised() {
        let body = "UID-DEMO-MAIN-SER-000001";
        let old = format!("{body}-{}", legacy::check_char(body));
        assert_eq!(read(&old), Ok(old.clone()));
        assert_eq!(
            read(&format!("  {}  ", old.to_lowercase())),
            Ok(old.clone())
        );
        assert_eq!(old.parse::<Uid>(), Err(UidError::Format));
        let lot_body = "UID-SAIF-KOL-LOT-000042";
        let lot = format!("{lot_body}-{}", legacy::check_char(lot_body));
        assert_eq!(read(&lot), Ok(lot.clone()));
        let typo = old.replacen("000001", "000007", 1);
        assert_eq!(read(&typo), Err(UidError::Checksum));
        // a current-form UID whose check is wrong is a checksum error, not "some other shape"
        let mut cur = sample().format();
        let last = cur.pop().unwrap_or('0');
        cur.push(if last == '0' { '1' } else { '0' });
        assert_eq!(read(&cur), Err(UidError::Checksum));
    }

    /// Every single-character substitution (by every letter and digit, at every position but the
    /// hyphens) and every swap of two different neighbours (hyphens included) of a sample of codes
    /// is refused.
    #[test]
    fn catches_every_single_typo_and_adjacent_swap() {
        let symbols: Vec<char> = ALNUM.iter().map(|b| *b as char).collect();
        let mut samples: Vec<String> = Vec::new();
        for (i, m) in MaterialType::ALL.into_iter().enumerate() {
            for (tenant, plant, seq) in [
                ("SAIF", "KOL", 1 + i as u64),
                ("DEMO", "MAI", 987_654 - i as u64),
                ("T1", "P9Z", 42_424 * (i as u64 + 1)),
                ("ACMEWORKS", "000", 999_999),
                ("X", "ZZZ", 1_000_000 + i as u64),
            ] {
                samples.push(
                    Uid {
                        tenant: tenant.into(),
                        plant: plant.into(),
                        material: m,
                        seq,
                    }
                    .format(),
                );
            }
        }
        let (mut substitutions, mut swaps) = (0, 0);
        for good in &samples {
            assert!(good.parse::<Uid>().is_ok(), "{good}");
            let chars: Vec<char> = good.chars().collect();
            for i in 0..chars.len() {
                if chars[i] != '-' {
                    for &s in &symbols {
                        if s == chars[i] {
                            continue;
                        }
                        let mut t = chars.clone();
                        t[i] = s;
                        let typo: String = t.into_iter().collect();
                        assert!(
                            read(&typo).is_err(),
                            "substitution not caught: {typo} for {good}"
                        );
                        substitutions += 1;
                    }
                }
                if i + 1 < chars.len() && chars[i] != chars[i + 1] {
                    let mut t = chars.clone();
                    t.swap(i, i + 1);
                    let swapped: String = t.into_iter().collect();
                    assert!(
                        read(&swapped).is_err(),
                        "swap not caught: {swapped} for {good}"
                    );
                    swaps += 1;
                }
            }
        }
        assert_eq!(samples.len(), 40);
        assert!(substitutions > 25_000, "{substitutions}");
        assert!(swaps > 800, "{swaps}");
    }
}
