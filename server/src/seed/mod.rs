//! The demo: tenant `demo` (Demo Manufacturing, en, USD) and tenant `saif` (Saif Automations –
//! Kolkata, INR, Asia/Kolkata, Hindi by default, plants KOL and VSK), each with one user per system
//! role. Idempotent: a tenant that exists is left as it is.
use sqlx::PgPool;
use uuid::Uuid;

mod bench;
mod history;
mod inventory;

pub use bench::seed_bench;
pub use history::seed_history;
use inventory::seed_inventory;

pub const DEMO_PASSWORD: &str = "Millwright-demo-1";

struct DemoTenant {
    slug: &'static str,
    name: &'static str,
    language: &'static str,
    currency: &'static str,
    timezone: &'static str,
    number_format: &'static str,
    plants: &'static [(&'static str, &'static str)],
    suppliers: &'static [(&'static str, &'static str, &'static str)],
    projects: &'static [(&'static str, &'static str)],
    /// India: plant code → its GSTIN (the state follows from it)
    plant_gstins: &'static [(&'static str, &'static str)],
    /// India: supplier code → GSTIN, reverse charge, TDS section and percent
    supplier_tax: &'static [SupplierTaxSeed],
}

/// A demo supplier's Indian tax facts: code, GSTIN, reverse charge, TDS (section, percent).
type SupplierTaxSeed = (
    &'static str,
    &'static str,
    bool,
    Option<(&'static str, &'static str)>,
);

const TENANTS: &[DemoTenant] = &[
    DemoTenant {
        slug: "demo",
        name: "Demo Manufacturing",
        language: "en",
        currency: "USD",
        timezone: "America/Chicago",
        number_format: "western",
        plants: &[("MAI", "Main Plant")],
        suppliers: &[
            ("ACME", "Acme Industrial Supply", "orders@acme.example.com"),
            (
                "GLOBEX",
                "Globex Bearings & Seals",
                "sales@globex.example.com",
            ),
            ("INITECH", "Initech Electrical", "po@initech.example.com"),
        ],
        projects: &[
            ("LINE-4", "Packaging line 4 retrofit"),
            ("SOLAR", "Rooftop solar plant"),
        ],
        plant_gstins: &[],
        supplier_tax: &[],
    },
    DemoTenant {
        slug: "saif",
        name: "Saif Automations – Kolkata",
        language: "hi",
        currency: "INR",
        timezone: "Asia/Kolkata",
        number_format: "indian",
        plants: &[("KOL", "Kolkata Plant"), ("VSK", "Visakhapatnam Plant")],
        suppliers: &[
            (
                "BENGAL-BRG",
                "Bengal Bearings Pvt Ltd",
                "sales@bengalbearings.example.in",
            ),
            (
                "HOWRAH-STL",
                "Howrah Steel Traders",
                "orders@howrahsteel.example.in",
            ),
            ("VIZAG-ELEC", "Vizag Electricals", "po@vizagelec.example.in"),
            (
                "PUNE-HYD",
                "Pune Hydraulics Pvt Ltd",
                "sales@punehydraulics.example.in",
            ),
        ],
        projects: &[
            ("AUTO-CELL", "Robotic welding cell"),
            ("VSK-EXP", "Visakhapatnam expansion"),
        ],
        // one PAN, a registration in each state: West Bengal (19) and Andhra Pradesh (37)
        plant_gstins: &[("KOL", "19AAACS1234F1ZP"), ("VSK", "37AAACS1234F1ZR")],
        // two in West Bengal (one under reverse charge), one in Andhra Pradesh deducting TDS
        // under 194C at 2 %, one in Maharashtra (27): every GST split has a supplier to show it
        supplier_tax: &[
            ("BENGAL-BRG", "19AABCB4521K1ZQ", false, None),
            ("HOWRAH-STL", "19AAFFH7788M1ZF", true, None),
            ("VIZAG-ELEC", "37AACCV3366P1ZO", false, Some(("194C", "2"))),
            ("PUNE-HYD", "27AADCP9012Q1ZX", false, None),
        ],
    },
];

