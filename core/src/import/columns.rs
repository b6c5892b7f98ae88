//! 列の割り当て: what each column means, guessed from the header names of common shop
//! platforms and Excel sheets, and the platform itself.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

pub use super::platforms::Platform;
use super::platforms::{detect, is_status_name, platform_role, Detection};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnRole {
    /// 注文番号: lines with the same number form one order.
    OrderId,
    /// 注文日: the order date (a time after it is allowed and ignored).
    OrderDate,
    /// 注文時刻: a time of day in its own column (MakeShop); shown, not needed.
    OrderTime,
    /// 顧客ID / 会員ID: the customer's key when present.
    CustomerId,
    /// メールアドレス: the customer's key when there is no ID on the row.
    Email,
    /// 注文合計: the order total (counted once per order).
    Amount,
    /// 明細金額: the amount of one line (summed over the order's lines; several columns with
    /// this role are added up, e.g. Amazon's item-price and shipping-price).
    LineAmount,
    /// 数量.
    Quantity,
    /// 商品名.
    Product,
    /// 送料: added once per order to summed line amounts.
    Shipping,
    /// 調整金額 (discounts as negatives): added once per order to summed line amounts.
    Adjustment,
    /// 注文状況: a status whose values tell cancelled, unpaid and returned orders, which are
    /// left out of the figures by the platform's rule.
    Status,
    /// キャンセル日時: an order with a date here was cancelled (Shopify's `Cancelled at`).
    CancelledAt,
    /// 明細区分: whether a line is a product or a fee (送料, 手数料…; EC-CUBE 4).
    LineKind,
    /// ポイント利用後の金額 (支払合計, 請求金額): the order total after points and coupons,
    /// used as revenue only when the user chooses it.
    AmountAfterPoints,
    /// ポイント・クーポン利用額 (値引き, Discount Amount): an order-level amount that points
    /// and coupons took off the total; added back to an after-points total for revenue before
    /// points (several such columns are added up).
    Discount,
    /// 顧客名: a customer's name, used as the key only when there is no ID or e-mail and the
    /// user has agreed (namesakes merge).
    CustomerName,
    /// 使わない.
    Ignore,
}

impl ColumnRole {
    /// Whether at most one column may have the role. Amount parts that are added up
    /// (明細金額, 送料, 調整金額, ポイント・クーポン利用額) may be given to several.
    pub fn is_single(self) -> bool {
        !matches!(
            self,
            ColumnRole::LineAmount
                | ColumnRole::Shipping
                | ColumnRole::Adjustment
                | ColumnRole::Discount
                | ColumnRole::Ignore
        )
    }

    /// Every role, in the order the mapping panel lists them.
    pub const ALL: [ColumnRole; 18] = [
        ColumnRole::OrderId,
        ColumnRole::OrderDate,
        ColumnRole::OrderTime,
        ColumnRole::CustomerId,
        ColumnRole::Email,
        ColumnRole::Amount,
        ColumnRole::LineAmount,
        ColumnRole::Quantity,
        ColumnRole::Product,
        ColumnRole::Shipping,
        ColumnRole::Adjustment,
        ColumnRole::Status,
        ColumnRole::CancelledAt,
        ColumnRole::LineKind,
        ColumnRole::AmountAfterPoints,
        ColumnRole::Discount,
        ColumnRole::CustomerName,
        ColumnRole::Ignore,
    ];

    /// The role's name in the import's error messages (「…」が2つの列に割り当てられています).
    /// The mapping panel's words for the roles are the app's.
    pub fn label(self) -> &'static str {
        match self {
            ColumnRole::OrderId => "注文番号",
            ColumnRole::OrderDate => "注文日",
            ColumnRole::OrderTime => "注文時刻",
            ColumnRole::CustomerId => "顧客ID",
            ColumnRole::Email => "メールアドレス",
            ColumnRole::Amount => "注文合計",
            ColumnRole::LineAmount => "明細金額",
            ColumnRole::Quantity => "数量",
            ColumnRole::Product => "商品名",
            ColumnRole::Shipping => "送料",
            ColumnRole::Adjustment => "調整金額",
            ColumnRole::Status => "注文状況",
            ColumnRole::CancelledAt => "キャンセル日時",
            ColumnRole::LineKind => "明細区分",
            ColumnRole::AmountAfterPoints => "ポイント利用後の金額",
            ColumnRole::Discount => "ポイント・クーポン利用額",
            ColumnRole::CustomerName => "顧客名",
            ColumnRole::Ignore => "使わない",
        }
    }
}

