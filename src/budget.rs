//! What an experiment will cost before it starts: its peak memory, the disk its
//! files take, and its time, estimated from its parameters; and the check that
//! refuses one the machine cannot hold.
//!
//! Memory at the peak is the sum of:
//! - the worlds in memory at once: one per thread running (at most the runs there
//!   are), each as large as the largest point's ([`crate::model::footprint`]);
//! - the finished runs waiting to be written in job order (at most
//!   `runner::BATCH_PER_THREAD` per thread), each with its time series, map and rows
//!   of text;
//! - the design: every point's parameters and values, and each metric's running
//!   summary, for the whole experiment;
//! - the report's time-series bands (each charted series, each point, each day
//!   written), when the runs write a time series;
//! - the process itself ([`BASE_BYTES`]).
//!
//! Disk is the CSV files' bytes at about [`CSV_BYTES_PER_NUMBER`] a number; time is
//! the runs' CPU seconds over the threads. An experiment whose estimate exceeds the
//! memory available (`MemAvailable` of `/proc/meminfo`, or `--max-memory`) or the
//! free space where its results go is refused before anything is allocated or
//! written, naming the parts that make it large and the parameters that set them;
//! `--allow-large` runs it anyway. The figures are estimates (within about a factor
//! of 1.5 of measured peaks, BENCHMARKS.md, section 8), not
//! promises.

use crate::experiment::{Experiment, Kind, Point};
use crate::model::Model;
use crate::model::footprint::Part;
use crate::output::Layout;
use crate::runner::BATCH_PER_THREAD;

/// Bytes the process holds whatever it runs: code, thread stacks, buffers.
pub const BASE_BYTES: u64 = 8 << 20;
/// Bytes of a number in a CSV file, its separator included (measured: 14.6 a value
/// over a 200,000-day time series).
pub const CSV_BYTES_PER_NUMBER: u64 = 15;
/// Nanoseconds to format and write a byte of the CSV files, on the one thread that
/// writes (measured: 1.2 GB of time series took 17 s beyond the runs).
const NS_PER_WRITTEN_BYTE: f64 = 14.0;
/// Bytes of a row's identity columns (point, replication, seed, day...).
const CSV_ROW_IDENTITY: u64 = 40;
/// Bytes of one row of `grids.csv` (identity, grid, x, y, metric name, value).
const GRIDS_ROW: u64 = 60;
/// Bytes the report holds for each point, charted series and day of the time series
/// (a running summary and its map entry).
const REPORT_BYTES_PER_VALUE: u64 = 48;
/// Bytes the sensitivity analysis at the end of a sweep holds for each value of each
/// run it reads back (its metrics and swept parameters). Measured: `cogov analyse`
/// took 3.1 MB more for 4,000 runs than for 1,000 of a 70-value sweep (14.6 B a
/// value), and 130 MB for 99,900 runs of 75 values (17.3 B; BENCHMARKS.md, section 7).
const ANALYSIS_BYTES_PER_VALUE: u64 = 18;
/// Estimates at or above these are printed before a job starts.
pub const LARGE_BYTES: u64 = 1 << 30;
pub const LARGE_SECONDS: f64 = 600.0;

/// One part of the estimate of memory: what, how much, and what sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryPart {
    pub what: String,
    /// The parameters (or command-line options) that set its size.
    pub params: Vec<String>,
    pub bytes: u64,
}

/// What an experiment (or the share of it one process runs) will cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Peak memory in bytes: the sum of [`Estimate::parts`].
    pub memory: u64,
    /// Its parts, largest first.
    pub parts: Vec<MemoryPart>,
    /// Bytes of the files written.
    pub disk: u64,
    /// What makes the files large, largest first: (file, parameters, bytes).
    pub disk_parts: Vec<MemoryPart>,
    /// CPU seconds of every run, on one core.
    pub cpu_seconds: f64,
    /// Threads running the runs at once.
    pub threads: usize,
}

/// Bytes one design point holds for the whole experiment: its [`Point`] (the full
/// parameters), its label and values, the layout's text of it, and a running summary
/// (32 bytes) for each metric.
fn point_bytes(model: Model, columns: usize) -> u64 {
    std::mem::size_of::<Point>() as u64
        + 96
        + columns as u64 * 40
        + model.metrics().len() as u64 * std::mem::size_of::<crate::stats::Accumulator>() as u64
}

