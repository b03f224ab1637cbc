//! Horizontal bars with 95% whiskers: estimates with their intervals, one row per
//! category (a parameter, a metric) and, in each row, one bar per series (S1 and ST of
//! a Sobol analysis, each reform of a comparison).
//!
//! Each bar runs from zero to its value with a whisker from its lower to its upper
//! limit, and the bar's note at the right. Series are told apart by colour (Okabe–Ito,
//! in legend order) and by their fixed order within the row. The x axis covers every
//! finite value, every finite limit and zero; a caller's domain (0 to 1 for Sobol
//! indices, 0 to 100 for shares) fixes it instead, so charts of one kind share one
//! scale, and a value or limit beyond it ends at the axis's edge with an arrow (its
//! note has the number). The height follows from the row count (`Frame::height` is not
//! used).

use super::draw::{
    Anchor, Axis, GRID, INK, LABEL_SIZE, LEGEND_ROW, LegendItem, PLOT_TOP, Rect, Svg, Swatch,
    TICK_SIZE, Y_LABEL_X, finite_range, legend, legend_rows, legend_top, no_data, text_width,
    x_axis, y_label, y_label_extra,
};
use super::ticks::{counted, num, short_number};
use super::{Frame, OKABE_ITO};

/// One bar: a value and its 95% confidence limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Non-finite: no bar, and the note reads "NA".
    pub value: f64,
    /// Non-finite limits draw no whisker.
    pub low: f64,
    pub high: f64,
    /// Printed right of the plot beside the bar, e.g. "0.42 (0.31 to 0.55)"; may be
    /// empty.
    pub note: String,
}

/// One category: its label and one bar per series, in the series' order.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub bars: Vec<Bar>,
}

/// Rows of bars, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// The series' names: series `i` is drawn in `OKABE_ITO[i % 8]`; a legend names
    /// them when there are two or more.
    pub series: Vec<String>,
    pub rows: Vec<BarRow>,
    /// The x axis's range whatever the data (with zero), e.g. `(0.0, 100.0)` for
    /// percentages; values and limits beyond it are clipped with an arrow. `None`:
    /// the axis covers the data.
    pub domain: Option<(f64, f64)>,
}

/// Thickness of one bar.
const BAR: f64 = 12.0;
/// Space between the bars of one row.
const BAR_GAP: f64 = 2.0;
/// Space between rows.
const ROW_GAP: f64 = 10.0;

fn colour(series: usize) -> &'static str {
    OKABE_ITO[series % OKABE_ITO.len()]
}

/// The note printed for `bar`: "NA" when there is no value.
fn bar_note(bar: &Bar) -> &str {
    if bar.value.is_finite() {
        &bar.note
    } else {
        "NA"
    }
}

/// Attributes that squeeze `text` into `room` when it is wider at `size`.
fn squeeze(text: &str, size: f64, room: f64) -> String {
    if text_width(text, size) > room {
        format!(
            " textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"",
            num(room)
        )
    } else {
        String::new()
    }
}

