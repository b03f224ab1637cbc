//! Which reform holds up under what we do not know: the analysis of `cogov compare
//! --uncertainty`.
//!
//! Such a comparison is a sweep over *worlds* (a Latin hypercube or random sample of
//! the parameters nobody can pin down) in which every world runs the baseline and
//! every reform, world by world and scenario by scenario (point `w S + s` is scenario
//! `s` in world `w`), with common random numbers: replication `r` has the same seed
//! in every world and scenario. In each world a reform's effect on a metric is its
//! paired difference from the baseline, averaged over the replications where both
//! runs finished. From those effects:
//!
//! - `robustness.csv`: per reform and metric, the share of worlds improved with its
//!   Wilson interval, the effect's median and 10th and 90th percentiles, and the
//!   regret against the best policy of each world ([`crate::sensitivity::robustness`]),
//!   plus doing nothing's regret;
//! - `prim_boxes.csv`: per reform and metric, PRIM boxes (Friedman and Fisher 1999)
//!   of the worlds where the reform fails to improve it: which ranges of the uncertain
//!   parameters to worry about, with each box's coverage, density and mass.
//!
//! A world with a run flagged as a runaway is left out and reported: its numbers are
//! not those of a plausible district.

use super::AnalysisError;
use crate::model::Model;
use crate::output::csv::{Cell, CsvTable};
use crate::report::data;
use crate::report::read::Results;
use crate::report::words::{self, BoxLimit};
use crate::report::{PRIM_COLUMNS, ROBUSTNESS_COLUMNS};
use crate::schema::metrics::Better;
use crate::sensitivity::{PrimBox, PrimOptions, Robustness, prim, robustness};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The columns a robustness comparison's `points.csv` starts with, before the
/// uncertain parameters.
pub const WORLD_COLUMNS: [&str; 2] = ["world", "scenario"];

/// One reform's (or doing nothing's) robustness on one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct ReformRow {
    /// The scenario's position (1 = the first reform); `None` for doing nothing.
    pub reform: Option<usize>,
    /// Index into the model's metrics.
    pub metric: usize,
    pub stats: Robustness,
    /// Where the reform fails to improve the metric (empty for doing nothing, a
    /// metric with no better direction, or when no box qualifies).
    pub boxes: Vec<PrimBox>,
    /// Worlds where it fails to improve the metric.
    pub failing: usize,
}

/// A robustness comparison's analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct RobustnessAnalysis {
    pub model: Model,
    /// The scenarios' labels, baseline first.
    pub scenarios: Vec<String>,
    /// The uncertain parameters.
    pub parameters: Vec<String>,
    pub worlds: usize,
    pub replications: u64,
    /// Worlds with a run flagged as a runaway, with the scenarios concerned.
    pub runaway_worlds: Vec<(usize, Vec<usize>)>,
    /// Whether those worlds were kept in, as asked; they are left out otherwise.
    pub runaways_included: bool,
    pub rows: Vec<ReformRow>,
}

/// Whether `results` are those of a robustness comparison.
pub fn is_robustness(results: &Results) -> bool {
    results.manifest["sweep"]["robustness"].is_object()
}

