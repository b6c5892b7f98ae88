//! SVG charts from the core's geometry: these only draw what `ltv_core::chart` laid out.

use ltv_core::chart::{BarChart, Frame, LineChart, Tick, XLabel};
use yew::prelude::*;

/// The colours of series 0, 1, 2… (bars and lines).
const COLOURS: [&str; 6] = [
    "#0f6fb8", "#7fb8e6", "#e0861a", "#17803d", "#8a4fbf", "#b3261e",
];

fn colour(series: u32) -> &'static str {
    COLOURS[series as usize % COLOURS.len()]
}

/// Grid lines and values of the y axis.
fn y_axis(f: &Frame, ticks: &[Tick], format: &Callback<f64, String>) -> Html {
    html! {
        { for ticks.iter().map(|t| html! {
            <g class="tick">
                <line x1={f.left.to_string()} x2={(f.width - f.right).to_string()}
                    y1={t.position.to_string()} y2={t.position.to_string()} />
                <text x={(f.left - 6.0).to_string()} y={(t.position + 4.0).to_string()} text-anchor="end">
                    { format.emit(t.value) }
                </text>
            </g>
        }) }
    }
}

/// Category labels under the plot.
fn x_axis(f: &Frame, labels: &[XLabel]) -> Html {
    html! {
        { for labels.iter().map(|l| html! {
            <text class="x-label" x={format!("{:.1}", l.x)} y={(f.height - 8.0).to_string()} text-anchor="middle">
                { l.text.clone() }
            </text>
        }) }
    }
}

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub names: Vec<AttrValue>,
}

/// The names of the series with their colours.
#[component]
pub fn Legend(props: &LegendProps) -> Html {
    html! {
        <ul class="legend">
            { for props.names.iter().enumerate().map(|(i, name)| html! {
                <li><span class="swatch" style={format!("background:{}", colour(i as u32))}></span>{ name.clone() }</li>
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub chart: BarChart,
    /// What the chart shows, for screen readers.
    pub title: AttrValue,
    pub testid: AttrValue,
    /// Formats a tick value.
    pub tick: Callback<f64, String>,
}

#[component]
pub fn BarChartView(props: &BarChartProps) -> Html {
    let c = &props.chart;
    let f = c.frame;
    // Built after the view around it, in a part of its own (as a table is).
    html! {
        <super::Later>
        <svg class="chart" viewBox={format!("0 0 {} {}", f.width, f.height)} role="img"
            aria-label={props.title.clone()} data-testid={props.testid.clone()}>
            <title>{ props.title.clone() }</title>
            { y_axis(&f, &c.y_ticks, &props.tick) }
            { for c.bars.iter().filter(|b| b.height > 0.0).map(|b| html! {
                <rect class="bar" x={format!("{:.1}", b.x)} y={format!("{:.1}", b.y)}
                    width={format!("{:.1}", b.width)} height={format!("{:.1}", b.height)}
                    fill={colour(b.series)} data-value={b.value.to_string()} />
            }) }
            { x_axis(&f, &c.x_labels) }
        </svg>
        </super::Later>
    }
}

#[derive(Properties, PartialEq)]
pub struct LineChartProps {
    pub chart: LineChart,
    pub title: AttrValue,
    pub testid: AttrValue,
    pub tick: Callback<f64, String>,
    /// Draw series 1 dashed (e.g. predicted against actual).
    #[prop_or_default]
    pub dashed_second: bool,
    /// A dot on each point (for a line of a few points).
    #[prop_or_default]
    pub markers: bool,
}

#[component]
pub fn LineChartView(props: &LineChartProps) -> Html {
    let c = &props.chart;
    let f = c.frame;
    // Built after the view around it, in a part of its own (as a table is).
    html! {
        <super::Later>
        <svg class="chart" viewBox={format!("0 0 {} {}", f.width, f.height)} role="img"
            aria-label={props.title.clone()} data-testid={props.testid.clone()}>
            <title>{ props.title.clone() }</title>
            { y_axis(&f, &c.y_ticks, &props.tick) }
            { for c.lines.iter().map(|l| html! {
                <path class="line" d={l.path.clone()} stroke={colour(l.series)} fill="none"
                    stroke-dasharray={(props.dashed_second && l.series == 1).then_some("6 4")}
                    data-series={l.series.to_string()} />
            }) }
            if props.markers {
                { for c.lines.iter().flat_map(|l| l.points.iter().map(move |(x, y)| html! {
                    <circle class="marker" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="4" fill={colour(l.series)} />
                })) }
            }
            { x_axis(&f, &c.x_labels) }
        </svg>
        </super::Later>
    }
}
