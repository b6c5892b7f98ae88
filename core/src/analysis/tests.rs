//! Tests of the whole analysis: the CDNOW data against independent figures, the Japanese
//! sample against its ground truth, and properties over random tables.

use proptest::prelude::*;

use super::segments::Segment;
use super::*;
use crate::orders::{day_from_ymd, Order, OrderLine, OrderTable};

/// Money sums of many orders: relative error allowed from float rounding.
pub(crate) const MONEY_TOLERANCE: f64 = 1e-9;
/// Rates printed by the independent script with 10 decimals.
const RATE_TOLERANCE: f64 = 1e-9;

/// Asserts `|got − want| ≤ tolerance × max(1, |want|)`.
pub(crate) fn assert_close(got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance * want.abs().max(1.0),
        "got {got}, want {want}"
    );
}

fn data_path(relative: &str) -> String {
    format!("{}/../tests/data/{relative}", env!("CARGO_MANIFEST_DIR"))
}

fn read_data(relative: &str) -> Vec<u8> {
    let path = data_path(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("test data missing: {path}: {e}"))
}

/// The CDNOW master file as an order table: `customer_id date number_of_cds dollar_value`,
/// one header line, every row one order. Customer ids are interned in order of appearance.
fn cdnow_master() -> OrderTable {
    let bytes = read_data("cdnow/CDNOW_master.txt");
    let text = std::str::from_utf8(&bytes).expect("CDNOW is ASCII");
    let mut table = OrderTable::default();
    let mut ids = std::collections::HashMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        assert_eq!(fields.len(), 4, "CDNOW row: {line}");
        let date = fields[1];
        let day = day_from_ymd(
            date[..4].parse().unwrap(),
            date[4..6].parse().unwrap(),
            date[6..].parse().unwrap(),
        )
        .expect("CDNOW date");
        let next = ids.len() as u32;
        let customer = *ids.entry(fields[0].to_string()).or_insert_with(|| {
            table.customer_keys.push(fields[0]);
            next
        });
        table.orders.push(Order {
            customer,
            day,
            amount: fields[3].parse().unwrap(),
        });
    }
    table
}

/// Expected figures printed by `core/tests/independent/cdnow_figures.py` (Python, standard
/// library only, its own reading of the file).
#[test]
fn cdnow_matches_independent_figures() {
    let table = cdnow_master();
    let a = analyse(&table, &AnalysisParams::default());
    let s = &a.summary;
    assert_eq!(a.as_of_date, "1998-06-30");
    assert_eq!(s.customers, 23_570);
    assert_eq!(s.orders, 69_659);
    assert_close(s.revenue, 2_500_315.63, MONEY_TOLERANCE);
    assert_close(
        s.average_order_value.unwrap(),
        35.893_648_057_0,
        RATE_TOLERANCE,
    );
    let y1997 = s.by_year.iter().find(|y| y.year == 1997).unwrap();
    assert_eq!(y1997.customers, 23_570);
    assert_close(y1997.revenue, 2_024_161.26, MONEY_TOLERANCE);
    assert_close(
        y1997.revenue_per_customer.unwrap(),
        85.878_712_770_5,
        RATE_TOLERANCE,
    );
    assert_eq!(s.repeat_customers, 11_662);
    assert_close(s.repeat_share.unwrap(), 0.494_781_501_9, RATE_TOLERANCE);

    // (label, size, month-1 active, month-1 rate)
    let cohorts = [
        ("1997-01", 7_846, 1_157, 0.147_463_675_8),
        ("1997-02", 8_476, 1_312, 0.154_789_995_3),
        ("1997-03", 7_248, 1_032, 0.142_384_106_0),
    ];
    assert_eq!(
        a.cohorts.cohorts.len(),
        3,
        "all first orders are in Jan–Mar 1997"
    );
    for (row, (label, size, active, rate)) in a.cohorts.cohorts.iter().zip(cohorts) {
        assert_eq!(row.label, label);
        assert_eq!(row.size, size, "{label}");
        assert_eq!(row.active[1], Some(active), "{label}");
        assert_close(row.rate[1].unwrap(), rate, RATE_TOLERANCE);
        assert_eq!(row.active[0], Some(size), "everyone is active in month 0");
    }
    let sizes: u64 = a.cohorts.cohorts.iter().map(|c| c.size).sum();
    assert_eq!(sizes, s.customers);
    // The README: all customers first bought in January–March 1997.
    let segments: u64 = a.segments.segments.iter().map(|s| s.customers).sum();
    assert_eq!(segments, 23_570);
    assert_eq!(a.customers.len(), 23_570);
}

