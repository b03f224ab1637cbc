//! The report of an uncertainty comparison (`cogov compare BASE REFORMS
//! --uncertainty FILE`): which reform holds up across the worlds nobody can rule out.
//!
//! Such results are a sweep whose points are worlds × scenarios, so the sweep's
//! charts of a metric against each parameter would mix the baseline with the
//! reforms. Instead the page shows what `robustness.csv` and `prim_boxes.csv` (written
//! by `cogov analyse`, and by the comparison when it finishes) say: the share of
//! worlds in which each reform improves each headline metric, with its Wilson
//! interval, as bars; the effect's spread and the regret as a table; and the PRIM
//! boxes (Friedman and Fisher 1999) of the worlds where a reform fails, in words.
//! Nothing here recomputes them; a missing file is said, not filled in.

use super::data;
use super::read::{Results, column_positions, rows_if_present};
use super::words::{BoxLimit, box_sentence, label, number};
use super::{Builder, ReportError, page};
use crate::chart::{self, Bar, BarRow, Bars, Frame};
use crate::output::layout::parse_number;
use std::collections::BTreeSet;

/// The files `cogov analyse` writes for an uncertainty comparison, under these names
/// (the analysis layer, above the report, re-exports them).
pub const ROBUSTNESS_FILE: &str = "robustness.csv";
pub const PRIM_FILE: &str = "prim_boxes.csv";
/// The columns of `robustness.csv`, in order (written by the analysis, read here by
/// name).
pub const ROBUSTNESS_COLUMNS: [&str; 13] = [
    "reform",
    "metric",
    "worlds",
    "share_improved",
    "share_ci95_low",
    "share_ci95_high",
    "effect_p10",
    "effect_median",
    "effect_p90",
    "regret_median",
    "regret_p90",
    "regret_max",
    "prim_boxes",
];
/// The columns of `prim_boxes.csv`, in order.
pub const PRIM_COLUMNS: [&str; 14] = [
    "reform",
    "metric",
    "box",
    "parameter",
    "min",
    "max",
    "coverage",
    "density",
    "mass",
    "worlds_in_box",
    "failing_in_box",
    "failing_worlds",
    "min_quasi_p",
    "max_quasi_p",
];
/// The policy row of doing nothing.
const NO_REFORM: &str = "(no reform)";
/// The columns `points.csv` of such results starts with, before the parameters.
const WORLD_COLUMNS: usize = 2;

/// Whether `results` are those of an uncertainty comparison.
pub(super) fn is_robustness(results: &Results) -> bool {
    results.manifest["sweep"]["robustness"].is_object()
}

/// The comparison's scenarios (baseline first) and worlds, from the manifest.
fn scenarios_and_worlds(results: &Results) -> (Vec<String>, u64) {
    let info = &results.manifest["sweep"]["robustness"];
    let scenarios = info["scenarios"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (scenarios, info["worlds"].as_u64().unwrap_or(0))
}

/// The page's title.
pub(super) fn title(results: &Results) -> String {
    format!(
        "Robustness comparison report: {}",
        results
            .sweep
            .as_ref()
            .map_or(results.name.as_str(), |(name, _, _)| name.as_str())
    )
}

/// What the results are, for the page's header (HTML).
pub(super) fn what(results: &Results) -> String {
    let (scenarios, worlds) = scenarios_and_worlds(results);
    let reforms = scenarios.len().saturating_sub(1);
    let parameters = data::design(results)
        .map(|d| d.columns.len().saturating_sub(WORLD_COLUMNS))
        .unwrap_or(0);
    let design = results.manifest["sweep"]["settings"]["design"]
        .as_str()
        .map_or(String::new(), |design| format!(" ({design} design)"));
    format!(
        "<code>{}</code> against {reforms} reform{} in {worlds} sampled worlds{design} of {parameters} uncertain parameter{}, {} paired replications each",
        chart::escape(scenarios.first().unwrap_or(&results.name)),
        if reforms == 1 { "" } else { "s" },
        if parameters == 1 { "" } else { "s" },
        results.replications
    )
}

/// One row of `robustness.csv`: a policy's robustness on one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRow {
    pub reform: String,
    pub metric: String,
    pub worlds: u64,
    pub share: f64,
    pub share_low: f64,
    pub share_high: f64,
    pub effect_p10: f64,
    pub effect_median: f64,
    pub effect_p90: f64,
    pub regret_median: f64,
    pub regret_p90: f64,
    pub regret_max: f64,
}

