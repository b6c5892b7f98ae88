//! 予測LTV: the outlook in plain words, the settings, the models and their statistics.

use super::common::{count, count_people};
use ltv_core::input::format_decimal;
use ltv_core::input::{format_rate, format_yen};

// ---- 予測LTV ----
pub const PRED_TITLE: &str = "予測LTV（これからの購入の見込み）";
pub const PRED_INTRO: &str = "これまでの購入履歴から、お客さまごとに「これから何回買いそうか」「まだお客さまでいる確率」「1回あたりいくら買いそうか」を統計モデルで推定し、今後の価値（予測LTV）を出します。計算はこのブラウザの中で行います。";
pub const PRED_HORIZON: &str = "予測期間";
pub const PRED_DISCOUNT: &str = "月次割引率";
pub const PRED_DISCOUNT_HINT: &str = "将来の売上を今の価値に直す率。初期値は月1%。";
pub const PRED_MARGIN: &str = "粗利率（任意）";
pub const PRED_MARGIN_HINT: &str = "入れると粗利ベースの予測LTVになります。空欄なら売上ベース。";
pub const PRED_VALIDATE: &str = "学習期間を区切って精度を確かめる";
pub const PRED_CALIBRATION_END: &str = "学習期間の終わり";
pub const PRED_CALIBRATION_HINT: &str =
    "この日までの注文でモデルを当てはめ、その後の実際の注文と予測を比べます。";
pub const PRED_SLEEP: &str = "「離れかけ」とみなす、まだ顧客でいる確率（未満）";
pub const PRED_DORMANT: &str = "「離れた可能性大」とみなす、まだ顧客でいる確率（未満）";
pub const PRED_RUNNING: &str = "モデルを当てはめています…";
pub const PRED_SETTINGS_FOLD: &str = "予測の設定（モデル・期間・割引率・粗利率・確かめ方）";
pub const PRED_FAILED: &str = "予測できませんでした";
pub const PRED_BAD_SETTING: &str = "予測の設定を確かめてください";
pub const PRED_TRUST: &str = "信頼して使う前に";
pub const PRED_NO_WARNINGS: &str = "大きな注意点は見つかりませんでした。";
pub const PRED_FIT: &str = "当てはめたモデル";
pub const PRED_PARAMETER: &str = "パラメータ";
pub const PRED_ESTIMATE: &str = "推定値";
pub const PRED_SE: &str = "標準誤差";
pub const PRED_LL: &str = "対数尤度";
pub const PRED_USED: &str = "使った顧客";
pub const PRED_NO_SPEND: &str = "購入金額のモデル（Gamma-Gamma）は当てはめられませんでした";
pub const PRED_DIST: &str = "P(alive)（まだ顧客でいる確率）の分布";
pub const PRED_TOP: &str = "予測LTVが高いお客さま";
pub const PRED_LOST: &str = "離れてしまった可能性が高いお客さま（リピート経験あり）";
pub const H_KEY: &str = "顧客";
pub const H_REPEATS: &str = "リピート回数";
pub const H_P_ALIVE: &str = "まだ顧客でいる確率";
pub const H_NEXT_YEAR: &str = "今後1年の予想購入回数";
pub const H_EXPECTED_AOV: &str = "予想平均注文額";
pub const H_CLV: &str = "予測LTV";
pub const PRED_VALIDATION: &str = "検証: 学習期間のあとに実際に起きた購入と予測の比較";
pub const PRED_VALIDATION_CHART: &str = "リピート購入の累計（実績と予測、週ごと）";
pub const PRED_ACTUAL: &str = "実績";
pub const PRED_PREDICTED: &str = "予測";
pub const H_CAL_REPEATS: &str = "学習期間のリピート回数";
pub const H_ACTUAL_MEAN: &str = "実績（平均）";
pub const H_PREDICTED_MEAN: &str = "予測（平均）";
pub const PRED_EXPLAIN: [(&str, &str); 4] = [
    ("まだ顧客でいる確率（P(alive)）", "最後の購入からの間隔が、その人のふだんの購入間隔に比べて長いほど下がります。1回しか買っていない人は、このモデルでは1（まだ離れたと判断できない）になります。"),
    ("今後1年の予想購入回数", "購入のペースと離脱の確率から、これから52週間に何回買うかの期待値です。"),
    ("予想平均注文額", "その人の過去の注文額と、お店全体の傾向を組み合わせた1回あたりの金額です。リピートが少ない人ほどお店全体の平均に近づきます。"),
    ("予測LTV", "予測期間の月ごとの予想購入回数 × 予想平均注文額を、月次割引率で今の価値に直して合計したものです（粗利率を入れると粗利ベース）。時間は週（日数÷7）で計算しています。"),
];

