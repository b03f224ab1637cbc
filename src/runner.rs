//! Monte Carlo runs in parallel, delivered in a fixed order.
//!
//! [`run_jobs`] runs a range of an [`Experiment`]'s jobs (design points, each
//! replicated; see [`crate::experiment`] for a job's identity and seed, derived with
//! [`run_seed`], a SplitMix64 mix of the base seed and the replication). Runs execute
//! on the caller's rayon pool (the CLI sizes it with `--threads`) in batches; each
//! batch is handed to the sink in job order before the next starts, so results do not
//! depend on thread count or completion order, memory stays bounded and output files
//! can be written as runs finish. It skips jobs another shard owns, turns an invalid
//! point or a panicking run into a recorded failure instead of an abort, and checks
//! between batches whether the caller asked it to stop (Ctrl-C), so an interrupted
//! experiment ends on a whole batch.
//!
//! Progress reaches the caller through a plain callback, so the core does not depend
//! on any progress-bar crate.

use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::experiment::{Experiment, Job, Shard};
use crate::model::RunOutput;

/// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijective mix of 64 bits.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of replication `run` under base seed `base_seed`.
///
/// # Examples
/// ```
/// use cogov::runner::run_seed;
/// assert_eq!(run_seed(42, 3), run_seed(42, 3));
/// assert_ne!(run_seed(42, 3), run_seed(42, 4));
/// assert_ne!(run_seed(42, 3), run_seed(43, 3));
/// ```
pub fn run_seed(base_seed: u64, run: u64) -> u64 {
    mix64(mix64(base_seed).wrapping_add(run.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
}

/// How many runs are in flight per batch, per worker thread.
const BATCH_PER_THREAD: usize = 4;

/// What became of one job.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Finished(RunOutput),
    /// The point's parameters are invalid, or the model panicked: the message.
    Failed(String),
}

/// One job and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    pub job: Job,
    pub outcome: Outcome,
}

/// How [`run_jobs`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// Every job of the range was run (or skipped as another shard's).
    Completed,
    /// `stop()` said stop; jobs before `next` are done and delivered.
    Interrupted { next: u64 },
}

