//! The demo's history: about three months of a plant's life written through the services as the
//! demo's users, so every dashboard, list and report has something true to show on first run.
//!
//! Requisitions in every state with their approvals (some decided, one rejected, one sent back,
//! one still waiting past its due time, one draft), purchase orders sent, receipts full and
//! partial, issues to a cost centre, a transfer in transit (a tenant with two plants), supplier
//! invoices matched and in exception (one approved, one still waiting), payments in full and in
//! part, and the months before last closed.
//!
//! Each day of the history runs on its own day: the seed's pool carries the setting
//! `millwright.business_date` (see `app::finance::repo::periods::tenant_books`), so the ledger's
//! postings and the period checks happen on that day; afterwards the day's timestamps (created,
//! submitted, decided, received …) are moved back to it. The journal is never touched after the
//! fact: its entries are dated by the services. Idempotent: a tenant with requisitions already
//! has its history. Never in production (the command refuses).
use super::SeedResult;
use app::approvals::model::Action;
use app::finance::invoice::{InvoiceInput, InvoiceLineInput};
use app::finance::payment::{AllocationInput, PaymentInput};
use app::inventory::model::receipts::{ReceiveInput, ReceiveLine};
use app::inventory::model::stock::{IssueInput, TransferInput};
use app::platform::context::{AppState, RequestCtx};
use app::procurement::model::orders::{GenerateInput, GenerateLine};
use app::procurement::model::{LineInput, Purpose, RequisitionInput};
use chrono::{Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Executor, PgPool};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// How many requisitions the history raises, one a week.
const WEEKS: i64 = 12;

/// The day the seed's connections work on (shared with the pool's hooks).
#[derive(Clone, Default)]
struct Calendar(Arc<Mutex<Option<NaiveDate>>>);

impl Calendar {
    fn set(&self, day: NaiveDate) {
        if let Ok(mut d) = self.0.lock() {
            *d = Some(day);
        }
    }
    fn get(&self) -> Option<NaiveDate> {
        self.0.lock().ok().and_then(|d| *d)
    }
}

/// The application's role on the owner's database, each connection told the calendar's day
/// whenever it is taken from the pool.
fn pool_on(owner: &PgPool, calendar: Calendar) -> PgPool {
    let on_connect = calendar.clone();
    PgPoolOptions::new()
        .max_connections(4)
        .after_connect(move |conn, _| {
            let day = on_connect.get();
            Box::pin(async move {
                conn.execute("set role millwright_app").await?;
                set_day(conn, day).await
            })
        })
        .before_acquire(move |conn, _| {
            let day = calendar.get();
            Box::pin(async move {
                set_day(conn, day).await?;
                Ok(true)
            })
        })
        .connect_lazy_with((*owner.connect_options()).clone())
}

async fn set_day(conn: &mut sqlx::PgConnection, day: Option<NaiveDate>) -> sqlx::Result<()> {
    let day = day.map(|d| d.to_string()).unwrap_or_default();
    sqlx::query_scalar!(
        "select set_config('millwright.business_date', $1, false)",
        day
    )
    .fetch_one(conn)
    .await
    .map(|_| ())
}

/// Writes the history of every demo tenant that has none yet; returns the tenants it wrote.
pub async fn seed_history(
    owner: &PgPool,
    state_of: impl Fn(PgPool) -> AppState,
) -> SeedResult<Vec<String>> {
    let calendar = Calendar::default();
    let pool = pool_on(owner, calendar.clone());
    let state = state_of(pool);
    let mut written = Vec::new();
    for slug in ["demo", "saif"] {
        let tenant: Option<(Uuid, bool)> = sqlx::query!(
            r#"select t.id, exists(select 1 from requisitions r where r.tenant_id = t.id) as "has!"
                 from tenants t where t.slug = $1"#,
            slug
        )
        .fetch_optional(owner)
        .await?
        .map(|r| (r.id, r.has));
        let Some((tenant_id, false)) = tenant else {
            continue;
        };
        History::load(owner, &state, &calendar, tenant_id)
            .await?
            .write()
            .await?;
        written.push(slug.to_string());
    }
    state.pool.close().await;
    Ok(written)
}

/// What happens to the requisition of week `k`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Raise,
    Decide,
    Order,
    Receive,
    Accept,
    Issue,
    Invoice,
    ApproveInvoice,
    Pay,
    Transfer,
}

