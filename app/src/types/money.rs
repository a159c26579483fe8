//! Money: an amount with its currency, never more precise than the currency's minor unit.
use super::{decimals, Quantity};
use crate::error::FieldError;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency code: three capital letters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const INR: Currency = Currency(*b"INR");

    pub fn code(&self) -> &str {
        // three ASCII capitals by construction
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point (ISO 4217 minor units).
    pub fn minor_units(self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"VND" | b"CLP" | b"ISK" | b"UGX" => 0,
            b"BHD" | b"KWD" | b"OMR" | b"JOD" | b"IQD" | b"LYD" | b"TND" => 3,
            _ => 2,
        }
    }

    /// The sign written before an amount: `₹`, `$`, or the code and a space.
    pub fn symbol(&self) -> &str {
        match &self.0 {
            b"INR" => "₹",
            b"USD" => "$",
            b"EUR" => "€",
            b"GBP" => "£",
            b"JPY" => "¥",
            b"BDT" => "৳",
            b"AED" => "AED ",
            b"SAR" => "SAR ",
            _ => self.code(),
        }
    }
}

impl FromStr for Currency {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_alphabetic) => {
                Ok(Currency([a, b, c].map(|x| x.to_ascii_uppercase())))
            }
            _ => Err(FieldError::Invalid),
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

/// The largest price or amount a document line takes (a trillion in the major unit).
const MAX_AMOUNT: u64 = 1_000_000_000_000;

/// An amount in a currency, to the currency's minor unit at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// `amount` rounded half away from zero to the currency's minor unit (a computed figure:
    /// a line's total, a tax).
    pub fn rounded(amount: Decimal, currency: Currency) -> Money {
        Money {
            amount: amount.round_dp_with_strategy(
                currency.minor_units(),
                RoundingStrategy::MidpointAwayFromZero,
            ),
            currency,
        }
    }

    pub fn zero(currency: Currency) -> Money {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    /// A price or amount someone typed: not negative, no finer than the minor unit, at most a
    /// trillion — each refusal the field error a form shows.
    pub fn entered(amount: Decimal, currency: Currency) -> Result<Money, FieldError> {
        if amount < Decimal::ZERO {
            Err(FieldError::NotNegative)
        } else if decimals(amount) > currency.minor_units() {
            Err(FieldError::TooManyDecimals)
        } else if amount > Decimal::from(MAX_AMOUNT) {
            Err(FieldError::TooLong)
        } else {
            Ok(Money { amount, currency })
        }
    }

    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// This unit price times a quantity, rounded to the minor unit: a document line's total.
    pub fn times(self, quantity: Quantity) -> Money {
        Money::rounded(self.amount * quantity.value(), self.currency)
    }

    /// The sum of two amounts in the same currency; none across currencies.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency).then(|| Money {
            amount: self.amount + other.amount,
            currency: self.currency,
        })
    }

    /// The sum of amounts in `currency` (zero for none); none if one is in another currency.
    pub fn sum(currency: Currency, amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    fn inr() -> Currency {
        "inr".parse().expect("a currency")
    }

    #[test]
    fn currencies_are_three_letters_with_their_minor_units() {
        assert_eq!(inr(), Currency::INR);
        assert_eq!(Currency::INR.code(), "INR");
        assert_eq!("JPY".parse::<Currency>().map(|c| c.minor_units()), Ok(0));
        assert_eq!("KWD".parse::<Currency>().map(|c| c.minor_units()), Ok(3));
        for bad in ["", "IN", "INRR", "1NR", "₹"] {
            assert_eq!(bad.parse::<Currency>(), Err(FieldError::Invalid), "{bad}");
        }
        assert_eq!(
            serde_json::to_string(&Currency::INR).ok().as_deref(),
            Some("\"INR\"")
        );
    }

    #[test]
    fn entered_amounts_are_refused_by_the_field_error_a_form_shows() {
        assert_eq!(
            Money::entered(dec("-1"), inr()),
            Err(FieldError::NotNegative)
        );
        assert_eq!(
            Money::entered(dec("1.005"), inr()),
            Err(FieldError::TooManyDecimals)
        );
        assert_eq!(
            Money::entered(dec("1000000000001"), inr()),
            Err(FieldError::TooLong)
        );
        assert_eq!(
            Money::entered(dec("12.50"), inr()).map(|m| m.amount()),
            Ok(dec("12.50"))
        );
        let jpy: Currency = "JPY".parse().expect("a currency");
        assert_eq!(
            Money::entered(dec("1.5"), jpy),
            Err(FieldError::TooManyDecimals)
        );
    }

    #[test]
    fn line_totals_round_half_away_from_zero_to_the_minor_unit() {
        let price = Money::entered(dec("0.15"), inr()).expect("a price");
        let q = Quantity::try_from(dec("0.5")).expect("a quantity");
        assert_eq!(price.times(q).amount(), dec("0.08"));
        let total = Money::sum(inr(), [price.times(q), price]).map(|m| m.amount());
        assert_eq!(total, Some(dec("0.23")));
        let usd: Currency = "USD".parse().expect("a currency");
        assert_eq!(price.checked_add(Money::zero(usd)), None);
    }
}
