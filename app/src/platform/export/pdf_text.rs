//! Unicode text for PDF documents. A line of text is split into its bidirectional runs
//! (unicode-bidi), each run into the script runs of one Noto face (Latin, Devanagari, Bengali,
//! Telugu, Arabic; regular and bold, in `app/fonts/` under the SIL OFL), and each script run is
//! shaped (rustybuzz: conjuncts, vowel signs, Arabic joining). The faces a document used are
//! embedded as subsets (subsetter) — CID fonts addressed by glyph id — with a ToUnicode map, so
//! the text prints in every language of the product and can be searched and copied.
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use subsetter::GlyphRemapper;
use unicode_bidi::{BidiInfo, Level};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Weight {
    Regular,
    Bold,
}

/// Latin (with Greek and Cyrillic), Devanagari, Bengali, Telugu, Arabic: regular then bold each.
const FACES: [(&str, &[u8]); 10] = [
    (
        "NotoSans-Regular",
        include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSans-Bold",
        include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
    ),
    (
        "NotoSansDevanagari-Regular",
        include_bytes!("../../../fonts/NotoSansDevanagari-Regular.ttf"),
    ),
    (
        "NotoSansDevanagari-Bold",
        include_bytes!("../../../fonts/NotoSansDevanagari-Bold.ttf"),
    ),
    (
        "NotoSansBengali-Regular",
        include_bytes!("../../../fonts/NotoSansBengali-Regular.ttf"),
    ),
    (
        "NotoSansBengali-Bold",
        include_bytes!("../../../fonts/NotoSansBengali-Bold.ttf"),
    ),
    (
        "NotoSansTelugu-Regular",
        include_bytes!("../../../fonts/NotoSansTelugu-Regular.ttf"),
    ),
    (
        "NotoSansTelugu-Bold",
        include_bytes!("../../../fonts/NotoSansTelugu-Bold.ttf"),
    ),
    (
        "NotoSansArabic-Regular",
        include_bytes!("../../../fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "NotoSansArabic-Bold",
        include_bytes!("../../../fonts/NotoSansArabic-Bold.ttf"),
    ),
];

/// The parsed faces (parsing reads only the table directory; glyph data is read as used). A face
/// that does not parse is `None`, and its script falls back to the Latin face's `.notdef` boxes.
static PARSED: LazyLock<Vec<Option<rustybuzz::Face<'static>>>> = LazyLock::new(|| {
    FACES
        .iter()
        .map(|(_, data)| rustybuzz::Face::from_slice(data, 0))
        .collect()
});

/// The script family of a character (0 Latin … 4 Arabic), or `None` for characters every script
/// shares (digits, punctuation, spaces, joiners), which stay in the run they are in.
fn family(c: char) -> Option<usize> {
    match c as u32 {
        0x0900..=0x097F | 0xA8E0..=0xA8FF | 0x1CD0..=0x1CFF => Some(1),
        0x0980..=0x09FF => Some(2),
        0x0C00..=0x0C7F => Some(3),
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Some(4)
        }
        _ if c.is_alphabetic() => Some(0),
        _ => None,
    }
}

/// The index in [`FACES`] of a script family's regular face (its bold one follows it).
fn regular(family: usize) -> usize {
    family * 2
}

fn face(index: usize) -> Option<&'static rustybuzz::Face<'static>> {
    PARSED.get(index).and_then(Option::as_ref)
}

fn has_glyph(index: usize, c: char) -> bool {
    face(index).is_some_and(|f| f.glyph_index(c).is_some())
}

/// One glyph placed on a line: its face, its glyph id in that face, its offset from the line's
/// start and above the baseline (points), and the text it stands for (its cluster's, on the
/// cluster's first glyph) for the ToUnicode map, and whether it is its cluster's only glyph.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub face: usize,
    pub gid: u16,
    pub x: f32,
    pub dy: f32,
    pub text: String,
    pub alone: bool,
}

