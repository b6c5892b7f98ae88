//! Every word the UI shows, in one place (Japanese first; English can be added beside it).
//!
//! Figures are formatted by the core's formatters; this module only puts them into sentences.

use ltv_core::calc::diagnosis::Health;
use ltv_core::calc::form::Field;
use ltv_core::calc::levers::Lever;
use ltv_core::calc::{Recovery, AD_SPEND_REFERENCE};
use ltv_core::input::{format_decimal, format_rate, format_yen};

pub const APP_NAME: &str = "LTV診断";
pub const TAGLINE: &str = "通販のお客さま1人の価値と、次の一手がわかる無料診断";
pub const PRIVACY: &str = "入力した数字はこの端末の中だけで計算され、どこにも送信されません。";
pub const RESET: &str = "リセット";
pub const PRINT: &str = "印刷・PDF保存";
pub const SHARE_LINK: &str = "共有リンク";
pub const COPY: &str = "リンクをコピー";
pub const COPIED: &str = "コピーしました";
pub const SHARE_HINT: &str =
    "入力した数字はこのリンクに入っています。リンクを開くと同じ結果が出ます。";
pub const TOOLBAR_LABEL: &str = "結果を残す";
pub const NAV_LABEL: &str = "目次";
pub const CRASH_TITLE: &str = "申し訳ありません。計算中に問題が起きました。";
pub const CRASH_BODY: &str =
    "入力した数字はリンクに残っています。再読み込みすると続きから使えます。";
pub const CRASH_RELOAD: &str = "再読み込み";
pub const NO_SCRIPT: &str = "LTV診断を使うにはJavaScriptを有効にしてください。";
pub const FOOTER: &str =
    "計算式は通販の実務で使われる定義によります。結果は入力した数字からの試算です。";

/// The sections of the 診断 page: (anchor id, title).
pub const SECTIONS: [(&str, &str); 6] = [
    ("ltv", "通販LTV"),
    ("profit", "粗利LTVと獲得コスト"),
    ("repeat", "リピーター率とリピート率"),
    ("index", "売れる通販指数"),
    ("levers", "LTVを上げる施策"),
    ("summary", "診断結果"),
];

pub const LTV_INTRO: &str =
    "お客さま1人が継続期間中にもたらす売上です。まずはお店の3つの数字から（薄い字は記入例）。";
pub const LTV_RESULT: &str = "通販LTV";
pub const HORIZON_LEGEND: &str = "継続年数";
pub const HORIZON_NOTE: &str = "小さな通販は1年、大手通販は2年で見ることが多い期間です。";
pub const ROUGH_TITLE: &str = "ざっくり法: 期間売上 ÷ ユニーク顧客数";
pub const ROUGH_RESULT: &str = "通販LTV（ざっくり法）";
pub const ROUGH_NOTE: &str =
    "注文データがなくても、売上と顧客数だけで出せます。式で出したLTVと大きく違えば、どちらかの数字を見直すきっかけになります。";
pub const MIX_TITLE: &str = "顧客の内訳から: 注文数とLTV";
pub const MIX_ORDERS: &str = "総注文数";
pub const MIX_PER_CUSTOMER: &str = "1人あたり購入回数";
pub const MIX_REVENUE: &str = "売上";
pub const MIX_LTV: &str = "通販LTV（内訳から）";
pub const MIX_NOTE: &str =
    "1回で終わるお客さまが多いほど、平均購入回数は下がります。2回目の購入（F2）を取れるかがLTVを左右します。";
pub const RETENTION_TITLE: &str = "継続率法: 年間継続率がわかる場合";
pub const RETENTION_YEARS: &str = "期待継続年数";
pub const RETENTION_RESULT: &str = "通販LTV（継続率法）";
pub const RETENTION_NOTE: &str =
    "期待継続年数 = 1 ÷ (1 − 継続率)。上限年数で打ち切り、割引率で将来の売上を今の価値に直しています。";

pub const PROFIT_INTRO: &str =
    "売上のLTVではなく、粗利で見たLTVが獲得コスト（CPO）と維持コストを上回っているかを確かめます。";
pub const GROSS_LTV: &str = "粗利LTV";
pub const PROFIT_PER_CUSTOMER: &str = "顧客1人あたり利益";
pub const LTV_TO_CPO: &str = "粗利LTV ÷ CPO";
pub const PAYBACK: &str = "回収期間";
pub const BREAK_EVEN: &str = "損益分岐の購入回数";
/// The 回収 judgement, from the profit per customer.
pub fn recovery_label(recovery: Recovery) -> &'static str {
    match recovery {
        Recovery::Recovers => "回収できる",
        Recovery::BreaksEven => "ちょうど回収",
        Recovery::Short => "回収できない",
    }
}
pub const AD_SHARE: &str = "CPOがLTV（売上）に占める割合";

