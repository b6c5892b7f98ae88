//! LTV診断: the web app. It gathers input, calls `ltv-core`, and shows the results; all
//! arithmetic lives in the core.

pub mod app;
pub mod components;
pub mod download;
pub mod i18n;
pub mod pages;
pub mod perf;
pub mod prerender;
pub mod url;
pub mod worker;

use wasm_bindgen::JsCast;

/// The browser's window, the one way the app asks for it: none off the page (the build machine
/// pre-renders the 診断 with the same components, natively, where `web_sys::window` panics).
pub fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

/// The page's document, through [`window`]: none off the page.
pub fn document() -> Option<web_sys::Document> {
    window().and_then(|w| w.document())
}

/// Starts the app in the page's `#app` element (the body when it is missing). When `#app`
/// holds the 診断 pre-rendered at build time and the address asks for just that page, the app
/// hydrates it: it takes over the elements on screen, and puts into its state whatever the
/// visitor typed before it started. For any other address the pre-rendered page (hidden by the
/// page's inline script) is replaced.
pub fn run() {
    install_panic_screen();
    let Some(root) = document().and_then(|d| d.get_element_by_id("app")) else {
        yew::Renderer::<app::App>::new().render();
        return;
    };
    if !root.has_attribute(prerender::MARK) {
        yew::Renderer::<app::App>::with_root(root).render();
        return;
    }
    #[cfg(target_arch = "wasm32")]
    if prerender::matches_address(app::current_view(), &url::form_from_location()) {
        let props = app::AppProps {
            typed: prerender::typed_before_start(&root),
        };
        yew::Renderer::<app::App>::with_root_and_props(root.clone(), props).hydrate();
        // Hydration runs in the microtask that follows, before any event can reach the page.
        root.remove_attribute(prerender::MARK).ok();
        return;
    }
    root.set_inner_html("");
    root.remove_attribute(prerender::MARK).ok();
    yew::Renderer::<app::App>::with_root(root).render();
}

/// A panic must not leave a dead page: log it, then cover the page with a message and a link
/// that reloads it (the inputs are in the URL, so nothing typed is lost).
///
/// Installed through Yew: a hook set with `std::panic::set_hook` is replaced by Yew's own
/// (console only) when the first renderer starts, unless Yew is told of it.
pub fn install_panic_screen() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_screen();
    }));
}

/// Covers the page with the crash message and a link that reloads the page as it is.
pub fn show_crash_screen() {
    let Some(document) = document() else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let Ok(screen) = document.create_element("div") else {
        return;
    };
    screen.set_class_name("crash");
    screen.set_attribute("role", "alert").ok();
    screen.set_attribute("data-testid", "crash").ok();
    let title = document.create_element("p").ok();
    let body_text = document.create_element("p").ok();
    let link = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(t) = title {
        t.set_text_content(Some(i18n::CRASH_TITLE));
        t.set_class_name("crash-title");
        screen.append_child(&t).ok();
    }
    if let Some(b) = body_text {
        b.set_text_content(Some(i18n::CRASH_BODY));
        screen.append_child(&b).ok();
    }
    if let Some(a) = link {
        a.set_href(&url::current_href());
        a.set_text_content(Some(i18n::CRASH_RELOAD));
        a.set_class_name("button");
        screen.append_child(&a).ok();
    }
    body.append_child(&screen).ok();
}