/// The sample must analyse in well under 200 ms natively in release; this checks a
/// million orders and 200,000 customers. Run with `cargo test --release -- --ignored`.
#[test]
#[ignore]
fn a_million_orders_are_fast() {
    let table = random_table(200_000, 1_000_000, 42);
    // Each view alone, to see where the time goes.
    let params = AnalysisParams::default();
    let t = std::time::Instant::now();
    let sum: f64 = table.orders.iter().map(|o| o.amount).sum();
    eprintln!(
        "one pass over the orders (machine speed) {:?} ({sum})",
        t.elapsed()
    );
    let t = std::time::Instant::now();
    let base = customers::CustomerBase::new(&table, None);
    eprintln!("base {:?}", t.elapsed());
    let views: [(&str, &dyn Fn()); 8] = [
        ("summary", &|| drop(summary::summary(&base, &table, 90))),
        ("monthly", &|| drop(monthly::monthly(&base, &table))),
        ("cohorts", &|| drop(cohorts::cohorts(&base, &table))),
        ("segments", &|| {
            drop(segments::segments(&base, &params.segment_rules))
        }),
        ("common", &|| {
            drop(segments::common_segments(&base, &params.segment_rules))
        }),
        ("rfm", &|| drop(rfm::rfm(&base, &params.rfm))),
        ("cpm", &|| drop(cpm::cpm(&base, &table, &params.cpm))),
        ("ltv_by_days", &|| {
            drop(ltv_curve::ltv_by_days(&base, &table))
        }),
    ];
    for (name, view) in views {
        let t = std::time::Instant::now();
        view();
        eprintln!("{name} {:?}", t.elapsed());
    }
    let start = std::time::Instant::now();
    let a = analyse(&table, &AnalysisParams::default());
    let elapsed = start.elapsed();
    assert_eq!(a.summary.orders, 1_000_000);
    eprintln!("analyse: {elapsed:?} for {} customers", a.summary.customers);
    assert!(elapsed.as_millis() < 200, "{elapsed:?}");
}

