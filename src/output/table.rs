//! The summary table `cogov run` prints for people: one line per metric with its mean,
//! 95% confidence interval, number of replications where it was defined, and unit.
//!
//! Numbers are rounded to four significant digits for reading; the CSV files keep full
//! precision.

use crate::schema::metrics::MetricDef;
use crate::stats::Summary;

/// Significant digits shown in the table.
const DIGITS: i32 = 4;

/// The table's text; `summaries` is in `metrics` order (the model's metrics).
pub fn summary_table(metrics: &[MetricDef], summaries: &[Summary]) -> String {
    let header = ["metric", "mean", "95% CI", "n", "unit"];
    let mut rows: Vec<[String; 5]> = vec![header.map(String::from)];
    for (def, s) in metrics.iter().zip(summaries) {
        let ci = if s.ci95_low.is_nan() {
            "NA".to_string()
        } else {
            format!("[{}, {}]", round(s.ci95_low), round(s.ci95_high))
        };
        rows.push([
            def.name.to_string(),
            round(s.mean),
            ci,
            s.n.to_string(),
            def.unit.to_string(),
        ]);
    }
    let mut widths = [0; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let line = format!(
            "{:<w0$}  {:>w1$}  {:<w2$}  {:>w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `x` rounded to `DIGITS` (4) significant digits, without exponent for everyday
/// magnitudes; `NA` for NaN.
pub fn round(x: f64) -> String {
    if x.is_nan() {
        return "NA".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..15).contains(&magnitude) {
        return format!("{:.*e}", (DIGITS - 1) as usize, x);
    }
    let decimals = (DIGITS - 1 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    // "-0.000" after rounding reads better as "0".
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::metrics::METRICS;

    #[test]
    fn rounds_to_four_significant_digits() {
        let cases = [
            (41.2345, "41.23"),
            (0.123456, "0.1235"),
            (1234567.0, "1234567"),
            (0.00012346, "0.0001235"),
            (-2.5, "-2.500"),
            (0.0, "0"),
            (f64::NAN, "NA"),
            (1.5e-9, "1.500e-9"),
        ];
        for (x, text) in cases {
            assert_eq!(round(x), text, "{x}");
        }
    }

    #[test]
    fn one_line_per_metric_with_na_for_undefined_intervals() {
        let mut summaries = vec![Summary::of(&[1.0, 2.0, 3.0]); METRICS.len()];
        summaries[1] = Summary::of(&[7.0]);
        let table = summary_table(METRICS, &summaries);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 1 + METRICS.len());
        assert!(lines[0].starts_with("metric"));
        assert!(lines[1].starts_with(METRICS[0].name));
        assert!(lines[1].contains("[-0.4841, 4.484]"));
        assert!(lines[1].ends_with(METRICS[0].unit));
        assert!(lines[2].contains(" NA "));
    }
}
