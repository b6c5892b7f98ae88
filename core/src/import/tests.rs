//! Whole-file tests: the shared data sets, the platform fixtures, bad inputs, and
//! properties (row order does not matter; hostile input never panics).

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::orders::day_from_ymd;

/// Yen and dollar totals are sums of exact two-decimal values: far below a cent apart.
const MONEY_TOLERANCE: f64 = 1e-6;

fn shared(path: &str) -> Vec<u8> {
    let full = format!("{}/../tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full)
        .unwrap_or_else(|e| panic!("test data file tests/data/{path} is missing: {e}"))
}

fn fixture(name: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("fixture {name} is missing: {e}"))
}

fn run(bytes: &[u8], options: &ImportOptions) -> Import {
    import(bytes, options, &mut |_| true).unwrap_or_else(|e| panic!("{e}"))
}

fn run_err(bytes: &[u8], options: &ImportOptions) -> ImportError {
    match import(bytes, options, &mut |_| true) {
        Ok(result) => panic!(
            "expected an error, got {} orders from {} rows",
            result.report.orders, result.report.rows_read
        ),
        Err(e) => e,
    }
}

/// Per canonical key: (orders, revenue).
fn per_customer(table: &OrderTable) -> HashMap<String, (u64, f64)> {
    let mut out: HashMap<String, (u64, f64)> = HashMap::new();
    for order in &table.orders {
        let entry = out
            .entry(table.customer_keys[order.customer as usize].to_string())
            .or_default();
        entry.0 += 1;
        entry.1 += order.amount;
    }
    out
}

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

// ---------------------------------------------------------------- jp-sample

#[test]
fn jp_sample_utf8_and_cp932_give_the_same_table() {
    let utf8 = run(
        &shared("jp-sample/jp_orders_utf8bom.csv"),
        &ImportOptions::new(),
    );
    let cp932 = run(
        &shared("jp-sample/jp_orders_cp932.csv"),
        &ImportOptions::new(),
    );
    assert_eq!(utf8.report.encoding, TextEncoding::Utf8);
    assert_eq!(cp932.report.encoding, TextEncoding::ShiftJis);
    assert_eq!(cp932.report.undecodable_chars, 0);
    assert_eq!(utf8.table, cp932.table);
    // 髙 and ① survive cp932 decoding.
    assert!(cp932.table.product_names.iter().any(|p| p.contains('髙')));
}

#[test]
fn jp_sample_matches_the_ground_truth() {
    let result = run(
        &shared("jp-sample/jp_orders_utf8bom.csv"),
        &ImportOptions::new(),
    );
    let report = &result.report;
    assert_eq!(report.platform, Platform::Generic);
    assert_eq!(report.rule, OrderRule::TotalRepeated);
    assert_eq!(
        report.rows_read, 2235,
        "data lines of the file (wc -l minus header)"
    );
    assert!(report.is_reconciled());
    assert_eq!(report.rows_rejected, 0, "{:?}", report.rejected.first());
    assert_eq!(result.table.customer_count(), 400);
    assert_eq!(report.customers, 400);
    // 584 distinct raw spellings in the file (counted independently) merge into 400.
    assert_eq!(report.raw_keys, 584);
    assert!(report.merged_customers > 0 && report.merge_examples.len() == MERGE_EXAMPLES);
    // 購入者名 is never identity.
    assert_eq!(report.roles[3], ColumnRole::Ignore);

    let truth = shared("jp-sample/jp_orders_ground_truth_customers.csv");
    let mut reader = csv::Reader::from_reader(truth.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (email, n_orders, revenue) = (col("canonical_email"), col("n_orders"), col("revenue"));
    let ours = per_customer(&result.table);
    let mut checked = 0;
    let mut total_orders = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let key = &record[email];
        let expected_orders: u64 = record[n_orders].parse().unwrap();
        let expected_revenue: f64 = record[revenue].parse().unwrap();
        let (orders, revenue) = ours
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from the import"));
        assert_eq!(*orders, expected_orders, "{key}");
        assert!(
            (revenue - expected_revenue).abs() < MONEY_TOLERANCE,
            "{key}: {revenue}"
        );
        checked += 1;
        total_orders += expected_orders;
    }
    assert_eq!(checked, 400);
    assert_eq!(report.orders, total_orders);
}

#[test]
fn jp_sample_near_identical_emails_stay_apart() {
    let result = run(
        &shared("jp-sample/jp_orders_utf8bom.csv"),
        &ImportOptions::new(),
    );
    let keys: std::collections::HashSet<&str> = result.table.customer_keys.iter().collect();
    // Pairs one or two edits apart, found in the ground truth: different people.
    for (a, b) in [
        ("taro.yamada@example.jp", "taroyamada@example.jp"),
        ("yui_k@example.com", "yui-k@example.com"),
        ("ren.ito@example.ne.jp", "ren.ito1@example.ne.jp"),
        ("ai76@example.jp", "mai76@example.jp"),
        ("kenichi73@example.jp", "kenichi76@example.jp"),
    ] {
        assert!(keys.contains(a) && keys.contains(b), "{a} / {b}");
    }
}

