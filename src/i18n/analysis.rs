//! CSV分析, the analysis: its settings, summary, monthly figures, cohorts, segments, RFM,
//! CPM, LTV by days, products, downloads, and the headline with its three findings.

use super::common::{count, count_people, in_parens, rate_or_none, NONE};
use super::prediction::ALIVE_PREFIX;
use ltv_core::analysis::cpm::{CpmGroup, CpmRules, CpmStage};
use ltv_core::analysis::rfm::{RfmGroup, RfmMode};
use ltv_core::analysis::segments::{CommonSegment, Segment, SegmentRules};
use ltv_core::input::format_yen;
use ltv_core::input::{format_decimal, format_rate};

// ---- CSV分析: the analysis ----
pub const ANALYSIS_TITLE: &str = "分析の設定";
pub const ANALYSIS_INTRO: &str = "基準日と期間、区分のしきい値を変えると、すべての表とグラフがすぐに更新されます（ファイルは読み直しません）。";
pub const AS_OF: &str = "基準日";
pub const AS_OF_HINT: &str = "この日までの注文で分析します。初期値は最後の注文日です。";
pub const HORIZON: &str = "LTVの期間";
pub const F2_DAYS: &str = "F2転換率の日数";
pub const SEGMENT_RULES: &str = "6つの顧客区分のしきい値";
pub const ACTIVE_DAYS: &str = "現役とみなす日数（最終注文から）";
pub const SLEEP_DAYS: &str = "スリープの上限日数";
pub const HALF_DORMANT_DAYS: &str = "半休眠の上限日数";
pub const CANDIDATE_ORDERS: &str = "固定化候補の注文回数";
pub const REGULAR_ORDERS: &str = "固定客の注文回数（以上）";
pub const RFM_MODE: &str = "RFMの点数のつけ方";
pub const RFM_QUINTILE: &str = "五分位（顧客を5等分）";
pub const RFM_THRESHOLDS: &str = "しきい値を指定";
pub const RFM_R_THRESHOLDS: &str = "R: 最終注文からの日数の区切り（4つ）";
pub const RFM_F_THRESHOLDS: &str = "F: 注文回数の区切り（4つ）";
pub const RFM_M_THRESHOLDS: &str = "M: 累計購入金額の区切り（4つ）";
pub const LIST_HINT: &str = "カンマ区切りで、小さい順に4つ";
/// What may stand between the four numbers of a list: 「1,2,4,9」「1、2、4、9」「1，2，4，9」.
pub const LIST_SEPARATORS: [char; 3] = [',', '、', '，'];
pub const CPM_RULES: &str = "CPM分析のしきい値";
pub const CPM_LAPSE: &str = "離脱とみなす日数";
pub const CPM_YOUNG: &str = "よちよち客の在籍日数（未満）";
pub const CPM_LOYAL: &str = "優良客の在籍日数（以上）";
pub const CPM_SPEND: &str = "累計購入金額のしきい値";
pub const ANALYSING: &str = "集計しています…";
pub const NOT_A_WHOLE_NUMBER: &str = "0以上の整数を入力してください";
pub const NOT_A_LIST: &str = "4つの数をカンマで区切って入力してください（例: 1,2,4,9）";

pub const SUMMARY_TITLE: &str = "サマリー";

/// After the summary's title: 「（基準日 2025-12-31）」.
pub fn summary_as_of(date: &str) -> String {
    in_parens(&format!("{AS_OF} {date}"))
}

/// A share and the yen it stands for: 「12.5%（¥120,000）」.
pub fn share_and_amount(share: Option<f64>, amount: f64) -> String {
    format!("{}{}", rate_or_none(share), in_parens(&format_yen(amount)))
}
pub const S_CUSTOMERS: &str = "顧客数";
pub const S_ORDERS: &str = "注文数";
pub const S_REVENUE: &str = "売上";
pub const S_AOV: &str = "平均注文単価";
pub const S_ORDERS_PER_CUSTOMER: &str = "1人あたり注文回数";
pub const S_REVENUE_PER_CUSTOMER: &str = "1人あたり売上（全期間）";
pub const S_LTV_12: &str = "通販LTV（直近12か月）";
pub const S_LTV_24: &str = "通販LTV（直近24か月）";
pub const S_REPEAT_SHARE: &str = "2回以上購入した顧客の割合";
/// F2転換率, as the note under the figure says it.
pub const F2_DEFINITION: &str =
    "初回購入からN日以内に2回目の注文をした顧客の割合。初回購入が基準日のN日以上前の顧客だけを分母にします(まだN日たっていない顧客は数えません)。同じ日の2件目の注文も2回目に数えます。";
pub const BY_YEAR: &str = "年ごと";
pub const H_YEAR: &str = "年";
pub const H_REVENUE: &str = "売上";
pub const H_CUSTOMERS: &str = "顧客数";
pub const H_ORDERS: &str = "注文数";
pub const H_REVENUE_PER_CUSTOMER: &str = "1人あたり売上";

pub const MONTHLY_TITLE: &str = "月ごとの顧客とリピート";
pub const H_MONTH: &str = "月";
pub const H_NEW: &str = "新規";
pub const H_REPEAT: &str = "リピーター";
pub const H_REPEATER_RATE: &str = "リピーター率";
pub const H_CUMULATIVE: &str = "累計顧客";
pub const H_REPEAT_RATE: &str = "リピート率";
pub const MONTHLY_CHART: &str = "月ごとの顧客数（新規とリピーター）";
pub const REPEATER_RATE_DEFINITION: &str =
    "リピーター率 = その月のリピート顧客 ÷ その月の購入顧客。リピート顧客は、その月に注文し、初回購入がそれより前の月の顧客です。新規顧客が減ると上がり、増えると下がります。";
