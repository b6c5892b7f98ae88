//! The published CDNOW figures, reproduced on the 1/10 sample.
//!
//! References: Fader, Hardie & Lee (2005) for BG/NBD (r = 0.243, α = 4.414, a = 0.793,
//! b = 2.426, LL = −9,582.4), Fader & Hardie's Gamma-Gamma note (p = 6.25, q = 3.74,
//! γ = 15.44 on 946 repeat customers), and the reference summary
//! `cdnow_customers_summary.csv` of the sample over 1997-01-01..1997-09-30.

use std::sync::OnceLock;

use proptest::prelude::*;

use super::bgnbd::BgNbdObjective;
use super::optim::{differenced_hessian, invert_positive_definite};
use super::*;
use crate::orders::{day_from_ymd, Day, Order, OrderTable};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/data/cdnow/CDNOW_sample.txt"
);
const REFERENCE_SUMMARY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/data/cdnow/cdnow_customers_summary.csv"
);

/// Relative tolerance on the published parameters.
const PARAMETER_TOLERANCE: f64 = 0.005;
/// Absolute tolerance on the published log-likelihood.
const LOG_LIKELIHOOD_TOLERANCE: f64 = 0.1;
/// Absolute tolerance on the reference summary's weeks (printed to 2 decimals).
const WEEKS_TOLERANCE: f64 = 0.01;
/// Relative tolerance on the reference implementation's holdout figure.
const HOLDOUT_TOLERANCE: f64 = 0.01;

const PUBLISHED_BGNBD: BgNbdParams = BgNbdParams {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

fn ymd(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

fn calibration_end() -> Day {
    ymd(1997, 9, 30)
}

fn holdout_end() -> Day {
    ymd(1998, 6, 30)
}

/// `master_id sample_id YYYYMMDD cds dollars`, whitespace-separated, no header; the
/// customer is the sample id (1..=2357, dense id = sample id − 1).
fn read_sample() -> OrderTable {
    let text = std::fs::read_to_string(SAMPLE)
        .unwrap_or_else(|e| panic!("the CDNOW sample must be present: {e}"));
    let mut orders = Vec::new();
    let mut max_id = 0u32;
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        assert_eq!(fields.len(), 5, "line {}: {line}", i + 1);
        let id: u32 = fields[1].parse().unwrap();
        let date = fields[2];
        let day = day_from_ymd(
            date[..4].parse().unwrap(),
            date[4..6].parse().unwrap(),
            date[6..].parse().unwrap(),
        )
        .unwrap();
        max_id = max_id.max(id);
        orders.push(Order {
            customer: id - 1,
            day,
            amount: fields[4].parse().unwrap(),
        });
    }
    assert_eq!(orders.len(), 6919, "rows of the sample");
    OrderTable {
        customer_keys: (1..=max_id).map(|i| format!("{i:04}")).collect(),
        orders,
        ..Default::default()
    }
}

pub(super) fn sample() -> &'static OrderTable {
    static TABLE: OnceLock<OrderTable> = OnceLock::new();
    TABLE.get_or_init(read_sample)
}

fn calibration_summary() -> &'static RfmSummary {
    static SUMMARY: OnceLock<RfmSummary> = OnceLock::new();
    SUMMARY.get_or_init(|| summarize(sample(), calibration_end(), Some(holdout_end())).unwrap())
}

fn bgnbd() -> &'static BgNbdFit {
    static FIT: OnceLock<BgNbdFit> = OnceLock::new();
    FIT.get_or_init(|| fit_bgnbd(&group_customers(&calibration_summary().customers)).unwrap())
}

fn close(got: f64, published: f64) -> bool {
    ((got - published) / published).abs() <= PARAMETER_TOLERANCE
}

#[test]
fn summary_matches_the_reference() {
    let text = std::fs::read_to_string(REFERENCE_SUMMARY)
        .unwrap_or_else(|e| panic!("the reference summary must be present: {e}"));
    let summary = calibration_summary();
    assert_eq!(summary.customers.len(), 2357);
    assert_eq!(summary.customers_after_calibration, 0);
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim().split(',').collect();
        let id: u32 = f[0].parse().unwrap();
        let (frequency, recency, age): (u64, f64, f64) = (
            f[1].parse().unwrap(),
            f[2].parse().unwrap(),
            f[3].parse().unwrap(),
        );
        let c = &summary.customers[(id - 1) as usize];
        assert_eq!(c.customer, id - 1);
        assert_eq!(c.frequency, frequency, "customer {id}");
        assert!(
            (c.recency_weeks() - recency).abs() <= WEEKS_TOLERANCE,
            "customer {id} recency"
        );
        assert!(
            (c.age_weeks() - age).abs() <= WEEKS_TOLERANCE,
            "customer {id} T"
        );
        rows += 1;
    }
    assert_eq!(rows, 2357);
}

