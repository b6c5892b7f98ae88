//! A file read in parts side by side and joined gives exactly what reading it whole gives:
//! the same table and the same report (line numbers included), or the same error, on every
//! file the tests use, wherever the parts are cut: inside a quoted field (a note over two
//! lines), between the rows of one order, inside a multi-byte character, between CR and LF,
//! and at every byte of the small files.

use proptest::prelude::*;

use super::super::stream_tests::{
    awkward_cuts, case_with_cuts, files, hard_cases, option_sets, outcome, whole,
};
use super::*;

/// The parts a file is read in when its parts are cut near `cuts` (each part starts after
/// the first line break at or after a cut), each read `chunk` bytes at a time.
fn parts_at(
    bytes: &[u8],
    cuts: &[usize],
    chunk: usize,
    options: &ImportOptions,
) -> Result<Vec<ImportPart>, ImportError> {
    let mut source = bytes;
    let mut starts = vec![0u64];
    let mut cuts = cuts.to_vec();
    cuts.sort_unstable();
    for cut in cuts {
        let start = line_after(&mut source, cut as u64).expect("bytes in memory read");
        if start > *starts.last().unwrap() && start < bytes.len() as u64 {
            starts.push(start);
        }
    }
    let marks = starts.iter().skip(1).map(|&m| Some(m)).chain([None]);
    starts
        .iter()
        .zip(marks)
        .map(|(&start, mark)| read_cut(&mut source, chunk, options, start, mark, &mut |_| true))
        .collect()
}

/// A later part as another worker hands it over: its serde form (here JSON) and its long
/// columns beside it as bytes, written and read in pieces of `piece` bytes (whole values or
/// not).
fn handed_over(part: ImportPart, piece: usize) -> PartRows {
    let rows = part.into_rows();
    let lens = rows.column_lens();
    let mut columns: Vec<Vec<u8>> = lens.iter().map(|&len| vec![0xA5; len]).collect();
    for (k, column) in columns.iter_mut().enumerate() {
        rows.write_column(k, piece, &mut |at, bytes| {
            column[at..at + bytes.len()].copy_from_slice(bytes)
        });
    }
    let head = serde_json::to_string(&rows).expect("a part serialises");
    drop(rows);
    let mut received: PartRows = serde_json::from_str(&head).expect("a part deserialises");
    let mut read =
        |k: usize, at: usize, out: &mut [u8]| out.copy_from_slice(&columns[k][at..at + out.len()]);
    assert!(received.read_columns(lens, piece + 3, &mut read));
    received
}

