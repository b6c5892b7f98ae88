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

    /// Where the line that starts at `pos` ends (before its `\n`) and where the next one
    /// starts; `None` at the end of the text.
    #[inline]
    fn line_from(&mut self, pos: usize) -> Option<(usize, usize)> {
        let mut searched = pos;
        loop {
            if let Some(i) = find_break(&self.text.as_bytes()[searched - self.origin..]) {
                let end = searched + i;
                return Some((end, end + 1));
            }
            searched = self.loaded();
            if !self.grow() {
                if pos >= self.loaded() {
                    return None;
                }
                return Some((self.loaded(), self.loaded()));
            }
        }
    }

    /// The text from `from` to `to` (both within the text held, at characters' starts).
    fn text_between(&self, from: usize, to: usize) -> &str {
        &self.text[from - self.origin..to - self.origin]
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

/// Reads records one at a time into a reused [`ByteRecord`], with the 1-based line each
/// record starts on. Blank lines are skipped (and still counted in line numbers).
///
/// The text is read as it comes (see [`Window`]): a record is never taken before its end is
/// in, so a file read piece by piece gives the records, lines and offsets of the whole text,
/// wherever the pieces are cut.
///
/// A CSV line without a `\r` whose fields are unquoted or wholly quoted with no quote inside
/// (most lines of most exports, `"2,980"` included) is cut at its delimiters directly; any
/// other record is read by `csv_core`, whose rules the direct cut follows (see
/// [`cut_plain_line`]).
pub(crate) struct RecordReader<'a> {
    window: Window<'a>,
    /// The whole text's offset of the next byte to read.
    pos: usize,
    /// The CSV reader and its buffers; `None` for fields separated by runs of spaces.
    csv: Option<Box<CsvState>>,
    delimiter: Delimiter,
    /// Fields a row should have, once known: a record spanning lines with another width is
    /// a quote that ran away.
    width: Option<usize>,
    /// The last record was a runaway quote (see [`RecordReader::take_runaway`]).
    runaway: bool,
    /// Byte offset and line number of the last place lines were counted up to.
    counted_to: usize,
    line: u64,
}

/// Where a line is in the text: its start and its end (before its line break).
pub(crate) type LinePlace = (usize, usize);

