//! Every platform's real export layout, imported with no manual mapping, against the figures
//! an independent script computed from the same file.
//!
//! Each folder under `tests/data/platforms/` holds an export laid out exactly as the platform
//! writes it (the source of the layout is in its `SOURCE.md`), and `expected.json`, written by
//! the folder's `expect.py` from the file with the platform's rules written out again in
//! Python. Cancelled, unpaid and returned orders are left out of the expected figures.

use std::path::{Path, PathBuf};

use ltv_core::analysis::export::file_text;
use ltv_core::import::{
    import, sniff, Import, ImportErrorKind, ImportOptions, Platform, RevenueBasis, TextEncoding,
};
use ltv_core::orders::iso_date;
use serde_json::Value;

/// Money in the fixtures is whole yen (or cents): sums agree to well within this.
const MONEY_TOLERANCE: f64 = 0.005;

fn platforms_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/platforms")
}

struct Fixture {
    name: String,
    bytes: Vec<u8>,
    expected: Value,
}

fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(platforms_dir())
        .expect("tests/data/platforms is in the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.json").exists())
        .collect();
    dirs.sort();
    for dir in dirs {
        let expected: Value =
            serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
        let file = expected["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        out.push(Fixture {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            bytes,
            expected,
        });
    }
    assert!(out.len() >= 13, "one fixture per platform: {}", out.len());
    out
}

fn platform_named(name: &str) -> Platform {
    Platform::ALL
        .into_iter()
        .find(|p| format!("{p:?}") == name)
        .unwrap_or_else(|| panic!("no platform {name}"))
}

fn options_for(f: &Fixture) -> ImportOptions {
    // WooCommerce has no e-mail: the user agrees to names as keys.
    ImportOptions::new().with_name_as_key(f.expected["platform"] == "WooCommerce")
}