/// The first part, and the later ones as they are handed over.
fn joined(
    parts: Vec<ImportPart>,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<Import, ImportError> {
    let mut parts = parts.into_iter();
    let first = parts.next().expect("a file has a first part");
    let later = parts.map(|part| handed_over(part, 61)).collect();
    let mut source = bytes;
    join_parts(first, later, &mut source, options, &mut |_| true)
}

fn in_parts(bytes: &[u8], cuts: &[usize], chunk: usize, options: &ImportOptions) -> String {
    outcome(parts_at(bytes, cuts, chunk, options).and_then(|parts| joined(parts, bytes, options)))
}

fn check_against(
    expected: &str,
    name: &str,
    bytes: &[u8],
    cuts: &[usize],
    chunk: usize,
    options: &ImportOptions,
) {
    let got = in_parts(bytes, cuts, chunk, options);
    assert!(
        got == expected,
        "{name}: parts cut at {cuts:?} (pieces of {chunk} bytes) differ from the whole file\n\
         whole: {expected}\nparts: {got}"
    );
}

#[test]
fn every_test_file_reads_alike_in_parts() {
    for (name, bytes) in files() {
        let small = bytes.len() <= 64 * 1024;
        let chunk = if small { 61 } else { 65_521 };
        for options in option_sets() {
            let expected = whole(&bytes, &options);
            // Two, three and eight parts of equal size, as the workers cut them.
            for count in [2, 3, 8] {
                let cuts: Vec<usize> = (1..count).map(|k| bytes.len() * k / count).collect();
                check_against(&expected, &name, &bytes, &cuts, chunk, &options);
            }
        }
        let options = ImportOptions::new();
        let expected = whole(&bytes, &options);
        // One cut at each awkward place, then all of them at once.
        for cut in awkward_cuts(&bytes, if small { 30 } else { 4 }) {
            check_against(&expected, &name, &bytes, &[cut], CHUNK_BYTES, &options);
        }
        let cuts = awkward_cuts(&bytes, if small { 10_000 } else { 50 });
        check_against(&expected, &name, &bytes, &cuts, CHUNK_BYTES, &options);
    }
}

#[test]
fn small_files_read_alike_cut_at_every_byte() {
    let options = ImportOptions::new();
    for (name, bytes) in files().into_iter().filter(|(_, b)| b.len() <= 8 * 1024) {
        let expected = whole(&bytes, &options);
        for cut in 0..bytes.len() {
            check_against(&expected, &name, &bytes, &[cut], bytes.len(), &options);
        }
    }
}

#[test]
fn hard_cases_read_alike_however_cut() {
    let options = ImportOptions::new();
    for (name, bytes) in hard_cases() {
        let expected = whole(&bytes, &options);
        for a in 0..=bytes.len() {
            for chunk in [1, 7, bytes.len().max(1)] {
                check_against(&expected, name, &bytes, &[a], chunk, &options);
            }
            // Two cuts: every pair close together, and every byte against the middle.
            for b in a + 1..(a + 4).min(bytes.len()) {
                check_against(&expected, name, &bytes, &[a, b], 3, &options);
            }
            check_against(&expected, name, &bytes, &[a, bytes.len() / 2], 5, &options);
        }
    }
}

/// A part cut inside a note written over two lines runs past its mark, and the rest of the
/// file is read again from that part's start; a part cut between records does not.
#[test]
fn a_cut_inside_a_quoted_field_is_read_again() {
    let text = "注文番号,注文日,メールアドレス,合計,備考\n\
                1,2024/01/05,a@x.jp,980,\"一行目\n二行目\"\n\
                2,2024/01/06,b@x.jp,500,\n\
                3,2024/01/07,a@x.jp,700,\n";
    let bytes = text.as_bytes();
    let options = ImportOptions::new();
    let inside = text.find("一行目").unwrap();
    let parts = parts_at(bytes, &[inside], 16, &options).unwrap();
    assert_eq!(parts.len(), 2);
    // The first part read on past its mark to the end of the note, and saw that the
    // second part started inside it.
    assert!(!parts[0].ends_at_record, "{parts:?}");
    assert_eq!(parts[0].rows_read(), 1, "{parts:?}");
    check_against(
        &whole(bytes, &options),
        "note",
        bytes,
        &[inside],
        16,
        &options,
    );

    let between = text.find("2,2024").unwrap() - 1;
    let parts = parts_at(bytes, &[between], 16, &options).unwrap();
    assert!(parts[0].ends_at_record, "{parts:?}");
    assert_eq!(
        (parts[0].rows_read(), parts[1].rows_read()),
        (1, 2),
        "{parts:?}"
    );
    let joined = joined(parts, bytes, &options).unwrap();
    assert_eq!(joined.table.customer_count(), 2);
    assert_eq!(joined.report.rows_read, 3);
}

/// The parts of `read_part` cover the file from its start to its end, each from a line
/// break to the next part's start, and give the single reading's result.
#[test]
fn read_part_cuts_after_line_breaks() {
    let bytes = made_up_export().into_bytes();
    let options = ImportOptions::new();
    let expected = whole(&bytes, &options);
    for count in [1, 2, 5, 64] {
        let parts: Vec<ImportPart> = (0..count)
            .map(|k| {
                let mut source = bytes.as_slice();
                read_part(&mut source, &options, k, count, &mut |_| true).unwrap()
            })
            .collect();
        assert_eq!(parts[0].bytes().start, 0);
        assert_eq!(parts[count - 1].bytes().end, bytes.len() as u64);
        for pair in parts.windows(2) {
            assert_eq!(pair[0].bytes().end, pair[1].bytes().start);
            let start = pair[1].bytes().start as usize;
            assert!(
                start == bytes.len() || bytes[start - 1] == b'\n',
                "{pair:?}"
            );
        }
        let read: u64 = parts.iter().map(ImportPart::rows_read).sum();
        assert_eq!(
            outcome(joined(parts, &bytes, &options)),
            expected,
            "{count} parts"
        );
        assert!(read > 0);
        #[cfg(not(target_arch = "wasm32"))]
        assert_eq!(
            outcome(import_parallel(&bytes, &options, count)),
            expected,
            "{count} threads"
        );
    }
}

/// A first part whose later parts were lost reads the rest itself, to the same result.
#[test]
fn the_rest_is_read_after_the_first_part() {
    let bytes = made_up_export().into_bytes();
    let options = ImportOptions::new();
    for count in [1, 2, 3] {
        let mut source = bytes.as_slice();
        let first = read_part(&mut source, &options, 0, count, &mut |_| true).unwrap();
        let rest = read_after(&first, &mut source, &options).unwrap();
        assert_eq!(rest.len(), usize::from(count > 1));
        let joined = join_parts(first, rest, &mut source, &options, &mut |_| true);
        assert_eq!(outcome(joined), whole(&bytes, &options), "{count} parts");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any cuts at all, on the hard cases and on a platform export.
    #[test]
    fn any_cuts_read_alike(case in 0usize..17, cuts in proptest::collection::vec(0.0f64..1.0, 0..12), chunk in 1usize..5000) {
        let (name, bytes, cuts) = case_with_cuts(case, &cuts);
        let options = ImportOptions::new();
        check_against(&whole(&bytes, &options), &name, &bytes, &cuts, chunk, &options);
    }
}

/// A part's long columns are taken back only at lengths that fit it: whole values, one a
/// row (or none), and no more guest bits than rows. Anything else (a message cut short, or
/// of another build) is refused, so that the worker reads the part itself instead.
#[test]
fn columns_of_the_wrong_length_are_refused() {
    let options = ImportOptions::new();
    let mut checked = [false; PART_COLUMNS];
    for (name, bytes) in files() {
        let Ok(parts) = parts_at(&bytes, &[bytes.len() / 2], 4096, &options) else {
            continue;
        };
        for part in parts.into_iter().skip(1) {
            let rows = part.into_rows();
            let lens = rows.column_lens();
            let head = serde_json::to_string(&rows).expect("a part serialises");
            let fills = |lens: [usize; PART_COLUMNS]| {
                let mut received: PartRows = serde_json::from_str(&head).expect("deserialises");
                received.read_columns(lens, 4096, &mut |_, _, out| out.fill(0))
            };
            assert!(fills(lens), "{name}: the columns as written fit");
            for k in (0..PART_COLUMNS).filter(|&k| lens[k] > 0) {
                checked[k] = true;
                let mut short = lens;
                short[k] -= 1;
                assert!(!fills(short), "{name}: column {k} a byte short");
                if k >= 2 {
                    // One value too many for the rows (which column 0 counts; the guest bits
                    // may end anywhere before the last row).
                    let mut long = lens;
                    long[k] += rows.columns()[k].value_size();
                    assert!(!fills(long), "{name}: column {k} longer than the rows");
                }
            }
        }
    }
    // The test files have every kind of column somewhere.
    assert_eq!(checked, [true; PART_COLUMNS], "columns seen: {checked:?}");
}