/// The part of memory the design holds for the whole experiment: `points` points
/// with `columns` swept parameters and their summaries, and the watched metric of each
/// of `jobs` runs.
fn design_part(model: Model, points: u64, columns: usize, jobs: u64) -> MemoryPart {
    let watches = model.runaway_watches().len() as u64;
    MemoryPart {
        what: format!("the design's {points} points and their summaries"),
        params: vec![
            "the design's `samples` or levels".into(),
            "replications".into(),
        ],
        bytes: points
            .saturating_mul(point_bytes(model, columns))
            .saturating_add(jobs.saturating_mul(watches * 16)),
    }
}

/// The process itself.
fn process_part() -> MemoryPart {
    MemoryPart {
        what: "the process".into(),
        params: Vec::new(),
        bytes: BASE_BYTES,
    }
}

/// The memory of a design of `points` points (with `columns` swept parameters) and
/// its summaries, before the design is made: a sweep whose design alone cannot fit
/// is refused before its points are generated.
pub fn design_estimate(model: Model, points: u64, columns: usize) -> Estimate {
    let parts = vec![design_part(model, points, columns, 0), process_part()];
    Estimate {
        memory: parts.iter().map(|p| p.bytes).sum(),
        parts,
        disk: 0,
        disk_parts: Vec::new(),
        cpu_seconds: 0.0,
        threads: 1,
    }
}

/// The estimate for `runs` of `experiment`'s jobs (all of them, or a shard's) on
/// `threads` threads, writing as `layout` says.
pub fn estimate(experiment: &Experiment, layout: &Layout, threads: usize, runs: u64) -> Estimate {
    let model = experiment.model;
    let jobs = experiment.job_count();
    let points = experiment.points.len() as u64;
    let at_once = (threads as u64).min(runs).max(1);
    let waiting = (threads as u64 * BATCH_PER_THREAD as u64).min(runs);
    let every = layout.timeseries_every;
    let series_row = CSV_ROW_IDENTITY + model.series().len() as u64 * CSV_BYTES_PER_NUMBER;
    let cells = |point: &Point| {
        point
            .params
            .as_ref()
            .map_or(0, |p| p.map_size().0 as u64 * p.map_size().1 as u64)
    };
    let days = |point: &Point| {
        point
            .params
            .as_ref()
            .map_or(0, |p| p.warmup_ticks() + p.ticks())
    };
    let written_days = |point: &Point| days(point).checked_div(every).map_or(0, |d| d + 1);
    let grids_rows = |point: &Point| {
        if layout.map.is_some() {
            cells(point) * model.cell_metrics().len() as u64
        } else {
            0
        }
    };

    // The largest world, and the largest finished run's output with its text.
    let mut largest: Option<(u64, Vec<Part>)> = None;
    let mut output = 0u64;
    let mut cpu_per_replication = 0.0;
    let mut longest_series = 0u64;
    for point in &experiment.points {
        let Ok(params) = &point.params else { continue };
        let footprint = params.footprint();
        let world = footprint.world_bytes();
        if largest.as_ref().is_none_or(|(w, _)| world > *w) {
            largest = Some((world, footprint.parts.clone()));
        }
        let text = written_days(point) * series_row + grids_rows(point) * GRIDS_ROW;
        output = output.max(footprint.output_bytes + text);
        cpu_per_replication += footprint.cpu_seconds;
        longest_series = longest_series.max(written_days(point));
    }
    let mut parts: Vec<MemoryPart> = largest
        .map(|(_, world)| {
            world
                .into_iter()
                .map(|part| MemoryPart {
                    what: format!(
                        "{} {} ({} B each{})",
                        part.count,
                        part.what,
                        part.bytes_each,
                        if at_once > 1 {
                            format!(", {at_once} runs at once")
                        } else {
                            String::new()
                        }
                    ),
                    params: part
                        .params
                        .iter()
                        .map(|p| p.to_string())
                        .chain((at_once > 1).then(|| "--threads".to_string()))
                        .collect(),
                    bytes: part.bytes().saturating_mul(at_once),
                })
                .collect()
        })
        .unwrap_or_default();
    parts.push(MemoryPart {
        what: format!("{waiting} finished runs waiting to be written"),
        params: vec![
            "run.ticks".into(),
            "run.warmup_ticks".into(),
            "--timeseries-every".into(),
            "--threads".into(),
        ],
        bytes: waiting.saturating_mul(output),
    });
    parts.push(design_part(model, points, experiment.columns.len(), jobs));
    if experiment.kind == Kind::Sweep {
        let values = (model.metrics().len() + experiment.columns.len()) as u64;
        parts.push(MemoryPart {
            what: format!("the sensitivity analysis of {jobs} runs at the end"),
            params: vec![
                "the design's `samples` or levels".into(),
                "replications".into(),
            ],
            bytes: jobs.saturating_mul(values * ANALYSIS_BYTES_PER_VALUE),
        });
    }
    if every > 0 {
        parts.push(MemoryPart {
            what: "the report's time-series bands".into(),
            params: vec!["run.ticks".into(), "--timeseries-every".into()],
            bytes: points
                .saturating_mul(longest_series)
                .saturating_mul(model.headline_series().len() as u64 * REPORT_BYTES_PER_VALUE),
        });
    }
    parts.push(process_part());
    parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));

    let share = runs as f64 / jobs.max(1) as f64;
    let replications = experiment.replications as f64 * share;
    let files = |per_run: &dyn Fn(&Point) -> u64| -> u64 {
        let per_replication: u64 = experiment.points.iter().map(per_run).sum();
        (per_replication as f64 * replications) as u64
    };
    let runs_row =
        CSV_ROW_IDENTITY + (experiment.columns.len() + model.metrics().len()) as u64 * 15;
    let mut disk_parts = vec![
        MemoryPart {
            what: "timeseries.csv".into(),
            params: vec![
                "run.ticks".into(),
                "run.warmup_ticks".into(),
                "--timeseries-every".into(),
                "replications".into(),
            ],
            bytes: files(&|p| written_days(p) * series_row),
        },
        MemoryPart {
            what: "grids.csv".into(),
            params: vec!["the map's size".into(), "replications".into()],
            bytes: files(&|p| grids_rows(p) * GRIDS_ROW),
        },
        MemoryPart {
            what: "runs.csv".into(),
            params: vec!["replications".into(), "the design's points".into()],
            bytes: (runs_row as f64 * runs as f64) as u64,
        },
    ];
    disk_parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
    Estimate {
        memory: parts.iter().map(|p| p.bytes).fold(0, u64::saturating_add),
        parts,
        disk: disk_parts
            .iter()
            .map(|p| p.bytes)
            .fold(0, u64::saturating_add),
        disk_parts,
        cpu_seconds: cpu_per_replication * replications,
        threads: at_once as usize,
    }
}

