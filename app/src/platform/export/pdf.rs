//! The PDF writer of a [`Table`]: a paged A4 document (landscape when the columns need the
//! width), the title and the lines under it (the company, the report's filters) on every page, the
//! column headers repeated on every page, numbers right-aligned and formatted for the reader's
//! language with the tenant's digit grouping (lakh and crore for INR), the totals rows bold under
//! a rule, the note after the rows, and "page n of m" at the foot of each page. The text is shaped
//! in the Noto faces of every script ([`super::pdf_text`]); an Arabic document is laid out from
//! the right (its columns mirrored, its figures still read left to right).
use super::pdf_text::{deflate, layout, Fonts, Line, Weight};
use super::{Cell, Kind, Table};
use crate::format::{format_count, format_date, format_decimal};
use crate::i18n::Locale;
use leptos_i18n::td_string;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref};
use std::ops::Range;

/// A4 in points, portrait.
const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 36.0;
const TITLE_SIZE: f32 = 14.0;
const SUB_SIZE: f32 = 9.0;
const SIZE: f32 = 8.0;
const ROW: f32 = 12.0;
/// Space either side of a cell's text.
const PAD: f32 = 4.0;
/// The widest a text column asks for before it must share the page.
const TEXT_MAX: f32 = 220.0;
/// The narrowest a text column is made when the page is too narrow for all.
const TEXT_MIN: f32 = 36.0;

/// The page's size and the columns' widths: portrait when the columns' natural widths fit
/// between the margins, landscape otherwise; when even landscape is too narrow, the text columns
/// give up width in proportion (never below [`TEXT_MIN`]) and their text is cut with an ellipsis.
pub fn fit_columns(natural: &[f32], numeric: &[bool]) -> ((f32, f32), Vec<f32>) {
    let need: f32 = natural.iter().sum();
    let portrait = A4.0 - 2.0 * MARGIN;
    if need <= portrait {
        return (A4, natural.to_vec());
    }
    let landscape = A4.1 - 2.0 * MARGIN;
    if need <= landscape {
        return ((A4.1, A4.0), natural.to_vec());
    }
    let fixed: f32 = natural
        .iter()
        .zip(numeric)
        .filter(|(_, n)| **n)
        .map(|(w, _)| *w)
        .sum();
    let text: f32 = need - fixed;
    let room = (landscape - fixed).max(0.0);
    let ratio = if text > 0.0 { room / text } else { 1.0 };
    let widths = natural
        .iter()
        .zip(numeric)
        .map(|(w, n)| if *n { *w } else { (w * ratio).max(TEXT_MIN) })
        .collect();
    ((A4.1, A4.0), widths)
}

/// The rows of each page: `per_page` rows a page, the last `keep` rows (the totals) on one page
/// together with at least one row before them when there is one, and `after` lines (the note)
/// after the last row on the last page. Always at least one page.
pub fn paginate(rows: usize, per_page: usize, keep: usize, after: usize) -> Vec<Range<usize>> {
    let per_page = per_page.max(1);
    let mut pages = Vec::new();
    let mut start = 0;
    while start < rows {
        let mut end = (start + per_page).min(rows);
        // the totals are not split, nor left alone on a page after the rows they total
        let first_total = rows.saturating_sub(keep);
        if keep > 0 && end < rows && end > first_total.saturating_sub(1) && keep < per_page {
            end = first_total.saturating_sub(1).max(start + 1).min(end);
        }
        pages.push(start..end);
        start = end;
    }
    match pages.last() {
        None => pages.push(0..0),
        Some(last) if last.len() + after > per_page => pages.push(rows..rows),
        Some(_) => {}
    }
    pages
}

/// A cell as the reader sees it: numbers with the tenant's grouping, dates with the month's name
/// in the reader's language.
pub fn shown(cell: &Cell, kind: Kind, table: &Table) -> String {
    let g = table.grouping;
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Date(d) => format_date(*d, table.locale),
        Cell::Integer(n) => {
            let s = format_count(n.unsigned_abs(), g);
            if *n < 0 {
                format!("-{s}")
            } else {
                s
            }
        }
        Cell::Number(d) => match kind {
            Kind::Decimal(places) => format_decimal(*d, places, g),
            Kind::Integer => format_decimal(*d, 0, g),
            _ => {
                let q = d.normalize();
                format_decimal(q, q.scale(), g)
            }
        },
        Cell::Money(d, units) => format_decimal(*d, *units, g),
    }
}

fn is_numeric(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Integer | Kind::Decimal(_) | Kind::Money | Kind::Quantity
    )
}

/// `text` laid out, cut with an ellipsis to `max` points wide.
fn fitted(text: &str, weight: Weight, size: f32, rtl: bool, max: f32) -> Line {
    let line = layout(text, weight, size, rtl);
    if line.width <= max {
        return line;
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut low, mut high) = (0, chars.len());
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

struct Page<'a> {
    content: Content,
    fonts: &'a mut Fonts,
    rtl: bool,
    width: f32,
}

