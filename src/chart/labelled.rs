//! Labelled points with horizontal whiskers: a scatter of few points, each named beside
//! it, with an optional 95% interval on x. It draws the Morris plot of μ* (x) against σ
//! (y), Campolongo, Cariboni and Saltelli (2007).
//!
//! Labels are placed greedily, the largest x first, at the candidate position that
//! overlaps least with the labels and points already there; a label set away from its
//! point gets a thin leader line. Dashed lines through the origin (`σ = μ*`) guide the
//! eye. Points without finite coordinates are left out and counted in the description.

use super::Frame;
use super::draw::{
    Anchor, Axis, INK, LegendItem, Marker, Rect, Svg, Swatch, TICK_SIZE, axis_lines, finite_range,
    legend, legend_rows, legend_top, no_data, standard_layout, text_width, x_axis, y_axis,
};
use super::ticks::{counted, num, short_number};

/// One named point with an optional horizontal interval.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledPoint {
    pub label: String,
    /// Points without finite coordinates are left out (and counted in the
    /// description).
    pub x: f64,
    pub y: f64,
    /// Non-finite limits draw no whisker.
    pub x_low: f64,
    pub x_high: f64,
    /// Draws the label; an unnamed point is a small grey dot (many points, a few
    /// named).
    pub named: bool,
}

/// Points to name, and guide lines through the origin.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledPoints {
    pub points: Vec<LabelledPoint>,
    /// Dashed lines `y = slope · x`, each labelled at its end ("σ = μ*").
    pub diagonals: Vec<(f64, String)>,
    /// The legend's name for the whiskers ("95% interval of μ*"); empty: no legend
    /// entry.
    pub whisker_label: String,
}

/// The colour of named points.
const POINT_COLOUR: &str = "#0072B2";
/// The colour of unnamed points and guide lines.
const MUTED: &str = "#777777";

