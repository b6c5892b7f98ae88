//! Every CSV download of the app, fed cells that a spreadsheet would run as formulas: each
//! comes out neutralised (a `'` in front), while the numbers the app writes stay numbers.

use ltv_core::analysis::export::{customers_csv, customers_csv_with, CsvEncoding};
use ltv_core::analysis::segments::Segment;
use ltv_core::analysis::{analyse, AnalysisParams};
use ltv_core::download::neutralise;
use ltv_core::import::{import, rejected_rows_csv, ImportOptions, RejectedRow, RowErrorKind};
use ltv_core::orders::{day_from_ymd, Order, OrderTable};

const FORMULAS: [&str; 8] = [
    "=1+2",
    "=HYPERLINK(\"x\")",
    " @SUM(A1)",
    "＝1+2",
    "-2+3",
    "\t=1",
    "+81 90",
    "\r=1",
];

/// The records of a CSV download (UTF-8 with BOM, or cp932).
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => String::from_utf8(rest.to_vec()).unwrap(),
        None => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// No text cell of the file could start a formula (number columns given by index are skipped:
/// the app writes them, and a negative amount stays `-1200`).
fn assert_safe(what: &str, rows: &[Vec<String>], number_columns: &[usize]) {
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if number_columns.contains(&i) {
                assert!(
                    cell.parse::<f64>().is_ok(),
                    "{what}: column {i} is not a number: {cell:?}"
                );
                continue;
            }
            assert_eq!(
                neutralise(cell),
                cell.as_str(),
                "{what}: unsafe cell {cell:?}"
            );
        }
    }
}

/// Each formula is in `rows`, neutralised.
fn assert_each_neutralised(what: &str, rows: &[Vec<String>], formulas: &[&str]) {
    for formula in formulas {
        let want = format!("'{formula}");
        assert!(
            rows.iter().flatten().any(|cell| *cell == want),
            "{what}: {formula:?} not written as {want:?}"
        );
        assert!(
            !rows.iter().flatten().any(|cell| cell == formula),
            "{what}: {formula:?} written as it is"
        );
    }
}

fn formula_table() -> OrderTable {
    let day = day_from_ymd(2024, 4, 1).unwrap();
    OrderTable {
        customer_keys: FORMULAS.iter().map(|k| k.to_string()).collect(),
        orders: (0..FORMULAS.len() as u32)
            .map(|c| Order {
                customer: c,
                day: day - 120 * c as i32,
                // One negative amount (a refund larger than the order): the app writes it.
                amount: if c == 0 { -1_200.0 } else { 1_000.0 },
            })
            .collect(),
        ..Default::default()
    }
}

/// 累計購入金額, then the integer columns of the per-customer list.
const CUSTOMER_NUMBER_COLUMNS: [usize; 7] = [3, 4, 5, 8, 9, 10, 13];

#[test]
fn customers_list_and_segment_lists_neutralise_every_formula() {
    let a = analyse(&formula_table(), &AnalysisParams::default());
    for encoding in [CsvEncoding::Utf8Bom, CsvEncoding::Cp932] {
        let rows = records(&customers_csv(&a.customers, None, encoding));
        assert_eq!(rows.len(), FORMULAS.len() + 1);
        let body = &rows[1..];
        assert_safe("customers", body, &CUSTOMER_NUMBER_COLUMNS);
        assert_each_neutralised("customers", body, &FORMULAS);
        // The negative amount the app computed is still a number.
        assert!(body.iter().any(|r| r[4] == "-1200"), "{body:?}");

        let mut seen = 0;
        for segment in Segment::ALL {
            let rows = records(&customers_csv(&a.customers, Some(segment), encoding));
            let body = &rows[1..];
            seen += body.len();
            assert_safe("segment list", body, &CUSTOMER_NUMBER_COLUMNS);
            for row in body {
                assert!(row[0].starts_with('\''), "segment list: {:?}", row[0]);
            }
        }
        assert_eq!(
            seen,
            FORMULAS.len(),
            "every customer is in one segment list"
        );
    }
}

#[test]
fn extra_columns_are_neutralised() {
    let a = analyse(&formula_table(), &AnalysisParams::default());
    let bytes = customers_csv_with(
        &a.customers,
        None,
        CsvEncoding::Utf8Bom,
        &["予測"],
        |row| vec![row.key.clone()],
    );
    let rows = records(&bytes);
    assert_safe("extra", &rows[1..], &CUSTOMER_NUMBER_COLUMNS);
    for row in &rows[1..] {
        assert_eq!(row[14], row[0], "the extra cell is guarded like the key");
    }
}

#[test]
fn rejected_rows_neutralise_every_formula() {
    let rows: Vec<RejectedRow> = FORMULAS
        .iter()
        .enumerate()
        .map(|(i, f)| RejectedRow {
            line: i as u64 + 2,
            column: f.to_string(),
            value: f.to_string(),
            kind: RowErrorKind::BadAmount,
        })
        .collect();
    let text = rejected_rows_csv(&rows);
    let rows = records(text.as_bytes());
    assert_eq!(rows[0], ["行", "列", "値", "理由"]);
    let body = &rows[1..];
    assert_eq!(body.len(), FORMULAS.len());
    assert_safe("rejected rows", body, &[0]);
    for (row, formula) in body.iter().zip(FORMULAS) {
        assert_eq!(row[1], format!("'{formula}"));
        assert_eq!(row[2], format!("'{formula}"));
    }
}

#[test]
fn a_real_import_with_formulas_downloads_safely() {
    let mut file = String::from("注文番号,注文日時,顧客ID,合計金額\r\n");
    for (i, formula) in FORMULAS.iter().enumerate() {
        let quoted = format!("\"{}\"", formula.replace('"', "\"\""));
        file.push_str(&format!("{},2024/01/{:02},{quoted},1200\r\n", i + 1, i + 1));
        // The same formula as an amount: the row is rejected and its value downloadable.
        file.push_str(&format!(
            "{},2024/02/{:02},ok{i},{quoted}\r\n",
            i + 101,
            i + 1
        ));
    }
    let done = import(file.as_bytes(), &ImportOptions::new(), &mut |_| true).unwrap();
    let rejected = records(rejected_rows_csv(&done.report.rejected).as_bytes());
    assert!(rejected.len() > 1, "some rows are rejected");
    assert_safe("imported rejected rows", &rejected[1..], &[0]);
    let a = analyse(&done.table, &AnalysisParams::default());
    let customers = records(&customers_csv(&a.customers, None, CsvEncoding::Utf8Bom));
    // Keys merged by the import (＝ and =, tab and CR trimmed) are as dangerous as before.
    assert!(customers.len() > 4, "{customers:?}");
    assert_safe(
        "imported customers",
        &customers[1..],
        &CUSTOMER_NUMBER_COLUMNS,
    );
    for row in &customers[1..] {
        assert!(row[0].starts_with('\''), "{row:?}");
    }
}
