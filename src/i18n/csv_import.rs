//! CSV分析, reading the file: the source, the reading settings and column roles, the rules
//! of what counts, the import and its report, and the worker's messages.

use ltv_core::analysis::export::file_text;
use ltv_core::import::{
    ColumnRole, DateOrder, Delimiter, Exclusion, ImportReport, OrderRule, Platform, RevenueRule,
    TextEncoding,
};
use ltv_core::input::{format_decimal, format_yen};
use ltv_core::orders::iso_date;

use super::common::{count_orders, in_parens, COLON};

// ---- The worker ----
pub const WORKER_BAD_REQUEST: &str =
    "ワーカーへの依頼を読めませんでした。ページを再読み込みしてください。";
pub const WORKER_NO_FILE: &str = "ファイルが渡されていません。";
pub const WORKER_READ_FAILED: &str = "ファイルを読めませんでした";
pub const WORKER_NOTHING_IMPORTED: &str = "まだデータを読み込んでいません。";
pub const WORKER_BAD_RESPONSE: &str = "ワーカーからの応答を読めませんでした。";
pub const WORKER_SEND_FAILED: &str = "ワーカーに依頼を送れませんでした。";
/// The page and its worker are of different builds (a cached old worker after a deploy).
pub const APP_UPDATED: &str = "アプリが更新されました。ページを再読み込みしてください。";
pub const REJECTED_FILE_NAME: &str = "除外した行.csv";

// ---- CSV分析: the source ----
pub const CSV_TITLE: &str = "CSV分析: 注文データから顧客を知る";
pub const CSV_INTRO: &str = "ショップの注文データ（CSV・TSV・Excelの「Unicode テキスト」）を読み込みます。データはこのパソコンのブラウザの中だけで処理され、どこにも送信されません。";
pub const CSV_FILE: &str = "ファイルを選ぶ";
pub const CSV_DROP: &str = "ここにファイルをドロップ";
pub const CSV_PASTE: &str = "CSVを貼り付け";
pub const CSV_PASTE_READ: &str = "貼り付けたデータを読む";
pub const CSV_PASTE_EMPTY: &str = "貼り付け欄が空です。注文データを貼り付けてから押してください。";
pub const CSV_SAMPLE: &str = "サンプルデータで試す";
pub const CSV_SAMPLE_NAME: &str = "サンプル注文データ.csv";
pub const CSV_SAMPLE_FAILED: &str = "サンプルデータを読み込めませんでした。";
pub const CSV_PASTE_NAME: &str = "貼り付けたデータ";
/// The paste box's placeholder: the header of a small export.
pub const CSV_PASTE_PLACEHOLDER: &str = "注文番号,注文日,メールアドレス,合計金額";
pub const CSV_SOURCE: &str = "読み込むデータ";
pub const CSV_SNIFFING: &str = "ファイルの形式を調べています…";

// ---- CSV分析: settings and mapping ----
pub const SETTINGS_TITLE: &str = "読み取り設定";
pub const SETTINGS_INTRO: &str =
    "自動で判定した設定です。違っていれば変えてください。下のプレビューがすぐに変わります。";
pub const ENCODING: &str = "文字コード";
pub const DELIMITER: &str = "区切り文字";
pub const HAS_HEADER: &str = "1行目は列名（見出し）";
pub const DATE_ORDER: &str = "日付の順序";
pub const DATE_ORDER_CHOOSE: &str = "選んでください";
pub const DATE_ORDER_ASK: &str = "日付が「01/02/2024」のように年が最後の形式で、月と日のどちらが先か判定できません。日付の順序を選んでください。";
pub const MAPPING_TITLE: &str = "列の割り当てとプレビュー";
pub const MAPPING_INTRO: &str = "各列が何を表すかを選びます。注文日・金額・顧客（顧客IDかメールアドレス）が必要です。プレビューの2段目は、アプリが読み取った値です。";
pub const MAPPING_LINE: &str = "行";
pub const PREVIEW_UNUSED: &str = "（使わない）";
pub const PREVIEW_BLANK: &str = "（空欄）";

