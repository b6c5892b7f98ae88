use std::fmt::Write;

use ltv_core::analysis::cohorts::Cohort;
use ltv_core::chart::heat_level;
use yew::prelude::*;

use super::ViewProps;
use crate::components::{Cell, SortableTable};
use crate::i18n;

/// Months since the first order shown in the heatmap.
const MONTHS_SHOWN: usize = 24;

/// Retention by first-order month as a heatmap, and the LTV curve at 12 and 24 months.
#[component]
pub fn CohortsView(props: &ViewProps) -> Html {
    let c = &props.analysis.cohorts;
    let width = c
        .cohorts
        .iter()
        .map(|x| x.rate.len())
        .max()
        .unwrap_or(0)
        .min(MONTHS_SHOWN);
    let ltv_rows: Vec<Vec<Cell>> = c
        .cohorts
        .iter()
        .map(|x| {
            vec![
                Cell::text(x.label.clone()),
                Cell::number(i18n::count_people(x.size), x.size as f64),
                Cell::maybe(i18n::yen_or_none(x.ltv_12_months), x.ltv_12_months),
                Cell::maybe(i18n::yen_or_none(x.ltv_24_months), x.ltv_24_months),
            ]
        })
        .collect();
    html! {
        <section class="card" id="csv-cohorts" aria-labelledby="cohorts-title">
            <h2 id="cohorts-title">{ i18n::COHORTS_TITLE }</h2>
            <p class="intro">{ i18n::COHORT_DEFINITION }</p>
            // One piece of HTML, parsed by the browser at once: built node by node, the
            // heatmap's thousands of cells took one long task of the page. Its layout waits
            // until it comes near the screen (see `.heatmap-scroll` in the styles).
            <div class="table-scroll heatmap-scroll">
                { Html::from_html_unchecked(heatmap_html(&c.cohorts, width).into()) }
            </div>
            <h3>{ i18n::COHORT_LTV }</h3>
            <SortableTable testid="cohort-ltv"
                headers={vec![i18n::H_COHORT.into(), i18n::H_SIZE.into(), i18n::H_LTV_12.into(), i18n::H_LTV_24.into()]}
                rows={ltv_rows} />
        </section>
    }
}

/// The retention heatmap as HTML: a row per cohort, a column per month since the first order
/// (`width` of them), each cell its rate and count, shaded by [`heat_level`].
fn heatmap_html(cohorts: &[Cohort], width: usize) -> String {
    let mut html = String::with_capacity(200 + cohorts.len() * width * 80);
    let _ = write!(
        html,
        r#"<table class="heatmap" data-testid="cohort-heatmap"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col" class="num">{}</th>"#,
        escape(i18n::COHORT_HEAT),
        escape(i18n::H_COHORT),
        escape(i18n::H_SIZE),
    );
    for k in 0..width {
        let _ = write!(
            html,
            r#"<th scope="col" class="num">{}</th>"#,
            escape(&i18n::months_since(k))
        );
    }
    html.push_str("</tr></thead><tbody>");
    for cohort in cohorts {
        let _ = write!(
            html,
            r#"<tr><th scope="row">{}</th><td class="num">{}</td>"#,
            escape(&cohort.label),
            escape(&i18n::count_people(cohort.size)),
        );
        for k in 0..width {
            let rate = cohort.rate.get(k).copied().flatten();
            let active = cohort.active.get(k).copied().flatten();
            let (rate_text, count_text) = i18n::heat_cell(rate, active);
            let class = match rate {
                Some(rate) => format!("num heat-{}", heat_level(rate)),
                None => "num unobserved".to_string(),
            };
            let _ = write!(
                html,
                r#"<td class="{class}">{}<span class="heat-count">{}</span></td>"#,
                escape(&rate_text),
                escape(&count_text),
            );
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// Text made safe to stand in HTML, in an element or a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cohort(label: &str, size: u64, active: &[Option<u64>]) -> Cohort {
        Cohort {
            cohort: 0,
            label: label.to_string(),
            size,
            active: active.to_vec(),
            rate: active
                .iter()
                .map(|a| a.map(|a| a as f64 / size as f64))
                .collect(),
            revenue_per_customer: vec![None; active.len()],
            ltv_12_months: None,
            ltv_24_months: None,
        }
    }

    /// Each cohort a row, each month a cell with its rate, count and shade; a month not
    /// observed yet an empty cell, never 0; text escaped.
    #[test]
    fn the_heatmap_has_a_cell_per_cohort_and_month() {
        let cohorts = [
            cohort("2024-01", 10, &[Some(10), Some(3), Some(1)]),
            cohort("<b>&", 4, &[Some(4), Some(1), None]),
        ];
        let html = heatmap_html(&cohorts, 3);
        assert_eq!(
            html.matches("<tr>").count(),
            3,
            "the header and two cohorts"
        );
        assert_eq!(html.matches("<td class=\"num heat-").count(), 5);
        assert_eq!(html.matches("<td class=\"num unobserved\">").count(), 1);
        assert!(
            html.contains(
                r#"<td class="num heat-1">30.0%<span class="heat-count">（3人）</span></td>"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"<td class="num unobserved"><span class="heat-count"></span></td>"#)
        );
        assert!(html.contains("<th scope=\"row\">&lt;b&gt;&amp;</th>"));
        assert!(!html.contains("<b>"));
        assert_eq!(
            html.matches(r#"<th scope="col" class="num">"#).count(),
            4,
            "人数 and three months"
        );
    }
}
