//! 出店サービスごとの決まり: how each shop platform writes its order export, and how the
//! importer recognises it.
//!
//! A platform is recognised by a signature of several of its own header names, never by one
//! column alone; how sure the match is, and which other platforms came close, is reported
//! ([`Detection`]), so that the user is asked rather than given a silent guess. Each platform
//! then brings its own rules: which column means what ([`platform_role`]), which status
//! values are not sales ([`status_exclusion`]), which lines are fees rather than products
//! ([`is_fee_line`]).
//!
//! The header names and status codes come from the platforms' own sources and manuals; each
//! fixture under `tests/data/platforms/` cites where.

use serde::{Deserialize, Serialize};

use super::columns::{fold_header, ColumnRole};

/// The shop platform or format an export comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Platform {
    /// Shopify `orders_export.csv`: one row per line item, order fields on the first row.
    Shopify,
    /// 楽天ペイ受注 CSV (楽天RMS since 2020): one row per item, order totals repeated.
    RakutenPay,
    /// 楽天RMS 受注 CSV, the older layout (受注番号, 受注ステータス, `(-99999=無効値)` headers).
    RakutenRms,
    /// EC-CUBE 4 受注CSV: one row per order item, shipping and charge rows included.
    EcCube4,
    /// EC-CUBE 2 受注 CSV: one row per order; guests have 会員ID `0`.
    EcCube2,
    /// Yahoo!ショッピング 注文データ.
    Yahoo,
    /// Amazon.co.jp 注文レポート: tab-separated, item-price and shipping-price per item row.
    Amazon,
    /// BASE 注文CSV: `合計金額` per line, fees once per order.
    Base,
    /// カラーミーショップ 受注データ.
    ColorMe,
    /// futureshop 受注データ.
    Futureshop,
    /// MakeShop 注文データ: date and time in separate columns.
    MakeShop,
    /// STORES 注文データ.
    Stores,
    /// WooCommerce アナリティクスの注文 CSV: no e-mail column.
    WooCommerce,
    /// The CDNOW research data.
    Cdnow,
    /// 汎用: any other sheet with recognisable names (or none).
    Generic,
}

impl Platform {
    /// Every platform the importer knows, in the order a chooser lists them.
    pub const ALL: [Platform; 15] = [
        Platform::EcCube4,
        Platform::EcCube2,
        Platform::Shopify,
        Platform::RakutenPay,
        Platform::RakutenRms,
        Platform::Yahoo,
        Platform::Amazon,
        Platform::Base,
        Platform::ColorMe,
        Platform::Futureshop,
        Platform::MakeShop,
        Platform::Stores,
        Platform::WooCommerce,
        Platform::Cdnow,
        Platform::Generic,
    ];

