//! An order after generation: decided through the engine, sent to its supplier as a PDF,
//! cancelled or closed; its registration as a kind of document.
use super::*;
use crate::types::PurchaseOrderId;

pub(super) async fn apply_outcome(tx: &mut Tx, id: Uuid, outcome: &Outcome) -> AppResult<PoStatus> {
    let (status, stage) = match outcome {
        Outcome::Pending(stage) => (PoStatus::PendingApproval, Some(*stage)),
        Outcome::Approved => (PoStatus::Approved, None),
        Outcome::Rejected | Outcome::Returned => (PoStatus::Cancelled, None),
    };
    repo::set_order_outcome(tx, id, status.as_str(), stage).await?;
    if status == PoStatus::Cancelled {
        release_quantities(tx, id).await?;
    }
    Ok(status)
}

/// Gives a cancelled order's quantities back to its requisition lines.
pub(super) async fn release_quantities(tx: &mut Tx, id: Uuid) -> AppResult<()> {
    repo::release_ordered_quantities(tx, id).await?;
    Ok(())
}

/// Purchase orders as the approval engine knows them. By default the procurement manager approves
/// orders above the tenant's threshold (seed 000).
pub static PURCHASE_ORDER_KIND: DocKind = DocKind {
    doc_type: DOC,
    label: order_label,
    href: order_href,
    facts: &["amount", "plant"],
    header_sql: repo::KIND_HEADER_SQL,
    default_rules_sql: repo::KIND_DEFAULT_RULES_SQL,
    decide: decide_from_inbox,
};

pub(super) fn order_label(locale: crate::i18n::Locale) -> String {
    leptos_i18n::td_string!(locale, rules.purchase_order).to_string()
}

pub(super) fn order_href(id: Uuid) -> String {
    format!("/procurement/orders/{id}")
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

/// Approves (or rejects, which cancels the order) the open stage: only its approver.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: PurchaseOrderId,
    action: Action,
    comment: Option<String>,
) -> AppResult<PurchaseOrder> {
    let id = id.uuid();
    let p = ctx.principal()?;
    if action == Action::SendBack {
        return Err(AppError::InvalidState);
    }
    let h = header(tx, p, id, true).await?;
    let doc = doc_of(&h);
    if h.status.parse::<PoStatus>().ok() == Some(PoStatus::Cancelled) {
        return Err(AppError::InvalidState);
    }
    let outcome = engine::act(tx, p.tenant_id, &doc, p.user_id, action, comment.as_deref()).await?;
    let new_status = apply_outcome(tx, id, &outcome).await?;
    match new_status {
        PoStatus::Approved => {
            engine::notify(
                tx,
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
                tx,
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
        tx,
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
    let h = header(tx, p, id, false).await?;
    let po = load(tx, p, h).await?;
    Ok(po)
}

/// The order as a PDF in the caller's language: (file name, bytes).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pdf(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: PurchaseOrderId,
) -> AppResult<(String, Vec<u8>)> {
    let id = id.uuid();
    let p = ctx.principal()?;
    let h = header(tx, p, id, false).await?;
    let po = load(tx, p, h).await?;
    let tenant = &p.user.tenant;
    let name = format!("{}.pdf", po.number);
    let bytes = crate::procurement::pdf::render_blocking(
        po,
        tenant.name.clone(),
        tenant.number_format,
        ctx.locale,
    )
    .await?;
    Ok((name, bytes))
}

/// Sends an approved order to the supplier: the PDF by e-mail through the outbox (in the tenant's
/// language), and the order becomes `sent`. Sending again re-sends it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn send(tx: &mut Tx, ctx: &RequestCtx, id: PurchaseOrderId) -> AppResult<PurchaseOrder> {
    let id = id.uuid();
    let p = ctx.principal()?;
    p.require("po:manage")?;
    let h = header(tx, p, id, true).await?;
    let status = h
        .status
        .parse::<PoStatus>()
        .map_err(|_| AppError::Internal)?;
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
        .and_then(|l| l.parse::<crate::i18n::Locale>().ok())
        .or_else(|| tenant.default_language.parse::<crate::i18n::Locale>().ok())
        .unwrap_or_default();
    let po = load(tx, p, h).await?;
    let bytes = crate::procurement::pdf::render_blocking(
        po.clone(),
        tenant.name.clone(),
        tenant.number_format,
        locale,
    )
    .await?;
    let (subject, body) = supplier_email(&po, &tenant.name, locale, tenant.number_format);
    let file = format!("{}.pdf", po.number);
    outbox::enqueue(
        tx,
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
    repo::mark_order_sent(tx, id).await?;
    audit::record(
        tx,
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
    let h = header(tx, p, id, false).await?;
    let po = load(tx, p, h).await?;
    Ok(po)
}

pub(super) fn supplier_email(
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_status(
    tx: &mut Tx,
    ctx: &RequestCtx,
    id: PurchaseOrderId,
    target: PoStatus,
    comment: Option<String>,
) -> AppResult<PurchaseOrder> {
    let id = id.uuid();
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
    let h = header(tx, p, id, true).await?;
    let status = h
        .status
        .parse::<PoStatus>()
        .map_err(|_| AppError::Internal)?;
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
        engine::cancel_open_steps(tx, &doc).await?;
        engine::record(tx, p.tenant_id, &doc, p.user_id, "cancel", Some(&comment)).await?;
        release_quantities(tx, id).await?;
    }
    repo::set_order_status(tx, id, target.as_str(), &comment).await?;
    audit::record(
        tx,
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
    let h = header(tx, p, id, false).await?;
    let po = load(tx, p, h).await?;
    Ok(po)
}
