//! Maximum likelihood over log-parameters with `argmin`: L-BFGS with the analytic gradient,
//! Nelder–Mead when L-BFGS stops short, a convergence check of our own, and standard
//! errors from a numerical Hessian.

use std::cell::RefCell;
use std::rc::Rc;

use argmin::core::observers::{Observe, ObserverMode};
use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient, IterState, State, KV};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::LBFGS;
use serde::{Deserialize, Serialize};

/// A negative mean log-likelihood over log-parameters θ (each model parameter is e^θ, so
/// it stays positive).
pub(crate) trait Objective {
    /// Number of parameters.
    fn dim(&self) -> usize;
    /// The value at θ, writing the gradient into `gradient`. Non-finite when θ is outside
    /// the region where the likelihood can be evaluated.
    fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64;
    /// The value alone (for Nelder–Mead and line searches); override when the gradient
    /// costs more than the value.
    fn value_only(&self, theta: &[f64]) -> f64 {
        let mut gradient = vec![0.0; self.dim()];
        self.value_and_gradient(theta, &mut gradient)
    }
    /// The value, the gradient and the Hessian at θ from one pass, when the objective has
    /// the Hessian (non-finite outside the region, as the value is); `None`:
    /// it has not, and the standard errors take it from differences of the gradient.
    fn with_hessian(&self, _theta: &[f64]) -> Option<SecondOrder> {
        None
    }
}

/// An objective's value, gradient and Hessian at one point.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SecondOrder {
    pub value: f64,
    pub gradient: Vec<f64>,
    pub hessian: Vec<Vec<f64>>,
}

impl SecondOrder {
    /// Outside the region where the likelihood can be evaluated: every entry NaN.
    pub fn undefined(n: usize) -> Self {
        SecondOrder {
            value: f64::NAN,
            gradient: vec![f64::NAN; n],
            hessian: vec![vec![f64::NAN; n]; n],
        }
    }

    /// The negative mean over `weight` customers, in θ = ln v, of a total log-likelihood
    /// `ll` with gradient `g` and Hessian `h` in the parameters `v`:
    /// ∂²/∂θᵢ∂θⱼ = vᵢ vⱼ hᵢⱼ + [i = j] vᵢ gᵢ, negated and divided by `weight`.
    pub fn in_log_parameters<const N: usize>(
        ll: f64,
        g: &[f64; N],
        h: &[[f64; N]; N],
        v: &[f64; N],
        weight: f64,
    ) -> Self {
        let scale = -1.0 / weight;
        SecondOrder {
            value: scale * ll,
            gradient: (0..N).map(|i| scale * g[i] * v[i]).collect(),
            hessian: (0..N)
                .map(|i| {
                    (0..N)
                        .map(|j| {
                            let diagonal = if i == j { v[i] * g[i] } else { 0.0 };
                            scale * (v[i] * v[j] * h[i][j] + diagonal)
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// An objective chosen at run time (one of several models) is an objective too.
impl Objective for Box<dyn Objective + '_> {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
        (**self).value_and_gradient(theta, gradient)
    }
    fn value_only(&self, theta: &[f64]) -> f64 {
        (**self).value_only(theta)
    }
    fn with_hessian(&self, theta: &[f64]) -> Option<SecondOrder> {
        (**self).with_hessian(theta)
    }
}

/// Which optimiser produced a fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Optimizer {
    /// L-BFGS with an analytic gradient (the normal case).
    Lbfgs,
    /// Nelder–Mead, used when L-BFGS did not converge.
    NelderMead,
    /// Newton's method with the Hessian in closed form (`maximize_likelihood`).
    Newton,
}

/// Where the optimiser stopped, checked to be an interior maximum.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Optimum {
    pub theta: Vec<f64>,
    /// The negative mean log-likelihood there.
    pub value: f64,
    pub iterations: u64,
    pub optimizer: Optimizer,
}

/// Why a minimisation failed, with the iterations spent.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Failure {
    pub iterations: u64,
    /// The best finite point seen, with its value, if any.
    pub best: Option<(Vec<f64>, f64)>,
}

/// Largest |θ| accepted: a parameter beyond e^±15 (3·10⁶) means the likelihood has no
/// interior maximum (it keeps rising along a ridge or towards a boundary), which is not
/// convergence. The objectives are scaled so that sensible parameters are far inside.
const MAX_ABS_LOG_PARAMETER: f64 = 15.0;

/// Whether every log-parameter of θ is within ±[`MAX_ABS_LOG_PARAMETER`] (so finite).
fn within_region(theta: &[f64]) -> bool {
    theta.iter().all(|t| t.abs() <= MAX_ABS_LOG_PARAMETER)
}
/// Largest gradient norm (of the mean log-likelihood in θ) accepted at a maximum.
const MAX_GRADIENT_NORM: f64 = 1e-4;
const LBFGS_MAX_ITERS: u64 = 500;
const NELDER_MEAD_MAX_ITERS: u64 = 5_000;

/// `argmin` calls the cost and the gradient separately at the same point; computing them
/// together once halves the work.
struct Problem<'a, O: Objective> {
    objective: &'a O,
    /// The last point evaluated: θ, the value and the gradient (shared with the run, which
    /// reads it after the optimiser is done).
    cache: Rc<RefCell<Option<Evaluation>>>,
    /// Whether a cost is always followed by the gradient at the same point (L-BFGS's line
    /// search asks for both at every trial step): then the cost evaluates both at once,
    /// instead of a pass for the value and another for the value with the gradient.
    gradient_follows: bool,
}

type Evaluation = (Vec<f64>, f64, Vec<f64>);

impl<O: Objective> Problem<'_, O> {
    fn evaluate(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        if let Some((at, value, gradient)) = self.cache.borrow().as_ref() {
            if at.as_slice() == theta {
                return (*value, gradient.clone());
            }
        }
        let mut gradient = vec![0.0; self.objective.dim()];
        let value = self.objective.value_and_gradient(theta, &mut gradient);
        *self.cache.borrow_mut() = Some((theta.to_vec(), value, gradient.clone()));
        (value, gradient)
    }
}

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, theta: &Self::Param) -> Result<f64, ArgminError> {
        let cached = self
            .cache
            .borrow()
            .as_ref()
            .filter(|(at, _, _)| at.as_slice() == theta.as_slice())
            .map(|(_, value, _)| *value);
        let value = cached.unwrap_or_else(|| {
            if self.gradient_follows {
                self.evaluate(theta).0
            } else {
                self.objective.value_only(theta)
            }
        });
        // Out-of-range steps look very bad rather than stopping the run.
        Ok(if value.is_finite() { value } else { f64::MAX })
    }
}