// ---- CSV分析: the rules of the import (what counts) ----
pub const RULES_TITLE: &str = "集計のルール";
pub const RULES_INTRO: &str = "出店サービスごとの決まりで数えます。違っていれば変えてください。";
pub const PLATFORM_CHOOSE: &str = "出店サービス（データの形式）";
pub const PLATFORM_ASK: &str =
    "複数のサービスの形式に似ています。どのサービスから出力したCSVか選んでください。";
pub const STATUS_RULE_NONE: &str =
    "注文状況の列がないため、すべての注文を売上として数えます。キャンセルした注文が含まれていれば、列の割り当てで「注文状況」を選んでください。";
pub const STATUS_INCLUDE: &str = "キャンセル・未決済・返品の注文も集計に含める";
pub const REVENUE_BASIS: &str = "売上の金額";
pub const REVENUE_BEFORE: &str = "ポイント・クーポン利用前（おすすめ）";
pub const REVENUE_AFTER: &str = "ポイント・クーポン利用後";
pub const NAME_AS_KEY: &str = "氏名で顧客を区別する（同姓同名の別の人は1人にまとまります）";
pub const NAME_AS_KEY_ASK: &str =
    "このデータには顧客IDもメールアドレスもありません。氏名で区別してよければ、上の項目にチェックを入れてください。";
/// The roles no column has yet: the user maps them before reading.
pub fn missing_roles(roles: &[ColumnRole]) -> String {
    let names: Vec<&str> = roles
        .iter()
        .map(|r| match r {
            ColumnRole::OrderDate => "注文日",
            ColumnRole::Amount => "金額（注文合計か明細金額）",
            _ => "顧客（顧客IDかメールアドレス）",
        })
        .collect();
    format!(
        "{}にあたる列が見つかりません。下の「列の割り当て」で選ぶと読み込めます。",
        names.join("・")
    )
}

pub const IMPORT_NEEDS_NAME: &str = "顧客の区別のしかたを選ぶと読み込めます。";

/// How the status column is read, in one sentence.
pub fn status_rule(
    platform: Platform,
    column: &str,
    cancelled_at: Option<&str>,
    keywords: bool,
) -> String {
    let mut text = if keywords {
        format!("「{column}」の値に「キャンセル」「取消」「返品」などを含む注文を、集計から外します（この列で合っているか確かめてください）。")
    } else {
        format!(
            "{}の決まりで、「{column}」がキャンセル・未決済・返品を表す注文を集計から外します。",
            platform_name(platform)
        )
    };
    if let Some(at) = cancelled_at {
        text.push_str(&format!(
            "「{at}」に日時がある注文も、キャンセルとして外します。"
        ));
    }
    text
}

/// A cancellation-date column alone.
pub fn cancelled_at_rule(column: &str) -> String {
    format!("「{column}」に日時がある注文を、キャンセルとして集計から外します。")
}

/// The platform as detected: how sure, in words.
pub fn platform_detected(label: &str, matched: u32, signature: u32) -> String {
    format!("{label}（この形式の列名{signature}個のうち{matched}個が一致）")
}

pub fn excluded_value(platform: Platform, column: &str, value: &str) -> String {
    if value.is_empty() {
        format!("「{column}」に日時あり")
    } else if let Some(name) = status_code_name(platform, value) {
        format!("「{column}」が「{value}」（{name}）")
    } else {
        format!("「{column}」が「{value}」")
    }
}

/// What a platform's numeric status code means, in the platform's own words.
fn status_code_name(platform: Platform, code: &str) -> Option<&'static str> {
    use Platform::*;
    Some(match (platform, code) {
        (EcCube4, "3") => "注文取消し",
        (EcCube4, "7") => "決済処理中",
        (EcCube4, "8") => "購入処理中",
        (EcCube4, "9") => "返品",
        (EcCube2, "3") => "キャンセル",
        (EcCube2, "7") => "決済処理中",
        (Yahoo, "4") => "キャンセル",
        _ => return None,
    })
}

