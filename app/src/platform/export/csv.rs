//! The CSV writer: UTF-8 with a byte-order mark (so Excel opens Hindi, Bengali, Telugu and
//! Arabic right), RFC 4180 (fields with a comma, quote or line break quoted, quotes doubled,
//! lines ended by CRLF), numbers as plain decimals (`1234.50`: a dot, no grouping, the
//! column's or the currency's decimals), dates as `YYYY-MM-DD`.
//!
//! Formula injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
//! would be taken for a formula by a spreadsheet, so it gets a leading apostrophe (`'=SUM(A1)`).
//! Numbers are never text here, so a negative amount stays `-12.50`.
use super::{Cell, Kind, Table};
use rust_decimal::Decimal;

const BOM: &str = "\u{feff}";

/// The table as CSV bytes: the header row, the rows, then the note (if any) on a line of its own.
pub fn write(table: &Table) -> Vec<u8> {
    let mut out = String::with_capacity(64 * (table.rows.len() + 2));
    out.push_str(BOM);
    let headers: Vec<Cell> = table
        .columns
        .iter()
        .map(|c| Cell::Text(c.header.clone()))
        .collect();
    line(&mut out, table, &headers);
    for row in &table.rows {
        line(&mut out, table, row);
    }
    if let Some(note) = &table.note {
        field(&mut out, &guard(note));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn line(out: &mut String, table: &Table, cells: &[Cell]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let kind = table.columns.get(i).map(|c| c.kind).unwrap_or(Kind::Text);
        field(out, &text_of(cell, kind));
    }
    out.push_str("\r\n");
}

/// A cell as the text of its field (before quoting).
pub fn text_of(cell: &Cell, kind: Kind) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => guard(s),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Integer(n) => n.to_string(),
        Cell::Number(d) => number(*d, kind),
        Cell::Money(d, units) => fixed(*d, *units),
    }
}

/// A decimal as plain text with the column's decimals (a quantity: as many as it has).
fn number(d: Decimal, kind: Kind) -> String {
    match kind {
        Kind::Decimal(places) => fixed(d, places),
        Kind::Integer => fixed(d, 0),
        _ => plain(d.normalize()),
    }
}

/// Exactly `places` decimals, rounded half-up.
pub fn fixed(d: Decimal, places: u32) -> String {
    let mut r =
        d.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    r.rescale(places);
    plain(r)
}

/// No negative zero.
fn plain(d: Decimal) -> String {
    if d.is_zero() {
        let mut z = Decimal::ZERO;
        z.rescale(d.scale());
        return z.to_string();
    }
    d.to_string()
}

/// A text that a spreadsheet would read as a formula, made plain text.
pub fn guard(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// RFC 4180: quoted when it holds a comma, a quote or a line break (or starts or ends with a
/// space, which some readers would trim), quotes doubled.
fn field(out: &mut String, s: &str) {
    let quote = s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ');
    if quote {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Grouping;
    use crate::i18n::Locale;
    use chrono::NaiveDate;

    fn table() -> Table {
        let mut t = Table::new("Requisitions", Locale::hi, Grouping::Indian)
            .column("संख्या", Kind::Text)
            .column("Total", Kind::Money)
            .column("Qty", Kind::Quantity)
            .column("Rate", Kind::Decimal(2))
            .column("Day", Kind::Date)
            .column("Lines", Kind::Integer);
        t.rows.push(vec![
            Cell::text("PR-2026-000001"),
            Cell::money(Decimal::new(123450, 2), "INR"),
            Cell::Number(Decimal::new(24000, 3)),
            Cell::Number(Decimal::new(5, 0)),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()),
            Cell::Integer(3),
        ]);
        t
    }

    fn text(t: &Table) -> String {
        String::from_utf8(write(t)).unwrap_or_default()
    }

    #[test]
    fn starts_with_a_bom_and_ends_lines_with_crlf() {
        let bytes = write(&table());
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let s = text(&table());
        assert_eq!(
            s,
            "\u{feff}संख्या,Total,Qty,Rate,Day,Lines\r\nPR-2026-000001,1234.50,24,5.00,2026-12-06,3\r\n"
        );
    }

    #[test]
    fn decimals_are_plain_with_the_right_places() {
        assert_eq!(
            text_of(&Cell::Money(Decimal::new(5, 1), 2), Kind::Money),
            "0.50"
        );
        assert_eq!(
            text_of(&Cell::money(Decimal::new(1234567, 3), "KWD"), Kind::Money),
            "1234.567"
        );
        assert_eq!(
            text_of(&Cell::money(Decimal::new(15, 1), "JPY"), Kind::Money),
            "2"
        );
        assert_eq!(
            text_of(&Cell::Number(Decimal::new(-1250, 3)), Kind::Quantity),
            "-1.25"
        );
        assert_eq!(
            text_of(
                &Cell::Number(Decimal::new(12_345_678_900, 2)),
                Kind::Decimal(2)
            ),
            "123456789.00"
        );
        assert_eq!(
            text_of(&Cell::Number(Decimal::new(-0, 2)), Kind::Quantity),
            "0"
        );
        assert_eq!(
            text_of(&Cell::Money(Decimal::new(-1250, 2), 2), Kind::Money),
            "-12.50"
        );
    }

    #[test]
    fn fields_are_quoted_per_rfc_4180() {
        let mut t = Table::new("t", Locale::en, Grouping::Western).column("a", Kind::Text);
        for s in ["a,b", "say \"hi\"", "two\nlines", " padded", "plain"] {
            t.rows.push(vec![Cell::text(s)]);
        }
        t.rows.push(vec![Cell::Empty]);
        assert_eq!(
            text(&t),
            "\u{feff}a\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n\" padded\"\r\nplain\r\n\r\n"
        );
    }

    #[test]
    fn formulas_in_text_are_neutralised() {
        let mut t = Table::new("t", Locale::en, Grouping::Western)
            .column("a", Kind::Text)
            .column("n", Kind::Money);
        for s in ["=SUM(A1:A9)", "+91 98300", "-x", "@cmd", "\tx", "ok=1"] {
            t.rows
                .push(vec![Cell::text(s), Cell::Money(Decimal::new(-5, 0), 2)]);
        }
        let s = text(&t);
        let lines: Vec<&str> = s.split("\r\n").collect();
        assert_eq!(lines[1], "'=SUM(A1:A9),-5.00");
        assert_eq!(lines[2], "'+91 98300,-5.00");
        assert_eq!(lines[3], "'-x,-5.00");
        assert_eq!(lines[4], "'@cmd,-5.00");
        assert_eq!(lines[5], "'\tx,-5.00");
        assert_eq!(lines[6], "ok=1,-5.00");
        // a header is text too
        let h = Table::new("t", Locale::en, Grouping::Western).column("=HYPERLINK()", Kind::Text);
        assert!(text(&h).starts_with("\u{feff}'=HYPERLINK()"));
    }

    #[test]
    fn the_note_follows_the_rows() {
        let mut t = table();
        t.note = Some("Only the first 50,000 rows".into());
        assert!(text(&t).ends_with("\r\n\"Only the first 50,000 rows\"\r\n"));
    }
}