/// Horizontal bars with whiskers: labels on the left, one bar per series in each row,
/// notes on the right, a line at zero and, for two or more series, a legend.
pub fn bars(frame: &Frame, chart: &Bars) -> String {
    let k = chart.series.len().max(1);
    let shown = || chart.rows.iter().flat_map(|r| r.bars.iter().take(k));
    if chart.rows.is_empty() || shown().all(|b| !b.value.is_finite()) {
        return no_data(frame);
    }
    // A domain is the axis: a value or limit beyond it stops at its end with an
    // arrow (the note has the number), so charts with one domain share one scale.
    let (lo, hi) = match chart.domain {
        Some((a, b)) => finite_range([0.0, a, b]),
        None => finite_range(shown().flat_map(|b| [b.value, b.low, b.high]).chain([0.0])),
    }
    .unwrap_or((0.0, 0.0));
    let axis = Axis::covering(lo, hi);

    let width = frame.width();
    let row_height = k as f64 * (BAR + BAR_GAP) - BAR_GAP + ROW_GAP;
    let plot_height = chart.rows.len() as f64 * row_height;
    let label_width = chart
        .rows
        .iter()
        .map(|r| text_width(&r.label, LABEL_SIZE))
        .fold(0.0, f64::max)
        .min(width * 0.4);
    // Notes are mostly digits, wider than the average letter: allow an eighth more.
    let note_width = shown()
        .map(|b| text_width(bar_note(b), TICK_SIZE) * 1.125)
        .fold(0.0, f64::max)
        .min(width * 0.3);
    let labels_x = Y_LABEL_X + 10.0 + y_label_extra(&frame.y_label, plot_height);
    let left = labels_x + label_width + 10.0;
    let last_tick = axis.labels.last().map_or(0.0, |l| text_width(l, TICK_SIZE));
    let right_margin = if note_width > 0.0 {
        note_width + 20.0
    } else {
        (last_tick / 2.0 + 4.0).max(16.0)
    };
    let right = (width - right_margin).max(left + 80.0);
    let plot = Rect {
        x: left,
        y: PLOT_TOP,
        w: right - left,
        h: plot_height,
    };

    let items: Vec<LegendItem> = if chart.series.len() > 1 {
        chart
            .series
            .iter()
            .enumerate()
            .map(|(i, name)| LegendItem {
                swatch: Swatch::Block {
                    fill: colour(i).to_string(),
                },
                label: name.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let legend_width = width - 24.0;
    let below = match legend_rows(&items, legend_width) {
        0 => 44.0,
        n => 50.0 + n as f64 * LEGEND_ROW,
    };
    let height = plot.bottom() + below;

    let mut svg = Svg::begin(frame, width, height, &bars_summary(chart, k));
    x_axis(&mut svg, plot, &axis, &frame.x_label);
    y_label(&mut svg, plot.y + plot.h / 2.0, &frame.y_label, plot.h);
    let zero = axis.x(0.0, plot);
    svg.push("<g class=\"rows\">\n");
    for (r, row) in chart.rows.iter().enumerate() {
        let top = plot.y + r as f64 * row_height + ROW_GAP / 2.0;
        if r > 0 && k > 1 {
            let y = top - ROW_GAP / 2.0;
            svg.line("row-rule", labels_x, y, plot.right(), y, GRID, "");
        }
        let block = k as f64 * (BAR + BAR_GAP) - BAR_GAP;
        svg.text(
            "row-label",
            labels_x,
            top + block / 2.0 + 4.0,
            Anchor::Start,
            LABEL_SIZE,
            &row.label,
            &squeeze(&row.label, LABEL_SIZE, label_width),
        );
        for (s, bar) in row.bars.iter().take(k).enumerate() {
            let y = top + s as f64 * (BAR + BAR_GAP);
            bar_mark(&mut svg, plot, &axis, zero, y, s, bar, note_width);
        }
    }
    svg.push("</g>\n");
    if axis.lo < 0.0 && axis.hi > 0.0 {
        svg.line(
            "zero-line",
            zero,
            plot.y,
            zero,
            plot.bottom(),
            INK,
            " stroke-width=\"1.2\"",
        );
    }
    svg.line(
        "axis-line",
        plot.x,
        plot.bottom(),
        plot.right(),
        plot.bottom(),
        INK,
        "",
    );
    legend(&mut svg, &items, 12.0, legend_top(plot), legend_width);
    svg.finish()
}

/// One bar of series `s` whose top is `y`: the bar, its whisker with caps and its
/// note.
#[allow(clippy::too_many_arguments)]
fn bar_mark(
    svg: &mut Svg,
    plot: Rect,
    axis: &Axis,
    zero: f64,
    y: f64,
    s: usize,
    bar: &Bar,
    note_width: f64,
) {
    let mid = y + BAR / 2.0;
    if bar.value.is_finite() {
        let exact = axis.x(bar.value, plot);
        let end = exact.clamp(plot.x, plot.right());
        svg.push(&format!(
            "<rect class=\"bar series-{s}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
            num(zero.min(end)),
            num(y),
            num((end - zero).abs()),
            num(BAR),
            colour(s)
        ));
        if end != exact {
            // The bar goes on beyond the axis: a point past its end says so.
            let tip = if exact > end { end + 6.0 } else { end - 6.0 };
            svg.push(&format!(
                "<path class=\"clipped\" d=\"M{} {}L{} {}L{} {}Z\" fill=\"{}\"/>\n",
                num(end),
                num(y),
                num(tip),
                num(mid),
                num(end),
                num(y + BAR),
                colour(s)
            ));
        }
        if bar.low.is_finite() && bar.high.is_finite() {
            let (lo, hi) = (axis.x(bar.low, plot), axis.x(bar.high, plot));
            // An end beyond the axis is clipped and drawn as an arrow, not a cap.
            let end = |x: f64, outward: f64| {
                let clipped = x.clamp(plot.x, plot.right());
                if clipped == x {
                    format!("M{} {}V{}", num(x), num(y + 1.0), num(y + BAR - 1.0))
                } else {
                    let back = num(clipped - 4.0 * outward);
                    format!(
                        "M{back} {}L{} {}L{back} {}",
                        num(mid - 3.5),
                        num(clipped),
                        num(mid),
                        num(mid + 3.5)
                    )
                }
            };
            svg.push(&format!(
                "<path class=\"ci-whisker\" d=\"M{} {m}H{}{}{}\" fill=\"none\" stroke=\"{INK}\" \
                 stroke-width=\"1.3\"/>\n",
                num(lo.clamp(plot.x, plot.right())),
                num(hi.clamp(plot.x, plot.right())),
                end(lo, -1.0),
                end(hi, 1.0),
                m = num(mid),
            ));
        }
    }
    if note_width > 0.0 {
        svg.text(
            "bar-note",
            plot.right() + 10.0,
            mid + 4.0,
            Anchor::Start,
            TICK_SIZE,
            bar_note(bar),
            "",
        );
    }
}

/// "6 rows of 2 series (S1, ST); values from -0.1 to 0.8; 1 not available."
fn bars_summary(chart: &Bars, k: usize) -> String {
    let values: Vec<f64> = chart
        .rows
        .iter()
        .flat_map(|r| r.bars.iter().take(k))
        .map(|b| b.value)
        .collect();
    let (lo, hi) = finite_range(values.iter().copied()).unwrap_or((f64::NAN, f64::NAN));
    let missing = values.iter().filter(|v| !v.is_finite()).count()
        + chart
            .rows
            .iter()
            .map(|r| k.saturating_sub(r.bars.len()))
            .sum::<usize>();
    let mut text = format!(
        "{} of {} ({}); values from {} to {}",
        counted(chart.rows.len(), "row", "rows"),
        counted(k, "series", "series"),
        chart.series.join(", "),
        short_number(lo),
        short_number(hi)
    );
    if missing > 0 {
        text.push_str(&format!("; {missing} not available"));
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_chart, texts_of};
    use super::*;

    fn frame() -> Frame {
        Frame::new(
            "fig-bars",
            "Sobol indices of incidents",
            "First-order and total Sobol indices of each parameter with 95% intervals.",
            "index",
            "parameter",
        )
    }

    fn bar(value: f64, low: f64, high: f64) -> Bar {
        Bar {
            value,
            low,
            high,
            note: format!("{value} ({low} to {high})"),
        }
    }

    fn sobol() -> Bars {
        Bars {
            series: vec!["S1".to_string(), "ST".to_string()],
            rows: vec![
                BarRow {
                    label: "police.community_role_share".to_string(),
                    bars: vec![bar(0.5, 0.4, 0.6), bar(0.7, 0.55, 0.85)],
                },
                BarRow {
                    label: "liability.clarity".to_string(),
                    bars: vec![bar(-0.05, -0.2, 0.1), bar(0.2, 0.1, 0.3)],
                },
                BarRow {
                    label: "logistics.level".to_string(),
                    bars: vec![
                        bar(f64::NAN, f64::NAN, f64::NAN),
                        bar(0.1, f64::NAN, f64::NAN),
                    ],
                },
            ],
            domain: None,
        }
    }

    fn attribute(node: &roxmltree::Node, name: &str) -> f64 {
        node.attribute(name).unwrap().parse().unwrap()
    }

    #[test]
    fn bars_keep_the_promises_with_a_bar_and_whisker_per_value() {
        let svg = bars(&frame(), &sobol());
        let texts = check_chart(&svg, &frame());
        assert_eq!(
            texts_of(&texts, "row-label"),
            [
                "police.community_role_share",
                "liability.clarity",
                "logistics.level"
            ]
        );
        assert_eq!(texts_of(&texts, "legend-item"), ["S1", "ST"]);
        let notes = texts_of(&texts, "bar-note");
        assert_eq!(notes.len(), 6);
        assert_eq!(notes[0], "0.5 (0.4 to 0.6)");
        assert_eq!(notes[4], "NA");
        // Five values, four with intervals; the NA has neither.
        assert_eq!(svg.matches("class=\"bar series-").count(), 5);
        assert_eq!(svg.matches("class=\"bar series-0\"").count(), 2);
        assert_eq!(svg.matches("class=\"ci-whisker\"").count(), 4);
        // A negative value: the axis reaches below zero and a zero line is drawn.
        assert!(svg.contains("class=\"zero-line\""));
        let first: f64 = texts_of(&texts, "tick")[0].parse().unwrap();
        assert!(first <= -0.2, "the axis covers the lowest limit, -0.2");
    }

    #[test]
    fn a_bar_runs_from_zero_to_its_value_and_its_whisker_between_its_limits() {
        let chart = Bars {
            series: vec!["share".to_string()],
            rows: vec![BarRow {
                label: "a".to_string(),
                bars: vec![bar(50.0, 25.0, 75.0)],
            }],
            domain: Some((0.0, 100.0)),
        };
        let svg = bars(&frame(), &chart);
        let texts = check_chart(&svg, &frame());
        assert!(
            texts_of(&texts, "legend-item").is_empty(),
            "one series, no legend"
        );
        assert_eq!(
            texts_of(&texts, "tick"),
            ["0", "20", "40", "60", "80", "100"]
        );
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let tick = |t: &str| {
            doc.descendants()
                .find(|n| n.attribute("class") == Some("tick") && n.text() == Some(t))
                .map(|n| attribute(&n, "x"))
                .unwrap()
        };
        let rect = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("bar series-0"))
            .unwrap();
        let (x, w) = (attribute(&rect, "x"), attribute(&rect, "width"));
        assert!((x - tick("0")).abs() < 0.01);
        let half = (tick("40") + tick("60")) / 2.0;
        assert!((x + w - half).abs() < 0.02, "{x} + {w} against {half}");
        let whisker = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("ci-whisker"))
            .unwrap()
            .attribute("d")
            .unwrap()
            .to_string();
        let quarter = tick("20") + (tick("40") - tick("20")) / 4.0;
        let start: f64 = whisker[1..whisker.find(' ').unwrap()].parse().unwrap();
        assert!(
            (start - quarter).abs() < 0.02,
            "{whisker} against {quarter}"
        );
        assert!(!svg.contains("zero-line"), "zero is the axis's left end");
    }

    #[test]
    fn a_domain_fixes_the_axis_and_clips_the_whiskers_beyond_it() {
        let chart = Bars {
            series: vec!["SRC".to_string()],
            rows: vec![BarRow {
                label: "a".to_string(),
                bars: vec![bar(-0.97, -1.06, -0.88)],
            }],
            domain: Some((-1.0, 1.0)),
        };
        let svg = bars(&frame(), &chart);
        let texts = check_chart(&svg, &frame());
        assert_eq!(
            texts_of(&texts, "tick"),
            ["-1.0", "-0.5", "0.0", "0.5", "1.0"]
        );
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let d = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("ci-whisker"))
            .unwrap()
            .attribute("d")
            .unwrap()
            .to_string();
        let left = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("tick") && n.text() == Some("-1.0"))
            .unwrap()
            .attribute("x")
            .unwrap()
            .to_string();
        assert!(d.starts_with(&format!("M{left} ")), "{d} clipped at {left}");
        assert_eq!(
            d.matches('L').count(),
            2,
            "an arrow at the clipped end: {d}"
        );
        assert_eq!(d.matches('V').count(), 1, "a cap at the other: {d}");
        assert!(!svg.contains("class=\"clipped\""), "the value is inside");

        // A value beyond the domain: the axis stays, the bar stops at its end with a
        // point beyond it, and the note has the number.
        let beyond = Bars {
            rows: vec![BarRow {
                label: "b".to_string(),
                bars: vec![bar(1.26, 0.9, 1.6)],
            }],
            ..chart
        };
        let svg = bars(&frame(), &beyond);
        let texts = check_chart(&svg, &frame());
        assert_eq!(texts_of(&texts, "tick").last(), Some(&"1.0"));
        assert_eq!(texts_of(&texts, "bar-note"), ["1.26 (0.9 to 1.6)"]);
        assert_eq!(svg.matches("class=\"clipped\"").count(), 1);
    }

    #[test]
    fn height_grows_with_rows_and_series() {
        let height = |rows: usize, series: usize| {
            let chart = Bars {
                series: (0..series).map(|s| format!("s{s}")).collect(),
                rows: (0..rows)
                    .map(|r| BarRow {
                        label: format!("row {r}"),
                        bars: (0..series).map(|_| bar(1.0, 0.5, 1.5)).collect(),
                    })
                    .collect(),
                domain: None,
            };
            let svg = bars(&frame(), &chart);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            attribute(&doc.root_element(), "height")
        };
        assert_eq!(height(11, 1) - height(1, 1), 10.0 * (BAR + ROW_GAP));
        assert_eq!(
            height(3, 3) - height(1, 3),
            2.0 * (3.0 * (BAR + BAR_GAP) - BAR_GAP + ROW_GAP)
        );
    }

    #[test]
    fn no_rows_or_no_values_say_no_data() {
        let empty = Bars {
            series: vec!["a".to_string()],
            rows: vec![],
            domain: None,
        };
        let texts = check_chart(&bars(&frame(), &empty), &frame());
        assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
        let na = Bars {
            rows: vec![BarRow {
                label: "a".to_string(),
                bars: vec![bar(f64::NAN, 0.0, 1.0)],
            }],
            ..empty
        };
        let texts = check_chart(&bars(&frame(), &na), &frame());
        assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(bars(&frame().size(560.0, 0.0), &sobol()));
    }
}
