//! Shows its children a moment after it first appears, so that a long page is built in
//! several short tasks instead of one long one that freezes the page.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeferredProps {
    /// Where the children come in the page: the n-th deferred part waits n steps.
    pub order: u32,
    pub children: Html,
}

/// Milliseconds between two deferred parts: about two frames, so that the browser lays out
/// and paints each part before the next is built.
const STEP_MS: u32 = 32;

/// Renders nothing at first, then its children `order` steps later; once shown, it stays
/// shown, and updates of the children are immediate.
#[component]
pub fn Deferred(props: &DeferredProps) -> Html {
    let shown = use_state(|| false);
    {
        let shown = shown.clone();
        let delay = props.order * STEP_MS;
        use_effect_with((), move |_| {
            let timeout = Timeout::new(delay, move || shown.set(true));
            // Dropping the timeout cancels it when the part leaves the page first.
            move || drop(timeout)
        });
    }
    if *shown {
        props.children.clone()
    } else {
        html! { <div class="deferred" aria-busy="true"></div> }
    }
}