pub const REPEAT_RATE_DEFINITION: &str =
    "リピート率 = その月のリピート顧客 ÷ その月末までの累計顧客数(一度でも購入した人)。";

pub const COHORTS_TITLE: &str = "コホート（初回購入月ごとの継続）";
pub const COHORT_HEAT: &str = "初回購入月 × 経過月数: その月に購入した人の割合（人数）";
pub const H_COHORT: &str = "初回購入月";
pub const H_SIZE: &str = "人数";
pub const H_LTV_12: &str = "12か月LTV";
pub const H_LTV_24: &str = "24か月LTV";
pub const COHORT_LTV: &str = "初回購入月ごとの1人あたり累計売上（12か月・24か月）";
/// How the cohort table is read.
pub const COHORT_DEFINITION: &str =
    "初回購入月ごとの顧客グループ(コホート)が、その後の各月に何人注文したか(0か月目=初回購入月)。空欄は基準日の時点でまだ来ていない月です。基準日を含む月は途中までの数字です。累計売上は一人あたり、初回購入月からその月末までの合計です。";

pub const SEGMENTS_TITLE: &str = "6つの顧客区分と、それぞれへの施策";
pub const SEGMENTS_INTRO: &str = "このツールの基本の分け方です。最終注文からの日数と注文回数で、お客さま全員をどれか1つに分けます。施策はこの6区分から考えてください。";
pub const H_SEGMENT: &str = "区分";
pub const H_RULE: &str = "条件";
pub const H_SHARE: &str = "割合";
pub const H_REVENUE_SHARE: &str = "売上構成比";
pub const H_AVG_ORDERS: &str = "平均注文回数";
pub const H_AVG_SPEND: &str = "平均購入金額";
pub const H_AVG_DAYS: &str = "最終注文からの平均日数";
pub const H_ACTION: &str = "おすすめの施策";
pub const COMMON_TITLE: &str = "大手通販の5分類";
pub const ABSENT: &str = "（データに該当なし）";
pub const LIST_ENCODING: &str = "リストの文字コード";
pub const ENC_UTF8: &str = "UTF-8（BOM付き）";
pub const ENC_SJIS: &str = "Shift_JIS（古いExcel向け）";

// ---- CSV分析: 別の見方, the other ways to divide the same customers ----
pub const OTHER_VIEWS_TITLE: &str = "別の見方（ほかの分け方）";

/// Why the other schemes' counts differ from the six, with the 休眠 of both as the example.
pub fn other_views_intro(rules: &SegmentRules) -> String {
    let (a, h) = (rules.active_days, rules.half_dormant_days);
    format!(
        "施策は上の6区分で考えるのが基本です。ここでは同じお客さまを別の物差しで分けた結果を、名前の頭に分け方（「{COMMON_PREFIX}」「{RFM_PREFIX}」「{ALIVE_PREFIX}」）を付けて載せています。区切りが違うので、似た名前でも人数は合いません。たとえば6区分の「{}」は最終注文から{h}日超、「{}」は{}〜{h}日です。",
        segment_name(Segment::Dormant),
        common_segment_name(CommonSegment::Dormant),
        a + 1
    )
}
pub const WHEN_LABEL: &str = "使いどころ";
pub const COMMON_WHEN: &str = "大手通販や業界の資料と数字を比べるとき。日数の区切りが6区分と違うため、人数は6区分と合いません。";
pub const RFM_WHEN: &str =
    "同じ「最近買った人」の中から、回数や金額の多い人を選んで特別な案内をしたいとき。";
pub const CPM_WHEN: &str = "おつきあいの長さと累計金額で、育ちつつあるお客さまと、離れてしまった優良なお客さまを分けて追いたいとき。先月からの移動も見られます。";
pub const ALIVE_VIEW_TITLE: &str = "予測LTVの3つの状態";
pub const ALIVE_WHEN: &str = "買うペースが人によって大きく違うとき。ふだんの購入の間隔から見て、離れかけている人を見つけます。人数と施策は予測LTVの節にあります。";
pub const ALIVE_VIEW_LINK: &str = "予測LTVの「お客さまの今の状態」を見る";
/// Before the name of a group of the common five: 「5分類・休眠顧客」.
pub const COMMON_PREFIX: &str = "5分類・";
/// Before the name of an RFM group: 「RFM・休眠顧客（Hibernating）」.
pub const RFM_PREFIX: &str = "RFM・";

pub const RFM_TITLE: &str = "RFM分析";
pub const RFM_GRID: &str = "R（最近さ）× F（回数）: 人数と売上構成比";
pub const RFM_GROUPS: &str = "RFMのグループと施策";
pub const H_GROUP: &str = "グループ";

pub const CPM_TITLE: &str = "CPM分析（顧客ポートフォリオ）";
pub const CPM_FLOW: &str = "先月末からの移動（人数）";
pub const H_FROM: &str = "移動元";
pub const H_TO: &str = "移動先";
pub const H_COUNT: &str = "人数";
pub const CPM_NO_FLOW: &str = "月をまたいだ移動を出せるだけの期間がありません。";
pub const CPM_NOT_YET: &str = "（まだ購入なし）";

