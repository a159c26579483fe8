//! Payments to suppliers and the payables they leave, as the browser and the server share them;
//! and the ageing rule (days past the due date, in five buckets).
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaymentInput {
    pub supplier_id: Uuid,
    pub date: NaiveDate,
    /// An account of the chart whose `control` is `bank`.
    pub bank_account_id: Uuid,
    pub allocations: Vec<AllocationInput>,
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AllocationInput {
    pub supplier_invoice_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: Uuid,
    /// PAY-2026-000001
    pub number: String,
    pub supplier_id: Uuid,
    pub supplier: String,
    pub date: NaiveDate,
    pub bank_account_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
    pub currency: String,
    pub reference: Option<String>,
    pub entry_id: Option<Uuid>,
    pub allocations: Vec<Allocation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub supplier_invoice_id: Uuid,
    /// Ours (PI-…) and the supplier's number.
    pub invoice: String,
    pub supplier_number: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
}

/// What is owed to each supplier on a day, by how long past its due date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApAgeing {
    pub as_of: NaiveDate,
    pub currency: String,
    pub rows: Vec<AgeingRow>,
    pub totals: Buckets,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgeingRow {
    pub supplier_id: Uuid,
    pub supplier: String,
    #[serde(flatten)]
    pub buckets: Buckets,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Buckets {
    /// Not yet due.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub current: Decimal,
    #[serde(rename = "1_30")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub days_1_30: Decimal,
    #[serde(rename = "31_60")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub days_31_60: Decimal,
    #[serde(rename = "61_90")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub days_61_90: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub over_90: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
}

impl Buckets {
    /// Adds `amount` due on `due` to its bucket as seen on `as_of`.
    pub fn add(&mut self, as_of: NaiveDate, due: NaiveDate, amount: Decimal) {
        let late = (as_of - due).num_days();
        let bucket = match late {
            i64::MIN..=0 => &mut self.current,
            1..=30 => &mut self.days_1_30,
            31..=60 => &mut self.days_31_60,
            61..=90 => &mut self.days_61_90,
            _ => &mut self.over_90,
        };
        *bucket += amount;
        self.total += amount;
    }

    pub fn merge(&mut self, other: &Buckets) {
        self.current += other.current;
        self.days_1_30 += other.days_1_30;
        self.days_31_60 += other.days_31_60;
        self.days_61_90 += other.days_61_90;
        self.over_90 += other.over_90;
        self.total += other.total;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn ageing_puts_each_amount_in_the_bucket_of_its_days_past_due() {
        let as_of = d(2026, 12, 31);
        let mut b = Buckets::default();
        for (due, amount) in [
            (d(2027, 1, 5), 1),    // not yet due
            (d(2026, 12, 31), 2),  // due today: current
            (d(2026, 12, 30), 4),  // 1 day
            (d(2026, 12, 1), 8),   // 30 days
            (d(2026, 11, 30), 16), // 31 days
            (d(2026, 11, 1), 32),  // 60 days
            (d(2026, 10, 2), 64),  // 90 days
            (d(2026, 10, 1), 128), // 91 days
        ] {
            b.add(as_of, due, Decimal::from(amount));
        }
        assert_eq!(b.current, Decimal::from(3));
        assert_eq!(b.days_1_30, Decimal::from(12));
        assert_eq!(b.days_31_60, Decimal::from(48));
        assert_eq!(b.days_61_90, Decimal::from(64));
        assert_eq!(b.over_90, Decimal::from(128));
        assert_eq!(b.total, Decimal::from(255));
    }
}
