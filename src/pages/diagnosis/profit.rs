use ltv_core::calc::form::{Field, PROFIT_INPUTS};
use ltv_core::calc::Recovery;
use ltv_core::input::format_yen;
use yew::prelude::*;

use super::state::use_app_state;
use super::{field_input, needs_line_main, use_field_change, Section};
use crate::components::{whole_figures, Figure};
use crate::i18n::{self, Term};

/// 2. 粗利LTVと獲得コスト: does a customer pay back what it cost to win and keep?
#[component]
pub fn ProfitSection() -> Html {
    let state = use_app_state();
    let on_change = use_field_change();
    let eval = &state.evaluation;
    let p = eval.profitability;
    let verdict = p.map(|p| {
        let class = match p.recovery {
            Recovery::Recovers => "verdict ok",
            Recovery::BreaksEven => "verdict even",
            Recovery::Short => "verdict ng",
        };
        html! {
            <div class={class} data-testid="verdict" role="status">
                <strong>{ i18n::recovery_label(p.recovery) }</strong>
                <span data-testid="verdict-reason">
                    { whole_figures(&i18n::verdict_reason(p.gross_ltv, p.cpo, p.retention_cost, p.profit)) }
                </span>
                if eval.retention_cost_empty {
                    <span class="verdict-note">{ i18n::RETENTION_COST_EMPTY }</span>
                }
            </div>
        }
    });
    html! {
        <Section number={2} empty={p.is_none()}>
            <p class="intro">{ i18n::PROFIT_INTRO }</p>
            <div class="grid three">
                { field_input(&state, Field::MarginRate, &on_change) }
                { field_input(&state, Field::Cpo, &on_change) }
                { field_input(&state, Field::RetentionCost, &on_change) }
            </div>
            { needs_line_main(eval, &PROFIT_INPUTS, i18n::NEEDS_RECOVERY) }
            { verdict.unwrap_or_default() }
            <div class="figures">
                <Figure main=true label={i18n::GROSS_LTV} value={p.map(|p| AttrValue::from(format_yen(p.gross_ltv)))} testid="gross-ltv"
                    term={Term::GrossLtv}
                    note={p.map(|p| AttrValue::from(i18n::gross_ltv_note(p.ltv)))} />
                <Figure label={i18n::PROFIT_PER_CUSTOMER} value={p.map(|p| AttrValue::from(format_yen(p.profit)))} testid="profit" />
                <Figure label={i18n::LTV_TO_CPO} value={p.map(|p| AttrValue::from(i18n::ratio_value(p.ltv_to_cpo)))} testid="ltv-cpo"
                    note={p.map(|p| AttrValue::from(i18n::ratio_note(p.ltv_to_cpo)))} />
                <Figure label={i18n::PAYBACK} value={p.map(|p| AttrValue::from(i18n::months_value(p.payback_months)))} testid="payback" />
                <Figure label={i18n::BREAK_EVEN} value={p.map(|p| AttrValue::from(i18n::break_even_value(p.break_even_orders)))} testid="break-even" />
                <Figure label={i18n::AD_SHARE} value={p.and_then(|p| p.acquisition_share).map(|s| AttrValue::from(ltv_core::input::format_rate(s)))} testid="ad-share"
                    note={p.map(|p| AttrValue::from(i18n::ad_share_note(p.acquisition_share)))} />
            </div>
        </Section>
    }
}