/// The month ends a flow runs between: 「（2025-11-30 → 2025-12-31）」.
pub fn cpm_flow_dates(from: &str, to: &str) -> String {
    in_parens(&format!("{from} → {to}"))
}

// ---- CSV分析: the segments, RFM and CPM groups in words ----

/// A segment of the six.
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

/// A segment's rule with the thresholds in force.
pub fn segment_rule(segment: Segment, rules: &SegmentRules) -> String {
    let a = rules.active_days;
    match segment {
        Segment::New => format!(
            "最終注文から{a}日以内で、注文回数が{}回未満",
            rules.candidate_orders
        ),
        Segment::Candidate => format!(
            "最終注文から{a}日以内で、注文回数が{}回以上{}回未満",
            rules.candidate_orders, rules.regular_orders
        ),
        Segment::Regular => format!(
            "最終注文から{a}日以内で、注文回数が{}回以上",
            rules.regular_orders
        ),
        Segment::Sleep => format!("最終注文から{}〜{}日", a + 1, rules.sleep_days),
        Segment::HalfDormant => format!(
            "最終注文から{}〜{}日",
            rules.sleep_days + 1,
            rules.half_dormant_days
        ),
        Segment::Dormant => format!("最終注文から{}日超", rules.half_dormant_days),
    }
}

/// What to do for a segment.
pub fn segment_action(segment: Segment) -> &'static str {
    match segment {
        Segment::New => "初回購入のお礼と商品の使い方を早めに届け、2回目の注文につなげましょう。商品に同梱するチラシや、届いた頃に送るステップメールが効きます。",
        Segment::Candidate => "常連になるかどうかの大事な時期です。メールや同梱チラシで関連商品を提案し、定期便を案内して、3回目の注文を後押ししましょう。",
        Segment::Regular => "お店を支える常連です。会員特典や新商品の先行案内、手書きのお礼状の同梱で特別扱いし、定期便やまとめ買いも押しつけずに提案しましょう。",
        Segment::Sleep => "購入の間隔が空き始めています。メールやLINEで、使い切る頃のお知らせや新商品の案内を送りましょう。",
        Segment::HalfDormant => "このままでは離れてしまいます。期間限定のクーポンをDMやメールで送り、もう一度買うきっかけを作りましょう。",
        Segment::Dormant => "長く注文がありません。新商品やお店の近況をDMであらためて伝えて掘り起こし、反応した人から関係を育て直しましょう。",
    }
}

/// A group of the common five (and 既存顧客), with the scheme before it: 「5分類・休眠顧客」.
pub fn common_segment_name(segment: CommonSegment) -> String {
    let name = match segment {
        CommonSegment::Prospect => "見込み顧客",
        CommonSegment::Loyal => "優良顧客",
        CommonSegment::New => "新規顧客",
        CommonSegment::Existing => "既存顧客",
        CommonSegment::Dormant => "休眠顧客",
        CommonSegment::Lapsed => "離反顧客",
    };
    format!("{COMMON_PREFIX}{name}")
}

/// A group's rule of the common five with the thresholds in force.
pub fn common_segment_rule(segment: CommonSegment, rules: &SegmentRules) -> String {
    let a = rules.active_days;
    let h = rules.half_dormant_days;
    match segment {
        CommonSegment::Prospect => "会員登録だけで注文のない人。注文データには含まれないため、ここでは数えません。".to_string(),
        CommonSegment::Loyal => format!(
            "最終注文から{a}日以内の顧客のうち、注文回数 × 累計購入金額の上位20%(同じ値の人は同じ扱い)"
        ),
        CommonSegment::New => format!("最終注文から{a}日以内で、初回注文も{a}日以内(優良顧客を除く)"),
        CommonSegment::Existing => format!(
            "最終注文から{a}日以内で、初回注文は{a}日より前(優良顧客を除く)。5分類には名前のない層です"
        ),
        CommonSegment::Dormant => format!("最終注文から{}〜{h}日", a + 1),
        CommonSegment::Lapsed => format!("最終注文から{h}日超"),
    }
}

/// How RFM scores are given, in words, beside the grid.
pub fn rfm_rule(mode: &RfmMode) -> &'static str {
    match mode {
        RfmMode::Quintile => "R（最近さ）・F（回数）・M（金額）のそれぞれで、お客さまを人数が同じくらいの5つに分け、良いほうから5〜1点を付けます。",
        RfmMode::Thresholds(_) => "指定した区切りで、R（最近さ）・F（回数）・M（金額）にそれぞれ1〜5点を付けます。最近買った人、回数や金額の多い人ほど高い点です。",
    }
}

/// How RFM scores are given, exactly, behind 「詳しく」.
pub fn rfm_rule_detail(mode: &RfmMode) -> &'static str {
    match mode {
        RfmMode::Quintile => "五分位: 顧客を値の悪い順に並べ、スコア = 1 + ⌊5 × (自分より値が悪い顧客の数) ÷ 顧客数⌋。同じ値の顧客は必ず同じスコアになります(同順位は先頭の位置のスコア)。Rは最終注文からの日数が短いほど高く、F・Mは大きいほど高くなります。",
        RfmMode::Thresholds(_) => "しきい値: 指定した区切りで1〜5を付けます。Rは日数が区切り以下なら高いスコア、F・Mは区切り以上なら高いスコアです。",
    }
}

