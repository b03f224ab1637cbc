//! `cogov merge`: combine the results directories of shards (`--shard K/N`) into the
//! files one machine would have written.

use super::exec;
use super::{InputError, MergeArgs, print_stdout};
use anyhow::Context as _;
use cogov::experiment::compare::PairedAccumulator;
use cogov::experiment::{Kind, Shard};
use cogov::model::Model;
use cogov::output::comparison::comparison_csv;
use cogov::output::layout::Layout;
use cogov::output::store::{ShardInfo, merge};
use cogov::output::{COMPARISON_FILE, MANIFEST_FILE};
use std::path::Path;

/// Reads a shard's manifest.
fn read_manifest(dir: &Path) -> anyhow::Result<serde_json::Value> {
    let path = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        InputError(format!(
            "`{}` is not a finished results directory (manifest.json: {e}); give the directories the shards finished in",
            dir.display()
        ))
    })?;
    serde_json::from_str(&text).with_context(|| format!("`{}` is not valid JSON", path.display()))
}

pub fn run(args: MergeArgs, command_line: Vec<String>) -> anyhow::Result<()> {
    let mut infos = Vec::new();
    let mut manifests = Vec::new();
    for dir in &args.dirs {
        let manifest = read_manifest(dir)?;
        let experiment = manifest["experiment"].clone();
        let shard_text = experiment["shard"].as_str().unwrap_or("1/1").to_string();
        let shard = Shard::parse(&shard_text)
            .map_err(|e| anyhow::anyhow!("`{}`: bad shard in manifest: {e}", dir.display()))?;
        let mut identity = experiment.clone();
        if let Some(map) = identity.as_object_mut() {
            map.remove("shard");
        }
        infos.push(ShardInfo {
            dir: dir.clone(),
            shard,
            identity,
        });
        manifests.push(manifest);
    }
    let first = &manifests[0];
    let kind = match first["experiment"]["kind"].as_str() {
        Some("run") => Kind::Run,
        Some("sweep") => Kind::Sweep,
        Some("compare") => Kind::Compare,
        other => anyhow::bail!("unknown experiment kind {other:?} in the manifests"),
    };
    // Manifests written before there was a choice of model are co-governance ones.
    let model = match first["experiment"]["model"].as_str() {
        None => Model::CoGovernance,
        Some(name) => Model::from_name(name)
            .ok_or_else(|| anyhow::anyhow!("unknown model {name:?} in the manifests"))?,
    };
    let width = model.metrics().len();
    // Rebuild the layout from the first shard's files and manifest.
    let dir0 = &args.dirs[0];
    let runs_header = std::fs::read_to_string(dir0.join("runs.csv"))
        .with_context(|| format!("cannot read `{}`", dir0.join("runs.csv").display()))?;
    let header: Vec<&str> = runs_header
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .collect();
    let leading = match kind {
        Kind::Run => 2,
        Kind::Sweep => 3,
        Kind::Compare => 3,
    };
    let swept = header.len().saturating_sub(leading + width);
    let columns: Vec<String> = header[leading..leading + swept]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let points = first["experiment"]["points"].as_u64().unwrap_or(1) as usize;
    let labels: Vec<String> = match kind {
        Kind::Run => vec![first["scenario"]["name"].as_str().unwrap_or("").to_string()],
        Kind::Sweep => (0..points).map(|p| p.to_string()).collect(),
        Kind::Compare => {
            let mut names = vec![first["scenario"]["name"].as_str().unwrap_or("").to_string()];
            for r in first["reforms"].as_array().into_iter().flatten() {
                names.push(r["name"].as_str().unwrap_or("").to_string());
            }
            // The same disambiguation as `compare`.
            let mut labels: Vec<String> = Vec::new();
            for n in names {
                let mut label = n.clone();
                let mut k = 2;
                while labels.contains(&label) {
                    label = format!("{n}#{k}");
                    k += 1;
                }
                labels.push(label);
            }
            labels
        }
    };
    let values: Vec<String> = if kind == Kind::Sweep {
        let text = std::fs::read_to_string(dir0.join("points.csv"))
            .with_context(|| format!("cannot read `{}`", dir0.join("points.csv").display()))?;
        text.lines()
            .skip(1)
            .map(|l| {
                l.split_once(',')
                    .map_or(String::new(), |(_, v)| v.to_string())
            })
            .collect()
    } else {
        vec![String::new(); labels.len()]
    };
    let timeseries_every = first["experiment"]["timeseries_every"]
        .as_u64()
        .unwrap_or(0);
    let layout = Layout {
        kind,
        model,
        columns,
        labels: labels.clone(),
        values,
        // The warm-up flag is already in the shards' rows; merge copies them.
        warmups: vec![0; labels.len()],
        timeseries_every,
    };
    let mut plan = first["experiment"].clone();
    if let Some(map) = plan.as_object_mut() {
        map.insert("shard".into(), serde_json::Value::String("1/1".into()));
    }
    let plan_text = serde_json::to_string_pretty(&plan).unwrap_or_default() + "\n";
    // Only a comparison pairs its scenarios.
    let mut paired = (kind == Kind::Compare).then(|| PairedAccumulator::new(labels.len(), width));
    let mut pending: Vec<Vec<f64>> = Vec::new();
    let mut last_replication = None;
    let mut observe = |point: usize, replication: u64, metrics: &[f64]| {
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
    let store = merge(&infos, layout, &args.out, &plan_text, &mut observe)?;
    if let Some(paired) = paired.as_mut() {
        flush(paired, &mut pending, labels.len(), width);
    }
    let mut manifest = first.clone();
    manifest["experiment"] = plan;
    manifest["failures"] = store.failures().into();
    manifest["merged_from"] = args
        .dirs
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .into();
    manifest["finished_at"] = exec::now().iso8601().into();
    manifest["command_line"] = command_line.into();
    let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    bytes.push(b'\n');
    let extra = match &paired {
        Some(paired) => vec![(
            COMPARISON_FILE,
            comparison_csv(&labels, model.metrics(), &paired.rows()),
        )],
        None => vec![],
    };
    let dir = store.finish(&bytes, &extra)?;
    print_stdout(&format!(
        "merged {} shards into {}\n",
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