/// A header name folded for matching: NFKC, lower case, without spaces, `_`, `-` and `・`.
pub(crate) fn fold_header(name: &str) -> String {
    name.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '・' | '"'))
        .collect()
}

/// The role a folded header name has, under a platform's rules.
fn role_of(folded: &str, platform: Platform) -> ColumnRole {
    use ColumnRole::*;
    // Platform rules first: the same name means different things on different platforms.
    if let Some(role) = platform_role(platform, folded) {
        return role;
    }
    if is_status_name(folded) {
        return Status;
    }
    match folded {
        "注文番号" | "注文id" | "受注番号" | "受注id" | "受注コード" | "売上id" | "伝票番号"
        | "orderid" | "ordernumber" | "orderno" | "order" => OrderId,
        "注文日時" | "注文日" | "受注日" | "受注日時" | "購入日" | "購入日時" | "売上日"
        | "注文日付" | "日付" | "createdat" | "orderdate" | "date" | "purchasedate" => {
            OrderDate
        }
        "注文時間" | "注文時刻" | "受注時間" | "受注時刻" | "購入時間" | "ordertime" | "time" => {
            OrderTime
        }
        "顧客id" | "会員id" | "購入者顧客id" | "顧客番号" | "会員番号" | "顧客コード"
        | "会員コード" | "customerid" | "customerno" | "memberid" | "userid" => CustomerId,
        "メールアドレス"
        | "メール"
        | "購入者メールアドレス"
        | "注文者メールアドレス"
        | "メールアドレス(請求先)"
        | "メールアドレス(メイン)"
        | "顧客メールアドレス"
        | "会員メールアドレス"
        | "email"
        | "mail"
        | "emailaddress"
        | "customeremail" => Email,
        "合計金額" | "売上合計" | "総合計金額" | "注文金額" | "金額" | "売上" | "売上金額"
        | "購入金額" | "注文合計" | "合計" | "総合計" | "total" | "amount" | "ordertotal"
        | "totalprice" | "dollarvalue" | "sales" | "revenue" => Amount,
        "請求金額" | "請求合計金額" | "支払合計" | "支払金額" | "お支払い金額" | "お支払い合計"
        | "支払い合計" | "決済金額" | "amountpaid" => AmountAfterPoints,
        "明細区分" => LineKind,
        "キャンセル日時" | "キャンセル日" | "cancelledat" | "canceledat" => {
            CancelledAt
        }
        "小計" | "明細金額" | "商品金額" | "商品小計" | "明細小計" | "lineamount" | "linetotal"
        | "lineitemprice" => LineAmount,
        "数量" | "個数" | "購入数" | "購入数量" | "注文数" | "quantity" | "qty"
        | "lineitemquantity" => Quantity,
        "商品名" | "商品" | "品名" | "product" | "productname" | "item" | "itemname"
        | "lineitemname" => Product,
        "送料" | "配送料" | "shipping" => Shipping,
        "調整金額" | "値引き" | "値引" | "割引" | "adjustment" => Adjustment,
        // Names are never identity: different people share them, one person writes them
        // several ways.
        _ => Ignore,
    }
}

/// Guesses each column's role and the platform from the header names. When two columns
/// would get the same role, the first keeps it and the later one is set to
/// [`ColumnRole::Ignore`] (e.g. EC-CUBE 4's second 送料); only 明細金額 may be given to
/// several columns, which are added up.
///
/// # Examples
/// ```
/// use ltv_core::import::{guess_roles, ColumnRole, Platform};
/// let headers = ["注文番号", "注文日時", "購入者メールアドレス", "購入者名", "合計金額"];
/// let (platform, roles) = guess_roles(&headers);
/// assert_eq!(platform, Platform::Generic);
/// assert_eq!(roles[3], ColumnRole::Ignore);
/// assert_eq!(roles[4], ColumnRole::Amount);
/// ```
pub fn guess_roles<S: AsRef<str>>(headers: &[S]) -> (Platform, Vec<ColumnRole>) {
    let detection = detect_platform(headers);
    (detection.platform, roles_for(detection.platform, headers))
}