impl<O: Objective> Gradient for Problem<'_, O> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, theta: &Self::Param) -> Result<Vec<f64>, ArgminError> {
        let (_, gradient) = self.evaluate(theta);
        if gradient.iter().all(|g| g.is_finite()) {
            Ok(gradient)
        } else {
            Err(ArgminError::msg("non-finite gradient"))
        }
    }
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Is θ an interior point with a vanishing gradient? Its value if so.
/// `last` is the optimiser's last evaluation: when it was at θ (as L-BFGS's usually is),
/// it is not made again.
fn accept<O: Objective>(objective: &O, theta: &[f64], last: Option<Evaluation>) -> Option<f64> {
    if !within_region(theta) {
        return None;
    }
    let (value, gradient) = match last {
        Some((at, value, gradient)) if at.as_slice() == theta => (value, gradient),
        _ => {
            let mut gradient = vec![0.0; objective.dim()];
            (objective.value_and_gradient(theta, &mut gradient), gradient)
        }
    };
    (value.is_finite() && norm(&gradient) <= MAX_GRADIENT_NORM).then_some(value)
}

/// Where L-BFGS stopped because its iterate went beyond ±[`HELD_LOG_PARAMETER`].
type RanOff = Rc<RefCell<Option<(Vec<f64>, u64)>>>;

/// Stops L-BFGS once an iterate goes beyond e^±[`HELD_LOG_PARAMETER`]: along a ridge to a
/// boundary (r, α → ∞ together) each further step gains nothing a held parameter would not
/// give, and the evaluations out there grow costly (A₀'s fraction needs ever more steps).
struct StopWhenRunOff(RanOff);

impl Observe<IterState<Vec<f64>, Vec<f64>, (), (), (), f64>> for StopWhenRunOff {
    fn observe_iter(
        &mut self,
        state: &IterState<Vec<f64>, Vec<f64>, (), (), (), f64>,
        _kv: &KV,
    ) -> Result<(), ArgminError> {
        let Some(param) = state.get_param() else {
            return Ok(());
        };
        if param.iter().all(|t| t.abs() <= HELD_LOG_PARAMETER) {
            return Ok(());
        }
        let best = state.get_best_param().unwrap_or(param).clone();
        *self.0.borrow_mut() = Some((best, state.get_iter()));
        Err(ArgminError::msg("a parameter runs off to a boundary"))
    }
}

/// L-BFGS from `start`: its best point, the iterations, and its last evaluation.
fn run_lbfgs<O: Objective>(
    objective: &O,
    start: &[f64],
) -> (Option<Vec<f64>>, u64, Option<Evaluation>) {
    let cache = Rc::new(RefCell::new(None));
    let problem = Problem {
        objective,
        cache: cache.clone(),
        gradient_follows: true,
    };
    let (best, iterations) = lbfgs_on(problem, start);
    (best, iterations, cache.take())
}

fn lbfgs_on<O: Objective>(problem: Problem<'_, O>, start: &[f64]) -> (Option<Vec<f64>>, u64) {
    let solver = match LBFGS::new(MoreThuenteLineSearch::new(), 7)
        .with_tolerance_grad(1e-6)
        .and_then(|s| s.with_tolerance_cost(1e-14))
    {
        Ok(solver) => solver,
        Err(_) => return (None, 0),
    };
    let ran_off: RanOff = Rc::default();
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(start.to_vec()).max_iters(LBFGS_MAX_ITERS))
        .add_observer(StopWhenRunOff(ran_off.clone()), ObserverMode::Always)
        .timer(false)
        .run();
    if let Some((best, iterations)) = ran_off.take() {
        return (Some(best), iterations);
    }
    match result {
        Ok(result) => {
            let state = result.state();
            (state.get_best_param().cloned(), state.get_iter())
        }
        Err(_) => (None, 0),
    }
}

