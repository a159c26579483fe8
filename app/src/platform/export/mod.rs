//! The shared export facility: a list or report becomes a [`Table`] (a title, translated column
//! headers, a kind per column and rows of typed cells), and a writer turns the table into a file
//! — CSV ([`csv`]) or XLSX ([`xlsx`]); PDF ([`pdf`]) for the finance reports ([`Format::Pdf`]).
//!
//! Numbers stay `rust_decimal` all the way to the writers: the CSV writes them as plain text
//! (`1234.50`, the column's or the currency's decimals, no grouping), the XLSX as numbers with a
//! number format that shows those decimals (grouped as the tenant groups digits).
//!
//! A list exported through REST (`format=csv|xlsx`) holds the rows of all its pages, up to
//! [`MAX_ROWS`]; beyond that the file holds the first [`MAX_ROWS`] rows in the list's order and a
//! last line that says so ([`Table::note`]), and the answer carries `X-Export-Truncated: true`.
use crate::format::Grouping;
use crate::i18n::Locale;
use chrono::NaiveDate;
use rust_decimal::Decimal;

#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod pdf_text;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod xlsx;

/// The most rows an exported list holds.
pub const MAX_ROWS: usize = 50_000;

/// What a column holds, which decides how its cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A calendar date: `2026-12-06` in CSV, a date cell in XLSX.
    Date,
    Integer,
    /// A decimal number shown with exactly this many decimals.
    Decimal(u32),
    /// An amount of money: each cell carries its currency's minor units ([`Cell::Money`]).
    Money,
    /// A quantity: as many decimals as the value has (`24`, `2.5`, `0.125`).
    Quantity,
}

/// One value of a row. A cell whose variant does not fit its column's kind is written as what
/// it is (the kind decides only how numbers are shown).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Integer(i64),
    /// A decimal or a quantity (the column's kind says which).
    Number(Decimal),
    /// An amount with the minor units (decimals) of its currency.
    Money(Decimal, u32),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_text(s: Option<impl Into<String>>) -> Cell {
        s.map(|s| Cell::Text(s.into())).unwrap_or(Cell::Empty)
    }

    pub fn opt_date(d: Option<NaiveDate>) -> Cell {
        d.map(Cell::Date).unwrap_or(Cell::Empty)
    }

    /// An amount in `currency`, rounded half-up to its minor units.
    pub fn money(amount: Decimal, currency: &str) -> Cell {
        let units = crate::format::minor_units(currency);
        Cell::Money(
            amount.round_dp_with_strategy(
                units,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            ),
            units,
        )
    }
}

/// A column: its header (already in the reader's language) and kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    pub kind: Kind,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: Kind) -> Column {
        Column {
            header: header.into(),
            kind,
        }
    }
}

/// A list or report ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Names the XLSX sheet (cut to Excel's limits) and the PDF's heading.
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// A line written after the rows (e.g. that the list was cut at [`MAX_ROWS`]).
    pub note: Option<String>,
    /// The rows are not all the list holds ([`Table::cut`]).
    pub truncated: bool,
    /// The reader's language: an Arabic sheet reads right to left.
    pub locale: Locale,
    /// How the XLSX number formats group digits (the tenant's: lakh and crore for INR).
    pub grouping: Grouping,
    /// Lines the PDF prints under its title: the company, the report's filters (its period or
    /// day). The CSV and XLSX hold only the table.
    pub subtitle: Vec<String>,
    /// How many of the last rows are totals (a report's): bold under a rule in the PDF; plain
    /// rows in the CSV and XLSX, so a reader sums nothing twice only if they skip them.
    pub totals: usize,
}

impl Table {
    pub fn new(title: impl Into<String>, locale: Locale, grouping: Grouping) -> Table {
        Table {
            title: title.into(),
            columns: Vec::new(),
            rows: Vec::new(),
            note: None,
            truncated: false,
            locale,
            grouping,
            subtitle: Vec::new(),
            totals: 0,
        }
    }

    /// Adds a line under the PDF's title.
    pub fn subtitle(mut self, line: impl Into<String>) -> Table {
        self.subtitle.push(line.into());
        self
    }

    /// Adds a totals row after the rows (counted in [`Table::totals`]).
    pub fn total_row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
        self.totals += 1;
    }

    pub fn column(mut self, header: impl Into<String>, kind: Kind) -> Table {
        self.columns.push(Column::new(header, kind));
        self
    }

    pub fn right_to_left(&self) -> bool {
        matches!(self.locale, Locale::ar)
    }

    /// Says in the file when its rows are fewer than the list's `total` (cut at [`MAX_ROWS`]), or
    /// when a text search found `more` than it reads.
    pub fn cut(mut self, total: u64, more: bool) -> Table {
        let count = |n: u64| crate::format::format_count(n, self.grouping);
        let shown = self.rows.len() as u64;
        if more {
            self.truncated = true;
            self.note = Some(
                leptos_i18n::td_string!(self.locale, export.more, shown = count(shown)).to_string(),
            );
        } else if shown < total {
            self.truncated = true;
            self.note = Some(
                leptos_i18n::td_string!(
                    self.locale,
                    export.truncated,
                    shown = count(shown),
                    total = count(total)
                )
                .to_string(),
            );
        }
        self
    }
}