pub const REPEATER_TITLE: &str = "リピーター率";
pub const REPEATER_FORMULA: &str = "今月のリピーター ÷ 今月の顧客数";
pub const REPEATER_WARNING: &str =
    "新規のお客さまが減ると上がり、増えると下がります。新規獲得を頑張った月ほど悪く見えるので、新規数と並べて見てください。";
/// The advice of [`REPEATER_WARNING`] alone, beside a definition that already says what
/// moves the rate.
pub const REPEATER_ADVICE: &str =
    "新規獲得を頑張った月ほど悪く見えるので、新規数と並べて見てください。";
pub const REPEAT_TITLE: &str = "リピート率（累計ベース）";
pub const REPEAT_FORMULA: &str = "今月のリピーター ÷ これまでのユニーク顧客数";
pub const REPEAT_WARNING: &str =
    "サロンや店舗など地域型の商売向けの指標で、通販ではあまり意味を持ちません。通販では「初回購入から90日以内に2回目を買った人の割合（F2転換率）」のように、自店に合う指標を選んでください。";

pub const INDEX_INTRO: &str =
    "商品を見せずにコンセプトを話し、そのあと価格を伝えて「買いたい」と言った人数を数えます（10人程度の座談会が目安）。";
pub const INDEX_RESULT: &str = "売れる通販指数";
pub const INDEX_GO: &str = "WEB販売に進む";
pub const INDEX_REVIEW: &str = "見直し";
pub const ADD_CONCEPT: &str = "コンセプトを追加";
pub const REMOVE_CONCEPT: &str = "削除";
pub const CONCEPT_LEGEND: &str = "コンセプト";

pub const LEVERS_INTRO: &str =
    "施策ごとの効果を数字で比べます。値上げの効果は、リピートが減る分を差し引いて計算します。";
pub const LEVERS_BASE: &str = "いま";
pub const LEVERS_NEW: &str = "施策後";
pub const LEVERS_RANKING: &str = "効果の大きい順（顧客1人あたり利益の増加）";
pub const LEVERS_TOTAL_LTV: &str = "LTV";
pub const LEVERS_TOTAL_PROFIT: &str = "顧客1人あたり利益";

pub const SUMMARY_INTRO: &str =
    "入力した数字から見た、あなたのお店の顧客1人あたりの採算と、優先すべき施策です。";
pub const SUMMARY_FIGURES: &str = "主な数字";
pub const SUMMARY_ACTIONS: &str =
    "優先すべき施策（施策シミュレーターの設定で、1人あたり利益が大きく増える順）";
pub const SUMMARY_NO_ACTION: &str =
    "施策シミュレーターの設定では、利益が増える施策がありません。施策の大きさを入れ直してください。";

/// What a block still needs: 「粗利率とCPOを入れると、回収できるかが分かります」.
pub fn needs(fields: &[Field], what: &str) -> String {
    let labels: Vec<String> = fields.iter().map(|f| label(*f)).collect();
    let joined = match labels.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}と{last}", init.join("、")),
    };
    format!("{joined}を入れると、{what}")
}

pub const NEEDS_LTV: &str = "通販LTVが出ます";
pub const NEEDS_RECOVERY: &str = "回収できるかが分かります";
pub const NEEDS_DIAGNOSIS: &str = "診断結果と優先すべき施策が出ます";
pub const NEEDS_BAR_DIAGNOSIS: &str = "診断が出ます";
pub const NEEDS_LEVERS: &str = "施策ごとの効果を比べられます";
pub const NEEDS_FIGURE: &str = "計算します";

/// The placeholder of a field: its worked example, 「例: 5,000」.
pub fn example_placeholder(example: &str) -> String {
    let shown = ltv_core::input::parse_number(example)
        .map(ltv_core::input::format_count)
        .unwrap_or_else(|_| example.to_string());
    format!("例: {shown}")
}

/// A large typed amount read aloud in 万 and 億: 「＝1億5,000万円」.
pub fn reading(amount: &str, unit: &str) -> String {
    format!("＝{amount}{unit}")
}

/// The mark of a 診断 field filled from the CSV analysis.
pub const FROM_CSV: &str = "CSVから";

pub const RETENTION_COST_EMPTY: &str = "既存顧客維持コストは未入力のため¥0で計算しています。";

// ---- The result bar ----
pub const BAR_LABEL: &str = "いまの結果";
pub const BAR_LTV: &str = "通販LTV";
pub const BAR_PROFIT: &str = "1人あたり利益";
pub const BAR_FIRST_ACTION: &str = "最優先の施策";
pub const BAR_TO_RESULT: &str = "診断結果を見る";

// ---- Print ----
pub const PRINT_TITLE: &str = "LTV診断の結果";
pub const PRINT_INPUTS: &str = "入力した数字";
pub const PRINT_NO_INPUTS: &str = "まだ数字が入力されていません。";

/// 「2026年12月2日 作成」.
pub fn print_date(year: u32, month: u32, day: u32) -> String {
    format!("{year}年{month}月{day}日 作成")
}

// ---- Terms, explained on tap ----

