//! Monte Carlo runs in parallel, delivered in a fixed order.
//!
//! [`run_jobs`] runs a range of an [`Experiment`]'s jobs (design points, each
//! replicated; see [`crate::experiment`] for a job's identity and seed, derived with
//! [`crate::experiment::run_seed`], a SplitMix64 mix of the base seed and the replication). Runs execute
//! on the caller's rayon pool (the CLI sizes it with `--threads`): each worker takes
//! the next job as soon as it finishes one, and finished runs are handed to the sink
//! in job order, a few at a time, as soon as every earlier job has finished. So
//! results do not depend on thread count or completion order, no thread waits for the
//! slowest run of a batch, memory stays bounded (at most four runs per thread wait
//! their turn) and output files can be written as runs finish. It skips jobs another
//! shard owns, turns an invalid point or a panicking run into a recorded failure
//! instead of an abort, and asks after each hand-over whether the caller wants it to
//! stop (Ctrl-C): then it starts no job, finishes those in flight, and reports the
//! first job not run, every earlier one having been handed over.
//!
//! Progress reaches the caller through a plain callback, so the core does not depend
//! on any progress-bar crate.

use std::collections::BTreeMap;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::experiment::{Experiment, Job, Shard};
use crate::model::RunOutput;

/// How many finished or running jobs may wait to be handed over, per worker thread.
pub const BATCH_PER_THREAD: usize = 4;

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
/// `sink` in job order, a few at a time, on the calling thread. `progress(done)` is
/// called from worker threads with the number of jobs finished in this call; `stop()`
/// is asked each time the sink has been handed results.
///
/// Workers take the next job as soon as they finish one, so no thread waits for the
/// slowest run of a batch; finished runs wait, in a window of at most
/// `BATCH_PER_THREAD` (4) per thread, until every earlier job has finished and they
/// can be handed over in order. Once `stop()` says stop, no job is started: the jobs
/// in flight finish and are handed over, and the end names the first job not run.
///
/// # Errors
/// The first error the sink returns; no job is started after it.
pub fn run_jobs<E>(
    experiment: &Experiment,
    range: Range<u64>,
    shard: Shard,
    pool: &rayon::ThreadPool,
    mut sink: impl FnMut(&[JobRecord]) -> Result<(), E>,
    progress: &(dyn Fn(u64) + Sync),
    stop: &dyn Fn() -> bool,
) -> Result<RunEnd, E> {
    run_jobs_prepared(
        experiment,
        range,
        shard,
        pool,
        &|_| (),
        |records, _| sink(records),
        progress,
        stop,
    )
}

/// [`run_jobs`], with `prepare` applied to each finished job on the worker thread that
/// ran it, and the sink handed each job's record and what `prepare` made of it
/// (`prepared[i]` is `records[i]`'s, the sink's to take). The CLI renders a run's rows
/// of text this way, so formatting grows with the threads and the sink only writes
/// bytes.
///
/// # Errors
/// The first error the sink returns; no job is started after it.
#[allow(clippy::too_many_arguments)]
pub fn run_jobs_prepared<P: Send, E>(
    experiment: &Experiment,
    range: Range<u64>,
    shard: Shard,
    pool: &rayon::ThreadPool,
    prepare: &(dyn Fn(&JobRecord) -> P + Sync),
    mut sink: impl FnMut(&[JobRecord], &mut [P]) -> Result<(), E>,
    progress: &(dyn Fn(u64) + Sync),
    stop: &dyn Fn() -> bool,
) -> Result<RunEnd, E> {
    if range.start < range.end && stop() {
        return Ok(RunEnd::Interrupted { next: range.start });
    }
    let threads = pool.current_num_threads().max(1);
    let window = threads * BATCH_PER_THREAD;
    // The first job at or after `from` that this shard owns (past the end: none).
    let owned_from = |from: u64| {
        let offset = (shard.index - 1 + shard.count - from % shard.count) % shard.count;
        from.saturating_add(offset).min(range.end)
    };
    let shared = Shared {
        state: Mutex::new(Flow {
            next: owned_from(range.start),
            frontier: owned_from(range.start),
            finished: BTreeMap::new(),
            in_flight: 0,
            stopping: false,
        }),
        ready: Condvar::new(),
        room: Condvar::new(),
    };
    let done = AtomicU64::new(0);
    let worker = || {
        loop {
            let index = {
                let mut flow = shared.lock();
                while !flow.stopping
                    && flow.next < range.end
                    && flow.in_flight + flow.finished.len() >= window
                {
                    flow = shared
                        .room
                        .wait(flow)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                if flow.stopping || flow.next >= range.end {
                    break;
                }
                let index = flow.next;
                flow.next = owned_from(index + 1);
                flow.in_flight += 1;
                index
            };
            let job = experiment.job(index);
            let record = JobRecord {
                job,
                outcome: run_job(experiment, job),
            };
            let prepared = prepare(&record);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            let mut flow = shared.lock();
            flow.in_flight -= 1;
            flow.finished.insert(index, (record, prepared));
            shared.ready.notify_one();
        }
        // Wake the caller: this worker will take no more jobs.
        shared.ready.notify_one();
    };
    pool.in_place_scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|_| worker());
        }
        let mut handed: Vec<JobRecord> = Vec::with_capacity(window);
        let mut handed_prepared: Vec<P> = Vec::with_capacity(window);
        loop {
            let all_in = {
                let mut flow = shared.lock();
                loop {
                    let ready = flow.contiguous(&owned_from);
                    let idle = flow.in_flight == 0 && (flow.stopping || flow.next >= range.end);
                    if ready >= threads.min(window) || (idle && ready == flow.finished.len()) {
                        break;
                    }
                    flow = shared
                        .ready
                        .wait(flow)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                let flow = &mut *flow;
                while let Some(entry) = flow.finished.first_entry() {
                    let index = *entry.key();
                    if index != flow.frontier {
                        break;
                    }
                    let (record, prepared) = entry.remove();
                    handed.push(record);
                    handed_prepared.push(prepared);
                    flow.frontier = owned_from(index + 1);
                }
                shared.room.notify_all();
                flow.in_flight == 0
                    && flow.finished.is_empty()
                    && (flow.stopping || flow.next >= range.end)
            };
            if !handed.is_empty() {
                if let Err(e) = sink(&handed, &mut handed_prepared) {
                    shared.halt();
                    return Err(e);
                }
                handed.clear();
                handed_prepared.clear();
            }
            if !all_in && stop() {
                shared.halt();
            }
            if all_in {
                let next = shared.lock().next;
                return Ok(if next < range.end {
                    RunEnd::Interrupted { next }
                } else {
                    RunEnd::Completed
                });
            }
        }
    })
}

