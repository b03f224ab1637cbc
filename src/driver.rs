//! Running an experiment from the command line: the thread pool, the results
//! directory (new, resumed or a shard), Ctrl-C, the progress bar, adaptive batches.
//!
//! `run`, `sweep` and `compare` build an [`Experiment`] and hand it here; what differs
//! between them (the manifest, the printed table, a comparison's extra file) stays in
//! their own files.

use super::{ExecArgs, InputError};
use crate::progress::Progress;
use anyhow::Context as _;
use cogov::experiment::compare::{Adaptive, StopReason};
use cogov::experiment::{Experiment, Job, Shard};
use cogov::output::store::plan_json;
use cogov::output::{Layout, Manifest, ScenarioEntry, Store, UtcTime};
use cogov::runner::{JobRecord, Outcome, RunEnd, run_jobs};
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

/// The user pressed Ctrl-C; the finished batches are kept for `--resume`. Exit 130.
#[derive(Debug, thiserror::Error)]
#[error(
    "interrupted after {done} of {total} runs; the finished runs are in `{partial}`: continue with the same command and --resume"
)]
pub struct Interrupted {
    pub done: u64,
    pub total: u64,
    pub partial: String,
}

/// What a finished experiment left behind.
pub struct Finished {
    pub store: Store,
    /// The experiment's identity, as written to `plan.json`.
    pub plan: String,
    pub threads: usize,
    /// Replications per point run (all of them unless an adaptive rule stopped early).
    pub replications: u64,
    pub stopped: Option<StopReason>,
    pub started: UtcTime,
}

impl Finished {
    /// The manifest fields every experiment shares; the caller adds its own (reforms,
    /// sweep, how an adaptive comparison stopped).
    pub fn manifest(
        &self,
        scenario: ScenarioEntry,
        seed: u64,
        command_line: Vec<String>,
    ) -> Manifest {
        Manifest {
            scenario,
            reforms: vec![],
            experiment: serde_json::from_str(&self.plan).unwrap_or(serde_json::Value::Null),
            sweep: None,
            seed,
            replications: self.replications,
            failures: self.store.failures(),
            stopped: None,
            threads: self.threads,
            started: self.started,
            finished: now(),
            command_line,
        }
    }
}

/// The clock, read here at the edge and nowhere in the core.
pub fn now() -> UtcTime {
    UtcTime::from_system_time(SystemTime::now())
}

/// Set once, on the first Ctrl-C; a second Ctrl-C ends the process at once.
fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let handler_flag = Arc::clone(&flag);
        // If a handler cannot be installed, Ctrl-C simply ends the process: the
        // checkpointed batches are still there for --resume.
        let _ = ctrlc::set_handler(move || {
            if handler_flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("\ninterrupt: finishing the runs in flight, then stopping (Ctrl-C again to quit at once)");
        });
        flag
    })
    .clone()
}

