use ltv_core::analysis::cpm::CpmGroup;
use yew::prelude::*;

use super::other_views::When;
use super::ViewProps;
use crate::components::{Cell, More, SortableTable, TermHelp};
use crate::i18n::{self, Term};

/// The name of row/column `index` of a flow matrix: 0 is "no order yet", then the ten groups.
fn flow_name(index: usize) -> String {
    match index
        .checked_sub(1)
        .and_then(|i| CpmGroup::all().get(i).copied())
    {
        Some(group) => i18n::cpm_group_name(group).to_string(),
        None => i18n::CPM_NOT_YET.to_string(),
    }
}

/// CPM as another way to divide the customers: the ten groups and last month's moves between
/// them.
#[component]
pub fn CpmView(props: &ViewProps) -> Html {
    let cpm = &props.analysis.cpm;
    let groups: Vec<Vec<Cell>> = cpm
        .groups
        .iter()
        .map(|g| {
            vec![
                Cell::text(i18n::cpm_group_name(g.group)),
                Cell::number(i18n::count_people(g.customers), g.customers as f64),
                Cell::maybe(i18n::rate_or_none(g.share), g.share),
                Cell::maybe(i18n::rate_or_none(g.revenue_share), g.revenue_share),
            ]
        })
        .collect();
    let last = cpm.flows.last();
    let moves: Vec<Vec<Cell>> = last
        .map(|flow| {
            flow.counts
                .iter()
                .enumerate()
                .flat_map(|(from, row)| {
                    row.iter()
                        .enumerate()
                        .filter(move |&(to, &n)| n > 0 && from != to)
                        .map(move |(to, &n)| {
                            vec![
                                Cell::text(flow_name(from)),
                                Cell::text(flow_name(to)),
                                Cell::number(i18n::count_people(n), n as f64),
                            ]
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        <section class="alt-view" id="csv-cpm" aria-labelledby="cpm-title" data-testid="alt-cpm">
            <h3 id="cpm-title" class="with-term"><span>{ i18n::CPM_TITLE }</span><TermHelp term={Term::Cpm} /></h3>
            <When text={i18n::CPM_WHEN} />
            <More>
                <ul class="rule-lines">{ for i18n::cpm_rules(&cpm.rules).into_iter().map(|r| html! { <li>{ r }</li> }) }</ul>
            </More>
            <SortableTable testid="cpm-groups"
                headers={vec![i18n::H_GROUP.into(), i18n::H_CUSTOMERS.into(), i18n::H_SHARE.into(), i18n::H_REVENUE_SHARE.into()]}
                rows={groups} />
            <h4>{ i18n::CPM_FLOW }{ last.map(|f| i18n::cpm_flow_dates(&f.from_date, &f.to_date)).unwrap_or_default() }</h4>
            if moves.is_empty() {
                <p class="field-hint">{ i18n::CPM_NO_FLOW }</p>
            } else {
                <SortableTable testid="cpm-flow"
                    headers={vec![i18n::H_FROM.into(), i18n::H_TO.into(), i18n::H_COUNT.into()]}
                    rows={moves} />
            }
        </section>
    }
}