pub const REPORT_EXCLUDED_INCLUDE: &str = "これらの注文も集計に含める";

/// Orders and their amount: 「3件（¥12,800）」.
pub fn orders_and_amount(orders: u64, amount: f64) -> String {
    format!("{}{}", count_orders(orders), in_parens(&format_yen(amount)))
}

/// One status value left out, with its orders: 「「対応状況」が「3」（注文取消し）：2件（¥8,000）」.
pub fn excluded_group_line(
    platform: Platform,
    column: &str,
    value: &str,
    orders: u64,
    amount: f64,
) -> String {
    format!(
        "{}{COLON}{}",
        excluded_value(platform, column, value),
        orders_and_amount(orders, amount)
    )
}

// ---- CSV分析: the reading settings, roles and rules in words ----

pub fn encoding_name(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::ShiftJis => "Shift_JIS（Windows-31J）",
        TextEncoding::Utf16Le => "UTF-16（Excelの「Unicode テキスト」）",
    }
}

pub fn delimiter_name(delimiter: Delimiter) -> &'static str {
    match delimiter {
        Delimiter::Comma => "カンマ区切り",
        Delimiter::Tab => "タブ区切り",
        Delimiter::Semicolon => "セミコロン区切り",
        Delimiter::Whitespace => "空白区切り",
    }
}

pub fn date_order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::MonthFirst => "月/日/年",
        DateOrder::DayFirst => "日/月/年",
    }
}

/// A column's role in the mapping panel: the name the import's error messages give it
/// (「「注文合計」が2つの列に割り当てられています」), so the panel and the message agree.
pub fn column_role_name(role: ColumnRole) -> &'static str {
    role.label()
}

pub fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Shopify => "Shopify",
        Platform::RakutenPay => "楽天市場（楽天ペイ受注CSV）",
        Platform::RakutenRms => "楽天市場（旧RMS受注CSV）",
        Platform::EcCube4 => "EC-CUBE 4",
        Platform::EcCube2 => "EC-CUBE 2",
        Platform::Yahoo => "Yahoo!ショッピング",
        Platform::Amazon => "Amazon.co.jp",
        Platform::Base => "BASE",
        Platform::ColorMe => "カラーミーショップ",
        Platform::Futureshop => "futureshop",
        Platform::MakeShop => "MakeShop",
        Platform::Stores => "STORES",
        Platform::WooCommerce => "WooCommerce",
        Platform::Cdnow => "CDNOW",
        Platform::Generic => "汎用",
    }
}

/// Why an order was left out, in the report.
pub fn exclusion_name(kind: Exclusion) -> &'static str {
    match kind {
        Exclusion::Cancelled => "キャンセル",
        Exclusion::Unpaid => "未決済",
        Exclusion::Returned => "返品・返金",
    }
}

/// How the lines of the file became orders, in one sentence: what the summary JSON's
/// `import.rule` records.
pub fn order_rule_sentence(rule: OrderRule) -> &'static str {
    file_text::order_rule_sentence(rule)
}

/// What revenue is, in one sentence: 「売上 = 注文ごとの「合計」（ポイント・クーポン利用前、税込）。」,
/// the summary JSON's `import.revenue_rule` as a sentence.
pub fn revenue_rule_sentence(rule: &RevenueRule) -> String {
    format!("{}。", file_text::revenue_rule_sentence(rule))
}

/// 「キャンセル 3件（¥12,800）を集計から除外しました。」: the orders left out by their
/// status, or kept by the user's choice; `None` when there are none.
pub fn excluded_line(report: &ImportReport) -> Option<String> {
    let (orders, _) = report.excluded_totals();
    if orders == 0 {
        return None;
    }
    let mut kinds: Vec<String> = Vec::new();
    for kind in [Exclusion::Cancelled, Exclusion::Unpaid, Exclusion::Returned] {
        let (n, a) = report
            .excluded
            .iter()
            .filter(|g| g.kind == kind)
            .fold((0u64, 0.0), |(n, a), g| (n + g.orders, a + g.amount));
        if n > 0 {
            kinds.push(format!(
                "{} {}件（{}）",
                exclusion_name(kind),
                n,
                format_yen(a)
            ));
        }
    }
    Some(if report.excluded_included {
        format!("{}を、指定により集計に含めています。", kinds.join("、"))
    } else {
        format!("{}を集計から除外しました。", kinds.join("、"))
    })
}

