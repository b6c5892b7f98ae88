use std::rc::Rc;

use ltv_core::analysis::export::CsvEncoding;
use ltv_core::analysis::Analysis;
use yew::prelude::*;

use super::Download;
use crate::components::whole_figures;
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct SegmentsViewProps {
    pub analysis: Rc<Analysis>,
    pub encoding: CsvEncoding,
    pub on_encoding: Callback<CsvEncoding>,
    pub on_download: Callback<Download>,
}

/// The six segments with figures, rule, action and a list to download: the page's main way
/// to divide the customers (the other ways are in [`super::other_views`]).
#[component]
pub fn SegmentsView(props: &SegmentsViewProps) -> Html {
    let segments = &props.analysis.segments;
    let rules = &segments.rules;
    html! {
        <section class="card" id="csv-segments" aria-labelledby="segments-title">
            <h2 id="segments-title">{ i18n::SEGMENTS_TITLE }</h2>
            <p class="intro">{ i18n::SEGMENTS_INTRO }</p>
            <EncodingPicker id="segment-encoding" encoding={props.encoding} on_encoding={props.on_encoding.clone()} />
            <div class="segment-cards" data-testid="segments">
                { for segments.segments.iter().map(|s| {
                    let segment = s.segment;
                    let encoding = props.encoding;
                    let download = props.on_download.reform(move |_: MouseEvent| Download::Customers(Some(segment), encoding));
                    html! {
                        <article class="segment" data-testid={format!("segment-{:?}", s.segment)}>
                            <h3>{ i18n::segment_name(segment) }</h3>
                            <p class="rule">{ i18n::segment_rule(segment, rules) }</p>
                            <p class="segment-count"><strong data-testid="segment-customers">{ i18n::count_people(s.customers) }</strong>
                                { i18n::in_parens(&i18n::rate_or_none(s.share)) }</p>
                            <dl class="segment-figures">
                                <dt>{ i18n::H_REVENUE_SHARE }</dt><dd>{ whole_figures(&i18n::share_and_amount(s.revenue_share, s.revenue)) }</dd>
                                <dt>{ i18n::H_AVG_ORDERS }</dt><dd class="num">{ i18n::times_or_none(s.average_orders) }</dd>
                                <dt>{ i18n::H_AVG_SPEND }</dt><dd class="num">{ i18n::yen_or_none(s.average_spend) }</dd>
                                <dt>{ i18n::H_AVG_DAYS }</dt><dd class="num">{ i18n::days_or_none(s.average_days_since_last) }</dd>
                            </dl>
                            <p class="action"><strong>{ i18n::H_ACTION }</strong>{ i18n::COLON }{ i18n::segment_action(segment) }</p>
                            <button type="button" class="secondary small" onclick={download} disabled={s.customers == 0}
                                data-testid={format!("download-{:?}", s.segment)}>
                                { i18n::list_button_label(i18n::segment_name(segment)) }
                            </button>
                        </article>
                    }
                }) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct EncodingPickerProps {
    pub id: AttrValue,
    pub encoding: CsvEncoding,
    pub on_encoding: Callback<CsvEncoding>,
}

/// UTF-8 with BOM or Shift_JIS for the downloaded lists.
#[component]
pub fn EncodingPicker(props: &EncodingPickerProps) -> Html {
    let onchange = props.on_encoding.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        if select.selected_index() == 1 {
            CsvEncoding::Cp932
        } else {
            CsvEncoding::Utf8Bom
        }
    });
    html! {
        <div class="field inline">
            <label for={props.id.clone()}>{ i18n::LIST_ENCODING }</label>
            <select id={props.id.clone()} {onchange}>
                <option selected={props.encoding == CsvEncoding::Utf8Bom}>{ i18n::ENC_UTF8 }</option>
                <option selected={props.encoding == CsvEncoding::Cp932}>{ i18n::ENC_SJIS }</option>
            </select>
        </div>
    }
}
