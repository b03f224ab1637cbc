//! The results directory of an experiment: claimed, streamed into, checkpointed,
//! resumed, completed. (Merging shards into one is `super::merge`.)
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
//!
//! One writer at a time: a process that writes into `<DIR>.partial` holds an
//! exclusive advisory lock on `writer.lock` inside it (`flock` through
//! [`File::try_lock`]), with its pid in the file. The operating system drops the lock
//! when the process ends, whatever way, so a crash leaves no stale lock; a second
//! process that wants the same directory (a second run, or a `--resume` of a live one)
//! is refused, naming the pid. Finishing is resumable: `plan.json`, `checkpoint.json`
//! and the lock stay in `<DIR>.partial` until it has been renamed to `<DIR>`, so when
//! the move fails (the target became non-empty, is a mount point, cannot be written)
//! the same command with `--resume` finishes the job once the target is fixed.

use super::layout::{Layout, Rendered};
use super::plan::{PLAN_FILE, Plan};
use super::{GRIDS_FILE, MANIFEST_FILE, OutputError, RUNS_FILE, SUMMARY_FILE, TIMESERIES_FILE};
use crate::experiment::{Experiment, Job, Kind, Shard};
use crate::runner::{JobRecord, Outcome};
use crate::stats::{Accumulator, Summary};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

pub const FAILURES_FILE: &str = "failures.csv";
pub const POINTS_FILE: &str = "points.csv";
/// Runs flagged as runaways; written only when there are some.
pub const RUNAWAYS_FILE: &str = "runaways.csv";
const CHECKPOINT_FILE: &str = "checkpoint.json";
/// The file whose lock says a process is writing into `<DIR>.partial`.
pub const LOCK_FILE: &str = "writer.lock";

/// Writes what a new experiment's `<DIR>.partial` starts with: `plan.json`, each
/// file's header, and `points.csv` for a sweep. Writing it again over a directory
/// where nothing was run yet (a disk that filled while it was being made) starts it
/// afresh.
fn initialise(partial: &Path, layout: &Layout, plan: &Plan) -> Result<(), OutputError> {
    write_file(&partial.join(PLAN_FILE), plan.to_json().as_bytes())?;
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
    if layout.map.is_some() {
        write_file(&partial.join(GRIDS_FILE), layout.grids_header().as_bytes())?;
    }
    if layout.kind == Kind::Sweep {
        write_file(&partial.join(POINTS_FILE), layout.points_csv().as_bytes())?;
    }
    Ok(())
}

/// Takes the writer's lock on `partial` (creating `writer.lock` there) and records
/// this process's pid in it.
///
/// # Errors
/// [`OutputError::Busy`] when another process holds it, or the file cannot be made.
fn lock_writer(partial: &Path) -> Result<File, OutputError> {
    let path = partial.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| io_error("open", &path, e))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)
                .and_then(|()| file.write_all(format!("{}\n", std::process::id()).as_bytes()))
                .map_err(|e| io_error("write", &path, e))?;
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(OutputError::Busy {
            partial: partial.to_path_buf(),
            pid: fs::read_to_string(&path)
                .ok()
                .and_then(|t| t.trim().parse().ok()),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error("lock", &path, e)),
    }
}

/// Whether a live process holds the writer's lock on `partial`: `Busy` if so,
/// naming it; `Ok` when the directory is free (nobody writes there, or it has no lock
/// file).
fn check_not_busy(partial: &Path) -> Result<(), OutputError> {
    let path = partial.join(LOCK_FILE);
    let Ok(file) = File::open(&path) else {
        return Ok(());
    };
    match file.try_lock_shared() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(OutputError::Busy {
            partial: partial.to_path_buf(),
            pid: fs::read_to_string(&path)
                .ok()
                .and_then(|t| t.trim().parse().ok()),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error("lock", &path, e)),
    }
}

