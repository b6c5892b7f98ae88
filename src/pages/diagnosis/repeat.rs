use ltv_core::calc::form::Field;
use ltv_core::input::format_rate;
use yew::prelude::*;

use super::state::use_app_state;
use super::{field_input, needs_line, use_field_change, Section};
use crate::components::{Figure, TermHelp};
use crate::i18n::{self, Term};

/// 3. リピーター率 and リピート率 side by side, each with what moves it.
#[component]
pub fn RepeatSection() -> Html {
    let state = use_app_state();
    let on_change = use_field_change();
    let eval = &state.evaluation;
    html! {
        <Section number={3} empty={eval.repeater_rate.is_none() && eval.repeat_rate.is_none()}>
            <div class="columns">
                <div class="column">
                    <h3 class="with-term"><span>{ i18n::REPEATER_TITLE }</span><TermHelp term={Term::RepeaterRate} /></h3>
                    <p class="formula">{ i18n::REPEATER_FORMULA }</p>
                    { field_input(&state, Field::MonthCustomers, &on_change) }
                    { field_input(&state, Field::MonthRepeaters, &on_change) }
                    <Figure main=true label={i18n::REPEATER_TITLE}
                        value={eval.repeater_rate.map(|r| AttrValue::from(format_rate(r)))}
                        testid="repeater-rate" note={AttrValue::from(i18n::REPEATER_WARNING)} />
                    { needs_line(eval, &[Field::MonthCustomers, Field::MonthRepeaters], i18n::NEEDS_FIGURE) }
                </div>
                <div class="column">
                    <h3 class="with-term"><span>{ i18n::REPEAT_TITLE }</span><TermHelp term={Term::RepeatRate} /></h3>
                    <p class="formula">{ i18n::REPEAT_FORMULA }</p>
                    { field_input(&state, Field::CumulativeCustomers, &on_change) }
                    { field_input(&state, Field::CumulativeRepeaters, &on_change) }
                    <Figure main=true label={i18n::REPEAT_TITLE}
                        value={eval.repeat_rate.map(|r| AttrValue::from(format_rate(r)))}
                        testid="repeat-rate" note={AttrValue::from(i18n::REPEAT_WARNING)} />
                    { needs_line(eval, &[Field::CumulativeCustomers, Field::CumulativeRepeaters], i18n::NEEDS_FIGURE) }
                </div>
            </div>
        </Section>
    }
}
