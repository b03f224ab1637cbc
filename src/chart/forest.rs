//! Forest plots of paired relative changes (reform against baseline, in percent) with
//! their 95% confidence intervals, one row per metric, grouped under bold headings.
//!
//! A row's marker says what the change means, by colour and by shape: a filled blue
//! circle is better, a filled vermillion square worse, an open grey circle unclear (the
//! interval spans zero) and an open black diamond a metric with no better direction.
//! The x axis always covers every finite limit and zero, so no whisker is clipped. The
//! chart's height follows from its row count; `Frame::height` is not used.

use super::draw::{
    Anchor, Axis, INK, LABEL_SIZE, LEGEND_ROW, LegendItem, Marker, PLOT_TOP, Rect, Svg, Swatch,
    TICK_SIZE, Y_LABEL_X, finite_range, legend, legend_rows, legend_top, no_data, text_width,
    x_axis, y_label, y_label_extra,
};
use super::ticks::{counted, num};
use super::{BETTER_COLOUR, Frame, UNCLEAR_COLOUR, WORSE_COLOUR};

/// What a change means for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A change in the better direction whose interval excludes zero.
    Better,
    /// A change in the worse direction whose interval excludes zero.
    Worse,
    /// The interval spans zero.
    Unclear,
    /// The metric has no better direction.
    Neutral,
}

impl Verdict {
    const ALL: [Verdict; 4] = [
        Verdict::Better,
        Verdict::Worse,
        Verdict::Unclear,
        Verdict::Neutral,
    ];

    /// The verdict's colour: blue, vermillion, grey or black.
    pub fn colour(self) -> &'static str {
        match self {
            Verdict::Better => BETTER_COLOUR,
            Verdict::Worse => WORSE_COLOUR,
            Verdict::Unclear => UNCLEAR_COLOUR,
            Verdict::Neutral => "#000000",
        }
    }

    /// The marker shape, the second cue beside colour.
    fn marker(self) -> Marker {
        match self {
            Verdict::Better => Marker::Dot,
            Verdict::Worse => Marker::Square,
            Verdict::Unclear => Marker::Ring,
            Verdict::Neutral => Marker::Diamond,
        }
    }

    /// The verdict's CSS class.
    fn class(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Unclear => "unclear",
            Verdict::Neutral => "neutral",
        }
    }

    /// The verdict's legend label.
    fn label(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Unclear => "unclear (95% CI spans 0)",
            Verdict::Neutral => "no better direction",
        }
    }
}

/// One metric's change: the estimate and its 95% confidence limits, in percent.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    pub label: String,
    /// Non-finite: the row shows "NA" and no marker.
    pub estimate: f64,
    /// Non-finite limits draw no whisker.
    pub low: f64,
    pub high: f64,
    pub verdict: Verdict,
    /// Printed right of the plot, e.g. "-15% (-19% to -11%)".
    pub note: String,
}

/// Rows under one heading.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestGroup {
    /// The bold heading; an empty name draws no heading row.
    pub name: String,
    pub rows: Vec<ForestRow>,
}

/// The groups of one reform, for [`forest_series`].
#[derive(Debug, Clone, PartialEq)]
pub struct ForestSeries {
    pub name: String,
    pub groups: Vec<ForestGroup>,
}

/// Height of one row.
const ROW: f64 = 22.0;
/// Indent of a metric's label under its group's heading.
const INDENT: f64 = 10.0;

