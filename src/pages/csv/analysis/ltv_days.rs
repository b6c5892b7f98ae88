use ltv_core::chart::{lines, Frame};
use yew::prelude::*;

use super::ViewProps;
use crate::components::{Cell, Legend, LineChartView, More, SortableTable, TermHelp};
use crate::i18n::{self, Term};

/// The LTV curve: revenue per customer at 30 / 60 / 90 / 180 / 365 / 730 days after the first
/// order, of all customers as a line chart, then of each first-order month in a table.
#[component]
pub fn LtvDaysView(props: &ViewProps) -> Html {
    let l = &props.analysis.ltv_by_days;
    let labels: Vec<String> = l.days.iter().map(|d| i18n::days_label(*d)).collect();
    // Room on the left for the yen of the ticks at a phone's larger type; no second axis on
    // the right, so that each of the six days keeps its label.
    let chart = lines(
        Frame {
            left: 72.0,
            right: 16.0,
            ..Frame::new(400.0, 220.0)
        },
        &labels,
        &[l.all
            .points
            .iter()
            .map(|p| p.revenue_per_customer)
            .collect()],
    );
    let mut headers: Vec<AttrValue> = vec![i18n::H_COHORT.into(), i18n::H_SIZE.into()];
    headers.extend(l.days.iter().map(|d| AttrValue::from(i18n::days_label(*d))));
    let rows: Vec<Vec<Cell>> = std::iter::once(&l.all)
        .chain(l.cohorts.iter())
        .map(|row| {
            let mut cells = vec![
                Cell::text(match row.cohort {
                    Some(_) => row.label.clone(),
                    None => i18n::LTV_DAYS_ALL.to_string(),
                }),
                Cell::number(i18n::count_people(row.size), row.size as f64),
            ];
            cells.extend(row.points.iter().map(|p| {
                Cell::maybe(
                    i18n::yen_or_none(p.revenue_per_customer),
                    p.revenue_per_customer,
                )
            }));
            cells
        })
        .collect();
    html! {
        <section class="card" id="csv-ltv-days" aria-labelledby="ltv-days-title">
            <h2 id="ltv-days-title" class="with-term"><span>{ i18n::LTV_DAYS_TITLE }</span><TermHelp term={Term::Ltv} /></h2>
            <p class="intro">{ i18n::LTV_DAYS_INTRO }</p>
            <div class="chart-narrow">
                <Legend names={vec![AttrValue::from(i18n::LTV_CURVE_LINE)]} />
                <LineChartView {chart} title={i18n::LTV_CURVE_CHART} testid="ltv-curve"
                    tick={Callback::from(i18n::tick_yen)} markers=true />
            </div>
            <More><p>{ i18n::LTV_DAYS_DEFINITION }</p></More>
            <SortableTable testid="ltv-days" {headers} {rows} />
        </section>
    }
}
