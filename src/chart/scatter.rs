//! Scatter plots of a metric against a parameter (sampled sweep designs), with an
//! optional LOWESS trend, and the LOWESS smoother itself.
//!
//! A scatter may hold 10,000 runs, so it is written compactly: coordinates with one
//! decimal, one `<circle>` per point up to 2,000 points and beyond that one `<path>` of
//! small squares. Points without finite coordinates are left out and counted in the
//! description.

use super::draw::{
    Axis, LegendItem, Marker, Svg, Swatch, axis_lines, finite_range, legend, legend_rows,
    legend_top, no_data, standard_layout, x_axis, y_axis,
};
use super::ticks::{counted, num1, short_number};
use super::{Frame, WORSE_COLOUR};

/// Points, each optionally flagged, and whether to draw a LOWESS trend through them.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    /// (x, y) pairs; pairs with a non-finite coordinate are skipped.
    pub points: Vec<(f64, f64)>,
    /// Empty, or one flag per point: flagged points are drawn as vermillion crosses.
    pub flagged: Vec<bool>,
    /// Draws a LOWESS trend (f = 2/3, three robustness iterations).
    pub smooth: bool,
}

/// The colour of ordinary points.
const POINT_COLOUR: &str = "#0072B2";
/// The colour of the trend line.
const TREND_COLOUR: &str = "#000000";
/// Beyond this many points, points are squares in one path rather than circles.
const CIRCLES_UP_TO: usize = 2_000;
const FLAGGED: &str = "flagged as runaway";
const TREND: &str = "LOWESS trend";

