//! The CSV parser, run on a blocking thread: rows and issues by line and column, sent as messages.
use super::*;
use crate::inventory::model::material::MaterialType;

/// What the parsing thread sends: COPY text for the staging table, or the end.
pub(super) enum Msg {
    /// The rows for `import_stage` and for `import_words`, and how many records were read.
    Rows {
        items: Vec<u8>,
        words: Vec<u8>,
        records: u64,
    },
    Done {
        records: u64,
        issues: Vec<Issue>,
        count: u64,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Sku,
    Unit,
    Name(usize),
    Description(usize),
    Category,
    ReorderLevel,
    ReorderQuantity,
    Serialised,
    MaterialType,
    Active,
    Specs,
}

fn column(name: &str) -> Option<Col> {
    use crate::inventory::model::LANGUAGES;
    Some(match name {
        "sku" => Col::Sku,
        "unit" => Col::Unit,
        "category" => Col::Category,
        "reorder_level" => Col::ReorderLevel,
        "reorder_quantity" => Col::ReorderQuantity,
        "serialised" | "serialized" => Col::Serialised,
        "material_type" => Col::MaterialType,
        "active" => Col::Active,
        "specs" => Col::Specs,
        other => {
            if let Some(l) = other.strip_prefix("name_") {
                Col::Name(LANGUAGES.iter().position(|x| *x == l)?)
            } else if let Some(l) = other.strip_prefix("description_") {
                Col::Description(LANGUAGES.iter().position(|x| *x == l)?)
            } else {
                return None;
            }
        }
    })
}

fn boolean(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// Appends `s` escaped for COPY's text format.
fn copy_text(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Lex {
    RowStart,
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// A reader that follows CSV quoting just enough to note the real line on which every
/// non-blank row starts (csv skips blank rows and its positions leave them out).
struct LineCounter<R> {
    inner: R,
    line: u64,
    state: Lex,
    starts: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut starts = self.starts.borrow_mut();
        for b in &buf[..n] {
            self.state = match (self.state, *b) {
                (Lex::RowStart, b'\r') => Lex::RowStart,
                (Lex::RowStart, b'\n') => {
                    self.line += 1;
                    Lex::RowStart
                }
                (Lex::RowStart, c) => {
                    starts.push_back(self.line);
                    match c {
                        b'"' => Lex::Quoted,
                        b',' => Lex::FieldStart,
                        _ => Lex::Unquoted,
                    }
                }
                (Lex::Quoted, b'"') => Lex::QuoteInQuoted,
                (Lex::Quoted, c) => {
                    if c == b'\n' {
                        self.line += 1;
                    }
                    Lex::Quoted
                }
                (Lex::QuoteInQuoted, b'"') => Lex::Quoted,
                (Lex::FieldStart, b'"') => Lex::Quoted,
                (_, b',') => Lex::FieldStart,
                (_, b'\n') => {
                    self.line += 1;
                    Lex::RowStart
                }
                _ => Lex::Unquoted,
            };
        }
        Ok(n)
    }
}

/// The CSV column a validation field stands for.
fn column_of_field(field: &str) -> String {
    if let Some(l) = field.strip_prefix("names.") {
        format!("name_{l}")
    } else if let Some(l) = field.strip_prefix("descriptions.") {
        format!("description_{l}")
    } else {
        field.to_string()
    }
}

/// Reads the whole file, validating every row with the item form's rules; while no error
/// has been seen, valid rows go out as COPY text in batches. `send` returns false when the
/// receiver is gone.
pub(super) fn parse(reader: impl Read, mut send: impl FnMut(Msg) -> bool) {
    use crate::inventory::model::LANGUAGES;
    let mut issues: Vec<Issue> = Vec::new();
    let mut count = 0u64;
    let note = |issues: &mut Vec<Issue>, count: &mut u64, i: Issue| {
        *count += 1;
        if issues.len() < KEEP_ERRORS {
            issues.push(i);
        }
    };
    // csv's positions leave out the blank lines it skips; the counter tracks real lines
    let starts = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::new()));
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter {
            inner: reader,
            line: 1,
            state: Lex::RowStart,
            starts: starts.clone(),
        });
    let next_line = || starts.borrow_mut().pop_front().unwrap_or(0);
    let mut rec = csv::ByteRecord::new();
    let done = |send: &mut dyn FnMut(Msg) -> bool, records, issues, count| {
        send(Msg::Done {
            records,
            issues,
            count,
        });
    };
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {
            next_line();
        }
        Ok(false) => {
            note(&mut issues, &mut count, Issue::new(1, None, "empty", None));
            return done(&mut send, 0, issues, count);
        }
        Err(_) => {
            note(
                &mut issues,
                &mut count,
                Issue::new(1, None, "encoding", None),
            );
            return done(&mut send, 0, issues, count);
        }
    }
    let mut cols: Vec<Col> = Vec::new();
    for (i, raw) in rec.iter().enumerate() {
        let raw = if i == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let Ok(name) = std::str::from_utf8(raw) else {
            note(
                &mut issues,
                &mut count,
                Issue::new(1, None, "encoding", None),
            );
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        match column(&name) {
            Some(c) if cols.contains(&c) => note(
                &mut issues,
                &mut count,
                Issue::new(1, Some(&name), "repeated_column", Some(name.clone())),
            ),
            Some(c) => cols.push(c),
            None => note(
                &mut issues,
                &mut count,
                Issue::new(1, Some(&name), "unknown_column", Some(name.clone())),
            ),
        }
    }
    for (c, name) in [
        (Col::Sku, "sku"),
        (Col::Unit, "unit"),
        (Col::Name(0), "name_en"),
    ] {
        if !cols.contains(&c) {
            note(
                &mut issues,
                &mut count,
                Issue::new(1, Some(name), "missing_column", Some(name.into())),
            );
        }
    }
    if count > 0 {
        return done(&mut send, 0, issues, count);
    }
    let mut batch: Vec<u8> = Vec::with_capacity(512 * 1024);
    // id, names and active of the same rows, for the connection gathering their words
    let mut words: Vec<u8> = Vec::with_capacity(128 * 1024);
    let mut records = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                let line = next_line();
                note(
                    &mut issues,
                    &mut count,
                    Issue::new(line, None, "encoding", None),
                );
                break;
            }
        }
        let line = next_line();
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            continue; // a blank line
        }
        records += 1;
        if rec.len() != cols.len() {
            note(
                &mut issues,
                &mut count,
                Issue::new(
                    line,
                    None,
                    "column_count",
                    Some(format!("{}/{}", rec.len(), cols.len())),
                ),
            );
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(cols.len());
        let mut bad = false;
        for (i, raw) in rec.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(s.trim()),
                Err(_) => {
                    bad = true;
                    fields.push("");
                    note(
                        &mut issues,
                        &mut count,
                        Issue::new(line, name_of(cols[i]).as_deref(), "encoding", None),
                    );
                }
            }
        }
        if bad {
            continue;
        }
        let mut input = ItemInput::default();
        let mut category = None;
        let mut active = true;
        let mut row_ok = true;
        for (c, v) in cols.iter().zip(fields.iter()) {
            let v = *v;
            match c {
                Col::Sku => input.sku = v.to_string(),
                Col::Unit => input.unit = v.to_string(),
                Col::Name(l) if !v.is_empty() => {
                    input.names.insert(LANGUAGES[*l].into(), v.to_string());
                }
                Col::Description(l) if !v.is_empty() => {
                    input
                        .descriptions
                        .insert(LANGUAGES[*l].into(), v.to_string());
                }
                Col::Name(_) | Col::Description(_) => {}
                Col::Category if !v.is_empty() => category = Some(v.to_ascii_uppercase()),
                Col::Category => {}
                Col::ReorderLevel | Col::ReorderQuantity if !v.is_empty() => {
                    match Decimal::from_str(v) {
                        Ok(d) if *c == Col::ReorderLevel => input.reorder_level = Some(d),
                        Ok(d) => input.reorder_quantity = Some(d),
                        Err(_) => {
                            row_ok = false;
                            let name = name_of(*c).unwrap_or_default();
                            note(
                                &mut issues,
                                &mut count,
                                Issue::new(line, Some(&name), "not_number", None),
                            );
                        }
                    }
                }
                Col::ReorderLevel | Col::ReorderQuantity => {}
                Col::Serialised | Col::Active if !v.is_empty() => match boolean(v) {
                    Some(b) if *c == Col::Serialised => input.serialised = Some(b),
                    Some(b) => active = b,
                    None => {
                        row_ok = false;
                        let name = name_of(*c).unwrap_or_default();
                        note(
                            &mut issues,
                            &mut count,
                            Issue::new(line, Some(&name), "not_boolean", None),
                        );
                    }
                },
                Col::Serialised | Col::Active => {}
                // checked with the form's rules below (`material_type`: invalid)
                Col::MaterialType if !v.is_empty() => input.material_type = Some(v.to_string()),
                Col::MaterialType => {}
                Col::Specs => {
                    for part in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                        match part.split_once('=') {
                            Some((k, val)) if !k.trim().is_empty() => {
                                input.specs.insert(k.trim().into(), val.trim().into());
                            }
                            _ => {
                                row_ok = false;
                                note(
                                    &mut issues,
                                    &mut count,
                                    Issue::new(line, Some("specs"), "bad_specs", None),
                                );
                                break;
                            }
                        }
                    }
                }
            }
        }
        if let Err(errs) = validate_item(&input) {
            row_ok = false;
            for (field, e) in errs {
                note(
                    &mut issues,
                    &mut count,
                    Issue::field(line, &column_of_field(&field), e),
                );
            }
        }
        if !row_ok || count > 0 {
            continue;
        }
        // line, sku, names, descriptions, category, unit, reorder_level, reorder_quantity,
        // tracking, material_type, specs, active, id
        batch.extend_from_slice(line.to_string().as_bytes());
        batch.push(b'\t');
        copy_text(&mut batch, &input.sku);
        batch.push(b'\t');
        let names_at = batch.len();
        copy_text(
            &mut batch,
            &serde_json::to_string(&input.names).unwrap_or_default(),
        );
        let names = names_at..batch.len();
        batch.push(b'\t');
        copy_text(
            &mut batch,
            &serde_json::to_string(&input.descriptions).unwrap_or_default(),
        );
        batch.push(b'\t');
        match &category {
            Some(c) => copy_text(&mut batch, c),
            None => batch.extend_from_slice(b"\\N"),
        }
        batch.push(b'\t');
        copy_text(&mut batch, &input.unit);
        batch.push(b'\t');
        batch.extend_from_slice(
            input
                .reorder_level
                .unwrap_or_default()
                .to_string()
                .as_bytes(),
        );
        batch.push(b'\t');
        batch.extend_from_slice(
            input
                .reorder_quantity
                .unwrap_or_default()
                .to_string()
                .as_bytes(),
        );
        batch.push(b'\t');
        batch.extend_from_slice(if input.serialised == Some(true) {
            b"serial"
        } else {
            b"lot"
        });
        batch.push(b'\t');
        batch.extend_from_slice(
            input
                .material_type
                .as_deref()
                .and_then(MaterialType::from_code)
                .unwrap_or_default()
                .code()
                .as_bytes(),
        );
        batch.push(b'\t');
        copy_text(
            &mut batch,
            &serde_json::to_string(&input.specs).unwrap_or_default(),
        );
        batch.push(b'\t');
        batch.push(if active { b't' } else { b'f' });
        batch.push(b'\t');
        // the item's id, time-ordered: a million new keys append to the primary key's
        // B-tree instead of landing on random pages of it
        let mut id = Uuid::encode_buffer();
        let id = Uuid::now_v7().hyphenated().encode_lower(&mut id).as_bytes();
        batch.extend_from_slice(id);
        batch.push(b'\n');
        words.extend_from_slice(id);
        words.push(b'\t');
        words.extend_from_slice(&batch[names]);
        words.push(b'\t');
        words.push(if active { b't' } else { b'f' });
        words.push(b'\n');
        if batch.len() >= 512 * 1024
            && !send(Msg::Rows {
                items: std::mem::replace(&mut batch, Vec::with_capacity(512 * 1024)),
                words: std::mem::replace(&mut words, Vec::with_capacity(128 * 1024)),
                records,
            })
        {
            return;
        }
    }
    if count > 0 {
        batch.clear();
        words.clear();
    }
    if send(Msg::Rows {
        items: batch,
        words,
        records,
    }) {
        done(&mut send, records, issues, count);
    }
}