/// A line of the plot: a group heading or a metric.
enum Line<'a> {
    Heading(&'a str),
    Metric(&'a ForestRow),
}

/// A forest plot of `groups`: labels on the left, whiskers and verdict markers in the
/// middle, each row's note on the right, a vertical line at zero and a legend of the
/// verdicts present. Values are percentages.
pub fn forest(frame: &Frame, groups: &[ForestGroup]) -> String {
    let rows = || groups.iter().flat_map(|g| &g.rows);
    if rows().next().is_none() {
        return no_data(frame);
    }
    let lines: Vec<Line> = groups
        .iter()
        .flat_map(|g| {
            let heading = (!g.name.is_empty()).then_some(Line::Heading(&g.name));
            heading.into_iter().chain(g.rows.iter().map(Line::Metric))
        })
        .collect();
    let (lo, hi) = finite_range(
        rows()
            .flat_map(|r| [r.estimate, r.low, r.high])
            .chain([0.0]),
    )
    .unwrap_or((0.0, 0.0));
    let axis = Axis::covering(lo, hi);

    let width = frame.width();
    let label_width = lines
        .iter()
        .map(|line| match line {
            // Bold text runs about a tenth wider.
            Line::Heading(name) => text_width(name, LABEL_SIZE) * 1.1,
            Line::Metric(row) => INDENT + text_width(&row.label, LABEL_SIZE),
        })
        .fold(0.0, f64::max)
        .min(width * 0.4);
    // Notes are mostly digits and per cent signs, wider than the average letter
    // the estimate assumes: allow an eighth more.
    let note_width = rows()
        .map(|r| text_width(note(r), TICK_SIZE) * 1.125)
        .fold(0.0, f64::max)
        .min(width * 0.35);
    let plot_height = lines.len() as f64 * ROW + 8.0;
    // The label column starts right of the rotated y label.
    let labels_x = Y_LABEL_X + 10.0 + y_label_extra(&frame.y_label, plot_height);
    let left = labels_x + label_width + 12.0;
    let right = (width - 12.0 - note_width - 10.0).max(left + 80.0);
    let plot = Rect {
        x: left,
        y: PLOT_TOP,
        w: right - left,
        h: plot_height,
    };

    let present: Vec<Verdict> = Verdict::ALL
        .into_iter()
        .filter(|v| rows().any(|r| r.verdict == *v && r.estimate.is_finite()))
        .collect();
    let items: Vec<LegendItem> = present
        .iter()
        .map(|v| LegendItem {
            swatch: Swatch::Marker {
                marker: v.marker(),
                colour: v.colour().to_string(),
            },
            label: v.label().to_string(),
        })
        .collect();
    let legend_width = width - 24.0;
    let below = match legend_rows(&items, legend_width) {
        0 => 44.0,
        n => 50.0 + n as f64 * LEGEND_ROW,
    };
    let height = plot.bottom() + below;

    let mut svg = Svg::begin(frame, width, height, &summary(groups));
    x_axis(&mut svg, plot, &axis, &frame.x_label);
    y_label(&mut svg, plot.y + plot.h / 2.0, &frame.y_label, plot.h);
    let zero = axis.x(0.0, plot);
    svg.line(
        "zero-line",
        zero,
        plot.y,
        zero,
        plot.bottom(),
        INK,
        " stroke-width=\"1.2\"",
    );
    svg.line(
        "axis-line",
        plot.x,
        plot.bottom(),
        plot.right(),
        plot.bottom(),
        INK,
        "",
    );
    svg.push("<g class=\"rows\">\n");
    for (k, line) in lines.iter().enumerate() {
        let mid = plot.y + 4.0 + k as f64 * ROW + ROW / 2.0;
        match line {
            Line::Heading(name) => svg.text(
                "group-label",
                labels_x,
                mid + 4.0,
                Anchor::Start,
                LABEL_SIZE,
                name,
                " font-weight=\"bold\"",
            ),
            Line::Metric(row) => metric(&mut svg, plot, &axis, labels_x, mid, row),
        }
    }
    svg.push("</g>\n");
    legend(&mut svg, &items, 12.0, legend_top(plot), legend_width);
    svg.finish()
}

/// One forest plot per reform, ids `{id}-1`, `{id}-2`, ... and titles
/// "{title}: {reform}".
pub fn forest_series(frame: &Frame, series: &[ForestSeries]) -> Vec<String> {
    series
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let frame = Frame {
                id: format!("{}-{}", frame.id, k + 1),
                title: format!("{}: {}", frame.title, s.name),
                ..frame.clone()
            };
            forest(&frame, &s.groups)
        })
        .collect()
}

/// The note printed for `row`: "NA" when there is no estimate.
fn note(row: &ForestRow) -> &str {
    if row.estimate.is_finite() {
        &row.note
    } else {
        "NA"
    }
}

