//! 予測LTV: settings, what the figures mean, whether to trust them, and the results.

use std::rc::Rc;

use ltv_core::chart::{lines, stacked_bars, Frame};
use ltv_core::forecast::{Forecast, RankedCustomer};
use ltv_core::input::format_plain;
use ltv_core::model::holdout::TOP_FREQUENCY_BUCKET;
use ltv_core::model::{AliveThresholds, ModelChoice, ModelError, ModelParams, PurchaseModel};
use ltv_core::orders::{iso_date, parse_iso_date, Day};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::{
    BarChartView, Cell, Figure, Fold, Legend, LineChartView, More, SortableTable, TermHelp,
};
use crate::i18n::{self, Term};

/// The horizons offered, in months.
const HORIZONS: [u32; 2] = [12, 24];

#[derive(Properties, PartialEq)]
pub struct PredictionViewProps {
    pub params: ModelParams,
    pub alive: AliveThresholds,
    pub forecast: Option<Result<Rc<Forecast>, ModelError>>,
    pub busy: bool,
    pub on_model: Callback<(ModelParams, AliveThresholds)>,
    pub first_date: Option<Day>,
    pub last_date: Option<Day>,
    /// Whether the user left 予測の設定 open; it is kept by the session, so that the page laid
    /// out anew does not close it.
    pub settings_open: bool,
    pub on_settings_toggle: Callback<Event>,
}

