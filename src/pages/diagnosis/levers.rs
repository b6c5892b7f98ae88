use ltv_core::calc::form::{Field, PROFIT_INPUTS};
use ltv_core::calc::levers::Lever;
use ltv_core::input::format_yen;
use yew::prelude::*;

use super::state::use_app_state;
use super::{field_input, needs_line_main, use_field_change, Section};
use crate::components::Figure;
use crate::i18n;

/// Each lever with its field, in the simulator's order.
const LEVERS: [(Lever, Field); 5] = [
    (Lever::Frequency, Field::FrequencyUp),
    (Lever::Price, Field::PriceRise),
    (Lever::Basket, Field::Basket),
    (Lever::Cpo, Field::CpoDown),
    (Lever::RetentionCost, Field::RetentionCostDown),
];

/// 5. LTVを上げる施策シミュレーター: each lever, its effect in one line, and which gives most.
/// Its ranking is the 診断結果's list of what to do first.
#[component]
pub fn LeversSection() -> Html {
    let state = use_app_state();
    let on_change = use_field_change();
    let eval = &state.evaluation;
    let sim = eval.simulation();
    html! {
        <Section number={5} empty={sim.is_none()}>
            <p class="intro">{ i18n::LEVERS_INTRO }</p>
            <div class="levers">
                { for LEVERS.into_iter().map(|(lever, field)| html! {
                    <div class="lever">
                        { field_input(&state, field, &on_change) }
                        if lever == Lever::Price {
                            { field_input(&state, Field::PriceRepeatLoss, &on_change) }
                        }
                        <p class="lever-effect">{ i18n::lever_effect(lever) }</p>
                    </div>
                }) }
            </div>
            if let Some(sim) = sim {
                <div class="compare" data-testid="lever-compare">
                    <div class="figures pairs">
                        <Figure label={i18n::versus_label(i18n::LEVERS_TOTAL_LTV, i18n::LEVERS_BASE)}
                            value={AttrValue::from(format_yen(sim.base.ltv))} testid="sim-base-ltv" />
                        <Figure main=true label={i18n::versus_label(i18n::LEVERS_TOTAL_LTV, i18n::LEVERS_NEW)}
                            value={AttrValue::from(format_yen(sim.with_levers.ltv))} testid="sim-new-ltv" />
                        <Figure label={i18n::versus_label(i18n::LEVERS_TOTAL_PROFIT, i18n::LEVERS_BASE)}
                            value={AttrValue::from(format_yen(sim.base.profit))} testid="sim-base-profit" />
                        <Figure main=true label={i18n::versus_label(i18n::LEVERS_TOTAL_PROFIT, i18n::LEVERS_NEW)}
                            value={AttrValue::from(format_yen(sim.with_levers.profit))} testid="sim-new-profit" />
                    </div>
                    <h3>{ i18n::LEVERS_RANKING }</h3>
                    <ol class="ranking" data-testid="lever-ranking">
                        { for sim.by_lever.iter().map(|e| html! {
                            <li data-lever={format!("{:?}", e.lever)}>
                                <span class="rank-name">{ i18n::lever_name(e.lever) }</span>
                                <span class="rank-value num">{ i18n::lever_delta(e.profit_change) }</span>
                                <span class="rank-sub num">{ i18n::lever_ltv_delta(e.ltv_change) }</span>
                            </li>
                        }) }
                    </ol>
                </div>
            } else {
                { needs_line_main(eval, &PROFIT_INPUTS, i18n::NEEDS_LEVERS) }
            }
        </Section>
    }
}
