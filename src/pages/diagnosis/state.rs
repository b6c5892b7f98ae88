//! The app's shared state: the 診断 form and its evaluation, behind one reducer.

use std::rc::Rc;

use ltv_core::calc::form::{evaluate, Evaluation, Field, Form};
use yew::prelude::*;

/// What the whole app knows: the form as typed, and everything computed from it.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub form: Form,
    pub evaluation: Rc<Evaluation>,
}

impl AppState {
    pub fn from_form(form: Form) -> AppState {
        let evaluation = Rc::new(evaluate(&form));
        AppState { form, evaluation }
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::from_form(Form::new())
    }
}

/// What the user can do to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A field's text changed.
    Set(Field, String),
    /// Back to the defaults.
    Reset,
    AddConcept,
    /// Remove concept n (1-based).
    RemoveConcept(u8),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut form = self.form.clone();
        let changed = match action {
            Action::Set(field, text) => {
                form.set(field, text);
                true
            }
            Action::Reset => {
                form = Form::new();
                true
            }
            Action::AddConcept => form.add_concept(),
            Action::RemoveConcept(n) => form.remove_concept(n),
        };
        if !changed || form == self.form {
            return self;
        }
        Rc::new(AppState::from_form(form))
    }
}

pub type AppStateHandle = UseReducerHandle<AppState>;

/// The shared state, from the provider set up by the app.
#[hook]
pub fn use_app_state() -> AppStateHandle {
    use_context::<AppStateHandle>().expect("the app wraps every page in the state provider")
}