/// A scatter of named points with horizontal whiskers: axes from zero (or below, if a
/// limit is), dashed guide lines through the origin, and each named point's label
/// placed where it overlaps least.
pub fn labelled_points(frame: &Frame, chart: &LabelledPoints) -> String {
    let finite: Vec<&LabelledPoint> = chart
        .points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    if finite.is_empty() {
        return no_data(frame);
    }
    let (x_lo, x_hi) = finite_range(
        finite
            .iter()
            .flat_map(|p| [p.x, p.x_low, p.x_high])
            .chain([0.0]),
    )
    .unwrap_or((0.0, 0.0));
    let (y_lo, y_hi) = finite_range(finite.iter().map(|p| p.y).chain([0.0])).unwrap_or((0.0, 0.0));
    let x = Axis::covering(x_lo, x_hi);
    let y = Axis::covering(y_lo, y_hi);
    let whiskers = finite
        .iter()
        .any(|p| p.x_low.is_finite() && p.x_high.is_finite());
    let mut items = vec![LegendItem {
        swatch: Swatch::Marker {
            marker: Marker::Dot,
            colour: POINT_COLOUR.to_string(),
        },
        label: "parameter".to_string(),
    }];
    if whiskers && !chart.whisker_label.is_empty() {
        items.push(LegendItem {
            swatch: Swatch::Line {
                colour: INK.to_string(),
                dashed: false,
                band: false,
            },
            label: chart.whisker_label.clone(),
        });
    }
    let unnamed = finite.iter().filter(|p| !p.named).count();
    if unnamed > 0 {
        items.push(LegendItem {
            swatch: Swatch::Marker {
                marker: Marker::Dot,
                colour: MUTED.to_string(),
            },
            label: format!("{} not named", counted(unnamed, "other", "others")),
        });
    }
    let legend_width = frame.width() - 24.0;
    let (plot, height) = standard_layout(frame, &x, &y, legend_rows(&items, legend_width));

    let skipped = chart.points.len() - finite.len();
    let mut summary = format!(
        "{}; x from {} to {}; y from {} to {}",
        counted(finite.len(), "point", "points"),
        short_number(finite.iter().map(|p| p.x).fold(f64::INFINITY, f64::min)),
        short_number(finite.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max)),
        short_number(finite.iter().map(|p| p.y).fold(f64::INFINITY, f64::min)),
        short_number(finite.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max)),
    );
    let mut by_x: Vec<&LabelledPoint> = finite.clone();
    by_x.sort_by(|a, b| b.x.total_cmp(&a.x));
    let named: Vec<&str> = by_x
        .iter()
        .filter(|p| p.named)
        .map(|p| p.label.as_str())
        .collect();
    if !named.is_empty() {
        summary.push_str(&format!("; largest x first: {}", named.join(", ")));
    }
    if skipped > 0 {
        summary.push_str(&format!(
            "; {} without finite values left out",
            counted(skipped, "point", "points")
        ));
    }
    summary.push('.');

    let mut svg = Svg::begin(frame, frame.width(), height, &summary);
    x_axis(&mut svg, plot, &x, &frame.x_label);
    y_axis(&mut svg, plot, &y, &frame.y_label);
    for (slope, label) in chart
        .diagonals
        .iter()
        .filter(|d| d.0.is_finite() && d.0 > 0.0)
    {
        diagonal(&mut svg, plot, &x, &y, *slope, label);
    }
    let screen = |p: &LabelledPoint| (x.x(p.x, plot), y.y(p.y, plot));
    svg.push("<g class=\"whiskers\">\n");
    for p in finite
        .iter()
        .filter(|p| p.x_low.is_finite() && p.x_high.is_finite())
    {
        let (_, py) = screen(p);
        let (lo, hi) = (x.x(p.x_low, plot), x.x(p.x_high, plot));
        let (top, bottom) = (num(py - 4.0), num(py + 4.0));
        let stroke = if p.named { INK } else { MUTED };
        svg.push(&format!(
            "<path class=\"ci-whisker\" d=\"M{lo} {m}H{hi}M{lo} {top}V{bottom}M{hi} {top}V{bottom}\" \
             fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\" stroke-opacity=\"0.7\"/>\n",
            lo = num(lo),
            hi = num(hi),
            m = num(py),
        ));
    }
    svg.push("</g>\n<g class=\"points\">\n");
    for p in &finite {
        let (px, py) = screen(p);
        let (r, fill) = if p.named {
            (4.0, POINT_COLOUR)
        } else {
            (2.5, MUTED)
        };
        svg.push(&Marker::Dot.svg("point", px, py, r, fill));
    }
    svg.push("</g>\n");
    // Labels, the largest x first, so the points that matter most get the best place.
    let to_name: Vec<(f64, f64, &str)> = by_x
        .iter()
        .filter(|p| p.named)
        .map(|p| {
            let (px, py) = screen(p);
            (px, py, p.label.as_str())
        })
        .collect();
    let marks: Vec<(f64, f64)> = finite.iter().map(|p| screen(p)).collect();
    let lines: Vec<(f64, f64, f64)> = finite
        .iter()
        .filter(|p| p.x_low.is_finite() && p.x_high.is_finite())
        .map(|p| (x.x(p.x_low, plot), x.x(p.x_high, plot), screen(p).1))
        .collect();
    let bounds = Rect {
        x: plot.x,
        y: plot.y - 4.0,
        w: frame.width() - 4.0 - plot.x,
        h: plot.h + 4.0,
    };
    svg.push("<g class=\"labels\">\n");
    for ((px, py, label), (lx, ly, anchor)) in to_name
        .iter()
        .zip(place_labels(&to_name, &marks, &lines, bounds))
    {
        // A label set away from its point gets a thin leader line.
        let (left, right) = label_span(lx, anchor, text_width(label, TICK_SIZE));
        let nearest_x = px.clamp(left, right);
        let nearest_y = py.clamp(ly - 9.0, ly + 3.0);
        if (nearest_x - px).hypot(nearest_y - py) > 10.0 {
            svg.line(
                "leader",
                *px,
                *py,
                nearest_x,
                nearest_y,
                MUTED,
                " stroke-width=\"0.8\"",
            );
        }
        svg.text("point-label", lx, ly, anchor, TICK_SIZE, label, "");
    }
    svg.push("</g>\n");
    axis_lines(&mut svg, plot);
    legend(&mut svg, &items, 12.0, legend_top(plot), legend_width);
    svg.finish()
}

