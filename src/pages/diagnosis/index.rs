use ltv_core::calc::form::{Field, MAX_CONCEPTS};
use yew::prelude::*;

use super::state::{use_app_state, Action};
use super::{field_input, needs_line, use_field_change, Section};
use crate::components::{whole_figures, Figure};
use crate::i18n::{self, Term};

/// 4. 売れる通販指数 of up to five concepts, side by side.
#[component]
pub fn IndexSection() -> Html {
    let state = use_app_state();
    let on_change = use_field_change();
    let add = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::AddConcept))
    };
    let count = state.evaluation.concepts.len();
    let concepts = state.evaluation.concepts.iter().map(|c| {
        let n = c.number;
        let remove = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(Action::RemoveConcept(n)))
        };
        let result = c.sellability.map(|s| {
            let (class, verdict, detail) = if s.passes {
                ("verdict ok", i18n::INDEX_GO, i18n::index_go_detail().to_string())
            } else {
                (
                    "verdict ng",
                    i18n::INDEX_REVIEW,
                    i18n::index_review_detail(s.price_to_pass, s.buyers_to_pass),
                )
            };
            html! {
                <div class={class} data-testid={format!("index-verdict-{n}")}>
                    <strong>{ verdict }</strong><span>{ whole_figures(&detail) }</span>
                </div>
            }
        });
        html! {
            <fieldset class="concept" data-testid={format!("concept-{n}")}>
                <legend>{ i18n::concept_legend(n, &c.name) }</legend>
                { field_input(&state, Field::ConceptName(n), &on_change) }
                { field_input(&state, Field::ConceptPrice(n), &on_change) }
                { field_input(&state, Field::ConceptBuyers(n), &on_change) }
                { field_input(&state, Field::ConceptPitched(n), &on_change) }
                <Figure main=true label={i18n::INDEX_RESULT}
                    value={c.sellability.map(|s| AttrValue::from(i18n::index_value(s.index)))}
                    testid={format!("index-{n}")} term={Term::Sellability}
                    note={c.inputs.map(|(p, b, n)| AttrValue::from(i18n::index_formula(p, b, n)))} />
                { needs_line(&state.evaluation, &[Field::ConceptPrice(n), Field::ConceptBuyers(n), Field::ConceptPitched(n)], i18n::NEEDS_FIGURE) }
                { result.unwrap_or_default() }
                if count > 1 {
                    <button type="button" class="secondary no-print" onclick={remove}
                        aria-label={i18n::remove_concept_label(&c.name)}>{ i18n::REMOVE_CONCEPT }</button>
                }
            </fieldset>
        }
    });
    html! {
        <Section number={4} empty={state.evaluation.concepts.iter().all(|c| c.sellability.is_none())}>
            <p class="intro">{ i18n::INDEX_INTRO }</p>
            <p class="formula">{ i18n::INDEX_FORMULA }</p>
            <div class="concepts">{ for concepts }</div>
            if count < usize::from(MAX_CONCEPTS) {
                <button type="button" class="secondary no-print" onclick={add} data-testid="add-concept">
                    { i18n::ADD_CONCEPT }
                </button>
            }
        </Section>
    }
}