#[test]
fn jp_sample_sniff_shows_settings_and_preview() {
    let bytes = shared("jp-sample/jp_orders_cp932.csv");
    let found = sniff(&bytes, &ImportOptions::new()).unwrap();
    assert_eq!(found.encoding, TextEncoding::ShiftJis);
    assert_eq!(found.delimiter, Delimiter::Comma);
    assert!(found.has_header);
    assert_eq!(found.headers.len(), 8);
    assert_eq!(found.headers[7], "合計金額");
    assert!(!found.date_order_ambiguous);
    assert_eq!(found.preview.len(), PREVIEW_ROWS);
    // Line 2 of the file: ORD-00101602,2025/12/31 21:19,…,"\1,650","\1,650".
    let first = &found.preview[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.fields[7], "\\1,650");
    assert_eq!(first.cells[1], PreviewCell::Read("2025-12-31".into()));
    assert_eq!(first.cells[3], PreviewCell::Unused);
    assert_eq!(first.cells[7], PreviewCell::Read("1650".into()));
    // The file has 2,236 lines; the sniffed part is the whole file.
    assert_eq!(found.line_estimate, 2236);
}

#[test]
fn shuffled_rows_give_the_same_customers() {
    let bytes = shared("jp-sample/jp_orders_utf8bom.csv");
    let text = std::str::from_utf8(&bytes).unwrap();
    let mut lines: Vec<&str> = text.split_inclusive("\r\n").collect();
    let header = lines.remove(0);
    let expected = per_customer(&run(&bytes, &ImportOptions::new()).table);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..3 {
        // Fisher–Yates with a fixed xorshift stream.
        for i in (1..lines.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            lines.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let shuffled = format!("{header}{}", lines.concat());
        let got = per_customer(&run(shuffled.as_bytes(), &ImportOptions::new()).table);
        assert_eq!(got.len(), expected.len());
        for (key, (orders, revenue)) in &expected {
            let (o, r) = got[key];
            assert_eq!(o, *orders, "{key}");
            assert!((r - revenue).abs() < MONEY_TOLERANCE, "{key}");
        }
    }
}

// ---------------------------------------------------------------- CDNOW

#[test]
fn cdnow_master_reads_by_its_header() {
    let result = run(&shared("cdnow/CDNOW_master.txt"), &ImportOptions::new());
    let report = &result.report;
    assert_eq!(report.delimiter, Delimiter::Whitespace);
    assert!(report.has_header);
    assert_eq!(report.platform, Platform::Cdnow);
    assert_eq!(report.rule, OrderRule::RowIsOrder);
    // Figures from the data's README.
    assert_eq!(report.rows_read, 69_659);
    assert_eq!(report.rows_used, 69_659);
    assert_eq!(report.customers, 23_570);
    assert_eq!(report.orders, 69_659);
    assert_eq!(report.first_day, Some(day(1997, 1, 1)));
    assert_eq!(report.last_day, Some(day(1998, 6, 30)));
    assert_eq!(report.zero_orders, 80);
    // Ids are zero-padded and kept as written.
    assert_eq!(result.table.customer_keys[0], *"00001");
}

#[test]
fn cdnow_sample_reads_by_position() {
    let bytes = shared("cdnow/CDNOW_sample.txt");
    let found = sniff(&bytes, &ImportOptions::new()).unwrap();
    assert_eq!(found.delimiter, Delimiter::Whitespace);
    assert!(!found.has_header);
    assert_eq!(found.headers, vec!["列1", "列2", "列3", "列4", "列5"]);
    // Without names, nothing is guessed: the user maps by position.
    assert!(matches!(
        import(&bytes, &ImportOptions::new(), &mut |_| true).map_err(|e| e.kind().clone()),
        Err(ImportErrorKind::NoDateColumn)
    ));
    let options = ImportOptions::new().with_roles(vec![
        ColumnRole::CustomerId,
        ColumnRole::Ignore,
        ColumnRole::OrderDate,
        ColumnRole::Ignore,
        ColumnRole::Amount,
    ]);
    let result = run(&bytes, &options);
    assert_eq!(result.report.rows_read, 6_919);
    assert_eq!(result.report.rows_used, 6_919);
    assert_eq!(result.report.customers, 2_357);
    assert_eq!(result.report.first_day, Some(day(1997, 1, 1)));
}

// ---------------------------------------------------------------- platforms
//
// Each real platform layout has its own folder under `tests/data/platforms/`, with the
// figures an independent script computed from the file (`expect.py` → `expected.json`).

/// The plain sheets a shop makes by hand: no platform, one row per order.
#[test]
fn plain_sheets_import_as_counted_by_hand() {
    // Ａ００１ is A001 after NFKC.
    for (file, revenue, first, last) in [
        ("plain_ja.csv", 4_400.0, (2024, 1, 5), (2024, 2, 3)),
        ("plain_en.csv", 4_000.0, (2024, 3, 1), (2024, 4, 1)),
    ] {
        let result = run(&fixture(file), &ImportOptions::new());
        let r = &result.report;
        assert_eq!(r.platform, Platform::Generic, "{file}");
        assert_eq!(r.rule, OrderRule::RowIsOrder, "{file}");
        assert_eq!((r.rows_read, r.rows_rejected), (3, 0), "{file}");
        assert_eq!((r.orders, r.customers), (3, 2), "{file}");
        assert!((r.revenue - revenue).abs() < MONEY_TOLERANCE, "{file}");
        assert_eq!(r.first_day, Some(day(first.0, first.1, first.2)), "{file}");
        assert_eq!(r.last_day, Some(day(last.0, last.1, last.2)), "{file}");
    }
}

#[test]
fn excel_unicode_text_imports() {
    // Excel's 「Unicode テキスト」: UTF-16LE with a BOM, tab-separated, CRLF.
    let text = "注文日\t顧客ID\t金額\r\n2024/01/05\tＣ１\t¥1,200\r\n2024/01/06\tC1\t800\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let result = run(&bytes, &ImportOptions::new());
    assert_eq!(result.report.encoding, TextEncoding::Utf16Le);
    assert_eq!(result.report.delimiter, Delimiter::Tab);
    assert_eq!(result.table.customer_keys, vec!["C1"]);
    assert_eq!(result.table.revenue(), 2_000.0);
}

#[test]
fn quoted_fields_with_commas_and_line_breaks() {
    let csv = "注文番号,注文日,メールアドレス,商品名,合計金額\n\
               1,2024/1/5,a@x.jp,\"ギフト,のし付き\n(名入れ)\",\"1,200\"\n\
               2,2024/1/6,b@x.jp,石けん,500\n\
               3,2024/1/7,c@x.jp,石けん,abc\n";
    let result = run(csv.as_bytes(), &ImportOptions::new());
    assert_eq!(result.table.product_names[0], "ギフト,のし付き\n(名入れ)");
    assert_eq!(result.report.rows_read, 3);
    // The bad row is on line 5: the quoted field of order 1 spans lines 2–3.
    assert_eq!(result.report.rejected[0].line, 5);
}

#[test]
fn wrong_widths_are_reported_and_trailing_commas_allowed() {
    let csv = "注文日,メールアドレス,金額\n\
               2024/1/5,a@x.jp,100,,\n\
               2024/1/6,b@x.jp\n\
               2024/1/7,c@x.jp,300,extra\n\
               ,,\n\
               2024/1/8,d@x.jp,400\n";
    let result = run(csv.as_bytes(), &ImportOptions::new());
    let r = &result.report;
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (5, 2, 3));
    let kinds: Vec<(u64, RowErrorKind)> = r
        .rejected
        .iter()
        .map(|x| (x.line, x.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                3,
                RowErrorKind::WrongWidth {
                    expected: 3,
                    found: 2
                }
            ),
            (
                4,
                RowErrorKind::WrongWidth {
                    expected: 3,
                    found: 4
                }
            ),
            (5, RowErrorKind::EmptyRow),
        ]
    );
}

