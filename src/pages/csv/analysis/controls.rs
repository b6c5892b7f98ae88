use ltv_core::analysis::cpm::CpmRules;
use ltv_core::analysis::rfm::{RfmMode, RfmThresholds};
use ltv_core::analysis::segments::SegmentRules;
use ltv_core::analysis::{AnalysisError, AnalysisParams, F2_DAY_CHOICES};
use ltv_core::input::parse_number;
use ltv_core::orders::parse_iso_date;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::ControlsProps;
use crate::i18n;

fn input_value(e: &Event) -> String {
    let input: HtmlInputElement = e.target_unchecked_into();
    input.value()
}

/// A whole number ≥ 0 typed in a field, if it is one.
fn whole(text: &str) -> Option<u32> {
    parse_number(text)
        .ok()
        .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= f64::from(u32::MAX))
        .map(|v| v as u32)
}

/// Four numbers separated by commas.
fn four(text: &str) -> Option<[f64; 4]> {
    let values: Vec<f64> = text
        .split(i18n::LIST_SEPARATORS)
        .map(|part| parse_number(part).ok())
        .collect::<Option<_>>()?;
    values.try_into().ok()
}

/// The settings with one segment rule changed.
fn with_segment(
    p: &AnalysisParams,
    edit: impl FnOnce(&mut SegmentRules),
) -> Result<AnalysisParams, AnalysisError> {
    let mut rules = p.segment_rules();
    edit(&mut rules);
    p.clone().with_segment_rules(rules)
}

/// The settings with one CPM rule changed.
fn with_cpm(
    p: &AnalysisParams,
    edit: impl FnOnce(&mut CpmRules),
) -> Result<AnalysisParams, AnalysisError> {
    let mut rules = p.cpm();
    edit(&mut rules);
    p.clone().with_cpm(rules)
}

fn list_text<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// What every field of the form shares: the settings shown, whether the worker is busy, and
/// where a change goes (a valid one to the page, the message of an invalid one to the form).
#[derive(Clone)]
struct Form {
    params: AnalysisParams,
    busy: bool,
    apply: Callback<Result<AnalysisParams, String>>,
}

/// A change of the settings read from a field's event.
type Change = fn(&AnalysisParams, &Event) -> Result<AnalysisParams, String>;

impl Form {
    /// A callback that applies `change` to the settings on each event.
    fn on(&self, change: Change) -> Callback<Event> {
        let (apply, params) = (self.apply.clone(), self.params.clone());
        Callback::from(move |e: Event| apply.emit(change(&params, &e)))
    }

    /// A whole-number field; `set` makes the settings with its value.
    fn number(
        &self,
        id: &'static str,
        label: &'static str,
        value: String,
        set: fn(&AnalysisParams, u32) -> Result<AnalysisParams, AnalysisError>,
    ) -> Html {
        let (apply, params) = (self.apply.clone(), self.params.clone());
        let onchange = Callback::from(move |e: Event| {
            apply.emit(match whole(&input_value(&e)) {
                Some(v) => set(&params, v).map_err(|e| e.message()),
                None => Err(i18n::NOT_A_WHOLE_NUMBER.to_string()),
            })
        });
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <input id={id} type="text" inputmode="numeric" value={value} {onchange} disabled={self.busy} />
            </div>
        }
    }

    /// The four thresholds of one RFM axis (`0` R, `1` F, `2` M), as a list.
    fn rfm_list(&self, id: &'static str, label: &'static str, value: String, axis: u8) -> Html {
        let (apply, params) = (self.apply.clone(), self.params.clone());
        let onchange = Callback::from(move |e: Event| {
            let next = four(&input_value(&e)).and_then(|v| {
                let RfmMode::Thresholds(mut t) = params.rfm().clone() else {
                    return None;
                };
                match axis {
                    0 => t.recency_days = v.map(|x| x.max(0.0) as u32),
                    1 => t.frequency = v.map(|x| x.max(0.0) as u64),
                    _ => t.monetary = v,
                }
                Some(params.clone().with_rfm(RfmMode::Thresholds(t)))
            });
            apply.emit(match next {
                Some(next) => next.map_err(|e| e.message()),
                None => Err(i18n::NOT_A_LIST.to_string()),
            });
        });
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <input id={id} type="text" value={value} {onchange} disabled={self.busy} aria-describedby="list-hint" />
            </div>
        }
    }
}

