//! The one entry point for the worker: [`predict`] fits both models and predicts every
//! customer, with validation and trust warnings.

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbdFit;
use super::clv::{discount_monthly, month_ends, WEEKS_PER_MONTH};
use super::error::{ModelError, ModelErrorKind, ModelName};
use super::gamma_gamma::{fit_gamma_gamma, fit_gamma_gamma_near, GammaGammaFit};
use super::holdout::{
    validate_holdout_in, FrequencyBucket, HoldoutValidation, RfmOrder, SharedByAge,
};
use super::per_customer::{CustomerPredictions, GroupFigures};
use super::purchase::{
    fit_purchase_model, fit_purchase_model_near, AliveAtDays, PurchaseFit, PurchaseModel,
    PurchaseParams,
};
use super::summary::{
    group_customers, groups_shaped, summarize_shaped, RfmSummary, SummaryGroup, TableShape,
};
use super::warnings::{
    TrustWarning, MAX_HOLDOUT_GAP, MAX_RELATIVE_STANDARD_ERROR, RECOMMENDED_HISTORY_WEEKS,
    RECOMMENDED_REPEAT_CUSTOMERS,
};
use crate::analysis::customers::CustomerBase;
use crate::orders::{Day, OrderTable};

/// Weeks of 「今後1年の予想購入回数」.
pub const NEXT_YEAR_WEEKS: f64 = 52.0;
/// Longest horizon accepted, in months.
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// Settings of a prediction. Built with [`ModelParams::new`] and the `with_` methods (those
/// that can be wrong check their value), read with the getters; settings read back (serde)
/// are checked the same way, so a `ModelParams` is always valid.
///
/// # Examples
/// ```
/// use ltv_core::model::ModelParams;
/// let p = ModelParams::new().with_horizon_months(24).unwrap();
/// assert_eq!((p.horizon_months(), p.monthly_discount()), (24, 0.01));
/// assert!(p.with_monthly_discount(1.5).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ModelSettings")]
pub struct ModelParams {
    calibration_end: Option<Day>,
    horizon_months: u32,
    monthly_discount: f64,
    margin: Option<f64>,
    #[serde(default)]
    model: Option<PurchaseModel>,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            calibration_end: None,
            horizon_months: 12,
            monthly_discount: 0.01,
            margin: None,
            model: None,
        }
    }
}

/// The fields of [`ModelParams`] as read, before they are checked.
#[derive(Deserialize)]
struct ModelSettings {
    calibration_end: Option<Day>,
    horizon_months: u32,
    monthly_discount: f64,
    margin: Option<f64>,
    #[serde(default)]
    model: Option<PurchaseModel>,
}

impl TryFrom<ModelSettings> for ModelParams {
    type Error = ModelError;

    fn try_from(s: ModelSettings) -> Result<Self, ModelError> {
        let params = ModelParams {
            calibration_end: s.calibration_end,
            horizon_months: s.horizon_months,
            monthly_discount: s.monthly_discount,
            margin: s.margin,
            model: s.model,
        };
        params.validate().map(|()| params)
    }
}

impl ModelParams {
    /// The defaults: no holdout, 12 months, 1 % a month, revenue basis.
    pub fn new() -> Self {
        Self::default()
    }

    /// Force a model of purchase counts (`None`: choose, see [`choose_model`]).
    pub fn with_model(mut self, model: Option<PurchaseModel>) -> Self {
        self.model = model;
        self
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

    /// 学習期間の終わり (inclusive). `None`: the last order day, fit on everything, no
    /// holdout. `Some(day)`: fit on orders up to `day`, validate on the orders after it.
    pub fn calibration_end(&self) -> Option<Day> {
        self.calibration_end
    }

    /// 予測期間 in months of 52/12 weeks (12 or 24 in the UI; 1 to 120 accepted).
    pub fn horizon_months(&self) -> u32 {
        self.horizon_months
    }

    /// 月次割引率 (0.01 = 1 % a month), 0 ≤ d < 1.
    pub fn monthly_discount(&self) -> f64 {
        self.monthly_discount
    }

    /// 利益率 for 粗利ベースの予測LTV, 0 < m ≤ 1; `None` for revenue.
    pub fn margin(&self) -> Option<f64> {
        self.margin
    }

    /// The model of purchase counts; `None`: chosen on the holdout, or by BIC without one
    /// (see [`choose_model`]).
    pub fn model(&self) -> Option<PurchaseModel> {
        self.model
    }

    /// Checks every setting.
    ///
    /// # Errors
    /// [`ModelErrorKind::InvalidParameter`] naming the first bad setting.
    fn validate(&self) -> Result<(), ModelError> {
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
    /// 予測売上（今後1年）: Σ expected transactions next year × expected order value, over the
    /// customers with a spend prediction; `None` without a spend model.
    #[serde(default)]
    pub revenue_next_year: Option<f64>,
}

impl PredictionTotals {
    /// The sums over the predicted customers, in one pass in id order; each sum is added up
    /// as `Iterator::sum` adds it, from its starting value.
    fn of(customers: &CustomerPredictions, count: u64, repeat_customers: u64) -> Self {
        let start: f64 = std::iter::empty::<f64>().sum();
        let mut totals = PredictionTotals {
            customers: count,
            repeat_customers,
            expected_active_customers: start,
            expected_transactions_next_year: start,
            expected_transactions_horizon: start,
            clv: None,
            revenue_next_year: None,
        };
        let add = |sum: &mut Option<f64>, v: f64| *sum = Some(sum.unwrap_or(start) + v);
        for c in customers.iter().flatten() {
            totals.expected_active_customers += c.p_alive;
            totals.expected_transactions_next_year += c.expected_transactions_next_year;
            totals.expected_transactions_horizon += c.expected_transactions_horizon;
            if let Some(clv) = c.clv {
                add(&mut totals.clv, clv);
            }
            if let Some(value) = c.expected_average_value {
                add(
                    &mut totals.revenue_next_year,
                    value * c.expected_transactions_next_year,
                );
            }
        }
        totals
    }
}

/// How the model of purchase counts was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelChoice {
    /// Smallest absolute error of total repeat purchases in the holdout.
    Holdout,
    /// Smallest BIC on the whole history (no holdout).
    Bic,
    /// Chosen by the user ([`ModelParams::with_model`]).
    User,
}

impl ModelChoice {
    /// The key in JSON exports: `holdout`, `bic`, `user`.
    pub fn json_name(self) -> &'static str {
        match self {
            ModelChoice::Holdout => "holdout",
            ModelChoice::Bic => "bic",
            ModelChoice::User => "user",
        }
    }
}