    /// The folded header names that identify the platform's export. A file matches when it
    /// has at least [`MIN_SIGNATURE`] of them (all of them for shorter signatures).
    fn signature(self) -> &'static [&'static str] {
        match self {
            Platform::Shopify => &[
                "name",
                "email",
                "financialstatus",
                "createdat",
                "total",
                "discountamount",
                "lineitemname",
                "lineitemquantity",
                "cancelledat",
            ],
            Platform::RakutenPay => &[
                "注文番号",
                "ステータス",
                "サブステータスid",
                "注文日時",
                "合計金額",
                "請求金額",
                "注文者メールアドレス",
                "ポイント利用額",
            ],
            Platform::RakutenRms => &[
                "受注番号",
                "受注ステータス",
                "注文日時",
                "合計金額(99999=無効値)",
                "請求金額(99999=無効値)",
                "楽天会員フラグ",
                "メールアドレス",
            ],
            Platform::EcCube4 => &[
                "注文id",
                "注文番号",
                "会員id",
                "受注日",
                "支払合計",
                "対応状況(id)",
                "明細区分(id)",
                "注文詳細id",
            ],
            Platform::EcCube2 => &[
                "注文番号",
                "会員id",
                "注文日時",
                "合計",
                "お支払い合計",
                "対応状況",
                "使用ポイント",
                "加算ポイント",
            ],
            Platform::Yahoo => &[
                "orderid",
                "ordertime",
                "billmailaddress",
                "totalprice",
                "orderstatus",
                "usepoint",
                "ordertimeunixepoch",
            ],
            Platform::Amazon => &[
                "orderid",
                "orderitemid",
                "purchasedate",
                "buyeremail",
                "itemprice",
                "shippingprice",
                "quantitypurchased",
            ],
            Platform::Base => &[
                "注文id",
                "注文日時",
                "メールアドレス(請求先)",
                "合計金額",
                "発送状況",
                "代引き手数料",
                "調整金額",
            ],
            Platform::ColorMe => &[
                "売上id",
                "受注日",
                "購入者顧客id",
                "購入者メールアドレス",
                "総合計金額",
                "発送状態",
                "売上詳細id",
            ],
            Platform::Futureshop => &[
                "受注コード",
                "注文日時",
                "メールアドレス(メイン)",
                "総合計金額",
                "請求合計金額",
                "処理状況区分",
                "会員id",
            ],
            Platform::MakeShop => &[
                "日付",
                "注文時間",
                "注文番号",
                "処理状況",
                "会員id",
                "注文者",
            ],
            Platform::Stores => &[
                "オーダー番号",
                "ステータス",
                "オーダー日",
                "アイテム名",
                "クーポン割引額",
                "合計",
                "メールアドレス",
            ],
            Platform::WooCommerce => &[
                "date",
                "order#",
                "status",
                "customer",
                "customertype",
                "product(s)",
                "itemssold",
                "netsales",
            ],
            Platform::Cdnow => &["customerid", "date", "numberofcds", "dollarvalue"],
            Platform::Generic => &[],
        }
    }
}

/// A signature matches with at least this many of its names present, and at least
/// [`MIN_SHARE`] of them: a few common names (注文番号, 注文日時, 合計金額) are not a platform.
const MIN_SIGNATURE: usize = 3;
const MIN_SHARE: f64 = 0.6;

/// Two platforms whose shares of matched names differ by less than this are too close to
/// choose between without asking.
const CLOSE_SHARE: f64 = 0.15;

/// How the platform was recognised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// The platform whose rules are used.
    pub platform: Platform,
    /// Whether the user chose it (not detected).
    pub chosen: bool,
    /// Other platforms that fit nearly as well: the user is asked to choose.
    pub close: Vec<Platform>,
    /// The platform's signature names found, and how many it has.
    pub matched: u32,
    pub signature: u32,
}

impl Detection {
    /// Whether the user should be asked which platform the file comes from.
    pub fn needs_choice(&self) -> bool {
        !self.chosen && !self.close.is_empty()
    }
}