/// What the workers and the caller of [`run_jobs`] share.
struct Shared<P> {
    state: Mutex<Flow<P>>,
    /// Signalled when a job finishes or a worker leaves.
    ready: Condvar,
    /// Signalled when finished jobs are handed over (the window has room) or when
    /// the run halts.
    room: Condvar,
}

impl<P> Shared<P> {
    fn lock(&self) -> MutexGuard<'_, Flow<P>> {
        // A worker never panics while holding the lock (runs are caught outside it).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// No job is started from now on.
    fn halt(&self) {
        self.lock().stopping = true;
        self.room.notify_all();
    }
}

/// The progress of a [`run_jobs`] call.
struct Flow<P> {
    /// The next job to start (`range.end` when none is left).
    next: u64,
    /// The next job to hand over: every owned job before it has been.
    frontier: u64,
    /// Finished jobs not yet handed over, by job number, with what `prepare` made of
    /// them.
    finished: BTreeMap<u64, (JobRecord, P)>,
    in_flight: usize,
    /// Start no more jobs (stop asked, or the sink failed).
    stopping: bool,
}

impl<P> Flow<P> {
    /// How many finished jobs can be handed over now: the run of consecutive owned
    /// jobs from the frontier.
    fn contiguous(&self, owned_from: &impl Fn(u64) -> u64) -> usize {
        let mut expect = self.frontier;
        let mut n = 0;
        for &index in self.finished.keys() {
            if index != expect {
                break;
            }
            n += 1;
            expect = owned_from(index + 1);
        }
        n
    }
}

