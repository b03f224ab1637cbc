//! `cogov run`: load a scenario, run its replications on a thread pool, stream the
//! results to disk and print a summary.
//!
//! Output goes to `--out DIR`, or by default to
//! `output/<scenario name>-<UTC time, e.g. 20260321T090500Z>` under the current
//! directory (created if needed). See [`cogov::output`] for how the directory is
//! claimed and completed.

use super::{InputError, RunArgs, print_stdout};
use crate::progress::Progress;
use anyhow::Context as _;
use cogov::output::{Manifest, ResultsWriter, RunRow, UtcTime, default_dir, table};
use cogov::params::{ParamValue, find_def};
use cogov::runner::run_replications;
use cogov::scenario::Scenario;
use std::io::IsTerminal as _;
use std::path::Path;
use std::time::SystemTime;

/// Where results go when `--out` is not given, relative to the current directory.
const DEFAULT_PARENT: &str = "output";

pub fn run(args: RunArgs, command_line: Vec<String>) -> anyhow::Result<()> {
    let scenario = match &args.scenario {
        Some(path) => Scenario::load(path)?,
        None => Scenario::builtin(),
    };
    let params = &scenario.params;
    let replications = args
        .replications
        .unwrap_or(u64::from(params.run.replications));
    check_flag("--replications", "run.replications", replications)?;
    let seed = args.seed.unwrap_or(params.run.seed);
    check_flag("--seed", "run.seed", seed)?;

    let started = now();
    let target = match &args.out {
        Some(dir) => dir.clone(),
        None => default_dir(Path::new(DEFAULT_PARENT), &scenario.name, started),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0) as usize)
        .build()
        .context("cannot start the worker threads")?;
    let threads = pool.current_num_threads();
    let mut writer = ResultsWriter::create(&target, u64::from(params.run.warmup_ticks))?;

    if !args.quiet {
        eprintln!(
            "running {replications} replications of `{}` on {threads} thread{} into {}",
            scenario.name,
            if threads == 1 { "" } else { "s" },
            target.display()
        );
    }
    let progress = Progress::new(replications, !args.quiet && std::io::stderr().is_terminal());
    let result = pool.install(|| {
        run_replications(
            params,
            seed,
            replications,
            |record| {
                writer.write_run(&RunRow {
                    run: record.run,
                    seed: record.seed,
                    metrics: &record.output.metrics,
                    series: &record.output.series,
                })
            },
            &|done| progress.update(done),
        )
    });
    progress.finish();
    let partial = writer.partial().to_path_buf();
    let kept = || {
        format!(
            "run stopped; what was written so far is in `{}`",
            partial.display()
        )
    };
    result.with_context(kept)?;

    let summaries = writer.summaries();
    let manifest = Manifest {
        scenario_name: scenario.name.clone(),
        scenario_description: scenario.description.clone(),
        scenario_files: scenario.files.clone(),
        scenario_hash: scenario.hash(),
        params: scenario.params.clone(),
        seed,
        replications,
        threads,
        started,
        finished: now(),
        command_line,
    };
    let dir = writer.finish(&manifest).with_context(kept)?;

    if args.quiet {
        print_stdout(&format!("{}\n", dir.display()))
    } else {
        print_stdout(&format!(
            "{}\nresults: {} (runs.csv, summary.csv, timeseries.csv, manifest.json)\n",
            table::summary_table(&summaries),
            dir.display()
        ))
    }
}

/// Checks a flag's value against the range of the scenario parameter it overrides.
fn check_flag(flag: &str, path: &str, value: u64) -> Result<(), InputError> {
    let Some(def) = find_def(path) else {
        return Ok(());
    };
    let value = ParamValue::Int(i64::try_from(value).unwrap_or(i64::MAX));
    def.check(value)
        .map(|_| ())
        .map_err(|e| InputError(format!("{flag}: {e}")))
}

/// The clock, read here at the edge and nowhere in the core.
fn now() -> UtcTime {
    UtcTime::from_system_time(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_checked_against_the_parameter_ranges() {
        assert!(check_flag("--replications", "run.replications", 5).is_ok());
        let err = check_flag("--replications", "run.replications", 0).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--replications: expected a value from 1")
        );
        assert!(check_flag("--seed", "run.seed", u64::MAX).is_err());
        assert!(check_flag("--seed", "run.seed", 0).is_ok());
    }
}
