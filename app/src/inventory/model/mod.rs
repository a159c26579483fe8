//! The item master and search shapes, with the validation the forms and the server share.
use crate::error::FieldError;
use crate::types::zero_or_more;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub mod import;
pub mod material;
pub mod receipts;
pub mod stock;
pub mod uid;
pub mod units;

/// Languages an item may be named in.
pub const LANGUAGES: [&str; 5] = ["en", "hi", "bn", "te", "ar"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Item {
    pub id: Uuid,
    pub sku: String,
    /// In the caller's language, else English.
    pub name: String,
    pub description: Option<String>,
    /// Every translation: `{"en": …, "hi": …}`.
    pub names: BTreeMap<String, String>,
    pub descriptions: BTreeMap<String, String>,
    pub category_id: Option<Uuid>,
    pub category: Option<String>,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub reorder_level: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub reorder_quantity: Decimal,
    pub serialised: bool,
    /// What the item is (RM, CP, SF, FG, CN, SP, PK, TL): the TYPE of its UIDs.
    pub material_type: material::MaterialType,
    pub specs: BTreeMap<String, String>,
    /// HSN (goods) or SAC (services) code: 4, 6 or 8 digits.
    pub hsn_sac: Option<String>,
    /// GST rate in percent.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub gst_rate: Option<Decimal>,
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemInput {
    /// Upper-case letters, digits and `. _ / -`; unique in the company.
    pub sku: String,
    /// Name per language; `en` is required.
    pub names: BTreeMap<String, String>,
    /// The English description (shorthand for `descriptions.en`).
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub descriptions: BTreeMap<String, String>,
    #[serde(default)]
    pub category_id: Option<Uuid>,
    pub unit: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub reorder_level: Option<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub reorder_quantity: Option<Decimal>,
    #[serde(default)]
    pub serialised: Option<bool>,
    /// RM, CP, SF, FG, CN, SP, PK or TL (any case); CN for a new item when absent, unchanged for
    /// an item being replaced.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<material::MaterialType>))]
    pub material_type: Option<String>,
    #[serde(default)]
    pub specs: BTreeMap<String, String>,
    /// HSN (goods) or SAC (services) code: 4, 6 or 8 digits.
    #[serde(default)]
    pub hsn_sac: Option<String>,
    /// GST rate in percent, 0 to 100 with at most two decimals.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub gst_rate: Option<Decimal>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// What the item editor offers to choose from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemEditorOptions {
    /// (id, the category's path from the root in the reader's language), by path.
    pub categories: Vec<(Uuid, String)>,
    /// The company's active units: (code, name in the reader's language), by code.
    pub units: Vec<(String, String)>,
    /// Whether the tenant keeps Indian GST (its currency is INR): HSN/SAC and GST rate are shown.
    pub gst: bool,
}

/// An HSN or SAC code: 4, 6 or 8 digits.
pub fn valid_hsn_sac(code: &str) -> bool {
    matches!(code.len(), 4 | 6 | 8) && code.bytes().all(|b| b.is_ascii_digit())
}

pub fn valid_sku(sku: &str) -> bool {
    let mut chars = sku.chars();
    sku.len() <= 40
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && chars.all(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '/' | '-')
        })
}

fn quantity_ok(e: &mut BTreeMap<String, FieldError>, field: &str, v: Option<Decimal>) {
    if let Some(Err(err)) = v.map(zero_or_more) {
        e.insert(field.into(), err);
    }
}