/// A term the page explains on tap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    Ltv,
    GrossLtv,
    MarginRate,
    Cpo,
    RepeaterRate,
    RepeatRate,
    F2,
    Sellability,
}

pub fn term_name(term: Term) -> &'static str {
    match term {
        Term::Ltv => "通販LTV",
        Term::GrossLtv => "粗利LTV",
        Term::MarginRate => "粗利率",
        Term::Cpo => "CPO",
        Term::RepeaterRate => "リピーター率",
        Term::RepeatRate => "リピート率",
        Term::F2 => "F2転換率",
        Term::Sellability => "売れる通販指数",
    }
}

pub fn term_explanation(term: Term) -> &'static str {
    match term {
        Term::Ltv => "お客さま1人が、つきあいの続く期間に買ってくれる金額の合計です。平均注文単価 × 年間購入回数 × 継続年数で出します。",
        Term::GrossLtv => "通販LTVのうち、売れるたびにかかる費用を引いて手元に残る分です。通販LTV × 粗利率。獲得や維持に使えるのはこの金額です。",
        Term::MarginRate => "売上から、原価だけでなく送料・決済手数料・梱包など売れるたびにかかる費用も引いた残りの割合です。会計では限界利益率とも呼びます。結果の「粗利LTV」に合わせて、このツールでは粗利率と呼びます。",
        Term::Cpo => "Cost Per Order。新規のお客さま1人に初めて買ってもらうまでにかかった広告費です。広告費 ÷ 新規顧客数。",
        Term::RepeaterRate => "その月に買ったお客さまのうち、2回目以降の購入だった人の割合です。新規が減ると上がるので、新規数と並べて見ます。",
        Term::RepeatRate => "これまでに買ったことのある全員のうち、その月にまた買った人の割合です。来店型の商売向けの指標です。",
        Term::F2 => "初めて買ったお客さまのうち、2回目も買った人の割合です。通販のLTVを最も大きく左右します。",
        Term::Sellability => "提示価格 × 買いたいと言った人数 ÷ 話を聞いた人数。2,000以上ならWEBで売り始めてよい目安です。",
    }
}

/// The label of the button that explains a term: 「CPOとは」.
pub fn term_button_label(term: Term) -> String {
    format!("{}とは", term_name(term))
}

/// The label of a field: the Japanese term of the domain.
pub fn label(field: Field) -> String {
    let text = match field {
        Field::Horizon => "継続年数",
        Field::AverageOrderValue => "平均注文単価",
        Field::OrdersPerYear => "年間購入回数",
        Field::PeriodRevenue => "期間売上",
        Field::UniqueCustomers => "ユニーク顧客数",
        Field::OneTimeCustomers => "1回だけ購入した顧客数",
        Field::RepeatCustomers => "リピート顧客数",
        Field::RepeatOrdersEach => "リピート顧客の平均購入回数",
        Field::RetentionRate => "年間継続率",
        Field::DiscountRate => "割引率（年）",
        Field::CapYears => "上限年数",
        Field::MarginRate => "粗利率",
        Field::Cpo => "CPO",
        Field::RetentionCost => "既存顧客維持コスト",
        Field::MonthCustomers => "今月の顧客数",
        Field::MonthRepeaters => "うちリピーター数",
        Field::CumulativeCustomers => "累計ユニーク顧客数",
        Field::CumulativeRepeaters => "今月のリピーター数",
        Field::Basket => "注文単価アップ",
        Field::PriceRise => "値上げ",
        Field::PriceRepeatLoss => "値上げで減る購入回数",
        Field::FrequencyUp => "購入回数アップ",
        Field::CpoDown => "CPOの削減",
        Field::RetentionCostDown => "維持コストの削減",
        Field::ConceptCount => "コンセプト数",
        Field::ConceptName(_) => "コンセプト名",
        Field::ConceptPrice(_) => "提示価格",
        Field::ConceptBuyers(_) => "購入希望者数",
        Field::ConceptPitched(_) => "提案人数",
    };
    text.to_string()
}

/// The unit shown after a field.
pub fn unit(field: Field) -> &'static str {
    match field {
        Field::AverageOrderValue
        | Field::PeriodRevenue
        | Field::Cpo
        | Field::RetentionCost
        | Field::ConceptPrice(_) => "円",
        Field::OrdersPerYear | Field::RepeatOrdersEach => "回",
        Field::UniqueCustomers
        | Field::OneTimeCustomers
        | Field::RepeatCustomers
        | Field::MonthCustomers
        | Field::MonthRepeaters
        | Field::CumulativeCustomers
        | Field::CumulativeRepeaters
        | Field::ConceptBuyers(_)
        | Field::ConceptPitched(_) => "人",
        Field::CapYears | Field::Horizon => "年",
        Field::ConceptName(_) | Field::ConceptCount => "",
        _ => "%",
    }
}

