//! The demo's inventory: categories, items in three languages, locations in every plant.
use super::*;

/// (code, parent, en, hi, ar)
const CATEGORIES: &[(&str, Option<&str>, &str, &str, &str)] = &[
    ("MECH", None, "Mechanical", "यांत्रिक", "ميكانيكي"),
    ("BRG", Some("MECH"), "Bearings", "बेयरिंग", "محامل"),
    (
        "PT",
        Some("MECH"),
        "Power transmission",
        "शक्ति संचरण",
        "نقل الحركة",
    ),
    ("ELEC", None, "Electrical", "विद्युत", "كهربائي"),
    ("SENS", Some("ELEC"), "Sensors", "सेंसर", "حساسات"),
    (
        "CONS",
        None,
        "Consumables",
        "उपभोग्य सामग्री",
        "مواد استهلاكية",
    ),
];

/// (sku, category, en, hi, ar, unit, reorder level, reorder quantity, serialised, opening stock, unit cost)
#[allow(clippy::type_complexity)]
const ITEMS: &[(&str, &str, &str, &str, &str, &str, i64, i64, bool, i64, i64)] = &[
    (
        "BRG-6205-2RS",
        "BRG",
        "Deep groove ball bearing 6205-2RS",
        "डीप ग्रूव बॉल बेयरिंग 6205-2RS",
        "محمل كروي 6205-2RS",
        "PCS",
        20,
        100,
        false,
        140,
        480,
    ),
    (
        "BRG-6310",
        "BRG",
        "Deep groove ball bearing 6310",
        "डीप ग्रूव बॉल बेयरिंग 6310",
        "محمل كروي 6310",
        "PCS",
        10,
        40,
        false,
        8,
        2500,
    ),
    (
        "BLT-A42",
        "PT",
        "V-belt A42",
        "वी-बेल्ट A42",
        "سير على شكل V A42",
        "PCS",
        12,
        48,
        false,
        30,
        1125,
    ),
    (
        "GBX-15-1",
        "PT",
        "Helical gearbox 15:1, 2.2 kW",
        "हेलिकल गियरबॉक्स 15:1, 2.2 kW",
        "علبة تروس حلزونية 15:1",
        "PCS",
        1,
        2,
        true,
        3,
        2500000,
    ),
    (
        "SEN-PRX-M18",
        "SENS",
        "Inductive proximity sensor M18",
        "इंडक्टिव प्रॉक्सिमिटी सेंसर M18",
        "حساس تقارب حثي M18",
        "PCS",
        5,
        20,
        true,
        12,
        3400,
    ),
    (
        "SEN-TMP-PT100",
        "SENS",
        "Temperature sensor PT100",
        "तापमान सेंसर PT100",
        "حساس حرارة PT100",
        "PCS",
        4,
        10,
        true,
        0,
        5600,
    ),
    (
        "CON-WLD-E7018",
        "CONS",
        "Welding electrode E7018 3.2 mm",
        "वेल्डिंग इलेक्ट्रोड E7018 3.2 मिमी",
        "قطب لحام E7018",
        "KG",
        25,
        100,
        false,
        60,
        310,
    ),
    (
        "CON-OIL-VG220",
        "CONS",
        "Gear oil ISO VG 220",
        "गियर ऑयल ISO VG 220",
        "زيت تروس ISO VG 220",
        "L",
        40,
        200,
        false,
        35,
        650,
    ),
];

/// The material type of a demo item by its category: bearings and power transmission are the
/// plant's spares, sensors components, the rest consumables (the rule of the migration
/// `uid_format` for existing items).
fn material_of(category: &str) -> app::inventory::model::material::MaterialType {
    use app::inventory::model::material::MaterialType;
    match category {
        "MECH" | "BRG" | "PT" => MaterialType::Spare,
        "ELEC" | "SENS" => MaterialType::Component,
        _ => MaterialType::Consumable,
    }
}