/// An RFM group, with the scheme before it and its usual English name after it:
/// 「RFM・最優良顧客（Champions）」.
pub fn rfm_group_name(group: RfmGroup) -> String {
    let (ja, en) = match group {
        RfmGroup::Champions => ("最優良顧客", "Champions"),
        RfmGroup::Loyal => ("ロイヤル顧客", "Loyal"),
        RfmGroup::PotentialLoyalist => ("ロイヤル予備軍", "Potential Loyalist"),
        RfmGroup::New => ("新規顧客", "New"),
        RfmGroup::Promising => ("有望顧客", "Promising"),
        RfmGroup::NeedAttention => ("要注意顧客", "Need Attention"),
        RfmGroup::AboutToSleep => ("休眠予備軍", "About to Sleep"),
        RfmGroup::AtRisk => ("離反危険顧客", "At Risk"),
        RfmGroup::CantLose => ("手放せない顧客", "Can't Lose"),
        RfmGroup::Hibernating => ("休眠顧客", "Hibernating"),
    };
    format!("{RFM_PREFIX}{ja}（{en}）")
}

/// One action for an RFM group.
pub fn rfm_group_action(group: RfmGroup) -> &'static str {
    match group {
        RfmGroup::Champions => "特別な感謝と先行案内で報い、新商品のモニターやレビューをお願いしましょう。",
        RfmGroup::Loyal => "会員特典やポイントで関係を深め、上位商品や関連商品を提案しましょう。",
        RfmGroup::PotentialLoyalist => "定期購入や会員プログラムに誘い、購入回数を増やすきっかけを作りましょう。",
        RfmGroup::New => "お礼と使い方の案内を早めに届け、2回目の注文につなげましょう。",
        RfmGroup::Promising => "お試しから本品へ、関連商品やセットの案内で次の注文を後押ししましょう。",
        RfmGroup::NeedAttention => "間隔が空く前に、期間限定のクーポンやおすすめ商品をメールやLINEで届け、次の注文を促しましょう。",
        RfmGroup::AboutToSleep => "買い替え時期のリマインドや人気商品の紹介で、もう一度思い出してもらいましょう。",
        RfmGroup::AtRisk => "以前はよく買ってくれた人です。名前入りのDMやメールと特典で呼び戻しましょう。",
        RfmGroup::CantLose => "最も大切な常連が離れかけています。アンケートで理由を聞き、特別なオファーで引き止めましょう。",
        RfmGroup::Hibernating => "メールの配信頻度を下げつつ、大きなセールや新商品のDMで掘り起こしを試しましょう。",
    }
}

/// A CPM group: e.g. 優良客, or 優良離脱客 when lapsed.
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

/// The CPM rules in force, one line per stage, then what 離脱 means.
pub fn cpm_rules(rules: &CpmRules) -> [String; 6] {
    let spend = format_yen(rules.spend_yen);
    let (y, l) = (rules.young_tenure_days, rules.loyal_tenure_days);
    [
        "初回客: 注文1回".to_string(),
        format!("よちよち客: 注文2回以上、累計購入金額{spend}未満、在籍期間{y}日未満"),
        format!("コツコツ客: 注文2回以上、累計購入金額{spend}未満、在籍期間{y}日以上"),
        format!("流行客: 注文2回以上、累計購入金額{spend}以上、在籍期間{l}日未満"),
        format!("優良客: 注文2回以上、累計購入金額{spend}以上、在籍期間{l}日以上"),
        format!(
            "在籍期間は初回から最新の注文までの日数。最終注文から{}日以上たつと「離脱」、それより前は「現役」",
            rules.lapse_days
        ),
    ]
}

pub const LTV_DAYS_TITLE: &str = "LTV曲線（初回購入からの日数ごとの1人あたり累計売上）";
pub const LTV_DAYS_INTRO: &str =
    "初回購入の日から数えて30日後・90日後・1年後などまでに、お客さま1人が買ってくれた金額の合計です。線が右上がりに伸び続けるほど、リピートで売上が積み上がっています。";
/// The one line of the chart: all customers.
pub const LTV_CURVE_LINE: &str = "全体の1人あたり累計売上";
pub const LTV_CURVE_CHART: &str = "LTV曲線: 全体の1人あたり累計売上（初回購入からの日数ごと）";
pub const LTV_DAYS_DEFINITION: &str =
    "初回購入日からN日後まで(初回購入日を含む)の累計売上 ÷ 顧客数。初回購入日+N日が基準日以前の顧客だけで計算します(それより新しい顧客はまだN日分の購入を見られないため)。";
/// The row of all customers, above the first-order months.
pub const LTV_DAYS_ALL: &str = "全体";

pub const PRODUCTS_TITLE: &str = "商品: どの初回商品がリピートにつながるか";
pub const H_FIRST_PRODUCT: &str = "初回商品";
pub const H_F2_RATE: &str = "F2転換率";
pub const H_REVENUE_12: &str = "12か月の1人あたり売上";
pub const NEXT_TITLE: &str = "2回目に買われた商品";
pub const H_NEXT_PRODUCT: &str = "2回目の商品";
pub const PAIRS_TITLE: &str = "一緒に買われる商品（クロスセル）";
pub const H_PRODUCT_A: &str = "商品A";
pub const H_PRODUCT_B: &str = "商品B";
pub const H_SUPPORT: &str = "支持度";
pub const H_LIFT: &str = "リフト値";
/// A lift: 「1.52倍」.
pub fn lift_value(lift: f64) -> String {
    format!("{}倍", format_decimal(lift))
}
pub const LIFT_NOTE: &str = "リフト値が1より大きいほど、偶然より一緒に買われやすい組み合わせです。";
pub const PRODUCTS_INTRO: &str = "最初の注文で買った商品ごとに、2回目の注文につながった割合と、その後1年の売上を並べます。リピートにつながる商品を、広告や初回セットの主役にしましょう。";
/// How the product tables are read.
pub const PRODUCTS_DEFINITION: &str =
    "初回商品: 初回購入日に買った商品(複数あればそれぞれに数えます)。F2転換率は初回からN日以内に2回目の注文があった割合で、初回がN日以上前の顧客だけが分母です。12か月売上は初回購入日から365日以内の売上 ÷ 365日以上たった顧客数。次回購入商品は、初回購入日の次に注文した日の商品です。同時購入のリフト = 同時に買われた割合 ÷ (それぞれが買われる割合の積)。1より大きいほど一緒に買われやすい組み合わせです。";

