use yew::prelude::*;

use crate::i18n;

/// A cell: what is shown, and what it sorts by.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub key: SortKey,
}

#[derive(Clone, Debug, PartialEq, PartialOrd)]
pub enum SortKey {
    Number(f64),
    Text(String),
    /// No value: sorts last either way.
    Missing,
}

impl Cell {
    /// Numbers (and missing numbers) are right-aligned; text is not.
    fn is_numeric(&self) -> bool {
        !matches!(self.key, SortKey::Text(_))
    }

    pub fn number(text: impl Into<String>, value: f64) -> Cell {
        Cell {
            text: text.into(),
            key: SortKey::Number(value),
        }
    }

    pub fn maybe(text: impl Into<String>, value: Option<f64>) -> Cell {
        Cell {
            text: text.into(),
            key: value.map_or(SortKey::Missing, SortKey::Number),
        }
    }

    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell {
            key: SortKey::Text(text.clone()),
            text,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct SortableTableProps {
    pub headers: Vec<AttrValue>,
    pub rows: Vec<Vec<Cell>>,
    pub testid: AttrValue,
    #[prop_or_default]
    pub caption: Option<AttrValue>,
}

/// A table whose columns sort when their header is pressed (again for the other direction).
#[component]
pub fn SortableTable(props: &SortableTableProps) -> Html {
    let sort = use_state(|| None::<(usize, bool)>);
    let mut order: Vec<usize> = (0..props.rows.len()).collect();
    if let Some((column, descending)) = *sort {
        order.sort_by(|&a, &b| {
            let ka = props.rows[a].get(column).map(|c| &c.key);
            let kb = props.rows[b].get(column).map(|c| &c.key);
            let ordering = match (ka, kb) {
                (Some(SortKey::Missing), Some(SortKey::Missing)) => std::cmp::Ordering::Equal,
                (Some(SortKey::Missing), _) => return std::cmp::Ordering::Greater,
                (_, Some(SortKey::Missing)) => return std::cmp::Ordering::Less,
                (Some(SortKey::Number(x)), Some(SortKey::Number(y))) => x.total_cmp(y),
                (Some(SortKey::Text(x)), Some(SortKey::Text(y))) => x.cmp(y),
                _ => std::cmp::Ordering::Equal,
            };
            if descending {
                ordering.reverse()
            } else {
                ordering
            }
        });
    }
    // A column is numeric when its first row's cell is.
    let numeric = |i: usize| {
        props
            .rows
            .first()
            .and_then(|r| r.get(i))
            .is_some_and(Cell::is_numeric)
    };
    // Built after the view around it: a table is most of a view's elements.
    html! {
        <super::Later>
        <div class="table-scroll">
            <table class="data" data-testid={props.testid.clone()}>
                if let Some(caption) = &props.caption {
                    <caption>{ caption.clone() }</caption>
                }
                <thead><tr>
                    { for props.headers.iter().enumerate().map(|(i, h)| {
                        let sort = sort.clone();
                        let state = match *sort {
                            Some((c, true)) if c == i => "descending",
                            Some((c, false)) if c == i => "ascending",
                            _ => "none",
                        };
                        let onclick = Callback::from(move |_: MouseEvent| {
                            let descending = !matches!(*sort, Some((c, true)) if c == i);
                            sort.set(Some((i, descending)));
                        });
                        html! {
                            <th scope="col" aria-sort={state} class={classes!(numeric(i).then_some("num"))}>
                                <button type="button" class="sort" {onclick} title={i18n::SORT_HINT}>
                                    { h.clone() }
                                    <span class="sort-mark" aria-hidden="true">{ match state { "descending" => "▼", "ascending" => "▲", _ => "" } }</span>
                                </button>
                                // On paper the heading is text, not a button.
                                <span class="print-only" aria-hidden="true">{ h.clone() }</span>
                            </th>
                        }
                    }) }
                </tr></thead>
                <tbody>
                    { for order.iter().map(|&r| html! {
                        <tr>
                            { for props.rows[r].iter().map(|c| html! {
                                <td class={classes!(c.is_numeric().then_some("num"))}>{ c.text.clone() }</td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
        </super::Later>
    }
}
