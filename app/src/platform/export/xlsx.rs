//! The XLSX writer (rust_xlsxwriter): one sheet named by the table's title, a bold header row
//! kept in view (frozen), numbers as numbers with a number format showing the column's or the
//! currency's decimals (grouped in lakh and crore for an Indian tenant), dates as dates, column
//! widths fitted to their text, right to left when the reader's language is Arabic.
//!
//! Building a workbook is CPU work: call it through [`super::render`], which runs it on the
//! blocking pool.
use super::{csv, Cell, Kind, Table};
use crate::error::{AppError, AppResult};
use crate::format::Grouping;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

/// Excel's limit on a sheet name, in characters.
const SHEET_NAME_MAX: usize = 31;
/// Column widths, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// A sheet name Excel accepts: none of `[ ] : * ? / \`, not starting or ending with an
/// apostrophe, 31 characters at most, never empty.
pub fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    // Excel counts UTF-16 units
    let mut used = 0;
    let cut: String = cleaned
        .trim()
        .trim_matches('\'')
        .trim()
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= SHEET_NAME_MAX
        })
        .collect();
    let cut = cut.trim_end().trim_end_matches('\'').trim_end().to_string();
    if cut.is_empty() {
        "Sheet1".to_string()
    } else if cut.eq_ignore_ascii_case("history") {
        // a name Excel keeps for itself
        format!("{cut} 1")
    } else {
        cut
    }
}

/// The number format showing `places` decimals, grouped as the tenant groups digits.
pub fn number_format(places: u32, grouping: Grouping) -> String {
    let decimals = if places == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(places as usize))
    };
    match grouping {
        Grouping::Western => format!("#,##0{decimals}"),
        // lakh and crore: 1,23,45,678.00 (Excel has no such grouping; conditions give it)
        Grouping::Indian => format!(
            "[>=10000000]##\\,##\\,##\\,##0{decimals};[>=100000]##\\,##\\,##0{decimals};##,##0{decimals}"
        ),
    }
}

/// The table as the bytes of an `.xlsx` file.
pub fn write(table: &Table) -> AppResult<Vec<u8>> {
    build(table).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        AppError::Internal
    })
}

fn build(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&table.title))?;
    sheet.set_right_to_left(table.right_to_left());
    let header = Format::new().set_bold().set_text_wrap();
    let text = Format::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut numbers: HashMap<u32, Format> = HashMap::new();
    let mut widths: Vec<usize> = table
        .columns
        .iter()
        .map(|c| c.header.chars().count() + 1)
        .collect();
    for (col, c) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, &c.header, &header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let kind = table.columns.get(col).map(|c| c.kind).unwrap_or(Kind::Text);
            let c = col as u16;
            let shown = match cell {
                Cell::Empty => 0,
                Cell::Text(s) => {
                    sheet.write_string_with_format(r, c, s, &text)?;
                    s.chars().count()
                }
                Cell::Date(d) => {
                    sheet.write_date_with_format(r, c, d, &date)?;
                    10
                }
                Cell::Integer(n) => {
                    let f = number(&mut numbers, 0, table.grouping);
                    sheet.write_with_format(r, c, Decimal::from(*n), &f)?;
                    shown_width(&n.to_string())
                }
                Cell::Number(d) => {
                    let places = match kind {
                        Kind::Decimal(p) => p,
                        Kind::Integer => 0,
                        _ => d.normalize().scale(),
                    };
                    let f = number(&mut numbers, places, table.grouping);
                    sheet.write_with_format(r, c, *d, &f)?;
                    shown_width(&csv::fixed(*d, places))
                }
                Cell::Money(d, units) => {
                    let f = number(&mut numbers, *units, table.grouping);
                    sheet.write_with_format(r, c, *d, &f)?;
                    shown_width(&csv::fixed(*d, *units))
                }
            };
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(shown);
            }
        }
    }
    if let Some(note) = &table.note {
        let r = table.rows.len() as u32 + 2;
        sheet.write_string_with_format(r, 0, note, &Format::new().set_italic())?;
    }
    fit_columns(sheet, &widths)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// The number format for `places` decimals, made once per workbook.
fn number(cache: &mut HashMap<u32, Format>, places: u32, grouping: Grouping) -> Format {
    cache
        .entry(places)
        .or_insert_with(|| Format::new().set_num_format(number_format(places, grouping)))
        .clone()
}

/// The width of a number as shown: its digits and a separator every three of them.
fn shown_width(plain: &str) -> usize {
    let digits = plain.split('.').next().unwrap_or_default().len();
    plain.chars().count() + digits.saturating_sub(1) / 3
}