/// One row of `prim_boxes.csv`: one restricted parameter of one box.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxRow {
    pub reform: String,
    pub metric: String,
    pub number: u64,
    pub parameter: String,
    pub min: f64,
    pub max: f64,
    pub coverage: f64,
    pub density: f64,
    pub worlds_in_box: u64,
    pub failing_in_box: u64,
    pub failing_worlds: u64,
    /// The quasi-p-values of the lower and upper limits; `None` for an end the box
    /// does not restrict.
    pub lower_p: Option<f64>,
    pub upper_p: Option<f64>,
}

/// Streams `name` in `results` by column names; `None` when the file is missing,
/// unreadable, or lacks a column.
fn read_named<T>(
    results: &Results,
    name: &str,
    columns: &[&str],
    mut row: impl FnMut(&[&String]) -> Option<T>,
) -> Option<Vec<T>> {
    let mut out = Vec::new();
    let mut at: Vec<usize> = Vec::new();
    let found = rows_if_present(&results.file(name), |header, f| {
        if at.is_empty() {
            at = column_positions(header, columns.iter().copied())
                .into_iter()
                .collect::<Option<Vec<usize>>>()?;
        }
        let fields: Vec<&String> = at.iter().map(|&i| &f[i]).collect();
        out.push(row(&fields)?);
        Some(())
    });
    match found {
        Ok(Some(_)) => Some(out),
        _ => None,
    }
}

/// The rows of `robustness.csv`; `None` when it is missing or unreadable.
pub fn read_robustness(results: &Results) -> Option<Vec<PolicyRow>> {
    read_named(results, ROBUSTNESS_FILE, &ROBUSTNESS_COLUMNS, |f| {
        let x = |i: usize| parse_number(f[i]);
        Some(PolicyRow {
            reform: f[0].clone(),
            metric: f[1].clone(),
            worlds: f[2].parse().ok()?,
            share: x(3)?,
            share_low: x(4)?,
            share_high: x(5)?,
            effect_p10: x(6)?,
            effect_median: x(7)?,
            effect_p90: x(8)?,
            regret_median: x(9)?,
            regret_p90: x(10)?,
            regret_max: x(11)?,
        })
    })
}

/// The rows of `prim_boxes.csv`; `None` when it is missing or unreadable.
pub fn read_boxes(results: &Results) -> Option<Vec<BoxRow>> {
    read_named(results, PRIM_FILE, &PRIM_COLUMNS, |f| {
        Some(BoxRow {
            reform: f[0].clone(),
            metric: f[1].clone(),
            number: f[2].parse().ok()?,
            parameter: f[3].clone(),
            min: parse_number(f[4])?,
            max: parse_number(f[5])?,
            coverage: parse_number(f[6])?,
            density: parse_number(f[7])?,
            worlds_in_box: f[9].parse().ok()?,
            failing_in_box: f[10].parse().ok()?,
            failing_worlds: f[11].parse().ok()?,
            lower_p: parse_number(f[12]).filter(|p| !p.is_nan()),
            upper_p: parse_number(f[13]).filter(|p| !p.is_nan()),
        })
    })
}

/// The distinct values of `key` over `items`, in first-seen order.
fn distinct<T>(items: &[T], key: impl Fn(&T) -> &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let k = key(item);
        if !out.iter().any(|o| o == k) {
            out.push(k.to_string());
        }
    }
    out
}

/// "83% (55 to 95)": a share with its interval, in per cent.
fn share_text(r: &PolicyRow) -> String {
    if !r.share.is_finite() {
        return "NA".to_string();
    }
    let whole = |x: f64| format!("{:.0}", 100.0 * x);
    format!(
        "{}% ({} to {})",
        whole(r.share),
        whole(r.share_low),
        whole(r.share_high)
    )
}

