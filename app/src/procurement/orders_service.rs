//! Purchase orders on the server: generation from approved requisition lines (one order per
//! supplier and delivery plant; no line ordered beyond its quantity, even by two people at once,
//! because the lines are locked in id order), approval through the engine, sending as a PDF through
//! the e-mail outbox, cancelling and closing. Server functions and REST handlers both call these.
use crate::approvals::engine::{self, Doc, Outcome};
use crate::approvals::expr::{Facts, Value};
use crate::approvals::model::Action;
use crate::approvals::registry::DocKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::format::minor_units;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, Principal, RequestCtx};
use crate::platform::db::{tenant_tx, Tx};
use crate::platform::model::parse_locale;
use crate::platform::numbering::next_number;
use crate::platform::outbox::{self, Email};
use crate::procurement::model::{Page, QUANTITY_DECIMALS};
use crate::procurement::orders::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

const DOC: &str = "purchase_order";

/// Procurement, its manager and executives see every order; others see the orders that carry
/// their requisitions' lines or that they hold an approval seat on.
fn sees_all(p: &Principal) -> bool {
    ["po:view", "po:manage", "po:create", "po:approve"]
        .iter()
        .any(|perm| p.require(perm).is_ok())
}

/// `$1` user, `$2` sees all.
const VISIBLE: &str = "($2 or o.created_by = $1
   or exists (select 1 from purchase_order_lines pl
                join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
                join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
               where pl.purchase_order_id = o.id and r.requester_id = $1)
   or exists (select 1 from approval_steps s join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id
               where s.doc_type = 'purchase_order' and s.doc_id = o.id and a.user_id = $1))";

#[derive(sqlx::FromRow)]
struct Header {
    id: Uuid,
    number: String,
    status: String,
    supplier_id: Uuid,
    supplier_code: String,
    supplier_name: String,
    supplier_email: Option<String>,
    supplier_language: Option<String>,
    supplier_address: Option<String>,
    supplier_tax_id: Option<String>,
    plant_id: Option<Uuid>,
    plant: Option<String>,
    plant_code: Option<String>,
    delivery_address: Option<String>,
    expected_delivery_date: Option<NaiveDate>,
    payment_terms_days: i32,
    currency: String,
    subtotal: Decimal,
    tax_amount: Decimal,
    total: Decimal,
    current_stage: Option<i32>,
    created_by_id: Uuid,
    created_by: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    status_comment: Option<String>,
}

const HEADER_SQL: &str = "select o.id, o.number, o.status, o.supplier_id, s.code as supplier_code, s.name as supplier_name,
        s.email as supplier_email, s.language as supplier_language, s.address as supplier_address, s.tax_id as supplier_tax_id, o.plant_id,
        p.name as plant, p.code as plant_code, o.delivery_address, o.expected_delivery_date, o.payment_terms_days,
        o.currency::text as currency, o.subtotal, o.tax_amount, o.total, o.current_stage, o.created_by as created_by_id,
        u.display_name as created_by, o.created_at, o.sent_at, o.status_comment
   from purchase_orders o
   join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
   join users u on u.tenant_id = o.tenant_id and u.id = o.created_by
   left join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id";

async fn header(tx: &mut Tx, p: &Principal, id: Uuid, lock: bool) -> AppResult<Header> {
    let sql = format!(
        "{HEADER_SQL} where o.id = $3 and {VISIBLE}{}",
        if lock { " for update of o" } else { "" }
    );
    sqlx::query_as::<_, Header>(&sql)
        .bind(p.user_id)
        .bind(sees_all(p))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: Uuid,
    line_no: i32,
    requisition_line_id: Uuid,
    requisition_id: Uuid,
    requisition_number: String,
    item_id: Option<Uuid>,
    description: String,
    quantity: Decimal,
    unit: String,
    unit_price: Decimal,
    tax_rate: Decimal,
    line_subtotal: Decimal,
    tax_amount: Decimal,
    line_total: Decimal,
    received_quantity: Decimal,
}