fn fit_columns(sheet: &mut Worksheet, widths: &[usize]) -> Result<(), XlsxError> {
    for (col, w) in widths.iter().enumerate() {
        let w = (w + 2).clamp(MIN_WIDTH, MAX_WIDTH) as u16;
        sheet.set_column_width(col as u16, w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;
    use std::io::{Cursor, Read};

    fn table(locale: Locale) -> Table {
        let mut t = Table::new("Purchase orders: 2026/27 [all]", locale, Grouping::Indian)
            .column("Number", Kind::Text)
            .column("कुल", Kind::Money)
            .column("Qty", Kind::Quantity)
            .column("Day", Kind::Date);
        t.rows.push(vec![
            Cell::text("PO-2026-000045"),
            Cell::money(Decimal::new(1234567850, 2), "INR"),
            Cell::Number(Decimal::new(2500, 3)),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()),
        ]);
        t.rows.push(vec![
            Cell::text("=cmd"),
            Cell::Money(Decimal::new(-50, 2), 2),
            Cell::Empty,
            Cell::Empty,
        ]);
        t
    }

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        let mut f = zip.by_name(name).expect("the part");
        let mut s = String::new();
        f.read_to_string(&mut s).expect("text");
        s
    }

    #[test]
    fn reads_back_with_headers_numbers_and_dates() {
        let bytes = write(&table(Locale::hi)).expect("written");
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).expect("opens");
        assert_eq!(
            book.sheet_names(),
            vec!["Purchase orders  2026 27  all".to_string()]
        );
        let range = book
            .worksheet_range("Purchase orders  2026 27  all")
            .expect("the sheet");
        assert_eq!(range.get((0, 0)), Some(&Data::String("Number".into())));
        assert_eq!(range.get((0, 1)), Some(&Data::String("कुल".into())));
        // numbers are numbers: 12,34,56,78.50 read back as 12345678.5
        assert_eq!(range.get((1, 1)), Some(&Data::Float(12345678.5)));
        assert_eq!(range.get((1, 2)), Some(&Data::Float(2.5)));
        assert!(matches!(range.get((1, 3)), Some(Data::DateTime(_))));
        assert_eq!(range.get((2, 1)), Some(&Data::Float(-0.5)));
        // text stays text, never a formula
        assert_eq!(range.get((2, 0)), Some(&Data::String("=cmd".into())));
        assert_eq!(range.height(), 3);
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(!sheet.contains("<f>"));
        assert!(sheet.contains("state=\"frozen\""), "frozen header");
        assert!(!sheet.contains("rightToLeft"));
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains("<b/>"), "bold header");
        assert!(styles.contains("##,##0.00\""), "two decimals for INR");
        assert!(
            styles.contains("##,##0.0\""),
            "a quantity shows its own decimals"
        );
    }

    #[test]
    fn an_arabic_sheet_reads_right_to_left() {
        let bytes = write(&table(Locale::ar)).expect("written");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("rightToLeft=\"1\""));
    }

    #[test]
    fn the_note_is_written_after_a_blank_row() {
        let mut t = table(Locale::en);
        t.note = Some("Only the first 50,000 rows".into());
        let bytes = write(&t).expect("written");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).expect("the sheet");
        assert_eq!(
            range.get((4, 0)),
            Some(&Data::String("Only the first 50,000 rows".into()))
        );
    }

    #[test]
    fn sheet_names_keep_to_excels_rules() {
        assert_eq!(sheet_name("Requisitions"), "Requisitions");
        assert_eq!(sheet_name("a/b\\c?d*e:f[g]h"), "a b c d e f g h");
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name("[]"), "Sheet1");
        let long = "अ".repeat(40);
        assert_eq!(sheet_name(&long).chars().count(), 31);
        // outside the basic plane a character is two UTF-16 units
        assert_eq!(sheet_name(&"𝐀".repeat(20)).chars().count(), 15);
        assert_eq!(sheet_name("history"), "history 1");
        assert_eq!(
            sheet_name("abcdefghijklmnopqrstuvwxyz abcd'efg"),
            "abcdefghijklmnopqrstuvwxyz abcd"
        );
        // whatever the title, the workbook is written
        for title in ["'", "x'", "History", "a:b", &long] {
            let t = Table::new(title, Locale::en, Grouping::Western).column("a", Kind::Text);
            assert!(write(&t).is_ok(), "{title}");
        }
    }

    #[test]
    fn number_formats_show_the_decimals() {
        assert_eq!(number_format(2, Grouping::Western), "#,##0.00");
        assert_eq!(number_format(0, Grouping::Western), "#,##0");
        assert_eq!(
            number_format(3, Grouping::Indian),
            "[>=10000000]##\\,##\\,##\\,##0.000;[>=100000]##\\,##\\,##0.000;##,##0.000"
        );
    }
}
