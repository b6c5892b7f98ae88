//! 文字コード: finding and decoding the text encoding of an export without asking.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::error::ImportErrorKind;
use super::layout::count_breaks;

/// The text encodings an export comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextEncoding {
    /// UTF-8, with or without a BOM (Shopify, BASE, Excel's 「CSV UTF-8」).
    Utf8,
    /// Shift_JIS as Windows writes it (Windows-31J / cp932, which has 髙, 﨑, ①): 楽天 RMS,
    /// EC-CUBE, Excel's plain 「CSV」 on Japanese Windows.
    ShiftJis,
    /// UTF-16 little-endian with a BOM: Excel's 「Unicode テキスト」 (tab-separated).
    Utf16Le,
}

impl TextEncoding {
    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            // The WHATWG Shift_JIS is Windows-31J: it decodes the NEC and IBM extensions.
            TextEncoding::ShiftJis => encoding_rs::SHIFT_JIS,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
        }
    }

    fn bom(self) -> &'static [u8] {
        match self {
            TextEncoding::Utf8 => b"\xEF\xBB\xBF",
            TextEncoding::ShiftJis => b"",
            TextEncoding::Utf16Le => b"\xFF\xFE",
        }
    }
}

/// How many leading bytes detection looks at: enough for any header and many rows.
pub(crate) const DETECT_BYTES: usize = 64 * 1024;

/// Finds the encoding of an export from its first bytes.
///
/// BOMs decide first; then a file that is valid UTF-8 is UTF-8; otherwise the one of UTF-8
/// and Shift_JIS that leaves fewer undecodable sequences. Bytes that are not text (NULs
/// outside UTF-16, control bytes, an Excel workbook) are an error.
#[cfg(test)]
pub(crate) fn detect(bytes: &[u8]) -> Result<TextEncoding, ImportErrorKind> {
    detect_start(bytes, bytes.len() as u64)
}

/// [`detect`] on a file of `total` bytes of which `bytes` are the first (at least
/// [`DETECT_BYTES`] of them, or the whole file): only the first [`DETECT_BYTES`] are looked
/// at, so a file read piece by piece is detected as the whole file would be.
pub(crate) fn detect_start(bytes: &[u8], total: u64) -> Result<TextEncoding, ImportErrorKind> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Ok(TextEncoding::Utf8);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Ok(TextEncoding::Utf16Le);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportErrorKind::UnsupportedEncoding {
            name: "UTF-16BE".into(),
        });
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(ImportErrorKind::ExcelWorkbook);
    }
    let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
    if sample.contains(&0) {
        // UTF-16LE without a BOM: mostly-ASCII text puts a NUL in every odd byte.
        let odd_nuls = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        let even_nuls = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let pairs = sample.len() / 2;
        if pairs > 0 && odd_nuls * 10 >= pairs * 7 && even_nuls * 100 <= pairs {
            return Ok(TextEncoding::Utf16Le);
        }
        // UTF-16BE without a BOM: the NULs fall in the even bytes instead.
        if pairs > 0 && even_nuls * 10 >= pairs * 7 && odd_nuls * 100 <= pairs {
            return Err(ImportErrorKind::UnsupportedEncoding {
                name: "UTF-16BE".into(),
            });
        }
        // A stray NUL or two in a cell does not make a text file binary; many do.
        let nuls = odd_nuls + even_nuls;
        if nuls * 10 > sample.len() || (nuls > 8 && nuls * 100 > sample.len()) {
            return Err(ImportErrorKind::Binary);
        }
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, 0 | b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
        .count();
    if controls * 100 > sample.len() {
        return Err(ImportErrorKind::Binary);
    }
    let utf8_errors = utf8_error_count(sample, (sample.len() as u64) < total);
    if utf8_errors == 0 {
        return Ok(TextEncoding::Utf8);
    }
    let (text, _) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(sample);
    let sjis_errors = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let chars = text.chars().count().max(1);
    let (best, errors) = if sjis_errors < utf8_errors {
        (TextEncoding::ShiftJis, sjis_errors)
    } else {
        (TextEncoding::Utf8, utf8_errors)
    };
    // A few bad sequences are a damaged text file; many mean it is not text we can read.
    if errors * 50 > chars {
        return Err(ImportErrorKind::UnknownEncoding);
    }
    Ok(best)
}