/// A short hint under a field, where the term needs one.
pub fn hint(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::AverageOrderValue => "1回の注文の平均金額（税込・送料込みなど、自店の定義で）",
        Field::OrdersPerYear => "お客さま1人が1年に注文する平均回数",
        Field::PeriodRevenue => "継続年数と同じ期間の売上合計",
        Field::UniqueCustomers => "同じ期間に1回以上注文した人数（重複なし）",
        Field::RetentionRate => "前の年のお客さまのうち、翌年も買ってくれる割合",
        Field::DiscountRate => "将来の売上を今の価値に直す率。わからなければ0%",
        Field::MarginRate => {
            "売上から原価・送料・決済手数料など、売れるたびにかかる費用を引いた残りの割合"
        }
        Field::Cpo => "新規のお客さま1人を獲得するのにかかった広告費",
        Field::RetentionCost => {
            "継続期間中にお客さま1人にかかる費用（DM・同梱物・ポイントなど）。なければ空欄のまま"
        }
        Field::Basket => "上位・関連商品の提案や松竹梅の3段階で、1回の注文金額が何%上がるか",
        Field::PriceRise => "価格を何%上げるか。価格以外の価値（新しさ・歴史・希少性）を伝えながら",
        Field::PriceRepeatLoss => "値上げで年間購入回数が何%減るか",
        Field::FrequencyUp => "メール・LINE・アプリのリマインドや特典で、年間購入回数が何%増えるか",
        Field::CpoDown => {
            "広告の配信先を絞る、お試し商品から本商品への導線を作るなどで、CPOが何%下がるか"
        }
        Field::RetentionCostDown => "全員に同じDMを送るのをやめるなどで、維持コストが何%下がるか",
        _ => return None,
    })
}

/// The name of a lever in the simulator's ranking.
pub fn lever_name(lever: Lever) -> &'static str {
    match lever {
        Lever::Basket => "注文単価アップ（アップセル・クロスセル・松竹梅）",
        Lever::Price => "値上げ",
        Lever::Frequency => "購入回数アップ（リマインド・特典）",
        Lever::Cpo => "CPOの削減",
        Lever::RetentionCost => "維持コストの削減",
    }
}

/// The one-line explanation of a lever's effect.
pub fn lever_effect(lever: Lever) -> &'static str {
    match lever {
        Lever::Basket => "注文単価が上がります。タイミングは数回買った後や買い替え時に、押し売りにならないように。人は両端を避けて真ん中を選びがちなので、松竹梅の真ん中が単価を引き上げます。",
        Lever::Price => "原価は変わらないので上げた分がそのまま粗利に。ただし安さで集めた客はリピートしにくいことも。",
        Lever::Frequency => "購入回数が増えます。活動が落ちたお客さまへのリマインド、定期的なメルマガ、上位客への特典。",
        Lever::Cpo => "獲得の費用は1人目の注文から差し引かれます。配信先を絞り、お試し商品から本商品へつなげます。",
        Lever::RetentionCost => "維持の費用は利益を直接減らします。セグメント別に送り分けると無駄な配信が減ります。",
    }
}

pub fn health_label(health: Health) -> &'static str {
    match health {
        Health::Healthy => "良好",
        Health::Thin => "要改善",
        Health::Losing => "赤字",
    }
}

pub fn health_headline(health: Health, recovery: Recovery) -> &'static str {
    match (health, recovery) {
        (Health::Healthy, _) => "新規獲得はしっかり回収できています。LTVをさらに伸ばして、獲得に投資できる余力を広げましょう。",
        (Health::Thin, Recovery::BreaksEven) => "獲得と維持の費用を、ちょうど回収できる水準です。利益は残っていません（目安は粗利LTVがCPOの3倍）。",
        (Health::Thin, _) => "獲得コストは回収できていますが、余裕は小さめです（目安は粗利LTVがCPOの3倍）。",
        (Health::Losing, _) => "このままでは、お客さまを獲得するほど赤字になります。LTVを上げるか、獲得コストを下げる必要があります。",
    }
}

/// The recommended action of a lever; the frequency lever is about the second order when most
/// customers buy once.
pub fn action_title(lever: Lever, low_frequency: bool) -> &'static str {
    match lever {
        Lever::Frequency if low_frequency => "2回目の購入（F2転換）を取りにいく",
        Lever::Frequency => "購入回数を増やす（リマインド・メルマガ・特典）",
        Lever::Price => "価値を伝えて価格を上げる",
        Lever::Basket => "注文単価を上げる（アップセル・クロスセル・松竹梅）",
        Lever::Cpo => "獲得コスト（CPO）を下げる",
        Lever::RetentionCost => "維持コストを見直す",
    }
}

