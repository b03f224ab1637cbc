//! `cogov merge`: combine the results directories of shards (`--shard K/N`) into the
//! files one machine would have written. The checks and the interleaving are the
//! library's [`cogov::output::merge`]; this file adds the manifest's merge record and
//! a comparison's `comparison.csv`.

use super::exec;
use super::{MergeArgs, print_stdout};
use cogov::experiment::Kind;
use cogov::experiment::compare::PairedAccumulator;
use cogov::output::COMPARISON_FILE;
use cogov::output::comparison::comparison_csv;
use cogov::output::merge::{ShardDir, merge};

pub fn run(args: MergeArgs, command_line: Vec<String>) -> anyhow::Result<()> {
    let shards = args
        .dirs
        .iter()
        .map(|dir| ShardDir::read(dir))
        .collect::<Result<Vec<_>, _>>()?;
    let first = &shards[0];
    let layout = first.layout()?;
    let model = first.head.experiment.model;
    let labels = layout.labels.clone();
    let width = model.metrics().len();
    // Only a comparison pairs its scenarios.
    let mut paired = (first.head.experiment.kind == Kind::Compare)
        .then(|| PairedAccumulator::new(labels.len(), width));
    let mut pending: Vec<Vec<f64>> = Vec::new();
    let mut last_replication = None;
    let observe = |point: usize, replication: u64, metrics: &[f64]| {
        let Some(paired) = paired.as_mut() else {
            return;
        };
        if last_replication != Some(replication) {
            flush(paired, &mut pending, labels.len(), width);
            last_replication = Some(replication);
        }
        pending.resize(labels.len(), vec![f64::NAN; width]);
        pending[point] = metrics.to_vec();
    };
    let (store, plan) = merge(&shards, &args.out, observe)?;
    if let Some(paired) = paired.as_mut() {
        flush(paired, &mut pending, labels.len(), width);
    }
    let mut manifest = first.manifest.clone();
    manifest["experiment"] = serde_json::to_value(&plan)?;
    manifest["failures"] = store.failures().into();
    manifest["merged_from"] = args
        .dirs
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .into();
    manifest["finished_at"] = exec::now().iso8601().into();
    manifest["command_line"] = command_line.into();
    let mut bytes = serde_json::to_vec_pretty(&manifest)?;
    bytes.push(b'\n');
    let extra = match &paired {
        Some(paired) => vec![(
            COMPARISON_FILE,
            comparison_csv(&labels, model.metrics(), &paired.rows()),
        )],
        None => vec![],
    };
    let runaways = store.runaways().len();
    let dir = super::report::finish(store, &bytes, &extra, false)?;
    if args.quiet {
        return print_stdout(&format!("{}\n", dir.display()));
    }
    super::run::warn_runaways(runaways, model);
    print_stdout(&format!(
        "merged {} shards into {} (report.html: the merged results' pictures)\n",
        args.dirs.len(),
        dir.display()
    ))
}

/// Pushes one replication's buffered metrics (a missing scenario counts as NA).
fn flush(
    paired: &mut PairedAccumulator,
    pending: &mut Vec<Vec<f64>>,
    points: usize,
    metrics: usize,
) {
    if pending.is_empty() {
        return;
    }
    pending.resize(points, vec![f64::NAN; metrics]);
    let slices: Vec<&[f64]> = pending.iter().map(Vec::as_slice).collect();
    paired.push(&slices);
    pending.clear();
}
