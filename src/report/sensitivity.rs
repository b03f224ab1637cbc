//! The sensitivity section of a sweep's report: which parameters move each key
//! metric, from the `sensitivity.csv` that `cogov analyse` (and every sweep, when it
//! finishes) writes beside the results.
//!
//! - **Sobol** designs: for each key metric, the first-order (S1) and total (ST)
//!   index of each parameter side by side as bars with their 95% bootstrap
//!   intervals, parameters ranked by ST;
//! - **Latin hypercube, random or grid** designs: PRCC and SRC bars with their 95%
//!   intervals, ranked by |PRCC|, R² in the caption;
//! - **Morris** designs: the Morris plot, μ* against σ with each parameter named and
//!   the 95% interval of μ* as a horizontal whisker (Campolongo, Cariboni and
//!   Saltelli 2007).
//!
//! Each caption gives the method, the groups the estimate used (the file's `n`), the
//! share of the variance that is replication noise and what it does to the indices.
//! A missing or unreadable file gives no section: an older directory keeps its report.
//! Nothing here computes an index; the file is read as written.

use super::read::{Results, column_positions, rows_if_present};
use super::words::{label, number, percent};
use super::{Builder, page};
use crate::chart::{self, Bar, BarRow, Bars, Frame, LabelledPoint, LabelledPoints};
use crate::output::layout::parse_number;
use crate::schema::metrics::MetricDef;

/// The file `cogov analyse` writes, under this name (the analysis layer, above the
/// report, re-exports it).
pub const SENSITIVITY_FILE: &str = "sensitivity.csv";

/// At most this many parameters get a bar (the highest ranked); the file has all.
const MAX_BARS: usize = 15;
/// At most this many parameters are named in a Morris plot (the largest μ*).
const MAX_NAMED: usize = 12;

/// One row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub metric: String,
    /// Empty for a metric-wide figure (R², the noise share).
    pub parameter: String,
    pub index: String,
    pub value: f64,
    /// NaN when the method gives no interval.
    pub low: f64,
    pub high: f64,
    /// A second-order index's second parameter, else empty.
    pub parameter2: String,
    /// The groups the estimate used: base rows, trajectories or points.
    pub n: u64,
}

/// The columns of `sensitivity.csv`, in order (the analysis writes them, the report
/// reads them by name).
pub const SENSITIVITY_COLUMNS: [&str; 8] = [
    "metric",
    "parameter",
    "index",
    "value",
    "ci95_low",
    "ci95_high",
    "parameter2",
    "n",
];

/// The rows of `sensitivity.csv`; `None` when the directory has none, or the file
/// cannot be read (a section from half a file would mislead).
pub fn read(results: &Results) -> Option<Vec<IndexRow>> {
    let mut out = Vec::new();
    let mut at: Vec<usize> = Vec::new();
    let found = rows_if_present(&results.file(SENSITIVITY_FILE), |header, f| {
        if at.is_empty() {
            at = column_positions(header, SENSITIVITY_COLUMNS.into_iter())
                .into_iter()
                .collect::<Option<Vec<usize>>>()?;
        }
        out.push(IndexRow {
            metric: f[at[0]].clone(),
            parameter: f[at[1]].clone(),
            index: f[at[2]].clone(),
            value: parse_number(&f[at[3]])?,
            low: parse_number(&f[at[4]])?,
            high: parse_number(&f[at[5]])?,
            parameter2: f[at[6]].clone(),
            n: f[at[7]].parse().ok()?,
        });
        Some(())
    });
    match found {
        Ok(Some(_)) if !out.is_empty() => Some(out),
        _ => None,
    }
}

/// The estimator the file's indices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Sobol,
    Morris,
    Regression,
}

impl Method {
    /// The method of `rows`, from the indices they hold.
    pub fn of(rows: &[IndexRow]) -> Option<Method> {
        let has = |name: &str| rows.iter().any(|r| r.index == name);
        if has("ST") || has("S1") {
            Some(Method::Sobol)
        } else if has("mu_star") {
            Some(Method::Morris)
        } else if has("PRCC") || has("SRC") {
            Some(Method::Regression)
        } else {
            None
        }
    }

    /// What the estimator reads as one unit.
    fn groups(self) -> &'static str {
        match self {
            Method::Sobol => "base rows",
            Method::Morris => "trajectories",
            Method::Regression => "points",
        }
    }

    /// The index parameters are ranked by (by absolute value).
    fn ranking(self) -> &'static str {
        match self {
            Method::Sobol => "ST",
            Method::Morris => "mu_star",
            Method::Regression => "PRCC",
        }
    }
}

