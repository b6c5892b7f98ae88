use ltv_core::calc::form::Field;
use ltv_core::input::format_yen;
use yew::prelude::*;

use super::{field_input, use_field_change, Section};
use crate::components::Figure;
use crate::i18n;
use crate::state::use_app_state;

/// 5. LTVを上げる施策シミュレーター: each lever, its effect in one line, and which gives most.
#[component]
pub fn LeversSection() -> Html {
    let state = use_app_state();
    let on_change = use_field_change();
    let sim = state.evaluation.simulation.as_ref();
    let levers = [
        (Field::Upsell, ltv_core::calc::levers::Lever::Upsell),
        (Field::Tiers, ltv_core::calc::levers::Lever::Tiers),
        (Field::PriceRise, ltv_core::calc::levers::Lever::Price),
        (Field::FrequencyUp, ltv_core::calc::levers::Lever::Frequency),
        (
            Field::RetentionCostChange,
            ltv_core::calc::levers::Lever::RetentionCost,
        ),
    ];
    html! {
        <Section number={5}>
            <p class="intro">{ i18n::LEVERS_INTRO }</p>
            <div class="levers">
                { for levers.into_iter().map(|(field, lever)| html! {
                    <div class="lever">
                        { field_input(&state, field, &on_change) }
                        if field == Field::PriceRise {
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
                            <li>
                                <span class="rank-name">{ i18n::lever_name(e.lever) }</span>
                                <span class="rank-value">{ i18n::lever_delta(e.profit_change) }</span>
                                <span class="rank-sub">{ i18n::lever_ltv_delta(e.ltv_change) }</span>
                            </li>
                        }) }
                    </ol>
                </div>
            } else {
                <p class="needs-input">{ i18n::SUMMARY_NEEDS_INPUT }</p>
            }
        </Section>
    }
}
