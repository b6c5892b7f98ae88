//! サンプルデータ: the demo export the app offers with 「サンプルデータで試す」.

/// A demo export of a small Japanese shop: UTF-8 with a BOM, CRLF, one row per order line
/// with the columns 注文番号, 注文日時, 購入者メールアドレス, 商品名, 数量, 小計, 合計金額
/// (the total repeated on every line). About 300 customers over 2024–2025: one-time,
/// repeat and dormant buyers, a trial set (お試しセット) leading to the main products, and
/// some customers whose email is spelled several ways. Made by `examples/make_sample.rs`.
///
/// # Examples
/// ```
/// use ltv_core::import::{import, sample_export, ImportOptions};
/// let result = import(sample_export(), &ImportOptions::new(), &mut |_| true).unwrap();
/// assert_eq!(result.report.rows_rejected, 0);
/// assert!(result.table.customer_count() >= 250);
/// ```
pub fn sample_export() -> &'static [u8] {
    include_bytes!("sample_orders.csv")
}

/// About 2,500 orders of 600 customers over two years, with order numbers, emails in two
/// spellings, products and yen amounts, each customer buying at their own pace until they
/// drop out, so that the models fit. Made in code, not shipped: the app's worker runs the
/// whole pipeline on it to warm up its compiled code.
///
/// # Examples
/// ```
/// use ltv_core::import::{import, made_up_export, ImportOptions};
/// use ltv_core::model::{predict, ModelParams};
/// let result = import(made_up_export().as_bytes(), &ImportOptions::new(), &mut |_| true).unwrap();
/// assert_eq!(result.report.rows_rejected, 0);
/// assert_eq!(result.table.customer_count(), 600);
/// assert!(predict(&result.table, &ModelParams::default()).is_ok());
/// ```
pub fn made_up_export() -> String {
    use std::fmt::Write;
    let mut text = String::from("注文番号,注文日,メールアドレス,商品名,合計金額\n");
    let mut state: u32 = 12_345;
    let mut next = move |n: u32| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 8) % n
    };
    // 2023-01-01 as a day number.
    const START: i32 = 19_358;
    let mut order = 0u32;
    for customer in 0..600u32 {
        let mut day = next(365);
        let gap = 7 + next(8) * next(8) * 6;
        let stay = 2 + next(8);
        loop {
            let date = crate::orders::iso_date(START + day as i32).replace('-', "/");
            let email = if next(4) == 0 {
                format!("Customer{customer}@Example.jp")
            } else {
                format!("customer{customer}@example.jp")
            };
            let _ = writeln!(
                text,
                "W{order:06},{date},{email},商品{},\"¥{},{:03}\"",
                next(20),
                1 + next(30),
                next(1_000)
            );
            order += 1;
            day += gap / 2 + next(gap);
            if day >= 730 || next(stay) == 0 {
                break;
            }
        }
    }
    text
}
