//! The demo: tenant `demo` (Demo Manufacturing, en, USD) and tenant `saif` (Saif Automations –
//! Kolkata, INR, Asia/Kolkata, Hindi by default, plants KOL and VSK), each with one user per system
//! role. Idempotent: a tenant that exists is left as it is.
use app::platform::permission::SYSTEM_ROLES;
use sqlx::PgPool;
use uuid::Uuid;

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
}

const TENANTS: &[DemoTenant] = &[
    DemoTenant {
        slug: "demo",
        name: "Demo Manufacturing",
        language: "en",
        currency: "USD",
        timezone: "America/Chicago",
        number_format: "western",
        plants: &[("MAIN", "Main Plant")],
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
        ],
        projects: &[
            ("AUTO-CELL", "Robotic welding cell"),
            ("VSK-EXP", "Visakhapatnam expansion"),
        ],
    },
];

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

/// Creates the system roles with their grants in a tenant (used by the demo and by new tenants).
pub async fn system_roles(
    tx: &mut app::platform::db::Tx,
    tenant_id: Uuid,
) -> Result<(), sqlx::Error> {
    for (role, grants) in SYSTEM_ROLES {
        let role_id: Uuid = sqlx::query_scalar(
            "insert into roles (tenant_id, name, description, is_system) values ($1, $2, '', true)
             on conflict (tenant_id, name) do update set is_system = true returning id",
        )
        .bind(tenant_id)
        .bind(role)
        .fetch_one(&mut **tx)
        .await?;
        for (perm, scope) in *grants {
            sqlx::query(
                "insert into role_permissions (tenant_id, role_id, permission, scope) values ($1, $2, $3, $4)
                 on conflict (tenant_id, role_id, permission) do update set scope = excluded.scope",
            )
            .bind(tenant_id)
            .bind(role_id)
            .bind(perm)
            .bind(scope.as_str())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Returns the tenants created (empty when the demo was already there).
pub async fn seed_demo(
    pool: &PgPool,
) -> Result<Vec<&'static str>, Box<dyn std::error::Error + Send + Sync>> {
    // the slices' document kinds give each new tenant its default approval rules
    app::shell::install();
    let hash =
        tokio::task::spawn_blocking(|| app::platform::password::hash_blocking(DEMO_PASSWORD))
            .await?
            .map_err(|e| format!("hashing the demo password: {e}"))?;
    let mut created = Vec::new();
    for t in TENANTS {
        if seed_tenant(pool, t, &hash).await? {
            created.push(t.slug);
        }
    }
    Ok(created)
}

type SeedResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One tenant with its company, plants, departments, roles, rules, suppliers, projects and a user
/// per system role; false when the slug exists already.
async fn seed_tenant(pool: &PgPool, t: &DemoTenant, hash: &str) -> SeedResult<bool> {
    {
        let mut tx = pool.begin().await?;
        let tenant_id: Option<Uuid> = sqlx::query_scalar(
            "insert into tenants (slug, name, default_language, currency, timezone, number_format)
             values ($1, $2, $3, $4, $5, $6) on conflict (slug) do nothing returning id",
        )
        .bind(t.slug)
        .bind(t.name)
        .bind(t.language)
        .bind(t.currency)
        .bind(t.timezone)
        .bind(t.number_format)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let Some(tenant_id) = tenant_id else {
            return Ok(false);
        };

        let mut tx = app::platform::db::tenant_tx(pool, tenant_id).await?;
        let company_id: Uuid = sqlx::query_scalar(
            "insert into companies (tenant_id, name) values ($1, $2) returning id",
        )
        .bind(tenant_id)
        .bind(t.name)
        .fetch_one(&mut *tx)
        .await?;
        let mut first_plant = None;
        for (code, name) in t.plants {
            let id: Uuid = sqlx::query_scalar(
                "insert into plants (tenant_id, company_id, code, name, timezone) values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(tenant_id)
            .bind(company_id)
            .bind(code)
            .bind(name)
            .bind(t.timezone)
            .fetch_one(&mut *tx)
            .await?;
            first_plant.get_or_insert(id);
        }
        let mut departments = std::collections::HashMap::new();
        for (code, name) in DEPARTMENTS {
            let id: Uuid = sqlx::query_scalar(
                "insert into departments (tenant_id, code, name, plant_id) values ($1, $2, $3, $4) returning id",
            )
            .bind(tenant_id)
            .bind(code)
            .bind(name)
            .bind(first_plant)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("insert into cost_centres (tenant_id, code, name, department_id) values ($1, $2, $3, $4)")
                .bind(tenant_id)
                .bind(format!("CC-{code}"))
                .bind(name)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            departments.insert(*code, id);
        }
        system_roles(&mut tx, tenant_id).await?;
        app::approvals::engine::seed_default_rules(&mut tx, tenant_id).await?;
        for (code, name, email) in t.suppliers {
            sqlx::query(
                "insert into suppliers (tenant_id, code, name, email, currency, payment_terms_days) values ($1, $2, $3, $4, $5, 30)",
            )
            .bind(tenant_id)
            .bind(code)
            .bind(name)
            .bind(email)
            .bind(t.currency)
            .execute(&mut *tx)
            .await?;
        }
        for (code, name) in t.projects {
            sqlx::query(
                "insert into projects (tenant_id, code, name, plant_id) values ($1, $2, $3, $4)",
            )
            .bind(tenant_id)
            .bind(code)
            .bind(name)
            .bind(first_plant)
            .execute(&mut *tx)
            .await?;
        }
        seed_inventory(&mut tx, tenant_id).await?;
        let mut user_ids = std::collections::HashMap::new();
        for (username, display, roles, dept) in USERS {
            let id: Uuid = sqlx::query_scalar(
                "insert into users (tenant_id, username, email, display_name, password_hash, language, department_id, plant_id)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            )
            .bind(tenant_id)
            .bind(username)
            .bind(format!("{username}@{}.example.com", t.slug))
            .bind(display)
            .bind(hash)
            .bind(t.language)
            .bind(departments.get(dept).copied())
            .bind(first_plant)
            .fetch_one(&mut *tx)
            .await?;
            for role in *roles {
                sqlx::query(
                    "insert into user_roles (tenant_id, user_id, role_id)
                     select $1, $2, id from roles where tenant_id = $1 and name = $3",
                )
                .bind(tenant_id)
                .bind(id)
                .bind(role)
                .execute(&mut *tx)
                .await?;
            }
            user_ids.insert(*username, id);
        }
        // the manager manages the engineer; the executive everyone else's managers
        sqlx::query("update users set manager_id = $1 where tenant_id = $3 and id = $2")
            .bind(user_ids.get("manager"))
            .bind(user_ids.get("engineer"))
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("update users set manager_id = $1 where tenant_id = $2 and username in ('manager','procurement_mgr','accountant','warehouse','admin')")
            .bind(user_ids.get("executive"))
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "update users set manager_id = $1 where tenant_id = $2 and username = 'procurement'",
        )
        .bind(user_ids.get("procurement_mgr"))
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(true)
}

const BENCH_LINES: &[&str] = &[
    "Deep groove ball bearing 6205-2RS",
    "Hydraulic hose 1/2\" 2SN, 10 m",
    "V-belt A42",
    "Gear oil ISO VG 220, 20 l",
    "Welding electrode E7018 3.2 mm, 5 kg",
    "Inductive proximity sensor M18",
    "Hex bolt M12x50 8.8, box of 100",
    "Contactor 3-pole 32 A",
];

/// Benchmark data (never in production): `tenants` more tenants shaped like `demo`, then
/// `main` requisitions in `demo` and `per_tenant` in each other one, two lines each, in a mix of
/// statuses with the approval history each status implies (the manager's stage, seat, the
/// submission and the decision), numbered in 2025 so the live counters of this year are
/// untouched. Idempotent per tenant: a tenant that has requisitions of 2025 already is skipped.
pub async fn seed_bench(pool: &PgPool, main: u32, tenants: u32, per_tenant: u32) -> SeedResult<()> {
    seed_demo(pool).await?;
    let hash =
        tokio::task::spawn_blocking(|| app::platform::password::hash_blocking(DEMO_PASSWORD))
            .await?
            .map_err(|e| format!("hashing the demo password: {e}"))?;
    let mut slugs = vec![("demo".to_string(), main)];
    for i in 1..=tenants {
        let slug = format!("bench{i:02}");
        let t = DemoTenant {
            slug: Box::leak(slug.clone().into_boxed_str()),
            name: Box::leak(format!("Bench Works {i:02}").into_boxed_str()),
            ..TENANTS[0]
        };
        seed_tenant(pool, &t, &hash).await?;
        slugs.push((slug, per_tenant));
    }
    for (slug, count) in slugs {
        if count == 0 {
            continue;
        }
        let tenant_id: Uuid = sqlx::query_scalar("select id from tenants where slug = $1")
            .bind(&slug)
            .fetch_one(pool)
            .await?;
        let mut tx = app::platform::db::tenant_tx(pool, tenant_id).await?;
        let done: bool = sqlx::query_scalar(
            "select exists(select 1 from requisitions where tenant_id = $1 and number like 'PR-2025-%')",
        )
        .bind(tenant_id)
        .fetch_one(&mut *tx)
        .await?;
        if done {
            continue;
        }
        sqlx::query(
            "insert into requisitions (tenant_id, number, status, purpose, requester_id, department_id, plant_id,
                                       needed_by, currency, total, created_at, updated_at, submitted_at, decided_at)
             select $1, 'PR-2025-' || lpad(g::text, 6, '0'),
                    (array['approved','draft','approved','rejected','cancelled','approved','questioned','approved'])[1 + g % 8],
                    'daily_operations', u.id, u.department_id, u.plant_id, date '2025-01-15' + (g % 340),
                    t.currency, (1 + (h + 1) % 40) * (10 + h % 900) + (1 + (h + 2) % 40) * (10 + (h * 2) % 900),
                    c.at, c.at, c.at + interval '1 hour', c.at + interval '20 hours'
               from generate_series(1, $2) g
               cross join lateral (select hashtext('PR-2025-' || lpad(g::text, 6, '0'))::bigint & 2147483647 h) hh
               cross join (select id, department_id, plant_id from users where tenant_id = $1 and username = 'engineer') u
               cross join (select currency from tenants where id = $1) t
               cross join lateral (select timestamptz '2025-01-01 08:00Z' + make_interval(secs => g * (31000000.0 / $2))) c(at)",
        )
        .bind(tenant_id)
        .bind(count as i32)
        .execute(&mut *tx)
        .await?;
        // counted as the service counts what it creates and moves (`requisition_counts`)
        sqlx::query(
            "insert into requisition_counts (tenant_id, status, requester_id, n)
             select tenant_id, status, requester_id, count(*) from requisitions
              where tenant_id = $1 and number like 'PR-2025-%' group by 1, 2, 3",
        )
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into requisition_lines (tenant_id, requisition_id, line_no, description, quantity, unit,
                                            estimated_unit_price, line_total, supplier_id)
             select r.tenant_id, r.id, n, ($2::text[])[1 + (h + n) % array_length($2::text[], 1)],
                    q, 'pcs', p, q * p, s.ids[1 + (h + n) % array_length(s.ids, 1)]
               from requisitions r
               cross join generate_series(1, 2) n
               cross join (select array_agg(id order by code) ids from suppliers where tenant_id = $1) s
               cross join lateral (select hashtext(r.number)::bigint & 2147483647 h) hh
               cross join lateral (select (1 + (h + n) % 40)::numeric q, (10 + (h * n) % 900)::numeric p) qp
              where r.tenant_id = $1 and r.number like 'PR-2025-%'",
        )
        .bind(tenant_id)
        .bind(BENCH_LINES)
        .execute(&mut *tx)
        .await?;
        // the approval history a decided requisition has: its manager stage, the manager's seat,
        // the submission and the decision (the planner then sees tables of a database in use)
        sqlx::query(
            "with steps as (
               insert into approval_steps (tenant_id, doc_type, doc_id, round, stage, name, approver_kind, role_limit,
                                           require_all, sla_hours, escalate_to_role, escalate_after_hours, status,
                                           activated_at, due_at, decided_at)
               select r.tenant_id, 'requisition', r.id, 1, 1, 'Manager', 'manager', 'none', false, 24, 'ProcurementMgr', 72,
                      case r.status when 'approved' then 'approved' when 'rejected' then 'rejected' else 'returned' end,
                      r.submitted_at, r.submitted_at + interval '24 hours', r.decided_at
                 from requisitions r
                where r.tenant_id = $1 and r.number like 'PR-2025-%' and r.status in ('approved', 'rejected', 'questioned')
               returning id, doc_id, status, activated_at, decided_at),
             seats as (
               insert into approval_step_approvers (tenant_id, step_id, user_id, decided)
               select $1, s.id, m.id, true from steps s cross join (select id from users where tenant_id = $1 and username = 'manager') m)
             insert into approval_actions (tenant_id, doc_type, doc_id, step_id, stage, actor_id, action, at)
             select $1, 'requisition', s.doc_id, null, null, e.id, 'submit', s.activated_at
               from steps s cross join (select id from users where tenant_id = $1 and username = 'engineer') e
             union all
             select $1, 'requisition', s.doc_id, s.id, 1, m.id,
                    case s.status when 'approved' then 'approve' when 'rejected' then 'reject' else 'send_back' end,
                    s.decided_at
               from steps s cross join (select id from users where tenant_id = $1 and username = 'manager') m",
        )
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into doc_counters (tenant_id, doc_type, year, last_value) values ($1, 'PR', 2025, $2)
             on conflict (tenant_id, doc_type, year) do update set last_value = excluded.last_value",
        )
        .bind(tenant_id)
        .bind(count as i32)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(tenant = %slug, requisitions = count, "benchmark data seeded");
    }
    // fresh statistics and visibility maps, as a database in use would have
    sqlx::query("vacuum analyze").execute(pool).await?;
    Ok(())
}

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
        "pcs",
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
        "pcs",
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
        "pcs",
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
        "pcs",
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
        "pcs",
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
        "pcs",
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
        "kg",
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
        "l",
        40,
        200,
        false,
        35,
        650,
    ),
];

