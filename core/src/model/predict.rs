//! The one entry point for the worker: [`predict`] fits both models and predicts every
//! customer, with validation and trust warnings.

use serde::{Deserialize, Serialize};

use super::bgnbd::{fit_bgnbd, BgNbdFit};
use super::clv::{discount_monthly, month_ends, WEEKS_PER_MONTH};
use super::error::{ModelError, ModelErrorKind, ModelName};
use super::gamma_gamma::{fit_gamma_gamma, GammaGammaFit};
use super::holdout::{for_each_rfm_group, validate_holdout, HoldoutValidation, SharedByAge};
use super::summary::{group_customers, summarize};
use super::warnings::{
    TrustWarning, MAX_HOLDOUT_GAP, MAX_RELATIVE_STANDARD_ERROR, RECOMMENDED_HISTORY_WEEKS,
    RECOMMENDED_REPEAT_CUSTOMERS,
};
use crate::orders::{Day, OrderTable};

/// Weeks of 「今後1年の予想購入回数」.
pub const NEXT_YEAR_WEEKS: f64 = 52.0;
/// Longest horizon accepted, in months.
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// Settings of a prediction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelParams {
    /// 学習期間の終わり (inclusive). `None`: the last order day, fit on everything, no
    /// holdout. `Some(day)`: fit on orders up to `day`, validate on the orders after it.
    pub calibration_end: Option<Day>,
    /// 予測期間 in months of 52/12 weeks (12 or 24 in the UI; 1 to 120 accepted).
    pub horizon_months: u32,
    /// 月次割引率 (0.01 = 1 % a month), 0 ≤ d < 1.
    pub monthly_discount: f64,
    /// 利益率 for 粗利ベースの予測LTV, 0 < m ≤ 1; `None` for revenue.
    pub margin: Option<f64>,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            calibration_end: None,
            horizon_months: 12,
            monthly_discount: 0.01,
            margin: None,
        }
    }
}

impl ModelParams {
    /// The defaults: no holdout, 12 months, 1 % a month, revenue basis.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fit up to `day` and validate on the rest (`None`: fit on everything).
    pub fn with_calibration_end(mut self, day: Option<Day>) -> Self {
        self.calibration_end = day;
        self
    }

    /// Horizon in months.
    ///
    /// # Errors
    /// [`ModelErrorKind::InvalidParameter`] outside 1..=[`MAX_HORIZON_MONTHS`].
    pub fn with_horizon_months(mut self, months: u32) -> Result<Self, ModelError> {
        self.horizon_months = months;
        self.validate().map(|_| self)
    }

    /// Monthly discount rate.
    ///
    /// # Errors
    /// [`ModelErrorKind::InvalidParameter`] outside [0, 1).
    pub fn with_monthly_discount(mut self, rate: f64) -> Result<Self, ModelError> {
        self.monthly_discount = rate;
        self.validate().map(|_| self)
    }

    /// Margin rate (`None`: revenue).
    ///
    /// # Errors
    /// [`ModelErrorKind::InvalidParameter`] outside (0, 1].
    pub fn with_margin(mut self, margin: Option<f64>) -> Result<Self, ModelError> {
        self.margin = margin;
        self.validate().map(|_| self)
    }

    /// Check every setting.
    ///
    /// # Errors
    /// [`ModelErrorKind::InvalidParameter`] naming the first bad setting.
    pub fn validate(&self) -> Result<(), ModelError> {
        if !(1..=MAX_HORIZON_MONTHS).contains(&self.horizon_months) {
            return Err(ModelError::invalid(
                "horizon_months",
                f64::from(self.horizon_months),
            ));
        }
        if !(0.0..1.0).contains(&self.monthly_discount) {
            return Err(ModelError::invalid(
                "monthly_discount",
                self.monthly_discount,
            ));
        }
        if let Some(m) = self.margin {
            if !(m > 0.0 && m <= 1.0) {
                return Err(ModelError::invalid("margin", m));
            }
        }
        Ok(())
    }
}

