use yew::prelude::*;

use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The address to share.
    pub share_url: AttrValue,
    pub on_reset: Callback<()>,
    pub on_print: Callback<()>,
    pub on_copy: Callback<()>,
    /// The copy just succeeded.
    pub copied: bool,
}

/// Share link, copy, print and reset.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    let print = props.on_print.reform(|_: MouseEvent| ());
    let copy = props.on_copy.reform(|_: MouseEvent| ());
    html! {
        <div class="toolbar no-print">
            <div class="share">
                <label for="share-url">{ i18n::SHARE_LINK }</label>
                <div class="share-row">
                    <input id="share-url" type="text" readonly=true value={props.share_url.clone()}
                        aria-describedby="share-hint" />
                    <button type="button" onclick={copy} data-testid="copy-link">
                        { if props.copied { i18n::COPIED } else { i18n::COPY } }
                    </button>
                </div>
                <p id="share-hint" class="field-hint">{ i18n::SHARE_HINT }</p>
            </div>
            <div class="actions">
                <button type="button" onclick={print}>{ i18n::PRINT }</button>
                <button type="button" class="secondary" onclick={reset} data-testid="reset">{ i18n::RESET }</button>
            </div>
        </div>
    }
}
