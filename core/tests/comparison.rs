//! 施策の効果検証 on the jp-sample: two years side by side, and a mailing list of 50 customers
//! against everyone else, against the figures `core/tests/independent/comparison.py` computed
//! from the same file (`tests/data/jp-sample/comparison_expected.json`).

use std::path::{Path, PathBuf};

use ltv_core::analysis::compare::{
    compare_group, compare_periods, parse_customer_list, Metric, Period, PeriodFigures,
};
use ltv_core::analysis::customers::CustomerBase;
use ltv_core::analysis::findings::FindingInputs;
use ltv_core::analysis::{analyse, AnalysisParams};
use ltv_core::import::{import, ImportOptions};
use ltv_core::orders::{day_from_ymd, iso_date};
use serde_json::Value;

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/jp-sample")
        .join(file)
}

fn close(got: f64, want: &Value, what: &str) {
    let want = want.as_f64().unwrap_or_else(|| panic!("{what}: {want}"));
    assert!(
        (got - want).abs() <= 1e-6 * (1.0 + want.abs()),
        "{what}: {got} != {want}"
    );
}

fn check_period(got: &PeriodFigures, want: &Value, year: &str) {
    for (name, value) in [
        ("customers", got.customers),
        ("new_customers", got.new_customers),
        ("repeat_customers", got.repeat_customers),
        ("orders", got.orders),
        ("f2_eligible", got.f2_eligible),
        ("f2_converted", got.f2_converted),
    ] {
        assert_eq!(Some(value), want[name].as_u64(), "{year} {name}");
    }
    close(got.revenue, &want["revenue"], &format!("{year} revenue"));
    for (name, value) in [
        ("average_order_value", got.average_order_value),
        ("orders_per_customer", got.orders_per_customer),
        ("revenue_per_customer", got.revenue_per_customer),
        ("repeater_rate", got.repeater_rate),
    ] {
        close(value.unwrap(), &want[name], &format!("{year} {name}"));
    }
}

#[test]
fn the_jp_sample_compared_year_on_year_and_by_a_mailing_list() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(data("comparison_expected.json")).unwrap())
            .unwrap();
    let bytes = std::fs::read(data("jp_orders_cp932.csv")).unwrap();
    let table = import(&bytes, &ImportOptions::new(), &mut |_| true)
        .unwrap()
        .table;
    let (_, as_of) = table.date_range().unwrap();
    assert_eq!(iso_date(as_of), expected["as_of"].as_str().unwrap());

    let year = |y| Period {
        from: day_from_ymd(y, 1, 1).unwrap(),
        to: day_from_ymd(y, 12, 31).unwrap(),
    };
    let c = compare_periods(&table, year(2024), year(2025), 90, as_of);
    check_period(&c.before, &expected["periods"]["2024"], "2024");
    check_period(&c.after, &expected["periods"]["2025"], "2025");
    let customers = c
        .changes
        .iter()
        .find(|r| r.metric == Metric::Customers)
        .unwrap();
    assert_eq!(customers.difference, Some(336.0 - 183.0));

    let list = std::fs::read_to_string(data("dm_list_50.txt")).unwrap();
    let keys = parse_customer_list(&list);
    assert_eq!(keys.len(), 50);
    let since = day_from_ymd(2025, 7, 1).unwrap();
    let g = compare_group(&table, &keys, since, as_of);
    assert_eq!((g.listed, g.found, g.new_after), (50, 50, 0));
    for (side, got) in [("group", &g.group), ("others", &g.others)] {
        let want = &expected[side];
        assert_eq!(Some(got.customers), want["customers"].as_u64(), "{side}");
        assert_eq!(
            Some(got.bought_again),
            want["bought_again"].as_u64(),
            "{side}"
        );
        assert_eq!(Some(got.orders), want["orders"].as_u64(), "{side}");
        close(got.revenue, &want["revenue"], side);
    }
}

#[test]
fn the_findings_read_the_jp_sample_as_the_independent_script_does() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(data("comparison_expected.json")).unwrap())
            .unwrap();
    let bytes = std::fs::read(data("jp_orders_utf8bom.csv")).unwrap();
    let table = import(&bytes, &ImportOptions::new(), &mut |_| true)
        .unwrap()
        .table;
    let analysis = analyse(&table, &AnalysisParams::default());
    let measured = &expected["measured_for_diagnosis"];
    let filled = ltv_core::analysis::measured::diagnosis_inputs(&analysis);
    let get = |field| {
        let text = &filled.iter().find(|(f, _)| *f == field).unwrap().1;
        text.replace(',', "").parse::<u64>().unwrap()
    };
    use ltv_core::calc::form::Field;
    for (field, name) in [
        (Field::AverageOrderValue, "average_order_value"),
        (Field::OneTimeCustomers, "one_time_customers"),
        (Field::RepeatCustomers, "repeat_customers"),
        (Field::MonthCustomers, "month_customers"),
        (Field::MonthRepeaters, "month_repeaters"),
        (Field::CumulativeCustomers, "cumulative_customers"),
    ] {
        assert_eq!(Some(get(field)), measured[name].as_u64(), "{name}");
    }
    let each = &filled
        .iter()
        .find(|(f, _)| *f == Field::RepeatOrdersEach)
        .unwrap()
        .1;
    let want = expected["repeat_orders_each"].as_f64().unwrap();
    assert_eq!(
        *each,
        format!("{want:.1}"),
        "repeat orders each, one decimal"
    );
    let base = CustomerBase::new(&table, Some(analysis.as_of));
    let inputs = FindingInputs::of(&analysis, &base);
    assert_eq!(
        Some(inputs.new_last_year),
        expected["new_last_365_days"].as_u64()
    );
    assert_eq!(
        Some(inputs.new_year_before),
        expected["new_365_days_before"].as_u64()
    );
    assert_eq!(
        analysis.findings,
        ltv_core::analysis::findings::findings(&inputs)
    );
    assert!(analysis.findings.len() >= 3, "{:?}", analysis.findings);
    assert_eq!(
        analysis.without_customers().findings,
        analysis.findings,
        "the findings stay when the rows leave"
    );
    close(
        inputs.repeat_orders_each.unwrap(),
        &expected["repeat_orders_each"],
        "repeat orders each",
    );
}
