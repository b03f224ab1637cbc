//! `cogov check`: validate a scenario or an experiment file without running it, and
//! say what running it would be and cost.

use super::exec;
use super::{ExecArgs, InputError, print_stdout};
use cogov::budget;
use cogov::experiment::Experiment;
use cogov::model::ModelParams;
use cogov::output::Layout;
use cogov::scenario::Scenario;
use cogov::sweep::SweepSpec;
use std::path::Path;

/// Design points printed before the rest are counted.
const POINTS_SHOWN: usize = 20;

/// `cogov check FILE [--diff]`.
///
/// # Errors
/// The file's problems, as a run would report them.
pub fn run(path: &Path, diff: bool) -> anyhow::Result<()> {
    if SweepSpec::looks_like_experiment(path) {
        if diff {
            return Err(InputError(format!(
                "--diff: `{}` is an experiment file; --diff compares a scenario with the one it extends",
                path.display()
            ))
            .into());
        }
        return experiment(path);
    }
    let scenario = Scenario::load(path)?;
    let files: Vec<String> = scenario
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let mut out = format!("ok: {} ({})\n", scenario.name, files.join(", "));
    let e = Experiment::single(
        &scenario.name,
        scenario.params.clone(),
        scenario.params.replications(),
        scenario.params.seed(),
    );
    out.push_str(&format!(
        "estimate for `cogov run` ({}): {}\n\n",
        runs_text(e.job_count()),
        estimate(&e, &Layout::of(&e, 1)).summary()
    ));
    if diff {
        out.push_str(&differences(&scenario)?);
    } else {
        out.push_str(&scenario.resolved_toml());
    }
    print_stdout(&out)
}

/// "1 run", "20 runs".
fn runs_text(runs: u64) -> String {
    format!("{runs} run{}", if runs == 1 { "" } else { "s" })
}

/// The estimate of all of `experiment` on this machine's threads.
fn estimate(experiment: &Experiment, layout: &Layout) -> budget::Estimate {
    budget::estimate(
        experiment,
        layout,
        cogov::driver::cores(),
        experiment.job_count(),
    )
}

/// The parameters in which `scenario` differs from the scenario it extends (or, for
/// one that extends none, from the model's defaults), as TOML with the other value
/// in a comment: what the file changes, whatever its chain of `extends`.
fn differences(scenario: &Scenario) -> anyhow::Result<String> {
    let (parent, against) = match scenario.files.get(1) {
        Some(base) => (
            Scenario::load(base)?.params,
            format!("`{}`", base.display()),
        ),
        None => (
            scenario.model().default_params(),
            format!("the {} model's defaults", scenario.model()),
        ),
    };
    let changed = changed_values(&scenario.params, &parent);
    let mut out = format!(
        "# {} differs from {against} in {} parameter{}\n",
        scenario.name,
        changed.len(),
        if changed.len() == 1 { "" } else { "s" }
    );
    let mut section = "";
    for (path, value, before) in changed {
        let (s, key) = path.rsplit_once('.').unwrap_or(("", path));
        if s != section {
            out.push_str(&format!("\n[{s}]\n"));
            section = s;
        }
        out.push_str(&format!("{key} = {value}  # was {before}\n"));
    }
    Ok(out)
}

/// Each parameter whose value in `params` is not the one in `parent`: (path, value,
/// parent's value), in declaration order.
fn changed_values(
    params: &ModelParams,
    parent: &ModelParams,
) -> Vec<(&'static str, String, String)> {
    params
        .values()
        .into_iter()
        .zip(parent.values())
        .filter(|((_, a), (_, b))| a != b)
        .map(|((path, a), (_, b))| (path, a.to_string(), b.to_string()))
        .collect()
}

/// `cogov check` of an experiment file: the file and its scenario valid, the design
/// in words, its points and runs, the estimate, and the first points.
fn experiment(path: &Path) -> anyhow::Result<()> {
    let spec = SweepSpec::load(path)?;
    let model = spec.scenario.model();
    // A design too large to hold is refused here as the sweep would refuse it.
    exec::check_design(
        &ExecArgs::default(),
        model,
        spec.point_count(),
        spec.factors.len(),
    )?;
    let e = spec.experiment(None).map_err(InputError)?;
    let layout = Layout::of(&e, spec.timeseries_every);
    let invalid = e.points.iter().filter(|p| p.params.is_err()).count();
    let points = e.points.len();
    let mut out = format!(
        "ok: {} ({}; scenario {})\ndesign: {}, {points} point{} x {} replication{} = {}{}\nestimate for `cogov sweep`: {}\n\n",
        spec.name,
        path.display(),
        spec.scenario
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        spec.design,
        if points == 1 { "" } else { "s" },
        e.replications,
        if e.replications == 1 { "" } else { "s" },
        runs_text(e.job_count()),
        if invalid > 0 {
            format!(
                "; {invalid} point{} break a rule tying parameters together, and their runs will be recorded as failures",
                if invalid == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        },
        estimate(&e, &layout).summary()
    );
    let csv = layout.points_csv();
    let mut lines = csv.lines();
    if let Some(header) = lines.next() {
        out.push_str(header);
        out.push('\n');
    }
    for line in lines.by_ref().take(POINTS_SHOWN) {
        out.push_str(line);
        out.push('\n');
    }
    if points > POINTS_SHOWN {
        out.push_str(&format!(
            "... {} more points (all of them go to points.csv)\n",
            points - POINTS_SHOWN
        ));
    }
    print_stdout(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_parameters_are_listed_with_their_old_values() {
        let base = Scenario::builtin();
        let changed = base
            .with_settings(&[
                ("police.officers_per_10k".into(), "20".into()),
                ("liability.clarity".into(), "0.9".into()),
            ])
            .unwrap();
        let diff = changed_values(&changed.params, &base.params);
        let paths: Vec<&str> = diff.iter().map(|(p, _, _)| *p).collect();
        assert_eq!(paths, ["police.officers_per_10k", "liability.clarity"]);
        assert_eq!(diff[0].1, "20.0");
        assert_eq!(
            diff[0].2,
            base.params
                .get("police.officers_per_10k")
                .unwrap()
                .to_string()
        );
        assert!(changed_values(&base.params, &base.params).is_empty());
    }
}