/// The dashed line `y = slope · x` from the origin to the plot's edge, labelled at
/// its end.
fn diagonal(svg: &mut Svg, plot: Rect, x: &Axis, y: &Axis, slope: f64, label: &str) {
    let start = x.lo.max(y.lo / slope).max(0.0);
    let end = x.hi.min(y.hi / slope);
    if end <= start {
        return;
    }
    let (x0, y0) = (x.x(start, plot), y.y(slope * start, plot));
    let (x1, y1) = (x.x(end, plot), y.y(slope * end, plot));
    svg.line(
        "guide",
        x0,
        y0,
        x1,
        y1,
        MUTED,
        " stroke-dasharray=\"5 4\" stroke-width=\"1\"",
    );
    // The label sits inside the plot at the line's end, below it when the line leaves
    // through the top.
    let (lx, ly, anchor) = if y1 <= plot.y + 1.0 {
        (x1 - 4.0, y1 + 12.0, Anchor::End)
    } else {
        (x1 - 2.0, y1 - 6.0, Anchor::End)
    };
    svg.text(
        "guide-label",
        lx,
        ly,
        anchor,
        TICK_SIZE,
        label,
        " fill-opacity=\"0.7\" font-style=\"italic\"",
    );
}

/// The left and right ends of a label `width` wide anchored at `x`.
fn label_span(x: f64, anchor: Anchor, width: f64) -> (f64, f64) {
    match anchor {
        Anchor::Start => (x, x + width),
        Anchor::Middle => (x - width / 2.0, x + width / 2.0),
        Anchor::End => (x - width, x),
    }
}

/// A box on screen: left, top, right, bottom.
type Extent = (f64, f64, f64, f64);

