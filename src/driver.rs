//! The loop that decides which bytes are written: an experiment's jobs run into a
//! results directory, new or resumed, whole or one shard, in one pass or (for an
//! adaptive comparison) one batch of replications at a time.
//!
//! [`Driver::open`] claims or resumes the directory and replays the finished runs;
//! [`Driver::run`] drives [`crate::runner::run_jobs`] and hands every finished run to
//! the caller's observer in job order, asking an adaptive rule at each batch boundary
//! whether to go on. Everything the results depend on happens here, so tests reach it
//! without a process.
//!
//! It does not create the thread pool, read the clock, install a signal handler, draw
//! a progress bar or print: the binary does those and passes in the pool, a `stop`
//! flag and a `progress` callback.

use crate::experiment::compare::{Adaptive, StopReason};
use crate::experiment::{Experiment, Job, Shard};
use crate::output::plan::{AdaptivePlan, Plan};
use crate::output::{Layout, OutputError, Rendered, Store};
use crate::runner::{JobRecord, Outcome, RunEnd, run_jobs_prepared};
use std::ops::Range;
use std::path::Path;

/// Why an experiment did not finish.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// The results directory could not be claimed, resumed or written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// `stop()` said stop; the finished batches are kept for `--resume`.
    #[error(
        "interrupted after {done} of {total} runs; the finished runs are in `{partial}`: continue with the same command and --resume"
    )]
    Interrupted {
        done: u64,
        total: u64,
        partial: String,
    },
    /// An adaptive comparison was asked to run as a shard.
    #[error(
        "--shard cannot be combined with --precision: an adaptive comparison decides from all runs as they come in"
    )]
    ShardedAdaptive,
}

impl DriverError {
    /// True when the user can fix this (another directory, other flags).
    pub fn is_user_error(&self) -> bool {
        match self {
            DriverError::Output(e) => e.is_user_error(),
            DriverError::ShardedAdaptive => true,
            DriverError::Interrupted { .. } => false,
        }
    }
}

/// How to run an experiment into its directory.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Continue the interrupted experiment in `DIR.partial` instead of starting anew.
    pub resume: bool,
    /// Run only this shard's jobs ([`Shard::ALL`] for all).
    pub shard: Option<Shard>,
    /// Stop adding replications by this rule (comparisons only).
    pub adaptive: Option<Adaptive>,
}

/// What a finished experiment left behind.
pub struct Finished {
    /// The complete results, ready for [`Store::finish`].
    pub store: Store,
    /// The experiment's identity, as written to `plan.json`.
    pub plan: Plan,
    /// Replications per point run (all of them unless an adaptive rule stopped early).
    pub replications: u64,
    /// Why an adaptive comparison stopped.
    pub stopped: Option<StopReason>,
}

/// An experiment's results directory, open and ready to run the jobs still to do.
pub struct Driver<'e> {
    experiment: &'e Experiment,
    store: Store,
    plan: Plan,
    shard: Shard,
    adaptive: Option<Adaptive>,
}

