//! From a sweep's results to its sensitivity indices: which estimator the design
//! calls for, the groups of points each metric can use, the tidy CSV and the ranked
//! table.

use super::AnalysisError;
use super::means::{Exclusions, NOISE_WARNING, point_means, usable_groups};
use crate::experiment::Kind;
use crate::model::Model;
use crate::output::csv::{Cell, CsvTable};
use crate::report::SENSITIVITY_COLUMNS;
use crate::report::data;
use crate::report::read::Results;
use crate::sensitivity;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Most parameters the printed table ranks per metric; `sensitivity.csv` has all.
pub const TABLE_PARAMETERS: usize = 20;

/// How a sweep is analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Variance-based indices of a Saltelli design.
    Sobol { second_order: bool },
    /// Elementary effects of Morris trajectories on a grid of `levels` levels.
    Morris { levels: u32 },
    /// Regression and rank correlation over independent points (Latin hypercube,
    /// random or grid).
    Regression,
}

impl Method {
    /// What the estimator reads as one unit: a base row, a trajectory or a point.
    pub fn group_name(self) -> &'static str {
        match self {
            Method::Sobol { .. } => "base rows",
            Method::Morris { .. } => "trajectories",
            Method::Regression => "points",
        }
    }

    /// Points a failed or runaway point takes out with it: a whole Sobol base row
    /// (the estimators need every row of it), but only the point itself for Morris
    /// (the estimator skips just the two elementary effects that end there) and for
    /// regression.
    pub fn exclusion_size(self, k: usize) -> usize {
        match self {
            Method::Sobol { .. } => self.group_size(k),
            Method::Morris { .. } | Method::Regression => 1,
        }
    }

    /// Points per group, for `k` parameters.
    pub fn group_size(self, k: usize) -> usize {
        match self {
            Method::Sobol {
                second_order: false,
            } => k + 2,
            Method::Sobol { second_order: true } => 2 * k + 2,
            Method::Morris { .. } => k + 1,
            Method::Regression => 1,
        }
    }
}

/// What an analysis computes and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The metrics to analyse, as indices into the model's metrics; empty: all.
    pub metrics: Vec<usize>,
    /// Bootstrap resamples for the intervals of Sobol indices and Morris's μ*.
    pub resamples: usize,
    /// Seeds the bootstrap; `None`: the experiment's base seed.
    pub seed: Option<u64>,
    /// Keep points with a run flagged as a runaway (they are left out otherwise).
    pub include_runaways: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            metrics: Vec::new(),
            resamples: 1000,
            seed: None,
            include_runaways: false,
        }
    }
}

/// The kinds of index in `sensitivity.csv`, by the names the file writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    S1,
    ST,
    S2,
    Mu,
    MuStar,
    Sigma,
    Src,
    R2,
    Prcc,
    NoiseShare,
}

impl IndexKind {
    pub fn name(self) -> &'static str {
        match self {
            IndexKind::S1 => "S1",
            IndexKind::ST => "ST",
            IndexKind::S2 => "S2",
            IndexKind::Mu => "mu",
            IndexKind::MuStar => "mu_star",
            IndexKind::Sigma => "sigma",
            IndexKind::Src => "SRC",
            IndexKind::R2 => "R2",
            IndexKind::Prcc => "PRCC",
            IndexKind::NoiseShare => "noise_share",
        }
    }
}

/// One estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Index {
    pub kind: IndexKind,
    /// The parameter (a column of the design); `None` for a metric-wide figure (R²,
    /// the noise share).
    pub parameter: Option<usize>,
    /// The second parameter of a second-order index.
    pub with: Option<usize>,
    pub value: f64,
    /// The 95% interval, when the method gives one.
    pub ci95: Option<(f64, f64)>,
    /// What the estimate rests on: base rows (Sobol), elementary effects (Morris) or
    /// points (regression, the noise share).
    pub n: usize,
}

/// One metric's analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricResult {
    /// Index into the model's metrics.
    pub metric: usize,
    /// Groups the estimator used.
    pub groups: usize,
    /// The share of the variance of the point means that is replication noise.
    pub noise_share: Option<f64>,
    pub indices: Vec<Index>,
    /// Why the metric has no indices (too few groups, constant), if so.
    pub skipped: Option<String>,
}

/// A sweep's sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub model: Model,
    pub method: Method,
    /// The swept parameters, in the design's order.
    pub parameters: Vec<String>,
    /// Groups in the design.
    pub groups: usize,
    pub replications: u64,
    pub exclusions: Exclusions,
    pub metrics: Vec<MetricResult>,
    pub resamples: usize,
    pub seed: u64,
}

