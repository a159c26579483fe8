//! Recognises a file from its bytes, fed in chunks of any size, without keeping it in memory.

/// What the content turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Doc,
    Xls,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Doc => "application/msword",
            Kind::Xls => "application/vnd.ms-excel",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Doc => "doc",
            Kind::Xls => "xls",
        }
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const CFB: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Markers looked for anywhere in the stream (names of zip entries; UTF-16LE names of CFB streams).
const MARKERS: [&[u8]; 5] = [
    b"[Content_Types].xml",
    b"word/",
    b"xl/",
    b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0",
    b"W\0o\0r\0k\0b\0o\0o\0k\0",
];
const LONGEST: usize = 24;

/// Recognises a file fed in chunks of any size, without keeping it in memory.
#[derive(Clone, Debug, Default)]
pub struct Sniffer {
    head: Vec<u8>,
    tail: Vec<u8>,
    found: [bool; 5],
}

impl Sniffer {
    pub fn push(&mut self, chunk: &[u8]) {
        if self.head.len() < 16 {
            let take = (16 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        // search the end of the previous chunk together with this one so markers split across
        // chunks are found
        let mut window = std::mem::take(&mut self.tail);
        window.extend_from_slice(chunk);
        for (i, m) in MARKERS.iter().enumerate() {
            if !self.found[i] && window.windows(m.len()).any(|w| w == *m) {
                self.found[i] = true;
            }
        }
        let keep = window.len().min(LONGEST);
        self.tail = window[window.len() - keep..].to_vec();
    }

    pub fn kind(&self) -> Option<Kind> {
        let h = &self.head;
        if h.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else if h.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if h.starts_with(b"\xFF\xD8\xFF") {
            Some(Kind::Jpeg)
        } else if h.starts_with(ZIP) && self.found[0] {
            // an Office Open XML package: which application its parts belong to
            if self.found[1] {
                Some(Kind::Docx)
            } else if self.found[2] {
                Some(Kind::Xlsx)
            } else {
                None
            }
        } else if h.starts_with(CFB) {
            if self.found[3] {
                Some(Kind::Doc)
            } else if self.found[4] {
                Some(Kind::Xls)
            } else {
                None
            }
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_in_chunks(bytes: &[u8], size: usize) -> Option<Kind> {
        let mut s = Sniffer::default();
        for c in bytes.chunks(size) {
            s.push(c);
        }
        s.kind()
    }

    #[test]
    fn recognises_by_content_not_name() {
        assert_eq!(sniff_in_chunks(b"%PDF-1.7\n...", 3), Some(Kind::Pdf));
        assert_eq!(
            sniff_in_chunks(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 1),
            Some(Kind::Png)
        );
        assert_eq!(
            sniff_in_chunks(b"\xFF\xD8\xFF\xE0JFIF", 2),
            Some(Kind::Jpeg)
        );
        assert_eq!(sniff_in_chunks(b"MZ\x90\0 an exe", 4), None);
        assert_eq!(sniff_in_chunks(b"<html>pdf</html>", 4), None);
        assert_eq!(sniff_in_chunks(b"", 4), None);
    }

    #[test]
    fn tells_office_packages_apart_even_across_chunks() {
        let mut docx = b"PK\x03\x04....[Content_Types].xml....".to_vec();
        docx.extend_from_slice(b"PK\x03\x04word/document.xml");
        let mut xlsx = b"PK\x03\x04....[Content_Types].xml....".to_vec();
        xlsx.extend_from_slice(b"PK\x03\x04xl/workbook.xml");
        for size in [1, 5, 7, 64] {
            assert_eq!(sniff_in_chunks(&docx, size), Some(Kind::Docx));
            assert_eq!(sniff_in_chunks(&xlsx, size), Some(Kind::Xlsx));
        }
        // a zip that is not an Office document is refused
        assert_eq!(sniff_in_chunks(b"PK\x03\x04evil/payload.sh", 3), None);
        let mut doc = CFB.to_vec();
        doc.extend_from_slice(&[0; 40]);
        doc.extend_from_slice(b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0");
        let mut xls = CFB.to_vec();
        xls.extend_from_slice(b"W\0o\0r\0k\0b\0o\0o\0k\0");
        assert_eq!(sniff_in_chunks(&doc, 3), Some(Kind::Doc));
        assert_eq!(sniff_in_chunks(&xls, 5), Some(Kind::Xls));
        assert_eq!(sniff_in_chunks(CFB, 3), None);
    }
}
