//! The purchase order as a PDF (A4, the standard Helvetica fonts, as many pages as the lines need).
//! The standard fonts carry WinAnsi (Latin) text only: characters outside it are printed as `?`,
//! and money is written with the ISO currency code. Embedding a Unicode font for Indic and Arabic
//! supplier documents is future work.
use crate::format::{format_decimal, format_money_code, Grouping};
use crate::procurement::orders::PurchaseOrder;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 48.0;
const LINES_FIRST_PAGE: usize = 24;
const LINES_PER_PAGE: usize = 38;

/// Maps text to WinAnsi bytes (Latin-1 subset plus a few typographic characters).
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

struct Writer {
    content: Content,
}

impl Writer {
    fn text(&mut self, font: &[u8], size: f32, x: f32, y: f32, text: &str) {
        self.content
            .begin_text()
            .set_font(Name(font), size)
            .next_line(x, y)
            .show(Str(&win_ansi(text)))
            .end_text();
    }

    /// Right-aligned at `x` (an estimate from Helvetica's average digit width).
    fn text_right(&mut self, font: &[u8], size: f32, x: f32, y: f32, text: &str) {
        let width = text.chars().count() as f32 * size * 0.55;
        self.text(font, size, x - width, y, text);
    }

    fn rule(&mut self, y: f32) {
        self.content
            .set_line_width(0.5)
            .move_to(MARGIN, y)
            .line_to(WIDTH - MARGIN, y)
            .stroke();
    }
}

/// Renders `po`; `tenant` is the buyer's name, `grouping` the tenant's digit grouping.
pub fn render(po: &PurchaseOrder, tenant: &str, grouping: Grouping) -> Vec<u8> {
    let minor = crate::format::minor_units(&po.currency);
    let chunks: Vec<&[crate::procurement::orders::PoLine]> = {
        let mut out = Vec::new();
        let (first, rest) = po.lines.split_at(po.lines.len().min(LINES_FIRST_PAGE));
        out.push(first);
        out.extend(rest.chunks(LINES_PER_PAGE));
        out
    };
    let pages = chunks.len();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let page_ids: Vec<Ref> = (0..pages).map(|i| Ref::new(5 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    let money = |d| format_money_code(d, &po.currency, grouping);
    for (index, lines) in chunks.iter().enumerate() {
        let page_id = page_ids[index];
        let content_id = Ref::new(page_id.get() + 1);
        let mut w = Writer {
            content: Content::new(),
        };
        let mut y = HEIGHT - MARGIN;
        w.text(b"F2", 18.0, MARGIN, y - 10.0, "PURCHASE ORDER");
        w.text_right(b"F2", 12.0, WIDTH - MARGIN, y - 8.0, &po.number);
        y -= 30.0;
        w.text(b"F1", 9.0, MARGIN, y, &format!("Buyer: {tenant}"));
        w.text_right(
            b"F1",
            9.0,
            WIDTH - MARGIN,
            y,
            &format!("Page {} of {pages}", index + 1),
        );
        y -= 14.0;
        if index == 0 {
            let date = po.created_at.date_naive().format("%Y-%m-%d").to_string();
            let delivery = po
                .expected_delivery_date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "-".into());
            let left = [
                format!("Supplier: {} ({})", po.supplier.name, po.supplier.code),
                po.supplier.address.clone().unwrap_or_default(),
                po.supplier
                    .tax_id
                    .as_ref()
                    .map(|t| format!("Tax id: {t}"))
                    .unwrap_or_default(),
                po.supplier.email.clone().unwrap_or_default(),
            ];
            let right = [
                format!("Order date: {date}"),
                format!("Expected delivery: {delivery}"),
                format!("Payment terms: {} days", po.payment_terms_days),
                format!(
                    "Deliver to: {}",
                    po.plant.clone().unwrap_or_else(|| "-".into())
                ),
            ];
            for (l, r) in left.iter().zip(right.iter()) {
                w.text(b"F1", 9.0, MARGIN, y, &truncate(l, 60));
                w.text(b"F1", 9.0, 330.0, y, &truncate(r, 45));
                y -= 13.0;
            }
            if let Some(address) = &po.delivery_address {
                w.text(b"F1", 9.0, 330.0, y, &truncate(address, 45));
                y -= 13.0;
            }
            y -= 8.0;
        }
        // the table
        w.rule(y + 10.0);
        let cols = [MARGIN, 70.0, 290.0, 360.0, 440.0, 480.0];
        w.text(b"F2", 8.5, cols[0], y, "#");
        w.text(b"F2", 8.5, cols[1], y, "Description");
        w.text_right(b"F2", 8.5, cols[3] - 6.0, y, "Quantity");
        w.text_right(b"F2", 8.5, cols[4] - 4.0, y, "Unit price");
        w.text_right(b"F2", 8.5, cols[5] + 14.0, y, "Tax");
        w.text_right(b"F2", 8.5, WIDTH - MARGIN, y, "Amount");
        y -= 6.0;
        w.rule(y);
        y -= 12.0;
        for line in lines.iter() {
            w.text(b"F1", 8.5, cols[0], y, &line.line_no.to_string());
            w.text(
                b"F1",
                8.5,
                cols[1],
                y,
                &truncate(
                    &format!("{} ({})", line.description, line.requisition_number),
                    48,
                ),
            );
            w.text_right(
                b"F1",
                8.5,
                cols[3] - 6.0,
                y,
                &format!(
                    "{} {}",
                    format_decimal(
                        line.quantity.normalize(),
                        line.quantity.normalize().scale(),
                        grouping
                    ),
                    line.unit
                ),
            );
            w.text_right(
                b"F1",
                8.5,
                cols[4] - 4.0,
                y,
                &format_decimal(line.unit_price, minor, grouping),
            );
            w.text_right(
                b"F1",
                8.5,
                cols[5] + 14.0,
                y,
                &format!(
                    "{}%",
                    (line.tax_rate * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                ),
            );
            w.text_right(
                b"F1",
                8.5,
                WIDTH - MARGIN,
                y,
                &format_decimal(line.line_subtotal, minor, grouping),
            );
            y -= 14.0;
        }
        w.rule(y + 8.0);
        if index + 1 == pages {
            y -= 8.0;
            for (label, value, font) in [
                ("Subtotal", po.subtotal, b"F1"),
                ("Tax", po.tax_amount, b"F1"),
                ("Total", po.total, b"F2"),
            ] {
                w.text(font, 10.0, 360.0, y, label);
                w.text_right(font, 10.0, WIDTH - MARGIN, y, &money(value));
                y -= 15.0;
            }
            y -= 10.0;
            w.text(
                b"F1",
                8.0,
                MARGIN,
                y,
                "Amounts are rounded half-up to the currency's minor unit per line, then summed.",
            );
            y -= 11.0;
            w.text(
                b"F1",
                8.0,
                MARGIN,
                y,
                &format!(
                    "Please quote {} on your delivery note and invoice.",
                    po.number
                ),
            );
        }
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), bold);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &w.content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_keeps_latin_and_replaces_the_rest() {
        assert_eq!(win_ansi("Café €5"), b"Caf\xe9 \x805".to_vec());
        assert_eq!(win_ansi("पंप"), b"???".to_vec());
    }
}