#[test]
fn order_level_problems_reject_every_line_of_the_order() {
    let csv = "注文番号,注文日,メールアドレス,小計,合計金額\n\
               1,2024/1/5,a@x.jp,100,1000\n\
               1,2024/1/5,a@x.jp,200,1100\n\
               2,,b@x.jp,100,500\n\
               2,,b@x.jp,100,500\n\
               3,2024/1/7,,100,700\n\
               4,2024/1/8,d@x.jp,100,\n";
    let result = run(csv.as_bytes(), &ImportOptions::new());
    let r = &result.report;
    assert!(r.is_reconciled());
    assert_eq!((r.rows_read, r.rows_used), (6, 1));
    let kinds: Vec<(u64, RowErrorKind)> = r
        .rejected
        .iter()
        .map(|x| (x.line, x.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (3, RowErrorKind::ConflictingTotal { first: 1000.0 }),
            (4, RowErrorKind::MissingDate),
            (5, RowErrorKind::MissingDate),
            (6, RowErrorKind::MissingCustomer),
            (7, RowErrorKind::MissingAmount),
        ]
    );
    assert_eq!(result.table.revenue(), 1000.0);
}

#[test]
fn year_last_dates_need_an_order_unless_a_row_settles_it() {
    let ambiguous = "Date,Email,Amount\n01/02/2024,a@x.jp,100\n03/04/2024,b@x.jp,200\n";
    let found = sniff(ambiguous.as_bytes(), &ImportOptions::new()).unwrap();
    assert!(found.date_order_ambiguous);
    assert!(matches!(found.preview[0].cells[0], PreviewCell::Error(_)));
    let err = run_err(ambiguous.as_bytes(), &ImportOptions::new());
    assert_eq!(
        err.kind(),
        &ImportErrorKind::AmbiguousDates {
            column: "Date".into(),
            example: "01/02/2024".into()
        }
    );
    let month_first = run(
        ambiguous.as_bytes(),
        &ImportOptions::new().with_date_order(DateOrder::MonthFirst),
    );
    assert_eq!(month_first.report.first_day, Some(day(2024, 1, 2)));
    assert_eq!(month_first.report.date_order, Some(DateOrder::MonthFirst));
    let day_first = run(
        ambiguous.as_bytes(),
        &ImportOptions::new().with_date_order(DateOrder::DayFirst),
    );
    assert_eq!(day_first.report.first_day, Some(day(2024, 2, 1)));

    // 13/02/2024 can only be day-first: it settles the column.
    let settled = "Date,Email,Amount\n01/02/2024,a@x.jp,100\n13/02/2024,b@x.jp,200\n";
    let found = sniff(settled.as_bytes(), &ImportOptions::new()).unwrap();
    assert!(!found.date_order_ambiguous);
    assert_eq!(found.date_order, Some(DateOrder::DayFirst));
    assert_eq!(
        found.preview[0].cells[0],
        PreviewCell::Read("2024-02-01".into())
    );
    let result = run(settled.as_bytes(), &ImportOptions::new());
    assert_eq!(result.report.first_day, Some(day(2024, 2, 1)));
    assert_eq!(result.report.date_order, Some(DateOrder::DayFirst));

    // A chosen order refuses the dates it cannot read, by row.
    let mixed = "Date,Email,Amount\n01/13/2024,a@x.jp,100\n13/01/2024,b@x.jp,200\n";
    assert!(matches!(
        run_err(mixed.as_bytes(), &ImportOptions::new()).kind(),
        ImportErrorKind::AmbiguousDates { .. }
    ));
    let result = run(
        mixed.as_bytes(),
        &ImportOptions::new().with_date_order(DateOrder::MonthFirst),
    );
    assert_eq!(result.report.rows_used, 1);
    assert_eq!(
        result.report.rejected[0].message(),
        "3行目「Date」: 「13/01/2024」を日付として読めません"
    );
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_inputs_give_their_messages() {
    let header_only = "注文日,メールアドレス,金額\n";
    let cases: Vec<(&str, Vec<u8>, ImportOptions)> = vec![
        ("empty", b"".to_vec(), ImportOptions::new()),
        ("blank paste", b" \r\n\t\n".to_vec(), ImportOptions::new()),
        (
            "binary",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0".to_vec(),
            ImportOptions::new(),
        ),
        (
            "xlsx",
            b"PK\x03\x04\x14\0\x06\0".to_vec(),
            ImportOptions::new(),
        ),
        (
            "header only",
            header_only.as_bytes().to_vec(),
            ImportOptions::new(),
        ),
        (
            "no date column",
            "メールアドレス,金額\na@x.jp,100\n".as_bytes().to_vec(),
            ImportOptions::new(),
        ),
        (
            "no amount column",
            "注文日,メールアドレス\n2024/1/5,a@x.jp\n"
                .as_bytes()
                .to_vec(),
            ImportOptions::new(),
        ),
        (
            "no customer column",
            "注文日,購入者名,金額\n2024/1/5,山田 太郎,100\n"
                .as_bytes()
                .to_vec(),
            ImportOptions::new(),
        ),
        (
            "ambiguous dates",
            "Date,Email,Amount\n01/02/2024,a@x.jp,100\n"
                .as_bytes()
                .to_vec(),
            ImportOptions::new(),
        ),
        (
            "no usable rows",
            "注文日,メールアドレス,金額\n2024/1/5,a@x.jp,\"12,5€\"\n2024/2/30,b@x.jp,100\n"
                .as_bytes()
                .to_vec(),
            ImportOptions::new(),
        ),
        (
            "duplicate role",
            "a,b,c\n2024/1/5,x@y.jp,1\n".as_bytes().to_vec(),
            ImportOptions::new().with_roles(vec![
                ColumnRole::OrderDate,
                ColumnRole::Email,
                ColumnRole::Email,
            ]),
        ),
        (
            "role out of range",
            "a,b\n2024/1/5,1\n".as_bytes().to_vec(),
            ImportOptions::new().with_roles(vec![
                ColumnRole::OrderDate,
                ColumnRole::Amount,
                ColumnRole::Email,
            ]),
        ),
    ];
    let mut text = String::new();
    for (name, bytes, options) in cases {
        let err = run_err(&bytes, &options);
        text.push_str(&format!("{name}: {err}\n"));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn bad_rows_give_their_messages_with_line_numbers() {
    let csv = "注文番号,注文日時,メールアドレス,数量,合計金額\n\
               1,2024/01/05 10:00,a@x.jp,1,1000\n\
               2,2024/02/30 10:00,b@x.jp,1,1000\n\
               3,2024/03/01 10:00,c@x.jp,たくさん,1000\n\
               4,2024/03/02 10:00,d@x.jp,1,\"12,5€\"\n\
               5,2024/03/03 10:00,e@x.jp,1\n";
    let result = run(csv.as_bytes(), &ImportOptions::new());
    assert!(result.report.is_reconciled());
    let messages: Vec<String> = result
        .report
        .rejected
        .iter()
        .map(RejectedRow::message)
        .collect();
    insta::assert_snapshot!(messages.join("\n"));
    assert_eq!(
        messages[2], "5行目「合計金額」: 「12,5€」を金額として読めません",
        "the example of the issue"
    );
    let download = rejected_rows_csv(&result.report.rejected);
    assert_eq!(download.lines().count(), 1 + 4);
}

#[test]
fn progress_is_reported_and_cancel_stops() {
    let bytes = shared("cdnow/CDNOW_master.txt");
    let mut calls = Vec::new();
    import(&bytes, &ImportOptions::new(), &mut |p| {
        calls.push(p);
        true
    })
    .unwrap();
    let total = bytes.len() as u64;
    // About every 64 KiB of ~1.9 MB, plus the start and the end.
    assert!(calls.len() >= 25, "{}", calls.len());
    assert_eq!(calls.first().map(|p| p.bytes_done), Some(0));
    assert_eq!(calls.last().map(|p| p.bytes_done), Some(total));
    assert!(calls.windows(2).all(|w| w[0].bytes_done <= w[1].bytes_done));
    assert!(calls.iter().all(|p| p.bytes_total == total));

    let mut seen = 0;
    let err = import(&bytes, &ImportOptions::new(), &mut |_| {
        seen += 1;
        seen < 3
    })
    .unwrap_err();
    assert_eq!(err.kind(), &ImportErrorKind::Cancelled);
}

#[test]
fn sniff_estimates_lines_of_a_large_file() {
    // 20,000 lines of 40 bytes: larger than the sniffed part.
    let mut text = String::from("order_date,email,amount\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "2024-01-{:02},c{:06}@example.jp,{:04}\n",
            i % 28 + 1,
            i,
            i % 9000
        ));
    }
    let found = sniff(text.as_bytes(), &ImportOptions::new()).unwrap();
    let lines = 20_001f64;
    assert!(
        ((found.line_estimate as f64) - lines).abs() / lines < 0.05,
        "{}",
        found.line_estimate
    );
}

#[test]
fn options_override_detection() {
    let text = "a;b;c\n2024/1/5;x@y.jp;100\n";
    let options = ImportOptions::new()
        .with_delimiter(Delimiter::Semicolon)
        .with_has_header(true)
        .with_encoding(TextEncoding::Utf8)
        .with_roles(vec![
            ColumnRole::OrderDate,
            ColumnRole::Email,
            ColumnRole::Amount,
        ]);
    let result = run(text.as_bytes(), &options);
    assert_eq!(result.report.headers, vec!["a", "b", "c"]);
    assert_eq!(result.table.revenue(), 100.0);
    let json = serde_json::to_string(&options).unwrap();
    assert_eq!(
        serde_json::from_str::<ImportOptions>(&json).unwrap(),
        options
    );
}

// ---------------------------------------------------------------- the sample export

#[test]
fn the_sample_export_is_a_realistic_shop() {
    let bytes = sample_export();
    assert!(bytes.len() <= 150 * 1024, "{}", bytes.len());
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    let result = run(bytes, &ImportOptions::new());
    let r = &result.report;
    assert_eq!(r.rows_rejected, 0);
    assert_eq!(r.rule, OrderRule::TotalRepeated);
    assert!((250..=300).contains(&r.customers), "{}", r.customers);
    assert!(
        r.merged_customers > 0,
        "some emails are spelled several ways"
    );
    assert!(r.negative_orders > 0, "a few returns");
    let (first, last) = (r.first_day.unwrap(), r.last_day.unwrap());
    assert!(last - first > 600, "about two years");
    let counts = per_customer(&result.table);
    let one_time = counts.values().filter(|c| c.0 == 1).count();
    let repeat = counts.values().filter(|c| c.0 >= 3).count();
    assert!(
        one_time > 50 && repeat > 50,
        "{one_time} one-time, {repeat} repeat"
    );
    // Dormant customers: last order over a year before the end of the data.
    let mut last_order: HashMap<u32, Day> = HashMap::new();
    for o in &result.table.orders {
        let e = last_order.entry(o.customer).or_insert(o.day);
        *e = (*e).max(o.day);
    }
    assert!(last_order.values().filter(|&&d| last - d > 365).count() > 10);
    assert!(result
        .table
        .product_names
        .iter()
        .any(|p| p.contains("お試しセット")));
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = sniff(&bytes, &ImportOptions::new());
        if let Ok(result) = import(&bytes, &ImportOptions::new(), &mut |_| true) {
            prop_assert!(result.report.is_reconciled());
        }
    }

    #[test]
    fn csv_like_text_never_panics(
        rows in proptest::collection::vec(
            "[0-9a-zA-Z@.,;\"\t /:¥円▲\\-]{0,40}|2024/0[1-9]/[0-3][0-9],[a-c]@x\\.jp,[0-9,]{1,7}",
            0..30,
        ),
        header in prop_oneof![
            Just("注文日,メールアドレス,金額"),
            Just("注文番号,注文日時,購入者メールアドレス,小計,合計金額"),
            Just(""),
        ],
        crlf: bool,
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let text = format!("{header}{newline}{}", rows.join(newline));
        let _ = sniff(text.as_bytes(), &ImportOptions::new());
        for options in [ImportOptions::new(), ImportOptions::new().with_date_order(DateOrder::DayFirst)] {
            if let Ok(result) = import(text.as_bytes(), &options, &mut |_| true) {
                let r = &result.report;
                prop_assert!(r.is_reconciled());
                prop_assert_eq!(r.orders, result.table.orders.len() as u64);
                prop_assert!(result.table.orders.iter().all(|o| o.amount.is_finite()));
                prop_assert!(result.table.orders.iter().all(|o| (o.customer as usize) < result.table.customer_keys.len()));
                prop_assert!(result.table.lines.iter().all(|l| (l.order as usize) < result.table.orders.len()));
            }
        }
    }

    #[test]
    fn row_order_does_not_change_customer_totals(seed: u64) {
        let text = std::str::from_utf8(sample_export()).unwrap();
        let mut lines: Vec<&str> = text.split_inclusive("\r\n").collect();
        let header = lines.remove(0);
        let expected = per_customer(&run(sample_export(), &ImportOptions::new()).table);
        let mut state = seed | 1;
        for i in (1..lines.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            lines.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let shuffled = format!("{header}{}", lines.concat());
        let got = per_customer(&run(shuffled.as_bytes(), &ImportOptions::new()).table);
        prop_assert_eq!(got.len(), expected.len());
        for (key, (orders, revenue)) in &expected {
            let (o, r) = got[key];
            prop_assert_eq!(o, *orders);
            prop_assert!((r - revenue).abs() < MONEY_TOLERANCE);
        }
    }
}

// ---------------------------------------------------------------- identity and status

/// Placeholder IDs the generator writes for guests.
const GUEST_IDS: [&str; 5] = ["0", "", "guest", "-", "ゲスト"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A placeholder ID never makes one customer of two e-mail addresses: guests are told
    /// apart by e-mail, members by their ID.
    #[test]
    fn placeholder_ids_never_merge_emails(
        rows in proptest::collection::vec((0usize..7, 0usize..6, 1u32..9_999), 1..50)
    ) {
        let mut csv = String::from("注文番号,会員ID,メールアドレス,注文日,合計\n");
        let mut expected: std::collections::HashSet<String> = Default::default();
        let mut guests = 0u64;
        for (n, &(who, mail, amount)) in rows.iter().enumerate() {
            let (id, email) = if who < GUEST_IDS.len() {
                guests += 1;
                expected.insert(format!("guest{mail}@example.jp"));
                (GUEST_IDS[who].to_string(), format!("Guest{mail}@Example.jp"))
            } else {
                // Two members, each always with their own address.
                expected.insert(format!("M{who}"));
                (format!("M{who}"), format!("member{who}@example.jp"))
            };
            csv.push_str(&format!("{n},{id},{email},2024/01/{:02},{amount}\n", n % 28 + 1));
        }
        let result = run(csv.as_bytes(), &ImportOptions::new());
        let keys: std::collections::HashSet<String> =
            result.table.customer_keys.iter().map(str::to_string).collect();
        prop_assert_eq!(keys, expected);
        prop_assert_eq!(result.report.guest_orders, guests);
    }
}

#[test]
fn an_id_shared_by_many_emails_is_not_a_person() {
    // "SHOP" is the staff's own member ID, used for three phone orders of three people.
    let csv = "注文番号,会員ID,メールアドレス,注文日,合計\n\
               1,SHOP,a@example.jp,2024/01/05,1000\n\
               2,SHOP,b@example.jp,2024/01/06,2000\n\
               3,SHOP,c@example.jp,2024/01/07,3000\n\
               4,M9,d@example.jp,2024/01/08,4000\n\
               5,M9,D@example.jp,2024/02/08,4000\n\
               6,M7,e@example.jp,2024/01/08,500\n\
               7,M7,e2@example.jp,2024/02/08,500\n";
    let result = run(csv.as_bytes(), &ImportOptions::new());
    let r = &result.report;
    assert_eq!(r.shared_ids, 1);
    assert_eq!(r.guest_orders, 3);
    // A member who changed address once stays one customer.
    assert_eq!(
        result.table.customer_keys,
        vec!["a@example.jp", "b@example.jp", "c@example.jp", "M9", "M7"]
    );
}

#[test]
fn a_generic_status_column_leaves_cancelled_orders_out() {
    let csv = "注文番号,注文日,メールアドレス,合計金額,注文状況\n\
               1,2024/01/05,a@example.jp,1000,発送済み\n\
               2,2024/01/06,a@example.jp,2000,キャンセル\n\
               3,2024/01/07,b@example.jp,3000,返品\n\
               4,2024/01/08,c@example.jp,4000,注文取消\n";
    let found = sniff(csv.as_bytes(), &ImportOptions::new()).unwrap();
    assert_eq!(found.rules.status_column.as_deref(), Some("注文状況"));
    assert!(found.rules.status_keywords);
    let result = run(csv.as_bytes(), &ImportOptions::new());
    let r = &result.report;
    assert_eq!((r.orders, r.customers, r.revenue), (1, 1, 1000.0));
    assert_eq!((r.rows_used, r.rows_rejected, r.rows_excluded), (1, 0, 3));
    assert!(r.is_reconciled());
    let groups: Vec<(&str, Exclusion, u64, f64)> = r
        .excluded
        .iter()
        .map(|g| (g.value.as_str(), g.kind, g.orders, g.amount))
        .collect();
    assert_eq!(
        groups,
        [
            ("キャンセル", Exclusion::Cancelled, 1, 2000.0),
            ("返品", Exclusion::Returned, 1, 3000.0),
            ("注文取消", Exclusion::Cancelled, 1, 4000.0),
        ]
    );
    assert!(!r.excluded_included);
    let kept = run(
        csv.as_bytes(),
        &ImportOptions::new().with_include_excluded(true),
    );
    assert_eq!((kept.report.orders, kept.report.revenue), (4, 10_000.0));
    assert!(kept.report.excluded_included);
    assert_eq!(kept.report.excluded_totals(), (3, 9_000.0));
}

#[test]
fn a_stray_quote_loses_one_row_not_the_rest_of_the_file() {
    let mut csv = String::from("注文番号,注文日,メールアドレス,合計金額\n");
    for n in 1..=300 {
        let quote = if n == 100 || n == 180 { "\"" } else { "" };
        csv.push_str(&format!(
            "{n},2024/01/{:02},{quote}c{}@example.jp,1000\n",
            n % 28 + 1,
            n % 40
        ));
    }
    let result = run(csv.as_bytes(), &ImportOptions::new());
    let r = &result.report;
    assert_eq!(r.rows_read, 300);
    assert_eq!((r.rows_used, r.rows_rejected), (298, 2));
    let lines: Vec<u64> = r.rejected.iter().map(|x| x.line).collect();
    assert_eq!(lines, vec![101, 181]);
    assert!(r
        .rejected
        .iter()
        .all(|x| x.kind == RowErrorKind::UnclosedQuote));
    assert_eq!(r.orders, 298);
    assert!(r.rejected[0]
        .message()
        .starts_with("101行目: 「\"」で始まる値が閉じられていない"));
    // A quoted cell that spans lines, as Shopify's notes do, is still one row.
    let notes = "注文番号,注文日,メールアドレス,合計金額,備考\n\
                 1,2024/01/05,a@example.jp,1000,\"二行の\n備考\"\n\
                 2,2024/01/06,b@example.jp,2000,\n";
    let r = run(notes.as_bytes(), &ImportOptions::new()).report;
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (2, 2, 0));
}

