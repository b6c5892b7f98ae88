//! 区切り: how the text is cut into rows and fields (comma, tab, semicolon, runs of spaces),
//! and whether the first row is a header.

use csv::ByteRecord;
use serde::{Deserialize, Serialize};

use super::values::{parse_amount, parse_date, trim_field};

/// How fields are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delimiter {
    /// カンマ区切り (CSV), with `"` quoting: commas and line breaks may sit inside quotes.
    Comma,
    /// タブ区切り (TSV), also quoted as Excel writes it.
    Tab,
    /// セミコロン区切り.
    Semicolon,
    /// 空白区切り: runs of spaces or tabs, no quoting (the CDNOW files).
    Whitespace,
}

impl Delimiter {
    fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Comma => Some(b','),
            Delimiter::Tab => Some(b'\t'),
            Delimiter::Semicolon => Some(b';'),
            Delimiter::Whitespace => None,
        }
    }
}

/// Rows looked at to guess the layout.
const SNIFF_ROWS: usize = 50;

/// Share of rows that must have the most common width for a delimiter to fit.
const CONSISTENT_SHARE: f64 = 0.8;

/// Guesses the delimiter from the first rows of the text: tab if it cuts the rows into a
/// steady number (≥ 2) of fields, else comma or semicolon (the wider), else runs of spaces,
/// else comma (one column).
pub(crate) fn detect_delimiter(text: &str) -> Delimiter {
    let sample = prefix_lines(text, SNIFF_ROWS * 4);
    let fit = |d: Delimiter| -> Option<usize> {
        let mut widths = Vec::with_capacity(SNIFF_ROWS);
        let mut reader = RecordReader::new(sample, d);
        let mut record = ByteRecord::new();
        while widths.len() < SNIFF_ROWS && reader.next_record(&mut record).is_some() {
            widths.push(record.len());
        }
        // The last row of a cut sample may be cut too.
        if widths.len() > 2 && sample.len() < text.len() {
            widths.pop();
        }
        let mode = mode(&widths)?;
        let share = widths.iter().filter(|&&w| w == mode).count() as f64 / widths.len() as f64;
        (mode >= 2 && share >= CONSISTENT_SHARE).then_some(mode)
    };
    if fit(Delimiter::Tab).is_some() {
        return Delimiter::Tab;
    }
    match (fit(Delimiter::Comma), fit(Delimiter::Semicolon)) {
        (Some(c), Some(s)) if s > c => return Delimiter::Semicolon,
        (Some(_), _) => return Delimiter::Comma,
        (None, Some(_)) => return Delimiter::Semicolon,
        (None, None) => {}
    }
    if fit(Delimiter::Whitespace).is_some() {
        return Delimiter::Whitespace;
    }
    Delimiter::Comma
}

fn mode(widths: &[usize]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for &w in widths {
        let count = widths.iter().filter(|&&x| x == w).count();
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((w, count));
        }
    }
    best.map(|(w, _)| w)
}

/// The text up to the end of its `n`th line (or all of it).
fn prefix_lines(text: &str, n: usize) -> &str {
    let mut end = 0;
    for _ in 0..n {
        match text[end..].find('\n') {
            Some(i) => end += i + 1,
            None => return text,
        }
    }
    &text[..end]
}

/// Whether the first row looks like a header: no field is a date or an amount, and at
/// least one is not blank. (A header such as `2024年売上` is still caught by its name when
/// the caller recognises it.)
pub(crate) fn looks_like_header(first: &ByteRecord) -> bool {
    let mut any = false;
    for field in first.iter() {
        let Ok(field) = std::str::from_utf8(field) else {
            continue;
        };
        let field = trim_field(field);
        if field.is_empty() {
            continue;
        }
        any = true;
        if parse_date(field).is_some() || parse_amount(field).is_some() {
            return false;
        }
    }
    any
}

/// Reads records one at a time into a reused [`ByteRecord`], with the 1-based line each
/// record starts on. Blank lines are skipped (and still counted in line numbers).
pub(crate) struct RecordReader<'a> {
    text: &'a str,
    inner: Inner<'a>,
    delimiter: Delimiter,
    /// Where the CSV reader's input starts in `text` (it restarts after a runaway quote).
    base: usize,
    /// Fields a row should have, once known: a record spanning lines with another width is
    /// a quote that ran away.
    width: Option<usize>,
    /// The last record was a runaway quote (see [`RecordReader::take_runaway`]).
    runaway: bool,
    /// Byte offset and line number of the last place lines were counted up to.
    counted_to: usize,
    line: u64,
}

