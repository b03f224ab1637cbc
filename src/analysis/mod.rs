//! `cogov analyse`: the sensitivity of a finished sweep's metrics to its parameters.
//!
//! The analysis reads a results directory back (its manifest, `points.csv`,
//! `runs.csv` and `runaways.csv`), takes each design point's mean over its
//! replications (`means.rs`: with the share of their variance that is replication
//! noise, and the groups of points left out because a run failed or ran away), and
//! hands the means to the estimator the design was made for:
//!
//! - a **Sobol** design: first-order and total indices (and second-order ones when
//!   the design has their rows) with bootstrap intervals, as SALib's
//!   `sobol.analyze` ([`crate::sensitivity::sobol_indices`]);
//! - a **Morris** design: μ, μ* and σ of the elementary effects, with a bootstrap
//!   interval for μ*, as SALib's `morris.analyze`;
//! - a **Latin hypercube, random or grid** design: standardised regression
//!   coefficients with R², and partial rank correlation coefficients, with
//!   intervals.
//!
//! [`Analysis::csv`] is `sensitivity.csv`, tidy: one row per metric, parameter and
//! index. [`Analysis::table`] is what the command prints: for each metric the
//! parameters ranked by their main index. Nothing here writes a file; the binary
//! does, beside the results.

mod indices;
mod means;
mod robustness;

pub use indices::{Analysis, Index, IndexKind, Method, MetricResult, Options, analyse};
pub use means::{Exclusions, NOISE_WARNING, PointMeans, point_means};
pub use robustness::{
    ReformRow, RobustnessAnalysis, WORLD_COLUMNS, analyse_robustness, is_robustness,
};

/// The files the analysis writes; the report reads them by the same names.
pub use crate::report::{PRIM_FILE, ROBUSTNESS_FILE, SENSITIVITY_FILE};

/// Why a directory cannot be analysed.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Read(#[from] crate::report::ReportError),
    #[error(
        "`{dir}` holds a {kind}, not a sweep: `cogov analyse` reads the results of `cogov sweep` (or of `cogov compare --uncertainty`)"
    )]
    NotSweep { dir: String, kind: &'static str },
    #[error("`{dir}`: {reason}")]
    Design { dir: String, reason: String },
    #[error("unknown metric `{name}`{hint} (`cogov metrics` lists them)")]
    UnknownMetric { name: String, hint: String },
}