fn input_text(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn bad_setting() -> String {
    i18n::PRED_BAD_SETTING.to_string()
}

/// A percentage typed in a field as a fraction (`1` → 0.01); `None` when it is not one.
fn percent(text: &str) -> Option<f64> {
    ltv_core::input::parse_percent_up_to(text, 100.0).ok()
}

#[component]
pub fn PredictionView(props: &PredictionViewProps) -> Html {
    let error = use_state(|| None::<String>);
    let apply = {
        let on_model = props.on_model.clone();
        let error = error.clone();
        Callback::from(
            move |next: Result<(ModelParams, AliveThresholds), String>| match next {
                Ok((params, alive)) => {
                    error.set(None);
                    on_model.emit((params, alive));
                }
                Err(message) => error.set(Some(message)),
            },
        )
    };
    let p = props.params.clone();
    let alive = props.alive;
    let bad = bad_setting;

    // A setting read from its field: `read` makes the new settings (through the core's
    // validating setters) or says what is wrong.
    let setting = |read: fn(ModelParams, &Event) -> Result<ModelParams, String>| {
        let (apply, p) = (apply.clone(), p.clone());
        Callback::from(move |e: Event| apply.emit(read(p.clone(), &e).map(|next| (next, alive))))
    };
    let on_model = setting(|p, e| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        // Index 0 is 「自動で選ぶ」.
        let model = usize::try_from(select.selected_index())
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| PurchaseModel::ALL.get(i).copied());
        Ok(p.with_model(model))
    });
    let on_horizon = setting(|p, e| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let months = HORIZONS[usize::try_from(select.selected_index()).unwrap_or(0).min(1)];
        p.with_horizon_months(months).map_err(|e| e.message())
    });
    let on_discount = setting(|p, e| {
        let rate = percent(&input_text(e)).ok_or_else(|| i18n::PRED_BAD_DISCOUNT.to_string())?;
        p.with_monthly_discount(rate)
            .map_err(|_| i18n::PRED_BAD_DISCOUNT.to_string())
    });
    let on_margin = setting(|p, e| {
        let text = input_text(e);
        let margin = if text.trim().is_empty() {
            None
        } else {
            Some(percent(&text).ok_or_else(bad_setting)?)
        };
        p.with_margin(margin).map_err(|e| e.message())
    });
    let on_calibration = {
        let (apply, p) = (apply.clone(), p.clone());
        let (first, last) = (props.first_date, props.last_date);
        Callback::from(move |e: Event| {
            let day = parse_iso_date(&input_text(&e));
            // The model learns from orders up to this day and is checked on those after it:
            // a day outside the orders leaves nothing to learn from or to check against.
            let next = match (day, first, last) {
                (Some(d), Some(a), Some(b)) if d >= a && d < b => Ok(d),
                (Some(_), Some(a), Some(b)) => Err(i18n::pred_calibration_range(a, b)),
                _ => Err(bad_setting()),
            };
            apply.emit(next.map(|d| (p.clone().with_calibration_end(Some(d)), alive)));
        })
    };
    let default_calibration = match (props.first_date, props.last_date) {
        (Some(a), Some(b)) => Some(ltv_core::forecast::default_calibration_end(a, b)),
        _ => None,
    };
    let on_validate = {
        let (apply, p) = (apply.clone(), p.clone());
        Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            let end = if checked { default_calibration } else { None };
            apply.emit(Ok((p.clone().with_calibration_end(end), alive)));
        })
    };
    let on_threshold = |which: u8| {
        let (apply, p) = (apply.clone(), p.clone());
        Callback::from(move |e: Event| {
            let value = percent(&input_text(&e));
            let next = value.and_then(|v| {
                let (sleep, dormant) = if which == 0 {
                    (v, alive.dormant)
                } else {
                    (alive.sleep, v)
                };
                AliveThresholds::new(sleep, dormant).ok()
            });
            apply.emit(next.map(|a| (p.clone(), a)).ok_or_else(bad));
        })
    };

    let settings = html! {
        <div class="settings-grid">
            <div class="field">
                <label for="pred-model">{ i18n::PRED_MODEL }</label>
                <select id="pred-model" onchange={on_model} disabled={props.busy} data-testid="pred-model">
                    <option selected={p.model().is_none()}>{ i18n::PRED_MODEL_AUTO }</option>
                    { for PurchaseModel::ALL.iter().map(|m| html! {
                        <option selected={p.model() == Some(*m)}>{ i18n::model_name(*m) }</option>
                    }) }
                </select>
                <p class="field-hint">{ i18n::PRED_MODEL_HINT }</p>
            </div>
            <div class="field">
                <label for="pred-horizon">{ i18n::PRED_HORIZON }</label>
                <select id="pred-horizon" onchange={on_horizon} disabled={props.busy}>
                    { for HORIZONS.iter().map(|m| html! {
                        <option selected={*m == p.horizon_months()}>{ i18n::horizon_months(*m) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="pred-discount">{ i18n::PRED_DISCOUNT }</label>
                <div class="input-wrap">
                    <input id="pred-discount" type="text" inputmode="decimal"
                        value={format_plain(p.monthly_discount() * 100.0)} onchange={on_discount} disabled={props.busy} />
                    <span class="unit">{ "%" }</span>
                </div>
                <p class="field-hint">{ i18n::PRED_DISCOUNT_HINT }</p>
            </div>
            <div class="field">
                <label for="pred-margin">{ i18n::PRED_MARGIN }</label>
                <div class="input-wrap">
                    <input id="pred-margin" type="text" inputmode="decimal"
                        value={p.margin().map(|m| format_plain(m * 100.0)).unwrap_or_default()}
                        onchange={on_margin} disabled={props.busy} />
                    <span class="unit">{ "%" }</span>
                </div>
                <p class="field-hint">{ i18n::PRED_MARGIN_HINT }</p>
            </div>
            <div class="field">
                <label for="pred-sleep">{ i18n::PRED_SLEEP }</label>
                <div class="input-wrap">
                    <input id="pred-sleep" type="text" inputmode="decimal" value={format_plain((alive.sleep * 100.0).round())}
                        onchange={on_threshold(0)} disabled={props.busy} />
                    <span class="unit">{ "%" }</span>
                </div>
            </div>
            <div class="field">
                <label for="pred-dormant">{ i18n::PRED_DORMANT }</label>
                <div class="input-wrap">
                    <input id="pred-dormant" type="text" inputmode="decimal" value={format_plain((alive.dormant * 100.0).round())}
                        onchange={on_threshold(1)} disabled={props.busy} />
                    <span class="unit">{ "%" }</span>
                </div>
            </div>
            <div class="field">
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" id="pred-validate" checked={p.calibration_end().is_some()}
                            onchange={on_validate} disabled={props.busy || default_calibration.is_none()} />
                        { i18n::PRED_VALIDATE }
                    </label>
                </div>
                if let Some(end) = p.calibration_end() {
                    <label for="pred-calibration">{ i18n::PRED_CALIBRATION_END }</label>
                    <input id="pred-calibration" type="date" value={iso_date(end)}
                        min={props.first_date.map(iso_date)} max={props.last_date.map(iso_date)}
                        onchange={on_calibration} disabled={props.busy} />
                    <p class="field-hint">{ i18n::PRED_CALIBRATION_HINT }</p>
                }
            </div>
        </div>
    };

    let body = match &props.forecast {
        None => html! {},
        Some(Err(e)) => html! {
            <div class="error-card card" role="alert" data-testid="prediction-error">
                <h3>{ i18n::PRED_FAILED }</h3>
                <p>{ e.message() }</p>
            </div>
        },
        Some(Ok(f)) => html! { <Results forecast={f.clone()} /> },
    };
    html! {
        <section class="card" id="csv-prediction" aria-labelledby="prediction-title" data-testid="prediction">
            <h2 id="prediction-title">{ i18n::PRED_TITLE }</h2>
            <p class="intro">{ i18n::PRED_INTRO }</p>
            if props.busy {
                <p class="status" role="status">{ i18n::PRED_RUNNING }</p>
            }
            // The answer first; the settings it was made with fold away below it (open by
            // themselves when one cannot be used), and the definitions sit behind 詳しく.
            { body }
            <Fold summary={i18n::PRED_SETTINGS_FOLD} open={props.settings_open || error.is_some()}
                ontoggle={props.on_settings_toggle.clone()} testid="prediction-settings-fold">
                { settings }
                if let Some(message) = &*error {
                    <p class="field-error" role="alert" data-testid="prediction-settings-error">{ message.clone() }</p>
                }
            </Fold>
            <More>
                <dl class="definitions">
                    { for i18n::PRED_EXPLAIN.iter().map(|(t, d)| html! { <><dt>{ *t }</dt><dd>{ *d }</dd></> }) }
                </dl>
            </More>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ResultsProps {
    forecast: Rc<Forecast>,
}

fn ranked_rows(customers: &[RankedCustomer]) -> Vec<Vec<Cell>> {
    customers
        .iter()
        .map(|c| {
            let p = &c.prediction;
            vec![
                Cell::text(c.key.clone()),
                Cell::number(i18n::count_times(p.frequency), p.frequency as f64),
                Cell::number(i18n::probability(p.p_alive), p.p_alive),
                Cell::number(
                    i18n::times(p.expected_transactions_next_year),
                    p.expected_transactions_next_year,
                ),
                Cell::maybe(
                    i18n::yen_or_none(p.expected_average_value),
                    p.expected_average_value,
                ),
                Cell::maybe(i18n::yen_or_none(p.clv), p.clv),
            ]
        })
        .collect()
}

fn ranked_headers() -> Vec<AttrValue> {
    vec![
        i18n::H_KEY.into(),
        i18n::H_REPEATS.into(),
        i18n::H_P_ALIVE.into(),
        i18n::H_NEXT_YEAR.into(),
        i18n::H_EXPECTED_AOV.into(),
        i18n::H_CLV.into(),
    ]
}

/// Which model the prediction uses, and why, in one sentence.
fn model_choice(p: &ltv_core::model::Prediction) -> String {
    let chosen = p.comparison.iter().find(|r| r.model == p.model);
    match p.model_choice {
        ModelChoice::Holdout => match chosen.and_then(|r| r.holdout.as_ref()) {
            Some(h) => i18n::model_by_holdout(i18n::model_name(p.model), h.predicted, h.actual),
            None => i18n::model_by_fit(i18n::model_name(p.model)),
        },
        ModelChoice::Bic => i18n::model_by_fit(i18n::model_name(p.model)),
        ModelChoice::User => i18n::model_by_user(i18n::model_name(p.model)),
    }
}

fn comparison_headers() -> Vec<AttrValue> {
    vec![
        i18n::H_MODEL.into(),
        i18n::H_HOLDOUT_PREDICTED.into(),
        i18n::H_HOLDOUT_ACTUAL.into(),
        i18n::H_HOLDOUT_ERROR.into(),
        i18n::PRED_LL.into(),
        i18n::H_BIC.into(),
    ]
}

fn comparison_rows(p: &ltv_core::model::Prediction) -> Vec<Vec<Cell>> {
    p.comparison
        .iter()
        .map(|row| {
            let h = row.holdout.as_ref();
            let fit = row.fit.as_ref().ok();
            let number = |v: Option<f64>| {
                Cell::maybe(
                    v.map(ltv_core::input::format_decimal)
                        .unwrap_or_else(|| i18n::NONE.into()),
                    v,
                )
            };
            vec![
                Cell::text(if row.model == p.model {
                    i18n::chosen_model(i18n::model_name(row.model))
                } else {
                    i18n::model_name(row.model).to_string()
                }),
                number(h.map(|h| h.predicted)),
                number(h.map(|h| h.actual as f64)),
                Cell::maybe(
                    h.map(|h| i18n::signed_percent(h.error_percent))
                        .unwrap_or_else(|| i18n::NONE.into()),
                    h.map(|h| h.error_percent),
                ),
                number(fit.map(|f| f.log_likelihood)),
                number(fit.map(|f| f.bic)),
            ]
        })
        .collect()
}

#[component]
fn Results(props: &ResultsProps) -> Html {
    let f = &props.forecast;
    let p = &f.prediction;
    let param_rows = |name: &str, value: f64, se: f64| {
        vec![
            Cell::text(name.to_string()),
            Cell::number(i18n::estimate(value), value),
            Cell::maybe(
                if se.is_finite() {
                    i18n::estimate(se)
                } else {
                    i18n::NOT_DETERMINED.to_string()
                },
                se.is_finite().then_some(se),
            ),
        ]
    };
    // Each model as fitted on the 学習期間 (the whole history when there is no holdout).
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for row in &p.comparison {
        if let Ok(fit) = &row.fit {
            let values = fit.params.values();
            for (i, name) in i18n::parameter_symbols(row.model).iter().enumerate() {
                rows.push(param_rows(
                    &format!("{} {name}", i18n::model_name(row.model)),
                    values[i],
                    fit.standard_errors[i].unwrap_or(f64::NAN),
                ));
            }
        }
    }
    // The spend model beside them, also as fitted on the 学習期間.
    let spend = p.gamma_gamma_calibration.as_ref().unwrap_or(&p.gamma_gamma);
    if let Ok(gg) = spend {
        rows.push(param_rows(
            "Gamma-Gamma p",
            gg.params.p,
            gg.standard_errors.p,
        ));
        rows.push(param_rows(
            "Gamma-Gamma q",
            gg.params.q,
            gg.standard_errors.q,
        ));
        rows.push(param_rows(
            "Gamma-Gamma γ",
            gg.params.gamma,
            gg.standard_errors.gamma,
        ));
    }
    let bins: Vec<String> = (0..f.p_alive_histogram.len())
        .map(i18n::p_alive_bin)
        .collect();
    let histogram = stacked_bars(
        Frame::new(600.0, 200.0),
        &bins,
        &[f.p_alive_histogram.iter().map(|&n| n as f64).collect()],
    );
    let f_months = p.settings.horizon_months();
    let customers = p.totals.customers;
    let mut plain: Vec<String> = p.warnings.iter().filter_map(i18n::plain_warning).collect();
    plain.dedup();
    html! {
        <div class="prediction-results" data-testid="prediction-results">
            <div class="outlook" data-testid="prediction-outlook">
                <h3>{ i18n::pred_outlook_title(f_months) }</h3>
                <div class="figures">
                    <Figure label={i18n::pred_revenue_label(f_months, p.settings.margin().is_some())} value={AttrValue::from(i18n::yen_or_none(p.totals.clv))} testid="pred-clv" main=true
                        note={p.totals.revenue_next_year.map(|r| AttrValue::from(i18n::pred_undiscounted_note(r)))} />
                    <Figure label={i18n::PRED_ORDERS_LABEL} value={AttrValue::from(i18n::pred_orders_value(p.totals.expected_transactions_next_year))} testid="pred-next-year" />
                    <Figure label={i18n::PRED_ACTIVE_LABEL} value={AttrValue::from(i18n::pred_active_value(p.totals.expected_active_customers))}
                        note={AttrValue::from(i18n::pred_active_note(customers))} testid="pred-active" />
                </div>
                <p class="model-choice" data-testid="model-choice">{ model_choice(p) }</p>
                <h3 class="with-term"><span>{ i18n::PRED_GROUPS }</span><TermHelp term={Term::PAlive} /></h3>
                <p class="field-hint">{ i18n::PRED_GROUPS_WHEN }</p>
                <ul class="alive-groups" data-testid="alive-groups">
                    { for f.alive_segments.iter().enumerate().map(|(i, n)| html! {
                        <li data-testid={format!("alive-{i}")}>
                            <strong>{ i18n::alive_group_line(i, *n) }</strong>{ " " }{ i18n::alive_action(i) }
                        </li>
                    }) }
                </ul>
                if !plain.is_empty() {
                    <h3>{ i18n::PRED_CAVEATS }</h3>
                    <ul class="warnings" data-testid="prediction-caveats">
                        { for plain.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                    </ul>
                }
            </div>
            <h3>{ i18n::PRED_TOP }</h3>
            <SortableTable testid="top-customers" headers={ranked_headers()} rows={ranked_rows(&f.top)} />
            <h3>{ i18n::PRED_LOST }</h3>
            <SortableTable testid="lost-customers" headers={ranked_headers()} rows={ranked_rows(&f.likely_lost)} />
            <details class="details" data-testid="prediction-details">
                <summary>{ i18n::PRED_DETAILS }</summary>
                <h3>{ i18n::PRED_TRUST }</h3>
                <ul class="warnings" data-testid="prediction-warnings">
                    if p.warnings.is_empty() {
                        <li class="ok">{ i18n::PRED_NO_WARNINGS }</li>
                    }
                    { for p.warnings.iter().map(|w| html! { <li>{ w.message() }</li> }) }
                </ul>
                <h3>{ i18n::PRED_FIT }</h3>
                <p>
                    { i18n::fit_line(p.model, p.purchase_fit.customers, p.purchase_fit.repeat_customers,
                        p.purchase_fit.log_likelihood) }
                </p>
                if !p.purchase_fit.boundary.is_empty() {
                    <ul class="warnings" data-testid="boundary-notes">
                        { for p.purchase_fit.boundary.iter().map(|n| html! { <li>{ n.meaning.clone() }</li> }) }
                    </ul>
                }
                <h3>{ i18n::PRED_COMPARISON }</h3>
                <SortableTable testid="model-comparison" headers={comparison_headers()} rows={comparison_rows(p)} />
                if let Err(e) = &p.gamma_gamma {
                    <p class="field-error">{ i18n::PRED_NO_SPEND }{ i18n::COLON }{ e.message() }</p>
                }
                <SortableTable testid="model-parameters"
                    headers={vec![i18n::PRED_PARAMETER.into(), i18n::PRED_ESTIMATE.into(), i18n::PRED_SE.into()]} rows={rows} />
                <h3>{ i18n::PRED_DIST }</h3>
                <BarChartView chart={histogram} title={i18n::PRED_DIST} testid="p-alive-chart" tick={Callback::from(i18n::tick_count)} />
                if let Some(v) = &p.validation {
                    <Validation validation={Rc::new(v.clone())} />
                }
            </details>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ValidationProps {
    validation: Rc<ltv_core::model::HoldoutValidation>,
}

#[component]
fn Validation(props: &ValidationProps) -> Html {
    let v = &props.validation;
    let weeks: Vec<String> = v.weekly.iter().map(|w| i18n::week_label(w.week)).collect();
    let chart = lines(
        Frame::new(720.0, 260.0),
        &weeks,
        &[
            v.weekly.iter().map(|w| Some(w.actual as f64)).collect(),
            v.weekly.iter().map(|w| Some(w.expected)).collect(),
        ],
    );
    let rows: Vec<Vec<Cell>> = v
        .by_frequency
        .iter()
        .map(|b| {
            vec![
                Cell::number(
                    i18n::frequency_bucket(b.frequency, TOP_FREQUENCY_BUCKET),
                    b.frequency as f64,
                ),
                Cell::number(i18n::count_people(b.customers), b.customers as f64),
                Cell::number(i18n::mean(b.actual_mean), b.actual_mean),
                Cell::number(i18n::mean(b.predicted_mean), b.predicted_mean),
            ]
        })
        .collect();
    html! {
        <div class="validation" data-testid="validation">
            <h3>{ i18n::PRED_VALIDATION }</h3>
            <p data-testid="holdout-sums">{ i18n::holdout_sums(v.conditional_expected_holdout, v.actual_holdout) }</p>
            <Legend names={vec![AttrValue::from(i18n::PRED_ACTUAL), AttrValue::from(i18n::PRED_PREDICTED)]} />
            <LineChartView chart={chart} title={i18n::PRED_VALIDATION_CHART} testid="validation-chart"
                tick={Callback::from(i18n::tick_count)} dashed_second=true />
            <SortableTable testid="validation-by-frequency"
                headers={vec![i18n::H_CAL_REPEATS.into(), i18n::H_CUSTOMERS.into(), i18n::H_ACTUAL_MEAN.into(), i18n::H_PREDICTED_MEAN.into()]}
                rows={rows} />
        </div>
    }
}
