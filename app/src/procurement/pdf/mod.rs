//! The purchase order as a PDF (A4, as many pages as the lines need), in the given language: its
//! labels translated, its dates and figures formatted for it, its text in the Noto faces of every
//! script (shaped and embedded as subsets, see [`crate::platform::export::pdf_text`]), and laid out from the right
//! for Arabic.
use crate::format::{format_date, format_decimal, format_money_code, Grouping};
use crate::i18n::Locale;
use crate::platform::export::pdf_text::{deflate, layout, Fonts, Weight};
use crate::procurement::model::orders::PurchaseOrder;
use leptos_i18n::td_string;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 48.0;
const LINES_FIRST_PAGE: usize = 24;
const LINES_PER_PAGE: usize = 38;

struct Writer<'a> {
    content: Content,
    fonts: &'a mut Fonts,
    rtl: bool,
}

impl Writer<'_> {
    /// `text` starting at `x` (from the left edge; from the right edge in a right-to-left
    /// document), cut with an ellipsis to `max` points wide.
    fn text(&mut self, weight: Weight, size: f32, x: f32, y: f32, text: &str, max: f32) {
        let line = fitted(text, weight, size, self.rtl, max);
        let start = if self.rtl { WIDTH - x - line.width } else { x };
        self.fonts.draw(&mut self.content, &line, size, start, y);
    }

    /// `text` ending at `x` (mirrored in a right-to-left document), in a smaller size if it is
    /// wider than `max` (a column's heading).
    fn text_end(&mut self, weight: Weight, size: f32, x: f32, y: f32, text: &str, max: f32) {
        let mut line = layout(text, weight, size, self.rtl);
        let mut size = size;
        if line.width > max {
            size = (size * max / line.width).max(5.0);
            line = layout(text, weight, size, self.rtl);
        }
        self.end_at(&line, size, x, y);
    }

    /// A figure or code ending at `x` (mirrored in a right-to-left document), always laid out
    /// left to right: "2 pcs" stays "2 pcs" in an Arabic document.
    fn figure(&mut self, weight: Weight, size: f32, x: f32, y: f32, text: &str) {
        let line = layout(text, weight, size, false);
        self.end_at(&line, size, x, y);
    }

    /// Draws `line` ending at `x` (starting at the mirrored `x` in a right-to-left document).
    fn end_at(
        &mut self,
        line: &crate::platform::export::pdf_text::Line,
        size: f32,
        x: f32,
        y: f32,
    ) {
        let start = if self.rtl { WIDTH - x } else { x - line.width };
        self.fonts.draw(&mut self.content, line, size, start, y);
    }

    fn rule(&mut self, y: f32) {
        self.content
            .set_line_width(0.5)
            .move_to(MARGIN, y)
            .line_to(WIDTH - MARGIN, y)
            .stroke();
    }
}

/// `text` laid out, with characters taken off its end (and an ellipsis added) until it fits `max`.
fn fitted(
    text: &str,
    weight: Weight,
    size: f32,
    rtl: bool,
    max: f32,
) -> crate::platform::export::pdf_text::Line {
    let line = layout(text, weight, size, rtl);
    if line.width <= max {
        return line;
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut low, mut high) = (0, chars.len());
    // the longest prefix that fits with its ellipsis
    while low < high {
        let mid = (low + high).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if layout(&candidate, weight, size, rtl).width <= max {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    layout(
        &(chars[..low].iter().collect::<String>() + "…"),
        weight,
        size,
        rtl,
    )
}

/// [`render`] on the blocking pool: shaping and subsetting the fonts takes milliseconds of CPU,
/// which must not hold one of the async threads that answer everyone else.
pub async fn render_blocking(
    po: PurchaseOrder,
    tenant: String,
    grouping: Grouping,
    locale: Locale,
) -> crate::error::AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || render(&po, &tenant, grouping, locale))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "rendering a purchase order PDF failed");
            crate::error::AppError::Internal
        })
}

