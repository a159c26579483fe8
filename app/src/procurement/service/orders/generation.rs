//! Orders generated from approved requisition lines: one per supplier and delivery plant.
use super::lifecycle::apply_outcome;
use super::*;
use crate::procurement::repo::orders::{LockedLine, NewOrder, OrderLineColumns};

/// Approved requisition lines with quantity still to order, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn orderable_lines(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<OrderableLine>> {
    let p = ctx.principal()?;
    p.require("po:create")?;
    let rows = repo::orderable_lines(tx).await?;
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

/// One line to order, resolved.
pub(super) struct Want {
    field: String,
    line_id: Uuid,
    supplier_id: Uuid,
    quantity: Option<Decimal>,
    unit_price: Option<Decimal>,
    tax_rate: Option<Decimal>,
}

/// Generates purchase orders, one per supplier and delivery plant, and starts their approval.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn generate(
    tx: &mut Tx,
    ctx: &RequestCtx,
    input: GenerateInput,
) -> AppResult<Vec<PurchaseOrder>> {
    let p = ctx.principal()?;
    p.require("po:create")?;
    let minor = p.user.tenant.currency.minor_units();
    validate_generate(&input, p.user.tenant.currency, QUANTITY_DECIMALS)
        .map_err(AppError::Validation)?;
    let default_rate = repo::default_tax_rate(tx, p.tenant_id).await?;
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
    let locked: BTreeMap<Uuid, LockedLine> = repo::lock_requisition_lines(tx, &ids)
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
    let suppliers: BTreeMap<Uuid, i32> = repo::active_suppliers_terms(tx, &supplier_ids)
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
        let number = next_number(tx, p.tenant_id, "PO").await?;
        let expected = input.expected_delivery_date.or_else(|| {
            list.iter()
                .filter_map(|w| locked[&w.line_id].needed_by)
                .min()
        });
        let expected = expected.unwrap_or(p.user.today + Duration::days(14));
        let address = match plant_id {
            Some(plant) => repo::plant_address(tx, plant).await?,
            None => None,
        };
        let po_id = repo::insert_order(
            tx,
            NewOrder {
                tenant_id: p.tenant_id,
                number: &number,
                supplier_id,
                plant_id,
                delivery_address: address,
                expected_delivery_date: expected,
                payment_terms_days: suppliers[&supplier_id],
                currency: p.user.tenant.currency.code(),
                created_by: p.user_id,
            },
        )
        .await?;
        // the lines as columns, written in one statement each (not a round trip per line)
        let mut figures = Vec::new();
        let mut requesters = Vec::new();
        let mut c = OrderLineColumns::default();
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
            c.line_ids.push(w.line_id);
            c.item_ids.push(line.item_id);
            c.descriptions.push(line.description.clone());
            c.units.push(line.unit.clone());
            c.subtotals.push(sub);
            c.taxes.push(tax);
            c.totals.push(tot);
            if !requesters.contains(&line.requester_id) {
                requesters.push(line.requester_id);
            }
        }
        c.quantities = figures.iter().map(|f| f.0).collect();
        c.prices = figures.iter().map(|f| f.1).collect();
        c.rates = figures.iter().map(|f| f.2).collect();
        repo::insert_order_lines(tx, p.tenant_id, po_id, &c).await?;
        // a line split twice to the same supplier appears twice: its quantities are added up first
        repo::add_ordered_quantities(tx, &c.line_ids, &c.quantities).await?;
        let (subtotal, tax, total) = order_figures(&figures, minor);
        repo::set_order_figures(tx, po_id, subtotal, tax, total).await?;
        let h = header(tx, p, po_id, false).await?;
        let doc = doc_of(&h);
        let outcome = engine::start(tx, p.tenant_id, &doc, p.user_id, "submit").await?;
        apply_outcome(tx, po_id, &outcome).await?;
        engine::notify(tx, p.tenant_id, &requesters, "po_created", &doc, None).await?;
        audit::record(
            tx,
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
        let h = header(tx, p, id, false).await?;
        out.push(load(tx, p, h).await?);
    }
    Ok(out)
}
