//! 区切り: how the text is cut into rows and fields (comma, tab, semicolon, runs of spaces),
//! and whether the first row is a header.

use std::borrow::Cow;

use csv::{ByteRecord, StringRecord};
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

/// Whether `text`, the start of a longer text, holds all that [`detect_delimiter`] looks
/// at: its answer on `text` is then its answer on the whole.
pub(crate) fn delimiter_sample_is_in(text: &str) -> bool {
    prefix_lines(text, SNIFF_ROWS * 4).len() < text.len()
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

/// More text for a [`RecordReader`] reading a file piece by piece.
pub(crate) trait TextFeed {
    /// Appends the next piece of text to `out`; `false` when there is no more (the end of
    /// the file, or a failure the feed keeps).
    fn feed(&mut self, out: &mut String) -> bool;

    /// The bytes of the file read to reach `offset` in its text (about: for progress).
    fn bytes_at(&self, offset: usize) -> u64;

    /// For a part of a file read in parallel: the offset in the text where the next part
    /// starts, once the text has reached it.
    fn mark(&self) -> Option<usize> {
        None
    }
}

/// The text a [`RecordReader`] reads: all of it, or a window onto a file read piece by
/// piece that holds from the last record read to as far as the file has been decoded.
/// Offsets are the whole text's.
pub(crate) struct Window<'a> {
    text: Cow<'a, str>,
    /// The whole text's offset of `text`'s first byte.
    origin: usize,
    /// The whole text's offset of the next byte handed to the CSV reader.
    cursor: usize,
    /// Where more text comes from (`None`: the text is all there).
    more: Option<&'a mut dyn TextFeed>,
    /// The feed has no more.
    ended: bool,
    /// The feed's mark (see [`TextFeed::mark`]), once reached.
    mark: Option<usize>,
}

/// Text before the last record read is dropped once it is this long and half the window.
const WINDOW_KEEP: usize = 1 << 20;

impl<'a> Window<'a> {
    /// Reads text that is all there.
    fn whole(text: &'a str) -> Self {
        Window {
            text: Cow::Borrowed(text),
            origin: 0,
            cursor: 0,
            more: None,
            ended: true,
            mark: None,
        }
    }

    /// Reads `start`, the text decoded so far, then what `more` feeds.
    pub(crate) fn streaming(start: String, more: &'a mut dyn TextFeed) -> Self {
        Window {
            text: Cow::Owned(start),
            origin: 0,
            cursor: 0,
            // The start may already have reached the mark.
            mark: more.mark(),
            more: Some(more),
            ended: false,
        }
    }

    /// The offset where the text held ends.
    fn loaded(&self) -> usize {
        self.origin + self.text.len()
    }

    /// Takes in the next piece of text; `false` when there is no more.
    fn grow(&mut self) -> bool {
        let Some(more) = self.more.as_mut().filter(|_| !self.ended) else {
            return false;
        };
        let text = self.text.to_mut();
        let before = text.len();
        let mut fed = true;
        while text.len() == before {
            if !more.feed(text) {
                self.ended = true;
                fed = text.len() > before;
                break;
            }
        }
        if self.mark.is_none() {
            self.mark = more.mark();
        }
        fed
    }

    /// Whether the text goes on after `offset`.
    fn goes_on_after(&mut self, offset: usize) -> bool {
        while offset >= self.loaded() {
            if !self.grow() {
                return false;
            }
        }
        true
    }

    /// The bytes from `from` to `to` (both within the text held).
    fn slice(&self, from: usize, to: usize) -> &[u8] {
        &self.text.as_bytes()[from - self.origin..to - self.origin]
    }