/// Recognises the platform from the folded header names.
pub(crate) fn detect(folded: &[String]) -> Detection {
    let has = |name: &str| folded.iter().any(|h| h == name);
    let mut scored: Vec<(Platform, usize, usize)> = Platform::ALL
        .iter()
        .filter_map(|&p| {
            let names = p.signature();
            let matched = names.iter().filter(|n| has(n)).count();
            let by_share = (names.len() as f64 * MIN_SHARE).ceil() as usize;
            let needed = names.len().min(MIN_SIGNATURE.max(by_share));
            (needed > 0 && matched >= needed).then_some((p, matched, names.len()))
        })
        .collect();
    let share = |&(_, m, n): &(Platform, usize, usize)| m as f64 / n as f64;
    // Best share first; on equal shares the longer signature (more evidence) first.
    scored.sort_by(|a, b| {
        share(b)
            .partial_cmp(&share(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.1.cmp(&a.1))
    });
    let Some(best) = scored.first().copied() else {
        return Detection {
            platform: Platform::Generic,
            chosen: false,
            close: Vec::new(),
            matched: 0,
            signature: 0,
        };
    };
    let close = scored[1..]
        .iter()
        .filter(|other| share(&best) - share(other) < CLOSE_SHARE && best.1 <= other.1 + 1)
        .map(|other| other.0)
        .collect();
    Detection {
        platform: best.0,
        chosen: false,
        close,
        matched: best.1 as u32,
        signature: best.2 as u32,
    }
}

/// The role a folded header name has on a platform, where the platform's meaning differs
/// from the common one; `None` leaves it to the common names.
pub(crate) fn platform_role(platform: Platform, folded: &str) -> Option<ColumnRole> {
    use ColumnRole::*;
    use Platform::*;
    let role = match (platform, folded) {
        // Total is after discount codes; Discount Amount adds them back.
        (Shopify, "name") => OrderId,
        (Shopify, "total") => AmountAfterPoints,
        (Shopify, "discountamount") => Discount,
        (Shopify, "financialstatus") => Status,
        (Shopify, "cancelledat") => CancelledAt,
        (Shopify, "subtotal" | "shipping" | "taxes" | "lineitemprice" | "id") => Ignore,
        (Shopify, "refundedamount" | "outstandingbalance" | "lineitemdiscount") => Ignore,
        (RakutenPay, "合計金額") => Amount,
        (RakutenPay, "請求金額") => AmountAfterPoints,
        (RakutenPay, "単価") => Ignore,
        // 合計 is the items alone; 合計金額 adds tax, shipping and fees.
        (RakutenRms, "合計" | "単価") => Ignore,
        (RakutenRms, "合計金額(99999=無効値)") => Amount,
        (RakutenRms, "請求金額(99999=無効値)") => AmountAfterPoints,
        // 合計 equals 支払合計 (points are an item row): 値引き adds them back.
        (EcCube4, "注文id" | "合計" | "対応状況(名称)" | "明細区分(名称)") => {
            Ignore
        }
        (EcCube4, "小計" | "送料" | "手数料" | "税金" | "価格") => Ignore,
        (EcCube4, "支払合計") => AmountAfterPoints,
        (EcCube4, "値引き") => Discount,
        (EcCube4, "対応状況(id)") => Status,
        (EcCube4, "明細区分(id)") => LineKind,
        (EcCube2, "合計") => Amount,
        (EcCube2, "お支払い合計") => AmountAfterPoints,
        (EcCube2, "小計" | "値引き" | "送料" | "手数料" | "税金") => Ignore,
        (Yahoo, "ordertime") => OrderDate,
        (Yahoo, "billmailaddress") => Email,
        (Yahoo, "totalprice") => Amount,
        (Yahoo, "total") => Ignore,
        (Amazon, "itemprice" | "shippingprice") => LineAmount,
        (Amazon, "quantitypurchased") => Quantity,
        (Amazon, "productname") => Product,
        (Amazon, "buyeremail") => Email,
        (Amazon, "orderitemid" | "paymentsdate") => Ignore,
        (Base, "合計金額") => LineAmount,
        (Base, "代引き手数料" | "調整金額") => Adjustment,
        (Base, "価格") => Ignore,
        (ColorMe, "総合計金額") => AmountAfterPoints,
        (ColorMe, "ショップポイントによる割引金額" | "外部ポイントによる割引金額" | "割引金額") => {
            Discount
        }
        (ColorMe, "発送状態") => Status,
        (ColorMe, "入金状態" | "配送先発送状態") => Ignore,
        (ColorMe, "購入商品商品名") => Product,
        (ColorMe, "購入商品販売個数") => Quantity,
        (Futureshop, "購入数量") => Quantity,
        (Stores, "合計") => AmountAfterPoints,
        (Stores, "クーポン割引額") => Discount,
        (Stores, "小計" | "配送料") => Ignore,
        (Stores, "アイテム名") => Product,
        (Stores, "オーダー番号") => OrderId,
        (Stores, "オーダー日") => OrderDate,
        (WooCommerce, "order#") => OrderId,
        (WooCommerce, "customer") => CustomerName,
        // Refunds are rows of their own with negative net sales: the rows are summed.
        (WooCommerce, "netsales") => LineAmount,
        (WooCommerce, "product(s)") => Ignore,
        _ => return None,
    };
    Some(role)
}

/// Common names of a status column.
pub(crate) fn is_status_name(folded: &str) -> bool {
    matches!(
        folded,
        "ステータス"
            | "注文状況"
            | "処理状況"
            | "処理状況区分"
            | "発送状態"
            | "注文ステータス"
            | "受注ステータス"
            | "受注状況"
            | "対応状況"
            | "発送状況"
            | "状態"
            | "status"
            | "orderstatus"
    )
}

/// Why an order is left out of the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Exclusion {
    /// キャンセル: the order was cancelled.
    Cancelled,
    /// 未決済: payment failed or never completed (決済処理中, 購入処理中, voided).
    Unpaid,
    /// 返品・返金: returned or refunded in full.
    Returned,
}

