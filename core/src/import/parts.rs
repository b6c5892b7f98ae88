//! 分割読み込み: a file read as parts, side by side (one per core), whose rows joined in
//! the file's order give what one reading of the whole file gives: the same table and the
//! same report, line numbers included.
//!
//! Part `k` of `n` starts just after the first line break at or after `k/n` of the file's
//! bytes (part 0 at the file's start) and ends where part `k + 1` starts: its *mark*. A line
//! break in Shift_JIS or UTF-8 is always the byte `\n`, never part of another character, so
//! the decoder starts afresh there. A line break may still lie inside a quoted field (a note
//! written over two lines): part `k` therefore reads on past its mark to the end of the record
//! it is in, and tells whether its last record ended at the mark ([`ImportPart`]'s
//! `ends_at_record`). Part `k` starts at a record (part 0 does, and each next one is checked
//! by the one before), so its records are the whole reading's until that record. When a
//! part's last record runs past its mark, the parts after it were cut inside a record: the
//! rest of the file is read again from that part's start, as one part ([`join_parts`]).
//!
//! Each part interns its customer keys, order numbers and products in its own order of first
//! appearance. Joined, the later part's are interned again in that order after the earlier
//! part's, which gives each the id a single reading gives it.
//!
//! UTF-16 is not cut (its line break is two bytes, and a `\n` byte may be half of another
//! character): part 0 reads such a file whole and the other parts are empty.

use std::ops::Range;

use super::identity::Texts;
use super::source::{Feed, Undecodable};
use super::*;

/// One part of a file read in parallel ([`read_part`]), to be joined with the others
/// ([`join_parts`]).
pub struct ImportPart {
    /// The file's length.
    total: u64,
    /// Where the part starts: 0, or just after a line break.
    start: u64,
    /// Where the next part starts; `None`: the part reaches the end of the file.
    mark: Option<u64>,
    encoding: TextEncoding,
    setup: Setup,
    map: ColumnMap,
    reading: Reading,
    /// The last record read ended at or before the mark, so the next part started at a
    /// record's start (always so without a mark).
    ends_at_record: bool,
    /// Line breaks from the start to the mark.
    breaks: u64,
    /// The undecodable characters from the start to the mark (to the end without one).
    undecodable: Undecodable,
}

impl std::fmt::Debug for ImportPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportPart")
            .field("bytes", &(self.start..self.mark.unwrap_or(self.total)))
            .field("rows_read", &self.reading.rows_read)
            .field("ends_at_record", &self.ends_at_record)
            .finish()
    }
}

impl ImportPart {
    /// The bytes of the file the part reads.
    pub fn bytes(&self) -> Range<u64> {
        self.start..self.mark.unwrap_or(self.total)
    }

    /// The rows the part read.
    pub fn rows_read(&self) -> u64 {
        self.reading.rows_read
    }

    /// What a later part hands over to be joined after the first: its rows, and its keys,
    /// order numbers and products as texts (the settings are the first part's).
    pub fn into_rows(self) -> PartRows {
        let reading = self.reading;
        PartRows {
            start: self.start,
            mark: self.mark,
            ends_at_record: self.ends_at_record,
            breaks: self.breaks,
            undecodable: self.undecodable,
            rows: reading.rows,
            extras: reading.extras,
            rows_without_order: reading.rows_without_order,
            rows_read: reading.rows_read,
            rejected: reading.rejected,
            keys: reading.keys.into_raw_texts(),
            order_ids: reading.order_ids.into_texts(),
            products: reading.products.into_texts(),
            evidence: reading.evidence,
            statuses: reading.statuses,
            placeholders: reading.placeholders,
        }
    }
}

/// A part after the first, as it is handed over (from another worker) to be joined:
/// [`ImportPart::into_rows`].
///
/// It goes in two halves. Its serde form carries the small things (texts, counts, the
/// rejected rows) and leaves out the long columns, one value a row: those go beside it as
/// the bytes their values lie in memory, a piece at a time ([`PartRows::column_lens`],
/// [`PartRows::write_column`], [`PartRows::read_columns`]), so that neither side holds a
/// second whole copy of them.
#[derive(Serialize, Deserialize)]
pub struct PartRows {
    start: u64,
    mark: Option<u64>,
    ends_at_record: bool,
    breaks: u64,
    undecodable: Undecodable,
    rows: Rows,
    /// Long columns only: handed over beside the serde form.
    #[serde(skip)]
    extras: RowExtras,
    rows_without_order: usize,
    rows_read: u64,
    rejected: Vec<RejectedRow>,
    /// The raw customer keys, by id.
    keys: Texts,
    order_ids: Texts,
    products: Texts,
    evidence: DateEvidence,
    statuses: Vec<StatusValue>,
    placeholders: Vec<String>,
}

