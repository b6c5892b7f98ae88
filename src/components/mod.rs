//! Leaf components: they take data and callbacks, and read no shared state.

mod figure;
mod number_field;
mod progress_bar;
mod toolbar;

pub use figure::Figure;
pub use number_field::{FieldChange, NumberField};
pub use progress_bar::ProgressBar;
pub use toolbar::Toolbar;