    /// The line that starts at `pos` (without its `\n`), and where the next one starts;
    /// `None` at the end of the text.
    fn line_from(&mut self, pos: usize) -> Option<(&str, usize)> {
        let mut searched = pos;
        let end = loop {
            if let Some(i) = self.text.as_bytes()[searched - self.origin..]
                .iter()
                .position(|&b| b == b'\n')
            {
                break searched + i + 1;
            }
            searched = self.loaded();
            if !self.grow() {
                if pos >= self.loaded() {
                    return None;
                }
                break self.loaded();
            }
        };
        let text = &self.text[pos - self.origin..end - self.origin];
        Some((text.strip_suffix('\n').unwrap_or(text), end))
    }

    /// Drops the text before `offset` when that is worth a copy.
    fn forget_before(&mut self, offset: usize) {
        let dead = offset.saturating_sub(self.origin);
        if dead < WINDOW_KEEP || dead * 2 < self.text.len() || !self.text.is_char_boundary(dead) {
            return;
        }
        match &mut self.text {
            Cow::Borrowed(text) => *text = &text[dead..],
            Cow::Owned(text) => {
                text.drain(..dead);
            }
        }
        self.origin += dead;
    }
}

impl std::io::Read for Window<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cursor >= self.loaded() && !self.goes_on_after(self.cursor) {
            return Ok(0);
        }
        let from = self.cursor - self.origin;
        let n = buf.len().min(self.text.len() - from);
        buf[..n].copy_from_slice(&self.text.as_bytes()[from..from + n]);
        self.cursor += n;
        Ok(n)
    }
}

/// Reads records one at a time into a reused [`ByteRecord`], with the 1-based line each
/// record starts on. Blank lines are skipped (and still counted in line numbers).
///
/// The text is read as it comes (see [`Window`]): a record is never taken before its end is
/// in, so a file read piece by piece gives the records, lines and offsets of the whole text,
/// wherever the pieces are cut.
pub(crate) struct RecordReader<'a> {
    inner: Inner<'a>,
    delimiter: Delimiter,
    /// Where the CSV reader's input starts in the text (it restarts after a runaway quote).
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
    Csv(csv::Reader<Window<'a>>),
    Whitespace {
        window: Window<'a>,
        pos: usize,
    },
    /// Only while the CSV reader is being replaced.
    Gone,
}

/// The CSV reader's buffer: the text is handed over this many bytes at a time.
const CSV_BUFFER: usize = 64 * 1024;

impl<'a> RecordReader<'a> {
    pub(crate) fn new(text: &'a str, delimiter: Delimiter) -> Self {
        Self::over(Window::whole(text), delimiter)
    }

    /// Reads the text of `window`.
    pub(crate) fn over(window: Window<'a>, delimiter: Delimiter) -> Self {
        RecordReader {
            inner: Self::inner(window, delimiter),
            delimiter,
            base: 0,
            width: None,
            runaway: false,
            counted_to: 0,
            line: 1,
        }
    }

    fn inner(window: Window<'a>, delimiter: Delimiter) -> Inner<'a> {
        match delimiter.byte() {
            Some(byte) => Inner::Csv(
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(byte)
                    .buffer_capacity(CSV_BUFFER)
                    .from_reader(window),
            ),
            None => {
                let pos = window.cursor;
                Inner::Whitespace { window, pos }
            }
        }
    }

    fn window(&self) -> &Window<'a> {
        match &self.inner {
            Inner::Csv(reader) => reader.get_ref(),
            Inner::Whitespace { window, .. } => window,
            Inner::Gone => unreachable!("the reader is always put back"),
        }
    }

