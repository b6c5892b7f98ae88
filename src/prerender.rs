//! The 診断 rendered at build time: the built index.html carries the page as a first visit
//! sees it (the form at its defaults, the figures the core computes from them), so that a phone
//! shows it before the app's wasm has arrived; the app then hydrates it (takes over the same
//! elements) instead of building the page again.
//!
//! The build side (`render_app`, `into_page`) runs natively, in the `prerender` binary that the
//! post-build hook calls; the page side decides whether the pre-rendered page is the page asked
//! for, and keeps what a visitor typed into it before the app started.

use ltv_core::calc::form::Form;

/// The attribute the pre-rendered `#app` carries until the app has taken it over (hydrated it,
/// or replaced it with the page the address asks for).
pub const MARK: &str = "data-prerendered";

/// The element the app renders into, empty in the page as written.
const EMPTY_ROOT: &str = r#"<div id="app"></div>"#;

/// Renders the app as a first visit sees it: the 診断 with the form at its defaults.
#[cfg(not(target_arch = "wasm32"))]
pub fn render_app() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    yew::platform::Runtime::default().spawn_pinned(move || async move {
        let html = yew::LocalServerRenderer::<crate::app::App>::new()
            .render()
            .await;
        let _ = sender.send(html);
    });
    receiver
        .recv()
        .expect("the renderer sends the page before it stops")
}

/// The page with `app` inside its empty `#app`, marked as pre-rendered.
pub fn into_page(page: &str, app: &str) -> Result<String, String> {
    match page.matches(EMPTY_ROOT).count() {
        1 => Ok(page.replacen(
            EMPTY_ROOT,
            &format!(r#"<div id="app" {MARK}="">{app}</div>"#),
            1,
        )),
        0 => Err(format!("the page has no {EMPTY_ROOT} to render into")),
        n => Err(format!("the page has {n} of {EMPTY_ROOT}")),
    }
}

/// Whether the pre-rendered page is the page the address asks for: the 診断 with nothing in
/// the address's query (a shared link carries its form there), so that hydrating it matches.
pub fn matches_address(view: crate::app::View, form: &Form) -> bool {
    view == crate::app::View::Diagnosis && form.is_blank()
}

/// What the visitor typed into the pre-rendered page before the app started (the inputs work
/// as plain inputs until then): each field whose input no longer holds the text it was
/// rendered with. The app puts these into its state once it has taken the page over.
#[cfg(target_arch = "wasm32")]
pub fn typed_before_start(root: &web_sys::Element) -> Vec<(ltv_core::calc::form::Field, String)> {
    use ltv_core::calc::form::Field;
    use wasm_bindgen::JsCast;
    use web_sys::HtmlInputElement;

    use crate::pages::diagnosis::input_id;

    let input = |selector: &str| {
        root.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    };
    let mut typed: Vec<(Field, String)> = Field::all()
        .filter_map(|field| {
            let el = input(&format!("#{}", input_id(field)))?;
            (el.value() != el.default_value()).then(|| (field, el.value()))
        })
        .collect();
    if let Some(el) = input("input[name=horizon]:checked") {
        if !el.default_checked() {
            typed.push((Field::Horizon, el.value()));
        }
    }
    typed
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::pages::diagnosis::input_id;
    use ltv_core::calc::form::{evaluate, Field};
    use ltv_core::input::format_yen;

    #[test]
    fn the_page_gets_the_app_in_its_root_once() {
        let page = "<body>\n  <div id=\"app\"></div>\n</body>";
        let done = into_page(page, "<main>x</main>").unwrap();
        assert_eq!(
            done,
            "<body>\n  <div id=\"app\" data-prerendered=\"\"><main>x</main></div>\n</body>"
        );
        assert!(
            into_page(&done, "<main>x</main>").is_err(),
            "no empty root left"
        );
        assert!(into_page("<body></body>", "x").is_err());
    }

    #[test]
    fn the_rendered_app_is_the_diagnosis_at_its_defaults() {
        let html = render_app();
        // The figures are the core's, from the form a first visit has.
        let evaluation = evaluate(&Form::new());
        let ltv = evaluation
            .ltv
            .map(format_yen)
            .unwrap_or_else(|| crate::i18n::NONE.to_string());
        let at = html
            .find(r#"data-testid="ltv""#)
            .expect("the 通販LTV figure is in the page");
        let shown = html[at..]
            .split_once('>')
            .and_then(|(_, rest)| rest.split_once("</output>"))
            .map(|(text, _)| text);
        assert_eq!(shown, Some(ltv.as_str()));
        assert!(html.contains(&format!(r#"id="{}""#, input_id(Field::AverageOrderValue))));
        assert!(html.contains(&format!(r#"id="{}""#, input_id(Field::ConceptPrice(1)))));
        assert!(html.contains(r#"data-testid="result-bar""#));
        // The CSV page is not opened on a first visit.
        assert!(!html.contains(r#"data-testid="csv-view""#));
    }

    #[test]
    fn only_a_first_visit_to_the_diagnosis_is_hydrated() {
        use crate::app::View;
        assert!(matches_address(View::Diagnosis, &Form::new()));
        assert!(!matches_address(View::Csv, &Form::new()));
        assert!(!matches_address(
            View::Diagnosis,
            &Form::new().with(Field::Cpo, "5000")
        ));
    }
}
