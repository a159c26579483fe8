//! The charts a new tenant starts from: an Indian manufacturer's, in the groups of Schedule III
//! of the Companies Act, for INR tenants, and a generic one otherwise. Each row: code, name, kind,
//! parent code, whether a group, and the control role. Both are the tenant's to edit afterwards.

pub struct TemplateAccount {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub parent: Option<&'static str>,
    pub group: bool,
    pub control: Option<&'static str>,
}

const fn g(
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    parent: Option<&'static str>,
) -> TemplateAccount {
    TemplateAccount {
        code,
        name,
        kind,
        parent,
        group: true,
        control: None,
    }
}

const fn a(
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    parent: &'static str,
    control: Option<&'static str>,
) -> TemplateAccount {
    TemplateAccount {
        code,
        name,
        kind,
        parent: Some(parent),
        group: false,
        control,
    }
}

pub static INDIAN_MANUFACTURER: &[TemplateAccount] = &[
    g("1000", "Non-current assets", "asset", None),
    a(
        "1100",
        "Property, plant and equipment",
        "asset",
        "1000",
        None,
    ),
    a("1200", "Capital work-in-progress", "asset", "1000", None),
    g("1300", "Current assets", "asset", None),
    g("1310", "Inventories", "asset", Some("1300")),
    a(
        "1311",
        "Raw materials and stores",
        "asset",
        "1310",
        Some("inventory"),
    ),
    a(
        "1312",
        "Goods in transit",
        "asset",
        "1310",
        Some("in_transit"),
    ),
    a("1320", "Trade receivables", "asset", "1300", None),
    g("1330", "Cash and cash equivalents", "asset", Some("1300")),
    a("1331", "Cash in hand", "asset", "1330", None),
    a(
        "1332",
        "Bank — current account",
        "asset",
        "1330",
        Some("bank"),
    ),
    g("1340", "Other current assets", "asset", Some("1300")),
    a(
        "1341",
        "GST input — CGST",
        "asset",
        "1340",
        Some("gst_input_cgst"),
    ),
    a(
        "1342",
        "GST input — SGST",
        "asset",
        "1340",
        Some("gst_input_sgst"),
    ),
    a(
        "1343",
        "GST input — IGST",
        "asset",
        "1340",
        Some("gst_input_igst"),
    ),
    g("2000", "Non-current liabilities", "liability", None),
    a("2100", "Long-term borrowings", "liability", "2000", None),
    g("2200", "Current liabilities", "liability", None),
    g("2210", "Trade payables", "liability", Some("2200")),
    a("2211", "Sundry creditors", "liability", "2210", Some("ap")),
    a(
        "2212",
        "Goods received not invoiced",
        "liability",
        "2210",
        Some("grni"),
    ),
    g(
        "2220",
        "Other current liabilities",
        "liability",
        Some("2200"),
    ),
    a(
        "2221",
        "TDS payable",
        "liability",
        "2220",
        Some("tds_payable"),
    ),
    a("2222", "GST output payable", "liability", "2220", None),
    a(
        "2223",
        "GST payable — reverse charge",
        "liability",
        "2220",
        Some("gst_rcm_payable"),
    ),
    g("3000", "Equity", "equity", None),
    a("3100", "Equity share capital", "equity", "3000", None),
    a(
        "3200",
        "Other equity — retained earnings",
        "equity",
        "3000",
        None,
    ),
    a(
        "3300",
        "Opening balance difference",
        "equity",
        "3000",
        Some("opening_balance"),
    ),
    g("4000", "Revenue from operations", "income", None),
    a("4100", "Sale of products", "income", "4000", None),
    g("4500", "Other income", "income", None),
    a("4510", "Miscellaneous income", "income", "4500", None),
    g("5000", "Cost of materials consumed", "expense", None),
    a(
        "5100",
        "Materials consumed",
        "expense",
        "5000",
        Some("consumption"),
    ),
    a(
        "5200",
        "Purchase price variance",
        "expense",
        "5000",
        Some("price_variance"),
    ),
    a(
        "5300",
        "Stock adjustments",
        "expense",
        "5000",
        Some("stock_adjustment"),
    ),
    g("6000", "Other expenses", "expense", None),
    a("6100", "Employee benefits expense", "expense", "6000", None),
    a("6200", "Finance costs", "expense", "6000", None),
    a(
        "6300",
        "Depreciation and amortisation",
        "expense",
        "6000",
        None,
    ),
    a("6400", "Power and fuel", "expense", "6000", None),
    a("6500", "Repairs and maintenance", "expense", "6000", None),
];

