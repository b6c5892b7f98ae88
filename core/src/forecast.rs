//! 予測LTV as the page shows it: a [`Prediction`] made small enough to send to the UI (no
//! per-customer table), with the customers worth naming, the spread of P(alive), the
//! P(alive) segments, and the predicted columns of the per-customer export.

use serde::{Deserialize, Serialize};

use crate::analysis::export::file_text;
use crate::input::format_plain;
use crate::model::{
    AliveSegment, AliveThresholds, BoundaryLimit, CustomerPrediction, Prediction, PurchaseFit,
};
use crate::orders::{iso_date, CustomerKeys, Day};

/// Bins of the P(alive) histogram: 0–10 %, 10–20 %, … 90–100 %.
pub const P_ALIVE_BINS: usize = 10;

/// One customer as the rankings list them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankedCustomer {
    /// 顧客キー.
    pub key: String,
    pub prediction: CustomerPrediction,
}

/// What the 予測LTV view shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The fits, totals, validation and warnings; `customers` left empty.
    pub prediction: Prediction,
    /// Highest 予測LTV first (expected transactions when there is no spend model).
    pub top: Vec<RankedCustomer>,
    /// Repeat customers least likely to be still active, the most valuable first among equals.
    pub likely_lost: Vec<RankedCustomer>,
    /// Customers by P(alive), in [`P_ALIVE_BINS`] bins of 10 %.
    pub p_alive_histogram: Vec<u64>,
    pub thresholds: AliveThresholds,
    /// Customers 稼働, スリープ and 休眠 by P(alive).
    pub alive_segments: [u64; 3],
}

/// The bin of a P(alive).
fn bin(p: f64) -> usize {
    ((p * P_ALIVE_BINS as f64).floor().max(0.0) as usize).min(P_ALIVE_BINS - 1)
}

fn alive_index(segment: AliveSegment) -> usize {
    match segment {
        AliveSegment::Active => 0,
        AliveSegment::Sleeping => 1,
        AliveSegment::Dormant => 2,
    }
}

/// Makes the page's view of a prediction: `keys` are the customer keys by id; `top_n`
/// customers in each ranking.
///
/// # Examples
/// ```
/// use ltv_core::forecast::forecast;
/// use ltv_core::model::{predict, AliveThresholds, ModelParams};
/// use ltv_core::orders::{Order, OrderTable};
/// // 90 customers: frequent and recent, frequent then silent, one-off.
/// let mut orders = Vec::new();
/// for c in 0..90u32 {
///     let (gap, repeats) = match c % 3 { 0 => (14, 20), 1 => (14, 6), _ => (0, 0) };
///     for k in 0..=repeats {
///         let amount = 2_000.0 + f64::from((c * 37 + k * 11) % 900);
///         orders.push(Order { customer: c, day: (c % 7) as i32 + gap * k as i32, amount });
///     }
/// }
/// let table = OrderTable { customer_keys: (0..90).map(|c| format!("c{c}")).collect(), orders, ..Default::default() };
/// let prediction = predict(&table, &ModelParams::default()).unwrap();
/// let view = forecast(&prediction, &table.customer_keys, AliveThresholds::default(), 5);
/// assert!(view.prediction.customers.is_empty());
/// assert_eq!(view.top.len(), 5);
/// assert_eq!(view.p_alive_histogram.iter().sum::<u64>(), 90);
/// assert_eq!(view.alive_segments.iter().sum::<u64>(), 90);
/// ```
pub fn forecast(
    prediction: &Prediction,
    keys: &CustomerKeys,
    thresholds: AliveThresholds,
    top_n: usize,
) -> Forecast {
    // The lists are ranked on keys made in one pass (a customer's prediction is computed
    // when read), keeping only the first `top_n` of each: what is worth most first, then who
    // is most likely lost among repeat customers; ties by id.
    let customers = &prediction.customers;
    let value = |p: &CustomerPrediction| p.clv.unwrap_or(p.expected_transactions_horizon);
    let mut by_value = FirstN::new(top_n, |a: &(f64, u32), b: &(f64, u32)| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
    });
    let mut lost = FirstN::new(top_n, |a: &(f64, f64, u32), b: &(f64, f64, u32)| {
        a.0.total_cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
    });
    let mut histogram = vec![0u64; P_ALIVE_BINS];
    let mut segments = [0u64; 3];
    for p in customers.iter().flatten() {
        by_value.offer((value(&p), p.customer));
        if p.frequency > 0 {
            lost.offer((p.p_alive, p.monetary_value * p.frequency as f64, p.customer));
        }
        histogram[bin(p.p_alive)] += 1;
        segments[alive_index(thresholds.segment(p.p_alive))] += 1;
    }
    let ranked = |id: u32| {
        customers.get(id as usize).map(|prediction| RankedCustomer {
            key: keys.get(id as usize).unwrap_or_default().to_string(),
            prediction,
        })
    };
    Forecast {
        prediction: prediction.without_customers(),
        top: by_value
            .kept
            .into_iter()
            .filter_map(|(_, id)| ranked(id))
            .collect(),
        likely_lost: lost
            .kept
            .into_iter()
            .filter_map(|(.., id)| ranked(id))
            .collect(),
        p_alive_histogram: histogram,
        thresholds,
        alive_segments: segments,
    }
}

