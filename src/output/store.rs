//! The results directory of an experiment: claimed, streamed into, checkpointed,
//! resumed, completed; and the merge of shards.
//!
//! Results never overwrite results: a target that exists and is not empty is refused
//! before anything runs. Files are written into `<DIR>.partial` and that directory is
//! renamed to `<DIR>` only when everything is complete, so `<DIR>` either holds a full
//! set of results or does not exist.
//!
//! Rows go to disk one batch of runs at a time, each file receiving the batch's rows
//! in one write, in job order. After every batch `checkpoint.json` is replaced
//! atomically (written aside, then renamed) with the number of jobs done and each
//! file's length. An interrupted experiment (Ctrl-C, a killed process, a failed disk)
//! therefore leaves `<DIR>.partial` with whole batches and a checkpoint that says how
//! far they go. `--resume` truncates each file to its checkpointed length (dropping
//! anything written after the last checkpoint), reads the finished rows back to
//! rebuild the summaries, and goes on from the next job; since every row depends only
//! on its job, the finished files are byte-identical to those of an uninterrupted run.
//! `plan.json` records what the experiment is (version, scenario hash, seed, design,
//! shard); a resume with anything different is refused.

use super::layout::{Layout, parse_number};
use super::{MANIFEST_FILE, OutputError, RUNS_FILE, SUMMARY_FILE, TIMESERIES_FILE};
use crate::experiment::{Experiment, Job, Kind, Shard};
use crate::runner::{JobRecord, Outcome};
use crate::stats::{Accumulator, Summary};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

pub const FAILURES_FILE: &str = "failures.csv";
pub const POINTS_FILE: &str = "points.csv";
const PLAN_FILE: &str = "plan.json";
const CHECKPOINT_FILE: &str = "checkpoint.json";

/// How far an experiment has got, as recorded after every batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Checkpoint {
    /// Every job before this number is done (or another shard's).
    next_job: u64,
    runs_len: u64,
    failures_len: u64,
    timeseries_len: u64,
    /// Jobs that failed, in order.
    failed: Vec<u64>,
}

impl Checkpoint {
    /// Nothing done yet: every file holds only its header.
    fn start(layout: &Layout) -> Checkpoint {
        Checkpoint {
            next_job: 0,
            runs_len: layout.runs_header().len() as u64,
            failures_len: layout.failures_header().len() as u64,
            timeseries_len: if layout.timeseries_every > 0 {
                layout.timeseries_header().len() as u64
            } else {
                0
            },
            failed: Vec::new(),
        }
    }
}