/// One model's figures in the holdout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldoutComparison {
    /// Σ E[Y(holdout) | x, tₓ, T] over the calibration customers.
    pub predicted: f64,
    /// Their actual repeat purchases in the holdout.
    pub actual: u64,
    /// 100 · (predicted − actual) / actual (actual < 1 counts as 1).
    pub error_percent: f64,
    /// Mean predicted against actual by repeat purchases in the calibration (x = 0, 1, …, 7+).
    pub by_frequency: Vec<FrequencyBucket>,
}

/// One model of purchase counts fitted on the calibration period, with its holdout figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelComparison {
    pub model: PurchaseModel,
    /// The fit on the calibration period (parameters, LL, BIC, boundary notes), or why
    /// there is none.
    pub fit: Result<PurchaseFit, ModelError>,
    /// `None` without a holdout or without a fit.
    pub holdout: Option<HoldoutComparison>,
}

impl ModelComparison {
    /// |predicted − actual| total holdout repeat purchases.
    pub fn holdout_abs_error(&self) -> Option<f64> {
        self.holdout
            .as_ref()
            .map(|h| (h.predicted - h.actual as f64).abs())
    }
}

/// The rule that picks the model: with holdout figures, the smallest absolute error of
/// total holdout repeat purchases; without, the smallest BIC on the calibration period.
/// Only models with a fit take part; on a tie (within 10⁻⁹ relative) the model with fewer
/// parameters wins, then the first in [`PurchaseModel::ALL`] (BG/NBD). `None` when no
/// model has a fit.
///
/// # Examples
/// ```
/// use ltv_core::model::{choose_model, ModelChoice, ModelComparison};
/// let rows: Vec<ModelComparison> = Vec::new();
/// assert_eq!(choose_model(&rows), None::<(ltv_core::model::PurchaseModel, ModelChoice)>);
/// ```
pub fn choose_model(rows: &[ModelComparison]) -> Option<(PurchaseModel, ModelChoice)> {
    let fitted: Vec<&ModelComparison> = rows.iter().filter(|r| r.fit.is_ok()).collect();
    let by_holdout = fitted.iter().any(|r| r.holdout.is_some());
    let score = |r: &ModelComparison| -> f64 {
        if by_holdout {
            r.holdout_abs_error().unwrap_or(f64::INFINITY)
        } else {
            r.fit.as_ref().map(|f| f.bic).unwrap_or(f64::INFINITY)
        }
    };
    let rank = |m: PurchaseModel| PurchaseModel::ALL.iter().position(|&x| x == m);
    let best = fitted.into_iter().min_by(|a, b| {
        let (sa, sb) = (score(a), score(b));
        let tie = (sa - sb).abs() <= 1e-9 * sa.abs().max(sb.abs()) || sa == sb;
        if tie {
            (a.model.parameter_count(), rank(a.model))
                .cmp(&(b.model.parameter_count(), rank(b.model)))
        } else {
            sa.total_cmp(&sb)
        }
    })?;
    let choice = if by_holdout {
        ModelChoice::Holdout
    } else {
        ModelChoice::Bic
    };
    Some((best.model, choice))
}

