//! Procurement's rules: who may see, create, edit, submit, approve and cancel what, audited, in
//! the caller's transaction (the entry points open and commit it); the SQL is in `repo`. Server
//! functions and REST handlers both call these. The requisition header and visibility rules are
//! here; drafting, the approval lifecycle, the list and the suppliers are submodules, as are
//! purchase orders, projects, the dashboard and requisitions' attachments.
use crate::approvals::engine::{self, Doc, Outcome};
use crate::approvals::expr::{Facts, Value};
use crate::approvals::model::Action;
use crate::approvals::registry::DocKind;
use crate::error::{on_constraint, AppError, AppResult, FieldError};
use crate::format::minor_units;
use crate::platform::audit::{self, Entry};
use crate::platform::context::{AppState, Principal, RequestCtx};
use crate::platform::db::{changed, tenant_tx_planned, Tx, CHANGES};
use crate::platform::permission::Scope;
use crate::procurement::model::*;
use crate::procurement::repo::requisitions::{self as repo, Header, LineRow, Reader};
use crate::types::RequisitionId;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

pub mod attachments;
pub mod dashboard;
mod drafting;
pub mod export;
mod lifecycle;
mod listing;
pub mod masters;
pub mod orders;
mod suppliers;

pub use drafting::{create, update};
pub use lifecycle::{cancel, decide, submit, REQUISITION_KIND};
pub use listing::{list, list_all, RequisitionPages, REQUISITIONS};
pub use suppliers::{
    active_suppliers_facts, get_supplier, list_all_suppliers, list_projects, list_suppliers,
    price_tolerance, save_supplier, supplier_facts, supplier_terms, suppliers_facts,
    suppliers_sharing_names, ProjectRow,
};

const DOC: &str = "requisition";

fn view_scope(p: &Principal) -> Option<Scope> {
    p.require("requisition:view").ok()
}

/// The caller as the visibility rule reads them: own, department, plant or all by scope.
fn reader(p: &Principal) -> Reader {
    Reader {
        user_id: p.user_id,
        scope: view_scope(p).map(Scope::as_str).unwrap_or("none"),
        department_id: p.user.department_id,
        plant_id: p.user.plant_id,
    }
}

async fn header(tx: &mut Tx, p: &Principal, id: Uuid, lock: bool) -> AppResult<Header> {
    repo::header(tx, &reader(p), id, lock)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether the caller may see the requisition (404 otherwise, as for another tenant's), and if so
/// its requester and status, locked when asked; without loading lines, route and history.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn visible(
    tx: &mut Tx,
    p: &Principal,
    id: RequisitionId,
    lock: bool,
) -> AppResult<(Uuid, Status)> {
    let id = id.uuid();
    let h = header(tx, p, id, lock).await?;
    let status = h.status.parse::<Status>().map_err(|_| AppError::Internal)?;
    Ok((h.requester_id, status))
}

async fn load(tx: &mut Tx, p: &Principal, h: Header) -> AppResult<Requisition> {
    // the lines with the approval timeline, in one statement (decimals as text, read exactly)
    let (timeline, lines): (_, Vec<LineRow>) =
        engine::timeline_with(tx, DOC, h.id, p.user_id, repo::LINES_JSON).await?;
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
pub async fn get(tx: &mut Tx, ctx: &RequestCtx, id: RequisitionId) -> AppResult<Requisition> {
    let id = id.uuid();
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
