//! `cogov merge`'s library side: read the shards' manifests, check that they are the
//! shards of one experiment, rebuild the files' layout, and interleave their rows by
//! job number into the files one machine would have written.
//!
//! Each shard's identity is its typed [`Plan`] (the manifest's `experiment`): shards
//! belong together when their plans are equal but for the shard.

use super::layout::Layout;
use super::plan::Plan;
use super::store::{FAILURES_FILE, POINTS_FILE, Store, io_error};
use super::{GRIDS_FILE, MANIFEST_FILE, OutputError, RUNS_FILE, TIMESERIES_FILE};
use crate::experiment::{Kind, unique_labels};
use serde::Deserialize;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A scenario's name, as a manifest records it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Named {
    pub name: String,
}

/// What merging needs of a shard's `manifest.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ShardManifest {
    /// The scenario run, swept or compared against.
    pub scenario: Named,
    /// A comparison's reforms, in order.
    #[serde(default)]
    pub reforms: Vec<Named>,
    /// The plan the shard ran under.
    pub experiment: Plan,
}

/// A finished shard's results directory.
#[derive(Debug, Clone)]
pub struct ShardDir {
    pub dir: PathBuf,
    /// The manifest as written, for the merged manifest to start from.
    pub manifest: serde_json::Value,
    /// The manifest's typed fields.
    pub head: ShardManifest,
}

impl ShardDir {
    /// Reads the manifest of the finished results directory `dir`.
    ///
    /// # Errors
    /// [`OutputError::Merge`] when `dir` holds no readable manifest of a cogov
    /// experiment.
    pub fn read(dir: &Path) -> Result<ShardDir, OutputError> {
        let refuse = |reason: String| {
            OutputError::Merge(format!(
                "`{}` is not a finished results directory ({reason}); give the directories the shards finished in",
                dir.display()
            ))
        };
        let text = fs::read_to_string(dir.join(MANIFEST_FILE))
            .map_err(|e| refuse(format!("{MANIFEST_FILE}: {e}")))?;
        let manifest: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| refuse(format!("{MANIFEST_FILE} is not valid JSON: {e}")))?;
        let head = ShardManifest::deserialize(&manifest)
            .map_err(|e| refuse(format!("{MANIFEST_FILE}: {e}")))?;
        Ok(ShardDir {
            dir: dir.to_path_buf(),
            manifest,
            head,
        })
    }

    /// The layout of the shard's files, rebuilt from its plan, its manifest's names
    /// and the header of its `runs.csv` (and `points.csv` for a sweep).
    ///
    /// # Errors
    /// Unreadable files.
    pub fn layout(&self) -> Result<Layout, OutputError> {
        let plan = &self.head.experiment;
        let model = plan.model;
        let (header, _) = data_lines(&self.dir, RUNS_FILE, false)?;
        let header: Vec<&str> = header.split(',').collect();
        let leading = match plan.kind {
            Kind::Run => 2,
            Kind::Sweep | Kind::Compare => 3,
        };
        let width = model.metrics().len();
        let swept = header.len().saturating_sub(leading + width);
        let columns: Vec<String> = header[leading.min(header.len())..]
            .iter()
            .take(swept)
            .map(|s| s.to_string())
            .collect();
        let labels: Vec<String> = match plan.kind {
            Kind::Run => vec![self.head.scenario.name.clone()],
            Kind::Sweep => (0..plan.points).map(|p| p.to_string()).collect(),
            Kind::Compare => unique_labels(
                std::iter::once(&self.head.scenario)
                    .chain(&self.head.reforms)
                    .map(|n| n.name.as_str()),
            ),
        };
        let values: Vec<String> = if plan.kind == Kind::Sweep {
            let (_, lines) = data_lines(&self.dir, POINTS_FILE, false)?;
            lines
                .iter()
                .map(|l| {
                    l.split_once(',')
                        .map_or(String::new(), |(_, v)| v.to_string())
                })
                .collect()
        } else {
            vec![String::new(); labels.len()]
        };
        Ok(Layout {
            kind: plan.kind,
            model,
            columns,
            labels: labels.clone(),
            values,
            // The warm-up flag is already in the shards' rows; merge copies them.
            warmups: vec![0; labels.len()],
            timeseries_every: plan.timeseries_every,
            // Merge copies the rows; only whether the file exists matters.
            map: (plan.kind == Kind::Run && self.dir.join(GRIDS_FILE).is_file()).then_some(0),
        })
    }
}

/// Reads the lines of `dir/name` after its header, or an empty list when the file is
/// absent and `optional`.
fn data_lines(
    dir: &Path,
    name: &str,
    optional: bool,
) -> Result<(String, Vec<String>), OutputError> {
    let path = dir.join(name);
    match fs::read_to_string(&path) {
        Ok(text) => {
            let mut lines = text.lines().map(str::to_string);
            let header = lines.next().unwrap_or_default();
            Ok((header, lines.collect()))
        }
        Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => {
            Ok((String::new(), Vec::new()))
        }
        Err(e) => Err(io_error("read", &path, e)),
    }
}

