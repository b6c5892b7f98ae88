use std::sync::atomic::{AtomicUsize, Ordering};

use yew::prelude::*;

use crate::i18n::{self, Term};

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

#[derive(Properties, PartialEq)]
pub struct TermHelpProps {
    pub term: Term,
}

/// A 「？」 button beside a term that opens its short explanation in place. Put it in a
/// wrapping flex row (`.with-term`): the explanation takes a line of its own below.
#[component]
pub fn TermHelp(props: &TermHelpProps) -> Html {
    let open = use_state(|| false);
    let id = use_state(|| format!("term-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)));
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <>
            <button type="button" class="term-button no-print" onclick={toggle}
                aria-expanded={if *open { "true" } else { "false" }}
                aria-controls={(*id).clone()}
                aria-label={i18n::term_button_label(props.term)}
                title={i18n::term_button_label(props.term)}>
                <span aria-hidden="true">{ i18n::TERM_MARK }</span>
            </button>
            if *open {
                <span id={(*id).clone()} class="term-help" role="note" data-testid="term-help">
                    <strong>{ i18n::term_name(props.term) }</strong>{ i18n::COLON }
                    { i18n::term_explanation(props.term) }
                </span>
            }
        </>
    }
}
