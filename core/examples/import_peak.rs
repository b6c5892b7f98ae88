//! Imports a file once, read piece by piece from the disk as the worker reads a `Blob`, and
//! prints the time taken; for measuring the import's peak memory from outside (the process's
//! maximum resident size):
//! `cargo run --release -p ltv-core --example import_peak -- bench/data/orders_1m.csv`.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::time::Instant;

use ltv_core::import::{import_from, ByteSource, ImportOptions};

/// A file on disk, read a range at a time.
struct DiskFile {
    file: File,
    len: u64,
}

impl ByteSource for DiskFile {
    fn len(&self) -> u64 {
        self.len
    }

    fn read(&mut self, range: Range<u64>) -> Option<Vec<u8>> {
        let mut bytes = vec![0; (range.end - range.start) as usize];
        self.file.seek(SeekFrom::Start(range.start)).ok()?;
        self.file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: import_peak <file>");
    let t = Instant::now();
    let file = File::open(&path).expect("the file opens");
    let len = file.metadata().expect("the file has a length").len();
    let mut source = DiskFile { file, len };
    let imported = import_from(&mut source, &ImportOptions::new(), &mut |_| true).expect("imports");
    println!(
        "import {:.1} ms: {} rows read, {} orders, {} customers",
        t.elapsed().as_secs_f64() * 1e3,
        imported.report.rows_read,
        imported.table.orders.len(),
        imported.table.customer_count(),
    );
}
