//! The one CSV writer every download of the app goes through (the per-customer list and its
//! segment lists, the rejected rows of an import), with the spreadsheet formula guard.
//!
//! A cell is either [`Cell::Text`] or [`Cell::Number`]:
//!
//! - Text is anything that may come from the user's file (a customer key, a rejected value)
//!   or from the app's own words. A text cell that would start a formula in Excel, Numbers
//!   or LibreOffice is written with a `'` in front (see [`neutralise`]), so that the
//!   spreadsheet shows it as text instead of running it. This holds for every text cell,
//!   even one that looks like a plain negative number such as `-1200`: text from the file is
//!   never trusted to be only a number.
//! - A number is one the app computed and formats itself (an amount, a count, a line
//!   number): it can only be made from a Rust number, so it can never carry a formula, and it
//!   is written as it is, so that a negative amount stays a readable, summable `-1200`.
//!
//! Lines end in CRLF; a cell with a comma, a quote or a line break is quoted.

use std::borrow::Cow;

use encoding_rs::{EncoderResult, SHIFT_JIS};

use crate::analysis::export::CsvEncoding;

/// One cell of a CSV download.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Text, neutralised when it could start a formula.
    Text(Cow<'a, str>),
    /// A number the app wrote itself (see [`Cell::number`] and [`Cell::integer`]).
    Number(Number),
}

/// A number formatted by the app; it has no public constructor but [`Cell::number`] and
/// [`Cell::integer`], so no text can pass as one.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(String);

impl<'a> Cell<'a> {
    /// A text cell.
    pub fn text(text: impl Into<Cow<'a, str>>) -> Self {
        Cell::Text(text.into())
    }

    /// An amount as a plain number: no separators, no trailing `.0`; `0` when not finite.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::download::Cell;
    /// assert_eq!(Cell::number(-1200.0).written(), "-1200");
    /// assert_eq!(Cell::number(12.5).written(), "12.5");
    /// assert_eq!(Cell::number(f64::NAN).written(), "0");
    /// ```
    pub fn number(value: f64) -> Self {
        Cell::Number(Number(if value.is_finite() {
            format!("{value}")
        } else {
            "0".to_string()
        }))
    }

    /// A whole number (a count, a day, a line number).
    pub fn integer(value: impl Into<i128>) -> Self {
        Cell::Number(Number(value.into().to_string()))
    }

    /// The cell as it is written, before CSV quoting.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::download::Cell;
    /// assert_eq!(Cell::text("=1+2").written(), "'=1+2");
    /// assert_eq!(Cell::text("-1200").written(), "'-1200");
    /// assert_eq!(Cell::integer(-3).written(), "-3");
    /// ```
    pub fn written(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(text) => neutralise(text),
            Cell::Number(Number(n)) => Cow::Borrowed(n),
        }
    }
}

/// A text cell made safe for spreadsheets: a `'` before a cell that starts with `=`, `+`,
/// `-`, `@`, a tab, a carriage return or a line feed, also after leading spaces (half- or
/// full-width), and also with the full-width `＝`, `＋`, `－` and `＠` (which Japanese Excel
/// turns into their ASCII forms as it reads them).
///
/// # Examples
/// ```
/// use ltv_core::download::neutralise;
/// assert_eq!(neutralise("=1+1"), "'=1+1");
/// assert_eq!(neutralise(" @SUM(A1)"), "' @SUM(A1)");
/// assert_eq!(neutralise("＝1+2"), "'＝1+2");
/// assert_eq!(neutralise("\t=1"), "'\t=1");
/// assert_eq!(neutralise("taro@example.jp"), "taro@example.jp");
/// assert_eq!(neutralise("a=b"), "a=b");
/// ```
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let first = cell.trim_start_matches([' ', '\u{3000}']).chars().next();
    match first {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{cell}"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// A CSV file being written, record by record.
///
/// # Examples
/// ```
/// use ltv_core::analysis::export::CsvEncoding;
/// use ltv_core::download::{Cell, CsvWriter};
/// let mut csv = CsvWriter::new();
/// csv.header(["顧客", "金額"]);
/// csv.record([Cell::text("=HYPERLINK(\"x\")"), Cell::number(-1200.0)]);
/// let bytes = csv.finish(CsvEncoding::Utf8Bom);
/// assert_eq!(bytes, "\u{FEFF}顧客,金額\r\n\"'=HYPERLINK(\"\"x\"\")\",-1200\r\n".as_bytes());
/// ```
#[derive(Clone, Debug, Default)]
pub struct CsvWriter {
    text: String,
}

impl CsvWriter {
    /// An empty file.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty file with room for about `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> Self {
        CsvWriter {
            text: String::with_capacity(bytes),
        }
    }

    /// A header line (text cells).
    pub fn header<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.record(names.into_iter().map(Cell::text));
    }

    /// One record: every text cell neutralised, quoted when needed, CRLF at the end.
    pub fn record<'a>(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            let cell = cell.written();
            if cell.contains([',', '"', '\r', '\n']) {
                self.text.push('"');
                self.text.push_str(&cell.replace('"', "\"\""));
                self.text.push('"');
            } else {
                self.text.push_str(&cell);
            }
        }
        self.text.push_str("\r\n");
    }

    /// The file as UTF-8 text with a byte order mark (so that Excel opens it as UTF-8).
    pub fn into_utf8_bom(self) -> String {
        let mut out = String::with_capacity(self.text.len() + 3);
        out.push('\u{FEFF}');
        out.push_str(&self.text);
        out
    }

    /// The file's bytes in `encoding`.
    pub fn finish(self, encoding: CsvEncoding) -> Vec<u8> {
        match encoding {
            CsvEncoding::Utf8Bom => self.into_utf8_bom().into_bytes(),
            CsvEncoding::Cp932 => to_cp932(&self.text),
        }
    }
}

/// Windows-31J bytes, `?` for each character it cannot hold.
pub(crate) fn to_cp932(text: &str) -> Vec<u8> {
    let mut encoder = SHIFT_JIS.new_encoder();
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    loop {
        let room = encoder
            .max_buffer_length_from_utf8_without_replacement(rest.len())
            .unwrap_or(rest.len() * 2 + 16);
        out.reserve(room);
        let (result, read) =
            encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return out,
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(_) => out.push(b'?'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_cases() {
        let cases = [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+81 90", "'+81 90"),
            ("-1", "'-1"),
            ("-2+3", "'-2+3"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("  =1", "'  =1"),
            ("\u{3000}＋1", "'\u{3000}＋1"),
            ("－1", "'－1"),
            ("＠a", "'＠a"),
            ("a=b", "a=b"),
            ("山田", "山田"),
            ("  ", "  "),
            ("", ""),
        ];
        for (cell, want) in cases {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn numbers_are_not_guarded() {
        let mut csv = CsvWriter::new();
        csv.record([
            Cell::number(-1200.0),
            Cell::integer(-3i64),
            Cell::text("-1200"),
        ]);
        assert_eq!(csv.into_utf8_bom(), "\u{FEFF}-1200,-3,'-1200\r\n");
    }

    #[test]
    fn cp932_replaces_what_it_cannot_hold() {
        assert_eq!(to_cp932("a😀b"), b"a?b");
        let mut csv = CsvWriter::new();
        csv.header(["髙橋①"]);
        let bytes = csv.finish(CsvEncoding::Cp932);
        let (decoded, _, errors) = SHIFT_JIS.decode(&bytes);
        assert!(!errors);
        assert_eq!(decoded, "髙橋①\r\n");
    }
}
