//! `cogov sweep`: run every point of a design declared in an experiment file.

use super::exec::{self, execute};
use super::run::{check_flag, entry, exit_for_failures, failure_note, warn_runaways};
use super::{InputError, SweepArgs, print_stdout};
use cogov::output::{Layout, Manifest};
use cogov::sweep::SweepSpec;

pub fn run(args: SweepArgs, command_line: Vec<String>) -> anyhow::Result<()> {
    let mut spec = SweepSpec::load(&args.file)?;
    let model = spec.scenario.model();
    let mut settings = args.exec.set.clone();
    for (path, _) in &settings {
        if spec.factors.iter().any(|f| f.path == *path) {
            return Err(InputError(format!(
                "--set {path}: {} varies `{path}` over the design; remove it from the file's [parameters] or from --set",
                args.file.display()
            ))
            .into());
        }
    }
    if let Some(seed) = args.seed {
        check_flag(model, "--seed", "run.seed", seed)?;
        settings.push(("run.seed".to_string(), seed.to_string()));
    }
    if !settings.is_empty() {
        spec.scenario = spec.scenario.with_settings(&settings)?;
    }
    if let Some(n) = args.replications {
        check_flag(
            spec.scenario.model(),
            "--replications",
            "run.replications",
            n,
        )?;
    }
    // A design too large to hold is refused before its points are made.
    exec::check_design(
        &args.exec,
        spec.scenario.model(),
        spec.point_count(),
        spec.factors.len(),
    )?;
    let experiment = spec.experiment(args.replications).map_err(InputError)?;
    let every = args.exec.timeseries_every.unwrap_or(spec.timeseries_every);
    let layout = Layout::of(&experiment, every);
    let target = exec::target(&args.exec, &spec.name, &experiment)?;
    let done = execute(
        &experiment,
        layout,
        target,
        &args.exec,
        &format!(
            "sweep `{}` ({} points x {} replications)",
            spec.name,
            experiment.points.len(),
            experiment.replications
        ),
        None,
        &mut |_, _| {},
    )?;
    let failures = done.finished.store.failures();
    let runaways = done.finished.store.runaways().len();
    let sweep = spec.manifest_entry(experiment.points.len());
    let manifest = Manifest {
        sweep: Some(sweep),
        ..done.manifest(entry(&spec.scenario), experiment.seed, command_line)
    };
    let sharded = args.exec.shard.is_some();
    let dir = super::report::finish(done.finished.store, &manifest.to_json(), &[], sharded)?;
    warn_runaways(runaways, experiment.model);
    if args.exec.quiet {
        print_stdout(&format!("{}\n", dir.display()))?;
    } else {
        print_stdout(&format!(
            "sweep `{}`: {} points x {} replications\nresults: {} ({}points.csv, runs.csv, summary.csv, failures.csv, manifest.json{}){}\n",
            spec.name,
            experiment.points.len(),
            experiment.replications,
            dir.display(),
            if args.exec.shard.is_some() {
                ""
            } else {
                "report.html, sensitivity.csv, "
            },
            if every > 0 { ", timeseries.csv" } else { "" },
            failure_note(failures)
        ))?;
    }
    exit_for_failures(failures)
}
