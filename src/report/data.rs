//! The numbers a report draws, gathered from a results directory's CSV files a line
//! at a time: bands of the time series across replications, each grid's mean over
//! replications, each point's summaries, and the runs flagged as runaways.

use super::ReportError;
use super::read::{Results, column_positions, rows, rows_if_present};
use crate::experiment::Kind;
use crate::output::layout::parse_number;
use crate::output::store::{POINTS_FILE, RUNAWAYS_FILE};
use crate::output::{GRIDS_FILE, SUMMARY_FILE, TIMESERIES_FILE};
use crate::stats::{Accumulator, Summary};
use std::collections::{BTreeMap, BTreeSet};

/// The position of a row's point, from its identity fields.
fn point_of(results: &Results, fields: &[String]) -> Option<usize> {
    match results.kind {
        Kind::Run => Some(0),
        Kind::Compare => results.labels.iter().position(|l| *l == fields[0]),
        Kind::Sweep => fields[0].parse().ok(),
    }
}

/// How many identity fields lead a row of `timeseries.csv`, `grids.csv` or
/// `runaways.csv`.
fn identity_width(kind: Kind) -> usize {
    match kind {
        Kind::Run => 1,
        Kind::Sweep | Kind::Compare => 2,
    }
}

/// Each point's chosen series across replications, day by sampled day.
#[derive(Debug, Clone)]
pub struct SeriesBands {
    /// The sampled ticks, in order.
    pub ticks: Vec<u64>,
    /// The last warm-up tick written (0 without a warm-up).
    pub warmup_end: u64,
    /// `bands[point][series][tick]`: the summary over replications.
    pub bands: Vec<Vec<Vec<Summary>>>,
    /// `first[point][series]`: replication 0's (tick, value) pairs, one run as it
    /// went.
    pub first: Vec<Vec<Vec<(u64, f64)>>>,
}