/// `csv_core`'s reader and what it writes a record into.
struct CsvState {
    core: csv_core::Reader,
    /// The fields' bytes, one after another, and where each ends.
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl<'a> RecordReader<'a> {
    pub(crate) fn new(text: &'a str, delimiter: Delimiter) -> Self {
        Self::over(Window::whole(text), delimiter)
    }

    /// Reads the text of `window`.
    pub(crate) fn over(window: Window<'a>, delimiter: Delimiter) -> Self {
        let csv = delimiter.byte().map(|byte| {
            Box::new(CsvState {
                core: csv_core::ReaderBuilder::new().delimiter(byte).build(),
                out: vec![0; 1024],
                ends: vec![0; 64],
            })
        });
        RecordReader {
            window,
            pos: 0,
            csv,
            delimiter,
            width: None,
            runaway: false,
            counted_to: 0,
            line: 1,
        }
    }

    /// Where the last record read ends (its line break included), as an offset in the text.
    pub(crate) fn end(&self) -> usize {
        self.pos
    }

    /// The bytes of the file read to reach `offset` in the text (the offset itself for a
    /// text that is all there).
    pub(crate) fn bytes_at(&self, offset: usize) -> u64 {
        match &self.window.more {
            Some(feed) => feed.bytes_at(offset),
            None => offset as u64,
        }
    }

    /// Whether a record starting at `offset` starts at or after the mark of a part of a
    /// file read in parallel (see [`TextFeed::mark`]).
    #[inline]
    pub(crate) fn is_past_mark(&self, offset: usize) -> bool {
        self.window.mark.is_some_and(|mark| offset >= mark)
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
        // Nothing before the place lines are counted to (the last record's start or end) is
        // read again.
        self.window.forget_before(self.counted_to);
        if self.csv.is_some() {
            self.next_csv_record(record)
        } else {
            let start = self.next_spaced_record(record)?;
            Some((self.line_at(start), start))
        }
    }

    /// [`Self::next_record`] for the rows of an import: a plain line (see [`cut_plain_line`])
    /// is not copied but cut where it is, its fields' places in the line put in `bounds`, and
    /// the line's place in the text given (read it with [`Self::line_text`] before the next
    /// record is read); any other record is read into `record`, and no place is given.
    pub(crate) fn next_row(
        &mut self,
        record: &mut ByteRecord,
        bounds: &mut Vec<(u32, u32)>,
    ) -> Option<(u64, usize, Option<LinePlace>)> {
        self.window.forget_before(self.counted_to);
        let Some(delimiter) = self.csv.as_ref().and(self.delimiter.byte()) else {
            let start = self.next_spaced_record(record)?;
            return Some((self.line_at(start), start, None));
        };
        match self.next_plain_line(delimiter, bounds)? {
            Some((line, start, end)) => Some((line, start, Some((start, end)))),
            // Not cut again as a plain line: read by `csv_core` from where it starts.
            None => self
                .csv_core_record(record)
                .map(|(line, start)| (line, start, None)),
        }
    }

    /// The text of a line [`Self::next_row`] gave the place of.
    pub(crate) fn line_text(&self, (from, to): LinePlace) -> &str {
        self.window.text_between(from, to)
    }

    /// The next record of fields separated by runs of spaces or tabs; its start.
    fn next_spaced_record(&mut self, record: &mut ByteRecord) -> Option<usize> {
        loop {
            let start = self.pos;
            let (end, next) = self.window.line_from(start)?;
            self.pos = next;
            let line = self.window.text_between(start, end);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            record.clear();
            for field in line.split_whitespace() {
                record.push_field(field.as_bytes());
            }
            return Some(start);
        }
    }

    /// The next line that needs no CSV reader, blank ones skipped: a plain one (see
    /// [`cut_plain_line`]) is cut into `out` and read past, and its number, start and end
    /// (before its line break) given. `Some(None)` when the next record needs the CSV reader
    /// (it is not read); `None` at the end of the text.
    #[inline]
    fn next_plain_line(
        &mut self,
        delimiter: u8,
        out: &mut impl CutFields,
    ) -> Option<Option<(u64, usize, usize)>> {
        loop {
            let start = self.pos;
            let (end, next) = self.window.line_from(start)?;
            let line = self.window.slice(start, end);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                self.pos = next;
                self.count_line(start, end, next);
                continue;
            }
            // A line's places fit in u32 (see the impl of [`CutFields`] for them).
            if line.len() <= u32::MAX as usize && cut_plain_line(line, delimiter, out) {
                let line_end = start + line.len();
                self.pos = next;
                let number = self.line_at(start);
                self.count_line(start, end, next);
                return Some(Some((number, start, line_end)));
            }
            return Some(None);
        }
    }

    /// The next CSV record: the line it starts on and its start.
    fn next_csv_record(&mut self, record: &mut ByteRecord) -> Option<(u64, usize)> {
        let delimiter = self.delimiter.byte().expect("a CSV delimiter");
        // Lines that need no CSV reader: blank ones (skipped) and plain ones.
        if let Some((line, start, _)) = self.next_plain_line(delimiter, record)? {
            return Some((line, start));
        }
        self.csv_core_record(record)
    }