async fn load(tx: &mut Tx, p: &Principal, h: Header) -> AppResult<PurchaseOrder> {
    let minor = minor_units(&h.currency);
    let lines = sqlx::query_as::<_, LineRow>(
        "select pl.id, pl.line_no, pl.requisition_line_id, r.id as requisition_id, r.number as requisition_number,
                pl.item_id, pl.description, pl.quantity, pl.unit, pl.unit_price, pl.tax_rate, pl.line_subtotal,
                pl.tax_amount, pl.line_total, pl.received_quantity
           from purchase_order_lines pl
           join requisition_lines rl on rl.tenant_id = pl.tenant_id and rl.id = pl.requisition_line_id
           join requisitions r on r.tenant_id = rl.tenant_id and r.id = rl.requisition_id
          where pl.purchase_order_id = $1 order by pl.line_no",
    )
    .bind(h.id)
    .fetch_all(&mut **tx)
    .await?;
    let engine::Timeline {
        history: approvals,
        route,
        holds_open_seat,
    } = engine::timeline(tx, DOC, h.id, p.user_id).await?;
    let status = PoStatus::parse(&h.status).ok_or(AppError::Internal)?;
    let can_approve =
        status == PoStatus::PendingApproval && h.created_by_id != p.user_id && holds_open_seat;
    let manages = p.require("po:manage").is_ok();
    Ok(PurchaseOrder {
        id: h.id,
        number: h.number,
        status,
        supplier: PoSupplier {
            id: h.supplier_id,
            code: h.supplier_code,
            name: h.supplier_name,
            email: h.supplier_email,
            address: h.supplier_address,
            tax_id: h.supplier_tax_id,
        },
        plant: h.plant,
        delivery_address: h.delivery_address,
        expected_delivery_date: h.expected_delivery_date,
        payment_terms_days: h.payment_terms_days,
        subtotal: h.subtotal.round_dp(minor),
        tax_amount: h.tax_amount.round_dp(minor),
        total: h.total.round_dp(minor),
        currency: h.currency,
        current_stage: h.current_stage,
        created_by: h.created_by,
        created_at: h.created_at,
        sent_at: h.sent_at,
        status_comment: h.status_comment,
        lines: lines
            .into_iter()
            .map(|l| PoLine {
                id: l.id,
                line_no: l.line_no,
                requisition_line_id: l.requisition_line_id,
                requisition_id: l.requisition_id,
                requisition_number: l.requisition_number,
                item_id: l.item_id,
                description: l.description,
                quantity: l.quantity.normalize(),
                unit: l.unit,
                unit_price: l.unit_price.round_dp(minor),
                tax_rate: l.tax_rate.normalize(),
                line_subtotal: l.line_subtotal.round_dp(minor),
                tax_amount: l.tax_amount.round_dp(minor),
                line_total: l.line_total.round_dp(minor),
                received_quantity: l.received_quantity.normalize(),
            })
            .collect(),
        approvals,
        route,
        can_approve,
        can_send: manages && matches!(status, PoStatus::Approved | PoStatus::Sent),
        can_cancel: manages && status.cancellable(),
        can_close: manages && status.closable(),
    })
}

fn doc_of(h: &Header) -> Doc {
    let mut facts = Facts::new();
    facts.insert("amount".into(), Value::Number(h.total));
    if let Some(plant) = &h.plant_code {
        facts.insert("plant".into(), Value::Text(plant.clone()));
    }
    Doc {
        doc_type: DOC,
        id: h.id,
        number: h.number.clone(),
        requester_id: h.created_by_id,
        plant_id: h.plant_id,
        department_id: None,
        facts,
    }
}

pub async fn get(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<PurchaseOrder> {
    let p = ctx.principal()?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, false).await?;
    let po = load(&mut tx, p, h).await?;
    tx.commit().await?;
    Ok(po)
}