/// One customer's predictions, as of the calibration end day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerPrediction {
    pub customer: u32,
    /// x: repeat transactions in the calibration period.
    pub frequency: u64,
    /// tₓ in weeks.
    pub recency_weeks: f64,
    /// T in weeks.
    pub age_weeks: f64,
    /// Mean value of the repeat transactions (0 without repeats).
    pub monetary_value: f64,
    /// まだ顧客でいる確率: P(alive).
    pub p_alive: f64,
    /// 今後1年の予想購入回数: E[Y(52 weeks)].
    pub expected_transactions_next_year: f64,
    /// Expected transactions over the horizon (undiscounted).
    pub expected_transactions_horizon: f64,
    /// 予想平均注文額: E[M | x, m̄]; `None` without a spend model (or q ≤ 1 and no repeats).
    pub expected_average_value: Option<f64>,
    /// 予測LTV over the horizon, discounted, × margin when given.
    pub clv: Option<f64>,
    /// Transactions in the holdout (0 without one).
    pub holdout_transactions: u64,
}

/// Totals over the predicted customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictionTotals {
    pub customers: u64,
    pub repeat_customers: u64,
    /// Σ P(alive): the expected number of customers still active.
    pub expected_active_customers: f64,
    pub expected_transactions_next_year: f64,
    pub expected_transactions_horizon: f64,
    /// Σ 予測LTV over customers that have one.
    pub clv: Option<f64>,
}

/// Everything the 予測LTV view shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The settings used.
    pub settings: ModelParams,
    pub calibration_start: Day,
    pub calibration_end: Day,
    pub holdout_end: Option<Day>,
    pub bgnbd: BgNbdFit,
    /// The spend model, or why there is none (the purchase predictions stand either way).
    pub gamma_gamma: Result<GammaGammaFit, ModelError>,
    /// Indexed by customer id; `None` for customers not modelled (first purchase after the
    /// calibration end, or no purchase at all).
    pub customers: Vec<Option<CustomerPrediction>>,
    pub totals: PredictionTotals,
    /// Predicted against actual in the holdout, when there is one.
    pub validation: Option<HoldoutValidation>,
    pub warnings: Vec<TrustWarning>,
}