pub fn validate_item(input: &ItemInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let sku = input.sku.trim();
    if sku.is_empty() {
        e.insert("sku".into(), FieldError::Required);
    } else if !valid_sku(sku) {
        e.insert("sku".into(), FieldError::Invalid);
    }
    if input
        .names
        .get("en")
        .map(|n| n.trim().is_empty())
        .unwrap_or(true)
    {
        e.insert("names.en".into(), FieldError::Required);
    }
    for (lang, name) in &input.names {
        if !LANGUAGES.contains(&lang.as_str()) {
            e.insert(format!("names.{lang}"), FieldError::UnknownLanguage);
        } else if name.chars().count() > 200 {
            e.insert(format!("names.{lang}"), FieldError::TooLong);
        }
    }
    for (lang, d) in &input.descriptions {
        if !LANGUAGES.contains(&lang.as_str()) {
            e.insert(format!("descriptions.{lang}"), FieldError::UnknownLanguage);
        } else if d.chars().count() > 2000 {
            e.insert(format!("descriptions.{lang}"), FieldError::TooLong);
        }
    }
    let unit = input.unit.trim();
    if unit.is_empty() {
        e.insert("unit".into(), FieldError::Required);
    } else if unit.chars().count() > 20 {
        e.insert("unit".into(), FieldError::TooLong);
    }
    if input
        .material_type
        .as_deref()
        .is_some_and(|m| material::MaterialType::from_code(m).is_none())
    {
        e.insert("material_type".into(), FieldError::Invalid);
    }
    if input
        .hsn_sac
        .as_deref()
        .map(str::trim)
        .is_some_and(|h| !h.is_empty() && !valid_hsn_sac(h))
    {
        e.insert("hsn_sac".into(), FieldError::Invalid);
    }
    if input
        .gst_rate
        .is_some_and(|r| r < Decimal::ZERO || r > Decimal::ONE_HUNDRED || r != r.round_dp(2))
    {
        e.insert("gst_rate".into(), FieldError::Invalid);
    }
    quantity_ok(&mut e, "reorder_level", input.reorder_level);
    quantity_ok(&mut e, "reorder_quantity", input.reorder_quantity);
    if input.specs.len() > 50
        || input
            .specs
            .iter()
            .any(|(k, v)| k.trim().is_empty() || k.chars().count() > 60 || v.chars().count() > 200)
    {
        e.insert("specs".into(), FieldError::Invalid);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// The name to show: the caller's language, else English, else any.
pub fn pick<'a>(map: &'a BTreeMap<String, String>, lang: &str) -> Option<&'a str> {
    map.get(lang)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| map.get("en"))
        .or_else(|| map.values().next())
        .map(String::as_str)
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchFilter {
    pub q: Option<String>,
    pub category_id: Option<Uuid>,
    /// Plant code: stock counted there only, and only items stocked there when `in_stock`.
    pub plant: Option<String>,
    pub in_stock: bool,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchRow {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub on_hand: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub available: Decimal,
    /// Relevance: higher is better (SKU prefix, then words, then similar spellings).
    pub score: f32,
    /// Stock per plant (plants holding some), in plant order.
    pub stock: Vec<PlantStock>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlantStock {
    pub plant: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub on_hand: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub available: Decimal,
}

/// One value of a filter with how many matching items have it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The filter's value: a category id or a plant code.
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// Counts per filter value over the matching items (before paging).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Facets {
    pub categories: Vec<FacetCount>,
    /// Items with stock available per plant.
    pub plants: Vec<FacetCount>,
    /// Items with stock available (at `plant` when given).
    pub in_stock: u64,
}

/// A page of search results with the facets of the whole result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub rows: Vec<SearchRow>,
    pub total: u64,
    /// `total` is a lower bound: a text search ranks the candidates its page needs (see
    /// [`search_cap`]); a later page may find more.
    pub more: bool,
    pub page: u32,
    pub per_page: u32,
    pub facets: Facets,
}

/// A text search ranks the word matches it finds in blocks of this many, in the order found
/// (five pages of 20).
pub const SEARCH_BLOCK: u32 = 100;
/// The most word matches a text search reads, for its deepest page (a broader query is to be
/// refined).
pub const SEARCH_MAX: u32 = 1_000;

