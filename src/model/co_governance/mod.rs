//! The co-governance model: one replication of a district, from parameters and a seed
//! to end-of-run metrics and a per-tick time series.
//!
//! A pure core: it never reads files, prints, reads the clock or uses a thread-local
//! random generator; everything random comes from the one `Xoshiro256PlusPlus` stream
//! seeded by the caller, so a run is a function of `(params, seed)`.
//!
//! - [`params`]: every scenario parameter ([`Params`], [`PARAM_DEFS`]) and the rules
//!   that tie parameters together.
//! - [`metrics`]: the output columns ([`METRICS`], [`SERIES`], [`GRID_METRICS`],
//!   [`TRACE_METRICS`]).
//! - [`rules`]: one file per mechanism of the model (docs/model.md): pure functions,
//!   sources, tests.
//! - [`world`]: the state of a district (flat vectors, allocated once) and the order in
//!   which the rules run each day.
//! - [`accounts`]: what is counted during the measured window and how it becomes the
//!   metrics.
//! - [`sigmund`]: a reference driver of Sigmund et al.'s (2010) well-mixed population
//!   over the participation rules, for the validation of the punishment result.

pub mod accounts;
pub mod levers;
pub mod metrics;
pub mod params;
pub mod rules;
pub mod sigmund;
pub mod world;

pub use metrics::{
    GRID_METRICS, GridMetric, METRICS, Metric, SERIES, Series, TRACE_METRICS, TraceMetric,
};
pub use params::{PARAM_DEFS, Params};

use super::{RunOutput, Trace};

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

/// Simulates one replication as [`simulate`] does (the same [`RunOutput`], bit for
/// bit: recording draws no random number) and records its [`Trace`] for an animated
/// map.
///
/// The trace holds every `every`-th measured day (0 counts as 1), from the first, each
/// grid's [`TRACE_METRICS`] at the end of the day, and the day's moves in the day's
/// order, the first `max_moves_per_day` of them (later ones are not recorded):
/// - each community call on which an actor acted (clean-ups after public-order
///   incidents, mediations of disputes): the actor who did the work (grid worker, NGO,
///   enterprise, police post, volunteer, witness), from and to the call's grid;
/// - each call given to an officer or auxiliary, of every kind (incidents, non-crime
///   service calls, police mediations and clean-ups): from the unit's post to the
///   call's grid. Calls closed unattended are no move.
///
/// Community calls come first in a day (phases 4 and 5), then the units' calls in
/// time order (phase 5b).
///
/// # Examples
/// ```
/// use cogov::model::co_governance::{self, Params, TRACE_METRICS};
/// let mut p = Params::default();
/// p.run.ticks = 20;
/// p.run.warmup_ticks = 5;
/// p.district.width = 3;
/// p.district.height = 3;
/// let (out, trace) = co_governance::simulate_traced(&p, 7, 7, 100);
/// // The run is the untraced one, bit for bit (NaN marks undefined metrics).
/// let bits = |o: &cogov::model::RunOutput| o.series.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
/// assert_eq!(bits(&out), bits(&co_governance::simulate(&p, 7)));
/// assert_eq!(trace.days, [6, 13, 20]);
/// assert_eq!(trace.values.len(), 3 * 9 * TRACE_METRICS.len());
/// ```
pub fn simulate_traced(
    params: &Params,
    seed: u64,
    every: u64,
    max_moves_per_day: usize,
) -> (RunOutput, Trace) {
    let (out, trace) = world::World::new(params, seed)
        .with_trace(every, max_moves_per_day)
        .run_traced();
    (out, trace.expect("a traced world returns its trace"))
}