/// A week's documents as they come into being.
#[derive(Default)]
struct Week {
    requisition: Option<Uuid>,
    order: Option<(Uuid, Uuid, Decimal)>,
    receipt: Option<(Uuid, Decimal)>,
    invoice: Option<(Uuid, bool)>,
}

struct History<'a> {
    owner: &'a PgPool,
    state: &'a AppState,
    calendar: &'a Calendar,
    tenant_id: Uuid,
    today: NaiveDate,
    users: HashMap<String, RequestCtx>,
    /// (item, unit, price) per week's choice
    items: Vec<(Uuid, String, Decimal, String)>,
    suppliers: Vec<Uuid>,
    cost_centre: Uuid,
    bank: Uuid,
    /// the first plant's first bin, and another plant's (a transfer), if any
    bin: Uuid,
    other_bin: Option<Uuid>,
    weeks: HashMap<i64, Week>,
}

fn err(e: impl std::fmt::Debug) -> Box<dyn std::error::Error + Send + Sync> {
    format!("{e:?}").into()
}

impl<'a> History<'a> {
    async fn load(
        owner: &'a PgPool,
        state: &'a AppState,
        calendar: &'a Calendar,
        tenant_id: Uuid,
    ) -> SeedResult<History<'a>> {
        let t = sqlx::query!(
            r#"select (now() at time zone timezone)::date as "today!", currency::text as "currency!" from tenants where id = $1"#,
            tenant_id
        )
        .fetch_one(owner)
        .await?;
        let mut users = HashMap::new();
        for u in sqlx::query!(
            "select id, username from users where tenant_id = $1",
            tenant_id
        )
        .fetch_all(owner)
        .await?
        {
            let ctx = app::platform::service::acting_as(state, tenant_id, u.id)
                .await
                .map_err(err)?;
            users.insert(u.username, ctx);
        }
        let items = sqlx::query!(
            r#"select i.id, i.unit, coalesce(i.names->>'en', i.sku) as "name!", c.average_cost as "cost?"
                 from items i left join item_costs c on c.tenant_id = i.tenant_id and c.item_id = i.id
                where i.tenant_id = $1 and i.tracking = 'lot' and i.sku = any($2)
                order by array_position($2, i.sku)"#,
            tenant_id,
            &["BRG-6205-2RS", "BRG-6310", "BLT-A42", "CON-WLD-E7018"].map(String::from)[..]
        )
        .fetch_all(owner)
        .await?
        .into_iter()
        .map(|r| {
            // the demo's costs are in dollars' magnitude: in rupees a part costs about 80 times more
            let factor = if t.currency == "INR" { 80 } else { 1 };
            let price = (r.cost.unwrap_or(Decimal::from(10)) * Decimal::from(factor)).round_dp(2);
            (r.id, r.unit, price, r.name)
        })
        .collect::<Vec<_>>();
        let suppliers: Vec<Uuid> = sqlx::query_scalar!(
            "select id from suppliers where tenant_id = $1 order by created_at, code",
            tenant_id
        )
        .fetch_all(owner)
        .await?;
        let cost_centre: Uuid = sqlx::query_scalar!(
            "select id from cost_centres where tenant_id = $1 and code = 'CC-ENG'",
            tenant_id
        )
        .fetch_one(owner)
        .await?;
        let bank: Uuid = sqlx::query_scalar!(
            "select id from accounts where tenant_id = $1 and control = 'bank' and not is_group order by code limit 1",
            tenant_id
        )
        .fetch_one(owner)
        .await?;
        let bins: Vec<Uuid> = sqlx::query_scalar!(
            "select l.id from locations l join plants p on p.id = l.plant_id
              where l.tenant_id = $1 and l.code like '%-WH1-R01-B01' order by p.created_at, p.code",
            tenant_id
        )
        .fetch_all(owner)
        .await?;
        if items.len() < 4 || suppliers.is_empty() || bins.is_empty() {
            return Err("the demo's items, suppliers and bins are missing".into());
        }
        Ok(History {
            owner,
            state,
            calendar,
            tenant_id,
            today: t.today,
            users,
            items,
            suppliers,
            cost_centre,
            bank,
            bin: bins[0],
            other_bin: bins.get(1).copied(),
            weeks: HashMap::new(),
        })
    }

    fn ctx(&self, user: &str) -> SeedResult<&RequestCtx> {
        self.users
            .get(user)
            .ok_or_else(|| format!("demo user {user}").into())
    }

    /// The plan: (days before today, week, step), in the order they happen.
    fn plan(&self) -> Vec<(i64, i64, Step)> {
        let mut plan = Vec::new();
        for k in 0..WEEKS {
            let day = 86 - 7 * k;
            plan.push((day, k, Step::Raise));
            match k {
                // a draft, a request still waiting past its due time
                10 | 11 => continue,
                _ => plan.push((day - 1, k, Step::Decide)),
            }
            // rejected, sent back
            if k == 4 || k == 9 {
                continue;
            }
            plan.push((day - 2, k, Step::Order));
            // ordered, the goods not here yet
            if k == 8 {
                continue;
            }
            plan.push((day - 6, k, Step::Receive));
            // one receipt still waits for its requester to confirm it
            if k == 5 {
                plan.push((day - 12, k, Step::Invoice));
                continue;
            }
            plan.push((day - 7, k, Step::Accept));
            plan.push((day - 9, k, Step::Issue));
            plan.push((day - 12, k, Step::Invoice));
            if k == 2 {
                plan.push((day - 14, k, Step::ApproveInvoice));
            }
            if day - 40 > 1 && k % 3 != 2 && k != 7 {
                plan.push((day - 40, k, Step::Pay));
            }
        }
        if self.other_bin.is_some() {
            plan.push((8, 0, Step::Transfer));
        }
        plan.retain(|(day, _, _)| *day >= 0);
        plan.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        plan
    }

    async fn write(mut self) -> SeedResult<()> {
        self.date_opening_stock().await?;
        let plan = self.plan();
        let mut current: Option<i64> = None;
        let mut marker = Utc::now();
        for (days_ago, k, step) in plan {
            if current != Some(days_ago) {
                if let Some(done) = current {
                    self.move_back(done, marker).await?;
                }
                current = Some(days_ago);
                self.calendar.set(self.today - Duration::days(days_ago));
                marker = Utc::now();
            }
            self.step(k, step)
                .await
                .map_err(|e| format!("week {k}, {step:?}: {e}"))?;
        }
        if let Some(done) = current {
            self.move_back(done, marker).await?;
        }
        self.calendar.set(self.today);
        self.close_old_months().await
    }

    async fn step(&mut self, k: i64, step: Step) -> SeedResult<()> {
        let (item, unit, price, name) = self.items[(k % 4) as usize].clone();
        let supplier = self.suppliers[(k as usize) % self.suppliers.len()];
        let quantity = Decimal::from(10 + 2 * (k % 3));
        let state = self.state;
        let week = self.weeks.entry(k).or_default();
        match step {
            Step::Raise => {
                let ctx = self.users.get("engineer").ok_or("engineer")?;
                let input = RequisitionInput {
                    purpose: Purpose::DailyOperations,
                    project_id: None,
                    needed_by: None,
                    notes: Some(format!("Weekly replenishment, week {}", k + 1)),
                    lines: vec![LineInput {
                        item_id: Some(item),
                        description: name,
                        quantity,
                        unit,
                        estimated_unit_price: price,
                        supplier_id: Some(supplier),
                        note: None,
                    }],
                };
                let r = app::procurement::service::create(state, ctx, input)
                    .await
                    .map_err(err)?;
                week.requisition = Some(r.id);
                if k != 10 {
                    let id = r.id.into();
                    run(state, ctx, move |tx, _, ctx| {
                        Box::pin(async move {
                            app::procurement::service::submit(tx, ctx, id)
                                .await
                                .map(|_| ())
                        })
                    })
                    .await?;
                }
            }
            Step::Decide => {
                let Some(id) = week.requisition else {
                    return Ok(());
                };
                let (action, comment) = match k {
                    4 => (
                        Action::Reject,
                        Some("Enough stock in the other plant".to_string()),
                    ),
                    9 => (
                        Action::SendBack,
                        Some("Please name the machine it is for".to_string()),
                    ),
                    _ => (Action::Approve, None),
                };
                // each stage's approver in turn, until the request is decided
                for user in ["manager", "procurement_mgr", "accountant", "executive"] {
                    let ctx = self.users.get(user).ok_or("approver")?;
                    let comment = comment.clone();
                    let done = run(state, ctx, move |tx, _, ctx| {
                        Box::pin(async move {
                            app::procurement::service::decide(tx, ctx, id.into(), action, comment)
                                .await
                                .map(|r| r.status.as_str() != "submitted")
                        })
                    })
                    .await;
                    if let Ok(true) = done {
                        break;
                    }
                }
            }
            Step::Order => {
                let Some(id) = week.requisition else {
                    return Ok(());
                };
                let ctx = self.users.get("procurement").ok_or("procurement")?;
                let day = self.calendar.get().unwrap_or(self.today);
                let orders = run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        let r = app::procurement::service::get(tx, ctx, id.into()).await?;
                        if r.status.as_str() != "approved" {
                            return Ok(Vec::new());
                        }
                        let lines = r
                            .lines
                            .iter()
                            .map(|l| GenerateLine {
                                requisition_line_id: l.id,
                                supplier_id: supplier,
                                quantity: l.quantity,
                                unit_price: price,
                                tax_rate: None,
                            })
                            .collect();
                        let input = GenerateInput {
                            requisition_line_ids: Vec::new(),
                            lines,
                            expected_delivery_date: Some(day + Duration::days(5)),
                        };
                        app::procurement::service::orders::generate(tx, ctx, input).await
                    })
                })
                .await?;
                let Some(po) = orders.into_iter().next() else {
                    return Ok(());
                };
                let line = po
                    .lines
                    .first()
                    .map(|l| l.id)
                    .ok_or("an order without lines")?;
                week.order = Some((po.id, line, quantity));
                let po_id = po.id;
                // above its limit an order waits for the procurement manager first
                if po.status.as_str() == "pending_approval" {
                    let mgr = self.users.get("procurement_mgr").ok_or("procurement_mgr")?;
                    run(state, mgr, move |tx, _, ctx| {
                        Box::pin(async move {
                            app::procurement::service::orders::decide(
                                tx,
                                ctx,
                                po_id.into(),
                                Action::Approve,
                                None,
                            )
                            .await
                            .map(|_| ())
                        })
                    })
                    .await?;
                }
                run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        app::procurement::service::orders::send(tx, ctx, po_id.into())
                            .await
                            .map(|_| ())
                    })
                })
                .await?;
            }
            Step::Receive => {
                let Some((po, line, ordered)) = week.order else {
                    return Ok(());
                };
                // every fourth delivery comes in part
                let received = if k % 4 == 1 {
                    (ordered * Decimal::new(6, 1)).round()
                } else {
                    ordered
                };
                let ctx = self.users.get("warehouse").ok_or("warehouse")?;
                let bin = self.bin;
                let receipt = run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        let input = ReceiveInput {
                            purchase_order_id: po,
                            lines: vec![ReceiveLine {
                                purchase_order_line_id: line,
                                accepted_quantity: received,
                                rejected_quantity: None,
                                rejection_reason: None,
                                location_id: Some(bin),
                            }],
                        };
                        app::inventory::service::receipts::receive(tx, ctx, input).await
                    })
                })
                .await?;
                week.receipt = Some((receipt.id, received));
            }
            Step::Accept => {
                let Some((receipt, _)) = week.receipt else {
                    return Ok(());
                };
                let ctx = self.users.get("engineer").ok_or("engineer")?;
                // the requester confirms what came: then it may be issued
                run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        app::inventory::service::receipts::accept(tx, ctx, receipt.into())
                            .await
                            .map(|_| ())
                    })
                })
                .await?;
            }
            Step::Issue => {
                let Some((_, received)) = week.receipt else {
                    return Ok(());
                };
                let ctx = self.users.get("warehouse").ok_or("warehouse")?;
                let input = IssueInput {
                    item_id: item,
                    location_id: self.bin,
                    quantity: (received * Decimal::new(4, 1)).round().max(Decimal::ONE),
                    cost_centre_id: self.cost_centre,
                    uids: Vec::new(),
                    unit: None,
                };
                run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        app::inventory::service::stock::issue(tx, ctx, input)
                            .await
                            .map(|_| ())
                    })
                })
                .await?;
            }
            Step::Invoice => {
                let (Some((_, line, _)), Some((_, received))) = (week.order, week.receipt) else {
                    return Ok(());
                };
                // every fifth invoice bills 8 % above the order's price: an exception
                let exception = k % 5 == 2;
                let unit_price = if exception {
                    (price * Decimal::new(108, 2)).round_dp(2)
                } else {
                    price
                };
                let ctx = self.users.get("accountant").ok_or("accountant")?;
                let day = self.calendar.get().unwrap_or(self.today);
                let input = InvoiceInput {
                    supplier_id: supplier,
                    number: format!("INV/{}/{:03}", day.format("%y%m"), 100 + k),
                    invoice_date: day - Duration::days(1),
                    due_date: None,
                    place_of_supply: None,
                    lines: vec![InvoiceLineInput {
                        purchase_order_line_id: line,
                        goods_receipt_line_id: None,
                        quantity: received,
                        unit_price,
                        tax_rate: None,
                        hsn_sac: None,
                    }],
                    notes: None,
                };
                let invoice = run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        let i = app::finance::service::invoices::create(tx, ctx, input).await?;
                        app::finance::service::invoices::submit(tx, ctx, i.id).await
                    })
                })
                .await?;
                week.invoice = Some((invoice.id, exception));
            }
            Step::ApproveInvoice => {
                let Some((id, true)) = week.invoice else {
                    return Ok(());
                };
                for user in ["accountant", "procurement_mgr"] {
                    let ctx = self.users.get(user).ok_or("approver")?;
                    let _ = run(state, ctx, move |tx, _, ctx| {
                        Box::pin(async move {
                            app::finance::service::invoices::decide(
                                tx,
                                ctx,
                                id,
                                Action::Approve,
                                Some("Price rise agreed by phone".to_string()),
                            )
                            .await
                            .map(|_| ())
                        })
                    })
                    .await;
                }
            }
            Step::Pay => {
                let Some((id, _)) = week.invoice else {
                    return Ok(());
                };
                let ctx = self.users.get("accountant").ok_or("accountant")?;
                let day = self.calendar.get().unwrap_or(self.today);
                let bank = self.bank;
                // in full, or every other one half now
                let half = k % 3 == 1;
                run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        let invoice = app::finance::service::invoices::get(tx, ctx, id).await?;
                        if invoice.amount_due <= Decimal::ZERO {
                            return Ok(());
                        }
                        let amount = if half {
                            (invoice.amount_due / Decimal::TWO).round_dp(2)
                        } else {
                            invoice.amount_due
                        };
                        let input = PaymentInput {
                            supplier_id: supplier,
                            date: day,
                            bank_account_id: bank,
                            allocations: vec![AllocationInput {
                                supplier_invoice_id: id,
                                amount,
                            }],
                            reference: Some(format!("NEFT {}", day.format("%Y%m%d"))),
                        };
                        app::finance::service::payments::create(tx, ctx, input)
                            .await
                            .map(|_| ())
                    })
                })
                .await?;
            }
            Step::Transfer => {
                let Some(to) = self.other_bin else {
                    return Ok(());
                };
                let ctx = self.users.get("warehouse").ok_or("warehouse")?;
                let input = TransferInput {
                    item_id: self.items[0].0,
                    from_location_id: self.bin,
                    to_location_id: to,
                    quantity: Decimal::from(15),
                    uids: Vec::new(),
                };
                run(state, ctx, move |tx, _, ctx| {
                    Box::pin(async move {
                        app::inventory::service::stock::transfer(tx, ctx, input)
                            .await
                            .map(|_| ())
                    })
                })
                .await?;
            }
        }
        Ok(())
    }

    /// Moves what was written since `since` back to the day it happened on (nine in the morning,
    /// the tenant's time, plus the seconds it took), except the journal, dated by its services.
    async fn move_back(&self, days_ago: i64, since: chrono::DateTime<Utc>) -> SeedResult<()> {
        let day = self.today - Duration::days(days_ago);
        let local: chrono::DateTime<Utc> = sqlx::query_scalar!(
            r#"select (($2::date + time '09:00') at time zone timezone) as "at!" from tenants where id = $1"#,
            self.tenant_id,
            day
        )
        .fetch_one(self.owner)
        .await?;
        let shift = since - local;
        if shift <= chrono::TimeDelta::zero() {
            return Ok(());
        }
        let micros = chrono::TimeDelta::microseconds(shift.num_microseconds().unwrap_or(0));
        let shift = sqlx::postgres::types::PgInterval::try_from(micros).map_err(err)?;
        let mut tx = self.owner.begin().await?;
        // the seed rewrites its own fresh rows' times: no trigger is to stamp them again
        tx.execute("set local session_replication_role = replica")
            .await?;
        sqlx::query!(
            "update jobs set run_at = run_at - $3::interval where tenant_id = $1 and done_at is null and step_id in
               (select id from approval_steps where tenant_id = $1 and activated_at >= $2)",
            self.tenant_id,
            since,
            shift
        )
        .execute(&mut *tx)
        .await?;
        for (table, columns) in MOVED {
            // Dynamic: the seed's own list of tables and their time columns, no input
            let sets = columns
                .iter()
                .map(|c| format!("{c} = case when {c} >= $2 then {c} - $3::interval else {c} end"))
                .collect::<Vec<_>>()
                .join(", ");
            let any = columns
                .iter()
                .map(|c| format!("{c} >= $2"))
                .collect::<Vec<_>>()
                .join(" or ");
            let sql = format!("update {table} set {sets} where tenant_id = $1 and ({any})");
            sqlx::query(&sql)
                .bind(self.tenant_id)
                .bind(since)
                .bind(shift)
                .execute(&mut *tx)
                .await?;
        }
        // the history's e-mails went out then
        sqlx::query!(
            "update outbox_emails set status = 'sent', sent_at = created_at
              where tenant_id = $1 and status = 'pending' and created_at < $2",
            self.tenant_id,
            since
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The stock the demo started with lies on the shelves from the day its books opened.
    async fn date_opening_stock(&self) -> SeedResult<()> {
        let mut tx = self.owner.begin().await?;
        tx.execute("set local session_replication_role = replica")
            .await?;
        sqlx::query!(
            "update stock_movements m set at = (e.entry_date + time '09:00') at time zone t.timezone
               from journal_entries e, tenants t
              where m.tenant_id = $1 and m.reason = 'opening balance' and m.kind = 'adjustment'
                and e.tenant_id = $1 and e.source = 'opening' and t.id = $1
                and m.at > (e.entry_date + time '09:00') at time zone t.timezone",
            self.tenant_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The months that ended before last month are closed, as an accountant closes them (the months
    /// of the year before the books opened too: nothing is to be posted there).
    async fn close_old_months(&self) -> SeedResult<()> {
        let ctx = self.ctx("accountant")?;
        let cutoff = self.today - Duration::days(35);
        let periods: Vec<Uuid> = sqlx::query_scalar!(
            "select id from fiscal_periods where tenant_id = $1 and status = 'open'
                and end_date < date_trunc('month', $2::date)::date
              order by start_date",
            self.tenant_id,
            cutoff
        )
        .fetch_all(self.owner)
        .await?;
        for id in periods {
            run(self.state, ctx, move |tx, _, ctx| {
                Box::pin(async move {
                    app::finance::service::periods::set_period(tx, ctx, id, true)
                        .await
                        .map(|_| ())
                })
            })
            .await?;
        }
        Ok(())
    }
}

/// The tables whose times the history moves back, with those columns.
const MOVED: &[(&str, &[&str])] = &[
    (
        "requisitions",
        &["created_at", "updated_at", "submitted_at", "decided_at"],
    ),
    (
        "approval_steps",
        &["activated_at", "due_at", "escalated_at", "decided_at"],
    ),
    ("approval_actions", &["at"]),
    (
        "purchase_orders",
        &["created_at", "updated_at", "approved_at", "sent_at"],
    ),
    ("goods_receipts", &["received_at", "accepted_at"]),
    ("stock_movements", &["at"]),
    ("stock_transfers", &["sent_at", "received_at"]),
    ("uid_events", &["at"]),
    ("uids", &["created_at"]),
    ("notifications", &["created_at", "read_at"]),
    ("outbox_emails", &["created_at", "sent_at"]),
    ("supplier_invoices", &["created_at", "updated_at"]),
    ("payments", &["created_at"]),
];

async fn run<T: Send + 'static>(
    state: &AppState,
    ctx: &RequestCtx,
    work: impl for<'t> FnOnce(
        &'t mut app::platform::db::Tx,
        &'t AppState,
        &'t RequestCtx,
    ) -> app::platform::tx::Work<'t, T>,
) -> SeedResult<T> {
    app::platform::tx::run(state, ctx, work).await.map_err(err)
}