pub fn action_detail(lever: Lever, low_frequency: bool) -> &'static str {
    match lever {
        Lever::Frequency if low_frequency => "年間購入回数が2回未満です。初回購入のお礼とフォロー、2回目を買う理由づくりから始めましょう。",
        Lever::Frequency => "セグメント別のメール・LINEで、買う時期が来たお客さまに思い出してもらいます。",
        Lever::Price => "新しさ・歴史・希少性など、価格以外の価値を伝えてから価格を見直します。",
        Lever::Basket => "関連商品の提案や、3段階の商品ラインナップで1回の注文金額を上げます。",
        Lever::Cpo => "お試し商品から本商品につながる導線を作り、広告の配信先を絞ります。",
        Lever::RetentionCost => "全員に同じDMを送るのをやめ、セグメントごとに必要な施策だけを届けます。",
    }
}

/// 「値上げ10%で 1人あたり利益 +¥1,500」.
pub fn action_gain(lever: Lever, size: f64, gain: f64) -> String {
    let how = match lever {
        Lever::Cpo | Lever::RetentionCost => "削減",
        _ => "アップ",
    };
    format!(
        "{}{how}で 1人あたり利益 {}",
        ltv_core::input::format_percent(size),
        lever_delta(gain)
    )
}

pub fn ltv_formula(aov: &str, freq: &str, years: u8) -> String {
    let freq = freq.strip_suffix(".0").unwrap_or(freq);
    format!("{aov} × {freq}回 × {years}年")
}

pub fn ltv_meaning(years: u8) -> String {
    format!(
        "お客さま1人が{years}年間にもたらす売上です。この金額の中で、獲得と維持の費用をまかなえるかが次の問題です。"
    )
}

pub fn rough_meaning(rough: f64, formula: f64) -> String {
    if (rough - formula).abs() <= 0.05 * formula.max(1.0) {
        "式で出したLTVとほぼ一致しています。".to_string()
    } else {
        format!(
            "式で出したLTV（{}）と差があります。平均注文単価か年間購入回数の数字を確かめてください。",
            format_yen(formula)
        )
    }
}

pub fn horizon_option(years: u8) -> String {
    format!("{years}年")
}

pub fn years_value(years: f64) -> String {
    format!("{}年", format_decimal(years))
}

pub fn times_value(times: f64) -> String {
    format!("{}回", format_decimal(times))
}

pub fn count_value(count: f64) -> String {
    format!("{}件", ltv_core::input::format_count(count))
}

pub fn months_value(months: Option<f64>) -> String {
    match months {
        Some(m) => format!("{}か月", format_decimal(m)),
        None => "回収できません".to_string(),
    }
}

pub fn break_even_value(orders: Option<f64>) -> String {
    match orders {
        Some(n) => format!("{}回", ltv_core::input::format_count(n)),
        None => "粗利が出ていません".to_string(),
    }
}

pub fn ratio_value(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) => format!("{}倍", format_decimal(r)),
        None => "—（CPOが0円）".to_string(),
    }
}

pub fn ratio_note(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r >= ltv_core::calc::LTV_CPO_PASS_RATIO => {
            "合格ライン（3倍）を超えています。".to_string()
        }
        Some(_) => "合格ラインの目安は3倍です。".to_string(),
        None => "CPOを入れると比べられます。".to_string(),
    }
}

/// The reason behind the verdict, in numbers.
pub fn verdict_reason(gross: f64, cpo: f64, cost: f64, profit: f64) -> String {
    format!(
        "粗利LTV {} − CPO {} − 維持コスト {} = 1人あたり利益 {}",
        format_yen(gross),
        format_yen(cpo),
        format_yen(cost),
        format_yen(profit)
    )
}

pub fn ad_share_note(share: Option<f64>) -> String {
    let (low, high) = AD_SPEND_REFERENCE;
    let reference = format!(
        "新規獲得の広告費は売上の{}〜{}が一般的な目安です。",
        format_rate(low).replace(".0", ""),
        format_rate(high).replace(".0", "")
    );
    match share {
        Some(s) if s > high => format!("{reference} それを上回っています。"),
        Some(s) if s < low => format!("{reference} それより低く、獲得に余力があります。"),
        _ => reference,
    }
}

pub const INDEX_FORMULA: &str = "提示価格 × 購入希望者数 ÷ 提案人数 ≥ 2,000 → WEB販売へ";

pub fn index_formula(price: f64, buyers: f64, pitched: f64) -> String {
    format!(
        "{} × {}人 ÷ {}人",
        format_yen(price),
        ltv_core::input::format_plain(buyers),
        ltv_core::input::format_plain(pitched)
    )
}

/// The index with grouping, without a trailing `.0`: `2,000`, `1,666.7`.
pub fn index_value(index: f64) -> String {
    let shown = format_decimal(index);
    shown
        .strip_suffix(".0")
        .map(str::to_string)
        .unwrap_or(shown)
}

pub fn index_go_detail() -> &'static str {
    "2,000以上: WEBで販売を始めてよい水準です。"
}

