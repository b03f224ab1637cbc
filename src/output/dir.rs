//! The results directory: claiming it, streaming into it, and putting it in place.
//!
//! Results never overwrite results. A target that exists and is not empty is refused
//! before any replication runs. Files are written into a temporary sibling,
//! `<DIR>.partial-<pid>`, and that directory is renamed to `<DIR>` only after every
//! file is complete, so `<DIR>` either holds a full set of results or does not exist.
//!
//! `runs.csv` and `timeseries.csv` are streamed as replications arrive, each
//! replication's rows flushed to the operating system before the next, so a long run
//! keeps what it has done if it fails or is killed later. If the run fails, or the
//! process is killed (Ctrl-C ends it at once; no signal handler is installed), the
//! `.partial-<pid>` directory stays behind with what was written: its name says it is
//! incomplete, and it never blocks a later run, which claims a different name.

use super::{
    MANIFEST_FILE, Manifest, OutputError, RUNS_FILE, RowFormat, RunRow, RunsCsv, SUMMARY_FILE,
    TIMESERIES_FILE, TimeseriesCsv, UtcTime, summary::summary_csv,
};
use crate::metrics::{METRICS, SERIES};
use crate::stats::{Accumulator, Summary};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The directory a run writes to when the user names none:
/// `<parent>/<scenario name>-<UTC time, basic ISO 8601>`, with `-2`, `-3`, ... appended
/// if that name is already taken (two runs in the same second).
pub fn default_dir(parent: &Path, scenario_name: &str, time: UtcTime) -> PathBuf {
    let stem: String = scenario_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = if stem.is_empty() {
        "run".to_string()
    } else {
        stem
    };
    let base = format!("{stem}-{}", time.compact());
    let mut candidate = parent.join(&base);
    let mut k = 2;
    while candidate.exists() {
        candidate = parent.join(format!("{base}-{k}"));
        k += 1;
    }
    candidate
}

/// The temporary sibling that results are written to before they are complete:
/// `<target>.partial-<pid>`, or `<target>.partial-<pid>-<k>` when a leftover of an
/// earlier process with the same id is in the way.
///
/// # Errors
/// [`OutputError::NoDirName`] when `target` has no final name (`/`, `..`).
pub fn partial_dir(target: &Path, pid: u32) -> Result<PathBuf, OutputError> {
    let name = target
        .file_name()
        .ok_or_else(|| OutputError::NoDirName(target.to_path_buf()))?;
    let parent = target.parent().unwrap_or(Path::new(""));
    let base = format!("{}.partial-{pid}", name.to_string_lossy());
    let mut candidate = parent.join(&base);
    let mut k = 2;
    while candidate.exists() {
        candidate = parent.join(format!("{base}-{k}"));
        k += 1;
    }
    Ok(candidate)
}