/// A scatter plot: small semi-transparent blue points, flagged points as vermillion
/// crosses, and with `smooth` a black LOWESS trend; the legend names flags and trend
/// when present.
pub fn scatter(frame: &Frame, s: &Scatter) -> String {
    let finite: Vec<(f64, f64, bool)> = s
        .points
        .iter()
        .enumerate()
        .filter(|(_, (x, y))| x.is_finite() && y.is_finite())
        .map(|(i, &(x, y))| (x, y, s.flagged.get(i).copied().unwrap_or(false)))
        .collect();
    let Some((x_lo, x_hi)) = finite_range(finite.iter().map(|p| p.0)) else {
        return no_data(frame);
    };
    let trend = if s.smooth && finite.len() >= 3 && x_hi > x_lo {
        let xs: Vec<f64> = finite.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = finite.iter().map(|p| p.1).collect();
        // R's default shortcut: fit at points 1% of the x range apart.
        let (lo, hi) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        lowess_delta(&xs, &ys, 2.0 / 3.0, 3, 0.01 * (hi - lo))
    } else {
        Vec::new()
    };
    let (y_lo, y_hi) = finite_range(finite.iter().map(|p| p.1).chain(trend.iter().map(|t| t.1)))
        .unwrap_or((0.0, 0.0));
    let x = Axis::covering(x_lo, x_hi);
    let y = Axis::covering(y_lo, y_hi);

    let flagged = finite.iter().filter(|p| p.2).count();
    let mut items = Vec::new();
    if flagged > 0 {
        items.push(LegendItem {
            swatch: Swatch::Marker {
                marker: Marker::Cross,
                colour: WORSE_COLOUR.to_string(),
            },
            label: FLAGGED.to_string(),
        });
    }
    if !trend.is_empty() {
        items.push(LegendItem {
            swatch: Swatch::Line {
                colour: TREND_COLOUR.to_string(),
                dashed: false,
                band: false,
            },
            label: TREND.to_string(),
        });
    }
    let legend_width = frame.width() - 24.0;
    let (plot, height) = standard_layout(frame, &x, &y, legend_rows(&items, legend_width));

    let skipped = s.points.len() - finite.len();
    let mut summary = format!(
        "{}; x from {} to {}; y from {} to {}",
        counted(finite.len(), "point", "points"),
        short_number(x_lo),
        short_number(x_hi),
        short_number(finite.iter().map(|p| p.1).fold(f64::INFINITY, f64::min)),
        short_number(finite.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max)),
    );
    if flagged > 0 {
        summary.push_str(&format!("; {flagged} {FLAGGED}"));
    }
    if skipped > 0 {
        summary.push_str(&format!(
            "; {} without finite values left out",
            counted(skipped, "point", "points")
        ));
    }
    if !trend.is_empty() {
        summary.push_str("; with a LOWESS trend");
    }
    summary.push('.');

    let mut svg = Svg::begin(frame, frame.width(), height, &summary);
    x_axis(&mut svg, plot, &x, &frame.x_label);
    y_axis(&mut svg, plot, &y, &frame.y_label);
    let screen = |p: &(f64, f64, bool)| (x.x(p.0, plot), y.y(p.1, plot));
    let plain: Vec<(f64, f64)> = finite.iter().filter(|p| !p.2).map(screen).collect();
    if plain.len() <= CIRCLES_UP_TO {
        svg.push(&format!(
            "<g class=\"points\" fill=\"{POINT_COLOUR}\" fill-opacity=\"0.45\">\n"
        ));
        for (px, py) in &plain {
            svg.push(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\"/>\n",
                num1(*px),
                num1(*py)
            ));
        }
        svg.push("</g>\n");
    } else {
        let d: String = plain
            .iter()
            .map(|(px, py)| format!("M{} {}h2v2h-2z", num1(px - 1.0), num1(py - 1.0)))
            .collect();
        svg.push(&format!(
            "<path class=\"points\" d=\"{d}\" fill=\"{POINT_COLOUR}\" fill-opacity=\"0.45\"/>\n"
        ));
    }
    if flagged > 0 {
        let d: String = finite
            .iter()
            .filter(|p| p.2)
            .map(|p| {
                let (px, py) = screen(p);
                format!("M{} {}l6 6m0 -6l-6 6", num1(px - 3.0), num1(py - 3.0))
            })
            .collect();
        svg.push(&format!(
            "<path class=\"flagged\" d=\"{d}\" fill=\"none\" stroke=\"{WORSE_COLOUR}\" stroke-width=\"1.5\"/>\n"
        ));
    }
    if !trend.is_empty() {
        let steps: Vec<String> = trend
            .iter()
            .map(|(tx, ty)| format!("{} {}", num1(x.x(*tx, plot)), num1(y.y(*ty, plot))))
            .collect();
        svg.push(&format!(
            "<path class=\"trend\" d=\"M{}\" fill=\"none\" stroke=\"{TREND_COLOUR}\" stroke-width=\"2\" \
             stroke-linejoin=\"round\"/>\n",
            steps.join("L")
        ));
    }
    axis_lines(&mut svg, plot);
    legend(&mut svg, &items, 12.0, legend_top(plot), legend_width);
    svg.finish()
}

/// Tricube weight of a distance `u` in units of the neighbourhood's radius.
fn tricube(u: f64) -> f64 {
    if u < 1.0 {
        (1.0 - u * u * u).powi(3)
    } else {
        0.0
    }
}

/// Bisquare weight of a residual `u` in units of six median absolute residuals.
fn bisquare(u: f64) -> f64 {
    if u < 1.0 { (1.0 - u * u).powi(2) } else { 0.0 }
}

