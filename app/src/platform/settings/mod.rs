//! The tenant's own set-up: its settings (name, currency, time zone, language, number format,
//! financial year, document number prefixes), its company, plants, departments and cost centres.
//! The setup wizard walks through them once, each step saved on its own; the settings page edits
//! them later. Both call the same services as REST.
use crate::error::{AppError, FieldError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub mod api;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;

/// The tenant's settings as shown and edited.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TenantSettings {
    pub slug: String,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
    pub default_language: String,
    /// western or indian
    pub number_format: String,
    /// 1 (January) … 12; April (4) for India's financial year
    pub fiscal_year_start_month: i16,
    /// The roles whose holders must sign in with a second factor.
    pub require_totp_roles: Vec<String>,
    /// Where the sign-up's address stands: verified, or the days left to verify it.
    pub email_verified: bool,
    pub signup_email: Option<String>,
    /// Whether the first administrator finished (or skipped) the setup wizard.
    pub setup_completed: bool,
    /// Document number prefixes by kind (`PR`, `PO`, `GRN` → the tenant's own, or the same).
    pub prefixes: Vec<DocPrefix>,
    /// Invoice matching: how far a supplier invoice's unit price may exceed the order's before
    /// the line is an exception, in percent (default 2) …
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2"))]
    pub invoice_price_tolerance_pct: Decimal,
    /// … and at most this amount per unit in the company's currency (0: no amount limit). A
    /// supplier may have its own.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "0"))]
    pub invoice_price_tolerance_abs: Decimal,
}

/// A kind of document's number prefix: the kind's own (`PR`) and the tenant's choice.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DocPrefix {
    pub doc_type: String,
    pub prefix: String,
}

/// The kinds of numbered documents and their own prefixes.
pub const DOC_TYPES: &[&str] = &["PR", "PO", "GRN"];

/// What the settings form and `PUT /api/v1/tenant` change (absent fields stay as they are).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SettingsInput {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub time_zone: Option<String>,
    pub default_language: Option<String>,
    pub number_format: Option<String>,
    pub fiscal_year_start_month: Option<i16>,
    pub require_totp_roles: Option<Vec<String>>,
    pub prefixes: Option<Vec<DocPrefix>>,
    /// `true` closes the setup wizard (it is not shown again; `false` changes nothing).
    pub setup_completed: Option<bool>,
    /// Percent, 0–100, at most 4 decimals.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "2.5"))]
    pub invoice_price_tolerance_pct: Option<Decimal>,
    /// An amount ≥ 0 (0: none), at most 4 decimals.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "50"))]
    pub invoice_price_tolerance_abs: Option<Decimal>,
}

