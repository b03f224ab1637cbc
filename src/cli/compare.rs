//! `cogov compare`: paired comparison of reforms against a baseline, with common
//! random numbers, optionally adding replications until the intervals are narrow
//! enough. Also the default job: with no command, `cogov` compares the embedded
//! Tongxiang baseline with each reform and their union.

use super::exec::{self, execute, stop_text};
use super::run::{check_flag, entry, exit_for_failures, failure_note, warn_runaways};
use super::{CompareArgs, ExecArgs, InputError, print_stdout};
use cogov::experiment::compare::{Adaptive, PairedAccumulator};
use cogov::experiment::{Experiment, Kind, Point, unique_labels};
use cogov::model::Model;
use cogov::output::comparison::{comparison_csv, comparison_table};
use cogov::output::{COMPARISON_FILE, Layout, Manifest};
use cogov::scenario::{BUILTIN_FILES, Scenario};
use cogov::schema::metrics::MetricDef;
use std::cell::RefCell;

/// The days `compare` writes to timeseries.csv unless `--timeseries-every` says
/// otherwise: every 7th (weekly), for the report's time series.
pub const COMPARE_TIMESERIES_EVERY: u64 = 7;

pub fn metric_index(model: Model, name: &str) -> Result<usize, InputError> {
    let metrics: &[MetricDef] = model.metrics();
    metrics.iter().position(|m| m.name == name).ok_or_else(|| {
        let hint = cogov::input::best_match(name, metrics.iter().map(|m| m.name))
            .map_or(String::new(), |m| format!("; did you mean `{m}`?"));
        let list = match model {
            Model::CoGovernance => "`cogov metrics`".to_string(),
            other => format!("`cogov metrics --model {other}`"),
        };
        InputError(format!(
            "--metric: unknown metric `{name}` of the {model} model{hint} ({list} lists them)"
        ))
    })
}