impl Page<'_> {
    /// Draws `line` in the box from `x` to `x + w` (mirrored in a right-to-left document), at its
    /// start or, for `end`, at its end.
    fn place(&mut self, line: &Line, size: f32, x: f32, w: f32, y: f32, end: bool) {
        let (x0, x1) = if self.rtl {
            (self.width - x - w, self.width - x)
        } else {
            (x, x + w)
        };
        // in a right-to-left document the start is at the right
        let at_right = end != self.rtl;
        let start = if at_right { x1 - line.width } else { x0 };
        self.fonts.draw(&mut self.content, line, size, start, y);
    }

    fn rule(&mut self, y: f32, width: f32) {
        let (x0, x1) = if self.rtl {
            (self.width - MARGIN - width, self.width - MARGIN)
        } else {
            (MARGIN, MARGIN + width)
        };
        self.content
            .set_line_width(0.5)
            .move_to(x0, y)
            .line_to(x1, y)
            .stroke();
    }
}

/// The table as PDF bytes.
pub fn write(table: &Table) -> Vec<u8> {
    let rtl = table.right_to_left();
    let kinds: Vec<Kind> = table.columns.iter().map(|c| c.kind).collect();
    let numeric: Vec<bool> = kinds.iter().map(|k| is_numeric(*k)).collect();
    // every cell's text, and each column's natural width
    let texts: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| shown(c, kinds.get(i).copied().unwrap_or(Kind::Text), table))
                .collect()
        })
        .collect();
    let mut natural: Vec<f32> = table
        .columns
        .iter()
        .map(|c| {
            layout(&c.header, Weight::Bold, SIZE, rtl)
                .width
                .min(TEXT_MAX)
        })
        .collect();
    let totals_from = texts.len().saturating_sub(table.totals);
    for (r, row) in texts.iter().enumerate() {
        // the totals are bold, and wider
        let weight = if r >= totals_from {
            Weight::Bold
        } else {
            Weight::Regular
        };
        for (i, t) in row.iter().enumerate() {
            if let Some(w) = natural.get_mut(i) {
                let width = layout(t, weight, SIZE, rtl && !numeric[i]).width;
                *w = w.max(width.min(TEXT_MAX));
            }
        }
    }
    let natural: Vec<f32> = natural.iter().map(|w| w + 2.0 * PAD).collect();
    let ((width, height), widths) = fit_columns(&natural, &numeric);
    let table_width: f32 = widths.iter().sum::<f32>().min(width - 2.0 * MARGIN);
    let top = TITLE_SIZE + 8.0 + table.subtitle.len() as f32 * (SUB_SIZE + 3.0) + 10.0;
    let room = height - 2.0 * MARGIN - top - ROW - 18.0;
    let per_page = ((room / ROW).floor() as usize).max(1);
    let after = usize::from(table.note.is_some()) * 2;
    let pages = paginate(table.rows.len(), per_page, table.totals, after);
    let count = pages.len();
    let first_total = table.rows.len().saturating_sub(table.totals);
    let locale: Locale = table.locale;
    let mut fonts = Fonts::default();
    let mut contents = Vec::with_capacity(count);
    for (index, range) in pages.iter().enumerate() {
        let mut p = Page {
            content: Content::new(),
            fonts: &mut fonts,
            rtl,
            width,
        };
        let full = width - 2.0 * MARGIN;
        let mut y = height - MARGIN - TITLE_SIZE;
        let title = fitted(&table.title, Weight::Bold, TITLE_SIZE, rtl, full);
        p.place(&title, TITLE_SIZE, MARGIN, full, y, false);
        y -= 8.0;
        for line in &table.subtitle {
            y -= SUB_SIZE + 3.0;
            let l = fitted(line, Weight::Regular, SUB_SIZE, rtl, full);
            p.place(&l, SUB_SIZE, MARGIN, full, y, false);
        }
        y -= 10.0 + ROW - 3.0;
        // the headers
        let mut x = MARGIN;
        for (i, c) in table.columns.iter().enumerate() {
            let w = widths[i];
            let mut size = SIZE;
            let mut line = layout(&c.header, Weight::Bold, size, rtl);
            if line.width > w - 2.0 * PAD {
                size = (size * (w - 2.0 * PAD) / line.width.max(1.0)).max(5.0);
                line = fitted(&c.header, Weight::Bold, size, rtl, w - 2.0 * PAD);
            }
            p.place(&line, size, x + PAD, w - 2.0 * PAD, y, numeric[i]);
            x += w;
        }
        p.rule(y - 4.0, table_width);
        y -= ROW + 1.0;
        for r in range.clone() {
            let total = r >= first_total && table.totals > 0;
            let weight = if total { Weight::Bold } else { Weight::Regular };
            if r == first_total && total {
                p.rule(y + ROW - 3.0, table_width);
            }
            let mut x = MARGIN;
            for (i, t) in texts[r].iter().enumerate() {
                let Some(&w) = widths.get(i) else { break };
                if !t.is_empty() {
                    // figures read left to right in every language
                    let line = fitted(t, weight, SIZE, rtl && !numeric[i], w - 2.0 * PAD);
                    p.place(&line, SIZE, x + PAD, w - 2.0 * PAD, y, numeric[i]);
                }
                x += w;
            }
            y -= ROW;
        }
        if index + 1 == count {
            if let Some(note) = &table.note {
                y -= ROW / 2.0;
                let l = fitted(note, Weight::Regular, SIZE, rtl, full);
                p.place(&l, SIZE, MARGIN, full, y, false);
            }
        }
        let page = td_string!(locale, frep.page, n = index + 1, count = count).to_string();
        let l = layout(&page, Weight::Regular, SIZE, rtl);
        p.place(&l, SIZE, MARGIN, full, MARGIN - 12.0, true);
        contents.push(p.content.finish());
    }
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(3 + 2 * i as i32)).collect();
    let mut next = 3 + 2 * count as i32;
    let font_refs = fonts.refs(&mut next);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(count as i32);
    for (page_id, content) in page_ids.iter().zip(&contents) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, width, height));
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
    use crate::format::Grouping;
    use rust_decimal::Decimal;

    #[test]
    fn pages_hold_their_rows_and_keep_the_totals_together() {
        assert_eq!(paginate(0, 10, 0, 0), vec![0..0]);
        assert_eq!(paginate(10, 10, 0, 0), vec![0..10]);
        assert_eq!(paginate(25, 10, 0, 0), vec![0..10, 10..20, 20..25]);
        // the note needs two lines the last page has no room for
        assert_eq!(paginate(10, 10, 0, 2), vec![0..10, 10..10]);
        assert_eq!(paginate(8, 10, 0, 2), vec![0..8]);
        // the totals row would start the next page alone: a row goes with it
        assert_eq!(paginate(11, 10, 1, 0), vec![0..9, 9..11]);
        // two totals rows would be split
        assert_eq!(paginate(12, 10, 2, 0), vec![0..9, 9..12]);
        assert_eq!(paginate(9, 10, 1, 0), vec![0..9]);
        // every row on exactly one page, in order
        for n in 0..60 {
            for keep in 0..3 {
                let pages = paginate(n, 7, keep, 1);
                let flat: Vec<usize> = pages.iter().flat_map(|r| r.clone()).collect();
                assert_eq!(flat, (0..n).collect::<Vec<_>>(), "{n} {keep}");
                assert!(pages.iter().all(|p| p.len() <= 7));
            }
        }
    }

    #[test]
    fn wide_tables_turn_the_page_and_narrow_their_text() {
        let (size, w) = fit_columns(&[100.0, 80.0, 80.0], &[false, true, true]);
        assert_eq!(size, A4);
        assert_eq!(w, vec![100.0, 80.0, 80.0]);
        let (size, _) = fit_columns(&[200.0, 80.0, 80.0, 80.0, 80.0, 80.0], &[false; 6]);
        assert_eq!(size, (A4.1, A4.0));
        let (size, w) = fit_columns(&[400.0, 400.0, 90.0, 90.0], &[false, false, true, true]);
        assert_eq!(size, (A4.1, A4.0));
        assert_eq!((w[2], w[3]), (90.0, 90.0));
        assert!(
            (w.iter().sum::<f32>() - (A4.1 - 2.0 * MARGIN)).abs() < 0.5,
            "{w:?}"
        );
    }

    #[test]
    fn figures_are_grouped_as_the_company_groups_them() {
        let t = Table::new("t", Locale::hi, Grouping::Indian);
        let lakh = Cell::Money(Decimal::new(123456789, 2), 2);
        assert_eq!(shown(&lakh, Kind::Money, &t), "12,34,567.89");
        assert_eq!(shown(&Cell::Integer(-1500), Kind::Integer, &t), "-1,500");
        let date = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default();
        assert!(shown(&Cell::Date(date), Kind::Date, &t).starts_with("1 "));
    }

    #[test]
    fn a_long_report_is_a_pdf_of_several_pages() {
        let mut t = Table::new("परीक्षण तुलन पत्र", Locale::hi, Grouping::Indian)
            .subtitle("Saif Automations")
            .column("खाता", Kind::Text)
            .column("राशि", Kind::Money);
        for i in 0..200 {
            t.rows.push(vec![
                Cell::text(format!("खाता {i}")),
                Cell::Money(Decimal::ONE, 2),
            ]);
        }
        t.total_row(vec![Cell::text("कुल"), Cell::Money(Decimal::from(200), 2)]);
        let bytes = write(&t);
        assert!(bytes.starts_with(b"%PDF"));
        // the page objects (their content streams are compressed, so nothing else matches)
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        assert_eq!(
            pages,
            paginate(201, 58, 1, 0).len(),
            "201 rows at 58 a page"
        );
        assert!(pages > 1);
        let mut ar = t.clone();
        ar.locale = Locale::ar;
        assert!(write(&ar).starts_with(b"%PDF"));
    }
}