/// Categories, items in three languages, a warehouse with racks and bins in every plant, and
/// opening balances posted through the ledger (an adjustment per item in the first plant).
pub(super) async fn seed_inventory(
    tx: &mut app::platform::db::Tx,
    tenant_id: Uuid,
) -> SeedResult<()> {
    for (code, parent, en, hi, ar) in CATEGORIES {
        sqlx::query!(
            "insert into item_categories (tenant_id, code, names, parent_id)
             values ($1, $2, jsonb_build_object('en', $3::text, 'hi', $4::text, 'ar', $5::text),
                     (select id from item_categories where tenant_id = $1 and code = $6))",
            tenant_id,
            code,
            en,
            hi,
            ar,
            *parent
        )
        .execute(&mut **tx)
        .await?;
    }
    let plants: Vec<(Uuid, String)> = sqlx::query!(
        "select id, code from plants where tenant_id = $1 order by created_at, code",
        tenant_id
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.code))
    .collect();
    for (plant_id, code) in &plants {
        for (rack, bin) in [
            ("R01", "B01"),
            ("R01", "B02"),
            ("R02", "B01"),
            ("R02", "B02"),
        ] {
            sqlx::query!(
                "insert into locations (tenant_id, plant_id, warehouse, rack, bin, code, capacity)
                 values ($1, $2, 'WH1', $3, $4, $5, 500)",
                tenant_id,
                plant_id,
                rack,
                bin,
                format!("{code}-WH1-{rack}-{bin}")
            )
            .execute(&mut **tx)
            .await?;
        }
    }
    // the units a new tenant starts with (the items below are kept in them)
    app::inventory::service::units::starter_units(tx, tenant_id).await?;
    let first_plant = plants.first().map(|(_, c)| c.clone()).unwrap_or_default();
    for (i, (sku, cat, en, hi, ar, unit, level, qty, serial, stock, cost)) in
        ITEMS.iter().enumerate()
    {
        let item: Uuid = sqlx::query_scalar!("insert into items (tenant_id, sku, names, descriptions, category_id, unit, reorder_level, reorder_quantity, tracking, material_type)
             values ($1, $2, jsonb_build_object('en', $3::text, 'hi', $4::text, 'ar', $5::text), '{}',
                     (select id from item_categories where tenant_id = $1 and code = $6), $7, $8, $9, $10, $11)
             returning id", tenant_id, sku, en, hi, ar, cat, unit, rust_decimal::Decimal::from(*level), rust_decimal::Decimal::from(*qty), if *serial { "serial" } else { "lot" }, material_of(cat).code())
        .fetch_one(&mut **tx)
        .await?;
        if *stock == 0 {
            continue;
        }
        let bins = ["R01-B01", "R01-B02", "R02-B01", "R02-B02"];
        let location: Uuid = sqlx::query_scalar!(
            "select id from locations where tenant_id = $1 and code = $2",
            tenant_id,
            format!("{first_plant}-WH1-{}", bins[i % bins.len()])
        )
        .fetch_one(&mut **tx)
        .await?;
        let quantity = rust_decimal::Decimal::from(*stock);
        let unit_cost = rust_decimal::Decimal::new(*cost, 2);
        sqlx::query!("insert into stock_movements (tenant_id, kind, item_id, location_id, quantity, affects, unit_cost, reason)
             values ($1, 'adjustment', $2, $3, $4, 'both', $5, 'opening balance')", tenant_id, item, location, quantity, unit_cost)
        .execute(&mut **tx)
        .await?;
        sqlx::query!("insert into stock_balances (tenant_id, item_id, location_id, on_hand, available) values ($1, $2, $3, $4, $4)", tenant_id, item, location, quantity)
        .execute(&mut **tx)
        .await?;
        sqlx::query!("insert into item_costs (tenant_id, item_id, quantity, average_cost) values ($1, $2, $3, $4)", tenant_id, item, quantity, unit_cost)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