/// Everything the 予測LTV view shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The settings used.
    pub settings: ModelParams,
    pub calibration_start: Day,
    pub calibration_end: Day,
    pub holdout_end: Option<Day>,
    /// BG/NBD fitted on the calibration period (the whole history without a holdout),
    /// whichever model was chosen.
    pub bgnbd: BgNbdFit,
    /// The model of purchase counts the predictions use.
    pub model: PurchaseModel,
    /// How it was chosen.
    pub model_choice: ModelChoice,
    /// The chosen model's fit that the predictions use: on the whole history (refitted after
    /// the holdout comparison when there is a holdout). Its `boundary` notes say when the
    /// likelihood ran to a boundary.
    pub purchase_fit: PurchaseFit,
    /// Every model fitted on the calibration period, with its holdout figures.
    pub comparison: Vec<ModelComparison>,
    /// The last day of the history the customer predictions are made from: the last order
    /// day (the calibration end without a holdout).
    pub predicted_as_of: Day,
    /// The spend model, or why there is none (the purchase predictions stand either way).
    pub gamma_gamma: Result<GammaGammaFit, ModelError>,
    /// The spend model as fitted on the 学習期間 alone, when the predictions were refitted on
    /// the whole history (a holdout): beside the purchase models' calibration fits in
    /// [`Prediction::comparison`], for reading against published figures.
    #[serde(default)]
    pub gamma_gamma_calibration: Option<Result<GammaGammaFit, ModelError>>,
    /// Indexed by customer id; none for customers not modelled (no purchase by
    /// [`Self::predicted_as_of`]).
    pub customers: CustomerPredictions,
    pub totals: PredictionTotals,
    /// The chosen model's predicted against actual in the holdout, when there is one.
    pub validation: Option<HoldoutValidation>,
    pub warnings: Vec<TrustWarning>,
}

impl Prediction {
    /// The prediction as a page shows it: the fits, totals, validation and warnings, without
    /// the per-customer predictions (the caller keeps those for the exports). They are not
    /// copied.
    pub fn without_customers(&self) -> Prediction {
        Prediction {
            settings: self.settings.clone(),
            calibration_start: self.calibration_start,
            calibration_end: self.calibration_end,
            holdout_end: self.holdout_end,
            bgnbd: self.bgnbd.clone(),
            model: self.model,
            model_choice: self.model_choice,
            purchase_fit: self.purchase_fit.clone(),
            comparison: self.comparison.clone(),
            predicted_as_of: self.predicted_as_of,
            gamma_gamma: self.gamma_gamma.clone(),
            gamma_gamma_calibration: self.gamma_gamma_calibration.clone(),
            customers: CustomerPredictions::default(),
            totals: self.totals.clone(),
            validation: self.validation.clone(),
            warnings: self.warnings.clone(),
        }
    }
}

/// Fit the three models of purchase counts (BG/NBD, Pareto/NBD, MBG/NBD) and Gamma-Gamma on
/// an order table, choose the purchase model, and predict every customer.
///
/// Choosing ([`choose_model`]): each model is fitted on the calibration period. With a
/// holdout (`calibration_end` set and orders after it) the model whose total holdout repeat
/// purchases are closest to the actual is chosen, and refitted on the whole history for the
/// predictions; without one, the smallest BIC. [`ModelParams::with_model`] forces a model.
///
/// Per customer (as of [`Prediction::predicted_as_of`]): P(alive), expected transactions in
/// the next 52 weeks and over the horizon, expected average order value, and 予測LTV =
/// Σₖ (expected transactions in month k) × E[M] × margin / (1 + d)ᵏ, months of 52/12 weeks.
///
/// # Errors
/// Bad settings, no customers, no repeat customers, and a purchase model whose likelihood
/// is nowhere finite ([`ModelErrorKind`]); a fit that runs to a boundary is not an error
/// (see [`PurchaseFit::boundary`]). A failed Gamma-Gamma fit is not an error either: it is
/// reported in [`Prediction::gamma_gamma`] and the spend figures are `None`.
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
/// assert_eq!(prediction.comparison.len(), 3);
/// let lapsed = prediction.customers.get(1).unwrap();
/// let frequent = prediction.customers.get(0).unwrap();
/// assert!(lapsed.p_alive < frequent.p_alive);
/// assert!(frequent.clv.unwrap() > lapsed.clv.unwrap());
/// // Fewer than 100 repeat customers: the UI says so.
/// assert!(matches!(prediction.warnings[0], TrustWarning::FewRepeatCustomers { count: 60, .. }));
/// # Ok::<(), ltv_core::model::ModelError>(())
/// ```
pub fn predict(table: &OrderTable, params: &ModelParams) -> Result<Prediction, ModelError> {
    predict_with(table, None, params)
}

/// [`predict`], with the analysis's orders grouped by customer (`base`) to read the orders
/// from instead of grouping the table again, when the base reaches the table's last day. The
/// prediction is the same either way.
pub fn predict_with(
    table: &OrderTable,
    base: Option<&CustomerBase>,
    params: &ModelParams,
) -> Result<Prediction, ModelError> {
    start_prediction(table, base, params)?.finish(table, base)
}

/// A prediction begun: the calibration period summarised and grouped, the purchase models
/// not yet fitted. Their fits are independent of each other, so they can be made elsewhere
/// (another worker) from [`PredictionStart::groups`] while this one goes on, and handed in
/// with [`PredictionStart::add_fit`] (each is compared on the holdout as it comes).
/// [`PredictionStart::finish`] makes the fits not handed in, and the rest. Started and
/// finished on the same table and base, the prediction is [`predict_with`]'s.
#[derive(Debug)]
pub struct PredictionStart {
    params: ModelParams,
    shape: TableShape,
    last_day: Day,
    calibration_end: Day,
    holdout_end: Option<Day>,
    customers: CustomerPredictions,
    summary: RfmSummary,
    groups: Vec<SummaryGroup>,
    /// The fits handed in, each compared on the holdout as it came.
    compared: Vec<(ModelComparison, Option<HoldoutValidation>)>,
    /// The calibration customers' order for the comparisons, once the first is made.
    rfm_order: Option<RfmOrder>,
    /// The spend model on the calibration period, when fitted ahead
    /// ([`PredictionStart::fit_spend_ahead`]).
    spend_calibration: Option<Result<GammaGammaFit, ModelError>>,
}

