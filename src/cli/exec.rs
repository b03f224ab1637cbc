//! Running an experiment from the command line: the thread pool, Ctrl-C, the progress
//! bar, the start message, the clock and the manifest. The loop that decides what
//! is written is the library's [`cogov::driver`]; `run`, `sweep` and `compare` build
//! an [`Experiment`] and hand it here.

use super::{ExecArgs, InputError};
use crate::progress::Progress;
use anyhow::Context as _;
use cogov::budget::{self, Limits};
use cogov::driver::{Driver, DriverError, Finished, Options};
use cogov::experiment::compare::{Adaptive, StopReason};
use cogov::experiment::{Experiment, Job, Shard};
use cogov::output::{Layout, Manifest, OutputError, ScenarioEntry, UtcTime};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

/// A finished experiment and what the command line adds to its manifest.
pub struct Done {
    pub finished: Finished,
    pub threads: usize,
    pub started: UtcTime,
}

impl Done {
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
            experiment: self.finished.plan.clone(),
            sweep: None,
            seed,
            replications: self.finished.replications,
            failures: self.finished.store.failures(),
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

/// Runs `experiment` into `target` (or resumes it there) through the library driver,
/// handing every finished or replayed run to `observe(job, metrics)` in job order
/// (`None` for a failed run), and, with an adaptive rule, asking its decision
/// (`decide()`, reading what `observe` gathered) at each batch boundary.
///
/// # Errors
/// A taken or mismatched results directory, an interrupt, or a failure to write.
pub fn execute(
    experiment: &Experiment,
    layout: Layout,
    target: PathBuf,
    args: &ExecArgs,
    label: &str,
    adaptive: Option<(&Adaptive, &dyn Fn() -> Option<StopReason>)>,
    observe: &mut dyn FnMut(&Job, Option<&[f64]>),
) -> anyhow::Result<Done> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0) as usize)
        .build()
        .context("cannot start the worker threads")?;
    let threads = pool.current_num_threads();
    check_budget(experiment, &layout, &target, args, threads)?;
    let started = now();
    let options = Options {
        resume: args.resume,
        shard: args.shard,
        adaptive: adaptive.map(|(a, _)| a.clone()),
    };
    // A default directory another process claimed at the same moment (two runs in
    // the same second) is no reason to fail: take the next free name.
    let mut target = target;
    let driver = loop {
        match Driver::open(
            experiment,
            layout.clone(),
            &target,
            options.clone(),
            observe,
        ) {
            Err(DriverError::Output(OutputError::Busy { .. } | OutputError::Interrupted(_)))
                if args.out.is_none() && !args.resume =>
            {
                target = cogov::output::next_free(&target);
            }
            other => break other?,
        }
    };
    let quiet = args.quiet;
    if !quiet {
        let verb = if args.resume && driver.done() > 0 {
            format!("resuming at run {} of", driver.done() + 1)
        } else {
            "running".to_string()
        };
        let shard = driver.shard();
        let shard_text = if shard == Shard::ALL {
            String::new()
        } else {
            format!(" (shard {shard}: {} runs)", driver.total())
        };
        let up_to = if adaptive.is_some() { "up to " } else { "" };
        eprintln!(
            "{verb} {up_to}{} runs of {label}{shard_text} on {threads} thread{} into {}",
            experiment.job_count(),
            if threads == 1 { "" } else { "s" },
            target.display()
        );
    }
    let flag = interrupt_flag();
    let progress = Progress::new(driver.total(), !quiet && std::io::stderr().is_terminal());
    let result = driver.run(
        &pool,
        &|done| progress.update(done),
        &|| flag.load(Ordering::SeqCst),
        adaptive.map(|(_, decide)| decide),
        observe,
    );
    progress.finish();
    Ok(Done {
        finished: result?,
        threads,
        started,
    })
}

/// The limits a job's estimate must stay within: `--max-memory`, else the memory
/// available now; `--max-disk`, else the free space where the results go (not on
/// `--resume`, whose files are partly written). None with `--allow-large`.
fn limits(args: &ExecArgs, target: &Path) -> Limits {
    if args.allow_large {
        return Limits::default();
    }
    let disk = if let Some(bytes) = args.max_disk {
        Some((bytes, "--max-disk".to_string()))
    } else if args.resume {
        None
    } else {
        budget::free_disk(target).map(|b| {
            let shown = target.parent().filter(|p| !p.as_os_str().is_empty());
            (
                b,
                format!(
                    "the free space in `{}`",
                    shown.unwrap_or(Path::new(".")).display()
                ),
            )
        })
    };
    Limits {
        memory: memory_limit(args),
        disk,
    }
}

/// `--max-memory`, else the memory available now (none with `--allow-large`).
fn memory_limit(args: &ExecArgs) -> Option<(u64, String)> {
    if args.allow_large {
        return None;
    }
    match args.max_memory {
        Some(bytes) => Some((bytes, "--max-memory".to_string())),
        None => budget::available_memory().map(|b| (b, "the memory available now".to_string())),
    }
}

/// Estimates what the job will cost, says so when it is large, and refuses it when
/// it exceeds the limits.
///
/// # Errors
/// A [`budget::BudgetError`] naming what makes the job large.
fn check_budget(
    experiment: &Experiment,
    layout: &Layout,
    target: &Path,
    args: &ExecArgs,
    threads: usize,
) -> anyhow::Result<()> {
    let shard = args.shard.unwrap_or(Shard::ALL);
    let jobs = experiment.job_count();
    // Jobs K-1, K-1+N, ... below `jobs`.
    let runs = (jobs + shard.count - shard.index) / shard.count;
    let estimate = budget::estimate(experiment, layout, threads, runs);
    estimate.check(&limits(args, target))?;
    if !args.quiet && estimate.is_large() {
        eprintln!("estimate: {}", estimate.summary());
    }
    Ok(())
}

/// Refuses a design too large to hold before it is made: `points` points of `model`
/// with `columns` swept parameters.
///
/// # Errors
/// A [`budget::BudgetError`] naming the design.
pub fn check_design(
    args: &ExecArgs,
    model: cogov::model::Model,
    points: u64,
    columns: usize,
) -> anyhow::Result<()> {
    // A design writes nothing yet: only memory limits it.
    let limits = Limits {
        memory: memory_limit(args),
        disk: None,
    };
    budget::design_estimate(model, points, columns).check(&limits)?;
    Ok(())
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
/// `--resume`, the latest interrupted run of this very experiment there).
///
/// # Errors
/// `--resume` without `--out` and no interrupted run of `experiment` under `output/`.
pub fn target(args: &ExecArgs, name: &str, experiment: &Experiment) -> Result<PathBuf, InputError> {
    let parent = std::path::Path::new("output");
    match &args.out {
        Some(dir) => Ok(dir.clone()),
        None if args.resume => {
            let identity = cogov::output::plan::identity(experiment);
            cogov::output::latest_interrupted(parent, name, &identity).ok_or_else(|| {
                InputError(format!(
                    "--resume: no interrupted run of `{name}` with these settings under output/; name its directory with --out DIR"
                ))
            })
        }
        None => Ok(cogov::output::default_dir(parent, name, now())),
    }
}
