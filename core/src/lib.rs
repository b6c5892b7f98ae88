//! # ltv-core
//!
//! The calculation core of LTV診断. Everything the app knows about customer lifetime value
//! lives here, as pure functions over plain data: no I/O, no clock, no web dependency.
//!
//! - [`calc`]: the form calculators of the free 診断 (通販LTV, 粗利LTV and CPO, repeat
//!   figures, 売れる通販指数, the lever simulator and the diagnosis).
//! - [`chart`]: chart geometry (scales, ticks, bars, lines) for the UI's SVG charts.
//! - [`input`]: reading numbers as Japanese users type them, and formatting them back.
//! - [`orders`]: the order table every analysis of an imported export works on.
//! - [`import`]: bytes of a shop's export in, a clean [`orders::OrderTable`] and a report out.
//! - [`download`]: the one CSV writer of every download, with the formula guard.
//! - [`analysis`]: LTV, repeat figures, cohorts, segments, RFM, CPM, products, exports.
//! - [`model`]: predictive LTV with BG/NBD and Gamma-Gamma.
//! - [`forecast`]: a prediction as the page shows it (rankings, spread, P(alive) segments).

pub mod analysis;
pub mod calc;
pub mod chart;
pub mod download;
pub mod forecast;
pub mod import;
pub mod input;
pub mod model;
pub mod orders;