/// A table for the caller: in their language, grouped as their company groups digits.
#[cfg(feature = "ssr")]
pub fn table_for(
    ctx: &crate::platform::context::RequestCtx,
    title: impl Into<String>,
) -> crate::error::AppResult<Table> {
    let p = ctx.principal()?;
    Ok(Table::new(title, ctx.locale, p.user.tenant.number_format))
}

/// The day of `at` in the company's time zone (`tz`, an IANA name; UTC when unknown).
#[cfg(feature = "ssr")]
pub fn local_date(at: chrono::DateTime<chrono::Utc>, tz: &str) -> NaiveDate {
    let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
    at.with_timezone(&tz).date_naive()
}

/// The file formats of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    /// Reserved for the finance reports; the lists do not offer it.
    Pdf,
}

impl std::str::FromStr for Format {
    type Err = crate::error::FieldError;

    /// The value of a `format=` query parameter (`csv`, `xlsx`, `pdf`), case-insensitive.
    fn from_str(s: &str) -> Result<Format, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "pdf" => Ok(Format::Pdf),
            _ => Err(crate::error::FieldError::Invalid),
        }
    }
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    /// The `Content-Type` of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => CSV_TYPE,
            Format::Xlsx => XLSX_TYPE,
            Format::Pdf => "application/pdf",
        }
    }

    /// `requisitions-2026-12-06.xlsx`: the list's name (ASCII, as given) and the day.
    pub fn file_name(self, name: &str, day: NaiveDate) -> String {
        format!("{name}-{}.{}", day.format("%Y-%m-%d"), self.as_str())
    }

    /// The `Content-Disposition` of the file: an attachment with its name.
    pub fn content_disposition(self, name: &str, day: NaiveDate) -> String {
        format!("attachment; filename=\"{}\"", self.file_name(name, day))
    }
}

/// The file of `table` in `format`: CSV at once, XLSX and PDF on the blocking pool (building a
/// workbook or shaping a document is CPU work that must not hold up the async workers).
#[cfg(feature = "ssr")]
pub async fn render(format: Format, table: Table) -> crate::error::AppResult<Vec<u8>> {
    match format {
        Format::Csv => Ok(csv::write(&table)),
        Format::Xlsx => tokio::task::spawn_blocking(move || xlsx::write(&table))
            .await
            .map_err(|_| crate::error::AppError::Internal)?,
        Format::Pdf => tokio::task::spawn_blocking(move || Ok(pdf::write(&table)))
            .await
            .map_err(|_| crate::error::AppError::Internal)?,
    }
}

/// The content type of a CSV export (media type `text/csv`).
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";
/// The content type of an XLSX export.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_name_their_files() {
        assert_eq!("csv".parse::<Format>(), Ok(Format::Csv));
        assert_eq!("XLSX".parse::<Format>(), Ok(Format::Xlsx));
        assert_eq!("pdf".parse::<Format>(), Ok(Format::Pdf));
        assert!("xls".parse::<Format>().is_err());
        assert!("".parse::<Format>().is_err());
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
        assert_eq!(
            Format::Xlsx.file_name("requisitions", day),
            "requisitions-2026-12-06.xlsx"
        );
        assert_eq!(
            Format::Csv.content_disposition("suppliers", day),
            "attachment; filename=\"suppliers-2026-12-06.csv\""
        );
        assert!(Format::Csv.content_type().starts_with("text/csv"));
    }

    #[test]
    fn a_cut_table_says_so_in_the_readers_language() {
        let mut t = Table::new("t", Locale::en, Grouping::Western).column("a", Kind::Text);
        t.rows.push(vec![Cell::text("x")]);
        let whole = t.clone().cut(1, false);
        assert!(!whole.truncated);
        assert_eq!(whole.note, None);
        let cut = t.clone().cut(70_000, false);
        assert!(cut.truncated);
        assert_eq!(
            cut.note.as_deref(),
            Some(
                "This file holds the first 1 of 70,000 rows; narrow the filters to export the rest."
            )
        );
        let mut hi = t.clone();
        hi.locale = Locale::hi;
        assert!(hi.cut(5, false).note.unwrap_or_default().contains("पंक्तियाँ"));
        assert!(t.cut(1, true).truncated);
    }

    #[test]
    fn money_is_rounded_half_up_to_the_currency() {
        assert_eq!(
            Cell::money(Decimal::new(12345, 3), "INR"),
            Cell::Money(Decimal::new(1235, 2), 2)
        );
        assert_eq!(
            Cell::money(Decimal::new(12345, 3), "JPY"),
            Cell::Money(Decimal::new(12, 0), 0)
        );
    }
}