/// A shaped line: its text, its glyphs in visual order (left to right) and its width in points.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub text: String,
    pub glyphs: Vec<Glyph>,
    pub width: f32,
}

/// Splits logical text into (face family, text) runs.
fn script_runs(text: &str) -> Vec<(usize, &str)> {
    let mut runs: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    let mut current: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let next = match (family(c), current) {
            (None, Some(f)) if has_glyph(regular(f), c) => f,
            (None, _) => 0,
            // the dandas belong to the Devanagari block but end sentences in Bengali too
            (Some(1), Some(2))
                if matches!(c, '\u{964}' | '\u{965}') && has_glyph(regular(2), c) =>
            {
                2
            }
            (Some(f), _) => f,
        };
        match current {
            Some(f) if f == next => {}
            Some(f) => {
                runs.push((f, &text[start..i]));
                start = i;
                current = Some(next);
            }
            None => current = Some(next),
        }
    }
    if let Some(f) = current {
        runs.push((f, &text[start..]));
    }
    runs
}

/// Shapes `text` at `size` points; `rtl` is the paragraph's direction (Arabic documents), which
/// orders runs whose own direction is neutral.
pub fn layout(text: &str, weight: Weight, size: f32, rtl: bool) -> Line {
    let mut line = Line {
        text: text.to_string(),
        ..Line::default()
    };
    if text.is_empty() {
        return line;
    }
    let level = if rtl { Level::rtl() } else { Level::ltr() };
    let bidi = BidiInfo::new(text, Some(level));
    let bold = usize::from(weight == Weight::Bold);
    for para in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            let run_rtl = levels[run.start].is_rtl();
            let mut pieces = script_runs(&text[run.clone()]);
            if run_rtl {
                pieces.reverse();
            }
            for (family, piece) in pieces {
                shape_piece(&mut line, regular(family) + bold, piece, size, run_rtl);
            }
        }
    }
    line
}

fn shape_piece(line: &mut Line, index: usize, piece: &str, size: f32, rtl: bool) {
    let Some(f) = face(index) else {
        return;
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(piece);
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(f, &[], buffer);
    let scale = size / f.units_per_em().max(1) as f32;
    // cluster starts (byte offsets) in logical order, for each cluster's text
    let mut starts: Vec<usize> = shaped
        .glyph_infos()
        .iter()
        .map(|g| g.cluster as usize)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut per_cluster: BTreeMap<u32, usize> = BTreeMap::new();
    for g in shaped.glyph_infos() {
        *per_cluster.entry(g.cluster).or_default() += 1;
    }
    let mut seen = std::collections::BTreeSet::new();
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        let cluster = info.cluster as usize;
        let end = starts
            .iter()
            .find(|&&s| s > cluster)
            .copied()
            .unwrap_or(piece.len());
        let text = if seen.insert(cluster) {
            piece.get(cluster..end).unwrap_or_default().to_string()
        } else {
            String::new()
        };
        line.glyphs.push(Glyph {
            face: index,
            gid: u16::try_from(info.glyph_id).unwrap_or(0),
            x: line.width + pos.x_offset as f32 * scale,
            dy: pos.y_offset as f32 * scale,
            text,
            alone: per_cluster.get(&info.cluster) == Some(&1),
        });
        line.width += pos.x_advance as f32 * scale;
    }
}

/// The glyphs one document used, per face: each face's subset numbering (the CIDs written to the
/// page contents) and the text each glyph stands for (a glyph that was once its cluster's only
/// glyph stands for that cluster's text; otherwise for the first cluster it began).
#[derive(Default)]
pub struct Fonts {
    used: BTreeMap<usize, FaceUse>,
}

/// One face's subset numbering, and per subset glyph its text and whether it stood alone.
type FaceUse = (GlyphRemapper, BTreeMap<u16, (String, bool)>);

