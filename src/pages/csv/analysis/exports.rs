use ltv_core::analysis::export::CsvEncoding;
use yew::prelude::*;

use super::segments::EncodingPicker;
use super::Download;
use crate::components::More;
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct ExportsViewProps {
    pub encoding: CsvEncoding,
    pub on_encoding: Callback<CsvEncoding>,
    pub on_download: Callback<Download>,
}

/// The per-customer CSV; the summary JSON, for other tools, folded away under 「詳しく」.
#[component]
pub fn ExportsView(props: &ExportsViewProps) -> Html {
    let encoding = props.encoding;
    let customers = props
        .on_download
        .reform(move |_: MouseEvent| Download::Customers(None, encoding));
    let summary = props.on_download.reform(|_: MouseEvent| Download::Summary);
    html! {
        <section class="card no-print" id="csv-exports" aria-labelledby="exports-title">
            <h2 id="exports-title">{ i18n::EXPORTS_TITLE }</h2>
            <p class="intro">{ i18n::EXPORTS_NOTE }</p>
            <EncodingPicker id="export-encoding" encoding={props.encoding} on_encoding={props.on_encoding.clone()} />
            <div class="actions">
                <button type="button" onclick={customers} data-testid="download-customers">{ i18n::DOWNLOAD_CUSTOMERS }</button>
            </div>
            <More summary={i18n::MORE_DOWNLOADS} testid="more-downloads">
                <p>{ i18n::DOWNLOAD_SUMMARY_NOTE }</p>
                <button type="button" class="secondary" onclick={summary} data-testid="download-summary">{ i18n::DOWNLOAD_SUMMARY }</button>
            </More>
        </section>
    }
}