/// One metric's rows.
struct MetricRows<'a> {
    rows: Vec<&'a IndexRow>,
}

impl<'a> MetricRows<'a> {
    /// The index `kind` of `parameter`.
    fn find(&self, kind: &str, parameter: &str) -> Option<&'a IndexRow> {
        self.rows
            .iter()
            .copied()
            .find(|r| r.index == kind && r.parameter == parameter && r.parameter2.is_empty())
    }

    /// A metric-wide figure (R², the noise share).
    fn metric_wide(&self, kind: &str) -> Option<f64> {
        self.rows
            .iter()
            .find(|r| r.index == kind && r.parameter.is_empty())
            .map(|r| r.value)
    }

    /// The groups the parameters' estimates used (the largest `n`, should they
    /// differ); metric-wide rows count otherwise (the noise share counts points).
    fn groups(&self) -> u64 {
        self.rows
            .iter()
            .filter(|r| !r.parameter.is_empty())
            .map(|r| r.n)
            .max()
            .unwrap_or(0)
    }

    /// The parameters, ranked by |`kind`|, largest first (no value: last), ties in
    /// file order.
    fn ranked(&self, kind: &str) -> Vec<&'a str> {
        let mut names: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !r.parameter.is_empty() && r.parameter2.is_empty() && !names.contains(&&*r.parameter)
            {
                names.push(&r.parameter);
            }
        }
        let key = |p: &str| {
            self.find(kind, p)
                .map(|r| r.value.abs())
                .filter(|v| v.is_finite())
                .unwrap_or(f64::NEG_INFINITY)
        };
        names.sort_by(|a, b| key(b).total_cmp(&key(a)));
        names
    }
}

/// An index with two decimals; "NA" when undefined.
fn index_number(x: f64) -> String {
    if x.is_finite() {
        let text = format!("{x:.2}");
        if text == "-0.00" { "0.00".into() } else { text }
    } else {
        "NA".to_string()
    }
}

/// "0.42 (0.31 to 0.55)", or the value alone without an interval.
fn with_interval(r: &IndexRow, format: fn(f64) -> String) -> String {
    if r.low.is_finite() && r.high.is_finite() {
        format!(
            "{} ({} to {})",
            format(r.value),
            format(r.low),
            format(r.high)
        )
    } else {
        format(r.value)
    }
}

fn bar(r: Option<&IndexRow>) -> Bar {
    match r {
        Some(r) => Bar {
            value: r.value,
            low: r.low,
            high: r.high,
            note: with_interval(r, index_number),
        },
        None => Bar {
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            note: String::new(),
        },
    }
}

/// The design's groups, when the manifest records them: a Sobol or Morris design's
/// samples, a regression design's points.
fn design_groups(results: &Results, method: Method) -> Option<u64> {
    match method {
        Method::Regression => Some(results.labels.len() as u64),
        Method::Sobol => results.manifest["sweep"]["settings"]["samples"].as_u64(),
        Method::Morris => results.manifest["sweep"]["settings"]["trajectories"].as_u64(),
    }
}

/// "32 of 32 base rows": the groups used, of the design's.
fn groups_used(results: &Results, method: Method, used: u64) -> String {
    match design_groups(results, method) {
        Some(all) => format!("{used} of {all} {}", method.groups()),
        None => format!("{used} {}", method.groups()),
    }
}

/// The sentence on replication noise for `method`.
fn noise_sentence(method: Method, share: Option<f64>) -> String {
    let Some(share) = share.filter(|s| s.is_finite()) else {
        return "The replication noise could not be estimated (one replication per point)."
            .to_string();
    };
    let p = percent(share);
    let more = if share > 0.5 {
        " With so much noise the indices say little: more replications per point would sharpen them."
    } else {
        ""
    };
    let sentence = match method {
        Method::Sobol => format!(
            "Replication noise is {p} of the variance of the point means: it biases S1 down and ST up by up to that share."
        ),
        Method::Regression => format!(
            "Replication noise is {p} of the variance of the point means: no parameter can explain it, so it lowers R² by up to that share and pulls SRC and PRCC towards zero."
        ),
        Method::Morris => format!(
            "Replication noise is {p} of the variance of the point means: it adds to every elementary effect, so it inflates μ* and σ of the parameters that do little, by up to that share of the variance."
        ),
    };
    format!("{sentence}{more}")
}

