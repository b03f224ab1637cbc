//! Result files: what the experiments write, each format a pure function to text.
//!
//! [`layout`] defines every CSV file's columns for each kind of experiment (run, sweep,
//! comparison) and reads rows back; [`comparison`] writes `comparison.csv` and the
//! comparison table; [`Manifest`] writes `manifest.json`; [`table`] the run summary
//! table; [`csv`] a plain CSV table in the same number format, for analyses. All of
//! these turn plain data into text and are tested without the disk.
//! [`plan`] is the experiment's typed identity (`plan.json`). [`store`] (with `dir`,
//! which picks default directory names) is the only part that writes files: it claims
//! the results directory, streams rows into `<DIR>.partial` with a checkpoint after
//! every batch, resumes an interrupted experiment, and renames the directory into
//! place when complete; [`merge`] reads finished shards and combines them through it.
//!
//! Numbers are written with Rust's `{}` for `f64` (the shortest decimal that reads back
//! to the same bits, so files are deterministic and round-trip), integers as integers,
//! and NaN ("undefined for this run") as `NA`.
//!
//! This module does not run the model and does not read the clock: times arrive as
//! [`UtcTime`] values from the caller.

pub mod comparison;
pub mod csv;
mod dir;
pub mod layout;
mod manifest;
pub mod merge;
pub mod plan;
pub mod store;
pub mod table;
mod time;

pub use dir::{default_dir, latest_interrupted, next_free};
pub use layout::{Layout, Rendered};
pub use manifest::{Manifest, ScenarioEntry};
pub use plan::Plan;
pub use store::Store;
pub use time::UtcTime;

use std::fmt::Write as _;
use std::path::PathBuf;

/// File names inside a results directory.
pub const RUNS_FILE: &str = "runs.csv";
pub const SUMMARY_FILE: &str = "summary.csv";
pub const TIMESERIES_FILE: &str = "timeseries.csv";
/// Each replication's map, one row per cell and metric (`cogov run` only).
pub const GRIDS_FILE: &str = "grids.csv";
pub const MANIFEST_FILE: &str = "manifest.json";
pub const COMPARISON_FILE: &str = "comparison.csv";

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "results directory `{}` already exists and is not empty; cogov never overwrites results: choose a new or empty directory with --out DIR",
        .0.display()
    )]
    NotEmpty(PathBuf),
    #[error(
        "`{}` exists and is not a directory; choose a new or empty directory with --out DIR",
        .0.display()
    )]
    NotADirectory(PathBuf),
    #[error("`{}` does not name a results directory; give --out a directory name", .0.display())]
    NoDirName(PathBuf),
    #[error(
        "`{}` is a symbolic link: cogov moves its finished results into place by renaming, which would replace the link instead of filling what it points to; give --out the directory's own path, or a new name",
        .0.display()
    )]
    Symlink(PathBuf),
    #[error(
        "`{}` is a mount point: cogov moves its finished results into place by renaming, which cannot replace a mount point; give --out a new directory inside it, such as `{}/results`",
        .0.display(),
        .0.display()
    )]
    MountPoint(PathBuf),
    #[error("cannot {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "an interrupted run of this experiment is in `{}`: continue it by adding --resume to the same command, or delete that directory to start again",
        .0.display()
    )]
    Interrupted(PathBuf),
    #[error("--resume: there is no interrupted run to resume (`{}` does not exist)", .0.display())]
    NothingToResume(PathBuf),
    #[error(
        "another cogov process{} is writing into `{}`; wait for it to finish (or stop it with Ctrl-C and continue it later with --resume), or choose another directory with --out DIR",
        .pid.map_or(String::new(), |p| format!(" (pid {p})")),
        .partial.display()
    )]
    Busy { partial: PathBuf, pid: Option<u32> },
    #[error(
        "the results are complete in `{}` but cannot be moved to `{}`: {reason}; make `{}` a new or empty directory you can write to (or remove it), then run the same command with --resume to finish",
        .partial.display(),
        .target.display(),
        .target.display()
    )]
    CannotMove {
        partial: PathBuf,
        target: PathBuf,
        reason: String,
    },
    #[error(
        "--resume: the interrupted run in `{}` was started with different settings ({difference}); resume it with the same scenario, design, seed, replications and shard, or delete it",
        partial.display()
    )]
    PlanChanged {
        partial: PathBuf,
        difference: String,
    },
    #[error("`{}` is damaged: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "--resume: `{}` was changed after cogov last recorded it (its content no longer matches the checkpoint), so the results cannot be continued safely; put the original file back, or delete `{}` and run the command again without --resume",
        .path.display(),
        .partial.display()
    )]
    Changed { path: PathBuf, partial: PathBuf },
    #[error("cannot merge: {0}")]
    Merge(String),
}

impl OutputError {
    /// True when the user can fix this by choosing another `--out` (bad input rather
    /// than a failure of the machine).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            OutputError::NotEmpty(_)
                | OutputError::NotADirectory(_)
                | OutputError::NoDirName(_)
                | OutputError::Symlink(_)
                | OutputError::MountPoint(_)
                | OutputError::Interrupted(_)
                | OutputError::NothingToResume(_)
                | OutputError::Busy { .. }
                | OutputError::CannotMove { .. }
                | OutputError::PlanChanged { .. }
                | OutputError::Changed { .. }
                | OutputError::Merge(_)
        )
    }
}

/// Appends `x` as the result files write numbers: the shortest decimal that reads back
/// to the same value, `NA` for NaN (undefined), `Inf` and `-Inf` for infinities (as R
/// and pandas read them).
pub fn push_number(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NA");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "Inf" } else { "-Inf" });
    } else {
        // Writing to a String cannot fail.
        let _ = write!(out, "{x}");
    }
}

/// `x` formatted as [`push_number`] writes it.
pub fn format_number(x: f64) -> String {
    let mut s = String::new();
    push_number(&mut s, x);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::metrics::{METRICS, SERIES};

    #[test]
    fn numbers_round_trip_and_undefined_is_na() {
        let cases = [
            (f64::NAN, "NA"),
            (f64::INFINITY, "Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (3.0, "3"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1e-7, "0.0000001"),
            (0.0, "0"),
        ];
        for (x, text) in cases {
            assert_eq!(format_number(x), text);
        }
        for x in [1.0 / 3.0, 2.0_f64.sqrt() * 1e12, 6.02e-23, 123456.789] {
            assert_eq!(
                format_number(x).parse::<f64>().unwrap().to_bits(),
                x.to_bits()
            );
        }
    }

    #[test]
    fn column_names_need_no_csv_quoting() {
        for def in METRICS.iter().chain(SERIES.iter()) {
            assert!(
                def.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{} would need quoting",
                def.name
            );
        }
    }
}