/// Runs every job of `experiment` on `pool` and returns the outputs in job order
/// (replication-major, see [`crate::experiment`]): [`run_jobs`] over the whole
/// experiment, with no shard, progress or stop, for a program that keeps its runs in
/// memory instead of writing a results directory.
///
/// # Errors
/// The first failed job, as `job N (point P, replication R, seed S): message`.
///
/// # Examples
/// ```
/// use cogov::experiment::{Experiment, run_seed};
/// use cogov::model::Model;
/// use cogov::schema::ParamValue;
/// let mut p = Model::CoGovernance.default_params();
/// for (path, value) in [("run.ticks", 20), ("run.warmup_ticks", 5), ("district.width", 2)] {
///     p.set(path, ParamValue::Int(value)).unwrap();
/// }
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let outputs = cogov::runner::replicate(&Experiment::single("small", p.clone(), 3, 9), &pool);
/// let outputs = outputs.unwrap();
/// assert_eq!(outputs.len(), 3);
/// // Replication r ran on run_seed(9, r); compare bits, as NaN marks undefined metrics.
/// let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
/// let again = p.simulate(run_seed(9, 2));
/// assert_eq!(bits(&outputs[2].metrics), bits(&again.metrics));
/// assert_eq!(bits(&outputs[2].series), bits(&again.series));
/// ```
pub fn replicate(
    experiment: &Experiment,
    pool: &rayon::ThreadPool,
) -> Result<Vec<RunOutput>, String> {
    let mut outputs = Vec::with_capacity(usize::try_from(experiment.job_count()).unwrap_or(0));
    run_jobs(
        experiment,
        0..experiment.job_count(),
        Shard::ALL,
        pool,
        |records| {
            for record in records {
                match &record.outcome {
                    Outcome::Finished(output) => outputs.push(output.clone()),
                    Outcome::Failed(message) => {
                        let j = record.job;
                        return Err(format!(
                            "job {} (point {}, replication {}, seed {}): {message}",
                            j.index, j.point, j.replication, j.seed
                        ));
                    }
                }
            }
            Ok(())
        },
        &|_| {},
        &|| false,
    )?;
    Ok(outputs)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    /// A 3 x 3 district run for 5 + 20 days: a run in a few milliseconds.
    pub(crate) fn small() -> Params {
        let mut p = Params::default();
        p.run.ticks = 20;
        p.run.warmup_ticks = 5;
        p.district.width = 3;
        p.district.height = 3;
        p
    }

    /// A pool of `threads` workers.
    pub(crate) fn pool(threads: usize) -> rayon::ThreadPool {
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
    fn each_job_is_prepared_on_a_worker_and_handed_over_with_its_record() {
        let e = Experiment::single("small", small().into(), 9, 9);
        let caller = std::thread::current().id();
        let (mut records, mut prepared) = (Vec::new(), Vec::new());
        run_jobs_prepared(
            &e,
            0..9,
            Shard::ALL,
            &pool(2),
            &|r: &JobRecord| (r.job.index, std::thread::current().id()),
            |rs: &[JobRecord], ps: &mut [(u64, std::thread::ThreadId)]| -> Result<(), ()> {
                assert_eq!(rs.len(), ps.len());
                records.extend(rs.iter().map(|r| r.job.index));
                prepared.extend_from_slice(ps);
                Ok(())
            },
            &|_| {},
            &|| false,
        )
        .unwrap();
        assert_eq!(records, (0..9).collect::<Vec<_>>());
        assert_eq!(prepared.iter().map(|p| p.0).collect::<Vec<_>>(), records);
        assert!(
            prepared.iter().all(|p| p.1 != caller),
            "prepared on the caller"
        );
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

    /// Small runs in the stop tests: more owned jobs than the reorder window can hold
    /// (at most 4 per thread are ever claimed beyond those handed over), so a stop
    /// after the first hand-overs always leaves jobs not run.
    const STOP_JOBS: u64 = 200;

    /// The jobs `run_jobs` hands over for `shard` of [`STOP_JOBS`] small runs, on 2
    /// threads, asked to stop once `stop_after` jobs have been handed over.
    fn handed(shard: Shard, stop_after: usize) -> (Vec<u64>, RunEnd) {
        let e = Experiment::single("small", small().into(), STOP_JOBS, 3);
        let count = std::cell::Cell::new(0);
        let mut got = Vec::new();
        let end = run_jobs(
            &e,
            0..STOP_JOBS,
            shard,
            &pool(2),
            |records| -> Result<(), ()> {
                got.extend(records.iter().map(|r| r.job.index));
                count.set(got.len());
                Ok(())
            },
            &|_| {},
            &|| count.get() >= stop_after,
        )
        .unwrap();
        (got, end)
    }

    #[test]
    fn a_shard_gets_its_own_jobs_in_order() {
        let shard = Shard { index: 2, count: 3 };
        let (got, end) = handed(shard, usize::MAX);
        assert_eq!(end, RunEnd::Completed);
        assert_eq!(
            got,
            (0..STOP_JOBS)
                .filter(|&i| shard.owns(i))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_stop_hands_over_every_job_before_the_first_not_run() {
        for shard in [Shard::ALL, Shard { index: 3, count: 4 }] {
            let (got, end) = handed(shard, 3);
            let RunEnd::Interrupted { next } = end else {
                panic!("not interrupted: {end:?}");
            };
            assert!(got.len() >= 3 && next < STOP_JOBS, "{got:?} {next}");
            let owned: Vec<u64> = (0..next).filter(|&i| shard.owns(i)).collect();
            assert_eq!(got, owned, "jobs before {next}, in order, none missing");
        }
        let (got, end) = handed(Shard::ALL, 0);
        assert_eq!((got, end), (vec![], RunEnd::Interrupted { next: 0 }));
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

    #[test]
    fn replicate_returns_the_runs_in_job_order_or_the_first_failure() {
        let e = Experiment::single("small", small().into(), 5, 9);
        let outputs = replicate(&e, &pool(2)).unwrap();
        let records = collect(1, 5);
        assert_eq!(outputs.len(), 5);
        for (output, record) in outputs.iter().zip(&records) {
            let Outcome::Finished(expected) = &record.outcome else {
                panic!("run {} failed", record.job.index);
            };
            let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&output.metrics), bits(&expected.metrics));
            assert_eq!(bits(&output.series), bits(&expected.series));
        }

        let mut broken = e.clone();
        broken.points[0].params = Err("no such thing".to_string());
        let error = replicate(&broken, &pool(2)).unwrap_err();
        assert!(
            error.starts_with("job 0 (point 0, replication 0, seed "),
            "{error}"
        );
        assert!(error.ends_with("): no such thing"), "{error}");
    }
}
