//! Numbered customer keys are handed out as stand-ins while a file is read and given their
//! indexes afterwards ([`KeyInterner::defer_numbered`](identity::KeyInterner)). Interning
//! each key at once must give exactly the same: the same table and the same report. Checked
//! on every file the tests use, and on generated exports whose keys switch between numbered
//! and other kinds anywhere (the stand-ins are then settled mid-file, a row's e-mail before
//! its ID), read whole and in parts.

use proptest::prelude::*;

use super::stream_tests::{files, option_sets};
use super::*;

/// The import with numbered keys deferred and with each key interned at once, as text (tables
/// hold NaN in places, which `==` would not match); `parts` > 1 reads the deferred one in
/// that many parts.
fn both(bytes: &[u8], options: &ImportOptions, parts: usize) -> (String, String) {
    let run = |defer: bool| {
        NEVER_DEFER.with(|d| d.set(!defer));
        let result = if defer && parts > 1 {
            import_parallel(bytes, options, parts)
        } else {
            import(bytes, options, &mut |_| true)
        };
        NEVER_DEFER.with(|d| d.set(false));
        format!("{result:?}")
    };
    (run(true), run(false))
}

#[test]
fn every_test_file_reads_the_same_with_keys_deferred() {
    let mut read = 0;
    for (name, bytes) in files() {
        for options in option_sets() {
            for parts in [1, 3] {
                let (deferred, at_once) = both(&bytes, &options, parts);
                assert!(
                    deferred == at_once,
                    "{name} in {parts} part(s) with {options:?}: deferring keys changed the import"
                );
                read += usize::from(deferred.starts_with("Ok"));
            }
        }
    }
    assert!(read >= 80, "only {read} imports succeeded");
}

/// A made-up export: ID and e-mail from values that switch between the kinds of key (the
/// numbered form, another prefix, fewer digits, full width, blank, a placeholder, an e-mail
/// cell holding a numbered key), a date and an amount.
fn export(rows: &[(usize, usize, usize)]) -> String {
    let mut text = String::from("会員ID,メールアドレス,注文日,金額\n");
    for (i, &(id, email, n)) in rows.iter().enumerate() {
        let id = match id {
            0..=5 => format!("C{n:06}"),
            6 => format!("D{n:06}"),
            7 => format!("C{n:03}"),
            8 => format!("Ｃ{n:06}"),
            9 => String::new(),
            10 => "0".to_string(),
            _ => format!("{n}"),
        };
        let email = match email {
            0..=3 => String::new(),
            4 => format!("C{n:06}"),
            5 => format!("u{n}@example.jp"),
            _ => format!("U{n}@Example.jp "),
        };
        let day = 1 + i % 28;
        text.push_str(&format!("{id},{email},2024-01-{day:02},{}\n", 1000 + n));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_keys_read_the_same_deferred(
        rows in proptest::collection::vec((0usize..12, 0usize..7, 0usize..30), 1..60),
        with_email in any::<bool>(),
        parts in 1usize..4,
    ) {
        let bytes = export(&rows).into_bytes();
        let role = |on: bool, role: ColumnRole| if on { role } else { ColumnRole::Ignore };
        let roles = vec![
            ColumnRole::CustomerId,
            role(with_email, ColumnRole::Email),
            ColumnRole::OrderDate,
            ColumnRole::Amount,
        ];
        let options = ImportOptions::new()
            .with_has_header(true)
            .with_roles(roles)
            .with_today(crate::orders::day_from_ymd(2026, 1, 1).unwrap());
        let (deferred, at_once) = both(&bytes, &options, parts);
        prop_assert!(deferred == at_once, "{}\n{}\n{}", export(&rows), deferred, at_once);
    }
}