impl std::fmt::Debug for PartRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartRows")
            .field("start", &self.start)
            .field("mark", &self.mark)
            .field("rows_read", &self.rows_read)
            .field("ends_at_record", &self.ends_at_record)
            .finish()
    }
}

impl PartRows {
    /// The rows the part read.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// The long columns, in the order they are handed over.
    fn columns(&self) -> [&dyn flat::Column; PART_COLUMNS] {
        let (rows, extras) = (&self.rows, &self.extras);
        [
            &rows.data,
            &rows.guests,
            &extras.charges,
            &extras.quantities,
            &extras.emails,
            &extras.orders,
            &extras.products,
            &extras.statuses,
        ]
    }

    /// [`PartRows::columns`], to be filled.
    fn columns_mut(&mut self) -> [&mut dyn flat::Column; PART_COLUMNS] {
        let (rows, extras) = (&mut self.rows, &mut self.extras);
        [
            &mut rows.data,
            &mut rows.guests,
            &mut extras.charges,
            &mut extras.quantities,
            &mut extras.emails,
            &mut extras.orders,
            &mut extras.products,
            &mut extras.statuses,
        ]
    }

    /// The byte length of each long column, in the order they are handed over.
    pub fn column_lens(&self) -> [usize; PART_COLUMNS] {
        self.columns().map(|column| column.byte_len())
    }

    /// Writes long column `k` (`k < PART_COLUMNS`) as its values' bytes in memory, in pieces of
    /// about `piece` bytes, each given to `write` with its offset in the column.
    pub fn write_column(&self, k: usize, piece: usize, write: &mut dyn FnMut(usize, &[u8])) {
        if let Some(column) = self.columns().get(k) {
            column.write(piece, write);
        }
    }

    /// Fills the long columns, left out of the serde form, from their bytes: `lens` as
    /// [`PartRows::column_lens`] gave them, and `read(k, offset, out)` filling `out` with
    /// column `k`'s bytes from `offset` on (at most `piece` bytes at a time). `false` when a
    /// length does not fit the part (a column not of whole values, or not one value a row):
    /// the columns are then left empty.
    pub fn read_columns(
        &mut self,
        lens: [usize; PART_COLUMNS],
        piece: usize,
        read: &mut dyn FnMut(usize, usize, &mut [u8]),
    ) -> bool {
        let mut columns = self.columns_mut();
        let size = |k: usize| columns[k].value_size();
        // Column 0 holds the rows: one value a row (or none) in the others but the guest bits,
        // one a row as far as the last guest.
        let rows = lens[0] / size(0);
        let fits = lens.iter().enumerate().all(|(k, &len)| len % size(k) == 0)
            && lens[1] <= rows.div_ceil(64) * size(1)
            && (2..PART_COLUMNS).all(|k| lens[k] == 0 || lens[k] == rows * size(k));
        if !fits {
            return false;
        }
        for (k, column) in columns.iter_mut().enumerate() {
            column.fill(lens[k], piece, &mut |at, out| read(k, at, out));
        }
        true
    }
}

/// The long columns of a [`PartRows`] handed over beside its serde form.
pub const PART_COLUMNS: usize = 8;

