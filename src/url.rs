//! The form in the page's URL: a result can be shared as a link and survives a reload.

use ltv_core::calc::form::{Field, Form};
use web_sys::UrlSearchParams;

/// The form the current URL carries (defaults for whatever it does not).
pub fn form_from_location() -> Form {
    let Some(search) = crate::window().and_then(|w| w.location().search().ok()) else {
        return Form::new();
    };
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return Form::new();
    };
    Form::from_pairs(
        Field::all().filter_map(|field| params.get(&field.key()).map(|value| (field.key(), value))),
    )
}

/// The query string for a form: `?aov=6000&f=4`, or empty for the defaults.
pub fn query_of(form: &Form) -> String {
    let Ok(params) = UrlSearchParams::new() else {
        return String::new();
    };
    for (key, value) in form.to_pairs() {
        params.append(&key, &value);
    }
    let query: String = params.to_string().into();
    if query.is_empty() {
        query
    } else {
        format!("?{query}")
    }
}

/// Puts the form into the address bar without adding a history entry per keystroke.
pub fn write_to_location(form: &Form) {
    let Some(window) = crate::window() else {
        return;
    };
    let location = window.location();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    let hash = location.hash().unwrap_or_default();
    let url = format!("{path}{}{hash}", query_of(form));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The address that opens the 診断 with exactly this form.
pub fn share_link(form: &Form) -> String {
    let Some(location) = crate::window().map(|w| w.location()) else {
        return String::new();
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    format!("{origin}{path}{}", query_of(form))
}

/// The full address of the page as it is now.
pub fn current_href() -> String {
    crate::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}