/// The report in sentences, in the order the page lists them. The revenue rule
/// ([`revenue_rule_sentence`]) and the orders left out ([`excluded_line`]) are said on their
/// own.
pub fn report_lines(report: &ImportReport) -> Vec<String> {
    let r = report;
    let mut out = vec![if r.rows_excluded > 0 {
        format!(
            "{}行を読み、{}行を使い、{}行は読めずに除外、{}行はキャンセル等の注文として集計から外しました。",
            r.rows_read, r.rows_used, r.rows_rejected, r.rows_excluded
        )
    } else {
        format!(
            "{}行を読み、{}行を使い、{}行を除外しました。",
            r.rows_read, r.rows_used, r.rows_rejected
        )
    }];
    let range = match (r.first_day, r.last_day) {
        (Some(first), Some(last)) => format!("（{} 〜 {}）", iso_date(first), iso_date(last)),
        _ => String::new(),
    };
    out.push(format!(
        "注文{}件、顧客{}人、売上{}{}。",
        r.orders,
        r.customers,
        format_yen(r.revenue),
        range
    ));
    out.push(order_rule_sentence(r.rule).to_string());
    if r.guest_orders > 0 {
        let why = if r.placeholder_ids.is_empty() && r.shared_ids == 0 {
            "顧客IDが空欄のため".to_string()
        } else {
            let mut parts: Vec<String> = Vec::new();
            if !r.placeholder_ids.is_empty() {
                let ids: Vec<String> = r
                    .placeholder_ids
                    .iter()
                    .map(|p| format!("「{p}」"))
                    .collect();
                parts.push(format!("顧客IDが空欄か{}のため", ids.join("")));
            }
            if r.shared_ids > 0 {
                parts.push(format!(
                    "{}個の顧客IDが複数のメールアドレスで使われているため",
                    r.shared_ids
                ));
            }
            parts.join("、また")
        };
        out.push(format!(
            "{why}、{}件の注文はメールアドレスで顧客を区別しました（ゲスト購入など。別の人を1人にまとめないため）。",
            r.guest_orders
        ));
    }
    if r.raw_keys > r.customers {
        out.push(format!(
            "顧客ID・メールアドレスの書き方{}通りを、表記ゆれ（大文字小文字・全角半角・空白）をそろえて{}人にまとめました（{}人が複数の書き方）。",
            r.raw_keys, r.customers, r.merged_customers
        ));
    }
    if r.negative_orders > 0 {
        out.push(format!(
            "マイナスの注文（返品など）{}件、計{}は注文として数え、売上から差し引いています。",
            r.negative_orders,
            format_yen(r.negative_amount)
        ));
    }
    if r.zero_orders > 0 {
        out.push(format!(
            "0円の注文{}件は注文として数えています（売上は増えませんが、購入回数には入ります）。",
            r.zero_orders
        ));
    }
    if r.undecodable_chars > 0 {
        let place = r
            .first_undecodable_line
            .map(|l| format!("（最初は{l}行目）"))
            .unwrap_or_default();
        out.push(format!(
            "文字コード{}で読めない文字が{}個あり{place}、「�」に置き換えました。",
            encoding_name(r.encoding),
            r.undecodable_chars
        ));
    }
    out
}

// ---- CSV分析: import ----
pub const IMPORT: &str = "この設定で読み込む";
pub const IMPORT_NEEDS_DATE_ORDER: &str = "日付の順序を選ぶと読み込めます。";
pub const CANCEL: &str = "中止";
pub const CANCELLED: &str = "読み込みを中止しました。設定を確かめて、もう一度読み込めます。";
pub const STAGE_READING: &str = "ファイルを読んでいます";
pub const STAGE_IMPORTING: &str = "注文を取り込んでいます";