/// The LOWESS smoother (Cleveland 1979, "Robust locally weighted regression and
/// smoothing scatterplots", JASA 74:829–836): at each x, a straight line fitted by
/// weighted least squares to the nearest `f` fraction of the points (at least two),
/// weighted by the tricube of distance; then `iterations` robustness passes that
/// re-weight each point by the bisquare of its residual over six median absolute
/// residuals, so outliers lose their pull. Passes stop early once the fit is exact.
///
/// Returns the fitted value at every input x, sorted by x (ties in input order); pairs
/// with a non-finite coordinate are dropped, and extra values of the longer slice are
/// ignored. `f` is clamped to [0, 1] (NaN counts as 2/3, the usual default). The fit is
/// evaluated at every point (Cleveland's `delta` = 0), in O(n² f) time;
/// [`lowess_delta`] fits fewer points.
///
/// # Examples
/// ```
/// let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let ys = [3.0, 5.0, 7.0, 9.0, 11.0];
/// let fit = cogov::chart::lowess(&xs, &ys, 2.0 / 3.0, 2);
/// assert!((fit[2].1 - 7.0).abs() < 1e-12);
/// ```
pub fn lowess(xs: &[f64], ys: &[f64], f: f64, iterations: usize) -> Vec<(f64, f64)> {
    lowess_delta(xs, ys, f, iterations, 0.0)
}

/// [`lowess`] with Cleveland's (1979) shortcut `delta`: the local line is fitted only
/// at points more than `delta` (in x) beyond the last point fitted, and at the last
/// point; the points between get the straight line between the two fits. R's
/// `lowess` uses 1% of the x range, which keeps a smooth curve while fitting at most
/// about a hundred points a pass: O(n f / delta) instead of O(n² f).
pub fn lowess_delta(
    xs: &[f64],
    ys: &[f64],
    f: f64,
    iterations: usize,
    delta: f64,
) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = xs
        .iter()
        .zip(ys)
        .map(|(&x, &y)| (x, y))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = points.len();
    if n < 2 {
        return points;
    }
    let f = if f.is_nan() {
        2.0 / 3.0
    } else {
        f.clamp(0.0, 1.0)
    };
    let span = ((f * n as f64 + 1e-7).floor() as usize).clamp(2, n);
    let range = points[n - 1].0 - points[0].0;

    // The points the line is fitted at: the first, each more than `delta` beyond the
    // previous one fitted, and the last.
    let delta = if delta.is_finite() {
        delta.max(0.0)
    } else {
        0.0
    };
    let mut anchors = vec![0];
    for i in 1..n {
        if i == n - 1 || points[i].0 - points[anchors[anchors.len() - 1]].0 > delta {
            anchors.push(i);
        }
    }
    let mut robustness = vec![1.0; n];
    let mut fitted = vec![0.0; n];
    for pass in 0..=iterations {
        let mut left = 0;
        for &i in &anchors {
            let xi = points[i].0;
            // Slide the window of `span` nearest points while its far end is nearer.
            while left + span < n && points[left + span].0 - xi < xi - points[left].0 {
                left += 1;
            }
            let window = &points[left..left + span];
            let radius = (xi - window[0].0).max(window[span - 1].0 - xi);
            fitted[i] = local_line(window, &robustness[left..left + span], xi, radius, range)
                .unwrap_or(points[i].1);
        }
        for pair in anchors.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (xa, xb) = (points[a].0, points[b].0);
            for k in a + 1..b {
                let t = if xb > xa {
                    (points[k].0 - xa) / (xb - xa)
                } else {
                    0.0
                };
                fitted[k] = fitted[a] + t * (fitted[b] - fitted[a]);
            }
        }
        if pass == iterations {
            break;
        }
        let residuals: Vec<f64> = points
            .iter()
            .zip(&fitted)
            .map(|(p, fit)| (p.1 - fit).abs())
            .collect();
        let scale = 6.0 * median(&residuals);
        let mean = residuals.iter().sum::<f64>() / n as f64;
        if scale <= 1e-7 * mean {
            break;
        }
        for (weight, residual) in robustness.iter_mut().zip(&residuals) {
            *weight = bisquare(residual / scale);
        }
    }
    points
        .iter()
        .zip(fitted)
        .map(|(p, fit)| (p.0, fit))
        .collect()
}