#[test]
fn dates_out_of_reach_are_set_aside_with_their_line() {
    let csv = "注文番号,注文日,メールアドレス,合計金額\n\
               1,2024/01/05,a@example.jp,1000\n\
               2,2099/01/01,a@example.jp,550\n\
               3,1924/03/01,b@example.jp,700\n\
               4,2024/02/05,b@example.jp,2000\n";
    let today = day(2026, 12, 1);
    let r = run(csv.as_bytes(), &ImportOptions::new().with_today(today)).report;
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (4, 2, 2));
    assert_eq!(
        r.last_day,
        Some(day(2024, 2, 5)),
        "the 基準日 does not jump"
    );
    assert_eq!(r.first_day, Some(day(2024, 1, 5)));
    let kinds: Vec<&RowErrorKind> = r.rejected.iter().map(|x| &x.kind).collect();
    assert_eq!(
        kinds,
        vec![&RowErrorKind::DateInFuture, &RowErrorKind::DateTooEarly]
    );
    assert_eq!(
        r.rejected[0].message(),
        "3行目「注文日」: 「2099-01-01」は今日より後の日付です（入力の誤りと見て、集計に入れていません）"
    );
}

#[test]
fn a_line_of_thousands_of_fields_is_refused_at_once() {
    let wide = format!("{}\n1,2\n", ",".repeat(20_000));
    let err = sniff(wide.as_bytes(), &ImportOptions::new()).unwrap_err();
    assert!(matches!(
        err.kind(),
        ImportErrorKind::TooManyColumns { found: 20_001, .. }
    ));
    assert!(err.message().contains("20001列"), "{}", err.message());
    // A wide row further down is previewed with one cell past the header's width.
    let csv = format!(
        "注文日,顧客ID,金額\n2024/01/05,C1,100\n{}\n",
        "x,".repeat(5_000)
    );
    let found = sniff(csv.as_bytes(), &ImportOptions::new()).unwrap();
    assert_eq!(found.preview[1].cells.len(), 4);
}