#[test]
fn bgnbd_fit_matches_the_published_estimates() {
    let fit = bgnbd();
    let p = fit.params;
    for (name, got, published) in [
        ("r", p.r, 0.243),
        ("α", p.alpha, 4.414),
        ("a", p.a, 0.793),
        ("b", p.b, 2.426),
    ] {
        assert!(
            close(got, published),
            "{name} = {got}, published {published}"
        );
    }
    assert!(
        (fit.log_likelihood - -9582.4).abs() <= LOG_LIKELIHOOD_TOLERANCE,
        "LL = {}",
        fit.log_likelihood
    );
    assert_eq!(fit.customers, 2357);
    assert_eq!(fit.repeat_customers, 946);
    assert!(fit.groups < fit.customers, "grouping compressed nothing");
    // The reference implementation's standard errors: 0.0126, 0.378, 0.186, 0.705.
    let se = fit.standard_errors;
    for (name, value, error) in [
        ("r", p.r, se.r),
        ("α", p.alpha, se.alpha),
        ("a", p.a, se.a),
        ("b", p.b, se.b),
    ] {
        assert!(error > 0.0 && error < value, "se({name}) = {error}");
    }
}

#[test]
fn point_checks_with_the_estimates() {
    let p = bgnbd().params;
    // FHL (2005): 1.226 for x = 2, tₓ = 30.43, T = 38.86 over 39 weeks.
    let e = p.conditional_expected_transactions(2, 30.43, 38.86, 39.0);
    assert!((e - 1.226).abs() < 5e-4, "{e}");
    // The reference E[X(78)] = 1.8576, computed from unrounded estimates; ours differ in
    // the fifth digit, which moves E[X(78)] by a few 1e-4.
    let e78 = p.expected_transactions(78.0);
    assert!((e78 - 1.8576).abs() < 5e-4, "{e78}");
}

#[test]
fn gamma_gamma_fit_matches_the_published_estimates() {
    let fit = fit_gamma_gamma(&calibration_summary().customers).unwrap();
    assert_eq!(fit.customers, 946);
    assert_eq!(fit.excluded_non_positive, 0);
    let p = fit.params;
    for (name, got, published) in [("p", p.p, 6.25), ("q", p.q, 3.74), ("γ", p.gamma, 15.44)] {
        assert!(
            close(got, published),
            "{name} = {got}, published {published}"
        );
    }
    assert!(fit.standard_errors.p > 0.0 && fit.standard_errors.q > 0.0);
}

#[test]
fn holdout_with_the_published_parameters() {
    let v = validate_holdout(calibration_summary(), &PUBLISHED_BGNBD).unwrap();
    assert_eq!(v.actual_holdout, 1882);
    assert!((v.holdout_weeks - 39.0).abs() < 1e-12);
    // The reference implementation's expected repeat transactions in the holdout: 1,653.
    let expected = v.conditional_expected_holdout;
    assert!(
        ((expected - 1653.0) / 1653.0).abs() <= HOLDOUT_TOLERANCE,
        "expected {expected}"
    );
    // The weekly series covers 78 weeks and ends with every repeat transaction.
    assert_eq!(v.weekly.len(), 78);
    let last = v.weekly.last().unwrap();
    assert_eq!(last.day, holdout_end());
    let calibration_repeats: u64 = calibration_summary()
        .customers
        .iter()
        .map(|c| c.frequency)
        .sum();
    assert_eq!(last.actual, calibration_repeats + 1882);
    assert!(v.weekly.windows(2).all(|w| w[0].expected <= w[1].expected));
    // Conditional expectations by calibration frequency: every bucket 0..=7+ is filled
    // and the predicted means rise with x, as in FHL (2005) figure 4.
    assert_eq!(v.by_frequency.len(), 8);
    assert!(v
        .by_frequency
        .windows(2)
        .all(|b| b[0].predicted_mean < b[1].predicted_mean));
}

