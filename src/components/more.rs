use yew::prelude::*;

use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct MoreProps {
    /// What the fold is called; 「詳しく」 unless told.
    #[prop_or_default]
    pub summary: Option<AttrValue>,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

/// A fold for what a shop owner need not read: definitions, formulas, files for other tools.
#[component]
pub fn More(props: &MoreProps) -> Html {
    html! {
        <details class="more" data-testid={props.testid.clone()}>
            <summary>{ props.summary.clone().unwrap_or_else(|| AttrValue::from(i18n::MORE)) }</summary>
            <div class="more-body">{ props.children.clone() }</div>
        </details>
    }
}