enum Inner<'a> {
    Csv(csv::Reader<&'a [u8]>),
    Whitespace { pos: usize },
}

impl<'a> RecordReader<'a> {
    pub(crate) fn new(text: &'a str, delimiter: Delimiter) -> Self {
        RecordReader {
            text,
            inner: Self::inner(text, delimiter),
            delimiter,
            base: 0,
            width: None,
            runaway: false,
            counted_to: 0,
            line: 1,
        }
    }

    fn inner(text: &'a str, delimiter: Delimiter) -> Inner<'a> {
        match delimiter.byte() {
            Some(byte) => Inner::Csv(
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(byte)
                    .from_reader(text.as_bytes()),
            ),
            None => Inner::Whitespace { pos: 0 },
        }
    }

    /// The number of fields a row should have: a record that spans several lines with
    /// another width is taken for a runaway quote.
    pub(crate) fn set_width(&mut self, width: usize) {
        self.width = Some(width);
    }

    /// Whether the record just read was a runaway quote: a `"` that opened a field and did
    /// not close where the row should end. Its fields are not to be used; reading has
    /// already moved on to the line after its first.
    pub(crate) fn take_runaway(&mut self) -> bool {
        std::mem::take(&mut self.runaway)
    }

    /// Reads the next record; returns `(line, byte offset)` of its start, or `None` at the end.
    pub(crate) fn next_record(&mut self, record: &mut ByteRecord) -> Option<(u64, usize)> {
        let start = match &mut self.inner {
            Inner::Csv(reader) => {
                // Reading from a byte slice cannot fail, and flexible widths are allowed.
                if !reader.read_byte_record(record).unwrap_or(false) {
                    return None;
                }
                // csv's position points at where it began looking, before skipped blank
                // lines: step over line ends to the record's first byte.
                let reported = self.base + record.position().map_or(0, |p| p.byte() as usize);
                let end = self.base + reader.position().byte() as usize;
                let bytes = self.text.as_bytes();
                let mut start = reported.min(bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                let span = &bytes[start..end.clamp(start, bytes.len())];
                let body = span.strip_suffix(b"\n").unwrap_or(span);
                if body.contains(&b'\n') && self.is_runaway(record, body, end >= bytes.len()) {
                    // Read on from the line after the record's first, quote taken as text.
                    let next_line = start
                        + body
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(body.len(), |i| i + 1);
                    self.base = next_line;
                    self.inner = Self::inner(&self.text[next_line..], self.delimiter);
                    self.runaway = true;
                    record.clear();
                }
                start
            }
            Inner::Whitespace { pos } => loop {
                if *pos >= self.text.len() {
                    return None;
                }
                let rest = &self.text[*pos..];
                let (line, advance) = match rest.find('\n') {
                    Some(i) => (&rest[..i], i + 1),
                    None => (rest, rest.len()),
                };
                let start = *pos;
                *pos += advance;
                let line = line.strip_suffix('\r').unwrap_or(line);
                if line.trim().is_empty() {
                    continue;
                }
                record.clear();
                for field in line.split_whitespace() {
                    record.push_field(field.as_bytes());
                }
                break start;
            },
        };
        Some((self.line_at(start), start))
    }

    /// Whether a record spanning lines is a quote that ran away: an odd number of `"` in a
    /// record that ran to the end of the text (the quote never closed); a width other than
    /// the rows'; or a second line that is itself a whole row (a later stray quote closed
    /// the first, swallowing the rows between). A note written over two lines inside quotes
    /// is none of these.
    fn is_runaway(&self, record: &ByteRecord, body: &[u8], at_end: bool) -> bool {
        let quotes = body.iter().filter(|&&b| b == b'"').count();
        if at_end && quotes % 2 == 1 {
            return true;
        }
        let Some(width) = self.width else {
            return false;
        };
        if record.len() != width {
            return true;
        }
        let second = body
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| &body[i + 1..])
            .map(|rest| rest.split(|&b| b == b'\n').next().unwrap_or(rest));
        match (second, self.delimiter.byte()) {
            (Some(line), Some(delimiter)) => {
                width > 1 && line.iter().filter(|&&b| b == delimiter).count() + 1 == width
            }
            _ => false,
        }
    }

    fn line_at(&mut self, offset: usize) -> u64 {
        if offset > self.counted_to {
            let slice = &self.text.as_bytes()[self.counted_to..offset];
            self.line += slice.iter().filter(|&&b| b == b'\n').count() as u64;
            self.counted_to = offset;
        }
        self.line
    }
}

/// The text of field `i` of a record as written (untrimmed); empty when absent.
pub(crate) fn raw_field(record: &ByteRecord, i: usize) -> &str {
    record
        .get(i)
        .and_then(|f| std::str::from_utf8(f).ok())
        .unwrap_or("")
}

/// The text of field `i` of a record, trimmed; empty when absent.
pub(crate) fn field(record: &ByteRecord, i: usize) -> &str {
    record
        .get(i)
        .and_then(|f| std::str::from_utf8(f).ok())
        .map_or("", trim_field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_detected() {
        let cases: &[(&str, &str, Delimiter)] = &[
            ("comma", "a,b,c\n1,2,3\n4,5,6\n", Delimiter::Comma),
            (
                "comma with quoted commas",
                "a,b\n\"1,200\",x\n\"2,300\",y\n",
                Delimiter::Comma,
            ),
            (
                "tab with commas in amounts",
                "date\tamount\n2024/1/5\t1,200\n2024/1/6\t2,300\n",
                Delimiter::Tab,
            ),
            ("semicolon", "a;b;c\n1;2;3\n", Delimiter::Semicolon),
            (
                "semicolon with decimal commas",
                "a;b;c\n1,5;2,5;3\n4;5;6\n",
                Delimiter::Semicolon,
            ),
            (
                "cdnow",
                " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n",
                Delimiter::Whitespace,
            ),
            (
                "cdnow header",
                "customer_id date number_of_cds dollar_value\r\n 00001 19970101  1   11.77\r\n",
                Delimiter::Whitespace,
            ),
            ("one column", "amount\n100\n200\n", Delimiter::Comma),
        ];
        for &(name, text, expected) in cases {
            assert_eq!(detect_delimiter(text), expected, "{name}");
        }
    }

    #[test]
    fn line_numbers_count_blank_lines_and_breaks_in_quotes() {
        let text = "a,b\r\n\r\n1,\"x\ny\"\r\n\n2,3\n,,\n";
        let mut reader = RecordReader::new(text, Delimiter::Comma);
        let mut record = ByteRecord::new();
        let mut seen = vec![];
        while let Some((line, _)) = reader.next_record(&mut record) {
            seen.push((line, record.len()));
        }
        assert_eq!(seen, vec![(1, 2), (3, 2), (6, 2), (7, 3)]);
    }

    #[test]
    fn whitespace_records_split_runs() {
        let text = "x y\r\n\r\n 1   2 \r\n3\t4";
        let mut reader = RecordReader::new(text, Delimiter::Whitespace);
        let mut record = ByteRecord::new();
        let mut seen = vec![];
        while let Some((line, _)) = reader.next_record(&mut record) {
            seen.push((
                line,
                field(&record, 0).to_string(),
                field(&record, 1).to_string(),
            ));
        }
        assert_eq!(
            seen,
            vec![
                (1, "x".into(), "y".into()),
                (3, "1".into(), "2".into()),
                (4, "3".into(), "4".into()),
            ]
        );
    }

    #[test]
    fn headers_are_told_from_data() {
        let rec = |fields: &[&str]| ByteRecord::from(fields.to_vec());
        assert!(looks_like_header(&rec(&[
            "注文番号",
            "注文日時",
            "合計金額"
        ])));
        assert!(looks_like_header(&rec(&["customer_id", "date"])));
        assert!(!looks_like_header(&rec(&["00004", "0001", "19970101"])));
        assert!(!looks_like_header(&rec(&["ORD-1", "2024/01/05", "a@b.jp"])));
        assert!(!looks_like_header(&rec(&["", ""])));
    }
}