#[test]
fn predict_end_to_end() {
    let params = ModelParams::new().with_calibration_end(Some(calibration_end()));
    let prediction = predict(sample(), &params).unwrap();
    assert_eq!(prediction.holdout_end, Some(holdout_end()));
    assert!(close(prediction.bgnbd.params.r, 0.243));
    assert!(prediction.gamma_gamma.is_ok());
    assert_eq!(prediction.customers.len(), 2357);
    assert!(prediction.customers.iter().all(|p| p.is_some()));
    assert!(prediction.validation.is_some());
    assert!(
        !prediction
            .warnings
            .iter()
            .any(|w| matches!(w, TrustWarning::FewRepeatCustomers { .. })),
        "{:?}",
        prediction.warnings
    );
    // CLV ≤ undiscounted horizon transactions × E[M]; all finite.
    for c in prediction.customers.iter().flatten() {
        let clv = c.clv.unwrap();
        let bound = c.expected_transactions_horizon * c.expected_average_value.unwrap();
        assert!(
            clv.is_finite() && clv >= 0.0 && clv <= bound + 1e-9,
            "{c:?}"
        );
    }
    // Fitting on everything: no holdout.
    let all = predict(sample(), &ModelParams::new()).unwrap();
    assert_eq!(all.holdout_end, None);
    assert!(all.validation.is_none());
    assert_eq!(all.calibration_end, holdout_end());
    let json = serde_json::to_string(&all).unwrap();
    let back: Prediction = serde_json::from_str(&json).unwrap();
    assert_eq!(back.customers.len(), all.customers.len());
}

/// Each customer's prediction, read back from where it is held by (x, tₓ, T) group, is what
/// the chosen model and the spend model say of that customer, computed here on its own from
/// the whole history's summary: P(alive), the next 52 weeks, the expected order value, and
/// 予測LTV month by month at 1 % a month with a 30 % margin; its holdout purchases are the
/// calibration summary's.
#[test]
fn each_customer_reads_back_the_models_figures() {
    let params = ModelParams::new()
        .with_calibration_end(Some(calibration_end()))
        .with_margin(Some(0.3))
        .unwrap();
    let p = predict(sample(), &params).unwrap();
    let model = p.purchase_fit.params;
    let spend = p.gamma_gamma.as_ref().unwrap().params;
    let whole = summarize(sample(), p.predicted_as_of, None).unwrap();
    assert_eq!(whole.customers.len(), 2357);
    let month = 52.0 / 12.0;
    for c in &whole.customers {
        let got = p.customers.get(c.customer as usize).unwrap();
        let (x, tx, age) = (c.frequency, c.recency_weeks(), c.age_weeks());
        assert_eq!(
            (got.customer, got.frequency, got.monetary_value),
            (c.customer, x, c.monetary_value)
        );
        assert_eq!((got.recency_weeks, got.age_weeks), (tx, age));
        assert_eq!(got.p_alive, model.probability_alive(x, tx, age));
        let next = model.conditional_expected_transactions(x, tx, age, 52.0);
        assert!(
            (got.expected_transactions_next_year - next).abs() <= 1e-9 * next.max(1e-3),
            "{got:?}: {next}"
        );
        let value = spend.conditional_expected_value(x, c.monetary_value);
        assert_eq!(got.expected_average_value, value);
        let mut discounted = 0.0;
        let mut before = 0.0;
        for k in 1..=12 {
            let by_then = model.conditional_expected_transactions(x, tx, age, f64::from(k) * month);
            discounted += (by_then - before) / 1.01f64.powi(k);
            before = by_then;
        }
        let clv = discounted * value.unwrap() * 0.3;
        let got_clv = got.clv.unwrap();
        assert!(
            (got_clv - clv).abs() <= 1e-9 * clv.abs().max(1e-3),
            "{got:?}: {clv}"
        );
    }
    let calibration = summarize(sample(), calibration_end(), Some(holdout_end())).unwrap();
    for c in &calibration.customers {
        assert_eq!(
            p.customers
                .get(c.customer as usize)
                .unwrap()
                .holdout_transactions,
            c.holdout_transactions
        );
    }
    assert_eq!(p.customers.get(p.customers.len()), None);
}

