//! The report of `cogov sweep`: which parameters matter (`sensitivity.rs`, from
//! `sensitivity.csv`) and how the key metrics move with the swept parameters.

use super::compare::slug;
use super::data::{self, Design};
use super::read::Results;
use super::words::label;
use super::{Builder, ReportError, page};
use crate::chart::{self, Band, BandPoint, Frame, HeatMap, Scatter};
use crate::stats::Summary;
use std::collections::BTreeSet;

pub(super) fn build(results: &Results, b: &mut Builder) -> Result<(), ReportError> {
    // Which parameters matter first, when `cogov analyse` has said.
    super::sensitivity::build(results, b);
    let design = data::design(results)?;
    let summaries = data::summaries(results)?;
    let flagged_points: BTreeSet<usize> = data::runaways(results)?
        .into_iter()
        .map(|(p, _, _)| p)
        .collect();
    let flagged: Vec<bool> = (0..results.labels.len())
        .map(|p| flagged_points.contains(&p))
        .collect();
    let key = results.model.key_metrics();
    let columns = design.columns.len();
    let full_grid =
        columns == 2 && design.levels(0).len() * design.levels(1).len() == design.values.len();
    let (heading, html) = if columns == 1 {
        (
            "Key metrics against the swept parameter",
            one_parameter(results, b, &design, &summaries, &flagged, &key),
        )
    } else if full_grid {
        (
            "Key metrics over the grid",
            heat_maps(results, b, &design, &summaries, &flagged, &key),
        )
    } else {
        (
            "Key metrics against each parameter",
            scatter_panel(results, b, &design, &summaries, &flagged, &key),
        )
    };
    let note = format!(
        "{} design points × {} replications. {}",
        results.labels.len(),
        results.replications,
        if flagged_points.is_empty() {
            "No run was flagged as a runaway.".to_string()
        } else {
            format!(
                "{} point(s) have a run flagged as a runaway (runaways.csv), marked in the charts; their means include the flagged runs.",
                flagged_points.len()
            )
        }
    );
    b.page.section(
        "sweep",
        heading,
        format!("{}{html}", page::paragraph("note", &note)),
    );
    Ok(())
}

/// A level as an axis or cell label: a number with at most four significant digits
/// and no trailing zeros ("5000", "12.91"), a choice's name as it is.
fn level_label(level: &str) -> String {
    match level.parse::<f64>() {
        Ok(x) if x.is_finite() && x != 0.0 => {
            let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 9) as usize;
            let text = format!("{x:.digits$}");
            if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                text
            }
        }
        Ok(_) => "0".to_string(),
        Err(_) => level.to_string(),
    }
}

/// The labels of `levels`, rounded when that keeps them apart, else as written.
fn level_labels(levels: &[String]) -> Vec<String> {
    let short: Vec<String> = levels.iter().map(|l| level_label(l)).collect();
    let distinct: BTreeSet<&String> = short.iter().collect();
    if distinct.len() == levels.len() {
        short
    } else {
        levels.to_vec()
    }
}

/// A one-row heat map of `means` (one per level of a choice parameter), labelled
/// by the levels' names: a choice has no numeric axis to draw a line along.
#[allow(clippy::too_many_arguments)]
fn by_level(
    b: &mut Builder,
    name: &str,
    title: &str,
    alt: &str,
    parameter: &str,
    def: &crate::schema::metrics::MetricDef,
    levels: &[String],
    means: Vec<f64>,
    flagged: Vec<bool>,
) -> String {
    let frame = Frame::new(name, title, alt, parameter, "mean").size(480.0, 220.0);
    let map = HeatMap {
        xs: level_labels(levels),
        ys: vec![label(def)],
        values: means,
        flagged,
        legend_label: def.unit.to_string(),
        annotate: true,
        flip: false,
    };
    b.figure(name, chart::heat_map(&frame, &map), &format!("{title}."))
}

