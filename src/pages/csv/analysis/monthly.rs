use ltv_core::chart::{stacked_bars, Frame};
use yew::prelude::*;

use super::ViewProps;
use crate::components::{BarChartView, Cell, Legend, More, SortableTable, TermHelp};
use crate::i18n::{self, Term};

/// Customers, new and repeat customers by month, with both repeat figures and their definitions.
#[component]
pub fn MonthlyView(props: &ViewProps) -> Html {
    let m = &props.analysis.monthly;
    let labels: Vec<String> = m.months.iter().map(|x| x.label.clone()).collect();
    let chart = stacked_bars(
        Frame::new(720.0, 240.0),
        &labels,
        &[
            m.months.iter().map(|x| x.new_customers as f64).collect(),
            m.months.iter().map(|x| x.repeat_customers as f64).collect(),
        ],
    );
    let rows: Vec<Vec<Cell>> = m
        .months
        .iter()
        .map(|x| {
            vec![
                Cell::text(x.label.clone()),
                Cell::number(i18n::count_people(x.customers), x.customers as f64),
                Cell::number(i18n::count_people(x.new_customers), x.new_customers as f64),
                Cell::number(
                    i18n::count_people(x.repeat_customers),
                    x.repeat_customers as f64,
                ),
                Cell::maybe(i18n::rate_or_none(x.repeater_rate), x.repeater_rate),
                Cell::number(
                    i18n::count_people(x.cumulative_customers),
                    x.cumulative_customers as f64,
                ),
                Cell::maybe(i18n::rate_or_none(x.repeat_rate), x.repeat_rate),
            ]
        })
        .collect();
    html! {
        <section class="card" id="csv-monthly" aria-labelledby="monthly-title">
            <h2 id="monthly-title">{ i18n::MONTHLY_TITLE }</h2>
            <Legend names={vec![AttrValue::from(i18n::H_NEW), AttrValue::from(i18n::H_REPEAT)]} />
            <BarChartView chart={chart} title={i18n::MONTHLY_CHART} testid="monthly-chart"
                tick={Callback::from(i18n::tick_count)} />
            <dl class="definitions">
                <dt class="with-term"><span>{ i18n::H_REPEATER_RATE }</span><TermHelp term={Term::RepeaterRate} /></dt>
                <dd>{ i18n::REPEATER_ADVICE }</dd>
                <dt class="with-term"><span>{ i18n::H_REPEAT_RATE }</span><TermHelp term={Term::RepeatRate} /></dt>
                <dd>{ i18n::REPEAT_WARNING }</dd>
            </dl>
            <More>
                <p>{ i18n::REPEATER_RATE_DEFINITION }</p>
                <p>{ i18n::REPEAT_RATE_DEFINITION }</p>
            </More>
            <SortableTable testid="monthly-table"
                headers={vec![i18n::H_MONTH.into(), i18n::H_CUSTOMERS.into(), i18n::H_NEW.into(), i18n::H_REPEAT.into(),
                    i18n::H_REPEATER_RATE.into(), i18n::H_CUMULATIVE.into(), i18n::H_REPEAT_RATE.into()]}
                rows={rows} />
        </section>
    }
}