fn name_of(c: Col) -> Option<String> {
    use crate::inventory::model::LANGUAGES;
    Some(match c {
        Col::Sku => "sku".into(),
        Col::Unit => "unit".into(),
        Col::Name(l) => format!("name_{}", LANGUAGES[l]),
        Col::Description(l) => format!("description_{}", LANGUAGES[l]),
        Col::Category => "category".into(),
        Col::ReorderLevel => "reorder_level".into(),
        Col::ReorderQuantity => "reorder_quantity".into(),
        Col::Serialised => "serialised".into(),
        Col::MaterialType => "material_type".into(),
        Col::Active => "active".into(),
        Col::Specs => "specs".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(csv: &str) -> (Vec<String>, u64, Vec<Issue>) {
        let mut rows = Vec::new();
        let mut end = None;
        parse(csv.as_bytes(), |m| {
            match m {
                Msg::Rows { items, .. } => {
                    let text = String::from_utf8(items).unwrap_or_default();
                    rows.extend(text.lines().map(str::to_string));
                }
                Msg::Done {
                    records, issues, ..
                } => end = Some((records, issues)),
            }
            true
        });
        let (records, issues) = end.unwrap_or((0, Vec::new()));
        (rows, records, issues)
    }

    #[test]
    fn valid_rows_become_copy_text_with_line_numbers() {
        let (rows, records, issues) = run(
            "\u{feff}SKU,unit,name_en,name_hi,category,reorder_level,serialised,specs,material_type\n\
             BRG-1,pcs,\"Bearing, deep groove\",बेयरिंग,BRG,5,no,bore=25 mm; seal=2RS,sp\n\
             \n\
             GBX-1,pcs,Gearbox,,,,yes,,\n\
             MTR-1,pcs,\"Motor\nthree phase\",,,,yes,,FG\n",
        );
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(records, 3);
        assert_eq!(rows.len(), 3);
        let first: Vec<&str> = rows[0].split('\t').collect();
        assert_eq!(first[0], "2");
        assert_eq!(first[1], "BRG-1");
        assert_eq!(first[2], r#"{"en":"Bearing, deep groove","hi":"बेयरिंग"}"#);
        assert_eq!(first[4], "BRG");
        assert_eq!(first[6], "5");
        assert_eq!(first[8], "lot");
        assert_eq!(first[9], "SP");
        assert_eq!(first[10], r#"{"bore":"25 mm","seal":"2RS"}"#);
        let second: Vec<&str> = rows[1].split('\t').collect();
        assert_eq!(second[0], "4", "the blank line still counts");
        assert_eq!(second[4], "\\N");
        assert_eq!(second[8], "serial");
        assert_eq!(second[9], "CN", "a consumable when no type is named");
        assert_eq!(rows[2].split('\t').nth(9), Some("FG"));
        assert!(rows[2].starts_with("5\tMTR-1\t"), "{}", rows[2]);
        // each row carries its item's id, time-ordered
        let ids: Vec<Uuid> = rows
            .iter()
            .filter_map(|r| r.rsplit('\t').next().and_then(|id| id.parse().ok()))
            .collect();
        assert_eq!(ids.len(), 3);
        assert!(ids.iter().all(|id| id.get_version_num() == 7));
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    }

    #[test]
    fn errors_name_their_line_and_column_and_stop_the_rows() {
        let (rows, records, issues) = run("sku,unit,name_en,reorder_level,material_type\n\
             ok-1,pcs,Lower case SKU,1,\n\
             OK-2,pcs,,1,\n\
             OK-3,pcs,Fine,-1,\n\
             OK-4,pcs,Fine,abc,\n\
             OK-5,pcs\n\
             OK-6,pcs,Fine,1,RM\n\
             OK-7,pcs,Fine,1,SER\n");
        assert!(rows.is_empty(), "nothing is copied once a row is bad");
        assert_eq!(records, 7);
        let got: Vec<(u64, Option<&str>, &str)> = issues
            .iter()
            .map(|i| (i.line, i.column.as_deref(), i.code.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("sku"), "invalid"),
                (3, Some("name_en"), "required"),
                (4, Some("reorder_level"), "not_negative"),
                (5, Some("reorder_level"), "not_number"),
                (6, None, "column_count"),
                (8, Some("material_type"), "invalid"),
            ]
        );
    }

    #[test]
    fn a_bad_header_or_encoding_is_reported() {
        let (_, _, issues) = run("sku,name,colour\nA,b,c\n");
        let codes: Vec<&str> = issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "unknown_column",
                "unknown_column",
                "missing_column",
                "missing_column"
            ]
        );
        let mut latin1 = b"sku,unit,name_en\nA-1,pcs,Caf".to_vec();
        latin1.extend_from_slice(&[0xE9, b'\n']);
        let mut end = None;
        parse(&latin1[..], |m| {
            if let Msg::Done { issues, .. } = m {
                end = Some(issues);
            }
            true
        });
        let issues = end.unwrap_or_default();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].line, 2);
        assert_eq!(issues[0].column.as_deref(), Some("name_en"));
        assert_eq!(issues[0].code, "encoding");
        let (_, records, issues) = run("");
        assert_eq!(records, 0);
        assert_eq!(issues[0].code, "empty");
    }

    #[test]
    fn copy_text_escapes_what_copy_would_read_as_separators() {
        let mut out = Vec::new();
        copy_text(&mut out, "a\tb\\c\nd");
        assert_eq!(out, b"a\\tb\\\\c\\nd");
    }
}
