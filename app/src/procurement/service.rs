//! Requisition and supplier rules: who may see, create, edit, submit, approve and cancel what, in
//! one transaction per change, audited. Server functions and REST handlers both call these.
use crate::approvals::engine::{self, Doc, Outcome};
use crate::approvals::expr::{Facts, Value};
use crate::approvals::model::Action;
use crate::approvals::registry::DocKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::format::minor_units;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, Principal, RequestCtx};
use crate::platform::db::{
    announced_after_commit, changed, tenant_tx, tenant_tx_announced_after, tenant_tx_planned, Tx,
    CHANGES,
};
use crate::platform::permission::Scope;
use crate::procurement::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

const DOC: &str = "requisition";

#[derive(sqlx::FromRow)]
struct Header {
    id: Uuid,
    number: String,
    status: String,
    purpose: String,
    project_id: Option<Uuid>,
    project: Option<String>,
    requester_id: Uuid,
    requester: String,
    department_id: Option<Uuid>,
    department: Option<String>,
    department_code: Option<String>,
    plant_id: Option<Uuid>,
    plant: Option<String>,
    plant_code: Option<String>,
    needed_by: Option<NaiveDate>,
    notes: Option<String>,
    total: Decimal,
    currency: String,
    current_stage: Option<i32>,
    version: i32,
    created_at: DateTime<Utc>,
}

const HEADER_SQL: &str = "select r.id, coalesce(r.number, '') as number, r.status, r.purpose, r.project_id, pr.name as project, r.requester_id,
        u.display_name as requester, r.department_id, d.name as department, d.code as department_code,
        r.plant_id, p.name as plant, p.code as plant_code, r.needed_by, r.notes, r.total, r.currency::text as currency,
        r.current_stage, r.version, r.created_at
   from requisitions r
   join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
   left join departments d on d.tenant_id = r.tenant_id and d.id = r.department_id
   left join plants p on p.tenant_id = r.tenant_id and p.id = r.plant_id
   left join projects pr on pr.tenant_id = r.tenant_id and pr.id = r.project_id";

#[derive(serde::Deserialize)]
struct LineRow {
    id: Uuid,
    line_no: i32,
    item_id: Option<Uuid>,
    description: String,
    quantity: Decimal,
    unit: String,
    estimated_unit_price: Decimal,
    line_total: Decimal,
    supplier_id: Option<Uuid>,
    supplier: Option<String>,
    note: Option<String>,
    ordered_quantity: Decimal,
}

fn view_scope(p: &Principal) -> Option<Scope> {
    p.require("requisition:view").ok()
}

/// The visibility rule as SQL: own, department, plant or all by scope, plus any requisition the
/// caller holds (or held) an approval seat on. `$1` user, `$2` scope, `$3` department, `$4` plant.
const VISIBLE: &str = "(r.requester_id = $1
   or $2 = 'all'
   or ($2 = 'plant' and r.plant_id is not distinct from $4 and $4 is not null)
   or ($2 = 'department' and r.department_id is not distinct from $3 and $3 is not null)
   or exists (select 1 from approval_steps s join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id
               where s.doc_type = 'requisition' and s.doc_id = r.id and a.user_id = $1))";

async fn header(tx: &mut Tx, p: &Principal, id: Uuid, lock: bool) -> AppResult<Header> {
    let scope = view_scope(p).map(Scope::as_str).unwrap_or("none");
    let sql = format!(
        "{HEADER_SQL} where r.id = $5 and {VISIBLE}{}",
        if lock { " for update of r" } else { "" }
    );
    sqlx::query_as::<_, Header>(&sql)
        .bind(p.user_id)
        .bind(scope)
        .bind(p.user.department_id)
        .bind(p.user.plant_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether the caller may see the requisition (404 otherwise, as for another tenant's), and if so
/// its requester and status, locked when asked; without loading lines, route and history.
pub async fn visible(
    tx: &mut Tx,
    p: &Principal,
    id: Uuid,
    lock: bool,
) -> AppResult<(Uuid, Status)> {
    let h = header(tx, p, id, lock).await?;
    let status = Status::parse(&h.status).ok_or(AppError::Internal)?;
    Ok((h.requester_id, status))
}

const LINES_JSON: &str = "coalesce((select json_agg(json_build_object(
        'id', l.id, 'line_no', l.line_no, 'item_id', l.item_id, 'description', l.description,
        'quantity', l.quantity::text, 'unit', l.unit, 'estimated_unit_price', l.estimated_unit_price::text,
        'line_total', l.line_total::text, 'supplier_id', l.supplier_id, 'supplier', s.name, 'note', l.note,
        'ordered_quantity', l.ordered_quantity::text) order by l.line_no)
     from requisition_lines l left join suppliers s on s.tenant_id = l.tenant_id and s.id = l.supplier_id
    where l.requisition_id = $2), '[]')";