/// Adds the robustness sections: the shares as bars, the table, the PRIM boxes.
///
/// # Errors
/// `points.csv` or `runaways.csv` cannot be read.
pub(super) fn build(results: &Results, b: &mut Builder) -> Result<(), ReportError> {
    let (scenarios, worlds) = scenarios_and_worlds(results);
    let s = scenarios.len().max(1);
    let runaway_worlds: BTreeSet<usize> = data::runaways(results)?
        .into_iter()
        .map(|(p, _, _)| p / s)
        .collect();
    let left_out = match runaway_worlds.len() {
        0 => "No world had a run flagged as a runaway.".to_string(),
        n => format!(
            "{n} of {worlds} worlds had a run flagged as a runaway (runaways.csv) and are left out: their numbers are not those of a plausible district."
        ),
    };
    let intro = format!(
        "Each world is one draw of the uncertain parameters (points.csv; summary.csv has each scenario's means in each world). In every world the baseline `{}` and each reform run with the same seeds; a reform improves a metric in a world when its mean paired change over the replications is in the metric's better direction. {left_out} The usual sweep charts of a metric against each parameter are left out: their points would mix the baseline with the reforms.",
        scenarios.first().map_or("", String::as_str)
    );
    let Some(rows) = read_robustness(results) else {
        b.page.section(
            "robustness",
            "Robustness across worlds",
            format!(
                "{}{}",
                page::paragraph("note", &intro),
                page::paragraph(
                    "note",
                    "robustness.csv is missing or cannot be read: `cogov analyse DIR` writes it and rebuilds this report."
                )
            ),
        );
        return Ok(());
    };
    let defs = results.model.metrics();
    let metric_label = |name: &str| {
        defs.iter()
            .find(|d| d.name == name)
            .map_or(name.to_string(), label)
    };
    let metrics = distinct(&rows, |r| &r.metric);
    let reforms: Vec<String> = distinct(&rows, |r| &r.reform)
        .into_iter()
        .filter(|r| r != NO_REFORM)
        .collect();
    let find = |reform: &str, metric: &str| {
        rows.iter()
            .find(|r| r.reform == reform && r.metric == metric)
    };

    // The shares as bars: metrics as rows, reforms as colours.
    let chart = Bars {
        series: reforms.clone(),
        rows: metrics
            .iter()
            .map(|m| BarRow {
                label: metric_label(m),
                bars: reforms
                    .iter()
                    .map(|r| match find(r, m) {
                        Some(row) => Bar {
                            value: 100.0 * row.share,
                            low: 100.0 * row.share_low,
                            high: 100.0 * row.share_high,
                            note: share_text(row),
                        },
                        None => Bar {
                            value: f64::NAN,
                            low: f64::NAN,
                            high: f64::NAN,
                            note: String::new(),
                        },
                    })
                    .collect(),
            })
            .collect(),
        domain: Some((0.0, 100.0)),
    };
    let name = "robustness-share-improved";
    let used = rows.iter().map(|r| r.worlds).max().unwrap_or(0);
    let frame = Frame::new(
        name,
        "Share of worlds where each reform improves the metric",
        format!(
            "Bar chart: for each headline metric (rows) and each reform (colours), the per cent of the {used} worlds in which the reform improves the metric against the baseline, with its 95% Wilson interval."
        ),
        "worlds improved (%)",
        "metric",
    )
    .size(820.0, 0.0);
    let svg = chart::bars(&frame, &chart);
    let mut html = page::paragraph("note", &intro);
    html.push_str(&b.figure(
        name,
        svg,
        &format!(
            "Per cent of the {used} worlds in which each reform improves each headline metric, with 95% Wilson intervals (Wilson 1927), which stay inside 0 to 100% however few the worlds. A reform that improves a metric in 100% of the worlds still has an interval below 100%: more worlds narrow it. NA: the metric has no better direction."
        ),
    ));

    // The numbers behind the bars, with the effect's spread and the regret.
    let mut table_rows = Vec::new();
    for m in &metrics {
        let unit = defs
            .iter()
            .find(|d| d.name == *m)
            .map_or(String::new(), |d| format!(" ({})", d.unit));
        table_rows.push(vec![format!(
            "#group {}{}",
            chart::escape(&metric_label(m)),
            chart::escape(&unit)
        )]);
        for r in rows.iter().filter(|r| r.metric == *m) {
            let nothing = r.reform == NO_REFORM;
            table_rows.push(vec![
                if nothing {
                    "<em>no reform</em>".to_string()
                } else {
                    chart::escape(&r.reform)
                },
                if nothing {
                    String::new()
                } else {
                    share_text(r)
                },
                if nothing {
                    String::new()
                } else {
                    format!(
                        "{} / {} / {}",
                        number(r.effect_p10),
                        number(r.effect_median),
                        number(r.effect_p90)
                    )
                },
                format!(
                    "{} / {} / {}",
                    number(r.regret_median),
                    number(r.regret_p90),
                    number(r.regret_max)
                ),
            ]);
        }
    }
    html.push_str(&page::paragraph(
        "note",
        "The effect is the reform's paired change against the baseline in each world (10th percentile, median, 90th percentile across worlds, in the metric's unit). Regret is how far a policy falls short of the best policy of each world, doing nothing included (Savage 1951): a robust choice has a small maximum regret. robustness.csv has every column.",
    ));
    html.push_str(&page::table(
        &[
            "reform",
            "worlds improved (95% CI)",
            "effect p10 / median / p90",
            "regret median / p90 / max",
        ],
        &[0],
        &table_rows,
    ));
    b.page
        .section("robustness", "Robustness across worlds", html);

    b.page.section(
        "prim",
        "Where reforms fail",
        prim_section(results, &rows, &metric_label)?,
    );
    Ok(())
}