#[test]
fn smaller_hostile_inputs_are_located_or_read() {
    // A plain digit string past the amount cap is refused like any other form.
    assert_eq!(parse_amount("999999999999999"), None);
    assert_eq!(parse_amount("12800"), Some(12800.0));
    // One NUL byte in one cell does not make the file "not text".
    let csv = b"\xe6\xb3\xa8\xe6\x96\x87\xe6\x97\xa5,\xe9\xa1\xa7\xe5\xae\xa2ID,\xe9\x87\x91\xe9\xa1\x8d\n2024/01/05,C\x001,100\n2024/01/06,C2,200\n";
    let r = run(csv, &ImportOptions::new()).report;
    assert_eq!(r.rows_read, 2);
    // UTF-16BE without a BOM is named, not called binary.
    let mut be = Vec::new();
    for unit in "order_date,amount\n2024-01-05,100\n".encode_utf16() {
        be.extend_from_slice(&unit.to_be_bytes());
    }
    let err = sniff(&be, &ImportOptions::new()).unwrap_err();
    assert!(err.message().contains("UTF-16BE"), "{}", err.message());
    // Characters the encoding cannot read are located.
    let mut bytes = "注文日,顧客ID,金額\n2024/01/05,C1,100\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"2024/01/06,C\xff2,200\n");
    let r = run(
        &bytes,
        &ImportOptions::new().with_encoding(TextEncoding::Utf8),
    )
    .report;
    assert_eq!(r.first_undecodable_line, Some(3));
}

