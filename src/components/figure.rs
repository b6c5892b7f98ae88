use yew::prelude::*;

use super::{whole_figures, TermHelp};
use crate::i18n::{self, Term};

#[derive(Properties, PartialEq)]
pub struct FigureProps {
    pub label: AttrValue,
    /// The figure, already formatted (`¥15,000`), or `None` while inputs are missing.
    pub value: Option<AttrValue>,
    /// Stable id for tests and for the print report.
    pub testid: AttrValue,
    #[prop_or_default]
    pub note: Option<AttrValue>,
    /// The main result of a section: shown large.
    #[prop_or_default]
    pub main: bool,
    /// The term of the label, explained on tap.
    #[prop_or_default]
    pub term: Option<Term>,
}

/// One result: a label, a figure that never wraps, and a line on what it means. The figure
/// flashes when it changes, so that a visitor sees the answer follow the typing.
#[component]
pub fn Figure(props: &FigureProps) -> Html {
    let shown = props
        .value
        .clone()
        .unwrap_or_else(|| AttrValue::from(i18n::NONE));
    html! {
        <div class={classes!("figure", props.main.then_some("main"), props.value.is_none().then_some("empty"))}>
            <div class="figure-label with-term">
                <span>{ props.label.clone() }</span>
                if let Some(term) = props.term {
                    <TermHelp {term} />
                }
            </div>
            // Keyed on the figure: a new figure is a new element, and its entry animation runs.
            // Its length in characters lets the style shrink a long figure (a shop's
            // ¥42,905,018,293) to its card instead of letting it run out of it.
            <>
                <output class="figure-value" data-testid={props.testid.clone()} key={shown.to_string()}
                    style={format!("--chars: {}", shown.chars().count())}>
                    { shown.clone() }
                </output>
            </>
            if let Some(note) = &props.note {
                <p class="figure-note">{ whole_figures(note) }</p>
            }
        </div>
    }
}