impl<'e> Driver<'e> {
    /// Claims `target` (or, with `options.resume`, reopens `target.partial` and hands
    /// every finished run to `replay` in job order, `None` for a failed one).
    ///
    /// # Errors
    /// A taken or mismatched results directory, nothing to resume, an adaptive rule
    /// on a shard, or a failure to write.
    pub fn open(
        experiment: &'e Experiment,
        layout: Layout,
        target: &Path,
        options: Options,
        replay: &mut dyn FnMut(&Job, Option<&[f64]>),
    ) -> Result<Driver<'e>, DriverError> {
        let shard = options.shard.unwrap_or(Shard::ALL);
        if options.adaptive.is_some() && shard != Shard::ALL {
            return Err(DriverError::ShardedAdaptive);
        }
        let adaptive_plan = options.adaptive.as_ref().map(|a| AdaptivePlan {
            precision: a.precision,
            metrics: a
                .metrics
                .iter()
                .map(|&m| experiment.model.metrics()[m].name.to_string())
                .collect(),
            batch: a.batch,
            max: a.max,
        });
        let plan = Plan::new(experiment, shard, layout.timeseries_every, adaptive_plan);
        let store = if options.resume {
            Store::resume(target, layout, &plan, experiment, shard, replay)?
        } else {
            Store::create(target, layout, &plan)?
        };
        Ok(Driver {
            experiment,
            store,
            plan,
            shard,
            adaptive: options.adaptive,
        })
    }

    /// How many of the jobs in `range` this shard runs.
    pub fn owned(&self, range: Range<u64>) -> u64 {
        range.filter(|&i| self.shard.owns(i)).count() as u64
    }

    /// The runs this shard has done already (non-zero after a resume).
    pub fn done(&self) -> u64 {
        self.owned(0..self.store.next_job())
    }

    /// The runs this shard makes in all (an adaptive comparison: at most).
    pub fn total(&self) -> u64 {
        self.owned(0..self.experiment.job_count())
    }

    /// The shard being run.
    pub fn shard(&self) -> Shard {
        self.shard
    }

    /// Runs the jobs still to do on `pool`, handing each finished run to `observe` in
    /// job order (`None` for a failed run). `progress(done)` hears how many runs of
    /// this shard are done; `stop()` is asked after each hand-over; `decide()` (an
    /// adaptive comparison's rule, reading what `observe` gathered) is asked at each
    /// batch boundary.
    ///
    /// # Errors
    /// [`DriverError::Interrupted`] when `stop()` said stop (the finished batches are
    /// checkpointed), or a failure to write.
    pub fn run(
        mut self,
        pool: &rayon::ThreadPool,
        progress: &(dyn Fn(u64) + Sync),
        stop: &dyn Fn() -> bool,
        decide: Option<&dyn Fn() -> Option<StopReason>>,
        observe: &mut dyn FnMut(&Job, Option<&[f64]>),
    ) -> Result<Finished, DriverError> {
        let experiment = self.experiment;
        let points = experiment.points.len() as u64;
        let total_jobs = experiment.job_count();
        let shard = self.shard;
        let mut stopped = None;
        loop {
            let next = self.store.next_job();
            // An adaptive comparison decides at batch boundaries, before running more.
            if let Some(decide) = decide
                && next > 0
                && next.is_multiple_of(points)
                && let Some(reason) = decide()
            {
                stopped = Some(reason);
                break;
            }
            let end = match &self.adaptive {
                Some(a) => a.next_checkpoint(next / points.max(1)) * points,
                None => total_jobs,
            };
            if next >= end {
                break;
            }
            let base = self.owned(0..next);
            // Each run's rows are rendered as text where a core is free: on the worker
            // that ran it when the workers take every core (so the one writing
            // thread never falls behind them, and no run's formatting is left for
            // after the last run), else on the writing thread, beside the workers.
            let layout = self.store.layout().clone();
            let on_workers = pool.current_num_threads() >= cores();
            let render = |record: &JobRecord| on_workers.then(|| layout.render(record));
            let store = &mut self.store;
            let sink = |records: &[JobRecord],
                        prepared: &mut [Option<Rendered>]|
             -> Result<(), OutputError> {
                let rendered: Vec<Rendered> = prepared
                    .iter_mut()
                    .zip(records)
                    .map(|(text, record)| text.take().unwrap_or_else(|| layout.render(record)))
                    .collect();
                let last = records.last().map_or(next, |r| r.job.index + 1);
                // Jobs of other shards in this batch's span are done too.
                store.write_rendered(records, &rendered, next_owned_after(last, end, shard))?;
                for record in records {
                    match &record.outcome {
                        Outcome::Finished(output) => observe(&record.job, Some(&output.metrics)),
                        Outcome::Failed(_) => observe(&record.job, None),
                    }
                }
                Ok(())
            };
            let end_state = run_jobs_prepared(
                experiment,
                next..end,
                shard,
                pool,
                &render,
                sink,
                &|done| progress(base + done),
                stop,
            )?;
            if let RunEnd::Interrupted { .. } = end_state {
                return Err(DriverError::Interrupted {
                    done: self.done(),
                    total: self.total(),
                    partial: self.store.partial().display().to_string(),
                });
            }
            if self.adaptive.is_none() {
                break;
            }
        }
        let replications = match self.adaptive {
            Some(_) => self.store.next_job() / points.max(1),
            None => experiment.replications,
        };
        Ok(Finished {
            store: self.store,
            plan: self.plan,
            replications,
            stopped,
        })
    }
}