/// Whether a status value leaves its order out of the figures, under the platform's rules.
/// `value` is the cell trimmed; generic files match keywords (キャンセル, 取消, 取り消し,
/// cancel, 返品, refund).
///
/// # Examples
/// ```
/// use ltv_core::import::{status_exclusion, Exclusion, Platform};
/// assert_eq!(status_exclusion(Platform::EcCube4, "3"), Some(Exclusion::Cancelled));
/// assert_eq!(status_exclusion(Platform::EcCube4, "5"), None);
/// assert_eq!(status_exclusion(Platform::RakutenPay, "キャンセル確定"), Some(Exclusion::Cancelled));
/// assert_eq!(status_exclusion(Platform::Generic, "キャンセル済み"), Some(Exclusion::Cancelled));
/// assert_eq!(status_exclusion(Platform::Generic, "発送済み"), None);
/// ```
pub fn status_exclusion(platform: Platform, value: &str) -> Option<Exclusion> {
    use Exclusion::*;
    let value = value.trim();
    match platform {
        // mtb_order_status: 3 注文取消し, 7 決済処理中, 8 購入処理中, 9 返品.
        Platform::EcCube4 => match value {
            "3" => Some(Cancelled),
            "7" | "8" => Some(Unpaid),
            "9" => Some(Returned),
            _ => None,
        },
        // mtb_order_status: 3 キャンセル, 7 決済処理中.
        Platform::EcCube2 => match value {
            "3" => Some(Cancelled),
            "7" => Some(Unpaid),
            _ => None,
        },
        Platform::Shopify => match value.to_ascii_lowercase().as_str() {
            "refunded" => Some(Returned),
            "voided" => Some(Unpaid),
            _ => None,
        },
        Platform::RakutenPay => match value {
            "キャンセル確定" | "キャンセル確定待ち" => Some(Cancelled),
            _ => None,
        },
        // OrderStatus: 1 予約中, 2 処理中, 3 保留, 4 キャンセル, 5 完了.
        Platform::Yahoo => match value {
            "4" | "キャンセル" => Some(Cancelled),
            _ => None,
        },
        Platform::Stores => match value {
            "キャンセル" => Some(Cancelled),
            "入金待ち" | "未入金" => Some(Unpaid),
            _ => None,
        },
        Platform::Base => match value {
            "キャンセル" => Some(Cancelled),
            _ => None,
        },
        // 処理状況: 注文キャンセル; 返送 is a parcel sent back.
        Platform::MakeShop => match value {
            v if v.contains("キャンセル") => Some(Cancelled),
            "返送" => Some(Returned),
            _ => None,
        },
        Platform::RakutenRms => match value {
            "キャンセル" => Some(Cancelled),
            _ => None,
        },
        Platform::WooCommerce => match value.to_ascii_lowercase().as_str() {
            "cancelled" | "キャンセル済み" => Some(Cancelled),
            "failed" | "失敗" | "pending" | "支払い待ち" | "on-hold" | "保留中" => {
                Some(Unpaid)
            }
            "refunded" | "払い戻し済み" => Some(Returned),
            _ => None,
        },
        _ => keyword_exclusion(value),
    }
}