/// A fit compared on the calibration summary's holdout; `order` is the summary's customers'
/// [`RfmOrder`], made on the first comparison and kept for the others.
fn compare(
    summary: &RfmSummary,
    order: &mut Option<RfmOrder>,
    model: PurchaseModel,
    fit: Result<PurchaseFit, ModelError>,
) -> (ModelComparison, Option<HoldoutValidation>) {
    let validation = fit.as_ref().ok().and_then(|f| {
        summary.holdout_end?;
        let order = order.get_or_insert_with(|| RfmOrder::of(&summary.customers));
        validate_holdout_in(summary, order, &f.params)
    });
    let holdout = validation.as_ref().map(|v| {
        let actual = v.actual_holdout;
        HoldoutComparison {
            predicted: v.conditional_expected_holdout,
            actual,
            error_percent: 100.0 * (v.conditional_expected_holdout - actual as f64)
                / (actual as f64).max(1.0),
            by_frequency: v.by_frequency.clone(),
        }
    });
    let row = ModelComparison {
        model,
        fit,
        holdout,
    };
    (row, validation)
}

/// Begins [`predict_with`]: checks the settings and the table, and summarises the
/// calibration period.
///
/// # Errors
/// As [`predict`], for what is known before the fits.
pub fn start_prediction(
    table: &OrderTable,
    base: Option<&CustomerBase>,
    params: &ModelParams,
) -> Result<PredictionStart, ModelError> {
    params.validate()?;
    // Returns are not purchases: an export of nothing but returns has no customer to model,
    // and saying "no customer" would name the wrong cause.
    if !table.orders.is_empty() && table.orders.iter().all(|o| o.amount < 0.0) {
        return Err(ModelErrorKind::OnlyReturns {
            orders: table.orders.len() as u64,
        }
        .into());
    }
    let shape = TableShape::of(table);
    let Some((_, last_day)) = shape.span else {
        return Err(ModelErrorKind::NoCustomers {
            calibration_end: params.calibration_end.unwrap_or(0),
        }
        .into());
    };
    let calibration_end = params.calibration_end.unwrap_or(last_day);
    let holdout_end =
        (params.calibration_end.is_some() && last_day > calibration_end).then_some(last_day);
    // The predictions, one a customer id, are the largest block of the run and are kept:
    // made first, they take a hole the import left rather than the top of a memory that
    // never shrinks (in the browser), and the passing summaries fill the holes after them.
    let customers = CustomerPredictions::with_ids(shape.ids);
    let summary = summarize_shaped(table, &shape, base, calibration_end, holdout_end)?;
    let groups = group_customers(&summary.customers);
    Ok(PredictionStart {
        params: params.clone(),
        shape,
        last_day,
        calibration_end,
        holdout_end,
        customers,
        summary,
        groups,
        compared: Vec::new(),
        rfm_order: None,
        spend_calibration: None,
    })
}

impl PredictionStart {
    /// The calibration period's customers grouped by (x, tₓ, T): what each purchase model
    /// is fitted on ([`fit_purchase_model`]).
    pub fn groups(&self) -> &[SummaryGroup] {
        &self.groups
    }

    /// Hands in `model`'s fit, made elsewhere by [`fit_purchase_model`] on
    /// [`PredictionStart::groups`]; it is compared on the holdout now. A second fit of the
    /// same model is ignored.
    pub fn add_fit(&mut self, model: PurchaseModel, fit: Result<PurchaseFit, ModelError>) {
        if !self.has_fit(model) {
            let row = compare(&self.summary, &mut self.rfm_order, model, fit);
            self.compared.push(row);
        }
    }

    /// Fits the spend model on the calibration period now rather than in
    /// [`PredictionStart::finish`]: while fits made elsewhere are awaited. Only a prediction
    /// with a holdout has it (the refit on the whole history is the one it shows).
    pub fn fit_spend_ahead(&mut self) {
        if self.holdout_end.is_some() && self.spend_calibration.is_none() {
            self.spend_calibration = Some(fit_gamma_gamma(&self.summary.customers));
        }
    }

    /// Whether `model`'s fit is handed in.
    pub fn has_fit(&self, model: PurchaseModel) -> bool {
        self.compared.iter().any(|(row, _)| row.model == model)
    }

    /// The prediction: the fits not handed in are made here, in the order of
    /// [`PurchaseModel::ALL`]; then [`PredictionStart::begin_finish`], the refit here and
    /// [`FinishBegun::complete`].
    ///
    /// # Errors
    /// As [`predict`].
    pub fn finish(
        self,
        table: &OrderTable,
        base: Option<&CustomerBase>,
    ) -> Result<Prediction, ModelError> {
        let mut begun = self.begin_finish(table, base)?;
        begun.prepare();
        begun.complete(None)
    }

