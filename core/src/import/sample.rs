//! サンプルデータ: the demo export the app offers with 「サンプルデータで試す」.

use std::fmt::Write;

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
    let mut text = String::from("注文番号,注文日,メールアドレス,商品名,合計金額\n");
    made_up_orders(|order| {
        let customer = order.customer;
        let email = if order.other_spelling {
            format!("Customer{customer}@Example.jp")
        } else {
            format!("customer{customer}@example.jp")
        };
        let _ = writeln!(
            text,
            "W{:06},{},{email},商品{},\"¥{},{:03}\"",
            order.number,
            order.date,
            order.product,
            order.yen / 1_000,
            order.yen % 1_000
        );
    });
    text
}

/// The orders of [`made_up_export`] in the other common shape of an export: one row per
/// order, a numbered customer ID, the date and the amount, and no order number. An import
/// takes other ways through such a file (customer IDs found by their number, each row an
/// order), so the worker warms up on both.
///
/// # Examples
/// ```
/// use ltv_core::import::{import, made_up_export, made_up_id_export, ImportOptions};
/// let by_id = import(made_up_id_export().as_bytes(), &ImportOptions::new(), &mut |_| true).unwrap();
/// let by_email = import(made_up_export().as_bytes(), &ImportOptions::new(), &mut |_| true).unwrap();
/// assert_eq!(by_id.report.rows_rejected, 0);
/// assert_eq!(by_id.table.customer_count(), 600);
/// assert_eq!(by_id.table.orders.len(), by_email.table.orders.len());
/// assert_eq!(by_id.report.revenue, by_email.report.revenue);
/// ```
pub fn made_up_id_export() -> String {
    let mut text = String::from("customer_id,order_date,amount\n");
    made_up_orders(|order| {
        let _ = writeln!(text, "C{:06},{},{}", order.customer, order.date, order.yen);
    });
    text
}

/// One order of the made-up shop.
struct MadeUpOrder {
    number: u32,
    customer: u32,
    /// `yyyy/mm/dd`.
    date: String,
    /// The customer's email is written the other way on this order.
    other_spelling: bool,
    product: u32,
    yen: u32,
}

/// The made-up shop's orders, customer by customer, each given to `write`.
fn made_up_orders(mut write: impl FnMut(MadeUpOrder)) {
    let mut state: u32 = 12_345;
    let mut next = move |n: u32| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 8) % n
    };
    // 2023-01-01 as a day number.
    const START: i32 = 19_358;
    let mut number = 0u32;
    for customer in 0..600u32 {
        let mut day = next(365);
        let gap = 7 + next(8) * next(8) * 6;
        let stay = 2 + next(8);
        loop {
            let date = crate::orders::iso_date(START + day as i32).replace('-', "/");
            let other_spelling = next(4) == 0;
            let product = next(20);
            let yen = (1 + next(30)) * 1_000 + next(1_000);
            write(MadeUpOrder {
                number,
                customer,
                date,
                other_spelling,
                product,
                yen,
            });
            number += 1;
            day += gap / 2 + next(gap);
            if day >= 730 || next(stay) == 0 {
                break;
            }
        }
    }
}
