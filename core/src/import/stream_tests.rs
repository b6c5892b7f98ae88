//! Reading a file piece by piece gives exactly what reading it whole gives: the same table
//! and the same report (line numbers included), or the same error, on every file the tests
//! use, wherever the pieces are cut: inside a quoted field, between the rows of one order,
//! inside a multi-byte character, between CR and LF, and at every byte of the small files.

use std::ops::Range;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;

/// Bytes in memory, handed out in pieces that end at the given cuts (as a file read in
/// chunks whose reads may come back short).
struct CutSource<'a> {
    bytes: &'a [u8],
    /// Offsets a read never crosses, ascending.
    cuts: Vec<usize>,
}

impl ByteSource for CutSource<'_> {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read(&mut self, range: Range<u64>) -> Option<Vec<u8>> {
        let from = range.start as usize;
        let next_cut = self.cuts.iter().copied().find(|&c| c > from);
        let to = next_cut.map_or(range.end as usize, |c| c.min(range.end as usize));
        Some(self.bytes[from..to].to_vec())
    }
}

/// The whole result, as text: tables hold NaN in places, which `==` would not match.
pub(super) fn outcome(result: Result<Import, ImportError>) -> String {
    format!("{result:?}")
}

pub(super) fn whole(bytes: &[u8], options: &ImportOptions) -> String {
    // One piece, the whole file: the single-pass reading.
    let mut source = bytes;
    outcome(import_pieces(
        &mut source,
        bytes.len().max(1),
        options,
        &mut |_| true,
    ))
}

fn in_pieces(bytes: &[u8], chunk: usize, cuts: &[usize], options: &ImportOptions) -> String {
    let mut cuts = cuts.to_vec();
    cuts.sort_unstable();
    let mut source = CutSource { bytes, cuts };
    outcome(import_pieces(&mut source, chunk, options, &mut |_| true))
}

fn check(name: &str, bytes: &[u8], chunk: usize, cuts: &[usize], options: &ImportOptions) {
    check_against(&whole(bytes, options), name, bytes, chunk, cuts, options);
}

fn check_against(
    expected: &str,
    name: &str,
    bytes: &[u8],
    chunk: usize,
    cuts: &[usize],
    options: &ImportOptions,
) {
    let got = in_pieces(bytes, chunk, cuts, options);
    assert!(
        got == expected,
        "{name}: pieces of {chunk} bytes cut at {cuts:?} differ from the whole file"
    );
}

/// Every file the import tests read: the shared data sets, the platform exports, the
/// fixtures and the sample.
pub(super) fn files() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("csv" | "txt" | "tsv")
            ) {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("../tests/data"), &mut paths);
    walk(&root.join("tests/fixtures"), &mut paths);
    paths.sort();
    let mut files: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
            (name, std::fs::read(p).expect("a test file reads"))
        })
        .collect();
    assert!(files.len() >= 20, "the test data is missing");
    files.push(("sample".into(), sample_export().to_vec()));
    files.push(("made-up".into(), made_up_export().into_bytes()));
    files
}

/// The settings the tests import with, each detected or given.
pub(super) fn option_sets() -> Vec<ImportOptions> {
    vec![
        ImportOptions::new(),
        ImportOptions::new()
            .with_name_as_key(true)
            .with_include_excluded(true)
            .with_revenue(RevenueBasis::AfterPoints),
    ]
}

