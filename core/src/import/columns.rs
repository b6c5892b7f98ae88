//! 列の割り当て: what each column means, guessed from the header names of common shop
//! platforms and Excel sheets, and the platform itself.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

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
    /// 明細金額: the amount of one line (summed over the order's lines).
    LineAmount,
    /// 数量.
    Quantity,
    /// 商品名.
    Product,
    /// 送料: added once per order to summed line amounts.
    Shipping,
    /// 調整金額 (discounts as negatives): added once per order to summed line amounts.
    Adjustment,
    /// 使わない.
    Ignore,
}

impl ColumnRole {
    /// Every role, in the order the mapping panel lists them.
    pub const ALL: [ColumnRole; 12] = [
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
        ColumnRole::Ignore,
    ];

    /// The Japanese name shown in the mapping panel.
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
            ColumnRole::Ignore => "使わない",
        }
    }
}

/// The shop platform or format an export comes from, recognised by its header names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Platform {
    /// Shopify: English headers, one row per line item, order fields on the first row.
    Shopify,
    /// 楽天 RMS.
    RakutenRms,
    /// EC-CUBE 4.
    EcCube,
    /// BASE: `合計金額` is per line, plus 送料 and 調整金額.
    Base,
    /// カラーミーショップ.
    ColorMe,
    /// futureshop.
    Futureshop,
    /// MakeShop: date and time in separate columns.
    MakeShop,
    /// The CDNOW research data.
    Cdnow,
    /// 汎用: any other sheet with recognisable names (or none).
    Generic,
}

impl Platform {
    /// The name shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Shopify => "Shopify",
            Platform::RakutenRms => "楽天RMS",
            Platform::EcCube => "EC-CUBE",
            Platform::Base => "BASE",
            Platform::ColorMe => "カラーミーショップ",
            Platform::Futureshop => "futureshop",
            Platform::MakeShop => "MakeShop",
            Platform::Cdnow => "CDNOW",
            Platform::Generic => "汎用",
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

/// Recognises the platform from folded header names.
fn platform_of(folded: &[String]) -> Platform {
    let has = |name: &str| folded.iter().any(|h| h == name);
    if has("name") && has("createdat") && (has("lineitemname") || has("financialstatus")) {
        Platform::Shopify
    } else if has("customerid") && has("dollarvalue") {
        Platform::Cdnow
    } else if has("注文id") && has("メールアドレス(請求先)") {
        Platform::Base
    } else if has("売上id") {
        Platform::ColorMe
    } else if has("受注コード") || has("メールアドレス(メイン)") {
        Platform::Futureshop
    } else if has("注文者メールアドレス") || (has("注文番号") && has("請求金額"))
    {
        Platform::RakutenRms
    } else if has("支払合計") || (has("受注日") && has("会員id") && has("注文番号")) {
        Platform::EcCube
    } else if has("注文時間") || has("受注時間") || has("注文時刻") {
        Platform::MakeShop
    } else {
        Platform::Generic
    }
}

/// The role a folded header name has, under a platform's rules.
fn role_of(folded: &str, platform: Platform) -> ColumnRole {
    use ColumnRole::*;
    // Platform rules first: the same name means different things on different platforms.
    match (platform, folded) {
        (Platform::Shopify, "name") => return OrderId,
        (Platform::Shopify, "total") => return Amount,
        (Platform::Shopify, "lineitemprice") => return LineAmount,
        (Platform::Shopify, "subtotal" | "taxes" | "discountamount") => return Ignore,
        (Platform::Base, "合計金額") => return LineAmount,
        (Platform::Base, "商品名" | "商品") => return Product,
        _ => {}
    }
    match folded {
        "注文番号" | "注文id" | "受注番号" | "受注id" | "受注コード" | "売上id" | "伝票番号"
        | "orderid" | "ordernumber" | "orderno" | "order" => OrderId,
        "注文日時" | "注文日" | "受注日" | "受注日時" | "購入日" | "購入日時" | "売上日"
        | "注文日付" | "createdat" | "orderdate" | "date" | "purchasedate" => OrderDate,
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
        "合計金額" | "請求金額" | "支払合計" | "売上合計" | "請求合計金額" | "注文金額"
        | "金額" | "売上" | "売上金額" | "購入金額" | "支払金額" | "お支払い金額" | "注文合計"
        | "合計" | "total" | "amount" | "ordertotal" | "totalprice" | "dollarvalue" | "sales"
        | "revenue" => Amount,
        "小計" | "明細金額" | "商品金額" | "商品小計" | "明細小計" | "lineamount" | "linetotal"
        | "lineitemprice" => LineAmount,
        "数量" | "個数" | "購入数" | "注文数" | "quantity" | "qty" | "lineitemquantity" => {
            Quantity
        }
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
/// [`ColumnRole::Ignore`] (e.g. 楽天's 合計金額 before 請求金額).
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
    let folded: Vec<String> = headers.iter().map(|h| fold_header(h.as_ref())).collect();
    let platform = platform_of(&folded);
    let mut roles: Vec<ColumnRole> = Vec::with_capacity(folded.len());
    for name in &folded {
        let role = role_of(name, platform);
        let taken = role != ColumnRole::Ignore && roles.contains(&role);
        roles.push(if taken { ColumnRole::Ignore } else { role });
    }
    (platform, roles)
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
        let cases: &[(&[&str], Platform, &[ColumnRole])] = &[
            (
                &[
                    "Name",
                    "Email",
                    "Financial Status",
                    "Created at",
                    "Subtotal",
                    "Shipping",
                    "Total",
                    "Lineitem quantity",
                    "Lineitem name",
                    "Lineitem price",
                    "Billing Name",
                ],
                Platform::Shopify,
                &[
                    OrderId, Email, Ignore, OrderDate, Ignore, Shipping, Amount, Quantity, Product,
                    LineAmount, Ignore,
                ],
            ),
            (
                &[
                    "注文番号",
                    "注文日時",
                    "注文者メールアドレス",
                    "注文者氏名",
                    "合計金額",
                    "請求金額",
                ],
                Platform::RakutenRms,
                &[OrderId, OrderDate, Email, Ignore, Amount, Ignore],
            ),
            (
                &[
                    "注文番号",
                    "受注日",
                    "会員ID",
                    "お名前(姓)",
                    "メールアドレス",
                    "支払合計",
                ],
                Platform::EcCube,
                &[OrderId, OrderDate, CustomerId, Ignore, Email, Amount],
            ),
            (
                &[
                    "注文ID",
                    "注文日時",
                    "メールアドレス(請求先)",
                    "商品名",
                    "数量",
                    "合計金額",
                    "送料",
                    "調整金額",
                ],
                Platform::Base,
                &[
                    OrderId, OrderDate, Email, Product, Quantity, LineAmount, Shipping, Adjustment,
                ],
            ),
            (
                &[
                    "売上ID",
                    "受注日",
                    "購入者 顧客ID",
                    "購入者 メールアドレス",
                    "売上合計",
                ],
                Platform::ColorMe,
                &[OrderId, OrderDate, CustomerId, Email, Amount],
            ),
            (
                &[
                    "受注コード",
                    "注文日時",
                    "メールアドレス（メイン）",
                    "請求合計金額",
                ],
                Platform::Futureshop,
                &[OrderId, OrderDate, Email, Amount],
            ),
            (
                &[
                    "注文番号",
                    "注文日",
                    "注文時間",
                    "会員ID",
                    "メールアドレス",
                    "注文金額",
                ],
                Platform::MakeShop,
                &[OrderId, OrderDate, OrderTime, CustomerId, Email, Amount],
            ),
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