/// One metric's row centred on `mid`: label, whisker with caps, marker and note.
fn metric(svg: &mut Svg, plot: Rect, axis: &Axis, labels_x: f64, mid: f64, row: &ForestRow) {
    svg.text(
        "row-label",
        labels_x + INDENT,
        mid + 4.0,
        Anchor::Start,
        LABEL_SIZE,
        &row.label,
        "",
    );
    let colour = row.verdict.colour();
    if row.estimate.is_finite() && row.low.is_finite() && row.high.is_finite() {
        let (lo, hi) = (axis.x(row.low, plot), axis.x(row.high, plot));
        let (top, bottom) = (num(mid - 4.0), num(mid + 4.0));
        svg.push(&format!(
            "<path class=\"ci-whisker {}\" d=\"M{lo} {y}H{hi}M{lo} {top}V{bottom}M{hi} {top}V{bottom}\" \
             fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\n",
            row.verdict.class(),
            lo = num(lo),
            hi = num(hi),
            y = num(mid),
        ));
    }
    if row.estimate.is_finite() {
        svg.push(&row.verdict.marker().svg(
            &format!("estimate {}", row.verdict.class()),
            axis.x(row.estimate, plot),
            mid,
            4.5,
            colour,
        ));
    }
    svg.text(
        "row-note",
        plot.right() + 10.0,
        mid + 4.0,
        Anchor::Start,
        TICK_SIZE,
        note(row),
        "",
    );
}