/// The company (legal entity) the plants belong to.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Company {
    pub id: Uuid,
    pub name: String,
    pub legal_name: Option<String>,
    /// The GSTIN (India) or another tax id.
    pub tax_id: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompanyInput {
    pub name: String,
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Plant {
    pub id: Uuid,
    /// 3 letters or digits: the PLANT part of a UID
    pub code: String,
    pub name: String,
    pub company_id: Uuid,
    /// Two digits (India's state code, e.g. 19 West Bengal): the place of supply of what the
    /// plant receives
    #[cfg_attr(feature = "ssr", schema(example = "19"))]
    pub state_code: Option<String>,
    /// The plant's GSTIN (India), its check character verified; its first two digits are
    /// `state_code`
    #[cfg_attr(feature = "ssr", schema(example = "19AAACS1234F1ZP"))]
    pub gstin: Option<String>,
    pub address: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlantInput {
    pub code: String,
    pub name: String,
    /// The first company when absent.
    pub company_id: Option<Uuid>,
    /// Two digits, 01–38 or 97; taken from the GSTIN when absent, and 422 when it differs from
    /// the GSTIN's first two digits
    #[cfg_attr(feature = "ssr", schema(example = "19"))]
    pub state_code: Option<String>,
    /// 15 characters; a wrong check character is 422 on `gstin`
    #[cfg_attr(feature = "ssr", schema(example = "19AAACS1234F1ZP"))]
    pub gstin: Option<String>,
    pub address: Option<String>,
    pub active: Option<bool>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub plant_id: Option<Uuid>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentInput {
    pub code: String,
    pub name: String,
    pub plant_id: Option<Uuid>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostCentre {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub department_id: Option<Uuid>,
    pub active: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostCentreInput {
    pub code: String,
    pub name: String,
    pub department_id: Option<Uuid>,
    pub active: Option<bool>,
}

/// Blank optional text is absent.
pub fn blank_to_none(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A name: 1–200 characters once trimmed.
pub fn check_name(name: &str) -> Result<(), FieldError> {
    match name.trim().chars().count() {
        0 => Err(FieldError::Required),
        n if n > 200 => Err(FieldError::TooLong),
        _ => Ok(()),
    }
}

/// A department's or cost centre's code: 1–20 upper-case letters, digits or hyphens.
pub fn check_code(code: &str) -> Result<(), FieldError> {
    let n = code.chars().count();
    if n == 0 {
        return Err(FieldError::Required);
    }
    if n > 20 {
        return Err(FieldError::TooLong);
    }
    if code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    {
        Ok(())
    } else {
        Err(FieldError::Invalid)
    }
}

/// A document number prefix: 1–6 upper-case letters.
pub fn check_prefix(prefix: &str) -> Result<(), FieldError> {
    let n = prefix.chars().count();
    if n == 0 {
        return Err(FieldError::Required);
    }
    if n > 6 || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(FieldError::Invalid);
    }
    Ok(())
}

/// India's state code: two digits from 01 to 38 (GST's list, 97 for other territory).
pub fn check_state_code(code: &str) -> Result<(), FieldError> {
    match code.parse::<u8>() {
        Ok(n) if code.len() == 2 && ((1..=38).contains(&n) || n == 97) => Ok(()),
        _ => Err(FieldError::Invalid),
    }
}

/// The state a supplier or plant is registered in: the GSTIN's when it has one (a state given beside it
/// must be the same), else the state given.
pub fn state_of(
    gstin: Option<&crate::types::Gstin>,
    state_code: Option<&str>,
) -> Result<Option<String>, FieldError> {
    if let Some(s) = state_code {
        check_state_code(s)?;
    }
    match (gstin, state_code) {
        (Some(g), Some(s)) if s != g.state_code() => Err(FieldError::StateMismatch),
        (Some(g), _) => Ok(Some(g.state_code().to_string())),
        (None, s) => Ok(s.map(str::to_string)),
    }
}

/// The most decimal places of a tolerance's percent or amount.
pub const TOLERANCE_DECIMALS: u32 = 4;

/// A percent: 0–100, at most four decimals.
pub fn check_percent(v: Decimal) -> Result<(), FieldError> {
    check_amount(v)?;
    if v > Decimal::ONE_HUNDRED {
        return Err(FieldError::Invalid);
    }
    Ok(())
}

/// An amount or percent that is never negative, with at most four decimals, below 10^14 (what the
/// database keeps).
pub fn check_amount(v: Decimal) -> Result<(), FieldError> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(FieldError::NotNegative);
    }
    if v.normalize().scale() > TOLERANCE_DECIMALS {
        return Err(FieldError::TooManyDecimals);
    }
    if v >= Decimal::from(100_000_000_000_000i64) {
        return Err(FieldError::Invalid);
    }
    Ok(())
}

/// Collects field errors into one validation error (none: `Ok`).
pub fn validation(errors: BTreeMap<String, FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_one_to_six_capital_letters() {
        assert_eq!(check_prefix("PR"), Ok(()));
        assert_eq!(check_prefix("INDENT"), Ok(()));
        assert_eq!(check_prefix(""), Err(FieldError::Required));
        assert_eq!(check_prefix("pr"), Err(FieldError::Invalid));
        assert_eq!(check_prefix("PR-1"), Err(FieldError::Invalid));
        assert_eq!(check_prefix("REQUEST"), Err(FieldError::Invalid));
    }

    #[test]
    fn state_codes_are_gsts_two_digits() {
        assert_eq!(check_state_code("19"), Ok(()));
        assert_eq!(check_state_code("37"), Ok(()));
        assert_eq!(check_state_code("97"), Ok(()));
        for bad in ["0", "00", "39", "1a", "019"] {
            assert_eq!(check_state_code(bad), Err(FieldError::Invalid), "{bad}");
        }
    }

    #[test]
    fn codes_are_capitals_digits_and_hyphens() {
        assert_eq!(check_code("CC-ADM"), Ok(()));
        assert_eq!(check_code("adm"), Err(FieldError::Invalid));
        assert_eq!(check_code(""), Err(FieldError::Required));
    }
}
