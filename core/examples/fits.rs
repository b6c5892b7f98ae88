//! Times each purchase model's fit on a file's calibration period, as `predict` fits them
//! with the app's holdout, for profiling the model stage:
//! `cargo run --release -p ltv-core --example fits -- bench/data/orders_1m_steady.csv [model]`,
//! model one of bg_nbd, pareto_nbd, mbg_nbd (all three by default).

use std::time::Instant;

use ltv_core::forecast::initial_calibration_end;
use ltv_core::import::{import, ImportOptions};
use ltv_core::model::{fit_purchase_model, group_customers, summarize, PurchaseModel};

fn main() {
    let path = std::env::args().nth(1).expect("usage: fits <file> [model]");
    let only = std::env::args().nth(2);
    // REPEAT=n fits each model n times (for a profiler); the time printed is the total.
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let bytes = std::fs::read(&path).expect("the file reads");
    let imported = import(&bytes, &ImportOptions::new(), &mut |_| true).expect("imports");
    let (first, last) = imported.table.date_range().expect("the file has orders");
    let end = initial_calibration_end(first, last).unwrap_or(last);
    let holdout_end = (end < last).then_some(last);
    let summary = summarize(&imported.table, end, holdout_end).expect("summarises");
    let groups = group_customers(&summary.customers);
    println!(
        "{} customers, {} groups, {} distinct x",
        summary.customers.len(),
        groups.len(),
        {
            let mut xs: Vec<u64> = groups.iter().map(|g| g.frequency).collect();
            xs.dedup();
            xs.len()
        }
    );
    for model in PurchaseModel::ALL {
        if only.as_ref().is_some_and(|name| name != model.json_name()) {
            continue;
        }
        let t = Instant::now();
        let mut fit = fit_purchase_model(model, &groups);
        for _ in 1..repeat {
            fit = fit_purchase_model(model, &groups);
        }
        let elapsed = t.elapsed().as_secs_f64();
        match fit {
            Ok(f) => println!(
                "{:<10} {:>8.2} s  {} iterations ({:?}), converged {}, LL {:.3}, {:?}",
                model.label(),
                elapsed,
                f.iterations,
                f.optimizer,
                f.converged,
                f.log_likelihood,
                f.params.values()
            ),
            Err(e) => println!("{:<10} {:>8.2} s  failed: {e:?}", model.label(), elapsed),
        }
    }
}
