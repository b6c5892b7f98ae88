use ltv_core::calc::diagnosis::Health;
use ltv_core::calc::form::{LTV_INPUTS, PROFIT_INPUTS};
use ltv_core::input::format_yen;
use yew::prelude::*;

use super::state::use_app_state;
use crate::components::whole_figures;
use crate::i18n;

/// The answer, always in sight: 通販LTV and the verdict (or what is still needed for them),
/// following the typing. Fixed at the bottom of a phone's screen, beside the form on a laptop;
/// a tap goes to 診断結果.
#[component]
pub fn ResultBar() -> Html {
    let state = use_app_state();
    let eval = &state.evaluation;
    let ltv = eval
        .ltv
        .map(format_yen)
        .unwrap_or_else(|| i18n::NONE.to_string());
    let status = match (&eval.diagnosis, eval.ltv) {
        (Some(d), _) => {
            let class = match d.health {
                Health::Healthy => "bar-verdict healthy",
                Health::Thin => "bar-verdict thin",
                Health::Losing => "bar-verdict losing",
            };
            html! { <strong class={class} data-testid="bar-verdict">{ i18n::health_badge(d.health) }</strong> }
        }
        (None, None) => html! {
            <span class="bar-needs" data-testid="bar-needs">
                { i18n::needs(&eval.needs(&LTV_INPUTS), i18n::NEEDS_LTV) }
            </span>
        },
        (None, Some(_)) => html! {
            <span class="bar-needs" data-testid="bar-needs">
                { i18n::needs(&eval.needs(&PROFIT_INPUTS), i18n::NEEDS_BAR_DIAGNOSIS) }
            </span>
        },
    };
    let extra = eval.diagnosis.as_ref().map(|d| {
        let first = d.recommendations().next();
        html! {
            <span class="bar-extra">
                <span class="bar-figure">
                    <span class="bar-label">{ i18n::BAR_PROFIT }</span>
                    <span class="bar-value small num" data-testid="bar-profit">{ format_yen(d.figures.profit) }</span>
                </span>
                if let Some(first) = first {
                    <span class="bar-figure">
                        <span class="bar-label">{ i18n::BAR_FIRST_ACTION }</span>
                        <span class="bar-action">{ i18n::action_title(first.lever, d.low_frequency) }</span>
                        <span class="bar-gain">{ whole_figures(&i18n::lever_delta(first.profit_change)) }</span>
                    </span>
                }
            </span>
        }
    });
    html! {
        <aside class="result-bar no-print" aria-label={i18n::BAR_LABEL} data-testid="result-bar">
            <a class="result-bar-link" href="#summary">
                <span class="bar-figure">
                    <span class="bar-label">{ i18n::BAR_LTV }</span>
                    <span class="bar-value num" data-testid="bar-ltv">{ ltv }</span>
                </span>
                <span class="bar-status" aria-live="polite">{ status }</span>
                { extra.unwrap_or_default() }
                <span class="bar-go">{ i18n::BAR_TO_RESULT }</span>
            </a>
        </aside>
    }
}
