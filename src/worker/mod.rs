//! The Web Worker that reads, analyses and predicts on an order export off the UI thread.
//!
//! Three layers:
//! - [`protocol`]: the requests, the responses, their bytes and the protocol version;
//! - [`engine`]: the work itself, with no web dependency (tested natively): it owns the
//!   imported order table and everything computed from it;
//! - `service` (in the worker) and [`client`] (in the page): the JavaScript glue on each side.
//!
//! Messages are [`protocol`] bytes (a version header, then postcard) in a `Uint8Array`; a
//! request that carries the user's file sends it beside them as a `Blob` (a file, a paste or
//! the sample), which the worker reads itself, so the UI thread never copies the file.

pub mod client;
pub mod engine;
pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod service;

pub use protocol::{Request, Response, Settings, Stage};

/// The largest file the worker is asked to read. The file is read a piece at a time, but the
/// rows read and the order table built from them still take several times a file of short
/// rows (about six times for three-column rows), within the 4 GB a wasm32 module can address.
pub const MAX_FILE_BYTES: f64 = 300.0 * 1_000_000.0;