// ---- CSV分析: the report ----
pub const REPORT_TITLE: &str = "取り込み結果";
pub const REPORT_ROWS_READ: &str = "読んだ行";
pub const REPORT_ROWS_USED: &str = "使った行";
pub const REPORT_ROWS_REJECTED: &str = "除外した行";
pub const REPORT_ORDERS: &str = "注文";
pub const REPORT_CUSTOMERS: &str = "顧客";
pub const REPORT_REVENUE: &str = "売上";
pub const REPORT_PERIOD: &str = "期間";
pub const REPORT_PLATFORM: &str = "形式";
pub const REPORT_EXCLUDED: &str = "集計から外した注文";
pub const REPORT_RECONCILED: &str =
    "読んだ行はすべて、使ったか、理由つきで除外したか、集計から外した注文の行です。";
pub const REPORT_NOT_RECONCILED: &str =
    "行数の合計が合いません。除外した行の一覧を確かめてください。";
pub const MERGE_TITLE: &str = "名寄せ（同じお客さまの書き方の違いをまとめた例）";
pub const REJECTED_TITLE: &str = "除外した行";
pub const REJECTED_DOWNLOAD: &str = "除外した行をCSVでダウンロード";
pub const REJECTED_LINE: &str = "行";
pub const REJECTED_COLUMN: &str = "列";
pub const REJECTED_VALUE: &str = "値";
pub const REJECTED_REASON: &str = "理由";
pub const IMPORT_FAILED: &str = "読み込めませんでした";

pub fn rejected_more(shown: usize, total: u64) -> String {
    format!("最初の{shown}行を表示しています（全{total}行はダウンロードで確認できます）。")
}

pub fn role_label(header: &str) -> String {
    format!("「{header}」の役割")
}

pub fn stage_label(stage: crate::worker::Stage) -> &'static str {
    match stage {
        crate::worker::Stage::Reading => STAGE_READING,
        crate::worker::Stage::Importing => STAGE_IMPORTING,
        crate::worker::Stage::Analysing => STAGE_ANALYSING,
        crate::worker::Stage::Predicting => STAGE_PREDICTING,
    }
}

pub const STAGE_ANALYSING: &str = "集計しています";
pub const STAGE_PREDICTING: &str = "予測モデルを当てはめています";
/// `1.2 MB`, `350 KB`.
pub fn file_size(bytes: f64) -> String {
    if bytes >= 1_000_000.0 {
        format!("{} MB", format_decimal(bytes / 1_000_000.0))
    } else {
        format!("{} KB", (bytes / 1_000.0).ceil())
    }
}

pub fn source_line(name: &str, size: f64) -> String {
    format!("{}（{}）", display_name(name), file_size(size))
}

pub fn merge_example(spellings: &[String], canonical: &str) -> String {
    format!("{} → {canonical}", spellings.join(" / "))
}

pub fn date_range(first: Option<i32>, last: Option<i32>) -> String {
    match (first, last) {
        (Some(a), Some(b)) => format!(
            "{} 〜 {}",
            ltv_core::orders::iso_date(a),
            ltv_core::orders::iso_date(b)
        ),
        _ => "—".to_string(),
    }
}

// ---- CSV分析: when reading fails ----
/// The worker stopped: what happened, and that the page still works.
pub fn worker_crashed(detail: &str) -> String {
    format!(
        "分析の処理が途中で止まりました（ファイルが大きすぎてメモリが足りなくなった可能性があります）。ページはそのまま使えます。別のファイルを読み込むか、期間を分けたファイルでお試しください。（詳細: {detail}）"
    )
}

