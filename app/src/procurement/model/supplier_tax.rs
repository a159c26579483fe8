//! A supplier's tax facts: for a company in India its GSTIN and state, the reverse-charge flag and
//! the TDS section with its rate; for every company the supplier's own invoice price tolerance.
//! One rule for the form and the server: [`supplier_tax`] checks and normalises them.
use super::SupplierInput;
use crate::error::FieldError;
pub use crate::platform::settings::state_of;
use crate::platform::settings::{check_amount as amount, check_percent as percent};
use crate::types::Gstin;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The income-tax sections deducted at source on a purchase: contractors, professional or
/// technical fees, purchase of goods.
pub const TDS_SECTIONS: &[&str] = &["194C", "194J", "194Q"];

/// A supplier's tax facts as they are stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SupplierTax {
    pub gstin: Option<Gstin>,
    pub state_code: Option<String>,
    pub reverse_charge: bool,
    /// The section and its percent, together.
    pub tds: Option<(String, Decimal)>,
    pub price_tolerance_pct: Option<Decimal>,
    pub price_tolerance_abs: Option<Decimal>,
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty())
}

/// A TDS section and its percent: both or neither; the section one of [`TDS_SECTIONS`], the
/// percent 0–100 with at most four decimals. Errors by field.
pub fn tds_of(
    section: Option<&str>,
    rate: Option<Decimal>,
) -> Result<Option<(String, Decimal)>, BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    if section.is_some_and(|s| !TDS_SECTIONS.contains(&s)) {
        e.insert("tds_section".into(), FieldError::Invalid);
    }
    if let Some(r) = rate {
        if let Err(err) = percent(r) {
            e.insert("tds_rate".into(), err);
        }
    }
    match (section, rate) {
        (Some(_), None) => {
            e.insert("tds_rate".into(), FieldError::Required);
        }
        (None, Some(_)) => {
            e.insert("tds_section".into(), FieldError::Required);
        }
        _ => {}
    }
    if !e.is_empty() {
        return Err(e);
    }
    Ok(section
        .zip(rate)
        .map(|(s, r)| (s.to_string(), r.normalize())))
}

/// Checks a supplier's invoice price tolerance (percent 0–100, amount ≥ 0; four decimals).
pub fn check_tolerance(pct: Option<Decimal>, abs: Option<Decimal>) -> BTreeMap<String, FieldError> {
    let mut e = BTreeMap::new();
    if let Some(Err(err)) = pct.map(percent) {
        e.insert("price_tolerance_pct".into(), err);
    }
    if let Some(Err(err)) = abs.map(amount) {
        e.insert("price_tolerance_abs".into(), err);
    }
    e
}

/// The supplier's tax facts from what was entered, for a company in India (`india`, its currency
/// INR) or elsewhere, where the GST and TDS fields are refused (`IndiaOnly`) rather than silently
/// dropped: an integration sending them to the wrong company hears about it.
pub fn supplier_tax(
    input: &SupplierInput,
    india: bool,
) -> Result<SupplierTax, BTreeMap<String, FieldError>> {
    let mut e = check_tolerance(input.price_tolerance_pct, input.price_tolerance_abs);
    let gstin_text = text(&input.gstin);
    let state_text = text(&input.state_code);
    let section = text(&input.tds_section);
    let reverse_charge = input.reverse_charge.unwrap_or(false);
    if !india {
        for (field, given) in [
            ("gstin", gstin_text.is_some()),
            ("state_code", state_text.is_some()),
            ("reverse_charge", reverse_charge),
            ("tds_section", section.is_some()),
            ("tds_rate", input.tds_rate.is_some()),
        ] {
            if given {
                e.insert(field.into(), FieldError::IndiaOnly);
            }
        }
    }
    let gstin = match gstin_text.map(|g| g.parse::<Gstin>()) {
        None => None,
        Some(Ok(g)) => Some(g),
        Some(Err(err)) => {
            e.entry("gstin".into()).or_insert(err);
            None
        }
    };
    let state_code = match state_of(gstin.as_ref(), state_text.as_deref()) {
        Ok(s) => s,
        Err(err) => {
            e.entry("state_code".into()).or_insert(err);
            None
        }
    };
    let tds = match tds_of(section.as_deref(), input.tds_rate) {
        Ok(t) => t,
        Err(errs) => {
            for (k, v) in errs {
                e.entry(k).or_insert(v);
            }
            None
        }
    };
    if !e.is_empty() {
        return Err(e);
    }
    Ok(SupplierTax {
        gstin,
        state_code,
        reverse_charge,
        tds,
        price_tolerance_pct: input.price_tolerance_pct.map(|d| d.normalize()),
        price_tolerance_abs: input.price_tolerance_abs.map(|d| d.normalize()),
    })
}