impl Estimate {
    /// Wall-clock seconds: the runs' CPU seconds spread over the threads, and the
    /// writing of the files, which one thread does.
    pub fn wall_seconds(&self) -> f64 {
        self.cpu_seconds / self.threads.max(1) as f64
            + self.disk as f64 * NS_PER_WRITTEN_BYTE * 1e-9
    }

    /// True when the job is large enough to say what it will cost before it starts.
    pub fn is_large(&self) -> bool {
        self.memory >= LARGE_BYTES
            || self.disk >= LARGE_BYTES
            || self.wall_seconds() >= LARGE_SECONDS
    }

    /// One line: "about 2.1 GB of memory, 3.4 GB of disk and 12 minutes on 2 threads".
    pub fn summary(&self) -> String {
        format!(
            "about {} of memory at the peak, {} of files and {} on {} thread{}",
            bytes_text(self.memory),
            bytes_text(self.disk),
            duration_text(self.wall_seconds()),
            self.threads,
            if self.threads == 1 { "" } else { "s" }
        )
    }

    /// Refuses the estimate when it exceeds a limit.
    ///
    /// # Errors
    /// [`BudgetError`] naming the limit, the parts that make the estimate large and
    /// what sets them.
    pub fn check(&self, limits: &Limits) -> Result<(), BudgetError> {
        if let Some((limit, source)) = &limits.memory
            && self.memory > *limit
        {
            return Err(BudgetError {
                message: format!(
                    "this would need {} of memory at its peak, more than {source} ({}); most of it is {}; make those smaller, or add --allow-large to run anyway",
                    bytes_text(self.memory),
                    bytes_text(*limit),
                    largest_parts(&self.parts, self.memory)
                ),
            });
        }
        if let Some((limit, source)) = &limits.disk
            && self.disk > *limit
        {
            return Err(BudgetError {
                message: format!(
                    "this would write {} of files, more than {source} ({}); most of it is {}; make those smaller (--timeseries-every 0 writes no time series), or add --allow-large to run anyway",
                    bytes_text(self.disk),
                    bytes_text(*limit),
                    largest_parts(&self.disk_parts, self.disk)
                ),
            });
        }
        Ok(())
    }
}

