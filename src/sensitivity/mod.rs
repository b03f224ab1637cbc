//! Sensitivity and robustness analysis: the estimators, pure functions of a design's
//! outputs.
//!
//! - `sobol.rs`: first-order and total Sobol indices from a Saltelli design's outputs
//!   (Saltelli et al. 2010 for S1, Jansen 1999 for ST), with bootstrap intervals, as
//!   SALib's `sobol.analyze` computes them.
//! - `regression.rs`: standardised regression coefficients with R² (Saltelli et al. 2008)
//!   and partial rank correlation coefficients (Marino et al. 2008) from a Latin
//!   hypercube or random design's outputs, with t and Fisher z intervals.
//! - `prim.rs`: PRIM boxes (Friedman and Fisher 1999) where a binary outcome is dense,
//!   with peeling, pasting, covering and quasi-p-values, as EMA Workbench's `Prim` finds
//!   them for scenario discovery (Bryant and Lempert 2010; Kwakkel 2017).
//! - `robustness.rs`: how each policy holds up across sampled worlds: the share of
//!   worlds it improves (Wilson interval), its effect's quantiles and its regret
//!   (Savage 1951).
//! - `morris.rs`: Morris's elementary effects (`mu`, `mu_star`, `sigma`) from a Morris
//!   design's outputs (Morris 1991; Campolongo et al. 2007), with a bootstrap interval
//!   of `mu_star`, as SALib's `morris.analyze` computes them.

mod morris;
mod prim;
mod regression;
mod robustness;
mod sobol;

pub use morris::{MorrisIndices, elementary_effects, morris_indices, morris_indices_of};
pub use prim::{
    BoxChoice, PrimBox, PrimError, PrimObjective, PrimOptions, Restriction, StepKind,
    TrajectoryStep, prim,
};
pub use regression::{Estimate, RegressionError, RegressionIndices, regression_indices};
pub use robustness::{Robustness, quantile, robustness, wilson};
pub use sobol::{PairIndex, Sobol, SobolIndices, sobol_indices};