/// Recognises the platform from the header names, saying how sure it is.
///
/// # Examples
/// ```
/// use ltv_core::import::{detect_platform, Platform};
/// let d = detect_platform(&["order-id", "order-item-id", "purchase-date", "buyer-email", "item-price"]);
/// assert_eq!(d.platform, Platform::Amazon);
/// ```
pub fn detect_platform<S: AsRef<str>>(headers: &[S]) -> Detection {
    let folded: Vec<String> = headers.iter().map(|h| fold_header(h.as_ref())).collect();
    detect(&folded)
}

/// Each column's role under a platform's rules.
pub fn roles_for<S: AsRef<str>>(platform: Platform, headers: &[S]) -> Vec<ColumnRole> {
    let mut roles: Vec<ColumnRole> = Vec::with_capacity(headers.len());
    for header in headers {
        let role = role_of(&fold_header(header.as_ref()), platform);
        let taken = role.is_single() && roles.contains(&role);
        roles.push(if taken { ColumnRole::Ignore } else { role });
    }
    roles
}

/// Whether any header name is one this module knows (then the first row is a header even
/// if a name looks like a number).
pub(crate) fn any_known(headers: &[String]) -> bool {
    headers
        .iter()
        .any(|h| role_of(&fold_header(h), Platform::Generic) != ColumnRole::Ignore)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnRole::*;

    #[test]
    fn platforms_and_roles_are_guessed() {
        // The platforms' own layouts are tested whole, against their real exports, in
        // `core/tests/platforms.rs`; these are the common names.
        let cases: &[(&[&str], Platform, &[ColumnRole])] = &[
            (
                &["customer_id", "date", "number_of_cds", "dollar_value"],
                Platform::Cdnow,
                &[CustomerId, OrderDate, Ignore, Amount],
            ),
            (
                &[
                    "注文番号",
                    "注文日時",
                    "購入者メールアドレス",
                    "購入者名",
                    "商品名",
                    "数量",
                    "小計",
                    "合計金額",
                ],
                Platform::Generic,
                &[
                    OrderId, OrderDate, Email, Ignore, Product, Quantity, LineAmount, Amount,
                ],
            ),
            (
                &["購入日", "顧客ID", "売上", "商品名"],
                Platform::Generic,
                &[OrderDate, CustomerId, Amount, Product],
            ),
            (
                &[
                    "order_date",
                    "customer_id",
                    "email",
                    "amount",
                    "product",
                    "quantity",
                ],
                Platform::Generic,
                &[OrderDate, CustomerId, Email, Amount, Product, Quantity],
            ),
            // Outside Shopify, "Name" is a person's name: never an order or a customer.
            (
                &["Name", "Date", "Amount"],
                Platform::Generic,
                &[Ignore, OrderDate, Amount],
            ),
            // Two amount columns: the first keeps the role.
            (&["金額", "売上"], Platform::Generic, &[Amount, Ignore]),
            (&[], Platform::Generic, &[]),
        ];
        for (headers, platform, roles) in cases {
            let (p, r) = guess_roles(headers);
            assert_eq!(p, *platform, "{headers:?}");
            assert_eq!(r, *roles, "{headers:?}");
        }
    }

    #[test]
    fn a_name_means_what_its_platform_says() {
        // 合計金額 is an order total in a plain sheet, one line's amount in BASE's export.
        let headers = ["注文ID", "合計金額", "送料", "代引き手数料", "調整金額"];
        assert_eq!(roles_for(Platform::Generic, &headers)[1], Amount);
        assert_eq!(
            roles_for(Platform::Base, &headers),
            vec![OrderId, LineAmount, Shipping, Adjustment, Adjustment]
        );
        // A status column is recognised by its common names.
        assert_eq!(roles_for(Platform::Generic, &["注文状況"]), vec![Status]);
        // 請求金額 alone is the amount after points.
        assert_eq!(
            roles_for(Platform::Generic, &["請求金額"]),
            vec![AmountAfterPoints]
        );
    }

    #[test]
    fn header_names_fold() {
        assert_eq!(fold_header(" Created at "), "createdat");
        assert_eq!(
            fold_header("メールアドレス（メイン）"),
            "メールアドレス(メイン)"
        );
        assert_eq!(fold_header("購入者　顧客ＩＤ"), "購入者顧客id");
        assert_eq!(fold_header("order_date"), "orderdate");
    }

    #[test]
    fn labels_are_distinct() {
        let mut labels: Vec<&str> = ColumnRole::ALL.iter().map(|r| r.label()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), ColumnRole::ALL.len());
    }
}