/// The parts that together make at least 80% of `total` (at most three), in words
/// with the parameters that set each.
fn largest_parts(parts: &[MemoryPart], total: u64) -> String {
    let mut out = Vec::new();
    let mut sum = 0u64;
    for part in parts.iter().filter(|p| p.bytes > 0).take(3) {
        let params = if part.params.is_empty() {
            String::new()
        } else {
            format!(
                ", set by {}",
                part.params
                    .iter()
                    .map(|p| if p.starts_with("--") || p.contains(' ') {
                        p.clone()
                    } else {
                        format!("`{p}`")
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(format!(
            "{} for {}{params}",
            bytes_text(part.bytes),
            part.what
        ));
        sum += part.bytes;
        if sum as f64 >= 0.8 * total as f64 {
            break;
        }
    }
    out.join("; ")
}

/// The limits an estimate is checked against: each a number of bytes and where it
/// comes from ("the memory available", "--max-memory").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    pub memory: Option<(u64, String)>,
    pub disk: Option<(u64, String)>,
}

/// An experiment larger than the limits.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct BudgetError {
    pub message: String,
}

/// Bytes in words: "512 B", "3.4 MB", "7.8 GB" (decimal units, as `df -H` and file
/// managers show them).
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// Seconds in words: "under a second", "40 seconds", "12 minutes", "3.5 hours",
/// "4.2 days".
pub fn duration_text(seconds: f64) -> String {
    match seconds {
        s if s < 1.0 => "under a second".to_string(),
        s if s < 1.5 => "1 second".to_string(),
        s if s < 90.0 => format!("{s:.0} seconds"),
        s if s < 90.0 * 60.0 => format!("{:.0} minutes", s / 60.0),
        s if s < 48.0 * 3600.0 => format!("{:.1} hours", s / 3600.0),
        s => format!("{:.1} days", s / 86_400.0),
    }
}

/// Why a size is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a size such as 8G, 512M or 2000000000 (bytes), found `{0}`")]
pub struct SizeError(pub String);

/// A size as the user writes it: bytes, or a number with `K`, `M`, `G` or `T`
/// (powers of 1024, as `ulimit`, `sbatch --mem` and `free` use them), optionally
/// followed by `B` or `iB`: `8G`, `1.5GiB`, `512M`, `2000000000`.
///
/// # Errors
/// [`SizeError`] for anything else, or a size of 0 or beyond `u64`.
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let bad = || SizeError(text.to_string());
    let t = text.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (number, shift) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(bad()),
            };
            (&t[..i], shift)
        }
        _ => (t, 0),
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    let bytes = value * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes >= u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

/// The memory the machine can give without swapping (`MemAvailable` in
/// `/proc/meminfo`), if the system says.
pub fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    meminfo_available(&text)
}

