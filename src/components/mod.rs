//! Leaf components: they take data and callbacks, and read no shared state.

mod charts;
mod deferred;
mod figure;
mod fold;
mod more;
mod number_field;
mod progress_bar;
mod sortable_table;
mod term;
mod text;
mod toolbar;

pub use charts::{BarChartView, Legend, LineChartView};
pub use deferred::{
    hold_from, release, show_all_then, when_all_shown, when_shown_below_gate, Deferred, Later,
    BUDGET_MS as DEFERRED_BUDGET_MS,
};
pub use figure::Figure;
pub use fold::Fold;
pub use more::More;
pub use number_field::{number_field_id, FieldChange, NumberField};
pub use progress_bar::ProgressBar;
pub use sortable_table::{Cell, SortKey, SortableTable};
pub use term::TermHelp;
pub use text::whole_figures;
pub use toolbar::Toolbar;