/// How many word matches a text search reads to answer `page` of `per_page` rows: the blocks the
/// page reaches, at least one, at most [`SEARCH_MAX`]. The first page of a word found in a
/// million items reads 100 of them; the sixth page of 20 reads 200 and ranks the first 100 as
/// the first page did.
pub fn search_cap(page: u32, per_page: u32) -> u32 {
    page.max(1)
        .saturating_mul(per_page)
        .div_ceil(SEARCH_BLOCK)
        .saturating_mul(SEARCH_BLOCK)
        .clamp(SEARCH_BLOCK, SEARCH_MAX)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Location {
    pub id: Uuid,
    pub code: String,
    pub plant: String,
    pub warehouse: String,
    pub rack: Option<String>,
    pub bin: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub capacity: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub on_hand: Decimal,
    pub active: bool,
}

/// What a requisition line for an item starts with (the low-stock alert's "create requisition").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemPrefill {
    pub id: Uuid,
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
    /// The moving average cost, as an estimate.
    pub price: Decimal,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_later_page_reads_more_matches_in_blocks() {
        assert_eq!(search_cap(1, 20), 100);
        assert_eq!(search_cap(0, 20), 100);
        assert_eq!(search_cap(5, 20), 100);
        assert_eq!(search_cap(6, 20), 200);
        assert_eq!(search_cap(1, 100), 100);
        assert_eq!(search_cap(2, 100), 200);
        assert_eq!(search_cap(3, 7), 100);
        assert_eq!(search_cap(15, 100), SEARCH_MAX);
        assert_eq!(search_cap(u32::MAX, 100), SEARCH_MAX);
    }

    #[test]
    fn hsn_sac_codes_have_4_6_or_8_digits_and_gst_rates_two_decimals() {
        for ok in ["8482", "848210", "84821000", "998314"] {
            assert!(valid_hsn_sac(ok), "{ok}");
        }
        for bad in ["848", "84821", "8482A0", "848210000", ""] {
            assert!(!valid_hsn_sac(bad), "{bad}");
        }
        let item = |hsn: &str, rate: Decimal| ItemInput {
            sku: "BRG-1".into(),
            names: names(&[("en", "Bearing")]),
            unit: "PCS".into(),
            hsn_sac: Some(hsn.into()),
            gst_rate: Some(rate),
            ..Default::default()
        };
        assert!(validate_item(&item("8482", Decimal::new(18, 0))).is_ok());
        assert!(validate_item(&item(" ", Decimal::new(25, 2))).is_ok());
        let e = validate_item(&item("84A2", Decimal::new(18125, 3))).unwrap_err();
        assert_eq!(e.get("hsn_sac"), Some(&FieldError::Invalid));
        assert_eq!(e.get("gst_rate"), Some(&FieldError::Invalid));
        let e = validate_item(&item("8482", Decimal::new(101, 0))).unwrap_err();
        assert_eq!(e.get("gst_rate"), Some(&FieldError::Invalid));
    }

    #[test]
    fn items_need_an_english_name_a_sku_and_a_unit() {
        let ok = ItemInput {
            sku: "BRG-6205-2RS".into(),
            names: names(&[("en", "Ball bearing 6205"), ("hi", "बॉल बेयरिंग 6205")]),
            unit: "pcs".into(),
            reorder_level: Some(Decimal::new(20, 0)),
            ..Default::default()
        };
        assert!(validate_item(&ok).is_ok());
        let bad = ItemInput {
            sku: "brg 1".into(),
            names: names(&[("hi", "बेयरिंग"), ("xx", "?")]),
            unit: " ".into(),
            reorder_level: Some(Decimal::new(-1, 0)),
            reorder_quantity: Some(Decimal::new(1, 5)),
            ..Default::default()
        };
        let e = validate_item(&bad).unwrap_err();
        assert_eq!(e.get("sku"), Some(&FieldError::Invalid));
        assert_eq!(e.get("names.en"), Some(&FieldError::Required));
        assert_eq!(e.get("names.xx"), Some(&FieldError::UnknownLanguage));
        assert_eq!(e.get("unit"), Some(&FieldError::Required));
        assert_eq!(e.get("reorder_level"), Some(&FieldError::NotNegative));
        assert_eq!(
            e.get("reorder_quantity"),
            Some(&FieldError::TooManyDecimals)
        );
    }

    #[test]
    fn names_fall_back_to_english() {
        let n = names(&[("en", "Bearing"), ("hi", "बेयरिंग"), ("ar", " ")]);
        assert_eq!(pick(&n, "hi"), Some("बेयरिंग"));
        assert_eq!(pick(&n, "ar"), Some("Bearing"));
        assert_eq!(pick(&n, "te"), Some("Bearing"));
    }
}