/// The `<DIR>.partial` sibling where an experiment is written until complete.
///
/// # Errors
/// [`OutputError::NoDirName`] when `target` has no final name (`/`, `..`).
pub fn partial_dir(target: &Path) -> Result<PathBuf, OutputError> {
    let name = target
        .file_name()
        .ok_or_else(|| OutputError::NoDirName(target.to_path_buf()))?;
    let parent = target.parent().unwrap_or(Path::new(""));
    Ok(parent.join(format!("{}.partial", name.to_string_lossy())))
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> OutputError {
    OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses a target that exists and is not an empty directory.
pub fn check_target(target: &Path) -> Result<(), OutputError> {
    match fs::metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(io_error("inspect", target, source)),
        Ok(meta) if !meta.is_dir() => Err(OutputError::NotADirectory(target.to_path_buf())),
        Ok(_) => {
            let mut entries =
                fs::read_dir(target).map_err(|e| io_error("read directory", target, e))?;
            if entries.next().is_some() {
                Err(OutputError::NotEmpty(target.to_path_buf()))
            } else {
                Ok(())
            }
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    fs::write(path, bytes).map_err(|e| io_error("write", path, e))
}

/// Replaces `path` atomically: writes a sibling, then renames it over.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = path.with_extension("tmp");
    write_file(&tmp, bytes)?;
    fs::rename(&tmp, path).map_err(|e| io_error("replace", path, e))
}

fn append_file(path: &Path) -> Result<File, OutputError> {
    OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| io_error("open", path, e))
}

/// The identity of an experiment, written to `plan.json` and compared on resume.
pub fn plan_json(experiment: &Experiment, layout: &Layout, shard: Shard, extra: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{}\n{}\n{}\n{}\n{}\n",
        experiment.kind.name(),
        experiment.seed,
        experiment.replications,
        experiment.columns.join(","),
        experiment.common_random_numbers
    ));
    for p in &experiment.points {
        hasher.update(format!("point {}\n", p.label));
        for v in &p.values {
            hasher.update(format!("{v},"));
        }
        match &p.params {
            Ok(params) => hasher.update(params.to_toml()),
            Err(e) => hasher.update(format!("invalid: {e}")),
        }
    }
    let hash: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let value = serde_json::json!({
        "cogov_version": env!("CARGO_PKG_VERSION"),
        "kind": experiment.kind.name(),
        "model": experiment.model.name(),
        "experiment_hash": hash,
        "seed": experiment.seed,
        "replications": experiment.replications,
        "points": experiment.points.len(),
        "shard": shard.to_string(),
        "timeseries_every": layout.timeseries_every,
        "settings": extra,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// An experiment's results directory while it is being written.
pub struct Store {
    layout: Layout,
    target: PathBuf,
    partial: PathBuf,
    checkpoint: Checkpoint,
    runs: File,
    failures: File,
    timeseries: Option<File>,
    accumulators: Vec<Vec<Accumulator>>,
}

impl Store {
    /// Claims `target` and starts `<target>.partial` with the headers, `points.csv`
    /// (sweeps) and `plan.json`.
    ///
    /// # Errors
    /// The target is taken, an interrupted run of it exists (resume or delete it), or
    /// a directory or file cannot be created.
    pub fn create(target: &Path, layout: Layout, plan: &str) -> Result<Store, OutputError> {
        check_target(target)?;
        let partial = partial_dir(target)?;
        if partial.exists() {
            return Err(OutputError::Interrupted(partial));
        }
        if let Some(parent) = partial.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io_error("create directory", parent, e))?;
        }
        fs::create_dir(&partial).map_err(|e| io_error("create directory", &partial, e))?;
        write_file(&partial.join(PLAN_FILE), plan.as_bytes())?;
        write_file(&partial.join(RUNS_FILE), layout.runs_header().as_bytes())?;
        write_file(
            &partial.join(FAILURES_FILE),
            layout.failures_header().as_bytes(),
        )?;
        if layout.timeseries_every > 0 {
            write_file(
                &partial.join(TIMESERIES_FILE),
                layout.timeseries_header().as_bytes(),
            )?;
        }
        if layout.kind == Kind::Sweep {
            write_file(&partial.join(POINTS_FILE), layout.points_csv().as_bytes())?;
        }
        let checkpoint = Checkpoint::start(&layout);
        Store::open(target, partial, layout, checkpoint)
    }

    /// Reopens the interrupted experiment in `<target>.partial`: checks that `plan`
    /// matches the one it was started with, cuts every file back to the last
    /// checkpoint, and hands each finished run to `replay(job point, replication,
    /// metrics)` in job order, as it was first delivered.
    ///
    /// # Errors
    /// Nothing to resume, a different plan, or unreadable files.
    pub fn resume(
        target: &Path,
        layout: Layout,
        plan: &str,
        experiment: &Experiment,
        shard: Shard,
        mut replay: impl FnMut(&Job, Option<&[f64]>),
    ) -> Result<Store, OutputError> {
        let partial = partial_dir(target)?;
        if !partial.is_dir() {
            return Err(OutputError::NothingToResume(partial));
        }
        let old_plan = fs::read_to_string(partial.join(PLAN_FILE))
            .map_err(|e| io_error("read", &partial.join(PLAN_FILE), e))?;
        if old_plan != plan {
            return Err(OutputError::PlanChanged {
                partial,
                difference: first_difference(&old_plan, plan),
            });
        }
        let path = partial.join(CHECKPOINT_FILE);
        let checkpoint: Checkpoint = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| OutputError::Corrupt {
                path: path.clone(),
                reason: e.to_string(),
            })?,
            // Interrupted before the first batch: nothing was done.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Checkpoint::start(&layout),
            Err(e) => return Err(io_error("read", &path, e)),
        };
        for (name, len) in [
            (RUNS_FILE, checkpoint.runs_len),
            (FAILURES_FILE, checkpoint.failures_len),
            (TIMESERIES_FILE, checkpoint.timeseries_len),
        ] {
            let path = partial.join(name);
            if name == TIMESERIES_FILE && layout.timeseries_every == 0 {
                continue;
            }
            let file = OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(|e| io_error("open", &path, e))?;
            let actual = file
                .metadata()
                .map_err(|e| io_error("inspect", &path, e))?
                .len();
            if actual < len {
                return Err(OutputError::Corrupt {
                    path,
                    reason: format!("{actual} bytes, but the checkpoint recorded {len}"),
                });
            }
            file.set_len(len)
                .map_err(|e| io_error("truncate", &path, e))?;
        }
        // Read the finished rows back, in job order.
        let runs_path = partial.join(RUNS_FILE);
        let reader =
            BufReader::new(File::open(&runs_path).map_err(|e| io_error("open", &runs_path, e))?);
        let mut lines = reader.lines().skip(1);
        let mut store = Store::open(target, partial.clone(), layout, checkpoint)?;
        let mut failed = store.checkpoint.failed.iter().peekable();
        for index in 0..store.checkpoint.next_job {
            if !shard.owns(index) {
                continue;
            }
            let job = experiment.job(index);
            if failed.peek() == Some(&&index) {
                failed.next();
                replay(&job, None);
                continue;
            }
            let corrupt = |reason: String| OutputError::Corrupt {
                path: runs_path.clone(),
                reason,
            };
            let line = lines
                .next()
                .ok_or_else(|| corrupt(format!("missing the row of job {index}")))?
                .map_err(|e| io_error("read", &runs_path, e))?;
            let (point, replication, metrics) = store
                .layout
                .parse_runs_row(&line)
                .ok_or_else(|| corrupt(format!("unreadable row: {line}")))?;
            if (point, replication) != (job.point, job.replication) {
                return Err(corrupt(format!(
                    "row for point {point} replication {replication} where job {index} was expected"
                )));
            }
            for (acc, &x) in store.accumulators[point].iter_mut().zip(&metrics) {
                acc.push(x);
            }
            replay(&job, Some(&metrics));
        }
        Ok(store)
    }

    fn open(
        target: &Path,
        partial: PathBuf,
        layout: Layout,
        checkpoint: Checkpoint,
    ) -> Result<Store, OutputError> {
        let timeseries = if layout.timeseries_every > 0 {
            Some(append_file(&partial.join(TIMESERIES_FILE))?)
        } else {
            None
        };
        Ok(Store {
            runs: append_file(&partial.join(RUNS_FILE))?,
            failures: append_file(&partial.join(FAILURES_FILE))?,
            timeseries,
            accumulators: vec![
                vec![Accumulator::new(); layout.metrics().len()];
                layout.labels.len()
            ],
            layout,
            target: target.to_path_buf(),
            partial,
            checkpoint,
        })
    }

    /// The first job not yet done.
    pub fn next_job(&self) -> u64 {
        self.checkpoint.next_job
    }

    /// Jobs that failed so far.
    pub fn failures(&self) -> usize {
        self.checkpoint.failed.len()
    }

    /// Where the results are being written.
    pub fn partial(&self) -> &Path {
        &self.partial
    }

    /// Where they will be once complete.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Appends one batch (in job order), then records that every job before `next_job`
    /// is done.
    ///
    /// # Errors
    /// A file cannot be written.
    pub fn write_batch(&mut self, records: &[JobRecord], next_job: u64) -> Result<(), OutputError> {
        let (mut runs, mut failures, mut series) = (String::new(), String::new(), String::new());
        for record in records {
            match &record.outcome {
                Outcome::Finished(output) => {
                    self.layout
                        .runs_row(&mut runs, &record.job, &output.metrics);
                    self.layout
                        .timeseries_rows(&mut series, &record.job, &output.series);
                    for (acc, &x) in self.accumulators[record.job.point]
                        .iter_mut()
                        .zip(&output.metrics)
                    {
                        acc.push(x);
                    }
                }
                Outcome::Failed(message) => {
                    self.layout.failure_row(&mut failures, &record.job, message);
                    self.checkpoint.failed.push(record.job.index);
                }
            }
        }
        let write = |file: &mut File, name: &str, text: &str| -> Result<(), OutputError> {
            if text.is_empty() {
                return Ok(());
            }
            file.write_all(text.as_bytes())
                .map_err(|e| io_error("write", &self.partial.join(name), e))
        };
        write(&mut self.runs, RUNS_FILE, &runs)?;
        write(&mut self.failures, FAILURES_FILE, &failures)?;
        if let Some(file) = self.timeseries.as_mut() {
            write(file, TIMESERIES_FILE, &series)?;
        }
        self.checkpoint.runs_len += runs.len() as u64;
        self.checkpoint.failures_len += failures.len() as u64;
        self.checkpoint.timeseries_len += series.len() as u64;
        self.checkpoint.next_job = next_job;
        let bytes = serde_json::to_vec(&self.checkpoint).unwrap_or_default();
        replace_file(&self.partial.join(CHECKPOINT_FILE), &bytes)
    }

    /// Each point's summary of each metric, over the runs written so far.
    pub fn summaries(&self) -> Vec<Vec<Summary>> {
        self.accumulators
            .iter()
            .map(|point| point.iter().map(Accumulator::summary).collect())
            .collect()
    }

    /// Writes `summary.csv`, `manifest.json` and any `extra` files, drops the
    /// bookkeeping files and moves the directory into place.
    ///
    /// # Errors
    /// A file cannot be written, or the target was taken meanwhile.
    pub fn finish(
        self,
        manifest: &[u8],
        extra: &[(&str, Vec<u8>)],
    ) -> Result<PathBuf, OutputError> {
        let summary = self.layout.summary_csv(&self.summaries());
        drop((self.runs, self.failures, self.timeseries));
        write_file(&self.partial.join(SUMMARY_FILE), summary.as_bytes())?;
        for (name, bytes) in extra {
            write_file(&self.partial.join(name), bytes)?;
        }
        write_file(&self.partial.join(MANIFEST_FILE), manifest)?;
        for name in [PLAN_FILE, CHECKPOINT_FILE] {
            let path = self.partial.join(name);
            if path.exists() {
                fs::remove_file(&path).map_err(|e| io_error("remove", &path, e))?;
            }
        }
        check_target(&self.target)?;
        if self.target.is_dir() {
            fs::remove_dir(&self.target)
                .map_err(|e| io_error("replace empty directory", &self.target, e))?;
        }
        fs::rename(&self.partial, &self.target)
            .map_err(|e| io_error("move results into", &self.target, e))?;
        Ok(self.target)
    }
}

