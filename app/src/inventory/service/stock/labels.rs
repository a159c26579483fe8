//! Printable UID labels with QR codes, per receipt, item or UID.
use crate::error::{AppError, AppResult};
use crate::inventory::model::stock::UidLabel;
use crate::inventory::repo::stock_reads as reads_repo;
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use crate::platform::model::locale_code;
use uuid::Uuid;

/// The QR code of a UID as SVG (error correction M, dark on white, quiet zone included).
pub fn qr_svg(text: &str) -> AppResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// Labels for the UIDs of a goods receipt, of an item, or one UID.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn labels(
    tx: &mut Tx,
    ctx: &RequestCtx,
    receipt: Option<Uuid>,
    item: Option<Uuid>,
    uid: Option<String>,
) -> AppResult<Vec<UidLabel>> {
    let p = ctx.principal()?;
    p.require("inventory:view")?;
    if receipt.is_none() && item.is_none() && uid.is_none() {
        return Err(AppError::NotFound);
    }
    let rows =
        reads_repo::uids_for_labels(tx, receipt, item, uid.as_deref().map(str::trim)).await?;
    let lang = locale_code(ctx.locale);
    rows.into_iter()
        .map(|(uid, sku, names)| {
            Ok(UidLabel {
                svg: qr_svg(&uid)?,
                uid,
                sku,
                name: crate::inventory::model::pick(&names.0, lang)
                    .unwrap_or_default()
                    .to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_uid_becomes_an_svg_qr_code() {
        let svg = super::qr_svg("UID-DEMO-MAIN-S-000001-K").unwrap_or_default();
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains("#000000"));
    }
}