/// The tenant's Indian tax facts on its plants and suppliers (in the tenant's new transaction, so
/// the seed stays idempotent: a tenant seeded once is left as it is).
async fn seed_tax(tx: &mut app::platform::db::Tx, t: &DemoTenant) -> SeedResult<()> {
    for (code, gstin) in t.plant_gstins {
        let g: app::types::Gstin = gstin.parse().map_err(|_| format!("demo GSTIN {gstin}"))?;
        sqlx::query!(
            "update plants set gstin = $2, state_code = $3 where code = $1",
            code,
            g.as_str(),
            g.state_code()
        )
        .execute(&mut **tx)
        .await?;
    }
    for (code, gstin, reverse_charge, tds) in t.supplier_tax {
        let g: app::types::Gstin = gstin.parse().map_err(|_| format!("demo GSTIN {gstin}"))?;
        let rate = tds
            .map(|(_, r)| r.parse::<rust_decimal::Decimal>())
            .transpose()?;
        sqlx::query!(
            "update suppliers set gstin = $2, state_code = $3, reverse_charge = $4, tds_section = $5, tds_rate = $6
              where code = $1",
            code,
            g.as_str(),
            g.state_code(),
            reverse_charge,
            tds.map(|(s, _)| s),
            rate
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// An Indian company's items: SKU, HSN code, GST rate in percent (bearings 8482, belts 4010,
/// gearboxes 8483, sensors 9026/9025, electrodes 8311, lubricating oil 2710; 18 % each).
const ITEM_GST: &[(&str, &str, i64)] = &[
    ("BRG-6205-2RS", "84821011", 18),
    ("BRG-6310", "84821011", 18),
    ("BLT-A42", "40103190", 18),
    ("GBX-15-1", "84834000", 18),
    ("SEN-PRX-M18", "90268090", 18),
    ("SEN-TMP-PT100", "90251990", 18),
    ("CON-WLD-E7018", "83111000", 18),
    ("CON-OIL-VG220", "27101980", 18),
];

/// An Indian company's items carry their HSN codes and GST rates.
async fn seed_item_gst(
    tx: &mut app::platform::db::Tx,
    t: &DemoTenant,
    tenant_id: Uuid,
) -> SeedResult<()> {
    if t.plant_gstins.is_empty() {
        return Ok(());
    }
    for (sku, hsn, rate) in ITEM_GST {
        sqlx::query!(
            "update items set hsn_sac = $3, gst_rate = $4 where tenant_id = $1 and sku = $2",
            tenant_id,
            sku,
            hsn,
            rust_decimal::Decimal::from(*rate)
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// username, display name, roles, department code
const USERS: &[(&str, &str, &[&str], &str)] = &[
    ("admin", "Asha Admin", &["Admin"], "ADM"),
    ("engineer", "Ravi Engineer", &["Engineer"], "ENG"),
    ("manager", "Meera Manager", &["Manager"], "ENG"),
    (
        "procurement",
        "Prakash Procurement",
        &["Procurement"],
        "PUR",
    ),
    (
        "procurement_mgr",
        "Priya Procurement Manager",
        &["ProcurementMgr"],
        "PUR",
    ),
    ("warehouse", "Wasim Warehouse", &["Warehouse"], "STR"),
    ("accountant", "Anita Accountant", &["Accountant"], "FIN"),
    ("executive", "Vikram Executive", &["Executive"], "MGT"),
];

const DEPARTMENTS: &[(&str, &str)] = &[
    ("ADM", "Administration"),
    ("ENG", "Engineering"),
    ("PUR", "Purchasing"),
    ("STR", "Stores"),
    ("FIN", "Finance"),
    ("MGT", "Management"),
];

/// Returns the tenants created (empty when the demo was already there).
pub async fn seed_demo(
    pool: &PgPool,
) -> Result<Vec<&'static str>, Box<dyn std::error::Error + Send + Sync>> {
    seed_demo_opened(pool, None).await
}

/// The demo with its history ([`seed_history`]): the books of a tenant made now open
/// [`HISTORY_DAYS`] days ago, before the history's first day; then the history of every demo
/// tenant that has none. Returns the tenants created and the tenants given a history.
pub async fn seed_demo_with_history(
    pool: &PgPool,
    state_of: impl Fn(PgPool) -> app::platform::context::AppState,
) -> SeedResult<(Vec<&'static str>, Vec<String>)> {
    let created = seed_demo_opened(pool, Some(HISTORY_DAYS)).await?;
    let history = seed_history(pool, state_of).await?;
    Ok((created, history))
}

/// How long before today the demo's books open when it is seeded with its history.
pub const HISTORY_DAYS: i32 = 90;

async fn seed_demo_opened(
    pool: &PgPool,
    opened_days_ago: Option<i32>,
) -> Result<Vec<&'static str>, Box<dyn std::error::Error + Send + Sync>> {
    // the slices' document kinds give each new tenant its default approval rules
    app::shell::install();
    let hash =
        tokio::task::spawn_blocking(|| app::platform::password::hash_blocking(DEMO_PASSWORD))
            .await?
            .map_err(|e| format!("hashing the demo password: {e}"))?;
    let mut created = Vec::new();
    for t in TENANTS {
        if seed_tenant(pool, t, &hash, opened_days_ago).await? {
            created.push(t.slug);
        }
    }
    Ok(created)
}

type SeedResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One tenant with its company, plants, departments, roles, rules, suppliers, projects and a user
/// per system role; false when the slug exists already.
async fn seed_tenant(
    pool: &PgPool,
    t: &DemoTenant,
    hash: &str,
    opened_days_ago: Option<i32>,
) -> SeedResult<bool> {
    {
        let mut tx = pool.begin().await?;
        let tenant_id: Option<Uuid> = sqlx::query_scalar!(
            // the demo is verified and set up: it skips the sign-up's banner and wizard
            // an Indian company's financial year runs from April
            "insert into tenants (slug, name, default_language, currency, timezone, number_format,
                                  email_verified_at, setup_completed_at, fiscal_year_start_month)
             values ($1, $2, $3, $4, $5, $6, now(), now(), $7)
             on conflict (slug) do nothing returning id",
            t.slug,
            t.name,
            t.language,
            t.currency,
            t.timezone,
            t.number_format,
            if t.currency == "INR" { 4i16 } else { 1i16 }
        )
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let Some(tenant_id) = tenant_id else {
            return Ok(false);
        };

        let mut tx = app::platform::db::tenant_tx(pool, tenant_id).await?;
        let company_id: Uuid = sqlx::query_scalar!(
            "insert into companies (tenant_id, name) values ($1, $2) returning id",
            tenant_id,
            t.name
        )
        .fetch_one(&mut *tx)
        .await?;
        let mut first_plant = None;
        for (code, name) in t.plants {
            let id: Uuid = sqlx::query_scalar!("insert into plants (tenant_id, company_id, code, name, timezone) values ($1, $2, $3, $4, $5) returning id", tenant_id, company_id, code, name, t.timezone)
            .fetch_one(&mut *tx)
            .await?;
            first_plant.get_or_insert(id);
        }
        let mut departments = std::collections::HashMap::new();
        for (code, name) in DEPARTMENTS {
            let id: Uuid = sqlx::query_scalar!("insert into departments (tenant_id, code, name, plant_id) values ($1, $2, $3, $4) returning id", tenant_id, code, name, first_plant)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query!("insert into cost_centres (tenant_id, code, name, department_id) values ($1, $2, $3, $4)", tenant_id, format!("CC-{code}"), name, id)
                .execute(&mut *tx)
                .await?;
            departments.insert(*code, id);
        }
        app::platform::onboarding::system_roles(&mut tx, tenant_id).await?;
        app::approvals::engine::seed_default_rules(&mut tx, tenant_id).await?;
        for (code, name, email) in t.suppliers {
            sqlx::query!("insert into suppliers (tenant_id, code, name, email, currency, payment_terms_days) values ($1, $2, $3, $4, $5, 30)", tenant_id, code, name, email, t.currency)
            .execute(&mut *tx)
            .await?;
        }
        seed_tax(&mut tx, t).await?;
        for (code, name) in t.projects {
            sqlx::query!(
                "insert into projects (tenant_id, code, name, plant_id) values ($1, $2, $3, $4)",
                tenant_id,
                code,
                name,
                first_plant
            )
            .execute(&mut *tx)
            .await?;
        }
        seed_inventory(&mut tx, tenant_id).await?;
        seed_item_gst(&mut tx, t, tenant_id).await?;
        // its books open on the stock it holds (the opening entry), on the day its history starts
        if let Some(days) = opened_days_ago {
            sqlx::query_scalar!(
                "select set_config('millwright.business_date',
                        ((now() at time zone $1) - make_interval(days => $2))::date::text, true)",
                t.timezone,
                days
            )
            .fetch_one(&mut *tx)
            .await?;
        }
        app::finance::service::setup::ensure_books_as_owner(&mut tx, tenant_id)
            .await
            .map_err(|e| format!("opening the books: {e:?}"))?;
        let mut user_ids = std::collections::HashMap::new();
        for (username, display, roles, dept) in USERS {
            let id: Uuid = sqlx::query_scalar!("insert into users (tenant_id, username, email, display_name, password_hash, language, department_id, plant_id)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id", tenant_id, username, format!("{username}@{}.example.com", t.slug), display, hash, t.language, departments.get(dept).copied(), first_plant)
            .fetch_one(&mut *tx)
            .await?;
            for role in *roles {
                sqlx::query!(
                    "insert into user_roles (tenant_id, user_id, role_id)
                     select $1, $2, id from roles where tenant_id = $1 and name = $3",
                    tenant_id,
                    id,
                    role
                )
                .execute(&mut *tx)
                .await?;
            }
            user_ids.insert(*username, id);
        }
        // the manager manages the engineer; the executive everyone else's managers
        sqlx::query!(
            "update users set manager_id = $1 where tenant_id = $3 and id = $2",
            user_ids.get("manager"),
            user_ids.get("engineer"),
            tenant_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("update users set manager_id = $1 where tenant_id = $2 and username in ('manager','procurement_mgr','accountant','warehouse','admin')", user_ids.get("executive"), tenant_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query!(
            "update users set manager_id = $1 where tenant_id = $2 and username = 'procurement'",
            user_ids.get("procurement_mgr"),
            tenant_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(true)
}