/// The first `n` items of a stream in a total order, kept in that order: what sorting every
/// item and taking `n` gives, in room for `n` (the page shows 20 of hundreds of thousands).
struct FirstN<K, F> {
    n: usize,
    kept: Vec<K>,
    order: F,
}

impl<K, F: Fn(&K, &K) -> std::cmp::Ordering> FirstN<K, F> {
    fn new(n: usize, order: F) -> Self {
        FirstN {
            n,
            kept: Vec::with_capacity(n.saturating_add(1).min(1024)),
            order,
        }
    }

    fn offer(&mut self, item: K) {
        let full = self.kept.len() >= self.n;
        if full
            && self
                .kept
                .last()
                .is_none_or(|last| (self.order)(&item, last).is_ge())
        {
            return;
        }
        let at = self
            .kept
            .partition_point(|k| (self.order)(k, &item).is_lt());
        self.kept.insert(at, item);
        self.kept.truncate(self.n);
    }
}

/// The calibration end the validation starts from: the middle of the history, so that half
/// is learnt from and half checked against (as Fader, Hardie & Lee did with CDNOW's 39 + 39
/// weeks).
///
/// # Examples
/// ```
/// use ltv_core::forecast::default_calibration_end;
/// use ltv_core::orders::day_from_ymd;
/// let first = day_from_ymd(1997, 1, 1).unwrap();
/// let last = day_from_ymd(1998, 6, 30).unwrap();
/// assert_eq!(default_calibration_end(first, last), day_from_ymd(1997, 9, 30).unwrap());
/// ```
pub fn default_calibration_end(first: Day, last: Day) -> Day {
    first + (last - first) / 2
}

/// Orders spanning at least this many days are split into a 学習期間 and a check by default:
/// half a year to learn from and half a year to check the models against.
pub const HOLDOUT_BY_DEFAULT_DAYS: i32 = 364;

/// The 学習期間の終わり a new import starts with: the middle of its orders when they span a
/// year or more (the models are then compared on what came after), else none.
///
/// # Examples
/// ```
/// use ltv_core::forecast::initial_calibration_end;
/// use ltv_core::orders::day_from_ymd;
/// let first = day_from_ymd(1997, 1, 1).unwrap();
/// let long = day_from_ymd(1998, 6, 30).unwrap();
/// assert_eq!(initial_calibration_end(first, long), day_from_ymd(1997, 9, 30));
/// let short = day_from_ymd(1997, 8, 1).unwrap();
/// assert_eq!(initial_calibration_end(first, short), None);
/// ```
pub fn initial_calibration_end(first: Day, last: Day) -> Option<Day> {
    (last - first >= HOLDOUT_BY_DEFAULT_DAYS).then(|| default_calibration_end(first, last))
}