#[derive(sqlx::FromRow)]
struct OrderableRow {
    requisition_line_id: Uuid,
    requisition_id: Uuid,
    requisition_number: String,
    requester: String,
    plant: Option<String>,
    needed_by: Option<NaiveDate>,
    description: String,
    quantity: Decimal,
    ordered_quantity: Decimal,
    unit: String,
    estimated_unit_price: Decimal,
    supplier_id: Option<Uuid>,
    supplier: Option<String>,
    currency: String,
}

/// Approved requisition lines with quantity still to order, oldest first.
pub async fn orderable_lines(state: &AppState, ctx: &RequestCtx) -> AppResult<Vec<OrderableLine>> {
    let p = ctx.principal()?;
    p.require("po:create")?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let rows = sqlx::query_as::<_, OrderableRow>(
        "select l.id as requisition_line_id, r.id as requisition_id, r.number as requisition_number,
                u.display_name as requester, pl.name as plant, r.needed_by, l.description, l.quantity,
                l.ordered_quantity, l.unit, l.estimated_unit_price, l.supplier_id, s.name as supplier,
                r.currency::text as currency
           from requisition_lines l
           join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
           join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
           left join plants pl on pl.tenant_id = r.tenant_id and pl.id = r.plant_id
           left join suppliers s on s.tenant_id = l.tenant_id and s.id = l.supplier_id
          where r.status = 'approved' and l.ordered_quantity < l.quantity
          order by r.decided_at nulls last, r.number, l.line_no
          limit 500",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| OrderableLine {
            requisition_line_id: r.requisition_line_id,
            requisition_id: r.requisition_id,
            requisition_number: r.requisition_number,
            requester: r.requester,
            plant: r.plant,
            needed_by: r.needed_by,
            description: r.description,
            remaining: (r.quantity - r.ordered_quantity).normalize(),
            quantity: r.quantity.normalize(),
            ordered_quantity: r.ordered_quantity.normalize(),
            unit: r.unit,
            estimated_unit_price: r.estimated_unit_price.round_dp(minor_units(&r.currency)),
            supplier_id: r.supplier_id,
            supplier: r.supplier,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct LockedLine {
    id: Uuid,
    item_id: Option<Uuid>,
    description: String,
    quantity: Decimal,
    ordered_quantity: Decimal,
    unit: String,
    estimated_unit_price: Decimal,
    supplier_id: Option<Uuid>,
    status: String,
    plant_id: Option<Uuid>,
    needed_by: Option<NaiveDate>,
    requester_id: Uuid,
}

/// One line to order, resolved.
struct Want {
    field: String,
    line_id: Uuid,
    supplier_id: Uuid,
    quantity: Option<Decimal>,
    unit_price: Option<Decimal>,
    tax_rate: Option<Decimal>,
}

/// Generates purchase orders, one per supplier and delivery plant, and starts their approval.
pub async fn generate(
    state: &AppState,
    ctx: &RequestCtx,
    input: GenerateInput,
) -> AppResult<Vec<PurchaseOrder>> {
    let p = ctx.principal()?;
    p.require("po:create")?;
    let minor = minor_units(&p.user.tenant.currency);
    validate_generate(&input, minor, QUANTITY_DECIMALS).map_err(AppError::Validation)?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let default_rate: Decimal =
        sqlx::query_scalar("select default_tax_rate from tenants where id = $1")
            .bind(p.tenant_id)
            .fetch_one(&mut *tx)
            .await?;
    // lock every line involved, in id order, so two generators never deadlock and the second
    // sees what the first ordered
    let mut ids: Vec<Uuid> = input
        .requisition_line_ids
        .iter()
        .copied()
        .chain(input.lines.iter().map(|l| l.requisition_line_id))
        .collect();
    ids.sort();
    ids.dedup();
    let locked: BTreeMap<Uuid, LockedLine> = sqlx::query_as::<_, LockedLine>(
        "select l.id, l.item_id, l.description, l.quantity, l.ordered_quantity, l.unit, l.estimated_unit_price,
                l.supplier_id, r.status, r.plant_id, r.needed_by, r.requester_id
           from requisition_lines l join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
          where l.id = any($1) order by l.id for update of l",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|l| (l.id, l))
    .collect();

    let mut errors = BTreeMap::new();
    let mut wants = Vec::new();
    for (i, id) in input.requisition_line_ids.iter().enumerate() {
        let field = format!("requisition_line_ids[{i}]");
        match locked.get(id) {
            None => {
                errors.insert(field, FieldError::UnknownReference);
            }
            Some(l) => match l.supplier_id {
                None => {
                    errors.insert(field, FieldError::NoSupplier);
                }
                Some(supplier_id) => wants.push(Want {
                    field,
                    line_id: *id,
                    supplier_id,
                    quantity: None,
                    unit_price: None,
                    tax_rate: None,
                }),
            },
        }
    }
    for (i, l) in input.lines.iter().enumerate() {
        wants.push(Want {
            field: format!("lines[{i}]"),
            line_id: l.requisition_line_id,
            supplier_id: l.supplier_id,
            quantity: Some(l.quantity),
            unit_price: Some(l.unit_price),
            tax_rate: l.tax_rate,
        });
    }
    let supplier_ids: Vec<Uuid> = wants.iter().map(|w| w.supplier_id).collect();
    let suppliers: BTreeMap<Uuid, i32> = sqlx::query_as::<_, (Uuid, i32)>(
        "select id, payment_terms_days from suppliers where id = any($1) and active",
    )
    .bind(&supplier_ids)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let mut asked: BTreeMap<Uuid, Decimal> = BTreeMap::new();
    let mut conflict = false;
    for w in &wants {
        let Some(line) = locked.get(&w.line_id) else {
            errors.insert(
                format!("{}.requisition_line_id", w.field),
                FieldError::UnknownReference,
            );
            continue;
        };
        if line.status != "approved" {
            errors.insert(w.field.clone(), FieldError::NotApproved);
            continue;
        }
        if !suppliers.contains_key(&w.supplier_id) {
            let name = if w.field.starts_with("lines[") {
                format!("{}.supplier_id", w.field)
            } else {
                w.field.clone()
            };
            errors.insert(name, FieldError::UnknownReference);
        }
        let remaining = line.quantity - line.ordered_quantity;
        let qty = w.quantity.unwrap_or(remaining);
        let total = asked.entry(w.line_id).or_default();
        *total += qty;
        if *total > line.quantity {
            errors.insert(format!("{}.quantity", w.field), FieldError::ExceedsQuantity);
        } else if *total > remaining || qty <= Decimal::ZERO {
            // someone ordered it meanwhile (or nothing is left): a conflict with the current state
            conflict = true;
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if conflict {
        return Err(AppError::Conflict);
    }

    // group by supplier and delivery plant, keeping the order of the request
    type Group<'a> = ((Uuid, Option<Uuid>), Vec<&'a Want>);
    let mut groups: Vec<Group> = Vec::new();
    for w in &wants {
        let key = (w.supplier_id, locked[&w.line_id].plant_id);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(w),
            None => groups.push((key, vec![w])),
        }
    }
    let mut created = Vec::new();
    let mut taken: BTreeMap<Uuid, Decimal> = BTreeMap::new();
    for ((supplier_id, plant_id), list) in groups {
        let number = next_number(&mut tx, p.tenant_id, "PO").await?;
        let expected = input.expected_delivery_date.or_else(|| {
            list.iter()
                .filter_map(|w| locked[&w.line_id].needed_by)
                .min()
        });
        let expected = expected.unwrap_or(p.user.today + Duration::days(14));
        let address: Option<String> = match plant_id {
            Some(plant) => {
                sqlx::query_scalar("select address from plants where id = $1")
                    .bind(plant)
                    .fetch_one(&mut *tx)
                    .await?
            }
            None => None,
        };
        let po_id: Uuid = sqlx::query_scalar(
            "insert into purchase_orders (tenant_id, number, supplier_id, plant_id, delivery_address, expected_delivery_date,
                                          payment_terms_days, currency, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        )
        .bind(p.tenant_id)
        .bind(&number)
        .bind(supplier_id)
        .bind(plant_id)
        .bind(address)
        .bind(expected)
        .bind(suppliers[&supplier_id])
        .bind(&p.user.tenant.currency)
        .bind(p.user_id)
        .fetch_one(&mut *tx)
        .await?;
        // the lines as columns, written in one statement each (not a round trip per line)
        let mut figures = Vec::new();
        let mut requesters = Vec::new();
        let (mut line_ids, mut item_ids, mut descriptions, mut units) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut subs, mut taxes, mut totals) = (Vec::new(), Vec::new(), Vec::new());
        for w in &list {
            let line = &locked[&w.line_id];
            let already = taken.entry(w.line_id).or_default();
            let qty = w
                .quantity
                .unwrap_or(line.quantity - line.ordered_quantity - *already);
            *already += qty;
            let price = w.unit_price.unwrap_or(line.estimated_unit_price);
            let rate = w.tax_rate.unwrap_or(default_rate);
            let (sub, tax, tot) = line_figures(qty, price, rate, minor);
            figures.push((qty, price, rate));
            line_ids.push(w.line_id);
            item_ids.push(line.item_id);
            descriptions.push(line.description.clone());
            units.push(line.unit.clone());
            subs.push(sub);
            taxes.push(tax);
            totals.push(tot);
            if !requesters.contains(&line.requester_id) {
                requesters.push(line.requester_id);
            }
        }
        let quantities: Vec<Decimal> = figures.iter().map(|f| f.0).collect();
        let prices: Vec<Decimal> = figures.iter().map(|f| f.1).collect();
        let rates: Vec<Decimal> = figures.iter().map(|f| f.2).collect();
        sqlx::query(
            "insert into purchase_order_lines (tenant_id, purchase_order_id, line_no, requisition_line_id, item_id, description,
                                               quantity, unit, unit_price, tax_rate, line_subtotal, tax_amount, line_total)
             select $1, $2, u.n, u.line_id, u.item_id, u.description, u.quantity, u.unit, u.price, u.rate, u.sub, u.tax, u.tot
               from unnest($3::uuid[], $4::uuid[], $5::text[], $6::numeric[], $7::text[], $8::numeric[], $9::numeric[],
                           $10::numeric[], $11::numeric[], $12::numeric[])
                    with ordinality as u(line_id, item_id, description, quantity, unit, price, rate, sub, tax, tot, n)",
        )
        .bind(p.tenant_id)
        .bind(po_id)
        .bind(&line_ids)
        .bind(&item_ids)
        .bind(&descriptions)
        .bind(&quantities)
        .bind(&units)
        .bind(&prices)
        .bind(&rates)
        .bind(&subs)
        .bind(&taxes)
        .bind(&totals)
        .execute(&mut *tx)
        .await?;
        // a line split twice to the same supplier appears twice: add its quantities up first
        sqlx::query(
            "update requisition_lines rl set ordered_quantity = rl.ordered_quantity + u.quantity
               from (select line_id, sum(quantity) as quantity from unnest($1::uuid[], $2::numeric[]) as t(line_id, quantity)
                      group by line_id) u
              where rl.id = u.line_id",
        )
        .bind(&line_ids)
        .bind(&quantities)
        .execute(&mut *tx)
        .await?;
        let (subtotal, tax, total) = order_figures(&figures, minor);
        sqlx::query(
            "update purchase_orders set subtotal = $2, tax_amount = $3, total = $4 where id = $1",
        )
        .bind(po_id)
        .bind(subtotal)
        .bind(tax)
        .bind(total)
        .execute(&mut *tx)
        .await?;
        let h = header(&mut tx, p, po_id, false).await?;
        let doc = doc_of(&h);
        let outcome = engine::start(&mut tx, p.tenant_id, &doc, p.user_id, "submit").await?;
        apply_outcome(&mut tx, po_id, &outcome).await?;
        engine::notify(&mut tx, p.tenant_id, &requesters, "po_created", &doc, None).await?;
        audit::record(
            &mut tx,
            p.tenant_id,
            ctx,
            Entry {
                user_id: Some(p.user_id),
                action: "create",
                entity: DOC,
                entity_id: Some(po_id.to_string()),
                old: None,
                new: Some(serde_json::json!({ "number": number, "supplier_id": supplier_id, "total": total })),
            },
        )
        .await?;
        created.push(po_id);
    }
    let mut out = Vec::new();
    for id in created {
        let h = header(&mut tx, p, id, false).await?;
        out.push(load(&mut tx, p, h).await?);
    }
    tx.commit().await?;
    Ok(out)
}

async fn apply_outcome(tx: &mut Tx, id: Uuid, outcome: &Outcome) -> AppResult<PoStatus> {
    let (status, stage) = match outcome {
        Outcome::Pending(stage) => (PoStatus::PendingApproval, Some(*stage)),
        Outcome::Approved => (PoStatus::Approved, None),
        Outcome::Rejected | Outcome::Returned => (PoStatus::Cancelled, None),
    };
    sqlx::query(
        "update purchase_orders set status = $2, current_stage = $3,
                approved_at = case when $2 = 'approved' then now() else approved_at end
          where id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(stage)
    .execute(&mut **tx)
    .await?;
    if status == PoStatus::Cancelled {
        release_quantities(tx, id).await?;
    }
    Ok(status)
}

/// Gives a cancelled order's quantities back to its requisition lines.
async fn release_quantities(tx: &mut Tx, id: Uuid) -> AppResult<()> {
    sqlx::query(
        "update requisition_lines rl set ordered_quantity = rl.ordered_quantity - pl.quantity
           from purchase_order_lines pl
          where pl.tenant_id = rl.tenant_id and pl.requisition_line_id = rl.id and pl.purchase_order_id = $1",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Purchase orders as the approval engine knows them. By default the procurement manager approves
/// orders above the tenant's threshold (seed 000).
pub static PURCHASE_ORDER_KIND: DocKind = DocKind {
    doc_type: DOC,
    label: order_label,
    href: order_href,
    facts: &["amount", "plant"],
    header_sql: "select id, number, created_by as requester_id, total, currency, plant_id, null::uuid as department_id
                   from purchase_orders",
    default_rules_sql: "insert into approval_rules (tenant_id, doc_type, stage, name, approver_kind, approver_role, condition,
                                     sla_hours, escalate_to_role, escalate_after_hours)
         select id, 'purchase_order', 1, 'Procurement manager', 'role', 'ProcurementMgr',
                'amount > ' || trim_scale(po_approval_threshold)::text, 24, null, null
           from tenants where id = $1
         on conflict (tenant_id, doc_type, stage) do nothing",
    decide: decide_from_inbox,
};

fn order_label(locale: crate::i18n::Locale) -> String {
    leptos_i18n::td_string!(locale, rules.purchase_order).to_string()
}

fn order_href(id: Uuid) -> String {
    format!("/procurement/orders/{id}")
}

fn decide_from_inbox<'a>(
    state: &'a AppState,
    ctx: &'a RequestCtx,
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = AppResult<()>> + Send + 'a>> {
    Box::pin(async move { decide(state, ctx, id, action, comment).await.map(|_| ()) })
}

/// Approves (or rejects, which cancels the order) the open stage: only its approver.
pub async fn decide(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> AppResult<PurchaseOrder> {
    let p = ctx.principal()?;
    if action == Action::SendBack {
        return Err(AppError::InvalidState);
    }
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, true).await?;
    let doc = doc_of(&h);
    if PoStatus::parse(&h.status) == Some(PoStatus::Cancelled) {
        return Err(AppError::InvalidState);
    }
    let outcome = engine::act(
        &mut tx,
        p.tenant_id,
        &doc,
        p.user_id,
        action,
        comment.as_deref(),
    )
    .await?;
    let new_status = apply_outcome(&mut tx, id, &outcome).await?;
    match new_status {
        PoStatus::Approved => {
            engine::notify(
                &mut tx,
                p.tenant_id,
                &[h.created_by_id],
                "document_approved",
                &doc,
                None,
            )
            .await?
        }
        PoStatus::Cancelled => {
            engine::notify(
                &mut tx,
                p.tenant_id,
                &[h.created_by_id],
                "document_rejected",
                &doc,
                comment.as_deref(),
            )
            .await?
        }
        _ => {}
    }
    audit::record(
        &mut tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: action.as_str(),
            entity: DOC,
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({ "status": h.status })),
            new: Some(serde_json::json!({ "status": new_status.as_str(), "comment": comment })),
        },
    )
    .await?;
    let h = header(&mut tx, p, id, false).await?;
    let po = load(&mut tx, p, h).await?;
    tx.commit().await?;
    Ok(po)
}