    /// The whole history's (x, tₓ, T) groups, which [`PredictionStart::begin_finish`] makes
    /// once the model is chosen, made now, from the orders, without holding a second summary
    /// beside the calibration period's: `None` without a holdout (the calibration period's
    /// groups are then the whole history's) or when the summary cannot be made.
    pub fn whole_groups(
        &self,
        table: &OrderTable,
        base: Option<&CustomerBase>,
    ) -> Option<Vec<SummaryGroup>> {
        self.holdout_end?;
        groups_shaped(table, &self.shape, base, self.last_day, None).ok()
    }

    /// The finish up to the chosen model's refit: the fits not handed in are made, the model
    /// chosen, and the whole history's summary and (x, tₓ, T) groups made. The refit
    /// ([`FinishBegun::refit_ask`], [`refit`]) may then be made elsewhere while
    /// [`FinishBegun::prepare`] makes the rest here.
    ///
    /// # Errors
    /// As [`predict`].
    pub fn begin_finish(
        self,
        table: &OrderTable,
        base: Option<&CustomerBase>,
    ) -> Result<FinishBegun, ModelError> {
        let PredictionStart {
            params,
            shape,
            last_day,
            calibration_end,
            holdout_end,
            mut customers,
            summary,
            groups,
            mut compared,
            mut rfm_order,
            spend_calibration,
        } = self;
        // Every model on the calibration period, compared on the holdout.
        let mut validations = Vec::new();
        let comparison: Vec<ModelComparison> = PurchaseModel::ALL
            .iter()
            .map(|&model| {
                let (row, validation) =
                    match compared.iter().position(|(row, _)| row.model == model) {
                        Some(k) => compared.swap_remove(k),
                        None => compare(
                            &summary,
                            &mut rfm_order,
                            model,
                            fit_purchase_model(model, &groups),
                        ),
                    };
                validations.push(validation);
                row
            })
            .collect();
        drop(rfm_order);
        let bgnbd = match &comparison[0].fit {
            Ok(fit) => BgNbdFit::from_purchase_fit(fit).expect("the first row is BG/NBD"),
            Err(e) => return Err(e.clone()),
        };
        let (model, model_choice) = match params.model {
            Some(m) => (m, ModelChoice::User),
            None => choose_model(&comparison).expect("BG/NBD has a fit"),
        };
        let index = PurchaseModel::ALL
            .iter()
            .position(|&m| m == model)
            .unwrap_or(0);
        let calibration_fit = comparison[index].fit.clone()?;
        let validation = validations.swap_remove(index);

        // What the rest needs of the calibration period is taken from its summary here, and the
        // summary goes before the whole history's is made and the predictions are written: with
        // hundreds of thousands of customers, each is tens of megabytes.
        let refitted = holdout_end.is_some();
        let calibration_start = summary.calibration_start;
        for c in &summary.customers {
            customers.set_holdout(c.customer, c.holdout_transactions);
        }
        let gamma_gamma_calibration = refitted
            .then(|| spend_calibration.unwrap_or_else(|| fit_gamma_gamma(&summary.customers)));

        // The predictions: the chosen model on the whole history.
        // The whole history's groups are made by [`FinishBegun::prepare`], after the spend
        // model's fit: not both at once beside the summary.
        let (predict_summary, groups) = if refitted {
            drop(summary);
            drop(groups);
            let whole = summarize_shaped(table, &shape, base, last_day, None)?;
            (whole, None)
        } else {
            (summary, Some(groups))
        };
        let ask = RefitAsk::new(calibration_fit.params, refitted);
        Ok(FinishBegun {
            params,
            last_day,
            calibration_start,
            calibration_end,
            holdout_end,
            bgnbd,
            model,
            model_choice,
            comparison,
            calibration_fit,
            validation,
            gamma_gamma_calibration,
            predict_summary: Some(predict_summary),
            groups,
            ask,
            customers,
            gamma_gamma: None,
            counts: Counts::default(),
        })
    }
}

/// What the chosen model's refit on the whole history needs beside the groups: made by
/// [`refit`], here or in another worker.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefitAsk {
    /// The calibration period's fit: the refit's start, or the fit itself without a holdout.
    start: PurchaseParams,
    /// Whether the model is fitted again (a prediction with a holdout), or predicts with the
    /// calibration period's fit.
    refit: bool,
}

impl RefitAsk {
    /// The refit of `start`'s model on the whole history (`refit`; otherwise `start` predicts).
    pub fn new(start: PurchaseParams, refit: bool) -> Self {
        RefitAsk { start, refit }
    }
}

/// [`refit`]'s answer: the chosen model on the whole history (`None`: the calibration
/// period's fit predicts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refitted {
    fit: Option<Result<PurchaseFit, ModelError>>,
}

/// The chosen model fitted again on the whole history's `groups`, from the calibration
/// period's fit: the part of a prediction's finish that needs only the groups, so that a
/// helper worker can make it.
pub fn refit(ask: &RefitAsk, groups: &[SummaryGroup]) -> Refitted {
    let fit = ask
        .refit
        .then(|| fit_purchase_model_near(ask.start.model(), groups, Some(&ask.start)));
    Refitted { fit }
}

