//! The 診断 page: its sections, fields, results, the result bar, the levers and the print.

use ltv_core::calc::diagnosis::Health;
use ltv_core::calc::form::Field;
use ltv_core::calc::levers::Lever;
use ltv_core::calc::Recovery;
use ltv_core::calc::AD_SPEND_REFERENCE;
use ltv_core::input::format_decimal;
use ltv_core::input::format_rate;
use ltv_core::input::format_yen;

// ---- The page, its toolbar and its sections ----
pub const RESET: &str = "リセット";
pub const PRINT: &str = "印刷・PDF保存";
pub const SHARE_LINK: &str = "共有リンク";
pub const COPY: &str = "リンクをコピー";
pub const COPIED: &str = "コピーしました";
pub const SHARE_HINT: &str =
    "入力した数字はこのリンクに入っています。リンクを開くと同じ結果が出ます。";
pub const NAV_LABEL: &str = "目次";

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
    "サロンや飲食店など地域型の商売向けの指標で、通販ではあまり意味を持ちません。通販では「初回購入から90日以内に2回目を買った人の割合（F2転換率）」のように、自店に合う指標を選んでください。";

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
