//! Benchmark data: many requisitions in `demo` and many small tenants (refused in production).
use super::*;

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
        seed_tenant(pool, &t, &hash, None).await?;
        slugs.push((slug, per_tenant));
    }
    for (slug, count) in slugs {
        if count == 0 {
            continue;
        }
        let tenant_id: Uuid = sqlx::query_scalar!("select id from tenants where slug = $1", &slug)
            .fetch_one(pool)
            .await?;
        let mut tx = app::platform::db::tenant_tx(pool, tenant_id).await?;
        let done: bool = sqlx::query_scalar!(r#"select exists(select 1 from requisitions where tenant_id = $1 and number like 'PR-2025-%') as "found!""#, tenant_id)
        .fetch_one(&mut *tx)
        .await?;
        if done {
            continue;
        }
        sqlx::query!("insert into requisitions (tenant_id, number, status, purpose, requester_id, department_id, plant_id,
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
               cross join lateral (select timestamptz '2025-01-01 08:00Z' + make_interval(secs => g * (31000000.0 / $2))) c(at)", tenant_id, count as i32)
        .execute(&mut *tx)
        .await?;
        // counted as the service counts what it creates and moves (`requisition_counts`)
        sqlx::query!(
            "insert into requisition_counts (tenant_id, status, requester_id, n)
             select tenant_id, status, requester_id, count(*) from requisitions
              where tenant_id = $1 and number like 'PR-2025-%' group by 1, 2, 3",
            tenant_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("insert into requisition_lines (tenant_id, requisition_id, line_no, description, quantity, unit,
                                            estimated_unit_price, line_total, supplier_id)
             select r.tenant_id, r.id, n, ($2::text[])[1 + (h + n) % array_length($2::text[], 1)],
                    q, 'pcs', p, q * p, s.ids[1 + (h + n) % array_length(s.ids, 1)]
               from requisitions r
               cross join generate_series(1, 2) n
               cross join (select array_agg(id order by code) ids from suppliers where tenant_id = $1) s
               cross join lateral (select hashtext(r.number)::bigint & 2147483647 h) hh
               cross join lateral (select (1 + (h + n) % 40)::numeric q, (10 + (h * n) % 900)::numeric p) qp
              where r.tenant_id = $1 and r.number like 'PR-2025-%'", tenant_id, BENCH_LINES as &[&str])
        .execute(&mut *tx)
        .await?;
        // the approval history a decided requisition has: its manager stage, the manager's seat,
        // the submission and the decision (the planner then sees tables of a database in use)
        sqlx::query!("with steps as (
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
               from steps s cross join (select id from users where tenant_id = $1 and username = 'manager') m", tenant_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query!("insert into doc_counters (tenant_id, doc_type, year, last_value) values ($1, 'PR', 2025, $2)
             on conflict (tenant_id, doc_type, year) do update set last_value = excluded.last_value", tenant_id, count as i32)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(tenant = %slug, requisitions = count, "benchmark data seeded");
    }
    // fresh statistics and visibility maps, as a database in use would have
    sqlx::query!("vacuum analyze").execute(pool).await?;
    Ok(())
}