impl Fonts {
    /// The resource name of face `index` on a page.
    fn resource(index: usize) -> Vec<u8> {
        format!("U{index}").into_bytes()
    }

    /// Draws `line` with its start at (`x`, `y`) into `content`, marked with its text in logical
    /// order (`ActualText`), which is what a reader copies or searches — the glyphs of Indic and
    /// Arabic text are reordered and joined, so their ToUnicode map alone cannot say it.
    pub fn draw(&mut self, content: &mut Content, line: &Line, size: f32, x: f32, y: f32) {
        if line.glyphs.is_empty() {
            return;
        }
        content
            .begin_marked_content_with_properties(Name(b"Span"))
            .properties()
            .actual_text(TextStr(&line.text));
        content.begin_text();
        let mut current = None;
        for g in &line.glyphs {
            let (remapper, texts) = self.used.entry(g.face).or_default();
            let cid = remapper.remap(g.gid);
            if !g.text.is_empty() {
                let known = texts
                    .entry(cid)
                    .or_insert_with(|| (g.text.clone(), g.alone));
                if g.alone && !known.1 {
                    *known = (g.text.clone(), true);
                }
            }
            if current != Some(g.face) {
                content.set_font(Name(&Self::resource(g.face)), size);
                current = Some(g.face);
            }
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x + g.x, y + g.dy]);
            content.show(Str(&cid.to_be_bytes()));
        }
        content.end_text();
        content.end_marked_content();
    }

    /// The faces used, as (resource name, font reference) pairs for the pages' resources; the
    /// references are taken from `next`.
    pub fn refs(&self, next: &mut i32) -> Vec<(Vec<u8>, usize, Ref)> {
        self.used
            .keys()
            .map(|&index| {
                let r = Ref::new(*next);
                *next += 5;
                (Self::resource(index), index, r)
            })
            .collect()
    }

    /// Writes each used face as a Type 0 font at its reference from [`Fonts::refs`] (the four
    /// references after it hold the CID font, descriptor, font file and ToUnicode map).
    pub fn write(&self, pdf: &mut Pdf, refs: &[(Vec<u8>, usize, Ref)]) {
        for (_, index, type0) in refs {
            let (Some((remapper, texts)), Some(f), Some((name, data))) =
                (self.used.get(index), face(*index), FACES.get(*index))
            else {
                continue;
            };
            let cid_ref = Ref::new(type0.get() + 1);
            let descriptor = Ref::new(type0.get() + 2);
            let file = Ref::new(type0.get() + 3);
            let cmap_ref = Ref::new(type0.get() + 4);
            // a subset's name carries a six-letter tag (PDF 32000 §9.6.4)
            let tag: String = (0..6)
                .map(|i| char::from(b'A' + ((*index as u8 + i * 7) % 26)))
                .collect();
            let base = format!("{tag}+{name}");
            let units = f.units_per_em().max(1) as f32;
            let to_pdf = |v: f32| v * 1000.0 / units;
            pdf.type0_font(*type0)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid_ref)
                .to_unicode(cmap_ref);
            let widths: Vec<f32> = remapper
                .remapped_gids()
                .map(|old| {
                    to_pdf(f32::from(
                        f.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(old))
                            .unwrap_or(0),
                    ))
                })
                .collect();
            let mut cid = pdf.cid_font(cid_ref);
            cid.subtype(CidFontType::Type2)
                .base_font(Name(base.as_bytes()))
                .system_info(SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"Identity"),
                    supplement: 0,
                })
                .font_descriptor(descriptor)
                .default_width(0.0)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            cid.widths().consecutive(0, widths);
            drop(cid);
            let bbox = f.global_bounding_box();
            pdf.font_descriptor(descriptor)
                .name(Name(base.as_bytes()))
                .flags(FontFlags::SYMBOLIC)
                .bbox(Rect::new(
                    to_pdf(f32::from(bbox.x_min)),
                    to_pdf(f32::from(bbox.y_min)),
                    to_pdf(f32::from(bbox.x_max)),
                    to_pdf(f32::from(bbox.y_max)),
                ))
                .italic_angle(0.0)
                .ascent(to_pdf(f32::from(f.ascender())))
                .descent(to_pdf(f32::from(f.descender())))
                .cap_height(to_pdf(f32::from(
                    f.capital_height().unwrap_or(f.ascender()),
                )))
                .stem_v(80.0)
                .font_file2(file);
            // a face that cannot be cut down is embedded whole
            let program = subsetter::subset(data, 0, remapper).unwrap_or_else(|_| data.to_vec());
            pdf.stream(file, &deflate(&program))
                .filter(Filter::FlateDecode)
                .pair(Name(b"Length1"), program.len() as i32);
            let mut cmap = UnicodeCmap::new(
                Name(b"Custom"),
                SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"UCS"),
                    supplement: 0,
                },
            );
            for (cid, (text, _)) in texts {
                cmap.pair_with_multiple(*cid, text.chars());
            }
            pdf.cmap(cmap_ref, &cmap.finish());
        }
    }
}

