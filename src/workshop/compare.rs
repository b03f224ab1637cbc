//! The computation behind `POST /api/run`: the baseline against the levers a room
//! has set, as a paired comparison streamed one replication at a time.
//!
//! [`stream`] runs replication `r` of the baseline and of the current settings on the
//! same seed (common random numbers, as `cogov compare` does), and after every
//! finished pair hands the caller a [`Snapshot`]: each key metric's baseline and
//! current means with the paired difference and its 95% interval, and the headline
//! series of both with bands. The numbers tighten as pairs arrive; the caller's
//! `stop` ends the run after the pairs in flight (a new request cancels the one
//! before). After the first pair it also hands over the day-by-day map of the
//! current settings' first replication ([`Trace`]), and at the end the results as
//! the CSV files `cogov compare` writes ([`Results`]).

use crate::experiment::compare::PairedAccumulator;
use crate::experiment::{Experiment, Kind, Point, Shard, run_seed};
use crate::model::{ModelParams, Trace};
use crate::output::comparison::comparison_csv;
use crate::output::layout::Layout;
use crate::runner::{Outcome, RunEnd, run_jobs};
use crate::schema::metrics::Verdict;
use crate::stats::Accumulator;
use serde::Serialize;

/// One key metric: the baseline against the current settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub metric: &'static str,
    pub unit: &'static str,
    /// "higher", "lower" or "neither".
    pub better: &'static str,
    pub baseline: f64,
    pub current: f64,
    /// Current minus baseline, pair by pair: the mean and its 95% interval (NaN, and
    /// `null` in JSON, until there are two pairs).
    pub difference: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub verdict: Verdict,
}

/// One headline series of both runs: per sampled day, the mean and 95% band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPair {
    pub series: &'static str,
    pub unit: &'static str,
    pub ticks: Vec<u64>,
    /// `[mean, low, high]` per tick, the baseline's then the current settings'.
    pub baseline: Vec<[f64; 3]>,
    pub current: Vec<[f64; 3]>,
}

/// The comparison after some pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Pairs finished so far, and how many were asked for.
    pub replications: u64,
    pub target: u64,
    pub cards: Vec<Card>,
    pub series: Vec<SeriesPair>,
}

/// What [`stream`] hands its caller as the comparison goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// The comparison after one more pair.
    Snapshot(&'a Snapshot),
    /// The current settings' first replication day by day (once, after the first
    /// pair), when the request asked for a map.
    Map(&'a Trace),
}

/// A finished (or stopped) comparison's results as `cogov compare` writes them: the
/// bytes of `runs.csv` (`scenario,run,seed,<metrics>`) and `comparison.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub end: RunEnd,
    /// Pairs finished.
    pub replications: u64,
    pub runs_csv: String,
    pub comparison_csv: String,
}

/// Days of the map: its frames are every `MAP_EVERY`-th day of the measured window,
/// at most [`MAP_MOVES_PER_DAY`] moves a day (enough to see who goes where without
/// hiding the grids).
pub const MAP_EVERY: u64 = 1;
pub const MAP_MOVES_PER_DAY: usize = 40;

/// The running sums of a comparison.
struct Sums {
    paired: PairedAccumulator,
    /// `runs.csv` so far, in job order.
    runs: String,
    /// `series[run][series][tick index]`, run 0 the baseline.
    series: [Vec<Vec<Accumulator>>; 2],
    ticks: Vec<u64>,
}

impl Sums {
    fn snapshot(&self, base: &ModelParams, target: u64) -> Snapshot {
        let model = base.model();
        let defs = model.metrics();
        let rows = self.paired.rows();
        let cards = model
            .key_metrics()
            .into_iter()
            .filter_map(|m| rows.iter().find(|r| r.metric == m))
            .map(|r| {
                let def = &defs[r.metric];
                Card {
                    metric: def.name,
                    unit: def.unit,
                    better: def.better.word(),
                    baseline: r.baseline_mean,
                    current: r.reform_mean,
                    difference: r.difference.mean,
                    ci95_low: r.difference.ci95_low,
                    ci95_high: r.difference.ci95_high,
                    verdict: {
                        let d = &r.difference;
                        def.better.verdict(d.mean, d.ci95_low, d.ci95_high)
                    },
                }
            })
            .collect();
        let sdefs = model.series();
        let band = |acc: &Accumulator| {
            let s = acc.summary();
            [s.mean, s.ci95_low, s.ci95_high]
        };
        let series = model
            .headline_series()
            .into_iter()
            .enumerate()
            .map(|(k, s)| SeriesPair {
                series: sdefs[s].name,
                unit: sdefs[s].unit,
                ticks: self.ticks.clone(),
                baseline: self.series[0][k].iter().map(band).collect(),
                current: self.series[1][k].iter().map(band).collect(),
            })
            .collect();
        Snapshot {
            replications: self.paired.replications(),
            target,
            cards,
            series,
        }
    }
}