/// Analyses the robustness comparison `results` on `metrics` (indices into the
/// model's metrics; empty: the headline metrics), leaving out the worlds with a run
/// flagged as a runaway unless `include_runaways`.
///
/// # Errors
/// A file is unreadable or damaged, or the results are not a robustness comparison.
pub fn analyse_robustness(
    results: &Results,
    metrics: &[usize],
    prim_options: &PrimOptions,
    include_runaways: bool,
) -> Result<RobustnessAnalysis, AnalysisError> {
    let damaged = |reason: String| AnalysisError::Design {
        dir: results.dir.display().to_string(),
        reason,
    };
    let info = &results.manifest["sweep"]["robustness"];
    let scenarios: Vec<String> = info["scenarios"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let worlds = info["worlds"].as_u64().unwrap_or(0) as usize;
    let s = scenarios.len();
    if s < 2 || worlds == 0 || worlds * s != results.labels.len() {
        return Err(damaged(format!(
            "manifest.json's robustness record ({worlds} worlds of {s} scenarios) does not match its {} points",
            results.labels.len()
        )));
    }
    let design = data::design(results)?;
    let lead = WORLD_COLUMNS.len();
    if design.columns.len() <= lead || design.columns[..lead] != WORLD_COLUMNS {
        return Err(damaged(
            "points.csv does not start with the world and scenario columns".into(),
        ));
    }
    let parameters: Vec<String> = design.columns[lead..].to_vec();
    let x: Vec<Vec<f64>> = (0..worlds)
        .map(|w| {
            design.values[w * s][lead..]
                .iter()
                .map(|v| v.parse::<f64>().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let runs = results.runs()?;
    let mut flagged: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); worlds];
    for (point, _, _) in data::runaways(results)? {
        flagged[point / s].insert(point % s);
    }
    let runaway_worlds: Vec<(usize, Vec<usize>)> = flagged
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.is_empty())
        .map(|(w, f)| (w, f.iter().copied().collect()))
        .collect();
    let metrics: Vec<usize> = if metrics.is_empty() {
        results.model.headline_metrics()
    } else {
        metrics.to_vec()
    };
    let defs = results.model.metrics();
    let mut rows = Vec::new();
    for &metric in &metrics {
        let effects: Vec<Vec<f64>> = (1..s)
            .map(|reform| {
                (0..worlds)
                    .map(|w| {
                        if !include_runaways && !flagged[w].is_empty() {
                            return f64::NAN;
                        }
                        paired_mean(&runs[w * s], &runs[w * s + reform], metric)
                    })
                    .collect()
            })
            .collect();
        let direction = match defs[metric].better {
            Better::Higher => 1.0,
            Better::Lower => -1.0,
            Better::Neither => 0.0,
        };
        let stats = robustness(&effects, direction);
        for (i, stats) in stats.into_iter().enumerate() {
            let reform = (i + 1 < s).then_some(i + 1);
            let (boxes, failing) = match reform {
                Some(r) if direction != 0.0 => {
                    let kept: Vec<usize> = (0..worlds)
                        .filter(|&w| effects[r - 1][w].is_finite())
                        .collect();
                    let xs: Vec<&[f64]> = kept.iter().map(|&w| x[w].as_slice()).collect();
                    let fails: Vec<bool> = kept
                        .iter()
                        .map(|&w| direction * effects[r - 1][w] <= 0.0)
                        .collect();
                    let failing = fails.iter().filter(|&&f| f).count();
                    let numeric = xs.iter().all(|row| row.iter().all(|v| v.is_finite()));
                    let boxes = if numeric && failing > 0 {
                        prim(&xs, &fails, prim_options).map_err(|e| damaged(e.to_string()))?
                    } else {
                        Vec::new()
                    };
                    (boxes, failing)
                }
                _ => (Vec::new(), 0),
            };
            rows.push(ReformRow {
                reform,
                metric,
                stats,
                boxes,
                failing,
            });
        }
    }
    Ok(RobustnessAnalysis {
        model: results.model,
        scenarios,
        parameters,
        worlds,
        replications: results.replications,
        runaway_worlds,
        runaways_included: include_runaways,
        rows,
    })
}

/// The mean of the paired differences `reform - baseline` over the replications where
/// both runs have a value of `metric`; NaN when there are none.
fn paired_mean(baseline: &[Vec<f64>], reform: &[Vec<f64>], metric: usize) -> f64 {
    let differences: Vec<f64> = baseline
        .iter()
        .zip(reform)
        .map(|(b, r)| r[metric] - b[metric])
        .filter(|d| d.is_finite())
        .collect();
    if differences.is_empty() {
        f64::NAN
    } else {
        differences.iter().sum::<f64>() / differences.len() as f64
    }
}

impl RobustnessAnalysis {
    fn policy(&self, reform: Option<usize>) -> String {
        reform.map_or_else(|| "(no reform)".to_string(), |r| self.scenarios[r].clone())
    }

    /// `robustness.csv`: one row per policy and metric, doing nothing last for each
    /// metric.
    pub fn csv(&self) -> String {
        let mut table = CsvTable::new(&ROBUSTNESS_COLUMNS);
        let defs = self.model.metrics();
        for row in &self.rows {
            let s = &row.stats;
            table.push(&[
                Cell::from(self.policy(row.reform)),
                Cell::from(defs[row.metric].name),
                Cell::from(s.worlds),
                Cell::from(s.share_improved),
                Cell::from(s.share_ci95.0),
                Cell::from(s.share_ci95.1),
                Cell::from(s.effect_p10),
                Cell::from(s.effect_median),
                Cell::from(s.effect_p90),
                Cell::from(s.regret_median),
                Cell::from(s.regret_p90),
                Cell::from(s.regret_max),
                Cell::from(row.boxes.len()),
            ]);
        }
        table.text().to_string()
    }

    /// `prim_boxes.csv`: one row per restricted parameter of each box, with the box's
    /// statistics repeated (tidy); a parameter's `min` and `max` are the box's limits,
    /// `min_quasi_p` and `max_quasi_p` the quasi-p-values of those limits (`NA` for an
    /// end the box does not restrict).
    pub fn prim_csv(&self) -> String {
        let mut table = CsvTable::new(&PRIM_COLUMNS);
        let defs = self.model.metrics();
        for row in &self.rows {
            for (b, found) in row.boxes.iter().enumerate() {
                for restriction in &found.restricted {
                    let (low, high) = found.limits[restriction.dim];
                    table.push(&[
                        Cell::from(self.policy(row.reform)),
                        Cell::from(defs[row.metric].name),
                        Cell::from(b + 1),
                        Cell::from(self.parameters[restriction.dim].clone()),
                        Cell::from(low),
                        Cell::from(high),
                        Cell::from(found.coverage),
                        Cell::from(found.density),
                        Cell::from(found.mass),
                        Cell::from(found.points),
                        Cell::from(found.cases),
                        Cell::from(row.failing),
                        Cell::from(restriction.lower_p.unwrap_or(f64::NAN)),
                        Cell::from(restriction.upper_p.unwrap_or(f64::NAN)),
                    ]);
                }
            }
        }
        table.text().to_string()
    }

    /// The printed table: for each of `shown` metrics (indices into the model's
    /// metrics; empty: every analysed one), each reform's share of worlds improved,
    /// effect quantiles and regret, and its first PRIM box in words.
    pub fn table(&self, shown: &[usize]) -> String {
        let defs = self.model.metrics();
        let round = crate::output::table::round;
        let mut out = String::new();
        let metrics: Vec<usize> = {
            let mut seen = Vec::new();
            for row in &self.rows {
                if !seen.contains(&row.metric) {
                    seen.push(row.metric);
                }
            }
            seen
        };
        for metric in metrics {
            if !shown.is_empty() && !shown.contains(&metric) {
                continue;
            }
            let def = &defs[metric];
            let _ = writeln!(
                out,
                "\n{} ({}, {} is better): effect of each reform across {} worlds",
                def.name,
                def.unit,
                match def.better {
                    Better::Higher => "higher",
                    Better::Lower => "lower",
                    Better::Neither => "neither",
                },
                if self.runaways_included {
                    self.worlds
                } else {
                    self.worlds - self.runaway_worlds.len()
                }
            );
            let mut lines = vec![vec![
                "reform".to_string(),
                "improved in [95% CI]".to_string(),
                "effect p10 / median / p90".to_string(),
                "regret median / max".to_string(),
            ]];
            let mut boxes = Vec::new();
            for row in self.rows.iter().filter(|r| r.metric == metric) {
                let s = &row.stats;
                let share = if s.share_improved.is_nan() {
                    "NA".to_string()
                } else {
                    format!(
                        "{:.0}% [{:.0}, {:.0}]",
                        100.0 * s.share_improved,
                        100.0 * s.share_ci95.0,
                        100.0 * s.share_ci95.1
                    )
                };
                let effects = if row.reform.is_some() {
                    format!(
                        "{} / {} / {}",
                        round(s.effect_p10),
                        round(s.effect_median),
                        round(s.effect_p90)
                    )
                } else {
                    String::new()
                };
                lines.push(vec![
                    self.policy(row.reform),
                    if row.reform.is_some() {
                        share
                    } else {
                        String::new()
                    },
                    effects,
                    format!("{} / {}", round(s.regret_median), round(s.regret_max)),
                ]);
                if let Some(first) = row.boxes.first() {
                    boxes.push(format!(
                        "  {}",
                        words::box_sentence(
                            &self.policy(row.reform),
                            "it",
                            row.failing as u64,
                            row.stats.worlds as u64,
                            first.coverage,
                            first.density,
                            &self.limits(first),
                        )
                    ));
                }
            }
            out.push_str(&super::indices::aligned(&lines));
            for line in boxes {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }

    /// A box's limits in words ([`crate::report::words::box_limits`]).
    pub fn describe(&self, found: &PrimBox) -> String {
        words::box_limits(&self.limits(found))
    }

    /// A box's restricted parameters as the words of the report name them.
    fn limits<'a>(&'a self, found: &PrimBox) -> Vec<BoxLimit<'a>> {
        found
            .restricted
            .iter()
            .map(|r| BoxLimit {
                parameter: &self.parameters[r.dim],
                min: found.limits[r.dim].0,
                max: found.limits[r.dim].1,
                lower_p: r.lower_p,
                upper_p: r.upper_p,
            })
            .collect()
    }

    /// What a reader must know: worlds left out.
    pub fn warnings(&self) -> Vec<String> {
        if self.runaway_worlds.is_empty() {
            return Vec::new();
        }
        let shown: Vec<String> = self
            .runaway_worlds
            .iter()
            .take(10)
            .map(|(w, scenarios)| {
                let names: Vec<&str> = scenarios
                    .iter()
                    .map(|&s| self.scenarios[s].as_str())
                    .collect();
                format!("world {w} ({})", names.join(", "))
            })
            .collect();
        vec![format!(
            "{} world(s) have a run flagged as a runaway (runaways.csv) and are {}: {}{}",
            self.runaway_worlds.len(),
            if self.runaways_included {
                "kept in, as --include-runaways asks"
            } else {
                "left out (--include-runaways keeps them)"
            },
            shown.join("; "),
            if self.runaway_worlds.len() > 10 {
                "; ..."
            } else {
                ""
            }
        )]
    }
}
