//! Locale- and tenant-aware formatting of numbers, money and dates. Pure code shared by the
//! server (SSR, e-mails, exports) and the browser, so both render the same text.
use crate::i18n::Locale;
use crate::types::Currency;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// How the integer part of a number is grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// 1,234,567.00
    Western,
    /// 12,34,567.00 (lakh and crore)
    Indian,
}

impl std::str::FromStr for Grouping {
    type Err = crate::error::FieldError;
    fn from_str(s: &str) -> Result<Grouping, Self::Err> {
        match s {
            "indian" => Ok(Grouping::Indian),
            "western" => Ok(Grouping::Western),
            _ => Err(crate::error::FieldError::Invalid),
        }
    }
}

/// Percent-encodes everything but unreserved ASCII, for a value in a URL's query or path.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Digits after the decimal point for a currency (ISO 4217 minor units; two for a code that is
/// not one).
pub fn minor_units(currency: &str) -> u32 {
    currency
        .parse::<Currency>()
        .map(Currency::minor_units)
        .unwrap_or(2)
}

/// The sign written before an amount: `₹`, `$`, or the code and a space.
pub fn currency_symbol(currency: &str) -> String {
    currency
        .parse::<Currency>()
        .map(|c| c.symbol().to_string())
        .unwrap_or_else(|_| currency.to_string())
}

fn group(int_digits: &str, grouping: Grouping) -> String {
    let len = int_digits.len();
    let mut out = String::with_capacity(len + len / 2);
    for (i, ch) in int_digits.chars().enumerate() {
        let remaining = len - i;
        if i > 0 {
            let boundary = match grouping {
                Grouping::Western => remaining.is_multiple_of(3),
                // the last three digits form one group, then groups of two
                Grouping::Indian => {
                    remaining == 3 || (remaining > 3 && (remaining - 3).is_multiple_of(2))
                }
            };
            if boundary {
                out.push(',');
            }
        }
        out.push(ch);
    }
    out
}

/// Formats `value` with exactly `scale` decimals, rounding half away from zero.
pub fn format_decimal(value: Decimal, scale: u32, grouping: Grouping) -> String {
    let rounded = value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", scale as usize, rounded.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group(&int_part, grouping));
    if let Some(f) = frac_part {
        out.push('.');
        out.push_str(&f);
    }
    out
}

/// A quantity as exact as it is kept, without trailing zeros, with the tenant's digit grouping:
/// `12,500`, `1,25,000.5`, `0.25`.
pub fn format_quantity(quantity: Decimal, grouping: Grouping) -> String {
    let q = quantity.normalize();
    format_decimal(q, q.scale(), grouping)
}

/// A count with the tenant's digit grouping: `1,00,000`, `100,000`.
pub fn format_count(n: u64, grouping: Grouping) -> String {
    format_decimal(Decimal::from(n), 0, grouping)
}

/// Money in the tenant currency: `₹1,23,456.00`, `$1,234.50`.
pub fn format_money(amount: Decimal, currency: &str, grouping: Grouping) -> String {
    let number = format_decimal(amount.abs(), minor_units(currency), grouping);
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}{number}", currency_symbol(currency))
}

/// Money with the ISO code instead of the symbol, for documents in plain Latin type: `INR 1,250.00`.
pub fn format_money_code(amount: Decimal, currency: &str, grouping: Grouping) -> String {
    format!(
        "{currency} {}",
        format_decimal(amount, minor_units(currency), grouping)
    )
}

/// A calendar date with the month name in the user's language: `21 Nov 2026`.
pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(date.month(), locale),
        date.year()
    )
}

pub fn month_name(month: u32, locale: Locale) -> String {
    use leptos_i18n::td_string;
    match month {
        1 => td_string!(locale, months.m1).to_string(),
        2 => td_string!(locale, months.m2).to_string(),
        3 => td_string!(locale, months.m3).to_string(),
        4 => td_string!(locale, months.m4).to_string(),
        5 => td_string!(locale, months.m5).to_string(),
        6 => td_string!(locale, months.m6).to_string(),
        7 => td_string!(locale, months.m7).to_string(),
        8 => td_string!(locale, months.m8).to_string(),
        9 => td_string!(locale, months.m9).to_string(),
        10 => td_string!(locale, months.m10).to_string(),
        11 => td_string!(locale, months.m11).to_string(),
        _ => td_string!(locale, months.m12).to_string(),
    }
}

