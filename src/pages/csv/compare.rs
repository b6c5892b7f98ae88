//! 施策の効果検証: two periods side by side, and a mailing list against everyone else.

use std::rc::Rc;

use ltv_core::analysis::compare::{
    GroupComparison, GroupFigures, Period, PeriodComparison, Preset,
};
use ltv_core::orders::{iso_date, parse_iso_date, Day};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::whole_figures;
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The analysis date: the presets end on it, the list is compared up to it.
    pub as_of: Day,
    /// The first order day, for the date pickers.
    pub first_day: Option<Day>,
    pub periods: Option<Rc<PeriodComparison>>,
    pub group: Option<Rc<GroupComparison>>,
    pub on_periods: Callback<(Period, Period)>,
    pub on_group: Callback<(String, Day)>,
    pub busy: bool,
}

/// The four dates of two periods, as the date inputs hold them.
#[derive(Clone, PartialEq)]
struct Dates([String; 4]);

impl Dates {
    fn of(before: Period, after: Period) -> Dates {
        Dates([before.from, before.to, after.from, after.to].map(iso_date))
    }

    /// The two periods, or `None` while a date is missing or a period runs backwards.
    fn periods(&self) -> Option<(Period, Period)> {
        let d: Vec<Day> = self
            .0
            .iter()
            .map(|t| parse_iso_date(t))
            .collect::<Option<_>>()?;
        let (before, after) = (
            Period {
                from: d[0],
                to: d[1],
            },
            Period {
                from: d[2],
                to: d[3],
            },
        );
        (before.from <= before.to && after.from <= after.to).then_some((before, after))
    }
}