/// How far an experiment has got, as recorded after every batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Checkpoint {
    /// Every job before this number is done (or another shard's).
    next_job: u64,
    runs_len: u64,
    failures_len: u64,
    timeseries_len: u64,
    #[serde(default)]
    grids_len: u64,
    /// Jobs that failed, in order.
    pub(super) failed: Vec<u64>,
    /// The SHA-256 of each results file's content up to its recorded length, by file
    /// name: a resume refuses a file that was changed since. (Absent in checkpoints
    /// written before cogov recorded them; those files are checked by length only.)
    #[serde(default)]
    sha256: std::collections::BTreeMap<String, String>,
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
            grids_len: if layout.map.is_some() {
                layout.grids_header().len() as u64
            } else {
                0
            },
            failed: Vec::new(),
            sha256: std::collections::BTreeMap::new(),
        }
    }

    /// The recorded length of one of the [`streamed_files`].
    fn len(&self, name: &str) -> u64 {
        match name {
            RUNS_FILE => self.runs_len,
            FAILURES_FILE => self.failures_len,
            TIMESERIES_FILE => self.timeseries_len,
            _ => self.grids_len,
        }
    }
}

/// The files every batch appends to, for this layout: `runs.csv`, `failures.csv`,
/// and `timeseries.csv` and `grids.csv` when the experiment records them.
fn streamed_files(layout: &Layout) -> Vec<&'static str> {
    let mut names = vec![RUNS_FILE, FAILURES_FILE];
    if layout.timeseries_every > 0 {
        names.push(TIMESERIES_FILE);
    }
    if layout.map.is_some() {
        names.push(GRIDS_FILE);
    }
    names
}