/// The worker predicts from the analysis's orders grouped by customer: with a holdout (two
/// summaries from the base) and without, the prediction is the one made from the table; a
/// base that ends before the table's last day is not used.
#[test]
fn a_prediction_from_the_analysis_base_is_the_same() {
    use crate::analysis::customers::CustomerBase;
    let table = sample();
    // The worker's table is in customer order, and its base reads the orders there.
    let mut grouped = table.clone();
    grouped.group_by_customer();
    assert_ne!(grouped.orders, table.orders);
    for params in [
        ModelParams::new().with_calibration_end(Some(calibration_end())),
        ModelParams::new(),
    ] {
        let want = predict(table, &params).unwrap();
        for table in [table, &grouped] {
            assert_eq!(predict(table, &params).unwrap(), want);
            let whole = CustomerBase::new(table, None);
            let early = CustomerBase::new(table, Some(calibration_end()));
            for base in [&whole, &early] {
                assert_eq!(predict_with(table, Some(base), &params).unwrap(), want);
            }
        }
    }
}

/// A customer id beyond the table's keys is still a customer of its own (see
/// `OrderTable::customer_id_count`): its prediction keeps its holdout purchases.
#[test]
fn a_customer_beyond_the_keys_keeps_its_holdout_purchases() {
    let params = ModelParams::new().with_calibration_end(Some(calibration_end()));
    let want = predict(sample(), &params).unwrap();
    let last = want.customers.len() - 1;
    let holdout = want.customers.get(last).unwrap().holdout_transactions;
    let mut table = sample().clone();
    let busiest = (0..=last)
        .max_by_key(|&c| want.customers.get(c).map_or(0, |p| p.holdout_transactions))
        .unwrap();
    // The last key goes, and the busiest holdout customer takes the last id in its place.
    for order in &mut table.orders {
        if order.customer as usize == busiest {
            order.customer = last as u32;
        } else if order.customer as usize == last {
            order.customer = busiest as u32;
        }
    }
    table.customer_keys.pop();
    let got = predict(&table, &params).unwrap();
    let moved = want.customers.get(busiest).unwrap().holdout_transactions;
    assert!(moved > 0 && moved != holdout, "{moved} {holdout}");
    assert_eq!(got.customers.len(), last + 1);
    assert_eq!(got.customers.get(last).unwrap().holdout_transactions, moved);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn the_fit_beats_perturbed_points(
        which in 0usize..4,
        step in prop_oneof![-0.2f64..-0.001, 0.001f64..0.2],
    ) {
        let fit = bgnbd();
        let groups = group_customers(&calibration_summary().customers);
        let mut v = [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b];
        v[which] *= step.exp();
        let perturbed = BgNbdParams::new(v[0], v[1], v[2], v[3]).unwrap();
        prop_assert!(fit.log_likelihood >= bgnbd_log_likelihood(&perturbed, &groups));
    }
}

/// Pareto/NBD on the 39-week calibration: Fader & Hardie's "Implementing the Pareto/NBD
/// model" (note 008) give r = 0.5533, α = 10.578, s = 0.6062, β = 11.669.
fn pareto_nbd() -> &'static PurchaseFit {
    static FIT: OnceLock<PurchaseFit> = OnceLock::new();
    FIT.get_or_init(|| {
        fit_purchase_model(
            PurchaseModel::ParetoNbd,
            &group_customers(&calibration_summary().customers),
        )
        .unwrap()
    })
}

/// MBG/NBD on the same calibration: r = 0.5248, α = 6.183, a = 0.8914, b = 1.614 (the
/// figures of the reference implementations, e.g. Python `lifetimes`).
fn mbg_nbd() -> &'static PurchaseFit {
    static FIT: OnceLock<PurchaseFit> = OnceLock::new();
    FIT.get_or_init(|| {
        fit_purchase_model(
            PurchaseModel::MbgNbd,
            &group_customers(&calibration_summary().customers),
        )
        .unwrap()
    })
}

#[test]
fn pareto_nbd_fit_matches_the_published_estimates() {
    let fit = pareto_nbd();
    assert!(fit.converged, "{fit:?}");
    let got = fit.params.values();
    for (i, published) in [0.5533, 10.578, 0.6062, 11.669].into_iter().enumerate() {
        assert!(close(got[i], published), "{i}: {} vs {published}", got[i]);
    }
    // Note 008: LL = −9,594.98.
    assert!(
        (fit.log_likelihood + 9594.98).abs() < 0.1,
        "{}",
        fit.log_likelihood
    );
}