/// Invalid UTF-8 sequences in `bytes`; an incomplete character at the very end of a cut
/// sample does not count.
fn utf8_error_count(bytes: &[u8], cut: bool) -> usize {
    let mut errors = 0;
    let mut chunks = bytes.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        if !chunk.invalid().is_empty() {
            let last = chunks.peek().is_none();
            // The final chunk of a cut sample may end inside a character.
            if !(cut && last && chunk.invalid().len() < 4) {
                errors += 1;
            }
        }
    }
    errors
}

/// Decodes the whole input once: strips the encoding's BOM, decodes, and counts the
/// characters that could not be decoded (shown as U+FFFD). A leading U+FEFF left by a
/// mismatched override is removed too.
pub(crate) fn decode(bytes: &[u8], encoding: TextEncoding) -> (Cow<'_, str>, u64) {
    let body = bytes.strip_prefix(encoding.bom()).unwrap_or(bytes);
    let (text, had_errors) = encoding.encoding().decode_without_bom_handling(body);
    let undecodable = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count() as u64
    } else {
        0
    };
    let text = match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('\u{FEFF}').unwrap_or(s)),
        Cow::Owned(s) => match s.strip_prefix('\u{FEFF}') {
            Some(rest) => Cow::Owned(rest.to_string()),
            None => Cow::Owned(s),
        },
    };
    (text, undecodable)
}

/// Decodes a file piece by piece exactly as [`decode`] decodes it whole: a character cut
/// between two pieces is decoded once both are in, the BOM is stripped however the first
/// bytes are cut, and the undecodable characters are counted with the line of the first.
pub(crate) struct StreamDecoder {
    encoding: TextEncoding,
    decoder: encoding_rs::Decoder,
    /// The first bytes, held until there are enough to tell whether they are the BOM.
    head: Option<Vec<u8>>,
    /// No text has come out yet: a leading U+FEFF is still to be removed.
    before_text: bool,
    had_errors: bool,
    /// The last piece decoded had errors.
    piece_errors: bool,
    /// U+FFFD in the text (written in the file or put in by the decoder).
    replacements: u64,
    /// Line breaks in the text before the first U+FFFD (or in all of it, while none).
    breaks: u64,
    /// The 1-based line of the first U+FFFD.
    first_replacement_line: Option<u64>,
}

impl StreamDecoder {
    pub(crate) fn new(encoding: TextEncoding) -> Self {
        StreamDecoder {
            encoding,
            decoder: encoding.encoding().new_decoder_without_bom_handling(),
            head: Some(Vec::new()),
            before_text: true,
            had_errors: false,
            piece_errors: false,
            replacements: 0,
            breaks: 0,
            first_replacement_line: None,
        }
    }

    /// A decoder for text that starts after a line break inside the file: a part read in
    /// parallel. There is no BOM to look for there, and a U+FEFF is a character like any other.
    pub(crate) fn mid_file(encoding: TextEncoding) -> Self {
        StreamDecoder {
            head: None,
            before_text: false,
            ..StreamDecoder::new(encoding)
        }
    }

    /// The account of U+FFFD so far, unsettled (see [`StreamDecoder::undecodable`]).
    pub(crate) fn account(&self) -> super::source::Undecodable {
        super::source::Undecodable {
            had_errors: self.had_errors,
            replacements: self.replacements,
            first_line: self.first_replacement_line,
        }
    }

    /// Decodes the next piece of the file onto `out`; `last` for the final one (an
    /// unfinished character at the end then counts as undecodable).
    pub(crate) fn push(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        let start = out.len();
        match self.head.take() {
            None => self.decode(bytes, last, out),
            Some(mut head) => {
                let bom = self.encoding.bom();
                head.extend_from_slice(bytes);
                if head.len() < bom.len() && !last && bom.starts_with(&head) {
                    self.head = Some(head);
                    return;
                }
                let body = head.strip_prefix(bom).unwrap_or(&head);
                self.decode(body, last, out);
            }
        }
        if self.before_text && out.len() > start {
            self.before_text = false;
            if out[start..].starts_with('\u{FEFF}') {
                out.replace_range(start..start + '\u{FEFF}'.len_utf8(), "");
            }
        }
        let new = &out[start..];
        // Shift_JIS has no U+FFFD of its own: a piece decoded without errors has none, and
        // Japanese text is not searched for one in vain.
        if self.encoding == TextEncoding::ShiftJis && !self.piece_errors {
            if self.first_replacement_line.is_none() {
                self.breaks += count_breaks(new.as_bytes());
            }
            return;
        }
        let replacements = new.matches('\u{FFFD}').count() as u64;
        if self.first_replacement_line.is_none() {
            // A piece with none is not searched for the first again.
            let first = if replacements > 0 {
                new.find('\u{FFFD}')
            } else {
                None
            };
            match first {
                Some(at) => {
                    let before = count_breaks(&new.as_bytes()[..at]);
                    self.first_replacement_line = Some(1 + self.breaks + before);
                }
                None => {
                    self.breaks += count_breaks(new.as_bytes());
                }
            }
        }
        self.replacements += replacements;
    }

