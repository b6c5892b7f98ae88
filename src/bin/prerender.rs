//! `prerender INDEX_HTML`: writes the 診断, rendered as a first visit sees it, into the built
//! page's `#app` (the file is rewritten in place). Run by the post-build hook, before the
//! page's inline scripts are hashed for its Content-Security-Policy.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::process::ExitCode;

    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: prerender INDEX_HTML");
        return ExitCode::from(2);
    };
    let page = match std::fs::read_to_string(&path) {
        Ok(page) => page,
        Err(e) => {
            eprintln!("prerender: cannot read {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let app = ltv_app::prerender::render_app();
    let page = match ltv_app::prerender::into_page(&page, &app) {
        Ok(page) => page,
        Err(e) => {
            eprintln!("prerender: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&path, page) {
        eprintln!("prerender: cannot write {}: {e}", path.to_string_lossy());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Rendering to HTML is for the build machine: in the browser there is nothing to do.
#[cfg(target_arch = "wasm32")]
fn main() {}
