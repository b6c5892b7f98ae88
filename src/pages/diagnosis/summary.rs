use ltv_core::calc::diagnosis::Health;
use ltv_core::calc::form::{Field, PROFIT_INPUTS};
use ltv_core::input::format_yen;
use yew::prelude::*;

use super::state::{use_app_state, Action};
use super::{needs_line_main, Section};
use crate::components::{whole_figures, Toolbar};
use crate::i18n;
use crate::url;

/// 6. 診断 summary: the verdict, its figures and what to do first (the simulator's ranking),
/// then the ways to keep it: link, print, start over.
#[component]
pub fn SummarySection() -> Html {
    let state = use_app_state();
    let eval = &state.evaluation;
    let toolbar = html! { <SummaryToolbar /> };
    let Some(d) = eval.diagnosis.as_ref() else {
        return html! {
            <Section number={6} class="summary" empty=true>
                <div data-testid="summary-needs-input">
                    { needs_line_main(eval, &PROFIT_INPUTS, i18n::NEEDS_DIAGNOSIS) }
                </div>
                { toolbar }
            </Section>
        };
    };
    let health_class = match d.health {
        Health::Healthy => "health healthy",
        Health::Thin => "health thin",
        Health::Losing => "health losing",
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
            i18n::label(Field::RetentionCost),
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
    let actions: Vec<_> = d.recommendations().collect();
    html! {
        <Section number={6} class="summary">
            <p class="intro">{ i18n::SUMMARY_INTRO }</p>
            <div class={health_class} data-testid="health" role="status">
                <strong>{ i18n::health_badge(d.health) }</strong>
                <p>{ i18n::health_headline(d.health, f.recovery) }</p>
                if d.low_frequency {
                    <p class="flag">{ whole_figures(i18n::low_frequency_note()) }</p>
                }
                if d.acquisition_heavy {
                    <p class="flag">{ whole_figures(&i18n::acquisition_heavy_note(f.acquisition_share)) }</p>
                }
            </div>
            <h3>{ i18n::SUMMARY_ACTIONS }</h3>
            if actions.is_empty() {
                <p class="needs-input">{ i18n::SUMMARY_NO_ACTION }</p>
            }
            <ol class="actions-list" data-testid="summary-actions">
                { for actions.iter().map(|r| html! {
                    <li data-lever={format!("{:?}", r.lever)}>
                        <strong>{ i18n::action_title(r.lever, d.low_frequency) }</strong>
                        <span class="gain">{ whole_figures(&i18n::action_gain(r.lever, eval.levers.size(r.lever), r.profit_change)) }</span>
                        <p>{ i18n::action_detail(r.lever, d.low_frequency) }</p>
                    </li>
                }) }
            </ol>
            <h3 class="figures-title">{ i18n::SUMMARY_FIGURES }</h3>
            <table class="summary-table" data-testid="summary-figures">
                <tbody>
                    { for rows.iter().map(|(k, v)| html! { <tr><th scope="row">{ k.clone() }</th><td class="num">{ v.clone() }</td></tr> }) }
                </tbody>
            </table>
            { toolbar }
        </Section>
    }
}

/// Copy the link, print, start over: after the answer, not before the inputs.
#[component]
fn SummaryToolbar() -> Html {
    let state = use_app_state();
    let copied = use_state(|| false);
    {
        let copied = copied.clone();
        use_effect_with(state.form.clone(), move |_| copied.set(false));
    }
    let link = url::share_link(&state.form);
    let on_reset = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::Reset))
    };
    let on_print = Callback::from(|()| {
        if let Some(window) = crate::window() {
            let _ = window.print();
        }
    });
    let on_copy = {
        let copied = copied.clone();
        let link = link.clone();
        Callback::from(move |()| {
            if let Some(window) = crate::window() {
                // The clipboard may be refused (no permission); the link stays selectable.
                let _ = window.navigator().clipboard().write_text(&link);
                copied.set(true);
                let copied = copied.clone();
                gloo::timers::callback::Timeout::new(2_000, move || copied.set(false)).forget();
            }
        })
    };
    html! {
        <Toolbar share_url={link} {on_reset} {on_print} {on_copy} copied={*copied} />
    }
}