    fn window_mut(&mut self) -> &mut Window<'a> {
        match &mut self.inner {
            Inner::Csv(reader) => reader.get_mut(),
            Inner::Whitespace { window, .. } => window,
            Inner::Gone => unreachable!("the reader is always put back"),
        }
    }

    /// Where the last record read ends (its line break included), as an offset in the text.
    pub(crate) fn end(&self) -> usize {
        match &self.inner {
            Inner::Csv(reader) => self.base + reader.position().byte() as usize,
            Inner::Whitespace { pos, .. } => *pos,
            Inner::Gone => unreachable!("the reader is always put back"),
        }
    }

    /// The bytes of the file read to reach `offset` in the text (the offset itself for a
    /// text that is all there).
    pub(crate) fn bytes_at(&self, offset: usize) -> u64 {
        match &self.window().more {
            Some(feed) => feed.bytes_at(offset),
            None => offset as u64,
        }
    }

    /// Whether a record starting at `offset` starts at or after the mark of a part of a
    /// file read in parallel (see [`TextFeed::mark`]).
    #[inline]
    pub(crate) fn is_past_mark(&self, offset: usize) -> bool {
        self.window().mark.is_some_and(|mark| offset >= mark)
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
        // Nothing before the last record's start is read again.
        let counted_to = self.counted_to;
        self.window_mut().forget_before(counted_to);
        let start = match &mut self.inner {
            Inner::Csv(reader) => {
                // A read error is the feed's failure, which the caller learns from the feed.
                if !reader.read_byte_record(record).unwrap_or(false) {
                    return None;
                }
                // csv's position points at where it began looking, before skipped blank
                // lines: step over line ends to the record's first byte.
                let reported = self.base + record.position().map_or(0, |p| p.byte() as usize);
                let end = self.base + reader.position().byte() as usize;
                let window = reader.get_mut();
                let loaded = window.loaded();
                let mut start = reported.min(loaded);
                while start < loaded && matches!(window.slice(start, start + 1)[0], b'\r' | b'\n') {
                    start += 1;
                }
                let span = window.slice(start, end.clamp(start, loaded));
                let body = span.strip_suffix(b"\n").unwrap_or(span);
                if body.contains(&b'\n') {
                    let body = body.to_vec();
                    let at_end = !reader.get_mut().goes_on_after(end);
                    if self.is_runaway(record, &body, at_end) {
                        // Read on from the line after the record's first, quote taken as text.
                        let next_line = start
                            + body
                                .iter()
                                .position(|&b| b == b'\n')
                                .map_or(body.len(), |i| i + 1);
                        let Inner::Csv(reader) = std::mem::replace(&mut self.inner, Inner::Gone)
                        else {
                            unreachable!("read as CSV just now")
                        };
                        let mut window = reader.into_inner();
                        window.cursor = next_line;
                        self.base = next_line;
                        self.inner = Self::inner(window, self.delimiter);
                        self.runaway = true;
                        record.clear();
                    }
                }
                start
            }
            Inner::Whitespace { window, pos } => loop {
                let start = *pos;
                let (line, next) = window.line_from(start)?;
                let line = line.strip_suffix('\r').unwrap_or(line);
                if line.trim().is_empty() {
                    *pos = next;
                    continue;
                }
                record.clear();
                for field in line.split_whitespace() {
                    record.push_field(field.as_bytes());
                }
                *pos = next;
                break start;
            },
            Inner::Gone => unreachable!("the reader is always put back"),
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
            let slice = self.window().slice(self.counted_to, offset);
            self.line += slice.iter().filter(|&&b| b == b'\n').count() as u64;
            self.counted_to = offset;
        }
        self.line
    }
}

/// A record whose fields are read as text.
pub(crate) trait Fields {
    /// Field `i` as text; `None` when absent (or not UTF-8).
    fn text(&self, i: usize) -> Option<&str>;
}

impl Fields for ByteRecord {
    /// Checked field by field.
    fn text(&self, i: usize) -> Option<&str> {
        self.get(i).and_then(|f| std::str::from_utf8(f).ok())
    }
}

impl Fields for StringRecord {
    /// Checked once for the whole record, when it was made: the rows' way (a check a field
    /// was a tenth of the time a row took).
    fn text(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
}

/// The text of field `i` of a record as written (untrimmed); empty when absent.
pub(crate) fn raw_field(record: &impl Fields, i: usize) -> &str {
    record.text(i).unwrap_or("")
}

/// The text of field `i` of a record, trimmed; empty when absent.
pub(crate) fn field(record: &impl Fields, i: usize) -> &str {
    record.text(i).map_or("", trim_field)
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