/// The default job: the embedded baseline against the five reforms and their union.
pub fn default_job(command_line: Vec<String>) -> anyhow::Result<()> {
    // The embedded files are exactly that job, baseline first.
    let scenarios = BUILTIN_FILES
        .iter()
        .map(|(name, _)| match Scenario::builtin_file(name) {
            Some(s) => Ok(s?),
            None => anyhow::bail!("the embedded scenario {name} is missing"),
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let args = CompareArgs::default();
    compare(scenarios, &args, command_line)
}

pub fn run(args: CompareArgs, command_line: Vec<String>) -> anyhow::Result<()> {
    let mut scenarios = vec![Scenario::load(&args.base)?];
    for path in &args.reforms {
        scenarios.push(Scenario::load(path)?);
    }
    if !args.exec.set.is_empty() {
        scenarios = scenarios
            .iter()
            .map(|s| s.with_settings(&args.exec.set))
            .collect::<Result<_, _>>()?;
    }
    if let Some(warning) = horizon_warning(&scenarios) {
        eprintln!("{warning}");
    }
    if let Some(file) = &args.uncertainty {
        return super::uncertainty::compare(scenarios, file, &args, command_line);
    }
    compare(scenarios, &args, command_line)
}

/// A warning when a reform's horizon (warm-up and measured days) is not the
/// baseline's: the difference of two scenarios then mixes the reform with the time
/// it had to act.
fn horizon_warning(scenarios: &[Scenario]) -> Option<String> {
    let base = &scenarios[0];
    let horizon = |s: &Scenario| (s.params.warmup_ticks(), s.params.ticks());
    let differ: Vec<String> = scenarios[1..]
        .iter()
        .filter(|s| horizon(s) != horizon(base))
        .map(|s| {
            let (warmup, ticks) = horizon(s);
            format!("`{}` ({warmup} and {ticks})", s.name)
        })
        .collect();
    if differ.is_empty() {
        return None;
    }
    let (warmup, ticks) = horizon(base);
    Some(format!(
        "warning: the scenarios' horizons differ: the baseline `{}` has {warmup} warm-up and {ticks} measured days, but {} {}; a difference then mixes the reform with the time it had, so give every scenario the same `run.warmup_ticks` and `run.ticks` (for example with --set run.ticks={ticks})",
        base.name,
        differ.join(", "),
        if differ.len() == 1 { "has" } else { "have" }
    ))
}

fn compare(
    scenarios: Vec<Scenario>,
    args: &CompareArgs,
    command_line: Vec<String>,
) -> anyhow::Result<()> {
    let base = &scenarios[0];
    let model = base.model();
    if let Some(other) = scenarios.iter().find(|s| s.model() != model) {
        return Err(InputError(format!(
            "cannot compare `{}` ({} model) with `{}` ({} model): a comparison pairs runs of one model",
            other.name,
            other.model(),
            base.name,
            model
        ))
        .into());
    }
    let seed = args.seed.unwrap_or(base.params.seed());
    check_flag(model, "--seed", "run.seed", seed)?;
    let metrics: Vec<usize> = if args.metric.is_empty() {
        model.headline_metrics()
    } else {
        args.metric
            .iter()
            .map(|m| metric_index(model, m))
            .collect::<Result<_, _>>()?
    };
    if args.precision.is_some() && args.batch < 2 {
        return Err(InputError(format!(
            "--batch: expected at least 2 replications per batch (an interval needs two), found {}",
            args.batch
        ))
        .into());
    }
    if args.precision.is_some() {
        check_flag(
            model,
            "--max-replications",
            "run.replications",
            args.max_replications,
        )?;
    }
    let adaptive = match args.precision {
        None => None,
        Some(p) if !(p > 0.0 && p.is_finite()) => {
            return Err(InputError(format!(
                "--precision: expected a positive half-width, found {p}"
            ))
            .into());
        }
        Some(precision) => Some(Adaptive {
            precision,
            metrics: metrics.clone(),
            batch: args.batch,
            max: args.max_replications,
        }),
    };
    let replications = match &adaptive {
        Some(a) => a.max,
        None => args.replications.unwrap_or(base.params.replications()),
    };
    check_flag(model, "--replications", "run.replications", replications)?;

    // Names label rows; two scenarios with the same name get #2, #3, ...
    let labels = unique_labels(scenarios.iter().map(|s| s.name.as_str()));
    let experiment = Experiment {
        kind: Kind::Compare,
        model,
        columns: vec![],
        points: scenarios
            .iter()
            .zip(&labels)
            .map(|(s, label)| Point {
                label: label.clone(),
                values: vec![],
                params: Ok(s.params.clone()),
            })
            .collect(),
        replications,
        seed,
        // Pairing is the point of a comparison.
        common_random_numbers: true,
    };
    // Every 7th day (weekly) of every run: enough for the report's time series with
    // bands, a seventh of the daily file.
    let layout = Layout::of(
        &experiment,
        args.exec
            .timeseries_every
            .unwrap_or(COMPARE_TIMESERIES_EVERY),
    );
    let target = exec::target(&args.exec, &format!("compare-{}", base.name), &experiment)?;

    // Pair the scenarios' runs replication by replication, by job identity: a
    // replication is complete when its last point arrives (a failed run counts as
    // NA). A shard holds only some of each replication's runs, so it pairs nothing:
    // its comparison comes from `cogov merge`.
    let points = scenarios.len();
    let sharded = args.exec.shard.is_some();
    let metric_defs = model.metrics();
    let width = metric_defs.len();
    let paired = RefCell::new(PairedAccumulator::new(points, width));
    let mut pending: Vec<Vec<f64>> = vec![vec![f64::NAN; width]; points];
    let mut observe = |job: &cogov::experiment::Job, metrics: Option<&[f64]>| {
        if sharded {
            return;
        }
        pending[job.point] = metrics.map_or_else(|| vec![f64::NAN; width], <[f64]>::to_vec);
        if job.point + 1 == points {
            let slices: Vec<&[f64]> = pending.iter().map(Vec::as_slice).collect();
            paired.borrow_mut().push(&slices);
            for p in pending.iter_mut() {
                p.fill(f64::NAN);
            }
        }
    };
    let decide = || adaptive.as_ref().and_then(|a| a.decide(&paired.borrow()));
    let done = execute(
        &experiment,
        layout,
        target,
        &args.exec,
        &format!("{} scenarios", points),
        adaptive.as_ref().map(|a| (a, &decide as &dyn Fn() -> _)),
        &mut observe,
    )?;
    let paired = paired.into_inner();
    let rows = paired.rows();
    let stopped = done
        .finished
        .stopped
        .map(|r| stop_text(r, args.precision.unwrap_or(0.0), done.finished.replications));
    let failures = done.finished.store.failures();
    let runaways = done.finished.store.runaways().len();
    let manifest = Manifest {
        reforms: scenarios[1..].iter().map(entry).collect(),
        stopped: stopped.clone(),
        ..done.manifest(entry(base), seed, command_line)
    };
    let extra = if sharded {
        vec![]
    } else {
        vec![(COMPARISON_FILE, comparison_csv(&labels, metric_defs, &rows))]
    };
    let dir = super::report::finish(done.finished.store, &manifest.to_json(), &extra, sharded)?;
    warn_runaways(runaways, experiment.model);
    let stop_line = stopped.map_or(String::new(), |s| format!("\n{s}"));
    if args.exec.quiet {
        print_stdout(&format!("{}\n", dir.display()))?;
    } else if sharded {
        print_stdout(&format!(
            "shard results: {} (runs.csv, summary.csv, failures.csv, manifest.json); `cogov merge` the shards for comparison.csv{}\n",
            dir.display(),
            failure_note(failures)
        ))?;
    } else {
        let shown = if args.all_metrics {
            None
        } else {
            Some(&metrics[..])
        };
        print_stdout(&format!(
            "{}{stop_line}\nresults: {} (report.html, comparison.csv, runs.csv, summary.csv, {}failures.csv, manifest.json){}\n",
            comparison_table(&labels, metric_defs, &rows, shown),
            dir.display(),
            if args
                .exec
                .timeseries_every
                .unwrap_or(COMPARE_TIMESERIES_EVERY)
                > 0
            {
                "timeseries.csv, "
            } else {
                ""
            },
            failure_note(failures)
        ))?;
    }
    exit_for_failures(failures)
}

impl Default for CompareArgs {
    fn default() -> Self {
        CompareArgs {
            base: Default::default(),
            reforms: vec![],
            replications: None,
            seed: None,
            precision: None,
            metric: vec![],
            batch: 10,
            max_replications: 1000,
            all_metrics: false,
            uncertainty: None,
            exec: ExecArgs::default(),
        }
    }
}