/// The design a sweep's manifest records: its method and parameters.
fn method_of(results: &Results, k: usize) -> Result<Method, AnalysisError> {
    let settings = &results.manifest["sweep"]["settings"];
    // The design's name: from its settings, else the first word of its description
    // ("sobol (32 samples)"), as cogov wrote before it recorded settings.
    let name = settings["design"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            results
                .design
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        });
    let design_error = |reason: String| AnalysisError::Design {
        dir: results.dir.display().to_string(),
        reason,
    };
    let method = match name.as_str() {
        "sobol" => Method::Sobol {
            second_order: settings["second_order"].as_bool().unwrap_or(false),
        },
        "morris" => Method::Morris {
            levels: settings["levels"]
                .as_u64()
                .and_then(|l| u32::try_from(l).ok())
                .ok_or_else(|| {
                    design_error("manifest.json does not record the Morris design's levels".into())
                })?,
        },
        "lhs" | "random" | "grid" => Method::Regression,
        other => {
            return Err(design_error(format!(
                "manifest.json names no design cogov can analyse (found `{other}`)"
            )));
        }
    };
    let points = results.labels.len();
    let size = method.group_size(k);
    if points == 0 || !points.is_multiple_of(size) {
        return Err(design_error(format!(
            "{points} points do not make whole {} of {size} points for {k} parameters: the sweep is not the design its manifest names",
            method.group_name()
        )));
    }
    Ok(method)
}

/// Analyses the finished sweep `results`.
///
/// # Errors
/// The directory is not a finished sweep, a file is unreadable or damaged, or the
/// design is not one cogov analyses.
pub fn analyse(results: &Results, options: &Options) -> Result<Analysis, AnalysisError> {
    if results.kind != Kind::Sweep {
        return Err(AnalysisError::NotSweep {
            dir: results.dir.display().to_string(),
            kind: match results.kind {
                Kind::Run => "run",
                Kind::Compare => "comparison",
                Kind::Sweep => "sweep",
            },
        });
    }
    let design = data::design(results)?;
    let k = design.columns.len();
    let method = method_of(results, k)?;
    let size = method.group_size(k);
    let runs = results.runs()?;
    let runaway_points: BTreeSet<usize> = data::runaways(results)?
        .into_iter()
        .map(|(p, _, _)| p)
        .collect();
    let unit = method.exclusion_size(k);
    let exclusions = Exclusions::find(&runs, runaway_points, options.include_runaways, unit);
    let kept = exclusions.kept_points(runs.len(), unit);
    let seed = options.seed.unwrap_or(results.seed);
    let common_random_numbers = results.manifest["sweep"]["settings"]["common_random_numbers"]
        .as_bool()
        .unwrap_or(true);
    let x = coded_rows(&design, &results.manifest["sweep"]["settings"]["factors"]);
    let metrics: Vec<usize> = if options.metrics.is_empty() {
        (0..results.model.metrics().len()).collect()
    } else {
        options.metrics.clone()
    };
    let results_per_metric = metrics
        .into_iter()
        .map(|metric| {
            let mut means = point_means(&runs, metric, &kept, common_random_numbers);
            // Left-out points have no mean: the estimators skip what they touch.
            for (mean, keep) in means.means.iter_mut().zip(&kept) {
                if !keep {
                    *mean = f64::NAN;
                }
            }
            let groups: Vec<usize> = match method {
                // Every trajectory: an undefined point costs only its two effects.
                Method::Morris { .. } => (0..runs.len() / size).collect(),
                _ => usable_groups(&means.means, size, &exclusions),
            };
            let mut result = MetricResult {
                metric,
                groups: groups.len(),
                noise_share: means.noise_share,
                indices: Vec::new(),
                skipped: None,
            };
            let y: Vec<f64> = groups
                .iter()
                .flat_map(|g| means.means[g * size..(g + 1) * size].iter().copied())
                .collect();
            let defined: Vec<f64> = means
                .means
                .iter()
                .copied()
                .filter(|m| m.is_finite())
                .collect();
            let estimated = if defined.iter().all(|m| *m == defined[0]) {
                Err(if defined.is_empty() {
                    "no point has a value of the metric".to_string()
                } else {
                    "the metric has the same mean at every point".to_string()
                })
            } else {
                match method {
                    Method::Sobol { second_order } => {
                        sobol(&y, k, second_order, options.resamples, seed)
                    }
                    Method::Morris { levels } => morris(
                        &x,
                        &means.means,
                        k,
                        levels,
                        &groups,
                        options.resamples,
                        seed,
                    ),
                    Method::Regression => {
                        let rows: Vec<&[f64]> = groups.iter().map(|&g| x[g].as_slice()).collect();
                        regression(&rows, &y)
                    }
                }
            };
            match estimated {
                Ok(indices) => result.indices = indices,
                Err(why) => result.skipped = Some(why),
            }
            if let Some(share) = means.noise_share {
                result.indices.push(Index {
                    kind: IndexKind::NoiseShare,
                    parameter: None,
                    with: None,
                    value: share,
                    ci95: None,
                    n: kept.iter().filter(|&&k| k).count(),
                });
            }
            result
        })
        .collect();
    Ok(Analysis {
        model: results.model,
        method,
        parameters: design.columns,
        groups: runs.len() / size,
        replications: results.replications,
        exclusions,
        metrics: results_per_metric,
        resamples: options.resamples,
        seed,
    })
}

