//! Times each view of the analysis on a file, to see where a threshold change spends its time:
//! `cargo run --release -p ltv-core --example analyse_parts -- bench/data/orders_1m.csv`.

use std::time::Instant;

use ltv_core::analysis::customers::CustomerBase;
use ltv_core::analysis::{
    analyse, cohorts, cpm, ltv_curve, monthly, products, rfm, segments, summary, AnalysisParams,
};
use ltv_core::import::{import, ImportOptions};

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    println!("{label:>16} {:>7.1} ms", t.elapsed().as_secs_f64() * 1e3);
    out
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: analyse_parts <file>");
    let bytes = std::fs::read(&path).expect("the file reads");
    let table = import(&bytes, &ImportOptions::new(), &mut |_| true)
        .expect("imports")
        .table;
    let p = AnalysisParams::default();
    for _ in 0..2 {
        let base = timed("customer base", || CustomerBase::new(&table, p.as_of()));
        timed("summary", || summary::summary(&base, &table, p.f2_days()));
        timed("segments", || segments::segments(&base, &p.segment_rules()));
        timed("common segments", || {
            segments::common_segments(&base, &p.segment_rules())
        });
        timed("rfm", || rfm::rfm(&base, p.rfm()));
        timed("cpm", || cpm::cpm(&base, &table, &p.cpm()));
        timed("monthly", || monthly::monthly(&base, &table));
        timed("cohorts", || cohorts::cohorts(&base, &table));
        timed("ltv by days", || ltv_curve::ltv_by_days(&base, &table));
        timed("products", || {
            products::products(&base, &table, p.f2_days())
        });
        timed("whole analyse", || analyse(&table, &p));
        let last = table.date_range().map_or(0, |r| r.1);
        let summary = timed("model summary", || {
            ltv_core::model::summarize(&table, last, None).expect("summarises")
        });
        let groups = timed("model groups", || {
            ltv_core::model::group_customers(&summary.customers)
        });
        timed("fit bg/nbd", || ltv_core::model::fit_bgnbd(&groups)).expect("the model fits");
        let _model = timed("whole model", || {
            ltv_core::model::predict(&table, &ltv_core::model::ModelParams::default())
        });
        println!();
    }
}