    /// The record at the reading place as `csv_core` reads it, fed the text as it comes: the
    /// line it starts on and its start (after any blank lines, which [`Self::next_plain_line`]
    /// has skipped).
    fn csv_core_record(&mut self, record: &mut ByteRecord) -> Option<(u64, usize)> {
        let csv = self.csv.as_mut().expect("a CSV reader");
        let from = self.pos;
        csv.core.reset();
        let (mut out, mut ends) = (0, 0);
        loop {
            let input = self.window.slice(self.pos, self.window.loaded());
            let (result, read, wrote, ended) =
                csv.core
                    .read_record(input, &mut csv.out[out..], &mut csv.ends[ends..]);
            self.pos += read;
            out += wrote;
            ends += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {
                    // At the end of the text, the next call (with no input) ends the record.
                    self.window.grow();
                }
                csv_core::ReadRecordResult::OutputFull => {
                    let len = csv.out.len() * 2;
                    csv.out.resize(len, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = csv.ends.len() * 2;
                    csv.ends.resize(len, 0);
                }
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => return None,
            }
        }
        record.clear();
        let mut field_start = 0;
        for &field_end in &csv.ends[..ends] {
            record.push_field(&csv.out[field_start..field_end]);
            field_start = field_end;
        }
        // Blank lines before the record were skipped: its first byte is after their breaks.
        let end = self.pos;
        let loaded = self.window.loaded();
        let mut start = from.min(loaded);
        while start < loaded && matches!(self.window.slice(start, start + 1)[0], b'\r' | b'\n') {
            start += 1;
        }
        let span = self.window.slice(start, end.clamp(start, loaded));
        let body = span.strip_suffix(b"\n").unwrap_or(span);
        if body.contains(&b'\n') {
            let body = body.to_vec();
            let at_end = !self.window.goes_on_after(end);
            if self.is_runaway(record, &body, at_end) {
                // Read on from the line after the record's first, quote taken as text.
                self.pos = start
                    + body
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(body.len(), |i| i + 1);
                self.runaway = true;
                record.clear();
            }
        }
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

    /// Counts the line from `start` to `next` (its break ends at `end`, or it has none) as
    /// read, when lines are counted up to its start: the line is not searched again for
    /// breaks (see [`Self::line_at`]).
    #[inline]
    fn count_line(&mut self, start: usize, end: usize, next: usize) {
        if self.counted_to == start {
            self.counted_to = next;
            self.line += u64::from(next > end);
        }
    }

    fn line_at(&mut self, offset: usize) -> u64 {
        if offset > self.counted_to {
            let slice = self.window.slice(self.counted_to, offset);
            self.line += count_breaks(slice);
            self.counted_to = offset;
        }
        self.line
    }
}

/// Cuts `line` (without its line break) into `record`'s fields at `delimiter` as `csv_core`
/// reads them, for the lines that need none of its states: no `\r` in the line (a lone
/// `\r` ends a record there), and every field either unquoted (any `"` in it is text, as
/// `csv_core` takes it) or wrapped in quotes with none inside (`"2,980"` is read as `2,980`).
/// For any other line (a doubled quote, text after a closing quote, a quote that does not
/// close on the line), `false`, and `record` is to be filled again.
#[inline]
fn cut_plain_line(line: &[u8], delimiter: u8, record: &mut impl CutFields) -> bool {
    record.clear();
    let mut at = 0;
    loop {
        if line.get(at) == Some(&b'"') {
            let inside = &line[at + 1..];
            let Some(close) = memchr::memchr(b'"', inside) else {
                return false;
            };
            if inside[..close].contains(&b'\r') {
                return false;
            }
            let after = at + 1 + close + 1;
            match line.get(after) {
                None => {
                    record.push(line, at + 1, at + 1 + close);
                    return true;
                }
                Some(&next) if next == delimiter => {
                    record.push(line, at + 1, at + 1 + close);
                    at = after + 1;
                }
                Some(_) => return false,
            }
        } else {
            // Fields are short: a plain loop finds their end sooner than a search set up for
            // each, and looks for a `\r` on the way.
            let end = line[at..]
                .iter()
                .position(|&b| b == delimiter || b == b'\r')
                .map_or(line.len(), |i| at + i);
            if line.get(end) == Some(&b'\r') {
                return false;
            }
            record.push(line, at, end);
            if end == line.len() {
                return true;
            }
            at = end + 1;
        }
    }
}

/// The line breaks (`\n`) in `bytes`. Eight bytes at a time: WebAssembly without its vector
/// instructions would otherwise compare them one by one, and the import counts the breaks
/// of every piece of a file it reads.
pub(crate) fn count_breaks(bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    let mut count = 0u64;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        count += u64::from(break_marks(word).count_ones());
    }
    count + words.remainder().iter().filter(|&&b| b == b'\n').count() as u64
}