/// The rows keep a line's high bits and the guest mark beside their 24 bytes: lines past
/// 2³² come back whole, across several boundaries, and only the marked rows are guests'.
#[test]
fn rows_keep_long_line_numbers_and_guest_marks() {
    let lines: [u64; 7] = [
        2,
        3,
        (1 << 32) - 1,
        1 << 32,
        (1 << 32) + 5,
        3 << 32,
        (3 << 32) + 1,
    ];
    let mut rows = Rows::default();
    for (r, &line) in lines.iter().enumerate() {
        let row = RowData {
            line: line as u32,
            customer: r as u32,
            date: PackedDate::pack(None),
            amount: 0.0,
        };
        rows.push(line, row, r % 3 == 1);
    }
    rows.set_guest(130);
    for (r, &line) in lines.iter().enumerate() {
        assert_eq!(rows.line(r), line, "row {r}");
        assert_eq!(rows.guest(r), r % 3 == 1, "row {r}");
    }
    assert!(rows.guest(130) && !rows.guest(129) && !rows.guest(1_000));
}

/// The ASCII shortcut of [`is_placeholder_id`] answers as the whole rule does (the key
/// folded, trimmed, compared without case, or all zeros).
#[test]
fn placeholder_ids_read_the_same_the_short_way() {
    let by_rule = |id: &str| {
        let key = canonical_key(id);
        let key = key.trim();
        PLACEHOLDER_IDS.iter().any(|p| key.eq_ignore_ascii_case(p)) || key.chars().all(|c| c == '0')
    };
    let ids = [
        "0",
        " 000 ",
        "0000000000",
        "00 0",
        "Guest",
        " GUEST ",
        "guests",
        "guest1",
        "n/a",
        "N/A",
        "NULL",
        "null ",
        "nullx",
        "None",
        "-",
        " - ",
        "--",
        "a@b",
        "0@0",
        "G@ST",
        "C058628",
        "12345",
        "ゲスト",
        "ｇｕｅｓｔ",
        "０",
        "非会員",
        " なし ",
        "ー",
        "―",
        "S0001174",
    ];
    for id in ids {
        assert_eq!(is_placeholder_id(id), by_rule(id), "{id:?}");
    }
    assert!(is_placeholder_id(" GUEST ") && is_placeholder_id("0000000000"));
    assert!(!is_placeholder_id("guests") && !is_placeholder_id("C058628"));
}

