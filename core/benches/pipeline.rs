//! The core's stages on the benchmark's generated files (`bench/gen.py` writes them into
//! `bench/data/`; `bench/run.sh` runs this and reads criterion's medians).
//!
//! - `import/orders_1m`: 1,000,000 rows `customer_id,order_date,amount` → `OrderTable`;
//! - `import/jp_export_300k_cp932`: 300,000 lines of a Japanese cp932 export → `OrderTable`;
//! - `analyse/orders_1m`: every view of the analysis at the default settings;
//! - `predict/orders_1m`: BG/NBD and Gamma-Gamma fitted, per-customer predictions.
//!
//! The file is read into memory once, outside the timing: the import is timed from bytes in
//! memory, as the app's worker gets them. Each later stage starts from the table the import
//! made, outside the timing too. Flat sampling, 10 samples of one run each: each stage takes
//! a large fraction of a second, so the whole bench stays within a few minutes on 2 cores.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode};
use ltv_core::analysis::{analyse, AnalysisParams};
use ltv_core::import::{import, ImportOptions};
use ltv_core::model::{predict, ModelParams};
use ltv_core::orders::OrderTable;

const ORDERS_1M: &str = "orders_1m.csv";
const JP_EXPORT: &str = "jp_export_300k_cp932.csv";

/// What each file holds, as `bench/gen.py` made it (its own counts, printed when it writes the
/// files; the peer's pandas import of the same files finds the same): checked before timing,
/// so that a fast but wrong import cannot pass for a fast one.
const EXPECTED: [(&str, u64, Option<usize>); 2] = [
    (ORDERS_1M, 192_302, None),
    (JP_EXPORT, 43_949, Some(228_066)),
];

/// The bytes of a generated file; fails loudly when it is missing.
fn data(name: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "bench", "data", name]
        .iter()
        .collect();
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `python3 bench/gen.py` (or `make bench`) first",
            path.display()
        )
    })
}

fn table_of(bytes: &[u8]) -> OrderTable {
    import(bytes, &ImportOptions::new(), &mut |_| true)
        .expect("the generated file imports")
        .table
}

fn configure<'a>(c: &'a mut Criterion, group: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(group);
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    g
}

fn bench_import(c: &mut Criterion) {
    let mut g = configure(c, "import");
    for (name, customers, orders) in EXPECTED {
        let bytes = data(name);
        let table = table_of(&bytes);
        assert_eq!(table.customer_count(), customers, "{name}: customers");
        if let Some(orders) = orders {
            assert_eq!(table.orders.len(), orders, "{name}: orders");
        }
        g.bench_function(name.trim_end_matches(".csv"), |b| {
            b.iter(|| import(black_box(&bytes), &ImportOptions::new(), &mut |_| true))
        });
    }
    g.finish();
}

fn bench_analyse(c: &mut Criterion) {
    let table = table_of(&data(ORDERS_1M));
    let params = AnalysisParams::default();
    let mut g = configure(c, "analyse");
    g.bench_function("orders_1m", |b| {
        b.iter(|| analyse(black_box(&table), black_box(&params)))
    });
    g.finish();
}

fn bench_predict(c: &mut Criterion) {
    let table = table_of(&data(ORDERS_1M));
    let params = ModelParams::default();
    predict(&table, &params).expect("the models fit the generated file");
    let mut g = configure(c, "predict");
    g.bench_function("orders_1m", |b| {
        b.iter(|| predict(black_box(&table), black_box(&params)))
    });
    g.finish();
}

criterion_group!(benches, bench_import, bench_analyse, bench_predict);
criterion_main!(benches);