/// Why a metric's outputs give no indices: too few groups, or no variation.
fn no_indices(y: &[f64], groups: usize, needed: usize, unit: &str) -> String {
    if groups < needed {
        format!("{groups} usable {unit}, at least {needed} are needed")
    } else if y.iter().all(|v| *v == y[0]) {
        "the metric has the same mean at every point".to_string()
    } else {
        "the estimator cannot use these outputs".to_string()
    }
}

fn interval(value: f64, half: f64) -> Option<(f64, f64)> {
    half.is_finite().then_some((value - half, value + half))
}

fn sobol(
    y: &[f64],
    k: usize,
    second_order: bool,
    resamples: usize,
    seed: u64,
) -> Result<Vec<Index>, String> {
    let width = if second_order { 2 * k + 2 } else { k + 2 };
    let n = y.len() / width;
    let found = sensitivity::sobol_indices(y, k, second_order, resamples, seed)
        .ok_or_else(|| no_indices(y, y.len() / width, 2, "base rows"))?;
    let mut out = Vec::new();
    for (i, f) in found.factors.iter().enumerate() {
        for (kind, value, half) in [
            (IndexKind::S1, f.s1, f.s1_conf),
            (IndexKind::ST, f.st, f.st_conf),
        ] {
            out.push(Index {
                kind,
                parameter: Some(i),
                with: None,
                value,
                ci95: interval(value, half),
                n,
            });
        }
    }
    for pair in &found.pairs {
        out.push(Index {
            kind: IndexKind::S2,
            parameter: Some(pair.i),
            with: Some(pair.l),
            value: pair.s2,
            ci95: interval(pair.s2, pair.s2_conf),
            n,
        });
    }
    Ok(out)
}

/// The design's rows as numbers: a column of numbers as written, a column of names
/// (a boolean or a choice) as each value's position in the factor's list of values
/// (`factors` from the manifest's design settings), which keeps the order the
/// design's unit coordinate gave them; NaN when neither applies.
fn coded_rows(design: &data::Design, factors: &serde_json::Value) -> Vec<Vec<f64>> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    design
        .values
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(c, value)| {
                    value.parse::<f64>().unwrap_or_else(|_| {
                        factors[c]["values"]
                            .as_array()
                            .and_then(|list| list.iter().position(|v| text(v) == *value))
                            .map_or(f64::NAN, |i| i as f64)
                    })
                })
                .collect()
        })
        .collect()
}

fn morris(
    x: &[Vec<f64>],
    means: &[f64],
    k: usize,
    levels: u32,
    trajectories: &[usize],
    resamples: usize,
    seed: u64,
) -> Result<Vec<Index>, String> {
    let found = sensitivity::morris_indices_of(x, means, k, levels, trajectories, resamples, seed)
        .ok_or_else(|| {
            let y: Vec<f64> = trajectories
                .iter()
                .flat_map(|g| means[g * (k + 1)..(g + 1) * (k + 1)].iter().copied())
                .collect();
            no_indices(&y, trajectories.len(), 2, "trajectories")
        })?;
    let mut out = Vec::new();
    for (i, f) in found.iter().enumerate() {
        out.push(Index {
            kind: IndexKind::MuStar,
            parameter: Some(i),
            with: None,
            value: f.mu_star,
            // A mean of absolute values is not negative: SALib's interval, floored.
            ci95: interval(f.mu_star, f.mu_star_conf).map(|(low, high)| (low.max(0.0), high)),
            n: f.effects,
        });
        for (kind, value) in [(IndexKind::Mu, f.mu), (IndexKind::Sigma, f.sigma)] {
            out.push(Index {
                kind,
                parameter: Some(i),
                with: None,
                value,
                ci95: None,
                n: f.effects,
            });
        }
    }
    Ok(out)
}

