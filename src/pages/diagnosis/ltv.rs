use ltv_core::calc::form::Field;
use ltv_core::input::{format_decimal, format_yen};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::use_app_state;
use super::{field_input, needs_line, needs_line_main, use_field_change, Section};
use crate::components::Figure;
use crate::i18n::{self, Term};

/// 1. 通販LTV three ways: the formula, the rough method, the order mix, the retention method.
/// The first inputs and their result come first, on the first screen of a phone.
#[component]
pub fn LtvSection() -> Html {
    let state = use_app_state();
    let on_change = use_field_change();
    let eval = &state.evaluation;
    let years = eval.horizon_years;
    let on_horizon = {
        let on_change = on_change.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_change.emit((Field::Horizon, input.value()));
        })
    };
    let formula = match (eval.average_order_value, eval.orders_per_year) {
        (Some(aov), Some(freq)) => {
            i18n::ltv_formula(&format_yen(aov), &format_decimal(freq), years)
        }
        _ => String::new(),
    };
    let mix = eval.order_mix;
    let ltv_inputs = ltv_core::calc::form::LTV_INPUTS;
    let rough_inputs = [Field::PeriodRevenue, Field::UniqueCustomers];
    let mix_inputs = [
        Field::AverageOrderValue,
        Field::OneTimeCustomers,
        Field::RepeatCustomers,
        Field::RepeatOrdersEach,
    ];
    let retention_inputs = [
        Field::AverageOrderValue,
        Field::OrdersPerYear,
        Field::RetentionRate,
    ];
    html! {
        <Section number={1} empty={eval.ltv.is_none()}>
            <p class="intro">{ i18n::LTV_INTRO }</p>
            <div class="grid">
                { field_input(&state, Field::AverageOrderValue, &on_change) }
                { field_input(&state, Field::OrdersPerYear, &on_change) }
            </div>
            <fieldset class="horizon">
                <legend>{ i18n::HORIZON_LEGEND }</legend>
                { for [1u8, 2].into_iter().map(|y| html! {
                    <label class="radio">
                        <input type="radio" name="horizon" value={y.to_string()}
                            checked={years == y} onchange={on_horizon.clone()} />
                        { i18n::horizon_option(y) }
                    </label>
                }) }
                <p class="field-hint">{ i18n::HORIZON_NOTE }</p>
            </fieldset>
            <Figure main=true label={i18n::ltv_result_label(years)}
                value={eval.ltv.map(|v| AttrValue::from(format_yen(v)))}
                testid="ltv" term={Term::Ltv}
                note={eval.ltv.map(|_| AttrValue::from(i18n::ltv_note(&formula, years)))} />
            { needs_line_main(eval, &ltv_inputs, i18n::NEEDS_LTV) }

            <h3>{ i18n::ROUGH_TITLE }</h3>
            <div class="grid">
                { field_input(&state, Field::PeriodRevenue, &on_change) }
                { field_input(&state, Field::UniqueCustomers, &on_change) }
            </div>
            <Figure label={i18n::ROUGH_RESULT}
                value={eval.ltv_rough.map(|v| AttrValue::from(format_yen(v)))}
                testid="ltv-rough"
                note={eval.ltv_rough.map(|r| AttrValue::from(match eval.ltv {
                    Some(f) => format!("{} {}", i18n::ROUGH_NOTE, i18n::rough_meaning(r, f)),
                    None => i18n::ROUGH_NOTE.to_string(),
                }))} />
            { needs_line(eval, &rough_inputs, i18n::NEEDS_FIGURE) }

            <h3>{ i18n::MIX_TITLE }</h3>
            <div class="grid three">
                { field_input(&state, Field::OneTimeCustomers, &on_change) }
                { field_input(&state, Field::RepeatCustomers, &on_change) }
                { field_input(&state, Field::RepeatOrdersEach, &on_change) }
            </div>
            <div class="figures four">
                <Figure label={i18n::MIX_ORDERS} value={mix.map(|m| AttrValue::from(i18n::count_value(m.orders)))} testid="mix-orders" />
                <Figure label={i18n::MIX_PER_CUSTOMER} value={mix.map(|m| AttrValue::from(i18n::times_value(m.orders_per_customer)))} testid="mix-per-customer" />
                <Figure label={i18n::MIX_REVENUE} value={mix.map(|m| AttrValue::from(format_yen(m.revenue)))} testid="mix-revenue" />
                <Figure label={i18n::MIX_LTV} value={mix.map(|m| AttrValue::from(format_yen(m.ltv)))} testid="mix-ltv" />
            </div>
            { needs_line(eval, &mix_inputs, i18n::NEEDS_FIGURE) }
            <p class="figure-note with-term">
                <span>{ i18n::MIX_NOTE }{ mix.map(|m| i18n::mix_basis(m.customers)).unwrap_or_default() }</span>
                <crate::components::TermHelp term={Term::F2} />
            </p>

            <h3>{ i18n::RETENTION_TITLE }</h3>
            <div class="grid three">
                { field_input(&state, Field::RetentionRate, &on_change) }
                { field_input(&state, Field::DiscountRate, &on_change) }
                { field_input(&state, Field::CapYears, &on_change) }
            </div>
            <div class="figures">
                <Figure label={i18n::RETENTION_YEARS}
                    value={eval.retention.map(|r| AttrValue::from(i18n::years_value(r.expected_years)))}
                    testid="retention-years" />
                <Figure label={i18n::RETENTION_RESULT}
                    value={eval.retention.map(|r| AttrValue::from(format_yen(r.ltv)))}
                    testid="ltv-retention" />
            </div>
            { needs_line(eval, &retention_inputs, i18n::NEEDS_FIGURE) }
            <p class="figure-note">{ i18n::RETENTION_NOTE }</p>
        </Section>
    }
}
