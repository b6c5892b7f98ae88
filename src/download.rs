//! Saving a file the worker made: a Blob, an object URL, a click on a download link.

use wasm_bindgen::JsCast;

/// How long an object URL outlives the click on its link, in milliseconds.
pub const REVOKE_AFTER_MS: u32 = 10_000;

/// Offers `bytes` to the user as a file named `name`.
pub fn save(name: &str, mime: &str, bytes: &[u8]) {
    let Some(document) = crate::document() else {
        return;
    };
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // The browser reads the Blob after `click()` returns, when it starts the download:
    // revoking the URL at once can cancel it (Safari, Firefox). The URL goes a while later.
    gloo::timers::callback::Timeout::new(REVOKE_AFTER_MS, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// A Blob of UTF-8 text (a paste).
pub fn text_blob(text: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}
