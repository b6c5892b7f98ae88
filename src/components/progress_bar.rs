use yew::prelude::*;

use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct ProgressBarProps {
    pub label: AttrValue,
    /// 0 to 1.
    pub fraction: f64,
    pub on_cancel: Callback<()>,
}

/// A progress bar with what is being done and a cancel button.
#[component]
pub fn ProgressBar(props: &ProgressBarProps) -> Html {
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let percent = i18n::percent(props.fraction);
    html! {
        <div class="progress" role="status" data-testid="progress">
            <label for="work-progress">{ props.label.clone() }{ " " }{ percent.clone() }</label>
            <div class="progress-row">
                <progress id="work-progress" max="1" value={props.fraction.clamp(0.0, 1.0).to_string()}>{ percent }</progress>
                <button type="button" class="secondary" onclick={cancel} data-testid="cancel">{ i18n::CANCEL }</button>
            </div>
        </div>
    }
}