/// Reads part `index` of `count` of a file ([`CHUNK_BYTES`] at a time), on its own: with
/// the settings read from the file's start, as every part reads them. `progress` is told the
/// bytes of the part read, out of the part's; returning `false` cancels.
pub fn read_part(
    source: &mut dyn ByteSource,
    options: &ImportOptions,
    index: usize,
    count: usize,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ImportPart, ImportError> {
    let count = count.max(1);
    let total = source.len();
    let nominal = |k: usize| (u128::from(total) * k as u128 / count as u128) as u64;
    let unreadable = || ImportError::from(ImportErrorKind::Cancelled);
    let start = match index {
        0 => 0,
        k => line_after(source, nominal(k)).ok_or_else(unreadable)?,
    };
    let mark = if index + 1 >= count {
        None
    } else {
        Some(line_after(source, nominal(index + 1)).ok_or_else(unreadable)?)
    };
    read_cut(source, CHUNK_BYTES, options, start, mark, progress)
}

/// [`read_part`] from `start` to `mark`, `chunk` bytes at a time.
pub(super) fn read_cut(
    source: &mut dyn ByteSource,
    chunk: usize,
    options: &ImportOptions,
    start: u64,
    mark: Option<u64>,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ImportPart, ImportError> {
    let end = mark.unwrap_or(source.len());
    let mut report_progress = |done: u64| -> Result<(), ImportError> {
        let part = Progress {
            bytes_done: done.clamp(start, end.max(start)) - start,
            bytes_total: end.saturating_sub(start),
        };
        if progress(part) {
            Ok(())
        } else {
            Err(ImportErrorKind::Cancelled.into())
        }
    };
    report_progress(start)?;
    read_range(source, chunk, options, start, mark, &mut report_progress)
}

/// The offset just after the first line break at or after `from` (the file's length when
/// there is none); `None` when the source fails.
fn line_after(source: &mut dyn ByteSource, from: u64) -> Option<u64> {
    const LOOK: u64 = 64 * 1024;
    let total = source.len();
    let mut at = from.min(total);
    while at < total {
        let bytes = source.read(at..(at + LOOK).min(total))?;
        if bytes.is_empty() {
            return None;
        }
        if let Some(i) = bytes.iter().position(|&b| b == b'\n') {
            return Some(at + i as u64 + 1);
        }
        at += bytes.len() as u64;
    }
    Some(total)
}

/// The pieces a later part reads the file's start in, for its settings.
const HEAD_CHUNK: usize = 64 * 1024;

/// Reads the records of the file from `start` (0, or just after a line break) to `mark`
/// (`None`: to the end), and the one record that crosses it. `report_progress` is told the
/// file's bytes read.
pub(super) fn read_range(
    source: &mut dyn ByteSource,
    chunk: usize,
    options: &ImportOptions,
    start: u64,
    mark: Option<u64>,
    report_progress: &mut dyn FnMut(u64) -> Result<(), ImportError>,
) -> Result<ImportPart, ImportError> {
    let total = source.len();
    let unreadable = || ImportError::from(ImportErrorKind::Cancelled);
    // Every part reads the settings from the file's start. Part 0 reads on from there;
    // the others start afresh at their own start.
    // A later part reads the start in small pieces: it needs the settings, not the rows.
    let head_chunk = if start == 0 {
        chunk
    } else {
        chunk.min(HEAD_CHUNK)
    };
    let mut head = Feed::part(source, head_chunk, 0, if start == 0 { mark } else { None });
    let Start {
        encoding,
        setup,
        map,
        text,
    } = read_start(&mut head, options)?;
    let head_bytes = head.bytes_read();
    // UTF-16 is read whole by part 0; the other parts are empty.
    let (start, mark) = match (encoding, start) {
        (TextEncoding::Utf16Le, 0) => {
            head.forget_mark();
            (0, None)
        }
        (TextEncoding::Utf16Le, _) => (total, None),
        _ => (start, mark),
    };
    let empty = |setup, map| ImportPart {
        total,
        start,
        mark,
        encoding,
        setup,
        map,
        reading: Reading::default(),
        ends_at_record: true,
        breaks: 0,
        undecodable: Undecodable::default(),
    };
    if start >= total {
        return Ok(empty(setup, map));
    }
    // The rows to expect: the lines of the start's text, for the share of the file the
    // part is, and a little more: a table that outgrows its room is copied into one twice the
    // size. Part 0 of several is joined with the rest: its table is sized for the whole file,
    // so that the joined rows are not copied into a larger one.
    let lines_so_far = count_breaks(text.as_bytes()) as usize;
    let part_bytes = if start == 0 {
        total
    } else {
        mark.unwrap_or(total) - start
    };
    let expected_lines = if start == 0 && head_bytes >= total {
        lines_so_far
    } else {
        let per_byte = lines_so_far.max(1) as f64 / head_bytes.max(1) as f64;
        (per_byte * part_bytes as f64 * 1.02) as usize + 64
    };
    let (mut feed, text) = if start == 0 {
        (head, text)
    } else {
        drop(head);
        let mut feed = Feed::part(source, chunk, start, mark);
        feed.decode_part_as(encoding);
        (feed, String::new())
    };
    let mut record = ByteRecord::new();
    let mut reading = Reading::with_capacity(expected_lines, &map);
    let parted = mark.is_some();
    let last = {
        let mut reader = RecordReader::over(Window::streaming(text, &mut feed), setup.delimiter);
        if setup.has_header && start == 0 {
            reader.next_record(&mut record);
        }
        reader.set_width(setup.width);
        // Pass 1: read each row's fields.
        loop {
            match reading.read_chunk(&mut reader, &mut record, &setup, &map, parted) {
                Chunk::Read { offset } => report_progress(reader.bytes_at(offset))?,
                Chunk::End { previous_end } | Chunk::AtMark { previous_end } => {
                    break previous_end;
                }
            }
        }
    };
    if feed.failed {
        return Err(unreadable());
    }
    reading.settle_keys(&mut []);
    let (ends_at_record, breaks, undecodable) = match (mark, feed.at_mark()) {
        (None, _) => (true, 0, feed.account()),
        (Some(_), Some(at)) => (last <= at.text_len, at.breaks, at.undecodable),
        // The mark is within the file, and the feed read on to the end without failing.
        (Some(_), None) => unreachable!("a part's feed passes its mark"),
    };
    Ok(ImportPart {
        reading,
        ends_at_record,
        breaks,
        undecodable,
        ..empty(setup, map)
    })
}

/// Joins the parts of a file read in parallel into what one reading of the whole file
/// gives: the first part and the later ones, all in the file's order. Where a part's last
/// record ran past its mark, the rest of the file is read again from that part's start (from
/// `source`, the same file), as one part.
pub fn join_parts(
    first: ImportPart,
    mut later: Vec<PartRows>,
    source: &mut dyn ByteSource,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Import, ImportError> {
    let mut report_progress = bytes_progress(source.len(), progress);
    let mut read_again =
        |from: u64| read_range(source, CHUNK_BYTES, options, from, None, &mut |_| Ok(()));
    let first = if first.ends_at_record {
        first
    } else {
        later.clear();
        read_again(0)?
    };
    if let Some(k) = later.iter().position(|p| !p.ends_at_record) {
        let from = later[k].start;
        later.truncate(k);
        later.push(read_again(from)?.into_rows());
    }
    join(first, later, options, &mut report_progress)
}

/// The rest of the file after the first part, read here as one part: for when the parts
/// after it could not be read elsewhere (a worker that failed). Empty when the first part
/// reached the end.
pub fn read_after(
    first: &ImportPart,
    source: &mut dyn ByteSource,
    options: &ImportOptions,
) -> Result<Vec<PartRows>, ImportError> {
    match first.mark {
        None => Ok(Vec::new()),
        Some(mark) => Ok(vec![read_range(
            source,
            CHUNK_BYTES,
            options,
            mark,
            None,
            &mut |_| Ok(()),
        )?
        .into_rows()]),
    }
}

/// Joins parts that each start where the one before ends (at a record's start), then builds
/// the table.
pub(super) fn join(
    first: ImportPart,
    later: Vec<PartRows>,
    options: &ImportOptions,
    report_progress: &mut dyn FnMut(u64) -> Result<(), ImportError>,
) -> Result<Import, ImportError> {
    let ImportPart {
        total,
        encoding,
        setup,
        map,
        mut reading,
        mut mark,
        mut breaks,
        mut undecodable,
        ..
    } = first;
    for part in later {
        // A part without a mark read to the end: any after it is empty.
        let Some(end) = mark else { break };
        assert_eq!(part.start, end, "the parts are joined in the file's order");
        mark = part.mark;
        let part_breaks = part.breaks;
        undecodable = undecodable.then(part.undecodable, breaks);
        reading.append(part, breaks);
        breaks += part_breaks;
    }
    settle(
        reading,
        encoding,
        &setup,
        &map,
        undecodable.settled(),
        options,
        total,
        report_progress,
    )
}

impl Undecodable {
    /// This account followed by `later`'s, whose lines start after `breaks` line breaks.
    fn then(self, later: Undecodable, breaks: u64) -> Undecodable {
        Undecodable {
            had_errors: self.had_errors || later.had_errors,
            replacements: self.replacements + later.replacements,
            first_line: self
                .first_line
                .or(later.first_line.map(|line| line + breaks)),
        }
    }
}

impl Reading {
    /// Appends the rows a later part read, whose lines start after `breaks` line breaks:
    /// its keys, order numbers, products and status values are interned again after this
    /// part's, in the order they first appeared there.
    fn append(&mut self, later: PartRows, breaks: u64) {
        let id = |table: &[u32], id: u32| if id == NONE { NONE } else { table[id as usize] };
        let keys: Vec<u32> = (0..later.keys.len() as u32)
            .map(|k| self.keys.intern(later.keys.get(k)).unwrap_or(NONE))
            .collect();
        let orders: Vec<u32> = (0..later.order_ids.len() as u32)
            .map(|o| self.order_ids.intern(later.order_ids.get(o)))
            .collect();
        let products: Vec<u32> = (0..later.products.len() as u32)
            .map(|p| self.products.intern(later.products.get(p)))
            .collect();
        let statuses: Vec<u32> = later
            .statuses
            .iter()
            .map(|s| self.status_value(s.column, &s.value, s.kind))
            .collect();

        let rows = &later.rows;
        self.rows.data.reserve(rows.data.len());
        for (r, row) in rows.data.iter().enumerate() {
            let line = rows.line(r) + breaks;
            let moved = RowData {
                line: line as u32,
                customer: id(&keys, row.customer),
                date: row.date,
                amount: row.amount,
            };
            self.rows.push(line, moved, rows.guest(r));
        }
        let (ours, theirs) = (&mut self.extras, later.extras);
        ours.charges.extend(theirs.charges);
        ours.quantities.extend(theirs.quantities);
        ours.emails
            .extend(theirs.emails.iter().map(|&e| id(&keys, e)));
        ours.orders
            .extend(theirs.orders.iter().map(|&o| id(&orders, o)));
        ours.products
            .extend(theirs.products.iter().map(|&p| id(&products, p)));
        ours.statuses
            .extend(theirs.statuses.iter().map(|&s| id(&statuses, s)));

        self.rows_without_order += later.rows_without_order;
        self.rows_read += later.rows_read;
        self.rejected
            .extend(later.rejected.into_iter().map(|mut rejected| {
                rejected.line += breaks;
                rejected
            }));
        let (evidence, more) = (&mut self.evidence, later.evidence);
        evidence.month_first_only += more.month_first_only;
        evidence.day_first_only += more.day_first_only;
        evidence.ambiguous += more.ambiguous;
        if evidence.example.is_none() {
            evidence.example = more.example;
        }
        for written in later.placeholders {
            if self.placeholders.len() < PLACEHOLDERS_KEPT && !self.placeholders.contains(&written)
            {
                self.placeholders.push(written);
            }
        }
    }
}

/// [`import`] in `threads` parts read side by side, natively (the browser's workers read
/// their parts with [`read_part`] and join them with [`join_parts`]).
///
/// # Examples
/// ```
/// use ltv_core::import::{import, import_parallel, made_up_export, ImportOptions};
/// let bytes = made_up_export().into_bytes();
/// let options = ImportOptions::new();
/// let one = import(&bytes, &options, &mut |_| true).unwrap();
/// let four = import_parallel(&bytes, &options, 4).unwrap();
/// assert_eq!(four.table.orders, one.table.orders);
/// assert_eq!(four.report, one.report);
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn import_parallel(
    bytes: &[u8],
    options: &ImportOptions,
    threads: usize,
) -> Result<Import, ImportError> {
    let count = threads.max(1);
    let results: Vec<Result<ImportPart, ImportError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..count)
            .map(|k| {
                scope.spawn(move || {
                    let mut source = bytes;
                    read_part(&mut source, options, k, count, &mut |_| true)
                })
            })
            .collect();
        let mut source = bytes;
        let mut results = vec![read_part(&mut source, options, 0, count, &mut |_| true)];
        results.extend(
            handles
                .into_iter()
                .map(|h| h.join().expect("a part's thread does not panic")),
        );
        results
    });
    let mut parts = results.into_iter();
    let first = parts.next().expect("part 0 is read")?;
    let later = parts
        .map(|part| part.map(ImportPart::into_rows))
        .collect::<Result<Vec<_>, _>>()?;
    let mut source = bytes;
    join_parts(first, later, &mut source, options, &mut |_| true)
}