/// The keyword rule offered for a status column of an unknown layout.
fn keyword_exclusion(value: &str) -> Option<Exclusion> {
    let lower = value.to_lowercase();
    if ["キャンセル", "取消", "取り消し", "cancel"]
        .iter()
        .any(|k| lower.contains(k))
    {
        Some(Exclusion::Cancelled)
    } else if ["返品", "返金", "refund"].iter().any(|k| lower.contains(k)) {
        Some(Exclusion::Returned)
    } else {
        None
    }
}

/// Whether the platform's status rule is the keyword rule (offered for the user to confirm)
/// rather than the platform's documented codes.
pub fn status_rule_is_keywords(platform: Platform) -> bool {
    !matches!(
        platform,
        Platform::EcCube4
            | Platform::EcCube2
            | Platform::Shopify
            | Platform::RakutenPay
            | Platform::RakutenRms
            | Platform::WooCommerce
            | Platform::Yahoo
            | Platform::Base
            | Platform::MakeShop
            | Platform::Stores
    )
}

/// Whether a product-name cell names an option line rather than a product (BASE writes
/// paid options as lines of their own: 商品オプション「…」).
pub fn is_option_line(platform: Platform, product: &str) -> bool {
    platform == Platform::Base && product.starts_with("商品オプション")
}

/// Whether a 明細区分 value marks a fee line (送料, 手数料, 割引, 税, ポイント) rather than a
/// product. EC-CUBE 4 writes the type's name; its ids are accepted too (1 is 商品).
pub fn is_fee_line(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() {
        return false;
    }
    if let Ok(id) = value.parse::<u32>() {
        return id != 1;
    }
    let folded = fold_header(value);
    !matches!(folded.as_str(), "商品" | "product" | "item")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| fold_header(n)).collect()
    }

    #[test]
    fn one_column_is_not_a_platform() {
        for names in [
            &["売上ID"][..],
            &["受注コード"],
            &["注文時間"],
            &["ステータス"],
        ] {
            assert_eq!(
                detect(&folded(names)).platform,
                Platform::Generic,
                "{names:?}"
            );
        }
    }

    #[test]
    fn common_names_are_not_a_platform() {
        // The jp-sample's names: three of them are in 楽天ペイ's signature, which is not enough.
        let names = [
            "注文番号",
            "注文日時",
            "購入者メールアドレス",
            "購入者名",
            "商品名",
            "合計金額",
        ];
        assert_eq!(detect(&folded(&names)).platform, Platform::Generic);
    }

    #[test]
    fn close_platforms_are_reported() {
        // Amazon's and Yahoo's names together: both fit fully, so the user is asked.
        let names = [
            "order-id",
            "order-item-id",
            "purchase-date",
            "buyer-email",
            "item-price",
            "shipping-price",
            "quantity-purchased",
            "OrderTime",
            "BillMailAddress",
            "TotalPrice",
            "OrderStatus",
            "UsePoint",
            "OrderTimeUnixEpoch",
        ];
        let d = detect(&folded(&names));
        assert!(d.needs_choice(), "{d:?}");
        assert!(matches!(d.platform, Platform::Amazon | Platform::Yahoo));
        assert_eq!(d.close.len(), 1);
        // A full signature is sure.
        let d = detect(&folded(&names[..7]));
        assert_eq!(d.platform, Platform::Amazon);
        assert!(!d.needs_choice());
    }

    #[test]
    fn fee_lines() {
        for (value, fee) in [
            ("商品", false),
            ("1", false),
            ("", false),
            ("送料", true),
            ("手数料", true),
            ("2", true),
            ("ポイント", true),
        ] {
            assert_eq!(is_fee_line(value), fee, "{value}");
        }
    }

    #[test]
    fn keyword_rule() {
        for (value, want) in [
            ("キャンセル", Some(Exclusion::Cancelled)),
            ("注文取消", Some(Exclusion::Cancelled)),
            ("Cancelled", Some(Exclusion::Cancelled)),
            ("返品", Some(Exclusion::Returned)),
            ("発送済み", None),
            ("", None),
        ] {
            assert_eq!(status_exclusion(Platform::Generic, value), want, "{value}");
        }
    }
}
