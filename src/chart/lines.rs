//! Lines with 95% bands: a metric over time for the baseline and each reform, or a
//! metric along a one-parameter sweep. Each series is a line through its means over a
//! pale band from its lower to its upper confidence limit.
//!
//! Gaps are honest: a NaN mean breaks the line and a NaN limit breaks the band, so a
//! missing value is never drawn as zero or bridged. A band of one point, which has no
//! area, is drawn as a whisker instead, so a given interval is never dropped.

use super::draw::{
    Anchor, Axis, INK, LEGEND_SIZE, LegendItem, Marker, Rect, Svg, Swatch, axis_lines,
    finite_range, legend, legend_rows, legend_top, no_data, standard_layout, text_width, x_axis,
    y_axis,
};
use super::ticks::{counted, num, short_number};
use super::{Frame, OKABE_ITO, escape};

/// One point of a series: the mean and its 95% confidence limits at `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    pub x: f64,
    /// NaN leaves a gap in the line.
    pub mean: f64,
    /// NaN (here or in `high`) leaves a gap in the band.
    pub low: f64,
    pub high: f64,
    /// Marks the point as a runaway with an open circle.
    pub flagged: bool,
}

impl BandPoint {
    /// An unflagged point.
    pub fn new(x: f64, mean: f64, low: f64, high: f64) -> BandPoint {
        BandPoint {
            x,
            mean,
            low,
            high,
            flagged: false,
        }
    }

    fn has_mean(&self) -> bool {
        self.x.is_finite() && self.mean.is_finite()
    }

    fn has_band(&self) -> bool {
        self.x.is_finite() && self.low.is_finite() && self.high.is_finite()
    }
}

/// One named series, its points in x order; `dashed` draws its line dashed (for a
/// baseline, say), a second cue beside colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub name: String,
    pub points: Vec<BandPoint>,
    pub dashed: bool,
}

/// The legend label of flagged points.
const FLAGGED: &str = "flagged as runaway";
/// The colour of vertical marks and their labels.
const MARK_COLOUR: &str = "#555555";

/// Lines with 95% bands, one per entry of `bands` (series `i` in `OKABE_ITO[i % 8]`),
/// with a legend of their names below the plot. `marks` are labelled vertical dashed
/// lines at given x positions (the end of warm-up, a runaway threshold); flagged points
/// get an open-circle marker and a legend entry. Points without a finite x are skipped.
pub fn lines(frame: &Frame, bands: &[Band], marks: &[(f64, String)]) -> String {
    let points = || bands.iter().flat_map(|b| &b.points);
    let drawn = || points().filter(|p| p.has_mean() || p.has_band());
    let x_range = finite_range(drawn().map(|p| p.x).chain(marks.iter().map(|m| m.0)));
    let y_range = finite_range(drawn().flat_map(|p| [p.mean, p.low, p.high]));
    let (Some((x_lo, x_hi)), Some((y_lo, y_hi))) = (x_range, y_range) else {
        return no_data(frame);
    };
    let x = Axis::covering(x_lo, x_hi);
    let y = Axis::covering(y_lo, y_hi);

    let mut items: Vec<LegendItem> = bands
        .iter()
        .enumerate()
        .map(|(i, band)| LegendItem {
            swatch: Swatch::Line {
                colour: colour(i).to_string(),
                dashed: band.dashed,
                band: band.points.iter().any(BandPoint::has_band),
            },
            label: band.name.clone(),
        })
        .collect();
    let any_flagged = points().any(|p| p.flagged && p.has_mean());
    if any_flagged {
        items.push(LegendItem {
            swatch: Swatch::Marker {
                marker: Marker::Ring,
                colour: INK.to_string(),
            },
            label: FLAGGED.to_string(),
        });
    }
    let legend_width = frame.width() - 24.0;
    let (plot, height) = standard_layout(frame, &x, &y, legend_rows(&items, legend_width));

    let flagged = points().filter(|p| p.flagged && p.has_mean()).count();
    let summary = format!(
        "{} series; x from {} to {}; values from {} to {}{}.",
        bands.len(),
        short_number(x_lo),
        short_number(x_hi),
        short_number(y_lo),
        short_number(y_hi),
        if flagged > 0 {
            format!("; {} {FLAGGED}", counted(flagged, "point", "points"))
        } else {
            String::new()
        }
    );
    let mut svg = Svg::begin(frame, frame.width(), height, &summary);
    x_axis(&mut svg, plot, &x, &frame.x_label);
    y_axis(&mut svg, plot, &y, &frame.y_label);
    for (i, band) in bands.iter().enumerate() {
        series(&mut svg, plot, &x, &y, i, band);
    }
    for (at, label) in marks.iter().filter(|m| m.0.is_finite()) {
        mark(&mut svg, plot, x.x(*at, plot), label);
    }
    axis_lines(&mut svg, plot);
    legend(&mut svg, &items, 12.0, legend_top(plot), legend_width);
    svg.finish()
}