fn regression(x: &[&[f64]], y: &[f64]) -> Result<Vec<Index>, String> {
    let n = y.len();
    let found = sensitivity::regression_indices(x, y).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (i, (src, prcc)) in found.src.iter().zip(&found.prcc).enumerate() {
        for (kind, e) in [(IndexKind::Src, src), (IndexKind::Prcc, prcc)] {
            out.push(Index {
                kind,
                parameter: Some(i),
                with: None,
                value: e.value,
                ci95: (e.ci95_low.is_finite() && e.ci95_high.is_finite())
                    .then_some((e.ci95_low, e.ci95_high)),
                n,
            });
        }
    }
    out.push(Index {
        kind: IndexKind::R2,
        parameter: None,
        with: None,
        value: found.r2,
        ci95: None,
        n,
    });
    Ok(out)
}

impl Analysis {
    /// `sensitivity.csv`: `metric,parameter,index,value,ci95_low,ci95_high,
    /// parameter2,n`, one row per estimate, metric by metric in the model's order;
    /// `parameter` is empty for a metric-wide figure, `parameter2` holds a
    /// second-order index's second parameter, `n` what the estimate rests on (base
    /// rows, elementary effects or points).
    pub fn csv(&self) -> String {
        let mut table = CsvTable::new(&SENSITIVITY_COLUMNS);
        let defs = self.model.metrics();
        let name = |p: Option<usize>| p.map_or(String::new(), |p| self.parameters[p].clone());
        for m in &self.metrics {
            for index in &m.indices {
                let (low, high) = index.ci95.unwrap_or((f64::NAN, f64::NAN));
                table.push(&[
                    Cell::from(defs[m.metric].name),
                    Cell::from(name(index.parameter)),
                    Cell::from(index.kind.name()),
                    Cell::from(index.value),
                    Cell::from(low),
                    Cell::from(high),
                    Cell::from(name(index.with)),
                    Cell::from(index.n),
                ]);
            }
        }
        table.text().to_string()
    }

    /// The indices the table ranks parameters by, best first: ST (Sobol), μ*
    /// (Morris), |PRCC| (regression).
    fn ranking_kind(&self) -> IndexKind {
        match self.method {
            Method::Sobol { .. } => IndexKind::ST,
            Method::Morris { .. } => IndexKind::MuStar,
            Method::Regression => IndexKind::Prcc,
        }
    }