pub const EXPORTS_TITLE: &str = "ダウンロード";
pub const DOWNLOAD_CUSTOMERS: &str = "顧客一覧CSVをダウンロード";
pub const MORE_DOWNLOADS: &str = "詳しく（その他のダウンロード）";
pub const DOWNLOAD_SUMMARY: &str = "集計データ（JSON）をダウンロード";
pub const DOWNLOAD_SUMMARY_NOTE: &str =
    "この画面のすべての集計値を1つのファイルにしたものです。ほかのツールやプログラムで読み込むときに使います。";
pub const EXPORTS_NOTE: &str = "顧客一覧には、顧客キー・初回と最終の注文日・注文回数・累計購入金額・最終注文からの日数・区分・RFMの点数が入ります。Excelで開いても数式として動かないよう、=や+で始まる値には「'」を付けています。";

pub const SUMMARY_FILE_NAME: &str = "LTV集計.json";

/// `顧客一覧_休眠顧客_cp932.csv`.
pub fn customers_file_name(
    segment: Option<Segment>,
    encoding: ltv_core::analysis::export::CsvEncoding,
) -> String {
    let which = segment.map_or("全顧客", segment_name);
    let code = match encoding {
        ltv_core::analysis::export::CsvEncoding::Utf8Bom => "utf8",
        ltv_core::analysis::export::CsvEncoding::Cp932 => "sjis",
    };
    format!("顧客一覧_{which}_{code}.csv")
}

pub fn days_label(days: u32) -> String {
    format!("{days}日")
}

pub fn f2_option(days: u32) -> String {
    format!("{days}日以内")
}

pub fn months_since(k: usize) -> String {
    format!("{k}か月後")
}

/// A heatmap cell's rate, 「22.2%」, and the count beside it, 「（2）」; empty when the month
/// is not observed yet.
pub fn heat_cell(rate: Option<f64>, active: Option<u64>) -> (String, String) {
    match (rate, active) {
        (Some(r), Some(a)) => (format_rate(r), in_parens(&count_people(a))),
        _ => (String::new(), String::new()),
    }
}

pub fn r_label(r: u8) -> String {
    format!("R{r}")
}

pub fn f_label(f: u8) -> String {
    format!("F{f}")
}

pub fn rfm_cell(customers: u64, share: Option<f64>) -> String {
    format!("{}人 / {}", count(customers), rate_or_none(share))
}

/// Under F2転換率: whom it counts, 「初回購入から90日以上たった338人のうち」.
pub fn f2_note(days: u32, eligible: u64) -> String {
    format!("初回購入から{days}日以上たった{}人のうち", count(eligible))
}

pub fn list_button_label(segment: &str) -> String {
    format!("{segment}のリストをダウンロード")
}

pub fn window_note(from: &str, to: &str, customers: u64) -> String {
    format!("{from} 〜 {to}、顧客 {}人", count(customers))
}

// ---- CSV分析: the headline and the three findings ----
pub const HEADLINE_TITLE: &str = "このお店のいま";
pub const FINDINGS_TITLE: &str = "いちばん大事な3つの発見";
pub const KPI_CUSTOMERS: &str = "顧客数";
pub const KPI_LTV_12: &str = "通販LTV（直近12か月）";
pub const KPI_REVENUE_NEXT_YEAR: &str = "予測売上（今後12か月）";
pub const KPI_COMPUTING: &str = "計算中…";
pub const KPI_FORECAST_NONE: &str = "予測できませんでした。理由は下の「予測LTV」にあります。";
pub const TO_DIAGNOSIS: &str = "この数値で診断する";
pub const TO_DIAGNOSIS_HINT: &str =
    "平均注文単価・年間購入回数・リピートの数字を無料診断に入れます。あとはCPOと粗利率を入れるだけで、回収できるかと優先すべき施策が出ます。";
pub const PRINT_REPORT: &str = "レポートを印刷・PDF保存";

/// 「基準日 2025-12-31」.
pub fn headline_date(date: &str) -> String {
    format!("基準日 {date}")
}

/// 「F2転換率（90日以内）」.
pub fn kpi_f2(days: u32) -> String {
    format!("F2転換率（{days}日以内）")
}

/// 「リピーター率（2025-12）」.
pub fn kpi_repeater(month: Option<&str>) -> String {
    match month {
        Some(m) => format!("リピーター率（{m}）"),
        None => "リピーター率（先月）".to_string(),
    }
}
pub const FINDINGS_NONE: &str =
    "数字から決まった規則に当てはまる発見はありませんでした。下の各表で詳しく見られます。";
