//! The company's own places and groups of items: the category tree (a branch moves under another
//! parent, never under itself) and storage locations plant → warehouse → rack → bin, with their
//! printable labels. `service` holds the rules (server only); `api` the server functions that the
//! screens (`ui`) call, as the REST handlers call the same services.
use crate::error::FieldError;
use crate::inventory::model::LANGUAGES;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub mod api;
pub mod ui;

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;

/// A category of the tree, as listed and edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: Uuid,
    pub code: String,
    /// Every translation: `{"en": …, "hi": …}` (English always).
    pub names: BTreeMap<String, String>,
    /// In the caller's language, else English.
    pub name: String,
    pub parent_id: Option<Uuid>,
    /// The names (in the caller's language) from the root down to this one, itself included.
    pub path: Vec<String>,
    /// Items filed under this category or any category of its branch.
    pub item_count: i64,
}

/// What `POST /categories` and `PUT /categories/{id}` take: a PUT moves the branch under
/// `parent_id` (none: to the root).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryInput {
    /// 1–32 of A–Z, 0–9, `_` and `-`, starting with a letter or digit (upper-cased)
    pub code: String,
    /// Per language; English required.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// What `POST /locations` and `PUT /locations/{id}` take. The code is made of the plant's code and
/// the parts present: `MAI-WH1-R02-B07`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LocationInput {
    pub plant_id: Uuid,
    /// 1–10 letters or digits (upper-cased)
    pub warehouse: String,
    #[serde(default)]
    pub rack: Option<String>,
    /// Only with a rack.
    #[serde(default)]
    pub bin: Option<String>,
    /// Greater than zero, at most 4 decimals; none: not limited.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub capacity: Option<Decimal>,
    /// Default true; a location holding stock cannot be deactivated.
    #[serde(default)]
    pub active: Option<bool>,
}

/// One printed location label: its code as text and as a QR code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationLabel {
    pub id: Uuid,
    pub code: String,
    pub plant: String,
    pub warehouse: String,
    pub rack: Option<String>,
    pub bin: Option<String>,
    /// The QR code of `code`, an inline `<svg>` element.
    pub svg: String,
}

/// A category code as kept: trimmed and upper-cased.
pub fn category_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

