//! CSV分析: import a shop's order export in the worker, check the settings, see the report,
//! the analysis and the prediction. The session ([`session`], its reducer, and [`hook`], its
//! worker) does the work; the component only lays the page out.

mod analysis;
mod compare;
mod hook;
mod prediction;
mod report;
mod session;
mod settings;
mod source;

use std::rc::Rc;

use yew::prelude::*;

use ltv_core::analysis::measured::diagnosis_inputs;

use crate::components::{self, ProgressBar};
use crate::i18n;
use crate::pages::diagnosis::state::{Action, AppStateHandle};
use hook::{use_csv_session, CsvSession};
use session::{Fold, ImportGate, Phase};

/// The whole CSV analysis page. Before an analysis: the file, its settings, the run's
/// progress. Once the analysis is ready, the answer comes first: the headline with the three
/// findings and a section navigation, then the views; the file, the import report and the
/// settings fold away below the navigation (open by themselves when rows were rejected, and
/// open again when the page is laid out anew while the user had them open). A closed fold's
/// contents are laid out only when it is opened ([`components::Fold`]).
#[component]
pub fn CsvPage() -> Html {
    let session = use_csv_session();
    let busy = session.is_busy();
    let diagnosis = use_context::<AppStateHandle>();
    use_scroll_to_headline(session.analysis.is_some());
    use_reveal("csv-sniff-error", matches!(session.sniff, Some(Err(_))));
    use_reveal("csv-import-error", matches!(session.report, Some(Err(_))));
    use_bring_up(first_need(session.import_gate()));
    // Made again only with a new analysis, so that the headline is not laid out again on
    // every change of the session.
    let on_diagnose = use_callback(session.analysis.clone(), move |(), analysis| {
        if let (Some(diagnosis), Some(analysis)) = (&diagnosis, analysis) {
            diagnosis.dispatch(Action::Measured(diagnosis_inputs(analysis)));
            go_to_diagnosis();
        }
    });
    let on_print = use_callback((), |(), ()| print());
    let input = html! {
        <>
            <source::SourcePicker on_source={session.on.choose.clone()} {busy}
                current={session.source.clone()} />
            { sniffed(&session) }
            { import_bar(&session) }
            if let Some(report) = &session.report {
                <report::ReportView report={report.clone()}
                    on_download_rejected={session.on.download_rejected.clone()}
                    on_include_excluded={session.on.import_including.clone()} {busy} />
            }
        </>
    };
    let Some(analysis) = session.analysis.clone() else {
        // While a run is under way, the settings and 予測LTV wait for its end: the analysis
        // lays the page out anew a moment later, and a run that fails shows them then.
        let running = session.is_running();
        return html! {
            <>
                { input }
                { status(&session) }
                if !running {
                    { controls(&session) }
                    { prediction(&session) }
                }
            </>
        };
    };
    html! {
        <div class="csv-results">
            <analysis::Headline analysis={analysis.clone()} forecast={session.forecast.clone()}
                {on_diagnose} {on_print} />
            <nav class="csv-nav no-print" aria-label={i18n::CSV_NAV_LABEL} data-testid="csv-nav">
                <ol>
                    { for i18n::CSV_SECTIONS.iter().map(|(id, title)| html! {
                        <li><a href={format!("#{id}")} onclick={scroll_to(id)}>{ *title }</a></li>
                    }) }
                </ol>
            </nav>
            { status(&session) }
            // The answer is laid out alone; all below it comes in parts, a few to a frame.
            <components::Deferred order={1}>
                <components::Fold summary={i18n::FOLD_DATA} open={session.is_open(Fold::Data)}
                    ontoggle={session.on.toggle_data.clone()} id="csv-data" testid="import-fold"
                    screen_only=true>
                    { input }
                </components::Fold>
                <components::Fold summary={i18n::FOLD_SETTINGS} open={session.is_open(Fold::Settings)}
                    ontoggle={session.on.toggle_settings.clone()} id="csv-settings-fold"
                    testid="settings-fold" screen_only=true>
                    { controls(&session) }
                </components::Fold>
            </components::Deferred>
            <analysis::AnalysisView analysis={analysis.clone()}
                on_download={session.on.download.clone()} />
            // Below the analysis's sections, and after them (the headline already shows the
            // prediction's answer).
            <components::Deferred order={7}>{ prediction(&session) }</components::Deferred>
            <components::Deferred order={8}>
                <compare::CompareView as_of={analysis.as_of}
                    first_day={session.report.as_ref().and_then(|r| r.as_ref().ok()).and_then(|r| r.first_day)}
                    periods={session.periods.clone()} group={session.group.clone()}
                    on_periods={session.on.compare_periods.clone()}
                    on_group={session.on.compare_group.clone()} {busy} />
            </components::Deferred>
            <p class="print-only print-settings">{ i18n::print_settings(&analysis) }</p>
        </div>
    }
}

/// The analysis settings, once a file is imported.
fn controls(session: &CsvSession) -> Html {
    let Some(Ok(report)) = &session.report else {
        return html! {};
    };
    html! {
        <analysis::Controls params={session.params.clone()}
            first_date={report.first_day.map(ltv_core::orders::iso_date)}
            last_date={report.last_day.map(ltv_core::orders::iso_date)}
            as_of_date={session.analysis.as_ref().map(|a| a.as_of_date.clone())}
            on_params={session.on.analyse.clone()} busy={session.is_busy()} />
    }
}