thread_local! {
    /// True while this thread simulates a job whose panic [`run_job`] will catch and
    /// record, so a panic hook can leave the reporting to `failures.csv`.
    static IN_RUN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True on a thread that is inside a run whose panic will be caught and recorded as
/// a failed run (for a process-wide panic hook to stay quiet).
pub fn inside_run() -> bool {
    IN_RUN.with(std::cell::Cell::get)
}

/// Runs one job, catching a panic so one bad run does not take the others down.
fn run_job(experiment: &Experiment, job: Job) -> Outcome {
    match &experiment.points[job.point].params {
        Err(message) => Outcome::Failed(message.clone()),
        Ok(params) => match catch_unwind(AssertUnwindSafe(|| {
            IN_RUN.with(|r| r.set(true));
            let output = params.simulate(job.seed);
            IN_RUN.with(|r| r.set(false));
            output
        }))
        .inspect_err(|_| IN_RUN.with(|r| r.set(false)))
        {
            Ok(output) => Outcome::Finished(output),
            Err(panic) => {
                let text = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                Outcome::Failed(format!("the model failed: {text}"))
            }
        },
    }
}

/// Runs the jobs numbered `range` that `shard` owns on `pool`, and hands them to
/// `sink` one batch at a time, in job order, on the calling thread. `progress(done)`
/// is called from worker threads with the number of jobs finished in this call;
/// `stop()` is asked between batches.
///
/// # Errors
/// The first error the sink returns; no job after it is started.
pub fn run_jobs<E>(
    experiment: &Experiment,
    range: Range<u64>,
    shard: Shard,
    pool: &rayon::ThreadPool,
    mut sink: impl FnMut(&[JobRecord]) -> Result<(), E>,
    progress: &(dyn Fn(u64) + Sync),
    stop: &dyn Fn() -> bool,
) -> Result<RunEnd, E> {
    let batch = (pool.current_num_threads() * BATCH_PER_THREAD).max(1);
    let done = AtomicU64::new(0);
    let mut next = range.start;
    let mut jobs: Vec<Job> = Vec::with_capacity(batch);
    while next < range.end {
        if stop() {
            return Ok(RunEnd::Interrupted { next });
        }
        jobs.clear();
        while jobs.len() < batch && next < range.end {
            if shard.owns(next) {
                jobs.push(experiment.job(next));
            }
            next += 1;
        }
        let records: Vec<JobRecord> = pool.install(|| {
            jobs.par_iter()
                .map(|&job| {
                    let outcome = run_job(experiment, job);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    JobRecord { job, outcome }
                })
                .collect()
        });
        sink(&records)?;
    }
    Ok(RunEnd::Completed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    fn small() -> Params {
        let mut p = Params::default();
        p.run.ticks = 20;
        p.run.warmup_ticks = 5;
        p.district.width = 2;
        p.district.height = 2;
        p
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    fn collect(threads: usize, n: u64) -> Vec<JobRecord> {
        let e = Experiment::single("small", small().into(), n, 9);
        let mut out = Vec::new();
        run_jobs(
            &e,
            0..n,
            Shard::ALL,
            &pool(threads),
            |records| -> Result<(), ()> {
                out.extend_from_slice(records);
                Ok(())
            },
            &|_| {},
            &|| false,
        )
        .unwrap();
        out
    }

    #[test]
    fn records_arrive_in_order_and_match_across_thread_counts() {
        let one = collect(1, 11);
        let two = collect(2, 11);
        assert_eq!(
            one.iter().map(|r| r.job.replication).collect::<Vec<_>>(),
            (0..11).collect::<Vec<_>>()
        );
        // Compare bits: NaN (an undefined metric) must match NaN.
        let bits = |rs: &[JobRecord]| -> Vec<(u64, u64, Vec<u64>, Vec<u64>)> {
            rs.iter()
                .map(|r| {
                    let Outcome::Finished(output) = &r.outcome else {
                        panic!("run {} failed", r.job.index);
                    };
                    let m = output.metrics.iter().map(|x| x.to_bits()).collect();
                    let s = output.series.iter().map(|x| x.to_bits()).collect();
                    (r.job.replication, r.job.seed, m, s)
                })
                .collect()
        };
        assert_eq!(bits(&one), bits(&two));
    }

    #[test]
    fn a_panicking_run_is_recorded_as_a_failure_and_the_others_complete() {
        use crate::experiment::{Experiment, Kind, Point};
        let good = small();
        let mut broken = small();
        // Bypasses the parameter checks on purpose: the model's Normal::new refuses it.
        broken.trust.quality_sd = f64::NAN;
        let point = |params: Params| Point {
            label: String::new(),
            values: vec![],
            params: Ok(params.into()),
        };
        let e = Experiment {
            kind: Kind::Sweep,
            model: crate::model::Model::CoGovernance,
            columns: vec![],
            points: vec![point(good), point(broken)],
            replications: 2,
            seed: 1,
            common_random_numbers: true,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let mut outcomes = Vec::new();
        let end = run_jobs(
            &e,
            0..4,
            Shard::ALL,
            &pool,
            |records| -> Result<(), ()> {
                outcomes.extend(records.iter().map(|r| (r.job.point, r.outcome.clone())));
                Ok(())
            },
            &|_| {},
            &|| false,
        )
        .unwrap();
        assert_eq!(end, RunEnd::Completed);
        assert_eq!(outcomes.len(), 4);
        for (point, outcome) in outcomes {
            match (point, outcome) {
                (0, Outcome::Finished(_)) => {}
                (1, Outcome::Failed(message)) => assert!(message.starts_with("the model failed")),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(!inside_run());
    }

    #[test]
    fn run_seeds_are_distinct() {
        let mut seeds: Vec<u64> = (0..10_000).map(|i| run_seed(1, i)).collect();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), 10_000);
    }

    #[test]
    fn a_sink_error_stops_the_run() {
        let e = Experiment::single("small", small().into(), 50, 1);
        let mut seen = 0;
        let r = run_jobs(
            &e,
            0..50,
            Shard::ALL,
            &pool(2),
            |_| {
                seen += 1;
                if seen == 3 { Err("stop") } else { Ok(()) }
            },
            &|_| {},
            &|| false,
        );
        assert_eq!(r, Err("stop"));
        assert_eq!(seen, 3);
    }
}
