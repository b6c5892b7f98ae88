//! 予測LTV: BG/NBD (future orders and P(alive)) and Gamma-Gamma (order value), fitted by
//! maximum likelihood on the shop's own orders, combined into a discounted CLV per customer.
//!
//! - [`summary`]: x, tₓ, T and the mean repeat value per customer (time in weeks = days / 7,
//!   one transaction per customer-day), and the grouping of equal (x, tₓ, T) for fitting;
//! - [`bgnbd`]: the likelihood, the fit, E[X(t)], E[Y(t) | x, tₓ, T], P(alive);
//! - [`gamma_gamma`]: the spend likelihood, the fit, E[M | x, m̄];
//! - [`clv`]: the discounted CLV over months of 52/12 weeks, and P(alive) segments;
//! - [`holdout`]: predicted against actual after a calibration end;
//! - [`per_customer`]: every customer's prediction, held by (x, tₓ, T) group;
//! - [`predict`]: the one entry point for the worker.
//!
//! Reproduces the published CDNOW figures (Fader, Hardie & Lee 2005; Fader & Hardie's
//! Gamma-Gamma note): see the tests in `cdnow.rs`.

pub mod bgnbd;
pub mod clv;
mod dual;
pub mod error;
pub mod gamma_gamma;
pub mod holdout;
mod optim;
pub mod per_customer;
pub mod predict;
pub mod purchase;
mod special;
pub mod summary;
pub mod warnings;

#[cfg(test)]
mod cdnow;
#[cfg(test)]
mod shipped;

pub use bgnbd::{bgnbd_log_likelihood, fit_bgnbd, BgNbdFit, BgNbdParams};
pub use clv::{discounted_transactions, AliveSegment, AliveThresholds, WEEKS_PER_MONTH};
pub use error::{ModelError, ModelErrorKind, ModelName};
pub use gamma_gamma::{fit_gamma_gamma, fit_gamma_gamma_near, GammaGammaFit, GammaGammaParams};
pub use holdout::{
    validate_holdout, validate_holdout_with, FrequencyBucket, HoldoutValidation, WeeklyPoint,
};
pub use optim::Optimizer;
pub use per_customer::CustomerPredictions;
pub use predict::{
    choose_model, predict, predict_with, refit, start_prediction, CustomerPrediction, FinishBegun,
    HoldoutComparison, ModelChoice, ModelComparison, ModelParams, Prediction, PredictionStart,
    PredictionTotals, RefitAsk, Refitted,
};
pub use purchase::{
    fit_purchase_model, fit_purchase_model_near, BoundaryLimit, BoundaryNote, MbgNbdParams,
    ParetoNbdParams, PurchaseFit, PurchaseModel, PurchaseParams,
};
pub use special::{hyp2f1, log_pareto_a0};
pub use summary::{
    group_customers, summarize, summarize_with, CustomerRfm, RfmSummary, SummaryGroup,
};
pub use warnings::TrustWarning;
