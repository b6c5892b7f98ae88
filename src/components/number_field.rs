use ltv_core::calc::form::Field;
use web_sys::HtmlInputElement;
use yew::prelude::*;

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
    /// Free text rather than a number (a concept's name).
    #[prop_or_default]
    pub text: bool,
    /// Distinguishes fields of the same kind (concept number); part of the element id.
    #[prop_or_default]
    pub id_suffix: AttrValue,
    pub on_change: Callback<FieldChange>,
}

/// A labelled input with its unit, hint and inline error.
#[component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    let id = format!("f-{}{}", props.field.key(), props.id_suffix);
    let message_id = format!("{id}-msg");
    let oninput = {
        let field = props.field;
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_change.emit((field, input.value()));
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
            <label for={id.clone()}>{ props.label.clone() }</label>
            <div class="input-wrap">
                <input
                    id={id}
                    type="text"
                    inputmode={if props.text { "text" } else { "decimal" }}
                    autocomplete="off"
                    value={props.value.clone()}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={described}
                    {oninput}
                />
                if !props.unit.is_empty() {
                    <span class="unit" aria-hidden="true">{ props.unit.clone() }</span>
                }
            </div>
            { message }
        </div>
    }
}