/// The weighted least-squares line through `window` evaluated at `x`, with tricube
/// weights of distance over `radius` times `robustness`; a weighted mean when the
/// window's x values barely vary (relative to the data's `range`); `None` when every
/// weight is zero.
fn local_line(
    window: &[(f64, f64)],
    robustness: &[f64],
    x: f64,
    radius: f64,
    range: f64,
) -> Option<f64> {
    let weights: Vec<f64> = window
        .iter()
        .zip(robustness)
        .map(|(p, r)| {
            let distance = (p.0 - x).abs();
            let near = if radius > 0.0 {
                tricube(distance / radius)
            } else if distance == 0.0 {
                1.0
            } else {
                0.0
            };
            near * r
        })
        .collect();
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return None;
    }
    // Centred on x, the fitted value at x is the intercept.
    let mean_d = window
        .iter()
        .zip(&weights)
        .map(|(p, w)| w * (p.0 - x))
        .sum::<f64>()
        / total;
    let mean_y = window
        .iter()
        .zip(&weights)
        .map(|(p, w)| w * p.1)
        .sum::<f64>()
        / total;
    let spread = window
        .iter()
        .zip(&weights)
        .map(|(p, w)| w * (p.0 - x - mean_d).powi(2))
        .sum::<f64>();
    if (spread / total).sqrt() <= 1e-3 * range {
        return Some(mean_y);
    }
    let covariance = window
        .iter()
        .zip(&weights)
        .map(|(p, w)| w * (p.0 - x - mean_d) * p.1)
        .sum::<f64>();
    let slope = covariance / spread;
    Some(mean_y - slope * mean_d)
}

