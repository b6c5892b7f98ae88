//! The Web Worker that reads and analyses an order export off the UI thread.
//!
//! Messages are [`protocol`] bytes (a version header, then postcard) in a `Uint8Array`; a request that carries the user's file sends
//! it beside them as a `Blob` (a file, a paste or the sample), which the worker reads itself, so
//! the UI thread never copies the file.

pub mod client;
pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod service;

use ltv_core::analysis::export::CsvEncoding;
use ltv_core::analysis::segments::Segment;
use ltv_core::analysis::{Analysis, AnalysisParams};
use ltv_core::forecast::Forecast;
use ltv_core::import::{ImportError, ImportOptions, ImportReport, Sniff};
use ltv_core::model::{AliveThresholds, ModelError, ModelParams};
use serde::{Deserialize, Serialize};

/// The largest file the worker is asked to read: it holds the bytes, the decoded text and the
/// order table at once, several times the file, within the 4 GB a wasm32 module can address.
pub const MAX_FILE_BYTES: f64 = 300.0 * 1_000_000.0;

/// What the UI asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Look at the start of the file (sent beside) and say what it is.
    Sniff { options: ImportOptions },
    /// Read the whole file (sent beside) and keep its order table for the analyses.
    Import { options: ImportOptions },
    /// The rejected rows of the last import, as a CSV file.
    RejectedRowsCsv,
    /// Analyse the imported orders (no re-reading of the file).
    Analyse { params: AnalysisParams },
    /// The per-customer table of the last analysis, all customers or one segment.
    CustomersCsv {
        encoding: CsvEncoding,
        segment: Option<Segment>,
    },
    /// The summary JSON of the last analysis (with the model, when there is one).
    SummaryJson,
    /// Fit BG/NBD and Gamma-Gamma on the imported orders and predict every customer.
    Predict {
        params: ModelParams,
        alive: AliveThresholds,
    },
}

/// A stage of the work, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Importing,
    Analysing,
    Predicting,
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    Sniffed(Result<Box<Sniff>, ImportError>),
    Progress {
        stage: Stage,
        fraction: f64,
    },
    Imported(Result<Box<ImportReport>, ImportError>),
    /// Every view of the analysis; the per-customer rows stay in the worker (for the exports).
    Analysed(Box<Analysis>),
    /// The prediction as the page shows it; the per-customer predictions stay in the worker.
    Predicted(Result<Box<Forecast>, ModelError>),
    /// A file to download.
    File {
        name: String,
        mime: String,
        bytes: Vec<u8>,
    },
    /// The request could not be carried out (Japanese, for the user).
    Failed(String),
}