/// A seeded table: customers × orders over two years from 2023-01-01.
fn random_table(customers: u32, orders: u32, seed: u64) -> OrderTable {
    let mut state = seed;
    let mut next = move || {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let start = day_from_ymd(2023, 1, 1).unwrap();
    OrderTable {
        customer_keys: (0..customers).map(|c| format!("c{c}@example.jp")).collect(),
        orders: (0..orders)
            .map(|_| Order {
                customer: (next() % u64::from(customers)) as u32,
                day: start + (next() % 730) as i32,
                amount: (next() % 20_000) as f64,
            })
            .collect(),
        ..Default::default()
    }
}

/// The Japanese sample through the importer: per-customer orders and revenue equal the
/// ground truth file, and segment counts equal a count by the default rules done here on
/// the ground truth's own last order dates.
#[test]
fn jp_sample_matches_ground_truth() {
    let bytes = read_data("jp-sample/jp_orders_utf8bom.csv");
    let imported =
        crate::import::import(&bytes, &crate::import::ImportOptions::new(), &mut |_| true)
            .expect("the sample imports");
    let a = analyse(&imported.table, &AnalysisParams::default());

    let truth_bytes = read_data("jp-sample/jp_orders_ground_truth_customers.csv");
    let truth_text = std::str::from_utf8(&truth_bytes)
        .unwrap()
        .trim_start_matches('\u{feff}');
    let mut lines = truth_text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (email, n_orders, revenue, last_ts) = (
        col("canonical_email"),
        col("n_orders"),
        col("revenue"),
        col("last_ts"),
    );
    let parse_day = |ts: &str| {
        let date = ts.split(' ').next().unwrap();
        let p: Vec<u32> = date.split('/').map(|x| x.parse().unwrap()).collect();
        day_from_ymd(p[0] as i32, p[1], p[2]).unwrap()
    };
    let truth: Vec<(String, u64, f64, i32)> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[email].to_string(),
                f[n_orders].parse().unwrap(),
                f[revenue].parse().unwrap(),
                parse_day(f[last_ts]),
            )
        })
        .collect();
    assert_eq!(truth.len(), 400);
    assert_eq!(a.customers.len(), truth.len());

    let by_key: std::collections::HashMap<&str, &CustomerRow> =
        a.customers.iter().map(|r| (r.key.as_str(), r)).collect();
    for (key, orders, revenue, _) in &truth {
        let row = by_key
            .get(key.as_str())
            .unwrap_or_else(|| panic!("customer {key} missing"));
        assert_eq!(row.orders, *orders, "{key}");
        assert_close(row.revenue, *revenue, MONEY_TOLERANCE);
    }

    // Direct count: ≤ 90 days by 1 / 2 / 3+ orders, then 91–180, 181–365, over 365.
    let as_of = truth.iter().map(|t| t.3).max().unwrap();
    assert_eq!(a.as_of, as_of);
    let mut expected = [0u64; 6];
    for (_, orders, _, last) in &truth {
        let days = as_of - last;
        let i = match (days, orders) {
            (0..=90, 1) => 0,
            (0..=90, 2) => 1,
            (0..=90, _) => 2,
            (91..=180, _) => 3,
            (181..=365, _) => 4,
            _ => 5,
        };
        expected[i] += 1;
    }
    let got: Vec<u64> = Segment::ALL
        .iter()
        .map(|&s| a.segments.get(s).customers)
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn params_validate_each_setting() {
    let d = AnalysisParams::default();
    let cases = [
        (d.clone(), None),
        (
            AnalysisParams {
                horizon_years: 2,
                ..d.clone()
            },
            None,
        ),
        (
            AnalysisParams {
                horizon_years: 0,
                ..d.clone()
            },
            Some("分析期間"),
        ),
        (
            AnalysisParams {
                f2_days: 0,
                ..d.clone()
            },
            Some("F2"),
        ),
        (
            AnalysisParams {
                segment_rules: SegmentRules {
                    active_days: 200,
                    ..SegmentRules::default()
                },
                ..d.clone()
            },
            Some("セグメントの日数"),
        ),
        (
            AnalysisParams {
                rfm: RfmMode::Thresholds(rfm::RfmThresholds {
                    frequency: [3, 2, 5, 10],
                    ..Default::default()
                }),
                ..d.clone()
            },
            Some("F(注文回数)"),
        ),
        (
            AnalysisParams {
                cpm: CpmRules {
                    lapse_days: 0,
                    ..CpmRules::default()
                },
                ..d.clone()
            },
            Some("CPM"),
        ),
    ];
    for (params, error) in cases {
        match (params.validate(), error) {
            (Ok(()), None) => {}
            (Err(e), Some(text)) => assert!(e.message().contains(text), "{}", e.message()),
            (got, want) => panic!("{params:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn horizon_picks_the_window() {
    let table = random_table(50, 400, 7);
    let one = analyse(&table, &AnalysisParams::default());
    let two = analyse(
        &table,
        &AnalysisParams {
            horizon_years: 2,
            ..Default::default()
        },
    );
    assert_eq!(
        one.horizon_ltv,
        one.summary.last_12_months.revenue_per_customer
    );
    assert_eq!(
        two.horizon_ltv,
        two.summary.last_24_months.revenue_per_customer
    );
    assert_ne!(one.horizon_ltv, two.horizon_ltv);
    // Out-of-range horizons are read as the nearest allowed one.
    let nine = analyse(
        &table,
        &AnalysisParams {
            horizon_years: 9,
            ..Default::default()
        },
    );
    assert_eq!(nine.horizon_years, 2);
}

#[test]
fn empty_table_analyses_without_panic() {
    let a = analyse(&OrderTable::default(), &AnalysisParams::default());
    assert_eq!(a.summary.customers, 0);
    assert!(a.customers.is_empty());
    assert!(a.monthly.months.is_empty());
    assert!(a.cpm.flows.is_empty());
    assert_eq!(a.segments.segments.len(), 6);
    assert!(a.products.is_none());
    assert!(export::summary_json(&a, serde_json::Value::Null, None).is_ok());
}

#[test]
fn the_result_crosses_to_the_ui_as_json() {
    let table = random_table(30, 200, 3);
    let a = analyse(&table, &AnalysisParams::default());
    let json = serde_json::to_string(&a).unwrap();
    let back: Analysis = serde_json::from_str(&json).unwrap();
    assert_eq!(back.summary, a.summary);
    assert_eq!(back.customers, a.customers);
    assert_eq!(back.cohorts, a.cohorts);
}

// ---- properties over random small tables ----

/// Orders as (customer, day offset, amount in yen, products).
fn small_table() -> impl Strategy<Value = OrderTable> {
    (
        1u32..12,
        prop::collection::vec((0u32..12, 0i32..900, -2_000i32..20_000, 0u32..4), 1..60),
    )
        .prop_map(|(customers, rows)| {
            let start = day_from_ymd(2023, 1, 1).unwrap();
            let mut t = OrderTable {
                customer_keys: (0..customers).map(|c| format!("c{c}")).collect(),
                product_names: vec!["a".into(), "b".into(), "c".into()],
                ..Default::default()
            };
            for (i, (c, day, amount, product)) in rows.into_iter().enumerate() {
                t.orders.push(Order {
                    customer: c % customers,
                    day: start + day,
                    amount: f64::from(amount),
                });
                if product < 3 {
                    t.lines.push(OrderLine {
                        order: i as u32,
                        product,
                        quantity: 1.0,
                    });
                }
            }
            t
        })
}

fn sum_close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #[test]
    fn totals_are_conserved(table in small_table(), back in 0i32..400) {
        let last = table.date_range().unwrap().1;
        let params = AnalysisParams { as_of: Some(last - back), ..Default::default() };
        let a = analyse(&table, &params);
        let customers = a.summary.customers;
        let seg_customers: u64 = a.segments.segments.iter().map(|s| s.customers).sum();
        let seg_revenue: f64 = a.segments.segments.iter().map(|s| s.revenue).sum();
        prop_assert_eq!(seg_customers, customers);
        prop_assert!(sum_close(seg_revenue, a.summary.revenue));
        let five: u64 = a.common_segments.segments.iter().map(|s| s.customers).sum();
        prop_assert_eq!(five, customers);
        let cohort_sizes: u64 = a.cohorts.cohorts.iter().map(|c| c.size).sum();
        prop_assert_eq!(cohort_sizes, customers);
        let cpm: u64 = a.cpm.groups.iter().map(|g| g.customers).sum();
        prop_assert_eq!(cpm, customers);
        let grid: u64 = a.rfm.grid.iter().map(|c| c.customers).sum();
        prop_assert_eq!(grid, customers);
        let groups: u64 = a.rfm.groups.iter().map(|g| g.customers).sum();
        prop_assert_eq!(groups, customers);
        let new: u64 = a.monthly.months.iter().map(|m| m.new_customers).sum();
        prop_assert_eq!(new, customers);
        let years: f64 = a.summary.by_year.iter().map(|y| y.revenue).sum();
        prop_assert!(sum_close(years, a.summary.revenue));
        prop_assert_eq!(a.customers.len() as u64, customers);
        // Orders after the date never count.
        let counted = table.orders.iter().filter(|o| o.day <= last - back).count() as u64;
        prop_assert_eq!(a.summary.orders, counted);
        for row in &a.customers {
            for score in [row.rfm.r, row.rfm.f, row.rfm.m] {
                prop_assert!((1..=5).contains(&score));
            }
        }
        for flow in &a.cpm.flows {
            let total: u64 = flow.counts.iter().flatten().sum();
            prop_assert_eq!(total, customers);
        }
    }

    #[test]
    fn row_order_does_not_matter(table in small_table(), seed in any::<u64>()) {
        // Shuffle the orders (keeping each line with its order).
        let n = table.orders.len();
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            perm.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut shuffled = table.clone();
        shuffled.orders = perm.iter().map(|&i| table.orders[i]).collect();
        let mut new_index = vec![0u32; n];
        for (new, &old) in perm.iter().enumerate() {
            new_index[old] = new as u32;
        }
        for line in &mut shuffled.lines {
            line.order = new_index[line.order as usize];
        }
        let params = AnalysisParams::default();
        let (a, b) = (analyse(&table, &params), analyse(&shuffled, &params));
        prop_assert_eq!(&a.summary, &b.summary);
        prop_assert_eq!(&a.monthly, &b.monthly);
        prop_assert_eq!(&a.cohorts, &b.cohorts);
        prop_assert_eq!(&a.segments, &b.segments);
        prop_assert_eq!(&a.rfm, &b.rfm);
        prop_assert_eq!(&a.cpm, &b.cpm);
        prop_assert_eq!(&a.ltv_by_days, &b.ltv_by_days);
        prop_assert_eq!(&a.customers, &b.customers);
        // Pairs count orders, not rows: equal but for float order in nothing.
        prop_assert_eq!(&a.products, &b.products);
    }

    /// A table put in customer order is read where it is, and every view is the same as
    /// from the table in file order: with product lines (the orders copied, the lines
    /// following) and without (moved within the table), at the last day and before it.
    #[test]
    fn a_table_in_customer_order_gives_the_same_analysis(
        table in small_table(),
        with_lines in any::<bool>(),
        back in prop::option::of(0i32..900),
    ) {
        let mut table = table;
        if !with_lines {
            table.lines.clear();
        }
        let mut grouped = table.clone();
        grouped.group_by_customer();
        prop_assert!(grouped.is_grouped());
        prop_assert_eq!(grouped.orders.len(), table.orders.len());
        // The lines still point at orders of their customer, day and amount.
        for (a, b) in table.lines.iter().zip(&grouped.lines) {
            prop_assert_eq!(table.orders[a.order as usize], grouped.orders[b.order as usize]);
            prop_assert_eq!((a.product, a.quantity), (b.product, b.quantity));
        }
        let as_of = back.map(|b| day_from_ymd(2023, 1, 1).unwrap() + b);
        let params = AnalysisParams::default().with_as_of(as_of);
        let (a, b) = (analyse(&table, &params), analyse(&grouped, &params));
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn segment_edges_hold_for_any_history(
        first in 0i32..500,
        orders in 1u64..6,
        days in prop::sample::select(vec![0i64, 90, 91, 180, 181, 365, 366, 1_000]),
    ) {
        let as_of = 2_000;
        let stats = customers::CustomerStats {
            first_day: first,
            second_day: None, // the rules do not read it
            last_day: as_of - days as i32,
            orders,
            order_days: orders,
            revenue: 1.0,
        };
        let seg = SegmentRules::default().segment(&stats, as_of);
        let want = match days {
            0..=90 => match orders { 1 => Segment::New, 2 => Segment::Candidate, _ => Segment::Regular },
            91..=180 => Segment::Sleep,
            181..=365 => Segment::HalfDormant,
            _ => Segment::Dormant,
        };
        prop_assert_eq!(seg, want);
    }
}

/// The per-customer table and the export agree with the segments' counts.
#[test]
fn customer_rows_agree_with_the_views() {
    let table = random_table(300, 2_000, 11);
    let a = analyse(&table, &AnalysisParams::default());
    for seg in Segment::ALL {
        let rows = a.customers.iter().filter(|r| r.segment == seg).count() as u64;
        assert_eq!(rows, a.segments.get(seg).customers, "{seg:?}");
    }
    let d = table.date_range().unwrap().1;
    assert_eq!(a.as_of, d);
    for row in &a.customers {
        assert_eq!(row.days_since_last, i64::from(d - row.last_day));
        assert!(row.first_day <= row.last_day);
    }
}

/// The app's built-in sample export, imported (products included).
fn sample_table() -> OrderTable {
    crate::import::import(
        crate::import::sample_export(),
        &crate::import::ImportOptions::new(),
        &mut |_| true,
    )
    .expect("the sample imports")
    .table
}

/// Settings changed one at a time and all at once: the analysis updated from the previous one
/// equals the analysis made afresh, on the built-in sample export (products included).
#[test]
fn an_updated_analysis_equals_a_fresh_one() {
    let table = sample_table();
    let start = AnalysisParams::default();
    let mut changes: Vec<AnalysisParams> = Vec::new();
    let mut p = start.clone();
    p.segment_rules.active_days = 30;
    changes.push(p.clone());
    p.f2_days = 30;
    changes.push(p.clone());
    p.cpm.spend_yen = 10_000.0;
    changes.push(p.clone());
    p.horizon_years = 2;
    changes.push(p.clone());
    let mut q = start.clone();
    q.rfm = rfm::RfmMode::Thresholds(rfm::RfmThresholds::default());
    changes.push(q);
    changes.push(start.clone());

    let base = customers::CustomerBase::new(&table, None);
    let mut previous = analyse_with(&table, &base, &start, None);
    assert_eq!(previous, analyse(&table, &start));
    for params in &changes {
        let updated = analyse_with(&table, &base, params, Some(previous));
        assert_eq!(updated, analyse(&table, params), "{params:?}");
        previous = updated;
    }
    // A previous analysis at another date is not reused.
    let earlier = AnalysisParams {
        as_of: Some(base.as_of() - 30),
        ..start.clone()
    };
    let other_base = customers::CustomerBase::new(&table, earlier.as_of);
    let at_other_date = analyse_with(&table, &other_base, &earlier, Some(previous));
    assert_eq!(at_other_date, analyse(&table, &earlier));
}

/// The analysis the worker holds (without per-customer rows, each made from the one before)
/// equals a fresh one without its rows, findings included: they come from the customers, not
/// from the rows. The rows made afterwards for an export equal a fresh analysis's.
#[test]
fn an_analysis_without_rows_has_every_view_and_finding() {
    let table = sample_table();
    let base = customers::CustomerBase::new(&table, None);
    let start = AnalysisParams::default();
    let mut stricter = start.clone();
    stricter.segment_rules.active_days = 30;
    let mut shorter = stricter.clone();
    shorter.f2_days = 30;
    let mut previous = None;
    for params in [&start, &stricter, &shorter, &start] {
        let views = analyse_views(&table, &base, params, previous.take());
        let fresh = analyse(&table, params);
        assert!(views.customers.is_empty());
        assert!(!views.findings.is_empty(), "{params:?}");
        assert_eq!(views, fresh.without_customers(), "{params:?}");
        assert_eq!(customer_rows(&table, &base, &views), fresh.customers);
        previous = Some(views);
    }
}

/// The first views with the later views put in afterwards equal the whole analysis, on the
/// built-in sample export (products included) and on CDNOW, at two dates; until they are
/// put in, the later views are those of no orders, the first ones and the findings already
/// the whole analysis's. An analysis updated from one whose later views had not come makes
/// them afresh instead of taking over the empty ones.
#[test]
fn the_first_views_and_the_later_ones_make_the_whole_analysis() {
    for table in [sample_table(), cdnow_master()] {
        let last = table.date_range().expect("orders").1;
        for as_of in [None, Some(last - 200)] {
            let params = AnalysisParams::default().with_as_of(as_of);
            let base = customers::CustomerBase::new(&table, params.as_of());
            let whole = analyse_views(&table, &base, &params, None);
            let mut first = analyse_first_views(&table, &base, &params);
            assert!(first.later_pending && !whole.later_pending);
            assert_eq!(
                (
                    &first.summary,
                    &first.segments,
                    &first.monthly,
                    &first.findings
                ),
                (
                    &whole.summary,
                    &whole.segments,
                    &whole.monthly,
                    &whole.findings
                )
            );
            assert!(first.rfm.by_customer.is_empty() && first.cohorts != whole.cohorts);
            assert!(whole.rfm.by_customer.len() > 1_000 || table.customer_keys.len() < 1_000);

            let updated = analyse_views(&table, &base, &params, Some(first.clone()));
            assert_eq!(updated, whole, "{as_of:?}");

            first.set_later_views(LaterViews::new(&table, &base, &params));
            assert_eq!(first, whole, "{as_of:?}");
        }
    }
}