async fn load(tx: &mut Tx, p: &Principal, h: Header) -> AppResult<Requisition> {
    // the lines with the approval timeline, in one statement (decimals as text, read exactly)
    let (timeline, lines): (_, Vec<LineRow>) =
        engine::timeline_with(tx, DOC, h.id, p.user_id, LINES_JSON).await?;
    assemble(p, h, timeline, lines)
}

fn assemble(
    p: &Principal,
    h: Header,
    engine::Timeline {
        history: approvals,
        route,
        holds_open_seat,
    }: engine::Timeline,
    lines: Vec<LineRow>,
) -> AppResult<Requisition> {
    let minor = minor_units(&h.currency);
    let status = Status::parse(&h.status).ok_or(AppError::Internal)?;
    let mine = h.requester_id == p.user_id;
    let can_decide = status == Status::UnderReview && !mine && holds_open_seat;
    Ok(Requisition {
        id: h.id,
        number: h.number,
        status,
        purpose: Purpose::parse(&h.purpose).ok_or(AppError::Internal)?,
        project_id: h.project_id,
        project: h.project,
        requester_id: h.requester_id,
        requester: h.requester,
        department: h.department,
        plant: h.plant,
        needed_by: h.needed_by,
        notes: h.notes,
        total: h.total.round_dp(minor),
        currency: h.currency,
        current_stage: h.current_stage,
        version: h.version,
        created_at: h.created_at,
        lines: lines
            .into_iter()
            .map(|l| Line {
                id: l.id,
                line_no: l.line_no,
                item_id: l.item_id,
                description: l.description,
                quantity: l.quantity.normalize(),
                unit: l.unit,
                estimated_unit_price: l.estimated_unit_price.round_dp(minor),
                line_total: l.line_total.round_dp(minor),
                supplier_id: l.supplier_id,
                supplier: l.supplier,
                note: l.note,
                ordered_quantity: l.ordered_quantity.normalize(),
            })
            .collect(),
        approvals,
        route,
        can_edit: mine && status.editable(),
        can_cancel: mine && status.cancellable(),
        can_decide,
    })
}

/// The project of a project requisition must be an active project of this tenant (another
/// tenant's id is simply unknown). The lines' references are checked as they are inserted.
async fn check_project(tx: &mut Tx, input: &RequisitionInput) -> AppResult<()> {
    let Some(project) = input
        .project_id
        .filter(|_| input.purpose == Purpose::Project)
    else {
        return Ok(());
    };
    let ok: bool =
        sqlx::query_scalar("select exists(select 1 from projects where id = $1 and active)")
            .bind(project)
            .fetch_one(&mut **tx)
            .await?;
    if ok {
        Ok(())
    } else {
        Err(AppError::field("project_id", FieldError::UnknownReference))
    }
}

/// A requisition's lines as the columns they are written with (one array per column, bound to
/// `unnest`): texts trimmed, empty notes none, line totals rounded to the currency.
struct LineColumns<'a> {
    line_no: Vec<i32>,
    items: Vec<Option<Uuid>>,
    descriptions: Vec<&'a str>,
    quantities: Vec<Decimal>,
    units: Vec<&'a str>,
    prices: Vec<Decimal>,
    totals: Vec<Decimal>,
    suppliers: Vec<Option<Uuid>>,
    notes: Vec<Option<&'a str>>,
}

impl<'a> LineColumns<'a> {
    fn of(lines: &'a [LineInput], minor: u32) -> Self {
        LineColumns {
            line_no: (1..=lines.len() as i32).collect(),
            items: lines.iter().map(|l| l.item_id).collect(),
            descriptions: lines.iter().map(|l| l.description.trim()).collect(),
            quantities: lines.iter().map(|l| l.quantity).collect(),
            units: lines.iter().map(|l| l.unit.trim()).collect(),
            prices: lines.iter().map(|l| l.estimated_unit_price).collect(),
            totals: lines
                .iter()
                .map(|l| line_total(l.quantity, l.estimated_unit_price, minor))
                .collect(),
            suppliers: lines.iter().map(|l| l.supplier_id).collect(),
            notes: lines
                .iter()
                .map(|l| l.note.as_deref().map(str::trim).filter(|n| !n.is_empty()))
                .collect(),
        }
    }
}

