use ltv_core::calc::form::Field;
use yew::prelude::*;

use super::state::use_app_state;
use crate::i18n;

/// What a printout of the 診断 opens with: its title, the date, and every number the visitor
/// entered, so that the results on paper can be traced to their inputs.
#[component]
pub fn PrintHeader() -> Html {
    let state = use_app_state();
    // Read after the first render: a page pre-rendered at build time has no date, and hydrating
    // it must first render what it shows.
    let date = use_state(|| None);
    {
        let date = date.clone();
        use_effect_with((), move |_| date.set(today()));
    }
    // What was typed, and the lever sizes the ranking used even where left at their start.
    let typed: Vec<Field> = state.form.typed().map(|(field, _)| field).collect();
    let rows: Vec<Html> = Field::all()
        .filter(|f| typed.contains(f) || Field::LEVERS.contains(f))
        .filter(|f| *f != Field::ConceptCount)
        .map(|field| {
            let text = state.form.get(field);
            let shown = ltv_core::input::tidy(&text, field.unit()).unwrap_or(text);
            html! {
                <div class="print-input">
                    <dt>{ i18n::label(field) }</dt>
                    <dd>{ shown }{ i18n::unit(field) }</dd>
                </div>
            }
        })
        .collect();
    html! {
        <div class="print-only print-header" data-testid="print-header">
            <h2>{ i18n::PRINT_TITLE }</h2>
            if let Some((y, m, d)) = *date {
                <p class="print-date">{ i18n::print_date(y, m, d) }</p>
            }
            <h3>{ i18n::PRINT_INPUTS }</h3>
            if rows.is_empty() {
                <p>{ i18n::PRINT_NO_INPUTS }</p>
            } else {
                <dl class="print-inputs" data-testid="print-inputs">{ for rows }</dl>
            }
        </div>
    }
}

/// Today by the visitor's clock: (year, month, day).
#[cfg(target_arch = "wasm32")]
fn today() -> Option<(u32, u32, u32)> {
    let now = js_sys::Date::new_0();
    Some((now.get_full_year(), now.get_month() + 1, now.get_date()))
}

#[cfg(not(target_arch = "wasm32"))]
fn today() -> Option<(u32, u32, u32)> {
    None
}
