//! Units of measure and the conversions between them ("1 BOX = 12 PCS"), with the validation the
//! screen and the server share and the one conversion function requisitions, receipts and issues
//! use: exact decimal arithmetic, an item's own conversion before the general one, direct or
//! inverse, the result refused when it has more decimal places than the target unit allows.
use crate::error::FieldError;
use crate::inventory::model::LANGUAGES;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The most decimal places a unit may allow.
pub const MAX_DECIMALS: i16 = 6;
/// The largest factor a conversion may have (and its most decimal places).
pub const MAX_FACTOR: i64 = 1_000_000_000_000;
pub const FACTOR_DECIMALS: u32 = 12;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: Uuid,
    /// Unique in the company whatever its case (PCS, BOX, KG).
    pub code: String,
    /// In the caller's language, else English.
    pub name: String,
    /// Every translation: `{"en": "Box", "hi": "डिब्बा"}`.
    pub names: BTreeMap<String, String>,
    /// How many decimal places a quantity in this unit may have (0–6).
    pub decimals: i16,
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitInput {
    /// 1–20 characters without spaces; unique in the company whatever its case.
    pub code: String,
    /// Name per language; `en` is required.
    pub names: BTreeMap<String, String>,
    /// 0–6.
    pub decimals: i16,
    /// True when absent.
    #[serde(default)]
    pub active: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Conversion {
    pub id: Uuid,
    /// 1 `from_unit` = `factor` `to_unit` (and the reverse).
    pub from_unit: String,
    pub to_unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub factor: Decimal,
    /// For this item only (it wins over a general conversion of the same units).
    pub item_id: Option<Uuid>,
    pub item_sku: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConversionInput {
    /// A unit code of the company (any case).
    pub from_unit: String,
    pub to_unit: String,
    /// Greater than zero, at most 12 decimal places, below 10¹².
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub factor: Decimal,
    #[serde(default)]
    pub item_id: Option<Uuid>,
}

/// Decimal places written in `v` once trailing zeros are dropped.
pub fn places(v: Decimal) -> u32 {
    v.normalize().scale()
}

/// Whether a quantity fits a unit of `decimals` places.
pub fn fits(q: Decimal, decimals: i16) -> bool {
    places(q) <= decimals.max(0) as u32
}

pub fn valid_code(code: &str) -> bool {
    let n = code.chars().count();
    (1..=20).contains(&n) && !code.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub fn validate_unit(input: &UnitInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let code = input.code.trim();
    if code.is_empty() {
        e.insert("code".into(), FieldError::Required);
    } else if code.chars().count() > 20 {
        e.insert("code".into(), FieldError::TooLong);
    } else if !valid_code(code) {
        e.insert("code".into(), FieldError::Invalid);
    }
    if input.names.get("en").is_none_or(|n| n.trim().is_empty()) {
        e.insert("names.en".into(), FieldError::Required);
    }
    for (lang, name) in &input.names {
        if !LANGUAGES.contains(&lang.as_str()) {
            e.insert(format!("names.{lang}"), FieldError::UnknownLanguage);
        } else if name.trim().chars().count() > 100 {
            e.insert(format!("names.{lang}"), FieldError::TooLong);
        }
    }
    if !(0..=MAX_DECIMALS).contains(&input.decimals) {
        e.insert("decimals".into(), FieldError::Invalid);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// The shape of a conversion (whether its units exist is the server's to say).
pub fn validate_conversion(input: &ConversionInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let from = input.from_unit.trim();
    let to = input.to_unit.trim();
    for (field, v) in [("from_unit", from), ("to_unit", to)] {
        if v.is_empty() {
            e.insert(field.into(), FieldError::Required);
        } else if !valid_code(v) {
            e.insert(field.into(), FieldError::Invalid);
        }
    }
    if !from.is_empty() && from.to_lowercase() == to.to_lowercase() {
        e.insert("to_unit".into(), FieldError::SameUnit);
    }
    if input.factor <= Decimal::ZERO {
        e.insert("factor".into(), FieldError::MustBePositive);
    } else if places(input.factor) > FACTOR_DECIMALS {
        e.insert("factor".into(), FieldError::TooManyDecimals);
    } else if input.factor >= Decimal::from(MAX_FACTOR) {
        e.insert("factor".into(), FieldError::Invalid);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// A conversion as the function below reads it: 1 `from` = `factor` `to`, for `item` or general.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub from: String,
    pub to: String,
    pub factor: Decimal,
    pub item: Option<Uuid>,
}

/// Why a quantity does not convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertError {
    /// No conversion between the two units (for the item or in general).
    NoConversion,
    /// The result has more decimal places than the target unit allows (or overflows).
    TooManyDecimals,
}

impl From<ConvertError> for FieldError {
    fn from(e: ConvertError) -> Self {
        match e {
            ConvertError::NoConversion => FieldError::NoConversion,
            ConvertError::TooManyDecimals => FieldError::TooManyDecimals,
        }
    }
}

fn same(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// How one quantity of `from` becomes `to` for `item`: the item's own conversion first, then a
/// general one, each read directly (multiply) or the other way round (divide). None when there is
/// none; `Some(None)` when the units are the same.
fn factor_of(rules: &[Rule], from: &str, to: &str, item: Option<Uuid>) -> Option<(Decimal, bool)> {
    let pass = |for_item: Option<Uuid>| {
        rules.iter().filter(|r| r.item == for_item).find_map(|r| {
            if same(&r.from, from) && same(&r.to, to) {
                Some((r.factor, false))
            } else if same(&r.from, to) && same(&r.to, from) {
                Some((r.factor, true))
            } else {
                None
            }
        })
    };
    item.and_then(|i| pass(Some(i))).or_else(|| pass(None))
}

/// Whether `from` converts to `to` for `item` (the same unit does).
pub fn convertible(rules: &[Rule], from: &str, to: &str, item: Option<Uuid>) -> bool {
    same(from, to) || factor_of(rules, from, to, item).is_some()
}

/// `q` in `from` as a quantity of `to` (a unit of `to_decimals` places) for `item`, exactly:
/// multiplied by the factor of a direct conversion, divided by that of an inverse one; refused
/// when no conversion applies or the result has more decimal places than `to` allows.
pub fn convert(
    q: Decimal,
    from: &str,
    to: &str,
    item: Option<Uuid>,
    rules: &[Rule],
    to_decimals: i16,
) -> Result<Decimal, ConvertError> {
    let out = if same(from, to) {
        q
    } else {
        let (factor, inverse) =
            factor_of(rules, from, to, item).ok_or(ConvertError::NoConversion)?;
        if inverse {
            q.checked_div(factor)
        } else {
            q.checked_mul(factor)
        }
        .ok_or(ConvertError::TooManyDecimals)?
    };
    if fits(out, to_decimals) {
        Ok(out.normalize())
    } else {
        Err(ConvertError::TooManyDecimals)
    }
}

/// `q` in `from` shown as `to`, rounded to `to_decimals` places (for display beside what was
/// entered, e.g. "2 BOX (24 PCS)"); None when there is no conversion.
pub fn shown_as(
    q: Decimal,
    from: &str,
    to: &str,
    item: Option<Uuid>,
    rules: &[Rule],
    to_decimals: i16,
) -> Option<Decimal> {
    if same(from, to) {
        return Some(q);
    }
    let (factor, inverse) = factor_of(rules, from, to, item)?;
    let v = if inverse {
        q.checked_div(factor)?
    } else {
        q.checked_mul(factor)?
    };
    Some(v.round_dp(to_decimals.max(0) as u32).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn rule(from: &str, to: &str, factor: Decimal, item: Option<Uuid>) -> Rule {
        Rule {
            from: from.into(),
            to: to.into(),
            factor,
            item,
        }
    }

    #[test]
    fn direct_and_inverse_conversions_are_exact() {
        let rules = [rule("BOX", "PCS", d("12"), None)];
        assert_eq!(convert(d("2"), "BOX", "PCS", None, &rules, 0), Ok(d("24")));
        assert_eq!(
            convert(d("2.5"), "box", "pcs", None, &rules, 0),
            Ok(d("30"))
        );
        assert_eq!(convert(d("24"), "PCS", "BOX", None, &rules, 0), Ok(d("2")));
        assert_eq!(convert(d("6"), "PCS", "BOX", None, &rules, 1), Ok(d("0.5")));
        // 5 / 12 = 0.41666…: more places than any unit allows
        assert_eq!(
            convert(d("5"), "PCS", "BOX", None, &rules, 6),
            Err(ConvertError::TooManyDecimals)
        );
        // 1 / 3 never ends
        let thirds = [rule("PACK", "PCS", d("3"), None)];
        assert_eq!(
            convert(d("1"), "PCS", "PACK", None, &thirds, 6),
            Err(ConvertError::TooManyDecimals)
        );
        assert_eq!(convert(d("3"), "PCS", "PACK", None, &thirds, 0), Ok(d("1")));
    }

    #[test]
    fn decimals_of_the_target_unit_are_kept() {
        let rules = [rule("KG", "G", d("1000"), None)];
        assert_eq!(
            convert(d("1.2345"), "KG", "G", None, &rules, 0),
            Err(ConvertError::TooManyDecimals)
        );
        assert_eq!(
            convert(d("1.2345"), "KG", "G", None, &rules, 1),
            Ok(d("1234.5"))
        );
        assert_eq!(
            convert(d("1250"), "G", "KG", None, &rules, 3),
            Ok(d("1.25"))
        );
        assert_eq!(
            convert(d("1"), "G", "KG", None, &rules, 2),
            Err(ConvertError::TooManyDecimals)
        );
        assert_eq!(convert(d("1"), "G", "KG", None, &rules, 3), Ok(d("0.001")));
        // the same unit: only the places are checked
        assert_eq!(
            convert(d("1.5"), "PCS", "pcs", None, &[], 0),
            Err(ConvertError::TooManyDecimals)
        );
        assert_eq!(convert(d("7.000"), "PCS", "PCS", None, &[], 0), Ok(d("7")));
    }

    #[test]
    fn an_item_s_own_conversion_wins_over_the_general_one() {
        let bolt = Uuid::from_u128(1);
        let nut = Uuid::from_u128(2);
        let rules = [
            rule("BOX", "PCS", d("12"), None),
            // written the other way round: 1 PCS = 0.01 BOX, i.e. a box of 100
            rule("PCS", "BOX", d("0.01"), Some(bolt)),
        ];
        assert_eq!(
            convert(d("2"), "BOX", "PCS", Some(bolt), &rules, 0),
            Ok(d("200"))
        );
        assert_eq!(
            convert(d("2"), "BOX", "PCS", Some(nut), &rules, 0),
            Ok(d("24"))
        );
        assert_eq!(convert(d("2"), "BOX", "PCS", None, &rules, 0), Ok(d("24")));
        assert_eq!(
            convert(d("300"), "PCS", "BOX", Some(bolt), &rules, 0),
            Ok(d("3"))
        );
        // another item's conversion does not apply
        let only_bolt = [rule("ROLL", "M", d("50"), Some(bolt))];
        assert_eq!(
            convert(d("1"), "ROLL", "M", Some(nut), &only_bolt, 3),
            Err(ConvertError::NoConversion)
        );
        assert!(convertible(&only_bolt, "roll", "m", Some(bolt)));
        assert!(!convertible(&only_bolt, "ROLL", "M", None));
        assert!(convertible(&[], "KG", "kg", None));
    }

    #[test]
    fn no_conversion_and_overflow_are_refused() {
        let rules = [rule("BOX", "PCS", d("12"), None)];
        assert_eq!(
            convert(d("1"), "KG", "PCS", None, &rules, 0),
            Err(ConvertError::NoConversion)
        );
        let huge = [rule("A", "B", Decimal::MAX, None)];
        assert_eq!(
            convert(d("10"), "A", "B", None, &huge, 0),
            Err(ConvertError::TooManyDecimals)
        );
    }

    #[test]
    fn shown_as_rounds_for_display() {
        let rules = [rule("BOX", "PCS", d("12"), None)];
        assert_eq!(
            shown_as(d("2"), "BOX", "PCS", None, &rules, 0),
            Some(d("24"))
        );
        assert_eq!(
            shown_as(d("5"), "PCS", "BOX", None, &rules, 2),
            Some(d("0.42"))
        );
        assert_eq!(shown_as(d("5"), "KG", "PCS", None, &rules, 2), None);
    }

    #[test]
    fn units_and_conversions_are_validated() {
        let mut names = BTreeMap::new();
        names.insert("en".to_string(), "Box".to_string());
        let ok = UnitInput {
            code: "BOX".into(),
            names: names.clone(),
            decimals: 0,
            active: None,
        };
        assert_eq!(validate_unit(&ok), Ok(()));
        let bad = UnitInput {
            code: "SQ M".into(),
            names: BTreeMap::from([("xx".to_string(), "?".to_string())]),
            decimals: 7,
            active: None,
        };
        let e = validate_unit(&bad).unwrap_err();
        assert_eq!(e.get("code"), Some(&FieldError::Invalid));
        assert_eq!(e.get("names.en"), Some(&FieldError::Required));
        assert_eq!(e.get("names.xx"), Some(&FieldError::UnknownLanguage));
        assert_eq!(e.get("decimals"), Some(&FieldError::Invalid));
        let too_long = UnitInput {
            code: "X".repeat(21),
            names,
            decimals: -1,
            active: None,
        };
        let e = validate_unit(&too_long).unwrap_err();
        assert_eq!(e.get("code"), Some(&FieldError::TooLong));
        assert_eq!(e.get("decimals"), Some(&FieldError::Invalid));

        let c = |from: &str, to: &str, factor: Decimal| ConversionInput {
            from_unit: from.into(),
            to_unit: to.into(),
            factor,
            item_id: None,
        };
        assert_eq!(validate_conversion(&c("BOX", "PCS", d("12"))), Ok(()));
        let e = validate_conversion(&c("BOX", "box", d("0"))).unwrap_err();
        assert_eq!(e.get("to_unit"), Some(&FieldError::SameUnit));
        assert_eq!(e.get("factor"), Some(&FieldError::MustBePositive));
        let e = validate_conversion(&c("", "PCS", d("-1"))).unwrap_err();
        assert_eq!(e.get("from_unit"), Some(&FieldError::Required));
        assert_eq!(e.get("factor"), Some(&FieldError::MustBePositive));
        let e = validate_conversion(&c("BOX", "PCS", d("0.0000000000001"))).unwrap_err();
        assert_eq!(e.get("factor"), Some(&FieldError::TooManyDecimals));
        let e = validate_conversion(&c("BOX", "PCS", d("1000000000000"))).unwrap_err();
        assert_eq!(e.get("factor"), Some(&FieldError::Invalid));
    }
}