/// The processor's cores (1 if unknown): what `--threads` defaults to.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The first job at or after `from` that `shard` owns, or `end`: everything before it
/// is done once the jobs before `from` are.
fn next_owned_after(from: u64, end: u64, shard: Shard) -> u64 {
    (from..end).find(|&i| shard.owns(i)).unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::compare::PairedAccumulator;
    use crate::experiment::{Kind, Point};
    use crate::output::store::tests::files;
    use crate::runner::tests::{pool, small};
    use std::cell::RefCell;

    #[test]
    fn a_batch_s_end_skips_other_shards_jobs() {
        let shard = Shard { index: 2, count: 3 };
        // Shard 2 owns 1, 4, 7, ...: after finishing job 4 the next is 7.
        assert_eq!(next_owned_after(5, 20, shard), 7);
        assert_eq!(next_owned_after(17, 20, shard), 19);
        assert_eq!(next_owned_after(20, 20, shard), 20);
        assert_eq!(next_owned_after(3, 10, Shard::ALL), 3);
    }

    fn run_to_end(e: &Experiment, target: &Path, threads: usize, stop_after: Option<u64>) {
        let layout = Layout::of(e, 1);
        let options = Options {
            resume: stop_after.is_none() && target.with_extension("partial").exists(),
            ..Options::default()
        };
        let driver = Driver::open(e, layout, target, options, &mut |_, _| {}).unwrap();
        let seen = std::sync::atomic::AtomicU64::new(0);
        let stop =
            || stop_after.is_some_and(|n| seen.load(std::sync::atomic::Ordering::SeqCst) >= n);
        let result = driver.run(
            &pool(threads),
            &|done| seen.store(done, std::sync::atomic::Ordering::SeqCst),
            &stop,
            None,
            &mut |_, _| {},
        );
        match result {
            Ok(finished) => {
                finished.store.finish(b"{}\n", &[]).unwrap();
            }
            Err(DriverError::Interrupted { done, total, .. }) => {
                assert!(stop_after.is_some() && done < total, "{done} of {total}");
            }
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn thread_counts_and_an_interruption_give_the_same_files() {
        let e = Experiment::single("small", small().into(), 24, 9);
        let tmp = tempfile::tempdir().unwrap();
        let one = tmp.path().join("one");
        run_to_end(&e, &one, 1, None);
        let two = tmp.path().join("two");
        run_to_end(&e, &two, 2, None);
        assert_eq!(files(&one), files(&two));
        let cut = tmp.path().join("cut");
        run_to_end(&e, &cut, 2, Some(3));
        assert!(!cut.exists() && tmp.path().join("cut.partial").is_dir());
        run_to_end(&e, &cut, 2, None);
        assert_eq!(files(&one), files(&cut));
    }

    #[test]
    fn an_adaptive_comparison_stops_at_a_batch_boundary_and_refuses_shards() {
        let base = small();
        let mut reform = base.clone();
        reform.liability.clarity = 0.9;
        let e = Experiment {
            kind: Kind::Compare,
            model: crate::model::Model::CoGovernance,
            columns: vec![],
            points: [base, reform]
                .into_iter()
                .enumerate()
                .map(|(i, p)| Point {
                    label: format!("s{i}"),
                    values: vec![],
                    params: Ok(p.into()),
                })
                .collect(),
            replications: 40,
            seed: 3,
            common_random_numbers: true,
        };
        // A precision so loose that the first decision stops: exactly one batch runs.
        let adaptive = Adaptive {
            precision: f64::INFINITY,
            metrics: vec![0],
            batch: 4,
            max: 40,
        };
        let tmp = tempfile::tempdir().unwrap();
        let sharded = Driver::open(
            &e,
            Layout::of(&e, 0),
            &tmp.path().join("x"),
            Options {
                resume: false,
                shard: Some(Shard { index: 1, count: 2 }),
                adaptive: Some(adaptive.clone()),
            },
            &mut |_, _| {},
        );
        assert!(matches!(sharded, Err(DriverError::ShardedAdaptive)));
        let options = Options {
            adaptive: Some(adaptive.clone()),
            ..Options::default()
        };
        let target = tmp.path().join("adaptive");
        let driver = Driver::open(&e, Layout::of(&e, 0), &target, options, &mut |_, _| {}).unwrap();
        let paired = RefCell::new(PairedAccumulator::new(2, e.model.metrics().len()));
        let mut pending: Vec<Vec<f64>> = vec![vec![]; 2];
        let mut observe = |job: &Job, m: Option<&[f64]>| {
            pending[job.point] = m.unwrap().to_vec();
            if job.point == 1 {
                paired
                    .borrow_mut()
                    .push(&[pending[0].as_slice(), pending[1].as_slice()]);
            }
        };
        let decide = || adaptive.decide(&paired.borrow());
        let finished = driver
            .run(&pool(2), &|_| {}, &|| false, Some(&decide), &mut observe)
            .unwrap();
        assert_eq!(finished.replications, 4);
        assert!(matches!(
            finished.stopped,
            Some(StopReason::Precision { .. })
        ));
        assert_eq!(finished.plan.adaptive.unwrap().batch, 4);
    }
}