#[test]
fn mbg_nbd_fit_matches_the_published_estimates() {
    let fit = mbg_nbd();
    assert!(fit.converged, "{fit:?}");
    let got = fit.params.values();
    for (i, published) in [0.5248, 6.183, 0.8914, 1.614].into_iter().enumerate() {
        assert!(close(got[i], published), "{i}: {} vs {published}", got[i]);
    }
}

/// BG/NBD and MBG/NBD have their Hessian in closed form: their fits take Newton's method,
/// from the grid's best point in a few steps, and no more from a nearby fit's parameters (the
/// refit on the whole 78 weeks from the 39 weeks' fit, as a prediction with a holdout makes
/// it). Both reach the same maximum, and the standard errors from Newton's last Hessian are
/// those the differences of the analytic gradient give there.
#[test]
fn fits_with_a_closed_form_hessian_take_newtons_method() {
    let whole = summarize(sample(), holdout_end(), None).unwrap();
    let groups = group_customers(&whole.customers);
    let customers = whole.customers.len() as f64;
    for (model, near, objective) in [
        (
            PurchaseModel::BgNbd,
            PurchaseParams::BgNbd(bgnbd().params),
            BgNbdObjective::new(&groups),
        ),
        (
            PurchaseModel::MbgNbd,
            mbg_nbd().params,
            BgNbdObjective::mbg(&groups),
        ),
    ] {
        let grid = fit_purchase_model(model, &groups).unwrap();
        let refit = fit_purchase_model_near(model, &groups, Some(&near)).unwrap();
        assert!(grid.converged && refit.converged, "{model:?}");
        assert_eq!(
            (grid.optimizer, refit.optimizer),
            (Optimizer::Newton, Optimizer::Newton)
        );
        assert!(
            refit.iterations <= grid.iterations,
            "{model:?}: {} vs {}",
            refit.iterations,
            grid.iterations
        );
        assert!((refit.log_likelihood - grid.log_likelihood).abs() < 1e-8);
        let values = refit.params.values().into_iter().zip(grid.params.values());
        for (a, b) in values {
            assert!((a - b).abs() < 1e-7 * b, "{model:?}: {a} vs {b}");
        }
        let theta: Vec<f64> = refit.params.values().iter().map(|v| v.ln()).collect();
        let differenced = differenced_hessian(&objective, &theta, customers);
        let covariance = invert_positive_definite(&differenced).unwrap();
        for i in 0..4 {
            let by_differences = theta[i].exp() * covariance[i][i].sqrt();
            let by_newton = refit.standard_errors[i].unwrap();
            assert!(
                (by_newton - by_differences).abs() < 1e-5 * by_differences,
                "{model:?} {i}: {by_newton} vs {by_differences}"
            );
        }
    }
}

/// The spend model's refit on the whole 78 weeks starts from its 39 weeks' fit: Newton's
/// method (its Hessian is in closed form) in fewer steps than from the fixed start, to the
/// same maximum and standard errors.
#[test]
fn the_spend_refit_starts_from_the_calibration_fit() {
    let whole = summarize(sample(), holdout_end(), None).unwrap();
    let calibration = fit_gamma_gamma(&calibration_summary().customers).unwrap();
    let plain = fit_gamma_gamma(&whole.customers).unwrap();
    let near = fit_gamma_gamma_near(&whole.customers, Some(&calibration.params)).unwrap();
    assert_eq!(
        (calibration.optimizer, plain.optimizer, near.optimizer),
        (Optimizer::Newton, Optimizer::Newton, Optimizer::Newton)
    );
    assert!(
        near.iterations < plain.iterations,
        "{} vs {}",
        near.iterations,
        plain.iterations
    );
    assert!((near.log_likelihood - plain.log_likelihood).abs() < 1e-8);
    let pairs = [
        (near.params.p, plain.params.p),
        (near.params.q, plain.params.q),
        (near.params.gamma, plain.params.gamma),
        (near.standard_errors.p, plain.standard_errors.p),
        (near.standard_errors.q, plain.standard_errors.q),
        (near.standard_errors.gamma, plain.standard_errors.gamma),
    ];
    for (a, b) in pairs {
        assert!((a - b).abs() < 1e-7 * b, "{a} vs {b}");
    }
}