pub fn index_review_detail(price_to_pass: Option<f64>, buyers_to_pass: Option<f64>) -> String {
    let mut parts = vec!["2,000未満: コンセプトか価格を見直しましょう。".to_string()];
    if let Some(p) = price_to_pass {
        parts.push(format!(
            "同じ人数なら価格 {} で2,000に届きます。",
            format_yen(p)
        ));
    }
    match buyers_to_pass {
        Some(b) => parts.push(format!(
            "同じ価格なら購入希望者 {}人 で届きます。",
            ltv_core::input::format_count(b)
        )),
        None => parts.push("この価格では、全員が買いたいと言っても届きません。".to_string()),
    }
    parts.join(" ")
}

pub fn concept_legend(n: u8, name: &str) -> String {
    format!("{CONCEPT_LEGEND}{n}：{name}")
}

pub fn ltv_result_label(years: u8) -> String {
    format!("{LTV_RESULT}（{years}年）")
}

pub fn ltv_note(formula: &str, years: u8) -> String {
    format!("{formula}。{}", ltv_meaning(years))
}

pub fn mix_basis(customers: f64) -> String {
    format!(
        "（顧客 {}人、平均注文単価で計算）",
        ltv_core::input::format_count(customers)
    )
}

pub fn gross_ltv_note(ltv: f64) -> String {
    format!("LTV {} × 粗利率", format_yen(ltv))
}

/// `LTV（いま）`.
pub fn versus_label(what: &str, when: &str) -> String {
    format!("{what}（{when}）")
}

pub fn lever_ltv_delta(change: f64) -> String {
    format!("LTV {}", lever_delta(change))
}

pub fn remove_concept_label(name: &str) -> String {
    format!("{name}を{REMOVE_CONCEPT}")
}

pub fn lever_delta(change: f64) -> String {
    let sign = if change >= 0.0 { "+" } else { "" };
    format!("{sign}{}", format_yen(change))
}

pub fn health_badge(health: Health) -> String {
    format!("診断: {}", health_label(health))
}

pub fn low_frequency_note() -> &'static str {
    "年間購入回数が2回未満: 多くのお客さまが1回で離れています。"
}

pub fn acquisition_heavy_note(share: Option<f64>) -> String {
    format!(
        "CPOがLTVの{}: 広告費の目安（売上の20〜30%）を超えています。",
        share.map(format_rate).unwrap_or_default()
    )
}

pub fn summary_horizon(years: u8) -> String {
    format!("（継続年数 {years}年で計算）")
}

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

// ---- Views ----
pub const VIEW_DIAGNOSIS: &str = "無料診断";
pub const VIEW_CSV: &str = "CSV分析";
pub const VIEWS_LABEL: &str = "表示の切り替え";

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
pub const CSV_SOURCE: &str = "読み込むデータ";
pub const CSV_SNIFFING: &str = "ファイルの形式を調べています…";

// ---- CSV分析: settings and mapping ----
pub const SETTINGS_TITLE: &str = "読み取り設定";
pub const SETTINGS_INTRO: &str =
    "自動で判定した設定です。違っていれば変えてください。下のプレビューがすぐに変わります。";
