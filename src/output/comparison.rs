//! The results of `cogov compare`: `comparison.csv` and the table printed for people.
//!
//! Both take the rows of a [`PairedAccumulator`](crate::experiment::compare::PairedAccumulator)
//! and the scenarios' names (`scenario_names[s]` names scenario `s`; scenario 0 is the
//! baseline). Differences are paired: replication `r` of the reform minus replication
//! `r` of the baseline, which ran on the same seed (common random numbers).
//!
//! `comparison.csv` has one row per reform and metric, reforms in order and metrics in
//! the model's order ([`crate::model::Model::metrics`]), with these columns:
//!
//! - `reform`: the reform's scenario name (quoted as CSV requires when it holds a
//!   comma, a quote or a line break);
//! - `metric`: the metric's name;
//! - `baseline_mean`, `reform_mean`: the two scenarios' means over the `n` pairs;
//! - `difference`: mean of the paired differences `reform - baseline`;
//! - `ci95_low`, `ci95_high`: 95% confidence interval of that mean (Student's t on the
//!   paired differences); `NA` when `n < 2`;
//! - `relative_change`: `reform_mean / baseline_mean - 1` as a fraction (0.1 is
//!   +10%), computed as `difference / baseline_mean` so that no difference reads as
//!   exactly no change; `NA` when the baseline mean is 0;
//! - `effect_size`: Cohen's d_z, the mean difference over the standard deviation of the
//!   differences; `NA` when that deviation is 0 or undefined (never an infinity);
//! - `n`: pairs where both values are defined (a run where the metric is `NA` on
//!   either side is left out of that metric's pairs);
//! - `excludes_zero`: `true` when the confidence interval lies wholly above or below
//!   zero, else `false` (also when it is `NA`);
//! - `verdict`: `better` or `worse` when the interval excludes zero, by the direction
//!   the metric declares better ([`MetricDef::better`]); `changed` when it excludes
//!   zero for a metric with no better direction; `unclear` otherwise.
//!
//! Numbers are written by [`push_number`] (full precision, `NA` for undefined). The
//! terminal table rounds them with [`table::round`]. Nothing here touches the disk.

use super::{push_number, table};
use crate::experiment::compare::ComparisonRow;
use crate::schema::metrics::MetricDef;

/// The header line of `comparison.csv`.
const HEADER: &str = "reform,metric,baseline_mean,reform_mean,difference,ci95_low,ci95_high,relative_change,effect_size,n,excludes_zero,verdict\n";

/// The legend printed below the comparison table.
const LEGEND: &str = "better / worse: the 95% CI excludes zero and the change is an improvement / a deterioration by the metric's declared direction (`cogov metrics`); * the CI excludes zero for a metric with no better direction. difference = reform - baseline, paired replication by replication (common random numbers); effect size = mean difference / sd of differences (Cohen's d_z).";

/// `better`, `worse`, `changed` (the interval excludes zero, the metric has no better
/// direction) or `unclear` (it includes zero).
fn verdict(def: &MetricDef, row: &ComparisonRow) -> &'static str {
    let d = &row.difference;
    def.better.verdict(d.mean, d.ci95_low, d.ci95_high).word()
}

/// The bytes of `comparison.csv`: the header, then one line per row, in the given
/// order.
///
/// `metrics` are the model's metric definitions, which the rows index.
///
/// # Panics
/// If a row's reform has no name in `scenario_names`, or its metric no definition.
pub fn comparison_csv(
    scenario_names: &[String],
    metrics: &[MetricDef],
    rows: &[ComparisonRow],
) -> Vec<u8> {
    let mut out = String::from(HEADER);
    for row in rows {
        push_field(&mut out, &scenario_names[row.reform]);
        out.push(',');
        out.push_str(metrics[row.metric].name);
        let d = &row.difference;
        for x in [
            row.baseline_mean,
            row.reform_mean,
            d.mean,
            d.ci95_low,
            d.ci95_high,
            row.relative_change,
            row.effect_size,
        ] {
            out.push(',');
            push_number(&mut out, x);
        }
        out.push(',');
        out.push_str(&d.n.to_string());
        out.push(',');
        out.push_str(if row.excludes_zero() { "true" } else { "false" });
        out.push(',');
        out.push_str(verdict(&metrics[row.metric], row));
        out.push('\n');
    }
    out.into_bytes()
}

/// Appends `text` as one CSV field, quoted (RFC 4180) only when it must be.
fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Columns of the table; `n` is shown only when some metric has fewer pairs than its
/// block's heading says.
const COLUMNS: [&str; 9] = [
    "metric",
    "baseline",
    "reform",
    "difference",
    "95% CI",
    "",
    "relative change",
    "effect size",
    "n",
];

/// Whether each column is left-aligned (text) rather than right-aligned (numbers).
const LEFT: [bool; 9] = [true, false, false, false, true, true, false, false, false];

