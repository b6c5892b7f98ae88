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
