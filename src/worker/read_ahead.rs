//! Reading the browser's file ahead of the import, a few megabytes at a time.
//!
//! Each read of the user's file in a worker (`FileReaderSync`) costs about 2 ms whatever its
//! size, beside about 2 ms a megabyte (Chromium 156, measured 2026-12-04: half of a 24 MB file
//! in 1 MB reads took 47 to 54 ms, in 4 MB reads 28 to 31 ms; under the load of an import in
//! parts, 55 to 88 ms in 1 MB reads). Two workers each reading their half of that file while
//! computing (measured 2026-12-05): 68 to 85 ms a half in 1 MB reads, 35 to 43 ms in 4 MB
//! reads, 23 to 26 ms in one read of 12 MB; the app's import of `orders_1m.csv` with 16 MB
//! reads instead of 4 MB, 18 interleaved rounds: `ltv:import` about 290 → 275 ms (medians of
//! two batches, 288.8 → 281.2 and 313.8 → 272.1), each reading worker holding up to 16 MB of
//! JavaScript memory instead of 4 MB. The import asks for a piece of
//! [`CHUNK_BYTES`] at a time, so [`ReadAhead`] reads [`READ_AHEAD`] bytes at once into a
//! buffer of the glue's (a JavaScript buffer, outside WebAssembly memory, which never
//! shrinks) and copies each piece asked for out of it: only the piece enters WebAssembly
//! memory, as before.

use std::ops::Range;

use ltv_core::import::CHUNK_BYTES;

use super::engine::FileSource;
use super::protocol::ColumnBuffer;

/// How much of the file one read takes in, for the pieces the import reads in turn.
pub const READ_AHEAD: u64 = 16 << 20;

/// The file as the glue reads it: a range at a time, into a buffer of its own (the buffer a
/// reader's columns are handed over in).
pub trait RawFile {
    type Bytes: ColumnBuffer;

    /// The file's length in bytes.
    fn size(&self) -> u64;

    /// The bytes of `range` (within the file); `Err` is the message for the user.
    fn read_raw(&mut self, range: Range<u64>) -> Result<Self::Bytes, String>;
}

/// A [`RawFile`] read [`READ_AHEAD`] bytes at a time for pieces of [`CHUNK_BYTES`].
pub struct ReadAhead<F: RawFile> {
    file: F,
    /// The bytes read ahead and where they start in the file.
    ahead: Option<(u64, F::Bytes)>,
}

impl<F: RawFile> ReadAhead<F> {
    pub fn new(file: F) -> Self {
        ReadAhead { file, ahead: None }
    }

    /// The start of `range` as far as the bytes read ahead hold it (at least one byte), or
    /// `None` when they do not hold the range's start.
    fn held(&self, range: &Range<u64>) -> Option<Vec<u8>> {
        let (start, bytes) = self.ahead.as_ref()?;
        let end = start + bytes.byte_len() as u64;
        if range.start < *start || range.start >= end || range.is_empty() {
            return None;
        }
        Some(copy_out(
            bytes,
            range.start - start..range.end.min(end) - start,
        ))
    }
}

impl<F: RawFile> FileSource for ReadAhead<F> {
    fn len(&self) -> u64 {
        self.file.size()
    }

    fn read(&mut self, range: Range<u64>) -> Result<Vec<u8>, String> {
        let asked = range.end.saturating_sub(range.start);
        // What was read ahead, when it holds the whole range.
        if let Some(bytes) = self.held(&range).filter(|b| b.len() as u64 == asked) {
            return Ok(bytes);
        }
        // Small reads (a line break looked for, the file's start) and large ones are made as
        // asked, and leave what was read ahead for the pieces that follow.
        if asked < CHUNK_BYTES as u64 || asked >= READ_AHEAD {
            let bytes = self.file.read_raw(range)?;
            return Ok(copy_out(&bytes, 0..bytes.byte_len() as u64));
        }
        let end = (range.start + READ_AHEAD).min(self.len()).max(range.end);
        self.ahead = None;
        let bytes = self.file.read_raw(range.start..end)?;
        self.ahead = Some((range.start, bytes));
        Ok(self.held(&range).unwrap_or_default())
    }
}

