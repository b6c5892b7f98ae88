use yew::prelude::*;

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
}

/// One result: a label, a figure, and a line on what it means.
#[component]
pub fn Figure(props: &FigureProps) -> Html {
    html! {
        <div class={classes!("figure", props.main.then_some("main"))}>
            <div class="figure-label">{ props.label.clone() }</div>
            <output class="figure-value" data-testid={props.testid.clone()}>
                { props.value.clone().unwrap_or_else(|| AttrValue::from("—")) }
            </output>
            if let Some(note) = &props.note {
                <p class="figure-note">{ note.clone() }</p>
            }
        </div>
    }
}