fn run_nelder_mead<O: Objective>(objective: &O, start: &[f64]) -> (Option<Vec<f64>>, u64) {
    let problem = Problem {
        objective,
        cache: Rc::default(),
        gradient_follows: false,
    };
    let mut simplex = vec![start.to_vec()];
    for i in 0..start.len() {
        let mut vertex = start.to_vec();
        vertex[i] += 0.5;
        simplex.push(vertex);
    }
    let solver = match NelderMead::new(simplex).with_sd_tolerance(1e-13) {
        Ok(solver) => solver,
        Err(_) => return (None, 0),
    };
    match Executor::new(problem, solver)
        .configure(|state| state.max_iters(NELDER_MEAD_MAX_ITERS))
        .timer(false)
        .run()
    {
        Ok(result) => {
            let state = result.state();
            (state.get_best_param().cloned(), state.get_iter())
        }
        Err(_) => (None, 0),
    }
}

/// Minimise from `start`: L-BFGS, then Nelder–Mead from L-BFGS's best point (or from
/// `start`) if that is not an interior maximum with a vanishing gradient, unless that point
/// runs off to a boundary ([`runs_off`]).
pub(crate) fn minimize<O: Objective>(objective: &O, start: &[f64]) -> Result<Optimum, Failure> {
    let (best, lbfgs_iters, last) = run_lbfgs(objective, start);
    if let Some(theta) = &best {
        if let Some(value) = accept(objective, theta, last) {
            return Ok(Optimum {
                theta: theta.clone(),
                value,
                iterations: lbfgs_iters,
                optimizer: Optimizer::Lbfgs,
            });
        }
        // Running off to a boundary: Nelder–Mead would only creep along it for thousands
        // of steps (minutes on a large file). [`fit_robust`] holds what runs off instead.
        if runs_off(theta) {
            return Err(Failure {
                iterations: lbfgs_iters,
                best: best_of(objective, &[start.to_vec(), theta.clone()]),
            });
        }
    }
    let restart = best
        .filter(|t| {
            t.iter()
                .all(|x| x.is_finite() && x.abs() < MAX_ABS_LOG_PARAMETER)
        })
        .unwrap_or_else(|| start.to_vec());
    let mut candidates = vec![start.to_vec(), restart.clone()];
    let (best, nm_iters) = run_nelder_mead(objective, &restart);
    let iterations = lbfgs_iters + nm_iters;
    if let Some(theta) = best {
        if let Some(value) = accept(objective, &theta, None) {
            return Ok(Optimum {
                theta,
                value,
                iterations,
                optimizer: Optimizer::NelderMead,
            });
        }
        candidates.push(theta);
    }
    Err(Failure {
        iterations,
        best: best_of(objective, &candidates),
    })
}

/// Has a log-parameter gone beyond ±[`BOUNDARY_LOG_PARAMETER`], towards 0 or ∞?
fn runs_off(theta: &[f64]) -> bool {
    theta.iter().any(|t| t.abs() > BOUNDARY_LOG_PARAMETER)
}

/// The value of the objective at θ (NaN outside its domain).
pub(crate) fn value_at<O: Objective>(objective: &O, theta: &[f64]) -> f64 {
    objective.value_only(theta)
}

