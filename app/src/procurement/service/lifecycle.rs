//! A requisition's approval: submitted to the engine, decided, cancelled; its registration as a
//! kind of document.
use super::*;
use crate::types::RequisitionId;

pub(super) fn doc_of(h: &Header) -> Doc {
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

/// The status change, its audit row and the requisition as the change left it (lines and
/// approval timeline, read after the approval engine's writes), in one statement.
pub(super) async fn change_status(
    tx: &mut Tx,
    p: &Principal,
    h: Header,
    (status, stage): (Status, Option<i32>),
    ctx: &RequestCtx,
    entry: Entry<'static>,
) -> AppResult<Requisition> {
    let change = repo::status_change();
    let tenant_id = p.tenant_id;
    let (timeline, lines): (_, Vec<LineRow>) = engine::timeline_after(
        tx,
        Some(&change),
        move |q| repo::bind_status_change(q, status.as_str(), stage, tenant_id, ctx, entry),
        DOC,
        h.id,
        p.user_id,
        repo::LINES_JSON,
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

pub(super) fn status_after(outcome: &Outcome) -> (Status, Option<i32>) {
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
    header_sql: repo::KIND_HEADER_SQL,
    default_rules_sql: repo::KIND_DEFAULT_RULES_SQL,
    decide: decide_from_inbox,
};

pub(super) fn requisition_label(locale: crate::i18n::Locale) -> String {
    leptos_i18n::td_string!(locale, rules.requisition).to_string()
}

pub(super) fn requisition_href(id: Uuid) -> String {
    format!("/procurement/requisitions/{id}")
}

pub(super) fn decide_from_inbox<'a>(
    tx: &'a mut Tx,
    ctx: &'a RequestCtx,
    id: Uuid,
    action: Action,
    comment: Option<String>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = AppResult<()>> + Send + 'a>> {
    Box::pin(async move {
        decide(tx, ctx, id.into(), action, comment)
            .await
            .map(|_| ())
    })
}

/// Submits a draft (or resubmits a questioned requisition): the route is fixed now.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn submit(tx: &mut Tx, ctx: &RequestCtx, id: RequisitionId) -> AppResult<Requisition> {
    let id = id.uuid();
    let p = ctx.principal()?;
    let h = header(tx, p, id, true).await?;
    own_editable(p, &h)?;
    let resubmit = h.status == Status::Questioned.as_str();
    let doc = doc_of(&h);
    let action = if resubmit { "resubmit" } else { "submit" };
    let outcome = engine::start(tx, p.tenant_id, &doc, p.user_id, action).await?;
    let (status, stage) = status_after(&outcome);
    if outcome == Outcome::Approved {
        engine::notify(
            tx,
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
    let req = change_status(tx, p, h, (status, stage), ctx, entry).await?;
    Ok(req)
}

/// Approve, reject or send back: only an approver of the open stage (or their delegate).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: RequisitionId,
    action: Action,
    comment: Option<String>,
) -> AppResult<Requisition> {
    let id = id.uuid();
    let p = ctx.principal()?;
    let h = header(tx, p, id, true).await?;
    let doc = doc_of(&h);
    if h.status == Status::Cancelled.as_str() {
        return Err(AppError::InvalidState);
    }
    let outcome = engine::act(tx, p.tenant_id, &doc, p.user_id, action, comment.as_deref()).await?;
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
    let req = change_status(tx, p, h, (status, stage), ctx, entry).await?;
    Ok(req)
}

/// The requester cancels before a decision.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cancel(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: RequisitionId,
    comment: Option<String>,
) -> AppResult<Requisition> {
    let id = id.uuid();
    let p = ctx.principal()?;
    let h = header(tx, p, id, true).await?;
    if h.requester_id != p.user_id {
        return Err(AppError::Forbidden);
    }
    if !h
        .status
        .parse::<Status>()
        .ok()
        .is_some_and(Status::cancellable)
    {
        return Err(AppError::InvalidState);
    }
    let doc = doc_of(&h);
    engine::cancel_open_steps(tx, &doc).await?;
    engine::record(
        tx,
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
    let req = change_status(tx, p, h, (Status::Cancelled, None), ctx, entry).await?;
    Ok(req)
}