/// All lines in one statement (one round trip however many lines), each inserted only if its
/// suggested supplier and catalogue item are active records of this tenant; the lines that are
/// not are refused by field (`lines[i].supplier_id`, `lines[i].item_id`) — the caller's
/// transaction then ends without a commit, so nothing is kept.
async fn insert_lines(
    tx: &mut Tx,
    tenant_id: Uuid,
    req_id: Uuid,
    input: &RequisitionInput,
    minor: u32,
) -> AppResult<()> {
    let c = LineColumns::of(&input.lines, minor);
    let (suppliers_refused, items_refused): (Option<Vec<i32>>, Option<Vec<i32>>) = sqlx::query_as(
        "with r as (select * from requisition_line_refusals($3, $10, $4)),
              ins as (
           insert into requisition_lines (tenant_id, requisition_id, line_no, item_id, description, quantity, unit,
                                          estimated_unit_price, line_total, supplier_id, note)
           select $1, $2, x.line_no, x.item_id, x.description, x.quantity, x.unit, x.price, x.total, x.supplier_id, x.note
             from unnest($3::int[], $4::uuid[], $5::text[], $6::numeric[], $7::text[], $8::numeric[], $9::numeric[],
                         $10::uuid[], $11::text[])
                  as x(line_no, item_id, description, quantity, unit, price, total, supplier_id, note)
            where (select r.suppliers is null and r.items is null from r))
         select suppliers, items from r",
    )
    .bind(tenant_id)
    .bind(req_id)
    .bind(&c.line_no)
    .bind(&c.items)
    .bind(&c.descriptions)
    .bind(&c.quantities)
    .bind(&c.units)
    .bind(&c.prices)
    .bind(&c.totals)
    .bind(&c.suppliers)
    .bind(&c.notes)
    .fetch_one(&mut **tx)
    .await?;
    lines_accepted(suppliers_refused, items_refused)
}

/// The lines refused by `requisition_line_refusals` (numbers from 1), as errors by
/// field (`lines[i].supplier_id`, `lines[i].item_id`).
fn lines_accepted(suppliers: Option<Vec<i32>>, items: Option<Vec<i32>>) -> AppResult<()> {
    let mut refused = BTreeMap::new();
    for (numbers, field) in [(suppliers, "supplier_id"), (items, "item_id")] {
        for n in numbers.into_iter().flatten() {
            refused.insert(
                format!("lines[{}].{field}", n - 1),
                FieldError::UnknownReference,
            );
        }
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(refused))
    }
}

/// What `create_requisition` answers: the references it refused (then nothing was
/// written), or the new requisition's number, time and the names of what it refers to.
#[derive(sqlx::FromRow)]
struct Created {
    number: Option<String>,
    created_at: Option<DateTime<Utc>>,
    project_refused: bool,
    suppliers_refused: Option<Vec<i32>>,
    items_refused: Option<Vec<i32>>,
    project: Option<String>,
    department: Option<String>,
    plant: Option<String>,
    line_ids: Option<Vec<Uuid>>,
    suppliers: Option<Vec<Option<String>>>,
}

