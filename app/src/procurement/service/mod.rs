//! Requisition and supplier rules: who may see, create, edit, submit, approve and cancel what,
//! audited, in the caller's transaction (the entry points open and commit it). Server functions
//! and REST handlers both call these. The header and visibility rules are here; drafting, the
//! approval lifecycle, the list and the suppliers are submodules.
use crate::approvals::engine::{self, Doc, Outcome};
use crate::approvals::expr::{Facts, Value};
use crate::approvals::model::Action;
use crate::approvals::registry::DocKind;
use crate::error::{on_constraint, AppError, AppResult, FieldError};
use crate::format::minor_units;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, Principal, RequestCtx};
use crate::platform::db::{changed, tenant_tx, Tx, CHANGES};
use crate::platform::permission::Scope;
use crate::procurement::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

mod drafting;
mod lifecycle;
mod listing;
mod suppliers;

pub use drafting::{create, update};
pub use lifecycle::{cancel, decide, submit, REQUISITION_KIND};
pub use listing::{list, RequisitionPages, REQUISITIONS};
pub use suppliers::{get_supplier, list_projects, list_suppliers, save_supplier, ProjectRow};

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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn visible(
    tx: &mut Tx,
    p: &Principal,
    id: Uuid,
    lock: bool,
) -> AppResult<(Uuid, Status)> {
    let h = header(tx, p, id, lock).await?;
    let status = h.status.parse::<Status>().map_err(|_| AppError::Internal)?;
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
    let status = h.status.parse::<Status>().map_err(|_| AppError::Internal)?;
    let mine = h.requester_id == p.user_id;
    let can_decide = status == Status::UnderReview && !mine && holds_open_seat;
    Ok(Requisition {
        id: h.id,
        number: h.number,
        status,
        purpose: h
            .purpose
            .parse::<Purpose>()
            .map_err(|_| AppError::Internal)?,
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

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: Uuid) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    let h = header(tx, p, id, false).await?;
    let req = load(tx, p, h).await?;
    Ok(req)
}

fn own_editable(p: &Principal, h: &Header) -> AppResult<()> {
    if h.requester_id != p.user_id {
        return Err(AppError::Forbidden);
    }
    let status = h.status.parse::<Status>().map_err(|_| AppError::Internal)?;
    if !status.editable() {
        return Err(AppError::InvalidState);
    }
    Ok(())
}