/// The headers of the predicted columns of the per-customer export: file-format text, like
/// [`crate::analysis::export::file_text`].
pub const PREDICTED_HEADERS: [&str; 5] = [
    "まだ顧客でいる確率",
    "今後1年の予想購入回数",
    "予想平均注文額",
    "予測LTV",
    "P(alive)区分",
];

/// The predicted cells of one customer for the export (empty for a customer the model did
/// not cover).
pub fn predicted_cells(
    prediction: &Prediction,
    customer: u32,
    thresholds: AliveThresholds,
) -> Vec<String> {
    match prediction.customers.get(customer as usize) {
        Some(p) => vec![
            format!("{:.4}", p.p_alive),
            format!("{:.3}", p.expected_transactions_next_year),
            p.expected_average_value
                .map(|v| format_plain(v.round()))
                .unwrap_or_default(),
            p.clv.map(|v| format_plain(v.round())).unwrap_or_default(),
            file_text::alive_segment_name(thresholds.segment(p.p_alive)).to_string(),
        ],
        None => vec![String::new(); PREDICTED_HEADERS.len()],
    }
}

/// The `model` object of the summary JSON: parameters, standard errors, log-likelihood,
/// customers used, settings and totals.
///
/// `name` is the chosen purchase model's [`crate::model::PurchaseModel::json_name`] and
/// `chosen_by` how it was chosen (`holdout`, `bic`, `user`); each fitted model's
/// parameters, standard errors, LL, BIC and boundary notes are under its name (`bg_nbd`,
/// `pareto_nbd`, `mbg_nbd`; the chosen one as the predictions use it); `comparison` has
/// one row per model with the holdout figures; `bgnbd`, `gamma_gamma` and the other keys
/// are as before.
pub fn model_json(prediction: &Prediction) -> serde_json::Value {
    let bg = &prediction.bgnbd;
    let gamma_gamma = match &prediction.gamma_gamma {
        Ok(gg) => serde_json::json!({
            "p": gg.params.p, "q": gg.params.q, "gamma": gg.params.gamma,
            "standard_errors": { "p": gg.standard_errors.p, "q": gg.standard_errors.q, "gamma": gg.standard_errors.gamma },
            "log_likelihood": gg.log_likelihood,
            "customers": gg.customers,
            "excluded_non_positive": gg.excluded_non_positive,
        }),
        Err(e) => serde_json::json!({ "error": e.message() }),
    };
    let fit_json = |fit: &PurchaseFit| {
        let names = fit.model.parameter_names();
        let values = fit.params.values();
        let mut params = serde_json::Map::new();
        let mut errors = serde_json::Map::new();
        for i in 0..4 {
            params.insert(names[i].to_string(), values[i].into());
            errors.insert(names[i].to_string(), fit.standard_errors[i].into());
        }
        serde_json::json!({
            "params": params,
            "standard_errors": errors,
            "log_likelihood": fit.log_likelihood,
            "bic": fit.bic,
            "customers": fit.customers,
            "repeat_customers": fit.repeat_customers,
            "converged": fit.converged,
            "boundary": fit.boundary.iter().map(|n| serde_json::json!({
                "parameter": n.parameter,
                "limit": match n.limit {
                    BoundaryLimit::Infinity => "infinity",
                    BoundaryLimit::Zero => "zero",
                    BoundaryLimit::Undetermined => "undetermined",
                },
                "meaning": n.meaning,
            })).collect::<Vec<_>>(),
        })
    };
    // Each fitted model under its name: the chosen one as the predictions use it, the
    // others as fitted on the calibration period.
    let mut models = serde_json::Map::new();
    for row in &prediction.comparison {
        if let Ok(fit) = &row.fit {
            models.insert(row.model.json_name().to_string(), fit_json(fit));
        }
    }
    models.insert(
        prediction.model.json_name().to_string(),
        fit_json(&prediction.purchase_fit),
    );
    let comparison: Vec<serde_json::Value> = prediction
        .comparison
        .iter()
        .map(|row| {
            let (ll, bic, error) = match &row.fit {
                Ok(f) => (Some(f.log_likelihood), Some(f.bic), None),
                Err(e) => (None, None, Some(e.message())),
            };
            serde_json::json!({
                "model": row.model.json_name(),
                "params": row.fit.as_ref().ok().map(|f| {
                    let names = f.model.parameter_names();
                    let values = f.params.values();
                    names.iter().zip(values).map(|(n, v)| (n.to_string(), serde_json::Value::from(v)))
                        .collect::<serde_json::Map<_, _>>()
                }),
                "converged": row.fit.as_ref().ok().map(|f| f.converged),
                "log_likelihood": ll,
                "bic": bic,
                "error": error,
                "holdout_predicted": row.holdout.as_ref().map(|h| h.predicted),
                "holdout_actual": row.holdout.as_ref().map(|h| h.actual),
                "holdout_error_percent": row.holdout.as_ref().map(|h| h.error_percent),
                "holdout_by_frequency": row.holdout.as_ref().map(|h| h.by_frequency.iter().map(|b| serde_json::json!({
                    "frequency": b.frequency,
                    "customers": b.customers,
                    "actual_mean": b.actual_mean,
                    "predicted_mean": b.predicted_mean,
                })).collect::<Vec<_>>()),
            })
        })
        .collect();
    let mut json = serde_json::json!({
        "name": prediction.model.json_name(),
        "chosen_by": prediction.model_choice.json_name(),
        "comparison": comparison,
        "predicted_as_of": iso_date(prediction.predicted_as_of),
        "bgnbd": {
            "r": bg.params.r(), "alpha": bg.params.alpha(), "a": bg.params.a(), "b": bg.params.b(),
            "standard_errors": {
                "r": bg.standard_errors.r(), "alpha": bg.standard_errors.alpha(),
                "a": bg.standard_errors.a(), "b": bg.standard_errors.b(),
            },
            "log_likelihood": bg.log_likelihood,
            "customers": bg.customers,
            "repeat_customers": bg.repeat_customers,
        },
        "gamma_gamma": gamma_gamma,
        "time_unit": "weeks (days / 7)",
        "calibration_start": iso_date(prediction.calibration_start),
        "calibration_end": iso_date(prediction.calibration_end),
        "holdout_end": prediction.holdout_end.map(iso_date),
        "horizon_months": prediction.settings.horizon_months(),
        "monthly_discount": prediction.settings.monthly_discount(),
        "margin": prediction.settings.margin(),
        "expected_active_customers": prediction.totals.expected_active_customers,
        "expected_transactions_next_year": prediction.totals.expected_transactions_next_year,
        "predicted_clv_total": prediction.totals.clv,
        "warnings": prediction.warnings.iter().map(|w| w.message()).collect::<Vec<_>>(),
    });
    if let Some(object) = json.as_object_mut() {
        for (name, value) in models {
            object.insert(name, value);
        }
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{predict, ModelParams};
    use crate::orders::{Order, OrderTable};
    use proptest::prelude::*;

    proptest! {
        /// Keeping the first n as they come is sorting them all and taking n: with ties on the
        /// value (broken by id), NaN and infinities, and n of 0, fewer than the items, and more.
        #[test]
        fn the_first_n_kept_are_the_first_n_sorted(
            values in prop::collection::vec(
                prop_oneof![
                    (0u8..6).prop_map(|v| f64::from(v) / 2.0),
                    Just(f64::NAN),
                    Just(f64::INFINITY),
                    Just(-0.0),
                    any::<f64>(),
                ],
                0..300,
            ),
            n in 0usize..40,
        ) {
            let order = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
            let items: Vec<(f64, u32)> = values.iter().copied().zip(0u32..).collect();
            let mut first = FirstN::new(n, order);
            for &item in &items {
                first.offer(item);
            }
            let mut sorted = items.clone();
            sorted.sort_by(order);
            sorted.truncate(n);
            let bits = |v: &[(f64, u32)]| v.iter().map(|(x, i)| (x.to_bits(), *i)).collect::<Vec<_>>();
            prop_assert_eq!(bits(&first.kept), bits(&sorted));
        }
    }

    /// 90 customers: frequent and recent, frequent then silent, one-off.
    fn shop() -> OrderTable {
        let mut orders = Vec::new();
        for c in 0..90u32 {
            let (gap, repeats, start) = match c % 3 {
                0 => (14, 20, 0), // frequent, still buying at the end
                1 => (14, 6, 0),  // frequent, then silent for most of the period
                _ => (0, 0, 10),  // one purchase
            };
            for k in 0..=repeats {
                orders.push(Order {
                    customer: c,
                    day: start + (c % 7) as i32 + gap * k,
                    amount: 2_000.0 + f64::from((c * 37 + k as u32 * 11) % 900),
                });
            }
        }
        OrderTable {
            customer_keys: (0..90).map(|c| format!("k{c}")).collect(),
            orders,
            ..Default::default()
        }
    }

    #[test]
    fn rankings_name_the_right_customers() {
        let table = shop();
        // The rankings, not the model choice, are under test: BG/NBD as before.
        let settings = ModelParams::default().with_model(Some(crate::model::PurchaseModel::BgNbd));
        let prediction = predict(&table, &settings).unwrap();
        let view = forecast(
            &prediction,
            &table.customer_keys,
            AliveThresholds::default(),
            10,
        );
        // The most valuable are the frequent, recent buyers (ids 0, 3, 6…).
        assert!(view
            .top
            .iter()
            .all(|r| r.key.trim_start_matches('k').parse::<u32>().unwrap() % 3 == 0));
        // The likely lost are the ones who bought often and then stopped (ids 1, 4, 7…).
        assert!(view.likely_lost.iter().all(|r| r
            .key
            .trim_start_matches('k')
            .parse::<u32>()
            .unwrap()
            % 3
            == 1));
        let worst = &view.likely_lost[0].prediction;
        assert!(view
            .likely_lost
            .iter()
            .all(|r| r.prediction.p_alive >= worst.p_alive));
        assert_eq!(view.p_alive_histogram.iter().sum::<u64>(), 90);
        assert_eq!(view.alive_segments.iter().sum::<u64>(), 90);
    }

    #[test]
    fn histogram_bins_and_export_cells() {
        for (p, b) in [
            (0.0, 0),
            (0.05, 0),
            (0.1, 1),
            (0.99, 9),
            (1.0, 9),
            (-0.1, 0),
        ] {
            assert_eq!(bin(p), b, "{p}");
        }
        let table = shop();
        let prediction = predict(&table, &ModelParams::default()).unwrap();
        let cells = predicted_cells(&prediction, 0, AliveThresholds::default());
        assert_eq!(cells.len(), PREDICTED_HEADERS.len());
        let p_alive: f64 = cells[0].parse().unwrap();
        assert!((0.0..=1.0).contains(&p_alive));
        assert_eq!(
            predicted_cells(&prediction, 10_000, AliveThresholds::default()),
            vec![String::new(); 5]
        );
        let json = model_json(&prediction);
        for key in ["bgnbd", "gamma_gamma", "calibration_end", "horizon_months"] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert_eq!(json["bgnbd"]["customers"], 90);
        // The chosen model by name, every fitted model under its name, the comparison.
        assert_eq!(json["name"], prediction.model.json_name());
        assert_eq!(json["chosen_by"], "bic");
        for name in ["bg_nbd", "pareto_nbd", "mbg_nbd"] {
            assert!(json[name]["params"].is_object(), "{name}");
            assert!(json[name]["bic"].is_number(), "{name}");
        }
        assert_eq!(json["comparison"].as_array().map(Vec::len), Some(3));
        assert!(json["pareto_nbd"]["params"]["beta"].is_number());
    }
}