    /// The columns the table shows for each parameter.
    fn shown_kinds(&self) -> &'static [IndexKind] {
        match self.method {
            Method::Sobol { .. } => &[IndexKind::S1, IndexKind::ST],
            Method::Morris { .. } => &[IndexKind::MuStar, IndexKind::Mu, IndexKind::Sigma],
            Method::Regression => &[IndexKind::Src, IndexKind::Prcc],
        }
    }

    /// The warnings a reader must see: points left out, and metrics whose noise share
    /// biases the indices.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let e = &self.exclusions;
        let list = |points: &[usize]| {
            let shown: Vec<String> = points.iter().take(10).map(usize::to_string).collect();
            let more = points.len().saturating_sub(10);
            if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            }
        };
        let left_out = match self.method {
            Method::Sobol { .. } => format!(
                "their base rows are left out ({} of {})",
                e.groups.len(),
                self.groups
            ),
            Method::Morris { .. } => {
                "they are left out, with the elementary effects that end at them".to_string()
            }
            Method::Regression => "they are left out".to_string(),
        };
        if !e.failed_points.is_empty() {
            out.push(format!(
                "{} point(s) have no finished run (failures.csv): {}; {left_out}",
                e.failed_points.len(),
                list(&e.failed_points)
            ));
        }
        if !e.runaway_points.is_empty() {
            out.push(if e.runaways_included {
                format!(
                    "{} point(s) have a run flagged as a runaway (runaways.csv): {}; kept in, as --include-runaways asks",
                    e.runaway_points.len(),
                    list(&e.runaway_points)
                )
            } else {
                format!(
                    "{} point(s) have a run flagged as a runaway (runaways.csv): {}; {left_out}; --include-runaways keeps them",
                    e.runaway_points.len(),
                    list(&e.runaway_points),
                )
            });
        }
        let defs = self.model.metrics();
        let noisy: Vec<String> = self
            .metrics
            .iter()
            .filter_map(|m| {
                let share = m.noise_share?;
                (share > NOISE_WARNING && m.skipped.is_none())
                    .then(|| format!("{} {:.0}%", defs[m.metric].name, 100.0 * share))
            })
            .collect();
        if !noisy.is_empty() {
            let more = noisy.len().saturating_sub(6);
            out.push(format!(
                "replication noise is more than {:.0}% of the variance of the point means of {} metric(s) ({}{}): it biases their indices by up to that share (sensitivity.csv has each metric's noise_share); more replications per point reduce it",
                100.0 * NOISE_WARNING,
                noisy.len(),
                noisy[..noisy.len().min(6)].join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ));
        }
        if self.replications < 2 {
            out.push("one replication per point: replication noise cannot be told apart from the parameters' effects; run at least two".to_string());
        }
        out
    }

    /// The printed table: for each of `metrics` (indices into the model's metrics;
    /// empty: every analysed metric), the parameters ranked by their main index.
    pub fn table(&self, metrics: &[usize]) -> String {
        let defs = self.model.metrics();
        let mut out = String::new();
        let rank = self.ranking_kind();
        let shown = self.shown_kinds();
        for m in &self.metrics {
            if !metrics.is_empty() && !metrics.contains(&m.metric) {
                continue;
            }
            let def = &defs[m.metric];
            let noise = m
                .noise_share
                .map_or(String::new(), |s| format!("; noise {:.1}%", 100.0 * s));
            let _ = writeln!(
                out,
                "\n{} ({}): {} {}{noise}",
                def.name,
                def.unit,
                m.groups,
                self.method.group_name()
            );
            if let Some(why) = &m.skipped {
                let _ = writeln!(out, "  no indices: {why}");
                continue;
            }
            let find = |kind: IndexKind, p: usize| {
                m.indices
                    .iter()
                    .find(|i| i.kind == kind && i.parameter == Some(p) && i.with.is_none())
            };
            let mut order: Vec<usize> = (0..self.parameters.len()).collect();
            let key = |p: usize| find(rank, p).map_or(f64::NEG_INFINITY, |i| i.value.abs());
            order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
            let mut rows: Vec<Vec<String>> = vec![
                std::iter::once("parameter".to_string())
                    .chain(shown.iter().map(|k| header(*k)))
                    .collect(),
            ];
            let more = order.len().saturating_sub(TABLE_PARAMETERS);
            for &p in order.iter().take(TABLE_PARAMETERS) {
                let mut row = vec![self.parameters[p].clone()];
                for &kind in shown {
                    row.push(find(kind, p).map_or("NA".to_string(), cell));
                }
                rows.push(row);
            }
            out.push_str(&aligned(&rows));
            if more > 0 {
                let _ = writeln!(out, "  ... and {more} more parameters in sensitivity.csv");
            }
            if let Some(r2) = m.indices.iter().find(|i| i.kind == IndexKind::R2) {
                let _ = writeln!(
                    out,
                    "  R² {:.3}: a linear model explains {:.0}% of the variance of the point means",
                    r2.value,
                    100.0 * r2.value
                );
            }
            let mut pairs: Vec<&Index> = m
                .indices
                .iter()
                .filter(|i| i.kind == IndexKind::S2)
                .collect();
            pairs.sort_by(|a, b| b.value.total_cmp(&a.value));
            if let Some(top) = pairs.first() {
                let _ = writeln!(
                    out,
                    "  strongest interaction: {} × {}  S2 {}",
                    self.parameters[top.parameter.unwrap_or(0)],
                    self.parameters[top.with.unwrap_or(0)],
                    cell(top)
                );
            }
        }
        out
    }
}

fn header(kind: IndexKind) -> String {
    match kind {
        IndexKind::MuStar => "μ* [95% CI]".to_string(),
        IndexKind::Mu => "μ".to_string(),
        IndexKind::Sigma => "σ".to_string(),
        other => format!("{} [95% CI]", other.name()),
    }
}

/// An estimate with its interval, three decimals for indices, four significant
/// digits for effects in the metric's units.
fn cell(index: &Index) -> String {
    let number = |x: f64| match index.kind {
        IndexKind::Mu | IndexKind::MuStar | IndexKind::Sigma => crate::output::table::round(x),
        _ => format!("{x:.3}"),
    };
    match index.ci95 {
        Some((low, high)) => format!(
            "{} [{}, {}]",
            number(index.value),
            number(low),
            number(high)
        ),
        None => number(index.value),
    }
}

/// Rows as left-aligned columns, indented by two spaces.
pub(super) fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::from("  ");
        for (c, text) in row.iter().enumerate() {
            let pad = widths[c] - text.chars().count();
            line.push_str(text);
            line.push_str(&" ".repeat(pad + 2));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