/// 基準日, horizon, F2 days, and every threshold of the segments, RFM and CPM.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let error = use_state(|| None::<String>);
    // Applies a change; a setting that does not validate is shown, not sent.
    let apply = {
        let on_params = props.on_params.clone();
        let error = error.clone();
        Callback::from(move |next: Result<AnalysisParams, String>| match next {
            Ok(next) => {
                error.set(None);
                on_params.emit(next);
            }
            Err(message) => error.set(Some(message)),
        })
    };
    let form = Form {
        params: props.params.clone(),
        busy: props.busy,
        apply,
    };
    html! {
        <section class="card" id="csv-controls" aria-labelledby="controls-title">
            <h2 id="controls-title">{ i18n::ANALYSIS_TITLE }</h2>
            <p class="intro">{ i18n::ANALYSIS_INTRO }</p>
            { period(&form, props) }
            { segment_rules(&form) }
            { rfm_rules(&form) }
            { cpm_rules(&form) }
            if let Some(message) = &*error {
                <p class="field-error" role="alert" data-testid="params-error">{ message.clone() }</p>
            }
            if props.busy {
                <p class="status" role="status">{ i18n::ANALYSING }</p>
            }
        </section>
    }
}

/// 基準日, the horizon and the F2 window.
fn period(form: &Form, props: &ControlsProps) -> Html {
    let p = &form.params;
    // A cleared or unreadable date changes nothing.
    let on_as_of = {
        let (apply, params) = (form.apply.clone(), p.clone());
        Callback::from(move |e: Event| {
            if let Some(day) = parse_iso_date(&input_value(&e)) {
                apply.emit(Ok(params.clone().with_as_of(Some(day))));
            }
        })
    };
    let on_horizon = form.on(|p, e| {
        let years = whole(&input_value(e)).unwrap_or(1);
        p.clone().with_horizon_years(years).map_err(|e| e.message())
    });
    let on_f2 = form.on(|p, e| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let index = usize::try_from(select.selected_index()).unwrap_or(0);
        let days = F2_DAY_CHOICES.get(index).copied().unwrap_or(90);
        p.clone().with_f2_days(days).map_err(|e| e.message())
    });
    html! {
        <div class="settings-grid">
            <div class="field">
                <label for="as-of">{ i18n::AS_OF }</label>
                <input id="as-of" type="date" value={props.as_of_date.clone().unwrap_or_default()}
                    min={props.first_date.clone()} max={props.last_date.clone()}
                    onchange={on_as_of} disabled={form.busy} />
                <p class="field-hint">{ i18n::AS_OF_HINT }</p>
            </div>
            <fieldset class="horizon">
                <legend>{ i18n::HORIZON }</legend>
                { for [1u32, 2].into_iter().map(|y| html! {
                    <label class="radio">
                        <input type="radio" name="analysis-horizon" value={y.to_string()}
                            checked={p.horizon_years() == y} onchange={on_horizon.clone()} disabled={form.busy} />
                        { i18n::horizon_option(y as u8) }
                    </label>
                }) }
            </fieldset>
            <div class="field">
                <label for="f2-days">{ i18n::F2_DAYS }</label>
                <select id="f2-days" onchange={on_f2} disabled={form.busy}>
                    { for F2_DAY_CHOICES.iter().map(|d| html! {
                        <option selected={*d == p.f2_days()}>{ i18n::f2_option(*d) }</option>
                    }) }
                </select>
            </div>
        </div>
    }
}