pub const ENCODING: &str = "文字コード";
pub const DELIMITER: &str = "区切り文字";
pub const HAS_HEADER: &str = "1行目は列名（見出し）";
pub const PLATFORM: &str = "判定したデータ形式";
pub const DATE_ORDER: &str = "日付の順序";
pub const DATE_ORDER_CHOOSE: &str = "選んでください";
pub const DATE_ORDER_ASK: &str = "日付が「01/02/2024」のように年が最後の形式で、月と日のどちらが先か判定できません。日付の順序を選んでください。";
pub const MAPPING_TITLE: &str = "列の割り当てとプレビュー";
pub const MAPPING_INTRO: &str = "各列が何を表すかを選びます。注文日・金額・顧客（顧客IDかメールアドレス）が必要です。プレビューの2段目は、アプリが読み取った値です。";
pub const MAPPING_LINE: &str = "行";
pub const PREVIEW_UNUSED: &str = "（使わない）";
pub const PREVIEW_BLANK: &str = "（空欄）";
pub const LINES_ESTIMATE: &str = "行数（目安）";
pub const UNDECODABLE: &str = "読めない文字";

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
pub fn missing_roles(roles: &[ltv_core::import::ColumnRole]) -> String {
    use ltv_core::import::ColumnRole;
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
    platform: ltv_core::import::Platform,
    column: &str,
    cancelled_at: Option<&str>,
    keywords: bool,
) -> String {
    let mut text = if keywords {
        format!("「{column}」の値に「キャンセル」「取消」「返品」などを含む注文を、集計から外します（この列で合っているか確かめてください）。")
    } else {
        format!(
            "{}の決まりで、「{column}」がキャンセル・未決済・返品を表す注文を集計から外します。",
            platform.label()
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

pub fn excluded_value(platform: ltv_core::import::Platform, column: &str, value: &str) -> String {
    if value.is_empty() {
        format!("「{column}」に日時あり")
    } else if let Some(name) = status_code_name(platform, value) {
        format!("「{column}」が「{value}」（{name}）")
    } else {
        format!("「{column}」が「{value}」")
    }
}

/// What a platform's numeric status code means, in the platform's own words.
fn status_code_name(platform: ltv_core::import::Platform, code: &str) -> Option<&'static str> {
    use ltv_core::import::Platform::*;
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
pub const REPORT_GUESTS: &str = "ゲスト購入など";

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
pub const SUMMARY_FILE_NAME: &str = "LTV集計.json";

/// `顧客一覧_休眠顧客_cp932.csv`.
pub fn customers_file_name(
    segment: Option<ltv_core::analysis::segments::Segment>,
    encoding: ltv_core::analysis::export::CsvEncoding,
) -> String {
    let which = segment.map_or("全顧客", segment_name);
    let code = match encoding {
        ltv_core::analysis::export::CsvEncoding::Utf8Bom => "utf8",
        ltv_core::analysis::export::CsvEncoding::Cp932 => "sjis",
    };
    format!("顧客一覧_{which}_{code}.csv")
}

pub fn segment_name(segment: ltv_core::analysis::segments::Segment) -> &'static str {
    use ltv_core::analysis::segments::Segment;
    match segment {
        Segment::New => "新規顧客",
        Segment::Candidate => "固定化候補",
        Segment::Regular => "固定客",
        Segment::Sleep => "スリープ顧客",
        Segment::HalfDormant => "半休眠顧客",
        Segment::Dormant => "休眠顧客",
    }
}

pub fn percent(fraction: f64) -> String {
    format!("{:.0}%", (fraction * 100.0).clamp(0.0, 100.0))
}

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

pub fn count_people(n: u64) -> String {
    format!("{}人", ltv_core::input::format_count(n as f64))
}

pub fn count_rows(n: u64) -> String {
    format!("{}行", ltv_core::input::format_count(n as f64))
}

pub fn count_orders(n: u64) -> String {
    format!("{}件", ltv_core::input::format_count(n as f64))
}

// ---- CSV分析: the analysis ----
pub const SORT_HINT: &str = "押すと並べ替え";
pub const NONE: &str = "—";
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
pub const CPM_RULES: &str = "CPM分析のしきい値";
pub const CPM_LAPSE: &str = "離脱とみなす日数";
pub const CPM_YOUNG: &str = "よちよち客の在籍日数（未満）";
pub const CPM_LOYAL: &str = "優良客の在籍日数（以上）";
pub const CPM_SPEND: &str = "累計購入金額のしきい値";
pub const ANALYSING: &str = "集計しています…";
pub const NOT_A_WHOLE_NUMBER: &str = "0以上の整数を入力してください";
pub const NOT_A_LIST: &str = "4つの数をカンマで区切って入力してください（例: 1,2,4,9）";

pub const SUMMARY_TITLE: &str = "サマリー";
pub const S_CUSTOMERS: &str = "顧客数";
pub const S_ORDERS: &str = "注文数";
pub const S_REVENUE: &str = "売上";
pub const S_AOV: &str = "平均注文単価";
pub const S_ORDERS_PER_CUSTOMER: &str = "1人あたり注文回数";
pub const S_REVENUE_PER_CUSTOMER: &str = "1人あたり売上（全期間）";
pub const S_LTV_12: &str = "通販LTV（直近12か月）";
pub const S_LTV_24: &str = "通販LTV（直近24か月）";
pub const S_REPEAT_SHARE: &str = "2回以上購入した顧客の割合";
pub const S_F2: &str = "F2転換率";
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

pub const COHORTS_TITLE: &str = "コホート（初回購入月ごとの継続）";
pub const COHORT_HEAT: &str = "初回購入月 × 経過月数: その月に購入した人の割合（人数）";
pub const H_COHORT: &str = "初回購入月";
pub const H_SIZE: &str = "人数";
pub const H_LTV_12: &str = "12か月LTV";
pub const H_LTV_24: &str = "24か月LTV";
pub const COHORT_LTV: &str = "コホートごとの1人あたり累計売上（LTV曲線）";

pub const SEGMENTS_TITLE: &str = "6つの顧客区分と、それぞれへの施策";
pub const H_SEGMENT: &str = "区分";
pub const H_RULE: &str = "条件";
pub const H_SHARE: &str = "割合";
pub const H_REVENUE_SHARE: &str = "売上構成比";
pub const H_AVG_ORDERS: &str = "平均注文回数";
pub const H_AVG_SPEND: &str = "平均購入金額";
pub const H_AVG_DAYS: &str = "最終注文からの平均日数";
pub const H_ACTION: &str = "おすすめの施策";
pub const H_LIST: &str = "リスト";
pub const COMMON_TITLE: &str = "大手通販の5区分";
pub const ABSENT: &str = "（データに該当なし）";
pub const LIST_ENCODING: &str = "リストの文字コード";
pub const ENC_UTF8: &str = "UTF-8（BOM付き）";
pub const ENC_SJIS: &str = "Shift_JIS（古いExcel向け）";
pub const DOWNLOAD_LIST: &str = "CSV";

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

pub const LTV_DAYS_TITLE: &str = "初回購入からの日数ごとのLTV";

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
pub const LIFT_NOTE: &str = "リフト値が1より大きいほど、偶然より一緒に買われやすい組み合わせです。";

pub const EXPORTS_TITLE: &str = "ダウンロード";
pub const DOWNLOAD_CUSTOMERS: &str = "顧客一覧CSVをダウンロード";
pub const DOWNLOAD_SUMMARY: &str = "集計JSONをダウンロード";
pub const EXPORTS_NOTE: &str = "顧客一覧には、顧客キー・初回と最終の注文日・注文回数・累計購入金額・最終注文からの日数・区分・RFMの点数が入ります。Excelで開いても数式として動かないよう、=や+で始まる値には「'」を付けています。";

pub fn yen_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), format_yen)
}