/// A copy of `range` of `bytes` (within them).
fn copy_out<B: ColumnBuffer>(bytes: &B, range: Range<u64>) -> Vec<u8> {
    let mut out = vec![0; (range.end - range.start) as usize];
    bytes.take(range.start as usize, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in memory that counts its reads.
    struct Counted {
        bytes: Vec<u8>,
        reads: Vec<Range<u64>>,
    }

    impl RawFile for &mut Counted {
        type Bytes = Vec<u8>;

        fn size(&self) -> u64 {
            self.bytes.len() as u64
        }

        fn read_raw(&mut self, range: Range<u64>) -> Result<Vec<u8>, String> {
            self.reads.push(range.clone());
            Ok(self.bytes[range.start as usize..range.end as usize].to_vec())
        }
    }

    fn counted(len: usize) -> Counted {
        Counted {
            bytes: (0..len).map(|i| (i * 7 % 251) as u8).collect(),
            reads: Vec::new(),
        }
    }

    #[test]
    fn pieces_come_from_few_reads_and_are_the_files_bytes() {
        let len = 10 * CHUNK_BYTES + 12_345;
        let mut file = counted(len);
        let whole = file.bytes.clone();
        let mut ahead = ReadAhead::new(&mut file);
        let mut got = Vec::new();
        while (got.len() as u64) < ahead.len() {
            let at = got.len() as u64;
            let piece = ahead
                .read(at..(at + CHUNK_BYTES as u64).min(ahead.len()))
                .unwrap();
            assert!(!piece.is_empty());
            got.extend(piece);
        }
        assert_eq!(got, whole);
        let reads = (len as u64).div_ceil(READ_AHEAD) as usize;
        assert_eq!(file.reads.len(), reads, "{:?}", file.reads);
    }

    #[test]
    fn small_reads_are_made_as_asked_and_keep_what_was_read_ahead() {
        let mut file = counted(2 * READ_AHEAD as usize);
        let chunk = CHUNK_BYTES as u64;
        let mut ahead = ReadAhead::new(&mut file);
        let first = ahead.read(0..chunk).unwrap();
        // A line break looked for further on, then the next piece, from the bytes read ahead.
        let far = READ_AHEAD + 2 * chunk;
        let look = ahead.read(far..far + 64).unwrap();
        let next = ahead.read(chunk..2 * chunk).unwrap();
        assert_eq!(first.len() as u64, chunk);
        assert_eq!(look.len(), 64);
        assert_eq!(next, file.bytes[CHUNK_BYTES..2 * CHUNK_BYTES]);
        assert_eq!(file.reads, [0..READ_AHEAD, far..far + 64]);
    }

    #[test]
    fn a_piece_that_runs_past_what_was_read_ahead_is_read_again_whole() {
        let mut file = counted(2 * READ_AHEAD as usize);
        let chunk = CHUNK_BYTES as u64;
        let mut ahead = ReadAhead::new(&mut file);
        let _ = ahead.read(0..chunk).unwrap();
        let at = READ_AHEAD - 10;
        let piece = ahead.read(at..at + chunk).unwrap();
        assert_eq!(piece, file.bytes[at as usize..(at + chunk) as usize]);
        assert_eq!(file.reads, [0..READ_AHEAD, at..at + READ_AHEAD]);
    }

    #[test]
    fn a_failed_read_is_the_users_message() {
        struct Broken;
        impl RawFile for Broken {
            type Bytes = Vec<u8>;
            fn size(&self) -> u64 {
                4 * CHUNK_BYTES as u64
            }
            fn read_raw(&mut self, _: Range<u64>) -> Result<Vec<u8>, String> {
                Err("読めません".to_string())
            }
        }
        let mut ahead = ReadAhead::new(Broken);
        assert_eq!(
            ahead.read(0..CHUNK_BYTES as u64),
            Err("読めません".to_string())
        );
    }
}
