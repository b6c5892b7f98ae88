use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::session::Source;
use crate::i18n;

/// Where the sample export is served from (copied into `dist/` by Trunk).
const SAMPLE_URL: &str = "sample_orders.csv";

#[derive(Properties, PartialEq)]
pub struct SourcePickerProps {
    pub on_source: Callback<Source>,
    pub busy: bool,
    pub current: Option<Source>,
}

fn from_file(file: web_sys::File) -> Source {
    Source {
        name: file.name(),
        size: file.size(),
        blob: file.into(),
    }
}

/// Choose a file, drop one, paste text, or try the sample.
#[component]
pub fn SourcePicker(props: &SourcePickerProps) -> Html {
    let paste = use_node_ref();
    let paste_error = use_state(|| false);
    let dragging = use_state(|| false);
    let sample_error = use_state(|| false);

    let on_file = {
        let on_source = props.on_source.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_source.emit(from_file(file));
            }
            // Choosing the same file again must read it again.
            input.set_value("");
        })
    };
    let on_drop = {
        let on_source = props.on_source.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                on_source.emit(from_file(file));
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_paste = {
        let on_source = props.on_source.clone();
        let paste = paste.clone();
        let paste_error = paste_error.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(area) = paste.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = area.value();
            if text.trim().is_empty() {
                paste_error.set(true);
                return;
            }
            paste_error.set(false);
            if let Some(blob) = crate::download::text_blob(&text) {
                on_source.emit(Source {
                    name: i18n::CSV_PASTE_NAME.to_string(),
                    size: blob.size(),
                    blob,
                });
            }
        })
    };
    let on_sample = {
        let on_source = props.on_source.clone();
        let sample_error = sample_error.clone();
        Callback::from(move |_: MouseEvent| {
            let on_source = on_source.clone();
            let sample_error = sample_error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_blob(SAMPLE_URL).await {
                    Some(blob) => {
                        sample_error.set(false);
                        on_source.emit(Source {
                            name: i18n::CSV_SAMPLE_NAME.to_string(),
                            size: blob.size(),
                            blob,
                        });
                    }
                    None => sample_error.set(true),
                }
            });
        })
    };
    html! {
        <section class="card" id="csv-source" aria-labelledby="csv-title">
            <h2 id="csv-title">{ i18n::CSV_TITLE }</h2>
            <p class="intro">{ i18n::CSV_INTRO }</p>
            <div class={classes!("dropzone", dragging.then_some("dragging"))}
                ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}
                data-testid="dropzone">
                <label class="button" for="csv-file">{ i18n::CSV_FILE }</label>
                <input id="csv-file" class="visually-hidden" type="file"
                    accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
                    onchange={on_file} disabled={props.busy} />
                <span class="dropzone-hint">{ i18n::CSV_DROP }</span>
                <button type="button" class="secondary" onclick={on_sample} disabled={props.busy}
                    data-testid="sample">{ i18n::CSV_SAMPLE }</button>
            </div>
            if *sample_error {
                <p class="field-error" role="alert">{ i18n::CSV_SAMPLE_FAILED }</p>
            }
            <div class="field paste">
                <label for="csv-paste">{ i18n::CSV_PASTE }</label>
                <textarea id="csv-paste" ref={paste} rows="4" spellcheck="false"
                    placeholder={i18n::CSV_PASTE_PLACEHOLDER} />
                if *paste_error {
                    <p class="field-error" role="alert">{ i18n::CSV_PASTE_EMPTY }</p>
                }
                <button type="button" class="secondary" onclick={on_paste} disabled={props.busy}
                    data-testid="read-paste">{ i18n::CSV_PASTE_READ }</button>
            </div>
            if let Some(current) = &props.current {
                <p class="source-line" data-testid="source">
                    { i18n::CSV_SOURCE }{ i18n::COLON }{ i18n::source_line(&current.name, current.size) }
                </p>
            }
        </section>
    }
}

async fn fetch_blob(url: &str) -> Option<web_sys::Blob> {
    let window = crate::window()?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let blob = JsFuture::from(response.blob().ok()?).await.ok()?;
    blob.dyn_into().ok()
}