/// Runs `experiment` into `target` (or resumes it there), handing every finished or
/// replayed run to `observe(job, metrics)` in job order (`None` for a failed run),
/// and, with an adaptive rule, asking its decision (`decide()`, reading what
/// `observe` gathered) at each batch boundary and stopping when it says so.
///
/// # Errors
/// A taken or mismatched results directory, an interrupt ([`Interrupted`]), or a
/// failure to write.
pub fn execute(
    experiment: &Experiment,
    layout: Layout,
    target: PathBuf,
    args: &ExecArgs,
    label: &str,
    adaptive: Option<(&Adaptive, &dyn Fn() -> Option<StopReason>)>,
    observe: &mut dyn FnMut(&Job, Option<&[f64]>),
) -> anyhow::Result<Finished> {
    let decide = adaptive.map(|(_, decide)| decide);
    let adaptive = adaptive.map(|(a, _)| a);
    let shard = match &args.shard {
        Some(text) => Shard::parse(text).map_err(|e| InputError(format!("--shard: {e}")))?,
        None => Shard::ALL,
    };
    if adaptive.is_some() && shard != Shard::ALL {
        return Err(InputError(
            "--shard cannot be combined with --precision: an adaptive comparison decides from all runs as they come in"
                .into(),
        )
        .into());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0) as usize)
        .build()
        .context("cannot start the worker threads")?;
    let threads = pool.current_num_threads();
    let settings = adaptive.map_or_else(String::new, |a| {
        format!(
            "adaptive precision {} on metrics {:?}, batches of {}, at most {}",
            a.precision, a.metrics, a.batch, a.max
        )
    });
    let plan = plan_json(experiment, &layout, shard, &settings);
    let started = now();
    let mut store = if args.resume {
        Store::resume(&target, layout, &plan, experiment, shard, |job, m| {
            observe(job, m)
        })?
    } else {
        Store::create(&target, layout, &plan)?
    };

    let points = experiment.points.len() as u64;
    let total_jobs = experiment.job_count();
    let owned = |range: std::ops::Range<u64>| range.filter(|&i| shard.owns(i)).count() as u64;
    let quiet = args.quiet;
    if !quiet {
        let verb = if args.resume && store.next_job() > 0 {
            format!("resuming at run {} of", owned(0..store.next_job()) + 1)
        } else {
            "running".to_string()
        };
        let shard_text = if shard == Shard::ALL {
            String::new()
        } else {
            format!(" (shard {shard}: {} runs)", owned(0..total_jobs))
        };
        let up_to = if adaptive.is_some() { "up to " } else { "" };
        eprintln!(
            "{verb} {up_to}{} runs of {label}{shard_text} on {threads} thread{} into {}",
            total_jobs,
            if threads == 1 { "" } else { "s" },
            target.display()
        );
    }
    let flag = interrupt_flag();
    let progress = Progress::new(
        owned(0..total_jobs),
        !quiet && std::io::stderr().is_terminal(),
    );
    let mut stopped = None;
    let result: anyhow::Result<()> = (|| {
        loop {
            let next = store.next_job();
            let done_replications = next / points.max(1);
            // An adaptive comparison decides at batch boundaries, before running more.
            if let Some(decide) = decide
                && next > 0
                && next.is_multiple_of(points)
                && let Some(reason) = decide()
            {
                stopped = Some(reason);
                return Ok(());
            }
            let end = match adaptive {
                Some(a) => a.next_checkpoint(done_replications) * points,
                None => total_jobs,
            };
            if next >= end {
                return Ok(());
            }
            let base = owned(0..next);
            let mut sink = |records: &[JobRecord]| -> anyhow::Result<()> {
                let last = records.last().map_or(next, |r| r.job.index + 1);
                // Jobs of other shards in this batch's span are done too.
                let batch_end = next_owned_after(last, end, shard);
                store.write_batch(records, batch_end)?;
                for record in records {
                    match &record.outcome {
                        Outcome::Finished(output) => observe(&record.job, Some(&output.metrics)),
                        Outcome::Failed(_) => observe(&record.job, None),
                    }
                }
                Ok(())
            };
            let end_state = run_jobs(
                experiment,
                next..end,
                shard,
                &pool,
                &mut sink,
                &|done| progress.update(base + done),
                &|| flag.load(Ordering::SeqCst),
            )?;
            if let RunEnd::Interrupted { .. } = end_state {
                return Err(Interrupted {
                    done: owned(0..store.next_job()),
                    total: owned(0..total_jobs),
                    partial: store.partial().display().to_string(),
                }
                .into());
            }
            if adaptive.is_none() {
                return Ok(());
            }
        }
    })();
    progress.finish();
    result?;
    let replications = match adaptive {
        Some(_) => store.next_job() / points.max(1),
        None => experiment.replications,
    };
    Ok(Finished {
        store,
        plan,
        threads,
        replications,
        stopped,
        started,
    })
}

/// The first job at or after `from` that `shard` owns, or `end`: everything before it
/// is done once the jobs before `from` are.
fn next_owned_after(from: u64, end: u64, shard: Shard) -> u64 {
    (from..end).find(|&i| shard.owns(i)).unwrap_or(end)
}

/// How an adaptive comparison ended, in words.
pub fn stop_text(reason: StopReason, precision: f64, replications: u64) -> String {
    match reason {
        StopReason::Precision { half_width } => format!(
            "precision reached: the widest 95% half-width is {} <= {precision} after {replications} replications",
            cogov::output::table::round(half_width)
        ),
        StopReason::Maximum { half_width } => format!(
            "maximum reached: {replications} replications, the widest 95% half-width is still {} > {precision}",
            cogov::output::table::round(half_width)
        ),
        StopReason::Fixed => format!("{replications} replications, as asked"),
    }
}

/// The results directory: `--out`, or a new dated directory under `output/` (with
/// `--resume`, the latest interrupted one of that name).
///
/// # Errors
/// `--resume` without `--out` and no interrupted run of that name under `output/`.
pub fn target(args: &ExecArgs, name: &str) -> Result<PathBuf, InputError> {
    let parent = std::path::Path::new("output");
    match &args.out {
        Some(dir) => Ok(dir.clone()),
        None if args.resume => cogov::output::latest_interrupted(parent, name).ok_or_else(|| {
            InputError(format!(
                "--resume: no interrupted run of `{name}` under output/; name its directory with --out DIR"
            ))
        }),
        None => Ok(cogov::output::default_dir(parent, name, now())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_s_end_skips_other_shards_jobs() {
        let shard = Shard { index: 2, count: 3 };
        // Shard 2 owns 1, 4, 7, ...: after finishing job 4 the next is 7.
        assert_eq!(next_owned_after(5, 20, shard), 7);
        assert_eq!(next_owned_after(17, 20, shard), 19);
        assert_eq!(next_owned_after(20, 20, shard), 20);
        assert_eq!(next_owned_after(3, 10, Shard::ALL), 3);
    }
}
