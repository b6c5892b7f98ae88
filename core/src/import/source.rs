//! 読み込み: the file an import reads, piece by piece, and its text as it is decoded.
//!
//! An import never needs the whole file at once: the bytes are read a piece at a time
//! ([`CHUNK_BYTES`]), each piece is decoded onto the text not yet read into rows, and both
//! are dropped once their rows are read.

use std::ops::Range;

use super::encoding::{StreamDecoder, TextEncoding};
use super::layout::{count_breaks, TextFeed};

/// How much of a file is read at a time: 1 MB. Its bytes and their text are held at once,
/// and a larger piece bought the parse no speed (4 MB held 20 MB more in two workers reading
/// a million orders in parts). Where each read has a cost of its own (a browser's file, about
/// 2 ms a read), the source reads ahead outside the parse's memory and hands out the pieces
/// (the app's worker reads 4 MB at a time).
pub const CHUNK_BYTES: usize = 1 << 20;

/// A file an import reads piece by piece: the worker's `Blob`, or bytes in memory.
pub trait ByteSource {
    /// The file's length in bytes.
    fn len(&self) -> u64;

    /// Whether the file is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of `range` (within the file), or a shorter start of them (at least one
    /// byte). `None` when the file cannot be read: the import then stops with
    /// [`super::ImportErrorKind::Cancelled`], and the source keeps the reason for its caller.
    fn read(&mut self, range: Range<u64>) -> Option<Vec<u8>>;
}

impl ByteSource for &[u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read(&mut self, range: Range<u64>) -> Option<Vec<u8>> {
        self.get(range.start as usize..range.end as usize)
            .map(<[u8]>::to_vec)
    }
}

/// The text of a [`ByteSource`], decoded a piece at a time.
pub(crate) struct Feed<'s> {
    source: &'s mut dyn ByteSource,
    total: u64,
    /// Bytes taken from the source so far.
    read: u64,
    /// The pieces read before the encoding was known, each with where it starts: the first
    /// decoded, one at a time as they were read.
    held: std::collections::VecDeque<(u64, Vec<u8>)>,
    decoder: Option<StreamDecoder>,
    chunk: u64,
    /// The source could not be read.
    pub(crate) failed: bool,
    /// The last piece has been decoded.
    pub(crate) finished: bool,
    /// Text decoded so far.
    text_len: usize,
    /// The last piece decoded: where its text starts and how long it is, where its bytes
    /// start and how many they are.
    piece: (usize, usize, u64, u64),
    /// For a part of a file read in parallel: the byte offset where the next part starts.
    /// No piece read crosses it, and the feed notes what it had reached there.
    mark: Option<u64>,
    /// Line breaks in the bytes read before the mark.
    breaks_before_mark: u64,
    /// What the feed had reached at the mark, once there.
    at_mark: Option<AtMark>,
}

/// Where a part's feed stood at its mark (see [`Feed::mark`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AtMark {
    /// The text decoded before the mark.
    pub(crate) text_len: usize,
    /// Line breaks before the mark.
    pub(crate) breaks: u64,
    /// The decoder's count of undecodable characters before the mark.
    pub(crate) undecodable: Undecodable,
}

/// The decoder's account of U+FFFD, before it is settled into a count (see
/// [`StreamDecoder::undecodable`]).
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Undecodable {
    pub(crate) had_errors: bool,
    pub(crate) replacements: u64,
    /// The first U+FFFD's line, counted from the piece's start (1-based).
    pub(crate) first_line: Option<u64>,
}

impl Undecodable {
    /// The characters that could not be decoded and the line of the first: the U+FFFD in
    /// the text, counted only when the decoder itself put some in (a U+FFFD written in a
    /// file that decodes cleanly is the file's own character).
    pub(crate) fn settled(self) -> (u64, Option<u64>) {
        if self.had_errors && self.replacements > 0 {
            (self.replacements, self.first_line)
        } else {
            (0, None)
        }
    }
}

/// A part's feed reads at most this much past its mark at a time: only the record that
/// crosses it is read there.
const PAST_MARK: u64 = 64 * 1024;

impl<'s> Feed<'s> {
    pub(crate) fn new(source: &'s mut dyn ByteSource, chunk: usize) -> Self {
        let total = source.len();
        Feed {
            source,
            total,
            read: 0,
            held: Default::default(),
            decoder: None,
            chunk: chunk.max(1) as u64,
            failed: false,
            finished: false,
            text_len: 0,
            piece: (0, 0, 0, 0),
            mark: None,
            breaks_before_mark: 0,
            at_mark: None,
        }
    }