/// What differs between two plans, in words, naming the settings a user chooses
/// before the hash that stands for the scenario and design.
fn first_difference(old: &str, new: &str) -> String {
    let (Ok(a), Ok(b)) = (
        serde_json::from_str::<serde_json::Value>(old),
        serde_json::from_str::<serde_json::Value>(new),
    ) else {
        return "the plans cannot be compared".to_string();
    };
    let order = [
        "seed",
        "replications",
        "shard",
        "kind",
        "points",
        "timeseries_every",
        "settings",
        "cogov_version",
    ];
    for key in order {
        if a[key] != b[key] {
            return format!("{key} was {}, now {}", a[key], b[key]);
        }
    }
    if a["experiment_hash"] != b["experiment_hash"] {
        return "the scenario's parameters or the design differ".to_string();
    }
    "the plans differ".to_string()
}

/// What a finished shard's manifest says about the experiment, for merging.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardInfo {
    pub dir: PathBuf,
    pub shard: Shard,
    /// The manifest's identity fields, to be equal across shards.
    pub identity: serde_json::Value,
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

/// Combines the files of finished shards into `target`, in job order, as one machine
/// would have written them; `summary.csv` is recomputed. `observe(point, replication,
/// metrics)` sees every finished run in job order (for a comparison's table). Returns
/// the merged store, ready to [`Store::finish`].
///
/// # Errors
/// Shards that do not belong together (different experiment, seed, version or shard
/// count; a shard missing or given twice), or unreadable files.
pub fn merge(
    shards: &[ShardInfo],
    layout: Layout,
    target: &Path,
    plan: &str,
    mut observe: impl FnMut(usize, u64, &[f64]),
) -> Result<Store, OutputError> {
    let refuse = |reason: String| OutputError::Merge(reason);
    let first = shards
        .first()
        .ok_or_else(|| refuse("no shard given".into()))?;
    let count = first.shard.count;
    let mut seen = vec![false; count as usize];
    for s in shards {
        if s.identity != first.identity {
            return Err(refuse(format!(
                "`{}` and `{}` are not shards of the same experiment (scenario, design, seed, replications or cogov version differ)",
                first.dir.display(),
                s.dir.display()
            )));
        }
        if s.shard.count != count {
            return Err(refuse(format!(
                "`{}` is shard {} but `{}` is shard {}",
                first.dir.display(),
                first.shard,
                s.dir.display(),
                s.shard
            )));
        }
        let slot = &mut seen[(s.shard.index - 1) as usize];
        if *slot {
            return Err(refuse(format!("shard {} is given twice", s.shard)));
        }
        *slot = true;
    }
    if let Some(missing) = seen.iter().position(|&s| !s) {
        return Err(refuse(format!(
            "shard {}/{count} is missing; give every shard's directory",
            missing + 1
        )));
    }
    let mut by_index: Vec<&ShardInfo> = shards.iter().collect();
    by_index.sort_by_key(|s| s.shard.index);

    let mut store = Store::create(target, layout, plan)?;
    let mut merged_runs = String::new();
    let mut merged_failures = String::new();
    let mut merged_series = String::new();
    // Each file: interleave the shards' rows by job number.
    let job_of = |layout: &Layout, line: &str| -> Option<u64> {
        let (p, r, _) = layout.parse_identity(line)?;
        Some(r * layout.labels.len() as u64 + p as u64)
    };
    for (name, out, optional) in [
        (RUNS_FILE, &mut merged_runs, false),
        (FAILURES_FILE, &mut merged_failures, false),
        (TIMESERIES_FILE, &mut merged_series, true),
    ] {
        if name == TIMESERIES_FILE && store.layout.timeseries_every == 0 {
            continue;
        }
        let mut streams = Vec::new();
        for s in &by_index {
            let (_, lines) = data_lines(&s.dir, name, optional)?;
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
        for (acc, &x) in store.accumulators[point].iter_mut().zip(&metrics) {
            acc.push(x);
        }
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
    store.checkpoint.failed = merged_failures
        .lines()
        .filter_map(|l| job_of(&store.layout, l))
        .collect();
    Ok(store)
}

/// Reads a number written by [`super::push_number`]; exposed for tests and tools.
pub fn read_number(text: &str) -> Option<f64> {
    parse_number(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Point;
    use crate::model::RunOutput;
    use crate::model::co_governance::params::Params;

    fn experiment(points: usize, replications: u64) -> Experiment {
        Experiment {
            kind: Kind::Sweep,
            model: crate::model::Model::CoGovernance,
            columns: vec![],
            points: (0..points)
                .map(|p| Point {
                    label: p.to_string(),
                    values: vec![],
                    params: Ok(Params::default().into()),
                })
                .collect(),
            replications,
            seed: 3,
            common_random_numbers: true,
        }
    }

    /// Fake records: metric k of job j is j * 100 + k, job 5 fails.
    fn records(e: &Experiment, range: std::ops::Range<u64>, shard: Shard) -> Vec<JobRecord> {
        range
            .filter(|&i| shard.owns(i))
            .map(|i| {
                let job = e.job(i);
                let outcome = if i == 5 {
                    Outcome::Failed("bad point".into())
                } else {
                    Outcome::Finished(RunOutput {
                        metrics: (0..crate::model::co_governance::metrics::METRICS.len())
                            .map(|k| (i * 100 + k as u64) as f64 / 7.0)
                            .collect(),
                        series: vec![0.5; 2 * crate::model::co_governance::metrics::SERIES.len()],
                    })
                };
                JobRecord { job, outcome }
            })
            .collect()
    }

    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap() != MANIFEST_FILE)
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn an_interrupted_and_resumed_experiment_writes_the_same_bytes() {
        let e = experiment(3, 4);
        let layout = Layout::of(&e, 1);
        let plan = plan_json(&e, &layout, Shard::ALL, "");
        let tmp = tempfile::tempdir().unwrap();

        let whole = tmp.path().join("whole");
        let mut store = Store::create(&whole, layout.clone(), &plan).unwrap();
        store
            .write_batch(&records(&e, 0..6, Shard::ALL), 6)
            .unwrap();
        store
            .write_batch(&records(&e, 6..12, Shard::ALL), 12)
            .unwrap();
        let whole = store.finish(b"{}", &[]).unwrap();

        let cut = tmp.path().join("cut");
        let mut store = Store::create(&cut, layout.clone(), &plan).unwrap();
        store
            .write_batch(&records(&e, 0..6, Shard::ALL), 6)
            .unwrap();
        // A torn row after the checkpoint, as a kill mid-write would leave.
        let mut runs = append_file(&store.partial().join(RUNS_FILE)).unwrap();
        runs.write_all(b"2,1,77,0.5,0.").unwrap();
        drop(store);
        let mut replayed = Vec::new();
        let mut store = Store::resume(&cut, layout.clone(), &plan, &e, Shard::ALL, |job, m| {
            replayed.push((job.index, m.is_some()))
        })
        .unwrap();
        assert_eq!(store.next_job(), 6);
        assert_eq!(replayed.len(), 6);
        assert_eq!(replayed[5], (5, false), "job 5 failed");
        store
            .write_batch(&records(&e, 6..12, Shard::ALL), 12)
            .unwrap();
        let cut = store.finish(b"{}", &[]).unwrap();
        assert_eq!(files(&whole), files(&cut));
        let failures = fs::read_to_string(whole.join(FAILURES_FILE)).unwrap();
        assert_eq!(failures.lines().count(), 2, "{failures}");
    }

    #[test]
    fn resume_refuses_a_different_plan_and_create_refuses_a_leftover() {
        let e = experiment(2, 2);
        let layout = Layout::of(&e, 0);
        let plan = plan_json(&e, &layout, Shard::ALL, "");
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("r");
        let store = Store::create(&target, layout.clone(), &plan).unwrap();
        drop(store);
        let err = Store::create(&target, layout.clone(), &plan).err().unwrap();
        assert!(err.to_string().contains("--resume"), "{err}");
        let mut other = e.clone();
        other.seed = 4;
        let other_plan = plan_json(&other, &layout, Shard::ALL, "");
        let err = Store::resume(&target, layout, &other_plan, &other, Shard::ALL, |_, _| {})
            .err()
            .unwrap();
        assert!(err.to_string().contains("seed was 3, now 4"), "{err}");
    }

    #[test]
    fn shards_merge_into_the_single_machine_files() {
        let e = experiment(3, 5);
        let layout = Layout::of(&e, 1);
        let tmp = tempfile::tempdir().unwrap();
        let plan_all = plan_json(&e, &layout, Shard::ALL, "");
        let mut store = Store::create(&tmp.path().join("one"), layout.clone(), &plan_all).unwrap();
        store
            .write_batch(&records(&e, 0..15, Shard::ALL), 15)
            .unwrap();
        let one = store.finish(b"{}", &[]).unwrap();

        let mut infos = Vec::new();
        for k in 1..=3 {
            let shard = Shard { index: k, count: 3 };
            let plan = plan_json(&e, &layout, shard, "");
            let dir = tmp.path().join(format!("s{k}"));
            let mut store = Store::create(&dir, layout.clone(), &plan).unwrap();
            store.write_batch(&records(&e, 0..15, shard), 15).unwrap();
            let dir = store.finish(b"{}", &[]).unwrap();
            infos.push(ShardInfo {
                dir,
                shard,
                identity: serde_json::json!({"same": true}),
            });
        }
        infos.reverse();
        let mut seen = 0;
        let store = merge(
            &infos,
            layout.clone(),
            &tmp.path().join("m"),
            &plan_all,
            |_, _, _| seen += 1,
        )
        .unwrap();
        assert_eq!(seen, 14);
        let merged = store.finish(b"{}", &[]).unwrap();
        assert_eq!(files(&one), files(&merged));

        infos.pop();
        let err = merge(
            &infos,
            layout,
            &tmp.path().join("m2"),
            &plan_all,
            |_, _, _| {},
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("missing"), "{err}");
    }
}
