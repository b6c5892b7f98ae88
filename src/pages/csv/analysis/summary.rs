use ltv_core::input::{format_rate, format_yen};
use yew::prelude::*;

use super::ViewProps;
use crate::components::{Cell, Figure, More, SortableTable};
use crate::i18n::{self, Term};

/// Customers, orders, LTV by the rough method, repeat share and F2.
#[component]
pub fn SummaryView(props: &ViewProps) -> Html {
    let s = &props.analysis.summary;
    let rows: Vec<Vec<Cell>> = s
        .by_year
        .iter()
        .map(|y| {
            vec![
                Cell::number(y.year.to_string(), f64::from(y.year)),
                Cell::number(format_yen(y.revenue), y.revenue),
                Cell::number(i18n::count_people(y.customers), y.customers as f64),
                Cell::number(i18n::count_orders(y.orders), y.orders as f64),
                Cell::maybe(
                    i18n::yen_or_none(y.revenue_per_customer),
                    y.revenue_per_customer,
                ),
            ]
        })
        .collect();
    html! {
        <section class="card" id="csv-summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{ i18n::SUMMARY_TITLE }<span class="num">{ i18n::summary_as_of(&s.as_of) }</span></h2>
            <div class="figures four">
                <Figure label={i18n::S_CUSTOMERS} value={AttrValue::from(i18n::count_people(s.customers))} testid="a-customers" />
                <Figure label={i18n::S_ORDERS} value={AttrValue::from(i18n::count_orders(s.orders))} testid="a-orders" />
                <Figure label={i18n::S_REVENUE} value={AttrValue::from(format_yen(s.revenue))} testid="a-revenue" />
                <Figure label={i18n::S_AOV} value={AttrValue::from(i18n::yen_or_none(s.average_order_value))} testid="a-aov" />
                <Figure label={i18n::S_ORDERS_PER_CUSTOMER} value={AttrValue::from(i18n::times_or_none(s.orders_per_customer))} testid="a-orders-per-customer" />
                <Figure label={i18n::S_REVENUE_PER_CUSTOMER} value={AttrValue::from(i18n::yen_or_none(s.revenue_per_customer))} testid="a-revenue-per-customer" />
                <Figure label={i18n::S_LTV_12} term={Term::Ltv} value={AttrValue::from(i18n::yen_or_none(s.last_12_months.revenue_per_customer))} testid="a-ltv-12"
                    note={AttrValue::from(i18n::window_note(&s.last_12_months.from, &s.last_12_months.to, s.last_12_months.customers))} />
                <Figure label={i18n::S_LTV_24} term={Term::Ltv} value={AttrValue::from(i18n::yen_or_none(s.last_24_months.revenue_per_customer))} testid="a-ltv-24"
                    note={AttrValue::from(i18n::window_note(&s.last_24_months.from, &s.last_24_months.to, s.last_24_months.customers))} />
                <Figure label={i18n::S_REPEAT_SHARE} value={AttrValue::from(i18n::rate_or_none(s.repeat_share))} testid="a-repeat-share"
                    note={AttrValue::from(i18n::count_people(s.repeat_customers))} />
                <Figure label={i18n::kpi_f2(s.f2.days)} term={Term::F2}
                    value={AttrValue::from(s.f2.rate.map_or_else(|| i18n::NONE.to_string(), format_rate))} testid="a-f2"
                    note={AttrValue::from(i18n::f2_note(s.f2.days, s.f2.eligible))} />
            </div>
            <More><p>{ i18n::F2_DEFINITION }</p></More>
            <h3>{ i18n::BY_YEAR }</h3>
            <SortableTable testid="by-year"
                headers={vec![i18n::H_YEAR.into(), i18n::H_REVENUE.into(), i18n::H_CUSTOMERS.into(), i18n::H_ORDERS.into(), i18n::H_REVENUE_PER_CUSTOMER.into()]}
                rows={rows} />
        </section>
    }
}