/// Text written right to left (Arabic) with model numbers in it, made to show them as written:
/// after Arabic letters, digits are Arabic numbers to the bidirectional algorithm and a hyphen or
/// slash no longer holds a run together, so "محمل كروي 6205-2RS" showed "2RS-6205". Each run of
/// ASCII letters and digits joined by `-`, `.` or `/` (or digits by a group's `,`) is isolated left to
/// right (U+2066 … U+2069, invisible). Text without right-to-left letters is returned as it is.
pub fn isolate_ltr_runs(text: &str) -> String {
    let rtl = |c: char| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
    if !text.chars().any(rtl) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let joiner = |c: char| matches!(c, '-' | '.' | '/');
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // the run: alphanumerics, a joiner only between two of them
        let start = i;
        let mut joined = false;
        i += 1;
        while i < chars.len() {
            if chars[i].is_ascii_alphanumeric() {
                i += 1;
            } else if (joiner(chars[i])
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()))
                // a digit group's comma (1,250.5): isolating only the part after it would
                // put it before the thousands
                || (chars[i] == ','
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()))
            {
                joined = true;
                i += 2;
            } else {
                break;
            }
        }
        let run: String = chars[start..i].iter().collect();
        if joined {
            out.push('\u{2066}');
            out.push_str(&run);
            out.push('\u{2069}');
        } else {
            out.push_str(&run);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test decimal")
    }

    #[test]
    fn indian_grouping_puts_lakhs_and_crores_in_their_places() {
        let cases = [
            ("0", "0.00"),
            ("12", "12.00"),
            ("123", "123.00"),
            ("1234", "1,234.00"),
            ("12345", "12,345.00"),
            ("123456", "1,23,456.00"),
            ("1234567", "12,34,567.00"),
            ("12345678.9", "1,23,45,678.90"),
        ];
        for (input, want) in cases {
            assert_eq!(
                format_decimal(d(input), 2, Grouping::Indian),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn western_grouping_uses_thousands() {
        assert_eq!(
            format_decimal(d("1234567.5"), 2, Grouping::Western),
            "1,234,567.50"
        );
        assert_eq!(format_decimal(d("999"), 0, Grouping::Western), "999");
        assert_eq!(
            format_decimal(d("-1000"), 2, Grouping::Western),
            "-1,000.00"
        );
    }

    #[test]
    fn quantities_keep_their_decimals_without_trailing_zeros_and_are_grouped() {
        let cases = [
            ("24.0000", Grouping::Western, "24"),
            ("12500", Grouping::Western, "12,500"),
            ("125000.5000", Grouping::Indian, "1,25,000.5"),
            ("0.2500", Grouping::Indian, "0.25"),
            ("-1234.125", Grouping::Western, "-1,234.125"),
        ];
        for (input, grouping, want) in cases {
            assert_eq!(format_quantity(d(input), grouping), want, "{input}");
        }
    }

    #[test]
    fn money_is_rounded_half_up_to_the_currency_minor_unit() {
        assert_eq!(
            format_money(d("123456"), "INR", Grouping::Indian),
            "₹1,23,456.00"
        );
        assert_eq!(format_money(d("0.005"), "USD", Grouping::Western), "$0.01");
        assert_eq!(
            format_money(d("-0.005"), "USD", Grouping::Western),
            "-$0.01"
        );
        assert_eq!(
            format_money(d("1234.5"), "JPY", Grouping::Western),
            "¥1,235"
        );
        assert_eq!(
            format_money(d("1.2345"), "KWD", Grouping::Western),
            "KWD1.235"
        );
    }

    #[test]
    fn dates_use_the_month_name_of_the_locale() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        assert_eq!(format_date(date, Locale::en), "21 Nov 2026");
        assert_eq!(format_date(date, Locale::ar), "21 نوفمبر 2026");
        assert_eq!(format_date(date, Locale::hi), "21 नव॰ 2026");
    }

    #[test]
    fn model_numbers_in_right_to_left_text_are_isolated_and_other_text_is_left_alone() {
        assert_eq!(
            isolate_ltr_runs("محمل كروي 6205-2RS"),
            "محمل كروي \u{2066}6205-2RS\u{2069}"
        );
        assert_eq!(
            isolate_ltr_runs("صمام 1/2 بوصة M10-1.5 و PT100"),
            "صمام \u{2066}1/2\u{2069} بوصة \u{2066}M10-1.5\u{2069} و PT100"
        );
        // a quantity with digit groups is one run
        assert_eq!(
            isolate_ltr_runs("استلام · 1,250.5 · KOL-WH1"),
            "استلام · \u{2066}1,250.5\u{2069} · \u{2066}KOL-WH1\u{2069}"
        );
        // a comma between words does not join
        assert_eq!(isolate_ltr_runs("صامولة M8, M10"), "صامولة M8, M10");
        // a hyphen at a run's end, or alone, does not join
        assert_eq!(isolate_ltr_runs("خط 50- و -"), "خط 50- و -");
        for plain in [
            "Deep groove ball bearing 6205-2RS",
            "डीप ग्रूव बॉल बेयरिंग 6205-2RS",
            "",
        ] {
            assert_eq!(isolate_ltr_runs(plain), plain);
        }
    }
}