/// Refuses a target that exists and is not an empty directory.
fn check_target(target: &Path) -> Result<(), OutputError> {
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

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> OutputError {
    OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// One streamed CSV file.
struct Stream<F> {
    format: F,
    path: PathBuf,
    file: BufWriter<File>,
}

impl<F: RowFormat> Stream<F> {
    fn create(dir: &Path, name: &str, format: F) -> Result<Self, OutputError> {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|e| io_error("create", &path, e))?;
        let mut stream = Stream {
            file: BufWriter::with_capacity(1 << 16, file),
            path,
            format,
        };
        let header = stream.format.header();
        stream.write(&header)?;
        Ok(stream)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.file
            .write_all(bytes)
            .map_err(|e| io_error("write", &self.path, e))
    }

    /// Writes one replication's rows and hands them to the operating system, so a
    /// killed process loses at most the replication being written.
    fn row(&mut self, run: &RunRow<'_>) -> Result<(), OutputError> {
        let bytes = self.format.rows(run);
        self.write(&bytes)?;
        self.file
            .flush()
            .map_err(|e| io_error("write", &self.path, e))
    }

    fn close(mut self) -> Result<(), OutputError> {
        self.file
            .flush()
            .map_err(|e| io_error("write", &self.path, e))?;
        self.file
            .get_ref()
            .sync_all()
            .map_err(|e| io_error("write", &self.path, e))
    }
}

/// Writes one run's results directory; see the module documentation.
pub struct ResultsWriter {
    target: PathBuf,
    partial: PathBuf,
    runs: Stream<RunsCsv>,
    timeseries: Stream<TimeseriesCsv>,
    accumulators: Vec<Accumulator>,
}

impl ResultsWriter {
    /// Claims `target` (creating its parent directories) and opens the streamed files
    /// in its temporary sibling. `warmup_ticks` marks the warm-up rows of
    /// `timeseries.csv`.
    ///
    /// # Errors
    /// [`OutputError::NotEmpty`] or [`OutputError::NotADirectory`] when `target` is
    /// taken; [`OutputError::Io`] when a directory or file cannot be created.
    pub fn create(target: &Path, warmup_ticks: u64) -> Result<ResultsWriter, OutputError> {
        check_target(target)?;
        let partial = partial_dir(target, std::process::id())?;
        if let Some(parent) = partial.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io_error("create directory", parent, e))?;
        }
        fs::create_dir(&partial).map_err(|e| io_error("create directory", &partial, e))?;
        Ok(ResultsWriter {
            target: target.to_path_buf(),
            runs: Stream::create(&partial, RUNS_FILE, RunsCsv)?,
            timeseries: Stream::create(&partial, TIMESERIES_FILE, TimeseriesCsv { warmup_ticks })?,
            partial,
            accumulators: vec![Accumulator::new(); METRICS.len()],
        })
    }

    /// Where the results will be once [`ResultsWriter::finish`] succeeds.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Where the results are being written until then.
    pub fn partial(&self) -> &Path {
        &self.partial
    }

    /// Appends one replication; call in run order.
    ///
    /// # Errors
    /// [`OutputError::Shape`] when the replication does not have one value per metric
    /// and whole rows of series; [`OutputError::Io`] when a file cannot be written.
    pub fn write_run(&mut self, run: &RunRow<'_>) -> Result<(), OutputError> {
        if run.metrics.len() != METRICS.len() {
            return Err(OutputError::Shape {
                run: run.run,
                what: "metric",
                found: run.metrics.len(),
                expected: METRICS.len(),
            });
        }
        if !run.series.len().is_multiple_of(SERIES.len()) {
            return Err(OutputError::Shape {
                run: run.run,
                what: "time-series",
                found: run.series.len(),
                expected: run.series.len().next_multiple_of(SERIES.len()),
            });
        }
        self.runs.row(run)?;
        self.timeseries.row(run)?;
        for (acc, &x) in self.accumulators.iter_mut().zip(run.metrics) {
            acc.push(x);
        }
        Ok(())
    }

    /// The summary of each metric over the replications written so far, in
    /// [`METRICS`] order.
    pub fn summaries(&self) -> Vec<Summary> {
        self.accumulators.iter().map(Accumulator::summary).collect()
    }

    /// Closes the streamed files, writes `summary.csv` and `manifest.json`, and moves
    /// the directory into place. Returns the final directory.
    ///
    /// # Errors
    /// [`OutputError::Io`] when a file cannot be written or the directory cannot be
    /// renamed; [`OutputError::NotEmpty`] if something filled the target meanwhile.
    /// The partial directory is left in place in either case.
    pub fn finish(self, manifest: &Manifest) -> Result<PathBuf, OutputError> {
        let summaries = self.summaries();
        self.runs.close()?;
        self.timeseries.close()?;
        write_file(&self.partial.join(SUMMARY_FILE), &summary_csv(&summaries))?;
        write_file(&self.partial.join(MANIFEST_FILE), &manifest.to_json())?;
        check_target(&self.target)?;
        if self.target.is_dir() {
            // An empty directory the user made for us; rename cannot replace it everywhere.
            fs::remove_dir(&self.target)
                .map_err(|e| io_error("replace empty directory", &self.target, e))?;
        }
        fs::rename(&self.partial, &self.target)
            .map_err(|e| io_error("move results into", &self.target, e))?;
        Ok(self.target)
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    fs::write(path, bytes).map_err(|e| io_error("write", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    fn manifest() -> Manifest {
        Manifest {
            scenario_name: "t".into(),
            scenario_description: String::new(),
            scenario_files: vec![],
            scenario_hash: "00".into(),
            params: Params::default(),
            seed: 1,
            replications: 2,
            threads: 1,
            started: UtcTime::from_unix_seconds(0),
            finished: UtcTime::from_unix_seconds(1),
            command_line: vec!["cogov".into()],
        }
    }

    fn write_two_runs(writer: &mut ResultsWriter) {
        let metrics = vec![1.0; METRICS.len()];
        let series = vec![0.5; 3 * SERIES.len()];
        for run in 0..2 {
            let row = RunRow {
                run,
                seed: 10 + run,
                metrics: &metrics,
                series: &series,
            };
            writer.write_run(&row).unwrap();
        }
    }

    #[test]
    fn refuses_a_non_empty_directory_and_names_the_flag() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
        let err = ResultsWriter::create(tmp.path(), 0).err().unwrap();
        assert!(matches!(err, OutputError::NotEmpty(_)));
        assert!(err.is_user_error());
        assert!(err.to_string().contains("--out"));
        assert_eq!(
            fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
            "mine"
        );
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("results");
        fs::write(&file, "").unwrap();
        let err = ResultsWriter::create(&file, 0).err().unwrap();
        assert!(matches!(err, OutputError::NotADirectory(_)));
    }

    #[test]
    fn writes_into_a_partial_sibling_then_renames() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("nested").join("results");
        let mut writer = ResultsWriter::create(&target, 1).unwrap();
        assert!(!target.exists());
        assert!(writer.partial().is_dir());
        let partial_name = writer
            .partial()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(partial_name.starts_with("results.partial-"));
        write_two_runs(&mut writer);
        let partial = writer.partial().to_path_buf();
        let done = writer.finish(&manifest()).unwrap();
        assert_eq!(done, target);
        assert!(!partial.exists());
        for name in [RUNS_FILE, SUMMARY_FILE, TIMESERIES_FILE, MANIFEST_FILE] {
            assert!(target.join(name).is_file(), "{name} missing");
        }
        let runs = fs::read_to_string(target.join(RUNS_FILE)).unwrap();
        assert_eq!(runs.lines().count(), 3);
        assert!(runs.lines().nth(2).unwrap().starts_with("1,11,1,"));
        let ts = fs::read_to_string(target.join(TIMESERIES_FILE)).unwrap();
        assert_eq!(ts.lines().count(), 1 + 2 * 3);
        assert!(ts.lines().nth(1).unwrap().starts_with("0,1,1,0.5"));
        assert!(ts.lines().nth(2).unwrap().starts_with("0,2,0,0.5"));
        let summary = fs::read_to_string(target.join(SUMMARY_FILE)).unwrap();
        assert_eq!(
            summary.lines().nth(1).unwrap(),
            format!("{},1,0,1,1,2", METRICS[0].name)
        );
    }

    #[test]
    fn an_empty_directory_is_accepted_and_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("empty");
        fs::create_dir(&target).unwrap();
        let mut writer = ResultsWriter::create(&target, 0).unwrap();
        write_two_runs(&mut writer);
        writer.finish(&manifest()).unwrap();
        assert!(target.join(RUNS_FILE).is_file());
    }

    #[test]
    fn an_abandoned_run_leaves_only_the_partial_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("results");
        let mut writer = ResultsWriter::create(&target, 0).unwrap();
        write_two_runs(&mut writer);
        let partial = writer.partial().to_path_buf();
        drop(writer);
        assert!(!target.exists());
        assert!(partial.join(RUNS_FILE).is_file());
        // A later run with the same target does not trip over the leftover.
        let mut again = ResultsWriter::create(&target, 0).unwrap();
        assert_ne!(again.partial(), partial);
        write_two_runs(&mut again);
        again.finish(&manifest()).unwrap();
        assert!(target.join(MANIFEST_FILE).is_file());
    }

    #[test]
    fn finish_refuses_a_target_filled_meanwhile() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("results");
        let writer = ResultsWriter::create(&target, 0).unwrap();
        let partial = writer.partial().to_path_buf();
        fs::create_dir(&target).unwrap();
        fs::write(target.join("other"), "x").unwrap();
        assert!(matches!(
            writer.finish(&manifest()),
            Err(OutputError::NotEmpty(_))
        ));
        assert!(partial.join(SUMMARY_FILE).is_file());
    }

    #[test]
    fn wrong_shapes_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let mut writer = ResultsWriter::create(&tmp.path().join("r"), 0).unwrap();
        let row = RunRow {
            run: 0,
            seed: 0,
            metrics: &[1.0],
            series: &[],
        };
        assert!(matches!(
            writer.write_run(&row),
            Err(OutputError::Shape { what: "metric", .. })
        ));
        let metrics = vec![0.0; METRICS.len()];
        let row = RunRow {
            run: 0,
            seed: 0,
            metrics: &metrics,
            series: &[1.0],
        };
        assert!(matches!(
            writer.write_run(&row),
            Err(OutputError::Shape {
                what: "time-series",
                ..
            })
        ));
    }

    #[test]
    fn default_dir_is_named_after_scenario_and_time_and_never_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let time = UtcTime::from_unix_seconds(1_735_689_600);
        let first = default_dir(tmp.path(), "tongxiang baseline/v1", time);
        assert_eq!(
            first,
            tmp.path().join("tongxiang_baseline_v1-20250101T000000Z")
        );
        fs::create_dir(&first).unwrap();
        let second = default_dir(tmp.path(), "tongxiang baseline/v1", time);
        assert_eq!(
            second,
            tmp.path().join("tongxiang_baseline_v1-20250101T000000Z-2")
        );
    }

    #[test]
    fn partial_dir_needs_a_name() {
        assert!(matches!(
            partial_dir(Path::new("/"), 1),
            Err(OutputError::NoDirName(_))
        ));
        assert_eq!(
            partial_dir(Path::new("no-such-dir-xyz/out"), 42).unwrap(),
            Path::new("no-such-dir-xyz/out.partial-42")
        );
    }
}