/// The comparison as a table for the terminal: one block per reform, headed
/// `REFORM vs BASELINE (n = N)` where `N` is the most pairs any metric of the block
/// has, then one line per metric, then a one-line legend.
///
/// `metrics` are the model's metric definitions, which the rows index; `shown`
/// (indices into them) chooses which metrics to show and in what order; `None` shows
/// every metric in the rows. Numbers are rounded with
/// [`table::round`]; the relative change is a signed percentage.
///
/// # Panics
/// If a row's reform, or the baseline, has no name in `scenario_names`.
pub fn comparison_table(
    scenario_names: &[String],
    metrics: &[MetricDef],
    rows: &[ComparisonRow],
    shown: Option<&[usize]>,
) -> String {
    // Reforms in order of first appearance, each with its rows in display order.
    let mut reforms: Vec<usize> = Vec::new();
    for row in rows {
        if !reforms.contains(&row.reform) {
            reforms.push(row.reform);
        }
    }
    let blocks: Vec<(usize, Vec<&ComparisonRow>)> = reforms
        .into_iter()
        .map(|reform| {
            let of_reform = rows.iter().filter(|r| r.reform == reform);
            let picked = match shown {
                None => of_reform.collect(),
                Some(chosen) => {
                    let of_reform: Vec<_> = of_reform.collect();
                    chosen
                        .iter()
                        .filter_map(|&m| of_reform.iter().copied().find(|r| r.metric == m))
                        .collect()
                }
            };
            (reform, picked)
        })
        .collect();

    let mut show_n = false;
    let mut cells: Vec<(String, Vec<[String; 9]>)> = Vec::new();
    for (reform, shown) in &blocks {
        let pairs = shown.iter().map(|r| r.difference.n).max().unwrap_or(0);
        show_n |= shown.iter().any(|r| r.difference.n != pairs);
        let heading = format!(
            "{} vs {} (n = {pairs})",
            scenario_names[*reform], scenario_names[0]
        );
        cells.push((
            heading,
            shown.iter().map(|r| table_cells(metrics, r)).collect(),
        ));
    }
    let columns = if show_n { 9 } else { 8 };

    let mut widths = [0; 9];
    for line in cells
        .iter()
        .flat_map(|(_, lines)| lines)
        .chain(std::iter::once(&COLUMNS.map(String::from)))
    {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header = COLUMNS.map(String::from);
    let mut out = String::new();
    for (i, (heading, lines)) in cells.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(heading);
        out.push('\n');
        for line in std::iter::once(&header).chain(lines) {
            let mut text = String::new();
            for c in 0..columns {
                if c > 0 {
                    text.push_str("  ");
                }
                let (cell, w) = (&line[c], widths[c]);
                if LEFT[c] {
                    text.push_str(&format!("{cell:<w$}"));
                } else {
                    text.push_str(&format!("{cell:>w$}"));
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
    if !cells.is_empty() {
        out.push('\n');
    }
    out.push_str(LEGEND);
    out.push('\n');
    out
}

/// One line of the table, in [`COLUMNS`] order.
fn table_cells(metrics: &[MetricDef], row: &ComparisonRow) -> [String; 9] {
    let d = &row.difference;
    let ci = if d.ci95_low.is_nan() || d.ci95_high.is_nan() {
        "NA".to_string()
    } else {
        format!(
            "[{}, {}]",
            table::round(d.ci95_low),
            table::round(d.ci95_high)
        )
    };
    [
        metrics[row.metric].name.to_string(),
        table::round(row.baseline_mean),
        table::round(row.reform_mean),
        table::round(d.mean),
        ci,
        match verdict(&metrics[row.metric], row) {
            "unclear" => "",
            "changed" => "*",
            word => word,
        }
        .to_string(),
        percent(row.relative_change),
        table::round(row.effect_size),
        d.n.to_string(),
    ]
}

/// A fraction as a signed percentage: `0.1` is `+10.00%`, `NA` for NaN.
fn percent(fraction: f64) -> String {
    if fraction.is_nan() {
        return "NA".to_string();
    }
    let text = table::round(fraction * 100.0);
    if fraction > 0.0 && text != "0" {
        format!("+{text}%")
    } else {
        format!("{text}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::compare::PairedAccumulator;
    use crate::model::co_governance::metrics::METRICS;
    use crate::stats::Summary;

    fn names() -> Vec<String> {
        ["baseline", "patrols", "mediation, joint"]
            .map(String::from)
            .to_vec()
    }

    /// A row of `reform` and `metric` with paired differences `differences`.
    fn row(reform: usize, metric: usize, baseline: f64, differences: &[f64]) -> ComparisonRow {
        let difference = Summary::of(differences);
        let reform_mean = baseline + difference.mean;
        ComparisonRow {
            reform,
            metric,
            baseline_mean: baseline,
            reform_mean,
            difference,
            relative_change: if baseline == 0.0 {
                f64::NAN
            } else {
                difference.mean / baseline
            },
            effect_size: if difference.sd > 0.0 {
                difference.mean / difference.sd
            } else {
                f64::NAN
            },
        }
    }

    #[test]
    fn csv_bytes_are_exact() {
        let rows = [
            row(1, 0, 40.0, &[-2.0, -2.0, -2.0, -2.0]),
            row(1, 1, 0.0, &[1.0]),
            row(2, 0, 40.0, &[-1.0, 0.0, 1.0]),
        ];
        let csv = String::from_utf8(comparison_csv(&names(), METRICS, &rows)).unwrap();
        let (m0, m1) = (METRICS[0].name, METRICS[1].name);
        // Differences [-1, 0, 1]: mean 0, sd 1.
        let half = crate::stats::t_quantile(0.975, 2) / 3f64.sqrt();
        let expected = format!(
            "{HEADER}\
             patrols,{m0},40,38,-2,-2,-2,-0.05,NA,4,true,better\n\
             patrols,{m1},0,1,1,NA,NA,NA,NA,1,false,unclear\n\
             \"mediation, joint\",{m0},40,40,0,{},{},0,0,3,false,unclear\n",
            -half, half
        );
        assert_eq!(csv, expected);
        assert_eq!(
            HEADER.trim_end().split(',').count(),
            expected.lines().nth(1).unwrap().split(',').count()
        );
    }

    #[test]
    fn csv_from_an_accumulator_has_a_line_per_reform_and_metric() {
        let mut acc = PairedAccumulator::new(3, METRICS.len());
        let values = vec![1.0; METRICS.len()];
        acc.push(&[&values, &values, &values]);
        let csv = String::from_utf8(comparison_csv(&names(), METRICS, &acc.rows())).unwrap();
        assert_eq!(csv.lines().count(), 1 + 2 * METRICS.len());
        assert!(csv.lines().nth(1).unwrap().starts_with("patrols,"));
        assert!(csv.ends_with(",1,false,unclear\n"));
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let cases = [
            ("plain_name", "plain_name"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
        ];
        for (text, expected) in cases {
            let mut out = String::new();
            push_field(&mut out, text);
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn percentages_are_signed() {
        let cases = [
            (0.1, "+10.00%"),
            (-0.07594, "-7.594%"),
            (0.0, "0%"),
            (1e-9, "+1.000e-7%"),
            (f64::NAN, "NA"),
        ];
        for (x, text) in cases {
            assert_eq!(percent(x), text, "{x}");
        }
    }

    #[test]
    fn table_has_a_block_per_reform_the_mark_and_the_legend() {
        let rows = [
            row(1, 0, 40.0, &[-2.5, -1.5, -2.0, -2.0]),
            row(1, 1, 0.0, &[0.5, -0.5]),
            row(2, 0, 40.0, &[-1.0, 0.0, 1.0, 0.0]),
            row(2, 1, 0.2, &[0.1, 0.1, 0.2, 0.2]),
        ];
        let text = comparison_table(&names(), METRICS, &rows, None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "patrols vs baseline (n = 4)");
        assert!(lines[1].starts_with("metric"));
        assert!(lines[1].contains("difference") && lines[1].ends_with("  n"));
        // Metric 0 of reform 1: a clear drop of incidents, marked better.
        assert!(lines[2].starts_with(METRICS[0].name));
        assert!(
            lines[2].contains("[-2.650, -1.350]   better"),
            "{}",
            lines[2]
        );
        assert!(lines[2].contains("-5.000%"));
        // Metric 1 of reform 1: fewer pairs, no mark, no relative change.
        assert!(!lines[3].contains("better") && !lines[3].contains("worse"));
        let last: Vec<&str> = lines[3].split_whitespace().rev().take(3).collect();
        assert_eq!(last, ["2", "0", "NA"]);
        assert_eq!(lines[4], "");
        assert_eq!(lines[5], "mediation, joint vs baseline (n = 4)");
        // Property offences that clearly rise are worse.
        assert!(
            lines[8].starts_with(METRICS[1].name) && lines[8].contains("  worse  "),
            "{}",
            lines[8]
        );
        assert_eq!(lines.iter().filter(|l| l.contains("  better  ")).count(), 1);
        assert_eq!(lines.last(), Some(&LEGEND));
        assert!(text.ends_with(".\n"));
        assert!(text.is_ascii());
        // Numbers line up: the CI column starts at the same place on every line.
        let at = |l: &str| l.find('[');
        assert_eq!(at(lines[2]), at(lines[7]));
    }

    #[test]
    fn table_shows_a_chosen_subset_in_the_chosen_order_without_n_when_equal() {
        let rows = [
            row(1, 0, 40.0, &[-2.5, -1.5, -2.0, -2.0]),
            row(1, 1, 0.0, &[0.5, -0.5]),
            row(1, 2, 10.0, &[1.0, 2.0, 1.0, 2.0]),
        ];
        let text = comparison_table(&names(), METRICS, &rows, Some(&[2, 0]));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 1 + 2 + 1 + 1);
        assert!(lines[1].ends_with("effect size"));
        assert!(lines[2].starts_with(METRICS[2].name));
        assert!(lines[2].contains("+15.00%"));
        assert!(lines[3].starts_with(METRICS[0].name));
        // No rows: just the legend.
        assert_eq!(
            comparison_table(&names(), METRICS, &[], None),
            format!("{LEGEND}\n")
        );
    }
}
