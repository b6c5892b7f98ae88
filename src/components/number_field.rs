use ltv_core::calc::form::Field;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::TermHelp;
use crate::i18n::Term;

/// A field's new text, as typed.
pub type FieldChange = (Field, String);

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    pub field: Field,
    pub label: AttrValue,
    pub value: AttrValue,
    /// The unit after the input (円, 回, %...).
    #[prop_or_default]
    pub unit: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The message when the text cannot be used.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// The worked example shown while the field is empty (「例: 5,000」).
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// A large amount read in 万 and 億 (「＝1億5,000万円」).
    #[prop_or_default]
    pub reading: Option<AttrValue>,
    /// The term of the label, explained on tap.
    #[prop_or_default]
    pub term: Option<Term>,
    /// Where the value came from, shown beside the label (「CSVから」).
    #[prop_or_default]
    pub source: Option<AttrValue>,
    /// Free text rather than a number (a concept's name).
    #[prop_or_default]
    pub text: bool,
    /// Distinguishes fields of the same kind (concept number); part of the element id.
    #[prop_or_default]
    pub id_suffix: AttrValue,
    pub on_change: Callback<FieldChange>,
}

/// The id of a field's input: `f-` and the field's link key, then the suffix that tells apart
/// fields of the same kind.
pub fn number_field_id(field: Field, suffix: &str) -> String {
    format!("f-{}{suffix}", field.key())
}

/// A labelled input with its unit, hint and inline error. A number is tidied when the field is
/// left (`150000000` → `150,000,000`, `1.5万` → `15,000`).
#[component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    let id = number_field_id(props.field, &props.id_suffix);
    let message_id = format!("{id}-msg");
    let oninput = {
        let field = props.field;
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_change.emit((field, input.value()));
        })
    };
    let onchange = {
        let field = props.field;
        let text = props.text;
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if text {
                return;
            }
            if let Some(tidied) = ltv_core::input::tidy(&input.value(), field.unit()) {
                input.set_value(&tidied);
                on_change.emit((field, tidied));
            }
        })
    };
    let invalid = props.error.is_some();
    let message = match (&props.error, &props.hint) {
        (Some(error), _) => html! {
            <p id={message_id.clone()} class="field-error" role="alert">{ error.clone() }</p>
        },
        (None, Some(hint)) => {
            html! { <p id={message_id.clone()} class="field-hint">{ hint.clone() }</p> }
        }
        (None, None) => html! {},
    };
    let described = (invalid || props.hint.is_some()).then(|| message_id.clone());
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            <div class="label-row with-term">
                <label for={id.clone()}>{ props.label.clone() }</label>
                if let Some(term) = props.term {
                    <TermHelp {term} />
                }
                if let Some(source) = &props.source {
                    <span class="field-source" data-testid="field-source">{ source.clone() }</span>
                }
            </div>
            <div class="input-wrap">
                <input
                    id={id}
                    type="text"
                    inputmode={if props.text { "text" } else { "decimal" }}
                    autocomplete="off"
                    value={props.value.clone()}
                    placeholder={props.placeholder.clone()}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={described}
                    {oninput}
                    {onchange}
                />
                if !props.unit.is_empty() {
                    <span class="unit" aria-hidden="true">{ props.unit.clone() }</span>
                }
            </div>
            if let (Some(reading), false) = (&props.reading, invalid) {
                <p class="field-reading" data-testid="field-reading">{ reading.clone() }</p>
            }
            { message }
        </div>
    }
}