/// A file name as shown: direction controls (which can make `gpj.exe` read as `exe.jpg`)
/// are dropped.
pub fn display_name(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

pub fn duplicate_headers(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("「{n}」")).collect();
    format!(
        "列名{}が2回以上あります。割り当ては列ごとに決まり、役割のない同名の列は使いません。",
        quoted.join("")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_core::import::{import, sample_export, ImportOptions, RevenueBasis};

    fn report(csv: &str, options: &ImportOptions) -> ImportReport {
        import(csv.as_bytes(), options, &mut |_| true)
            .unwrap_or_else(|e| panic!("{e}"))
            .report
    }

    #[test]
    fn the_report_in_sentences() {
        let sample = import(sample_export(), &ImportOptions::new(), &mut |_| true).unwrap();
        assert!(report_lines(&sample.report).join("\n").contains("行を読み"));

        // "SHOP" is the staff's own member ID, used for the orders of three people.
        let shared = report(
            "注文番号,会員ID,メールアドレス,注文日,合計\n\
             1,SHOP,a@example.jp,2024/01/05,1000\n\
             2,SHOP,b@example.jp,2024/01/06,2000\n\
             3,SHOP,c@example.jp,2024/01/07,3000\n\
             4,M9,d@example.jp,2024/01/08,4000\n",
            &ImportOptions::new(),
        );
        let lines = report_lines(&shared).join("\n");
        assert!(
            lines.contains("1個の顧客IDが複数のメールアドレスで使われている"),
            "{lines}"
        );

        let mut bytes = "注文日,顧客ID,金額\n2024/01/05,C1,100\n"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"2024/01/06,C\xff2,200\n");
        let options = ImportOptions::new().with_encoding(TextEncoding::Utf8);
        let undecodable = import(&bytes, &options, &mut |_| true).unwrap().report;
        let lines = report_lines(&undecodable).join("");
        assert!(
            lines.contains("文字コードUTF-8で読めない文字が1個あり（最初は3行目）"),
            "{lines}"
        );
    }

    #[test]
    fn the_orders_left_out_in_one_line() {
        let csv = "注文番号,注文日,メールアドレス,合計金額,注文状況\n\
                   1,2024/01/05,a@example.jp,1000,発送済み\n\
                   2,2024/01/06,a@example.jp,2000,キャンセル\n\
                   3,2024/01/07,b@example.jp,3000,返品\n\
                   4,2024/01/08,c@example.jp,4000,注文取消\n";
        let left_out = report(csv, &ImportOptions::new());
        assert_eq!(
            excluded_line(&left_out).unwrap(),
            "キャンセル 2件（¥6,000）、返品・返金 1件（¥3,000）を集計から除外しました。"
        );
        let kept = report(csv, &ImportOptions::new().with_include_excluded(true));
        assert_eq!(
            excluded_line(&kept).unwrap(),
            "キャンセル 2件（¥6,000）、返品・返金 1件（¥3,000）を、指定により集計に含めています。"
        );
        let none = report(
            "注文日,顧客ID,金額\n2024/01/05,C1,100\n",
            &ImportOptions::new(),
        );
        assert_eq!(excluded_line(&none), None);
    }

    #[test]
    fn the_revenue_rule_in_one_sentence() {
        let rule = RevenueRule {
            basis: RevenueBasis::BeforePoints,
            columns: vec!["支払合計".into()],
            plus: vec!["値引き".into()],
            minus: vec![],
            summed: false,
            switchable: true,
        };
        assert_eq!(
            revenue_rule_sentence(&rule),
            "売上 = 注文ごとの「支払合計」＋「値引き」（ポイント・クーポン利用前、税込）。"
        );
        let summed = RevenueRule {
            columns: vec!["小計".into()],
            plus: vec!["送料".into()],
            summed: true,
            ..rule
        };
        assert_eq!(
            revenue_rule_sentence(&summed),
            "売上 = 明細ごとの「小計」の合計＋注文ごとに1回の「送料」。"
        );
    }

    #[test]
    fn role_names_are_distinct() {
        let mut names: Vec<&str> = ColumnRole::ALL
            .iter()
            .map(|&r| column_role_name(r))
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ColumnRole::ALL.len());
    }
}