/// Creates a draft in one statement that PostgreSQL runs as its own transaction
/// (`create_requisition`, in the procurement schema): the references are checked first (nothing is written
/// when one is refused), then the header with its gap-free number, the lines, the count and the
/// audit row are inserted at once, and the answer is made from the input and what the statement
/// returns. The change is announced to every instance's result caches once it has committed.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    input: RequisitionInput,
) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    p.require("requisition:create")?;
    let minor = minor_units(&p.user.tenant.currency);
    validate(&input, minor).map_err(AppError::Validation)?;
    let id = Uuid::new_v4();
    let project_id = input
        .project_id
        .filter(|_| input.purpose == Purpose::Project);
    let notes = input
        .notes
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let lines = &input.lines;
    let c = LineColumns::of(lines, minor);
    let total = total(lines, minor);
    let query = sqlx::query(
        "select * from create_requisition($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                                          $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)",
    )
    .bind(p.tenant_id)
    .bind(id)
    .bind(input.purpose.as_str())
    .bind(project_id)
    .bind(p.user_id)
    .bind(p.user.department_id)
    .bind(p.user.plant_id)
    .bind(input.needed_by)
    .bind(notes.as_deref())
    .bind(&p.user.tenant.currency)
    .bind(total)
    .bind(&c.line_no)
    .bind(&c.items)
    .bind(&c.descriptions)
    .bind(&c.quantities)
    .bind(&c.units)
    .bind(&c.prices)
    .bind(&c.totals)
    .bind(&c.suppliers)
    .bind(&c.notes)
    .bind(p.user_id)
    .bind(serde_json::to_value(&input).ok());
    let row = audit::bind_origin(query, ctx)
        .fetch_one(&state.pool)
        .await?;
    let created = <Created as sqlx::FromRow<_>>::from_row(&row)?;
    if created.project_refused {
        return Err(AppError::field("project_id", FieldError::UnknownReference));
    }
    lines_accepted(created.suppliers_refused, created.items_refused)?;
    state
        .announcer
        .announce(CHANGES, changed(REQUISITIONS, p.tenant_id));
    let (Some(number), Some(created_at)) = (created.number, created.created_at) else {
        return Err(AppError::Internal);
    };
    let ids = created.line_ids.unwrap_or_default();
    let mut suppliers = created.suppliers.unwrap_or_default();
    if ids.len() != lines.len() {
        return Err(AppError::Internal);
    }
    suppliers.resize(ids.len(), None);
    Ok(Requisition {
        id,
        number,
        status: Status::Draft,
        purpose: input.purpose,
        project_id,
        project: created.project,
        requester_id: p.user_id,
        requester: p.user.display_name.clone(),
        department: created.department,
        plant: created.plant,
        needed_by: input.needed_by,
        notes,
        total: at_scale(total, minor),
        currency: p.user.tenant.currency.clone(),
        current_stage: None,
        version: 1,
        created_at,
        lines: (0..lines.len())
            .zip(ids)
            .zip(suppliers)
            .map(|((i, id), supplier)| Line {
                id,
                line_no: c.line_no[i],
                item_id: c.items[i],
                description: c.descriptions[i].to_string(),
                quantity: c.quantities[i].normalize(),
                unit: c.units[i].to_string(),
                // as read back from NUMERIC(18,4) and rounded: the currency's minor digits shown
                estimated_unit_price: at_scale(c.prices[i], minor),
                line_total: at_scale(c.totals[i], minor),
                supplier_id: c.suppliers[i],
                supplier,
                note: c.notes[i].map(str::to_string),
                ordered_quantity: Decimal::ZERO,
            })
            .collect(),
        approvals: Vec::new(),
        route: Vec::new(),
        can_edit: true,
        can_cancel: true,
        can_decide: false,
    })
}

/// `amount` rounded to `minor` digits and written with exactly that many.
fn at_scale(amount: Decimal, minor: u32) -> Decimal {
    let mut amount = amount.round_dp(minor);
    amount.rescale(minor);
    amount
}

pub async fn get(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    let mut tx = tenant_tx_planned(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, false).await?;
    let req = load(&mut tx, p, h).await?;
    tx.commit().await?;
    Ok(req)
}

/// The requester edits a draft or a requisition sent back with questions.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    input: RequisitionInput,
) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    let minor = minor_units(&p.user.tenant.currency);
    let mut tx = tenant_tx_planned(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, true).await?;
    own_editable(p, &h)?;
    validate(&input, minor).map_err(AppError::Validation)?;
    check_project(&mut tx, &input).await?;
    let old = load(&mut tx, p, h).await?;
    sqlx::query("delete from requisition_lines where requisition_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    insert_lines(&mut tx, p.tenant_id, id, &input, minor).await?;
    sqlx::query(
        "update requisitions set purpose = $2, project_id = $3, needed_by = $4, notes = $5, total = $6, version = version + 1
          where id = $1",
    )
    .bind(id)
    .bind(input.purpose.as_str())
    .bind(if input.purpose == Purpose::Project { input.project_id } else { None })
    .bind(input.needed_by)
    .bind(input.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()))
    .bind(total(&input.lines, minor))
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: "update",
            entity: DOC,
            entity_id: Some(id.to_string()),
            old: serde_json::to_value(&old).ok(),
            new: serde_json::to_value(&input).ok(),
        },
    )
    .await?;
    let h = header(&mut tx, p, id, false).await?;
    let req = load(&mut tx, p, h).await?;
    tx.commit().await?;
    Ok(req)
}

fn own_editable(p: &Principal, h: &Header) -> AppResult<()> {
    if h.requester_id != p.user_id {
        return Err(AppError::Forbidden);
    }
    let status = Status::parse(&h.status).ok_or(AppError::Internal)?;
    if !status.editable() {
        return Err(AppError::InvalidState);
    }
    Ok(())
}

fn doc_of(h: &Header) -> Doc {
    let mut facts = Facts::new();
    facts.insert("amount".into(), Value::Number(h.total));
    facts.insert("purpose".into(), Value::Text(h.purpose.clone()));
    if let Some(plant) = &h.plant_code {
        facts.insert("plant".into(), Value::Text(plant.clone()));
    }
    if let Some(dept) = &h.department_code {
        facts.insert("department".into(), Value::Text(dept.clone()));
    }
    Doc {
        doc_type: DOC,
        id: h.id,
        number: h.number.clone(),
        requester_id: h.requester_id,
        plant_id: h.plant_id,
        department_id: h.department_id,
        facts,
    }
}