/// The order as a PDF in the caller's language: (file name, bytes).
pub async fn pdf(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<(String, Vec<u8>)> {
    let p = ctx.principal()?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, false).await?;
    let po = load(&mut tx, p, h).await?;
    tx.commit().await?;
    let tenant = &p.user.tenant;
    let bytes =
        crate::procurement::pdf::render(&po, &tenant.name, tenant.number_format, ctx.locale);
    Ok((format!("{}.pdf", po.number), bytes))
}

/// Sends an approved order to the supplier: the PDF by e-mail through the outbox (in the tenant's
/// language), and the order becomes `sent`. Sending again re-sends it.
pub async fn send(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<PurchaseOrder> {
    let p = ctx.principal()?;
    p.require("po:manage")?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, true).await?;
    let status = PoStatus::parse(&h.status).ok_or(AppError::Internal)?;
    if !matches!(status, PoStatus::Approved | PoStatus::Sent) {
        return Err(AppError::InvalidState);
    }
    let Some(to) = h.supplier_email.clone().filter(|e| !e.trim().is_empty()) else {
        return Err(AppError::field("supplier.email", FieldError::Required));
    };
    let supplier_name = h.supplier_name.clone();
    let tenant = &p.user.tenant;
    // the supplier's own language when it has one, the company's otherwise
    let locale = h
        .supplier_language
        .as_deref()
        .and_then(parse_locale)
        .or_else(|| parse_locale(&tenant.default_language))
        .unwrap_or_default();
    let po = load(&mut tx, p, h).await?;
    let bytes = crate::procurement::pdf::render(&po, &tenant.name, tenant.number_format, locale);
    let (subject, body) = supplier_email(&po, &tenant.name, locale, tenant.number_format);
    let file = format!("{}.pdf", po.number);
    outbox::enqueue(
        &mut tx,
        p.tenant_id,
        Email {
            to: &to,
            to_name: Some(&supplier_name),
            subject: &subject,
            body: &body,
            attachment: Some((&file, "application/pdf", &bytes)),
            doc_type: Some(DOC),
            doc_id: Some(id),
        },
    )
    .await?;
    sqlx::query("update purchase_orders set status = 'sent', sent_at = now() where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "send",
            entity: DOC,
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({ "status": status.as_str() })),
            new: Some(serde_json::json!({ "status": "sent", "to": to })),
        },
    )
    .await?;
    let h = header(&mut tx, p, id, false).await?;
    let po = load(&mut tx, p, h).await?;
    tx.commit().await?;
    Ok(po)
}

