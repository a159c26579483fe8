//! Orders generated from approved requisition lines: one per supplier and delivery plant.
use super::lifecycle::apply_outcome;
use super::*;

#[derive(sqlx::FromRow)]
pub(super) struct OrderableRow {
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn orderable_lines(tx: &mut Tx, ctx: &RequestCtx) -> AppResult<Vec<OrderableLine>> {
    let p = ctx.principal()?;
    p.require("po:create")?;
    let rows = sqlx::query_as!(OrderableRow, r#"select l.id as requisition_line_id, r.id as requisition_id, r.number as "requisition_number!",
                u.display_name as requester, pl.name as "plant?", r.needed_by, l.description, l.quantity,
                l.ordered_quantity, l.unit, l.estimated_unit_price, l.supplier_id, s.name as "supplier?",
                r.currency::text as "currency!"
           from requisition_lines l
           join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
           join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
           left join plants pl on pl.tenant_id = r.tenant_id and pl.id = r.plant_id
           left join suppliers s on s.tenant_id = l.tenant_id and s.id = l.supplier_id
          where r.status = 'approved' and l.ordered_quantity < l.quantity
          order by r.decided_at nulls last, r.number, l.line_no
          limit 500"#)
    .fetch_all(&mut **tx)
    .await?;
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
pub(super) struct LockedLine {
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
    let minor = minor_units(&p.user.tenant.currency);
    validate_generate(&input, minor, QUANTITY_DECIMALS).map_err(AppError::Validation)?;
    let default_rate: Decimal = sqlx::query_scalar!(
        "select default_tax_rate from tenants where id = $1",
        p.tenant_id
    )
    .fetch_one(&mut **tx)
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
    let locked: BTreeMap<Uuid, LockedLine> = sqlx::query_as!(LockedLine, "select l.id, l.item_id, l.description, l.quantity, l.ordered_quantity, l.unit, l.estimated_unit_price,
                l.supplier_id, r.status, r.plant_id, r.needed_by, r.requester_id
           from requisition_lines l join requisitions r on r.tenant_id = l.tenant_id and r.id = l.requisition_id
          where l.id = any($1) order by l.id for update of l", &ids)
    .fetch_all(&mut **tx)
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
    let suppliers: BTreeMap<Uuid, i32> = sqlx::query!(
        "select id, payment_terms_days from suppliers where id = any($1) and active",
        &supplier_ids
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.payment_terms_days))
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
        let address: Option<String> = match plant_id {
            Some(plant) => {
                sqlx::query_scalar!("select address from plants where id = $1", plant)
                    .fetch_one(&mut **tx)
                    .await?
            }
            None => None,
        };
        let po_id: Uuid = sqlx::query_scalar!("insert into purchase_orders (tenant_id, number, supplier_id, plant_id, delivery_address, expected_delivery_date,
                                          payment_terms_days, currency, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id", p.tenant_id, &number, supplier_id, plant_id, address, expected, suppliers[&supplier_id], &p.user.tenant.currency, p.user_id)
        .fetch_one(&mut **tx)
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
        sqlx::query!("insert into purchase_order_lines (tenant_id, purchase_order_id, line_no, requisition_line_id, item_id, description,
                                               quantity, unit, unit_price, tax_rate, line_subtotal, tax_amount, line_total)
             select $1, $2, u.n, u.line_id, u.item_id, u.description, u.quantity, u.unit, u.price, u.rate, u.sub, u.tax, u.tot
               from unnest($3::uuid[], $4::uuid[], $5::text[], $6::numeric[], $7::text[], $8::numeric[], $9::numeric[],
                           $10::numeric[], $11::numeric[], $12::numeric[])
                    with ordinality as u(line_id, item_id, description, quantity, unit, price, rate, sub, tax, tot, n)", p.tenant_id, po_id, &line_ids, &item_ids as &[Option<Uuid>], &descriptions, &quantities, &units, &prices, &rates, &subs, &taxes, &totals)
        .execute(&mut **tx)
        .await?;
        // a line split twice to the same supplier appears twice: add its quantities up first
        sqlx::query!("update requisition_lines rl set ordered_quantity = rl.ordered_quantity + u.quantity
               from (select line_id, sum(quantity) as quantity from unnest($1::uuid[], $2::numeric[]) as t(line_id, quantity)
                      group by line_id) u
              where rl.id = u.line_id", &line_ids, &quantities)
        .execute(&mut **tx)
        .await?;
        let (subtotal, tax, total) = order_figures(&figures, minor);
        sqlx::query!(
            "update purchase_orders set subtotal = $2, tax_amount = $3, total = $4 where id = $1",
            po_id,
            subtotal,
            tax,
            total
        )
        .execute(&mut **tx)
        .await?;
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
