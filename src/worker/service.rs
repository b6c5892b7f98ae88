//! The worker's side: read requests, call the core, post responses.

use std::cell::RefCell;
use std::rc::Rc;

use ltv_core::analysis::customers::CustomerBase;
use ltv_core::analysis::export::{customers_csv_with, summary_json};
use ltv_core::analysis::{analyse, analyse_with, Analysis, AnalysisParams};
use ltv_core::forecast::{forecast, model_json, predicted_cells, PREDICTED_HEADERS};
use ltv_core::import::{
    import, rejected_rows_csv, sniff, ImportOptions, ImportReport, RevenueBasis,
};
use ltv_core::model::{predict, AliveThresholds, ModelParams, Prediction};
use ltv_core::orders::OrderTable;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

use super::client::{decode, encode};
use super::protocol::DecodeError;
use super::{Request, Response, Stage};
use crate::i18n;

/// What the worker keeps between requests.
#[derive(Default)]
struct Held {
    table: Option<OrderTable>,
    report: Option<ImportReport>,
    /// The orders grouped by customer at the last analysis date: a new threshold is
    /// applied without grouping a million orders again.
    base: Option<CustomerBase>,
    /// The last analysis, per-customer rows included, for the exports and for the next
    /// analysis to start from.
    analysis: Option<Analysis>,
    /// The last prediction, per customer, for the exports.
    prediction: Option<(Prediction, AliveThresholds)>,
    /// Whether [`warm_up`] has run in this worker.
    warmed: bool,
}

/// Rounds of [`warm_up`].
const WARM_UP_ROUNDS: usize = 5;

/// Runs the import, the analysis and the models a few times on a small made-up export, in
/// about a fifth of a second. A browser compiles WebAssembly in two tiers: a function runs
/// first in quickly made, slow code, and is compiled well only once it has been used a
/// while; a loop over a million rows that starts in the slow code stays in it to the end.
/// Warming up while the user looks at the preview makes the real import start in the fast
/// code: in V8 it cut the first import of a million rows by about a fifth.
fn warm_up() {
    let export = ltv_core::import::made_up_export();
    for _ in 0..WARM_UP_ROUNDS {
        let Ok(sample) = import(export.as_bytes(), &ImportOptions::new(), &mut |_| true) else {
            return;
        };
        let _ = analyse(&sample.table, &AnalysisParams::default());
        let _ = predict(&sample.table, &ModelParams::default());
    }
}

/// Customers named in each ranking of the 予測LTV view.
const RANKED: usize = 20;