/// The candidate with the smallest finite value.
fn best_of<O: Objective>(objective: &O, candidates: &[Vec<f64>]) -> Option<(Vec<f64>, f64)> {
    candidates
        .iter()
        .filter(|t| t.iter().all(|x| x.is_finite()))
        .map(|t| (t.clone(), value_at(objective, t)))
        .filter(|(_, v)| v.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// Largest standard error of a log-parameter accepted: beyond it the data do not pin the
/// parameter down (a ridge or a boundary of the likelihood), which is not convergence.
const MAX_LOG_STANDARD_ERROR: f64 = 5.0;

/// A maximum of the likelihood with the standard errors of the model parameters (e^θ).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Estimate {
    pub optimum: Optimum,
    pub standard_errors: Vec<f64>,
}

/// [`minimize`], then require a positive definite Hessian with every log-parameter
/// determined to within [`MAX_LOG_STANDARD_ERROR`]; `weight` turns the mean objective
/// into the total log-likelihood.
///
/// Where the objective has its Hessian (in closed form, or carried through the evaluation as
/// Pareto/NBD's is), Newton's method comes first: where it settles at such a maximum (a
/// positive definite Hessian at every step, each step improving) it takes a third of
/// L-BFGS's passes, and its last Hessian gives the standard errors; where it does not (a
/// likelihood running to a boundary), at most [`NEWTON_MAX_PASSES`] are lost, usually one,
/// and [`minimize`] goes on from `start`.
pub(crate) fn maximize_likelihood<O: Objective>(
    objective: &O,
    start: &[f64],
    weight: f64,
) -> Result<Estimate, Failure> {
    if let Some((optimum, hessian)) = newton(objective, start) {
        if let Some(standard_errors) =
            determined(&optimum.theta, errors_from(scaled(hessian, weight)))
        {
            return Ok(Estimate {
                optimum,
                standard_errors,
            });
        }
    }
    let optimum = minimize(objective, start)?;
    let failure = Failure {
        iterations: optimum.iterations,
        best: Some((optimum.theta.clone(), optimum.value)),
    };
    let log_errors = log_standard_errors(objective, &optimum.theta, weight);
    let standard_errors = determined(&optimum.theta, log_errors).ok_or(failure)?;
    Ok(Estimate {
        optimum,
        standard_errors,
    })
}

/// The standard errors of e^θ from those of θ (the delta method: se(e^θ) = e^θ · se(θ)),
/// when there are some and every log-parameter is determined to within
/// [`MAX_LOG_STANDARD_ERROR`].
fn determined(theta: &[f64], log_errors: Option<Vec<f64>>) -> Option<Vec<f64>> {
    let log_errors = log_errors?;
    if log_errors
        .iter()
        .any(|e| e.is_nan() || *e > MAX_LOG_STANDARD_ERROR)
    {
        return None;
    }
    Some(
        theta
            .iter()
            .zip(&log_errors)
            .map(|(t, e)| t.exp() * e)
            .collect(),
    )
}

/// `weight` × a Hessian of the mean objective: the total log-likelihood's (negated).
fn scaled(hessian: Vec<Vec<f64>>, weight: f64) -> Vec<Vec<f64>> {
    hessian
        .into_iter()
        .map(|row| row.into_iter().map(|h| h * weight).collect())
        .collect()
}

/// Newton's steps stop once every log-parameter moves by less than this: from there one
/// more step changes the parameters in digits no figure shows.
const NEWTON_STEP: f64 = 1e-9;
/// Newton's method gives up after this many passes over the data, shortened steps included
/// (from a grid's best point it takes six to ten, from a nearby fit's parameters four to
/// seven): L-BFGS then starts with little lost.
const NEWTON_MAX_PASSES: u32 = 12;

/// Newton's method with a backtracking line search, from `start`: where it stops, with the
/// objective's Hessian there. `None` unless that is within [`NEWTON_MAX_PASSES`], at a point
/// finite, within ±[`MAX_ABS_LOG_PARAMETER`] and with a vanishing gradient, every Hessian on
/// the way positive definite.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn newton<O: Objective>(objective: &O, start: &[f64]) -> Option<(Optimum, Vec<Vec<f64>>)> {
    let n = objective.dim();
    let mut passes = 1;
    // A start out of the region where a maximum is accepted (a nearby fit that ran off along
    // a ridge) is not where Newton's steps settle: no pass is spent to learn it. Every point
    // taken after it lies between two points within the region (below), so within it too.
    if !within_region(start) {
        return None;
    }
    let mut theta = start.to_vec();
    let mut at = objective.with_hessian(&theta)?;
    let mut steps = 0;
    loop {
        let usable = at.value.is_finite() && at.gradient.iter().all(|g| g.is_finite());
        if !usable {
            return None;
        }
        let inverse = invert_positive_definite(&at.hessian)?;
        let step: Vec<f64> = (0..n)
            .map(|i| -(0..n).map(|j| inverse[i][j] * at.gradient[j]).sum::<f64>())
            .collect();
        if step.iter().all(|d| d.abs() <= NEWTON_STEP) {
            break;
        }
        // A full step out of ±[`MAX_ABS_LOG_PARAMETER`]: the quadratic model points at a
        // boundary (a likelihood running off along a ridge), where no maximum is accepted.
        // Shortened steps would take several passes to learn as much.
        let full_step: Vec<f64> = (0..n).map(|i| theta[i] + step[i]).collect();
        if !within_region(&full_step) {
            return None;
        }
        // The decrease a full step promises: gᵀ·step = −gᵀH⁻¹g < 0. One below the value's
        // rounding cannot be seen: the step is then taken for its smaller gradient.
        let slope: f64 = (0..n).map(|i| at.gradient[i] * step[i]).sum();
        let unseen = -slope <= 1e-14 * at.value.abs().max(1.0);
        let mut length = 1.0;
        loop {
            if passes == NEWTON_MAX_PASSES {
                return None;
            }
            passes += 1;
            let trial: Vec<f64> = (0..n).map(|i| theta[i] + length * step[i]).collect();
            let taken = |value: f64| {
                value.is_finite() && (unseen || value <= at.value + 1e-4 * length * slope)
            };
            // A shortened step is first tried on the value alone, and the Hessian made where
            // it is taken: one pass in second derivatives costs several of the value's
            // (Pareto/NBD's about seven), and a full step is usually taken.
            if length == 1.0 || taken(objective.value_only(&trial)) {
                let next = objective.with_hessian(&trial)?;
                if taken(next.value) {
                    theta = trial;
                    at = next;
                    break;
                }
            }
            length *= 0.5;
        }
        steps += 1;
    }
    if norm(&at.gradient) > MAX_GRADIENT_NORM {
        return None;
    }
    let optimum = Optimum {
        theta,
        value: at.value,
        iterations: steps,
        optimizer: Optimizer::Newton,
    };
    Some((optimum, at.hessian))
}

/// Standard errors of the log-parameters θ at a maximum, from the Hessian of the total
/// log-likelihood (`weight` × the mean) by central differences of the analytic gradient.
/// `None` when the Hessian is not positive definite there.
///
/// (Forward differences from the gradient at θ would take half the passes, but near a
/// ridge their error decides whether the Hessian looks positive definite: a gamma-gamma fit
/// running off with q ~ 10⁶ passed with them, and fails, as it should, with these.)
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
pub(crate) fn log_standard_errors<O: Objective>(
    objective: &O,
    theta: &[f64],
    weight: f64,
) -> Option<Vec<f64>> {
    let hessian = match objective.with_hessian(theta) {
        Some(exact) => scaled(exact.hessian, weight),
        None => differenced_hessian(objective, theta, weight),
    };
    errors_from(hessian)
}

/// The square roots of the inverse's diagonal: standard errors from the Hessian of a total
/// log-likelihood (negated). `None` when it is not positive definite.
fn errors_from(hessian: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let covariance = invert_positive_definite(&hessian)?;
    let errors: Vec<f64> = (0..hessian.len())
        .map(|i| covariance[i][i].sqrt())
        .collect();
    errors.iter().all(|e| e.is_finite()).then_some(errors)
}

