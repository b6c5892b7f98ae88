use std::rc::Rc;

use ltv_core::analysis::measured::last_complete_month;
use ltv_core::analysis::Analysis;
use ltv_core::forecast::Forecast;
use ltv_core::model::ModelError;
use yew::prelude::*;

use crate::components::{whole_figures, Deferred, Figure, TermHelp};
use crate::i18n::{self, Term};

#[derive(Properties, PartialEq)]
pub struct HeadlineProps {
    pub analysis: Rc<Analysis>,
    /// The prediction, when it has arrived.
    pub forecast: Option<Result<Rc<Forecast>, ModelError>>,
    /// 「この数値で診断する」.
    pub on_diagnose: Callback<()>,
    /// 「レポートを印刷・PDF保存」.
    pub on_print: Callback<()>,
}

/// The shop's answer first: five KPI cards and the three findings that matter most, each with
/// its yen, then the two things to do with them (carry the figures into the 診断, print).
#[component]
pub fn Headline(props: &HeadlineProps) -> Html {
    let a = &props.analysis;
    let s = &a.summary;
    let month = last_complete_month(a);
    let revenue_next_year = match &props.forecast {
        Some(Ok(f)) => Some(f.prediction.totals.revenue_next_year),
        Some(Err(_)) => Some(None),
        None => None,
    };
    // A prediction that gave no figure says where the reason is, instead of a bare 「—」.
    let forecast_note =
        matches!(revenue_next_year, Some(None)).then(|| AttrValue::from(i18n::KPI_FORECAST_NONE));
    let revenue_next_year = revenue_next_year.map(i18n::yen_or_none);
    let diagnose = props.on_diagnose.reform(|_: MouseEvent| ());
    let print = props.on_print.reform(|_: MouseEvent| ());
    html! {
        <section class="card headline" id="csv-headline" aria-labelledby="headline-title" data-testid="headline">
            <h2 id="headline-title">{ i18n::HEADLINE_TITLE }
                <span class="headline-date">{ i18n::headline_date(&a.as_of_date) }</span></h2>
            <div class="kpis">
                <Figure label={i18n::KPI_CUSTOMERS} value={AttrValue::from(i18n::count_people(s.customers))} testid="kpi-customers" />
                <Figure label={i18n::KPI_LTV_12} term={Term::Ltv}
                    value={AttrValue::from(i18n::yen_or_none(s.last_12_months.revenue_per_customer))} testid="kpi-ltv" />
                <Figure label={i18n::kpi_f2(s.f2.days)} term={Term::F2}
                    value={AttrValue::from(i18n::rate_or_none(s.f2.rate))} testid="kpi-f2" />
                <Figure label={i18n::kpi_repeater(month.map(|m| m.label.as_str()))} term={Term::RepeaterRate}
                    value={AttrValue::from(i18n::rate_or_none(month.and_then(|m| m.repeater_rate)))} testid="kpi-repeater" />
                <Figure label={i18n::KPI_REVENUE_NEXT_YEAR} note={forecast_note}
                    value={AttrValue::from(revenue_next_year.unwrap_or_else(|| i18n::KPI_COMPUTING.to_string()))} testid="kpi-forecast" />
            </div>
            // The findings and what to do with them come a frame after the figures, so that
            // the frame that brings the answer stays short.
            <Deferred order={0}>
            <h3 class="findings-title">{ i18n::FINDINGS_TITLE }</h3>
            if a.findings.is_empty() {
                <p class="needs-input">{ i18n::FINDINGS_NONE }</p>
            } else {
                <ol class="findings" data-testid="findings">
                    { for a.findings.iter().take(ltv_core::analysis::findings::SHOWN).map(|f| html! {
                        <li data-kind={format!("{:?}", f.kind)}>{ whole_figures(&i18n::finding_sentence(f, s.f2.days)) }</li>
                    }) }
                </ol>
                <p class="figure-note with-term"><span>{ i18n::FINDINGS_NOTE }</span><TermHelp term={Term::F2} /></p>
            }
            <div class="headline-actions no-print">
                <button type="button" onclick={diagnose} data-testid="to-diagnosis">{ i18n::TO_DIAGNOSIS }</button>
                <button type="button" class="secondary" onclick={print} data-testid="print-report">{ i18n::PRINT_REPORT }</button>
            </div>
            <p class="field-hint no-print">{ i18n::TO_DIAGNOSIS_HINT }</p>
            </Deferred>
        </section>
    }
}
