//! The app shell: header, the page, and the 診断's state provider with its URL sync.

use ltv_core::calc::form::Field;
use yew::prelude::*;

use crate::i18n;
use crate::pages::csv::CsvPage;
use crate::pages::diagnosis::state::{Action, AppState, AppStateHandle};
use crate::pages::diagnosis::DiagnosisPage;
use crate::url;

/// The two views of the app, chosen by the address's hash (`#csv…` is the CSV analysis).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Diagnosis,
    Csv,
}

impl View {
    fn from_hash(hash: &str) -> View {
        if hash.starts_with("#csv") {
            View::Csv
        } else {
            View::Diagnosis
        }
    }
}

/// The view the address asks for (the 診断 off the page).
pub fn current_view() -> View {
    let hash = crate::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    View::from_hash(&hash)
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// What the visitor typed into the pre-rendered 診断 before the app started, by field.
    #[prop_or_default]
    pub typed: Vec<(Field, String)>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let view = use_state(current_view);
    {
        let view = view.clone();
        use_effect_with((), move |_| {
            let listener = crate::window().map(|window| {
                gloo::events::EventListener::new(&window, "hashchange", move |_| {
                    view.set(current_view())
                })
            });
            move || drop(listener)
        });
    }
    let csv_opened = use_state(|| *view == View::Csv);
    {
        let csv_opened = csv_opened.clone();
        use_effect_with(*view, move |view| {
            if *view == View::Csv && !*csv_opened {
                csv_opened.set(true);
            }
        });
    }
    let state = use_reducer(|| AppState::from_form(url::form_from_location()));
    {
        // Hydration first shows the page as pre-rendered; then what was typed comes in.
        let state = state.clone();
        let typed = props.typed.clone();
        use_effect_with((), move |_| {
            for (field, text) in typed {
                state.dispatch(Action::Set(field, text));
            }
        });
    }

    // Every change goes into the address bar, so that a reload or a shared link restores it.
    use_effect_with(state.form.clone(), url::write_to_location);

    html! {
        <ContextProvider<AppStateHandle> context={state}>
            <header class="site-header">
                <div class="brand">
                    <h1>{ i18n::APP_NAME }</h1>
                    <p class="tagline">{ i18n::TAGLINE }</p>
                </div>
                <p class="privacy">{ i18n::PRIVACY }</p>
            </header>
            <nav class="views no-print" aria-label={i18n::VIEWS_LABEL}>
                <a href="#shindan" class={classes!((*view == View::Diagnosis).then_some("active"))}
                    aria-current={(*view == View::Diagnosis).then_some("page")} data-testid="view-diagnosis">
                    { i18n::VIEW_DIAGNOSIS }
                </a>
                <a href="#csv" class={classes!((*view == View::Csv).then_some("active"))}
                    aria-current={(*view == View::Csv).then_some("page")} data-testid="view-csv">
                    { i18n::VIEW_CSV }
                </a>
            </nav>
            <main>
                if *view == View::Diagnosis {
                    <DiagnosisPage />
                }
                // Once opened, the CSV page stays mounted (hidden while the 診断 is shown), so
                // its worker, the imported orders, the analysis and the prediction survive a
                // look at the 診断.
                if *csv_opened {
                    <div class="csv-view" hidden={*view != View::Csv} data-testid="csv-view">
                        <CsvPage />
                    </div>
                }
            </main>
            <footer class="site-footer"><p>{ i18n::FOOTER }</p></footer>
        </ContextProvider<AppStateHandle>>
    }
}