    /// A feed for a part of the file read in parallel: from `start` (just after a line
    /// break, where the decoder starts afresh) to the end, its pieces stopping at `mark`
    /// (the next part's start) so that what was read before it can be told apart.
    pub(crate) fn part(
        source: &'s mut dyn ByteSource,
        chunk: usize,
        start: u64,
        mark: Option<u64>,
    ) -> Self {
        let mut feed = Feed::new(source, chunk);
        feed.read = start.min(feed.total);
        feed.mark = mark.map(|m| m.clamp(feed.read, feed.total));
        if feed.mark == Some(feed.read) {
            feed.at_mark = Some(AtMark {
                text_len: 0,
                breaks: 0,
                undecodable: Undecodable::default(),
            });
        }
        feed
    }

    /// The file's length.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// The decoder's account of undecodable characters so far.
    pub(crate) fn account(&self) -> Undecodable {
        self.decoder
            .as_ref()
            .map(StreamDecoder::account)
            .unwrap_or_default()
    }

    /// Where the feed stood at its mark: `None` before it (or without one).
    pub(crate) fn at_mark(&self) -> Option<AtMark> {
        self.at_mark
    }

    /// Decodes a part's text from here on: in `encoding`, with no BOM to look for.
    pub(crate) fn decode_part_as(&mut self, encoding: TextEncoding) {
        self.decoder = Some(StreamDecoder::mid_file(encoding));
    }

    /// Bytes taken from the source so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The next piece of the file (empty at its end); `None` when the source fails.
    fn next_piece(&mut self) -> Option<Vec<u8>> {
        if self.read >= self.total {
            return Some(Vec::new());
        }
        let end = match self.mark {
            Some(mark) if self.read < mark => (self.read + self.chunk).min(mark),
            Some(_) => (self.read + self.chunk.min(PAST_MARK)).min(self.total),
            None => (self.read + self.chunk).min(self.total),
        };
        match self.source.read(self.read..end) {
            Some(bytes) if !bytes.is_empty() && bytes.len() as u64 <= end - self.read => {
                self.read += bytes.len() as u64;
                if self.mark.is_some_and(|mark| self.read <= mark) {
                    self.breaks_before_mark += count_breaks(&bytes);
                }
                Some(bytes)
            }
            _ => {
                self.failed = true;
                None
            }
        }
    }

    /// The first `n` bytes of the file or more (all of a shorter one), read and held for
    /// decoding; `None` when the source fails.
    pub(crate) fn start(&mut self, n: usize) -> Option<Vec<u8>> {
        let n = (n as u64).min(self.total);
        while self.read < n {
            let from = self.read;
            let piece = self.next_piece()?;
            self.held.push_back((from, piece));
        }
        Some(
            self.held
                .iter()
                .flat_map(|(_, piece)| piece)
                .take(n as usize)
                .copied()
                .collect(),
        )
    }

    /// Decodes from here on in `encoding`.
    pub(crate) fn decode_as(&mut self, encoding: TextEncoding) {
        self.decoder = Some(StreamDecoder::new(encoding));
    }

    /// Reads on without a mark: for a file that is not read in parts after all.
    pub(crate) fn forget_mark(&mut self) {
        self.mark = None;
    }
}

impl TextFeed for Feed<'_> {
    fn feed(&mut self, out: &mut String) -> bool {
        if self.finished || self.failed {
            return false;
        }
        let (from, bytes) = match self.held.pop_front() {
            Some(held) => held,
            None => {
                let from = self.read;
                match self.next_piece() {
                    Some(bytes) => (from, bytes),
                    None => return false,
                }
            }
        };
        let last = self.read >= self.total && self.held.is_empty();
        let Some(decoder) = self.decoder.as_mut() else {
            return false;
        };
        let before = out.len();
        decoder.push(&bytes, last, out);
        let added = out.len() - before;
        self.piece = (self.text_len, added, from, bytes.len() as u64);
        self.text_len += added;
        self.finished = last;
        if self.at_mark.is_none() && self.mark == Some(from + bytes.len() as u64) {
            self.at_mark = Some(AtMark {
                text_len: self.text_len,
                breaks: self.breaks_before_mark,
                undecodable: decoder.account(),
            });
        }
        true
    }

    fn mark(&self) -> Option<usize> {
        self.at_mark.map(|at| at.text_len)
    }

    fn bytes_at(&self, offset: usize) -> u64 {
        let (text_from, text_len, from, len) = self.piece;
        let into = offset.saturating_sub(text_from).min(text_len);
        from + (into as f64 / text_len.max(1) as f64 * len as f64) as u64
    }
}
