//! Result files: what `cogov run` writes, each format in its own file.
//!
//! Every format turns plain data into bytes and is tested without touching the disk:
//! the per-replication CSV files implement [`RowFormat`] (a header, then the rows of
//! one replication at a time, so they stream as replications finish);
//! [`summary::summary_csv`] and [`Manifest`] are written once, at the end.
//! [`ResultsWriter`] is the only part that touches the file system: it claims the
//! results directory, streams rows into a temporary sibling and renames it into place
//! only when the run succeeded.
//!
//! Numbers are written with Rust's `{}` for `f64` (the shortest decimal that reads back
//! to the same bits, so files are deterministic and round-trip), integers as integers,
//! and NaN ("undefined for this run") as `NA`.
//!
//! This module does not run the model and does not read the clock: times arrive as
//! [`UtcTime`] values from the caller.

mod dir;
mod manifest;
mod runs;
pub mod summary;
pub mod table;
mod time;
mod timeseries;

pub use dir::{ResultsWriter, default_dir, partial_dir};
pub use manifest::Manifest;
pub use runs::RunsCsv;
pub use time::UtcTime;
pub use timeseries::TimeseriesCsv;

use std::fmt::Write as _;
use std::path::PathBuf;

/// File names inside a results directory.
pub const RUNS_FILE: &str = "runs.csv";
pub const SUMMARY_FILE: &str = "summary.csv";
pub const TIMESERIES_FILE: &str = "timeseries.csv";
pub const MANIFEST_FILE: &str = "manifest.json";

/// One finished replication, as the writers see it.
#[derive(Debug, Clone, Copy)]
pub struct RunRow<'a> {
    /// Replication index, from 0.
    pub run: u64,
    /// The replication's own seed.
    pub seed: u64,
    /// End-of-run metrics in [`crate::metrics::METRICS`] order; NaN = undefined.
    pub metrics: &'a [f64],
    /// Per-tick values, row-major: one row per tick (warm-up first), one column per
    /// [`crate::metrics::SERIES`] entry.
    pub series: &'a [f64],
}

/// A CSV file written one replication at a time.
pub trait RowFormat {
    /// The header line.
    fn header(&self) -> Vec<u8>;
    /// The lines of one replication.
    fn rows(&self, run: &RunRow<'_>) -> Vec<u8>;
}

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
    #[error("cannot {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("replication {run} returned {found} {what} values, expected {expected}")]
    Shape {
        run: u64,
        what: &'static str,
        found: usize,
        expected: usize,
    },
}

impl OutputError {
    /// True when the user can fix this by choosing another `--out` (bad input rather
    /// than a failure of the machine).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            OutputError::NotEmpty(_) | OutputError::NotADirectory(_) | OutputError::NoDirName(_)
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
    use crate::metrics::{METRICS, SERIES};

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
