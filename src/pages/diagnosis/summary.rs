use ltv_core::input::format_yen;
use yew::prelude::*;

use super::Section;
use crate::i18n;
use crate::state::use_app_state;

/// 6. 診断 summary: the page a visitor screenshots or prints.
#[component]
pub fn SummarySection() -> Html {
    let state = use_app_state();
    let eval = &state.evaluation;
    let Some(d) = eval.diagnosis.as_ref() else {
        return html! {
            <Section number={6} class="summary">
                <p class="needs-input" data-testid="summary-needs-input">{ i18n::SUMMARY_NEEDS_INPUT }</p>
            </Section>
        };
    };
    let health_class = match d.health {
        ltv_core::calc::diagnosis::Health::Healthy => "health healthy",
        ltv_core::calc::diagnosis::Health::Thin => "health thin",
        ltv_core::calc::diagnosis::Health::Losing => "health losing",
    };
    let f = &d.figures;
    let rows = [
        (
            format!(
                "{}{}",
                i18n::LTV_RESULT,
                i18n::summary_horizon(eval.horizon_years)
            ),
            format_yen(f.ltv),
        ),
        (i18n::GROSS_LTV.to_string(), format_yen(f.gross_ltv)),
        ("CPO".to_string(), format_yen(f.cpo)),
        (
            i18n::label(ltv_core::calc::form::Field::RetentionCost),
            format_yen(f.retention_cost),
        ),
        (i18n::PROFIT_PER_CUSTOMER.to_string(), format_yen(f.profit)),
        (
            i18n::LTV_TO_CPO.to_string(),
            i18n::ratio_value(f.ltv_to_cpo),
        ),
        (
            i18n::PAYBACK.to_string(),
            i18n::months_value(f.payback_months),
        ),
        (
            i18n::BREAK_EVEN.to_string(),
            i18n::break_even_value(f.break_even_orders),
        ),
    ];
    html! {
        <Section number={6} class="summary">
            <p class="intro">{ i18n::SUMMARY_INTRO }</p>
            <div class={health_class} data-testid="health" role="status">
                <strong>{ i18n::health_badge(d.health) }</strong>
                <p>{ i18n::health_headline(d.health) }</p>
                if d.low_frequency {
                    <p class="flag">{ i18n::low_frequency_note() }</p>
                }
                if d.acquisition_heavy {
                    <p class="flag">{ i18n::acquisition_heavy_note(f.acquisition_share) }</p>
                }
            </div>
            <h3>{ i18n::SUMMARY_FIGURES }</h3>
            <table class="summary-table" data-testid="summary-figures">
                <tbody>
                    { for rows.iter().map(|(k, v)| html! { <tr><th scope="row">{ k.clone() }</th><td>{ v.clone() }</td></tr> }) }
                </tbody>
            </table>
            <h3>{ i18n::SUMMARY_ACTIONS }</h3>
            <ol class="actions-list" data-testid="summary-actions">
                { for d.recommendations.iter().map(|r| html! {
                    <li>
                        <strong>{ i18n::action_title(r.action) }</strong>
                        <span class="gain">{ i18n::action_gain(r.profit_gain) }</span>
                        <p>{ i18n::action_detail(r.action) }</p>
                    </li>
                }) }
            </ol>
        </Section>
    }
}