/// A digest in lower-case hexadecimal.
fn hex(digest: &Sha256) -> String {
    digest
        .clone()
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The digest of the first `len` bytes of `path` (the whole file is that long once
/// cut back to its checkpoint).
fn digest_of(path: &Path) -> Result<Sha256, OutputError> {
    let mut file = File::open(path).map_err(|e| io_error("open", path, e))?;
    let mut digest = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        match std::io::Read::read(&mut file, &mut buffer) {
            Ok(0) => return Ok(digest),
            Ok(n) => digest.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error("read", path, e)),
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

pub(super) fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> OutputError {
    OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses a target that exists and is not an empty directory.
pub fn check_target(target: &Path) -> Result<(), OutputError> {
    // The finished results are renamed into place: that replaces a link (dangling or
    // not) instead of filling what it points to, and cannot replace a mount point.
    if fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(OutputError::Symlink(target.to_path_buf()));
    }
    if is_mount_point(target) {
        return Err(OutputError::MountPoint(target.to_path_buf()));
    }
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

/// Whether `dir` is a directory on another file system than its parent's.
fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let parent = match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(p) => p.to_path_buf(),
            None => PathBuf::from("."),
        };
        if let (Ok(d), Ok(p)) = (fs::metadata(dir), fs::metadata(&parent))
            && d.is_dir()
        {
            return d.dev() != p.dev();
        }
    }
    let _ = dir;
    false
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

/// An experiment's results directory while it is being written.
pub struct Store {
    pub(super) layout: Layout,
    pub(super) target: PathBuf,
    pub(super) partial: PathBuf,
    pub(super) checkpoint: Checkpoint,
    pub(super) runs: File,
    pub(super) failures: File,
    pub(super) timeseries: Option<File>,
    pub(super) grids: Option<File>,
    /// The running digest of each results file written (by name), so every
    /// checkpoint records what the file holds.
    digests: Vec<(&'static str, Sha256)>,
    /// The writer's lock on `partial`, held as long as the store lives.
    lock: File,
    pub(super) accumulators: Vec<Vec<Accumulator>>,
    /// Each point's values of each of the model's watched metrics
    /// (`Model::runaway_watches`), with their replications: `watched[point][watch]`.
    watched: Vec<Vec<Vec<(u64, f64)>>>,
}

/// A run whose watched metric passed its limit: the plausible ceiling, a cap, or
/// `stats::RUNAWAY_FACTOR` times its point's median.
#[derive(Debug, Clone, PartialEq)]
pub struct Runaway {
    pub point: usize,
    pub replication: u64,
    /// The metric's index in the model's metrics.
    pub metric: usize,
    pub value: f64,
    /// The point's median of the metric over its replications.
    pub median: f64,
    /// The limit the value passed.
    pub limit: f64,
}

impl Store {
    /// Claims `target` and starts `<target>.partial` with the headers, `points.csv`
    /// (sweeps) and `plan.json`.
    ///
    /// # Errors
    /// The target is taken, an interrupted run of it exists (resume or delete it), or
    /// a directory or file cannot be created.
    pub fn create(target: &Path, layout: Layout, plan: &Plan) -> Result<Store, OutputError> {
        check_target(target)?;
        let partial = partial_dir(target)?;
        let taken = |partial: PathBuf| match check_not_busy(&partial) {
            Ok(()) => OutputError::Interrupted(partial),
            Err(busy) => busy,
        };
        if partial.exists() {
            return Err(taken(partial));
        }
        if let Some(parent) = partial.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io_error("create directory", parent, e))?;
        }
        match fs::create_dir(&partial) {
            Ok(()) => {}
            // Another process made it since the check above.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(taken(partial)),
            Err(e) => return Err(io_error("create directory", &partial, e)),
        }
        let lock = lock_writer(&partial)?;
        initialise(&partial, &layout, plan)?;
        let checkpoint = Checkpoint::start(&layout);
        Store::open(target, partial, layout, checkpoint, lock)
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
        plan: &Plan,
        experiment: &Experiment,
        shard: Shard,
        mut replay: impl FnMut(&Job, Option<&[f64]>),
    ) -> Result<Store, OutputError> {
        let partial = partial_dir(target)?;
        if !partial.is_dir() {
            return Err(OutputError::NothingToResume(partial));
        }
        let lock = lock_writer(&partial)?;
        let old_plan = fs::read_to_string(partial.join(PLAN_FILE));
        if !partial.join(CHECKPOINT_FILE).exists() {
            // No batch was ever recorded: nothing was run. Unless it was started with
            // other settings, start it afresh (its files may have been cut short by a
            // full disk while they were being made).
            let other = old_plan
                .ok()
                .and_then(|text| serde_json::from_str::<Plan>(&text).ok())
                .and_then(|old| old.difference(plan));
            if let Some(difference) = other {
                return Err(OutputError::PlanChanged {
                    partial,
                    difference,
                });
            }
            initialise(&partial, &layout, plan)?;
            let checkpoint = Checkpoint::start(&layout);
            return Store::open(target, partial, layout, checkpoint, lock);
        }
        let old_plan = old_plan.map_err(|e| io_error("read", &partial.join(PLAN_FILE), e))?;
        let difference = match serde_json::from_str::<Plan>(&old_plan) {
            Ok(old) => old.difference(plan),
            Err(_) => Some("the plans cannot be compared".to_string()),
        };
        if let Some(difference) = difference {
            return Err(OutputError::PlanChanged {
                partial,
                difference,
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
        for name in streamed_files(&layout) {
            let len = checkpoint.len(name);
            let path = partial.join(name);
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
        if layout.kind == Kind::Sweep {
            let path = partial.join(POINTS_FILE);
            let written = fs::read(&path).map_err(|e| io_error("read", &path, e))?;
            if written != layout.points_csv().as_bytes() {
                return Err(OutputError::Changed { path, partial });
            }
        }
        // Read the finished rows back, in job order.
        let runs_path = partial.join(RUNS_FILE);
        let reader =
            BufReader::new(File::open(&runs_path).map_err(|e| io_error("open", &runs_path, e))?);
        let mut lines = reader.lines().skip(1);
        let mut store = Store::open(target, partial.clone(), layout, checkpoint, lock)?;
        for (name, digest) in &store.digests {
            let recorded = store.checkpoint.sha256.get(*name);
            if recorded.is_some_and(|r| *r != hex(digest)) {
                return Err(OutputError::Changed {
                    path: partial.join(name),
                    partial,
                });
            }
        }
        let failed_jobs = store.checkpoint.failed.clone();
        let mut failed = failed_jobs.iter().peekable();
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
            store.count(point, replication, &metrics);
            replay(&job, Some(&metrics));
        }
        Ok(store)
    }

    fn open(
        target: &Path,
        partial: PathBuf,
        layout: Layout,
        checkpoint: Checkpoint,
        lock: File,
    ) -> Result<Store, OutputError> {
        let timeseries = if layout.timeseries_every > 0 {
            Some(append_file(&partial.join(TIMESERIES_FILE))?)
        } else {
            None
        };
        let grids = if layout.map.is_some() {
            Some(append_file(&partial.join(GRIDS_FILE))?)
        } else {
            None
        };
        let digests = streamed_files(&layout)
            .into_iter()
            .map(|name| Ok((name, digest_of(&partial.join(name))?)))
            .collect::<Result<_, OutputError>>()?;
        Ok(Store {
            digests,
            runs: append_file(&partial.join(RUNS_FILE))?,
            failures: append_file(&partial.join(FAILURES_FILE))?,
            timeseries,
            grids,
            lock,
            accumulators: vec![
                vec![Accumulator::new(); layout.metrics().len()];
                layout.labels.len()
            ],
            watched: vec![
                vec![Vec::new(); layout.model.runaway_watches().len()];
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
        let rendered: Vec<Rendered> = records.iter().map(|r| self.layout.render(r)).collect();
        self.write_rendered(records, &rendered, next_job)
    }

    /// [`Store::write_batch`] with each record's rows already rendered
    /// ([`Layout::render`] with this store's [`Store::layout`], on the thread that ran
    /// it): `rendered[i]` is `records[i]`'s.
    ///
    /// # Errors
    /// A file cannot be written.
    pub fn write_rendered(
        &mut self,
        records: &[JobRecord],
        rendered: &[Rendered],
        next_job: u64,
    ) -> Result<(), OutputError> {
        debug_assert_eq!(records.len(), rendered.len());
        for record in records {
            match &record.outcome {
                Outcome::Finished(output) => {
                    self.count(record.job.point, record.job.replication, &output.metrics);
                }
                Outcome::Failed(_) => self.checkpoint.failed.push(record.job.index),
            }
        }
        // Each file's rows of the batch in one piece: one write a file.
        let joined = |part: fn(&Rendered) -> &String| -> String {
            let mut text = String::with_capacity(rendered.iter().map(|r| part(r).len()).sum());
            for r in rendered {
                text.push_str(part(r));
            }
            text
        };
        let runs = joined(|r| &r.runs);
        let failures = joined(|r| &r.failures);
        let series = joined(|r| &r.timeseries);
        let grids = joined(|r| &r.grids);
        let write = |file: &mut File, name: &str, text: &str| -> Result<(), OutputError> {
            if text.is_empty() {
                return Ok(());
            }
            file.write_all(text.as_bytes())
                .map_err(|e| io_error("write", &self.partial.join(name), e))
        };
        for (name, digest) in &mut self.digests {
            digest.update(match *name {
                RUNS_FILE => &runs,
                FAILURES_FILE => &failures,
                TIMESERIES_FILE => &series,
                _ => &grids,
            });
        }
        write(&mut self.runs, RUNS_FILE, &runs)?;
        write(&mut self.failures, FAILURES_FILE, &failures)?;
        if let Some(file) = self.timeseries.as_mut() {
            write(file, TIMESERIES_FILE, &series)?;
        }
        if let Some(file) = self.grids.as_mut() {
            write(file, GRIDS_FILE, &grids)?;
        }
        self.checkpoint.runs_len += runs.len() as u64;
        self.checkpoint.failures_len += failures.len() as u64;
        self.checkpoint.timeseries_len += series.len() as u64;
        self.checkpoint.grids_len += grids.len() as u64;
        self.checkpoint.next_job = next_job;
        self.checkpoint.sha256 = self
            .digests
            .iter()
            .map(|(name, digest)| (name.to_string(), hex(digest)))
            .collect();
        let bytes = serde_json::to_vec(&self.checkpoint).unwrap_or_default();
        replace_file(&self.partial.join(CHECKPOINT_FILE), &bytes)
    }

    /// The columns of this experiment's files, to render rows with.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Adds one finished run's metrics to its point's summaries and watch list.
    pub(super) fn count(&mut self, point: usize, replication: u64, metrics: &[f64]) {
        for (acc, &x) in self.accumulators[point].iter_mut().zip(metrics) {
            acc.push(x);
        }
        let watches = self.layout.model.runaway_watches();
        for (runs, watch) in self.watched[point].iter_mut().zip(watches) {
            if let Some(&x) = metrics.get(watch.metric) {
                runs.push((replication, x));
            }
        }
    }

    /// The runs so far whose watched metric (`Model::runaway_watches`) passed its
    /// limit: above its ceiling, or for a relative watch more than
    /// `stats::RUNAWAY_FACTOR` times its point's median; in point, then watch, then
    /// replication order.
    pub fn runaways(&self) -> Vec<Runaway> {
        let mut out = Vec::new();
        let watches = self.layout.model.runaway_watches();
        for (point, per_watch) in self.watched.iter().enumerate() {
            for (runs, watch) in per_watch.iter().zip(watches) {
                let values: Vec<f64> = runs.iter().map(|&(_, x)| x).collect();
                let median = crate::stats::median(&values);
                let flagged = if watch.relative {
                    crate::stats::runaways(&values, watch.ceiling)
                } else {
                    (0..values.len())
                        .filter(|&i| values[i] > watch.ceiling)
                        .collect()
                };
                for i in flagged {
                    let limit = if values[i] > watch.ceiling {
                        watch.ceiling
                    } else {
                        crate::stats::RUNAWAY_FACTOR * median
                    };
                    out.push(Runaway {
                        point,
                        replication: runs[i].0,
                        metric: watch.metric,
                        value: values[i],
                        median,
                        limit,
                    });
                }
            }
        }
        out
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
        self.finish_with(manifest, extra, |_| {})
    }

    /// [`Store::finish`], calling `before_move(dir)` on the complete `<DIR>.partial`
    /// (every results file and the manifest written) before it is moved into place:
    /// the binary writes the report there, so the finished directory has it.
    ///
    /// # Errors
    /// As [`Store::finish`].
    pub fn finish_with(
        self,
        manifest: &[u8],
        extra: &[(&str, Vec<u8>)],
        before_move: impl FnOnce(&Path),
    ) -> Result<PathBuf, OutputError> {
        let summary = self.layout.summary_csv(&self.summaries());
        let runaways = self.runaways();
        drop((self.runs, self.failures, self.timeseries, self.grids));
        write_file(&self.partial.join(SUMMARY_FILE), summary.as_bytes())?;
        if !runaways.is_empty() {
            let text = self.layout.runaways_csv(&runaways);
            write_file(&self.partial.join(RUNAWAYS_FILE), text.as_bytes())?;
        }
        for (name, bytes) in extra {
            write_file(&self.partial.join(name), bytes)?;
        }
        write_file(&self.partial.join(MANIFEST_FILE), manifest)?;
        before_move(&self.partial);
        let cannot_move = |reason: String| OutputError::CannotMove {
            partial: self.partial.clone(),
            target: self.target.clone(),
            reason,
        };
        check_target(&self.target).map_err(|e| cannot_move(e.to_string()))?;
        if self.target.is_dir() {
            fs::remove_dir(&self.target)
                .map_err(|e| cannot_move(format!("cannot replace the empty directory: {e}")))?;
        }
        fs::rename(&self.partial, &self.target).map_err(|e| cannot_move(e.to_string()))?;
        // The bookkeeping of the run goes once the results are in place; the lock
        // last, when the store is dropped.
        for name in [PLAN_FILE, CHECKPOINT_FILE, LOCK_FILE] {
            let path = self.target.join(name);
            if path.exists() {
                fs::remove_file(&path).map_err(|e| io_error("remove", &path, e))?;
            }
        }
        drop(self.lock);
        Ok(self.target)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::experiment::Point;
    use crate::model::RunOutput;
    use crate::model::co_governance::params::Params;

    pub(in crate::output) fn experiment(points: usize, replications: u64) -> Experiment {
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

    /// An experiment of `points` x `replications` fake jobs, its layout (every
    /// `every`-th day to `timeseries.csv`) and plan, and a directory for it.
    fn setup(
        points: usize,
        replications: u64,
        every: u64,
    ) -> (Experiment, Layout, Plan, tempfile::TempDir) {
        let e = experiment(points, replications);
        let layout = Layout::of(&e, every);
        let plan = Plan::new(&e, Shard::ALL, layout.timeseries_every, None);
        (e, layout, plan, tempfile::tempdir().unwrap())
    }

    /// Fake records: metric k of job j is j * 100 + k, job 5 fails.
    pub(in crate::output) fn records(
        e: &Experiment,
        range: std::ops::Range<u64>,
        shard: Shard,
    ) -> Vec<JobRecord> {
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
                        cells: (0..36 * crate::model::co_governance::metrics::GRID_METRICS.len())
                            .map(|k| (i + k as u64) as f64 / 4.0)
                            .collect(),
                    })
                };
                JobRecord { job, outcome }
            })
            .collect()
    }

    /// Every file of a directory but the manifest, by name.
    pub(crate) fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
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
        let (e, layout, plan, tmp) = setup(3, 4, 1);

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
    fn resume_refuses_results_files_changed_since_the_checkpoint() {
        let (e, mut layout, plan, tmp) = setup(3, 4, 1);
        layout.map = Some(6);
        let interrupted = |name: &str| {
            let target = tmp.path().join(name);
            let mut store = Store::create(&target, layout.clone(), &plan).unwrap();
            store
                .write_batch(&records(&e, 0..6, Shard::ALL), 6)
                .unwrap();
            drop(store);
            target
        };
        let resume = |target: &Path| {
            Store::resume(target, layout.clone(), &plan, &e, Shard::ALL, |_, _| {}).map(|_| ())
        };
        // The last character of a file's first row, changed (same length).
        fn one_character(text: &str) -> String {
            let end = text.match_indices('\n').nth(1).unwrap().0;
            let new = if text[..end].ends_with('9') { "8" } else { "9" };
            format!("{}{new}{}", &text[..end - 1], &text[end..])
        }
        // Every file with one character changed, and a row made longer (the cut at the
        // recorded length would glue two rows).
        type Edit = fn(&str) -> String;
        let edits: [(&str, Edit); 5] = [
            (RUNS_FILE, one_character),
            (RUNS_FILE, |t| t.replacen('\n', ",9\n", 2)),
            (FAILURES_FILE, one_character),
            (TIMESERIES_FILE, one_character),
            (GRIDS_FILE, one_character),
        ];
        for (k, (name, edit)) in edits.iter().enumerate() {
            let target = interrupted(&format!("d{k}"));
            let path = partial_dir(&target).unwrap().join(name);
            let text = fs::read_to_string(&path).unwrap();
            let edited = edit(&text);
            assert_ne!(text, edited, "{name}: the edit changes something");
            fs::write(&path, edited).unwrap();
            let err = resume(&target).unwrap_err();
            assert!(
                matches!(&err, OutputError::Changed { path: p, .. } if *p == path),
                "{name}: {err}"
            );
            assert!(err.is_user_error());
        }
        // The sweep's points.
        let target = interrupted("points");
        let path = partial_dir(&target).unwrap().join(POINTS_FILE);
        fs::write(&path, "point\n0\n1\n7\n").unwrap();
        let err = resume(&target).unwrap_err();
        assert!(matches!(err, OutputError::Changed { .. }), "{err}");
        // Untouched, it resumes, twice over, and ends as one uninterrupted run.
        let target = interrupted("twice");
        let mut store =
            Store::resume(&target, layout.clone(), &plan, &e, Shard::ALL, |_, _| {}).unwrap();
        store
            .write_batch(&records(&e, 6..9, Shard::ALL), 9)
            .unwrap();
        drop(store);
        let mut store =
            Store::resume(&target, layout.clone(), &plan, &e, Shard::ALL, |_, _| {}).unwrap();
        store
            .write_batch(&records(&e, 9..12, Shard::ALL), 12)
            .unwrap();
        let twice = store.finish(b"{}", &[]).unwrap();
        let mut store = Store::create(&tmp.path().join("whole"), layout.clone(), &plan).unwrap();
        store
            .write_batch(&records(&e, 0..12, Shard::ALL), 12)
            .unwrap();
        let whole = store.finish(b"{}", &[]).unwrap();
        assert_eq!(files(&whole), files(&twice));
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_lives_and_told_its_pid() {
        let (e, layout, plan, tmp) = setup(2, 3, 0);
        let target = tmp.path().join("d");
        let mut first = Store::create(&target, layout.clone(), &plan).unwrap();
        first
            .write_batch(&records(&e, 0..2, Shard::ALL), 2)
            .unwrap();
        let busy = |result: Result<Store, OutputError>| match result {
            Err(OutputError::Busy { pid, partial }) => {
                assert_eq!(pid, Some(std::process::id()));
                assert_eq!(partial, partial_dir(&target).unwrap());
            }
            Err(other) => panic!("expected Busy, found {other}"),
            Ok(_) => panic!("a second writer was let in"),
        };
        busy(Store::create(&target, layout.clone(), &plan));
        busy(Store::resume(
            &target,
            layout.clone(),
            &plan,
            &e,
            Shard::ALL,
            |_, _| {},
        ));
        let message = Store::create(&target, layout.clone(), &plan)
            .err()
            .unwrap()
            .to_string();
        assert!(
            message.contains(&format!(
                "another cogov process (pid {})",
                std::process::id()
            )),
            "{message}"
        );
        // Once the writer is gone (here dropped; a killed process drops its lock too)
        // the directory is an interrupted run that one process may resume.
        drop(first);
        assert!(matches!(
            Store::create(&target, layout.clone(), &plan),
            Err(OutputError::Interrupted(_))
        ));
        let second =
            Store::resume(&target, layout.clone(), &plan, &e, Shard::ALL, |_, _| {}).unwrap();
        assert_eq!(second.next_job(), 2);
        busy(Store::resume(
            &target,
            layout,
            &plan,
            &e,
            Shard::ALL,
            |_, _| {},
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_and_mount_points_are_refused_before_anything_runs() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        fs::create_dir(&real).unwrap();
        for (name, to) in [("link", real.as_path()), ("dangling", Path::new("nowhere"))] {
            let link = tmp.path().join(name);
            std::os::unix::fs::symlink(to, &link).unwrap();
            assert!(
                matches!(check_target(&link), Err(OutputError::Symlink(_))),
                "{name}"
            );
        }
        assert!(check_target(&real).is_ok(), "an empty directory is fine");
        if Path::new("/proc/self").exists() {
            assert!(matches!(
                check_target(Path::new("/proc")),
                Err(OutputError::MountPoint(_))
            ));
        }
    }

    #[test]
    fn a_directory_cut_short_while_it_was_being_made_resumes_from_the_start() {
        let (e, layout, plan, tmp) = setup(2, 2, 1);
        let whole = tmp.path().join("whole");
        let mut store = Store::create(&whole, layout.clone(), &plan).unwrap();
        store
            .write_batch(&records(&e, 0..4, Shard::ALL), 4)
            .unwrap();
        let whole = store.finish(b"{}", &[]).unwrap();
        // A full disk while the directory was made: headers cut to nothing, no
        // checkpoint, a plan cut short.
        let target = tmp.path().join("cut");
        drop(Store::create(&target, layout.clone(), &plan).unwrap());
        let partial = partial_dir(&target).unwrap();
        for name in [FAILURES_FILE, TIMESERIES_FILE, PLAN_FILE] {
            fs::write(partial.join(name), b"").unwrap();
        }
        assert!(!partial.join(CHECKPOINT_FILE).exists());
        let mut store =
            Store::resume(&target, layout.clone(), &plan, &e, Shard::ALL, |_, _| {}).unwrap();
        assert_eq!(store.next_job(), 0);
        store
            .write_batch(&records(&e, 0..4, Shard::ALL), 4)
            .unwrap();
        let cut = store.finish(b"{}", &[]).unwrap();
        assert_eq!(files(&whole), files(&cut));
    }

    #[test]
    fn a_move_that_fails_leaves_finished_results_that_resume_completes() {
        let (e, layout, plan, tmp) = setup(2, 2, 0);
        let target = tmp.path().join("d");
        let mut store = Store::create(&target, layout.clone(), &plan).unwrap();
        store
            .write_batch(&records(&e, 0..4, Shard::ALL), 4)
            .unwrap();
        // Something took the target while the runs went on.
        fs::create_dir(&target).unwrap();
        fs::write(target.join("other.txt"), "not ours").unwrap();
        let err = store.finish(b"{}", &[]).unwrap_err();
        assert!(matches!(err, OutputError::CannotMove { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("the results are complete in")
                && message.contains("run the same command with --resume"),
            "{message}"
        );
        // The way out the message names works.
        fs::remove_file(target.join("other.txt")).unwrap();
        let store =
            Store::resume(&target, layout.clone(), &plan, &e, Shard::ALL, |_, _| {}).unwrap();
        assert_eq!(store.next_job(), 4, "every run was kept");
        let done = store.finish(b"{}", &[]).unwrap();
        let names: Vec<String> = files(&done).into_iter().map(|(n, _)| n).collect();
        assert!(names.contains(&RUNS_FILE.to_string()));
        for gone in [PLAN_FILE, CHECKPOINT_FILE, LOCK_FILE] {
            assert!(
                !names.contains(&gone.to_string()),
                "{gone} left in {names:?}"
            );
        }
        assert!(!partial_dir(&target).unwrap().exists());
    }

    #[test]
    fn a_process_that_dies_while_finishing_leaves_results_a_resume_finishes_the_same() {
        let (e, layout, plan, tmp) = setup(2, 3, 1);
        let whole = Store::create(&tmp.path().join("whole"), layout.clone(), &plan).unwrap();
        let mut whole = whole;
        whole
            .write_batch(&records(&e, 0..6, Shard::ALL), 6)
            .unwrap();
        let whole = whole
            .finish(b"{}", &[("extra.csv", b"x\n".to_vec())])
            .unwrap();

        let target = tmp.path().join("d");
        let mut store = Store::create(&target, layout.clone(), &plan).unwrap();
        store
            .write_batch(&records(&e, 0..6, Shard::ALL), 6)
            .unwrap();
        // Killed after summary, manifest and report are written, before the move.
        let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.finish_with(b"{}", &[("extra.csv", b"x\n".to_vec())], |_| {
                panic!("killed")
            })
        }));
        assert!(died.is_err());
        assert!(!target.exists());
        let store =
            Store::resume(&target, layout.clone(), &plan, &e, Shard::ALL, |_, _| {}).unwrap();
        assert_eq!(store.next_job(), 6);
        let done = store
            .finish(b"{}", &[("extra.csv", b"x\n".to_vec())])
            .unwrap();
        assert_eq!(files(&whole), files(&done));
    }

    #[test]
    fn resume_refuses_a_different_plan_and_create_refuses_a_leftover() {
        let (e, layout, plan, tmp) = setup(2, 2, 0);
        let target = tmp.path().join("r");
        let store = Store::create(&target, layout.clone(), &plan).unwrap();
        drop(store);
        let err = Store::create(&target, layout.clone(), &plan).err().unwrap();
        assert!(err.to_string().contains("--resume"), "{err}");
        let mut other = e.clone();
        other.seed = 4;
        let other_plan = Plan::new(&other, Shard::ALL, layout.timeseries_every, None);
        let err = Store::resume(&target, layout, &other_plan, &other, Shard::ALL, |_, _| {})
            .err()
            .unwrap();
        assert!(err.to_string().contains("seed was 3, now 4"), "{err}");
    }

    #[test]
    fn a_run_far_above_its_point_s_median_is_listed_in_runaways_csv_and_survives_resume() {
        use crate::model::co_governance::Metric;
        let e = experiment(2, 5);
        let layout = Layout::of(&e, 0);
        let plan = Plan::new(&e, Shard::ALL, 0, None);
        // Job 7 (point 1, replication 3) is 1,000 times the others; job 2 (point 0,
        // replication 1) hit the dispatch cap; no other cap is hit.
        let calm = |batch: &mut [JobRecord]| {
            for r in batch.iter_mut() {
                if let Outcome::Finished(out) = &mut r.outcome {
                    out.metrics[Metric::UnattendedCallsPer1000 as usize] = 0.0;
                    out.metrics[Metric::OffendingCappedShare as usize] = 0.0;
                }
            }
        };
        let mut batch = records(&e, 0..10, Shard::ALL);
        calm(&mut batch);
        for r in batch.iter_mut() {
            if let Outcome::Finished(out) = &mut r.outcome {
                let x = &mut out.metrics[Metric::IncidentsPer1000 as usize];
                *x = if r.job.index == 7 { 40_000.0 } else { 40.0 };
                if r.job.index == 2 {
                    out.metrics[Metric::UnattendedCallsPer1000 as usize] = 0.5;
                }
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::create(&tmp.path().join("a"), layout.clone(), &plan).unwrap();
        store.write_batch(&batch[..8], 8).unwrap();
        drop(store);
        let mut store = Store::resume(
            &tmp.path().join("a"),
            layout,
            &plan,
            &e,
            Shard::ALL,
            |_, _| {},
        )
        .unwrap();
        store.write_batch(&batch[8..], 10).unwrap();
        let flagged = store.runaways();
        assert_eq!(flagged.len(), 2, "{flagged:?}");
        assert_eq!((flagged[0].point, flagged[0].replication), (0, 1));
        assert_eq!((flagged[1].point, flagged[1].replication), (1, 3));
        let dir = store.finish(b"{}", &[]).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join(RUNAWAYS_FILE)).unwrap(),
            "point,replication,metric,value,point_median,limit\n\
             0,1,unattended_calls_per_1000,0.5,0,0\n\
             1,3,incidents_per_1000,40000,40,1000\n"
        );
        // A run with none writes no file.
        let mut store = Store::create(
            &tmp.path().join("b"),
            Layout::of(&e, 0),
            &Plan::new(&e, Shard::ALL, 0, None),
        )
        .unwrap();
        let mut batch = records(&e, 0..10, Shard::ALL);
        calm(&mut batch);
        store.write_batch(&batch, 10).unwrap();
        let dir = store.finish(b"{}", &[]).unwrap();
        assert!(!dir.join(RUNAWAYS_FILE).exists());
    }
}
