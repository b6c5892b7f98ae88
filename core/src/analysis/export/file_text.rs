//! Text that is part of the files the app writes: a file format, not UI.
//!
//! Spreadsheets and scripts read these words: the group names in the cells of the
//! per-customer CSV (its headers are [`super::CUSTOMER_CSV_HEADER`] and
//! [`crate::forecast::PREDICTED_HEADERS`]), and the values of the summary JSON's `import` object (`platform`,
//! `encoding`, `rule`, `revenue_rule`; the keys of its `segments` object are
//! [`super::SegmentCounts`]'s, which a test keeps equal to [`segment_name`]). Changing one changes the format, so they live here, apart from the words
//! the page shows, which are the app's (`src/i18n/`) and free to change; today the two say
//! the same.

use crate::analysis::cpm::{CpmGroup, CpmStage};
use crate::analysis::rfm::RfmGroup;
use crate::analysis::segments::{CommonSegment, Segment};
use crate::import::{OrderRule, Platform, RevenueBasis, RevenueRule, TextEncoding};
use crate::model::AliveSegment;

/// A segment of the six in the 「セグメント」 column, and as a key of the summary JSON's
/// `segments`.
pub fn segment_name(segment: Segment) -> &'static str {
    match segment {
        Segment::New => "新規顧客",
        Segment::Candidate => "固定化候補",
        Segment::Regular => "固定客",
        Segment::Sleep => "スリープ顧客",
        Segment::HalfDormant => "半休眠顧客",
        Segment::Dormant => "休眠顧客",
    }
}

/// A group of the common five in the 「5分類」 column.
pub fn common_segment_name(segment: CommonSegment) -> &'static str {
    match segment {
        CommonSegment::Prospect => "見込み顧客",
        CommonSegment::Loyal => "優良顧客",
        CommonSegment::New => "新規顧客",
        CommonSegment::Existing => "既存顧客",
        CommonSegment::Dormant => "休眠顧客",
        CommonSegment::Lapsed => "離反顧客",
    }
}

/// An RFM group in the 「RFMグループ」 column.
pub fn rfm_group_name(group: RfmGroup) -> &'static str {
    match group {
        RfmGroup::Champions => "最優良顧客",
        RfmGroup::Loyal => "ロイヤル顧客",
        RfmGroup::PotentialLoyalist => "ロイヤル予備軍",
        RfmGroup::New => "新規顧客",
        RfmGroup::Promising => "有望顧客",
        RfmGroup::NeedAttention => "要注意顧客",
        RfmGroup::AboutToSleep => "休眠予備軍",
        RfmGroup::AtRisk => "離反危険顧客",
        RfmGroup::CantLose => "手放せない顧客",
        RfmGroup::Hibernating => "休眠顧客",
    }
}

/// A CPM group in the 「CPM」 column: 優良客, or 優良離脱客 when lapsed.
pub fn cpm_group_name(group: CpmGroup) -> &'static str {
    match (group.stage, group.lapsed) {
        (CpmStage::First, false) => "初回客",
        (CpmStage::Toddler, false) => "よちよち客",
        (CpmStage::Steady, false) => "コツコツ客",
        (CpmStage::Trendy, false) => "流行客",
        (CpmStage::Loyal, false) => "優良客",
        (CpmStage::First, true) => "初回離脱客",
        (CpmStage::Toddler, true) => "よちよち離脱客",
        (CpmStage::Steady, true) => "コツコツ離脱客",
        (CpmStage::Trendy, true) => "流行離脱客",
        (CpmStage::Loyal, true) => "優良離脱客",
    }
}

/// A customer's P(alive) group in the predicted 「P(alive)区分」 column.
pub fn alive_segment_name(segment: AliveSegment) -> &'static str {
    match segment {
        AliveSegment::Active => "稼働",
        AliveSegment::Sleeping => "スリープ",
        AliveSegment::Dormant => "休眠",
    }
}

/// The platform an export came from, as the summary JSON's `import.platform` names it.
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

/// The text encoding of an export, as the summary JSON's `import.encoding` names it.
pub fn encoding_name(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::ShiftJis => "Shift_JIS（Windows-31J）",
        TextEncoding::Utf16Le => "UTF-16（Excelの「Unicode テキスト」）",
    }
}

