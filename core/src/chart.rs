//! Chart geometry: scales, ticks, bars and line paths, in SVG user units. The UI only turns
//! these into elements; everything that can be wrong about a chart is decided and tested here.

use serde::{Deserialize, Serialize};

/// The plotting area inside an SVG of `width` × `height`, leaving room for axis labels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// A frame with room for labels on the left (and right, for a second axis) and below.
    pub fn new(width: f64, height: f64) -> Frame {
        Frame {
            width,
            height,
            left: 56.0,
            right: 44.0,
            top: 12.0,
            bottom: 28.0,
        }
    }

    /// Width of the plotting area.
    pub fn inner_width(&self) -> f64 {
        (self.width - self.left - self.right).max(1.0)
    }

    /// Height of the plotting area.
    pub fn inner_height(&self) -> f64 {
        (self.height - self.top - self.bottom).max(1.0)
    }

    /// The y of the bottom of the plotting area.
    pub fn baseline(&self) -> f64 {
        self.height - self.bottom
    }
}

/// A linear map from data values to SVG units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    /// The position of `value`; the middle of the range for an empty domain.
    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if (d1 - d0).abs() < f64::EPSILON || !value.is_finite() {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// Round tick values from 0 (or `min`, if below 0) to at least `max`: steps of 1, 2 or 5
/// times a power of ten, about `count` of them.
///
/// # Examples
/// ```
/// use ltv_core::chart::nice_ticks;
/// assert_eq!(nice_ticks(0.0, 87.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
/// // Nothing to show still gives an axis from 0 to 1.
/// assert_eq!(nice_ticks(0.0, 0.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
/// ```
pub fn nice_ticks(min: f64, max: f64, count: u32) -> Vec<f64> {
    let lo = min.min(0.0);
    let hi = if max.is_finite() && max > lo {
        max
    } else {
        lo + 1.0
    };
    let raw = (hi - lo) / f64::from(count.max(1));
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).floor() * step;
    // Rounding to the step's decimals keeps 3 × 0.2 from showing as 0.6000000000000001.
    let scale = 10f64.powi((-step.log10().floor()).max(0.0) as i32);
    let mut ticks = Vec::new();
    let mut k = 0.0;
    loop {
        let t = first + k * step;
        ticks.push((t * scale).round() / scale);
        if t >= hi - step * 1e-9 || ticks.len() > 50 {
            break;
        }
        k += 1.0;
    }
    ticks
}

/// One bar (or one segment of a stacked bar).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Which series (0 = bottom of the stack).
    pub series: u32,
    pub value: f64,
}

/// A tick on an axis: its position and value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    pub position: f64,
    pub value: f64,
}

/// A category label on the x axis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct XLabel {
    pub x: f64,
    pub text: String,
}

/// Stacked bars by category, with y ticks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BarChart {
    pub frame: Frame,
    pub bars: Vec<Bar>,
    pub y_ticks: Vec<Tick>,
    pub x_labels: Vec<XLabel>,
}

/// Lays out stacked bars: `series[s][i]` is the value of series `s` in category `i`; negative
/// values count as 0. Only every n-th category is labelled, so that labels never overlap.
///
/// # Examples
/// ```
/// use ltv_core::chart::{stacked_bars, Frame};
/// let chart = stacked_bars(Frame::new(400.0, 200.0), &["1月".into(), "2月".into()],
///     &[vec![10.0, 20.0], vec![5.0, 0.0]]);
/// assert_eq!(chart.bars.len(), 4);
/// // The tallest stack (20) reaches the top tick or below.
/// let top = chart.y_ticks.last().unwrap().value;
/// assert!(top >= 20.0);
/// ```
pub fn stacked_bars(frame: Frame, categories: &[String], series: &[Vec<f64>]) -> BarChart {
    let n = categories.len();
    let totals: Vec<f64> = (0..n)
        .map(|i| {
            series
                .iter()
                .map(|s| s.get(i).copied().unwrap_or(0.0).max(0.0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().fold(0.0, f64::max);
    let ticks = nice_ticks(0.0, max, 4);
    let top = ticks.last().copied().unwrap_or(1.0);
    let y = Scale {
        domain: (0.0, top),
        range: (frame.baseline(), frame.top),
    };
    let slot = frame.inner_width() / n.max(1) as f64;
    let width = (slot * 0.7).max(1.0);
    let mut bars = Vec::with_capacity(n * series.len());
    for i in 0..n {
        let x = frame.left + slot * i as f64 + (slot - width) / 2.0;
        let mut stacked = 0.0;
        for (s, values) in series.iter().enumerate() {
            let v = values.get(i).copied().unwrap_or(0.0).max(0.0);
            let y0 = y.map(stacked);
            let y1 = y.map(stacked + v);
            bars.push(Bar {
                x,
                y: y1,
                width,
                height: (y0 - y1).max(0.0),
                series: s as u32,
                value: v,
            });
            stacked += v;
        }
    }
    BarChart {
        frame,
        bars,
        y_ticks: place_ticks(&ticks, &y),
        x_labels: category_labels(&frame, categories, slot),
    }
}

fn place_ticks(ticks: &[f64], scale: &Scale) -> Vec<Tick> {
    ticks
        .iter()
        .map(|&t| Tick {
            position: scale.map(t),
            value: t,
        })
        .collect()
}

fn category_labels(frame: &Frame, categories: &[String], slot: f64) -> Vec<XLabel> {
    // About 48 units a label.
    let every = ((48.0 / slot).ceil() as usize).max(1);
    categories
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, c)| XLabel {
            x: frame.left + slot * (i as f64 + 0.5),
            text: c.clone(),
        })
        .collect()
}

/// One line of a line chart, as an SVG path; gaps (`None`) break the line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub series: u32,
    /// SVG path data: `M x y L x y …`.
    pub path: String,
    /// The points, for markers.
    pub points: Vec<(f64, f64)>,
}

/// Lines over shared categories, with y ticks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineChart {
    pub frame: Frame,
    pub lines: Vec<Line>,
    pub y_ticks: Vec<Tick>,
    pub x_labels: Vec<XLabel>,
}