fn supplier_email(
    po: &PurchaseOrder,
    tenant: &str,
    locale: crate::i18n::Locale,
    grouping: crate::format::Grouping,
) -> (String, String) {
    use leptos_i18n::td_string;
    let total = crate::format::format_money(po.total, &po.currency, grouping);
    let delivery = po
        .expected_delivery_date
        .map(|d| crate::format::format_date(d, locale))
        .unwrap_or_default();
    let subject = td_string!(
        locale,
        po.email_subject,
        number = po.number.clone(),
        buyer = tenant.to_string()
    )
    .to_string();
    let body = td_string!(
        locale,
        po.email_body,
        supplier = po.supplier.name.clone(),
        number = po.number.clone(),
        total = total,
        date = delivery,
        buyer = tenant.to_string()
    )
    .to_string();
    (subject, body)
}

/// Cancels (before any goods arrived; quantities go back to the requisitions) or closes an order.
pub async fn set_status(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    target: PoStatus,
    comment: Option<String>,
) -> AppResult<PurchaseOrder> {
    let p = ctx.principal()?;
    p.require("po:manage")?;
    let comment = comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let Some(comment) = comment else {
        return Err(AppError::field("comment", FieldError::CommentRequired));
    };
    if comment.chars().count() > 2000 {
        return Err(AppError::field("comment", FieldError::TooLong));
    }
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, true).await?;
    let status = PoStatus::parse(&h.status).ok_or(AppError::Internal)?;
    let allowed = match target {
        PoStatus::Cancelled => status.cancellable(),
        PoStatus::Closed => status.closable(),
        _ => return Err(AppError::field("status", FieldError::Invalid)),
    };
    if !allowed {
        return Err(AppError::InvalidState);
    }
    if target == PoStatus::Cancelled {
        let doc = doc_of(&h);
        engine::cancel_open_steps(&mut tx, &doc).await?;
        engine::record(
            &mut tx,
            p.tenant_id,
            &doc,
            p.user_id,
            "cancel",
            Some(&comment),
        )
        .await?;
        release_quantities(&mut tx, id).await?;
    }
    sqlx::query("update purchase_orders set status = $2, status_comment = $3, current_stage = null where id = $1")
        .bind(id)
        .bind(target.as_str())
        .bind(&comment)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: target.as_str(),
            entity: DOC,
            entity_id: Some(id.to_string()),
            old: Some(serde_json::json!({ "status": status.as_str() })),
            new: Some(serde_json::json!({ "status": target.as_str(), "comment": comment })),
        },
    )
    .await?;
    let h = header(&mut tx, p, id, false).await?;
    let po = load(&mut tx, p, h).await?;
    tx.commit().await?;
    Ok(po)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    number: String,
    status: String,
    supplier: String,
    total: Decimal,
    currency: String,
    expected_delivery_date: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    full_count: i64,
}

