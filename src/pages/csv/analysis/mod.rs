//! The analysis of imported orders: every view reads the one `Analysis` the worker computed.

mod cohorts;
mod controls;
mod cpm;
mod exports;
mod headline;
mod ltv_days;
mod monthly;
mod other_views;
mod products;
mod rfm;
mod segments;
mod summary;

use std::rc::Rc;

use ltv_core::analysis::export::CsvEncoding;
use ltv_core::analysis::segments::Segment;
use ltv_core::analysis::{Analysis, AnalysisParams};
use yew::prelude::*;

use crate::components::Deferred;

pub use controls::Controls;
pub use headline::Headline;

/// A download the user asked for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Download {
    Customers(Option<Segment>, CsvEncoding),
    Summary,
}

#[derive(Properties, PartialEq)]
pub struct AnalysisViewProps {
    pub analysis: Rc<Analysis>,
    pub on_download: Callback<Download>,
}

/// All the views, in the order a seminar goes through them.
#[component]
pub fn AnalysisView(props: &AnalysisViewProps) -> Html {
    let encoding = use_state(|| CsvEncoding::Utf8Bom);
    let a = &props.analysis;
    let on_encoding = {
        let encoding = encoding.clone();
        Callback::from(move |e: CsvEncoding| encoding.set(e))
    };
    html! {
        <div class="analysis" data-testid="analysis">
            // The sections come in after the headline, in order, built and laid out a few to a
            // short task, so that the page never freezes while a large analysis is laid out.
            <Deferred order={1}><summary::SummaryView analysis={a.clone()} /></Deferred>
            <Deferred order={2}><monthly::MonthlyView analysis={a.clone()} /></Deferred>
            <Deferred order={3}><cohorts::CohortsView analysis={a.clone()} /></Deferred>
            <Deferred order={4}>
                <segments::SegmentsView analysis={a.clone()} encoding={*encoding}
                    on_encoding={on_encoding.clone()} on_download={props.on_download.clone()} />
            </Deferred>
            <Deferred order={5}><other_views::OtherViews analysis={a.clone()} /></Deferred>
            <Deferred order={6}><ltv_days::LtvDaysView analysis={a.clone()} /></Deferred>
            if a.products.is_some() {
                <Deferred order={7}><products::ProductsView analysis={a.clone()} /></Deferred>
            }
            <Deferred order={9}>
                <exports::ExportsView encoding={*encoding} {on_encoding} on_download={props.on_download.clone()} />
            </Deferred>
        </div>
    }
}

/// Props of the views that only read the analysis.
#[derive(Properties, PartialEq)]
pub struct ViewProps {
    pub analysis: Rc<Analysis>,
}

/// Settings props.
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub params: AnalysisParams,
    /// The date range of the data, ISO, for the date picker.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The date the last analysis used, ISO.
    pub as_of_date: Option<String>,
    pub on_params: Callback<AnalysisParams>,
    pub busy: bool,
}
