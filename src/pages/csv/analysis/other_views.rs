//! 別の見方: the same customers divided by other schemes (the common five, RFM, CPM, and the
//! prediction's P(alive) groups), below the six segments that lead. Each scheme's names carry
//! its prefix, and each says in one line when to use it.

use yew::prelude::*;

use super::{cpm, rfm, ViewProps};
use crate::components::{Cell, Deferred, SortableTable, TermHelp};
use crate::i18n::{self, Term};

#[derive(Properties, PartialEq)]
pub struct WhenProps {
    pub text: AttrValue,
}

/// One line on when a scheme is the one to use.
#[component]
pub fn When(props: &WhenProps) -> Html {
    html! {
        <p class="when"><strong>{ i18n::WHEN_LABEL }</strong>{ i18n::COLON }{ props.text.clone() }</p>
    }
}

/// The other schemes, one after another, in one section.
#[component]
pub fn OtherViews(props: &ViewProps) -> Html {
    let rules = &props.analysis.segments.rules;
    html! {
        <section class="card other-views" id="csv-other-views" aria-labelledby="other-views-title" data-testid="other-views">
            <h2 id="other-views-title">{ i18n::OTHER_VIEWS_TITLE }</h2>
            <p class="intro">{ i18n::other_views_intro(rules) }</p>
            <CommonView analysis={props.analysis.clone()} />
            <Deferred order={1}><rfm::RfmView analysis={props.analysis.clone()} /></Deferred>
            <Deferred order={2}><cpm::CpmView analysis={props.analysis.clone()} /></Deferred>
            <section class="alt-view" aria-labelledby="alive-view-title" data-testid="alt-alive">
                <h3 id="alive-view-title" class="with-term"><span>{ i18n::ALIVE_VIEW_TITLE }</span><TermHelp term={Term::PAlive} /></h3>
                <When text={i18n::ALIVE_WHEN} />
                <p><a href="#csv-prediction" onclick={super::super::scroll_to("csv-prediction")}>{ i18n::ALIVE_VIEW_LINK }</a></p>
            </section>
        </section>
    }
}

/// The common five of the big mail-order houses, with their rules.
#[component]
fn CommonView(props: &ViewProps) -> Html {
    let rules = &props.analysis.segments.rules;
    let rows: Vec<Vec<Cell>> = props
        .analysis
        .common_segments
        .segments
        .iter()
        .map(|s| {
            vec![
                Cell::text(if s.present {
                    i18n::common_segment_name(s.segment)
                } else {
                    format!("{}{}", i18n::common_segment_name(s.segment), i18n::ABSENT)
                }),
                Cell::text(i18n::common_segment_rule(s.segment, rules)),
                Cell::number(i18n::count_people(s.customers), s.customers as f64),
                Cell::maybe(i18n::rate_or_none(s.share), s.share),
                Cell::maybe(i18n::rate_or_none(s.revenue_share), s.revenue_share),
            ]
        })
        .collect();
    html! {
        <section class="alt-view" id="csv-common" aria-labelledby="common-title" data-testid="alt-common">
            <h3 id="common-title">{ i18n::COMMON_TITLE }</h3>
            <When text={i18n::COMMON_WHEN} />
            <SortableTable testid="common-segments"
                headers={vec![i18n::H_SEGMENT.into(), i18n::H_RULE.into(), i18n::H_CUSTOMERS.into(), i18n::H_SHARE.into(), i18n::H_REVENUE_SHARE.into()]}
                rows={rows} />
        </section>
    }
}
