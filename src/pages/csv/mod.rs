//! CSV分析: import a shop's order export in the worker, check the settings, see the report.

mod analysis;
mod prediction;
mod report;
mod session;
mod settings;
mod source;

use std::rc::Rc;

use yew::prelude::*;

use crate::components::ProgressBar;
use crate::i18n;
use crate::worker::client::WorkerClient;
use crate::worker::{Request, Response};
use session::{Phase, Session, SessionAction, Source};

/// The whole CSV analysis page.
#[component]
pub fn CsvPage() -> Html {
    let session = use_reducer(Session::default);
    let client = {
        let dispatcher = session.dispatcher();
        use_memo((), move |_| {
            let on_failure = {
                let dispatcher = dispatcher.clone();
                move |message: String| dispatcher.dispatch(SessionAction::Failed(message))
            };
            let on_lost = {
                let dispatcher = dispatcher.clone();
                move |message: String| dispatcher.dispatch(SessionAction::WorkerLost(message))
            };
            WorkerClient::<Response>::new(
                move |response| match response {
                    Response::Sniffed(result) => {
                        dispatcher.dispatch(SessionAction::Sniffed(result))
                    }
                    Response::Progress { stage, fraction } => {
                        dispatcher.dispatch(SessionAction::Progress(stage, fraction))
                    }
                    Response::Imported(result) => {
                        crate::perf::end("ltv:import");
                        dispatcher.dispatch(SessionAction::Imported(result))
                    }
                    Response::Analysed(analysis) => {
                        crate::perf::end("ltv:analyse");
                        dispatcher.dispatch(SessionAction::Analysed(analysis))
                    }
                    Response::Predicted(result) => {
                        crate::perf::end("ltv:predict");
                        dispatcher.dispatch(SessionAction::Predicted(result))
                    }
                    Response::File { name, mime, bytes } => {
                        crate::download::save(&name, &mime, &bytes)
                    }
                    Response::Failed(message) => {
                        dispatcher.dispatch(SessionAction::Failed(message))
                    }
                },
                on_failure,
                on_lost,
            )
        })
    };

    // Whenever the file or a setting changes, the worker looks at the start of the file again.
    {
        let client = client.clone();
        let options = session.options.clone();
        let source = session.source.clone();
        use_effect_with((source, options), move |(source, options)| {
            if let Some(source) = source {
                // No more than the core's sniff reads.
                let head = source
                    .blob
                    .slice_with_f64_and_f64(0.0, ltv_core::import::SNIFF_BYTES as f64)
                    .ok();
                client.send(
                    &Request::Sniff {
                        options: options.clone(),
                    },
                    head.as_ref(),
                );
            }
        });
    }

    // A new import or new settings: the worker analyses the orders it holds.
    {
        let client = client.clone();
        let ready = session.has_orders();
        use_effect_with(
            (session.imports, session.params.clone()),
            move |(imports, params)| {
                if ready && *imports > 0 {
                    crate::perf::start("ltv:analyse");
                    client.send(
                        &Request::Analyse {
                            params: params.clone(),
                        },
                        None,
                    );
                }
            },
        );
    }
    // A new import or new model settings: the worker fits the models again.
    {
        let client = client.clone();
        let ready = session.has_orders();
        use_effect_with(
            (session.imports, session.model_params.clone(), session.alive),
            move |(imports, params, alive)| {
                if ready && *imports > 0 {
                    crate::perf::start("ltv:predict");
                    client.send(
                        &Request::Predict {
                            params: params.clone(),
                            alive: *alive,
                        },
                        None,
                    );
                }
            },
        );
    }
    // The pipeline is on screen once the analysis and the prediction have rendered.
    {
        let rendered = session.analysis.is_some() && session.forecast.is_some();
        use_effect_with(
            (session.analysis.clone(), session.forecast.clone()),
            move |_| {
                if rendered {
                    crate::perf::end("ltv:pipeline");
                    if let Some(body) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.body())
                    {
                        let _ = body.set_attribute("data-pipeline", "done");
                    }
                }
            },
        );
    }

    // The data lives only in this tab: leaving or reloading with orders imported asks first.
    {
        let holding = session.has_orders();
        use_effect_with(holding, move |holding| {
            let listener = holding.then(web_sys::window).flatten().map(|window| {
                let options = gloo::events::EventListenerOptions::enable_prevent_default();
                gloo::events::EventListener::new_with_options(
                    &window,
                    "beforeunload",
                    options,
                    |event| {
                        event.prevent_default();
                        let _ = js_sys::Reflect::set(event, &"returnValue".into(), &"".into());
                    },
                )
            });
            move || drop(listener)
        });
    }

    let on_params = {
        let session = session.clone();
        Callback::from(move |params| session.dispatch(SessionAction::Params(params)))
    };
    let on_model = {
        let session = session.clone();
        Callback::from(move |(params, alive)| {
            session.dispatch(SessionAction::ModelSettings(params, alive))
        })
    };
    let on_download = {
        let client = client.clone();
        Callback::from(move |download: analysis::Download| {
            let request = match download {
                analysis::Download::Customers(segment, encoding) => {
                    Request::CustomersCsv { encoding, segment }
                }
                analysis::Download::Summary => Request::SummaryJson,
            };
            client.send(&request, None);
        })
    };
    let on_source = {
        let session = session.clone();
        Callback::from(move |source: Source| {
            if source.size > crate::worker::MAX_FILE_BYTES {
                session.dispatch(SessionAction::Failed(i18n::file_too_large(source.size)));
            } else {
                session.dispatch(SessionAction::NewSource(source));
            }
        })
    };
    let on_action = {
        let session = session.clone();
        Callback::from(move |action: SessionAction| session.dispatch(action))
    };
    let on_import = {
        let session = session.clone();
        let client = client.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(source) = &session.source {
                session.dispatch(SessionAction::StartImport);
                crate::perf::start("ltv:import");
                crate::perf::start("ltv:pipeline");
                client.send(
                    &Request::Import {
                        options: session.options.clone(),
                    },
                    Some(&source.blob),
                );
            }
        })
    };
    // The report's switch: keep (or leave out) the cancelled orders and import again.
    let on_include_excluded = {
        let session = session.clone();
        let client = client.clone();
        Callback::from(move |include: bool| {
            if let Some(source) = &session.source {
                let options = session.options.clone().with_include_excluded(include);
                session.dispatch(SessionAction::IncludeExcluded(include));
                session.dispatch(SessionAction::StartImport);
                crate::perf::start("ltv:import");
                client.send(&Request::Import { options }, Some(&source.blob));
            }
        })
    };
    let on_cancel = {
        let session = session.clone();
        let client = client.clone();
        Callback::from(move |()| {
            client.terminate();
            session.dispatch(SessionAction::Cancelled);
        })
    };
    let on_download_rejected = {
        let client = client.clone();
        Callback::from(move |()| client.send(&Request::RejectedRowsCsv, None))
    };

    let sniff = match &session.sniff {
        Some(Ok(sniff)) => html! {
            <settings::Settings sniff={Rc::clone(sniff)} options={session.options.clone()}
                on_action={on_action.clone()} busy={session.is_busy()} />
        },
        Some(Err(error)) => html! {
            <div class="card error-card" role="alert" data-testid="sniff-error">
                <h2>{ i18n::IMPORT_FAILED }</h2>
                <p>{ error.message() }</p>
            </div>
        },
        None => html! {},
    };
    let phase = match &session.phase {
        Phase::Sniffing => html! { <p class="status" role="status">{ i18n::CSV_SNIFFING }</p> },
        Phase::Working { stage, fraction } => html! {
            <ProgressBar label={i18n::stage_label(*stage)} fraction={*fraction} on_cancel={on_cancel.clone()} />
        },
        Phase::Cancelled => {
            html! { <p class="status" role="status" data-testid="cancelled">{ i18n::CANCELLED }</p> }
        }
        Phase::Failed(message) => {
            html! { <p class="status error" role="alert" data-testid="failed">{ message.clone() }</p> }
        }
        _ => html! {},
    };
    let needs_date_order = matches!(&session.sniff, Some(Ok(s)) if s.date_order_ambiguous && session.options.date_order().is_none());
    let needs_name = matches!(&session.sniff, Some(Ok(s)) if s.rules.name_needs_consent);
    html! {
        <>
            <source::SourcePicker {on_source} busy={session.is_busy()} current={session.source.clone()} />
            { sniff }
            if matches!(&session.sniff, Some(Ok(_))) {
                <div class="import-bar">
                    <button type="button" onclick={on_import} disabled={!session.can_import()} data-testid="import">
                        { i18n::IMPORT }
                    </button>
                    if needs_date_order {
                        <span class="field-hint">{ i18n::IMPORT_NEEDS_DATE_ORDER }</span>
                    }
                    if needs_name {
                        <span class="field-hint">{ i18n::IMPORT_NEEDS_NAME }</span>
                    }
                </div>
            }
            { phase }
            if let Some(report) = &session.report {
                <report::ReportView report={report.clone()} on_download_rejected={on_download_rejected}
                    on_include_excluded={on_include_excluded} busy={session.is_busy()} />
            }
            if let Some(Ok(report)) = &session.report {
                <analysis::Controls params={session.params.clone()}
                    first_date={report.first_day.map(ltv_core::orders::iso_date)}
                    last_date={report.last_day.map(ltv_core::orders::iso_date)}
                    as_of_date={session.analysis.as_ref().map(|a| a.as_of_date.clone())}
                    {on_params} busy={session.is_busy()} />
            }
            if let Some(analysis) = &session.analysis {
                <analysis::AnalysisView analysis={analysis.clone()} on_download={on_download.clone()} />
            }
            if let Some(Ok(report)) = &session.report {
                <prediction::PredictionView params={session.model_params.clone()} alive={session.alive}
                    forecast={session.forecast.clone()} busy={session.predicting} {on_model}
                    first_date={report.first_day} last_date={report.last_day} />
            }
        </>
    }
}
