//! The trace of a traced run (`crate::model::Trace`, for an animated map): each
//! grid's [`TRACE_METRICS`] at the end of every `every`-th measured day, and the moves
//! of those days. It only reads the world: a traced run draws the same numbers and
//! computes the same results as an untraced one. An untraced world has no recorder,
//! and each recording point costs it one check of an `Option`.
//!
//! The moves, in the day's order, at most `max_moves_per_day` of them (the first):
//! - a community call (`community_calls.rs`, [`World::community_call`]) on which an
//!   actor acted: the actor who did the work, from and to the call's grid (phases 4
//!   and 5, clean-ups and mediations);
//! - a call given to an officer or auxiliary (`units.rs`, `World::assign`), from the
//!   unit's post to the call's grid: every kind of call a unit is sent to (incidents,
//!   non-crime service calls, police mediations and clean-ups), not the calls closed
//!   unattended (phase 5b, in time order).

use super::World;
use crate::model::co_governance::metrics::{TRACE_INCIDENT_DAYS, TRACE_METRICS, TraceMetric};
use crate::model::co_governance::rules::dispatch::UnitKind;
use crate::model::co_governance::rules::liability::Actor;
use crate::model::co_governance::rules::space;
use crate::model::{Mover, Trace, TraceMove};

/// Who moved, for a unit of `kind`.
pub(super) fn unit_mover(kind: UnitKind) -> Mover {
    match kind {
        UnitKind::Officer => Mover::Officer,
        UnitKind::Auxiliary => Mover::Auxiliary,
    }
}

/// Who moved, for a community call's `actor`.
pub(super) fn actor_mover(actor: Actor) -> Mover {
    match actor {
        Actor::GridWorker => Mover::GridWorker,
        Actor::Ngo => Mover::Ngo,
        Actor::Enterprise => Mover::Enterprise,
        Actor::Police => Mover::PolicePost,
        Actor::Volunteer => Mover::Volunteer,
        Actor::Witness => Mover::Witness,
    }
}

/// A traced run's recorder: the trace so far and what it needs to fill in a day.
pub(super) struct TraceRecorder {
    warmup: u64,
    every: u64,
    max_moves: usize,
    /// Moves recorded today.
    moves_today: usize,
    /// Each grid's incidents on the last [`TRACE_INCIDENT_DAYS`] days, a ring of days:
    /// day t's counts are row `t % TRACE_INCIDENT_DAYS`.
    recent: Vec<u32>,
    /// Each grid's sum of its counts in `recent`.
    recent_sum: Vec<u32>,
    trace: Trace,
}

impl TraceRecorder {
    /// An empty trace of a `width` x `height` district that runs `warmup` then
    /// `ticks` days, recording every `every`-th measured day (0 counts as 1), with at
    /// most `max_moves` moves a day.
    pub(super) fn new(
        (width, height): (usize, usize),
        (warmup, ticks): (u64, u64),
        every: u64,
        max_moves: usize,
    ) -> Self {
        let grids = width * height;
        let every = every.max(1);
        let days = ticks.div_ceil(every) as usize;
        TraceRecorder {
            warmup,
            every,
            max_moves,
            moves_today: 0,
            recent: vec![0; TRACE_INCIDENT_DAYS * grids],
            recent_sum: vec![0; grids],
            trace: Trace {
                width,
                height,
                days: Vec::with_capacity(days),
                values: Vec::with_capacity(days * grids * TRACE_METRICS.len()),
                moves: Vec::new(),
            },
        }
    }

    /// Whether day `tick` (0-based, warm-up included) is recorded: the first measured
    /// day and every `every`-th after it.
    fn records(&self, tick: u32) -> bool {
        let tick = u64::from(tick);
        tick >= self.warmup && (tick - self.warmup).is_multiple_of(self.every)
    }

    /// `who` went from grid `from` to grid `to` on day `tick`: recorded if the day is
    /// and the day's moves are still under the cap.
    pub(super) fn moved(&mut self, tick: u32, from: usize, to: usize, who: Mover) {
        if self.moves_today >= self.max_moves || !self.records(tick) {
            return;
        }
        self.moves_today += 1;
        self.trace.moves.push(TraceMove {
            // The day is added to `days` at its end.
            day: self.trace.days.len() as u32,
            from: from as u32,
            to: to as u32,
            who,
        });
    }