fn colour(series: usize) -> &'static str {
    OKABE_ITO[series % OKABE_ITO.len()]
}

/// Runs of consecutive points that pass `keep`.
fn runs(points: &[BandPoint], keep: impl Fn(&BandPoint) -> bool) -> Vec<&[BandPoint]> {
    points
        .split(|p| !keep(p))
        .filter(|run| !run.is_empty())
        .collect()
}

/// One series: its band, whiskers for lone band points, its line, lone means as dots,
/// and flagged points.
fn series(svg: &mut Svg, plot: Rect, x: &Axis, y: &Axis, index: usize, band: &Band) {
    let colour = colour(index);
    let at = |p: &BandPoint, v: f64| format!("{} {}", num(x.x(p.x, plot)), num(y.y(v, plot)));
    svg.push(&format!("<g class=\"series series-{index}\">\n"));

    let band_runs = runs(&band.points, BandPoint::has_band);
    let mut area = String::new();
    for run in band_runs.iter().filter(|r| r.len() > 1) {
        let upper: Vec<String> = run.iter().map(|p| at(p, p.high)).collect();
        let lower: Vec<String> = run.iter().rev().map(|p| at(p, p.low)).collect();
        area.push_str(&format!("M{}L{}Z", upper.join("L"), lower.join("L")));
    }
    if !area.is_empty() {
        svg.push(&format!(
            "<path class=\"ci-band\" d=\"{area}\" fill=\"{colour}\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
        ));
    }
    for p in band_runs.iter().filter(|r| r.len() == 1).map(|r| &r[0]) {
        let px = x.x(p.x, plot);
        svg.line(
            "ci-whisker",
            px,
            y.y(p.low, plot),
            px,
            y.y(p.high, plot),
            colour,
            " stroke-width=\"1.5\" stroke-opacity=\"0.6\"",
        );
    }

    let mean_runs = runs(&band.points, BandPoint::has_mean);
    let path: String = mean_runs
        .iter()
        .filter(|r| r.len() > 1)
        .map(|run| {
            let steps: Vec<String> = run.iter().map(|p| at(p, p.mean)).collect();
            format!("M{}", steps.join("L"))
        })
        .collect();
    if !path.is_empty() {
        let dash = if band.dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        svg.push(&format!(
            "<path class=\"series-line\" d=\"{path}\" fill=\"none\" stroke=\"{colour}\" \
             stroke-width=\"2\" stroke-linejoin=\"round\"{dash}/>\n"
        ));
    }
    for p in mean_runs.iter().filter(|r| r.len() == 1).map(|r| &r[0]) {
        svg.push(&Marker::Dot.svg("mean-point", x.x(p.x, plot), y.y(p.mean, plot), 2.5, colour));
    }
    for p in band.points.iter().filter(|p| p.flagged && p.has_mean()) {
        svg.push(&Marker::Ring.svg("flagged", x.x(p.x, plot), y.y(p.mean, plot), 4.0, colour));
    }
    svg.push("</g>\n");
}