fn one_parameter(
    results: &Results,
    b: &mut Builder,
    design: &Design,
    summaries: &[Vec<Summary>],
    flagged: &[bool],
    key: &[usize],
) -> String {
    let defs = results.model.metrics();
    let parameter = &design.columns[0];
    let Some(xs) = design.numeric(0) else {
        // A choice (or a switch): one cell per level, in the file's order.
        let levels = design.levels(0);
        let mut html = String::from("<div class=\"panel\">\n");
        for &m in key {
            let def = &defs[m];
            let at = |l: &String| design.values.iter().position(|row| row[0] == *l);
            let means = levels
                .iter()
                .map(|l| at(l).map_or(f64::NAN, |p| summaries[p][m].mean))
                .collect();
            let marks = levels
                .iter()
                .map(|l| at(l).is_some_and(|p| flagged[p]))
                .collect();
            let name = format!("sweep-{}-{}", slug(parameter), def.name);
            let title = format!("{} by {parameter}", label(def));
            let alt = format!(
                "{} ({}) at each level of {parameter}, mean over {} replications; a level with a run flagged as a runaway is marked.",
                def.name, def.unit, results.replications
            );
            html.push_str(&by_level(
                b, &name, &title, &alt, parameter, def, &levels, means, marks,
            ));
        }
        html.push_str("</div>\n");
        // The cells show means; their intervals are here.
        let rows: Vec<Vec<String>> = levels
            .iter()
            .filter_map(|l| {
                design
                    .values
                    .iter()
                    .position(|row| row[0] == *l)
                    .map(|p| (l, p))
            })
            .map(|(l, p)| {
                std::iter::once(format!("<code>{}</code>", chart::escape(l)))
                    .chain(key.iter().map(|&m| {
                        let s = &summaries[p][m];
                        format!(
                            "{} ({} to {})",
                            super::words::number(s.mean),
                            super::words::number(s.ci95_low),
                            super::words::number(s.ci95_high)
                        )
                    }))
                    .collect()
            })
            .collect();
        let labels: Vec<String> = key.iter().map(|&m| label(&defs[m])).collect();
        let header: Vec<&str> = std::iter::once(parameter.as_str())
            .chain(labels.iter().map(String::as_str))
            .collect();
        html.push_str(&page::paragraph(
            "note",
            "Each level's mean with its 95% confidence interval over the replications (Student's t).",
        ));
        html.push_str(&page::table(&header, &[], &rows));
        return html;
    };
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut html = String::from("<div class=\"panel\">\n");
    for &m in key {
        let def = &defs[m];
        let band = Band {
            name: def.name.to_string(),
            points: order
                .iter()
                .map(|&p| {
                    let s = &summaries[p][m];
                    BandPoint {
                        x: xs[p],
                        mean: s.mean,
                        low: s.ci95_low,
                        high: s.ci95_high,
                        flagged: flagged[p],
                    }
                })
                .collect(),
            dashed: false,
        };
        let name = format!("sweep-{}-{}", slug(parameter), def.name);
        let title = format!("{} against {parameter}", label(def));
        let frame = Frame::new(
            &name,
            &title,
            format!(
                "{} ({}) at each value of {parameter}: mean over {} replications with a 95% band; points with a run flagged as a runaway are marked.",
                def.name, def.unit, results.replications
            ),
            parameter,
            def.unit,
        )
        .size(480.0, 300.0);
        let svg = chart::lines(&frame, &[band], &[]);
        html.push_str(&b.figure(&name, svg, &format!("{title}.")));
    }
    html.push_str("</div>\n");
    html
}