/// How far an invoice's unit price may exceed the order's before the line is an exception: a
/// percent of the ordered price and, when above zero, an amount per unit; both must hold. A
/// supplier's own values win over the company's, each on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PriceTolerance {
    pub pct: Decimal,
    /// Zero: no amount limit.
    pub abs: Decimal,
}

impl PriceTolerance {
    /// The tolerance for a supplier: its own percent and amount where it has them, else the
    /// company's.
    pub fn for_supplier(
        company: PriceTolerance,
        pct: Option<Decimal>,
        abs: Option<Decimal>,
    ) -> Self {
        PriceTolerance {
            pct: pct.unwrap_or(company.pct),
            abs: abs.unwrap_or(company.abs),
        }
    }

    /// Whether an invoiced unit price is within the tolerance of the ordered one (a lower price
    /// always is).
    pub fn allows(&self, ordered: Decimal, invoiced: Decimal) -> bool {
        let over = invoiced - ordered;
        if over <= Decimal::ZERO {
            return true;
        }
        let within_pct = over * Decimal::ONE_HUNDRED <= ordered.abs() * self.pct;
        let within_abs = self.abs.is_zero() || over <= self.abs;
        within_pct && within_abs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn gstin(s: &str) -> Gstin {
        s.parse().expect("a valid GSTIN")
    }

    #[test]
    fn the_state_follows_from_the_gstin_and_must_agree_with_one_given() {
        let g = gstin("19AAACS1234F1ZP");
        assert_eq!(state_of(Some(&g), None), Ok(Some("19".into())));
        assert_eq!(state_of(Some(&g), Some("19")), Ok(Some("19".into())));
        assert_eq!(
            state_of(Some(&g), Some("37")),
            Err(FieldError::StateMismatch)
        );
        assert_eq!(state_of(None, Some("37")), Ok(Some("37".into())));
        assert_eq!(state_of(None, Some("7")), Err(FieldError::Invalid));
        assert_eq!(state_of(None, Some("40")), Err(FieldError::Invalid));
        assert_eq!(state_of(None, None), Ok(None));
    }

    #[test]
    fn a_tds_section_and_its_rate_come_together() {
        assert_eq!(
            tds_of(Some("194C"), Some(d("2.000"))),
            Ok(Some(("194C".into(), d("2"))))
        );
        assert_eq!(tds_of(None, None), Ok(None));
        let no_rate = tds_of(Some("194J"), None).expect_err("a section needs its rate");
        assert_eq!(no_rate.get("tds_rate"), Some(&FieldError::Required));
        let no_section = tds_of(None, Some(d("1"))).expect_err("a rate needs its section");
        assert_eq!(no_section.get("tds_section"), Some(&FieldError::Required));
        let unknown = tds_of(Some("194A"), Some(d("10"))).expect_err("not a purchase section");
        assert_eq!(unknown.get("tds_section"), Some(&FieldError::Invalid));
        for (rate, err) in [
            ("100.0001", FieldError::Invalid),
            ("-1", FieldError::NotNegative),
            ("0.00001", FieldError::TooManyDecimals),
        ] {
            let e = tds_of(Some("194Q"), Some(d(rate))).expect_err(rate);
            assert_eq!(e.get("tds_rate"), Some(&err), "{rate}");
        }
        assert!(tds_of(Some("194Q"), Some(d("0.1"))).is_ok());
        assert!(tds_of(Some("194Q"), Some(d("100"))).is_ok());
        assert!(tds_of(Some("194Q"), Some(d("0"))).is_ok());
    }

    fn input() -> SupplierInput {
        SupplierInput {
            code: "KB".into(),
            name: "Kolkata Bearings".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_indian_supplier_s_facts_are_normalised() {
        let i = SupplierInput {
            gstin: Some(" 19aaacs1234f1zp ".into()),
            reverse_charge: Some(true),
            tds_section: Some("194c".into()),
            tds_rate: Some(d("2.00")),
            price_tolerance_pct: Some(d("1.50")),
            ..input()
        };
        let t = supplier_tax(&i, true).expect("valid");
        assert_eq!(t.gstin.as_ref().map(Gstin::as_str), Some("19AAACS1234F1ZP"));
        assert_eq!(t.state_code.as_deref(), Some("19"));
        assert!(t.reverse_charge);
        assert_eq!(t.tds, Some(("194C".into(), d("2"))));
        assert_eq!(t.price_tolerance_pct, Some(d("1.5")));
        assert_eq!(t.price_tolerance_abs, None);
        assert_eq!(supplier_tax(&input(), true), Ok(SupplierTax::default()));
    }

    #[test]
    fn a_wrong_check_character_or_state_is_refused_by_field() {
        let typo = SupplierInput {
            gstin: Some("19AAACS1234F1ZQ".into()),
            state_code: Some("19".into()),
            ..input()
        };
        let e = supplier_tax(&typo, true).expect_err("typo");
        assert_eq!(e.get("gstin"), Some(&FieldError::Checksum));
        assert_eq!(e.len(), 1, "{e:?}");
        let elsewhere = SupplierInput {
            gstin: Some("19AAACS1234F1ZP".into()),
            state_code: Some("37".into()),
            ..input()
        };
        let e = supplier_tax(&elsewhere, true).expect_err("two states");
        assert_eq!(e.get("state_code"), Some(&FieldError::StateMismatch));
    }

    #[test]
    fn companies_outside_india_have_no_gst_or_tds_but_may_have_a_tolerance() {
        let gst = SupplierInput {
            gstin: Some("19AAACS1234F1ZP".into()),
            reverse_charge: Some(true),
            tds_section: Some("194C".into()),
            tds_rate: Some(d("2")),
            ..input()
        };
        let e = supplier_tax(&gst, false).expect_err("not in India");
        for f in ["gstin", "reverse_charge", "tds_section", "tds_rate"] {
            assert_eq!(e.get(f), Some(&FieldError::IndiaOnly), "{f}");
        }
        let plain = SupplierInput {
            reverse_charge: Some(false),
            price_tolerance_pct: Some(d("5")),
            price_tolerance_abs: Some(d("25.5")),
            ..input()
        };
        let t = supplier_tax(&plain, false).expect("a tolerance anywhere");
        assert_eq!(t.price_tolerance_abs, Some(d("25.5")));
    }

    #[test]
    fn a_price_within_the_percent_and_the_amount_is_allowed() {
        let company = PriceTolerance {
            pct: d("2"),
            abs: d("0"),
        };
        assert!(company.allows(d("100"), d("102")), "exactly 2 %");
        assert!(!company.allows(d("100"), d("102.01")));
        assert!(
            company.allows(d("100"), d("80")),
            "cheaper is never an exception"
        );
        assert!(company.allows(d("100"), d("100")));
        // an amount limit as well: both must hold
        let both = PriceTolerance {
            pct: d("2"),
            abs: d("5"),
        };
        assert!(both.allows(d("100"), d("102")));
        assert!(!both.allows(d("1000"), d("1010")), "1 % but 10 over");
        assert!(both.allows(d("1000"), d("1005")));
        // 8 % dearer goes to approval under the default
        assert!(!company.allows(d("1250"), d("1350")));
        // a supplier's own percent wins, its missing amount is the company's
        let own = PriceTolerance::for_supplier(both, Some(d("10")), None);
        assert_eq!(
            own,
            PriceTolerance {
                pct: d("10"),
                abs: d("5")
            }
        );
        let zero = PriceTolerance::for_supplier(company, Some(d("0")), None);
        assert!(
            !zero.allows(d("10"), d("10.01")),
            "a supplier held to the order's price"
        );
    }

    #[test]
    fn tolerances_are_never_negative() {
        let e = check_tolerance(Some(d("101")), Some(d("-0.01")));
        assert_eq!(e.get("price_tolerance_pct"), Some(&FieldError::Invalid));
        assert_eq!(e.get("price_tolerance_abs"), Some(&FieldError::NotNegative));
        assert!(check_tolerance(Some(d("0")), Some(d("0"))).is_empty());
        assert!(check_tolerance(None, Some(d("1000000.1234"))).is_empty());
        assert_eq!(
            check_tolerance(None, Some(d("1.23456"))).get("price_tolerance_abs"),
            Some(&FieldError::TooManyDecimals)
        );
    }
}
