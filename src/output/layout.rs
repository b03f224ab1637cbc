//! The columns of every results file, for each kind of experiment, and how a row is
//! read back (to resume an experiment or merge shards).
//!
//! | file | `run` | `sweep` | `compare` |
//! | --- | --- | --- | --- |
//! | `runs.csv` | `run,seed,<metrics>` | `point,replication,seed,<swept>,<metrics>` | `scenario,run,seed,<metrics>` |
//! | `timeseries.csv` | `run,tick,warmup,<series>` | `point,replication,tick,warmup,<series>` | `scenario,run,tick,warmup,<series>` |
//! | `failures.csv` | `run,seed,error` | `point,replication,seed,<swept>,error` | `scenario,run,seed,error` |
//! | `summary.csv` | `metric,mean,sd,ci95_low,ci95_high,n` | `point,<swept>,metric,...` | `scenario,metric,...` |
//! | `points.csv` | | `point,<swept>` | |
//! | `grids.csv` | `run,grid,x,y,metric,value` | | |
//!
//! `<metrics>` are the names of the model's end-of-run metrics ([`Model::metrics`]:
//! for the co-governance model [`crate::model::co_governance::metrics::METRICS`]), `<series>` those of its
//! series columns ([`Model::series`]), `<swept>` the swept parameters' dotted paths.
//! `grids.csv` is tidy: one row per replication, map cell and [`Model::cell_metrics`]
//! column (`grid` counts row-major from 0; `x` is the column from the west, `y` the
//! row from the north). Rows are in job order (replication-major, see
//! [`crate::experiment`]). Scenario names are quoted as CSV requires when they hold a
//! comma, a quote or a line break; every other field is a bare number or name.

use std::fmt::Write as _;

use super::push_number;
use crate::experiment::{Experiment, Job, Kind};
use crate::model::Model;
use crate::runner::{JobRecord, Outcome};
use crate::schema::ParamValue;
use crate::schema::metrics::MetricDef;
use crate::stats::Summary;

/// The largest map `grids.csv` is written for, in cells (256 x 256): a bigger one
/// (a district of tens of millions of residents, or a huge lattice) would write
/// millions of rows per replication that no map can show.
pub const MAX_MAP_CELLS: usize = 65_536;

/// One job's rows of `runs.csv`, `failures.csv`, `timeseries.csv` and `grids.csv`
/// ([`Layout::render`]); empty where the job writes none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub runs: String,
    pub failures: String,
    pub timeseries: String,
    pub grids: String,
}

/// The columns of one experiment's files.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub kind: Kind,
    /// The model whose metrics and series the files hold.
    pub model: Model,
    /// Swept parameters' paths (sweeps only).
    pub columns: Vec<String>,
    /// Each point's label (scenario name for comparisons, point number for sweeps).
    pub labels: Vec<String>,
    /// Each point's swept values as CSV text, `v1,v2,...` (sweeps only).
    pub values: Vec<String>,
    /// Each point's warm-up length, for the `warmup` flag of `timeseries.csv`.
    pub warmups: Vec<u64>,
    /// Write every K-th day to `timeseries.csv`; 0 writes no time series.
    pub timeseries_every: u64,
    /// The map's width in cells when `grids.csv` is written (a `run` of valid
    /// parameters whose map has at most [`MAX_MAP_CELLS`] cells), `None` otherwise.
    pub map: Option<usize>,
}

/// A CSV field, quoted when it must be.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Splits off the first CSV field of `line` (unquoting it), returning it and the rest
/// after its comma.
fn first_field(line: &str) -> Option<(String, &str)> {
    if let Some(rest) = line.strip_prefix('"') {
        let mut field = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if rest[i + 1..].starts_with('"') {
                    field.push('"');
                    chars.next();
                } else {
                    let after = &rest[i + 1..];
                    return match after.strip_prefix(',') {
                        Some(tail) => Some((field, tail)),
                        None if after.is_empty() => Some((field, "")),
                        None => None,
                    };
                }
            } else {
                field.push(c);
            }
        }
        None
    } else {
        match line.split_once(',') {
            Some((field, rest)) => Some((field.to_string(), rest)),
            None => Some((line.to_string(), "")),
        }
    }
}