/// Summaries of the `series` columns (indices into the model's series) across
/// replications, per point and sampled tick, from `timeseries.csv`; `None` when the
/// directory has no time series.
///
/// # Errors
/// An unreadable file or row.
pub fn series_bands(
    results: &Results,
    series: &[usize],
) -> Result<Option<SeriesBands>, ReportError> {
    let points = results.labels.len();
    let lead = identity_width(results.kind);
    let mut acc: Vec<BTreeMap<u64, Vec<Accumulator>>> = vec![BTreeMap::new(); points];
    let mut warmup_end = 0;
    // Rows per point and tick: every tick of a point has one row per finished run.
    let mut rows_at: BTreeMap<(usize, u64), u64> = BTreeMap::new();
    let mut first: Vec<Vec<Vec<(u64, f64)>>> = vec![vec![Vec::new(); series.len()]; points];
    let defs = results.model.series();
    let mut columns: Vec<Option<usize>> = Vec::new();
    let present = rows_if_present(&results.file(TIMESERIES_FILE), |header, fields| {
        if columns.is_empty() {
            columns = column_positions(header, series.iter().map(|&s| defs[s].name));
        }
        let point = point_of(results, fields)?;
        let replication: u64 = fields[lead - 1].parse().ok()?;
        let tick: u64 = fields[lead].parse().ok()?;
        if fields[lead + 1] == "1" {
            warmup_end = warmup_end.max(tick);
        }
        *rows_at.entry((point, tick)).or_insert(0) += 1;
        let slot = acc
            .get_mut(point)?
            .entry(tick)
            .or_insert_with(|| vec![Accumulator::new(); series.len()]);
        for (k, (a, column)) in slot.iter_mut().zip(&columns).enumerate() {
            // A series an older cogov did not write is undefined.
            let x = column.map_or(Some(f64::NAN), |c| parse_number(&fields[c]))?;
            a.push(x);
            if replication == 0 {
                first[point][k].push((tick, x));
            }
        }
        Some(())
    })?;
    if present.is_none() || acc.iter().all(BTreeMap::is_empty) {
        return Ok(None);
    }
    for point in 0..points {
        let counts: BTreeSet<u64> = rows_at
            .range((point, 0)..=(point, u64::MAX))
            .map(|(_, &n)| n)
            .collect();
        if counts.len() > 1 {
            return Err(ReportError::Corrupt {
                path: results.file(TIMESERIES_FILE),
                reason: format!(
                    "the days of `{}` have {counts:?} rows, not one row per run on every day: the file was cut short",
                    results.labels[point]
                ),
            });
        }
    }
    // The warm-up's end: the scenario's, or the last warm-up day written.
    let warmup_end = results.warmup_ticks.unwrap_or(warmup_end);
    let ticks: Vec<u64> = acc
        .iter()
        .flat_map(|m| m.keys().copied())
        .collect::<BTreeSet<u64>>()
        .into_iter()
        .collect();
    let bands = acc
        .iter()
        .map(|by_tick| {
            (0..series.len())
                .map(|s| {
                    ticks
                        .iter()
                        .map(|t| {
                            by_tick
                                .get(t)
                                .map_or_else(|| Accumulator::new().summary(), |a| a[s].summary())
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Ok(Some(SeriesBands {
        ticks,
        warmup_end,
        bands,
        first,
    }))
}

/// The map of a run: each cell's metrics averaged over replications, and the first
/// replication's cells as they were.
#[derive(Debug, Clone)]
pub struct Maps {
    pub width: usize,
    pub height: usize,
    /// Metric names in file order.
    pub metrics: Vec<String>,
    /// `means[metric][cell]`, row-major.
    pub means: Vec<Vec<f64>>,
    /// `first[metric][cell]`: replication 0's values.
    pub first: Vec<Vec<f64>>,
    pub replications: u64,
}

/// Reads `grids.csv`; `None` when the directory has none.
///
/// # Errors
/// An unreadable file or row.
pub fn maps(results: &Results) -> Result<Option<Maps>, ReportError> {
    let mut metrics: Vec<String> = Vec::new();
    // [metric][cell] -> accumulator, first-replication value.
    let mut cells: Vec<Vec<Option<(Accumulator, f64)>>> = Vec::new();
    let (mut width, mut height, mut runs) = (0, 0, BTreeSet::new());
    let present = rows_if_present(&results.file(GRIDS_FILE), |_, f| {
        let run: u64 = f[0].parse().ok()?;
        // No map is larger (a larger index is a corrupt row, not a reason to allocate).
        let cell: usize = f[1]
            .parse()
            .ok()
            .filter(|&c| c < crate::output::layout::MAX_MAP_CELLS)?;
        let (x, y): (usize, usize) = (f[2].parse().ok()?, f[3].parse().ok()?);
        width = width.max(x + 1);
        height = height.max(y + 1);
        let metric = match metrics.iter().position(|m| *m == f[4]) {
            Some(m) => m,
            None => {
                metrics.push(f[4].clone());
                cells.push(Vec::new());
                metrics.len() - 1
            }
        };
        let value = parse_number(&f[5])?;
        let column = &mut cells[metric];
        if column.len() <= cell {
            column.resize_with(cell + 1, || None);
        }
        let slot = column[cell].get_or_insert_with(|| (Accumulator::new(), f64::NAN));
        slot.0.push(value);
        if run == 0 {
            slot.1 = value;
        }
        runs.insert(run);
        Some(())
    })?;
    let Some(found) = present.filter(|_| cells.iter().flatten().any(Option::is_some)) else {
        return Ok(None);
    };
    let n = width * height;
    let expected =
        results.replications.saturating_sub(results.failures) * (n * metrics.len()) as u64;
    super::read::expect_rows(
        &results.file(GRIDS_FILE),
        found,
        expected,
        "a row per finished run, grid and metric",
    )?;
    let mut means = vec![vec![f64::NAN; n]; metrics.len()];
    let mut first = vec![vec![f64::NAN; n]; metrics.len()];
    for (m, column) in cells.iter().enumerate() {
        for (cell, slot) in column.iter().enumerate().take(n) {
            if let Some((acc, v)) = slot {
                means[m][cell] = acc.summary().mean;
                first[m][cell] = *v;
            }
        }
    }
    Ok(Some(Maps {
        width,
        height,
        metrics,
        means,
        first,
        replications: runs.len() as u64,
    }))
}

/// `summary.csv`: each point's summary of each metric, `summaries[point][metric]`
/// in the model's metric order (NaN where a row is missing).
///
/// # Errors
/// An unreadable file or row.
pub fn summaries(results: &Results) -> Result<Vec<Vec<Summary>>, ReportError> {
    let defs = results.model.metrics();
    let empty = Summary::of(&[]);
    let mut out = vec![vec![empty; defs.len()]; results.labels.len()];
    rows(&results.file(SUMMARY_FILE), |header, f| {
        let lead = header.len() - 6;
        let point = match results.kind {
            Kind::Run => 0,
            _ => point_of(results, f)?,
        };
        let metric = defs.iter().position(|d| d.name == f[lead])?;
        let number = |i: usize| parse_number(&f[lead + i]);
        out.get_mut(point)?[metric] = Summary {
            mean: number(1)?,
            sd: number(2)?,
            ci95_low: number(3)?,
            ci95_high: number(4)?,
            n: f[lead + 5].parse().ok()?,
        };
        Some(())
    })?;
    Ok(out)
}

/// A sweep's design from `points.csv`: the swept parameters' names and each point's
/// values as written (numbers, or a choice's name).
#[derive(Debug, Clone)]
pub struct Design {
    pub columns: Vec<String>,
    pub values: Vec<Vec<String>>,
}

impl Design {
    /// Column `c` as numbers, or `None` when a value is not a number (a choice).
    pub fn numeric(&self, c: usize) -> Option<Vec<f64>> {
        self.values
            .iter()
            .map(|row| row[c].parse::<f64>().ok())
            .collect()
    }

    /// The distinct values of column `c`, in the order they first appear.
    pub fn levels(&self, c: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for row in &self.values {
            if !out.contains(&row[c]) {
                out.push(row[c].clone());
            }
        }
        out
    }
}

/// Reads `points.csv`.
///
/// # Errors
/// An unreadable file or row.
pub fn design(results: &Results) -> Result<Design, ReportError> {
    let mut columns = Vec::new();
    let mut values = Vec::new();
    rows(&results.file(POINTS_FILE), |header, f| {
        if columns.is_empty() {
            columns = header[1..].to_vec();
        }
        values.push(f[1..].to_vec());
        Some(())
    })?;
    Ok(Design { columns, values })
}

/// The runs `runaways.csv` flags: (point, replication, metric name), in file order.
///
/// # Errors
/// An unreadable file or row.
pub fn runaways(results: &Results) -> Result<Vec<(usize, u64, String)>, ReportError> {
    let lead = identity_width(results.kind);
    let mut out = Vec::new();
    rows_if_present(&results.file(RUNAWAYS_FILE), |_, f| {
        let point = point_of(results, f)?;
        let replication = f[lead - 1].parse().ok()?;
        out.push((point, replication, f[lead].clone()));
        Some(())
    })?;
    Ok(out)
}