fn run(f: &Fixture, options: &ImportOptions) -> Import {
    import(&f.bytes, options, &mut |_| true)
        .unwrap_or_else(|e| panic!("{}: {}", f.name, e.message()))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn count(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

fn assert_money(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < MONEY_TOLERANCE,
        "{what}: got {got}, want {want}"
    );
}

#[test]
fn every_platform_is_recognised_without_help() {
    for f in fixtures() {
        let want = platform_named(f.expected["platform"].as_str().unwrap());
        let found = sniff(&f.bytes, &ImportOptions::new()).unwrap();
        assert_eq!(found.platform, want, "{}", f.name);
        assert!(
            !found.detection.needs_choice(),
            "{}: {:?}",
            f.name,
            found.detection
        );
        let encoding = match f.expected["encoding"].as_str().unwrap() {
            "cp932" => TextEncoding::ShiftJis,
            _ => TextEncoding::Utf8,
        };
        assert_eq!(found.encoding, encoding, "{}", f.name);
        let want = f.expected["status_column"].as_str();
        let status = found.rules.status_column.as_deref();
        let cancelled_at = found.rules.cancelled_at_column.as_deref();
        assert!(
            want == status || want == cancelled_at,
            "{}: {want:?}, found {status:?} / {cancelled_at:?}",
            f.name
        );
    }
}

#[test]
fn every_platform_gives_the_independent_figures() {
    for f in fixtures() {
        let e = &f.expected;
        let name = &f.name;
        let r = run(&f, &options_for(&f)).report;
        assert!(r.is_reconciled(), "{name}");
        assert_eq!(r.rows_read, count(&e["rows"]), "{name}");
        assert_eq!(r.rows_rejected, 0, "{name}: {:?}", r.rejected);
        assert_eq!(r.orders, count(&e["orders"]), "{name}");
        assert_eq!(r.customers, count(&e["customers"]), "{name}");
        assert_money(r.revenue, num(&e["revenue"]), name);
        assert_eq!(
            r.first_day.map(iso_date).as_deref(),
            e["first_day"].as_str(),
            "{name}"
        );
        assert_eq!(
            r.last_day.map(iso_date).as_deref(),
            e["last_day"].as_str(),
            "{name}"
        );
        let (excluded, excluded_amount) = r.excluded_totals();
        assert_eq!(excluded, count(&e["cancelled_orders"]), "{name}");
        assert_money(excluded_amount, num(&e["cancelled_revenue"]), name);
        assert_eq!(r.guest_orders, count(&e["guest_orders"]), "{name}");
        assert_eq!(r.lines, count(&e["product_lines"]), "{name}");
        // The sentence names the columns the figure came from: those the script summed, or
        // the after-points total with the discounts added back (the same sum).
        let sentence = file_text::revenue_rule_sentence(&r.revenue_rule);
        let names = |columns: &str| {
            columns
                .split(" + ")
                .all(|c| sentence.contains(&format!("「{c}」")))
        };
        let added_back = !r.revenue_rule.plus.is_empty()
            && e["revenue_after_points_column"]
                .as_str()
                .is_some_and(|c| sentence.starts_with(&format!("売上 = 注文ごとの「{c}」")));
        assert!(
            names(e["revenue_column"].as_str().unwrap()) || added_back,
            "{name}: {sentence}"
        );
        if excluded > 0 {
            assert!(!r.excluded_included, "{name}: left out, not kept");
        }
    }
}

#[test]
fn cancelled_orders_can_be_kept() {
    for f in fixtures() {
        let e = &f.expected;
        let name = &f.name;
        let r = run(&f, &options_for(&f).with_include_excluded(true)).report;
        assert!(r.is_reconciled(), "{name}");
        assert_eq!(r.rows_excluded, 0, "{name}");
        assert_eq!(r.orders, count(&e["orders_with_cancelled"]), "{name}");
        assert_eq!(r.customers, count(&e["customers_with_cancelled"]), "{name}");
        assert_money(r.revenue, num(&e["revenue_with_cancelled"]), name);
    }
}

#[test]
fn revenue_after_points_where_the_export_has_it() {
    for f in fixtures() {
        let e = &f.expected;
        let name = &f.name;
        let Some(after) = e["revenue_after_points"].as_f64() else {
            continue;
        };
        let before = run(&f, &options_for(&f)).report;
        assert!(before.revenue_rule.switchable, "{name}");
        let r = run(&f, &options_for(&f).with_revenue(RevenueBasis::AfterPoints)).report;
        assert_eq!(r.revenue_rule.basis, RevenueBasis::AfterPoints, "{name}");
        assert_money(r.revenue, after, name);
        assert_eq!(r.orders, count(&e["orders"]), "{name}");
        let column = e["revenue_after_points_column"].as_str().unwrap();
        assert!(
            file_text::revenue_rule_sentence(&r.revenue_rule).contains(column),
            "{name}"
        );
    }
}

#[test]
fn names_key_customers_only_with_consent() {
    let woo = fixtures()
        .into_iter()
        .find(|f| f.expected["platform"] == "WooCommerce")
        .unwrap();
    let found = sniff(&woo.bytes, &ImportOptions::new()).unwrap();
    assert!(found.rules.name_needs_consent);
    let err = import(&woo.bytes, &ImportOptions::new(), &mut |_| true).unwrap_err();
    assert!(matches!(
        err.kind(),
        ImportErrorKind::NameNeedsConsent { .. }
    ));
    assert!(err.message().contains("同姓同名"), "{}", err.message());
}

#[test]
fn shuffled_rows_give_the_same_figures() {
    // Reversing the data rows (orders stay whole: their lines keep their neighbours) and
    // moving the cancelled orders to the end change no figure.
    for f in fixtures() {
        let name = &f.name;
        let options = options_for(&f);
        let base = run(&f, &options).report;
        let encoding = match f.expected["encoding"].as_str().unwrap() {
            "cp932" => TextEncoding::ShiftJis,
            _ => TextEncoding::Utf8,
        };
        let Some(reordered) = reorder_records(&f.bytes, encoding) else {
            continue;
        };
        let options = options.with_encoding(encoding);
        let r = import(&reordered, &options, &mut |_| true)
            .unwrap_or_else(|e| panic!("{name}: {}", e.message()))
            .report;
        assert_eq!(r.orders, base.orders, "{name}");
        assert_eq!(r.customers, base.customers, "{name}");
        assert_money(r.revenue, base.revenue, name);
        assert_eq!(r.excluded_totals().0, base.excluded_totals().0, "{name}");
        assert_eq!(
            (r.first_day, r.last_day),
            (base.first_day, base.last_day),
            "{name}"
        );
    }
}

/// The file with its records in reverse order, the header first. Records are cut with a
/// real CSV reader (a quoted cell may hold a line break). `None` for exports whose later
/// lines depend on the first (Shopify's order fields on the first line only).
fn reorder_records(bytes: &[u8], encoding: TextEncoding) -> Option<Vec<u8>> {
    let text = match encoding {
        TextEncoding::ShiftJis => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
        _ => String::from_utf8_lossy(bytes)
            .trim_start_matches('\u{feff}')
            .to_string(),
    };
    let first_line = text.lines().next()?;
    if first_line.starts_with("Name,Email,Financial Status") {
        return None;
    }
    let delimiter = if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .quoting(delimiter != b'\t')
        .from_reader(text.as_bytes());
    let mut records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let header = records.remove(0);
    // Group the records of one order (adjacent, same first column) and reverse the groups.
    let mut groups: Vec<Vec<csv::StringRecord>> = Vec::new();
    for record in records {
        match groups.last_mut() {
            Some(g) if g[0].get(0) == record.get(0) => g.push(record),
            _ => groups.push(vec![record]),
        }
    }
    groups.reverse();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .quote_style(if delimiter == b'\t' {
            csv::QuoteStyle::Never
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for record in groups.iter().flatten() {
        writer.write_record(record).unwrap();
    }
    let out = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    Some(match encoding {
        TextEncoding::ShiftJis => encoding_rs::SHIFT_JIS.encode(&out).0.into_owned(),
        _ => out.into_bytes(),
    })
}
