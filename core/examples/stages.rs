//! Times each stage of the pipeline once on a file, for profiling (`perf record`) and for a
//! quick look between criterion runs:
//! `cargo run --release -p ltv-core --example stages -- bench/data/orders_1m.csv`.
//! `PARTS=n` imports in n parts read side by side (threads), as the browser's workers do;
//! `CHECK=1` with it compares the result with one reading's.

use std::time::Instant;

use ltv_core::analysis::{analyse, AnalysisParams};
use ltv_core::forecast::initial_calibration_end;
use ltv_core::import::{import, import_parallel, ImportOptions};
use ltv_core::model::{predict, ModelParams};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: stages <file> [repeats]");
    let repeats: usize = std::env::args()
        .nth(2)
        .map_or(1, |n| n.parse().expect("repeats is a number"));
    let parts: usize = std::env::var("PARTS")
        .ok()
        .map_or(1, |n| n.parse().expect("PARTS is a number"));
    let bytes = std::fs::read(&path).expect("the file reads");
    for _ in 0..repeats {
        let t = Instant::now();
        let options = ImportOptions::new();
        let imported = if parts > 1 {
            import_parallel(&bytes, &options, parts)
        } else {
            import(&bytes, &options, &mut |_| true)
        }
        .expect("imports");
        if parts > 1 && std::env::var_os("CHECK").is_some() {
            // `CHECK=1`: the parts give what one reading gives.
            let one = import(&bytes, &options, &mut |_| true).expect("imports");
            assert_eq!(imported.report, one.report, "the reports differ");
            assert_eq!(imported.table.orders, one.table.orders, "the orders differ");
            assert_eq!(imported.table.lines, one.table.lines, "the lines differ");
            println!("{parts} parts: the same table and report as one reading");
        }
        let t_import = t.elapsed();
        let t = Instant::now();
        let analysis = analyse(&imported.table, &AnalysisParams::default());
        let t_analyse = t.elapsed();
        let t = Instant::now();
        // The app's settings for a new file: a holdout when the file spans a year or more.
        let calibration_end = imported
            .table
            .date_range()
            .and_then(|(first, last)| initial_calibration_end(first, last));
        let model = predict(
            &imported.table,
            &ModelParams::default().with_calibration_end(calibration_end),
        );
        let t_model = t.elapsed();
        println!(
            "import {:>7.1} ms  analyse {:>7.1} ms  model {:>7.1} ms  ({} customers, {} orders, {} segments, model {})",
            t_import.as_secs_f64() * 1e3,
            t_analyse.as_secs_f64() * 1e3,
            t_model.as_secs_f64() * 1e3,
            imported.table.customer_count(),
            imported.table.orders.len(),
            analysis.segments.segments.len(),
            if model.is_ok() { "ok" } else { "failed" },
        );
    }
}