/// The six segments' day and order thresholds.
fn segment_rules(form: &Form) -> Html {
    let r = form.params.segment_rules();
    html! {
        <details class="thresholds" open=true>
            <summary>{ i18n::SEGMENT_RULES }</summary>
            <div class="settings-grid">
                { form.number("active-days", i18n::ACTIVE_DAYS, r.active_days.to_string(), |p, v| with_segment(p, |r| r.active_days = v)) }
                { form.number("sleep-days", i18n::SLEEP_DAYS, r.sleep_days.to_string(), |p, v| with_segment(p, |r| r.sleep_days = v)) }
                { form.number("half-dormant-days", i18n::HALF_DORMANT_DAYS, r.half_dormant_days.to_string(), |p, v| with_segment(p, |r| r.half_dormant_days = v)) }
                { form.number("candidate-orders", i18n::CANDIDATE_ORDERS, r.candidate_orders.to_string(), |p, v| with_segment(p, |r| r.candidate_orders = u64::from(v))) }
                { form.number("regular-orders", i18n::REGULAR_ORDERS, r.regular_orders.to_string(), |p, v| with_segment(p, |r| r.regular_orders = u64::from(v))) }
            </div>
        </details>
    }
}

/// RFM by quintile or by the user's thresholds.
fn rfm_rules(form: &Form) -> Html {
    let thresholds = match form.params.rfm() {
        RfmMode::Thresholds(t) => Some(t.clone()),
        RfmMode::Quintile => None,
    };
    let on_rfm_mode = form.on(|p, e| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let rfm = if select.selected_index() == 1 {
            RfmMode::Thresholds(RfmThresholds::default())
        } else {
            RfmMode::Quintile
        };
        p.clone().with_rfm(rfm).map_err(|e| e.message())
    });
    html! {
        <details class="thresholds">
            <summary>{ i18n::RFM_MODE }</summary>
            <div class="settings-grid">
                <div class="field">
                    <label for="rfm-mode">{ i18n::RFM_MODE }</label>
                    <select id="rfm-mode" onchange={on_rfm_mode} disabled={form.busy}>
                        <option selected={thresholds.is_none()}>{ i18n::RFM_QUINTILE }</option>
                        <option selected={thresholds.is_some()}>{ i18n::RFM_THRESHOLDS }</option>
                    </select>
                </div>
                if let Some(t) = &thresholds {
                    { form.rfm_list("rfm-r", i18n::RFM_R_THRESHOLDS, list_text(&t.recency_days), 0) }
                    { form.rfm_list("rfm-f", i18n::RFM_F_THRESHOLDS, list_text(&t.frequency), 1) }
                    { form.rfm_list("rfm-m", i18n::RFM_M_THRESHOLDS, list_text(&t.monetary), 2) }
                    <p id="list-hint" class="field-hint">{ i18n::LIST_HINT }</p>
                }
            </div>
        </details>
    }
}

/// The CPM groups' days and spend.
fn cpm_rules(form: &Form) -> Html {
    let c = form.params.cpm();
    html! {
        <details class="thresholds">
            <summary>{ i18n::CPM_RULES }</summary>
            <div class="settings-grid">
                { form.number("cpm-lapse", i18n::CPM_LAPSE, c.lapse_days.to_string(), |p, v| with_cpm(p, |r| r.lapse_days = v)) }
                { form.number("cpm-young", i18n::CPM_YOUNG, c.young_tenure_days.to_string(), |p, v| with_cpm(p, |r| r.young_tenure_days = v)) }
                { form.number("cpm-loyal", i18n::CPM_LOYAL, c.loyal_tenure_days.to_string(), |p, v| with_cpm(p, |r| r.loyal_tenure_days = v)) }
                { form.number("cpm-spend", i18n::CPM_SPEND, ltv_core::input::format_plain(c.spend_yen), |p, v| with_cpm(p, |r| r.spend_yen = f64::from(v))) }
            </div>
        </details>
    }
}