pub const FINDINGS_NOTE: &str =
    "金額は、それぞれの文にある前提（5ポイント、2割、前年並み、10%）で試算した目安です。";

/// One finding in one sentence, with its figure and what acting on it is worth a year.
pub fn finding_sentence(f: &ltv_core::analysis::findings::Finding, f2_days: u32) -> String {
    use ltv_core::analysis::findings::FindingKind;
    use ltv_core::input::format_count;
    let worth = format_yen(f.worth);
    match f.kind {
        FindingKind::SecondOrder => format!(
            "初回購入者の2回目購入率（F2転換率）は{}。{f2_days}日以内のフォロー（お礼メール・同梱チラシ・2回目クーポン）で5ポイント上がれば、年 +{worth}",
            format_rate(f.figure)
        ),
        FindingKind::SleepingRepeaters => format!(
            "2回以上買ったのに最終購入から91〜180日たったスリープ顧客が{}人。DMやメールで2割が1回買い戻せば +{worth}",
            format_count(f.figure)
        ),
        FindingKind::FewerNewCustomers => format!(
            "直近1年の新規顧客は{}人で、その前の1年（{}人）より{}人少ない。前年並みに戻せば年 +{worth}",
            format_count(f.figure),
            format_count(f.compared_with),
            format_count(f.customers as f64)
        ),
        FindingKind::ThirdOrder => format!(
            "2回買った固定化候補が{}人。3回目の購入を後押し（使い方の案内・定期便のおすすめ）して2割が買えば +{worth}",
            format_count(f.figure)
        ),
        FindingKind::RegularsBasket => format!(
            "3回以上買っている固定客{}人が売上の{}を占める。同梱チラシや定期便の提案で注文単価が10%上がれば、年 +{worth}",
            format_count(f.customers as f64),
            format_rate(f.figure)
        ),
    }
}

// ---- CSV分析: the page once the analysis is ready ----
pub const CSV_NAV_LABEL: &str = "分析の目次";
/// The sections of the analysis, for the navigation: (anchor id, title).
pub const CSV_SECTIONS: [(&str, &str); 10] = [
    ("csv-headline", "発見"),
    ("csv-summary", "サマリー"),
    ("csv-monthly", "月次"),
    ("csv-cohorts", "コホート"),
    ("csv-segments", "セグメント"),
    ("csv-other-views", "別の見方"),
    ("csv-prediction", "予測LTV"),
    ("csv-compare", "効果検証"),
    ("csv-exports", "ダウンロード"),
    ("csv-data", "データと設定"),
];
pub const FOLD_DATA: &str = "読み込んだデータ（ファイル・列の対応・取り込み結果・名寄せ）";
pub const FOLD_SETTINGS: &str = "分析の設定（基準日・期間・セグメントの条件）";

/// The settings a printed report was made with.
pub fn print_settings(a: &ltv_core::analysis::Analysis) -> String {
    format!(
        "分析の設定: 基準日 {}、分析期間 {}年、F2転換率は初回購入から{}日以内。",
        a.as_of_date,
        a.horizon_years,
        a.params.f2_days()
    )
}

// ---- CSV分析: 施策の効果検証 ----
pub const COMPARE_TITLE: &str = "施策の効果検証（期間の比較）";
pub const COMPARE_INTRO: &str =
    "2つの期間の主な数字を並べます。前年と今年、施策の前と後を比べるときに使います。";
pub const COMPARE_PRESETS: &str = "よく使う比べ方";
pub const COMPARE_BEFORE: &str = "前の期間";
pub const COMPARE_AFTER: &str = "後の期間";
pub const DATE_FROM: &str = "開始日";
pub const DATE_TO: &str = "終了日";
pub const COMPARE_RUN: &str = "比べる";
pub const COMPARE_DATES_HINT: &str = "4つの日付を入れてください（開始日は終了日より前）。";
pub const H_METRIC: &str = "指標";
pub const H_CHANGE: &str = "差";
pub const GROUP_TITLE: &str = "DM・クーポンを送った顧客と、それ以外の顧客";
pub const GROUP_INTRO: &str =
    "送った相手のメールアドレスか顧客IDを貼り付け、施策を始めた日を選ぶと、その日より前からの顧客のうち、送った人とそれ以外の人の再購入を比べます。";
pub const GROUP_LIST: &str = "送った顧客のメールアドレスまたは顧客ID（1行に1件）";
pub const GROUP_LIST_PLACEHOLDER: &str = "taro@example.jp\nhanako@example.jp";
pub const GROUP_SINCE: &str = "施策を始めた日";
pub const G_LISTED: &str = "送った顧客";
pub const G_OTHERS: &str = "それ以外";
pub const G_CUSTOMERS: &str = "対象の顧客数（施策日より前からの顧客）";
pub const G_BOUGHT_AGAIN: &str = "施策日以降に購入した人";
pub const G_REPEAT_RATE: &str = "再購入率";
pub const G_ORDERS: &str = "施策日以降の注文数";
pub const G_REVENUE: &str = "施策日以降の売上";
pub const G_REVENUE_PER_CUSTOMER: &str = "1人あたり売上（施策日以降）";
pub const GROUP_CAVEAT: &str =
    "差があっても、施策だけが理由とは限りません（もともと買う人を選んで送った場合など）。送らなかった人と比べられるよう、一部の人にはあえて送らない方法もあります。";

