//! Quantities on document lines and stock movements.
use super::decimals;
use crate::error::FieldError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A positive quantity with at most four decimals (the schema's NUMERIC(18,4)) and at most a
/// billion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Quantity(Decimal);

impl Quantity {
    /// Decimals the schema keeps.
    pub const DECIMALS: u32 = 4;

    /// With no more than `max_decimals` decimals (a unit counted whole allows none).
    pub fn with_decimals(v: Decimal, max_decimals: u32) -> Result<Quantity, FieldError> {
        if v <= Decimal::ZERO {
            Err(FieldError::MustBePositive)
        } else if decimals(v) > max_decimals.min(Self::DECIMALS) {
            Err(FieldError::TooManyDecimals)
        } else if v > Decimal::from(1_000_000_000u64) {
            Err(FieldError::TooLong)
        } else {
            Ok(Quantity(v))
        }
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

/// A quantity that may be zero (a reorder level, the part of a receipt accepted or rejected): not
/// negative, at most [`Quantity::DECIMALS`] decimals.
pub fn zero_or_more(v: Decimal) -> Result<Decimal, FieldError> {
    if v < Decimal::ZERO {
        Err(FieldError::NotNegative)
    } else if decimals(v) > Quantity::DECIMALS {
        Err(FieldError::TooManyDecimals)
    } else {
        Ok(v)
    }
}

impl TryFrom<Decimal> for Quantity {
    type Error = FieldError;
    fn try_from(v: Decimal) -> Result<Self, Self::Error> {
        Quantity::with_decimals(v, Self::DECIMALS)
    }
}

impl From<Quantity> for Decimal {
    fn from(q: Quantity) -> Decimal {
        q.0
    }
}

impl std::str::FromStr for Quantity {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<Decimal>()
            .map_err(|_| FieldError::Invalid)?
            .try_into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn a_quantity_is_positive_with_at_most_four_decimals() {
        assert_eq!(
            Quantity::try_from(dec("0")),
            Err(FieldError::MustBePositive)
        );
        assert_eq!(
            Quantity::try_from(dec("-1")),
            Err(FieldError::MustBePositive)
        );
        assert_eq!(
            Quantity::try_from(dec("1.00001")),
            Err(FieldError::TooManyDecimals)
        );
        assert_eq!(
            Quantity::try_from(dec("1000000001")),
            Err(FieldError::TooLong)
        );
        assert_eq!(
            Quantity::try_from(dec("2.5000")).map(Quantity::value),
            Ok(dec("2.5"))
        );
        assert_eq!(
            Quantity::with_decimals(dec("2.5"), 0),
            Err(FieldError::TooManyDecimals)
        );
        assert_eq!(" 3 ".parse::<Quantity>().map(Quantity::value), Ok(dec("3")));
        assert_eq!("three".parse::<Quantity>(), Err(FieldError::Invalid));
        assert!(serde_json::from_str::<Quantity>("\"0\"").is_err());
        assert_eq!(zero_or_more(dec("0")), Ok(dec("0")));
        assert_eq!(zero_or_more(dec("-0.5")), Err(FieldError::NotNegative));
        assert_eq!(
            zero_or_more(dec("0.00001")),
            Err(FieldError::TooManyDecimals)
        );
    }
}