/// Installs the message handler; called by the worker binary's `main`.
pub fn run() {
    // A panic ends the worker (the page says so and starts a new one); its message goes to the
    // console first, or it would be lost.
    std::panic::set_hook(Box::new(console_error_panic_hook::hook));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let held = Rc::new(RefCell::new(Held::default()));
    let post_scope = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let post = |response: &Response| {
            if let Some(data) = encode(response) {
                let transfer = js_sys::Array::of1(&data.buffer());
                let _ = post_scope.post_message_with_transfer(&data, &transfer);
            }
        };
        let data = event.data();
        let (bytes, blob) = match data.dyn_ref::<js_sys::Array>() {
            Some(pair) => (pair.get(0), pair.get(1).dyn_into::<Blob>().ok()),
            None => (data, None),
        };
        let request = match decode::<Request>(&bytes) {
            Ok(request) => request,
            // The page is of another build than this worker: whichever is older, reloading
            // brings both to the same one.
            Err(DecodeError::Version(_)) => {
                return post(&Response::Failed(i18n::APP_UPDATED.to_string()));
            }
            Err(DecodeError::Malformed) => {
                return post(&Response::Failed(i18n::WORKER_BAD_REQUEST.to_string()));
            }
        };
        handle(request, blob, &held, &post);
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

fn read_blob(blob: Option<Blob>) -> Result<Vec<u8>, String> {
    let blob = blob.ok_or_else(|| i18n::WORKER_NO_FILE.to_string())?;
    let reader = FileReaderSync::new().map_err(describe)?;
    let buffer = reader.read_as_array_buffer(&blob).map_err(describe)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn describe(error: JsValue) -> String {
    format!("{}: {error:?}", i18n::WORKER_READ_FAILED)
}

fn handle(
    request: Request,
    blob: Option<Blob>,
    held: &Rc<RefCell<Held>>,
    post: &dyn Fn(&Response),
) {
    match request {
        Request::Sniff { options } => {
            match read_blob(blob) {
                Ok(bytes) => post(&Response::Sniffed(sniff(&bytes, &options).map(Box::new))),
                Err(message) => post(&Response::Failed(message)),
            }
            // After the answer, so the preview is not delayed.
            let mut held = held.borrow_mut();
            if !held.warmed {
                held.warmed = true;
                warm_up();
            }
        }
        Request::Import { options } => {
            post(&Response::Progress {
                stage: Stage::Reading,
                fraction: 0.0,
            });
            let bytes = match read_blob(blob) {
                Ok(bytes) => bytes,
                Err(message) => return post(&Response::Failed(message)),
            };
            let mut last = 0.0;
            let mut on_progress = |p: ltv_core::import::Progress| {
                let fraction = p.bytes_done as f64 / (p.bytes_total.max(1)) as f64;
                // A message per percent is plenty for a bar.
                if fraction - last >= 0.01 {
                    last = fraction;
                    post(&Response::Progress {
                        stage: Stage::Importing,
                        fraction,
                    });
                }
                true
            };
            let result = import(&bytes, &options, &mut on_progress);
            drop(bytes);
            let mut held = held.borrow_mut();
            match result {
                Ok(done) => {
                    held.base = None;
                    held.analysis = None;
                    held.prediction = None;
                    held.table = Some(done.table);
                    held.report = Some(done.report.clone());
                    post(&Response::Imported(Ok(Box::new(done.report))));
                }
                Err(error) => {
                    held.base = None;
                    held.analysis = None;
                    held.table = None;
                    held.report = None;
                    post(&Response::Imported(Err(error)));
                }
            }
        }
        Request::Analyse { params } => {
            let held = &mut *held.borrow_mut();
            let Some(table) = &held.table else {
                return post(&Response::Failed(i18n::WORKER_NOTHING_IMPORTED.to_string()));
            };
            let base = match held.base.take() {
                Some(base) if base.as_of() == CustomerBase::as_of_for(table, params.as_of()) => {
                    base
                }
                _ => CustomerBase::new(table, params.as_of()),
            };
            let full = analyse_with(table, &base, &params, held.analysis.take());
            held.base = Some(base);
            // The view goes without the per-customer rows: they stay here for the exports.
            let view = full.without_customers();
            held.analysis = Some(full);
            post(&Response::Analysed(Box::new(view)));
        }
        Request::CustomersCsv { encoding, segment } => {
            let held = held.borrow();
            match &held.analysis {
                Some(analysis) => {
                    let bytes = match &held.prediction {
                        Some((prediction, alive)) => customers_csv_with(
                            &analysis.customers,
                            segment,
                            encoding,
                            &PREDICTED_HEADERS,
                            |row| predicted_cells(prediction, row.id, *alive),
                        ),
                        None => {
                            customers_csv_with(&analysis.customers, segment, encoding, &[], |_| {
                                Vec::new()
                            })
                        }
                    };
                    post(&Response::File {
                        name: i18n::customers_file_name(segment, encoding),
                        mime: "text/csv".to_string(),
                        bytes,
                    })
                }
                None => post(&Response::Failed(i18n::WORKER_NOTHING_IMPORTED.to_string())),
            }
        }
        Request::SummaryJson => {
            let held = held.borrow();
            let (Some(analysis), Some(report)) = (&held.analysis, &held.report) else {
                return post(&Response::Failed(i18n::WORKER_NOTHING_IMPORTED.to_string()));
            };
            let model = held.prediction.as_ref().map(|(p, _)| model_json(p));
            match summary_json(analysis, import_json(report), model) {
                Ok(json) => post(&Response::File {
                    name: i18n::SUMMARY_FILE_NAME.to_string(),
                    mime: "application/json".to_string(),
                    bytes: json.into_bytes(),
                }),
                Err(error) => post(&Response::Failed(error.message())),
            }
        }
        Request::Predict { params, alive } => {
            let mut held = held.borrow_mut();
            let Some(table) = &held.table else {
                return post(&Response::Failed(i18n::WORKER_NOTHING_IMPORTED.to_string()));
            };
            match predict(table, &params) {
                Ok(prediction) => {
                    let view = forecast(&prediction, &table.customer_keys, alive, RANKED);
                    held.prediction = Some((prediction, alive));
                    post(&Response::Predicted(Ok(Box::new(view))));
                }
                Err(error) => {
                    held.prediction = None;
                    post(&Response::Predicted(Err(error)));
                }
            }
        }
        Request::RejectedRowsCsv => {
            let held = held.borrow();
            match &held.report {
                Some(report) => post(&Response::File {
                    name: i18n::REJECTED_FILE_NAME.to_string(),
                    mime: "text/csv;charset=utf-8".to_string(),
                    bytes: rejected_rows_csv(&report.rejected).into_bytes(),
                }),
                None => post(&Response::Failed(i18n::WORKER_NOTHING_IMPORTED.to_string())),
            }
        }
    }
}

/// The import report's counts for the summary JSON.
fn import_json(report: &ImportReport) -> serde_json::Value {
    serde_json::json!({
        "platform": report.platform.label(),
        "encoding": report.encoding.label(),
        "rule": report.rule.description(),
        "revenue_rule": report.revenue_rule.sentence(),
        "revenue_basis": match report.revenue_rule.basis {
            RevenueBasis::BeforePoints => "before_points",
            RevenueBasis::AfterPoints => "after_points",
        },
        "rows_read": report.rows_read,
        "rows_used": report.rows_used,
        "rows_rejected": report.rows_rejected,
        "rows_excluded": report.rows_excluded,
        "excluded_orders": report.excluded_totals().0,
        "excluded_amount": report.excluded_totals().1,
        "excluded_included": report.excluded_included,
        "status_column": report.status_column.as_ref().or(report.cancelled_at_column.as_ref()),
        "guest_orders": report.guest_orders,
        "orders": report.orders,
        "customers": report.customers,
        "revenue": report.revenue,
        "first_order": report.first_day.map(ltv_core::orders::iso_date),
        "last_order": report.last_day.map(ltv_core::orders::iso_date),
        "raw_customer_keys": report.raw_keys,
        "merged_customers": report.merged_customers,
        "negative_orders": report.negative_orders,
        "zero_orders": report.zero_orders,
    })
}
