use ltv_core::chart::heat_level;
use yew::prelude::*;

use super::other_views::When;
use super::ViewProps;
use crate::components::{Cell, More, SortableTable, TermHelp};
use crate::i18n::{self, Term};

/// RFM as another way to divide the customers: the R × F grid and the named groups with
/// their actions.
#[component]
pub fn RfmView(props: &ViewProps) -> Html {
    let rfm = &props.analysis.rfm;
    let cell = |r: u8, f: u8| rfm.grid.iter().find(|c| c.r == r && c.f == f);
    let groups: Vec<Vec<Cell>> = rfm
        .groups
        .iter()
        .map(|g| {
            vec![
                Cell::text(i18n::rfm_group_name(g.group)),
                Cell::number(i18n::count_people(g.customers), g.customers as f64),
                Cell::maybe(i18n::rate_or_none(g.share), g.share),
                Cell::maybe(i18n::rate_or_none(g.revenue_share), g.revenue_share),
                Cell::text(i18n::rfm_group_action(g.group)),
            ]
        })
        .collect();
    html! {
        <section class="alt-view" id="csv-rfm" aria-labelledby="rfm-title" data-testid="alt-rfm">
            <h3 id="rfm-title" class="with-term"><span>{ i18n::RFM_TITLE }</span><TermHelp term={Term::Rfm} /></h3>
            <When text={i18n::RFM_WHEN} />
            <p class="intro">{ i18n::rfm_rule(&rfm.mode) }</p>
            <More><p>{ i18n::rfm_rule_detail(&rfm.mode) }</p></More>
            <div class="table-scroll">
                <table class="heatmap rfm" data-testid="rfm-grid">
                    <caption>{ i18n::RFM_GRID }</caption>
                    <thead><tr>
                        <th scope="col"></th>
                        { for (1..=5u8).map(|f| html! { <th scope="col" class="num">{ i18n::f_label(f) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for (1..=5u8).rev().map(|r| html! {
                            <tr>
                                <th scope="row">{ i18n::r_label(r) }</th>
                                { for (1..=5u8).map(|f| {
                                    let c = cell(r, f);
                                    let level = c.and_then(|c| c.revenue_share).map(heat_level);
                                    html! {
                                        <td class={classes!("num", level.map(|l| format!("heat-{l}")))}
                                            data-testid={format!("rfm-{r}-{f}")}>
                                            { c.map(|c| i18n::rfm_cell(c.customers, c.revenue_share)).unwrap_or_default() }
                                        </td>
                                    }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h4>{ i18n::RFM_GROUPS }</h4>
            <SortableTable testid="rfm-groups"
                headers={vec![i18n::H_GROUP.into(), i18n::H_CUSTOMERS.into(), i18n::H_SHARE.into(), i18n::H_REVENUE_SHARE.into(), i18n::H_ACTION.into()]}
                rows={groups} />
        </section>
    }
}