pub fn preset_label(p: ltv_core::analysis::compare::Preset) -> &'static str {
    use ltv_core::analysis::compare::Preset;
    match p {
        Preset::Years => "直近1年とその前の1年",
        Preset::HalfYears => "直近半年とその前の半年",
        Preset::Quarters => "直近3か月とその前の3か月",
    }
}

/// 「前の期間（2024-01-01〜2024-12-31）」.
pub fn period_heading(name: &str, from: &str, to: &str) -> String {
    format!("{name}（{from}〜{to}）")
}

pub fn compare_caption(f2_days: u32) -> String {
    format!("F2転換率は初回購入から{f2_days}日以内。率の差はポイント、ほかは増減率も示します。")
}

pub fn metric_label(m: ltv_core::analysis::compare::Metric) -> &'static str {
    use ltv_core::analysis::compare::Metric;
    match m {
        Metric::Customers => "顧客数",
        Metric::NewCustomers => "新規顧客数",
        Metric::OrdersPerCustomer => "1人あたり注文回数",
        Metric::AverageOrderValue => "平均注文単価",
        Metric::F2Rate => "F2転換率",
        Metric::RepeaterRate => "リピーター率",
        Metric::RevenuePerCustomer => "1人あたり売上",
        Metric::Revenue => "売上",
    }
}

/// A figure of the comparison with its unit.
pub fn metric_value(m: ltv_core::analysis::compare::Metric, value: Option<f64>) -> String {
    use ltv_core::analysis::compare::Metric;
    let Some(v) = value else {
        return NONE.to_string();
    };
    match m {
        Metric::Customers | Metric::NewCustomers => {
            format!("{}人", ltv_core::input::format_count(v))
        }
        Metric::OrdersPerCustomer => format!("{}回", format_decimal(v)),
        Metric::AverageOrderValue | Metric::RevenuePerCustomer | Metric::Revenue => format_yen(v),
        Metric::F2Rate | Metric::RepeaterRate => format_rate(v),
    }
}

/// The change: 「+5.2ポイント」 for a rate, 「+¥1,200（+8.0%）」 or 「+12人（+3.5%）」 otherwise.
pub fn metric_change(c: &ltv_core::analysis::compare::Change) -> String {
    let Some(d) = c.difference else {
        return NONE.to_string();
    };
    let sign = |v: f64| if v > 0.0 { "+" } else { "" };
    if c.metric.is_rate() {
        return format!("{}{}ポイント", sign(d), format_decimal(d * 100.0));
    }
    let amount = match metric_value(c.metric, Some(d)) {
        text if d > 0.0 => format!("+{text}"),
        text => text,
    };
    match c.relative {
        Some(r) => format!("{amount}（{}{}）", sign(r), format_rate(r)),
        None => amount,
    }
}

/// What the list matched: 「50件のうち50人が見つかりました…」.
pub fn group_found(listed: u64, found: u64, new_after: u64, since: &str, until: &str) -> String {
    let mut text = format!(
        "貼り付けた{listed}件のうち{found}人が注文データに見つかりました。{since}〜{until}の購入を比べます。"
    );
    if new_after > 0 {
        text.push_str(&format!(
            "うち{new_after}人は施策日以降に初めて買った人なので、比べる対象から外しました。"
        ));
    }
    text
}