/// Fit BG/NBD and Gamma-Gamma on an order table and predict every customer.
///
/// Per customer (as of the calibration end): P(alive), expected transactions in the next
/// 52 weeks and over the horizon, expected average order value, and 予測LTV =
/// Σₖ (expected transactions in month k) × E[M] × margin / (1 + d)ᵏ, months of 52/12 weeks.
///
/// # Errors
/// Bad settings, no customers, and a BG/NBD fit that fails ([`ModelErrorKind`]). A failed
/// Gamma-Gamma fit is not an error: it is reported in [`Prediction::gamma_gamma`] and the
/// spend figures are `None`.
///
/// # Examples
/// ```
/// use ltv_core::model::{predict, ModelParams, TrustWarning};
/// use ltv_core::orders::{Order, OrderTable};
/// // 100 customers: frequent, lapsed after three orders, slow, and one-off buyers.
/// let mut orders = Vec::new();
/// for c in 0..100u32 {
///     let first = (c % 50) as i32;
///     let (gap, repeats) = match c % 5 { 0 => (20, 15), 1 => (40, 3), 3 => (60, 5), _ => (0, 0) };
///     for k in 0..=repeats {
///         let amount = f64::from(1000 + 150 * (c % 40)) * (0.6 + 0.1 * f64::from((c + 3 * k) % 9));
///         orders.push(Order { customer: c, day: first + gap * k as i32, amount });
///     }
/// }
/// let table = OrderTable {
///     customer_keys: (0..100).map(|c| c.to_string()).collect(),
///     orders,
///     ..Default::default()
/// };
/// let settings = ModelParams::new().with_horizon_months(24)?.with_margin(Some(0.4))?;
/// let prediction = predict(&table, &settings)?;
/// assert_eq!((prediction.bgnbd.customers, prediction.bgnbd.repeat_customers), (100, 60));
/// let lapsed = prediction.customers[1].as_ref().unwrap();
/// let frequent = prediction.customers[0].as_ref().unwrap();
/// assert!(lapsed.p_alive < frequent.p_alive);
/// assert!(frequent.clv.unwrap() > lapsed.clv.unwrap());
/// // Fewer than 100 repeat customers: the UI says so.
/// assert!(matches!(prediction.warnings[0], TrustWarning::FewRepeatCustomers { count: 60, .. }));
/// # Ok::<(), ltv_core::model::ModelError>(())
/// ```
pub fn predict(table: &OrderTable, params: &ModelParams) -> Result<Prediction, ModelError> {
    params.validate()?;
    let Some((_, last_day)) = table.date_range() else {
        return Err(ModelErrorKind::NoCustomers {
            calibration_end: params.calibration_end.unwrap_or(0),
        }
        .into());
    };
    let calibration_end = params.calibration_end.unwrap_or(last_day);
    let holdout_end =
        (params.calibration_end.is_some() && last_day > calibration_end).then_some(last_day);
    let summary = summarize(table, calibration_end, holdout_end)?;
    let bgnbd = fit_bgnbd(&group_customers(&summary.customers))?;
    let gamma_gamma = fit_gamma_gamma(&summary.customers);
    let spend = gamma_gamma.as_ref().ok().map(|f| f.params);
    let margin = params.margin.unwrap_or(1.0);
    let horizon_weeks = f64::from(params.horizon_months) * WEEKS_PER_MONTH;

    let n_customers = table.customer_keys.len().max(
        summary
            .customers
            .iter()
            .map(|c| c.customer as usize + 1)
            .max()
            .unwrap_or(0),
    );
    let mut customers: Vec<Option<CustomerPrediction>> = vec![None; n_customers];
    let bg = bgnbd.params;
    // One series pass per (x, T) gives the next year, the horizon and every month end.
    let mut ts = vec![NEXT_YEAR_WEEKS, horizon_weeks];
    ts.extend(month_ends(params.horizon_months));
    let mut shared = SharedByAge::new(&bg, ts);
    for_each_rfm_group(&summary.customers, |members| {
        let c = members[0];
        let (tx, age) = (c.recency_weeks(), c.age_weeks());
        let p_alive = bg.probability_alive(c.frequency, tx, age);
        let brackets = shared.get(c);
        let next = [brackets[0] * p_alive, brackets[1] * p_alive];
        let discounted = discount_monthly(&brackets[2..], params.monthly_discount) * p_alive;
        for m in members {
            let expected_average_value =
                spend.and_then(|s| s.conditional_expected_value(m.frequency, m.monetary_value));
            customers[m.customer as usize] = Some(CustomerPrediction {
                customer: m.customer,
                frequency: m.frequency,
                recency_weeks: tx,
                age_weeks: age,
                monetary_value: m.monetary_value,
                p_alive,
                expected_transactions_next_year: next[0],
                expected_transactions_horizon: next[1],
                expected_average_value,
                clv: expected_average_value.map(|v| discounted * v * margin),
                holdout_transactions: m.holdout_transactions,
            });
        }
    });

    let predicted = || customers.iter().flatten();
    let clvs: Vec<f64> = predicted().filter_map(|c| c.clv).collect();
    let totals = PredictionTotals {
        customers: summary.customers.len() as u64,
        repeat_customers: summary.repeat_customers(),
        expected_active_customers: predicted().map(|c| c.p_alive).sum(),
        expected_transactions_next_year: predicted()
            .map(|c| c.expected_transactions_next_year)
            .sum(),
        expected_transactions_horizon: predicted().map(|c| c.expected_transactions_horizon).sum(),
        clv: (!clvs.is_empty()).then(|| clvs.iter().sum()),
    };
    let validation = validate_holdout(&summary, &bg);

    let mut warnings = Vec::new();
    if bgnbd.repeat_customers < RECOMMENDED_REPEAT_CUSTOMERS {
        warnings.push(TrustWarning::FewRepeatCustomers {
            count: bgnbd.repeat_customers,
            recommended: RECOMMENDED_REPEAT_CUSTOMERS,
        });
    }
    let history = f64::from(calibration_end - summary.calibration_start) / 7.0;
    if history < RECOMMENDED_HISTORY_WEEKS {
        warnings.push(TrustWarning::ShortHistory { weeks: history });
    }
    parameter_warnings(
        ModelName::BgNbd,
        {
            let se = bgnbd.standard_errors;
            &[
                ("r", bg.r, se.r),
                ("α", bg.alpha, se.alpha),
                ("a", bg.a, se.a),
                ("b", bg.b, se.b),
            ]
        },
        &mut warnings,
    );
    match &gamma_gamma {
        Ok(fit) => {
            let p = fit.params;
            parameter_warnings(
                ModelName::GammaGamma,
                {
                    let se = fit.standard_errors;
                    &[("p", p.p, se.p), ("q", p.q, se.q), ("γ", p.gamma, se.gamma)]
                },
                &mut warnings,
            );
            if fit.excluded_non_positive > 0 {
                warnings.push(TrustWarning::SpendExcluded {
                    count: fit.excluded_non_positive,
                });
            }
            if p.mean_transaction_value().is_none() {
                warnings.push(TrustWarning::UnboundedMeanSpend);
            }
        }
        Err(e) => warnings.push(TrustWarning::NoSpendModel {
            reason: e.message(),
        }),
    }
    if summary.return_only_days > 0 {
        warnings.push(TrustWarning::ReturnOnlyDays {
            count: summary.return_only_days,
        });
    }
    if summary.customers_after_calibration > 0 {
        warnings.push(TrustWarning::CustomersAfterCalibration {
            count: summary.customers_after_calibration,
        });
    }
    if params.calibration_end.is_some() && holdout_end.is_none() {
        warnings.push(TrustWarning::EmptyHoldout);
    }
    if let Some(v) = &validation {
        let actual = v.actual_holdout as f64;
        let gap = (v.conditional_expected_holdout - actual).abs() / actual.max(1.0);
        if gap > MAX_HOLDOUT_GAP {
            warnings.push(TrustWarning::HoldoutGap {
                predicted: v.conditional_expected_holdout,
                actual: v.actual_holdout,
            });
        }
    }

    Ok(Prediction {
        settings: params.clone(),
        calibration_start: summary.calibration_start,
        calibration_end,
        holdout_end,
        bgnbd,
        gamma_gamma,
        customers,
        totals,
        validation,
        warnings,
    })
}