/// The Hessian of `weight` × the objective by central differences of its gradient,
/// symmetrised.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
pub(crate) fn differenced_hessian<O: Objective>(
    objective: &O,
    theta: &[f64],
    weight: f64,
) -> Vec<Vec<f64>> {
    let n = objective.dim();
    let mut hessian = vec![vec![0.0; n]; n];
    let mut plus = vec![0.0; n];
    let mut minus = vec![0.0; n];
    for j in 0..n {
        let h = 1e-5 * theta[j].abs().max(1.0);
        let mut at = theta.to_vec();
        at[j] = theta[j] + h;
        objective.value_and_gradient(&at, &mut plus);
        at[j] = theta[j] - h;
        objective.value_and_gradient(&at, &mut minus);
        for i in 0..n {
            hessian[i][j] = (plus[i] - minus[i]) / (2.0 * h) * weight;
        }
    }
    for i in 0..n {
        for j in 0..i {
            let mean = 0.5 * (hessian[i][j] + hessian[j][i]);
            hessian[i][j] = mean;
            hessian[j][i] = mean;
        }
    }
    hessian
}

/// Where an objective's closed-form Hessian at θ differs from the central differences of its
/// gradient by more than 10⁻⁶ of its largest entry (or of 10⁻³): the entry and both values.
/// `None` when they agree everywhere (for the tests of each objective's Hessian).
#[cfg(test)]
pub(crate) fn hessian_mismatch<O: Objective>(objective: &O, theta: &[f64]) -> Option<String> {
    let exact = objective
        .with_hessian(theta)
        .expect("the objective has its Hessian in closed form")
        .hessian;
    let differenced = differenced_hessian(objective, theta, 1.0);
    let size = exact.iter().flatten().fold(0.0f64, |m, h| m.max(h.abs()));
    let n = exact.len();
    (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .find(|&(i, j)| (exact[i][j] - differenced[i][j]).abs() > 1e-6 * size.max(1e-3))
        .map(|(i, j)| {
            let (e, d) = (exact[i][j], differenced[i][j]);
            format!("[{i}][{j}]: {e} by formula, {d} by differences")
        })
}

/// The inverse of a symmetric positive definite matrix by Cholesky, or `None`.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
pub(crate) fn invert_positive_definite(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - s;
                if d.is_nan() || d <= 0.0 || !d.is_finite() {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (m[i][j] - s) / l[j][j];
            }
        }
    }
    // Solve L Lᵀ X = I column by column.
    let mut inverse = vec![vec![0.0; n]; n];
    for col in 0..n {
        let mut y = vec![0.0; n];
        for i in 0..n {
            let e = if i == col { 1.0 } else { 0.0 };
            let s: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
            y[i] = (e - s) / l[i][i];
        }
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|k| l[k][i] * inverse[k][col]).sum();
            inverse[i][col] = (y[i] - s) / l[i][i];
        }
    }
    Some(inverse)
}

/// |θ| beyond which a parameter of the best point is taken to run to a boundary
/// (e^10 ≈ 22,000: weeks of four centuries, or a shape of 1/22,000).
pub(crate) const BOUNDARY_LOG_PARAMETER: f64 = 10.0;
/// Where a parameter running to a boundary is held (e^±20): effectively 0 or ∞.
const HELD_LOG_PARAMETER: f64 = 20.0;

/// The objective with some log-parameters held fixed; the others are free.
struct Held<'a, O: Objective> {
    inner: &'a O,
    /// The full θ, whose free entries are overwritten.
    at: Vec<f64>,
    free: Vec<usize>,
}

impl<O: Objective> Held<'_, O> {
    fn full(&self, theta: &[f64]) -> Vec<f64> {
        let mut full = self.at.clone();
        for (k, &i) in self.free.iter().enumerate() {
            full[i] = theta[k];
        }
        full
    }
}

impl<O: Objective> Objective for Held<'_, O> {
    fn dim(&self) -> usize {
        self.free.len()
    }
    fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
        let full = self.full(theta);
        let mut g = vec![0.0; self.inner.dim()];
        let value = self.inner.value_and_gradient(&full, &mut g);
        for (k, &i) in self.free.iter().enumerate() {
            gradient[k] = g[i];
        }
        value
    }
    fn value_only(&self, theta: &[f64]) -> f64 {
        self.inner.value_only(&self.full(theta))
    }
    fn with_hessian(&self, theta: &[f64]) -> Option<SecondOrder> {
        let full = self.inner.with_hessian(&self.full(theta))?;
        Some(SecondOrder {
            value: full.value,
            gradient: self.free.iter().map(|&i| full.gradient[i]).collect(),
            hessian: self
                .free
                .iter()
                .map(|&i| self.free.iter().map(|&j| full.hessian[i][j]).collect())
                .collect(),
        })
    }
}

/// The best point of a likelihood, found or not at an interior maximum.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RobustEstimate {
    pub theta: Vec<f64>,
    /// The negative mean log-likelihood there.
    pub value: f64,
    /// Standard errors of e^θ; `None` for a parameter held at a boundary or not pinned
    /// down by the data.
    pub standard_errors: Vec<Option<f64>>,
    /// Parameters that ran to a boundary (held at e^±20 or where they stopped).
    pub at_boundary: Vec<bool>,
    /// An interior maximum with every parameter determined.
    pub converged: bool,
    pub iterations: u64,
    pub optimizer: Optimizer,
}