/// zlib-compressed `data` (a FlateDecode stream).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notdefs(line: &Line) -> usize {
        line.glyphs.iter().filter(|g| g.gid == 0).count()
    }

    #[test]
    fn every_language_of_the_product_has_its_glyphs() {
        for (text, family) in [
            ("Deep groove ball bearing 6205-2RS", 0),
            ("हाइड्रोलिक पंप की मरम्मत", 1),
            ("জলবাহী পাম্প মেরামত।", 2),
            ("హైడ్రాలిక్ పంపు మరమ్మత్తు", 3),
            ("مضخة هيدروليكية ٤٥", 4),
        ] {
            for weight in [Weight::Regular, Weight::Bold] {
                let line = layout(text, weight, 10.0, family == 4);
                assert!(!line.glyphs.is_empty(), "{text}");
                assert_eq!(notdefs(&line), 0, "{text} has glyphs its faces lack");
                let bold = usize::from(weight == Weight::Bold);
                assert!(
                    line.glyphs.iter().any(|g| g.face == regular(family) + bold),
                    "{text}"
                );
                assert!(line.width > 0.0);
            }
        }
    }

    #[test]
    fn shaping_joins_conjuncts_and_arabic_letters() {
        // क्ष is one conjunct glyph, not क + virama + ष
        let conjunct = layout("क्ष", Weight::Regular, 10.0, false);
        assert_eq!(conjunct.glyphs.len(), 1, "{conjunct:?}");
        assert_eq!(conjunct.glyphs[0].text, "क्ष");
        // an Arabic letter takes a different (joined) form inside a word than alone
        let alone = layout("ه", Weight::Regular, 10.0, true).glyphs[0].gid;
        let joined = layout("مضخه", Weight::Regular, 10.0, true);
        assert!(joined.glyphs.iter().all(|g| g.gid != alone), "{joined:?}");
    }

    #[test]
    fn right_to_left_text_is_laid_out_in_visual_order() {
        // "PO" then Arabic: in an Arabic paragraph the Arabic word is at the right end, so the
        // Latin glyphs come first in visual (left-to-right) order
        let line = layout("أمر PO", Weight::Regular, 10.0, true);
        let first = line.glyphs.first().map(|g| g.face);
        let last = line.glyphs.last().map(|g| g.face);
        assert_eq!(first, Some(0));
        assert_eq!(last, Some(8));
        // positions increase left to right
        assert!(line.glyphs.windows(2).all(|w| w[0].x <= w[1].x + 0.01));
    }

    #[test]
    fn digits_and_spaces_stay_with_their_script() {
        let runs = script_runs("पंप 12 नग, Pump 3");
        assert_eq!(runs, vec![(1, "पंप 12 नग, "), (0, "Pump 3")]);
    }
}
