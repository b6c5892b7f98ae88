use yew::prelude::*;

use super::ViewProps;
use crate::components::{Cell, More, SortableTable, TermHelp};
use crate::i18n::{self, Term};

/// Rows shown in the next-product and pair tables.
const TOP: usize = 30;

/// Which first products lead to repeat buying, what comes next, and what sells together.
#[component]
pub fn ProductsView(props: &ViewProps) -> Html {
    let Some(p) = &props.analysis.products else {
        return html! {};
    };
    let first: Vec<Vec<Cell>> = p
        .first_products
        .iter()
        .map(|x| {
            vec![
                Cell::text(x.name.clone()),
                Cell::number(i18n::count_people(x.customers), x.customers as f64),
                Cell::maybe(i18n::rate_or_none(x.f2_rate), x.f2_rate),
                Cell::maybe(
                    i18n::yen_or_none(x.revenue_per_customer_12_months),
                    x.revenue_per_customer_12_months,
                ),
            ]
        })
        .collect();
    let next: Vec<Vec<Cell>> = p
        .next_products
        .iter()
        .take(TOP)
        .map(|x| {
            vec![
                Cell::text(x.first_name.clone()),
                Cell::text(x.next_name.clone()),
                Cell::number(i18n::count_people(x.customers), x.customers as f64),
            ]
        })
        .collect();
    let pairs: Vec<Vec<Cell>> = p
        .pairs
        .iter()
        .take(TOP)
        .map(|x| {
            vec![
                Cell::text(x.a_name.clone()),
                Cell::text(x.b_name.clone()),
                Cell::number(i18n::count_orders(x.orders), x.orders as f64),
                Cell::number(ltv_core::input::format_rate(x.support), x.support),
                Cell::number(i18n::lift_value(x.lift), x.lift),
            ]
        })
        .collect();
    html! {
        <section class="card" id="csv-products" aria-labelledby="products-title">
            <h2 id="products-title">{ i18n::PRODUCTS_TITLE }</h2>
            <p class="intro with-term"><span>{ i18n::PRODUCTS_INTRO }</span><TermHelp term={Term::F2} /></p>
            <More><p>{ i18n::PRODUCTS_DEFINITION }</p></More>
            <SortableTable testid="first-products"
                headers={vec![i18n::H_FIRST_PRODUCT.into(), i18n::H_CUSTOMERS.into(), i18n::H_F2_RATE.into(), i18n::H_REVENUE_12.into()]}
                rows={first} />
            <h3>{ i18n::NEXT_TITLE }</h3>
            <SortableTable testid="next-products"
                headers={vec![i18n::H_FIRST_PRODUCT.into(), i18n::H_NEXT_PRODUCT.into(), i18n::H_CUSTOMERS.into()]}
                rows={next} />
            <h3>{ i18n::PAIRS_TITLE }</h3>
            <p class="field-hint">{ i18n::LIFT_NOTE }</p>
            <SortableTable testid="product-pairs"
                headers={vec![i18n::H_PRODUCT_A.into(), i18n::H_PRODUCT_B.into(), i18n::H_ORDERS.into(), i18n::H_SUPPORT.into(), i18n::H_LIFT.into()]}
                rows={pairs} />
        </section>
    }
}