/// Renders `po` in `locale`; `tenant` is the buyer's name, `grouping` the tenant's digit grouping.
pub fn render(po: &PurchaseOrder, tenant: &str, grouping: Grouping, locale: Locale) -> Vec<u8> {
    let minor = crate::format::minor_units(&po.currency);
    let chunks: Vec<&[crate::procurement::model::orders::PoLine]> = {
        let mut out = Vec::new();
        let (first, rest) = po.lines.split_at(po.lines.len().min(LINES_FIRST_PAGE));
        out.push(first);
        out.extend(rest.chunks(LINES_PER_PAGE));
        out
    };
    let pages = chunks.len();
    let rtl = locale == Locale::ar;
    let field = |label: String, value: String| {
        td_string!(locale, po.pdf_field, label = label, value = value).to_string()
    };
    let money = |d| format_money_code(d, &po.currency, grouping);
    let mut fonts = Fonts::default();
    let mut contents = Vec::with_capacity(pages);
    for (index, lines) in chunks.iter().enumerate() {
        let mut w = Writer {
            content: Content::new(),
            fonts: &mut fonts,
            rtl,
        };
        let (regular, bold) = (Weight::Regular, Weight::Bold);
        let mut y = HEIGHT - MARGIN;
        let title = td_string!(locale, po.pdf_title).to_string();
        w.text(bold, 18.0, MARGIN, y - 10.0, &title, 300.0);
        w.figure(bold, 12.0, WIDTH - MARGIN, y - 8.0, &po.number);
        y -= 30.0;
        let buyer = td_string!(locale, po.pdf_buyer, name = tenant.to_string()).to_string();
        w.text(regular, 9.0, MARGIN, y, &buyer, 330.0);
        let page = td_string!(locale, po.pdf_page, n = index + 1, count = pages).to_string();
        w.text_end(regular, 9.0, WIDTH - MARGIN, y, &page, 150.0);
        y -= 14.0;
        if index == 0 {
            let date = format_date(po.created_at.date_naive(), locale);
            let delivery = po
                .expected_delivery_date
                .map(|d| format_date(d, locale))
                .unwrap_or_else(|| "-".into());
            // the supplier's block without the lines it has nothing for
            let left: Vec<String> = [
                field(
                    td_string!(locale, po.supplier).to_string(),
                    format!("{} ({})", po.supplier.name, po.supplier.code),
                ),
                po.supplier.address.clone().unwrap_or_default(),
                po.supplier
                    .tax_id
                    .as_ref()
                    .map(|t| field(td_string!(locale, sup.tax_id).to_string(), t.clone()))
                    .unwrap_or_default(),
                po.supplier.email.clone().unwrap_or_default(),
            ]
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect();
            let right = [
                field(td_string!(locale, po.pdf_date).to_string(), date),
                field(td_string!(locale, po.expected).to_string(), delivery),
                field(
                    td_string!(locale, po.payment_terms).to_string(),
                    td_string!(locale, po.days, n = po.payment_terms_days).to_string(),
                ),
                field(
                    td_string!(locale, po.deliver_to).to_string(),
                    po.plant.clone().unwrap_or_else(|| "-".into()),
                ),
            ];
            for row in 0..left.len().max(right.len()) {
                if let Some(l) = left.get(row) {
                    w.text(regular, 9.0, MARGIN, y, l, 270.0);
                }
                if let Some(r) = right.get(row) {
                    w.text(regular, 9.0, 330.0, y, r, WIDTH - MARGIN - 330.0);
                }
                y -= 13.0;
            }
            if let Some(address) = &po.delivery_address {
                w.text(regular, 9.0, 330.0, y, address, WIDTH - MARGIN - 330.0);
                y -= 13.0;
            }
            y -= 8.0;
        }
        // the table
        w.rule(y + 10.0);
        // the number and description start at their columns; quantity, unit price, tax and
        // amount end at theirs (headings and figures alike)
        let (number_at, description_at, description_width) = (MARGIN, 70.0, 230.0);
        let ends = [354.0, 436.0, 494.0, WIDTH - MARGIN];
        w.text(bold, 8.5, number_at, y, "#", 20.0);
        let description = td_string!(locale, po.description).to_string();
        w.text(
            bold,
            8.5,
            description_at,
            y,
            &description,
            description_width - 10.0,
        );
        let headings = [
            td_string!(locale, po.quantity).to_string(),
            td_string!(locale, po.unit_price).to_string(),
            td_string!(locale, po.tax).to_string(),
            td_string!(locale, po.amount).to_string(),
        ];
        for ((label, end), max) in headings.iter().zip(ends).zip([50.0, 72.0, 36.0, 48.0]) {
            w.text_end(bold, 8.5, end, y, label, max);
        }
        y -= 6.0;
        w.rule(y);
        y -= 12.0;
        for line in lines.iter() {
            w.text(regular, 8.5, number_at, y, &line.line_no.to_string(), 20.0);
            w.text(
                regular,
                8.5,
                description_at,
                y,
                &format!("{} ({})", line.description, line.requisition_number),
                description_width,
            );
            let quantity = line.quantity.normalize();
            let figures = [
                format!(
                    "{} {}",
                    format_decimal(quantity, quantity.scale(), grouping),
                    line.unit
                ),
                format_decimal(line.unit_price, minor, grouping),
                format!(
                    "{}%",
                    (line.tax_rate * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                ),
                format_decimal(line.line_subtotal, minor, grouping),
            ];
            for (figure, end) in figures.iter().zip(ends) {
                w.figure(regular, 8.5, end, y, figure);
            }
            y -= 14.0;
        }
        w.rule(y + 8.0);
        if index + 1 == pages {
            y -= 8.0;
            for (label, value, weight) in [
                (
                    td_string!(locale, po.subtotal).to_string(),
                    po.subtotal,
                    regular,
                ),
                (
                    td_string!(locale, po.tax).to_string(),
                    po.tax_amount,
                    regular,
                ),
                (td_string!(locale, po.total).to_string(), po.total, bold),
            ] {
                w.text(weight, 10.0, 360.0, y, &label, 100.0);
                w.figure(weight, 10.0, WIDTH - MARGIN, y, &money(value));
                y -= 15.0;
            }
            y -= 10.0;
            let rounding = td_string!(locale, po.pdf_rounding).to_string();
            w.text(regular, 8.0, MARGIN, y, &rounding, WIDTH - 2.0 * MARGIN);
            y -= 11.0;
            let quote = td_string!(locale, po.pdf_quote, number = po.number.clone()).to_string();
            w.text(regular, 8.0, MARGIN, y, &quote, WIDTH - 2.0 * MARGIN);
        }
        contents.push(w.content.finish());
    }
    // objects: catalogue 1, page tree 2, then a page and its contents per page, then the fonts
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let page_ids: Vec<Ref> = (0..pages).map(|i| Ref::new(3 + 2 * i as i32)).collect();
    let mut next = 3 + 2 * pages as i32;
    let font_refs = fonts.refs(&mut next);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages as i32);
    for (page_id, content) in page_ids.iter().zip(&contents) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut page_fonts = resources.fonts();
        for (name, _, r) in &font_refs {
            page_fonts.pair(Name(name), *r);
        }
        page_fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &deflate(content))
            .filter(Filter::FlateDecode);
    }
    fonts.write(&mut pdf, &font_refs);
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[ignore = "writes sample PDFs to $PDF_SAMPLES for a person to look at"]
    fn samples() {
        let Ok(dir) = std::env::var("PDF_SAMPLES") else {
            return;
        };
        for locale in [Locale::en, Locale::hi, Locale::ar, Locale::bn, Locale::te] {
            let bytes = render(&sample(), "Demo Manufacturing", Grouping::Indian, locale);
            std::fs::write(format!("{dir}/po-{locale:?}.pdf"), bytes).expect("write");
        }
    }

    fn sample() -> PurchaseOrder {
        use crate::procurement::model::orders::{PoLine, PoStatus, PoSupplier};
        use rust_decimal::Decimal;
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        let line = |n: i32, description: &str, q: &str, price: &str| PoLine {
            id: uuid::Uuid::nil(),
            line_no: n,
            requisition_line_id: uuid::Uuid::nil(),
            requisition_id: uuid::Uuid::nil(),
            requisition_number: "PR-2026-000123".into(),
            item_id: None,
            description: description.into(),
            quantity: d(q),
            unit: "pcs".into(),
            unit_price: d(price),
            tax_rate: d("0.05"),
            line_subtotal: d(q) * d(price),
            tax_amount: d(q) * d(price) * d("0.05"),
            line_total: d(q) * d(price) * d("1.05"),
            received_quantity: Decimal::ZERO,
        };
        PurchaseOrder {
            id: uuid::Uuid::nil(),
            number: "PO-2026-000045".into(),
            status: PoStatus::Approved,
            supplier: PoSupplier {
                id: uuid::Uuid::nil(),
                code: "SHARMA".into(),
                name: "शर्मा हाइड्रोलिक्स प्रा. लि.".into(),
                email: Some("orders@sharma.example.in".into()),
                address: Some("प्लॉट 14, एमआईडीसी, पुणे 411019".into()),
                tax_id: Some("27AAACS1234F1Z5".into()),
            },
            plant: Some("Pune".into()),
            delivery_address: Some("Gate 2, Chakan MIDC".into()),
            expected_delivery_date: chrono::NaiveDate::from_ymd_opt(2027, 1, 15),
            payment_terms_days: 30,
            currency: "INR".into(),
            subtotal: d("57600"),
            tax_amount: d("2880"),
            total: d("60480"),
            current_stage: None,
            created_by: "Priya".into(),
            created_at: chrono::Utc::now(),
            sent_at: None,
            status_comment: None,
            lines: vec![
                line(1, "हाइड्रोलिक पंप की मरम्मत किट", "2", "12000"),
                line(2, "مضخة هيدروليكية 45 لتر", "1", "21000"),
                line(3, "জলবাহী পাম্প সিল", "12", "450"),
                line(4, "హైడ్రాలిక్ పంపు ఫిల్టర్", "6", "300"),
                line(
                    5,
                    "Deep groove ball bearing 6205-2RS for the hydraulic press of line four",
                    "12",
                    "480",
                ),
            ],
            approvals: Vec::new(),
            route: Vec::new(),
            can_approve: false,
            can_send: false,
            can_cancel: false,
            can_close: false,
        }
    }

    #[test]
    fn a_long_text_is_cut_to_its_width_with_an_ellipsis() {
        let text = "Deep groove ball bearing 6205-2RS for the hydraulic press of line four";
        let line = fitted(text, Weight::Regular, 8.5, false, 120.0);
        assert!(line.width <= 120.0);
        assert!(line.width > 100.0, "cut no shorter than it must be");
        assert_eq!(line.glyphs.last().map(|g| g.text.as_str()), Some("…"));
        let short = fitted("Pump", Weight::Regular, 8.5, false, 120.0);
        assert_eq!(short.glyphs.len(), 4);
    }
}