/// Places worth cutting at: after a quote (inside a quoted field, or just closing one),
/// between CR and LF, after each byte of a multi-byte character, at line starts and in the
/// middle of lines (between the rows of one order and inside them). At most `per_kind` of
/// each kind, spread over the file.
pub(super) fn awkward_cuts(bytes: &[u8], per_kind: usize) -> Vec<usize> {
    let n = bytes.len();
    let mut quote = Vec::new();
    let mut crlf = Vec::new();
    let mut multibyte = Vec::new();
    let mut lines = Vec::new();
    for i in 1..n {
        match (bytes[i - 1], bytes[i]) {
            (b'"', _) => quote.push(i),
            (b'\r', b'\n') => crlf.push(i),
            (b'\n', _) => lines.push(i),
            (a, _) if a >= 0x80 => multibyte.push(i),
            _ => {}
        }
    }
    let mid_lines: Vec<usize> = lines.windows(2).map(|w| (w[0] + w[1]) / 2).collect();
    let spread = |v: Vec<usize>| -> Vec<usize> {
        let step = v.len().div_ceil(per_kind).max(1);
        v.into_iter().step_by(step).collect()
    };
    let mut cuts = Vec::new();
    for kind in [quote, crlf, multibyte, lines, mid_lines] {
        cuts.extend(spread(kind));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

#[test]
fn every_test_file_reads_alike_in_pieces() {
    for (name, bytes) in files() {
        let small = bytes.len() <= 64 * 1024;
        for options in option_sets() {
            let expected = whole(&bytes, &options);
            // Fixed chunks of awkward sizes (odd, prime, a power of two), tiny ones for the
            // small files.
            let chunks: &[usize] = if small {
                &[1, 3, 61, 4096]
            } else {
                &[997, 65_521, 1 << 20]
            };
            for &chunk in chunks {
                check_against(&expected, &name, &bytes, chunk, &[], &options);
            }
        }
        let options = ImportOptions::new();
        let expected = whole(&bytes, &options);
        // One cut at each awkward place, the rest of the file in one piece.
        for cut in awkward_cuts(&bytes, if small { 30 } else { 4 }) {
            check_against(&expected, &name, &bytes, bytes.len(), &[cut], &options);
        }
        // All the awkward cuts at once.
        let cuts = awkward_cuts(&bytes, 10_000);
        check_against(&expected, &name, &bytes, bytes.len(), &cuts, &options);
    }
}

#[test]
fn small_files_read_alike_cut_at_every_byte() {
    let options = ImportOptions::new();
    for (name, bytes) in files().into_iter().filter(|(_, b)| b.len() <= 8 * 1024) {
        let expected = whole(&bytes, &options);
        for cut in 1..bytes.len() {
            check_against(&expected, &name, &bytes, bytes.len(), &[cut], &options);
        }
    }
}

/// Small texts with each hard case, in UTF-8, Shift_JIS and UTF-16.
pub(super) fn hard_cases() -> Vec<(&'static str, Vec<u8>)> {
    let sjis = |text: &str| encoding_rs::SHIFT_JIS.encode(text).0.into_owned();
    let utf16 = |text: &str| {
        let mut out = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    };
    let orders = "注文番号,注文日時,メールアドレス,商品名,小計,備考\r\n\
                  1,2024/01/05 10:00,髙橋@example.jp,\"お試し\r\nセット\",980,\"①\"\"引用\"\"\"\r\n\
                  1,2024/01/05 10:00,髙橋@example.jp,送料,500,\r\n\
                  2,2024/02/05,b@x.jp,本品,abc,\r\n\
                  3,2024/03/05,B@X.JP,本品,\"3,980\",\"改行\n入り\"\r\n";
    let runaway = "order_id,date,email,amount\n1,2024-01-05,a@x.jp,\"100\n\
                   2,2024-01-06,b@x.jp,200\n3,2024-01-07,c@x.jp,300\n";
    let unclosed_at_end = "date,email,amount\n2024-01-05,a@x.jp,100\n2024-01-06,\"b@x.jp,200\n";
    let year_last = "Date,Email,Amount\n01/02/2024,a@x.jp,100\n13/02/2024,b@x.jp,200\n";
    let whitespace =
        "customer_id date amount\r\n 00001 19970101 11.77\r\n\r\n 00002 19970102 12.00";
    vec![
        ("orders utf8", orders.as_bytes().to_vec()),
        (
            "orders utf8 bom",
            [b"\xEF\xBB\xBF".as_slice(), orders.as_bytes()].concat(),
        ),
        ("orders cp932", sjis(orders)),
        ("orders utf16", utf16(orders)),
        ("orders feff", format!("\u{FEFF}{orders}").into_bytes()),
        (
            "undecodable",
            [orders.as_bytes(), b"4,2024/04/05,d@x.jp,\xFF\xFE,100,\r\n"].concat(),
        ),
        ("cp932 cut at the end", [sjis(orders), vec![0x88]].concat()),
        ("runaway quote", runaway.as_bytes().to_vec()),
        ("unclosed at end", unclosed_at_end.as_bytes().to_vec()),
        ("year last", year_last.as_bytes().to_vec()),
        ("whitespace", whitespace.as_bytes().to_vec()),
        (
            "lone cr",
            b"date,email,amount\r2024-01-05,a@x.jp,100\r".to_vec(),
        ),
        ("blank", b" \r\n\t\n".to_vec()),
        ("empty", Vec::new()),
        ("header only", b"date,email,amount\r\n".to_vec()),
        (
            "no final newline",
            b"date,email,amount\n2024-01-05,a@x.jp,100".to_vec(),
        ),
    ]
}

#[test]
fn hard_cases_read_alike_however_cut() {
    let options = ImportOptions::new();
    for (name, bytes) in hard_cases() {
        let expected = whole(&bytes, &options);
        for chunk in 1..=9 {
            check_against(&expected, name, &bytes, chunk, &[], &options);
        }
        let one_piece = bytes.len().max(1);
        for a in 0..=bytes.len() {
            check_against(&expected, name, &bytes, one_piece, &[a], &options);
            // Two cuts: every pair close together.
            for b in a + 1..(a + 4).min(bytes.len()) {
                check_against(&expected, name, &bytes, one_piece, &[a, b], &options);
            }
        }
    }
}

/// A header longer than the delimiter sample and the first piece: the settings wait for
/// the rows they are read from.
#[test]
fn settings_wait_for_the_rows_they_depend_on() {
    let mut text = String::from("注文番号;注文日;メールアドレス;\"合計\n金額\"\n");
    for i in 0..450 {
        text.push_str(&format!(
            "{i};2024/01/{:02};c{}@x.jp;\"1,{i:03}\"\n",
            i % 28 + 1,
            i % 37
        ));
    }
    let bytes = text.into_bytes();
    for chunk in [1, 5, 64, 333, 4096] {
        check("long sample", &bytes, chunk, &[], &ImportOptions::new());
    }
}

#[test]
fn progress_goes_forward_to_the_end_and_cancel_stops() {
    let bytes = made_up_export().into_bytes();
    let mut seen = Vec::new();
    let mut source = bytes.as_slice();
    import_pieces(&mut source, 4096, &ImportOptions::new(), &mut |p| {
        seen.push(p.bytes_done);
        assert_eq!(p.bytes_total, bytes.len() as u64);
        true
    })
    .unwrap();
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.first(), Some(&0));
    assert_eq!(seen.last(), Some(&(bytes.len() as u64)));
    assert!(seen.len() > 3, "{seen:?}");
    // Cancelled at the second report: nothing after it.
    let mut calls = 0;
    let mut source = bytes.as_slice();
    let result = import_pieces(&mut source, 4096, &ImportOptions::new(), &mut |_| {
        calls += 1;
        calls < 2
    });
    assert_eq!(result.unwrap_err().kind(), &ImportErrorKind::Cancelled);
    assert_eq!(calls, 2);
}

/// A source that stops answering part-way stops the import.
#[test]
fn a_source_that_fails_stops_the_import() {
    struct Failing<'a>(&'a [u8]);
    impl ByteSource for Failing<'_> {
        fn len(&self) -> u64 {
            self.0.len() as u64
        }
        fn read(&mut self, range: Range<u64>) -> Option<Vec<u8>> {
            (range.start < 100_000)
                .then(|| self.0[range.start as usize..range.end as usize].to_vec())
        }
    }
    let bytes = made_up_export().repeat(4).into_bytes();
    assert!(bytes.len() > 200_000, "{}", bytes.len());
    let result = import_pieces(
        &mut Failing(&bytes),
        65_536,
        &ImportOptions::new(),
        &mut |_| true,
    );
    assert_eq!(result.unwrap_err().kind(), &ImportErrorKind::Cancelled);
}

/// Hard case `case` (0–15), or a platform export (16), with cuts at the given shares of its
/// length: for the property tests.
pub(super) fn case_with_cuts(case: usize, shares: &[f64]) -> (String, Vec<u8>, Vec<usize>) {
    let (name, bytes) = if case < 16 {
        let (name, bytes) = hard_cases().swap_remove(case);
        (name.to_string(), bytes)
    } else {
        let path = "../tests/data/platforms/rakuten-rms-old/rakuten_rms_orders.csv";
        let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
        (path.to_string(), std::fs::read(full).unwrap())
    };
    let cuts = shares
        .iter()
        .map(|f| (f * bytes.len() as f64) as usize)
        .collect();
    (name, bytes, cuts)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any cuts at all, on the hard cases and on a platform export.
    #[test]
    fn any_cuts_read_alike(case in 0usize..17, cuts in proptest::collection::vec(0.0f64..1.0, 0..12), chunk in 1usize..5000) {
        let (name, bytes, cuts) = case_with_cuts(case, &cuts);
        check(&name, &bytes, chunk, &cuts, &ImportOptions::new());
    }
}