/// Where to write each label of `points` (screen x, y, text), in order: the
/// candidate position around its point that overlaps least with the labels placed
/// before it, the `marks` (every point drawn) and the horizontal `whiskers` (left,
/// right, y), inside `bounds` if it can be. Returns each label's x, baseline and
/// anchor.
fn place_labels(
    points: &[(f64, f64, &str)],
    marks: &[(f64, f64)],
    whiskers: &[(f64, f64, f64)],
    bounds: Rect,
) -> Vec<(f64, f64, Anchor)> {
    // (dx, baseline dy, anchor), nearest first.
    const CANDIDATES: [(f64, f64, Anchor); 12] = [
        (7.0, 4.0, Anchor::Start),
        (-7.0, 4.0, Anchor::End),
        (5.0, -7.0, Anchor::Start),
        (5.0, 15.0, Anchor::Start),
        (-5.0, -7.0, Anchor::End),
        (-5.0, 15.0, Anchor::End),
        (0.0, -9.0, Anchor::Middle),
        (0.0, 18.0, Anchor::Middle),
        (9.0, -20.0, Anchor::Start),
        (9.0, 28.0, Anchor::Start),
        (-9.0, -20.0, Anchor::End),
        (-9.0, 28.0, Anchor::End),
    ];
    let overlap = |a: Extent, b: Extent| {
        let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
        let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
        w * h
    };
    let mut placed: Vec<Extent> = Vec::new();
    let mut out = Vec::with_capacity(points.len());
    for &(px, py, label) in points {
        let width = text_width(label, TICK_SIZE);
        let mut best: Option<(f64, (f64, f64, Anchor), Extent)> = None;
        for &(dx, dy, anchor) in &CANDIDATES {
            let (lx, ly) = (px + dx, py + dy);
            let (left, right) = label_span(lx, anchor, width);
            let rect = (left, ly - 9.0, right, ly + 3.0);
            let outside = (bounds.x - left).max(0.0)
                + (right - bounds.right()).max(0.0)
                + (bounds.y - rect.1).max(0.0)
                + (rect.3 - bounds.bottom()).max(0.0);
            let score = placed.iter().map(|&p| overlap(rect, p)).sum::<f64>()
                + marks
                    .iter()
                    .map(|&(mx, my)| overlap(rect, (mx - 4.0, my - 4.0, mx + 4.0, my + 4.0)))
                    .sum::<f64>()
                // A whisker through a label is as bad as a few letters under another.
                + 5.0
                    * whiskers
                        .iter()
                        .map(|&(l, r, wy)| overlap(rect, (l, wy - 1.0, r, wy + 1.0)))
                        .sum::<f64>()
                + 1000.0 * outside;
            if best.as_ref().is_none_or(|b| score < b.0) {
                best = Some((score, (lx, ly, anchor), rect));
            }
            if score == 0.0 {
                break;
            }
        }
        let (_, at, rect) = best.expect("candidates are not empty");
        placed.push(rect);
        out.push(at);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_chart, texts_of};
    use super::*;

    fn morris_frame() -> Frame {
        Frame::new(
            "fig-morris",
            "Morris screening of incidents",
            "Mean absolute elementary effect against its standard deviation.",
            "μ* (incidents per 1,000)",
            "σ (incidents per 1,000)",
        )
    }

    fn point(label: &str, x: f64, y: f64, half: f64) -> LabelledPoint {
        LabelledPoint {
            label: label.to_string(),
            x,
            y,
            x_low: x - half,
            x_high: x + half,
            named: true,
        }
    }

    fn morris() -> LabelledPoints {
        LabelledPoints {
            points: vec![
                point("residents.offence_propensity", 290.0, 94.0, 55.0),
                point("police.community_role_share", 34.0, 41.0, 18.0),
                point("liability.clarity", 24.0, 31.0, 12.0),
                point("logistics.level", 18.0, 23.0, 11.0),
                point("trust.contact_rate", 17.6, 24.8, 13.0),
                point("rights.authority_match", 15.0, 29.0, 15.0),
                LabelledPoint {
                    named: false,
                    ..point("hidden", 5.0, 5.0, f64::NAN)
                },
                point("nowhere", f64::NAN, 1.0, 1.0),
            ],
            diagonals: vec![(1.0, "σ = μ*".to_string())],
            whisker_label: "95% interval of μ*".to_string(),
        }
    }

    #[test]
    fn a_morris_plot_names_its_points_and_draws_their_whiskers() {
        let svg = labelled_points(&morris_frame(), &morris());
        let texts = check_chart(&svg, &morris_frame());
        let labels = texts_of(&texts, "point-label");
        assert_eq!(labels.len(), 6, "every named point, largest μ* first");
        assert_eq!(labels[0], "residents.offence_propensity");
        assert!(!labels.contains(&"hidden"));
        assert_eq!(svg.matches("class=\"ci-whisker\"").count(), 6);
        assert_eq!(svg.matches("class=\"point\"").count(), 7);
        assert_eq!(texts_of(&texts, "guide-label"), ["σ = μ*"]);
        assert_eq!(
            texts_of(&texts, "legend-item"),
            ["parameter", "95% interval of μ*", "1 other not named"]
        );
        assert!(svg.contains("1 point without finite values left out"));
    }

    #[test]
    fn labels_of_crowded_points_do_not_overlap_when_there_is_room() {
        let points: Vec<(f64, f64, &str)> = vec![
            (200.0, 200.0, "alpha.one"),
            (203.0, 202.0, "beta.two"),
            (198.0, 205.0, "gamma.three"),
            (205.0, 196.0, "delta.four"),
        ];
        let marks: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.1)).collect();
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: 600.0,
            h: 400.0,
        };
        let placed = place_labels(&points, &marks, &[], bounds);
        let rects: Vec<(f64, f64, f64, f64)> = placed
            .iter()
            .zip(&points)
            .map(|(&(x, y, anchor), p)| {
                let (l, r) = label_span(x, anchor, text_width(p.2, TICK_SIZE));
                (l, y - 9.0, r, y + 3.0)
            })
            .collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
        // At the right edge the label goes to the left of its point.
        let edge = place_labels(&[(590.0, 100.0, "long.parameter.name")], &[], &[], bounds);
        assert_eq!(edge[0].2, Anchor::End);
    }

    #[test]
    fn no_finite_point_says_no_data() {
        let chart = LabelledPoints {
            points: vec![point("a", f64::NAN, 1.0, 0.0)],
            diagonals: vec![],
            whisker_label: String::new(),
        };
        let texts = check_chart(&labelled_points(&morris_frame(), &chart), &morris_frame());
        assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(labelled_points(
            &morris_frame().size(520.0, 380.0),
            &morris()
        ));
    }
}
