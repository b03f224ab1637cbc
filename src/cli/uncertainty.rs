//! `cogov compare BASELINE REFORMS... --uncertainty FILE`: every scenario in every
//! sampled world, paired, and which reform holds up.
//!
//! FILE is an experiment file whose Latin hypercube or random design samples the
//! parameters nobody can pin down (the worlds). The experiment is a sweep whose points
//! are the worlds times the scenarios, world by world (point `w S + s` is scenario
//! `s`, baseline first, with world `w`'s values), so it runs, resumes, shards and
//! merges as every sweep does, with common random numbers: replication `r` has the
//! same seed at every point, and a reform's effect in a world is a paired
//! difference. `points.csv` and `runs.csv` carry a `world` and a `scenario` column
//! before the uncertain parameters; the manifest's `sweep.robustness` names the
//! worlds and scenarios, and the analysis ([`cogov::analysis::analyse_robustness`])
//! writes `robustness.csv` and `prim_boxes.csv`.

use super::exec::{self, execute};
use super::run::{check_flag, entry, exit_for_failures, failure_note, warn_runaways};
use super::{CompareArgs, InputError, print_stdout};
use cogov::analysis::{self, WORLD_COLUMNS};
use cogov::experiment::design::{self, Design};
use cogov::experiment::{Experiment, Kind, Point, unique_labels};
use cogov::output::layout::csv_field;
use cogov::output::{Layout, Manifest};
use cogov::report::read::Results;
use cogov::scenario::Scenario;
use cogov::sensitivity::PrimOptions;
use cogov::sweep::SweepSpec;
use std::path::Path;

/// Runs the comparison of `scenarios` (baseline first) in every world `file` samples.
pub fn compare(
    scenarios: Vec<Scenario>,
    file: &Path,
    args: &CompareArgs,
    command_line: Vec<String>,
) -> anyhow::Result<()> {
    let spec = SweepSpec::load(file)?;
    let base = &scenarios[0];
    let model = base.model();
    if spec.scenario.model() != model {
        return Err(InputError(format!(
            "{}: its scenario is of the {} model, the baseline `{}` of the {model} model: the worlds must sample the compared model's parameters",
            file.display(),
            spec.scenario.model(),
            base.name
        ))
        .into());
    }
    if !matches!(
        spec.design,
        Design::LatinHypercube { .. } | Design::Random { .. }
    ) {
        return Err(InputError(format!(
            "{}: an uncertainty file samples worlds: give it `design = \"lhs\"` or `design = \"random\"` (found {})",
            file.display(),
            spec.design.name()
        ))
        .into());
    }
    if !spec.common_random_numbers {
        return Err(InputError(format!(
            "{}: `common_random_numbers = false`: a reform's effect in a world is a paired difference, which needs common random numbers; remove the key",
            file.display()
        ))
        .into());
    }
    for scenario in &scenarios[1..] {
        for factor in &spec.factors {
            if scenario.params.get(&factor.path) != base.params.get(&factor.path) {
                return Err(InputError(format!(
                    "`{}` sets `{}`, which {} samples as an uncertainty: a reform's levers cannot also be uncertain; remove it from one of them",
                    scenario.name,
                    factor.path,
                    file.display()
                ))
                .into());
            }
        }
    }
    if spec.scenario.hash() != base.hash() {
        eprintln!(
            "note: {} names the scenario `{}`; its worlds are run on the baseline `{}` and the reforms given here",
            file.display(),
            spec.scenario.name,
            base.name
        );
    }
    let seed = args.seed.unwrap_or(base.params.seed());
    check_flag(model, "--seed", "run.seed", seed)?;
    let replications = spec.replications(args.replications);
    check_flag(model, "--replications", "run.replications", replications)?;
    exec::check_design(
        &args.exec,
        model,
        spec.point_count().saturating_mul(scenarios.len() as u64),
        spec.factors.len() + 2,
    )?;
    let worlds = design::points(&spec.design, &spec.factors, spec.design_seed())
        .map_err(|e| InputError(format!("{}: {e}", file.display())))?;
    let labels = unique_labels(scenarios.iter().map(|s| s.name.as_str()));
    let s = scenarios.len();
    let mut points = Vec::with_capacity(worlds.len() * s);
    for values in &worlds {
        for scenario in &scenarios {
            points.push(Point {
                label: points.len().to_string(),
                values: values.clone(),
                params: spec.point_params_on(&scenario.params, values),
            });
        }
    }
    let experiment = Experiment {
        kind: Kind::Sweep,
        model,
        columns: spec.columns(),
        points,
        replications,
        seed,
        common_random_numbers: true,
    };
    let every = args.exec.timeseries_every.unwrap_or(0);
    let mut layout = Layout::of(&experiment, every);
    layout.columns = WORLD_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(experiment.columns.iter().cloned())
        .collect();
    for (p, values) in layout.values.iter_mut().enumerate() {
        *values = format!("{},{},{values}", p / s, csv_field(&labels[p % s]));
    }
    let target = exec::target(
        &args.exec,
        &format!("robustness-{}", spec.name),
        &experiment,
    )?;
    let done = execute(
        &experiment,
        layout,
        target,
        &args.exec,
        &format!(
            "{s} scenarios in {} worlds ({} points x {replications} replications)",
            worlds.len(),
            experiment.points.len()
        ),
        None,
        &mut |_, _| {},
    )?;
    let failures = done.finished.store.failures();
    let runaways = done.finished.store.runaways().len();
    let mut sweep = spec.manifest_entry(experiment.points.len());
    sweep["robustness"] = serde_json::json!({ "worlds": worlds.len(), "scenarios": labels });
    let manifest = Manifest {
        reforms: scenarios[1..].iter().map(entry).collect(),
        sweep: Some(sweep),
        ..done.manifest(entry(base), seed, command_line)
    };
    let sharded = args.exec.shard.is_some();
    let dir = super::report::finish(done.finished.store, &manifest.to_json(), &[], sharded)?;
    warn_runaways(runaways, model);
    if args.exec.quiet {
        print_stdout(&format!("{}\n", dir.display()))?;
    } else if sharded {
        print_stdout(&format!(
            "shard results: {} (points.csv, runs.csv, summary.csv, failures.csv, manifest.json); `cogov merge` the shards for robustness.csv{}\n",
            dir.display(),
            failure_note(failures)
        ))?;
    } else {
        let results = Results::read(&dir)?;
        let metrics = if args.metric.is_empty() {
            Vec::new()
        } else {
            super::analyse::metric_indices(model, &args.metric)?
        };
        let found =
            analysis::analyse_robustness(&results, &metrics, &PrimOptions::default(), false)?;
        if !metrics.is_empty() {
            // The files hold what the table shows.
            super::analyse::write_robustness(&dir, &found)?;
            super::analyse::rebuild_report(&dir);
        }
        print_stdout(&format!(
            "{}results: {} (report.html, robustness.csv, prim_boxes.csv, points.csv, runs.csv, summary.csv, failures.csv, manifest.json){}\n",
            super::analyse::robustness_text(
                &found,
                &super::analyse::shown_metrics(&results, &metrics, args.all_metrics),
                &dir
            ),
            dir.display(),
            failure_note(failures)
        ))?;
        for warning in found.warnings() {
            eprintln!("warning: {warning}");
        }
    }
    exit_for_failures(failures)
}