/// How the lines became orders, the summary JSON's `import.rule`.
pub fn order_rule_sentence(rule: OrderRule) -> &'static str {
    match rule {
        OrderRule::RowIsOrder => "注文番号の列がないため、1行を1件の注文として数えました。",
        OrderRule::TotalRepeated => {
            "同じ注文番号の行を1件の注文にまとめ、各行にくり返し書かれた注文合計は1回だけ数えました。"
        }
        OrderRule::TotalOnFirstLine => {
            "同じ注文番号の行を1件の注文にまとめ、注文の最初の行にある注文合計を使いました。"
        }
        OrderRule::SumOfLines => {
            "同じ注文番号の行を1件の注文にまとめ、明細の金額を合計して注文金額にしました。"
        }
        OrderRule::SumOfLinesWithCharges => {
            "同じ注文番号の行を1件の注文にまとめ、明細の金額の合計に送料と調整金額（注文ごとに1回）を加えて注文金額にしました。"
        }
    }
}

/// What revenue is, the summary JSON's `import.revenue_rule`: 「売上 = …」.
///
/// # Examples
/// ```
/// use ltv_core::analysis::export::file_text::revenue_rule_sentence;
/// use ltv_core::import::{RevenueBasis, RevenueRule};
/// let rule = RevenueRule {
///     basis: RevenueBasis::BeforePoints,
///     columns: vec!["支払合計".into()],
///     plus: vec!["値引き".into()],
///     minus: vec![],
///     summed: false,
///     switchable: true,
/// };
/// assert_eq!(revenue_rule_sentence(&rule), "売上 = 注文ごとの「支払合計」＋「値引き」（ポイント・クーポン利用前、税込）");
/// ```
pub fn revenue_rule_sentence(rule: &RevenueRule) -> String {
    let quoted = |names: &[String], sep: &str| {
        names
            .iter()
            .map(|n| format!("「{n}」"))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let mut text = String::from("売上 = ");
    if rule.summed {
        text.push_str(&format!("明細ごとの{}の合計", quoted(&rule.columns, "＋")));
        if !rule.plus.is_empty() {
            text.push_str(&format!("＋注文ごとに1回の{}", quoted(&rule.plus, "＋")));
        }
        return text;
    }
    text.push_str(&format!("注文ごとの{}", quoted(&rule.columns, "＋")));
    if !rule.plus.is_empty() {
        text.push_str(&format!("＋{}", quoted(&rule.plus, "＋")));
    }
    if !rule.minus.is_empty() {
        text.push_str(&format!("－{}", quoted(&rule.minus, "－")));
    }
    text.push_str(match rule.basis {
        RevenueBasis::BeforePoints => "（ポイント・クーポン利用前、税込）",
        RevenueBasis::AfterPoints => "（ポイント・クーポン利用後の支払額）",
    });
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are the format: a change here is a change of every file written.
    #[test]
    fn names_are_pinned() {
        let six: Vec<&str> = Segment::ALL.iter().map(|&s| segment_name(s)).collect();
        assert_eq!(
            six,
            [
                "新規顧客",
                "固定化候補",
                "固定客",
                "スリープ顧客",
                "半休眠顧客",
                "休眠顧客"
            ]
        );
        let five: Vec<&str> = CommonSegment::ALL
            .iter()
            .map(|&s| common_segment_name(s))
            .collect();
        assert_eq!(
            five,
            [
                "見込み顧客",
                "新規顧客",
                "既存顧客",
                "優良顧客",
                "休眠顧客",
                "離反顧客"
            ]
        );
        let rfm: Vec<&str> = RfmGroup::ALL.iter().map(|&g| rfm_group_name(g)).collect();
        assert_eq!(
            rfm,
            [
                "最優良顧客",
                "ロイヤル顧客",
                "ロイヤル予備軍",
                "新規顧客",
                "有望顧客",
                "要注意顧客",
                "休眠予備軍",
                "離反危険顧客",
                "手放せない顧客",
                "休眠顧客"
            ]
        );
        let cpm: Vec<&str> = CpmGroup::all().iter().map(|&g| cpm_group_name(g)).collect();
        assert_eq!(
            cpm,
            [
                "初回客",
                "よちよち客",
                "コツコツ客",
                "流行客",
                "優良客",
                "初回離脱客",
                "よちよち離脱客",
                "コツコツ離脱客",
                "流行離脱客",
                "優良離脱客"
            ]
        );
        let alive = [
            AliveSegment::Active,
            AliveSegment::Sleeping,
            AliveSegment::Dormant,
        ]
        .map(alive_segment_name);
        assert_eq!(alive, ["稼働", "スリープ", "休眠"]);
    }
}
