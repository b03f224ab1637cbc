//! The report of `cogov run`: the metric table, the series over time and the map.

use super::data::{self, SeriesBands};
use super::read::Results;
use super::words::number;
use super::{Builder, ReportError, page};
use crate::chart::{self, Band, BandPoint, Category, Frame};
use crate::model::Model;
use crate::schema::metrics::{Group, MetricDef};
use crate::stats::Summary;

pub(super) fn build(results: &Results, b: &mut Builder) -> Result<(), ReportError> {
    let summaries = data::summaries(results)?;
    let runaways = data::runaways(results)?;
    let key = results.model.key_metrics();
    b.page.section(
        "key",
        "Key metrics",
        format!(
            "{}{}",
            page::paragraph(
                "note",
                &format!(
                    "Mean over the {} replications with its 95% confidence interval (Student's t); the table at the end has every metric.",
                    results.replications
                )
            ),
            metric_table(results.model, &summaries[0], &key, false)
        ),
    );
    let series = results.model.headline_series();
    if let Some(bands) = data::series_bands(results, &series)? {
        let html = series_section(results, b, &series, &bands);
        b.page.section("time", "Over time", html);
    }
    if let Some(maps) = data::maps(results)? {
        let html = map_section(results, b, &maps);
        b.page.section("map", "Map", html);
    }
    b.page.section(
        "metrics",
        "All metrics",
        metric_table(results.model, &summaries[0], &key, true),
    );
    if !runaways.is_empty() {
        let rows: Vec<Vec<String>> = runaways
            .iter()
            .map(|(_, r, m)| vec![r.to_string(), chart::escape(m)])
            .collect();
        let html = format!(
            "{}{}",
            page::paragraph(
                "note",
                "These runs passed a plausibility limit (runaways.csv has their values and limits). Their values are in the table's means; read the means with them in mind."
            ),
            page::table(&["run", "metric"], &[1], &rows)
        );
        b.page.section("runaways", "Runs flagged as runaways", html);
    }
    Ok(())
}

/// The table of the key metrics with their means and 95% intervals, and with `all`
/// the other metrics after them, by group.
pub(super) fn metric_table(
    model: Model,
    summaries: &[Summary],
    key: &[usize],
    all: bool,
) -> String {
    let defs = model.metrics();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let row = |m: usize| {
        let (d, s) = (&defs[m], &summaries[m]);
        let ci = if s.ci95_low.is_nan() {
            "NA".to_string()
        } else {
            format!("{} to {}", number(s.ci95_low), number(s.ci95_high))
        };
        vec![
            format!("<code>{}</code>", d.name),
            number(s.mean),
            ci,
            number(s.sd),
            s.n.to_string(),
            chart::escape(d.unit),
            d.better.word().to_string(),
        ]
    };
    if all {
        rows.push(vec!["#group key metrics".into()]);
    }
    rows.extend(key.iter().map(|&m| row(m)));
    let groups = if all {
        vec![
            Group::PublicOrder,
            Group::Cooperation,
            Group::Cost,
            Group::Other,
        ]
    } else {
        vec![]
    };
    for group in groups {
        let members: Vec<usize> = (0..defs.len())
            .filter(|&m| defs[m].group == group && !key.contains(&m))
            .collect();
        if members.is_empty() {
            continue;
        }
        rows.push(vec![format!("#group {}", group.name())]);
        rows.extend(members.into_iter().map(row));
    }
    page::table(
        &["metric", "mean", "95% CI", "sd", "n", "unit", "better"],
        &[5, 6],
        &rows,
    )
}

/// One band per point of `bands` for series `s` (its definition `def`), the
/// interval clipped to the values the series can take.
pub(super) fn band_of(
    name: &str,
    def: &MetricDef,
    bands: &SeriesBands,
    point: usize,
    s: usize,
) -> Band {
    let clip = |x: f64| {
        if x.is_nan() {
            x
        } else {
            x.clamp(def.min, def.max)
        }
    };
    Band {
        name: name.to_string(),
        points: bands
            .ticks
            .iter()
            .zip(&bands.bands[point][s])
            .map(|(&t, sum)| BandPoint {
                x: t as f64,
                mean: sum.mean,
                low: clip(sum.ci95_low),
                high: clip(sum.ci95_high),
                flagged: false,
            })
            .collect(),
        dashed: false,
    }
}

/// The warm-up's end as a chart mark.
pub(super) fn warmup_mark(bands: &SeriesBands) -> Vec<(f64, String)> {
    if bands.warmup_end > 0 {
        vec![(bands.warmup_end as f64 + 0.5, "end of warm-up".to_string())]
    } else {
        vec![]
    }
}

/// What one tick of `model` is, in a sentence: "day" or "tick".
pub(super) fn tick_word(model: Model) -> &'static str {
    match model {
        Model::CoGovernance => "day",
        Model::CivilViolence => "tick",
    }
}

pub(super) fn tick_label(model: Model) -> &'static str {
    match model {
        Model::CoGovernance => "day (warm-up first)",
        Model::CivilViolence => "tick",
    }
}