/// The median of `values` (not empty).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_chart, texts_of};
    use super::*;

    fn frame() -> Frame {
        Frame::new(
            "fig-scatter",
            "Incidents against patrol share",
            "One point per run of the sampled design.",
            "patrol share (fraction of officers on foot)",
            "incidents per 1,000 residents per year",
        )
    }

    /// A textbook LOWESS written independently: all distances sorted to find the
    /// radius, the 2 × 2 normal equations solved directly, no sliding window.
    fn reference(xs: &[f64], ys: &[f64], f: f64, iterations: usize) -> Vec<f64> {
        let n = xs.len();
        let span = ((f * n as f64).floor() as usize).clamp(2, n);
        let mut robust = vec![1.0; n];
        let mut fit = vec![0.0; n];
        for pass in 0..=iterations {
            for i in 0..n {
                let mut distances: Vec<f64> = xs.iter().map(|x| (x - xs[i]).abs()).collect();
                distances.sort_by(f64::total_cmp);
                let h = distances[span - 1];
                let (mut s, mut sx, mut sxx, mut sy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
                for j in 0..n {
                    let u = (xs[j] - xs[i]).abs() / h;
                    let w = if u < 1.0 {
                        (1.0 - u.powi(3)).powi(3)
                    } else {
                        0.0
                    } * robust[j];
                    s += w;
                    sx += w * xs[j];
                    sxx += w * xs[j] * xs[j];
                    sy += w * ys[j];
                    sxy += w * xs[j] * ys[j];
                }
                let b = (s * sxy - sx * sy) / (s * sxx - sx * sx);
                let a = (sy - b * sx) / s;
                fit[i] = a + b * xs[i];
            }
            if pass < iterations {
                let mut residuals: Vec<f64> = (0..n).map(|i| (ys[i] - fit[i]).abs()).collect();
                let absolute = residuals.clone();
                residuals.sort_by(f64::total_cmp);
                let median = if n % 2 == 1 {
                    residuals[n / 2]
                } else {
                    (residuals[n / 2 - 1] + residuals[n / 2]) / 2.0
                };
                for j in 0..n {
                    let u = absolute[j] / (6.0 * median);
                    robust[j] = if u < 1.0 { (1.0 - u * u).powi(2) } else { 0.0 };
                }
            }
        }
        fit
    }

    #[test]
    fn the_delta_shortcut_stays_close_to_the_full_fit() {
        // A smooth curve with noise: fitting at 1% steps and interpolating changes the
        // curve by far less than the noise.
        let xs: Vec<f64> = (0..600).map(|i| f64::from(i) / 6.0).collect();
        let ys: Vec<f64> = xs
            .iter()
            .enumerate()
            .map(|(i, x)| (x / 15.0).sin() * 10.0 + if i % 3 == 0 { 1.0 } else { -0.5 })
            .collect();
        let full = lowess(&xs, &ys, 0.3, 2);
        let quick = lowess_delta(&xs, &ys, 0.3, 2, 1.0);
        assert_eq!(full.len(), quick.len());
        let worst = full
            .iter()
            .zip(&quick)
            .map(|(a, b)| (a.1 - b.1).abs())
            .fold(0.0, f64::max);
        assert!(worst < 0.05, "{worst}");
        // Without robustness passes the fits agree exactly where the shortcut fitted
        // (the first point, the last, every 1.0 in x).
        let (plain, plain_quick) = (
            lowess(&xs, &ys, 0.3, 0),
            lowess_delta(&xs, &ys, 0.3, 0, 1.0),
        );
        assert_eq!(plain[0], plain_quick[0]);
        assert_eq!(plain[599], plain_quick[599]);
        // Delta 0 is the full fit.
        assert_eq!(lowess_delta(&xs, &ys, 0.3, 2, 0.0), full);
    }

    #[test]
    fn lowess_reproduces_a_straight_line() {
        let xs = [0.0, 0.5, 1.7, 2.0, 3.3, 4.1, 5.0, 6.2, 7.7, 8.0, 9.5, 12.0];
        let ys: Vec<f64> = xs.iter().map(|x| 3.0 * x - 2.0).collect();
        for iterations in [0, 3] {
            for f in [0.3, 2.0 / 3.0, 1.0] {
                for (x, fit) in lowess(&xs, &ys, f, iterations) {
                    assert!((fit - (3.0 * x - 2.0)).abs() < 1e-9, "f {f}: {x} -> {fit}");
                }
            }
        }
    }

    #[test]
    fn lowess_matches_an_independent_reference() {
        let xs = [
            1.0, 2.0, 3.0, 4.5, 5.0, 6.0, 7.5, 8.0, 9.0, 10.0, 11.5, 13.0, 14.0,
        ];
        let ys = [
            2.1, 3.9, 3.2, 6.8, 5.1, 7.4, 9.9, 8.2, 12.5, 10.1, 13.0, 18.7, 15.2,
        ];
        for (f, iterations) in [(2.0 / 3.0, 0), (0.5, 0), (2.0 / 3.0, 2), (0.4, 3)] {
            let got = lowess(&xs, &ys, f, iterations);
            let want = reference(&xs, &ys, f, iterations);
            for ((x, g), w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() < 1e-9,
                    "f {f}, {iterations} passes, x {x}: {g} vs {w}"
                );
            }
        }
        // A value worked by hand: f = 0.3 of 5 points is a window of 2 (clamped up),
        // so at x = 0 the neighbours are x = 0 (weight 1) and x = 1 (weight 0, at the
        // radius): the fit is the point itself.
        let fit = lowess(
            &[0.0, 1.0, 2.0, 3.0, 4.0],
            &[5.0, 1.0, 4.0, 1.0, 5.0],
            0.3,
            0,
        );
        assert_eq!(fit[0], (0.0, 5.0));
    }

    #[test]
    fn robustness_passes_discount_an_outlier() {
        let xs: Vec<f64> = (0..21).map(f64::from).collect();
        let mut ys = xs.clone();
        ys[10] = 60.0;
        let plain = lowess(&xs, &ys, 2.0 / 3.0, 0)[10].1;
        let robust = lowess(&xs, &ys, 2.0 / 3.0, 3)[10].1;
        assert!(
            (robust - 10.0).abs() < (plain - 10.0).abs(),
            "{robust} vs {plain}"
        );
        assert!((robust - 10.0).abs() < 0.5, "{robust}");
    }

    #[test]
    fn lowess_sorts_and_skips_non_finite_pairs() {
        let xs = [3.0, f64::NAN, 1.0, 2.0, 4.0];
        let ys = [3.0, 1.0, 1.0, f64::INFINITY, 4.0, 99.0];
        let fit = lowess(&xs, &ys, 1.0, 1);
        let at: Vec<f64> = fit.iter().map(|p| p.0).collect();
        assert_eq!(at, [1.0, 3.0, 4.0]);
        assert!(lowess(&[], &[], 0.5, 2).is_empty());
        assert_eq!(lowess(&[1.0], &[2.0], 0.5, 2), [(1.0, 2.0)]);
        // All x equal: the fit is the mean, not a division by zero.
        let flat = lowess(&[2.0, 2.0, 2.0], &[1.0, 2.0, 6.0], 1.0, 0);
        assert!(flat.iter().all(|p| (p.1 - 3.0).abs() < 1e-12), "{flat:?}");
    }

    fn small() -> Scatter {
        Scatter {
            points: vec![
                (0.1, 5.2),
                (0.2, 4.8),
                (0.3, 4.1),
                (0.35, f64::NAN),
                (0.4, 3.9),
                (0.5, 3.0),
                (0.6, 2.7),
                (0.7, 9.5),
                (0.8, 2.1),
            ],
            flagged: vec![false, false, false, false, false, false, false, true, false],
            smooth: true,
        }
    }

    #[test]
    fn a_scatter_keeps_the_promises() {
        let svg = scatter(&frame(), &small());
        let texts = check_chart(&svg, &frame());
        assert_eq!(texts_of(&texts, "legend-item"), [FLAGGED, TREND]);
        assert_eq!(
            svg.matches("<circle").count(),
            7,
            "the NaN and the flagged point are not dots"
        );
        assert!(svg.contains("; 1 point without finite values left out"));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let flagged = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("flagged"))
            .unwrap();
        assert_eq!(flagged.attribute("stroke"), Some(WORSE_COLOUR));
        let trend = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("trend"))
            .unwrap();
        assert_eq!(trend.attribute("d").unwrap().matches('L').count(), 7);
    }

    #[test]
    fn many_points_share_one_path_and_stay_small() {
        let points: Vec<(f64, f64)> = (0..10_000)
            .map(|i| {
                let x = i as f64 / 10_000.0;
                (x, (x * 37.0).sin() + x)
            })
            .collect();
        let s = Scatter {
            points,
            flagged: Vec::new(),
            smooth: true,
        };
        let svg = scatter(&frame(), &s);
        check_chart(&svg, &frame());
        assert_eq!(svg.matches("<circle").count(), 0);
        assert_eq!(svg.matches("class=\"points\"").count(), 1);
        assert!(svg.len() < 400_000, "{} bytes", svg.len());
    }

    #[test]
    fn no_finite_points_say_no_data() {
        for points in [vec![], vec![(f64::NAN, 1.0)]] {
            let s = Scatter {
                points,
                flagged: Vec::new(),
                smooth: true,
            };
            let texts = check_chart(&scatter(&frame(), &s), &frame());
            assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
        }
    }

    #[test]
    fn one_point_or_equal_values_draw_without_a_trend() {
        let s = Scatter {
            points: vec![(1.0, 2.0), (1.0, 2.0)],
            flagged: Vec::new(),
            smooth: true,
        };
        let svg = scatter(&frame(), &s);
        check_chart(&svg, &frame());
        assert!(!svg.contains("class=\"trend\"") && !svg.contains("NaN"));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(scatter(&frame().size(480.0, 300.0), &small()));
    }
}