pub fn rate_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), format_rate)
}

pub fn decimal_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), format_decimal)
}

pub fn count(n: u64) -> String {
    ltv_core::input::format_count(n as f64)
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

pub fn heat_cell(rate: Option<f64>, active: Option<u64>) -> String {
    match (rate, active) {
        (Some(r), Some(a)) => format!("{}（{}）", format_rate(r), count(a)),
        _ => String::new(),
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

pub fn f2_note(eligible: u64, definition: &str) -> String {
    format!("{definition}（対象 {}人）", count(eligible))
}

pub fn list_button_label(segment: &str) -> String {
    format!("{segment}のリストをダウンロード")
}

pub fn window_note(from: &str, to: &str, customers: u64) -> String {
    format!("{from} 〜 {to}、顧客 {}人", count(customers))
}

pub fn tick_count(v: f64) -> String {
    ltv_core::input::format_count(v)
}

pub fn tick_yen(v: f64) -> String {
    format_yen(v)
}

// ---- CSV分析: the headline and the three findings ----
pub const HEADLINE_TITLE: &str = "このお店のいま";
pub const FINDINGS_TITLE: &str = "いちばん大事な3つの発見";
pub const KPI_CUSTOMERS: &str = "顧客数";
pub const KPI_LTV_12: &str = "通販LTV（直近12か月）";
pub const KPI_REVENUE_NEXT_YEAR: &str = "予測売上（今後12か月）";
pub const KPI_COMPUTING: &str = "計算中…";
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
pub const CSV_SECTIONS: [(&str, &str); 9] = [
    ("csv-headline", "発見"),
    ("csv-summary", "サマリー"),
    ("csv-monthly", "月次"),
    ("csv-cohorts", "コホート"),
    ("csv-segments", "セグメント"),
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

// ---- 予測LTV ----
pub const PRED_TITLE: &str = "予測LTV（BG/NBD・Gamma-Gammaモデル）";
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
pub const PRED_SLEEP: &str = "スリープとみなすP(alive)（未満）";
pub const PRED_DORMANT: &str = "休眠とみなすP(alive)（未満）";
pub const PRED_RUNNING: &str = "モデルを当てはめています…";
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
pub const PRED_TOTALS: &str = "全体の予測";
pub const PRED_ACTIVE: &str = "まだ顧客でいる見込みの人数";
pub const PRED_NEXT_YEAR: &str = "今後1年の予想購入回数（合計）";
pub const PRED_CLV_TOTAL: &str = "予測LTVの合計";
pub const PRED_DIST: &str = "P(alive)（まだ顧客でいる確率）の分布";
pub const PRED_ALIVE_SEGMENTS: &str = "P(alive)による区分（固定日数の区分と並べて使えます）";
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
pub const PRED_BY_FREQUENCY: &str = "学習期間のリピート回数ごとの、検証期間の1人あたり購入回数";
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

pub fn alive_label(i: usize) -> &'static str {
    ["稼働", "スリープ", "休眠"][i.min(2)]
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

/// The worker stopped: what happened, and that the page still works.
pub fn worker_crashed(detail: &str) -> String {
    format!(
        "分析の処理が途中で止まりました（ファイルが大きすぎてメモリが足りなくなった可能性があります）。ページはそのまま使えます。別のファイルを読み込むか、期間を分けたファイルでお試しください。（詳細: {detail}）"
    )
}

/// A file too large to read in the browser.
pub fn file_too_large(size: f64) -> String {
    format!(
        "ファイルが大きすぎます（{}）。このブラウザで読み込めるのは{}までです。期間で分けて書き出したファイルをお使いください。",
        file_size(size),
        file_size(crate::worker::MAX_FILE_BYTES)
    )
}

// ---- 予測LTV: the answer in plain words first ----
pub const PRED_OUTLOOK: &str = "この先の見通し";
pub const PRED_DETAILS: &str = "詳しい統計（モデル・パラメータ・検証）";
pub const PRED_CAVEATS: &str = "見通しを使うときの注意";
pub const PRED_GROUPS: &str = "お客さまの今の状態と、やること";

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
