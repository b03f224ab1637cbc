//! `timeseries.csv`: tidy per-tick values, one row per replication and tick.
//!
//! Columns: `run,tick,warmup,` then every [`SERIES`] name. Ticks are numbered from 1
//! and include the warm-up, whose rows have `warmup` = 1 (the measured window's rows
//! have 0), so a plot can show how the model settles and an analysis can drop it with
//! one filter.

use super::{RowFormat, RunRow, push_number};
use crate::metrics::SERIES;

/// The `timeseries.csv` format for runs whose first `warmup_ticks` ticks are warm-up.
#[derive(Debug, Clone, Copy)]
pub struct TimeseriesCsv {
    pub warmup_ticks: u64,
}

impl RowFormat for TimeseriesCsv {
    fn header(&self) -> Vec<u8> {
        let mut line = String::from("run,tick,warmup");
        for def in SERIES {
            line.push(',');
            line.push_str(def.name);
        }
        line.push('\n');
        line.into_bytes()
    }

    fn rows(&self, run: &RunRow<'_>) -> Vec<u8> {
        let mut out = String::new();
        for (t, values) in run.series.chunks(SERIES.len()).enumerate() {
            let tick = t as u64 + 1;
            let warmup = u8::from(tick <= self.warmup_ticks);
            out.push_str(&format!("{},{tick},{warmup}", run.run));
            for &x in values {
                out.push(',');
                push_number(&mut out, x);
            }
            out.push('\n');
        }
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_run_tick_warmup_and_every_series() {
        let header = String::from_utf8(TimeseriesCsv { warmup_ticks: 0 }.header()).unwrap();
        let columns: Vec<&str> = header.trim_end().split(',').collect();
        assert_eq!(columns.len(), 3 + SERIES.len());
        assert_eq!(&columns[..4], &["run", "tick", "warmup", SERIES[0].name]);
    }

    #[test]
    fn rows_number_ticks_from_one_and_flag_the_warmup() {
        let width = SERIES.len();
        let mut series = vec![0.0; 3 * width];
        series[0] = 5.0;
        series[1] = f64::NAN;
        series[width] = 0.25;
        series[2 * width + width - 1] = 1.5;
        let row = RunRow {
            run: 7,
            seed: 1,
            metrics: &[],
            series: &series,
        };
        let zeros = |k: usize| ",0".repeat(k);
        let expected = format!(
            "7,1,1,5,NA{}\n7,2,1,0.25{}\n7,3,0{},1.5\n",
            zeros(width - 2),
            zeros(width - 1),
            zeros(width - 1),
        );
        let bytes = TimeseriesCsv { warmup_ticks: 2 }.rows(&row);
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }

    #[test]
    fn no_series_means_no_rows() {
        let row = RunRow {
            run: 0,
            seed: 0,
            metrics: &[],
            series: &[],
        };
        assert!(TimeseriesCsv { warmup_ticks: 5 }.rows(&row).is_empty());
    }
}
