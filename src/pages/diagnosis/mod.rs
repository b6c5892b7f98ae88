//! The free 診断: six calculators on one page, each answering as the visitor types.

mod index;
mod levers;
mod ltv;
mod profit;
mod repeat;
mod summary;

use ltv_core::calc::form::Field;
use yew::prelude::*;

use crate::components::{FieldChange, NumberField};
use crate::i18n;
use crate::state::{use_app_state, Action, AppState};

/// The callback that writes a field into the shared state.
#[hook]
fn use_field_change() -> Callback<FieldChange> {
    let state = use_app_state();
    Callback::from(move |(field, text): FieldChange| state.dispatch(Action::Set(field, text)))
}

/// A labelled input for a field, with its text, unit, hint and error from the state.
fn field_input(state: &AppState, field: Field, on_change: &Callback<FieldChange>) -> Html {
    field_input_with(state, field, on_change, "")
}

fn field_input_with(
    state: &AppState,
    field: Field,
    on_change: &Callback<FieldChange>,
    id_suffix: &str,
) -> Html {
    html! {
        <NumberField
            {field}
            label={i18n::label(field)}
            value={state.form.get(field)}
            unit={i18n::unit(field)}
            hint={i18n::hint(field).map(AttrValue::from)}
            error={state.evaluation.error(field).map(|e| AttrValue::from(e.to_string()))}
            text={matches!(field, Field::ConceptName(_))}
            id_suffix={id_suffix.to_string()}
            on_change={on_change.clone()}
        />
    }
}

/// The whole 診断 page.
#[component]
pub fn DiagnosisPage() -> Html {
    html! {
        <>
            <nav class="toc no-print" aria-label={i18n::NAV_LABEL}>
                <ol>
                    { for i18n::SECTIONS.iter().map(|(id, title)| html! {
                        <li><a href={format!("#{id}")}>{ *title }</a></li>
                    }) }
                </ol>
            </nav>
            <ltv::LtvSection />
            <profit::ProfitSection />
            <repeat::RepeatSection />
            <index::IndexSection />
            <levers::LeversSection />
            <summary::SummarySection />
        </>
    }
}

/// A numbered section with its title.
#[derive(Properties, PartialEq)]
struct SectionProps {
    number: usize,
    children: Html,
    #[prop_or_default]
    class: Classes,
}

#[component]
fn Section(props: &SectionProps) -> Html {
    let (id, title) = i18n::SECTIONS[props.number - 1];
    html! {
        <section id={id} class={classes!("card", props.class.clone())} aria-labelledby={format!("{id}-title")}>
            <h2 id={format!("{id}-title")}><span class="step">{ props.number }</span>{ title }</h2>
            { props.children.clone() }
        </section>
    }
}