/// Adds the sensitivity section when the directory has a readable `sensitivity.csv`
/// with indices of a key metric; otherwise nothing.
pub(super) fn build(results: &Results, b: &mut Builder) {
    let Some(rows) = read(results) else {
        return;
    };
    let Some(method) = Method::of(&rows) else {
        return;
    };
    let defs = results.model.metrics();
    let key = results.model.key_metrics();
    let scale = bar_scale(
        method,
        &rows,
        &key.iter().map(|&m| defs[m].name).collect::<Vec<_>>(),
    );
    let mut figures = String::new();
    let mut missing: Vec<String> = Vec::new();
    for &m in &key {
        let def = &defs[m];
        let metric = MetricRows {
            rows: rows.iter().filter(|r| r.metric == def.name).collect(),
        };
        let ranked = metric.ranked(method.ranking());
        if ranked.is_empty() || metric.find(method.ranking(), ranked[0]).is_none() {
            missing.push(format!("<code>{}</code>", def.name));
            continue;
        }
        figures.push_str(&match method {
            Method::Sobol | Method::Regression => {
                bars_figure(results, b, method, def, &metric, &ranked, scale)
            }
            Method::Morris => morris_figure(results, b, def, &metric, &ranked),
        });
    }
    if figures.is_empty() {
        return;
    }
    let (heading, intro) = match method {
        Method::Sobol => (
            "Which parameters matter: Sobol indices",
            "Variance-based sensitivity (Sobol 2001; Saltelli et al. 2010): S1, the share of the variance of the metric's point means that a parameter explains alone, and ST, its share including every interaction with the others (Jansen 1999), each with a 95% bootstrap interval. ST well above S1 means the parameter acts through interactions; an ST near zero means it can be fixed anywhere in its range. Parameters are ranked by ST.",
        ),
        Method::Regression => (
            "Which parameters matter: rank correlations and regression",
            "PRCC, the partial rank correlation of each parameter with the metric's point means after removing the others' monotonic effects (Marino et al. 2008; 95% Fisher intervals), and SRC, the standardised regression coefficient of a linear model of the point means (95% t intervals), whose squares add up to R² when the parameters are independent. PRCC measures monotonic influence whatever the shape; SRC only what a straight line captures, so read it with R². Parameters are ranked by |PRCC|.",
        ),
        Method::Morris => (
            "Which parameters matter: Morris screening",
            "Elementary effects (Morris 1991): the change in the metric when one parameter moves across its range (per whole range of the parameter), in each trajectory. μ* (x), the mean absolute effect, ranks the parameters by influence (Campolongo et al. 2007), with a 95% bootstrap interval as a whisker; σ (y), the effects' standard deviation, says how much a parameter's effect depends on where the others are (interactions or curvature). Points near zero on both axes can be fixed; points above the dashed line σ = μ* act mostly through interactions or nonlinearity.",
        ),
    };
    let mut html = page::paragraph(
        "note",
        &format!(
            "{intro} Groups of design points with a failed run or a run flagged as a runaway are left out (each caption gives the groups used); sensitivity.csv has every metric, and `cogov analyse DIR` recomputes it with other settings."
        ),
    );
    // Bars need the page's width (labels, bars and numbers side by side); Morris
    // plots read well two to a row.
    html.push_str(&match method {
        Method::Morris => format!(
            "<div class=\"panel\" style=\"grid-template-columns: repeat(auto-fill, minmax(460px, 1fr))\">\n{figures}</div>\n"
        ),
        _ => figures,
    });
    if !missing.is_empty() {
        html.push_str(&format!(
            "<p class=\"note\">No indices for {}: too few usable groups, or the metric did not vary (sensitivity.csv and <code>cogov analyse</code> say which).</p>\n",
            missing.join(", ")
        ));
    }
    b.page.section("sensitivity", heading, html);
}

/// The two indices a bar chart shows for `method`.
fn bar_kinds(method: Method) -> [&'static str; 2] {
    match method {
        Method::Sobol => ["S1", "ST"],
        _ => ["PRCC", "SRC"],
    }
}

/// One x axis for every bar chart of the section: the indices' own range (0 to 1
/// for Sobol, -1 to 1 for coefficients), widened to halves to hold every estimate of
/// the `metrics` (noise can put an ST above 1 or an S1 below 0), so charts compare at
/// a glance and no bar is cut.
fn bar_scale(method: Method, rows: &[IndexRow], metrics: &[&str]) -> (f64, f64) {
    let kinds = bar_kinds(method);
    let start: (f64, f64) = match method {
        Method::Sobol => (0.0, 1.0),
        _ => (-1.0, 1.0),
    };
    let (lo, hi) = rows
        .iter()
        .filter(|r| kinds.contains(&r.index.as_str()) && metrics.contains(&r.metric.as_str()))
        .map(|r| r.value)
        .filter(|v| v.is_finite())
        .fold(start, |(lo, hi), v| (lo.min(v), hi.max(v)));
    ((2.0 * lo).floor() / 2.0, (2.0 * hi).ceil() / 2.0)
}

