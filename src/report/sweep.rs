//! The report of `cogov sweep`: how the key metrics move with the swept parameters.

use super::compare::slug;
use super::data::{self, Design};
use super::read::Results;
use super::words::label;
use super::{Builder, ReportError, page};
use crate::chart::{self, Band, BandPoint, Frame, HeatMap, Scatter};
use crate::stats::Summary;
use std::collections::BTreeSet;

pub(super) fn build(results: &Results, b: &mut Builder) -> Result<(), ReportError> {
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

/// A column's values as numbers, or their positions when a value is a choice.
fn positions(design: &Design, c: usize) -> Vec<f64> {
    design.numeric(c).unwrap_or_else(|| {
        let levels = design.levels(c);
        design
            .values
            .iter()
            .map(|row| levels.iter().position(|l| *l == row[c]).unwrap_or(0) as f64)
            .collect()
    })
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
    let xs = positions(design, 0);
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let parameter = &design.columns[0];
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
            xs: xs.clone(),
            ys: ys.clone(),
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
            let xs = positions(design, c);
            let name = format!("sweep-{}-{}", def.name, slug(parameter));
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