/// What `chosen` predicts for each of `groups`, in their order, for a prediction with
/// `params`.
fn group_figures(
    chosen: &PurchaseParams,
    params: &ModelParams,
    groups: &[SummaryGroup],
) -> Vec<GroupFigures> {
    // One series pass per (x, T) gives the next year, the horizon and every month end.
    let mut ts = vec![
        NEXT_YEAR_WEEKS,
        f64::from(params.horizon_months) * WEEKS_PER_MONTH,
    ];
    ts.extend(month_ends(params.horizon_months));
    let mut shared = SharedByAge::new(chosen, ts);
    let mut alive = AliveAtDays::new(chosen);
    groups
        .iter()
        .map(|group| {
            let p_alive = alive.get(group.frequency, group.recency_days, group.age_days);
            let brackets = shared.get(group.frequency, group.age_days);
            GroupFigures {
                p_alive,
                next_year: brackets[0] * p_alive,
                horizon: brackets[1] * p_alive,
                discounted: discount_monthly(&brackets[2..], params.monthly_discount) * p_alive,
            }
        })
        .collect()
}

/// Counts the prediction keeps of the summary it predicts from, once that is gone.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    customers: u64,
    repeat_customers: u64,
    return_only_days: u64,
    customers_after_calibration: u64,
}

/// A prediction's finish begun ([`PredictionStart::begin_finish`]): the model chosen and the
/// whole history's groups made. [`FinishBegun::prepare`] fits the spend model and places each
/// customer in its group; [`FinishBegun::complete`] takes the refit ([`refit`]), makes the
/// groups' figures and the prediction.
pub struct FinishBegun {
    params: ModelParams,
    last_day: Day,
    calibration_start: Day,
    calibration_end: Day,
    holdout_end: Option<Day>,
    bgnbd: BgNbdFit,
    model: PurchaseModel,
    model_choice: ModelChoice,
    comparison: Vec<ModelComparison>,
    calibration_fit: PurchaseFit,
    validation: Option<HoldoutValidation>,
    gamma_gamma_calibration: Option<Result<GammaGammaFit, ModelError>>,
    /// The summary predicted from, until [`FinishBegun::prepare`] is done with it.
    predict_summary: Option<RfmSummary>,
    /// Its (x, tₓ, T) groups, once made.
    groups: Option<Vec<SummaryGroup>>,
    ask: RefitAsk,
    customers: CustomerPredictions,
    gamma_gamma: Option<Result<GammaGammaFit, ModelError>>,
    counts: Counts,
}

impl FinishBegun {
    /// The model chosen to predict.
    pub fn model(&self) -> PurchaseModel {
        self.model
    }

    /// What [`refit`] needs beside [`FinishBegun::groups`].
    pub fn refit_ask(&self) -> &RefitAsk {
        &self.ask
    }

    /// The (x, tₓ, T) groups predicted from: the whole history's (the calibration period's
    /// without a holdout), once [`FinishBegun::prepare`] has made them (none before).
    pub fn groups(&self) -> &[SummaryGroup] {
        self.groups.as_deref().unwrap_or_default()
    }

    /// The spend model fitted on the summary predicted from, each customer placed in its
    /// group, and the summary dropped. Made by [`FinishBegun::complete`] if not before.
    pub fn prepare(&mut self) {
        let Some(summary) = self.predict_summary.take() else {
            return;
        };
        let gamma_gamma = if self.ask.refit {
            let near = self
                .gamma_gamma_calibration
                .as_ref()
                .and_then(|fit| fit.as_ref().ok())
                .map(|fit| fit.params);
            fit_gamma_gamma_near(&summary.customers, near.as_ref())
        } else {
            fit_gamma_gamma(&summary.customers)
        };
        let spend = gamma_gamma.as_ref().ok().map(|f| f.params);
        self.customers
            .set_spend(spend, self.params.margin.unwrap_or(1.0));
        let groups = self
            .groups
            .get_or_insert_with(|| group_customers(&summary.customers));
        self.customers.join_groups(groups, &summary.customers);
        self.counts = Counts {
            customers: summary.customers.len() as u64,
            repeat_customers: summary.repeat_customers(),
            return_only_days: summary.return_only_days,
            customers_after_calibration: summary.customers_after_calibration,
        };
        self.gamma_gamma = Some(gamma_gamma);
    }

