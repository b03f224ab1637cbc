//! `runs.csv`: one row per replication, in run order, with every end-of-run metric.
//!
//! Columns: `run,seed,` then every [`METRICS`] name in table order.

use super::{RowFormat, RunRow, push_number};
use crate::metrics::METRICS;

/// The `runs.csv` format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunsCsv;

impl RowFormat for RunsCsv {
    fn header(&self) -> Vec<u8> {
        let mut line = String::from("run,seed");
        for def in METRICS {
            line.push(',');
            line.push_str(def.name);
        }
        line.push('\n');
        line.into_bytes()
    }

    fn rows(&self, run: &RunRow<'_>) -> Vec<u8> {
        let mut line = format!("{},{}", run.run, run.seed);
        for &x in run.metrics {
            line.push(',');
            push_number(&mut line, x);
        }
        line.push('\n');
        line.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_run_seed_and_every_metric() {
        let header = String::from_utf8(RunsCsv.header()).unwrap();
        let columns: Vec<&str> = header.trim_end().split(',').collect();
        assert_eq!(columns.len(), 2 + METRICS.len());
        assert_eq!(&columns[..3], &["run", "seed", METRICS[0].name]);
        assert_eq!(columns.last(), Some(&METRICS.last().unwrap().name));
        assert!(header.ends_with('\n'));
    }

    #[test]
    fn row_is_exact() {
        let mut metrics = vec![0.0; METRICS.len()];
        metrics[0] = 41.5;
        metrics[1] = f64::NAN;
        metrics[2] = 1.0 / 3.0;
        let row = RunRow {
            run: 3,
            seed: 18_446_744_073_709_551_615,
            metrics: &metrics,
            series: &[],
        };
        let mut expected = String::from("3,18446744073709551615,41.5,NA,0.3333333333333333");
        expected.push_str(&",0".repeat(METRICS.len() - 3));
        expected.push('\n');
        assert_eq!(String::from_utf8(RunsCsv.rows(&row)).unwrap(), expected);
    }
}