/// The first line break (`\n`) in `bytes`, eight bytes at a time as [`count_breaks`] counts
/// them (a line of an export is a few dozen bytes: a general search sets up for longer).
#[inline]
pub(crate) fn find_break(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let breaks = break_marks(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        if breaks != 0 {
            // Little-endian: the lowest marked byte is the first.
            return Some(at + breaks.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| at + i)
}

/// The high bit of each byte of `word` that is a line break, and no other bit. With `x` the
/// word's bytes less `\n` (0 where a break is), a byte's high bit after adding 0x7F to its
/// low seven and or-ing in the byte itself is set exactly when the byte of `x` is not 0, and
/// no carry crosses into the next byte.
#[inline]
fn break_marks(word: u64) -> u64 {
    let x = word ^ BREAKS;
    !(((x & LOW_SEVEN) + LOW_SEVEN) | x) & !LOW_SEVEN
}

/// `\n` in every byte of a word.
const BREAKS: u64 = u64::from_ne_bytes([b'\n'; 8]);
/// The low seven bits of every byte of a word.
const LOW_SEVEN: u64 = u64::from_ne_bytes([0x7F; 8]);

/// Where [`cut_plain_line`] puts a line's fields: copied into a record, or their places
/// noted.
pub(crate) trait CutFields {
    fn clear(&mut self);
    /// The field `line[from..to]`.
    fn push(&mut self, line: &[u8], from: usize, to: usize);
}

impl CutFields for ByteRecord {
    fn clear(&mut self) {
        ByteRecord::clear(self);
    }
    #[inline]
    fn push(&mut self, line: &[u8], from: usize, to: usize) {
        self.push_field(&line[from..to]);
    }
}

impl CutFields for Vec<(u32, u32)> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
    #[inline]
    fn push(&mut self, _line: &[u8], from: usize, to: usize) {
        // Within a line [`RecordReader::next_row`] has checked fits in u32.
        Vec::push(self, (from as u32, to as u32));
    }
}

/// A row's fields as places in its text, which is not copied: a plain line where the reader
/// holds it ([`RecordReader::next_row`]), or a record read into a [`StringRecord`].
pub(crate) struct Row<'t> {
    text: &'t str,
    bounds: &'t [(u32, u32)],
}

impl<'t> Row<'t> {
    /// Fields `text[from..to]` for each of `bounds`.
    pub(crate) fn new(text: &'t str, bounds: &'t [(u32, u32)]) -> Self {
        Row { text, bounds }
    }

    /// The fields of `record`, their places put in `bounds`.
    pub(crate) fn of(record: &'t StringRecord, bounds: &'t mut Vec<(u32, u32)>) -> Self {
        bounds.clear();
        bounds.extend((0..record.len()).filter_map(|i| {
            let range = record.range(i)?;
            Some((range.start as u32, range.end as u32))
        }));
        Row {
            text: record.as_slice(),
            bounds,
        }
    }

    /// How many fields the row has.
    pub(crate) fn len(&self) -> usize {
        self.bounds.len()
    }
}