#[component]
pub fn CompareView(props: &CompareProps) -> Html {
    let (before, after) = Preset::Years.periods(props.as_of);
    let dates = use_state(|| Dates::of(before, after));
    let since = use_state(|| iso_date(Preset::HalfYears.periods(props.as_of).1.from));
    let list = use_node_ref();
    let min = props.first_day.map(iso_date).unwrap_or_default();
    let max = iso_date(props.as_of);

    let preset = |p: Preset| {
        let dates = dates.clone();
        let on_periods = props.on_periods.clone();
        let as_of = props.as_of;
        Callback::from(move |_: MouseEvent| {
            let (b, a) = p.periods(as_of);
            dates.set(Dates::of(b, a));
            on_periods.emit((b, a));
        })
    };
    let date_input = |i: usize, label: &'static str| {
        let dates_now = dates.clone();
        let onchange = Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = (*dates_now).clone();
            next.0[i] = value;
            dates_now.set(next);
        });
        let id = format!("compare-date-{i}");
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <input type="date" id={id} value={dates.0[i].clone()} min={min.clone()} max={max.clone()} {onchange} />
            </div>
        }
    };
    let compare = {
        let dates = dates.clone();
        let on_periods = props.on_periods.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(p) = dates.periods() {
                on_periods.emit(p);
            }
        })
    };
    let on_since = {
        let since = since.clone();
        Callback::from(move |e: Event| {
            since.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let compare_group = {
        let list = list.clone();
        let since = since.clone();
        let on_group = props.on_group.clone();
        Callback::from(move |_: MouseEvent| {
            let text = list
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            if let Some(day) = parse_iso_date(&since) {
                if !text.trim().is_empty() {
                    on_group.emit((text, day));
                }
            }
        })
    };
    let periods_ok = dates.periods().is_some();
    html! {
        <section class="card" id="csv-compare" aria-labelledby="compare-title" data-testid="compare">
            <h2 id="compare-title">{ i18n::COMPARE_TITLE }</h2>
            <p class="intro">{ i18n::COMPARE_INTRO }</p>
            <div class="presets no-print" role="group" aria-label={i18n::COMPARE_PRESETS}>
                { for Preset::ALL.into_iter().map(|p| html! {
                    <button type="button" class="secondary" onclick={preset(p)} disabled={props.busy}
                        data-testid={format!("preset-{p:?}")}>{ i18n::preset_label(p) }</button>
                }) }
            </div>
            <div class="compare-dates no-print">
                <fieldset><legend>{ i18n::COMPARE_BEFORE }</legend>
                    { date_input(0, i18n::DATE_FROM) }{ date_input(1, i18n::DATE_TO) }</fieldset>
                <fieldset><legend>{ i18n::COMPARE_AFTER }</legend>
                    { date_input(2, i18n::DATE_FROM) }{ date_input(3, i18n::DATE_TO) }</fieldset>
            </div>
            <div class="import-bar no-print">
                <button type="button" onclick={compare} disabled={props.busy || !periods_ok}
                    data-testid="compare-periods">{ i18n::COMPARE_RUN }</button>
                if !periods_ok {
                    <span class="field-hint">{ i18n::COMPARE_DATES_HINT }</span>
                }
            </div>
            if let Some(c) = &props.periods {
                { periods_table(c) }
            }

            <h3>{ i18n::GROUP_TITLE }</h3>
            <p class="intro">{ i18n::GROUP_INTRO }</p>
            <div class="group-form no-print">
                <div class="field">
                    <label for="group-list">{ i18n::GROUP_LIST }</label>
                    <textarea id="group-list" ref={list} rows="5" spellcheck="false"
                        placeholder={i18n::GROUP_LIST_PLACEHOLDER} data-testid="group-list" />
                </div>
                <div class="field">
                    <label for="group-since">{ i18n::GROUP_SINCE }</label>
                    <input type="date" id="group-since" value={(*since).clone()} min={min} max={max} onchange={on_since} />
                </div>
                <button type="button" onclick={compare_group} disabled={props.busy}
                    data-testid="compare-group">{ i18n::COMPARE_RUN }</button>
            </div>
            if let Some(g) = &props.group {
                { group_table(g) }
            }
        </section>
    }
}

fn periods_table(c: &PeriodComparison) -> Html {
    html! {
        <div class="table-scroll">
            <table class="data compare-table" data-testid="period-table">
                <caption>{ i18n::compare_caption(c.f2_days) }</caption>
                <thead><tr>
                    <th scope="col">{ i18n::H_METRIC }</th>
                    <th scope="col" class="num">{ i18n::period_heading(i18n::COMPARE_BEFORE, &c.before.from, &c.before.to) }</th>
                    <th scope="col" class="num">{ i18n::period_heading(i18n::COMPARE_AFTER, &c.after.from, &c.after.to) }</th>
                    <th scope="col" class="num">{ i18n::H_CHANGE }</th>
                </tr></thead>
                <tbody>
                    { for c.changes.iter().map(|r| html! {
                        <tr data-metric={format!("{:?}", r.metric)}>
                            <th scope="row">{ i18n::metric_label(r.metric) }</th>
                            <td class="num">{ i18n::metric_value(r.metric, r.before) }</td>
                            <td class="num">{ i18n::metric_value(r.metric, r.after) }</td>
                            <td class="num">{ i18n::metric_change(r) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// A row of the group table: its label and how to show one group's figure.
type GroupRow = (&'static str, fn(&GroupFigures) -> String);

fn group_table(g: &GroupComparison) -> Html {
    let rows: [GroupRow; 6] = [
        (i18n::G_CUSTOMERS, |f| i18n::count_people(f.customers)),
        (i18n::G_BOUGHT_AGAIN, |f| i18n::count_people(f.bought_again)),
        (i18n::G_REPEAT_RATE, |f| i18n::rate_or_none(f.repeat_rate)),
        (i18n::G_ORDERS, |f| i18n::count_orders(f.orders)),
        (i18n::G_REVENUE, |f| ltv_core::input::format_yen(f.revenue)),
        (i18n::G_REVENUE_PER_CUSTOMER, |f| {
            i18n::yen_or_none(f.revenue_per_customer)
        }),
    ];
    html! {
        <>
            <p class="group-found" data-testid="group-found">
                { whole_figures(&i18n::group_found(g.listed, g.found, g.new_after, &g.since, &g.until)) }
            </p>
            if !g.not_found_examples.is_empty() {
                <p class="field-hint">{ i18n::group_not_found(&g.not_found_examples) }</p>
            }
            <div class="table-scroll">
                <table class="data compare-table" data-testid="group-table">
                    <thead><tr>
                        <th scope="col">{ i18n::H_METRIC }</th>
                        <th scope="col" class="num">{ i18n::G_LISTED }</th>
                        <th scope="col" class="num">{ i18n::G_OTHERS }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|(label, value)| html! {
                            <tr>
                                <th scope="row">{ *label }</th>
                                <td class="num">{ value(&g.group) }</td>
                                <td class="num">{ value(&g.others) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="figure-note">{ i18n::GROUP_CAVEAT }</p>
        </>
    }
}