// ---------------------------------------------------------------- numbering by first use

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Ids that come in order for a while (the usual case) and then in any order are
    /// numbered as a lookup table numbers them: by first use, each id once.
    #[test]
    fn first_use_numbers_ids_as_a_table_does(
        in_order in proptest::collection::vec(0u32..3, 0..40),
        any_order in proptest::collection::vec(0u32..60, 0..80),
    ) {
        // The in-order stretch: each step repeats a seen id or brings the next one.
        let mut ids = Vec::new();
        let mut next = 0u32;
        for step in in_order {
            if step == 0 || next == 0 {
                ids.push(next);
                next += 1;
            } else {
                ids.push(next - step.min(next));
            }
        }
        ids.extend(any_order);
        let count = ids.iter().max().map_or(1, |&m| m as usize + 1);
        let mut numbering = FirstUse::new(count);
        let mut table: HashMap<u32, u32> = HashMap::new();
        for &id in &ids {
            let expected_new = !table.contains_key(&id);
            let n = table.len() as u32;
            let expected = *table.entry(id).or_insert(n);
            prop_assert_eq!(numbering.number(id), (expected, expected_new));
        }
        for id in 0..count as u32 {
            prop_assert_eq!(numbering.get(id), table.get(&id).copied());
        }
    }
}

/// A numbered customer whose first row is rejected while the orders are built (a date
/// before 1990, read but out of range) is numbered at their next row, after the customers of
/// the rows between: the IDs, indexed as first read, then no longer come in order, and the
/// customers numbered before must keep their numbers.
#[test]
fn customers_are_numbered_by_their_first_kept_order() {
    let text = "customer_id,order_date,amount\n\
                C000001,2024-01-01,1000\n\
                C000002,1989-12-31,2000\n\
                C000003,2024-01-03,3000\n\
                C000001,2024-01-04,4000\n\
                C000002,2024-01-05,5000\n\
                C000004,2024-01-06,6000\n\
                C000003,2024-01-07,7000\n";
    let result = run(text.as_bytes(), &ImportOptions::new());
    assert_eq!(result.report.rows_rejected, 1);
    let keys: Vec<&str> = result.table.customer_keys.iter().collect();
    assert_eq!(keys, ["C000001", "C000003", "C000002", "C000004"]);
    let customers: Vec<u32> = result.table.orders.iter().map(|o| o.customer).collect();
    assert_eq!(customers, [0, 1, 0, 2, 3, 1]);
}