/// S1 and ST, or PRCC and SRC, of the highest-ranked parameters of one metric.
fn bars_figure(
    results: &Results,
    b: &mut Builder,
    method: Method,
    def: &MetricDef,
    metric: &MetricRows,
    ranked: &[&str],
    scale: (f64, f64),
) -> String {
    let kinds = bar_kinds(method);
    let shown = &ranked[..ranked.len().min(MAX_BARS)];
    let chart = Bars {
        series: kinds.iter().map(|k| k.to_string()).collect(),
        rows: shown
            .iter()
            .map(|p| BarRow {
                label: p.to_string(),
                bars: kinds.iter().map(|k| bar(metric.find(k, p))).collect(),
            })
            .collect(),
        domain: Some(scale),
    };
    let name = format!("sensitivity-{}", def.name);
    let (title, x_label, what) = match method {
        Method::Sobol => (
            format!("{}: Sobol indices", label(def)),
            "Sobol index (share of variance)",
            "first-order (S1) and total (ST) Sobol indices",
        ),
        _ => (
            format!("{}: PRCC and SRC", label(def)),
            "coefficient (-1 to 1)",
            "partial rank correlation (PRCC) and standardised regression coefficient (SRC)",
        ),
    };
    let frame = Frame::new(
        &name,
        &title,
        format!(
            "Bar chart of the {what} of each parameter for {} ({}), with 95% intervals, ranked by {}.",
            def.name,
            def.unit,
            if method == Method::Sobol {
                "ST"
            } else {
                "|PRCC|"
            }
        ),
        x_label,
        "parameter",
    )
    .size(820.0, 0.0);
    let svg = chart::bars(&frame, &chart);
    let mut caption = format!(
        "{}: {what} with 95% {} intervals, from {} × {} replications. ",
        label(def),
        if method == Method::Sobol {
            "bootstrap"
        } else {
            "t (SRC) and Fisher (PRCC)"
        },
        groups_used(results, method, metric.groups()),
        results.replications
    );
    if ranked.len() > shown.len() {
        caption.push_str(&format!(
            "The {} of {} parameters ranked highest. ",
            shown.len(),
            ranked.len()
        ));
    }
    if method == Method::Regression {
        if let Some(r2) = metric.metric_wide("R2").filter(|r| r.is_finite()) {
            caption.push_str(&format!(
                "R² = {}: a linear model of the parameters explains {} of the variance of the point means{}. ",
                index_number(r2),
                percent(r2),
                if r2 < 0.7 {
                    ", too little for SRC to rank them (PRCC still can)"
                } else {
                    ""
                }
            ));
        }
    } else if let Some(s2) = largest_s2(metric) {
        caption.push_str(&format!(
            "Largest second-order index: {} × {}, S2 = {}. ",
            s2.parameter,
            s2.parameter2,
            with_interval(s2, index_number)
        ));
    }
    caption.push_str(&noise_sentence(method, metric.metric_wide("noise_share")));
    b.figure(&name, svg, &caption)
}

/// The second-order index with the largest value, if the file has any.
fn largest_s2<'a>(metric: &MetricRows<'a>) -> Option<&'a IndexRow> {
    metric
        .rows
        .iter()
        .copied()
        .filter(|r| r.index == "S2" && r.value.is_finite())
        .max_by(|a, b| a.value.total_cmp(&b.value))
}