pub async fn list(state: &AppState, ctx: &RequestCtx, f: PoFilter) -> AppResult<Page<PoRow>> {
    let p = ctx.principal()?;
    let per_page = f.per_page.clamp(1, 100);
    let page = f.page.max(1);
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace('%', "\\%").replace('_', "\\_")));
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let sql = format!(
        "select o.id, o.number, o.status, s.name as supplier, o.total, o.currency::text as currency,
                o.expected_delivery_date, o.created_at, count(*) over () as full_count
           from purchase_orders o join suppliers s on s.tenant_id = o.tenant_id and s.id = o.supplier_id
          where {VISIBLE}
            and ($3::text is null or o.status = $3)
            and ($4::uuid is null or o.supplier_id = $4)
            and ($5::text is null or o.number ilike $5 or s.name ilike $5 or s.code ilike $5)
          order by o.created_at desc, o.number desc
          limit $6 offset $7"
    );
    let rows = sqlx::query_as::<_, ListRow>(&sql)
        .bind(p.user_id)
        .bind(sees_all(p))
        .bind(f.status.map(PoStatus::as_str))
        .bind(f.supplier_id)
        .bind(q)
        .bind(per_page as i64)
        .bind(((page - 1) * per_page) as i64)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let total = rows.first().map(|r| r.full_count as u64).unwrap_or(0);
    Ok(Page {
        rows: rows
            .into_iter()
            .filter_map(|r| {
                Some(PoRow {
                    id: r.id,
                    number: r.number,
                    status: PoStatus::parse(&r.status)?,
                    supplier: r.supplier,
                    total: r.total.round_dp(minor_units(&r.currency)),
                    currency: r.currency,
                    expected_delivery_date: r.expected_delivery_date,
                    created_at: r.created_at,
                })
            })
            .collect(),
        total,
        page,
        per_page,
    })
}