/// The PRIM boxes in words, one line per box.
fn prim_section(
    results: &Results,
    rows: &[PolicyRow],
    metric_label: &dyn Fn(&str) -> String,
) -> Result<String, ReportError> {
    let intro = page::paragraph(
        "note",
        "For each reform and metric, PRIM (Friedman and Fisher 1999; Bryant and Lempert 2010) looks for a box of the uncertain parameters that holds most of the worlds where the reform fails to improve the metric (coverage) and few others (density: the share of the worlds in the box that fail). A box says which assumptions the reform's success depends on.",
    );
    let Some(boxes) = read_boxes(results) else {
        return Ok(format!(
            "{intro}{}",
            page::paragraph(
                "note",
                "prim_boxes.csv is missing or cannot be read: `cogov analyse DIR` writes it."
            )
        ));
    };
    let mut keys: Vec<(String, String, u64)> = Vec::new();
    for r in &boxes {
        let k = (r.reform.clone(), r.metric.clone(), r.number);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut table_rows = Vec::new();
    for (reform, metric, number) in &keys {
        let parts: Vec<&BoxRow> = boxes
            .iter()
            .filter(|r| r.reform == *reform && r.metric == *metric && r.number == *number)
            .collect();
        let first = parts[0];
        let worlds = rows
            .iter()
            .find(|r| r.reform == *reform && r.metric == *metric)
            .map_or(0, |r| r.worlds);
        let limits: Vec<BoxLimit> = parts
            .iter()
            .map(|r| BoxLimit {
                parameter: &r.parameter,
                min: r.min,
                max: r.max,
                lower_p: r.lower_p,
                upper_p: r.upper_p,
            })
            .collect();
        let sentence = format!(
            "{}.",
            box_sentence(
                reform,
                &metric_label(metric),
                first.failing_worlds,
                worlds,
                first.coverage,
                first.density,
                &limits
            )
        );
        table_rows.push(vec![
            chart::escape(&sentence),
            number.to_string(),
            format!("{} of {}", first.failing_in_box, first.worlds_in_box),
        ]);
    }
    if table_rows.is_empty() {
        return Ok(format!(
            "{intro}{}",
            page::paragraph(
                "note",
                "No box: every reform either improves every metric in every world, or fails in worlds that no range of the parameters singles out."
            )
        ));
    }
    Ok(format!(
        "{intro}{}{}",
        page::table(
            &["in words", "box", "worlds in the box that fail"],
            &[0],
            &table_rows
        ),
        page::paragraph(
            "note",
            "A reform and metric without a box either never fails or fails in worlds no range of the parameters singles out; prim_boxes.csv has each box's limits, coverage, density and mass."
        )
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_in_whole_per_cent() {
        let row = PolicyRow {
            reform: "r".into(),
            metric: "m".into(),
            worlds: 12,
            share: 0.8333,
            share_low: 0.552,
            share_high: 0.953,
            effect_p10: 0.0,
            effect_median: 0.0,
            effect_p90: 0.0,
            regret_median: 0.0,
            regret_p90: 0.0,
            regret_max: 0.0,
        };
        assert_eq!(share_text(&row), "83% (55 to 95)");
        let na = PolicyRow {
            share: f64::NAN,
            ..row
        };
        assert_eq!(share_text(&na), "NA");
    }
}