/// The requisition's move from its status to $4 in the counts (-1 / +1), read from the row as the
/// statement found it (locked by [`header`]), for a statement that changes the status.
const COUNTED: &str =
    "counted as (insert into requisition_counts (tenant_id, status, requester_id, n)
      select o.tenant_id, d.status, o.requester_id, d.n
        from requisitions o cross join lateral (values (o.status, -1), ($4, 1)) d(status, n)
       where o.id = $2 and o.status is distinct from $4)";

/// The status change, its audit row and the requisition as the change left it (lines and
/// approval timeline, read after the approval engine's writes), in one statement.
async fn change_status(
    tx: &mut Tx,
    p: &Principal,
    h: Header,
    (status, stage): (Status, Option<i32>),
    ctx: &RequestCtx,
    entry: Entry<'static>,
) -> AppResult<Requisition> {
    // $1 document type, $2 id and $3 reader belong to the timeline; the change's own follow
    let change = format!(
        "change as (update requisitions set status = $4, current_stage = $5, version = version + 1,
                submitted_at = case when $4 in ('under_review', 'approved') and submitted_at is null then now() else submitted_at end,
                decided_at = case when $4 in ('approved', 'rejected') then now() else decided_at end
          where id = $2), {}, {COUNTED}",
        audit::cte(5)
    );
    let tenant_id = p.tenant_id;
    let (timeline, lines): (_, Vec<LineRow>) = engine::timeline_after(
        tx,
        Some(&change),
        move |q| audit::bind(q.bind(status.as_str()).bind(stage), tenant_id, ctx, entry),
        DOC,
        h.id,
        p.user_id,
        LINES_JSON,
    )
    .await?;
    let h = Header {
        status: status.as_str().to_string(),
        current_stage: stage,
        version: h.version + 1,
        ..h
    };
    assemble(p, h, timeline, lines)
}

fn status_after(outcome: &Outcome) -> (Status, Option<i32>) {
    match outcome {
        Outcome::Pending(stage) => (Status::UnderReview, Some(*stage)),
        Outcome::Approved => (Status::Approved, None),
        Outcome::Rejected => (Status::Rejected, None),
        Outcome::Returned => (Status::Questioned, None),
    }
}

/// Requisitions as the approval engine knows them. The default rules are seed 002's: the
/// requester's manager (24 h), then an Accountant when the total is above 50,000 in the tenant
/// currency (48 h); both escalate to ProcurementMgr after 72 hours.
pub static REQUISITION_KIND: DocKind = DocKind {
    doc_type: DOC,
    label: requisition_label,
    href: requisition_href,
    facts: &["amount", "purpose", "plant", "department"],
    header_sql:
        "select id, number, requester_id, total, currency, plant_id, department_id from requisitions",
    default_rules_sql: "insert into approval_rules (tenant_id, doc_type, stage, name, approver_kind, approver_role, condition,
                                     sla_hours, escalate_to_role, escalate_after_hours)
         values ($1, 'requisition', 1, 'Manager', 'manager', null, '', 24, 'ProcurementMgr', 72),
                ($1, 'requisition', 2, 'Accounts', 'role', 'Accountant', 'amount > 50000', 48, 'ProcurementMgr', 72)
         on conflict (tenant_id, doc_type, stage) do nothing",
    decide: decide_from_inbox,
};

fn requisition_label(locale: crate::i18n::Locale) -> String {
    leptos_i18n::td_string!(locale, rules.requisition).to_string()
}

