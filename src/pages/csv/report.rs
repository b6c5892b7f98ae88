use std::rc::Rc;

use ltv_core::import::{ImportError, ImportReport};
use ltv_core::input::format_yen;
use yew::prelude::*;

use crate::components::Figure;
use crate::i18n;

/// Rejected rows listed on the page; all of them are in the download.
const REJECTED_SHOWN: usize = 20;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub report: Result<Rc<ImportReport>, ImportError>,
    pub on_download_rejected: Callback<()>,
    /// Import again with the cancelled orders kept (`true`) or left out.
    pub on_include_excluded: Callback<bool>,
    pub busy: bool,
}

/// The import report: every row accounted for, merges shown, rejects listed.
#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let report = match &props.report {
        Ok(report) => report,
        Err(error) => {
            return html! {
                <section class="card error-card" role="alert" id="csv-import-error"
                    data-testid="import-error">
                    <h2>{ i18n::IMPORT_FAILED }</h2>
                    <p>{ error.message() }</p>
                </section>
            }
        }
    };
    let download = props.on_download_rejected.reform(|_: MouseEvent| ());
    let on_include = props.on_include_excluded.reform(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.checked()
    });
    let (excluded_orders, excluded_amount) = report.excluded_totals();
    html! {
        <section class="card" id="csv-report" aria-labelledby="report-title" data-testid="import-report">
            <h2 id="report-title">{ i18n::REPORT_TITLE }</h2>
            <div class="figures four">
                <Figure label={i18n::REPORT_ROWS_READ} value={AttrValue::from(i18n::count_rows(report.rows_read))} testid="rows-read" />
                <Figure label={i18n::REPORT_ROWS_USED} value={AttrValue::from(i18n::count_rows(report.rows_used))} testid="rows-used" />
                <Figure label={i18n::REPORT_ROWS_REJECTED} value={AttrValue::from(i18n::count_rows(report.rows_rejected))} testid="rows-rejected" />
                <Figure label={i18n::REPORT_ORDERS} value={AttrValue::from(i18n::count_orders(report.orders))} testid="orders" />
                <Figure label={i18n::REPORT_CUSTOMERS} value={AttrValue::from(i18n::count_people(report.customers))} testid="customers" />
                <Figure label={i18n::REPORT_REVENUE} value={AttrValue::from(format_yen(report.revenue))} testid="revenue" />
                <Figure label={i18n::REPORT_PERIOD} value={AttrValue::from(i18n::date_range(report.first_day, report.last_day))} testid="period" />
                <Figure label={i18n::REPORT_PLATFORM} value={AttrValue::from(i18n::platform_name(report.platform))} testid="report-platform" />
                if excluded_orders > 0 {
                    <Figure label={i18n::REPORT_EXCLUDED}
                        value={AttrValue::from(i18n::orders_and_amount(excluded_orders, excluded_amount))}
                        testid="excluded" />
                }
            </div>
            <p class="revenue-rule" data-testid="report-revenue-rule">{ i18n::revenue_rule_sentence(&report.revenue_rule) }</p>
            if let Some(line) = i18n::excluded_line(report) {
                <div class="excluded-line">
                    <p data-testid="excluded-line">{ line }</p>
                    <ul class="excluded-values">
                        { for report.excluded.iter().map(|g| html! {
                            <li>{ i18n::excluded_group_line(report.platform, &g.column, &g.value, g.orders, g.amount) }</li>
                        }) }
                    </ul>
                    <label class="checkbox">
                        <input type="checkbox" checked={report.excluded_included} onchange={on_include}
                            disabled={props.busy} data-testid="report-include-excluded" />
                        { i18n::REPORT_EXCLUDED_INCLUDE }
                    </label>
                </div>
            }
            <p class={classes!("reconcile", (!report.is_reconciled()).then_some("bad"))} data-testid="reconciled">
                { if report.is_reconciled() { i18n::REPORT_RECONCILED } else { i18n::REPORT_NOT_RECONCILED } }
            </p>
            <ul class="report-lines" data-testid="report-lines">
                { for i18n::report_lines(report).into_iter().map(|line| html! { <li>{ line }</li> }) }
            </ul>
            if !report.merge_examples.is_empty() {
                <h3>{ i18n::MERGE_TITLE }</h3>
                <ul class="merge-examples" data-testid="merge-examples">
                    { for report.merge_examples.iter().map(|m| html! {
                        <li>{ i18n::merge_example(&m.spellings, &m.canonical) }</li>
                    }) }
                </ul>
            }
            if !report.rejected.is_empty() {
                <h3>{ i18n::REJECTED_TITLE }</h3>
                <div class="table-scroll">
                    <table class="rejected" data-testid="rejected">
                        <thead><tr>
                            <th scope="col">{ i18n::REJECTED_LINE }</th>
                            <th scope="col">{ i18n::REJECTED_COLUMN }</th>
                            <th scope="col">{ i18n::REJECTED_VALUE }</th>
                            <th scope="col">{ i18n::REJECTED_REASON }</th>
                        </tr></thead>
                        <tbody>
                            { for report.rejected.iter().take(REJECTED_SHOWN).map(|r| html! {
                                <tr>
                                    <td>{ r.line }</td>
                                    <td>{ r.column.clone() }</td>
                                    <td>{ r.value.clone() }</td>
                                    <td>{ r.reason() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if report.rejected.len() > REJECTED_SHOWN {
                    <p class="field-hint">{ i18n::rejected_more(REJECTED_SHOWN, report.rows_rejected) }</p>
                }
                <button type="button" class="secondary" onclick={download} data-testid="download-rejected">
                    { i18n::REJECTED_DOWNLOAD }
                </button>
            }
        </section>
    }
}