/// `path` made absolute with every link and `..` in its existing part resolved, and
/// the part that does not exist yet appended as written: two spellings of one place
/// compare equal, and so do a directory and one being made inside it.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    while let (Err(_), Some(parent), Some(name)) = (
        existing.canonicalize(),
        existing.parent(),
        existing.file_name(),
    ) {
        missing.push(name);
        existing = parent;
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    out.extend(missing.iter().rev());
    out
}

/// Combines the files of the finished shards `shards` into `target`, in job order,
/// as one machine would have written them; `summary.csv` is recomputed.
/// `observe(point, replication, metrics)` sees every finished run in job order (for a
/// comparison's table). Returns the merged store, ready to [`Store::finish`], and the
/// whole experiment's plan.
///
/// # Errors
/// Shards that do not belong together (different experiment, seed, version or shard
/// count; a shard missing or given twice), or unreadable files.
pub fn merge(
    shards: &[ShardDir],
    target: &Path,
    mut observe: impl FnMut(usize, u64, &[f64]),
) -> Result<(Store, Plan), OutputError> {
    let refuse = |reason: String| OutputError::Merge(reason);
    let first = shards
        .first()
        .ok_or_else(|| refuse("no shard given".into()))?;
    let plan = first.head.experiment.whole();
    let count = first.head.experiment.shard.count;
    let mut seen = vec![false; count as usize];
    for s in shards {
        let shard = s.head.experiment.shard;
        if shard.count != count {
            return Err(refuse(format!(
                "`{}` is shard {} but `{}` is shard {}",
                first.dir.display(),
                first.head.experiment.shard,
                s.dir.display(),
                shard
            )));
        }
        if s.head.experiment.whole() != plan {
            return Err(refuse(format!(
                "`{}` and `{}` are not shards of the same experiment (scenario, design, seed, replications or cogov build differ)",
                first.dir.display(),
                s.dir.display()
            )));
        }
        let slot = &mut seen[(shard.index - 1) as usize];
        if *slot {
            return Err(refuse(format!("shard {shard} is given twice")));
        }
        *slot = true;
    }
    if let Some(missing) = seen.iter().position(|&s| !s) {
        return Err(refuse(format!(
            "shard {}/{count} is missing; give every shard's directory",
            missing + 1
        )));
    }
    let merged = resolved(target);
    for s in shards {
        let shard = resolved(&s.dir);
        if merged.starts_with(&shard) || shard.starts_with(&merged) {
            return Err(refuse(format!(
                "the merged results would go to `{}`, {} the shard directory `{}`; give --out a directory outside every shard",
                target.display(),
                if merged.starts_with(&shard) {
                    "inside"
                } else {
                    "around"
                },
                s.dir.display()
            )));
        }
    }
    let layout = first.layout()?;
    let mut by_index: Vec<&ShardDir> = shards.iter().collect();
    by_index.sort_by_key(|s| s.head.experiment.shard.index);

    let mut store = Store::create(target, layout, &plan.whole())?;
    let mut merged_runs = String::new();
    let mut merged_failures = String::new();
    let mut merged_series = String::new();
    let mut merged_grids = String::new();
    // Each file: interleave the shards' rows by job number.
    let job_of = |layout: &Layout, line: &str| -> Option<u64> {
        let (p, r, _) = layout.parse_identity(line)?;
        Some(r * layout.labels.len() as u64 + p as u64)
    };
    for (name, out, optional) in [
        (RUNS_FILE, &mut merged_runs, false),
        (FAILURES_FILE, &mut merged_failures, false),
        (TIMESERIES_FILE, &mut merged_series, true),
        (GRIDS_FILE, &mut merged_grids, true),
    ] {
        if (name == TIMESERIES_FILE && store.layout.timeseries_every == 0)
            || (name == GRIDS_FILE && store.layout.map.is_none())
        {
            continue;
        }
        let mut streams = Vec::new();
        for s in &by_index {
            let s = &s.dir;
            let (_, lines) = data_lines(s, name, optional)?;
            streams.push(lines.into_iter().peekable());
        }
        loop {
            let mut best: Option<(u64, usize)> = None;
            for (k, stream) in streams.iter_mut().enumerate() {
                if let Some(line) = stream.peek() {
                    let job = job_of(&store.layout, line).ok_or_else(|| OutputError::Corrupt {
                        path: by_index[k].dir.join(name),
                        reason: format!("unreadable row: {line}"),
                    })?;
                    if best.is_none_or(|(b, _)| job < b) {
                        best = Some((job, k));
                    }
                }
            }
            let Some((_, k)) = best else { break };
            if let Some(line) = streams[k].next() {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    for line in merged_runs.lines() {
        let (point, replication, metrics) =
            store
                .layout
                .parse_runs_row(line)
                .ok_or_else(|| OutputError::Corrupt {
                    path: target.join(RUNS_FILE),
                    reason: format!("unreadable row: {line}"),
                })?;
        store.count(point, replication, &metrics);
        observe(point, replication, &metrics);
    }
    store
        .runs
        .write_all(merged_runs.as_bytes())
        .map_err(|e| io_error("write", &store.partial.join(RUNS_FILE), e))?;
    store
        .failures
        .write_all(merged_failures.as_bytes())
        .map_err(|e| io_error("write", &store.partial.join(FAILURES_FILE), e))?;
    if let Some(file) = store.timeseries.as_mut() {
        file.write_all(merged_series.as_bytes())
            .map_err(|e| io_error("write", &store.partial.join(TIMESERIES_FILE), e))?;
    }
    if let Some(file) = store.grids.as_mut() {
        file.write_all(merged_grids.as_bytes())
            .map_err(|e| io_error("write", &store.partial.join(GRIDS_FILE), e))?;
    }
    store.checkpoint.failed = merged_failures
        .lines()
        .filter_map(|l| job_of(&store.layout, l))
        .collect();
    Ok((store, plan))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Experiment, Shard};
    use crate::output::store::tests::{experiment, files, records};

    /// A manifest with what merging reads.
    fn manifest(plan: &Plan) -> Vec<u8> {
        format!(
            "{{\"scenario\": {{\"name\": \"s\"}}, \"experiment\": {}}}\n",
            plan.to_json()
        )
        .into_bytes()
    }

    /// Shards `1..=n` of `e`, finished, in reverse order; and the whole run's files.
    fn shards(e: &Experiment, n: u64, dir: &Path) -> (Vec<ShardDir>, PathBuf) {
        let layout = Layout::of(e, 1);
        let plan_all = Plan::new(e, Shard::ALL, 1, None);
        let jobs = e.job_count();
        let mut store = Store::create(&dir.join("one"), layout.clone(), &plan_all).unwrap();
        store
            .write_batch(&records(e, 0..jobs, Shard::ALL), jobs)
            .unwrap();
        let one = store.finish(&manifest(&plan_all), &[]).unwrap();
        let mut out = Vec::new();
        for k in 1..=n {
            let shard = Shard { index: k, count: n };
            let plan = Plan::new(e, shard, 1, None);
            let mut store =
                Store::create(&dir.join(format!("s{k}")), layout.clone(), &plan).unwrap();
            store
                .write_batch(&records(e, 0..jobs, shard), jobs)
                .unwrap();
            let finished = store.finish(&manifest(&plan), &[]).unwrap();
            out.push(ShardDir::read(&finished).unwrap());
        }
        out.reverse();
        (out, one)
    }

    #[test]
    fn shards_merge_into_the_single_machine_files() {
        let e = experiment(3, 5);
        let tmp = tempfile::tempdir().unwrap();
        let (mut infos, one) = shards(&e, 3, tmp.path());
        let expected = Layout {
            warmups: vec![0; 3],
            ..Layout::of(&e, 1)
        };
        assert_eq!(infos[0].layout().unwrap(), expected);
        let mut seen = 0;
        let (store, plan) = merge(&infos, &tmp.path().join("m"), |_, _, _| seen += 1).unwrap();
        assert_eq!(seen, 14);
        assert_eq!(plan, Plan::new(&e, Shard::ALL, 1, None));
        let merged = store.finish(b"{}", &[]).unwrap();
        assert_eq!(files(&one), files(&merged));

        infos.pop();
        let err = merge(&infos, &tmp.path().join("m2"), |_, _, _| {})
            .err()
            .unwrap();
        assert!(err.to_string().contains("shard 1/3 is missing"), "{err}");
    }

    #[test]
    fn shards_of_different_experiments_or_twice_the_same_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, _) = shards(&experiment(2, 2), 2, &tmp.path().join("a"));
        let mut other = experiment(2, 2);
        other.seed = 4;
        let (b, _) = shards(&other, 2, &tmp.path().join("b"));
        let err = merge(
            &[a[0].clone(), b[1].clone()],
            &tmp.path().join("m"),
            |_, _, _| {},
        )
        .err()
        .unwrap();
        assert!(
            err.to_string()
                .contains("not shards of the same experiment"),
            "{err}"
        );
        let err = merge(
            &[a[0].clone(), a[0].clone()],
            &tmp.path().join("m"),
            |_, _, _| {},
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("given twice"), "{err}");
        let err = ShardDir::read(tmp.path()).err().unwrap();
        assert!(
            err.to_string()
                .contains("is not a finished results directory"),
            "{err}"
        );
    }

    #[test]
    fn a_merge_into_a_shard_s_directory_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let (infos, _) = shards(&experiment(2, 2), 2, tmp.path());
        let inside = [
            tmp.path().join("s1").join("merged"),
            tmp.path().join("s2/deeper/merged"),
            // The same place spelt another way.
            tmp.path().join("s1/../s2/./merged"),
        ];
        for target in &inside {
            let err = merge(&infos, target, |_, _, _| {}).err().unwrap();
            assert!(
                err.to_string()
                    .contains("give --out a directory outside every shard"),
                "{}: {err}",
                target.display()
            );
            assert!(!target.exists(), "nothing is made at {}", target.display());
        }
        // Beside the shards is fine.
        assert!(merge(&infos, &tmp.path().join("merged"), |_, _, _| {}).is_ok());
    }
}