fn meminfo_available(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Free bytes for an unprivileged user on the file system where `path` is (or would
/// be: the nearest existing directory above it), if the system says.
pub fn free_disk(path: &std::path::Path) -> Option<u64> {
    let absolute = std::path::absolute(path).ok()?;
    let existing = absolute.ancestors().find(|p| p.is_dir())?;
    statvfs_free(existing)
}

#[cfg(unix)]
fn statvfs_free(dir: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt as _;
    let c_path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` a valid buffer.
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) };
    (rc == 0).then(|| (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

#[cfg(not(unix))]
fn statvfs_free(_dir: &std::path::Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelParams;
    use crate::model::co_governance::params::Params;

    fn run_of(params: Params, replications: u64) -> (Experiment, Layout) {
        let e = Experiment::single("s", ModelParams::from(params), replications, 1);
        let layout = Layout::of(&e, 1);
        (e, layout)
    }

    #[test]
    fn sizes_read_as_users_write_them() {
        assert_eq!(parse_size("8G"), Ok(8 << 30));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("2000000000"), Ok(2_000_000_000));
        assert_eq!(parse_size(" 64KB "), Ok(64 << 10));
        for bad in ["", "G", "8X", "-1G", "0", "1e30T", "eight"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(bytes_text(999), "999 B");
        assert_eq!(bytes_text(7_800_000_000), "7.8 GB");
        assert_eq!(bytes_text(132_000_000), "132 MB");
        assert_eq!(duration_text(0.2), "under a second");
        assert_eq!(duration_text(1.2), "1 second");
        assert_eq!(duration_text(720.0), "12 minutes");
    }

    #[test]
    fn available_memory_is_read_from_meminfo() {
        let text = "MemTotal:       24000000 kB\nMemFree: 1 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(meminfo_available(text), Some(20_000_000 * 1024));
        assert_eq!(meminfo_available("MemTotal: 1 kB\n"), None);
    }

    #[test]
    fn the_estimate_grows_with_what_the_parameters_ask_for() {
        let (e, layout) = run_of(Params::default(), 20);
        let small = estimate(&e, &layout, 2, 20);
        assert!(!small.is_large(), "{}", small.summary());
        assert!(small.memory < 200 << 20, "{}", small.summary());
        // The bomb: 4 million residents, 1,000 enterprises a grid.
        let mut bomb = Params::default();
        bomb.district.width = 40;
        bomb.district.height = 40;
        bomb.district.households_per_grid = 954;
        bomb.community.enterprises_per_grid = 1000.0;
        let (e, layout) = run_of(bomb, 20);
        let one = estimate(&e, &layout, 1, 20);
        let two = estimate(&e, &layout, 2, 20);
        let world = e.points[0]
            .params
            .as_ref()
            .unwrap()
            .footprint()
            .world_bytes();
        assert!(world > 300_000_000 && world < 400_000_000, "{world}");
        assert!(
            two.memory > one.memory + world - 1,
            "a second run at once holds a second world"
        );
        // Organisations count: the enterprises are among the parts named.
        let limits = Limits {
            memory: Some((100_000_000, "--max-memory".into())),
            disk: None,
        };
        let err = two.check(&limits).unwrap_err().to_string();
        assert!(
            err.contains("residents") && err.contains("`district.households_per_grid`"),
            "{err}"
        );
        assert!(
            err.contains("enterprises") && err.contains("`community.enterprises_per_grid`"),
            "{err}"
        );
        assert!(
            err.contains("--max-memory (100 MB)") && err.contains("--allow-large"),
            "{err}"
        );
        assert!(two.check(&Limits::default()).is_ok());
    }

    #[test]
    fn long_time_series_are_counted_on_disk_and_refused_above_the_free_space() {
        let mut long = Params::default();
        long.district.width = 3;
        long.district.height = 3;
        long.district.households_per_grid = 1;
        long.run.ticks = 100_000;
        long.run.warmup_ticks = 100_000;
        let (e, layout) = run_of(long, 20);
        let every_day = estimate(&e, &layout, 2, 20);
        // Measured: 79 MB of timeseries.csv for one such run.
        let per_run = every_day.disk_parts[0].bytes / 20;
        assert!((60_000_000..110_000_000).contains(&per_run), "{per_run}");
        let limits = Limits {
            memory: None,
            disk: Some((1_000_000_000, "the free space".into())),
        };
        let err = every_day.check(&limits).unwrap_err().to_string();
        assert!(
            err.contains("timeseries.csv") && err.contains("--timeseries-every"),
            "{err}"
        );
        let none = Layout::of(&e, 0);
        assert!(estimate(&e, &none, 2, 20).check(&limits).is_ok());
        // A shard writes its share.
        assert!(estimate(&e, &layout, 2, 5).disk * 4 <= every_day.disk + 4);
    }

    #[test]
    fn a_sweep_counts_its_analysis_of_every_run() {
        let mut e = Experiment::single("s", ModelParams::from(Params::default()), 1000, 1);
        let layout = Layout::of(&e, 0);
        let as_run = estimate(&e, &layout, 2, 1000);
        e.kind = Kind::Sweep;
        let sweep = estimate(&e, &layout, 2, 1000);
        let analysis = sweep
            .parts
            .iter()
            .find(|p| p.what.starts_with("the sensitivity analysis of 1000 runs"))
            .expect("the analysis is a part");
        // About 1 to 1.3 kB a run, as measured.
        assert!(
            (1_000_000..1_400_000).contains(&analysis.bytes),
            "{}",
            analysis.bytes
        );
        assert_eq!(sweep.memory, as_run.memory + analysis.bytes);
    }

    #[test]
    fn a_huge_design_is_refused_before_it_is_made() {
        let design = design_estimate(Model::CoGovernance, 10_000_000, 3);
        assert!(design.memory > 20_000_000_000, "{}", design.summary());
        let limits = Limits {
            memory: Some((16 << 30, "the memory available".into())),
            disk: None,
        };
        let err = design.check(&limits).unwrap_err().to_string();
        assert!(err.contains("10000000 points"), "{err}");
    }
}