    /// The prediction, from `refitted` ([`refit`] on [`FinishBegun::groups`] with
    /// [`FinishBegun::refit_ask`]; made here when `None`) and each group's figures.
    ///
    /// # Errors
    /// As [`predict`].
    pub fn complete(mut self, refitted: Option<Refitted>) -> Result<Prediction, ModelError> {
        self.prepare();
        let Refitted { fit } = refitted.unwrap_or_else(|| refit(&self.ask, self.groups()));
        let FinishBegun {
            params,
            last_day,
            calibration_start,
            calibration_end,
            holdout_end,
            bgnbd,
            model,
            model_choice,
            comparison,
            calibration_fit,
            validation,
            gamma_gamma_calibration,
            groups,
            mut customers,
            gamma_gamma,
            counts,
            ask,
            ..
        } = self;
        let params = &params;
        let refitted = ask.refit;
        let purchase_fit = match fit {
            Some(fit) => fit?,
            None => calibration_fit,
        };
        let groups = groups.expect("prepared above");
        let figures = group_figures(&purchase_fit.params, params, &groups);
        let gamma_gamma = gamma_gamma.expect("prepared above");
        let Counts {
            customers: customer_count,
            repeat_customers,
            return_only_days,
            customers_after_calibration,
        } = counts;
        // A customer's expected value and 予測LTV are made from its group's figures when it
        // is read (see [`CustomerPredictions::get`]).
        customers.set_groups(&groups, figures);
        drop(groups);
        let totals = PredictionTotals::of(&customers, customer_count, repeat_customers);

        let mut warnings = Vec::new();
        if bgnbd.repeat_customers < RECOMMENDED_REPEAT_CUSTOMERS {
            warnings.push(TrustWarning::FewRepeatCustomers {
                count: bgnbd.repeat_customers,
                recommended: RECOMMENDED_REPEAT_CUSTOMERS,
            });
        }
        let history = f64::from(calibration_end - calibration_start) / 7.0;
        if history < RECOMMENDED_HISTORY_WEEKS {
            warnings.push(TrustWarning::ShortHistory { weeks: history });
        }
        {
            let names = model.parameter_names();
            let values = purchase_fit.params.values();
            let estimates: Vec<(&str, f64, f64)> = (0..4)
                .filter_map(|i| purchase_fit.standard_errors[i].map(|se| (names[i], values[i], se)))
                .collect();
            parameter_warnings(model.model_name(), &estimates, &mut warnings);
        }
        if !purchase_fit.boundary.is_empty() {
            warnings.push(TrustWarning::FitAtBoundary {
                model: model.model_name(),
                notes: purchase_fit
                    .boundary
                    .iter()
                    .map(|n| n.meaning.clone())
                    .collect(),
            });
        }
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
        if return_only_days > 0 {
            warnings.push(TrustWarning::ReturnOnlyDays {
                count: return_only_days,
            });
        }
        if customers_after_calibration > 0 {
            warnings.push(TrustWarning::CustomersAfterCalibration {
                count: customers_after_calibration,
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
            calibration_start,
            calibration_end,
            holdout_end,
            bgnbd,
            model,
            model_choice,
            purchase_fit,
            comparison,
            predicted_as_of: if refitted { last_day } else { calibration_end },
            gamma_gamma,
            gamma_gamma_calibration,
            customers,
            totals,
            validation,
            warnings,
        })
    }
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
            customer_keys: ["a"].into(),
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
            customer_keys: ["a", "b"].into(),
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

    /// The purchase models fitted on another thread from the start's groups, as the worker's
    /// helper fits them, give the prediction of one run, with and without a holdout, and with
    /// the spend model's calibration fit made ahead or not.
    #[test]
    fn fits_made_elsewhere_give_the_same_prediction() {
        use crate::analysis::customers::CustomerBase;
        use crate::import::{import, sample_export, ImportOptions};
        let table = import(sample_export(), &ImportOptions::new(), &mut |_| true)
            .unwrap()
            .table;
        let (first, last) = table.date_range().unwrap();
        let end = crate::forecast::initial_calibration_end(first, last);
        assert!(end.is_some(), "the sample spans two years");
        let base = CustomerBase::new(&table, None);
        for (calibration_end, spend_ahead) in [(end, false), (end, true), (None, true)] {
            let params = ModelParams::new().with_calibration_end(calibration_end);
            // Compared as printed: a standard error not determined is NaN, never equal to
            // itself; every float prints exactly (the shortest text that reads back).
            let whole = format!("{:?}", predict_with(&table, Some(&base), &params).unwrap());
            let start = start_prediction(&table, Some(&base), &params).unwrap();
            let groups = start.groups().to_vec();
            let elsewhere = std::thread::spawn(move || {
                [PurchaseModel::ParetoNbd, PurchaseModel::MbgNbd]
                    .map(|model| (model, fit_purchase_model(model, &groups)))
            })
            .join()
            .unwrap();
            let mut start = start;
            for (model, fit) in elsewhere {
                start.add_fit(model, fit);
                assert!(start.has_fit(model));
            }
            assert!(!start.has_fit(PurchaseModel::BgNbd));
            if spend_ahead {
                start.fit_spend_ahead();
            }
            let finished = start.finish(&table, Some(&base)).unwrap();
            assert_eq!(finished.holdout_end.is_some(), calibration_end.is_some());
            assert!(
                format!("{finished:?}") == whole,
                "calibration end {calibration_end:?}, spend fitted ahead {spend_ahead}: not the \
                 same prediction"
            );
        }
    }

    /// The chosen model's refit made in another thread
    /// ([`refit`] on [`FinishBegun::groups`]) while this one prepares the rest give the
    /// prediction [`PredictionStart::finish`] makes, with a holdout and without; so do the
    /// whole history's groups made ahead ([`PredictionStart::whole_groups`]), which are the
    /// groups the finish makes.
    #[test]
    fn a_refit_made_elsewhere_gives_the_same_prediction() {
        use crate::analysis::customers::CustomerBase;
        use crate::import::{import, sample_export, ImportOptions};
        let table = import(sample_export(), &ImportOptions::new(), &mut |_| true)
            .unwrap()
            .table;
        let (first, last) = table.date_range().unwrap();
        let end = crate::forecast::initial_calibration_end(first, last);
        let base = CustomerBase::new(&table, None);
        for (calibration_end, model) in [
            (end, None),
            (end, Some(PurchaseModel::ParetoNbd)),
            (None, None),
        ] {
            let params = ModelParams::new()
                .with_calibration_end(calibration_end)
                .with_model(model);
            let here = start_prediction(&table, Some(&base), &params)
                .unwrap()
                .finish(&table, Some(&base))
                .unwrap();
            let start = start_prediction(&table, Some(&base), &params).unwrap();
            let whole = start.whole_groups(&table, Some(&base));
            assert_eq!(whole.is_some(), calibration_end.is_some());
            let mut begun = start.begin_finish(&table, Some(&base)).unwrap();
            assert_eq!(begun.model(), model.unwrap_or(here.model));
            assert!(begun.groups().is_empty() || calibration_end.is_none());
            begun.prepare();
            if let Some(whole) = &whole {
                assert_eq!(whole, begun.groups());
                assert_eq!(whole.capacity(), whole.len());
            }
            let (ask, groups) = (*begun.refit_ask(), begun.groups().to_vec());
            let elsewhere = std::thread::spawn(move || refit(&ask, &groups));
            let refitted = elsewhere.join().unwrap();
            assert_eq!(refitted.fit.is_some(), calibration_end.is_some());
            let finished = begun.complete(Some(refitted)).unwrap();
            assert_eq!(finished.model, model.unwrap_or(here.model));
            // Compared as printed (a standard error not determined is NaN).
            assert!(
                format!("{finished:?}") == format!("{here:?}"),
                "calibration end {calibration_end:?}, model {model:?}: not the same prediction"
            );
        }
    }

    fn row(model: PurchaseModel, bic: f64, holdout: Option<(f64, u64)>) -> ModelComparison {
        let fit = PurchaseFit {
            model,
            params: crate::model::PurchaseParams::from_values(model, [1.0, 1.0, 1.0, 1.0]),
            standard_errors: [None; 4],
            log_likelihood: -bic / 2.0,
            bic,
            customers: 10,
            repeat_customers: 5,
            groups: 10,
            converged: true,
            boundary: Vec::new(),
            iterations: 1,
            optimizer: crate::model::Optimizer::Lbfgs,
        };
        ModelComparison {
            model,
            fit: Ok(fit),
            holdout: holdout.map(|(predicted, actual)| HoldoutComparison {
                predicted,
                actual,
                error_percent: 100.0 * (predicted - actual as f64) / actual as f64,
                by_frequency: Vec::new(),
            }),
        }
    }

    #[test]
    fn the_rule_picks_the_smaller_holdout_error() {
        use PurchaseModel::*;
        type Case = (
            &'static str,
            Vec<ModelComparison>,
            Option<(PurchaseModel, ModelChoice)>,
        );
        let cases: Vec<Case> = vec![
            (
                "Pareto/NBD closest in the holdout, though its BIC is worst",
                vec![
                    row(BgNbd, 100.0, Some((120.0, 100))),
                    row(ParetoNbd, 300.0, Some((95.0, 100))),
                    row(MbgNbd, 200.0, Some((110.0, 100))),
                ],
                Some((ParetoNbd, ModelChoice::Holdout)),
            ),
            (
                "over- and under-prediction count alike: |−8| < |+9|",
                vec![
                    row(BgNbd, 100.0, Some((109.0, 100))),
                    row(ParetoNbd, 100.0, Some((130.0, 100))),
                    row(MbgNbd, 100.0, Some((92.0, 100))),
                ],
                Some((MbgNbd, ModelChoice::Holdout)),
            ),
            (
                "a tie goes to BG/NBD",
                vec![
                    row(BgNbd, 100.0, Some((110.0, 100))),
                    row(ParetoNbd, 90.0, Some((90.0, 100))),
                    row(MbgNbd, 80.0, Some((110.0, 100))),
                ],
                Some((BgNbd, ModelChoice::Holdout)),
            ),
            (
                "no holdout: the smallest BIC",
                vec![
                    row(BgNbd, 100.0, None),
                    row(ParetoNbd, 90.0, None),
                    row(MbgNbd, 95.0, None),
                ],
                Some((ParetoNbd, ModelChoice::Bic)),
            ),
            (
                "a model without a fit takes no part",
                vec![
                    row(BgNbd, 100.0, Some((130.0, 100))),
                    ModelComparison {
                        model: ParetoNbd,
                        fit: Err(ModelErrorKind::NoRepeatCustomers.into()),
                        holdout: None,
                    },
                    row(MbgNbd, 95.0, Some((125.0, 100))),
                ],
                Some((MbgNbd, ModelChoice::Holdout)),
            ),
            ("nothing fitted", Vec::new(), None),
        ];
        for (name, rows, expected) in cases {
            assert_eq!(choose_model(&rows), expected, "{name}");
        }
    }
}