fn heat_maps(
    results: &Results,
    b: &mut Builder,
    design: &Design,
    summaries: &[Vec<Summary>],
    flagged: &[bool],
    key: &[usize],
) -> String {
    let defs = results.model.metrics();
    let (xs, ys) = (design.levels(0), design.levels(1));
    let (px, py) = (&design.columns[0], &design.columns[1]);
    let mut html = String::from("<div class=\"panel\">\n");
    for &m in key {
        let def = &defs[m];
        let mut values = vec![f64::NAN; xs.len() * ys.len()];
        let mut marks = vec![false; values.len()];
        for (p, row) in design.values.iter().enumerate() {
            let (Some(i), Some(j)) = (
                xs.iter().position(|l| *l == row[0]),
                ys.iter().position(|l| *l == row[1]),
            ) else {
                continue;
            };
            values[j * xs.len() + i] = summaries[p][m].mean;
            marks[j * xs.len() + i] = flagged[p];
        }
        let name = format!("sweep-{}-{}-{}", slug(px), slug(py), def.name);
        let title = format!("{} over {px} and {py}", label(def));
        let frame = Frame::new(
            &name,
            &title,
            format!(
                "Heat map of {} ({}), mean over {} replications, for each combination of {px} (columns) and {py} (rows); cells with a run flagged as a runaway are marked.",
                def.name, def.unit, results.replications
            ),
            px,
            py,
        )
        .size(480.0, 420.0);
        let map = HeatMap {
            xs: level_labels(&xs),
            ys: level_labels(&ys),
            values,
            flagged: marks,
            legend_label: def.unit.to_string(),
            annotate: true,
            // The second parameter's levels grow upwards, as on a y axis.
            flip: true,
        };
        let svg = chart::heat_map(&frame, &map);
        html.push_str(&b.figure(&name, svg, &format!("{title} ({}).", def.unit)));
    }
    html.push_str("</div>\n");
    html
}

fn scatter_panel(
    results: &Results,
    b: &mut Builder,
    design: &Design,
    summaries: &[Vec<Summary>],
    flagged: &[bool],
    key: &[usize],
) -> String {
    let defs = results.model.metrics();
    let mut html = String::new();
    for &m in key {
        let def = &defs[m];
        html.push_str(&format!(
            "<h3>{}</h3>\n<div class=\"panel\">\n",
            chart::escape(&label(def))
        ));
        for (c, parameter) in design.columns.iter().enumerate() {
            let name = format!("sweep-{}-{}", def.name, slug(parameter));
            let Some(xs) = design.numeric(c) else {
                // A choice: the mean of the points at each level (over the other
                // parameters' values), levels in name order.
                let mut levels = design.levels(c);
                levels.sort();
                let mut means = Vec::new();
                let mut marks = Vec::new();
                for level in &levels {
                    let at: Vec<usize> = (0..design.values.len())
                        .filter(|&p| design.values[p][c] == *level)
                        .collect();
                    let values: Vec<f64> = at.iter().map(|&p| summaries[p][m].mean).collect();
                    means.push(Summary::of(&values).mean);
                    marks.push(at.iter().any(|&p| flagged[p]));
                }
                let title = format!("{} by {parameter}", label(def));
                let alt = format!(
                    "{} ({}) by the level of {parameter}: the mean over the design points at each level (each point's mean over {} replications), averaging over the other parameters; a level with a run flagged as a runaway is marked.",
                    def.name, def.unit, results.replications
                );
                html.push_str(&by_level(
                    b, &name, &title, &alt, parameter, def, &levels, means, marks,
                ));
                continue;
            };
            let title = format!("{} against {parameter}", label(def));
            let frame = Frame::new(
                &name,
                &title,
                format!(
                    "Scatter plot of {} ({}), each design point's mean over {} replications, against {parameter}, with a LOWESS trend; points with a run flagged as a runaway are marked.",
                    def.name, def.unit, results.replications
                ),
                parameter,
                def.unit,
            )
            .size(360.0, 260.0);
            let scatter = Scatter {
                points: xs
                    .iter()
                    .zip(summaries)
                    .map(|(&x, s)| (x, s[m].mean))
                    .collect(),
                flagged: flagged.to_vec(),
                smooth: true,
            };
            let svg = chart::scatter(&frame, &scatter);
            html.push_str(&b.figure(&name, svg, &format!("{title}.")));
        }
        html.push_str("</div>\n");
    }
    html
}
