//! Times each stage of the analysis worker's pipeline on a file, in the order the worker runs
//! them, one JSON line a round: the file's two halves read as the worker and its helper read
//! them (here one after the other), their join, the orders put in customer order, the
//! customer base, the calibration summary, the analysis's views, each purchase model's fit and
//! its holdout comparison, the spend fit, the prediction's finish in its four parts (the
//! model chosen and the whole history's summary; the spend model's refit with each customer
//! placed in its group; the chosen model's refit, which a helper may make; the groups' and
//! customers' figures) and its view for the page (the rankings).
//!
//! Usage: `wasm-stages FILE [ROUNDS]` (built for wasm32-wasip1; `bench/wasm-stages.mjs` runs it).

use std::time::Instant;

use ltv_core::analysis::customers::CustomerBase;
use ltv_core::analysis::{analyse_views, AnalysisParams};
use ltv_core::forecast::initial_calibration_end;
use ltv_core::import::{join_parts, read_part, ImportOptions};
use ltv_core::model::{fit_purchase_model, start_prediction, ModelParams, PurchaseModel};

/// Customers named in each ranking of the view, as the worker's view names them.
const RANKED: usize = 20;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: wasm-stages FILE [ROUNDS]");
    let rounds: usize = std::env::args()
        .nth(2)
        .map_or(3, |n| n.parse().expect("ROUNDS is a number"));
    let bytes = std::fs::read(&path).expect("the file reads");
    let options = ImportOptions::new();
    for _ in 0..rounds {
        let mut stages: Vec<(String, f64)> = Vec::new();
        let mut timed = |name: &str, t: Instant| {
            stages.push((name.to_string(), t.elapsed().as_secs_f64() * 1e3));
        };
        let t = Instant::now();
        let first = read_part(&mut &bytes[..], &options, 0, 2, &mut |_| true).expect("reads");
        timed("part 0", t);
        let t = Instant::now();
        let second = read_part(&mut &bytes[..], &options, 1, 2, &mut |_| true).expect("reads");
        timed("part 1", t);
        let t = Instant::now();
        let imported = join_parts(
            first,
            vec![second.into_rows()],
            &mut &bytes[..],
            &options,
            &mut |_| true,
        )
        .expect("joins");
        timed("join", t);
        let mut table = imported.table;
        let t = Instant::now();
        table.group_by_customer();
        timed("customer order", t);
        let analysis = AnalysisParams::default();
        let t = Instant::now();
        let base = CustomerBase::new(&table, analysis.as_of());
        timed("customer base", t);
        let (first_day, last_day) = table.date_range().expect("the file has orders");
        let params = ModelParams::default()
            .with_calibration_end(initial_calibration_end(first_day, last_day));
        let t = Instant::now();
        let mut start = start_prediction(&table, Some(&base), &params).expect("starts");
        timed("calibration summary", t);
        let t = Instant::now();
        std::hint::black_box(analyse_views(&table, &base, &analysis, None));
        timed("views", t);
        for model in PurchaseModel::ALL {
            let t = Instant::now();
            let fit = fit_purchase_model(model, start.groups());
            timed(&format!("{} fit", model.json_name()), t);
            let t = Instant::now();
            start.add_fit(model, fit);
            timed(&format!("{} comparison", model.json_name()), t);
        }
        let t = Instant::now();
        start.fit_spend_ahead();
        timed("spend fit", t);
        let t = Instant::now();
        let mut begun = start.begin_finish(&table, Some(&base)).expect("predicts");
        timed("finish: whole summary", t);
        let t = Instant::now();
        begun.prepare();
        timed("finish: spend refit, groups", t);
        let t = Instant::now();
        let refitted = ltv_core::model::refit(begun.refit_ask(), begun.groups());
        timed("finish: refit", t);
        let t = Instant::now();
        let prediction = begun.complete(Some(refitted)).expect("predicts");
        timed("finish: figures", t);
        let t = Instant::now();
        std::hint::black_box(ltv_core::forecast::forecast(
            &prediction,
            &table.customer_keys,
            Default::default(),
            RANKED,
        ));
        timed("forecast view", t);
        let fields: Vec<String> = stages
            .iter()
            .map(|(name, ms)| format!("\"{name}\": {ms:.2}"))
            .collect();
        println!(
            "{{{}, \"model\": \"{}\"}}",
            fields.join(", "),
            prediction.model.json_name()
        );
    }
    // The runner reads the rounds up to this line (see bench/wasm-stages.mjs).
    println!("{{\"done\": true}}");
}