/// Categories, items in three languages, a warehouse with racks and bins in every plant, and
/// opening balances posted through the ledger (an adjustment per item in the first plant).
async fn seed_inventory(tx: &mut app::platform::db::Tx, tenant_id: Uuid) -> SeedResult<()> {
    for (code, parent, en, hi, ar) in CATEGORIES {
        sqlx::query(
            "insert into item_categories (tenant_id, code, names, parent_id)
             values ($1, $2, jsonb_build_object('en', $3::text, 'hi', $4::text, 'ar', $5::text),
                     (select id from item_categories where tenant_id = $1 and code = $6))",
        )
        .bind(tenant_id)
        .bind(code)
        .bind(en)
        .bind(hi)
        .bind(ar)
        .bind(parent)
        .execute(&mut **tx)
        .await?;
    }
    let plants: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, code from plants where tenant_id = $1 order by created_at, code",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await?;
    for (plant_id, code) in &plants {
        for (rack, bin) in [
            ("R01", "B01"),
            ("R01", "B02"),
            ("R02", "B01"),
            ("R02", "B02"),
        ] {
            sqlx::query(
                "insert into locations (tenant_id, plant_id, warehouse, rack, bin, code, capacity)
                 values ($1, $2, 'WH1', $3, $4, $5, 500)",
            )
            .bind(tenant_id)
            .bind(plant_id)
            .bind(rack)
            .bind(bin)
            .bind(format!("{code}-WH1-{rack}-{bin}"))
            .execute(&mut **tx)
            .await?;
        }
    }
    let first_plant = plants.first().map(|(_, c)| c.clone()).unwrap_or_default();
    for (i, (sku, cat, en, hi, ar, unit, level, qty, serial, stock, cost)) in
        ITEMS.iter().enumerate()
    {
        let item: Uuid = sqlx::query_scalar(
            "insert into items (tenant_id, sku, names, descriptions, category_id, unit, reorder_level, reorder_quantity, tracking)
             values ($1, $2, jsonb_build_object('en', $3::text, 'hi', $4::text, 'ar', $5::text), '{}',
                     (select id from item_categories where tenant_id = $1 and code = $6), $7, $8, $9, $10)
             returning id",
        )
        .bind(tenant_id)
        .bind(sku)
        .bind(en)
        .bind(hi)
        .bind(ar)
        .bind(cat)
        .bind(unit)
        .bind(rust_decimal::Decimal::from(*level))
        .bind(rust_decimal::Decimal::from(*qty))
        .bind(if *serial { "serial" } else { "lot" })
        .fetch_one(&mut **tx)
        .await?;
        if *stock == 0 {
            continue;
        }
        let bins = ["R01-B01", "R01-B02", "R02-B01", "R02-B02"];
        let location: Uuid =
            sqlx::query_scalar("select id from locations where tenant_id = $1 and code = $2")
                .bind(tenant_id)
                .bind(format!("{first_plant}-WH1-{}", bins[i % bins.len()]))
                .fetch_one(&mut **tx)
                .await?;
        let quantity = rust_decimal::Decimal::from(*stock);
        let unit_cost = rust_decimal::Decimal::new(*cost, 2);
        sqlx::query(
            "insert into stock_movements (tenant_id, kind, item_id, location_id, quantity, affects, unit_cost, reason)
             values ($1, 'adjustment', $2, $3, $4, 'both', $5, 'opening balance')",
        )
        .bind(tenant_id)
        .bind(item)
        .bind(location)
        .bind(quantity)
        .bind(unit_cost)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "insert into stock_balances (tenant_id, item_id, location_id, on_hand, available) values ($1, $2, $3, $4, $4)",
        )
        .bind(tenant_id)
        .bind(item)
        .bind(location)
        .bind(quantity)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "insert into item_costs (tenant_id, item_id, quantity, average_cost) values ($1, $2, $3, $4)",
        )
        .bind(tenant_id)
        .bind(item)
        .bind(quantity)
        .bind(unit_cost)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