pub fn horizon_months(months: u32) -> String {
    format!("{months}か月")
}

pub fn estimate(value: f64) -> String {
    format!("{value:.4}")
}

/// The fitted model in one line: 「BG/NBD 使った顧客: 2,357人（うちリピート 1,000人）、対数尤度 -9,582.4」.
pub fn fit_line(
    model: ltv_core::model::PurchaseModel,
    customers: u64,
    repeat: u64,
    log_likelihood: f64,
) -> String {
    format!(
        "{} {PRED_USED}: {}、{PRED_LL} {}",
        model_name(model),
        fit_summary(customers, repeat),
        format_decimal(log_likelihood)
    )
}

pub fn fit_summary(customers: u64, repeat: u64) -> String {
    format!("{}人（うちリピート {}人）", count(customers), count(repeat))
}

pub fn holdout_sums(predicted: f64, actual: u64) -> String {
    format!(
        "検証期間のリピート購入: 予測 {} 回 / 実績 {} 回",
        format_decimal(predicted),
        count(actual)
    )
}

pub fn p_alive_bin(i: usize) -> String {
    format!("{}–{}%", i * 10, (i + 1) * 10)
}

pub fn probability(p: f64) -> String {
    format_rate(p)
}

/// Before the name of a P(alive) group: 「予測・離れかけ」.
pub const ALIVE_PREFIX: &str = "予測・";

/// A P(alive) group, with the scheme before it: 「予測・また買いそう」.
pub fn alive_label(i: usize) -> String {
    let name = ["また買いそう", "離れかけ", "離れた可能性大"][i.min(2)];
    format!("{ALIVE_PREFIX}{name}")
}

pub fn week_label(week: u32) -> String {
    format!("{week}週")
}

pub fn frequency_bucket(x: u64, top: u64) -> String {
    if x >= top {
        format!("{top}回以上")
    } else {
        format!("{x}回")
    }
}

/// A mean count with two decimals: `1.23`.
pub fn mean(value: f64) -> String {
    format!("{value:.2}")
}

// ---- 予測LTV: the answer in plain words first ----
pub const PRED_DETAILS: &str = "詳しい統計（モデル・パラメータ・検証）";
pub const PRED_CAVEATS: &str = "見通しを使うときの注意";
pub const PRED_GROUPS: &str = "お客さまの今の状態と、やること";
pub const PRED_GROUPS_WHEN: &str = "日数で分ける6区分とは別の、予測による分け方です。買うペースが人によって大きく違うお店で、次に誰へ連絡するかを決めるときに使います。";

pub fn pred_outlook_title(months: u32) -> String {
    format!("この先{months}か月の見通し")
}

pub fn pred_revenue_label(months: u32, margin: bool) -> String {
    if margin {
        format!("予想粗利（{months}か月・今の価値）")
    } else {
        format!("予想売上（{months}か月・今の価値）")
    }
}

/// Under the discounted figure: the plain 12-month sales the headline shows, so that the two
/// figures are not taken for two answers to one question.
pub fn pred_undiscounted_note(revenue_next_year: f64) -> String {
    format!(
        "今後12か月の予想売上そのもの（今の価値に直す前）は{}。ページ上部の「予測売上」です。",
        format_yen(revenue_next_year)
    )
}

pub const PRED_ORDERS_LABEL: &str = "予想注文数（今後1年）";
pub const PRED_ACTIVE_LABEL: &str = "また買ってくれそうなお客さま";

pub fn pred_active_value(active: f64) -> String {
    format!("約{}人", ltv_core::input::format_count(active))
}

pub fn pred_active_note(customers: u64) -> String {
    format!("全{}人のうち", count(customers))
}

pub fn pred_orders_value(orders: f64) -> String {
    format!("約{}件", ltv_core::input::format_count(orders))
}

/// What to do with each P(alive) group, for a mail-order shop.
pub fn alive_action(i: usize) -> &'static str {
    [
        "新商品や定期便の案内で、買う回数を増やしましょう。",
        "同梱チラシやメールで、次の購入のきっかけを作りましょう。",
        "DMやクーポンで呼び戻し、反応がなければ配信の頻度を下げましょう。",
    ][i.min(2)]
}

pub fn alive_group_line(i: usize, people: u64) -> String {
    format!("{}：{}", alive_label(i), count_people(people))
}