    fn decode(&mut self, mut bytes: &[u8], last: bool, out: &mut String) {
        self.piece_errors = false;
        loop {
            // Room for the piece as ASCII; a longer text makes room as it goes.
            out.reserve(bytes.len() + 16);
            let (result, read, errors) = self.decoder.decode_to_string(bytes, out, last);
            self.piece_errors |= errors;
            self.had_errors |= errors;
            bytes = &bytes[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    fn sjis(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!unmappable, "{text}");
        bytes.into_owned()
    }

    const TEXT: &str =
        "注文番号,注文日時,合計金額\r\n1,2024/01/05,￥1,200\r\n2,2024/01/06,髙﨑①\r\n";

    #[test]
    fn detection_table() {
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(TEXT.as_bytes());
        let cases: Vec<(&str, Vec<u8>, Result<TextEncoding, ImportErrorKind>)> = vec![
            ("utf8", TEXT.as_bytes().to_vec(), Ok(TextEncoding::Utf8)),
            ("utf8 bom", with_bom, Ok(TextEncoding::Utf8)),
            ("ascii", b"a,b\n1,2\n".to_vec(), Ok(TextEncoding::Utf8)),
            ("cp932", sjis(TEXT), Ok(TextEncoding::ShiftJis)),
            ("utf16 bom", utf16le(TEXT, true), Ok(TextEncoding::Utf16Le)),
            (
                "utf16 no bom",
                utf16le("order_date\tamount\r\n2024-01-05\t100\r\n", false),
                Ok(TextEncoding::Utf16Le),
            ),
            (
                "utf16be",
                b"\xFE\xFF\x00a".to_vec(),
                Err(ImportErrorKind::UnsupportedEncoding {
                    name: "UTF-16BE".into(),
                }),
            ),
            (
                "xlsx",
                b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
                Err(ImportErrorKind::ExcelWorkbook),
            ),
            (
                "png",
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(),
                Err(ImportErrorKind::Binary),
            ),
            (
                "controls",
                (0u8..32).cycle().take(400).collect(),
                Err(ImportErrorKind::Binary),
            ),
            (
                "noise",
                (0..2000u32)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
                    .collect(),
                Err(ImportErrorKind::UnknownEncoding),
            ),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(detect(&bytes), expected, "{name}");
        }
    }

    #[test]
    fn cp932_extensions_decode() {
        let bytes = sjis(TEXT);
        let (text, bad) = decode(&bytes, TextEncoding::ShiftJis);
        assert_eq!(text, TEXT);
        assert_eq!(bad, 0);
        // cp932's yen sign is 0x5C: it decodes as a backslash, as on Windows.
        let (text, _) = decode(b"\x5C1,200", TextEncoding::ShiftJis);
        assert_eq!(text, "\\1,200");
    }

    #[test]
    fn boms_are_stripped_and_errors_counted() {
        let bytes = utf16le(TEXT, true);
        let (text, bad) = decode(&bytes, TextEncoding::Utf16Le);
        assert_eq!((text.as_ref(), bad), (TEXT, 0));
        let (text, bad) = decode(b"\xEF\xBB\xBFa,b", TextEncoding::Utf8);
        assert_eq!((text.as_ref(), bad), ("a,b", 0));
        let (text, bad) = decode(b"a\xFFb", TextEncoding::Utf8);
        assert_eq!((text.as_ref(), bad), ("a\u{FFFD}b", 1));
    }

    #[test]
    fn a_sample_cut_inside_a_character_is_still_utf8() {
        let text = "あ".repeat(DETECT_BYTES); // 3 bytes each: the sample ends mid-character
        assert_eq!(detect(text.as_bytes()), Ok(TextEncoding::Utf8));
    }
}