/// Lays out lines: `series[s][i]` is the value of line `s` at category `i`, `None` for no value.
///
/// # Examples
/// ```
/// use ltv_core::chart::{lines, Frame};
/// let chart = lines(Frame::new(300.0, 150.0), &["a".into(), "b".into(), "c".into()],
///     &[vec![Some(1.0), None, Some(3.0)]]);
/// // The gap splits the line into two moves.
/// assert_eq!(chart.lines[0].path.matches('M').count(), 2);
/// ```
pub fn lines(frame: Frame, categories: &[String], series: &[Vec<Option<f64>>]) -> LineChart {
    let n = categories.len();
    let max = series
        .iter()
        .flatten()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let min = series
        .iter()
        .flatten()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::min);
    let ticks = nice_ticks(min, max, 4);
    let y = Scale {
        domain: (
            ticks.first().copied().unwrap_or(0.0),
            ticks.last().copied().unwrap_or(1.0),
        ),
        range: (frame.baseline(), frame.top),
    };
    let slot = frame.inner_width() / n.max(1) as f64;
    let x_of = |i: usize| frame.left + slot * (i as f64 + 0.5);
    let lines = series
        .iter()
        .enumerate()
        .map(|(s, values)| {
            let mut path = String::new();
            let mut points = Vec::new();
            let mut pen_down = false;
            for (i, v) in values.iter().enumerate().take(n) {
                match v.filter(|v| v.is_finite()) {
                    Some(v) => {
                        let (px, py) = (x_of(i), y.map(v));
                        path.push_str(&format!(
                            "{}{:.1} {:.1} ",
                            if pen_down { "L" } else { "M" },
                            px,
                            py
                        ));
                        points.push((px, py));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            Line {
                series: s as u32,
                path: path.trim_end().to_string(),
                points,
            }
        })
        .collect();
    LineChart {
        frame,
        lines,
        y_ticks: place_ticks(&ticks, &y),
        x_labels: category_labels(&frame, categories, slot),
    }
}

/// The colour step (0 to 4) of a heatmap cell for a rate between 0 and 1.
pub fn heat_level(rate: f64) -> u8 {
    if !rate.is_finite() || rate <= 0.0 {
        0
    } else {
        ((rate * 5.0).ceil() as u8).clamp(1, 5) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        let cases: &[(f64, f64, Vec<f64>)] = &[
            (0.0, 87.0, vec![0.0, 50.0, 100.0]),
            (0.0, 1.0, vec![0.0, 0.5, 1.0]),
            (0.0, 0.7, vec![0.0, 0.2, 0.4, 0.6, 0.8]),
            (0.0, 12_345.0, vec![0.0, 5_000.0, 10_000.0, 15_000.0]),
            (-3.0, 7.0, vec![-5.0, 0.0, 5.0, 10.0]),
        ];
        for (lo, hi, want) in cases {
            assert_eq!(&nice_ticks(*lo, *hi, 4), want, "{lo}..{hi}");
        }
    }

    #[test]
    fn bars_stack_from_the_baseline() {
        let frame = Frame::new(400.0, 200.0);
        let chart = stacked_bars(
            frame,
            &["a".into(), "b".into()],
            &[vec![10.0, 20.0], vec![10.0, -5.0]],
        );
        let a0 = &chart.bars[0];
        let a1 = &chart.bars[1];
        assert!((a0.y + a0.height - frame.baseline()).abs() < 1e-9);
        assert!(
            (a1.y + a1.height - a0.y).abs() < 1e-9,
            "second series sits on the first"
        );
        assert_eq!(chart.bars[3].height, 0.0, "a negative value draws nothing");
        assert!((a0.height - a1.height).abs() < 1e-9);
    }

    #[test]
    fn heat_levels() {
        for (rate, level) in [
            (0.0, 0),
            (0.05, 0),
            (0.2, 0),
            (0.21, 1),
            (0.5, 2),
            (1.0, 4),
            (f64::NAN, 0),
        ] {
            assert_eq!(heat_level(rate), level, "{rate}");
        }
    }

    proptest! {
        #[test]
        fn everything_stays_inside_the_frame(values in proptest::collection::vec(0.0f64..1e9, 1..40)) {
            let frame = Frame::new(600.0, 240.0);
            let cats: Vec<String> = (0..values.len()).map(|i| i.to_string()).collect();
            let chart = stacked_bars(frame, &cats, std::slice::from_ref(&values));
            for b in &chart.bars {
                prop_assert!(b.y >= frame.top - 1e-6 && b.y + b.height <= frame.baseline() + 1e-6);
                prop_assert!(b.x >= frame.left && b.x + b.width <= frame.width - frame.right + 1e-6);
            }
            let line = lines(frame, &cats, &[values.iter().map(|v| Some(*v)).collect()]);
            for (x, y) in &line.lines[0].points {
                prop_assert!(*y >= frame.top - 1e-6 && *y <= frame.baseline() + 1e-6);
                prop_assert!(*x >= frame.left && *x <= frame.width - frame.right);
            }
        }
    }
}
