//! 読み込み: the file an import reads, piece by piece, and its text as it is decoded.
//!
//! An import never needs the whole file at once: the bytes are read a piece at a time
//! ([`CHUNK_BYTES`]), each piece is decoded onto the text not yet read into rows, and both
//! are dropped once their rows are read.

use std::ops::Range;

use super::encoding::{StreamDecoder, TextEncoding};
use super::layout::TextFeed;

/// How much of a file is read at a time.
pub const CHUNK_BYTES: usize = 4 << 20;

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
}

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
        }
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
        let end = (self.read + self.chunk).min(self.total);
        match self.source.read(self.read..end) {
            Some(bytes) if !bytes.is_empty() && bytes.len() as u64 <= end - self.read => {
                self.read += bytes.len() as u64;
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

    /// The characters that could not be decoded and the line of the first.
    pub(crate) fn undecodable(&self) -> (u64, Option<u64>) {
        self.decoder
            .as_ref()
            .map_or((0, None), StreamDecoder::undecodable)
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
        true
    }

    fn bytes_at(&self, offset: usize) -> u64 {
        let (text_from, text_len, from, len) = self.piece;
        let into = offset.saturating_sub(text_from).min(text_len);
        from + (into as f64 / text_len.max(1) as f64 * len as f64) as u64
    }
}