fn valid_category_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit())
        && code.len() <= 32
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The shape of a category: its code and names (the tree's rules are the service's).
pub fn validate_category(input: &CategoryInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    let code = category_code(&input.code);
    if code.is_empty() {
        e.insert("code".into(), FieldError::Required);
    } else if code.len() > 32 {
        e.insert("code".into(), FieldError::TooLong);
    } else if !valid_category_code(&code) {
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
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// A part of a location's code (warehouse, rack, bin) as kept: trimmed and upper-cased; blank is
/// none.
pub fn location_part(part: Option<&str>) -> Option<String> {
    part.map(|p| p.trim().to_ascii_uppercase())
        .filter(|p| !p.is_empty())
}

fn check_part(part: &str) -> Result<(), FieldError> {
    if part.len() > 10 {
        Err(FieldError::TooLong)
    } else if !part
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        Err(FieldError::Invalid)
    } else {
        Ok(())
    }
}

/// The shape of a location: its parts (upper-cased first, see [`location_part`]), a bin only in a
/// rack, a capacity above zero.
pub fn validate_location(input: &LocationInput) -> Result<(), BTreeMap<String, FieldError>> {
    let mut e = BTreeMap::new();
    match location_part(Some(&input.warehouse)) {
        None => {
            e.insert("warehouse".into(), FieldError::Required);
        }
        Some(w) => {
            if let Err(err) = check_part(&w) {
                e.insert("warehouse".into(), err);
            }
        }
    }
    let rack = location_part(input.rack.as_deref());
    let bin = location_part(input.bin.as_deref());
    for (field, part) in [("rack", &rack), ("bin", &bin)] {
        if let Some(Err(err)) = part.as_deref().map(check_part) {
            e.insert(field.into(), err);
        }
    }
    if bin.is_some() && rack.is_none() {
        e.insert("rack".into(), FieldError::Required);
    }
    if let Some(c) = input.capacity {
        if c <= Decimal::ZERO {
            e.insert("capacity".into(), FieldError::MustBePositive);
        } else if crate::types::decimals(c) > 4 {
            e.insert("capacity".into(), FieldError::TooManyDecimals);
        } else if c >= Decimal::from(100_000_000_000_000i64) {
            e.insert("capacity".into(), FieldError::TooLong);
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// A location's printed code: the plant's code and the parts present, joined by `-`
/// (`MAI-WH1`, `MAI-WH1-R02`, `MAI-WH1-R02-B07`), as the seed and the first warehouse make them.
pub fn location_code(
    plant: &str,
    warehouse: &str,
    rack: Option<&str>,
    bin: Option<&str>,
) -> String {
    let mut code = format!("{plant}-{warehouse}");
    for part in [rack, bin].into_iter().flatten() {
        code.push('-');
        code.push_str(part);
    }
    code
}

/// One category as read: (id, code, names, parent, items filed directly under it).
pub type CategoryNode = (Uuid, String, BTreeMap<String, String>, Option<Uuid>, i64);

/// The tree of `nodes` as listed: each category with its name in `lang`, its path from the root
/// and the items of its whole branch, in the order of their paths (a parent before its children).
pub fn tree(nodes: Vec<CategoryNode>, lang: &str) -> Vec<Category> {
    let by_id: HashMap<Uuid, &CategoryNode> = nodes.iter().map(|n| (n.0, n)).collect();
    let name_of = |n: &CategoryNode| {
        crate::inventory::model::pick(&n.2, lang)
            .unwrap_or(&n.1)
            .to_string()
    };
    // the ancestors of each node, root first (bounded: a cycle cannot be stored, but a walk never
    // loops even if one were)
    let chain = |start: &CategoryNode| {
        let mut up = vec![start.0];
        let mut at = start.3;
        while let Some(p) = at {
            if up.contains(&p) || up.len() > nodes.len() {
                break;
            }
            up.push(p);
            at = by_id.get(&p).and_then(|n| n.3);
        }
        up.reverse();
        up
    };
    let mut counts: HashMap<Uuid, i64> = HashMap::new();
    let mut rows: Vec<(Vec<String>, Category)> = nodes
        .iter()
        .map(|n| {
            let ids = chain(n);
            for id in &ids {
                *counts.entry(*id).or_default() += n.4;
            }
            let path: Vec<String> = ids
                .iter()
                .filter_map(|id| by_id.get(id).map(|a| name_of(a)))
                .collect();
            let key: Vec<String> = ids
                .iter()
                .filter_map(|id| by_id.get(id).map(|a| format!("{}\u{0}{}", name_of(a), a.1)))
                .collect();
            (
                key,
                Category {
                    id: n.0,
                    code: n.1.clone(),
                    names: n.2.clone(),
                    name: name_of(n),
                    parent_id: n.3,
                    path,
                    item_count: 0,
                },
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter()
        .map(|(_, mut c)| {
            c.item_count = counts.get(&c.id).copied().unwrap_or_default();
            c
        })
        .collect()
}

/// Whether `parent` is `id` itself or inside `id`'s branch (a move there would make a cycle).
pub fn within_branch(categories: &[Category], id: Uuid, parent: Uuid) -> bool {
    let parents: HashMap<Uuid, Option<Uuid>> =
        categories.iter().map(|c| (c.id, c.parent_id)).collect();
    let mut at = Some(parent);
    let mut steps = 0;
    while let Some(p) = at {
        if p == id {
            return true;
        }
        steps += 1;
        if steps > categories.len() {
            return false;
        }
        at = parents.get(&p).copied().flatten();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(en: &str, hi: Option<&str>) -> BTreeMap<String, String> {
        let mut m = BTreeMap::from([("en".to_string(), en.to_string())]);
        if let Some(h) = hi {
            m.insert("hi".into(), h.into());
        }
        m
    }

    #[test]
    fn codes_are_made_of_the_parts_present() {
        assert_eq!(location_code("MAI", "WH1", None, None), "MAI-WH1");
        assert_eq!(
            location_code("MAI", "WH1", Some("R02"), None),
            "MAI-WH1-R02"
        );
        assert_eq!(
            location_code("MAI", "WH1", Some("R02"), Some("B07")),
            "MAI-WH1-R02-B07"
        );
    }

    #[test]
    fn a_location_needs_a_warehouse_a_rack_for_its_bin_and_a_positive_capacity() {
        let ok = LocationInput {
            plant_id: Uuid::nil(),
            warehouse: " wh2 ".into(),
            rack: Some("r1".into()),
            bin: Some("b3".into()),
            capacity: Some(Decimal::new(125, 1)),
            active: None,
        };
        assert_eq!(validate_location(&ok), Ok(()));
        let bad = LocationInput {
            warehouse: "".into(),
            rack: Some("  ".into()),
            capacity: Some(Decimal::ZERO),
            ..ok.clone()
        };
        let e = validate_location(&bad).unwrap_err();
        assert_eq!(e.get("warehouse"), Some(&FieldError::Required));
        assert_eq!(e.get("rack"), Some(&FieldError::Required));
        assert_eq!(e.get("capacity"), Some(&FieldError::MustBePositive));
        let odd = LocationInput {
            warehouse: "W H".into(),
            bin: Some("B-1".into()),
            capacity: Some(Decimal::new(1, 5)),
            ..ok
        };
        let e = validate_location(&odd).unwrap_err();
        assert_eq!(e.get("warehouse"), Some(&FieldError::Invalid));
        assert_eq!(e.get("bin"), Some(&FieldError::Invalid));
        assert_eq!(e.get("capacity"), Some(&FieldError::TooManyDecimals));
    }

    #[test]
    fn category_codes_and_names_are_checked() {
        let ok = CategoryInput {
            code: " bearings-2 ".into(),
            names: names("Bearings", Some("बेयरिंग")),
            parent_id: None,
        };
        assert_eq!(validate_category(&ok), Ok(()));
        let bad = CategoryInput {
            code: "-X".into(),
            names: BTreeMap::from([("fr".to_string(), "Roulements".to_string())]),
            parent_id: None,
        };
        let e = validate_category(&bad).unwrap_err();
        assert_eq!(e.get("code"), Some(&FieldError::Invalid));
        assert_eq!(e.get("names.en"), Some(&FieldError::Required));
        assert_eq!(e.get("names.fr"), Some(&FieldError::UnknownLanguage));
    }

    #[test]
    fn the_tree_has_paths_branch_counts_and_parents_first() {
        let (a, b, c, d) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let nodes = vec![
            (c, "BALL".into(), names("Ball", Some("बॉल")), Some(b), 2),
            (a, "MECH".into(), names("Mechanical", None), None, 1),
            (
                b,
                "BRG".into(),
                names("Bearings", Some("बेयरिंग")),
                Some(a),
                3,
            ),
            (d, "ELEC".into(), names("Electrical", None), None, 0),
        ];
        let t = tree(nodes, "hi");
        let ids: Vec<Uuid> = t.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![d, a, b, c]);
        let ball = &t[3];
        assert_eq!(ball.path, vec!["Mechanical", "बेयरिंग", "बॉल"]);
        assert_eq!(ball.name, "बॉल");
        let counts: Vec<i64> = t.iter().map(|c| c.item_count).collect();
        assert_eq!(counts, vec![0, 6, 5, 2]);
        assert!(within_branch(&t, a, c));
        assert!(within_branch(&t, b, b));
        assert!(!within_branch(&t, c, a));
        assert!(!within_branch(&t, d, a));
    }
}
