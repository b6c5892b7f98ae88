//! Every word the UI shows, in one place (Japanese first; English can be added beside it),
//! split by page: [`common`] (both pages), [`diagnosis`] (診断), [`csv_import`] (reading a
//! file), [`analysis`] (the CSV analysis) and [`prediction`] (予測LTV).
//!
//! Every entry is re-exported here, so a view says `i18n::NAME` whichever file holds it.
//! Figures are formatted by the core's formatters; these modules only put them into sentences.
//! The core returns enums and numbers; its own text is limited to error and warning messages
//! and the fixed text of the files it writes.

pub mod analysis;
pub mod common;
pub mod csv_import;
pub mod diagnosis;
pub mod prediction;

pub use analysis::*;
pub use common::*;
pub use csv_import::*;
pub use diagnosis::*;
pub use prediction::*;
