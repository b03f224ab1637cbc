//! The co-governance model: one replication of a district, from parameters and a seed
//! to end-of-run metrics and a per-tick time series.
//!
//! A pure core: it never reads files, prints, reads the clock or uses a thread-local
//! random generator; everything random comes from the one `Xoshiro256PlusPlus` stream
//! seeded by the caller, so a run is a function of `(params, seed)`.
//!
//! - [`params`]: every scenario parameter ([`Params`], [`PARAM_DEFS`]) and the rules
//!   that tie parameters together.
//! - [`metrics`]: the output columns ([`METRICS`], [`SERIES`]).
//! - [`rules`]: one file per mechanism of the model (docs/model.md): pure functions,
//!   sources, tests.
//! - [`world`]: the state of a district (flat vectors, allocated once) and the order in
//!   which the rules run each day.
//! - [`accounts`]: what is counted during the measured window and how it becomes the
//!   metrics.
//! - [`sigmund`]: a reference driver of Sigmund et al.'s (2010) well-mixed population
//!   over the participation rules, for the validation of the punishment result.

pub mod accounts;
pub mod metrics;
pub mod params;
pub mod rules;
pub mod sigmund;
pub mod world;

pub use metrics::{GRID_METRICS, GridMetric, METRICS, Metric, SERIES, Series};
pub use params::{PARAM_DEFS, Params};

use super::RunOutput;

/// Simulates one replication.
///
/// # Examples
/// ```
/// use cogov::model::co_governance::{self, Params};
/// let mut p = Params::default();
/// p.run.ticks = 20;
/// p.run.warmup_ticks = 5;
/// p.district.width = 3;
/// p.district.height = 3;
/// let a = co_governance::simulate(&p, 7);
/// let b = co_governance::simulate(&p, 7);
/// // A run is a function of (params, seed): compare bits, as NaN marks undefined metrics.
/// let bits = |o: &cogov::model::RunOutput| o.metrics.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
/// assert_eq!(bits(&a), bits(&b));
/// assert_eq!(a.metrics.len(), co_governance::METRICS.len());
/// ```
pub fn simulate(params: &Params, seed: u64) -> RunOutput {
    world::World::new(params, seed).run()
}
