//! Drafting a requisition: created in one statement, edited while draft or questioned.
use super::*;
use crate::procurement::repo::requisitions::{LineColumns, NewRequisition};
use crate::types::Currency;

/// The project of a project requisition must be an active project of this tenant (another
/// tenant's id is simply unknown). The lines' references are checked as they are inserted.
pub(super) async fn check_project(tx: &mut Tx, input: &RequisitionInput) -> AppResult<()> {
    let Some(project) = input
        .project_id
        .filter(|_| input.purpose == Purpose::Project)
    else {
        return Ok(());
    };
    let ok = repo::project_is_active(tx, project).await?;
    if ok {
        Ok(())
    } else {
        Err(AppError::field("project_id", FieldError::UnknownReference))
    }
}

/// Lines for a catalogue item may be entered in any unit that converts to the item's (422
/// `lines[i].unit` otherwise: `no_conversion`), with no more decimal places than the unit allows
/// (422 `lines[i].quantity`); each keeps its quantity and unit, the unit's code written as the
/// tenant writes it. Lines naming no item keep their unit as text. (Items that are not the
/// tenant's are refused with the lines' other references.)
pub(super) async fn check_line_units(tx: &mut Tx, input: &mut RequisitionInput) -> AppResult<()> {
    use crate::inventory::service::units::{in_item_units, Entered};
    let entered: Vec<(usize, Entered)> = input
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            l.item_id.map(|item| {
                (
                    i,
                    Entered {
                        item,
                        quantity: l.quantity,
                        unit: &l.unit,
                    },
                )
            })
        })
        .collect();
    if entered.is_empty() {
        return Ok(());
    }
    let (at, entries): (Vec<usize>, Vec<Entered>) = entered.into_iter().unzip();
    let results = in_item_units(tx, &entries, true).await?;
    let mut errors = BTreeMap::new();
    let mut codes = Vec::new();
    for (i, r) in at.into_iter().zip(results) {
        match r {
            Ok(c) => codes.push((i, c.unit)),
            Err(("item_id", _)) => {}
            Err((field, e)) => {
                errors.insert(format!("lines[{i}].{field}"), e);
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    for (i, code) in codes {
        input.lines[i].unit = code;
    }
    Ok(())
}

/// A requisition's lines as the columns they are written with: texts trimmed, empty notes none,
/// line totals rounded to the currency.
impl<'a> LineColumns<'a> {
    fn of(lines: &'a [LineInput], currency: Currency) -> Self {
        LineColumns {
            line_no: (1..=lines.len() as i32).collect(),
            items: lines.iter().map(|l| l.item_id).collect(),
            descriptions: lines.iter().map(|l| l.description.trim()).collect(),
            quantities: lines.iter().map(|l| l.quantity).collect(),
            units: lines.iter().map(|l| l.unit.trim()).collect(),
            prices: lines.iter().map(|l| l.estimated_unit_price).collect(),
            totals: lines
                .iter()
                .map(|l| line_total(l.quantity, l.estimated_unit_price, currency))
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
pub(super) async fn insert_lines(
    tx: &mut Tx,
    tenant_id: Uuid,
    req_id: Uuid,
    input: &RequisitionInput,
    currency: Currency,
) -> AppResult<()> {
    let c = LineColumns::of(&input.lines, currency);
    let (suppliers, items) = repo::insert_requisition_lines(tx, tenant_id, req_id, &c).await?;
    lines_accepted(suppliers, items)
}

/// The lines refused by `requisition_line_refusals` (numbers from 1), as errors by
/// field (`lines[i].supplier_id`, `lines[i].item_id`).
pub(super) fn lines_accepted(
    suppliers: Option<Vec<i32>>,
    items: Option<Vec<i32>>,
) -> AppResult<()> {
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

/// Creates a draft in one statement that PostgreSQL runs as its own transaction
/// (`create_requisition`, in the procurement schema): the references are checked first (nothing is written
/// when one is refused), then the header with its gap-free number, the lines, the count and the
/// audit row are inserted at once, and the answer is made from the input and what the statement
/// returns. The change is announced to every instance's result caches once it has committed.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    mut input: RequisitionInput,
) -> AppResult<Requisition> {
    let p = ctx.principal()?;
    p.require("requisition:create")?;
    let currency = p.user.tenant.currency;
    let minor = currency.minor_units();
    validate(&input, currency).map_err(AppError::Validation)?;
    if input.lines.iter().any(|l| l.item_id.is_some()) {
        // read only: the units, items and conversions the lines name
        let mut tx = crate::platform::db::tenant_tx(&state.pool, p.tenant_id).await?;
        check_line_units(&mut tx, &mut input).await?;
    }
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
    let c = LineColumns::of(lines, currency);
    let total = total(lines, currency);
    let created = repo::create_requisition(
        &state.pool,
        ctx,
        NewRequisition {
            tenant_id: p.tenant_id,
            id,
            purpose: input.purpose.as_str(),
            project_id,
            requester_id: p.user_id,
            department_id: p.user.department_id,
            plant_id: p.user.plant_id,
            needed_by: input.needed_by,
            notes: notes.as_deref(),
            currency: p.user.tenant.currency.code(),
            total,
            lines: &c,
            input: serde_json::to_value(&input).ok(),
        },
    )
    .await?;
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
        currency: p.user.tenant.currency.to_string(),
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
pub(super) fn at_scale(amount: Decimal, minor: u32) -> Decimal {
    let mut amount = amount.round_dp(minor);
    amount.rescale(minor);
    amount
}

/// The requester edits a draft or a requisition sent back with questions.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: RequisitionId,
    mut input: RequisitionInput,
) -> AppResult<Requisition> {
    let id = id.uuid();
    let p = ctx.principal()?;
    let currency = p.user.tenant.currency;
    let h = header(tx, p, id, true).await?;
    own_editable(p, &h)?;
    validate(&input, currency).map_err(AppError::Validation)?;
    check_line_units(tx, &mut input).await?;
    check_project(tx, &input).await?;
    let old = load(tx, p, h).await?;
    repo::delete_requisition_lines(tx, id).await?;
    insert_lines(tx, p.tenant_id, id, &input, currency).await?;
    let project_id = if input.purpose == Purpose::Project {
        input.project_id
    } else {
        None
    };
    let notes = input
        .notes
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    repo::update_requisition(
        tx,
        id,
        input.purpose.as_str(),
        project_id,
        input.needed_by,
        notes,
        total(&input.lines, currency),
    )
    .await?;
    audit::record(
        tx,
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
    let h = header(tx, p, id, false).await?;
    let req = load(tx, p, h).await?;
    Ok(req)
}