impl RobustEstimate {
    /// An interior maximum found by [`maximize_likelihood`], after
    /// `iterations` in all.
    fn interior(e: Estimate, iterations: u64) -> Self {
        let n = e.optimum.theta.len();
        RobustEstimate {
            theta: e.optimum.theta,
            value: e.optimum.value,
            standard_errors: e.standard_errors.iter().map(|&s| Some(s)).collect(),
            at_boundary: vec![false; n],
            converged: true,
            iterations,
            optimizer: e.optimum.optimizer,
        }
    }
}

/// Maximum likelihood that always ends with the best point it found:
/// 1. start from the best of `starts` (a coarse grid or moment estimates, or a nearby fit's
///    parameters);
/// 2. Newton's method where the objective has its Hessian in closed form, else (or where it
///    does not settle) L-BFGS, then Nelder–Mead from its best point ([`maximize_likelihood`]);
/// 3. if that is not an interior maximum, restart both from the best point so far, unless
///    a parameter of it runs off (beyond ±[`BOUNDARY_LOG_PARAMETER`]: then step 2 skips
///    Nelder–Mead too);
/// 4. if still not, hold the log-parameter farthest beyond ±[`BOUNDARY_LOG_PARAMETER`]
///    where it stopped (at most e^±20) — it runs to 0 or ∞ — and maximise over the
///    others, repeating while more parameters run off.
///
/// `Err` only when the objective is nowhere finite at the starts.
pub(crate) fn fit_robust<O: Objective>(
    objective: &O,
    starts: &[Vec<f64>],
    weight: f64,
) -> Result<RobustEstimate, Failure> {
    let n = objective.dim();
    let Some((start, start_value)) = best_of(objective, starts) else {
        return Err(Failure {
            iterations: 0,
            best: None,
        });
    };
    let mut iterations = 0;
    // The start's value, as `best_of` found it (a pass over every group, not made twice).
    let mut best = (start.clone(), start_value);
    let mut point = start;
    for _ in 0..2 {
        match maximize_likelihood(objective, &point, weight) {
            Ok(e) => {
                iterations += e.optimum.iterations;
                return Ok(RobustEstimate::interior(e, iterations));
            }
            Err(f) => {
                iterations += f.iterations;
                if let Some((theta, value)) = f.best {
                    if value < best.1 {
                        best = (theta, value);
                    }
                }
            }
        }
        // A restart from a point that runs off runs off again.
        if runs_off(&best.0) {
            break;
        }
        point = best.0.clone();
    }
    // A boundary: hold what runs off, maximise over the rest.
    let mut held = vec![false; n];
    let mut optimizer = Optimizer::NelderMead;
    loop {
        // One at a time, the farthest first: along a ridge (a, b → ∞ with a/b fixed)
        // holding one lets the other follow.
        let newly: Vec<usize> = (0..n)
            .filter(|&i| !held[i] && best.0[i].abs() > BOUNDARY_LOG_PARAMETER)
            .max_by(|&i, &j| best.0[i].abs().total_cmp(&best.0[j].abs()))
            .into_iter()
            .collect();
        if newly.is_empty() || newly.len() + held.iter().filter(|h| **h).count() >= n {
            break;
        }
        let mut at = best.0.clone();
        for &i in &newly {
            held[i] = true;
            let clamped = at[i].clamp(-HELD_LOG_PARAMETER, HELD_LOG_PARAMETER);
            // Parameters that run off together go along a ridge with their ratio fixed
            // (r, α → ∞ with r/α the mean rate): when the held one is pulled back to
            // e^±20, the others beyond e^±20 the same way move back with it, so that the
            // fit of what is left starts where the ratio the data determine is kept.
            let shift = at[i] - clamped;
            if shift != 0.0 {
                for j in (0..n).filter(|&j| !held[j]) {
                    if at[j].abs() > HELD_LOG_PARAMETER && at[j].signum() == at[i].signum() {
                        at[j] -= shift;
                    }
                }
            }
            at[i] = clamped;
        }
        let free: Vec<usize> = (0..n).filter(|&i| !held[i]).collect();
        let sub_start: Vec<f64> = free.iter().map(|&i| at[i]).collect();
        let sub = Held {
            inner: objective,
            at,
            free: free.clone(),
        };
        let found = match minimize(&sub, &sub_start) {
            Ok(o) => {
                iterations += o.iterations;
                optimizer = o.optimizer;
                Some((sub.full(&o.theta), o.value))
            }
            Err(f) => {
                iterations += f.iterations;
                f.best.map(|(t, v)| (sub.full(&t), v))
            }
        };
        let held_value = value_at(&sub, &sub_start);
        // Holding a parameter can only cost a little; take the better of the two.
        match found {
            Some((theta, value)) if value <= held_value || !held_value.is_finite() => {
                best = (theta, value)
            }
            _ => best = (sub.full(&sub_start), held_value),
        }
    }
    let free: Vec<usize> = (0..n).filter(|&i| !held[i]).collect();
    let sub = Held {
        inner: objective,
        at: best.0.clone(),
        free: free.clone(),
    };
    let sub_theta: Vec<f64> = free.iter().map(|&i| best.0[i]).collect();
    let log_errors = log_standard_errors(&sub, &sub_theta, weight);
    let mut standard_errors = vec![None; n];
    if let Some(errors) = log_errors {
        for (k, &i) in free.iter().enumerate() {
            let e = errors[k];
            if e.is_finite() && e <= MAX_LOG_STANDARD_ERROR {
                standard_errors[i] = Some(best.0[i].exp() * e);
            }
        }
    }
    let converged = held.iter().all(|h| !h) && standard_errors.iter().all(|s| s.is_some());
    let value = value_at(objective, &best.0);
    Ok(RobustEstimate {
        theta: best.0,
        value,
        standard_errors,
        at_boundary: held,
        converged,
        iterations,
        optimizer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quadratic bowl in θ with its minimum at `centre` and curvature `scale`.
    struct Bowl {
        centre: Vec<f64>,
        scale: Vec<f64>,
    }

    impl Objective for Bowl {
        fn dim(&self) -> usize {
            self.centre.len()
        }
        fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
            let mut value = 0.0;
            for i in 0..theta.len() {
                let d = theta[i] - self.centre[i];
                value += 0.5 * self.scale[i] * d * d;
                gradient[i] = self.scale[i] * d;
            }
            value
        }
    }

    /// Keeps falling as θ₀ grows: no interior minimum.
    struct Slope;

    impl Objective for Slope {
        fn dim(&self) -> usize {
            2
        }
        fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
            gradient[0] = -(-theta[0]).exp() / (1.0 + (-theta[0]).exp());
            gradient[1] = theta[1];
            (1.0 + (-theta[0]).exp()).ln() + 0.5 * theta[1] * theta[1]
        }
    }

    #[test]
    fn finds_a_bowl_minimum_and_its_errors() {
        let bowl = Bowl {
            centre: vec![1.0, -2.0, 0.5],
            scale: vec![1.0, 10.0, 100.0],
        };
        let optimum = minimize(&bowl, &[0.0, 0.0, 0.0]).unwrap();
        for (t, c) in optimum.theta.iter().zip(&bowl.centre) {
            assert!((t - c).abs() < 1e-6, "{t} vs {c}");
        }
        assert_eq!(optimum.optimizer, Optimizer::Lbfgs);
        // Hessian of the total = weight × scale: se(θᵢ) = 1/sqrt(weight × scaleᵢ), and
        // se(e^θᵢ) = e^θᵢ se(θᵢ).
        let estimate = maximize_likelihood(&bowl, &[0.0, 0.0, 0.0], 4.0).unwrap();
        for i in 0..3 {
            let expected = bowl.centre[i].exp() / (4.0 * bowl.scale[i]).sqrt();
            let got = estimate.standard_errors[i];
            assert!((got - expected).abs() < 1e-6 * expected, "{i}");
        }
    }

    /// Falls forever, slowly (like −ln θ₀), along a ridge θ₁ = θ₀ − 1 whose walls are flat
    /// far from it, with θ₂ at 0.3: two parameters that run off together with their ratio
    /// fixed, as r and α do when every customer buys at one rate (and, as there, a point
    /// far off the ridge gives a fit no slope to follow back).
    struct Ridge;

    impl Objective for Ridge {
        fn dim(&self) -> usize {
            3
        }
        fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
            let softplus = theta[0].max(0.0) + (-theta[0].abs()).exp().ln_1p();
            let sigmoid = 1.0 / (1.0 + (-theta[0]).exp());
            let gap = theta[0] - theta[1] - 1.0;
            let well = (-0.5 * gap * gap).exp();
            let off = theta[2] - 0.3;
            gradient[0] = gap * well - sigmoid / (1.0 + softplus);
            gradient[1] = -gap * well;
            gradient[2] = 4.0 * off;
            1.0 - well + 2.0 * off * off - softplus.ln_1p()
        }
    }

    /// L-BFGS stops soon after the ridge passes e^20 (not dozens of iterations later), the
    /// parameters that run off are held, and the ratio between them is kept, also when
    /// both start beyond e^20.
    #[test]
    fn a_ridge_to_a_boundary_is_held_with_its_ratio() {
        for (start, most_iterations) in [([0.0, 0.0, 0.0], 30), ([30.0, 29.0, 0.0], 30)] {
            let fit = fit_robust(&Ridge, &[start.to_vec()], 1.0).unwrap();
            assert_eq!(fit.at_boundary, [true, true, false], "{fit:?}");
            assert!(!fit.converged);
            assert!(fit.theta[0] >= BOUNDARY_LOG_PARAMETER, "{fit:?}");
            assert!((fit.theta[0] - fit.theta[1] - 1.0).abs() < 1e-3, "{fit:?}");
            assert!((fit.theta[2] - 0.3).abs() < 1e-4, "{fit:?}");
            assert!(fit.iterations < most_iterations, "{fit:?}");
        }
    }

    /// Counts the passes an objective is asked for, and the points of the full ones.
    struct Counted<O: Objective> {
        inner: O,
        value_only: std::cell::Cell<u32>,
        full: RefCell<Vec<Vec<f64>>>,
    }

    impl<O: Objective> Objective for Counted<O> {
        fn dim(&self) -> usize {
            self.inner.dim()
        }
        fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
            self.full.borrow_mut().push(theta.to_vec());
            self.inner.value_and_gradient(theta, gradient)
        }
        fn value_only(&self, theta: &[f64]) -> f64 {
            self.value_only.set(self.value_only.get() + 1);
            self.inner.value_only(theta)
        }
    }

    /// L-BFGS's line search asks for the cost and then the gradient at each trial point: one
    /// pass gives both, never a value-only pass before it. Nelder–Mead, which needs no
    /// gradient, takes value-only passes.
    #[test]
    fn lbfgs_evaluates_each_point_once() {
        let counted = Counted {
            inner: Bowl {
                centre: vec![1.0, -2.0, 0.5],
                scale: vec![1.0, 10.0, 100.0],
            },
            value_only: Default::default(),
            full: Default::default(),
        };
        let (best, iterations, last) = run_lbfgs(&counted, &[0.0, 0.0, 0.0]);
        assert!(best.is_some() && iterations > 2);
        assert_eq!(
            last.map(|(at, _, _)| at),
            best,
            "the last pass is at the best point"
        );
        assert_eq!(counted.value_only.get(), 0);
        let full = counted.full.borrow().clone();
        for (i, p) in full.iter().enumerate() {
            assert!(!full[..i].contains(p), "{p:?} evaluated twice");
        }
        let (best, _) = run_nelder_mead(&counted, &[0.0, 0.0, 0.0]);
        assert!(best.is_some());
        assert!(counted.value_only.get() > 10);
        assert_eq!(counted.full.borrow().len(), full.len());
    }

    /// A maximum with its standard errors: L-BFGS's passes, then two a parameter for the
    /// Hessian; the check of the point L-BFGS stopped at makes no pass of its own.
    #[test]
    fn the_check_makes_no_pass_of_its_own() {
        let bowl = || Bowl {
            centre: vec![1.0, -2.0, 0.5],
            scale: vec![1.0, 10.0, 100.0],
        };
        let counted = || Counted {
            inner: bowl(),
            value_only: Default::default(),
            full: Default::default(),
        };
        let lbfgs = counted();
        run_lbfgs(&lbfgs, &[0.0, 0.0, 0.0]);
        let lbfgs_passes = lbfgs.full.borrow().len();
        let whole = counted();
        maximize_likelihood(&whole, &[0.0, 0.0, 0.0], 4.0).unwrap();
        let full = whole.full.borrow().clone();
        assert_eq!(full.len(), lbfgs_passes + 6);
        for (i, p) in full.iter().enumerate() {
            assert!(!full[..i].contains(p), "{p:?} evaluated twice");
        }
    }

    /// A double well, θ⁴/4 − θ²/2 in each coordinate (minima at ±1), with its Hessian in
    /// closed form: Newton's method from near a minimum takes a few passes; from where the
    /// Hessian is not positive definite (|θ| < 1/√3) it gives way to L-BFGS.
    struct Wells {
        passes: std::cell::Cell<u32>,
    }

    impl Objective for Wells {
        fn dim(&self) -> usize {
            2
        }
        fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
            let mut value = 0.0;
            for i in 0..2 {
                let t = theta[i];
                value += t.powi(4) / 4.0 - t * t / 2.0;
                gradient[i] = t.powi(3) - t;
            }
            value
        }
        fn with_hessian(&self, theta: &[f64]) -> Option<SecondOrder> {
            self.passes.set(self.passes.get() + 1);
            let mut gradient = vec![0.0; 2];
            let value = self.value_and_gradient(theta, &mut gradient);
            let curvature = |t: f64| 3.0 * t * t - 1.0;
            Some(SecondOrder {
                value,
                gradient,
                hessian: vec![
                    vec![curvature(theta[0]), 0.0],
                    vec![0.0, curvature(theta[1])],
                ],
            })
        }
    }

    #[test]
    fn newtons_method_and_the_way_back_when_it_cannot() {
        let wells = Wells {
            passes: Default::default(),
        };
        let near = fit_robust(&wells, &[vec![1.2, -0.8]], 2.0).unwrap();
        assert_eq!(near.optimizer, Optimizer::Newton);
        assert!((near.theta[0] - 1.0).abs() < 1e-12 && (near.theta[1] + 1.0).abs() < 1e-12);
        assert!(wells.passes.get() <= 7, "{}", wells.passes.get());
        // The Hessian of the total at the minimum is 2 × 2 in each coordinate:
        // se(θ) = 1/2, se(e^θ) = e^θ / 2.
        for (t, se) in near.theta.iter().zip(&near.standard_errors) {
            assert!((se.unwrap() - t.exp() / 2.0).abs() < 1e-9);
        }
        // Where the Hessian is not positive definite, one pass is lost and L-BFGS goes on
        // (the standard errors then take the other pass with the Hessian).
        wells.passes.set(0);
        let far = fit_robust(&wells, &[vec![0.2, 0.3]], 2.0).unwrap();
        assert_eq!((far.optimizer, wells.passes.get()), (Optimizer::Lbfgs, 2));
        assert!(
            far.theta.iter().all(|t| (t.abs() - 1.0).abs() < 1e-6),
            "{far:?}"
        );
    }

    #[test]
    fn a_boundary_optimum_is_a_failure() {
        assert!(maximize_likelihood(&Slope, &[0.0, 1.0], 1.0).is_err());
    }

    #[test]
    fn inverse_cases() {
        let m = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let inv = invert_positive_definite(&m).unwrap();
        // Independent: inverse of [[4,2],[2,3]] = [[3,−2],[−2,4]] / 8.
        let expected = [[0.375, -0.25], [-0.25, 0.5]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((inv[i][j] - expected[i][j]).abs() < 1e-14);
            }
        }
        assert!(invert_positive_definite(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
        assert!(invert_positive_definite(&[vec![0.0]]).is_none());
    }
}