/// The Morris plot of one metric: μ* against σ, each parameter named.
fn morris_figure(
    results: &Results,
    b: &mut Builder,
    def: &MetricDef,
    metric: &MetricRows,
    ranked: &[&str],
) -> String {
    let points: Vec<LabelledPoint> = ranked
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let star = metric.find("mu_star", p);
            let value = |r: Option<&IndexRow>, f: fn(&IndexRow) -> f64| r.map_or(f64::NAN, f);
            LabelledPoint {
                label: p.to_string(),
                x: value(star, |r| r.value),
                y: value(metric.find("sigma", p), |r| r.value),
                x_low: value(star, |r| r.low),
                x_high: value(star, |r| r.high),
                named: i < MAX_NAMED,
            }
        })
        .collect();
    let name = format!("sensitivity-{}", def.name);
    let title = format!("{}: Morris screening", label(def));
    let frame = Frame::new(
        &name,
        &title,
        format!(
            "Morris plot for {} ({}): each parameter's mean absolute elementary effect μ* (x, with its 95% interval) against the effects' standard deviation σ (y).",
            def.name, def.unit
        ),
        format!("μ*, mean |effect| ({})", def.unit),
        format!("σ of the effects ({})", def.unit),
    )
    .size(520.0, 400.0);
    let chart = LabelledPoints {
        points,
        diagonals: vec![(1.0, "σ = μ*".to_string())],
        whisker_label: "95% interval of μ*".to_string(),
    };
    let svg = chart::labelled_points(&frame, &chart);
    let top: Vec<String> = ranked
        .iter()
        .take(3)
        .filter_map(|p| {
            let star = metric.find("mu_star", p)?;
            Some(if star.low.is_finite() && star.high.is_finite() {
                format!(
                    "{p} ({}, 95% CI {} to {})",
                    number(star.value),
                    number(star.low),
                    number(star.high)
                )
            } else {
                format!("{p} ({})", number(star.value))
            })
        })
        .collect();
    let mut caption = format!(
        "{}: Morris elementary effects from {} × {} replications; effects in {} per whole range of the parameter. Largest μ*: {}. ",
        label(def),
        groups_used(results, Method::Morris, metric.groups()),
        results.replications,
        def.unit,
        top.join("; ")
    );
    if ranked.len() > MAX_NAMED {
        caption.push_str(&format!(
            "The {MAX_NAMED} largest of {} parameters are named. ",
            ranked.len()
        ));
    }
    caption.push_str(&noise_sentence(
        Method::Morris,
        metric.metric_wide("noise_share"),
    ));
    b.figure(&name, svg, &caption)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(parameter: &str, index: &str, value: f64) -> IndexRow {
        IndexRow {
            metric: "m".into(),
            parameter: parameter.into(),
            index: index.into(),
            value,
            low: f64::NAN,
            high: f64::NAN,
            parameter2: String::new(),
            n: 10,
        }
    }

    #[test]
    fn the_method_follows_from_the_indices() {
        assert_eq!(Method::of(&[row("a", "ST", 0.1)]), Some(Method::Sobol));
        assert_eq!(
            Method::of(&[row("a", "mu_star", 1.0)]),
            Some(Method::Morris)
        );
        assert_eq!(
            Method::of(&[row("a", "PRCC", 0.1)]),
            Some(Method::Regression)
        );
        assert_eq!(Method::of(&[row("", "noise_share", 0.1)]), None);
    }

    #[test]
    fn parameters_rank_by_absolute_value_with_undefined_last() {
        let rows = [
            row("a", "PRCC", 0.2),
            row("b", "PRCC", -0.9),
            row("c", "PRCC", f64::NAN),
            row("d", "PRCC", 0.5),
            row("", "R2", 0.8),
        ];
        let metric = MetricRows {
            rows: rows.iter().collect(),
        };
        assert_eq!(metric.ranked("PRCC"), ["b", "d", "a", "c"]);
        assert_eq!(metric.metric_wide("R2"), Some(0.8));
        assert_eq!(metric.groups(), 10);
    }

    #[test]
    fn groups_are_those_of_the_parameters_estimates() {
        let rows = [
            row("a", "ST", 0.2),
            IndexRow {
                n: 40,
                ..row("", "noise_share", 0.1)
            },
        ];
        let metric = MetricRows {
            rows: rows.iter().collect(),
        };
        assert_eq!(metric.groups(), 10, "not the noise share's points");
    }

    #[test]
    fn one_scale_holds_every_estimate_in_halves() {
        let rows = [
            IndexRow {
                metric: "a".into(),
                ..row("p", "ST", 1.26)
            },
            IndexRow {
                metric: "a".into(),
                ..row("p", "S1", -0.3)
            },
            row("p", "ST", 5.0),
        ];
        assert_eq!(bar_scale(Method::Sobol, &rows, &["a"]), (-0.5, 1.5));
        assert_eq!(bar_scale(Method::Sobol, &rows[..0], &["a"]), (0.0, 1.0));
        assert_eq!(bar_scale(Method::Regression, &rows, &["a"]), (-1.0, 1.0));
    }

    #[test]
    fn numbers_read_as_indices() {
        assert_eq!(index_number(0.4567), "0.46");
        assert_eq!(index_number(-0.001), "0.00");
        assert_eq!(index_number(f64::NAN), "NA");
        let r = IndexRow {
            low: 0.1,
            high: 0.3,
            ..row("a", "ST", 0.2)
        };
        assert_eq!(with_interval(&r, index_number), "0.20 (0.10 to 0.30)");
    }
}
