//! The co-governance model: one replication of a district, from parameters and a seed
//! to end-of-run metrics and a per-tick time series.
//!
//! This module is the pure core. It never reads files, prints, reads the clock or
//! uses a thread-local random generator: everything random comes from the one
//! `Xoshiro256PlusPlus` stream seeded by the caller, so a run is a function of
//! `(params, seed)`.
//!
//! - [`rules`]: one file per mechanism of BRIEF.md: pure functions, sources, tests.
//! - [`world`]: the state of a district (flat vectors, allocated once) and the order in
//!   which the rules run each day.
//! - [`accounts`]: what is counted during the measured window and how it becomes the
//!   metrics of [`crate::metrics`].
//! - [`civil_violence`]: Epstein's civil-violence model, a reference model beside this
//!   one, with its own parameters, world and metrics; it shares this module's shape.

pub mod accounts;
pub mod civil_violence;
pub mod rules;
pub mod world;

use crate::params::Params;

/// What one replication produces.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// End-of-run metrics in [`crate::metrics::METRICS`] order; NaN means undefined.
    pub metrics: Vec<f64>,
    /// Row-major time series: `run.warmup_ticks + run.ticks` rows (row t is tick t+1,
    /// warm-up first) by [`crate::metrics::SERIES`] columns.
    pub series: Vec<f64>,
}

/// Simulates one replication.
///
/// # Examples
/// ```
/// use cogov::params::Params;
/// let mut p = Params::default();
/// p.run.ticks = 20;
/// p.run.warmup_ticks = 5;
/// p.district.width = 2;
/// p.district.height = 2;
/// let a = cogov::model::simulate(&p, 7);
/// let b = cogov::model::simulate(&p, 7);
/// // A run is a function of (params, seed): compare bits, as NaN marks undefined metrics.
/// let bits = |o: &cogov::model::RunOutput| o.metrics.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
/// assert_eq!(bits(&a), bits(&b));
/// assert_eq!(a.metrics.len(), cogov::metrics::METRICS.len());
/// ```
pub fn simulate(params: &Params, seed: u64) -> RunOutput {
    world::World::new(params, seed).run()
}
