//! The item master's material type: what an item is to the company, as two letters. It is the
//! TYPE of the item's UIDs (seed 002: `UID-SAIF-KOL-RM-000001-…`). Whether an item is tracked
//! by serial number or by lot is a separate property of the item.
use serde::{Deserialize, Serialize};

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum MaterialType {
    /// RM: raw material, bought to be processed.
    #[serde(rename = "RM")]
    RawMaterial,
    /// CP: a bought-in component built into a product.
    #[serde(rename = "CP")]
    Component,
    /// SF: semi-finished goods, made here and processed further.
    #[serde(rename = "SF")]
    SemiFinished,
    /// FG: finished goods, made to be sold.
    #[serde(rename = "FG")]
    FinishedGood,
    /// CN: consumables (oils, electrodes, gloves): used up, not built in. The default.
    #[default]
    #[serde(rename = "CN")]
    Consumable,
    /// SP: spare parts for the plant's machines.
    #[serde(rename = "SP")]
    Spare,
    /// PK: packaging material.
    #[serde(rename = "PK")]
    Packaging,
    /// TL: tools, gauges and fixtures.
    #[serde(rename = "TL")]
    Tool,
}

impl MaterialType {
    /// Every type, in the order the forms offer them.
    pub const ALL: [MaterialType; 8] = [
        MaterialType::RawMaterial,
        MaterialType::Component,
        MaterialType::SemiFinished,
        MaterialType::FinishedGood,
        MaterialType::Consumable,
        MaterialType::Spare,
        MaterialType::Packaging,
        MaterialType::Tool,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MaterialType::RawMaterial => "RM",
            MaterialType::Component => "CP",
            MaterialType::SemiFinished => "SF",
            MaterialType::FinishedGood => "FG",
            MaterialType::Consumable => "CN",
            MaterialType::Spare => "SP",
            MaterialType::Packaging => "PK",
            MaterialType::Tool => "TL",
        }
    }

    /// The type of a two-letter code (any case, blanks around ignored).
    pub fn from_code(code: &str) -> Option<MaterialType> {
        let code = code.trim();
        MaterialType::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(code))
    }
}

impl std::fmt::Display for MaterialType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_two_letters_distinct_and_read_back() {
        let mut seen = std::collections::BTreeSet::new();
        for m in MaterialType::ALL {
            let c = m.code();
            assert_eq!(c.len(), 2);
            assert!(c.chars().all(|ch| ch.is_ascii_uppercase()));
            assert!(seen.insert(c), "{c} twice");
            assert_eq!(MaterialType::from_code(c), Some(m));
            assert_eq!(MaterialType::from_code(&c.to_lowercase()), Some(m));
            assert_eq!(serde_json::to_string(&m).ok(), Some(format!("\"{c}\"")));
        }
        assert_eq!(MaterialType::from_code("XX"), None);
        assert_eq!(MaterialType::from_code("SER"), None);
        assert_eq!(MaterialType::default(), MaterialType::Consumable);
    }
}
