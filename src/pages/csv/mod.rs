//! CSV分析: import a shop's order export in the worker, check the settings, see the report,
//! the analysis and the prediction. The session ([`session`], its reducer, and [`hook`], its
//! worker) does the work; the component only lays the page out.

mod analysis;
mod hook;
mod prediction;
mod report;
mod session;
mod settings;
mod source;

use std::rc::Rc;

use yew::prelude::*;

use crate::components::ProgressBar;
use crate::i18n;
use hook::{use_csv_session, CsvSession};
use session::Phase;

/// The whole CSV analysis page: the file, its settings, the run's progress, the report, the
/// analysis and the prediction, top to bottom.
#[component]
pub fn CsvPage() -> Html {
    let session = use_csv_session();
    let busy = session.is_busy();
    html! {
        <>
            <source::SourcePicker on_source={session.to(CsvSession::choose)} {busy}
                current={session.source.clone()} />
            { sniffed(&session) }
            { import_bar(&session) }
            { status(&session) }
            if let Some(report) = &session.report {
                <report::ReportView report={report.clone()}
                    on_download_rejected={session.to(|s, ()| s.download_rejected())}
                    on_include_excluded={session.to(CsvSession::import_including)} {busy} />
            }
            if let Some(Ok(report)) = &session.report {
                <analysis::Controls params={session.params.clone()}
                    first_date={report.first_day.map(ltv_core::orders::iso_date)}
                    last_date={report.last_day.map(ltv_core::orders::iso_date)}
                    as_of_date={session.analysis.as_ref().map(|a| a.as_of_date.clone())}
                    on_params={session.to(CsvSession::analyse)} {busy} />
            }
            if let Some(analysis) = &session.analysis {
                <analysis::AnalysisView analysis={analysis.clone()}
                    on_download={session.to(CsvSession::download)} />
            }
            if let Some(Ok(report)) = &session.report {
                <prediction::PredictionView params={session.model_params.clone()} alive={session.alive}
                    forecast={session.forecast.clone()} busy={session.is_predicting()}
                    on_model={session.to(|s, (params, alive)| s.predict(params, alive))}
                    first_date={report.first_day} last_date={report.last_day} />
            }
        </>
    }
}

/// What the look at the file found: the settings panel, or why the file cannot be read.
fn sniffed(session: &CsvSession) -> Html {
    match &session.sniff {
        Some(Ok(sniff)) => html! {
            <settings::Settings sniff={Rc::clone(sniff)} options={session.options.clone()}
                on_action={session.to(CsvSession::change)} busy={session.is_busy()} />
        },
        Some(Err(error)) => html! {
            <div class="card error-card" role="alert" data-testid="sniff-error">
                <h2>{ i18n::IMPORT_FAILED }</h2>
                <p>{ error.message() }</p>
            </div>
        },
        None => html! {},
    }
}

/// The import button, with what it waits for.
fn import_bar(session: &CsvSession) -> Html {
    let Some(gate) = session.import_gate() else {
        return html! {};
    };
    html! {
        <div class="import-bar">
            <button type="button" onclick={session.to(|s, _: MouseEvent| s.import())}
                disabled={!session.can_import()} data-testid="import">
                { i18n::IMPORT }
            </button>
            if gate.needs_date_order {
                <span class="field-hint">{ i18n::IMPORT_NEEDS_DATE_ORDER }</span>
            }
            if gate.needs_name {
                <span class="field-hint">{ i18n::IMPORT_NEEDS_NAME }</span>
            }
        </div>
    }
}

/// Where the work is: looking at the file, the run's progress (with 中止), or how it ended.
fn status(session: &CsvSession) -> Html {
    match &session.phase {
        Phase::Sniffing => html! { <p class="status" role="status">{ i18n::CSV_SNIFFING }</p> },
        Phase::Working { stage, fraction } => html! {
            <ProgressBar label={i18n::stage_label(*stage)} fraction={*fraction}
                on_cancel={session.to(|s, ()| s.cancel())} />
        },
        Phase::Cancelled => {
            html! { <p class="status" role="status" data-testid="cancelled">{ i18n::CANCELLED }</p> }
        }
        Phase::Failed(message) => {
            html! { <p class="status error" role="alert" data-testid="failed">{ message.clone() }</p> }
        }
        Phase::Idle | Phase::Ready | Phase::Imported => html! {},
    }
}
