use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FoldProps {
    /// The line the user clicks to open or close it.
    pub summary: AttrValue,
    /// Whether it is open (the page keeps what the user chose).
    pub open: bool,
    /// The `toggle` event of its `details`: the user opened or closed it.
    pub ontoggle: Callback<Event>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// Left off paper when printed.
    #[prop_or_default]
    pub screen_only: bool,
    #[prop_or_default]
    pub children: Html,
}

/// A part of a page folded away below the answer (the file and its settings, a model's
/// settings). Its contents are laid out only while it is open: a closed fold costs the page
/// nothing when the answer comes, and they come on the render after it is opened.
#[component]
pub fn Fold(props: &FoldProps) -> Html {
    let class = classes!("fold", props.screen_only.then_some("no-print"));
    html! {
        <details {class} id={props.id.clone()} data-testid={props.testid.clone()}
            open={props.open} ontoggle={props.ontoggle.clone()}>
            <summary>{ props.summary.clone() }</summary>
            if props.open { { props.children.clone() } }
        </details>
    }
}