/// 予測LTV, once a file is imported.
fn prediction(session: &CsvSession) -> Html {
    let Some(Ok(report)) = &session.report else {
        return html! {};
    };
    html! {
        <prediction::PredictionView params={session.model_params.clone()} alive={session.alive}
            forecast={session.forecast.clone()} busy={session.is_predicting()}
            on_model={session.on.predict.clone()}
            settings_open={session.is_open(Fold::Prediction)}
            on_settings_toggle={session.on.toggle_prediction.clone()}
            first_date={report.first_day} last_date={report.last_day} />
    }
}

/// When an analysis first arrives after an import, the page goes to its headline: the answer
/// is on the first screen, not below the preview the import started from.
#[hook]
fn use_scroll_to_headline(ready: bool) {
    use_at_next_frame(ready.then_some("csv-headline"), |el| el.scroll_into_view());
}

/// Where the first thing the import waits for is (the order of the dates, agreeing to tell
/// customers apart by name, a column to map), in the order they stand on the page.
fn first_need(gate: Option<ImportGate>) -> Option<&'static str> {
    let gate = gate?;
    [
        (gate.needs_date_order, settings::NEEDS_DATE_ORDER),
        (gate.needs_name, settings::NEEDS_NAME),
        (gate.missing_roles, settings::MISSING_ROLES),
    ]
    .into_iter()
    .find_map(|(needed, id)| needed.then_some(id))
}

/// When the file just chosen needs the user before it can be read, the page brings that
/// place to the top of the screen if it is not on it whole: on a phone it stands two or three
/// screens below the file chooser the user just tapped, with the 取り込む button off.
#[hook]
fn use_bring_up(id: Option<&'static str>) {
    use_at_next_frame(id, |el| {
        if !on_screen(el) {
            el.scroll_into_view();
        }
    });
}

/// Whether the element is on the screen whole.
fn on_screen(el: &web_sys::Element) -> bool {
    let rect = el.get_bounding_client_rect();
    let height = crate::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64());
    rect.top() >= 0.0 && height.is_some_and(|height| rect.bottom() <= height)
}

/// When the message of id `id` appears (`shown`), the page scrolls just enough to show
/// it whole, if it is not: on a phone, a file that cannot be read is said below the first
/// screen, under the file chooser the user just tapped; an import that fails is said below
/// the 取り込む button, at the foot of the screen.
#[hook]
fn use_reveal(id: &'static str, shown: bool) {
    use_at_next_frame(shown.then_some(id), |el| {
        if !on_screen(el) {
            el.scroll_into_view_with_bool(false);
        }
    });
}

/// Calls `then` with the element of id `id` at the next frame after `id` becomes that id
/// (`None`: no element). It waits for the frame: asking for the element's place at once would
/// lay the new page out inside the task that built it, one long task where the browser would
/// do two shorter ones.
#[hook]
fn use_at_next_frame(id: Option<&'static str>, then: fn(&web_sys::Element)) {
    use_effect_with(id, move |id| {
        let frame = id.map(|id| {
            gloo::render::request_animation_frame(move |_| {
                if let Some(el) = element(id) {
                    then(&el);
                }
            })
        });
        // Dropping the request cancels it when the page changes first.
        move || drop(frame)
    });
}

/// A section link that scrolls without changing the address's hash (the hash chooses the page).
///
/// A section still waiting its turn (the parts below the first screen wait for the prediction
/// after an import) is let come at once, and scrolled to once every part is shown.
fn scroll_to(id: &'static str) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        match element(id) {
            Some(el) => el.scroll_into_view(),
            None => components::show_all_then(move || {
                if let Some(el) = element(id) {
                    el.scroll_into_view();
                }
            }),
        }
    })
}

/// The page's element of id `id`, if it is on the page.
fn element(id: &str) -> Option<web_sys::Element> {
    crate::document().and_then(|d| d.get_element_by_id(id))
}

/// Prints the page once every part of it is shown: pressed just after an import, the tables
/// and charts still coming in parts would be missing from the paper. The parts held back for
/// the prediction come at once (the user asked for the whole page now).
fn print() {
    components::show_all_then(|| {
        if let Some(window) = crate::window() {
            let _ = window.print();
        }
    });
}

/// Opens the 診断 at its top.
fn go_to_diagnosis() {
    if let Some(window) = crate::window() {
        let _ = window.location().set_hash("shindan");
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// What the look at the file found: the settings panel, or why the file cannot be read.
fn sniffed(session: &CsvSession) -> Html {
    match &session.sniff {
        Some(Ok(sniff)) => html! {
            <settings::Settings sniff={Rc::clone(sniff)} options={session.options.clone()}
                on_action={session.on.change.clone()} busy={session.is_busy()} />
        },
        Some(Err(error)) => html! {
            <div id="csv-sniff-error" class="card error-card" role="alert" data-testid="sniff-error">
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
            <button type="button" onclick={session.on.import.clone()}
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
                on_cancel={session.on.cancel.clone()} />
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

#[cfg(test)]
mod tests {
    use super::{first_need, settings, ImportGate};

    #[test]
    fn the_first_need_is_the_highest_on_the_page() {
        let all = ImportGate {
            needs_date_order: true,
            needs_name: true,
            missing_roles: true,
        };
        assert_eq!(first_need(Some(all)), Some(settings::NEEDS_DATE_ORDER));
        let below = ImportGate {
            needs_date_order: false,
            ..all
        };
        assert_eq!(first_need(Some(below)), Some(settings::NEEDS_NAME));
        let last = ImportGate {
            needs_name: false,
            ..below
        };
        assert_eq!(first_need(Some(last)), Some(settings::MISSING_ROLES));
        assert_eq!(
            first_need(Some(ImportGate::default())),
            None,
            "nothing waits"
        );
        assert_eq!(first_need(None), None, "no settings yet");
    }
}