/// The long vectors of a part handed over as the bytes their values lie in memory (plain data,
/// `bytemuck::Pod`; both sides run the same build): the per-field encoding of serde formats
/// took longer than reading the part (a tenth of a second for half a million rows in a
/// browser's worker), and a value-at-a-time encoding 14 to 23 ms; a copy of bytes is a few
/// milliseconds.
pub(super) mod flat {
    /// A long column of a part as it is handed over: whole values, as their bytes.
    pub(crate) trait Column {
        /// The bytes of one value.
        fn value_size(&self) -> usize;
        /// The bytes of the whole column.
        fn byte_len(&self) -> usize;
        /// Writes the column about `piece` bytes at a time, each piece given to `write` with
        /// its offset.
        fn write(&self, piece: usize, write: &mut dyn FnMut(usize, &[u8]));
        /// Replaces the column with `len` bytes (whole values) read with `read(offset, out)`,
        /// about `piece` bytes at a time.
        fn fill(&mut self, len: usize, piece: usize, read: &mut dyn FnMut(usize, &mut [u8]));
    }

    impl<T: bytemuck::Pod> Column for Vec<T> {
        fn value_size(&self) -> usize {
            std::mem::size_of::<T>()
        }

        fn byte_len(&self) -> usize {
            std::mem::size_of_val(self.as_slice())
        }

