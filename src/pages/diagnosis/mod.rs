//! The free 診断: the calculators on one page, each answering as the visitor types, with the
//! answer (通販LTV and the verdict) always in sight in the result bar.

mod index;
mod levers;
mod ltv;
mod print;
mod profit;
mod repeat;
mod result_bar;
pub mod state;
mod summary;

use ltv_core::calc::form::{Evaluation, Field};
use ltv_core::input::{in_japanese_units, parse_number, Unit};
use yew::prelude::*;

use crate::components::{whole_figures, FieldChange, NumberField};
use crate::i18n::{self, Term};
use state::{use_app_state, Action, AppState};

/// The callback that writes a field into the shared state.
#[hook]
fn use_field_change() -> Callback<FieldChange> {
    let state = use_app_state();
    Callback::from(move |(field, text): FieldChange| state.dispatch(Action::Set(field, text)))
}

/// What tells apart the inputs of fields of the same kind: a concept's number (`-2`).
fn id_suffix(field: Field) -> String {
    match field {
        Field::ConceptName(n)
        | Field::ConceptPrice(n)
        | Field::ConceptBuyers(n)
        | Field::ConceptPitched(n) => format!("-{n}"),
        _ => String::new(),
    }
}

/// The id of a field's input on the 診断 page (`f-aov`, `f-c2p-2`).
pub fn input_id(field: Field) -> String {
    crate::components::number_field_id(field, &id_suffix(field))
}

/// The term a field's label names, explained on tap.
fn field_term(field: Field) -> Option<Term> {
    match field {
        Field::MarginRate => Some(Term::MarginRate),
        Field::Cpo => Some(Term::Cpo),
        _ => None,
    }
}

/// A labelled input for a field, with its text, unit, hint and error from the state.
fn field_input(state: &AppState, field: Field, on_change: &Callback<FieldChange>) -> Html {
    let text = state.form.get(field);
    let reading = matches!(field.unit(), Unit::Yen | Unit::Count)
        .then(|| parse_number(&text).ok().and_then(in_japanese_units))
        .flatten()
        .map(|amount| AttrValue::from(i18n::reading(&amount, i18n::unit(field))));
    html! {
        <NumberField
            {field}
            label={i18n::label(field)}
            value={text}
            unit={i18n::unit(field)}
            hint={i18n::hint(field).map(AttrValue::from)}
            error={state.evaluation.error(field).map(|e| AttrValue::from(e.to_string()))}
            placeholder={field.example().map(|e| AttrValue::from(i18n::example_placeholder(e)))}
            {reading}
            term={field_term(field)}
            source={state.is_measured(field).then_some(AttrValue::from(i18n::FROM_CSV))}
            text={matches!(field, Field::ConceptName(_))}
            id_suffix={id_suffix(field)}
            on_change={on_change.clone()}
        />
    }
}

/// What a block still needs before it answers, or nothing when it has all it needs.
fn needs_line(eval: &Evaluation, fields: &[Field], what: &str) -> Html {
    needs_line_with(eval, fields, what, "needs-input")
}

/// The same, for a section's main answer (通販LTV, the verdict): shown more strongly.
fn needs_line_main(eval: &Evaluation, fields: &[Field], what: &str) -> Html {
    needs_line_with(eval, fields, what, "needs-input main")
}

fn needs_line_with(eval: &Evaluation, fields: &[Field], what: &str, class: &str) -> Html {
    let missing = eval.needs(fields);
    if missing.is_empty() {
        return html! {};
    }
    html! {
        <p class={class.to_string()} data-testid="needs">{ whole_figures(&i18n::needs(&missing, what)) }</p>
    }
}

/// The whole 診断 page: the sections in one column, the result bar beside them (laptop) or
/// fixed at the bottom (phone).
#[component]
pub fn DiagnosisPage() -> Html {
    html! {
        <div class="diagnosis">
            <print::PrintHeader />
            <div class="diagnosis-main">
                <ltv::LtvSection />
                <nav class="toc no-print" aria-label={i18n::NAV_LABEL}>
                    <ol>
                        { for i18n::SECTIONS.iter().skip(1).map(|(id, title)| html! {
                            <li><a href={format!("#{id}")}>{ *title }</a></li>
                        }) }
                    </ol>
                </nav>
                <profit::ProfitSection />
                <repeat::RepeatSection />
                <index::IndexSection />
                <levers::LeversSection />
                <summary::SummarySection />
            </div>
            <result_bar::ResultBar />
        </div>
    }
}

/// A numbered section with its title. The number comes from a CSS counter, so that a printout
/// that leaves out an empty section still counts 1, 2, 3.
#[derive(Properties, PartialEq)]
struct SectionProps {
    number: usize,
    children: Html,
    #[prop_or_default]
    class: Classes,
    /// Nothing to show yet: left out of the printout.
    #[prop_or_default]
    empty: bool,
}

#[component]
fn Section(props: &SectionProps) -> Html {
    let (id, title) = i18n::SECTIONS[props.number - 1];
    html! {
        <section id={id} class={classes!("card", props.class.clone(), props.empty.then_some("empty"))}
            aria-labelledby={format!("{id}-title")}>
            <h2 id={format!("{id}-title")}><span class="step" aria-hidden="true"></span>{ title }</h2>
            { props.children.clone() }
        </section>
    }
}
