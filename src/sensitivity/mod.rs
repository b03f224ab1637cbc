//! Sensitivity analysis of a finished sweep (issue 14, in progress): the estimators,
//! pure functions of a design's outputs.
//!
//! - `sobol.rs`: first-order and total Sobol indices from a Saltelli design's outputs
//!   (Saltelli et al. 2010 for S1, Jansen 1999 for ST), with bootstrap intervals, as
//!   SALib's `sobol.analyze` computes them.

mod sobol;

pub use sobol::{SobolIndices, sobol_indices};