fn series_section(
    results: &Results,
    b: &mut Builder,
    series: &[usize],
    bands: &SeriesBands,
) -> String {
    let defs = results.model.series();
    let marks = warmup_mark(bands);
    let n = results.replications;
    let mut html = page::paragraph(
        "note",
        &format!(
            "Each line is the mean over the {n} replications, the band its 95% confidence interval (Student's t), at every {} written to timeseries.csv.",
            tick_word(results.model)
        ),
    );
    if results.model == Model::CivilViolence {
        let one: Vec<Band> = series
            .iter()
            .enumerate()
            .map(|(i, &s)| Band {
                name: defs[s].name.to_string(),
                points: bands.first[0][i]
                    .iter()
                    .map(|&(t, x)| BandPoint {
                        x: t as f64,
                        mean: x,
                        low: f64::NAN,
                        high: f64::NAN,
                        flagged: false,
                    })
                    .collect(),
                dashed: false,
            })
            .collect();
        let frame = Frame::new(
            "run-epstein-replication-0",
            "Quiet, active and jailed citizens in replication 0",
            "Epstein's figure for one run, replication 0: the number of quiet, active and jailed citizens at each tick; a single run has no interval.",
            tick_label(results.model),
            "citizens",
        );
        let svg = chart::lines(&frame, &one, &marks);
        html.push_str(&b.figure(
            "run-epstein-replication-0",
            svg,
            "One run as Epstein (2002, figures 2 to 5) draws it: replication 0.",
        ));
        let lines: Vec<Band> = series
            .iter()
            .enumerate()
            .map(|(i, &s)| band_of(defs[s].name, &defs[s], bands, 0, i))
            .collect();
        let frame = Frame::new(
            "run-epstein",
            "Quiet, active and jailed citizens, mean of the replications",
            format!(
                "Epstein's figure: the number of quiet, active and jailed citizens at each tick, mean over {n} replications with 95% bands."
            ),
            tick_label(results.model),
            "citizens",
        );
        let svg = chart::lines(&frame, &lines, &marks);
        html.push_str(&b.figure(
            "run-epstein",
            svg,
            "Quiet, active and jailed citizens over time: the mean over replications with 95% bands (outbursts come at different ticks in different runs, so the mean smooths them).",
        ));
        return html;
    }
    html.push_str("<div class=\"panel\">\n");
    for (i, &s) in series.iter().enumerate() {
        let def = &defs[s];
        let name = format!("run-series-{}", def.name);
        let title = format!("{} over time", super::words::label(def));
        let frame = Frame::new(
            &name,
            &title,
            format!(
                "{}: {}. Mean over {n} replications per day with a 95% band.",
                def.name,
                one_line(def.doc)
            ),
            tick_label(results.model),
            def.unit,
        )
        .size(480.0, 300.0);
        let svg = chart::lines(&frame, &[band_of(def.name, def, bands, 0, i)], &marks);
        html.push_str(&b.figure(&name, svg, &format!("{title}, {}.", def.unit)));
    }
    html.push_str("</div>\n");
    html
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn map_section(results: &Results, b: &mut Builder, maps: &data::Maps) -> String {
    let mut html = String::new();
    if results.model == Model::CivilViolence {
        let Some(state) = maps.metrics.iter().position(|m| m == "state") else {
            return html;
        };
        let cells: Vec<u8> = maps.first[state]
            .iter()
            .map(|&v| {
                if (1.0..=4.0).contains(&v) {
                    v as u8 - 1
                } else {
                    255
                }
            })
            .collect();
        let colours = ["#56B4E9", "#D55E00", "#000000", "#009E73"];
        let categories: Vec<Category> = results.model.cell_states()[1..]
            .iter()
            .zip(colours)
            .map(|(name, colour)| Category {
                // The jailed who leave the lattice have no cell to show.
                name: if *name == "jailed" {
                    "jailed in place".to_string()
                } else {
                    (*name).to_string()
                },
                colour: colour.to_string(),
            })
            .collect();
        let frame = Frame::new(
            "run-lattice",
            "The lattice at the end of replication 0",
            format!(
                "The {} by {} lattice after the last tick of replication 0: quiet citizens, active citizens, citizens jailed in place and cops; empty cells are white.",
                maps.width, maps.height
            ),
            "column",
            "row",
        );
        let svg = chart::lattice(&frame, maps.width, maps.height, &cells, &categories);
        html.push_str(&b.figure(
            "run-lattice",
            svg,
            "The lattice at the end of replication 0 (a snapshot: other replications differ). Citizens jailed off the lattice (jail.rule = \"off_grid\", the paper's) have no cell; final_jailed counts them.",
        ));
        return html;
    }
    let defs = results.model.cell_metrics();
    html.push_str(&page::paragraph(
        "note",
        &format!(
            "Each grid coloured by its mean over the {} replications (grids.csv has every replication's value). North is up.",
            maps.replications
        ),
    ));
    html.push_str("<div class=\"panel\">\n");
    for (m, name) in maps.metrics.iter().enumerate() {
        let Some(def) = defs.iter().find(|d| d.name == *name) else {
            continue;
        };
        let id = format!("run-map-{name}");
        let title = format!("{} by grid", super::words::label(def));
        let frame = Frame::new(
            &id,
            &title,
            format!(
                "A map of the district's {} by {} grids, each coloured by its {} ({}), averaged over {} replications. {}",
                maps.width,
                maps.height,
                name,
                def.unit,
                maps.replications,
                one_line(def.doc)
            ),
            "grid column (west to east)",
            "grid row (north to south)",
        )
        .size(480.0, 420.0);
        let svg = chart::district_map(&frame, maps.width, maps.height, &maps.means[m], def.unit);
        html.push_str(&b.figure(&id, svg, &format!("{title} ({}).", def.unit)));
    }
    html.push_str("</div>\n");
    html
}
