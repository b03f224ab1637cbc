//! Workshop mode (issue 13): the baseline against the levers a room has set, as a
//! paired comparison streamed one replication at a time.
//!
//! This file is the computation, with no server: [`stream`] runs replication `r` of
//! the baseline and of the current settings on the same seed (common random
//! numbers, as `cogov compare` does), and after every finished pair hands the
//! caller a [`Snapshot`]: each key metric's baseline and current means with the
//! paired difference and its 95% interval, and the headline series of both with
//! bands. The numbers tighten as pairs arrive; the caller's `stop` ends the run
//! after the pairs in flight (a new request cancels the one before).

use crate::experiment::compare::PairedAccumulator;
use crate::experiment::{Experiment, Kind, Point, Shard};
use crate::model::ModelParams;
use crate::runner::{Outcome, RunEnd, run_jobs};
use crate::schema::metrics::Better;
use crate::stats::{Accumulator, Summary};
use serde::Serialize;

/// How a change is judged on a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The interval excludes zero and the metric is better that way.
    Better,
    Worse,
    /// The interval excludes zero; the metric has no better direction.
    Changed,
    /// The interval includes zero, or there is none yet.
    Unclear,
}

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

/// The running sums of a comparison.
struct Sums {
    paired: PairedAccumulator,
    /// `series[run][series][tick index]`, run 0 the baseline.
    series: [Vec<Vec<Accumulator>>; 2],
    ticks: Vec<u64>,
}

fn judge(better: Better, d: &Summary) -> Verdict {
    if !(d.ci95_low > 0.0 || d.ci95_high < 0.0) {
        return Verdict::Unclear;
    }
    match better.judge(d.mean) {
        Some(true) => Verdict::Better,
        Some(false) => Verdict::Worse,
        None => Verdict::Changed,
    }
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
                    verdict: judge(def.better, &r.difference),
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

/// What to compare: the baseline and the current settings (the same model),
/// `replications` pairs on seeds derived from `seed`, series sampled every
/// `every`-th day.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub base: &'a ModelParams,
    pub current: &'a ModelParams,
    pub replications: u64,
    pub seed: u64,
    pub every: u64,
}

/// Runs `request`'s pairs and calls `update` with the comparison after every
/// finished pair. Stops early, after the pairs in flight, once `stop()` says so. A
/// run that fails (it cannot: both parameter sets are validated) counts as
/// undefined.
///
/// # Panics
/// If the two parameter sets are of different models.
pub fn stream(
    request: &Request,
    pool: &rayon::ThreadPool,
    stop: &dyn Fn() -> bool,
    update: &mut dyn FnMut(&Snapshot),
) -> RunEnd {
    let Request {
        base,
        current,
        replications,
        seed,
        every,
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
        points: vec![point("baseline", base), point("current", current)],
        replications,
        seed,
        common_random_numbers: true,
    };
    let metrics = model.metrics().len();
    let series = model.headline_series();
    let width = model.series().len();
    let every = every.max(1);
    let mut sums = Sums {
        paired: PairedAccumulator::new(2, metrics),
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
                        update(&sums.snapshot(base, replications));
                    }
                    (_, None) => {}
                }
            }
            Ok(())
        },
        &|_| {},
        stop,
    );
    match end {
        Ok(end) => end,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    fn small() -> Params {
        let mut p = Params::default();
        p.district.width = 3;
        p.district.height = 3;
        p.run.warmup_ticks = 10;
        p.run.ticks = 30;
        p
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
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
            replications: 6,
            seed: 11,
            every: 7,
        };
        let end = stream(&request, &pool(2), &|| false, &mut |s| seen.push(s.clone()));
        assert_eq!(end, RunEnd::Completed);
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
        // Threads do not change a number.
        let mut one = Vec::new();
        stream(&request, &pool(1), &|| false, &mut |s| one.push(s.clone()));
        let json = |v: &[Snapshot]| serde_json::to_string(v).unwrap();
        assert_eq!(json(&one), json(&seen));
    }

    #[test]
    fn stop_ends_after_the_pairs_in_flight() {
        let base = ModelParams::from(small());
        let stopped = std::cell::Cell::new(false);
        let mut updates = 0;
        let request = Request {
            base: &base,
            current: &base,
            replications: 50,
            seed: 3,
            every: 7,
        };
        let end = stream(&request, &pool(2), &|| stopped.get(), &mut |_| {
            updates += 1;
            stopped.set(true);
        });
        assert!(matches!(end, RunEnd::Interrupted { .. }), "{end:?}");
        assert!((1..50).contains(&updates), "{updates}");
    }
}
