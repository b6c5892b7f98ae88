//! An export without an order number takes the short way of pass 2: each row becomes its
//! order where it lies ([`Building::rows_as_orders`]). It must give exactly what grouping the
//! rows gives: the same table and the same report, messages and line numbers included. Checked
//! on every file the tests use, read with its order-number column set aside, and on generated
//! files with each case a row can meet.

use proptest::prelude::*;

use super::stream_tests::{files, option_sets};
use super::*;

/// The import the short way and by grouping, each as text (tables hold NaN in places, which
/// `==` would not match).
fn both(bytes: &[u8], options: &ImportOptions) -> (String, String) {
    let run = |group: bool| {
        ALWAYS_GROUP.with(|g| g.set(group));
        let result = import(bytes, options, &mut |_| true);
        ALWAYS_GROUP.with(|g| g.set(false));
        format!("{result:?}")
    };
    (run(false), run(true))
}

/// Whether the import read every row as an order of its own and kept some.
fn rows_were_orders(bytes: &[u8], options: &ImportOptions) -> bool {
    import(bytes, options, &mut |_| true)
        .is_ok_and(|i| i.report.rule == OrderRule::RowIsOrder && i.report.rows_used > 0)
}

/// `options` with the detected roles, the order number set aside: each row its own order.
fn without_order_number(bytes: &[u8], options: &ImportOptions) -> Option<ImportOptions> {
    let sniffed = sniff(bytes, options).ok()?;
    let roles = sniffed
        .roles
        .iter()
        .map(|&role| match role {
            ColumnRole::OrderId => ColumnRole::Ignore,
            other => other,
        })
        .collect();
    Some(options.clone().with_roles(roles))
}

#[test]
fn every_test_file_read_row_by_row_is_the_same_as_grouped() {
    let mut short_way = 0;
    for (name, bytes) in files() {
        for options in option_sets() {
            let mut settings = vec![options.clone()];
            settings.extend(without_order_number(&bytes, &options));
            for options in settings {
                let (direct, grouped) = both(&bytes, &options);
                assert!(
                    direct == grouped,
                    "{name} with {options:?}: the short way differs from grouping"
                );
                short_way += usize::from(rows_were_orders(&bytes, &options));
            }
        }
    }
    // Most files, read each with two settings, went the short way and kept orders.
    assert!(
        short_way >= 40,
        "only {short_way} imports took the short way"
    );
}

/// A made-up export, each row its own order: ID, e-mail, date, amount, shipping,
/// adjustment, product and status, each from values that meet a case (blank, placeholder,
/// shared ID, year-last and out-of-range dates, -0, unreadable amounts, fees, cancelled).
fn export(rows: &[[usize; 8]]) -> String {
    const IDS: [&str; 7] = ["", "0", "C1", " c1", "C2", "ゲスト", "C3"];
    const EMAILS: [&str; 6] = ["", "a@x.jp", "A@X.JP ", "b@x.jp", "c@x.jp", "d@x.jp"];
    const DATES: [&str; 8] = [
        "",
        "2024/01/05",
        "2024-03-01 10:00",
        "01/02/2024",
        "13/02/2024",
        "1899/01/01",
        "2999/01/01",
        "昨日",
    ];
    const AMOUNTS: [&str; 7] = ["", "-0", "1000", "-500", "abc", "\"1,980\"", "0.5"];
    const CHARGES: [&str; 3] = ["", "500", "-100"];
    const PRODUCTS: [&str; 4] = ["", "本品", "お試しセット", "送料"];
    const STATUSES: [&str; 5] = ["", "発送済み", "キャンセル", "入金待ち", "返品"];
    let mut text = String::from("会員ID,メールアドレス,注文日,金額,送料,調整,商品名,対応状況\n");
    for r in rows {
        let cells = [
            IDS[r[0] % IDS.len()],
            EMAILS[r[1] % EMAILS.len()],
            DATES[r[2] % DATES.len()],
            AMOUNTS[r[3] % AMOUNTS.len()],
            CHARGES[r[4] % CHARGES.len()],
            CHARGES[r[5] % CHARGES.len()],
            PRODUCTS[r[6] % PRODUCTS.len()],
            STATUSES[r[7] % STATUSES.len()],
        ];
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_rows_read_row_by_row_are_the_same_as_grouped(
        rows in proptest::collection::vec(proptest::array::uniform8(0usize..8), 1..40),
        total in any::<bool>(),
        with_email in any::<bool>(),
        with_products in any::<bool>(),
        with_status in any::<bool>(),
        include_excluded in any::<bool>(),
        day_first in any::<bool>(),
    ) {
        let bytes = export(&rows).into_bytes();
        let role = |on: bool, role: ColumnRole| if on { role } else { ColumnRole::Ignore };
        let roles = vec![
            ColumnRole::CustomerId,
            role(with_email, ColumnRole::Email),
            ColumnRole::OrderDate,
            if total { ColumnRole::Amount } else { ColumnRole::LineAmount },
            ColumnRole::Shipping,
            ColumnRole::Adjustment,
            role(with_products, ColumnRole::Product),
            role(with_status, ColumnRole::Status),
        ];
        let order = if day_first { DateOrder::DayFirst } else { DateOrder::MonthFirst };
        let options = ImportOptions::new()
            .with_has_header(true)
            .with_roles(roles)
            .with_date_order(order)
            .with_include_excluded(include_excluded)
            .with_today(crate::orders::day_from_ymd(2026, 1, 1).unwrap());
        let (direct, grouped) = both(&bytes, &options);
        prop_assert!(direct == grouped, "{}\n{}\n{}", export(&rows), direct, grouped);
    }
}
