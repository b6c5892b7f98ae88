//! The 診断 page's state: the form as typed and its evaluation, behind one reducer.

use std::collections::BTreeMap;
use std::rc::Rc;

use ltv_core::calc::form::{evaluate, Evaluation, Field, Form};
use yew::prelude::*;

/// What the whole app knows: the form as typed, and everything computed from it.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub form: Form,
    pub evaluation: Rc<Evaluation>,
    /// The figures carried over from the CSV analysis, by field: a field shows 「CSVから」
    /// while it still holds its measured text.
    pub measured: Rc<BTreeMap<Field, String>>,
}

impl AppState {
    pub fn from_form(form: Form) -> AppState {
        let evaluation = Rc::new(evaluate(&form));
        AppState {
            form,
            evaluation,
            measured: Rc::default(),
        }
    }

    /// The field holds the figure measured from the CSV (not retyped since).
    pub fn is_measured(&self, field: Field) -> bool {
        self.measured
            .get(&field)
            .is_some_and(|text| *text == self.form.get(field))
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
    /// The shop's measured figures from the CSV analysis, into their fields.
    Measured(Vec<(Field, String)>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut form = self.form.clone();
        let mut measured = self.measured.clone();
        let changed = match action {
            Action::Set(field, text) => {
                form.set(field, text);
                true
            }
            Action::Reset => {
                form = Form::new();
                measured = Rc::default();
                true
            }
            Action::Measured(figures) => {
                for (field, text) in &figures {
                    form.set(*field, text.clone());
                }
                measured = Rc::new(figures.into_iter().collect());
                true
            }
            Action::AddConcept => form.add_concept(),
            Action::RemoveConcept(n) => form.remove_concept(n),
        };
        if !changed || (form == self.form && measured == self.measured) {
            return self;
        }
        Rc::new(AppState {
            measured,
            ..AppState::from_form(form)
        })
    }
}

pub type AppStateHandle = UseReducerHandle<AppState>;

/// The shared state, from the provider set up by the app.
#[hook]
pub fn use_app_state() -> AppStateHandle {
    use_context::<AppStateHandle>().expect("the app wraps every page in the state provider")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(state: Rc<AppState>, action: Action) -> Rc<AppState> {
        state.reduce(action)
    }

    #[test]
    fn a_new_state_has_no_verdict_until_the_visitor_types_its_inputs() {
        let state = Rc::new(AppState::default());
        assert!(state.evaluation.diagnosis.is_none());
        let mut state = state;
        for (field, text) in [
            (Field::AverageOrderValue, "5,000"),
            (Field::OrdersPerYear, "3"),
            (Field::MarginRate, "40"),
            (Field::Cpo, "4000"),
        ] {
            assert!(state.evaluation.diagnosis.is_none(), "{field:?}");
            state = reduce(state, Action::Set(field, text.into()));
        }
        assert!(state.evaluation.diagnosis.is_some());
        let state = reduce(state, Action::Reset);
        assert!(state.form.is_blank());
        assert!(state.evaluation.diagnosis.is_none());
    }

    #[test]
    fn measured_figures_are_marked_until_retyped() {
        let state = Rc::new(AppState::default());
        let state = reduce(
            state,
            Action::Measured(vec![
                (Field::AverageOrderValue, "6,641".into()),
                (Field::OrdersPerYear, "2.6".into()),
            ]),
        );
        assert_eq!(state.form.get(Field::AverageOrderValue), "6,641");
        assert!(state.is_measured(Field::AverageOrderValue));
        assert!(!state.is_measured(Field::Cpo));
        let state = reduce(state, Action::Set(Field::AverageOrderValue, "7000".into()));
        assert!(!state.is_measured(Field::AverageOrderValue));
        assert!(state.is_measured(Field::OrdersPerYear));
        let state = reduce(state, Action::Reset);
        assert!(!state.is_measured(Field::OrdersPerYear));
    }

    #[test]
    fn the_same_text_again_keeps_the_state() {
        let state = Rc::new(AppState::default());
        let typed = reduce(state, Action::Set(Field::Cpo, "1万".into()));
        let again = reduce(typed.clone(), Action::Set(Field::Cpo, "1万".into()));
        assert!(Rc::ptr_eq(&typed, &again));
        assert_eq!(typed.evaluation.error(Field::Cpo), None);
    }

    #[test]
    fn concepts_are_added_up_to_the_limit_and_removed() {
        let mut state = Rc::new(AppState::default());
        for _ in 0..10 {
            state = reduce(state, Action::AddConcept);
        }
        assert_eq!(
            state.evaluation.concepts.len(),
            usize::from(ltv_core::calc::form::MAX_CONCEPTS)
        );
        let state = reduce(state, Action::RemoveConcept(2));
        assert_eq!(
            state.evaluation.concepts.len(),
            usize::from(ltv_core::calc::form::MAX_CONCEPTS) - 1
        );
    }
}