/// A trust warning in a shop owner's words, or `None` for the technical ones (they stay in
/// 詳しい統計).
pub fn plain_warning(w: &ltv_core::model::TrustWarning) -> Option<String> {
    use ltv_core::model::TrustWarning::*;
    Some(match w {
        FewRepeatCustomers { count: n, .. } => format!(
            "2回以上買ったお客さまがまだ{}人と少ないため、見通しには幅があります。目安として使ってください。",
            count(*n)
        ),
        ShortHistory { weeks } => format!(
            "データの期間が約{}か月と短いため、買うペースの見積もりが粗くなります。",
            (weeks / ltv_core::model::WEEKS_PER_MONTH).round().max(1.0)
        ),
        UncertainParameter { .. } => {
            "購入回数の少ないお客さまの予測は、幅が大きくなります。".to_string()
        }
        NoSpendModel { .. } => {
            "金額の見通しは出せませんでした（回数と状態の見通しは出ています）。".to_string()
        }
        FitAtBoundary { .. } => {
            "データの量に比べてモデルの一部の値が決まりきりませんでした。見通しは目安としてください。"
                .to_string()
        }
        HoldoutGap { predicted, actual } => format!(
            "過去の期間で試したところ、予測（{}回）と実際（{}回）に差がありました。数字は目安としてください。",
            format_decimal(*predicted),
            count(*actual)
        ),
        _ => return None,
    })
}

pub const PRED_BAD_DISCOUNT: &str = "月次割引率は0%以上100%未満で入れてください（初期値は1%）。";

pub fn pred_calibration_range(first: ltv_core::orders::Day, last: ltv_core::orders::Day) -> String {
    format!(
        "学習期間の終わりは、最初の注文日（{}）から最後の注文日（{}）の前日までの日付にしてください。",
        ltv_core::orders::iso_date(first),
        ltv_core::orders::iso_date(last)
    )
}

// ---- 予測LTV: the purchase models ----
pub const PRED_MODEL: &str = "予測モデル";
pub const PRED_MODEL_AUTO: &str = "自動で選ぶ（おすすめ）";
pub const PRED_MODEL_HINT: &str = "購入回数のモデルを3つ当てはめ、学習期間を区切ったときは過去の実績に最も近いもの、区切らないときは履歴に最もよく合うものを使います。";
pub const PRED_COMPARISON: &str = "モデルの比較（学習期間で当てはめ、そのあとの実績と比べたもの）";
pub const NOT_DETERMINED: &str = "定まらず";
pub const H_MODEL: &str = "モデル";
pub const H_HOLDOUT_PREDICTED: &str = "検証期間の予測（回）";
pub const H_HOLDOUT_ACTUAL: &str = "実績（回）";
pub const H_HOLDOUT_ERROR: &str = "ずれ";
pub const H_BIC: &str = "BIC（小さいほど良い）";

/// A model of purchase counts by its name in the papers.
pub fn model_name(model: ltv_core::model::PurchaseModel) -> &'static str {
    use ltv_core::model::PurchaseModel::*;
    match model {
        BgNbd => "BG/NBD",
        ParetoNbd => "Pareto/NBD",
        MbgNbd => "MBG/NBD",
    }
}

/// The parameters' names as the papers write them.
pub fn parameter_symbols(model: ltv_core::model::PurchaseModel) -> [&'static str; 4] {
    use ltv_core::model::PurchaseModel::*;
    match model {
        BgNbd | MbgNbd => ["r", "α", "a", "b"],
        ParetoNbd => ["r", "α", "s", "β"],
    }
}

pub fn model_by_holdout(label: &str, predicted: f64, actual: u64) -> String {
    format!(
        "この予測は{label}を使っています。過去の実績に最も近かったのは{label}でした（学習期間のあとのリピート購入：予測{}回、実際{}回）。",
        format_decimal(predicted),
        count(actual)
    )
}

pub fn model_by_fit(label: &str) -> String {
    format!("この予測は{label}を使っています。3つのモデルのうち、これまでの購入履歴に最もよく合ったものです（「学習期間を区切って精度を確かめる」を選ぶと、実績に近いものを選べます）。")
}

pub fn model_by_user(label: &str) -> String {
    format!("この予測は、選んだ{label}を使っています。")
}

pub fn chosen_model(label: &str) -> String {
    format!("{label}（使用中）")
}

pub fn signed_percent(p: f64) -> String {
    format!("{}{:.1}%", if p > 0.0 { "+" } else { "" }, p)
}
