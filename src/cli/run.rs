//! `cogov run`: load a scenario, run its replications, stream the results to disk and
//! print a summary.
//!
//! A run is an experiment with one point (see [`super::exec`]): it can be resumed
//! after Ctrl-C with `--resume` and split over machines with `--shard K/N`.

use super::exec::{self, execute};
use super::{InputError, RunArgs, print_stdout};
use cogov::experiment::Experiment;
use cogov::model::Model;
use cogov::output::{Layout, ScenarioEntry, table};
use cogov::scenario::Scenario;
use cogov::schema::{ParamValue, ValueError};

pub fn run(args: RunArgs, command_line: Vec<String>) -> anyhow::Result<()> {
    let scenario = match &args.scenario {
        Some(path) => Scenario::load(path)?,
        None => Scenario::builtin(),
    };
    let scenario = if args.exec.set.is_empty() {
        scenario
    } else {
        scenario.with_settings(&args.exec.set)?
    };
    let params = &scenario.params;
    let replications = args.replications.unwrap_or(params.replications());
    let model = params.model();
    check_flag(model, "--replications", "run.replications", replications)?;
    let seed = args.seed.unwrap_or(params.seed());
    check_flag(model, "--seed", "run.seed", seed)?;

    let experiment = Experiment::single(&scenario.name, params.clone(), replications, seed);
    let layout = Layout::of(&experiment, args.exec.timeseries_every.unwrap_or(1));
    let target = exec::target(&args.exec, &scenario.name, &experiment)?;
    let done = execute(
        &experiment,
        layout,
        target,
        &args.exec,
        &format!("`{}`", scenario.name),
        None,
        &mut |_, _| {},
    )?;
    let summaries = done.finished.store.summaries();
    let failures = done.finished.store.failures();
    let runaways = done.finished.store.runaways().len();
    let manifest = done.manifest(entry(&scenario), seed, command_line);
    let sharded = args.exec.shard.is_some();
    let dir = super::report::finish(done.finished.store, &manifest.to_json(), &[], sharded)?;
    warn_runaways(runaways, experiment.model);
    let failed = failure_note(failures);
    if args.exec.quiet {
        print_stdout(&format!("{}\n", dir.display()))?;
    } else {
        print_stdout(&format!(
            "{}\nresults: {} (report.html, runs.csv, summary.csv, timeseries.csv, {}failures.csv, manifest.json){failed}\n",
            table::summary_table(experiment.model.metrics(), &summaries[0]),
            dir.display(),
            if dir.join(cogov::output::GRIDS_FILE).is_file() {
                "grids.csv, "
            } else {
                ""
            }
        ))?;
    }
    exit_for_failures(failures)
}

/// The manifest's record of a scenario.
pub fn entry(scenario: &Scenario) -> ScenarioEntry {
    ScenarioEntry {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        files: scenario.files.clone(),
        hash: scenario.hash(),
        params: scenario.params.clone(),
    }
}

/// A note on failed runs for the final message.
pub fn failure_note(failures: usize) -> String {
    if failures == 0 {
        String::new()
    } else {
        format!(
            "\n{failures} run{} failed; see failures.csv",
            if failures == 1 { "" } else { "s" }
        )
    }
}

/// Warns on stderr (even with `--quiet`) when runs were flagged as runaways.
pub fn warn_runaways(runaways: usize, model: Model) {
    if runaways == 0 {
        return;
    }
    let rules: Vec<String> = model
        .runaway_watches()
        .iter()
        .map(|w| {
            let name = model.metrics()[w.metric].name;
            match (w.relative, w.ceiling.is_finite()) {
                (true, true) => format!(
                    "{name} above {} times its point's median or above {}",
                    cogov::stats::RUNAWAY_FACTOR,
                    w.ceiling
                ),
                (true, false) => format!(
                    "{name} above {} times its point's median",
                    cogov::stats::RUNAWAY_FACTOR
                ),
                (false, _) => format!("{name} above {}", w.ceiling),
            }
        })
        .collect();
    eprintln!(
        "warning: {runaways} flag{} on runs that look like runaways ({}); they are listed in runaways.csv. Check the parameters against their plausible ranges (`cogov params`); see docs/model.md, Stability",
        if runaways == 1 { "" } else { "s" },
        rules.join("; ")
    );
}

/// Some runs failed: the results are complete for the others, the exit code says so.
#[derive(Debug, thiserror::Error)]
#[error("{0} run(s) failed; their errors are in failures.csv, every other run completed")]
pub struct RunsFailed(pub usize);

pub fn exit_for_failures(failures: usize) -> anyhow::Result<()> {
    if failures == 0 {
        Ok(())
    } else {
        Err(RunsFailed(failures).into())
    }
}

/// Checks a flag's value against the range of the scenario parameter it overrides,
/// in the table of the scenario's model.
pub fn check_flag(model: Model, flag: &str, path: &str, value: u64) -> Result<(), InputError> {
    let Some(def) = model.find_def(path) else {
        return Ok(());
    };
    let checked = def.check(ParamValue::Int(i64::try_from(value).unwrap_or(i64::MAX)));
    checked.map(|_| ()).map_err(|e| {
        // Echo the number as typed, even one past what a parameter can hold.
        let e = match e {
            ValueError::OutOfRange { range, unit, .. } => ValueError::OutOfRange {
                range,
                unit,
                found: value.to_string(),
            },
            other => other,
        };
        InputError(format!("{flag}: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_checked_against_the_parameter_ranges() {
        assert!(check_flag(Model::CoGovernance, "--replications", "run.replications", 5).is_ok());
        let err =
            check_flag(Model::CoGovernance, "--replications", "run.replications", 0).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--replications: expected a value from 1")
        );
        let err = check_flag(Model::CoGovernance, "--seed", "run.seed", u64::MAX).unwrap_err();
        assert!(
            err.to_string().ends_with("found 18446744073709551615"),
            "{err}"
        );
        assert!(check_flag(Model::CoGovernance, "--seed", "run.seed", 0).is_ok());
        // The reference model's table has its own `run` section.
        assert!(
            check_flag(
                Model::CivilViolence,
                "--replications",
                "run.replications",
                0
            )
            .is_err()
        );
    }
}