pub fn group_not_found(examples: &[String]) -> String {
    format!("見つからなかった例: {}", examples.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The six segments lead; the other schemes' groups never share a name with them or with
    /// each other, and a group whose name holds one of the six's carries its scheme before it
    /// (「5分類・休眠顧客」, not a second 休眠顧客 with other days).
    #[test]
    fn other_schemes_never_reuse_a_name_of_the_six() {
        let six: Vec<String> = Segment::ALL
            .iter()
            .map(|&s| segment_name(s).to_string())
            .collect();
        let others: Vec<String> = CommonSegment::ALL
            .iter()
            .map(|&g| common_segment_name(g))
            .chain(RfmGroup::ALL.iter().map(|&g| rfm_group_name(g)))
            .chain(
                CpmGroup::all()
                    .iter()
                    .map(|&g| cpm_group_name(g).to_string()),
            )
            .chain((0..3).map(crate::i18n::alive_label))
            .collect();
        let mut all: Vec<&String> = six.iter().chain(&others).collect();
        let shown = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), shown, "a name used twice: {six:?} {others:?}");
        for name in &others {
            if six.iter().any(|s| name.contains(s.as_str())) {
                assert!(
                    [COMMON_PREFIX, RFM_PREFIX, ALIVE_PREFIX]
                        .iter()
                        .any(|p| name.starts_with(p)),
                    "{name} reads like one of the six without its scheme"
                );
            }
        }
    }

    /// The names, rules and actions of the segments and groups, pinned (they were pinned by
    /// the core's snapshots while the core held them).
    #[test]
    fn segment_and_group_words_are_pinned() {
        let rules = SegmentRules::default();
        let six: Vec<String> = Segment::ALL
            .iter()
            .map(|&s| {
                format!(
                    "{}: {}\n  {}",
                    segment_name(s),
                    segment_rule(s, &rules),
                    segment_action(s)
                )
            })
            .collect();
        assert_eq!(
            six.join("\n"),
            "新規顧客: 最終注文から90日以内で、注文回数が2回未満
  初回購入のお礼と商品の使い方を早めに届け、2回目の注文につなげましょう。商品に同梱するチラシや、届いた頃に送るステップメールが効きます。
固定化候補: 最終注文から90日以内で、注文回数が2回以上3回未満
  常連になるかどうかの大事な時期です。メールや同梱チラシで関連商品を提案し、定期便を案内して、3回目の注文を後押ししましょう。
固定客: 最終注文から90日以内で、注文回数が3回以上
  お店を支える常連です。会員特典や新商品の先行案内、手書きのお礼状の同梱で特別扱いし、定期便やまとめ買いも押しつけずに提案しましょう。
スリープ顧客: 最終注文から91〜180日
  購入の間隔が空き始めています。メールやLINEで、使い切る頃のお知らせや新商品の案内を送りましょう。
半休眠顧客: 最終注文から181〜365日
  このままでは離れてしまいます。期間限定のクーポンをDMやメールで送り、もう一度買うきっかけを作りましょう。
休眠顧客: 最終注文から365日超
  長く注文がありません。新商品やお店の近況をDMであらためて伝えて掘り起こし、反応した人から関係を育て直しましょう。"
        );
        let five: Vec<String> = CommonSegment::ALL
            .iter()
            .map(|&g| {
                format!(
                    "{}: {}",
                    common_segment_name(g),
                    common_segment_rule(g, &rules)
                )
            })
            .collect();
        assert_eq!(
            five.join("\n"),
            "5分類・見込み顧客: 会員登録だけで注文のない人。注文データには含まれないため、ここでは数えません。
5分類・新規顧客: 最終注文から90日以内で、初回注文も90日以内(優良顧客を除く)
5分類・既存顧客: 最終注文から90日以内で、初回注文は90日より前(優良顧客を除く)。5分類には名前のない層です
5分類・優良顧客: 最終注文から90日以内の顧客のうち、注文回数 × 累計購入金額の上位20%(同じ値の人は同じ扱い)
5分類・休眠顧客: 最終注文から91〜365日
5分類・離反顧客: 最終注文から365日超"
        );
        let rfm: Vec<String> = RfmGroup::ALL
            .iter()
            .map(|&g| format!("{}: {}", rfm_group_name(g), rfm_group_action(g)))
            .chain(
                [RfmMode::Quintile, RfmMode::Thresholds(Default::default())]
                    .map(|m| format!("{}\n  {}", rfm_rule(&m), rfm_rule_detail(&m))),
            )
            .collect();
        assert_eq!(
            rfm.join("\n"),
            "RFM・最優良顧客（Champions）: 特別な感謝と先行案内で報い、新商品のモニターやレビューをお願いしましょう。
RFM・ロイヤル顧客（Loyal）: 会員特典やポイントで関係を深め、上位商品や関連商品を提案しましょう。
RFM・ロイヤル予備軍（Potential Loyalist）: 定期購入や会員プログラムに誘い、購入回数を増やすきっかけを作りましょう。
RFM・新規顧客（New）: お礼と使い方の案内を早めに届け、2回目の注文につなげましょう。
RFM・有望顧客（Promising）: お試しから本品へ、関連商品やセットの案内で次の注文を後押ししましょう。
RFM・要注意顧客（Need Attention）: 間隔が空く前に、期間限定のクーポンやおすすめ商品をメールやLINEで届け、次の注文を促しましょう。
RFM・休眠予備軍（About to Sleep）: 買い替え時期のリマインドや人気商品の紹介で、もう一度思い出してもらいましょう。
RFM・離反危険顧客（At Risk）: 以前はよく買ってくれた人です。名前入りのDMやメールと特典で呼び戻しましょう。
RFM・手放せない顧客（Can't Lose）: 最も大切な常連が離れかけています。アンケートで理由を聞き、特別なオファーで引き止めましょう。
RFM・休眠顧客（Hibernating）: メールの配信頻度を下げつつ、大きなセールや新商品のDMで掘り起こしを試しましょう。
R（最近さ）・F（回数）・M（金額）のそれぞれで、お客さまを人数が同じくらいの5つに分け、良いほうから5〜1点を付けます。
  五分位: 顧客を値の悪い順に並べ、スコア = 1 + ⌊5 × (自分より値が悪い顧客の数) ÷ 顧客数⌋。同じ値の顧客は必ず同じスコアになります(同順位は先頭の位置のスコア)。Rは最終注文からの日数が短いほど高く、F・Mは大きいほど高くなります。
指定した区切りで、R（最近さ）・F（回数）・M（金額）にそれぞれ1〜5点を付けます。最近買った人、回数や金額の多い人ほど高い点です。
  しきい値: 指定した区切りで1〜5を付けます。Rは日数が区切り以下なら高いスコア、F・Mは区切り以上なら高いスコアです。"
        );
        let cpm: Vec<&str> = CpmGroup::all().iter().map(|&g| cpm_group_name(g)).collect();
        assert_eq!(
            cpm.join(" "),
            "初回客 よちよち客 コツコツ客 流行客 優良客 初回離脱客 よちよち離脱客 コツコツ離脱客 流行離脱客 優良離脱客"
        );
        assert_eq!(
            cpm_rules(&CpmRules::default()).join("\n"),
            "初回客: 注文1回
よちよち客: 注文2回以上、累計購入金額¥70,000未満、在籍期間90日未満
コツコツ客: 注文2回以上、累計購入金額¥70,000未満、在籍期間90日以上
流行客: 注文2回以上、累計購入金額¥70,000以上、在籍期間210日未満
優良客: 注文2回以上、累計購入金額¥70,000以上、在籍期間210日以上
在籍期間は初回から最新の注文までの日数。最終注文から240日以上たつと「離脱」、それより前は「現役」"
        );
    }
}