impl Fields for Row<'_> {
    /// Cut at ASCII delimiters and quotes, a field of UTF-8 text is UTF-8: `None` only
    /// when absent.
    #[inline]
    fn text(&self, i: usize) -> Option<&str> {
        let &(from, to) = self.bounds.get(i)?;
        self.text.get(from as usize..to as usize)
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

    /// The records of `text` as the `csv` crate alone reads it (no runaway quotes).
    fn csv_records(text: &str, delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        reader
            .byte_records()
            .map(|r| r.expect("text reads").iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    fn text_of(pieces: &[usize], alphabet: &[&str]) -> String {
        pieces
            .iter()
            .map(|&i| alphabet[i % alphabet.len()])
            .collect()
    }

    const PIECES: &[&str] = &[
        "a", "b", ",", ",", "\"", "\"", "\r", "\n", "\n", " ", "\t", "顧客",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// A line cut directly gives the fields `csv_core` gives; a line it does not cut has a
        /// quote or a `\r` (a doubled quote, text after a closing quote, a quote left open).
        #[test]
        fn a_plain_line_is_cut_as_csv_reads_it(
            pieces in proptest::collection::vec(0usize..64, 0..24),
            tab in proptest::bool::ANY,
        ) {
            let line = text_of(&pieces, PIECES).replace('\n', "");
            let delimiter = if tab { b'\t' } else { b',' };
            let mut record = ByteRecord::new();
            if cut_plain_line(line.as_bytes(), delimiter, &mut record) {
                let fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
                let expected = csv_records(&line, delimiter);
                if line.is_empty() {
                    proptest::prop_assert!(expected.is_empty());
                } else {
                    proptest::prop_assert_eq!(vec![fields], expected, "{:?}", line);
                }
            } else {
                proptest::prop_assert!(line.contains('"') || line.contains('\r'), "{:?}", line);
            }
        }

        /// The records read are the `csv` crate's, whatever mix of plain lines, quoted
        /// fields, blank lines and line ends, wherever no record spans lines (where a quote
        /// that runs away is told apart, which `csv` does not do).
        #[test]
        fn records_are_read_as_csv_reads_them(
            pieces in proptest::collection::vec(0usize..64, 0..80),
        ) {
            let text = text_of(&pieces, PIECES);
            let expected = csv_records(&text, b',');
            let spans_lines = expected.iter().flatten().any(|f| f.contains(&b'\n'));
            let mut reader = RecordReader::new(&text, Delimiter::Comma);
            let mut record = ByteRecord::new();
            let mut seen = vec![];
            while reader.next_record(&mut record).is_some() {
                seen.push(record.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
            }
            if !spans_lines {
                proptest::prop_assert_eq!(seen, expected, "{:?}", text);
            }
        }
    }

    proptest::proptest! {
        /// An import's rows, plain lines read where the reader holds them, are the records
        /// [`RecordReader::next_record`] reads: the same lines, places and fields (as text,
        /// through [`Row`]), and the same quotes taken for runaways.
        #[test]
        fn rows_are_the_records_read(
            pieces in proptest::collection::vec(0usize..64, 0..80),
            tab in proptest::bool::ANY,
        ) {
            let text = text_of(&pieces, PIECES);
            let delimiter = if tab { Delimiter::Tab } else { Delimiter::Comma };
            let mut reader = RecordReader::new(&text, delimiter);
            let mut record = ByteRecord::new();
            let mut records = vec![];
            while let Some((line, offset)) = reader.next_record(&mut record) {
                let fields: Vec<String> = (0..record.len())
                    .map(|i| raw_field(&record, i).to_string())
                    .collect();
                records.push((line, offset, reader.take_runaway(), fields));
            }
            let mut reader = RecordReader::new(&text, delimiter);
            let (mut record, mut bounds) = (ByteRecord::new(), vec![]);
            let mut rows = vec![];
            while let Some((line, offset, plain)) = reader.next_row(&mut record, &mut bounds) {
                let fields: Vec<String> = match plain {
                    Some(place) => {
                        let row = Row::new(reader.line_text(place), &bounds);
                        (0..row.len()).map(|i| raw_field(&row, i).to_string()).collect()
                    }
                    None => {
                        let text = StringRecord::from_byte_record(record.clone()).unwrap();
                        let mut bounds = vec![];
                        let row = Row::of(&text, &mut bounds);
                        (0..row.len()).map(|i| raw_field(&row, i).to_string()).collect()
                    }
                };
                rows.push((line, offset, reader.take_runaway(), fields));
            }
            proptest::prop_assert_eq!(rows, records, "{:?}", text);
        }
    }

    proptest::proptest! {
        /// The breaks counted (and the first found) eight bytes at a time are the breaks,
        /// whatever the bytes around them (every value, breaks side by side, at the ends, any
        /// length and start).
        #[test]
        fn breaks_are_counted_as_one_by_one(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b'\n'),
                    proptest::strategy::Just(b'\r'),
                    proptest::strategy::Just(0u8),
                    proptest::strategy::Just(0x8Au8),
                    proptest::num::u8::ANY,
                ],
                0..200,
            ),
        ) {
            let one_by_one = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            proptest::prop_assert_eq!(count_breaks(&bytes), one_by_one);
            for from in 0..bytes.len().min(9) {
                let first = bytes[from..].iter().position(|&b| b == b'\n');
                proptest::prop_assert_eq!(find_break(&bytes[from..]), first);
            }
        }
    }

    /// The lines of Japanese exports that quote amounts with thousands separators (or every
    /// field) are cut directly; a doubled quote is left to `csv_core`.
    #[test]
    fn quoted_amounts_are_cut_directly() {
        let mut record = ByteRecord::new();
        let line = "ORD-1,2024/12/31 23:59,\"2,980\",\"\\4,320\",,伊藤 真由美";
        assert!(cut_plain_line(line.as_bytes(), b',', &mut record));
        let fields: Vec<&[u8]> = record.iter().collect();
        let expected: [&[u8]; 6] = [
            b"ORD-1",
            b"2024/12/31 23:59",
            b"2,980",
            b"\\4,320",
            b"",
            "伊藤 真由美".as_bytes(),
        ];
        assert_eq!(fields, expected);
        assert!(!cut_plain_line(b"1,\"a \"\"b\"\"\",2", b',', &mut record));
        assert!(!cut_plain_line(b"1,\"open", b',', &mut record));
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