    /// The finished trace.
    pub(super) fn into_trace(self) -> Trace {
        self.trace
    }
}

impl World<'_> {
    /// The end of day `tick`, after its record: every day, the grids' incidents join
    /// the trailing window; on a recorded day, each grid's [`TRACE_METRICS`]. Nothing
    /// without a recorder.
    pub(super) fn record_trace(&mut self, tick: usize) {
        let Some(t) = self.trace.as_deref_mut() else {
            return;
        };
        let grids = self.grids;
        let row = tick % TRACE_INCIDENT_DAYS;
        let today = &mut t.recent[row * grids..(row + 1) * grids];
        for ((sum, day), &events) in t.recent_sum.iter_mut().zip(today).zip(&self.events) {
            *sum = *sum - *day + events;
            *day = events;
        }
        t.moves_today = 0;
        if !t.records(tick as u32) {
            return;
        }
        t.trace.days.push(tick as u64 + 1);
        let per_grid = self.per_grid as f64;
        // The trailing days' incidents among the grid's residents are one day's among
        // as many residents times the days.
        let days = (tick + 1).min(TRACE_INCIDENT_DAYS) as f64;
        for k in 0..grids {
            let start = t.trace.values.len();
            t.trace.values.resize(start + TRACE_METRICS.len(), 0.0);
            let row = &mut t.trace.values[start..];
            let mut put = |m: TraceMetric, v: f64| row[m as usize] = v as f32;
            let rate = space::annual_rate_per_1000(t.recent_sum[k], per_grid * days);
            put(TraceMetric::IncidentsPer1000, rate);
            put(TraceMetric::DisorderIndex, self.disorder[k]);
            put(
                TraceMetric::TrustInPolice,
                self.sum_trust_police[k] / per_grid,
            );
            put(
                TraceMetric::ParticipationRate,
                self.contributors[k] as f64 / per_grid,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::co_governance::params::Params;
    use crate::model::co_governance::{
        GRID_METRICS, GridMetric, SERIES, Series, TRACE_METRICS, TraceMetric, simulate,
        simulate_traced,
    };
    use crate::model::{Mover, RunOutput, Trace};

    /// A small district: 3 x 3 grids, 10 warm-up days and 30 measured.
    fn small() -> Params {
        let mut p = Params::default();
        p.district.width = 3;
        p.district.height = 3;
        p.run.warmup_ticks = 10;
        p.run.ticks = 30;
        p
    }

    /// A reform-like district: liability is mostly clear and disputes many, so many
    /// community calls are made and acted on.
    fn reform() -> Params {
        let mut p = small();
        p.liability.clarity = 0.9;
        p.disputes.rate_per_1000 = 2_000.0;
        p
    }

    fn bits(x: &[f64]) -> Vec<u64> {
        x.iter().map(|v| v.to_bits()).collect()
    }

    fn assert_same_run(a: &RunOutput, b: &RunOutput, what: &str) {
        assert_eq!(bits(&a.metrics), bits(&b.metrics), "{what}: metrics");
        assert_eq!(bits(&a.series), bits(&b.series), "{what}: series");
        assert_eq!(bits(&a.cells), bits(&b.cells), "{what}: cells");
    }

    /// Each recorded day's moves, by index into `days`.
    fn moves_by_day(t: &Trace) -> Vec<Vec<(u32, u32, Mover)>> {
        let mut days = vec![Vec::new(); t.days.len()];
        for m in &t.moves {
            days[m.day as usize].push((m.from, m.to, m.who));
        }
        days
    }

    #[test]
    fn a_traced_run_is_the_untraced_run_bit_for_bit() {
        for (what, p) in [("default", small()), ("reform", reform())] {
            for seed in [1, 2] {
                let plain = simulate(&p, seed);
                for (every, max) in [(1, usize::MAX), (7, 3), (0, 0)] {
                    let (traced, trace) = simulate_traced(&p, seed, every, max);
                    assert_same_run(
                        &traced,
                        &plain,
                        &format!("{what}, seed {seed}, every {every}"),
                    );
                    assert!(!trace.days.is_empty());
                }
            }
        }
        // The comparison sees a difference: another seed is another run.
        let p = small();
        assert_ne!(bits(&simulate(&p, 1).series), bits(&simulate(&p, 2).series));
    }

    #[test]
    fn the_trace_has_its_shape_and_every_value_its_range() {
        for p in [small(), reform()] {
            let grids = 9;
            for (every, days) in [
                (1, (11..=40).collect::<Vec<u64>>()),
                (7, vec![11, 18, 25, 32, 39]),
                (0, (11..=40).collect()),
            ] {
                let max = 5;
                let (_, t) = simulate_traced(&p, 3, every, max);
                assert_eq!((t.width, t.height), (3, 3));
                assert_eq!(t.days, days, "every {every}");
                assert_eq!(t.values.len(), days.len() * grids * TRACE_METRICS.len());
                for (i, &v) in t.values.iter().enumerate() {
                    let def = &TRACE_METRICS[i % TRACE_METRICS.len()];
                    let v = f64::from(v);
                    assert!(
                        v.is_finite() && def.min <= v && v <= def.max,
                        "{}: {v}",
                        def.name
                    );
                }
                for m in &t.moves {
                    assert!((m.day as usize) < t.days.len());
                    assert!(
                        (m.from as usize) < grids && (m.to as usize) < grids,
                        "{m:?}"
                    );
                    if !matches!(m.who, Mover::Officer | Mover::Auxiliary) {
                        assert_eq!(m.from, m.to, "{m:?}");
                    }
                }
                assert!(t.moves.windows(2).all(|w| w[0].day <= w[1].day));
                // At most `max` moves a day, and they are the first of the day's moves.
                let all = simulate_traced(&p, 3, every, usize::MAX).1;
                let (capped, uncapped) = (moves_by_day(&t), moves_by_day(&all));
                for (c, u) in capped.iter().zip(&uncapped) {
                    assert!(c.len() <= max);
                    assert_eq!(c[..], u[..u.len().min(max)]);
                }
                assert!(uncapped.iter().any(|u| u.len() > max), "the cap is tested");
            }
        }
    }

    #[test]
    fn the_trace_agrees_with_the_run_it_traces() {
        let k = TRACE_METRICS.len();
        for p in [small(), reform()] {
            let (out, t) = simulate_traced(&p, 4, 1, usize::MAX);
            let grids = 9;
            let days = t.days.len();
            // Each day's values, averaged over days, are the grids' window means.
            for (m, g) in [
                (TraceMetric::DisorderIndex, GridMetric::DisorderIndex),
                (TraceMetric::TrustInPolice, GridMetric::TrustInPolice),
                (
                    TraceMetric::ParticipationRate,
                    GridMetric::ParticipationRate,
                ),
            ] {
                let traced = t
                    .values
                    .chunks(k)
                    .map(|c| f64::from(c[m as usize]))
                    .sum::<f64>()
                    / (days * grids) as f64;
                let g_k = GRID_METRICS.len();
                let cells =
                    out.cells.chunks(g_k).map(|c| c[g as usize]).sum::<f64>() / grids as f64;
                assert!(
                    (traced - cells).abs() <= 1e-6 * cells.abs().max(1e-3),
                    "{}: {traced} vs {cells}",
                    m.def().name
                );
            }
            // Each day's incident rates, back to counts, are the district's incidents of
            // the trailing 28 days (warm-up included).
            let per_grid = p.residents_per_grid() as f64;
            let s = SERIES.len();
            for (i, &day) in t.days.iter().enumerate() {
                let window = (day as usize).min(28) as f64;
                let counted: f64 = (0..grids)
                    .map(|g| {
                        let rate = f64::from(t.values[(i * grids + g) * k]);
                        (rate * per_grid * window / 365_000.0).round()
                    })
                    .sum();
                let rows = day as usize - window as usize..day as usize;
                let series: f64 = rows
                    .map(|r| out.series[r * s + Series::Incidents as usize])
                    .sum();
                assert_eq!(counted, series, "day {day}");
            }
            // Units were sent to calls.
            let units = t
                .moves
                .iter()
                .filter(|m| matches!(m.who, Mover::Officer | Mover::Auxiliary))
                .count();
            assert!(units > 0);
        }
        // And community actors did work in the reform-like district.
        let (_, t) = simulate_traced(&reform(), 4, 1, usize::MAX);
        assert!(
            t.moves
                .iter()
                .any(|m| !matches!(m.who, Mover::Officer | Mover::Auxiliary))
        );
    }
}