/// A labelled vertical dashed line at screen x `at`; the label sits at the top of the
/// plot, right of the line, or left of it near the right edge.
fn mark(svg: &mut Svg, plot: Rect, at: f64, label: &str) {
    svg.push("<g class=\"mark\">\n");
    svg.line(
        "mark-line",
        at,
        plot.y,
        at,
        plot.bottom(),
        MARK_COLOUR,
        " stroke-dasharray=\"4 3\"",
    );
    if !label.is_empty() {
        let fits_right = at + 4.0 + text_width(label, LEGEND_SIZE) <= plot.right();
        let (x, anchor) = if fits_right {
            (at + 4.0, Anchor::Start)
        } else {
            (at - 4.0, Anchor::End)
        };
        svg.push(&format!(
            "<text class=\"mark-label\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" \
             fill=\"{MARK_COLOUR}\">{}</text>\n",
            num(x),
            num(plot.y + 12.0),
            anchor.as_str(),
            num(LEGEND_SIZE),
            escape(label)
        ));
    }
    svg.push("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_chart, texts_of};
    use super::*;

    fn frame() -> Frame {
        Frame::new(
            "fig-lines",
            "Incidents over time",
            "Daily incidents for the baseline and one reform.",
            "day",
            "incidents per 1,000 residents per year",
        )
    }

    fn band(name: &str, means: &[f64], dashed: bool) -> Band {
        Band {
            name: name.to_string(),
            points: means
                .iter()
                .enumerate()
                .map(|(i, &m)| BandPoint::new(i as f64 * 10.0, m, m - 0.5, m + 0.5))
                .collect(),
            dashed,
        }
    }

    fn paths_of_class(svg: &str, class: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .map(|n| n.attribute("d").unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn a_chart_keeps_the_promises() {
        let bands = [
            band("baseline", &[3.0, 3.5, 4.0, 3.8], true),
            band("reform", &[3.0, 2.5, 2.0, 2.2], false),
        ];
        let svg = lines(&frame(), &bands, &[(15.0, "end of warm-up".to_string())]);
        let texts = check_chart(&svg, &frame());
        assert_eq!(texts_of(&texts, "legend-item"), ["baseline", "reform"]);
        assert_eq!(texts_of(&texts, "mark-label"), ["end of warm-up"]);
        assert_eq!(paths_of_class(&svg, "ci-band").len(), 2);
        assert!(svg.contains(&format!("fill=\"{}\" fill-opacity=\"0.2\"", OKABE_ITO[1])));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        // x covers 0..30, y the band from 1.5 to 4.5.
        assert_eq!(
            texts_of(&texts, "tick"),
            ["0", "10", "20", "30", "1", "2", "3", "4", "5"]
        );
    }

    #[test]
    fn a_nan_mean_splits_the_line_and_a_nan_limit_splits_the_band() {
        let mut b = band("reform", &[1.0, 2.0, f64::NAN, 2.0, 3.0], false);
        b.points[3].low = f64::NAN;
        let svg = lines(&frame(), &[b], &[]);
        check_chart(&svg, &frame());
        let line = &paths_of_class(&svg, "series-line")[0];
        assert_eq!(line.matches('M').count(), 2, "{line}");
        // The band runs are points 0..=2 and 4; the lone point 4 becomes a whisker.
        let area = &paths_of_class(&svg, "ci-band")[0];
        assert_eq!(area.matches('M').count(), 1, "{area}");
        assert_eq!(svg.matches("class=\"ci-whisker\"").count(), 1);
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn a_lone_mean_is_a_dot_and_flagged_points_get_a_legend_entry() {
        let mut b = band("reform", &[1.0, f64::NAN, 2.0, f64::NAN, 3.0, 3.5], false);
        b.points[5].flagged = true;
        let svg = lines(&frame(), &[b], &[]);
        let texts = check_chart(&svg, &frame());
        assert_eq!(svg.matches("class=\"mean-point\"").count(), 2);
        assert_eq!(svg.matches("class=\"flagged\"").count(), 1);
        assert_eq!(texts_of(&texts, "legend-item"), ["reform", FLAGGED]);
    }

    #[test]
    fn a_title_too_long_for_the_chart_shrinks_then_squeezes_to_fit() {
        let long = "mean response time over liability.clarity and channels.count, with a long tail of words that goes on and on";
        let title_tag = |svg: &str| {
            let at = svg.find("class=\"chart-title\"").unwrap();
            svg[at..at + svg[at..].find('>').unwrap()].to_string()
        };
        let small = Frame::new("t", long, "alt text for the chart", "x", "y").size(480.0, 300.0);
        let tag = title_tag(&lines(&small, &[band("a", &[1.0, 2.0], false)], &[]));
        assert!(tag.contains("font-size=\"9\""), "{tag}");
        assert!(tag.contains("textLength=\"456\""), "{tag}");
        let wide = Frame::new("t", "Short title", "alt text for the chart", "x", "y");
        let tag = title_tag(&lines(&wide, &[band("a", &[1.0, 2.0], false)], &[]));
        assert!(
            tag.contains("font-size=\"14\"") && !tag.contains("textLength"),
            "{tag}"
        );
    }

    #[test]
    fn empty_or_all_nan_input_says_no_data() {
        for bands in [vec![], vec![band("x", &[f64::NAN, f64::NAN], false)]] {
            let svg = lines(&frame(), &bands, &[]);
            let texts = check_chart(&svg, &frame());
            assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
        }
    }

    #[test]
    fn all_equal_values_get_a_padded_domain() {
        let b = Band {
            name: "flat".to_string(),
            points: vec![BandPoint::new(1.0, 5.0, 5.0, 5.0); 3],
            dashed: false,
        };
        let svg = lines(&frame(), &[b], &[]);
        check_chart(&svg, &frame());
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn snapshot() {
        let mut reform = band("community policing", &[4.0, 3.6, 3.1, 2.9], false);
        reform.points[3].flagged = true;
        let bands = [band("baseline", &[4.0, 4.1, 3.9, 4.2], true), reform];
        let frame = frame().size(480.0, 300.0);
        insta::assert_snapshot!(lines(&frame, &bands, &[(10.0, "warm-up ends".to_string())]));
    }
}