/// What to compare: the baseline and the current settings (the same model) under
/// their names, `replications` pairs on seeds derived from `seed` (as `cogov
/// compare` derives them from the baseline's `run.seed`), series sampled every
/// `every`-th day, and whether to trace the map.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub base: &'a ModelParams,
    pub current: &'a ModelParams,
    pub names: [&'a str; 2],
    pub replications: u64,
    pub seed: u64,
    pub every: u64,
    pub map: bool,
}

/// Runs `request`'s pairs and calls `update` with the comparison after every
/// finished pair (and once with the map). Stops early, after the pairs in flight,
/// once `stop()` says so. A run that fails (it cannot: both parameter sets are
/// validated) counts as undefined.
///
/// # Panics
/// If the two parameter sets are of different models.
pub fn stream(
    request: &Request,
    pool: &rayon::ThreadPool,
    stop: &dyn Fn() -> bool,
    update: &mut dyn FnMut(Event),
) -> Results {
    let Request {
        base,
        current,
        names,
        replications,
        seed,
        every,
        map,
    } = *request;
    let model = base.model();
    assert_eq!(
        model,
        current.model(),
        "a comparison pairs runs of one model"
    );
    let point = |label: &str, params: &ModelParams| Point {
        label: label.to_string(),
        values: vec![],
        params: Ok(params.clone()),
    };
    let experiment = Experiment {
        kind: Kind::Compare,
        model,
        columns: vec![],
        points: vec![point(names[0], base), point(names[1], current)],
        replications,
        seed,
        common_random_numbers: true,
    };
    let metrics = model.metrics().len();
    let series = model.headline_series();
    let width = model.series().len();
    let every = every.max(1);
    let layout = Layout::of(&experiment, 0);
    let mut sums = Sums {
        paired: PairedAccumulator::new(2, metrics),
        runs: layout.runs_header(),
        series: [Vec::new(), Vec::new()],
        ticks: Vec::new(),
    };
    let mut pending: Option<Vec<f64>> = None;
    let end = run_jobs::<std::convert::Infallible>(
        &experiment,
        0..experiment.job_count(),
        Shard::ALL,
        pool,
        |records| {
            for record in records {
                let (metrics_of, rows) = match &record.outcome {
                    Outcome::Finished(out) => (out.metrics.clone(), Some(&out.series)),
                    Outcome::Failed(_) => (vec![f64::NAN; metrics], None),
                };
                let run = record.job.point;
                layout.runs_row(&mut sums.runs, &record.job, &metrics_of);
                if let Some(rows) = rows {
                    let sampled: Vec<(u64, &[f64])> = rows
                        .chunks(width)
                        .enumerate()
                        .map(|(t, row)| (t as u64 + 1, row))
                        .filter(|(tick, _)| tick.is_multiple_of(every))
                        .collect();
                    if sums.ticks.is_empty() {
                        sums.ticks = sampled.iter().map(|(t, _)| *t).collect();
                    }
                    let acc = &mut sums.series[run];
                    if acc.is_empty() {
                        *acc = vec![vec![Accumulator::new(); sums.ticks.len()]; series.len()];
                    }
                    for (k, &s) in series.iter().enumerate() {
                        for (slot, (_, row)) in acc[k].iter_mut().zip(&sampled) {
                            slot.push(row[s]);
                        }
                    }
                }
                match (run, pending.take()) {
                    (0, _) => pending = Some(metrics_of),
                    (_, Some(base_metrics)) => {
                        sums.paired.push(&[&base_metrics, &metrics_of]);
                        update(Event::Snapshot(&sums.snapshot(base, replications)));
                        if map && sums.paired.replications() == 1 {
                            let first = run_seed(seed, 0);
                            let traced =
                                current.simulate_traced(first, MAP_EVERY, MAP_MOVES_PER_DAY);
                            if let (_, Some(trace)) = traced {
                                update(Event::Map(&trace));
                            }
                        }
                    }
                    (_, None) => {}
                }
            }
            Ok(())
        },
        &|_| {},
        stop,
    );
    let end = match end {
        Ok(end) => end,
        Err(never) => match never {},
    };
    let scenario_names = names.map(str::to_string);
    let rows = sums.paired.rows();
    let comparison = comparison_csv(&scenario_names, model.metrics(), &rows);
    Results {
        end,
        replications: sums.paired.replications(),
        runs_csv: sums.runs,
        comparison_csv: String::from_utf8_lossy(&comparison).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;
    use crate::runner::tests::pool;

    fn small() -> Params {
        let mut p = Params::default();
        p.district.width = 3;
        p.district.height = 3;
        p.run.warmup_ticks = 10;
        p.run.ticks = 30;
        p
    }

    #[test]
    fn every_pair_updates_and_the_end_agrees_with_compare_s_accumulator() {
        let base = ModelParams::from(small());
        let mut reform = small();
        reform.police.officers_per_10k = 25.0;
        let current = ModelParams::from(reform);
        let mut seen = Vec::new();
        let request = Request {
            base: &base,
            current: &current,
            names: ["base", "more officers"],
            replications: 6,
            seed: 11,
            every: 7,
            map: true,
        };
        let mut maps = Vec::new();
        let results = stream(&request, &pool(2), &|| false, &mut |e| match e {
            Event::Snapshot(s) => seen.push(s.clone()),
            Event::Map(m) => maps.push((seen.len(), m.clone())),
        });
        assert_eq!(results.end, RunEnd::Completed);
        assert_eq!(
            seen.iter().map(|s| s.replications).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        let last = seen.last().unwrap();
        assert_eq!(last.cards.len(), 6);
        assert_eq!(last.cards[0].metric, "incidents_per_1000");
        // The same pairs through compare's own accumulator, run by run.
        let mut acc = PairedAccumulator::new(2, base.model().metrics().len());
        for r in 0..6 {
            let seed = crate::experiment::run_seed(11, r);
            let (b, c) = (base.simulate(seed), current.simulate(seed));
            acc.push(&[&b.metrics, &c.metrics]);
        }
        let row = acc.rows().into_iter().find(|r| r.metric == 0).unwrap();
        let card = &last.cards[0];
        assert_eq!(
            (card.baseline, card.current, card.difference, card.ci95_low),
            (
                row.baseline_mean,
                row.reform_mean,
                row.difference.mean,
                row.difference.ci95_low
            )
        );
        // More officers: more officer hours, and the series are sampled weekly.
        assert!(last.series[0].ticks.iter().all(|t| t % 7 == 0));
        assert_eq!(last.series[0].baseline.len(), last.series[0].ticks.len());
        // The first update has no interval yet and says so.
        assert!(seen[0].cards[0].ci95_low.is_nan());
        assert_eq!(seen[0].cards[0].verdict, Verdict::Unclear);
        // One map, after the first pair, of the current settings' first replication:
        // its run is the first pair's.
        assert_eq!(maps.len(), 1);
        let (after, map) = &maps[0];
        assert_eq!(*after, 1);
        let (out, again) = current.simulate_traced(
            crate::experiment::run_seed(11, 0),
            MAP_EVERY,
            MAP_MOVES_PER_DAY,
        );
        assert_eq!(again.as_ref(), Some(map));
        assert_eq!(seen[0].cards[0].current, out.metrics[0]);
        // The results are the files `cogov compare` writes: one runs.csv row a run,
        // the comparison's rows for every metric.
        assert_eq!(results.runs_csv.lines().count(), 1 + 12);
        assert!(
            results
                .runs_csv
                .starts_with("scenario,run,seed,incidents_per_1000,")
        );
        assert!(
            results.runs_csv.contains("\n\"more officers\",5,")
                || results.runs_csv.contains("\nmore officers,5,")
        );
        let comparison: Vec<&str> = results.comparison_csv.lines().collect();
        assert_eq!(comparison.len(), 1 + base.model().metrics().len());
        assert!(comparison[1].starts_with("more officers,incidents_per_1000,"));
        // Threads do not change a number.
        let mut one = Vec::new();
        let again = stream(&request, &pool(1), &|| false, &mut |e| {
            if let Event::Snapshot(s) = e {
                one.push(s.clone());
            }
        });
        let json = |v: &[Snapshot]| serde_json::to_string(v).unwrap();
        assert_eq!(json(&one), json(&seen));
        assert_eq!(again, results);
    }

    #[test]
    fn stop_ends_after_the_pairs_in_flight() {
        let base = ModelParams::from(small());
        let stopped = std::cell::Cell::new(false);
        let mut updates = 0;
        let request = Request {
            base: &base,
            current: &base,
            names: ["a", "b"],
            replications: 50,
            seed: 3,
            every: 7,
            map: false,
        };
        let results = stream(&request, &pool(2), &|| stopped.get(), &mut |e| {
            assert!(matches!(e, Event::Snapshot(_)), "no map was asked for");
            updates += 1;
            stopped.set(true);
        });
        let end = results.end;
        assert!(matches!(end, RunEnd::Interrupted { .. }), "{end:?}");
        // The results hold the runs that finished: the pairs, and perhaps a baseline
        // run whose partner was not started.
        let runs = results.runs_csv.lines().count() - 1;
        assert!(
            runs == 2 * updates || runs == 2 * updates + 1,
            "{runs} runs"
        );
        assert!((1..50).contains(&updates), "{updates}");
    }
}