pub static GENERIC: &[TemplateAccount] = &[
    g("1000", "Assets", "asset", None),
    g("1100", "Current assets", "asset", Some("1000")),
    a("1110", "Cash", "asset", "1100", None),
    a("1120", "Bank", "asset", "1100", Some("bank")),
    a("1130", "Accounts receivable", "asset", "1100", None),
    a("1140", "Inventory", "asset", "1100", Some("inventory")),
    a(
        "1150",
        "Inventory in transit",
        "asset",
        "1100",
        Some("in_transit"),
    ),
    a(
        "1160",
        "Input tax recoverable",
        "asset",
        "1100",
        Some("tax_input"),
    ),
    g("1500", "Fixed assets", "asset", Some("1000")),
    a("1510", "Plant and machinery", "asset", "1500", None),
    g("2000", "Liabilities", "liability", None),
    g("2100", "Current liabilities", "liability", Some("2000")),
    a("2110", "Accounts payable", "liability", "2100", Some("ap")),
    a(
        "2120",
        "Goods received not invoiced",
        "liability",
        "2100",
        Some("grni"),
    ),
    a(
        "2130",
        "Withholding tax payable",
        "liability",
        "2100",
        Some("tds_payable"),
    ),
    a("2140", "Sales tax payable", "liability", "2100", None),
    g("3000", "Equity", "equity", None),
    a("3100", "Share capital", "equity", "3000", None),
    a("3200", "Retained earnings", "equity", "3000", None),
    a(
        "3300",
        "Opening balance equity",
        "equity",
        "3000",
        Some("opening_balance"),
    ),
    g("4000", "Income", "income", None),
    a("4100", "Sales", "income", "4000", None),
    a("4900", "Other income", "income", "4000", None),
    g("5000", "Cost of goods", "expense", None),
    a(
        "5100",
        "Materials consumed",
        "expense",
        "5000",
        Some("consumption"),
    ),
    a(
        "5200",
        "Purchase price variance",
        "expense",
        "5000",
        Some("price_variance"),
    ),
    a(
        "5300",
        "Inventory adjustments",
        "expense",
        "5000",
        Some("stock_adjustment"),
    ),
    g("6000", "Operating expenses", "expense", None),
    a("6100", "Salaries and wages", "expense", "6000", None),
    a("6200", "Utilities", "expense", "6000", None),
    a("6300", "Repairs and maintenance", "expense", "6000", None),
    a("6400", "Depreciation", "expense", "6000", None),
];

/// The template for a tenant keeping its books in `currency`.
pub fn for_currency(currency: &str) -> &'static [TemplateAccount] {
    if currency == "INR" {
        INDIAN_MANUFACTURER
    } else {
        GENERIC
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::model::{AccountKind, Control};

    #[test]
    fn each_template_names_every_role_once_and_hangs_each_account_under_an_earlier_group_of_its_kind(
    ) {
        for t in [INDIAN_MANUFACTURER, GENERIC] {
            for (i, row) in t.iter().enumerate() {
                assert!(AccountKind::parse(row.kind).is_some(), "{}", row.code);
                if let Some(c) = row.control {
                    assert!(Control::parse(c).is_some(), "{c}");
                    assert_eq!(t.iter().filter(|r| r.control == Some(c)).count(), 1, "{c}");
                }
                if let Some(parent) = row.parent {
                    let p = t[..i]
                        .iter()
                        .find(|r| r.code == parent)
                        .expect("parent first");
                    assert!(p.group && p.kind == row.kind, "{}", row.code);
                }
            }
            for needed in [
                "ap",
                "grni",
                "inventory",
                "bank",
                "price_variance",
                "stock_adjustment",
                "consumption",
                "in_transit",
                "opening_balance",
                "tds_payable",
            ] {
                assert!(t.iter().any(|r| r.control == Some(needed)), "{needed}");
            }
        }
        for head in [
            "gst_input_cgst",
            "gst_input_sgst",
            "gst_input_igst",
            "gst_rcm_payable",
        ] {
            assert!(INDIAN_MANUFACTURER.iter().any(|r| r.control == Some(head)));
        }
        assert!(GENERIC.iter().any(|r| r.control == Some("tax_input")));
    }
}