/// "12 metrics in 3 groups: 4 better, 1 worse, 7 unclear."
fn summary(groups: &[ForestGroup]) -> String {
    let rows: Vec<&ForestRow> = groups.iter().flat_map(|g| &g.rows).collect();
    let mut parts: Vec<String> = Verdict::ALL
        .iter()
        .map(|v| {
            let n = rows
                .iter()
                .filter(|r| r.verdict == *v && r.estimate.is_finite())
                .count();
            (n, v.label())
        })
        .filter(|(n, _)| *n > 0)
        .map(|(n, label)| format!("{n} {label}"))
        .collect();
    let missing = rows.iter().filter(|r| !r.estimate.is_finite()).count();
    if missing > 0 {
        parts.push(format!("{missing} not available"));
    }
    format!(
        "{} in {}: {}.",
        counted(rows.len(), "metric", "metrics"),
        counted(groups.len(), "group", "groups"),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_chart, texts_of};
    use super::*;

    fn frame() -> Frame {
        Frame::new(
            "fig-forest",
            "Community policing against baseline",
            "Relative change of each metric with its 95% confidence interval.",
            "change relative to baseline (%)",
            "metric",
        )
    }

    fn row(label: &str, estimate: f64, low: f64, high: f64, verdict: Verdict) -> ForestRow {
        ForestRow {
            label: label.to_string(),
            estimate,
            low,
            high,
            verdict,
            note: format!("{estimate}% ({low}% to {high}%)"),
        }
    }

    fn groups() -> Vec<ForestGroup> {
        vec![
            ForestGroup {
                name: "Safety".to_string(),
                rows: vec![
                    row("incidents", -15.0, -19.0, -11.0, Verdict::Better),
                    row("arrests", 8.0, 2.0, 14.0, Verdict::Worse),
                ],
            },
            ForestGroup {
                name: "Trust".to_string(),
                rows: vec![
                    row("trust in police", 1.0, -3.0, 5.0, Verdict::Unclear),
                    row("patrol hours", 30.0, 25.0, 35.0, Verdict::Neutral),
                    row("grievance", f64::NAN, f64::NAN, f64::NAN, Verdict::Unclear),
                ],
            },
        ]
    }

    #[test]
    fn a_forest_keeps_the_promises_and_has_one_row_per_metric() {
        let svg = forest(&frame(), &groups());
        let texts = check_chart(&svg, &frame());
        assert_eq!(texts_of(&texts, "group-label"), ["Safety", "Trust"]);
        assert_eq!(
            texts_of(&texts, "row-label"),
            [
                "incidents",
                "arrests",
                "trust in police",
                "patrol hours",
                "grievance"
            ]
        );
        let notes = texts_of(&texts, "row-note");
        assert_eq!(notes.len(), 5);
        assert_eq!(notes[0], "-15% (-19% to -11%)");
        assert_eq!(notes[4], "NA");
        assert_eq!(
            texts_of(&texts, "legend-item"),
            [
                "better",
                "worse",
                "unclear (95% CI spans 0)",
                "no better direction"
            ]
        );
        // The axis covers -19..35 and zero, in Heckbert's steps of 20.
        assert_eq!(texts_of(&texts, "tick"), ["-20", "0", "20", "40"]);
    }

    #[test]
    fn markers_carry_their_verdict_colour_and_shape() {
        let svg = forest(&frame(), &groups());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let markers: Vec<(String, &str, String)> = doc
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.starts_with("estimate "))
            })
            .map(|n| {
                // Open markers are white inside and drawn in their colour.
                let colour = match n.attribute("fill") {
                    Some("#ffffff") | None => n.attribute("stroke").unwrap(),
                    Some(fill) => fill,
                };
                (
                    n.attribute("class").unwrap().to_string(),
                    n.tag_name().name(),
                    colour.to_string(),
                )
            })
            .collect();
        let expected = [
            ("estimate better", "circle", "#0072B2"),
            ("estimate worse", "rect", "#D55E00"),
            ("estimate unclear", "circle", "#999999"),
            ("estimate neutral", "path", "#000000"),
        ];
        assert_eq!(markers.len(), expected.len(), "the NA row has no marker");
        for (got, want) in markers.iter().zip(expected) {
            assert_eq!((got.0.as_str(), got.1, got.2.as_str()), want);
        }
        assert_eq!(svg.matches("class=\"ci-whisker").count(), 4);
    }

    #[test]
    fn the_zero_line_sits_at_zero_on_the_axis() {
        let svg = forest(&frame(), &groups());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let zero = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("zero-line"))
            .expect("a zero line");
        let tick_zero = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("tick") && n.text() == Some("0"))
            .unwrap();
        assert_eq!(zero.attribute("x1"), tick_zero.attribute("x"));
        assert_eq!(zero.attribute("x1"), zero.attribute("x2"));
    }

    #[test]
    fn height_grows_with_rows() {
        let height = |n: usize| {
            let rows = (0..n)
                .map(|i| {
                    row(
                        "m",
                        i as f64,
                        i as f64 - 1.0,
                        i as f64 + 1.0,
                        Verdict::Better,
                    )
                })
                .collect();
            let svg = forest(
                &frame(),
                &[ForestGroup {
                    name: String::new(),
                    rows,
                }],
            );
            let doc = roxmltree::Document::parse(&svg).unwrap();
            doc.root_element()
                .attribute("height")
                .unwrap()
                .parse::<f64>()
                .unwrap()
        };
        assert_eq!(height(11) - height(1), 10.0 * ROW);
    }

    #[test]
    fn empty_groups_say_no_data_and_all_na_rows_still_draw() {
        let svg = forest(&frame(), &[]);
        assert_eq!(
            texts_of(&check_chart(&svg, &frame()), "no-data"),
            ["no data"]
        );
        let na = ForestGroup {
            name: "g".to_string(),
            rows: vec![row("m", f64::NAN, f64::NAN, f64::NAN, Verdict::Neutral)],
        };
        let svg = forest(&frame(), &[na]);
        let texts = check_chart(&svg, &frame());
        assert_eq!(texts_of(&texts, "row-note"), ["NA"]);
        assert!(svg.contains("class=\"zero-line\""));
    }

    #[test]
    fn forest_series_gives_each_reform_its_own_ids() {
        let series = [
            ForestSeries {
                name: "reform A".to_string(),
                groups: groups(),
            },
            ForestSeries {
                name: "reform B".to_string(),
                groups: groups(),
            },
        ];
        let charts = forest_series(&frame(), &series);
        assert_eq!(charts.len(), 2);
        let second = Frame {
            id: "fig-forest-2".to_string(),
            title: "Community policing against baseline: reform B".to_string(),
            ..frame()
        };
        check_chart(&charts[1], &second);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(forest(&frame().size(560.0, 200.0), &groups()));
    }
}