fn parameter_warnings(
    model: ModelName,
    estimates: &[(&str, f64, f64)],
    warnings: &mut Vec<TrustWarning>,
) {
    for &(name, value, se) in estimates {
        let relative_error = se / value;
        if relative_error > MAX_RELATIVE_STANDARD_ERROR {
            warnings.push(TrustWarning::UncertainParameter {
                model,
                parameter: name.to_string(),
                relative_error,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::Order;

    #[test]
    fn settings_cases() {
        assert!(ModelParams::new().validate().is_ok());
        let bad: Vec<(&str, Result<ModelParams, ModelError>)> = vec![
            ("horizon 0", ModelParams::new().with_horizon_months(0)),
            ("horizon 121", ModelParams::new().with_horizon_months(121)),
            (
                "discount −1 %",
                ModelParams::new().with_monthly_discount(-0.01),
            ),
            (
                "discount 100 %",
                ModelParams::new().with_monthly_discount(1.0),
            ),
            (
                "discount NaN",
                ModelParams::new().with_monthly_discount(f64::NAN),
            ),
            ("margin 0", ModelParams::new().with_margin(Some(0.0))),
            ("margin 150 %", ModelParams::new().with_margin(Some(1.5))),
        ];
        for (name, r) in bad {
            assert!(
                matches!(
                    r.unwrap_err().kind(),
                    ModelErrorKind::InvalidParameter { .. }
                ),
                "{name}"
            );
        }
        let good = ModelParams::new()
            .with_horizon_months(24)
            .and_then(|p| p.with_monthly_discount(0.0))
            .and_then(|p| p.with_margin(Some(0.4)))
            .unwrap();
        assert_eq!((good.horizon_months, good.margin), (24, Some(0.4)));
    }

    #[test]
    fn degenerate_tables_are_errors() {
        let one = OrderTable {
            customer_keys: vec!["a".into()],
            orders: vec![
                Order {
                    customer: 0,
                    day: 0,
                    amount: 1.0,
                },
                Order {
                    customer: 0,
                    day: 10,
                    amount: 1.0,
                },
            ],
            ..Default::default()
        };
        let kind = |t: &OrderTable| predict(t, &ModelParams::new()).unwrap_err().kind().clone();
        assert!(matches!(
            kind(&OrderTable::default()),
            ModelErrorKind::NoCustomers { .. }
        ));
        assert!(matches!(
            kind(&one),
            ModelErrorKind::TooFewCustomers { count: 1, .. }
        ));
        let no_repeats = OrderTable {
            customer_keys: vec!["a".into(), "b".into()],
            orders: vec![
                Order {
                    customer: 0,
                    day: 0,
                    amount: 1.0,
                },
                Order {
                    customer: 1,
                    day: 10,
                    amount: 1.0,
                },
            ],
            ..Default::default()
        };
        assert_eq!(kind(&no_repeats), ModelErrorKind::NoRepeatCustomers);
    }
}