        fn write(&self, piece: usize, write: &mut dyn FnMut(usize, &[u8])) {
            let piece = whole_values::<T>(piece);
            let bytes: &[u8] = bytemuck::cast_slice(self);
            for (k, chunk) in bytes.chunks(piece).enumerate() {
                write(k * piece, chunk);
            }
        }

        fn fill(&mut self, len: usize, piece: usize, read: &mut dyn FnMut(usize, &mut [u8])) {
            let piece = whole_values::<T>(piece);
            let mut values = vec![T::zeroed(); len / std::mem::size_of::<T>()];
            let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut values);
            for (k, chunk) in bytes.chunks_mut(piece).enumerate() {
                read(k * piece, chunk);
            }
            *self = values;
        }
    }

    /// `piece` bytes rounded down to whole values of `T` (at least one).
    fn whole_values<T>(piece: usize) -> usize {
        let size = std::mem::size_of::<T>();
        (piece / size).max(1) * size
    }

    #[cfg(test)]
    mod tests {
        use super::super::{PackedDate, RowData, PLAIN_DAY};
        use super::*;

        /// A column's bytes are its values' bytes in memory: on this (little-endian) machine,
        /// their little-endian form, field by field for a row.
        #[test]
        #[cfg(target_endian = "little")]
        fn plain_bytes_are_the_little_endian_form() {
            fn written<T: bytemuck::Pod>(values: Vec<T>) -> Vec<u8> {
                let mut out = vec![0; values.byte_len()];
                values.write(16, &mut |at, bytes| {
                    out[at..at + bytes.len()].copy_from_slice(bytes);
                });
                out
            }
            let le = |words: &[&[u8]]| words.concat();
            assert_eq!(
                written(vec![0u32, 1, 0xDEAD_BEEF, u32::MAX]),
                le(&[
                    &0u32.to_le_bytes(),
                    &1u32.to_le_bytes(),
                    &0xDEAD_BEEFu32.to_le_bytes(),
                    &u32::MAX.to_le_bytes()
                ])
            );
            assert_eq!(
                written(vec![[-1.5f64, f64::NAN]]),
                le(&[&(-1.5f64).to_le_bytes(), &f64::NAN.to_le_bytes()])
            );
            let row = RowData {
                line: u32::MAX,
                customer: 7,
                date: PackedDate {
                    first: 19_000,
                    second: PLAIN_DAY,
                },
                amount: 12_800.0,
            };
            assert_eq!(
                written(vec![row]),
                le(&[
                    &u32::MAX.to_le_bytes(),
                    &7u32.to_le_bytes(),
                    &19_000i32.to_le_bytes(),
                    &PLAIN_DAY.to_le_bytes(),
                    &12_800f64.to_le_bytes(),
                ])
            );
        }

        /// Filled from pieces of any size, a column is the one written.
        #[test]
        fn columns_come_back_whole_from_any_pieces() {
            let values: Vec<[f64; 2]> = (0..1_000).map(|i| [f64::from(i), -f64::from(i)]).collect();
            for piece in [1, 15, 16, 17, 4096, 1 << 20] {
                let mut bytes = vec![0; values.byte_len()];
                values.write(piece, &mut |at, b| {
                    bytes[at..at + b.len()].copy_from_slice(b)
                });
                let mut back: Vec<[f64; 2]> = Vec::new();
                back.fill(bytes.len(), piece, &mut |at, out| {
                    out.copy_from_slice(&bytes[at..at + out.len()]);
                });
                assert_eq!(back, values, "pieces of {piece} bytes");
            }
        }
    }
}

#[cfg(test)]
#[path = "parts_tests.rs"]
mod tests;
