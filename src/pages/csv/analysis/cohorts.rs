use ltv_core::chart::heat_level;
use yew::prelude::*;

use super::ViewProps;
use crate::components::{Cell, SortableTable};
use crate::i18n;

/// Months since the first order shown in the heatmap.
const MONTHS_SHOWN: usize = 24;

/// Retention by first-order month as a heatmap, and the LTV curve at 12 and 24 months.
#[component]
pub fn CohortsView(props: &ViewProps) -> Html {
    let c = &props.analysis.cohorts;
    let width = c
        .cohorts
        .iter()
        .map(|x| x.rate.len())
        .max()
        .unwrap_or(0)
        .min(MONTHS_SHOWN);
    let ltv_rows: Vec<Vec<Cell>> = c
        .cohorts
        .iter()
        .map(|x| {
            vec![
                Cell::text(x.label.clone()),
                Cell::number(i18n::count_people(x.size), x.size as f64),
                Cell::maybe(i18n::yen_or_none(x.ltv_12_months), x.ltv_12_months),
                Cell::maybe(i18n::yen_or_none(x.ltv_24_months), x.ltv_24_months),
            ]
        })
        .collect();
    html! {
        <section class="card" id="csv-cohorts" aria-labelledby="cohorts-title">
            <h2 id="cohorts-title">{ i18n::COHORTS_TITLE }</h2>
            <p class="intro">{ i18n::COHORT_DEFINITION }</p>
            <div class="table-scroll">
                <table class="heatmap" data-testid="cohort-heatmap">
                    <caption>{ i18n::COHORT_HEAT }</caption>
                    <thead><tr>
                        <th scope="col">{ i18n::H_COHORT }</th>
                        <th scope="col" class="num">{ i18n::H_SIZE }</th>
                        { for (0..width).map(|k| html! { <th scope="col" class="num">{ i18n::months_since(k) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for c.cohorts.iter().map(|x| html! {
                            <tr>
                                <th scope="row">{ x.label.clone() }</th>
                                <td class="num">{ i18n::count_people(x.size) }</td>
                                { for (0..width).map(|k| {
                                    let rate = x.rate.get(k).copied().flatten();
                                    let active = x.active.get(k).copied().flatten();
                                    let level = rate.map(heat_level);
                                    let (rate_text, count_text) = i18n::heat_cell(rate, active);
                                    html! {
                                        <td class={classes!("num", level.map(|l| format!("heat-{l}")), rate.is_none().then_some("unobserved"))}>
                                            { rate_text }<span class="heat-count">{ count_text }</span>
                                        </td>
                                    }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3>{ i18n::COHORT_LTV }</h3>
            <SortableTable testid="cohort-ltv"
                headers={vec![i18n::H_COHORT.into(), i18n::H_SIZE.into(), i18n::H_LTV_12.into(), i18n::H_LTV_24.into()]}
                rows={ltv_rows} />
        </section>
    }
}