/// Parses a metric as written by [`push_number`].
pub fn parse_number(text: &str) -> Option<f64> {
    match text {
        "NA" => Some(f64::NAN),
        "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        _ => text.parse().ok(),
    }
}

impl Layout {
    /// The layout of `experiment`'s files.
    pub fn of(experiment: &Experiment, timeseries_every: u64) -> Layout {
        let values = experiment
            .points
            .iter()
            .map(|p| {
                p.values
                    .iter()
                    .map(|v| match v {
                        // Choice names are bare words: no CSV quoting needed.
                        ParamValue::Choice(name) => (*name).to_string(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        Layout {
            kind: experiment.kind,
            model: experiment.model,
            columns: experiment.columns.clone(),
            labels: experiment.points.iter().map(|p| p.label.clone()).collect(),
            values,
            warmups: experiment
                .points
                .iter()
                .map(|p| p.params.as_ref().map_or(0, |params| params.warmup_ticks()))
                .collect(),
            timeseries_every,
            map: match (&experiment.kind, experiment.points.first()) {
                (Kind::Run, Some(point)) => point
                    .params
                    .as_ref()
                    .ok()
                    .map(|p| p.map_size())
                    .filter(|(w, h)| w * h <= MAX_MAP_CELLS)
                    .map(|(w, _)| w),
                _ => None,
            },
        }
    }

    /// The end-of-run metrics, in column order.
    pub fn metrics(&self) -> &'static [MetricDef] {
        self.model.metrics()
    }

    /// The time-series columns, in order.
    pub fn series(&self) -> &'static [MetricDef] {
        self.model.series()
    }

    /// The identifying fields of a job's rows, without the seed.
    fn identity(&self, point: usize, replication: u64) -> String {
        match self.kind {
            Kind::Run => replication.to_string(),
            Kind::Sweep => format!("{point},{replication}"),
            Kind::Compare => format!("{},{replication}", csv_field(&self.labels[point])),
        }
    }

    fn identity_header(&self) -> &'static str {
        match self.kind {
            Kind::Run => "run",
            Kind::Sweep => "point,replication",
            Kind::Compare => "scenario,run",
        }
    }

    fn swept_header(&self) -> String {
        self.columns.iter().map(|c| format!(",{c}")).collect()
    }

    fn swept_values(&self, point: usize) -> String {
        if self.kind == Kind::Sweep && !self.columns.is_empty() {
            format!(",{}", self.values[point])
        } else {
            String::new()
        }
    }

    /// Reads the identifying fields at the start of a row: the point and replication,
    /// and the rest of the line after them.
    pub fn parse_identity<'a>(&self, line: &'a str) -> Option<(usize, u64, &'a str)> {
        match self.kind {
            Kind::Run => {
                let (r, rest) = line.split_once(',')?;
                Some((0, r.parse().ok()?, rest))
            }
            Kind::Sweep => {
                let (p, rest) = line.split_once(',')?;
                let (r, rest) = rest.split_once(',')?;
                let p: usize = p.parse().ok()?;
                (p < self.labels.len()).then_some(())?;
                Some((p, r.parse().ok()?, rest))
            }
            Kind::Compare => {
                let (label, rest) = first_field(line)?;
                let p = self.labels.iter().position(|l| *l == label)?;
                let (r, rest) = rest.split_once(',')?;
                Some((p, r.parse().ok()?, rest))
            }
        }
    }

    /// A finished or failed job's rows of every streamed file, as text: what
    /// [`crate::output::Store::write_rendered`] appends. Worker threads render their
    /// own runs (`runner::run_jobs_prepared`), so the one thread that writes only
    /// copies bytes.
    pub fn render(&self, record: &JobRecord) -> Rendered {
        let mut rendered = Rendered::default();
        match &record.outcome {
            Outcome::Finished(output) => {
                self.runs_row(&mut rendered.runs, &record.job, &output.metrics);
                self.timeseries_rows(&mut rendered.timeseries, &record.job, &output.series);
                self.grids_rows(&mut rendered.grids, &record.job, &output.cells);
            }
            Outcome::Failed(message) => {
                self.failure_row(&mut rendered.failures, &record.job, message);
            }
        }
        rendered
    }

    pub fn runs_header(&self) -> String {
        let mut line = format!("{},seed", self.identity_header());
        if self.kind == Kind::Sweep {
            line.push_str(&self.swept_header());
        }
        for def in self.metrics() {
            line.push(',');
            line.push_str(def.name);
        }
        line.push('\n');
        line
    }

    /// Appends a job's `runs.csv` row to `out`.
    pub fn runs_row(&self, out: &mut String, job: &Job, metrics: &[f64]) {
        out.push_str(&self.identity(job.point, job.replication));
        let _ = write!(out, ",{}", job.seed);
        out.push_str(&self.swept_values(job.point));
        for &x in metrics {
            out.push(',');
            push_number(out, x);
        }
        out.push('\n');
    }

    /// The metrics at the end of a `runs.csv` row, with the row's point and
    /// replication.
    pub fn parse_runs_row(&self, line: &str) -> Option<(usize, u64, Vec<f64>)> {
        let (point, replication, _) = self.parse_identity(line)?;
        let n = self.metrics().len();
        let fields: Vec<&str> = line.rsplitn(n + 1, ',').collect();
        if fields.len() != n + 1 {
            return None;
        }
        let metrics: Option<Vec<f64>> = fields[..n].iter().rev().map(|f| parse_number(f)).collect();
        Some((point, replication, metrics?))
    }

    pub fn timeseries_header(&self) -> String {
        let mut line = format!("{},tick,warmup", self.identity_header());
        for def in self.series() {
            line.push(',');
            line.push_str(def.name);
        }
        line.push('\n');
        line
    }

    /// Appends a job's `timeseries.csv` rows (every K-th day) to `out`.
    pub fn timeseries_rows(&self, out: &mut String, job: &Job, series: &[f64]) {
        if self.timeseries_every == 0 {
            return;
        }
        let identity = self.identity(job.point, job.replication);
        let warmup = self.warmups[job.point];
        for (t, values) in series.chunks(self.series().len()).enumerate() {
            let tick = t as u64 + 1;
            if !tick.is_multiple_of(self.timeseries_every) {
                continue;
            }
            let _ = write!(out, "{identity},{tick},{}", u8::from(tick <= warmup));
            for &x in values {
                out.push(',');
                push_number(out, x);
            }
            out.push('\n');
        }
    }

    pub fn grids_header(&self) -> String {
        format!("{},grid,x,y,metric,value\n", self.identity_header())
    }

    /// Appends a job's `grids.csv` rows to `out`: each cell's [`Model::cell_metrics`]
    /// values, cell by cell.
    pub fn grids_rows(&self, out: &mut String, job: &Job, cells: &[f64]) {
        let Some(width) = self.map.filter(|&w| w > 0) else {
            return;
        };
        let defs = self.model.cell_metrics();
        let identity = self.identity(job.point, job.replication);
        for (grid, values) in cells.chunks(defs.len()).enumerate() {
            let (x, y) = (grid % width, grid / width);
            for (def, &value) in defs.iter().zip(values) {
                let _ = write!(out, "{identity},{grid},{x},{y},{},", def.name);
                push_number(out, value);
                out.push('\n');
            }
        }
    }

    pub fn failures_header(&self) -> String {
        let mut line = format!("{},seed", self.identity_header());
        if self.kind == Kind::Sweep {
            line.push_str(&self.swept_header());
        }
        line.push_str(",error\n");
        line
    }

    /// Appends a failed job's `failures.csv` row to `out`.
    pub fn failure_row(&self, out: &mut String, job: &Job, error: &str) {
        out.push_str(&self.identity(job.point, job.replication));
        out.push_str(&format!(",{}", job.seed));
        out.push_str(&self.swept_values(job.point));
        out.push(',');
        out.push_str(&csv_field(&error.replace(['\n', '\r'], " ")));
        out.push('\n');
    }

    /// `points.csv`: the design, one row per point (sweeps only).
    pub fn points_csv(&self) -> String {
        let mut out = format!("point{}\n", self.swept_header());
        for p in 0..self.labels.len() {
            out.push_str(&format!("{p}{}\n", self.swept_values(p)));
        }
        out
    }

    /// `runaways.csv`: one row per flagged run and watched metric, led by the run's
    /// identity (as in `runs.csv`), then the metric's name, the run's value, its
    /// point's median and the limit the value passed.
    pub fn runaways_csv(&self, runaways: &[super::store::Runaway]) -> String {
        let mut out = format!(
            "{},metric,value,point_median,limit\n",
            self.identity_header()
        );
        for r in runaways {
            out.push_str(&self.identity(r.point, r.replication));
            out.push_str(&format!(",{},", self.metrics()[r.metric].name));
            super::push_number(&mut out, r.value);
            out.push(',');
            super::push_number(&mut out, r.median);
            out.push(',');
            super::push_number(&mut out, r.limit);
            out.push('\n');
        }
        out
    }

    /// `summary.csv` from each point's summaries (in [`Layout::metrics`] order).
    pub fn summary_csv(&self, summaries: &[Vec<Summary>]) -> String {
        let prefix_header = match self.kind {
            Kind::Run => String::new(),
            Kind::Sweep => format!("point{},", self.swept_header()),
            Kind::Compare => "scenario,".to_string(),
        };
        let mut out = format!("{prefix_header}metric,mean,sd,ci95_low,ci95_high,n\n");
        for (p, point) in summaries.iter().enumerate() {
            let prefix = match self.kind {
                Kind::Run => String::new(),
                Kind::Sweep => format!("{p}{},", self.swept_values(p)),
                Kind::Compare => format!("{},", csv_field(&self.labels[p])),
            };
            for (def, s) in self.metrics().iter().zip(point) {
                out.push_str(&prefix);
                out.push_str(def.name);
                for x in [s.mean, s.sd, s.ci95_low, s.ci95_high] {
                    out.push(',');
                    push_number(&mut out, x);
                }
                out.push_str(&format!(",{}\n", s.n));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Experiment, Point};
    use crate::model::co_governance::metrics::{METRICS, SERIES};
    use crate::model::co_governance::params::Params;

    fn layout(kind: Kind) -> Layout {
        let mut small = Params::default();
        small.run.warmup_ticks = 1;
        let point = |label: &str, v: f64| Point {
            label: label.to_string(),
            values: if kind == Kind::Sweep {
                vec![ParamValue::Real(v), ParamValue::Int(3)]
            } else {
                vec![]
            },
            params: Ok(small.clone().into()),
        };
        let e = Experiment {
            kind,
            model: Model::CoGovernance,
            columns: if kind == Kind::Sweep {
                vec!["liability.clarity".into(), "channels.count".into()]
            } else {
                vec![]
            },
            points: vec![point("base", 0.5), point("odd, \"name\"", 0.25)],
            replications: 2,
            seed: 1,
            common_random_numbers: true,
        };
        Layout::of(&e, 1)
    }

    fn job(point: usize, replication: u64) -> Job {
        Job {
            index: 0,
            point,
            replication,
            seed: 99,
        }
    }

    #[test]
    fn rows_read_back_to_their_identity_and_metrics() {
        let mut metrics = vec![0.5; METRICS.len()];
        metrics[1] = f64::NAN;
        metrics[2] = 1.0 / 3.0;
        for kind in [Kind::Run, Kind::Sweep, Kind::Compare] {
            let l = layout(kind);
            let point = if kind == Kind::Run { 0 } else { 1 };
            let mut row = String::new();
            l.runs_row(&mut row, &job(point, 7), &metrics);
            let (p, r, back) = l.parse_runs_row(row.trim_end()).unwrap();
            assert_eq!((p, r), (point, 7), "{kind:?}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&back), bits(&metrics), "{kind:?}");
            let header_columns = l.runs_header().trim_end().split(',').count();
            assert_eq!(
                header_columns,
                row.trim_end().split(',').count() - usize::from(kind == Kind::Compare),
                "{kind:?}: the quoted name holds one comma"
            );
        }
    }

    #[test]
    fn sweep_rows_carry_the_swept_values() {
        let l = layout(Kind::Sweep);
        let mut row = String::new();
        l.runs_row(&mut row, &job(1, 0), &vec![1.0; METRICS.len()]);
        assert!(row.starts_with("1,0,99,0.25,3,1,"), "{row}");
        assert!(
            l.runs_header()
                .starts_with("point,replication,seed,liability.clarity,channels.count,")
        );
        assert_eq!(
            l.points_csv(),
            "point,liability.clarity,channels.count\n0,0.5,3\n1,0.25,3\n"
        );
    }

    #[test]
    fn names_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            first_field("\"a,\"\"b\"\"\",7,rest"),
            Some(("a,\"b\"".into(), "7,rest"))
        );
        assert_eq!(first_field("x,y"), Some(("x".into(), "y")));
        assert_eq!(first_field("\"open"), None);
    }

    #[test]
    fn a_run_writes_its_map_one_row_per_grid_and_metric() {
        let run = layout(Kind::Run);
        assert_eq!(run.map, Some(6), "the default district is 6 grids wide");
        assert_eq!(run.grids_header(), "run,grid,x,y,metric,value\n");
        let k = crate::model::co_governance::GRID_METRICS.len();
        let cells: Vec<f64> = (0..36 * k).map(|i| i as f64).collect();
        let mut out = String::new();
        run.grids_rows(&mut out, &job(0, 3), &cells);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 36 * k);
        assert_eq!(lines[0], "3,0,0,0,incidents_per_1000,0");
        // Grid 7 is the second row's second grid: x 1, y 1.
        assert_eq!(
            lines[7 * k + 2],
            format!("3,7,1,1,trust_in_police,{}", 7 * k + 2)
        );
        // A map too big to draw is not written.
        let mut e = Experiment::single(
            "huge",
            {
                let mut p = Params::default();
                p.district.width = 300;
                p.district.height = 300;
                p.district.households_per_grid = 1;
                p.into()
            },
            1,
            1,
        );
        assert_eq!(Layout::of(&e, 1).map, None);
        e.points[0].params = Ok(Params::default().into());
        assert_eq!(Layout::of(&e, 1).map, Some(6));
        // Sweeps and comparisons write no map.
        assert_eq!(layout(Kind::Sweep).map, None);
        let mut none = String::new();
        layout(Kind::Compare).grids_rows(&mut none, &job(0, 0), &cells);
        assert!(none.is_empty());
    }

    #[test]
    fn failures_and_time_series() {
        let l = layout(Kind::Compare);
        let mut row = String::new();
        l.failure_row(&mut row, &job(0, 2), "bad,\nthing");
        assert_eq!(row, "base,2,99,\"bad, thing\"\n");
        let mut ts = String::new();
        let series = vec![1.0; 2 * SERIES.len()];
        l.timeseries_rows(&mut ts, &job(0, 2), &series);
        let lines: Vec<&str> = ts.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("base,2,1,1,"));
        assert!(lines[1].starts_with("base,2,2,0,"));
        let mut sampled = l.clone();
        sampled.timeseries_every = 2;
        let mut ts = String::new();
        sampled.timeseries_rows(&mut ts, &job(0, 2), &series);
        assert_eq!(ts.lines().count(), 1);
        assert!(ts.starts_with("base,2,2,0,"));
    }
}