fn requisition_href(id: Uuid) -> String {
    format!("/procurement/requisitions/{id}")
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

/// Submits a draft (or resubmits a questioned requisition): the route is fixed now.
pub async fn submit(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    announced_after_commit(
        &state.announcer,
        p.tenant_id,
        REQUISITIONS,
        submit_committed(state, p, ctx, id),
    )
    .await
}

async fn submit_committed(
    state: &AppState,
    p: &Principal,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Requisition> {
    let mut tx = tenant_tx_announced_after(&state.pool, p.tenant_id, REQUISITIONS).await?;
    let h = header(&mut tx, p, id, true).await?;
    own_editable(p, &h)?;
    let resubmit = h.status == Status::Questioned.as_str();
    let doc = doc_of(&h);
    let action = if resubmit { "resubmit" } else { "submit" };
    let outcome = engine::start(&mut tx, p.tenant_id, &doc, p.user_id, action).await?;
    let (status, stage) = status_after(&outcome);
    if outcome == Outcome::Approved {
        engine::notify(
            &mut tx,
            p.tenant_id,
            &[h.requester_id],
            "document_approved",
            &doc,
            None,
        )
        .await?;
    }
    let entry = Entry {
        user_id: Some(p.user_id),
        action: "submit",
        entity: DOC,
        entity_id: Some(id.to_string()),
        old: Some(serde_json::json!({ "status": h.status })),
        new: Some(serde_json::json!({ "status": status.as_str() })),
    };
    let req = change_status(&mut tx, p, h, (status, stage), ctx, entry).await?;
    tx.commit().await?;
    Ok(req)
}

/// Approve, reject or send back: only an approver of the open stage (or their delegate).
pub async fn decide(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    let change = decide_committed(state, p, ctx, id, action, comment);
    announced_after_commit(&state.announcer, p.tenant_id, REQUISITIONS, change).await
}

async fn decide_committed(
    state: &AppState,
    p: &Principal,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> AppResult<Requisition> {
    let mut tx = tenant_tx_announced_after(&state.pool, p.tenant_id, REQUISITIONS).await?;
    let h = header(&mut tx, p, id, true).await?;
    let doc = doc_of(&h);
    if h.status == Status::Cancelled.as_str() {
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
    let (status, stage) = status_after(&outcome);
    let entry = Entry {
        user_id: Some(p.user_id),
        action: action.as_str(),
        entity: DOC,
        entity_id: Some(id.to_string()),
        old: Some(serde_json::json!({ "status": h.status, "stage": h.current_stage })),
        new: Some(
            serde_json::json!({ "status": status.as_str(), "stage": stage, "comment": comment }),
        ),
    };
    let req = change_status(&mut tx, p, h, (status, stage), ctx, entry).await?;
    tx.commit().await?;
    Ok(req)
}

/// The requester cancels before a decision.
pub async fn cancel(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    comment: Option<String>,
) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    let mut tx = tenant_tx_planned(&state.pool, p.tenant_id).await?;
    let h = header(&mut tx, p, id, true).await?;
    if h.requester_id != p.user_id {
        return Err(AppError::Forbidden);
    }
    if !Status::parse(&h.status).is_some_and(Status::cancellable) {
        return Err(AppError::InvalidState);
    }
    let doc = doc_of(&h);
    engine::cancel_open_steps(&mut tx, &doc).await?;
    engine::record(
        &mut tx,
        p.tenant_id,
        &doc,
        p.user_id,
        "cancel",
        comment.as_deref(),
    )
    .await?;
    let entry = Entry {
        user_id: Some(p.user_id),
        action: "cancel",
        entity: DOC,
        entity_id: Some(id.to_string()),
        old: Some(serde_json::json!({ "status": h.status })),
        new: Some(serde_json::json!({ "status": "cancelled", "comment": comment })),
    };
    let req = change_status(&mut tx, p, h, (Status::Cancelled, None), ctx, entry).await?;
    tx.commit().await?;
    Ok(req)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    number: String,
    status: String,
    purpose: String,
    requester: String,
    total: Decimal,
    currency: String,
    needed_by: Option<NaiveDate>,
    created_at: DateTime<Utc>,
}

/// The kind of change of requisitions and what their lists show (the `notify_change` trigger's
/// argument on those tables).
pub const REQUISITIONS: &str = "requisitions";

/// Requisition list pages, kept by caller, visibility scope and filter.
pub struct RequisitionPages;

impl crate::platform::cache::Slot for RequisitionPages {
    type Key = String;
    type Value = Page<RequisitionRow>;
    const KIND: &'static str = REQUISITIONS;
    /// about 5 KB each
    const CAPACITY: usize = 2_000;
}

/// Pages are kept per tenant until its requisitions change ([`crate::platform::cache`]), by
/// caller, visibility scope and filter.
pub async fn list(
    state: &AppState,
    ctx: &RequestCtx,
    f: RequisitionFilter,
) -> AppResult<Page<RequisitionRow>> {
    let p = ctx.principal()?;
    let key = format!(
        "{}\u{1f}{:?}\u{1f}{f:?}",
        p.user_id,
        view_scope(p).map(Scope::as_str)
    );
    let page = state
        .caches
        .get_or_load::<RequisitionPages, _>(p.tenant_id, key, list_database(state, ctx, f))
        .await?;
    Ok((*page).clone())
}

async fn list_database(
    state: &AppState,
    ctx: &RequestCtx,
    f: RequisitionFilter,
) -> AppResult<Page<RequisitionRow>> {
    let p = ctx.principal()?;
    let per_page = f.per_page.clamp(1, 100);
    let page = f.page.max(1);
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let scope = view_scope(p).map(Scope::as_str).unwrap_or("none");
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace('%', "\\%").replace('_', "\\_")));
    // Built per scope so that "sees everything" costs no visibility test, and the text search
    // reaches each column through its own trigram index; the count is a separate index scan.
    let visible = if scope == "all" { "true" } else { VISIBLE };
    let filters = format!(
        "{visible}
            and ($5::text is null or r.status = $5)
            and (not $6 or r.requester_id = $1)
            and ($7::text is null or r.id in (
                 select x.id from requisitions x where x.number ilike $7
                 union select x.id from requisitions x where x.notes ilike $7
                 union select l.requisition_id from requisition_lines l where l.description ilike $7
                 union select x.id from requisitions x join users w on w.tenant_id = x.tenant_id and w.id = x.requester_id
                        where w.display_name ilike $7))
            and ($8::date is null or r.created_at >= $8::date)
            and ($9::date is null or r.created_at < $9::date + 1)"
    );
    // someone who sees everything, filtering by status or their own at most: the kept counts
    let counted = scope == "all" && q.is_none() && f.from.is_none() && f.to.is_none();
    let count_sql = if counted {
        "select coalesce(sum(n), 0)::bigint from requisition_counts r
          where ($5::text is null or r.status = $5) and (not $6 or r.requester_id = $1)
            and $2::text is not null and ($3::uuid is null or $3::uuid is not null) and ($4::uuid is null or $4::uuid is not null)
            and $7::text is null and $8::date is null and $9::date is null
            and $10::bigint is not null and $11::bigint is not null"
            .to_string()
    } else {
        format!(
            "select count(*) from requisitions r where {filters} and $10::bigint is not null and $11::bigint is not null"
        )
    };
    let total: i64 = sqlx::query_scalar(&count_sql)
        .bind(p.user_id)
        .bind(scope)
        .bind(p.user.department_id)
        .bind(p.user.plant_id)
        .bind(f.status.map(Status::as_str))
        .bind(f.mine)
        .bind(&q)
        .bind(f.from)
        .bind(f.to)
        .bind(per_page as i64)
        .bind(((page - 1) * per_page) as i64)
        .fetch_one(&mut *tx)
        .await?;
    let sql = format!(
        "select r.id, r.number, r.status, r.purpose, u.display_name as requester, r.total, r.currency::text as currency,
                r.needed_by, r.created_at
           from requisitions r join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
          where {filters}
          order by r.created_at desc, r.number desc
          limit $10 offset $11"
    );
    let rows = sqlx::query_as::<_, ListRow>(&sql)
        .bind(p.user_id)
        .bind(scope)
        .bind(p.user.department_id)
        .bind(p.user.plant_id)
        .bind(f.status.map(Status::as_str))
        .bind(f.mine)
        .bind(q)
        .bind(f.from)
        .bind(f.to)
        .bind(per_page as i64)
        .bind(((page - 1) * per_page) as i64)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let total = total as u64;
    let rows = rows
        .into_iter()
        .filter_map(|r| {
            Some(RequisitionRow {
                id: r.id,
                number: r.number,
                status: Status::parse(&r.status)?,
                purpose: Purpose::parse(&r.purpose)?,
                requester: r.requester,
                total: r.total.round_dp(minor_units(&r.currency)),
                currency: r.currency,
                needed_by: r.needed_by,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page,
    })
}

// ---- suppliers ----

#[derive(sqlx::FromRow)]
struct SupplierRow {
    id: Uuid,
    code: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    tax_id: Option<String>,
    address: Option<String>,
    currency: String,
    payment_terms_days: i32,
    active: bool,
    language: Option<String>,
}

impl From<SupplierRow> for Supplier {
    fn from(r: SupplierRow) -> Self {
        Supplier {
            id: r.id,
            code: r.code,
            name: r.name,
            email: r.email,
            phone: r.phone,
            tax_id: r.tax_id,
            address: r.address,
            currency: r.currency,
            payment_terms_days: r.payment_terms_days,
            active: r.active,
            language: r.language,
        }
    }
}

const SUPPLIER_COLUMNS: &str = "id, code, name, email, phone, tax_id, address, currency::text as currency, payment_terms_days, active, language";

fn can_see_suppliers(p: &Principal) -> AppResult<()> {
    p.require("supplier:manage")
        .or_else(|_| p.require("requisition:create"))
        .map(|_| ())
}

pub async fn list_suppliers(
    state: &AppState,
    ctx: &RequestCtx,
    q: Option<String>,
    active: Option<bool>,
    page: u32,
    per_page: u32,
) -> AppResult<Page<Supplier>> {
    let p = ctx.principal()?;
    can_see_suppliers(p)?;
    let per_page = per_page.clamp(1, 100);
    let page = page.max(1);
    let q = q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let total: i64 = sqlx::query_scalar(
        "select count(*) from suppliers where ($1::text is null or code ilike '%' || $1 || '%' or word_similarity($1, name) >= 0.3 or name ilike '%' || $1 || '%')
           and ($2::bool is null or active = $2)",
    )
    .bind(&q)
    .bind(active)
    .fetch_one(&mut *tx)
    .await?;
    let rows = sqlx::query_as::<_, SupplierRow>(&format!(
        "select {SUPPLIER_COLUMNS} from suppliers
          where ($1::text is null or code ilike '%' || $1 || '%' or word_similarity($1, name) >= 0.3 or name ilike '%' || $1 || '%')
            and ($2::bool is null or active = $2)
          order by case when $1::text is null then 0 else 1 - word_similarity($1, name) end, code
          limit $3 offset $4"
    ))
    .bind(&q)
    .bind(active)
    .bind(per_page as i64)
    .bind(((page - 1) * per_page) as i64)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Page {
        rows: rows.into_iter().map(Supplier::from).collect(),
        total: total as u64,
        page,
        per_page,
    })
}

pub async fn get_supplier(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<Supplier> {
    let p = ctx.principal()?;
    can_see_suppliers(p)?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let row = sqlx::query_as::<_, SupplierRow>(&format!(
        "select {SUPPLIER_COLUMNS} from suppliers where id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(row.into())
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub async fn save_supplier(
    state: &AppState,
    ctx: &RequestCtx,
    id: Option<Uuid>,
    input: SupplierInput,
) -> AppResult<Supplier> {
    let p = ctx.principal()?;
    p.require("supplier:manage")?;
    validate_supplier(&input).map_err(AppError::Validation)?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let currency = input
        .currency
        .clone()
        .unwrap_or_else(|| p.user.tenant.currency.clone());
    let old = match id {
        Some(id) => Some(
            sqlx::query_as::<_, SupplierRow>(&format!(
                "select {SUPPLIER_COLUMNS} from suppliers where id = $1 for update"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .map(Supplier::from)
            .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    // one statement for both: a new id inserts, a known one (checked and locked above) updates
    let result = sqlx::query_as::<_, SupplierRow>(&format!(
        "insert into suppliers (tenant_id, id, code, name, email, phone, tax_id, address, currency, payment_terms_days, active, language)
         values ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (tenant_id, id) do update set code = excluded.code, name = excluded.name, email = excluded.email,
            phone = excluded.phone, tax_id = excluded.tax_id, address = excluded.address, currency = excluded.currency,
            payment_terms_days = excluded.payment_terms_days, active = excluded.active, language = excluded.language
         returning {SUPPLIER_COLUMNS}"
    ))
    .bind(p.tenant_id)
    .bind(id)
    .bind(input.code.trim())
    .bind(input.name.trim())
    .bind(clean(&input.email))
    .bind(clean(&input.phone))
    .bind(clean(&input.tax_id))
    .bind(clean(&input.address))
    .bind(&currency)
    .bind(input.payment_terms_days.unwrap_or(30))
    .bind(input.active.unwrap_or(true))
    .bind(clean(&input.language))
    .fetch_one(&mut *tx)
    .await;
    let supplier: Supplier = match result {
        Ok(row) => row.into(),
        Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("23505") => {
            return Err(AppError::field("code", FieldError::Duplicate));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        p.tenant_id,
        ctx,
        Entry {
            user_id: Some(p.user_id),
            action: if id.is_some() { "update" } else { "create" },
            entity: "supplier",
            entity_id: Some(supplier.id.to_string()),
            old: old.and_then(|o| serde_json::to_value(o).ok()),
            new: serde_json::to_value(&supplier).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(supplier)
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProjectRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

pub async fn list_projects(state: &AppState, ctx: &RequestCtx) -> AppResult<Vec<ProjectRow>> {
    let p = ctx.principal()?;
    p.require("requisition:create")
        .or_else(|_| p.require("requisition:view"))?;
    let mut tx = tenant_tx(&state.pool, p.tenant_id).await?;
    let rows: Vec<(Uuid, String, String)> =
        sqlx::query_as("select id, code, name from projects where active order by code limit 500")
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| ProjectRow { id, code, name })
        .collect())
}
