//! `summary.csv`: one row per end-of-run metric with its mean, sample standard
//! deviation and 95% confidence interval over the replications.
//!
//! Columns: `metric,mean,sd,ci95_low,ci95_high,n`, where `n` counts the replications in
//! which the metric was defined (not NA). Rows follow [`METRICS`] order.

use super::push_number;
use crate::metrics::METRICS;
use crate::stats::Summary;

/// The header line of `summary.csv`.
pub const HEADER: &str = "metric,mean,sd,ci95_low,ci95_high,n\n";

/// The bytes of `summary.csv`; `summaries` is in [`METRICS`] order.
pub fn summary_csv(summaries: &[Summary]) -> Vec<u8> {
    let mut out = String::from(HEADER);
    for (def, s) in METRICS.iter().zip(summaries) {
        out.push_str(def.name);
        for x in [s.mean, s.sd, s.ci95_low, s.ci95_high] {
            out.push(',');
            push_number(&mut out, x);
        }
        out.push_str(&format!(",{}\n", s.n));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_exact() {
        let mut summaries = vec![Summary::of(&[]); METRICS.len()];
        summaries[0] = Summary::of(&[1.0, 3.0]);
        summaries[1] = Summary::of(&[0.5]);
        let text = String::from_utf8(summary_csv(&summaries)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + METRICS.len());
        assert_eq!(lines[0], HEADER.trim_end());
        let s = summaries[0];
        assert_eq!(
            lines[1],
            format!(
                "{},2,{},{},{},2",
                METRICS[0].name, s.sd, s.ci95_low, s.ci95_high
            )
        );
        assert_eq!(lines[2], format!("{},0.5,NA,NA,NA,1", METRICS[1].name));
        assert_eq!(lines[3], format!("{},NA,NA,NA,NA,0", METRICS[2].name));
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn known_interval_is_written_in_full_precision() {
        let mut summaries = vec![Summary::of(&[]); METRICS.len()];
        summaries[0] = Summary::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        let text = String::from_utf8(summary_csv(&summaries)).unwrap();
        let row = text.lines().nth(1).unwrap();
        let fields: Vec<f64> = row.split(',').skip(1).map(|f| f.parse().unwrap()).collect();
        assert_eq!(fields[0], 5.0);
        assert_eq!(fields[1], summaries[0].sd);
        assert_eq!(fields[2], summaries[0].ci95_low);
        assert_eq!(fields[4], 8.0);
    }
}
